"""The licence of the data nualod publishes: one IRI for every file that names it (the
catalog, schema.org, the SSSOM mapping set, practices.json, the GeoJSON)."""

from __future__ import annotations

from typing import Final

__all__ = ["LICENSE"]

#: Creative Commons Attribution-ShareAlike 4.0 International: the UNESCO Thesaurus concepts
#: the data include are CC BY-SA 3.0 IGO, whose ShareAlike allows a later version.
LICENSE: Final = "https://creativecommons.org/licenses/by-sa/4.0/"
