"""Tabular input: CSV and JSON lists of practices, one row a practice."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from nualod.errors import InputError
from nualod.model.records import Practice
from nualod.read.inputs import discover, read_file
from nualod.read.tables import read_csv_text, read_json_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HEADER = "theme,indicator,indicator_name,city,sources,date"
ROW = "10,47,Individu Dilatih,Kota Padang,https://padang.go.id/{n},2025-12-18"


def labels(results: object) -> list[str]:
    """Return each result as its origin (a practice) or its message (an error)."""
    out = []
    for result in results:  # type: ignore[attr-defined]
        out.append(result.message if isinstance(result, InputError) else result.origin.describe())
    return out


def test_the_csv_fixture() -> None:
    path = FIXTURES / "pages" / "practices.csv"
    first, second = list(read_file(path))
    assert isinstance(first, Practice) and isinstance(second, Practice)
    assert first.origin.describe() == f"{path} row 2"
    assert first.origin.page_url == "https://habitatidn.id/news-details/11-kota-yogyakarta"
    assert first.title == "Kota Yogyakarta, Kota Pelajar"
    assert first.description == "Pelatihan perak di Kotagede.\n\nDipandu perajin setempat."
    assert [s.url for s in first.sources] == [
        "https://jogjakota.go.id/kriya",
        "https://jogjakota.go.id/perak",
    ]
    # A cell with line breaks is one spreadsheet row: the next practice is row 3.
    assert second.origin.describe() == f"{path} row 3"
    assert (second.city.name, second.tagline, second.description) == ("Kab. Banyuwangi", None, None)
    assert second.origin.page_url is None
    assert second.issued == dt.date(2025, 12, 16)


def test_the_json_fixture() -> None:
    path = FIXTURES / "pages" / "practices.json"
    (practice,) = list(read_file(path))
    assert isinstance(practice, Practice)
    assert practice.origin.describe() == f"{path} record 1"
    assert (practice.theme.number, practice.indicator.number) == (3, 19)
    assert practice.issued == dt.date(2025, 12, 17)


def test_a_table_gives_the_same_practice_as_a_page(examples_dir: Path, tmp_path: Path) -> None:
    from nualod.read.inputs import read_page_file

    page = read_page_file(examples_dir / "pekalongan-tema10-indikator47.txt")
    row = {
        "theme": "10",
        "indicator": "47",
        "indicator_name": page.indicator.name,
        "city": page.city.name,
        "tagline": page.tagline,
        "summary": page.summary,
        "description": page.description,
        "sources": " ".join(s.url for s in page.sources),
        "date": "Kamis, 18 Desember 2025",
    }
    path = tmp_path / "list.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    (from_table,) = list(read_file(path))
    assert from_table == page


def test_a_missing_column_is_one_error_naming_the_file_and_columns() -> None:
    path = FIXTURES / "bad" / "missing-column.csv"
    assert labels(read_file(path)) == [f"{path}: missing column(s): sources, date"]


def test_bad_rows_are_reported_and_good_rows_read() -> None:
    path = FIXTURES / "bad" / "rows.csv"
    assert labels(read_file(path)) == [
        f"{path} row 2",
        f"{path} row 3: date: not a real date: '31 Februari 2025'",
        f"{path} row 4: theme: not a theme number: 'sepuluh'",
        f"{path} row 5",  # "Pekalongan" alone is ambiguous only when linked
        f"{path} row 6: sources: not a valid URL: 'padang.go.id/e'",
        f"{path} row 8: indicator_name: no value",
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("0,47,x,Kota Padang,https://padang.go.id/,2025-12-18", "theme: not a theme number: '0'"),
        ("10,4a,x,Kota Padang,https://padang.go.id/,2025-12-18", "indicator: not an indicator number: '4a'"),
        ("10,,x,Kota Padang,https://padang.go.id/,2025-12-18", "indicator: no value"),
        ("10,47,x, ,https://padang.go.id/,2025-12-18", "city: no value"),
        ("10,47,x,Kota Padang,,2025-12-18", "sources: no value"),
        ("10,47,x,Kota Padang, ; ,2025-12-18", "sources: no value"),
        ("10,47,x,Kota Padang,https://padang.go.id/,", "date: no value"),
        ("10,47,x,Kota Padang,https://padang.go.id/,18/12/2025",
         "date: not a date like '2025-12-18' or '18 Desember 2025': '18/12/2025'"),
        ("10,47,x,Kota Padang,https://padang.go.id/,2025-02-29", "date: not a real date: '2025-02-29'"),
        ("10,47,x,Kota Padang,https://padang.go.id/,2025-12-18,extra",
         '7 cells but the header names 6 columns (a cell holding a comma must be in double '
         'quotes: "satu, dua")'),
        # The extra cell empty: the row was still shifted (review: 'sources: not a URL').
        ("10,47,x,Kota Padang,Satu, dua,https://padang.go.id/,",
         '8 cells but the header names 6 columns (a cell holding a comma must be in double '
         'quotes: "satu, dua")'),
        ("10,47,x,Kota Padang,https://padang.go.id/,18 December 2025,",
         '7 cells but the header names 6 columns (a cell holding a comma must be in double '
         'quotes: "satu, dua")'),
    ],
)  # fmt: skip
def test_one_bad_field_per_row(cells: str, message: str) -> None:
    assert labels(read_csv_text(f"{HEADER}\n{cells}\n", "l.csv")) == [f"l.csv row 2: {message}"]


def test_a_short_row_reports_its_first_empty_field() -> None:
    assert labels(read_csv_text(f"{HEADER}\n10,47,x,Kota Padang\n", "l.csv")) == [
        "l.csv row 2: sources: no value"
    ]


def test_sources_split_on_spaces_line_breaks_commas_and_semicolons() -> None:
    sources = (
        "https://a.example.id/1;https://a.example.id/2\n https://a.example.id/3  "
        "https://a.example.id/1, https://a.example.id/4,"
    )
    text = f'{HEADER}\n10,47,x,Kota Padang,"{sources}",2025-12-18\n'
    (practice,) = list(read_csv_text(text, "l.csv"))
    assert isinstance(practice, Practice)
    assert [s.url for s in practice.sources] == [f"https://a.example.id/{i}" for i in (1, 2, 3, 4)]


def test_indonesian_column_names_are_read() -> None:
    text = (
        "Tema,Indikator,Nama Indikator,Kota,Ringkasan,Deskripsi,Sumber,Tanggal\n"
        "10,47,x,Kota Padang,Singkat.,Panjang.,https://padang.go.id/,18 Desember 2025\n"
    )
    (practice,) = list(read_csv_text(text, "l.csv"))
    assert isinstance(practice, Practice)
    assert (practice.summary, practice.description) == ("Singkat.", "Panjang.")


def test_a_column_a_letter_off_refuses_the_table_naming_the_column_meant() -> None:
    """A misspelled optional column was ignored without a word, and its texts lost."""
    for header, meant in (("descripton", "description"), ("Ringksan", "ringkasan")):
        text = f"{HEADER},{header}\n{ROW.format(n=1)},Panjang.\n"
        assert labels(read_csv_text(text, "l.csv")) == [
            f"l.csv: the column {header!r} is not one nualod reads; did you mean {meant!r}? "
            "(rename it, or name it otherwise if it is not meant to be read)"
        ]
    # A column a letter off one the table also has is another column.
    text = f"{HEADER},data\n{ROW.format(n=1)},lihat\n"
    assert labels(read_csv_text(text, "l.csv")) == ["l.csv row 2"]
    record = {"theme": 10, "indicator": 47, "indicator_name": "x", "city": "Kota Padang",
              "sources": ["https://padang.go.id/"], "date": "2025-12-18", "summry": "S."}  # fmt: skip
    assert labels(read_json_text(json.dumps([record]), "l.json")) == [
        "l.json record 1: the key 'summry' is not one nualod reads; did you mean 'summary'?"
    ]


def test_excel_s_separator_line_is_read_and_rows_counted_after_it() -> None:
    text = f"sep=;\n{HEADER.replace(',', ';')}\n{ROW.format(n=1).replace(',', ';')}\n10;0\n"
    assert labels(read_csv_text(text, "l.csv")) == [
        "l.csv row 3",
        "l.csv row 4: indicator: not an indicator number: '0'",
    ]


def test_header_names_are_forgiving_and_extra_columns_ignored() -> None:
    text = (
        "Catatan, THEME ,Indicator,Indicator Name,City,Sources,Date,Page-URL\n"
        "lihat lagi,10,47,x,Kota Padang,https://padang.go.id/,2025-12-18,https://habitatidn.id/p\n"
    )
    (practice,) = list(read_csv_text(text, "l.csv"))
    assert isinstance(practice, Practice)
    assert practice.origin.page_url == "https://habitatidn.id/p"


def test_a_bad_page_url() -> None:
    text = f"{HEADER},page_url\n{ROW.format(n=1)},habitatidn.id/p\n"
    assert labels(read_csv_text(text, "l.csv")) == [
        "l.csv row 2: page_url: not a valid URL: 'habitatidn.id/p'"
    ]


NOT_A_LIST = (
    'l.json: not a list of practices: expected a JSON list of objects or {"practices": [...]}'
)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_tables(separator: str) -> None:
    text = (
        HEADER.replace(",", separator)
        + "\n"
        + (
            '10;47;"Jumlah; Individu";Kota Padang;'
            '"https://a.example.id/1;https://a.example.id/2";18 Desember 2025\n'
        ).replace(";", separator)
    )
    if separator == "\t":
        text = text.replace('"Jumlah\t Individu"', "Jumlah Individu").replace(
            '"https://a.example.id/1\thttps://a.example.id/2"',
            "https://a.example.id/1 https://a.example.id/2",
        )
    (practice,) = list(read_csv_text(text, "l.csv"))
    assert isinstance(practice, Practice)
    assert len(practice.sources) == 2


def test_blank_rows_are_skipped_but_counted() -> None:
    text = f"{HEADER}\n\n,,,,,\n{ROW.format(n=1)}\n"
    assert labels(read_csv_text(text, "l.csv")) == ["l.csv row 4"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{HEADER}\n", "l.csv: no practices: the table has a header but no rows"),
        (f"{HEADER}\n,,,,,\n", "l.csv: no practices: the table has a header but no rows"),
        (",,,\n", "l.csv: no header row"),
        (f"{HEADER},city\n", "l.csv: column(s) named more than once: city"),
        ("tema,kota\n10,Kota Padang\n",
         "l.csv: missing column(s): indicator, indicator_name, sources, date"),
    ],
)  # fmt: skip
def test_csv_file_errors(text: str, message: str) -> None:
    assert labels(read_csv_text(text, "l.csv")) == [message]


def test_an_oversize_cell_rejects_its_row_alone() -> None:
    text = f'{HEADER}\n{ROW.format(n=1)}\n10,47,"{"x" * 200_000}"\n{ROW.format(n=2)}\n'
    assert labels(read_csv_text(text, "l.csv")) == [
        "l.csv row 2",
        "l.csv row 3: indicator_name: a cell of 200,000 characters, more than the 131,072 a "
        "cell may have",
        "l.csv row 4",
    ]


def test_an_unclosed_quote_swallows_the_rest_of_the_file() -> None:
    text = f'{HEADER}\n{ROW.format(n=1)}\n10,47,"x\n{ROW.format(n=2)}\n'
    assert labels(read_csv_text(text, "l.csv")) == [
        "l.csv row 2",
        'l.csv row 3: indicator_name: a quote (") opened in this cell is not closed: the rest of '
        "the table (2 line(s)) was read as this one cell",
    ]


RECORD = {
    "theme": 10,
    "indicator": 47,
    "indicator_name": "x",
    "city": "Kota Padang",
    "sources": ["https://padang.go.id/"],
    "date": "2025-12-18",
}


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ([RECORD], ["l.json record 1"]),
        ({"practices": [RECORD, RECORD]}, ["l.json record 1", "l.json record 2"]),
        ([{**RECORD, "theme": "10", "indicator": 47.0}], ["l.json record 1"]),
        ([{**RECORD, "sources": "https://a.example.id/1; https://a.example.id/2"}], ["l.json record 1"]),
        ([{**RECORD, "theme": True}], ["l.json record 1: theme: must be a number, not true/false"]),
        ([{**RECORD, "theme": 10.5}], ["l.json record 1: theme: not a theme number: '10.5'"]),
        ([{**RECORD, "city": ["Kota Padang"]}], ["l.json record 1: city: must be text, not a list"]),
        ([{**RECORD, "sources": [1]}], ["l.json record 1: sources: a list of sources must hold only URLs (text)"]),
        ([{**RECORD, "sources": {"a": 1}}], ["l.json record 1: sources: must be URLs, not an object"]),
        ([{**RECORD, "date": None}], ["l.json record 1: date: no value"]),
        ([{"theme": 10}], ["l.json record 1: missing key(s): indicator, indicator_name, city, sources, date"]),
        ([RECORD, "x", 3, None], ["l.json record 1", "l.json record 2: must be an object, not text",
                                  "l.json record 3: must be an object, not a number",
                                  "l.json record 4: must be an object, not null"]),
        ([], ["l.json: no practices: the list is empty"]),
        ({"rejected": []}, [NOT_A_LIST]),
        ("x", [NOT_A_LIST]),
    ],
)  # fmt: skip
def test_json_records(data: object, messages: list[str]) -> None:
    assert labels(read_json_text(json.dumps(data), "l.json")) == messages


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"theme": 1e400', "l.json record 1: theme: not a theme number: '1e400'"),
        ('"indicator": -1E+999', "l.json record 1: indicator: not an indicator number: '-1E+999'"),
        ('"theme": NaN', "l.json record 1: theme: not a theme number: 'NaN'"),
        (
            '"indicator": Infinity',
            "l.json record 1: indicator: not an indicator number: 'Infinity'",
        ),
        # Where text is wanted it is still a number, refused as one (review: a title 1e400).
        ('"city": 1e400', "l.json record 1: city: must be text, not a number"),
        ('"indicator_name": NaN', "l.json record 1: indicator_name: must be text, not a number"),
        ('"sources": -Infinity', "l.json record 1: sources: must be URLs, not a number"),
    ],
)
def test_a_number_no_float_holds_is_quoted_as_written(written: str, message: str) -> None:
    """Python reads 1e400 as inf, and NaN and Infinity, which JSON has not, as floats: the
    message said 'inf' and 'nan', which the file does not."""
    key = written.split(":")[0].strip('"')
    text = json.dumps([{k: v for k, v in RECORD.items() if k != key}])
    assert labels(read_json_text(text.replace("{", "{" + written + ", ", 1), "l.json")) == [message]


def test_invalid_json() -> None:
    # The reason is Python's own words, which 3.13 made more precise for a trailing comma.
    reason = (
        "column 14): Illegal trailing comma before end of object"
        if sys.version_info >= (3, 13)
        else "column 15): Expecting property name enclosed in double quotes"
    )
    assert labels(read_json_text('[{"theme": 10,}]', "l.json")) == [
        f"l.json: not valid JSON (line 1, {reason}"
    ]


def test_deeply_nested_json() -> None:
    assert labels(read_json_text("[" * 100_000 + "]" * 100_000, "l.json")) == [
        "l.json: not a list of practices: nested too deeply"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (
            b"theme,city\n\xff\xfe",
            "not UTF-8 text (byte 0xff at offset 11), on line 2; save the table as UTF-8 "
            '(Excel: "CSV UTF-8")',
        ),
        (b"\x00\x01\x02", "a binary file, not a table"),
    ],
)
def test_table_files_that_are_not_text(tmp_path: Path, data: bytes, message: str) -> None:
    for name in ("l.csv", "l.tsv", "l.json"):
        path = tmp_path / name
        path.write_bytes(data)
        assert labels(read_file(path)) == [f"{path}: {message}"]


def test_a_tab_separated_file_is_a_table_and_a_workbook_is_refused(tmp_path: Path) -> None:
    tsv = tmp_path / "l.tsv"
    tsv.write_text(f"{HEADER}\n{ROW.format(n=1)}\n".replace(",", "\t"), encoding="utf-8")
    assert labels(read_file(tsv)) == [f"{tsv} row 2"]
    book = tmp_path / "Praktik.XLSX"
    book.write_bytes(b"PK\x03\x04\x14\x00")
    assert labels(read_file(book)) == [
        f'{book}: a .xlsx workbook, which nualod does not read: save its table as "CSV UTF-8" '
        "(.csv)"
    ]


def test_discover_finds_tables_and_skips_harvest_files(tmp_path: Path) -> None:
    for name in [
        "a.txt",
        "b.html",
        "c.htm",
        "d.csv",
        "e.JSON",
        "b.html.meta.json",
        "a.txt.META.JSON",
        ".nualod-harvest.jsonl",
        "rejected.json",
        "notes.md",
        "nualod.jsonld",
        ".hidden.csv",
    ]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.csv").write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a.txt",
        "b.html",
        "c.htm",
        "d.csv",
        "e.JSON",
        "sub/f.csv",
    ]
    # Sidecars and the journal are skipped even when named one by one (a shell glob).
    named = [tmp_path / "b.html", tmp_path / "b.html.meta.json", tmp_path / ".nualod-harvest.jsonl"]
    assert discover(named) == [tmp_path / "b.html"]
    # A rejected.json named on purpose is read, and reported as not a list of practices.
    assert discover([tmp_path / "rejected.json"]) == [tmp_path / "rejected.json"]


def test_a_city_written_as_a_code_or_in_other_case_is_titled_by_its_official_name() -> None:
    """The title (and so the identifier) was the cell as typed: '32.73', 'kota bandung'
    gave three practices of one (review)."""
    from nualod.link.practice import link_practice

    rows = "".join(
        f"10,47,x,{city},https://bandung.go.id/,2025-12-18\n"
        for city in ("Kota Bandung", "32.73", "kota  bandung", "KOTA BANDUNG")
    )
    practices = list(read_csv_text(f"{HEADER}\n{rows}", "l.csv"))
    titles = {link_practice(p).practice.title for p in practices if isinstance(p, Practice)}
    assert titles == {"Kota Bandung"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("1e400", "l.json record 1: must be an object, not a number"),
        ("NaN", "l.json record 1: must be an object, not a number"),
    ],
)
def test_a_record_that_is_a_number_no_float_holds_is_called_a_number(
    record: str, message: str
) -> None:
    assert labels(read_json_text(f"[{record}]", "l.json")) == [message]


def test_a_text_field_given_a_number_no_float_holds_is_refused() -> None:
    """A title written 1e400 or NaN was published as the text "1e400" or "NaN"."""
    text = json.dumps([RECORD]).replace('"theme"', '"tagline": NaN, "summary": 1e400, "theme"', 1)
    assert labels(read_json_text(text, "l.json")) == [
        "l.json record 1: tagline: must be text, not a number"
    ]


def test_publish_refuses_a_workbook_saying_how_to_save_it(tmp_path: Path) -> None:
    """`publish` names a workbook as `read_file` does, not as a binary page (README)."""
    from nualod import publish

    table = tmp_path / "l.csv"
    table.write_text(f"{HEADER}\n{ROW.format(n=1)}\n", encoding="utf-8")
    book = tmp_path / "Praktik.xlsx"
    book.write_bytes(b"PK\x03\x04\x14\x00")
    result = publish([table, book], tmp_path / "out", workers=1)
    assert [rejection.message for rejection in result.rejected] == [
        f'{book}: a .xlsx workbook, which nualod does not read: save its table as "CSV UTF-8" '
        "(.csv)"
    ]
