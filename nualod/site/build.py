"""Build the static linked-data website of a published folder: ``build_site(DIR)``.

Steps: split ``nualod.nq`` into shards in one streaming pass; render the practices shard by
shard in worker processes (each practice: ``.ttl``, ``.jsonld``, and an HTML page per
language); bucket the workers' summary rows on disk for the lists; render the pages of
regions, concepts, vocabulary terms and catalog resources, the browse lists, the home page,
search, sitemap, robots.txt, VoID and 404; merge the shards' search index. Everything is
written in a temporary folder beside ``DIR/site`` and swapped in when complete.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from nualod.errors import cannot_write
from nualod.files.atomic import swap_folder
from nualod.site import pages
from nualod.site.context import Context, load_context
from nualod.site.html import LANGUAGES
from nualod.site.lists import Buckets, bucket
from nualod.site.paths import DEFAULT_BASE
from nualod.site.practices import ShardResult, SiteInfo, render_shard
from nualod.site.search import merge_index
from nualod.site.shards import SiteError, Split, split_quads, syntax_error


@dataclass(frozen=True, slots=True)
class SiteResult:
    """What ``build_site`` wrote."""

    folder: Path
    practices: int
    pages: int
    files: int
    search_records: int
    #: Removed practices whose IRIs keep resolving to a page that says so.
    withdrawn: int = 0


_STATE: dict[str, object] = {}
DEFAULT_WORKERS: Final = min(2, os.cpu_count() or 1)


def build_site(
    published: Path,
    *,
    base_url: str = DEFAULT_BASE,
    base: str | None = None,
    workers: int | None = None,
    search: bool = True,
    progress: Callable[[str], None] | None = None,
) -> SiteResult:
    """Write ``published/site/`` from a published folder; return what was written.

    ``base_url`` is where the site is served (for the sitemap and canonical links);
    ``base`` the prefix of our IRIs that the site's root stands for (by default the data
    base of the published data minus ``id/``).
    """
    published = Path(published)
    source = published / "nualod.nq"
    if not source.is_file():
        raise SiteError(f"{source}: not found (run `nualod publish` first)")
    if not base_url.endswith("/"):
        base_url += "/"
    say = progress or (lambda _text: None)
    final = published / "site"
    try:
        return _build(published, source, final, base_url, base, workers, search, say)
    except OSError as error:
        # A full disk or a read-only folder, in this process or a worker: one line, and the
        # site as it was (the temporary folder is gone).
        raise SiteError(cannot_write(error, final, final)) from None


def _build(
    published: Path,
    source: Path,
    final: Path,
    base_url: str,
    base: str | None,
    workers: int | None,
    search: bool,
    say: Callable[[str], None],
) -> SiteResult:
    temporary = Path(tempfile.mkdtemp(prefix=".site.", suffix=".part", dir=published))
    try:
        out = temporary / "site"
        work = temporary / "work"
        out.mkdir()
        work.mkdir()
        say("splitting nualod.nq")
        try:
            # Small files are routed in one part whatever this says (see split_quads).
            split = split_quads(source, work / "split", parts=workers or DEFAULT_WORKERS)
        except OSError as error:
            if error.filename is None or Path(error.filename) != source:
                raise  # writing the shards failed: see build_site
            raise SiteError(f"{source}: {error.strerror}") from error
        try:
            context = load_context(split.context, published)
        except SyntaxError as error:
            raise syntax_error(source, split.context, error) from None
        root_base = base or _root_base(split, context)
        site = _site_info(context, root_base, base_url)
        say(f"rendering practices in {len(split.shards)} shards")
        results = _render_practices(split, out, context, site, workers, search)
        say("bucketing the lists")
        buckets = bucket((r.summary for r in results), work / "lists")
        _link_downloads(published, out, context.dataset)
        records = 0
        files = sum(r.files for r in results)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as merger:
            if search:
                # The merge is one streaming pass: a process of its own, beside the pages.
                say("merging the search index")
                counts = [
                    (r.shard, r.practices) for r in sorted(results, key=_shard) if r.practices
                ]
                merged = merger.submit(merge_index, out, work, counts)
            say("rendering regions, concepts, lists and vocabulary")
            written, written_pages = pages.write_all(out, context, site, buckets, published)
            files += written
            if search:
                index = merged.result()
                records = index.records
                files += index.files
        practices = sum(r.practices for r in results)
        withdrawn = sum(r.withdrawn for r in results)
        shutil.rmtree(work)
        old = _swap(out, final)
        if old is not None:
            # A million practices' site is millions of files: deleting them takes minutes,
            # and the new site is already what readers get.
            say("the new site is in place; deleting the old one")
            if not old.is_relative_to(temporary):
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return SiteResult(
        final, practices, (practices + withdrawn) * 2 + written_pages, files, records, withdrawn
    )


def _shard(result: ShardResult) -> int:
    return result.shard


def _root_base(split: Split, context: Context) -> str:
    data_base = split.data_base or context.data_base
    return data_base[: -len("id/")] if data_base.endswith("id/") else data_base


def _site_info(context: Context, base: str, base_url: str) -> SiteInfo:
    dataset = context.dataset
    licence = str(dataset.get("license", "https://creativecommons.org/licenses/by-sa/4.0/"))
    names = {
        "en": str(dataset.get("name", "nualod")),
        "id": str(dataset.get("alternateName", dataset.get("name", "nualod"))),
    }
    creator = dataset.get("creator", {})
    creator_name = (
        str(creator.get("name", "National Urban Forum Indonesia"))
        if isinstance(creator, dict)
        else "National Urban Forum Indonesia"
    )
    licence_names = {
        "https://creativecommons.org/licenses/by-sa/4.0/": "Creative Commons "
        "Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
        "https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 "
        "International (CC BY 4.0)",
    }
    return SiteInfo(
        base=base,
        base_url=base_url,
        licence=licence,
        licence_name=licence_names.get(licence, licence),
        dataset_name=names,
        creator=creator_name,
        year=str(dataset.get("datePublished", ""))[:4],
    )


def _work(number: int) -> ShardResult:
    split = _STATE["split"]
    out = _STATE["out"]
    context = _STATE["context"]
    site = _STATE["site"]
    assert isinstance(split, Split) and isinstance(out, Path)
    assert isinstance(context, Context) and isinstance(site, SiteInfo)
    result = render_shard(split, number, out, context, site, search=_STATE["search"] is True)
    # Done with: a million practices' shards take gigabytes beside the site being written.
    for part in split.shard_parts(number):
        part.unlink(missing_ok=True)
    return result


def _render_practices(
    split: Split, out: Path, context: Context, site: SiteInfo, workers: int | None, search: bool
) -> list[ShardResult]:
    count = (
        workers
        if workers is not None
        else (DEFAULT_WORKERS if split.practice_quads > 20_000 else 1)
    )
    _STATE.update(split=split, out=out, context=context, site=site, search=search)
    (out.parent / "work").mkdir(exist_ok=True)
    try:
        if count <= 1 or len(split.shards) <= 1:
            return [_work(n) for n in split.shards]
        # Forked workers share the context (a few thousand nodes) without pickling it.
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return list(pool.imap(_work, split.shards, chunksize=4))
    finally:
        _STATE.clear()


def _link_downloads(published: Path, out: Path, dataset: dict[str, object]) -> None:
    """Put the dumps and release files under ``download/`` (hard links, copies if need be).

    The catalog's download URLs are ``{base}download/{file}`` by default, so a site served
    at the base answers them: every distribution the dataset lists, and its metadata files.
    """
    folder = out / "download"
    folder.mkdir(exist_ok=True)
    names = {"catalog.ttl", "catalog.jsonld", "void.ttl", "dataset.jsonld"}
    distributions = dataset.get("distribution", [])
    for distribution in distributions if isinstance(distributions, list) else [distributions]:
        if isinstance(distribution, dict):
            names.add(str(distribution.get("contentUrl", "")).rsplit("/", 1)[-1])
    for name in sorted(names):
        source = (published / name).resolve()  # a release's files are symlinks
        if not name or not source.is_file() or source.parent == folder:
            continue
        try:
            os.link(source, folder / name)
        except OSError:
            shutil.copyfile(source, folder / name)


def _swap(out: Path, final: Path) -> Path | None:
    """Put the new site in place of the old one, so a reader never sees half a site (nor,
    where the system can swap two names in one step, none); return where the old site now
    is, to be deleted."""
    stale = final.with_name(".site.old")  # left by an interrupted run of nualod 0.x
    if stale.exists():
        shutil.rmtree(stale)
    return swap_folder(out, final)


def asset_text(name: str) -> str:
    """Return a shipped asset of the site (CSS, JavaScript)."""
    return resources.files("nualod.site").joinpath(f"assets/{name}").read_text("utf-8")


def triples_of(path: Path) -> Iterable[ox.Triple]:
    """Yield the triples of a Turtle file (tests use it too)."""
    with path.open("rb") as data:
        yield from ox.parse(data, format=ox.RdfFormat.TURTLE)


__all__ = ["LANGUAGES", "Buckets", "SiteError", "SiteResult", "build_site"]
