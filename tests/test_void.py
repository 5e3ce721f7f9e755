"""VoID: the figures match what SPARQL over the store and rdflib over the dump count."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS, VOID

from nualod.describe.void import summarize
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import CODES, PROV, SDG
from nualod.model.resources import resource
from nualod.run.publish import PublishResult
from nualod.write.stats import LINK_TARGETS
from nualod.write.store import open_store

DATASET = URIRef(DataIRIs().dataset())
BASE = DataIRIs().base
NOT_LINKS = {RDF.type, SKOS.hasTopConcept, OWL.annotatedSource, OWL.annotatedProperty,
             OWL.annotatedTarget}  # fmt: skip


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
    assert (
        void.value(DATASET, VOID.distinctObjects) is None
    )  # not counted (see nualod.describe.void)
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


def _ours(subject: object) -> bool:
    """Whether a subject is one of ours: data base IRI, or a code-list concept (no axiom)."""
    text = str(subject)
    return isinstance(subject, URIRef) and (
        text.startswith(BASE)
        or (text.startswith(CODES) and not text.startswith(CODES + "alignment/"))
    )


#: The void:Dataset of the NUA code lists, the subjects of the SDG and UNESCO links.
CODE_LISTS = URIRef(f"{DATASET}/code-lists")


def _linksets(void: Graph) -> dict[tuple[str, str], int]:
    """Return the published linksets as (target, link predicate) -> void:triples."""
    found = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        assert (DATASET, VOID.subset, linkset) in void
        subjects = void.value(linkset, VOID.subjectsTarget)
        assert subjects in (DATASET, CODE_LISTS)
        assert set(void.objects(linkset, VOID.target)) == {
            subjects,
            void.value(linkset, VOID.objectsTarget),
        }
        predicates = list(void.objects(linkset, VOID.linkPredicate))
        assert len(predicates) == 1, linkset  # one linkset per (target, predicate)
        key = (str(void.value(linkset, VOID.objectsTarget)), str(predicates[0]))
        assert key not in found
        found[key] = _number(void, linkset, VOID.triples)
    return found


def test_linksets_count_our_links_by_target_and_predicate(
    void: Graph, published_examples: tuple[Path, PublishResult]
) -> None:
    union = Graph().parse(published_examples[0] / "nualod.nt", format="nt")
    counted: Counter[tuple[str, str]] = Counter()
    for subject, predicate, obj in union:
        if not _ours(subject) or predicate in NOT_LINKS or not isinstance(obj, URIRef):
            continue
        for target, _, namespace in LINK_TARGETS.values():
            if str(obj).startswith(namespace):
                counted[(target, str(predicate))] += 1
    assert _linksets(void) == dict(counted)
    targets = {target for target, _ in counted}
    assert {str(t) for t in void.objects(None, VOID.objectsTarget)} == targets
    assert len(targets) == 4


def _space(void: Graph, dataset: object) -> str:
    (space,) = void.objects(dataset, VOID.uriSpace)  # type: ignore[arg-type]
    return str(space)


def test_every_linkset_subject_is_in_its_declared_uri_space(
    void: Graph, published_examples: tuple[Path, PublishResult]
) -> None:
    """VoID 4.5: a dataset's void:uriSpace starts the IRIs of its entities, here a linkset's
    subjects: each linkset states the space of its subjects, which is that of its
    void:subjectsTarget (the NUA code lists for the SDG and UNESCO links, the data for
    Wikidata and GeoNames); every link in the dumps lies in exactly one linkset."""
    union = Graph().parse(published_examples[0] / "nualod.nt", format="nt")
    assert _space(void, CODE_LISTS) == CODES
    assert _space(void, DATASET) == BASE
    spaces: dict[str, set[str]] = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        space = _space(void, linkset)
        assert space == _space(void, void.value(linkset, VOID.subjectsTarget)), linkset
        target = void.value(linkset, VOID.objectsTarget)
        objects = _space(void, target)
        predicate = void.value(linkset, VOID.linkPredicate)
        links = [
            subject
            for subject, obj in union.subject_objects(predicate)  # type: ignore[arg-type]
            if _ours(subject) and isinstance(obj, URIRef) and str(obj).startswith(objects)
        ]
        assert len(links) == _number(void, linkset, VOID.triples) > 0, linkset
        assert all(str(subject).startswith(space) for subject in links), linkset
        spaces.setdefault(str(target), set()).add(space)
    assert spaces == {
        "http://metadata.un.org/sdg": {CODES},
        "http://vocabularies.unesco.org/thesaurus": {CODES},
        "http://www.wikidata.org/": {BASE},
        "https://sws.geonames.org/": {BASE},
    }


def test_linksets_match_sparql(void: Graph, store: Store) -> None:
    for (target, predicate), count in _linksets(void).items():
        namespace = next(ns for t, _, ns in LINK_TARGETS.values() if t == target)
        query = (
            f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o {{ ?s <{predicate}> ?o "
            f'FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?o), "{namespace}") '
            f'&& (STRSTARTS(STR(?s), "{BASE}") || (STRSTARTS(STR(?s), "{CODES}") '
            f'&& !STRSTARTS(STR(?s), "{CODES}alignment/"))) ) }} }}'
        )
        assert _sparql(store, query) == count, (target, predicate)


def test_the_sdg_linksets_count_each_alignment_once(void: Graph) -> None:
    """The SDG links are the alignments table's SDG rows: no axioms, no UN top concepts."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    with resource("vocab/alignments.csv").open(encoding="utf-8") as stream:
        rows = {
            (row["subject"], row["property"].replace("skos:", skos), row["object"])
            for row in csv.DictReader(stream)
            if row["object"].startswith(SDG)
        }
    expected = Counter(predicate for _, predicate, _ in rows)
    published = {
        predicate: count
        for (target, predicate), count in _linksets(void).items()
        if target == "http://metadata.un.org/sdg"
    }
    assert published == dict(expected)
    assert sum(published.values()) == len(rows) == 37


def test_entities_are_the_subjects_inside_the_uri_space(void: Graph, store: Store) -> None:
    assert str(void.value(DATASET, VOID.uriSpace)) == BASE
    inside = _sparql(
        store,
        f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}")) }}',
    )
    assert _number(void, DATASET, VOID.entities) == inside
    everything = _sparql(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o FILTER(isIRI(?s)) }")
    assert inside < everything


def test_the_last_retrieval_date_is_measured() -> None:
    store = Store()
    graph = NamedNode("urn:g")
    practice = NamedNode(BASE + "practice/x")
    derivation = NamedNode(BASE + "practice/x#derivation")
    retrieval = NamedNode(BASE + "practice/x#retrieval")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for s, p, o in (
        (practice, NamedNode(str(RDF.type)), NamedNode("https://w3id.org/nualod/def#GoodPractice")),
        (practice, NamedNode("http://purl.org/dc/terms/issued"),
         Literal("2024-05-01", datatype=NamedNode(xsd + "date"))),
        (practice, NamedNode(PROV + "qualifiedDerivation"), derivation),
        (derivation, NamedNode(PROV + "entity"), NamedNode("https://nuf.example/x")),
        (practice, NamedNode(PROV + "wasInfluencedBy"), retrieval),
        # A run that used the page: its time is not a retrieval.
        (NamedNode("https://nuf.example/run"), NamedNode(PROV + "used"),
         NamedNode("https://nuf.example/x")),
        (NamedNode("https://nuf.example/run"), NamedNode(PROV + "endedAtTime"),
         Literal("2026-02-03T04:05:06Z", datatype=NamedNode(xsd + "dateTime"))),
        (retrieval, NamedNode(PROV + "endedAtTime"),
         Literal("2025-02-03T04:05:06Z", datatype=NamedNode(xsd + "dateTime"))),
    ):  # fmt: skip
        store.add(Quad(s, p, o, graph))
    summary = summarize(store, BASE)
    assert summary.last_date == dt.date(2024, 5, 1)
    assert summary.last_retrieved == dt.date(2025, 2, 3)
    assert summary.entities == 3  # the practice, its derivation and its retrieval


def test_dumps_examples_and_vocabularies_are_listed(void: Graph) -> None:
    dumps = {str(u).rsplit("/", 1)[-1] for u in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {"nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld"}
    examples = list(void.objects(DATASET, VOID.exampleResource))
    assert examples and all(str(e).startswith(DataIRIs().practice("")) for e in examples)
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    assert void.value(DATASET, VOID.sparqlEndpoint) is None  # only when one is given


def test_a_versioned_release_s_statistics_are_its_version_s(
    examples_dir: Path, tmp_path: Path
) -> None:
    """VoID counted the version's dumps under the series' IRI, which the catalog gives no
    dumps: the site's page of the series showed them, and the version had none (consistency
    review)."""
    from nualod.run.publish import publish

    out = tmp_path / "out"
    publish([examples_dir], out, version="1")
    graph = Graph().parse(out / "void.ttl")
    series = URIRef(DataIRIs().dataset())
    version = URIRef(DataIRIs().dataset() + "/1")
    assert (version, RDF.type, VOID.Dataset) in graph
    assert graph.value(version, VOID.triples) is not None
    assert not list(graph.predicate_objects(series))
    # Its linksets keep the series' IRIs, which outlive the version (IRIs never break).
    subsets = {str(subset) for subset in graph.objects(version, VOID.subset)}
    assert subsets and all(subset.startswith(f"{series}/linkset/") for subset in subsets)
    catalog = Graph().parse(out / "catalog.ttl")
    dumps = {str(dump) for dump in graph.objects(version, VOID.dataDump)}
    downloads = {
        str(url)
        for distribution in catalog.objects(
            version, URIRef("http://www.w3.org/ns/dcat#distribution")
        )
        for url in catalog.objects(distribution, URIRef("http://www.w3.org/ns/dcat#downloadURL"))
    }
    assert dumps and dumps <= downloads
