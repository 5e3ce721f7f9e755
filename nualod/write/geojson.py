"""``practices.geojson``: a point per practice at its kota or kabupaten (RFC 7946).

Coordinates are longitude, latitude in WGS 84, as RFC 7946 requires, from the reference
data (see ``nualod/data/ATTRIBUTION.md``); the properties are the CSV's columns, flat
strings, which is what desktop GIS (QGIS) reads best.
"""

from __future__ import annotations

import json
from typing import Any, Final

from nualod.write.csvw import HEADER, csv_cells
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
    """Return one feature as a line of JSON."""
    return _ENCODER.encode(feature(row))
