"""Bad input rejected one record at a time (issue #18 cases 9, 14, 15, 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nualod.errors import InputError
from nualod.model.records import Practice
from nualod.read.inputs import MAX_PAGE_BYTES, read_file
from nualod.read.tables import MAX_CELL

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAGE = (FIXTURES / "surakarta-tema10-indikator47.txt").read_text(encoding="utf-8")
HEADER = "theme,indicator,indicator_name,city,sources,date,description\n"


def _row(number: int, description: str = "Pelatihan") -> str:
    return (
        f"10,47,Individu Dilatih,Kota Pekalongan,https://a.example.id/{number},2025-12-18,"
        f'"{description}"\n'
    )


def _messages(path: Path) -> list[str]:
    return [
        result.message if isinstance(result, InputError) else result.origin.describe()
        for result in read_file(path)
    ]


def test_a_page_over_the_cap_is_one_rejection(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_bytes(b"<p>" + b"a" * (MAX_PAGE_BYTES + 1) + b"</p>")
    assert _messages(page) == [
        f"{page}: the page is {MAX_PAGE_BYTES + 8:,} bytes, more than the "
        f"{MAX_PAGE_BYTES:,} bytes a page may have"
    ]
    exact = tmp_path / "exact.txt"
    exact.write_bytes(PAGE.encode() + b" " * (MAX_PAGE_BYTES - len(PAGE.encode())))
    assert isinstance(next(iter(read_file(exact))), Practice)


def test_an_oversize_cell_rejects_its_row_and_the_next_rows_are_read(tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    long_cell = "x" * (MAX_CELL + 1)
    table.write_text(HEADER + _row(1) + _row(2, long_cell) + _row(3) + _row(4), encoding="utf-8")
    assert _messages(table) == [
        f"{table} row 2",
        f"{table} row 3: description: a cell of {MAX_CELL + 1:,} characters, more than "
        f"the {MAX_CELL:,} a cell may have",
        f"{table} row 4",
        f"{table} row 5",
    ]


def test_the_csv_field_limit_is_put_back(tmp_path: Path) -> None:
    import csv

    before = csv.field_size_limit()
    table = tmp_path / "list.csv"
    table.write_text(HEADER + _row(1), encoding="utf-8")
    list(read_file(table))
    assert csv.field_size_limit() == before


def test_json_keys_naming_one_column_twice_are_refused(tmp_path: Path) -> None:
    record = {
        "theme": 10,
        "indicator": 47,
        "indicator_name": "Individu Dilatih",
        "sources": ["https://a.example.id/1"],
        "date": "2025-12-18",
    }
    table = tmp_path / "list.json"
    both = {**record, "city": "Kota Bandung", "City": "Kota Pekalongan"}
    # The same key twice, which json.loads read as its last value without a word.
    twice = json.dumps({**record, "city": "Kota Bandung"})[:-1] + ', "city": "Kota Pekalongan"}'
    table.write_text(
        f"[{json.dumps({**record, 'city': 'Kota Bandung'})}, {json.dumps(both)}, {twice}]",
        encoding="utf-8",
    )
    assert _messages(table) == [
        f"{table} record 1",
        f"{table} record 2: keys 'city' and 'City' both name the column city",
        f"{table} record 3: the key 'city' is given twice",
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [
        ("Kota Surakarta", "Kota Sura\x1b[Hkarta", "city", "001B"),
        ("Ringkasan:\n", "Ringkasan:\nBunyi\x07 ", "Ringkasan", "0007"),
        ("Deskripsi:\n", "Deskripsi:\nMundur\x08 ", "Deskripsi", "0008"),
        ("indikator 47 ", "indikator 47 \x9b31m", "indicator", "009B"),
    ],
)
def test_a_control_character_in_a_page_is_one_rejection(
    tmp_path: Path, old: str, new: str, field: str, code: str
) -> None:
    page = tmp_path / "page.txt"
    assert old in PAGE
    page.write_text(PAGE.replace(old, new, 1), encoding="utf-8")
    assert _messages(page) == [f"{page}: {field}: contains a control character (U+{code})"]


def test_a_control_character_in_a_table_rejects_its_row(tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text(HEADER + _row(1, "a\x1b[2Jb") + _row(2), encoding="utf-8")
    assert _messages(table) == [
        f"{table} row 2: description: contains a control character (U+001B)",
        f"{table} row 3",
    ]


def test_a_file_name_that_is_not_utf8_is_listed_escaped(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "surakarta.txt").write_text(PAGE, encoding="utf-8")
    folder = os.fsencode(pages)
    with open(folder + b"/bad\xff.txt", "wb") as bad:  # noqa: PTH123 - a bytes path
        bad.write(b"not a page")
    result = subprocess.run(
        [sys.executable, "-m", "nualod", "publish", str(pages), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"rejected: {pages}/bad\\xff.txt: not a good-practice page" in result.stderr
    report = json.loads((tmp_path / "out" / "rejected.json").read_text(encoding="utf-8"))
    assert [entry["where"] for entry in report["rejected"]] == [f"{pages}/bad\\xff.txt"]
    assert "published 1 practice(s)" in result.stdout
