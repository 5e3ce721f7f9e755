"""Lists of practices that page through large sets, built from the summary rows on disk.

Workers leave one summary row per practice; the rows are bucketed on disk by region and
by indicator, each bucket sorted on its own (newest first), and the longer lists (an SDG
goal, a UNESCO concept) merged from sorted buckets as they are written, so no list is ever
held in memory whole.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TextIO

from nualod.model.writing import date_text
from nualod.site.html import Where, e, ew

#: Practices per list page.
PAGE_SIZE: Final = 100
#: List pages per folder (so a folder never holds more than this many entries).
PAGES_PER_FOLDER: Final = 1000


@dataclass(slots=True)
class Row:
    """One practice in a list."""

    stem: str
    date: str
    region: str
    theme: str
    indicator: str
    title: str

    @classmethod
    def parse(cls, line: str) -> Row:
        """Read a summary line (see ``practices.SUMMARY_COLUMNS``)."""
        _, stem, date, region, theme, indicator, title = line.rstrip("\n").split("\t", 6)
        return cls(stem, date, region, theme, indicator, title)


@dataclass
class Buckets:
    """Summary rows bucketed on disk by region code and by indicator IRI, with counts."""

    folder: Path
    by_region: dict[str, int] = field(default_factory=dict)
    by_indicator: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    indicator_theme: dict[str, set[str]] = field(default_factory=dict)
    total: int = 0
    _names: dict[str, str] = field(default_factory=dict)

    def _file(self, kind: str, key: str) -> Path:
        name = self._names.get(f"{kind}\0{key}")
        if name is None:
            name = f"{kind}-{len(self._names):05d}.tsv"
            self._names[f"{kind}\0{key}"] = name
        return self.folder / name

    def region_file(self, code: str) -> Path:
        """Return the sorted rows of one region."""
        return self._file("region", code)

    def indicator_file(self, iri: str) -> Path:
        """Return the sorted rows of one indicator."""
        return self._file("indicator", iri)

    def every_practice(self) -> Iterator[Row]:
        """Yield every practice's row, newest first: each is in one indicator's file."""
        return merged(self.indicator_file(i) for i in self.by_indicator)


def bucket(summaries: Iterable[Path], folder: Path) -> Buckets:
    """Bucket every summary row by region and by indicator, then sort each bucket."""
    folder.mkdir(parents=True, exist_ok=True)
    buckets = Buckets(folder)
    handles: dict[Path, TextIO] = {}
    try:
        for summary in summaries:
            with summary.open(encoding="utf-8") as rows:
                for line in rows:
                    _, _, _, region, theme, indicator, _ = line.split("\t", 6)
                    buckets.total += 1
                    buckets.by_region[region] = buckets.by_region.get(region, 0) + 1
                    buckets.by_indicator[indicator] = buckets.by_indicator.get(indicator, 0) + 1
                    buckets.by_theme[theme] = buckets.by_theme.get(theme, 0) + 1
                    buckets.indicator_theme.setdefault(indicator, set()).add(theme)
                    for path in (buckets.region_file(region), buckets.indicator_file(indicator)):
                        handle = handles.get(path)
                        if handle is None:
                            handle = path.open("w", encoding="utf-8")
                            handles[path] = handle
                        handle.write(line)
    finally:
        for handle in handles.values():
            handle.close()
    for path in handles:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.sort()
        path.write_text("".join(lines), encoding="utf-8")
    return buckets


def merged(files: Iterable[Path]) -> Iterator[Row]:
    """Yield the rows of sorted bucket files in one sorted stream, each practice once."""
    streams = [path.open(encoding="utf-8") for path in sorted(set(files)) if path.is_file()]
    try:
        previous = None
        for line in heapq.merge(*streams):
            if line == previous:
                continue
            previous = line
            yield Row.parse(line)
    finally:
        for stream in streams:
            stream.close()


def list_page_stem(stem: str, number: int) -> str:
    """Return the stem of page ``number`` (2 and up) of the list on the page ``stem``.

    >>> list_page_stem("id/region/33.75", 2), list_page_stem("sdg/4", 1001)
    ('list/id/region/33.75/0/2', 'list/sdg/4/1/1001')
    """
    return f"list/{stem}/{(number - 1) // PAGES_PER_FOLDER}/{number}"


def page_count(total: int) -> int:
    """Return how many pages a list of ``total`` practices takes (at least one)."""
    return max(1, -(-total // PAGE_SIZE))


def pager(where: Where, owner: str, number: int, pages: int) -> str:
    """Return the navigation between the pages of a list: the first two, the two beside
    this one and the last two, with "…" where pages are left out between them.

    >>> import re
    >>> shown = pager(Where("list/x/0/4", "id"), "list/x", 4, 9)
    >>> re.sub(r"<[^>]+>", " ", shown.split('class="pages">')[1]).split()
    ['1', '2', '3', '4', '5', '…', '8', '9']
    >>> shown = pager(Where("list/x", "id"), "list/x", 1, 5)
    >>> re.sub(r"<[^>]+>", " ", shown.split('class="pages">')[1]).split()
    ['1', '2', '3', '4', '5']
    """
    if pages <= 1:
        return ""
    lang = where.lang

    def href(n: int) -> str:
        return where.page(owner if n == 1 else list_page_stem(owner, n))

    parts = [f'<nav class="pager" aria-label="{ew("page", lang)}">']
    if number > 1:
        parts.append(f'<a rel="prev" href="{href(number - 1)}">← {ew("previous", lang)}</a>')
    parts.append(f"<span>{ew('page', lang)} {number} {ew('of', lang)} {pages}</span>")
    if number < pages:
        parts.append(f'<a rel="next" href="{href(number + 1)}">{ew("next", lang)} →</a>')
    shown = {1, 2, number - 1, number, number + 1, pages - 1, pages}
    # A single page left out is shown: its number takes no more room than "…".
    shown |= {n + 1 for n in shown if n + 2 in shown}
    # Not a set of every page: a list of a million practices has ten thousand pages, each
    # with its pager.
    window = sorted(n for n in shown if 1 <= n <= pages)
    links = []
    for before, n in zip([0, *window], window, strict=False):
        if n - before > 1:  # pages left out between two shown: say so
            links.append('<span aria-hidden="true">…</span>')
        current = ' aria-current="page"' if n == number else ""
        links.append(f'<a href="{href(n)}"{current}>{n}</a>')
    parts.append(f'<span class="pages">{" ".join(links)}</span>')
    parts.append("</nav>")
    return "".join(parts)


def rows_html(where: Where, rows: Iterable[Row], place_names: dict[str, str]) -> str:
    """Return the list items of practices."""
    home, lang = where.home, where.lang
    return "".join(
        f'<li><a href="{home}{row.stem}.html" lang="id">{e(row.title)}</a>'
        f'<span class="meta">{place_names.get(row.region, e(row.region))} · '
        f'<time datetime="{e(row.date)}">{e(date_text(row.date, lang))}</time></span></li>'
        for row in rows
    )


def chunks(rows: Iterator[Row], size: int | None = None) -> Iterator[list[Row]]:
    """Yield lists of at most ``size`` rows (:data:`PAGE_SIZE` by default)."""
    size = size or PAGE_SIZE
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
