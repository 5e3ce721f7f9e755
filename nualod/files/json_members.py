"""Read a JSON object's members from a file a few MB at a time, its large arrays an element
at a time.

A release of a million practices has a ``changelog.json`` of a million entries: ``json.load``
makes a million dictionaries at once, hundreds of MB, to read what a page of a hundred
needs. :func:`object_members` gives the same values, in the file's order, holding one
element of a streamed array at a time (and the chunk of text it is in).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Final, TextIO

#: How much of the file is read at a time.
CHUNK: Final = 1 << 20

_DECODER: Final = json.JSONDecoder()
_NUMBER_TAIL: Final = re.compile(r"[0-9.eE+-]*\Z")
_NOT_WHITESPACE: Final = re.compile(r"[^ \t\n\r]")


def object_members(
    path: Path, streamed: Collection[str] = (), *, chunk: int = CHUNK
) -> Iterator[tuple[str, Any]]:
    """Yield the members of the JSON object in ``path`` as ``(name, value)``, in the file's
    order; a member named in ``streamed`` whose value is an array is yielded an element at a
    time, as ``(name, element)`` (none for an empty array).

    Raises :class:`ValueError` (``json.JSONDecodeError``) where the file is not one JSON
    object, after yielding the members before the fault; ``OSError`` if it cannot be read.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "log.json"
    ...     _ = path.write_text('{"to": "2", "added": [{"iri": "a"}, {"iri": "b"}], "n": [1]}')
    ...     list(object_members(path, {"added"}, chunk=4))
    [('to', '2'), ('added', {'iri': 'a'}), ('added', {'iri': 'b'}), ('n', [1])]
    """
    with path.open(encoding="utf-8") as stream:
        yield from _Reader(stream, chunk).members(frozenset(streamed))


class _Reader:
    """The text of a stream, read a chunk at a time, and the position reached in it."""

    def __init__(self, stream: TextIO, chunk: int) -> None:
        self._stream = stream
        self._chunk = chunk
        self._text = ""
        self._at = 0
        self._ended = False

    def members(self, streamed: frozenset[str]) -> Iterator[tuple[str, Any]]:
        self._expect("{")
        if self._next() == "}":
            self._at += 1
        else:
            while True:
                name = self._value()
                if not isinstance(name, str):
                    self._fail("a member's name must be a string")
                self._expect(":")
                if name in streamed and self._next() == "[":
                    self._at += 1
                    for element in self._elements():
                        yield name, element
                else:
                    yield name, self._value()
                if self._next() == ",":
                    self._at += 1
                    continue
                self._expect("}")
                break
        if self._next():
            self._fail("extra data after the object")

    def _elements(self) -> Iterator[Any]:
        if self._next() == "]":
            self._at += 1
            return
        while True:
            yield self._value()
            if self._next() == ",":
                self._at += 1
                continue
            self._expect("]")
            return

    def _more(self) -> bool:
        """Read the next chunk after what is left of the text; False at the end."""
        if self._ended:
            return False
        data = self._stream.read(self._chunk)
        if not data:
            self._ended = True
            return False
        self._text = self._text[self._at :] + data
        self._at = 0
        return True

    def _next(self) -> str:
        """Skip whitespace; return the next character ("" at the end of the file)."""
        while True:
            found = _NOT_WHITESPACE.search(self._text, self._at)
            if found is not None:
                self._at = found.start()
                return self._text[self._at]
            self._at = len(self._text)
            if not self._more():
                return ""

    def _expect(self, character: str) -> None:
        if self._next() != character:
            self._fail(f"expected {character!r}")
        self._at += 1

    def _value(self) -> Any:
        self._next()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError:
                # Cut by the chunk's end, or wrong: more text tells which.
                if self._more():
                    continue
                raise
            # A number the text's end cuts may go on in the next chunk ("0." reads as 0).
            if (
                type(value) in (int, float)
                and _NUMBER_TAIL.match(self._text, end) is not None
                and self._more()
            ):
                continue
            self._at = end
            return value

    def _fail(self, message: str) -> None:
        raise json.JSONDecodeError(message, self._text, self._at)
