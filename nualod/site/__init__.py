"""The static linked-data website: one page and two data files per resource, read from a "
"published folder."""
