"""`nualod harvest` against a server that sends one byte at a time (issue #18 case 10): each
wait for a byte is shorter than --timeout, yet the URL is rejected within about twice it."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROBOTS = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
PAGE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"


class DrippingServer:
    """Answers robots.txt at once; drips the page (headers or body) a byte every 0.2 s."""

    def __init__(self, drip_headers: bool) -> None:
        self.drip_headers = drip_headers
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            threading.Thread(target=self._answer, args=(client,), daemon=True).start()

    def _answer(self, client: socket.socket) -> None:
        with client:
            request = client.recv(65536)
            try:
                if b"/robots.txt" in request.split(b"\r\n", 1)[0]:
                    client.sendall(ROBOTS)
                    return
                if not self.drip_headers:
                    client.sendall(PAGE_HEAD)
                while not self._stop.is_set():
                    client.sendall(b"H" if self.drip_headers else b"x")
                    time.sleep(0.2)
            except OSError:  # the client gave up: what the test wants
                return

    def close(self) -> None:
        self._stop.set()
        self.server.close()


@pytest.fixture(params=[False, True], ids=["body", "headers"])
def dripping(request: pytest.FixtureRequest) -> Iterator[DrippingServer]:
    server = DrippingServer(drip_headers=request.param)
    yield server
    server.close()


def test_a_server_sending_a_byte_at_a_time_is_rejected_within_twice_the_timeout(
    dripping: DrippingServer, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{dripping.port}/page"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "nualod", "harvest", url, "--into", str(tmp_path / "pages"),
         "--timeout", "1", "--retries", "0", "--delay", "0"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"rejected: {url}: the answer took more than 2 s in all (twice the 1 s read timeout)\n"
    )
    assert elapsed < 20  # 2 s and the start of Python; the drip alone would take hours
    assert not [p for p in (tmp_path / "pages").rglob("*") if p.is_file() and "page" in p.name]


def test_what_a_server_says_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """The reason phrase of an answer was printed as it came: ESC [2J cleared the screen,
    ESC ]0; set the terminal's title, and the text after them could fake any message."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from click.testing import CliRunner

    from nualod.cli import main

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self.send_response(404)
            else:
                self.send_response(404, "Not Found\x1b]0;pwned\x07\x1b[2J\rsaved 1 page(s)")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/p"
    try:
        result = CliRunner().invoke(
            main,
            ["harvest", url, "--into", str(tmp_path), "--delay", "0", "--retries", "0"],
            color=True,  # as on a terminal: nothing stripped
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.output == (
        f"rejected: {url}: HTTP 404 Not Found\\x1b]0;pwned\\x07\\x1b[2J\\x0dsaved 1 page(s)\n"
        f"saved 0 page(s) in {tmp_path}\n"
    )
