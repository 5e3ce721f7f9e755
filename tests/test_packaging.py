"""What ships: every vocabulary, shape and data file parses, and the built wheel carries them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nualod"
SHIPPED = sorted(
    p.relative_to(ROOT).as_posix()
    for folder in ("shapes", "vocab", "data", "figures", "site")
    for p in (PACKAGE / folder).rglob("*")
    if p.is_file()
    and p.suffix in {".ttl", ".jsonld", ".csv", ".md", ".txt"}
    and "__pycache__" not in p.parts
)


def _refuse(url: str, options: object = None) -> object:
    raise AssertionError(f"tried to load {url}")


@pytest.mark.parametrize("relative", [p for p in SHIPPED if p.endswith(".ttl")])
def test_every_shipped_turtle_file_parses(relative: str) -> None:
    text = (ROOT / relative).read_text(encoding="utf-8")
    assert len(rdflib.Graph().parse(data=text, format="turtle")) > 0
    assert len(list(ox.parse(text, format=ox.RdfFormat.TURTLE))) > 0


@pytest.mark.parametrize("relative", [p for p in SHIPPED if p.endswith(".jsonld")])
def test_every_shipped_jsonld_file_parses(relative: str) -> None:
    document = json.loads((ROOT / relative).read_text(encoding="utf-8"))
    jsonld.expand(document, {"documentLoader": _refuse})


def test_top_level_shapes_and_vocab_are_the_packaged_ones() -> None:
    assert (ROOT / "shapes").resolve() == PACKAGE / "shapes"
    assert (ROOT / "vocab").resolve() == PACKAGE / "vocab"


@pytest.mark.slow
def test_built_wheel_contains_the_data_files(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("nualod-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [p for p in SHIPPED if p not in names]
    assert not missing
    assert "nualod/py.typed" in names
