"""A folder replaced in one step: the store of ``publish`` and the site of ``nualod site``.

Where Linux can swap two names at once (``renameat2`` with ``RENAME_EXCHANGE``), a reader of
the folder finds the old one or the new one, never neither; elsewhere the old folder is
moved aside first. Either way the old folder is handed back to be deleted once the new one
is in place.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from nualod.files import atomic
from nualod.files.atomic import AtomicFolder, exchange, swap_folder
from nualod.run.publish import PublishResult
from nualod.site.build import build_site


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
