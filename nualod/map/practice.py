"""Map records to RDF triples, one record at a time.

Builders here return lists of :class:`~nualod.model.triples.TermTriple`; nothing here holds the whole
dataset. Shared nodes (indicator and theme concepts, source pages) are emitted the first
time a :class:`PracticeMapper` meets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from sys import intern
from typing import Final, NamedTuple

from pyoxigraph import Literal, NamedNode

from nualod.link.reference import CreativeCity
from nualod.map.figures import FigureNode, add_figures
from nualod.model.iris import DataIRIs, practice_key
from nualod.model.namespaces import (
    DCTERMS,
    GEONAMES,
    WIKIDATA,
    indicator_iri,
    theme_iri,
)
from nualod.model.records import Indicator, LinkedPractice, Region, Theme
from nualod.model.terms import (
    ABSTRACT,
    ACTIVITY,
    ADMIN_AREA,
    AS_WKT,
    BROADER,
    CLOSE_MATCH,
    CONCEPT,
    CONTAINED_IN,
    CREATIVE_CITY,
    CREATIVE_CITY_DESIGNATION,
    CREATIVE_FIELD,
    DERIVATION,
    DESCRIPTION,
    DESIGNATION_YEAR,
    EDITORIAL_NOTE,
    ENDED_AT_TIME,
    ENTITY,
    GEOMETRY,
    GOOD_PRACTICE,
    HAS_GEOMETRY,
    HAS_INDICATOR,
    HAS_THEME,
    IDENTIFIER,
    IN_SCHEME,
    INDICATOR,
    INDICATOR_SCHEME_NODE,
    ISSUED,
    KABUPATEN,
    KOTA,
    LABEL,
    NOTATION,
    PREF_LABEL,
    PROVINSI,
    QUALIFIED_DERIVATION,
    SAME_AS,
    SCHEMA_CITY,
    SCHEMA_NAME,
    SCHEMA_URL,
    SEE_ALSO,
    SOURCE,
    SPATIAL,
    THEME,
    THEME_SCHEME_NODE,
    TITLE,
    TOP_CONCEPT_OF,
    USED,
    WAS_DERIVED_FROM,
    WAS_INFLUENCED_BY,
    WEB_PAGE,
    WKT_LITERAL,
    XSD_DATE,
    XSD_DATETIME,
    XSD_GYEAR,
    XSD_STRING,
    A,
)
from nualod.model.triples import (
    IRI,
    LANGUAGE,
    TYPED,
    PlainTriple,
    TermTriple,
    new_plain_triple,
    quoted,
)

_REGION_CLASSES: Final = {
    "kota": (SCHEMA_CITY, ADMIN_AREA, KOTA),
    "kabupaten": (ADMIN_AREA, KABUPATEN),
    "provinsi": (ADMIN_AREA, PROVINSI),
}


def _id(text: str) -> Literal:
    return Literal(text, language="id")


def region_triples(region: Region, iris: DataIRIs) -> list[TermTriple]:
    """Return the triples that describe a province, kabupaten or kota.

    >>> from nualod.model.records import Region
    >>> triples = region_triples(Region("33.75", "Kota Pekalongan", "kota", "33", "Q11026",
    ...                                 "1631766"), DataIRIs())
    >>> sorted(str(t.object) for t in triples if t.predicate == SAME_AS)
    ['<http://www.wikidata.org/entity/Q11026>', '<https://sws.geonames.org/1631766/>']
    """
    return list(_region_triples(region, iris))


@lru_cache(maxsize=2048)  # a run meets at most the 552 regions, on every other page
def _region_triples(region: Region, iris: DataIRIs) -> tuple[TermTriple, ...]:
    node = NamedNode(iris.region(region.code))
    triples = [TermTriple(node, A, cls) for cls in _REGION_CLASSES[region.kind]]
    triples += [
        TermTriple(node, IDENTIFIER, Literal(region.code)),
        TermTriple(node, LABEL, _id(region.name)),
        TermTriple(node, SCHEMA_NAME, _id(region.name)),
    ]
    if region.province_code:
        triples.append(TermTriple(node, CONTAINED_IN, NamedNode(iris.region(region.province_code))))
    # A place whose territory changed since its identifiers were minted is only close to
    # what they name (see nualod/data/ATTRIBUTION.md); owl:sameAs would claim identity.
    link = SAME_AS if region.identity == "sameAs" else CLOSE_MATCH
    if region.wikidata:
        triples.append(TermTriple(node, link, NamedNode(WIKIDATA + region.wikidata)))
    if region.geonames:
        triples.append(TermTriple(node, link, NamedNode(f"{GEONAMES}{region.geonames}/")))
    if region.identity_note:
        triples.append(
            TermTriple(node, EDITORIAL_NOTE, Literal(region.identity_note, language="en"))
        )
    if region.latitude and region.longitude:
        point = NamedNode(f"{node.value}#point")
        triples += [
            TermTriple(node, HAS_GEOMETRY, point),
            TermTriple(point, A, GEOMETRY),
            TermTriple(point, AS_WKT, Literal(wkt_point(region), datatype=WKT_LITERAL)),
        ]
    return tuple(triples)


def wkt_point(region: Region) -> str:
    """Return a region's point as WKT (longitude first, WGS 84, GeoSPARQL's default CRS).

    >>> from nualod.link.reference import load_regions
    >>> wkt_point(load_regions()["33.75"])
    'POINT(109.675277777 -6.888333333)'
    """
    return f"POINT({region.longitude} {region.latitude})"


def theme_triples(theme: Theme) -> list[TermTriple]:
    """Return the triples of an NUA theme concept of our theme scheme."""
    node = NamedNode(theme_iri(theme.number))
    triples = [
        TermTriple(node, A, CONCEPT),
        TermTriple(node, A, THEME),
        TermTriple(node, NOTATION, Literal(theme.notation)),
        TermTriple(node, IN_SCHEME, THEME_SCHEME_NODE),
        TermTriple(node, TOP_CONCEPT_OF, THEME_SCHEME_NODE),
    ]
    if theme.name:
        triples.append(TermTriple(node, PREF_LABEL, _id(theme.name)))
    return triples


def indicator_triples(indicator: Indicator) -> list[TermTriple]:
    """Return the triples of an NUA indicator concept, narrower than its theme."""
    node = NamedNode(indicator_iri(indicator.number))
    return [
        TermTriple(node, A, CONCEPT),
        TermTriple(node, A, INDICATOR),
        TermTriple(node, NOTATION, Literal(indicator.notation)),
        TermTriple(node, PREF_LABEL, _id(indicator.name)),
        TermTriple(node, IN_SCHEME, INDICATOR_SCHEME_NODE),
        TermTriple(node, BROADER, NamedNode(theme_iri(indicator.theme))),
    ]


class _TwoWays:
    """Triples of one group built both ways at once: as terms, to validate, and as plain
    tuples, to write (reading plain text back out of pyoxigraph terms costs more).

    Every IRI comes as its term and its text (:func:`_both`): reading ``.value`` copies the
    text out of Rust each time, and one shared string per predicate is pickled once per batch.
    """

    def __init__(
        self,
        subject: _Both,
        terms: list[TermTriple] | None = None,
        plain: list[PlainTriple] | None = None,
    ) -> None:
        self.subject, self.subject_text = subject
        self.terms: list[TermTriple] = [] if terms is None else terms
        self.plain: list[PlainTriple] = [] if plain is None else plain
        #: The group's figures: their nodes' triples are in neither ``terms`` nor ``plain``.
        self.figures: list[FigureNode] = []

    def about(self, subject: _Both) -> _TwoWays:
        """Return a builder of triples of another subject, added to this same group."""
        return _TwoWays(subject, self.terms, self.plain)

    def extend(self, figure: FigureNode) -> None:
        """Add a figure's nodes (kept whole: see :class:`PracticeParts`)."""
        self.figures.append(figure)

    def link(self, predicate: _Both, obj: _Both) -> None:
        self.terms.append(TermTriple(self.subject, predicate[0], obj[0]))
        value = obj[1]
        self.plain.append(
            new_plain_triple((self.subject_text, predicate[1], value, IRI, "", f"<{value}>"))
        )

    def text(self, predicate: _Both, value: str, language: str) -> None:
        self.terms.append(TermTriple(self.subject, predicate[0], Literal(value, language=language)))
        self.plain.append(
            new_plain_triple((self.subject_text, predicate[1], value, LANGUAGE, language,
                              f"{quoted(value)}@{language}"))
        )  # fmt: skip

    def typed(self, predicate: _Both, value: str, datatype: str) -> None:
        literal = (
            Literal(value)
            if datatype == XSD_STRING
            else Literal(value, datatype=NamedNode(datatype))
        )
        self.terms.append(TermTriple(self.subject, predicate[0], literal))
        text = quoted(value)
        self.plain.append(
            new_plain_triple((self.subject_text, predicate[1], value, TYPED, datatype,
                              text if datatype == XSD_STRING else f"{text}^^<{datatype}>"))
        )  # fmt: skip


#: An IRI as its term and its (interned) text.
_Both = tuple[NamedNode, str]


def _both(node: NamedNode) -> _Both:
    return node, intern(node.value)


(_A, _IDENTIFIER, _TITLE, _ISSUED, _SPATIAL, _HAS_INDICATOR, _HAS_THEME, _ABSTRACT) = map(
    _both, (A, IDENTIFIER, TITLE, ISSUED, SPATIAL, HAS_INDICATOR, HAS_THEME, ABSTRACT)
)
(_DESCRIPTION, _SOURCE, _WAS_DERIVED_FROM, _SCHEMA_URL, _QUALIFIED_DERIVATION) = map(
    _both, (DESCRIPTION, SOURCE, WAS_DERIVED_FROM, SCHEMA_URL, QUALIFIED_DERIVATION)
)
(_ENTITY, _WAS_INFLUENCED_BY, _USED, _GOOD_PRACTICE, _DERIVATION, _ACTIVITY) = map(
    _both, (ENTITY, WAS_INFLUENCED_BY, USED, GOOD_PRACTICE, DERIVATION, ACTIVITY)
)
_ENDED_AT_TIME: Final = _both(ENDED_AT_TIME)
#: A practice is part of the dataset, so a description of it alone says under which
#: licence it may be used (the dataset's dcterms:license, in the catalog).
_IS_PART_OF: Final = _both(NamedNode(DCTERMS + "isPartOf"))
_XSD_DATE_TEXT: Final = XSD_DATE.value
_XSD_DATETIME_TEXT: Final = XSD_DATETIME.value


@lru_cache(maxsize=4096)  # regions, indicators and themes: a few hundred, on every page
def _named(iri: str) -> _Both:
    return _both(NamedNode(iri))


def practice_triples(
    linked: LinkedPractice, iris: DataIRIs, *, figures: bool = True
) -> list[TermTriple]:
    """Return the triples of one practice (not of the shared nodes it points to)."""
    return practice_group(linked, iris, figures=figures)[0]


def practice_group(
    linked: LinkedPractice, iris: DataIRIs, *, figures: bool = True
) -> tuple[list[TermTriple], list[PlainTriple]]:
    """Return the triples of one practice as terms and, the same, as plain tuples.

    With ``figures``, the figures its Ringkasan and Deskripsi state are nodes of it
    (:mod:`nualod.map.figures`).
    """
    parts = practice_parts(linked, iris, figures=figures)
    terms, plain = parts.terms, parts.plain
    for figure in parts.figures:
        terms += figure.terms()
        plain += figure.plain()
    return terms, plain


class PracticeParts(NamedTuple):
    """One practice's triples but those of its figures' nodes (the links to them included):
    as terms, to validate, and as plain tuples, to write; and its figures, which come last.

    A figure's nodes have a fixed shape, so they are kept whole: validated as nodes
    described whole (:meth:`FigureNode.described`) and written from templates
    (:mod:`nualod.write.figures`), each at a fraction of the cost of its triples.
    """

    terms: list[TermTriple]
    plain: list[PlainTriple]
    figures: list[FigureNode]
    #: The fields (``abstract``, ``description``) whose texts state more figures than are
    #: published (:data:`nualod.figures.MAX_FIGURES`).
    capped: tuple[str, ...] = ()


def practice_parts(
    linked: LinkedPractice, iris: DataIRIs, *, figures: bool = True
) -> PracticeParts:
    """Return the triples of one practice as :class:`PracticeParts` (see :func:`practice_group`)."""
    practice, region = linked.practice, linked.region
    key = practice_key(practice, region)
    iri = iris.practice(key)
    group = _TwoWays((NamedNode(iri), iri))
    group.link(_A, _GOOD_PRACTICE)
    group.typed(_IDENTIFIER, key, XSD_STRING)
    group.text(_TITLE, practice.title, "id")
    group.typed(_ISSUED, practice.issued.isoformat(), _XSD_DATE_TEXT)
    group.link(_SPATIAL, _named(iris.region(region.code)))
    group.link(_HAS_INDICATOR, _named(indicator_iri(practice.indicator.number)))
    group.link(_HAS_THEME, _named(theme_iri(practice.theme.number)))
    group.link(_IS_PART_OF, _named(iris.dataset()))
    if practice.summary:
        group.text(_ABSTRACT, practice.summary, "id")
    if practice.description:
        group.text(_DESCRIPTION, practice.description, "id")
    for source in practice.sources:
        group.link(_SOURCE, (NamedNode(source.url), source.url))
    origin = practice.origin
    if origin.page_url:
        page = (NamedNode(origin.page_url), origin.page_url)
        group.link(_WAS_DERIVED_FROM, page)
        group.link(_SCHEMA_URL, page)
        if origin.retrieved_at is not None:
            # PROV-O: the practice was derived from the page, and influenced by the page's
            # retrieval, which used it and ended at the given time (prov:atTime is for
            # instantaneous events, not for influences). The retrieval is not the
            # derivation's prov:hadActivity: PROV-DM 5.2.1 makes that the activity that used
            # the page and generated the practice (PROV-CONSTRAINTS Inference 11), and the
            # practice is generated by the runs that publish it (nualod.releases.provenance).
            derivation = _both(NamedNode(f"{iri}#derivation"))
            retrieval = _both(NamedNode(f"{iri}#retrieval"))
            stamp = origin.retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            group.link(_QUALIFIED_DERIVATION, derivation)
            group.link(_WAS_INFLUENCED_BY, retrieval)
            derived = group.about(derivation)
            derived.link(_A, _DERIVATION)
            derived.link(_ENTITY, page)
            retrieved = group.about(retrieval)
            retrieved.link(_A, _ACTIVITY)
            retrieved.link(_USED, page)
            retrieved.typed(_ENDED_AT_TIME, stamp, _XSD_DATETIME_TEXT)
    capped: list[str] = []
    if figures:
        add_figures(
            group,
            (group.subject, iri),
            {"abstract": practice.summary, "description": practice.description},
            capped,
        )
    return PracticeParts(group.terms, group.plain, group.figures, tuple(capped))


def source_triples(url: str) -> list[TermTriple]:
    """Return the triples that type a source page."""
    return [TermTriple(NamedNode(url), A, WEB_PAGE)]


class PracticeMapper:
    """Map linked practices to triples, emitting each shared node once per run."""

    def __init__(
        self, iris: DataIRIs, seeded: Mapping[str, Sequence[TermTriple]] | None = None
    ) -> None:
        self.iris = iris
        self._seen: set[str] = set()
        self._seeded = {key: set(triples) for key, triples in (seeded or {}).items()}
        # A run names a few hundred distinct themes and indicators, on every page.
        self._concepts: dict[Theme | Indicator, tuple[str, list[TermTriple]]] = {}

    def practice_iri(self, linked: LinkedPractice) -> str:
        """Return the IRI a linked practice is published under."""
        return self.iris.practice(practice_key(linked.practice, linked.region))

    def shared_nodes(self, linked: LinkedPractice) -> dict[str, list[TermTriple]]:
        """Return the triples of every shared node a practice points to, by node IRI.

        A theme or indicator named the same way again gives the very same list: do not
        change it.
        """
        practice = linked.practice
        nodes = dict((self._concept(practice.theme), self._concept(practice.indicator)))
        for source in practice.sources:
            nodes[source.url] = source_triples(source.url)
        return nodes

    def _concept(self, code: Theme | Indicator) -> tuple[str, list[TermTriple]]:
        return self.concept(code)

    def concept(self, code: Theme | Indicator) -> tuple[str, list[TermTriple]]:
        """Return a theme or indicator concept's IRI and triples, as ``code`` names it (the
        same list each time: do not change it)."""
        known = self._concepts.get(code)
        if known is None:
            if isinstance(code, Theme):
                known = (theme_iri(code.number), theme_triples(code))
            else:
                known = (indicator_iri(code.number), indicator_triples(code))
            self._concepts[code] = known
        return known

    def take_new(self, nodes: dict[str, list[TermTriple]]) -> dict[str, list[TermTriple]]:
        """Return the nodes not emitted before, and remember them as emitted."""
        new: dict[str, list[TermTriple]] = {}
        for key, node_triples in nodes.items():
            if key in self._seen:
                continue
            self._seen.add(key)
            kept = self.beyond_seed(key, node_triples)
            if kept:
                new[key] = kept
        return new

    def beyond_seed(self, key: str, triples: list[TermTriple]) -> list[TermTriple]:
        """Return what a page says of a node that the seed does not already say.

        Nodes that are not seeded concepts come back unchanged.

        The seed's Indonesian name stays the one ``skos:prefLabel@id``; a page's differing
        name is reported by :class:`nualod.link.codes.CodeBook`, not published.
        """
        seed = self._seeded.get(key)
        if seed is None:
            return triples
        named = any(
            t.predicate == PREF_LABEL
            and isinstance(t.object, Literal)
            and t.object.language == "id"
            for t in seed
        )
        return [
            t
            for t in triples
            if t not in seed
            and not (
                named
                and t.predicate == PREF_LABEL
                and isinstance(t.object, Literal)
                and t.object.language == "id"
            )
        ]


def creative_city_triples(city: CreativeCity, iris: DataIRIs) -> list[TermTriple]:
    """Return a region's UNESCO Creative City designation, as a node under the region's IRI.

    >>> from nualod.link.reference import load_creative_cities
    >>> triples = creative_city_triples(load_creative_cities()["33.75"], DataIRIs())
    >>> triples[0].object.value
    'https://w3id.org/nualod/id/region/33.75#unesco-creative-city'
    """
    region = NamedNode(iris.region(city.code))
    node = NamedNode(f"{region.value}#unesco-creative-city")
    return [
        TermTriple(region, CREATIVE_CITY, node),
        TermTriple(node, A, CREATIVE_CITY_DESIGNATION),
        TermTriple(node, CREATIVE_FIELD, Literal(city.field, language="en")),
        TermTriple(node, CREATIVE_FIELD, Literal(city.field_id, language="id")),
        TermTriple(node, DESIGNATION_YEAR, Literal(str(city.year), datatype=XSD_GYEAR)),
        TermTriple(node, SEE_ALSO, NamedNode(city.page)),
    ]
