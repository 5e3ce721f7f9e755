"""Read the text of an NUF good-practice page into a :class:`~nualod.model.records.Practice`.

The page format is the text a browser shows for a page of the category "Praktik baik
implementasi NUA dari seluruh stakeholder": a heading ``NN. Praktik baik indikator MM``, the
line ``Praktik baik tema NN indikator MM <indicator name>``, the city line
``<Kota|Kabupaten> <Name>, <tagline>``, ``Ringkasan:``, ``Deskripsi:``, one or more
``Sumber: <URL>`` lines and the article date. Everything around it (sidebar dates, view
counts, related links) is page furniture and is ignored.

The city line is the first non-empty line after the theme line: the place name up to the
first comma (at most six words, no digits), then the tagline. A bare name ("Pekalongan") is
read as written and left to :mod:`nualod.link.places` to resolve or report as ambiguous.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from nualod.errors import ReadError
from nualod.model.records import City, Indicator, Origin, Practice, Source, Theme
from nualod.read.dates import ImpossibleDateError, indonesian_date, looks_like_date

_HEADING: Final = re.compile(
    r"^(?P<theme>\d{1,2})\.\s*Praktik\s+baik\s+indikator\s+(?P<ind>\d{1,3})\s*$", re.I
)
# A text up to its last non-space character is written "(?:.*\S)?" below rather than the
# lazy ".*?" before "\s*$": the same text, but the lazy form tries the end of the line after
# every character, which made these the costliest regexes of a page.
_THEME_LINE: Final = re.compile(
    r"^Praktik\s+baik\s+tema\s+(?P<theme>\d{1,2})\s+indikator\s+(?P<ind>\d{1,3})\s+"
    r"(?P<name>\S(?:.*\S)?)\s*$",
    re.I,
)
#: The city line; like every line from :func:`_clean_lines`, it starts with no space, so the
#: city name runs to the last non-space character before the first comma (or the end). That
#: is what the lazy "[^,:\d]+?\s*" finds, at a fraction of the cost.
_CITY_LINE: Final = re.compile(
    r"^(?P<city>[^,:\d]*[^,:\d\s])\s*(?:,\s*(?P<tagline>(?:.*\S)?))?\s*$"
)
#: A city name has at most this many words; a longer first line is prose, not a city line.
_CITY_WORDS: Final = 6
_LABEL: Final = re.compile(
    r"^(?P<label>Ringkasan|Deskripsi|Sumber)\s*:\s*(?P<rest>(?:.*\S)?)\s*$", re.I
)
#: A line that stands where a label would, spelled otherwise ("Ringksan:", "Sumbr: https://"):
#: one word and a colon alone on the line, or before a URL.
_LABEL_LIKE: Final = re.compile(r"^(?P<word>[^\W\d_]+)\s*:\s*(?P<url>https?://\S*)?$")
#: The labels by their lowercased names (a word one edit from one is taken for it misspelled).
_LABELS: Final = {"ringkasan": "Ringkasan", "deskripsi": "Deskripsi", "sumber": "Sumber"}
#: The labels in English, which a page copied by hand may use: refused, naming the label.
_ENGLISH_LABELS: Final = {
    "summary": "Ringkasan",
    "description": "Deskripsi",
    "sources": "Sumber",
    "source": "Sumber",
}
#: The two text labels as a heading alone on its line, without the colon (both 9 letters).
_BARE_LABELS: Final = frozenset({"ringkasan", "deskripsi"})
_URL: Final = re.compile(r"^\S+$")
#: A plain http(s) URL, which :func:`check_url` accepts without ``urlsplit``: a lowercase
#: scheme, a host of ASCII letters, digits, dots and hyphens with at least one dot (so no
#: user, port or IPv6 brackets), then a path, query or fragment of printable ASCII other than
#: space and the characters check_url refuses. ``urlsplit`` splits such a URL into that scheme
#: and that host without raising, so the full check accepts it too; both are then checked as
#: IRIs (``[`` or a bad ``%`` escape are printable ASCII but no IRI).
_PLAIN_URL: Final = re.compile(
    r"https?://[A-Za-z0-9.-]*\.[A-Za-z0-9.-]*(?:[/?#][!#-;=?-\[\]_a-z~]*)?"
)
_URL_SEPARATORS: Final = re.compile(r"[\s,;]+")
_KAB: Final = re.compile(r"^Kab\.?\s+", re.I)
_VIEWS: Final = re.compile(r"^\d[\d.,]*\s+dilihat\b", re.I)
#: How many non-empty lines after the sources may hold the article date.
_DATE_WINDOW: Final = 3
#: Control characters (C0 but the whitespace ones, DEL, C1 but NEL): a title with ESC or BEL
#: would drive the terminal of whoever prints it, so a page that has one in a published
#: field is rejected. Whitespace controls were made spaces by _clean_lines already. A lone
#: surrogate (a JSON table's "\ud800") is no character at all: no dump can write it.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


#: The characters ``str.split()`` splits on, but for the space and the newline (a test checks
#: this list against the Unicode database).
_ODD_SPACES: Final = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: The regex engine finds a literal much faster than ``str.find`` finds a two-character
#: string made of a common character.
_DOUBLE_SPACE: Final = re.compile("  ")


def _clean_lines(text: str) -> list[str]:
    """Return the lines of ``text``, each with its runs of whitespace made one space, stripped.

    Most pages are clean already, and checking is much cheaper than splitting a paragraph
    into words and joining them again. When the text has no whitespace but spaces and
    newlines, a search of the whole text for a double space and ``str.strip`` on each line
    (which then strips only spaces) tell that every line is clean. Otherwise each line is
    checked on its own; with other whitespace in the text, a line is kept only if it is also
    printable: the space is the only printable whitespace character.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    only_spaces = _only_spaces(text)
    if (
        only_spaces
        and _DOUBLE_SPACE.search(text) is None
        and list(map(str.strip, lines)) == lines  # a C loop: cheaper than a Python one
    ):
        return lines
    return [
        line
        if (only_spaces or line.isprintable())
        and "  " not in line
        and line[:1] != " "
        and line[-1:] != " "
        else " ".join(line.split())
        for line in lines
    ]


def _only_spaces(text: str) -> bool:
    """Tell whether the only whitespace in ``text`` is the space and the newline."""
    if text.isascii():
        # The ASCII ones of _ODD_SPACES, spelled out: a loop over them costs more than the
        # searches, which run at memory speed.
        return not (
            "\t" in text
            or "\x0b" in text
            or "\x0c" in text
            or "\r" in text
            or "\x1c" in text
            or "\x1d" in text
            or "\x1e" in text
            or "\x1f" in text
        )
    return not any(space in text for space in _ODD_SPACES)


def check_no_control(text: str | None, *, where: str, field: str) -> None:
    """Raise :class:`ReadError` when a published text holds a control character.

    >>> check_no_control("Kota Batik\x1b[2J", where="a.txt", field="city")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: city: contains a control character (U+001B)
    """
    if text is None:
        return
    found = _CONTROL.search(text)
    if found is not None:
        code = ord(found.group(0))
        if 0xD800 <= code <= 0xDFFF:
            reason = f"contains a lone surrogate (U+{code:04X}), which is no character"
        else:
            reason = f"contains a control character (U+{code:04X})"
        raise ReadError(where, reason, field=field)


def check_url(url: str, *, where: str, field: str = "Sumber") -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise :class:`ReadError`.

    >>> check_url("https://pekalongankota.go.id/berita/x", where="a.txt")
    'https://pekalongankota.go.id/berita/x'
    >>> check_url("pekalongankota dot go dot id", where="a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: Sumber: not a valid URL: 'pekalongankota dot go dot id'
    >>> check_url("https://pekalongankota.go.id/berita/[x]", where="a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: Sumber: not a valid URL: 'https://pekalongankota.go.id/berita/[x]'
    """
    if (_PLAIN_URL.fullmatch(url) or _is_http_url(url)) and _is_iri(url):
        return url
    raise ReadError(where, f"not a valid URL: {url!r}", field=field)


def _is_iri(url: str) -> bool:
    """Tell whether a URL is an IRI the dumps can write: "[", a second "#", a bad "%"
    escape, a control character or a lone surrogate are not (they stopped the publish)."""
    try:
        NamedNode(url)
    except ValueError:  # UnicodeEncodeError, for a surrogate, is one
        return False
    return True


def _is_http_url(url: str) -> bool:
    """The full check of :func:`check_url`, for the URLs that are not plain."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port past 65535: "https://kota.go.id:99999/")
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

    found = _theme_and_heading(lines)
    if found is None:
        raise ReadError(
            where,
            "not a good-practice page: no line 'Praktik baik tema NN indikator MM <indicator name>'",
        )
    theme_at, (theme, indicator), heading = found
    if heading is None:
        raise ReadError(
            where, "the heading 'NN. Praktik baik indikator MM' is missing", field="heading"
        )
    if heading != (theme.number, indicator.number):
        raise ReadError(
            where,
            f"the heading says theme {heading[0]} indicator {heading[1]} but the "
            f"page says theme {theme.number} indicator {indicator.number}",
            field="heading",
        )
    # NUF numbers start at 1; a table row with a 0 is refused alike (as not a number).
    if not theme.number:
        raise ReadError(where, "not a theme number: 0", field="theme")
    if not indicator.number:
        raise ReadError(where, "not an indicator number: 0", field="indicator")

    city_at = theme_at + 1
    while city_at < len(lines) and not lines[city_at]:
        city_at += 1
    city_line = lines[city_at] if city_at < len(lines) else ""  # "" is no city line
    city_match = _CITY_LINE.match(city_line)
    # A label line ("Sumber: ...") or a URL has a colon before any comma, which the city line
    # refuses. The name has single spaces and none at either end (see _CITY_LINE).
    if (
        city_match is None
        or city_match["city"].count(" ") >= _CITY_WORDS
        or looks_like_date(city_line)
    ):
        raise ReadError(
            where, "the city line '<Kota|Kabupaten> <name>, <tagline>' is missing", field="city"
        )
    city_name = city_match["city"]
    # "Kab" and a dot or a space: most names ("Kabupaten", "Kota") need no regex.
    if city_name[3:4] == "." or city_name[3:4].isspace():
        city_name = _KAB.sub("Kabupaten ", city_name)
    tagline = city_match["tagline"] or None

    sections = _sections(lines, city_at + 1, where)
    summary = _paragraphs(sections.get("ringkasan"))
    description = _paragraphs(sections.get("deskripsi"))
    check_no_control(lines[theme_at], where=where, field="indicator")
    check_no_control(city_line, where=where, field="city")
    check_no_control(summary, where=where, field="Ringkasan")
    check_no_control(description, where=where, field="Deskripsi")
    source_lines = sections.get("sumber", [])
    sources, after_sources = _sources(source_lines, where)
    if not sources:
        raise ReadError(where, "no 'Sumber: <URL>' line", field="Sumber")
    issued = _article_date(source_lines, after_sources, where)

    return Practice(
        theme=theme,
        indicator=indicator,
        city=City(city_name),
        tagline=tagline,
        summary=summary,
        description=description,
        sources=tuple([Source(url) for url in sources]),
        issued=issued,
        origin=origin,
    )


def _label(line: str) -> tuple[str, str] | None:
    """Return the label of a clean line, lowercased ("sumber"), and the text after it.

    The labels as pages print them need no regex: in a line from :func:`_clean_lines`
    (stripped, single spaces) "Sumber: " is followed by the text the regex would find, and
    a line with no colon is no label line.
    """
    if ":" not in line:
        return None
    if line.startswith("Sumber: "):
        return "sumber", line[8:]
    if line in ("Ringkasan:", "Deskripsi:"):
        return line[:-1].lower(), ""
    match = _LABEL.match(line)
    if match is None:
        return None
    return match["label"].lower(), match["rest"]


def _check_label(line: str, where: str) -> None:
    """Raise :class:`ReadError` for a line that stands where a label would and is one
    misspelled (one letter off, or two swapped): its text would be read into another
    section, or left out, without a word. A label stands alone on its line (Ringkasan,
    Deskripsi) or before a URL (Sumber); words of the text further off are left alone.

    >>> [_check_label(x, "a.txt") for x in ("Ringkasan:", "Ringkasnya:", "Sumbar: 12 kota",
    ...     "Deskriptif:", "Sumbernya: https://x.id")]
    [None, None, None, None, None]
    >>> _check_label("Ringksan:", "a.txt")
    Traceback (most recent call last):
    nualod.errors.ReadError: a.txt: Ringkasan: 'Ringksan:' is not a label of the page; did you mean 'Ringkasan:'?
    >>> _check_label("Deskirpsi:", "a.txt")
    Traceback (most recent call last):
    nualod.errors.ReadError: a.txt: Deskripsi: 'Deskirpsi:' is not a label of the page; did you mean 'Deskripsi:'?
    >>> _check_label("Summary:", "a.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.errors.ReadError: a.txt: Ringkasan: 'Summary:' is not a label of the page; its ...
    """
    match = _LABEL_LIKE.match(line)
    if match is None:
        return
    word = match["word"].lower()
    if word in _LABELS:
        return
    english = _ENGLISH_LABELS.get(word)
    if english is not None and (english == "Sumber") == bool(match["url"]):
        raise ReadError(
            where,
            f"'{match['word']}:' is not a label of the page; its labels are Indonesian: "
            f"'{english}:'",
            field=english,
        )
    names = ("sumber",) if match["url"] else ("ringkasan", "deskripsi")
    for name in names:
        if one_edit_apart(word, name):
            meant = _LABELS[name]
            raise ReadError(
                where,
                f"'{match['word']}:' is not a label of the page; did you mean '{meant}:'?",
                field=meant,
            )


def one_edit_apart(word: str, label: str) -> bool:
    """Tell whether ``word`` is ``label`` with one letter added, dropped or changed, or two
    neighbours swapped.

    >>> [one_edit_apart(w, "sumber") for w in ("sumbr", "sumbar", "sumbre", "sumbernya")]
    [True, True, True, False]
    """
    if abs(len(word) - len(label)) > 1 or word == label:
        return False
    start = 0
    while start < min(len(word), len(label)) and word[start] == label[start]:
        start += 1
    a, b = word[start:], label[start:]
    return (
        a[1:] == b[1:]  # one changed
        or a == b[1:]  # one dropped
        or a[1:] == b  # one added
        or (len(a) >= 2 and a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])  # two swapped
    )


def _theme_and_heading(
    lines: Sequence[str],
) -> tuple[int, tuple[Theme, Indicator], tuple[int, int] | None] | None:
    """Find the first theme line and the first heading before it.

    Return the index of the theme line, its theme and indicator, and the theme and indicator
    numbers of the heading (None if no heading comes before the theme line); None if there is
    no theme line.
    """
    heading = None
    for index, line in enumerate(lines):
        # The theme line starts with "Praktik", and only "p" and "P" match a "p"
        # case-insensitively (unlike "k" or "s"); the heading starts with a number, and \d is
        # str.isdecimal. Most lines start otherwise and need no regex.
        first = line[:1]
        if first in ("P", "p"):
            if theme := _theme_of(line):
                return index, theme, heading
        elif heading is None and first.isdecimal() and "." in line[1:3]:  # "7. ", "10. "
            heading = _heading_of(line)
    return None


#: Pages repeat a few hundred theme lines and headings, one of each per indicator of the NUF,
#: so each is read once and kept: a cache lookup costs much less than the regex, the numbers
#: and the records (frozen, so practices may share them). Both are short; a longer line
#: (prose that merely starts like one) is read without the cache, which so stays small.
_CACHED_LINE_LENGTH: Final = 300


def _theme_of(line: str) -> tuple[Theme, Indicator] | None:
    """Return the theme and indicator a theme line names, or None for another line."""
    if len(line) > _CACHED_LINE_LENGTH:
        return _read_theme_line.__wrapped__(line)
    return _read_theme_line(line)


def _heading_of(line: str) -> tuple[int, int] | None:
    """Return the theme and indicator numbers of a heading, or None for another line."""
    if len(line) > _CACHED_LINE_LENGTH:
        return _read_heading.__wrapped__(line)
    return _read_heading(line)


@functools.lru_cache(maxsize=1024)
def _read_theme_line(line: str) -> tuple[Theme, Indicator] | None:
    match = _THEME_LINE.match(line)
    if match is None:
        return None
    theme, indicator, name = match.groups()
    return Theme(int(theme)), Indicator(int(indicator), name, int(theme))


@functools.lru_cache(maxsize=1024)
def _read_heading(line: str) -> tuple[int, int] | None:
    match = _HEADING.match(line)
    return None if match is None else (int(match["theme"]), int(match["ind"]))


def _article_date(lines: Sequence[str], start: int, where: str) -> dt.date:
    """Return the article date: the first date among the few lines from ``lines[start]`` on.

    The dates further down (related articles, sidebars) belong to other pages, so the search
    stops at the view counter ("4 dilihat") and after :data:`_DATE_WINDOW` non-empty lines.
    """
    seen = 0
    for line in lines[start:]:
        if not line:
            continue
        if (line[:1].isdecimal() and _VIEWS.match(line)) or seen == _DATE_WINDOW:
            break
        seen += 1
        try:
            issued = indonesian_date(line)
        except ImpossibleDateError:
            raise ReadError(where, f"not a real date: {line!r}", field="date") from None
        if issued is not None:
            return issued
    raise ReadError(
        where, "no article date after the sources (like 'Kamis, 18 Desember 2025')", field="date"
    )


def _sections(lines: Sequence[str], start: int, where: str) -> dict[str, list[str]]:
    """Split ``lines[start:]`` into labelled sections; the Sumber one runs to the end.

    Before the sources, a line that is a label misspelled is refused (:func:`_check_label`).
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[start:]:
        # Most lines have no colon, so they are no label lines: no call of _label for them;
        # but "Ringkasan" or "Deskripsi" alone, before the sources, is a heading of its own.
        if ":" in line:
            label = _label(line)
        elif len(line) == 9 and "sumber" not in sections and line.lower() in _BARE_LABELS:
            label = (line.lower(), "")
        else:
            label = None
        if label is None:
            if ":" in line and "sumber" not in sections:
                _check_label(line, where)
            if current is not None:
                current.append(line)
            continue
        name, rest = label
        if name == "sumber" and "sumber" in sections:
            sections["sumber"].append(line)
            current = sections["sumber"]
            continue
        current = sections.setdefault(name, [])
        if name == "sumber":
            current.append(line)
        elif rest:
            current.append(rest)
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
    if "" not in lines:  # most sections have no blank line
        return "\n\n".join(lines)
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs) if paragraphs else None


def _sources(lines: Sequence[str], where: str) -> tuple[list[str], int]:
    """Return the source URLs and the index of the first line after them.

    A ``Sumber:`` line may carry one URL, or several separated by spaces, commas or
    semicolons; URLs may also follow on their own lines.
    """
    urls: dict[str, None] = {}  # an ordered set: a page may list many thousands
    for index, line in enumerate(lines):
        label = _label(line)
        if label is not None and label[0] == "sumber":
            candidates = label[1]
        elif line.lower().startswith(("http://", "https://")):
            candidates = line
        elif not line:
            continue
        else:
            return list(urls), index
        if " " in candidates or "," in candidates or ";" in candidates:
            parts = [part for part in _URL_SEPARATORS.split(candidates) if part]
            if parts and not any(
                part.lower().startswith(("http://", "https://")) for part in parts
            ):
                parts = [candidates]  # words, not URLs: name the whole text
        else:
            # The only whitespace in a clean line is the space: no separator, one candidate.
            parts = [candidates] if candidates else []
        for candidate in parts:
            urls.setdefault(check_url(_sentence_end_off(candidate), where=where))
    return list(urls), len(lines)


def _sentence_end_off(url: str) -> str:
    """Return a URL without what ends the sentence it is written in: full stops, and a
    closing bracket it does not open ("(lihat https://kota.go.id/x)." is .../x), as
    linkifiers read text.

    >>> _sentence_end_off("(https://kota.go.id/x)."), _sentence_end_off("https://w.id/A_(b)")
    ('https://kota.go.id/x', 'https://w.id/A_(b)')
    """
    if url.startswith("(") and url[1:].lower().startswith(("http://", "https://")):
        url = url[1:]  # "(https://kota.go.id/x)": the bracket opens the sentence's aside
    if not url.lower().startswith(("http://", "https://")):
        return url
    while True:
        trimmed = url.rstrip(".")
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed == url:
            return url
        url = trimmed
