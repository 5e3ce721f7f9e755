"""Reduce an HTML page to the text a browser shows, one block per line.

The markup is read by Lexbor (through selectolax), an HTML5 parser written in C that builds
the tree a browser builds in time linear in the page, malformed markup included: the
standard library's tokenizer took quadratic time on an unclosed attribute
(``<a b='`` repeated). Nothing is ever fetched (no images, stylesheets, DTDs or frames)
and only the fixed HTML entities are expanded, so a hostile page cannot reach the network
or blow up in memory. An XML-style internal DTD subset (``<!DOCTYPE x [<!ENTITY ...>]>``,
as in a "billion laughs" attempt) is dropped whole, and undeclared references such as
``&lol9;`` stay literal text.

Hidden elements (``hidden``, ``aria-hidden="true"``) and the parts a reader never sees as
text (scripts, styles, the head, navigation, forms, ...) are skipped with everything inside
them: the tree says where an element ends, however its children nest.

A page whose elements nest deeper than :data:`MAX_DEPTH` is refused
(:class:`MarkupTooDeepError`): an HTML5 tree builder checks the open elements on every
block start tag, so its time grows with the page times the depth, and no real page nests
anywhere near as deep (browsers stop nesting at about 512).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from selectolax.lexbor import LexborHTMLParser

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

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
_TEXT: Final = "-text"

#: The deepest nesting of elements a page may have; Chromium's tree builder stops at 512.
MAX_DEPTH: Final = 512
#: Elements that never have content, and those whose end tag HTML lets a page leave out
#: (the next sibling closes them, so they never nest deep however many are left open).
_NO_NESTING: Final = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
        "thead", "tbody", "tfoot", "rb", "rt", "rtc", "rp", "colgroup", "caption", "html",
        "head", "body", "!doctype",
    }
)  # fmt: skip
_TAG: Final = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


class MarkupTooDeepError(ValueError):
    """The elements of a page nest deeper than :data:`MAX_DEPTH`."""


def nests_deeper_than(html: str, limit: int) -> bool:
    """Tell whether the elements of ``html`` may nest deeper than ``limit``.

    Each start tag opens its element and each end tag closes one of that name, if one is
    open; elements that cannot nest (see ``_NO_NESTING``) are not counted. Tags inside
    comments, scripts or attribute values count too, so the answer may be yes for a page
    that nests less, never no for one that nests more: an end tag of another name never
    closes anything.

    >>> page = "<div><div><p>a<p>b</div><span>x</b></span></div>"
    >>> nests_deeper_than(page, 1), nests_deeper_than(page, 2)
    (True, False)
    """
    open_by_name: dict[str, int] = {}
    depth = 0
    for tag in _TAG.finditer(html):  # not findall: a deep page is told at its 513th tag
        closing, name = tag[1], tag[2].lower()
        if name in _NO_NESTING:
            continue
        if closing:
            count = open_by_name.get(name, 0)
            if count:
                open_by_name[name] = count - 1
                depth -= 1
        else:
            open_by_name[name] = open_by_name.get(name, 0) + 1
            depth += 1
            if depth > limit:
                return True
    return False


class _VisibleText:
    """Collects the lines of visible text while the tree is walked in document order."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._current: list[str] = []
        self._link: str | None = None  # the href of the <a> being read, if absolute http(s)
        self._link_shown = False
        #: How many <pre> elements are open: in one, a line break is a line's end, as a
        #: browser shows it ("Ringkasan:" on a line of its own, not run into its text).
        self._pre = 0

    def flush(self) -> None:
        """End the current line (a block starts or ends)."""
        line = " ".join("".join(self._current).split())
        if line:
            self.lines.append(line)
        self._current = []

    def enter(self, tag: str, attributes: dict[str, str | None]) -> bool:
        """Open an element; return False when it is skipped with everything inside it."""
        if tag in _SKIPPED or "hidden" in attributes or attributes.get("aria-hidden") == "true":
            return False
        if tag in _BLOCKS:
            self.flush()
            self._pre += tag == "pre"
        elif tag == "a":
            href = (attributes.get("href") or "").strip()
            self._link = href if href.lower().startswith(("http://", "https://")) else None
            self._link_shown = False
        return True

    def leave(self, tag: str) -> None:
        """Close an element that was entered."""
        if tag in _BLOCKS:
            self.flush()
            self._pre -= tag == "pre"
        elif tag == "a":
            self._link = None

    def text(self, data: str) -> None:
        """Add the text of a text node."""
        shown = data.strip()
        if self._link is not None and shown.lower().startswith(("http://", "https://")):
            # A link that shows its URL often shows it shortened for the reader
            # ("https://kota.go.id/berita/judul-art..."): then the href is the URL itself.
            stem = shown.rstrip(".…")
            if self._link.startswith(stem) and not self._link_shown:
                self._current.append(data[: len(data) - len(data.lstrip())] + self._link)
                self._link_shown = True
                return
        if self._pre and "\n" in data:
            *ended, rest = data.split("\n")
            for line in ended:
                self._current.append(line)
                self.flush()
            data = rest
        self._current.append(data)


def _walk(root: LexborNode, visible: _VisibleText) -> None:
    """Visit the tree under ``root`` in document order, without recursion.

    A page may nest elements as deep as it likes; a loop over the sibling and parent links
    takes the same time per node at any depth and never runs out of stack.
    """
    node: LexborNode | None = root
    depth = 0  # how far below root the walk is
    while node is not None:
        tag = node.tag or ""
        descend = False
        if tag == _TEXT:
            visible.text(node.text_content or "")
        elif node.is_element_node:
            descend = visible.enter(tag, node.attributes)
            if descend and node.child is None:
                visible.leave(tag)
                descend = False
        if descend:
            node = node.child
            depth += 1
            continue
        # Go to the next sibling, closing every element whose last child this was.
        while node is not None:
            if depth == 0:
                return
            following = node.next
            if following is not None:
                node = following
                break
            node = node.parent
            depth -= 1
            if node is not None:
                visible.leave(node.tag or "")


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

    Raise :class:`MarkupTooDeepError` when the elements nest deeper than :data:`MAX_DEPTH`.

    >>> html_to_text("<html><head><title>x</title><script>var a=1</script></head>"
    ...              "<body><nav>Menu</nav><h1>10. Praktik baik indikator 47</h1>"
    ...              "<p>Kota&nbsp;Pekalongan, <b>Kota Batik</b></p></body></html>")
    '10. Praktik baik indikator 47\\nKota Pekalongan, Kota Batik'

    A link that shows a URL gives its full ``href``, not its (often shortened) text:

    >>> html_to_text('<p>Sumber: <a href="https://kota.go.id/berita/judul-lengkap">'
    ...              'https://kota.go.id/berita/judul-...</a></p>')
    'Sumber: https://kota.go.id/berita/judul-lengkap'
    """
    html = _drop_internal_subset(html)
    if html.count("<") > MAX_DEPTH and nests_deeper_than(html, MAX_DEPTH):
        raise MarkupTooDeepError(f"the markup nests elements more than {MAX_DEPTH} deep")
    tree = LexborHTMLParser(html)
    visible = _VisibleText()
    root = tree.root
    if root is not None:
        _walk(root, visible)
    visible.flush()
    return "\n".join(visible.lines)


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
