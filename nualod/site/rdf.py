"""The data files of one resource: Turtle, N-Triples and JSON-LD of the same triples.

A resource's ``.ttl``, ``.nt`` and ``.jsonld`` are written from one sorted list of triples, so
the three are isomorphic by construction (a test parses them and compares). The JSON-LD is a
flat ``@graph`` with a context of prefixes only: every value keeps its language or
datatype, so no term definition can change what a value means.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Final

import pyoxigraph as ox

from nualod.site.paths import SDG_NAMESPACE, UNESCO_NAMESPACE

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Prefixes of the per-resource files, in the order Turtle writes them.
PREFIXES: Final[dict[str, str]] = {
    "nua": "https://w3id.org/nualod/def#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "sdg": SDG_NAMESPACE,
    "unesco": UNESCO_NAMESPACE,
    "wd": "http://www.wikidata.org/entity/",
    "vann": "http://purl.org/vocab/vann/",
}
_BY_LENGTH: Final = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_SIMPLE: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def value_of(term: object) -> str:
    """Return a term's lexical value (IRI, blank node id, literal text); an RDF-star
    triple, which nualod never writes, as its N-Triples text."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(term)


def node_key(term: object) -> str:
    """Return the key of a subject: its IRI, or ``_:id`` for a blank node."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return value_of(term)


def sort_triples(triples: Iterable[ox.Triple], first: str) -> list[ox.Triple]:
    """Return distinct triples with ``first``'s own first, then grouped by subject.

    The triples come in the published file's order, which is deterministic; grouping by
    subject (a stable sort on the subject alone) is all Turtle needs to nest them.
    """
    distinct = list(dict.fromkeys(triples))
    # "" for ``first``'s (no subject's value is empty): one value per triple, not two.
    distinct.sort(key=lambda t: "" if (subject := value_of(t.subject)) == first else subject)
    return distinct


def turtle(triples: Sequence[ox.Triple]) -> bytes:
    """Return Turtle for grouped triples, with every prefix of :data:`PREFIXES`.

    Declaring the same prefixes in every file costs a few hundred bytes and saves looking
    at every term of every resource.
    """
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text or b""


def ntriples(triples: Sequence[ox.Triple]) -> bytes:
    """Return N-Triples for grouped triples, a line each, in their order (the same bytes
    each time, as the order is)."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return text or b""


@lru_cache(maxsize=1 << 12)
def compact(iri: str) -> str:
    """Return ``prefix:local`` when the local part is plain, else the IRI.

    >>> compact("http://purl.org/dc/terms/title"), compact("https://example.org/x")
    ('dcterms:title', 'https://example.org/x')
    """
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and set(local) <= _SIMPLE:
                return f"{name}:{local}"
            return iri
    return iri


def jsonld(triples: Sequence[ox.Triple]) -> dict[str, Any]:
    """Return a JSON-LD document of sorted triples: a prefix context and a flat graph."""
    nodes: dict[str, dict[str, Any]] = {}
    node: dict[str, Any] = {}
    last = None
    for triple in triples:
        key = node_key(triple.subject)
        if key != last:
            node = nodes.setdefault(key, {"@id": key})
            last = key
        predicate = triple.predicate.value
        obj = triple.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        name = _COMPACT.get(predicate)
        if name is None:
            name = compact(predicate)
            if len(_COMPACT) < 10_000:
                _COMPACT[predicate] = name
        node.setdefault(name, []).append(_value(obj))
    return {"@context": PREFIXES, "@graph": list(nodes.values())}


# The predicates are a few dozen: a plain dict is cheaper to ask than the LRU cache.
_COMPACT: Final[dict[str, str]] = {}


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    if isinstance(term, ox.Literal):
        language = term.language
        if language:
            return {"@value": term.value, "@language": language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": datatype}
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    raise TypeError(f"an RDF-star triple cannot be written as a value: {term}")


def jsonld_text(document: dict[str, Any]) -> str:
    """Return the JSON text of a JSON-LD document, byte-stable (sorted keys, no spaces)."""
    if document.keys() == {"@context", "@graph"} and document["@context"] is PREFIXES:
        # Every resource's document has the same context: its text is made once.
        graph = json.dumps(
            document["@graph"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return f'{{"@context":{_PREFIXES_TEXT},"@graph":{graph}}}'
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_PREFIXES_TEXT: Final = json.dumps(
    PREFIXES, ensure_ascii=False, sort_keys=True, separators=(",", ":")
)


def script_json(document: dict[str, Any]) -> str:
    """Return JSON-LD text safe inside ``<script>``: the same JSON with ``<`` escaped.

    >>> script_json({"a": "</script>"})
    '{"a":"\\\\u003c/script>"}'
    """
    return jsonld_text(document).replace("<", "\\u003c")
