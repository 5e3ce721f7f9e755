"""nualod.files.pool: a pool whose workers a stop has already killed still stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

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


#: A SIGTERM sent to the whole process group (killing the workers too) while the pool is
#: made, or just as its body has ended; the run turns it into Terminated, as nualod's does.
_STOPPED_AT = textwrap.dedent(
    """
    import multiprocessing.context, multiprocessing.pool, os, signal, sys, time
    from nualod.errors import Terminated, terminate_as_interrupt
    from nualod.files.pool import worker_pool

    def stop_the_group():
        time.sleep(0.3)  # the workers wait for work, one holding the queue's lock
        os.killpg(0, signal.SIGTERM)
        time.sleep(0.3)

    if sys.argv[1] == "made":
        make = multiprocessing.context.ForkContext.Pool
        def making(self, *args, **kwargs):
            pool = make(self, *args, **kwargs)
            stop_the_group()
            return pool
        multiprocessing.context.ForkContext.Pool = making
    else:
        close = multiprocessing.pool.Pool.close
        def closing(self):
            stop_the_group()
            close(self)
        multiprocessing.pool.Pool.close = closing
    try:
        with terminate_as_interrupt(), worker_pool(2) as pool:
            pool.map(abs, range(4))
    except Terminated:
        print("stopped", flush=True)
    """
)


@pytest.mark.parametrize("moment", ["made", "closed"])
def test_a_stop_while_the_pool_is_made_or_closed_stops_it(moment: str) -> None:
    """Raised outside the pool's block, the stop left the pool to its finalizer, which
    waited for ever for the lock a killed worker held."""
    with subprocess.Popen(
        [sys.executable, "-c", _STOPPED_AT, moment],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, process_group=0,
    ) as run:  # fmt: skip
        try:
            stdout, stderr = run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            raise
    assert (run.returncode, stdout, stderr) == (0, "stopped\n", "")


#: Pools whose idle worker is killed (as the OOM killer may): the pool's own thread forks a
#: replacement, and that thread ends as the pool closes, before the replacement has.
_WORKER_REPLACED = textwrap.dedent(
    """
    import os, signal, time
    from nualod.files.pool import worker_pool

    def slow(number):
        time.sleep(0.05)
        return number

    def waiting_for_the_lock(pid):
        with open(f"/proc/{pid}/wchan") as wchan:
            return "futex" in wchan.read()

    for run in range(6):
        with worker_pool(2) as pool:
            pool.map(abs, range(4))
            time.sleep(0.1)
            # The worker that waits for the queue's lock, not the one that holds it (killing
            # that one stops any pool: CPython's own limit).
            first = [worker.pid for worker in pool._pool]
            (victim,) = [pid for pid in first if waiting_for_the_lock(pid)]
            os.kill(victim, signal.SIGKILL)
            while victim in [w.pid for w in pool._pool] or len(pool._pool) < 2:
                time.sleep(0.01)
            # The worker that waited takes this, and the replacement the lock after it.
            assert pool.apply(slow, (3,)) == 3
    print("closed", flush=True)
    """
)


def test_a_pool_closes_after_it_replaced_a_worker() -> None:
    """Asked to die with the thread that forked it (the kernel's PR_SET_PDEATHSIG), the
    replacement died as the pool's thread ended, holding the queue's lock: the pool waited
    for ever for its other worker."""
    done = subprocess.run(
        [sys.executable, "-c", _WORKER_REPLACED],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "closed\n", "")
