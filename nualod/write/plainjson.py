"""``practices.json``: the practices as plain JSON for web developers, and still JSON-LD.

One object per practice under ``practices``, its theme, indicator and kota or kabupaten
embedded (code, name, province, Wikidata, coordinates), its SDG and UNESCO links listed.
The inline ``@context`` maps the keys to the dumps' properties, so a JSON-LD processor reads
from it triples the dumps hold; keys that are only for people (numbers, coordinates, the
SDG and UNESCO lists, which the dumps state on the concepts) map to nothing. The document
validates against ``practices.schema.json`` (JSON Schema 2020-12, :func:`json_schema`).
"""

from __future__ import annotations

import json
from typing import Any, Final

from nualod.model.namespaces import (
    DCTERMS,
    INDICATOR_SCHEME,
    NUA,
    PROV,
    SCHEMA,
    SKOS,
    THEME_SCHEME,
    XSD,
)
from nualod.write.rows import Linked, PracticeRow

JSON_NAME: Final = "practices.json"
SCHEMA_NAME: Final = "practices.schema.json"
SCHEMA_ID: Final = "https://w3id.org/nualod/schema/practices.schema.json"

_NAME: Final = {"@id": SKOS + "prefLabel", "@language": "id"}
_CONCEPT_SCOPE: Final = {"number": None, "name": _NAME}
#: The document's JSON-LD context: keys to the dumps' properties (None: not RDF).
CONTEXT: Final[dict[str, Any]] = {
    "@version": 1.1,
    "$schema": None,
    "practices": "@graph",
    "id": "@id",
    "type": "@type",
    "GoodPractice": NUA + "GoodPractice",
    "identifier": DCTERMS + "identifier",
    "title": {"@id": DCTERMS + "title", "@language": "id"},
    "date": {"@id": DCTERMS + "issued", "@type": XSD + "date"},
    "theme": {"@id": NUA + "theme", "@type": "@id", "@context": _CONCEPT_SCOPE},
    "indicator": {"@id": NUA + "indicator", "@type": "@id", "@context": _CONCEPT_SCOPE},
    "city": {
        "@id": DCTERMS + "spatial",
        "@type": "@id",
        "@context": {
            "code": DCTERMS + "identifier",
            "name": {"@id": SCHEMA + "name", "@language": "id"},
            "province": {"@id": SCHEMA + "containedInPlace", "@type": "@id"},
            "kind": None,
            "wikidata": None,
            "geonames": None,
            "latitude": None,
            "longitude": None,
        },
    },
    "sdg": None,
    "unesco": None,
    "sources": {"@id": DCTERMS + "source", "@type": "@id", "@container": "@set"},
    "page": {"@id": PROV + "wasDerivedFrom", "@type": "@id"},
}


def _linked(linked: Linked) -> dict[str, str]:
    return {"id": linked.iri, "code": linked.code, "label": linked.label, "match": linked.match}


def practice_object(row: PracticeRow, base: str) -> dict[str, Any]:
    """Return the plain JSON object of one practice."""
    region, province = row.region, row.province
    city: dict[str, Any] = {
        "id": f"{base}region/{region.code}",
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "province": (
            {"id": f"{base}region/{province.code}", "code": province.code, "name": province.name}
            if province
            else None
        ),
        "wikidata": region.wikidata,
        "geonames": region.geonames,
        "latitude": float(region.latitude) if region.latitude else None,
        "longitude": float(region.longitude) if region.longitude else None,
    }
    return {
        "id": row.iri,
        "type": "GoodPractice",
        "identifier": row.identifier,
        "title": row.title,
        "date": row.date,
        "theme": {
            "id": f"{THEME_SCHEME}/{row.theme}",
            "number": int(row.theme),
            "name": row.theme_name or None,
        },
        "indicator": {
            "id": f"{INDICATOR_SCHEME}/{row.indicator}",
            "number": int(row.indicator),
            "name": row.indicator_name or None,
        },
        "city": city,
        "sdg": [_linked(linked) for linked in row.sdg],
        "unesco": [_linked(linked) for linked in row.unesco],
        "sources": list(row.sources),
        "page": row.page or None,
    }


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def practice_line(row: PracticeRow, base: str) -> str:
    """Return one practice as a line of JSON."""
    return _ENCODER.encode(practice_object(row, base))


def document_opening() -> str:
    """Return what comes before the practices: the context and the opening of the array."""
    context = json.dumps(CONTEXT, ensure_ascii=False, indent=1)
    return (
        '{\n"$schema": ' + json.dumps(SCHEMA_ID) + ',\n"@context": ' + context
        + ',\n"practices": [\n'
    )  # fmt: skip


DOCUMENT_CLOSING: Final = "\n]\n}\n"

_STRING: Final = {"type": "string"}
_IRI: Final = {"type": "string", "format": "iri"}
_NULLABLE_STRING: Final = {"type": ["string", "null"]}


def _concept_schema(what: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"The NUA {what}.",
        "required": ["id", "number", "name"],
        "additionalProperties": False,
        "properties": {
            "id": _IRI,
            "number": {"type": "integer", "minimum": 1},
            "name": {**_NULLABLE_STRING, "description": "Indonesian name, null where unknown."},
        },
    }


_LINKED: Final = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "code", "label", "match"],
        "additionalProperties": False,
        "properties": {
            "id": _IRI,
            "code": _STRING,
            "label": _STRING,
            "match": {
                "enum": ["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]
            },
        },
    },
}


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``practices.json``."""
    place = {
        "type": "object",
        "required": ["id", "code", "name"],
        "additionalProperties": False,
        "properties": {"id": _IRI, "code": _STRING, "name": _STRING},
    }
    city = {
        "type": "object",
        "description": "The kota or kabupaten.",
        "required": ["id", "code", "name", "kind", "province", "wikidata", "geonames",
                     "latitude", "longitude"],
        "additionalProperties": False,
        "properties": {
            "id": _IRI,
            "code": {"type": "string", "pattern": "^[0-9]{2}\\.[0-9]{2}$"},
            "name": _STRING,
            "kind": {"enum": ["kota", "kabupaten"]},
            "province": {"oneOf": [place, {"type": "null"}]},
            "wikidata": {"type": ["string", "null"], "pattern": "^Q[0-9]+$"},
            "geonames": {"type": ["string", "null"], "pattern": "^[0-9]+$"},
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        },
    }  # fmt: skip
    practice = {
        "type": "object",
        "required": ["id", "type", "identifier", "title", "date", "theme", "indicator",
                     "city", "sdg", "unesco", "sources", "page"],
        "additionalProperties": False,
        "properties": {
            "id": _IRI,
            "type": {"const": "GoodPractice"},
            "identifier": _STRING,
            "title": _STRING,
            "date": {"type": "string", "format": "date"},
            "theme": _concept_schema("theme"),
            "indicator": _concept_schema("indicator"),
            "city": city,
            "sdg": _LINKED,
            "unesco": _LINKED,
            "sources": {"type": "array", "items": _IRI},
            "page": {"type": ["string", "null"], "description": "The NUF page, if harvested."},
        },
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "NUF good practices (nualod practices.json)",
        "type": "object",
        "required": ["@context", "practices"],
        "properties": {
            "$schema": _STRING,
            "@context": {"type": "object"},
            "practices": {"type": "array", "items": practice},
        },
    }
