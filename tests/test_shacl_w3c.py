"""The W3C SHACL Core test suite, run against pySHACL and against the fast engine.

The suite (``tests/fixtures/shacl-core/``, W3C Test Suite Licence / BSD 3-clause, see its
README.md and LICENSE.md) is read from its manifests with rdflib: every ``sht:Validate``
entry names a data graph, a shapes graph and the expected ``sh:ValidationReport``.

- pySHACL, called as nualod calls it (no inference, advanced mode) but without
  ``allow_warnings`` (the suite counts a warning against conformance), is judged by pySHACL's
  own harness (:func:`pyshacl.validator_conformance.check_sht_result`: the conformance flag,
  the number of results, and each expected (focus node, value, path) found). A test pySHACL
  fails is a strict xfail, with the reason.
- The fast engine must either refuse the shapes (:class:`UnsupportedShapesError`; which tests
  it refuses is listed in :data:`REFUSED`, so a change either way shows here) or give exactly
  the expected results: the multiset of (focus node, path, value, constraint component,
  source shape, severity), blank nodes compared as blank, and, where pySHACL passes too,
  every field of every result (messages included) equal to pySHACL's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from pyoxigraph import RdfFormat, parse
from pyshacl.validator_conformance import check_sht_result
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node
from rdflib.util import from_n3

from nualod.errors import UnsupportedShapesError
from nualod.read.rdf import quiet_ill_typed_literals
from nualod.validate.fast import CompiledShapes
from nualod.validate.shacl import ValidationReport, triples_to_graph, validate_graph

SUITE = Path(__file__).resolve().parent / "fixtures" / "shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class SuiteTest:
    """One ``sht:Validate`` entry: where its graphs are and where its expected report is."""

    name: str  # e.g. "node/minInclusive-001"
    file: Path  # the file holding the entry and its expected report
    data: Path
    shapes: Path
    node: URIRef | BNode  # the entry in the file's graph


def _path(iri: Node) -> Path:
    text = str(iri)
    assert text.startswith("file://"), text
    return Path(text.removeprefix("file://"))


@cache
def _graph(path: Path) -> Graph:
    with quiet_ill_typed_literals():
        return Graph().parse(path, format="turtle")


def collect(manifest: Path) -> list[SuiteTest]:
    """Return the tests of a manifest and of the manifests it includes, in file order."""
    graph = _graph(manifest)
    tests: list[SuiteTest] = []
    for root in graph.subjects(RDF.type, MF.Manifest):
        for included in sorted(graph.objects(root, MF.include), key=str):
            tests += collect(_path(included))
        for entries in graph.objects(root, MF.entries):
            for entry in Collection(graph, entries):
                if (entry, RDF.type, SHT.Validate) not in graph:
                    continue
                action = graph.value(entry, MF.action)
                data = graph.value(action, SHT.dataGraph)
                shapes = graph.value(action, SHT.shapesGraph)
                assert isinstance(entry, URIRef | BNode) and data is not None
                file = manifest.relative_to(SUITE).with_suffix("")
                tests.append(
                    SuiteTest(
                        name=f"{file.parent}/{str(entry).rsplit('/', 1)[-1]}",
                        file=manifest,
                        data=_path(data),
                        shapes=_path(shapes) if shapes is not None else _path(data),
                        node=entry,
                    )
                )
    return tests


TESTS = collect(SUITE / "manifest.ttl")

#: Tests pySHACL 0.40 fails, with why (each is a strict xfail: it must go on failing).
PYSHACL_FAILS: dict[str, str] = {
    "property/uniqueLang-002": (
        'rdflib reads "1"^^xsd:boolean as true, so sh:uniqueLang "1"^^xsd:boolean is '
        "applied where the suite expects it ignored"
    ),
}

#: Tests whose shapes the fast engine refuses to compile, and the construct it refuses.
REFUSED: dict[str, str] = {}


def _expected(test: SuiteTest) -> tuple[bool, Counter[tuple[object, ...]]]:
    graph = _graph(test.file)
    report = graph.value(test.node, MF.result)
    conforms = graph.value(report, SH.conforms)
    assert isinstance(conforms, Literal)
    keys: Counter[tuple[object, ...]] = Counter()
    for result in graph.objects(report, SH.result):
        path = graph.value(result, SH.resultPath)
        shape = graph.value(result, SH.sourceShape)
        constraint = graph.value(result, SH.sourceConstraintComponent)
        severity = graph.value(result, SH.resultSeverity)
        keys[
            (
                _focus_key(graph.value(result, SH.focusNode)),
                str(path) if isinstance(path, URIRef) else None,
                _term_key(graph.value(result, SH.value)),
                str(constraint).rsplit("#", 1)[-1],
                str(shape) if isinstance(shape, URIRef) else None,
                str(severity).rsplit("#", 1)[-1],
            )
        ] += 1
    return bool(conforms.value), keys


def _term_key(term: Node | None) -> object:
    """Return a term as compared: blank nodes all alike (their ids differ between graphs)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        return ("literal", str(term), term.datatype, term.language)
    return str(term)


def _focus_key(term: Node | None) -> object:
    """Return a focus node as a report states it: its IRI or lexical form (blank: alike)."""
    return "_:" if isinstance(term, BNode) else str(term)


def _found(report: ValidationReport, blank_ids: set[str]) -> Counter[tuple[object, ...]]:
    keys: Counter[tuple[object, ...]] = Counter()
    for r in report.results:
        focus = "_:" if r.focus_node in blank_ids else r.focus_node
        value = from_n3(r.value_n3) if r.value_n3 is not None else None
        keys[(focus, r.path, _term_key(value), r.constraint, r.source_shape, r.severity)] += 1
    return keys


def _pyshacl(test: SuiteTest) -> Graph:
    with quiet_ill_typed_literals():
        _, report, _ = pyshacl.validate(
            _graph(test.data),
            shacl_graph=_graph(test.shapes),
            inference="none",
            advanced=True,
            allow_warnings=False,
        )
    assert isinstance(report, Graph)
    return report


def _ids(test: SuiteTest) -> list[object]:
    return [
        pytest.param(test, id=test.name, marks=pytest.mark.xfail(reason=reason, strict=True))
        if (reason := PYSHACL_FAILS.get(test.name))
        else pytest.param(test, id=test.name)
        for test in TESTS
    ]


def test_the_suite_is_all_there() -> None:
    # 7 folders of the core suite; a manifest that stops being read would show here.
    assert len(TESTS) == 98, len(TESTS)
    assert {t.name.split("/")[0] for t in TESTS} == {
        "complex", "misc", "node", "path", "property", "targets", "validation-reports",
    }  # fmt: skip


@pytest.mark.parametrize("test", _ids(TESTS))
def test_pyshacl(test: SuiteTest) -> None:
    expected = _graph(test.file)
    report = _pyshacl(test)
    assert check_sht_result(report, expected, expected.value(test.node, MF.result))


@pytest.mark.parametrize("test", [pytest.param(t, id=t.name) for t in TESTS])
def test_fast_engine(test: SuiteTest) -> None:
    shapes = _graph(test.shapes)
    try:
        engine = CompiledShapes(shapes)
    except UnsupportedShapesError as error:
        assert test.name in REFUSED, f"refused unexpectedly: {error}"
        assert REFUSED[test.name] in str(error)
        return
    assert test.name not in REFUSED, "compiles now: take it off REFUSED"
    data = _graph(test.data)
    triples = [
        quad.triple
        for quad in parse(data.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    ]
    report = engine.validate(triples)
    blank_ids = {str(node) for triple in data for node in triple if isinstance(node, BNode)}
    # What nualod falls back to: pySHACL on the same triples, as nualod calls it.
    slow = validate_graph(triples_to_graph(triples), shapes)
    assert [r for r in report.results if r.value_kind != "blank"] == [
        r for r in slow.results if r.value_kind != "blank"
    ]
    conforms, keys = _expected(test)
    agrees = _found(report, blank_ids) == keys and (not report.results) == conforms
    # Where pySHACL departs from the suite, the fast engine departs with it: same answer.
    assert agrees == (test.name not in PYSHACL_FAILS)
