"""HTML pages: reduced to visible text safely (no entity expansion, no network), then parsed."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from nualod.read.htmltext import html_to_text, looks_like_html
from nualod.read.inputs import read_page_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = FIXTURES / "pages" / "denpasar-tema03-indikator19.html"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make any attempt to open a connection fail loudly, and record it."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access while parsing: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_scripts_styles_navigation_and_hidden_parts_are_dropped() -> None:
    html = (
        "<html><head><title>T</title><style>p{color:red}</style><script>var a='<p>x</p>';"
        "</script></head><body><nav><a>Beranda</a></nav><noscript>JS</noscript>"
        "<p hidden>rahasia</p><div aria-hidden='true'>ikon</div><form><button>Cari</button>"
        "</form><p>Kota <b>Bandung</b>,<br>Kota Desain</p><template><p>t</p></template>"
        "<svg><text>s</text></svg><iframe>f</iframe></body></html>"
    )
    assert html_to_text(html) == "Kota Bandung,\nKota Desain"


def test_only_the_fixed_html_entities_are_expanded() -> None:
    assert html_to_text("<p>a &amp; b&nbsp;c &#65; &lol; &xxe;</p>") == "a & b c A &lol; &xxe;"


def test_an_internal_dtd_subset_is_dropped_and_never_expanded() -> None:
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    html = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{laughs}'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % pe SYSTEM "http://x.example/p">'
        " %pe; ]><html><body><p>&lol9; &xxe;</p></body></html>"
    )
    started = time.perf_counter()
    assert html_to_text(html) == "&lol9; &xxe;"
    assert time.perf_counter() - started < 1


def test_an_unclosed_internal_subset_does_not_hang() -> None:
    html = "<!DOCTYPE x [" + "<!ENTITY a 'b'>" * 20_000 + "<p>t</p>"
    started = time.perf_counter()
    html_to_text(html)
    assert time.perf_counter() - started < 2


def test_a_hostile_page_is_read_without_the_network(no_network: list[object]) -> None:
    practice = read_page_file(HOSTILE)
    assert no_network == []
    assert practice.title == "Kota Denpasar, Kota Kreatif Berbasis Budaya"
    assert practice.theme.number == 3 and practice.indicator.number == 19
    assert practice.summary == (
        "Taman kota terbuka untuk semua warga & wisatawan; &lol9; &xxe; &remote; "
        "tetap tertulis apa adanya."
    )
    assert practice.description == (
        "Lapangan Puputan menjadi ruang publik yang hidup.\n\nPemeliharaan dilakukan bersama warga."
    )
    assert [s.url for s in practice.sources] == ["https://www.denpasarkota.go.id/taman"]
    assert str(practice.issued) == "2025-12-14"


def test_the_visible_text_of_the_hostile_page() -> None:
    text = html_to_text(HOSTILE.read_text(encoding="utf-8"))
    assert "attacker" not in text
    assert "Kota Palsu" not in text
    assert "indikator 99" not in text
    assert "]>" not in text and "%pe;" not in text
    assert text.splitlines()[:4] == [
        "Senin, 15 Desember 2025",
        "03. Praktik baik indikator 19",
        "Praktik baik tema 03 indikator 19 Rata-rata Porsi Kawasan Terbangun Kota yang "
        "Merupakan Ruang Terbuka untuk Umum",
        "Kota Denpasar, Kota Kreatif Berbasis Budaya",
    ]


def test_html_and_text_give_the_same_practice(tmp_path: Path) -> None:
    html = HOSTILE.read_text(encoding="utf-8")
    text_page = tmp_path / "same.txt"
    text_page.write_text(html_to_text(html), encoding="utf-8")
    assert read_page_file(text_page) == read_page_file(HOSTILE)


def test_html_saved_with_a_txt_name_is_still_reduced(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(HOSTILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_page_file(path) == read_page_file(HOSTILE)


def test_looks_like_html() -> None:
    assert looks_like_html('<?xml version="1.0"?>\n<!DOCTYPE html [ ]><html>')
    assert looks_like_html("\n  <body><p>x</p></body>")
    assert not looks_like_html("10. Praktik baik indikator 47")
    assert looks_like_html(" " * 1000 + "x" * 500 + "<BODY>")  # in the first 512 after spaces
    assert not looks_like_html("x" * 512 + "<body>")  # beyond them


def test_a_page_kept_in_pre_keeps_its_lines(tmp_path: Path) -> None:
    """A browser shows a ``<pre>``'s lines as lines; they ran into one, so a page kept in
    one was "not a good-practice page" (CLI review)."""
    assert html_to_text(
        "<pre>Ringkasan:\nteks <b>tebal</b>\n\nDeskripsi:\nlain</pre><p>a\nb</p>"
    ) == ("Ringkasan:\nteks tebal\nDeskripsi:\nlain\na b")
    text = (FIXTURES / "pages" / "surakarta-tema10-indikator47.txt").read_text(encoding="utf-8")
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><pre>{escaped}</pre></body></html>", encoding="utf-8")
    as_text = tmp_path / "page.txt"
    as_text.write_text(text, encoding="utf-8")
    assert read_page_file(page) == read_page_file(as_text)
