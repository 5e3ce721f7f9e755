"""Indonesian dates as NUF pages print them ("Kamis, 18 Desember 2025")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

MONTHS: Final[dict[str, int]] = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip

DAYS: Final[frozenset[str]] = frozenset(
    {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "jum’at", "sabtu", "minggu", "ahad"}
    | {"sen", "sel", "rab", "kam", "jum", "sab", "min"}
)

_DATE: Final = re.compile(
    r"^\s*(?:(?P<day>[A-Za-z'’]+)\.?\s*,?\s+)?(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\.?\s+(?P<y>\d{4})\s*$"
)


class NotADateError(ValueError):
    """The text is not an Indonesian date."""


class ImpossibleDateError(ValueError):
    """The text has the form of a date that does not exist ("31 Februari 2025")."""


def looks_like_date(text: str) -> bool:
    """Tell whether a line has the form of an Indonesian date, possible or not.

    >>> looks_like_date("Kamis, 18 Desember 2025"), looks_like_date("4 dilihat")
    (True, False)
    """
    match = _DATE.match(text)
    if match is None or match["m"].lower() not in MONTHS:
        return False
    return match["day"] is None or match["day"].lower() in DAYS


def parse_indonesian_date(text: str) -> dt.date:
    """Parse an Indonesian date, with or without its day name.

    >>> parse_indonesian_date("Kamis, 18 Desember 2025")
    datetime.date(2025, 12, 18)
    >>> parse_indonesian_date("7 Agt 2024")
    datetime.date(2024, 8, 7)
    >>> parse_indonesian_date("31 Februari 2025")
    Traceback (most recent call last):
    ...
    nualod.dates.ImpossibleDateError: '31 Februari 2025' is not a real date
    """
    if not looks_like_date(text):
        raise NotADateError(f"{text.strip()!r} is not a date like 'Kamis, 18 Desember 2025'")
    match = _DATE.match(text)
    assert match is not None  # looks_like_date checked it
    try:
        return dt.date(int(match["y"]), MONTHS[match["m"].lower()], int(match["d"]))
    except ValueError:
        raise ImpossibleDateError(f"{text.strip()!r} is not a real date") from None
