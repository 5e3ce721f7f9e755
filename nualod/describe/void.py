"""Describe the published data with VoID: sizes, partitions, dumps and linksets.

The figures are measured with SPARQL over the store built from the N-Quads dump, so they
describe exactly what a SPARQL user sees (the union of the named graphs, each triple
counted once).

What is counted:

- ``void:entities`` of the dataset: distinct IRI subjects inside its ``void:uriSpace`` (the
  data base IRI); the SDG, UNESCO and code-list resources the dumps also describe are not
  the dataset's entities. ``void:triples`` and ``void:distinctSubjects`` count everything
  in the dumps. ``void:distinctObjects`` is not given: exact, it would mean holding every
  object (every description) of a million practices in memory.
- Linksets: one per (target, link predicate), a ``void:subset`` of the dataset. A link is a
  distinct triple whose object is in the target's namespace and whose subject is one of ours:
  for the SDG and UNESCO a code-list concept under ``https://w3id.org/nualod/code/`` (the
  curated alignments; not an alignment axiom node under ``.../code/alignment/``), for
  Wikidata and GeoNames an IRI under the data base (the regions). ``rdf:type``,
  ``skos:hasTopConcept`` and the ``owl:annotated*`` triples of the alignment axioms are not
  links (the axioms restate the mappings; the top concepts are the UN's own scheme).
- ``void:uriSpace`` (VoID 4.5: the start of the IRIs of a dataset's entities) is true of the
  subjects it covers: the dataset's is the data base; the SDG and UNESCO linksets'
  subjects are in another space, so their ``void:subjectsTarget`` is a ``void:Dataset`` of
  the NUA code lists (``…/code-lists``, ``void:uriSpace`` the code lists' base), and every
  linkset states the ``void:uriSpace`` of its subjects, its subjects target's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any, Final

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QuerySolutions,
    Store,
    Triple,
)

from nualod.model.namespaces import (
    CODES,
    DCTERMS,
    DEFAULT_BASE,
    NUA,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
)
from nualod.model.namespaces import VOID as V
from nualod.model.terms import RDF_TYPE
from nualod.write.dumps import turtle_bytes
from nualod.write.stats import (
    ALIGNMENT_NODES,
    CODE_LIST_TARGETS,
    LINK_TARGETS,
    NOT_LINKS,
    DataSummary,
)

VOID_NAME: Final = "void.ttl"

#: Format IRIs (W3C formats registry) of the dumps, by file suffix.
FORMAT_FEATURES: Final = {
    ".ttl": "http://www.w3.org/ns/formats/Turtle",
    ".nt": "http://www.w3.org/ns/formats/N-Triples",
    ".nq": "http://www.w3.org/ns/formats/N-Quads",
    ".jsonld": "http://www.w3.org/ns/formats/JSON-LD",
}

_DISTINCT: Final = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The link targets' names in Indonesian (:data:`LINK_TARGETS` has the English), for the
#: linksets' titles, which the site's Indonesian pages head with.
TARGET_TITLES_ID: Final = {
    "sdg": "Sistem Organisasi Pengetahuan SDG PBB",
    "unesco": "Tesaurus UNESCO",
    "wikidata": "Wikidata",
    "geonames": "GeoNames",
}
#: Short names of link predicates, for linkset IRIs and titles.
PREDICATE_PREFIXES: Final = {SKOS: "skos", OWL: "owl", RDFS: "rdfs", DCTERMS: "dcterms"}


def _value(term: Any) -> str:
    return str(term.value)


def _select(store: Store, query: str) -> QuerySolutions:
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    return result


def _count(store: Store, query: str) -> int:
    for solution in _select(store, query):
        return int(_value(solution[0]))
    return 0


def _pairs(store: Store, query: str) -> dict[str, int]:
    return {_value(row[0]): int(_value(row[1])) for row in _select(store, query)}


def link_query(base: str, namespace: str, *, code_lists: bool = False) -> str:
    """Return the SPARQL query counting links into ``namespace`` by link predicate.

    A link is a distinct triple with an object in ``namespace`` and one of our subjects:
    with ``code_lists`` a code-list concept (not an alignment axiom), else an IRI under
    ``base``; see the module docstring.
    """
    excluded = ", ".join(f"<{p}>" for p in NOT_LINKS)
    subject = (
        f'STRSTARTS(STR(?s), "{CODES}") && !STRSTARTS(STR(?s), "{ALIGNMENT_NODES}")'
        if code_lists
        else f'STRSTARTS(STR(?s), "{base}")'
    )
    return (
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {{ {_DISTINCT} }} "
        f'FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?o), "{namespace}") '
        f"&& {subject} && ?p NOT IN ({excluded})) }} GROUP BY ?p"
    )


def code_lists_iri(dataset: str) -> str:
    """Return the IRI of the void:Dataset of the NUA code lists, the subjects of the SDG and
    UNESCO links.

    >>> code_lists_iri("https://x.org/d")
    'https://x.org/d/code-lists'
    """
    return f"{dataset}/code-lists"


def entity_query(uri_space: str) -> str:
    """Return the SPARQL query counting distinct IRI subjects inside ``uri_space``."""
    return (
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{uri_space}")) }}'
    )


def summarize(store: Store, base: str = DEFAULT_BASE) -> DataSummary:
    """Measure the data in a store with SPARQL: counts, partitions, links, practice dates.

    ``base`` is the data base IRI: the dataset's ``void:uriSpace`` and link subjects.
    """
    triples = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }}")
    subjects = _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    entities = _count(store, entity_query(base))
    classes = _pairs(
        store,
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF_TYPE}> ?c }} "
        "FILTER(isIRI(?c)) } GROUP BY ?c",
    )
    properties = _pairs(store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }} GROUP BY ?p")
    links: dict[str, dict[str, int]] = {}
    for name, (_, _, namespace) in LINK_TARGETS.items():
        query = link_query(base, namespace, code_lists=name in CODE_LIST_TARGETS)
        links[name] = _pairs(store, query)
    graphs = _pairs(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    practice = f"GRAPH ?g {{ ?x <{RDF_TYPE}> <{NUA}GoodPractice> }}"
    practices = _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {practice} }}")
    dates = [
        _value(row[0])
        for row in _select(
            store,
            f"SELECT DISTINCT ?d WHERE {{ {practice} GRAPH ?h {{ ?x <{DCTERMS}issued> ?d }} "
            f"FILTER(datatype(?d) = <{XSD}date>) }}",
        )
    ]
    parsed = sorted(dt.date.fromisoformat(d) for d in dates)
    retrieved = [
        _value(row[0])[:10]
        for row in _select(
            store,
            f"SELECT (MAX(?t) AS ?last) WHERE {{ {practice} GRAPH ?h {{ "
            f"?x <{PROV}wasInfluencedBy> ?a . ?a <{PROV}endedAtTime> ?t }} "
            f"FILTER(datatype(?t) = <{XSD}dateTime>) }}",
        )
        if row[0] is not None
    ]
    examples = tuple(
        _value(row[0])
        for row in _select(store, f"SELECT DISTINCT ?x WHERE {{ {practice} }} ORDER BY ?x LIMIT 3")
    )
    return DataSummary(
        triples=triples,
        distinct_subjects=subjects,
        entities=entities,
        classes=dict(sorted(classes.items())),
        properties=dict(sorted(properties.items())),
        links={name: dict(sorted(found.items())) for name, found in links.items()},
        graphs=dict(sorted(graphs.items())),
        practices=practices,
        first_date=parsed[0] if parsed else None,
        last_date=parsed[-1] if parsed else None,
        examples=examples,
        last_retrieved=dt.date.fromisoformat(retrieved[0]) if retrieved else None,
    )


def namespace_of(iri: str) -> str:
    """Return the namespace of an IRI: everything up to the last '#' or '/'.

    >>> namespace_of("http://purl.org/dc/terms/title")
    'http://purl.org/dc/terms/'
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def predicate_name(iri: str) -> str:
    """Return a link predicate's short name.

    >>> predicate_name("http://www.w3.org/2004/02/skos/core#closeMatch")
    'skos:closeMatch'
    """
    namespace = namespace_of(iri)
    prefix = PREDICATE_PREFIXES.get(namespace)
    return f"{prefix}:{iri[len(namespace) :]}" if prefix else iri


def linkset_iri(dataset: str, target: str, predicate: str) -> str:
    """Return the IRI of the linkset of one target and one link predicate.

    >>> linkset_iri("https://x.org/d", "sdg", "http://www.w3.org/2004/02/skos/core#closeMatch")
    'https://x.org/d/linkset/sdg-skos-closeMatch'
    """
    short = predicate_name(predicate)
    if short == predicate:  # no known prefix: a stable digest keeps the IRI clean
        short = "p-" + hashlib.sha256(predicate.encode("utf-8")).hexdigest()[:12]
    return f"{dataset}/linkset/{target}-{short.replace(':', '-')}"


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def void_triples(
    summary: DataSummary,
    dataset: str,
    *,
    title: str,
    dumps: Sequence[str],
    uri_space: str,
    license_iri: str,
    modified: dt.date | None = None,
    sparql_endpoint: str | None = None,
    names_under: str | None = None,
) -> list[Triple]:
    """Return the VoID description of the dataset (no I/O), in a stable order.

    Its linksets and the code lists' dataset are named under ``names_under`` (by default the
    dataset's IRI): a version's statistics name them under the series, whose IRIs outlive it.
    """
    under = names_under or dataset
    d = _n(dataset)
    a = _n(RDF_TYPE)
    triples: list[Triple] = [
        Triple(d, a, _n(V + "Dataset")),
        Triple(d, _n(DCTERMS + "title"), Literal(title, language="en")),
        Triple(d, _n(DCTERMS + "license"), _n(license_iri)),
    ]
    if modified is not None:
        triples.append(
            Triple(
                d,
                _n(DCTERMS + "modified"),
                Literal(modified.isoformat(), datatype=_n(XSD + "date")),
            )
        )
    triples += [
        Triple(d, _n(V + "uriSpace"), Literal(uri_space)),
        Triple(d, _n(V + "triples"), _integer(summary.triples)),
        Triple(d, _n(V + "entities"), _integer(summary.entities)),
        Triple(d, _n(V + "distinctSubjects"), _integer(summary.distinct_subjects)),
        Triple(d, _n(V + "classes"), _integer(len(summary.classes))),
        Triple(d, _n(V + "properties"), _integer(len(summary.properties))),
    ]
    for url in dumps:
        triples.append(Triple(d, _n(V + "dataDump"), _n(url)))
    for url in dumps:
        suffix = "." + url.rsplit(".", 1)[-1]
        if suffix in FORMAT_FEATURES:
            triples.append(Triple(d, _n(V + "feature"), _n(FORMAT_FEATURES[suffix])))
    if sparql_endpoint:
        triples.append(Triple(d, _n(V + "sparqlEndpoint"), _n(sparql_endpoint)))
    for example in summary.examples:
        triples.append(Triple(d, _n(V + "exampleResource"), _n(example)))
    vocabularies = sorted({namespace_of(iri) for iri in (*summary.classes, *summary.properties)})
    for vocabulary in vocabularies:
        triples.append(Triple(d, _n(V + "vocabulary"), _n(vocabulary)))
    partitions: list[Triple] = []
    for index, (iri, count) in enumerate(summary.classes.items(), start=1):
        node = BlankNode(f"class{index}")
        triples.append(Triple(d, _n(V + "classPartition"), node))
        partitions += [
            Triple(node, _n(V + "class"), _n(iri)),
            Triple(node, _n(V + "entities"), _integer(count)),
        ]
    for index, (iri, count) in enumerate(summary.properties.items(), start=1):
        node = BlankNode(f"property{index}")
        triples.append(Triple(d, _n(V + "propertyPartition"), node))
        partitions += [
            Triple(node, _n(V + "property"), _n(iri)),
            Triple(node, _n(V + "triples"), _integer(count)),
        ]
    linksets: list[Triple] = []
    code_lists = _n(code_lists_iri(under))
    if any(summary.links.get(name) for name in CODE_LIST_TARGETS):
        linksets += [
            Triple(code_lists, a, _n(V + "Dataset")),
            Triple(
                code_lists,
                _n(DCTERMS + "title"),
                Literal("NUA theme and indicator code lists", language="en"),
            ),
            Triple(
                code_lists,
                _n(DCTERMS + "title"),
                Literal("Daftar kode tema dan indikator NUA", language="id"),
            ),
            Triple(code_lists, _n(V + "uriSpace"), Literal(CODES)),
        ]
    for name, (target, target_title, namespace) in LINK_TARGETS.items():
        found = summary.links.get(name, {})
        subjects, space = (code_lists, CODES) if name in CODE_LIST_TARGETS else (d, uri_space)
        for predicate, count in found.items():
            short = predicate_name(predicate)
            linkset = _n(linkset_iri(under, name, predicate))
            triples.append(Triple(d, _n(V + "subset"), linkset))
            linksets += [
                Triple(linkset, a, _n(V + "Linkset")),
                Triple(
                    linkset,
                    _n(DCTERMS + "title"),
                    Literal(f"Links to {target_title} ({short})", language="en"),
                ),
                Triple(
                    linkset,
                    _n(DCTERMS + "title"),
                    Literal(f"Tautan ke {TARGET_TITLES_ID[name]} ({short})", language="id"),
                ),
                Triple(linkset, _n(V + "uriSpace"), Literal(space)),
                Triple(linkset, _n(V + "target"), subjects),
                Triple(linkset, _n(V + "target"), _n(target)),
                Triple(linkset, _n(V + "subjectsTarget"), subjects),
                Triple(linkset, _n(V + "objectsTarget"), _n(target)),
                Triple(linkset, _n(V + "linkPredicate"), _n(predicate)),
                Triple(linkset, _n(V + "triples"), _integer(count)),
            ]
        if not found:
            continue
        linksets += [
            Triple(_n(target), a, _n(V + "Dataset")),
            Triple(_n(target), _n(DCTERMS + "title"), Literal(target_title, language="en")),
            Triple(_n(target), _n(V + "uriSpace"), Literal(namespace)),
        ]
    return triples + partitions + linksets


VOID_PREFIXES: Final = {
    "void": V,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "rdf": RDF,
}


def void_turtle(triples: Sequence[Triple]) -> bytes:
    """Return the VoID triples as Turtle."""

    return turtle_bytes(triples, VOID_PREFIXES)
