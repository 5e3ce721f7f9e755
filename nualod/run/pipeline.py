"""Turn inputs into records ready to write: read, link, map, validate and render, in batches.

This is the costly, stateless part of publishing, so it runs in worker processes when the
input is large: :func:`process` takes a :class:`Job` (page files, or table rows read by the
publishing process) and returns a :class:`Batch`: in input order, a :class:`Rejection` or
a :class:`Candidate` per input, with the candidates' groups rendered as bytes and counted.
What depends on the whole run (duplicates, the code lists, which shared node was written
already) stays with the publishing process (:mod:`nualod.run.publish`), which only appends
bytes; so one process or several give byte-identical dumps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple

from nualod.errors import InputError
from nualod.figures import MAX_FIGURES
from nualod.link.codes import seed_concepts
from nualod.link.practice import link_practice
from nualod.map.practice import PracticeMapper, PracticeParts, practice_parts, region_triples
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import CODES, PREFIXES, theme_iri
from nualod.model.records import Indicator, LinkedPractice, Origin, Practice, Theme
from nualod.model.terms import WEB_PAGE
from nualod.model.triples import Described, TermTriple
from nualod.read.inputs import (
    TABLE_SUFFIXES,
    WORKBOOK_SUFFIXES,
    PracticeInputs,
    input_items,
    read_file,
    read_page_at,
)
from nualod.releases.history import description_digest
from nualod.releases.reuse import (
    Seen,
    WorkSource,
    page_entry,
    page_key,
    page_state,
    work_fingerprint,
)
from nualod.validate.fast import validator_for
from nualod.validate.report import withheld_reason
from nualod.validate.shacl import ValidationReport, ValidationResult
from nualod.write.dumps import (
    FORMATS,
    Borrowed,
    Rendered,
    SpooledGroups,
    render,
    render_plain,
    render_typed_node,
    spool_groups,
    turtle_writer,
)
from nualod.write.stats import UNCOUNTED, GroupShape, GroupStats, StatsAccumulator, group_shape
from nualod.write.text import TurtleWriter

#: Inputs per job: large enough to validate in one batch, small enough to stream.
JOB_SIZE: Final = 500


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input, or a practice, that was not published, and why."""

    where: str
    reason: str
    field: str | None = None
    practice: str | None = None
    problems: tuple[ValidationResult, ...] = ()

    @classmethod
    def of(cls, error: InputError) -> Rejection:
        """Return the rejection an input error stands for."""
        return cls(error.where, error.reason, error.field)

    @property
    def message(self) -> str:
        """Return the one-line message shown to people."""
        return (
            f"{self.where}: {self.field}: {self.reason}"
            if self.field
            else f"{self.where}: {self.reason}"
        )

    def as_json(self) -> dict[str, object]:
        """Return the rejection as a JSON object (the ``rejected.json`` schema)."""
        return {
            "where": self.where,
            "field": self.field,
            "reason": self.reason,
            "practice": self.practice,
            "problems": [
                {
                    "focus_node": p.focus_node,
                    "path": p.path,
                    "severity": p.severity,
                    "message": p.message,
                    "value": p.value,
                }
                for p in self.problems
            ],
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A practice that read, linked and conforms; its rendered group is in its batch.

    ``theme`` and ``indicator`` are its codes, for the run's code book; ``shared`` names
    the nodes it points to (concepts, sources) that its batch rendered in case it is the
    first to need them; ``warnings`` identifies its warnings for counting once.
    ``digest`` is the SHA-256 of its own group's N-Triples lines, sorted (what a changelog
    compares), and ``page_url`` the NUF page it was read from, when known (its identity
    across releases: :mod:`nualod.releases.history`).
    """

    iri: str
    where: str
    theme: int
    indicator: Indicator
    shared: tuple[str, ...]
    warnings: tuple[tuple[str, str | None, str | None], ...]
    digest: str = ""
    page_url: str | None = None
    #: When its page was retrieved (ISO 8601, UTC) and the SHA-256 of the page's bytes, for
    #: the PROV-O of a versioned release (nualod.releases.provenance); None when unknown.
    retrieved: str | None = None
    page_sha256: str | None = None
    #: The theme's name as the page gives it (its concept node depends on it).
    theme_name: str | None = None
    #: What the publishing process says of the page, each a ``note:`` line after where the
    #: page is (a text that states more figures than are published).
    notes: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[type[Candidate], tuple[object, ...]]:
        # Sent by workers for every practice; see nualod.write.dumps.Rendered.__reduce__.
        return Candidate, (
            self.iri, self.where, self.theme, self.indicator, self.shared, self.warnings,
            self.digest, self.page_url, self.retrieved, self.page_sha256, self.theme_name,
            self.notes,
        )  # fmt: skip

    @property
    def codes(self) -> tuple[Theme, Indicator]:
        """Return its theme and indicator as the page gives them."""
        return Theme(self.theme, self.theme_name), self.indicator


@dataclass(frozen=True, slots=True)
class ReusedRun:
    """Pages the previous release's record holds one after the other, each as it is now,
    taken whole: the publishing process reads their facts from the record's columns
    (:class:`~nualod.releases.reuse.PageFacts`) instead of a candidate each.

    ``start`` is the first page's row in the record; ``items`` the page files, in order
    (where each page is now: what a message about one says); ``states`` how each stood.
    """

    start: int
    items: tuple[str, ...]
    states: tuple[Seen | None, ...]

    @property
    def count(self) -> int:
        """Return how many pages the run holds."""
        return len(self.items)


Outcome = Candidate | Rejection | ReusedRun

#: The page's label of each field whose figures are read.
_FIELD_LABELS: Final = {"abstract": "Ringkasan", "description": "Deskripsi"}
#: The note of a field whose text states more figures than are published.
FIGURES_CAPPED: Final = f"the first {MAX_FIGURES:,} figures are published; the text states more"


@dataclass(frozen=True, slots=True)
class Batch:
    """What one job gives the publishing process: an outcome per input, in input order,
    and everything its candidates need written.

    ``own`` holds each candidate's own group (the practice and its provenance nodes), in
    candidate order, in a spool file (the bulk of a batch: it is copied into the dumps, not
    sent); ``counted`` the figures of all of them together, so a batch written whole is
    counted in one step; ``shared`` the nodes the candidates point to, by key.
    """

    outcomes: tuple[Outcome, ...]
    own: SpooledGroups
    counted: StatsAccumulator
    shared: dict[str, Rendered]
    #: Each outcome's page key (:func:`nualod.releases.reuse.page_key`), None for a table
    #: row or a page that could not be read.
    keys: tuple[str | None, ...] = ()
    #: Each outcome's entry for the record of work (:func:`~nualod.releases.reuse.page_entry`).
    entries: tuple[bytes | None, ...] = ()
    #: How many of its candidates the previous release's work gave.
    reused: int = 0
    #: How each outcome's page file stood when its key was made (None: no key, or a file
    #: changed too recently for its state to vouch for its bytes).
    states: tuple[Seen | None, ...] = ()
    #: Why the previous release's record was left unused while this batch was made, as
    #: ``note:`` lines (an entry naming what no record holds).
    notes: tuple[str, ...] = ()
    #: The shapes of the candidates' groups (each once), and for each outcome its
    #: group's shape (an index into ``shapes``), issue date and retrieval time (None for
    #: a rejection and a run): what the record keeps of its figures.
    shapes: tuple[GroupShape, ...] = ()
    figures: tuple[tuple[int, str | None, str | None] | None, ...] = ()


#: A job item: a page file to read (its path, as a string: cheaper to send to a worker),
#: a practice already read (a table row), or a rejection.
Item = str | Practice | Rejection


@dataclass(frozen=True, slots=True)
class Settings:
    """What every job of one run shares."""

    base: str
    spool: Path
    validate: bool = True
    validator: str = "fast"
    figures: bool = True
    #: The release whose recorded work (:mod:`nualod.releases.reuse`) pages may reuse.
    reuse_from: Path | None = None
    #: Whether the run records its work (each page's key and entry), for a release to follow.
    record: bool = False

    @property
    def fingerprint(self) -> str:
        """Return what a release's record of work must match to be reused by this run."""
        return work_fingerprint([self.base, self.validate, self.validator, self.figures])


@dataclass(frozen=True, slots=True)
class Job:
    """A batch of inputs, in order."""

    items: tuple[Item, ...]


def jobs(inputs: PracticeInputs, size: int | None = None) -> Iterator[Job]:
    """Split the inputs into jobs, in a stable order; table rows are read here, pages later."""
    size = size or JOB_SIZE
    batch: list[Item] = []
    for item in _items(inputs):
        batch.append(item)
        if len(batch) >= size:
            yield Job(tuple(batch))
            batch = []
    if batch:
        yield Job(tuple(batch))


def _items(inputs: PracticeInputs) -> Iterator[Item]:
    for name in input_items(inputs):
        if isinstance(name, Practice):
            yield name  # read by the program that gives it
        elif isinstance(name, InputError):
            yield Rejection.of(name)
        elif name.lower().endswith(_READ_HERE):
            for result in read_file(Path(name)):
                yield Rejection.of(result) if isinstance(result, InputError) else result
        else:
            yield name


#: Tables are read here, row by row; a workbook is refused here, saying how to save it.
_READ_HERE: Final = tuple(TABLE_SUFFIXES | WORKBOOK_SUFFIXES)


#: Rendered concepts of this process, by base IRI and code as read (a few hundred), or None
#: when the seed already says all of it.
_rendered_concepts: dict[tuple[str, Theme | Indicator], Rendered | None] = {}
#: Rendered source pages of this process, by base IRI and URL. A region's portal pages recur
#: all run long, an article's page hardly ever, hence the bound.
_rendered_sources: dict[tuple[str, str], Rendered] = {}
_RENDERED_SOURCES_BOUND: Final = 20_000
_WEB_PAGE: Final = WEB_PAGE.value


def _rendered_node(
    key: str,
    triples: list[TermTriple],
    practice: Practice,
    iris: DataIRIs,
    mapper: PracticeMapper,
    prefixes: dict[str, str],
    turtle: TurtleWriter,
) -> Rendered | None:
    """Return a shared node rendered, from this process's caches when it can be.

    A node's triples depend on nothing but its code (a concept) or URL (a source page), so
    a cached rendering is the one rendering them again would give.
    """
    if key.startswith(CODES):
        code = _code_of(key, practice.theme, practice.indicator)
        return _rendered_concept(code, key, triples, iris, mapper, prefixes)
    known = (iris.base, key)
    rendered = _rendered_sources.get(known)
    if rendered is None:
        if len(_rendered_sources) >= _RENDERED_SOURCES_BOUND:
            _rendered_sources.clear()
        kept = mapper.beyond_seed(key, triples)
        # Unseeded (kept whole), a node that is no concept is a source page, one triple.
        if kept is triples and len(triples) == 1:
            rendered = render_typed_node(iris.graph("practices"), key, _WEB_PAGE, turtle)
        else:
            rendered = render(iris.graph("practices"), kept, prefixes, iris.base)
        _rendered_sources[known] = rendered
    return rendered


def _code_of(key: str, theme: Theme, indicator: Indicator) -> Theme | Indicator:
    """Return which of a page's codes the concept IRI ``key`` names."""
    return theme if key == theme_iri(theme.number) else indicator


def _rendered_concept(
    code: Theme | Indicator,
    key: str,
    triples: list[TermTriple],
    iris: DataIRIs,
    mapper: PracticeMapper,
    prefixes: dict[str, str],
) -> Rendered | None:
    """Return a theme or indicator concept node as a page names it, rendered (None when the
    seed already says all of it)."""
    cached = (iris.base, code)
    if cached not in _rendered_concepts:
        kept = mapper.beyond_seed(key, triples)
        _rendered_concepts[cached] = (
            render(iris.graph("vocabulary"), kept, prefixes, iris.base) if kept else None
        )
    return _rendered_concepts[cached]


def _named_concept(
    node: str, theme: Theme, indicator: Indicator, settings: Settings
) -> Rendered | None:
    """Return the concept ``node`` (a page's theme or indicator) as a page that gives these
    codes names it, rendered (None when the seed already says all of it)."""
    iris, mapper, prefixes, _ = _context(settings)
    code = _code_of(node, theme, indicator)
    _, triples = mapper.concept(code)
    return _rendered_concept(code, node, triples, iris, mapper, prefixes)


@cache
def _context(
    settings: Settings,
) -> tuple[DataIRIs, PracticeMapper, dict[str, str], TurtleWriter]:
    """Return the per-process tools of a run (built once in each worker)."""
    iris = DataIRIs(settings.base)
    prefixes = {**PREFIXES, **iris.prefixes()}
    return iris, PracticeMapper(iris, seed_concepts()), prefixes, turtle_writer(prefixes)


@cache
def work_source(settings: Settings) -> WorkSource | None:
    """Return the previous release's record of work for this run (read once per process)."""
    return _opened_work(settings)[0]


def work_notes(settings: Settings) -> tuple[str, ...]:
    """Return why the previous release's record was left unused, as ``note:`` lines (none
    when it was taken, or when it was made otherwise or damaged: that goes unsaid)."""
    return _opened_work(settings)[1]


def forget_work() -> None:
    """Forget the previous release's record this process opened (it can be gigabytes)."""
    work_source.cache_clear()
    _opened_work.cache_clear()


@cache
def _opened_work(settings: Settings) -> tuple[WorkSource | None, tuple[str, ...]]:
    if settings.reuse_from is None:
        return None, ()
    notes: list[str] = []
    return WorkSource.open(settings.reuse_from, settings.fingerprint, notes), tuple(notes)


def _key(item: str | Practice, source: WorkSource | None) -> tuple[str | None, Seen | None]:
    """Return a page file's key and how the file stands (:func:`page_state`); a key of None
    for a table row, or a page that cannot be read (the reader says why, in its words).

    A page the previous release's record saw in the same state has that record's key: its
    bytes are not read (the costly part of a run that reuses work, when a million pages are
    no longer in memory)."""
    if not isinstance(item, str):
        return None, None
    seen = page_state(item)
    if seen is not None and source is not None:
        known = source.known_key(seen)
        if known is not None:
            return known, seen
    try:
        return page_key(item), seen
    except OSError:
        return None, None


def _reused_page(source: WorkSource, key: str, item: str, settings: Settings) -> Reused | None:
    """Return a page as the previous release's work has it, None if it has not.

    Its concept nodes are rendered here, as the page names them: the previous release
    recorded only the rendering it wrote, which another page's name may have given.
    """
    iris, _, _, turtle = _context(settings)

    def concept(candidate: Candidate, node: str) -> Rendered | None:
        if not node.startswith(CODES):
            return None
        return _named_concept(node, *candidate.codes, settings)

    def typed(node: str, graph: str, stats: GroupStats) -> Rendered | None:
        # One triple, its type: what _rendered_node wrote for an unseeded source page.
        if stats.triples != 1 or stats.subjects != (node,) or len(stats.classes) != 1:
            return None
        return render_typed_node(graph, node, stats.classes[0], turtle)

    found = source.page(key, lambda c: c.shared, concept, iris.graph("practices"), typed)
    if found is None:
        return None
    # The page may have moved: the candidate names where it is now.
    return replace(found[0], where=Origin(item).describe()), found[1], found[2], found[3]


#: A page a previous release published as it is now: its candidate, renderings and entry.
Reused = tuple["Candidate", Borrowed, list[tuple[str, Rendered]], bytes]


def process(job: Job, settings: Settings) -> Batch:
    """Read, link, map, validate and render one job; return its outcomes and renderings.

    A page the previous release recorded as it is now (same bytes, same settings) is taken
    from that release's record and dumps instead (:mod:`nualod.releases.reuse`); pages it
    recorded one after the other are taken together, as a :class:`ReusedRun`.
    """
    iris, mapper, prefixes, turtle = _context(settings)
    source = work_source(settings)
    practices_graph = iris.graph("practices")
    slots: list[Outcome | LinkedPractice | Reused | _Run] = []
    keys: list[str | None] = []
    states: list[Seen | None] = []
    runs = _Runs(source, settings) if source is not None else None
    for item in job.items:
        if isinstance(item, Rejection):
            slots.append(item)
            keys.append(None)
            states.append(None)
            continue
        key, seen = _key(item, source) if settings.record else (None, None)
        if runs is not None and key is not None and isinstance(item, str):
            last = slots[-1] if slots else None
            run = runs.take(key, item, seen, last if isinstance(last, _Run) else None)
            if run is not None:
                if run is not last:
                    slots.append(run)
                    keys.append(None)
                    states.append(None)
                continue
        keys.append(key)
        states.append(seen)
        if source is not None and key is not None and isinstance(item, str):
            reused_page = _reused_page(source, key, item, settings)
            if reused_page is not None:
                slots.append(reused_page)
                continue
        try:
            linked_practice = link_practice(read_page_at(item) if isinstance(item, str) else item)
            _check_not_ours(linked_practice.practice, iris)
            slots.append(linked_practice)
        except InputError as error:
            slots.append(Rejection.of(error))
    linked = [slot for slot in slots if isinstance(slot, LinkedPractice)]
    records = [
        _Record(one, practice_parts(one, iris, figures=settings.figures), mapper.shared_nodes(one))
        for one in linked
    ]
    # Pages that give the same IRI (one practice, its date or text changed) are validated
    # apart, a round each: together, their two dates were one node's, and both were withheld
    # for "more than one date"; the first to conform is then kept, as across batches.
    judged_at: dict[int, Rejection | tuple[Candidate, Rendered, list[tuple[str, Rendered]]]] = {}
    for round_ in _rounds(records):
        chosen = [records[at] for at in round_]
        report = ValidationReport(())
        if settings.validate:
            report = _validated(chosen, iris, settings)
        judged_at.update(
            zip(round_, _judge(chosen, report, iris, mapper, prefixes, turtle), strict=True)
        )
    judged = iter(judged_at[at] for at in range(len(records)))
    outcomes: list[Outcome] = []
    own_groups: list[Rendered | Borrowed] = []
    node_groups: dict[str, Rendered] = {}
    counted = StatsAccumulator(iris.base)
    reused = 0
    entries: list[bytes | None] = []
    shapes: dict[GroupShape, int] = {}
    figures: list[tuple[int, str | None, str | None] | None] = []
    for slot, key in zip(slots, keys, strict=True):
        entry: bytes | None = None
        figure: tuple[GroupShape, str | None, str | None] | None = None  # what is recorded
        rendered: Rendered | Borrowed
        if isinstance(slot, _Run):
            assert runs is not None
            reused += slot.count
            outcomes.append(slot.outcome())
            entries.append(None)
            figures.append(None)
            own_groups.append(runs.group(slot, practices_graph))
            runs.count(slot, counted, practices_graph)
            for node_key, node_group in slot.nodes:
                node_groups.setdefault(node_key, node_group)
            continue
        if isinstance(slot, tuple):
            reused += 1
            candidate, rendered, nodes, entry = slot
            assert source is not None and key is not None
            figure = source.figures(key)
        elif isinstance(slot, LinkedPractice):
            outcome = next(judged)
            if isinstance(outcome, Rejection):
                outcomes.append(outcome)
                entries.append(None)
                figures.append(None)
                continue
            candidate, rendered, nodes = outcome
            if key is not None:
                # Where the page is is not kept: a run that reuses it says where it is then.
                stats = rendered.stats
                entry = page_entry(replace(candidate, where=""), stats)
                figure = (group_shape(stats, iris.base), stats.issued, stats.retrieved)
        else:
            outcomes.append(slot)
            entries.append(None)
            figures.append(None)
            continue
        entries.append(entry)
        outcomes.append(candidate)
        figures.append(
            None if figure is None else (shapes.setdefault(figure[0], len(shapes)), *figure[1:])
        )
        own_groups.append(rendered)
        counted.add(rendered.graph, rendered.stats)
        for node_key, node_group in nodes:
            node_groups.setdefault(node_key, node_group)
    spooled = spool_groups(practices_graph, own_groups, settings.spool)
    return Batch(
        tuple(outcomes),
        spooled,
        counted,
        node_groups,
        tuple(keys),
        tuple(entries),
        reused,
        tuple(states),
        (source.refused,) if source is not None and source.refused is not None else (),
        tuple(shapes),
        tuple(figures),
    )


@dataclass(slots=True)
class _Run:
    """A run of recorded pages being formed (:class:`ReusedRun` once formed), with the
    concepts its pages name first in the run, rendered as they name them."""

    start: int
    items: list[str]
    states: list[Seen | None]
    nodes: list[tuple[str, Rendered]]
    named: set[str]

    @property
    def count(self) -> int:
        return len(self.items)

    def outcome(self) -> ReusedRun:
        return ReusedRun(self.start, tuple(self.items), tuple(self.states))


class _Runs:
    """Forms the runs of a job from the previous release's record (a worker's share of
    taking recorded pages whole)."""

    def __init__(self, source: WorkSource, settings: Settings) -> None:
        self.source = source
        self.settings = settings
        #: Each concept as a page's codes name it: its rendering, None when the seed says
        #: all of it (such a page is not taken whole: the record holds no rendering of it).
        self._concepts: dict[tuple[str, int], Rendered | None] = {}

    def take(self, key: str, item: str, seen: Seen | None, last: _Run | None) -> _Run | None:
        """Add the page ``item`` (of ``key``) to the run ``last`` or to a new run and
        return that run; None when the page cannot be taken whole."""
        source = self.source
        if source.refused is not None:
            return None
        pages = source.pages
        at = pages.index.get(key)
        if at is None or not pages.runnable(at):
            return None
        concepts: list[tuple[str, Rendered]] = []
        for node in pages.shared_of(at, at + 1)[0]:
            if node.startswith(CODES):
                rendered = self._concept(node, pages.codes_ids(at, at + 1)[0])
                if rendered is None:
                    return None
                concepts.append((node, rendered))
            elif node not in source.nodes.index:
                return None
        run = last
        if run is None or at != run.start + run.count or not pages.follows(at):
            run = _Run(at, [], [], [], set())
        run.items.append(item)
        run.states.append(seen)
        for node, rendered in concepts:
            if node not in run.named:
                run.named.add(node)
                run.nodes.append((node, rendered))
        return run

    def _concept(self, node: str, codes_id: int) -> Rendered | None:
        known = (node, codes_id)
        if known not in self._concepts:
            theme, (number, name, indicator_theme), theme_name = self.source.pages.codes_value(
                codes_id
            )
            self._concepts[known] = _named_concept(
                node,
                Theme(theme, theme_name),
                Indicator(number, name, indicator_theme),
                self.settings,
            )
        return self._concepts[known]

    def group(self, run: _Run, graph: str) -> Borrowed:
        """Return where the run's groups lie in the previous dumps, as one group."""
        pages = self.source.pages
        spans = tuple(
            value
            for index in range(len(FORMATS))
            for value in pages.run_span(run.start, run.count, index)
        )
        return Borrowed(graph, spans, UNCOUNTED)

    def count(self, run: _Run, counted: StatsAccumulator, graph: str) -> None:
        """Add the figures of the run's groups to ``counted``."""
        self.source.pages.count(counted, graph, run.start, run.count)


#: Where nualod's own vocabulary, codes and shapes live, whatever the data's base IRI.
_NUALOD_NAMESPACE: Final = "https://w3id.org/nualod/"


def _check_not_ours(practice: Practice, iris: DataIRIs) -> None:
    """Refuse a practice that names, as a page it comes from or cites, an IRI this dataset
    mints: its node would describe the dataset's own resource (a practice, a figure, a
    term of the vocabulary) as a web page, and the site would show a page of a practice
    that was never published (security review).

    >>> import datetime as dt
    >>> from nualod.model.records import City, Source
    >>> practice = Practice(Theme(10), Indicator(47, "x", 10), City("Kota Pekalongan"), None,
    ...     None, None, (Source("https://w3id.org/nualod/id/x"),),
    ...     dt.date(2025, 12, 18), Origin("a.txt"))
    >>> try:
    ...     _check_not_ours(practice, DataIRIs())
    ... except InputError as error:
    ...     print(error.field, error.reason)
    sources 'https://w3id.org/nualod/id/x' is an IRI of this dataset, not a page that reports the practice
    """
    ours = (iris.base, _NUALOD_NAMESPACE)
    for source in practice.sources:
        if source.url.startswith(ours):
            raise InputError(
                practice.origin.describe(),
                f"{source.url!r} is an IRI of this dataset, not a page that reports the practice",
                field="sources",
            )
    page = practice.origin.page_url
    if page is not None and page.startswith(ours):
        raise InputError(
            practice.origin.describe(),
            f"{page!r} is an IRI of this dataset, not the page the practice was read from",
            field="page_url",
        )


class _Record(NamedTuple):
    """What :func:`process` makes of a linked practice before it is judged: its triples and
    figures, and the nodes it points to, by key."""

    linked: LinkedPractice
    parts: PracticeParts
    shared: dict[str, list[TermTriple]]


def _rounds(records: Sequence[_Record]) -> list[list[int]]:
    """Return the places of ``records`` in rounds with one record of an IRI each: the first
    record of every IRI in the first round, the second in the next, and so on."""
    rounds: list[list[int]] = []
    seen: dict[str, int] = {}
    for at, record in enumerate(records):
        iri = record.parts.plain[0].subject
        times = seen.get(iri, 0)
        seen[iri] = times + 1
        if times == len(rounds):
            rounds.append([])
        rounds[times].append(at)
    return rounds


def _validated(records: Sequence[_Record], iris: DataIRIs, settings: Settings) -> ValidationReport:
    """Validate the practices of ``records`` together, with the nodes they point to."""
    context: list[TermTriple] = []
    described: list[Described] = []
    regions: set[str] = set()
    in_context: set[int] = set()
    for one, parts, shared in records:
        context += parts.terms
        for figure in parts.figures:
            described += figure.described()
        if one.region.code not in regions:
            regions.add(one.region.code)
            context += region_triples(one.region, iris)
        for node_triples in shared.values():
            # The mapper gives a concept named alike the same list, alive all job long;
            # anything else given twice is harmless, as a graph is a set.
            if id(node_triples) not in in_context:
                in_context.add(id(node_triples))
                context += node_triples
    validate = validator_for(settings.validator)
    # The regions come back in every job, the same: checked once per process.
    recurring = {iris.region(code) for code in regions}
    report = validate(context, describe=False, recurring=recurring, nodes=described)
    if not report.conforms:  # rejections name the nodes at fault: describe them
        report = validate(context, recurring=recurring, nodes=described)
    return report


def _page_facts(practice: Practice) -> tuple[str | None, str | None]:
    """Return when a practice's page was retrieved and the SHA-256 of its file, if it has a URL."""
    origin = practice.origin
    if origin.page_url is None:
        return None, None
    retrieved = origin.retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ") if origin.retrieved_at else None
    digest = None
    if origin.record is None:  # a page file, not a table row
        try:
            digest = hashlib.sha256(Path(origin.location).read_bytes()).hexdigest()
        except OSError:  # gone since it was read: the provenance says less
            digest = None
    return retrieved, digest


def _judge(
    records: Sequence[_Record],
    report: ValidationReport,
    iris: DataIRIs,
    mapper: PracticeMapper,
    prefixes: dict[str, str],
    turtle: TurtleWriter,
) -> Iterator[Rejection | tuple[Candidate, Rendered, list[tuple[str, Rendered]]]]:
    """Yield each record's rejection, or its candidate with its renderings.

    A practice is judged on every node it publishes or points to: itself (and its
    provenance nodes), its region, and its shared nodes (concepts, sources). A violation
    on a shared node withholds exactly the practices pointing at it; warnings and info
    never withhold.
    """
    problems: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        problems.setdefault(result.focus_node, []).append(result)
    practices_graph = iris.graph("practices")
    for linked, (_, own_plain, figures, capped), shared in records:
        iri = own_plain[0].subject
        found: tuple[ValidationResult, ...] = ()
        if problems:
            owned = [
                iri,
                *(t.subject for t in own_plain),
                *(node for figure in figures for node in figure.subjects),
                iris.region(linked.region.code),
                *shared,
            ]
            found = tuple(r for node in dict.fromkeys(owned) for r in problems.get(node, ()))
        if any(r.severity == "Violation" for r in found):
            title = report.node(iri).label or iri
            yield Rejection(
                linked.practice.origin.describe(),
                f'practice "{title}" ' + withheld_reason(report, iri, found),
                practice=iri,
                problems=found,
            )
            continue
        rendered_shared = []
        for key, triples in shared.items():
            rendered = _rendered_node(key, triples, linked.practice, iris, mapper, prefixes, turtle)
            if rendered is not None:
                rendered_shared.append((key, rendered))
        practice = linked.practice
        rendered_own = render_plain(practices_graph, own_plain, turtle, iris.base, figures)
        candidate = Candidate(
            iri,
            practice.origin.describe(),
            practice.theme.number,
            practice.indicator,
            tuple(key for key, _ in rendered_shared),
            tuple(
                (r.focus_node, r.source_shape, r.value) for r in found if r.severity == "Warning"
            ),
            description_digest(rendered_own.ntriples),
            practice.origin.page_url,
            *_page_facts(practice),
            practice.theme.name,
            tuple(f"{_FIELD_LABELS[field]}: {FIGURES_CAPPED}" for field in capped),
        )
        yield candidate, rendered_own, rendered_shared
