"""Triples as Python tuples, and their N-Triples and Turtle text.

Every part of a :class:`pyoxigraph.Triple` read is a copy out of Rust (a long description
included), and validation and the writers read each part several times. So the mapping
builds :class:`TermTriple` tuples of pyoxigraph terms, which read like a triple at a
tuple's speed, and a group to write is turned once into plain strings
(:func:`plain_triples`) that every writer (N-Triples, N-Quads, Turtle, JSON-LD, the VoID
figures) reads.
The N-Triples text is byte for byte pyoxigraph's canonical output, and the Turtle parses
to the same triples (both proved in ``tests/test_plain.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring as _json_string
from sys import intern
from typing import Final, NamedTuple, TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, Triple


class TermTriple(NamedTuple):
    """A triple of pyoxigraph terms, as a named tuple (``subject``, ``predicate``, ``object``)."""

    subject: NamedNode | BlankNode
    predicate: NamedNode
    object: NamedNode | BlankNode | Literal


#: A triple as pyoxigraph parses it, or as nualod maps it.
AnyTriple: TypeAlias = Triple | TermTriple

#: Kinds of object.
IRI: Final = 0
BLANK: Final = 1
LANGUAGE: Final = 2
TYPED: Final = 3

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: (subject, predicate, object, kind, tag, object as N-Triples): the subject is an IRI or
#: ``_:label``; the object an IRI, ``_:label`` or a literal's lexical form; the tag a
#: literal's language (``LANGUAGE``) or datatype IRI (``TYPED``), else "".
PlainTriple: TypeAlias = tuple[str, str, str, int, str, str]

# What N-Triples escapes in a string, as oxigraph writes it: the named escapes, and \uXXXX
# for the other control characters.
_ESCAPES: Final = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
#: The rarer control characters; the common escapes are replaced in bulk, which is faster
#: than translating a long text character by character.
_RARE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A local name written as a prefixed name: a safe subset of Turtle's PN_LOCAL.
_LOCAL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")


def quoted(text: str) -> str:
    """Return a string as an N-Triples (and Turtle) string literal.

    >>> print(quoted('Kota "Batik"\\n'))
    "Kota \\"Batik\\"\\n"
    """
    # str methods scan at C speed; a regular expression over a long description does not.
    if text.isprintable():  # no control characters, so only quotes and backslashes
        if '"' in text or "\\" in text:
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'
    # JSON's C string encoder escapes as N-Triples does, except that it writes the rarer
    # control characters as \u00xx (lower case) and leaves DEL alone: those take the long way.
    encoded: str = _json_string(text)
    if "\\u00" not in encoded and "\x7f" not in text:
        return encoded
    if _RARE.search(text) is not None:
        return '"' + text.translate(_ESCAPES) + '"'
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def plain_triples(triples: Sequence[AnyTriple]) -> list[PlainTriple]:
    """Return triples as plain tuples (:data:`PlainTriple`).

    >>> t = TermTriple(NamedNode("https://w3id.org/nualod/id/region/33.75"),
    ...            NamedNode("http://purl.org/dc/terms/identifier"), Literal("33.75"))
    >>> plain_triples([t])[0][2:]
    ('33.75', 3, 'http://www.w3.org/2001/XMLSchema#string', '"33.75"')
    """
    plain: list[PlainTriple] = []
    append = plain.append
    for subject, predicate_node, obj in triples:
        subject_text = subject.value if type(subject) is NamedNode else f"_:{subject.value}"
        # Interned, the few predicates and classes are shared by every group: pickled once
        # per batch a worker sends, and compared by identity first.
        predicate = intern(predicate_node.value)
        kind = type(obj)
        if kind is NamedNode:
            value = intern(obj.value) if predicate == RDF_TYPE else obj.value
            append((subject_text, predicate, value, IRI, "", f"<{value}>"))
        elif kind is Literal:
            value = obj.value
            language = obj.language  # type: ignore[union-attr]
            if language:
                append((subject_text, predicate, value, LANGUAGE, language, f"{quoted(value)}@{language}"))  # fmt: skip
            else:
                datatype = obj.datatype.value  # type: ignore[union-attr]
                text = quoted(value)
                append((subject_text, predicate, value, TYPED, datatype,
                        text if datatype == XSD_STRING else f"{text}^^<{datatype}>"))  # fmt: skip
        elif kind is BlankNode:
            value = f"_:{obj.value}"
            append((subject_text, predicate, value, BLANK, "", value))
        else:
            raise TypeError(f"cannot write {obj!r}: RDF-star triples are not published")
    return plain


def ntriples_text(plain: Sequence[PlainTriple]) -> str:
    """Return plain triples as N-Triples lines.

    >>> print(ntriples_text([("http://a.example/s", "http://a.example/p", "x", 3,
    ...                       "http://www.w3.org/2001/XMLSchema#string", '"x"')]), end="")
    <http://a.example/s> <http://a.example/p> "x" .
    """
    return ntriples_and_nquads(plain, None)[0]


def ntriples_and_nquads(plain: Sequence[PlainTriple], graph: str | None) -> tuple[str, str]:
    """Return plain triples as N-Triples lines and, in the named graph ``graph``, N-Quads lines.

    >>> ntriples_and_nquads([("http://a.example/s", "http://a.example/p", "x", 3,
    ...                       "http://www.w3.org/2001/XMLSchema#string", '"x"')], "http://g")[1]
    '<http://a.example/s> <http://a.example/p> "x" <http://g> .\\n'
    """
    if not plain:
        return "", ""
    statements = [
        f"{s} <{p}> {o}" if s[0] == "_" else f"<{s}> <{p}> {o}" for s, p, _, _, _, o in plain
    ]
    quad_end = f" <{graph}> .\n"
    return (
        " .\n".join(statements) + " .\n",
        quad_end.join(statements) + quad_end if graph is not None else "",
    )


class TurtleWriter:
    """Write plain triples as Turtle statements under a fixed set of prefixes.

    IRIs become prefixed names when the rest of the IRI after a prefix is a safe local
    name; otherwise they are written whole. Consecutive triples of one subject share it
    (``;``), and of one predicate too (``,``).
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self._by_namespace = {namespace: name for name, namespace in prefixes.items()}
        self._known: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """Return an IRI as Turtle: a prefixed name if it can be one.

        >>> TurtleWriter({"region": "https://w3id.org/nualod/id/region/"}).iri(
        ...     "https://w3id.org/nualod/id/region/33.75")
        'region:33.75'
        """
        known = self._known.get(iri)
        if known is not None:
            return known
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        name = self._by_namespace.get(iri[:cut]) if cut else None
        local = iri[cut:]
        text = f"{name}:{local}" if name is not None and _LOCAL.match(local) else f"<{iri}>"
        if len(self._known) >= 100_000:  # unique IRIs (practices, pages) would pile up
            self._known.clear()
        self._known[iri] = text
        return text

    def object(self, triple: PlainTriple) -> str:
        """Return a triple's object as Turtle."""
        _, _, value, kind, tag, ntriples = triple
        if kind == IRI:
            return self.iri(value)
        if kind == TYPED and tag != XSD_STRING:
            return f"{ntriples[: -len(tag) - 4]}^^{self.iri(tag)}"
        return ntriples  # a blank node, a string, or a string with a language tag

    def statements(self, plain: Sequence[PlainTriple]) -> str:
        """Return plain triples as Turtle statements (no prefix lines), each ending a line."""
        parts: list[str] = []
        subject = predicate = None
        for triple in plain:
            if triple[0] != subject:
                if subject is not None:
                    parts.append(" .\n")
                subject, predicate = triple[0], triple[1]
                parts += (
                    subject if subject[0] == "_" else self.iri(subject),
                    " ",
                    "a" if predicate == RDF_TYPE else self.iri(predicate),
                    " ",
                    self.object(triple),
                )
            elif triple[1] != predicate:
                predicate = triple[1]
                parts += (
                    " ;\n\t",
                    "a" if predicate == RDF_TYPE else self.iri(predicate),
                    " ",
                    self.object(triple),
                )
            else:
                parts += (" , ", self.object(triple))
        if subject is not None:
            parts.append(" .\n")
        return "".join(parts)
