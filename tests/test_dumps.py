"""Every dump parses with rdflib and pyoxigraph, and all hold the same graph as the store."""

from __future__ import annotations

import errno
import json
import os
import re
import warnings
from pathlib import Path

import pytest
from pyld import jsonld
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from nualod.describe.catalog import no_network_loader
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import PREFIXES
from nualod.model.terms import RDF_TYPE
from nualod.model.triples import TermTriple
from nualod.run.publish import PublishResult, publish
from nualod.write.dumps import render, render_typed_node, turtle_writer
from nualod.write.store import open_store

XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
FORMATS = {
    "nualod.ttl": (RdfFormat.TURTLE, "turtle"),
    "nualod.nt": (RdfFormat.N_TRIPLES, "nt"),
    "nualod.nq": (RdfFormat.N_QUADS, "nquads"),
    "nualod.jsonld": (RdfFormat.JSON_LD, None),
}


def _triples(quads: list[Quad]) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


@pytest.fixture(scope="module")
def union(published_examples: tuple[Path, PublishResult]) -> Graph:
    """Return the N-Triples dump as an rdflib graph."""
    return Graph().parse(published_examples[0] / "nualod.nt", format="nt")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_dump_parses_with_pyoxigraph_to_the_same_triples(
    name: str, published_examples: tuple[Path, PublishResult]
) -> None:
    out = published_examples[0]
    reference = _triples(list(parse(path=str(out / "nualod.nt"), format=RdfFormat.N_TRIPLES)))
    found = _triples(list(parse(path=str(out / name), format=FORMATS[name][0])))
    assert found == reference


@pytest.mark.parametrize("name", ["nualod.ttl", "nualod.nq"])
def test_each_dump_parses_with_rdflib_to_the_same_graph(
    name: str, published_examples: tuple[Path, PublishResult], union: Graph
) -> None:
    out = published_examples[0]
    if name.endswith(".nq"):
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib 7.6 warns about its own internals here
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=(out / name).read_text(encoding="utf-8"), format="nquads")
        graph = Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
    else:
        graph = Graph().parse(out / name, format=FORMATS[name][1])
    assert isomorphic(graph, union)


def test_the_jsonld_dump_expands_offline_with_pyld_to_the_same_graph(
    published_examples: tuple[Path, PublishResult], union: Graph
) -> None:
    document = json.loads((published_examples[0] / "nualod.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network_loader}
    )
    assert isomorphic(Graph().parse(data=nquads, format="nt"), union)

    # Term for term, but for one known rewrite: JSON-LD processors (pyld, jsonld.js) write
    # an xsd:double in its canonical form ("9.0E-1"), Oxigraph and the other dumps in the
    # shortest ("0.9"), the alignments' sssom:confidence; the README says so.
    def terms(triples: list[Triple]) -> set[str]:
        return {
            f"{t.subject} {t.predicate} "
            + (
                f"{float(t.object.value)!r}^^double"
                if isinstance(t.object, Literal) and t.object.datatype.value == XSD_DOUBLE
                else str(t.object)
            )
            for t in triples
        }

    expanded = [
        Triple(quad.subject, quad.predicate, quad.object)
        for quad in parse(nquads.encode(), format=RdfFormat.N_QUADS)
    ]
    written = list(
        parse((published_examples[0] / "nualod.nt").read_bytes(), format=RdfFormat.N_TRIPLES)
    )
    assert terms(expanded) == terms(written)  # type: ignore[arg-type]
    doubles = {
        t.object.value
        for t in expanded
        if isinstance(t.object, Literal) and t.object.datatype.value == XSD_DOUBLE
    }
    assert doubles and all(re.fullmatch(r"-?[1-9]\.[0-9]+E-?[0-9]+", value) for value in doubles)


def test_the_store_holds_the_same_quads_as_the_nquads_dump(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out = published_examples[0]
    store = open_store(out / "store")
    assert set(store) == set(parse(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS))
    graphs = {str(g.value) for g in store.named_graphs()}
    assert {g.rsplit("/", 1)[-1] for g in graphs} >= {"practices", "vocabulary", "reference"}


def test_a_second_publish_gives_byte_identical_metadata(examples_dir: Path, tmp_path: Path) -> None:
    from nualod.run.publish import publish

    first, second = tmp_path / "a", tmp_path / "b"
    publish([examples_dir], first)
    publish([examples_dir], second)
    publish([examples_dir], first)  # over an existing folder and store
    for name in ("catalog.ttl", "catalog.jsonld", "void.ttl", "dataset.jsonld", "index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert set(open_store(first / "store")) == set(open_store(second / "store"))
    assert not [p.name for p in first.iterdir() if p.name.startswith(".")]


def test_spooled_groups_are_copied_the_same_without_copy_file_range(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the kernel cannot copy between the files (another file system), bytes go through."""
    publish([examples_dir], tmp_path / "kernel", release=False)

    def cross_device(*args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", cross_device)
    publish([examples_dir], tmp_path / "through", release=False)
    for name in ("nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld"):
        assert (tmp_path / "kernel" / name).read_bytes() == (
            tmp_path / "through" / name
        ).read_bytes()


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/a?b=c&d=x",
        "http://pekalongankota.go.id/berita/abc",
        "https://w3id.org/nualod/id/region/33.75",  # written as a prefixed name
        "https://schema.org/foo",
        "https://example.org/a.",  # not a safe local name
        "https://example.org/kota-batik/é",
        "https://example.org/p#frag",
    ],
)
@pytest.mark.parametrize(
    "cls",
    [
        "https://schema.org/WebPage",
        "https://w3id.org/nualod/def#GoodPractice",
        "http://x.example/C",
    ],
)
def test_a_typed_node_renders_as_the_general_renderer_renders_it(iri: str, cls: str) -> None:
    prefixes = {**PREFIXES, **DataIRIs().prefixes()}
    writer = turtle_writer(prefixes)
    graph = DataIRIs().graph("practices")
    general = render(graph, [TermTriple(NamedNode(iri), NamedNode(RDF_TYPE), NamedNode(cls))],
                     prefixes, DataIRIs().base)  # fmt: skip
    assert render_typed_node(graph, iri, cls, writer) == general
