"""`nualod query` under attack (issue #18 cases 1, 2, 18, 19): no way round the SERVICE
guard, a time and a memory limit, rows streamed, nothing a terminal or a spreadsheet runs.

The CLI runs in subprocesses, against a listener on 127.0.0.1 that logs every connection.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nualod.run.publish import PublishResult
from nualod.serve.sparql import (
    SERVICE_REFUSED,
    QueryResult,
    csv_cell,
    format_result,
    uses_service,
)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    logger = Listener()
    yield logger
    logger.close()


def _nualod(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nualod", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _federated_variants(url: str) -> list[str]:
    """The issue's exploit and every way round a text check we could think of."""
    host = url.removeprefix("http://").removesuffix("/x")
    templates = [
        # The exploit: a text check read "<2)SERVICE?u#>" as an IRI.
        "SELECT * { VALUES ?u {<URL>} LATERAL { FILTER(1<2)SERVICE?u#>\n {?a ?b ?c} } }",
        "SELECT * { FILTER(1<=2)SERVICE<URL>{?a ?b ?c} }",
        "SELECT * { FILTER(?a<?b)SERVICE<URL>{} }",
        "SELECT * { # a comment <\nSERVICE # another >\n <URL> {} }",
        # rdflib ends a comment at a line feed only, Oxigraph at a carriage return too
        # (security review, stop 56: the comment hid the clause from the guard).
        "SELECT * { # x\rSERVICE <URL> { ?a ?b ?c }\n}",
        "SELECT * { # x\r\n?s ?p ?o # y\rSERVICE SILENT <URL> {} }",
        "SELECT * { sErViCe SiLeNt <URL> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o . SERVICE SILENT <URL> {} }",
        'SELECT * { ?s ?p "a\\u0022" . SERVICE <URL> {} #" }',
        "SELECT * { \\u0053ERVICE <URL> {} }",
        "SELECT * { ?s ex:a\\#b ?o SERVICE <URL> {} }",
        "SELECT * { { SELECT * { SERVICE <URL> { ?s ?p ?o } } } }",
        "SELECT * { FILTER EXISTS { SERVICE <URL> {} } }",
        "SELECT * { FILTER NOT EXISTS { { SELECT * { SERVICE <URL> {} } } } }",
        "SELECT * { OPTIONAL { SERVICE <URL> {} } MINUS { ?a ?b ?c } }",
        "SELECT * { { ?s ?p ?o } UNION { GRAPH ?g { SERVICE <URL> {} } } }",
        "SELECT (EXISTS { SERVICE <URL> {} } AS ?e) {}",
        "SELECT * { BIND(EXISTS { SERVICE <URL> {} } AS ?e) }",
        "SELECT * { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <URL> {} })",
        "SELECT ?s { ?s ?p ?o } GROUP BY ?s HAVING (EXISTS { SERVICE <URL> {} })",
        'SELECT * { BIND(IRI(CONCAT("http://", "HOST", "/x")) AS ?u) SERVICE ?u {} }',
        "SELECT * { VALUES ?u { <URL> } LATERAL { SERVICE ?u { ?a ?b ?c } } }",
        "PREFIX e: <http://HOST/> SELECT * { SERVICE e:x {} }",
        "BASE <http://HOST/> SELECT * { SERVICE <x> {} }",
        "ASK { SERVICE <URL> {} }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
        "DESCRIBE ?s WHERE { SERVICE <URL> { ?s ?p ?o } }",
    ]
    return [query.replace("URL", url).replace("HOST", host) for query in templates]


def test_no_federated_query_reaches_the_network(
    published_examples: tuple[Path, PublishResult], listener: Listener
) -> None:
    folder = str(published_examples[0])
    variants = _federated_variants(f"http://127.0.0.1:{listener.port}/x")
    children = [
        (
            query,
            subprocess.Popen(
                [sys.executable, "-m", "nualod", "query", folder, query],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for query in variants
    ]
    for query, child in children:
        out, err = child.communicate(timeout=120)
        assert (child.returncode, out, err) == (2, "", f"error: {SERVICE_REFUSED}\n"), query
    assert listener.connections == 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p 'SERVICE' , \"service\" , '''x''' }",
        'SELECT * { ?s ?p """a "" SERVICE""" }',
        "SELECT * { ?s ?p <http://x/SERVICE> } # SERVICE <http://x/> {}",
        "SELECT ?service { ?service ex:service service:x }",
        "SELECT * { FILTER(1<2) ?s ?p ?o } # <2)SERVICE>",
    ],
)
def test_service_as_a_word_is_not_a_federated_query(query: str) -> None:
    assert uses_service(query) is False


def test_the_guard_decides_on_the_parsed_query_for_every_variant() -> None:
    for query in _federated_variants("http://127.0.0.1:9/x"):
        assert uses_service(query), query


def test_a_query_beyond_sparql_1_1_runs_when_it_cannot_name_service(
    published_examples: tuple[Path, PublishResult],
) -> None:
    query = "SELECT ?n { VALUES ?s { nua:x } LATERAL { BIND(1 AS ?n) } }"
    result = _nualod("query", str(published_examples[0]), query, "--format", "csv")
    assert (result.returncode, result.stdout, result.stderr) == (0, "n\n1\n", "")


def test_a_long_query_is_stopped_at_the_timeout(
    published_examples: tuple[Path, PublishResult],
) -> None:
    query = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = _nualod("query", str(published_examples[0]), query, "--timeout", "1")
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == "error: the query was stopped after 1 s (raise --timeout to allow more)\n"
    )


def test_a_query_that_grows_is_stopped_at_the_memory_limit(
    published_examples: tuple[Path, PublishResult],
) -> None:
    query = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    result = _nualod("query", str(published_examples[0]), query, "--max-memory", "128")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: the query was stopped: it needed more than 128 MiB of memory "
        "(raise --max-memory to allow more)\n"
    )


def test_rows_are_streamed_before_the_query_ends(
    published_examples: tuple[Path, PublishResult],
) -> None:
    query = "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f }"
    result = _nualod(
        "query", str(published_examples[0]), query, "--format", "csv", "--timeout", "2"
    )
    assert result.returncode == 2 and "stopped after 2 s" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "a,d" and len(lines) > 1000


def test_table_and_csv_escape_control_characters_and_neutralise_formulas() -> None:
    from pyoxigraph import Literal, NamedNode

    rows = (
        (NamedNode("urn:a"), Literal("Kota\x1b]0;owned\x07 Merah\x00")),
        (NamedNode("urn:b"), Literal('=HYPERLINK("http://x","klik")')),
        (NamedNode("urn:c"), Literal("-12.5")),
        (NamedNode("urn:d"), Literal("+62 21 555\tx\ny")),
    )
    result = QueryResult("select", variables=("s", "t"), rows=rows)
    assert format_result(result, "table") == (
        "s      t\n"
        "-----  ------------------------------\n"
        "urn:a  Kota\\x1b]0;owned\\x07 Merah\\x00\n"
        'urn:b  =HYPERLINK("http://x","klik")\n'
        "urn:c  -12.5\n"
        "urn:d  +62 21 555\\tx\\ny\n"
    )
    assert format_result(result, "csv") == (
        "s,t\r\n"
        "urn:a,Kota\\x1b]0;owned\\x07 Merah\\x00\r\n"
        'urn:b,"\'=HYPERLINK(""http://x"",""klik"")"\r\n'
        "urn:c,-12.5\r\n"
        'urn:d,"\'+62 21 555\tx\ny"\r\n'
    )
    assert "\\u001b" in format_result(result, "json")  # JSON escapes them itself


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("+1+cmd", "'+1+cmd"),
        ("-1.5e3", "-1.5e3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kota = Bandung", "Kota = Bandung"),
        ("", ""),
    ],
)
def test_csv_cells_as_owasp_recommends(cell: str, shown: str) -> None:
    assert csv_cell(cell) == shown


def test_streamed_json_is_what_json_dumps_writes() -> None:
    import json

    from pyoxigraph import BlankNode, Literal, NamedNode

    rows = (
        (NamedNode("urn:a"), Literal("x", language="id")),
        (BlankNode("b0"), None),
        (None, Literal("5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    )
    text = format_result(QueryResult("select", variables=("s", "o"), rows=rows), "json")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert len(json.loads(text)["results"]["bindings"]) == 3
