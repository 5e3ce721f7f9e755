"""Build the static linked-data website of a published folder: ``build_site(DIR)``.

Steps: split ``nualod.nq`` into shards in one streaming pass; render the practices shard by
shard in worker processes (each practice: ``.ttl``, ``.nt``, ``.jsonld``, and an HTML page
per language); then, while a process merges the shards' search index, bucket the workers'
summary rows on disk for the lists and render the pages of regions, concepts, vocabulary
terms and catalog resources, the browse lists, the home page, search, versions, sitemap,
robots.txt, VoID and 404. Everything is written in a temporary folder beside
``DIR/site`` and swapped in when complete.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from nualod.errors import SiteError, Terminated, cannot_write, stops_deferred
from nualod.files.atomic import swap_folder
from nualod.files.current import CURRENT, release_folder
from nualod.files.forked import ForkedCall
from nualod.files.lock import FolderLock
from nualod.files.pool import worker_pool
from nualod.model.licence import CREATOR_NAME, LICENSE, LICENSE_NAME, LICENSE_SHORT
from nualod.site import pages
from nualod.site.context import Context, load_context
from nualod.site.html import LANGUAGES
from nualod.site.lists import Buckets, bucket
from nualod.site.paths import DEFAULT_BASE, DOWNLOAD_FOLDER, RELEASES_FOLDER, base_parts
from nualod.site.practices import ShardResult, SiteInfo, render_shard
from nualod.site.search import IndexWritten, merge_index
from nualod.site.shards import Split, split_quads, syntax_error
from nualod.write.formats import BY_FILE_NAME


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
    published: str | Path,
    *,
    base_url: str = DEFAULT_BASE,
    base: str | None = None,
    workers: int | None = None,
    search: bool = True,
    progress: Callable[[str], None] | None = None,
    finish: Callable[[Path], object] | None = None,
) -> SiteResult:
    """Write ``published/site/`` from a published folder; return what was written.

    ``finish``, if given, is called with the new site's folder once it is complete and
    before it is swapped in (the command line writes Apache's ``.htaccess`` there).

    ``base_url`` is where the site is served (for the sitemap and canonical links);
    ``base`` the prefix of our IRIs that the site's root stands for (by default the data
    base of the published data minus ``id/``).
    """
    if workers is not None and workers < 1:
        raise SiteError(f"workers: {workers} is not a number of processes (1 or more)")
    published = Path(published)
    source = published / "nualod.nq"
    if not source.is_file():
        raise SiteError(f"{source}: not found (publish into this folder first)")
    if not base_url.endswith("/"):
        base_url += "/"
    # Checked as the command line checks it: it goes into every page, sitemap and config.
    base_parts(base_url, "base_url")
    say = progress or (lambda _text: None)
    final = published / "site"
    try:
        with FolderLock(
            published, LOCK_NAME, SiteError, "another nualod site (pid {pid}) is building this site"
        ):
            _remove_stale(published)
            return _build(published, source, final, base_url, base, workers, search, say, finish)
    except OSError as error:
        # A full disk or a read-only folder, in this process or a worker: one line, and the
        # site as it was (the temporary folder is gone).
        raise SiteError(cannot_write(error, final, final)) from None


#: The lock a site build holds on its published folder (:class:`FolderLock`).
LOCK_NAME: Final = ".site.lock"


def _remove_stale(published: Path) -> None:
    """Remove what site builds that died left beside ``DIR/site``: their temporary folders
    (``.site.*.part``) and old sites moved aside (``.site.*.old``, ``.site.old``).

    Called holding the lock, so no other build is running: a million practices' unfinished
    site is tens of gigabytes that nothing else would remove.
    """
    for entry in sorted(published.iterdir()):
        name = entry.name
        if name.startswith(".site.") and name.endswith((".part", ".old")) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _build(
    published: Path,
    source: Path,
    final: Path,
    base_url: str,
    base: str | None,
    workers: int | None,
    search: bool,
    say: Callable[[str], None],
    finish: Callable[[Path], object] | None,
) -> SiteResult:
    temporary: Path | None = None
    swapped = False
    try:
        with stops_deferred():
            temporary = Path(tempfile.mkdtemp(prefix=".site.", suffix=".part", dir=published))
        # A publish may make another release current meanwhile: every file is read from
        # the one current now, so the site is of one release (messages name the files as
        # given).
        data = release_folder(published)
        out = temporary / "site"
        work = temporary / "work"
        out.mkdir()
        work.mkdir()
        say("splitting nualod.nq")
        try:
            # Small files are routed in one part whatever this says (see split_quads).
            split = split_quads(
                data / source.name, work / "split", parts=workers or DEFAULT_WORKERS
            )
        except OSError as error:
            if error.filename is None or Path(error.filename) != data / source.name:
                raise  # writing the shards failed: see build_site
            raise SiteError(f"{source}: {error.strerror}") from error
        split = replace(split, source=source)
        try:
            context = load_context(split.context, data)
        except SyntaxError as error:
            raise syntax_error(source, split.context, error) from None
        root_base = base or _root_base(split, context)
        site = _site_info(context, root_base, base_url)
        context.versions.place_pruned(site.base)
        say(f"rendering practices in {len(split.shards)} shards")
        results = _render_practices(split, out, context, site, workers, search)
        records = 0
        files = sum(r.files for r in results)
        merged: ForkedCall[IndexWritten] | None = None
        try:
            if search:
                # The merge is one streaming pass: a process of its own, beside the lists
                # and the pages.
                say("merging the search index")
                counts = [
                    (r.shard, r.practices) for r in sorted(results, key=_shard) if r.practices
                ]
                merged = ForkedCall(partial(merge_index, out, work, counts))
            say("bucketing the lists")
            buckets = bucket((r.summary for r in results), work / "lists")
            _link_downloads(published, data, out)
            say("rendering regions, concepts, lists and vocabulary")
            written, written_pages = pages.write_all(out, context, site, buckets, data)
            files += written
            if merged is not None:
                index = merged.result()
                records = index.records
                files += index.files
        finally:
            if merged is not None:
                merged.stop()
        practices = sum(r.practices for r in results)
        withdrawn = sum(r.withdrawn for r in results)
        shutil.rmtree(work)
        if finish is not None:
            finish(out)
        # In one step where the system can (a reader finds the old site or the new one).
        old = swap_folder(out, final)
        swapped = True
        if old is not None:
            # A million practices' site is millions of files: deleting them takes minutes,
            # and the new site is already what readers get.
            say("the new site is in place; deleting the old one")
            shutil.rmtree(old, ignore_errors=True)
    except (Terminated, KeyboardInterrupt) as stop:
        # Stopping must be quick, and deleting a large site is not: the next build
        # deletes what this one leaves (_remove_stale).
        left = f"{final} {'holds the new site' if swapped else 'was left as it was'}"
        if temporary is not None:
            left += f"; the next `nualod site` deletes {temporary.name}"
        if isinstance(stop, KeyboardInterrupt):
            raise KeyboardInterrupt(left) from None
        raise Terminated(left) from None
    except BaseException:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        raise
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
    licence = str(dataset.get("license", LICENSE))
    names = {
        "en": str(dataset.get("name", "nualod")),
        "id": str(dataset.get("alternateName", dataset.get("name", "nualod"))),
    }
    creator = dataset.get("creator", {})
    creator_name = (
        str(creator.get("name", CREATOR_NAME)) if isinstance(creator, dict) else CREATOR_NAME
    )
    licence_names = {
        LICENSE: f"{LICENSE_NAME} ({LICENSE_SHORT})",
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
        # The pool stops its workers on a stop (worker_signals); this process cleans up.
        with worker_pool(count) as pool:
            return list(pool.imap(_work, split.shards, chunksize=4))
    finally:
        _STATE.clear()


#: The files of a release that its download base serves beside its distributions: the
#: catalog, VoID and schema.org descriptions, and the landing page (``dcat:landingPage``,
#: the download base itself), which links them all by relative paths.
DESCRIPTIONS: Final = ("catalog.ttl", "catalog.jsonld", "void.ttl", "dataset.jsonld", "index.html")
#: The change feed's folder in a release, and its files: the root node and the pages.
FEED_FOLDER: Final = "feed"
#: A release's manifest (``nualod.releases.layout.MANIFEST``): its version and files.
MANIFEST: Final = "release.json"
_FEED_FILE: Final = re.compile(r"(?:index|page-[0-9]+)\.trig")


def download_names(release: Path) -> list[str]:
    """Return the files of a release that its download base promises, as paths relative to
    the release (``nualod.ttl``, ``feed/page-000001.trig``), sorted; only those there.

    They are its descriptions (:data:`DESCRIPTIONS`), every distribution its catalog can
    list (:data:`~nualod.write.formats.BY_FILE_NAME`), and its feed's root and pages; not
    its store, manifest, index of practices or list of rejected inputs.
    """
    names = {*DESCRIPTIONS, *BY_FILE_NAME}
    # No feed folder: a release published without --release or --previous.
    with suppress(OSError):
        names.update(
            f"{FEED_FOLDER}/{entry.name}"
            for entry in (release / FEED_FOLDER).iterdir()
            if _FEED_FILE.fullmatch(entry.name)
        )
    return sorted(name for name in names if (release / name).is_file())


def _versioned_releases(published: Path, data: Path) -> list[Path]:
    """Return the releases whose catalogs give download URLs of their own
    (``DOWNLOAD_BASE/releases/V/``): each kept release of OUT published with a version,
    named after it, the current one included; sorted by name.

    A release pruned while this runs (or one whose manifest cannot be read) is left out.
    """
    folders = (
        sorted(p for p in data.parent.iterdir() if not p.name.startswith("."))
        if (published / CURRENT).is_symlink()
        else [data]
    )
    kept = []
    for folder in folders:
        try:
            manifest = json.loads((folder / MANIFEST).read_bytes())
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("version") == folder.name:
            kept.append(folder)
    return kept


def _link_downloads(published: Path, data: Path, out: Path) -> None:
    """Put under ``download/`` what the default download base promises (hard links, copies
    if need be): the current release's files (:func:`download_names`, the feed's pages
    included, so a rebuilt site keeps them) at the top, and each kept versioned release's
    under ``releases/V/``, where its catalog's download URLs point.

    ``data`` is the current release's folder, ``published`` the folder given. A file that
    is gone meanwhile (a release pruned by a publish) is left out, not an error, and so is
    one that is a symbolic link leading out of the releases (to ``/etc/passwd``): a hard
    link or copy of it in the site would be served as the site's own file.
    """
    folder = out / DOWNLOAD_FOLDER
    folder.mkdir(exist_ok=True)
    releases = _versioned_releases(published, data)
    inside = (data.parent if (published / CURRENT).is_symlink() else data).resolve()
    _link_release(data, folder, inside)
    for release in releases:
        _link_release(release, folder / RELEASES_FOLDER / release.name, inside)


def _link_release(release: Path, target: Path, inside: Path) -> None:
    for name in download_names(release):
        source = (release / name).resolve()  # an older layout's files may be symlinks
        if not source.is_relative_to(inside):
            continue
        link = target / name
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, link)
        except FileNotFoundError:
            continue  # pruned since it was listed
        except OSError:
            try:
                shutil.copyfile(source, link)
            except FileNotFoundError:
                continue


def asset_text(name: str) -> str:
    """Return a shipped asset of the site (CSS, JavaScript)."""
    return resources.files("nualod.site").joinpath(f"assets/{name}").read_text("utf-8")


def triples_of(path: Path) -> Iterable[ox.Triple]:
    """Yield the triples of a Turtle file (tests use it too)."""
    with path.open("rb") as data:
        yield from ox.parse(data, format=ox.RdfFormat.TURTLE)


__all__ = ["LANGUAGES", "Buckets", "SiteError", "SiteResult", "build_site"]
