"""Run SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) over a published store.

The default graph is the union of the named graphs, so ``SELECT * { ?s ?p ?o }`` sees
everything; ``GRAPH`` still picks one named graph. A query that names its dataset
(``FROM``, ``FROM NAMED``: :func:`declares_dataset`) gets that dataset instead, as SPARQL
1.1 Query §13.2 says: Oxigraph's union mode ignored ``FROM`` and ran every such query over
everything, so it is used only for a query that names none.

Federated queries are refused: pyoxigraph would run a ``SERVICE <url>`` clause by sending
an HTTP request to any URL, local addresses included, and it has no switch to turn
``SERVICE`` off. :func:`check_no_service` decides on the parsed query
(:func:`nualod.read.federation.uses_service`).

Bounds (:func:`stream_query`, what ``nualod query`` runs): the query runs in a child
process that the caller kills at a time limit (:data:`DEFAULT_TIMEOUT`) or a memory limit
(:data:`DEFAULT_MAX_MEMORY`, its resident memory), and the result is streamed through a
pipe, never held whole: an aligned table goes through a temporary file to learn the column
widths. Where the kernel lets it, the child also drops its network (a network namespace of
its own, with no interface but a loopback that is down), so even a ``SERVICE`` the check
missed could reach nothing.

Output for people and spreadsheets: control characters in the cells of a table and of a
CSV file are shown escaped (``\\x1b``, ``\\n``), so a value cannot drive a terminal; CSV cells
that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return, and not a plain number) get a leading ``'`` as OWASP recommends.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, Final

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    serialize,
)

from nualod.errors import NotUTF8Error, NualodError, QueryError, option, utf8_text
from nualod.model.namespaces import PREFIXES, RDF, SDGO
from nualod.read.federation import uses_service
from nualod.write.store import open_store, store_dir_of

FORMATS: Final = ("table", "csv", "json")
SERVICE_REFUSED: Final = "federated queries (SERVICE) are not allowed"
#: Prefixes a query may use without declaring them: the dumps' prefixes, and every other
#: namespace the data or its JSON-LD context uses (``sdgo:`` types the SDG concepts).
QUERY_PREFIXES: Final[dict[str, str]] = {**PREFIXES, "sdgo": SDGO, "rdf": RDF}
#: Seconds a query may run (``nualod query --timeout``, ``nualod serve --timeout``).
DEFAULT_TIMEOUT: Final = 60.0
#: Resident memory a query's process may reach (``nualod query --max-memory``, in MiB).
DEFAULT_MAX_MEMORY: Final = 512 * 1024 * 1024


def check_no_service(query: str) -> None:
    """Raise :class:`QueryError` when a query uses ``SERVICE`` (a federated query)."""
    if uses_service(query):
        raise QueryError(SERVICE_REFUSED)


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
        if not text[1:]:
            raise QueryError("'@' names no file: give the query's file after it (@query.rq)")
        path = Path(text[1:])
        try:
            return utf8_text(path.read_bytes())
        except OSError as error:
            raise QueryError(f"{path}: cannot read the query: {error.strerror or error}") from None
        except NotUTF8Error as error:
            raise QueryError(f"{path}: cannot read the query: {error}") from None
    return text


#: A query's or an update's prologue: whole-line comments, PREFIX and BASE declarations.
PROLOGUE: Final = r"\A(?:\s*#[^\r\n]*[\r\n]|\s*PREFIX\s+[^\s:]*:\s*<[^>]*>|\s*BASE\s+<[^>]*>)*\s*"
#: An update, after its prologue.
_UPDATE: Final = re.compile(
    PROLOGUE + r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)


def syntax_error(query: str, error: SyntaxError) -> QueryError:
    r"""Return the error for a query that does not parse; an update is named as such.

    >>> str(syntax_error("PREFIX a: <urn:a#>\nINSERT DATA {}", SyntaxError("x")))[:35]
    'a SPARQL update is not run here: th'
    >>> print(syntax_error("SELEKT", SyntaxError("error at 1:1")))
    SPARQL syntax error: error at 1:1
    >>> print(syntax_error("ASK { ?p a ex:X }", SyntaxError("error at 1:15: Prefix not found")))
    ... # doctest: +ELLIPSIS
    SPARQL syntax error at 1:15: the prefix 'ex:' is not declared (add PREFIX ex: <IRI>; ...)
    """
    if _UPDATE.match(query):
        return QueryError(
            "a SPARQL update is not run here: the store is read-only (SELECT, ASK, CONSTRUCT "
            "and DESCRIBE are); `nualod push` loads data into a store"
        )
    if not query.strip():
        return QueryError("SPARQL syntax error: the query is empty")
    message = str(error)
    return QueryError(
        undeclared_prefix_error(query, message)
        or f"SPARQL syntax error: {readable_parser_message(query, message)}"
    )


#: A character class in Oxigraph's list of what it expected ("['0'..='9']", "[_]"): the
#: Unicode ranges of a name made one error 510 characters long.
_CHARACTER_CLASS: Final = re.compile(r""", \[(?:[^\]'"]|'[^']*'|"(?:[^"\\]|\\.)*")*\]""")


def readable_parser_message(query: str, message: str) -> str:
    r"""Return Oxigraph's syntax error ``message`` with the character classes taken out of
    what it expected, and saying so when it stopped at the query's end.

    >>> readable_parser_message("SELECT ?x WHERE {", 'error at 1:18: expected one of '
    ...     '"{", "}", [\'0\'..=\'9\'], [\'A\' ..= \'Z\' | \'\\u{00C0}\'..=\'\\u{00D6}\'], [_]')
    'error at 1:18 (the end of the query): expected one of "{", "}"'
    >>> readable_parser_message("SELEC ?x", "error at 1:9: expected one of DESCRIBE, [_]")
    'error at 1:9 (the end of the query): expected one of DESCRIBE'
    """
    text = message
    found = _ERROR_AT.match(text)
    if found is not None:
        lines = query.split("\n")
        line, column = int(found[1]), int(found[2])
        if line >= len(lines) and column > len(lines[-1].rstrip()):
            text = f"{found[0]} (the end of the query){text[found.end() :]}"
    expected = text.find("expected one of ")
    if expected >= 0:
        text = text[:expected] + _CHARACTER_CLASS.sub("", text[expected:])
        text = text.removesuffix(": expected one of ").removesuffix("expected one of ")
    return text


def undeclared_prefix_error(query: str, message: str) -> str | None:
    """Return the sentence that names the prefix a query uses undeclared, from Oxigraph's
    syntax error ``message`` (a list of the characters it expected); None when that is not
    what stopped it.

    >>> undeclared_prefix_error("ASK { ?p a ex:X }", "error at 1:15: Prefix not found")[:61]
    "SPARQL syntax error at 1:15: the prefix 'ex:' is not declared"
    >>> undeclared_prefix_error("SELEKT", "error at 1:1: expected one of DESCRIBE") is None
    True
    """
    undeclared = _undeclared_prefix(query, message)
    if undeclared is None:
        return None
    where, prefix = undeclared
    return (
        f"SPARQL syntax error at {where}: the prefix '{prefix}:' is not declared (add "
        f"PREFIX {prefix}: <IRI>; nualod declares {', '.join(sorted(QUERY_PREFIXES))})"
    )


#: Where Oxigraph's parser stopped: "error at LINE:COLUMN: ...".
_ERROR_AT: Final = re.compile(r"error at (\d+):(\d+)")
#: A prefixed name's prefix, ending where the parser stopped.
_PREFIXED_NAME_END: Final = re.compile(r"([A-Za-z][\w.-]*)?:[^\s:]*\Z")


#: What cannot hold a prefixed name: IRIs, strings, comments and variables, blanked out
#: (their length kept, so positions stay) before prefixed names are looked for. A string
#: never closed runs to the end of its line (of the text, for a long one): were it no match,
#: each quote in it would start a scan to the end again (a body of escaped quotes, O(n²):
#: hours for 1 MiB, with the interpreter's lock held).
_NOT_NAMES: Final = re.compile(
    r"""<[^<>"{}|^`\\\s]*>"""
    r'|"""(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:"""|\\?\Z)'
    r"|'''(?:[^'\\]|\\[\s\S]|'(?!''))*+(?:'''|\\?\Z)"
    r'|"(?:[^"\\\r\n]|\\.)*+(?:"|\\?(?=[\r\n]|\Z))'
    r"|'(?:[^'\\\r\n]|\\.)*+(?:'|\\?(?=[\r\n]|\Z))"
    r"|#[^\r\n]*"
    r"|[?$]\w+",
    re.MULTILINE,
)
#: A prefixed name's prefix and colon, where a name can start.
_PREFIX_USE: Final = re.compile(r"(?<![\w.:-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:")
_PREFIX_DECLARED: Final = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w-]*(?:\.[\w-]+)*)?:")


def _names_text(query: str) -> tuple[str, set[str]]:
    """Return a query with what cannot hold a prefixed name blanked out, and the prefixes
    it declares."""
    text = _NOT_NAMES.sub(lambda found: " " * len(found[0]), query)
    return text, {name or "" for name in _PREFIX_DECLARED.findall(text)}


def _first_undeclared(query: str) -> tuple[str, str] | None:
    """Return where (line:column) and which prefix a query first uses that neither it nor
    nualod declares, looking past IRIs, strings and comments; or None.

    >>> _first_undeclared('SELECT * { foo:x ?p "a:b" } # c:d')
    ('1:12', 'foo')
    >>> _first_undeclared("PREFIX foo: <http://x/> SELECT * { foo:x nua:p <http://e/> }")
    """
    text, declared = _names_text(query)
    for found in _PREFIX_USE.finditer(text):
        prefix = found[1] or ""
        if prefix not in declared and prefix not in QUERY_PREFIXES:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
            return f"{line}:{column}", prefix
    return None


#: A dataset clause's keyword where a keyword can stand (not inside a prefixed name).
_FROM: Final = re.compile(r"(?i)(?<![\w.:-])FROM(?![\w.:-])")
#: The protocol's fields that give a query's dataset (SPARQL 1.1 Protocol §2.1.4).
DATASET_FIELDS: Final = ("default-graph-uri", "named-graph-uri")


def declares_dataset(query: str) -> bool:
    """Return whether a query names its dataset with ``FROM`` or ``FROM NAMED``, looking
    past IRIs, strings, comments and prefixed names (``FROM`` is a keyword of the dataset
    clause alone: SPARQL 1.1 Query §13.2).

    >>> declares_dataset("SELECT * FROM <urn:g> { ?s ?p ?o }")
    True
    >>> declares_dataset("ask from named ex:g { }")
    True
    >>> declares_dataset('SELECT ?from { ?s ex:from "from" ; from:x <urn:from> } # FROM <x>')
    False
    """
    if "from" not in query.lower():  # most queries: no scan
        return False
    text, _ = _names_text(query)
    return _FROM.search(text) is not None


def dataset_fields(query: str) -> list[tuple[str, str]]:
    """Return the protocol fields (``default-graph-uri``, ``named-graph-uri``) that give the
    dataset a query names with ``FROM`` and ``FROM NAMED``, its prefixes and ``BASE``
    applied: an endpoint whose default graph is the union of its graphs (the Oxigraph
    server's ``--union-default-graph``) ignores the query's own clauses, but not these.

    Raises :class:`QueryError` when rdflib's SPARQL 1.1 parser cannot read the query.

    >>> dataset_fields("PREFIX g: <urn:g:> SELECT * FROM g:a FROM NAMED <urn:b> { }")
    [('default-graph-uri', 'urn:g:a'), ('named-graph-uri', 'urn:b')]
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        # A comment ends at a carriage return too (as for Oxigraph): see uses_service.
        algebra = translateQuery(parseQuery(query.replace("\r", "\n"))).algebra
    except (ParseBaseException, RecursionError, ValueError, TypeError, AttributeError) as error:
        message = " ".join(str(error).split())
        raise QueryError(
            f"a query that names its dataset (FROM) is read to apply it, and this one could "
            f"not be: {message}"
        ) from None
    return [
        (DATASET_FIELDS[0], str(clause["default"]))
        if "default" in clause
        else (DATASET_FIELDS[1], str(clause["named"]))
        for clause in algebra.get("datasetClause") or ()
    ]


def missing_prologue(query: str) -> str:
    """Return the declarations of the prefixes nualod predeclares that a query uses without
    declaring them, on one line ending with a space, to put before it (an endpoint that
    takes a query's text as it is, as the Oxigraph server does); "" when it needs none.

    >>> missing_prologue("SELECT * { ?p a nua:GoodPractice ; foo:x 'rdf:y' }")
    'PREFIX nua: <https://w3id.org/nualod/def#> '
    >>> missing_prologue("PREFIX nua: <urn:n#> SELECT * { ?p a nua:GoodPractice }")
    ''
    """
    text, declared = _names_text(query)
    used = dict.fromkeys(found[1] or "" for found in _PREFIX_USE.finditer(text))
    return "".join(
        f"PREFIX {name}: <{QUERY_PREFIXES[name]}> "
        for name in used
        if name in QUERY_PREFIXES and name not in declared
    )


def _undeclared_prefix(query: str, message: str) -> tuple[str, str] | None:
    """Return where and which prefix a query uses undeclared, from Oxigraph's message
    ("Prefix not found" at the end of the name), else from the query's text (the parser
    stops elsewhere for a name in a subject or a function call); or None.

    >>> _undeclared_prefix("SELECT * { ?p a foo:Bar }", "error at 1:24: expected one of Prefix not found, ['%']")
    ('1:24', 'foo')
    >>> _undeclared_prefix("SELECT * { foo:x ?p ?o }", "error at 1:20: expected OPTIONAL")
    ('1:12', 'foo')
    """
    found = _ERROR_AT.match(message)
    if found is None:
        return None
    if "Prefix not found" not in message:
        return _first_undeclared(query)
    line, column = int(found[1]), int(found[2])
    lines = query.split("\n")
    if not 1 <= line <= len(lines):
        return None
    name = _PREFIXED_NAME_END.search(lines[line - 1][: column - 1])
    if name is None:
        return None
    return f"{line}:{column}", name[1] or ""


def run_query(path: str | Path, query: str) -> QueryResult:
    """Run a SPARQL query over the store of a publish folder (or a store folder).

    Federated queries (``SERVICE``) are refused with :class:`QueryError` before anything runs.
    """
    check_no_service(query)
    store = open_store(store_dir_of(Path(path)))
    try:
        result = store.query(
            query,
            prefixes=dict(QUERY_PREFIXES),
            use_default_graph_as_union=not declares_dataset(query),
        )
        if isinstance(result, QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(solution[v] for v in variables) for solution in result)
            return QueryResult("select", variables=variables, rows=rows)
        return QueryResult("graph", triples=tuple(result))
    except SyntaxError as error:
        raise syntax_error(query, error) from None
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
    JSON-LD for ``json``. The text is what :func:`stream_query` writes for the same result.
    """
    _check_format(fmt)
    buffer = io.BytesIO()
    if result.kind == "ask":
        _write_boolean(bool(result.boolean), fmt, buffer)
    elif result.kind == "graph":
        _write_triples(result.triples, fmt, buffer)
    else:
        _write_solutions(result.variables, result.rows, fmt, buffer)
    return buffer.getvalue().decode("utf-8")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_result(result: Any, fmt: str, out: IO[bytes]) -> None:
    """Write a pyoxigraph query result to ``out`` as :func:`format_result` would, streaming."""
    _check_format(fmt)
    if isinstance(result, QueryBoolean):
        _write_boolean(bool(result), fmt, out)
    elif isinstance(result, QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = (tuple(solution[v] for v in variables) for solution in result)
        _write_solutions(variables, rows, fmt, out)
    else:
        _write_triples(result, fmt, out)


def _write_boolean(value: bool, fmt: str, out: IO[bytes]) -> None:
    if fmt == "json":
        out.write((json.dumps({"head": {}, "boolean": value}) + "\n").encode())
    else:
        out.write(b"true\n" if value else b"false\n")


def _write_triples(triples: Iterable[Any], fmt: str, out: IO[bytes]) -> None:
    rdf_format = RdfFormat.JSON_LD if fmt == "json" else RdfFormat.N_TRIPLES
    serialize(triples, output=out, format=rdf_format)
    if rdf_format == RdfFormat.JSON_LD:
        out.write(b"\n")  # a text file ends with one, as every other answer does


def _write_solutions(
    variables: tuple[str, ...], rows: Iterable[tuple[Any, ...]], fmt: str, out: IO[bytes]
) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if fmt == "json":
            _write_json(variables, rows, text)
        elif fmt == "csv":
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(variables)
            writer.writerows([csv_cell(_term_text(term)) for term in row] for row in rows)
        else:
            _write_table(variables, rows, text)
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open


def _write_json(variables: tuple[str, ...], rows: Iterable[tuple[Any, ...]], text: IO[str]) -> None:
    """Write SPARQL JSON results one binding at a time, as ``json.dumps(..., indent=2)`` lays
    out the whole document."""
    empty = {"head": {"vars": list(variables)}, "results": {"bindings": []}}
    before, after = json.dumps(empty, ensure_ascii=False, indent=2).split('"bindings": []')
    text.write(before + '"bindings": [')
    separator = "\n"
    for row in rows:
        binding = {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        lines = json.dumps(binding, ensure_ascii=False, indent=2).split("\n")
        text.write(separator + "\n".join("      " + line for line in lines))
        separator = ",\n"
    text.write(("]" if separator == "\n" else "\n    ]") + after + "\n")


def _write_table(
    variables: tuple[str, ...], rows: Iterable[tuple[Any, ...]], text: IO[str]
) -> None:
    """Write an aligned table; the rows wait in a temporary file while the widths are found."""
    widths = [len(name) for name in variables]
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:
        for row in rows:
            cells = [shown_text(_term_text(term)) for term in row]
            for index, cell in enumerate(cells):
                widths[index] = max(widths[index], len(cell))
            spool.write(json.dumps(cells, ensure_ascii=True) + "\n")
        text.write(_table_line(variables, widths) + "\n")
        text.write("  ".join("-" * width for width in widths) + "\n")
        spool.seek(0)
        for line in spool:
            text.write(_table_line(json.loads(line), widths) + "\n")


def _table_line(cells: Iterable[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESCAPES: Final = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
#: A plain number, which a spreadsheet reads as a number even when it starts with a sign.
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: What a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\x{ord(char):02x}"


def shown_text(text: str) -> str:
    r"""Return text with its control characters escaped, for a terminal.

    >>> print(shown_text("Kota\x1b[31m Merah\x07\nbaris"))
    Kota\x1b[31m Merah\x07\nbaris
    """
    return _CONTROL.sub(_escape, text)


def csv_cell(text: str) -> str:
    r"""Return a CSV cell that neither drives a terminal nor runs as a spreadsheet formula.

    Control characters other than line breaks and tabs are escaped; a cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's
    advice), unless it is a plain number such as ``-12.5``.

    >>> [csv_cell(c) for c in ("=HYPERLINK(1)", "-12.5", "@SUM(A1)", "a-b", "a\x1bb")]
    ["'=HYPERLINK(1)", '-12.5', "'@SUM(A1)", 'a-b', 'a\\x1bb']
    """
    text = _CONTROL_BUT_LINES.sub(_escape, text)
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


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


# -- bounded queries: a child process that is killed at a limit ------------------------------

#: The child's exit code when it reports a :class:`NualodError` (one line on stderr).
_REPORTED: Final = 3
#: How often the parent looks at the child's memory while it waits for output.
_POLL: Final = 0.05
_WORKER: Final = "from nualod.serve.sparql import query_worker; query_worker()"
_CLONE_NEWNET: Final = 0x40000000
_CLONE_NEWUSER: Final = 0x10000000
_PR_SET_PDEATHSIG: Final = 1


def stream_query(
    path: Path,
    query: str,
    out: IO[bytes],
    fmt: str = "table",
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> None:
    """Run a query over the store of ``path`` and write its result to ``out`` as it comes.

    The query runs in a child process (:func:`query_worker`), which is killed when it runs
    longer than ``timeout`` seconds or its resident memory passes ``max_memory`` bytes;
    either raises :class:`QueryError` with one line (what was written so far stays
    written). A refused, malformed or failing query raises :class:`QueryError` too.
    """
    _check_format(fmt)
    request = json.dumps({"path": str(path), "query": query, "format": fmt}).encode()
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            preexec_fn=partial(die_with_parent, signal.SIGKILL),
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            with contextlib.suppress(BrokenPipeError):  # a child that died is told below
                child.stdin.write(request)
                child.stdin.close()
            _copy_until_done(child, out, deadline, timeout, max_memory)
            code = child.wait(timeout=max(deadline - time.monotonic(), _POLL))
        except subprocess.TimeoutExpired:
            raise QueryError(_timeout_message(timeout)) from None
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
        if code != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            last = lines[-1] if lines else _ended(code)
            raise QueryError(last if code == _REPORTED else f"the query failed: {last}")


def _ended(code: int) -> str:
    """Say how the query's process ended when it said nothing: a signal (Oxigraph's parser
    overflows its stack on a query nested thousands deep) or an exit code.

    >>> _ended(-11), _ended(3)
    ('the query process crashed (SIGSEGV); a query nested very deeply does that', 'exit code 3')
    """
    if code >= 0:
        return f"exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = "; a query nested very deeply does that" if -code == signal.SIGSEGV else ""
    return f"the query process crashed ({name}){hint}"


def _copy_until_done(
    child: subprocess.Popen[bytes], out: IO[bytes], deadline: float, timeout: float, limit: int
) -> None:
    assert child.stdout is not None
    source = child.stdout.fileno()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise QueryError(_timeout_message(timeout))
        ready, _, _ = select.select([source], [], [], min(remaining, _POLL))
        if resident_memory(child.pid) > limit:
            raise QueryError(
                f"the query was stopped: it needed more than {limit / 2**20:g} MiB of memory "
                f"(raise {option('max_memory')} to allow more)"
            )
        if ready:
            chunk = os.read(source, 1 << 16)
            if not chunk:
                return
            out.write(chunk)


def _timeout_message(timeout: float) -> str:
    return f"the query was stopped after {timeout:g} s (raise {option('timeout')} to allow more)"


def resident_memory(pid: int) -> int:
    """Return the resident memory of a process in bytes (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:  # noqa: PTH123 - read on every poll
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def die_with_parent(signum: int) -> None:  # pragma: no cover - in a child before exec
    """Have the kernel send ``signum`` to this process when its parent dies (Linux; nothing
    elsewhere): a child that ``nualod query`` or ``nualod serve`` started ends with it."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum)


def drop_network() -> bool:
    """Move this process into a network namespace of its own, with no way out (Linux).

    Only root may do this directly; others through a user namespace of their own, where
    the kernel allows unprivileged ones. Return whether it worked; nothing else changes.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(
        libc.unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET)
    )


def query_worker() -> None:
    """Run one query for :func:`stream_query`: the request on stdin, the result on stdout.

    Errors are one line on stderr with exit code 3; a closed stdout (the reader went away)
    ends the process quietly.
    """
    request = json.loads(sys.stdin.buffer.read())
    drop_network()  # before the store starts its threads: unshare wants one thread
    out = sys.stdout.buffer
    try:
        query = str(request["query"])
        check_no_service(query)
        store = open_store(store_dir_of(Path(request["path"])))
        try:
            result = store.query(
                query,
                prefixes=dict(QUERY_PREFIXES),
                use_default_graph_as_union=not declares_dataset(query),
            )
            write_result(result, str(request["format"]), out)
            out.flush()
        except SyntaxError as error:
            raise syntax_error(query, error) from None
        except BrokenPipeError:
            os._exit(0)  # the reader stopped reading (``| head``): nothing to report
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {error}") from None
    except NualodError as error:
        sys.stderr.write(" ".join(str(error).split()) + "\n")  # one line, whatever it says
        sys.stderr.flush()
        os._exit(_REPORTED)
