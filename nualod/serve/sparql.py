"""Run SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) over a published store.

The default graph is the union of the named graphs, so ``SELECT * { ?s ?p ?o }`` sees
everything; ``GRAPH`` still picks one named graph.

Federated queries are refused: pyoxigraph would run a ``SERVICE <url>`` clause by sending
an HTTP request to any URL, local addresses included. pyoxigraph offers neither the parsed
query nor a switch to turn ``SERVICE`` off, so :func:`check_no_service` looks for the
keyword as a SPARQL token: case-insensitively, outside strings, IRIs and comments, and not
as part of a variable or prefixed name. It errs on the side of refusing: the text is also
checked with ``\\uXXXX`` escapes decoded, and any doubtful tokenisation counts as code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    serialize,
)

from nualod.errors import QueryError
from nualod.model.namespaces import PREFIXES, SDGO
from nualod.write.store import open_store, store_dir_of

FORMATS: Final = ("table", "csv", "json")
SERVICE_REFUSED: Final = "federated queries (SERVICE) are not allowed"
#: Prefixes a query may use without declaring them: the dumps' prefixes, and every other
#: namespace the data or its JSON-LD context uses (``sdgo:`` types the SDG concepts).
QUERY_PREFIXES: Final[dict[str, str]] = {**PREFIXES, "sdgo": SDGO}

#: What the keyword check skips: long and short strings, IRI references (exactly SPARQL's
#: IRIREF, so a ``<`` comparison is never taken for one), comments, and backslash escapes
#: (a prefixed name's ``\\#`` is not a comment). Anything else is scanned for the keyword.
_SKIPPED: Final = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*"
    r"|\\.",
    re.DOTALL,
)
#: The keyword as a token: not inside a longer name, not a variable (``?service``), not
#: part of a prefixed name (``ex:service``, ``service:x``).
_SERVICE: Final = re.compile(r"(?<![\w?$:])service(?![\w:])", re.IGNORECASE)
_UCHAR: Final = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The result of a query: a table of solutions, a boolean, or triples (as N-Triples)."""

    kind: str  # "select", "ask" or "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Any, ...] = ()


def read_query(text: str) -> str:
    """Return the query text; ``@file.rq`` reads it from a file."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"{path}: cannot read the query: {error.strerror or error}") from None
    return text


def _decode_uchars(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _UCHAR.sub(decode, text)


def uses_service(query: str) -> bool:
    """Return whether a query may contain the ``SERVICE`` keyword (see the module docstring).

    >>> uses_service("SELECT * { service <http://127.0.0.1/> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service ex:service "SERVICE" } # SERVICE')
    False
    """
    for text in {query, _decode_uchars(query)}:
        code = _SKIPPED.sub(" ", text)
        if _SERVICE.search(code):
            return True
    return False


def check_no_service(query: str) -> None:
    """Raise :class:`QueryError` when a query uses ``SERVICE`` (a federated query)."""
    if uses_service(query):
        raise QueryError(SERVICE_REFUSED)


def run_query(path: Path, query: str) -> QueryResult:
    """Run a SPARQL query over the store of a publish folder (or a store folder).

    Federated queries (``SERVICE``) are refused with :class:`QueryError` before anything runs.
    """
    check_no_service(query)
    store = open_store(store_dir_of(path))
    try:
        result = store.query(query, prefixes=dict(QUERY_PREFIXES), use_default_graph_as_union=True)
        if isinstance(result, QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(solution[v] for v in variables) for solution in result)
            return QueryResult("select", variables=variables, rows=rows)
        return QueryResult("graph", triples=tuple(result))
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {error}") from None
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed: {error}") from None


def _term_text(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode | Literal):
        return str(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Return a query result as text: ``table`` (aligned), ``csv`` or ``json`` (SPARQL results).

    Graph results (CONSTRUCT, DESCRIBE) are N-Triples for ``table`` and ``csv`` and
    JSON-LD for ``json``.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return "true\n" if result.boolean else "false\n"
    if result.kind == "graph":
        rdf_format = RdfFormat.JSON_LD if fmt == "json" else RdfFormat.N_TRIPLES
        data = serialize(list(result.triples), format=rdf_format)
        return (data or b"").decode("utf-8")
    if fmt in ("csv", "json"):
        return _solutions_text(result, fmt)
    header = list(result.variables)
    cells = [[_term_text(term) for term in row] for row in result.rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
        *(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ),
    ]
    return "\n".join(lines) + "\n"


def _solutions_text(result: QueryResult, fmt: str) -> str:
    if fmt == "json":
        bindings = []
        for row in result.rows:
            binding: dict[str, Any] = {}
            for name, term in zip(result.variables, row, strict=True):
                if term is not None:
                    binding[name] = _json_term(term)
            bindings.append(binding)
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_term_text(term) for term in row])
    return buffer.getvalue()


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}
