"""Inputs that could make nualod do what their author, not its user, wants: each is now
refused or left unused with one line naming the file."""

from __future__ import annotations

import csv
import os
import pickle
import shutil
import zlib
from array import array
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from nualod.cli import main
from nualod.releases.reuse import STATES_NAME, WORK_NAME

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAGE = (FIXTURES / "surakarta-tema10-indikator47.txt").read_text(encoding="utf-8")


class _Call:
    """What a crafted pickle holds: a call of ``function`` with ``argument`` on loading."""

    def __init__(self, function: object, argument: str) -> None:
        self.function = function
        self.argument = argument

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return self.function, (self.argument,)


def _header(record: Path) -> object:
    with record.open("rb") as stream:
        return pickle.load(stream)


def _crafted_record(record: Path, marker: Path, where: str) -> None:
    """Rewrite a record of work so that loading ``where`` (the header, an entry, the states;
    an entry of a page that a run takes) would create ``marker``."""
    with record.open("rb") as stream:
        header = pickle.load(stream)
        pages, nodes = pickle.load(stream)
    if where == "header":
        record.write_bytes(pickle.dumps(_Call(os.system, f"touch {marker}")))
    elif where in ("entry", "run"):
        call = _Call(eval, f"open({str(marker)!r}, 'w').close()")
        entry = zlib.compress(pickle.dumps((call, call)))
        # A page that notes something is taken alone, its entry unpickled (a run's pages
        # are taken from the record's columns: their entries are never unpickled).
        plain = pages[-1] if where == "run" else b"\0"
        pages = (pages[0], entry, array("q", [len(entry)]).tobytes(), *pages[3:-1], plain)
        record.write_bytes(pickle.dumps(header) + pickle.dumps((pages, nodes)))
    else:
        states = record.parent / STATES_NAME
        states.write_bytes(pickle.dumps(header) + pickle.dumps(_Call(os.system, f"touch {marker}")))


def test_a_record_entry_that_would_run_code_is_never_loaded_for_a_page_a_run_takes(
    tmp_path: Path, runner: CliRunner, release: Path
) -> None:
    # The page is taken from the record's columns: its entry is never unpickled, so nothing
    # runs (and nothing tells of it: --previous trusts the folder it names).
    previous = tmp_path / "previous"
    shutil.copytree(release / "releases" / "1", previous)
    marker = tmp_path / "ran"
    _crafted_record(previous / WORK_NAME, marker, "run")
    out = tmp_path / "out"
    outcome = runner.invoke(
        main,
        ["publish", str(release.parent / "page.txt"), "--out", str(out), "--previous",
         str(previous), "--release", "2"],
    )  # fmt: skip
    assert not marker.exists()
    assert outcome.exit_code == 0, outcome.output
    assert "1 unchanged page(s) taken from the previous release's work" in outcome.stdout


@pytest.mark.parametrize(
    ("where", "name", "file"),
    [
        ("header", f"{os.system.__module__}.system", WORK_NAME),
        ("entry", "builtins.eval", WORK_NAME),
        ("states", f"{os.system.__module__}.system", STATES_NAME),
    ],
)
def test_a_previous_record_that_would_run_code_is_left_unused(
    tmp_path: Path, runner: CliRunner, release: Path, where: str, name: str, file: str
) -> None:
    # A release folder copied from someone else, named with --previous: its record of work
    # was unpickled, and ran whatever it named.
    previous = tmp_path / "previous"
    shutil.copytree(release / "releases" / "1", previous)
    marker = tmp_path / "ran"
    _crafted_record(previous / WORK_NAME, marker, where)
    page = release.parent / "page.txt"
    out = tmp_path / "out"
    outcome = runner.invoke(
        main,
        ["publish", str(page), "--out", str(out), "--previous", str(previous), "--release", "2"],
    )
    assert not marker.exists()
    assert (outcome.exit_code, outcome.stderr) == (
        0,
        f"note: --previous {previous}: this release goes on with the change feed of another "
        "folder, at the same URLs (https://w3id.org/nualod/download/feed/index.trig); serve "
        "one of the two folders there, or the feed forks\n"
        f"note: {previous / file}: this record of work names {name}, which no record holds "
        "(loading it could run any code); its work was left unused and the pages read again\n",
    ), outcome.output
    assert "published 1 practice(s)" in outcome.stdout
    assert "unchanged page(s) taken" not in outcome.stdout


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        (
            ["--release", "1"],
            "is versioned and has a change feed that harvesters follow; publish the next one "
            "with --release VERSION --previous {out}",
        ),
        (
            ["--previous", "{first}"],
            "has a change feed that harvesters follow; publish the next one with --previous {out}",
        ),
    ],
    ids=["versioned", "following"],
)
def test_a_release_without_a_feed_is_refused_over_one_with_a_feed(
    tmp_path: Path, runner: CliRunner, options: list[str], refusal: str
) -> None:
    # Published with neither --release nor --previous, the new current release had no feed:
    # OUT/feed/index.trig, which harvesters follow, was gone.
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    first, out = tmp_path / "first", tmp_path / "out"
    assert runner.invoke(main, ["publish", str(page), "--out", str(first)]).exit_code == 0
    given = [option.format(first=first) for option in options]
    outcome = runner.invoke(main, ["publish", str(page), "--out", str(out), *given])
    assert outcome.exit_code == 0, outcome.output
    current = (out / "current").readlink()
    for rebuild in ([], ["--rebuild", "--keep", "0"]):
        outcome = runner.invoke(main, ["publish", str(page), "--out", str(out), *rebuild])
        assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (
            2,
            "",
            f"error: {out}: its current release {current.name} "
            f"{refusal.format(out=out)}, or into another folder\n",
        )
        assert (out / "current").readlink() == current
        assert (out / "feed" / "index.trig").is_file()
    outcome = runner.invoke(
        main, ["publish", str(page), "--out", str(out), "--release", "2", "--previous", str(out)]
    )
    assert outcome.exit_code == 0, outcome.output
    assert (out / "current").readlink() == Path("releases/2")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.org/[x]/", "not a valid IRI"),
        ("https://example.org/%zz/", "not a valid IRI"),
        ("https://example.org/a b/", "not a plain URL"),
        # Caddy refused the Caddyfile ("subject does not qualify for certificate").
        ("https://user@example.org/", "not a plain URL"),
        ("https://user:secret@example.org/", "not a plain URL"),
        ("https://:8080/", "not a plain URL"),
        ("https://[example.org/", "not a valid URL"),
        ("https://example.org:99999/", "not a valid URL"),
        ("/nualod/", "not an http(s) URL ending in '/'"),
    ],
)
def test_a_site_base_url_that_is_no_iri_is_refused(
    tmp_path: Path, runner: CliRunner, release: Path, url: str, reason: str
) -> None:
    # "[" and "%zz" went into the hosting configurations and the pages; "https://[x/" was
    # a traceback (urlsplit's ValueError).
    published = tmp_path / "out"
    shutil.copytree(release, published, symlinks=True)
    outcome = runner.invoke(main, ["site", str(published), "--base-url", url])
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (
        2,
        "",
        f"error: --base-url: {reason}: {url!r}\n",
    )
    assert not (published / "site").exists()
    page, out = release.parent / "page.txt", tmp_path / "other"
    outcome = runner.invoke(main, ["publish", str(page), "--out", str(out), "--site", url])
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (
        2,
        "",
        f"error: --site: {reason}: {url!r}\n",
    )
    assert not out.exists()


def test_a_text_that_states_more_figures_than_are_published_is_noted(
    tmp_path: Path, runner: CliRunner
) -> None:
    # The first 1,000 were published, the rest left out without a word.
    pages = tmp_path / "pages"
    pages.mkdir()
    many = pages / "many.txt"
    many.write_text(
        PAGE.replace("Program ini juga", "5 orang, " * 1_001 + "Program ini juga"),
        encoding="utf-8",
    )
    (pages / "enough.txt").write_text(
        PAGE.replace("Pemerintah kota melatih", "5 orang, " * 1_000 + "Pemerintah kota")
        .replace("Kota Surakarta", "Kota Pekalongan")
        .replace("pelatihan-batik", "pelatihan-tenun"),
        encoding="utf-8",
    )
    note = f"note: {many}: Deskripsi: the first 1,000 figures are published; the text states more\n"
    out = tmp_path / "out"
    outcome = runner.invoke(main, ["publish", str(pages), "--out", str(out), "--release", "1"])
    assert (outcome.exit_code, outcome.stderr) == (0, note), outcome.output
    assert "published 2 practice(s)" in outcome.stdout
    with (out / "practice-figures.csv").open(encoding="utf-8-sig", newline="") as table:
        fields = Counter(row["field"] for row in csv.DictReader(table))
    assert fields == {"abstract": 1_000, "description": 1_000}
    # Taken from the previous release's work, the page is noted the same.
    outcome = runner.invoke(
        main,
        ["publish", str(pages), "--out", str(out), "--release", "2", "--previous", str(out)],
    )
    assert (outcome.exit_code, outcome.stderr) == (0, note), outcome.output
    assert "2 unchanged page(s) taken from the previous release's work" in outcome.stdout


@pytest.mark.parametrize(
    "source",
    [
        "https://w3id.org/nualod/id/practice/..-aaa0000000000000",
        "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de#figure-description-510",
        "https://w3id.org/nualod/def#Figure",
        "https://w3id.org/nualod/code/theme/10",
    ],
)
def test_a_source_that_is_an_iri_of_the_dataset_is_refused(tmp_path: Path, source: str) -> None:
    """Security review: a page citing the dataset's own IRIs as sources typed them
    schema:WebPage (another practice's figure, a term of the vocabulary), and the site
    built a page for a practice never published, listed on the home page and in search."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE.replace("Sumber: ", f"Sumber: {source}\nSumber: "), "utf-8")
    (pages / "b.txt").write_text(PAGE.replace("Surakarta", "Yogyakarta"), "utf-8")
    result = CliRunner().invoke(main, ["publish", str(pages), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output  # an input rejected
    assert (
        f"rejected: {pages / 'a.txt'}: sources: {source!r} is an IRI of this dataset, not a "
        "page that reports the practice\n" in result.output
    )
    assert "published 1 practice(s)" in result.output
    nt = (tmp_path / "out" / "nualod.nt").read_text(encoding="utf-8")
    assert (
        f"<{source}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/WebPage>"
        not in nt
    )


def test_a_subject_under_practice_that_is_no_practice_gets_no_page(
    tmp_path: Path, examples_dir: Path
) -> None:
    """Security review: the site took every subject under ``practice/`` for a practice, so
    a page's source naming such an IRI (now refused by publish) made a page of a practice
    never published, on the home page and in search. The site checks the type too."""
    from nualod.run.publish import publish
    from nualod.site.build import build_site

    out = tmp_path / "out"
    publish([examples_dir], out)
    quads = (out / "nualod.nq").resolve()
    phantom = "https://w3id.org/nualod/id/practice/..-aaa0000000000000"
    with quads.open("a", encoding="utf-8") as stream:
        stream.write(
            f"<{phantom}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://schema.org/WebPage> <https://w3id.org/nualod/id/graph/practices> .\n"
        )
    result = build_site(out, search=False)
    assert result.practices == 4
    assert not list((out / "site").rglob("..-aaa0000000000000*"))
