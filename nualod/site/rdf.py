"""The data files of one resource: Turtle and JSON-LD of the same triples, deterministic.

A resource's ``.ttl`` and ``.jsonld`` are written from one sorted list of triples, so the
two are isomorphic by construction (a test parses both and compares). The JSON-LD is a
flat ``@graph`` with a context of prefixes only: every value keeps its language or
datatype, so no term definition can change what a value means.
"""

from __future__ import annotations

import json
from functools import lru_cache
from collections.abc import Iterable, Sequence
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


def sort_triples(triples: Iterable[ox.Triple], first: str) -> list[ox.Triple]:
    """Return distinct triples in a fixed order: ``first``'s own triples, then by subject."""
    distinct = set(triples)
    return sorted(
        distinct,
        key=lambda t: (
            t.subject.value != first,
            t.subject.value,
            t.predicate.value != RDF_TYPE,
            t.predicate.value,
            str(t.object),
        ),
    )


def turtle(triples: Sequence[ox.Triple]) -> bytes:
    """Return Turtle for sorted triples, with the prefixes the triples use."""
    used = _used_prefixes(triples)
    text: bytes = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used)
    return text


def _used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    seen = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                seen.add(_prefix_of(term.value))
            elif isinstance(term, ox.Literal):
                seen.add(_prefix_of(term.datatype.value))
    return {name: PREFIXES[name] for name in PREFIXES if name in seen}


@lru_cache(maxsize=1 << 16)
def _prefix_of(iri: str) -> str | None:
    for name, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return name
    return None


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
    for triple in triples:
        subject = triple.subject
        key = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        node = nodes.setdefault(key, {"@id": key})
        predicate = triple.predicate.value
        obj = triple.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        node.setdefault(compact(predicate), []).append(_value(obj))
    used = _used_prefixes(triples)
    return {"@context": used, "@graph": list(nodes.values())}


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": term.datatype.value}
    raise TypeError(f"an RDF-star triple cannot be written as a value: {term}")


def jsonld_text(document: dict[str, Any]) -> str:
    """Return the JSON text of a JSON-LD document, byte-stable (sorted keys, no spaces)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def script_json(document: dict[str, Any]) -> str:
    """Return JSON-LD text safe inside ``<script>``: the same JSON with ``<`` escaped.

    >>> script_json({"a": "</script>"})
    '{"a":"\\\\u003c/script>"}'
    """
    return jsonld_text(document).replace("<", "\\u003c")
