"""A folder replaced in one step: the store of ``publish`` and the site of ``nualod site``;
a site build holding its folder's lock, stopped by SIGTERM, and cleaning up after dead ones.

Where Linux can swap two names at once (``renameat2`` with ``RENAME_EXCHANGE``), a reader of
the folder finds the old one or the new one, never neither; elsewhere the old folder is
moved aside first. Either way the old folder is handed back to be deleted once the new one
is in place.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from release_checks import cli, terminated_when

from nualod.errors import Terminated
from nualod.files import atomic
from nualod.files.atomic import AtomicFolder, exchange, swap_folder
from nualod.files.lock import FolderLock
from nualod.run.publish import PublishResult, publish
from nualod.site.build import LOCK_NAME, SiteError, build_site

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "file.txt").write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_two_folders_are_swapped_in_one_step_on_linux(tmp_path: Path) -> None:
    first = _folder(tmp_path / "first", "one")
    second = _folder(tmp_path / "second", "two")
    assert exchange(first, second) is True
    assert (first / "file.txt").read_text(encoding="utf-8") == "two"
    assert (second / "file.txt").read_text(encoding="utf-8") == "one"


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_a_missing_name_is_an_error_naming_it(tmp_path: Path) -> None:
    first = _folder(tmp_path / "first", "one")
    with pytest.raises(FileNotFoundError) as raised:
        exchange(first, tmp_path / "missing")
    assert raised.value.filename == str(tmp_path / "missing")


def test_a_folder_with_no_older_one_is_moved_into_place(tmp_path: Path) -> None:
    new = _folder(tmp_path / "new", "new")
    assert swap_folder(new, tmp_path / "final") is None
    assert (tmp_path / "final" / "file.txt").read_text(encoding="utf-8") == "new"
    assert not new.exists()


@pytest.mark.parametrize("in_one_step", [True, False])
def test_the_older_folder_is_handed_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_one_step: bool
) -> None:
    if not in_one_step:
        monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    final = _folder(tmp_path / "final", "old")
    old = swap_folder(_folder(tmp_path / "new", "new"), final)
    assert old is not None
    assert (final / "file.txt").read_text(encoding="utf-8") == "new"
    held = old if in_one_step else old / "final"
    assert (held / "file.txt").read_text(encoding="utf-8") == "old"
    shutil.rmtree(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["final"]


def test_an_atomic_folder_replaces_the_older_one_and_leaves_nothing_beside_it(
    tmp_path: Path,
) -> None:
    final = _folder(tmp_path / "store", "old")
    with AtomicFolder(final) as staged:
        (staged.temporary / "file.txt").write_text("new", encoding="utf-8")
    assert (final / "file.txt").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_site_built_again_says_when_it_is_in_place_and_deletes_the_old_one(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    folder = tmp_path / "published"
    shutil.copytree(published_examples[0], folder, symlinks=True)
    steps: list[str] = []
    build_site(folder, workers=1, progress=steps.append)
    assert "the new site is in place; deleting the old one" not in steps
    marker = folder / "site" / "left-by-the-first-build.txt"
    marker.write_text("old", encoding="utf-8")
    steps.clear()
    build_site(folder, workers=1, progress=steps.append)
    assert steps[-1] == "the new site is in place; deleting the old one"
    assert not marker.exists()
    assert (folder / "site" / "index.html").is_file()
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".site")]


def _published(published_examples: tuple[Path, PublishResult], tmp_path: Path) -> Path:
    folder = tmp_path / "published"
    shutil.copytree(published_examples[0], folder, symlinks=True)
    return folder


def test_a_second_site_build_of_a_folder_is_refused_naming_the_first(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    folder = _published(published_examples, tmp_path)
    with (
        FolderLock(folder, LOCK_NAME, SiteError, "held by the test (pid {pid})"),
        pytest.raises(SiteError) as raised,
    ):
        build_site(folder, workers=1)
    assert str(raised.value) == (
        f"{folder}: another nualod site (pid {os.getpid()}) is building this site; "
        "run again when it has finished"
    )
    assert not (folder / "site").exists()
    build_site(folder, workers=1)  # the lock is let go, and its file deleted
    assert not (folder / LOCK_NAME).exists()


def test_what_dead_site_builds_left_is_removed_by_the_next(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    folder = _published(published_examples, tmp_path)
    for name in (".site.abc123.part", ".site.old", ".site.xyz.old"):
        _folder(folder / name, "left")
    _folder(folder / ".sites.part", "not ours")
    (folder / ".site.notes.part").write_text("a file, not a build's folder", encoding="utf-8")
    build_site(folder, workers=1)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".site")) == [
        ".site.notes.part",
        ".sites.part",
    ]


def test_sigterm_while_building_keeps_the_old_site_and_says_what_it_left(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    folder = _published(published_examples, tmp_path)
    build_site(folder, workers=1)
    before = sorted(p.relative_to(folder) for p in (folder / "site").rglob("*"))
    parts: list[Path] = []

    def building() -> bool:
        parts.extend(p for p in folder.iterdir() if p.name.endswith(".part"))
        return bool(parts)

    stderr = terminated_when(cli(["site", str(folder)]), building)
    assert stderr == (
        f"error: stopped by SIGTERM; {folder / 'site'} was left as it was; "
        f"the next `nualod site` deletes {parts[0].name}\n"
    )
    assert sorted(p.relative_to(folder) for p in (folder / "site").rglob("*")) == before
    build_site(folder, workers=1)
    assert not [p for p in folder.iterdir() if p.name.startswith(".site.")]


def test_sigterm_while_deleting_the_old_site_leaves_the_new_one_in_place(
    published_examples: tuple[Path, PublishResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _published(published_examples, tmp_path)
    build_site(folder, workers=1)
    marker = folder / "site" / "left-by-the-first-build.txt"
    marker.write_text("old", encoding="utf-8")
    real = shutil.rmtree

    def stopped_in_the_old_site(path: str | Path, *args: Any, **kwargs: Any) -> None:
        if (Path(path) / marker.name).exists():
            raise Terminated
        real(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", stopped_in_the_old_site)
    with pytest.raises(Terminated) as raised:
        build_site(folder, workers=1)
    monkeypatch.undo()
    left = [p.name for p in folder.iterdir() if p.name.startswith(".site.")]
    assert str(raised.value) == (
        f"{folder / 'site'} holds the new site; the next `nualod site` deletes {left[0]}"
    )
    assert (folder / "site" / "index.html").is_file() and not marker.exists()
    build_site(folder, workers=1)
    assert not [p for p in folder.iterdir() if p.name.startswith(".site.")]


def test_what_finishes_a_site_is_written_before_it_is_swapped_in(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    folder = _published(published_examples, tmp_path)
    build_site(folder, workers=1)
    (folder / "site" / "old.txt").write_text("old", encoding="utf-8")
    seen: list[tuple[str, bool, bool]] = []

    def finish(new: Path) -> None:
        # Apache's .htaccess goes here on the command line: the site readers get is still
        # the old one, the new one is whole.
        seen.append((new.name, (folder / "site" / "old.txt").exists(), (new / "404.html").exists()))
        (new / ".htaccess").write_text("# new", encoding="utf-8")

    build_site(folder, workers=1, finish=finish)
    assert seen == [("site", True, True)]
    assert (folder / "site" / ".htaccess").read_text(encoding="utf-8") == "# new"
    assert not (folder / "site" / "old.txt").exists()


def test_ctrl_c_stops_a_site_build_at_once_and_says_what_it_left(
    published_examples: tuple[Path, PublishResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nualod.site import build

    folder = _published(published_examples, tmp_path)
    build_site(folder, workers=1)
    before = sorted(p.relative_to(folder) for p in (folder / "site").rglob("*"))

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "bucket", interrupted)
    with pytest.raises(KeyboardInterrupt) as stopped:
        build_site(folder, workers=1)
    left = [p.name for p in folder.iterdir() if p.name.startswith(".site.")]
    assert str(stopped.value) == (
        f"{folder / 'site'} was left as it was; the next `nualod site` deletes {left[0]}"
    )
    assert sorted(p.relative_to(folder) for p in (folder / "site").rglob("*")) == before
    monkeypatch.undo()
    build_site(folder, workers=1)
    assert not [p for p in folder.iterdir() if p.name.startswith(".site.")]


def test_a_site_is_of_the_release_current_when_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nualod.site import build

    folder = tmp_path / "out"
    publish([EXAMPLES], folder)
    first = (folder / "current").resolve()
    split_quads = build.split_quads

    def split_then_publish(*args: Any, **kwargs: Any) -> Any:
        split = split_quads(*args, **kwargs)
        # Another publish into the folder makes a release of one practice current.
        publish([sorted(EXAMPLES.iterdir())[0]], folder)
        return split

    monkeypatch.setattr(build, "split_quads", split_then_publish)
    result = build_site(folder, workers=1)
    assert (folder / "current").resolve() != first
    assert result.practices == 4
    for name in ("nualod.nq", "catalog.ttl", "void.ttl"):
        assert (folder / "site" / "download" / name).samefile(first / name)


def test_sigterm_while_the_temporary_folder_is_made_still_names_it(
    published_examples: tuple[Path, PublishResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nualod.errors import terminate_as_interrupt
    from nualod.site import build

    folder = _published(published_examples, tmp_path)
    make = tempfile.mkdtemp

    def made_then_stopped(*args: Any, **kwargs: Any) -> str:
        made = make(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # before its name is back in the build
        return made

    monkeypatch.setattr(build.tempfile, "mkdtemp", made_then_stopped)
    with terminate_as_interrupt(), pytest.raises(Terminated) as raised:
        build_site(folder, workers=1)
    monkeypatch.undo()
    left = [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    assert str(raised.value) == (
        f"{folder / 'site'} was left as it was; the next `nualod site` deletes {left[0]}"
    )
