"""Benchmark nualod's publish against a naive rdflib + pyshacl baseline, in one run.

Each measurement runs in a fresh Python process that reports its wall time and its peak
resident memory (``ru_maxrss``). nualod's run is the whole ``publish``: read, link, map,
validate (fast engine), Turtle, N-Triples, N-Quads, JSON-LD, the on-disk SPARQL store and
the catalog. The baseline (:mod:`bench.baseline`) does read, map, pyshacl on the whole
graph, rdflib's Turtle, N-Triples, JSON-LD and N-Quads writers and a store; it runs up to
``--baseline-max`` practices (by default every size, 100,000 included: about six minutes),
and larger sizes are extrapolated linearly from the largest measured one (marked as such).
Results go to ``bench/results/latest.json`` and a plot.

    python -m bench                      # N = 1,000, 10,000, 100,000
    python -m bench --million            # one end-to-end run at 1,000,000
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import DEFAULT_SEED, corpus_inputs, write_pages

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (1_000, 10_000, 100_000)


def _child(kind: str, n: int, corpus: Path, out: Path, validator: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    inputs = corpus_inputs(corpus, n)
    start = time.perf_counter()
    steps: dict[str, float] = {}
    if kind == "nualod":
        from nualod.publish import publish

        # One real publish; the pipeline (read, link, map, validate, dumps) ends when the
        # last practice is written, the release (store, VoID, catalog) takes the rest.
        last = [start]

        def written(_iri: str) -> None:
            last[0] = time.perf_counter()

        result = publish(inputs, out, validator=validator, on_practice=written)
        steps["pipeline"] = last[0] - start
        steps["release"] = time.perf_counter() - last[0]
        steps["workers_peak_rss_bytes"] = (
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        )
        published = len(result.published)
    else:
        from bench.baseline import run_baseline

        steps = run_baseline(inputs, out)
        published = n
    seconds = time.perf_counter() - start
    with (out / "nualod.nq").open("rb") as quads:
        triples = sum(1 for _ in quads)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "kind": kind,
                "n": n,
                "published": published,
                "seconds": seconds,
                "triples": triples,
                "peak_rss_bytes": peak,
                "steps": steps,
            }
        )
    )


def measure(kind: str, n: int, corpus: Path, work: Path, validator: str = "fast") -> dict[str, Any]:
    """Run one measurement in a fresh process; return what it reported."""
    out = work / f"{kind}-{n}"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "bench.run", "--child", kind, str(n), str(corpus), str(out)]
    command += ["--validator", validator]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} at N={n} failed:\n{done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["rec_per_s"] = n / report["seconds"]
    report["triples_per_s"] = report["triples"] / report["seconds"]
    shutil.rmtree(out, ignore_errors=True)
    return report


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """Return the least-squares slope of log(time) against log(N).

    >>> round(fitted_exponent([(1000, 1.0), (10000, 10.0), (100000, 100.0)]), 3)
    1.0
    """
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _say(text: str) -> None:
    print(text, flush=True)


def run(sizes: tuple[int, ...], baseline_max: int, corpus_dir: Path, seed: int) -> dict[str, Any]:
    """Measure nualod and the baseline at each size; return the results."""
    _say(f"generating {max(sizes):,} pages in {corpus_dir} (reused if already there)")
    corpus = write_pages(corpus_dir, max(sizes), seed)
    work = Path(tempfile.mkdtemp(prefix="nualod-bench-"))
    rows = []
    try:
        measured_baseline: dict[int, dict[str, Any]] = {}
        for n in sizes:
            ours = measure("nualod", n, corpus, work)
            _say(
                f"nualod   N={n:>9,}: {ours['seconds']:8.2f} s  {ours['peak_rss_bytes'] / 2**20:7.0f} MiB"
            )
            row: dict[str, Any] = {"n": n, "nualod": ours}
            if n <= baseline_max:
                theirs = measure("baseline", n, corpus, work)
                measured_baseline[n] = theirs
                _say(
                    f"baseline N={n:>9,}: {theirs['seconds']:8.2f} s  "
                    f"{theirs['peak_rss_bytes'] / 2**20:7.0f} MiB  steps {theirs['steps']}"
                )
                row["baseline"] = {**theirs, "extrapolated": False}
            elif measured_baseline:
                largest = max(measured_baseline)
                base = measured_baseline[largest]
                row["baseline"] = {
                    "n": n,
                    "seconds": base["seconds"] * n / largest,
                    "peak_rss_bytes": base["peak_rss_bytes"] * n / largest,
                    "extrapolated": True,
                    "from_n": largest,
                }
            if "baseline" in row:
                row["ratio"] = row["baseline"]["seconds"] / ours["seconds"]
            rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    points = [(r["n"], r["nualod"]["seconds"]) for r in rows]
    exponent = fitted_exponent(points) if len(points) > 1 else None
    return {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpus(),
        },
        "seed": seed,
        "baseline_max": baseline_max,
        "rows": rows,
        "nualod_time_exponent": exponent,
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def table(results: dict[str, Any]) -> str:
    """Return the results as a Markdown table (nualod = pipeline + release)."""
    lines = [
        "| N | nualod s (pipeline + release) | baseline s | ratio | rec/s | triples/s "
        "| peak RSS nualod (main + per worker) | peak RSS baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        ours, theirs = row["nualod"], row.get("baseline")
        steps = ours.get("steps", {})
        mark = " (extrapolated)" if theirs and theirs.get("extrapolated") else ""
        split = f" ({steps['pipeline']:.1f} + {steps['release']:.1f})" if steps else ""
        worker = steps.get("workers_peak_rss_bytes", 0)
        pipeline_rss = f" (+ {_mib(worker)} per worker)" if worker else ""
        lines.append(
            f"| {row['n']:,} | {ours['seconds']:.2f}{split} | "
            + (f"{theirs['seconds']:.1f}{mark} | {row['ratio']:.1f}× |" if theirs else "– | – |")
            + f" {ours['rec_per_s']:,.0f} | {ours['triples_per_s']:,.0f} | "
            f"{_mib(ours['peak_rss_bytes'])}{pipeline_rss} | "
            + (f"{_mib(theirs['peak_rss_bytes'])}{mark}" if theirs else "–")
            + " |"
        )
    lines.append("")
    if results["nualod_time_exponent"] is not None:
        lines.append(
            f"fitted exponent of nualod's time against N: {results['nualod_time_exponent']:.3f}"
        )
    million = results.get("million")
    if million:
        steps = million.get("steps", {})
        lines.append(
            f"1,000,000 practices: {million['seconds']:.0f} s (pipeline {steps.get('pipeline', 0):.0f} s, "
            f"release {steps.get('release', 0):.0f} s), peak RSS {_mib(million['peak_rss_bytes'])} "
            f"(+ {_mib(steps.get('workers_peak_rss_bytes', 0))} per worker), "
            f"{million['triples']:,} triples"
        )
        largest = max(results["rows"], key=lambda r: r["n"])["nualod"]
        lines.append(
            f"exponent of nualod's time from {largest['n']:,} to 1,000,000 practices: "
            + f"{fitted_exponent([(largest['n'], largest['seconds']), (1_000_000, million['seconds'])]):.3f}"
        )
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    """Plot time and peak memory against N (log-log) for nualod and the baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["rows"]
    ns = [r["n"] for r in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(ns, [r["nualod"]["seconds"] for r in rows], "o-", label="nualod")
    right.plot(ns, [r["nualod"]["peak_rss_bytes"] / 2**20 for r in rows], "o-", label="nualod")
    for axis, key, scale in ((left, "seconds", 1), (right, "peak_rss_bytes", 2**20)):
        measured = [
            (r["n"], r["baseline"][key] / scale)
            for r in rows
            if "baseline" in r and not r["baseline"]["extrapolated"]
        ]
        guessed = [
            (r["n"], r["baseline"][key] / scale)
            for r in rows
            if "baseline" in r and r["baseline"]["extrapolated"]
        ]
        if measured:
            axis.plot(
                *zip(*measured, strict=True),
                "s-",
                color="tab:red",
                label="baseline (rdflib + pyshacl)",
            )
        if measured and guessed:
            axis.plot(
                *zip(measured[-1], *guessed, strict=True),
                "s--",
                color="tab:red",
                alpha=0.5,
                label="baseline, extrapolated",
            )
    million = results.get("million")
    if million:
        left.plot(
            [million["n"]], [million["seconds"]], "D", color="tab:green", label="nualod --million"
        )
        right.plot(
            [million["n"]],
            [million["peak_rss_bytes"] / 2**20],
            "D",
            color="tab:green",
            label="nualod --million",
        )
    left.set(xscale="log", yscale="log", xlabel="practices (N)", ylabel="wall time (s)",
             title=f"publish time (nualod slope {results['nualod_time_exponent'] or 0:.2f})")  # fmt: skip
    right.set(
        xscale="log",
        yscale="log",
        xlabel="practices (N)",
        ylabel="peak RSS (MiB)",
        title="peak memory",
    )
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or, with ``--child``, one measurement)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated N")
    parser.add_argument(
        "--baseline-max", type=int, default=100_000, help="largest N the baseline runs at"
    )
    parser.add_argument("--million", action="store_true", help="also publish 1,000,000 practices")
    parser.add_argument(
        "--million-only", action="store_true", help="only the 1,000,000 run; merge into latest.json"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "nualod-bench",
        help="corpus folder",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--show", action="store_true", help="print latest.json as a table, replot")
    parser.add_argument(
        "--child", nargs=4, metavar=("KIND", "N", "CORPUS", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--validator", default="fast", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, n, corpus, out = args.child
        _child(kind, int(n), Path(corpus), Path(out), args.validator)
        return
    RESULTS.mkdir(exist_ok=True)
    latest = RESULTS / "latest.json"
    if args.show:
        shown = json.loads(latest.read_text())
        plot(shown, RESULTS / "latest.png")
        _say(table(shown))
        return
    if args.million_only:
        results = json.loads(latest.read_text())
    else:
        sizes = tuple(int(s) for s in args.sizes.split(","))
        results = run(sizes, args.baseline_max, args.data / "pages", args.seed)
    if args.million or args.million_only:
        n = 1_000_000
        _say(f"generating {n:,} pages (reused if already there)")
        corpus = write_pages(args.data / "pages", n, args.seed)
        work = Path(tempfile.mkdtemp(prefix="nualod-bench-"))
        try:
            million = measure("nualod", n, corpus, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        results["million"] = million
        _say(
            f"nualod   N={n:>9,}: {million['seconds']:8.2f} s  {million['peak_rss_bytes'] / 2**20:7.0f} MiB"
        )
    latest.write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / "latest.png")
    _say(table(results))
    _say(f"wrote {latest} and {RESULTS / 'latest.png'}")


if __name__ == "__main__":
    main()
