"""Describe the release: DCAT-AP catalog, VoID and schema.org."""
