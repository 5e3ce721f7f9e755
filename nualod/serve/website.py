"""The HTTP front of ``nualod serve``: the static site, data IRIs by Accept, and SPARQL.

One listening socket answers:

- ``/query`` and ``/sparql`` (GET, or POST as a form or ``application/sparql-query``): the
  read-only SPARQL endpoint. The request is passed to the Oxigraph server that
  :mod:`nualod.serve.server` runs on a private loopback port, after refusing a federated
  query (``SERVICE``), which the Oxigraph server would otherwise run itself. The request
  passed on is made anew from the fields the front read and checked
  (:func:`query_fields`), never the client's own: the two cannot read one request as two
  different queries. A body is read only with one ``Content-Length`` up to
  :data:`MAX_QUERY_BYTES`; any other (chunked, a bad length, one left unread) is answered
  and the connection closed, so nothing in a body is read as the next request;
- a file of the site (``DIR/site``), by its path, with the media type of its extension,
  or for a file with none (the VoID description, the JSON-LD context) the one
  :data:`nualod.site.paths.NAMED_FILES` gives it, whatever ``Accept`` says
  (a symbolic link in the site is followed only to a file inside the site),
  its validators (``ETag``, ``Last-Modified``) and ranges of bytes
  (:mod:`nualod.serve.conditional`: 304, 412, 206, 416), streamed from the file;
- a data IRI's path (``/id/practice/{key}``, ``/id/region/33.75``, ``/def``...): the path
  is turned into its stem by the site's rewrite rules; if the stem has a page the
  representation is chosen by :func:`nualod.serve.conneg.negotiate` among the files the
  stem has (HTML, Turtle, JSON-LD, N-Triples), and the answer is ``303 See Other`` to the absolute URL of that
  file under the configured base URL (never the request's Host), or ``406``; the static
  configurations of :mod:`nualod.serve.hosting` answer the same. The path of an English
  page (``/en/id/region/33.75``) is negotiated among that page and the data files of the
  resource it is about (``id/region/33.75.ttl``...), :func:`nualod.site.paths.stems_of`;
  a page that is about no resource (``/browse/theme``) offers its HTML alone;
- a folder of the site named without its slash (``/download``, ``/en/search``) that has an
  ``index.html`` and is not a data IRI's path (``/def`` is both, and negotiates): ``301``
  to the folder under the base URL, the query kept (:meth:`_Handler._moved_to_folder`);
  so is the base URL's path without its slash (``/nualod``), the site's own folder;
- a path under one the site lists as gone with a version no longer kept (its ``.htgone``,
  :data:`nualod.site.paths.GONE_LIST`): 410 with the site's 410 page of the path's
  language, as the 404 page below;
- anything else: 404 with the site's 404 page of the path's language (``en/404.html``
  under ``en/``, else ``404.html``, :data:`nualod.site.paths.NOT_FOUND_PAGES`), its links
  moved to this server's path when the site was built for another (:func:`error_page_at`).
  A 404 page asked for by its own path (``/404.html``) is sent the same way, with 200.

Every answer to a path that is not a file carries ``Vary: Accept``, but a folder's
``301``, which leads to the folder whatever ``Accept`` says. Every answer, of
every path, may be read by a script of any origin, and ``OPTIONS`` (a browser's preflight)
is answered ``204`` with the methods of the path (:mod:`nualod.serve.cors`).
"""

from __future__ import annotations

import contextlib
import http.client
import mimetypes
import os
import re
import shutil
import socket
import stat
import sys
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from nualod.errors import QueryError
from nualod.read.federation import spells_service
from nualod.serve.conditional import (
    UnsatisfiableRangeError,
    Validators,
    byte_range,
    if_range_holds,
    precondition,
    validators_of,
)
from nualod.serve.conneg import JSONLD, NTRIPLES, TURTLE, joined, negotiate
from nualod.serve.cors import answer_headers, methods_of, preflight_headers
from nualod.serve.hosting import not_acceptable_text, site_gone
from nualod.serve.sparql import (
    DATASET_FIELDS,
    PROLOGUE,
    check_no_service,
    dataset_fields,
    declares_dataset,
    missing_prologue,
    readable_parser_message,
    undeclared_prefix_error,
)
from nualod.site.paths import (
    CHARSET,
    FILE_MEDIA_TYPES,
    GONE_PAGES,
    IMMUTABLE_CACHE,
    IMMUTABLE_FILE,
    MEDIA_TYPES,
    NAMED_FILES,
    NOT_FOUND_PAGES,
    PAGE_EXTENSION,
    Stems,
    base_parts,
    file_media_type,
    gone_page_of,
    not_found_page_of,
    stems_of,
)

SPARQL_PATHS: Final = ("query", "sparql")
#: What a query keeps as it is in a Location: RFC 3986's query characters and "%".
_QUERY_SAFE: Final = "!$&'()*+,;=:@/?%"
#: Largest SPARQL request body passed on (a query, not a data upload).
MAX_QUERY_BYTES: Final = 1 << 20
#: Seconds a client may keep the front waiting on one read or write of its connection (an
#: idle keep-alive connection included): a client that sends nothing does not hold a
#: thread for ever.
CLIENT_TIMEOUT: Final = 60.0
#: Seconds a request may take to arrive whole (its line, headers and body), from the
#: connection or the previous answer: a client sending a byte now and then, each within
#: :data:`CLIENT_TIMEOUT`, does not hold a thread for ever either (slowloris).
REQUEST_DEADLINE: Final = 60.0
#: Connections the front answers at once, each in a thread; one more is answered 503 and
#: closed, so a flood of connections cannot make threads without end.
MAX_CLIENTS: Final = 256
DIRECT: Final = "application/sparql-query"
FORM: Final = "application/x-www-form-urlencoded"
UPDATE: Final = "application/sparql-update"
#: The formats of a SELECT's or an ASK's results, and of a CONSTRUCT's or a DESCRIBE's
#: graph, in the order that breaks a tie (the first answers ``*/*``).
RESULT_FORMATS: Final = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_FORMATS: Final = (
    TURTLE,
    NTRIPLES,
    JSONLD,
    "application/rdf+xml",
)
#: The W3C format IRI (https://www.w3.org/ns/formats/) of each format the front answers
#: with, which its service description gives as ``sd:resultFormat``.
FORMAT_IRIS: Final = {
    media: "http://www.w3.org/ns/formats/" + name
    for media, name in zip(
        (*RESULT_FORMATS, *GRAPH_FORMATS),
        ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
         "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"),
        strict=True,
    )
}  # fmt: skip
#: What rdflib's parser is asked to make of a query (:meth:`_Handler._parsed`).
_Parsed = TypeVar("_Parsed")
#: Where the Oxigraph server says a query's first line has a syntax error.
_ERROR_ON_LINE_1: Final = re.compile(r"error at 1:(\d+)")
#: A query's form, after its prologue (comments, PREFIX and BASE declarations).
_QUERY_FORM: Final = re.compile(PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def result_formats(query: str) -> tuple[str, ...] | None:
    r"""Return the formats a query's answer can take, by its form; None when the form is
    not found at its start (the Oxigraph server then negotiates alone).

    >>> result_formats("PREFIX a: <urn:a#>\n# n\nconstruct { ?s ?p ?o } {}")[0]
    'text/turtle'
    >>> result_formats("ASK {}")[0], result_formats("{") is None
    ('application/sparql-results+json', True)
    """
    found = _QUERY_FORM.match(query)
    if found is None:
        return None
    return RESULT_FORMATS if found[1].upper() in ("SELECT", "ASK") else GRAPH_FORMATS


#: What an update sent to the endpoint is answered (403): the served store is read-only.
READ_ONLY: Final = (
    "This SPARQL endpoint is read-only: an update is not run here (load changes with "
    "`nualod publish`, or `nualod push` them to a store you can write)\n"
)
#: Longest query the front reads with rdflib's SPARQL parser to look for ``SERVICE`` (a
#: query that spells the word; :func:`nualod.read.federation.uses_service`). That parser
#: takes milliseconds per operator, in Python: 8,000 characters of ``1+1+...`` take about
#: 11 s of the interpreter that every request of the front shares.
MAX_PARSED_QUERY: Final = 8192
#: Seconds a query waits for the parser, which checks one query at a time.
PARSE_WAIT: Final = 30.0
_PARSER: Final = threading.Lock()
PROXY_TIMEOUT: Final = 300.0
PROXY_CHUNK: Final = 1 << 16
#: What the Oxigraph server writes into an answer it has begun when its query timeout stops
#: the query: the status (200) and the head of the results are already sent.
CANCELLED: Final = b"The SPARQL operation has been cancelled"
#: How much of a streamed answer is held before it is passed on: one the timeout stopped
#: within it is answered 504 instead; a longer one is cut off (see :meth:`_Handler._stream`).
PROXY_HOLD: Final = 1 << 20
#: Largest answer read into memory and written at once; a larger one goes by ``sendfile``.
SMALL_FILE: Final = 1 << 16
#: Media types of the site's files beyond the representations of a resource.
EXTRA_TYPES: Final[dict[str, str]] = {
    "mjs": "text/javascript",
    "svg": "image/svg+xml",
    "png": "image/png",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
    "wasm": "application/wasm",
}
TEXT_TYPES: Final = frozenset(
    {*MEDIA_TYPES.values(), *FILE_MEDIA_TYPES.values(), "image/svg+xml"}
)  # fmt: skip


#: The paths of the files that never change (:data:`nualod.site.paths.IMMUTABLE_FILE`).
_IMMUTABLE_FILE: Final = re.compile(IMMUTABLE_FILE)
#: The 404 and 410 pages' paths in the site: asked for by name, they are sent as an error
#: answer's (their links moved to the path they are served at).
_ERROR_FILES: Final = frozenset(found.page for found in (*NOT_FOUND_PAGES, *GONE_PAGES))


def request_path(target: str) -> str | None:
    """Return the path of a request's target, decoded, with its dot segments removed as
    nginx and Apache remove them (RFC 3986, section 5.2.4); None if they climb above the
    root (browsers remove them before asking, other clients may not).

    >>> request_path("/id/./region/../region/33.75?x=1"), request_path("/id/%2E%2E/def")
    ('/id/region/33.75', '/def')
    >>> request_path("/id/.."), request_path("/id/region/."), request_path("/../nualod.nt")
    ('/', '/id/region/', None)
    """
    path = unquote(urlsplit(target).path)
    if not path.startswith("/"):
        return path
    kept: list[str] = []
    segments = path[1:].split("/")
    for segment in segments:
        if segment == "..":
            if not kept:
                return None
            kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # "/a/.." names the folder "/"
    return "/" + "/".join(kept)


def _open_no_follow(path: str, flags: int) -> int:
    """Open a resolved path, not following a link put there since it was resolved."""
    return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC)


@dataclass(frozen=True, slots=True)
class Website:
    """What the front serves: the site folder (or none), its base URL, the SPARQL upstream.

    The folder is looked up on each request, so it may be built after the front starts."""

    site: Path | None
    base_url: str
    sparql_upstream: tuple[str, int] | None
    client_timeout: float = CLIENT_TIMEOUT
    request_deadline: float = REQUEST_DEADLINE
    max_clients: int = MAX_CLIENTS

    @property
    def prefix(self) -> str:
        """Return the path of the base URL ("/" or "/nualod/")."""
        return base_parts(self.base_url)[1]


def media_type_of(name: str) -> str:
    """Return the media type a site file is served with, by its path relative to the site:
    a file with no extension by :data:`~nualod.site.paths.NAMED_FILES`, any other by its
    extension.

    >>> media_type_of("a.ttl"), media_type_of("index.html"), media_type_of("x.pf_index")
    ('text/turtle; charset=utf-8', 'text/html; charset=utf-8', 'application/octet-stream')
    >>> media_type_of("feed/page-000001.trig"), media_type_of("practices.csv-metadata.json")
    ('application/trig; charset=utf-8', 'application/csvm+json; charset=utf-8')
    >>> media_type_of("context"), media_type_of(".well-known/void"), media_type_of("id/context")
    ('application/ld+json; charset=utf-8', 'text/turtle; charset=utf-8', 'application/octet-stream')
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    media = NAMED_FILES.get(name) or file_media_type(name.lower()) or EXTRA_TYPES.get(extension)
    if media is None:
        guessed, _ = mimetypes.guess_type(name, strict=True)
        media = guessed or "application/octet-stream"
    return f"{media}; charset={CHARSET}" if media in TEXT_TYPES else media


#: The stylesheet link of a page whose links start from the site's path (the 404 page's).
_ROOTED_STYLESHEET: Final = re.compile(rb'<link rel="stylesheet" href="(/[^"]*)assets/site\.css">')


def error_page_at(page: bytes, prefix: str) -> bytes:
    """Return the site's 404 or 410 page with its links under ``prefix``, the path it is
    served at.

    The page's links start from the path of the base URL the site was built for, which its
    stylesheet link shows; served at another path, they are moved there.

    >>> page = b'<link rel="stylesheet" href="/nualod/assets/site.css"><a href="/nualod/">'
    >>> error_page_at(page, "/")
    b'<link rel="stylesheet" href="/assets/site.css"><a href="/">'
    """
    found = _ROOTED_STYLESHEET.search(page)
    if found is None or found.group(1) == prefix.encode():
        return page
    built, served = found.group(1), prefix.encode()
    for attribute in (b'href="', b'src="'):
        page = page.replace(attribute + built, attribute + served)
    return page


def no_site_text(website: Website) -> str:
    """Return the answer to a path while no site has been built: what to run, and where the
    SPARQL endpoint already answers (the folder's path on this machine is not told).

    >>> text = no_site_text(Website(None, "http://127.0.0.1:7878/", None))
    >>> text.startswith("Not Found: no site has been built here yet; `nualod site FOLDER`")
    True
    >>> text.endswith("; the SPARQL endpoint answers at http://127.0.0.1:7878/query" + chr(10))
    True
    """
    return (
        "Not Found: no site has been built here yet; `nualod site FOLDER` builds one, served"
        " as soon as it is built; the SPARQL endpoint answers at"
        f" {website.base_url}{SPARQL_PATHS[0]}\n"
    )


def make_handler(website: Website) -> type[BaseHTTPRequestHandler]:
    """Return a request handler class bound to one :class:`Website`."""

    class Handler(_Handler):
        config = website
        timeout = website.client_timeout

    return Handler


class _Handler(BaseHTTPRequestHandler):
    config: Website
    body_read: bool = False
    # An answer's headers and body are two writes: with Nagle's algorithm the second waited
    # for the client's delayed acknowledgement of the first, some 40 ms a request on a
    # kept-alive connection (what browsers use).
    disable_nagle_algorithm = True
    server_version = "nualod"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        # The Server header names nualod, not the Python that runs it (nor a trailing space).
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: a local server has no one reading a request log."""

    def end_headers(self) -> None:
        # A body this request declared and nothing read is not taken for the next request
        # (what a proxy in front would send as one): the connection ends with this answer.
        if self._body_unread():
            self.send_header("Connection", "close")
        # Every answer, an error's too, may be read by a script of any origin (CORS).
        for name, value in answer_headers():
            self.send_header(name, value)
        super().end_headers()

    def _body_unread(self) -> bool:
        headers = getattr(self, "headers", None)
        if self.close_connection or self.body_read or headers is None:
            return False
        return "Transfer-Encoding" in headers or headers.get("Content-Length", "0").strip() != "0"

    def parse_request(self) -> bool:
        self.body_read = False
        return super().parse_request()

    def handle_one_request(self) -> None:
        # The connection is cut when the request has not arrived whole by the deadline:
        # reading it then ends (an empty read), and so does the connection.
        deadlines: Deadlines = self.server.deadlines  # type: ignore[attr-defined]
        deadlines.set(self.connection, self.config.request_deadline)
        try:
            super().handle_one_request()
        finally:
            deadlines.clear(self.connection)

    def _received(self) -> None:
        """Say that the request has arrived whole: the deadline no longer applies."""
        self.server.deadlines.clear(self.connection)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- dispatch

    def do_GET(self) -> None:
        self._received()
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:
        self._received()
        self._dispatch(send_body=False)

    def do_POST(self) -> None:
        relative = self._relative_path()
        if relative in SPARQL_PATHS:
            self._sparql(relative)  # received once its body is read (_read_body)
        else:
            self._received()
            self._plain(
                405, "Method Not Allowed\n", send_body=True, allow=methods_of(query_endpoint=False)
            )

    def _not_allowed(self) -> None:
        """Answer a method no path here takes (PUT, DELETE, PATCH): 405 and the path's
        methods (RFC 9110, 15.5.6); the served store and site are read-only."""
        self._received()
        self._plain(
            405,
            "Method Not Allowed: the site and the SPARQL endpoint are read-only\n",
            send_body=True,
            allow=methods_of(query_endpoint=self._relative_path() in SPARQL_PATHS),
        )

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, CONNECT, PROPFIND, one of the client's own): 405 with
        # Allow, as nginx, Apache and Caddy answer it, where http.server's 501 had no Allow.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def do_PUT(self) -> None:
        self._not_allowed()

    def do_DELETE(self) -> None:
        self._not_allowed()

    def do_PATCH(self) -> None:
        self._not_allowed()

    def do_OPTIONS(self) -> None:
        """Answer a browser's preflight (or any OPTIONS): 204, with the methods of the path."""
        self._received()
        self.send_response(204)
        methods = methods_of(query_endpoint=self._relative_path() in SPARQL_PATHS)
        for name, value in preflight_headers(methods):
            self.send_header(name, value)
        self.end_headers()

    def _relative_path(self) -> str | None:
        """Return the request path under the base URL's path, decoded; None if outside it."""
        path = request_path(self.path)
        prefix = self.config.prefix
        if path is None or not path.startswith(prefix):
            return None
        return path[len(prefix) :]

    def _dispatch(self, *, send_body: bool) -> None:
        relative = self._relative_path()
        if relative is None:
            # The base URL's path without its slash (/nualod) names the site's own folder.
            path = request_path(self.path)
            if path is not None and path + "/" == self.config.prefix and self._file("") is not None:
                self._moved_to_folder("", send_body=send_body)
                return
            self._not_found("", send_body=send_body)
        elif relative in SPARQL_PATHS:
            self._sparql(relative)
        else:
            self._site(relative, send_body=send_body)

    # ---------------------------------------------------------------- the site

    def _file(self, relative: str) -> Path | None:
        """Return the site file a relative path names, resolved, if it is a file inside the
        site: a symbolic link is followed only when where it leads is inside the site too."""
        site = self.config.site
        if site is None or "\0" in relative:
            return None
        segments = relative.split("/")
        # No way out of the site, and no hidden file (the .htaccess is Apache's) but
        # /.well-known/.
        if any(s.startswith(".") and s != ".well-known" for s in segments):
            return None
        candidate = site.joinpath(*[s for s in segments if s])
        if relative == "" or relative.endswith("/"):
            candidate = candidate / "index.html"
        try:
            # A link planted in the site (to /etc/passwd, to the store) leads out of it;
            # the site folder itself may be a link.
            root = site.resolve(strict=True)
            resolved = candidate.resolve(strict=True)
            inside = resolved.is_relative_to(root) and resolved.is_file()
        except (OSError, RuntimeError):  # missing, a name too long, a loop of links
            return None
        return resolved if inside else None

    def _site(self, relative: str, *, send_body: bool) -> None:
        found = self._file(relative)
        if found is not None:
            named = "/".join(s for s in relative.split("/") if s)
            if relative == "" or relative.endswith("/"):
                named = f"{named}/index.html".lstrip("/")
            media_type = media_type_of(named)
            if named in _ERROR_FILES:
                sent = self._send_error_page(found, send_body=send_body)
            else:
                # The feed's pages and a version's files may be cached for good.
                cache = IMMUTABLE_CACHE if _IMMUTABLE_FILE.match(named) else None
                sent = self._send_file(found, media_type, send_body=send_body, cache=cache)
            if sent:
                return
            # Gone since it was looked up (a site rebuilt meanwhile): as if never there.
        stems = stems_of(relative)
        page = f"{stems.page}.{PAGE_EXTENSION}"
        if relative and not relative.endswith("/") and self._file(page) is not None:
            self._negotiate(stems, send_body=send_body)
            return
        # A folder named without its slash (a link, an address typed): its index.html's
        # relative links need the slash. A data IRI's page won above (def is a folder too).
        if relative and not relative.endswith("/") and self._file(relative + "/") is not None:
            self._moved_to_folder(relative, send_body=send_body)
            return
        # A gone path has no page: the site's list is read only for a path with none.
        # Empty segments are merged, as the file was looked up and as nginx does.
        site = self.config.site
        if site is not None and re.sub("/{2,}", "/", relative).startswith(site_gone(site)):
            self._gone(relative, send_body=send_body)
            return
        self._not_found(relative, send_body=send_body)

    def _negotiate(self, stems: Stems, *, send_body: bool) -> None:
        """Answer a path whose page exists: 303 to the chosen file, or 406 listing them.

        The files are the page and the data files that exist (a page of the English site
        offers the data files of the resource it is about, :func:`stems_of`).
        """
        files = {
            media: f"{stems.page if ext == PAGE_EXTENSION else stems.data}.{ext}"
            for ext, media in MEDIA_TYPES.items()
        }
        available = {media: file for media, file in files.items() if self._file(file)}
        ordered = list(available)
        chosen = negotiate(joined(self.headers.get_all("Accept") or []), ordered)
        base = self.config.base_url
        if chosen is None:
            body = not_acceptable_text([(m, f"{base}{available[m]}") for m in ordered])
            self._plain(406, body, send_body=send_body, vary=True)
            return
        location = f"{base}{available[chosen]}"
        see_other = f"See Other: {location}\n".encode()
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Vary", "Accept")
        self.send_header("Content-Type", f"text/plain; charset={CHARSET}")
        self.send_header("Content-Length", str(len(see_other)))
        self.end_headers()
        if send_body:
            self.wfile.write(see_other)

    def _moved_to_folder(self, relative: str, *, send_body: bool) -> None:
        """Answer a folder of the site named without its slash: 301 to the folder under the
        base URL (never the request's Host), the query kept as sent (the search page reads
        its ``q``), as nginx, Apache and Caddy answer with :mod:`nualod.serve.hosting`'s
        configurations. Not ``Vary``: where it leads does not depend on ``Accept``."""
        folder = "".join(f"{quote(segment)}/" for segment in relative.split("/") if segment)
        # The query as sent, but a byte no header may hold (a control character, a space,
        # one outside ASCII) percent-encoded; its escapes are kept as they are.
        query = quote(urlsplit(self.path).query.encode("latin-1"), safe=_QUERY_SAFE)
        location = f"{self.config.base_url}{folder}" + (f"?{query}" if query else "")
        moved = f"Moved Permanently: {location}\n".encode()
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Type", f"text/plain; charset={CHARSET}")
        self.send_header("Content-Length", str(len(moved)))
        self.end_headers()
        if send_body:
            self.wfile.write(moved)

    def _gone(self, relative: str, *, send_body: bool) -> None:
        """Answer 410 with the 410 page of the language of ``relative``, a path gone with a
        version no longer kept (the site's ``.htgone``)."""
        page = self._file(gone_page_of(relative))
        if page is None:  # the site is being swapped: its list but not its page
            self._plain(410, "Gone\n", send_body=send_body)
            return
        body = error_page_at(page.read_bytes(), self.config.prefix)
        self._send_bytes(410, body, media_type_of(page.name), send_body)

    def _not_found(self, relative: str, *, send_body: bool) -> None:
        """Answer 404 with the 404 page of the language of ``relative``, a missing path."""
        page = self._file(not_found_page_of(relative))
        if page is None:
            site = self.config.site
            text = (
                "Not Found\n" if site is not None and site.is_dir() else no_site_text(self.config)
            )
            self._plain(404, text, send_body=send_body, vary=True)
            return
        body = error_page_at(page.read_bytes(), self.config.prefix)
        self._send_bytes(404, body, media_type_of(page.name), send_body, vary=True)

    # ---------------------------------------------------------------- answers

    def _send_file(
        self, path: Path, media_type: str, *, send_body: bool, cache: str | None = None
    ) -> bool:
        """Send a site file as the request's conditions and range say (:meth:`_send_validated`),
        streamed from the file; False, having sent nothing, when it is no longer a file."""
        try:
            stream = open(path, "rb", opener=_open_no_follow)  # noqa: SIM115 (closed below)
        except OSError:
            return False
        with stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode):
                return False

            def copy(start: int, length: int) -> None:
                if length <= SMALL_FILE:
                    # socket.sendfile made a small file's answer twice as slow (bench/serve.py).
                    stream.seek(start)
                    chunk = stream.read(length)
                    self.wfile.write(chunk)
                    sent = len(chunk)
                else:  # no copy through Python: a dump may be gigabytes
                    sent = self.connection.sendfile(stream, start, length)
                if sent < length:  # the file shrank: the answer is cut short, and so is this
                    self.close_connection = True

            self._send_validated(
                validators_of(status),
                status.st_size,
                media_type,
                copy,
                send_body=send_body,
                cache=cache,
            )
        return True

    def _send_error_page(self, path: Path, *, send_body: bool) -> bool:
        """Send a 404 or 410 page asked for by its own path (``/404.html``) as the paths it
        answers get it:
        its links moved to this server's path (:func:`error_page_at`). It is a file, not
        negotiated: no ``Vary``, as from Apache and Caddy (nginx adds ``Vary: Accept``)."""
        try:
            with open(path, "rb", opener=_open_no_follow) as stream:
                status = os.fstat(stream.fileno())
                if not stat.S_ISREG(status.st_mode):
                    return False
                built = stream.read()
        except OSError:
            return False
        body = error_page_at(built, self.config.prefix)
        # Moved links are other bytes than the file's: another ETag, for this server's path.
        variant = "" if body == built else f"-{zlib.crc32(self.config.prefix.encode()):08x}"

        def copy(start: int, length: int) -> None:
            self.wfile.write(body[start : start + length])

        self._send_validated(
            validators_of(status, variant),
            len(body),
            media_type_of(path.name),
            copy,
            send_body=send_body,
        )
        return True

    def _send_validated(
        self,
        validators: Validators,
        size: int,
        media_type: str,
        copy: Callable[[int, int], None],
        *,
        send_body: bool,
        vary: bool = False,
        cache: str | None = None,
    ) -> None:
        """Answer a GET or HEAD of a representation of ``size`` bytes: 412 or 304 when a
        condition says so (:func:`precondition`), 206 with one range of a GET's ``Range`` (if
        ``If-Range`` holds), 416 when that range is past the end, else 200. ``copy(start,
        length)`` sends the bytes; ``cache``, if given, is the ``Cache-Control`` of a 200,
        206 or 304."""
        headers = self.headers
        outcome = precondition(
            headers.get_all("If-Match") or [],
            headers.get_all("If-Unmodified-Since") or [],
            headers.get_all("If-None-Match") or [],
            headers.get_all("If-Modified-Since") or [],
            validators,
        )
        if outcome == 412:
            self._plain(412, "Precondition Failed\n", send_body=send_body, vary=vary)
            return
        if outcome == 304:
            self.send_response(304)
            self._send_validators(validators, vary=vary, cache=cache)
            self.end_headers()
            return
        span: tuple[int, int] | None = None
        ranges = headers.get_all("Range") or []
        # Ranges are defined for GET alone (RFC 9110 §14.2); two Range fields are no range.
        applies = len(ranges) == 1 and if_range_holds(headers.get("If-Range"), validators)
        if self.command == "GET" and applies:
            try:
                span = byte_range(ranges[0], size)
            except UnsatisfiableRangeError:
                self._plain(
                    416,
                    "Range Not Satisfiable\n",
                    send_body=send_body,
                    vary=vary,
                    extra=(("Content-Range", f"bytes */{size}"),),
                )
                return
        start, length = (span[0], span[1] - span[0] + 1) if span else (0, size)
        self.send_response(206 if span else 200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(length))
        if span:
            self.send_header("Content-Range", f"bytes {span[0]}-{span[1]}/{size}")
        self.send_header("Accept-Ranges", "bytes")
        self._send_validators(validators, vary=vary, cache=cache)
        self.end_headers()
        if send_body and length:
            copy(start, length)

    def _send_validators(
        self, validators: Validators, *, vary: bool, cache: str | None = None
    ) -> None:
        self.send_header("ETag", validators.etag)
        self.send_header("Last-Modified", validators.last_modified)
        if cache:
            self.send_header("Cache-Control", cache)
        if vary:
            self.send_header("Vary", "Accept")

    def _send_bytes(
        self, status: int, body: bytes, media_type: str, send_body: bool, *, vary: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        if vary:
            self.send_header("Vary", "Accept")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _plain(
        self,
        status: int,
        text: str,
        *,
        send_body: bool,
        vary: bool = False,
        allow: str | None = None,
        extra: Sequence[tuple[str, str]] = (),
    ) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"text/plain; charset={CHARSET}")
        self.send_header("Content-Length", str(len(body)))
        if vary:
            self.send_header("Vary", "Accept")
        if allow:
            self.send_header("Allow", allow)
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    # ---------------------------------------------------------------- SPARQL

    def _sparql(self, relative: str) -> None:
        upstream = self.config.sparql_upstream
        if upstream is None:
            self._plain(404, "No SPARQL endpoint here\n", send_body=self.command != "HEAD")
            return
        send_body = self.command != "HEAD"
        body = b""
        if self.command == "POST":
            read = self._read_body()
            if read is None:
                return
            body = read
        try:
            fields = query_fields(
                self.command, urlsplit(self.path).query, self.headers.get("Content-Type"), body
            )
        except QueryError as refused:
            if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() == UPDATE:
                self._plain(403, READ_ONLY, send_body=send_body)
                return
            status = 415 if isinstance(refused, UnsupportedMediaError) else 400
            self._plain(status, f"{refused}\n", send_body=send_body)
            return
        queries = [value for name, value in fields if name == "query"]
        if any(name == "update" for name, _ in fields):
            self._plain(403, READ_ONLY, send_body=send_body)
            return
        if not queries and self.command == "POST":
            self._plain(400, "No SPARQL query in the request\n", send_body=True)
            return
        if not queries:
            self._service_description(upstream, f"{self.config.base_url}{relative}")
            return
        try:
            if len(queries) > 1:
                raise QueryError("more than one query in the request")
            if not self._check(queries[0], send_body=send_body):
                return
        except QueryError as refused:
            self._plain(400, f"{refused}\n", send_body=send_body)
            return
        # What is passed on is what was checked: the fields as read here, encoded anew (the
        # Oxigraph server could read the request otherwise, e.g. the URL of a GET that says
        # its Content-Type is application/sparql-query).
        # The format negotiated here, by RFC 9110 as for data IRIs: the Oxigraph server
        # answered text/* with JSON, and a graph to */* in N-Quads, a dataset format.
        # application/json, what fetch() users send (and Oxigraph's server and Fuseki take),
        # weighs the +json format of the form (RFC 6839): results JSON or JSON-LD.
        accept = self.headers.get("Accept")
        offered = result_formats(queries[0])
        if offered is not None:
            header = joined(self.headers.get_all("Accept") or [])
            accept = negotiate(header, offered, json_suffix=True)
            if accept is None:
                self._plain(
                    406,
                    f"Not Acceptable: this query's answer is given as {', '.join(offered)}\n",
                    send_body=send_body,
                    vary=True,
                )
                return
        # nualod's prefixes are predeclared, as `nualod query` has them: declared on the
        # query's first line, whose error positions are then shifted back.
        prologue = missing_prologue(queries[0])
        if prologue:
            fields = [
                (name, prologue + value if name == "query" else value) for name, value in fields
            ]
        if declares_dataset(queries[0]) and not any(name in DATASET_FIELDS for name, _ in fields):
            dataset = self._dataset(prologue + queries[0], send_body=send_body)
            if dataset is None:
                return
            fields = [*fields, *dataset]
        # Always as a form in a POST: the Oxigraph server refuses a URL past 8 KB (a GET
        # query of some 4,000 characters) and has no HEAD.
        self._forward(
            upstream, "/query", urlencode(fields).encode(), accept, len(prologue), queries[0]
        )

    def _check(self, query: str, *, send_body: bool) -> bool:
        """Refuse a federated query (:class:`QueryError`); False once it has answered a query
        too long for the parser (400), one that waited too long for it (503) or one it
        refused (400)."""
        if not spells_service(query):
            check_no_service(query)  # decided without the parser
            return True
        purpose = "a query that spells 'service' is parsed to look for federated queries"
        return self._parsed(query, purpose, check_no_service, send_body=send_body) is not None

    def _dataset(self, query: str, *, send_body: bool) -> list[tuple[str, str]] | None:
        """Return the protocol fields that give the dataset a query names with ``FROM`` and
        ``FROM NAMED`` (the Oxigraph server, whose default graph is the union of the graphs,
        ignores the query's own clauses); None once it has answered (see :meth:`_parsed`)."""
        purpose = "a query that names its dataset (FROM) is parsed to apply it"
        found = self._parsed(query, purpose, dataset_fields, send_body=send_body)
        return found[0] if found is not None else None

    def _parsed(
        self, query: str, purpose: str, parse: Callable[[str], _Parsed], *, send_body: bool
    ) -> tuple[_Parsed] | None:
        """Return what rdflib's parser (``parse``) makes of a query, or None once it has
        answered one past :data:`MAX_PARSED_QUERY` characters (400: ``purpose`` says why it
        is parsed), one that waited past :data:`PARSE_WAIT` for the parser (503: it costs
        milliseconds per operator, so one query parses at a time) or one it refused (400)."""
        if len(query) > MAX_PARSED_QUERY:
            self._plain(
                400,
                f"{purpose}, up to {MAX_PARSED_QUERY} characters; this one has {len(query)}\n",
                send_body=send_body,
            )
            return None
        if not _PARSER.acquire(timeout=PARSE_WAIT):
            self._plain(503, "Busy checking other queries; try again\n", send_body=send_body)
            return None
        try:
            return (parse(query),)
        except QueryError as refused:
            self._plain(400, f"{refused}\n", send_body=send_body)
            return None
        finally:
            _PARSER.release()

    def _read_body(self) -> bytes | None:
        """Return the request's body, or None once it has answered a body it does not read
        (chunked, a Content-Length not one number, or one past :data:`MAX_QUERY_BYTES`)."""
        try:
            return self._read_body_in_time()
        finally:
            self._received()

    def _read_body_in_time(self) -> bytes | None:
        if "Transfer-Encoding" in self.headers:
            self._plain(
                411, "Length Required: send the query with a Content-Length\n", send_body=True
            )
            return None
        declared = {value.strip() for value in self.headers.get_all("Content-Length") or ["0"]}
        if len(declared) != 1 or not re.fullmatch(r"[0-9]{1,18}", next(iter(declared))):
            self._plain(400, "Bad Request: the Content-Length is not one number\n", send_body=True)
            return None
        length = int(next(iter(declared)))
        if length > MAX_QUERY_BYTES:
            self._plain(413, "Query too large\n", send_body=True)
            return None
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            return None
        if len(body) < length:  # the client went away
            self.close_connection = True
            return None
        self.body_read = True
        return body

    def _service_description(self, upstream: tuple[str, int], endpoint: str) -> None:
        """Answer the endpoint's URL without a query: the Oxigraph server's service
        description, made true of this endpoint (:func:`service_description`)."""
        connection = http.client.HTTPConnection(*upstream, timeout=PROXY_TIMEOUT)
        try:
            connection.request("GET", "/query", headers={"Accept": NTRIPLES})
            answer = connection.getresponse()
            upstream_text = answer.read()
        except OSError as error:
            self._plain(502, f"The SPARQL server did not answer: {error}\n", send_body=True)
            return
        finally:
            connection.close()
        if answer.status != 200:
            self._plain(502, f"The SPARQL server answered {answer.status}\n", send_body=True)
            return
        offered = list(DESCRIPTION_FORMATS)
        chosen = negotiate(joined(self.headers.get_all("Accept") or []), offered, json_suffix=True)
        send_body = self.command != "HEAD"
        if chosen is None:
            body = not_acceptable_text([(media, endpoint) for media in offered])
            self._plain(406, body, send_body=send_body, vary=True)
            return
        text = service_description(upstream_text, endpoint, DESCRIPTION_FORMATS[chosen])
        media = f"{chosen}; charset={CHARSET}" if chosen in TEXT_TYPES else chosen
        self._send_bytes(200, text, media, send_body, vary=True)

    def _forward(
        self,
        upstream: tuple[str, int],
        target: str,
        body: bytes,
        accept: str | None,
        shift: int = 0,
        query: str | None = None,
    ) -> None:
        """Pass a query on, asking for the format ``accept``, and stream the answer back (a
        CONSTRUCT may be large). A syntax error's column on line 1 is told ``shift``
        characters back: those of the declarations put before the query; one that a prefix
        the query uses undeclared caused says so, as ``nualod query`` does."""
        headers = {"Accept": accept} if accept else {}
        headers["Content-Type"] = FORM
        connection = http.client.HTTPConnection(*upstream, timeout=PROXY_TIMEOUT)
        try:
            try:
                connection.request("POST", target, body=body, headers=headers)
                answer = connection.getresponse()
            except OSError as error:
                self._plain(502, f"The SPARQL server did not answer: {error}\n", send_body=True)
                return
            passed = [
                (name, value)
                for name in ("Content-Type", "Vary")
                if (value := answer.getheader(name)) is not None
            ]
            # The format of the results is chosen by Accept (RFC 9110, 12.5.5).
            if not any(name == "Vary" for name, _ in passed):
                passed.append(("Vary", "Accept"))
            length = answer.getheader("Content-Length")
            if length is None and self.command != "HEAD":
                self._stream(answer, passed)
                return
            if answer.status == 400 and length is not None and (shift or query is not None):
                text = _ERROR_ON_LINE_1.sub(
                    lambda found: f"error at 1:{max(int(found[1]) - shift, 1)}",
                    answer.read().decode("utf-8", "replace"),
                    count=1,
                )
                if query is not None:
                    named = undeclared_prefix_error(query, text)
                    text = (named or readable_parser_message(query, text.strip())) + "\n"
                self._plain(400, text, send_body=self.command != "HEAD", vary=True)
                return
            self.send_response(answer.status)
            for name, value in passed:
                self.send_header(name, value)
            if length is None:  # a HEAD: what the GET would say, without its body
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", length)
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(answer, self.wfile, PROXY_CHUNK)
        finally:
            connection.close()

    def _stream(self, answer: http.client.HTTPResponse, headers: list[tuple[str, str]]) -> None:
        """Pass an answer of unknown length on, chunked; one the query timeout stopped is an
        error, not a 200 with its results cut short and a sentence in their place.

        Up to :data:`PROXY_HOLD` bytes are held first: stopped within them, the answer is a
        504. Past them, the stream goes on with its last bytes held back; stopped then, the
        connection is closed without the last chunk, which every HTTP client reads as an
        answer that did not finish (curl: exit 18; requests: ``ChunkedEncodingError``).
        """
        parts: list[bytes] = []
        size = 0
        try:
            while size < PROXY_HOLD and (chunk := answer.read1(PROXY_CHUNK)):
                parts.append(chunk)
                size += len(chunk)
        except (OSError, http.client.HTTPException) as error:  # it died (--max-memory)
            self._plain(502, f"The SPARQL server did not answer: {error!r}\n", send_body=True)
            return
        held = b"".join(parts)
        if size < PROXY_HOLD and held.endswith(CANCELLED):
            self._plain(
                504,
                "The query was stopped at the endpoint's time limit (nualod serve --timeout); "
                "ask for less (LIMIT, a narrower pattern) or run it with `nualod query`\n",
                send_body=True,
            )
            return
        self.send_response(answer.status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        keep = len(CANCELLED)
        try:
            while chunk := answer.read1(PROXY_CHUNK):
                held += chunk
                if len(held) > keep:
                    self.wfile.write(_chunk(held[:-keep]))
                    held = held[-keep:]
        except (OSError, http.client.HTTPException):
            # The server died mid-answer: this one ends unfinished, as a stopped query's does.
            self.close_connection = True
            return
        if held.endswith(CANCELLED):
            self.close_connection = True  # no last chunk: the answer did not finish
            return
        if held:
            self.wfile.write(_chunk(held))
        self.wfile.write(b"0\r\n\r\n")


def _chunk(data: bytes) -> bytes:
    """Return ``data`` as one chunk of a chunked answer (RFC 9112, 7.1).

    >>> _chunk(b"hello")
    b'5\\r\\nhello\\r\\n'
    """
    return b"%x\r\n%s\r\n" % (len(data), data)


#: The service description's formats, in the order that breaks ties (``*/*`` gets Turtle).
DESCRIPTION_FORMATS: Final[dict[str, RdfFormat]] = {
    TURTLE: RdfFormat.TURTLE,
    JSONLD: RdfFormat.JSON_LD,
    NTRIPLES: RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
_SD: Final = "http://www.w3.org/ns/sparql-service-description#"


def service_description(ntriples: bytes, endpoint: str, rdf_format: RdfFormat) -> bytes:
    r"""Return the Oxigraph server's service description (N-Triples) made true of the front:
    its ``sd:endpoint`` is ``endpoint`` (the server's own address is private), it does not
    offer federated queries, which the front refuses (:func:`check_no_service`), and its
    ``sd:resultFormat`` are the formats the front negotiates (:data:`FORMAT_IRIS`), not the
    server's (N-Quads, TriG and N3, which the front refuses; no JSON-LD, which it gives).

    >>> upstream = (
    ...     b"_:s <http://www.w3.org/ns/sparql-service-description#endpoint> <http://127.0.0.1:5/query> .\n"
    ...     b"_:s <http://www.w3.org/ns/sparql-service-description#feature> "
    ...     b"<http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery> .\n"
    ... )
    >>> text = service_description(upstream, "http://127.0.0.1:7878/query", RdfFormat.TURTLE)
    >>> print(text.decode().splitlines()[1])
    _:s sd:endpoint <http://127.0.0.1:7878/query> ;
    >>> text.count(b"/ns/formats/"), b"BasicFederatedQuery" in text
    (8, False)
    """
    federated = NamedNode(_SD + "BasicFederatedQuery")
    result_format = NamedNode(_SD + "resultFormat")
    kept: list[Triple] = []
    for quad in parse(ntriples, format=RdfFormat.N_TRIPLES):
        predicate = quad.predicate.value
        if predicate == _SD + "feature" and quad.object == federated:
            continue
        if quad.predicate == result_format:
            continue
        if predicate == _SD + "endpoint":
            kept.append(Triple(quad.subject, quad.predicate, NamedNode(endpoint)))
            kept.extend(
                Triple(quad.subject, result_format, NamedNode(iri)) for iri in FORMAT_IRIS.values()
            )
            continue
        kept.append(Triple(quad.subject, quad.predicate, quad.object))
    prefixes = {"sd": _SD} if rdf_format == RdfFormat.TURTLE else None
    return serialize(kept, format=rdf_format, prefixes=prefixes) or b""


class UnsupportedMediaError(QueryError):
    """A POST to the SPARQL endpoint that is neither a form nor a direct query (415)."""


def query_fields(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> list[tuple[str, str]]:
    """Return the fields of a SPARQL protocol request (``query``, ``default-graph-uri``...).

    A GET or HEAD has them in its URL alone, whatever its Content-Type says. A POST has those
    of its URL and those of its body: a form's fields, or the query itself when it is
    ``application/sparql-query``; another Content-Type raises :class:`QueryError` (415), and
    so do a body that is not UTF-8 and a query given both in the URL and the body.

    >>> query_fields("GET", "query=ASK%7B%7D", "application/sparql-query", b"")
    [('query', 'ASK{}')]
    >>> query_fields("POST", "default-graph-uri=urn:g", "application/sparql-query", b"ASK{}")
    [('default-graph-uri', 'urn:g'), ('query', 'ASK{}')]
    >>> query_fields("GET", "query=ASK%7BFILTER(%22%FF%22)%7D", None, b"")
    Traceback (most recent call last):
    nualod.errors.QueryError: the query string is not UTF-8 once percent-decoded
    """
    try:  # strictly, as the body is: a query with a byte replaced is another query
        fields = parse_qsl(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise QueryError("the query string is not UTF-8 once percent-decoded") from None
    if method != "POST":
        return fields
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("the request body is not UTF-8") from None
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == DIRECT:
        posted = [("query", text)]
    elif media == FORM:
        posted = parse_qsl(text, keep_blank_values=True)
    else:
        raise UnsupportedMediaError(
            f"Unsupported Media Type: a query is posted as {DIRECT} or {FORM}, "
            f"not {media or 'no Content-Type'}"
        )
    if any(name == "query" for name, _ in fields) and any(name == "query" for name, _ in posted):
        raise QueryError("the query is given both in the URL and in the body")
    return fields + posted


_BUSY: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 38\r\nRetry-After: 5\r\nAccess-Control-Allow-Origin: *\r\n"
    b"Connection: close\r\n\r\n"
    b"Too many connections; try again later\n"
)


class Deadlines:
    """When each connection's request must have arrived whole: one thread for the server
    watches them all and cuts off a connection past its deadline (a thread a request made
    every answer half as slow again)."""

    #: How often the watcher looks: a deadline is kept to within this.
    TICK: Final = 0.25

    def __init__(self) -> None:
        self._due: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._closed = threading.Event()

    def set(self, connection: socket.socket, seconds: float) -> None:
        """Give a connection ``seconds`` from now for its request."""
        with self._lock:
            self._due[connection] = time.monotonic() + seconds
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, daemon=True)
                self._watcher.start()

    def clear(self, connection: socket.socket) -> None:
        """Say that a connection's request has arrived whole (or that it is done)."""
        with self._lock:
            self._due.pop(connection, None)

    def close(self) -> None:
        """Stop watching (the server is closed)."""
        self._closed.set()

    def _watch(self) -> None:
        while not self._closed.wait(self.TICK):
            now = time.monotonic()
            with self._lock:
                late = [c for c, due in self._due.items() if due <= now]
                for connection in late:
                    del self._due[connection]
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class FrontServer(ThreadingHTTPServer):
    """The listening server (IPv4); request threads end with it."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: The requests' deadlines (made first: a failed bind closes the server at once).
        self.deadlines = Deadlines()
        super().__init__(*args, **kwargs)

    def server_close(self) -> None:
        super().server_close()
        self.deadlines.close()

    #: Set by :func:`open_front`: the connections it may answer at once.
    slots: threading.BoundedSemaphore = threading.BoundedSemaphore(MAX_CLIENTS)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Answer a connection in a thread of its own, or 503 when all slots are taken."""
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client goes away or times out; print anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FrontServer6(FrontServer):
    """The listening server on an IPv6 address."""

    address_family = socket.AF_INET6


def open_front(host: str, port: int, website: Website) -> FrontServer:
    """Bind the front server; raises OSError when the port is taken."""
    bare = host.strip("[]")
    server_class = FrontServer6 if ":" in bare else FrontServer
    server = server_class((bare, port), make_handler(website))
    server.slots = threading.BoundedSemaphore(website.max_clients)
    return server
