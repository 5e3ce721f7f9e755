"""Write files and folders atomically: under a temporary name, renamed into place on success.

This is the one place nualod writes a file that someone may read while it is written: the
dumps and release files of ``publish``, the pages and sidecars of ``harvest``, the store
folder. A failed or interrupted run never leaves a half-written file under a final name.

``durable=True`` also flushes the file to disk before the rename (``fsync``), so that a
power loss cannot leave an empty file under the final name. Small files whose loss would
be silent (harvested pages and their sidecars) are written durably; the dumps are not,
because an fsync of gigabytes of output costs more than the whole run does today, and a
lost dump is rebuilt from the same inputs byte for byte.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Self

from nualod.errors import PublishError

#: Every temporary name nualod makes starts with a dot and ends with this suffix.
PART_SUFFIX = ".part"


def process_umask() -> int:
    """Return the process umask (mkstemp makes files 0600; published files follow the umask).

    Read from ``/proc/self/status`` where Linux tells it: finding it with ``umask(2)`` means
    setting it to 0 for a moment, and a file another thread creates then (the store's
    loader runs beside the dumps) would be writable by everyone, whatever the user's umask.
    """
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # elsewhere: at least never two of ours at once
        mask = os.umask(0o077)  # private, not open, for the moment it is set
        os.umask(mask)
    return mask


_UMASK_LOCK: Final = threading.Lock()


def temporary_name(path: Path) -> str:
    """Return the prefix of temporary names for ``path``: hidden, beside it.

    >>> temporary_name(Path("out/nualod.ttl"))
    '.nualod.ttl.'
    """
    return f".{path.name}."


class Staged:
    """Something written under a temporary name: :meth:`commit` puts it in place, or
    :meth:`discard` removes it. As a context manager, it commits only when the block succeeds.
    """

    path: Path

    def commit(self) -> Path:
        """Move the finished thing to its final name."""
        raise NotImplementedError

    def discard(self) -> None:
        """Delete the unfinished thing."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


class AtomicFile(Staged):
    """A file written under a temporary name beside its final one (:attr:`stream`).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with AtomicFile(folder / "a.txt") as file:
    ...     _ = file.stream.write("done")
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['a.txt'])
    """

    def __init__(self, path: Path, *, binary: bool = False, durable: bool = False) -> None:
        self.path = path
        self.durable = durable
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=temporary_name(path), suffix=PART_SUFFIX, dir=path.parent
            )
        except OSError as error:
            raise PublishError(f"{path}: cannot write: {error.strerror or error}") from None
        self.temporary = Path(temporary)
        self.stream: IO[Any] = (
            os.fdopen(handle, "wb")
            if binary
            else os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        )

    def commit(self) -> Path:
        """Close the temporary file and move it to its final name."""
        if self.durable:
            self.stream.flush()
            os.fsync(self.stream.fileno())
        self.stream.close()
        self.temporary.chmod(0o666 & ~process_umask())
        self.temporary.replace(self.path)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary file."""
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` through an :class:`AtomicFile`; durable by default.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "b.bin"
    >>> write_atomic(target, b"x").read_bytes()
    b'x'
    """
    with AtomicFile(path, binary=True, durable=durable) as file:
        file.stream.write(data)
    return path


class AtomicFolder(Staged):
    """A folder built under a temporary name (:attr:`temporary`), swapped in on commit.

    An older folder of the same name is moved aside first and deleted after the swap.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.temporary = Path(
                tempfile.mkdtemp(prefix=temporary_name(path), suffix=PART_SUFFIX, dir=path.parent)
            )
        except OSError as error:
            raise PublishError(f"{path}: cannot write: {error.strerror or error}") from None

    def commit(self) -> Path:
        """Move the folder to its final name, replacing an older one."""
        old = swap_folder(self.temporary, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.path

    def discard(self) -> None:
        """Delete the temporary folder."""
        shutil.rmtree(self.temporary, ignore_errors=True)


#: ``renameat2``'s flag that swaps two names in one step (Linux 3.15, glibc 2.28).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing names in one step, so that no reader finds neither; return whether
    the system could (Linux, on a file system that supports it), ``False`` otherwise."""
    import ctypes  # only here: ``import nualod`` stays cheap

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM}:
        return False  # not supported here: the caller renames in two steps
    raise OSError(code, os.strerror(code), str(second))


def swap_folder(new: Path, final: Path) -> Path | None:
    """Put folder ``new`` in place of ``final``; return where the older ``final`` now is
    (for the caller to delete when it suits it), or ``None`` if there was none.

    Where the system can swap two names in one step (:func:`exchange`), a reader of
    ``final`` finds the old folder or the new one, never neither; elsewhere the old one is
    renamed aside first, and for that moment ``final`` is missing.
    """
    if not final.exists():
        new.replace(final)
        return None
    if exchange(new, final):
        return new
    aside = Path(tempfile.mkdtemp(prefix=temporary_name(final), suffix=".old", dir=final.parent))
    final.replace(aside / final.name)
    new.replace(final)
    return aside


def temporary_file(folder: Path, prefix: str) -> tuple[IO[bytes], Path]:
    """Return an open temporary file in ``folder`` and its path, whose target is not yet known.

    Move it onto its target with :func:`replace_file` once it is complete (and flushed to
    disk if it must survive a power loss), or delete it.
    """
    handle, name = tempfile.mkstemp(prefix=prefix, dir=folder)
    return os.fdopen(handle, "wb"), Path(name)


def replace_file(temporary: Path, target: Path) -> None:
    """Move a finished temporary file onto its target in one step, readable as the umask
    allows (a web server serving a harvest folder reads its pages)."""
    temporary.chmod(0o666 & ~process_umask())
    temporary.replace(target)
