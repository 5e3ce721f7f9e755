"""`nualod validate --shapes` with a SPARQL-based constraint that uses SERVICE (issue #18
case 17): one line, exit 2, and no request reaches a listener on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hardening_query import Listener

SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ;
  sh:targetNode ex:a ;
  sh:sparql [ sh:select \"\"\"SELECT $this WHERE { %s }\"\"\" ] .
"""


@pytest.fixture
def listener() -> Iterator[Listener]:
    logger = Listener()
    yield logger
    logger.close()


def _validate(tmp_path: Path, constraint: str) -> subprocess.CompletedProcess[str]:
    shapes = tmp_path / "shapes"
    shapes.mkdir(exist_ok=True)
    (shapes / "s.ttl").write_text(SHAPE % constraint, encoding="utf-8")
    data = tmp_path / "data.nt"
    data.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "nualod", "validate", "--shapes", str(shapes), str(data)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "template",
    [
        "SERVICE <URL> { ?s ?p ?o }",
        "service silent <URL> { ?s ?p ?o }",
        "SERVICE#pySHACL's regex wants a space or '<' next\n<URL> { ?s ?p ?o }",
        "FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } }",
    ],
)
def test_a_federated_constraint_is_one_line_and_fetches_nothing(
    tmp_path: Path, listener: Listener, template: str
) -> None:
    result = _validate(tmp_path, template.replace("URL", f"http://127.0.0.1:{listener.port}/x"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {tmp_path / 'shapes'}: a SPARQL-based constraint uses SERVICE (a federated "
        "query), which nualod never runs\n"
    )
    assert listener.connections == 0


def test_a_constraint_pyshacl_refuses_is_one_line(tmp_path: Path) -> None:
    result = _validate(tmp_path, "?s ?p ?o MINUS { ?s ?p 1 }")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: shapes: A SPARQL Constraint must not contain a MINUS clause.\n"


def test_control_characters_in_values_are_shown_escaped(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    data.write_text(
        "<https://w3id.org/nualod/id/practice/x> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/nualod/def#GoodPractice> .\n"
        "<https://w3id.org/nualod/id/practice/x> <http://purl.org/dc/terms/title> "
        '"Kota\\u001B[31mMerah\\u0007" .\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "nualod", "validate", str(data)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == 'practice "Kota\\x1b[31mMerah\\x07"'
    assert not any(char in result.stdout for char in "\x1b\x07")
