"""Conditional requests and ranges (RFC 9110 §13, §14) that ``nualod serve`` and the static
hosts (nginx, Apache, Caddy with the generated configurations) answer alike.

Each row of :data:`CACHE_MATRIX` is ``(name, method, headers, status, span)``: the request's
headers are templates (``{etag}`` is the ETag the host sent for the file, ``{modified}`` its
``Last-Modified``, ``{earlier}`` and ``{later}`` a day either side, ``{size}`` its size), the
answer's status and, for 206, the first and last byte (a negative first byte counts from the
end). Each row is asked of two files: a practice's Turtle and the N-Quads dump under
``download/``. Their modification time is set to :data:`AGED` first
(:func:`age_cached_files`), so that ``{later}`` is in the past: Apache ignores a date in the
future.

Where a host answers otherwise, :data:`HOST_ANSWERS` says what it answers, and that is
checked instead: Caddy (Go's file server) answers 416 to a range unit it does not know,
which RFC 9110 §14.2 says to ignore; Apache's 416 has no ``Content-Range: bytes */size``.
What the hosts answer differently and no row holds is tested on ``nualod serve`` alone
(``tests/test_serve_conditional.py``): several ranges (nginx, Apache and Caddy send
``multipart/byteranges``, ``nualod serve`` the whole file), a Range on HEAD (they answer
206; ``nualod serve`` ignores it, as §14.2 says for any method but GET), and a range whose
last byte comes before its first (nginx and Caddy 416, Apache and ``nualod serve`` the whole
file).
"""

from __future__ import annotations

import http.client
import os
from email.utils import formatdate
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

#: The modification time of the files asked for: 2026-01-01T00:00:00Z.
AGED: Final = 1_767_225_600
DAY: Final = 86_400

CACHE_MATRIX: Final[tuple[tuple[str, str, dict[str, str], int, tuple[int, int] | None], ...]] = (
    ("no condition", "GET", {}, 200, None),
    ("HEAD, no condition", "HEAD", {}, 200, None),
    ("If-None-Match, the ETag", "GET", {"If-None-Match": "{etag}"}, 304, None),
    ("HEAD, If-None-Match, the ETag", "HEAD", {"If-None-Match": "{etag}"}, 304, None),
    ("If-None-Match, weak comparison", "GET", {"If-None-Match": "W/{etag}"}, 304, None),
    ("If-None-Match, a list", "GET", {"If-None-Match": '"other", {etag}'}, 304, None),
    ("If-None-Match: *", "GET", {"If-None-Match": "*"}, 304, None),
    ("If-None-Match, another ETag", "GET", {"If-None-Match": '"other"'}, 200, None),
    ("If-Modified-Since, the date", "GET", {"If-Modified-Since": "{modified}"}, 304, None),
    ("If-Modified-Since, later", "GET", {"If-Modified-Since": "{later}"}, 304, None),
    ("If-Modified-Since, earlier", "GET", {"If-Modified-Since": "{earlier}"}, 200, None),
    ("If-None-Match decides over If-Modified-Since", "GET",
     {"If-None-Match": '"other"', "If-Modified-Since": "{modified}"}, 200, None),
    ("If-Match, the ETag", "GET", {"If-Match": "{etag}"}, 200, None),
    ("If-Match, another ETag", "GET", {"If-Match": '"other"'}, 412, None),
    ("If-Unmodified-Since, earlier", "GET", {"If-Unmodified-Since": "{earlier}"}, 412, None),
    ("If-Unmodified-Since, the date", "GET", {"If-Unmodified-Since": "{modified}"}, 200, None),
    ("a range", "GET", {"Range": "bytes=0-9"}, 206, (0, 9)),
    ("a range to the end", "GET", {"Range": "bytes=10-"}, 206, (10, -1)),
    ("the last bytes", "GET", {"Range": "bytes=-5"}, 206, (-5, -1)),
    ("a range past the end is cut", "GET", {"Range": "bytes=3-999999999"}, 206, (3, -1)),
    ("a range starting past the end", "GET", {"Range": "bytes={size}-"}, 416, None),
    ("another unit", "GET", {"Range": "items=0-9"}, 200, None),
    ("If-Range, the ETag", "GET", {"Range": "bytes=0-9", "If-Range": "{etag}"}, 206, (0, 9)),
    ("If-Range, another ETag", "GET", {"Range": "bytes=0-9", "If-Range": '"other"'}, 200, None),
    ("If-Range, the date", "GET", {"Range": "bytes=0-9", "If-Range": "{modified}"}, 206, (0, 9)),
    ("If-Range, another date", "GET", {"Range": "bytes=0-9", "If-Range": "{earlier}"}, 200, None),
    ("304 before a range", "GET", {"Range": "bytes=0-9", "If-None-Match": "{etag}"}, 304, None),
)  # fmt: skip


#: ``{host: {row name: status}}``: where a host's answer is not the row's (a 416 there has
#: no ``Content-Range``: the host found the field invalid, not the range past the end).
HOST_ANSWERS: Final[dict[str, dict[str, int]]] = {"caddy": {"another unit": 416}}
#: Hosts whose 416 carries no ``Content-Range``.
NO_CONTENT_RANGE_ON_416: Final = frozenset({"apache"})


def cached_files(stem: str) -> tuple[str, ...]:
    """Return the files, relative to the site, each row is asked of: a practice's Turtle
    (``stem`` is its stem) and the N-Quads dump."""
    return (f"{stem}.ttl", "download/nualod.nq")


def age_cached_files(out: Path, stem: str) -> None:
    """Set the modification time of the files of :func:`cached_files` to :data:`AGED`."""
    for name in cached_files(stem):
        os.utime(out / "site" / name, (AGED, AGED))


def _ask(url: str, method: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Send one request with exactly these headers (and Host); return status, headers, body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request(method, parts.path, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        names = [k.lower() for k, _ in answer.getheaders()]
        # A CORS header sent twice ("*, *") makes a browser refuse the answer.
        twice = sorted({n for n in names if n.startswith("access-control-") and names.count(n) > 1})
        assert not twice, (url, method, headers, answer.status, twice)
        assert names.count("access-control-allow-origin") == 1, (url, headers, answer.status)
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body
    finally:
        connection.close()


def assert_cache_row(
    base: str,
    out: Path,
    stem: str,
    row: tuple[str, str, dict[str, str], int, tuple[int, int] | None],
    host: str = "nualod serve",
) -> None:
    """Check a host serving the site of ``out`` at ``base`` (no ``/`` at the end) against a
    row of :data:`CACHE_MATRIX`, for each file of :func:`cached_files` (``host`` names the
    host in :data:`HOST_ANSWERS` and :data:`NO_CONTENT_RANGE_ON_416`)."""
    name, method, headers, status, span = row
    own = HOST_ANSWERS.get(host, {}).get(name)
    status = status if own is None else own
    for file in cached_files(stem):
        url = f"{base}/{file}"
        content = (out / "site" / file).read_bytes()
        first_status, first, first_body = _ask(url, "GET", {})
        assert (first_status, first_body) == (200, content), file
        assert first["last-modified"] == formatdate(AGED, usegmt=True), file
        assert first["accept-ranges"] == "bytes", file
        assert first["etag"].startswith('"'), file
        values = {
            "etag": first["etag"],
            "modified": first["last-modified"],
            "earlier": formatdate(AGED - DAY, usegmt=True),
            "later": formatdate(AGED + DAY, usegmt=True),
            "size": str(len(content)),
        }
        sent = {key: value.format(**values) for key, value in headers.items()}
        got_status, got, body = _ask(url, method, sent)
        assert got_status == status, (name, file)
        if status == 304:
            assert body == b"", file
            assert got["etag"] == first["etag"], file
        elif status == 416 and (own is not None or host in NO_CONTENT_RANGE_ON_416):
            assert "content-range" not in got, file
        elif status == 416:
            assert got["content-range"] == f"bytes */{len(content)}", file
        elif status == 206 and span is not None:
            start = span[0] % len(content)
            last = span[1] % len(content)
            assert got["content-range"] == f"bytes {start}-{last}/{len(content)}", file
            assert body == content[start : last + 1], file
        elif status == 200:
            assert "content-range" not in got, file
            assert body == (content if method == "GET" else b""), file
            assert got["etag"] == first["etag"], file
