"""The site benchmark's helpers (the benchmark itself runs for minutes: see bench/site.py)."""

from __future__ import annotations

from pathlib import Path

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
        "| 100,000 (no figures) | 10.0 (18) | 20.0 (18) | 2.00× (1.00×) | 1 MiB, 2 MiB | 7 |"
    )


def test_a_rebuild_is_measured_until_the_new_site_is_in_place_and_in_all(
    tmp_path: Path,
) -> None:
    from nualod.run.publish import publish

    out = tmp_path / "out"
    publish([EXAMPLES], out)
    build_site(out, workers=1)
    report = measure("rebuild", 4, EXAMPLES, out, search=True)
    assert report["practices"] == 4
    assert 0 < report["in_place_seconds"] < report["seconds"]
    row = {"n": 4, "site": {**report, "seconds": 1.0}, "rebuild": report}
    assert rebuild_line(row).startswith(
        f"rebuild of 4: new site in place after {report['in_place_seconds']:.1f} s, "
    )
