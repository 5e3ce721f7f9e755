"""Indonesian and ISO dates: every day and month name, abbreviations, impossible dates."""

from __future__ import annotations

import datetime as dt
import random
import re
import sys

import pytest

from nualod.read.dates import (
    _DATE,
    DAY_NAMES,
    DAYS,
    MONTHS,
    ImpossibleDateError,
    NotADateError,
    indonesian_date,
    looks_like_date,
    parse_date,
    parse_indonesian_date,
)

# 15-21 December 2025 run from Monday to Sunday.
WEEK = [
    ("Senin", 15),
    ("Selasa", 16),
    ("Rabu", 17),
    ("Kamis", 18),
    ("Jumat", 19),
    ("Jum'at", 19),
    ("Jum’at", 19),
    ("Sabtu", 20),
    ("Minggu", 21),
    ("Ahad", 21),
]

FULL_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip

ABBREVIATIONS = [
    ("Jan", 1), ("Feb", 2), ("Peb", 2), ("Pebruari", 2), ("Mar", 3), ("Apr", 4), ("Jun", 6),
    ("Jul", 7), ("Agu", 8), ("Agt", 8), ("Ags", 8), ("Agus", 8), ("Sep", 9), ("Sept", 9),
    ("Okt", 10), ("Nov", 11), ("Nop", 11), ("Nopember", 11), ("Des", 12),
    # English, as a spreadsheet may hold them ("15 Dec" was read, "15 December" refused).
    ("January", 1), ("February", 2), ("March", 3), ("May", 5), ("June", 6), ("July", 7),
    ("August", 8), ("Aug", 8), ("October", 10), ("Oct", 10), ("December", 12), ("Dec", 12),
]  # fmt: skip


@pytest.mark.parametrize(("day", "date"), WEEK)
def test_every_day_name_is_read(day: str, date: int) -> None:
    assert parse_indonesian_date(f"{day}, {date} Desember 2025") == dt.date(2025, 12, date)


def test_the_day_names_match_their_weekdays() -> None:
    for day, date in WEEK:
        assert day.lower() in DAY_NAMES[dt.date(2025, 12, date).weekday()]
    assert len(DAY_NAMES) == 7


@pytest.mark.parametrize("day", ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"])
def test_day_abbreviations_with_or_without_a_dot(day: str) -> None:
    assert day.lower() in DAYS
    assert parse_indonesian_date(f"{day}, 1 Mei 2025") == dt.date(2025, 5, 1)
    assert parse_indonesian_date(f"{day}. 1 Mei 2025") == dt.date(2025, 5, 1)


@pytest.mark.parametrize(("number", "month"), list(enumerate(FULL_MONTHS, start=1)))
def test_every_month_name_is_read(number: int, month: str) -> None:
    assert parse_indonesian_date(f"1 {month} 2025") == dt.date(2025, number, 1)
    assert parse_indonesian_date(f"1 {month.upper()} 2025") == dt.date(2025, number, 1)
    assert parse_date(f"Senin, 1 {month.lower()} 2025") == dt.date(2025, number, 1)


@pytest.mark.parametrize(("abbreviation", "number"), ABBREVIATIONS)
def test_month_abbreviations(abbreviation: str, number: int) -> None:
    assert MONTHS[abbreviation.lower()] == number
    assert parse_indonesian_date(f"3 {abbreviation} 2024") == dt.date(2024, number, 3)
    assert parse_indonesian_date(f"3 {abbreviation}. 2024") == dt.date(2024, number, 3)


def test_without_a_day_name_and_with_spaces() -> None:
    assert parse_indonesian_date("  7   Agustus   2024 ") == dt.date(2024, 8, 7)
    assert parse_indonesian_date("Kamis 18 Desember 2025") == dt.date(2025, 12, 18)


@pytest.mark.parametrize(
    "text",
    ["31 Februari 2025", "30 Februari 2024", "31 April 2025", "31 Juni 2025", "31 September 2025",
     "31 November 2025", "32 Januari 2025", "0 Maret 2025", "29 Februari 2025", "29 Feb 1900",
     "Jum'at, 31 Februari 2025"],
)  # fmt: skip
def test_impossible_dates_are_rejected(text: str) -> None:
    assert looks_like_date(text)
    with pytest.raises(ImpossibleDateError, match="is not a real date"):
        parse_indonesian_date(text)
    with pytest.raises(ImpossibleDateError):
        parse_date(text)


@pytest.mark.parametrize("year", [2000, 2004, 2020, 2024, 2028])
def test_29_february_in_leap_years(year: int) -> None:
    assert parse_indonesian_date(f"29 Februari {year}") == dt.date(year, 2, 29)
    assert parse_date(f"{year}-02-29") == dt.date(year, 2, 29)


@pytest.mark.parametrize("year", [1900, 2023, 2025, 2100])
def test_29_february_in_other_years(year: int) -> None:
    with pytest.raises(ImpossibleDateError):
        parse_indonesian_date(f"29 Februari {year}")
    with pytest.raises(ImpossibleDateError):
        parse_date(f"{year}-02-29")


def test_iso_dates() -> None:
    assert parse_date(" 2025-12-18 ") == dt.date(2025, 12, 18)
    with pytest.raises(ImpossibleDateError, match="'2025-13-01' is not a real date"):
        parse_date("2025-13-01")
    with pytest.raises(ImpossibleDateError):
        parse_date("2025-04-31")


@pytest.mark.parametrize(
    "text",
    ["4 dilihat | 1 menit membaca", "Hari, 1 Mei 2025", "1 Mai 2025", "18 Desember 25",
     "2025/12/18", "18-12-2025", "", "Kamis", "Desember 2025", "Kota Batik, 18 Desember 2025"],
)  # fmt: skip
def test_not_dates(text: str) -> None:
    assert not looks_like_date(text)
    with pytest.raises(NotADateError):
        parse_indonesian_date(text)
    with pytest.raises(NotADateError):
        parse_date(text)


def test_indonesian_date_is_looks_like_date_then_parse_indonesian_date() -> None:
    pieces = [*"0123456789 ,.'’-/\t\n", "\xa0", "١", "Kamis", "Jum'at", "jum’at", "Hari", "Des"]
    pieces += ["desember", "Mei", "MEI", "Sept", "Februari", "2025", "2024", "31", "29", "02"]
    rng = random.Random(20251128)
    texts = ["".join(rng.choices(pieces, k=rng.randrange(8))) for _ in range(20_000)]
    for text in [*texts, "Kamis, 18 Desember 2025", "31 Februari 2025", "4 dilihat", ""]:
        if not looks_like_date(text):
            assert indonesian_date(text) is None, text
            continue
        try:
            expected = parse_indonesian_date(text)
        except ImpossibleDateError as error:
            with pytest.raises(ImpossibleDateError) as caught:
                indonesian_date(text)
            assert str(caught.value) == str(error)
        else:
            assert indonesian_date(text) == expected, text


def test_a_date_ends_with_a_digit_before_what_rstrip_strips() -> None:
    # A line is a date only if it ends with a decimal digit and spaces: the cheap test that
    # spares most lines the regex. \d is str.isdecimal (see test_pages); \s is str.isspace,
    # which is what str.rstrip() strips.
    space = re.compile(r"\s")
    characters = map(chr, range(sys.maxunicode + 1))
    assert all(
        (space.match(c) is not None) is c.isspace() is (c.rstrip() == "") for c in characters
    )
    for text in ["Kamis, 18 Desember 2025", " 1 mei 2020 \n", "1 Mei ٢٠٢٤\u3000"]:
        assert _DATE.match(text)
        assert text.rstrip()[-1:].isdecimal()
