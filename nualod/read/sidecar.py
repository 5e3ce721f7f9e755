"""Read the metadata saved beside a harvested page (its sidecar): URL, retrieval time, digest.

The format is written by :mod:`nualod.harvesting.pagestore`; the page reader only reads it, to
carry the page URL and retrieval time into the published provenance.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from nualod.errors import HarvestError

META_SUFFIX: Final = ".meta.json"
_TIMESTAMP: Final = "%Y-%m-%dT%H:%M:%SZ"


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


def _moment(data: Mapping[str, Any], key: str) -> dt.datetime:
    """Return a sidecar's UTC moment ``key``; a ValueError that names it, in words, if it is
    not one ("day is out of range for month" named neither the field nor the form).

    >>> _moment({"checked_at": "2025-02-30T00:00:00Z"}, "checked_at")
    Traceback (most recent call last):
    ...
    ValueError: 'checked_at' is not a UTC moment such as 2025-12-18T08:30:01Z: '2025-02-30T00:00:00Z'
    """
    value = _field(data, key, str)
    try:
        return parse_timestamp(value)
    except ValueError:
        raise ValueError(
            f"{key!r} is not a UTC moment such as 2025-12-18T08:30:01Z: {value!r}"
        ) from None


def is_page_url(url: str) -> bool:
    """Tell whether a sidecar's URL is one a page can come from: an absolute http(s) URL that
    is an IRI (no ``javascript:`` link on the practice's page, nothing the dumps cannot write).

    >>> is_page_url("https://nuf.example.id/praktik"), is_page_url("javascript:alert(1)")
    (True, False)
    """
    from pyoxigraph import NamedNode

    try:
        parts = urlsplit(url)
        NamedNode(url)  # an IRI the dumps can write
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def read_page_metadata(page_path: Path) -> PageMetadata | None:
    """Return the metadata saved beside a harvested page, or None if it has no sidecar.

    Raise `HarvestError` naming the sidecar if it exists but cannot be read as metadata.
    """
    path = sidecar_path(Path(page_path))
    try:
        # A FIFO (or a device) would be read until a writer came, and that may be never.
        if not stat.S_ISREG(path.stat().st_mode):
            raise HarvestError(str(path), "cannot read page metadata: not a regular file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise HarvestError(
            str(path),
            f"cannot read page metadata: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
            f"offset {exc.start})",
        ) from None
    except OSError as exc:
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
        # Published as the practice's prov:wasDerivedFrom, and linked from its page.
        if not is_page_url(_field(data, "final_url", str)):
            raise ValueError(f"'final_url' is not an http(s) IRI: {data['final_url']!r}")
        return PageMetadata(
            url=_field(data, "url", str),
            final_url=_field(data, "final_url", str),
            retrieved_at=_moment(data, "retrieved_at"),
            status=status,
            etag=_field(data, "etag", str, optional=True),
            last_modified=_field(data, "last_modified", str, optional=True),
            content_type=_field(data, "content_type", str, optional=True),
            sha256=sha,
            bytes=size,
            checked_at=_moment(data, "checked_at") if data.get("checked_at") is not None else None,
        )
    except ValueError as exc:  # json.JSONDecodeError and bad timestamps are ValueErrors
        raise HarvestError(str(path), f"malformed page metadata: {exc}") from exc
    except RecursionError:
        raise HarvestError(str(path), "malformed page metadata: nested too deeply") from None
