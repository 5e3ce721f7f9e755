"""No process of nualod forks while it runs another thread (tests/fork_probe.py says why)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES_NOTE

PROBE = Path(__file__).resolve().parent / "fork_probe.py"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="counts threads in /proc"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROBE), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_publishing_releases_and_their_site_forks_no_thread(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _run("publish", str(EXAMPLES), "--out", str(out), "--release", "1", "--workers", "2")
    assert (first.returncode, first.stderr) == (0, EXAMPLES_NOTE)
    second = _run(
        "publish", str(EXAMPLES), "--out", str(out), "--release", "2", "--previous", str(out),
        "--workers", "2",
    )  # fmt: skip
    assert (second.returncode, second.stderr) == (0, EXAMPLES_NOTE)
    assert "4 unchanged page(s) taken from the previous release's work" in second.stdout
    site = _run("site", str(out), "--workers", "2")
    assert (site.returncode, site.stderr) == (0, "")
    assert (out / "site" / "search").is_dir()  # its merge ran beside the other pages


def test_publishing_with_its_site_forks_no_thread(tmp_path: Path) -> None:
    """The site's workers are forked by the process that built the release: its store was
    built in a process of its own, so no RocksDB thread runs in it."""
    out = tmp_path / "out"
    for release, previous in (("1", []), ("2", ["--previous", str(out)])):
        done = _run(
            "publish", str(EXAMPLES), "--out", str(out), "--release", release, *previous,
            "--workers", "2", "--site", "http://127.0.0.1:8000/",
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, EXAMPLES_NOTE)
        assert "wrote " + str(out / "site") + ": 4 practice(s)" in done.stdout


def test_the_probe_sees_a_fork_with_a_thread_running(tmp_path: Path) -> None:
    """What the test above relies on: a fork while a thread runs ends the run, code 99."""
    script = tmp_path / "threaded.py"
    script.write_text(
        "import runpy, sys, threading, time\n"
        "threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
        f"sys.argv = [{str(PROBE)!r}, 'publish', {str(EXAMPLES)!r}, '--out', "
        f"{str(tmp_path / 'out')!r}, '--workers', '2']\n"
        f"runpy.run_path({str(PROBE)!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, timeout=600
    )
    assert (done.returncode, done.stderr) == (99, "fork_probe: a fork with 2 threads running\n")
