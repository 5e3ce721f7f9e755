"""Indonesian dates as NUF pages print them ("Kamis, 18 Desember 2025"), and ISO dates.

Every day name is accepted (Senin, Selasa, Rabu, Kamis, Jumat / Jum'at, Sabtu, Minggu / Ahad)
with its common abbreviation, and every month name with its old spellings ("Pebruari",
"Nopember") and abbreviations ("Agt", "Sept.", "Des"), in any letter case; the English
names and abbreviations too ("December", "Dec"), which a spreadsheet may hold. The day name is
optional and is not checked against the date: pages print it, they do not prove it. A date
that has the right form but does not exist ("31 Februari 2025") raises
:class:`ImpossibleDateError`, never a nearby date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

MONTHS: Final[dict[str, int]] = {
    "januari": 1, "jan": 1, "janu": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "febr": 2, "february": 2,
    "maret": 3, "mar": 3, "mrt": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agust": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

#: Day names by weekday number (Monday 0), each with its spellings and abbreviations.
DAY_NAMES: Final[dict[int, frozenset[str]]] = {
    0: frozenset({"senin", "sen"}),
    1: frozenset({"selasa", "sel"}),
    2: frozenset({"rabu", "rab"}),
    3: frozenset({"kamis", "kam"}),
    4: frozenset({"jumat", "jum'at", "jum’at", "jumaat", "jum"}),
    5: frozenset({"sabtu", "sab"}),
    6: frozenset({"minggu", "ahad", "min"}),
}

DAYS: Final[frozenset[str]] = frozenset().union(*DAY_NAMES.values())

_DATE: Final = re.compile(
    r"^\s*(?:(?P<day>[A-Za-z][A-Za-z'’]*)\.?\s*,?\s+)?"
    r"(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\.?\s+(?P<y>\d{4})\s*$"
)
_ISO: Final = re.compile(r"^\s*(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\s*$")


class NotADateError(ValueError):
    """The text is not an Indonesian date."""


class ImpossibleDateError(ValueError):
    """The text has the form of a date that does not exist ("31 Februari 2025")."""


def looks_like_date(text: str) -> bool:
    """Tell whether a line has the form of an Indonesian date, possible or not.

    >>> looks_like_date("Kamis, 18 Desember 2025"), looks_like_date("4 dilihat")
    (True, False)
    >>> looks_like_date("Jum'at, 31 Februari 2025"), looks_like_date("Hari, 1 Mei 2025")
    (True, False)
    """
    return _date_parts(text) is not None


def indonesian_date(text: str) -> dt.date | None:
    """Return the date a line gives if it looks like an Indonesian date, else None.

    This is :func:`looks_like_date` then :func:`parse_indonesian_date` with one match, not
    two; a date that does not exist raises :class:`ImpossibleDateError`.

    >>> indonesian_date("Kamis, 18 Desember 2025"), indonesian_date("4 dilihat")
    (datetime.date(2025, 12, 18), None)
    """
    parts = _date_parts(text)
    return None if parts is None else _real_date(*parts, text)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """Return the year, month and day of a line that looks like an Indonesian date, else None."""
    # A date ends with its year (and perhaps spaces), and most lines do not end with a digit:
    # \d is str.isdecimal and \s is what str.rstrip() strips, so this is much cheaper than
    # the regex and refuses only lines the regex would refuse.
    if not text.rstrip()[-1:].isdecimal():
        return None
    match = _DATE.match(text)
    if match is None:
        return None
    day_name, day, month_name, year = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None or (day_name is not None and day_name.lower() not in DAYS):
        return None
    return int(year), month, int(day)


def parse_indonesian_date(text: str) -> dt.date:
    """Parse an Indonesian date, with or without its day name.

    >>> parse_indonesian_date("Kamis, 18 Desember 2025")
    datetime.date(2025, 12, 18)
    >>> parse_indonesian_date("7 Agt 2024")
    datetime.date(2024, 8, 7)
    >>> parse_indonesian_date("31 Februari 2025")
    Traceback (most recent call last):
    ...
    nualod.read.dates.ImpossibleDateError: '31 Februari 2025' is not a real date
    """
    parts = _date_parts(text)
    if parts is None:
        raise NotADateError(f"{text.strip()!r} is not a date like 'Kamis, 18 Desember 2025'")
    return _real_date(*parts, text)


def parse_date(text: str) -> dt.date:
    """Parse an ISO date (``2025-12-18``) or an Indonesian one (``18 Desember 2025``).

    >>> parse_date("2025-12-18"), parse_date("Jumat, 19 Des 2025")
    (datetime.date(2025, 12, 18), datetime.date(2025, 12, 19))
    >>> parse_date("2025-02-29")
    Traceback (most recent call last):
    ...
    nualod.read.dates.ImpossibleDateError: '2025-02-29' is not a real date
    >>> parse_date("18/12/2025")
    Traceback (most recent call last):
    ...
    nualod.read.dates.NotADateError: '18/12/2025' is not a date like '2025-12-18' or '18 Desember 2025'
    """
    iso = _ISO.match(text)
    if iso is not None:
        return _real_date(int(iso["y"]), int(iso["m"]), int(iso["d"]), text)
    if looks_like_date(text):
        return parse_indonesian_date(text)
    raise NotADateError(f"{text.strip()!r} is not a date like '2025-12-18' or '18 Desember 2025'")


def _real_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ImpossibleDateError(f"{text.strip()!r} is not a real date") from None
