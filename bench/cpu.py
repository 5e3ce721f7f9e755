"""Show where a publish spends its CPU: the main process and its children (the worker
processes and, with a release, the store's loading process), user and system time, from
``getrusage``. Until ``d598846`` the store was loaded by threads of the main process, so its
CPU counted there.

    python -m bench.cpu --data /tmp/bench-data --n 100000               # the whole publish
    python -m bench.cpu --data /tmp/bench-data --n 100000 --no-release  # without the store

The corpus is the benchmark's (``python -m bench`` writes it under ``DATA/pages``).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench.generate import DEFAULT_SEED, corpus_inputs, write_pages


def measure(corpus: Path, n: int, *, release: bool) -> dict[str, float]:
    """Publish the first ``n`` pages of ``corpus``; return wall and CPU seconds by process."""
    from nualod.run.publish import publish

    out = Path(tempfile.mkdtemp(prefix="nualod-cpu-"))
    try:
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        publish(corpus_inputs(corpus, n), out / "out", release=release)
        wall = time.perf_counter() - start
        main = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "wall": wall,
        "main_user": main.ru_utime - before.ru_utime,
        "main_system": main.ru_stime - before.ru_stime,
        "workers_user": workers.ru_utime,
        "workers_system": workers.ru_stime,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="corpus folder (as for bench)")
    parser.add_argument("--n", type=int, default=100_000, help="practices to publish")
    parser.add_argument("--no-release", action="store_true", help="no store, VoID or catalog")
    args = parser.parse_args(argv)
    corpus = write_pages(args.data / "pages", args.n, DEFAULT_SEED)
    figures = measure(corpus, args.n, release=not args.no_release)
    print("  ".join(f"{name} {value:.2f} s" for name, value in figures.items()))


if __name__ == "__main__":
    main()
