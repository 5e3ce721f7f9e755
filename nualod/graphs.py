"""Build the fixed graphs published beside the practices: vocabulary, reference, alignments.

Each builder returns triples grouped by subject in a stable order, so the dumps they open
are byte-identical from run to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from pyoxigraph import RdfFormat, Triple, parse

from nualod.dumps import subject_iri
from nualod.iris import DataIRIs
from nualod.mapping import region_triples
from nualod.reference import load_regions
from nualod.resources import resource_text

VOCABULARY_FILES: Final = ("vocab/nualod.ttl", "vocab/schemes.ttl")


def shipped_triples(relative: str) -> list[Triple]:
    """Return the triples of a shipped Turtle file."""
    return [quad.triple for quad in parse(resource_text(relative), format=RdfFormat.TURTLE)]


def by_subject(triples: Iterable[Triple]) -> Iterator[list[Triple]]:
    """Yield triples grouped by subject, subjects and their triples in sorted order."""
    groups: dict[str, list[Triple]] = {}
    for triple in triples:
        groups.setdefault(subject_iri(triple), []).append(triple)
    for subject in sorted(groups):
        yield sorted(groups[subject], key=lambda t: (str(t.predicate), str(t.object)))


def vocabulary_groups() -> list[list[Triple]]:
    """Return the ontology and the concept schemes, grouped by subject."""
    return list(by_subject(t for name in VOCABULARY_FILES for t in shipped_triples(name)))


def region_groups(iris: DataIRIs) -> list[list[Triple]]:
    """Return every province, kabupaten and kota, grouped by subject."""
    return list(
        by_subject(t for region in load_regions().values() for t in region_triples(region, iris))
    )


def fixed_graphs(iris: DataIRIs) -> list[tuple[str, list[list[Triple]]]]:
    """Return the named graphs published before the practices, as (name, subject groups)."""
    return [
        ("vocabulary", vocabulary_groups()),
        ("reference", region_groups(iris)),
    ]
