"""Bad input, each case through the publish pipeline: one clear message, the rest published.

Every case publishes a good page together with one bad input and checks the exact
message, that the good page is still published, and what ``rejected.json`` says. Some
cases run through the command line too, for the exit codes (0 all good, 1 some rejected,
2 nothing usable or bad usage).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from nualod.cli import main
from nualod.errors import PublishError
from nualod.run.publish import PublishResult, publish

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "pages"
BAD = FIXTURES / "bad"
GOOD_PAGE = GOOD / "surakarta-tema10-indikator47.txt"
DUMPS = {"nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld"}

IND47 = "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"

#: Every bad input fixture and the exact reason it is rejected for (after "<file>: ").
CASES = {
    "empty.txt": "the file is empty",
    "latin1.txt": "not UTF-8 text (byte 0xe9 at offset 288)",
    "scan.html": "a binary file, not a page",
    "news-item.txt": "not a good-practice page: no line "
    "'Praktik baik tema NN indikator MM <indicator name>'",
    "news-item.html": "not a good-practice page: no line "
    "'Praktik baik tema NN indikator MM <indicator name>'",
    "no-heading.txt": "heading: the heading 'NN. Praktik baik indikator MM' is missing",
    "no-city.txt": "city: the city line '<Kota|Kabupaten> <name>, <tagline>' is missing",
    "no-date.txt": "date: no article date after the sources (like 'Kamis, 18 Desember 2025')",
    "impossible-date.txt": "date: not a real date: 'Senin, 31 Februari 2025'",
    "unknown-city.txt": "city: unknown city or regency 'Kota Atlantis'",
    "ambiguous-city.txt": "city: ambiguous place 'Pekalongan': Kota Pekalongan (33.75) "
    "or Kabupaten Pekalongan (33.26); write 'Kota' or 'Kabupaten'",
    "bad-source.txt": "Sumber: not a valid URL: 'semarangkota dot go dot id/berita'",
    "missing-column.csv": "missing column(s): sources, date",
    "misspelled-label.txt": "Ringkasan: 'Ringksan:' is not a label of the page; "
    "did you mean 'Ringkasan:'?",
    "misspelled-source-label.txt": "Sumber: 'Sumbr:' is not a label of the page; "
    "did you mean 'Sumber:'?",
}

#: The rows of bad/rows.csv that are rejected (row 2 is good and published).
ROWS = [
    "row 3: date: not a real date: '31 Februari 2025'",
    "row 4: theme: not a theme number: 'sepuluh'",
    "row 5: city: ambiguous place 'Pekalongan': Kota Pekalongan (33.75) "
    "or Kabupaten Pekalongan (33.26); write 'Kota' or 'Kabupaten'",
    "row 6: sources: not a valid URL: 'padang.go.id/e'",
    "row 8: indicator_name: no value",
]


def copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / source.name))


def messages(result: PublishResult) -> list[str]:
    return [rejection.message for rejection in result.rejected]


def rejected_json(out: Path) -> list[dict[str, object]]:
    data = json.loads((out / "rejected.json").read_text(encoding="utf-8"))
    assert list(data) == ["rejected"]
    entries: list[dict[str, object]] = data["rejected"]
    return entries


def test_every_bad_fixture_is_a_case() -> None:
    names = {path.name for path in BAD.iterdir()}
    assert names == {*CASES, "rows.csv", "duplicate-of-surakarta.txt"}


@pytest.mark.parametrize(("name", "reason"), CASES.items())
def test_one_bad_input_beside_a_good_page(tmp_path: Path, name: str, reason: str) -> None:
    good = copy(GOOD_PAGE, tmp_path / "in")
    bad = copy(BAD / name, tmp_path / "in")
    out = tmp_path / "out"
    result = publish([tmp_path / "in"], out)
    assert messages(result) == [f"{bad}: {reason}"]
    assert len(result.published) == 1
    written = {p.name for p in out.iterdir()}
    assert {*DUMPS, "rejected.json"} <= written
    assert not [name for name in written if name.endswith(".part")]
    (entry,) = rejected_json(out)
    field, _, rest = reason.partition(": ")
    expected_field, expected_reason = (field, rest) if field.isidentifier() else (None, reason)
    if field == "Sumber":
        expected_field, expected_reason = "Sumber", rest
    assert entry == {
        "where": str(bad),
        "field": expected_field,
        "reason": expected_reason,
        "practice": None,
        "problems": [],
    }
    assert str(good) not in json.dumps(entry)


def test_the_same_practice_in_two_files(tmp_path: Path) -> None:
    good = copy(GOOD_PAGE, tmp_path / "a")
    duplicate = copy(BAD / "duplicate-of-surakarta.txt", tmp_path / "b")
    result = publish([good, duplicate], tmp_path / "out")
    assert messages(result) == [
        f"{duplicate}: the same practice as {good} (same theme, indicator, city, title and sources); "
        "kept that one"
    ]
    assert len(result.published) == 1


def test_a_csv_with_bad_rows(tmp_path: Path) -> None:
    table = copy(BAD / "rows.csv", tmp_path / "in")
    result = publish([GOOD_PAGE, table], tmp_path / "out")
    assert messages(result) == [f"{table} {row}" for row in ROWS]
    assert len(result.published) == 2  # the page and row 2
    entries = rejected_json(tmp_path / "out")
    assert [(e["where"], e["field"]) for e in entries] == [
        (f"{table} row 3", "date"),
        (f"{table} row 4", "theme"),
        (f"{table} row 5", "city"),
        (f"{table} row 6", "sources"),
        (f"{table} row 8", "indicator_name"),
    ]


def test_a_mixed_folder_publishes_every_good_input_and_lists_every_bad_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(GOOD, folder)
    for path in BAD.iterdir():
        copy(path, folder / "bad")
    out = tmp_path / "out"
    result = publish([folder], out)
    bad = folder / "bad"
    expected = sorted(
        [f"{bad / name}: {reason}" for name, reason in CASES.items()]
        + [f"{bad / 'rows.csv'} {row}" for row in ROWS]
        # Files are read in path order, so bad/duplicate-of-surakarta.txt comes first and is
        # kept; the page it copies is the duplicate.
        + [
            f"{folder / GOOD_PAGE.name}: the same practice as "
            f"{bad / 'duplicate-of-surakarta.txt'} (same theme, indicator, city, title and sources); "
            "kept that one"
        ]
    )
    assert sorted(messages(result)) == expected
    # Good: 3 pages (2 text, 1 HTML), 2 CSV rows, 1 JSON record, and row 2 of bad/rows.csv.
    assert len(result.published) == 7
    assert (
        sorted(
            f"{e['where']}: {e['field']}: {e['reason']}"
            if e["field"]
            else f"{e['where']}: {e['reason']}"
            for e in rejected_json(out)
        )
        == expected
    )
    graph = Graph().parse(out / "nualod.nt")
    titles = {str(o) for o in graph.objects(None, URIRef("http://purl.org/dc/terms/title"))}
    for title in [
        "Kota Surakarta, Kota Kreatif UNESCO",
        "Kota Malang, Kota Bunga",
        "Kota Denpasar, Kota Kreatif Berbasis Budaya",
        "Kota Yogyakarta, Kota Pelajar",
        "Kabupaten Banyuwangi",  # the table's "Kab. Banyuwangi", as a page's is read
        "Kota Bogor, Kota Hujan",
        "Kota Bandar Lampung",
    ]:
        assert title in titles


@pytest.mark.parametrize("url", ["http://[::1/x", "https://[abc]/"])
def test_a_source_url_that_urlsplit_refuses_is_rejected_like_any_bad_url(
    tmp_path: Path, url: str
) -> None:
    # urlsplit raises ValueError on a broken IPv6 host; that must be one rejection with the
    # usual message, not an exception that stops the run.
    copy(GOOD_PAGE, tmp_path / "in")
    copy(GOOD / "malang-tema03-indikator19.txt", tmp_path / "in")
    bad = tmp_path / "in" / "ipv6-source.txt"
    text = GOOD_PAGE.read_text(encoding="utf-8")
    assert text.count("Sumber: https://surakarta.go.id/berita/pelatihan-batik\n") == 1
    bad.write_text(
        text.replace("https://surakarta.go.id/berita/pelatihan-batik", url), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = publish([tmp_path / "in"], out)
    assert messages(result) == [f"{bad}: Sumber: not a valid URL: {url!r}"]
    assert len(result.published) == 2
    assert rejected_json(out) == [
        {
            "where": str(bad),
            "field": "Sumber",
            "reason": f"not a valid URL: {url!r}",
            "practice": None,
            "problems": [],
        }
    ]
    # The two good pages are the practices published, each with its own source.
    graph = Graph().parse(out / "nualod.nt")
    practice_sources = sorted(
        str(source)
        for practice, source in graph.subject_objects(URIRef("http://purl.org/dc/terms/source"))
        if str(practice).startswith("https://w3id.org/nualod/id/practice/")
    )
    assert practice_sources == [
        "https://malangkota.go.id/taman-kota",
        "https://surakarta.go.id/berita/pelatihan-batik",
    ]


# -- provenance ---------------------------------------------------------------------------

PAGE_URL = "https://habitatidn.id/news-details/10-praktik-baik-indikator-47-kota-surakarta"


def harvest_folder(folder: Path, *, sidecar: str | None = None) -> Path:
    """Build a folder as ``nualod harvest`` leaves it: a page and its sidecar."""
    folder.mkdir(parents=True)
    page = folder / "habitatidn.id_news-details_10-kota-surakarta-0123456789ab.txt"
    shutil.copy(GOOD_PAGE, page)
    metadata = {
        "bytes": page.stat().st_size,
        "content_type": "text/plain; charset=utf-8",
        "etag": '"abc"',
        "final_url": PAGE_URL,
        "last_modified": None,
        "retrieved_at": "2025-12-19T08:30:01Z",
        "sha256": "0" * 64,
        "status": 200,
        "url": PAGE_URL.replace("https:", "http:"),
    }
    (folder / f"{page.name}.meta.json").write_text(
        sidecar if sidecar is not None else json.dumps(metadata, sort_keys=True),
        encoding="utf-8",
    )
    (folder / ".nualod-harvest.jsonl").write_text('{"started_at": "x"}\n', encoding="utf-8")
    return page


def test_publish_a_harvest_folder_carries_page_url_and_retrieval_time(
    tmp_path: Path, runner: CliRunner
) -> None:
    harvest_folder(tmp_path / "harvest")
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(tmp_path / "harvest"), "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    graph = Graph().parse(out / "nualod.nt")
    page = URIRef(PAGE_URL)
    (practice,) = graph.subjects(PROV.wasDerivedFrom, page)
    (derivation,) = graph.objects(practice, PROV.qualifiedDerivation)
    assert (derivation, RDF.type, PROV.Derivation) in graph
    assert (derivation, PROV.entity, page) in graph
    # The retrieval is not the derivation's activity: PROV-DM 5.2.1 reads that as the
    # activity that used the page and generated the practice.
    assert list(graph.objects(derivation, PROV.hadActivity)) == []
    (retrieval,) = graph.objects(practice, PROV.wasInfluencedBy)
    assert (retrieval, RDF.type, PROV.Activity) in graph
    assert (retrieval, PROV.used, page) in graph
    assert (
        retrieval,
        PROV.endedAtTime,
        Literal("2025-12-19T08:30:01Z", datatype=XSD.dateTime),
    ) in graph
    assert rejected_json(out) == []


def test_a_table_row_with_a_page_url_is_derived_from_it(tmp_path: Path) -> None:
    publish([GOOD / "practices.csv"], tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "nualod.nt")
    page = URIRef("https://habitatidn.id/news-details/11-kota-yogyakarta")
    assert len(list(graph.subjects(PROV.wasDerivedFrom, page))) == 1
    assert not list(graph.objects(None, PROV.endedAtTime))


def test_a_broken_sidecar_rejects_its_page_and_names_the_sidecar(tmp_path: Path) -> None:
    page = harvest_folder(tmp_path / "harvest", sidecar="{not json")
    result = publish([tmp_path / "harvest", GOOD / "practices.json"], tmp_path / "out")
    assert messages(result) == [
        f"{page}.meta.json: malformed page metadata: "
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    ]
    assert len(result.published) == 1


@pytest.mark.parametrize(
    "final_url",
    [
        "javascript:alert(1)",  # was the href of the practice page's "Dibaca dari" link
        'https://x.example/"><script>alert(1)</script>',  # was a traceback (not an IRI)
        "https://x.example/a> <https://evil.example/p> <https://evil.example/o",
        "ftp://x.example/page",
    ],
    ids=["javascript", "quote", "angle-brackets", "ftp"],
)
def test_a_sidecar_url_that_is_no_http_iri_rejects_its_page(tmp_path: Path, final_url: str) -> None:
    page = harvest_folder(tmp_path / "harvest")
    sidecar = Path(f"{page}.meta.json")
    metadata = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**metadata, "final_url": final_url}), encoding="utf-8")
    result = publish([tmp_path / "harvest", GOOD / "practices.json"], tmp_path / "out")
    assert messages(result) == [
        f"{page}.meta.json: malformed page metadata: 'final_url' is not an http(s) IRI: "
        f"{final_url!r}"
    ]
    assert len(result.published) == 1


# -- the command line: messages on stderr, exit codes ---------------------------------------


def test_cli_all_good_exits_0(tmp_path: Path, runner: CliRunner) -> None:
    outcome = runner.invoke(main, ["publish", str(GOOD), "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 0, outcome.output
    assert "published 6 practice(s)" in outcome.stdout
    # No progress bar when stderr is not a terminal: the one note is of the fixtures'
    # indicators whose alignments rest on UN-Habitat's numbering.
    assert outcome.stderr == (
        "note: indicators 12, 19: their English names and SDG and UNESCO alignments come from "
        "UN-Habitat's draft list, whose numbering the NUF's is inferred to follow, not known "
        "to: check them against the names the pages give (nualod/vocab/alignments.csv)\n"
    )
    assert rejected_json(tmp_path / "out") == []


def test_cli_notes_one_indicator_in_the_singular(tmp_path: Path, runner: CliRunner) -> None:
    page = Path(__file__).resolve().parent.parent / "examples/pages/surabaya-tema03-indikator19.txt"
    outcome = runner.invoke(main, ["publish", str(page), "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stderr.startswith("note: indicator 19: their English names and SDG ")


@pytest.mark.parametrize(
    "base",
    ["https://example.org/data#", "https://example.org/a#b/", "https://example.org/data"],
)
def test_cli_a_base_whose_iris_could_not_be_written_is_refused(
    tmp_path: Path, runner: CliRunner, base: str
) -> None:
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(GOOD), "--out", str(out), "--base", base])
    assert outcome.exit_code == 2
    assert outcome.stderr == (
        f"error: --base: the base IRI must be an http(s) IRI ending in '/', without '#': {base!r}\n"
    )
    assert not out.exists()


def test_cli_some_rejected_exits_1(tmp_path: Path, runner: CliRunner) -> None:
    outcome = runner.invoke(
        main, ["publish", str(GOOD_PAGE), str(BAD / "no-date.txt"), "--out", str(tmp_path / "o")]
    )
    assert outcome.exit_code == 1
    assert (
        f"rejected: {BAD / 'no-date.txt'}: date: no article date after the sources "
        "(like 'Kamis, 18 Desember 2025')\n"
    ) in outcome.stderr
    assert f"1 input(s) rejected; see {tmp_path / 'o' / 'rejected.json'}" in outcome.stderr
    assert "published 1 practice(s)" in outcome.stdout


@pytest.mark.parametrize(
    "inputs",
    [
        [BAD / "empty.txt"],
        [BAD / "scan.html", BAD / "latin1.txt"],
        [BAD / "missing-column.csv"],
        [BAD / "no-city.txt", BAD / "news-item.html", BAD / "ambiguous-city.txt"],
    ],
)
def test_cli_nothing_usable_exits_2(tmp_path: Path, runner: CliRunner, inputs: list[Path]) -> None:
    out = tmp_path / "o"
    outcome = runner.invoke(main, ["publish", *map(str, inputs), "--out", str(out)])
    assert outcome.exit_code == 2
    assert outcome.stdout == ""
    first = outcome.stderr.splitlines()[0].removeprefix("rejected: ")
    assert outcome.stderr.endswith(
        f"error: nothing to publish: {outcome.stderr.count('rejected: ')} input(s) rejected "
        f"(first: {first}); {out} was left as it was\n"
    )
    assert not out.exists() or not list(out.iterdir())


def test_cli_missing_path_and_empty_folder_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "empty").mkdir()
    missing = tmp_path / "missing"
    outcome = runner.invoke(
        main, ["publish", str(missing), str(tmp_path / "empty"), "--out", str(tmp_path / "o")]
    )
    assert outcome.exit_code == 2
    assert f"rejected: {missing}: no such file or folder\n" in outcome.stderr
    assert (
        f"rejected: {tmp_path / 'empty'}: no pages or tables (.txt, .html, .htm, .csv, .json) "
        "in this folder\n"
    ) in outcome.stderr


def test_cli_bad_usage_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["publish", str(GOOD)]).exit_code == 2  # no --out
    assert runner.invoke(main, ["publish", "--out", "x"]).exit_code == 2  # no input
    assert runner.invoke(main, ["publish", str(GOOD), "--out", "x", "--bogus"]).exit_code == 2


# -- --strict -------------------------------------------------------------------------------


def test_strict_fails_before_anything_is_written(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "out"
    outcome = runner.invoke(
        main, ["publish", str(GOOD), str(BAD / "news-item.html"), "--out", str(out), "--strict"]
    )
    assert outcome.exit_code == 2
    rejected = (
        f"{BAD / 'news-item.html'}: not a good-practice page: no line "
        "'Praktik baik tema NN indikator MM <indicator name>'"
    )
    assert outcome.stderr == (
        f"rejected: {rejected}\n"
        "error: 1 input(s) rejected and --strict is set; nothing was written (first: "
        f"{rejected})\n"
    )
    assert list(out.rglob("*")) == []  # no dumps, no rejected.json, no .part files


def test_strict_says_every_rejection_not_only_the_first(tmp_path: Path, runner: CliRunner) -> None:
    """A data officer fixing a table under --strict saw one error a run (review)."""
    table = tmp_path / "list.csv"
    table.write_text(
        "theme,indicator,indicator_name,city,sources,date\n"
        "10,47,x,Kota Padang,https://padang.go.id/,2025-12-18\n"
        "10,47,x,Kota Padang,https://padang.go.id/2,31 Februari 2025\n"
        "10,0,x,Kota Padang,https://padang.go.id/3,2025-12-18\n",
        encoding="utf-8",
    )
    outcome = runner.invoke(main, ["publish", str(table), "--out", str(tmp_path / "o"), "--strict"])
    assert outcome.exit_code == 2
    assert outcome.stderr.splitlines()[:2] == [
        f"rejected: {table} row 3: date: not a real date: '31 Februari 2025'",
        f"rejected: {table} row 4: indicator: not an indicator number: '0'",
    ]
    assert outcome.stderr.splitlines()[2].startswith("error: 2 input(s) rejected and --strict")


def test_strict_in_the_library_keeps_earlier_dumps(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([GOOD_PAGE], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(PublishError, match=r"^1 input\(s\) rejected and strict is set"):
        publish([GOOD, BAD / "no-city.txt"], out, strict=True)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_strict_with_only_good_input_publishes(tmp_path: Path, runner: CliRunner) -> None:
    outcome = runner.invoke(main, ["publish", str(GOOD), "--out", str(tmp_path / "o"), "--strict"])
    assert outcome.exit_code == 0, outcome.output


def test_on_practice_is_called_once_per_published_practice(tmp_path: Path) -> None:
    seen: list[str] = []
    result = publish([GOOD, BAD], tmp_path / "out", on_practice=seen.append)
    assert seen == list(result.published)
    assert len(seen) == 7


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit) as exited:
        main.main(["publish", str(GOOD), str(BAD / "empty.txt"), "--out", str(tmp_path / "o")])
    assert exited.value.code == 1
    shown = terminal.getvalue()
    assert "publishing" in shown and "6" in shown
    assert f"rejected: {BAD / 'empty.txt'}: the file is empty" in shown


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["publish", str(GOOD), "--out", "o", "--bogus"],
            "No such option '--bogus'. (Did you mean one of: '--base', '--no-figures', "
            "'--out'?) (see 'nualod publish --help')",
        ),
        (
            ["publish", str(GOOD), "--out", "o", "--workers", "0"],
            "Invalid value for '--workers': 0 is not in the range x>=1. "
            "(see 'nualod publish --help')",
        ),
        (["publish", str(GOOD)], "Missing option '--out'. (see 'nualod publish --help')"),
        (["site"], "Missing argument 'FOLDER'. (see 'nualod site --help')"),
        (["bogus"], "No such command 'bogus'. (see 'nualod --help')"),
        (["--bogus"], "No such option '--bogus'. (see 'nualod --help')"),
    ],
)
def test_bad_usage_is_one_line_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], line: str
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, args, prog_name="nualod")
    assert (outcome.exit_code, outcome.stderr, outcome.stdout) == (2, f"error: {line}\n", "")
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["publish", str(GOOD), "--out", "{out}"],
        ["query", "{published}", "SELECT * {{ ?s ?p ?o }} LIMIT 5"],
        ["validate", "{published}/nualod.nq"],
        ["diff", "{published}", "{published}"],
    ],
)
def test_standard_output_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, published_examples: tuple[Path, PublishResult], command: list[str]
) -> None:
    """A report to a full disk (here /dev/full) gave a traceback and exit code 1, which
    publish and validate give to rejected or non-conforming input (CLI review)."""
    import subprocess

    fields = {"out": str(tmp_path / "out"), "published": str(published_examples[0])}
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "nualod", *(part.format(**fields) for part in command)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    said = done.stderr.splitlines()
    assert (done.returncode, said[-1:]) == (
        2,
        ["error: cannot write to standard output: No space left on device"],
    ), done.stderr
    assert "Traceback" not in done.stderr
    if command[0] == "publish":  # what was published stands
        assert (tmp_path / "out" / "nualod.nq").is_file()


@pytest.mark.parametrize(
    ("command", "named"),
    [
        (["publish", str(GOOD), "--out", ""], "'--out'"),
        (["publish", "", "--out", "out"], "'INPUT...'"),
        (["harvest", "--into", "", "http://127.0.0.1:9/a"], "'--into'"),
        (["site", ""], "'FOLDER'"),
        (["validate", ""], "'FILE...'"),
        (["diff", "", "b"], "'BEFORE'"),
    ],
)
def test_an_empty_path_is_refused_not_taken_as_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], named: str
) -> None:
    """``--out ""`` published into the current folder (CLI review)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, command, prog_name="nualod")
    assert (result.exit_code, result.output) == (
        2,
        f"error: Invalid value for {named}: an empty path names no file or folder (see "
        f"'nualod {command[0]} --help')\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_publishing_into_the_input_folder_is_refused_and_its_output_named_as_such(
    tmp_path: Path, published_examples: tuple[Path, PublishResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Published into its own input folder, a folder of pages became a publish's output,
    which the next publish skipped as 'no pages or tables in this folder' (CLI review)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(GOOD, "pages")
    refused = CliRunner().invoke(main, ["publish", "pages", "--out", "pages"], prog_name="nualod")
    assert (refused.exit_code, refused.output) == (
        2,
        "error: pages: the output folder is the input folder pages; the next publish would "
        "not read its pages (a publish's output is no input): publish into another folder\n",
    )
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == sorted(
        p.name for p in GOOD.iterdir()
    )
    output = str(published_examples[0])
    named = CliRunner().invoke(main, ["publish", output, "--out", "out"], prog_name="nualod")
    reason = (
        f"{output}: the output of a publish (it holds 'current' and 'releases'), whose files "
        "are not read as inputs; move the pages to a folder of their own"
    )
    assert named.exit_code == 2
    assert named.output.splitlines()[0] == f"rejected: {reason}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_page_in_a_folder_that_is_no_readable_file_is_rejected_not_passed_over(
    tmp_path: Path,
) -> None:
    """Named directly, such a path was refused; found in a folder, it was dropped without a
    word, exit code 0 (CLI review). It is never opened: a FIFO would wait for ever."""
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(GOOD_PAGE, pages / GOOD_PAGE.name)
    (pages / "dangling.txt").symlink_to(pages / "nowhere.txt")
    (pages / "loop-a.txt").symlink_to(pages / "loop-b.txt")
    (pages / "loop-b.txt").symlink_to(pages / "loop-a.txt")
    os.mkfifo(pages / "fifo.txt")
    (pages / "zero.html").symlink_to("/dev/zero")
    (pages / "notes.md").symlink_to(pages / "nowhere.md")  # no input's name: passed over
    result = publish([pages], tmp_path / "out")
    assert [(r.where, r.reason) for r in result.rejected] == [
        (f"{pages}/dangling.txt", "a link to nothing (its target does not exist)"),
        (f"{pages}/fifo.txt", "not a regular file (a FIFO, a device or a socket)"),
        (f"{pages}/loop-a.txt", "a link in a loop of links"),
        (f"{pages}/loop-b.txt", "a link in a loop of links"),
        (f"{pages}/zero.html", "not a regular file (a FIFO, a device or a socket)"),
    ]
    assert len(result.published) == 1


def test_a_quote_closed_on_a_later_line_says_the_rows_between_were_read_into_its_row(
    tmp_path: Path,
) -> None:
    """An unclosed quote that a later row's quote closes swallowed that row: the message
    spoke of too many cells and of commas, and the good row vanished (CLI review)."""
    header = "theme,indicator,indicator_name,city,tagline,summary,description,sources,date\n"
    good = (
        '"01","1","Proporsi Penduduk Miskin","Kabupaten Banyuwangi","Desa","Ringkasan.",'
        '"Deskripsi.","https://www.banyuwangikab.go.id/","2025-12-12"\n'
    )
    table = tmp_path / "list.csv"
    table.write_text(
        header + '03,19,"open,Kota Surabaya,,,,https://a.go.id/,2025-12-16\n' + good,
        encoding="utf-8",
    )
    result = publish([GOOD_PAGE, table], tmp_path / "out")
    assert messages(result) == [
        f'{table} row 2: 11 cells but the header names 9 columns (a quote (") opened in a cell '
        "is closed only 1 line(s) further on, so the rows between were read as part of this "
        "one: close the quote)"
    ]
