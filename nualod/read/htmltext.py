"""Reduce an HTML page to the text a browser shows, one block per line.

The standard library's tokenizer reads the markup: it never fetches anything (no images,
stylesheets, DTDs or frames) and never expands entities beyond the fixed HTML set, so a
hostile page cannot reach the network or blow up in memory. An XML-style internal DTD subset
(``<!DOCTYPE x [<!ENTITY ...>]>``, as in a "billion laughs" attempt) is dropped whole, and
undeclared references such as ``&lol9;`` stay literal text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

_SKIPPED: Final = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "svg",
        "iframe",
        "form",
        "button",
        "select",
    }
)
_BLOCKS: Final = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
        "header", "footer", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "dd", "dt", "dl", "hr", "figure", "figcaption", "address", "body", "html", "title",
    }
)  # fmt: skip
_VOID: Final = frozenset(
    {
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    }
)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skipping: list[str] = []
        self._link: str | None = None  # the href of the <a> being read, if absolute http(s)
        self._link_shown = False

    def _break(self) -> None:
        line = " ".join("".join(self._current).split())
        if line:
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hidden = any(
            name == "hidden" or (name == "aria-hidden" and value == "true") for name, value in attrs
        )
        if (tag in _SKIPPED or hidden) and tag not in _VOID:
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self._break()
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self._link = href if href.lower().startswith(("http://", "https://")) else None
            self._link_shown = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        shown = data.strip()
        if self._link is not None and shown.lower().startswith(("http://", "https://")):
            # A link that shows its URL often shows it shortened for the reader
            # ("https://kota.go.id/berita/judul-art..."): then the href is the URL itself.
            stem = shown.rstrip(".…")
            if self._link.startswith(stem) and not self._link_shown:
                self._current.append(data[: len(data) - len(data.lstrip())] + self._link)
                self._link_shown = True
                return
        self._current.append(data)


_INTERNAL_SUBSET: Final = re.compile(r"<!doctype[^>\[]*\[.*?\]\s*>", re.I | re.S)


def _drop_internal_subset(html: str) -> str:
    """Remove a ``<!DOCTYPE name [ ... ]>`` internal subset, which HTML has no use for.

    >>> _drop_internal_subset('<!DOCTYPE x [<!ENTITY a "b"> %pe; ]><p>t</p>')
    '<p>t</p>'
    """
    start = html[:4096].lower().find("<!doctype")
    if start < 0:
        return html
    match = _INTERNAL_SUBSET.match(html, start)
    return html[:start] + html[match.end() :] if match else html


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML page, one block element per line.

    >>> html_to_text("<html><head><title>x</title><script>var a=1</script></head>"
    ...              "<body><nav>Menu</nav><h1>10. Praktik baik indikator 47</h1>"
    ...              "<p>Kota&nbsp;Pekalongan, <b>Kota Batik</b></p></body></html>")
    '10. Praktik baik indikator 47\\nKota Pekalongan, Kota Batik'

    A link that shows a URL gives its full ``href``, not its (often shortened) text:

    >>> html_to_text('<p>Sumber: <a href="https://kota.go.id/berita/judul-lengkap">'
    ...              'https://kota.go.id/berita/judul-...</a></p>')
    'Sumber: https://kota.go.id/berita/judul-lengkap'
    """
    parser = _VisibleText()
    parser.feed(_drop_internal_subset(html))
    parser.close()
    parser._break()
    return "\n".join(parser.lines)


def looks_like_html(text: str) -> bool:
    """Tell whether a text is an HTML document rather than saved page text.

    >>> looks_like_html("<!DOCTYPE html><html>"), looks_like_html("Kategori Artikel")
    (True, False)
    """
    head = text.lstrip()[:512]
    if "<" not in head:  # every sign below starts with "<": most texts need no lower()
        return False
    head = head.lower()
    return (
        head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<head" in head
    )
