"""Fetch NUF pages over HTTP politely and keep them on disk with their metadata."""
