"""The formats beside the dumps, read by the tools their users have.

CSV on the Web (the ``csvw`` package), JSON-LD processors (pyld and jsonld.js under node),
JSON Schema (``jsonschema``), GeoJSON (the ``geojson`` package, RFC 7946); every file is a
distribution of the catalog. SSSOM is read by sssom-py in tests/test_sssom.py.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import geojson
import pytest
from csv2rdf import CSVW_NS, csv2rdf, described
from csvw import CSVW, Dialect
from csvw.dsv import UnicodeReader
from jsonschema import Draft202012Validator
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from system_tools import JS, node_packages

import nualod.run.pipeline
import nualod.write.rows
from bench.generate import write_pages
from nualod.describe.catalog import no_network_loader
from nualod.link.reference import load_alignments, load_regions
from nualod.model.licence import LICENSE
from nualod.model.namespaces import DCTERMS, NUA, PROV, RDF, SCHEMA
from nualod.read.pages import check_url
from nualod.read.sidecar import PageMetadata, sidecar_path
from nualod.run.publish import PublishResult, publish
from nualod.write.formats import TABLE_FORMATS, measure_dump
from nualod.write.geojson import feature_line
from nualod.write.rows import PracticeRow, aligned

ROOT = Path(__file__).resolve().parent.parent
#: Indonesia's extent (Natural Earth, rounded outwards): west, south, east, north.
INDONESIA_BOX = (94.9, -11.1, 141.1, 6.1)
#: The core triples of a practice: what the CSV tables state of it, exactly as the dumps do.
#: Every triple whose subject is the practice, but these, which the tables leave out:
#: - dcterms:abstract and dcterms:description, the long texts (Ringkasan, Deskripsi): kilobytes
#:   of paragraphs in a cell make a spreadsheet row unreadable (and Excel cuts a cell at
#:   32,767 characters); practices.json and the dumps carry them;
#: - prov:qualifiedDerivation and prov:wasInfluencedBy, the harvest's provenance: its
#:   #derivation and #retrieval nodes with the retrieval time, subjects of their own;
#: - schema:url, which repeats the page of prov:wasDerivedFrom: a column gives one triple, and
#:   a virtual column would state it for practices without a page too (its template, empty,
#:   would resolve to the CSV's own URL).
#: The figures read from those texts (nua:figure) are nodes of their own (value, unit,
#: period, quote and position), several per practice: rows of practice-figures.csv, which
#: state each figure node's triples (_figure_triples) too.
CORE = {
    RDF + "type", DCTERMS + "identifier", DCTERMS + "title", DCTERMS + "issued",
    DCTERMS + "spatial", NUA + "theme", NUA + "indicator", DCTERMS + "isPartOf",
    DCTERMS + "source", PROV + "wasDerivedFrom", NUA + "figure",
}  # fmt: skip
#: What the dumps state of a practice and the tables do not (see CORE).
NOT_IN_THE_TABLES = {
    DCTERMS + "abstract", DCTERMS + "description", PROV + "qualifiedDerivation",
    PROV + "wasInfluencedBy", SCHEMA + "url",
}  # fmt: skip
#: The page and retrieval time of the harvested copy of the Pekalongan example.
HARVESTED_PAGE = "https://nuf.example.id/praktik/pekalongan?tema=10&indikator=47"
#: Sources added to the Surabaya example: a query and fragment, a percent-encoded space.
EXTRA_SOURCES = (
    "https://www.surabaya.go.id/berita?id=5&hal=2#bagian-1",
    "https://www.surabaya.go.id/data/Laporan%20Tahunan.pdf",
)


@pytest.fixture(scope="module")
def out(published_examples: tuple[Path, PublishResult]) -> Path:
    return published_examples[0]


@pytest.fixture(scope="module")
def dump(out: Path) -> Graph:
    """Return the Turtle dump."""
    return Graph().parse(out / "nualod.ttl", format="turtle")


def _core_triples(dump: Graph) -> Graph:
    practices = set(dump.subjects(URIRef(RDF + "type"), URIRef(NUA + "GoodPractice")))
    core = Graph()
    for s, p, o in dump:
        if s in practices:
            assert str(p) in CORE | NOT_IN_THE_TABLES, p  # a new property: core or not?
            if str(p) in CORE:
                core.add((s, p, o))
    return core


def _figure_triples(dump: Graph) -> Graph:
    """Return the triples of the practices' figure nodes (the figure, its text segment and
    selectors: IRIs under the practice's, #figure-...)."""
    figures = Graph()
    for s, p, o in dump:
        if "#figure-" in str(s):
            figures.add((s, p, o))
    return figures


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Publish the examples with one page harvested (a sidecar gives its URL and retrieval
    time) and more sources on another, so that every column of the tables has values."""
    pages = tmp_path_factory.mktemp("harvested-pages")
    for page in (ROOT / "examples" / "pages").iterdir():
        shutil.copy(page, pages / page.name)
    surabaya = pages / "surabaya-tema03-indikator19.txt"
    text = surabaya.read_text(encoding="utf-8")
    line = "Sumber: https://www.surabaya.go.id/"
    assert line in text
    surabaya.write_text(text.replace(line, " ".join((line, *EXTRA_SOURCES))), encoding="utf-8")
    pekalongan = pages / "pekalongan-tema10-indikator47.txt"
    content = pekalongan.read_bytes()
    sidecar = PageMetadata(
        url=HARVESTED_PAGE,
        final_url=HARVESTED_PAGE,
        retrieved_at=dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC),
        status=200,
        etag=None,
        last_modified=None,
        content_type="text/plain; charset=utf-8",
        sha256=hashlib.sha256(content).hexdigest(),
        bytes=len(content),
    )
    sidecar_path(pekalongan).write_text(sidecar.to_json(), encoding="utf-8")
    out = tmp_path_factory.mktemp("harvested-out")
    result = publish([pages], out)
    assert len(result.published) == 4 and not result.rejected
    return out


def test_csv2rdf_derives_exactly_the_practices_core_triples(harvested: Path) -> None:
    dump = Graph().parse(harvested / "nualod.ttl", format="turtle")
    processor = CSVW(str(harvested / "practices.csv-metadata.json"), validate=True)
    assert processor.is_valid, processor.warnings  # datatypes, primary and foreign keys
    produced = csv2rdf(processor)  # standard mode
    core = _core_triples(dump)
    # Every kind of core triple is there to compare: a harvested page, several sources.
    assert {str(p) for p in core.predicates()} == CORE
    assert (None, URIRef(PROV + "wasDerivedFrom"), URIRef(HARVESTED_PAGE)) in core
    for source in EXTRA_SOURCES:
        assert (None, URIRef(DCTERMS + "source"), URIRef(source)) in core
    # And every kind of figure triple: a count (unitText), a period, text on both sides.
    figures = _figure_triples(dump)
    assert {str(p) for p in figures.predicates()} >= {
        SCHEMA + "value", SCHEMA + "unitCode", SCHEMA + "unitText", NUA + "period",
        "http://www.w3.org/ns/oa#prefix", "http://www.w3.org/ns/oa#start", NUA + "field",
    }  # fmt: skip
    expected = core + figures
    # Minimal mode's triples (standard mode's but the group, tables and rows): the core and
    # the figures' triples.
    found = described(produced)
    assert isomorphic(found, expected), sorted(set(found) ^ set(expected))
    # The structure standard mode adds: one row node per CSV row, describing its practice.
    csvw = Namespace(CSVW_NS)
    tables = {
        str(produced.value(table, csvw.url)).rsplit("/", 1)[1]: table
        for table in produced.subjects(URIRef(RDF + "type"), csvw.Table)
    }
    assert set(tables) == {"practices.csv", "practice-sources.csv", "practice-figures.csv"}
    practices = set(core.subjects(URIRef(RDF + "type"), None))
    rows = list(produced.objects(tables["practices.csv"], csvw.row))
    assert {produced.value(row, csvw.describes) for row in rows} == practices
    source_rows = list(produced.objects(tables["practice-sources.csv"], csvw.row))
    assert len(source_rows) == len(set(core.triples((None, URIRef(DCTERMS + "source"), None))))
    assert all(produced.value(row, csvw.describes) in practices for row in source_rows)
    figure_rows = list(produced.objects(tables["practice-figures.csv"], csvw.row))
    figure_nodes = set(figures.subjects(URIRef(RDF + "type"), URIRef(NUA + "Figure")))
    # A figure row describes its figure and its practice, text segment and selectors.
    described_by_rows = {
        node for row in figure_rows for node in produced.objects(row, csvw.describes)
    }
    assert figure_nodes <= described_by_rows and len(figure_rows) == len(figure_nodes)


def test_csvw_checks_that_each_source_names_a_published_practice(
    harvested: Path, tmp_path: Path
) -> None:
    for name in (
        "practices.csv",
        "practice-sources.csv",
        "practice-figures.csv",
        "practices.csv-metadata.json",
    ):
        shutil.copy(harvested / name, tmp_path / name)
    with (tmp_path / "practice-sources.csv").open("a", encoding="utf-8", newline="") as stream:
        stream.write("https://w3id.org/nualod/id/practice/none,https://example.org/\r\n")
    processor = CSVW(str(tmp_path / "practices.csv-metadata.json"), validate=True)
    with pytest.raises(ValueError, match=r"practice/none` not found in table practices\.csv"):
        processor.is_valid  # noqa: B018 - the check is the property's


def test_every_csv_column_is_for_csv2rdf_or_suppressed(out: Path) -> None:
    """No column gives a triple by accident: a column without propertyUrl would give one of a
    made-up property (the CSV's URL with the column's name), so each has one or is
    suppressed; the cells people read are suppressed, the sources cell of practices.csv
    included (its IRIs come from practice-sources.csv)."""
    metadata = json.loads((out / "practices.csv-metadata.json").read_text(encoding="utf-8"))
    for table in metadata["tables"]:
        for column in table["tableSchema"]["columns"]:
            assert column.get("suppressOutput") or "propertyUrl" in column, column["name"]
    columns = {c["name"]: c for c in metadata["tables"][0]["tableSchema"]["columns"]}
    assert columns["sources"]["suppressOutput"] is True


def _titles(column: dict[str, Any]) -> list[str]:
    """Return a column's titles: a string, an array or a language map (of either)."""
    titles = column.get("titles", [])
    values = list(titles.values()) if isinstance(titles, dict) else [titles]
    return [t for value in values for t in ([value] if isinstance(value, str) else value)]


def test_each_csv_header_matches_its_columns_names_and_titles(out: Path) -> None:
    """CSVW (tabular-metadata 5.5.1, tabular-data-model 6.1): a header cell must equal, case
    for case, its column's titles or name, else a validator must raise an error (W3C test
    manifest-validation#test147); the ``csvw`` package does not check it."""
    metadata = json.loads((out / "practices.csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["dialect"]["header"] is True
    for table in metadata["tables"]:
        raw = (out / table["url"]).read_bytes().decode("utf-8").removeprefix("\ufeff")
        header = next(csv.reader(io.StringIO(raw, newline="")))
        columns = [c for c in table["tableSchema"]["columns"] if not c.get("virtual")]
        assert [c["name"] for c in columns] == header, table["url"]
        for cell, column in zip(header, columns, strict=True):
            assert _titles(column) in ([], [cell]), (table["url"], cell, column.get("titles"))
            assert column["dc:title"] and column["dc:description"]  # what people read


def test_the_csvw_dialect_reads_each_cell_as_written(out: Path) -> None:
    """The dialect, with CSVW's defaults for what it leaves out (tabular-metadata 5.9),
    reads every cell as written: the figures' prefix and suffix keep their edge spaces, which
    oa:prefix and oa:suffix hold. The ``csvw`` package's one default unlike CSVW's is trim
    (false, CSVW's is true), so the test gives it CSVW's."""
    metadata = json.loads((out / "practices.csv-metadata.json").read_text(encoding="utf-8"))
    dialect = Dialect(**{"trim": True, **metadata["dialect"]})
    spaced = 0
    for table in metadata["tables"]:
        raw = (out / table["url"]).read_bytes().decode("utf-8").removeprefix("\ufeff")
        written = list(csv.reader(io.StringIO(raw, newline="")))
        with UnicodeReader(out / table["url"], dialect=dialect) as reader:
            assert list(reader) == written, table["url"]
        spaced += sum(cell != cell.strip() for row in written for cell in row)
    assert spaced  # there are edge spaces to keep


def _spreadsheet_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # the BOM spreadsheet programs read UTF-8 by
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_the_csv_opens_cleanly_in_a_spreadsheet(out: Path) -> None:
    rows = _spreadsheet_rows(out / "practices.csv")
    assert len(rows) == 4
    pekalongan = next(row for row in rows if row["indicator"] == "47")
    assert pekalongan["city"] == "Kota Pekalongan"
    assert pekalongan["city_code"] == "33.75" and pekalongan["province"] == "Jawa Tengah"
    assert pekalongan["wikidata"] == "Q11026" and pekalongan["geonames"] == "1631766"
    assert (pekalongan["latitude"], pekalongan["longitude"]) == ("-6.888333333", "109.675277777")
    assert pekalongan["sdg"] == "4.3 4.4 4.3.1"
    assert pekalongan["unesco"] == "concept9927 concept1829"
    assert pekalongan["indicator_name"] == (
        "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"
    )
    sources = _spreadsheet_rows(out / "practice-sources.csv")
    assert [row["source"] for row in sources if row["practice"] == pekalongan["iri"]] == [
        pekalongan["sources"]
    ]
    assert [(row["practice"], row["source"]) for row in sources] == [
        (row["iri"], source) for row in rows for source in row["sources"].split(" ")
    ]
    figures = _spreadsheet_rows(out / "practice-figures.csv")
    pekalongan_figures = [row for row in figures if row["practice"] == pekalongan["iri"]]
    assert {"exact": "US$21,54 juta", "value": "21540000", "period": "2020-01/2020-07"}.items() <= (
        next(row for row in pekalongan_figures if row["exact"] == "US$21,54 juta").items()
    )
    assert {row["practice"] for row in figures} <= {row["iri"] for row in rows}
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    practices, practice_sources, practice_figures = package["resources"]
    # Data Resource: an IANA preferred name (readers skip the BOM of UTF-8 as frictionless does).
    assert [resource["encoding"] for resource in package["resources"]] == ["utf-8"] * 3
    assert [f["name"] for f in practice_figures["schema"]["fields"]] == list(figures[0])
    assert [f["name"] for f in practices["schema"]["fields"]] == list(rows[0])
    assert [f["name"] for f in practice_sources["schema"]["fields"]] == list(sources[0])
    assert practice_sources["schema"]["foreignKeys"] == [
        {"fields": ["practice"], "reference": {"resource": "practices", "fields": ["iri"]}}
    ]
    # Typed as their CSVW datatypes, so a reader converts the cells (data review: strings).
    types = {f["name"]: f["type"] for f in practices["schema"]["fields"]}
    assert (types["latitude"], types["longitude"], types["date"], types["title"]) == (
        "number",
        "number",
        "date",
        "string",
    )
    figure_types = {f["name"]: f["type"] for f in practice_figures["schema"]["fields"]}
    assert (figure_types["value"], figure_types["start"], figure_types["end"]) == (
        "number",
        "integer",
        "integer",
    )
    for row in rows:
        float(row["latitude"]), float(row["longitude"])
    for row in figures:
        float(row["value"]), int(row["start"]), int(row["end"])


def _pyld_graph(path: Path) -> Graph:
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network_loader}
    )
    return Graph().parse(data=nquads, format="nt")


def test_pyld_reads_from_practices_json_only_triples_of_the_dumps(out: Path, dump: Graph) -> None:
    found = _pyld_graph(out / "practices.json")
    assert set(found) <= set(dump)
    # The CSV's core but dcterms:isPartOf the dataset, which practices.json has no key for,
    # and every triple of the figures.
    core = {t for t in _core_triples(dump) if t[1] != URIRef(DCTERMS + "isPartOf")}
    assert core <= set(found)
    figures = set(_figure_triples(dump))
    assert figures and figures <= set(found)
    assert (
        URIRef("https://w3id.org/nualod/id/region/33.75"),
        URIRef("https://schema.org/name"),
        Literal("Kota Pekalongan", lang="id"),
    ) in found


def test_practices_json_gives_the_texts_its_figures_stand_in(out: Path, dump: Graph) -> None:
    """A web developer finds a figure's words in its practice's own object: its field names
    the key of the text, and its start and end count code points in it (data review: the
    texts were only in the dumps)."""
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    found = 0
    for practice in document["practices"]:
        for key, predicate in (
            ("abstract", DCTERMS + "abstract"),
            ("description", DCTERMS + "description"),
        ):
            assert Literal(practice[key], lang="id") == dump.value(
                URIRef(practice["id"]), URIRef(predicate)
            )
        for figure in practice["figures"]:
            stated = figure["statedIn"]
            text = practice[stated["field"]]
            start, end = stated["position"]["start"], stated["position"]["end"]
            assert text[start:end] == stated["quote"]["exact"]
            found += 1
    assert found > 0


def test_a_text_the_page_does_not_have_is_null_in_practices_json(tmp_path: Path) -> None:
    """A practice without a Deskripsi (a spreadsheet's empty cell) has "description": null,
    which its schema allows and a JSON-LD reader takes as no triple; "" read as the triple
    dcterms:description ""@id, which no dump holds (cross-format review)."""
    table = tmp_path / "practices.csv"
    table.write_text(
        "theme,indicator,indicator_name,city,tagline,summary,description,sources,date\n"
        "01,1,Proporsi Penduduk Miskin,Kabupaten Jayapura,Bumi Cenderawasih,"
        "20 persen warga terlayani.,,"
        "https://jayapurakab.go.id/,2025-11-30\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    publish([table], out)
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    [practice] = document["practices"]
    assert practice["description"] is None
    assert practice["abstract"] == "20 persen warga terlayani."
    schema = json.loads((out / "practices.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    found = _pyld_graph(out / "practices.json")
    assert not list(found.triples((None, URIRef(DCTERMS + "description"), None)))
    assert list(found.triples((None, URIRef(DCTERMS + "abstract"), None)))


def test_the_tables_list_a_practices_figures_in_the_order_its_texts_state_them(
    tmp_path: Path,
) -> None:
    """A figure past code point 1,000 comes after one at 20, as on the practice's page; the
    dumps' order sorts their IRIs as text ("figure-description-1063" before "-20")."""
    filler = "Kegiatan ini berjalan dengan baik dan didukung oleh warga setempat. " * 15
    description = f"Program ini melatih 40 kader posyandu. {filler}Ada 12 unit bengkel."
    table = tmp_path / "practices.csv"
    table.write_text(
        "theme,indicator,indicator_name,city,tagline,summary,description,sources,date\n"
        "01,1,Proporsi Penduduk Miskin,Kabupaten Jayapura,Bumi Cenderawasih,"
        f"Ringkasan.,{description},https://jayapurakab.go.id/,2025-11-30\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    publish([table], out)
    [practice] = json.loads((out / "practices.json").read_text(encoding="utf-8"))["practices"]
    starts = [f["statedIn"]["position"]["start"] for f in practice["figures"]]
    assert len(starts) == 2 and starts[0] < 1000 < starts[1]
    with (out / "practice-figures.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [int(row["start"]) for row in csv.DictReader(f)] == starts


def test_practices_json_validates_against_its_schema(out: Path) -> None:
    schema = json.loads((out / "practices.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert errors == []
    document["practices"][0]["city"]["kind"] = "desa"
    assert [e.message for e in Draft202012Validator(schema).iter_errors(document)] == [
        "'desa' is not one of ['kota', 'kabupaten']"
    ]


def test_a_concept_aligned_with_theme_and_indicator_is_listed_via_each(out: Path) -> None:
    """Review: Surabaya's practice listed concept443 twice, narrowMatch and relatedMatch, and
    nothing said that its theme (03) gave the one and its indicator (19) the other."""
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    (practice,) = [p for p in document["practices"] if p["indicator"]["number"] == 19]
    assert [(s["code"], s["match"], s["via"]) for s in practice["sdg"]] == [
        ("11.7", "narrowMatch", "theme"),
        ("11.6", "relatedMatch", "theme"),
        ("3.9", "relatedMatch", "theme"),
        ("11.7.1", "closeMatch", "indicator"),
    ]
    assert [(u["code"], u["match"], u["via"]) for u in practice["unesco"]] == [
        ("concept443", "narrowMatch", "theme"),
        ("concept1946", "relatedMatch", "theme"),
        ("concept8424", "relatedMatch", "theme"),
        ("concept443", "relatedMatch", "indicator"),
    ]


def test_a_concept_is_linked_once_through_each_theme_or_indicator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the mapping set to align a theme with a concept twice, the practice would still
    list the concept once through it: the first alignment's."""
    theme = "https://w3id.org/nualod/code/theme/03"
    (first,) = [a for a in load_alignments() if a.subject == theme and "443" in a.object]
    twice = (first, dataclasses.replace(first, property="skos:relatedMatch"))
    monkeypatch.setattr(nualod.write.rows, "load_alignments", lambda: twice)
    sdg, unesco = aligned.__wrapped__(theme)
    assert (sdg, [(u.code, u.match) for u in unesco]) == ((), [("concept443", "narrowMatch")])
    assert unesco[0].via == "theme"


def _properties(schema: dict[str, Any], at: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Return every property a schema's objects name, nested ones too, by path
    (``practices[].city.province.code``)."""
    found = []
    for name, sub in schema.get("properties", {}).items():
        found.append((at + name, sub))
        found += _properties(sub, f"{at}{name}.")
        if "items" in sub:
            found += _properties(sub["items"], f"{at}{name}[].")
        for choice in sub.get("oneOf", []):
            found += _properties(choice, f"{at}{name}.")
    return found


def test_the_schema_describes_every_property(out: Path) -> None:
    """Review: 53 of the 67 properties had no description (id, title, city.*, sdg[].*...)."""
    schema = json.loads((out / "practices.schema.json").read_text(encoding="utf-8"))
    properties = _properties(schema)
    assert [path for path, sub in properties if not sub.get("description")] == []
    assert len(properties) == 71


#: The keys of practices.json that hold what a column of practices.csv or
#: practice-figures.csv holds, and the column.
SAME_AS_COLUMN = {
    "identifier": "identifier", "title": "title", "date": "date",
    "theme.name": "theme_name", "indicator.name": "indicator_name",
    "city.code": "city_code", "city.name": "city", "city.kind": "city_kind",
    "city.province.code": "province_code", "city.province.name": "province",
    "city.wikidata": "wikidata", "city.geonames": "geonames",
    "figures[].id": "figure", "figures[].value": "value", "figures[].unit": "unit",
    "figures[].counted": "unit_text", "figures[].period": "period", "figures[].per": "per",
    "figures[].qualifier": "qualifier",
    "figures[].statedIn.field": "field", "figures[].statedIn.quote.exact": "exact",
    "figures[].statedIn.quote.prefix": "prefix", "figures[].statedIn.quote.suffix": "suffix",
    "figures[].statedIn.position.start": "start", "figures[].statedIn.position.end": "end",
}  # fmt: skip


def test_a_key_that_holds_a_column_is_described_as_the_csvw_metadata_describes_it(
    out: Path,
) -> None:
    schema = json.loads((out / "practices.schema.json").read_text(encoding="utf-8"))
    described = {path: sub.get("description") for path, sub in _properties(schema)}
    metadata = json.loads((out / "practices.csv-metadata.json").read_text(encoding="utf-8"))
    columns = {
        column["name"]: column.get("dc:description")
        for table in metadata["tables"]
        if table["url"] != "practice-sources.csv"
        for column in table["tableSchema"]["columns"]
    }
    assert {key: described[f"practices[].{key}"] for key in SAME_AS_COLUMN} == {
        key: columns[column] for key, column in SAME_AS_COLUMN.items()
    }


@pytest.fixture(scope="module")
def ajv() -> str:
    """Return node, with ajv and ajv-formats installed in tests/js from its lock file."""
    return node_packages("ajv-formats")


def _ajv(node: str, schema: Path, document: Path) -> list[str]:
    """Return what ajv (Ajv2020, strict, with ajv-formats) says of a document: ["valid"] or
    its first error (ajv's default), as "instancePath message"."""
    return _node(node, str(JS / "validate_schema.mjs"), str(schema), str(document)).splitlines()


#: A source and a page URL with characters outside ASCII, as a page or table may give them
#: (the readers accept any http(s) IRI, and the dumps keep it as written).
NON_ASCII_SOURCE = "https://www.surabaya.go.id/berita/taman-bungkul\u2013ruang-terbuka-hijau"
NON_ASCII_PAGE = "https://nuf.example.id/praktik/surabaya-taman-k\u00f6ta"


def test_ajv_in_strict_mode_validates_practices_json_against_its_schema(
    ajv: str, out: Path, harvested: Path, tmp_path: Path
) -> None:
    """What a web developer runs: ajv's Ajv2020 with its defaults and ajv-formats (review:
    the schema's "format": "iri", which ajv-formats lacks, stopped strict mode compiling it)."""
    schema = out / "practices.schema.json"
    for folder in (out, harvested):
        assert _ajv(ajv, folder / "practices.schema.json", folder / "practices.json") == ["valid"]
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    practice = document["practices"][0]
    # A URL as the readers take it, outside ASCII: no format was claimed of it.
    practice["sources"] = [check_url(NON_ASCII_SOURCE, where="test")]
    practice["page"] = check_url(NON_ASCII_PAGE, where="test", field="page_url")
    changed = tmp_path / "practices.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    assert _ajv(ajv, schema, changed) == ["valid"]
    # The formats are checked where they are claimed.
    for key, value, error in (
        ("id", "praktik baik", '/practices/0/id must match format "uri"'),
        ("date", "2025-02-31", '/practices/0/date must match format "date"'),
    ):
        wrong = {**practice, key: value}
        changed.write_text(json.dumps({**document, "practices": [wrong]}), encoding="utf-8")
        assert _ajv(ajv, schema, changed) == [error]


def test_under_a_base_iri_outside_ascii_the_minted_iris_are_no_uris(
    ajv: str, out: Path, tmp_path: Path
) -> None:
    """A base IRI may hold characters outside ASCII (--base takes an IRI): the practices.json
    published under it validates against the schema published with it, not against the
    default's, whose minted IRIs are URIs."""
    base = "https://data.contoh.id/praktik-baik-\u00fc/"
    other = tmp_path / "out"
    publish([ROOT / "examples" / "pages"], other, base=base)
    document = other / "practices.json"
    assert json.loads(document.read_text(encoding="utf-8"))["practices"][0]["id"].startswith(base)
    assert _ajv(ajv, other / "practices.schema.json", document) == ["valid"]
    assert _ajv(ajv, out / "practices.schema.json", document) == [
        '/practices/0/id must match format "uri"'
    ]


def test_practices_geojson_is_rfc7946_with_a_point_in_indonesia_per_practice(out: Path) -> None:
    collection = geojson.loads((out / "practices.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 4
    west, south, east, north = INDONESIA_BOX
    for feature in collection["features"]:
        assert feature.is_valid
        longitude, latitude = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert west <= longitude <= east and south <= latitude <= north
        assert "crs" not in feature  # RFC 7946: WGS 84 only, no crs member


#: The GeoJSON properties that may be unknown, and where practices.json gives them.
NULLABLE_PROPERTIES = {
    "theme_name": ("theme", "name"),
    "indicator_name": ("indicator", "name"),
    "province_code": ("city", "province", "code"),
    "province": ("city", "province", "name"),
    "wikidata": ("city", "wikidata"),
    "geonames": ("city", "geonames"),
    "page_url": ("page",),
}


def test_practices_geojson_gives_null_where_practices_json_does(out: Path, harvested: Path) -> None:
    """Review: an unknown value (page_url, theme_name, geonames) was "" in the GeoJSON, null
    in practices.json."""
    nulls = []
    for folder in (out, harvested):
        document = json.loads((folder / "practices.json").read_text(encoding="utf-8"))
        collection = json.loads((folder / "practices.geojson").read_text(encoding="utf-8"))
        for practice, feature in zip(document["practices"], collection["features"], strict=True):
            for name, keys in NULLABLE_PROPERTIES.items():
                value = practice
                for key in keys:
                    value = value[key]
                assert feature["properties"][name] == value
            properties = feature["properties"]
            nulls.append(sorted(name for name, value in properties.items() if value is None))
    assert nulls == [
        ["page_url", "theme_name"], ["page_url"], ["page_url", "theme_name"], ["page_url"],
        ["page_url", "theme_name"], ["page_url"], ["theme_name"], ["page_url"],
    ]  # fmt: skip


def test_a_practice_in_a_place_without_a_point_has_a_null_geometry() -> None:
    """RFC 7946 §3.2: a feature without a location has "geometry": null; 50 of the 514 kota
    and kabupaten have no trustworthy point in the reference data, and 22 no GeoNames id."""
    regions = load_regions()
    places = [region for region in regions.values() if region.kind != "provinsi"]
    features = []
    for region in places:
        province = regions[region.province_code] if region.province_code else None
        row = PracticeRow("https://x.org/p", "p", region.name, "2025-12-18", "10", "", "47",
                          "", region, province, (), (), ("https://a.example/",), "")  # fmt: skip
        features.append(geojson.loads(feature_line(row)))
    assert len(features) == 514 and all(feature.is_valid for feature in features)
    assert sum(feature["geometry"] is None for feature in features) == 50
    assert sum(feature["properties"]["geonames"] is None for feature in features) == 22


def test_every_new_file_is_a_distribution_with_size_and_checksum(out: Path) -> None:
    catalog = Graph().parse(out / "catalog.ttl", format="turtle")
    download = URIRef("http://www.w3.org/ns/dcat#downloadURL")
    size = URIRef("http://www.w3.org/ns/dcat#byteSize")
    media = URIRef("http://www.w3.org/ns/dcat#mediaType")
    for dump_format in TABLE_FORMATS:
        measured = measure_dump(out / dump_format.file_name)
        (distribution,) = [
            d
            for d, url in catalog.subject_objects(download)
            if str(url).endswith("/" + measured.name)
        ]
        assert int(catalog.value(distribution, size)) == measured.byte_size
        assert str(catalog.value(distribution, media)).endswith("/" + dump_format.media_type)
        assert measured.sha256 in {str(o) for o in catalog.objects()}
    void = (out / "void.ttl").read_text(encoding="utf-8")
    assert "practices.csv" not in void  # VoID's data dumps are RDF only


@pytest.fixture(scope="module")
def node() -> str:
    """Return node, with jsonld.js installed in tests/js from its lock file when missing."""
    return node_packages("jsonld")


def _node(node: str, *args: str) -> str:
    done = subprocess.run([node, *args], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("name", ["nualod.jsonld", "practices.json"])
def test_jsonld_js_and_pyld_expand_to_the_same_triples(
    name: str, node: str, out: Path, dump: Graph
) -> None:
    safe = ["--safe"] if name == "nualod.jsonld" else []
    nquads = _node(node, str(JS / "to_rdf.mjs"), str(out / name), *safe)
    by_js = Graph().parse(data=nquads, format="nt")
    assert isomorphic(by_js, _pyld_graph(out / name))
    if name == "nualod.jsonld":
        assert isomorphic(by_js, dump)
    else:
        assert set(by_js) <= set(dump)


#: The keys of practices.json its context maps to nothing: the README names them and says why
#: JSON-LD processors must read it with safe mode off (jsonld.js canonize() refuses it).
UNMAPPED_KEYS = (
    "$schema", "geonames", "kind", "latitude", "license", "longitude", "number", "sdg", "unesco",
    "wikidata",
)  # fmt: skip


def test_practices_json_drops_only_the_keys_the_readme_names(node: str, out: Path) -> None:
    found = _node(node, str(JS / "dropped.mjs"), str(out / "practices.json")).splitlines()
    assert found == [*UNMAPPED_KEYS, "canonize: Safe mode validation error. $schema"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The practices as JSON") :]
    section = section[: section.index("\n### ")]
    assert "`{safe: false}`" in section
    assert [key for key in UNMAPPED_KEYS if f"`{key}`" not in section] == []


def test_a_web_developer_reads_the_city_name_from_practices_json(node: str, out: Path) -> None:
    assert _node(node, str(JS / "city_name.mjs"), str(out / "practices.json")) == (
        "Kota Pekalongan\n"
    )


def test_the_tables_hold_the_published_practices_in_order_whatever_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers or not, and with a practice refused in the middle of a batch (its copy), the
    table files list exactly the published practices, in the dumps' order, byte for byte."""
    monkeypatch.setattr(nualod.run.pipeline, "JOB_SIZE", 7)
    corpus = tmp_path / "corpus"
    write_pages(corpus, 40)
    pages = sorted(corpus.rglob("*.txt"))
    copy = pages[3].with_name(pages[3].stem + "-copy.txt")
    copy.write_bytes(pages[3].read_bytes())  # sorted right after it: refused mid-batch
    one = publish([corpus], tmp_path / "one", workers=1)
    two = publish([corpus], tmp_path / "two", workers=2)
    assert len(one.rejected) == 1 and one.published == two.published
    for table in TABLE_FORMATS:
        name = table.file_name
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "one" / "practices.csv").read_text(encoding="utf-8-sig"), newline=""
    )))  # fmt: skip
    assert [row["iri"] for row in rows] == list(one.published)
    sources = _spreadsheet_rows(tmp_path / "one" / "practice-sources.csv")
    assert list(dict.fromkeys(row["practice"] for row in sources)) == list(one.published)
    document = json.loads((tmp_path / "one" / "practices.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in document["practices"]] == list(one.published)
    features = json.loads((tmp_path / "one" / "practices.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in features["features"]] == list(one.published)


def test_the_json_and_geojson_files_carry_their_licence(out: Path) -> None:
    """A web developer who downloads practices.json or the GeoJSON alone was not told under
    which terms (only the catalog, the Data Package and the CSVW metadata said so)."""
    catalog = Graph().parse(out / "catalog.ttl")
    licences = {str(o) for o in catalog.objects(None, URIRef(DCTERMS + "license"))}
    practices = json.loads((out / "practices.json").read_bytes())
    geojson = json.loads((out / "practices.geojson").read_bytes())
    assert practices["license"] == geojson["license"] == LICENSE
    assert LICENSE in licences
