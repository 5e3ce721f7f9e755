"""Resolve the names on a practice to identifiers: its city to a region."""

from __future__ import annotations

from nualod.link.places import resolve_region
from nualod.model.records import LinkedPractice, Practice


def link_practice(practice: Practice) -> LinkedPractice:
    """Resolve a practice's city to its region; raise :class:`LinkError` if unknown or ambiguous."""
    region = resolve_region(practice.city.name, where=practice.origin.describe())
    return LinkedPractice(practice, region)
