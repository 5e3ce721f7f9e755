"""Build the SPARQL-ready on-disk store (pyoxigraph) from the finished N-Quads dump.

The store is bulk loaded into a temporary folder next to its final place and renamed into
place only when everything else of the run has succeeded, so a reader never sees a
half-loaded store and a failed run leaves the previous one as it was.
"""

from __future__ import annotations

import os
import pickle
import queue
import shutil
import sys
import threading
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO, Final

from pyoxigraph import RdfFormat, Store, parse

from nualod.errors import NualodError, PublishError, StoreError
from nualod.files.atomic import AtomicFolder
from nualod.files.forked import portable_error
from nualod.files.programs import start_program

STORE_NAME: Final = "store"
#: Bytes of N-Quads per bulk load. pyoxigraph's bulk loader holds what it is given in memory
#: (1.4 GB for 100,000 practices at once); in slices of about 200,000 lines it stays near
#: 400 MB at any size, and larger slices cost less CPU.
LOAD_SLICE_BYTES: Final = 64 * 2**20
#: Bytes at the end of a slice searched for its last line end before the slice is read.
LINE_END_WINDOW: Final = 64 * 2**10
#: The first slice :class:`BackgroundLoad` loads; each next one is twice as large.
FIRST_SLICE_BYTES: Final = 4 * 2**20
#: What RocksDB names its compaction threads (Linux shows it in ``/proc/self/task/*/comm``).
COMPACTION_THREAD_NAME: Final = "rocksdb:low"
#: The niceness given to them: the lowest priority.
COMPACTION_NICENESS: Final = 19


def whole_lines(fd: int, start: int, end: int, most: int = LOAD_SLICE_BYTES) -> bytes:
    """Return the whole lines of the open file ``fd`` from byte ``start``: at most ``most``
    bytes (unless one line is longer), never past byte ``end``."""
    if end - start <= most:
        return os.pread(fd, end - start, start)
    # The last line end is looked for in a small window first, so that the slice is read
    # once, at its size: cutting a larger read would copy tens of MB each time.
    window = min(most, LINE_END_WINDOW)
    tail = os.pread(fd, window, start + most - window)
    cut = tail.rfind(b"\n") + 1
    if cut:
        return os.pread(fd, most - window + cut, start)
    chunk = os.pread(fd, most, start)
    cut = chunk.rfind(b"\n") + 1
    if cut:
        return chunk[:cut]
    size = most  # a line longer than a slice: read on to its end, and take it alone
    while start + size < end:
        size = min(2 * size, end - start)
        chunk = os.pread(fd, size, start)
        cut = chunk.find(b"\n", most) + 1
        if cut:
            return chunk[:cut]
    return chunk


def load_nquads(store: Store, nquads: Path) -> None:
    """Bulk load an N-Quads file into a store, a slice of lines at a time (bounded memory).

    A quad is one line of N-Quads, and nualod's dumps have no blank nodes (whose labels
    would only hold within one load), so the slices load as the whole file would.
    """
    with nquads.open("rb") as stream:
        end = os.fstat(stream.fileno()).st_size
        loaded = 0
        while loaded < end:
            chunk = whole_lines(stream.fileno(), loaded, end)
            store.bulk_load(input=chunk, format=RdfFormat.N_QUADS)
            loaded += len(chunk)


def compaction_threads() -> list[int]:
    """Return the ids of this process's RocksDB compaction threads.

    They are found by name in ``/proc``; where there is none, the list is empty.
    """
    found: list[int] = []
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            comm = (task / "comm").read_text(encoding="utf-8").strip()
        except OSError:  # a thread that ended meanwhile
            continue
        if comm.startswith(COMPACTION_THREAD_NAME):
            found.append(int(task.name))
    return sorted(found)


def idle_compaction() -> list[int]:
    """Give RocksDB's compaction threads the lowest CPU priority; return their ids.

    After each bulk load, RocksDB merges the new files into the older ones in the
    background. At the lowest priority that work takes only the CPU a run leaves idle: it
    runs less often and merges more loaded files at once, so it rewrites less (a third less
    CPU in all at one million practices) and does not slow the run the store waits for.
    The threads are shared by every store of the process and keep that priority.
    Where threads cannot be told apart (no ``/proc``), nothing changes.
    """
    threads = compaction_threads()
    for thread in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, thread, COMPACTION_NICENESS)
        except OSError:  # the thread ended meanwhile; lowering a priority needs no right
            continue
    return threads


def link_copy(store_dir: Path, target: Path) -> None:
    """Copy a closed store's folder into the empty folder ``target``, as a RocksDB
    checkpoint does: its table files (never changed once written) as hard links, where the
    file system allows, the others (manifest, log) as copies."""
    for path in sorted(store_dir.iterdir()):
        if path.name == "LOCK":
            continue
        if path.suffix == ".sst":
            try:
                os.link(path, target / path.name)
                continue
            except OSError:  # another file system: copied as the others are
                pass
        shutil.copy2(path, target / path.name)


class StagedStore(AtomicFolder):
    """A store under a temporary name, loaded from ``nquads`` if given (else see
    :class:`BackgroundLoad`), or starting as a copy of the store ``template``;
    :meth:`commit` moves it into place."""

    def __init__(self, nquads: Path | None, store_dir: Path, template: Path | None = None) -> None:
        super().__init__(store_dir)
        try:
            if template is not None:
                link_copy(template, self.temporary)
            self.store: Store | None = Store(str(self.temporary))
            if nquads is not None:
                load_nquads(self.store, nquads)
                self.store.flush()
        # RocksDB's own errors (a damaged template) are RuntimeErrors.
        except (OSError, SyntaxError, RuntimeError) as error:
            self.discard()
            raise PublishError(f"{store_dir}: cannot build the store: {error}") from None

    def open(self) -> Store:
        """Return the loaded (still temporary) store, to query before committing."""
        if self.store is None:
            raise StoreError(f"{self.path}: the staged store is closed")
        return self.store

    def commit(self) -> Path:
        """Close the store and move it to its final name, replacing an older store."""
        self.store = None
        return super().commit()

    def discard(self) -> None:
        """Close and delete the temporary store."""
        self.store = None
        super().discard()


class BackgroundLoad:
    """Bulk load an N-Quads file into a new staged store in a thread, while a run writes it.

    pyoxigraph lets go of the GIL while it loads, so the store is built during the run, on
    whatever CPU the run leaves idle, instead of after it. The writer calls :meth:`advance`
    with how far the file is written (whole lines, flushed); the thread reads and loads
    slices, each cut at a line end, from :data:`FIRST_SLICE_BYTES` doubling up to
    :data:`LOAD_SLICE_BYTES`. RocksDB's compaction runs at the lowest priority meanwhile
    (:func:`idle_compaction`).
    """

    def __init__(self, nquads: Path, store_dir: Path, slice_bytes: int = LOAD_SLICE_BYTES) -> None:
        self.staged = StagedStore(None, store_dir)
        idle_compaction()  # the store is open, its compaction threads started
        self.nquads = nquads
        self.slice_bytes = slice_bytes
        self._written: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self._error: Exception | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._load, name="nualod-store-load", daemon=True)
        self._thread.start()

    def advance(self, written: int) -> None:
        """Say that the file holds ``written`` bytes of whole lines now."""
        self._written.put(written)

    def _load(self) -> None:
        store = self.staged.open()
        loaded = 0
        written = 0
        finished = False
        # Slices double up to slice_bytes: a small run's store loads while it is written
        # too, instead of all after it, and a large run's mostly in full slices.
        step = min(FIRST_SLICE_BYTES, self.slice_bytes)
        try:
            with self.nquads.open("rb") as stream:
                while not finished and not self._stop:
                    size = self._written.get()
                    if size is None:
                        finished = True
                    else:
                        written = max(written, size)
                    while not self._stop and (
                        written - loaded >= step or (finished and written > loaded)
                    ):
                        chunk = whole_lines(stream.fileno(), loaded, written, step)
                        # nualod wrote these lines itself: no need to check every IRI again.
                        store.bulk_load(input=chunk, format=RdfFormat.N_QUADS, lenient=True)
                        loaded += len(chunk)
                        step = min(2 * step, self.slice_bytes)
        except SyntaxError as error:
            # Kept without its traceback, the error does not keep this frame, and so the
            # store, open: discarding must close the store before deleting its files.
            self._error = SyntaxError(f"{error}, in the lines from byte {loaded} of {self.nquads}")
        except OSError as error:
            self._error = error.with_traceback(None)
        finally:
            del store

    def finish(self) -> StagedStore:
        """Load what is left and return the loaded store (raise :class:`PublishError`)."""
        self._written.put(None)
        self._thread.join()
        try:
            if self._error is not None:
                raise PublishError(f"{self.staged.path}: cannot build the store: {self._error}")
            self.staged.open().flush()
        except BaseException:
            self.staged.discard()
            raise
        return self.staged

    def abandon(self) -> None:
        """Stop loading and delete the temporary store."""
        self._stop = True
        self._written.put(None)
        self._thread.join()
        self.staged.discard()


def _lines_outside(path: Path, skipped: Sequence[tuple[int, int]]) -> set[bytes]:
    """Return the lines of a file outside the (offset, length) ranges ``skipped``, each of
    which holds whole lines."""
    lines: set[bytes] = set()
    with path.open("rb") as stream:
        fd = stream.fileno()
        end = os.fstat(fd).st_size
        position = 0
        for offset, length in [*sorted(skipped), (end, 0)]:
            while position < offset:
                chunk = whole_lines(fd, position, offset)
                lines.update(chunk.splitlines(keepends=True))
                position += len(chunk)
            position = max(position, offset + length)
    return lines


class DeltaLoad:
    """The store of a release that follows another: a copy of the previous release's store
    (:func:`link_copy`), changed by the quads in which the two N-Quads dumps differ.

    The ranges of both dumps that hold the same bytes (the practices the new release took
    from the previous one's work, and the shared nodes both wrote) are given to
    :meth:`finish` and not read; the rest of each dump is read as a set of lines (a quad is
    one line, and nualod's dumps have no blank nodes), and the store loses the quads only
    the previous dump has and gains those only the new one has. Same interface as
    :class:`BackgroundLoad`, so a run hands either to :func:`nualod.run.release.stage_release`.
    """

    def __init__(
        self, previous_store: Path, previous_nquads: Path, nquads: Path, store_dir: Path
    ) -> None:
        self.staged = StagedStore(None, store_dir, template=previous_store)
        self.previous_store = previous_store
        self.previous_nquads = previous_nquads
        self.nquads = nquads
        self.store_dir = store_dir
        self.same: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]] = ((), ())
        #: Why the store was built from the new dump instead (:meth:`finish`), if it was.
        self.note: str | None = None

    def advance(self, written: int) -> None:
        """Take note that the dump grew (nothing to do before it is finished)."""

    def skip(self, previous: Sequence[tuple[int, int]], current: Sequence[tuple[int, int]]) -> None:
        """Say which ranges of the previous and of the new dump hold the same quads."""
        self.same = (previous, current)

    def finish(self) -> StagedStore:
        """Change the copied store into the new dump's; return it (raise PublishError).

        A previous store damaged where opening it does not look (a table's data block) is
        found only now, where a block holds a quad this release removes (or where RocksDB
        merges tables meanwhile): the store is then built from the new dump, as a first
        release's is, and :attr:`note` says why."""
        try:
            before = _lines_outside(self.previous_nquads, self.same[0])
            after = _lines_outside(self.nquads, self.same[1])
            store = self.staged.open()
            gone = b"".join(sorted(before - after))
            new = b"".join(sorted(after - before))
            del before, after
            try:
                if gone:
                    for quad in parse(gone, format=RdfFormat.N_QUADS, lenient=True):
                        # A removal is a blind write: the table holding the quad is read
                        # only when RocksDB merges tables in the background, which may come
                        # after the store is closed. The lookup reads its block now.
                        if quad in store:
                            store.remove(quad)
                if new:
                    store.bulk_load(input=new, format=RdfFormat.N_QUADS, lenient=True)
                store.flush()
            except (OSError, RuntimeError) as error:
                if not str(error).startswith("Corruption"):
                    raise
                del store
                self.staged.discard()
                said = str(error).replace(str(self.staged.temporary), str(self.previous_store))
                self.note = built_anew(self.previous_store, said)
                return StagedStore(self.nquads, self.store_dir)
        except (OSError, SyntaxError, RuntimeError) as error:
            self.staged.discard()
            raise PublishError(f"{self.staged.path}: cannot build the store: {error}") from None
        except BaseException:
            self.staged.discard()
            raise
        return self.staged

    def abandon(self) -> None:
        """Delete the temporary store."""
        self.staged.discard()


#: What builds a run's store while it writes the dumps, in the process that writes them.
StoreLoad = BackgroundLoad | DeltaLoad


class LoadedStore(AtomicFolder):
    """A store another process built and closed under the temporary name ``temporary``;
    :meth:`commit` moves it into place, as :class:`StagedStore` does."""

    def __init__(self, path: Path, temporary: Path, note: str | None = None) -> None:
        # Nothing to make: it exists.
        self.path = path
        self.temporary = temporary
        #: Why the store was built anew rather than changed from the previous one, if it was.
        self.note = note


class ProcessLoad:
    """A run's :data:`StoreLoad`, run in a Python process of its own.

    An open store runs RocksDB's threads, and they live as long as their process: a store
    built in the process that writes the dumps would have them copied into every process it
    forks afterwards (the site's workers, with ``publish --site``), and a process forked
    while other threads run may deadlock on a lock one of them held. The loading process is
    started from scratch, not forked, for the same reason: forked from a process that has
    opened a store before (a Python program publishing twice), RocksDB would hang in it.
    It is started when this is made, with this process's ``sys.path`` (what a wrapper, a
    zipapp or an embedding program put there included), in a process group of its own (a
    Ctrl-C stops the run, which ends it). It waits until the run knows which store to build
    (:meth:`begin_new`, :meth:`begin_delta`, which wait until the store is open, so that a
    store that cannot be opened fails the run at once); it builds it as the run goes
    (:meth:`advance`, :meth:`skip`) and closes it (:meth:`finish`). The run's process never
    opens the store, and the load shares no GIL with it.

    An error of the loading process is raised by :meth:`begin_new`, :meth:`begin_delta` or
    :meth:`finish`, as a :class:`~nualod.errors.NualodError`. The store lies in the run's
    staging folder, so a process ended early leaves nothing that folder's deletion misses.
    """

    def __init__(self) -> None:
        self._process = start_program(_LOADING_PROCESS, "builds the store")
        assert self._process.stdin is not None and self._process.stdout is not None
        self._orders, self._answers = self._process.stdin, self._process.stdout
        self.store_dir: Path | None = None
        #: Whether the store is built from the previous release's (:meth:`begin_delta`).
        self.delta = False
        self._ended = False

    def begin_new(self, nquads: Path, store_dir: Path) -> None:
        """Build a new store from ``nquads`` while it is written (:class:`BackgroundLoad`)."""
        self._begin(store_dir, "new", (nquads, store_dir))

    def begin_delta(
        self, previous_store: Path, previous_nquads: Path, nquads: Path, store_dir: Path
    ) -> str | None:
        """Build the store as the previous release's, changed where the dumps differ
        (:class:`DeltaLoad`); return None. When the previous store cannot be opened, a new
        store is built instead: return the note that says why."""
        said: str | None = self._begin(
            store_dir, "delta", (previous_store, previous_nquads, nquads, store_dir)
        )
        self.delta = said is None  # else a new store, which needs no ranges (skip)
        return said

    @property
    def begun(self) -> bool:
        """Whether the process was told which store to build."""
        return self.store_dir is not None

    def _begin(self, store_dir: Path, kind: str, args: tuple[Path, ...]) -> Any:
        self.store_dir = store_dir
        self._tell(kind, *args)
        return self._answer()  # the store is open, or its error is raised here

    def advance(self, written: int) -> None:
        """Say that the N-Quads hold ``written`` bytes of whole lines now."""
        self._tell("advance", written)

    def skip(self, previous: Sequence[tuple[int, int]], current: Sequence[tuple[int, int]]) -> None:
        """Say which ranges of the previous and of the new dump hold the same quads."""
        self._tell("skip", list(previous), list(current))

    def _tell(self, order: str, *args: Any) -> None:
        if self._ended:
            raise StoreError("the process that builds the store has ended")
        # A process that failed has sent its error and gone: the next answer is that error.
        with suppress(OSError):
            pickle.dump((order, args), self._orders, protocol=pickle.HIGHEST_PROTOCOL)
            self._orders.flush()

    def _answer(self) -> Any:
        """Return the process's next answer, or raise its error (and end it)."""
        try:
            done, value = pickle.load(self._answers)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._close()
            raise PublishError(
                f"{self.store_dir}: cannot build the store: its process ended without a word "
                f"(exit code {self._process.returncode})"
            ) from None
        if not done:
            self._close()
            raise value
        return value

    def finish(self) -> LoadedStore:
        """Wait until the store is loaded and closed; return it (raise the
        :class:`~nualod.errors.NualodError` that stopped it)."""
        if self.store_dir is None:
            self.abandon()
            raise StoreError("no store was begun")
        self._tell("finish")
        path, temporary, note = self._answer()
        self._close()
        return LoadedStore(path, temporary, note)

    def stop(self) -> None:
        """End the loading process now, from any thread: a :meth:`finish` waiting in another
        thread raises at once, instead of after the load."""
        if self._process.poll() is None:
            with suppress(OSError):
                self._process.terminate()

    def abandon(self) -> None:
        """End the loading process at once; its store goes with the run's staging folder."""
        self.stop()
        self._close()

    def _close(self) -> None:
        self._ended = True
        with suppress(OSError):
            self._orders.close()
        self._process.wait()
        self._answers.close()


#: What the loading process of a :class:`ProcessLoad` runs, once its ``sys.path`` is set.
_LOADING_PROCESS: Final = "from nualod.write.store import follow_orders; follow_orders()\n"


def follow_orders(orders: BinaryIO | None = None, answers: BinaryIO | None = None) -> None:
    """Build the store a :class:`ProcessLoad` orders (pickled on ``orders``, standard input
    by default), and answer on ``answers`` (standard output, which is then the error stream
    for anything else): once the store is open (``(True, None)``), and once it is loaded and
    closed (``(True, (path, temporary, note))``, the note saying why a store was built anew,
    if it was); or with the error that stopped it
    (``(False, error)``, a :class:`~nualod.errors.NualodError`), and end."""
    if orders is None or answers is None:
        orders = sys.stdin.buffer
        answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    loader: StoreLoad | None = None
    store_dir: Path | None = None
    answer: tuple[bool, Any]
    try:
        while True:
            try:
                order, args = pickle.load(orders)
            except EOFError:  # the run is gone; its staging folder with it
                return
            if order in ("new", "delta"):
                store_dir = args[-1]
                loader, said = (BackgroundLoad(*args), None) if order == "new" else _delta(*args)
                _send(answers, (True, said))
            elif loader is None:
                raise StoreError(f"{order!r} before the store was begun")
            elif order == "advance":
                loader.advance(*args)
            elif order == "skip":
                if isinstance(loader, DeltaLoad):
                    loader.skip(*args)
            elif order == "finish":
                staged = loader.finish()
                staged.store = None  # closed before the run moves its folder
                note = loader.note if isinstance(loader, DeltaLoad) else None
                answer = (True, (staged.path, staged.temporary, note))
                break
            else:
                raise StoreError(f"no such order: {order!r}")
    except BaseException as error:  # every error goes back to the run, in its words
        if loader is not None:
            loader.abandon()
        if not isinstance(error, NualodError):
            error = PublishError(f"{store_dir}: cannot build the store: {error}")
        answer = (False, portable_error(error.with_traceback(None)))
    _send(answers, answer)
    answers.close()


def _delta(
    previous_store: Path, previous_nquads: Path, nquads: Path, store_dir: Path
) -> tuple[StoreLoad, str | None]:
    """Return the load of a store that follows the previous release's (:class:`DeltaLoad`),
    and None; or, when the previous release's store cannot be opened (damaged), a new
    store's (:class:`BackgroundLoad`, what a first release builds) and a note that says
    so: the store of an earlier release need not stop this one."""
    try:
        return DeltaLoad(previous_store, previous_nquads, nquads, store_dir), None
    except PublishError:
        try:
            previous = Store.read_only(str(previous_store))
        except (OSError, RuntimeError) as damaged:  # the previous store's fault, in its words
            note = built_anew(previous_store, str(damaged))
            return BackgroundLoad(nquads, store_dir), note
        del previous  # it opens: the fault is elsewhere (the disk), and the run's to report
        raise


def built_anew(previous_store: Path, damage: str) -> str:
    """Return the note that says a release's store was built from its N-Quads because the
    previous one is damaged (``damage``, RocksDB's words)."""
    return (
        f"{previous_store}: {damage.rstrip('. ')}; this release's store was built from its N-Quads"
    )


def _send(answers: BinaryIO, answer: tuple[bool, Any]) -> None:
    with suppress(OSError):  # the run is gone
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


def build_store(nquads: Path, store_dir: Path) -> Path:
    """Bulk load an N-Quads dump into a new on-disk store at ``store_dir`` (replacing it)."""
    return StagedStore(nquads, store_dir).commit()


def open_store(store_dir: Path) -> Store:
    """Open a published store read-only (other readers, and a server, may share it)."""
    if not (store_dir / "CURRENT").is_file():
        if not store_dir.parent.is_dir():  # a mistyped folder, not one never published into
            raise StoreError(f"{store_dir.parent}: no such folder")
        raise StoreError(f"{store_dir}: not a nualod store (publish into its folder first)")
    try:
        return Store.read_only(str(store_dir))
    except OSError as error:
        raise StoreError(f"{store_dir}: cannot open the store: {error}") from None


def store_dir_of(path: Path) -> Path:
    """Return the store folder of a publish folder, or ``path`` itself if it is a store."""
    return path if (path / "CURRENT").is_file() else path / STORE_NAME
