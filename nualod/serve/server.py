"""Serve a published store as a read-only SPARQL 1.1 endpoint with the Oxigraph server.

``nualod serve OUT --port 7878`` runs ``oxigraph serve-read-only --location OUT/store
--bind 127.0.0.1:7878 --union-default-graph``; queries go to ``/query``, e.g.::

    curl -H 'Accept: application/sparql-results+json' \\
         --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \\
         http://127.0.0.1:7878/query

Updates are refused (the server is read-only). The default graph is the union of the
named graphs, as with ``nualod query``.

The Oxigraph server runs federated queries itself: a ``SERVICE <url>`` clause makes it send
an HTTP request to any URL, local addresses included, and it has no switch to turn that
off. So whoever can reach the endpoint can make this machine send requests. ``serve``
therefore listens on a loopback address only, unless ``allow_public`` (``--allow-public``)
says otherwise; put a proxy that refuses ``SERVICE`` in front of a public endpoint.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nualod.errors import StoreError, UsageError
from nualod.write.store import open_store, store_dir_of

SERVICE_WARNING = (
    "warning: the Oxigraph server executes federated SERVICE queries, so anyone who can "
    "reach it can make this machine send HTTP requests"
)


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
    path: Path, host: str = "127.0.0.1", port: int = 7878, *, allow_public: bool = False
) -> list[str]:
    """Return the command line that serves a publish folder's store read-only."""
    check_host(host, allow_public)
    store = store_dir_of(path)
    open_store(store)  # a clear error now rather than the server's later
    return [
        find_oxigraph(),
        "serve-read-only",
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


def serve(
    path: Path, host: str = "127.0.0.1", port: int = 7878, *, allow_public: bool = False
) -> int:
    """Run the read-only SPARQL server until it stops; return its exit code."""
    command = serve_command(path, host, port, allow_public=allow_public)
    with subprocess.Popen(command) as process:
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()
            return 0
