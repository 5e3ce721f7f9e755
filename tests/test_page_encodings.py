"""A saved web page in the encoding it declares: its HTTP header (kept in the harvest
sidecar) or a meta tag. A text file, and a page that declares nothing, stay UTF-8 only."""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path

import pytest

from nualod.errors import InputError
from nualod.model.records import Practice
from nualod.read.inputs import read_inputs

PAGE = (
    Path(__file__).resolve().parent.parent
    / "examples"
    / "pages"
    / "surabaya-tema03-indikator19.txt"
)
TAGLINE = "Kota Seribu Taman Café"


def _html(head: str) -> str:
    text = PAGE.read_text(encoding="utf-8").replace("Kota Seribu Taman", TAGLINE)
    body = "".join(f"<p>{escape(line)}</p>\n" for line in text.splitlines())
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>x</title></head><body>\n{body}</body></html>\n"
    )


def _read(path: Path) -> Practice | InputError:
    (result,) = list(read_inputs([path]))
    return result


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    ],
)
def test_a_meta_tag_names_the_encoding(tmp_path: Path, head: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_html(head).encode("latin-1"))
    read = _read(path)
    assert isinstance(read, Practice), read
    assert read.tagline == TAGLINE


def test_the_harvest_sidecar_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    data = _html("").encode("latin-1")
    path.write_bytes(data)
    sidecar = {
        "url": "https://nuf.example/a", "final_url": "https://nuf.example/a",
        "retrieved_at": "2025-12-16T08:00:00Z", "status": 200, "etag": None,
        "last_modified": None, "content_type": "text/html; charset=ISO-8859-1",
        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
    }  # fmt: skip
    (tmp_path / "page.html.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    read = _read(path)
    assert isinstance(read, Practice), read
    assert read.tagline == TAGLINE


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-16", "utf-16"), ("utf-16-le", "UTF-16LE"), ("utf-32", "utf-32"), ("utf-8", "utf-16")],
)
def test_a_harvested_page_served_as_utf_16_is_read_so(
    tmp_path: Path, encoding: str, declared: str
) -> None:
    """A page served as ``text/plain; charset=utf-16`` was refused as "UTF-16 text, not
    UTF-8 (save it as UTF-8)", though its sidecar says how to read it (CLI review)."""
    path = tmp_path / "page.txt"
    data = _html("").encode(encoding)
    path.write_bytes(data)
    sidecar = {
        "url": "https://nuf.example/a", "final_url": "https://nuf.example/a",
        "retrieved_at": "2025-12-16T08:00:00Z", "status": 200, "etag": None,
        "last_modified": None, "content_type": f"text/plain; charset={declared}",
        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
    }  # fmt: skip
    (tmp_path / "page.txt.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    read = _read(path)  # UTF-8 bytes are read as such, whatever the header says
    assert isinstance(read, Practice), read
    assert read.tagline == TAGLINE


def test_a_utf_16_page_without_a_declared_encoding_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(_html("").encode("utf-16"))
    read = _read(path)
    assert isinstance(read, InputError)
    assert read.message == f"{path}: UTF-16 text, not UTF-8 (save it as UTF-8)"


def test_without_a_declared_encoding_a_page_is_utf8(tmp_path: Path) -> None:
    for name, head in (("page.html", ""), ("page.txt", '<meta charset="iso-8859-1">')):
        path = tmp_path / name
        data = _html(head).encode("latin-1")
        path.write_bytes(data)
        read = _read(path)
        assert isinstance(read, InputError)
        at = data.index("é".encode("latin-1"))
        assert read.message == f"{path}: not UTF-8 text (byte 0xe9 at offset {at})"
