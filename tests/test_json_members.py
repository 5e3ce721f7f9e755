"""``object_members`` reads what ``json.load`` reads, a chunk at a time, and refuses what it
refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nualod.files.json_members import object_members

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _rebuilt(path: Path, streamed: set[str], chunk: int) -> dict[str, Any]:
    rebuilt: dict[str, Any] = {}
    for name, value in object_members(path, streamed, chunk=chunk):
        if name in streamed:
            rebuilt.setdefault(name, []).append(value)
        else:
            rebuilt[name] = value
    return rebuilt


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=st.dictionaries(st.text(max_size=8), _VALUES, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.integers(1, 40),
    ascii_only=st.booleans(),
)
def test_members_are_what_json_load_reads_whatever_the_chunk(
    tmp_path: Path, document: dict[str, Any], indent: int | None, chunk: int, ascii_only: bool
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=ascii_only), encoding="utf-8")
    # Each non-empty array is streamed; an empty one yields nothing and is left out.
    streamed = {k for k, v in document.items() if isinstance(v, list)}
    expected = {k: v for k, v in document.items() if not (isinstance(v, list) and not v)}
    assert _rebuilt(path, streamed, chunk) == expected
    assert _rebuilt(path, set(), chunk) == document


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"a": 1',
        '{"a": [1, 2}',
        '{"a": [1 2]}',
        '{"a" 1}',
        "{1: 2}",
        '{"a": 1,}',
        '{"a": 1} x',
        '{"a": [1,]}',
        '{"a": tru}',
        '{"a": "unterminated}',
    ],
)
@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_what_json_load_refuses_is_refused(tmp_path: Path, text: str, chunk: int) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        list(object_members(path, {"a"}, chunk=chunk))


def test_a_number_cut_by_the_chunk_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"n": [12345, 678]}', encoding="utf-8")
    assert list(object_members(path, {"n"}, chunk=8)) == [("n", 12345), ("n", 678)]


@pytest.mark.parametrize("text", ["[]", '"x"', "1", "null"])
def test_a_document_that_is_not_an_object_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"expected '\{'"):
        list(object_members(path))
