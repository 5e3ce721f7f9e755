"""The figures counted while writing equal SPARQL over the store; workers change nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import nualod.pipeline
from bench.generate import write_pages
from nualod.iris import DataIRIs
from nualod.publish import publish
from nualod.stats import StatsAccumulator
from nualod.void import summarize

DUMPS = ("nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld", "rejected.json", "void.ttl")


def _sparql_summary(folder: Path) -> object:
    store = ox.Store()
    store.bulk_load(path=str(folder / "nualod.nq"), format=ox.RdfFormat.N_QUADS)
    return summarize(store, DataIRIs().base)


def test_counted_figures_equal_sparql_over_the_store(examples_dir: Path, tmp_path: Path) -> None:
    counted: list[object] = []
    original = StatsAccumulator.summary

    def spy(self: StatsAccumulator) -> object:
        summary = original(self)
        counted.append(summary)
        return summary

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StatsAccumulator, "summary", spy)
        publish([examples_dir], tmp_path)
    assert counted == [_sparql_summary(tmp_path)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_pages(folder, 60)
    return folder


def test_worker_processes_give_the_same_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nualod.pipeline, "JOB_SIZE", 5)  # 12 jobs: enough to use workers
    one = publish([corpus], tmp_path / "one", workers=1)
    two = publish([corpus], tmp_path / "two", workers=2)
    assert one.published == two.published and len(one.published) > 50
    assert one.rejected == two.rejected
    for name in DUMPS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )
    assert _sparql_summary(tmp_path / "two") == _sparql_summary(tmp_path / "one")
