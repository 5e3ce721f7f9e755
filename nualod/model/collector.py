"""How nualod's long runs set Python's garbage collector.

A publish or a validation makes millions of short-lived containers (tuples, terms, result
records) and almost no reference cycles. At Python's default threshold (700 allocations)
the collector runs hundreds of times a batch, and its full collections walk a heap of
hundreds of MB (a chunk worker's head of reference data, a publish's caches) each time:
a tenth of a publish, and more than the shapes' checks in a chunk of a dump.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

__all__ = ["GC_THRESHOLD", "fewer_collections", "settle_worker"]

#: Container allocations between young-generation collections in a long run.
GC_THRESHOLD: Final = 50_000


def settle_worker() -> None:
    """Set up a worker process: what it holds now is never garbage, collections are rare."""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


class _Raised:
    """The runs under way in this process that raised the threshold, and what it was before
    the first of them: runs in several threads overlap, and the last to end restores it (each
    restoring what it saw left the threshold raised for good when two overlapped)."""

    lock: Final = threading.Lock()
    runs = 0
    before: tuple[int, int, int] = (0, 0, 0)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's threshold while a run lasts, then restore it (when the last of
    runs overlapping in several threads ends).

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()[0] >= GC_THRESHOLD
    True
    >>> gc.get_threshold() == before
    True
    """
    with _Raised.lock:
        if _Raised.runs == 0:
            _Raised.before = gc.get_threshold()
            gc.set_threshold(max(_Raised.before[0], GC_THRESHOLD), *_Raised.before[1:])
        _Raised.runs += 1
    try:
        yield
    finally:
        with _Raised.lock:
            _Raised.runs -= 1
            if _Raised.runs == 0:
                gc.set_threshold(*_Raised.before)
