"""Any bytes saved as a page give a practice or one rejection, never an exception.

A property test (Hypothesis) over the page reader and what a publish does next with a page
it read: link its place and map it to triples (where a source URL that was no IRI, or a
lone surrogate, raised). Random bytes, and the sample page with a few bytes changed, so that
most examples get past the first checks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nualod.errors import InputError
from nualod.link.practice import link_practice
from nualod.map.practice import practice_parts
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import DEFAULT_BASE
from nualod.model.records import Practice
from nualod.read.inputs import read_file

PAGE = (
    Path(__file__).resolve().parent / "fixtures" / "pages" / "surakarta-tema10-indikator47.txt"
).read_bytes()
IRIS = DataIRIs(DEFAULT_BASE)
#: What the edits put in: text a broken page is likely to hold, and any other short text
#: (as UTF-8: random bytes are mostly rejected at once, as not UTF-8 or binary).
PIECES = st.one_of(
    st.sampled_from(
        [
            "\x1b[2J",
            "\r",
            "\n",
            "[",
            "]",
            "%",
            "%zz",
            "#",
            " ",
            ":",
            ",",
            "0",
            "^",
            "\u0085",
            "\u2028",
            "<p>",
            "\u0661",
            "\ufeff",
            "99999999999999999999999999999999 orang",
            "Rp 1.000.000.000.000.000.000 triliun",
            "Sumber:",
            "Ringkasan:",
            "https://a.id/x",
            "31 Februari",
            "tema 0",
            "indikator 0",
            "Kota ",
            "Kabupaten ",
        ]
    ),
    st.text(min_size=1, max_size=3),
).map(lambda text: text.encode("utf-8"))


#: The lines of the sample page that hold what is published: the theme line, the city,
#: the Ringkasan and Deskripsi texts, the source and the date.
FIELDS = (4, 5, 7, 9, 10, 11, 12)


@st.composite
def damaged_pages(draw: st.DrawFn) -> bytes:
    """Return the sample page with up to four spans replaced, most in its fields."""
    lines = PAGE.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(FIELDS)) if draw(st.booleans()) else None
        line = lines[at] if at is not None else b"\n".join(lines)
        start = draw(st.integers(0, len(line)))
        end = min(len(line), start + draw(st.integers(0, 6)))
        line = line[:start] + draw(PIECES) + line[end:]
        if at is None:
            lines = line.split(b"\n")
        else:
            lines[at] = line
    return b"\n".join(lines)


def _check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        results = list(read_file(path))
        assert len(results) == 1
        (result,) = results
        if isinstance(result, InputError):
            assert result.message.startswith(f"{path}: ")
            assert "\n" not in result.message and "\r" not in result.message
            return
        assert isinstance(result, Practice)
        try:
            linked = link_practice(result)
        except InputError as error:
            assert "\n" not in error.message
            return
        practice_parts(linked, IRIS)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(damaged_pages(), st.sampled_from([".txt", ".html"]))
def test_a_damaged_page_is_a_practice_or_one_rejection(data: bytes, suffix: str) -> None:
    _check(data, suffix)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.binary(max_size=600), st.sampled_from([".txt", ".html"]))
def test_any_bytes_are_a_practice_or_one_rejection(data: bytes, suffix: str) -> None:
    _check(data, suffix)
