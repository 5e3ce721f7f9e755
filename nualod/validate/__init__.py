"""Validate triples with SHACL: the fast compiled engine, pySHACL, and the report."""
