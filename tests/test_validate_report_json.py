"""The JSON report's groups are written by hand, as ``json.dumps`` would write them.

:func:`nualod.validate.report._group_text` writes a group of the report without
``json.dumps`` (whose encoder runs in Python when it indents); the report's text must stay
what ``json.dumps(..., ensure_ascii=False, indent=2, sort_keys=True)`` gives, character for
character, for any group: strings with quotes, backslashes, control characters, line
separators and non-ASCII letters, missing values, empty lists, messages in no language and
in one language twice.
"""

from __future__ import annotations

import json
import random

import pytest

from nualod.validate.report import _group_json, _group_text, report_json_pieces, report_json_text
from nualod.validate.shacl import FocusNode, ValidationReport, ValidationResult

AWKWARD = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\u2028", "é", "😀", " ", "a", "/", "'"]


def _text(chance: random.Random) -> str:
    return "".join(chance.choice(AWKWARD) for _ in range(chance.randrange(0, 8)))


def _maybe(chance: random.Random) -> str | None:
    return None if chance.random() < 0.3 else _text(chance)


def _result(chance: random.Random, focus: str) -> ValidationResult:
    messages = tuple(
        (chance.choice(["", "en", "id", "en"]), _text(chance)) for _ in range(chance.randrange(3))
    )
    return ValidationResult(
        focus,
        _maybe(chance),
        chance.choice(["Violation", "Warning", "Info"]),
        _text(chance),
        _maybe(chance),
        _maybe(chance),
        _maybe(chance),
        chance.choice([None, "iri", "literal", "blank"]),
        messages,
    )


def _group(chance: random.Random) -> tuple[FocusNode, list[ValidationResult]]:
    node = FocusNode(
        _text(chance) or "x",
        chance.choice(["practice", "city", "node"]),
        _maybe(chance),
        _maybe(chance),
        tuple(_text(chance) for _ in range(chance.randrange(3))),
    )
    return node, [_result(chance, node.iri) for _ in range(chance.randrange(3))]


@pytest.mark.parametrize("seed", range(300))
def test_a_group_is_written_as_json_dumps_writes_it(seed: int) -> None:
    node, results = _group(random.Random(seed))
    expected = json.dumps(_group_json(node, results), ensure_ascii=False, indent=2, sort_keys=True)
    assert _group_text(node, results) == expected.replace("\n", "\n    ")


def test_the_report_in_pieces_is_the_report_as_one_text() -> None:
    chance = random.Random(7)
    groups = [_group(chance) for _ in range(2500)]  # in three pieces
    results = tuple(r for _, found in groups for r in found)
    report = ValidationReport(results, tuple(node for node, _ in groups), engine="fast")
    assert report.groups(), "the report has groups to write"
    pieces = "".join(report_json_pieces(report, ["a.nq"]))
    assert pieces == report_json_text(report, ["a.nq"])
    json.loads(pieces)
