"""The fast engine's prechecks answer True exactly when a shape's check finds nothing.

A precheck (``_Shape.passes``, generated code) lets a conforming focus node skip the
checks that build results; the compiled ``sh:property`` loop (``_Property.compiled``)
writes the prechecks of its property shapes in and checks the others as before. Here
every simple constraint kind meets every set of up to two value nodes from a pool with
the edges the checks care about: ill-typed literals, literals in non-canonical form,
language strings in two cases, ``xsd:string``, other datatypes, instances of a subclass,
blank nodes, literals where IRIs are expected, counts at their bounds. For each:

- the precheck answers True only when the check returns ``(True, ())`` (anything else
  would drop results) and, for these kinds, answers False only when the check finds
  something (else the fast path would never be taken);
- a node shape holding all the property shapes gives the same results, in the same
  order, with the prechecks and the compiled loop as without them.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse
from rdflib import Graph

from nualod.validate.fast import CompiledShapes, Data, _Property, _Shape

EX = "http://example.org/"
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
#: Value nodes, in Turtle (ex:a is an ex:C, ex:b an ex:Sub, a subclass of ex:C).
POOL = [
    "ex:a", "ex:b", "ex:c", "_:x", '"abc"', '"Abc"', '""', '"abcdef"', '"abc"@en', '"xyz"@EN',
    '"abc"@en-GB', '"kota"@id', '"5"^^xsd:string', '"12"^^xsd:integer', '"012"^^xsd:integer',
    '"-3"^^xsd:integer', '"0"^^xsd:integer', '"1.5"^^xsd:decimal', '"1.50"^^xsd:decimal',
    '"abc"^^xsd:integer', '"2024-02-29"^^xsd:date', '"2023-02-30"^^xsd:date',
    '"true"^^xsd:boolean', '"x"^^ex:custom', '"http://example.org/a"^^xsd:anyURI',
]  # fmt: skip
#: One property shape per line: constraints on ex:p, as shipped shapes write them.
CONSTRAINTS = [
    "sh:minCount 1", "sh:minCount 2", "sh:minCount 0", "sh:maxCount 0", "sh:maxCount 1",
    "sh:maxCount 2", "sh:minCount 1 ; sh:maxCount 1", "sh:datatype xsd:string",
    "sh:datatype rdf:langString", "sh:datatype rdfs:Literal", "sh:datatype xsd:integer",
    "sh:datatype xsd:decimal", "sh:datatype xsd:date", "sh:datatype xsd:boolean",
    "sh:datatype ex:custom", "sh:datatype rdfs:Datatype", "sh:class ex:C", "sh:class ex:Sub",
    "sh:class ex:C, ex:Sub", "sh:nodeKind sh:IRI", "sh:nodeKind sh:BlankNode",
    "sh:nodeKind sh:Literal", "sh:nodeKind sh:BlankNodeOrIRI", "sh:nodeKind sh:BlankNodeOrLiteral",
    "sh:nodeKind sh:IRIOrLiteral", "sh:minLength 0", "sh:minLength 4", "sh:maxLength 3",
    'sh:pattern "^a"', 'sh:pattern "^A" ; sh:flags "i"', 'sh:pattern "b", "^a"',
    'sh:pattern "example"', 'sh:languageIn ("en")', 'sh:languageIn ("EN-gb" "id")',
    "sh:uniqueLang true", "sh:uniqueLang false",
    'sh:in (ex:a "abc" "12"^^xsd:integer "abc"@en "1.5"^^xsd:decimal)', "sh:in (ex:b ex:c)",
    "sh:hasValue ex:a", 'sh:hasValue "abc"', "sh:minInclusive 0", "sh:maxExclusive 12",
    "sh:minCount 1 ; sh:datatype xsd:integer ; sh:minInclusive 0",
    "sh:minCount 1 ; sh:nodeKind sh:IRI ; sh:class ex:C ; sh:severity sh:Warning",
    "sh:maxCount 1 ; sh:in (ex:a ex:b) ; sh:severity sh:Info",
]  # fmt: skip
#: Property shapes on an alternative path: checked value by value, over each predicate.
ALTERNATIVES = [
    "sh:datatype xsd:integer ; sh:minInclusive 0",
    "sh:datatype xsd:string",
    "sh:nodeKind sh:IRI",
    "sh:minCount 1",  # not a per-value constraint: the path is walked whole
]
CONFORMABLE = [
    "sh:maxCount 2", "sh:nodeKind sh:IRI", "sh:class ex:C", "sh:uniqueLang true",
    "sh:minCount 1 ; sh:nodeKind sh:IRI ; sh:class ex:C ; sh:severity sh:Warning",
]  # fmt: skip
VALUE_SETS = [c for size in range(3) for c in combinations(range(len(POOL)), size)]


def shapes_graph() -> Graph:
    shapes = [f"ex:S{i} sh:path ex:p ; {text} ." for i, text in enumerate(CONSTRAINTS)]
    shapes += [
        f"ex:A{i} sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; {text} ."
        for i, text in enumerate(ALTERNATIVES)
    ]
    members = ", ".join(
        [f"ex:S{i}" for i in range(len(CONSTRAINTS))]
        + [f"ex:A{i}" for i in range(len(ALTERNATIVES))]
    )
    node = (
        f"ex:N a sh:NodeShape ; sh:targetClass ex:T ; sh:nodeKind sh:IRI ; sh:property {members} ."
    )
    # A node shape that some focus nodes conform to, with no result or with warnings only.
    some = ", ".join(f"ex:S{CONSTRAINTS.index(text)}" for text in CONFORMABLE) + ", ex:A2"
    conformable = f"ex:M a sh:NodeShape ; sh:targetClass ex:T ; sh:property {some} ."
    graph = Graph()
    graph.parse(data=PREFIXES + "\n".join([*shapes, node, conformable]), format="turtle")
    return graph


def data() -> Data:
    """Return one focus node per value set: ex:f<n> ex:p the set (and ex:q its first value)."""
    lines = [
        "ex:a a ex:C .",
        "ex:b a ex:Sub .",
        "ex:Sub rdfs:subClassOf ex:C .",
        "_:x a ex:C .",
    ]
    for number, members in enumerate(VALUE_SETS):
        lines.append(f"ex:f{number} a ex:T .")
        lines += [f"ex:f{number} ex:p {POOL[m]} ." for m in members]
        lines += [f"ex:f{number} ex:q {POOL[m]} ." for m in members[:1]]
    text = PREFIXES + "\n".join(lines)
    triples = [(q.subject, q.predicate, q.object) for q in parse(text, format=RdfFormat.TURTLE)]
    return Data(triples, inverse=False)


@pytest.fixture(scope="module")
def engine() -> CompiledShapes:
    return CompiledShapes(shapes_graph())


@pytest.fixture(scope="module")
def graph() -> Data:
    return data()


def focus_nodes() -> list[NamedNode]:
    return [NamedNode(f"{EX}f{number}") for number in range(len(VALUE_SETS))]


def property_shapes(engine: CompiledShapes) -> list[_Shape]:
    node = next(shape for shape in engine.top if str(shape.node) == f"{EX}N")
    (prop,) = [c for c in node.constraints if isinstance(c, _Property)]
    return prop.shapes


def test_every_property_shape_has_a_precheck_and_the_loop_is_compiled(
    engine: CompiledShapes,
) -> None:
    shapes = property_shapes(engine)
    assert len(shapes) == len(CONSTRAINTS) + len(ALTERNATIVES)
    assert all(shape.passes is not None for shape in [*engine.top, *shapes])
    loops = [c for shape in engine.top for c in shape.constraints if isinstance(c, _Property)]
    assert len(loops) == 2
    assert all(loop.compiled is not None for loop in loops)


def test_the_pool_has_the_edges() -> None:
    triples = list(parse(PREFIXES + f"ex:s ex:p {', '.join(POOL)} .", format=RdfFormat.TURTLE))
    values = [t.object for t in triples]
    assert any(type(v) is BlankNode for v in values)
    assert any(type(v) is Literal and v.value == "012" for v in values)  # non-canonical
    assert len(VALUE_SETS) == 1 + len(POOL) + len(POOL) * (len(POOL) - 1) // 2


@pytest.mark.parametrize("index", range(len(CONSTRAINTS) + len(ALTERNATIVES)))
def test_precheck_answers_true_exactly_when_the_check_finds_nothing(
    engine: CompiledShapes, graph: Data, index: int
) -> None:
    shape = property_shapes(engine)[index]
    assert shape.passes is not None
    passed = failed = 0
    for focus in focus_nodes():
        values = shape.value_nodes(graph, focus)
        ok, found = shape.check_each(graph, focus, values)
        clean = ok and not found
        answer = shape.passes(graph, focus, values)
        assert answer == clean, ((CONSTRAINTS + ALTERNATIVES)[index], values)
        assert shape.check(graph, focus, values) == ((True, ()) if clean else (ok, found))
        passed += clean
        failed += not clean
    # Each constraint meets value sets that pass and, but for sh:minCount 0 and friends,
    # sets that fail: the comparison above is not one-sided.
    assert passed > 0
    assert failed > 0 or CONSTRAINTS[index : index + 1] in (
        ["sh:minCount 0"],
        ["sh:minLength 0"],
        ["sh:uniqueLang false"],
        ["sh:maxCount 2"],
    )


def results_of(engine: CompiledShapes, graph: Data) -> list[tuple[object, ...]]:
    """Return, for every top shape and focus node, the conformance and the results."""
    out: list[tuple[object, ...]] = []
    for shape in engine.top:
        for focus in focus_nodes():
            ok, found = shape.validate(graph, focus)
            out.append((shape.node, focus, ok, len(found)))
            # The constraints are objects of each engine: they are told apart by their shape.
            out += [(r.constraint.shape.node, r.focus, r.value, r.path, r.component) for r in found]
    return out


def test_node_shape_results_are_the_same_without_prechecks(graph: Data) -> None:
    fast = CompiledShapes(shapes_graph())
    slow = CompiledShapes(shapes_graph())
    for shape in slow._shapes.values():
        shape.passes = None
        for constraint in shape.constraints:
            if isinstance(constraint, _Property):
                constraint.compiled = None
    expected = results_of(slow, graph)
    assert results_of(fast, graph) == expected
    outcomes = [row for row in expected if len(row) == 4]
    assert len(outcomes) == 2 * len(VALUE_SETS)
    assert any(ok and not count for _, _, ok, count in outcomes)  # conform, no result
    assert any(ok and count for _, _, ok, count in outcomes)  # conform, warnings only
    assert any(not ok for _, _, ok, count in outcomes)
