"""`nualod serve` bounds its queries (issue #18 case 2): Oxigraph runs with a query timeout,
and a query that takes it past the memory limit ends, the server restarted behind the front.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nualod.run.publish import PublishResult
from nualod.serve.server import QUERY_TIMEOUT, serve_command


def test_oxigraph_is_started_with_the_query_timeout(
    published_examples: tuple[Path, PublishResult],
) -> None:
    folder = published_examples[0]
    assert serve_command(folder)[2:4] == ["--timeout-s", str(QUERY_TIMEOUT)]
    assert serve_command(folder, timeout=5)[2:4] == ["--timeout-s", "5"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ask(url: str, query: str, timeout: float) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_a_query_past_the_memory_limit_ends_and_the_endpoint_answers_again(
    published_examples: tuple[Path, PublishResult],
) -> None:
    with _serving(published_examples[0], "--timeout", "30", "--max-memory", "200") as (
        server,
        url,
    ):
        started = time.monotonic()
        status, _ = _ask(url, "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i", 120)
        assert status == 502
        assert time.monotonic() - started < 60  # measured: about 1 s to reach 200 MiB
        _assert_answers_again(server, url)


@pytest.mark.slow
def test_a_query_that_crashes_the_oxigraph_server_fails_alone_and_the_endpoint_answers_again(
    published_examples: tuple[Path, PublishResult],
) -> None:
    """A query nested 5,000 deep (10 KB) overflows the Oxigraph server's stack, which
    aborts (review: it took `nualod serve` down with it, exit 2): it is started again."""
    deep = "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    with _serving(published_examples[0]) as (server, url):
        assert _ask(url, deep, 60)[0] == 502
        _assert_answers_again(server, url)


def _assert_answers_again(server: subprocess.Popen[str], url: str) -> None:
    """Check, within a minute, that the endpoint answers a query again and serve still runs."""
    deadline = time.monotonic() + 60
    while True:
        status, body = _ask(url, "ASK { ?s ?p ?o }", 10)
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert (status, '"boolean":true' in body.replace(" ", "")) == (200, True)
    assert server.poll() is None


@contextmanager
def _serving(folder: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run ``nualod serve FOLDER OPTIONS`` on a free port; yield it and its query URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nualod", "serve", str(folder), "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        while "SPARQL endpoint" not in server.stdout.readline():
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
        yield server, f"http://127.0.0.1:{port}/query"
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.mark.slow
def test_a_query_the_timeout_stopped_is_an_error_not_a_200_cut_short(
    published_examples: tuple[Path, PublishResult],
) -> None:
    """The Oxigraph server sends 200 and the head of the results first; when its timeout
    stops the query it writes a sentence in their place and ends the answer as complete
    (data review: a CSV client kept a million rows and the sentence as the last one)."""
    import requests

    with _serving(published_examples[0], "--timeout", "2") as (_, url):
        # Stopped before a row: an error answer.
        status, body = _ask(url, "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", 60)
        assert (status, body) == (
            504,
            "The query was stopped at the endpoint's time limit (nualod serve --timeout); ask "
            "for less (LIMIT, a narrower pattern) or run it with `nualod query`\n",
        )
        # Stopped with megabytes of rows sent: an answer that does not finish.
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.post(
                url,
                data={"query": "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f }"},
                headers={"Accept": "text/csv"},
                timeout=60,
            )
        status, body = _ask(url, "ASK { ?s ?p ?o }", 10)
        assert (status, '"boolean":true' in body.replace(" ", "")) == (200, True)


def _chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts if part)


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("whole", (200, "complete")),
        ("cancelled_within_the_hold", (504, "complete")),
        ("cancelled_past_the_hold", (200, "unfinished")),
        ("died_within_the_hold", (502, "complete")),
        ("died_past_the_hold", (200, "unfinished")),
        ("error", (500, "complete")),
    ],
)
def test_the_front_passes_an_answer_on_or_says_it_did_not_finish(
    scenario: str, expected: tuple[int, str]
) -> None:
    """Against a stand-in for the Oxigraph server that sends scripted answers: a whole one
    byte for byte; a query its timeout stopped, or a server that died (--max-memory), as an
    error while nothing was sent, else as an answer without its last chunk (a reviewer's
    stand-in: the server's death within the first MiB gave the client no answer at all)."""
    import http.client
    import threading

    from nualod.serve.website import CANCELLED, PROXY_HOLD, Website, open_front

    big = bytes(65 + i % 26 for i in range(PROXY_HOLD))
    head = b"HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n"
    scripts = {
        "whole": (head, _chunked(b"x\r\n", big, big[:1000]), True),
        "cancelled_within_the_hold": (head, _chunked(b"x\r\n", CANCELLED[:9], CANCELLED[9:]), True),
        "cancelled_past_the_hold": (head, _chunked(big, b"1\r\n", CANCELLED), True),
        "died_within_the_hold": (head, _chunked(b"x\r\n1\r\n"), False),
        "died_past_the_hold": (head, _chunked(big, big[:1000]), False),
        "error": (head.replace(b"200 OK", b"500 Internal Server Error"), _chunked(b"oops"), True),
    }
    answer_head, body, finished = scripts[scenario]
    upstream = socket.socket()
    upstream.bind(("127.0.0.1", 0))
    upstream.listen(4)

    def serve_one() -> None:
        connection, _ = upstream.accept()
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65536)
            # The whole request, its body too (the front posts every query as a form):
            # a socket closed with bytes unread sends a reset, not the answer.
            head, _, got = request.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            while length and len(got) < int(length[1]):
                got += connection.recv(65536)
            connection.sendall(answer_head + body + (b"0\r\n\r\n" if finished else b""))

    threading.Thread(target=serve_one, daemon=True).start()
    front = open_front("127.0.0.1", 0, Website(None, "http://127.0.0.1:1/", upstream.getsockname()))
    threading.Thread(target=front.serve_forever, daemon=True).start()
    client = http.client.HTTPConnection("127.0.0.1", front.server_address[1], timeout=30)
    try:
        client.request("GET", "/query?query=ASK%7B%7D")
        response = client.getresponse()
        try:
            received, outcome = response.read(), "complete"
        except http.client.IncompleteRead:
            received, outcome = b"", "unfinished"
        assert (response.status, outcome) == expected
        if scenario == "whole":
            assert received == b"x\r\n" + big + big[:1000]
        if scenario == "died_within_the_hold":
            assert received.startswith(b"The SPARQL server did not answer: ")
        assert CANCELLED not in received
    finally:
        client.close()
        front.shutdown()
        front.server_close()
        upstream.close()
