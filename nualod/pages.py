"""Read the text of an NUF good-practice page into a :class:`~nualod.records.Practice`.

The page format is the text a browser shows for a page of the category "Praktik baik
implementasi NUA dari seluruh stakeholder": a heading ``NN. Praktik baik indikator MM``, the
line ``Praktik baik tema NN indikator MM <indicator name>``, the city line
``<Kota|Kabupaten> <Name>, <tagline>``, ``Ringkasan:``, ``Deskripsi:``, one or more
``Sumber: <URL>`` lines and the article date. Everything around it (sidebar dates, view
counts, related links) is page furniture and is ignored.

The city line is the first non-empty line after the theme line: the place name up to the
first comma (at most six words, no digits), then the tagline. A bare name ("Pekalongan") is
read as written and left to :mod:`nualod.places` to resolve or report as ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from nualod.dates import ImpossibleDateError, looks_like_date, parse_indonesian_date
from nualod.errors import ReadError
from nualod.records import City, Indicator, Origin, Practice, Source, Theme

_HEADING: Final = re.compile(
    r"^(?P<theme>\d{1,2})\.\s*Praktik\s+baik\s+indikator\s+(?P<ind>\d{1,3})\s*$", re.I
)
_THEME_LINE: Final = re.compile(
    r"^Praktik\s+baik\s+tema\s+(?P<theme>\d{1,2})\s+indikator\s+(?P<ind>\d{1,3})\s+(?P<name>\S.*?)\s*$",
    re.I,
)
_CITY_LINE: Final = re.compile(r"^(?P<city>[^,:\d]+?)\s*(?:,\s*(?P<tagline>.*?))?\s*$")
#: A city name has at most this many words; a longer first line is prose, not a city line.
_CITY_WORDS: Final = 6
_LABEL: Final = re.compile(r"^(?P<label>Ringkasan|Deskripsi|Sumber)\s*:\s*(?P<rest>.*?)\s*$", re.I)
_URL: Final = re.compile(r"^\S+$")
#: A plain http(s) URL, which :func:`check_url` accepts without ``urlsplit``: a lowercase
#: scheme, a host of ASCII letters, digits, dots and hyphens with at least one dot (so no
#: user, port or IPv6 brackets), then a path, query or fragment of printable ASCII other than
#: space and the characters check_url refuses. ``urlsplit`` splits such a URL into that scheme
#: and that host without raising, so the full check accepts it too.
_PLAIN_URL: Final = re.compile(
    r"https?://[A-Za-z0-9.-]*\.[A-Za-z0-9.-]*(?:[/?#][!#-;=?-\[\]_a-z~]*)?"
)
_URL_SEPARATORS: Final = re.compile(r"[\s,;]+")
_KAB: Final = re.compile(r"^Kab\.?\s+", re.I)
_VIEWS: Final = re.compile(r"^\d[\d.,]*\s+dilihat\b", re.I)
#: How many non-empty lines after the sources may hold the article date.
_DATE_WINDOW: Final = 3


#: The characters ``str.split()`` splits on, but for the space and the newline (a test checks
#: this list against the Unicode database).
_ODD_SPACES: Final = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _clean_lines(text: str) -> list[str]:
    """Return the lines of ``text``, each with its runs of whitespace made one space, stripped.

    Most lines are clean already, and checking is much cheaper than splitting a paragraph
    into words and joining them again: when the text has no whitespace but spaces and
    newlines (one quick scan per character of :data:`_ODD_SPACES`), a line with no double,
    leading or trailing space is kept as it is. Otherwise a line is kept only if it is also
    printable: the space is the only printable whitespace character.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    only_spaces = not any(space in text for space in _ODD_SPACES)
    return [
        line
        if (only_spaces or line.isprintable())
        and "  " not in line
        and line[:1] != " "
        and line[-1:] != " "
        else " ".join(line.split())
        for line in text.split("\n")
    ]


def _label(line: str) -> re.Match[str] | None:
    # A label line has a colon and most lines have none: `in` is much cheaper than the regex.
    return _LABEL.match(line) if ":" in line else None


def check_url(url: str, *, where: str, field: str = "Sumber") -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise :class:`ReadError`.

    >>> check_url("https://pekalongankota.go.id/berita/x", where="a.txt")
    'https://pekalongankota.go.id/berita/x'
    >>> check_url("pekalongankota dot go dot id", where="a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: Sumber: not a valid URL: 'pekalongankota dot go dot id'
    """
    if _PLAIN_URL.fullmatch(url) or _is_http_url(url):
        return url
    raise ReadError(where, f"not a valid URL: {url!r}", field=field)


def _is_http_url(url: str) -> bool:
    """The full check of :func:`check_url`, for the URLs that are not plain."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a broken IPv6 host ("http://[::1/x", "https://[abc]/"): not a URL
        return False
    return bool(
        _URL.match(url)
        and parts.scheme in ("http", "https")
        and parts.hostname
        and "." in parts.hostname
        and not any(c in url for c in '<>"{}|\\^`')
    )


def parse_page_text(text: str, origin: Origin) -> Practice:
    """Read the visible text of a good-practice page into a practice.

    Raise :class:`ReadError` naming the origin and the missing or broken part when the text
    is not a complete good-practice page; never return a half-filled practice.

    >>> page = '''10. Praktik baik indikator 47
    ... Praktik baik tema 10 indikator 47 Jumlah Tahunan Individu yang Dilatih
    ... Kota Pekalongan, Kota Batik
    ... Ringkasan:
    ... Pelatihan membatik.
    ... Deskripsi:
    ... Pelatihan rajut sejak 2017.
    ... Sumber: https://pekalongankota.go.id/berita/x
    ... Kamis, 18 Desember 2025'''
    >>> p = parse_page_text(page, Origin("a.txt"))
    >>> p.theme.number, p.indicator.number, p.city.name, str(p.issued), p.sources[0].url
    (10, 47, 'Kota Pekalongan', '2025-12-18', 'https://pekalongankota.go.id/berita/x')
    """
    where = origin.describe()
    lines = _clean_lines(text)
    if not any(lines):
        raise ReadError(where, "the page is empty")

    theme_line = _theme_line(lines)
    if theme_line is None:
        raise ReadError(
            where,
            "not a good-practice page: no line 'Praktik baik tema NN indikator MM <indicator name>'",
        )
    theme_at, theme_match = theme_line
    theme_no, indicator_no = int(theme_match["theme"]), int(theme_match["ind"])

    # The heading starts with a number; \d is str.isdecimal, and most lines start otherwise.
    heading = next(
        (m for line in lines[:theme_at] if line[:1].isdecimal() and (m := _HEADING.match(line))),
        None,
    )
    if heading is None:
        raise ReadError(
            where, "the heading 'NN. Praktik baik indikator MM' is missing", field="heading"
        )
    if (int(heading["theme"]), int(heading["ind"])) != (theme_no, indicator_no):
        raise ReadError(
            where,
            f"the heading says theme {int(heading['theme'])} indicator {int(heading['ind'])} but the "
            f"page says theme {theme_no} indicator {indicator_no}",
            field="heading",
        )

    rest = lines[theme_at + 1 :]
    city_at = next((i for i, line in enumerate(rest) if line), None)
    city_match = _CITY_LINE.match(rest[city_at]) if city_at is not None else None
    if (
        city_at is None
        or city_match is None
        or _label(rest[city_at])
        or len(city_match["city"].split()) > _CITY_WORDS
        or rest[city_at].lower().startswith(("http://", "https://"))
        or looks_like_date(rest[city_at])
    ):
        raise ReadError(
            where, "the city line '<Kota|Kabupaten> <name>, <tagline>' is missing", field="city"
        )
    city_name = city_match["city"]
    city_name = _KAB.sub("Kabupaten ", city_name)
    tagline = city_match["tagline"] or None

    sections = _sections(rest[city_at + 1 :])
    summary = _paragraphs(sections.get("ringkasan"))
    description = _paragraphs(sections.get("deskripsi"))
    sources, after_sources = _sources(sections.get("sumber", []), where)
    if not sources:
        raise ReadError(where, "no 'Sumber: <URL>' line", field="Sumber")

    date_line = next((line for line in _article_tail(after_sources) if looks_like_date(line)), None)
    if date_line is None:
        raise ReadError(
            where,
            "no article date after the sources (like 'Kamis, 18 Desember 2025')",
            field="date",
        )
    try:
        issued = parse_indonesian_date(date_line)
    except ImpossibleDateError:
        raise ReadError(where, f"not a real date: {date_line!r}", field="date") from None

    return Practice(
        theme=Theme(theme_no),
        indicator=Indicator(indicator_no, theme_match["name"], theme_no),
        city=City(city_name),
        tagline=tagline,
        summary=summary,
        description=description,
        sources=tuple(Source(url) for url in sources),
        issued=issued,
        origin=origin,
    )


def _theme_line(lines: Sequence[str]) -> tuple[int, re.Match[str]] | None:
    """Return the index and match of the first theme line, if any."""
    for index, line in enumerate(lines):
        # The line starts with "Praktik", and only "p" and "P" match a "p" case-insensitively
        # (unlike "k" or "s"), so a line starting otherwise needs no regex.
        if line.startswith(("P", "p")) and (match := _THEME_LINE.match(line)):
            return index, match
    return None


def _article_tail(lines: Sequence[str]) -> list[str]:
    """Return the lines where the article date may stand: the few right after the sources.

    The dates further down (related articles, sidebars) belong to other pages, so the search
    stops at the view counter ("4 dilihat") and after :data:`_DATE_WINDOW` non-empty lines.
    """
    tail: list[str] = []
    for line in lines:
        if not line:
            continue
        if (line[:1].isdecimal() and _VIEWS.match(line)) or len(tail) == _DATE_WINDOW:
            break
        tail.append(line)
    return tail


def _sections(lines: Sequence[str]) -> dict[str, list[str]]:
    """Split lines after the city line into labelled sections; the Sumber one runs to the end."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        label = _label(line)
        if label is not None:
            name = label["label"].lower()
            if name == "sumber" and "sumber" in sections:
                sections["sumber"].append(line)
                current = sections["sumber"]
                continue
            current = sections.setdefault(name, [])
            if name == "sumber":
                current.append(line)
            elif label["rest"]:
                current.append(label["rest"])
            continue
        if current is not None:
            current.append(line)
    return sections


def paragraphs(text: str) -> str | None:
    """Return text with spaces collapsed, one paragraph per non-blank line, or None if blank.

    >>> paragraphs("  Pelatihan   rajut.\\r\\n\\nSejak 2017. ")
    'Pelatihan rajut.\\n\\nSejak 2017.'
    >>> paragraphs(" ") is None
    True
    """
    return _paragraphs(_clean_lines(text))


def _paragraphs(lines: Sequence[str] | None) -> str | None:
    if not lines:
        return None
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs) if paragraphs else None


def _sources(lines: Sequence[str], where: str) -> tuple[list[str], list[str]]:
    """Return the source URLs and the lines after them.

    A ``Sumber:`` line may carry one URL, or several separated by spaces, commas or
    semicolons; URLs may also follow on their own lines.
    """
    urls: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        label = _label(line)
        if label is not None and label["label"].lower() == "sumber":
            candidates = label["rest"]
        elif line.lower().startswith(("http://", "https://")):
            candidates = line
        elif not line:
            index += 1
            continue
        else:
            break
        parts = [part for part in _URL_SEPARATORS.split(candidates) if part]
        if parts and not any(part.lower().startswith(("http://", "https://")) for part in parts):
            parts = [candidates]  # words, not URLs: name the whole text
        for candidate in parts:
            if candidate:
                url = check_url(candidate, where=where)
                if url not in urls:
                    urls.append(url)
        index += 1
    return urls, list(lines[index:])
