"""A local NUF-like web server for harvest tests: real HTTP on 127.0.0.1, no internet.

Import the fixture into a test module: ``from http_fixtures import nuf_server``.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast

import pytest

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{name}</title></head>
<body><h1>Tema 10 · Indikator 47</h1><p>Kota Pekalongan, Kota Batik — {name}</p></body></html>
"""
LAST_MODIFIED = "Thu, 18 Dec 2025 08:00:00 GMT"
BOMB_MEMBER = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)  # ~8 KB -> 8 MiB
BOMB_MEMBERS = 4000  # ~32 MB compressed, 32 GiB decompressed: never sent in full


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    at: float


@dataclass
class NufServer:
    """State of the test server: pages to serve, and a log of what was asked and sent."""

    base: str = ""
    robots: str | None = "User-agent: *\nDisallow: /private\n"
    pages: dict[str, bytes] = field(default_factory=dict)
    #: Paths answered with a 302 to the URL given.
    redirects: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on this server."""
        return self.base + path

    def page(self, name: str, text: str | None = None) -> str:
        """Serve an HTML page at ``/p/<name>`` and return its URL."""
        self.pages[name] = (text or PAGE.format(name=name)).encode("utf-8")
        return self.url(f"/p/{name}")

    def requests_for(self, path: str) -> list[Hit]:
        """Return the requests received for a path (without query)."""
        with self.lock:
            return [h for h in self.hits if h.path.split("?", 1)[0] == path]

    def count(self, key: str) -> int:
        """Increment and return a per-route counter."""
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # idle keep-alive connections end, so server_close can join threads

    @property
    def nuf(self) -> NufServer:
        return cast(_Server, self.server).nuf

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def _send(
        self,
        status: int,
        body: bytes = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _stream(self, path: str, chunk: bytes, times: int, headers: dict[str, str]) -> None:
        """Send ``chunk`` up to ``times`` times with no Content-Length, counting bytes sent."""
        self.close_connection = True
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        sent = 0
        try:
            for _ in range(times):
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client hung up: that is the point
            pass
        finally:
            with self.nuf.lock:
                self.nuf.sent[path] = sent

    def do_GET(self) -> None:
        """Answer one request from the route table."""
        nuf = self.nuf
        path = self.path.split("?", 1)[0]
        with nuf.lock:
            nuf.hits.append(Hit(self.path, dict(self.headers.items()), time.monotonic()))
        if path == "/robots.txt":
            if nuf.robots is None:
                self._send(404, b"no robots", content_type="text/plain")
            else:
                self._send(200, nuf.robots.encode(), content_type="text/plain")
        elif path in nuf.redirects:
            self._send(302, headers={"Location": nuf.redirects[path]})
        elif path.startswith("/p/") and path[3:] in nuf.pages:
            body = nuf.pages[path[3:]]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers=headers)
            else:
                self._send(200, body, headers=headers)
        elif path.startswith("/plain/") and path[7:] in nuf.pages:
            # The same pages with no validators (no ETag, no Last-Modified): sent in full.
            self._send(200, nuf.pages[path[7:]])
        elif path == "/text":
            self._send(200, b"Tema 10\nIndikator 47\n", content_type="text/plain; charset=utf-8")
        elif path == "/brotli":
            self._send(200, b"\x1b\x03\x00\xf8", headers={"Content-Encoding": "br"})
        elif path == "/untyped":
            # No Content-Type at all, as some servers send a text file.
            self.send_response(200)
            body = nuf.pages.get("untyped", b"10. Praktik baik")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/cp1252":
            self._send(
                200,
                nuf.pages.get("cp1252", b"Kota \x93Batik\x94"),
                content_type="text/plain; charset=windows-1252",
            )
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", content_type="application/pdf")
        elif path == "/missing":
            self._send(404, b"not found")
        elif path == "/gone":
            self._send(410, b"gone")
        elif path == "/vanishing":  # a page the site withdraws after its first harvest
            if self.nuf.count(path) == 1:
                self._send(200, PAGE.format(name="vanishing").encode())
            else:
                self._send(410, b"gone")
        elif path == "/flaky":
            if self.nuf.count(path) <= 2:
                self._send(500, b"oops")
            else:
                self._send(200, PAGE.format(name="flaky").encode())
        elif path == "/broken":
            self._send(503, b"down")
        elif path == "/busy":
            if self.nuf.count(path) == 1:
                self._send(429, b"slow down", headers={"Retry-After": "1"})
            else:
                self._send(200, PAGE.format(name="busy").encode())
        elif path == "/busy-long":
            self._send(429, b"come back tomorrow", headers={"Retry-After": "86400"})
        elif path == "/slow":
            nuf.release.wait(5)
            self._send(200, PAGE.format(name="slow").encode())
        elif path == "/redirect":
            self._send(302, headers={"Location": "/p/target"})
        elif path == "/to-metadata":
            self._send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path == "/to-private":
            self._send(302, headers={"Location": "/private/secret"})
        elif path.startswith("/chain/"):
            hops = int(path.rsplit("/", 1)[1])
            location = f"/chain/{hops - 1}" if hops > 0 else "/p/target"
            self._send(301, headers={"Location": location})
        elif path in ("/loop", "/loop2"):
            self._send(302, headers={"Location": "/loop2" if path == "/loop" else "/loop"})
        elif path == "/big":
            self._stream(path, b"x" * 16384, 64, {"Content-Length": str(16384 * 64)})
        elif path == "/big-stream":
            self._stream(path, b"x" * 16384, 4096, {"Content-Type": "text/html"})
        elif path == "/bomb":
            headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
            self._stream(path, BOMB_MEMBER, BOMB_MEMBERS, headers)
        elif path == "/truncated":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<html>" + b"x" * 494)
        elif "passwd" in path or "etc" in path:
            self._send(200, b"root:x:0:0:root:/root:/bin/sh\n", content_type="text/plain")
        elif path.startswith("/private"):
            self._send(200, b"secret")
        else:
            self._send(404, b"not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close joins handler threads: nothing outlives a test
    block_on_close = True

    def __init__(self, nuf: NufServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.nuf = nuf

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that hang up; keep any other handler error for the fixture."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            self.nuf.errors.append(repr(error))


@pytest.fixture
def nuf_server() -> Iterator[NufServer]:
    """Run a NUF-like web server on 127.0.0.1 for one test."""
    nuf = NufServer()
    server = _Server(nuf)
    host, port = server.server_address[:2]
    nuf.base = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield nuf
    finally:
        nuf.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
    assert nuf.errors == [], "the test server failed"
