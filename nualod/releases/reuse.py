"""Reuse a previous release's work: the pages that did not change are not read again.

A release with a version or a predecessor keeps, beside its dumps, a hidden record of its
work (:data:`WORK_NAME`): for each page it published, the page's key (:func:`page_key`: its
bytes and its sidecar's bytes), the practice's outcome (:func:`page_entry`), where its group
lies in each RDF dump (:data:`Spans`) and where its rows lie in the tables; for each shared
source page, where it lies (concepts are not recorded: a page's concept depends on how the
page names it, and is rendered again). A publish with ``--previous`` hands that record to its workers
(:class:`WorkSource`): a page whose key is recorded is not read, linked, mapped, validated
or rendered again; its group is read back from the previous release's dumps, byte for byte
what rendering it again would give. The publishing process then writes every batch exactly
as it would have, so a release built this way is byte-identical to one built from scratch
(the tests hold the two to it).

A record only counts for a run of the same nualod (the digest of the package's files, code
and data alike) and the same settings (:func:`work_fingerprint`); any other run ignores it.
A practice that kept an earlier release's IRI is not recorded: it is rendered again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import time
import zlib
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, ClassVar, Final, Generic, NamedTuple, TypeVar

from nualod.files.atomic import AtomicFile
from nualod.model.namespaces import CODES
from nualod.read.sidecar import META_SUFFIX, parse_timestamp
from nualod.releases.layout import MANIFEST
from nualod.write.dumps import FORMATS, Borrowed, Rendered
from nualod.write.formats import JSONLD, NQUADS, NTRIPLES, TURTLE
from nualod.write.rows import RowsWritten
from nualod.write.stats import UNCOUNTED, GroupShape, GroupStats, StatsAccumulator

__all__ = [
    "STATES_NAME",
    "WORK_NAME",
    "Seen",
    "Spans",
    "UnsafeRecordError",
    "WorkRecorder",
    "WorkSource",
    "page_key",
    "page_state",
    "work_fingerprint",
]

#: The record of a release's work, in the release folder (hidden: not in its manifest).
WORK_NAME: Final = ".work.pickle"
#: The states of the page files the record's keys were read from (:class:`Seen`), beside
#: the record: facts of the file system (inodes, times), not of the inputs' bytes, so kept
#: apart from the record, which a rebuild from the same inputs makes byte for byte.
STATES_NAME: Final = ".work-states.pickle"
#: The RDF dumps a group is read back from, in the order of :data:`FORMATS`.
_DUMP_NAMES: Final = (TURTLE.file_name, NTRIPLES.file_name, NQUADS.file_name, JSONLD.file_name)
_JSONLD: Final = FORMATS.index("jsonld")
#: Bumped when the record's layout changes.
_LAYOUT: Final = 5
#: The only classes a page's entry names (:func:`page_entry`: a candidate, its indicator,
#: its group's figures); a node's figures name only the last; the record and the states
#: files name none (lists, bytes, strings, numbers).
_ENTRY_CLASSES: Final = frozenset(
    {
        ("nualod.run.pipeline", "Candidate"),
        ("nualod.model.records", "Indicator"),
        ("nualod.write.stats", "GroupStats"),
    }
)
_STATS_CLASSES: Final = frozenset({("nualod.write.stats", "GroupStats")})


class UnsafeRecordError(Exception):
    """A record of work names a class or function it never holds: unpickling it could run
    any code (``os.system``), so it is not loaded. ``name`` is what it names."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def note(self, file: Path) -> str:
        """Return the one line that says the record ``file`` was left unused, and why."""
        return (
            f"{file}: this record of work names {self.name}, which no record holds (loading "
            "it could run any code); its work was left unused and the pages read again"
        )


class _Unpickler(pickle.Unpickler):
    """An unpickler that loads only the globals in :attr:`allowed` (the "restricting
    globals" recipe of the pickle documentation): a record comes from a folder someone else
    may have made, and ``pickle.load`` runs whatever callable it names."""

    allowed: frozenset[tuple[str, str]] = frozenset()
    #: What each allowed name was found to be: ``Unpickler.find_class`` imports and audits
    #: each time, which made loading a page's entry half as slow again.
    _found: ClassVar[dict[tuple[str, str], Any]] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise UnsafeRecordError(f"{module}.{name}")
        found = self._found.get((module, name))
        if found is None:
            found = self._found[module, name] = super().find_class(module, name)
        return found


class _EntryUnpickler(_Unpickler):
    allowed = _ENTRY_CLASSES


class _StatsUnpickler(_Unpickler):
    allowed = _STATS_CLASSES


def _loads(data: bytes, unpickler: type[_Unpickler]) -> Any:
    """Return the object pickled in ``data``, naming only what ``unpickler`` allows
    (:class:`UnsafeRecordError` otherwise)."""
    return unpickler(io.BytesIO(data)).load()


#: Where a group's bytes lie in the RDF dumps: offset and length in each, flat, in the order
#: of :data:`FORMATS` (plain integers: a million pages' records load and save fast).
Spans = tuple[int, ...]


def span(spans: Spans, format_index: int) -> tuple[int, int]:
    """Return the offset and length of a group in one dump.

    >>> span((0, 10, 5, 4, 7, 4, 2, 8), 3)
    (2, 8)
    """
    return spans[2 * format_index], spans[2 * format_index + 1]


class NodeWork(NamedTuple):
    """A shared node (a source page) as a release wrote it: its graph, its figures (pickled)
    and its spans."""

    graph: str
    stats: bytes
    spans: Spans


class PageWork(NamedTuple):
    """A page a release published: its outcome and its group's figures (:func:`page_entry`),
    where its group lies, and where its rows lie in the table files (with the names they
    were written with)."""

    entry: bytes
    spans: Spans
    rows: RowsWritten | None = None


#: A practice's warnings: each the node, shape and value of one (for counting each once).
Warnings = tuple[tuple[str, str | None, str | None], ...]
#: A practice's theme, indicator (number, name, theme) and theme name as its page gives them.
Codes = tuple[int, tuple[int, str, int], str | None]


class PageFacts(NamedTuple):
    """What a run that takes a recorded page whole needs of it, kept column by column so
    that it needs no entry unpickled: its practice's IRI, digest and page (URL, retrieval
    time, SHA-256), its codes, the shared nodes it points to, its warnings, whether it
    notes nothing (a note names where the page is now: such a page is taken alone), and
    its group's figures (shape and dates)."""

    iri: str
    digest: str
    page_url: str | None
    retrieved: str | None
    page_sha256: str | None
    codes: Codes
    shared: tuple[str, ...]
    warnings: Warnings
    plain: bool
    shape: GroupShape
    issued: str | None
    stats_retrieved: str | None


def page_entry(outcome: Any, stats: GroupStats) -> bytes:
    """Return what a record keeps of a page's outcome and its group's figures, as bytes.

    A worker makes them when it renders the page, and a run that reuses the page carries
    them as they are: pickled once, by the same code, they are the same bytes in every run.
    Compressed: the names of classes and properties repeat (a third of the size).
    """
    return zlib.compress(pickle.dumps((outcome, stats), protocol=pickle.HIGHEST_PROTOCOL), 1)


#: Values of a span: offset and length in each RDF dump (:data:`Spans`).
_SPAN_WIDTH: Final = 2 * len(FORMATS)
#: What an absent value is in a table's column of indexes.
_NONE: Final = -1
_Work = TypeVar("_Work", PageWork, NodeWork)
_Value = TypeVar("_Value", bound=Hashable)
#: The fields of :class:`PageFacts` that are strings (or None), a column each.
_TEXT_FACTS: Final = (0, 1, 2, 3, 4, 10, 11)


class _Table(Generic[_Work]):
    """What a record's tables of pages and of nodes share: an index of keys, the spans of
    each row, and each row given back as its value object (:meth:`_row`)."""

    #: What a row is, for messages ("page", "node").
    _what = "row"

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._keys: list[str] = []
        self._spans = array("q")
        self._follows: bytes | None = None

    def follow_flags(self) -> bytes:
        """Return, for each row, whether its group lies right after that of the row before
        in every dump (JSON-LD's ``,\\n`` between them): 1 if it does (computed once, for a
        table that is read, not added to)."""
        if self._follows is None or len(self._follows) != len(self._keys):
            spans, width = self._spans, _SPAN_WIDTH
            flags = bytearray(len(self._keys))
            if flags:
                flags[1:] = b"\x01" * (len(flags) - 1)
            for index in range(len(FORMATS)):
                offsets, lengths = spans[2 * index :: width], spans[2 * index + 1 :: width]
                gap = 2 if index == _JSONLD else 0
                for at, (offset, end) in enumerate(
                    zip(offsets[1:], map(sum, zip(offsets, lengths, strict=True)), strict=False), 1
                ):
                    if offset != end + (gap if lengths[at - 1] else 0):
                        flags[at] = 0
            self._follows = bytes(flags)
        return self._follows

    def run_span(self, start: int, count: int, format_index: int) -> tuple[int, int]:
        """Return where rows ``start`` to ``start + count``, back to back, lie in one dump:
        the first's offset and the length up to the end of the last (JSON-LD's ``,\\n``
        between them included)."""
        width = _SPAN_WIDTH
        offset = self._spans[width * start + 2 * format_index]
        last = width * (start + count - 1) + 2 * format_index
        return offset, self._spans[last] + self._spans[last + 1] - offset

    def span_columns(
        self, format_index: int, start: int, stop: int
    ) -> tuple[array[int], array[int]]:
        """Return the offsets and the lengths of rows ``start`` to ``stop`` in one dump."""
        width = _SPAN_WIDTH
        block = self._spans[width * start : width * stop]
        return block[2 * format_index :: width], block[2 * format_index + 1 :: width]

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def _row(self, at: int) -> _Work:
        raise NotImplementedError

    def _add_key(self, key: str, spans: Spans) -> None:
        """Start a row of ``key`` with its spans (a key given again: its later row counts)."""
        if len(spans) != _SPAN_WIDTH:
            raise ValueError(f"a {self._what}'s spans are {_SPAN_WIDTH} values, not {len(spans)}")
        self.index[key] = len(self._keys)
        self._keys.append(key)
        self._spans.extend(spans)

    def _spans_at(self, at: int) -> Spans:
        return tuple(self._spans[_SPAN_WIDTH * at : _SPAN_WIDTH * (at + 1)])

    def get(self, key: str) -> _Work | None:
        """Return what the record holds of ``key``; None if it holds nothing."""
        at = self.index.get(key)
        return None if at is None else self._row(at)

    def spans(self, key: str) -> Spans | None:
        """Return where the group of ``key`` lies; None if the record does not hold it."""
        at = self.index.get(key)
        return None if at is None else self._spans_at(at)

    def items(self) -> Iterator[tuple[str, _Work]]:
        """Yield every row, by key, in the order recorded (a key given again: once)."""
        for key, at in self.index.items():
            yield key, self._row(at)

    def all_spans(self) -> Iterator[tuple[str, Spans]]:
        """Yield where every row's group lies, by key, in the order recorded."""
        for key, at in self.index.items():
            yield key, self._spans_at(at)


def _moved(spans: array[int], moved: Sequence[int]) -> array[int]:
    """Return rows of spans (:data:`Spans`, back to back) with each dump's offsets moved by
    ``moved`` bytes (in the order of :data:`FORMATS`)."""
    width = _SPAN_WIDTH
    for index, delta in enumerate(moved):
        if delta:
            column = spans[2 * index :: width]
            spans[2 * index :: width] = array("q", [value + delta for value in column])
    return spans


def _extend_blobs(
    blobs: bytes | bytearray,
    ends: array[int],
    other: bytes | bytearray,
    other_ends: array[int],
    start: int,
    stop: int,
) -> bytearray:
    """Append rows ``start`` to ``stop`` of another column of byte strings kept back to back
    (``other``, each row's end in ``other_ends``) to ``blobs`` (its rows' ends in ``ends``,
    extended); return the bytes, as a bytearray.

    >>> ends = array("q", [2])
    >>> bytes(_extend_blobs(b"ab", ends, b"cdefg", array("q", [1, 3, 5]), 1, 3)), list(ends)
    (b'abdefg', [2, 4, 6])
    """
    begin = other_ends[start - 1] if start else 0
    grown = blobs if isinstance(blobs, bytearray) else bytearray(blobs)
    base = len(grown) - begin
    grown += other[begin : other_ends[stop - 1]]
    ends += array("q", [end + base for end in other_ends[start:stop]])
    return grown


def _ids(data: bytes) -> array[int]:
    ids = array("q")
    ids.frombytes(data)
    return ids


class _Interned(Generic[_Value]):
    """A column of values that repeat (a page's codes, its figures' shape): each value
    once, and for each row the index of its value."""

    def __init__(self, values: list[_Value] | None = None, ids: array[int] | None = None) -> None:
        self.values: list[_Value] = values if values is not None else []
        self.ids = ids if ids is not None else array("q")
        self._index: dict[_Value, int] = {value: at for at, value in enumerate(self.values)}

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, value: _Value) -> None:
        """Add a row of ``value``."""
        found = self._index.get(value)
        if found is None:
            found = self._index[value] = len(self.values)
            self.values.append(value)
        self.ids.append(found)

    def extend_from(self, other: _Interned[_Value], start: int, stop: int) -> None:
        """Add the rows ``start`` to ``stop`` of ``other``, in order (each new value is
        numbered as :meth:`append` would number it)."""
        mapped: dict[int, int] = {}
        ids = other.ids[start:stop]
        for other_id in ids:
            if other_id not in mapped:
                value = other.values[other_id]
                found = self._index.get(value)
                if found is None:
                    found = self._index[value] = len(self.values)
                    self.values.append(value)
                mapped[other_id] = found
        self.ids.extend(array("q", map(mapped.__getitem__, ids)))

    def __getitem__(self, at: int) -> _Value:
        return self.values[self.ids[at]]


class PageTable(_Table[PageWork]):
    """The pages of a record, column by column: a million pages are a few arrays and one
    index, not a million objects (loaded, written and held in a fraction of the time and
    memory). :meth:`get` and :meth:`items` give each page as a :class:`PageWork`, and
    :meth:`facts` its :class:`PageFacts`."""

    _what = "page"

    def __init__(self) -> None:
        super().__init__()
        #: The entries back to back (bytes as loaded: sliced without a copy of the whole).
        self._entries: bytes | bytearray = bytearray()
        self._entry_ends = array("q")
        #: The names a page's rows show (indexes into ``_names``, _NONE: no rows) and
        #: where its rows lie (``_row_width`` values).
        self._shown = array("q")
        self._rows = array("q")
        self._row_width = 0
        self._names: list[str] = []
        self._name_index: dict[str, int] = {}
        #: Its facts (:class:`PageFacts`), a column each.
        self._texts: tuple[list[str | None], ...] = tuple([] for _ in _TEXT_FACTS)
        self._codes: _Interned[Codes] = _Interned()
        self._warnings: _Interned[Warnings] = _Interned()
        self._shapes: _Interned[GroupShape] = _Interned()
        self._shared: list[str] = []
        self._shared_ends = array("q")
        self._plain = bytearray()

    def add(self, key: str, entry: bytes, spans: Spans, facts: PageFacts) -> None:
        """Add a page (its rows come later, :meth:`set_rows`); a key given again takes
        the later page."""
        self._add_key(key, spans)
        if isinstance(self._entries, bytes):
            self._entries = bytearray(self._entries)
        self._entries += entry
        self._entry_ends.append(len(self._entries))
        self._shown.extend((_NONE,) * 4)
        if self._row_width:
            self._rows.extend((0,) * self._row_width)
        for column, at in zip(self._texts, _TEXT_FACTS, strict=True):
            column.append(facts[at])  # type: ignore[arg-type]
        self._codes.append(facts.codes)
        self._warnings.append(facts.warnings)
        self._shapes.append(facts.shape)
        self._shared += facts.shared
        self._shared_ends.append(len(self._shared))
        self._plain.append(facts.plain)

    def take_run(self, other: PageTable, start: int, count: int, moved: Sequence[int]) -> None:
        """Add the pages ``start`` to ``start + count`` of ``other`` as they are, their
        groups moved by ``moved`` bytes in each dump (in the order of :data:`FORMATS`):
        what :meth:`add` would give each in turn."""
        stop = start + count
        first = len(self._keys)
        keys = other._keys[start:stop]
        self._keys += keys
        self.index.update(zip(keys, range(first, first + count), strict=True))
        self._spans += _moved(other._spans[_SPAN_WIDTH * start : _SPAN_WIDTH * stop], moved)
        self._entries = _extend_blobs(
            self._entries, self._entry_ends, other._entries, other._entry_ends, start, stop
        )
        self._shown.extend((_NONE,) * (4 * count))
        if self._row_width:
            self._rows.extend((0,) * (self._row_width * count))
        for column, other_column in zip(self._texts, other._texts, strict=True):
            column += other_column[start:stop]
        self._codes.extend_from(other._codes, start, stop)
        self._warnings.extend_from(other._warnings, start, stop)
        self._shapes.extend_from(other._shapes, start, stop)
        shared_ends = other._shared_ends
        shared_begin = shared_ends[start - 1] if start else 0
        shared_base = len(self._shared) - shared_begin
        self._shared += other._shared[shared_begin : shared_ends[stop - 1]]
        self._shared_ends += array("q", [end + shared_base for end in shared_ends[start:stop]])
        self._plain += other._plain[start:stop]

    def set_all_rows(
        self,
        handed: Sequence[tuple[str, tuple[str, str, str, str]]],
        noted: Sequence[Sequence[int]],
    ) -> None:
        """Record, for every page whose practice is in ``handed`` (its IRI and the names its
        rows show, in the order its rows were written), where its rows lie: ``noted`` gives
        each table file's offsets and lengths, flat, in that order. What :meth:`set_rows`
        gives each page in turn, in the order of :attr:`index`."""
        position = {iri: at for at, (iri, _) in enumerate(handed)}
        iris = self._texts[0]
        # As set_rows, page by page in the order of the index: a page with no rows is left.
        pages = [
            (at, found)
            for at in self.index.values()
            if (found := position.get(iris[at])) is not None  # type: ignore[arg-type]
        ]
        if not pages:
            return
        width = 2 * len(noted)
        count = len(self._keys)
        self._row_width = width
        shown = array("q", [_NONE]) * (4 * count)
        rows = array("q", [0]) * (width * count)
        ids: dict[tuple[str, str, str, str], array[int]] = {}
        for at, found in pages:
            names = handed[found][1]
            named = ids.get(names)
            if named is None:
                named = ids[names] = array("q", map(self._name, names))
            shown[4 * at : 4 * at + 4] = named
            for sink, flat in enumerate(noted):
                rows[width * at + 2 * sink] = flat[2 * found]
                rows[width * at + 2 * sink + 1] = flat[2 * found + 1]
        self._shown, self._rows = shown, rows

    def set_rows(self, key: str, rows: RowsWritten) -> None:
        """Record where a page's rows lie and the names they show."""
        at = self.index[key]
        if not self._row_width:
            self._row_width = len(rows.spans)
            self._rows = array("q", bytes(8 * self._row_width * len(self._keys)))
        if len(rows.spans) != self._row_width:
            raise ValueError("every page's rows lie in the same table files")
        names = (rows.theme, rows.theme_name, rows.indicator, rows.indicator_name)
        self._shown[4 * at : 4 * at + 4] = array("q", map(self._name, names))
        width = self._row_width
        self._rows[width * at : width * at + width] = array("q", rows.spans)

    def _name(self, name: str) -> int:
        found = self._name_index.get(name)
        if found is None:
            found = self._name_index[name] = len(self._names)
            self._names.append(name)
        return found

    def entry(self, key: str) -> tuple[bytes, Spans] | None:
        """Return a page's entry and spans (what :meth:`get` gives, its rows aside)."""
        at = self.index.get(key)
        return None if at is None else (self._entry_at(at), self._spans_at(at))

    def _entry_at(self, at: int) -> bytes:
        ends = self._entry_ends
        return bytes(self._entries[ends[at - 1] if at else 0 : ends[at]])

    def spans_at(self, at: int) -> Spans:
        """Return where the group of the page in row ``at`` lies."""
        return self._spans_at(at)

    def keys(self, start: int, stop: int) -> list[str]:
        """Return the keys of rows ``start`` to ``stop``."""
        return self._keys[start:stop]

    def facts(self, at: int) -> PageFacts:
        """Return the facts of the page in row ``at``."""
        texts = [column[at] for column in self._texts]
        iri, digest, page_url, retrieved, page_sha256, issued, stats_retrieved = texts
        ends = self._shared_ends
        shared = tuple(self._shared[ends[at - 1] if at else 0 : ends[at]])
        assert iri is not None and digest is not None
        return PageFacts(
            iri, digest, page_url, retrieved, page_sha256, self._codes[at], shared,
            self._warnings[at], bool(self._plain[at]), self._shapes[at], issued, stats_retrieved,
        )  # fmt: skip

    def column(self, name: str, start: int, stop: int) -> list[str | None]:
        """Return a text fact (a field of :class:`PageFacts` that is a string) of rows
        ``start`` to ``stop``."""
        return self._texts[_TEXT_FACTS.index(PageFacts._fields.index(name))][start:stop]

    def iris(self, start: int, stop: int) -> list[str]:
        """Return the practices' IRIs of rows ``start`` to ``stop`` (a column with no None)."""
        return self._texts[0][start:stop]  # type: ignore[return-value]

    def shared_of(self, start: int, stop: int) -> list[tuple[str, ...]]:
        """Return the shared nodes each page of rows ``start`` to ``stop`` points to."""
        ends, shared = self._shared_ends, self._shared
        begin = ends[start - 1] if start else 0
        found = []
        for end in ends[start:stop]:
            found.append(tuple(shared[begin:end]))
            begin = end
        return found

    def shared_keys(self, start: int, stop: int) -> list[str]:
        """Return the shared nodes the pages of rows ``start`` to ``stop`` point to, one
        page's after the other's."""
        ends = self._shared_ends
        return self._shared[ends[start - 1] if start else 0 : ends[stop - 1] if stop else 0]

    def codes_ids(self, start: int, stop: int) -> array[int]:
        """Return the index of each page's codes (:meth:`codes_value`), rows ``start`` to ``stop``."""
        return self._codes.ids[start:stop]

    def warnings_of(self, start: int, stop: int) -> set[tuple[str, str | None, str | None]]:
        """Return the warnings of the pages of rows ``start`` to ``stop``, together."""
        values = self._warnings.values
        found: set[tuple[str, str | None, str | None]] = set()
        for warnings_id in set(self._warnings.ids[start:stop]):
            found.update(values[warnings_id])
        return found

    def codes_value(self, codes_id: int) -> Codes:
        """Return the codes of an index :meth:`codes_ids` gave."""
        return self._codes.values[codes_id]

    def count(self, stats: StatsAccumulator, graph: str, start: int, count: int) -> None:
        """Add the figures of the groups of rows ``start`` to ``start + count`` (of
        ``graph``) to ``stats``, as adding each group's in turn would."""
        stop = start + count
        stats.add_shapes(
            graph,
            self.shape_counts(start, stop),
            self.iris(start, stop),
            self.column("issued", start, stop),
            self.column("stats_retrieved", start, stop),
        )

    def shape_counts(self, start: int, stop: int) -> dict[GroupShape, int]:
        """Return the shapes of the groups of rows ``start`` to ``stop``, each with how
        many have it."""
        values = self._shapes.values
        counts: dict[GroupShape, int] = {}
        for shape_id in self._shapes.ids[start:stop]:
            shape = values[shape_id]
            counts[shape] = counts.get(shape, 0) + 1
        return counts

    def runnable(self, at: int) -> bool:
        """Tell whether the page in row ``at`` can be taken in a run: it notes nothing (a
        note names where the page is now)."""
        return bool(self._plain[at])

    def follows(self, at: int) -> bool:
        """Tell whether the group of row ``at`` lies right after that of row ``at - 1``
        in every dump (JSON-LD's ``,\\n`` between them)."""
        return bool(self.follow_flags()[at])

    def rows_run(
        self, start: int, stop: int, gaps: Sequence[int]
    ) -> tuple[list[tuple[str, str, str, str]], array[int]] | None:
        """Return the names the rows of rows ``start`` to ``stop`` show, and where their
        rows lie (flat, :attr:`RowsWritten.spans` each), if every one has rows and they lie
        back to back in every table file (``gaps``: each file's separator's length); None
        otherwise."""
        shown = self._shown[4 * start : 4 * stop]
        width = self._row_width
        if not width or _NONE in shown:
            return None
        spans = self._rows[width * start : width * stop]
        for sink, gap in enumerate(gaps):
            offsets, lengths = spans[2 * sink :: width], spans[2 * sink + 1 :: width]
            end = offsets[-1] + lengths[-1]
            if end - offsets[0] != sum(lengths) + gap * (stop - start - 1):
                return None
        names = self._names
        quads = [
            (names[a], names[b], names[c], names[d])
            for a, b, c, d in zip(shown[0::4], shown[1::4], shown[2::4], shown[3::4], strict=True)
        ]
        return quads, spans

    def rows_at(self, at: int) -> RowsWritten | None:
        """Return where the rows of the page in row ``at`` lie, if they were written."""
        return self._rows_of(at)

    def rows(self, key: str) -> RowsWritten | None:
        """Return where a recorded page's rows lie; None if it has none, or is not held."""
        at = self.index.get(key)
        return None if at is None else self._rows_of(at)

    def _rows_of(self, at: int) -> RowsWritten | None:
        shown = self._shown
        first = shown[4 * at]
        if first == _NONE:
            return None
        names, width = self._names, self._row_width
        return RowsWritten(
            names[first], names[shown[4 * at + 1]], names[shown[4 * at + 2]],
            names[shown[4 * at + 3]], tuple(self._rows[width * at : width * (at + 1)]),
        )  # fmt: skip

    def _row(self, at: int) -> PageWork:
        return PageWork(self._entry_at(at), self._spans_at(at), self._rows_of(at))

    def columns(self) -> tuple[object, ...]:
        """Return the table as a few plain values (what a record file holds)."""
        return (
            self._keys,
            bytes(self._entries),
            self._entry_ends.tobytes(),
            self._spans.tobytes(),
            self._shown.tobytes(),
            self._row_width,
            self._rows.tobytes(),
            self._names,
            self._texts,
            self._codes.values,
            self._codes.ids.tobytes(),
            self._warnings.values,
            self._warnings.ids.tobytes(),
            self._shapes.values,
            self._shapes.ids.tobytes(),
            self._shared,
            self._shared_ends.tobytes(),
            bytes(self._plain),
        )

    @classmethod
    def from_columns(cls, columns: tuple[object, ...]) -> PageTable:
        """Return the table :meth:`columns` gave."""
        (keys, entries, entry_ends, spans, shown, row_width, rows, names, texts, code_values,
         code_ids, warning_values, warning_ids, shape_values, shape_ids, shared, shared_ends,
         plain) = columns  # fmt: skip
        if not (
            isinstance(keys, list) and isinstance(entries, bytes) and isinstance(names, list)
            and isinstance(row_width, int) and all(isinstance(c, bytes) for c in
            (entry_ends, spans, shown, rows, code_ids, warning_ids, shape_ids, shared_ends, plain))
            and isinstance(warning_values, list)
            and isinstance(texts, tuple) and len(texts) == len(_TEXT_FACTS)
            and all(isinstance(c, list) for c in texts) and isinstance(code_values, list)
            and isinstance(shape_values, list) and isinstance(shared, list)
        ):  # fmt: skip
            raise ValueError("not a table of pages")
        table = cls()
        table._keys = keys
        table.index = {key: at for at, key in enumerate(table._keys)}
        table._entries = entries
        for column, data in (
            (table._entry_ends, entry_ends), (table._spans, spans), (table._shown, shown),
            (table._rows, rows), (table._shared_ends, shared_ends),
        ):  # fmt: skip
            column.frombytes(data)  # type: ignore[arg-type]
        table._row_width = row_width
        table._names = names
        table._name_index = {name: at for at, name in enumerate(names)}
        table._texts = texts
        table._codes = _Interned(code_values, _ids(code_ids))  # type: ignore[arg-type]
        table._warnings = _Interned(warning_values, _ids(warning_ids))  # type: ignore[arg-type]
        table._shapes = _Interned(shape_values, _ids(shape_ids))  # type: ignore[arg-type]
        table._shared = shared
        table._plain = bytearray(plain)  # type: ignore[call-overload]
        count = len(table._keys)
        if (
            len(table._entry_ends) != count
            or len(table._spans) != _SPAN_WIDTH * count
            or len(table._shown) != 4 * count
            or len(table._rows) != row_width * count
            or any(len(column) != count for column in texts)
            or len(table._codes) != count
            or len(table._warnings) != count
            or len(table._shapes) != count
            or len(table._shared_ends) != count
            or len(table._plain) != count
        ):
            raise ValueError("a table of pages whose columns differ in length")
        return table


#: A shared node's figures as :meth:`~nualod.write.stats.StatsAccumulator.add_shapes`
#: takes them: its group's shape, and its practice, issue date and retrieval time.
NodeShape = tuple[GroupShape, str | None, str | None, str | None]


class NodeTable(_Table[NodeWork]):
    """The shared nodes of a record, column by column (see :class:`PageTable`)."""

    _what = "node"

    def __init__(self) -> None:
        super().__init__()
        self._graph_of = array("q")
        self._graphs: list[str] = []
        self._stats: bytes | bytearray = bytearray()
        self._stats_ends = array("q")
        self._shapes: _Interned[NodeShape] = _Interned()

    def add(self, key: str, graph: str, stats: bytes, spans: Spans, shape: NodeShape) -> None:
        """Add a node; a key given again takes the later node."""
        if graph not in self._graphs:
            self._graphs.append(graph)
        self._add_key(key, spans)
        self._graph_of.append(self._graphs.index(graph))
        if isinstance(self._stats, bytes):
            self._stats = bytearray(self._stats)
        self._stats += stats
        self._stats_ends.append(len(self._stats))
        self._shapes.append(shape)

    def take_run(self, other: NodeTable, start: int, count: int, moved: Sequence[int]) -> None:
        """Add rows ``start`` to ``start + count`` of ``other`` as they are, their groups
        moved by ``moved`` bytes in each dump: what :meth:`add` would give each in turn."""
        stop = start + count
        first = len(self._keys)
        keys = other._keys[start:stop]
        self._keys += keys
        self.index.update(zip(keys, range(first, first + count), strict=True))
        # Graphs are numbered as add numbers them: in the order they come first.
        graphs: dict[int, int] = {}
        ids = other._graph_of[start:stop]
        for at in ids:
            if at not in graphs:
                graph = other._graphs[at]
                if graph not in self._graphs:
                    self._graphs.append(graph)
                graphs[at] = self._graphs.index(graph)
        self._graph_of += array("q", [graphs[at] for at in ids])
        self._spans += _moved(other._spans[_SPAN_WIDTH * start : _SPAN_WIDTH * stop], moved)
        self._stats = _extend_blobs(
            self._stats, self._stats_ends, other._stats, other._stats_ends, start, stop
        )
        self._shapes.extend_from(other._shapes, start, stop)

    def shape_counts(self, start: int, stop: int) -> dict[tuple[str, NodeShape], int]:
        """Return the graphs and figures of the nodes of rows ``start`` to ``stop``, each
        with how many nodes have them."""
        values, graphs = self._shapes.values, self._graphs
        counts: dict[tuple[str, NodeShape], int] = {}
        for graph_id, shape_id in zip(
            self._graph_of[start:stop], self._shapes.ids[start:stop], strict=True
        ):
            found = (graphs[graph_id], values[shape_id])
            counts[found] = counts.get(found, 0) + 1
        return counts

    def spans_at(self, at: int) -> Spans:
        """Return where the node in row ``at`` lies."""
        return self._spans_at(at)

    def stats_of(self, key: str) -> bytes | None:
        """Return the figures (pickled) of the node ``key``; None if the record lacks it."""
        at = self.index.get(key)
        return None if at is None else self._stats_at(at)

    def _stats_at(self, at: int) -> bytes:
        ends = self._stats_ends
        return bytes(self._stats[ends[at - 1] if at else 0 : ends[at]])

    def _row(self, at: int) -> NodeWork:
        return NodeWork(self._graphs[self._graph_of[at]], self._stats_at(at), self._spans_at(at))

    def columns(self) -> tuple[object, ...]:
        """Return the table as a few plain values (what a record file holds)."""
        return (
            self._keys, self._graph_of.tobytes(), self._graphs, bytes(self._stats),
            self._stats_ends.tobytes(), self._spans.tobytes(), self._shapes.values,
            self._shapes.ids.tobytes(),
        )  # fmt: skip

    @classmethod
    def from_columns(cls, columns: tuple[object, ...]) -> NodeTable:
        """Return the table :meth:`columns` gave."""
        keys, graph_of, graphs, stats, stats_ends, spans, shape_values, shape_ids = columns
        if not (
            isinstance(keys, list) and isinstance(graphs, list) and isinstance(stats, bytes)
            and isinstance(shape_values, list)
            and all(isinstance(c, bytes) for c in (graph_of, stats_ends, spans, shape_ids))
        ):  # fmt: skip
            raise ValueError("not a table of nodes")
        table = cls()
        table._keys = keys
        table.index = {key: at for at, key in enumerate(keys)}
        table._graphs = graphs
        table._stats = stats
        for column, data in (
            (table._graph_of, graph_of), (table._stats_ends, stats_ends), (table._spans, spans),
        ):  # fmt: skip
            column.frombytes(data)  # type: ignore[arg-type]
        table._shapes = _Interned(shape_values, _ids(shape_ids))  # type: ignore[arg-type]
        count = len(keys)
        if (
            len(table._graph_of) != count
            or len(table._stats_ends) != count
            or len(table._spans) != _SPAN_WIDTH * count
            or len(table._shapes) != count
        ):
            raise ValueError("a table of nodes whose columns differ in length")
        return table


@cache
def _package_digest() -> str:
    """Return the SHA-256 of every file of the installed nualod package (code and data)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def work_fingerprint(settings: Iterable[object]) -> str:
    """Return what a record of work must match to be reused: this nualod and ``settings``.

    >>> work_fingerprint(["https://e.org/id/", True]) == work_fingerprint(["https://e.org/id/", True])
    True
    >>> work_fingerprint(["https://e.org/id/", True]) == work_fingerprint(["https://e.org/id/", False])
    False
    """
    described = repr([_LAYOUT, _package_digest(), *settings])
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


def page_key(path: str) -> str:
    """Return a page file's key: the SHA-256 of its suffix (how it is read), its bytes and
    its sidecar's bytes. Its folder is not part of it: a page moved elsewhere is the same.

    Raises :class:`OSError` when the page cannot be read (the reader reports it).
    """
    suffix = Path(path).suffix.lower()
    digest = hashlib.sha256(suffix.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(_read_whole(path))
    try:
        sidecar = _read_whole(path + META_SUFFIX)
    except FileNotFoundError:
        pass
    else:
        fields = sidecar_fields(sidecar)
        if fields is None:
            digest.update(b"\0sidecar\0" + sidecar)
        else:
            digest.update(b"\0sidecar-fields\0" + fields)
    return digest.hexdigest()


#: The fields of a sidecar that a harvest rewrites each time it finds the page unchanged
#: (when it checked, and the server's validators); the reader checks their form only.
_REFRESHED: Final = ("checked_at", "etag", "last_modified")


def sidecar_fields(sidecar: bytes) -> bytes | None:
    """Return what of a sidecar a page's key holds: its fields, but for those a harvest
    refreshes when they have the form the reader takes, as sorted JSON; None when it is
    not a UTF-8 JSON object (then its bytes are held, as they are).

    So a harvest that found a page unchanged leaves it to be reused; a field the reader
    would refuse keeps its bytes in the key, and the page is read again (and refused).

    >>> one = b'{"url": "https://e.org/a", "checked_at": "2026-01-05T09:30:00Z", "etag": "x"}'
    >>> two = b'{"checked_at": "2026-02-01T00:00:00Z", "etag": null, "url": "https://e.org/a"}'
    >>> sidecar_fields(one) == sidecar_fields(two) == b'{"url":"https://e.org/a"}'
    True
    >>> sidecar_fields(b'{"url": "https://e.org/a", "checked_at": "Monday"}') is None
    True
    """
    try:
        fields = json.loads(sidecar.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(fields, dict):
        return None
    for name in _REFRESHED:
        value = fields.pop(name, None)
        if value is None:
            continue
        if not isinstance(value, str):
            return None
        if name == "checked_at":
            try:
                parse_timestamp(value)
            except ValueError:
                return None
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def _read_whole(path: str) -> bytes:
    """Return a file's bytes (a run reads a million pages: no buffered stream, no Path)."""
    handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        size = os.fstat(handle).st_size
        data = os.read(handle, size + 1)
        if len(data) != size:  # a short read, or the file grew: read on to the end
            parts = [data]
            while chunk := os.read(handle, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
        return data
    finally:
        os.close(handle)


#: How long a page must have stayed unchanged before its file's state vouches for its bytes:
#: a file changed again within the clock's tick after it was read would keep its state.
_SETTLED_NS: Final = 2_000_000_000


class Seen(NamedTuple):
    """A page file as a run found it, without reading it: ``file`` (its suffix, device and
    inode) names it, ``state`` (its size, modification and change times, then its sidecar's
    inode, size and times, if it has one) says whether it is still as it was."""

    file: tuple[str, int, int]
    state: tuple[int, ...]


#: What a record knows of page files: by file (:attr:`Seen.file`), its state and its key.
KnownStates = dict[tuple[str, int, int], tuple[tuple[int, ...], str]]


def page_state(path: str) -> Seen | None:
    """Return how a page file and its sidecar stand now; None when either changed in the
    last :data:`_SETTLED_NS` (or cannot be looked at): only its bytes can tell then.

    A file's change time moves whenever its bytes do and cannot be set back, so a page whose
    state a record holds, with the key of the bytes read after that state was taken, still
    has those bytes (git's index trusts a file's state the same way).
    """
    now = time.time_ns()
    try:
        page = os.stat(path)  # noqa: PTH116 (a million pages: no Path object each)
        try:
            sidecar = os.stat(path + META_SUFFIX)  # noqa: PTH116
        except FileNotFoundError:
            sidecar_state: tuple[int, ...] = ()
            newest = page.st_ctime_ns
        else:
            sidecar_state = (
                sidecar.st_ino, sidecar.st_size, sidecar.st_mtime_ns, sidecar.st_ctime_ns
            )  # fmt: skip
            newest = max(page.st_ctime_ns, sidecar.st_ctime_ns)
    except OSError:
        return None
    if newest > now - _SETTLED_NS:
        return None
    return Seen(
        (Path(path).suffix.lower(), page.st_dev, page.st_ino),
        (page.st_size, page.st_mtime_ns, page.st_ctime_ns, *sidecar_state),
    )


def group_spans(
    starts: Sequence[int], ends: Sequence[int], sizes: Sequence[Sequence[int]]
) -> list[Spans] | None:
    """Return each group's spans, given each dump's size before and after the groups were
    appended and each group's size in each format; None when a dump did not take them as
    they are.

    Groups are appended back to back; in JSON-LD, non-empty ones are joined by ``,\\n``, and
    a comma may open the run.

    >>> group_spans([0, 0, 0, 0], [30, 10, 10, 20], [(10, 20), (4, 6), (4, 6), (8, 8)])
    [(0, 10, 0, 4, 0, 4, 2, 8), (10, 20, 4, 6, 4, 6, 12, 8)]
    >>> group_spans([0, 0, 0, 0], [30, 10, 10, 19], [(10, 20), (4, 6), (4, 6), (8, 8)]) is None
    True
    """
    # Column by column (a run's groups are thousands at a million practices): each
    # format's offsets, then its lengths; the rows are the columns zipped.
    columns: list[Sequence[int]] = []
    for index, (start, end, lengths) in enumerate(zip(starts, ends, sizes, strict=True)):
        gap = 2 if index == _JSONLD else 0
        total = sum(lengths) + gap * max(0, len(lengths) - lengths.count(0) - 1)
        if end - start - total not in ((0, 2) if gap and total else (0,)):
            return None
        steps = [length + gap if length else 0 for length in lengths] if gap else lengths
        columns.append(list(accumulate(steps[:-1], initial=end - total)))
        columns.append(lengths)
    return list(zip(*columns, strict=False))


def run_group(source: WorkSource, graph: str, start: int, count: int) -> Rendered:
    """Return the groups of ``count`` pages a record holds one after the other from row
    ``start``, read back from its release's dumps as one group (:data:`UNCOUNTED`: its
    figures are counted from the record)."""
    parts = []
    for index, handle in enumerate(source.dump_files()):
        offset, length = source.pages.run_span(start, count, index)
        parts.append(os.pread(handle, length, offset) if length else b"")
    turtle, ntriples, nquads, jsonld = parts
    return Rendered(graph, turtle, ntriples, nquads, jsonld, UNCOUNTED)


@dataclass
class WorkRecorder:
    """The record of one run's work, filled as it writes batches (:mod:`nualod.run.publish`)."""

    fingerprint: str
    pages: PageTable = field(default_factory=PageTable)
    nodes: NodeTable = field(default_factory=NodeTable)
    #: The key of each page file whose state vouches for its bytes, with that state.
    seen: KnownStates = field(default_factory=dict)
    #: The IRI of each page's practice, by the page's place in :attr:`pages`.
    _iris: list[str] = field(default_factory=list)

    def saw(self, seen: Seen, key: str) -> None:
        """Record that the page file ``seen`` names had the bytes of ``key`` in that state."""
        self.seen[seen.file] = (seen.state, key)

    def saw_all(self, seen: Sequence[Seen | None], keys: Sequence[str]) -> None:
        """Do :meth:`saw` for each page file of ``seen`` with its key (None: no state)."""
        self.seen.update(
            (state.file, (state.state, key))
            for state, key in zip(seen, keys, strict=True)
            if state is not None
        )

    def page(self, key: str, entry: bytes, spans: Spans, facts: PageFacts) -> None:
        """Record a published page (:func:`page_entry`), where its group lies and its facts."""
        self._iris.append(facts.iri)
        self.pages.add(key, entry, spans, facts)

    def run(self, source: PageTable, start: int, count: int, moved: Sequence[int]) -> None:
        """Record pages ``start`` to ``start + count`` of an earlier record as they were,
        their groups moved by ``moved`` bytes in each dump (:meth:`PageTable.take_run`)."""
        self._iris += source.iris(start, start + count)
        self.pages.take_run(source, start, count, moved)

    def node(
        self,
        key: str,
        rendered: Rendered,
        spans: Spans | None,
        shape: NodeShape,
        earlier: bytes | None = None,
    ) -> None:
        """Record a shared node as written (not a concept: those are rendered again, as each
        page names them); ``spans`` None when a dump did not take it whole. ``earlier`` is
        the figures the previous record holds of the node (pickled), the same (a node
        depends on its key only): taken as they are."""
        if key.startswith(CODES) or spans is None:
            return
        stats = (
            earlier
            if earlier is not None
            else pickle.dumps(rendered.stats, protocol=pickle.HIGHEST_PROTOCOL)
        )
        self.nodes.add(key, rendered.graph, stats, spans, shape)

    def take_nodes(self, source: NodeTable, start: int, count: int, moved: Sequence[int]) -> None:
        """Record shared nodes copied from an earlier record's rows ``start`` to ``start +
        count``, their groups moved by ``moved`` bytes in each dump."""
        self.nodes.take_run(source, start, count, moved)

    def rows(
        self,
        handed: Sequence[tuple[str, tuple[str, str, str, str]]],
        noted: Sequence[Sequence[int]],
    ) -> None:
        """Record where each recorded page's practice has its rows and the theme and
        indicator names they show: ``handed`` gives each practice whose rows were written
        (its IRI and names) in the order written, ``noted`` where each table file took
        them (offset and length, flat, in that order)."""
        self.pages.set_all_rows(handed, noted)

    def write(self, folder: Path) -> None:
        """Write the record into a release folder (atomically)."""
        with AtomicFile(folder / WORK_NAME, binary=True) as file:
            # Who made it comes first, alone: a reader made otherwise stops there.
            pickle.dump((_LAYOUT, self.fingerprint), file.stream)
            # Without a memo ("fast" mode, documented as deprecated since Python 2 and
            # still there): what it would share depends on which objects a run happened to
            # share (a run that took pages whole shares more), and the record a rebuild
            # writes is the same bytes. Repeated strings are written in full.
            pickler = pickle.Pickler(file.stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = True
            pickler.dump((self.pages.columns(), self.nodes.columns()))
        # Only the states of recorded pages: a later run has no use for the others'.
        seen = {file: known for file, known in self.seen.items() if known[1] in self.pages}
        with AtomicFile(folder / STATES_NAME, binary=True) as file:
            pickle.dump((_LAYOUT, self.fingerprint), file.stream)
            pickle.dump(seen, file.stream, protocol=pickle.HIGHEST_PROTOCOL)


def _states(folder: Path, fingerprint: str) -> KnownStates:
    """Return the page files' states kept beside a record; none when they cannot be read
    (then every page's bytes are read, as they would be without them)."""
    try:
        with (folder / STATES_NAME).open("rb") as stream:
            if _Unpickler(stream).load() != (_LAYOUT, fingerprint):
                return {}
            # A pickle of its own: an unpickler keeps the memo of what it loaded before.
            seen: KnownStates = _Unpickler(stream).load()
    except UnsafeRecordError:
        raise
    # Like the record, only a shortcut: damaged, it is not taken.
    except Exception:
        return {}
    return seen if isinstance(seen, dict) else {}


def _whole(folder: Path) -> bool:
    """Tell whether the files of a release have the sizes its manifest gives: the record
    points into its dumps and tables, and one cut short ("the spool file ended early",
    naming no file) stopped the publish that reused it."""
    try:
        files = json.loads((folder / MANIFEST).read_bytes())["files"]
        return all(
            (folder / name).stat().st_size == entry["bytes"] for name, entry in files.items()
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False


class WorkSource:
    """A previous release's record of work, read back by a worker process."""

    def __init__(
        self,
        folder: Path,
        pages: PageTable,
        nodes: NodeTable,
        seen: KnownStates | None = None,
    ) -> None:
        self.folder = folder
        self.pages = pages
        self.nodes = nodes
        self.seen = seen or {}
        self._files: list[int] = []
        #: Why the record was left unused in this process (an entry naming what no record
        #: holds, :class:`UnsafeRecordError`), as a ``note:`` line; None while it is used.
        self.refused: str | None = None

    def known_key(self, seen: Seen) -> str | None:
        """Return the key of a page file the record saw in the same state; None if it did
        not (its bytes must be read)."""
        known = self.seen.get(seen.file)
        return known[1] if known is not None and known[0] == seen.state else None

    @classmethod
    def open(
        cls, folder: Path, fingerprint: str, notes: list[str] | None = None
    ) -> WorkSource | None:
        """Return the record of the release in ``folder`` if it was made by a run like this.

        A record that names a class or function no record holds (:class:`UnsafeRecordError`) is
        not loaded, and ``notes`` gets one line that says so; any other record not taken
        (made otherwise, damaged) goes unsaid: it is only a shortcut."""
        file = folder / WORK_NAME
        try:
            with file.open("rb") as stream:
                if _Unpickler(stream).load() != (_LAYOUT, fingerprint):
                    return None
                # A pickle of its own: an unpickler keeps the memo of what it loaded before.
                page_columns, node_columns = _Unpickler(stream).load()
            pages = PageTable.from_columns(page_columns)
            nodes = NodeTable.from_columns(node_columns)
            if not all((folder / name).is_file() for name in _DUMP_NAMES) or not _whole(folder):
                return None
            file = folder / STATES_NAME
            seen = _states(folder, fingerprint)
        except UnsafeRecordError as unsafe:
            if notes is not None:
                notes.append(unsafe.note(file))
            return None
        # A damaged record can fail to load in many ways; it is only a shortcut: not taken.
        except Exception:
            return None
        return cls(folder, pages, nodes, seen)

    def dump_files(self) -> tuple[int, ...]:
        """Return the release's RDF dumps, open for reading, in the order of :data:`FORMATS`
        (opened once per process, and kept open as long as it runs)."""
        if not self._files:
            self._files = [
                os.open(self.folder / name, os.O_RDONLY | os.O_CLOEXEC) for name in _DUMP_NAMES
            ]
        return tuple(self._files)

    def close(self) -> None:
        """Close the dumps :meth:`dump_files` opened (a later call opens them again)."""
        files, self._files = self._files, []
        for handle in files:
            os.close(handle)

    def _read(self, spans: Spans, graph: str, stats: GroupStats) -> Rendered:
        turtle, ntriples, nquads, jsonld = (
            os.pread(fd, spans[2 * at + 1], spans[2 * at])
            for at, fd in enumerate(self.dump_files())
        )
        return Rendered(graph, turtle, ntriples, nquads, jsonld, stats)

    def page(
        self,
        key: str,
        shared: Callable[[Any], Iterable[str]],
        fresh: Callable[[Any, str], Rendered | None],
        graph: str,
        typed: Callable[[str, str, GroupStats], Rendered | None],
    ) -> tuple[Any, Borrowed, list[tuple[str, Rendered]], bytes] | None:
        """Return a recorded page's outcome, where its group lies, its shared nodes and its
        entry; None when the page (or one of its nodes) is not recorded. The group is not
        read here: the publishing process copies it. Concepts depend on how the page names
        them: ``fresh`` renders those; the others are read back from the dumps, unless
        ``typed`` renders them from their key, graph and figures (a source page, whose
        figures say it is one triple, its type: the same bytes, without four reads)."""
        work = self.pages.entry(key) if self.refused is None else None
        if work is None:
            return None
        try:
            return self._page(work, shared, fresh, graph, typed)
        except UnsafeRecordError as unsafe:
            self.refused = unsafe.note(self.folder / WORK_NAME)
            return None

    def _page(
        self,
        work: tuple[bytes, Spans],
        shared: Callable[[Any], Iterable[str]],
        fresh: Callable[[Any, str], Rendered | None],
        graph: str,
        typed: Callable[[str, str, GroupStats], Rendered | None],
    ) -> tuple[Any, Borrowed, list[tuple[str, Rendered]], bytes] | None:
        entry, spans = work
        outcome, stats = _loads(zlib.decompress(entry), _EntryUnpickler)
        nodes: list[tuple[str, Rendered]] = []
        for node_key in shared(outcome):
            if node_key.startswith(CODES):  # a concept, as this page names it
                rendered = fresh(outcome, node_key)
                if rendered is None:
                    return None
            else:
                node = self.nodes.get(node_key)
                if node is None:
                    return None
                node_stats = _loads(node.stats, _StatsUnpickler)
                rendered = typed(node_key, node.graph, node_stats) or self._read(
                    node.spans, node.graph, node_stats
                )
            nodes.append((node_key, rendered))
        return outcome, Borrowed(graph, spans, stats), nodes, entry

    def rows(self, key: str) -> RowsWritten | None:
        """Return where a recorded page's rows lie in the table files, if they were written."""
        return self.pages.rows(key)

    def figures(self, key: str) -> tuple[GroupShape, str | None, str | None]:
        """Return a recorded page's group's shape, issue date and retrieval time."""
        facts = self.pages.facts(self.pages.index[key])
        return facts.shape, facts.issued, facts.stats_retrieved
