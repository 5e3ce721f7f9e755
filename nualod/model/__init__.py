"""The model every stage shares: records, IRIs, namespaces, triples and shipped resources."""
