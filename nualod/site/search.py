"""Index the practices for offline full-text search with Pagefind.

Each practice becomes one custom record (its title, place, Ringkasan, theme and indicator),
not a crawled page: Pagefind parses no HTML and the index holds only what people search.
Pagefind keeps a whole index in memory while it builds it and struggles past some 30,000
pages, so the records go into bundles of at most :data:`BUNDLE_SIZE`, one Pagefind process
each, that the search page merges in the browser (``mergeIndex``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from nualod.site.context import Context
from nualod.site.lists import Buckets
from nualod.site.practices import SiteInfo

#: Records per Pagefind bundle.
BUNDLE_SIZE: Final = 30_000
#: Requests in flight to one Pagefind process.
_BATCH: Final = 500


def _records(work: Path) -> Iterator[dict[str, str]]:
    for path in sorted(work.glob("search-*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def index_site(out: Path, buckets: Buckets, context: Context, site: SiteInfo) -> int:
    """Write ``pagefind*/`` bundles and ``pagefind/bundles.json`` under ``out``."""
    work = out.parent / "work"
    records = _records(work)
    bundles: list[str] = []
    total = 0
    while True:
        chunk = []
        for record in records:
            chunk.append(record)
            if len(chunk) == BUNDLE_SIZE:
                break
        if not chunk and bundles:
            break
        folder = "pagefind/" if not bundles else f"pagefind/more-{len(bundles)}/"
        asyncio.run(_bundle(out, folder, chunk))
        bundles.append(folder)
        total += len(chunk)
        if len(chunk) < BUNDLE_SIZE:
            break
    (out / "pagefind" / "bundles.json").write_text(json.dumps(bundles), encoding="utf-8")
    return total


async def _bundle(out: Path, folder: str, chunk: list[dict[str, str]]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(out / folder), force_language="id")
    async with PagefindIndex(config=config) as index:
        for start in range(0, len(chunk), _BATCH):
            await asyncio.gather(
                *(
                    index.add_custom_record(
                        url="/" + record["url"],
                        content=record["content"],
                        language="id",
                        meta={"title": record["title"], "place": record["place"]},
                    )
                    for record in chunk[start : start + _BATCH]
                )
            )
