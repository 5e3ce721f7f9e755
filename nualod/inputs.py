"""Find input files and read each into practices, one result per page or table row.

Every input yields either a :class:`~nualod.records.Practice` or an
:class:`~nualod.errors.InputError`; one bad file never stops the others.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from nualod.errors import InputError, ReadError
from nualod.htmltext import html_to_text, looks_like_html
from nualod.pages import parse_page_text
from nualod.records import Origin, Practice

PAGE_SUFFIXES: Final = frozenset({".txt", ".html", ".htm"})
#: Sidecar files written by ``nualod harvest`` beside each saved page.
METADATA_SUFFIX: Final = ".meta.json"

ReadResult = Practice | InputError


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Return the input files named by ``paths``, folders searched recursively, in a stable order.

    Hidden files and harvest sidecars are skipped. A path that does not exist raises
    :class:`ReadError`.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and _readable_suffix(p)
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ReadError(str(raw), "no such file or folder")
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def _readable_suffix(path: Path) -> bool:
    return not path.name.endswith(METADATA_SUFFIX) and path.suffix.lower() in PAGE_SUFFIXES


def decode_text(data: bytes, where: str) -> str:
    """Decode the bytes of a page as UTF-8, rejecting binary and empty files.

    >>> decode_text(b"\\xef\\xbb\\xbfKota", "a.txt")
    'Kota'
    >>> decode_text(b"\\xff\\xfe\\x00", "a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: a binary file, not a page
    """
    if not data.strip():
        raise ReadError(where, "the file is empty")
    if b"\x00" in data[:8192]:
        raise ReadError(where, "a binary file, not a page")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(
            where, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def read_page_file(path: Path) -> Practice:
    """Read one saved page (text or HTML) into a practice.

    A harvest sidecar beside the page (``page.html.meta.json``) gives the page URL and the
    retrieval time. Raise :class:`InputError` when the page cannot be read.
    """
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(where, f"cannot be read: {error.strerror or error}") from None
    text = decode_text(data, where)
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        text = html_to_text(text)
    return parse_page_text(text, _origin(path))


def _origin(path: Path) -> Origin:
    sidecar = path.with_name(path.name + METADATA_SUFFIX)
    if not sidecar.exists():
        return Origin(str(path))
    from nualod.harvest import read_page_metadata

    metadata = read_page_metadata(path)
    if metadata is None:
        return Origin(str(path))
    return Origin(str(path), page_url=metadata.final_url, retrieved_at=metadata.retrieved_at)


def read_inputs(paths: Iterable[str | Path]) -> Iterator[ReadResult]:
    """Yield a practice or an error for every page (and table row) under ``paths``."""
    for raw in paths:
        try:
            files = discover([raw])
        except InputError as error:
            yield error
            continue
        for path in files:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[ReadResult]:
    """Yield the practices (or errors) one input file holds."""
    try:
        yield read_page_file(path)
    except InputError as error:
        yield error
