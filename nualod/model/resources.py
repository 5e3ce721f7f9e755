"""Read the data files shipped inside the package (vocabulary, shapes, reference tables)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def resource(relative: str) -> Traversable:
    """Return a shipped file, named relative to the package ("vocab/context.jsonld").

    >>> resource("data/regions.csv").name
    'regions.csv'
    >>> resource("../setup.py")
    Traceback (most recent call last):
    ...
    ValueError: not a package resource: '../setup.py'
    """
    parts = [p for p in relative.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or relative.startswith("/"):
        raise ValueError(f"not a package resource: {relative!r}")
    node: Traversable = files("nualod")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_bytes(relative: str) -> bytes:
    """Return the bytes of a shipped file.

    >>> resource_bytes("vocab/sdg.ttl").startswith(b"# SDG goals")
    True
    """
    return resource(relative).read_bytes()


@cache
def resource_text(relative: str) -> str:
    """Return the text of a shipped file, read once as UTF-8.

    >>> resource_text("vocab/context.jsonld").startswith("{")
    True
    """
    return resource(relative).read_text(encoding="utf-8")


@cache
def resource_json(relative: str) -> Any:
    """Return a shipped JSON file, parsed once."""
    return json.loads(resource_text(relative))


def resource_names(folder: str, suffix: str) -> list[str]:
    """Return the names of the shipped files in a folder with a suffix, sorted.

    >>> "context.jsonld" in resource_names("vocab", ".jsonld")
    True
    """
    return sorted(
        item.name
        for item in resource(folder).iterdir()
        if item.is_file() and item.name.endswith(suffix)
    )
