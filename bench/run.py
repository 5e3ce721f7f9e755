"""Benchmark nualod's publish against a naive rdflib + pyshacl baseline, in one run.

Each measurement runs in a fresh Python process that reports its wall time and its peak
resident memory (``ru_maxrss``). nualod's run is the whole ``publish``: read, link, map,
validate (fast engine), Turtle, N-Triples, N-Quads, JSON-LD, the on-disk SPARQL store and
the catalog. The baseline (:mod:`bench.baseline`) does read, map, pyshacl on the whole
graph, rdflib's Turtle, N-Triples, JSON-LD and N-Quads writers and a store; it runs up to
``--baseline-max`` practices (by default every size, 100,000 included: about six minutes),
and larger sizes are extrapolated linearly from the largest measured one (marked as such).
nualod runs ``--repeat`` times at each size (three by default; the baseline once, it takes
minutes): a table shows the median run and the range, since one run on a shared machine
can be 15 % off, and the exponents are given from the medians and as the range the
extreme runs allow. Results go to ``bench/results/latest.json`` and a plot.

    python -m bench                      # N = 1,000, 10,000, 100,000
    python -m bench --million            # and end-to-end runs at 1,000,000
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
        from nualod.run.publish import publish

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


def measure_repeated(
    kind: str, n: int, corpus: Path, work: Path, repeat: int, validator: str = "fast"
) -> dict[str, Any]:
    """Measure ``repeat`` times; return the median run, with every run's seconds in ``runs``.

    The peak memory reported is the largest of the runs.
    """
    reports = [measure(kind, n, corpus, work, validator) for _ in range(repeat)]
    return summarise(reports)


def summarise(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the report of median time (the lower one of an even count), with the seconds
    of every run in ``runs`` and the largest peak memory of them.

    >>> runs = [{"seconds": s, "peak_rss_bytes": m, "steps": {}} for s, m in ((3, 5), (1, 9), (2, 7))]
    >>> median = summarise(runs)
    >>> median["seconds"], median["runs"], median["peak_rss_bytes"]
    (2, [3, 1, 2], 9)
    """
    ordered = sorted(reports, key=lambda report: float(report["seconds"]))
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["runs"] = [report["seconds"] for report in reports]
    median["peak_rss_bytes"] = max(report["peak_rss_bytes"] for report in reports)
    worker_peaks = [report["steps"].get("workers_peak_rss_bytes", 0) for report in reports]
    if any(worker_peaks):
        median["steps"] = {**median["steps"], "workers_peak_rss_bytes": max(worker_peaks)}
    return median


def runs_of(report: dict[str, Any]) -> list[float]:
    """Return the seconds of every run behind a report (one, for results of a single run)."""
    return [float(seconds) for seconds in report.get("runs", [report["seconds"]])]


def exponent_range(small: dict[str, Any], large: dict[str, Any]) -> tuple[float, float]:
    """Return the lowest and highest exponent of time between two sizes that their runs allow.

    >>> exponent_range({"n": 10, "seconds": 1.0, "runs": [1.0, 0.9, 1.1]},
    ...                {"n": 100, "seconds": 10.0, "runs": [10.0, 9.9, 11.0]})  # doctest: +ELLIPSIS
    (0.954..., 1.087...)
    """
    decades = math.log(large["n"] / small["n"])
    lowest = math.log(min(runs_of(large)) / max(runs_of(small))) / decades
    highest = math.log(max(runs_of(large)) / min(runs_of(small))) / decades
    return lowest, highest


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


def top_exponent(results: dict[str, Any]) -> float:
    """Return the exponent of nualod's time fitted from 10,000 practices to the million run
    (the sizes past a fixed start-up cost)."""
    points = [(r["n"], r["nualod"]["seconds"]) for r in results["rows"] if r["n"] >= 10_000]
    million = results["million"]
    return fitted_exponent([*points, (million["n"], million["seconds"])])


def _say(text: str) -> None:
    print(text, flush=True)


def run(
    sizes: tuple[int, ...], baseline_max: int, corpus_dir: Path, seed: int, repeat: int = 1
) -> dict[str, Any]:
    """Measure nualod (``repeat`` times) and the baseline at each size; return the results."""
    _say(f"generating {max(sizes):,} pages in {corpus_dir} (reused if already there)")
    corpus = write_pages(corpus_dir, max(sizes), seed)
    work = Path(tempfile.mkdtemp(prefix="nualod-bench-"))
    rows = []
    try:
        measured_baseline: dict[int, dict[str, Any]] = {}
        for n in sizes:
            ours = measure_repeated("nualod", n, corpus, work, repeat)
            _say(f"nualod   N={n:>9,}: {_runs(ours)}  {ours['peak_rss_bytes'] / 2**20:7.0f} MiB")
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
        "repeat": repeat,
        "rows": rows,
        "nualod_time_exponent": exponent,
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _runs(report: dict[str, Any]) -> str:
    runs = runs_of(report)
    if len(runs) == 1:
        return f"{runs[0]:8.2f} s"
    return f"{report['seconds']:8.2f} s (median; {min(runs):.2f} to {max(runs):.2f})"


def _spread(report: dict[str, Any]) -> str:
    runs = runs_of(report)
    return f" [{min(runs):.2f}–{max(runs):.2f}]" if len(runs) > 1 else ""


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def table(results: dict[str, Any]) -> str:
    """Return the results as a Markdown table (nualod = pipeline + release of the median run,
    then the fastest and slowest run in brackets)."""
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
            f"| {row['n']:,} | {ours['seconds']:.2f}{split}{_spread(ours)} | "
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
        runs = runs_of(million)
        spread = f" (runs {min(runs):.0f} to {max(runs):.0f} s)" if len(runs) > 1 else ""
        lines.append(
            f"1,000,000 practices: {million['seconds']:.0f} s{spread}; pipeline "
            f"{steps.get('pipeline', 0):.0f} s, release {steps.get('release', 0):.0f} s; peak RSS "
            f"{_mib(million['peak_rss_bytes'])} (+ {_mib(steps.get('workers_peak_rss_bytes', 0))} "
            f"per worker), {million['triples']:,} triples"
        )
        largest = max(results["rows"], key=lambda r: r["n"])["nualod"]
        lowest, highest = exponent_range(largest, million)
        pair = [(largest["n"], largest["seconds"]), (million["n"], million["seconds"])]
        lines.append(
            f"exponent of nualod's time from {largest['n']:,} to 1,000,000 practices: "
            f"{fitted_exponent(pair):.3f} (runs allow {lowest:.3f} to {highest:.3f})"
        )
        lines.append(
            f"fitted exponent from 10,000 to 1,000,000 practices: {top_exponent(results):.3f}"
        )
    return "\n".join(lines)


def _error_bars(reports: list[dict[str, Any]]) -> list[list[float]]:
    """Return how far below and above each median its fastest and slowest runs are."""
    below = [report["seconds"] - min(runs_of(report)) for report in reports]
    above = [max(runs_of(report)) - report["seconds"] for report in reports]
    return [below, above]


def plot(results: dict[str, Any], path: Path) -> None:
    """Plot time and peak memory against N (log-log) for nualod and the baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["rows"]
    ns = [r["n"] for r in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.errorbar(
        ns,
        [r["nualod"]["seconds"] for r in rows],
        yerr=_error_bars([r["nualod"] for r in rows]),
        fmt="o-",
        capsize=3,
        label="nualod (median, range of runs)",
    )
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
        left.errorbar(
            [million["n"]],
            [million["seconds"]],
            yerr=_error_bars([million]),
            fmt="D",
            capsize=3,
            color="tab:green",
            label="nualod --million",
        )
        right.plot(
            [million["n"]],
            [million["peak_rss_bytes"] / 2**20],
            "D",
            color="tab:green",
            label="nualod --million",
        )
    title = f"publish time\n(nualod slope {results['nualod_time_exponent'] or 0:.2f}"
    if million:
        title += f" up to {max(ns):,}; {top_exponent(results):.2f} from 10,000 to {million['n']:,}"
    left.set(xscale="log", yscale="log", xlabel="practices (N)", ylabel="wall time (s)",
             title=title + ")")  # fmt: skip
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
    parser.add_argument(
        "--repeat", type=int, default=3, help="nualod runs per size (the median is reported)"
    )
    parser.add_argument("--show", action="store_true", help="print latest.json as a table, replot")
    parser.add_argument(
        "--child", nargs=4, metavar=("KIND", "N", "CORPUS", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--validator", default="fast", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
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
        results = run(sizes, args.baseline_max, args.data / "pages", args.seed, args.repeat)
    if args.million or args.million_only:
        n = 1_000_000
        _say(f"generating {n:,} pages (reused if already there)")
        corpus = write_pages(args.data / "pages", n, args.seed)
        work = Path(tempfile.mkdtemp(prefix="nualod-bench-"))
        try:
            million = measure_repeated("nualod", n, corpus, work, args.repeat)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        results["million"] = million
        _say(f"nualod   N={n:>9,}: {_runs(million)}  {million['peak_rss_bytes'] / 2**20:7.0f} MiB")
    latest.write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / "latest.png")
    _say(table(results))
    _say(f"wrote {latest} and {RESULTS / 'latest.png'}")


if __name__ == "__main__":
    main()
