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

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
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
    head = text.lstrip()[:512].lower()
    return (
        head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<head" in head
    )
