"""The formats beside the dumps, read by the tools their users have.

CSV on the Web (the ``csvw`` package), JSON-LD processors (pyld and jsonld.js under node),
JSON Schema (``jsonschema``), GeoJSON (the ``geojson`` package, RFC 7946); every file is a
distribution of the catalog. SSSOM is read by sssom-py in tests/test_sssom.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import geojson
import pytest
from csvw import CSVW
from jsonschema import Draft202012Validator
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import nualod.run.pipeline
from bench.generate import write_pages
from nualod.describe.catalog import no_network_loader
from nualod.model.namespaces import DCTERMS, NUA, PROV, RDF, XSD
from nualod.run.publish import PublishResult, publish
from nualod.write.formats import TABLE_FORMATS, measure_dump

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
#: Indonesia's extent (Natural Earth, rounded outwards): west, south, east, north.
INDONESIA_BOX = (94.9, -11.1, 141.1, 6.1)
#: What the CSV states of a practice: every triple of the practice but its long texts,
#: its provenance nodes and schema:url (which repeats the page, prov:wasDerivedFrom).
CORE = {
    RDF + "type", DCTERMS + "identifier", DCTERMS + "title", DCTERMS + "issued",
    DCTERMS + "spatial", NUA + "theme", NUA + "indicator", DCTERMS + "source",
    PROV + "wasDerivedFrom",
}  # fmt: skip
#: The prefixes of CSVW's initial context that the csvw package writes keys with.
CSVW_PREFIXES = {"dc": DCTERMS, "rdf": RDF}


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
        if s in practices and str(p) in CORE:
            core.add((s, p, o))
    return core


def test_csvw_processor_derives_the_practices_core_triples(out: Path, dump: Graph) -> None:
    metadata = json.loads((out / "practices.csv-metadata.json").read_text(encoding="utf-8"))
    columns = {c.get("propertyUrl"): c for c in metadata["tableSchema"]["columns"]}
    table = CSVW(str(out / "practices.csv-metadata.json"), validate=True)
    assert table.is_valid
    found = Graph()
    # csvw gives each row's values as JSON (csv2json, minimal mode); the metadata says what
    # they are in RDF: an IRI where the column has a valueUrl or is anyURI, else a literal
    # with the column's language or datatype, which is what csv2rdf makes of them.
    for row in table.to_json(minimal=True):
        subject = URIRef(row.pop("@id"))
        for key, values in row.items():
            prefix, _, local = str(key).partition(":")
            prop = CSVW_PREFIXES[prefix] + local if prefix in CSVW_PREFIXES else str(key)
            column = columns[prop]
            for item in values if isinstance(values, list) else [values]:
                value = item.unsplit() if hasattr(item, "unsplit") else str(item)  # anyURI
                if "valueUrl" in column or column.get("datatype") == "anyURI":
                    found.add((subject, URIRef(prop), URIRef(value)))
                elif "lang" in column:
                    found.add((subject, URIRef(prop), Literal(value, lang=column["lang"])))
                elif column.get("datatype") == "date":
                    found.add(
                        (subject, URIRef(prop), Literal(value, datatype=URIRef(XSD + "date")))
                    )
                else:
                    found.add((subject, URIRef(prop), Literal(value)))
    assert len(found) > 30
    assert isomorphic(found, _core_triples(dump))


def test_the_csv_opens_cleanly_in_a_spreadsheet(out: Path) -> None:
    raw = (out / "practices.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # the BOM spreadsheet programs read UTF-8 by
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
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
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == list(rows[0])


def _pyld_graph(path: Path) -> Graph:
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network_loader}
    )
    return Graph().parse(data=nquads, format="nt")


def test_pyld_reads_from_practices_json_only_triples_of_the_dumps(out: Path, dump: Graph) -> None:
    found = _pyld_graph(out / "practices.json")
    assert set(found) <= set(dump)
    core = _core_triples(dump)
    assert set(core) <= set(found)
    assert (
        URIRef("https://w3id.org/nualod/id/region/33.75"),
        URIRef("https://schema.org/name"),
        Literal("Kota Pekalongan", lang="id"),
    ) in found


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
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not installed (.ci/run installs it)")
    if not (JS / "node_modules" / "jsonld").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(JS)], check=True, timeout=600
        )
    return found


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
    document = json.loads((tmp_path / "one" / "practices.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in document["practices"]] == list(one.published)
    features = json.loads((tmp_path / "one" / "practices.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in features["features"]] == list(one.published)
