"""Content negotiation as a pure function: the matrix, and the grammar's corner cases."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conneg_matrix import MATRIX

from nualod.serve.conneg import (
    HTML,
    JSONLD,
    NTRIPLES,
    REGISTERED,
    TURTLE,
    MediaRange,
    negotiate,
    parse_accept,
    weight_for,
    weight_of,
)
from nualod.site.paths import MEDIA_TYPES

EXTENSION = {HTML: "html", TURTLE: "ttl", JSONLD: "jsonld", NTRIPLES: "nt"}


def test_the_matrix_has_at_least_twenty_headers() -> None:
    assert len({header for _, header, _ in MATRIX}) >= 20


def test_the_site_holds_a_file_of_every_registered_type_in_the_servers_order() -> None:
    # So nualod serve and the static hosts (whose configurations offer MEDIA_TYPES) agree.
    assert tuple(MEDIA_TYPES.values()) == REGISTERED
    assert {MEDIA_TYPES[extension]: extension for extension in MEDIA_TYPES} == {
        media: EXTENSION[media] for media in REGISTERED
    }


@pytest.mark.parametrize(("name", "header", "answer"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_matrix(name: str, header: str | None, answer: str | None) -> None:
    chosen = negotiate(header, REGISTERED)
    assert (EXTENSION[chosen] if chosen else None) == answer


@pytest.mark.parametrize(
    ("qvalue", "weight"),
    [(None, 1000), ("1", 1000), ("1.", 1000), ("1.000", 1000), ("0", 0), ("0.", 0),
     ("0.5", 500), ("0.05", 50), ("0.005", 5), ("0.123", 123)],
)  # fmt: skip
def test_weights_are_thousandths(qvalue: str | None, weight: int) -> None:
    assert weight_of(qvalue) == weight


@pytest.mark.parametrize(
    "member",
    ["text/html;q=1.5", "text/html;q=.5", "text/html;q=0.5000", "text/html;q = 0.5", "html",
     "*/html", "text/", "/html", "text/html;q=", "text/html;=x", "text/html;p=x y"],
)  # fmt: skip
def test_malformed_members_are_skipped(member: str) -> None:
    assert parse_accept(f"{member}, text/turtle;q=0.2") == (MediaRange("text/turtle", 200),)


def test_a_header_of_only_malformed_members_is_disregarded() -> None:
    assert parse_accept("text/html;q=1.5, html") is None
    assert negotiate("text/html;q=1.5, html") == HTML


def test_specificity_beats_order_and_weight() -> None:
    ranges = parse_accept("*/*;q=0.9, text/*;q=0.1, text/turtle;q=0.5")
    assert ranges is not None
    assert weight_for(ranges, TURTLE) == 500
    assert weight_for(ranges, HTML) == 100
    assert weight_for(ranges, JSONLD) == 900


def test_nothing_offered_is_406() -> None:
    assert negotiate("text/html", ()) is None
    assert negotiate("text/html", (TURTLE,)) is None


def test_the_interleaved_digit_comparison_is_at_least_for_every_pair_of_weights() -> None:
    import re

    from nualod.serve.hosting import AT_LEAST, interleave_template

    at_least = re.compile(AT_LEAST)
    weights = [f"{w:04d}" for w in range(0, 1001, 7)] + ["1000", "0999", "0001", "0000"]
    for first in weights:
        for second in weights:
            pairs = "".join(a + b for a, b in zip(first, second, strict=True))
            assert bool(at_least.match(pairs)) is (first >= second), (first, second)
    assert interleave_template("a", "b", "{name}{digit}") == "a1b1a2b2a3b3a4b4"


#: Members a backtracking engine could split 2^40 ways (the blanks between two ";" with no
#: parameter between them ending one element or starting the next), each with what follows.
BLANKS: tuple[tuple[str, str | None], ...] = (
    ("text/turtle" + "\t;" * 40 + "!, application/ld+json;q=0.2", JSONLD),
    ("text/turtle;q=1" + "\t;" * 40 + "=, application/ld+json;q=0.2", JSONLD),
    ("text/turtle" + " ; " * 40 + "!", HTML),
    ("text/turtle" + "\t;" * 40, TURTLE),
)


def test_blanks_between_empty_parameters_are_read_in_linear_time() -> None:
    """A 90-byte Accept header once took 2^40 steps (`nualod serve` holds the GIL through
    them: one request stopped every other). Run in a child, so a regression fails at the
    timeout rather than hanging the tests; the bound is a hundred times what it takes."""
    program = (
        "import sys\n"
        "from nualod.serve.conneg import negotiate\n"
        "for header in sys.argv[1:]:\n"
        "    print(negotiate(header))\n"
    )
    headers = [header for header, _ in BLANKS]
    answers = subprocess.run(
        [sys.executable, "-c", program, *headers],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.splitlines()
    assert answers == [str(answer) for _, answer in BLANKS]
