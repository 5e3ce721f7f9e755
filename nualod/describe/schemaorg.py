"""Describe the dataset for search engines: a schema.org ``Dataset`` and an HTML page.

:func:`dataset_document` builds one JSON-LD tree rooted at the dataset (Google Dataset
Search's required and recommended properties); :func:`index_html` embeds it in a single
``<script type="application/ld+json">`` block of a human-readable page listing the files.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any, Final

from nualod.describe.catalog import (
    CREATOR_HOMEPAGE,
    INDONESIA,
    KEYWORDS,
    LICENSE,
    LICENSE_NAME,
    RIGHTS_TEXT,
    TITLE,
    Release,
    description_text,
)
from nualod.model.iris import DataIRIs
from nualod.write.formats import DumpFile

DATASET_JSONLD: Final = "dataset.jsonld"
INDEX_HTML: Final = "index.html"
METADATA_FILES: Final = (
    ("catalog.ttl", "DCAT-AP 3 catalog (Turtle)"),
    ("catalog.jsonld", "DCAT-AP 3 catalog (JSON-LD)"),
    ("void.ttl", "VoID description (Turtle)"),
    ("dataset.jsonld", "schema.org Dataset (JSON-LD)"),
)


def dataset_document(iris: DataIRIs, dumps: Sequence[DumpFile], release: Release) -> dict[str, Any]:
    """Return the schema.org ``Dataset`` of the release as one JSON-LD tree (no I/O)."""
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": iris.dataset(),
        "name": TITLE["en"],
        "alternateName": TITLE["id"],
        "description": description_text(release, "en"),
        "url": release.landing_page,
        "identifier": iris.dataset(),
        "keywords": [*KEYWORDS["en"], *KEYWORDS["id"]],
        "license": LICENSE,
        "copyrightNotice": RIGHTS_TEXT,
        "isAccessibleForFree": True,
        "inLanguage": ["id", "en"],
        "creator": {
            "@type": "Organization",
            "@id": f"{iris.base}agent/national-urban-forum",
            "name": "National Urban Forum Indonesia",
            "url": CREATOR_HOMEPAGE,
        },
        "publisher": {
            "@type": "Organization",
            "@id": release.publisher.agent_iri(iris),
            "name": release.publisher.name,
            "url": release.landing_page,
        },
        "spatialCoverage": {
            "@type": "Place",
            "name": "Indonesia",
            "sameAs": list(INDONESIA[1:]),
        },
    }
    if release.start and release.end:
        document["temporalCoverage"] = f"{release.start.isoformat()}/{release.end.isoformat()}"
    if release.issued:
        document["datePublished"] = release.issued.isoformat()
    if release.modified:
        document["dateModified"] = release.modified.isoformat()
    document["distribution"] = [
        {
            "@type": "DataDownload",
            "name": dump.format.title_in("en"),
            "contentUrl": release.url(dump.name),
            "encodingFormat": dump.media_type,
            "contentSize": f"{dump.byte_size} B",
            "sha256": dump.sha256,
        }
        for dump in dumps
    ]
    return document


def dataset_json(document: dict[str, Any]) -> bytes:
    """Return the schema.org document as JSON text."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def script_json(document: dict[str, Any]) -> str:
    """Return JSON safe to embed in a ``<script>`` element (``</`` escaped).

    >>> script_json({"a": "</script>"})
    '{"a": "<\\\\/script>"}'
    """
    return json.dumps(document, ensure_ascii=False).replace("</", "<\\/")


def _breakable(text: str, every: int = 16) -> str:
    """Return ``text`` escaped, where a line may break (``<wbr>``) after each ``/`` and every
    ``every`` characters of a longer run: a checksum or a media type fits a phone's width
    without a style, and copies as it is.

    >>> _breakable("application/ld+json")
    'application/<wbr>ld+json'
    >>> _breakable("0123456789abcdef0123")
    '0123456789abcdef<wbr>0123'
    """
    pieces = []
    for part in re.split(r"(?<=/)", text):
        chunks = [part[at : at + every] for at in range(0, len(part), every)]
        pieces.append("<wbr>".join(html.escape(chunk) for chunk in chunks))
    return "<wbr>".join(pieces)


def index_html(document: dict[str, Any], dumps: Sequence[DumpFile], release: Release) -> str:
    """Return the landing page: the dataset described for people, its JSON-LD embedded once.

    Its content is the page's main landmark (``<main>``), where a screen reader's user can
    go at once. It has no style of its own: its links are as large as the browser makes
    them, which WCAG 2.5.8 (Target Size) allows as targets whose size the user agent sets
    (tests/test_site_accessibility.py checks that it stays so)."""
    e = html.escape
    rows = "\n".join(
        f'      <tr><td><a href="{e(dump.name)}">{e(dump.name)}</a></td>'
        f"<td>{e(dump.format_name)}</td><td>{_breakable(dump.media_type)}</td>"
        f"<td>{dump.byte_size}</td><td><code>{_breakable(dump.sha256)}</code></td></tr>"
        for dump in dumps
    )
    metadata = "\n".join(
        f'      <li><a href="{e(name)}">{e(name)}</a>: {e(label)}</li>'
        for name, label in METADATA_FILES
    )
    period = (
        f"    <p>Practices dated {e(release.start.isoformat())} to {e(release.end.isoformat())}.</p>\n"
        if release.start and release.end
        else ""
    )
    endpoint = (
        f'    <p>SPARQL endpoint: <a href="{e(release.sparql_endpoint)}">'
        f"{e(release.sparql_endpoint)}</a></p>\n"
        if release.sparql_endpoint
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "  <head>\n"
        '    <meta charset="utf-8">\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"    <title>{e(document['name'])}</title>\n"
        '    <script type="application/ld+json">\n'
        f"{script_json(document)}\n"
        "    </script>\n"
        "  </head>\n"
        "  <body>\n"
        "  <main>\n"
        f"    <h1>{e(document['name'])}</h1>\n"
        f'    <p lang="id">{e(document["alternateName"])}</p>\n'
        f"    <p>{e(document['description'])}</p>\n"
        f"{period}"
        f'    <p>Licence: <a href="{e(LICENSE)}">{e(LICENSE_NAME)}</a>. {e(RIGHTS_TEXT)}</p>\n'
        f"{endpoint}"
        "    <h2>Downloads</h2>\n"
        "    <table>\n"
        "      <tr><th>File</th><th>Format</th><th>Media type</th><th>Bytes</th>"
        "<th>SHA-256</th></tr>\n"
        f"{rows}\n"
        "    </table>\n"
        "    <h2>Metadata</h2>\n"
        "    <ul>\n"
        f"{metadata}\n"
        "    </ul>\n"
        "  </main>\n"
        "  </body>\n"
        "</html>\n"
    )
