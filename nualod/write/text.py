"""N-Triples, N-Quads and Turtle text of plain triples (:data:`nualod.model.triples.PlainTriple`).

The N-Triples text is byte for byte pyoxigraph's canonical output, and the Turtle parses to
the same triples (both proved in ``tests/test_plain.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from nualod.model.terms import RDF_TYPE, XSD_STRING
from nualod.model.triples import IRI, TYPED, PlainTriple

#: A local name written as a prefixed name: a safe subset of Turtle's PN_LOCAL.
_LOCAL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")


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
            if triple.subject != subject:
                if subject is not None:
                    parts.append(" .\n")
                subject, predicate = triple.subject, triple.predicate
                parts += (
                    subject if subject[0] == "_" else self.iri(subject),
                    " ",
                    "a" if predicate == RDF_TYPE else self.iri(predicate),
                    " ",
                    self.object(triple),
                )
            elif triple.predicate != predicate:
                predicate = triple.predicate
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
