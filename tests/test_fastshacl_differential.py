"""The fast SHACL engine gives the same results as pyshacl, on valid and broken practices.

Practices come from the bench generator; each mutation breaks one thing a shape checks
(or nothing a shape checks). Both engines validate the same triples with the shapes
shipped at the time the test runs, and must give the same results: compared as sets of
(focus, path, severity, constraint, value) and, beyond that, as whole results (messages,
source shape, value kind and term) and focus-node descriptions.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib import Graph
from rdflib.namespace import SH

from bench.generate import pages
from nualod.link.practice import link_practice
from nualod.map.practice import PracticeMapper, practice_triples, region_triples
from nualod.model.iris import DataIRIs
from nualod.model.records import Origin
from nualod.read.pages import parse_page_text
from nualod.validate.fast import (
    CompiledShapes,
    UnsupportedShapesError,
    compile_shapes,
    validate_triples_fast,
    validator_for,
)
from nualod.validate.shacl import ValidationReport, default_shapes_graph, validate_triples

DCT = "http://purl.org/dc/terms/"
NUA = "https://w3id.org/nualod/def#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
IRIS = DataIRIs()

Record = list[Triple]
Mutation = Callable[[Record, random.Random], Record]


@cache
def records(n: int = 60) -> list[tuple[Record, Record]]:
    """Return (practice triples, context triples: region and shared nodes) of n practices."""
    mapper = PracticeMapper(IRIS)
    out = []
    for name, text in pages(n, seed=7):
        linked = link_practice(parse_page_text(text, Origin(name)))
        context = region_triples(linked.region, IRIS)
        for node in mapper.shared_nodes(linked).values():
            context += node
        out.append((practice_triples(linked, IRIS), context))
    return out


def _p(triple: Triple, local: str, ns: str = DCT) -> bool:
    return triple.predicate.value == ns + local


def _replace(record: Record, local: str, make: Callable[[Triple], list[Triple]]) -> Record:
    out: Record = []
    for triple in record:
        out += make(triple) if _p(triple, local) or _p(triple, local, NUA) else [triple]
    return out


def drop(local: str) -> Mutation:
    return lambda record, rng: [t for t in record if not (_p(t, local) or _p(t, local, NUA))]


def duplicate(local: str, value: Callable[[Triple], Literal | NamedNode]) -> Mutation:
    return lambda record, rng: _replace(
        record, local, lambda t: [t, Triple(t.subject, t.predicate, value(t))]
    )


def swap(local: str, value: Callable[[Triple], Literal | NamedNode | BlankNode]) -> Mutation:
    return lambda record, rng: _replace(
        record, local, lambda t: [Triple(t.subject, t.predicate, value(t))]
    )


def _text(t: Triple) -> str:
    return t.object.value


MUTATIONS: dict[str, Mutation] = {
    "valid": lambda record, rng: record,
    "drop title": drop("title"),
    "drop issued": drop("issued"),
    "drop source": drop("source"),
    "drop spatial": drop("spatial"),
    "drop theme": drop("theme"),
    "drop indicator": drop("indicator"),
    "drop abstract": drop("abstract"),
    "drop description": drop("description"),
    "drop identifier": drop("identifier"),
    "drop type": lambda record, rng: [t for t in record if t.predicate != RDF_TYPE],
    "two titles": duplicate("title", lambda t: Literal(_text(t) + " (2)", language="id")),
    "titles in two languages": duplicate("title", lambda t: Literal(_text(t), language="en")),
    "title without language": swap("title", lambda t: Literal(_text(t))),
    "title in English": swap("title", lambda t: Literal(_text(t), language="en")),
    "title with region tag": swap("title", lambda t: Literal(_text(t), language="id-ID")),
    "short title": swap("title", lambda t: Literal("Ko", language="id")),
    "title as IRI": swap("title", lambda t: NamedNode("https://example.org/title")),
    "issued as string": swap("issued", lambda t: Literal(_text(t))),
    "issued as dateTime": swap(
        "issued", lambda t: Literal(_text(t) + "T00:00:00", datatype=NamedNode(XSD + "dateTime"))
    ),
    "issued ill-typed": swap(
        "issued", lambda t: Literal("2025-02-30", datatype=NamedNode(XSD + "date"))
    ),
    "issued not a date": swap(
        "issued", lambda t: Literal("18 Desember 2025", datatype=NamedNode(XSD + "date"))
    ),
    "two dates": duplicate(
        "issued", lambda t: Literal("2020-01-01", datatype=NamedNode(XSD + "date"))
    ),
    "same date twice, two spellings": duplicate(
        "issued", lambda t: Literal(_text(t), datatype=NamedNode(XSD + "date"))
    ),
    "city not a known place": swap("spatial", lambda t: NamedNode(IRIS.region("99.99"))),
    "city as text": swap("spatial", lambda t: Literal("Kota Pekalongan", language="id")),
    "two cities": duplicate("spatial", lambda t: NamedNode(IRIS.region("33.75"))),
    "theme not a concept": swap("theme", lambda t: NamedNode("https://example.org/theme/99")),
    "theme is an indicator": swap(
        "theme", lambda t: NamedNode("https://w3id.org/nualod/code/indicator/1")
    ),
    "two themes": duplicate("theme", lambda t: NamedNode("https://w3id.org/nualod/code/theme/99")),
    "indicator not a concept": swap("indicator", lambda t: NamedNode("https://example.org/i/1")),
    "source as text": swap("source", lambda t: Literal(_text(t))),
    "source as blank node": swap("source", lambda t: BlankNode("s1")),
    "abstract without language": swap("abstract", lambda t: Literal(_text(t))),
    "abstract in English": swap("abstract", lambda t: Literal(_text(t), language="en")),
    "two abstracts": duplicate("abstract", lambda t: Literal("Lain.", language="id")),
    "short description": swap("description", lambda t: Literal("x", language="id")),
    "long description": swap("description", lambda t: Literal("kata " * 4000, language="id")),
    "identifier as number": swap(
        "identifier", lambda t: Literal("7", datatype=NamedNode(XSD + "integer"))
    ),
}

CONTEXT_MUTATIONS: dict[str, Mutation] = {
    "region without name": lambda record, rng: [
        t for t in record if not t.predicate.value.endswith(("#label", "/name"))
    ],
    "region with bad code": lambda record, rng: [
        Triple(t.subject, t.predicate, Literal("3375"))
        if t.predicate.value == DCT + "identifier"
        else t
        for t in record
    ],
    "region without sameAs": lambda record, rng: [
        t for t in record if not t.predicate.value.endswith("#sameAs")
    ],
    "concept without notation": lambda record, rng: [
        t for t in record if not t.predicate.value.endswith("#notation")
    ],
    "concept out of scheme": lambda record, rng: [
        Triple(t.subject, t.predicate, NamedNode("https://example.org/scheme"))
        if t.predicate.value.endswith("#inScheme")
        else t
        for t in record
    ],
    "concept without label": lambda record, rng: [
        t for t in record if not t.predicate.value.endswith("#prefLabel")
    ],
    "source not a web page": lambda record, rng: [
        t for t in record if not t.object.value.endswith("WebPage")
    ],
}


def batches() -> Iterator[tuple[str, list[Triple]]]:
    """Yield (name, triples): each mutation applied to some practices of a batch of valid ones."""
    data = records()
    for index, (name, mutation) in enumerate({**MUTATIONS, **CONTEXT_MUTATIONS}.items()):
        rng = random.Random(index)
        triples: list[Triple] = []
        for position, (own, context) in enumerate(data[:20]):
            hit = position % 4 == index % 4
            if hit and name in MUTATIONS:
                own = mutation(own, rng)
            if hit and name in CONTEXT_MUTATIONS:
                context = mutation(context, rng)
            triples += own + context
        yield name, triples


def _key(report: ValidationReport) -> set[tuple[str, str | None, str, str | None, str | None]]:
    return {
        (r.focus_node, r.path, r.severity, r.constraint, r.value)
        for r in report.results
        if r.value_kind != "blank"
    }


def _whole(report: ValidationReport) -> list[str]:
    """Return every field of every result, in the report's order (blank nodes left out)."""
    return [repr(r) for r in report.results if r.value_kind != "blank"]


def test_the_shipped_shapes_compile() -> None:
    compile_shapes()


@pytest.mark.parametrize("name", [name for name, _ in batches()])
def test_same_results_as_pyshacl(name: str) -> None:
    triples = dict(batches())[name]
    slow = validate_triples(triples)
    fast = validate_triples_fast(triples)
    assert _key(fast) == _key(slow)
    assert _whole(fast) == _whole(slow)
    assert fast.nodes == slow.nodes
    assert len(fast.results) == len(slow.results)


def test_mutations_exercise_the_shapes() -> None:
    valid = _key(validate_triples_fast(dict(batches())["valid"]))
    changed = [name for name, triples in batches() if _key(validate_triples_fast(triples)) != valid]
    assert len(changed) >= 20, changed


def _without_messages() -> Graph:
    graph = Graph()
    for triple in default_shapes_graph():
        if triple[1] != SH.message:
            graph.add(triple)
    for prefix, namespace in default_shapes_graph().namespaces():
        graph.bind(prefix, namespace, override=True)
    return graph


@pytest.mark.parametrize(
    "name",
    ["two titles", "issued ill-typed", "city not a known place", "source as text",
     "region with bad code", "concept out of scheme", "drop title", "region without sameAs"],
)  # fmt: skip
def test_same_generic_messages_as_pyshacl(name: str) -> None:
    shapes = _without_messages()
    triples = dict(batches())[name]
    slow = validate_triples(triples, shapes)
    fast = validate_triples_fast(triples, shapes)
    assert _whole(fast) == _whole(slow)


def test_shapes_it_cannot_compile_are_refused() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:lessThan ex:q, ex:r ] .
        """,
        format="turtle",
    )
    with pytest.raises(UnsupportedShapesError, match="lessThan is not one IRI"):
        compile_shapes(shapes)


def test_remembered_results_are_those_checked_afresh() -> None:
    # Regions recur in every batch; with some batches changing a region's own triples (no
    # name, a bad code, no sameAs), a remembered result must never stand for another.
    engine = CompiledShapes(default_shapes_graph())
    regions = {IRIS.region(code) for code in ("33.75", "99.99")} | {
        str(t.subject.value)
        for _, triples in batches()
        for t in triples
        if "/region/" in t.subject.value
    }
    for _ in range(2):  # the second round answers from what the first remembered
        for name, triples in batches():
            remembered = engine.validate(triples, recurring=regions)
            assert _whole(remembered) == _whole(validate_triples_fast(triples)), name
            assert remembered.nodes == validate_triples_fast(triples).nodes
    assert engine._memo  # it did remember


def test_only_shapes_that_read_their_focus_alone_are_remembered() -> None:
    engine = CompiledShapes(default_shapes_graph())
    local = {
        str(shape.node).rsplit("#", 1)[-1]
        for shape, ok in zip(engine.top, engine._local, strict=True)
        if ok
    }
    assert {"PlaceShape", "CityShape"} <= local
    # sh:class on its indicator, theme and city reads other nodes' types.
    assert "GoodPracticeShape" not in local
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:Local a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:pattern "^x" ] .
        ex:ByNode a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:p ; sh:node ex:Local ] .
        ex:Inverse a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    engine = CompiledShapes(shapes)
    flags = {
        str(shape.node).rsplit("/", 1)[-1]: ok
        for shape, ok in zip(engine.top, engine._local, strict=True)
    }
    assert flags == {"Local": True, "ByNode": False, "Inverse": False}


def test_closed_sees_literals_as_pyshacl_does() -> None:
    # rdflib reads "01"^^xsd:integer as "1"^^xsd:integer: to pyshacl, ex:q 1, "01" is one
    # triple, so one result, not two.
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true ;
            sh:property [ sh:path ex:p ] .
        """,
        format="turtle",
    )
    ex = "http://example.org/"
    integer = NamedNode(XSD + "integer")
    triples = [
        Triple(NamedNode(ex + "a"), NamedNode(ex + "p"), Literal("x")),
        Triple(NamedNode(ex + "a"), NamedNode(ex + "q"), Literal("1", datatype=integer)),
        Triple(NamedNode(ex + "a"), NamedNode(ex + "q"), Literal("01", datatype=integer)),
    ]
    fast = validate_triples_fast(triples, shapes)
    assert [(r.path, r.value_n3) for r in fast.results] == [(ex + "q", f'"1"^^<{XSD}integer>')]
    assert _whole(fast) == _whole(validate_triples(triples, shapes))


def test_a_fallback_to_pyshacl_says_why() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
        """,
        format="turtle",
    )
    fast = validator_for("fast", shapes)
    assert fast.__name__ == "validate_with_pyshacl"
    report = fast([])
    assert (report.engine, report.fallback) == (
        "pyshacl",
        "the shapes use http://www.w3.org/ns/shacl#sparql, which is not compiled",
    )
    assert validator_for("fast")([]).engine == "fast"
    assert validator_for("pyshacl")([]).fallback is None
