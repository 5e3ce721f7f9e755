"""Map linked records to triples, and build the fixed vocabulary, reference and alignment graphs."""
