"""Validate RDF against nualod's SHACL shapes and report results people can read.

The shapes are the Turtle files in ``nualod/shapes/`` (practice, place, theme and
indicator concepts, sources, and the DCAT-AP catalog). Validation runs pySHACL without
inference and returns a :class:`ValidationReport`: immutable, in a stable order, with the
results grouped by focus node and each focus node described (a practice by its title and
the page it was read from). Nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import pyshacl
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from nualod.errors import RDFSyntaxError, ShapesError
from nualod.model.namespaces import DCAT, DCTERMS, NUA, PROV, RDFS, SCHEMA, SKOS
from nualod.model.resources import resource_names, resource_text
from nualod.model.triples import AnyTriple
from nualod.read.rdf import read_graph, triples_to_graph

__all__ = [
    "ENGINES",
    "SEVERITIES",
    "FocusNode",
    "ValidationReport",
    "ValidationResult",
    "check_shapes",
    "default_shapes_graph",
    "describe_nodes",
    "load_shapes",
    "report_from_graph",
    "triples_to_graph",
    "validate_files",
    "validate_graph",
    "validate_triples",
]

SEVERITIES: Final = ("Violation", "Warning", "Info")

# Kinds of focus node, by rdf:type, first match wins.
NODE_KINDS: Final = (
    (NUA + "GoodPractice", "practice"),
    (NUA + "Kota", "city"),
    (NUA + "Kabupaten", "regency"),
    (NUA + "Provinsi", "province"),
    (SCHEMA + "AdministrativeArea", "place"),
    (NUA + "Theme", "theme"),
    (NUA + "Indicator", "indicator"),
    (SCHEMA + "WebPage", "source"),
    (DCAT + "Catalog", "catalog"),
    (DCAT + "Dataset", "dataset"),
    (DCAT + "Distribution", "distribution"),
)
LABEL_PREDICATES: Final = (
    DCTERMS + "title",
    RDFS + "label",
    SCHEMA + "name",
    SKOS + "prefLabel",
    SKOS + "notation",
)
#: (Not dcterms:source: a source the page cites is not the page.)
PAGE_PREDICATES: Final = (PROV + "wasDerivedFrom", SCHEMA + "url")


def severity_rank(severity: str) -> int:
    """Return 0 for a violation, 1 for a warning, 2 for info (9 for anything else).

    >>> [severity_rank(s) for s in ("Violation", "Warning", "Info", "Debug")]
    [0, 1, 2, 9]
    """
    return SEVERITIES.index(severity) if severity in SEVERITIES else 9


def result_order(result: ValidationResult) -> tuple[str, int, str, str, str, str, str, str]:
    """Return the key results are reported in: by focus node, severity, path, message, value.

    Ties (the same text in two languages, ``"Berg"`` and ``"Berg"@de``) are broken by the
    value as a term, then the constraint and the shape, so the order never depends on the
    order an engine found them in.
    """
    return (
        result.focus_node,
        severity_rank(result.severity),
        result.path or "",
        result.message,
        result.value or "",
        result.value_n3 or "",
        result.constraint or "",
        result.source_shape or "",
    )


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result: which node, which property, how bad, and what is wrong.

    ``message`` is the English message (or the only one); ``messages`` holds every language
    as ``(language, text)`` pairs. ``value`` is the offending value, ``value_kind`` says
    whether it is an ``"iri"``, a ``"literal"`` or a ``"blank"`` node, and ``value_n3`` is the
    value as an N-Triples term (with its datatype or language).
    """

    focus_node: str
    path: str | None
    severity: str
    message: str
    value: str | None = None
    source_shape: str | None = None
    constraint: str | None = None
    value_kind: str | None = None
    messages: tuple[tuple[str, str], ...] = ()
    value_n3: str | None = None

    def message_in(self, language: str) -> str:
        """Return the message in a language ("en", "id"), or the English one.

        >>> r = ValidationResult("x", None, "Warning", "m", messages=(("en", "m"), ("id", "p")))
        >>> r.message_in("id"), r.message_in("fr")
        ('p', 'm')
        """
        return dict(self.messages).get(language, self.message)

    def __reduce__(self) -> tuple[type[ValidationResult], tuple[object, ...]]:
        # Chunk workers send a result for every practice with one; a frozen slotted
        # dataclass unpickles field by field through object.__setattr__, several times slower.
        return ValidationResult, (
            self.focus_node, self.path, self.severity, self.message, self.value,
            self.source_shape, self.constraint, self.value_kind, self.messages, self.value_n3,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class FocusNode:
    """What a focus node is, for people: its kind, its label, and where it came from.

    ``kind`` is one of practice, city, regency, province, place, theme, indicator, source,
    catalog, dataset, distribution, or node. ``page`` is, for a practice, the page it was
    read from (or else its first source). ``practices`` lists the practices that point at
    a node (empty for practices themselves).
    """

    iri: str
    kind: str = "node"
    label: str | None = None
    page: str | None = None
    practices: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the node in a few words: its kind and its label, or its IRI.

        >>> FocusNode("https://x/r/33.75", "city", "Kota Pekalongan").describe()
        'city "Kota Pekalongan"'
        >>> FocusNode("https://x/n").describe()
        'node <https://x/n>'
        """
        return f'{self.kind} "{self.label}"' if self.label else f"{self.kind} <{self.iri}>"

    def __reduce__(self) -> tuple[type[FocusNode], tuple[object, ...]]:
        # Sent by chunk workers too; see ValidationResult.__reduce__.
        return FocusNode, (self.iri, self.kind, self.label, self.page, self.practices)


#: The engines a report may come from (see :attr:`ValidationReport.engine`).
ENGINES: Final = ("fast", "pyshacl")


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one graph: results in a stable order, and their focus nodes.

    ``engine`` says which engine gave the results: ``"fast"`` (:mod:`nualod.validate.fast`)
    or ``"pyshacl"``; ``fallback`` says why pySHACL ran when the fast engine was asked for
    (what in the shapes it does not compile), else it is None. ``reference_info`` counts
    info results about nualod's own reference data that the report leaves out (see
    :func:`nualod.validate.stream.validate_files`).
    """

    results: tuple[ValidationResult, ...]
    nodes: tuple[FocusNode, ...] = ()
    engine: str = "pyshacl"
    fallback: str | None = None
    reference_info: int = 0

    @property
    def conforms(self) -> bool:
        """Tell whether no result is a violation."""
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        """Return how many results have a severity ("Violation", "Warning", "Info")."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of results of each severity, every severity present.

        >>> ValidationReport(()).counts
        {'Violation': 0, 'Warning': 0, 'Info': 0}
        """
        return {severity: self.count(severity) for severity in SEVERITIES}

    def fails(self, threshold: str = "Violation") -> bool:
        """Tell whether any result is at least as bad as ``threshold``.

        >>> w = ValidationResult("x", None, "Warning", "m")
        >>> ValidationReport((w,)).fails(), ValidationReport((w,)).fails("Warning")
        (False, True)
        """
        limit = severity_rank(threshold)
        return any(severity_rank(r.severity) <= limit for r in self.results)

    def by_focus_node(self) -> dict[str, tuple[ValidationResult, ...]]:
        """Return the results grouped by focus node, nodes in sorted order."""
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return {node: tuple(groups[node]) for node in sorted(groups)}

    def node(self, iri: str) -> FocusNode:
        """Return what is known of a focus node (a bare :class:`FocusNode` if nothing)."""
        for node in self.nodes:
            if node.iri == iri:
                return node
        return FocusNode(iri)

    def groups(self) -> tuple[tuple[FocusNode, tuple[ValidationResult, ...]], ...]:
        """Return (focus node, its results): practices first by title, then other nodes."""
        pairs = self._pairs_in_order()
        if pairs is None:
            known = {node.iri: node for node in self.nodes}
            pairs = [
                (known.get(iri, FocusNode(iri)), results)
                for iri, results in self.by_focus_node().items()
            ]
        pairs.sort(
            key=lambda pair: (
                pair[0].kind != "practice",
                pair[0].kind,
                pair[0].label or "",
                pair[0].iri,
            )
        )
        return tuple(pairs)

    def _pairs_in_order(self) -> list[tuple[FocusNode, tuple[ValidationResult, ...]]] | None:
        """Return the (focus node, results) pairs by one pass over results and nodes when
        both are in order of focus node (as the engines give them), else None.

        The same pairs as through dictionaries, without one entry per focus node twice over:
        a report of a million practices is grouped in a few hundred MB less.
        """
        results, nodes = self.results, self.nodes
        if any(results[i].focus_node > results[i + 1].focus_node for i in range(len(results) - 1)):
            return None
        if any(nodes[i].iri >= nodes[i + 1].iri for i in range(len(nodes) - 1)):
            return None
        pairs: list[tuple[FocusNode, tuple[ValidationResult, ...]]] = []
        at = 0  # in nodes
        start = 0
        while start < len(results):
            iri = results[start].focus_node
            end = start + 1
            while end < len(results) and results[end].focus_node == iri:
                end += 1
            while at < len(nodes) and nodes[at].iri < iri:
                at += 1
            node = nodes[at] if at < len(nodes) and nodes[at].iri == iri else FocusNode(iri)
            pairs.append((node, results[start:end]))
            start = end
        return pairs


@cache
def default_shapes_graph() -> Graph:
    """Return the shipped shapes (``shapes/*.ttl``) as one rdflib graph, parsed once."""
    graph = Graph()
    for name in resource_names("shapes", ".ttl"):
        try:
            graph.parse(data=resource_text(f"shapes/{name}"), format="turtle")
        except Exception as error:  # rdflib raises many kinds
            raise ShapesError(f"shapes/{name}: {error}") from None
    return graph


def check_shapes(shapes: Graph) -> ValidationReport:
    """Validate a shapes graph against the SHACL-for-SHACL shapes that pySHACL ships."""
    from pyshacl.entrypoints import meta_validate

    _, report_graph, _ = meta_validate(shapes, inference="none")
    return report_from_graph(report_graph)


def load_shapes(folder: Path | None) -> Graph:
    """Return the shapes of a folder of Turtle files (or one file), or the shipped ones.

    User shapes are checked against SHACL-for-SHACL; :class:`ShapesError` says what is
    wrong with them (the shipped shapes are checked by the test suite instead).
    """
    if folder is None:
        return default_shapes_graph()
    if not folder.exists():
        raise ShapesError(f"{folder}: no such file or folder of shapes")
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else [folder]
    if not files:
        raise ShapesError(f"{folder}: no .ttl shapes found")
    try:
        graph = read_graph(files)
    except RDFSyntaxError as error:
        raise ShapesError(f"shapes: {error.message}") from None
    except Exception as error:  # a missing file, a folder that cannot be read
        raise ShapesError(f"shapes: {error}") from None
    _refuse_federated_constraints(graph, folder)
    problems = check_shapes(graph)
    if not problems.conforms:
        first = next(r for r in problems.results if r.severity == "Violation")
        raise ShapesError(
            f"{folder}: not valid SHACL ({problems.count('Violation')} problem(s)); first: "
            f"{first.focus_node} {first.path or ''}: {first.message}".replace("  ", " ")
        )
    if not _has_targets(graph):
        raise ShapesError(
            f"{folder}: no shape with a target (sh:targetClass, sh:targetNode, "
            "sh:targetSubjectsOf, sh:targetObjectsOf, or a shape that is a class): "
            "validating with them would check nothing"
        )
    return graph


#: The predicates that give a shape its focus nodes (SHACL 2.1.3; ``sh:target``, SHACL-AF).
_TARGETS: Final = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target)  # fmt: skip


def _has_targets(shapes: Graph) -> bool:
    """Tell whether any shape has focus nodes to validate: a target, or being a class too
    (an implicit class target, SHACL 2.1.3.3). A file of no shapes reported "conforms"."""
    if any(next(iter(shapes.triples((None, target, None))), None) for target in _TARGETS):
        return True
    classes = set(shapes.subjects(RDF.type, URIRef(RDFS + "Class")))
    return any(
        (node, RDF.type, kind) in shapes
        for node in classes
        for kind in (SH.NodeShape, SH.PropertyShape)
    )


def _refuse_federated_constraints(shapes: Graph, folder: Path) -> None:
    """Refuse user shapes whose SPARQL-based constraints use ``SERVICE``.

    rdflib would send an HTTP request for it while pySHACL validates, and pySHACL's own
    check reads the text with a regular expression (``SERVICE#...`` passes it); this one
    decides on the parsed query (issue #18 case 17).
    """
    from nualod.read.federation import uses_service

    for keyword in (SH.select, SH.ask, SH.construct, SH.update):
        for text in shapes.objects(None, keyword):
            if uses_service(str(text)):
                raise ShapesError(
                    f"{folder}: a SPARQL-based constraint uses SERVICE (a federated query), "
                    "which nualod never runs"
                )


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph against the shapes and return a typed report."""
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else default_shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(report_graph, Graph):  # pySHACL's ValidationFailure: the shapes are at fault
        raise ShapesError(f"shapes: {report_graph}")
    report = report_from_graph(report_graph)
    nodes = describe_nodes(data, {r.focus_node for r in report.results})
    return ValidationReport(report.results, nodes)


def validate_triples(triples: Sequence[AnyTriple], shapes: Graph | None = None) -> ValidationReport:
    """Validate pyoxigraph triples against the shapes."""
    return validate_graph(triples_to_graph(triples), shapes)


def validate_files(paths: Sequence[Path], shapes: Path | None = None) -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD), read as one graph.

    ``shapes`` is a folder of Turtle shapes (or one file); by default the shipped shapes.
    Raises :class:`RDFSyntaxError` for a file that does not parse and :class:`ShapesError`
    for shapes that cannot be used.
    """
    shapes_graph = load_shapes(shapes)
    return validate_graph(read_graph(paths), shapes_graph)


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _kind(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return "literal"
    return "blank" if isinstance(term, BNode) else "iri"


def _node(text: str) -> URIRef | BNode:
    return URIRef(text) if ":" in text else BNode(text)


def _best_label(data: Graph, node: URIRef | BNode) -> str | None:
    for predicate in LABEL_PREDICATES:
        values = list(data.objects(node, URIRef(predicate)))
        if values:
            # Indonesian first (the language of the pages), then English, then the rest.
            order = {"id": 0, "en": 1}
            values.sort(key=lambda v: (order.get(getattr(v, "language", None) or "", 2), str(v)))
            return str(values[0])
    return None


def describe_nodes(data: Graph, focus_nodes: Iterable[str]) -> tuple[FocusNode, ...]:
    """Return what people need to recognise each focus node: kind, label, page, practices."""
    practice_class = URIRef(NUA + "GoodPractice")
    described = []
    for iri in sorted(set(focus_nodes)):
        node = _node(iri)
        types = {str(t) for t in data.objects(node, RDF.type)}
        kind = next((name for cls, name in NODE_KINDS if cls in types), "node")
        page = None
        practices: tuple[str, ...] = ()
        if kind == "practice":
            page = next(
                (
                    str(v)
                    for p in PAGE_PREDICATES
                    for v in sorted(data.objects(node, URIRef(p)), key=str)
                    if isinstance(v, URIRef)
                ),
                None,
            )
        else:
            practices = tuple(
                sorted(
                    {
                        str(s)
                        for s in data.subjects(None, node)
                        if (s, RDF.type, practice_class) in data
                    }
                )
            )
        described.append(FocusNode(iri, kind, _best_label(data, node), page, practices))
    return tuple(described)


def report_from_graph(report: Graph) -> ValidationReport:
    """Turn a SHACL validation report graph into a typed report, in a stable order."""
    results = []
    # Only the top-level results: nested sh:detail results (of sh:node and the like) explain
    # a result, they are not results of their own.
    for node in report.objects(None, SH.result):
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        messages = sorted(
            (
                (getattr(m, "language", None) or "", str(m))
                for m in report.objects(node, SH.resultMessage)
            ),
            key=lambda m: (m[0] != "en", m[0], m[1]),
        )
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraintComponent)
        results.append(
            ValidationResult(
                focus_node=str(report.value(node, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                severity=severity,
                message=messages[0][1] if messages else "",
                value=_text(value),
                source_shape=str(shape) if isinstance(shape, URIRef) else None,
                constraint=str(constraint).rsplit("#", 1)[-1] if constraint is not None else None,
                value_kind=_kind(value),
                messages=tuple(messages),
                value_n3=value.n3() if isinstance(value, URIRef | BNode | Literal) else None,
            )
        )
    results.sort(key=result_order)
    return ValidationReport(tuple(results))
