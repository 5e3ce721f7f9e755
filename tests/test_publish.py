"""Publishing pages end to end: the contract portals and queries rely on, round trips, determinism."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from rdflib.compare import to_isomorphic

from nualod.cli import main
from nualod.run.publish import PublishResult, publish

DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
NUA = rdflib.Namespace("https://w3id.org/nualod/def#")
OWL = rdflib.OWL
PEKALONGAN_PAGE = (
    "https://pekalongankota.go.id/berita/dekranasda-dorong-pertumbuhan-ekonomi-lewat-seni-kr"
)
INDICATOR_47 = "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"


def _no_network(url: str, options: object = None) -> object:
    raise AssertionError(f"pyld tried to load {url}")


def _jsonld_graph(path: Path) -> rdflib.Graph:
    """Parse a JSON-LD dump through pyld (with the network forbidden) into rdflib."""
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": _no_network}
    )
    return rdflib.Graph().parse(data=nquads, format="nt")  # all in the default graph


def _rdflib_jsonld(path: Path) -> rdflib.Graph:
    """Parse JSON-LD with rdflib's own parser (which uses its deprecated ConjunctiveGraph inside)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(path, format="json-ld")


def _pekalongan(graph: rdflib.Graph) -> rdflib.URIRef:
    practices = list(graph.subjects(rdflib.RDF.type, NUA.GoodPractice))
    assert len(practices) == 1
    return practices[0]  # type: ignore[return-value]


@pytest.fixture(scope="module", params=["bundled", "shared"])
def sample_out(
    request: pytest.FixtureRequest, examples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Publish the Pekalongan page: our own restatement always, the real NUF page where ../shared is."""
    if request.param == "shared":
        page = request.getfixturevalue("shared_sample")
    else:
        page = examples_dir / "pekalongan-tema10-indikator47.txt"
    out = tmp_path_factory.mktemp("sample")
    result = CliRunner().invoke(main, ["publish", str(page), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_sample_page_gives_one_practice_with_the_contract(sample_out: Path) -> None:
    graph = rdflib.Graph().parse(sample_out / "nualod.ttl")
    practice = _pekalongan(graph)
    title = graph.value(practice, DCTERMS.title)
    assert (str(title), title.language) == ("Kota Pekalongan, Kota Kerajinan dan Seni Rakyat", "id")
    abstract = graph.value(practice, DCTERMS.abstract)
    assert abstract.language == "id" and "UNESCO" in str(abstract)
    description = graph.value(practice, DCTERMS.description)
    assert description.language == "id" and "Dekranasda" in str(description)
    assert "\n\n" in str(description)  # paragraphs kept
    issued = graph.value(practice, DCTERMS.issued)
    assert (str(issued), issued.datatype) == ("2025-12-18", rdflib.XSD.date)
    assert list(graph.objects(practice, DCTERMS.source)) == [rdflib.URIRef(PEKALONGAN_PAGE)]

    city = graph.value(practice, DCTERMS.spatial)
    assert str(graph.value(city, DCTERMS.identifier)) == "33.75"
    assert set(graph.objects(city, OWL.sameAs)) == {
        rdflib.URIRef("http://www.wikidata.org/entity/Q11026"),
        rdflib.URIRef("https://sws.geonames.org/1631766/"),
    }

    indicator = graph.value(practice, NUA.indicator)
    assert str(graph.value(indicator, SKOS.notation)) == "47"
    labels = {(str(label), label.language) for label in graph.objects(indicator, SKOS.prefLabel)}
    assert (INDICATOR_47, "id") in labels
    assert graph.value(indicator, SKOS.inScheme) == rdflib.URIRef(
        "https://w3id.org/nualod/code/indicator"
    )
    theme = graph.value(indicator, SKOS.broader)
    assert str(graph.value(theme, SKOS.notation)) == "10"
    assert graph.value(practice, NUA.theme) == theme


def test_dumps_parse_back_to_one_graph_with_rdflib_and_pyoxigraph(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    turtle = rdflib.Graph().parse(out / "nualod.ttl")
    graphs = {
        "nt": rdflib.Graph().parse(out / "nualod.nt"),
        "jsonld (pyld)": _jsonld_graph(out / "nualod.jsonld"),
        "jsonld (rdflib)": _rdflib_jsonld(out / "nualod.jsonld"),
    }
    reference = to_isomorphic(turtle)
    for name, graph in graphs.items():
        assert to_isomorphic(graph) == reference, name
    for name, fmt in (("nualod.ttl", ox.RdfFormat.TURTLE), ("nualod.jsonld", ox.RdfFormat.JSON_LD)):
        oxi = rdflib.Graph()
        for quad in ox.parse(path=str(out / name), format=fmt):
            oxi.parse(data=str(quad.triple) + " .\n", format="nt")
        assert to_isomorphic(oxi) == reference, name
    union = rdflib.Graph()
    graph_names = set()
    for quad in ox.parse(path=str(out / "nualod.nq"), format=ox.RdfFormat.N_QUADS):
        union.parse(data=str(quad.triple) + " .\n", format="nt")
        graph_names.add(str(quad.graph_name))
    assert to_isomorphic(union) == reference
    assert len(graph_names) == 4


def test_jsonld_is_compact_with_an_inline_context(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    document = json.loads((out / "nualod.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads(
        (Path(__file__).resolve().parent.parent / "nualod" / "vocab" / "context.jsonld").read_text(
            "utf-8"
        )
    )
    assert document["@context"] == shipped["@context"]
    practice = next(node for node in document["@graph"] if node.get("type") == "GoodPractice")
    assert {
        "id",
        "type",
        "title",
        "abstract",
        "description",
        "issued",
        "source",
        "spatial",
        "indicator",
    } <= set(practice)
    assert not [key for key in practice if key.startswith("http")]
    assert practice["title"]["id"]


def test_two_runs_give_byte_identical_files(examples_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    publish([examples_dir], first)
    publish([examples_dir], second)
    # The store/ folder is a database (RocksDB), not a dump; its content is checked by query.
    names = sorted(p.name for p in first.iterdir() if p.is_file())
    assert names == sorted(p.name for p in second.iterdir() if p.is_file())
    assert {"nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld", "catalog.ttl"} <= set(names)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_pages_are_reported_one_line_each_and_good_ones_still_published(
    examples_dir: Path, tmp_path: Path, runner: CliRunner
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    good = examples_dir / "surabaya-tema03-indikator19.txt"
    (pages / "good.txt").write_bytes(good.read_bytes())
    (pages / "empty.txt").write_bytes(b"")
    (pages / "latin1.txt").write_bytes("Kota Pekalongan, caf\xe9".encode("latin-1"))
    (pages / "news.txt").write_text("Berita dan cerita\nRoadshow Hari Habitat\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
    assert result.exit_code == 1
    assert f"rejected: {pages / 'empty.txt'}: the file is empty\n" in result.output
    assert (
        f"rejected: {pages / 'latin1.txt'}: not UTF-8 text (byte 0xe9 at offset 20)\n"
        in result.output
    )
    assert (
        f"rejected: {pages / 'news.txt'}: not a good-practice page: no line "
        "'Praktik baik tema NN indikator MM <indicator name>'\n"
    ) in result.output
    graph = rdflib.Graph().parse(out / "nualod.ttl")
    assert len(list(graph.subjects(rdflib.RDF.type, NUA.GoodPractice))) == 1
    rejected = json.loads((out / "rejected.json").read_text(encoding="utf-8"))
    assert len(rejected["rejected"]) == 3


def test_version_and_help(runner: CliRunner) -> None:
    from nualod import __version__

    assert runner.invoke(main, ["--version"]).output == f"nualod {__version__}\n"
    for command in main.commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage: " in result.output, command


def test_publish_help_gives_the_defaults_and_exit_codes_the_readme_does(runner: CliRunner) -> None:
    text = " ".join(runner.invoke(main, ["publish", "--help"]).output.split())
    assert "130 when stopped by Ctrl-C and 143 by SIGTERM" in text
    assert "default: the latest practice or retrieval date" in text
    assert "Public SPARQL endpoint, for VoID and the catalog" in text


@pytest.mark.parametrize("command", ["publish", "harvest", "site"])
def test_the_help_of_a_long_running_command_gives_ctrl_c_and_sigterm_codes(
    runner: CliRunner, command: str
) -> None:
    text = " ".join(runner.invoke(main, [command, "--help"]).output.split())
    assert "130" in text and "Ctrl-C" in text and "143" in text and "SIGTERM" in text


def test_library_hands_back_an_rdflib_graph(examples_dir: Path) -> None:
    from nualod import practices_graph

    graph = practices_graph([examples_dir])
    assert len(list(graph.subjects(rdflib.RDF.type, NUA.GoodPractice))) == 4


def test_a_result_names_its_release_whose_files_stay_its_own(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``files`` are OUT's links, which the next publish points at its release: the result
    also names the release's own folder (absolute, whatever the working folder becomes)."""
    monkeypatch.chdir(tmp_path)
    first = publish([examples_dir], Path("out"), version="1")
    assert (first.release, first.version) == (tmp_path / "out" / "releases" / "1", "1")
    second = publish(
        [examples_dir / "surabaya-tema03-indikator19.txt"], Path("out"), version="2",
        previous=Path("out"),
    )  # fmt: skip
    assert second.release == tmp_path / "out" / "releases" / "2"
    unversioned = publish([examples_dir], tmp_path / "plain")
    assert unversioned.version is None
    assert unversioned.release is not None
    assert unversioned.release.parent == tmp_path / "plain" / "releases"
    assert unversioned.release.name.startswith("sha256-")
    monkeypatch.chdir("/")
    assert first.release is not None
    kept = first.release / "nualod.nt"
    assert len(kept.read_bytes()) > len((second.release / "nualod.nt").read_bytes())
