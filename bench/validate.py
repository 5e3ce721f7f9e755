"""Measure ``nualod validate`` on published dumps: time and peak memory, against pySHACL.

    python -m bench.validate --data /tmp/bench-data --sizes 100000,1000000 --baseline 10000

For each size N the dump is ``DATA/out-N/nualod.nq`` (written first, from the benchmark
corpus in ``DATA/corpus``, if it is not there). ``nualod validate`` runs in a fresh process
per measurement; its wall time and the peak resident memory of its whole process tree
(the workers included, sampled every 0.1 s) are recorded. At the baseline size the same
dump is also validated with ``--engine pyshacl`` (pySHACL on one in-memory graph), and the
two JSON reports must be equal but for the ``engine`` field. The reports are written to
``--reports`` (a JSON report of a million practices is about a gigabyte; each is deleted
once read, the baseline's two kept). Results go to
``bench/results/validate.json``; ratios are between runs of one invocation (the machine is
shared, so figures from different runs do not compare).

``--no-figures`` measures dumps published with ``--no-figures`` (``DATA/out-N-no-figures``).
``--floor`` also measures, for each size, what any validator that works on pyoxigraph's
terms pays before checking anything: the dump cut into the same chunks as ``nualod
validate`` cuts it, each parsed by pyoxigraph and its triples taken out as Python terms,
in as many processes as there are cores. ``nualod validate`` cannot take less than that.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import DEFAULT_SEED, corpus_inputs, write_pages

RESULTS = Path(__file__).resolve().parent / "results" / "validate.json"


def dump_of(data: Path, n: int, figures: bool = True) -> Path:
    """Return the N-Quads dump of n practices, publishing it first if it is missing.

    Without ``figures`` the dump is that of ``publish --no-figures``, in ``out-N-no-figures``.
    """
    out = data / (f"out-{n}" if figures else f"out-{n}-no-figures")
    dump = out / "nualod.nq"
    if not dump.exists():
        from nualod.run.publish import publish

        corpus = write_pages(data / "corpus", n, DEFAULT_SEED)
        publish(corpus_inputs(corpus, n), out, figures=figures)
    return dump


def _tree(pid: int) -> list[int]:
    """Return a process and its descendants, from /proc (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
    return found


def _kib_line(path: str, field: str) -> int:
    """Return the value, in bytes, of the line of a /proc file that starts with ``field``
    (given there in kB); 0 once the process has ended (between the listing and the reading)."""
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def _rss(pid: int) -> int:
    return _kib_line(f"/proc/{pid}/status", "VmRSS:")


def process_pss(pid: int) -> int:
    """Return one process's proportional memory (PSS), in bytes; 0 once it has ended."""
    return _kib_line(f"/proc/{pid}/smaps_rollup", "Pss:")


def tree_pss(pid: int) -> int:
    """Return the proportional memory (PSS) of a process and all its descendants, in bytes:
    what forked processes share counts once, where :func:`tree_rss` counts it in each.
    Reading a large process's ``smaps_rollup`` takes the kernel a while (its page tables).

    >>> 0 < tree_pss(os.getpid()) <= tree_rss(os.getpid())
    True
    """
    return sum(process_pss(member) for member in _tree(pid))


def tree_rss(pid: int) -> int:
    """Return the resident memory of a process and all its descendants, in bytes.

    >>> tree_rss(os.getpid()) > 0
    True
    """
    return sum(_rss(member) for member in _tree(pid))


def measure(dump: Path, engine: str, report: Path, timeout: float | None = None) -> dict[str, Any]:
    """Run ``nualod validate`` once; return its seconds, peak RSS and exit code.

    A run longer than ``timeout`` seconds is stopped (its whole process group) and
    recorded as such, so that one size that does not finish does not hold the others.
    """
    command = [sys.executable, "-m", "nualod", "validate", "--format", "json", "--all"]
    command += ["--engine", engine, str(dump)]
    peak = 0
    start = time.perf_counter()
    timed_out = False
    with report.open("wb") as out:
        child = subprocess.Popen(
            command, stdout=out, stderr=subprocess.PIPE, start_new_session=True
        )
        while child.poll() is None:
            peak = max(peak, tree_rss(child.pid))
            if timeout is not None and time.perf_counter() - start > timeout:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                timed_out = True
                break
            time.sleep(0.1)
        stderr = child.stderr.read().decode() if child.stderr else ""
    seconds = time.perf_counter() - start
    entry = {
        "engine": engine,
        "seconds": round(seconds, 2),
        "peak_rss_bytes": peak,
        "exit_code": child.returncode,
        "stderr": stderr[-2000:],
    }
    if timed_out:
        return {**entry, "timed_out": True}
    if child.returncode not in (0, 1) or report.stat().st_size == 0:
        raise SystemExit(f"nualod validate --engine {engine} {dump} failed:\n{stderr[-3000:]}")
    return entry


def _read_chunk(task: tuple[str, int, int]) -> int:
    """Parse one chunk and take its triples out as terms, as a worker does; return how many."""
    from pyoxigraph import RdfFormat, parse

    path, start, end = task
    with Path(path).open("rb") as file:
        file.seek(start)
        text = file.read(end - start)
    triples = [(q.subject, q.predicate, q.object) for q in parse(text, format=RdfFormat.N_QUADS)]
    return len(triples)


def floor(dump: Path) -> dict[str, Any]:
    """Return the seconds taken to read a dump's chunks into terms on every core."""
    import multiprocessing

    from nualod.validate.chunks import plan

    start = time.perf_counter()
    cut = plan(dump)
    if cut is None:
        raise SystemExit(f"{dump}: not a dump that nualod validate reads chunk by chunk")
    tasks = [(str(dump), begin, end) for begin, end in [(0, cut.cuts[0]), *cut.chunks]]
    cores = os.cpu_count() or 1
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        triples = sum(pool.imap_unordered(_read_chunk, tasks, chunksize=4))
    return {
        "kind": "floor: parse into terms",
        "seconds": round(time.perf_counter() - start, 2),
        "processes": cores,
        "chunks": len(tasks),
        "triples": triples,
    }


def same_results(fast: Path, slow: Path) -> bool:
    """Tell whether two JSON reports are equal but for the engine that made them."""
    one = json.loads(fast.read_text())
    other = json.loads(slow.read_text())
    for report in (one, other):
        report.pop("engine")
    return bool(one == other)


def run(
    data: Path,
    sizes: list[int],
    baseline: int | None,
    reports: Path,
    timeout: float | None = None,
    figures: bool = True,
    with_floor: bool = False,
) -> dict[str, Any]:
    """Measure each size with the fast engine, and the baseline size with both engines."""
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "figures": figures,
        "load_average_at_start": list(os.getloadavg()),
        "runs": [],
    }
    if baseline:
        dump = dump_of(data, baseline, figures)
        fast_json, slow_json = reports / "validate-fast.json", reports / "validate-pyshacl.json"
        fast = measure(dump, "fast", fast_json)
        slow = measure(dump, "pyshacl", slow_json)
        equal = same_results(fast_json, slow_json)
        counts = json.loads(fast_json.read_text())["counts"]
        for entry in (fast, slow):
            entry.update(n=baseline, counts=counts, same_results_as_pyshacl=equal)
            results["runs"].append(entry)
            _say(entry)
        results["speedup_at_baseline"] = round(slow["seconds"] / fast["seconds"], 2)
        print(f"same results as pySHACL at {baseline:,}: {equal}; "
              f"{results['speedup_at_baseline']}x faster", flush=True)  # fmt: skip
    for n in sizes:
        report = reports / f"validate-fast-{n}.json"
        dump = dump_of(data, n, figures)
        entry = measure(dump, "fast", report, timeout)
        entry.update(n=n, dump_bytes=dump.stat().st_size)
        if with_floor:
            entry["floor"] = floor(dump)
        if not entry.get("timed_out"):
            entry.update(counts=_counts(report), report_bytes=report.stat().st_size)
        report.unlink()
        results["runs"].append(entry)
        _say(entry)
    results["load_average_at_end"] = list(os.getloadavg())
    return results


def _counts(report: Path) -> Any:
    """Return a JSON report's counts, read from its head (the report may be a gigabyte)."""
    with report.open(encoding="utf-8") as text:
        head = text.read(4096)  # the keys are sorted: "counts" comes second
    return json.JSONDecoder().raw_decode(head, head.index('"counts": ') + len('"counts": '))[0]


def _say(entry: dict[str, Any]) -> None:
    mib = entry["peak_rss_bytes"] / 2**20
    outcome = "timed out" if entry.get("timed_out") else entry.get("counts")
    print(
        f"{entry['engine']:8} n={entry['n']:>9,}  {entry['seconds']:8.1f} s  {mib:7.0f} MiB  "
        f"{outcome}",
        flush=True,
    )
    if "floor" in entry:
        low = entry["floor"]
        print(
            f"{'floor':8} n={entry['n']:>9,}  {low['seconds']:8.1f} s  reading "
            f"{low['triples']:,} triples into terms in {low['processes']} processes",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    """Parse the options, measure, write ``bench/results/validate.json``."""
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("/tmp/bench-data"))
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated N")
    parser.add_argument("--baseline", type=int, default=10_000, help="N for pySHACL (0: none)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--reports", type=Path, default=Path("/tmp/nualod-validate-bench"))
    parser.add_argument("--timeout", type=float, default=None, help="seconds per size, at most")
    parser.add_argument(
        "--no-figures", action="store_true", help="dumps published with --no-figures"
    )
    parser.add_argument(
        "--floor", action="store_true", help="also time reading each dump into terms"
    )
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n]
    args.reports.mkdir(parents=True, exist_ok=True)
    results = run(
        args.data,
        sizes,
        args.baseline or None,
        args.reports,
        args.timeout,
        not args.no_figures,
        args.floor,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
