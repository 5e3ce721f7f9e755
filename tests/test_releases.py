"""Versioned releases: three releases from pages this test writes (issue 19).

Release 1 publishes A (with a page URL), B (with a page URL) and C (a file with no sidecar).
Release 2 corrects A's title and a cut-off source URL, removes B, corrects C's title, adds D.
Release 3 adds B again, the same, and removes D.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from system_tools import JS, node_packages
from test_portals import _run, portal_python  # noqa: F401 - the portal venv fixture

from nualod.cli import OPTIONS, main
from nualod.errors import command_line_text
from nualod.model.namespaces import PREFIXES
from nualod.model.resources import resource, resource_json
from nualod.releases.feed import release_moments, rewritten_page
from nualod.releases.history import LIVE, REMOVED, IndexEntry
from nualod.releases.provenance import generation_group, generation_pairs, generation_triples
from nualod.run.publish import publish
from nualod.write.dumps import render_plain, turtle_writer

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
PRACTICE = "https://w3id.org/nualod/id/practice/"
SERIES = "https://w3id.org/nualod/id/dataset/nuf-good-practices"
INDICATOR_47 = "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"


def page(theme: int, indicator: int, name: str, tagline: str, source: str) -> str:
    return (
        f"{theme:02d}. Praktik baik indikator {indicator}\n"
        f"Praktik baik tema {theme:02d} indikator {indicator} {name}\n"
        f"Kota Surakarta, {tagline}\n"
        "Ringkasan:\nPelatihan keterampilan bagi warga.\n"
        "Deskripsi:\nPelatihan keterampilan bagi warga kota.\n"
        f"Sumber: {source}\n"
        "Senin, 15 Desember 2025\n"
    )


A1 = page(10, 47, INDICATOR_47, "Kota Budaya", "https://surakarta.go.id/berita/seni-kr")
A2 = page(10, 47, INDICATOR_47, "Kota Budaya Jawa", "https://surakarta.go.id/berita/seni-kriya")
B = page(3, 19, "Taman kota", "Kota Taman", "https://surakarta.go.id/taman")
C1 = page(1, 1, "Layanan", "Kota Layanan", "https://surakarta.go.id/layanan")
C2 = page(1, 1, "Layanan", "Kota Layanan Publik", "https://surakarta.go.id/layanan")
D = page(11, 12, "Desain", "Kota Desain", "https://surakarta.go.id/desain")
#: The pages of each release: file name -> (text, the NUF page URL its sidecar gives, if any).
RELEASES: dict[str, dict[str, tuple[str, str | None]]] = {
    "1": {"a.txt": (A1, "https://nuf.example/a"), "b.txt": (B, "https://nuf.example/b"),
          "c.txt": (C1, None)},
    "2": {"a.txt": (A2, "https://nuf.example/a"), "c.txt": (C2, None),
          "d.txt": (D, "https://nuf.example/d")},
    "3": {"a.txt": (A2, "https://nuf.example/a"), "b.txt": (B, "https://nuf.example/b"),
          "c.txt": (C2, None)},
}  # fmt: skip
# The IRIs minted from the title and sources of the first release's pages (and C2, D's).
A = PRACTICE + "10-47-33.72-e73f28699501686e"
B_IRI = PRACTICE + "03-19-33.72-8e11413df388aa38"
C_OLD = PRACTICE + "01-1-33.72-8ae4059ffbee4c8c"
C_NEW = PRACTICE + "01-1-33.72-686204c8854a5ebe"
D_IRI = PRACTICE + "11-12-33.72-bfee09683279c471"


def write_pages(folder: Path, pages: dict[str, tuple[str, str | None]]) -> Path:
    folder.mkdir(parents=True)
    for name, (text, url) in pages.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        if url is not None:
            sidecar = {
                "url": url, "final_url": url, "retrieved_at": "2025-12-16T08:00:00Z",
                "status": 200, "etag": None, "last_modified": None, "content_type": "text/plain",
                "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
            }  # fmt: skip
            (folder / f"{name}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Published:
    out: Path
    pages: dict[str, Path]


def publish_three(root: Path) -> Published:
    out = root / "out"
    pages = {}
    previous: Path | None = None
    for version, contents in RELEASES.items():
        pages[version] = write_pages(root / f"pages-{version}", contents)
        publish([pages[version]], out, version=version, previous=previous)
        previous = out
    return Published(out, pages)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_three(tmp_path_factory.mktemp("three-releases"))


def changelog(three: Published, version: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (three.out / "releases" / version / "changelog.json").read_text(encoding="utf-8")
    )
    return data


def test_the_changelogs_are_exact(three: Published) -> None:
    assert changelog(three, "1") == {
        "from": None, "to": "1",
        "counts": {"added": 3, "changed": 0, "removed": 0, "unchanged": 0},
        "added": [{"iri": C_OLD}, {"iri": B_IRI}, {"iri": A}], "changed": [], "removed": [],
    }  # fmt: skip
    assert changelog(three, "2") == {
        "from": "1", "to": "2",
        "counts": {"added": 2, "changed": 1, "removed": 2, "unchanged": 0},
        "added": [{"iri": C_NEW}, {"iri": D_IRI}],
        "changed": [{"iri": A, "fields": ["dcterms:source", "dcterms:title"]}],
        "removed": [
            {"iri": C_OLD, "replaced_by": C_NEW, "title": "Kota Surakarta, Kota Layanan"},
            {"iri": B_IRI, "replaced_by": None, "title": "Kota Surakarta, Kota Taman"},
        ],
    }  # fmt: skip
    assert changelog(three, "3") == {
        "from": "2", "to": "3",
        "counts": {"added": 1, "changed": 0, "removed": 1, "unchanged": 2},
        "added": [{"iri": B_IRI}], "changed": [],
        "removed": [{"iri": D_IRI, "replaced_by": None, "title": "Kota Surakarta, Kota Desain"}],
    }  # fmt: skip
    assert (three.out / "releases" / "2" / "changelog.md").read_text(encoding="utf-8") == (
        "# Changes from 1 to 2\n\n2 added, 1 changed, 2 removed, 0 unchanged.\n\n"
        f"## Added\n\n- <{C_NEW}>\n- <{D_IRI}>\n\n"
        f"## Changed\n\n- <{A}>: dcterms:source, dcterms:title\n\n"
        f"## Removed\n\n- <{C_OLD}> (Kota Surakarta, Kota Layanan), replaced by <{C_NEW}>\n"
        f"- <{B_IRI}> (Kota Surakarta, Kota Taman)\n"
    )


def test_a_tombstone_keeps_the_title_its_practice_had(three: Published) -> None:
    # Removed in 2 (and replaced), then carried into 3 from 2's tombstone.
    for version in ("2", "3"):
        graph = _graph(three.out, version)
        assert graph.value(URIRef(C_OLD), OWL.deprecated) == rdflib.Literal(True)
        assert list(graph.objects(URIRef(C_OLD), DCT.title)) == [
            rdflib.Literal("Kota Surakarta, Kota Layanan", lang="id")
        ]


def test_changelogs_follow_their_schema(three: Published) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = resource_json("data/changelog.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    for version in RELEASES:
        jsonschema.validate(changelog(three, version), schema)


def _graph(out: Path, version: str) -> Graph:
    return Graph().parse(out / "releases" / version / "nualod.nt")


def test_a_corrected_title_and_source_keep_the_iri_where_the_page_url_holds(
    three: Published,
) -> None:
    graph = _graph(three.out, "2")
    title = graph.value(URIRef(A), DCT.title)
    assert str(title) == "Kota Surakarta, Kota Budaya Jawa"
    assert {str(s) for s in graph.objects(URIRef(A), DCT.source)} == {
        "https://surakarta.go.id/berita/seni-kriya"
    }
    # Published alone, the corrected page mints another IRI: release 2 kept release 1's.
    alone = publish([three.pages["2"] / "a.txt"], three.out.parent / "alone")
    assert alone.published != (A,) and alone.published[0].startswith(PRACTICE + "10-47-33.72-")


def test_removed_practices_leave_tombstones_and_replacements_resolve(three: Published) -> None:
    second, third = _graph(three.out, "2"), _graph(three.out, "3")
    true = rdflib.Literal(True)
    assert (URIRef(C_OLD), OWL.deprecated, true) in second
    assert second.value(URIRef(C_OLD), DCT.isReplacedBy) == URIRef(C_NEW)
    assert (URIRef(B_IRI), OWL.deprecated, true) in second
    assert second.value(URIRef(B_IRI), DCT.isReplacedBy) is None
    assert second.value(URIRef(B_IRI), PROV.wasInvalidatedBy) == URIRef(f"{SERIES}/2#publication")
    # Tombstones stay in later releases; a practice added again is no tombstone any more.
    assert (URIRef(C_OLD), OWL.deprecated, true) in third
    assert (URIRef(D_IRI), OWL.deprecated, true) in third
    assert (URIRef(B_IRI), OWL.deprecated, true) not in third
    assert (URIRef(B_IRI), DCT.title, None) in third
    assert third.value(URIRef(D_IRI), PROV.wasInvalidatedBy) == URIRef(f"{SERIES}/3#publication")


def test_each_release_is_a_version_in_a_series_with_its_own_download_urls(
    three: Published,
) -> None:
    catalog = Graph().parse(three.out / "releases" / "2" / "catalog.ttl")
    dataset = URIRef(f"{SERIES}/2")
    assert (dataset, rdflib.RDF.type, DCAT.Dataset) in catalog
    assert str(catalog.value(dataset, DCAT.version)) == "2"
    assert catalog.value(dataset, DCAT.previousVersion) == URIRef(f"{SERIES}/1")
    assert catalog.value(dataset, DCAT.inSeries) == URIRef(SERIES)
    assert (URIRef(SERIES), rdflib.RDF.type, DCAT.DatasetSeries) in catalog
    assert {(str(n), n.language) for n in catalog.objects(dataset, ADMS.versionNotes)} == {
        ("Since release 1: 2 practices added, 1 changed, 2 removed, 0 unchanged.", "en"),
        ("Sejak rilis 1: 2 praktik ditambahkan, 1 diubah, 2 dihapus, 0 tidak berubah.", "id"),
    }
    urls = {str(url) for url in catalog.objects(None, DCAT.downloadURL)}
    base = "https://w3id.org/nualod/download/releases/2/"
    assert {base + "nualod.ttl", base + "changelog.json", base + "changelog.md"} <= urls
    assert all(url.startswith(base) for url in urls)
    titles = {
        str(catalog.value(node, DCAT.downloadURL)).removeprefix(base): str(title)
        for node in catalog.subjects(rdflib.RDF.type, DCAT.Distribution)
        for title in catalog.objects(node, DCT.title)
        if title.language == "en"  # type: ignore[attr-defined]
    }
    assert titles["feed/index.trig"] == "nualod change feed (Linked Data Event Stream, TriG)"
    assert titles["changelog.json"] == "nualod changelog of this release (JSON)"
    first = Graph().parse(three.out / "releases" / "1" / "catalog.ttl")
    assert first.value(URIRef(f"{SERIES}/1"), DCAT.previousVersion) is None


def test_a_version_is_not_issued_before_the_version_it_follows(three: Published) -> None:
    """DCAT 3: dct:issued is the date of formal issuance. A version was issued on its first
    practice's date, so version 2 was issued (2025-12-15) before version 1 was last modified
    (2025-12-16, its pages' retrieval); the practices' span is dct:temporal."""
    dates: dict[str, tuple[dt.date, dt.date]] = {}
    for version in ("1", "2", "3"):
        catalog = Graph().parse(three.out / "releases" / version / "catalog.ttl")
        dataset = URIRef(f"{SERIES}/{version}")
        issued = catalog.value(dataset, DCT.issued).toPython()  # type: ignore[union-attr]
        modified = catalog.value(dataset, DCT.modified).toPython()  # type: ignore[union-attr]
        dates[version] = (issued, modified)
        assert issued <= modified
        practices = Graph().parse(three.out / "releases" / version / "nualod.nt")
        held = [d.toPython() for d in practices.objects(None, DCT.issued)]
        assert held and max(held) <= issued  # it holds no practice from after its issue
    assert dates["1"][1] <= dates["2"][0] and dates["2"][1] <= dates["3"][0]
    assert dates["2"][0] == dt.date(2025, 12, 16)


def test_a_versioned_catalog_conforms_to_the_dcat_ap_3_shapes(three: Published) -> None:
    shapes_path = resource("data/dcat-ap-3.0.0/dcat-ap-SHACL.ttl")
    shapes = Graph().parse(data=shapes_path.read_text(encoding="utf-8"), format="turtle")
    data = Graph().parse(three.out / "releases" / "2" / "catalog.ttl")
    for inference in ("none", "rdfs"):
        conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference=inference)
        assert conforms, (inference, text)


def _files(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.iterdir()):
        if path.is_file():
            yield path.name, path.read_bytes()


def test_rebuilding_a_release_from_the_same_inputs_gives_byte_identical_files(
    three: Published, tmp_path: Path
) -> None:
    again = publish_three(tmp_path)
    for version in RELEASES:
        rebuilt = dict(_files(again.out / "releases" / version))
        assert rebuilt == dict(_files(three.out / "releases" / version)), version
        assert {"changelog.json", "changelog.md", "practices-index.tsv"} <= rebuilt.keys()


def test_nualod_diff_between_two_releases(three: Published, runner: CliRunner) -> None:
    releases = three.out / "releases"
    result = runner.invoke(main, ["diff", str(releases / "1"), str(three.out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "from": "1", "to": "3",
        "counts": {"added": 1, "changed": 1, "removed": 1, "unchanged": 1},
        "added": [{"iri": C_NEW}],
        "changed": [{"iri": A, "fields": ["dcterms:source", "dcterms:title"]}],
        "removed": [
            {"iri": C_OLD, "replaced_by": C_NEW, "title": "Kota Surakarta, Kota Layanan"}
        ],
    }  # fmt: skip
    bad = runner.invoke(main, ["diff", str(three.pages["1"]), str(three.out)])
    assert bad.exit_code == 2
    assert bad.stderr == (
        f"error: {three.pages['1']}: not a nualod release with a practices index "
        "(practices-index.tsv)\n"
    )


def test_a_diff_across_two_replacements_names_the_practice_that_replaced_at_the_end(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A page without a NUF URL whose source is corrected twice: release 2 replaces A by B,
    release 3 B by C. ``diff 1 3`` said A was replaced by B, a tombstone in 3, and C came
    out of nowhere (release review). Each release's own changelog keeps its one step."""
    out = tmp_path / "out"
    previous: Path | None = None
    sources = ("https://surakarta.go.id/layanan", "https://surakarta.go.id/layanan-publik",
               "https://surakarta.go.id/layanan-publik-kota")  # fmt: skip
    for version, source in enumerate(sources, start=1):
        text = page(1, 1, "Layanan", "Kota Layanan", source)
        pages = write_pages(tmp_path / f"pages-{version}", {"c.txt": (text, None)})
        publish([pages], out, version=str(version), previous=previous, keep=5)
        previous = out
    releases = out / "releases"
    steps = [json.loads((releases / v / "changelog.json").read_text())["removed"] for v in "23"]
    (first,), (second,) = steps
    assert first["replaced_by"] == second["iri"]  # A -> B, then B -> C
    result = runner.invoke(main, ["diff", str(releases / "1"), str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert diff["removed"] == [
        {
            "iri": first["iri"],
            "replaced_by": second["replaced_by"],
            "title": "Kota Surakarta, Kota Layanan",
        }
    ]
    assert diff["added"] == [{"iri": second["replaced_by"]}]
    gone = runner.invoke(main, ["diff", str(releases / "0"), str(out)])
    assert (gone.exit_code, gone.stderr) == (2, f"error: {releases / '0'}: no such folder\n")


def test_previous_must_be_a_release(tmp_path: Path, runner: CliRunner) -> None:
    pages = write_pages(tmp_path / "p", RELEASES["1"])
    result = runner.invoke(
        main, ["publish", str(pages), "--out", str(tmp_path / "o"), "--previous", str(pages)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --previous {pages}: not the output of a publish (no current link, "
        "release.json or practices-index.tsv); --previous names the previous publish's --out "
        "folder (or one of its releases/VERSION folders), not its pages\n"
    )
    # A release of a nualod before practices indexes is to be published again.
    older = tmp_path / "older"
    older.mkdir()
    (older / "nualod.nt").write_bytes(b"")
    result = runner.invoke(
        main, ["publish", str(pages), "--out", str(tmp_path / "o"), "--previous", str(older)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --previous {older}: not a nualod release with a practices index (no "
        "release.json or practices-index.tsv); publish it again with this nualod first\n"
    )
    missing = tmp_path / "nope"
    result = runner.invoke(
        main, ["publish", str(pages), "--out", str(tmp_path / "o"), "--previous", str(missing)]
    )
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: --previous {missing}: no such folder\n",
    )


AS = "https://www.w3.org/ns/activitystreams#"
TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
FEED_URL = "https://w3id.org/nualod/download/feed/"


def _served(out: Path, url: str) -> Path:
    """Return the file a feed URL names, as static hosting of OUT would serve it."""
    assert url.startswith(FEED_URL)
    return out / "feed" / url.removeprefix(FEED_URL)


def replay_feed(out: Path) -> tuple[dict[str, set[Triple]], list[str]]:
    """A feed consumer written from the LDES and DCAT-AP Feeds specifications.

    It reads the root node, follows its relations in order of their tree:value (each page
    once), and applies each page's activities in order of as:published: a Create or Update
    replaces what it holds of the as:object with the activity's named graph, a Delete
    removes it. It returns what it holds, by object, and the objects it deleted.
    """
    root = Store()
    root.load(path=str(out / "feed" / "index.trig"), format=RdfFormat.TRIG)
    view = FEED_URL + "index.trig"
    streams = [
        q.subject for q in root.quads_for_pattern(None, NamedNode(TREE + "view"), NamedNode(view))
    ]
    assert len(streams) == 1
    # Relations to the same node hold together (a lower and an upper bound): each distinct
    # node is read once, in order of its lower bound.
    lower: dict[str, str] = {}
    for relation in root.quads_for_pattern(NamedNode(view), NamedNode(TREE + "relation"), None):
        node = next(root.quads_for_pattern(relation.object, NamedNode(TREE + "node"), None)).object
        value = next(
            root.quads_for_pattern(relation.object, NamedNode(TREE + "value"), None)
        ).object
        kind = next(root.quads_for_pattern(relation.object, NamedNode(f"{RDF}type"), None)).object
        if kind == NamedNode(TREE + "GreaterThanOrEqualToRelation"):
            lower[node.value] = value.value
    pages = [(value, node) for node, value in lower.items()]
    held: dict[str, set[Triple]] = {}
    deleted: list[str] = []
    tombstones.clear()
    for _, page_url in sorted(pages):
        page = list(parse(path=str(_served(out, page_url)), format=RdfFormat.TRIG))
        default = [q for q in page if isinstance(q.graph_name, DefaultGraph)]
        assert (
            Quad(
                NamedNode(page_url),
                NamedNode(LDES + "immutable"),
                Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
            )
            in default
        )
        members = [
            q.object
            for q in default
            if q.subject == streams[0] and q.predicate == NamedNode(TREE + "member")
        ]
        events = []
        for order, member in enumerate(members):
            about = {q.predicate.value: q.object for q in default if q.subject == member}
            kind, obj = about[f"{RDF}type"].value, about[AS + "object"].value
            events.append((about[AS + "published"].value, order, kind, obj, member))
        for _, _, kind, obj, member in sorted(events):
            payload = {q.triple for q in page if q.graph_name == member}
            if kind == AS + "Delete":
                held.pop(obj, None)
                deleted.append(obj)
                tombstones[obj] = payload
            else:
                held[obj] = payload
                tombstones.pop(obj, None)
    return held, deleted


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


#: What the last replay's Delete activities carried, by practice: its tombstone.
tombstones: dict[str, set[Triple]] = {}


def _live_descriptions(out: Path, status_wanted: str = "live") -> Graph:
    """Return the latest release's practices, each its own description, read by the index
    (or, with ``status_wanted="removed"``, its tombstones)."""
    folder = (out / "current").resolve()
    graph = Graph()
    dump = (folder / "nualod.nt").read_bytes()
    for line in (folder / "practices-index.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        _, status, _, _, offset, length, *_ = line.split("\t")
        if status == status_wanted:
            graph.parse(data=dump[int(offset) : int(offset) + int(length)].decode(), format="nt")
    return graph


def test_the_feed_is_followed_from_the_catalogs_download_url(three: Published) -> None:
    """The catalog of version 3 links its own copy of the root: a client that starts there
    finds its view of the stream (tree:view) and the same relations as from the stream's URL."""
    catalog = Graph().parse(three.out / "releases" / "3" / "catalog.ttl")
    start = f"{FEED_URL.removesuffix('feed/')}releases/3/feed/index.trig"
    assert URIRef(start) in set(catalog.objects(None, DCAT.downloadURL))
    root = Store()
    root.load(path=str(three.out / "releases" / "3" / "feed" / "index.trig"), format=RdfFormat.TRIG)

    def followed(view: str) -> set[tuple[str, ...]]:
        streams = list(root.quads_for_pattern(None, NamedNode(TREE + "view"), NamedNode(view)))
        assert len(streams) == 1
        relations = root.quads_for_pattern(NamedNode(view), NamedNode(TREE + "relation"), None)
        return {
            (
                r.object.value,
                next(root.quads_for_pattern(r.object, NamedNode(TREE + "node"), None)).object.value,
            )
            for r in relations
        }

    assert followed(start) == followed(FEED_URL + "index.trig")
    assert followed(start) == {
        (f"{FEED_URL}index.trig#page-00000{n}{until}", f"{FEED_URL}page-00000{n}.trig")
        for n in (1, 2, 3)
        for until in ("", "-until")
    }


def test_the_feed_replayed_from_empty_gives_the_latest_release(three: Published) -> None:
    held, deleted = replay_feed(three.out)
    replayed = Graph()
    for triples in held.values():
        for triple in triples:
            replayed.parse(data=f"{triple} .\n", format="nt")
    assert set(held) == {A, B_IRI, C_NEW}
    assert isomorphic(replayed, _live_descriptions(three.out))
    assert deleted == [C_OLD, B_IRI, D_IRI]  # release 2 removed C_OLD and B; release 3, D
    # A Delete carries the tombstone: what replaced the practice, the release that removed it.
    assert set(tombstones) == {C_OLD, D_IRI}  # B is back
    stones = Graph()
    for triples in tombstones.values():
        for triple in triples:
            stones.parse(data=f"{triple} .\n", format="nt")
    assert isomorphic(stones, _live_descriptions(three.out, "removed"))
    assert (URIRef(C_OLD), DCT.isReplacedBy, URIRef(C_NEW)) in stones
    # B was removed in release 2 and is back in release 3: its versions are in order by
    # as:published alone (ldes:timestampPath), whatever order a client reads a page in.
    published = {
        (q.subject.value.split("/feed/")[1].split("/")[0], q.object.value)
        for page in sorted((three.out / "feed").glob("page-*.trig"))
        for q in parse(path=str(page), format=RdfFormat.TRIG)
        if q.predicate.value == AS + "published"
    }
    # The pages were retrieved at 08:00 on the data's latest date: no release is published
    # before the pages it read were retrieved.
    assert sorted(published) == [
        ("1", "2025-12-16T08:00:00Z"), ("2", "2025-12-16T08:00:01Z"), ("3", "2025-12-16T08:00:02Z"),
    ]  # fmt: skip


def test_a_feed_consumer_deletes_what_was_removed_and_set_difference_does_not(
    three: Published,
) -> None:
    # A harvester that already holds release 2 reads release 3.
    before = {A, C_NEW, D_IRI}
    _, deleted = replay_feed(three.out)
    assert set(deleted[2:]) == before - {A, C_NEW, B_IRI} == {D_IRI}
    # A set-difference harvester given release 3's dump cut short (a broken download)
    # deletes what it does not find: a practice that was never removed.
    dump = (three.out / "nualod.nt").read_bytes()
    index = (three.out / "practices-index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    offsets = sorted(int(line.split("\t")[4]) for line in index if "\tlive\t" in line)
    truncated = Graph().parse(data=dump[: offsets[1]].decode(), format="nt")
    found = {
        str(s)
        for s in truncated.subjects(
            rdflib.RDF.type, URIRef("https://w3id.org/nualod/def#GoodPractice")
        )
    }
    wrongly = before - found - {D_IRI}
    assert wrongly and wrongly <= {A, C_NEW}


def test_each_page_is_bounded_below_and_above_by_the_moment_of_its_members(
    three: Published,
) -> None:
    """LDES 3.5.2 (ordered traversal) and DCAT-AP Feeds 1.3 (pagination): the root relates
    each page by a lower and an upper bound on as:published, which every member satisfies,
    so a client in ordered mode can order the pages without reading them all first."""
    root = Store()
    root.load(path=str(three.out / "feed" / "index.trig"), format=RdfFormat.TRIG)
    bounds: dict[str, set[tuple[str, str]]] = {}
    view = NamedNode(FEED_URL + "index.trig")
    for link in root.quads_for_pattern(view, NamedNode(TREE + "relation"), None):
        about = {
            q.predicate.value: q.object.value
            for q in root.quads_for_pattern(link.object, None, None)
        }
        assert about[TREE + "path"] == AS + "published"
        kind = about[f"{RDF}type"].removeprefix(TREE)
        bounds.setdefault(about[TREE + "node"], set()).add((kind, about[TREE + "value"]))
    moments = {
        "1": "2025-12-16T08:00:00Z",
        "2": "2025-12-16T08:00:01Z",
        "3": "2025-12-16T08:00:02Z",
    }
    assert bounds == {
        f"{FEED_URL}page-00000{n}.trig": {
            ("GreaterThanOrEqualToRelation", moments[str(n)]),
            ("LessThanOrEqualToRelation", moments[str(n)]),
        }
        for n in (1, 2, 3)
    }
    # The practices are not DCAT-AP entities: no DCAT-AP Feeds member shape is claimed.
    assert list(root.quads_for_pattern(None, NamedNode(TREE + "shape"), None)) == []
    # Version 1's copy of the root stays as version 1 left it: it leads to its page only.
    first = Store()
    first.load(
        path=str(three.out / "releases" / "1" / "feed" / "index.trig"), format=RdfFormat.TRIG
    )
    assert {
        q.object.value for q in first.quads_for_pattern(None, NamedNode(TREE + "node"), None)
    } == {f"{FEED_URL}page-000001.trig"}
    for n in (1, 2, 3):
        page = parse(path=str(three.out / "feed" / f"page-00000{n}.trig"), format=RdfFormat.TRIG)
        published = {q.object.value for q in page if q.predicate.value == AS + "published"}
        assert published == {moments[str(n)]}


def test_feed_pages_are_immutable_and_carried_unchanged(three: Published) -> None:
    releases = three.out / "releases"
    assert sorted(p.name for p in (releases / "2" / "feed").iterdir()) == [
        "index.trig", "page-000001.trig", "page-000002.trig",
    ]  # fmt: skip
    for name in ("page-000001.trig", "page-000002.trig"):
        assert (releases / "3" / "feed" / name).read_bytes() == (
            releases / "2" / "feed" / name
        ).read_bytes()
    catalog = Graph().parse(releases / "3" / "catalog.ttl")
    assert URIRef("https://w3id.org/nualod/download/releases/3/feed/index.trig") in set(
        catalog.objects(None, DCAT.downloadURL)
    )


def test_a_release_that_would_rewrite_a_page_of_the_feed_is_refused(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A page of the feed never changes at its URL (ldes:immutable; LDES 1: members are never
    updated or removed): a release that does not continue the feed served, published without
    --previous (before anything is read) or following an older release than the current one
    (once its pages are written, if one differs), is refused (exit 2)."""
    out = tmp_path / "out"
    pages = {v: write_pages(tmp_path / f"pages-{v}", RELEASES[v]) for v in RELEASES}
    publish([pages["1"]], out, version="1")
    first = dict(_files(out / "releases" / "1"))

    def refused(*args: str) -> str:
        result = runner.invoke(main, ["publish", *args, "--out", str(out)])
        assert result.exit_code == 2, result.output
        return result.output

    assert refused(str(pages["2"]), "--release", "2") == (
        f"error: {out}: its current release 1 is versioned and has a change feed that "
        f"harvesters follow; publish the next one with --release VERSION --previous {out}, "
        "or into another folder\n"
    )
    assert [p.name for p in (out / "releases").iterdir()] == ["1"]  # no staging folder left
    publish([pages["2"]], out, version="2", previous=out)
    older = out / "releases" / "1"
    assert refused(str(pages["3"]), "--release", "3", "--previous", str(older)) == (
        "error: feed/page-000002.trig would differ from the page release 2 holds, and a page "
        "of the change feed never changes (ldes:immutable): a release with a feed follows "
        f"the current release of {out} (--previous {out})\n"
    )
    assert dict(_files(out / "releases" / "1")) == first
    publish([pages["3"]], out, version="3", previous=out)  # following the current release
    assert sorted(p.name for p in (out / "feed").glob("page-*")) == [
        "page-000001.trig", "page-000002.trig", "page-000003.trig",
    ]  # fmt: skip
    # The check at the end, for folders kept by an earlier nualod: a page written with other
    # bytes than a kept release's page of that name is found, with that release.
    rewritten = tmp_path / "feed"
    rewritten.mkdir()
    shutil.copy(out / "releases" / "1" / "feed" / "page-000001.trig", rewritten)
    (rewritten / "page-000002.trig").write_text("# other activities\n", encoding="utf-8")
    kept = [out / "releases" / name for name in ("1", "2", "3")]
    assert rewritten_page(rewritten, kept) == ("page-000002.trig", out / "releases" / "2")
    (rewritten / "page-000002.trig").unlink()
    assert rewritten_page(rewritten, kept) is None


def test_a_folder_whose_current_link_was_deleted_by_hand_is_refused_saying_how_to_mend_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Without ``current`` nothing says which release the next follows: a publish without
    --previous would leave the feed's root behind, one with --previous OUT finds no release
    there. Both are refused before anything is read (exit 2), saying how to mend it."""
    out = tmp_path / "out"
    pages = {v: write_pages(tmp_path / f"pages-{v}", RELEASES[v]) for v in ("1", "2")}
    publish([pages["1"]], out, version="1")
    publish([pages["2"]], out, version="2", previous=out)
    (out / "current").unlink()
    before = sorted(p.name for p in (out / "releases").iterdir())
    said = (
        f"error: {out}: {out / 'current'} is missing, but {out / 'releases'} holds releases "
        f"with a change feed (the newest: 2); restore the link (ln -s releases/2 "
        f"{out / 'current'}) or publish into another folder\n"
    )
    for args in ([], ["--release", "3", "--previous", str(out)]):
        result = runner.invoke(main, ["publish", str(pages["2"]), "--out", str(out), *args])
        assert result.exit_code == 2, result.output
        assert result.output == said
    assert sorted(p.name for p in (out / "releases").iterdir()) == before
    (out / "current").symlink_to("releases/2")
    publish([pages["2"]], out, version="3", previous=out)
    assert (out / "current").resolve() == out / "releases" / "3"


def test_a_first_release_may_name_its_own_folder_as_previous(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A weekly script passes --previous OUT every time: the first time OUT holds no
    release, so the run is the first, with a note; a --previous that names another
    folder that is not there is still refused."""
    pages = write_pages(tmp_path / "pages-1", RELEASES["1"])
    out, alone = tmp_path / "out", tmp_path / "alone"
    args = ["publish", str(pages), "--release", "1"]
    first = runner.invoke(main, [*args, "--out", str(out), "--previous", str(out)])
    assert first.exit_code == 0, first.output
    assert first.stderr == (
        f"note: --previous {out}: it has no release yet; this is its first\n"
        "note: indicators 1, 19: their English names and SDG and UNESCO alignments come from "
        "UN-Habitat's draft list, whose numbering the NUF's is inferred to follow, not known "
        "to: check them against the names the pages give (nualod/vocab/alignments.csv)\n"
    )
    assert runner.invoke(main, [*args, "--out", str(alone)]).exit_code == 0
    assert dict(_files(out / "releases" / "1")) == dict(_files(alone / "releases" / "1"))
    other = runner.invoke(
        main, [*args, "--out", str(tmp_path / "new"), "--previous", str(out) + "x"]
    )
    assert other.exit_code == 2
    assert other.stderr == f"error: --previous {out}x: no such folder\n"


def test_a_version_no_longer_kept_is_never_published_again(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Release 1 pruned (``--keep 1``): its dataset IRI still names it (its page on the site,
    the practices' prov:wasGeneratedBy), so ``--release 1`` again is refused before anything
    is read (exit 2), the folder left as it was."""
    out = tmp_path / "out"
    previous: Path | None = None
    for version in ("1", "2", "3"):
        pages = write_pages(tmp_path / f"pages-{version}", RELEASES[version])
        publish([pages], out, version=version, previous=previous, keep=1)
        previous = out
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["2", "3"]
    before = (out / "current").resolve()
    args = ["--out", str(out), "--release", "1", "--previous", str(out)]
    result = runner.invoke(main, ["publish", str(tmp_path / "pages-3"), *args])
    assert result.exit_code == 2, result.output
    assert result.output == (
        "error: --release 1: version 1 was published at 2025-12-16T08:00:00Z (the change feed "
        "of the release this one follows says so), though no longer kept; a version is never "
        "reused: choose a new version\n"
    )
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["2", "3"]
    assert (out / "current").resolve() == before


def test_a_release_that_changed_nothing_adds_an_empty_page_that_dates_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Release 4 publishes release 3's pages again: its feed page holds no activity but says
    which run wrote it, and the root dates it, so release 5 comes a second after it (no two
    releases share a moment), carries run 4's times in its provenance graph, and once 4 is
    no longer kept, ``--release 4`` is refused as a version reused."""
    out = tmp_path / "out"
    previous: Path | None = None
    for version, contents in [*RELEASES.items(), ("4", RELEASES["3"]), ("5", RELEASES["3"])]:
        pages = write_pages(tmp_path / f"pages-{version}", contents)
        publish([pages], out, version=version, previous=previous, keep=0)
        previous = out
    feed = out / "feed"
    assert (feed / "page-000004.trig").read_text(encoding="utf-8") == (
        f"<{FEED_URL}page-000004.trig> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/tree#Node> .\n"
        f'<{FEED_URL}page-000004.trig> <https://w3id.org/ldes#immutable> "true"^^'
        "<http://www.w3.org/2001/XMLSchema#boolean> .\n"
        f"<{FEED_URL}page-000004.trig> <http://www.w3.org/ns/prov#wasGeneratedBy> "
        f"<{SERIES}/4#publication> .\n"
    )
    assert release_moments(feed) == {
        "1": "2025-12-16T08:00:00Z",
        "2": "2025-12-16T08:00:01Z",
        "3": "2025-12-16T08:00:02Z",
        "4": "2025-12-16T08:00:03Z",
        "5": "2025-12-16T08:00:04Z",
    }
    run = f"<{SERIES}/4#publication>"
    moment = '"2025-12-16T08:00:03Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'
    dump = (out / "releases" / "5" / "nualod.nq").read_text(encoding="utf-8")
    graph = " <https://w3id.org/nualod/id/graph/provenance> ."
    for predicate in ("startedAtTime", "endedAtTime"):
        assert f"{run} <http://www.w3.org/ns/prov#{predicate}> {moment}{graph}" in dump
    assert [p.name for p in (out / "releases").iterdir()] == ["5"]
    args = ["--out", str(out), "--release", "4", "--previous", str(out)]
    result = runner.invoke(main, ["publish", str(tmp_path / "pages-5"), *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        "error: --release 4: version 4 was published at 2025-12-16T08:00:03Z"
    )


def test_releases_without_a_version_are_no_versions_to_later_ones(tmp_path: Path) -> None:
    """The activities of a release without a version are named after its first page's
    number (``…/feed/000001/create/KEY``): a later versioned release takes that label for no
    version, so its provenance graph describes no run ``…/000001#publication``, and its
    site shows no such version."""
    out = tmp_path / "out"
    previous: Path | None = None
    for number, version in enumerate((None, None, "3"), 1):
        pages = write_pages(tmp_path / f"pages-{number}", RELEASES[str(number)])
        publish([pages], out, version=version, previous=previous)
        previous = out
    # The first has no feed (no predecessor, no version); the second's page is page 1.
    assert release_moments(out / "feed") == {"3": "2025-12-16T08:00:01Z"}
    dump = (out / "releases" / "3" / "nualod.nq").read_text(encoding="utf-8")
    assert "/feed/000001/" in (out / "feed" / "page-000001.trig").read_text(encoding="utf-8")
    assert f"<{SERIES}/000001#publication>" not in dump
    assert f"<{SERIES}/3#publication>" in dump


def test_a_release_whose_feed_would_move_to_another_download_base_is_refused(
    tmp_path: Path, runner: CliRunner
) -> None:
    """The carried pages name their stream (<stream> tree:member, LDES 3.4) and their own
    URLs: a release under another download base would relate pages in which an LDES client
    finds no member of the new stream, so it is refused (exit 2)."""
    out = tmp_path / "out"
    publish([write_pages(tmp_path / "pages-1", RELEASES["1"])], out, version="1")
    pages = write_pages(tmp_path / "pages-2", RELEASES["2"])
    moved = "https://data.example.org/nualod/download/"
    args = ["--out", str(out), "--release", "2", "--previous", str(out)]
    result = runner.invoke(main, ["publish", str(pages), *args, "--download-base", moved])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: download base {moved}: the change feed of the release this one follows is "
        f"the stream <{FEED_URL}index.trig#stream>, whose pages are served under another; "
        "publish with --download-base https://w3id.org/nualod/download/\n"
    )
    assert [p.name for p in (out / "releases").iterdir()] == ["1"]


def test_the_build_of_a_version_is_described_with_prov_o(three: Published) -> None:
    graph_end = b" <https://w3id.org/nualod/id/graph/provenance> .\n"
    lines = (three.out / "releases" / "3" / "nualod.nq").read_bytes().splitlines(keepends=True)
    quads = b"".join(
        line[: -len(graph_end)] + b" .\n" for line in lines if line.endswith(graph_end)
    )
    provenance = Graph().parse(data=quads.decode("utf-8"), format="nt")
    run = URIRef(f"{SERIES}/3#publication")
    # The three releases' data have the same latest date and retrieval: each release is one
    # second after the one before, so no two share a moment.
    moment = rdflib.Literal("2025-12-16T08:00:02Z", datatype=rdflib.XSD.dateTime)
    assert (run, rdflib.RDF.type, PROV.Activity) in provenance
    assert provenance.value(run, PROV.startedAtTime) == moment
    assert provenance.value(run, PROV.endedAtTime) == moment
    # The earlier runs it names keep their times (the previous release's feed dates them),
    # so a release no longer kept is still dated; what else they did went with them.
    for version, second in (("1", "00"), ("2", "01")):
        earlier = URIRef(f"{SERIES}/{version}#publication")
        when = rdflib.Literal(f"2025-12-16T08:00:{second}Z", datatype=rdflib.XSD.dateTime)
        assert provenance.value(earlier, PROV.startedAtTime) == when
        assert provenance.value(earlier, PROV.endedAtTime) == when
        assert set(provenance.predicate_objects(earlier)) == {
            (rdflib.RDF.type, PROV.Activity),
            (PROV.startedAtTime, when),
            (PROV.endedAtTime, when),
        }
    agent = provenance.value(run, PROV.wasAssociatedWith)
    assert str(provenance.value(agent, rdflib.RDFS.label)).startswith("nualod ")
    options = json.loads(str(provenance.value(run, DCT.description)))
    assert options["release"] == "3" and options["previous"] == "2"
    used = set(provenance.objects(run, PROV.used))
    assert used == {URIRef("https://nuf.example/a"), URIRef("https://nuf.example/b")}
    page = URIRef("https://nuf.example/b")
    assert provenance.value(page, PROV.generatedAtTime) == rdflib.Literal(
        "2025-12-16T08:00:00Z", datatype=rdflib.XSD.dateTime
    )
    # PROV-CONSTRAINTS 5.2 (usage-within-activity, generation-precedes-usage): the run used
    # each page within its times, so not before the page was generated (retrieved).
    for used_page in used:
        generated = provenance.value(used_page, PROV.generatedAtTime)
        assert generated is not None
        assert generated.toPython() <= moment.toPython()  # type: ignore[attr-defined]
    checksum = provenance.value(
        provenance.value(page, URIRef("http://spdx.org/rdf/terms#checksum")),
        URIRef("http://spdx.org/rdf/terms#checksumValue"),
    )
    assert str(checksum) == hashlib.sha256(B.encode("utf-8")).hexdigest()

    def runs(practice: str) -> set[str]:
        return {str(o) for o in provenance.objects(URIRef(practice), PROV.wasGeneratedBy)}

    assert runs(A) == {f"{SERIES}/1#publication", f"{SERIES}/2#publication"}  # changed in 2
    assert runs(C_NEW) == {f"{SERIES}/2#publication"}
    assert runs(B_IRI) == {f"{SERIES}/1#publication", f"{SERIES}/3#publication"}  # back in 3
    assert runs(D_IRI) == set()  # removed: a tombstone, not generated by this release
    everything = Graph().parse(three.out / "releases" / "3" / "nualod.nt")

    def generators(practice: str) -> set[str]:
        """The activities the data says generated a practice: its prov:wasGeneratedBy, and
        the prov:hadActivity of its derivations (PROV-DM 5.2.1: the activity that used the
        page and generated the practice; PROV-CONSTRAINTS Inference 11)."""
        found = set(everything.objects(URIRef(practice), PROV.wasGeneratedBy))
        for derivation in everything.objects(URIRef(practice), PROV.qualifiedDerivation):
            found |= set(everything.objects(derivation, PROV.hadActivity))
        return {str(activity) for activity in found}

    # Only the runs generated a practice, never the retrieval of its page; the retrieval
    # still says when the page was read: the time the provenance gives the page it used.
    for practice, url in ((A, "https://nuf.example/a"), (B_IRI, "https://nuf.example/b")):
        assert generators(practice) == runs(practice)
        (retrieval,) = everything.objects(URIRef(practice), PROV.wasInfluencedBy)
        assert (retrieval, rdflib.RDF.type, PROV.Activity) in everything
        assert set(everything.objects(retrieval, PROV.used)) == {URIRef(url)}
        assert everything.value(retrieval, PROV.endedAtTime) == provenance.value(
            URIRef(url), PROV.generatedAtTime
        )
    assert generators(C_NEW) == runs(C_NEW)  # a file with no sidecar: no retrieval
    # Every run named (by a generation or a tombstone) is typed, once, here.
    named = set(everything.objects(None, PROV.wasGeneratedBy))
    named |= set(everything.objects(None, PROV.wasInvalidatedBy))
    typed = set(provenance.subjects(rdflib.RDF.type, PROV.Activity))
    runs_typed = {
        s for s in everything.subjects(rdflib.RDF.type, PROV.Activity) if "#publication" in s
    }
    assert typed == runs_typed
    assert {URIRef(f"{SERIES}/{v}#publication") for v in "123"} == typed >= named


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_no_triple_is_written_twice_and_void_counts_what_is_there(
    three: Published, version: str
) -> None:
    """The N-Triples dump holds each triple once (a run that removed two practices was typed
    by each tombstone), and VoID's figures are those of the dump."""
    release = three.out / "releases" / version
    lines = (release / "nualod.nt").read_bytes().splitlines()
    assert len(lines) == len(set(lines))
    quads = (release / "nualod.nq").read_bytes().splitlines()
    assert len(quads) == len(set(quads))
    triples = list(parse(path=release / "nualod.nt", format=RdfFormat.N_TRIPLES))
    void = Graph().parse(release / "void.ttl")
    dataset = URIRef(f"{SERIES}/{version}")  # the version whose dumps these are
    voidns = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert int(void.value(dataset, voidns.triples)) == len(triples)
    subjects = {t.subject for t in triples}
    assert int(void.value(dataset, voidns.distinctSubjects)) == len(subjects)
    ours = {s for s in subjects if s.value.startswith("https://w3id.org/nualod/id/")}
    assert int(void.value(dataset, voidns.entities)) == len(ours)


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_generations_from_templates_are_what_the_writers_give(chunk: int) -> None:
    # Practices changed since first published (two runs), prefixed and unprefixed IRIs, a
    # chunk boundary inside a practice's two triples: the bytes render_plain writes.
    dataset = "https://w3id.org/nualod/id/dataset/nuf-good-practices"
    practices = [
        "https://w3id.org/nualod/id/practice/01-1-35.10-db3e92285381d2f3",
        "https://w3id.org/nualod/id/practice/needs(brackets)",
        "https://w3id.org/nualod/id/practice/03-19-35.78-a978bdfd8806530c",
        "https://example.org/elsewhere/ünï",
    ]
    entries = [
        IndexEntry(iri, LIVE, "ab", first_in="1", changed_in=("2" if n % 2 == 0 else "1"))
        for n, iri in enumerate(practices)
    ] + [IndexEntry("https://w3id.org/nualod/id/practice/gone", REMOVED, "cd", first_in="1")]
    pairs = generation_pairs(dataset, entries)
    triples = list(generation_triples(dataset, entries))
    assert [(t.subject, t.value) for t in triples] == pairs
    assert len(pairs) == 6
    turtle = turtle_writer(PREFIXES)
    graph = "https://w3id.org/nualod/id/graph/provenance"
    base = "https://w3id.org/nualod/id/"
    for start in range(0, len(pairs), chunk):
        fast = generation_group(graph, pairs[start : start + chunk], turtle, base)
        general = render_plain(graph, triples[start : start + chunk], turtle, base)
        # The same bytes and figures, but no subjects: the practices are counted (VoID)
        # where they are described.
        assert fast == general._replace(stats=general.stats._replace(subjects=()))


@pytest.mark.portals
def test_ckan_reads_a_versioned_release(
    three: Published,
    portal_python: Path,  # noqa: F811 - the fixture imported from test_portals
) -> None:
    datasets = _run(
        portal_python,
        "ckan_read_catalog.py",
        str(three.out / "releases" / "2" / "catalog.ttl"),
        "turtle",
    )
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["version"] == "2"
    extras = {extra["key"]: extra["value"] for extra in dataset["extras"]}
    assert extras["uri"] == f"{SERIES}/2"
    assert extras["version_notes"] == (
        "Since release 1: 2 practices added, 1 changed, 2 removed, 0 unchanged."
    )
    urls = {resource["url"] for resource in dataset["resources"]}
    base = "https://w3id.org/nualod/download/releases/2/"
    assert {base + "nualod.ttl", base + "changelog.json", base + "feed/index.trig"} <= urls


def test_the_site_gives_removed_practices_a_page_that_says_so(
    three: Published, tmp_path: Path
) -> None:
    from nualod.site.build import build_site
    from nualod.site.paths import site_path
    from nualod.site.search import read_records

    published = tmp_path / "published"
    shutil.copytree(three.out / "releases" / "3", published)
    result = build_site(published)
    assert (result.practices, result.withdrawn) == (3, 2)

    def page(iri: str, lang: str = "") -> str:
        stem = site_path(iri)
        assert stem is not None
        return (published / "site" / lang / f"{stem}.html").read_text(encoding="utf-8")

    replaced = page(C_OLD)
    assert "<h1>Praktik ini sudah ditarik dari data</h1>" in replaced
    assert "Praktik ini dihapus pada rilis <strong>2</strong>." in replaced
    assert '<meta name="robots" content="noindex">' in replaced
    # The replacement is linked where its page is.
    new_stem = site_path(C_NEW)
    assert new_stem is not None
    old_folder = (published / "site" / f"{site_path(C_OLD)}.html").parent
    hrefs = [h for h in re.findall(r'href="([^"]+)"', replaced) if new_stem.rsplit("/", 1)[1] in h]
    assert len(hrefs) == 1 and (old_folder / hrefs[0]).resolve().is_file()
    removed = page(D_IRI, "en")
    # Release 3's changes are in this site (the folder is release 3), so it is linked there;
    # release 2's are not, so it is named without a link.
    assert 'It was removed in release <a href="../../../../en/versions/3.html">3</a>.' in removed
    assert (published / "site" / "en" / "versions" / "3.html").is_file()
    assert "No practice replaced it." in removed
    # A withdrawn practice is no longer listed, counted or offered to search engines.
    sitemap = "".join(p.read_text(encoding="utf-8") for p in published.glob("site/sitemap*.xml"))
    assert C_OLD.rsplit("/", 1)[1] not in sitemap and D_IRI.rsplit("/", 1)[1] not in sitemap
    assert C_NEW.rsplit("/", 1)[1] in sitemap
    found = {record[0].rsplit("/", 1)[1] for record in read_records(published / "site")}
    assert len(found) == result.search_records == 3
    assert C_NEW.rsplit("/", 1)[1] + ".html" in found
    assert not {C_OLD.rsplit("/", 1)[1] + ".html", D_IRI.rsplit("/", 1)[1] + ".html"} & found


@pytest.fixture(scope="module")
def ldes_client() -> str:
    """Return node, with ldes-client (rdf-connect's LDES client, pinned in tests/js's lock
    file) installed in tests/js when missing, as the jsonld.js tests install theirs."""
    return node_packages("ldes-client")


class _FeedHandler(SimpleHTTPRequestHandler):
    """Static hosting of an out folder: a file as it is, TriG as ``application/trig``."""

    extensions_map: ClassVar[dict[str, str]] = {
        ".trig": "application/trig",
        "": "application/octet-stream",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Activity:
    iri: str
    kind: str
    published: str
    default: frozenset[Triple]  # the activity's triples in the default graph
    payload: frozenset[Triple]  # its named graph


def _activities(out: Path) -> list[Activity]:
    """Return the activities of out's feed pages, each page's in its order, pages in order."""
    found = []
    for page in sorted((out / "feed").glob("page-*.trig")):
        quads = list(parse(path=str(page), format=RdfFormat.TRIG))
        members = [q.object for q in quads if q.predicate.value == TREE + "member"]
        for member in members:
            about = {q.predicate.value: q.object.value for q in quads if q.subject == member}
            found.append(
                Activity(
                    member.value,
                    about[RDF + "type"].removeprefix(AS),
                    about[AS + "published"],
                    frozenset(q.triple for q in quads if q.subject == member),
                    frozenset(q.triple for q in quads if q.graph_name == member),
                )
            )
    return found


@pytest.mark.slow
def test_ldes_client_replays_the_feed_served_over_http(ldes_client: str, tmp_path: Path) -> None:
    """rdf-connect's ldes-client (npm, a third-party LDES client), in its ordered ascending
    mode, reads the feed of three releases served as static files over HTTP, from the
    stream's root and from the catalog's URL of version 3 alike: it emits exactly the feed's
    activities (as our pages hold them: the activity's triples and its named graph), in
    order of as:published, and applying them gives the latest release's practices.

    ``nualod serve`` serves the site, which does not hold the feed: a plain static server
    of the out folder stands for the hosting at the download base.

    The client (0.3.0, lib/client.ts) starts from the first ``tree:view`` it finds in the
    root rather than the one naming the URL it read (LDES 3.1, "Initialization run": the
    pattern ``?s tree:view <>``); a root of ours names two views, the stream's and the
    version's, which relate the same pages, so either start gives the same members."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_FeedHandler, directory=str(tmp_path / "three" / "out"))
    )
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        out = tmp_path / "three" / "out"
        previous: Path | None = None
        for version, contents in RELEASES.items():
            pages = write_pages(tmp_path / "three" / f"pages-{version}", contents)
            publish(
                [pages], out, version=version, previous=previous,
                download_base=f"http://127.0.0.1:{port}/",
            )  # fmt: skip
            previous = out
        expected = _activities(out)
        for start in ("feed/index.trig", "releases/3/feed/index.trig"):
            done = subprocess.run(
                [ldes_client, str(JS / "ldes_replay.mjs"), f"http://127.0.0.1:{port}/{start}"],
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            emitted = [json.loads(line) for line in done.stdout.splitlines()]
            _check_emitted(out, expected, emitted)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _check_emitted(out: Path, expected: list[Activity], emitted: list[dict[str, Any]]) -> None:
    assert len(emitted) == len(expected) == 10
    by_iri = {a.iri: a for a in expected}
    assert sorted(m["id"] for m in emitted) == sorted(by_iri)
    # In order of as:published (the client's timestamps are JavaScript Dates); the
    # activities of one release share a moment and are about distinct practices, so their
    # order among themselves does not matter (the client's is not the pages').
    moments = [by_iri[m["id"]].published for m in emitted]
    assert [m["timestamp"].replace(".000Z", "Z") for m in emitted] == moments
    assert moments == sorted(moments) == sorted(a.published for a in expected)
    held: dict[str, set[Triple]] = {}
    for member in emitted:
        activity = by_iri[member["id"]]
        practice = PRACTICE + activity.iri.rsplit("/", 1)[1]
        assert (member["type"], member["isVersionOf"]) == (AS + activity.kind, practice)
        quads = list(parse("\n".join(member["quads"]), format=RdfFormat.N_QUADS))
        default = {q.triple for q in quads if isinstance(q.graph_name, DefaultGraph)}
        named = {q.triple for q in quads if q.graph_name == NamedNode(activity.iri)}
        assert len(default) + len(named) == len(quads)
        assert (default, named) == (activity.default, activity.payload)
        if activity.kind == "Delete":
            held.pop(practice, None)
        else:
            held[practice] = named
    assert set(held) == {A, B_IRI, C_NEW}
    replayed = Graph()
    for triples in held.values():
        replayed.parse(data="".join(f"{t} .\n" for t in triples), format="nt")
    assert isomorphic(replayed, _live_descriptions(out))


def test_a_release_that_follows_another_folders_release_says_the_feed_would_fork(
    tmp_path: Path,
) -> None:
    """Two folders going on from one release publish two different feed pages under one URL
    (release review: the refusal of a rewritten page looks at one folder's releases)."""
    pages = write_pages(tmp_path / "p", RELEASES["1"])
    first = publish([pages], tmp_path / "a", version="1")
    assert not any("feed forks" in note for note in first.notices)
    other = publish([pages], tmp_path / "b", version="2", previous=tmp_path / "a")
    said = (
        ": this release goes on with the change feed of another "
        "folder, at the same URLs (https://w3id.org/nualod/download/feed/index.trig); serve "
        "one of the two folders there, or the feed forks"
    )
    # The library names its keyword; the command line, its option (library review).
    assert f"previous={str(tmp_path / 'a')!r}{said}" in other.notices
    assert f"--previous {tmp_path / 'a'}{said}" in [
        command_line_text(note, OPTIONS) for note in other.marked_notices
    ]
    same = publish([pages], tmp_path / "a", version="2", previous=tmp_path / "a")
    assert not any("feed forks" in note for note in same.notices)
