"""Take the README's screenshots of the site of the bundled examples.

    python tools/screenshots.py           # writes docs/site-home.png, site-home-390.png, site-practice.png

Publishes ``examples/pages`` into a temporary folder, builds its site, serves it on
127.0.0.1 and photographs it with Debian's Chromium through Playwright (what
``tests/test_site_browser.py`` uses). Nothing leaves the machine: any request to another
host is refused.
"""

from __future__ import annotations

import argparse
import http.server
import socket
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from nualod.run.publish import publish
from nualod.site.build import build_site
from nualod.site.paths import site_path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: The practice of the real NUF page among the examples (Kota Pekalongan, theme 10).
PRACTICE = "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de"
#: (file under docs/, page of the site, viewport width, height)
SHOTS = (
    ("site-home.png", "index.html", 1280, 860),
    ("site-home-390.png", "index.html", 390, 844),
    ("site-practice.png", f"{site_path(PRACTICE)}.html", 1280, 860),
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Say nothing of each request."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        description="Write the README's screenshots (docs/*.png) of the examples' site."
    ).parse_args(argv)
    from playwright.sync_api import Request, Route, sync_playwright

    with tempfile.TemporaryDirectory(prefix="nualod-shots-") as folder:
        out = Path(folder) / "out"
        publish([ROOT / "examples" / "pages"], out)
        build_site(out)
        handler = partial(_QuietHandler, directory=str(out / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"

        def local_only(route: Route, request: Request) -> None:
            if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith("data:"):
                route.continue_()
            else:
                route.abort()

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                for name, path, width, height in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.route("**/*", local_only)
                    response = page.goto(base + path)
                    if response is None or response.status != 200:
                        print(f"error: {path}: not found in the site", file=sys.stderr)
                        return 1
                    page.screenshot(path=str(ROOT / "docs" / name))
                    print(f"docs/{name}")
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
