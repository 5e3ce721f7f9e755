"""Print the JSON-LD items a search-engine style extractor (extruct) finds in an HTML page.

Run with the portal venv's python (see README.md in this folder)::

    .venv-portals/bin/python tests/portals/extruct_dataset.py FILE.html

Prints a JSON list (sorted keys) of the items from every
``<script type="application/ld+json">`` block, as extruct returns them (syntax
``json-ld`` only, ``errors="strict"``).  extruct itself never fetches anything, but network
access is refused anyway.  A block that is not valid JSON makes extruct fail for the whole
page, as it does for crawlers built on it: this script then exits 1 with the error.

Only the standard library is imported at module level, so this file can be imported
(e.g. by pytest's doctest collection) in an environment without extruct.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any


def _refuse_network() -> None:
    def _blocked(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("network access is disabled in extruct_dataset.py")

    socket.socket.connect = _blocked  # type: ignore[method-assign]
    socket.create_connection = _blocked
    socket.getaddrinfo = _blocked


def extract_jsonld(html: bytes, base_url: str | None = None) -> list[dict[str, Any]]:
    """Return the JSON-LD items extruct finds in ``html``."""
    import extruct  # imported here: needs the portal venv

    found = extruct.extract(html, base_url=base_url, syntaxes=["json-ld"], errors="strict")
    items: list[dict[str, Any]] = found.get("json-ld", [])
    return items


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: extruct_dataset.py FILE.html", file=sys.stderr)
        return 2
    _refuse_network()
    html = Path(args[0]).read_bytes()
    try:
        items = extract_jsonld(html)
    except Exception as exc:
        print(f"extruct_dataset: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    json.dump(items, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
