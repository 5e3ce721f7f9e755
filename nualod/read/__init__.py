"""Read inputs into records: NUF pages (text, HTML), tables (CSV, JSON), dates, RDF files."""
