"""``practices.geojson``: a point per practice at its kota or kabupaten (RFC 7946).

Coordinates are longitude, latitude in WGS 84, as RFC 7946 requires, from the reference
data (see ``nualod/data/ATTRIBUTION.md``); the properties are the CSV's columns, flat
strings, which is what desktop GIS (QGIS) reads best.
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring as _string
from typing import Any, Final

from nualod.model.records import Region
from nualod.write.csvw import HEADER, codes, csv_cells, region_cells
from nualod.write.rows import PracticeRow

GEOJSON_NAME: Final = "practices.geojson"
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_NOT_PROPERTIES: Final = {"iri", "latitude", "longitude"}

DOCUMENT_OPENING: Final = '{"type":"FeatureCollection","features":[\n'
DOCUMENT_CLOSING: Final = "\n]}\n"


def feature(row: PracticeRow) -> dict[str, Any]:
    """Return the GeoJSON feature of one practice (no geometry where the place has no point)."""
    region = row.region
    geometry = (
        {"type": "Point", "coordinates": [float(region.longitude), float(region.latitude)]}
        if region.latitude and region.longitude
        else None
    )
    properties = {
        name: cell
        for name, cell in zip(HEADER, csv_cells(row), strict=True)
        if name not in _NOT_PROPERTIES
    }
    return {"type": "Feature", "id": row.iri, "geometry": geometry, "properties": properties}


def feature_line(row: PracticeRow) -> str:
    """Return one feature as a line of JSON: ``feature`` encoded, from the encoded parts a
    run repeats (a place, a concept, a list of codes) kept once.

    >>> from nualod.write.rows import PracticeRow
    >>> from nualod.link.reference import load_regions
    >>> regions = load_regions()
    >>> row = PracticeRow("https://x.org/p", "p", "Kota Pekalongan", "2025-12-18", "10", "",
    ...                   "47", "Pelatihan", regions["33.75"], regions["33"], (), (), (), "")
    >>> feature_line(row) == _ENCODER.encode(feature(row))
    True
    """
    return (
        f'{{"type":"Feature","id":{_string(row.iri)},"geometry":{_geometry(row.region)},'
        f'"properties":{{"identifier":{_string(row.identifier)},"title":{_string(row.title)},'
        f'"date":{_string(row.date)},"theme":{_string(row.theme)},'
        f'"theme_name":{_string(row.theme_name)},"indicator":{_string(row.indicator)},'
        f'"indicator_name":{_string(row.indicator_name)},{_place(row.region, row.province)},'
        f'"sdg":{_string(codes(row.sdg))},"unesco":{_string(codes(row.unesco))},'
        f'"sources":{_string(" ".join(row.sources))},"page_url":{_string(row.page)}}}}}'
    )


@lru_cache(maxsize=1024)
def _geometry(region: Region) -> str:
    row = PracticeRow("", "", "", "", "", "", "", "", region, None, (), (), (), "")
    return _ENCODER.encode(feature(row)["geometry"])


@lru_cache(maxsize=1024)
def _place(region: Region, province: Region | None) -> str:
    names = ("city_code", "city", "city_kind", "province_code", "province", "wikidata",
             "geonames")  # fmt: skip
    cells = region_cells(region, province)
    return ",".join(
        f"{_string(name)}:{_string(cell)}" for name, cell in zip(names, cells, strict=False)
    )
