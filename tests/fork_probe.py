"""Run nualod's command line with every fork checked (``python tests/fork_probe.py ARGS``).

A process that forks while it runs another thread (Python's, or a library's such as
RocksDB's) copies a multi-threaded process: the child may deadlock on a lock a thread held,
and Python 3.12 warns. The probe ends the run with exit code 99 and one line at such a fork.
Jobs of one page each let four pages go through the publish's worker pool.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

FORKED_WITH_THREADS = 99


def threads() -> int:
    """Return how many threads this process runs now, the system's count."""
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return int(next(line for line in status.splitlines() if line.startswith("Threads:")).split()[1])


def end_children() -> None:
    """Kill this process's descendants: a child forked earlier may wait for this one forever,
    holding the pipes its caller reads until they close."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    family = {os.getpid()}
    while grown := {pid for pid, parent in parents.items() if parent in family} - family:
        family |= grown
    for pid in family - {os.getpid()}:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def main() -> None:
    from nualod.run import pipeline

    pipeline.JOB_SIZE = 1
    fork = os.fork

    def checked_fork() -> int:
        running = threads()
        # A thread just joined (a worker pool's) is still counted until the system has
        # ended it: a busy machine may take some milliseconds. A thread that runs on stays.
        for _ in range(50):
            if running <= 1:
                break
            time.sleep(0.002)
            running = threads()
        if running > 1:
            sys.stderr.write(f"fork_probe: a fork with {running} threads running\n")
            sys.stderr.flush()
            end_children()
            os._exit(FORKED_WITH_THREADS)
        return fork()

    os.fork = checked_fork
    from nualod.cli import main as nualod

    nualod(sys.argv[1:], prog_name="nualod")


if __name__ == "__main__":
    main()
