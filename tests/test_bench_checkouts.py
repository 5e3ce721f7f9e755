"""The same-run comparisons (``--against REV``) run each side's own ``nualod``, whatever
folder they are started from: ``python -c`` puts the current folder (the checkout, when
run as ``python -m bench…`` from it) ahead of ``PYTHONPATH``, so until the children were
started with ``-P`` every side ran the checkout's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import releases, site_steps

ROOT = Path(__file__).resolve().parent.parent


def _fake_checkout(root: Path, module: str, body: str) -> Path:
    """Write a checkout whose ``nualod.<module>`` is ``body`` (and nothing else)."""
    *packages, name = ["nualod", *module.split(".")]
    folder = root
    for package in packages:
        folder = folder / package
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / f"{name}.py").write_text(body, encoding="utf-8")
    return root


def test_a_release_comparison_runs_the_other_checkouts_nualod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _fake_checkout(
        tmp_path / "other",
        "cli",
        "import sys\nfrom pathlib import Path\n\n\ndef main():\n"
        "    Path(sys.argv[-1]).write_text(__file__)\n",
    )
    marker = tmp_path / "ran"
    monkeypatch.chdir(ROOT)  # as `python -m bench.releases` is run: from the checkout
    figures = releases.measure([str(marker)], code=other)
    assert figures["code"] == 0
    assert marker.read_text() == str(other / "nualod" / "cli.py")


def test_a_site_step_comparison_runs_the_other_checkouts_nualod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _fake_checkout(
        tmp_path / "other",
        "site.build",
        "from pathlib import Path\n\n\ndef build_site(folder, progress):\n"
        "    progress('splitting')\n"
        "    (folder / 'ran').write_text(__file__)\n",
    )
    published = tmp_path / "published"
    published.mkdir()
    monkeypatch.chdir(ROOT)
    report = site_steps.build(published, tmp_path / "copy", other)
    assert (tmp_path / "copy" / "ran").read_text() == str(other / "nualod" / "site" / "build.py")
    assert list(report["steps"]) == ["splitting", "after the render"]


def test_a_measured_checkout_is_compiled_as_an_installed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ``PYTHONDONTWRITEBYTECODE`` is set, a run would compile every module it imports
    each time: the benchmark compiles the checkout first, as installing a wheel does."""
    checkout = _fake_checkout(tmp_path / "checkout", "run.publish", "def publish():\n    pass\n")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    releases.compile_code(checkout)
    compiled = sorted(p.relative_to(checkout).as_posix() for p in checkout.rglob("*.pyc"))
    assert [name.split(".")[0] for name in compiled] == [
        "nualod/__pycache__/__init__",
        "nualod/run/__pycache__/__init__",
        "nualod/run/__pycache__/publish",
    ]


def test_the_memory_of_a_run_s_processes_is_taken_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The largest process's peak RSS is all ``getrusage`` gives: a run whose worker holds
    as much as it does is seen whole only when its processes are sampled together."""
    holding = "import time; held = bytearray(b'w') * (150 * 2**20); time.sleep(3)"
    other = _fake_checkout(
        tmp_path / "other",
        "cli",
        "import subprocess, sys\n\n\ndef main():\n"
        "    held = bytearray(b'r') * (150 * 2**20)  # written: pages held, not only mapped\n"
        f"    subprocess.run([sys.executable, '-c', {holding!r}], check=True)\n",
    )
    monkeypatch.chdir(ROOT)
    timed = releases.measure([], code=other)
    sampled = releases.measure([], code=other, memory=True)
    assert "peak_total_pss_mib" not in timed
    assert 150 <= timed["peak_rss_mib"] < 250
    assert 300 <= sampled["peak_total_pss_mib"] < 400
