"""A release is committed as one: a folder per release, one atomic pointer, one writer at a time.

Kills, concurrent runs, SIGTERM and full disks run the CLI in subprocesses (issue 18, cases
3, 4, 5, 11 and 12).
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from oxigraph_server import Server, free_port, sparql_select
from release_checks import cli, temporaries, terminated_when, whole_release

from nualod.cli import main
from nualod.errors import Terminated, stops_deferred
from nualod.releases.layout import KILL_AT_VARIABLE, OutFolder
from nualod.run.publish import publish

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
ONE = EXAMPLES / "surabaya-tema03-indikator19.txt"
TWO = EXAMPLES / "banyuwangi-tema01-indikator1.txt"
LOCKED = re.compile(
    r"error: (?P<out>.+): another nualod publish \(pid (?:\d+|unknown)\) is writing this folder; "
    r"run again when it has finished\n"
)


def test_a_release_is_a_folder_and_the_names_of_out_go_through_current(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = publish([ONE], out)
    current = (out / "current").resolve()
    assert current.parent == out / "releases"
    assert str((out / "current").readlink()) == f"releases/{current.name}"
    assert re.fullmatch(r"sha256-[0-9a-f]{16}", current.name)
    # A one-off publish (no version, no previous release) keeps no record of its work.
    assert [p.name for p in current.iterdir() if p.name.startswith(".")] == []
    names = sorted(p.name for p in current.iterdir() if not p.name.startswith("."))
    for name in names:
        assert str((out / name).readlink()) == f"current/{name}"
    assert sorted(p.name for p in first.files) == names
    assert [p.name for p in out.iterdir() if not p.is_symlink()] == ["releases"]
    manifest = whole_release(out)

    publish([ONE, TWO], out)
    second = (out / "current").resolve()
    assert second != current and current.is_dir()  # the previous release is kept
    assert whole_release(out) != manifest
    assert temporaries(out) == []

    # The same inputs again make the same release: no third folder.
    publish([ONE, TWO], out)
    assert (out / "current").resolve() == second
    assert sorted(OutFolder(out).release_names()) == sorted([current.name, second.name])


def test_old_releases_are_pruned_beyond_keep(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = []
    for inputs in ([ONE], [TWO], [ONE, TWO]):
        publish(inputs, out, keep=1)
        names.append((out / "current").resolve().name)
    assert OutFolder(out).release_names() == names[1:]
    publish([ONE], out, keep=0)
    assert OutFolder(out).release_names() == [(out / "current").resolve().name]


def test_keep_counts_the_earlier_releases_of_a_relative_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """OUT as the README gives it (relative): --keep N keeps N releases before the current
    one, and --keep 0 keeps the current one."""
    monkeypatch.chdir(tmp_path)
    for version in ("1", "2", "3", "4"):
        previous = ["--previous", "k"] if version != "1" else []
        command = ["publish", str(EXAMPLES), "--out", "k", "--release", version, *previous]
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
    assert OutFolder(Path("k")).release_names() == ["2", "3", "4"]
    result = runner.invoke(
        main,
        [
            "publish",
            str(EXAMPLES),
            "--out",
            "k",
            "--release",
            "5",
            "--previous",
            "k",
            "--keep",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert OutFolder(Path("k")).release_names() == ["5"]
    assert Path("k/current").resolve() == tmp_path / "k" / "releases" / "5"
    whole_release(Path("k"))


def test_a_version_names_its_folder_and_is_never_rewritten(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "out"
    first = runner.invoke(main, ["publish", str(ONE), "--out", str(out), "--release", "2025.1"])
    assert first.exit_code == 0, first.output
    assert (out / "current").resolve() == out / "releases" / "2025.1"
    before = whole_release(out)
    again = runner.invoke(main, ["publish", str(TWO), "--out", str(out), "--release", "2025.1"])
    assert again.exit_code == 2
    assert again.stderr == (
        f"error: --release 2025.1: {out / 'releases' / '2025.1'} exists already; a published "
        "version is never rewritten: choose a new version\n"
    )
    bad = runner.invoke(main, ["publish", str(TWO), "--out", str(out), "--release", "../x"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "error: --release: a version is 1 to 64 letters, digits and '.', '_', '-', "
        "starting with a letter or digit, not ending in '.', without '..': '../x'\n"
    )
    # Semantic versioning's build metadata names no folder of the site: refused.
    plus = runner.invoke(main, ["publish", str(TWO), "--out", str(out), "--release", "2.0+1"])
    assert plus.exit_code == 2
    assert plus.stderr == (
        "error: --release: a version is 1 to 64 letters, digits and '.', '_', '-', "
        "starting with a letter or digit, not ending in '.', without '..': '2.0+1'\n"
    )
    # A trailing "." is dropped from a folder's name by Windows and SMB hosts.
    for version in ("5.", "5..6"):
        odd = runner.invoke(main, ["publish", str(TWO), "--out", str(out), "--release", version])
        assert odd.exit_code == 2
        assert odd.stderr.endswith(f"without '..': {version!r}\n")
    # The link to the newest release: a version so named would stay "current" once replaced.
    link = runner.invoke(main, ["publish", str(TWO), "--out", str(out), "--release", "current"])
    assert link.exit_code == 2
    assert link.stderr == (
        "error: --release: 'current' is the name of the link to the newest release "
        "(OUT/current), not a version: choose another\n"
    )
    assert whole_release(out) == before
    assert temporaries(out) == []


def test_a_run_removes_the_temporaries_of_dead_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([ONE], out)
    (out / "releases" / ".nualod-staging-999999-abc").mkdir()
    (out / "releases" / ".nualod-staging-999999-abc" / "nualod.nq").write_bytes(b"x" * 1000)
    (out / ".nualod-link-999999-current").symlink_to("releases/nowhere")
    (out / ".nualod.ttl.x1y2.part").write_bytes(b"half")  # an older nualod's temporary
    (out / ".store.x1y2.part").mkdir()
    (out / ".site.x1y2.part").write_bytes(b"not ours")  # another command's: left alone
    publish([TWO], out)
    assert temporaries(out) == [".site.x1y2.part"]


def test_the_second_of_two_concurrent_publishes_is_refused_and_none_corrupts(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    refused = 0
    for pair in range(60):
        inputs = [str(ONE)] if pair % 2 else [str(ONE), str(TWO)]
        runs = [cli(["publish", *inputs, "--out", str(out), "--keep", "1"]) for _ in range(2)]
        outcomes = [(run.wait(120), run.communicate()) for run in runs]
        for code, (_, stderr) in outcomes:
            if code == 2:
                match = LOCKED.fullmatch(stderr)
                assert match is not None, stderr
                assert match["out"] == str(out)
                refused += 1
            else:
                assert code == 0, stderr
        assert sorted(code for code, _ in outcomes) != [2, 2]
        whole_release(out)
        assert temporaries(out) == []
    assert refused > 0  # the runs did overlap


def _publish_killed_at(out: Path, inputs: list[str], point: int) -> int:
    run = cli(["publish", *inputs, "--out", str(out)], env={KILL_AT_VARIABLE: str(point)})
    code = run.wait(120)
    run.communicate()
    return code


def _practices(out: Path) -> int:
    """Return how many practices the release OUT shows has (the old one 1, the new one 2)."""
    typed = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/nualod/def#GoodPractice>"
    return (out / "nualod.nq").read_bytes().count(typed)


def test_kill_9_anywhere_in_the_commit_leaves_the_old_or_the_new_release_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    new_inputs = [str(ONE), str(TWO)]
    publish([ONE], out)
    whole_release(out)
    seen = {1: 0, 2: 0}  # kills that left the old release (1 practice) or the new one (2)

    def check() -> None:
        whole_release(out)
        seen[_practices(out)] += 1
        if _practices(out) == 2:  # back to the old one for the next kill
            publish([ONE], out)

    kills = 0
    point = 1
    # Every checkpoint of the run, from the first batch to the last step of the commit.
    while (code := _publish_killed_at(out, new_inputs, point)) == -signal.SIGKILL:
        kills += 1
        check()
        point += 1
    assert code == 0
    assert point - 1 >= 20  # checkpoints passed
    # The rest at moments spread over a whole run's time.
    publish([ONE], out)
    started = time.monotonic()
    publish([ONE, TWO], out)
    duration = time.monotonic() - started
    publish([ONE], out)
    timed = 50 - kills
    for index in range(timed):
        run = cli(["publish", *new_inputs, "--out", str(out)])
        time.sleep(duration * (index + 1) / (timed + 1))
        run.send_signal(signal.SIGKILL)
        run.wait(120)
        run.communicate()
        kills += 1
        check()
    assert kills == 50
    assert seen[1] > 0 and seen[2] > 0
    publish([ONE], out)
    assert temporaries(out) == []  # the dead runs' staging folders and links are gone


def test_sigterm_cleans_up_and_keeps_the_previous_release(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([ONE], out)
    before = whole_release(out)
    run = cli(["publish", str(EXAMPLES), "--out", str(out)])
    stderr = terminated_when(
        run,
        lambda: any(p.name.startswith(".nualod-staging") for p in (out / "releases").iterdir()),
    )
    assert stderr == f"error: stopped by SIGTERM; {out} was left as it was\n"
    assert whole_release(out) == before
    assert temporaries(out) == []


def test_a_stop_just_after_the_staging_folder_is_made_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGTERM lands between bytecodes: after ``new_staging`` made the folder and before
    the caller holds its path, the folder is still found (by the process id) and deleted."""
    out = tmp_path / "out"
    publish([ONE], out)
    before = whole_release(out)
    made = OutFolder.new_staging

    def made_then_stopped(self: OutFolder) -> Path:
        made(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(OutFolder, "new_staging", made_then_stopped)
    with pytest.raises(KeyboardInterrupt):
        publish([EXAMPLES], out)
    assert whole_release(out) == before
    assert temporaries(out) == []


def _stopped_after_the_switch(stop: type[BaseException]) -> object:
    def prune(self: OutFolder, keep: int) -> None:
        raise stop

    return prune


@pytest.mark.parametrize("stop", [Terminated, KeyboardInterrupt])
def test_a_stop_once_the_new_release_is_current_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]
) -> None:
    """A stop after ``current`` was switched (here while old releases are pruned) said
    "out was left as it was", exit 143, while the new release was the one served."""
    out = tmp_path / "out"
    publish([ONE], out, version="1")
    monkeypatch.setattr(OutFolder, "prune", _stopped_after_the_switch(stop))
    with pytest.raises(stop) as raised:
        publish([EXAMPLES], out, version="2", previous=out)
    assert str(raised.value) == (
        f"{out} holds the new release (2); the next publish finishes tidying it"
    )
    assert (out / "current").readlink() == Path("releases/2")
    outcome = CliRunner().invoke(
        main,
        ["publish", str(EXAMPLES), "--out", str(out), "--release", "3", "--previous", str(out)],
    )
    how = "stopped by SIGTERM" if stop is Terminated else "interrupted (Ctrl-C)"
    assert (outcome.exit_code, outcome.stderr) == (
        143 if stop is Terminated else 130,
        f"error: {how}; {out} holds the new release (3); the next publish finishes tidying it\n",
    )
    monkeypatch.undo()
    publish([EXAMPLES], out, version="4", previous=out)
    assert temporaries(out) == []


def test_a_stop_in_a_deferred_step_is_acted_on_when_the_step_is_done() -> None:
    # Python's own Ctrl-C handler, whatever this process was started with (a background job
    # of a shell script starts with SIGINT ignored, and then a stop is rightly ignored too).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _stop_in_a_deferred_step()
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_in_a_deferred_step() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt):
        with stops_deferred():
            signal.raise_signal(signal.SIGINT)
            done.append("switched")
        done.append("not reached")
    assert done == ["switched"]


def _limit_file_size() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


def test_a_file_size_limit_is_one_line_exit_2_and_the_previous_release_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    publish([ONE], out)
    before = whole_release(out)
    run = cli(["publish", str(TWO), "--out", str(out)], preexec_fn=_limit_file_size)
    code = run.wait(120)
    _, stderr = run.communicate()
    assert code == 2
    assert stderr == (
        f"error: {out / 'nualod.nq'}: cannot write: File too large (EFBIG); "
        f"{out} was left as it was\n"
    )
    assert whole_release(out) == before
    assert temporaries(out) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> object:
    """Mount a 24 MB tmpfs (needs root and mount(2); skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_is_one_line_exit_2_and_the_previous_release_whole(
    small_disk: Path,
) -> None:
    out = small_disk / "out"
    publish([ONE], out)
    before = whole_release(out)
    # Leave 600 kB: less than any dump of a new release needs.
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 600_000))
    run = cli(["publish", str(TWO), "--out", str(out)])
    code = run.wait(120)
    _, stderr = run.communicate()
    assert code == 2
    assert re.fullmatch(
        re.escape(f"error: {out}/")
        + r"nualod\.(ttl|nt|nq|jsonld): cannot write: No space left on device \(ENOSPC\); "
        + re.escape(f"{out} was left as it was\n"),
        stderr,
    ), stderr
    assert whole_release(out) == before
    assert temporaries(out) == []


def _rss_kib(pid: int) -> int:
    """Return the resident memory of a process and its descendants, in KiB (Linux)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        # A process or thread may end between being listed and being read: it holds nothing.
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            status = Path(f"/proc/{current}/status").read_text(encoding="utf-8")
            total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    pending += [int(c) for c in (task / "children").read_text().split()]
    return total


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.slow
def test_publishing_into_a_served_folder_keeps_the_server_answering(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([ONE], out)
    served_release = (out / "current").resolve()
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with Server(command, port) as served:
        before = sparql_select(served.url, COUNT_ALL)
        memory = _rss_kib(served.process.pid)
        # More releases than are kept: the one the server holds is kept all the same.
        for inputs in ([ONE, TWO], [TWO], [EXAMPLES]):
            publish(inputs, out, keep=0)
            started = time.monotonic()
            with requests.post(
                served.url + "/query",
                data={"query": COUNT_ALL},
                headers={"Accept": "application/sparql-results+json"},
                timeout=5,  # the bound: the old or the new release within 5 s
            ) as response:
                response.raise_for_status()
            assert time.monotonic() - started < 5
            assert sparql_select(served.url, COUNT_ALL) == before  # the release it started on
        assert served_release.is_dir()
        # Oldest first (the served one): by time, so compared as sets of names.
        assert sorted(OutFolder(out).release_names()) == sorted(
            [served_release.name, (out / "current").resolve().name]
        )
        assert _rss_kib(served.process.pid) < memory + 100 * 1024
    # Once stopped, the next publish prunes it, and a new server answers the new release.
    publish([EXAMPLES], out, keep=0)
    assert not served_release.exists()
    with Server(command, port) as served:
        assert sparql_select(served.url, COUNT_ALL) != before
