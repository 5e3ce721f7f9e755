"""Incremental publishing (issue 19): a release that follows another reuses its work on the
pages that did not change, and its files are byte for byte those of a full rebuild."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pyoxigraph import Store
from test_releases import A1, A2, INDICATOR_47, page, write_pages

from nualod.cli import main
from nualod.errors import PublishError
from nualod.files import forked
from nualod.releases import reuse
from nualod.releases.reuse import STATES_NAME, WORK_NAME
from nualod.run import pipeline
from nualod.run.publish import PublishResult, publish
from nualod.write.rows import RowsWritten

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
#: Theme, indicator and indicator name of the generated pages.
CODES = ((10, 47, INDICATOR_47), (3, 19, "Taman kota"), (1, 1, "Layanan"), (11, 12, "Desain"))


def generated(count: int) -> dict[str, tuple[str, str | None]]:
    """Pages that differ by tagline and source; every other one has a sidecar with its URL."""
    pages: dict[str, tuple[str, str | None]] = {}
    for number in range(count):
        theme, indicator, name = CODES[number % len(CODES)]
        text = page(theme, indicator, name, f"Kota Contoh {number}", f"https://e.org/b/{number}")
        pages[f"g{number:02d}.txt"] = (
            text,
            f"https://nuf.example/g{number}" if number % 2 else None,
        )
    return pages


#: Two pages naming indicator 66 (not in the NUF list) each their own way: the first one read
#: names its concept, in the dumps and in the tables' indicator_name.
N1 = page(10, 66, "Nama satu", "Kota N1", "https://e.org/n/1")
N2 = page(10, 66, "Nama dua", "Kota N2", "https://e.org/n/2")
FIRST = {"a.txt": (A1, "https://nuf.example/a"), **generated(14), "n1.txt": (N1, None),
         "n2.txt": (N2, None)}  # fmt: skip
#: The second release: A's title and source corrected, g03 removed, g15 added, g05 changed,
#: g07's sidecar says it was fetched again (same bytes, a new retrieval time), and n1 is
#: removed: n2, unchanged, now names indicator 66.
SECOND = {
    **{name: held for name, held in FIRST.items() if name not in ("g03.txt", "n1.txt")},
    "a.txt": (A2, "https://nuf.example/a"),
    "g05.txt": (page(3, 19, "Taman kota", "Kota Contoh lima", "https://e.org/b/5"), None),
    "g15.txt": (page(11, 12, "Desain", "Kota Contoh 15", "https://e.org/b/15"), None),
}
UNCHANGED = {"n2.txt", "g00.txt", "g01.txt", "g02.txt", "g04.txt", "g06.txt",
             *(f"g{n:02d}.txt" for n in range(8, 14))}  # fmt: skip
#: The third: g15 removed again and g03 back; everything else as in the second.
THIRD = {
    **{name: held for name, held in SECOND.items() if name != "g15.txt"},
    "g03.txt": FIRST["g03.txt"],
}


@pytest.fixture(autouse=True)
def small_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Jobs of three pages: the runs have several batches, in worker processes when asked.
    monkeypatch.setattr(pipeline, "JOB_SIZE", 3)


def pages_of(root: Path, name: str, pages: dict[str, tuple[str, str | None]]) -> Path:
    folder = write_pages(root / name, pages)
    for example in sorted(EXAMPLES.iterdir()):  # real pages: figures, concepts, sources
        shutil.copy(example, folder / example.name)
    return folder


def retouch_sidecar(folder: Path, name: str) -> None:
    sidecar = folder / f"{name}.meta.json"
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["retrieved_at"] = "2026-01-05T09:30:00Z"
    sidecar.write_text(json.dumps(data), encoding="utf-8")


def files_of(release: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a release, its record of work too, but its store (RocksDB's files carry
    times and random ids) and the page files' states (inodes and times of the inputs)."""
    for path in sorted(release.rglob("*")):
        relative = path.relative_to(release)
        if path.is_file() and relative.parts[0] != "store" and path.name != STATES_NAME:
            yield relative.as_posix(), path.read_bytes()


def store_quads(release: Path) -> list[str]:
    """Return the quads of a release's store, as sorted N-Quads lines."""
    store = Store.read_only(str(release / "store"))
    return sorted(str(quad) + " ." for quad in store)


def dump_quads(release: Path) -> list[str]:
    """Return the quads of a release's N-Quads dump, sorted, each once (tombstones repeat the
    removing activity's type)."""
    return sorted(set((release / "nualod.nq").read_text(encoding="utf-8").splitlines()))


def follow(
    out: Path, pages: Path, version: str, *, workers: int, reuse: bool, **options: object
) -> PublishResult:
    return publish(
        [pages], out, version=version, previous=out, workers=workers, reuse=reuse, **options
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_release_that_reuses_its_predecessors_work_is_byte_identical_to_a_rebuild(
    tmp_path: Path, workers: int
) -> None:
    first = pages_of(tmp_path, "pages-1", FIRST)
    second = pages_of(tmp_path, "pages-2", SECOND)
    retouch_sidecar(second, "g07.txt")
    third = pages_of(tmp_path, "pages-3", THIRD)
    retouch_sidecar(third, "g07.txt")
    built = tmp_path / "built"
    publish([first], built, version="1", workers=workers)
    assert (built / "releases" / "1" / WORK_NAME).is_file()
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(built, rebuilt, symlinks=True)

    reused = follow(built, second, "2", workers=workers, reuse=True)
    full = follow(rebuilt, second, "2", workers=workers, reuse=False)
    examples = len(list(EXAMPLES.iterdir()))
    assert (reused.reused, full.reused) == (len(UNCHANGED) + examples, 0)
    assert reused.published == full.published
    assert dict(files_of(built / "releases" / "2")) == dict(files_of(rebuilt / "releases" / "2"))
    # Its store is the previous one changed where the dumps differ: it holds the new dump.
    assert store_quads(built / "releases" / "2") == dump_quads(built / "releases" / "2")

    # The release built from reused work records its own, and the next one reuses that.
    reused = follow(built, third, "3", workers=workers, reuse=True)
    full = follow(rebuilt, third, "3", workers=workers, reuse=False)
    # All but g03 (back from the first release, which is not the previous one) and A, which
    # keeps the IRI of the first release: a practice that keeps an IRI is rendered again.
    assert (reused.reused, full.reused) == (len(THIRD) - 2 + examples, 0)
    assert dict(files_of(built / "releases" / "3")) == dict(files_of(rebuilt / "releases" / "3"))
    assert store_quads(built / "releases" / "3") == dump_quads(built / "releases" / "3")
    changelog = json.loads((built / "releases" / "3" / "changelog.json").read_text("utf-8"))
    assert changelog["counts"] == {"added": 1, "changed": 0, "removed": 1, "unchanged": 19}


def test_a_release_published_beside_another_thread_writes_its_history_and_record_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With another thread running (a library user's), nothing is forked: the history and
    the record are written in the publishing process, the same bytes."""
    first = pages_of(tmp_path, "pages-1", FIRST)
    second = pages_of(tmp_path, "pages-2", SECOND)
    publish([first], tmp_path / "forked", version="1", workers=1)
    shutil.copytree(tmp_path / "forked", tmp_path / "threaded", symlinks=True)
    forks: list[str] = []
    original = forked.ForkedCall.__init__

    def counted(self: forked.ForkedCall[object], function: Any) -> None:
        forks.append(threading.current_thread().name)
        original(self, function)

    monkeypatch.setattr(forked.ForkedCall, "__init__", counted)
    follow(tmp_path / "forked", second, "2", workers=1, reuse=True)
    assert len(forks) == 2  # the history and the record
    forks.clear()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        follow(tmp_path / "threaded", second, "2", workers=1, reuse=True)
    finally:
        release.set()
        other.join()
    assert forks == []
    assert dict(files_of(tmp_path / "forked" / "releases" / "2")) == dict(
        files_of(tmp_path / "threaded" / "releases" / "2")
    )


def test_a_process_beside_the_run_that_ends_without_a_word_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pages_of(tmp_path, "pages-1", FIRST)
    second = pages_of(tmp_path, "pages-2", SECOND)
    out = tmp_path / "out"
    publish([first], out, version="1", workers=1)
    before = dict(files_of(out / "current"))

    def killed(self: reuse.WorkRecorder, folder: Path) -> None:
        os._exit(9)

    monkeypatch.setattr(reuse.WorkRecorder, "write", killed)
    with pytest.raises(PublishError) as raised:
        follow(out, second, "2", workers=1, reuse=True)
    assert str(raised.value) == (
        "the record of work could not be written: the process beside this one ended "
        "without an answer (exit code 9)"
    )
    assert (out / "current").resolve().name == "1"
    assert dict(files_of(out / "current")) == before


def test_only_a_release_with_a_version_or_a_predecessor_records_its_work(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    publish([pages], tmp_path / "once", workers=1)
    assert not (tmp_path / "once" / "current" / WORK_NAME).exists()
    publish([pages], tmp_path / "once", previous=tmp_path / "once", workers=1)
    assert (tmp_path / "once" / "current" / WORK_NAME).is_file()
    publish([pages], tmp_path / "versioned", version="1", workers=1)
    assert (tmp_path / "versioned" / "current" / WORK_NAME).is_file()


def open_files_under(folder: Path) -> list[str]:
    """Return the files under ``folder`` this process holds open (Linux's /proc)."""
    found = []
    for link in Path("/proc/self/fd").iterdir():
        try:
            target = link.readlink()
        except OSError:  # closed since the listing
            continue
        if target.is_relative_to(folder.resolve()):
            found.append(target.name)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_release_that_reused_work_leaves_nothing_of_it_open_or_held(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    publish([pages], out, version="1", workers=1)
    result = follow(out, pages, "2", workers=1, reuse=True)
    assert result.reused == len(FIRST) + len(list(EXAMPLES.iterdir()))
    assert open_files_under(out / "releases" / "1") == []
    assert pipeline.work_source.cache_info().currsize == 0


def test_work_done_with_other_settings_is_not_reused(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    publish([pages], out, version="1", workers=1)
    assert follow(out, pages, "2", workers=1, reuse=True, figures=False).reused == 0
    assert follow(out, pages, "3", workers=1, reuse=True, figures=False).reused == len(FIRST) + 4
    # The feed stays where it is served (its pages name their stream under the download base).
    other_base = follow(
        out, pages, "4", workers=1, reuse=True, base="https://e.org/id/",
        download_base="https://w3id.org/nualod/download/",
    )  # fmt: skip
    assert other_base.reused == 0


SHAPE = (11, 1, 1, ("https://w3id.org/nualod/def#GoodPractice",), ("p", "q"), ())
NODE_SHAPE = ((1, 1, 0, ("https://schema.org/WebPage",), ("p",), ()), None, None, None)


def facts(name: str, shape: tuple[object, ...] = SHAPE) -> reuse.PageFacts:
    """The facts of a page of practice ``name``: one source, and its theme and indicator."""
    return reuse.PageFacts(
        f"https://e.org/id/{name}", name * 64, None, None, None, (10, (47, "Nama", 10), None),
        (f"https://e.org/b/{name}",), (), True, shape, "2025-01-09", None,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_record_s_tables_give_back_what_they_were_given() -> None:
    pages = reuse.PageTable()
    pages.add("a" * 64, b"entry a", tuple(range(8)), facts("a"))
    pages.add("b" * 64, b"", tuple(range(8, 16)), facts("b"))
    # a key given again: the later
    pages.add("a" * 64, b"entry a again", tuple(range(16, 24)), facts("c", (1, 0, 0, (), (), ())))
    pages.set_rows("b" * 64, RowsWritten("t", "T", "i", "I", (1, 2, 3, 4)))
    expected = [
        (
            "b" * 64,
            reuse.PageWork(b"", tuple(range(8, 16)), RowsWritten("t", "T", "i", "I", (1, 2, 3, 4))),
        ),
        ("a" * 64, reuse.PageWork(b"entry a again", tuple(range(16, 24)))),
    ]
    assert sorted(pages.items()) == sorted(expected)
    again = reuse.PageTable.from_columns(pages.columns())
    assert sorted(again.items()) == sorted(expected)
    assert [again.facts(at) for at in range(3)] == [
        facts("a"),
        facts("b"),
        facts("c", (1, 0, 0, (), (), ())),
    ]
    assert again.shape_counts(0, 3) == {SHAPE: 2, (1, 0, 0, (), (), ()): 1}
    assert again.spans("a" * 64) == tuple(range(16, 24)) and again.get("c" * 64) is None
    assert len(again) == 2 and "b" * 64 in again
    assert again.entry("a" * 64) == (b"entry a again", tuple(range(16, 24)))
    assert again.entry("b" * 64) == (b"", tuple(range(8, 16))) and again.entry("c" * 64) is None
    nodes = reuse.NodeTable()
    nodes.add("https://e.org/b/1", "https://e.org/graph", b"stats", tuple(range(8)), NODE_SHAPE)
    nodes.add("https://e.org/b/2", "https://e.org/other", b"", tuple(range(8, 16)), NODE_SHAPE)
    back = reuse.NodeTable.from_columns(nodes.columns())
    assert (
        list(back.items())
        == list(nodes.items())
        == [
            ("https://e.org/b/1", reuse.NodeWork("https://e.org/graph", b"stats", tuple(range(8)))),
            ("https://e.org/b/2", reuse.NodeWork("https://e.org/other", b"", tuple(range(8, 16)))),
        ]
    )
    assert back.shape_counts(0, 2) == {
        ("https://e.org/graph", NODE_SHAPE): 1,
        ("https://e.org/other", NODE_SHAPE): 1,
    }
    assert (
        back.stats_of("https://e.org/b/1") == b"stats" and back.stats_of("https://e.org/b/2") == b""
    )
    assert back.stats_of("https://e.org/b/3") is None
    with pytest.raises(ValueError, match="a page's spans are 8 values, not 2"):
        pages.add("c" * 64, b"", (0, 1), facts("c"))
    columns = pages.columns()
    with pytest.raises(ValueError, match="a table of pages whose columns differ in length"):
        reuse.PageTable.from_columns((*columns[:3], columns[3][:-8], *columns[4:]))
    with pytest.raises(ValueError, match="a table of pages whose columns differ in length"):
        reuse.PageTable.from_columns((*columns[:-1], columns[-1][:-1]))
    with pytest.raises(ValueError, match="not a table of nodes"):
        reuse.NodeTable.from_columns(columns[:8])


def test_a_run_taken_from_a_record_is_what_adding_its_pages_gives() -> None:
    earlier = reuse.PageTable()
    # Three groups back to back in every dump (JSON-LD's ",\n" between them), then one apart.
    rows = [
        (0, 5, 0, 3, 0, 3, 10, 5),
        (5, 5, 3, 3, 3, 3, 17, 5),
        (10, 5, 6, 3, 6, 3, 24, 5),
        (40, 1, 40, 1, 40, 1, 80, 1),
    ]
    for index, spans in enumerate(rows):
        earlier.add(f"{index}" * 64, f"entry {index}".encode(), spans, facts("abcd"[index]))
    assert [earlier.follows(at) for at in range(4)] == [False, True, True, False]
    taken = reuse.PageTable()
    taken.add("x" * 64, b"x", tuple(range(8)), facts("x", (1, 0, 0, (), (), ())))
    taken.take_run(earlier, 1, 2, (100, 0, 10, 0))
    added = reuse.PageTable()
    added.add("x" * 64, b"x", tuple(range(8)), facts("x", (1, 0, 0, (), (), ())))
    for at in (1, 2):
        spans = earlier.spans_at(at)
        moved = tuple(v + (100, 0, 10, 0)[i // 2] if i % 2 == 0 else v for i, v in enumerate(spans))
        key = earlier.keys(at, at + 1)[0]
        entry = earlier.entry(key)
        assert entry is not None
        added.add(key, entry[0], moved, earlier.facts(at))
    assert taken.columns() == added.columns()


def test_a_record_is_the_same_bytes_whatever_objects_its_values_share(tmp_path: Path) -> None:
    shared_name = "https://w3id.org/nualod/def#GoodPractice"
    records = []
    for share in (True, False):
        recorder = reuse.WorkRecorder("fingerprint")
        for index in range(2):
            # Equal values, one object or two.
            classes = (shared_name if share else "".join(shared_name),)
            shape = (11, 1, 1, classes, ("p",), ())
            recorder.page(f"{index}" * 64, b"e", tuple(range(8)), facts("ab"[index], shape))
        folder = tmp_path / str(share)
        folder.mkdir()
        recorder.write(folder)
        records.append((folder / WORK_NAME).read_bytes())
        loaded = reuse.WorkSource.open(folder, "fingerprint")
        assert loaded is None  # its release has no dumps: the record alone is not taken
    assert records[0] == records[1]


def test_a_damaged_record_of_work_is_ignored(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    publish([pages], out, version="1", workers=1)

    def record_of(version: str) -> Path:
        return out / "releases" / version / WORK_NAME

    with record_of("1").open("rb") as stream:
        header = pickle.load(stream)  # who made it: this nualod, these settings

    def after_current(version: str) -> int:
        return publish([pages], out, version=version, previous=out, workers=1).reused

    record_of("1").write_bytes(record_of("1").read_bytes()[:100])
    assert after_current("2") == 0
    # A record of this maker whose body names a class nualod no longer has (an older layout).
    record_of("2").write_bytes(pickle.dumps(header) + b"cnualod.releases.reuse\nSpan\n.")
    assert after_current("3") == 0
    assert after_current("4") == len(FIRST) + 4


def test_the_cli_says_how_many_pages_it_reused_and_rebuild_reads_them_all(
    tmp_path: Path,
) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["publish", str(pages), "--out", str(out), "--release", "1"])
    assert first.exit_code == 0, first.output
    args = ["publish", str(pages), "--out", str(out), "--previous", str(out), "--release"]
    second = runner.invoke(main, [*args, "2"])
    assert second.exit_code == 0, second.output
    count = len(FIRST) + len(list(EXAMPLES.iterdir()))
    assert second.stdout.splitlines()[-1] == (
        f"{count} unchanged page(s) taken from the previous release's work"
    )
    third = runner.invoke(main, [*args, "3", "--rebuild"])
    assert third.exit_code == 0, third.output
    assert "taken from the previous release" not in third.stdout


def test_pages_whose_files_stand_as_the_record_saw_them_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    # Written a moment ago, the pages are too fresh for their files' states to vouch for
    # their bytes: none is kept. (A moment that a busy machine can stretch past the two
    # seconds a state needs to settle: an hour, here.)
    monkeypatch.setattr(reuse, "_SETTLED_NS", 3600 * 10**9)
    publish([pages], out, version="1", workers=1)
    with (out / "releases" / "1" / STATES_NAME).open("rb") as stream:
        pickle.load(stream)
        assert pickle.load(stream) == {}
    monkeypatch.setattr(reuse, "_SETTLED_NS", 0)  # as if they had been written long ago
    publish([pages], out, version="2", previous=out, workers=1)
    read: list[str] = []
    monkeypatch.setattr(reuse, "page_key", lambda path: read.append(Path(path).name) or "")
    monkeypatch.setattr(pipeline, "page_key", reuse.page_key)
    # g05 rewritten in place (same name, same inode, same size), g07's sidecar too.
    g05 = pages / "g05.txt"
    g05.write_text(g05.read_text(encoding="utf-8").replace("Contoh 5", "Contoh X"), "utf-8")
    retouch_sidecar(pages, "g07.txt")
    result = publish([pages], out, version="3", previous=out, workers=1)
    assert sorted(read) == ["g05.txt", "g07.txt"]
    assert result.reused == len(FIRST) + len(list(EXAMPLES.iterdir())) - 2


def recheck_sidecars(folder: Path, checked_at: str, etag: object) -> list[str]:
    """Rewrite every sidecar as a harvest does that found its page unchanged: a new check
    time and validators; return the pages' names."""
    names = []
    for sidecar in sorted(folder.glob("*.meta.json")):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        data.update(checked_at=checked_at, etag=etag, last_modified="Mon, 02 Feb 2026 00:00:00 GMT")
        sidecar.write_text(json.dumps(data, indent=2), encoding="utf-8")
        names.append(sidecar.name.removesuffix(".meta.json"))
    return names


def test_a_page_a_harvest_found_unchanged_is_still_reused(tmp_path: Path) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    publish([pages], out, version="1", workers=1)
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(out, rebuilt, symlinks=True)
    rechecked = recheck_sidecars(pages, "2026-02-01T00:00:00Z", '"v2"')
    assert len(rechecked) == 8
    result = follow(out, pages, "2", workers=1, reuse=True)
    assert result.reused == len(FIRST) + len(list(EXAMPLES.iterdir()))
    follow(rebuilt, pages, "2", workers=1, reuse=False)
    assert list(files_of(out / "releases" / "2")) == list(files_of(rebuilt / "releases" / "2"))


@pytest.mark.parametrize(("checked_at", "etag"), [("Monday", '"v2"'), ("2026-02-01T00:00:00Z", 7)])
def test_a_sidecar_field_the_reader_refuses_is_read_again_and_refused(
    tmp_path: Path, checked_at: str, etag: object
) -> None:
    pages = pages_of(tmp_path, "pages", FIRST)
    out = tmp_path / "out"
    publish([pages], out, version="1", workers=1)
    rechecked = recheck_sidecars(pages, checked_at, etag)
    result = follow(out, pages, "2", workers=1, reuse=True)
    assert result.reused == len(FIRST) + len(list(EXAMPLES.iterdir())) - len(rechecked)
    assert len(result.rejected) == len(rechecked)
    assert all("malformed page metadata" in r.message for r in result.rejected)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_taken_whole_that_a_new_page_now_repeats_is_refused_as_a_rebuild_refuses_it(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One job: g08 is taken with the pages around it, from the first release's record; a0,
    # new and read first, is the same practice: g08 is refused, its run written in two parts.
    monkeypatch.setattr(pipeline, "JOB_SIZE", 100)
    first = pages_of(tmp_path, "pages-1", FIRST)
    second = pages_of(tmp_path, "pages-2", {"a0.txt": FIRST["g08.txt"], **FIRST})
    built = tmp_path / "built"
    publish([first], built, version="1", workers=workers)
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(built, rebuilt, symlinks=True)
    reused = follow(built, second, "2", workers=workers, reuse=True)
    full = follow(rebuilt, second, "2", workers=workers, reuse=False)
    assert reused.published == full.published
    assert (
        [r.message for r in reused.rejected]
        == [r.message for r in full.rejected]
        == [
            f"{second / 'g08.txt'}: the same practice as {second / 'a0.txt'} (same theme, "
            "indicator, city, title and sources); kept that one"
        ]
    )
    assert dict(files_of(built / "releases" / "2")) == dict(files_of(rebuilt / "releases" / "2"))
    assert store_quads(built / "releases" / "2") == dump_quads(built / "releases" / "2")
