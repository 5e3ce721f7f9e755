"""VoID: the figures match what SPARQL over the store and rdflib over the dump count."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions, Store
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from nualod.iris import DataIRIs
from nualod.publish import PublishResult
from nualod.store import open_store
from nualod.void import LINK_TARGETS

DATASET = URIRef(DataIRIs().dataset())


@pytest.fixture(scope="module")
def void(published_examples: tuple[Path, PublishResult]) -> Graph:
    """Return the published VoID description."""
    return Graph().parse(published_examples[0] / "void.ttl", format="turtle")


@pytest.fixture(scope="module")
def store(published_examples: tuple[Path, PublishResult]) -> Store:
    """Return the published store, opened read-only."""
    return open_store(published_examples[0] / "store")


def _number(graph: Graph, subject: object, predicate: URIRef) -> int:
    value = graph.value(subject, predicate)  # type: ignore[arg-type]
    assert value is not None, predicate
    return int(value)


def _sparql(store: Store, query: str) -> int:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return int(next(iter(result))[0].value)


def test_dataset_figures_match_sparql_and_rdflib(
    void: Graph, store: Store, published_examples: tuple[Path, PublishResult]
) -> None:
    union = Graph().parse(published_examples[0] / "nualod.nt", format="nt")
    triples = _sparql(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert _number(void, DATASET, VOID.triples) == triples == len(union)
    subjects = _sparql(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    assert _number(void, DATASET, VOID.distinctSubjects) == subjects == len(set(union.subjects()))
    objects = _sparql(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }")
    assert _number(void, DATASET, VOID.distinctObjects) == objects == len(set(union.objects()))
    properties = _sparql(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")
    assert _number(void, DATASET, VOID.properties) == properties
    classes = _sparql(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")
    assert _number(void, DATASET, VOID.classes) == classes


def test_partitions_match_sparql(void: Graph, store: Store) -> None:
    class_partitions = list(void.objects(DATASET, VOID.classPartition))
    assert class_partitions
    for partition in class_partitions:
        cls = void.value(partition, VOID["class"])
        expected = _sparql(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> }}")
        assert _number(void, partition, VOID.entities) == expected, cls
    property_partitions = list(void.objects(DATASET, VOID.propertyPartition))
    assert len(property_partitions) == _number(void, DATASET, VOID.properties)
    for partition in property_partitions:
        prop = void.value(partition, VOID.property)
        expected = _sparql(
            store, f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o {{ ?s <{prop}> ?o }} }}"
        )
        assert _number(void, partition, VOID.triples) == expected, prop


def test_linksets_count_links_by_object_namespace(
    void: Graph, published_examples: tuple[Path, PublishResult]
) -> None:
    union = Graph().parse(published_examples[0] / "nualod.nt", format="nt")
    counted = dict.fromkeys(LINK_TARGETS, 0)
    for subject, _, obj in union:
        for name, (_, _, namespace) in LINK_TARGETS.items():
            if (
                isinstance(obj, URIRef)
                and str(obj).startswith(namespace)
                and not str(subject).startswith(namespace)
            ):
                counted[name] += 1
    assert counted["wikidata"] > 0 and counted["geonames"] > 0
    for name, (target, _, _) in LINK_TARGETS.items():
        linkset = URIRef(f"{DATASET}/linkset/{name}")
        assert (linkset, RDF.type, VOID.Linkset) in void
        assert (DATASET, VOID.subset, linkset) in void
        assert void.value(linkset, VOID.objectsTarget) == URIRef(target)
        assert _number(void, linkset, VOID.triples) == counted[name], name


def test_dumps_examples_and_vocabularies_are_listed(void: Graph) -> None:
    dumps = {str(u).rsplit("/", 1)[-1] for u in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {"nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld"}
    examples = list(void.objects(DATASET, VOID.exampleResource))
    assert examples and all(str(e).startswith(DataIRIs().practice("")) for e in examples)
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    assert void.value(DATASET, VOID.sparqlEndpoint) is None  # only when one is given
