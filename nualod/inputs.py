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
from nualod.tables import read_table_text

PAGE_SUFFIXES: Final = frozenset({".txt", ".html", ".htm"})
TABLE_SUFFIXES: Final = frozenset({".csv", ".json"})
#: Sidecar files written by ``nualod harvest`` beside each saved page.
METADATA_SUFFIX: Final = ".meta.json"
#: Files that are never inputs: the harvest journal, and the report of an earlier publish
#: (when ``--out`` lies inside an input folder).
NOT_INPUTS: Final = frozenset({".nualod-harvest.jsonl", "rejected.json"})

ReadResult = Practice | InputError


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Return the input files named by ``paths``, folders searched recursively, in a stable order.

    Pages (``.txt``, ``.html``, ``.htm``) and tables (``.csv``, ``.json``) are found in
    folders; hidden files, harvest sidecars (``*.meta.json``), the harvest journal and an
    earlier run's ``rejected.json`` are skipped, the sidecars and journal even when named
    directly. A path that does not exist raises :class:`ReadError`.
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
            if not _is_harvest_file(path):
                found.append(path)
        else:
            raise ReadError(str(raw), "no such file or folder")
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def _readable_suffix(path: Path) -> bool:
    return (
        not _is_harvest_file(path)
        and path.name not in NOT_INPUTS
        and path.suffix.lower() in PAGE_SUFFIXES | TABLE_SUFFIXES
    )


def _is_harvest_file(path: Path) -> bool:
    return path.name.lower().endswith(METADATA_SUFFIX) or path.name == ".nualod-harvest.jsonl"


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
    text = decode_text(_read_bytes(path), where)
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
        if not files and Path(raw).is_dir():
            yield ReadError(
                str(raw), "no pages or tables (.txt, .html, .htm, .csv, .json) in this folder"
            )
        for path in files:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[ReadResult]:
    """Yield the practices (or errors) one input file holds.

    A ``.csv`` or ``.json`` file is a table (see :mod:`nualod.tables`), one result per row;
    any other file is one page, text or HTML.
    """
    if path.suffix.lower() not in TABLE_SUFFIXES:
        try:
            yield read_page_file(path)
        except InputError as error:
            yield error
        return
    where = str(path)
    try:
        text = decode_text(_read_bytes(path), where)
    except InputError as error:
        yield error
        return
    yield from read_table_text(text, where, path.suffix)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReadError(str(path), f"cannot be read: {error.strerror or error}") from None
