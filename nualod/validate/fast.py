"""Validate triples against SHACL shapes fast, with the same results as pyshacl.

The shapes graph is read once with rdflib and compiled into plain Python checks over an
index of the data triples. Compiled:

- targets: ``sh:targetClass`` (with ``rdfs:subClassOf`` in the data), implicit class
  targets, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- paths: predicate, sequence, alternative, ``sh:inversePath`` of a predicate,
  ``sh:zeroOrMorePath``, ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- the SHACL Core constraints: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
  ``sh:minCount``, ``sh:maxCount``, ``sh:minInclusive``, ``sh:minExclusive``,
  ``sh:maxInclusive``, ``sh:maxExclusive``, ``sh:minLength``, ``sh:maxLength``,
  ``sh:pattern`` (with ``sh:flags``), ``sh:languageIn``, ``sh:uniqueLang``, ``sh:equals``,
  ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``, ``sh:not``, ``sh:and``, ``sh:or``,
  ``sh:xone``, ``sh:node``, ``sh:property``, ``sh:qualifiedValueShape`` (one per shape, with
  ``sh:qualifiedMinCount``, ``sh:qualifiedMaxCount``, ``sh:qualifiedValueShapesDisjoint``),
  ``sh:closed`` with ``sh:ignoredProperties``, ``sh:hasValue``, ``sh:in``;
- ``sh:severity``, ``sh:message`` and ``sh:deactivated``.

Results carry what pyshacl's carry (focus node, path, severity, message, value, source
shape, constraint component), including pyshacl's own generic messages and its treatment
of datatypes, literal equality (typed literals in rdflib's canonical form, see
:func:`normalized`) and conformance of nested shapes under ``allow_warnings``. It mirrors
how :func:`nualod.validate.shacl.validate_graph` calls pyshacl (no inference, advanced
mode, warnings allowed).

Almost every focus node conforms, so each shape also gets a precheck: one function
generated from the compiled shape (:class:`_Precheck`) that answers True only when the
shape's checks would find nothing; each ``sh:property`` is compiled to one loop with its
property shapes' prechecks written in. A shape whose precheck answers False is checked as
before: the same results, in the same order (``tests/test_fastshacl_precheck.py``).

Refused, with :class:`UnsupportedShapesError` when compiling, so that callers fall back to
pyshacl: SPARQL constraints and targets, SHACL-AF rules, functions and expressions,
JavaScript, custom constraint components, recursive shapes, ``sh:inversePath`` of anything
but a predicate, two ``sh:qualifiedValueShape`` on one shape, ``sh:equals`` /
``sh:disjoint`` / ``sh:lessThan`` / ``sh:lessThanOrEquals`` naming more than one property
(pyshacl words its message in a hash order), and parameter values pyshacl would reject.
The W3C SHACL Core suite (``tests/test_shacl_w3c.py``) and the differential tests
(``tests/test_fastshacl_differential.py``, ``tests/test_fastshacl_generated.py``) check
that both engines give the same results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Final, Protocol, TypeAlias, cast

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS
from pyshacl.rdfutil.compare import compare_literal
from pyshacl.rdfutil.stringify import stringify_node
from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from nualod.errors import UnsupportedShapesError, UsageError
from nualod.model.namespaces import NUA
from nualod.model.triples import AnyTriple, Described, TermTriple
from nualod.read.rdf import quiet_ill_typed_literals
from nualod.validate.shacl import (
    LABEL_PREDICATES,
    NODE_KINDS,
    PAGE_PREDICATES,
    FocusNode,
    ValidationReport,
    ValidationResult,
    default_shapes_graph,
    result_order,
    validate_triples,
)

Term: TypeAlias = NamedNode | BlankNode | Literal
Values: TypeAlias = Sequence[Term]

_XSD_STRING: Final = str(XSD.string)
_RDF_LANG_STRING: Final = str(RDF.langString)
_RDFS_LITERAL: Final = str(RDFS.Literal)
_RDFS_DATATYPE: Final = str(RDFS.Datatype)
_RDF_TYPE: Final = NamedNode(str(RDF.type))
_SUBCLASS_OF: Final = NamedNode(str(RDFS.subClassOf))
#: The Python types rdflib gives valid literals, as pyshacl's datatype check expects them.
_VALUE_TYPES: Final[dict[rdflib.term.Node, type | tuple[type, ...]]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: dt.date,
    XSD.time: dt.time,
    XSD.dateTime: dt.datetime,
}
_QUALIFIED: Final = frozenset(
    {
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
        SH.qualifiedValueShapesDisjoint,
    }
)
_ALLOWED_SEVERITIES: Final = frozenset({SH.Info, SH.Warning})
_EMPTY: Final[tuple[Term, ...]] = ()
_NO_PREDICATES: Final[dict[NamedNode, list[Term]]] = {}

#: Shape-level terms that carry no constraint (pyshacl ignores them or reads them elsewhere).
_SHAPE_TERMS: Final = frozenset(
    {
        SH.path, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
        SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
        SH.defaultValue, SH.flags,
    }
)  # fmt: skip
_COMPILED_PARAMETERS: Final = frozenset(
    {
        SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength,
        SH.maxLength, SH.pattern, SH.languageIn, SH.uniqueLang, SH["in"], SH.hasValue,
        SH.node, SH.property, SH["and"], SH["or"], SH["not"], SH.xone, SH.closed,
        SH.ignoredProperties, SH.qualifiedValueShape, SH.qualifiedMinCount,
        SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.minInclusive,
        SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH.equals, SH.disjoint,
        SH.lessThan, SH.lessThanOrEquals,
    }
)  # fmt: skip
#: SHACL-AF and SPARQL features pyshacl runs in advanced mode; none of them is compiled.
#: In this order, so that the first one found (the one a refusal names) is the same every run.
_ADVANCED: Final = (
    SH.sparql, SH.rule, SH.target, SH.expression, SH.js, SH.entailment, SH.parameter,
    SH.validator, SH.nodeValidator, SH.propertyValidator, SH.select, SH.ask,
)  # fmt: skip
_ADVANCED_TYPES: Final = (
    SH.ConstraintComponent, SH.SPARQLFunction, SH.SPARQLRule, SH.TripleRule, SH.SPARQLTarget,
    SH.SPARQLTargetType, SH.JSConstraint, SH.JSFunction, SH.JSRule, SH.JSTarget,
    SH.JSTargetType, SH.Function, SH.SPARQLConstraint,
)  # fmt: skip


# --- terms as pyshacl sees them (after pyoxigraph -> N-Triples -> rdflib) -------------------


@lru_cache(maxsize=1 << 16)  # bounded: a streamed file may hold any number of values
def _typed_literal(lexical: str, datatype: str) -> rdflib.Literal:
    return rdflib.Literal(lexical, datatype=URIRef(datatype))


@lru_cache(maxsize=1 << 16)
def _normalized_literal(lexical: str, datatype: str) -> Literal | None:
    """Return the literal as rdflib stores it, or None when that is the literal itself."""
    text = str(_typed_literal(lexical, datatype))
    return None if text == lexical else Literal(text, datatype=NamedNode(datatype))


def normalized(term: Term) -> Term:
    """Return a term as pyshacl's rdflib graph holds it: typed literals in canonical form.

    rdflib parses ``"01"^^xsd:integer`` as ``"1"^^xsd:integer`` (and ``"1"^^xsd:boolean`` as
    ``"true"``), so two triples that differ in such a literal alone are one triple to
    pyshacl. The engine indexes the data in this form, so that every comparison (a set of
    values, ``sh:closed``, ``sh:in``, paths, counts) sees the terms pyshacl sees.

    >>> normalized(Literal("01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    <Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if type(term) is Literal and not term.language:
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            return _normalized_literal(term.value, datatype) or term
    return term


def to_rdflib(term: Term) -> rdflib.term.Identifier:
    """Return the rdflib term pyshacl sees for a pyoxigraph term (through N-Triples).

    >>> to_rdflib(Literal("x", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#string")))
    rdflib.term.Literal('x')
    """
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return rdflib.Literal(term.value)
    return _typed_literal(term.value, datatype)


def _is_plain(term: Literal) -> bool:
    """Tell whether rdflib keeps the lexical form as is (language or xsd:string literal)."""
    return bool(term.language) or term.datatype.value == _XSD_STRING


def term_text(term: Term) -> str:
    """Return ``str()`` of the rdflib term pyshacl reports (IRI, lexical form, bnode id)."""
    if isinstance(term, Literal) and not _is_plain(term):
        return str(_typed_literal(term.value, term.datatype.value))
    return term.value


def _rdflib_key(term: Term) -> object:
    """Return a key under which terms rdflib stores as one node are equal."""
    return normalized(term)


# --- the data --------------------------------------------------------------------------------


#: How long a list of objects is searched for a repeated one before a set is kept beside it.
_SHORT_LIST: Final = 16


def _described_triples(nodes: Sequence[Described]) -> list[TermTriple]:
    """Return the triples of nodes described whole."""
    return [
        TermTriple(subject, predicate, obj)
        for subject, described in nodes
        for predicate, objects in described.items()
        for obj in objects
    ]


class Data:
    """The data triples indexed by subject (and, when shapes need it, by object).

    Every check reads the data through :meth:`predicates`, :meth:`objects`,
    :meth:`subjects`, :meth:`is_instance` and :meth:`pointing_practices`; a subclass may
    answer them from elsewhere (:class:`nualod.validate.stream.StoreData` asks an on-disk
    store), and the checks give the same results.
    """

    #: Nodes described whole that the data holds besides its triples.
    _described: Sequence[Described] = ()

    def __init__(
        self, triples: Sequence[AnyTriple], inverse: bool, nodes: Sequence[Described] = ()
    ) -> None:
        out: dict[Term, dict[NamedNode, list[Term]]] = {}
        # The objects of a long list, as a set: a list is searched only while it is short
        # (a page with 100,000 sources made this quadratic; issue #18 case 7).
        long_lists: dict[int, set[Term]] = {}
        self.triples = triples
        get = out.get
        # Quoted triples (RDF-star) never come out of nualod's mapping.
        for subject, predicate, obj in cast(Sequence[tuple[Term, NamedNode, Term]], triples):
            if type(obj) is Literal:
                obj = normalized(obj)
            predicates = get(subject)
            if predicates is None:
                out[subject] = {predicate: [obj]}
                continue
            objects = predicates.get(predicate)
            if objects is None:
                predicates[predicate] = [obj]
            elif len(objects) < _SHORT_LIST:
                if obj not in objects:  # a graph is a set: a triple given twice is one
                    objects.append(obj)
            else:
                seen = long_lists.get(id(objects))
                if seen is None:
                    seen = long_lists[id(objects)] = set(objects)
                if obj not in seen:
                    seen.add(obj)
                    objects.append(obj)
        self.out = out
        if nodes:
            self._add_described(nodes)
        self.subclass_triples = self._by_predicate(_SUBCLASS_OF)
        self._inverse: dict[Term, dict[NamedNode, list[Term]]] | None = None
        if inverse:
            self.inverse()
        self._types: dict[Term, list[Term]] | None = None
        self._rdflib_graph: Graph | None = None

    def _add_described(self, nodes: Sequence[Described]) -> None:
        """Index nodes described whole: as their triples would be, at a fraction of the cost.

        Their literals are normalized as the triples' are; a node said of elsewhere too (in
        the triples, or twice) is added triple by triple, as a graph is a set.
        """
        out = self.out
        again: list[tuple[Term, NamedNode, Term]] = []  # (a graph is a set)
        for subject, described in nodes:
            if subject in out:
                again += ((subject, p, o) for p, objects in described.items() for o in objects)
                continue
            predicates: dict[NamedNode, list[Term]] = {}
            for predicate, objects in described.items():
                kept = [normalized(o) if type(o) is Literal else o for o in objects]
                if len(kept) > 1 and len(set(kept)) < len(kept):
                    kept = list(dict.fromkeys(kept))
                predicates[predicate] = kept
            out[subject] = predicates
        if again:
            for node, predicate, value in again:
                value = normalized(value) if type(value) is Literal else value
                objects = out[node].setdefault(predicate, [])
                if value not in objects:
                    objects.append(value)
        self._described = nodes

    def _by_predicate(self, predicate: NamedNode) -> list[tuple[Term, Term]]:
        return [
            (subject, obj)
            for subject, predicates in self.out.items()
            for obj in predicates.get(predicate, ())
        ]

    def inverse(self) -> dict[Term, dict[NamedNode, list[Term]]]:
        """Return the index by object, then predicate, of subjects."""
        if self._inverse is None:
            inverse: dict[Term, dict[NamedNode, list[Term]]] = {}
            for subject, predicates in self.out.items():
                for predicate, objects in predicates.items():
                    for obj in objects:
                        inverse.setdefault(obj, {}).setdefault(predicate, []).append(subject)
            self._inverse = inverse
        return self._inverse

    def predicates(self, subject: Term) -> dict[NamedNode, list[Term]]:
        """Return a subject's triples: its objects by predicate, as rdflib would keep them."""
        return self.out.get(subject, _NO_PREDICATES)

    def objects(self, subject: Term, predicate: NamedNode) -> Values:
        """Return the distinct objects of a subject and predicate, as rdflib would keep them."""
        return self.predicates(subject).get(predicate, _EMPTY)

    def subjects(self, obj: Term, predicate: NamedNode) -> Values:
        """Return the distinct subjects of a predicate and object."""
        return self.inverse().get(obj, _NO_PREDICATES).get(predicate, _EMPTY)

    def pointing_practices(self, nodes: set[Term]) -> dict[Term, set[str]]:
        """Return, for each node, the practices that have it as the object of a triple."""
        pointing: dict[Term, set[str]] = {}
        for subject in self.exact_instances(NamedNode(NUA + "GoodPractice")):
            for objects in self.predicates(subject).values():
                for obj in objects:
                    if obj in nodes:
                        pointing.setdefault(obj, set()).add(term_text(subject))
        return pointing

    def blank_graph(self, node: BlankNode) -> Graph:
        """Return an rdflib graph that says what pyshacl's data graph says of a blank node."""
        return self.rdflib_graph()

    def subjects_of(self, predicate: NamedNode) -> list[Term]:
        """Return the distinct subjects that have a predicate."""
        return [s for s, predicates in self.out.items() if predicate in predicates]

    def objects_of(self, predicate: NamedNode) -> list[Term]:
        """Return the distinct objects of a predicate."""
        found = {
            _rdflib_key(o): o
            for predicates in self.out.values()
            for o in predicates.get(predicate, ())
        }
        return list(found.values())

    def instances(self, cls: NamedNode) -> list[Term]:
        """Return the instances of a class or of its subclasses (``rdfs:subClassOf*`` in the data)."""
        if self._types is None:
            types: dict[Term, list[Term]] = {}
            for subject, predicates in self.out.items():
                for type_ in predicates.get(_RDF_TYPE, ()):
                    types.setdefault(type_, []).append(subject)
            self._types = types
        classes: list[Term] = [cls]
        if self.subclass_triples:
            seen: set[Term] = {cls}
            index = 0
            while index < len(classes):
                current = classes[index]
                index += 1
                for sub, sup in self.subclass_triples:
                    if sup == current and sub not in seen:
                        seen.add(sub)
                        classes.append(sub)
        found: dict[Term, None] = {}
        for c in classes:
            found.update(dict.fromkeys(self._types.get(c, ())))
        return list(found)

    def exact_instances(self, cls: NamedNode) -> list[Term]:
        """Return the subjects typed with exactly this class."""
        self.instances(cls)
        assert self._types is not None
        return self._types.get(cls, [])

    def is_instance(self, node: Term, cls: NamedNode) -> bool:
        """Tell whether a node is a SHACL instance of a class in the data."""
        types = self.predicates(node).get(_RDF_TYPE, _EMPTY)
        if cls in types:
            return True
        if not self.subclass_triples:
            return False
        for type_ in types:
            seen = {type_}
            todo = [type_]
            while todo:
                current = todo.pop()
                for sub, sup in self.subclass_triples:
                    if sub == current and sup not in seen:
                        if sup == cls:
                            return True
                        seen.add(sup)
                        todo.append(sup)
        return False

    def rdflib_graph(self) -> Graph:
        """Return the data as an rdflib graph (only for generic messages about blank nodes)."""
        if self._rdflib_graph is None:
            # Term by term, not through N-Triples: rdflib's parser would rename the blank
            # nodes, and a message names a blank node by what the graph says of it.
            graph = Graph()
            with quiet_ill_typed_literals():
                for subject, predicate, obj in cast(
                    Sequence[tuple[Term, NamedNode, Term]],
                    [*self.triples, *_described_triples(self._described)],
                ):
                    graph.add((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj)))
            self._rdflib_graph = graph
        return self._rdflib_graph


def blank_node_graph(
    node: BlankNode, predicates: Callable[[Term], dict[NamedNode, list[Term]]]
) -> Graph:
    """Return, as rdflib, the triples of a blank node and of the blank nodes under it.

    ``predicates`` gives a node's objects by predicate, from wherever the data is kept (a
    chunk, a store). pyshacl names a blank node in a message by what is said of it.
    """
    graph = Graph()
    todo: list[Term] = [node]
    seen: set[Term] = set()
    with quiet_ill_typed_literals():
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for predicate, objects in predicates(current).items():
                for obj in objects:
                    graph.add((to_rdflib(current), to_rdflib(predicate), to_rdflib(obj)))
                    if isinstance(obj, BlankNode):
                        todo.append(obj)
    return graph


# --- paths -----------------------------------------------------------------------------------

_PathFn: TypeAlias = Callable[[Data, Term], Values]


def _compile_path(sg: Graph, node: rdflib.term.Node, shape: str) -> tuple[_PathFn, bool]:
    """Return a function giving the value nodes of a path, and whether it needs the inverse index."""
    if isinstance(node, URIRef):
        predicate = NamedNode(str(node))
        return (lambda data, focus: data.objects(focus, predicate)), False
    if not isinstance(node, rdflib.BNode):
        raise UnsupportedShapesError(f"{shape}: sh:path is not an IRI or a path expression")
    if (node, RDF.first, None) in sg:
        steps = [_compile_path(sg, item, shape) for item in Collection(sg, node)]
        if len(steps) < 2:
            raise UnsupportedShapesError(f"{shape}: a sequence path needs two or more steps")

        def sequence(data: Data, focus: Term) -> Values:
            current: list[Term] = [focus]
            for step, _ in steps:
                found: dict[object, Term] = {}
                for node_ in current:
                    for value in step(data, node_):
                        found.setdefault(_rdflib_key(value), value)
                current = list(found.values())
            return current

        return sequence, any(needs for _, needs in steps)
    predicates = set(sg.predicates(node, None))
    if predicates == {SH.inversePath}:
        inner = sg.value(node, SH.inversePath)
        if isinstance(inner, URIRef):
            predicate = NamedNode(str(inner))

            def inverse(data: Data, focus: Term) -> Values:
                return data.subjects(focus, predicate)

            return inverse, True
        raise UnsupportedShapesError(f"{shape}: only an IRI is compiled inside sh:inversePath")
    if predicates == {SH.alternativePath}:
        alternatives = sg.value(node, SH.alternativePath)
        assert alternatives is not None
        options = [_compile_path(sg, item, shape) for item in Collection(sg, alternatives)]

        def alternative(data: Data, focus: Term) -> Values:
            found: dict[object, Term] = {}
            for option, _ in options:
                for value in option(data, focus):
                    found.setdefault(_rdflib_key(value), value)
            return list(found.values())

        return alternative, any(needs for _, needs in options)
    for kind, with_focus, repeat in (
        (SH.zeroOrMorePath, True, True),
        (SH.oneOrMorePath, False, True),
        (SH.zeroOrOnePath, True, False),
    ):
        if predicates == {kind}:
            inner_node = sg.value(node, kind)
            assert inner_node is not None
            step, needs = _compile_path(sg, inner_node, shape)
            return _repeated(step, with_focus, repeat), needs
    raise UnsupportedShapesError(f"{shape}: path {sorted(map(str, predicates))} is not compiled")


def _repeated(step: _PathFn, with_focus: bool, repeat: bool) -> _PathFn:
    """Return a zero-or-more, one-or-more or zero-or-one path over one step, as pyshacl walks it."""

    def walk(data: Data, focus: Term) -> Values:
        found: dict[Term, None] = {focus: None} if with_focus else {}
        if not repeat:
            found.update(dict.fromkeys(step(data, focus)))
            return list(found)
        todo = list(step(data, focus))
        while todo:
            current = todo.pop()
            if current not in found:
                found[current] = None
                todo += step(data, current)
        return list(found)

    return walk


# --- shapes and constraints ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Raw:
    """A result before it becomes a :class:`~nualod.validate.shacl.ValidationResult`."""

    constraint: _Constraint
    focus: Term
    value: Term | None = None
    path: str | None = None
    component: str | None = None


_Outcome: TypeAlias = tuple[bool, Sequence[_Raw]]
_PASS: Final[_Outcome] = (True, ())
_Passes: TypeAlias = Callable[[Data, Term, Values], bool]
#: How many value nodes a constraint remembers as passing, at most (see _Datatype.remember).
_KNOWN_BOUND: Final = 1 << 14


class _Precheck:
    """The Python source of one shape's precheck, being written, and the objects it names.

    Almost every focus node conforms, and the checks spend most of their time making
    outcomes nobody reads. A precheck is one generated function per shape that reads the
    same triples (``data.predicates`` of the same nodes, so that :class:`ChunkData` records
    the same nodes asked) and answers True only when :meth:`_Shape.check` would return
    ``(True, ())``; on False, the shape is checked as before, result by result. So a
    precheck may answer False when in doubt, never True when a constraint would fail.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {
            "_EMPTY": _EMPTY,
            "Literal": Literal,
            "NamedNode": NamedNode,
            "BlankNode": BlankNode,
        }
        self._ids: dict[int, str] = {}
        self._count = 0
        self._indent = 1
        #: The variable a failing test sets to False (see :meth:`into`), or None: return False.
        self.flag: str | None = None

    def local(self, prefix: str) -> str:
        """Return a fresh local variable name."""
        self._count += 1
        return f"{prefix}_{self._count}"

    def constant(self, value: object, prefix: str) -> str:
        """Return the name under which the generated code reads an object."""
        known = self._ids.get(id(value))
        if known is None:
            known = self._ids[id(value)] = self.local(prefix.upper())
            self.names[known] = value
        return known

    def line(self, text: str) -> None:
        self.lines.append("    " * self._indent + text)

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self._indent += 1
        try:
            yield
        finally:
            self._indent -= 1

    def fail_if(self, condition: str) -> None:
        """Write: the precheck answers False when the condition holds."""
        if self.flag is None:
            self.line(f"if {condition}:")
            self.line("    return False")
        else:
            self.line(f"if {self.flag} and ({condition}):")
            self.line(f"    {self.flag} = False")

    def each_value(self, values: str, condition: str) -> None:
        """Write: the precheck answers False when the condition holds of a value node.

        ``condition`` names the value node ``{value}``.
        """
        value = self.local("v")
        if self.flag is None:
            with self.block(f"for {value} in {values}:"):
                self.fail_if(condition.format(value=value))
            return
        with self.block(f"if {self.flag}:"), self.block(f"for {value} in {values}:"):
            self.line(f"if {condition.format(value=value)}:")
            self.line(f"    {self.flag} = False")
            self.line("    break")

    def outcome(self, call: str) -> None:
        """Write: the precheck answers False unless an outcome-returning call found nothing."""
        ok, found = self.local("ok"), self.local("found")
        if self.flag is None:
            self.line(f"{ok}, {found} = {call}")
            self.fail_if(f"not {ok} or {found}")
            return
        with self.block(f"if {self.flag}:"):
            self.line(f"{ok}, {found} = {call}")
            self.fail_if(f"not {ok} or {found}")

    @contextmanager
    def into(self, flag: str) -> Iterator[None]:
        """Write the statements within as setting ``flag`` to False, not as returning False."""
        self.line(f"{flag} = True")
        self.flag = flag
        try:
            yield
        finally:
            self.flag = None

    def function(self, label: str, ending: str = "return True") -> Callable[..., Any]:
        """Return the function written: ``(data, focus, values)``, returning True by default."""
        text = "\n".join(
            [f"def {_FUNCTION}(data, focus, values):", *self.lines, "    " + ending, ""]
        )
        # exec of source generated here from compiled shapes only, never from data: one
        # flat function runs several times faster than the chain of calls it stands for.
        exec(compile(text, f"<precheck of {label}>", "exec"), self.names)
        return cast(Callable[..., Any], self.names[_FUNCTION])


_FUNCTION: Final = "generated"


def _precheck(shape: _Shape) -> _Passes:
    """Return the precheck of one shape (see :class:`_Precheck`)."""
    source = _Precheck()
    for constraint in shape.constraints:
        constraint.precheck(source, "focus", "values")
    return cast(_Passes, source.function(shape.label))


@dataclass(eq=False)
class _Shape:
    node: rdflib.term.Node
    label: str
    source_shape: str | None
    path: _PathFn | None
    path_node: rdflib.term.Node | None
    severity_node: rdflib.term.Node
    allowed: bool
    messages: list[rdflib.term.Node]
    deactivated: bool
    constraints: list[_Constraint] = field(default_factory=list)
    target_classes: list[NamedNode] = field(default_factory=list)
    target_nodes: list[Term] = field(default_factory=list)
    subjects_of: list[NamedNode] = field(default_factory=list)
    objects_of: list[NamedNode] = field(default_factory=list)
    predicate: NamedNode | None = None  # the path, when it is one IRI
    #: The path's IRIs, when it is an alternative path of IRIs.
    alternatives: tuple[NamedNode, ...] = ()
    #: A test that answers True only when :meth:`check` would find nothing (see _Precheck).
    passes: _Passes | None = field(default=None, repr=False)

    def value_nodes(self, data: Data, focus: Term) -> Values:
        """Return the value nodes of a focus node: itself, or those on the shape's path."""
        return (focus,) if self.path is None else self.path(data, focus)

    def validate(self, data: Data, focus: Term) -> _Outcome:
        """Validate one focus node; return pyshacl's conformance and the results."""
        if self.deactivated:
            return _PASS
        # check() written in: this runs once per focus node and target shape.
        values = (focus,) if self.path is None else self.path(data, focus)
        passes = self.passes
        if passes is not None and passes(data, focus, values):
            return _PASS
        return self.check_each(data, focus, values)

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        """Check the value nodes of one focus node against every constraint."""
        passes = self.passes
        if passes is not None and passes(data, focus, values):
            return _PASS
        return self.check_each(data, focus, values)

    def check_each(self, data: Data, focus: Term, values: Values) -> _Outcome:
        """Check the value nodes against every constraint, result by result."""
        if len(self.constraints) == 1:  # the common case: one constraint per property shape
            ok, found = self.constraints[0].check(data, focus, values)
            if ok or self.allowed or not found:
                return True, found
            return not any(not r.constraint.shape.allowed for r in found), found
        conforms = True
        results: list[_Raw] = []
        for constraint in self.constraints:
            ok, found = constraint.check(data, focus, values)
            if found:
                results += found
            if not ok and not self.allowed and any(not r.constraint.shape.allowed for r in found):
                conforms = False
        return conforms, results


class _Constraint:
    """One constraint component of one shape."""

    component: str = ""
    #: Whether the constraint passes exactly when it passes for each value node alone.
    per_value: bool = False

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        self.shape = shape
        self.sg = sg

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        """Check the value nodes of one focus node."""
        raise NotImplementedError

    def generic_message(self, data: Data, raw: _Raw) -> str:
        """Return pyshacl's message for a result of a shape without ``sh:message``."""
        return ""

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        """Write statements that answer False unless this constraint surely finds nothing.

        ``focus`` and ``values`` name the focus node and value nodes in the generated code.
        By default: call :meth:`check` and look at its outcome.
        """
        source.outcome(f"{source.constant(self.check, 'check')}(data, {focus}, {values})")

    def shape_text(self, node: rdflib.term.Node) -> str:
        """Return a shapes-graph node as pyshacl prints it."""
        return stringify_node(self.sg, node)

    def data_text(self, data: Data, term: Term | None) -> str:
        """Return a data node as pyshacl prints it."""
        if term is None:
            return "None"
        graph = data.blank_graph(term) if isinstance(term, BlankNode) else _namespace_graph()
        try:
            return stringify_node(graph, to_rdflib(term))
        except (LookupError, ValueError):
            return term_text(term)

    def path_text(self) -> str:
        """Return the shape's path as pyshacl prints it."""
        path = self.shape.path_node
        return self.shape_text(path) if path is not None else ""

    def each_value(self, focus: Term, values: Values, ok: Callable[[Term], bool]) -> _Outcome:
        """Return a result for every value node that fails ``ok``."""
        failed = [_Raw(self, focus, v) for v in values if not ok(v)]
        return (not failed, failed) if failed else _PASS


@cache
def _namespace_graph() -> Graph:
    """Return an empty graph with rdflib's default prefixes, as pyshacl's data graph has."""
    return Graph()


def _one(shape: _Shape, sg: Graph, parameter: URIRef) -> rdflib.term.Node:
    values = list(sg.objects(shape.node, parameter))
    if len(values) != 1:
        raise UnsupportedShapesError(f"{shape.label}: {len(values)} values of {parameter}")
    return values[0]


def _count(shape: _Shape, sg: Graph, parameter: URIRef) -> int:
    value = _one(shape, sg, parameter)
    if not (isinstance(value, rdflib.Literal) and value.datatype == XSD.integer):
        raise UnsupportedShapesError(f"{shape.label}: {parameter} is not an xsd:integer")
    number = int(value.value)
    if number < 0:
        raise UnsupportedShapesError(f"{shape.label}: {parameter} is negative")
    return number


class _MinCount(_Constraint):
    component = "MinCountConstraintComponent"

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        if shape.path is None:
            raise UnsupportedShapesError(f"{shape.label}: sh:minCount on a node shape")
        self.min = _count(shape, sg, SH.minCount)
        self.text = str(_one(shape, sg, SH.minCount).value)  # type: ignore[attr-defined]

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        if self.min == 0 or len(values) >= self.min:
            return _PASS
        return False, [_Raw(self, focus)]

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        if self.min:
            source.fail_if(f"len({values}) < {self.min}")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return (
            f"Less than {self.text} values on {self.data_text(data, raw.focus)}->{self.path_text()}"
        )


class _MaxCount(_Constraint):
    component = "MaxCountConstraintComponent"

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        if shape.path is None:
            raise UnsupportedShapesError(f"{shape.label}: sh:maxCount on a node shape")
        self.max = _count(shape, sg, SH.maxCount)
        self.text = str(_one(shape, sg, SH.maxCount).value)  # type: ignore[attr-defined]

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        if len(values) <= self.max:
            return _PASS
        return False, [_Raw(self, focus)]

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        source.fail_if(f"len({values}) > {self.max}")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return (
            f"More than {self.text} values on {self.data_text(data, raw.focus)}->{self.path_text()}"
        )


def _keep(passing: set[Term], value: Term) -> bool:
    """Add a value that passed to a bounded set of them; return True."""
    if len(passing) >= _KNOWN_BOUND:
        passing.clear()
    passing.add(value)
    return True


class _Datatype(_Constraint):
    component = "DatatypeConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _one(shape, sg, SH.datatype)
        if not isinstance(self.rule, URIRef):
            raise UnsupportedShapesError(f"{shape.label}: sh:datatype is not an IRI")
        self.iri = str(self.rule)
        self._cache: dict[tuple[str, str], bool] = {}
        #: Value nodes known to match (terms equal in pyoxigraph are one literal to :meth:`ok`).
        self.passing: set[Term] = set()

    def _typed_ok(self, literal: Literal) -> bool:
        key = (literal.value, literal.datatype.value)
        known = self._cache.get(key)
        if known is None:
            # The same test as pyshacl's DatatypeConstraintComponent, on the same rdflib literal.
            value = _typed_literal(*key)
            if getattr(value, "ill_typed", None) is True:
                known = False
            else:
                types = _VALUE_TYPES.get(self.rule)
                known = types is None or isinstance(value.value, types)
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = known
        return known

    def ok(self, value: Term) -> bool:
        """Tell whether a value node matches the datatype as pyshacl decides."""
        if not isinstance(value, Literal):
            return False
        rule = self.iri
        if value.language:
            return rule in (_RDF_LANG_STRING, _RDFS_LITERAL)
        datatype = value.datatype.value
        if datatype == _XSD_STRING:  # rdflib: no datatype
            return rule in (_XSD_STRING, _RDFS_LITERAL)
        if datatype == rule:
            return self._typed_ok(value)
        return rule in (_RDFS_LITERAL, _RDFS_DATATYPE)

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        return self.each_value(focus, values, self.ok)

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return f"Value is not Literal with datatype {self.shape_text(self.rule)}"

    def remember(self, value: Term) -> bool:
        """Tell whether a value node matches, as :meth:`ok`; remember it in :attr:`passing` if so."""
        return self.ok(value) and _keep(self.passing, value)

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        ok = source.constant(self.ok, "ok")
        # A sufficient test first, for the literals a datatype is mostly checked on, so that
        # long texts are never kept in :attr:`passing`.
        if self.iri in (_RDF_LANG_STRING, _RDFS_LITERAL):
            sure = "type({value}) is Literal" + (
                " and {value}.language" if self.iri == _RDF_LANG_STRING else ""
            )
        elif self.iri == _XSD_STRING:
            plain = source.constant(NamedNode(_XSD_STRING), "xsd_string")
            sure = f"type({{value}}) is Literal and not {{value}}.language and {{value}}.datatype == {plain}"
        else:  # typed literals are short, and values recur (dates, amounts, offsets)
            known = source.constant(self.passing, "known")
            ok = source.constant(self.remember, "remember")
            sure = f"{{value}} in {known}"
        source.each_value(values, f"not ({sure}) and not {ok}({{value}})")


class _Class(_Constraint):
    component = "ClassConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rules = list(sg.objects(shape.node, SH["class"]))
        if not all(isinstance(rule, URIRef) for rule in self.rules):
            raise UnsupportedShapesError(f"{shape.label}: sh:class is not an IRI")
        self.classes = [NamedNode(str(rule)) for rule in self.rules]

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        failed: list[_Raw] = []
        for cls in self.classes:
            for value in values:
                if isinstance(value, Literal) or not data.is_instance(value, cls):
                    failed.append(_Raw(self, focus, value))
        return (False, failed) if failed else _PASS

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        for cls in self.classes:
            name = source.constant(cls, "cls")
            source.each_value(
                values, f"type({{value}}) is Literal or not data.is_instance({{value}}, {name})"
            )

    def generic_message(self, data: Data, raw: _Raw) -> str:
        if len(self.rules) < 2:
            return f"Value does not have class {self.shape_text(self.rules[0])}"
        rules = ", ".join(self.shape_text(c) for c in self.rules)
        return f"Value class is not in classes ({rules})"


class _NodeKind(_Constraint):
    component = "NodeKindConstraintComponent"
    per_value = True
    KINDS: Final = {
        SH.IRI: (NamedNode,),
        SH.BlankNode: (BlankNode,),
        SH.Literal: (Literal,),
        SH.BlankNodeOrIRI: (BlankNode, NamedNode),
        SH.BlankNodeOrLiteral: (BlankNode, Literal),
        SH.IRIOrLiteral: (NamedNode, Literal),
    }

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _one(shape, sg, SH.nodeKind)
        self.kinds: tuple[type, ...] = self.KINDS.get(self.rule, ())  # type: ignore[call-overload]

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        kinds = self.kinds
        return self.each_value(focus, values, lambda v: isinstance(v, kinds))

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        # pyoxigraph's term classes are final: an exact type test is isinstance's answer.
        kinds = " and ".join(f"type({{value}}) is not {kind.__name__}" for kind in self.kinds)
        source.each_value(values, kinds or "True")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return f"Value is not of Node Kind {self.shape_text(self.rule)}"


def _string(value: Term) -> str:
    """Return the string pyshacl measures and matches (``value_node_to_string``)."""
    if isinstance(value, Literal) and not _is_plain(value):
        literal = _typed_literal(value.value, value.datatype.value)
        return str(literal)
    return value.value


def _length_rule(shape: _Shape, sg: Graph, parameter: URIRef) -> rdflib.Literal:
    from pyshacl.consts import XSD_WHOLE_INTEGERS

    rule = _one(shape, sg, parameter)
    if (
        not isinstance(rule, rdflib.Literal)
        or getattr(rule, "ill_typed", False)
        or rule.datatype not in XSD_WHOLE_INTEGERS
        or rule.value < 0
    ):
        raise UnsupportedShapesError(f"{shape.label}: {parameter} is not a whole number")
    return rule


class _MinLength(_Constraint):
    component = "MinLengthConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _length_rule(shape, sg, SH.minLength)
        self.min = int(self.rule.value)

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        if self.min == 0:
            return _PASS
        return self.each_value(focus, values, self.ok)

    def ok(self, value: Term) -> bool:
        """Tell whether a value node is long enough, as :meth:`check` measures it."""
        return not isinstance(value, BlankNode) and len(_string(value)) >= self.min

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        if self.min:
            source.each_value(values, f"not {source.constant(self.ok, 'ok')}({{value}})")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return f"String length not >= {stringify_node(_namespace_graph(), self.rule)}"


class _MaxLength(_Constraint):
    component = "MaxLengthConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _length_rule(shape, sg, SH.maxLength)
        self.max = int(self.rule.value)

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        return self.each_value(focus, values, self.ok)

    def ok(self, value: Term) -> bool:
        """Tell whether a value node is short enough, as :meth:`check` measures it."""
        return not isinstance(value, BlankNode) and len(_string(value)) <= self.max

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        source.each_value(values, f"not {source.constant(self.ok, 'ok')}({{value}})")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return f"String length not <= {stringify_node(_namespace_graph(), self.rule)}"


class _Pattern(_Constraint):
    component = "PatternConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        rules = list(sg.objects(shape.node, SH.pattern))
        if not all(isinstance(rule, rdflib.Literal) for rule in rules):
            raise UnsupportedShapesError(f"{shape.label}: sh:pattern is not a literal")
        flags = list(sg.objects(shape.node, SH.flags))
        if len(flags) > 1:
            raise UnsupportedShapesError(f"{shape.label}: more than one sh:flags")
        re_flags = 0
        if flags:
            text = str(flags[0].value).lower()  # type: ignore[attr-defined]
            re_flags |= re.I if "i" in text else 0
            re_flags |= re.M if "m" in text else 0
        self.rules: list[rdflib.Literal] = rules  # type: ignore[assignment]
        self.patterns = [
            re.compile(
                str(r.value) if r.value is not None and len(r.value) > 1 else str(r), re_flags
            )
            for r in self.rules
        ]

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        failed: list[_Raw] = []
        for pattern in self.patterns:
            for value in values:
                if isinstance(value, BlankNode) or not pattern.search(_string(value)):
                    failed.append(_Raw(self, focus, value))
        return (False, failed) if failed else _PASS

    def ok(self, value: Term) -> bool:
        """Tell whether a value node matches every pattern (a blank node matches none)."""
        if isinstance(value, BlankNode):
            return False
        text = _string(value)
        return all(pattern.search(text) for pattern in self.patterns)

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        ok = source.constant(self.ok, "ok")
        if len(self.patterns) == 1:  # an IRI is matched on its text (_string)
            search = source.constant(self.patterns[0].search, "search")
            source.each_value(
                values,
                f"(type({{value}}) is not NamedNode or not {search}({{value}}.value))"
                f" and not {ok}({{value}})",
            )
        else:
            source.each_value(values, f"not {ok}({{value}})")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        if len(self.rules) < 2:
            return f"Value does not match pattern '{self.rules[0].value}'"
        rules = "', '".join(str(c.value) for c in self.rules)
        return f"Value does not match every pattern in ('{rules}')"


class _LanguageIn(_Constraint):
    component = "LanguageInConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _one(shape, sg, SH.languageIn)
        languages = list(Collection(sg, self.rule))
        if not all(isinstance(x, rdflib.Literal) and isinstance(x.value, str) for x in languages):
            raise UnsupportedShapesError(f"{shape.label}: sh:languageIn holds a non-string")
        self.languages = {str(x.value).lower() for x in languages}  # type: ignore[attr-defined]

    def ok(self, value: Term) -> bool:
        """Tell whether a value node has one of the languages, as pyshacl matches them."""
        if not isinstance(value, Literal) or not value.language:
            return False
        language = value.language.lower()
        return (
            "*" in self.languages
            or language in self.languages
            or language.split("-")[0] in self.languages
        )

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        return self.each_value(focus, values, self.ok)

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return f"String language is not in {self.shape_text(self.rule)}"

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        source.each_value(values, f"not {source.constant(self.ok, 'ok')}({{value}})")


class _UniqueLang(_Constraint):
    component = "UniqueLangConstraintComponent"

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        if shape.path is None:
            raise UnsupportedShapesError(f"{shape.label}: sh:uniqueLang on a node shape")
        rule = _one(shape, sg, SH.uniqueLang)
        if not isinstance(rule, rdflib.Literal) or not isinstance(rule.value, bool):
            raise UnsupportedShapesError(f"{shape.label}: sh:uniqueLang is not a boolean")
        self.unique = rule.value

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        if not self.unique:
            return _PASS
        seen: set[str] = set()
        duplicates: set[str] = set()
        for value in values:
            if isinstance(value, Literal) and value.language:
                language = value.language.lower()
                (duplicates if language in seen else seen).add(language)
        if not duplicates:
            return _PASS
        return False, [_Raw(self, focus) for _ in duplicates]

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return "More than one String shares the same Language"

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        if self.unique:  # one value node cannot share its language
            with source.block(f"if len({values}) > 1:"):
                super().precheck(source, focus, values)


class _In(_Constraint):
    component = "InConstraintComponent"
    per_value = True

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.rule = _one(shape, sg, SH["in"])
        self.members = set(Collection(sg, self.rule))
        # An IRI value is a member when rdflib's URIRef of it is: equal text, a plain URIRef.
        self.iris = {str(m) for m in self.members if type(m) is URIRef}

    def ok(self, value: Term) -> bool:
        """Tell whether a value node is one of the members, as rdflib compares them."""
        if type(value) is NamedNode:
            return value.value in self.iris
        return to_rdflib(value) in self.members

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        return self.each_value(focus, values, self.ok)

    def generic_message(self, data: Data, raw: _Raw) -> str:
        listed = [self.shape_text(v) for v in self.members]
        return f"Value {self.data_text(data, raw.value)} not in list {listed}"

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        iris = source.constant(self.iris, "iris")
        ok = source.constant(self.ok, "ok")
        source.each_value(
            values,
            f"(type({{value}}) is not NamedNode or {{value}}.value not in {iris})"
            f" and not {ok}({{value}})",
        )


class _HasValue(_Constraint):
    component = "HasValueConstraintComponent"

    def __init__(self, shape: _Shape, sg: Graph) -> None:
        super().__init__(shape, sg)
        self.wanted = set(sg.objects(shape.node, SH.hasValue))

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        present = {to_rdflib(v) for v in values}
        failed = [_Raw(self, focus) for wanted in self.wanted if wanted not in present]
        return (False, failed) if failed else _PASS

    def generic_message(self, data: Data, raw: _Raw) -> str:
        wanted = [self.shape_text(s) for s in self.wanted]
        if self.shape.path is not None:
            return (
                f"Node {self.data_text(data, raw.focus)}->{self.path_text()} "
                f"does not contain a value in the set: {wanted}"
            )
        return (
            f"Node {self.data_text(data, raw.focus)} value is not a in the set of values: {wanted}"
        )

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        if not all(type(wanted) is URIRef for wanted in self.wanted):
            super().precheck(source, focus, values)
            return
        # An IRI value node is, through to_rdflib, the URIRef of the same text.
        for wanted in sorted(self.wanted, key=str):
            iri = source.constant(NamedNode(str(wanted)), "wanted")
            source.fail_if(f"{iri} not in {values}")


class _Closed(_Constraint):
    component = "ClosedConstraintComponent"
    ALWAYS_IGNORE: Final = (NamedNode(str(RDF.type)), NamedNode(str(RDFS.Resource)))

    def __init__(self, shape: _Shape, sg: Graph, property_paths: set[str]) -> None:
        super().__init__(shape, sg)
        closed = _one(shape, sg, SH.closed)
        if not isinstance(closed, rdflib.Literal):
            raise UnsupportedShapesError(f"{shape.label}: sh:closed is not a literal")
        self.closed = bool(closed.value)
        ignored: set[str] = set()
        for node in sg.objects(shape.node, SH.ignoredProperties):
            ignored |= {str(item) for item in Collection(sg, node)}
        self.allowed = ignored | property_paths

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        if not self.closed:
            return _PASS
        failed: list[_Raw] = []
        for value in values:
            for predicate, objects in data.predicates(value).items():
                if predicate.value in self.allowed:
                    continue
                for obj in objects:
                    if (predicate, obj) == self.ALWAYS_IGNORE:
                        continue
                    failed.append(_Raw(self, focus, obj, predicate.value))
        return (False, failed) if failed else _PASS

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return (
            f"Node {self.data_text(data, raw.focus)} is closed. "
            f"It cannot have value: {self.data_text(data, raw.value)}"
        )


class _Nested(_Constraint):
    """A constraint whose parameter names other shapes (sh:property, sh:node, logic)."""

    def __init__(self, shape: _Shape, sg: Graph, shapes: list[_Shape]) -> None:
        super().__init__(shape, sg)
        self.shapes = shapes


class _Property(_Nested):
    component = "PropertyConstraintComponent"
    _active: list[tuple[NamedNode | None, _Shape]] | None = None

    #: :meth:`check` compiled (see :meth:`compile`), once every shape is compiled.
    compiled: Callable[[Data, Term, Values], _Outcome] | None = None

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        compiled = self.compiled
        if compiled is not None:
            return compiled(data, focus, values)
        conforms = True
        results: list[_Raw] = []
        active = self._active
        if active is None:  # the shapes are compiled whole only after this constraint
            active = self._active = [
                (shape.predicate, shape) for shape in self.shapes if not shape.deactivated
            ]
        for value in values:
            get = data.predicates(value).get
            for predicate, shape in active:
                if predicate is None:
                    ok, found = shape.validate(data, value)
                else:
                    ok, found = shape.check(data, value, get(predicate, _EMPTY))
                if found:
                    results += found
                    if not ok:
                        conforms = False
                elif not ok:
                    conforms = False
        return conforms, results

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        value = source.local("value")
        with source.block(f"for {value} in {values}:"):
            self._write_shapes(source, value, exact=False)

    def compile(self) -> Callable[[Data, Term, Values], _Outcome]:
        """Return a function that checks as :meth:`check` does, each shape's precheck written in.

        A property shape whose precheck answers False is checked as before, so the results
        are the same, in the same order.
        """
        source = _Precheck()
        source.line("conforms = True")
        source.line("results = []")
        value = source.local("value")
        with source.block(f"for {value} in values:"):
            self._write_shapes(source, value, exact=True)
        return source.function(self.shape.label, "return conforms, results")

    def _write_shapes(self, source: _Precheck, value: str, exact: bool) -> None:
        """Write the checks of the property shapes on one value node (``value``).

        Not ``exact``: statements that answer False unless every shape surely conforms with
        no result. ``exact``: statements that add to ``results`` and ``conforms`` what
        :meth:`check` would.
        """
        get = source.local("get")
        source.line(f"{get} = data.predicates({value}).get")
        # Property shapes share predicates (one constraint per shape): each is looked up
        # once, as hashing a pyoxigraph term is most of a lookup's cost.
        looked_up: dict[NamedNode, str] = {}

        def objects_of(predicate: NamedNode) -> str:
            known = looked_up.get(predicate)
            if known is None:
                known = looked_up[predicate] = source.local("objects")
                source.line(f"{known} = {get}({source.constant(predicate, 'predicate')}, _EMPTY)")
            return known

        def add(call: str) -> None:
            ok, found = source.local("ok"), source.local("found")
            source.line(f"{ok}, {found} = {call}")
            with source.block(f"if {found}:"):
                source.line(f"results += {found}")
                source.line(f"if not {ok}:")
                source.line("    conforms = False")
            source.line(f"elif not {ok}:")
            source.line("    conforms = False")

        def whole(call: str) -> None:
            (add if exact else source.outcome)(call)

        def written(shape: _Shape, lists: list[str], call: str) -> None:
            if not exact:
                for objects in lists:
                    for constraint in shape.constraints:
                        constraint.precheck(source, value, objects)
                return
            passes = source.local("passes")
            with source.into(passes):
                for objects in lists:
                    for constraint in shape.constraints:
                        constraint.precheck(source, value, objects)
            with source.block(f"if not {passes}:"):
                add(call)

        for shape in self.shapes:
            if shape.deactivated:
                continue
            validate = f"{source.constant(shape.validate, 'validate')}(data, {value})"
            if any(isinstance(c, _Nested) for c in shape.constraints):
                # Not written out here (a shape under a shape under ...): its own precheck.
                if shape.predicate is None:
                    whole(validate)
                else:
                    check = source.constant(shape.check, "check")
                    whole(f"{check}(data, {value}, {objects_of(shape.predicate)})")
            elif shape.predicate is not None:
                objects = objects_of(shape.predicate)
                check_each = source.constant(shape.check_each, "check_each")
                written(shape, [objects], f"{check_each}(data, {value}, {objects})")
            elif shape.alternatives and all(c.per_value for c in shape.constraints):
                # Each value node passes alone: the objects of every alternative may be
                # checked apart (values the path would give once are checked twice).
                written(shape, [objects_of(p) for p in shape.alternatives], validate)
            else:
                whole(validate)


class _Node(_Nested):
    component = "NodeConstraintComponent"

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        conforms = True
        results: list[_Raw] = []
        for shape in self.shapes:
            for value in values:
                ok, found = shape.validate(data, value)
                if not ok or found:
                    # pyshacl nests the shape's own results under this one (sh:detail).
                    conforms = False
                    results.append(_Raw(self, focus, value))
        return conforms, results

    def generic_message(self, data: Data, raw: _Raw) -> str:
        if len(self.shapes) < 2:
            text = f"Value does not conform to Shape {self.shape_text(self.shapes[0].node)}."
        else:
            rules = "', '".join(self.shape_text(s.node) for s in self.shapes)
            text = f"Value must conform to every Shape in ('{rules}')."
        return text + " See details for more information."


class _Logic(_Nested):
    """sh:and, sh:or, sh:xone and sh:not: a result when the count of conforming shapes is wrong."""

    PHRASES: Final = {
        "AndConstraintComponent": "must conform to all shapes in",
        "OrConstraintComponent": "must conform to one or more shapes in",
        "XoneConstraintComponent": "must conform to exactly one shape in",
        "NotConstraintComponent": "must not conform to shape",
    }

    def __init__(
        self,
        shape: _Shape,
        sg: Graph,
        shapes: list[_Shape],
        component: str,
        passes: Callable[[int, int], bool],
        parameter: rdflib.term.Node,
    ) -> None:
        super().__init__(shape, sg, shapes)
        self.component = component
        self.passes = passes
        self.parameter = parameter

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        failed: list[_Raw] = []
        for value in values:
            conforming = sum(1 for shape in self.shapes if shape.validate(data, value)[0])
            if not self.passes(conforming, len(self.shapes)):
                failed.append(_Raw(self, focus, value))
        return (False, failed) if failed else _PASS

    def generic_message(self, data: Data, raw: _Raw) -> str:
        if self.component == "NotConstraintComponent":
            shapes = self.shape_text(self.parameter)
        else:
            members = Collection(self.sg, self.parameter)
            shapes = " , ".join(self.shape_text(m) for m in members)
        return f"Node {self.data_text(data, raw.value)} {self.PHRASES[self.component]} {shapes}"


class _Qualified(_Constraint):
    """sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount."""

    component = "QualifiedValueShapeConstraintComponent"

    def __init__(
        self,
        shape: _Shape,
        sg: Graph,
        value_shape: _Shape,
        siblings: list[_Shape],
        minimum: int | None,
        maximum: int | None,
    ) -> None:
        super().__init__(shape, sg)
        self.value_shape = value_shape
        self.siblings = siblings
        self.min = minimum
        self.max = maximum

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        conforming = 0
        for value in values:
            if self.value_shape.validate(data, value)[0] and not any(
                sibling.validate(data, value)[0] for sibling in self.siblings
            ):
                conforming += 1
        failed: list[_Raw] = []
        if self.max is not None and conforming > self.max:
            failed.append(_Raw(self, focus, component="QualifiedMaxCountConstraintComponent"))
        if self.min is not None and conforming < self.min:
            failed.append(_Raw(self, focus, component="QualifiedMinCountConstraintComponent"))
        return (False, failed) if failed else _PASS

    def generic_message(self, data: Data, raw: _Raw) -> str:
        counts = (f" MinCount {self.min}" if self.min is not None else "") + (
            f" MaxCount {self.max}" if self.max is not None else ""
        )
        return (
            f"Focus node does not conform to shape{counts}: "
            f"{self.shape_text(self.value_shape.node)}"
        )


class _Range(_Constraint):
    """sh:minInclusive, sh:minExclusive, sh:maxInclusive, sh:maxExclusive (pyshacl's comparison)."""

    per_value = True

    RANGES: Final = {
        SH.minInclusive: ("MinInclusiveConstraintComponent", ">=", lambda c: c >= 0),
        SH.minExclusive: ("MinExclusiveConstraintComponent", ">", lambda c: c > 0),
        SH.maxInclusive: ("MaxInclusiveConstraintComponent", "<=", lambda c: c <= 0),
        SH.maxExclusive: ("MaxExclusiveConstraintComponent", "<", lambda c: c < 0),
    }

    def __init__(self, shape: _Shape, sg: Graph, parameter: URIRef) -> None:
        super().__init__(shape, sg)
        self.component, self.symbol, self.holds = self.RANGES[parameter]
        rules = list(sg.objects(shape.node, parameter))
        if not all(isinstance(rule, rdflib.Literal) for rule in rules):
            raise UnsupportedShapesError(f"{shape.label}: {parameter} is not a literal")
        self.rules: list[rdflib.Literal] = rules  # type: ignore[assignment]
        self._known: dict[tuple[str, str, int], bool] = {}
        #: Value nodes known to be in range of every rule (ranges are checked on short literals).
        self.passing: set[Term] = set()

    def ok(self, value: Term, rule: rdflib.Literal) -> bool:
        """Tell whether a value node is in range, by the same test pyshacl makes."""
        if not isinstance(value, Literal):
            return False
        # Values recur (offsets, counts, dates): the rdflib literal and the comparison are
        # made once per value, language or datatype, and rule.
        key = (value.value, value.language or value.datatype.value, id(rule))
        known = self._known.get(key)
        if known is None:
            known = self._compare(value, rule)
            if len(self._known) > 100_000:
                self._known.clear()
            self._known[key] = known
        return known

    def _compare(self, value: Literal, rule: rdflib.Literal) -> bool:
        literal = to_rdflib(value)
        assert isinstance(literal, rdflib.Literal)
        if isinstance(rule.value, str) != isinstance(literal.value, str):
            return False
        try:
            return bool(self.holds(compare_literal(literal, rule)))  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        failed = [
            _Raw(self, focus, v) for rule in self.rules for v in values if not self.ok(v, rule)
        ]
        return (False, failed) if failed else _PASS

    def remember(self, value: Term) -> bool:
        """Tell whether a value node is in range of every rule; remember it in :attr:`passing` if so."""
        return all(self.ok(value, rule) for rule in self.rules) and _keep(self.passing, value)

    def precheck(self, source: _Precheck, focus: str, values: str) -> None:
        known = source.constant(self.passing, "known")
        remember = source.constant(self.remember, "remember")
        source.each_value(values, f"{{value}} not in {known} and not {remember}({{value}})")

    def generic_message(self, data: Data, raw: _Raw) -> str:
        if len(self.rules) < 2:
            return f"Value is not {self.symbol} {self.shape_text(self.rules[0])}"
        rules = ", ".join(self.shape_text(c) for c in self.rules)
        return f"Value is not {self.symbol} in ({rules})"


class _Pair(_Constraint):
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: the values of another property."""

    PAIRS: Final = {
        SH.equals: ("EqualsConstraintComponent", "!="),
        SH.disjoint: ("DisjointConstraintComponent", "=="),
        SH.lessThan: ("LessThanConstraintComponent", "<="),
        SH.lessThanOrEquals: ("LessThanOrEqualsConstraintComponent", "<"),
    }

    def __init__(self, shape: _Shape, sg: Graph, parameter: URIRef) -> None:
        super().__init__(shape, sg)
        self.parameter = parameter
        self.component, self.symbol = self.PAIRS[parameter]
        # pyshacl keeps the properties in a set: with two or more, the order it lists them
        # in its message is a hash order, so only one is compiled.
        rules = list(sg.objects(shape.node, parameter))
        if len(rules) != 1 or not isinstance(rules[0], URIRef):
            raise UnsupportedShapesError(f"{shape.label}: {parameter} is not one IRI")
        if parameter in (SH.lessThan, SH.lessThanOrEquals) and shape.path is None:
            raise UnsupportedShapesError(f"{shape.label}: {parameter} on a node shape")
        self.rule = rules[0]
        self.predicate = NamedNode(str(rules[0]))

    def check(self, data: Data, focus: Term, values: Values) -> _Outcome:
        others = data.objects(focus, self.predicate)
        failed: list[_Raw] = []
        if self.parameter == SH.equals:
            failed = [_Raw(self, focus, v) for v in values if v not in others]
            failed += [_Raw(self, focus, o) for o in others if o not in values]
        elif self.parameter == SH.disjoint:
            failed = [_Raw(self, focus, v) for v in values if v in others]
        else:
            strict = self.parameter == SH.lessThan
            for value in values:
                if isinstance(value, BlankNode):  # pyshacl stops here, whatever the others
                    raise UnsupportedShapesError("sh:lessThan cannot compare a blank node")
                for other in others:
                    if not _less(value, other, strict):
                        failed.append(_Raw(self, focus, value))
        return (False, failed) if failed else _PASS

    def generic_message(self, data: Data, raw: _Raw) -> str:
        return (
            f"Value of {self.data_text(data, raw.focus)}->{self.shape_text(self.rule)} "
            f"{self.symbol} {self.data_text(data, raw.value)}"
        )


def _less(value: Term, other: Term, strict: bool) -> bool:
    """Tell whether a value is less than (or equal to) another, as pyshacl compares them."""
    if isinstance(value, BlankNode) or isinstance(other, BlankNode):
        # pyshacl stops the whole validation here; so does this engine.
        raise UnsupportedShapesError("sh:lessThan cannot compare a blank node")
    left: Any = to_rdflib(value)
    right: Any = to_rdflib(other)
    left_text = isinstance(left, URIRef) or isinstance(getattr(left, "value", None), str)
    right_text = isinstance(right, URIRef) or isinstance(getattr(right, "value", None), str)
    if left_text != right_text:
        return False
    if left_text:
        left, right = (
            (str(left) if isinstance(left, URIRef) else left.value),
            (str(right) if isinstance(right, URIRef) else right.value),
        )
    if strict:
        return bool(left < right)
    return bool(left <= right)


_SIMPLE: Final[dict[URIRef, type[_Constraint]]] = {
    SH.minCount: _MinCount,
    SH.maxCount: _MaxCount,
    SH.datatype: _Datatype,
    SH["class"]: _Class,
    SH.nodeKind: _NodeKind,
    SH.minLength: _MinLength,
    SH.maxLength: _MaxLength,
    SH.pattern: _Pattern,
    SH.languageIn: _LanguageIn,
    SH.uniqueLang: _UniqueLang,
    SH["in"]: _In,
    SH.hasValue: _HasValue,
}


#: The checks that look at nothing but the value nodes in hand (and how many there are).
_VALUE_CHECKS: Final[tuple[type[_Constraint], ...]] = (
    _MinCount, _MaxCount, _Datatype, _NodeKind, _MinLength, _MaxLength, _Pattern,
    _LanguageIn, _UniqueLang, _In, _HasValue, _Range,
)  # fmt: skip
#: Remembered results of recurring focus nodes, at most (see CompiledShapes.validate).
_MEMO_BOUND: Final = 8192


def _reads_the_value_only(shape: _Shape) -> bool:
    """Tell whether a shape without a path checks its value node's term and nothing else."""
    return shape.path is None and all(type(c) in _VALUE_CHECKS for c in shape.constraints)


def _reads_one_hop(shape: _Shape) -> bool:
    """Tell whether a property shape reads one predicate's objects and checks only them."""
    return shape.predicate is not None and all(
        type(c) in _VALUE_CHECKS
        or type(c) is _Pair  # the focus node's own values of another predicate
        or (
            type(c) is _Qualified
            and _reads_the_value_only(c.value_shape)
            and all(_reads_the_value_only(sibling) for sibling in c.siblings)
        )
        for c in shape.constraints
    )


def _reads_its_focus_only(shape: _Shape) -> bool:
    """Tell whether what a targeted node shape finds depends on nothing but its focus node
    and the triples of which the focus node is the subject: no class, node or logic
    constraint (which read other nodes' triples), no path beyond one predicate.
    """
    return shape.path is None and all(
        type(c) in _VALUE_CHECKS
        or type(c) in (_Closed, _Pair)
        or (type(c) is _Property and all(_reads_one_hop(inner) for inner in c.shapes))
        for c in shape.constraints
    )


# --- compiling -------------------------------------------------------------------------------


class CompiledShapes:
    """A shapes graph compiled to Python checks; call :meth:`validate` on triples."""

    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self._shapes: dict[rdflib.term.Node, _Shape] = {}
        self._compiling: set[rdflib.term.Node] = set()
        self.needs_inverse = False
        self._refuse_advanced()
        self.top: list[_Shape] = []
        for node in self._targeted_nodes():
            shape = self._shape(node)
            if not shape.deactivated:
                self.top.append(shape)
        self._local = [_reads_its_focus_only(shape) for shape in self.top]
        for shape in self._shapes.values():
            if not shape.deactivated:
                shape.passes = _precheck(shape)
            for constraint in shape.constraints:
                if isinstance(constraint, _Property):
                    constraint.compiled = constraint.compile()
        self._memo: dict[tuple[int, NamedNode, tuple[object, ...]], tuple[_Raw, ...]] = {}

    def _refuse_advanced(self) -> None:
        sg = self.sg
        for term in _ADVANCED:
            if (None, term, None) in sg:
                raise UnsupportedShapesError(f"the shapes use {term}, which is not compiled")
        for term in _ADVANCED_TYPES:
            if (None, RDF.type, term) in sg:
                raise UnsupportedShapesError(f"the shapes declare a {term}, which is not compiled")
        for parameter in sorted(ALL_CONSTRAINT_PARAMETERS, key=str):
            if parameter not in _COMPILED_PARAMETERS and (None, parameter, None) in sg:
                raise UnsupportedShapesError(f"the shapes use {parameter}, which is not compiled")

    def _targeted_nodes(self) -> list[rdflib.term.Node]:
        sg = self.sg
        nodes: dict[rdflib.term.Node, None] = {}
        for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            nodes.update(dict.fromkeys(sg.subjects(target, None)))
        class_types = {RDFS.Class, *sg.subjects(RDFS.subClassOf, RDFS.Class)}
        for kind in (SH.NodeShape, SH.PropertyShape):
            for node in sg.subjects(RDF.type, kind):
                if class_types & set(sg.objects(node, RDF.type)):
                    nodes[node] = None
        return sorted(nodes, key=str)

    def _shape(self, node: rdflib.term.Node) -> _Shape:
        known = self._shapes.get(node)
        if known is not None:
            return known
        if node in self._compiling:
            raise UnsupportedShapesError(f"{node}: recursive shapes are not compiled")
        self._compiling.add(node)
        try:
            shape = self._compile(node)
        finally:
            self._compiling.discard(node)
        self._shapes[node] = shape
        return shape

    def _compile(self, node: rdflib.term.Node) -> _Shape:
        sg = self.sg
        label = str(node)
        path_nodes = list(sg.objects(node, SH.path))
        if len(path_nodes) > 1:
            raise UnsupportedShapesError(f"{label}: more than one sh:path")
        path: _PathFn | None = None
        if path_nodes:
            path, needs_inverse = _compile_path(sg, path_nodes[0], label)
            self.needs_inverse = self.needs_inverse or needs_inverse
        severities = list(sg.objects(node, SH.severity))
        if len(severities) > 1:
            raise UnsupportedShapesError(f"{label}: more than one sh:severity")
        severity = severities[0] if severities else SH.Violation
        deactivated = list(sg.objects(node, SH.deactivated))
        if len(deactivated) > 1 or (deactivated and not isinstance(deactivated[0], rdflib.Literal)):
            raise UnsupportedShapesError(f"{label}: sh:deactivated is not one literal")
        shape = _Shape(
            node=node,
            label=label,
            source_shape=str(node) if isinstance(node, URIRef) else None,
            path=path,
            path_node=path_nodes[0] if path_nodes else None,
            severity_node=severity,
            allowed=severity in _ALLOWED_SEVERITIES,
            messages=list(sg.objects(node, SH.message)),
            deactivated=bool(deactivated[0].value) if deactivated else False,  # type: ignore[attr-defined]
            predicate=(
                NamedNode(str(path_nodes[0]))
                if path_nodes and isinstance(path_nodes[0], URIRef)
                else None
            ),
        )
        if path_nodes and set(sg.predicates(path_nodes[0], None)) == {SH.alternativePath}:
            listed = sg.value(path_nodes[0], SH.alternativePath)
            options = list(Collection(sg, listed)) if listed is not None else []
            if all(isinstance(option, URIRef) for option in options):
                shape.alternatives = tuple(NamedNode(str(option)) for option in options)
        for cls in sg.objects(node, SH.targetClass):
            shape.target_classes.append(self._iri(cls, label))
        shape.target_nodes = [_from_rdflib(n, label) for n in sg.objects(node, SH.targetNode)]
        shape.subjects_of = [self._iri(p, label) for p in sg.objects(node, SH.targetSubjectsOf)]
        shape.objects_of = [self._iri(p, label) for p in sg.objects(node, SH.targetObjectsOf)]
        class_types = {RDFS.Class, *sg.subjects(RDFS.subClassOf, RDFS.Class)}
        if class_types & set(sg.objects(node, RDF.type)):
            shape.target_classes.append(self._iri(node, label))
        if shape.deactivated:
            return shape
        parameters = {
            URIRef(str(p)) for p in sg.predicates(node, None) if p in ALL_CONSTRAINT_PARAMETERS
        }
        if SH.ignoredProperties in parameters and SH.closed not in parameters:
            raise UnsupportedShapesError(f"{label}: sh:ignoredProperties without sh:closed")
        for parameter in sorted(parameters, key=str):
            shape.constraints += self._constraints(shape, parameter)
        return shape

    def _qualified(self, shape: _Shape) -> list[_Constraint]:
        sg = self.sg
        if shape.path is None:
            return []  # pyshacl ignores qualified shapes on node shapes
        counts: list[int | None] = []
        for parameter in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            found = list(sg.objects(shape.node, parameter))
            if len(found) > 1 or (
                found
                and not (isinstance(found[0], rdflib.Literal) and isinstance(found[0].value, int))
            ):
                raise UnsupportedShapesError(f"{shape.label}: {parameter} is not one integer")
            counts.append(found[0].value if found else None)  # type: ignore[attr-defined]
        if counts == [None, None]:
            raise UnsupportedShapesError(f"{shape.label}: sh:qualifiedValueShape without a count")
        disjoint = any(
            isinstance(d, rdflib.Literal) and d.value is True
            for d in sg.objects(shape.node, SH.qualifiedValueShapesDisjoint)
        )
        constraints: list[_Constraint] = []
        for value_node in sg.objects(shape.node, SH.qualifiedValueShape):
            siblings: list[_Shape] = []
            if disjoint:
                sibling_nodes = {
                    sibling
                    for parent in sg.subjects(SH.property, shape.node)
                    for other in sg.objects(parent, SH.property)
                    for sibling in sg.objects(other, SH.qualifiedValueShape)
                    if sibling != value_node
                }
                siblings = [self._shape(n) for n in sorted(sibling_nodes, key=str)]
            constraints.append(
                _Qualified(shape, sg, self._shape(value_node), siblings, counts[0], counts[1])
            )
        if len(constraints) > 1:
            raise UnsupportedShapesError(f"{shape.label}: more than one sh:qualifiedValueShape")
        return constraints

    def _iri(self, node: rdflib.term.Node, label: str) -> NamedNode:
        if not isinstance(node, URIRef):
            raise UnsupportedShapesError(f"{label}: a target that is not an IRI")
        return NamedNode(str(node))

    def _constraints(self, shape: _Shape, parameter: URIRef) -> list[_Constraint]:
        sg = self.sg
        simple = _SIMPLE.get(parameter)
        if simple is not None:
            return [simple(shape, sg)]
        objects = list(sg.objects(shape.node, parameter))
        if parameter == SH.property:
            shapes = [self._shape(o) for o in objects]
            if any(s.path is None for s in shapes):
                raise UnsupportedShapesError(
                    f"{shape.label}: sh:property names a shape without sh:path"
                )
            return [_Property(shape, sg, shapes)]
        if parameter == SH.node:
            shapes = [self._shape(o) for o in objects]
            if any(s.path is not None for s in shapes):
                raise UnsupportedShapesError(f"{shape.label}: sh:node names a property shape")
            return [_Node(shape, sg, shapes)]
        if parameter == SH.closed:
            paths = {
                str(p)
                for ps in sg.objects(shape.node, SH.property)
                for p in sg.objects(ps, SH.path)
            }
            return [_Closed(shape, sg, paths)]
        if parameter == SH.ignoredProperties:
            return []  # read by sh:closed
        if parameter in _Range.RANGES:
            return [_Range(shape, sg, parameter)]
        if parameter in _Pair.PAIRS:
            return [_Pair(shape, sg, parameter)]
        if parameter in _QUALIFIED:
            return self._qualified(shape) if parameter == SH.qualifiedValueShape else []
        logic: dict[URIRef, tuple[str, Callable[[int, int], bool]]] = {
            SH["and"]: ("AndConstraintComponent", lambda passed, total: passed == total),
            SH["or"]: ("OrConstraintComponent", lambda passed, total: passed > 0),
            SH.xone: ("XoneConstraintComponent", lambda passed, total: passed == 1),
            SH["not"]: ("NotConstraintComponent", lambda passed, total: passed == 0),
        }
        if parameter not in logic:
            raise UnsupportedShapesError(f"{shape.label}: {parameter} is not compiled")
        if len(objects) != 1:
            raise UnsupportedShapesError(f"{shape.label}: more than one {parameter}")
        component, passes = logic[parameter]
        members = objects if parameter == SH["not"] else list(Collection(sg, objects[0]))
        # A shape listed twice counts twice (sh:xone ( ex:s ex:s ) never conforms).
        shapes = [self._shape(m) for m in members]
        return [_Logic(shape, sg, shapes, component, passes, objects[0])]

    def focus_nodes(self, shape: _Shape, data: Data) -> list[Term]:
        """Return the focus nodes of a shape's targets in the data."""
        found: dict[object, Term] = {}
        for node in shape.target_nodes:
            found.setdefault(_rdflib_key(node), node)
        for cls in shape.target_classes:
            for node in data.instances(cls):
                found.setdefault(node, node)
        for predicate in shape.subjects_of:
            for node in data.subjects_of(predicate):
                found.setdefault(node, node)
        for predicate in shape.objects_of:
            for node in data.objects_of(predicate):
                found.setdefault(_rdflib_key(node), node)
        return list(found.values())

    def validate(
        self,
        triples: Sequence[AnyTriple],
        *,
        describe: bool = True,
        recurring: Container[str] = (),
        nodes: Sequence[Described] = (),
    ) -> ValidationReport:
        """Validate triples and return the report pyshacl would give.

        ``nodes`` are more of the data, nodes described whole (see
        :data:`nualod.model.triples.Described`): validated as their triples would be.

        Without ``describe``, the report leaves out what it says of its focus nodes (their
        kind, label, page), which only people read. ``recurring`` names IRIs that come back
        call after call with the same triples (the regions, in every batch of practices):
        what a shape that reads nothing but its focus node's own triples finds for them is
        remembered, under those triples, and not checked again.
        """
        with quiet_ill_typed_literals():  # reported in words, not logged with a traceback
            return self._validate(triples, describe, recurring, nodes)

    def _validate(
        self,
        triples: Sequence[AnyTriple],
        describe: bool,
        recurring: Container[str],
        nodes: Sequence[Described] = (),
    ) -> ValidationReport:
        data = Data(triples, self.needs_inverse, nodes)
        raws: list[_Raw] = []
        for index, shape in enumerate(self.top):
            local = recurring and self._local[index]
            for focus in self.focus_nodes(shape, data):
                if local and type(focus) is NamedNode and focus.value in recurring:
                    raws += self._remembered(index, shape, data, focus)
                else:
                    raws += shape.validate(data, focus)[1]
        return _report(raws, data, describe)

    def validate_nodes(
        self, data: Data, focus: Sequence[tuple[int, Term]], *, describe: bool = True
    ) -> ValidationReport:
        """Validate given focus nodes, each against one of :attr:`top` (by index), in ``data``.

        The caller chose the focus nodes (as :meth:`focus_nodes` would) and ``data`` answers
        for the whole graph; this is how :mod:`nualod.validate.stream` validates a batch.
        """
        with quiet_ill_typed_literals():
            raws: list[_Raw] = []
            for index, node in focus:
                shape = self.top[index]
                raws += shape.validate(data, node)[1]
            return _report(raws, data, describe)

    def _remembered(
        self, index: int, shape: _Shape, data: Data, focus: NamedNode
    ) -> Sequence[_Raw]:
        own = data.predicates(focus)
        key = (index, focus, tuple((p, tuple(objects)) for p, objects in own.items()))
        found = self._memo.get(key)
        if found is None:
            found = tuple(shape.validate(data, focus)[1])
            # A blank node is named only within one call's data: keep nothing that shows one.
            if all(type(raw.value) is not BlankNode for raw in found):
                if len(self._memo) >= _MEMO_BOUND:
                    self._memo.clear()
                self._memo[key] = found
        return found


def _from_rdflib(node: rdflib.term.Node, label: str) -> Term:
    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return Literal(str(node), language=node.language)
        if node.datatype is None:
            return Literal(str(node))
        return Literal(str(node), datatype=NamedNode(str(node.datatype)))
    raise UnsupportedShapesError(f"{label}: a blank node as sh:targetNode")


def _messages(shape: _Shape) -> tuple[tuple[str, str], ...]:
    """Return a shape's messages as (language, text), English first, as the report reader does."""
    return tuple(
        sorted(
            ((getattr(m, "language", None) or "", str(m)) for m in shape.messages),
            key=lambda m: (m[0] != "en", m[0], m[1]),
        )
    )


def _kind(term: Term) -> str:
    if isinstance(term, Literal):
        return "literal"
    return "blank" if isinstance(term, BlankNode) else "iri"


def _report(raws: list[_Raw], data: Data, describe: bool = True) -> ValidationReport:
    """Return the report :func:`nualod.validate.shacl.validate_graph` gives for pyshacl's results.

    Built directly, not through a report graph: the same fields, values and order as
    :func:`nualod.validate.shacl.report_from_graph`, and the same focus-node descriptions as
    :func:`nualod.validate.shacl.describe_nodes` (the differential test holds them together).
    """
    if not raws:
        return ValidationReport((), engine="fast")
    results = []
    shape_fields: dict[int, tuple[str, tuple[tuple[str, str], ...], str | None]] = {}
    focus_terms: dict[str, Term] = {}
    for raw in raws:
        constraint = raw.constraint
        shape = constraint.shape
        known = shape_fields.get(id(shape))
        if known is None:
            path = shape.path_node
            known = shape_fields[id(shape)] = (
                str(shape.severity_node).rsplit("#", 1)[-1],
                _messages(shape),
                str(path) if isinstance(path, URIRef) else None,
            )
        severity, messages, path_text = known
        if not messages:
            messages = (("", constraint.generic_message(data, raw)),)
        value = raw.value
        focus = term_text(raw.focus)
        focus_terms.setdefault(focus, raw.focus)
        results.append(
            ValidationResult(
                focus_node=focus,
                path=raw.path if raw.path is not None else path_text,
                severity=severity,
                message=messages[0][1],
                value=term_text(value) if value is not None else None,
                source_shape=shape.source_shape,
                constraint=raw.component or constraint.component,
                value_kind=_kind(value) if value is not None else None,
                messages=messages,
                value_n3=to_rdflib(value).n3() if value is not None else None,
            )
        )
    results.sort(key=result_order)
    nodes = _describe(focus_terms, data) if describe else ()
    return ValidationReport(tuple(results), nodes, engine="fast")


def _describe(focus_terms: dict[str, Term], data: Data) -> tuple[Any, ...]:
    """Return what :func:`nualod.validate.shacl.describe_nodes` says of the focus nodes."""
    practice = NamedNode(NUA + "GoodPractice")
    others = {
        term for term in focus_terms.values() if practice not in data.objects(term, _RDF_TYPE)
    }
    pointing = data.pointing_practices(others) if others else {}
    order = {"id": 0, "en": 1}
    described = []
    for iri in sorted(focus_terms):
        term = focus_terms[iri]
        types = {term_text(t) for t in data.objects(term, _RDF_TYPE)}
        kind = next((name for cls, name in NODE_KINDS if cls in types), "node")
        label = None
        for predicate in LABEL_PREDICATES:
            values = data.objects(term, NamedNode(predicate))
            if values:
                best = min(
                    values,
                    key=lambda v: (
                        order.get((v.language if isinstance(v, Literal) else None) or "", 2),
                        term_text(v),
                    ),
                )
                label = term_text(best)
                break
        page = None
        practices: tuple[str, ...] = ()
        if kind == "practice":
            page = next(
                (
                    v.value
                    for p in PAGE_PREDICATES
                    for v in sorted(data.objects(term, NamedNode(p)), key=term_text)
                    if isinstance(v, NamedNode)
                ),
                None,
            )
        else:
            practices = tuple(sorted(pointing.get(term, ())))
        described.append(FocusNode(iri, kind, label, page, practices))
    return tuple(described)


_compiled: dict[int, tuple[Graph, int, CompiledShapes | UnsupportedShapesError]] = {}


def compile_shapes(shapes: Graph | None = None) -> CompiledShapes:
    """Return the shapes compiled (the shipped ones by default), once per graph and size.

    Raise :class:`UnsupportedShapesError` when the shapes use something not compiled.
    """
    graph = shapes if shapes is not None else default_shapes_graph()
    known = _compiled.get(id(graph))
    if known is None or known[0] is not graph or known[1] != len(graph):
        try:
            result: CompiledShapes | UnsupportedShapesError = CompiledShapes(graph)
        except UnsupportedShapesError as error:
            result = error
        known = _compiled[id(graph)] = (graph, len(graph), result)
    if isinstance(known[2], UnsupportedShapesError):
        raise known[2]
    return known[2]


def validate_triples_fast(
    triples: Sequence[AnyTriple], shapes: Graph | None = None
) -> ValidationReport:
    """Validate pyoxigraph triples with the compiled shapes (raise :class:`UnsupportedShapesError`)."""
    return compile_shapes(shapes).validate(triples)


VALIDATORS: Final = ("fast", "pyshacl")


class Validator(Protocol):
    """A function that validates triples (see :func:`validator_for`)."""

    __name__: str

    def __call__(
        self,
        triples: Sequence[AnyTriple],
        *,
        describe: bool = True,
        recurring: Container[str] = (),
        nodes: Sequence[Described] = (),
    ) -> ValidationReport: ...


def check_validator(name: str) -> None:
    """Refuse a validator name nualod does not have (:data:`VALIDATORS`)."""
    if name not in VALIDATORS:
        raise UsageError(f"validator: unknown {name!r}; use one of {', '.join(VALIDATORS)}")


def validator_for(name: str = "fast", shapes: Graph | None = None) -> Validator:
    """Return the function that validates triples: ``"fast"`` (this engine) or ``"pyshacl"``.

    ``"fast"`` falls back to pyshacl when the shapes use something not compiled. Called
    with ``describe=False``, it may leave the report's focus-node descriptions out.

    >>> validator_for("fast").__name__, validator_for("pyshacl").__name__
    ('validate', 'validate_with_pyshacl')
    """
    check_validator(name)
    fallback: str | None = None

    def validate_with_pyshacl(
        triples: Sequence[AnyTriple],
        *,
        describe: bool = True,
        recurring: Container[str] = (),
        nodes: Sequence[Described] = (),
    ) -> ValidationReport:
        if nodes:
            triples = [*triples, *_described_triples(nodes)]
        # The report says why pyshacl ran when the fast engine was asked for.
        return replace(validate_triples(triples, shapes), fallback=fallback)

    if name == "fast":
        try:
            return compile_shapes(shapes).validate
        except UnsupportedShapesError as error:
            fallback = str(error)
    return validate_with_pyshacl
