"""The naive baseline: the same practices through one rdflib Dataset, rdflib's serializers,
pyshacl on the whole graph, and an on-disk store loaded from its N-Quads.

It writes the four dumps nualod writes (Turtle, N-Triples, JSON-LD, N-Quads), not the
catalog and VoID description, which nualod's publish also writes and is timed with.

It reads and links pages with nualod's own reader (so reading costs the same) and maps them
with nualod's mapping, but holds everything in rdflib, as a first version would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyshacl
from pyoxigraph import RdfFormat, Store
from rdflib import Dataset, URIRef

from nualod.errors import InputError
from nualod.link.practice import link_practice
from nualod.map.graphs import fixed_graphs
from nualod.map.practice import PracticeMapper, practice_triples, region_triples
from nualod.model.iris import DataIRIs
from nualod.model.records import LinkedPractice
from nualod.read.inputs import read_inputs
from nualod.validate.fast import to_rdflib
from nualod.validate.shacl import default_shapes_graph
from nualod.write.jsonld import get_context


def _linked(inputs: Sequence[Path]) -> Iterator[LinkedPractice]:
    """Yield the practices that read and link (the naive way: no checks beyond that)."""
    for result in read_inputs(inputs):
        if isinstance(result, InputError):
            continue
        try:
            yield link_practice(result)
        except InputError:
            continue


def run_baseline(inputs: Sequence[Path], out: Path) -> dict[str, float]:
    """Publish the inputs the naive way into ``out``; return the seconds of each step."""
    out.mkdir(parents=True, exist_ok=True)
    steps: dict[str, float] = {}
    start = time.perf_counter()
    iris = DataIRIs()
    mapper = PracticeMapper(iris)
    dataset = Dataset()
    for name, groups in fixed_graphs(iris):
        graph = dataset.graph(URIRef(iris.graph(name)))
        for group in groups:
            for t in group:
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    practices = dataset.graph(URIRef(iris.graph("practices")))
    whole = dataset.graph(URIRef("urn:x-baseline:all"))
    for linked in _linked(inputs):
        triples = practice_triples(linked, iris) + region_triples(linked.region, iris)
        for group in mapper.take_new(mapper.shared_nodes(linked)).values():
            triples += group
        for t in triples:
            triple = (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            practices.add(triple)
            whole.add(triple)
    steps["read_map"] = time.perf_counter() - start

    start = time.perf_counter()
    pyshacl.validate(
        whole,
        shacl_graph=default_shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    steps["validate"] = time.perf_counter() - start
    dataset.remove_graph(whole)

    start = time.perf_counter()
    union = dataset.graph(URIRef("urn:x-baseline:union"))
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union.serialize(out / "nualod.ttl", format="turtle")
    steps["turtle"] = time.perf_counter() - start

    start = time.perf_counter()
    union.serialize(out / "nualod.nt", format="nt", encoding="utf-8")
    steps["ntriples"] = time.perf_counter() - start

    start = time.perf_counter()
    union.serialize(out / "nualod.jsonld", format="json-ld", context=get_context())
    steps["jsonld"] = time.perf_counter() - start
    dataset.remove_graph(union)

    start = time.perf_counter()
    dataset.serialize(out / "nualod.nq", format="nquads")
    steps["nquads"] = time.perf_counter() - start

    start = time.perf_counter()
    store = Store(str(out / "store"))
    store.load(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS)
    store.flush()
    del store
    steps["store"] = time.perf_counter() - start
    return steps
