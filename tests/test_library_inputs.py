"""The library's entry points take inputs and options as a Python user passes them.

One path as a string is one input (a ``str`` is also an iterable of characters); a page
named twice (itself and its folder) is one page; options that could only fail at the end
of a run are refused before it, and a run that fails leaves no folder it made.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from nualod.errors import NothingPublishedError, UsageError
from nualod.model.records import Practice
from nualod.read.inputs import read_inputs
from nualod.releases.changelog import diff_releases
from nualod.run.publish import practices_graph, publish
from nualod.serve.sparql import run_query

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
ONE = EXAMPLES / "surabaya-tema03-indikator19.txt"


def test_one_path_as_a_string_is_one_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    read = [r.origin.location for r in read_inputs("pages") if isinstance(r, Practice)]
    assert len(read) == 4
    assert read == [
        r.origin.location for r in read_inputs([Path("pages")]) if isinstance(r, Practice)
    ]
    result = publish("pages", str(tmp_path / "out"), previous=None)
    assert (len(result.published), result.rejected) == (4, ())
    assert len(practices_graph("pages")) == len(practices_graph([Path("pages")]))
    assert run_query(str(tmp_path / "out"), "ASK { ?s ?p ?o }").boolean is True
    assert diff_releases(str(tmp_path / "out"), str(tmp_path / "out")).json_bytes()


def test_a_page_named_with_its_folder_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not rejected as a duplicate of itself, whatever the order and however it is named:
    relative beside absolute, through "..", through a link."""
    monkeypatch.chdir(EXAMPLES.parent)
    (tmp_path / "link").symlink_to(EXAMPLES)
    for inputs in (
        [EXAMPLES, ONE],
        [ONE, EXAMPLES],
        [EXAMPLES, EXAMPLES],
        ["pages", str(ONE)],
        ["../examples/pages", "pages/" + ONE.name],
        [tmp_path / "link", ONE],
    ):
        read = list(read_inputs(inputs))
        assert len(read) == 4 and all(isinstance(r, Practice) for r in read), inputs
        result = publish(inputs, tmp_path / f"out-{len(list(tmp_path.iterdir()))}", strict=True)
        assert (len(result.published), result.rejected) == (4, ()), inputs


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"validator": "bogus"}, "validator: unknown 'bogus'; use one of fast, pyshacl"),
        ({"keep": -1}, "keep: -1 is not a number of releases (0 or more)"),
        ({"workers": 0}, "workers: 0 is not a number of processes (1 or more)"),
        (
            {"download_base": "ftp://x/"},
            "download_base must be an http(s) URL ending in '/': 'ftp://x/'",
        ),
        (  # not an IRI: a traceback from the catalog, at the end of the run
            {"download_base": 'https://x.example/a"\n/'},
            "download_base must be an http(s) URL ending in '/': 'https://x.example/a\"\\n/'",
        ),
        (
            {"sparql_endpoint": "not an iri"},
            "sparql_endpoint: not an absolute http(s) IRI: 'not an iri'",
        ),
    ],
)
def test_options_that_would_fail_at_the_end_are_refused_first(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    seen: list[str] = []
    out = tmp_path / "out"
    with pytest.raises(UsageError) as refused:
        publish([EXAMPLES], out, on_practice=seen.append, **options)  # type: ignore[arg-type]
    assert str(refused.value) == message
    assert seen == []
    assert not out.exists()


def test_a_failed_run_leaves_no_folder_it_made(tmp_path: Path) -> None:
    out = tmp_path / "new"
    with pytest.raises(NothingPublishedError):
        publish([tmp_path / "missing"], out)
    assert not out.exists()
    with pytest.raises(NothingPublishedError):
        publish([tmp_path / "missing"], tmp_path / "a" / "b" / "out")
    assert not (tmp_path / "a").exists()
    # A folder that was there stays, with what it held.
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(NothingPublishedError):
        publish([tmp_path / "missing"], out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_practices_a_program_read_and_corrected_are_published_in_their_place(
    tmp_path: Path,
) -> None:
    """A program reads the pages, drops one, corrects another and publishes what it holds
    (API review: a Practice among the inputs was taken for a path, a TypeError)."""
    from dataclasses import replace

    read = [r for r in read_inputs([EXAMPLES]) if isinstance(r, Practice)]
    kept = [p for p in read if not p.title.startswith("Kota Surabaya")]
    kept[0] = replace(kept[0], tagline=f"{kept[0].tagline} (dikoreksi)")
    surabaya = EXAMPLES / "surabaya-tema03-indikator19.txt"
    result = publish([*kept, surabaya], tmp_path / "out", workers=1)
    assert result.rejected == ()
    title = URIRef("http://purl.org/dc/terms/title")
    titles = [str(t) for t in practices_graph([*kept, surabaya]).objects(predicate=title)]
    assert kept[0].title in titles and kept[0].title.endswith("(dikoreksi)")
    assert len(result.published) == 4
    assert next(iter(read_inputs([kept[1], str(surabaya)]))) is kept[1]
    # One that cannot be linked is rejected naming its file and field, the others published.
    lost = replace(kept[1], city=replace(kept[1].city, name="Kota Atlantis"))
    partly = publish([lost, kept[2]], tmp_path / "partly")
    assert len(partly.published) == 1
    assert [r.message for r in partly.rejected] == [
        f"{lost.origin.location}: city: unknown city or regency 'Kota Atlantis'"
    ]
