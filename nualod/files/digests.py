"""Files' sizes and SHA-256, measured by a process beside this one as the files are written.

A release lists every file with its SHA-256: gigabytes of dumps, hashed at about 1 GB/s
(one core of this machine), which the catalog waits for once the dumps are closed. A
:class:`DigestProcess` hashes them while they are written instead, at the lowest priority
(``nice`` 19), so that it takes only the CPU the run leaves idle, whatever it is: a run
says how far each file is written (:meth:`DigestProcess.advance`) and the process hashes
up to there; once a file is finished (:meth:`DigestProcess.finish`) it hashes to its end.
A process started for finished files only (``beside=False``) keeps the run's priority:
the run waits for it, and at the lowest priority it would wait behind the run's last work.
A thread could not do this: the run's Python work keeps the GIL, and a low-priority thread
that holds it would stall the run.

The process is started from scratch, not forked (see :class:`~nualod.write.store.ProcessLoad`),
and ends with the run: its orders come on its standard input, its one answer (every file's
size and digest, or the error of the file it could not read) on its standard output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import select
import sys
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import IO, Any, Final, NamedTuple

from nualod.errors import PublishError
from nualod.files.programs import start_program

#: How much of a file is read and hashed before the process looks for new orders.
CHUNK: Final = 1 << 22

#: What the process runs, once its ``sys.path`` is set (``{beside}``: at the lowest priority).
_DIGEST_PROCESS: Final = (
    "from nualod.files.digests import follow_orders; follow_orders(beside={beside})\n"
)


class Digest(NamedTuple):
    """A file's byte size and SHA-256 (hexadecimal)."""

    byte_size: int
    sha256: str


class DigestProcess:
    """A process that measures files as they are written; see the module's docstring.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "f"
    ...     _ = path.write_bytes(b"abc")
    ...     digests = DigestProcess()
    ...     digests.follow({"f": path})
    ...     digests.advance({"f": 3})
    ...     with path.open("ab") as stream:
    ...         _ = stream.write(b"def")
    ...     digests.finish()
    ...     digests.result()["f"] == Digest(6, hashlib.sha256(b"abcdef").hexdigest())
    True
    """

    def __init__(self, *, beside: bool = True) -> None:
        self._process = start_program(_DIGEST_PROCESS.format(beside=beside), "measures files")
        assert self._process.stdin is not None and self._process.stdout is not None
        self._orders: IO[bytes] = self._process.stdin
        self._answers: IO[bytes] = self._process.stdout
        # Sizes are told without waiting: a process that gets no CPU for a while (beside a
        # run it runs at the lowest priority) must not hold the run up once its pipe is full. What
        # could not be told yet is told with the next order, the latest size of each file.
        os.set_blocking(self._orders.fileno(), False)
        self._untold: dict[str, int] = {}
        self._result: dict[str, Digest] | PublishError | None = None

    def follow(self, files: Mapping[str, Path], *, finished: bool = False) -> None:
        """Measure ``files`` (by name): being written, so far as :meth:`advance` says, or
        ``finished`` already."""
        self._tell("follow", {name: str(path) for name, path in files.items()}, finished)

    def advance(self, written: Mapping[str, int]) -> None:
        """Say how many bytes of each file (by name) are written and flushed for good; never
        waits for the process."""
        self._untold.update(written)
        self._tell_sizes(wait=False)

    def finish(self, names: Iterable[str] | None = None) -> None:
        """Say that files (all of them, by default) are finished: measure them to their end."""
        self._tell("finish", None if names is None else list(names))

    def result(self) -> dict[str, Digest]:
        """Wait until every file is measured (each must be finished); return them by name,
        or raise the :class:`PublishError` of a file that could not be read."""
        if self._result is None:
            self._result = self._answer()
        if isinstance(self._result, PublishError):
            raise self._result
        return self._result

    def _answer(self) -> dict[str, Digest] | PublishError:
        self._tell("result")
        try:
            done, value = pickle.load(self._answers)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self._close()
            return PublishError(
                "the process that measures files ended without a word "
                f"(exit code {self._process.returncode})"
            )
        self._close()
        if not done:
            return PublishError(str(value))
        return {name: Digest(*digest) for name, digest in value.items()}

    def stop(self) -> None:
        """End the process at once (the run is abandoned)."""
        if self._process.poll() is None:
            with suppress(OSError):
                self._process.kill()
        self._close()
        if self._result is None:
            self._result = PublishError("the measuring of files was stopped")

    def _tell(self, order: str, *args: Any) -> None:
        """Send an order, waiting for the pipe if need be (sizes not told yet go first)."""
        self._tell_sizes(wait=True)
        self._send(_frame((order, args)), wait=True)

    def _tell_sizes(self, *, wait: bool) -> None:
        if self._untold and self._send(_frame(("advance", (self._untold,))), wait=wait):
            self._untold = {}

    def _send(self, frame: bytes, *, wait: bool) -> bool:
        """Write a whole frame; return False if the pipe is full and ``wait`` is not set
        (nothing is written then: a frame of sizes is smaller than the pipe's atomic size)."""
        fd = self._orders.fileno() if not self._orders.closed else -1
        if fd < 0:
            return True  # closed: result() says what became of the process
        # A process that failed has sent its error and gone: result() gives it.
        with suppress(OSError):
            if not wait:
                if len(frame) > select.PIPE_BUF:
                    return False
                try:
                    os.write(fd, frame)
                except BlockingIOError:
                    return False
                return True
            os.set_blocking(fd, True)
            try:
                view = memoryview(frame)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.set_blocking(fd, False)
        return True

    def _close(self) -> None:
        with suppress(OSError):
            self._orders.close()
        self._process.wait()
        self._answers.close()


def _frame(order: tuple[str, Any]) -> bytes:
    message = pickle.dumps(order, protocol=pickle.HIGHEST_PROTOCOL)
    return len(message).to_bytes(4, "big") + message


class _Followed:
    """A file the process measures: how far it is read and may be read."""

    def __init__(self, path: str, finished: bool) -> None:
        self.path = path
        self.digest = hashlib.sha256()
        self.read = 0
        self.written = 0
        self.finished = finished
        self.stream: IO[bytes] | None = None

    def pending(self) -> bool:
        return self.finished or self.written > self.read

    def step(self) -> bool:
        """Read and hash one chunk; return whether the file is measured to its end."""
        if self.stream is None:
            self.stream = open(self.path, "rb")  # noqa: PTH123, SIM115 (closed in close())
        want = CHUNK if self.finished else min(CHUNK, self.written - self.read)
        chunk = self.stream.read(want)
        if not chunk and self.read < self.written:
            raise OSError(f"it holds {self.read} bytes, not the {self.written} written")
        self.digest.update(chunk)
        self.read += len(chunk)
        return self.finished and not chunk

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None


def follow_orders(*, beside: bool = True) -> None:
    """Measure the files a :class:`DigestProcess` orders (pickled on standard input) and
    answer once, on standard output, when told to: ``(True, {name: (size, sha256)})``, or
    ``(False, message)`` for a file that could not be read; ``beside`` a run that goes on
    meanwhile, at the lowest priority."""
    if beside:
        with suppress(OSError):
            os.nice(19)  # only the CPU the run leaves idle
    orders = _Orders(sys.stdin.buffer.fileno())
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    files: dict[str, _Followed] = {}
    done: dict[str, tuple[int, str]] = {}
    wanted = False
    turn = 0
    try:
        while True:
            # The files being written, as far as they are; and one finished file at a
            # time (a release's feed has thousands of pages: they are not all kept open).
            busy = [name for name, file in files.items() if not file.finished and file.pending()]
            busy += next(([name] for name, file in files.items() if file.finished), [])
            if wanted and not busy:
                unfinished = sorted(files)
                if unfinished:
                    raise OSError(f"{', '.join(unfinished)}: not finished")
                _send(answers, (True, done))
                return
            for order, args in orders.take(wait=not busy):
                if order == "follow":
                    named, finished = args
                    files.update((name, _Followed(path, finished)) for name, path in named.items())
                elif order == "advance":
                    for name, size in args[0].items():
                        files[name].written = max(files[name].written, size)
                elif order == "finish":
                    for name in args[0] if args[0] is not None else list(files):
                        files[name].finished = True
                elif order == "result":
                    wanted = True
            if not busy:
                continue
            # One chunk, then the orders again: they are never left waiting long.
            name = busy[turn % len(busy)]
            turn += 1
            file = files[name]
            try:
                ended = file.step()
            except OSError as error:
                _send(answers, (False, f"{file.path}: cannot read: {error.strerror or error}"))
                return
            if ended:
                file.close()
                done[name] = (file.read, file.digest.hexdigest())
                del files[name]
    except EOFError:  # the run is gone
        return
    except OSError as error:
        _send(answers, (False, str(error)))


class _Orders:
    """The orders on a pipe, each its length (4 bytes) and its pickle, read without
    blocking unless told to wait."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""

    def take(self, *, wait: bool) -> list[tuple[str, Any]]:
        """Return the orders that came (at least one if ``wait``); raise :class:`EOFError`
        when the pipe is closed with no order left."""
        taken: list[tuple[str, Any]] = []
        while True:
            if not (wait and not taken) and not _more(self._fd):
                return taken
            data = os.read(self._fd, 1 << 16)
            if not data:
                if taken:
                    return taken
                raise EOFError
            self._buffer += data
            while len(self._buffer) >= 4:
                length = int.from_bytes(self._buffer[:4], "big")
                if len(self._buffer) < 4 + length:
                    break
                taken.append(pickle.loads(self._buffer[4 : 4 + length]))
                self._buffer = self._buffer[4 + length :]


def _more(fd: int) -> bool:
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)


def _send(answers: IO[bytes], answer: tuple[bool, Any]) -> None:
    with suppress(OSError):
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()
