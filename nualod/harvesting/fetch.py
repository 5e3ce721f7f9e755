"""Harvest NUF good-practice pages from the web into a folder the page reader can read.

`harvest` is the one entry point. Every URL gets an outcome, `SavedPage` or `RejectedURL`;
only bad usage (the target is a file, a setting out of range) raises `HarvestError`.

Files (see `nualod.harvesting.pagestore` for the exact contract): ``DIR/<safe-name>.html`` or
``.txt`` with the body, and ``DIR/<safe-name>.html.meta.json`` with where and when it came
from. A later harvest into the same folder revalidates each page with ``If-None-Match`` /
``If-Modified-Since`` and keeps the file on ``304 Not Modified``.

Resume: while a harvest runs, ``DIR/.nualod-harvest.jsonl`` lists the pages it has saved;
it is deleted when every URL has an outcome. If a harvest is interrupted (Ctrl-C, a crash),
the next harvest into the folder finds the journal and does not request the pages listed
there again (their outcome is ``resumed``), unless ``resume=False``.

Credentials: a URL may carry a user and password (``http://user:pass@host/page``, for a
site behind basic auth); they are sent, but never written to a sidecar (whose URLs are
published as the practice's ``prov:wasDerivedFrom``: :func:`without_userinfo`), the journal
or a file name's digest, nor shown in a rejection (the password as ``***``:
:func:`hide_password`).
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urldefrag, urlsplit, urlunsplit

import requests

from nualod.errors import HarvestError, NotUTF8Error, utf8_text
from nualod.files.lock import FolderLock
from nualod.harvesting.http import USER_AGENT, Fetched, Fetcher, FetchError, FetchPolicy
from nualod.harvesting.pagestore import (
    LOCK_NAME,
    Journal,
    StoredPage,
    find_stored,
    now_utc,
    remove_page,
    remove_stale_temps,
    safe_name,
    write_metadata,
)
from nualod.read.sidecar import PageMetadata, read_page_metadata

__all__ = [
    "USER_AGENT",
    "HarvestOutcome",
    "HarvestResult",
    "ListedURL",
    "PageMetadata",
    "RejectedURL",
    "SaveKind",
    "SavedPage",
    "harvest",
    "listed_urls",
    "read_page_metadata",
    "read_url_list",
    "url_places",
]


class SaveKind(enum.StrEnum):
    """How a saved page came to be on disk in this harvest."""

    FETCHED = "fetched"  # downloaded (new or changed)
    NOT_MODIFIED = "not-modified"  # server answered 304; the saved file was kept
    UNCHANGED = "unchanged"  # downloaded again, the same bytes; the saved file was kept
    RESUMED = "resumed"  # saved by the interrupted harvest this one resumes; not requested


@dataclass(frozen=True, slots=True)
class SavedPage:
    """A URL whose page is in the folder."""

    url: str
    path: Path
    final_url: str
    kind: SaveKind
    bytes: int
    sha256: str


@dataclass(frozen=True, slots=True)
class RejectedURL:
    """A URL that was not saved, and why; ``status`` is the HTTP status if there was one."""

    url: str
    reason: str
    status: int | None = None

    @property
    def error(self) -> HarvestError:
        """Return the rejection as an error, for uniform reporting (no password shown)."""
        return HarvestError(hide_password(self.url, self.url), hide_password(self.reason, self.url))


def without_userinfo(url: str) -> str:
    """Return a URL without its user part, as a sidecar records it (it is published).

    >>> without_userinfo("http://editor:s3cret@nuf.example.id:8080/praktik?a=1")
    'http://nuf.example.id:8080/praktik?a=1'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def hide_password(text: str, url: str) -> str:
    """Return ``text`` with the user part of ``url`` shown as ``user:***@``.

    >>> hide_password("HTTP 404 at http://editor:s3cret@h/x", "http://editor:s3cret@h/x")
    'HTTP 404 at http://editor:***@h/x'
    """
    try:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
    except ValueError:
        return text
    user, colon, password = userinfo.partition(":")
    if not colon or not password:
        return text
    return text.replace(f"{userinfo}@", f"{user}:***@")


HarvestOutcome = SavedPage | RejectedURL


@dataclass(frozen=True, slots=True)
class HarvestResult:
    """The outcome of every URL of a harvest, in the order given (duplicates once)."""

    folder: Path
    outcomes: tuple[HarvestOutcome, ...]

    @property
    def saved(self) -> tuple[SavedPage, ...]:
        """Return the URLs whose pages are in the folder."""
        return tuple(o for o in self.outcomes if isinstance(o, SavedPage))

    @property
    def rejected(self) -> tuple[RejectedURL, ...]:
        """Return the URLs that were not saved."""
        return tuple(o for o in self.outcomes if isinstance(o, RejectedURL))

    @property
    def ok(self) -> bool:
        """Return True if every URL was saved."""
        return not self.rejected


def check_url(url: str) -> str | None:
    """Return why a string is not a URL nualod can harvest, or None if it is one.

    >>> check_url("https://nuf.example.id/praktik") is None
    True
    >>> check_url("ftp://nuf.example.id/x")
    'not an http(s) URL'
    >>> check_url("https:///x")
    'URL has no host'
    """
    if any(c.isspace() for c in url) or "\x00" in url:
        return "URL contains whitespace or NUL"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname:
        return "URL has no host"
    return None


class ListedURL(NamedTuple):
    """A URL of a list file and where it is written: ``FILE:LINE``, the place a message about
    it names."""

    url: str
    place: str


def listed_urls(path: Path | str) -> list[ListedURL]:
    """Return the URLs listed in a text file, one per line, in order, each with its line.

    Blank lines and lines starting with ``#`` are skipped, as is a `` #`` comment after a
    URL. Lines are not checked here: `harvest` rejects invalid ones with a reason, so one
    bad line never stops the rest. Raise `HarvestError` if the file cannot be read.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise HarvestError(str(file), f"cannot read URL list: {exc.strerror or exc}") from None
    try:
        text = utf8_text(data)
    except NotUTF8Error as exc:
        raise HarvestError(str(file), f"cannot read URL list: {exc}") from None
    urls: list[ListedURL] = []
    # Lines as an editor counts them (\n, \r\n, \r): str.splitlines also breaks at form
    # feeds, U+2028 and others, which would shift every later line's number.
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        for marker in (" #", "\t#"):
            entry = entry.split(marker, 1)[0].strip()
        urls.append(ListedURL(entry, f"{file}:{number}"))
    return urls


def read_url_list(path: Path | str) -> list[str]:
    """Return the URLs listed in a text file, one per line, in order (:func:`listed_urls`
    without their lines)."""
    return [listed.url for listed in listed_urls(path)]


def url_places(listed: Iterable[ListedURL], given: Iterable[str] = ()) -> dict[str, str]:
    """Return where each listed URL is first written, keyed by the URL as `harvest` names
    it in a :class:`RejectedURL` (its fragment dropped, as fetching drops it); a URL also
    ``given`` before the list (on the command line) is harvested as given there: no place.

    >>> url_places([ListedURL("http://a.example/p#x", "u.txt:2"), ListedURL("http://a.example/p", "u.txt:5")])
    {'http://a.example/p': 'u.txt:2'}
    >>> url_places([ListedURL("http://a.example/p", "u.txt:2")], given=["HTTP://A.example/p"])
    {}
    """
    places: dict[str, str] = {}
    for url, place in listed:
        places.setdefault(_url_key(url), place)
    for url in given:
        places.pop(_url_key(url), None)
    return places


def _url_key(url: str) -> str:
    return _case_folded(urldefrag(url.strip())[0])


def place_of(url: str, places: dict[str, str]) -> str | None:
    """Return where a harvested URL was listed (:func:`url_places`), or None."""
    return places.get(_case_folded(url))


def harvest(
    urls: Iterable[str],
    into: Path | str,
    *,
    delay: float = 1.0,
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_wait: float = 60.0,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = 10,
    respect_robots: bool = True,
    resume: bool = True,
    user_agent: str = USER_AGENT,
    on_result: Callable[[HarvestOutcome], None] | None = None,
) -> HarvestResult:
    """Fetch every URL into the folder ``into`` and return the outcome of each.

    ``delay`` is the pause in seconds between requests to one host (raised to the host's
    robots.txt ``Crawl-delay``); ``retries`` the extra attempts after connection errors,
    429 and 5xx, waiting ``backoff`` seconds doubling each time (or ``Retry-After``), every
    wait capped at ``max_wait``. ``max_bytes`` caps the decompressed size of a page.
    ``on_result`` is called with each outcome as soon as it is known (an exception it
    raises stops the harvest; the next one resumes). Raise `HarvestError` only for bad
    usage: ``into`` is not a folder, or a setting is out of range.
    """
    if isinstance(urls, str):
        raise TypeError("urls must be an iterable of URLs, not one string")
    policy = FetchPolicy(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries=retries,
        backoff=backoff,
        max_wait=max_wait,
        delay=delay,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        robots=respect_robots,
        user_agent=user_agent,
    )
    policy.check()
    folder = _prepare(Path(into))
    wanted = _unique(urls)
    lock = FolderLock(folder, LOCK_NAME, _FolderError, "another harvest (pid {pid}) is writing it")
    lock.acquire()
    try:
        return _harvest_locked(folder, wanted, policy, resume, on_result)
    finally:
        lock.release()


class _FolderError(HarvestError):
    """A :class:`HarvestError` made of :class:`FolderLock`'s one-line message, which
    starts with the folder: ``FOLDER: reason``."""

    def __init__(self, message: str) -> None:
        where, _, reason = message.partition(": ")
        super().__init__(where, reason)


def _harvest_locked(
    folder: Path,
    wanted: list[str],
    policy: FetchPolicy,
    resume: bool,
    on_result: Callable[[HarvestOutcome], None] | None,
) -> HarvestResult:
    journal = Journal(folder)
    done = journal.completed() if resume else {}
    journal.start(resume=bool(done))
    outcomes: list[HarvestOutcome] = []
    try:
        with Fetcher(policy) as fetcher:
            for url in wanted:
                outcome = _harvest_one(fetcher, folder, url, done)
                if isinstance(outcome, SavedPage):
                    journal.record(without_userinfo(url), outcome.sha256, outcome.path.name)
                outcomes.append(outcome)
                if on_result is not None:
                    on_result(outcome)
    except BaseException:
        journal.close()
        raise
    journal.finish()
    return HarvestResult(folder, tuple(outcomes))


def _prepare(folder: Path) -> Path:
    if folder.exists() and not folder.is_dir():
        raise HarvestError(str(folder), "harvest target exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HarvestError(str(folder), f"cannot create harvest folder: {exc}") from exc
    remove_stale_temps(folder)
    return folder.resolve()


def _unique(urls: Iterable[str]) -> list[str]:
    """Return the URLs without their fragments, each once: two that differ only in the
    case of their scheme or host are one (RFC 3986, 6.2.2.1), the first spelling kept.

    >>> _unique(["http://A.example/p#x", "HTTP://a.example/p", "http://a.example/P"])
    ['http://A.example/p', 'http://a.example/P']
    """
    seen: dict[str, str] = {}
    for url in urls:
        bare = urldefrag(url.strip())[0]
        seen.setdefault(_case_folded(bare), bare)
    return list(seen.values())


def _case_folded(url: str) -> str:
    """Return a URL with its scheme and host in lower case (its user, port and path kept)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # refused later, as a bad URL
        return url
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = userinfo + at + hostport.lower()  # a port is digits: lower case changes nothing
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def _harvest_one(fetcher: Fetcher, folder: Path, url: str, done: dict[str, str]) -> HarvestOutcome:
    problem = check_url(url)
    if problem is not None:
        return RejectedURL(url, problem)
    # Named and journaled without its password: the digest in a file name would let anyone
    # who sees the folder try passwords against it.
    stem = safe_name(without_userinfo(url))
    stored: StoredPage | None = None
    try:
        stored = find_stored(folder, stem)
        if stored is not None and done.get(without_userinfo(url)) == stored.metadata.sha256:
            meta = stored.metadata
            return SavedPage(
                url, stored.path, meta.final_url, SaveKind.RESUMED, meta.bytes, meta.sha256
            )
        headers = _conditional_headers(stored)
        fetched = fetcher.fetch(url, headers=headers, spool=folder)
        if fetched.status == 304:
            return _keep(url, stored, fetched)
        return _save(url, folder, stem, stored, fetched)
    except FetchError as exc:
        if exc.status == 410 and stored is not None:
            # Gone: removed on purpose (RFC 9110, 15.5.11). Kept, its practice would be
            # published again from the old copy; removed, the next release withdraws it.
            remove_page(stored.path)
            return RejectedURL(
                url, f"{exc.reason}; its saved page {stored.path.name} was removed", exc.status
            )
        return RejectedURL(url, exc.reason, exc.status)
    except HarvestError as exc:
        return RejectedURL(url, exc.message)
    except (requests.RequestException, OSError, ValueError) as exc:
        return RejectedURL(url, f"{type(exc).__name__}: {exc}")


def _conditional_headers(stored: StoredPage | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if stored is not None:
        if stored.metadata.etag:
            headers["If-None-Match"] = stored.metadata.etag
        if stored.metadata.last_modified:
            headers["If-Modified-Since"] = stored.metadata.last_modified
    return headers


def _same_as_stored(stored: StoredPage | None, page: Path, fetched: Fetched) -> bool:
    """Tell whether a page downloaded in full is the one saved: the same file, bytes, final
    URL, status and content type (what the page's reading and provenance take from it)."""
    if stored is None or stored.path != page:
        return False
    old = stored.metadata
    return (
        old.sha256 == fetched.sha256
        and old.bytes == fetched.size
        and old.final_url == without_userinfo(fetched.final_url)
        and old.status == fetched.status
        and old.content_type == fetched.content_type
    )


def _keep(
    url: str,
    stored: StoredPage | None,
    fetched: Fetched,
    kind: SaveKind = SaveKind.NOT_MODIFIED,
) -> HarvestOutcome:
    if stored is None:
        return RejectedURL(url, "HTTP 304 Not Modified for a page not saved before", 304)
    old = stored.metadata
    meta = PageMetadata(
        url=without_userinfo(url),
        final_url=without_userinfo(fetched.final_url),
        retrieved_at=old.retrieved_at,
        status=old.status,
        etag=fetched.etag or old.etag,
        last_modified=fetched.last_modified or old.last_modified,
        content_type=old.content_type,
        sha256=old.sha256,
        bytes=old.bytes,
        checked_at=now_utc(),
    )
    write_metadata(stored.path, meta)
    return SavedPage(url, stored.path, meta.final_url, kind, meta.bytes, meta.sha256)


def _save(
    url: str, folder: Path, stem: str, stored: StoredPage | None, fetched: Fetched
) -> HarvestOutcome:
    page = folder / (stem + fetched.suffix)
    if page.parent != folder:  # safe_name makes this impossible; refuse rather than trust
        fetched.discard()
        return RejectedURL(url, f"unsafe file name {page.name!r}")
    if _same_as_stored(stored, page, fetched):
        # A server that sends no validators answers in full each time: the page was only
        # checked, as a 304 says; its retrieval time stays, so it is published unchanged.
        assert stored is not None
        fetched.discard()
        return _keep(url, stored, fetched, SaveKind.UNCHANGED)
    meta = PageMetadata(
        url=without_userinfo(url),
        final_url=without_userinfo(fetched.final_url),
        retrieved_at=now_utc(),
        status=fetched.status,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        content_type=fetched.content_type,
        sha256=fetched.sha256,
        bytes=fetched.size,
    )
    try:
        fetched.save(page)
    except BaseException:
        fetched.discard()
        raise
    write_metadata(page, meta)
    if stored is not None and stored.path != page:  # content type changed: .html <-> .txt
        remove_page(stored.path)
    return SavedPage(url, page, meta.final_url, SaveKind.FETCHED, meta.bytes, meta.sha256)
