"""The bench generator makes valid, varied, deterministic pages that nualod publishes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cpu import measure
from bench.generate import corpus_inputs, pages, places, theme_of, write_pages
from nualod.link.practice import link_practice
from nualod.model.records import Origin
from nualod.read.pages import parse_page_text
from nualod.run.publish import publish


def test_pages_are_deterministic_and_prefix_stable() -> None:
    assert list(pages(20, seed=3)) == list(pages(20, seed=3))
    assert list(pages(5, seed=3)) == list(pages(20, seed=3))[:5]
    assert list(pages(5, seed=3)) != list(pages(5, seed=4))


def test_pages_read_as_varied_practices() -> None:
    practices = [link_practice(parse_page_text(text, Origin(name))) for name, text in pages(20)]
    assert len({p.region.code for p in practices}) > 10
    for linked in practices:
        practice = linked.practice
        assert 200 <= len(practice.summary or "") <= 800
        assert 1 <= (practice.description or "").count("\n\n") + 1 <= 6
        assert 1 <= len(practice.sources) <= 3
        assert practice.theme.number == theme_of(practice.indicator.number)
        assert 1 <= practice.indicator.number <= 77


def test_every_kab_and_kota_is_a_place() -> None:
    assert len(places()) == 514


def test_generated_pages_publish(tmp_path: Path) -> None:
    corpus = write_pages(tmp_path / "pages", 20, seed=5)
    result = publish(corpus_inputs(corpus, 20), tmp_path / "out", release=False)
    assert len(result.published) == 20
    assert not result.rejected


# rdflib's own serializers call its deprecated Dataset API; the baseline is plain rdflib.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_baseline_publishes_the_same_practices(tmp_path: Path) -> None:
    """The naive baseline the benchmark compares against runs, and holds the same practices."""
    import rdflib

    from bench.baseline import run_baseline
    from nualod.run.publish import publish

    pages = write_pages(tmp_path / "pages", 20)
    steps = run_baseline([pages], tmp_path / "baseline")
    assert set(steps) >= {"read_map", "validate", "turtle", "jsonld", "nquads", "store"}
    ours = publish([pages], tmp_path / "nualod")
    theirs = rdflib.Graph().parse(tmp_path / "baseline" / "nualod.ttl")
    nua = rdflib.Namespace("https://w3id.org/nualod/def#")
    practices = set(theirs.subjects(rdflib.RDF.type, nua.GoodPractice))
    assert {str(p) for p in practices} == set(ours.published)


def test_the_cpu_breakdown_publishes_and_counts_its_time(tmp_path: Path) -> None:
    corpus = write_pages(tmp_path / "pages", 20)
    figures = measure(corpus, 20, release=True)
    assert set(figures) == {"wall", "main_user", "main_system", "workers_user", "workers_system"}
    assert figures["wall"] > 0 and figures["main_user"] > 0
