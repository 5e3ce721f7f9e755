"""``practices.csv``: one row per practice for spreadsheets, with its CSV on the Web metadata.

The CSV is UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8), CRLF line
ends (RFC 4180) and a header row; a cell of several values (sources, SDG codes, UNESCO ids)
separates them by a space. ``practice-sources.csv`` has one row per practice and source URL,
``practice-figures.csv`` one per figure a practice's text states (:data:`FIGURE_COLUMNS`:
csv2rdf derives from it the figures' triples as the dumps state them).
``practices.csv-metadata.json`` (W3C CSVW, found by a processor beside the CSV) describes
them as one table group: from it a CSVW processor (csv2rdf) derives the practice's core triples
exactly as the dumps state them (type, identifier, title, date, theme, indicator, kota or
kabupaten, the dataset it is part of, ``prov:wasDerivedFrom`` the page, and from the second
table each ``dcterms:source``). The sources need a table of their own because a CSVW cell
gives several values only as literals, and a URI template gives one IRI per cell. The other
columns are there for people and are marked ``suppressOutput``, the sources cell of
``practices.csv`` included. ``datapackage.json`` (Frictionless) describes the same two tables.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

from nualod.model.iris import DataIRIs
from nualod.model.licence import LICENSE, LICENSE_TITLE
from nualod.model.namespaces import (
    DCTERMS,
    EDTF,
    INDICATOR_SCHEME,
    NUA,
    OA,
    PROV,
    RDF,
    SCHEMA,
    THEME_SCHEME,
)
from nualod.model.records import Region
from nualod.write.rows import FigureCells, Linked, PracticeRow

CSV_NAME: Final = "practices.csv"
SOURCES_NAME: Final = "practice-sources.csv"
FIGURES_NAME: Final = "practice-figures.csv"
CSV_METADATA_NAME: Final = "practices.csv-metadata.json"
DATAPACKAGE_NAME: Final = "datapackage.json"
#: The byte-order mark that opens the CSV.
BOM: Final = "\ufeff"

#: (name, title, description, how a CSVW processor maps it): the name is the header cell (and
#: the column's CSVW ``titles``), the title and description are for people (``dc:title``,
#: ``dc:description``; Frictionless ``title``, ``description``); the mapping is a dict of column
#: properties, or None for a column only people read (a string column, ``suppressOutput``);
#: a mapping with ``suppressOutput`` describes the cells of such a column more closely.
COLUMNS: Final[tuple[tuple[str, str, str, dict[str, Any] | None], ...]] = (
    ("iri", "IRI", "The practice's IRI (the row's subject).", None),
    ("identifier", "Identifier", "The practice's stable key.",
     {"propertyUrl": DCTERMS + "identifier", "datatype": "string"}),
    ("title", "Title", "Title (Indonesian): city and tagline.",
     {"propertyUrl": DCTERMS + "title", "lang": "id"}),
    ("date", "Date", "Date the NUF published the practice (YYYY-MM-DD).",
     {"propertyUrl": DCTERMS + "issued", "datatype": "date"}),
    ("theme", "Theme", "NUA theme number as the NUF prints it (01-16).",
     {"propertyUrl": NUA + "theme",
      "valueUrl": THEME_SCHEME + "/{theme}"}),
    ("theme_name", "Theme name", "The theme's Indonesian name, where known.", None),
    ("indicator", "Indicator", "NUA indicator number.",
     {"propertyUrl": NUA + "indicator",
      "valueUrl": INDICATOR_SCHEME + "/{indicator}"}),
    ("indicator_name", "Indicator name", "The indicator's Indonesian name.", None),
    ("city_code", "Kemendagri code", "Kemendagri code of the kota or kabupaten (33.75).",
     {"propertyUrl": DCTERMS + "spatial", "valueUrl": "{+region}{city_code}"}),
    ("city", "Kota/kabupaten", "Name of the kota or kabupaten.", None),
    ("city_kind", "Kind", "kota or kabupaten.", None),
    ("province_code", "Province code", "Kemendagri code of the province.", None),
    ("province", "Province", "Name of the province.", None),
    ("wikidata", "Wikidata", "Wikidata id of the kota or kabupaten (Q11026).", None),
    ("geonames", "GeoNames", "GeoNames id of the kota or kabupaten.", None),
    ("latitude", "Latitude", "Latitude of the kota or kabupaten (WGS 84 degrees); empty "
     "where the reference data gives no trustworthy point.",
     {"suppressOutput": True, "datatype": "decimal"}),
    ("longitude", "Longitude", "Longitude of the kota or kabupaten (WGS 84 degrees).",
     {"suppressOutput": True, "datatype": "decimal"}),
    ("sdg", "SDG", "SDG goals, targets and indicators the theme or indicator is aligned with.",
     None),
    ("unesco", "UNESCO Thesaurus", "UNESCO Thesaurus concepts the theme or indicator is "
     "aligned with (concept9927).", None),
    # For people only: each source is an IRI in practice-sources.csv (SOURCE_COLUMNS).
    ("sources", "Sources", "The practice's source URLs (Sumber), separated by a space; "
     f"{SOURCES_NAME} has one row per source.",
     {"suppressOutput": True, "separator": " ", "datatype": "anyURI"}),
    ("page_url", "Page", "The NUF page the practice was read from, where known (a harvested "
     "page's URL, or a table's page_url).",
     {"propertyUrl": PROV + "wasDerivedFrom", "valueUrl": "{+page_url}"}),
)  # fmt: skip
HEADER: Final = tuple(column[0] for column in COLUMNS)


def csv_cells(row: PracticeRow) -> tuple[str, ...]:
    """Return a row's cells, in :data:`HEADER` order."""
    return (
        row.iri,
        row.identifier,
        row.title,
        row.date,
        row.theme,
        row.theme_name,
        row.indicator,
        row.indicator_name,
        *region_cells(row.region, row.province),
        codes(row.sdg),
        codes(row.unesco),
        " ".join(row.sources),
        row.page,
    )


@lru_cache(maxsize=1024)  # the 514 kabupaten and kota, on every row
def region_cells(region: Region, province: Region | None) -> tuple[str, ...]:
    """Return the cells of a kota or kabupaten (city_code to longitude)."""
    return (
        region.code,
        region.name,
        region.kind,
        province.code if province else "",
        province.name if province else "",
        region.wikidata or "",
        region.geonames or "",
        region.latitude or "",
        region.longitude or "",
    )


@lru_cache(maxsize=1024)  # one list per theme and indicator pair
def codes(links: tuple[Linked, ...]) -> str:
    """Return the codes of aligned concepts, separated by a space, each once (a concept the
    theme and the indicator both align with is one concept of the practice).

    >>> a = Linked("x/443", "concept443", "A", "narrowMatch", "theme")
    >>> b = Linked("x/1", "concept1", "B", "relatedMatch", "indicator")
    >>> codes((a, b, a._replace(match="relatedMatch", via="indicator")))
    'concept443 concept1'
    """
    return " ".join(dict.fromkeys(linked.code for linked in links))


def csv_text(rows: Sequence[PracticeRow]) -> str:
    """Return rows as CSV text (CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([csv_cells(row) for row in rows])
    return buffer.getvalue()


def csv_header() -> str:
    """Return the opening of the CSV: the byte-order mark and the header row.

    >>> csv_header()[1:]
    'iri,identifier,title,date,theme,theme_name,indicator,indicator_name,city_code,city,city_kind,province_code,province,wikidata,geonames,latitude,longitude,sdg,unesco,sources,page_url\\r\\n'
    """
    return BOM + ",".join(HEADER) + "\r\n"


#: The columns of ``practice-sources.csv``, as :data:`COLUMNS`.
SOURCE_COLUMNS: Final[tuple[tuple[str, str, str, dict[str, Any] | None], ...]] = (
    ("practice", "Practice", f"The practice's IRI (the iri column of {CSV_NAME}).", None),
    ("source", "Source", "One of the practice's source URLs (Sumber).",
     {"propertyUrl": DCTERMS + "source", "valueUrl": "{+source}", "datatype": "anyURI"}),
)  # fmt: skip
SOURCES_HEADER: Final = tuple(column[0] for column in SOURCE_COLUMNS)


def sources_text(rows: Sequence[PracticeRow]) -> str:
    """Return the rows of ``practice-sources.csv`` for practices: one per source, in order."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [(row.iri, source) for row in rows for source in row.sources]
    )
    return buffer.getvalue()


def sources_header() -> str:
    """Return the opening of ``practice-sources.csv``: the byte-order mark and the header row.

    >>> sources_header()[1:]
    'practice,source\\r\\n'
    """
    return BOM + ",".join(SOURCES_HEADER) + "\r\n"


#: The columns of ``practice-figures.csv``, as :data:`COLUMNS`: one row per figure a
#: practice's text states. Each cell is about the node it describes (the figure, its text
#: segment, its quote or position selector: ``aboutUrl``), so csv2rdf derives from a row the
#: very triples the dumps state of a figure (:mod:`nualod.map.figures`), with the virtual
#: columns of :data:`FIGURE_LINKS`.
FIGURE_COLUMNS: Final[tuple[tuple[str, str, str, dict[str, Any] | None], ...]] = (
    ("figure", "Figure", "The figure's IRI: its practice's, #figure-, its field and start.",
     None),
    ("practice", "Practice", f"The practice's IRI (the iri column of {CSV_NAME}).",
     {"propertyUrl": NUA + "figure", "valueUrl": "{+figure}", "aboutUrl": "{+practice}"}),
    ("field", "Field", "The text the figure is read from: abstract (Ringkasan) or "
     "description (Deskripsi).",
     {"propertyUrl": NUA + "field", "valueUrl": DCTERMS + "{field}",
      "aboutUrl": "{+figure}-text"}),
    ("start", "Start", "Where its words start in that text, in Unicode code points from 0.",
     {"propertyUrl": OA + "start", "datatype": "integer", "aboutUrl": "{+figure}-position"}),
    ("end", "End", "Where its words end in that text, in Unicode code points.",
     {"propertyUrl": OA + "end", "datatype": "integer", "aboutUrl": "{+figure}-position"}),
    ("exact", "Words", "The figure's words as written.",
     {"propertyUrl": OA + "exact", "datatype": "string", "aboutUrl": "{+figure}-quote"}),
    ("prefix", "Before", "Up to 32 code points of the text before the words.",
     {"propertyUrl": OA + "prefix", "datatype": "string", "aboutUrl": "{+figure}-quote"}),
    ("suffix", "After", "Up to 32 code points of the text after the words.",
     {"propertyUrl": OA + "suffix", "datatype": "string", "aboutUrl": "{+figure}-quote"}),
    ("value", "Value", "The value in its unit (\"200 ribu\" is 200000, \"60%\" is 60).",
     {"propertyUrl": SCHEMA + "value", "datatype": "decimal"}),
    ("unit", "Unit", "The unit's IRI (QUDT units and currencies; unit:NUM for a count).",
     {"propertyUrl": SCHEMA + "unitCode", "valueUrl": "{+unit}"}),
    ("unit_text", "Counted", "What a count counts, as written (Indonesian).",
     {"propertyUrl": SCHEMA + "unitText", "lang": "id"}),
    ("period", "Period", "The period the text states with it (EDTF: 2020-01/2020-07).",
     {"propertyUrl": NUA + "period", "datatype": {"base": "string", "@id": EDTF + "EDTF"}}),
    ("per", "Rate", "The rate it is stated per (xsd:duration: P1M is per month).",
     {"propertyUrl": NUA + "per", "datatype": "duration"}),
    ("qualifier", "Qualifier", "What the words before it say of the amount: About "
     "(\"sekitar\"), MoreThan (\"lebih dari\"), LessThan (\"kurang dari\"), AtLeast "
     "(\"sedikitnya\"), AtMost (\"paling banyak\"), Almost (\"hampir\"); empty when the "
     "text states the amount as it is.",
     {"propertyUrl": NUA + "qualifier", "valueUrl": NUA + "{qualifier}"}),
)  # fmt: skip
FIGURES_HEADER: Final = tuple(column[0] for column in FIGURE_COLUMNS)
#: The figure triples no cell states: the nodes' classes and the links between them.
FIGURE_LINKS: Final = (
    ("figure_type", "{+figure}", RDF + "type", NUA + "Figure"),
    ("figure_text", "{+figure}", PROV + "wasDerivedFrom", "{+figure}-text"),
    ("text_type", "{+figure}-text", RDF + "type", OA + "SpecificResource"),
    ("text_source", "{+figure}-text", OA + "hasSource", "{+practice}"),
    ("text_quote", "{+figure}-text", OA + "hasSelector", "{+figure}-quote"),
    ("text_position", "{+figure}-text", OA + "hasSelector", "{+figure}-position"),
    ("quote_type", "{+figure}-quote", RDF + "type", OA + "TextQuoteSelector"),
    ("position_type", "{+figure}-position", RDF + "type", OA + "TextPositionSelector"),
)


def figure_cells(figure: FigureCells) -> tuple[str, ...]:
    """Return a figure's cells but its practice's, in :data:`FIGURES_HEADER` order."""
    return (
        figure.field, figure.start, figure.end, figure.exact, figure.prefix, figure.suffix,
        figure.value, figure.unit, figure.unit_text, figure.period, figure.per,
        figure.qualifier,
    )  # fmt: skip


def figures_text(rows: Sequence[PracticeRow]) -> str:
    """Return the rows of ``practice-figures.csv`` for practices: one per figure, in order."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [(figure.iri, row.iri, *figure_cells(figure)) for row in rows for figure in row.figures]
    )
    return buffer.getvalue()


def figures_header() -> str:
    """Return the opening of ``practice-figures.csv``: the byte-order mark and the header row.

    >>> figures_header()[1:]
    'figure,practice,field,start,end,exact,prefix,suffix,value,unit,unit_text,period,per,qualifier\\r\\n'
    """
    return BOM + ",".join(FIGURES_HEADER) + "\r\n"


def _columns(
    specs: Sequence[tuple[str, str, str, dict[str, Any] | None]], base: str
) -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = []
    for name, title, description, mapping in specs:
        # CSVW: a header cell must equal its column's titles (or name), case for case.
        column: dict[str, Any] = {
            "name": name,
            "titles": name,
            "dc:title": title,
            "dc:description": description,
        }
        if mapping is None or mapping.get("suppressOutput"):
            column["suppressOutput"] = True
        column.update(mapping or {"datatype": "string"})
        if "valueUrl" in column:
            column["valueUrl"] = column["valueUrl"].replace("{+region}", f"{base}region/")
        columns.append(column)
    return columns


def csvw_metadata(base: str) -> dict[str, Any]:
    """Return the CSVW metadata of ``practices.csv``, ``practice-sources.csv`` and
    ``practice-figures.csv`` (one table group) for data IRIs under ``base``.

    csv2rdf gives each practice's core triples as the dumps state them; everything a column
    only people read would add is suppressed (the empty cells of optional columns are null,
    CSVW's default, so they give no triple).
    """
    practices = _columns(COLUMNS, base)
    practices.append(
        {
            "name": "type",
            "virtual": True,
            "propertyUrl": RDF + "type",
            "valueUrl": NUA + "GoodPractice",
        }
    )
    practices.append(
        {
            "name": "dataset",
            "virtual": True,
            "propertyUrl": DCTERMS + "isPartOf",
            "valueUrl": DataIRIs(base).dataset(),
        }
    )
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "NUF good practices, one row per practice, their sources and figures",
        "dc:license": {"@id": LICENSE},
        # CSVW's defaults but trim (true): the figures' prefix and suffix keep edge spaces.
        "dialect": {
            "encoding": "utf-8",
            "lineTerminators": ["\r\n"],
            "header": True,
            "trim": False,
        },
        "tables": [
            {
                "url": CSV_NAME,
                "dc:title": "NUF good practices, one row per practice",
                "tableSchema": {
                    "aboutUrl": "{+iri}",
                    "primaryKey": "iri",
                    "columns": practices,
                },
            },
            {
                "url": SOURCES_NAME,
                "dc:title": "The source URLs of the NUF good practices, one row per source",
                "tableSchema": {
                    "aboutUrl": "{+practice}",
                    "primaryKey": ["practice", "source"],
                    "foreignKeys": [
                        {
                            "columnReference": "practice",
                            "reference": {"resource": CSV_NAME, "columnReference": "iri"},
                        }
                    ],
                    "columns": _columns(SOURCE_COLUMNS, base),
                },
            },
            {
                "url": FIGURES_NAME,
                "dc:title": "The figures the NUF good practices' texts state, one row per figure",
                "tableSchema": {
                    "aboutUrl": "{+figure}",
                    "primaryKey": "figure",
                    "foreignKeys": [
                        {
                            "columnReference": "practice",
                            "reference": {"resource": CSV_NAME, "columnReference": "iri"},
                        }
                    ],
                    "columns": [
                        *_columns(FIGURE_COLUMNS, base),
                        *(
                            {
                                "name": name,
                                "virtual": True,
                                "aboutUrl": about,
                                "propertyUrl": predicate,
                                "valueUrl": value,
                            }
                            for name, about, predicate, value in FIGURE_LINKS
                        ),
                    ],
                },
            },
        ],
    }


#: A CSVW datatype's Table Schema type (what a Data Package reader converts the cell to).
_FIELD_TYPES: Final = {"date": "date", "decimal": "number", "integer": "integer",
                       "duration": "duration"}  # fmt: skip


def _fields(specs: Sequence[tuple[str, str, str, dict[str, Any] | None]]) -> list[dict[str, Any]]:
    """Return the Table Schema fields of a table's columns, typed as their CSVW datatypes.

    >>> [f["type"] for f in _fields([("a", "A", "", {"datatype": "decimal"}), ("b", "B", "", None)])]
    ['number', 'string']
    """
    return [
        {
            "name": name,
            "title": title,
            "description": description,
            "type": _FIELD_TYPES.get(str((mapping or {}).get("datatype")), "string"),
        }
        for name, title, description, mapping in specs
    ]


def datapackage(base: str) -> dict[str, Any]:
    """Return a Frictionless Data Package describing ``practices.csv``,
    ``practice-sources.csv`` and ``practice-figures.csv``."""
    dialect = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
    return {
        "profile": "tabular-data-package",
        "name": "nuf-good-practices",
        "title": "NUF good practices (nualod)",
        "id": DataIRIs(base).dataset(),
        "licenses": [
            {
                "name": "CC-BY-SA-4.0",
                "path": LICENSE,
                "title": f"{LICENSE_TITLE} 4.0",
            }
        ],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "practices",
                "path": CSV_NAME,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",  # the IANA name: readers skip the BOM (frictionless does)
                "dialect": dialect,
                "schema": {"fields": _fields(COLUMNS), "primaryKey": ["iri"]},
            },
            {
                "profile": "tabular-data-resource",
                "name": "practice-sources",
                "path": SOURCES_NAME,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": dialect,
                "schema": {
                    "fields": _fields(SOURCE_COLUMNS),
                    "primaryKey": ["practice", "source"],
                    "foreignKeys": [
                        {
                            "fields": ["practice"],
                            "reference": {"resource": "practices", "fields": ["iri"]},
                        }
                    ],
                },
            },
            {
                "profile": "tabular-data-resource",
                "name": "practice-figures",
                "path": FIGURES_NAME,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": dialect,
                "schema": {
                    "fields": _fields(FIGURE_COLUMNS),
                    "primaryKey": ["figure"],
                    "foreignKeys": [
                        {
                            "fields": ["practice"],
                            "reference": {"resource": "practices", "fields": ["iri"]},
                        }
                    ],
                },
            },
        ],
    }


def json_document(document: dict[str, Any]) -> bytes:
    """Return a JSON document as stable, indented UTF-8."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
