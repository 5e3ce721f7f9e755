"""sssom-py parses and validates alignments.sssom.tsv (in its own venv, .venv-sssom).

Runs when ``CI`` is set or ``NUALOD_PORTAL_TESTS=1``, like the portal clients: sssom-py pulls
pandas, LinkML and Sphinx, so it is installed into ``.venv-sssom`` here when missing, from
``tests/sssom/requirements.txt``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nualod.link.reference import load_alignments
from nualod.run.publish import PublishResult
from nualod.write.sssom import SSSOM_NAME, sssom_tsv

pytestmark = pytest.mark.portals

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-sssom"


@pytest.fixture(scope="session")
def sssom_python() -> Path:
    """Return the python of .venv-sssom, creating the venv when it does not exist."""
    if not (os.environ.get("CI") or os.environ.get("NUALOD_PORTAL_TESTS") == "1"):
        pytest.skip("sssom-py runs with CI set or NUALOD_PORTAL_TESTS=1")
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        requirements = ROOT / "tests" / "sssom" / "requirements.txt"
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(requirements)], check=True
        )
    return python


def _read(python: Path, path: Path) -> Any:
    done = subprocess.run(
        [str(python), str(ROOT / "tests" / "sssom" / "read_sssom.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sssom_py_parses_and_validates_the_alignments(
    sssom_python: Path, published_examples: tuple[Path, PublishResult]
) -> None:
    read = _read(sssom_python, published_examples[0] / SSSOM_NAME)
    assert read["problems"] == []
    assert read["mapping_set_id"] == "https://w3id.org/nualod/code/alignments.sssom.tsv"
    assert read["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    rows = read["rows"]
    assert len(rows) == len(load_alignments()) == 75
    (first,) = [r for r in rows if (r["subject_id"], r["object_id"]) == ("nuatheme:01", "sdg:1")]
    assert first["predicate_id"] == "skos:closeMatch"
    assert first["mapping_justification"] == "semapv:ManualMappingCuration"
    assert first["author_id"] == "nualodagent:nualod" and first["mapping_date"] == "2026-11-27"
    assert first["confidence"] == 0.9
    assert "| id: Tema 01 menyatakan kembali SDG 1" in first["comment"]


def test_a_broken_mapping_set_is_refused(sssom_python: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sssom.tsv"
    # A prefix the rows use, missing from the curie map.
    broken.write_text(sssom_tsv().replace("#   unesco: ", "#   unescox: "), encoding="utf-8")
    done = subprocess.run(
        [str(sssom_python), str(ROOT / "tests" / "sssom" / "read_sssom.py"), str(broken)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode != 0
