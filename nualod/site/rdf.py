"""The data files of one resource: Turtle, N-Triples and JSON-LD of the same triples.

A resource's ``.ttl``, ``.nt`` and ``.jsonld`` are written from one sorted list of triples, so
the three are isomorphic by construction (a test parses them and compares). The JSON-LD is a
flat ``@graph`` with a context of prefixes only: every value keeps its language or
datatype, so no term definition can change what a value means.

A resource's own hash nodes (a practice's figures and the places in its text they are quoted
from) are written with one more prefix, ``this:``, for the resource's IRI and ``#`` (the
convention of nanopublications): a practice's IRI is otherwise spelled out some seventy times
in each of its files, a fifth of a million practices' site.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Final, NamedTuple

import pyoxigraph as ox

from nualod.model.namespaces import OA, QUDT_UNIT
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
    # A practice's figures: where each is quoted, and its unit.
    "oa": OA,
    "unit": QUDT_UNIT,
}
#: The prefix of a resource's own hash nodes in its files.
THIS: Final = "this"
_NAMESPACES: Final = frozenset(PREFIXES.values())
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


#: A triple as the site reads it once: its subject's key (:func:`node_key`), its predicate's
#: IRI, its object, and the triple itself (for the serializers). Each use of a pyoxigraph
#: term's attribute makes a new Python object; a million practices' tens of millions of
#: triples are read once, not once per use.
Statement = tuple[str, str, "ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple", ox.Quad]


def statement(triple: ox.Triple | ox.Quad) -> Statement:
    """Return a triple (or a quad, read from a triple format: in the default graph) as a
    :data:`Statement`, whose quad the triple formats write as its triple.

    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> s = statement(ox.Triple(a, p, ox.Literal("x")))
    >>> s[:2], s[2].value, s[3].graph_name
    (('https://e.org/a', 'https://e.org/p'), 'x', <DefaultGraph>)
    """
    subject = triple.subject
    key = subject.value if type(subject) is ox.NamedNode else node_key(subject)
    obj = triple.object
    quad = triple if type(triple) is ox.Quad else ox.Quad(subject, triple.predicate, obj)
    return (key, triple.predicate.value, obj, quad)


def sort_statements(statements: Iterable[Statement], first: str) -> list[Statement]:
    """Return distinct statements with ``first``'s own first, then grouped by subject.

    The statements come in the published file's order, which is deterministic; grouping by
    subject (a stable sort on the subject alone) is all Turtle needs to nest them.
    """
    # Keyed by the quad: the same triple twice is one statement.
    distinct = list({s[3]: s for s in statements}.values())
    # Sorted on the subject alone (a C key, not a Python one called per statement), then
    # ``first``'s run, which the stable sort keeps in order, is moved to the front.
    distinct.sort(key=_SUBJECT)
    start = bisect_left(distinct, first, key=_SUBJECT)
    end = bisect_right(distinct, first, start, key=_SUBJECT)
    if start == 0:
        return distinct
    return [*distinct[start:end], *distinct[:start], *distinct[end:]]


_SUBJECT: Final = itemgetter(0)


class DataFiles(NamedTuple):
    """A resource's data files, from one sorted list of statements."""

    turtle: bytes
    ntriples: bytes
    jsonld: str

    @property
    def script(self) -> str:
        """Return the JSON-LD as a page embeds it: ``<`` escaped, so no text ends the script.

        >>> DataFiles(b"", b"", '{"a":"</script>"}').script
        '{"a":"\\\\u003c/script>"}'
        """
        # A JSON-LD text seldom has a "<": memchr finds there is none faster than replace,
        # which counts them a character at a time.
        if "<" not in self.jsonld:
            return self.jsonld
        return self.jsonld.replace("<", "\\u003c")


def data_files(statements: Sequence[Statement], iri: str | None = None) -> DataFiles:
    """Return the Turtle, N-Triples and JSON-LD of sorted statements; those of resource
    ``iri`` name its hash nodes with the prefix ``this:`` (:func:`hash_prefix`)."""
    triples = [s[3] for s in statements]
    own = hash_prefix(iri, statements) if iri is not None else None
    return DataFiles(turtle(triples, own), ntriples(triples), jsonld_text_of(statements, own))


def hash_prefix(iri: str, statements: Iterable[Statement]) -> str | None:
    """Return the namespace of ``iri``'s hash nodes (``iri#``) when some statement is about
    one, ``iri`` has no fragment of its own and the namespace has no prefix yet (our
    vocabulary's terms stay ``nua:``), else ``None``.

    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> hash_prefix("https://e.org/a", [statement(ox.Triple(a, p, ox.NamedNode("https://e.org/a#x")))])
    >>> hash_prefix("https://e.org/a", [statement(ox.Triple(ox.NamedNode("https://e.org/a#x"), p, a))])
    'https://e.org/a#'
    """
    namespace = iri + "#"
    if "#" in iri or namespace in _NAMESPACES:
        return None
    for found in statements:
        if found[0].startswith(namespace):
            return namespace
    return None


def turtle(triples: Sequence[ox.Triple] | Sequence[ox.Quad], own: str | None = None) -> bytes:
    """Return Turtle for grouped triples, with every prefix of :data:`PREFIXES`, and
    ``this:`` for ``own`` when given.

    Declaring the same prefixes in every file costs a few hundred bytes and saves looking
    at every term of every resource.
    """
    prefixes = PREFIXES if own is None else {**PREFIXES, THIS: own}
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return text or b""


def ntriples(triples: Sequence[ox.Triple] | Sequence[ox.Quad]) -> bytes:
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
            return _prefixed(name, namespace, iri)
    return iri


def _prefixed(name: str, namespace: str, iri: str) -> str:
    """Return ``name:local`` for an IRI of ``namespace`` whose local part is plain, else
    the IRI."""
    local = iri[len(namespace) :]
    return f"{name}:{local}" if local and set(local) <= _SIMPLE else iri


def jsonld_text_of(statements: Iterable[Statement], own: str | None = None) -> str:
    """Return the JSON-LD text of sorted statements: a prefix context and a flat graph.

    The text is what ``json.dumps`` with sorted keys and no spaces gives of that document
    made directly: a node's keys are ``@id``, ``@type`` and then
    its properties in order, and each value is encoded once. With ``own``, the context
    has ``this`` for it, and the IRIs of nodes in it are written as ``this:`` names.

    >>> title = ox.NamedNode("http://purl.org/dc/terms/title")
    >>> t = ox.Triple(ox.NamedNode("https://e.org/a"), title, ox.Literal("x", language="id"))
    >>> jsonld_text_of([statement(t)]).split(',"@graph":')[1]
    '[{"@id":"https://e.org/a","dcterms:title":[{"@language":"id","@value":"x"}]}]}'
    >>> f = ox.Triple(ox.NamedNode("https://e.org/a#f"), title, ox.NamedNode("https://e.org/a#g"))
    >>> text = jsonld_text_of([statement(f)], "https://e.org/a#")
    >>> text.split(',"@graph":')[1]
    '[{"@id":"this:f","dcterms:title":[{"@id":"this:g"}]}]}'
    >>> '"this":"https://e.org/a#"' in text
    True
    """
    nodes: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    types: list[str] = []
    properties: dict[str, list[str]] = {}
    last = None
    for key, predicate, obj, _ in statements:
        if key != last:
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = ([], {})
            types, properties = node
            last = key
        if type(obj) is ox.NamedNode:
            iri = obj.value
            if predicate == RDF_TYPE:
                types.append(_type_text(iri))
                continue
            text = _id_text(iri, own)
        else:
            text = _value_text(obj, own)
        name = _COMPACT.get(predicate)
        if name is None:
            name = _encode(compact(predicate))
            if len(_COMPACT) < 10_000:
                _COMPACT[predicate] = name
        values = properties.get(name)
        if values is None:
            values = properties[name] = []
        values.append(text)
    graph = ",".join(
        _node_text(_id_text(key, own), node_types, node_properties)
        for key, (node_types, node_properties) in nodes.items()
    )
    context = _PREFIXES_TEXT if own is None else _context_text(own)
    return f'{{"@context":{context},"@graph":[{graph}]}}'


def _node_text(id_text: str, types: list[str], properties: dict[str, list[str]]) -> str:
    """Return a node's object, given its ``{"@id":…}`` text (:func:`_id_text`)."""
    # Sorted keys as json.dumps sorts them: "@id" and "@type" before any property name (an
    # IRI or a prefixed name starts with a letter); the names are encoded strings, which
    # sort as the names do (the quote opens them all). The node is its reference with more
    # keys: the reference without its closing brace.
    parts = [id_text[:-1]]
    if types:
        parts.append(f',"@type":[{",".join(types)}]')
    for name in sorted(properties):
        parts.append(f",{name}:[{','.join(properties[name])}]")
    parts.append("}")
    return "".join(parts)


# The predicates are a few dozen: a plain dict is cheaper to ask than the LRU cache. Their
# names are kept encoded.
_COMPACT: Final[dict[str, str]] = {}
_encode: Final = encode_basestring

# The value texts that recur from resource to resource, each made once (bounded, as the
# other caches of the site are): a class's encoded name, a node reference outside the
# resource (regions, concepts, units, the dataset), a reference to a hash node by its local
# part ("this:figure-description-80"), the start of a literal with a language or datatype.
_CACHED: Final = 100_000
_TYPES: Final[dict[str, str]] = {}
_IDS: Final[dict[str, str]] = {}
_OWN_IDS: Final[dict[str, str]] = {}
_LITERAL_HEADS: Final[dict[str, str]] = {}


def _kept(cache: dict[str, str], key: str, text: str) -> str:
    """Return ``text``, kept as ``cache``'s for ``key`` while the cache is under
    :data:`_CACHED` entries (called on a miss only: a hit is one ``dict.get``)."""
    if len(cache) < _CACHED:
        cache[key] = text
    return text


def _type_text(iri: str) -> str:
    """Return a class as a value of ``@type``: its encoded prefixed name (:func:`compact`)."""
    return _TYPES.get(iri) or _kept(_TYPES, iri, _encode(compact(iri)))


def _id_text(key: str, own: str | None) -> str:
    """Return the JSON-LD reference ``{"@id":…}`` to a node (a :func:`node_key`): a
    ``this:`` name for a node of ``own`` whose local part is plain (as :func:`_prefixed`)."""
    if own is not None and key.startswith(own):
        local = key[len(own) :]
        found = _OWN_IDS.get(local)
        if found is None:
            if not (local and set(local) <= _SIMPLE):
                return f'{{"@id":{_encode(key)}}}'
            found = _kept(_OWN_IDS, local, f'{{"@id":{_encode(f"{THIS}:{local}")}}}')
        return found
    return _IDS.get(key) or _kept(_IDS, key, f'{{"@id":{_encode(key)}}}')


def _literal_head(key: str, tag: str) -> str:
    """Return the start of a literal's object up to its value: ``{"@language":"id","@value":``
    (``key`` "@language") or ``{"@type":…,"@value":`` (``key`` "@type")."""
    # One dict for both: "@language…" and "@type…" differ from their second character.
    name = key + tag
    return _LITERAL_HEADS.get(name) or _kept(
        _LITERAL_HEADS, name, f'{{"{key}":{_encode(tag)},"@value":'
    )


def _context_text(own: str) -> str:
    """Return the context of a resource with hash nodes: :data:`PREFIXES` and ``this``, as
    ``json.dumps`` sorts them (the prefixes' text is made once; see the doctest).

    >>> own = "https://e.org/a#"
    >>> _context_text(own) == json.dumps({**PREFIXES, THIS: own}, ensure_ascii=False,
    ...     sort_keys=True, separators=(",", ":"))
    True
    """
    return f'{_CONTEXT_HEAD}"{THIS}":{_encode(own)}{_CONTEXT_TAIL}'


def _value_text(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, own: str | None = None
) -> str:
    kind = type(term)
    if kind is ox.Literal:
        assert isinstance(term, ox.Literal)
        language = term.language
        if language:
            return f"{_literal_head('@language', language)}{_encode(term.value)}}}"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return _encode(term.value)
        return f"{_literal_head('@type', datatype)}{_encode(term.value)}}}"
    if kind is ox.NamedNode:
        assert isinstance(term, ox.NamedNode)
        return _id_text(term.value, own)
    if kind is ox.BlankNode:
        assert isinstance(term, ox.BlankNode)
        return f'{{"@id":{_encode("_:" + term.value)}}}'
    raise TypeError(f"an RDF-star triple cannot be written as a value: {term}")


_PREFIXES_TEXT: Final = json.dumps(
    PREFIXES, ensure_ascii=False, sort_keys=True, separators=(",", ":")
)


# The context of a resource with hash nodes, cut where ``this`` sorts among the prefixes.
_CONTEXT_HEAD, _CONTEXT_TAIL = json.dumps(
    {**PREFIXES, THIS: ""}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
).split(f'"{THIS}":""')
