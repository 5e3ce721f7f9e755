"""The NUF code lists as far as they are known in advance: seeded themes and indicators.

Pages add concepts as they name them; the seed gives the names no page of a run may show
(English names, themes whose name pages never print) and the concepts that the curated
alignments point at.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from pyoxigraph import Literal, NamedNode, Triple

from nualod.mapping import (
    BROADER,
    CONCEPT,
    IN_SCHEME,
    INDICATOR,
    INDICATOR_SCHEME_NODE,
    NOTATION,
    PREF_LABEL,
    THEME,
    THEME_SCHEME_NODE,
    TOP_CONCEPT_OF,
    A,
)
from nualod.namespaces import SKOS, indicator_iri, theme_iri
from nualod.reference import NufCode, load_nuf_codes

EDITORIAL_NOTE: Final = NamedNode(SKOS + "editorialNote")


def _seed_triples(code: NufCode) -> list[Triple]:
    if code.kind == "theme":
        node = NamedNode(theme_iri(code.number))
        triples = [
            Triple(node, A, CONCEPT),
            Triple(node, A, THEME),
            Triple(node, NOTATION, Literal(f"{code.number:02d}")),
            Triple(node, IN_SCHEME, THEME_SCHEME_NODE),
            Triple(node, TOP_CONCEPT_OF, THEME_SCHEME_NODE),
        ]
    else:
        node = NamedNode(indicator_iri(code.number))
        triples = [
            Triple(node, A, CONCEPT),
            Triple(node, A, INDICATOR),
            Triple(node, NOTATION, Literal(str(code.number))),
            Triple(node, IN_SCHEME, INDICATOR_SCHEME_NODE),
        ]
        if code.theme is not None:
            triples.append(Triple(node, BROADER, NamedNode(theme_iri(code.theme))))
    if code.name_id and not code.truncated:
        triples.append(Triple(node, PREF_LABEL, Literal(code.name_id, language="id")))
    if code.name_en:
        english = code.name_en[0].upper() + code.name_en[1:]
        triples.append(Triple(node, PREF_LABEL, Literal(english, language="en")))
    triples.append(Triple(node, EDITORIAL_NOTE, Literal(f"Seeded: {code.status}.", language="en")))
    return triples


@cache
def seed_concepts() -> dict[str, tuple[Triple, ...]]:
    """Return the seeded theme and indicator concepts, by concept IRI, in notation order.

    >>> concepts = seed_concepts()
    >>> "https://w3id.org/nualod/code/indicator/47" in concepts
    True
    """
    codes = load_nuf_codes()
    concepts: dict[str, tuple[Triple, ...]] = {}
    for code in [*sorted(codes.themes.values(), key=lambda c: c.number),
                 *sorted(codes.indicators.values(), key=lambda c: c.number)]:  # fmt: skip
        triples = _seed_triples(code)
        concepts[triples[0].subject.value] = tuple(triples)  # type: ignore[union-attr]
    return concepts
