"""Validate RDF against nualod's SHACL shapes and report results people can read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import pyshacl
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from nualod.errors import ShapesError
from nualod.resources import resource_names, resource_text

SEVERITIES: Final = ("Violation", "Warning", "Info")


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result: which node, which property, how bad, and what is wrong."""

    focus_node: str
    path: str | None
    severity: str
    message: str
    value: str | None = None
    source_shape: str | None = None
    constraint: str | None = None


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one graph."""

    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        """Tell whether no result is a violation."""
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        """Return how many results have a severity ("Violation", "Warning", "Info")."""
        return sum(1 for r in self.results if r.severity == severity)

    def by_focus_node(self) -> dict[str, tuple[ValidationResult, ...]]:
        """Return the results grouped by focus node, nodes in sorted order."""
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)
        return {node: tuple(groups[node]) for node in sorted(groups)}


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


def load_shapes(folder: Path | None) -> Graph:
    """Return the shapes of a folder of Turtle files, or the shipped ones if ``folder`` is None."""
    if folder is None:
        return default_shapes_graph()
    graph = Graph()
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else [folder]
    if not files:
        raise ShapesError(f"{folder}: no .ttl shapes found")
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:
            raise ShapesError(f"{path}: {error}") from None
    return graph


def triples_to_graph(triples: Iterable[Triple]) -> Graph:
    """Return an rdflib graph of pyoxigraph triples (through N-Triples, exact)."""
    graph = Graph()
    data = serialize(list(triples), format=RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph against the shapes and return a typed report."""
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else default_shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return report_from_graph(report_graph)


def validate_triples(triples: Sequence[Triple], shapes: Graph | None = None) -> ValidationReport:
    """Validate pyoxigraph triples against the shapes."""
    return validate_graph(triples_to_graph(triples), shapes)


def report_from_graph(report: Graph) -> ValidationReport:
    """Turn a SHACL validation report graph into a typed report, in a stable order."""
    results = []
    for node in report.subjects(URIRef(str(SH.resultSeverity)), None):
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        messages = sorted(
            report.objects(node, SH.resultMessage),
            key=lambda m: (getattr(m, "language", "") != "en", str(m)),
        )
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraintComponent)
        results.append(
            ValidationResult(
                focus_node=str(report.value(node, SH.focusNode)),
                path=str(path) if path is not None else None,
                severity=severity,
                message=str(messages[0]) if messages else "",
                value=str(value) if value is not None else None,
                source_shape=str(shape) if isinstance(shape, URIRef) else None,
                constraint=str(constraint).rsplit("#", 1)[-1] if constraint is not None else None,
            )
        )
    results.sort(
        key=lambda r: (
            r.focus_node,
            SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9,
            r.path or "",
            r.message,
        )
    )
    return ValidationReport(tuple(results))
