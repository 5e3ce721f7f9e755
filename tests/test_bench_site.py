"""The site benchmark's helpers (the benchmark itself runs for minutes: see bench/site.py)."""

from __future__ import annotations

from bench.site import _sectors_written, settle, table


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
