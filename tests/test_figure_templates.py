"""The figures' templates (nualod.write.figures) write the very bytes the generic writers
write for the same triples, in every dump format, and count the same VoID figures."""

from __future__ import annotations

import pytest

from nualod.map.figures import (
    COUNTED,
    PER,
    PERIOD,
    PREFIX,
    QUALIFIER,
    SUFFIX,
    FigureNode,
    figure_nodes,
)
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import PREFIXES
from nualod.model.triples import IRI, TYPED, PlainTriple
from nualod.write.dumps import render_plain, turtle_writer
from tests.figures_labels import load_sentences

PRACTICE = "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de"
GRAPH = "https://w3id.org/nualod/graph/practices"


def _practice(text: str, description: str | None = None) -> list[PlainTriple]:
    """A practice's own triples: a type, a title and its texts (the figures' fields)."""
    triples = [
        PlainTriple(PRACTICE, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                    "https://w3id.org/nualod/def#GoodPractice", IRI, "",
                    "<https://w3id.org/nualod/def#GoodPractice>"),
        PlainTriple(PRACTICE, "http://purl.org/dc/terms/abstract", text, TYPED,
                    "http://www.w3.org/2001/XMLSchema#string", '"x"'),
    ]  # fmt: skip
    if description:
        triples.append(
            PlainTriple(PRACTICE, "http://purl.org/dc/terms/description", description, TYPED,
                        "http://www.w3.org/2001/XMLSchema#string", '"y"')
        )  # fmt: skip
    return triples


def _both_ways(
    plain: list[PlainTriple], figures: list[FigureNode], prefixes: dict[str, str] | None = None
) -> tuple[object, object]:
    base = DataIRIs().base
    turtle = turtle_writer(prefixes or {**PREFIXES, **DataIRIs().prefixes()})
    links = [
        PlainTriple(PRACTICE, "https://w3id.org/nualod/def#figure", f.iri, IRI, "", f"<{f.iri}>")
        for f in figures
    ]
    generic = render_plain(
        GRAPH, plain + links + [t for f in figures for t in f.plain()], turtle, base
    )
    templated = render_plain(GRAPH, plain + links, turtle, base, figures)
    return generic, templated


def test_every_labelled_sentence_writes_alike() -> None:
    """Each sentence of the labelled set, as a practice's Ringkasan (and, reversed, its
    Deskripsi): the templates' bytes and counts are the generic writers'."""
    variants: set[int] = set()
    written = 0
    for sentence in load_sentences():
        text, description = sentence.text, sentence.text[::-1] + " 871 UMKM"
        figures = figure_nodes(PRACTICE, {"abstract": text, "description": description})
        if not figures:
            continue
        variants |= {f.variant for f in figures}
        generic, templated = _both_ways(_practice(text, description), figures)
        assert templated == generic, sentence.text
        written += len(figures)
    assert written > 300
    # Every optional triple is met, and figures without some of them.
    bits = (COUNTED, PERIOD, PER, PREFIX, SUFFIX, QUALIFIER)
    assert set(bits) <= {bit for v in variants for bit in bits if v & bit}
    assert len(variants) >= 6


@pytest.mark.parametrize(
    "text",
    [
        'naik "60%" \\ dan \t 200 ribu warga\n',  # quotes, a backslash, a tab, a line end
        "Ada 871 UMKM",  # no suffix
        "871 UMKM di sini",  # no prefix
        "dana Rp3.500.000 per bulan pada Januari–Juli 2020 \x7f\x01 dan 𝔘 5 ton",
    ],
)
def test_escapes_write_alike(text: str) -> None:
    figures = figure_nodes(PRACTICE, {"abstract": text, "description": None})
    assert figures
    generic, templated = _both_ways(_practice(text), figures)
    assert templated == generic


def test_figure_iris_as_prefixed_names_write_alike() -> None:
    """Under a prefix for the practice's own IRIs, the figures' nodes are prefixed names."""
    text = "Ada 871 UMKM yang menyerap sekitar 200 ribu tenaga kerja, 60% di antaranya"
    figures = figure_nodes(PRACTICE, {"abstract": text, "description": None})
    prefixes = {**PREFIXES, **DataIRIs().prefixes(), "here": PRACTICE + "#"}
    generic, templated = _both_ways(_practice(text), figures, prefixes)
    assert templated == generic
    assert b"here:figure-abstract-4-quote" in templated.turtle  # type: ignore[attr-defined]
