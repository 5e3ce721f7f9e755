"""Figures' nodes are validated as nodes described whole (FigureNode.described), not as
triples: the shapes check them all the same, and a broken figure withholds its practice."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest

from nualod.map.figures import FigureNode, figure_nodes
from nualod.run.publish import publish
from nualod.validate.fast import Data, validator_for

pipeline_module = importlib.import_module("nualod.run.pipeline")

PRACTICE = "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de"
TEXT = (
    "Ekspor batik mencapai US$21,54 juta pada Januari–Juli 2020, naik dari US$17,99 juta; "
    "871 UMKM menyerap sekitar 200 ribu tenaga kerja, 60% di antaranya pekerja rumahan, "
    "dengan iuran Rp50.000 per bulan"
)

#: Broken figures, each with what the report says of it.
BROKEN: dict[str, tuple[dict[str, object], str]] = {
    "value": ({"value": "21,54"}, "is not an xsd:decimal"),
    "start": ({"start": -1}, "oa:start or oa:end is not an xsd:integer of 0 or more"),
    "field": ({"field": "http://purl.org/dc/terms/title"}, "is not one of dcterms:abstract"),
}


def _figures() -> list[FigureNode]:
    found = figure_nodes(PRACTICE, {"abstract": TEXT, "description": None})
    assert len(found) >= 5
    return found


def test_described_nodes_index_as_their_triples() -> None:
    figures = _figures()
    by_triples = Data([t for f in figures for t in f.terms()], inverse=True)
    by_nodes = Data([], inverse=True, nodes=[d for f in figures for d in f.described()])
    assert by_nodes.out == by_triples.out
    assert by_nodes.inverse() == by_triples.inverse()
    # Given twice, or in triples too, a node is one node (a graph is a set).
    twice = Data(
        figures[0].terms(),
        inverse=False,
        nodes=[*figures[0].described(), *figures[0].described()],
    )
    assert twice.out == Data(figures[0].terms(), inverse=False).out


#: rdflib warns when the report writes an ill-typed decimal (its value_n3).
ILL_TYPED = "ignore:Serializing weird numerical"


@pytest.mark.filterwarnings(ILL_TYPED)
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_figure_is_reported_alike(name: str) -> None:
    """Validated as described nodes or as triples, a broken figure gives the same report."""
    changes, words = BROKEN[name]
    figures = _figures()
    figures[1] = dataclasses.replace(figures[1], **changes)  # type: ignore[arg-type]
    validate = validator_for("fast")
    by_nodes = validate([], nodes=[d for f in figures for d in f.described()])
    by_triples = validate([t for f in figures for t in f.terms()])
    assert by_nodes == by_triples
    assert not by_nodes.conforms
    focus = {r.focus_node for r in by_nodes.results}
    assert focus <= set(figures[1].subjects)
    assert any(words in r.message for r in by_nodes.results)


@pytest.mark.filterwarnings(ILL_TYPED)
def test_a_broken_figure_withholds_its_practice(
    monkeypatch: pytest.MonkeyPatch, examples_dir: Path, tmp_path: Path
) -> None:
    """A figure whose value is no xsd:decimal (a bug nualod could make) is reported by the
    shapes and withholds its practice; the others are published."""
    original = pipeline_module.practice_parts

    def broken(linked, iris, **options):  # type: ignore[no-untyped-def]
        parts = original(linked, iris, **options)
        if "Pekalongan" in linked.practice.title:
            figures = [dataclasses.replace(parts.figures[0], value="21,54"), *parts.figures[1:]]
            return parts._replace(figures=figures)
        return parts

    monkeypatch.setattr(pipeline_module, "practice_parts", broken)
    result = publish([examples_dir], tmp_path)
    (rejection,) = result.rejected
    assert "Pekalongan" in rejection.message
    assert "is not an xsd:decimal" in rejection.message
    (violation,) = [p for p in rejection.problems if p.severity == "Violation"]
    assert violation.focus_node.startswith(f"{rejection.practice}#figure-")
    assert violation.value == "21,54"
    assert len(result.published) == 3
