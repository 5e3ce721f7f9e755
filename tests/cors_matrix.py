"""Cross-origin requests (CORS, :mod:`nualod.serve.cors`) that ``nualod serve`` and the
static hosts (nginx, Apache, Caddy with the generated configurations) answer alike.

Each row of :data:`CORS_MATRIX` is ``(name, method, path, headers, status)``: a request a
script on another origin makes (every one carries ``Origin``), to a path relative to the
site (``{practice}`` is the first practice's IRI path, ``{practice_stem}`` its files'
stem), and the status it gets. Every answer must carry ``Access-Control-Allow-Origin: *``
and ``Access-Control-Expose-Headers`` (:data:`EXPOSED`) once each and no
``Access-Control-Allow-Credentials``; an ``OPTIONS`` answer (a preflight, or a plain
OPTIONS) is 204 with no body and :data:`PREFLIGHT` too, which no other answer has.
"""

from __future__ import annotations

import http.client
from typing import Final
from urllib.parse import urlsplit

#: The origin of the page whose script asks (never contacted).
ORIGIN: Final = "http://localhost:9"
EXPOSED: Final = "ETag, Accept-Ranges, Content-Range, Location"
ALLOWED_HEADERS: Final = (
    "Accept, Accept-Language, Content-Type, If-Match, If-None-Match, If-Modified-Since, "
    "If-Unmodified-Since, If-Range, Range, *"
)
#: The headers of an OPTIONS answer of the site's paths (lower-cased names).
PREFLIGHT: Final[dict[str, str]] = {
    "allow": "GET, HEAD",
    "access-control-allow-methods": "GET, HEAD",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "7200",
}
_ASK_GET: Final = {"Access-Control-Request-Method": "GET"}

CORS_MATRIX: Final[tuple[tuple[str, str, str, dict[str, str], int], ...]] = (
    ("a data IRI's redirect", "GET", "{practice}", {"Accept": "application/ld+json"}, 303),
    ("a data IRI, nothing acceptable", "GET", "{practice}", {"Accept": "application/rdf+xml"}, 406),
    ("a practice's JSON-LD", "GET", "{practice_stem}.jsonld", {}, 200),
    ("a practice's JSON-LD, HEAD", "HEAD", "{practice_stem}.jsonld", {}, 200),
    ("a practice's JSON-LD, not modified", "GET", "{practice_stem}.jsonld",
     {"If-None-Match": "*"}, 304),
    ("practices.json", "GET", "download/practices.json", {}, 200),
    ("practices.json, a range", "GET", "download/practices.json", {"Range": "bytes=0-9"}, 206),
    ("the GeoJSON", "GET", "download/practices.geojson", {}, 200),
    ("the catalog", "GET", "download/catalog.jsonld", {}, 200),
    ("the VoID description", "GET", ".well-known/void", {}, 200),
    # A JSON-LD processor in a browser fetches a remote context from any page's origin.
    ("the JSON-LD context", "GET", "context", {"Accept": "application/ld+json, application/json"},
     200),
    ("the home page", "GET", "", {}, 200),
    ("a missing path", "GET", "id/region/99.99", {}, 404),
    # A folder named without its slash (a link, an address typed) is moved to the folder, the
    # query kept: the search page reads its q. A data IRI's page wins (def is also a folder).
    ("a folder without its slash", "GET", "download", {}, 301),
    ("a folder without its slash, HEAD", "HEAD", "download", {}, 301),
    ("a folder without its slash, a query", "GET", "search?q=pekal%20batik&x=1", {}, 301),
    ("a folder without its slash, an empty query", "GET", "search?", {}, 301),
    ("an English folder without its slash", "GET", "en/search", {}, 301),
    ("the English site without its slash", "GET", "en", {}, 301),
    ("a data IRI that is also a folder", "GET", "def", {"Accept": "application/ld+json"}, 303),
    ("a folder without an index.html", "GET", "browse", {}, 404),
    # Apache answered its own 403 (Options -Indexes) (hosting review).
    ("a folder without an index.html, with its slash", "GET", "browse/", {}, 404),
    ("a missing folder", "GET", "download/releases/0", {}, 404),
    ("a missing English path", "GET", "en/no/such/page", {}, 404),
    ("preflight of a data IRI", "OPTIONS", "{practice}",
     {**_ASK_GET, "Access-Control-Request-Headers": "accept"}, 204),
    ("preflight of a conditional range", "OPTIONS", "{practice_stem}.jsonld",
     {**_ASK_GET, "Access-Control-Request-Headers": "if-none-match,range"}, 204),
    ("preflight of a download", "OPTIONS", "download/practices.json", _ASK_GET, 204),
    ("preflight of a missing path", "OPTIONS", "id/region/99.99", _ASK_GET, 204),
    ("OPTIONS, no preflight", "OPTIONS", "", {}, 204),
    # The site is read-only: a method that would write is refused alike, with what is allowed.
    ("POST to a data IRI", "POST", "{practice}", {"Content-Length": "0"}, 405),
    ("PUT of a practice's JSON-LD", "PUT", "{practice_stem}.jsonld", {"Content-Length": "0"}, 405),
    ("DELETE of a download", "DELETE", "download/practices.json", {}, 405),
    ("PATCH of the home page", "PATCH", "", {"Content-Length": "0"}, 405),
    ("POST to a missing path", "POST", "id/region/99.99", {"Content-Length": "0"}, 405),
    # Any other method too: `nualod serve` answered 501 without Allow (hosting review).
    ("PROPFIND of a download", "PROPFIND", "download/practices.json", {}, 405),
    ("a method of the client's own", "FROB", "{practice_stem}.jsonld", {}, 405),
)  # fmt: skip


def ask(
    url: str, method: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send one request with exactly these headers (and Host); return the status, every
    header as sent (names lower-cased, repeats kept) and the body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, [(k.lower(), v) for k, v in answer.getheaders()], answer.read()
    finally:
        connection.close()


def assert_cors_headers(
    headers: list[tuple[str, str]], *, preflight: dict[str, str] | None = None
) -> None:
    """Check an answer's CORS headers: each once, with its value; the preflight's (when
    ``preflight`` is given, else none of them)."""
    expected = {"access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED}
    expected |= preflight or {}
    for name, value in expected.items():
        assert [v for k, v in headers if k == name] == [value], name
    assert "access-control-allow-credentials" not in dict(headers)
    if preflight is None:
        for name in PREFLIGHT:
            if name != "allow":  # a 405 says what is allowed
                assert name not in dict(headers), name


def assert_cors_row(
    base: str, practice: tuple[str, str], row: tuple[str, str, str, dict[str, str], int]
) -> None:
    """Check a host serving the site at ``base`` (no ``/`` at the end) against a row of
    :data:`CORS_MATRIX`; ``practice`` is a practice's IRI and stem
    (:func:`site_fixture.practice_of`)."""
    name, method, path, headers, status = row
    iri, stem = practice
    filled = path.format(practice=iri.removeprefix("https://w3id.org/nualod/"), practice_stem=stem)
    got_status, got, body = ask(f"{base}/{filled}", method, {"Origin": ORIGIN, **headers})
    assert got_status == status, name
    if method == "OPTIONS":
        assert body == b"", name
        assert_cors_headers(got, preflight=PREFLIGHT)
    else:
        assert_cors_headers(got)
    if status == 303:  # to the JSON-LD the row asks for: the practice's (sharded) or the path's
        target = stem if path == "{practice}" else filled
        assert dict(got)["location"] == f"{base}/{target}.jsonld", name
        assert dict(got)["vary"] == "Accept", name
    if status == 301:  # the folder, its slash put before the query (kept as sent, if any)
        folder, mark, query = filled.partition("?")
        assert dict(got)["location"] == f"{base}/{folder}/{mark if query else ''}{query}", name
        assert "vary" not in dict(got), name  # Accept does not change where it leads
    if status == 405:
        # Apache adds an Allow of its own naming TRACE, which it answers (TraceEnable).
        allowed = [v for k, v in got if k == "allow"]
        assert allowed in ([PREFLIGHT["allow"]], [PREFLIGHT["allow"], "TRACE"]), name
    if status == 206:
        assert dict(got)["content-range"].startswith("bytes 0-9/"), name
