"""Tests of nualod.harvesting.fetch against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import socket
import stat
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from http_fixtures import BOMB_MEMBER, BOMB_MEMBERS, NufServer, nuf_server

from nualod import __version__
from nualod.errors import HarvestError
from nualod.harvesting.fetch import (
    HarvestOutcome,
    HarvestResult,
    ListedURL,
    PageMetadata,
    RejectedURL,
    SavedPage,
    SaveKind,
    harvest,
    listed_urls,
    read_page_metadata,
    read_url_list,
)
from nualod.harvesting.http import redirect_refusal
from nualod.harvesting.pagestore import JOURNAL_NAME, TEMP_PREFIX, safe_name

__all__ = ["nuf_server"]  # the fixture, imported from the plugin module

FAST: dict[str, Any] = {
    "delay": 0.0,
    "retries": 2,
    "backoff": 0.01,
    "max_wait": 5.0,
    "connect_timeout": 2.0,
    "read_timeout": 5.0,
}


def run(urls: list[str], into: Path, **options: Any) -> HarvestResult:
    """Harvest with test-speed settings."""
    return harvest(urls, into, **{**FAST, **options})


def only(result: HarvestResult) -> HarvestOutcome:
    """Return the single outcome of a one-URL harvest."""
    (outcome,) = result.outcomes
    return outcome


def saved(result: HarvestResult) -> SavedPage:
    """Return the single outcome, which must be a saved page."""
    outcome = only(result)
    assert isinstance(outcome, SavedPage), outcome
    return outcome


def rejected(result: HarvestResult) -> RejectedURL:
    """Return the single outcome, which must be a rejection."""
    outcome = only(result)
    assert isinstance(outcome, RejectedURL), outcome
    return outcome


def files_in(folder: Path) -> list[str]:
    """Return the names of all files below a folder, relative, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# -- the on-disk contract ------------------------------------------------------------------


def test_page_saved_with_sidecar(nuf_server: NufServer, tmp_path: Path) -> None:
    url = nuf_server.page("pekalongan")
    page = saved(run([url], tmp_path))
    assert page.kind is SaveKind.FETCHED
    assert page.path.parent == tmp_path.resolve()
    assert page.path.name.endswith(".html")
    body = page.path.read_bytes()
    assert body == nuf_server.pages["pekalongan"]
    sidecar = page.path.with_name(page.path.name + ".meta.json")
    # Both as the umask allows (mkstemp makes files 0600).
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(page.path.stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(sidecar.stat().st_mode) == 0o666 & ~mask
    text = sidecar.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["url"] == url
    assert data["final_url"] == url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["retrieved_at"])
    assert data["status"] == 200
    assert data["etag"].startswith('"')
    assert data["last_modified"] == "Thu, 18 Dec 2025 08:00:00 GMT"
    assert data["content_type"] == "text/html; charset=utf-8"
    assert data["sha256"] == hashlib.sha256(body).hexdigest()
    assert data["bytes"] == len(body)
    assert not (tmp_path / JOURNAL_NAME).exists()  # finished harvest leaves no journal

    meta = read_page_metadata(page.path)
    assert isinstance(meta, PageMetadata)
    assert meta.final_url == url
    assert meta.retrieved_at.tzinfo is dt.UTC
    assert abs(meta.retrieved_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_user_agent(nuf_server: NufServer, tmp_path: Path) -> None:
    run([nuf_server.page("a")], tmp_path)
    agents = {hit.headers["User-Agent"] for hit in nuf_server.hits}
    assert agents == {f"nualod/{__version__} (+https://github.com/nualod/nualod)"}


def test_text_plain_saved_as_txt(nuf_server: NufServer, tmp_path: Path) -> None:
    page = saved(run([nuf_server.url("/text")], tmp_path))
    assert page.path.suffix == ".txt"
    assert (page.path.parent / (page.path.name + ".meta.json")).is_file()


def test_unsupported_content_type_rejected(nuf_server: NufServer, tmp_path: Path) -> None:
    assert "application/pdf" in rejected(run([nuf_server.url("/pdf")], tmp_path)).reason
    assert files_in(tmp_path) == []


def test_read_page_metadata_missing_and_malformed(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    assert read_page_metadata(page) is None
    sidecar = tmp_path / "a.html.meta.json"
    for bad in ("{not json", "[]", json.dumps({"url": "http://x/"})):
        sidecar.write_text(bad, encoding="utf-8")
        with pytest.raises(HarvestError) as info:
            read_page_metadata(page)
        assert info.value.where == str(sidecar)


# -- revalidation and resume -----------------------------------------------------------------


def test_second_harvest_only_revalidates(nuf_server: NufServer, tmp_path: Path) -> None:
    urls = [nuf_server.page("a"), nuf_server.page("b")]
    first = run(urls, tmp_path)
    assert [o.kind for o in first.saved] == [SaveKind.FETCHED] * 2
    paths = {o.url: o.path for o in first.saved}
    mtimes = {url: path.stat().st_mtime_ns for url, path in paths.items()}
    # Age the sidecars: a revalidation keeps the retrieval time and records the check.
    for path in paths.values():
        sidecar = path.with_name(path.name + ".meta.json")
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        data["retrieved_at"] = "2000-01-01T00:00:00Z"
        sidecar.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    nuf_server.hits.clear()

    second = run(urls, tmp_path)
    assert [o.kind for o in second.saved] == [SaveKind.NOT_MODIFIED] * 2
    page_hits = [h for h in nuf_server.hits if h.path.startswith("/p/")]
    assert len(page_hits) == 2
    for hit in page_hits:
        assert hit.headers["If-None-Match"].startswith('"')
        assert hit.headers["If-Modified-Since"] == "Thu, 18 Dec 2025 08:00:00 GMT"
    for url, path in paths.items():
        assert path.stat().st_mtime_ns == mtimes[url]  # page file untouched
        meta = read_page_metadata(path)
        assert meta is not None
        assert meta.retrieved_at.year == 2000
        assert meta.checked_at is not None and meta.checked_at.year >= 2025


def test_a_page_sent_again_in_full_and_unchanged_keeps_its_file_and_retrieval_time(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    nuf_server.page("a")
    url = nuf_server.url("/plain/a")  # a server that sends no ETag or Last-Modified
    first = saved(run([url], tmp_path))
    assert first.kind is SaveKind.FETCHED
    mtime = first.path.stat().st_mtime_ns
    sidecar = first.path.with_name(first.path.name + ".meta.json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["retrieved_at"] = "2000-01-01T00:00:00Z"
    sidecar.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")

    second = saved(run([url], tmp_path))
    assert second.kind is SaveKind.UNCHANGED
    assert second.path == first.path
    assert first.path.stat().st_mtime_ns == mtime  # the page file untouched
    meta = read_page_metadata(second.path)
    assert meta is not None
    assert meta.retrieved_at.year == 2000
    assert meta.checked_at is not None and meta.checked_at.year >= 2025
    assert files_in(tmp_path) == sorted([first.path.name, sidecar.name])

    nuf_server.page("a", "<html><body>Tema 10, diperbarui</body></html>")
    third = saved(run([url], tmp_path))
    assert third.kind is SaveKind.FETCHED
    meta = read_page_metadata(third.path)
    assert meta is not None and meta.retrieved_at.year >= 2025


def test_changed_page_is_downloaded_again(nuf_server: NufServer, tmp_path: Path) -> None:
    url = nuf_server.page("a")
    first = saved(run([url], tmp_path))
    nuf_server.page("a", "<html><body>Tema 10, diperbarui</body></html>")
    second = saved(run([url], tmp_path))
    assert second.kind is SaveKind.FETCHED
    assert second.path == first.path
    assert (
        second.path.read_text(encoding="utf-8") == "<html><body>Tema 10, diperbarui</body></html>"
    )
    meta = read_page_metadata(second.path)
    assert meta is not None
    assert meta.sha256 == hashlib.sha256(second.path.read_bytes()).hexdigest()
    assert "If-None-Match" in nuf_server.requests_for("/p/a")[-1].headers


def test_interrupted_harvest_resumes(nuf_server: NufServer, tmp_path: Path) -> None:
    urls = [nuf_server.page(name) for name in ("a", "b", "c")]
    seen: list[HarvestOutcome] = []

    def stop_after_first(outcome: HarvestOutcome) -> None:
        seen.append(outcome)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(urls, tmp_path, on_result=stop_after_first)
    assert len(seen) == 1
    assert (tmp_path / JOURNAL_NAME).is_file()
    assert len(nuf_server.requests_for("/p/a")) == 1
    assert nuf_server.requests_for("/p/b") == []

    progress: list[HarvestOutcome] = []
    result = run(urls, tmp_path, on_result=progress.append)
    assert list(result.outcomes) == progress
    kinds = [o.kind for o in result.saved]
    assert kinds == [SaveKind.RESUMED, SaveKind.FETCHED, SaveKind.FETCHED]
    assert len(nuf_server.requests_for("/p/a")) == 1  # not requested again at all
    assert not (tmp_path / JOURNAL_NAME).exists()

    # The harvest finished, so the next one revalidates everything.
    again = run(urls, tmp_path)
    assert [o.kind for o in again.saved] == [SaveKind.NOT_MODIFIED] * 3


def test_resume_ignores_journal_entry_whose_page_changed(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    url = nuf_server.page("a")
    page = saved(run([url], tmp_path))
    (tmp_path / JOURNAL_NAME).write_text(
        json.dumps({"url": url, "sha256": "0" * 64}) + "\n{torn", encoding="utf-8"
    )
    page.path.write_bytes(b"half-written")  # no longer matches its sidecar
    again = saved(run([url], tmp_path))
    assert again.kind is SaveKind.FETCHED
    assert "If-None-Match" not in nuf_server.requests_for("/p/a")[-1].headers
    assert page.path.read_bytes() == nuf_server.pages["a"]


def test_truncated_body_leaves_no_file(nuf_server: NufServer, tmp_path: Path) -> None:
    outcome = rejected(run([nuf_server.url("/truncated")], tmp_path))
    assert "gave up after 3 attempts" in outcome.reason
    assert len(nuf_server.requests_for("/truncated")) == 3
    assert files_in(tmp_path) == []  # no page, no sidecar, no temporary file


# -- status codes, retries, timeouts ---------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/gone", 410)])
def test_client_errors_rejected_without_retry(
    nuf_server: NufServer, tmp_path: Path, path: str, status: int
) -> None:
    outcome = rejected(run([nuf_server.url(path)], tmp_path))
    assert outcome.status == status
    assert str(status) in outcome.reason
    assert outcome.error.where == nuf_server.url(path)
    assert len(nuf_server.requests_for(path)) == 1
    assert files_in(tmp_path) == []


def test_server_error_then_success_is_retried(nuf_server: NufServer, tmp_path: Path) -> None:
    page = saved(run([nuf_server.url("/flaky")], tmp_path))
    assert page.kind is SaveKind.FETCHED
    assert len(nuf_server.requests_for("/flaky")) == 3


def test_persistent_server_error_rejected(nuf_server: NufServer, tmp_path: Path) -> None:
    outcome = rejected(run([nuf_server.url("/broken")], tmp_path, retries=3, backoff=0.02))
    assert outcome.status == 503
    assert "gave up after 4 attempts" in outcome.reason
    hits = nuf_server.requests_for("/broken")
    assert len(hits) == 4
    gaps = [b.at - a.at for a, b in itertools.pairwise(hits)]
    assert [g >= w for g, w in zip(gaps, (0.02, 0.04, 0.08), strict=True)] == [True] * 3


def test_429_retry_after_is_honoured(nuf_server: NufServer, tmp_path: Path) -> None:
    assert saved(run([nuf_server.url("/busy")], tmp_path)).kind is SaveKind.FETCHED
    first, second = nuf_server.requests_for("/busy")
    assert second.at - first.at >= 0.95  # Retry-After: 1, not the 0.01 s backoff


def test_429_retry_after_beyond_cap_rejected_at_once(nuf_server: NufServer, tmp_path: Path) -> None:
    start = time.monotonic()
    outcome = rejected(run([nuf_server.url("/busy-long")], tmp_path))
    assert time.monotonic() - start < 1
    assert outcome.status == 429
    assert "86400" in outcome.reason
    assert len(nuf_server.requests_for("/busy-long")) == 1


def test_slow_response_times_out(nuf_server: NufServer, tmp_path: Path) -> None:
    start = time.monotonic()
    outcome = rejected(run([nuf_server.url("/slow")], tmp_path, read_timeout=0.3))
    assert time.monotonic() - start < 2
    assert "0.3 s" in outcome.reason
    nuf_server.release.set()


def test_connection_refused_rejected(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/p/a"
    outcome = rejected(run([url], tmp_path, respect_robots=False))
    assert "connection failed" in outcome.reason
    assert "gave up after 3 attempts" in outcome.reason
    # With robots.txt respected, the unreachable robots.txt is the reason (RFC 9309).
    assert "robots.txt unreachable" in rejected(run([url], tmp_path)).reason


def test_polite_delay_between_requests_to_one_host(nuf_server: NufServer, tmp_path: Path) -> None:
    urls = [nuf_server.page(name) for name in ("a", "b", "c")]
    run(urls, tmp_path, delay=0.15)
    times = [hit.at for hit in nuf_server.hits]  # robots.txt, a, b, c
    assert len(times) == 4
    assert all(b - a >= 0.14 for a, b in itertools.pairwise(times))


# -- redirects, robots.txt -------------------------------------------------------------------


def test_redirect_records_final_url(nuf_server: NufServer, tmp_path: Path) -> None:
    target = nuf_server.page("target")
    page = saved(run([nuf_server.url("/redirect")], tmp_path))
    assert page.final_url == target
    meta = read_page_metadata(page.path)
    assert meta is not None
    assert (meta.url, meta.final_url) == (nuf_server.url("/redirect"), target)


def test_a_redirect_to_a_metadata_address_is_not_followed(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    """Security review: a redirect was followed to any host, a cloud's metadata service
    included, and its answer saved in the harvest folder."""
    outcome = rejected(run([nuf_server.url("/to-metadata")], tmp_path))
    assert outcome.reason == (
        "redirected to http://169.254.169.254/latest/meta-data/, a link-local address (where "
        "a cloud answers with its machine's credentials): not followed"
    )


@contextlib.contextmanager
def _redirecting(host: str, routes: dict[str, str]) -> Iterator[str]:
    """Serve, on ``host`` (a 127.x.y.z address), a 302 to ``routes[path]`` for each path (a
    page, "hello", for a route to ""), 404 otherwise; yield its base URL."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps connections alive, as real sites do

        def do_GET(self) -> None:
            target = routes.get(self.path)
            body = PAGE_TEXT.encode() if target == "" else b""
            self.send_response(302 if target else 200 if target == "" else 404)
            if target:
                self.send_header("Location", target)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


PAGE_TEXT = "hello"
#: The refusal of a redirect by name into this machine, after the URL it was sent to.
_INTO_THIS_MACHINE = (
    "whose host name leads to 127.0.0.1, an address of this machine or its network, which a "
    "page elsewhere must not lead to: not followed"
)


@pytest.fixture
def public_127_0_0_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.2 plays a site elsewhere: the tests have no other."""
    monkeypatch.setattr(
        "nualod.harvesting.http._is_public", lambda address: str(address) == "127.0.0.2"
    )


def test_a_redirect_to_a_name_that_leads_into_this_network_is_not_followed(
    nuf_server: NufServer, tmp_path: Path, public_127_0_0_2: None
) -> None:
    """Security review: only addresses written as such were judged, so a public site's
    redirect to ``localhost`` (or any name resolving into the network) was followed and the
    internal answer saved. The internal server is asked nothing, not even its robots.txt."""
    internal = f"http://localhost:{nuf_server.base.rsplit(':', 1)[1]}/p/target"
    with _redirecting("127.0.0.2", {"/r": internal}) as public:
        outcome = rejected(run([f"{public}/r"], tmp_path))
    assert outcome.reason == f"redirected to {internal}, {_INTO_THIS_MACHINE}"
    assert nuf_server.hits == []
    assert files_in(tmp_path) == []


def test_a_connection_kept_alive_is_judged_again_for_a_redirect(
    nuf_server: NufServer, tmp_path: Path, public_127_0_0_2: None
) -> None:
    """Code review: only a new connection was judged, so one kept alive from an earlier URL
    of the list (the internal site, by name) took the redirect's request unchecked."""
    port = nuf_server.base.rsplit(":", 1)[1]
    nuf_server.page("a")
    internal = f"http://localhost:{port}/p/target"
    with _redirecting("127.0.0.2", {"/r": internal}) as public:
        result = run([f"http://localhost:{port}/p/a", f"{public}/r"], tmp_path)
    refused = [o for o in result.outcomes if not isinstance(o, SavedPage)]
    assert [o.reason for o in refused] == [f"redirected to {internal}, {_INTO_THIS_MACHINE}"]  # type: ignore[union-attr]
    assert [hit.path for hit in nuf_server.hits] == ["/robots.txt", "/p/a"]


def test_each_hop_is_judged_against_the_site_that_sent_it(
    nuf_server: NufServer, tmp_path: Path, public_127_0_0_2: None
) -> None:
    """Code review: a name was judged against the first URL's address (an intranet's), a
    written address against the hop before: intranet, then a site elsewhere, then this
    machine by name was followed."""
    internal = f"http://localhost:{nuf_server.base.rsplit(':', 1)[1]}/p/target"
    with (
        _redirecting("127.0.0.2", {"/r": internal}) as public,
        _redirecting("127.0.0.3", {"/start": f"{public}/r"}) as intranet,
    ):
        outcome = rejected(run([f"{intranet}/start"], tmp_path))
    assert outcome.reason == f"redirected to {internal}, {_INTO_THIS_MACHINE}"
    assert nuf_server.hits == []


def test_an_intranet_site_may_redirect_to_a_name_within_it(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    """A site on this machine or its network, reached by name too, redirecting to one of
    its own names is followed (code review: a site reached by name counted as elsewhere)."""
    port = nuf_server.base.rsplit(":", 1)[1]
    target = f"http://localhost:{port}/p/target"
    nuf_server.page("target")
    nuf_server.redirects["/to-name"] = target
    assert saved(run([nuf_server.url("/to-name")], tmp_path)).final_url == target
    again = tmp_path / "again"
    assert saved(run([f"http://localhost:{port}/to-name"], again)).final_url == target
    # Without robots.txt the redirect's request is the first on a new plain connection,
    # made inside the request: it said where it went too (re-review).
    bare = tmp_path / "bare"
    outcome = saved(run([f"http://localhost:{port}/to-name"], bare, respect_robots=False))
    assert outcome.final_url == target


@pytest.mark.parametrize(
    ("source", "target", "refused"),
    [
        ("https://nuf.example/a", "http://10.0.0.5/x", True),
        ("https://nuf.example/a", "http://192.168.1.1/", True),
        ("https://nuf.example/a", "http://127.1/", True),
        ("https://nuf.example/a", "http://0x7f000001/", True),
        ("https://nuf.example/a", "http://[::1]/", True),
        ("https://nuf.example/a", "http://[::ffff:10.0.0.5]/", True),
        ("https://nuf.example/a", "http://[fe80::1]/", True),
        ("http://10.0.0.5/a", "http://10.0.0.6/b", False),  # an intranet's own redirect
        ("http://10.0.0.5/a", "http://169.254.169.254/", True),
        # Metadata services that are not link-local, refused from an intranet too (re-review).
        ("http://10.0.0.5/a", "http://100.100.100.200/latest/meta-data/", True),
        ("http://10.0.0.5/a", "http://[fd00:ec2::254]/latest/meta-data/", True),
        ("http://10.0.0.5/a", "http://[fd00:ec2::253]/", False),
        ("https://nuf.example/a", "https://habitatidn.id/b", False),  # a name: not judged
        ("https://nuf.example/a", "https://93.184.215.14/b", False),
    ],
)
def test_which_redirects_are_refused(source: str, target: str, refused: bool) -> None:
    assert (redirect_refusal(source, target) is not None) is refused


def test_redirect_loop_rejected(nuf_server: NufServer, tmp_path: Path) -> None:
    outcome = rejected(run([nuf_server.url("/loop")], tmp_path, max_redirects=5))
    assert "redirect loop" in outcome.reason
    assert files_in(tmp_path) == []


def test_redirect_chain_limited(nuf_server: NufServer, tmp_path: Path) -> None:
    nuf_server.page("target")
    assert saved(run([nuf_server.url("/chain/3")], tmp_path, max_redirects=4)).final_url.endswith(
        "/p/target"
    )
    outcome = rejected(run([nuf_server.url("/chain/6")], tmp_path, max_redirects=4))
    assert outcome.reason == "more than 4 redirects"


def test_robots_disallow_respected(nuf_server: NufServer, tmp_path: Path) -> None:
    result = run(
        [nuf_server.url("/private/secret"), nuf_server.url("/to-private"), nuf_server.page("a")],
        tmp_path,
    )
    secret, redirected, allowed = result.outcomes
    assert isinstance(secret, RejectedURL)
    assert "robots.txt" in secret.reason
    assert isinstance(redirected, RejectedURL)
    assert "robots.txt" in redirected.reason
    assert isinstance(allowed, SavedPage)
    assert nuf_server.requests_for("/private/secret") == []
    assert len(nuf_server.requests_for("/robots.txt")) == 1  # cached per host


def test_robots_rules_are_matched_as_rfc_9309_says(nuf_server: NufServer, tmp_path: Path) -> None:
    """The longest pattern wins and * and $ are patterns (urllib.robotparser took the first
    rule that matched and read * and $ as characters: a review fetched all four)."""
    nuf_server.robots = (
        "User-agent: *\nAllow: /p\nDisallow: /p/private\nDisallow: /*secret\nDisallow: /*.php$\n"
    )
    for name in ("private-x", "a"):
        nuf_server.page(name)
    urls = [nuf_server.url(p) for p in ("/p/private-x", "/x/secret/y", "/index.php", "/p/a")]
    outcomes = run(urls, tmp_path).outcomes
    assert [isinstance(o, RejectedURL) and o.reason for o in outcomes[:3]] == [
        "disallowed by robots.txt"
    ] * 3
    assert isinstance(outcomes[3], SavedPage)
    assert [hit.path for hit in nuf_server.hits] == ["/robots.txt", "/p/a"]


def test_the_pause_between_requests_is_not_counted_in_the_deadline(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    """A crawl delay longer than the deadline failed every page after the first, each sent
    in full (review)."""
    urls = [nuf_server.page(name) for name in ("a", "b")]
    result = run(urls, tmp_path, delay=1.2, read_timeout=0.5)
    assert all(isinstance(outcome, SavedPage) for outcome in result.outcomes), result.outcomes


def test_a_coding_nualod_cannot_decode_is_refused(nuf_server: NufServer, tmp_path: Path) -> None:
    outcome = rejected(run([nuf_server.url("/brotli")], tmp_path))
    assert outcome.reason == (
        "unsupported Content-Encoding 'br' (nualod decodes gzip and deflate, the codings it "
        "asks for)"
    )
    assert files_in(tmp_path) == []


def test_a_page_without_a_content_type_is_saved_as_what_it_starts_with(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    assert saved(run([nuf_server.url("/untyped")], tmp_path)).path.suffix == ".txt"
    nuf_server.pages["untyped"] = b"  <!doctype html><p>x</p>"
    assert saved(run([nuf_server.url("/untyped")], tmp_path / "h")).path.suffix == ".html"


def test_urls_that_differ_in_the_case_of_scheme_or_host_are_one(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    url = nuf_server.page("a")
    result = run([url, url.replace("http://127.0.0.1", "HTTP://127.0.0.1")], tmp_path)
    assert len(result.outcomes) == 1


def test_missing_robots_allows(nuf_server: NufServer, tmp_path: Path) -> None:
    nuf_server.robots = None
    assert saved(run([nuf_server.url("/private/secret")], tmp_path)).bytes == 6


# -- size cap -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/big", "/big-stream"])
def test_oversized_page_rejected(nuf_server: NufServer, tmp_path: Path, path: str) -> None:
    outcome = rejected(run([nuf_server.url(path)], tmp_path, max_bytes=64 * 1024))
    assert "65536 byte cap" in outcome.reason
    assert "decompressed" not in outcome.reason  # nothing was compressed
    assert files_in(tmp_path) == []
    assert len(nuf_server.requests_for(path)) == 1  # not retried


def test_gzip_bomb_not_inflated(nuf_server: NufServer, tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        outcome = rejected(run([nuf_server.url("/bomb")], tmp_path, max_bytes=1024 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "decompressed" in outcome.reason
    assert files_in(tmp_path) == []
    assert peak < 4 * 1024 * 1024  # a few chunks, never an 8 MiB member, never 32 GiB
    deadline = time.monotonic() + 5
    while "/bomb" not in nuf_server.sent and time.monotonic() < deadline:
        time.sleep(0.01)
    assert nuf_server.sent["/bomb"] < len(BOMB_MEMBER) * BOMB_MEMBERS // 4


# -- file names -----------------------------------------------------------------------------

HOSTILE = [
    "/../../etc/passwd",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/a%5c..%5c..%5cetc%5cpasswd",
    "/%00etc/passwd",
    "/etc/passwd?x=/../../y",
]


def test_hostile_paths_stay_inside_folder(nuf_server: NufServer, tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    result = run([nuf_server.url(p) for p in HOSTILE], folder)
    assert len(result.saved) == len(HOSTILE)  # the server answers them all; saved inside
    names = set()
    for outcome in result.saved:
        assert outcome.path.parent == folder.resolve()
        names.add(outcome.path.name)
    assert len(names) == len(result.saved)  # no clobbering
    assert {p.parent for p in tmp_path.rglob("*") if p.is_file()} <= {folder}


@pytest.mark.parametrize(
    "url",
    [
        "http://h/../../etc/passwd",
        "http://h/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "http://h/a\\..\\..\\windows\\win.ini",
        "http://h/%00nul",
        "http://h//absolute/path",
        "http://h/" + "panjang-" * 200,
        "http://h/" + "%E2%80%AE" * 50 + "lmth.exe",
        "http://h/.",
        "http://h/..",
    ],
)
def test_safe_name_is_safe(url: str) -> None:
    name = safe_name(url)
    assert re.fullmatch(r"[a-z0-9._-]+-[0-9a-f]{12}", name)
    assert ".." not in name
    assert not name.startswith(".")
    assert len(name) <= 113
    assert safe_name(url) == name


def test_safe_name_never_clobbers() -> None:
    urls = [
        "http://h/a/b",
        "http://h/a_b",
        "http://h/a%2fb",
        "http://h/A/B",
        "http://h/a/b?",
        "http://h/a/b?x=1",
        "http://h/" + "x" * 300 + "1",
        "http://h/" + "x" * 300 + "2",
    ]
    assert len({safe_name(u) for u in urls}) == len(urls)


# -- URL lists, bad input, usage -------------------------------------------------------------


def test_read_url_list(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "\ufeff# NUF good practices\n\nhttps://nuf.example.id/a  # Pekalongan\n"
        "   https://nuf.example.id/b\nnot a url\n",
        encoding="utf-8",
    )
    assert read_url_list(listing) == [
        "https://nuf.example.id/a",
        "https://nuf.example.id/b",
        "not a url",
    ]
    with pytest.raises(HarvestError):
        read_url_list(tmp_path / "absent.txt")


def test_a_listed_url_s_place_is_its_line_as_an_editor_counts_lines(tmp_path: Path) -> None:
    """str.splitlines broke lines at a form feed and U+2028 too: the places after one were
    wrong, and a comment's second half read as a URL (review)."""
    listing = tmp_path / "urls.txt"
    listing.write_bytes(
        "# note\u2028 continued\r\n\x0c\nhttps://nuf.example.id/a\rnot a url\n".encode()
    )
    assert listed_urls(listing) == [
        ListedURL("https://nuf.example.id/a", f"{listing}:3"),
        ListedURL("not a url", f"{listing}:4"),
    ]


def test_invalid_urls_rejected_not_raised(nuf_server: NufServer, tmp_path: Path) -> None:
    bad = ["not a url", "ftp://nuf.example.id/a", "https:///nohost", "http://h:99999/", ""]
    good = nuf_server.page("a")
    result = run([*bad, good, good + "#fragment"], tmp_path)
    assert [type(o) for o in result.outcomes] == [RejectedURL] * 5 + [SavedPage]
    assert len(nuf_server.requests_for("/p/a")) == 1


def test_into_must_be_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(HarvestError, match="not a folder"):
        harvest([], file)
    with pytest.raises(HarvestError, match="delay"):
        harvest([], tmp_path, delay=-1)


def test_stale_temp_files_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / (TEMP_PREFIX + "old")
    stale.write_bytes(b"partial")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    harvest([], tmp_path)
    assert not stale.exists()


def test_a_text_page_in_the_charset_its_header_names_is_read_in_it(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    """A text/plain page in windows-1252, as its Content-Type said, was refused by publish
    as not UTF-8 (review): the sidecar's charset applies to text pages too."""
    from nualod.read.inputs import read_page_file

    example = Path(__file__).resolve().parent.parent / "examples" / "pages"
    text = (example / "banyuwangi-tema01-indikator1.txt").read_text(encoding="utf-8")
    text = text.replace("Kantor desa", "“Kantor desa”")
    nuf_server.pages["cp1252"] = text.encode("windows-1252")
    page = saved(run([nuf_server.url("/cp1252")], tmp_path))
    assert page.path.suffix == ".txt"
    practice = read_page_file(page.path)
    assert practice.description is not None and "“Kantor desa”" in practice.description


def test_a_saved_page_whose_url_is_gone_is_removed(nuf_server: NufServer, tmp_path: Path) -> None:
    """410 says the page was removed on purpose; its old copy was published again (review)."""
    url = nuf_server.url("/vanishing")
    first = saved(run([url], tmp_path))
    outcome = rejected(run([url], tmp_path))
    assert (outcome.status, outcome.reason) == (
        410,
        f"HTTP 410 Gone; its saved page {first.path.name} was removed",
    )
    assert files_in(tmp_path) == []


def test_a_harvest_stopped_more_than_a_day_ago_is_not_resumed(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    """Its pages are asked again (with their validators), not taken as they were (review: a
    weekly harvest took the pages of one stopped a week before)."""
    url = nuf_server.page("a")

    def stop(outcome: HarvestOutcome) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run([url], tmp_path, on_result=stop)
    journal = tmp_path / JOURNAL_NAME
    lines = journal.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps({"started_at": "2025-01-01T00:00:00Z"})
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (page,) = run([url], tmp_path).saved
    assert page.kind == SaveKind.NOT_MODIFIED
    assert len(nuf_server.requests_for("/p/a")) == 2


def test_two_harvests_into_one_folder_do_not_run_at_once(
    nuf_server: NufServer, tmp_path: Path
) -> None:
    url = nuf_server.page("a")

    def harvest_again(outcome: HarvestOutcome) -> None:
        with pytest.raises(HarvestError) as refused:
            run([url], tmp_path)
        assert refused.value.message.startswith(
            f"{tmp_path}: another harvest (pid {os.getpid()}) is writing it; run again"
        )

    assert saved(run([url], tmp_path, on_result=harvest_again)).kind == SaveKind.FETCHED
