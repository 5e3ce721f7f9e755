"""Fetch web pages politely: one session, timeouts, retries, robots.txt and a size cap."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import ipaddress
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

from nualod import __version__
from nualod.errors import HarvestError, network_reason
from nualod.files.atomic import replace_file, temporary_file
from nualod.harvesting.pagestore import TEMP_PREFIX
from nualod.harvesting.robots import RobotsRules, parse_robots

USER_AGENT = f"nualod/{__version__} (+https://github.com/nualod/nualod)"
ROBOTS_TOKEN = "nualod"
ROBOTS_MAX_BYTES = 512 * 1024
CHUNK = 16 * 1024
_HTML_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}
#: The content codings the page is decoded from (RFC 9110, 8.4.1); another (br, zstd) would
#: be saved still encoded.
_DECODED_CODINGS: Final = frozenset({"gzip", "x-gzip", "deflate", "identity"})


def _codings(value: str) -> list[str]:
    """Return the content codings a Content-Encoding value lists, lower case.

    >>> _codings("gzip, BR"), _codings("")
    (['gzip', 'br'], [])
    """
    return [c.strip().lower() for c in value.split(",") if c.strip()]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how patiently to fetch.

    ``retries`` counts attempts after the first; backoff doubles from ``backoff`` seconds
    and every wait (backoff, ``Retry-After``, robots ``Crawl-delay``) is capped at
    ``max_wait``; a ``Retry-After`` longer than ``max_wait`` rejects the URL at once rather
    than retry earlier than the server asked.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 60.0
    delay: float = 1.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    robots: bool = True
    user_agent: str = USER_AGENT

    def check(self) -> None:
        """Raise `HarvestError` if a setting is out of range."""
        numbers = {
            "connect_timeout": self.connect_timeout,
            "read_timeout": self.read_timeout,
            "retries": self.retries,
            "backoff": self.backoff,
            "max_wait": self.max_wait,
            "delay": self.delay,
            "max_bytes": self.max_bytes,
            "max_redirects": self.max_redirects,
        }
        for name, value in numbers.items():
            if value < 0 or (name.endswith("timeout") and value == 0):
                raise HarvestError("harvest", f"{name} must be positive, not {value}")


class FetchError(HarvestError):
    """A URL was not saved; ``status`` is the HTTP status when there was one."""

    def __init__(self, where: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(where, reason)
        self.status = status


class _RetryableError(Exception):
    """A failure worth another attempt (connection error, 429, 5xx)."""

    def __init__(self, reason: str, *, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of a successful request: a new body (in ``body``) or 304 Not Modified."""

    status: int
    final_url: str
    etag: str | None
    last_modified: str | None
    content_type: str | None
    suffix: str
    body: Path | None = None
    sha256: str = ""
    size: int = 0

    def save(self, target: Path) -> None:
        """Move the downloaded body onto ``target`` (atomically)."""
        if self.body is None:
            raise RuntimeError("no body to save")
        replace_file(self.body, target)

    def discard(self) -> None:
        """Delete the downloaded body if it was not saved."""
        if self.body is not None:
            self.body.unlink(missing_ok=True)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Return the wait a ``Retry-After`` value asks for, or None if absent or unreadable.

    >>> retry_after_seconds("120")
    120.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT",
    ...                     now=dt.datetime(2015, 10, 21, 7, 27, 30, tzinfo=dt.UTC))
    30.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT")  # in the past
    0.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    moment = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - moment).total_seconds())


def origin_of(url: str) -> str:
    """Return the scheme and authority of a URL, the unit of robots.txt and politeness.

    >>> origin_of("HTTPS://NUF.example.id:8443/a?b")
    'https://nuf.example.id:8443'
    """
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def media_type(content_type: str | None) -> str:
    """Return the bare media type of a Content-Type value, lower case.

    >>> media_type("Text/HTML; charset=UTF-8")
    'text/html'
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


class _Robots:
    """The verdict of one host's robots.txt."""

    def __init__(self, rules: RobotsRules | None, refusal: str | None = None) -> None:
        self.rules = rules
        self.refusal = refusal

    def refuses(self, url: str) -> str | None:
        if self.refusal is not None:
            return self.refusal
        if self.rules is not None and not self.rules.allows(url):
            return "disallowed by robots.txt"
        return None

    def crawl_delay(self) -> float:
        if self.rules is None or self.rules.crawl_delay is None:
            return 0.0
        return self.rules.crawl_delay


class _Deadline:
    """A deadline that calls ``on_expire`` (from a thread of its own) ``seconds`` after it
    was started or last :meth:`restart`-ed, unless cancelled first."""

    def __init__(self, seconds: float, on_expire: Callable[[], None]) -> None:
        self.seconds = seconds
        self.expired = threading.Event()
        self._on_expire = on_expire
        self._at: float | None = time.monotonic() + seconds
        self._done = False
        self._changed = threading.Condition()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        with self._changed:
            while not self._done:
                if self._at is None:  # held
                    self._changed.wait()
                    continue
                left = self._at - time.monotonic()
                if left <= 0:
                    self.expired.set()
                    break
                self._changed.wait(left)
        if self.expired.is_set():
            self._on_expire()

    def hold(self) -> None:
        """Stop the clock until :meth:`restart`."""
        with self._changed:
            self._at = None
            self._changed.notify()

    def restart(self) -> None:
        """Give the deadline its whole time again, from now."""
        with self._changed:
            self._at = time.monotonic() + self.seconds
            self._changed.notify()

    def cancel(self) -> None:
        """Stop the deadline (it no longer expires)."""
        with self._changed:
            self._done = True
            self._changed.notify()


class _AddressRefusedError(Exception):
    """A redirect's connection reached an address it must not: closed before any byte of a
    request was sent. ``reason`` says which address, and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class _Redirected:
    """The rule for the requests of a redirect's hop: ``origin`` is the address of the site
    that sent the redirect (None: not known, as through a proxy)."""

    origin: _Address | None


class _Sockets:
    """The sockets a fetcher's connections open, so that a deadline can shut them, and the
    check of where a redirect's connection leads.

    A read timeout bounds each wait for a byte, not a whole answer: a server that sends one
    byte a second (headers or body) would never time out. When an attempt passes its
    deadline, its sockets are shut, which ends a read blocked in another thread at once.

    A redirect may name a host whose name resolves into this machine or its network
    (``localhost``, an intranet's name, ``metadata.google.internal``): what
    :func:`redirect_refusal` cannot see in the URL is judged on the address a connection
    reached (:attr:`hop`, this thread's rule), when it is made (before TLS) and before each
    request sent on it (a connection kept alive from an earlier request included). Each
    request also says where it went (``hop.peer``): the site that answers with a redirect
    is the origin of the next hop's rule.
    """

    def __init__(self) -> None:
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        #: This thread's ``rule`` (a ``_Redirected`` while a redirect's hop is fetched, else
        #: None) and ``peer``, the address its last request was sent to (None: not known).
        self.hop = threading.local()

    def judge(self, peer: _Address | None) -> None:
        """Raise :class:`_AddressRefusedError` where this thread's rule forbids ``peer``."""
        rule: _Redirected | None = getattr(self.hop, "rule", None)
        if rule is not None and peer is not None:
            refused = _hop_refusal(rule.origin, peer)
            if refused is not None:
                raise _AddressRefusedError(f"whose host name leads to {peer}, {refused}")

    def pool_classes(self) -> dict[str, type[urllib3.connectionpool.HTTPConnectionPool]]:
        tracked = self

        def checked(conn: urllib3.connection.HTTPConnection, sock: socket.socket) -> socket.socket:
            peer = None
            # Through a proxy the socket reaches the proxy, which resolves the names itself:
            # only addresses written as such are judged then (redirect_refusal).
            if getattr(conn, "proxy", None) is None:
                with contextlib.suppress(OSError):
                    peer = _address_literal(str(sock.getpeername()[0]).partition("%")[0])
            conn.nualod_peer = peer  # type: ignore[attr-defined]
            try:
                tracked.judge(peer)
            except _AddressRefusedError:
                sock.close()
                raise
            tracked.hop.peer = peer
            return sock

        def sending(conn: urllib3.connection.HTTPConnection) -> None:
            # A plain HTTP connection not yet made (or made again after its socket dropped)
            # is made inside the request, where checked() judges it and says where it went.
            if conn.sock is None:
                return
            peer: _Address | None = getattr(conn, "nualod_peer", None)
            tracked.judge(peer)
            tracked.hop.peer = peer

        class TrackedHTTP(urllib3.connection.HTTPConnection):
            def _new_conn(self) -> socket.socket:
                return checked(self, super()._new_conn())

            def connect(self) -> None:
                super().connect()
                with tracked.lock:
                    tracked.open.add(self.sock)

            def request(self, *args: Any, **kwargs: Any) -> None:
                sending(self)
                super().request(*args, **kwargs)

        class TrackedHTTPS(urllib3.connection.HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                return checked(self, super()._new_conn())

            def connect(self) -> None:
                super().connect()
                with tracked.lock:
                    tracked.open.add(self.sock)

            def request(self, *args: Any, **kwargs: Any) -> None:
                sending(self)
                super().request(*args, **kwargs)

        class HTTPPool(urllib3.connectionpool.HTTPConnectionPool):
            ConnectionCls = TrackedHTTP

        class HTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
            ConnectionCls = TrackedHTTPS

        return {"http": HTTPPool, "https": HTTPSPool}

    def shut_all(self) -> None:
        with self.lock:
            sockets, self.open = self.open, set()
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


class Fetcher:
    """A polite HTTP client for one harvest: use as a context manager, it owns a session."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._session = requests.Session()
        self._session.headers["User-Agent"] = policy.user_agent
        self._session.max_redirects = policy.max_redirects
        self._robots: dict[str, _Robots] = {}
        self._last: dict[str, float] = {}
        self._sockets = _Sockets()
        #: The deadline of the attempt under way, started again for each of its requests.
        self._deadline: _Deadline | None = None
        for adapter in self._session.adapters.values():
            manager = getattr(adapter, "poolmanager", None)
            if manager is not None:
                manager.pool_classes_by_scheme = self._sockets.pool_classes()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session and its connections."""
        self._session.close()

    # -- politeness ------------------------------------------------------------------

    def _wait_turn(self, origin: str) -> None:
        robots = self._robots.get(origin)
        crawl_delay = robots.crawl_delay() if robots is not None else 0.0
        delay = max(self.policy.delay, min(crawl_delay, self.policy.max_wait))
        last = self._last.get(origin)
        if last is not None:
            remaining = last + delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)

    def _done(self, origin: str) -> None:
        self._last[origin] = self._clock()

    def _with_retries(self, url: str, attempt_once: Callable[[], T]) -> T:
        attempts = self.policy.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return attempt_once()
            except _RetryableError as failure:
                if attempt == attempts:
                    raise FetchError(
                        url,
                        f"{failure.reason} (gave up after {attempts} attempt"
                        f"{'' if attempts == 1 else 's'})",
                        status=failure.status,
                    ) from None
                wait = failure.wait
                if wait is None:
                    wait = min(self.policy.backoff * 2 ** (attempt - 1), self.policy.max_wait)
                elif wait > self.policy.max_wait:
                    raise FetchError(
                        url,
                        f"{failure.reason}; server asked to retry after {wait:g} s, more than "
                        f"the {self.policy.max_wait:g} s cap",
                        status=failure.status,
                    ) from None
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, url: str, headers: Mapping[str, str]) -> requests.Response:
        """Send one GET (no redirects followed) and return the open, streaming response."""
        origin = origin_of(url)
        # The pause between requests to a host is not the server's time: the deadline is
        # held while it lasts, and each request (a redirect's hop) has it whole once sent.
        if self._deadline is not None:
            self._deadline.hold()
        self._wait_turn(origin)
        if self._deadline is not None:
            self._deadline.restart()
        try:
            response = self._session.get(
                url,
                headers=dict(headers),
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                stream=True,
                allow_redirects=False,
            )
        except requests.ConnectTimeout:
            raise _RetryableError(
                f"no connection within {self.policy.connect_timeout:g} s"
            ) from None
        except requests.Timeout:
            raise FetchError(url, f"no response within {self.policy.read_timeout:g} s") from None
        except requests.ConnectionError as exc:
            raise _RetryableError(f"connection failed: {network_reason(exc)}") from None
        finally:
            self._done(origin)
        status = response.status_code
        if status == 429 or 500 <= status <= 599:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            response.close()
            raise _RetryableError(f"HTTP {status} {response.reason}", status=status, wait=wait)
        return response

    def _follow(
        self, url: str, headers: Mapping[str, str], *, robots: bool = True
    ) -> requests.Response:
        """Send a GET and follow its redirects, checking robots.txt before every hop.

        Redirects are followed here rather than by requests so that a redirect into a
        path robots.txt disallows is never requested, and every hop waits its turn.
        """
        hop = self._sockets.hop
        # Within a redirect (robots.txt of the site it leads to), its rule holds throughout.
        outer: _Redirected | None = getattr(hop, "rule", None)
        current = url
        seen = {url}
        try:
            for _ in range(self.policy.max_redirects + 1):
                hop.peer = None
                try:
                    response = self._get(current, headers)
                except _AddressRefusedError as refused:
                    if outer is not None:
                        raise
                    raise FetchError(
                        url, f"redirected to {current}, {refused.reason}: not followed"
                    ) from None
                target = self._session.get_redirect_target(response)
                if target is None:
                    return response
                # The next hop is judged against the site that sent this redirect, as
                # redirect_refusal judges written addresses: where this request went.
                answered: _Address | None = getattr(hop, "peer", None)
                hop.rule = _Redirected(answered or _address_literal(urlsplit(current).hostname))
                response.close()
                following = urldefrag(urljoin(current, target))[0]
                if urlsplit(following).scheme.lower() not in ("http", "https"):
                    raise FetchError(url, f"redirected to a non-HTTP URL {following!r}")
                if following in seen:
                    raise FetchError(url, f"redirect loop: {current} redirects back to {following}")
                turned_away = redirect_refusal(current, following)
                if turned_away is not None:
                    raise FetchError(url, f"redirected to {following}, {turned_away}: not followed")
                try:
                    refusal = self.refusal(following) if robots else None
                except _AddressRefusedError as refused:
                    if outer is not None:
                        raise
                    raise FetchError(
                        url, f"redirected to {following}, {refused.reason}: not followed"
                    ) from None
                if refusal is not None:
                    raise FetchError(url, f"redirected to {following}, {refusal}")
                seen.add(following)
                current = following
            raise FetchError(url, f"more than {self.policy.max_redirects} redirects")
        finally:
            hop.rule = outer

    # -- robots.txt --------------------------------------------------------------------

    def refusal(self, url: str) -> str | None:
        """Return why robots.txt forbids the URL, or None if it may be fetched."""
        if not self.policy.robots:
            return None
        origin = origin_of(url)
        robots = self._robots.get(origin)
        if robots is None:
            robots = self._load_robots(origin)
            self._robots[origin] = robots
        return robots.refuses(url)

    def _load_robots(self, origin: str) -> _Robots:
        robots_url = origin + "/robots.txt"
        try:
            return self._with_retries(
                robots_url,
                lambda: self._within_deadline(robots_url, lambda: self._robots_once(robots_url)),
            )
        except FetchError as exc:
            # RFC 9309 §2.3.1.4: an unreachable robots.txt means complete disallow.
            return _Robots(None, f"robots.txt unreachable ({exc.reason})")

    def _robots_once(self, robots_url: str) -> _Robots:
        with self._follow(robots_url, {}, robots=False) as response:
            if response.status_code >= 400:  # 4xx: no robots.txt, all allowed (RFC 9309)
                return _Robots(None)
            if response.status_code >= 300:
                return _Robots(None)
            body = bytearray()
            try:
                for chunk in response.iter_content(CHUNK):
                    body += chunk
                    if len(body) >= ROBOTS_MAX_BYTES:
                        break
            except requests.RequestException as exc:
                raise _RetryableError(f"robots.txt: {network_reason(exc)}") from None
        text = bytes(body[:ROBOTS_MAX_BYTES]).decode("utf-8", "replace")
        return _Robots(parse_robots(text, ROBOTS_TOKEN))

    # -- pages ---------------------------------------------------------------------------

    def fetch(self, url: str, *, headers: Mapping[str, str], spool: Path) -> Fetched:
        """Fetch a page into a temporary file in ``spool``, or learn it is not modified.

        Raise `FetchError` if robots.txt forbids it, the server refuses it, it is too
        large or of the wrong type, or it still fails after the retries.
        """
        refusal = self.refusal(url)
        if refusal is not None:
            raise FetchError(url, refusal)
        return self._with_retries(
            url, lambda: self._within_deadline(url, lambda: self._fetch_once(url, headers, spool))
        )

    def deadline(self) -> float:
        """Return the seconds one attempt may take in all, connecting included: twice the
        read timeout."""
        return 2 * self.policy.read_timeout

    def _within_deadline(self, url: str, attempt: Callable[[], T]) -> T:
        """Run one attempt; shut its sockets and raise :class:`FetchError` when one of its
        requests is not answered in full within the deadline."""
        deadline = self._deadline = _Deadline(self.deadline(), self._sockets.shut_all)
        expired = deadline.expired
        fetched: T | None = None
        try:
            fetched = attempt()
        except Exception:  # whatever a shut socket raised, the deadline is the reason
            if not expired.is_set():
                raise
        finally:
            deadline.cancel()
            self._deadline = None
        if expired.is_set() or fetched is None:  # a body cut short may look whole: drop it
            if isinstance(fetched, Fetched):
                fetched.discard()
            raise FetchError(
                url,
                f"the answer took more than {self.deadline():g} s in all (twice the "
                f"{self.policy.read_timeout:g} s read timeout)",
            )
        return fetched

    def _fetch_once(self, url: str, headers: Mapping[str, str], spool: Path) -> Fetched:
        with self._follow(url, headers) as response:
            status = response.status_code
            reason = f"HTTP {status} {response.reason}".rstrip()
            if 300 <= status < 400 and status != 304:
                raise FetchError(url, f"{reason}: redirect not followed", status=status)
            if status >= 400 or status < 200:
                raise FetchError(url, reason, status=status)
            final_url = response.url
            content_type = response.headers.get("Content-Type")
            # No Content-Type: the body says which (sniffed in _download), HTML by default.
            suffix = _HTML_TYPES.get(media_type(content_type) or "text/html")
            if status != 304 and suffix is None:
                raise FetchError(
                    url, f"unsupported content type {media_type(content_type)!r}", status=status
                )
            coding = response.headers.get("Content-Encoding", "")
            unknown = [c for c in _codings(coding) if c not in _DECODED_CODINGS]
            if status != 304 and unknown:
                raise FetchError(
                    url,
                    f"unsupported Content-Encoding {coding.strip()!r} (nualod decodes gzip and "
                    "deflate, the codings it asks for)",
                    status=status,
                )
            fetched = Fetched(
                status=status,
                final_url=final_url,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=content_type,
                suffix=suffix or ".html",
            )
            if status == 304:
                return fetched
            return self._download(url, response, fetched, spool)

    def _download(
        self, url: str, response: requests.Response, fetched: Fetched, spool: Path
    ) -> Fetched:
        cap = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        plain = "Content-Encoding" not in response.headers
        if plain and declared.isdigit() and int(declared) > cap:
            raise FetchError(
                url, f"page is {declared} bytes, more than the {cap} byte cap", status=200
            )
        digest = hashlib.sha256()
        size = 0
        suffix = fetched.suffix
        stream, temp = temporary_file(spool, TEMP_PREFIX)
        try:
            with stream:
                for chunk in response.iter_content(CHUNK):
                    if not size and chunk and fetched.content_type is None:
                        suffix = _sniffed_suffix(chunk)
                    size += len(chunk)
                    if size > cap:
                        unpacked = "" if plain else " (decompressed)"
                        raise FetchError(url, f"page is more than the {cap} byte cap{unpacked}")
                    digest.update(chunk)
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            return Fetched(
                status=fetched.status,
                final_url=fetched.final_url,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                content_type=fetched.content_type,
                suffix=suffix,
                body=temp,
                sha256=digest.hexdigest(),
                size=size,
            )
        except requests.exceptions.ContentDecodingError as exc:
            temp.unlink(missing_ok=True)
            raise FetchError(url, f"body does not decompress: {network_reason(exc)}") from None
        except requests.ConnectionError as exc:
            temp.unlink(missing_ok=True)
            if _is_read_timeout(exc):
                raise FetchError(
                    url, f"body stalled for more than {self.policy.read_timeout:g} s"
                ) from None
            raise _RetryableError(
                f"connection broken while reading: {network_reason(exc)}"
            ) from None
        except requests.RequestException as exc:  # ChunkedEncodingError: truncated body
            temp.unlink(missing_ok=True)
            raise _RetryableError(f"body incomplete: {network_reason(exc)}") from None
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


def _sniffed_suffix(head: bytes) -> str:
    r"""Return how a page sent without a Content-Type is saved: as HTML when it starts with
    markup (after a byte-order mark and spaces), else as text.

    >>> _sniffed_suffix(b"\xef\xbb\xbf <!DOCTYPE html>"), _sniffed_suffix(b"10. Praktik baik")
    ('.html', '.txt')
    """
    return ".html" if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<") else ".txt"


def _is_read_timeout(exc: requests.ConnectionError) -> bool:
    return any(isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in exc.args)


def _address_literal(host: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return the address a URL's host writes as a literal, in any form the system's resolver
    takes for one ("127.1", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]"); None for a
    name."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


#: Clouds' metadata services that are not link-local, refused from any site as 169.254.169.254
#: is: AWS's over IPv6, Alibaba Cloud's.
_METADATA_ADDRESSES: Final = frozenset(
    (ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200"))
)


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Tell whether an address lies outside this machine and its network."""
    return address.is_global


def _hop_refusal(
    origin: ipaddress.IPv4Address | ipaddress.IPv6Address | None,
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> str | None:
    """Return why a redirect from a site reached at ``origin`` (None: not known) must not
    lead to ``address``, or None (the rule of :func:`redirect_refusal`, on addresses)."""
    if address.is_link_local:
        return "a link-local address (where a cloud answers with its machine's credentials)"
    if address in _METADATA_ADDRESSES:
        return "a cloud's metadata address (where it answers with its machine's credentials)"
    if _is_public(address) or (origin is not None and not _is_public(origin)):
        return None
    return "an address of this machine or its network, which a page elsewhere must not lead to"


def redirect_refusal(source: str, target: str) -> str | None:
    """Return why a harvest does not follow a redirect from ``source`` to ``target``, or None.

    A page's redirect may point anywhere; followed from a public site into this machine or
    its network, it would fetch what only they may (server-side request forgery). Refused:
    a link-local address (where a cloud's metadata service answers with the machine's
    credentials), and a loopback, private or reserved one from a site that is not itself on
    one. Only addresses written as such are judged here; a name is judged on the address its
    connection reaches, before a request is sent (:class:`_Sockets`).

    >>> redirect_refusal("https://nuf.example/a", "http://169.254.169.254/latest/meta-data/")
    "a link-local address (where a cloud answers with its machine's credentials)"
    >>> redirect_refusal("https://nuf.example/a", "http://2130706433/")
    'an address of this machine or its network, which a page elsewhere must not lead to'
    >>> redirect_refusal("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b") is None
    True
    >>> redirect_refusal("https://nuf.example/a", "https://93.184.215.14/b") is None
    True
    """
    address = _address_literal(urlsplit(target).hostname)
    if address is None:
        return None
    return _hop_refusal(_address_literal(urlsplit(source).hostname), address)
