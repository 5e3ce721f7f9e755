"""Run the SHACL shapes against the fixture manifest (modelled on pySHACL's W3C test runner).

``tests/fixtures/shapes/manifest.json`` lists small Turtle graphs and, for each, the exact
results the shipped shapes must give (focus node, path, severity, source shape). One graph
is valid; every constraint of the shipped shapes has at least one invalid graph.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef
from rdflib.namespace import SH

from nualod.read.rdf import read_graph
from nualod.validate.shacl import ValidationReport, default_shapes_graph, validate_graph

HERE = Path(__file__).resolve().parent / "fixtures" / "shapes"
MANIFEST: dict[str, Any] = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
PREFIXES: dict[str, str] = MANIFEST["prefixes"]
ENTRIES: list[dict[str, Any]] = MANIFEST["entries"]

Expected = tuple[str, str | None, str, str]


def expand(name: str | None) -> str | None:
    """Return the IRI of a prefixed name or <IRI>; keep _:blank as "_:"; None stays None."""
    if name is None:
        return None
    if name.startswith("_:"):
        return "_:"
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def actual(report: ValidationReport) -> Counter[Expected]:
    """Return the results of a report as (focus, path, severity, shape), blank nodes as "_:"."""
    return Counter(
        (
            r.focus_node if ":" in r.focus_node else "_:",
            r.path,
            r.severity,
            r.source_shape or "",
        )
        for r in report.results
    )


def expected(entry: dict[str, Any]) -> Counter[Expected]:
    """Return the expected results of a manifest entry."""
    return Counter(
        (
            expand(r["focus"]) or "",
            expand(r["path"]),
            r["severity"],
            expand(r["shape"]) or "",
        )
        for r in entry["results"]
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["data"] for e in ENTRIES])
def test_manifest_entry(entry: dict[str, Any]) -> None:
    """Each fixture graph gives exactly the results the manifest lists."""
    report = validate_graph(read_graph([HERE / entry["data"]]))
    assert actual(report) == expected(entry), entry["comment"]
    assert report.conforms == all(r["severity"] != "Violation" for r in entry["results"])


def test_manifest_has_one_valid_graph_and_every_file() -> None:
    """The manifest has a graph with no results, and lists every fixture file exactly once."""
    assert any(not e["results"] for e in ENTRIES)
    listed = [e["data"] for e in ENTRIES]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.name for p in HERE.glob("*.ttl"))


def constraint_shapes() -> set[str]:
    """Return the shipped shapes that carry a message: one per constraint."""
    shapes = default_shapes_graph()
    return {str(s) for s in shapes.subjects(SH.message, None) if isinstance(s, URIRef)}


def test_every_constraint_has_an_invalid_graph() -> None:
    """Every constraint of the shipped shapes is broken by at least one fixture graph."""
    covered = {
        expand(r["shape"]) for e in ENTRIES for r in e["results"] if r["severity"] is not None
    }
    assert constraint_shapes() - covered == set()


def test_every_constraint_has_a_severity_and_messages_in_english_and_indonesian() -> None:
    """Each constraint says how bad it is, in English and in Indonesian."""
    shapes = default_shapes_graph()
    for shape in sorted(constraint_shapes()):
        node = URIRef(shape)
        assert shapes.value(node, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        languages = sorted(
            getattr(m, "language", None) or "" for m in shapes.objects(node, SH.message)
        )
        assert languages == ["en", "id"], shape
