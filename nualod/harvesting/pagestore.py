"""Keep harvested pages on disk: safe file names, sidecar metadata, atomic writes, a journal.

The on-disk contract, which the page reader depends on: for every page,
``DIR/<safe-name>.html`` (or ``.txt`` for ``text/plain``) holds the body bytes as received
(decompressed), and ``DIR/<safe-name>.html.meta.json`` beside it holds UTF-8 JSON with sorted
keys: ``url``, ``final_url``, ``retrieved_at`` (UTC, ``YYYY-MM-DDTHH:MM:SSZ``), ``status``,
``etag``, ``last_modified``, ``content_type``, ``sha256`` and ``bytes``. ``status`` is the
status of the response that delivered the saved bytes (200). ``retrieved_at`` is when those
bytes were fetched; a later ``304 Not Modified`` keeps it (the content is the one fetched
then, so publishing it again gives the same data) and records the revalidation as
``checked_at`` (and refreshes ``etag`` / ``last_modified`` if sent).
``final_url`` is the URL of the last hop as requests sent it (percent-encoding normalised).

The page is written first and its sidecar second, each through a temporary file and
``os.replace``, so a crash never leaves a half-written file, and a sidecar whose ``sha256``
does not match its page marks an interrupted write (the page is then fetched again).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final
from urllib.parse import unquote, urlsplit

from nualod.errors import HarvestError
from nualod.files.atomic import write_atomic
from nualod.read.sidecar import (
    PageMetadata,
    format_timestamp,
    parse_timestamp,
    read_page_metadata,
    sidecar_path,
)

PAGE_SUFFIXES = (".html", ".txt")
JOURNAL_NAME = ".nualod-harvest.jsonl"
#: The lock a harvest holds on its folder (another harvest into it waits for none: it stops).
LOCK_NAME = ".nualod-harvest.lock"
TEMP_PREFIX = ".nualod-tmp-"
MAX_SLUG = 100
_HASH_LENGTH = 12
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")


def safe_name(url: str, *, max_length: int = MAX_SLUG) -> str:
    """Return a file name stem for a URL that is safe in any folder and unique to the URL.

    The readable part keeps only ``a-z0-9._-`` from the decoded host, path and query (so no
    slash, backslash, NUL, ``..`` or percent-encoded slash survives) and is cut to
    ``max_length``; a short SHA-256 of the whole URL always follows, so two different URLs
    never share a name.

    >>> safe_name("https://nuf.example.id/praktik-baik/kota-pekalongan")
    'nuf.example.id_praktik-baik_kota-pekalongan-89dee13d0d81'
    >>> safe_name("http://h/..%2f..%2fetc/passwd")
    'h_._._etc_passwd-a46f3e69891b'
    >>> safe_name("http://h/" + "x" * 500, max_length=10)
    'h_xxxxxxxx-b0d5eeb8b60d'
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    text = unquote(host + parts.path + (f"?{parts.query}" if parts.query else ""))
    slug = _DOTS.sub(".", _UNSAFE.sub("_", text.lower()))
    slug = slug.strip("._-")[:max_length].rstrip("._-") or "page"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{slug}-{digest}"


def now_utc() -> dt.datetime:
    """Return the current moment in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def file_sha256(path: Path) -> str | None:
    """Return the SHA-256 hex digest of a file, or None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 16), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A page already in the folder whose sidecar matches its bytes."""

    path: Path
    metadata: PageMetadata


def find_stored(folder: Path, stem: str) -> StoredPage | None:
    """Return the complete saved page for a name stem, or None if there is none.

    A page counts only if its sidecar reads and its bytes match the sidecar's SHA-256; a
    malformed sidecar or a mismatch (an interrupted write) counts as no page.
    """
    for suffix in PAGE_SUFFIXES:
        page = folder / (stem + suffix)
        try:
            meta = read_page_metadata(page)
        except HarvestError:
            continue
        if meta is not None and file_sha256(page) == meta.sha256:
            return StoredPage(page, meta)
    return None


def write_metadata(page_path: Path, metadata: PageMetadata) -> None:
    """Write the sidecar of a page atomically."""
    write_atomic(sidecar_path(page_path), metadata.to_json().encode("utf-8"), durable=True)


def remove_page(page_path: Path) -> None:
    """Remove a page and its sidecar, sidecar first, ignoring files already gone."""
    sidecar_path(page_path).unlink(missing_ok=True)
    page_path.unlink(missing_ok=True)


def remove_stale_temps(folder: Path, *, older_than: float = 3600.0) -> None:
    """Remove temporary files that a crashed harvest left behind in the folder."""
    limit = time.time() - older_than
    for temp in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < limit:
                temp.unlink()


#: How long an interrupted harvest may be resumed without asking its pages again.
RESUME_WITHIN: Final = dt.timedelta(days=1)


def _started_at(value: object) -> dt.datetime | None:
    """Return a journal's start time, or None when it has none that reads."""
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None


class Journal:
    """The append-only record of pages a harvest into one folder has completed.

    ``DIR/.nualod-harvest.jsonl`` exists exactly while a harvest is unfinished: it is
    created when a harvest starts, gains one JSON line per saved page (flushed and synced
    before the page is reported), and is deleted when every URL has an outcome. A harvest
    that finds it left behind resumes: URLs listed there whose page and sidecar still match
    are not requested again. A torn last line (a crash mid-write) is ignored.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL_NAME
        self._stream: IO[str] | None = None

    def completed(self, *, max_age: dt.timedelta = RESUME_WITHIN) -> dict[str, str]:
        """Return URL → SHA-256 of the pages an unfinished harvest completed, if it started
        within ``max_age``: the pages of an older one are revalidated, not taken as they
        are (a harvest stopped a week ago is no part of this week's)."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise HarvestError(str(self.path), f"cannot read harvest journal: {exc}") from exc
        done: dict[str, str] = {}
        for number, line in enumerate(lines):
            try:
                entry = json.loads(line)
            except (ValueError, RecursionError):  # a torn line, or one nested thousands deep
                continue
            if number == 0 and isinstance(entry, dict):
                # A journal that does not say when it started (none nualod writes) is resumed.
                started = _started_at(entry.get("started_at"))
                if started is not None and now_utc() - started > max_age:
                    return {}
            if isinstance(entry, dict):
                url, sha = entry.get("url"), entry.get("sha256")
                if isinstance(url, str) and isinstance(sha, str):
                    done[url] = sha
        return done

    def start(self, *, resume: bool) -> None:
        """Open the journal, continuing an unfinished one if ``resume``, else starting afresh."""
        try:
            self._stream = self.path.open("a" if resume else "w", encoding="utf-8")
        except OSError as exc:
            raise HarvestError(str(self.path), f"cannot write harvest journal: {exc}") from exc
        self._write({"started_at": format_timestamp(now_utc())})

    def record(self, url: str, sha256: str, file: str) -> None:
        """Append one completed page and make it durable."""
        self._write({"url": url, "sha256": sha256, "file": file})

    def _write(self, entry: Mapping[str, object]) -> None:
        if self._stream is None:
            raise RuntimeError("journal not started")
        self._stream.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())

    def close(self) -> None:
        """Close the journal and keep it, so a later harvest resumes."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def finish(self) -> None:
        """Close and delete the journal: the harvest is complete."""
        self.close()
        self.path.unlink(missing_ok=True)
