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
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from nualod.errors import HarvestError

META_SUFFIX = ".meta.json"
PAGE_SUFFIXES = (".html", ".txt")
JOURNAL_NAME = ".nualod-harvest.jsonl"
TEMP_PREFIX = ".nualod-tmp-"
MAX_SLUG = 100
_HASH_LENGTH = 12
_TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
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


def sidecar_path(page_path: Path) -> Path:
    """Return the metadata file that belongs to a page file.

    >>> sidecar_path(Path("pages/a-1.html")).as_posix()
    'pages/a-1.html.meta.json'
    """
    return page_path.with_name(page_path.name + META_SUFFIX)


def format_timestamp(moment: dt.datetime) -> str:
    """Return a moment as UTC ISO 8601 with seconds precision and a ``Z``.

    >>> format_timestamp(dt.datetime(2025, 12, 18, 8, 30, 1, 999, tzinfo=dt.UTC))
    '2025-12-18T08:30:01Z'
    """
    return moment.astimezone(dt.UTC).strftime(_TIMESTAMP)


def parse_timestamp(text: str) -> dt.datetime:
    """Return the aware UTC moment written by `format_timestamp`.

    >>> parse_timestamp("2025-12-18T08:30:01Z").isoformat()
    '2025-12-18T08:30:01+00:00'
    """
    return dt.datetime.strptime(text, _TIMESTAMP).replace(tzinfo=dt.UTC)


def now_utc() -> dt.datetime:
    """Return the current moment in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the sidecar of a harvested page says about where and when it was fetched."""

    url: str
    final_url: str
    retrieved_at: dt.datetime
    status: int
    etag: str | None
    last_modified: str | None
    content_type: str | None
    sha256: str
    bytes: int
    checked_at: dt.datetime | None = None

    def to_json(self) -> str:
        """Return the sidecar text: UTF-8 JSON with sorted keys and a final newline."""
        data: dict[str, object] = {
            "url": self.url,
            "final_url": self.final_url,
            "retrieved_at": format_timestamp(self.retrieved_at),
            "status": self.status,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "content_type": self.content_type,
            "sha256": self.sha256,
            "bytes": self.bytes,
        }
        if self.checked_at is not None:
            data["checked_at"] = format_timestamp(self.checked_at)
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _field(data: Mapping[str, Any], key: str, kind: type, *, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        wanted = kind.__name__ + (" or null" if optional else "")
        raise ValueError(f"{key!r} must be {wanted}, not {value!r}")
    return value


def read_page_metadata(page_path: Path) -> PageMetadata | None:
    """Return the metadata saved beside a harvested page, or None if it has no sidecar.

    Raise `HarvestError` naming the sidecar if it exists but cannot be read as metadata.
    """
    path = sidecar_path(Path(page_path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise HarvestError(str(path), f"cannot read page metadata: {exc}") from exc
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        size = _field(data, "bytes", int)
        status = _field(data, "status", int)
        if size < 0 or not 100 <= status <= 599:
            raise ValueError("'bytes' or 'status' out of range")
        sha = _field(data, "sha256", str)
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise ValueError("'sha256' is not a SHA-256 hex digest")
        return PageMetadata(
            url=_field(data, "url", str),
            final_url=_field(data, "final_url", str),
            retrieved_at=parse_timestamp(_field(data, "retrieved_at", str)),
            status=status,
            etag=_field(data, "etag", str, optional=True),
            last_modified=_field(data, "last_modified", str, optional=True),
            content_type=_field(data, "content_type", str, optional=True),
            sha256=sha,
            bytes=size,
            checked_at=(
                parse_timestamp(data["checked_at"]) if data.get("checked_at") is not None else None
            ),
        )
    except ValueError as exc:  # json.JSONDecodeError and bad timestamps are ValueErrors
        raise HarvestError(str(path), f"malformed page metadata: {exc}") from exc


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


def new_temp(folder: Path) -> tuple[IO[bytes], Path]:
    """Return an open temporary file in ``folder`` and its path, for a later `commit`."""
    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    return os.fdopen(handle, "wb"), Path(name)


def commit(temp: Path, target: Path) -> None:
    """Move a finished temporary file onto its target in one step."""
    temp.replace(target)


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to ``target`` through a temporary file, so it is never half-written."""
    stream, temp = new_temp(target.parent)
    try:
        with stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        commit(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_metadata(page_path: Path, metadata: PageMetadata) -> None:
    """Write the sidecar of a page atomically."""
    write_atomic(sidecar_path(page_path), metadata.to_json().encode("utf-8"))


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

    def completed(self) -> dict[str, str]:
        """Return URL → SHA-256 of the pages an unfinished harvest completed."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise HarvestError(str(self.path), f"cannot read harvest journal: {exc}") from exc
        done: dict[str, str] = {}
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
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
