"""Write the dumps (Turtle, N-Triples, N-Quads, JSON-LD), count them, and load the store."""
