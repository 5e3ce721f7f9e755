"""The figures counted while writing equal SPARQL over the store; workers change nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import nualod.run.pipeline
from bench.generate import write_pages
from nualod.describe.void import summarize
from nualod.model.iris import DataIRIs
from nualod.run.publish import publish
from nualod.write.stats import StatsAccumulator

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
    monkeypatch.setattr(nualod.run.pipeline, "JOB_SIZE", 5)  # 12 jobs: enough to use workers
    one = publish([corpus], tmp_path / "one", workers=1)
    two = publish([corpus], tmp_path / "two", workers=2)
    assert one.published == two.published and len(one.published) > 50
    assert one.rejected == two.rejected
    for name in DUMPS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )
    assert _sparql_summary(tmp_path / "two") == _sparql_summary(tmp_path / "one")


def test_a_practice_refused_mid_batch_leaves_the_rest_of_its_batch_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch with a refused practice is written from its spool file group by group."""
    monkeypatch.setattr(nualod.run.pipeline, "JOB_SIZE", 7)
    pages = sorted(corpus.rglob("*.txt"))
    with_copy = tmp_path / "with-copy"
    for page in pages:
        target = with_copy / page.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.read_bytes())
    # Sorted right after the page it copies, so both fall in one batch: the copy is refused.
    copied = with_copy / pages[3].relative_to(corpus)
    twin = copied.with_name(copied.stem + "x.txt")
    twin.write_bytes(copied.read_bytes())
    plain = publish([corpus], tmp_path / "plain", workers=2)
    refused = publish([with_copy], tmp_path / "refused", workers=2)
    assert [r.message for r in refused.rejected] == [
        f"{twin}: the same practice as {copied} (same theme, indicator, city, title and "
        "sources); kept that one"
    ]
    assert refused.published == plain.published
    # Batches fall differently, so shared nodes may come in another order: same lines.
    for name in ("nualod.nt", "nualod.nq"):
        assert sorted((tmp_path / "refused" / name).read_bytes().splitlines()) == sorted(
            (tmp_path / "plain" / name).read_bytes().splitlines()
        )
    for name in ("nualod.ttl", "nualod.jsonld"):
        stores = []
        for run in ("plain", "refused"):
            store = ox.Store()
            store.load(path=str(tmp_path / run / name))
            stores.append(set(store))
        assert stores[0] == stores[1], name
    assert _sparql_summary(tmp_path / "refused") == _sparql_summary(tmp_path / "plain")
