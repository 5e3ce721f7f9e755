"""``practices.geojson``: a point per practice at its kota or kabupaten (RFC 7946).

Coordinates are longitude, latitude in WGS 84, as RFC 7946 requires, from the reference
data (see ``nualod/data/ATTRIBUTION.md``), and null where they give none (RFC 7946 §3.2); the
properties are the CSV's columns, flat strings, which is what desktop GIS (QGIS) reads best,
but null where the value is unknown, as in ``practices.json`` (an empty cell of the CSV).
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring as _string
from typing import Any, Final

from nualod.model.licence import LICENSE
from nualod.model.records import Region
from nualod.write.csvw import HEADER, codes, csv_cells, region_cells
from nualod.write.rows import PracticeRow

GEOJSON_NAME: Final = "practices.geojson"
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_NOT_PROPERTIES: Final = {"iri", "latitude", "longitude"}
#: The properties that are null where unknown (practices.json's nulls). The others always
#: have a value, but sdg and unesco, whose "" says the theme and indicator are aligned with no
#: concept (practices.json's []).
NULLABLE: Final = frozenset(
    {"theme_name", "indicator_name", "province_code", "province", "wikidata", "geonames",
     "page_url"}
)  # fmt: skip

#: A feature collection with its licence as a foreign member (RFC 7946, section 6.1), for
#: whoever reads the file alone.
DOCUMENT_OPENING: Final = (
    '{"type":"FeatureCollection","license":' + json.dumps(LICENSE) + ',"features":[\n'
)
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
        name: None if not cell and name in NULLABLE else cell
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
    >>> feature(row)["properties"]["theme_name"], feature(row)["properties"]["page_url"]
    (None, None)
    """
    # The NULLABLE ones, inline: a call per value would cost more than the test.
    theme_name, indicator_name, page = row.theme_name, row.indicator_name, row.page
    return (
        f'{{"type":"Feature","id":{_string(row.iri)},"geometry":{_geometry(row.region)},'
        f'"properties":{{"identifier":{_string(row.identifier)},"title":{_string(row.title)},'
        f'"date":{_string(row.date)},"theme":{_string(row.theme)},'
        f'"theme_name":{_string(theme_name) if theme_name else "null"},'
        f'"indicator":{_string(row.indicator)},'
        f'"indicator_name":{_string(indicator_name) if indicator_name else "null"},'
        f"{_place(row.region, row.province)},"
        f'"sdg":{_string(codes(row.sdg))},"unesco":{_string(codes(row.unesco))},'
        f'"sources":{_string(" ".join(row.sources))},'
        f'"page_url":{_string(page) if page else "null"}}}}}'
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
        f"{_string(name)}:{_string(cell) if cell or name not in NULLABLE else 'null'}"
        for name, cell in zip(names, cells, strict=False)
    )
