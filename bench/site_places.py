"""Build the site of one published folder in several places (file systems, disks), in
alternating rounds: how much the place, not the code, weighs on the site's time.

    python -m bench.site_places PUBLISHED /work/scratch /mnt/other/scratch --rounds 2

Each place gets one copy of PUBLISHED (without its site and store, which the site does not
read); each round builds the site, in a fresh process (``bench.site``'s child), of a fresh
hard-linked copy of it, so nothing is deleted before a measurement (this machine's ext4 is
slow to create files for minutes after a deletion; see ``bench/README.md``). The copies are
deleted at the end. Results go to ``bench/results/site_places.json`` and stdout.

The site of a million practices with figures does not fit on this machine's disk beside
its release; it was measured on a compressed btrfs in a loop file, and this benchmark, run
at 100,000 on both, gives the factor between that btrfs and the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
from pathlib import Path
from typing import Any

from bench.site import RESULTS, measure

#: What the site does not read, left out of each place's copy.
NOT_READ = ("site", "store")


def _copy(published: Path, place: Path) -> Path:
    """Return the place's copy of the published folder, made if missing."""
    copy = place / published.name
    if not copy.exists():
        place.mkdir(parents=True, exist_ok=True)
        shutil.copytree(published, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_READ))
    return copy


def run(
    published: Path, places: list[Path], rounds: int, results: Path | None = None
) -> list[dict[str, Any]]:
    """Build the site in each place, ``rounds`` times, alternating; return the runs, each
    also written to ``results`` as it ends (deleting the copies takes minutes)."""
    copies = [_copy(published, place) for place in places]
    runs: list[dict[str, Any]] = []
    built: list[Path] = []
    try:
        for round_number in range(1, rounds + 1):
            for place, copy in zip(places, copies, strict=True):
                target = copy.with_name(f"{copy.name}-round{round_number}")
                shutil.copytree(copy, target, symlinks=True, copy_function=os.link)
                built.append(target)
                report = measure("site", 0, Path(), target, search=True)
                report.update(place=str(place), round=round_number)
                runs.append(report)
                if results is not None:
                    results.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
                print(
                    f"round {round_number} {place}: {report['seconds']:.1f} s, "
                    f"CPU {report['cpu_seconds']:.0f} s, peak RSS "
                    f"{report['peak_rss_bytes'] / 2**20:.0f} MiB main, "
                    f"{report['children_peak_rss_bytes'] / 2**20:.0f} MiB largest child",
                    flush=True,
                )
    finally:
        for target in built:
            shutil.rmtree(target, ignore_errors=True)
    return runs


def summary(runs: list[dict[str, Any]], places: list[Path]) -> str:
    """Return the median time in each place and its ratio to the first place's."""
    medians = {
        str(place): statistics.median(r["seconds"] for r in runs if r["place"] == str(place))
        for place in places
    }
    first = medians[str(places[0])]
    return "\n".join(
        f"{place}: median {seconds:.1f} s, {seconds / first:.2f}× {places[0]}"
        for place, seconds in medians.items()
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("published", type=Path, help="a published folder (nualod publish --out)")
    parser.add_argument("places", type=Path, nargs="+", help="scratch folders, one per place")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    runs = run(args.published.resolve(), args.places, args.rounds, RESULTS / "site_places.json")
    print(summary(runs, args.places))


if __name__ == "__main__":
    main()
