"""What the table formats (CSV + CSVW, plain JSON, GeoJSON, SSSOM and their descriptions)
add to a publish: the same corpus published with and without them, each in a fresh process.

    python -m bench.formats --n 100000

"Without" takes the table formats out of the dump format registry for that process (the
four RDF dumps, the store, VoID and the catalog as before); "with" is an ordinary publish.
One run each, on the benchmark's synthetic corpus (bench.generate): the machine is shared,
so read the wall-time ratio with the spread of python -m bench in mind; the CPU time the run
and its workers spent (also reported, and its ratio) depends much less on what else runs. Results go to
``bench/results/formats.json``.
"""

from __future__ import annotations

import argparse
import json
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

RESULTS = Path(__file__).resolve().parent / "results"


def _without_table_formats() -> None:
    """Leave the table formats out of this process's registry (and the names bound to it)."""
    import nualod.run.publish as publish_module
    import nualod.run.release as release_module
    import nualod.write.formats as formats

    rdf = tuple(f for f in formats.DUMP_FORMATS if f.rdf)
    names = tuple(f.file_name for f in rdf)
    formats.DUMP_FORMATS = rdf  # type: ignore[misc]
    formats.DUMP_FILE_NAMES = names  # type: ignore[misc]
    release_module.DUMP_FILE_NAMES = names  # type: ignore[misc]
    publish_module.DUMP_FILE_NAMES = names  # type: ignore[misc]


def _child(kind: str, n: int, corpus: Path, out: Path) -> None:
    if kind == "without":
        _without_table_formats()
    from nualod.run.publish import publish

    inputs = corpus_inputs(corpus, n)
    start = time.perf_counter()
    result = publish(inputs, out)
    seconds = time.perf_counter() - start
    # CPU seconds of the run and its workers: on a shared machine the wall time depends on
    # what else runs, the CPU a run spends much less.
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    sizes = {p.name: p.stat().st_size for p in (out / "current").iterdir() if p.is_file()}
    print(
        json.dumps(
            {
                "kind": kind,
                "n": n,
                "published": len(result.published),
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "bytes": sizes,
            }
        )
    )


def measure(kind: str, n: int, corpus: Path, work: Path) -> dict[str, Any]:
    """Publish ``n`` practices in a fresh process; return its report."""
    out = work / kind
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.formats", "--child", kind, str(n), str(corpus), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.formats", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, n, corpus, out = args.child
        _child(kind, int(n), Path(corpus), Path(out))
        return
    with tempfile.TemporaryDirectory(prefix="nualod-bench-formats-") as folder:
        work = Path(folder)
        corpus = write_pages(work / "corpus", args.n, args.seed)
        without = measure("without", args.n, corpus, work)
        with_formats = measure("with", args.n, corpus, work)
    added = {
        name: size for name, size in with_formats["bytes"].items() if name not in without["bytes"]
    }
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "n": args.n,
        "without": without,
        "with": with_formats,
        "ratio": with_formats["seconds"] / without["seconds"],
        "cpu_ratio": with_formats["cpu_seconds"] / without["cpu_seconds"],
        "added_files_bytes": added,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "formats.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.n:,} practices: {without['seconds']:.1f} s without the table formats, "
        f"{with_formats['seconds']:.1f} s with them: ratio {results['ratio']:.3f}; CPU "
        f"{without['cpu_seconds']:.1f} s and {with_formats['cpu_seconds']:.1f} s: ratio "
        f"{results['cpu_ratio']:.3f}"
    )


if __name__ == "__main__":
    main()
