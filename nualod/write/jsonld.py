"""Write compact JSON-LD with nualod's own context, one node object at a time.

pyld is exact but far too slow for whole dumps (see the design notes), so node objects
are compacted here from a term table derived from the shipped context; the tests prove
with pyld that every document expands back to the same graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring as _json_string
from typing import Any, Final

from nualod.model.resources import resource_json
from nualod.model.terms import RDF_TYPE, XSD_STRING
from nualod.model.triples import BLANK, IRI, LANGUAGE, TYPED, PlainTriple

CONTEXT_RESOURCE: Final = "vocab/context.jsonld"
RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def get_context() -> dict[str, Any]:
    """Return nualod's JSON-LD context (the value of ``@context``), as shipped.

    >>> get_context()["nua"]
    'https://w3id.org/nualod/def#'
    """
    context: dict[str, Any] = resource_json(CONTEXT_RESOURCE)["@context"]
    return context


@dataclass(frozen=True, slots=True)
class _Term:
    name: str
    kind: str  # "id", "language", "typed" or "plain"
    datatype: str | None
    is_set: bool


@cache
def _tables() -> tuple[dict[str, _Term], dict[str, str], list[tuple[str, str]]]:
    """Return the term table (by property IRI), class terms (by IRI) and prefixes."""
    context = get_context()
    prefixes = sorted(
        ((name, value) for name, value in context.items()
         if isinstance(value, str) and not name.startswith("@") and value.endswith(("/", "#"))),
        key=lambda item: -len(item[1]),
    )  # fmt: skip

    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        value = context.get(prefix)
        return (
            value + local
            if isinstance(value, str) and local and not local.startswith("//")
            else curie
        )

    terms: dict[str, _Term] = {}
    classes: dict[str, str] = {}
    for name, definition in context.items():
        if name.startswith("@") or (isinstance(definition, str) and definition.startswith("@")):
            continue
        if isinstance(definition, str):
            if not definition.endswith(("/", "#")):
                classes[expand(definition)] = name
            continue
        iri = expand(definition["@id"])
        container = definition.get("@container")
        declared = definition.get("@type")
        if declared == "@id":
            kind, datatype = "id", None
        elif container == "@language":
            kind, datatype = "language", None
        elif declared:
            kind, datatype = "typed", expand(declared)
        else:
            kind, datatype = "plain", None
        terms[iri] = _Term(name, kind, datatype, container == "@set")
    return terms, classes, prefixes


def _curie(iri: str) -> str:
    for prefix, namespace in _tables()[2]:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if all(c.isalnum() or c in "_-." for c in local):
                return f"{prefix}:{local}"
    return iri


def type_name(cls: str, classes: Mapping[str, str] | None = None) -> str:
    """Return how a class IRI is written as a JSON-LD ``type``: its term, else a CURIE.

    >>> type_name("https://schema.org/WebPage")
    'WebPage'
    """
    return (classes if classes is not None else _tables()[1]).get(cls) or _curie(cls)


def _literal_object(triple: PlainTriple) -> dict[str, str]:
    _, _, value, kind, tag, _ = triple
    if kind == LANGUAGE:
        return {"@value": value, "@language": tag}
    if tag == XSD_STRING:
        return {"@value": value}
    return {"@value": value, "@type": _curie(tag)}


def _by_predicate_and_object(triple: PlainTriple) -> tuple[str, str]:
    return triple.predicate, triple.text


#: Nodes embedded in a node object, by IRI: their triples, or their node object written
#: already (a figure's: :mod:`nualod.write.figures`).
Embedded = Mapping[str, list[PlainTriple] | str]


def _gathered(
    triples: Iterable[PlainTriple],
    embedded: Embedded | None,
    *,
    as_text: bool,
) -> tuple[list[str], dict[str, list[Any]]]:
    """Return a node's types and its values by key, in the order they are written: as
    Python values for :func:`node_object`, or ``as_text``, already JSON, for :func:`node_line`.
    """
    classes = _tables()[1]
    types: list[str] = []
    values: dict[str, list[Any]] = {}
    for triple in sorted(triples, key=_by_predicate_and_object):
        _, predicate, value, kind, tag, ntriples = triple
        if kind == IRI:
            if predicate == RDF_TYPE:
                name = type_name(value, classes)
                types.append(_json_string(name) if as_text else name)
                continue
            if embedded is not None and value in embedded:
                key, _ = _compaction(predicate, IRI, "")
                nested = embedded[value]
                if isinstance(nested, str):  # written already
                    values.setdefault(key, []).append(nested if as_text else json.loads(nested))
                    continue
                # Embed once: the nested node may embed the others, never itself again.
                rest = {key: found for key, found in embedded.items() if key != value}
                nest = node_line if as_text else node_object
                values.setdefault(key, []).append(nest(value, nested, rest))
                continue
        key, mode = _compaction(predicate, kind, tag)
        item: Any
        if mode == _BARE:
            item = _as_json(value, kind, tag, ntriples) if as_text else value
        elif mode == _ID:
            item = f'{{"@id":{_json_string(value)}}}' if as_text else {"@id": value}
        elif mode == _LANGUAGE_PAIR:
            item = (tag, _as_json(value, kind, tag, ntriples) if as_text else value)
        else:
            literal = _literal_object(triple)
            item = _json_string_of(literal) if as_text else literal
        values.setdefault(key, []).append(item)
    return types, values


def node_object(
    subject: str,
    triples: Iterable[PlainTriple],
    embedded: Embedded | None = None,
) -> dict[str, Any]:
    """Return the compact JSON-LD node object of one subject's (plain) triples.

    Objects that are subjects in ``embedded`` are written inline as nested node objects.

    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> from nualod.model.triples import plain_triples
    >>> s = NamedNode("https://w3id.org/nualod/id/practice/x")
    >>> node_object(s.value, plain_triples([Triple(s, NamedNode("http://purl.org/dc/terms/title"),
    ...                                            Literal("Kota Batik", language="id"))]))
    {'id': 'https://w3id.org/nualod/id/practice/x', 'title': {'id': 'Kota Batik'}}
    """
    node: dict[str, Any] = {"id": subject}
    types, values = _gathered(triples, embedded, as_text=False)
    if types:
        node["type"] = types if len(types) > 1 else types[0]
    for key in sorted(values):
        items = values[key]
        shape = _key_shape(key)
        if shape == "language":
            language_map: dict[str, Any] = {}
            for language, text in items:
                if language in language_map:
                    previous = language_map[language]
                    language_map[language] = (
                        [*previous, text] if isinstance(previous, list) else [previous, text]
                    )
                else:
                    language_map[language] = text
            node[key] = language_map
        elif shape == "set" or len(items) > 1:
            node[key] = items
        else:
            node[key] = items[0]
    return node


def node_line(
    subject: str,
    triples: Sequence[PlainTriple],
    embedded: Embedded | None = None,
) -> str:
    """Return ``dumps_node(node_object(subject, triples, embedded))``, built as text directly.

    A practice's long texts are escaped once, for N-Triples, already: where that is the
    JSON escape too (no ``\\u00XX`` in it), it is reused rather than escaped again.

    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> from nualod.model.triples import plain_triples
    >>> s = NamedNode("https://w3id.org/nualod/id/practice/x")
    >>> print(node_line(s.value, plain_triples([Triple(s, NamedNode("http://purl.org/dc/terms/title"),
    ...                                                Literal('Kota "Batik"', language="id"))])))
    {"id":"https://w3id.org/nualod/id/practice/x","title":{"id":"Kota \\"Batik\\""}}
    """
    types, values = _gathered(triples, embedded, as_text=True)
    if "id" in values or "type" in values:  # a key the node's own "id" or "type" would take
        return dumps_node(node_object(subject, triples, embedded))
    parts = [f'{{"id":{_json_string(subject)}']
    if types:
        parts.append(f',"type":[{",".join(types)}]' if len(types) > 1 else f',"type":{types[0]}')
    for key in sorted(values):
        items = values[key]
        shape = _key_shape(key)
        if shape == "language":
            by_language: dict[str, list[str]] = {}
            for language, text in items:
                by_language.setdefault(language, []).append(text)
            text = ",".join(
                f"{_json_string(language)}:{texts[0] if len(texts) == 1 else '[' + ','.join(texts) + ']'}"
                for language, texts in by_language.items()
            )
            parts.append(f",{_key_json(key)}:{{{text}}}")
        elif shape == "set" or len(items) > 1:
            parts.append(f",{_key_json(key)}:[{','.join(items)}]")
        else:
            parts.append(f",{_key_json(key)}:{items[0]}")
    parts.append("}")
    return "".join(parts)


def _as_json(value: str, kind: int, tag: str, ntriples: str) -> str:
    """Return a literal's lexical form as a JSON string, from its N-Triples form if it can."""
    if kind == LANGUAGE:
        quoted = ntriples[: -len(tag) - 1]
    elif kind == TYPED:
        quoted = ntriples if tag == XSD_STRING else ntriples[: -len(tag) - 4]
    elif kind == IRI and '"' not in value and "\\" not in value:
        return f'"{value}"'  # an IRI has no control characters: nothing else to escape
    else:
        return _json_string(value)
    # N-Triples and JSON escape alike but for the rarer control characters (\u00XX).
    return quoted if "\\u00" not in quoted else _json_string(value)


@cache
def _key_json(key: str) -> str:
    return _json_string(key)


def _json_string_of(value: Mapping[str, str]) -> str:
    return _ENCODER.encode(value)


# How a value is written under its key (see _compaction).
_BARE, _ID, _LANGUAGE_PAIR, _LITERAL = range(4)


@cache
def _compaction(predicate: str, kind: int, tag: str) -> tuple[str, int]:
    """Return the key a value of this predicate, kind and tag goes under, and how to write it."""
    term = _tables()[0].get(predicate)
    if kind in (IRI, BLANK):
        if term is not None and term.kind == "id":
            return term.name, _BARE
        return _curie(predicate), _ID
    if term is not None:
        if term.kind == "language" and kind == LANGUAGE:
            return term.name, _LANGUAGE_PAIR
        if term.kind == "typed" and kind == TYPED and tag == term.datatype:
            return term.name, _BARE
        if term.kind == "plain" and kind == TYPED and tag == XSD_STRING:
            return term.name, _BARE
    return _curie(predicate), _LITERAL


@cache
def _key_shape(key: str) -> str | None:
    """Return how a key's values are gathered: a "language" map, a "set" array, or None."""
    term = _terms_by_name().get(key)
    if term is None or term.name != key:
        return None
    if term.kind == "language":
        return "language"
    return "set" if term.is_set else None


@cache
def _terms_by_name() -> dict[str, _Term]:
    """Return the term table by term name (the first term of each name)."""
    by_name: dict[str, _Term] = {}
    for term in _tables()[0].values():
        by_name.setdefault(term.name, term)
    return by_name


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_string(text: str) -> str:
    """Return a string as JSON, as :func:`dumps_node` writes it.

    >>> print(json_string('Kota "Batik"'))
    "Kota \\"Batik\\""
    """
    return _json_string(text)


def dumps_node(node: Mapping[str, Any]) -> str:
    """Return one node object as a single line of JSON, stable byte for byte."""
    return _ENCODER.encode(node)


class JsonLdDocumentWriter:
    """Stream a JSON-LD document to a binary stream: the inline context, then one node
    object a line."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._first = True
        context = json.dumps(get_context(), ensure_ascii=False, indent=1, sort_keys=False)
        stream.write(('{\n"@context": ' + context + ',\n"@graph": [\n').encode("utf-8"))

    def write(self, node: Mapping[str, Any]) -> None:
        """Append one node object to the ``@graph`` array."""
        self.write_lines(dumps_node(node).encode("utf-8"))

    def write_lines(self, lines: bytes) -> None:
        """Append node objects already written as lines of JSON joined by ``,\\n``."""
        if lines:
            self.separate()
            self._stream.write(lines)

    def separate(self) -> None:
        """Write what goes before more node objects: a comma, after earlier ones."""
        if not self._first:
            self._stream.write(b",\n")
        self._first = False

    def close(self) -> None:
        """Close the ``@graph`` array and the document."""
        self._stream.write(b"\n]\n}\n")


def tree_lines(group: Sequence[PlainTriple], written: Mapping[str, str] | None = None) -> list[str]:
    """Return a group of (plain) triples as JSON-LD node objects, one line each.

    The group is one tree rooted at its first subject: subjects under the root's IRI
    (``root#derivation``) are embedded in it; other subjects become node objects of their own.
    ``written`` holds node objects under the root's IRI written already, by IRI (its
    figures: :mod:`nualod.write.figures`), embedded as they are.
    """
    if not group:
        return []
    root = group[0][0]
    top: list[PlainTriple] = []
    embedded: dict[str, list[PlainTriple] | str] = {}
    others: dict[str, list[PlainTriple]] = {}
    inside = root + "#"
    for triple in group:
        subject = triple.subject
        if subject == root:
            top.append(triple)
        elif subject.startswith(inside):
            embedded.setdefault(subject, []).append(triple)  # type: ignore[union-attr]
        else:
            others.setdefault(subject, []).append(triple)
    if written:
        embedded.update(written)
    lines = [node_line(root, top, embedded or None)]
    lines += [node_line(subject, triples) for subject, triples in others.items()]
    return lines
