"""The front of ``nualod serve`` sends files with validators, answers conditional requests
(RFC 9110 §13) and ranges of bytes (§14), stays inside the site whatever links it holds,
and sends a 404 page asked for by its own path as it sends it for a missing path.

The front runs in this process over a small site written by the test (no SPARQL upstream).
"""

from __future__ import annotations

import http.client
import os
import threading
import zlib
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from nualod.serve.website import FrontServer, Website, open_front

TURTLE = b"@prefix ex: <http://example.org/> .\nex:a ex:b 777 .\n"  # 52 bytes
#: A 404 page built for the site's path /nualod/ (its stylesheet link tells the path).
NOT_FOUND = (
    '<!DOCTYPE html><html lang="id"><head><link rel="stylesheet" href="/nualod/assets/site.css">'
    '</head><body><h1>Halaman tidak ditemukan</h1><a href="/nualod/">Beranda</a></body></html>\n'
)


def _site(root: Path) -> Path:
    """Write a small site: a resource's page and Turtle, a download, the 404 pages."""
    site = root / "site"
    (site / "id" / "thing").mkdir(parents=True)
    (site / "en").mkdir()
    (site / "download").mkdir()
    (site / "index.html").write_text("<p>home</p>\n", encoding="utf-8")
    (site / "id" / "thing" / "a.html").write_text("<p>a</p>\n", encoding="utf-8")
    (site / "id" / "thing" / "a.ttl").write_bytes(TURTLE)
    (site / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (site / "en" / "404.html").write_text(NOT_FOUND.replace('"id"', '"en"'), encoding="utf-8")
    return site


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Serve a small site at / (base URL http://127.0.0.1:1/); yield the port and the site."""
    site = _site(tmp_path)
    port, server = _start(Website(site, "http://127.0.0.1:1/", None))
    yield port, site
    server.shutdown()
    server.server_close()


def _start(website: Website) -> tuple[int, FrontServer]:
    server = open_front("127.0.0.1", 0, website)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1]), server


def _ask(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Send one request; return the status, the headers (names lower-cased) and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body
    finally:
        connection.close()


def _etag(path: Path) -> str:
    status = path.stat()
    return f'"{status.st_ino:x}-{status.st_size:x}-{status.st_mtime_ns:x}"'


def _date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


def test_a_file_carries_its_validators_and_accepts_ranges(served: tuple[int, Path]) -> None:
    port, site = served
    turtle = site / "id" / "thing" / "a.ttl"
    status, headers, body = _ask(port, "/id/thing/a.ttl")
    assert (status, body) == (200, TURTLE)
    assert headers["etag"] == _etag(turtle)
    assert headers["last-modified"] == _date(turtle.stat().st_mtime)
    assert headers["accept-ranges"] == "bytes"
    assert headers["content-length"] == "52"
    assert "vary" not in headers
    # Each representation is a file of its own, with its own ETag.
    page = _ask(port, "/id/thing/a.html")[1]
    assert page["etag"] == _etag(site / "id" / "thing" / "a.html") != headers["etag"]
    # HEAD: the same headers, no body.
    head_status, head, head_body = _ask(port, "/id/thing/a.ttl", method="HEAD")
    assert (head_status, head_body) == (200, b"")
    assert {k: v for k, v in head.items() if k != "date"} == {
        k: v for k, v in headers.items() if k != "date"
    }


def test_a_changed_file_has_another_etag(served: tuple[int, Path]) -> None:
    port, site = served
    turtle = site / "id" / "thing" / "a.ttl"
    before = _ask(port, "/id/thing/a.ttl")[1]["etag"]
    os.utime(turtle, ns=(turtle.stat().st_atime_ns, turtle.stat().st_mtime_ns + 1))
    after = _ask(port, "/id/thing/a.ttl", {"If-None-Match": before})
    assert after[0] == 200
    assert after[1]["etag"] == _etag(turtle) != before
    assert after[2] == TURTLE


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"If-None-Match": "{etag}"}, 304),
        ({"If-None-Match": "W/{etag}"}, 304),  # If-None-Match compares weakly
        ({"If-None-Match": '"other", {etag}'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-None-Match": "not-a-tag"}, 200),
        ({"If-Modified-Since": "{modified}"}, 304),
        ({"If-Modified-Since": "{later}"}, 304),
        ({"If-Modified-Since": "{earlier}"}, 200),
        ({"If-Modified-Since": "yesterday"}, 200),  # not a date: ignored
        # If-None-Match decides; If-Modified-Since is then not looked at.
        ({"If-None-Match": '"other"', "If-Modified-Since": "{later}"}, 200),
        ({"If-None-Match": "{etag}", "If-Modified-Since": "{earlier}"}, 304),
        ({"If-Match": "{etag}"}, 200),
        ({"If-Match": "*"}, 200),
        ({"If-Match": "W/{etag}"}, 412),  # If-Match compares strongly
        ({"If-Match": '"other"'}, 412),
        ({"If-Unmodified-Since": "{earlier}"}, 412),
        ({"If-Unmodified-Since": "{modified}"}, 200),
        # If-Match decides; If-Unmodified-Since is then not looked at.
        ({"If-Match": "{etag}", "If-Unmodified-Since": "{earlier}"}, 200),
        ({"If-Match": '"other"', "If-None-Match": "{etag}"}, 412),
    ],
)
def test_conditional_requests(
    served: tuple[int, Path], headers: dict[str, str], expected: int
) -> None:
    port, site = served
    turtle = site / "id" / "thing" / "a.ttl"
    modified = int(turtle.stat().st_mtime)
    values = {
        "etag": _etag(turtle),
        "modified": _date(modified),
        "later": _date(modified + 60),
        "earlier": _date(modified - 60),
    }
    sent = {name: value.format(**values) for name, value in headers.items()}
    for method in ("GET", "HEAD"):
        status, answer, body = _ask(port, "/id/thing/a.ttl", sent, method)
        assert status == expected, method
        if expected == 304:
            assert body == b""
            assert answer["etag"] == values["etag"]
            assert answer["last-modified"] == values["modified"]
            assert "content-length" not in answer
            assert "content-type" not in answer
        elif expected == 412:
            assert body == (b"Precondition Failed\n" if method == "GET" else b"")
        else:
            assert body == (TURTLE if method == "GET" else b"")


@pytest.mark.parametrize(
    ("header", "status", "content_range", "part"),
    [
        ("bytes=0-9", 206, "bytes 0-9/52", TURTLE[:10]),
        ("bytes=10-", 206, "bytes 10-51/52", TURTLE[10:]),
        ("bytes=-5", 206, "bytes 47-51/52", TURTLE[-5:]),
        ("bytes=50-1000", 206, "bytes 50-51/52", TURTLE[50:]),
        ("bytes=-1000", 206, "bytes 0-51/52", TURTLE),
        ("BYTES = 3 - 3", 206, "bytes 3-3/52", TURTLE[3:4]),
        ("bytes=52-", 416, "bytes */52", b"Range Not Satisfiable\n"),
        ("bytes=-0", 416, "bytes */52", b"Range Not Satisfiable\n"),
        ("bytes=60-70, 80-", 416, "bytes */52", b"Range Not Satisfiable\n"),
        # Several ranges: the whole file (a server may always send it, RFC 9110 §14.2).
        ("bytes=0-1, 5-6", 200, None, TURTLE),
        ("bytes=5-1", 200, None, TURTLE),  # last before first: the field is ignored
        ("items=0-1", 200, None, TURTLE),
        ("bytes=a-b", 200, None, TURTLE),
    ],
)
def test_ranges(
    served: tuple[int, Path], header: str, status: int, content_range: str | None, part: bytes
) -> None:
    port, site = served
    answer_status, headers, body = _ask(port, "/id/thing/a.ttl", {"Range": header})
    assert (answer_status, body) == (status, part)
    assert headers.get("content-range") == content_range
    assert headers["content-length"] == str(len(part))
    if status != 416:
        assert headers["etag"] == _etag(site / "id" / "thing" / "a.ttl")
    # HEAD: ranges are for GET alone.
    assert _ask(port, "/id/thing/a.ttl", {"Range": header}, "HEAD")[0] == 200


def test_a_position_of_thousands_of_digits_is_past_any_file(served: tuple[int, Path]) -> None:
    """Python reads 4,300 digits at most: a longer position is far, not a traceback."""
    port, _ = served
    far = "9" * 5000
    status, headers, body = _ask(port, "/id/thing/a.ttl", {"Range": f"bytes={far}-"})
    assert (status, headers["content-range"], body) == (
        416,
        "bytes */52",
        b"Range Not Satisfiable\n",
    )
    status, headers, body = _ask(port, "/id/thing/a.ttl", {"Range": f"bytes=0{far}-{far}"})
    assert (status, headers["content-range"]) == (416, "bytes */52")
    status, headers, body = _ask(port, "/id/thing/a.ttl", {"Range": f"bytes=0-{far}"})
    assert (status, headers["content-range"], body) == (206, "bytes 0-51/52", TURTLE)
    status, headers, body = _ask(port, "/id/thing/a.ttl", {"Range": f"bytes={'0' * 5000}7-7"})
    assert (status, headers["content-range"], body) == (206, "bytes 7-7/52", TURTLE[7:8])


def test_if_range(served: tuple[int, Path]) -> None:
    port, site = served
    turtle = site / "id" / "thing" / "a.ttl"
    modified = int(turtle.stat().st_mtime)
    for if_range, status in [
        (_etag(turtle), 206),
        ("W/" + _etag(turtle), 200),  # compared strongly
        ('"other"', 200),
        (_date(modified), 206),
        (_date(modified - 60), 200),
    ]:
        answer = _ask(port, "/id/thing/a.ttl", {"Range": "bytes=0-3", "If-Range": if_range})
        assert answer[0] == status, if_range
        assert answer[2] == (TURTLE[:4] if status == 206 else TURTLE)
    # A 304 comes before any range.
    both = {"Range": "bytes=0-3", "If-None-Match": _etag(turtle)}
    assert _ask(port, "/id/thing/a.ttl", both)[0] == 304


def test_a_range_far_into_a_large_file_is_read_from_there(served: tuple[int, Path]) -> None:
    """A 5 GiB dump (sparse: it takes no room) is sent from where the range starts."""
    port, site = served
    dump = site / "download" / "nualod.nq"
    at = 4_700_000_000  # past 2**32
    with dump.open("wb") as stream:
        stream.truncate(5 * 2**30)
        stream.seek(at)
        stream.write(b"<urn:s> <urn:p> <urn:o> .\n")
    status, headers, body = _ask(port, "/download/nualod.nq", {"Range": f"bytes={at}-{at + 25}"})
    assert (status, body) == (206, b"<urn:s> <urn:p> <urn:o> .\n")
    assert headers["content-range"] == f"bytes {at}-{at + 25}/{5 * 2**30}"
    # A range past SMALL_FILE is sent by sendfile from the file, not read into memory.
    wide = f"bytes={at - 100_000}-{at + 25}"
    status, headers, body = _ask(port, "/download/nualod.nq", {"Range": wide})
    assert (status, body) == (206, b"\0" * 100_000 + b"<urn:s> <urn:p> <urn:o> .\n")
    assert headers["content-range"] == f"bytes {at - 100_000}-{at + 25}/{5 * 2**30}"
    head = _ask(port, "/download/nualod.nq", method="HEAD")
    assert (head[0], head[1]["content-length"], head[2]) == (200, str(5 * 2**30), b"")
    assert _ask(port, "/download/nualod.nq", {"If-None-Match": _etag(dump)})[0] == 304


def test_links_leading_out_of_the_site_are_not_followed(
    served: tuple[int, Path], tmp_path: Path
) -> None:
    port, site = served
    secret = tmp_path / "secret.ttl"
    secret.write_text("secret\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.ttl").write_text("secret\n", encoding="utf-8")
    (site / "leak.ttl").symlink_to(secret)
    (site / "leaks").symlink_to(tmp_path / "outside")
    (site / "id" / "thing" / "b.html").write_text("<p>b</p>\n", encoding="utf-8")
    (site / "id" / "thing" / "b.ttl").symlink_to(secret)
    for path in ("/leak.ttl", "/leaks/x.ttl", "/id/thing/b.ttl"):
        status, _, body = _ask(port, path)
        assert status == 404, path
        assert b"secret" not in body
    # A data IRI is not offered a representation that leads out of the site.
    status, _, body = _ask(port, "/id/thing/b", {"Accept": "text/turtle"})
    assert status == 406
    assert body == (
        b"Not Acceptable. This resource is available as:\n"
        b"text/html http://127.0.0.1:1/id/thing/b.html\n"
    )
    # A link that stays inside the site is followed; a hard link is a file like any other.
    (site / "same.ttl").symlink_to(site / "id" / "thing" / "a.ttl")
    os.link(secret, site / "download" / "linked.ttl")
    assert _ask(port, "/same.ttl")[:3:2] == (200, TURTLE)
    assert _ask(port, "/download/linked.ttl")[:3:2] == (200, b"secret\n")


def test_a_site_folder_that_is_a_link_is_served(tmp_path: Path) -> None:
    site = _site(tmp_path / "real")
    (tmp_path / "site").symlink_to(site)
    port, server = _start(Website(tmp_path / "site", "http://127.0.0.1:1/", None))
    try:
        assert _ask(port, "/id/thing/a.ttl")[:3:2] == (200, TURTLE)
        answer = _ask(port, "/id/thing/a", {"Accept": "text/turtle"})
        assert (answer[0], answer[1]["location"]) == (303, "http://127.0.0.1:1/id/thing/a.ttl")
        assert answer[1]["vary"] == "Accept"
    finally:
        server.shutdown()
        server.server_close()


def test_the_404_page_asked_for_by_its_path_is_moved_to_the_servers_path(
    served: tuple[int, Path],
) -> None:
    """The site was built for /nualod/ and is served at /: the page's links are moved, as
    for a missing path, and so its ETag is not the file's."""
    port, site = served
    for lang, path in (("id", "404.html"), ("en", "en/404.html")):
        expected = NOT_FOUND.replace('"id"', f'"{lang}"').replace('"/nualod/', '"/').encode()
        missing = _ask(port, f"/{lang}-no-such-page" if lang == "id" else "/en/no/such")
        assert (missing[0], missing[2]) == (404, expected)
        status, headers, body = _ask(port, "/" + path)
        assert (status, body) == (200, expected)
        assert "vary" not in headers
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["content-length"] == str(len(expected))
        moved = _etag(site / path)[:-1] + f'-{zlib.crc32(b"/"):08x}"'
        assert headers["etag"] == moved
        revalidated = _ask(port, "/" + path, {"If-None-Match": moved})
        assert (revalidated[0], revalidated[1]["etag"], revalidated[2]) == (304, moved, b"")
        assert _ask(port, "/" + path, {"Range": "bytes=-8"})[2] == expected[-8:]


def test_the_404_page_served_at_the_path_it_was_built_for_is_the_file(tmp_path: Path) -> None:
    site = _site(tmp_path)
    port, server = _start(Website(site, "http://127.0.0.1:1/nualod/", None))
    try:
        status, headers, body = _ask(port, "/nualod/404.html")
        assert (status, body) == (200, NOT_FOUND.encode())
        assert headers["etag"] == _etag(site / "404.html")
    finally:
        server.shutdown()
        server.server_close()
