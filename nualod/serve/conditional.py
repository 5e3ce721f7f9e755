"""Validators, conditional requests and byte ranges of the files ``nualod serve`` sends.

RFC 9110 §8.8, §13 and §14, for static files:

- every file has a strong ``ETag`` made from what :func:`os.stat` tells of it (inode, size
  and modification time in nanoseconds: nothing is read, so a dump of gigabytes costs the
  same as a page) and a ``Last-Modified`` date (:func:`validators_of`). A file replaced or
  rewritten gets another ETag; each representation of a resource is a file of its own, so
  each has its own ETag;
- :func:`precondition` evaluates ``If-Match``, ``If-Unmodified-Since``, ``If-None-Match``
  and ``If-Modified-Since`` in the order of §13.2.2: 412, 304, or the answer as usual.
  ``If-None-Match`` compares weakly and, when present, ``If-Modified-Since`` is not looked
  at; ``If-Match`` compares strongly; ``*`` matches any file; a date that is not an HTTP
  date is ignored;
- :func:`byte_range` reads ``Range``: one range of bytes (``bytes=a-b``, ``a-``, ``-n``)
  is answered 206, a range past the end 416 (:class:`UnsatisfiableRangeError`); a header with more
  than one range, another unit or a syntax error is ignored, and the whole file sent (a
  server may always do so, §14.2). :func:`if_range_holds` says whether ``If-Range`` lets
  the range apply (the ETag compared strongly, or the exact ``Last-Modified`` date).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from email.utils import formatdate, parsedate_to_datetime
from typing import Final

#: One entity tag of a list (``"x"`` or ``W/"x"``), with the comma or end after it.
_TAG: Final = re.compile(r'(?:[ \t]*,)*[ \t]*(W/)?("[\x21\x23-\x7e\x80-\xff]*")[ \t]*(?:,|$)')
_RANGE: Final = re.compile(r"[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*")
#: A position past any file (a number of more digits is read as this one).
_FAR: Final = 10**18


@dataclass(frozen=True, slots=True)
class Validators:
    """A file's strong entity tag (quotes included) and its modification time (seconds)."""

    etag: str
    modified: int

    @property
    def last_modified(self) -> str:
        """Return the modification time as an HTTP date.

        >>> Validators('"1"', 784111777).last_modified
        'Sun, 06 Nov 1994 08:49:37 GMT'
        """
        return formatdate(self.modified, usegmt=True)


def validators_of(status: os.stat_result, variant: str = "") -> Validators:
    """Return the validators of a file from its ``stat``; ``variant`` tells a representation
    made from the file (its bytes changed on the way) from the file itself.

    >>> status = os.stat_result((0o100644, 0x2A, 0, 1, 0, 0, 1000, 0, 1_700_000_000, 0))
    >>> validators_of(status)
    Validators(etag='"2a-3e8-17979cfe362a0000"', modified=1700000000)
    """
    mtime_ns: int = status.st_mtime_ns or int(status.st_mtime) * 1_000_000_000
    tag = f"{status.st_ino:x}-{status.st_size:x}-{mtime_ns:x}{variant}"
    return Validators(f'"{tag}"', mtime_ns // 1_000_000_000)


def entity_tags(values: Sequence[str]) -> list[tuple[bool, str]] | None:
    """Return the tags of ``If-Match``/``If-None-Match`` fields as ``(weak, tag)``, ``[]``
    for ``*``, or None when a field is malformed (then the condition is ignored).

    >>> entity_tags(['"a", W/"b"', '"c"'])
    [(False, '"a"'), (True, '"b"'), (False, '"c"')]
    >>> entity_tags(["*"]), entity_tags(["a"]), entity_tags(['"a" "b"'])
    ([], None, None)
    >>> entity_tags([', "a" , ,"b",'])  # empty elements of a list are allowed
    [(False, '"a"'), (False, '"b"')]
    """
    joined = ",".join(values).strip(" \t,")
    if joined == "*":
        return []
    tags: list[tuple[bool, str]] = []
    at = 0
    while at < len(joined):
        found = _TAG.match(joined, at)
        if found is None or found.end() == at:
            return None
        tags.append((found.group(1) is not None, found.group(2)))
        at = found.end()
    return tags or None


def _http_date(values: Sequence[str]) -> int | None:
    """Return the time of one HTTP date, or None (absent, several, or not a date). The two
    obsolete forms are read too (RFC 9110 §5.6.7); a date without a zone is GMT.

    >>> _http_date(["Sun, 06 Nov 1994 08:49:37 GMT"]), _http_date(["yesterday"])
    (784111777, None)
    >>> _http_date(["Sunday, 06-Nov-94 08:49:37 GMT"]), _http_date(["Sun Nov  6 08:49:37 1994"])
    (784111777, 784111777)
    """
    if len(values) != 1:
        return None
    try:
        parsed = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def precondition(
    if_match: Sequence[str],
    if_unmodified_since: Sequence[str],
    if_none_match: Sequence[str],
    if_modified_since: Sequence[str],
    validators: Validators,
) -> int | None:
    """Return 412 or 304 when a condition of a GET or HEAD of a file says so, else None.

    Each argument is the list of values of that field in the request.

    >>> v = Validators('"x"', 784111777)
    >>> precondition([], [], ['W/"x"'], [], v), precondition([], [], ['"y"'], [], v)
    (304, None)
    >>> precondition([], [], ['"y"'], ["Sun, 06 Nov 1994 08:49:37 GMT"], v)
    >>> precondition([], [], [], ["Sun, 06 Nov 1994 08:49:37 GMT"], v)
    304
    >>> precondition(['W/"x"'], [], [], [], v), precondition(["*"], [], ["*"], [], v)
    (412, 304)
    """
    if if_match:
        tags = entity_tags(if_match)
        if tags is not None and tags and (False, validators.etag) not in tags:
            return 412
    elif (since := _http_date(if_unmodified_since)) is not None and validators.modified > since:
        return 412
    if if_none_match:  # If-Modified-Since is then not looked at
        tags = entity_tags(if_none_match)
        matched = tags is not None and (not tags or any(t == validators.etag for _, t in tags))
        return 304 if matched else None
    if (since := _http_date(if_modified_since)) is not None and validators.modified <= since:
        return 304
    return None


def if_range_holds(value: str | None, validators: Validators) -> bool:
    """Say whether a Range applies under ``If-Range``: no such field, the file's ETag
    (compared strongly), or its exact ``Last-Modified`` date.

    >>> v = Validators('"x"', 784111777)
    >>> if_range_holds(None, v), if_range_holds('"x"', v), if_range_holds('W/"x"', v)
    (True, True, False)
    >>> if_range_holds("Sun, 06 Nov 1994 08:49:37 GMT", v), if_range_holds("Sun, 06 Nov 1994 08:49:38 GMT", v)
    (True, False)
    """
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == validators.etag
    return _http_date([value]) == validators.modified


def _position(digits: str) -> int | None:
    """Return a byte position written in a range, None if it is not written; a number too
    long to be a position (Python reads 4,300 digits at most) is read as :data:`_FAR`.

    >>> _position(""), _position("0042"), _position("9" * 5000) == _FAR
    (None, 42, True)
    """
    if not digits:
        return None
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 18 else _FAR


class UnsatisfiableRangeError(Exception):
    """No range of the ``Range`` field overlaps the file (416)."""


def byte_range(value: str | None, size: int) -> tuple[int, int] | None:
    """Return the first and last byte of the one range a ``Range`` field asks for, or None to
    send the whole file (no field, another unit, a syntax error, several ranges).

    Raises :class:`UnsatisfiableRangeError` when no range asked for overlaps the file.

    >>> byte_range("bytes=0-99", 1000), byte_range("bytes=900-", 1000), byte_range("bytes=-10", 1000)
    ((0, 99), (900, 999), (990, 999))
    >>> byte_range("bytes=990-5000", 1000), byte_range("bytes=-5000", 1000)
    ((990, 999), (0, 999))
    >>> byte_range("bytes=0-1,5-6", 1000), byte_range("items=0-1", 1000), byte_range("bytes=5-1", 1000)
    (None, None, None)
    >>> byte_range("bytes=1000-", 1000)
    Traceback (most recent call last):
    nualod.serve.conditional.UnsatisfiableRangeError
    """
    if value is None:
        return None
    unit, _, ranges = value.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    found: list[tuple[int, int] | None] = []
    for member in ranges.split(","):
        if not member.strip():
            continue
        parsed = _RANGE.fullmatch(member)
        if parsed is None or not (parsed.group(1) or parsed.group(2)):
            return None
        first, last = _position(parsed.group(1)), _position(parsed.group(2))
        if first is not None and last is not None and last < first:
            return None
        if first is not None:
            end = min(last, size - 1) if last is not None else size - 1
            found.append((first, end) if first < size else None)
        else:
            suffix = last or 0
            found.append((max(size - suffix, 0), size - 1) if suffix and size else None)
    if not found:
        return None
    if all(satisfiable is None for satisfiable in found):
        raise UnsatisfiableRangeError
    return found[0] if len(found) == 1 else None
