"""Read a DCAT catalog the way a CKAN portal's DCAT harvester does, offline.

Run with the portal venv's python (see README.md in this folder)::

    .venv-portals/bin/python tests/portals/ckan_read_catalog.py FILE FORMAT [--locale en]

FORMAT is what the harvester hands to rdflib: ``turtle``, ``json-ld`` (or ``ttl``,
``jsonld``, or a media type such as ``text/turtle`` / ``application/ld+json``, which is
what the harvester passes when it takes the format from the HTTP Content-Type).

It runs ckanext-dcat's ``RDFParser`` with the ``euro_dcat_ap_3`` profile in-process, with
no CKAN site, database or Flask app, and prints the CKAN dataset dicts it yields as a JSON
list (sorted keys).  To make the output stable across runs (rdflib's graph order depends
on Python's hash seed), datasets are sorted by their ``uri`` extra, resources by
``uri``/``url``, tags by name and extras by key; nothing else is changed.  Network access
is refused for the whole run (a remote JSON-LD ``@context`` fails as it would offline).

Exit status: 0 on success, 1 when the parser rejects the file or another error occurs.

Only the standard library is imported at module level, so this file can be imported
(e.g. by pytest's doctest collection) in an environment without CKAN.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path
from typing import Any

#: Config a CKAN site would have that the parser reads.  ``ckan.site_url`` is left unset on
#: purpose: when set, it is copied into every dataset's ``homepage`` extra that lacks
#: ``foaf:homepage``, which would only add noise.
CKAN_CONFIG = {
    "ckan.locale_default": "en",
    "ckanext.dcat.normalize_ckan_format": "true",
    "ckanext.dcat.clean_tags": "false",
    "ckanext.dcat.compatibility_mode": "false",
}


def _refuse_network() -> None:
    """Make every outgoing connection fail, so the run is offline even where a network is."""

    def _blocked(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("network access is disabled in ckan_read_catalog.py")

    socket.socket.connect = _blocked  # type: ignore[method-assign]
    socket.socket.connect_ex = _blocked  # type: ignore[method-assign]
    socket.create_connection = _blocked
    socket.getaddrinfo = _blocked


def _extra(dataset: dict[str, Any], key: str) -> str:
    for extra in dataset.get("extras", []):
        if extra.get("key") == key:
            return str(extra.get("value", ""))
    return ""


def _stable(dataset: dict[str, Any]) -> dict[str, Any]:
    dataset["extras"] = sorted(dataset.get("extras", []), key=lambda e: str(e.get("key")))
    dataset["tags"] = sorted(dataset.get("tags", []), key=lambda t: str(t.get("name")))
    dataset["resources"] = sorted(
        dataset.get("resources", []),
        key=lambda r: (str(r.get("uri", "")), str(r.get("url", ""))),
    )
    return dataset


def read_catalog(data: str, rdf_format: str, locale: str = "en") -> list[dict[str, Any]]:
    """Parse ``data`` with ckanext-dcat's RDFParser (euro_dcat_ap_3), return dataset dicts."""
    from ckan.common import config  # imported here: needs the portal venv

    config.update(CKAN_CONFIG)
    config["ckan.locale_default"] = locale

    from ckanext.dcat.processors import RDFParser

    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    parser.parse(data, _format=rdf_format)
    datasets = [_stable(d) for d in parser.datasets()]
    return sorted(datasets, key=lambda d: _extra(d, "uri"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("format", help="turtle, json-ld, or a media type")
    ap.add_argument("--locale", default="en", help="ckan.locale_default (default: en)")
    args = ap.parse_args(argv)

    _refuse_network()
    data = args.file.read_text(encoding="utf-8")
    try:
        datasets = read_catalog(data, args.format, args.locale)
    except Exception as exc:
        print(f"ckan_read_catalog: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    json.dump(datasets, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
