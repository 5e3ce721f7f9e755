"""The store loaded in the background while a run writes N-Quads (nualod.write.store.BackgroundLoad).

The run appends whole lines to the N-Quads file and tells the loader how far it has got
(``advance``); a thread loads the file in slices cut at line ends. The store it leaves must
hold exactly what loading the same text at once would, a bad line must fail the run with a
PublishError and leave no temporary folder (nor the store open), and the finished store
must be the one a reader opens after ``commit``.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Quad, RdfFormat, Store, parse

from nualod.errors import PublishError, StoreError
from nualod.run.publish import NQUADS_NAME, PublishResult
from nualod.write.store import (
    COMPACTION_NICENESS,
    STORE_NAME,
    BackgroundLoad,
    LoadedStore,
    ProcessLoad,
    build_store,
    follow_orders,
    open_store,
    whole_lines,
)

#: The examples' 2 MB of N-Quads load in a few dozen slices of this many bytes (each slice
#: is a bulk load of its own, which takes a while: not many more).
SLICE_BYTES = 64 * 1024
#: Smaller than the longest lines of the examples (about 900 bytes).
TINY_SLICE_BYTES = 300
#: Lines the run appends between two calls of ``advance``.
CHUNK_LINES = 50
BAD_LINE = b"garbage <http://a.example/p> <http://a.example/o> .\n"
PROC_FD = Path("/proc/self/fd")

needs_proc = pytest.mark.skipif(not PROC_FD.is_dir(), reason="needs /proc/self/fd (Linux)")


@pytest.fixture(scope="module")
def nquads(published_examples: tuple[Path, PublishResult]) -> bytes:
    """Return the N-Quads dump of the bundled examples: real lines, as a run writes them."""
    out, _ = published_examples
    return (out / NQUADS_NAME).read_bytes()


def chunks(text: bytes, lines: int = CHUNK_LINES) -> list[bytes]:
    """Split N-Quads into chunks of whole lines."""
    all_lines = text.splitlines(keepends=True)
    return [b"".join(all_lines[i : i + lines]) for i in range(0, len(all_lines), lines)]


def start(folder: Path, slice_bytes: int = SLICE_BYTES) -> tuple[Path, BackgroundLoad]:
    """Start a loader on an empty N-Quads file, as a run does before it writes."""
    nq = folder / "nualod.nq.part"
    nq.write_bytes(b"")
    return nq, BackgroundLoad(nq, folder / STORE_NAME, slice_bytes)


def write(nq: Path, loader: BackgroundLoad, pieces: list[bytes]) -> None:
    """Append whole lines and tell the loader after each piece, as a run does."""
    with nq.open("ab") as stream:
        for piece in pieces:
            stream.write(piece)
            stream.flush()
            loader.advance(stream.tell())


def quads_of(store: Store) -> set[Quad]:
    return set(store.quads_for_pattern(None, None, None, None))


def loaded_at_once(text: bytes) -> set[Quad]:
    store = Store()
    store.bulk_load(input=text, format=RdfFormat.N_QUADS)
    return quads_of(store)


def loader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "nualod-store-load"]


def open_files_in(folder: Path) -> list[str]:
    """Return what this process holds open inside ``folder`` (Linux), even once deleted.

    An open store holds its LOCK, LOG, MANIFEST and table files open, so this tells
    deterministically whether a store was closed, where "the folder is gone" depends on
    whether RocksDB's background work wrote a file after ``rmtree`` listed the folder.
    """
    held = []
    for fd in PROC_FD.iterdir():
        try:
            target = str(fd.readlink())
        except OSError:  # the listing's own descriptor, closed by now
            continue
        if target == str(folder) or target.startswith(f"{folder}/"):
            held.append(target)
    return held


def test_the_examples_have_no_blank_nodes_and_some_long_lines(nquads: bytes) -> None:
    # Blank node labels hold only within one bulk load (oxigraph renames them per load), so
    # loading in slices is only the same as loading at once when there are none.
    quads = list(parse(nquads, format=RdfFormat.N_QUADS))
    assert len(quads) == nquads.count(b"\n") > 500
    assert not [q for q in quads if isinstance(q.subject, BlankNode | Quad)]
    assert not [q for q in quads if isinstance(q.object, BlankNode)]
    assert max(len(line) for line in nquads.splitlines()) > TINY_SLICE_BYTES


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the length of every os.pread: the loader reads each slice with one."""
    reads: list[int] = []
    pread: Callable[[int, int, int], bytes] = os.pread

    def counting_pread(fd: int, length: int, offset: int) -> bytes:
        reads.append(length)
        return pread(fd, length, offset)

    monkeypatch.setattr(os, "pread", counting_pread)
    return reads


@needs_proc
def test_a_file_loaded_in_slices_equals_the_text_loaded_at_once(
    tmp_path: Path, nquads: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_reads(monkeypatch)
    nq, loader = start(tmp_path)
    write(nq, loader, chunks(nquads))
    staged = loader.finish()
    monkeypatch.undo()
    assert len(reads) >= len(nquads) // SLICE_BYTES
    assert quads_of(staged.open()) == loaded_at_once(nquads)
    assert len(quads_of(staged.open())) == nquads.count(b"\n")
    # Still staged: nothing under the final name yet.
    assert not (tmp_path / STORE_NAME).exists()
    assert staged.temporary.is_dir()
    staged.discard()
    assert open_files_in(staged.temporary) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]
    assert loader_threads() == []


def test_lines_longer_than_a_slice_load_whole(
    tmp_path: Path, nquads: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The longest lines, with short ones between them, in slices shorter than a long line:
    # slices are cut mid-line and some lines have to be read whole.
    lines = nquads.splitlines(keepends=True)
    longest = sorted(lines, key=len)[-8:]
    text = b"".join(line for pair in zip(longest, lines[:8], strict=True) for line in pair)
    reads = count_reads(monkeypatch)
    nq, loader = start(tmp_path, TINY_SLICE_BYTES)
    write(nq, loader, [text[: text.index(b"\n", len(text) // 2) + 1]])
    write(nq, loader, [text[text.index(b"\n", len(text) // 2) + 1 :]])
    staged = loader.finish()
    monkeypatch.undo()
    assert max(reads) > TINY_SLICE_BYTES
    assert quads_of(staged.open()) == loaded_at_once(text)
    assert len(quads_of(staged.open())) == 16
    staged.discard()


@pytest.mark.parametrize("window", [8, 64, 10_000])
@pytest.mark.parametrize("most", [1, 20, 100, 10_000])
def test_slices_are_the_longest_runs_of_whole_lines_that_fit(
    tmp_path: Path, window: int, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lines of 1 to 150 bytes, the last one unfinished (a run still writing it); a window
    # shorter than some lines makes the slice be found by reading it whole.
    text = b"".join(b"x" * (n * 37 % 150) + b"\n" for n in range(60)) + b"unfinished"
    end = text.rindex(b"\n") + 1
    path = tmp_path / "lines"
    path.write_bytes(text)
    monkeypatch.setattr("nualod.write.store.LINE_END_WINDOW", window)
    fd = os.open(path, os.O_RDONLY)
    try:
        slices = []
        while (loaded := sum(map(len, slices))) < end:
            slices.append(whole_lines(fd, loaded, end, most))
    finally:
        os.close(fd)
    assert b"".join(slices) == text[:end]
    for piece in slices:
        assert piece.endswith(b"\n")
        assert len(piece) <= most or piece.count(b"\n") == 1
    # Each slice is as long as it can be: the next line would not have fitted.
    for piece, following in itertools.pairwise(slices):
        assert len(piece) + len(following.split(b"\n")[0]) + 1 > most


def test_advance_may_repeat_and_finish_loads_the_rest(tmp_path: Path, nquads: bytes) -> None:
    # Less than a slice after the last advance, and a size told twice: finish loads it all.
    nq, loader = start(tmp_path, slice_bytes=len(nquads))
    pieces = chunks(nquads)[:5]
    write(nq, loader, pieces)
    loader.advance(nq.stat().st_size)
    staged = loader.finish()
    assert quads_of(staged.open()) == loaded_at_once(b"".join(pieces))
    staged.discard()


@needs_proc
def test_a_syntax_error_fails_finish_names_the_store_and_leaves_no_temporary_folder(
    tmp_path: Path, nquads: bytes
) -> None:
    good = chunks(nquads, 7)
    text = b"".join([*good[:3], BAD_LINE, *good[3:6]])
    # One slice for the whole file, so the parser's message is the one for the whole text.
    nq, loader = start(tmp_path, slice_bytes=len(text) + 1)
    temporary = loader.staged.temporary
    write(nq, loader, [*good[:3], BAD_LINE, *good[3:6]])
    assert nq.read_bytes() == text
    with pytest.raises(SyntaxError) as parser:
        Store().bulk_load(input=text, format=RdfFormat.N_QUADS, lenient=True)
    with pytest.raises(PublishError) as caught:
        loader.finish()
    assert str(caught.value) == (
        f"{tmp_path / STORE_NAME}: cannot build the store: {parser.value}, "
        f"in the lines from byte 0 of {nq}"
    )
    # The store must be closed before its folder is deleted: otherwise it keeps every file
    # open, and a table file RocksDB writes meanwhile keeps the folder from being removed.
    assert open_files_in(temporary) == []
    assert not temporary.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]
    assert loader_threads() == []
    # A run that fails abandons its loader too; after a failed finish that is harmless.
    loader.abandon()
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]


@needs_proc
def test_a_syntax_error_in_a_later_slice_fails_finish_too(tmp_path: Path, nquads: bytes) -> None:
    good = chunks(nquads)
    nq, loader = start(tmp_path)
    temporary = loader.staged.temporary
    write(nq, loader, [*good[:10], BAD_LINE, *good[10:20]])
    with pytest.raises(PublishError) as caught:
        loader.finish()
    # Where in its slice the bad line falls is the loader's business; what it says is not.
    assert re.fullmatch(
        re.escape(f"{tmp_path / STORE_NAME}: cannot build the store: ")
        + r"Parser error at line (\d+) between columns 1 and 8: "
        r"The subject of a triple must be an IRI or a blank node \(line \1\), "
        + re.escape("in the lines from byte ")
        + r"\d+"
        + re.escape(f" of {nq}"),
        str(caught.value),
    )
    assert open_files_in(temporary) == []
    assert not temporary.exists()


@pytest.mark.parametrize("where", ["thread", "process"])
def test_a_missing_nquads_file_fails_finish_naming_the_store(tmp_path: Path, where: str) -> None:
    """In the thread's words, whether the thread runs here or in a process of its own."""
    loader: BackgroundLoad | ProcessLoad
    if where == "thread":
        loader = BackgroundLoad(tmp_path / "gone.nq", tmp_path / STORE_NAME)
    else:
        loader = ProcessLoad()
        loader.begin_new(tmp_path / "gone.nq", tmp_path / STORE_NAME)
        loader.advance(10)
    with pytest.raises(PublishError) as caught:
        loader.finish()
    assert str(caught.value) == (
        f"{tmp_path / STORE_NAME}: cannot build the store: "
        f"[Errno 2] No such file or directory: '{tmp_path / 'gone.nq'}'"
    )
    assert list(tmp_path.iterdir()) == []


@needs_proc
def test_abandon_mid_way_stops_the_thread_and_removes_the_temporary_folder(
    tmp_path: Path, nquads: bytes
) -> None:
    nq, loader = start(tmp_path)
    temporary = loader.staged.temporary
    write(nq, loader, chunks(nquads)[:100])
    assert temporary.is_dir()
    assert len(loader_threads()) == 1
    loader.abandon()
    assert open_files_in(temporary) == []
    assert not temporary.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]
    assert loader_threads() == []
    loader.abandon()  # twice is harmless
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]


def test_abandon_before_anything_was_written(tmp_path: Path) -> None:
    nq, loader = start(tmp_path)
    assert len(list(tmp_path.iterdir())) == 2
    loader.abandon()
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name]
    assert loader_threads() == []


def test_commit_moves_the_store_into_place_replacing_an_older_one(
    tmp_path: Path, nquads: bytes
) -> None:
    store_dir = tmp_path / STORE_NAME
    nq, older = start(tmp_path)
    write(nq, older, chunks(nquads)[:1])
    assert older.finish().commit() == store_dir
    assert len(quads_of(open_store(store_dir))) == CHUNK_LINES

    nq.unlink()
    nq, loader = start(tmp_path)
    write(nq, loader, chunks(nquads))
    staged = loader.finish()
    temporary = staged.temporary
    assert staged.commit() == store_dir
    assert not temporary.exists()
    # Only the store (and the N-Quads) are left: no temporary or old folder beside them.
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name, STORE_NAME]
    assert quads_of(open_store(store_dir)) == loaded_at_once(nquads)


def test_the_published_store_holds_exactly_the_quads_of_the_nquads_dump(
    published_examples: tuple[Path, PublishResult], nquads: bytes
) -> None:
    out, result = published_examples
    assert out / STORE_NAME in result.files
    dumped = set(parse(nquads, format=RdfFormat.N_QUADS))
    stored = quads_of(Store.read_only(str(out / STORE_NAME)))
    assert stored == dumped
    assert len(stored) == nquads.count(b"\n")


#: Run in a fresh process: RocksDB's threads are the process's, and once lowered a priority
#: cannot be raised again without privilege, so an earlier test must not decide this one.
PRIORITIES_SCRIPT = """
import json, os, sys, threading
from pathlib import Path
from nualod.write.store import STORE_NAME, BackgroundLoad, compaction_threads
folder = Path(sys.argv[1])
nq = folder / "nualod.nq.part"
nq.write_bytes(b"")
before = compaction_threads()
loader = BackgroundLoad(nq, folder / STORE_NAME)
loading = [t.native_id for t in threading.enumerate() if t.name == "nualod-store-load"]
print(json.dumps({
    "before": before,
    "compaction": [os.getpriority(os.PRIO_PROCESS, t) for t in compaction_threads()],
    "run": [os.getpriority(os.PRIO_PROCESS, t) for t in [threading.get_native_id(), *loading]],
}))
loader.abandon()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc/self/task (Linux)")
def test_the_store_compacts_at_the_lowest_priority_and_the_run_keeps_its_own(
    tmp_path: Path,
) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    done = subprocess.run(
        [sys.executable, "-c", PRIORITIES_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout)
    assert seen["before"] == []  # no store open yet: RocksDB starts its threads with the first
    assert seen["compaction"] == [COMPACTION_NICENESS] * len(seen["compaction"])
    assert len(seen["compaction"]) >= 1
    assert seen["run"] == [own, own]  # the main thread and the loading thread
    assert not (tmp_path / STORE_NAME).exists()


# The store built in a process of its own (ProcessLoad), as a release's publish builds it.


def test_a_process_load_builds_the_store_in_another_process(tmp_path: Path, nquads: bytes) -> None:
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(b"")
    loader = ProcessLoad()
    loader.begin_new(nq, tmp_path / STORE_NAME)
    with nq.open("ab") as stream:  # as write() does, with the loading process told
        for piece in chunks(nquads):
            stream.write(piece)
            stream.flush()
            loader.advance(stream.tell())
    staged = loader.finish()
    assert isinstance(staged, LoadedStore)
    assert open_files_in(staged.temporary) == []  # this process never opened it
    assert staged.commit() == tmp_path / STORE_NAME
    assert quads_of(open_store(tmp_path / STORE_NAME)) == loaded_at_once(nquads)
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name, STORE_NAME]


def test_a_process_load_whose_process_was_killed_says_so(tmp_path: Path) -> None:
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(b"")
    loader = ProcessLoad()
    loader.begin_new(nq, tmp_path / STORE_NAME)
    os.kill(loader._process.pid, signal.SIGKILL)
    loader.advance(10)  # told after its process has gone: no error here
    with pytest.raises(PublishError) as caught:
        loader.finish()
    assert str(caught.value) == (
        f"{tmp_path / STORE_NAME}: cannot build the store: its process ended without a word "
        "(exit code -9)"
    )


def test_a_process_load_abandoned_ends_its_process_at_once(tmp_path: Path, nquads: bytes) -> None:
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(nquads)
    loader = ProcessLoad()
    loader.begin_new(nq, tmp_path / STORE_NAME)
    loader.advance(len(nquads))
    loader.abandon()
    assert loader._process.returncode is not None
    loader.abandon()  # twice is harmless


def test_a_store_that_cannot_be_opened_fails_its_begin_not_the_runs_end(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    loader = ProcessLoad()
    with pytest.raises(PublishError) as caught:
        loader.begin_new(tmp_path / "nualod.nq.part", tmp_path / "file" / STORE_NAME)
    assert str(caught.value) == f"{tmp_path / 'file' / STORE_NAME}: cannot write: File exists"
    with pytest.raises(StoreError, match=r"^the process that builds the store has ended$"):
        loader.finish()


def test_a_damaged_previous_store_is_built_anew_with_a_note(tmp_path: Path, nquads: bytes) -> None:
    """A store of an earlier release that RocksDB cannot open does not stop the release
    that follows it (it did, exit 2): its store is built from the whole N-Quads dump."""
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "nualod.nq").write_bytes(nquads)
    build_store(previous / "nualod.nq", previous / STORE_NAME)
    (manifest,) = (previous / STORE_NAME).glob("MANIFEST-*")
    manifest.write_bytes(b"")
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(b"")
    loader = ProcessLoad()
    said = loader.begin_delta(previous / STORE_NAME, previous / "nualod.nq", nq, tmp_path / "store")
    assert said == (
        f"{previous / STORE_NAME}: Corruption: no log_file_number, next_file_number, "
        f"last_sequence entry in MANIFEST  The file {manifest} may be corrupted; this "
        "release's store was built from its N-Quads"
    )
    assert not loader.delta  # a new store: no ranges to skip
    nq.write_bytes(nquads)
    loader.advance(len(nquads))
    assert loader.finish().commit() == tmp_path / "store"
    assert quads_of(open_store(tmp_path / "store")) == loaded_at_once(nquads)
    # Nothing of the damaged store's copy is left beside the new one.
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name, "previous", "store"]


def column_family(table: Path) -> str | None:
    """Return the name of the column family (Oxigraph's index) a RocksDB table belongs to,
    from its properties block: the key ``rocksdb.column.family.name`` is stored after
    ``...id`` with its shared prefix left out, so ``name`` and the value are adjacent."""
    found = re.search(rb"column\.family\.id.{1,16}?name([a-z0-9]+)", table.read_bytes(), re.S)
    return found.group(1).decode() if found else None


def test_a_previous_store_damaged_inside_a_table_is_built_anew_with_a_note(
    tmp_path: Path, nquads: bytes
) -> None:
    """A damaged data block opens without a word and is found only while the copy is
    changed: the release stopped then (exit 2), naming the staging folder's copy."""
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "nualod.nq").write_bytes(nquads)
    built = BackgroundLoad(previous / "nualod.nq", previous / STORE_NAME, SLICE_BYTES)
    built.advance(len(nquads))
    built.finish().commit()
    # The delta looks up each quad it removes in the graph-subject-predicate-object index,
    # so a data block of that index's largest table is read while the copy is changed,
    # whether or not RocksDB's background merges (late under load) have reached it.
    table = max(
        (path for path in (previous / STORE_NAME).glob("*.sst") if column_family(path) == "gspo"),
        key=lambda path: path.stat().st_size,
    )
    with table.open("r+b") as damaged:
        damaged.seek(table.stat().st_size // 2)
        damaged.write(b"\xff" * 4096)
    changed = b"".join(nquads.splitlines(keepends=True)[::2])  # half the quads gone
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(changed)
    loader = ProcessLoad()
    said = loader.begin_delta(previous / STORE_NAME, previous / "nualod.nq", nq, tmp_path / "store")
    assert said is None and loader.delta  # it opens
    loader.advance(len(changed))
    loaded = loader.finish()
    assert re.fullmatch(
        f"{re.escape(str(previous / STORE_NAME))}: Corruption: block checksum mismatch: "
        f"stored[^=]* = [0-9]+, computed = [0-9]+, type = [0-9]+  in {re.escape(str(table))} "
        "offset [0-9]+ size [0-9]+, block_type = Data; this release's store was built from "
        "its N-Quads",
        loaded.note or "",
    ), loaded.note
    assert loaded.commit() == tmp_path / "store"
    assert quads_of(open_store(tmp_path / "store")) == loaded_at_once(changed)
    assert sorted(p.name for p in tmp_path.iterdir()) == [nq.name, "previous", "store"]


def test_a_previous_store_that_opens_is_changed_not_built_anew(
    tmp_path: Path, nquads: bytes
) -> None:
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "nualod.nq").write_bytes(nquads)
    build_store(previous / "nualod.nq", previous / STORE_NAME)
    nq = tmp_path / "nualod.nq.part"
    nq.write_bytes(nquads)
    loader = ProcessLoad()
    said = loader.begin_delta(previous / STORE_NAME, previous / "nualod.nq", nq, tmp_path / "store")
    assert said is None and loader.delta
    loader.advance(len(nquads))
    loader.skip([(0, len(nquads))], [(0, len(nquads))])
    assert loader.finish().commit() == tmp_path / "store"
    assert quads_of(open_store(tmp_path / "store")) == loaded_at_once(nquads)


def test_the_loading_process_imports_from_this_processs_sys_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nquads: bytes
) -> None:
    """A wrapper, a zipapp or an embedding program may have put nualod's folders on
    ``sys.path`` itself: the loading process gets them all."""
    (tmp_path / "only_here").mkdir()
    (tmp_path / "only_here" / "nualod_path_marker.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "only_here"))
    monkeypatch.setattr(
        "nualod.write.store._LOADING_PROCESS",
        "import nualod_path_marker\nfrom nualod.write.store import follow_orders; follow_orders()\n",
    )
    nq = tmp_path / "nualod.nq"
    nq.write_bytes(nquads)
    loader = ProcessLoad()
    loader.begin_new(nq, tmp_path / STORE_NAME)
    loader.advance(len(nquads))
    assert loader.finish().commit() == tmp_path / STORE_NAME
    assert quads_of(open_store(tmp_path / STORE_NAME)) == loaded_at_once(nquads)


def test_a_process_load_never_begun_refuses_to_finish_and_ends() -> None:
    loader = ProcessLoad()
    assert not loader.begun
    with pytest.raises(StoreError, match=r"^no store was begun$"):
        loader.finish()
    assert loader._process.returncode is not None


def test_the_loading_process_ends_when_the_run_is_gone(tmp_path: Path) -> None:
    """Its orders' end closed without a word (the run killed): it leaves, answering nothing."""
    answers = tmp_path / "answers"
    with answers.open("wb") as stream:
        follow_orders(io.BytesIO(), stream)
    assert answers.read_bytes() == b""
