"""Content negotiation: pick the representation of a data IRI from an ``Accept`` header.

The rules (RFC 9110 §12.5.1, with the choices a mature linked-data server makes):

- The header is a comma-separated list of media ranges (``*/*``, ``type/*``,
  ``type/subtype``), each with optional parameters and a weight ``q`` from 0 to 1 with at
  most three decimals. Types and parameter names are compared case-insensitively.
- A representation's weight is that of the **most specific** range that matches it:
  ``text/turtle`` beats ``text/*``, which beats ``*/*``; within one specificity the first
  range listed counts. Media-type parameters on a range (``;charset=...``,
  ``;profile=...``) are accepted and not compared: every representation is UTF-8 and there
  is one JSON-LD form. A representation no range matches has weight 0.
- The representation with the **highest weight** wins, never the first one named or a
  substring match (``text/turtle, text/html;q=0.1`` gives Turtle; ``text/turtlesssss``
  matches nothing). Ties go to the server's order: HTML, Turtle, JSON-LD, N-Triples — so a
  browser and ``curl`` (``*/*``) get the page, as with Pubby and LodView.
- Weight 0 means "not acceptable": when every offered representation has weight 0 the
  answer is **406 Not Acceptable**, which lists the representations there are (a client
  asking only for ``application/rdf+xml`` learns what it can have instead).
- A header that is absent, empty, not a list at all (an unclosed quote) or has no valid
  media range is disregarded, as RFC 9110 allows, and treated as ``*/*``. A malformed
  member (``text/html;q=2``, ``html``, ``*/html``) is skipped; the others still count.

- ``application/json`` does not weigh JSON-LD at a data IRI, as no static host's rules let it
  (it names plain JSON). The SPARQL endpoint lets it weigh its ``+json`` formats
  (``json_suffix``, RFC 6839): ``fetch()`` users send it, and other endpoints answer it.

Every answer to a negotiated URL — the redirect, the 406 and the 404 — carries
``Vary: Accept``.

The grammar is written once, below, as regular expressions in the syntax that Python and
PCRE share (no ``$``, quote or backslash literal: hex escapes), so the nginx configuration
of :mod:`nualod.serve.hosting` uses the very same expressions and answers alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

HTML: Final = "text/html"
TURTLE: Final = "text/turtle"
JSONLD: Final = "application/ld+json"
NTRIPLES: Final = "application/n-triples"

#: Every representation a data IRI can have, in the server's order of preference (ties).
REGISTERED: Final[tuple[str, ...]] = (HTML, TURTLE, JSONLD, NTRIPLES)

#: The Accept value a request without a usable header is answered as.
ANY: Final = "*/*"
#: The type the structured syntax suffix ``+json`` names (RFC 6839 §3.1).
JSON: Final = "application/json"

# --- The grammar (RFC 9110 §5.6 and §12.5.1), shared with the web-server configurations. ---
# Written in what Python, PCRE (nginx, Apache) and RE2 (Caddy) all read: no look-around, no
# back-reference, no counted repeat, and no quote, backslash, dollar or backtick literal.
OWS: Final = r"[\x20\x09]*"
TCHAR: Final = r"[!#\x24%&\x27*+.^_\x60|~0-9A-Za-z-]"
TOKEN: Final = TCHAR + "+"
#: A token that is not ``q`` (a parameter name that does not start the weight).
NOT_Q: Final = rf"(?:[qQ]{TOKEN}|[!#\x24%&\x27*+.^_\x60|~0-9A-PR-Za-pr-z-]{TCHAR}*)"
#: A type that is not ``*`` (``*/html`` is no media range).
NOT_STAR: Final = rf"(?:\*{TOKEN}|[!#\x24%&\x27+.^_\x60|~0-9A-Za-z-]{TCHAR}*)"
QUOTED: Final = r"\x22(?:[^\x22\x5c]|\x5c.)*\x22"
#: One list member as written, whatever it holds: no comma outside a quoted string.
MEMBER: Final = rf"(?:[^,\x22]|{QUOTED})*"
#: A header that is a list at all (every quoted string closed).
LIST: Final = rf"{MEMBER}(?:,{MEMBER})*"
QVALUE: Final = r"(?:0(?:\.(?:[0-9](?:[0-9][0-9]?)?)?)?|1(?:\.(?:0(?:00?)?)?)?)"
# RFC 9110 writes a parameter list *( OWS ";" OWS [ parameter ] ): the blanks between two
# ";" with nothing between them could end one element or start the next, and a backtracking
# engine tried every split, 2^n of them for "\t;" n times (a 70-byte Accept kept `nualod
# serve` busy a minute). Below, the blanks after a ";" belong to it only before a parameter,
# so each string is read one way only; the strings are the RFC's.
#: Media-type parameters: anything but ``q``, which starts the weight.
PARAMETERS: Final = rf"(?:{OWS};(?:{OWS}{NOT_Q}=(?:{TOKEN}|{QUOTED}))?)*"
#: What may follow the weight (RFC 2616's accept-ext); read and ignored.
EXTENSIONS: Final = rf"(?:{OWS};(?:{OWS}{TOKEN}(?:=(?:{TOKEN}|{QUOTED}))?)?)*"


def member_pattern(media_range: str | None = None) -> str:
    """Return the expression of one valid list member, its weight in the group ``q``.

    ``media_range`` (``text/turtle``, ``text/*``, ``*/*``) restricts it to that range
    (compare case-insensitively); ``None`` allows any valid range, in the group
    ``media_range``.

    >>> bool(re.fullmatch(member_pattern(), " text/turtle ;charset=utf-8; q=0.5"))
    True
    >>> bool(re.fullmatch(member_pattern(), "*/html"))
    False
    """
    any_range = rf"(?P<media_range>\*/\*|{NOT_STAR}/{TOKEN})"
    written = any_range if media_range is None else re.escape(media_range)
    return rf"{OWS}{written}{PARAMETERS}(?:{OWS};{OWS}[qQ]=(?P<q>{QVALUE}){EXTENSIONS})?{OWS}"


_LIST: Final = re.compile(LIST)
_MEMBER: Final = re.compile(MEMBER)
_VALID: Final = re.compile(member_pattern())


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One valid media range of an Accept header, its weight in thousandths (0..1000)."""

    range: str
    weight: int


def weight_of(qvalue: str | None) -> int:
    """Return a weight in thousandths: ``None`` (no ``q``) is 1000.

    >>> weight_of("0.5"), weight_of("1.0"), weight_of(None), weight_of("0.")
    (500, 1000, 1000, 0)
    """
    if qvalue is None:
        return 1000
    whole, _, decimals = qvalue.partition(".")
    return int(whole) * 1000 + int((decimals + "000")[:3])


def parse_accept(header: str | None) -> tuple[MediaRange, ...] | None:
    """Return the valid media ranges of an Accept header, or ``None`` to disregard it.

    ``None`` means: no header, an empty one, one that is not a list (an unclosed quote), or
    one without a single valid range. Malformed members are skipped.

    >>> parse_accept("text/turtle, text/html;q=0.1, nonsense")
    (MediaRange(range='text/turtle', weight=1000), MediaRange(range='text/html', weight=100))
    >>> parse_accept('text/html;x="unclosed') is None, parse_accept("") is None
    (True, True)
    """
    if header is None or not _LIST.fullmatch(header):
        return None
    ranges: list[MediaRange] = []
    position = 0
    while True:
        member = _MEMBER.match(header, position)
        assert member is not None  # MEMBER matches the empty string
        valid = _VALID.fullmatch(member.group())
        if valid:
            ranges.append(MediaRange(valid["media_range"].lower(), weight_of(valid["q"])))
        position = member.end() + 1  # past the comma
        if position > len(header):
            break
    return tuple(ranges) or None


def weight_for(ranges: Sequence[MediaRange], media_type: str, *, json_suffix: bool = False) -> int:
    """Return the weight of ``media_type`` under the most specific range that matches it.

    With ``json_suffix``, a ``+json`` type is also matched by ``application/json``, less
    specifically than by its own name and more than by ``application/*`` (RFC 6839: a
    client that reads JSON reads any ``+json`` type as JSON; RFC 9110 ranks no such range,
    so this is the order of what each names).

    >>> ranges = parse_accept("text/*;q=0.3, text/html;q=0.7, */*;q=0.5") or ()
    >>> weight_for(ranges, "text/html"), weight_for(ranges, "text/turtle")
    (700, 300)
    >>> weight_for(ranges, "application/ld+json")
    500
    >>> ranges = parse_accept("application/json;q=0.5, application/*;q=0.9") or ()
    >>> weight_for(ranges, "application/ld+json", json_suffix=True), weight_for(ranges, JSON)
    (500, 500)
    >>> weight_for(ranges, "application/ld+json"), weight_for(ranges, "application/rdf+xml")
    (900, 900)
    """
    return _weight_and_rank(ranges, media_type, json_suffix)[0]


def _weight_and_rank(
    ranges: Sequence[MediaRange], media_type: str, json_suffix: bool
) -> tuple[int, int]:
    """Return the weight of ``media_type`` (:func:`weight_for`) and how specific the range
    that gave it is: 3 its own name, 2 ``application/json``, 1 ``type/*``, 0 ``*/*``."""
    major = media_type.split("/", 1)[0] + "/*"
    suffixed = ((JSON, 2),) if json_suffix and media_type.endswith("+json") else ()
    for name, rank in ((media_type, 3), *suffixed, (major, 1), (ANY, 0)):
        for media_range in ranges:
            if media_range.range == name:
                return media_range.weight, rank
    return 0, 0


def negotiate(
    header: str | None, offered: Sequence[str] = REGISTERED, *, json_suffix: bool = False
) -> str | None:
    """Return the offered media type to answer with, or ``None`` for 406 Not Acceptable.

    ``offered`` is in the server's order of preference, which breaks ties; ``json_suffix``
    lets ``application/json`` weigh an offered ``+json`` type (:func:`weight_for`), and
    breaks a tie first by how specifically the client named each type: axios's
    ``application/json, text/plain, */*`` asks for JSON, which ``*/*`` alone does not.

    >>> negotiate("text/turtle, text/html;q=0.1")
    'text/turtle'
    >>> negotiate("text/turtlesssss") is None
    True
    >>> negotiate(None), negotiate("*/*")
    ('text/html', 'text/html')
    >>> offered = ("application/sparql-results+json", "text/csv")
    >>> negotiate("application/json", offered) is None
    True
    >>> negotiate("application/json", offered, json_suffix=True)
    'application/sparql-results+json'
    >>> negotiate("application/json;q=0.5, text/csv", offered, json_suffix=True)
    'text/csv'
    >>> graphs = ("text/turtle", "application/ld+json")
    >>> negotiate("application/json, text/plain, */*", graphs, json_suffix=True)
    'application/ld+json'
    >>> negotiate("application/json, text/plain, */*", graphs)
    'text/turtle'
    >>> negotiate("application/ld+json, text/turtle", graphs, json_suffix=True)
    'text/turtle'
    """
    ranges = parse_accept(header)
    if ranges is None:
        ranges = (MediaRange(ANY, 1000),)
    best: str | None = None
    best_key = (0, 0)
    for media_type in offered:
        weight, rank = _weight_and_rank(ranges, media_type, json_suffix)
        # Without json_suffix the server's order alone breaks a tie, as the static hosts'
        # configurations do (nualod.serve.hosting).
        key = (weight, rank if json_suffix else 0)
        if weight > 0 and key > best_key:
            best, best_key = media_type, key
    return best


def joined(values: Sequence[str]) -> str | None:
    """Return the Accept header of a request that sent several Accept fields (RFC 9110 §5.3).

    >>> joined(["text/html", "text/turtle;q=0.5"])
    'text/html, text/turtle;q=0.5'
    >>> joined([]) is None
    True
    """
    return ", ".join(values) if values else None
