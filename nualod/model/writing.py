"""How numbers, dates and times are written for people, in Indonesian or English.

The data keep ISO 8601 dates and plain numbers (``xsd:date``, ``xsd:integer``); what a
person reads (a page, a description, the release's landing page) writes them as the
language does: ``18 Desember 2025`` and ``10.000`` in Indonesian, ``18 December 2025`` and
``10,000`` in English. One module for every stage that writes such text, so the catalog's
description and the site's pages say the same.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Final

__all__ = ["MONTHS", "date_text", "grouped", "moment_text", "shortened", "spaced"]

#: The months' names in each language the pages are written in.
MONTHS: Final[dict[str, tuple[str, ...]]] = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_DATE: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: A UTC time of day (the data's times end in Z); any other is shown as it is written.
_TIME: Final = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?Z")


def grouped(n: int, lang: str) -> str:
    """Return a whole number as ``lang`` writes it: Indonesian groups thousands with a dot,
    English with a comma.

    >>> grouped(1234567, "id"), grouped(1234567, "en"), grouped(12, "id")
    ('1.234.567', '1,234,567', '12')
    """
    written = f"{n:,}"
    return written.replace(",", ".") if lang == "id" else written


def spaced(n: int) -> str:
    """Return a whole number with its thousands set apart by a narrow no-break space (ISO
    80000-1), which reads alike in both languages: for a page that gives both at once.

    >>> spaced(2659766), spaced(512)
    ('2\u202f659\u202f766', '512')
    """
    return f"{n:,}".replace(",", "\u202f")


@lru_cache(maxsize=1 << 14)
def date_text(value: str, lang: str) -> str:
    """Return an ISO 8601 date (a day, a month or a year) as ``lang`` writes it; anything
    else as it is.

    A list page writes the same few thousand dates again and again: they are kept.

    >>> date_text("2025-12-18", "id"), date_text("2025-12-08", "en")
    ('18 Desember 2025', '8 December 2025')
    >>> date_text("2020-01", "id"), date_text("2020", "en"), date_text("2020-13-01", "id")
    ('Januari 2020', '2020', '2020-13-01')
    >>> date_text("2025-02-30", "id"), date_text("٢٠٢٥-١٢-١٨", "id")
    ('2025-02-30', '٢٠٢٥-١٢-١٨')
    """
    found = _DATE.fullmatch(value)
    if found is None:
        return value
    year, month, day = found.groups()
    if month is None:
        return year
    try:  # a day that is not one (30 February) is shown as it is written
        dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return value
    name = MONTHS[lang][int(month) - 1]
    return f"{name} {year}" if day is None else f"{int(day)} {name} {year}"


def moment_text(moment: str, lang: str) -> str:
    """Return an ISO 8601 date and UTC time as ``lang`` writes it, to the minute: Indonesian
    ``pukul 08.00``, English ``08:00``; anything else as it is.

    >>> moment_text("2025-12-16T08:00:00Z", "id"), moment_text("2025-12-16T08:05:09Z", "en")
    ('16 Desember 2025 pukul 08.00 UTC', '16 December 2025, 08:05 UTC')
    >>> moment_text("2025-12-16", "en"), moment_text("yesterday", "id")
    ('16 December 2025', 'yesterday')
    >>> moment_text("2025-12-16T08:00:00", "en"), moment_text("2025-12-16T25:99:00Z", "id")
    ('2025-12-16T08:00:00', '2025-12-16T25:99:00Z')
    """
    day, _, time = moment.partition("T")
    shown = date_text(day, lang)
    if not time:
        return shown
    found = _TIME.fullmatch(time)
    if found is None or shown == day:
        return moment
    hours, minutes = found.groups()
    return (
        f"{shown} pukul {hours}.{minutes} UTC"
        if lang == "id"
        else f"{shown}, {hours}:{minutes} UTC"
    )


def shortened(text: str, limit: int) -> str:
    """Return ``text`` cut to at most ``limit`` characters at a word's end, with "…" when
    cut (a search engine's snippet, not a word cut in two).

    >>> shortened("Kota Pekalongan mengembangkan batik", 24)
    'Kota Pekalongan…'
    >>> shortened("pendek", 24), shortened("Sebuahkatayangsangatpanjang", 10)
    ('pendek', 'Sebuahkat…')
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"
