"""One writer at a time in a folder: an exclusive ``flock`` on a file in it.

``publish`` holds one on ``OUT/.nualod.lock`` from its first write to its commit, ``nualod
site`` one on ``DIR/.site.lock`` while it builds. A second writer is refused with one line
naming the process that holds the lock. Holding it, a writer knows that every temporary of
its kind in the folder was left by one that died, and removes it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Self

from nualod.errors import NualodError


class FolderLock:
    """The exclusive lock of one folder, held while one process writes it.

    When another process holds it, :meth:`acquire` raises ``error`` with ``busy`` (which
    names the holder's ``{pid}``); when the folder cannot be written, with the reason. The
    lock file is deleted on release, while still locked; a writer that opened the old file
    before that finds, once it holds the lock, that its file is no longer the one at the
    path, and opens the new one.
    """

    def __init__(self, folder: Path, name: str, error: type[NualodError], busy: str) -> None:
        self.folder = folder
        self.path = folder / name
        self._error = error
        self._busy = busy
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise the error given (see the class)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or error
            raise self._error(f"{self.folder}: cannot write: {reason}") from None
        while True:
            try:
                file = self.path.open("a+", encoding="utf-8")
            except OSError as error:  # a folder that exists but cannot be written
                reason = error.strerror or error
                raise self._error(f"{self.folder}: cannot write: {reason}") from None
            try:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.seek(0)
                holder = file.read().strip() or "unknown"
                file.close()
                busy = self._busy.format(pid=holder)
                raise self._error(
                    f"{self.folder}: {busy}; run again when it has finished"
                ) from None
            try:
                same = self.path.stat().st_ino == os.fstat(file.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            file.close()
        file.seek(0)
        file.truncate()
        file.write(f"{os.getpid()}\n")
        file.flush()
        self._file = file

    def release(self) -> None:
        """Delete the lock file and let go of the lock."""
        if self._file is not None:
            self.path.unlink(missing_ok=True)
            self._file.close()
            self._file = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
