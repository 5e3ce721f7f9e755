"""Publish practices: read, link, map, validate and write the dumps, record by record.

Nothing here holds the whole dataset: inputs stream through in jobs
(:mod:`nualod.run.pipeline`), in worker processes when the input is large; each job is
validated with the SHACL shapes, practices with violations are withheld and reported, and
the rest are appended to every dump. What depends on the whole run — duplicates, the NUF
code lists, which shared node is already written, the figures VoID needs — is decided here,
in input order, so the dumps do not depend on the number of processes. Everything is written
into a staging folder and made the current release in one step only when the whole run
succeeded (:class:`PublishRun`, :mod:`nualod.releases.layout`). A run that follows a release
takes the pages that did not change from that release's work (:mod:`nualod.releases.reuse`)
and records its own, for the next.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
from collections import ChainMap, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, NoReturn, TypeVar

from rdflib import Graph

from nualod import __version__
from nualod.describe.catalog import (
    Release,
    check_download_base,
    check_endpoint,
    default_download_base,
    default_modified,
)
from nualod.describe.publisher import DEFAULT_PUBLISHER, Publisher
from nualod.errors import (
    DuplicateError,
    InputError,
    NothingPublishedError,
    PublishError,
    StrictRejectionError,
    Terminated,
    UsageError,
    cannot_write,
    library_text,
    option,
    terminate_as_interrupt,
    worker_signals,
)
from nualod.files.current import CURRENT
from nualod.files.forked import CalledNow, ForkedCall, ForkedCallError, call_beside
from nualod.files.pool import worker_pool
from nualod.link.codes import CodeBook, seed_concepts
from nualod.link.practice import link_practice
from nualod.map.graphs import fixed_graphs
from nualod.map.practice import PracticeMapper, practice_triples, region_triples
from nualod.model.collector import fewer_collections, settle_worker
from nualod.model.iris import DataIRIs, release_activity
from nualod.model.namespaces import CODES, DEFAULT_BASE, PREFIXES
from nualod.model.records import Indicator, Origin
from nualod.model.triples import TermTriple
from nualod.read.inputs import PracticeInputs, given_inputs, read_inputs
from nualod.releases.changelog import CHANGELOG_JSON, CHANGELOG_MD, Changelog, diff_indexes
from nualod.releases.feed import (
    FEED_DIR,
    ROOT_NAME,
    FeedWriter,
    activities,
    carried_pages,
    page_moments,
    release_moment,
    release_moments,
    rewritten_page,
    stream_of,
)
from nualod.releases.history import (
    INDEX_NAME,
    LIVE,
    IndexEntry,
    PreviousRelease,
    description_digest,
    kept_titles,
    tombstone_triples,
    tombstones,
    write_index,
)
from nualod.releases.layout import (
    KEEP_PREVIOUS,
    MANIFEST,
    RELEASES,
    ManifestFile,
    OutFolder,
    WriterLock,
    check_version,
    checkpoint,
    read_manifest,
    remove_stale,
)
from nualod.releases.provenance import (
    PROVENANCE_GRAPH,
    InputPage,
    generation_group,
    generation_pairs,
    run_triples,
)
from nualod.releases.reuse import (
    NodeTable,
    PageFacts,
    PageTable,
    WorkRecorder,
    WorkSource,
    group_spans,
    run_group,
    span,
)
from nualod.run.pipeline import (
    Batch,
    Candidate,
    Job,
    Rejection,
    ReusedRun,
    Settings,
    forget_work,
    jobs,
    process,
    work_notes,
    work_source,
)
from nualod.run.release import (
    RELEASE_FILE_NAMES,
    DumpMeasuring,
    StagedRelease,
    stage_release,
    write_release_manifest,
)
from nualod.validate.shacl import triples_to_graph
from nualod.write.dumps import (
    FORMATS,
    DumpSink,
    JsonLdSink,
    NQuadsSink,
    NTriplesSink,
    Rendered,
    TurtleSink,
    render,
    turtle_writer,
)
from nualod.write.formats import DUMP_FILE_NAMES, NQUADS, NTRIPLES, DumpFile, open_sinks
from nualod.write.rows import RowSource, RowsRun
from nualod.write.stats import StatsAccumulator
from nualod.write.store import STORE_NAME, LoadedStore, ProcessLoad
from nualod.write.tablesinks import RowSink

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult


__all__ = [
    "PublishOptions",
    "PublishResult",
    "PublishRun",
    "Rejection",
    "Terminated",
    "practices_graph",
    "publish",
    "terminate_as_interrupt",
]

T = TypeVar("T")

NQUADS_NAME: Final = NQUADS.file_name
NTRIPLES_NAME: Final = NTRIPLES.file_name
REJECTED_NAME: Final = "rejected.json"
#: The folder of spool files in a staging folder (removed before the commit).
SPOOL_NAME: Final = ".spool"
#: Triples per group of the provenance graph's wasGeneratedBy statements.
PROVENANCE_CHUNK: Final = 30_000
#: Below this many jobs, worker processes cost more than they save.
PARALLEL_FROM_JOBS: Final = 4


@dataclass(frozen=True, slots=True)
class PublishResult:
    """What a publish run wrote and what it left out."""

    published: tuple[str, ...]
    rejected: tuple[Rejection, ...]
    files: tuple[Path, ...]
    warnings: int = 0
    notices: tuple[str, ...] = ()
    #: How many pages were taken from the previous release's work, not read again.
    reused: int = 0
    #: The release's own folder (``OUT/releases/NAME``): ``files`` name OUT's links, which
    #: a later publish points at its release; the same names in this folder stay this one's
    #: for as long as it is kept.
    release: Path | None = None
    #: Its version (``version``); None for a release named after its content.
    version: str | None = None
    #: ``notices`` with the keyword arguments they name marked (:func:`nualod.errors.option`),
    #: for a front end to name its own options (the command line's ``--previous``).
    marked_notices: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def complete(self) -> bool:
        """Tell whether every input was published."""
        return not self.rejected


def default_workers() -> int:
    """Return how many worker processes a large run uses: one per core the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def batches(
    inputs: PracticeInputs, settings: Settings, workers: int | None = None
) -> Iterator[Batch]:
    """Yield a batch per job, in input order, from worker processes if it pays."""
    count = default_workers() if workers is None else workers
    pending = jobs(inputs)
    first: list[Job] = []
    for job in pending:
        first.append(job)
        if len(first) >= PARALLEL_FROM_JOBS:
            break
    if count <= 1 or len(first) < PARALLEL_FROM_JOBS:
        for job in [*first, *pending]:
            yield process(job, settings)
        return
    yield from _in_workers([*first], pending, settings, count)


def _worker_start() -> None:
    """Set up a worker process: what it inherited is never garbage, collections are rare."""
    # The publishing process turns SIGTERM and Ctrl-C into exceptions to clean up; its
    # pool stops the workers.
    worker_signals()
    settle_worker()


def _in_workers(
    first: list[Job], pending: Iterator[Job], settings: Settings, count: int
) -> Iterator[Batch]:
    """Run jobs in a pool, a bounded number ahead, and yield their batches in order."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    work = partial(process, settings=settings)
    window: deque[AsyncResult[Batch]] = deque()
    with worker_pool(count, method=method, initializer=_worker_start) as pool:
        queued = iter([*first, *pending])
        for job in queued:
            window.append(pool.apply_async(work, (job,)))
            if len(window) >= 2 * count:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """How a run publishes: everything but the inputs and the folder (see :func:`publish`)."""

    base: str = DEFAULT_BASE
    validate: bool = True
    validator: str = "fast"
    strict: bool = False
    workers: int | None = None
    release: bool = True
    download_base: str | None = None
    issued: dt.date | None = None
    modified: dt.date | None = None
    sparql_endpoint: str | None = None
    version: str | None = None
    keep: int = KEEP_PREVIOUS
    previous: Path | None = None
    figures: bool = True
    publisher: Publisher = DEFAULT_PUBLISHER
    #: Take the pages that did not change from the previous release's work.
    reuse: bool = True


#: Errors of writing that say the disk or a limit is at fault, not nualod.


class PublishRun:
    """One publish into one folder, step by step; it commits as one or leaves OUT as it was.

    :meth:`run` takes the folder's writer lock, removes what dead runs left, and then:
    :meth:`_write_dumps` streams the inputs through the pipeline into the dumps (and the
    store loads meanwhile), keeping the IRIs the previous release gave (:meth:`_take`) and
    ending with its tombstones and the PROV-O of the build; :meth:`_check_outcome` applies
    ``strict`` and refuses an empty run; :meth:`_write_history` writes the practices index,
    the changelog and the feed; :meth:`_stage_release` adds the store, VoID, catalog and
    pages; and :meth:`_finish` writes ``rejected.json`` and the manifest. All of it is
    written in a staging folder of OUT that :class:`nualod.releases.layout.OutFolder`
    commits with one rename; any failure, a kill included, leaves the previous release whole.
    """

    def __init__(
        self,
        inputs: PracticeInputs,
        out_dir: str | Path,
        options: PublishOptions,
        on_practice: Callable[[str], None] | None = None,
    ) -> None:
        self.inputs = given_inputs(inputs)
        self.out = Path(out_dir)
        self.options = options
        self.on_practice = on_practice
        self.iris = DataIRIs(options.base)
        self.prefixes = {**PREFIXES, **self.iris.prefixes()}
        self.codebook = CodeBook()
        self.stats = StatsAccumulator(self.iris.base)
        self.rejected: list[Rejection] = []
        self.published: list[str] = []
        self.folder = OutFolder(self.out)
        self._first_seen: dict[str, str] = {}
        #: The codes (by their index in the previous release's record) that the code book
        #: takes without a word now: a run's pages that name them need no vetting each.
        self._settled_codes: set[int] = set()
        #: The N-Quads ranges of the runs of pages and of nodes taken whole (previous, now),
        #: and the keys of the pages and nodes recorded one by one (the store's same quads).
        self._same_runs: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self._pages_alone: list[str] = []
        self._nodes_alone: list[str] = []
        self._written_nodes: set[str] = set()
        self._warnings: set[tuple[str, str | None, str | None]] = set()
        self._sinks: list[DumpSink] = []
        self._closed: list[DumpSink] = []  # the sinks closed already, the others written on
        self.previous: PreviousRelease | None = None
        #: Every published practice's index entry, and the tombstones (nualod.releases.history).
        self._entries: dict[str, IndexEntry] = {}
        self._tombstones: list[IndexEntry] = []
        self.changelog: Changelog | None = None
        self._pages: list[InputPage] = []
        self._release_moment: str | None = None
        self._earlier: dict[str, str] | None = None
        self._loader: ProcessLoad | None = None
        self._staged: StagedRelease | None = None
        self._measuring: DumpMeasuring | None = None
        #: The process that writes the record of work, once the dumps are closed, and the
        #: one that writes the history, once the practices and tombstones are written.
        self._recording: ForkedCall[None] | CalledNow[None] | None = None
        self._history: ForkedCall[Changelog | None] | CalledNow[Changelog | None] | None = None
        #: The published name of the file being written, for a message if writing fails.
        self._writing = out_dir
        self._rdf_sinks: list[DumpSink] = []
        self._work: WorkRecorder | None = None
        self._work_source: WorkSource | None = None
        self._row_source = RowSource.new()
        self._reused = 0
        #: Why the previous release's record of work was left unused, once each.
        self._record_notes: dict[str, None] = {}
        #: What the published pages' candidates note (:attr:`Candidate.notes`), in order.
        self._page_notes: list[str] = []

    def run(self) -> PublishResult:
        """Publish; return what was published and rejected (see :func:`publish`)."""
        _check_options(self.options)
        _check_out_apart(self.out, self.inputs)
        self._check_current_link()
        previous = self.options.previous
        if previous is not None and self._first_of_its_own(previous):
            # A script that always passes --previous OUT: its first run has none to follow.
            self._record_notes[
                f"{option('previous', previous)}: it has no release yet; this is its first"
            ] = None
            previous = None
        if previous is not None:
            self.previous = PreviousRelease(previous)
        created = _first_missing(self.out)
        try:
            try:
                release = self._locked_run()
            except BaseException:
                if created is not None:
                    _remove_if_unused(self.out, created)
                raise
            finally:
                self._drop_work_source()
            files = sorted(
                (p.name for p in release.iterdir() if not p.name.startswith(".")),
                key=_listing_order,
            )
        except (Terminated, KeyboardInterrupt) as stop:
            committed = self.folder.committed
            if committed is None:
                raise
            # The new release is current: say so, not that OUT was left as it was.
            said = (
                f"{self.out} holds the new release ({committed.name}); the next publish "
                "finishes tidying it"
            )
            raise type(stop)(said) from None
        notices = (*self._record_notes, *self.codebook.notices, *self._page_notes)
        return PublishResult(
            tuple(self.published),
            tuple(self.rejected),
            tuple(self.out / name for name in files),
            len(self._warnings),
            tuple(library_text(notice) for notice in notices),
            self._reused,
            release.absolute(),
            self.options.version,
            notices,
        )

    def _drop_work_source(self) -> None:
        """Close the previous release's dumps and forget its record (it can be gigabytes)."""
        if self._work_source is not None:
            self._work_source.close()
            self._work_source = None
        forget_work()

    def _locked_run(self) -> Path:
        """Write the release under the writer lock; return its folder, committed."""
        with WriterLock(self.out):
            remove_stale(self.out)
            if self.options.version is not None:
                self.folder.check_new_version(self.options.version)
            self._check_feed_continued()
            try:
                staging = self.folder.new_staging()
                try:
                    self._write_dumps(staging)
                    checkpoint()
                    self._check_outcome()
                    self._history_written()
                    if self.options.release:
                        self._stage_release(staging)
                        checkpoint()
                    name = self._finish(staging)
                    checkpoint()
                    self._writing = self.out
                    release = self.folder.commit(staging, name, self.options.keep)
                except OSError as error:
                    raise self._write_failure(error) from None
            except BaseException:
                self._abandon()
                self.folder.discard_staging()
                raise
        return release

    def _check_feed_continued(self) -> None:
        """Refuse, before anything is read, a release that would not continue the change feed
        of OUT's current release (its pages are served at fixed URLs and never change):

        - one without a predecessor: with no version it would have no feed, and
          ``OUT/feed/index.trig`` that harvesters follow would be gone; with one, its first
          page would not be the page the current release published under that name;
        - one under another download base than its predecessor's feed: the carried pages name
          their stream and their own URLs under the old one;
        - one whose version the predecessor's feed dates already (a release no longer kept):
          its dataset IRI, its activities' and its download URLs would name two releases.

        A release following an older one than the current is refused once its pages are
        written, if one differs from a kept release's page of that name
        (:func:`~nualod.releases.feed.rewritten_page`): every release writes at least one
        page, so it is refused whenever a kept later release added pages.
        """
        current = self.folder.current()
        fed = current if current and (current / FEED_DIR / ROOT_NAME).is_file() else None
        if self.previous is None:
            if fed is not None:
                self._refuse_unfollowed(fed)
            return
        stream = stream_of(self.previous.folder / FEED_DIR / ROOT_NAME)
        download_base = self.options.download_base or default_download_base(self.iris.base)
        if stream is not None and stream != f"{download_base}{FEED_DIR}/{ROOT_NAME}#stream":
            served = stream.removesuffix(f"{FEED_DIR}/{ROOT_NAME}#stream")
            raise UsageError(
                f"download base {download_base}: the change feed of the release this one "
                f"follows is the stream <{stream}>, whose pages are served under another; "
                f"publish with {option('download_base', served)}"
            )
        if stream is not None and not self._within_out(self.previous.folder):
            # Its pages will be served at the URLs the other folder's are: two folders that
            # both go on from one release give two different pages under one URL.
            self._record_notes[
                f"{option('previous', self.options.previous)}: this release goes on with the change "
                f"feed of another folder, at the same URLs ({stream.removesuffix('#stream')}); "
                "serve one of the two folders there, or the feed forks"
            ] = None
        version = self.options.version
        published = self._earlier_moments().get(version) if version is not None else None
        if published is not None:
            raise UsageError(
                f"{option('version', version)}: version {version} was published at {published} (the "
                "change feed of the release this one follows says so), though no longer kept; "
                "a version is never reused: choose a new version"
            )

    def _within_out(self, release: Path) -> bool:
        """Tell whether a release folder is one of OUT's (``OUT/releases/NAME``)."""
        try:
            return release.resolve().parent == (self.out / RELEASES).resolve()
        except OSError:
            return False

    def _first_of_its_own(self, previous: Path) -> bool:
        """Tell whether ``previous`` is OUT itself, which holds no release yet."""
        try:
            same = (
                previous.samefile(self.out)
                if self.out.exists()
                else previous.resolve() == self.out.resolve()
            )
        except OSError:  # previous is not there
            return False
        return same and self.folder.current() is None and not self.folder.release_names()

    def _check_current_link(self) -> None:
        """Refuse a run into a folder whose ``current`` link is gone (deleted by hand) while
        its releases have a change feed: which release it follows, and so the feed, cannot
        be told (a run without --previous would leave the feed's root behind)."""
        if self.folder.current() is not None:
            return
        fed = [
            name
            for name in self.folder.release_names()
            if (self.folder.releases / name / FEED_DIR / ROOT_NAME).is_file()
        ]
        if fed:
            raise UsageError(
                f"{self.out}: {self.out / CURRENT} is missing, but {self.folder.releases} "
                f"holds releases with a change feed (the newest: {fed[-1]}); restore the link "
                f"(ln -s releases/{fed[-1]} {self.out / CURRENT}) or publish into another folder"
            )

    def _refuse_unfollowed(self, current: Path) -> NoReturn:
        """Raise the refusal of a release without a predecessor into a folder whose current
        release has a change feed."""
        try:
            version = read_manifest(current).get("version")
        except PublishError:
            version = None
        what, named = (
            (
                "is versioned and has",
                f"{option('version', 'VERSION')} {option('previous', self.out)}",
            )
            if isinstance(version, str)
            else ("has", option("previous", self.out))
        )
        raise UsageError(
            f"{self.out}: its current release {current.name} {what} a change feed that "
            f"harvesters follow; publish the next one with {named}, or into another folder"
        )

    def _write_failure(self, error: OSError) -> PublishError:
        """Return the one-line error of a write the disk or a limit refused."""
        return PublishError(cannot_write(error, self._writing, self.out))

    def _emit(self, rendered: Rendered, *, fixed: bool = False) -> None:
        for sink in self._sinks:
            if sink not in self._closed:
                self._writing = self.out / sink.file.path.name
                sink.write(rendered)
        self.stats.add(rendered.graph, rendered.stats, fixed=fixed)

    def _close_sink(self, sink: DumpSink) -> None:
        self._writing = self.out / sink.file.path.name
        sink.close()
        self._closed.append(sink)

    def _write_dumps(self, staging: Path) -> None:
        """Stream the inputs through the pipeline into the dumps (closed, not yet renamed)."""
        if self.options.release:
            # Started first, to be ready when the first batch is written; told which store to
            # build once the previous release's work is read.
            self._loader = ProcessLoad()
        self._sinks = open_sinks(staging, self.prefixes)
        self._ntriples = next(sink for sink in self._sinks if isinstance(sink, NTriplesSink))
        nquads = next(sink for sink in self._sinks if isinstance(sink, NQuadsSink))
        # Workers leave each batch's practices in a spool file, copied from there into the dumps.
        spool = staging / SPOOL_NAME
        spool.mkdir()
        previous = self.previous.folder if self.previous is not None else None
        # A release that has a version or follows one records its work, for the next; the
        # record costs time and memory a one-off publish need not pay.
        recording = self.options.version is not None or previous is not None
        settings = Settings(
            self.iris.base,
            spool,
            self.options.validate,
            self.options.validator,
            self.options.figures,
            previous if self.options.reuse else None,
            recording,
        )
        self._rdf_sinks = [
            next(sink for sink in self._sinks if isinstance(sink, kind))
            for kind in (TurtleSink, NTriplesSink, NQuadsSink, JsonLdSink)
        ]
        self._work = WorkRecorder(settings.fingerprint) if recording else None
        self._row_source = next(s.source for s in self._sinks if isinstance(s, RowSink))
        self._row_source.noting = recording
        # Read the previous release's work here, before the workers are forked: they share it.
        self._work_source = work_source(settings)
        self._record_notes.update(dict.fromkeys(work_notes(settings)))
        for graph_name, groups in fixed_graphs(self.iris):
            graph = self.iris.graph(graph_name)
            for group in groups:
                self._emit(render(graph, group, self.prefixes, self.iris.base), fixed=True)
        for batch in batches(self.inputs, settings, self.options.workers):
            checkpoint()
            self._take(batch)
            self._start_loader(nquads.file.temporary, staging / STORE_NAME)
            if self._loader is not None:
                self._loader.advance(nquads.size())
            self._measure_dumps()
        self._start_loader(nquads.file.temporary, staging / STORE_NAME)  # no batch at all
        self._write_tombstones()
        self._start_history(staging)
        # The tables take nothing of the PROV-O (no practice): closed before it is written,
        # so that the record, which says where their rows lie, is written meanwhile.
        for sink in self._sinks:
            if sink not in self._rdf_sinks:
                self._close_sink(sink)
        if self._work is not None:
            self._work.rows(self._row_source.handed, self._row_source.noted)
            # Written by a process forked now (this one has no other thread left, unless the
            # program that called it has), while this one writes the PROV-O, the history
            # and the release files.
            self._recording = call_beside(partial(self._work.write, staging))
        self._write_provenance()
        for sink in self._rdf_sinks:
            self._close_sink(sink)
        if (
            self._loader is not None
        ):  # the N-Quads as closed (the fixed graphs, with no batch at all)
            self._loader.advance(nquads.size())
        shutil.rmtree(spool, ignore_errors=True)
        self._writing = self.out
        self._measure_dumps(closed=True)  # the rest, while the history is written
        if self._loader is not None and self._loader.delta:
            self._loader.skip(*self._same_quads())

    def _measure_dumps(self, closed: bool = False) -> None:
        """Have a release's dumps measured as far as they are written (all of them, once
        ``closed``), by a process beside this one (:class:`DumpMeasuring`)."""
        if not self.options.release:
            return
        if not closed and self._work_source is None:
            # A full publish keeps both cores busy until its dumps close, so hashing beside
            # its batches has no idle CPU to take; measured without the slid decorator, it
            # gained nothing (bench/README, "A decorator slid"). Its dumps are hashed once
            # closed, at its own priority (it waits for them then); a release that reuses
            # work's as written, at the lowest.
            return
        if self._measuring is None:
            self._measuring = DumpMeasuring(
                {sink.file.path.name: sink.file.temporary for sink in self._sinks},
                finished=closed,
            )
            # The change feed's pages this release will carry: the same files (linked),
            # measured from now on.
            previous = self.previous.folder if self.previous is not None else None
            self._measuring.measure(
                {f"{FEED_DIR}/{page.name}": page for page in carried_pages(previous)}
            )
        if closed:
            self._measuring.close()
            return
        written = {}
        for sink in self._sinks:
            self._writing = self.out / sink.file.path.name  # a flush may fail
            written[sink.file.path.name] = sink.size()
        self._measuring.advance(written)

    def _take(self, batch: Batch) -> None:
        """Write one batch's accepted practices and the shared nodes they first need."""
        # What is kept of each group of the batch, with its place among them: a candidate,
        # or a part of a run of pages taken whole (all of it, unless a page was refused).
        accepted: list[tuple[Candidate | _RunPart, int]] = []
        carried: dict[int, tuple[str, str]] = {}  # place: the IRI minted, the IRI kept
        whole = True  # every group is written as the batch holds it
        place = 0
        for outcome in batch.outcomes:
            if isinstance(outcome, Rejection):
                self.rejected.append(outcome)
                continue
            if isinstance(outcome, ReusedRun):
                parts = self._accept_run(outcome)
                if parts != [_RunPart(outcome, outcome.start, outcome.count, 0)]:
                    whole = False
                accepted += ((part, place) for part in parts)
                place += 1
                continue
            candidate = outcome
            earlier = None
            if self.previous is not None:
                earlier = self.previous.carried_iri(candidate.iri, candidate.page_url)
            if earlier is not None:
                carried[place] = (candidate.iri, earlier)
                candidate = replace(candidate, iri=earlier)
                whole = False
            refusal = _refusal(candidate, self.codebook, self._first_seen)
            if refusal is None:
                accepted.append((candidate, place))
            else:
                self.rejected.append(refusal)
                whole = False
            place += 1
        self._reused += batch.reused
        self._record_notes.update(dict.fromkeys(batch.notes))
        self._reuse_rows(batch, accepted, carried, whole)
        offset = self._ntriples.size()
        starts = self._rdf_sizes()
        if whole:
            sizes = batch.own.sizes
            lengths = list(sizes[FORMATS.index("ntriples")])
            with batch.own.opened(self._earlier_dumps()) as files:
                for sink in self._sinks:
                    self._writing = self.out / sink.file.path.name
                    sink.write_spooled(batch.own, files)
            self.stats.merge(batch.counted)
        else:
            own = self._kept_groups(batch, accepted, carried)
            lengths = [len(group.ntriples) for group in own]
            for sink in self._sinks:
                self._writing = self.out / sink.file.path.name
                sink.write_all(own)
            for (kept, _), kept_group in zip(accepted, own, strict=True):
                if isinstance(kept, _RunPart):
                    self._count_run(kept)
                else:
                    self.stats.add(kept_group.graph, kept_group.stats)
            sizes = tuple(tuple(len(getattr(g, name)) for g in own) for name in FORMATS)
            # A practice that keeps an earlier IRI: its description names that IRI now.
            accepted = [
                (
                    replace(kept, digest=description_digest(group.ntriples))
                    if at in carried and isinstance(kept, Candidate)
                    else kept,
                    at,
                )
                for (kept, at), group in zip(accepted, own, strict=True)
            ]
        batch.own.delete()
        self._record_pages(batch, accepted, carried, starts, sizes)
        nodes: list[Rendered | _NodeRun] = []
        node_keys: list[str] = []
        for (kept, _), length in zip(accepted, lengths, strict=True):
            if isinstance(kept, _RunPart):
                self._take_run_pages(kept, batch, offset, nodes, node_keys)
                offset += length
                continue
            candidate = kept
            self._entries[candidate.iri] = self._entry(
                candidate.iri, candidate.digest, candidate.page_url, offset, length
            )
            offset += length
            if candidate.page_url is not None and self.options.version is not None:
                self._pages.append(
                    InputPage(candidate.page_url, candidate.retrieved, candidate.page_sha256)
                )
            self._warnings.update(candidate.warnings)
            self._page_notes += (f"{candidate.where}: {note}" for note in candidate.notes)
            for key in candidate.shared:
                if key not in self._written_nodes:
                    self._written_nodes.add(key)
                    nodes.append(batch.shared[key])
                    node_keys.append(key)
            self.published.append(candidate.iri)
            if self.on_practice is not None:
                self.on_practice(candidate.iri)
        starts = self._rdf_sizes()
        self._write_nodes(nodes)
        self._record_nodes(node_keys, nodes, starts)

    def _accept_run(self, run: ReusedRun) -> list[_RunPart]:
        """Vet a run's pages as :func:`_refusal` vets each candidate, and return the parts
        of the run that are published (the whole run, unless a page is refused)."""
        source = self._work_source
        assert source is not None
        pages = source.pages
        stop = run.start + run.count
        iris = pages.iris(run.start, stop)
        codes = pages.codes_ids(run.start, stop)
        settled, first_seen = self._settled_codes, self._first_seen
        parts: list[_RunPart] = []
        begin = 0  # where the part being formed begins, in the run
        for index, (iri, codes_id) in enumerate(zip(iris, codes, strict=True)):
            item = run.items[index]
            if codes_id in settled and iri not in first_seen:
                first_seen[iri] = Origin(item).describe()
                continue
            theme, (number, name, indicator_theme), _ = pages.codes_value(codes_id)
            indicator = Indicator(number, name, indicator_theme)
            refusal = _refusal_of(
                Origin(item).describe(), iri, theme, indicator, self.codebook, first_seen
            )
            if self.codebook.settled(theme, indicator):
                settled.add(codes_id)
            if refusal is None:
                continue
            self.rejected.append(refusal)
            if index > begin:
                parts.append(_RunPart(run, run.start + begin, index - begin, begin))
            begin = index + 1
        if run.count > begin:
            parts.append(_RunPart(run, run.start + begin, run.count - begin, begin))
        return parts

    def _kept_groups(
        self,
        batch: Batch,
        accepted: Sequence[tuple[Candidate | _RunPart, int]],
        carried: dict[int, tuple[str, str]],
    ) -> list[Rendered]:
        """Return the groups a batch written in part keeps, read back, in order."""
        wanted = [False] * batch.own.count
        for kept, at in accepted:
            wanted[at] = isinstance(kept, Candidate)
        earlier = self._earlier_dumps()
        with batch.own.opened(earlier) as files:
            parts = [batch.own.parts_of(index, files, wanted) for index in range(len(FORMATS))]
        stats = batch.own.stats
        own: list[Rendered] = []
        for kept, at in accepted:
            if isinstance(kept, _RunPart):
                assert self._work_source is not None
                own.append(run_group(self._work_source, batch.own.graph, kept.start, kept.size))
                continue
            turtle, ntriples, nquads, jsonld = (part[at] or b"" for part in parts)
            group = Rendered(batch.own.graph, turtle, ntriples, nquads, jsonld, stats[at])
            own.append(_with_iri(group, *carried[at]) if at in carried else group)
        return own

    def _count_run(self, part: _RunPart) -> None:
        """Add the figures of a part of a run to the run's."""
        source = self._work_source
        assert source is not None
        source.pages.count(self.stats, self.iris.graph("practices"), part.start, part.size)

    def _take_run_pages(
        self,
        part: _RunPart,
        batch: Batch,
        offset: int,
        nodes: list[Rendered | _NodeRun],
        node_keys: list[str],
    ) -> None:
        """Take the pages of a part of a run as :meth:`_take` takes a candidate each: their
        index entries, input pages and the shared nodes they first need; ``offset`` is where
        the part starts in the N-Triples dump."""
        source = self._work_source
        assert source is not None
        pages, start, stop = source.pages, part.start, part.start + part.size
        iris = pages.iris(start, stop)
        digests = pages.column("digest", start, stop)
        urls = pages.column("page_url", start, stop)
        offsets, lengths = pages.span_columns(FORMATS.index("ntriples"), start, stop)
        shift = offset - offsets[0]
        entries, entry = self._entries, self._entry
        for iri, digest, url, at, length in zip(iris, digests, urls, offsets, lengths, strict=True):
            assert digest is not None
            entries[iri] = entry(iri, digest, url, at + shift, length)
        if self.options.version is not None:
            retrieved = pages.column("retrieved", start, stop)
            shas = pages.column("page_sha256", start, stop)
            self._pages += (
                InputPage(url, when, sha)
                for url, when, sha in zip(urls, retrieved, shas, strict=True)
                if url is not None
            )
        written, shared, table = self._written_nodes, batch.shared, source.nodes
        follows = table.follow_flags()
        for key in pages.shared_keys(start, stop):
            if key not in written:
                written.add(key)
                rendered = shared.get(key)
                if rendered is not None:
                    nodes.append(rendered)
                    node_keys.append(key)
                    continue
                row = table.index[key]  # a run's pages point to recorded nodes
                last = nodes[-1] if nodes else None
                if isinstance(last, _NodeRun) and row == last.start + last.count and follows[row]:
                    last.count += 1
                else:
                    nodes.append(_NodeRun(row, 1))
                    node_keys.append(key)
        self._warnings.update(pages.warnings_of(start, stop))
        self.published += iris
        if self.on_practice is not None:
            for iri in iris:
                self.on_practice(iri)

    def _write_nodes(self, nodes: Sequence[Rendered | _NodeRun]) -> None:
        """Write the shared nodes a batch first needs, in order: rendered, or copied from
        the previous release's dumps (runs of them that lie there back to back at once)."""
        rendered = [node for node in nodes if isinstance(node, Rendered)]
        if len(rendered) == len(nodes):
            for sink in self._sinks:
                self._writing = self.out / sink.file.path.name
                sink.write_all(rendered)
        else:
            source = self._work_source
            assert source is not None
            segments: list[list[Rendered] | _NodeRun] = []
            for node in nodes:
                if isinstance(node, _NodeRun):
                    segments.append(node)
                elif segments and isinstance(segments[-1], list):
                    segments[-1].append(node)
                else:
                    segments.append([node])
            earlier = self._earlier_dumps()
            for sink in self._sinks:
                self._writing = self.out / sink.file.path.name
                if sink not in self._rdf_sinks:
                    sink.write_all(rendered)  # the tables take concepts' names only
                    continue
                index = FORMATS.index(sink.format)
                for segment in segments:
                    if isinstance(segment, list):
                        sink.write_all(segment)
                        continue
                    offset, length = source.nodes.run_span(segment.start, segment.count, index)
                    if length:
                        sink.write_pieces(earlier[index], [(offset, length)])
        for node in nodes:
            if isinstance(node, Rendered):
                self.stats.add(node.graph, node.stats)
                continue
            assert self._work_source is not None
            table = self._work_source.nodes
            shapes = table.shape_counts(node.start, node.start + node.count)
            for (graph, (shape, practice, issued, retrieved)), count in shapes.items():
                self.stats.add_shapes(
                    graph,
                    {shape: count},
                    (practice,) * count if practice is not None else (),
                    (issued,) * count if practice is not None else (),
                    (retrieved,) * count,
                )

    def _earlier_dumps(self) -> tuple[int, ...]:
        """Return the previous release's RDF dumps, open (reused groups are copied from
        there), or nothing when this run reuses no work."""
        return self._work_source.dump_files() if self._work_source is not None else ()

    def _reuse_rows(
        self,
        batch: Batch,
        accepted: Sequence[tuple[Candidate | _RunPart, int]],
        carried: dict[int, tuple[str, str]],
        whole_rows: bool,
    ) -> None:
        """Let the table sinks copy the rows the previous release wrote of these practices."""
        source = self._work_source
        if source is None or not batch.reused:
            return
        keys = _per_candidate(batch, batch.keys)
        borrowed = batch.own.borrowed
        jsonld = FORMATS.index("jsonld")
        reusable = {}
        where: dict[int, str] = {}  # the IRI, by where its group starts in the earlier JSON-LD
        # Runs of pages whose rows are copied at once, by where the run starts in the
        # earlier JSON-LD (a batch written in part reads its lines: its pages one by one).
        runs: dict[int, RowsRun] = {}
        pages = source.pages
        gaps = self._row_source.gaps
        for kept, at in accepted:
            if isinstance(kept, _RunPart):
                stop = kept.start + kept.size
                iris = pages.iris(kept.start, stop)
                whole = whole_rows and pages.rows_run(kept.start, stop, gaps)
                if whole:
                    names, row_spans = whole
                    groups = [span(pages.spans_at(row), jsonld) for row in range(kept.start, stop)]
                    run = RowsRun(iris, names, row_spans, len(row_spans) // kept.size, groups)
                    runs[groups[0][0]] = run
                    continue
                for row, iri in enumerate(iris, kept.start):
                    rows = pages.rows_at(row)
                    if rows is not None:
                        reusable[iri] = rows
                continue
            key = keys[at]
            rows = source.rows(key) if key is not None and at not in carried else None
            if rows is not None:
                reusable[kept.iri] = rows
                spans = borrowed[at] if borrowed else None
                if spans is not None and spans[2 * jsonld] not in runs:
                    where[spans[2 * jsonld]] = kept.iri
        self._row_source.reuse(source.folder, reusable, where, runs)

    def _start_loader(self, nquads: Path, store_dir: Path) -> None:
        """Start building the store of a release, if not yet started: the previous release's
        store changed where the dumps differ, when this run reuses that release's work;
        else a new store, loaded while the dumps are written, on what CPU the run leaves
        idle."""
        loader = self._loader
        if loader is None or loader.begun:
            return
        source = self._work_source
        if source is not None and (source.folder / STORE_NAME / "CURRENT").is_file():
            previous = source.folder / STORE_NAME
            said = loader.begin_delta(previous, source.folder / NQUADS_NAME, nquads, store_dir)
            if said is not None:  # the previous store is damaged: a new one is built
                self._record_notes[said] = None
        else:
            loader.begin_new(nquads, store_dir)

    def _same_quads(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Return the ranges of the previous and of this run's N-Quads that hold the same
        quads: the groups of the pages and the shared nodes both recorded (a run's, taken
        whole, as one range)."""
        assert self._work is not None and self._work_source is not None
        at = FORMATS.index("nquads")
        before, after = self._work_source, self._work
        previous = [earlier for earlier, _ in self._same_runs]
        current = [now for _, now in self._same_runs]
        for table, earlier_table, keys in (
            (after.pages, before.pages, self._pages_alone),
            (after.nodes, before.nodes, self._nodes_alone),
        ):
            for key in keys:
                now, earlier = table.spans(key), earlier_table.spans(key)
                if earlier is not None and now is not None:
                    previous.append(span(earlier, at))
                    current.append(span(now, at))
        return previous, current

    def _rdf_sizes(self) -> list[int]:
        return [sink.size() for sink in self._rdf_sinks]

    def _record_pages(
        self,
        batch: Batch,
        accepted: Sequence[tuple[Candidate | _RunPart, int]],
        carried: dict[int, tuple[str, str]],
        starts: Sequence[int],
        sizes: Sequence[Sequence[int]],
    ) -> None:
        """Record where the batch's practices lie in the dumps, for a release that follows."""
        if self._work is None:
            return
        spans = group_spans(starts, self._rdf_sizes(), sizes)
        if spans is None:
            return
        keys = _per_candidate(batch, batch.keys)
        entries = _per_candidate(batch, batch.entries)
        states = _per_candidate(batch, batch.states)
        figures = _per_candidate(batch, batch.figures)
        for (kept, at), group_spans_ in zip(accepted, spans, strict=True):
            if isinstance(kept, _RunPart):
                source = self._work_source
                assert source is not None
                earlier = source.pages.spans_at(kept.start)
                moved = [
                    group_spans_[2 * index] - earlier[2 * index] for index in range(len(FORMATS))
                ]
                self._work.run(source.pages, kept.start, kept.size, moved)
                self._note_same(source.pages, kept.start, kept.size, moved)
                run_states = kept.run.states[kept.first : kept.first + kept.size]
                self._work.saw_all(
                    run_states, source.pages.keys(kept.start, kept.start + kept.size)
                )
                continue
            candidate = kept
            page_key, entry, seen, figure = keys[at], entries[at], states[at], figures[at]
            # A practice that keeps an earlier IRI is rendered again (its bytes were changed).
            if (
                page_key is not None
                and entry is not None
                and figure is not None
                and at not in carried
            ):
                self._work.page(page_key, entry, group_spans_, _facts(candidate, batch, figure))
                self._pages_alone.append(page_key)
                if seen is not None:
                    self._work.saw(seen, page_key)

    def _record_nodes(
        self, keys: Sequence[str], nodes: Sequence[Rendered | _NodeRun], starts: Sequence[int]
    ) -> None:
        """Record where the shared nodes just written lie in the dumps (not those the JSON-LD
        dump holds back to merge: concepts, rendered again as each page names them)."""
        if self._work is None:
            return
        jsonld = self._rdf_sinks[FORMATS.index("jsonld")]
        assert isinstance(jsonld, JsonLdSink)
        earlier = self._work_source.nodes if self._work_source is not None else None

        def size(node: Rendered | _NodeRun, index: int) -> int:
            if isinstance(node, _NodeRun):
                assert earlier is not None  # runs are copied from the previous release
                return earlier.run_span(node.start, node.count, index)[1]
            if FORMATS[index] == "jsonld":
                return len(jsonld.held.others(node.jsonld))
            return len(getattr(node, FORMATS[index]))

        sizes = [tuple(size(node, index) for node in nodes) for index in range(len(FORMATS))]
        spans = group_spans(starts, self._rdf_sizes(), sizes)
        for index, (key, node) in enumerate(zip(keys, nodes, strict=True)):
            if isinstance(node, _NodeRun):
                assert earlier is not None
                if spans is not None:
                    before = earlier.spans_at(node.start)
                    moved = [spans[index][2 * at] - before[2 * at] for at in range(len(FORMATS))]
                    self._work.take_nodes(earlier, node.start, node.count, moved)
                    self._note_same(earlier, node.start, node.count, moved)
                continue
            whole = spans is not None and sizes[-1][index] == len(node.jsonld)
            if key.startswith(CODES) or not whole or spans is None:
                continue
            stats = node.stats
            shape = (self.stats.shape(stats), stats.practice, stats.issued, stats.retrieved)
            self._work.node(
                key,
                node,
                spans[index],
                shape,
                earlier.stats_of(key) if earlier is not None else None,
            )
            self._nodes_alone.append(key)

    def _note_same(
        self, table: PageTable | NodeTable, start: int, count: int, moved: Sequence[int]
    ) -> None:
        """Note the N-Quads range of rows ``start`` to ``start + count`` of an earlier table,
        taken whole and moved by ``moved``, as the same quads before and now."""
        at = FORMATS.index("nquads")
        offset, length = table.run_span(start, count, at)
        self._same_runs.append(((offset, length), (offset + moved[at], length)))

    def _entry(
        self, iri: str, digest: str, page_url: str | None, offset: int, length: int
    ) -> IndexEntry:
        """Return a published practice's index entry, with the versions that first published
        it and last changed it (this one, unless the previous release says otherwise)."""
        version = self.options.version or ""
        first_in = changed_in = version
        earlier = self.previous.entries.get(iri) if self.previous is not None else None
        if earlier is not None:
            first_in = earlier.first_in or version
            if earlier.status == LIVE and earlier.sha256 == digest:
                changed_in = earlier.changed_in or version
        return IndexEntry(
            iri, LIVE, digest, page_url or "", offset, length, "", "", first_in, changed_in
        )

    def _moment(self) -> str:
        """Return the release's moment (feed and PROV-O): from the data, never the clock."""
        if self._release_moment is None:
            options = self.options
            summary = self.stats.summary()
            earlier = None
            if self.previous is not None:
                root = self.previous.folder / FEED_DIR / ROOT_NAME
                earlier = max((m for _, m in page_moments(root)), default=None)
            self._release_moment = release_moment(
                options.modified
                or default_modified(summary.last_date, summary.last_retrieved, options.issued),
                earlier,
                not_before=self.stats.last_retrieved,
            )
        return self._release_moment

    def _write_provenance(self) -> None:
        """Append the PROV-O of a versioned release's build (nualod.releases.provenance)."""
        options = self.options
        if options.version is None:
            return
        graph = self.iris.graph(PROVENANCE_GRAPH)
        dataset = self.iris.dataset()
        recorded = {
            "release": options.version,
            "previous": (self.previous.version or self.previous.folder.name)
            if self.previous is not None
            else None,
            "base": self.iris.base,
            "download_base": options.download_base,
            "validate": options.validate,
            "validator": options.validator,
            "strict": options.strict,
            "figures": options.figures,
            "issued": options.issued.isoformat() if options.issued else None,
            "modified": options.modified.isoformat() if options.modified else None,
            "sparql_endpoint": options.sparql_endpoint,
        }
        generations = generation_pairs(dataset, self._entries.values())
        # Every earlier run the data names, and every one the change feed dates: a release
        # no longer kept, even one that no practice names now, is still described with its
        # times, so its dataset IRI keeps a page (nualod.site.versions reads the runs).
        earlier_runs = (
            {activity for _, activity in generations}
            | {release_activity(dataset, t.removed_in) for t in self._tombstones if t.removed_in}
            | {release_activity(dataset, version) for version in self._earlier_moments()}
        )
        run = list(
            run_triples(
                dataset, self.iris.base, options.version, self._moment(), __version__, recorded,
                self._pages, earlier_runs, self._earlier_moments(),
            )
        )  # fmt: skip
        self._emit(render(graph, run, self.prefixes, self.iris.base))
        for start in range(0, len(generations), PROVENANCE_CHUNK):
            chunk = generations[start : start + PROVENANCE_CHUNK]
            turtle = turtle_writer(self.prefixes)
            self._emit(generation_group(graph, chunk, turtle, self.iris.base))

    def _earlier_moments(self) -> dict[str, str]:
        """Return the moments of the releases before this one, by version, as the previous
        release's change feed dates them (:func:`nualod.releases.feed.release_moments`)."""
        if self._earlier is None:
            self._earlier = (
                release_moments(self.previous.folder / FEED_DIR) if self.previous else {}
            )
        return self._earlier

    def _write_tombstones(self) -> None:
        """Append a tombstone for every practice of the previous release not published now."""
        if self.previous is None:
            return
        graph = self.iris.graph("practices")
        offset = self._ntriples.size()
        for entry in sorted(
            tombstones(self.previous, self._entries, self.options.version), key=lambda e: e.iri
        ):
            # The title it had, from its description (or its tombstone) in the previous release.
            was = self.previous.entries[entry.iri]
            titles = kept_titles(entry.iri, self.previous.description(was))
            rendered = render(
                graph,
                tombstone_triples(entry, self.iris.dataset(), titles),
                self.prefixes,
                self.iris.base,
            )
            self._emit(rendered)
            length = len(rendered.ntriples)
            self._tombstones.append(
                entry._replace(
                    sha256=description_digest(rendered.ntriples),
                    offset=offset,
                    length=length,
                )
            )
            offset += length

    def _start_history(self, staging: Path) -> None:
        """Have the history written by a process forked now (this one has no other thread
        left, unless the program that called it has: then now), while this one writes the
        PROV-O and the record: the practices' and the tombstones' descriptions are in the
        N-Triples dump (flushed here), and what follows them there does not concern it."""
        self._writing = self.out / self._ntriples.file.path.name
        self._ntriples.size()
        self._history = call_beside(partial(self._history_beside, staging))

    def _history_beside(self, staging: Path) -> Changelog | None:
        """Write the history (in the forked process); return the changelog."""
        try:
            self._write_history(staging)
        except OSError as error:
            raise self._write_failure(error) from None
        return self.changelog

    def _history_written(self) -> None:
        """Wait until the history is written; take its changelog."""
        assert self._history is not None
        history, self._history = self._history, None
        self.changelog = _beside_result(history, "history (index, changelog, change feed)")

    def _write_history(self, staging: Path) -> None:
        """Write the practices index and, for a release that follows one or has a version,
        the changelog (before the catalog, which describes it)."""
        self._writing = self.out / INDEX_NAME
        write_index(staging / INDEX_NAME, [*self._entries.values(), *self._tombstones])
        options = self.options
        if self.previous is None and options.version is None:
            return
        before = None
        source = None
        if self.previous is not None:
            before = (self.previous.folder / INDEX_NAME, self.previous.folder / NTRIPLES_NAME)
            source = self.previous.version or self.previous.folder.name
        self.changelog = diff_indexes(
            before,
            (staging / INDEX_NAME, self._ntriples.file.temporary),
            source=source,
            target=options.version,
        )
        self._writing = self.out / CHANGELOG_JSON
        (staging / CHANGELOG_JSON).write_bytes(self.changelog.json_bytes())
        self._writing = self.out / CHANGELOG_MD
        (staging / CHANGELOG_MD).write_bytes(self.changelog.markdown())
        self._writing = self.out / FEED_DIR
        self._write_feed(staging)

    def _write_feed(self, staging: Path) -> None:
        """Write ``feed/``: the previous release's pages, this release's activities, the root."""
        assert self.changelog is not None
        options = self.options
        download_base = options.download_base or default_download_base(self.iris.base)
        version = options.version
        writer = FeedWriter(
            staging / FEED_DIR,
            download_base + FEED_DIR + "/",
            self.iris.base,
            # Where the catalog's download URL of a version points.
            Release(download_base, version=version).url(FEED_DIR + "/") if version else None,
        )
        previous = self.previous.folder if self.previous is not None else None
        # The previous feed's stream is this one's: _check_feed_continued refused another.
        carried = writer.carry(previous)  # measured beside the run (_measure_dumps)
        moments = dict(page_moments(previous / FEED_DIR / ROOT_NAME)) if previous else {}
        moment = self._moment()
        label = options.version or f"{len(carried) + 1:06d}"
        changes = activities(self.changelog)
        # A Delete carries the practice's tombstone, a Create or Update its description.
        payloads = ChainMap(self._entries, {t.iri: t for t in self._tombstones})
        run = release_activity(self.iris.dataset(), version) if version else None
        written = writer.write_pages(
            label, moment, changes, payloads, self._ntriples.file.temporary, len(carried) + 1, run
        )
        kept = [self.folder.releases / name for name in self.folder.release_names()]
        clash = rewritten_page(writer.folder, kept)
        if clash is not None:
            page, release = clash
            raise UsageError(
                f"{FEED_DIR}/{page} would differ from the page release {release.name} holds, "
                "and a page of the change feed never changes (ldes:immutable): a release with "
                f"a feed follows the current release of {self.out} "
                f"({option('previous', self.out)})"
            )
        pages = [(name, moments[name]) for name in carried] + [(name, moment) for name in written]
        writer.write_root(pages, min((first for _, first in pages), default=None))

    def _check_outcome(self) -> None:
        """Refuse the run under ``strict`` when an input was rejected, or when nothing is left."""
        if self.options.strict and self.rejected:
            raise StrictRejectionError(
                f"{len(self.rejected)} input(s) rejected and {option('strict')} is set; nothing was "
                f"written (first: {self.rejected[0].message})",
                tuple(r.message for r in self.rejected),
            )
        if not self.published:
            why = (
                f"{len(self.rejected)} input(s) rejected (first: {self.rejected[0].message})"
                if self.rejected
                else "no input names a page"
            )
            raise NothingPublishedError(
                f"nothing to publish: {why}; {self.out} was left as it was",
                tuple(r.message for r in self.rejected),
            )

    def _stage_release(self, staging: Path) -> None:
        """Build the store, VoID, the catalog and the schema.org page beside the dumps."""
        # The catalog measures the dumps' final bytes, still under their temporary names.
        self._writing = self.out
        loader = self._loader
        options = self.options
        previous_version = self.previous.version if self.previous is not None else None
        issued = options.issued
        if issued is None and options.version is not None:
            # A version is issued whole, on its moment's day: never before the version it
            # follows nor before the data it holds (DCAT 3, dct:issued: the date of formal
            # issuance), as its first practice's date would be; that span is dct:temporal.
            issued = dt.date.fromisoformat(self._moment()[:10])
            if options.modified is not None:
                issued = min(issued, options.modified)
        self._staged = stage_release(
            staging,
            self.iris,
            {sink.file.path.name: sink.file.temporary for sink in self._sinks},
            summary=self.stats.summary(),
            download_base=options.download_base,
            issued=issued,
            modified=options.modified,
            sparql_endpoint=options.sparql_endpoint,
            store=loader,
            publisher=options.publisher,
            version=options.version,
            previous_version=previous_version,
            version_notes=self.changelog.summaries() if self.changelog is not None else None,
            dumps_measuring=self._measuring,
        )
        self._loader = None  # finished: the staged release holds its store
        store = self._staged.store
        if isinstance(store, LoadedStore) and store.note is not None:  # built anew
            self._record_notes[store.note] = None

    def _finish(self, staging: Path) -> str:
        """Rename the staged files into place in the staging folder, write ``rejected.json``
        and the manifest; return the release's name."""
        if self._recording is not None:
            self._writing = self.out
            recording, self._recording = self._recording, None
            _beside_result(recording, "record of work")
        for sink in self._sinks:
            sink.commit()
            checkpoint()
        self._sinks = []
        measured: tuple[DumpFile | ManifestFile, ...] = ()
        if self._staged is not None:
            self._staged.commit()
            measured, self._staged = self._staged.measured, None
        if self._measuring is not None:
            measured += tuple(self._measuring.others())
        self._writing = self.out / REJECTED_NAME
        write_rejections(staging / REJECTED_NAME, self.rejected)
        self._writing = self.out / MANIFEST
        return write_release_manifest(staging, self.options.version, measured)

    def _abandon(self) -> None:
        """Stop the store's loading and close what is open; the staging folder goes next."""
        for sink in self._sinks:
            with suppress(OSError):  # a full disk fails the close's flush again
                sink.discard()
        if self._loader is not None:
            self._loader.abandon()
        for beside in (self._recording, self._history):
            if beside is not None:
                beside.stop()
        self._recording = self._history = None
        if self._measuring is not None:
            self._measuring.stop()
        if self._staged is not None:
            self._staged.discard()


def _check_options(options: PublishOptions) -> None:
    """Refuse options that could only fail at the end of a run, before any work."""
    from nualod.validate.fast import check_validator

    if options.version is not None:
        check_version(options.version)
    check_validator(options.validator)
    if options.keep < 0:
        raise UsageError(f"keep: {options.keep} is not a number of releases (0 or more)")
    if options.workers is not None and options.workers < 1:
        raise UsageError(f"workers: {options.workers} is not a number of processes (1 or more)")
    if options.download_base is not None:
        check_download_base(options.download_base)
    if options.sparql_endpoint is not None:
        check_endpoint(options.sparql_endpoint)
    for name, value in (("issued", options.issued), ("modified", options.modified)):
        # A datetime is a date too, but the catalog compares it with dates.
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise UsageError(f"{name}: {value!r} is not a date (datetime.date(2025, 12, 16))")


def _check_out_apart(out: Path, inputs: Sequence[object]) -> None:
    """Refuse to publish into a folder named as input: it would become a publish's output,
    whose files the next publish does not read, so its pages would be inputs no more."""
    if not out.is_dir():
        return
    for given in inputs:
        if isinstance(given, str | Path) and Path(given).is_dir() and out.samefile(given):
            raise UsageError(
                f"{out}: the output folder is the input folder {given}; the next publish "
                "would not read its pages (a publish's output is no input): publish into "
                "another folder"
            )


def _first_missing(out: Path) -> Path | None:
    """Return the outermost folder of ``out`` (itself included) that does not exist yet."""
    missing = None
    for folder in (out, *out.parents):
        if folder.exists():
            break
        missing = folder
    return missing


def _remove_if_unused(out: Path, created: Path) -> None:
    """Remove the folders this run made for ``out`` (``created`` and those inside it), if it
    left nothing in them but the empty folder of releases: "left as it was" is no folder."""
    for folder in (out / RELEASES, out, *out.parents):
        with suppress(OSError):  # not there, or not empty: kept
            folder.rmdir()
        if folder == created:
            break


def _per_candidate(batch: Batch, values: Sequence[T]) -> list[T | None]:
    """Return what ``values`` (one per outcome, or none at all) gives each candidate of a
    batch (rejections left out), in order."""
    given = values or (None,) * len(batch.outcomes)
    return [
        value
        for outcome, value in zip(batch.outcomes, given, strict=True)
        if not isinstance(outcome, Rejection)
    ]


def _with_iri(rendered: Rendered, minted: str, kept: str) -> Rendered:
    """Return a practice's rendered group naming the IRI it keeps instead of the one minted.

    Both IRIs have the same stem (theme, indicator, region) and a hash of the same length,
    so every format's bytes keep their length.
    """
    old, new = minted.rsplit("/", 1)[1], kept.rsplit("/", 1)[1]
    before, after = old.encode("utf-8"), new.encode("utf-8")
    stats = rendered.stats._replace(
        subjects=tuple(s.replace(old, new) for s in rendered.stats.subjects),
        practice=kept if rendered.stats.practice == minted else rendered.stats.practice,
    )
    return rendered._replace(
        turtle=rendered.turtle.replace(before, after),
        ntriples=rendered.ntriples.replace(before, after),
        nquads=rendered.nquads.replace(before, after),
        jsonld=rendered.jsonld.replace(before, after),
        stats=stats,
    )


def _listing_order(name: str) -> tuple[int, str]:
    """Order a release's files as the run reports them: dumps, release files, the rest."""
    order = [*DUMP_FILE_NAMES, *RELEASE_FILE_NAMES, STORE_NAME, REJECTED_NAME]
    return (order.index(name), name) if name in order else (len(order), name)


def _beside_result(call: ForkedCall[T] | CalledNow[T], what: str) -> T:
    """Return what a call beside the run gave; a process that ended without an answer
    (killed: out of memory, say) is a one-line error that says what it was writing."""
    try:
        return call.result()
    except ForkedCallError as error:
        raise PublishError(f"the {what} could not be written: {error}") from None


@fewer_collections()
def publish(
    inputs: PracticeInputs,
    out_dir: str | Path,
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    validator: str = "fast",
    strict: bool = False,
    workers: int | None = None,
    on_practice: Callable[[str], None] | None = None,
    release: bool = True,
    download_base: str | None = None,
    issued: dt.date | None = None,
    modified: dt.date | None = None,
    sparql_endpoint: str | None = None,
    version: str | None = None,
    keep: int = KEEP_PREVIOUS,
    figures: bool = True,
    previous: str | Path | None = None,
    publisher: Publisher | None = None,
    reuse: bool = True,
) -> PublishResult:
    """Publish the practices read from ``inputs`` as a linked-data release in ``out_dir``.

    Writes ``nualod.ttl``, ``nualod.nt``, ``nualod.nq`` (named graphs) and ``nualod.jsonld``.
    Inputs that cannot be read or linked, duplicates, and practices that violate the shapes
    are left out and returned as rejections (also written to ``rejected.json``). With
    ``strict``, any rejection raises :class:`PublishError` and no file is written; when
    nothing at all can be published, :class:`NothingPublishedError` is raised and ``out_dir``
    is left as it was.
    ``validator`` is ``"fast"`` (:mod:`nualod.validate.fast`, the same results as pyshacl; it
    falls back to pyshacl for shapes it cannot compile) or ``"pyshacl"``. ``workers`` is
    the number of worker processes for large inputs (default: one per core; 1 runs all in
    this process); the output is the same whatever it is.
    With ``release`` (the default), also writes the SPARQL store (``store/``), ``void.ttl``,
    the DCAT-AP catalog (``catalog.ttl``, ``catalog.jsonld``), ``dataset.jsonld`` and
    ``index.html`` (see :func:`nualod.run.release.stage_release`).

    Every file is written into a release folder of its own, ``out_dir/releases/NAME``
    (``NAME`` is ``version`` or a digest of the content), made current in one atomic step;
    ``out_dir/nualod.ttl`` and the others are links through ``out_dir/current`` (see
    :mod:`nualod.releases.layout`). ``keep`` earlier releases are kept. A second publish
    into the same folder while one runs is refused with :class:`PublishError`.
    With ``figures`` (the default), the figures the practices' texts state are published as
    nodes of the practices (:mod:`nualod.map.figures`); ``figures=False`` leaves them out.
    With ``previous`` (a release, or an OUT folder: its current release), practices keep
    the IRIs they had there, those no longer published stay as tombstones, and
    ``changelog.json`` and ``changelog.md`` say what changed (:mod:`nualod.releases`);
    and with ``reuse`` (the default), the pages that did not change since it are taken from
    its work, not read again (:mod:`nualod.releases.reuse`): the files are the same.

    The other options are those of ``nualod publish``: ``base`` (the IRIs' base, ending in
    ``/``), ``validate`` (False skips SHACL), ``download_base`` (where the files will be
    downloaded from, for the catalog), ``issued`` and ``modified`` (the catalog's dates, as
    :class:`datetime.date`), ``sparql_endpoint`` (the URL of a SPARQL service over the data,
    described in the catalog, VoID and the site), ``publisher`` (who publishes, for the
    catalog: :class:`nualod.describe.publisher.Publisher`). ``on_practice`` is called with
    each published practice's IRI as it is written (a progress bar's hook). An error in an
    option is a :class:`~nualod.errors.UsageError`, raised before anything is read.
    """
    options = PublishOptions(
        base=base,
        validate=validate,
        validator=validator,
        strict=strict,
        workers=workers,
        release=release,
        download_base=download_base,
        issued=issued,
        modified=modified,
        sparql_endpoint=sparql_endpoint,
        version=version,
        keep=keep,
        figures=figures,
        previous=Path(previous) if previous is not None else None,
        publisher=publisher or Publisher(),
        reuse=reuse,
    )
    return PublishRun(inputs, out_dir, options, on_practice).run()


def _refusal(
    candidate: Candidate, codebook: CodeBook, first_seen: dict[str, str]
) -> Rejection | None:
    """Return why a conforming practice still cannot be published in this run, if it cannot.

    It may contradict the NUF code lists, or repeat a practice already published.
    """
    return _refusal_of(
        candidate.where, candidate.iri, candidate.theme, candidate.indicator, codebook, first_seen
    )


def _refusal_of(
    where: str,
    iri: str,
    theme: int,
    indicator: Indicator,
    codebook: CodeBook,
    first_seen: dict[str, str],
) -> Rejection | None:
    """Return why the practice ``iri`` read at ``where`` cannot be published (see
    :func:`_refusal`), or None, noting it as seen."""
    try:
        codebook.vet_codes(where, theme, indicator)
    except InputError as error:
        return Rejection.of(error)
    if iri in first_seen:
        return Rejection.of(
            DuplicateError(
                where,
                f"the same practice as {first_seen[iri]} (same theme, indicator, "
                "city, title and sources); kept that one",
            )
        )
    first_seen[iri] = where
    return None


class _RunPart(NamedTuple):
    """Pages of a run taken whole that are published together: ``size`` rows of the
    record from ``start``, the run's pages from ``first`` on."""

    run: ReusedRun
    start: int
    size: int
    first: int


@dataclass(slots=True)
class _NodeRun:
    """Shared nodes copied from the previous release's dumps, where they lie back to back:
    ``count`` rows of its record from ``start``."""

    start: int
    count: int


def _facts(
    candidate: Candidate, batch: Batch, figures: tuple[int, str | None, str | None]
) -> PageFacts:
    """Return what a record keeps of a published candidate beside its entry."""
    indicator = candidate.indicator
    shape, issued, retrieved = figures
    return PageFacts(
        candidate.iri, candidate.digest, candidate.page_url, candidate.retrieved,
        candidate.page_sha256,
        (candidate.theme, (indicator.number, indicator.name, indicator.theme), candidate.theme_name),
        candidate.shared, candidate.warnings, not candidate.notes, batch.shapes[shape],
        issued, retrieved,
    )  # fmt: skip


def write_rejections(path: Path, rejected: Sequence[Rejection]) -> None:
    """Write ``rejected.json``: every rejection, in input order."""
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        json.dump(
            {"rejected": [r.as_json() for r in rejected]},
            stream,
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        stream.write("\n")


def practices_graph(inputs: PracticeInputs, *, base: str = DEFAULT_BASE) -> Graph:
    """Return the practices read from ``inputs`` (with the nodes they point to) as an rdflib graph.

    Unreadable inputs are skipped and nothing is validated; use :func:`publish` to see why.
    """
    iris = DataIRIs(base)
    mapper = PracticeMapper(iris, seed_concepts())
    triples: list[TermTriple] = []
    for result in read_inputs(inputs):
        if isinstance(result, InputError):
            continue
        try:
            linked = link_practice(result)
        except InputError:
            continue
        triples += practice_triples(linked, iris)
        triples += region_triples(linked.region, iris)
        for group in mapper.take_new(mapper.shared_nodes(linked)).values():
            triples += group
    return triples_to_graph(triples)
