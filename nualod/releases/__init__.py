"""Releases: the folder layout and atomic commit of a release, and what changed between two."""
