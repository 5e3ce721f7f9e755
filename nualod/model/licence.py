"""The licence of the data nualod publishes: one IRI for every file that names it (the
catalog, schema.org, the SSSOM mapping set, practices.json, the GeoJSON)."""

from __future__ import annotations

from typing import Final

__all__ = ["CREATOR_NAME", "LICENSE", "LICENSE_NAME", "LICENSE_SHORT", "LICENSE_TITLE"]

#: Creative Commons Attribution-ShareAlike 4.0 International: the UNESCO Thesaurus concepts
#: the data include are CC BY-SA 3.0 IGO, whose ShareAlike allows a later version.
LICENSE: Final = "https://creativecommons.org/licenses/by-sa/4.0/"
#: Its name, and the abbreviation people know it by.
LICENSE_NAME: Final = "Creative Commons Attribution-ShareAlike 4.0 International"
LICENSE_SHORT: Final = "CC BY-SA 4.0"
#: The title CKAN's licence register knows (gives licence id ``cc-by-sa``).
LICENSE_TITLE: Final = "Creative Commons Attribution Share-Alike"
#: Who made the data: the organisation whose pages the practices come from.
CREATOR_NAME: Final = "National Urban Forum Indonesia"
