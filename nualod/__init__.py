"""nualod: publish National Urban Forum good practices as linked open data."""

__version__ = "0.1.0"
