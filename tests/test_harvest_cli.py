"""`nualod harvest` then `nualod publish` on the harvest folder, against a server on 127.0.0.1."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from http_fixtures import NufServer, nuf_server

from nualod.cli import main
from nualod.errors import Terminated
from nualod.harvesting.pagestore import safe_name

__all__ = ["nuf_server"]

PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


def test_harvest_then_publish_keeps_provenance(
    nuf_server: NufServer, examples_dir: Path, tmp_path: Path, runner: CliRunner
) -> None:
    html = (examples_dir / "bandung-tema11-indikator12.html").read_text(encoding="utf-8")
    url = nuf_server.page("11-good-practice-indicator-12", html)
    pages = tmp_path / "pages"

    harvested = runner.invoke(main, ["harvest", url, "--into", str(pages), "--delay", "0"])
    assert harvested.exit_code == 0, harvested.output
    assert harvested.output == f"saved 1 page(s) in {pages} (1 fetched)\n"

    out = tmp_path / "out"
    published = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
    assert published.exit_code == 0, published.output
    first = (out / "nualod.nt").read_bytes()

    # Revalidating unchanged pages changes nothing that is published.
    again = runner.invoke(main, ["harvest", url, "--into", str(pages), "--delay", "0"])
    assert again.output == f"saved 1 page(s) in {pages} (1 not-modified)\n"
    republished = runner.invoke(main, ["publish", str(pages), "--out", str(out)])
    assert republished.exit_code == 0, republished.output
    assert (out / "nualod.nt").read_bytes() == first
    graph = rdflib.Graph().parse(out / "nualod.nt")
    practice = next(graph.subjects(PROV.wasDerivedFrom, rdflib.URIRef(url)))
    derivation = graph.value(practice, PROV.qualifiedDerivation)
    assert graph.value(derivation, PROV.entity) == rdflib.URIRef(url)
    assert graph.value(derivation, PROV.hadActivity) is None
    retrieval = graph.value(practice, PROV.wasInfluencedBy)
    assert graph.value(retrieval, PROV.endedAtTime).datatype == rdflib.XSD.dateTime


def test_harvest_reports_rejections_with_exit_code(
    nuf_server: NufServer, tmp_path: Path, runner: CliRunner
) -> None:
    good = nuf_server.page("ok")
    missing = nuf_server.url("/missing")
    result = runner.invoke(
        main, ["harvest", good, missing, "--into", str(tmp_path), "--delay", "0"]
    )
    assert result.exit_code == 1
    assert f"rejected: {missing}: HTTP 404" in result.output


def test_a_rejected_url_of_a_list_names_the_list_and_line(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    good = nuf_server.page("ok")
    missing = nuf_server.url("/missing")
    listed = tmp_path / "urls.txt"
    listed.write_text(
        f"# NUF pages\n{good}\n\nnuf.example.id/praktik\n{missing}#top  # gone?\n{missing}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["harvest", "--into", str(tmp_path / "pages"), "--from-file", str(listed), "--delay", "0"],
    )
    assert (result.exit_code, result.stderr) == (
        1,
        f"rejected: {listed}:4: nuf.example.id/praktik: not an http(s) URL\n"
        f"rejected: {listed}:5: {missing}: HTTP 404 Not Found\n",
    )


def test_harvest_needs_a_url(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["harvest", "--into", str(tmp_path)])
    assert result.exit_code == 2
    assert "give at least one URL or --from-file LIST" in result.output


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_harvest_shows_progress_on_a_terminal(
    nuf_server: NufServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = [nuf_server.page(name) for name in ("a", "b", "c")]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit) as exited:
        main.main(["harvest", *urls, "--into", str(tmp_path), "--delay", "0"])
    assert exited.value.code == 0
    shown = terminal.getvalue()
    assert "harvesting" in shown and "100%" in shown


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        (
            KeyboardInterrupt,
            130,
            "error: interrupted (Ctrl-C); the pages saved in {into} are kept, and the same "
            "harvest again resumes\n",
        ),
        (
            Terminated,
            143,
            "error: stopped by SIGTERM; the pages saved in {into} are kept, and the same "
            "harvest again resumes\n",
        ),
    ],
)
def test_a_stopped_harvest_says_so_with_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException], code: int, said: str
) -> None:
    """Not 1, which says some URLs were rejected."""
    from nualod.harvesting import fetch

    def stopped(*args: object, **kwargs: object) -> None:
        raise stop

    monkeypatch.setattr(fetch, "harvest", stopped)
    into = tmp_path / "pages"
    result = CliRunner().invoke(main, ["harvest", "--into", str(into), "http://127.0.0.1:9/x"])
    assert (result.exit_code, result.stderr) == (code, said.format(into=into))


def test_an_empty_url_list_says_so(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# nothing yet\n\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["harvest", "--into", str(tmp_path), "--from-file", str(listed)]
    )
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {listed}: no URL in this list (see 'main harvest --help')\n",
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file or directory"),
        (b"http://a.example/\xe9\n", "not UTF-8 text (byte 0xe9 at offset 17)"),
        (b"\xef\xbb\xbfhttp://a.example/\xe9\n", "not UTF-8 text (byte 0xe9 at offset 20)"),
    ],
)
def test_an_unreadable_url_list_says_why_in_one_line(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    listed = tmp_path / "urls.txt"
    if content is not None:
        listed.write_bytes(content)
    result = CliRunner().invoke(
        main, ["harvest", "--into", str(tmp_path / "pages"), "--from-file", str(listed)]
    )
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {listed}: cannot read URL list: {reason}\n",
    )


def test_credentials_in_a_url_are_sent_but_never_saved_published_or_shown(
    nuf_server: NufServer, examples_dir: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """The sidecar kept http://user:password@... and publish made it the practice's
    prov:wasDerivedFrom: the password went into the open data, and into messages."""
    html = (examples_dir / "bandung-tema11-indikator12.html").read_text(encoding="utf-8")
    plain = nuf_server.page("behind-basic-auth", html)
    url = plain.replace("http://", "http://editor:hunter2-s3cret@")
    missing = nuf_server.url("/missing").replace("http://", "http://editor:hunter2-s3cret@")
    pages = tmp_path / "pages"
    harvested = runner.invoke(
        main, ["harvest", url, missing, "--into", str(pages), "--delay", "0", "--retries", "0"]
    )
    assert harvested.exit_code == 1, harvested.output
    shown = missing.replace("hunter2-s3cret", "***")
    assert harvested.output == (
        f"rejected: {shown}: HTTP 404 Not Found\nsaved 1 page(s) in {pages} (1 fetched)\n"
    )
    [page] = [path for path in pages.iterdir() if path.suffix == ".html"]
    assert page.name == safe_name(plain) + ".html"  # no digest of the password either
    [hit] = nuf_server.requests_for("/p/behind-basic-auth")
    assert hit.headers.get("Authorization", "").startswith("Basic ")  # sent all the same
    out = tmp_path / "out"
    assert runner.invoke(main, ["publish", str(pages), "--out", str(out)]).exit_code == 0
    leaked = [
        path for path in [*pages.rglob("*"), *out.rglob("*")]
        if path.is_file() and b"hunter2" in path.read_bytes()
    ]  # fmt: skip
    assert leaked == []
    graph = rdflib.Graph().parse(out / "nualod.nt")
    assert next(graph.subjects(PROV.wasDerivedFrom, rdflib.URIRef(plain)), None) is not None
