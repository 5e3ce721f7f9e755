"""The site the serving tests run against: ``nualod site`` over a publish of the examples.

:func:`build_site` writes ``out/site`` with the real generator (no search index, which the
serving tests do not need) and returns, for every practice and region, its IRI and the
stem its files have by the paths contract of :mod:`nualod.site.paths`.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import requests
from cache_matrix import age_cached_files
from conneg_matrix import PAGES, PYLD
from cors_matrix import ORIGIN, PREFLIGHT, ask, assert_cors_headers
from pyoxigraph import NamedNode, RdfFormat, Store

from nualod.model.namespaces import CONTEXT
from nualod.model.resources import resource_bytes
from nualod.run.publish import publish
from nualod.site.build import build_site as generate_site
from nualod.site.paths import MEDIA_TYPES, site_path
from nualod.validate.stream import SHIPPED_CONTEXTS

#: The JSON-LD context that ``nualod validate`` reads for nualod's context IRI: the site
#: publishes these bytes at that IRI.
SHIPPED_CONTEXT: Final = resource_bytes(SHIPPED_CONTEXTS[CONTEXT])


def build_site(out: Path, base_url: str = "https://w3id.org/nualod/") -> dict[str, str]:
    """Write ``out/site`` from the publish folder ``out``; return {IRI: stem} of its data IRIs."""
    generate_site(out, base_url=base_url, search=False, workers=1)
    store = Store()
    store.bulk_load(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS)
    subjects = {
        quad.subject.value
        for quad in store
        if isinstance(quad.subject, NamedNode)
        and ("/id/practice/" in quad.subject.value or "/id/region/" in quad.subject.value)
        and "#" not in quad.subject.value
    }
    stems = {iri: site_path(iri) for iri in sorted(subjects)}
    missing = [
        iri
        for iri, stem in stems.items()
        if not stem or not (out / "site" / f"{stem}.html").is_file()
    ]
    assert not missing, missing[:5]
    return {iri: stem for iri, stem in stems.items() if stem}


#: The path of the base URL the sites here are built for: where their 404 pages' links start.
SITE_PATH: Final = "/nualod/"
#: Missing paths, relative to the site, of each language's site (English under ``en/``).
MISSING_PATHS: Final[dict[str, tuple[str, ...]]] = {
    "id": (
        "id/region/99.99",
        "id/practice/00-0-00.00-0000000000000000",
        "x.ttl",
        "no/such/page",
    ),
    "en": (
        "en/no/such/page",
        "en/id/practice/unknown",
        "en/id/practice/00-0-00.00-0000000000000000",
        "en/x.ttl",
    ),
}
#: The heading of each language's 404 page.
NOT_FOUND_HEADING: Final = {"id": "Halaman tidak ditemukan", "en": "Page not found"}


def not_found_page(out: Path, lang: str = "id") -> bytes:
    """Return the bytes of the site's 404 page in ``lang`` (``404.html``, ``en/404.html``)."""
    return (out / "site" / ("en/" if lang == "en" else "") / "404.html").read_bytes()


def assert_not_found_pages(base: str, out: Path, links_from: str = SITE_PATH) -> None:
    """Check that a host serving the site of ``out`` at ``base`` (ending in ``/``) answers a
    missing path under ``en/`` with the English 404 page and any other with the Indonesian
    one: status 404, ``Vary: Accept``, the page's bytes with its links moved to start from
    ``links_from`` (where the host serves the site; the pages are built for SITE_PATH); the
    page asked for by its own path (``404.html``) is the same, with 200."""
    for lang, paths in MISSING_PATHS.items():
        expected = not_found_page(out, lang)
        for attribute in (b'href="', b'src="'):
            expected = expected.replace(
                attribute + SITE_PATH.encode(), attribute + links_from.encode()
            )
        for path in paths:
            missing = get_accepting(base + path, "text/turtle")
            assert missing.status_code == 404, path
            assert missing.headers["Vary"] == "Accept", path
            assert missing.headers["Content-Type"] == "text/html; charset=utf-8", path
            assert f'<html lang="{lang}">'.encode() in missing.content, path
            assert f"<h1>{NOT_FOUND_HEADING[lang]}</h1>" in missing.text, path
            assert missing.content == expected, path
        # Asked for by its own path, the page is the same bytes, with 200.
        page = ("en/" if lang == "en" else "") + "404.html"
        direct = get_accepting(base + page, "text/turtle")
        assert direct.status_code == 200, page
        assert direct.content == expected, page


def assert_links_answer(base: str, path: str) -> None:
    """Check that every link of the page a host answers at ``base + path`` (the links of a
    404 page start from the site's path) leads to a page or file the host has."""
    page = get_accepting(base + path, None)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    links = re.findall(r'(?:href|src)="(/[^"]*)"', page.text)
    assert len(links) > 8, path
    for link in links:
        assert get_accepting(origin + link.split("#", 1)[0], None).status_code == 200, link


def published_site(out: Path, pages: Path) -> tuple[Path, dict[str, str]]:
    """Publish ``pages`` into ``out`` and write its site; return the folder and {IRI: stem}.

    The release is version 1, so that the site has its versions pages and feed. The files
    the cache matrix asks for are given an old modification time
    (:func:`cache_matrix.age_cached_files`)."""
    publish([pages], out, version="1")
    stems = build_site(out)
    age_cached_files(out, practice_of(stems)[1])
    return out, stems


def practice_of(stems: dict[str, str]) -> tuple[str, str]:
    """Return the first practice's IRI and its site stem."""
    iri = next(iri for iri in sorted(stems) if "/id/practice/" in iri)
    return iri, stems[iri]


def region_of(stems: dict[str, str]) -> tuple[str, str]:
    """Return the first region's IRI and its site stem."""
    iri = next(iri for iri in sorted(stems) if "/id/region/" in iri)
    return iri, stems[iri]


def _filled(template: str, stems: dict[str, str]) -> str:
    """Return a path of :mod:`conneg_matrix` with a practice's and a region's put in."""
    practice, practice_stem = practice_of(stems)
    region, _ = region_of(stems)
    return template.format(
        practice=practice.removeprefix("https://w3id.org/nualod/"),
        practice_stem=practice_stem,
        region=region.removeprefix("https://w3id.org/nualod/"),
    )


def assert_path_answers(
    base: str,
    stems: dict[str, str],
    row: tuple[str, str, str | None, str | None],
    *,
    one_line: bool = False,
) -> None:
    """Check a host serving the site at ``base`` (no ``/`` at the end) against a row of
    :data:`conneg_matrix.PATH_MATRIX`: 303 to the chosen file, or 406 listing the files the
    path offers (on one line when ``one_line``, as Apache's is); ``Vary: Accept`` both."""
    _, path, header, answer = row
    page, data = PAGES[path]
    files = {"html": f"{_filled(page, stems)}.html"}
    if data is not None:
        files |= {ext: f"{_filled(data, stems)}.{ext}" for ext in ("ttl", "jsonld", "nt")}
    response = get_accepting(f"{base}/{_filled(path, stems)}", header)
    _assert_answer(response, base, files, answer, one_line=one_line)


def assert_negotiates(
    base: str,
    stems: dict[str, str],
    header: str | None,
    answer: str | None,
    *,
    one_line: bool = False,
) -> None:
    """Check a host serving the site at ``base`` against a row of :data:`conneg_matrix.MATRIX`:
    the first practice's IRI path, asked for with ``Accept: header``, answers as
    :func:`assert_path_answers` says."""
    iri, stem = practice_of(stems)
    response = get_accepting(base + "/" + iri.removeprefix("https://w3id.org/nualod/"), header)
    files = {ext: f"{stem}.{ext}" for ext in MEDIA_TYPES}
    _assert_answer(response, base, files, answer, one_line=one_line)


def _assert_answer(
    response: requests.Response,
    base: str,
    files: dict[str, str],
    answer: str | None,
    *,
    one_line: bool,
) -> None:
    """Check a negotiated answer: 303 to ``files[answer]``, or 406 listing ``files``."""
    assert response.headers["Vary"] == "Accept"
    if answer is None:
        assert response.status_code == 406
        lines = ["Not Acceptable. This resource is available as:"]
        lines += [f"{MEDIA_TYPES[ext]} {base}/{file}" for ext, file in files.items()]
        if one_line:
            assert response.text == " ".join(lines)
        else:
            assert response.text.splitlines() == lines
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == f"{base}/{files[answer]}"


def assert_context_answers(base: str, row: tuple[str, str, str | None]) -> None:
    """Check a host serving the site at ``base`` (no ``/`` at the end) against a row of
    :data:`conneg_matrix.CONTEXT_MATRIX`: 200 with the shipped context's bytes as JSON-LD,
    whatever ``Accept`` says, and no ``Vary`` (nothing is negotiated there)."""
    name, path, header = row
    response = get_accepting(f"{base}/{path}", header)
    assert response.status_code == 200, name
    assert response.headers["Content-Type"] == "application/ld+json; charset=utf-8", name
    assert response.content == SHIPPED_CONTEXT, name
    assert "Vary" not in response.headers, name


def assert_serves_files(
    base: str, out: Path, stems: dict[str, str], *, htaccess_status: int = 404
) -> None:
    """Check a host serving the site of ``out`` at ``base`` (no ``/`` at the end): a
    practice's files with their media types, the home page, each language's 404 page,
    ``/.well-known/void`` as Turtle, the ontology's redirect, and no ``.htaccess``."""
    _, stem = practice_of(stems)
    for extension, media_type in MEDIA_TYPES.items():
        response = get_accepting(f"{base}/{stem}.{extension}", "*/*")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
        assert response.content == (out / "site" / f"{stem}.{extension}").read_bytes()
    assert_not_found_pages(base + "/", out)
    assert get_accepting(base + "/", None).content == (out / "site" / "index.html").read_bytes()
    void = get_accepting(base + "/.well-known/void", None)
    assert void.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert void.content == (out / "site" / ".well-known" / "void").read_bytes()
    assert get_accepting(base + "/.htaccess", None).status_code == htaccess_status
    # An example query the home page links, as SPARQL's own media type (review: nginx sent
    # it as application/octet-stream, Caddy with no Content-Type).
    query = next((out / "site" / "queries").glob("*.rq")).relative_to(out / "site").as_posix()
    answer = get_accepting(f"{base}/{query}", None)
    assert answer.headers["Content-Type"] == "application/sparql-query; charset=utf-8", base
    assert_serves_site_texts(base, out)
    ontology = get_accepting(base + "/def", "text/turtle")
    assert ontology.headers["Location"] == f"{base}/def.ttl"
    assert_reads_dot_segments(base, out)


def raw_get(base: str, path: str) -> tuple[bytes, bytes]:
    """Send ``GET path`` (under the path of ``base``) as it is written, which ``requests``
    would not (it removes dot segments); return the answer's status line and body."""
    where = urlsplit(base)
    assert where.hostname is not None and where.port is not None
    with socket.create_connection((where.hostname, where.port), timeout=10) as connection:
        connection.sendall(
            f"GET {where.path}{path} HTTP/1.0\r\nHost: {where.netloc}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0], body


def assert_reads_dot_segments(base: str, out: Path) -> None:
    """Check that a host removes the dot segments of a raw path as RFC 3986 does (browsers
    remove them before asking; curl --path-as-is and other clients do not), and lets none
    climb out of the site: one that climbs above it is refused (nginx: 400; ``nualod serve``:
    404) or stops at its root (Caddy, as RFC 3986's own algorithm does)."""
    home = (out / "site" / "index.html").read_bytes()
    for path in ("/id/../index.html", "/./id/%2E%2E/index.html", "/id/./.././index.html"):
        status, body = raw_get(base, path)
        assert status.endswith(b" 200 OK"), (base, path, status)
        assert body == home, (base, path)
    for path in ("/../index.html", "/%2e%2e/index.html", "/id/../../index.html"):
        status, body = raw_get(base, path)
        refused = status.endswith((b" 400 Bad Request", b" 404 Not Found"))
        assert refused or (status.endswith(b" 200 OK") and body == home), (base, path, status)


def assert_serves_site_texts(base: str, out: Path) -> None:
    """Check that the site's own text files are served with their types and charset."""
    # Alike on every host (review: nginx and Apache sent the style and the sitemap without a
    # charset, and the sitemap as text/xml or application/xml).
    for path, media_type in (
        ("sitemap.xml", "application/xml"),
        ("robots.txt", "text/plain"),
        ("assets/site.css", "text/css"),
        ("assets/search.js", "text/javascript"),
        ("versions.atom", "application/atom+xml"),
        ("en/versions.atom", "application/atom+xml"),
    ):
        answer = get_accepting(f"{base}/{path}", None)
        assert answer.headers["Content-Type"] == f"{media_type}; charset=utf-8", (base, path)
        assert answer.content == (out / "site" / path).read_bytes()


def assert_location_ignores_host(base: str, stems: dict[str, str], host: str) -> None:
    """Check that a redirect's ``Location`` comes from the base URL, whatever ``Host`` says:
    a data IRI's (303) and a folder's named without its slash (301)."""
    iri, stem = practice_of(stems)
    path = "/" + iri.removeprefix("https://w3id.org/nualod/")
    response = get_accepting(base + path, "text/turtle", headers={"Host": host})
    assert response.headers["Location"] == f"{base}/{stem}.ttl"
    assert_folders_moved(base + "/", headers={"Host": host})


#: Folders of the site named without their slash, one with a query: each is moved (301) to
#: the folder, the query kept.
FOLDERS: Final = ("download", "en/search?q=batik", "en/search?")


def assert_folders_moved(base: str, moved_to: str | None = None, **kwargs: object) -> None:
    """Check that a host serving the site at ``base`` (ending in ``/``) moves each folder of
    :data:`FOLDERS` to the folder under ``moved_to``, the site's base URL (``base`` when
    None), and still negotiates ``def``, a data IRI that is also a folder. Served below the
    root (``/nualod/``), the site's own folder named without its slash is moved there too."""
    if urlsplit(base).path != "/":
        root = get_accepting(base.removesuffix("/") + "?q=batik", None, **kwargs)
        assert (root.status_code, root.headers["Location"]) == (301, f"{moved_to or base}?q=batik")
        # From the base URL, never the request's Host (Apache's mod_dir answered from it).
        status, headers, _ = ask(base.removesuffix("/"), "GET", {"Host": "evil.example"})
        if status == 301:  # Caddy serves no other host, nginx's block any
            assert dict(headers)["location"] == (moved_to or base), headers
    for path in FOLDERS:
        moved = get_accepting(base + path, None, **kwargs)
        folder, _, query = path.partition("?")
        assert moved.status_code == 301, path
        # The query kept; a lone "?" dropped.
        expected = f"{moved_to or base}{folder}/" + (f"?{query}" if query else "")
        assert moved.headers["Location"] == expected, path
    ontology = get_accepting(base + "def", "text/turtle", **kwargs)
    assert (ontology.status_code, ontology.headers["Location"]) == (
        303,
        f"{moved_to or base}def.ttl",
    )


def get_accepting(url: str, accept: str | None, **kwargs: object) -> requests.Response:
    """GET ``url`` with exactly this ``Accept`` header (none when None), not following redirects."""
    with requests.Session() as session:
        if accept is None:
            del session.headers["Accept"]
        else:
            session.headers["Accept"] = accept
        return session.get(url, allow_redirects=False, timeout=30, **kwargs)  # type: ignore[arg-type]


def path_of(iri: str) -> str:
    """Return a data IRI's path below the site's base."""
    return iri.removeprefix("https://w3id.org/nualod/")


def assert_site_served_at(base: str, out: Path, iri: str, stem: str) -> None:
    """Check a host serving the site of ``out`` at ``base`` (a path below its root): a data
    IRI's path redirects to its Turtle (and answers a CORS preflight), the home page, the
    404 page of each language (whose links work there: the site is built for that path),
    ``/.well-known/void`` and the JSON-LD context are the site's own."""
    path = path_of(iri)
    redirect = get_accepting(base + path, "text/turtle")
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"{base}{stem}.ttl"
    assert redirect.headers["Access-Control-Allow-Origin"] == "*"
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    status, headers, body = ask(base + path, "OPTIONS", preflight)
    assert (status, body) == (204, b"")
    assert_cors_headers(headers, preflight=PREFLIGHT)
    turtle = get_accepting(redirect.headers["Location"], None)
    assert turtle.content == (out / "site" / f"{stem}.ttl").read_bytes()
    # The query is no part of the file's address (Apache kept it).
    queried = get_accepting(base + path + "?x=1", "text/turtle")
    assert queried.headers["Location"] == f"{base}{stem}.ttl"
    # What there is, in a sentence (Apache sent its ErrorDocument's text as text/html).
    refused = get_accepting(base + path, "application/rdf+xml")
    assert (refused.status_code, refused.headers["Content-Type"]) == (
        406,
        "text/plain; charset=utf-8",
    )
    home = get_accepting(base, None)
    assert home.content == (out / "site" / "index.html").read_bytes()
    assert "Vary" not in home.headers  # a folder's page depends on no header (Apache's did)
    assert urlsplit(base).path == SITE_PATH
    assert_not_found_pages(base, out)
    assert_folders_moved(base)
    for path in ("id/region/99.99", "en/no/such/page"):
        assert_links_answer(base, path)
    void = get_accepting(base + ".well-known/void", None)
    assert void.headers["Content-Type"] == "text/turtle; charset=utf-8"
    # The JSON-LD context is where the w3id.org redirect leads its IRI: under the site's path.
    for path in ("context", "context.jsonld"):
        assert_context_answers(base.rstrip("/"), (path, path, PYLD))
    # Outside its path the host is not the site's: nginx and Caddy served the whole site at
    # the root too (hosting review).
    root = base.removesuffix(SITE_PATH) + "/"
    for outside in (path_of(iri), f"{stem}.ttl", "download/nualod.ttl", "context", ""):
        answer = get_accepting(root + outside, "text/turtle")
        # The host's own refusal (Apache's configuration here denies its root: 403).
        assert answer.status_code in (403, 404), (outside, answer.status_code)
