"""What every page may need besides its own practice: the published vocabulary, reference
data, alignments and catalog, held in memory (a few thousand nodes whatever the size of the
data) and looked up by IRI.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox

from nualod.errors import SiteError
from nualod.site.paths import SDG_NAMESPACE, UNESCO_NAMESPACE, VOCABULARY_BASE
from nualod.site.rdf import Statement, node_key, sort_statements, statement
from nualod.site.versions import Versions, read_versions, series_of

RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
SCHEMA: Final = "https://schema.org/"
OWL: Final = "http://www.w3.org/2002/07/owl#"
PROV: Final = "http://www.w3.org/ns/prov#"
NUA: Final = VOCABULARY_BASE + "def#"
ONTOLOGY: Final = VOCABULARY_BASE + "def"
SDGO: Final = "http://metadata.un.org/sdg/ontology#"
GEO: Final = "http://www.opengis.net/ont/geosparql#"
VOID: Final = "http://rdfs.org/ns/void#"

FOAF: Final = "http://xmlns.com/foaf/0.1/"
VCARD: Final = "http://www.w3.org/2006/vcard/ns#"

#: Predicates that name a thing, best first. The catalog names its agents with foaf:name
#: and their contact points with vcard:fn, as DCAT-AP has it.
LABELS: Final = (
    SKOS + "prefLabel",
    RDFS + "label",
    SCHEMA + "name",
    DCTERMS + "title",
    FOAF + "name",
    VCARD + "fn",
)
#: What "labels of what it links to" adds to a resource's files about each thing it links to.
LINK_LABELS: Final = frozenset((*LABELS, SKOS + "notation"))
LABEL_LANGUAGES: Final = ("id", "en", "")

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(slots=True)
class Alignment:
    """A curated link from an NUA theme or indicator to an SDG or UNESCO concept."""

    iri: str
    source: str
    relation: str
    target: str
    comments: dict[str, str]


@dataclass(slots=True)
class Region:
    """A province, kabupaten or kota."""

    iri: str
    code: str
    kind: str
    province: str | None
    point: tuple[float, float] | None = None


@dataclass
class Context:
    """Triples of every graph but the practices graph, by subject, with derived indexes."""

    triples: dict[str, list[ox.Triple]] = field(default_factory=dict)
    data_base: str = "https://w3id.org/nualod/id/"
    regions: dict[str, Region] = field(default_factory=dict)
    alignments: list[Alignment] = field(default_factory=list)
    aligned_from: dict[str, list[Alignment]] = field(default_factory=dict)
    aligned_to: dict[str, list[Alignment]] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    catalog: dict[str, list[ox.Triple]] = field(default_factory=dict)
    void: dict[str, list[ox.Triple]] = field(default_factory=dict)
    #: The hash IRIs inside each document IRI ("…/33.75#unesco-creative-city").
    children: dict[str, list[str]] = field(default_factory=dict)
    #: The releases the site shows (none when its release has no version).
    versions: Versions = field(default_factory=Versions)
    #: The catalogs of the kept releases before the site's (:attr:`versions`), newest first:
    #: each version with its ``catalog.ttl`` by subject, as :attr:`catalog`.
    earlier: list[tuple[str, dict[str, list[ox.Triple]]]] = field(default_factory=list)
    #: The label statements of linked nodes (:meth:`described`), as asked for.
    _labels: dict[str, list[Statement]] = field(default_factory=dict, repr=False)

    def add(self, triple: ox.Triple) -> None:
        """Add one triple."""
        self.triples.setdefault(node_key(triple.subject), []).append(triple)

    def node(self, subject: str) -> list[ox.Triple]:
        """Return a node's triples: from the graphs, else from the catalog and VoID.

        The catalog's nodes (the dataset, its distributions, its agents) are thus named
        wherever a page links to them, as their own pages name them; a node only an earlier
        version's catalog describes (that version's dataset, its distributions), as the
        newest that does.
        """
        found = self.triples.get(subject)
        if found is not None:
            return found
        found = [*self.catalog.get(subject, ()), *self.void.get(subject, ())]
        if found or subject.startswith("_:"):  # a blank node is its own catalog's
            return found
        for _version, catalog in self.earlier:
            if subject in catalog:
                return catalog[subject]
        return found

    def values(self, subject: str, predicate: str) -> list[Term]:
        """Return the objects of ``subject predicate``, in file order."""
        return [
            o
            for t in self.node(subject)
            if t.predicate.value == predicate
            and isinstance(o := t.object, ox.NamedNode | ox.BlankNode | ox.Literal)
        ]

    def iris(self, subject: str, predicate: str) -> list[str]:
        """Return the IRI objects of ``subject predicate``."""
        return [o.value for o in self.values(subject, predicate) if isinstance(o, ox.NamedNode)]

    def types(self, subject: str) -> set[str]:
        """Return the classes of a node."""
        return set(self.iris(subject, RDF_TYPE))

    def text(self, subject: str, predicate: str, language: str) -> tuple[str, str] | None:
        """Return a literal of ``subject predicate`` in ``language``, else in id, en or none.

        The second item is the language of the text found ("" for none).
        """
        return best_text(self.values(subject, predicate), language)

    def label(self, subject: str, language: str) -> tuple[str, str] | None:
        """Return the best name of a node in ``language`` (or the nearest), with its language."""
        best: tuple[str, str] | None = None
        for predicate in LABELS:
            found = self.text(subject, predicate, language)
            if found is None:
                continue
            if found[1] == language:
                return found
            if best is None:
                best = found
        return best

    def notation(self, subject: str) -> str | None:
        """Return the compact notation of a concept ("4.4.1" rather than "04.04.01")."""
        plain: str | None = None
        for value in self.values(subject, SKOS + "notation"):
            if not isinstance(value, ox.Literal):
                continue
            datatype = value.datatype.value
            if datatype == SDGO + "SDGCodeCompact":
                return value.value
            if datatype.endswith("#string") and plain is None:
                plain = value.value
        return plain

    def link_labels(self, iri: str) -> list[ox.Triple]:
        """Return the label and notation triples of a node, in id, en or no language."""
        return [
            t
            for t in self.triples.get(iri, ())
            if t.predicate.value in LINK_LABELS
            and (
                not isinstance(t.object, ox.Literal) or (t.object.language or "") in LABEL_LANGUAGES
            )
        ]

    def described(self, iri: str, own: Iterable[Statement]) -> list[Statement]:
        """Return what a resource's data files hold: its own statements, what the small
        graphs say of it (a practice's ``prov:wasGeneratedBy``, in the provenance graph) and
        the labels of the nodes it links to outside itself (:meth:`link_labels`), sorted
        with :func:`~nualod.site.rdf.sort_statements`."""
        own = [*own, *map(statement, self.triples.get(iri, ()))]
        linked = {o.value for _, p, o, _ in own if type(o) is ox.NamedNode and p != RDF_TYPE}
        labels: list[Statement] = []
        for target in sorted(linked):
            if target.split("#", 1)[0] != iri:
                found = self._labels.get(target)
                if found is None:
                    found = [statement(t) for t in self.link_labels(target)]
                    # Regions, concepts and sources recur; a million practices' own
                    # pages hardly do.
                    if len(self._labels) < 100_000:
                        self._labels[target] = found
                labels.extend(found)
        return sort_statements([*own, *labels], iri)

    def description(self, iri: str) -> list[ox.Triple]:
        """Return a node's concise bounded description: its triples and its hash nodes'."""
        own = list(self.triples.get(iri, ()))
        for child in self.children.get(iri, ()):
            own.extend(self.triples.get(child, ()))
        return own

    def goal_of(self, iri: str) -> str | None:
        """Return the SDG goal above an SDG target or indicator (or the goal itself)."""
        seen = 0
        current: str | None = iri
        while current is not None and seen < 5:
            if SDGO + "Goal" in self.types(current):
                return current
            broader = self.iris(current, SKOS + "broader")
            current = broader[0] if broader else None
            seen += 1
        return None


_TYPE: Final = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RESOURCE: Final = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#Resource")


def load_context(context_nq: Path, published: Path) -> Context:
    """Read the small graphs and the catalog files of a published folder."""
    context = Context()
    with context_nq.open("rb") as quads:
        for quad in ox.parse(quads, format=ox.RdfFormat.N_QUADS):
            context.add(quad.triple)
    for name, table in (("catalog.ttl", context.catalog), ("void.ttl", context.void)):
        _read_table(published / name, table)
    dataset = published / "dataset.jsonld"
    if dataset.is_file():
        try:
            context.dataset = json.loads(dataset.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise SiteError(f"{dataset}: not JSON: {error}") from None
    _index(context)
    context.versions = read_versions(published, context.triples, series_of(context.dataset))
    for release in context.versions.releases[1:]:  # the first is the site's own
        catalog: dict[str, list[ox.Triple]] = {}
        _read_table(release.folder / "catalog.ttl", catalog)
        context.earlier.append((release.version, catalog))
    return context


def _read_table(path: Path, table: dict[str, list[ox.Triple]]) -> None:
    """Add the triples of a Turtle file (a catalog, a VoID) to ``table``, by subject; nothing
    when the file is not there."""
    if not path.is_file():
        return
    try:
        with path.open("rb") as data:
            for quad in ox.parse(data, format=ox.RdfFormat.TURTLE):
                # A download URL typed rdfs:Resource (for DCAT-AP's shapes) is a file to
                # fetch, not a resource to give a page.
                if quad.predicate == _TYPE and quad.object == _RESOURCE:
                    continue
                table.setdefault(node_key(quad.subject), []).append(quad.triple)
    except SyntaxError as error:
        raise SiteError(f"{path}: {error}") from None


def _index(context: Context) -> None:
    children: dict[str, list[str]] = defaultdict(list)
    for subject in sorted(context.triples):
        if "#" in subject and not subject.startswith(NUA):
            children[subject.split("#", 1)[0]].append(subject)
    context.children = dict(children)
    for subject in list(context.triples):
        types = context.types(subject)
        if OWL + "Axiom" in types:
            source = context.iris(subject, OWL + "annotatedSource")
            relation = context.iris(subject, OWL + "annotatedProperty")
            target = context.iris(subject, OWL + "annotatedTarget")
            if source and relation and target:
                comments: dict[str, str] = {}
                for value in context.values(subject, RDFS + "comment"):
                    if isinstance(value, ox.Literal):
                        comments.setdefault(value.language or "", value.value)
                context.alignments.append(
                    Alignment(subject, source[0], relation[0], target[0], comments)
                )
        identifier = context.values(subject, DCTERMS + "identifier")
        if identifier and SCHEMA + "AdministrativeArea" in types:
            code = identifier[0].value
            province = context.iris(subject, SCHEMA + "containedInPlace")
            kind = (
                "kota"
                if NUA + "Kota" in types
                else "kabupaten"
                if NUA + "Kabupaten" in types
                else "provinsi"
            )
            context.regions[code] = Region(subject, code, kind, province[0] if province else None)
    context.alignments.sort(key=lambda a: (a.source, a.relation, a.target, a.iri))
    for alignment in context.alignments:
        context.aligned_from.setdefault(alignment.source, []).append(alignment)
        context.aligned_to.setdefault(alignment.target, []).append(alignment)
    if context.regions:
        some = next(iter(context.regions.values())).iri
        context.data_base = some[: some.rfind("region/")]
    _points(context)


def _points(context: Context) -> None:
    """Give each region a point: from the published data when it has one, else shipped."""
    shipped: dict[str, tuple[float, float]] = {}
    text = resources.files("nualod.site").joinpath("data/region_points.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        shipped[row["code"]] = (float(row["latitude"]), float(row["longitude"]))
    for code, region in context.regions.items():
        region.point = _published_point(context, region.iri) or shipped.get(code)


def _published_point(context: Context, iri: str) -> tuple[float, float] | None:
    """Return a point given in the data: geo:hasGeometry/geo:asWKT, or schema:geo."""
    nodes = [iri, *context.iris(iri, GEO + "hasGeometry"), *context.iris(iri, SCHEMA + "geo")]
    nodes += context.children.get(iri, [])
    for node in nodes:
        for value in context.values(node, GEO + "asWKT"):
            point = _wkt_point(value.value)
            if point:
                return point
        lat = context.values(node, SCHEMA + "latitude")
        lon = context.values(node, SCHEMA + "longitude")
        if lat and lon:
            try:
                return float(lat[0].value), float(lon[0].value)
            except ValueError:
                continue
    return None


def _wkt_point(text: str) -> tuple[float, float] | None:
    """Return (latitude, longitude) of a WKT point, CRS prefix allowed.

    >>> _wkt_point("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(109.67 -6.89)")
    (-6.89, 109.67)
    """
    upper = text.upper()
    start = upper.find("POINT")
    if start < 0:
        return None
    inner = text[start + 5 :].strip().lstrip("(").rstrip(")").split()
    try:
        return float(inner[1]), float(inner[0])
    except (IndexError, ValueError):
        return None


def best_text(values: Iterable[object], language: str) -> tuple[str, str] | None:
    """Return the literal of ``values`` in ``language``, else in id, en or none, else any,
    with its language ("" for none).

    >>> best_text([ox.Literal("a", language="en"), ox.Literal("b", language="id")], "en")
    ('a', 'en')
    """
    found: dict[str, str] = {}
    for value in values:
        if isinstance(value, ox.Literal):
            found.setdefault(value.language or "", value.value)
    for wanted in (language, *LABEL_LANGUAGES):
        if wanted in found:
            return found[wanted], wanted
    if found:
        lang = min(found)
        return found[lang], lang
    return None


def is_sdg(iri: str) -> bool:
    """Tell whether an IRI is a UN SDG concept."""
    return iri.startswith(SDG_NAMESPACE)


def is_unesco(iri: str) -> bool:
    """Tell whether an IRI is a UNESCO Thesaurus concept."""
    return iri.startswith(UNESCO_NAMESPACE)


def iter_ontology_terms(context: Context) -> Iterable[str]:
    """Yield the IRIs of the classes and properties of ``nua:``, sorted."""
    return sorted(s for s in context.triples if s.startswith(NUA))
