"""Shared fixtures: the bundled examples, the real NUF sample (when ../shared is there), a CLI
runner, a published folder of one versioned release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from system_tools import ARGS, CHROMIUM, required

from nualod.cli import main
from nualod.run.publish import PublishResult, publish

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"
SHARED = ROOT.parent / "shared"
SHARED_SAMPLE = SHARED / "samples" / "000_a4ac3e24334e8cc5.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: What publishing the bundled examples notes on stderr: three of their indicators take
#: their English names and alignments from UN-Habitat's numbering.
EXAMPLES_NOTE = (
    "note: indicators 1, 12, 19: their English names and SDG and UNESCO alignments come from "
    "UN-Habitat's draft list, whose numbering the NUF's is inferred to follow, not known to: "
    "check them against the names the pages give (nualod/vocab/alignments.csv)\n"
)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """Return the folder of bundled example pages."""
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_sample() -> Path:
    """Return the real NUF page from ../shared/samples, or skip where ../shared is absent."""
    if not SHARED_SAMPLE.is_file():
        pytest.skip("../shared is not present")
    return SHARED_SAMPLE


@pytest.fixture(scope="session")
def published_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PublishResult]:
    """Publish the bundled examples once per test session; return the folder and the result."""
    out = tmp_path_factory.mktemp("published-examples")
    return out, publish([EXAMPLES], out)


@pytest.fixture
def runner() -> CliRunner:
    """Return a click test runner."""
    return CliRunner()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder with one release, ``1``, of a fixture page (Surakarta, theme 10)."""
    folder = tmp_path_factory.mktemp("release")
    page = folder / "page.txt"
    page.write_text(
        (FIXTURES / "pages" / "surakarta-tema10-indikator47.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(
        main, ["publish", str(page), "--out", str(folder / "out"), "--release", "1"]
    )
    assert outcome.exit_code == 0, outcome.output
    return folder / "out"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium (Debian's, through Playwright) for a module's tests; each test opens
    pages of its own, a browser context each."""
    from playwright.sync_api import sync_playwright

    required(CHROMIUM, "chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
