"""Triples as Python tuples, and their N-Triples and Turtle text.

Every part of a :class:`pyoxigraph.Triple` read is a copy out of Rust (a long description
included), and validation and the writers read each part several times. So the mapping
builds :class:`TermTriple` tuples of pyoxigraph terms, which read like a triple at a
tuple's speed, and a group to write is turned once into plain strings
(:func:`plain_triples`) that every writer (N-Triples, N-Quads, Turtle, JSON-LD, the VoID
figures) reads.
The writers of their text are in :mod:`nualod.write.text`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from json.encoder import encode_basestring as _json_string
from sys import intern
from typing import Final, NamedTuple, TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from nualod.model.terms import RDF_TYPE, XSD_STRING


class TermTriple(NamedTuple):
    """A triple of pyoxigraph terms, as a named tuple (``subject``, ``predicate``, ``object``)."""

    subject: NamedNode | BlankNode
    predicate: NamedNode
    object: NamedNode | BlankNode | Literal


#: A triple as pyoxigraph parses it, or as nualod maps it.
AnyTriple: TypeAlias = Triple | TermTriple

#: A node described whole: its subject and its objects by predicate (each object once),
#: what a graph says of it with nothing said of it elsewhere. Nodes of a fixed shape (a
#: figure's) are given to validation so, rather than as triples to gather.
Described: TypeAlias = tuple[
    NamedNode | BlankNode, dict[NamedNode, list[NamedNode | BlankNode | Literal]]
]

#: Kinds of object.
IRI: Final = 0
BLANK: Final = 1
LANGUAGE: Final = 2
TYPED: Final = 3


class PlainTriple(NamedTuple):
    """A triple as the plain strings every writer reads.

    >>> PlainTriple("https://w3id.org/nualod/id/region/33.75", "http://purl.org/dc/terms/identifier",
    ...             "33.75", TYPED, "http://www.w3.org/2001/XMLSchema#string", '"33.75"').text
    '"33.75"'
    """

    #: An IRI, or ``_:label`` for a blank node.
    subject: str
    #: The predicate's IRI.
    predicate: str
    #: An IRI, ``_:label``, or a literal's lexical form.
    value: str
    #: What the object is: :data:`IRI`, :data:`BLANK`, :data:`LANGUAGE` or :data:`TYPED`.
    kind: int
    #: A literal's language (``LANGUAGE``) or datatype IRI (``TYPED``), else "".
    tag: str
    #: The object as N-Triples writes it.
    text: str


#: Makes a :class:`PlainTriple` from a tuple of its six fields at half the cost of calling the
#: class, whose generated ``__new__`` is Python code: a million practices make 20 million.
new_plain_triple: Final = partial(tuple.__new__, PlainTriple)


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


def subject_iri(triple: AnyTriple) -> str:
    """Return the IRI (or blank node id) of a triple's subject."""
    subject = triple.subject
    return subject.value if isinstance(subject, NamedNode | BlankNode) else str(subject)


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
    new_plain = new_plain_triple
    for subject, predicate_node, obj in triples:
        subject_text = subject.value if type(subject) is NamedNode else f"_:{subject.value}"
        # Interned, the few predicates and classes are shared by every group: pickled once
        # per batch a worker sends, and compared by identity first.
        predicate = intern(predicate_node.value)
        kind = type(obj)
        if kind is NamedNode:
            value = intern(obj.value) if predicate == RDF_TYPE else obj.value
            append(new_plain((subject_text, predicate, value, IRI, "", f"<{value}>")))
        elif kind is Literal:
            value = obj.value
            language = obj.language  # type: ignore[union-attr]
            if language:
                append(new_plain((subject_text, predicate, value, LANGUAGE, language,
                                  f"{quoted(value)}@{language}")))  # fmt: skip
            else:
                datatype = obj.datatype.value  # type: ignore[union-attr]
                text = quoted(value)
                append(new_plain((subject_text, predicate, value, TYPED, datatype,
                        text if datatype == XSD_STRING else f"{text}^^<{datatype}>")))  # fmt: skip
        elif kind is BlankNode:
            value = f"_:{obj.value}"
            append(new_plain((subject_text, predicate, value, BLANK, "", value)))
        else:
            raise TypeError(f"cannot write {obj!r}: RDF-star triples are not published")
    return plain
