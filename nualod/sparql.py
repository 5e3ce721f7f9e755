"""Run SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) over a published store.

The default graph is the union of the named graphs, so ``SELECT * { ?s ?p ?o }`` sees
everything; ``GRAPH`` still picks one named graph.
"""

from __future__ import annotations

import json
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
from nualod.namespaces import PREFIXES
from nualod.store import open_store, store_dir_of

FORMATS: Final = ("table", "csv", "json")


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


def run_query(path: Path, query: str) -> QueryResult:
    """Run a SPARQL query over the store of a publish folder (or a store folder)."""
    store = open_store(store_dir_of(path))
    try:
        result = store.query(query, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise QueryError(f"the query failed: {error}") from None
    if isinstance(result, QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return QueryResult("select", variables=variables, rows=rows)
    return QueryResult("graph", triples=tuple(result))


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
