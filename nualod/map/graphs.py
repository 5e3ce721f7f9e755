"""Build the fixed graphs published beside the practices: vocabulary, reference, alignments.

Each builder returns triples grouped by subject in a stable order, so the dumps they open
are byte-identical from run to run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Final

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from nualod.link.codes import seed_concepts
from nualod.link.reference import load_alignments, load_creative_cities, load_regions
from nualod.map.practice import creative_city_triples, region_triples
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import CODES, OWL, RDFS, XSD
from nualod.model.resources import resource_text
from nualod.model.terms import XSD_DATE, A
from nualod.model.triples import AnyTriple, subject_iri

VOCABULARY_FILES: Final = ("vocab/nualod.ttl", "vocab/schemes.ttl")
AXIOM: Final = NamedNode(OWL + "Axiom")
XSD_DOUBLE: Final = NamedNode(XSD + "double")
ANNOTATED_SOURCE: Final = NamedNode(OWL + "annotatedSource")
ANNOTATED_PROPERTY: Final = NamedNode(OWL + "annotatedProperty")
ANNOTATED_TARGET: Final = NamedNode(OWL + "annotatedTarget")
COMMENT: Final = NamedNode(RDFS + "comment")
#: SSSOM's own properties, as its RDF serialisation annotates a mapping's axiom with them.
SSSOM: Final = "https://w3id.org/sssom/"
(MAPPING_JUSTIFICATION, CONFIDENCE, AUTHOR_ID, MAPPING_DATE) = (
    NamedNode(SSSOM + name)
    for name in ("mapping_justification", "confidence", "author_id", "mapping_date")
)
SEMAPV: Final = "https://w3id.org/semapv/vocab/"


def shipped_triples(relative: str) -> list[Triple]:
    """Return the triples of a shipped Turtle file."""
    return [quad.triple for quad in parse(resource_text(relative), format=RdfFormat.TURTLE)]


def by_subject(triples: Iterable[AnyTriple]) -> Iterator[list[AnyTriple]]:
    """Yield triples grouped by subject, subjects and their triples in sorted order."""
    groups: dict[str, list[AnyTriple]] = {}
    for triple in triples:
        groups.setdefault(subject_iri(triple), []).append(triple)
    for subject in sorted(groups):
        yield sorted(groups[subject], key=lambda t: (str(t.predicate), str(t.object)))


def vocabulary_groups() -> list[list[AnyTriple]]:
    """Return the ontology and the concept schemes, grouped by subject."""
    return list(by_subject(t for name in VOCABULARY_FILES for t in shipped_triples(name)))


def region_groups(iris: DataIRIs) -> list[list[AnyTriple]]:
    """Return every province, kabupaten and kota (with its UNESCO Creative City designation).

    One group per region, in code order; a designation sits in its region's group so the
    JSON-LD dump embeds it in the region's tree.
    """
    creative = load_creative_cities()
    groups: list[list[AnyTriple]] = []
    for code in sorted(load_regions(), key=_code_order):
        group = region_triples(load_regions()[code], iris)
        if code in creative:
            group += creative_city_triples(creative[code], iris)
        groups.append(list(group))
    return groups


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def seed_concept_groups() -> list[list[AnyTriple]]:
    """Return the seeded NUA theme and indicator concepts, one group per concept."""
    return [list(triples) for triples in seed_concepts().values()]


def alignment_groups() -> list[list[AnyTriple]]:
    """Return the curated alignments: the mapping triples, and each one's justification.

    A justification annotates its mapping triple through an ``owl:Axiom`` with an IRI of its
    own (minted from the triple), so reviewers and queries can read why a link was made: in
    English and Indonesian (``rdfs:comment``), how (a SEMAPV justification), by whom, when
    and with what confidence, as SSSOM's RDF form states them (``alignments.sssom.tsv``
    holds the same as a table).
    """
    groups: dict[str, list[AnyTriple]] = {}
    for alignment in load_alignments():
        subject, target = NamedNode(alignment.subject), NamedNode(alignment.object)
        prop = NamedNode(alignment.property_iri)
        groups.setdefault(alignment.subject, []).append(Triple(subject, prop, target))
        digest = hashlib.sha256(
            f"{alignment.subject} {prop.value} {alignment.object}".encode()
        ).hexdigest()
        axiom = NamedNode(f"{CODES}alignment/{digest[:16]}")
        groups[axiom.value] = [
            Triple(axiom, A, AXIOM),
            Triple(axiom, ANNOTATED_SOURCE, subject),
            Triple(axiom, ANNOTATED_PROPERTY, prop),
            Triple(axiom, ANNOTATED_TARGET, target),
            Triple(axiom, COMMENT, Literal(alignment.justification, language="en")),
            Triple(axiom, COMMENT, Literal(alignment.justification_id, language="id")),
            Triple(
                axiom,
                MAPPING_JUSTIFICATION,
                NamedNode(SEMAPV + alignment.mapping_justification.removeprefix("semapv:")),
            ),
            Triple(axiom, AUTHOR_ID, NamedNode(alignment.author)),
            Triple(axiom, MAPPING_DATE, Literal(alignment.mapping_date, datatype=XSD_DATE)),
            Triple(axiom, CONFIDENCE, Literal(alignment.confidence, datatype=XSD_DOUBLE)),
        ]
    return list(groups.values())


def fixed_graphs(iris: DataIRIs) -> list[tuple[str, list[list[AnyTriple]]]]:
    """Return the named graphs published before the practices, as (name, subject groups).

    ``vocabulary``: our ontology, concept schemes and seeded concepts; ``reference``: regions,
    UNESCO Creative Cities, the SDG KOS and the UNESCO Thesaurus excerpt; ``alignments``:
    the curated links from our concepts to SDG and UNESCO concepts.
    """
    return [
        ("vocabulary", [*vocabulary_groups(), *seed_concept_groups()]),
        (
            "reference",
            [
                *region_groups(iris),
                *by_subject(shipped_triples("vocab/sdg.ttl")),
                *by_subject(shipped_triples("vocab/unesco-thesaurus.ttl")),
            ],
        ),
        ("alignments", alignment_groups()),
    ]
