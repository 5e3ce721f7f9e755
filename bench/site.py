"""Benchmark ``nualod site`` against ``nualod publish`` of the same data, in one run.

For each size: publish the generated pages (a fresh process), then build the site of that
published folder (another fresh process); report wall time, CPU time and peak resident
memory of each (main process, and the largest child: a render worker), and the ratio
of the site's time to the publish's. Results go to ``bench/results/site.json``.

    python -m bench.site --data /tmp/bench-data                # 10,000 and 100,000
    python -m bench.site --data /tmp/bench-data --million      # and 1,000,000
    python -m bench.site --data /tmp/bench-data --no-search    # without the search index
    python -m bench.site --data /tmp/bench-data --rebuild      # and a rebuild over the site
    python -m bench.site --data D --work /mnt/x --filesystem "btrfs, lzo, in a loop file"
                                    # outputs on another file system, recorded with each row
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

from bench.generate import DEFAULT_SEED, corpus_inputs, write_pages
from bench.releases import CHECKOUT, commit_of

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 100_000)


def _usage() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "peak_rss_bytes": own.ru_maxrss * 1024,
        "children_peak_rss_bytes": children.ru_maxrss * 1024,
    }


def _child(kind: str, n: int, corpus: Path, out: Path, search: bool, figures: bool) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    start = time.perf_counter()
    if kind == "publish":
        from nualod.run.publish import publish

        publish(corpus_inputs(corpus, n), out, figures=figures)
        count = n
    else:
        from nualod.site.build import build_site

        in_place: list[float] = []

        def step(name: str) -> None:
            if name.startswith("the new site is in place"):
                in_place.append(time.perf_counter() - start)

        result = build_site(out, search=search, progress=step)
        count = result.practices
    report = {"kind": kind, "n": n, "seconds": time.perf_counter() - start, "practices": count}
    if kind == "rebuild":
        # Until readers get the new site; the rest is deleting the old one.
        report["in_place_seconds"] = in_place[0] if in_place else None
    report.update(_usage())
    print(json.dumps(report))


def measure(
    kind: str, n: int, corpus: Path, out: Path, search: bool, figures: bool = True
) -> dict[str, Any]:
    """Run one measurement in a fresh process; return what it reported."""
    command = [sys.executable, "-m", "bench.site", "--child", kind, str(n), str(corpus), str(out)]
    if not search:
        command.append("--no-search")
    if not figures:
        command.append("--no-figures")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} at N={n} failed:\n{done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def _save(row: dict[str, Any]) -> None:
    """Keep a measurement in ``results/site.json``, in place of an earlier one of the same
    size and settings (a run at a million alone keeps the smaller sizes' rows)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "site.json"
    rows = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []

    def same(other: dict[str, Any]) -> bool:
        return all(other.get(key, True) == row.get(key, True) for key in ("n", "search", "figures"))

    rows = sorted([r for r in rows if not same(r)] + [row], key=lambda r: r["n"])
    path.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def table(results: list[dict[str, Any]]) -> str:
    """Return the results as a Markdown table (wall time, and CPU time of all processes)."""
    lines = [
        "| N | publish s (CPU s) | site s (CPU s) | site / publish, wall (CPU) "
        "| site peak RSS (main, largest child) | files | commit |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results:
        site = row["site"]
        publish = row["publish"]
        lines.append(
            f"| {row['n']:,}{'' if row.get('figures', True) else ' (no figures)'}"
            # A run whose outputs went to another file system (its "filesystem" says which).
            f"{' (btrfs)' if 'btrfs' in row.get('filesystem', '') else ''} | "
            f"{publish['seconds']:.1f} ({publish['cpu_seconds']:.0f}) | "
            f"{site['seconds']:.1f} ({site['cpu_seconds']:.0f}) | "
            f"{site['seconds'] / publish['seconds']:.2f}× "
            f"({site['cpu_seconds'] / publish['cpu_seconds']:.2f}×) | "
            f"{_mib(site['peak_rss_bytes'])}, {_mib(site['children_peak_rss_bytes'])} | "
            f"{row['files']:,} | {row.get('commit', '?')} |"
        )
    return "\n".join(lines)


def rebuild_line(row: dict[str, Any]) -> str:
    """Return what a rebuild over an existing site took (see :func:`run`)."""
    again = row["rebuild"]
    return (
        f"rebuild of {row['n']:,}: new site in place after {again['in_place_seconds']:.1f} s, "
        f"old one deleted after {again['seconds']:.1f} s (CPU {again['cpu_seconds']:.0f} s); "
        f"the first build took {row['site']['seconds']:.1f} s"
    )


def _sectors_written() -> int:
    """Return the sectors written to every disk so far (Linux; 0 elsewhere)."""
    try:
        lines = Path("/proc/diskstats").read_text().splitlines()
    except OSError:
        return 0
    return sum(int(fields[9]) for fields in map(str.split, lines) if len(fields) > 9)


def settle(quiet: float = 3.0, freed: float = 0.0, longest: float = 600.0) -> float:
    """Flush what is written, then wait until the disks have written nothing for ``quiet``
    seconds and ``freed`` seconds have passed (at most ``longest``); return how long it
    waited. Called after deleting a run's outputs, before the next measurement.

    This machine's ext4 has no journal, and such an ext4 will not reuse an inode freed in
    the last 60 seconds (6 minutes while its inode table block is unwritten): a file
    created then gets an inode only after the allocator has looked at every one freed
    meanwhile.
    Measured right after deleting the site of 100,000 practices, the next site took 180 s
    instead of about 95, most of it kernel time in ``ext4_create`` (``recently_deleted``).
    """
    start = time.perf_counter()
    os.sync()
    last, still = _sectors_written(), time.perf_counter()
    while time.perf_counter() - start < longest:
        time.sleep(0.5)
        now = _sectors_written()
        if now != last:
            last, still = now, time.perf_counter()
        elif time.perf_counter() - still >= quiet and time.perf_counter() - start >= freed:
            break
    return time.perf_counter() - start


def _delete(folders: list[Path]) -> None:
    """Delete outputs, then wait until creating files costs what it did before
    (:func:`settle`: inodes freed in the last 6 minutes slow every new file)."""
    if any(folder.exists() for folder in folders):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        settle(freed=FREED_INODES_SETTLE)


#: How long ext4 without a journal avoids an inode it freed while its table is unwritten.
FREED_INODES_SETTLE: Final = 370.0


def run(
    sizes: list[int],
    data: Path,
    work: Path,
    search: bool,
    figures: bool = True,
    lean: bool = False,
    keep: bool = False,
    rebuild: bool = False,
    filesystem: str | None = None,
) -> list[dict[str, Any]]:
    """Publish and build the site at each size; return the measurements. With ``rebuild``,
    build the site again over the first one: the time until the new site is in place, and
    until the old one is deleted.

    Outputs are deleted at the end, not between sizes (see :func:`settle`), except before
    a million, which does not fit beside them; with ``keep``, not at all.
    """
    corpus = write_pages(data / "pages", max(sizes), DEFAULT_SEED)
    results = []
    outs: list[Path] = []
    for n in sizes:
        out = work / f"site-bench-{n}"
        _delete([out, *(outs if n >= 1_000_000 else [])])
        outs.append(out)
        settle(freed=0)
        published = measure("publish", n, corpus, out, search, figures)
        if lean:
            # The site reads neither; at a million they do not fit beside it on a small disk.
            for name in ("store", "feed"):
                shutil.rmtree((out / "current").resolve() / name, ignore_errors=True)
        settle(freed=0)
        site = measure("site", n, corpus, out, search, figures)
        files = sum(1 for path in (out / "site").rglob("*") if path.is_file())
        row = {
            "n": n,
            "publish": published,
            "site": site,
            "files": files,
            "search": search,
            "figures": figures,
            # Which code was measured: a row kept for years says nothing without it.
            "commit": commit_of(CHECKOUT),
        }
        if filesystem:
            row["filesystem"] = filesystem
        if rebuild:
            settle(freed=0)
            row["rebuild"] = measure("rebuild", n, corpus, out, search, figures)
        results.append(row)
        print(table(results[-1:]).splitlines()[-1], flush=True)
        if rebuild:
            print(rebuild_line(row), flush=True)
        # Saved before the outputs are deleted: deleting half a million files takes minutes.
        _save(results[-1])
    if not keep:
        for out in outs:
            shutil.rmtree(out, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or, with --child, one measurement)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.site", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated N")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 practices")
    parser.add_argument("--data", type=Path, default=Path("/tmp/nualod-bench"))
    parser.add_argument("--work", type=Path, help="where outputs go (default: --data)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument(
        "--no-figures", action="store_true", help="publish without the texts' figures"
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="delete the release's store and feed before the site (which reads neither)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the outputs (site-bench-N under --work)"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="then build the site again over the first (time until in place, and in all)",
    )
    parser.add_argument(
        "--filesystem",
        help="how --work's file system differs from the disk (kept with each row: btrfs marks it)",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--show", action="store_true", help="print results/site.json as a table")
    args = parser.parse_args(argv)
    if args.show:
        print(table(json.loads((RESULTS / "site.json").read_text(encoding="utf-8"))))
        return
    if args.child:
        kind, n, corpus, out = args.child
        _child(kind, int(n), Path(corpus), Path(out), not args.no_search, not args.no_figures)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.million:
        sizes.append(1_000_000)
    results = run(
        sizes,
        args.data,
        args.work or args.data,
        not args.no_search,
        not args.no_figures,
        args.lean,
        args.keep,
        args.rebuild,
        args.filesystem,
    )
    print(table(results))


if __name__ == "__main__":
    main()
