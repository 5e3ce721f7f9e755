"""The DCAT-AP 3 catalog, the schema.org Dataset page, and how they are written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource as limits_of_processes
import signal
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from nualod.cli import main
from nualod.describe.catalog import (
    Release,
    catalog_document,
    catalog_triples,
    default_download_base,
    default_modified,
    description_text,
    no_network_loader,
)
from nualod.errors import NualodError, PublishError, UsageError
from nualod.model.iris import DataIRIs
from nualod.model.resources import resource
from nualod.releases.layout import ManifestFile
from nualod.run.publish import PublishResult, publish
from nualod.write.formats import DUMP_FILE_NAMES as DUMP_FORMATS
from nualod.write.formats import DumpFile, measure_dump

SPDX = "http://spdx.org/rdf/terms#"
PACKAGED_SHAPES = resource("data/dcat-ap-3.0.0/dcat-ap-SHACL.ttl")
SHARED_SHAPES = (
    Path(__file__).resolve().parents[2] / "shared/external/dcat-ap-3.0.0/dcat-ap-SHACL.ttl"
)
CKAN_SAFE = re.compile(r"^[\w \-.]{2,100}$")


def _catalog(out: Path) -> Graph:
    return Graph().parse(out / "catalog.ttl", format="turtle")


def _conforms(data: Graph, shapes_path: Any) -> tuple[bool, str]:
    import pyshacl

    shapes = Graph().parse(data=shapes_path.read_text(encoding="utf-8"), format="turtle")
    # With RDFS inference and without (pySHACL's default, and validators that infer nothing).
    for inference in ("none", "rdfs"):
        conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference=inference)
        if not conforms:
            return False, f"inference {inference}: {text}"
    return True, ""


def test_catalog_conforms_to_the_packaged_dcat_ap_3_shapes(
    published_examples: tuple[Path, PublishResult],
) -> None:
    conforms, text = _conforms(_catalog(published_examples[0]), PACKAGED_SHAPES)
    assert conforms, text


def test_catalog_conforms_to_the_original_dcat_ap_3_shapes(
    published_examples: tuple[Path, PublishResult],
) -> None:
    if not SHARED_SHAPES.is_file():
        pytest.skip("../shared is not present")
    assert SHARED_SHAPES.read_bytes() == PACKAGED_SHAPES.read_bytes()
    conforms, text = _conforms(_catalog(published_examples[0]), SHARED_SHAPES)
    assert conforms, text


def test_the_shapes_catch_a_broken_catalog(published_examples: tuple[Path, PublishResult]) -> None:
    graph = _catalog(published_examples[0])
    for distribution in list(graph.subjects(RDF.type, DCAT.Distribution)):
        graph.remove((distribution, DCAT.accessURL, None))
    conforms, _ = _conforms(graph, PACKAGED_SHAPES)
    assert not conforms


def test_checksums_and_sizes_match_the_files(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    graph = _catalog(out)
    distributions = sorted(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(DUMP_FORMATS) == 13  # 4 dumps, 9 table files
    seen = set()
    for distribution in distributions:
        assert str(distribution).startswith("https://")
        url = str(graph.value(distribution, DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        seen.add(name)
        measured = measure_dump(out / name)
        size = graph.value(distribution, DCAT.byteSize)
        assert isinstance(size, Literal)
        assert size.datatype == URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
        assert int(size) == (out / name).stat().st_size == measured.byte_size
        checksums = list(graph.objects(distribution, URIRef(SPDX + "checksum")))
        assert len(checksums) == 1
        value = graph.value(checksums[0], URIRef(SPDX + "checksumValue"))
        assert str(value) == measured.sha256
        algorithm = graph.value(checksums[0], URIRef(SPDX + "algorithm"))
        assert algorithm == URIRef(SPDX + "checksumAlgorithm_sha256")
        licence = graph.value(distribution, DCTERMS.license)
        assert licence == URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
        assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph
        assert set(graph.objects(licence, DCTERMS.title)) == {
            Literal("Creative Commons Attribution Share-Alike", lang="en")
        }
        rights = graph.value(distribution, DCTERMS.rights)
        assert isinstance(rights, URIRef) and str(rights).startswith("https://")
        assert (rights, RDF.type, DCTERMS.RightsStatement) in graph
        (label,) = graph.objects(rights, RDFS.label)
        for part in ("UNESCO Thesaurus", "CC BY-SA 3.0 IGO", "SDG", "doi:10.1007/"):
            assert part in str(label), part
        file_type = str(graph.value(distribution, DCTERMS.format))
        assert file_type.startswith("http://publications.europa.eu/resource/authority/file-type/")
        media = str(graph.value(distribution, DCAT.mediaType))
        assert media.startswith("https://www.iana.org/assignments/media-types/")
    assert seen == set(DUMP_FORMATS)


#: The IANA media types registry's entries the catalog may name (each checked there:
#: https://www.iana.org/assignments/media-types/). application/schema+json is not one.
IANA_REGISTERED = {
    "text/turtle", "application/n-triples", "application/n-quads", "application/ld+json",
    "text/csv", "application/csvm+json", "application/json", "application/geo+json",
    "text/tab-separated-values", "text/markdown", "application/trig",
}  # fmt: skip


def test_every_media_type_is_registered_with_iana(
    published_examples: tuple[Path, PublishResult], examples_dir: Path, tmp_path: Path
) -> None:
    """DCAT 3, 6.8 (Distribution, property media type): dcat:mediaType is a media type as
    defined by IANA; a JSON Schema is application/json, its drafts' own type unregistered."""
    out, _ = published_examples
    released = tmp_path / "released"  # a versioned release adds the changelog and the feed
    publish([examples_dir], released, version="1")
    iana = "https://www.iana.org/assignments/media-types/"
    for folder in (out, released):
        graph = _catalog(folder)
        media = {str(m) for m in graph.objects(None, DCAT.mediaType)}
        assert media and all(m.startswith(iana) for m in media)
        assert {m[len(iana) :] for m in media} <= IANA_REGISTERED
        schema = {
            str(graph.value(d, DCAT.mediaType))
            for d in graph.subjects(DCAT.downloadURL, None)
            if str(graph.value(d, DCAT.downloadURL)).endswith("/practices.schema.json")
        }
        assert schema == {iana + "application/json"}


def test_dataset_metadata_is_what_portals_read(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, result = published_examples
    graph = _catalog(out)
    dataset = URIRef(DataIRIs().dataset())
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    for keyword in graph.objects(dataset, DCAT.keyword):
        assert isinstance(keyword, Literal) and keyword.language in ("en", "id")
        assert CKAN_SAFE.match(str(keyword)), keyword
    assert {k.language for k in graph.objects(dataset, DCAT.keyword)} == {"en", "id"}  # type: ignore[attr-defined]
    assert URIRef("http://publications.europa.eu/resource/authority/country/IDN") in set(
        graph.objects(dataset, DCTERMS.spatial)
    )
    period = graph.value(dataset, DCTERMS.temporal)
    dates = sorted(
        dt.date.fromisoformat(
            str(Graph().parse(out / "nualod.nt").value(URIRef(p), DCTERMS.issued))
        )
        for p in result.published
    )
    assert graph.value(period, DCAT.startDate).toPython() == dates[0]  # type: ignore[union-attr]
    assert graph.value(period, DCAT.endDate).toPython() == dates[-1]  # type: ignore[union-attr]
    assert graph.value(dataset, DCTERMS.modified).toPython() == dates[-1]  # type: ignore[union-attr]
    themes = set(graph.objects(dataset, DCAT.theme))
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI") in themes
    text = (out / "catalog.ttl").read_text(encoding="utf-8")
    for match in re.finditer(r'dct:(?:title|description) "[^"]*"@(\w+) , "[^"]*"@(\w+)', text):
        assert match.groups() == ("en", "id")


def test_distribution_titles_are_in_their_own_language(
    published_examples: tuple[Path, PublishResult],
) -> None:
    graph = _catalog(published_examples[0])
    titles = {
        str(graph.value(node, DCAT.downloadURL)).rsplit("/", 1)[-1]: {
            t.language: str(t)  # type: ignore[attr-defined]
            for t in graph.objects(node, DCTERMS.title)
        }
        for node in graph.subjects(RDF.type, DCAT.Distribution)
    }
    assert titles["practice-sources.csv"] == {
        "en": "nualod dump in CSV (practice sources)",
        "id": "Dump nualod dalam format CSV (sumber praktik)",
    }
    assert titles["practice-figures.csv"]["id"] == "Dump nualod dalam format CSV (angka praktik)"
    assert titles["nualod.ttl"]["id"] == "Dump nualod dalam format Turtle"
    # A file that describes others, or is no dump of the data, is called what it is.
    assert titles["practices.csv-metadata.json"] == {
        "en": "CSVW metadata of the nualod CSV tables",
        "id": "Metadata CSVW tabel CSV nualod",
    }
    assert titles["practices.schema.json"]["en"] == "JSON Schema of the nualod plain JSON"
    assert titles["alignments.sssom.tsv"]["en"] == "nualod alignments as an SSSOM mapping table"


def test_catalog_jsonld_has_its_context_inline_and_the_same_graph(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    document = json.loads((out / "catalog.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert document["type"] == "Catalog"
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network_loader}
    )
    from_jsonld = Graph().parse(data=nquads, format="nt")
    assert isomorphic(from_jsonld, _catalog(out))


def test_the_jsonld_loader_refuses_the_network() -> None:
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/context.jsonld", "x": 1},
            {"documentLoader": no_network_loader},
        )


def test_download_base_and_dates_are_options(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(
        [examples_dir],
        out,
        download_base="https://data.example.org/nua/",
        issued=dt.date(2026, 1, 2),
        modified=dt.date(2026, 1, 3),
        sparql_endpoint="https://data.example.org/sparql",
    )
    graph = _catalog(out)
    urls = {str(u) for u in graph.objects(None, DCAT.downloadURL)}
    assert urls == {f"https://data.example.org/nua/{name}" for name in DUMP_FORMATS}
    dataset = URIRef(DataIRIs().dataset())
    assert str(graph.value(dataset, DCTERMS.issued)) == "2026-01-02"
    assert str(graph.value(dataset, DCTERMS.modified)) == "2026-01-03"
    assert "https://data.example.org/sparql" in (out / "void.ttl").read_text(encoding="utf-8")


def test_publish_cli_takes_the_release_options(
    examples_dir: Path, tmp_path: Path, runner: Any
) -> None:
    out = tmp_path / "out"
    args = [
        "publish",
        str(examples_dir),
        "--out",
        str(out),
        "--download-base",
        "https://x.example/d/",
    ]
    result = runner.invoke(main, [*args, "--modified", "2026-02-01"])
    assert result.exit_code == 0, result.output
    text = (out / "catalog.ttl").read_text(encoding="utf-8")
    assert "<https://x.example/d/nualod.nq>" in text and '"2026-02-01"^^xsd:date' in text


def test_the_default_download_base_follows_the_data_base() -> None:
    assert (
        default_download_base("https://w3id.org/nualod/id/") == "https://w3id.org/nualod/download/"
    )
    with pytest.raises(UsageError, match=r"^download_base must"):
        Release("ftp://x/")
    assert issubclass(UsageError, NualodError)


def test_a_release_issued_after_it_was_modified_is_refused(
    examples_dir: Path, tmp_path: Path, runner: Any
) -> None:
    with pytest.raises(
        UsageError, match=r"issued=.2026-02-02. is later than modified=.2026-01-01."
    ):
        Release("https://x.example/", issued=dt.date(2026, 2, 2), modified=dt.date(2026, 1, 1))
    out = tmp_path / "out"
    args = ["publish", str(examples_dir), "--out", str(out)]
    result = runner.invoke(main, [*args, "--issued", "2026-02-02", "--modified", "2026-01-01"])
    assert result.exit_code == 2
    assert "--issued" in result.output and "--modified" in result.output
    assert not (out / "catalog.ttl").exists()
    # --issued alone moves the default dct:modified up to it rather than failing
    alone = runner.invoke(main, [*args, "--issued", "2030-01-01"])
    assert alone.exit_code == 0, alone.output
    text = (out / "catalog.ttl").read_text(encoding="utf-8")
    assert 'dct:modified "2030-01-01"^^xsd:date' in text


def test_modified_defaults_to_the_latest_known_date() -> None:
    assert default_modified(None, None) is None
    assert default_modified(dt.date(2024, 5, 1), dt.date(2025, 2, 3)) == dt.date(2025, 2, 3)
    assert default_modified(dt.date(2024, 5, 1), None, None) == dt.date(2024, 5, 1)


@pytest.mark.parametrize(("count", "noun"), [(1, "1 good practice dated"), (2, "2 good practices")])
def test_the_description_counts_practices_in_good_english(count: int, noun: str) -> None:
    release = Release(
        "https://x.example/", start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 1), practices=count
    )
    assert noun in description_text(release, "en")


@pytest.mark.parametrize(("beside", "niceness"), [(True, 19), (False, os.nice(0))])
def test_the_dumps_are_hashed_by_one_thread_at_the_lowest_priority_only_beside_a_run(
    tmp_path: Path, beside: bool, niceness: int
) -> None:
    # Beside the batches, hashing takes only what CPU is left idle; finished dumps are
    # waited for, and at the lowest priority they would wait behind the run's last work.
    from nualod.files.digests import DigestProcess

    followed = tmp_path / "f"
    followed.write_bytes(b"x")
    digests = DigestProcess(beside=beside)
    try:
        pid = digests._process.pid
        digests.follow({"f": followed})
        digests.advance({"f": 1})
        # The file is opened once the process has set its priority and read its orders.
        for _ in range(500):
            fds = Path(f"/proc/{pid}/fd")
            if any(os.path.realpath(fd) == str(followed) for fd in fds.iterdir()):
                break
            time.sleep(0.01)
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        assert int(stat.rsplit(")", 1)[1].split()[16]) == niceness
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        assert re.search(r"^Threads:\s+1$", status, re.MULTILINE), status
        digests.finish()
        assert digests.result() == {"f": (1, hashlib.sha256(b"x").hexdigest())}
    finally:
        digests.stop()


def test_dumps_measured_from_their_closing_are_measured_as_the_catalog_would(
    tmp_path: Path,
) -> None:
    from nualod.run.release import DumpMeasuring

    dumps = {}
    for number, name in enumerate(DUMP_FORMATS):
        dumps[name] = tmp_path / f".{name}.part"
        dumps[name].write_bytes(b"x" * number)
    measured = DumpMeasuring(dumps).result()
    assert measured == [measure_dump(dumps[name], name) for name in DUMP_FORMATS]


def test_dumps_measuring_says_which_dump_it_could_not_read(tmp_path: Path) -> None:
    from nualod.run.release import DumpMeasuring

    dumps = {name: tmp_path / name for name in DUMP_FORMATS}
    for path in dumps.values():
        path.write_bytes(b"")
    missing = dumps[DUMP_FORMATS[1]]
    missing.unlink()
    with pytest.raises(PublishError) as raised:
        DumpMeasuring(dumps).result()
    assert str(raised.value) == f"{missing}: cannot read: No such file or directory"


def test_dumps_measured_as_they_are_written_are_measured_as_the_catalog_would(
    tmp_path: Path,
) -> None:
    from nualod.run.release import DumpMeasuring

    dumps = {name: tmp_path / f".{name}.part" for name in DUMP_FORMATS}
    for path in dumps.values():
        path.write_bytes(b"")
    measuring = DumpMeasuring(dumps, finished=False)
    for number in range(3):
        for index, path in enumerate(dumps.values()):
            with path.open("ab") as stream:
                stream.write(bytes([65 + number]) * (index + number))
        measuring.advance({name: path.stat().st_size for name, path in dumps.items()})
    with dumps[DUMP_FORMATS[0]].open("ab") as stream:
        stream.write(b"the last bytes, written after the last advance")
    measuring.close()
    (tmp_path / "page").write_bytes(b"a page")
    measuring.measure({"feed/page": tmp_path / "page"})
    assert measuring.result() == [measure_dump(dumps[name], name) for name in DUMP_FORMATS]
    assert measuring.others() == [
        ManifestFile("feed/page", 6, hashlib.sha256(b"a page").hexdigest())
    ]


def test_a_dump_shorter_than_said_is_one_error(tmp_path: Path) -> None:
    from nualod.run.release import DumpMeasuring

    dumps = {name: tmp_path / name for name in DUMP_FORMATS}
    for path in dumps.values():
        path.write_bytes(b"abc")
    short = dumps[DUMP_FORMATS[2]]
    measuring = DumpMeasuring(dumps, finished=False)
    measuring.advance({short.name: 10})
    measuring.close()
    with pytest.raises(PublishError) as raised:
        measuring.result()
    assert str(raised.value) == f"{short}: cannot read: it holds 3 bytes, not the 10 written"


def test_a_feed_of_more_pages_than_open_files_allowed_is_measured(tmp_path: Path) -> None:
    from nualod.files.digests import DigestProcess

    pages = {}
    for number in range(300):
        pages[f"feed/page-{number:06d}.trig"] = tmp_path / f"page-{number:06d}.trig"
        pages[f"feed/page-{number:06d}.trig"].write_bytes(b"p%d" % number)
    nofile = limits_of_processes.RLIMIT_NOFILE
    limits = limits_of_processes.getrlimit(nofile)
    limits_of_processes.setrlimit(nofile, (64, limits[1]))
    try:
        digests = DigestProcess()  # keeps the limit it was started with
    finally:
        limits_of_processes.setrlimit(nofile, limits)
    digests.follow(pages, finished=True)
    measured = digests.result()
    assert measured["feed/page-000299.trig"] == (4, hashlib.sha256(b"p299").hexdigest())
    assert len(measured) == 300


def test_sizes_are_told_without_waiting_for_a_process_that_gets_no_cpu(tmp_path: Path) -> None:
    from nualod.files.digests import DigestProcess

    dump = tmp_path / "dump"
    dump.write_bytes(b"")
    digests = DigestProcess()
    digests.follow({"dump": dump})
    os.kill(digests._process.pid, signal.SIGSTOP)

    def held_up(*_: object) -> None:
        raise AssertionError("advance() waited for the process")

    before = signal.signal(signal.SIGALRM, held_up)
    signal.alarm(20)
    try:
        with dump.open("ab") as stream:
            for number in range(5000):  # many times what the pipe holds
                stream.write(b"x")
                stream.flush()
                digests.advance({"dump": number + 1})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
        os.kill(digests._process.pid, signal.SIGCONT)
    digests.finish()
    assert digests.result() == {"dump": (5000, hashlib.sha256(b"x" * 5000).hexdigest())}


def test_a_process_beside_the_run_that_cannot_start_is_one_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nualod.files.digests import DigestProcess
    from nualod.write.store import ProcessLoad

    monkeypatch.setattr(sys, "executable", "/nowhere/python")
    for start, what in ((DigestProcess, "measures files"), (ProcessLoad, "builds the store")):
        with pytest.raises(PublishError) as raised:
            start()
        assert str(raised.value) == (
            f"cannot start the process that {what} ('/nowhere/python'): No such file or directory"
        )


def test_a_measuring_that_failed_says_so_each_time_it_is_asked(tmp_path: Path) -> None:
    from nualod.files.digests import DigestProcess

    digests = DigestProcess()
    digests.follow({"gone": tmp_path / "gone"}, finished=True)
    for _ in range(2):
        with pytest.raises(PublishError) as raised:
            digests.result()
        assert str(raised.value) == f"{tmp_path / 'gone'}: cannot read: No such file or directory"


def test_stopped_dumps_measuring_gives_no_measures(tmp_path: Path) -> None:
    from nualod.run.release import DumpMeasuring

    dumps = {name: tmp_path / name for name in DUMP_FORMATS}
    for path in dumps.values():
        path.write_bytes(b"")
    measuring = DumpMeasuring(dumps, finished=False)
    measuring.stop()
    with pytest.raises(PublishError, match=r"^the dumps' measuring was stopped$"):
        measuring.result()


def test_a_failing_release_step_leaves_no_half_written_file(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    publish([examples_dir], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise PublishError("disk full")

    monkeypatch.setattr("nualod.run.release.catalog_jsonld", broken)
    with pytest.raises(PublishError, match="disk full"):
        publish([examples_dir], out, modified=dt.date(2030, 1, 1))
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after.keys() == before.keys()  # no .part files left behind
    for name in ("catalog.ttl", "void.ttl", "index.html"):
        assert after[name] == before[name]
    # One release, current, and no staging folder left (see nualod.releases.layout).
    assert [p.name for p in (out / "releases").iterdir()] == [(out / "current").resolve().name]


def test_catalog_builder_is_pure_and_frames_at_the_catalog() -> None:
    iris = DataIRIs("https://example.org/id/")

    dumps = [DumpFile(name, 10, "0" * 64) for name in DUMP_FORMATS]
    triples = catalog_triples(iris, dumps, Release("https://example.org/files/"))
    assert triples == catalog_triples(iris, dumps, Release("https://example.org/files/"))
    document = catalog_document(triples)
    assert document["id"] == "https://example.org/id/catalog"
    assert len(document["dataset"][0]["distribution"]) == len(DUMP_FORMATS) == 13


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def test_schema_org_dataset_meets_dataset_search(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    document = json.loads((out / "dataset.jsonld").read_text(encoding="utf-8"))
    assert document["@type"] == "Dataset"
    for key in ("name", "description", "url", "identifier", "keywords", "license", "creator",
                "publisher", "distribution", "spatialCoverage", "temporalCoverage",
                "isAccessibleForFree", "inLanguage"):  # fmt: skip
        assert document.get(key), key
    assert 50 <= len(document["description"]) <= 5000
    assert document["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "CC BY-SA 3.0 IGO" in document["copyrightNotice"]
    for download in document["distribution"]:
        assert download["@type"] == "DataDownload"
        name = download["contentUrl"].rsplit("/", 1)[-1]
        assert download["contentSize"] == f"{(out / name).stat().st_size} B"
        assert download["encodingFormat"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", document["temporalCoverage"])
    scripts = _Scripts()
    scripts.feed((out / "index.html").read_text(encoding="utf-8"))
    assert len(scripts.blocks) == 1
    assert json.loads(scripts.blocks[0]) == document
    for name in DUMP_FORMATS:
        assert f'href="{name}"' in (out / "index.html").read_text(encoding="utf-8")


_LINK = re.compile(r'<link rel="([a-z-]+)"(?: type="([^"]+)")? href="([^"]+)">')


def _signposts(page: Path) -> list[tuple[str, str, str]]:
    """Return a page's links but its icon (``data:,``: none), which signposts nothing."""
    links: list[tuple[str, str, str]] = _LINK.findall(page.read_text(encoding="utf-8"))
    assert links[0] == ("icon", "", "data:,")
    return links[1:]


def test_the_landing_page_signposts_the_dataset_its_catalog_and_its_files(
    published_examples: tuple[Path, PublishResult], examples_dir: Path, tmp_path: Path
) -> None:
    """FAIR Signposting on the landing page: the dataset's IRI to cite, the catalog that
    describes it, each file of the catalog as an ``item`` with its media type, the licence;
    a versioned release is cited by its version's IRI, which the catalog describes."""
    out, _ = published_examples
    catalog = _catalog(out)
    links = _signposts(out / "index.html")
    assert links[:3] == [
        ("cite-as", "", "https://w3id.org/nualod/id/dataset/nuf-good-practices"),
        ("describedby", "text/turtle", "catalog.ttl"),
        ("describedby", "application/ld+json", "catalog.jsonld"),
    ]
    assert links[-1] == ("license", "", "https://creativecommons.org/licenses/by-sa/4.0/")
    items = {href: kind for rel, kind, href in links if rel == "item"}
    iana = "https://www.iana.org/assignments/media-types/"
    assert items == {
        str(url).rsplit("/", 1)[-1]: str(kind).removeprefix(iana)
        for distribution in catalog.subjects(RDF.type, DCAT.Distribution)
        for url in catalog.objects(distribution, DCAT.downloadURL)
        for kind in catalog.objects(distribution, DCAT.mediaType)
    }
    assert all((out / name).is_file() for name in items)

    publish([examples_dir], tmp_path / "v", version="2")
    versioned = _signposts(tmp_path / "v" / "current" / "index.html")
    cited = URIRef("https://w3id.org/nualod/id/dataset/nuf-good-practices/2")
    assert versioned[0] == ("cite-as", "", str(cited))
    assert (cited, RDF.type, DCAT.Dataset) in _catalog(tmp_path / "v")
    # The schema.org document the page embeds names the same dataset, its version and the
    # series (cross-format review: it named the series, the landing page the version).
    document = json.loads((tmp_path / "v" / "current" / "dataset.jsonld").read_text("utf-8"))
    series = "https://w3id.org/nualod/id/dataset/nuf-good-practices"
    assert (document["@id"], document["identifier"], document["version"]) == (
        str(cited),
        str(cited),
        "2",
    )
    assert document["isPartOf"] == {"@type": "Dataset", "@id": series, "name": document["name"]}


def test_script_closing_tags_inside_the_json_are_escaped() -> None:
    from nualod.describe.schemaorg import script_json

    text = script_json({"description": "a </script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text)["description"].endswith("</script>")
