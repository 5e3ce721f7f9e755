"""Test helpers: a real Oxigraph server on 127.0.0.1, and a proxy that drops uploads midway."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

import requests

from nualod.serve.server import find_oxigraph


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Wait until an HTTP server answers at ``url``; fail if its process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with requests.get(url, timeout=1.0):
                return
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not come up")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session (and its children), then reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


class Server:
    """A process serving HTTP on 127.0.0.1, started in its own session and stopped on exit."""

    def __init__(self, command: Sequence[str], port: int, stderr: IO[bytes] | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            list(command),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if stderr is None else stderr,
            start_new_session=True,
        )
        try:
            wait_until_up(self.url + "/query?query=ASK%7B%7D", self.process)
        except BaseException:
            stop(self.process)
            raise

    def stop(self) -> None:
        """Stop the server."""
        stop(self.process)

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def oxigraph_server(location: Path) -> Server:
    """Start a read-write Oxigraph server on a free port with its data in ``location``."""
    port = free_port()
    command = [find_oxigraph(), "serve", "--location", str(location)]
    return Server([*command, "--bind", f"127.0.0.1:{port}"], port)


def sparql_select(endpoint: str, query: str) -> list[dict[str, str]]:
    """Return the bindings of a SELECT query over HTTP, each as {variable: value}."""
    with requests.post(
        endpoint + "/query",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ) as response:
        response.raise_for_status()
        rows = response.json()["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in rows]


class DroppingProxy:
    """Forward TCP connections to ``upstream`` but cut each after ``limit`` bytes from the client.

    This is what a server dying in the middle of an upload looks like to the client.
    """

    def __init__(self, upstream_port: int, limit: int) -> None:
        self.upstream_port = upstream_port
        self.limit = limit
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self.port: int = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.cut = 0
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._relay, args=(client,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _relay(self, client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            client.settimeout(5)
            sent = 0
            while sent < self.limit:
                try:
                    chunk = client.recv(min(65536, self.limit - sent))
                except OSError:
                    break
                if not chunk:
                    break
                upstream.sendall(chunk)
                sent += len(chunk)
            self.cut += 1
            # Reset rather than close politely: the peer sees the connection die.
            client.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )

    def close(self) -> None:
        """Stop accepting and wait for the relays to end."""
        self._stopping.set()
        self._acceptor.join()
        self.listener.close()
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> DroppingProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """Yield a started server and stop it afterwards."""
    try:
        yield server
    finally:
        server.stop()
