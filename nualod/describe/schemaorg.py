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
    RIGHTS_TEXT,
    TITLE,
    Release,
    description_text,
)
from nualod.model.iris import DataIRIs
from nualod.model.licence import CREATOR_NAME, LICENSE, LICENSE_NAME
from nualod.model.writing import spaced
from nualod.write.formats import DumpFile

DATASET_JSONLD: Final = "dataset.jsonld"
INDEX_HTML: Final = "index.html"
#: The release's descriptions, each named in Indonesian and in English.
METADATA_FILES: Final = (
    ("catalog.ttl", "Katalog DCAT-AP 3 (Turtle)", "DCAT-AP 3 catalog (Turtle)"),
    ("catalog.jsonld", "Katalog DCAT-AP 3 (JSON-LD)", "DCAT-AP 3 catalog (JSON-LD)"),
    ("void.ttl", "Deskripsi VoID (Turtle)", "VoID description (Turtle)"),
    ("dataset.jsonld", "Dataset schema.org (JSON-LD)", "schema.org Dataset (JSON-LD)"),
)
#: The landing page's own style, in the page: a release folder is served as it is, without
#: the website's assets. Text and links keep the browser's size; the table's rows and the
#: lists' items are spaced so that every link is a target of at least 24 px (WCAG 2.5.8).
LANDING_STYLE: Final = """\
      body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             line-height: 1.55; color: #1d2433; background: #fbfbfd; }
      main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
      h1 { font-size: 1.7rem; line-height: 1.25; margin: 1rem 0 .2rem; }
      h2 { font-size: 1.2rem; margin: 1.8rem 0 .5rem; }
      .en { color: #545f72; }
      p.en { margin-top: 0; }
      a { color: #0b5cad; }
      a, p, td { overflow-wrap: break-word; }
      a:focus-visible, .scroll:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
      th .en, td .en { display: block; font-weight: normal; }
      table { border-collapse: collapse; width: 100%; font-size: .92rem; }
      th, td { text-align: left; vertical-align: top; padding: .45rem .5rem;
               border-bottom: 1px solid #d9dee7; }
      td.bytes { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
      td:first-child { white-space: nowrap; }
      code { font-size: .8rem; }
      li { margin: .4rem 0; }
      /* A table wider than the page scrolls in its box, with a shadow where more lies. */
      .scroll { overflow-x: auto; max-width: 100%; background:
        linear-gradient(to right, #fbfbfd 40%, rgba(251, 251, 253, 0)) left / 2.5rem 100% no-repeat local,
        linear-gradient(to left, #fbfbfd 40%, rgba(251, 251, 253, 0)) right / 2.5rem 100% no-repeat local,
        radial-gradient(farthest-side at 0 50%, rgba(29, 36, 51, .28), rgba(29, 36, 51, 0))
          left / .9rem 100% no-repeat scroll,
        radial-gradient(farthest-side at 100% 50%, rgba(29, 36, 51, .28), rgba(29, 36, 51, 0))
          right / .9rem 100% no-repeat scroll; }"""


def dataset_document(iris: DataIRIs, dumps: Sequence[DumpFile], release: Release) -> dict[str, Any]:
    """Return the schema.org ``Dataset`` of the release as one JSON-LD tree (no I/O).

    A versioned release is its own dataset, as in the catalog and the landing page's
    ``cite-as``, with its version, part of the series of all releases.
    """
    dataset = release.dataset_iri(iris)
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": dataset,
        "name": TITLE["en"],
        "alternateName": TITLE["id"],
        "description": description_text(release, "en"),
        "url": release.landing_page,
        "identifier": dataset,
        "keywords": [*KEYWORDS["en"], *KEYWORDS["id"]],
        "license": LICENSE,
        "copyrightNotice": RIGHTS_TEXT,
        "isAccessibleForFree": True,
        "inLanguage": ["id", "en"],
        "creator": {
            "@type": "Organization",
            "@id": f"{iris.base}agent/national-urban-forum",
            "name": CREATOR_NAME,
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
    if release.version:
        document["version"] = release.version
        document["isPartOf"] = {"@type": "Dataset", "@id": iris.dataset(), "name": TITLE["en"]}
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


#: A URL in running text, without the punctuation that may follow it there.
_URL_IN_TEXT: Final = re.compile(r"https?://[^\s()<>\"]*[^\s()<>\".,;:!?'’”]")


def _linked(text: str) -> str:
    """Return ``text`` as HTML, its URLs as links.

    >>> _linked("terms (https://x.org/a?b=1&c), see https://y.org/.")
    'terms (<a href="https://x.org/a?b=1&amp;c">https://x.org/a?b=1&amp;c</a>), see <a href="https://y.org/">https://y.org/</a>.'
    >>> _linked("‘https://z.org/’!")
    '‘<a href="https://z.org/">https://z.org/</a>’!'
    """
    parts: list[str] = []
    at = 0
    for found in _URL_IN_TEXT.finditer(text):
        url = html.escape(found.group())
        parts += (html.escape(text[at : found.start()]), f'<a href="{url}">{url}</a>')
        at = found.end()
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def signpost_links(
    cite_as: str,
    *,
    described: Sequence[tuple[str, str]] = (),
    items: Sequence[tuple[str, str]] = (),
    licence: str | None = None,
    describedby: str = "describedby",
    indent: str = "",
) -> str:
    """Return the ``<link>`` elements of FAIR Signposting (level 1, in HTML): the IRI to
    cite, the ``(media type, href)`` of what describes it (``describedby``, which a page of
    linked data also names ``alternate``), of each file to download (``item``), and the
    licence; one a line.

    >>> print(signpost_links("https://e.org/d", described=[("text/turtle", "d.ttl")]), end="")
    <link rel="cite-as" href="https://e.org/d">
    <link rel="describedby" type="text/turtle" href="d.ttl">
    """
    e = html.escape
    lines = [f'<link rel="cite-as" href="{e(cite_as)}">']
    lines += [f'<link rel="{describedby}" type="{e(t)}" href="{e(h)}">' for t, h in described]
    lines += [f'<link rel="item" type="{e(t)}" href="{e(h)}">' for t, h in items]
    if licence:
        lines.append(f'<link rel="license" href="{e(licence)}">')
    return "".join(f"{indent}{line}\n" for line in lines)


def index_html(document: dict[str, Any], dumps: Sequence[DumpFile], release: Release) -> str:
    """Return the landing page: the dataset described for people in Indonesian, then in
    English, with its downloads and their checksums, its JSON-LD embedded once.

    Its content is the page's main landmark (``<main>``), where a screen reader's user can
    go at once; English text is marked ``lang="en"`` inside the Indonesian page."""
    e = html.escape

    def both(indonesian: str, english: str, *, cell: bool = False) -> str:
        if indonesian == english:
            return e(indonesian)
        if cell:  # on a line of its own (the style's ``th .en, td .en``)
            return f'{e(indonesian)} <span class="en" lang="en">{e(english)}</span>'
        return f'{e(indonesian)} <span class="en" lang="en">({e(english)})</span>'

    rows = "\n".join(
        f'        <tr><td><a href="{e(dump.name)}">{e(dump.name)}</a></td>'
        f"<td>{both(dump.format.format_name_in('id'), dump.format_name, cell=True)}</td>"
        f"<td>{_breakable(dump.media_type)}</td>"
        f'<td class="bytes">{spaced(dump.byte_size)}</td>'
        f"<td><code>{_breakable(dump.sha256, 32)}</code></td></tr>"
        for dump in dumps
    )
    metadata = "\n".join(
        f'      <li><a href="{e(name)}">{e(name)}</a>: {both(indonesian, english)}</li>'
        for name, indonesian, english in METADATA_FILES
    )
    # FAIR Signposting, as a dataset's landing page has it: the IRI to cite (the document's
    # own: a versioned release's), the catalog, each file, the licence.
    cited = document["@id"]
    signposts = signpost_links(
        cited,
        described=[("text/turtle", "catalog.ttl"), ("application/ld+json", "catalog.jsonld")],
        items=[(dump.media_type, dump.name) for dump in dumps],
        licence=LICENSE,
        indent="    ",
    )
    endpoint = (
        f"    <p>{both('Titik akhir SPARQL', 'SPARQL endpoint')}: "
        f'<a href="{e(release.sparql_endpoint)}">{e(release.sparql_endpoint)}</a></p>\n'
        if release.sparql_endpoint
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="id">\n'
        "  <head>\n"
        '    <meta charset="utf-8">\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No icon, as the site's pages say: a browser asked for /favicon.ico, a 404.
        '    <link rel="icon" href="data:,">\n'
        f"    <title>{e(document['alternateName'])}</title>\n"
        f"    <style>\n{LANDING_STYLE}\n    </style>\n"
        f"{signposts}"
        '    <script type="application/ld+json">\n'
        f"{script_json(document)}\n"
        "    </script>\n"
        "  </head>\n"
        "  <body>\n"
        "  <main>\n"
        f"    <h1>{e(document['alternateName'])}</h1>\n"
        f'    <p class="en" lang="en">{e(document["name"])}</p>\n'
        f"    <p>{e(description_text(release, 'id'))}</p>\n"
        f'    <p lang="en">{e(document["description"])}</p>\n'
        f"    <p>{both('Lisensi', 'Licence')}: "
        f'<a href="{e(LICENSE)}">{e(LICENSE_NAME)}</a>. '
        f'<span lang="en">{_linked(RIGHTS_TEXT)}</span></p>\n'
        f"{endpoint}"
        f'    <h2 id="unduhan">{both("Unduhan", "Downloads")}</h2>\n'
        '    <div class="scroll" role="region" aria-labelledby="unduhan" tabindex="0">\n'
        "      <table>\n"
        f"        <tr><th>{both('Berkas', 'File', cell=True)}</th><th>Format</th>"
        f"<th>{both('Jenis media', 'Media type', cell=True)}</th>"
        f"<th>{both('Bita', 'Bytes', cell=True)}</th>"
        "<th>SHA-256</th></tr>\n"
        f"{rows}\n"
        "      </table>\n"
        "    </div>\n"
        "    <h2>Metadata</h2>\n"
        "    <ul>\n"
        f"{metadata}\n"
        "    </ul>\n"
        "  </main>\n"
        "  </body>\n"
        "</html>\n"
    )
