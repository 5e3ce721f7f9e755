"""The NUF code lists as far as they are known in advance: seeded themes and indicators.

Pages add concepts as they name them; the seed gives the names no page of a run may show
(English names, themes whose name pages never print) and the concepts that the curated
alignments point at.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from pyoxigraph import Literal, NamedNode

from nualod.errors import ReadError
from nualod.link.reference import NufCode, load_nuf_codes
from nualod.model.namespaces import SKOS, indicator_iri, theme_iri
from nualod.model.records import Indicator, Practice
from nualod.model.terms import (
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
from nualod.model.triples import TermTriple

EDITORIAL_NOTE: Final = NamedNode(SKOS + "editorialNote")


def _seed_triples(code: NufCode) -> list[TermTriple]:
    if code.kind == "theme":
        node = NamedNode(theme_iri(code.number))
        triples = [
            TermTriple(node, A, CONCEPT),
            TermTriple(node, A, THEME),
            TermTriple(node, NOTATION, Literal(f"{code.number:02d}")),
            TermTriple(node, IN_SCHEME, THEME_SCHEME_NODE),
            TermTriple(node, TOP_CONCEPT_OF, THEME_SCHEME_NODE),
        ]
    else:
        node = NamedNode(indicator_iri(code.number))
        triples = [
            TermTriple(node, A, CONCEPT),
            TermTriple(node, A, INDICATOR),
            TermTriple(node, NOTATION, Literal(str(code.number))),
            TermTriple(node, IN_SCHEME, INDICATOR_SCHEME_NODE),
        ]
        if code.theme is not None:
            triples.append(TermTriple(node, BROADER, NamedNode(theme_iri(code.theme))))
    if code.name_id and not code.truncated:
        triples.append(TermTriple(node, PREF_LABEL, Literal(code.name_id, language="id")))
    if code.name_en:
        english = code.name_en[0].upper() + code.name_en[1:]
        triples.append(TermTriple(node, PREF_LABEL, Literal(english, language="en")))
    triples.append(
        TermTriple(node, EDITORIAL_NOTE, Literal(f"Seeded: {code.status}.", language="en"))
    )
    return triples


@cache
def seed_concepts() -> dict[str, tuple[TermTriple, ...]]:
    """Return the seeded theme and indicator concepts, by concept IRI, in notation order.

    >>> concepts = seed_concepts()
    >>> "https://w3id.org/nualod/code/indicator/47" in concepts
    True
    """
    codes = load_nuf_codes()
    concepts: dict[str, tuple[TermTriple, ...]] = {}
    for code in [*sorted(codes.themes.values(), key=lambda c: c.number),
                 *sorted(codes.indicators.values(), key=lambda c: c.number)]:  # fmt: skip
        triples = _seed_triples(code)
        concepts[triples[0].subject.value] = tuple(triples)
    return concepts


class CodeBook:
    """What a run knows of the NUF codes: each indicator's theme and name, seeded or first read.

    Pages name their theme, indicator and indicator name; the code lists are shared by every
    practice, so one page must not change them. :meth:`vet` rejects a practice whose
    indicator sits in another theme than the one already known, and notes (without changing
    the vocabulary) a new code or an indicator name that differs from the known one.
    """

    def __init__(self) -> None:
        codes = load_nuf_codes()
        self._themes: set[int] = set(codes.themes)
        self._indicator_theme: dict[int, tuple[int, str]] = {
            number: (code.theme, "the NUF list")
            for number, code in codes.indicators.items()
            if code.theme is not None
        }
        self._indicator_name: dict[int, tuple[str, str]] = {
            number: (code.name_id, "the NUF list")
            for number, code in codes.indicators.items()
            if code.name_id
        }
        self._known_indicators: set[int] = set(codes.indicators)
        #: The English names of the indicators known only from UN-Habitat's draft list, whose
        #: alignments follow from it: that the NUF numbers them the same is inferred.
        self._inferred: dict[int, str] = {
            number: code.name_en
            for number, code in codes.indicators.items()
            if code.name_en and not code.name_id and "inferred" in code.status
        }
        self._named_inferred: set[int] = set()
        self._notices: list[str] = []

    @property
    def notices(self) -> list[str]:
        """Return what the run notes of its codes: each new code or differing name where a
        page gave it, then, in one line, the indicators published whose English names and
        alignments rest on UN-Habitat's numbering (a person who reads both can check them)."""
        if not self._named_inferred:
            return list(self._notices)
        numbers = ", ".join(str(n) for n in sorted(self._named_inferred))
        which = "indicators" if len(self._named_inferred) > 1 else "indicator"
        return [
            *self._notices,
            f"{which} {numbers}: their English names and SDG and UNESCO alignments come "
            "from UN-Habitat's draft list, whose numbering the NUF's is inferred to follow, "
            "not known to: check them against the names the pages give "
            "(nualod/vocab/alignments.csv)",
        ]

    def vet(self, practice: Practice) -> None:
        """Check a practice's codes against what is known; raise :class:`ReadError` on a conflict.

        >>> import datetime as dt
        >>> from nualod.model.records import City, Indicator, Origin, Theme
        >>> book = CodeBook()
        >>> book.vet(Practice(Theme(3), Indicator(47, "x", 3), City("Kota Bandung"), None, None,
        ...                   None, (), dt.date(2025, 1, 1), Origin("a.txt")))
        Traceback (most recent call last):
        ...
        nualod.errors.ReadError: a.txt: theme: indicator 47 is in theme 10 (the NUF list), not theme 03
        """
        self.vet_codes(practice.origin.describe(), practice.theme.number, practice.indicator)

    def settled(self, theme: int, indicator: Indicator) -> bool:
        """Tell whether :meth:`vet_codes` would take these codes again without a word: no
        error, no notice, nothing new to note."""
        number = indicator.number
        known = self._indicator_theme.get(number)
        name = self._indicator_name.get(number)
        return (
            known is not None
            and known[0] == theme
            and theme in self._themes
            and number in self._known_indicators
            and name is not None
            and name[0] == indicator.name
            and (number not in self._inferred or number in self._named_inferred)
        )

    def vet_codes(self, where: str, theme: int, indicator: Indicator) -> None:
        """Check the codes of the practice read at ``where``: see :meth:`vet`."""
        known = self._indicator_theme.get(indicator.number)
        if known is not None and known[0] != theme:
            raise ReadError(
                where,
                f"indicator {indicator.number} is in theme {known[0]:02d} ({known[1]}), "
                f"not theme {theme:02d}",
                field="theme",
            )
        if theme not in self._themes:
            self._themes.add(theme)
            self._notices.append(f"{where}: theme {theme:02d} is not in the NUF list; added")
        if indicator.number not in self._known_indicators:
            self._known_indicators.add(indicator.number)
            self._notices.append(
                f"{where}: indicator {indicator.number} is not in the NUF list; added"
            )
        self._indicator_theme.setdefault(indicator.number, (theme, where))
        if indicator.number in self._inferred:
            self._named_inferred.add(indicator.number)
        name = self._indicator_name.setdefault(indicator.number, (indicator.name, where))
        if name[0] != indicator.name:
            self._notices.append(
                f"{where}: indicator {indicator.number} is named {indicator.name!r} here but "
                f"{name[0]!r} in {name[1]}; kept {name[0]!r}"
            )
