"""Tell whether a SPARQL text may run a federated query (``SERVICE``), on its parsed form.

pyoxigraph (``nualod query``, ``nualod serve``) and rdflib (SHACL-SPARQL constraints under
pySHACL) both run a ``SERVICE <url>`` clause by sending an HTTP request to any URL, local
addresses included, and neither can be told not to. :func:`uses_service` decides on the
parsed query: rdflib's SPARQL 1.1 parser reads it, and the query uses ``SERVICE`` when its
syntax tree holds a ``SERVICE`` pattern anywhere (a subquery, ``EXISTS``, ``OPTIONAL``, an
expression; ``SILENT`` or not, with an IRI or a variable). A text outside SPARQL 1.1
(pyoxigraph's ``LATERAL``, say), which rdflib cannot parse, counts as using it when the word
``service`` occurs in it in any letter case: no parser finds the keyword where the text does
not spell it. For the same reason a text that does not spell it (most queries) is answered
at once, without the parser, which costs milliseconds per operator of a long expression.

Before parsing, every ``\\uXXXX`` escape is replaced by a plain letter. SPARQL allows such
escapes anywhere and rdflib decodes them all before parsing, but Oxigraph decodes them only
inside strings and IRIs: a decoded quote could otherwise make rdflib read as a string what
Oxigraph runs as code. A plain letter inside a string or an IRI changes nothing else. For
the same reason every carriage return is read as a line feed: both end a comment.
"""

from __future__ import annotations

import re
from typing import Any, Final

_UCHAR: Final = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_SERVICE_NODE: Final = "ServiceGraphPattern"


def _decode_uchars(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(0)[2:], 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _UCHAR.sub(decode, text)


def _has_service_node(tree: Any) -> bool:
    """Tell whether rdflib's syntax tree of a query holds a ``SERVICE`` pattern anywhere.

    The tree is walked with a list, not recursion: a deep query cannot exhaust the stack.
    """
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    pending: list[Any] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == _SERVICE_NODE:
                return True
            pending.extend(dict.values(node))
        elif isinstance(node, ParseResults | list | tuple):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    return False


def spells_service(query: str) -> bool:
    """Return whether the word ``service`` is in a query, in any letter case, ``\\u``
    escapes decoded: only such a query can use ``SERVICE``, and only such a one is parsed.

    >>> spells_service("SELECT * { ?s ?p ?o }"), spells_service("SELECT * { \\u0053ERVICE <x> {} }")
    (False, True)
    """
    return any("service" in text.lower() for text in (query, _decode_uchars(query)))


def uses_service(query: str) -> bool:
    """Return whether a query may run a ``SERVICE`` clause (see the module docstring).

    >>> uses_service("SELECT * { FILTER(1<2) service silent ?u { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service ex:service "SERVICE" } # SERVICE')
    False
    >>> uses_service("SELECT * { VALUES ?u {<urn:x>} LATERAL { SERVICE ?u {} } }")
    True
    """
    if not spells_service(query):
        # No parser finds the keyword where the text does not spell it; rdflib's parser
        # costs milliseconds per operator, so most queries are spared it.
        return False
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    # A comment ends at a carriage return for Oxigraph (SPARQL's grammar: [^#xD#xA]*) but
    # only at a line feed for rdflib, which read "# x\rSERVICE <u> {}" as one comment; no
    # string or IRI may hold a bare carriage return, and a long string is one either way.
    neutral = _UCHAR.sub("A", query).replace("\r", "\n")
    try:
        tree = parseQuery(neutral)
    except (ParseBaseException, RecursionError, ValueError):
        return True  # not SPARQL 1.1 as rdflib reads it, and the word is there
    return _has_service_node(tree)
