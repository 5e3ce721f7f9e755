"""Publish practices: read, link, map, validate and write the dumps, record by record.

Nothing here holds the whole dataset: inputs stream through in jobs
(:mod:`nualod.run.pipeline`), in worker processes when the input is large; each job is
validated with the SHACL shapes, practices with violations are withheld and reported, and
the rest are appended to every dump. What depends on the whole run — duplicates, the NUF
code lists, which shared node is already written, the figures VoID needs — is decided here,
in input order, so the dumps do not depend on the number of processes. Files are written
under temporary names and renamed only when the whole run, release included, succeeded.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final

from rdflib import Graph

from nualod.errors import DuplicateError, InputError, NothingPublishedError, PublishError
from nualod.files.atomic import AtomicFile
from nualod.link.codes import CodeBook, seed_concepts
from nualod.link.practice import link_practice
from nualod.map.graphs import fixed_graphs
from nualod.map.practice import PracticeMapper, practice_triples, region_triples
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import DEFAULT_BASE, PREFIXES
from nualod.model.triples import TermTriple
from nualod.read.inputs import read_inputs
from nualod.run.pipeline import Batch, Candidate, Job, Rejection, Settings, jobs, process
from nualod.run.release import StagedRelease, stage_release
from nualod.validate.shacl import triples_to_graph
from nualod.write.dumps import NQuadsSink, Rendered, render
from nualod.write.formats import NQUADS, open_sinks
from nualod.write.stats import StatsAccumulator
from nualod.write.store import STORE_NAME, BackgroundLoad

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult


__all__ = ["PublishResult", "Rejection", "practices_graph", "publish"]

NQUADS_NAME: Final = NQUADS.file_name
REJECTED_NAME: Final = "rejected.json"
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
    inputs: Iterable[str | Path], settings: Settings, workers: int | None = None
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


#: Container allocations between young-generation collections while publishing. A run
#: makes millions of short-lived tuples and almost no reference cycles; at Python's default
#: (700) the collector runs hundreds of times a job and costs a tenth of the time.
GC_THRESHOLD: Final = 50_000


def _worker_start() -> None:
    """Set up a worker process: what it inherited is never garbage, collections are rare."""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raise the collector's threshold for the duration of a run, then restore it."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _in_workers(
    first: list[Job], pending: Iterator[Job], settings: Settings, count: int
) -> Iterator[Batch]:
    """Run jobs in a pool, a bounded number ahead, and yield their batches in order."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    work = partial(process, settings=settings)
    window: deque[AsyncResult[Batch]] = deque()
    with multiprocessing.get_context(method).Pool(count, initializer=_worker_start) as pool:
        queued = iter([*first, *pending])
        for job in queued:
            window.append(pool.apply_async(work, (job,)))
            if len(window) >= 2 * count:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()


@_fewer_collections()
def publish(
    inputs: Sequence[str | Path],
    out_dir: Path,
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
) -> PublishResult:
    """Publish the practices read from ``inputs`` as linked-data dumps in ``out_dir``.

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
    """
    iris = DataIRIs(base)
    codebook = CodeBook()
    stats = StatsAccumulator(iris.base)
    rejected: list[Rejection] = []
    published: list[str] = []
    first_seen: dict[str, str] = {}
    written_nodes: set[str] = set()
    counted_warnings: set[tuple[str, str | None, str | None]] = set()
    prefixes = {**PREFIXES, **iris.prefixes()}
    sinks = open_sinks(out_dir, prefixes)
    nquads = next(sink for sink in sinks if isinstance(sink, NQuadsSink))
    spool: Path | None = None
    loader: BackgroundLoad | None = None
    staged: StagedRelease | None = None
    rejected_file: AtomicFile | None = None

    def emit(rendered: Rendered, *, fixed: bool = False) -> None:
        for sink in sinks:
            sink.write(rendered)
        stats.add(rendered.graph, rendered.stats, fixed=fixed)

    try:
        # Workers leave each batch's practices in a spool file, copied from there into the dumps.
        spool = Path(tempfile.mkdtemp(prefix=".nualod-spool-", dir=out_dir))
        settings = Settings(iris.base, spool, validate, validator)
        if release:
            # The store is loaded while the dumps are written, on what CPU the run leaves idle.
            loader = BackgroundLoad(nquads.file.temporary, out_dir / STORE_NAME)
        for graph_name, groups in fixed_graphs(iris):
            graph = iris.graph(graph_name)
            for group in groups:
                emit(render(graph, group, prefixes, iris.base), fixed=True)

        for batch in batches(inputs, settings, workers):
            accepted: list[Candidate] = []
            kept: list[int] = []  # the accepted candidates' places among the batch's own groups
            place = 0
            for outcome in batch.outcomes:
                if isinstance(outcome, Rejection):
                    rejected.append(outcome)
                    continue
                refusal = _refusal(outcome, codebook, first_seen)
                if refusal is None:
                    accepted.append(outcome)
                    kept.append(place)
                else:
                    rejected.append(refusal)
                place += 1
            if len(kept) == len(batch.own.stats):
                with batch.own.path.open("rb") as spooled:
                    for sink in sinks:
                        sink.write_spooled(batch.own, spooled.fileno())
                stats.merge(batch.counted)
            else:
                spooled_groups = batch.own.read()
                own = [spooled_groups[index] for index in kept]
                for sink in sinks:
                    sink.write_all(own)
                for kept_group in own:
                    stats.add(kept_group.graph, kept_group.stats)
            batch.own.delete()
            nodes: list[Rendered] = []
            for candidate in accepted:
                counted_warnings.update(candidate.warnings)
                for key in candidate.shared:
                    if key not in written_nodes:
                        written_nodes.add(key)
                        nodes.append(batch.shared[key])
                published.append(candidate.iri)
                if on_practice is not None:
                    on_practice(candidate.iri)
            for sink in sinks:
                sink.write_all(nodes)
            for rendered in nodes:
                stats.add(rendered.graph, rendered.stats)
            if loader is not None:
                loader.advance(nquads.size())
        for sink in sinks:
            sink.close()
        if loader is not None:  # the N-Quads as closed (the fixed graphs, with no batch at all)
            loader.advance(nquads.size())
        if strict and rejected:
            raise PublishError(
                f"{len(rejected)} input(s) rejected and --strict is set; nothing was written "
                f"(first: {rejected[0].message})"
            )
        if not published:
            raise NothingPublishedError(
                f"nothing to publish: {len(rejected)} input(s) rejected; {out_dir} was left as it was",
                tuple(r.message for r in rejected),
            )
        if release:
            # The catalog measures the dumps' final bytes, still under their temporary names;
            # everything is renamed into place together only once all of it is built.
            staged = stage_release(
                out_dir,
                iris,
                {sink.file.path.name: sink.file.temporary for sink in sinks},
                summary=stats.summary(),
                download_base=download_base,
                issued=issued,
                modified=modified,
                sparql_endpoint=sparql_endpoint,
                store=loader,
            )
        rejected_file = _stage_rejections(out_dir, rejected)
    except BaseException:
        for sink in sinks:
            sink.discard()
        if loader is not None:
            loader.abandon()
        if staged is not None:
            staged.discard()
        if rejected_file is not None:
            rejected_file.discard()
        raise
    finally:
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)
    written = tuple(sink.commit() for sink in sinks)
    if staged is not None:
        written = (*written, *staged.commit())
    written = (*written, rejected_file.commit())
    return PublishResult(
        tuple(published),
        tuple(rejected),
        written,
        len(counted_warnings),
        tuple(codebook.notices),
    )


def _refusal(
    candidate: Candidate, codebook: CodeBook, first_seen: dict[str, str]
) -> Rejection | None:
    """Return why a conforming practice still cannot be published in this run, if it cannot.

    It may contradict the NUF code lists, or repeat a practice already published.
    """
    where = candidate.where
    try:
        codebook.vet_codes(where, candidate.theme, candidate.indicator)
    except InputError as error:
        return Rejection.of(error)
    if candidate.iri in first_seen:
        return Rejection.of(
            DuplicateError(
                where,
                f"the same practice as {first_seen[candidate.iri]} (same theme, indicator, "
                "city, title and sources); kept that one",
            )
        )
    first_seen[candidate.iri] = where
    return None


def _stage_rejections(out_dir: Path, rejected: list[Rejection]) -> AtomicFile:
    file = AtomicFile(out_dir / REJECTED_NAME)
    try:
        json.dump(
            {"rejected": [r.as_json() for r in rejected]},
            file.stream,
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        file.stream.write("\n")
    except BaseException:
        file.discard()
        raise
    return file


def practices_graph(inputs: Sequence[str | Path], *, base: str = DEFAULT_BASE) -> Graph:
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
