"""A failed or empty run leaves the previous release as it was; code lists are not rewritten by pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from nualod.cli import main
from nualod.errors import NothingPublishedError, PublishError, UsageError
from nualod.model.iris import DataIRIs
from nualod.run.publish import publish

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


@pytest.fixture
def release(examples_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    publish([examples_dir], out)
    return out


def test_a_run_with_nothing_to_publish_keeps_the_previous_release(
    release: Path, tmp_path: Path, runner: CliRunner
) -> None:
    before = _fingerprint(release)
    missing = tmp_path / "typo"
    result = runner.invoke(main, ["publish", str(missing), "--out", str(release)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"rejected: {missing}: no such file or folder\n"
        f"error: nothing to publish: 1 input(s) rejected (first: {missing}: no such file or "
        f"folder); {release} was left as it was\n"
    )
    assert _fingerprint(release) == before
    with pytest.raises(NothingPublishedError):
        publish([missing], release)
    with pytest.raises(NothingPublishedError) as raised:
        publish([], release)
    assert str(raised.value) == (
        f"nothing to publish: no input names a page; {release} was left as it was"
    )


def test_a_bad_option_found_late_keeps_the_previous_release(
    release: Path, examples_dir: Path, runner: CliRunner
) -> None:
    before = _fingerprint(release)
    page = examples_dir / "surabaya-tema03-indikator19.txt"
    result = runner.invoke(
        main, ["publish", str(page), "--out", str(release), "--download-base", "ftp://x/"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "ftp://x/" in result.stderr
    assert _fingerprint(release) == before
    assert not [p for p in release.iterdir() if p.name.endswith(".part")]


def test_a_bad_base_iri_is_a_usage_error_naming_the_option(
    examples_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match=r"^base: the base IRI") as refused:
        publish([examples_dir], tmp_path, base="https://example.org/a b/")
    # The command line names its option instead (library review: library errors named
    # options a caller of the library never passed).
    assert refused.value.command_line({"base": "--base"}).startswith("--base: the base IRI")


def _page(theme: int, indicator: int, name: str) -> str:
    return (
        f"{theme:02d}. Praktik baik indikator {indicator}\n"
        f"Praktik baik tema {theme:02d} indikator {indicator} {name}\n"
        "Kota Surakarta, Kota Budaya\n"
        "Ringkasan:\nPelatihan keterampilan bagi warga.\n"
        "Deskripsi:\nPelatihan keterampilan bagi warga kota.\n"
        f"Sumber: https://surakarta.go.id/{theme}-{indicator}\n"
        "Senin, 15 Desember 2025\n"
    )


def test_a_page_cannot_move_an_indicator_to_another_theme(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "wrong-theme.txt").write_text(
        _page(3, 47, "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"),
        encoding="utf-8",
    )
    (pages / "right.txt").write_text(_page(10, 47, "Nama lain indikator"), encoding="utf-8")
    result = publish([pages], tmp_path / "out")
    assert [r.message for r in result.rejected] == [
        f"{pages / 'wrong-theme.txt'}: theme: indicator 47 is in theme 10 (the NUF list), not theme 03"
    ]
    assert result.notices == (
        f"{pages / 'right.txt'}: indicator 47 is named 'Nama lain indikator' here but "
        "'Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik' in the "
        "NUF list; kept 'Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik'",
    )
    graph = rdflib.Graph().parse(tmp_path / "out" / "nualod.nt")
    indicator = rdflib.URIRef("https://w3id.org/nualod/code/indicator/47")
    assert [str(o) for o in graph.objects(indicator, SKOS.broader)] == [
        "https://w3id.org/nualod/code/theme/10"
    ]
    names = {str(o) for o in graph.objects(indicator, SKOS.prefLabel | SKOS.altLabel)}
    assert "Nama lain indikator" not in names


def test_a_new_theme_or_indicator_is_added_and_noted(tmp_path: Path) -> None:
    page = tmp_path / "new.txt"
    page.write_text(_page(14, 60, "Indikator baru"), encoding="utf-8")
    result = publish([page], tmp_path / "out")
    assert result.notices == (
        f"{page}: theme 14 is not in the NUF list; added",
        f"{page}: indicator 60 is not in the NUF list; added",
    )
    assert len(result.published) == 1


@pytest.mark.parametrize("by", ["publish", "write_release"])
def test_a_catalog_that_fails_while_the_store_loads_leaves_nothing_behind(
    by: str, release: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The catalog is written while the store may still be loading: failing there must still
    # delete the half-built store and every temporary file, and keep the previous release.
    import nualod.run.release

    def broken(*_: object) -> bytes:
        raise PublishError("catalog.jsonld: cannot frame")

    before = _fingerprint(release)
    store_before = sorted(p.name for p in (release / "store").iterdir())
    monkeypatch.setattr(nualod.run.release, "catalog_jsonld", broken)
    with pytest.raises(PublishError, match="cannot frame"):
        if by == "publish":
            publish([examples_dir], release)
        else:
            nualod.run.release.write_release(release, DataIRIs())
    assert _fingerprint(release) == before
    assert sorted(p.name for p in (release / "store").iterdir()) == store_before
    assert sorted(p.name for p in release.iterdir() if p.name.startswith(".")) == []


def test_a_publish_never_clears_the_umask(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding the umask by setting it to 0 for a moment made a file that another thread
    (the store's loader) created meanwhile writable by everyone."""
    import os
    import stat

    previous = os.umask(0o027)
    set_to: list[int] = []
    real_umask = os.umask

    def watched(mask: int) -> int:
        set_to.append(mask)
        return real_umask(mask)

    monkeypatch.setattr(os, "umask", watched)
    try:
        publish([examples_dir], tmp_path / "out")
    finally:
        real_umask(previous)
    assert set_to == []
    written = [p for p in (tmp_path / "out").rglob("*") if not p.is_symlink()]
    assert written and all(p.stat().st_mode & (stat.S_IWGRP | stat.S_IRWXO) == 0 for p in written)


def test_a_stop_while_the_staging_folder_is_made_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, examples_dir: Path
) -> None:
    """SIGTERM or Ctrl-C while the staging folder is made (mkdtemp done, its mode not yet
    set): the publish's cleanup finds it by the process id and deletes it."""
    import nualod.releases.layout as layout
    from nualod.errors import Terminated

    def stopped() -> int:
        raise Terminated

    monkeypatch.setattr(layout, "process_umask", stopped)
    with pytest.raises(Terminated):
        publish([examples_dir], tmp_path / "out")
    assert not (tmp_path / "out" / "releases").exists()


def test_an_out_folder_whose_lock_cannot_be_made_is_one_line(
    examples_dir: Path, tmp_path: Path
) -> None:
    """An existing OUT that cannot be written (read-only for the user, or, as here, its lock
    file's name taken by a folder) is a PublishError naming it, not a raw OSError."""
    out = tmp_path / "out"
    (out / ".nualod.lock").mkdir(parents=True)
    with pytest.raises(PublishError) as raised:
        publish([examples_dir], out)
    assert str(raised.value) == f"{out}: cannot write: Is a directory"


def test_a_date_given_as_text_is_refused_before_any_work(
    examples_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(UsageError) as raised:
        publish([examples_dir], tmp_path / "out", issued="2020-01-01")  # type: ignore[arg-type]
    assert str(raised.value) == "issued: '2020-01-01' is not a date (datetime.date(2025, 12, 16))"
    moment = dt.datetime(2025, 1, 1, 12, 30)  # a date too, which the catalog cannot compare
    with pytest.raises(UsageError) as raised:
        publish([examples_dir], tmp_path / "out", modified=moment)
    assert str(raised.value) == (
        "modified: datetime.datetime(2025, 1, 1, 12, 30) is not a date "
        "(datetime.date(2025, 12, 16))"
    )
    assert not (tmp_path / "out").exists()
