"""A stop: a terminal's Ctrl-C or a SIGTERM, sent to nualod's whole process group, and
SIGTERM to any command: one line, its exit code, every worker ended, nothing half-written."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
EXAMPLES = TESTS.parent / "examples" / "pages"

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="looks for processes in /proc"
)


STOP_PROBE = TESTS / "stop_probe.py"


def _stopped(*args: str) -> tuple[int, str, list[int]]:
    """Run ``tests/stop_probe.py ARGS`` in a process group of its own; return its exit code,
    its standard error and the processes of its group still there a few seconds after it
    ended (its workers, if it left any)."""
    with subprocess.Popen(
        [sys.executable, str(STOP_PROBE), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, process_group=0,
    ) as run:  # fmt: skip
        _, stderr = run.communicate(timeout=120)
    for _ in range(50):
        left = [pid for pid in _processes() if _group(pid) == run.pid]
        if not left:
            break
        time.sleep(0.1)
    return run.returncode, stderr, left


def _processes() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_stop_sent_to_a_publishs_process_group_is_one_line_and_ends_every_worker(
    tmp_path: Path, signal_name: str
) -> None:
    """A terminal's Ctrl-C reaches the workers too: each printed its own traceback. A
    SIGTERM to the group (``timeout``, systemd) killed a worker that held its queue's lock,
    and the run hung for ever stopping its pool."""
    out = tmp_path / "out"
    stopped = _stopped(
        signal_name, "publish", str(EXAMPLES), "--out", str(out), "--release", "1",
        "--workers", "2",
    )  # fmt: skip
    stop = "interrupted (Ctrl-C)" if signal_name == "SIGINT" else "stopped by SIGTERM"
    said = f"error: {stop}; {out} was left as it was\n"
    assert stopped == (130 if signal_name == "SIGINT" else 143, said, [])
    assert not out.exists()


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_stop_sent_to_a_site_builds_process_group_is_one_line_and_ends_every_worker(
    tmp_path: Path, signal_name: str
) -> None:
    out = tmp_path / "out"
    published = subprocess.run(
        [sys.executable, "-m", "nualod", "publish", str(EXAMPLES), "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert published.returncode == 0, published.stderr
    code, stderr, left = _stopped(signal_name, "site", str(out), "--workers", "2")
    assert (code, left) == (130 if signal_name == "SIGINT" else 143, [])
    # Deleting a large site's files is slow: the next build deletes them, and the line says
    # so (after a Ctrl-C, only a terminal showed it, as a step).
    stop = "interrupted (Ctrl-C)" if signal_name == "SIGINT" else "stopped by SIGTERM"
    said = re.fullmatch(
        f"error: {re.escape(stop)}; {re.escape(str(out / 'site'))} was left as it was; "
        r"the next `nualod site` deletes (\.site\.[a-z0-9_]+\.part)\n",
        stderr,
    )
    assert said, stderr
    assert not (out / "site").exists()
    assert (out / said[1]).is_dir()


@pytest.mark.parametrize("command", ["publish", "site"])
def test_a_run_killed_outright_takes_its_workers_with_it_quietly(
    tmp_path: Path, command: str
) -> None:
    """SIGKILL to the run alone (the OOM killer): each worker printed a BrokenPipeError
    traceback for the result it could no longer send."""
    out = tmp_path / "out"
    if command == "site":
        published = subprocess.run(
            [sys.executable, "-m", "nualod", "publish", str(EXAMPLES), "--out", str(out)],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert published.returncode == 0, published.stderr
        args: tuple[str, ...] = ("site", str(out), "--workers", "2")
    else:
        args = ("publish", str(EXAMPLES), "--out", str(out), "--release", "1", "--workers", "2")
    assert _stopped("parent:SIGKILL", *args) == (-9, "", [])


def test_a_command_stopped_by_sigterm_says_so_and_cleans_up(tmp_path: Path) -> None:
    """Any command, not only those that say what they leave: a validation's temporary
    store goes as it does on Ctrl-C (killed outright, it stayed in the temporary folder)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("a", "b"):  # two files: validated through the on-disk store
        (data / f"{name}.ttl").write_text(
            f"<https://example.org/{name}> a <https://example.org/Thing> .\n", encoding="utf-8"
        )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = (
        "import os, signal, sys\n"
        "from nualod.validate import stream\n"
        "load = stream.load_store\n"
        "def loading(*args):\n"
        "    load(*args)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "stream.load_store = loading\n"
        "from nualod.cli import main\n"
        "main(sys.argv[1:], prog_name='nualod')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "validate", str(data / "a.ttl"), str(data / "b.ttl")],
        capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "TMPDIR": str(temporary)},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (143, "error: stopped by SIGTERM\n")
    assert list(temporary.iterdir()) == []


# A stop sent to the publish itself at two moments after its work: as it says
# ``published …``, and while the interpreter ends (an exit handler stands for the seconds
# a million practices' objects take to free).
def _stop_at(line: str) -> str:
    """Return the start of a script that sends itself SIGTERM as it says ``line``."""
    return (
        "import click, os, signal\n"
        "echo = click.echo\n"
        "def saying(message=None, *args, **kwargs):\n"
        f"    if str(message).startswith({line!r}):\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    echo(message, *args, **kwargs)\n"
        "click.echo = saying\n"
    )


_AFTER_THE_WORK = {
    "noting": _stop_at("note:"),
    "saying": _stop_at("published"),
    "ending": (
        "import atexit, os, signal, time\n"
        "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(1)))\n"
    ),
}


def _publish_stopped(
    stopping: str, out: Path, *options: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Publish the examples into ``out`` as the ``nualod`` program does, in a process that
    ``stopping`` (a script's start) sends a stop; return it and what it said on stderr
    but its notes."""
    script = stopping + (
        "import sys\n"
        "from nualod.cli import command_line\n"
        "sys.argv[1:] = ['publish', sys.argv[1], '--out', sys.argv[2], *sys.argv[3:]]\n"
        "command_line()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLES), str(out), *options],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    return done, [line for line in done.stderr.splitlines() if not line.startswith("note: ")]


@pytest.mark.parametrize("moment", sorted(_AFTER_THE_WORK))
def test_a_stop_after_the_release_is_current_and_said_leaves_the_exit_code_alone(
    tmp_path: Path, moment: str
) -> None:
    """It was killed silently with SIGTERM's code, or said ``stopped by SIGTERM`` before or
    after ``published …``: a script then took a published release for a failed run."""
    out = tmp_path / "out"
    done, said = _publish_stopped(_AFTER_THE_WORK[moment], out)
    assert (done.returncode, said) == (0, [])
    assert done.stdout.startswith(f"published 4 practice(s) to {out} (")
    assert (out / "current").is_symlink()


def test_a_stop_before_the_site_of_a_new_release_says_the_release_is_in_place(
    tmp_path: Path,
) -> None:
    """With --site the site is still to build: a stop still stops, and says what is there
    (it said "stopped by SIGTERM" alone, as if nothing had been published)."""
    out = tmp_path / "out"
    site = ["--release", "1", "--site", "https://example.org/nualod/"]
    done, said = _publish_stopped(_stop_at("published"), out, *site)
    assert (done.returncode, said) == (
        143, [f"error: stopped by SIGTERM; {out} holds the new release (1)"]
    )  # fmt: skip
    assert (out / "current").resolve() == (out / "releases" / "1").resolve()
    assert not (out / "site").exists()


def test_a_command_run_by_a_program_leaves_its_stop_handlers_alone(tmp_path: Path) -> None:
    """Only the ``nualod`` program ignores the stops after its work: a program (a test)
    that calls :func:`nualod.cli.main` keeps its own Ctrl-C."""
    from click.testing import CliRunner

    from nualod.cli import main

    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    outcome = CliRunner().invoke(main, ["publish", str(EXAMPLES), "--out", str(tmp_path / "o")])
    assert outcome.exit_code == 0, outcome.output
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
