"""The website built from a published folder that came from elsewhere: its pages link no IRI
of the data whose scheme would run code in the site's origin.

nualod's readers publish http(s) sources and page URLs only, but ``nualod site`` reads the
dumps of the folder it is given (one downloaded, or a ``--previous`` release whose lines a
publish copied), and a ``javascript:`` or ``data:`` IRI in an ``href`` runs when clicked.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from nualod.run.publish import publish
from nualod.site.build import build_site

ROOT = Path(__file__).resolve().parent.parent
PEKALONGAN = ROOT / "examples" / "pages" / "pekalongan-tema10-indikator47.txt"
ROW = (
    "theme,indicator,indicator_name,city,sources,date,page_url\n"
    "11,12,Ruang Terbuka Hijau,Kota Surabaya,https://surabaya.go.id/berita/1,2025-12-18,"
    "https://nuf.example.id/praktik/1\n"
)
#: IRIs of the dumps, by what they are made: a source, a page URL, a region's owl:sameAs.
#: The schemes are those a browser runs, in any case.
REWRITTEN = {
    b"<https://pekalongankota.go.id/": b"<JavaScript:alert(1)//",
    b"<https://nuf.example.id/": b"<javascript:alert(2)//",
    b"<http://www.wikidata.org/entity/": b"<data:text/html,x//",
}
LINKED = ("", "http", "https", "mailto")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.targets += [value or "" for name, value in attrs if name == "href"]


def test_a_page_links_no_iri_whose_scheme_runs_code(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PEKALONGAN, pages)
    (pages / "list.csv").write_text(ROW, encoding="utf-8")
    out = tmp_path / "out"
    publish([pages], out)
    dump = (out / "nualod.nq").resolve()
    data = dump.read_bytes()
    for iri, other in REWRITTEN.items():
        assert iri in data
        data = data.replace(iri, other)
    dump.unlink()  # a file of its own, not the published one's links
    dump.write_bytes(data)
    build_site(out)
    shown = set()
    for page in (out / "site").rglob("*.html"):
        links = _Links()
        text = page.read_text(encoding="utf-8")
        links.feed(text)
        schemes = {urlsplit(target).scheme.lower() for target in links.targets}
        assert schemes <= set(LINKED), (page, schemes - set(LINKED))
        shown.update(
            iri for iri in (b"alert(1)", b"alert(2)", b"data:text/html") if iri.decode() in text
        )
    # Each is still shown as text, only not linked.
    assert shown == {b"alert(1)", b"alert(2)", b"data:text/html"}
