"""Cross-origin reads (CORS) of what ``nualod serve`` and the static hosts answer.

The data are public and no answer depends on a cookie or a login, so a script on any
origin may read them (W3C Data on the Web Best Practices): every answer carries
``Access-Control-Allow-Origin: *`` and, beyond the headers any script may read (the
CORS-safelisted response headers of the Fetch standard: ``Content-Type``,
``Content-Length``, ``Last-Modified``...), exposes the ones that describe a file
(:data:`EXPOSED`). ``*`` admits no credentials, and none are asked for: no
``Access-Control-Allow-Credentials`` is sent.

A request a browser checks first (a POST of ``application/sparql-query``, a conditional
GET with ``If-None-Match``) is preceded by an ``OPTIONS`` preflight; it is answered ``204``
with the methods of the path (:func:`methods_of`), the request headers a client may send
(:data:`ALLOWED_HEADERS`: content negotiation, conditions and ranges) and how long the
browser may keep that answer (:data:`MAX_AGE`). Any ``OPTIONS`` gets that answer, with
``Allow`` naming the same methods: what the path allows does not depend on the asking.

The Oxigraph server behind ``/query`` runs without ``--cors``, and the front passes on
none of its headers but ``Content-Type`` and ``Vary``: each header is sent once, by the
front. The configurations of :mod:`nualod.serve.hosting` send the same headers.
"""

from __future__ import annotations

from typing import Final

ALLOW_ORIGIN: Final = "*"
#: Headers of an answer a script may read beyond the safelisted ones: the validators and
#: ranges of a file (:mod:`nualod.serve.conditional`) and where a redirect leads.
EXPOSED: Final = ("ETag", "Accept-Ranges", "Content-Range", "Location")
#: Request headers a cross-origin script may send: what it accepts and posts, its
#: conditions and its range (those not always safelisted: an ``Accept`` with a quoted
#: profile, a ``Content-Type`` of ``application/sparql-query``, any condition).
ALLOWED_HEADERS: Final = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
    "If-Range",
    "Range",
    # Any other a script sends (Cache-Control, X-Requested-With): the wildcard, which the
    # Fetch standard honours for a request without credentials, as all of these are; the
    # names before it are for browsers older than the wildcard.
    "*",
)
#: Seconds a browser may keep a preflight's answer: two hours, Chromium's longest.
MAX_AGE: Final = 7200
#: The methods of the site's paths, and of the SPARQL endpoint.
READ_METHODS: Final = ("GET", "HEAD")
QUERY_METHODS: Final = ("GET", "HEAD", "POST")


def methods_of(query_endpoint: bool) -> str:
    """Return the methods a path allows, as ``Allow`` and ``Access-Control-Allow-Methods``
    name them.

    >>> methods_of(False), methods_of(True)
    ('GET, HEAD', 'GET, HEAD, POST')
    """
    return ", ".join(QUERY_METHODS if query_endpoint else READ_METHODS)


def answer_headers() -> tuple[tuple[str, str], ...]:
    """Return the headers every answer carries.

    >>> answer_headers()  # doctest: +NORMALIZE_WHITESPACE
    (('Access-Control-Allow-Origin', '*'),
     ('Access-Control-Expose-Headers', 'ETag, Accept-Ranges, Content-Range, Location'))
    """
    return (
        ("Access-Control-Allow-Origin", ALLOW_ORIGIN),
        ("Access-Control-Expose-Headers", ", ".join(EXPOSED)),
    )


def preflight_headers(methods: str) -> tuple[tuple[str, str], ...]:
    """Return the headers an ``OPTIONS`` answer (204) carries beyond :func:`answer_headers`,
    for a path allowing ``methods`` (:func:`methods_of`).

    >>> dict(preflight_headers("GET, HEAD"))["Access-Control-Max-Age"]
    '7200'
    """
    return (
        ("Allow", methods),
        ("Access-Control-Allow-Methods", methods),
        ("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS)),
        ("Access-Control-Max-Age", str(MAX_AGE)),
    )
