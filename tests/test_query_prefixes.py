"""``nualod query`` predeclares every namespace prefix the data's JSON-LD context names."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nualod.cli import main
from nualod.run.publish import PublishResult
from nualod.serve.sparql import QUERY_PREFIXES

CONTEXT = Path(__file__).resolve().parent.parent / "nualod" / "vocab" / "context.jsonld"


def test_every_namespace_of_the_context_is_predeclared() -> None:
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    namespaces = {
        name: value
        for name, value in context.items()
        if isinstance(value, str) and value.endswith(("#", "/"))
    }
    assert namespaces["sdgo"] == "http://metadata.un.org/sdg/ontology#"
    assert {name: QUERY_PREFIXES.get(name) for name in namespaces} == namespaces
    assert QUERY_PREFIXES["rdf"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def test_a_query_uses_sdgo_without_declaring_it(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    out, _ = published_examples
    result = runner.invoke(
        main,
        ["query", str(out), "SELECT (COUNT(*) AS ?n) WHERE { ?g a sdgo:Goal }", "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "17"]
