"""One flat row per published practice, for the table formats (CSV, plain JSON, GeoJSON).

A row is built from the practice's node object in the JSON-LD dump, as the dump sinks see it
go by (no reading back), with what the reference data says of its kota or kabupaten, and the
SDG and UNESCO concepts its theme and indicator are aligned with. Theme and indicator names
are the ones the dumps publish: the first ``skos:prefLabel@id`` of the concept seen in the
written graphs (the seed's, else the first page's), so a row waits until its batch's shared
nodes are written (:class:`RowSource`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, Final, NamedTuple

from nualod.link.reference import load_alignments, load_regions, load_sdg_codes
from nualod.model.namespaces import (
    CODES,
    INDICATOR_SCHEME,
    NUA,
    SDG,
    THEME_SCHEME,
    UNESCO_THESAURUS,
)
from nualod.model.records import Region
from nualod.write.dumps import FORMATS, SpooledGroups, SpoolFiles

_THEME: Final = THEME_SCHEME + "/"
_INDICATOR: Final = INDICATOR_SCHEME + "/"
_PRACTICE_MARK: Final = b'"type":"GoodPractice"'
_CONCEPT_MARK: Final = b'{"id":' + json.dumps(CODES).encode()[:-1]
_JSONLD: Final = FORMATS.index("jsonld")


class Linked(NamedTuple):
    """A concept a practice's theme or indicator is aligned with."""

    iri: str
    #: The printed code of an SDG concept ("4.4", "1.5.1 11.5.1 13.1.1"), or the UNESCO
    #: concept id ("concept9927").
    code: str
    label: str
    match: str  # "closeMatch", "relatedMatch", ...
    #: The practice's concept the alignment is stated from (its subject): "theme" or
    #: "indicator". A concept both are aligned with is linked once through each, and the two
    #: may say different things of it (theme 03 narrowMatch, indicator 19 relatedMatch).
    via: str


class FigureCells(NamedTuple):
    """What the table formats say of one figure a practice's text states (strings as
    published; "" where none): see :mod:`nualod.map.figures`."""

    iri: str
    #: The text it is read from: "abstract" (Ringkasan) or "description" (Deskripsi).
    field: str
    #: Code points into that text, where its words start and end.
    start: str
    end: str
    exact: str
    prefix: str
    suffix: str
    #: The value in its unit (xsd:decimal), and the unit's IRI (QUDT).
    value: str
    unit: str
    #: What it counts, as written (Indonesian).
    unit_text: str
    #: The period it is stated for (EDTF), and the rate (xsd:duration: "P1M" per month).
    period: str
    per: str
    #: What the words before it say of the amount: the local name of a ``nua:Qualifier``
    #: ("About", "MoreThan", ...), "" when it is stated as it is.
    qualifier: str = ""


class PracticeRow(NamedTuple):
    """What the table formats say of one practice (strings as published; "" where none)."""

    iri: str
    identifier: str
    title: str
    date: str
    theme: str  # notation, "10"
    theme_name: str
    indicator: str  # notation, "47"
    indicator_name: str
    region: Region
    province: Region | None
    sdg: tuple[Linked, ...]
    unesco: tuple[Linked, ...]
    sources: tuple[str, ...]
    page: str
    figures: tuple[FigureCells, ...] = ()
    #: Its Ringkasan and Deskripsi (dcterms:abstract, dcterms:description), which the
    #: figures' positions count in.
    abstract: str = ""
    description: str = ""


@cache
def _sdg_codes_by_iri() -> dict[str, str]:
    codes: dict[str, list[str]] = {}
    for code, iri in load_sdg_codes().items():
        codes.setdefault(iri, []).append(code)
    return {iri: " ".join(found) for iri, found in codes.items()}


@cache
def aligned(concept: str) -> tuple[tuple[Linked, ...], tuple[Linked, ...]]:
    """Return the SDG and the UNESCO concepts a theme or indicator IRI is aligned with, in
    the mapping set's order, each once (the first alignment with it).

    >>> sdg, unesco = aligned("https://w3id.org/nualod/code/indicator/47")
    >>> [(s.code, s.match, s.via) for s in sdg]
    [('4.3', 'relatedMatch', 'indicator'), ('4.4', 'relatedMatch', 'indicator'), ('4.3.1', 'relatedMatch', 'indicator')]
    >>> unesco[0].code
    'concept1829'
    """
    via = "theme" if concept.startswith(_THEME) else "indicator"
    sdg: dict[str, Linked] = {}
    unesco: dict[str, Linked] = {}
    for alignment in load_alignments():
        if alignment.subject != concept:
            continue
        match, iri = alignment.property.removeprefix("skos:"), alignment.object
        if iri.startswith(SDG):
            code = _sdg_codes_by_iri().get(iri, iri.removeprefix(SDG))
            sdg.setdefault(iri, Linked(iri, code, alignment.object_label, match, via))
        elif iri.startswith(UNESCO_THESAURUS):
            code = iri.removeprefix(UNESCO_THESAURUS)
            unesco.setdefault(iri, Linked(iri, code, alignment.object_label, match, via))
    return tuple(sdg.values()), tuple(unesco.values())


def _one(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _many(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _objects(value: Any) -> tuple[Mapping[str, Any], ...]:
    """Return the node objects of a key (one, or a list)."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def practice_row(node: Mapping[str, Any], names: Mapping[str, str]) -> PracticeRow:
    """Return the row of a practice's compact JSON-LD node object.

    ``names`` gives the published Indonesian name of theme and indicator concepts by IRI.
    """
    theme, indicator = _one(node.get("theme")), _one(node.get("indicator"))
    region, province = _place(_one(node.get("spatial")))
    sdg, unesco = _links(theme, indicator)
    return PracticeRow(
        iri=node["id"],
        identifier=_one(node.get("identifier")),
        title=_one(node.get("title", {}).get("id", "")),
        date=_one(node.get("issued")),
        theme=theme.removeprefix(_THEME),
        theme_name=names.get(theme, ""),
        indicator=indicator.removeprefix(_INDICATOR),
        indicator_name=names.get(indicator, ""),
        region=region,
        province=province,
        sdg=sdg,
        unesco=unesco,
        sources=_many(node.get("source")),
        page=_one(node.get("url")),
        figures=tuple(
            sorted((_figure_cells(f) for f in _objects(node.get("figure"))), key=_text_order)
        ),
        abstract=_one(node.get("abstract", {}).get("id", "")),
        description=_one(node.get("description", {}).get("id", "")),
    )


_DCTERMS_FIELD: Final = "http://purl.org/dc/terms/"


def _text_order(cells: FigureCells) -> tuple[int, int, str]:
    """Order a practice's figures as its texts state them: the Ringkasan's, then the
    Deskripsi's, each by where its words start (the dumps' order sorts their IRIs as text,
    "figure-description-1926" before "-831", which the page does not).

    >>> cells = FigureCells("p#figure-description-831", "description", "831", "840", *[""] * 9)
    >>> _text_order(cells), _text_order(cells._replace(field="abstract", start="1926"))
    ((1, 831, 'p#figure-description-831'), (0, 1926, 'p#figure-description-831'))
    """
    start = int(cells.start) if cells.start.isdigit() else 0
    return (0 if cells.field == "abstract" else 1, start, cells.iri)


def _figure_cells(figure: Mapping[str, Any]) -> FigureCells:
    """Return the cells of a figure's node object, embedded in its practice's."""
    segment = figure["wasDerivedFrom"]
    quote: Mapping[str, Any] = {}
    position: Mapping[str, Any] = {}
    for selector in _objects(segment.get("hasSelector")):
        if selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif selector.get("type") == "TextPositionSelector":
            position = selector
    return FigureCells(
        iri=figure["id"],
        field=_one(segment.get("field")).removeprefix(_DCTERMS_FIELD),
        start=_one(position.get("start")),
        end=_one(position.get("end")),
        exact=_one(quote.get("exact")),
        prefix=_one(quote.get("prefix")),
        suffix=_one(quote.get("suffix")),
        value=_one(figure.get("value")),
        unit=_one(figure.get("unitCode")),
        unit_text=_one(figure.get("unitText", {}).get("id", "")),
        period=_one(figure.get("period")),
        per=_one(figure.get("per")),
        qualifier=_one(figure.get("qualifier")).removeprefix(NUA),
    )


@lru_cache(maxsize=2048)  # the 514 kabupaten and kota, under one base IRI a run
def _place(spatial: str) -> tuple[Region, Region | None]:
    regions = load_regions()
    region = regions[spatial.rsplit("/", 1)[1]]
    return region, regions.get(region.province_code) if region.province_code else None


@lru_cache(maxsize=4096)  # a run meets a few hundred theme and indicator pairs
def _links(theme: str, indicator: str) -> tuple[tuple[Linked, ...], tuple[Linked, ...]]:
    """Return a practice's SDG and UNESCO links: its theme's, then its indicator's (one per
    concept and via: a concept both are aligned with is there twice, via each)."""
    theme_sdg, theme_unesco = aligned(theme)
    indicator_sdg, indicator_unesco = aligned(indicator)
    return (*theme_sdg, *indicator_sdg), (*theme_unesco, *indicator_unesco)


_IDENTIFIER_KEY: Final = b',"identifier":'
_FIGURE_KEY: Final = b',"figure":['
_DECODER: Final = json.JSONDecoder()


def _practice_node(line: bytes) -> dict[str, Any] | None:
    """Return what a row needs of a practice's node line (None for another node's line).

    A node line's keys are sorted, so the long texts and the figures (``abstract``,
    ``description``, ``figure``) come before ``identifier`` and everything a row needs from
    it on: only that tail is parsed, a few hundred bytes of several kilobytes, and the
    figures' array.

    >>> _practice_node(b'{"id":"https://x.org/p","type":"GoodPractice","abstract":{"id":"a"},'
    ...                b'"identifier":"p","spatial":"https://x.org/region/33.75"}')
    {'identifier': 'p', 'spatial': 'https://x.org/region/33.75', 'id': 'https://x.org/p', 'abstract': {'id': 'a'}}
    """
    if not line.startswith(b'{"id":"'):
        return None
    end = line.index(b'"', 7)  # an IRI has no quote, so no escaped one either
    if not line.startswith(_TYPED_PRACTICE, end + 1):
        return None
    tail = line.rfind(_IDENTIFIER_KEY)
    node: dict[str, Any] = json.loads(b"{" + line[tail + 1 :])
    node["id"] = line[7:end].decode("utf-8")
    # The figures come before it (a key no text holds: its quotes would be escaped).
    figures = line.find(_FIGURE_KEY, 0, tail)
    if figures >= 0:
        array = line[figures + len(_FIGURE_KEY) - 1 : tail].decode("utf-8")
        node["figure"] = _DECODER.raw_decode(array)[0]
    # And the two texts before the figures (sorted keys: abstract, then description), each
    # decoded alone, in C, from its own bytes only.
    end = figures if figures >= 0 else tail
    description = line.find(_DESCRIPTION_KEY, 0, end)
    abstract = line.find(_ABSTRACT_KEY, 0, description if description >= 0 else end)
    if abstract >= 0:
        start = abstract + len(_ABSTRACT_KEY) - 1
        stop = description if description >= 0 else end
        node["abstract"] = _DECODER.raw_decode(line[start:stop].decode("utf-8"))[0]
    if description >= 0:
        text = line[description + len(_DESCRIPTION_KEY) - 1 : end].decode("utf-8")
        node["description"] = _DECODER.raw_decode(text)[0]
    return node


_ABSTRACT_KEY: Final = b',"abstract":{'
_DESCRIPTION_KEY: Final = b',"description":{'


_TYPED_PRACTICE: Final = b',"type":"GoodPractice"'


def _read_practice_line(file: int, offset: int, length: int, iri: str) -> bytes:
    """Return practice ``iri``'s node line from its group in a JSON-LD dump."""
    return _practice_line_of(os.pread(file, length, offset), iri)


def _practice_iri(line: bytes) -> str | None:
    """Return the IRI of a practice's node line, None for another node's line (cheaply).

    >>> _practice_iri(b'{"id":"https://x.org/p","type":"GoodPractice","abstract":{"id":"a"}}')
    'https://x.org/p'
    >>> _practice_iri(b'{"id":"https://x.org/c","type":"Concept"}') is None
    True
    """
    if not line.startswith(b'{"id":"'):
        return None
    end = line.index(b'"', 7)
    return line[7:end].decode("utf-8") if line.startswith(_TYPED_PRACTICE, end + 1) else None


class RowsWritten(NamedTuple):
    """Where a practice's rows lie in each table file (offset and length, flat, by
    :attr:`RowSource.sinks`), with the theme and indicator names they were written with:
    what a later run needs to copy them."""

    theme: str
    theme_name: str
    indicator: str
    indicator_name: str
    spans: tuple[int, ...]


class ReusedRows(NamedTuple):
    """A practice whose rows an earlier release wrote: copied from its files (``folder``)
    when the names still hold, else built from its node line, which ``line`` gives (read
    from the earlier dump only then)."""

    iri: str
    written: RowsWritten
    line: Callable[[], bytes]


class RowsRun(NamedTuple):
    """Practices an earlier release wrote one after the other, taken whole, whose rows lie
    back to back in its table files: copied from them at once where every practice's theme
    and indicator names still hold. ``names`` gives the names each practice's rows show,
    ``spans`` where its rows lie (``width`` values each, offset and length by sink), and
    ``groups`` where its group lies in the earlier JSON-LD dump (offset and length)."""

    iris: Sequence[str]
    names: Sequence[tuple[str, str, str, str]]
    spans: Sequence[int]
    width: int
    groups: Sequence[tuple[int, int]]

    def reused(self, at: int, earlier: int) -> ReusedRows:
        """Return the practice ``at`` of the run on its own; ``earlier`` is the earlier JSON-LD
        dump, open."""
        iri, width = self.iris[at], self.width
        written = RowsWritten(*self.names[at], tuple(self.spans[width * at : width * (at + 1)]))
        return ReusedRows(
            iri, written, partial(_read_practice_line, earlier, *self.groups[at], iri)
        )


def _row(
    pending: dict[str, Any] | ReusedRows, names: Mapping[str, str]
) -> PracticeRow | ReusedRows:
    """Return a practice's rows: copied where the names they show still hold, else built
    from its node (read back from the earlier dump only then)."""
    if isinstance(pending, ReusedRows):
        written = pending.written
        if (
            names.get(written.theme, "") == written.theme_name
            and names.get(written.indicator, "") == written.indicator_name
        ):
            return pending
        node = _practice_node(pending.line())
        assert node is not None  # it was a practice's line
        return practice_row(node, names)
    return practice_row(pending, names)


#: A practice's rows to write: built, copied, or copied with those of the practices after it.
Row = PracticeRow | ReusedRows | RowsRun


class _PendingRun(NamedTuple):
    """A run of practices whose rows wait for the names their concepts get (``earlier``:
    the earlier JSON-LD dump, open)."""

    run: RowsRun
    earlier: int


def _given(line: bytes) -> Callable[[], bytes]:
    """Return what gives a node line already read.

    >>> _given(b"{}")()
    b'{}'
    """
    return lambda: line


def _practice_line_of(group: bytes, iri: str) -> bytes:
    """Return the node line of practice ``iri`` among a group's JSON-LD lines.

    >>> _practice_line_of(b'{"id":"https://x/p#d"},\\n{"id":"https://x/p","type":"GoodPractice"}',
    ...                   "https://x/p")
    b'{"id":"https://x/p","type":"GoodPractice"}'
    """
    for line in group.split(b",\n"):
        if _practice_iri(line) == iri:
            return line
    raise ValueError(f"no node line of {iri} in its group")


@dataclass
class RowSource:
    """Turns the JSON-LD node lines the dump sinks are given into practice rows.

    Several table sinks share one source: each event (a group, groups, a spooled batch) is
    parsed once, by whichever sink meets it first, keyed by ``token``. A practice's row is
    handed out with the next event that carries practices, or at :meth:`finish`, so the
    concept nodes its batch writes after it have named its theme and indicator.
    """

    names: dict[str, str]
    _pending: list[dict[str, Any] | ReusedRows | _PendingRun]
    _token: Hashable | None = None
    _ready: tuple[Row, ...] = ()
    _finished: tuple[Row, ...] | None = None
    #: The file names of the sinks it feeds, in the order they joined it, and the length
    #: of the separator of each.
    sinks: list[str] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    #: Practices whose rows an earlier release wrote (:meth:`reuse`), by IRI, and its folder.
    reusable: dict[str, RowsWritten] = field(default_factory=dict)
    earlier: Path | None = None
    #: The IRIs of those practices, by where their group starts in the earlier JSON-LD dump:
    #: a batch that borrows the group gives them without its lines being read.
    reusable_at: dict[int, str] = field(default_factory=dict)
    #: Runs of such practices' groups a batch borrows as one, by where the run starts in
    #: the earlier JSON-LD dump: each practice's IRI and where its group lies there.
    reusable_runs: dict[int, RowsRun] = field(default_factory=dict)
    #: Whether the sinks note where rows go (a run that records its work).
    noting: bool = True
    #: The practices handed out, in order, with the theme and indicator names their rows
    #: show; and where each sink wrote their rows (offset and length, flat, in that order).
    _handed: list[tuple[str, tuple[str, str, str, str]]] = field(default_factory=list)
    _noted: list[list[int]] = field(default_factory=list)

    @classmethod
    def new(cls) -> RowSource:
        """Return a source that has seen nothing yet."""
        return cls({}, [])

    def reuse(
        self,
        folder: Path,
        rows: Mapping[str, RowsWritten],
        at: Mapping[int, str] | None = None,
        runs: Mapping[int, RowsRun] | None = None,
    ) -> None:
        """Copy these practices' rows from the release in ``folder`` where their theme and
        indicator names are still the ones they were written with (``at``: their IRIs, by
        where their groups start in that release's JSON-LD dump, for :meth:`take_spooled`;
        ``runs``: the same of groups borrowed as one, by where the first starts)."""
        self.earlier = folder
        self.reusable.update(rows)
        self.reusable_at.update(at or {})
        self.reusable_runs.update(runs or {})

    def rows(self, token: Hashable, take: Callable[[], tuple[Row, ...]]) -> tuple[Row, ...]:
        """Return the rows ready to write at the event ``token``; ``take`` takes the event
        in (:meth:`take_lines` or :meth:`take_spooled`) and returns them."""
        if token != self._token:
            self._token = token
            self._ready = take()
        return self._ready

    def take_lines(self, lines: bytes) -> tuple[Row, ...]:
        """Take in an event's JSON-LD lines; return the rows now ready to write."""
        if not lines:
            return ()
        practices = _PRACTICE_MARK in lines
        ready = self._flush() if practices else ()
        if practices or _CONCEPT_MARK in lines:
            self._take_lines(lines)
        return ready

    def _take_lines(self, lines: bytes) -> None:
        for line in lines.split(b",\n"):  # JSON escapes line breaks: these part nodes
            iri = _practice_iri(line) if self.reusable else None
            earlier = self.reusable.pop(iri, None) if iri is not None else None
            if earlier is not None and iri is not None:
                self._pending.append(ReusedRows(iri, earlier, _given(line)))
                continue
            node = _practice_node(line)
            if node is not None:
                self._pending.append(node)
            elif line.startswith(_CONCEPT_MARK):
                concept = json.loads(line)
                if concept["id"] not in self.names:
                    name = concept.get("prefLabel", {}).get("id")
                    if name:
                        self.names[concept["id"]] = _one(name)

    def take_spooled(self, spooled: SpooledGroups, files: SpoolFiles) -> tuple[Row, ...]:
        """Take in a batch's practice groups (as :meth:`take_lines` their joined lines);
        return the rows now ready to write.

        A group the batch borrows from the earlier release, of a practice whose rows that
        release wrote, is not read: a practice's own group holds no concept, so its lines
        name nothing a row shows (its line is read only if its rows must be built again).
        """
        borrowed = spooled.borrowed
        if not borrowed or not (self.reusable_at or self.reusable_runs):
            return self.take_lines(spooled.bytes_of(_JSONLD, files))
        ready = self._flush()
        start = 2 * _JSONLD
        found: list[str | RowsRun | None] = []
        for spans in borrowed:
            if spans is None:
                found.append(None)
                continue
            members = self.reusable_runs.pop(spans[start], None)
            if members is not None:
                found.append(members)
                continue
            iri = self.reusable_at.pop(spans[start], None)
            found.append(iri if iri is not None and iri in self.reusable else None)
        parts = spooled.parts_of(_JSONLD, files, [iri is None for iri in found])
        for spans, taken, part in zip(borrowed, found, parts, strict=True):
            if isinstance(taken, RowsRun):
                self._pending.append(_PendingRun(taken, files.earlier[_JSONLD]))
                continue
            iri = taken
            if iri is None or spans is None:
                if part:
                    self._take_lines(part)
                continue
            read = partial(_read_practice_line, files.earlier[_JSONLD], spans[start],
                           spans[start + 1], iri)  # fmt: skip
            self._pending.append(ReusedRows(iri, self.reusable.pop(iri), read))
        return ready

    def _flush(self) -> tuple[Row, ...]:
        names = self.names
        rows: list[Row] = []
        for pending in self._pending:
            if isinstance(pending, _PendingRun):
                run, earlier = pending
                if all(
                    names.get(theme, "") == theme_name
                    and names.get(indicator, "") == indicator_name
                    for theme, theme_name, indicator, indicator_name in set(run.names)
                ):
                    rows.append(run)
                else:  # a name changed since: each practice on its own
                    rows += (_row(run.reused(at, earlier), names) for at in range(len(run.iris)))
            else:
                rows.append(_row(pending, names))
        self._pending = []
        if self.noting:
            self._hand(rows)
        return tuple(rows)

    def wrote(self, sink: int, spans: list[int]) -> None:
        """Note where sink number ``sink`` wrote the rows of the last event (offset and
        length, flat, one pair for each row in the order handed out)."""
        while len(self._noted) <= sink:
            self._noted.append([])
        self._noted[sink] += spans

    @property
    def handed(self) -> list[tuple[str, tuple[str, str, str, str]]]:
        """Return each practice whose rows were handed out, with the theme and indicator
        IRIs and names they show, in order."""
        return self._handed

    @property
    def noted(self) -> list[list[int]]:
        """Return where each sink wrote the rows handed out (offset and length, flat, in
        the order handed out)."""
        count = len(self._handed)
        if any(len(flat) != 2 * count for flat in self._noted):
            raise AssertionError("every sink notes every row, in the order handed out")
        return self._noted

    def _hand(self, rows: Sequence[Row]) -> None:
        """Note the rows about to be handed to the sinks (a run that records its work)."""
        handed = self._handed
        for row in rows:
            if isinstance(row, RowsRun):
                handed += zip(row.iris, row.names, strict=True)
            elif isinstance(row, ReusedRows):
                written = row.written
                names = (written.theme, written.theme_name, written.indicator,
                         written.indicator_name)  # fmt: skip
                handed.append((row.iri, names))
            else:
                names = (_THEME + row.theme, row.theme_name, _INDICATOR + row.indicator,
                         row.indicator_name)  # fmt: skip
                handed.append((row.iri, names))

    def finish(self) -> tuple[Row, ...]:
        """Return the rows still held (the last batch's), once for every sink."""
        if self._finished is None:
            self._finished = self._flush()
        return self._finished
