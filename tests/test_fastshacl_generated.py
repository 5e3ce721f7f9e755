"""The fast engine against pySHACL on generated shapes and data, result for result.

A seeded generator writes small shapes graphs that use every construct the fast engine
compiles (each target kind, each path kind, each core constraint, nested and logical
shapes, qualified shapes, severities, messages, deactivation) and small data graphs
that hit their edges: typed literals in non-canonical form ("01"^^xsd:integer), ill-typed
literals, language tags in two cases, blank nodes, subclasses, cycles for repeated paths.
For every seed, either the fast engine refuses the shapes (then nualod runs pySHACL), or
both engines give the same results: every field of every result, in the same order, and
the same focus-node descriptions. Where pySHACL stops with an error, the fast engine must
refuse or stop too. The seeds run in a fixed order, so a failure names its seed.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from pyoxigraph import BlankNode, RdfFormat, parse
from rdflib import BNode, Graph

from nualod.errors import UnsupportedShapesError
from nualod.validate.fast import CompiledShapes
from nualod.validate.shacl import ValidationReport, triples_to_graph, validate_graph

SEEDS = range(400)
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
NODES = ["ex:a", "ex:b", "ex:c", "ex:d", "ex:e", "_:x", "_:y"]
PREDICATES = ["ex:p", "ex:q", "ex:r"]
CLASSES = ["ex:C", "ex:D", "ex:E"]
LITERALS = [
    '"abc"', '"Abc"', '"x"', '""', '"abc"@en', '"abc"@EN', '"abc"@en-NZ', '"kota"@id',
    '"1"^^xsd:integer', '"01"^^xsd:integer', '"-3"^^xsd:integer', '"42"^^xsd:integer',
    '"2.5"^^xsd:decimal', '"2.50"^^xsd:decimal', '"1e3"^^xsd:double', '"true"^^xsd:boolean',
    '"1"^^xsd:boolean', '"2025-01-31"^^xsd:date', '"2025-13-01"^^xsd:date',
    '"2024-02-29"^^xsd:date', '"abc"^^xsd:integer', '"http://example.org/a"^^xsd:anyURI',
    '"5"^^xsd:string', '"2025-01-31T10:00:00"^^xsd:dateTime',
]  # fmt: skip
DATATYPES = [
    "xsd:string", "xsd:integer", "xsd:decimal", "xsd:date", "xsd:boolean", "rdf:langString",
    "xsd:dateTime", "rdfs:Literal", "xsd:anyURI",
]  # fmt: skip
NODE_KINDS = [
    "sh:IRI", "sh:BlankNode", "sh:Literal", "sh:BlankNodeOrIRI", "sh:BlankNodeOrLiteral",
    "sh:IRIOrLiteral",
]  # fmt: skip
BOUNDS = ['"1"^^xsd:integer', '"2.5"^^xsd:decimal', '"2025-01-01"^^xsd:date', '"abc"', "0"]


def data_graph(rng: random.Random) -> str:
    """Return a small data graph in Turtle."""
    lines = []
    for _ in range(rng.randint(8, 30)):
        subject = rng.choice(NODES)
        if rng.random() < 0.25:
            lines.append(f"{subject} rdf:type {rng.choice(CLASSES)} .")
            continue
        obj = rng.choice(NODES + LITERALS + LITERALS)
        lines.append(f"{subject} {rng.choice(PREDICATES)} {obj} .")
    if rng.random() < 0.5:
        lines.append("ex:D rdfs:subClassOf ex:C .")
    return PREFIXES + "\n".join(lines) + "\n"


def path(rng: random.Random) -> str:
    """Return a property path of any kind the engine compiles."""
    p, q = rng.sample(PREDICATES, 2)
    return rng.choice(
        [
            p, p, p, f"[ sh:inversePath {p} ]", f"( {p} {q} )", f"[ sh:alternativePath ( {p} {q} ) ]",
            f"[ sh:zeroOrMorePath {p} ]", f"[ sh:oneOrMorePath {p} ]", f"[ sh:zeroOrOnePath {p} ]",
            f"( {p} [ sh:zeroOrMorePath {q} ] )",
        ]
    )  # fmt: skip


def value_constraint(rng: random.Random) -> str:
    """Return one constraint that reads value nodes only."""
    values = " ".join(rng.sample(NODES[:5] + LITERALS, 3))
    return rng.choice(
        [
            f"sh:in ( {values} )",
            f"sh:minLength {rng.randint(0, 4)}",
            f"sh:maxLength {rng.randint(0, 4)}",
            f'sh:pattern "{rng.choice(["^a", "b", "^[0-9]+$", "C$", "^$"])}"',
            'sh:pattern "^a" ; sh:flags "i"',
            f"sh:datatype {rng.choice(DATATYPES)}",
            f"sh:nodeKind {rng.choice(NODE_KINDS)}",
            f"sh:class {rng.choice(CLASSES)}",
            f"sh:hasValue {rng.choice(NODES[:5] + LITERALS)}",
            f"sh:{rng.choice(['min', 'max'])}{rng.choice(['In', 'Ex'])}clusive {rng.choice(BOUNDS)}",
            "sh:languageIn ( " + rng.choice(['"en"', '"id" "mi"', '"EN"', '"*"']) + " )",
        ]
    )


def node_shape_body(rng: random.Random, depth: int) -> str:
    """Return the constraints of a node shape (no target), nesting shapes up to ``depth``."""
    choices = [value_constraint(rng) for _ in range(3)]
    choices.append(f"sh:property [ {property_shape_body(rng, depth + 1)} ]")
    choices.append(f"sh:{rng.choice(['equals', 'disjoint'])} {rng.choice(PREDICATES)}")
    choices.append(
        "sh:closed true ; sh:ignoredProperties ( rdf:type ) ; "
        f"sh:property [ sh:path {rng.choice(PREDICATES)} ]"
    )
    if depth < 2:
        inner = [f"[ {node_shape_body(rng, depth + 1)} ]" for _ in range(rng.randint(1, 3))]
        choices += [
            f"sh:node {inner[0]}",
            f"sh:not {inner[0]}",
            f"sh:and ( {' '.join(inner)} )",
            f"sh:or ( {' '.join(inner)} )",
            f"sh:xone ( {' '.join(inner)} )",
        ]
    parts = rng.sample(choices, rng.randint(1, 2))
    return " ; ".join(parts + extras(rng))


def property_shape_body(rng: random.Random, depth: int) -> str:
    """Return a property shape's path and constraints."""
    choices = [value_constraint(rng) for _ in range(3)]
    choices += [
        f"sh:minCount {rng.randint(0, 3)}",
        f"sh:maxCount {rng.randint(0, 2)}",
        "sh:uniqueLang true",
        f"sh:{rng.choice(['equals', 'disjoint', 'lessThan', 'lessThanOrEquals'])} "
        f"{rng.choice(PREDICATES)}",
    ]
    if depth < 2:
        inner = f"[ {node_shape_body(rng, depth + 1)} ]"
        choices += [
            f"sh:node {inner}",
            f"sh:or ( {inner} [ {value_constraint(rng)} ] )",
            f"sh:qualifiedValueShape {inner} ; sh:qualifiedMinCount {rng.randint(0, 2)}",
            f"sh:qualifiedValueShape {inner} ; sh:qualifiedMaxCount {rng.randint(0, 1)}",
        ]
    parts = rng.sample(choices, rng.randint(1, 3))
    return f"sh:path {path(rng)} ; " + " ; ".join(parts + extras(rng))


def extras(rng: random.Random) -> list[str]:
    """Return a severity, a message or deactivation, now and then."""
    out = []
    if rng.random() < 0.3:
        out.append(f"sh:severity sh:{rng.choice(['Warning', 'Info', 'Violation'])}")
    if rng.random() < 0.2:
        out.append('sh:message "wrong"@en, "salah"@id')
    if rng.random() < 0.05:
        out.append("sh:deactivated true")
    return out


def target(rng: random.Random) -> str:
    """Return one target of any kind (implicit class targets are made in shapes_graph)."""
    return rng.choice(
        [
            f"sh:targetClass {rng.choice(CLASSES)}",
            f"sh:targetNode {rng.choice(NODES[:5] + LITERALS[:3])}",
            f"sh:targetSubjectsOf {rng.choice(PREDICATES)}",
            f"sh:targetObjectsOf {rng.choice(PREDICATES)}",
        ]
    )


def shapes_graph(rng: random.Random) -> str:
    """Return a shapes graph of one to three targeted shapes."""
    shapes = []
    for index in range(rng.randint(1, 3)):
        name = f"ex:S{index}"
        if rng.random() < 0.15:  # an implicit class target
            name = rng.choice(CLASSES)
            head = f"{name} a sh:NodeShape, rdfs:Class"
        else:
            head = f"{name} a sh:NodeShape ; {target(rng)}"
        if rng.random() < 0.5:
            shapes.append(f"{head} ; {node_shape_body(rng, 0)} .")
        else:
            shapes.append(f"{head} ; sh:property [ {property_shape_body(rng, 0)} ] .")
    return PREFIXES + "\n".join(shapes) + "\n"


def _blank(text: str | None, blank_ids: set[str]) -> str | None:
    """Return text with blank node ids made alike (each engine names blank nodes its own way)."""
    if text is None:
        return None
    if text in blank_ids:
        return "_:"
    for blank in blank_ids:
        if len(blank) >= 8:  # generated ids, never part of other text (a label "d" may be)
            text = text.replace(blank, "_:")
    return text


def _all(report: ValidationReport, blank_ids: set[str]) -> list[str]:
    """Return every field of every result, blank nodes made alike, sorted."""
    return sorted(
        repr(
            replace(
                r,
                focus_node=_blank(r.focus_node, blank_ids),
                message=_blank(r.message, blank_ids),
                messages=tuple((lang, _blank(m, blank_ids)) for lang, m in r.messages),
                value=_blank(r.value, blank_ids) if r.value_kind == "blank" else r.value,
                value_n3="_:" if r.value_kind == "blank" else r.value_n3,
            )
        )
        for r in report.results
    )


def _nodes(report: ValidationReport, blank_ids: set[str]) -> list[str]:
    return sorted(repr(replace(n, iri=_blank(n.iri, blank_ids))) for n in report.nodes)


def compare(seed: int) -> str:
    """Run both engines on one seed; return "refused", "both stopped" or "same"."""
    rng = random.Random(seed)
    shapes_text, data_text = shapes_graph(rng), data_graph(rng)
    shapes = Graph().parse(data=shapes_text, format="turtle")
    triples = [
        q.triple
        for q in parse(data_text.encode(), format=RdfFormat.TURTLE, rename_blank_nodes=True)
    ]
    data = triples_to_graph(triples)
    slow_blanks = {str(term) for triple in data for term in triple if isinstance(term, BNode)}
    fast_blanks = {
        term.value for triple in triples for term in triple if isinstance(term, BlankNode)
    }
    try:
        slow: ValidationReport | Exception = validate_graph(data, shapes)
    except Exception as error:  # pyshacl stops on shapes it cannot load or values it cannot compare
        slow = error
    try:
        engine = CompiledShapes(shapes)
    except UnsupportedShapesError:
        return "refused"
    if isinstance(slow, Exception):
        with pytest.raises(Exception):  # noqa: B017 - any error, as pyshacl's
            engine.validate(triples)
        return "both stopped"
    fast = engine.validate(triples)
    context = f"seed {seed}\n{shapes_text}\n{data_text}"
    assert _all(fast, fast_blanks) == _all(slow, slow_blanks), context
    assert _nodes(fast, fast_blanks) == _nodes(slow, slow_blanks), context
    # Results in the same order, where blank nodes do not decide it.
    if not fast_blanks:
        assert fast.results == slow.results, context
    return "same"


@pytest.mark.parametrize("chunk", range(8))
def test_same_results_as_pyshacl(chunk: int) -> None:
    outcomes = Counter(compare(seed) for seed in SEEDS if seed % 8 == chunk)
    # The generator must mostly make shapes the engine compiles, or it tests nothing.
    assert outcomes["same"] >= 0.8 * sum(outcomes.values()), outcomes


def test_every_construct_is_generated() -> None:
    text = "".join(shapes_graph(random.Random(seed)) for seed in SEEDS)
    for construct in (
        "sh:targetClass", "sh:targetNode", "sh:targetSubjectsOf", "sh:targetObjectsOf",
        "rdfs:Class", "sh:inversePath", "sh:alternativePath", "sh:zeroOrMorePath",
        "sh:oneOrMorePath", "sh:zeroOrOnePath", "sh:in", "sh:minLength", "sh:maxLength",
        "sh:pattern", "sh:flags", "sh:datatype", "sh:nodeKind", "sh:class", "sh:hasValue",
        "sh:minInclusive", "sh:maxInclusive", "sh:minExclusive", "sh:maxExclusive",
        "sh:languageIn", "sh:minCount", "sh:maxCount", "sh:uniqueLang", "sh:equals",
        "sh:disjoint", "sh:lessThan ", "sh:lessThanOrEquals", "sh:closed", "sh:node ",
        "sh:not", "sh:and", "sh:or", "sh:xone", "sh:qualifiedValueShape",
        "sh:qualifiedMinCount", "sh:qualifiedMaxCount", "sh:severity sh:Warning",
        "sh:message", "sh:deactivated",
    ):  # fmt: skip
        assert construct in text, construct
