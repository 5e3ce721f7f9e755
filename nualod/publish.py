"""Publish practices: read, link, map, validate and write the dumps, one batch at a time.

Nothing here holds the whole dataset: records stream through in batches, each batch is
validated with the SHACL shapes, practices with violations are withheld and reported,
and the rest are appended to every dump. Files are written under temporary names and
renamed only when the run succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pyoxigraph import Triple
from rdflib import Graph

from nualod.codes import CodeBook, seed_concepts
from nualod.dumps import (
    AtomicFile,
    DumpSink,
    JsonLdSink,
    NQuadsSink,
    NTriplesSink,
    TurtleSink,
    subject_iri,
)
from nualod.errors import DuplicateError, InputError, NothingPublishedError, PublishError
from nualod.fastshacl import validator_for
from nualod.graphs import fixed_graphs
from nualod.inputs import read_inputs
from nualod.iris import DataIRIs
from nualod.link import link_practice
from nualod.mapping import PracticeMapper, practice_triples, region_triples
from nualod.namespaces import CODES, DEFAULT_BASE
from nualod.records import LinkedPractice
from nualod.report import withheld_reason
from nualod.validation import (
    ValidationReport,
    ValidationResult,
    triples_to_graph,
)

if TYPE_CHECKING:
    from nualod.catalog import StagedRelease

BATCH_SIZE: Final = 500
TURTLE_NAME: Final = "nualod.ttl"
JSONLD_NAME: Final = "nualod.jsonld"
NTRIPLES_NAME: Final = "nualod.nt"
NQUADS_NAME: Final = "nualod.nq"
REJECTED_NAME: Final = "rejected.json"


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input, or a practice, that was not published, and why."""

    where: str
    reason: str
    field: str | None = None
    practice: str | None = None
    problems: tuple[ValidationResult, ...] = ()

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


def _rejection(error: InputError) -> Rejection:
    return Rejection(error.where, error.reason, error.field)


def _linked_practices(
    inputs: Iterable[str | Path],
    mapper: PracticeMapper,
    rejected: list[Rejection],
    codebook: CodeBook | None = None,
) -> Iterator[LinkedPractice]:
    """Yield practices that read, fit the code lists, link and are not duplicates.

    Record the others as rejections.
    """
    first_seen: dict[str, str] = {}
    codebook = codebook or CodeBook()
    for result in read_inputs(inputs):
        if isinstance(result, InputError):
            rejected.append(_rejection(result))
            continue
        try:
            codebook.vet(result)
            linked = link_practice(result)
        except InputError as error:
            rejected.append(_rejection(error))
            continue
        iri = mapper.practice_iri(linked)
        where = result.origin.describe()
        if iri in first_seen:
            duplicate = DuplicateError(
                where,
                f"the same practice as {first_seen[iri]} (same theme, indicator, city and source); kept that one",
            )
            rejected.append(_rejection(duplicate))
            continue
        first_seen[iri] = where
        yield linked


def _batches(items: Iterator[LinkedPractice], size: int) -> Iterator[list[LinkedPractice]]:
    batch: list[LinkedPractice] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def open_sinks(out_dir: Path, iris: DataIRIs) -> list[DumpSink]:
    """Return the dump files a publish run writes, each still under a temporary name."""
    sinks: list[DumpSink] = []
    try:
        sinks.append(TurtleSink(out_dir / TURTLE_NAME, iris.prefixes()))
        sinks.append(NTriplesSink(out_dir / NTRIPLES_NAME))
        sinks.append(NQuadsSink(out_dir / NQUADS_NAME))
        sinks.append(JsonLdSink(out_dir / JSONLD_NAME))
    except BaseException:
        for sink in sinks:
            sink.discard()
        raise
    return sinks


def publish(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    validator: str = "fast",
    strict: bool = False,
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
    ``strict``, any rejection raises :class:`PublishError` and no file is written.
    ``validator`` is ``"fast"`` (:mod:`nualod.fastshacl`, the same results as pyshacl; it
    falls back to pyshacl for shapes it cannot compile) or ``"pyshacl"``.
    With ``release`` (the default), then writes the SPARQL store (``store/``), ``void.ttl``,
    the DCAT-AP catalog (``catalog.ttl``, ``catalog.jsonld``), ``dataset.jsonld`` and
    ``index.html`` (see :func:`nualod.catalog.write_release`).
    """
    iris = DataIRIs(base)
    mapper = PracticeMapper(iris, seed_concepts())
    codebook = CodeBook()
    rejected: list[Rejection] = []
    published: list[str] = []
    warnings = 0
    counted_warnings: set[tuple[str, str | None, str | None]] = set()
    practices_graph_iri = iris.graph("practices")
    vocabulary_graph_iri = iris.graph("vocabulary")
    sinks = open_sinks(out_dir, iris)
    staged: StagedRelease | None = None
    rejected_file: AtomicFile | None = None

    def emit(graph: str, group: Sequence[Triple]) -> None:
        for sink in sinks:
            sink.write(graph, group)

    try:
        for graph_name, groups in fixed_graphs(iris):
            for group in groups:
                emit(iris.graph(graph_name), group)

        for batch in _batches(_linked_practices(inputs, mapper, rejected, codebook), BATCH_SIZE):
            records = [
                (linked, practice_triples(linked, iris), mapper.shared_nodes(linked))
                for linked in batch
            ]
            # A practice is judged on every node it publishes or points to: itself (and its
            # derivation), its region, and its shared nodes (concepts, sources). A violation
            # on a shared node withholds exactly the practices pointing at it; warnings and
            # info never withhold. Warnings are counted once per published node and problem.
            problems: dict[str, list[ValidationResult]] = {}
            report = ValidationReport(())
            if validate:
                context: list[Triple] = []
                for linked, own, shared in records:
                    context += own
                    context += region_triples(linked.region, iris)
                    for node_triples in shared.values():
                        context += node_triples
                report = validator_for(validator)(context)
                for result in report.results:
                    problems.setdefault(result.focus_node, []).append(result)
            for linked, own, shared in records:
                iri = subject_iri(own[0])
                region = iris.region(linked.region.code)
                owned = [iri, *(subject_iri(t) for t in own), region, *shared]
                found = tuple(r for node in dict.fromkeys(owned) for r in problems.get(node, ()))
                if any(r.severity == "Violation" for r in found):
                    title = report.node(iri).label or iri
                    rejected.append(
                        Rejection(
                            linked.practice.origin.describe(),
                            f'practice "{title}" ' + withheld_reason(report, iri, found),
                            practice=iri,
                            problems=found,
                        )
                    )
                    continue
                for result in found:
                    seen = (result.focus_node, result.source_shape, result.value)
                    if result.severity == "Warning" and seen not in counted_warnings:
                        counted_warnings.add(seen)
                        warnings += 1
                emit(practices_graph_iri, own)
                for key, group in mapper.take_new(shared).items():
                    emit(
                        vocabulary_graph_iri if key.startswith(CODES) else practices_graph_iri,
                        group,
                    )
                published.append(iri)
                if on_practice is not None:
                    on_practice(iri)
        for sink in sinks:
            sink.close()
            sink.file.stream.flush()
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
            from nualod.catalog import stage_release

            staged = stage_release(
                out_dir,
                iris,
                {sink.file.path.name: sink.file.temporary for sink in sinks},
                download_base=download_base,
                issued=issued,
                modified=modified,
                sparql_endpoint=sparql_endpoint,
            )
        rejected_file = _stage_rejections(out_dir, rejected)
    except BaseException:
        for sink in sinks:
            sink.discard()
        if staged is not None:
            staged.discard()
        if rejected_file is not None:
            rejected_file.discard()
        raise
    written = tuple(sink.commit() for sink in sinks)
    if staged is not None:
        written = (*written, *staged.commit())
    written = (*written, rejected_file.commit())
    return PublishResult(
        tuple(published),
        tuple(rejected),
        written,
        warnings,
        tuple(codebook.notices),
    )


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


def read_graph(paths: Iterable[Path]) -> Graph:
    """Return an rdflib graph of published dumps (Turtle, N-Triples, N-Quads, JSON-LD)."""
    graph = Graph()
    for path in paths:
        graph.parse(path)
    return graph


def practices_graph(inputs: Sequence[str | Path], *, base: str = DEFAULT_BASE) -> Graph:
    """Return the practices read from ``inputs`` (with the nodes they point to) as an rdflib graph.

    Unreadable inputs are skipped; use :func:`publish` to see why.
    """
    iris = DataIRIs(base)
    mapper = PracticeMapper(iris, seed_concepts())
    triples: list[Triple] = []
    for linked in _linked_practices(inputs, mapper, []):
        triples += practice_triples(linked, iris)
        triples += region_triples(linked.region, iris)
        for group in mapper.take_new(mapper.shared_nodes(linked)).values():
            triples += group
    return triples_to_graph(triples)
