"""Bad input found by the input-robustness review: each was a traceback, a hang or a good
record dropped, and is now one line naming the file, the record and the field."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from nualod.cli import main
from nualod.errors import InputError
from nualod.read.inputs import read_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAGE = (FIXTURES / "surakarta-tema10-indikator47.txt").read_text(encoding="utf-8")
SOURCE = "https://surakarta.go.id/berita/pelatihan-batik"
ROW = {
    "theme": 10,
    "indicator": 47,
    "indicator_name": "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik",
    "city": "Kota Pekalongan",
    "sources": "https://a.example.id/1",
    "date": "2025-12-18",
}


def _messages(path: Path) -> list[str]:
    return [
        result.message if isinstance(result, InputError) else result.origin.describe()
        for result in read_file(path)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://surakarta.go.id/berita/[x]",
        "https://surakarta.go.id/berita/x#y#z",
        "https://surakarta.go.id/berita/%zz",
    ],
)
def test_a_source_that_is_no_iri_rejects_its_page(tmp_path: Path, url: str) -> None:
    # Printable ASCII that the IRI parser of the dumps refuses: it raised ValueError there.
    page = tmp_path / "page.txt"
    page.write_text(PAGE.replace(SOURCE, url), encoding="utf-8")
    assert _messages(page) == [f"{page}: Sumber: not a valid URL: {url!r}"]


def test_a_lone_surrogate_or_a_control_in_a_json_record_rejects_it(tmp_path: Path) -> None:
    table = tmp_path / "list.json"
    table.write_text(
        json.dumps(
            [
                ROW,
                {**ROW, "tagline": "\ud800"},
                {**ROW, "sources": "https://a.example.id/\ud800"},
                {**ROW, "sources": "https://a.example.id/\x1b[2J"},
                {**ROW, "sources": "https://a.example.id/2"},
            ]
        ),
        encoding="utf-8",
    )
    assert _messages(table) == [
        f"{table} record 1",
        f"{table} record 2: tagline: contains a lone surrogate (U+D800), which is no character",
        f"{table} record 3: sources: not a valid URL: 'https://a.example.id/\\ud800'",
        f"{table} record 4: sources: not a valid URL: 'https://a.example.id/\\x1b[2J'",
        f"{table} record 5",
    ]


def test_a_json_number_longer_than_python_reads_refuses_its_record_alone(tmp_path: Path) -> None:
    table = tmp_path / "list.json"
    records = [
        json.dumps(ROW).replace('"theme": 10', '"theme": ' + "9" * 5000),
        json.dumps(ROW).replace('"indicator": 47', '"indicator": -' + "1" * 4400),
        json.dumps(ROW),
    ]
    table.write_text("[" + ", ".join(records) + "]")
    assert _messages(table) == [
        f"{table} record 1: theme: not a theme number: '99999999999999999999… (5,000 digits)'",
        f"{table} record 2: indicator: not an indicator number: "
        "'-1111111111111111111… (4,400 digits)'",
        f"{table} record 3",
    ]


@pytest.mark.parametrize("charset", ["rot13", "hex", "zlib"])
def test_a_declared_codec_that_is_no_text_encoding_is_not_taken(
    tmp_path: Path, charset: str
) -> None:
    page = tmp_path / "page.html"
    head = f'<meta charset="{charset}">'.encode()
    page.write_bytes(head + b"\xff" + PAGE.encode())
    assert _messages(page) == [f"{page}: not UTF-8 text (byte 0xff at offset {len(head)})"]


def test_the_command_line_rejects_each_and_publishes_the_rest(
    tmp_path: Path, runner: CliRunner
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-good.txt").write_text(PAGE, encoding="utf-8")
    (pages / "b-bracket.txt").write_text(PAGE.replace(SOURCE, SOURCE + "[x]"), encoding="utf-8")
    (pages / "c-amount.txt").write_text(
        PAGE.replace(SOURCE, SOURCE + "-2").replace(
            "Pelatihan dipandu", "Sebanyak 99999999999999999999999999999 orang dilatih."
        ),
        encoding="utf-8",
    )
    (pages / "d-list.json").write_text(json.dumps([ROW, {**ROW, "city": "\udfff"}]))
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stderr.splitlines()[-3:] == [
        f"rejected: {pages / 'b-bracket.txt'}: Sumber: not a valid URL: '{SOURCE}[x]'",
        f"rejected: {pages / 'd-list.json'} record 2: city: contains a lone surrogate "
        "(U+DFFF), which is no character",
        f"2 input(s) rejected; see {out / 'rejected.json'}",
    ]
    assert "published 3 practice(s)" in outcome.stdout
    figures = (out / "practice-figures.csv").read_text(encoding="utf-8")
    assert ",99999999999999999999999999999,http://qudt.org/vocab/unit/NUM," in figures


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [
        pytest.param(
            '"checked_at": 5',
            "malformed page metadata: 'checked_at' must be str, not 5",
            id="number",
        ),
        pytest.param(
            '"checked_at": "2025-02-30T00:00:00Z"',
            "malformed page metadata: 'checked_at' is not a UTC moment such as "
            "2025-12-18T08:30:01Z: '2025-02-30T00:00:00Z'",
            id="no-such-day",
        ),
        pytest.param(
            '"checked_at": "nope"',
            "malformed page metadata: 'checked_at' is not a UTC moment such as "
            "2025-12-18T08:30:01Z: 'nope'",
            id="no-moment",
        ),
        pytest.param(
            "\udcff{}", "cannot read page metadata: not UTF-8 (byte 0xff at offset 0)", id="latin"
        ),
        pytest.param("[" * 100_000, "malformed page metadata: nested too deeply", id="deep"),
        pytest.param(None, "cannot read page metadata: not a regular file", id="fifo"),
    ],
)
def test_a_damaged_sidecar_rejects_its_page(
    tmp_path: Path, sidecar: str | None, reason: str
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    meta = tmp_path / "page.txt.meta.json"
    if sidecar is None:
        os.mkfifo(meta)  # read, it waited for a writer for ever
    elif sidecar.startswith('"'):
        good = {
            "url": SOURCE, "final_url": SOURCE, "retrieved_at": "2025-12-19T10:00:00Z",
            "status": 200, "etag": None, "last_modified": None, "content_type": "text/plain",
            "sha256": "0" * 64, "bytes": 1,
        }  # fmt: skip
        meta.write_text(json.dumps(good)[:-1] + ", " + sidecar + "}", encoding="utf-8")
    else:
        meta.write_bytes(sidecar.encode("utf-8", "surrogateescape"))
    assert _messages(page) == [f"{meta}: {reason}"]


def test_a_fifo_named_as_input_is_not_read(tmp_path: Path, runner: CliRunner) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    outcome = runner.invoke(
        main, ["publish", str(tmp_path / "good.txt"), str(fifo), "--out", str(out)]
    )
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stderr.splitlines()[0] == f"rejected: {fifo}: not a regular file or a folder"


def test_a_config_nested_too_deeply_is_one_line(tmp_path: Path, runner: CliRunner) -> None:
    config = tmp_path / "nualod.toml"
    config.write_text("base = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    outcome = runner.invoke(
        main, ["publish", str(page), "--out", str(tmp_path / "out"), "--config", str(config)]
    )
    assert outcome.exit_code == 2
    assert outcome.stderr == f"error: {config}: not TOML: nested too deeply\n"
    assert not (tmp_path / "out").exists()


def test_a_query_file_that_is_not_utf8_is_one_line(tmp_path: Path, runner: CliRunner) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes(b"SELECT * { ?s ?p ?o }\n# caf\xe9\n")
    outcome = runner.invoke(main, ["query", str(tmp_path), f"@{query}"])
    assert outcome.exit_code == 2
    assert outcome.stderr == (
        f"error: {query}: cannot read the query: not UTF-8 text (byte 0xe9 at offset 27)\n"
    )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        pytest.param(
            lambda index: index.write_bytes(index.read_bytes()[:-60]),
            "line 2: not a line of a nualod practices index (10 tab-separated fields, numbers "
            "for offset and length); the file is damaged",
            id="truncated",
        ),
        pytest.param(
            lambda index: index.write_bytes(index.read_bytes() + b"\xff\xfe\n"),
            "not a nualod practices index: not UTF-8 text",
            id="not-utf8",
        ),
    ],
)
def test_a_damaged_previous_index_is_one_line(
    tmp_path: Path, runner: CliRunner, release: Path, damage: Callable[[Path], object], reason: str
) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(release / "releases" / "1", previous)
    index = previous / "practices-index.tsv"
    damage(index)
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    outcome = runner.invoke(
        main, ["publish", str(page), "--out", str(out), "--previous", str(previous)]
    )
    assert (outcome.exit_code, outcome.stderr) == (2, f"error: {index}: {reason}\n")
    assert not out.exists()
    outcome = runner.invoke(main, ["diff", str(previous), str(release)])
    assert (outcome.exit_code, outcome.stderr) == (2, f"error: {index}: {reason}\n")


def test_a_page_repeated_with_another_date_keeps_the_first(
    tmp_path: Path, runner: CliRunner
) -> None:
    # Read in one batch, the two gave one IRI two dates: both were withheld for "more than
    # one date", the good first page with the repeat.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    (pages / "b.txt").write_text(PAGE.replace("19 Desember 2025", "20 Desember 2025"))
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(pages), "--out", str(out), "--workers", "1"])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stderr.splitlines() == [
        f"rejected: {pages / 'b.txt'}: the same practice as {pages / 'a.txt'} (same theme, "
        "indicator, city, title and sources); kept that one",
        f"1 input(s) rejected; see {out / 'rejected.json'}",
    ]
    assert "published 1 practice(s)" in outcome.stdout
    assert "2025-12-19" in (out / "practices.csv").read_text(encoding="utf-8")


def test_a_previous_release_with_a_dump_cut_short_is_not_reused(
    tmp_path: Path, runner: CliRunner, release: Path
) -> None:
    # Its record of work pointed past the end of its N-Quads: "error: 6: the spool file
    # ended early", naming no file, and nothing published. The pages are read again instead.
    previous = tmp_path / "previous"
    shutil.copytree(release / "releases" / "1", previous)
    nquads = previous / "nualod.nq"
    nquads.write_bytes(nquads.read_bytes()[: nquads.stat().st_size // 2])
    page = release.parent / "page.txt"
    out = tmp_path / "out"
    outcome = runner.invoke(
        main,
        ["publish", str(page), "--out", str(out), "--previous", str(previous), "--release", "2"],
    )
    # A release folder copied alone is another folder's: its feed would go on from there.
    assert (outcome.exit_code, outcome.stderr) == (
        0,
        f"note: --previous {previous}: this release goes on with the change feed of another "
        "folder, at the same URLs (https://w3id.org/nualod/download/feed/index.trig); serve "
        "one of the two folders there, or the feed forks\n",
    ), outcome.output
    assert "published 1 practice(s)" in outcome.stdout


@pytest.mark.parametrize(
    ("name", "encoding", "said"),
    [
        ("page.txt", "utf-16", "UTF-16"),
        ("page.html", "utf-16-be", "UTF-16"),
        ("list.csv", "utf-16", "UTF-16"),
        ("page.txt", "utf-32", "UTF-32"),
    ],
)
def test_a_file_saved_as_utf16_says_so(tmp_path: Path, name: str, encoding: str, said: str) -> None:
    # Its NUL bytes made it "a binary file, not a page", which a data officer who saved a
    # spreadsheet as "Unicode Text" cannot act on.
    path = tmp_path / name
    text = PAGE if name.endswith((".txt", ".html")) else "theme,indicator\n10,47\n"
    data = text.encode(encoding)
    path.write_bytes(data if data[:2] in (b"\xff\xfe", b"\xfe\xff") else b"\xfe\xff" + data)
    assert _messages(path) == [f"{path}: {said} text, not UTF-8 (save it as UTF-8)"]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("indikator 47", "indikator 0", "indicator: not an indicator number: 0"),
        ("10. Praktik baik", "0. Praktik baik", "theme: not a theme number: 0"),
    ],
)
def test_a_page_numbered_0_is_refused_as_a_table_row_is(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    # A page with indicator 0 was published ("indicator 0 is not in the NUF list; added"),
    # exit 0, where a table row with it was refused.
    page = tmp_path / "page.txt"
    text = PAGE.replace(old, new)
    page.write_text(text.replace("tema 10", "tema 0") if "theme" in said else text)
    assert _messages(page) == [f"{page}: {said}"]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--publisher-iri", "https://a.example.id/[x]", "--publisher-iri must be an http(s) IRI: "
         "'https://a.example.id/[x]'"),
        ("--contact-email", "data\x01@a.example.id", "--contact-email must be an e-mail address: "
         "'data\\x01@a.example.id'"),
        ("--publisher-name", "Bappeda\x1b[2J", "--publisher-name must not hold a control "
         "character (U+001B)"),
    ],
)  # fmt: skip
def test_a_publisher_the_catalog_cannot_write_is_refused_first(
    tmp_path: Path, runner: CliRunner, option: str, value: str, said: str
) -> None:
    # The IRIs stopped the publish with a traceback when the catalog was written, after all
    # the pages were read; the name went into the catalog, ESC and all.
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(page), "--out", str(out), option, value])
    assert (outcome.exit_code, outcome.stderr) == (2, f"error: {said}\n")
    assert not out.exists()


def test_a_quote_never_closed_in_a_csv_is_named(tmp_path: Path) -> None:
    # The rest of the table became one cell: "row 3: city: no value", the true cause unsaid.
    table = tmp_path / "list.csv"
    row = "10,47,Individu Dilatih,Kota Pekalongan,https://a.example.id/{},2025-12-18\n"
    table.write_text(
        "theme,indicator,indicator_name,city,sources,date\n"
        + row.format(1)
        + row.format(2).replace("Individu", '"Individu')
        + row.format(3)
        + row.format(4),
        encoding="utf-8",
    )
    assert _messages(table) == [
        f"{table} row 2",
        f'{table} row 3: indicator_name: a quote (") opened in this cell is not closed: the '
        "rest of the table (3 line(s)) was read as this one cell",
    ]
    # A quoted cell that holds line breaks, closed, last in the table, is a cell.
    table.write_text(
        "theme,indicator,indicator_name,city,sources,date,description\n"
        + row.format(1).rstrip("\n")
        + ',"Satu\nDua\n"\n',
        encoding="utf-8",
    )
    assert _messages(table) == [f"{table} row 2"]


def test_a_query_that_crashes_its_process_says_how(release: Path, runner: CliRunner) -> None:
    # Oxigraph's parser overflows its stack: "the query failed: exit code -11".
    query = "SELECT * { " + "{" * 20_000 + "}" * 20_000 + " }"
    outcome = runner.invoke(main, ["query", str(release), query])
    assert (outcome.exit_code, outcome.stderr) == (
        2,
        "error: the query failed: the query process crashed (SIGSEGV); a query nested very "
        "deeply does that\n",
    )


def test_a_harvest_journal_line_nested_too_deeply_is_skipped(tmp_path: Path) -> None:
    # A torn line is skipped; one nested thousands deep raised RecursionError: a traceback.
    from nualod.harvesting.pagestore import JOURNAL_NAME, Journal

    (tmp_path / JOURNAL_NAME).write_text(
        '{"url": "https://a.example.id/1", "sha256": "ab"}\n' + "[" * 100_000 + "\n",
        encoding="utf-8",
    )
    assert Journal(tmp_path).completed() == {"https://a.example.id/1": "ab"}


def test_a_file_name_with_a_line_break_stays_on_its_line(tmp_path: Path, runner: CliRunner) -> None:
    # "rejected: pages/bad" and a second line "rejected: fake.txt: ..." that no file said;
    # and a note showed a name's ESC as it is.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    (pages / "bad\nrejected: fake.txt").write_text("junk", encoding="utf-8")
    (pages / "b\x1b[2J.txt").write_text(
        PAGE.replace("indikator 47", "indikator 470").replace(SOURCE, SOURCE + "-2"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stderr.splitlines() == [
        f"note: {pages}/b\\x1b[2J.txt: indicator 470 is not in the NUF list; added",
        f"rejected: {pages}/bad\\x0arejected: fake.txt: not a good-practice page: no line "
        "'Praktik baik tema NN indikator MM <indicator name>'",
        f"1 input(s) rejected; see {out / 'rejected.json'}",
    ]


def test_an_out_folder_inside_the_input_folder_is_not_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    # The second publish read the first's tables, JSON and (with --site) every page of its
    # site: a rejection each, exit 1.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    out = pages / "out"
    for _ in range(2):
        outcome = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
        assert (outcome.exit_code, outcome.stderr) == (0, ""), outcome.output
        assert "published 1 practice(s)" in outcome.stdout


def test_a_folder_of_pages_named_current_is_read(tmp_path: Path, runner: CliRunner) -> None:
    pages = tmp_path / "pages"
    (pages / "current").mkdir(parents=True)
    (pages / "releases").mkdir()
    (pages / "current" / "a.txt").write_text(PAGE, encoding="utf-8")
    outcome = runner.invoke(main, ["publish", str(pages), "--out", str(tmp_path / "out")])
    assert (outcome.exit_code, outcome.stderr) == (0, ""), outcome.output
