"""``nualod serve``: the site, its data IRIs by Accept, and a read-only SPARQL endpoint.

``nualod serve OUT --port 7878`` listens on 127.0.0.1:7878 and answers, from one address:

- the static site ``OUT/site`` (written by ``nualod site``) and every data IRI's path with
  content negotiation (:mod:`nualod.serve.website`, :mod:`nualod.serve.conneg`);
- SPARQL queries at ``/query`` (and ``/sparql``), e.g.::

    curl -H 'Accept: application/sparql-results+json' \\
         --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \\
         http://127.0.0.1:7878/query

The queries are answered by the Oxigraph server, run as a child process with
``oxigraph serve-read-only --location OUT/store --union-default-graph`` on a private
loopback port; the front passes queries on to it. Updates are refused (the store is
read-only; push to a writable store instead, see the README). The default graph is the
union of the named graphs, as with ``nualod query``; the server ignores a query's ``FROM``
and ``FROM NAMED`` then, so the front passes them on as the protocol's
``default-graph-uri`` and ``named-graph-uri`` (which the server applies).

The Oxigraph server runs federated queries itself: a ``SERVICE <url>`` clause makes it send
an HTTP request to any URL, local addresses included. The front refuses such queries
before they reach it (:func:`nualod.serve.sparql.check_no_service`), and ``serve`` listens
on a loopback address only unless ``allow_public`` (``--allow-public``) says otherwise.

Stopping: Ctrl-C or SIGTERM stops the front and then the child; the child is also asked to
stop by the kernel if ``nualod serve`` dies without cleaning up (Linux ``PR_SET_PDEATHSIG``).
A port already in use is one line naming it (:class:`UsageError`, exit 2).
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import IO, Final, NamedTuple

from nualod.errors import StoreError, UsageError
from nualod.files.current import release_folder
from nualod.releases.layout import hold_release
from nualod.serve.sparql import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    die_with_parent,
    resident_memory,
)
from nualod.serve.website import FrontServer, Website, open_front
from nualod.site.paths import base_parts
from nualod.write.store import open_store, store_dir_of

SERVICE_WARNING = (
    "warning: the Oxigraph server executes federated SERVICE queries; nualod refuses them "
    "before they reach it, but anyone who can reach its own port could still send them"
)
#: How long the Oxigraph server may take to open the store and answer.
CHILD_START_TIMEOUT: Final = 120.0
CHILD_STOP_TIMEOUT: Final = 10.0
#: Seconds a query may run in the Oxigraph server (``nualod serve --timeout``).
QUERY_TIMEOUT: Final = int(DEFAULT_TIMEOUT)
#: How often the Oxigraph server's memory is looked at. Its own timeout does not stop a
#: query that sorts a growing result (measured: a cartesian product with ORDER BY ran on
#: past 1 GB and 3 minutes under ``--timeout-s 3``), so the server is restarted instead
#: when its resident memory passes ``max_memory``.
MEMORY_POLL: Final = 0.2


def is_loopback(host: str) -> bool:
    """Return whether a listening address is a loopback one (``localhost``, 127.0.0.0/8, ::1).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_public: bool = False) -> None:
    """Refuse a non-loopback listening address unless ``allow_public`` is given."""
    if not allow_public and not is_loopback(host):
        raise UsageError(
            f"--host {host} is not a loopback address; the Oxigraph server executes federated "
            "SERVICE queries, so a public endpoint lets anyone make this machine send "
            "requests: pass --allow-public to serve it anyway"
        )


def find_oxigraph() -> str:
    """Return the path of the ``oxigraph`` server binary: next to Python, else on PATH."""
    names = ("oxigraph.exe", "oxigraph") if os.name == "nt" else ("oxigraph",)
    for name in names:
        candidate = Path(sys.executable).parent / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the oxigraph server is not installed (pip install oxigraph)")


def serve_command(
    path: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    allow_public: bool = False,
    timeout: int = QUERY_TIMEOUT,
) -> list[str]:
    """Return the command line that serves a publish folder's store read-only, each query
    stopped after ``timeout`` seconds."""
    check_host(host, allow_public)
    # The store of one release, by its real path: a publish switching OUT/current later must
    # not change the files under a running server (see nualod.releases.layout).
    store = store_dir_of(release_folder(path))
    open_store(store)  # a clear error now rather than the server's later
    return [
        find_oxigraph(),
        "serve-read-only",
        "--timeout-s",
        str(timeout),
        "--location",
        str(store),
        "--bind",
        f"[{host.strip('[]')}]:{port}" if ":" in host else f"{host}:{port}",
        "--union-default-graph",
    ]


def endpoint_url(host: str, port: int) -> str:
    """Return the SPARQL query URL of a served store.

    >>> endpoint_url("127.0.0.1", 7878)
    'http://127.0.0.1:7878/query'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/query"


def local_base_url(host: str, port: int) -> str:
    """Return the base URL of the site as served here.

    >>> local_base_url("127.0.0.1", 7878), local_base_url("::1", 80)
    ('http://127.0.0.1:7878/', 'http://[::1]:80/')
    """
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Upstream(NamedTuple):
    """Where the Oxigraph child listens: a loopback address and port of its own."""

    host: str
    port: int


def private_upstream() -> Upstream:
    """Return a loopback address and port that nothing listens on, for the Oxigraph child.

    The child answers any query sent to it, ``SERVICE`` included (it then fetches any URL),
    and checks no ``Host``: a page in a browser on this machine could reach it by guessing
    its port (a blind POST), or read from it through DNS rebinding. Where the system routes
    all of ``127.0.0.0/8`` to itself (Linux), a random address there leaves a port scan
    2^24 addresses to guess as well; elsewhere it is ``127.0.0.1``.
    """
    for host in (str(ipaddress.IPv4Address(0x7F000002 + secrets.randbelow(0xFFFFFC))), "127.0.0.1"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, 0))
            except OSError:
                continue
            port: int = probe.getsockname()[1]
            return Upstream(host, port)
    raise StoreError("no loopback address to run the oxigraph server on")


def _child_answers(upstream: Upstream) -> bool:
    connection = http.client.HTTPConnection(upstream.host, upstream.port, timeout=2.0)
    try:
        connection.request("GET", "/query?query=ASK%7B%7D")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _last_line(log: IO[bytes]) -> str:
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
    return next((line for line in reversed(lines) if line), "no message")


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(CHILD_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


STOP_SIGNALS: Final = (signal.SIGTERM, signal.SIGINT)


def open_listener(host: str, port: int, website: Website) -> FrontServer:
    """Bind the front server, or raise :class:`UsageError` naming the port."""
    try:
        return open_front(host, port, website)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is already in use; stop what listens there or "
                "choose another with --port"
            ) from None
        reason = error.strerror or str(error)
        raise UsageError(f"cannot listen on {host} port {port}: {reason}") from None


def serve(
    path: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    allow_public: bool = False,
    base_url: str | None = None,
    on_ready: Callable[[str], None] | None = None,
    query_timeout: int = QUERY_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
    restore_signals: bool = True,
) -> int:
    """Serve a publish folder's site and SPARQL endpoint until stopped; return an exit code.

    SIGTERM and Ctrl-C shut the front down (nothing is raised into the running code), and
    once the Oxigraph server is being stopped both are ignored: a second one (``timeout``
    signals the process and then its group; Ctrl-C pressed twice) changes nothing. Their
    handlers are set back on return, unless ``restore_signals`` is false (the command line,
    whose process then ends).

    0 when stopped by Ctrl-C or SIGTERM; the Oxigraph server's exit code if it stopped on
    its own. ``on_ready`` is called with the base URL once both are up. A query is stopped
    after ``query_timeout`` seconds; when one takes the Oxigraph server past ``max_memory``
    bytes, the server is killed (its running queries fail) and started again, as it is when
    a query makes it crash.
    """
    check_host(host, allow_public)
    site = path / "site"
    base = base_parts(base_url or local_base_url(host, port))[0]
    upstream = private_upstream()
    held = release_folder(path)  # the release served until restarted, kept while served
    command = serve_command(
        held, upstream.host, upstream.port, timeout=query_timeout
    )  # checks the store
    # Looked up on each request: a site built (or rebuilt) while serving is served at once.
    website = Website(site, base, upstream)
    front = open_listener(host, port, website)
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    stopped = threading.Event()
    stopping = threading.Event()
    watcher: threading.Thread | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        # Asked to stop: the front is shut down from another thread (its own would wait for
        # itself), and nothing is raised here. An exception raised wherever the main thread
        # happens to be can leave a lock held (Popen's, polling the child), and the stop
        # then waits for it for ever.
        if not stopped.is_set():
            stopped.set()
            threading.Thread(target=front.shutdown, daemon=True).start()

    for number in STOP_SIGNALS:
        signal.signal(number, stop)
    try:
        with front, hold_release(held), tempfile.TemporaryFile() as log:
            running = [_start_child(command, log)]  # the last one is the one running
            try:
                _wait_until_answering(running[-1], upstream, log, stopped)
                if stopped.is_set():
                    return 0
                watcher = threading.Thread(
                    target=_watch,
                    args=(
                        running,
                        front,
                        lambda: _restart(command, log, upstream),
                        max_memory,
                        stopping,
                    ),
                    daemon=True,
                )
                watcher.start()
                if on_ready is not None:
                    on_ready(base)
                front.serve_forever(poll_interval=0.2)
                return 0 if stopped.is_set() else running[-1].poll() or 0
            finally:
                for number in STOP_SIGNALS:
                    signal.signal(number, signal.SIG_IGN)
                # The watcher sees the server stop below as a crash: it stops first, so that
                # no server it would start again outlives this one.
                stopping.set()
                if watcher is not None:
                    watcher.join()
                _stop_child(running[-1])
    finally:
        if restore_signals:
            for number, handler in previous.items():
                if handler is not None:  # None: not set from Python, nothing to set back
                    signal.signal(number, handler)


def _start_child(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        # safe: no thread of ours touches what fork copies
        preexec_fn=partial(die_with_parent, signal.SIGTERM),
    )


def _wait_until_answering(
    child: subprocess.Popen[bytes],
    upstream: Upstream,
    log: IO[bytes],
    stopped: threading.Event | None = None,
) -> None:
    deadline = time.monotonic() + CHILD_START_TIMEOUT
    while not _child_answers(upstream) and not (stopped is not None and stopped.is_set()):
        if child.poll() is not None:
            raise StoreError(f"the oxigraph server did not start: {_last_line(log)}")
        if time.monotonic() > deadline:
            raise StoreError("the oxigraph server did not answer in time")
        time.sleep(0.1)


def _restart(
    command: list[str], log: IO[bytes], upstream: Upstream
) -> subprocess.Popen[bytes] | None:
    """Start the Oxigraph server again; None if it does not answer."""
    child = _start_child(command, log)
    try:
        _wait_until_answering(child, upstream, log)
    except StoreError:
        _stop_child(child)
        return None
    return child


def _watch(
    running: list[subprocess.Popen[bytes]],
    front: FrontServer,
    restart: Callable[[], subprocess.Popen[bytes] | None],
    max_memory: int,
    stopping: threading.Event,
) -> None:
    """Restart the Oxigraph server when a query takes it past ``max_memory`` bytes (see
    :data:`MEMORY_POLL`) or makes it crash (killed by a signal: a query nested thousands
    deep overflows its stack); stop the front when it ends on its own (an exit code) or
    cannot be started again. Nothing is restarted once ``stopping`` is set."""
    while not stopping.is_set():
        child = running[-1]
        try:
            child.wait(timeout=MEMORY_POLL)
        except subprocess.TimeoutExpired:
            if resident_memory(child.pid) <= max_memory:
                continue
            child.kill()
            child.wait()
        else:
            if stopping.is_set() or child.returncode >= 0:
                break
        replacement = restart()
        if replacement is None:
            break
        running.append(replacement)
    if not stopping.is_set():
        front.shutdown()
