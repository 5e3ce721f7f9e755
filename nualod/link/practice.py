"""Resolve the names on a practice to identifiers: its city to a region."""

from __future__ import annotations

import dataclasses
import re

from nualod.link.places import resolve_region
from nualod.model.records import City, LinkedPractice, Practice, Region

#: A Kemendagri code, or "Kab." / "Kab" for Kabupaten: how a spreadsheet names a place.
_CODE = re.compile(r"\d{2}(?:\.\d{2})?")
_KAB = re.compile(r"^Kab\.?\s+", re.IGNORECASE)


def link_practice(practice: Practice) -> LinkedPractice:
    """Resolve a practice's city to its region; raise :class:`LinkError` if unknown or ambiguous.

    A city written as a Kemendagri code, in other letter case or spacing, or with ``Kab.``
    for Kabupaten is given the region's official name, which the title (and so the
    practice's identifier) then carries: a table's ``32.73`` or ``kota bandung`` is
    ``Kota Bandung``, as the page prints it, and the same practice written two ways is
    found twice. Any other spelling the resolver takes ("Kota Adm. ...") is kept as written.
    """
    region = resolve_region(practice.city.name, where=practice.origin.describe())
    official = official_city_name(practice.city.name, region)
    if official != practice.city.name:
        practice = dataclasses.replace(practice, city=City(official))
    return LinkedPractice(practice, region)


def official_city_name(name: str, region: Region) -> str:
    """Return the region's official name for a city written as its code, in another case
    or spacing, or with ``Kab.``; else ``name`` as it is.

    >>> bandung = Region("32.73", "Kota Bandung", "kota", "32", None, None)
    >>> [official_city_name(n, bandung) for n in ("32.73", "kota  bandung", "Bandung")]
    ['Kota Bandung', 'Kota Bandung', 'Bandung']
    >>> sleman = Region("34.04", "Kabupaten Sleman", "kabupaten", "34", None, None)
    >>> official_city_name("Kab Sleman", sleman), official_city_name("KAB. SLEMAN", sleman)
    ('Kabupaten Sleman', 'Kabupaten Sleman')
    """
    if name == region.name:  # as a page prints it: most practices
        return name
    shown = " ".join(name.split())
    if _CODE.fullmatch(shown) and shown == region.code:
        return region.name
    spelled = _KAB.sub("Kabupaten ", shown)
    return region.name if spelled.casefold() == region.name.casefold() else name
