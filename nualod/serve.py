"""Serve a published store as a read-only SPARQL 1.1 endpoint with the Oxigraph server.

``nualod serve OUT --port 7878`` runs ``oxigraph serve-read-only --location OUT/store
--bind 127.0.0.1:7878 --union-default-graph``; queries go to ``/query``, e.g.::

    curl -H 'Accept: application/sparql-results+json' \\
         --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' \\
         http://127.0.0.1:7878/query

Updates are refused (the server is read-only). The default graph is the union of the
named graphs, as with ``nualod query``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nualod.errors import StoreError
from nualod.store import open_store, store_dir_of


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


def serve_command(path: Path, host: str = "127.0.0.1", port: int = 7878) -> list[str]:
    """Return the command line that serves a publish folder's store read-only."""
    store = store_dir_of(path)
    open_store(store)  # a clear error now rather than the server's later
    return [
        find_oxigraph(),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]


def endpoint_url(host: str, port: int) -> str:
    """Return the SPARQL query URL of a served store.

    >>> endpoint_url("127.0.0.1", 7878)
    'http://127.0.0.1:7878/query'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/query"


def serve(path: Path, host: str = "127.0.0.1", port: int = 7878) -> int:
    """Run the read-only SPARQL server until it stops; return its exit code."""
    command = serve_command(path, host, port)
    with subprocess.Popen(command) as process:
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()
            return 0
