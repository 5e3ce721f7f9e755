"""The HTTP front of `nualod serve` under attack: the query the SERVICE guard checks is the
query passed on, whatever the request's method, Content-Type and parameters; a request body
is read whole and bounded or the connection is closed (no second request hidden in a body);
a client that sends nothing is let go.

The front runs in this process, before an upstream that records every request it gets (it
stands for the Oxigraph server, which would run a SERVICE clause it was sent).
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from nualod.serve.sparql import SERVICE_REFUSED
from nualod.serve.website import (
    MAX_PARSED_QUERY,
    MAX_QUERY_BYTES,
    FrontServer,
    Website,
    open_front,
)

FEDERATED = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
PLAIN = "ASK { ?s ?p ?o }"


class Upstream:
    """An HTTP server recording the query of each request (URL and form body) it gets."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _answer(self, body: bytes) -> None:
                fields = parse_qsl(urlsplit(self.path).query)
                if self.headers.get("Content-Type") == "application/x-www-form-urlencoded":
                    fields += parse_qsl(body.decode())
                elif self.headers.get("Content-Type") == "application/sparql-query":
                    fields.append(("query", body.decode()))
                upstream.queries += [value for name, value in fields if name == "query"]
                answer = b'{"head":{},"boolean":true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def front(tmp_path: Path) -> Iterator[tuple[FrontServer, Upstream]]:
    upstream = Upstream()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>home</p>", encoding="utf-8")
    website = Website(
        tmp_path / "site",
        "http://127.0.0.1:1/",
        ("127.0.0.1", upstream.port),
        client_timeout=1.0,
        request_deadline=2.0,
    )
    server = open_front("127.0.0.1", 0, website)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, upstream
    server.shutdown()
    server.server_close()
    upstream.close()


def _raw(port: int, data: bytes, wait: float = 3.0) -> bytes:
    """Send bytes on one connection; return all that comes back until it is closed or idle."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(data)
        client.settimeout(wait)
        received = b""
        try:
            while chunk := client.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


def _statuses(answer: bytes) -> list[bytes]:
    """Return the status of every answer in what came back (a body need not end a line)."""
    return re.findall(rb"HTTP/1\.[01] (\d{3}) ", answer)


def _port(front: tuple[FrontServer, Upstream]) -> int:
    return int(front[0].server_address[1])


@pytest.mark.parametrize(
    "request_head",
    [
        # the guard read the (empty) body, the SPARQL server the URL
        f"GET /query?query={quote(FEDERATED)} HTTP/1.1\r\n"
        "Content-Type: application/sparql-query\r\n",
        f"HEAD /query?query={quote(FEDERATED)} HTTP/1.1\r\n"
        "Content-Type: application/sparql-query\r\n",
        # a POST form whose URL carries the query too
        f"POST /query?query={quote(FEDERATED)} HTTP/1.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n",
        # the query twice in the URL
        f"GET /query?query={quote(PLAIN)}&query={quote(FEDERATED)} HTTP/1.1\r\n",
    ],
    ids=["get-typed-as-direct", "head-typed-as-direct", "post-form-and-url", "query-twice"],
)
def test_the_query_checked_is_the_query_passed_on(
    front: tuple[FrontServer, Upstream], request_head: str
) -> None:
    body = f"query={quote(PLAIN)}" if request_head.startswith("POST") else ""
    head = f"{request_head}Host: x\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    answer = _raw(_port(front), (head + body).encode())
    assert _statuses(answer) == [b"400"]
    assert all("SERVICE" not in query for query in front[1].queries), front[1].queries


def test_what_the_front_passes_on_is_what_it_checked(front: tuple[FrontServer, Upstream]) -> None:
    port = _port(front)
    for head, body in (
        (f"GET /query?query={quote(PLAIN)}", ""),
        ("POST /query", f"query={quote(PLAIN)}"),
    ):
        request = (
            f"{head} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
        )
        assert _statuses(_raw(port, request.encode())) == [b"200"]
    sent = PLAIN.encode()
    direct = (
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(sent), sent)
    )
    assert _statuses(_raw(port, direct)) == [b"200"]
    assert front[1].queries == [PLAIN, PLAIN, PLAIN]
    federated = FEDERATED.encode()
    refused = (
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(federated), federated)
    )
    answer = _raw(port, refused)
    assert _statuses(answer) == [b"400"]
    assert answer.endswith(f"\r\n\r\n{SERVICE_REFUSED}\n".encode())
    assert front[1].queries == [PLAIN, PLAIN, PLAIN]


@pytest.mark.parametrize(
    ("length", "status"),
    [("-1", b"400"), ("abc", b"400"), ("1, 2", b"400"), (str(MAX_QUERY_BYTES + 1), b"413")],
)
def test_a_bad_content_length_is_refused_and_the_connection_closed(
    front: tuple[FrontServer, Upstream], length: str, status: bytes
) -> None:
    head = (
        "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    started = time.monotonic()
    answer = _raw(_port(front), head.encode() + b"GET /hidden HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _statuses(answer) == [status]
    assert b"\r\nConnection: close\r\n" in answer
    assert time.monotonic() - started < 2.5  # closed by the front, not waited out
    assert front[1].queries == []


@pytest.mark.parametrize(
    "request_head",
    [
        "POST /index.html HTTP/1.1\r\nContent-Length: 33\r\n",
        "GET /index.html HTTP/1.1\r\nContent-Length: 33\r\n",
        "POST /query HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
        "Transfer-Encoding: chunked\r\n",
    ],
    ids=["post-to-a-file", "get-with-a-body", "chunked"],
)
def test_a_request_hidden_in_a_body_is_never_answered(
    front: tuple[FrontServer, Upstream], request_head: str
) -> None:
    hidden = b"GET /hidden HTTP/1.1\r\nHost: x\r\n\r\n"
    assert len(hidden) == 33
    answer = _raw(_port(front), f"{request_head}Host: x\r\n\r\n".encode() + hidden)
    assert len(_statuses(answer)) == 1, answer


def test_a_client_that_sends_nothing_is_let_go(front: tuple[FrontServer, Upstream]) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", _port(front))) as idle:
        idle.settimeout(10)
        idle.sendall(b"GET / HTTP/1.1\r\nHo")
        assert idle.recv(100) == b""  # closed by the front after its client timeout (1 s)
    assert time.monotonic() - started < 5


def test_a_long_query_that_spells_service_is_refused_before_the_parser(
    front: tuple[FrontServer, Upstream],
) -> None:
    """rdflib's parser takes milliseconds per operator in the interpreter every request of
    the front shares: 9,000 characters of 1+1+... held it for about 15 s."""
    long = "# service\nSELECT * { FILTER(" + "+".join(["1"] * 4500) + ") }"
    assert len(long) > MAX_PARSED_QUERY
    body = f"query={quote(long)}".encode()
    request = (
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
    )
    started = time.monotonic()
    answer = _raw(_port(front), request)
    assert time.monotonic() - started < 3
    assert _statuses(answer) == [b"400"]
    assert answer.endswith(
        b"\r\n\r\na query that spells 'service' is parsed to look for federated queries, up "
        b"to 8192 characters; this one has %d\n" % len(long)
    )
    short = "SELECT ?service WHERE { ?service ?p ?o }"  # parsed, and no SERVICE in it
    request = f"GET /query?query={quote(short)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert _statuses(_raw(_port(front), request.encode())) == [b"200"]
    assert front[1].queries == [short]


#: Queries as long as a body may be whose strings never close (an escaped quote repeated),
#: and whether a name after them is outside the string: each quote started a scan to the end
#: of the text, so 32 KB took 5 s and a 1 MiB body hours, with the interpreter's lock held
#: (every other request of the front waited). A string never closed runs to the end of its
#: line, or of the text for a long one.
UNCLOSED: tuple[tuple[str, bool], ...] = tuple(
    (opening + escaped * (MAX_QUERY_BYTES // 2) + ending, len(opening) == 1 and ending[-1:] == "\n")
    for opening, escaped in (('"', '\\"'), ("'", "\\'"), ('"""', '\\"'), ("'''", "\\'"))
    for ending in ("", "\\", "\\\n", "\n")
)


def test_a_query_of_strings_never_closed_is_read_in_linear_time() -> None:
    """The front looks for the prefixes a query uses outside its strings (missing_prologue),
    for every query. Run in a child, so a regression fails at the timeout rather than hanging
    the tests; the bound is a hundred times what it takes."""
    program = (
        "import sys\n"
        "from nualod.serve.sparql import missing_prologue\n"
        "for query in sys.stdin.read().split('\\0'):\n"
        "    print(repr(missing_prologue(query + 'nua:x')))\n"
    )
    answers = subprocess.run(
        [sys.executable, "-c", program],
        input="\0".join(query for query, _ in UNCLOSED),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.splitlines()
    declared = repr("PREFIX nua: <https://w3id.org/nualod/def#> ")
    assert answers == [declared if outside else "''" for _, outside in UNCLOSED]


def test_a_client_sending_a_byte_now_and_then_is_let_go(
    front: tuple[FrontServer, Upstream],
) -> None:
    """Each byte within the client timeout (1 s here) kept the connection, and its thread,
    for as long as the client liked; the request must arrive whole by the deadline (2 s)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", _port(front))) as dripping:
        dripping.sendall(b"GET / HTTP/1.1\r\n")
        with contextlib.suppress(OSError):  # a broken pipe: the front cut the connection
            for _ in range(40):  # 12 s at most
                dripping.sendall(b"X")
                time.sleep(0.3)
        dripping.settimeout(5)
        with contextlib.suppress(ConnectionResetError):
            assert dripping.recv(100) == b""
    assert time.monotonic() - started < 6
    request = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert _statuses(_raw(_port(front), request)) == [b"200"]  # others are still answered


def test_connections_past_the_limit_are_answered_503_at_once(tmp_path: Path) -> None:
    """Each connection had a thread of its own, without a limit."""
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    website = Website(tmp_path, "http://127.0.0.1:1/", None, max_clients=3)
    server = open_front("127.0.0.1", 0, website)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = int(server.server_address[1])
    try:
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        time.sleep(0.3)  # each is taken in by its thread
        answer = _raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", wait=2)
        assert _statuses(answer) == [b"503"]
        assert answer.endswith(b"\r\n\r\nToo many connections; try again later\n")
        idle.pop().close()
        time.sleep(0.3)
        request = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        assert _statuses(_raw(port, request)) == [b"200"]
        for connection in idle:
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
