"""nualod.files.pool: a pool whose workers a stop has already killed still stops."""

from __future__ import annotations

import subprocess
import sys
import textwrap

#: A run whose two workers die of SIGTERM while they wait for work, as a SIGTERM sent to the
#: whole process group kills them, and which then stops (an exception in the pool's block).
_KILLED_WHILE_WAITING = textwrap.dedent(
    """
    import os, signal, time
    from nualod.files.pool import worker_pool

    class Stop(Exception):
        pass

    try:
        with worker_pool(2) as pool:
            pool.map(abs, range(2), chunksize=1)
            time.sleep(0.2)  # both wait for work now, one of them holding the queue's lock
            workers = list(pool._pool)  # the pool replaces them as they die
            for worker in workers:
                os.kill(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.join()
            raise Stop
    except Stop:
        print("stopped", flush=True)
    """
)


def test_a_pool_whose_waiting_workers_were_killed_stops() -> None:
    """``Pool.terminate`` alone waits for ever for the lock the killed worker held."""
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_WAITING],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")
