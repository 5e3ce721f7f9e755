"""Publish practices: read, link, map, validate and write the dumps, one batch at a time.

Nothing here holds the whole dataset: records stream through in batches, each batch is
validated with the SHACL shapes, practices with violations are withheld and reported,
and the rest are appended to every dump. Files are written under temporary names and
renamed only when the run succeeds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pyoxigraph import Triple
from rdflib import Graph

from nualod.dumps import AtomicFile, TurtleWriter
from nualod.errors import DuplicateError, InputError, PublishError
from nualod.graphs import region_groups, vocabulary_groups
from nualod.inputs import read_inputs
from nualod.iris import DataIRIs
from nualod.jsonld import JsonLdDocumentWriter, node_object
from nualod.link import link_practice
from nualod.mapping import PracticeMapper, practice_triples, region_triples
from nualod.namespaces import DEFAULT_BASE
from nualod.records import LinkedPractice
from nualod.validation import ValidationResult, triples_to_graph, validate_triples

BATCH_SIZE: Final = 500
TURTLE_NAME: Final = "nualod.ttl"
JSONLD_NAME: Final = "nualod.jsonld"
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
        text = f"{self.where}: {self.field}: {self.reason}" if self.field else f"{self.where}: {self.reason}"
        return text

    def as_json(self) -> dict[str, object]:
        """Return the rejection as a JSON object (the ``rejected.json`` schema)."""
        return {
            "where": self.where,
            "field": self.field,
            "reason": self.reason,
            "practice": self.practice,
            "problems": [
                {"focus_node": p.focus_node, "path": p.path, "severity": p.severity, "message": p.message, "value": p.value}
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

    @property
    def complete(self) -> bool:
        """Tell whether every input was published."""
        return not self.rejected


@dataclass
class _Batch:
    linked: list[LinkedPractice] = field(default_factory=list)


def _rejection(error: InputError) -> Rejection:
    return Rejection(error.where, error.reason, error.field)


def _linked_practices(
    inputs: Iterable[str | Path], mapper: PracticeMapper, rejected: list[Rejection]
) -> Iterator[LinkedPractice]:
    """Yield practices that read, link and are not duplicates; record the others."""
    first_seen: dict[str, str] = {}
    for result in read_inputs(inputs):
        if isinstance(result, InputError):
            rejected.append(_rejection(result))
            continue
        try:
            linked = link_practice(result)
        except InputError as error:
            rejected.append(_rejection(error))
            continue
        iri = mapper.practice_iri(linked)
        where = result.origin.describe()
        if iri in first_seen:
            duplicate = DuplicateError(
                where, f"the same practice as {first_seen[iri]} (same theme, indicator, city and source); kept that one"
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


def publish(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    strict: bool = False,
    on_practice: Callable[[str], None] | None = None,
) -> PublishResult:
    """Publish the practices read from ``inputs`` as Turtle and JSON-LD dumps in ``out_dir``.

    Inputs that cannot be read or linked, duplicates, and practices that violate the shapes
    are left out and returned as rejections (also written to ``rejected.json``). With
    ``strict``, any rejection raises :class:`PublishError` and no file is written.
    """
    iris = DataIRIs(base)
    mapper = PracticeMapper(iris)
    rejected: list[Rejection] = []
    published: list[str] = []
    warnings = 0
    turtle_file = AtomicFile(out_dir / TURTLE_NAME)
    jsonld_file = AtomicFile(out_dir / JSONLD_NAME)
    files = (turtle_file, jsonld_file)
    try:
        turtle = TurtleWriter(turtle_file.stream, iris.prefixes())  # type: ignore[arg-type]
        jsonld = JsonLdDocumentWriter(jsonld_file.stream)
        for group in [*vocabulary_groups(), *region_groups(iris)]:
            turtle.write(group)
            jsonld.write(node_object(group[0].subject.value, group))

        for batch in _batches(_linked_practices(inputs, mapper, rejected), BATCH_SIZE):
            records = [(linked, practice_triples(linked, iris), mapper.shared_nodes(linked)) for linked in batch]
            problems: dict[str, list[ValidationResult]] = {}
            if validate:
                context: list[Triple] = []
                for linked, own, shared in records:
                    context += own
                    context += region_triples(linked.region, iris)
                    for node_triples in shared.values():
                        context += node_triples
                report = validate_triples(context)
                warnings += report.count("Warning")
                for result in report.results:
                    problems.setdefault(result.focus_node, []).append(result)
            for linked, own, shared in records:
                iri = own[0].subject.value
                owned = [iri, *(t.subject.value for t in own), *shared]
                found = tuple(r for node in dict.fromkeys(owned) for r in problems.get(node, ()))
                if any(r.severity == "Violation" for r in found):
                    violations = [r for r in found if r.severity == "Violation"]
                    rejected.append(
                        Rejection(
                            linked.practice.origin.describe(),
                            "does not conform to the shapes: " + "; ".join(r.message for r in violations),
                            practice=iri,
                            problems=found,
                        )
                    )
                    continue
                new_shared = mapper.take_new(shared)
                groups = [own, *_subject_groups(new_shared)]
                for group in groups:
                    turtle.write(group)
                jsonld.write(_practice_tree(iri, own))
                for group in groups[1:]:
                    jsonld.write(node_object(group[0].subject.value, group))
                published.append(iri)
                if on_practice is not None:
                    on_practice(iri)
        jsonld.close()
        if strict and rejected:
            raise PublishError(
                f"{len(rejected)} input(s) rejected and --strict is set; nothing was written "
                f"(first: {rejected[0].message})"
            )
        rejected_json = _write_rejections(out_dir, rejected)
    except BaseException:
        for file in files:
            file.discard()
        raise
    written = tuple(file.commit() for file in files)
    return PublishResult(tuple(published), tuple(rejected), (*written, rejected_json), warnings)


def _subject_groups(triples: list[Triple]) -> list[list[Triple]]:
    groups: dict[str, list[Triple]] = {}
    for triple in triples:
        groups.setdefault(triple.subject.value, []).append(triple)
    return list(groups.values())


def _practice_tree(iri: str, own: list[Triple]) -> dict[str, object]:
    """Return a practice's node object with its own hash-IRI nodes (provenance) embedded."""
    embedded: dict[str, list[Triple]] = {}
    top: list[Triple] = []
    for triple in own:
        if triple.subject.value == iri:
            top.append(triple)
        else:
            embedded.setdefault(triple.subject.value, []).append(triple)
    return node_object(iri, top, embedded)


def _write_rejections(out_dir: Path, rejected: list[Rejection]) -> Path:
    with AtomicFile(out_dir / REJECTED_NAME) as file:
        json.dump(
            {"rejected": [r.as_json() for r in rejected]}, file.stream, ensure_ascii=False, indent=2, sort_keys=True
        )
        file.stream.write("\n")  # type: ignore[call-overload]
    return file.path


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
    mapper = PracticeMapper(iris)
    triples: list[Triple] = []
    for linked in _linked_practices(inputs, mapper, []):
        triples += practice_triples(linked, iris)
        triples += region_triples(linked.region, iris)
        triples += mapper.take_new(mapper.shared_nodes(linked))
    return triples_to_graph(triples)
