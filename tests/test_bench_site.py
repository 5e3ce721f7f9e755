"""The site benchmark's helpers (the benchmark itself runs for minutes: see bench/site.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import site_places, site_steps
from bench.site import _sectors_written, measure, rebuild_line, settle, table
from nualod.site.build import build_site

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def test_settle_waits_at_least_the_time_freed_inodes_need() -> None:
    assert _sectors_written() >= 0
    assert settle(quiet=0.0, freed=0.6) >= 0.6


def test_the_table_says_which_rows_are_without_figures() -> None:
    run = {"seconds": 10.0, "cpu_seconds": 18.0, "peak_rss_bytes": 1 << 20}
    row = {"n": 100_000, "publish": run, "files": 7, "figures": False}
    site = {**run, "seconds": 20.0, "children_peak_rss_bytes": 2 << 20}
    assert table([{**row, "site": site}]).splitlines()[-1] == (
        "| 100,000 (no figures) | 10.0 (18) | 20.0 (18) | 2.00× (1.00×) | 1 MiB, 2 MiB | 7 | ? |"
    )
    # A row names the code it measured when the run recorded it.
    assert table([{**row, "site": site, "commit": "d4ca594"}]).endswith(" | 7 | d4ca594 |")


def test_the_table_marks_a_row_measured_on_btrfs() -> None:
    run = {"seconds": 10.0, "cpu_seconds": 18.0, "peak_rss_bytes": 1 << 20}
    site = {**run, "children_peak_rss_bytes": 2 << 20}
    row = {"n": 1_000_000, "publish": run, "site": site, "files": 7, "filesystem": "btrfs, lzo"}
    assert table([row]).splitlines()[-1].startswith("| 1,000,000 (btrfs) | 10.0 (18) |")


def test_the_site_is_built_in_each_place_alternately_on_fresh_copies(tmp_path: Path) -> None:
    from nualod.run.publish import publish

    out = tmp_path / "out"
    publish([EXAMPLES], out)
    places = [tmp_path / "a", tmp_path / "b"]
    runs = site_places.run(out, places, rounds=2)
    assert [(r["place"], r["round"], r["practices"]) for r in runs] == [
        (str(places[0]), 1, 4),
        (str(places[1]), 1, 4),
        (str(places[0]), 2, 4),
        (str(places[1]), 2, 4),
    ]
    # Each place keeps its copy, without a site or store; the built copies are deleted.
    assert sorted(p.name for p in places[0].iterdir()) == ["out"]
    assert not (places[0] / "out" / "site").exists()
    assert (places[0] / "out" / "current" / "nualod.nq").is_file()
    assert site_places.summary(runs, places).splitlines()[0].endswith(f"1.00× {places[0]}")


def test_a_rebuild_is_measured_until_the_new_site_is_in_place_and_in_all(
    tmp_path: Path,
) -> None:
    out = _published_with_site(tmp_path)
    report = measure("rebuild", 4, EXAMPLES, out, search=True)
    assert report["practices"] == 4
    assert 0 < report["in_place_seconds"] < report["seconds"]
    row = {"n": 4, "site": {**report, "seconds": 1.0}, "rebuild": report}
    assert rebuild_line(row).startswith(
        f"rebuild of 4: new site in place after {report['in_place_seconds']:.1f} s, "
    )


def test_each_step_of_a_build_is_timed_on_a_fresh_copy_without_site_or_store(
    tmp_path: Path,
) -> None:
    from bench.releases import CHECKOUT

    out = _published_with_site(tmp_path)
    report = site_steps.build(out, tmp_path / "copy", CHECKOUT)
    steps = report["steps"]
    assert list(steps) == [
        "splitting nualod.nq",
        "rendering practices",
        "merging the search index",
        "bucketing the lists",
        "rendering regions, concepts, lists and vocabulary",
        "after the render",
    ]
    after = sum(seconds for name, seconds in steps.items() if name not in (
        "splitting nualod.nq", "rendering practices", "after the render"
    ))  # fmt: skip
    assert steps["after the render"] == pytest.approx(after, abs=0.01)
    assert sum(steps.values()) - after == pytest.approx(report["seconds"], abs=0.01)
    assert report["user_seconds"] > report["cpu_after_the_render"]["user"] > 0
    assert (tmp_path / "copy" / "site" / "index.html").is_file()
    assert not (tmp_path / "copy" / "store").exists()


def _published_with_site(tmp_path: Path) -> Path:
    """Return a folder of the examples published, with their site."""
    from nualod.run.publish import publish

    out = tmp_path / "out"
    publish([EXAMPLES], out)
    build_site(out, workers=1)
    return out
