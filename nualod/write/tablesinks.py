"""Sinks of the table formats and the other files written beside the dumps.

They take their place in the dump format registry (:mod:`nualod.write.formats`), so a run
opens, feeds, closes, measures, catalogues, commits and discards them as it does the dumps,
under temporary names. The streaming ones (the two CSVs, plain JSON, GeoJSON) read the JSON-LD part of
what every sink is given, never the written files: one :class:`~nualod.write.rows.RowSource`,
shared by the four, parses each event once. The others (CSVW metadata, Data Package, JSON
Schema, SSSOM) depend on the run's base IRI only and are written when opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

from nualod.files.atomic import AtomicFile
from nualod.write.csvw import (
    csv_header,
    csv_text,
    csvw_metadata,
    datapackage,
    figures_header,
    figures_text,
    json_document,
    sources_header,
    sources_text,
)
from nualod.write.dumps import FORMATS, DumpSink, Rendered, SpooledGroups, SpoolFiles, copy_span
from nualod.write.geojson import DOCUMENT_CLOSING as GEOJSON_CLOSING
from nualod.write.geojson import DOCUMENT_OPENING as GEOJSON_OPENING
from nualod.write.geojson import feature_line
from nualod.write.plainjson import DOCUMENT_CLOSING as JSON_CLOSING
from nualod.write.plainjson import document_opening, json_schema, practice_line
from nualod.write.rows import PracticeRow, ReusedRows, Row, RowSource, RowsRun
from nualod.write.sssom import sssom_tsv

_JSONLD: Final = FORMATS.index("jsonld")


def data_base(prefixes: Mapping[str, str]) -> str:
    """Return the run's data base IRI from the Turtle prefixes a sink is opened with.

    >>> data_base({"region": "https://example.org/id/region/"})
    'https://example.org/id/'
    """
    return prefixes["region"].removesuffix("region/")


#: The row source of the table sinks of each folder, made by the first of them opened (the
#: CSV's; the registry opens the others after it).
_SOURCES: dict[Path, RowSource] = {}


def _new_source(folder: Path) -> RowSource:
    _SOURCES[folder] = RowSource.new()
    return _SOURCES[folder]


def _joined_source(folder: Path) -> RowSource:
    return _SOURCES[folder]


class RowSink(DumpSink):
    """A file of one line per practice between an opening and a closing.

    ``render`` writes rows; each practice's are written on their own, joined by
    ``separator`` (which also goes between batches), so the source can note where they lie
    (:meth:`RowSource.wrote`), and a practice whose rows an earlier release wrote, with the
    same names, has them copied from that release's file (:class:`ReusedRows`).
    """

    format = "jsonld"

    def __init__(
        self,
        path: Path,
        opening: str,
        closing: str,
        render: Callable[[Sequence[PracticeRow]], str],
        *,
        first: bool,
        separator: str = ",\n",
    ) -> None:
        self.file = AtomicFile(path, binary=True)
        self._index = _JSONLD
        self.source = (_new_source if first else _joined_source)(path.parent)
        self._number = len(self.source.sinks)
        self.source.sinks.append(path.name)
        self.source.gaps.append(len(separator.encode("utf-8")))
        self._calls = 0
        self._closing = closing.encode("utf-8")
        self._render = render
        self._separator = separator.encode("utf-8")
        self._wrote = False
        self._earlier: int | None = None
        opening_bytes = opening.encode("utf-8")
        self.file.stream.write(opening_bytes)
        self._size = len(opening_bytes)

    def _event(self, take: Callable[[], tuple[Row, ...]]) -> None:
        # Every sink of the folder meets every event, in the same order: the source parses
        # an event when the first of them calls, and hands the others the same rows.
        token = self._calls
        self._calls += 1
        self._emit(self.source.rows(token, take))

    def _emit(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        separator, number = self._separator, self._number
        gap = len(separator)
        first = 2 * number
        # What to write, in order: bytes, or a run of reused rows to copy from the earlier
        # file (rows that lay there back to back, separators included), as (offset, length).
        parts: list[bytes | tuple[int, int]] = [separator] if self._wrote else []
        offset = self._size + (gap if self._wrote else 0)
        # Where each row goes, flat, in row order: the source pairs them with the rows.
        noted: list[int] = []
        note = noted.append
        # The run of reused rows being extended: where it starts and ends in the earlier file.
        run_start = run_end = -1
        for index, row in enumerate(rows):
            if isinstance(row, RowsRun):
                # Its rows lie back to back in the earlier file: copied at once, each
                # noted where it goes.
                width = row.width
                offsets, lengths = row.spans[first::width], row.spans[first + 1 :: width]
                start = offsets[0]
                end = offsets[-1] + lengths[-1]
                if run_end >= 0 and run_end + gap == start:
                    run_end = end
                else:
                    if run_end >= 0:
                        parts.append((run_start, run_end - run_start))
                    if index:
                        parts.append(separator)
                    run_start, run_end = start, end
                shift = offset - start
                # Each row's new offset and its length, interleaved (a million rows).
                spans = [0] * (2 * len(offsets))
                spans[0::2] = [at + shift for at in offsets]
                spans[1::2] = lengths
                noted += spans
                offset += end - start + gap
                continue
            if isinstance(row, ReusedRows):
                start, length = row.written.spans[first : first + 2]
                if run_end >= 0 and run_end + gap == start:
                    run_end = start + length
                else:
                    if run_end >= 0:
                        parts.append((run_start, run_end - run_start))
                    if index:
                        parts.append(separator)
                    run_start, run_end = start, start + length
            else:
                if run_end >= 0:
                    parts.append((run_start, run_end - run_start))
                    run_end = -1
                if index:
                    parts.append(separator)
                piece = self._render((row,)).encode("utf-8")
                length = len(piece)
                parts.append(piece)
            note(offset)
            note(length)
            offset += length + gap
        if run_end >= 0:
            parts.append((run_start, run_end - run_start))
        if self.source.noting:
            self.source.wrote(number, noted)
        self._wrote = True
        stream = self.file.stream
        pending: list[bytes] = []
        for part in parts:
            if isinstance(part, bytes):
                pending.append(part)
                continue
            stream.write(b"".join(pending))
            pending = []
            copy_span(self._earlier_file(), stream, *part)
        stream.write(b"".join(pending))
        self._size = offset - gap

    def _earlier_file(self) -> int:
        """Return this file of the release the reused rows come from, open for reading."""
        if self._earlier is None:
            assert self.source.earlier is not None
            self._earlier = os.open(self.source.earlier / self.file.path.name, os.O_RDONLY)
        return self._earlier

    def write(self, rendered: Rendered) -> None:
        """Take one rendered group."""
        self._event(lambda: self.source.take_lines(rendered.jsonld))

    def write_all(self, groups: Sequence[Rendered]) -> None:
        """Take rendered groups, in order."""
        self._event(
            lambda: self.source.take_lines(
                b",\n".join([group.jsonld for group in groups if group.jsonld])
            )
        )

    def write_spooled(self, spooled: SpooledGroups, files: SpoolFiles) -> None:
        """Take the groups of a batch, from its spool file and the earlier dumps."""
        self._event(lambda: self.source.take_spooled(spooled, files))

    def close(self) -> None:
        """Write the last rows and the closing, and flush."""
        self._emit(self.source.finish())
        self.file.stream.write(self._closing)
        if self._earlier is not None:
            os.close(self._earlier)
            self._earlier = None
        if _SOURCES.get(self.file.path.parent) is self.source:
            del _SOURCES[self.file.path.parent]  # the others hold it as long as they need it
        super().close()


class CsvSink(RowSink):
    """``practices.csv``: a header, then a CSV record per practice."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, csv_header(), "", csv_text, first=True, separator="")


class FiguresCsvSink(RowSink):
    """``practice-figures.csv``: a header, then a CSV record per figure of a practice."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, figures_header(), "", figures_text, first=False, separator="")


class SourcesCsvSink(RowSink):
    """``practice-sources.csv``: a header, then a CSV record per practice and source."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, sources_header(), "", sources_text, first=False, separator="")


class PracticesJsonSink(RowSink):
    """``practices.json``: the context, then a JSON object per practice."""

    def __init__(self, path: Path, base: str) -> None:
        super().__init__(
            path,
            document_opening(),
            JSON_CLOSING,
            lambda rows: ",\n".join([practice_line(row, base) for row in rows]),
            first=False,
        )


class GeoJsonSink(RowSink):
    """``practices.geojson``: a feature collection, a feature per practice."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            GEOJSON_OPENING,
            GEOJSON_CLOSING,
            lambda rows: ",\n".join([feature_line(row) for row in rows]),
            first=False,
        )


class FixedSink(DumpSink):
    """A file whose whole content is known when the run opens it."""

    format = "jsonld"

    def __init__(self, path: Path, content: bytes) -> None:
        self.file = AtomicFile(path, binary=True)
        self._index = _JSONLD
        self.file.stream.write(content)

    def write(self, rendered: Rendered) -> None:
        """Take nothing from a group."""

    def write_all(self, groups: Sequence[Rendered]) -> None:
        """Take nothing from groups."""

    def write_spooled(self, spooled: SpooledGroups, files: SpoolFiles) -> None:
        """Take nothing from a batch."""


def csvw_metadata_sink(path: Path, prefixes: Mapping[str, str]) -> FixedSink:
    """Open ``practices.csv-metadata.json``."""
    return FixedSink(path, json_document(csvw_metadata(data_base(prefixes))))


def datapackage_sink(path: Path, prefixes: Mapping[str, str]) -> FixedSink:
    """Open ``datapackage.json``."""
    return FixedSink(path, json_document(datapackage(data_base(prefixes))))


def json_schema_sink(path: Path, prefixes: Mapping[str, str]) -> FixedSink:
    """Open ``practices.schema.json``."""
    return FixedSink(path, json_document(json_schema(data_base(prefixes))))


def sssom_sink(path: Path, prefixes: Mapping[str, str]) -> FixedSink:
    """Open ``alignments.sssom.tsv``."""
    return FixedSink(path, sssom_tsv().encode("utf-8"))
