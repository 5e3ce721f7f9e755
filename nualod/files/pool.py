"""A pool of worker processes that a stop ends at once, whoever the stop reached.

A stop may reach the workers as well as their parent: a terminal's Ctrl-C goes to the whole
process group, and so do ``timeout``'s SIGTERM and systemd's (to the whole control group).
Workers ignore Ctrl-C and die of SIGTERM (:func:`nualod.errors.worker_signals`). A worker
that dies while it waits for work holds its queue's lock for ever, and
``multiprocessing.Pool.terminate`` waits for that lock (CPython's ``_help_stuff_finish``):
the run hung, and only SIGKILL ended it. :func:`stop_pool` kills every worker first, then
frees what a dead one held, then lets the pool clean up, for a bounded time.

Stops are also held back while the workers start, so that none reaches a worker before it
has set up its signals (each printed a traceback of its own): they reach the parent as soon
as the pool is there, and the workers (:func:`nualod.errors.worker_signals`) once they are
ready.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from multiprocessing import resource_tracker
from multiprocessing.pool import TERMINATE, Pool
from typing import Any, Final

from nualod.errors import STOP_SIGNALS, worker_signals

#: How long a stopped pool's own threads are waited for before the stop goes on without them.
STOP_WAIT_SECONDS: Final = 5.0


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back in this thread for the duration, and in every process
    it starts meanwhile (forked or spawned, the blocked signals are inherited) until that
    process sets up its own (:func:`nualod.errors.worker_signals`). A stop sent meanwhile
    is acted on when the block ends."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def caller_script_hidden() -> Iterator[None]:
    """Start spawned processes meanwhile without the caller's main script.

    A spawned process imports the parent's ``__main__`` from its file or module name before
    it runs its target; a program that calls nualod without ``if __name__ == "__main__":``
    then ran again in every worker, each starting workers of its own, and never ended. The
    workers' targets are nualod's own functions, which need nothing of that script, so the
    processes are started while ``__main__`` is a bare module that names no file.
    """
    # One window at a time: two that overlapped put back each other's stand-in, and the
    # program was left without its script as __main__.
    with _MAIN_SWAP:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is None:
                del sys.modules["__main__"]
            else:
                sys.modules["__main__"] = main


_MAIN_SWAP: Final = threading.RLock()


@contextmanager
def worker_pool(
    processes: int,
    *,
    method: str = "fork",
    initializer: Callable[..., object] = worker_signals,
    initargs: Iterable[Any] = (),
) -> Iterator[Pool]:
    """Run a ``multiprocessing`` pool of ``processes`` workers for the duration.

    The initializer must call :func:`nualod.errors.worker_signals` first. Once the body is
    done, the workers finish their work and end; on an exception (a stop, an error) they
    are stopped at once (:func:`stop_pool`).
    """
    if method != "fork":
        # Started with the first spawned pool's locks, the resource tracker unblocks both
        # signals in the thread that starts it: started first, it holds nothing back.
        resource_tracker.ensure_running()
    pool: Pool | None = None
    try:
        # A stop that comes while the pool is made is raised as the block ends, as one in
        # the body or while the workers finish is: each stops the pool (else its finalizer
        # waited for ever for the lock of a worker the stop killed).
        with stops_held(), caller_script_hidden() if method != "fork" else nullcontext():
            pool = multiprocessing.get_context(method).Pool(processes, initializer, tuple(initargs))
        yield pool
        pool.close()
        pool.join()
        # Its clean-up, run here: run later as the pool is freed, it swallowed a stop that
        # came meanwhile ("Exception ignored …") and the run went on.
        pool.terminate()
    except BaseException:
        if pool is not None:
            stop_pool(pool)
        raise


def stop_pool(pool: Pool) -> None:
    """Stop a pool's workers at once, even if a stop has already killed some of them."""
    # What this needs of the pool is not public: its workers, queues and worker handler,
    # the same in CPython 3.11 to 3.14.
    internals: Any = pool
    handler = internals._worker_handler
    handler._state = TERMINATE  # forks no worker in place of those killed below
    internals._change_notifier.put(None)
    handler.join()
    for worker in internals._pool:
        worker.kill()
    for worker in internals._pool:
        worker.join()
    # Only the workers take the first: once they are gone, it is free or a dead one's. The
    # second, the pool's task thread also takes, for a moment at a time.
    _free(internals._inqueue._rlock, wait=0.0)
    _free(internals._outqueue._wlock, wait=0.1)
    # A worker killed halfway through sending its result leaves the pool's result thread
    # reading a message that never ends: the stop goes on without it (a daemon thread).
    ending = threading.Thread(target=_terminate, args=(pool,), daemon=True)
    ending.start()
    ending.join(STOP_WAIT_SECONDS)


def _free(lock: Any, wait: float) -> None:
    """Release ``lock`` if a killed worker held it (not taken within ``wait`` seconds)."""
    lock.acquire(timeout=wait)
    lock.release()  # ours, or a dead worker's: any process may release a multiprocessing lock


def _terminate(pool: Pool) -> None:
    # A pool whose result thread has already ended raises an AssertionError; nothing of
    # it is left to stop.
    with suppress(Exception):
        pool.terminate()
