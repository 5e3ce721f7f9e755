"""The one exception tree of nualod.

The library raises these; only the command line turns them into messages and exit codes
(0 ok, 1 data does not conform, 2 bad input or usage).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import Final

#: Writes the disk or a limit refused: their code (``ENOSPC``) is worth showing.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS})


def cannot_write(error: OSError, where: object, left: object) -> str:
    """Return the one line of a write that failed: the file (else ``where``), why, and that
    ``left`` was left as it was.

    >>> cannot_write(OSError(errno.ENOSPC, "No space left on device"), "out/site", "out")
    'out/site: cannot write: No space left on device (ENOSPC); out was left as it was'
    """
    reason = error.strerror or str(error)
    if error.errno in _WRITE_ERRNOS:
        reason += f" ({errno.errorcode[error.errno]})"
    return f"{error.filename or where}: cannot write: {reason}; {left} was left as it was"


#: What a terminal takes as a command: C0 controls but the line break and the tab, DEL, C1.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class NotUTF8Error(ValueError):
    """Bytes that are not UTF-8 text; its message says which byte, and where (``offset``)."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


def utf8_text(data: bytes) -> str:
    r"""Return a file's bytes as UTF-8 text, a byte-order mark left out; raise
    :class:`NotUTF8Error` naming the first bad byte by its offset in the file.

    >>> utf8_text(codecs.BOM_UTF8 + "Ringkasan".encode())
    'Ringkasan'
    >>> utf8_text(codecs.BOM_UTF8 + b"http://a.example/\xe9")
    Traceback (most recent call last):
    nualod.errors.NotUTF8Error: not UTF-8 text (byte 0xe9 at offset 20)
    """
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[mark:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = mark + error.start
        raise NotUTF8Error(f"not UTF-8 text (byte 0x{data[at]:02x} at offset {at})", at) from None


def shown_message(text: str) -> str:
    r"""Return a message with the characters a terminal would run escaped (``\x1b``).

    Messages carry what others wrote: a server's reason phrase or error body, a URL, a file
    name. Shown as they are, ``ESC [2J`` would clear the screen and ``ESC ]0;`` set the title.

    >>> print(shown_message("HTTP 404 Not Found\x1b[2J\x1b]0;x\x07\rdone"))
    HTTP 404 Not Found\x1b[2J\x1b]0;x\x07\x0ddone
    """
    return _TERMINAL_CONTROL.sub(lambda found: f"\\x{ord(found.group(0)):02x}", text)


def shown_line(text: str) -> str:
    r"""Return :func:`shown_message` of a message that must stay one line (a ``rejected:`` or
    ``note:`` line): a line break in it (a file name may hold one) is escaped too, so that it
    cannot end the line and begin one that looks like another rejection.

    >>> print(shown_line("pages/bad\nrejected: fake.txt: x"))
    pages/bad\x0arejected: fake.txt: x
    """
    return shown_message(text).replace("\n", "\\x0a")


#: Where a message names a keyword argument of the library (:func:`option`).
_OPTION: Final = re.compile("\x1f([A-Za-z_.]+)(?:\x1e([^\x1f]*))?\x1f")


def option(keyword: str, value: object = None) -> str:
    """Return how a message names the library's keyword argument ``keyword``, with the
    ``value`` given to it if any: a caller of the library reads ``keyword`` or
    ``keyword='value'``, a user of the command line its option (``version`` is ``--release``
    there: :meth:`NualodError.command_line`), followed by the value.

    >>> error = UsageError(f"{option('version')}: a version is 1 to 64 letters")
    >>> str(error), error.command_line({"version": "--release"})
    ('version: a version is 1 to 64 letters', '--release: a version is 1 to 64 letters')
    >>> error = UsageError(f"{option('previous', '/x')}: no such folder")
    >>> str(error), error.command_line({"previous": "--previous"})
    ("previous='/x': no such folder", '--previous /x: no such folder')
    """
    if value is None:
        return f"\x1f{keyword}\x1f"
    return f"\x1f{keyword}\x1e{str(value).replace(chr(0x1F), '')}\x1f"


def library_text(text: str) -> str:
    """Return a text that may name options (:func:`option`) as the library says it."""
    return _OPTION.sub(
        lambda found: found[1] if found[2] is None else f"{found[1]}={found[2]!r}", text
    )


def command_line_text(text: str, options: dict[str, str]) -> str:
    """Return a text that may name options (:func:`option`) as the command line says it:
    each keyword as the option in ``options`` (the keyword itself where it has none)."""

    def said(found: re.Match[str]) -> str:
        named = options.get(found[1], found[1])
        return named if found[2] is None else f"{named} {found[2]}"

    return _OPTION.sub(said, text)


class NualodError(Exception):
    """Base of every error nualod raises on purpose.

    Its message names the library's keyword arguments (``version``); the command line shows
    the options that set them (``--release``) with :meth:`command_line`.
    """

    def __init__(self, *args: object) -> None:
        # The marks stay out of the exception's arguments (its repr, a log's "%r", pickling).
        marked = args[0] if args and isinstance(args[0], str) else None
        super().__init__(*(library_text(a) if isinstance(a, str) else a for a in args))
        self._marked = marked

    def marked_text(self) -> str:
        """Return the message with the options it names marked (:func:`option`), to raise
        again in another error that keeps them."""
        marked = getattr(self, "_marked", None)
        return str(self) if marked is None else marked

    def command_line(self, options: dict[str, str]) -> str:
        """Return the message as the command line shows it, naming its ``options``."""
        return command_line_text(self.marked_text(), options)


class InputError(NualodError):
    """An input (file, URL, table row) cannot be turned into a practice.

    ``where`` names the file, URL or table row; ``field`` the part of the record at fault,
    when one part is; ``reason`` says what is wrong in plain words.
    """

    def __init__(self, where: str, reason: str, *, field: str | None = None) -> None:
        self.where = where
        self.reason = reason
        self.field = field
        super().__init__(self.message)

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its parts, not from its message alone (what BaseException passes
        # back): an error raised in a worker process reaches the parent whole.
        return (partial(type(self), field=self.field), (self.where, self.reason), self.__dict__)

    @property
    def message(self) -> str:
        """Return the one-line message shown to people."""
        if self.field:
            return f"{self.where}: {self.field}: {self.reason}"
        return f"{self.where}: {self.reason}"


class ReadError(InputError):
    """A page or table row cannot be read as a good practice."""


class LinkError(InputError):
    """A name on a page cannot be resolved to one identifier (unknown or ambiguous)."""


class HarvestError(InputError):
    """A URL cannot be fetched or saved."""


class DuplicateError(InputError):
    """The same practice (same IRI) was already read from another input."""


class RDFSyntaxError(InputError):
    """A file given as RDF does not parse."""


class ShapesError(NualodError):
    """The SHACL shapes cannot be loaded or are themselves invalid."""


class PublishError(NualodError):
    """The output cannot be written."""


class QueryError(NualodError):
    """A SPARQL query is malformed or cannot be run."""


class StoreError(NualodError):
    """A SPARQL store or endpoint refused or failed an operation."""


class SiteError(NualodError):
    """A published folder the website cannot be built from; the message names the file."""


class UnsupportedShapesError(NualodError):
    """The shapes use something the fast SHACL engine does not compile; use pyshacl."""


class UsageError(NualodError):
    """An option or argument has a value nualod cannot use (a base IRI, a date, a URL)."""


class RejectedInputsError(PublishError):
    """A run that wrote nothing because of its rejected inputs; ``rejections`` says why,
    one line each (the command line prints them all, not only the first)."""

    def __init__(self, message: str, rejections: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.rejections = rejections


class NothingPublishedError(RejectedInputsError):
    """Every input was rejected (or none named a page), so nothing was written."""


class StrictRejectionError(RejectedInputsError):
    """An input was rejected under ``strict``, so nothing was written."""


class Terminated(BaseException):
    """SIGTERM arrived during a run: raised like KeyboardInterrupt, so the run cleans up.

    Its message, when it has one, says what the run left in place (a site stopped after
    the new one was swapped in); without one, the run's folder was left as it was.
    """


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Make SIGTERM raise :class:`Terminated` in the main thread for the duration.

    A publish or a site build stopped by SIGTERM then removes its temporaries and keeps
    what was there, as one stopped by Ctrl-C does. Their worker processes leave both to
    them (:func:`worker_signals`): their pool stops them.
    """
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        # Only what it set goes back: a command that set its own (serve ignores the stops
        # that follow the first) keeps it until the process ends.
        if signal.getsignal(signal.SIGTERM) is _raise_terminated:
            signal.signal(signal.SIGTERM, previous)


@contextmanager
def stops_deferred() -> Iterator[None]:
    """Hold SIGTERM and SIGINT until the block is done, then act on the first that came.

    For a step that must not be cut in two: a folder made and its name known (so a message
    can name what a run leaves), a release made current and that fact recorded.
    """
    # Held by a handler of our own, not a signal mask: a mask is the calling thread's, and
    # the kernel gives a process's signal to any thread that does not block it.
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers, and a stop is the program's to handle.
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = {number: signal.signal(number, hold) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: set outside Python; the default then, not the hold, which would swallow
            # every later stop.
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])  # acted on now by the handler the run had


#: The signals that stop a run: Ctrl-C and SIGTERM.
STOP_SIGNALS: Final = frozenset({signal.SIGINT, signal.SIGTERM})


def worker_signals() -> None:
    """Set up a worker process's signals: its parent stops it, whatever the parent made of
    SIGTERM and SIGINT for itself.

    A terminal's Ctrl-C reaches a whole process group, the workers with their parent. It is
    the parent's to act on: a worker ignores it (each printed its own ``KeyboardInterrupt``
    traceback). SIGTERM, its pool's way of stopping it, simply ends it. (Raising
    ``SystemExit`` instead, to unwind, was tried: a SIGTERM that lands just before the
    worker blocks on its queue's lock is never acted on, and the pool waits for ever.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Its pool held both back while it started (nualod.files.pool.stops_held).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    # A worker whose run was killed outright (SIGKILL, the OOM killer) ends with it,
    # quietly: it printed a BrokenPipeError traceback, or waited for ever on a lock a dead
    # sibling held. A thread of its own waits for the run's end; one that sends to the dead
    # run first ends there (SIGPIPE). (Not the kernel's signal on a parent's death: that
    # comes when the parent's thread that forked it ends, the pool's own thread for a
    # worker it replaced, which the pool still needs.)
    # Imported here, in workers only: `import nualod` stays light.
    import multiprocessing
    import threading

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(
            target=_end_with_parent, args=(parent.sentinel,), name="nualod-parent", daemon=True
        ).start()


def _end_with_parent(sentinel: int) -> None:
    """Wait until the parent process has ended (its end of the pipe closes), then end."""
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)


def network_reason(exc: BaseException) -> str:
    """Return the innermost readable message of a requests/urllib3 error chain (harvest,
    push): what the system said (``Connection refused``), or the deepest message that is no
    object's repr.

    >>> import zlib
    >>> network_reason(ConnectionError("TrackedHTTP(host='h', port=9): Failed to establish a new "
    ...     "connection", ConnectionRefusedError(111, "Connection refused")))
    'Connection refused'
    >>> network_reason(ValueError("Received response with content-encoding: gzip, but failed to "
    ...     "decode it.", zlib.error("Error -3 while decompressing data: incorrect header check")))
    'Error -3 while decompressing data: incorrect header check'
    """
    chain: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending and len(chain) < 20:
        current = pending.pop(0)
        chain.append(current)
        reason = getattr(current, "reason", None)
        nested = [a for a in current.args if isinstance(a, BaseException)]
        if isinstance(reason, BaseException):
            nested.append(reason)
        for inner in (*nested, current.__cause__, current.__context__):
            if inner is not None and inner not in chain:
                pending.append(inner)
    for found in reversed(chain):
        if isinstance(found, OSError) and found.strerror:
            return found.strerror
    for found in reversed(chain):
        text = next((a for a in found.args if isinstance(a, str)), "")
        if text and "(" not in text.split(":", 1)[0]:
            return text
    return str(exc)
