"""Count the published data while it is written: the figures VoID and the catalog need.

Counting as the dumps are written costs a few dictionary updates per record, where
counting afterwards with SPARQL over the store costs minutes and gigabytes at a million
practices. The figures are exact because the pipeline never writes a triple twice: shared
nodes are emitted once, practices are deduplicated, and a seeded concept's page triples are
only those the seed does not already hold. ``tests/test_stats.py`` checks them against
:func:`nualod.describe.void.summarize` (SPARQL over the store).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from nualod.model.namespaces import (
    CODES,
    DCTERMS,
    GEONAMES,
    NUA,
    OWL,
    PROV,
    SDG,
    SKOS,
    UNESCO_THESAURUS,
    WIKIDATA,
)
from nualod.model.terms import RDF_TYPE
from nualod.model.triples import IRI, LANGUAGE, TYPED, PlainTriple

#: Link targets: name -> (target dataset IRI, title, object namespace).
LINK_TARGETS: Final[dict[str, tuple[str, str, str]]] = {
    "sdg": ("http://metadata.un.org/sdg", "UN SDG Knowledge Organization System", SDG),
    "unesco": ("http://vocabularies.unesco.org/thesaurus", "UNESCO Thesaurus", UNESCO_THESAURUS),
    "wikidata": ("http://www.wikidata.org/", "Wikidata", WIKIDATA),
    "geonames": ("https://sws.geonames.org/", "GeoNames", GEONAMES),
}

#: The targets whose links come from the NUA code lists (the curated alignments of themes
#: and indicators): their link subjects are code-list concepts, under :data:`CODES` (not the
#: alignment axioms). The others' (Wikidata, GeoNames: the regions) are under the data base.
CODE_LIST_TARGETS: Final = frozenset({"sdg", "unesco"})

#: Alignment axiom nodes (owl:Axiom reifications of the mappings): not link subjects.
ALIGNMENT_NODES: Final = CODES + "alignment/"
#: Predicates that never make a link.
NOT_LINKS: Final = (
    RDF_TYPE,
    SKOS + "hasTopConcept",
    OWL + "annotatedSource",
    OWL + "annotatedProperty",
    OWL + "annotatedTarget",
)


@dataclass(frozen=True, slots=True)
class DataSummary:
    """Figures of the published data: counted while writing, or by SPARQL over the store."""

    triples: int
    distinct_subjects: int
    entities: int
    classes: Mapping[str, int]
    properties: Mapping[str, int]
    links: Mapping[str, Mapping[str, int]]
    graphs: Mapping[str, int]
    practices: int
    first_date: dt.date | None
    last_date: dt.date | None
    examples: tuple[str, ...] = field(default=())
    last_retrieved: dt.date | None = None

    def link_count(self, target: str) -> int:
        """Return the number of links to a target ("wikidata", "sdg", ...)."""
        return sum(self.links.get(target, {}).values())


_ISSUED = DCTERMS + "issued"
_ENDED = PROV + "endedAtTime"
PRACTICE_CLASS = NUA + "GoodPractice"
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
EXAMPLES = 3
#: Every link target's namespace, to rule most objects out in one call.
_TARGET_NAMESPACES = tuple(namespace for _, _, namespace in LINK_TARGETS.values())


class GroupStats(NamedTuple):
    """The figures of one written group of triples (a record or a node).

    A named tuple, as :class:`nualod.write.dumps.Rendered` is: one is sent with every group.
    """

    triples: int
    subjects: tuple[str, ...]
    classes: tuple[str, ...]
    predicates: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    practice: str | None = None
    issued: str | None = None
    retrieved: str | None = None


#: The figures given a group whose figures are counted otherwise (a run of groups taken
#: from an earlier release: :meth:`StatsAccumulator.add_shapes`).
UNCOUNTED: Final = GroupStats(0, (), (), (), ())


def group_stats(triples: Sequence[PlainTriple], base: str) -> GroupStats:
    """Return the figures of a group of (plain) triples; ``base`` is the data base IRI.

    >>> from pyoxigraph import NamedNode, Triple
    >>> from nualod.model.triples import plain_triples
    >>> s = NamedNode("https://w3id.org/nualod/id/region/33.75")
    >>> t = Triple(s, NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
    ...            NamedNode("http://www.wikidata.org/entity/Q11026"))
    >>> group_stats(plain_triples([t]), "https://w3id.org/nualod/id/").links
    (('wikidata', 'http://www.w3.org/2002/07/owl#sameAs'),)
    """
    subjects: dict[str, None] = {}
    classes: list[str] = []
    predicates: list[str] = []
    links: list[tuple[str, str]] = []
    practice = issued = retrieved = None
    for subject, predicate, value, kind, tag, _ in triples:
        subjects[subject] = None
        predicates.append(predicate)
        if kind == IRI:
            if predicate == RDF_TYPE:
                classes.append(value)
                if value == PRACTICE_CLASS and subject[0] != "_":
                    practice = subject
            elif (
                value.startswith(_TARGET_NAMESPACES)
                and predicate not in NOT_LINKS
                and subject[0] != "_"
            ):
                for name, (_, _, namespace) in LINK_TARGETS.items():
                    if value.startswith(namespace) and link_subject(name, subject, base):
                        links.append((name, predicate))
        elif kind == TYPED:
            if predicate == _ISSUED and tag == _XSD_DATE:
                issued = value
            elif predicate == _ENDED:
                retrieved = value
        elif kind == LANGUAGE and predicate == _ENDED:
            retrieved = value
    return GroupStats(
        len(triples),
        tuple(subjects),
        tuple(classes),
        tuple(predicates),
        tuple(links),
        practice,
        issued,
        retrieved,
    )


#: A group's figures but for the nodes it is about: its triples, how many subjects it
#: counts and how many of them are entities, its classes, predicates and links
#: (:func:`group_shape`). Groups of the same shape add the same figures but for their
#: practice and dates; a record keeps each shape once.
GroupShape = tuple[int, int, int, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]


def group_shape(
    stats: GroupStats, base: str, fixed: frozenset[str] | set[str] = frozenset()
) -> GroupShape:
    """Return the shape of a group's figures (what :meth:`StatsAccumulator.add` counts of it
    but its practice and dates); subjects in ``fixed`` are not counted, as ``add`` skips them.

    >>> stats = GroupStats(2, ("https://x.org/id/a", "_:b"), ("C",), ("p", "q"), ())
    >>> group_shape(stats, "https://x.org/id/")
    (2, 2, 1, ('C',), ('p', 'q'), ())
    """
    subjects = [subject for subject in stats.subjects if subject not in fixed]
    entities = sum(1 for subject in subjects if subject.startswith(base))
    return (stats.triples, len(subjects), entities, stats.classes, stats.predicates, stats.links)


def link_subject(target: str, subject: str, base: str) -> bool:
    """Whether an IRI may be the subject of a link to ``target``: a code-list concept for the
    SDG and UNESCO (:data:`CODE_LIST_TARGETS`), else an IRI under the data base ``base``.

    >>> link_subject("sdg", "https://w3id.org/nualod/code/theme/10", "https://x.org/id/")
    True
    >>> link_subject("sdg", "https://w3id.org/nualod/code/alignment/0a1b", "https://x.org/id/")
    False
    >>> link_subject("wikidata", "https://w3id.org/nualod/code/theme/10", "https://x.org/id/")
    False
    """
    if target in CODE_LIST_TARGETS:
        return subject.startswith(CODES) and not subject.startswith(ALIGNMENT_NODES)
    return subject.startswith(base)


class StatsAccumulator:
    """Add up the figures of every group written; :meth:`summary` gives the VoID figures.

    Groups of the fixed graphs (vocabulary, reference, alignments) are added with
    ``fixed=True``: their subjects are remembered, so a later group about the same node (a
    seeded concept a page also describes) does not count its subject twice. Other groups'
    subjects are new by construction.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.triples = 0
        self.subjects = 0
        self.entities = 0
        self._fixed_subjects: set[str] = set()
        self.classes: Counter[str] = Counter()
        self.properties: Counter[str] = Counter()
        self.links: dict[str, Counter[str]] = {name: Counter() for name in LINK_TARGETS}
        self.graphs: Counter[str] = Counter()
        self.practices = 0
        self.first_date: str | None = None
        self.last_date: str | None = None
        self.last_retrieved: str | None = None
        self._examples: list[str] = []  # a max-heap (negated order) of the smallest IRIs

    def add(self, graph: str, stats: GroupStats, *, fixed: bool = False) -> None:
        """Add the figures of one written group of ``graph``."""
        self.triples += stats.triples
        self.graphs[graph] += stats.triples
        for subject in stats.subjects:
            if subject in self._fixed_subjects:
                continue
            if fixed:
                self._fixed_subjects.add(subject)
            self.subjects += 1
            if subject.startswith(self.base):
                self.entities += 1
        self.classes.update(stats.classes)
        self.properties.update(stats.predicates)
        for name, predicate in stats.links:
            self.links[name][predicate] += 1
        if stats.practice is not None:
            self.practices += 1
            self._keep_example(stats.practice)
            self._note_dates(stats.issued, stats.retrieved)
        else:
            self._note_dates(None, stats.retrieved)

    def shape(self, stats: GroupStats) -> GroupShape:
        """Return the shape of a group's figures as :meth:`add` counts them now."""
        return group_shape(stats, self.base, self._fixed_subjects)

    def add_shapes(
        self,
        graph: str,
        shapes: Mapping[GroupShape, int],
        practices: Sequence[str] = (),
        issued: Iterable[str | None] = (),
        retrieved: Iterable[str | None] = (),
    ) -> None:
        """Add the figures of groups of ``graph`` by their shapes (each with how many groups
        have it), their practices' IRIs and their dates: what :meth:`add` gives each group
        in turn, for groups whose subjects are none of the fixed graphs'."""
        for (triples, subjects, entities, classes, predicates, links), count in shapes.items():
            self.triples += triples * count
            self.graphs[graph] += triples * count
            self.subjects += subjects * count
            self.entities += entities * count
            for name in classes:
                self.classes[name] += count
            for name in predicates:
                self.properties[name] += count
            for name, predicate in links:
                self.links[name][predicate] += count
        self.practices += len(practices)
        for iri in heapq.nsmallest(EXAMPLES, practices):
            self._keep_example(iri)
        dates = [date for date in issued if date is not None]
        if dates:
            self._note_dates(min(dates), None)
            self._note_dates(max(dates), None)
        latest = max((date for date in retrieved if date is not None), default=None)
        self._note_dates(None, latest)

    def merge(self, other: StatsAccumulator) -> None:
        """Add the figures another accumulator counted (groups of non-fixed graphs only).

        A worker process counts the practices of a batch; the publishing process merges
        the batch's figures when it writes the batch whole.
        """
        if other._fixed_subjects:
            raise ValueError("only figures of non-fixed groups can be merged")
        self.triples += other.triples
        self.graphs.update(other.graphs)
        self.subjects += other.subjects
        self.entities += other.entities
        self.classes.update(other.classes)
        self.properties.update(other.properties)
        for name, found in other.links.items():
            self.links[name].update(found)
        self.practices += other.practices
        for example in other._examples:
            self._keep_example(example.value)  # type: ignore[attr-defined]
        self._note_dates(other.first_date, other.last_retrieved)
        self._note_dates(other.last_date, None)

    def _note_dates(self, issued: str | None, retrieved: str | None) -> None:
        """Widen the span of practice dates to ``issued``; keep the latest retrieval."""
        if issued is not None:
            if self.first_date is None or issued < self.first_date:
                self.first_date = issued
            if self.last_date is None or issued > self.last_date:
                self.last_date = issued
        if retrieved is not None and (
            self.last_retrieved is None or retrieved > self.last_retrieved
        ):
            self.last_retrieved = retrieved

    def _keep_example(self, iri: str) -> None:
        if len(self._examples) < EXAMPLES:
            heapq.heappush(self._examples, _Reverse(iri))  # type: ignore[misc]
        elif iri < self._examples[0].value:  # type: ignore[attr-defined]
            heapq.heapreplace(self._examples, _Reverse(iri))  # type: ignore[misc]

    def summary(self) -> DataSummary:
        """Return the figures as a :class:`~nualod.describe.void.DataSummary`."""
        return DataSummary(
            triples=self.triples,
            distinct_subjects=self.subjects,
            entities=self.entities,
            classes=dict(sorted(self.classes.items())),
            properties=dict(sorted(self.properties.items())),
            links={name: dict(sorted(found.items())) for name, found in self.links.items()},
            graphs=dict(sorted(self.graphs.items())),
            practices=self.practices,
            first_date=dt.date.fromisoformat(self.first_date) if self.first_date else None,
            last_date=dt.date.fromisoformat(self.last_date) if self.last_date else None,
            examples=tuple(sorted(e.value for e in self._examples)),  # type: ignore[attr-defined]
            last_retrieved=(
                dt.date.fromisoformat(self.last_retrieved[:10]) if self.last_retrieved else None
            ),
        )


@dataclass(frozen=True, slots=True)
class _Reverse:
    """Order strings backwards, so a min-heap keeps the largest of the smallest on top."""

    value: str

    def __lt__(self, other: _Reverse) -> bool:
        return self.value > other.value


def add_all(accumulator: StatsAccumulator, graph: str, groups: Iterable[GroupStats]) -> None:
    """Add the figures of several groups of one fixed graph."""
    for stats in groups:
        accumulator.add(graph, stats, fixed=True)
