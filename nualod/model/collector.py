"""How nualod's long runs set Python's garbage collector.

A publish or a validation makes millions of short-lived containers (tuples, terms, result
records) and almost no reference cycles. At Python's default threshold (700 allocations)
the collector runs hundreds of times a batch, and its full collections walk a heap of
hundreds of MB (a chunk worker's head of reference data, a publish's caches) each time:
a tenth of a publish, and more than the shapes' checks in a chunk of a dump.
"""

from __future__ import annotations

import gc
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


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's threshold for the duration of a run, then restore it.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()[0] >= GC_THRESHOLD
    True
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
