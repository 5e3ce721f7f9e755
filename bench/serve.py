"""Measure how long ``nualod serve``'s front takes to answer a small file, on one kept-alive
connection (as a browser asks for a page's files) and on a new connection each time.

    python bench/serve.py                                   # this tree's front
    PYTHONPATH=/path/to/other/tree python bench/serve.py    # another commit's, to compare
"""

from __future__ import annotations

import argparse
import http.client
import tempfile
import threading
import time
from pathlib import Path

REQUESTS = 300


def measure(requests: int = REQUESTS) -> dict[str, float]:
    """Return the mean µs a request of ``/index.html`` takes, kept alive and not."""
    from nualod.serve.website import Website, open_front

    with tempfile.TemporaryDirectory(prefix="nualod-serve-bench-") as folder:
        (Path(folder) / "index.html").write_text("<p>home</p>", encoding="utf-8")
        server = open_front("127.0.0.1", 0, Website(Path(folder), "http://127.0.0.1:1/", None))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = int(server.server_address[1])
        figures = {}
        try:
            for name, kept in (("kept_alive_us", True), ("new_connection_us", False)):
                connection = http.client.HTTPConnection("127.0.0.1", port)
                start = time.perf_counter()
                for _ in range(requests):
                    if not kept:
                        connection = http.client.HTTPConnection("127.0.0.1", port)
                    connection.request("GET", "/index.html")
                    connection.getresponse().read()
                    if not kept:
                        connection.close()
                figures[name] = (time.perf_counter() - start) / requests * 1e6
                connection.close()
        finally:
            server.shutdown()
            server.server_close()
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests of each kind")
    found = measure(parser.parse_args().requests)
    print(
        f"kept alive: {found['kept_alive_us']:.0f} µs a request; "
        f"a new connection each: {found['new_connection_us']:.0f} µs"
    )
