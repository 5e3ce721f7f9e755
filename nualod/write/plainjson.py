"""``practices.json``: the practices as plain JSON for web developers, and still JSON-LD.

One object per practice under ``practices``, its theme, indicator and kota or kabupaten
embedded (code, name, province, Wikidata, coordinates), its SDG and UNESCO links listed.
The inline ``@context`` maps the keys to the dumps' properties, so a JSON-LD processor reads
from it triples the dumps hold; keys that are only for people (numbers, coordinates, the
SDG and UNESCO lists, which the dumps state on the concepts) map to nothing, so a JSON-LD
processor must read it with safe mode off (the README says why they cannot map). The document
validates against ``practices.schema.json`` (JSON Schema 2020-12, :func:`json_schema`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring as _string
from typing import Any, Final

from nualod.figures import QUALIFIER_NAMES
from nualod.model.licence import LICENSE
from nualod.model.namespaces import (
    DCTERMS,
    DEFAULT_BASE,
    EDTF,
    INDICATOR_SCHEME,
    NUA,
    OA,
    PROV,
    SCHEMA,
    SKOS,
    THEME_SCHEME,
    XSD,
)
from nualod.model.records import Region
from nualod.write.csvw import COLUMNS, FIGURE_COLUMNS
from nualod.write.rows import FigureCells, Linked, PracticeRow

JSON_NAME: Final = "practices.json"
SCHEMA_NAME: Final = "practices.schema.json"
SCHEMA_ID: Final = "https://w3id.org/nualod/schema/practices.schema.json"

_NAME: Final = {"@id": SKOS + "prefLabel", "@language": "id"}
_CONCEPT_SCOPE: Final = {"number": None, "name": _NAME}
#: The document's JSON-LD context: keys to the dumps' properties (None: not RDF).
CONTEXT: Final[dict[str, Any]] = {
    "@version": 1.1,
    "$schema": None,
    # The file's licence, for whoever reads it alone; the dumps state it in RDF (the
    # dataset's dcterms:license), so the key is for people only.
    "license": None,
    "practices": "@graph",
    "id": "@id",
    "type": "@type",
    "GoodPractice": NUA + "GoodPractice",
    "identifier": DCTERMS + "identifier",
    "title": {"@id": DCTERMS + "title", "@language": "id"},
    "date": {"@id": DCTERMS + "issued", "@type": XSD + "date"},
    "abstract": {"@id": DCTERMS + "abstract", "@language": "id"},
    "description": {"@id": DCTERMS + "description", "@language": "id"},
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
    # A figure: its value and unit, and where its text states it (a Web Annotation target:
    # the text segment with its quote and position selectors), as the dumps state it.
    "figures": {
        "@id": NUA + "figure",
        "@type": "@id",
        "@container": "@set",
        "@context": {
            "Figure": NUA + "Figure",
            "value": {"@id": SCHEMA + "value", "@type": XSD + "decimal"},
            "unit": {"@id": SCHEMA + "unitCode", "@type": "@id"},
            "counted": {"@id": SCHEMA + "unitText", "@language": "id"},
            "period": {"@id": NUA + "period", "@type": EDTF + "EDTF"},
            "per": {"@id": NUA + "per", "@type": XSD + "duration"},
            "qualifier": {"@id": NUA + "qualifier", "@type": "@vocab"},
            **{name: NUA + name for name in QUALIFIER_NAMES},
            "statedIn": {"@id": PROV + "wasDerivedFrom", "@type": "@id"},
            "SpecificResource": OA + "SpecificResource",
            "practice": {"@id": OA + "hasSource", "@type": "@id"},
            "field": {"@id": NUA + "field", "@type": "@vocab"},
            "abstract": DCTERMS + "abstract",
            "description": DCTERMS + "description",
            "quote": {"@id": OA + "hasSelector", "@type": "@id"},
            "position": {"@id": OA + "hasSelector", "@type": "@id"},
            "TextQuoteSelector": OA + "TextQuoteSelector",
            "TextPositionSelector": OA + "TextPositionSelector",
            "exact": OA + "exact",
            "prefix": OA + "prefix",
            "suffix": OA + "suffix",
            "start": OA + "start",
            "end": OA + "end",
        },
    },
}


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _linked(linked: Linked) -> dict[str, str]:
    return {
        "id": linked.iri,
        "code": linked.code,
        "label": linked.label,
        "match": linked.match,
        "via": linked.via,
    }


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
        # A text the page does not have is null, as "page" is: "" would be a triple
        # (dcterms:description ""@id) that the dumps do not hold.
        "abstract": row.abstract or None,
        "description": row.description or None,
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
        "figures": [figure_object(figure, row.iri) for figure in row.figures],
    }


def figure_object(figure: FigureCells, practice: str) -> dict[str, Any]:
    """Return the plain JSON object of one figure of a practice (an empty value is null, as
    the dumps state no triple for it)."""
    return {
        "id": figure.iri,
        "type": "Figure",
        "value": figure.value,
        "unit": figure.unit,
        "counted": figure.unit_text or None,
        "period": figure.period or None,
        "per": figure.per or None,
        "qualifier": figure.qualifier or None,
        "statedIn": {
            "id": f"{figure.iri}-text",
            "type": "SpecificResource",
            "practice": practice,
            "field": figure.field,
            "quote": {
                "id": f"{figure.iri}-quote",
                "type": "TextQuoteSelector",
                "exact": figure.exact,
                "prefix": figure.prefix or None,
                "suffix": figure.suffix or None,
            },
            "position": {
                "id": f"{figure.iri}-position",
                "type": "TextPositionSelector",
                "start": int(figure.start),
                "end": int(figure.end),
            },
        },
    }


def _string_or_null(text: str) -> str:
    """Return a text as a JSON string, or null when there is none (as practice_object has it)."""
    return _string(text) if text else "null"


def practice_line(row: PracticeRow, base: str) -> str:
    """Return one practice as a line of JSON: ``practice_object`` encoded, from the encoded
    parts a run repeats (a city, a concept, a list of links) kept once.

    >>> from nualod.write.rows import PracticeRow
    >>> from nualod.link.reference import load_regions
    >>> regions = load_regions()
    >>> row = PracticeRow("https://x.org/p", "p", "Kota Pekalongan, Batik", "2025-12-18", "10",
    ...                   "", "47", "Pelatihan", regions["33.75"], regions["33"], (), (),
    ...                   ("https://a.example/",), "")
    >>> practice_line(row, "https://x.org/") == _ENCODER.encode(practice_object(row, "https://x.org/"))
    True
    """
    return (
        f'{{"id":{_string(row.iri)},"type":"GoodPractice","identifier":{_string(row.identifier)},'
        f'"title":{_string(row.title)},"date":{_string(row.date)},'
        f'"abstract":{_string_or_null(row.abstract)},'
        f'"description":{_string_or_null(row.description)},'
        f'"theme":{_concept_json(THEME_SCHEME, row.theme, row.theme_name)},'
        f'"indicator":{_concept_json(INDICATOR_SCHEME, row.indicator, row.indicator_name)},'
        f'"city":{_city_json(row.region, row.province, base)},'
        f'"sdg":{_links_json(row.sdg)},"unesco":{_links_json(row.unesco)},'
        f'"sources":{_ENCODER.encode(list(row.sources))},"page":{_string_or_null(row.page)},'
        f'"figures":{_ENCODER.encode([figure_object(f, row.iri) for f in row.figures])}}}'
    )


@lru_cache(maxsize=1024)
def _concept_json(scheme: str, notation: str, name: str) -> str:
    return _ENCODER.encode(
        {"id": f"{scheme}/{notation}", "number": int(notation), "name": name or None}
    )


@lru_cache(maxsize=2048)
def _city_json(region: Region, province: Region | None, base: str) -> str:
    row = PracticeRow("", "", "", "", "1", "", "1", "", region, province, (), (), (), "")
    return _ENCODER.encode(practice_object(row, base)["city"])


@lru_cache(maxsize=1024)
def _links_json(links: tuple[Linked, ...]) -> str:
    return _ENCODER.encode([_linked(linked) for linked in links])


def document_opening() -> str:
    """Return what comes before the practices: the context and the opening of the array."""
    context = json.dumps(CONTEXT, ensure_ascii=False, indent=1)
    return (
        '{\n"$schema": ' + json.dumps(SCHEMA_ID) + ',\n"license": ' + json.dumps(LICENSE)
        + ',\n"@context": ' + context + ',\n"practices": [\n'
    )  # fmt: skip


DOCUMENT_CLOSING: Final = "\n]\n}\n"

_STRING: Final = {"type": "string"}
#: An IRI that is ASCII, so a URI: ``"format": "uri"``, which validators know (ajv-formats has
#: no "iri", and ajv's strict mode, its default, refuses a schema naming a format it lacks).
_URI: Final = {"type": "string", "format": "uri"}
#: An IRI that may hold characters outside ASCII (a source or page URL as written, a minted
#: IRI under a base that has some): no format is true of it ("uri" would refuse it).
_IRI: Final = {"type": "string"}
_NULLABLE_STRING: Final = {"type": ["string", "null"]}
#: What a source or page URL is (the readers accept any http(s) IRI: a page may cite
#: ".../berita/taman–kota", and the dumps keep it so).
_AS_WRITTEN: Final = (
    "an absolute http(s) IRI as the page or table wrote it, which may hold characters outside "
    "ASCII, so no format is given (new URL(value).href gives its URI)"
)
_SCHEMA_DESCRIPTION: Final = (
    "The good practices of Indonesia's National Urban Forum, one object per practice, as "
    'nualod publishes them in its dumps. An IRI that is ASCII by construction has "format": '
    '"uri" (those minted under the base IRI when it is ASCII, as the default is, and those '
    "of themes, indicators, SDG and UNESCO concepts and units); a source or page URL is an IRI "
    "as written and has none."
)
#: The descriptions of the CSV columns, by name: a key of practices.json that holds what a
#: column holds is described by the same words (the CSVW metadata's and Data Package's).
_COLUMN: Final = {name: description for name, _, description, _ in COLUMNS}
_FIGURE_COLUMN: Final = {name: description for name, _, description, _ in FIGURE_COLUMNS}


def _said(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """Return a property's schema with its description."""
    return {**schema, "description": description}


def _annotation(
    description: str, kind: str, identifier: dict[str, Any], properties: dict[str, Any]
) -> dict[str, Any]:
    """Return the schema of a Web Annotation node of a figure (``oa:`` ``kind``): its IRI,
    its type and ``properties``, every one of them required."""
    return {
        "type": "object",
        "description": description,
        "required": ["id", "type", *properties],
        "additionalProperties": False,
        "properties": {
            "id": identifier,
            "type": {"const": kind, "description": f"Always {kind} (oa:{kind})."},
            **properties,
        },
    }


def _concept_schema(what: str, number: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"The NUA {what} the practice is filed under.",
        "required": ["id", "number", "name"],
        "additionalProperties": False,
        "properties": {
            "id": _said(_URI, f"The {what}'s IRI, a concept of nualod's NUA {what} scheme."),
            "number": {"type": "integer", "minimum": 1, "description": number},
            "name": _said(_NULLABLE_STRING, _COLUMN[f"{what}_name"]),
        },
    }  # fmt: skip


def _linked_schema(concepts: str, id_description: str, code_description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": f"The {concepts} the practice's theme and indicator are aligned with "
                       "(alignments.sssom.tsv): the theme's, then the indicator's, each in the "
                       "mapping set's order, one entry per concept and via.",
        "items": {
            "type": "object",
            "required": ["id", "code", "label", "match", "via"],
            "additionalProperties": False,
            "properties": {
                "id": _said(_URI, id_description),
                "code": _said(_STRING, code_description),
                "label": _said(_STRING, "The concept's label in English, as the mapping set "
                               "gives it (its object_label)."),
                "match": {
                    "enum": ["exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                             "relatedMatch"],
                    "description": "The SKOS mapping property, without skos:, that the dumps "
                                   "state from the practice's theme or indicator to this "
                                   "concept (theme skos:narrowMatch concept: the concept is "
                                   "narrower than the theme).",
                },
                "via": {
                    "enum": ["theme", "indicator"],
                    "description": "Which of the practice's concepts is aligned with this one "
                                   "(the alignment's subject), its theme or its indicator: a "
                                   "concept aligned with both is listed once through each.",
                },
            },
        },
    }  # fmt: skip


def json_schema(base: str = DEFAULT_BASE) -> dict[str, Any]:
    """Return the JSON Schema of ``practices.json`` for data IRIs under ``base``.

    The IRIs minted under the base (practices, their figures, regions) are URIs when the
    base is ASCII, as the default is; a base may hold other characters (an IRI), and then
    they have no format.

    >>> json_schema()["properties"]["practices"]["items"]["properties"]["id"]["format"]
    'uri'
    >>> "format" in json_schema("https://data.contoh.id/praktik-baik-\u00fc/")[
    ...     "properties"]["practices"]["items"]["properties"]["id"]
    False
    """
    minted = _URI if base.isascii() else _IRI
    place = {
        "type": "object",
        "required": ["id", "code", "name"],
        "additionalProperties": False,
        "properties": {
            "id": _said(minted, "The province's IRI: its Kemendagri code under the base "
                        "IRI's region/."),
            "code": _said(_STRING, _COLUMN["province_code"]),
            "name": _said(_STRING, _COLUMN["province"]),
        },
    }  # fmt: skip
    city = {
        "type": "object",
        "description": "The kota or kabupaten the practice is of.",
        "required": ["id", "code", "name", "kind", "province", "wikidata", "geonames",
                     "latitude", "longitude"],
        "additionalProperties": False,
        "properties": {
            "id": _said(minted, "The kota's or kabupaten's IRI: its Kemendagri code under the "
                        "base IRI's region/."),
            "code": {"type": "string", "pattern": "^[0-9]{2}\\.[0-9]{2}$",
                     "description": _COLUMN["city_code"]},
            "name": _said(_STRING, _COLUMN["city"]),
            "kind": {"enum": ["kota", "kabupaten"], "description": _COLUMN["city_kind"]},
            "province": {"oneOf": [place, {"type": "null"}],
                         "description": "The province it lies in."},
            "wikidata": {"type": ["string", "null"], "pattern": "^Q[0-9]+$",
                         "description": _COLUMN["wikidata"]},
            "geonames": {"type": ["string", "null"], "pattern": "^[0-9]+$",
                         "description": _COLUMN["geonames"]},
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90,
                         "description": "Latitude of the kota or kabupaten (WGS 84 degrees); "
                                        "null where the reference data gives no trustworthy "
                                        "point."},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180,
                          "description": "Longitude of the kota or kabupaten (WGS 84 degrees); "
                                         "null where latitude is."},
        },
    }  # fmt: skip
    nullable_string = {"type": ["string", "null"], "minLength": 1}
    figure = {
        "type": "object",
        "description": "A figure the practice's Ringkasan or Deskripsi states, and where.",
        "required": [
            "id", "type", "value", "unit", "counted", "period", "per", "qualifier", "statedIn",
        ],
        "additionalProperties": False,
        "properties": {
            "id": _said(minted, _FIGURE_COLUMN["figure"]),
            "type": {"const": "Figure", "description": "Always Figure (nua:Figure)."},
            "value": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                      "description": _FIGURE_COLUMN["value"]},
            "unit": _said(_URI, _FIGURE_COLUMN["unit"]),
            "counted": _said(nullable_string, _FIGURE_COLUMN["unit_text"]),
            "period": _said(nullable_string, _FIGURE_COLUMN["period"]),
            "per": _said(nullable_string, _FIGURE_COLUMN["per"]),
            "qualifier": {"enum": [*QUALIFIER_NAMES, None],
                          "description": _FIGURE_COLUMN["qualifier"]},
            "statedIn": _annotation(
                "Where its practice's text states it (a Web Annotation SpecificResource).",
                "SpecificResource",
                _said(minted, "The text segment's IRI: the figure's, then -text."),
                {
                    "practice": _said(minted, "The practice's IRI, whose text it is "
                                      "(oa:hasSource)."),
                    "field": {"enum": ["abstract", "description"],
                              "description": _FIGURE_COLUMN["field"]},
                    "quote": _annotation(
                        "The words, with the text around them (oa:TextQuoteSelector).",
                        "TextQuoteSelector",
                        _said(minted, "The selector's IRI: the figure's, then -quote."),
                        {
                            "exact": {"type": "string", "minLength": 1,
                                      "description": _FIGURE_COLUMN["exact"]},
                            "prefix": _said(nullable_string, _FIGURE_COLUMN["prefix"]),
                            "suffix": _said(nullable_string, _FIGURE_COLUMN["suffix"]),
                        },
                    ),
                    "position": _annotation(
                        "Where the words are in the text (oa:TextPositionSelector).",
                        "TextPositionSelector",
                        _said(minted, "The selector's IRI: the figure's, then -position."),
                        {
                            "start": {"type": "integer", "minimum": 0,
                                      "description": _FIGURE_COLUMN["start"]},
                            "end": {"type": "integer", "minimum": 0,
                                    "description": _FIGURE_COLUMN["end"]},
                        },
                    ),
                },
            ),
        },
    }  # fmt: skip
    practice = {
        "type": "object",
        "required": ["id", "type", "identifier", "title", "date", "abstract", "description",
                     "theme", "indicator", "city", "sdg", "unesco", "sources", "page",
                     "figures"],
        "additionalProperties": False,
        "properties": {
            "id": _said(minted, "The practice's IRI."),
            "type": {"const": "GoodPractice",
                     "description": "Always GoodPractice (nua:GoodPractice)."},
            "identifier": _said(_STRING, _COLUMN["identifier"]),
            "title": _said(_STRING, _COLUMN["title"]),
            "date": {"type": "string", "format": "date", "description": _COLUMN["date"]},
            "abstract": {**_NULLABLE_STRING, "description": "The Ringkasan (summary), in "
                         "Indonesian, null when the page has none; a figure whose field is "
                         "'abstract' counts its start and end in it."},
            "description": {**_NULLABLE_STRING, "description": "The Deskripsi, in Indonesian, "
                            "null when the page has none; a figure whose field is "
                            "'description' counts its start and end in it."},
            "theme": _concept_schema(
                "theme", "The theme's number, an integer (1 to 16; the NUF prints 3 as 03)."
            ),
            "indicator": _concept_schema("indicator", "The indicator's number, an integer."),
            "city": city,
            "sdg": _linked_schema(
                "SDG goals, targets and indicators",
                "The SDG goal's, target's or indicator's IRI (the UN's, metadata.un.org).",
                "Its printed code (4.4); an indicator the UN lists under several targets "
                "has each of its codes, separated by a space (1.5.1 11.5.1 13.1.1).",
            ),
            "unesco": _linked_schema(
                "UNESCO Thesaurus concepts",
                "The UNESCO Thesaurus concept's IRI.",
                "Its concept id, the end of its IRI (concept9927).",
            ),
            "sources": {"type": "array", "items": _said(_IRI, f"A source URL: {_AS_WRITTEN}."),
                        "description": "The practice's source URLs (Sumber)."},
            "page": {"type": ["string", "null"],
                     "description": f"{_COLUMN['page_url']} It is {_AS_WRITTEN}."},
            "figures": {"type": "array", "items": figure,
                        "description": "The figures the practice's texts state: the "
                                       "Ringkasan's, then the Deskripsi's, each in the order "
                                       "of its text."},
        },
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "NUF good practices (nualod practices.json)",
        "description": _SCHEMA_DESCRIPTION,
        "type": "object",
        "required": ["@context", "license", "practices"],
        "properties": {
            "$schema": _said(_STRING, "This schema's IRI."),
            "license": {"const": LICENSE,
                        "description": "The licence the practices are published under "
                                       "(CC BY-SA 4.0), as the catalog gives it."},
            "@context": {"type": "object",
                         "description": "The JSON-LD context: the property of the dumps each "
                                        "key stands for (null: none, the key is for people)."},
            "practices": {"type": "array", "items": practice,
                          "description": "The published practices, one object each, in the "
                                         "dumps' order."},
        },
    }  # fmt: skip
