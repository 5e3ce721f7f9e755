"""The house style gates run with the tests: ruff (lint and format) and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_ruff_lint_and_format() -> None:
    lint = _run("ruff", "check", "nualod", "tests", "bench", "tools", "examples")
    assert lint.returncode == 0, lint.stdout
    formatted = _run("ruff", "format", "--check", "nualod", "tests", "bench", "tools", "examples")
    assert formatted.returncode == 0, formatted.stdout


@pytest.mark.slow
def test_mypy_strict() -> None:
    typed = _run("mypy", "nualod")
    assert typed.returncode == 0, typed.stdout
