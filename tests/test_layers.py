"""The package layout is a contract: stages import only the model and earlier stages, no cycles."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parent.parent


def _lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contract over the ``nualod`` package in ``folder``."""
    script = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", script, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contract_holds() -> None:
    linted = _lint_imports(ROOT)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "1 kept, 0 broken" in linted.stdout


def test_the_layer_contract_fails_on_a_backwards_import(tmp_path: Path) -> None:
    copy = tmp_path / "nualod"
    shutil.copytree(ROOT / "nualod", copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    records = copy / "model" / "records.py"
    records.write_text(records.read_text() + "\nfrom nualod.run.publish import publish\n")
    linted = _lint_imports(tmp_path)
    assert linted.returncode == 1
    assert "nualod.model is not allowed to import nualod.run" in linted.stdout


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("nualod", exclude_type_checking_imports=True, cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" -> ".join((module, *back)))
    assert cycles == []


def test_importing_a_stage_module_does_not_import_pyshacl_or_rdflib() -> None:
    probe = (
        "import sys, nualod.read.dates, nualod.model.records; "
        "print(sorted(m for m in ('pyshacl', 'rdflib', 'nualod.run.publish') if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"
