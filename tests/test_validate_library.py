"""``nualod.validate_files`` as a Python program calls it: the paths it takes, the options it
refuses, and workers that never run the caller's script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nualod.errors import UsageError
from nualod.run.publish import publish
from nualod.validate.stream import validate_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("validate-library") / "out"
    publish([EXAMPLES], out)
    return out / "nualod.nt"


def test_one_path_a_string_or_a_generator_is_taken_as_publish_takes_them(dump: Path) -> None:
    for paths in (dump, str(dump), [str(dump)], (p for p in [dump])):
        assert validate_files(paths).conforms  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "bogus"}, "engine: 'bogus' is not one of fast, pyshacl"),
        ({"route": "bogus"}, "route: 'bogus' is not one of auto, store"),
        ({"workers": 0}, "workers: 0 is not a number of processes (1 or more)"),
        ({"workers": -5}, "workers: -5 is not a number of processes (1 or more)"),
    ],
)
def test_an_option_it_does_not_know_is_refused(
    dump: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError) as raised:
        validate_files([dump], **options)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.slow
def test_workers_do_not_run_a_script_without_a_main_guard(dump: Path, tmp_path: Path) -> None:
    """A spawned worker imports the parent's main script first: one without
    ``if __name__ == "__main__":`` ran again in every worker, each starting workers of its
    own, for ever (a reviewer's script: its body 78 times, 152 tracebacks in 90 s)."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\n"
        "import nualod\n"
        "print('body', flush=True)\n"
        "for route in ('auto', 'store'):\n"
        f"    report = nualod.validate_files([Path({str(dump)!r})], workers=2, route=route)\n"
        "    print(route, report.conforms, flush=True)\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "body\nauto True\nstore True\n", "")


def test_script_hiding_windows_of_several_threads_put_the_script_back() -> None:
    """Two windows that overlapped each put back the other's stand-in (a reviewer's four
    threads validating at once left the program without its script as __main__)."""
    import threading
    import time

    from nualod.files.pool import caller_script_hidden

    script = sys.modules["__main__"]

    def window() -> None:
        with caller_script_hidden():
            time.sleep(0.01)

    threads = [threading.Thread(target=window) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sys.modules["__main__"] is script
