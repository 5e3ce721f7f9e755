"""Hostile HTML (issue #18 case 6, issue #16's hidden elements): read in linear time, hidden
parts skipped whole however they nest, markup nested too deep refused with one line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nualod.read.htmltext import MAX_DEPTH, MarkupTooDeepError, html_to_text, nests_deeper_than
from nualod.read.inputs import read_file

#: bench/hardening.py measured 5 MB of "<p b='" at 2.4 s (60 KB took 64 s with html.parser,
#: 3,760 times the time Lexbor takes for it) and 5 MB of blocks nested 512 deep at 4.5 s.
#: The bounds are ten times those, so they catch the quadratic case coming back and never a
#: slow machine.
UNCLOSED_ATTRIBUTE_BOUND = 25.0
NESTED_BLOCKS_BOUND = 45.0


@pytest.mark.parametrize("attribute", ["hidden", "aria-hidden='true'", 'aria-hidden="true"'])
def test_a_hidden_element_is_skipped_with_its_nested_children(attribute: str) -> None:
    html = f"<div {attribute}><div>a</div>secret</div><p>shown</p>"
    assert html_to_text(html) == "shown"


def test_hidden_elements_nested_in_hidden_ones_and_after_them() -> None:
    html = (
        "<section><p>one</p><div hidden><section><div>x</div><div hidden>y</div>z</section>"
        "tail</div><p>two</p></section><span aria-hidden='false'>three</span>"
    )
    assert html_to_text(html) == "one\ntwo\nthree"


def test_a_page_of_unclosed_attributes_is_refused_or_read_in_linear_time() -> None:
    # Each "<a" counts as an element that may nest, so the page is refused at once;
    # "<p" cannot nest, so the same page made of it goes to the parser, which reads it as
    # one start tag with one long attribute.
    started = time.perf_counter()
    with pytest.raises(MarkupTooDeepError):
        html_to_text("<a b='" * (5_000_000 // 6))
    assert html_to_text("<p b='" * (5_000_000 // 6)) == ""
    assert time.perf_counter() - started < UNCLOSED_ATTRIBUTE_BOUND


def test_blocks_nested_to_the_limit_are_read_and_deeper_is_refused() -> None:
    nest = "<div>" * MAX_DEPTH + "x" + "</div>" * MAX_DEPTH
    html = nest * (5_000_000 // len(nest))
    started = time.perf_counter()
    assert html_to_text(html) == "\n".join(["x"] * (5_000_000 // len(nest)))
    assert time.perf_counter() - started < NESTED_BLOCKS_BOUND
    with pytest.raises(MarkupTooDeepError, match=f"more than {MAX_DEPTH} deep"):
        html_to_text("<div>" * (MAX_DEPTH + 1) + "x")


@pytest.mark.parametrize(
    ("html", "deeper"),
    [
        ("<div>" * 3, True),
        ("<div></div>" * 10, False),
        ("<p>" * 10 + "<li>" * 10 + "<br>" * 10, False),  # cannot nest
        ("<div></span>" * 3, True),  # an end tag of another name closes nothing
        ("<DIV>" * 2 + "</div>" * 2 + "<div>" * 2, False),
    ],
)
def test_the_nesting_bound(html: str, deeper: bool) -> None:
    assert nests_deeper_than(html, 2) is deeper


def test_a_page_nested_too_deep_is_one_rejection(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 10_000 + "</body></html>", encoding="utf-8")
    [result] = list(read_file(page))
    assert str(result) == f"{page}: the markup nests elements more than {MAX_DEPTH} deep"
