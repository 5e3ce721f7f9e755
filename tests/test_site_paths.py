"""The stems of site files: the rewrite rules and the safe-path check give what the plain
``re.sub`` and per-segment forms they replaced give, on any path."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nualod.site import paths
from nualod.site.paths import REWRITE_RULES, _Rule, apply_rewrite_rules

_PLAIN = re.compile(r"^[A-Za-z0-9_.-]+$")


def _sub_rules(path: str, rules: tuple[tuple[str, str], ...] = REWRITE_RULES) -> str:
    for pattern, replacement in rules:
        if re.match(pattern, path):
            return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", replacement), path)
    return path


def _safe_by_segment(path: str) -> bool:
    # \Z where the old check had $: a segment that ends in a newline is not plain.
    return all(
        s not in ("", ".", "..") and _PLAIN.match(s) and "\n" not in s for s in path.split("/")
    )


_PIECES = st.sampled_from(
    [
        "id",
        "practice",
        "region",
        "/",
        ".",
        "..",
        "-",
        "db3",
        "e92285381d2f3",
        "01-1-35.10",
        "0123456789abcdef",
        "a",
        "?",
        "#",
        " ",
        "\n",
        "é",
        "{",
        "}",
        "$1",
    ]
)
_PATHS = st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=40)


@settings(derandomize=True, max_examples=1000)
@given(_PATHS)
def test_the_rewrite_rules_give_what_re_sub_gives(path: str) -> None:
    assert apply_rewrite_rules(path) == _sub_rules(path)
    assert apply_rewrite_rules(f"id/practice/{path}") == _sub_rules(f"id/practice/{path}")


@settings(derandomize=True, max_examples=1000)
@given(_PATHS)
def test_a_safe_path_is_plain_segments_none_a_dot_or_two(path: str) -> None:
    assert paths._safe(path) == _safe_by_segment(path)


def test_rules_with_a_whole_match_a_backslash_or_braces_are_applied_as_re_sub_applies_them() -> (
    None
):
    rules = (
        ("^x/(a)(b)?$", "y/$2{$1}"),
        ("^w/(a)$", "$0/$1"),
        ("(b)", "c$1"),
        ("^v/(a)$", r"v\\$1"),
    )
    compiled = tuple(_Rule.of(p, r) for p, r in rules)
    assert [rule.template is not None for rule in compiled] == [True, False, False, False]
    for path in ("x/a", "x/ab", "w/a", "abba", "v/a", "x/a\n", "y"):
        assert apply_rewrite_rules(path, compiled) == _sub_rules(path, rules), path
