"""Cross-origin reads of ``nualod serve`` by a real browser (Debian's chromium, Playwright).

A page served by Python's http.server on ``127.0.0.1:A`` runs a script that ``fetch()``es
from ``nualod serve`` on ``localhost:B``, another origin: a practice's data IRI asking for
JSON-LD (the 303 followed), ``download/practices.json``, and a SPARQL SELECT POSTed as
``application/sparql-query`` (which the browser preflights) and GET with ``Accept:
application/json`` and with fetch's own ``*/*``. The same download from a
server without CORS headers (http.server on ``localhost:C``) must fail: the browser does
enforce CORS here. The answers the browser saw, the preflight's included, are read from
Chromium's DevTools protocol (no request interception: Playwright answers preflights
itself when it routes requests). Chromium resolves no host but these two names.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from oxigraph_server import Server, free_port
from site_fixture import build_site, practice_of
from system_tools import ARGS, CHROMIUM, required
from test_site_browser import _serving

from nualod.run.publish import publish
from nualod.serve.conditional import validators_of

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
#: Chromium looks up no name but the two the test uses (nothing can leave the machine).
NO_OTHER_HOST = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
COUNT = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/nualod/def#GoodPractice> }"
EXPOSED = "ETag, Accept-Ranges, Content-Range, Location"
#: What JavaScript's encodeURIComponent leaves as it is, beyond what quote() does.
URI_COMPONENT = "!*'()"

#: The page's script: each fetch's outcome, or the error the browser raised.
SCRIPT = """
const API = "{api}", CONTROL = "{control}";
async function attempt(run) {{
  try {{ return await run(); }} catch (error) {{ return "error: " + error.name + ": " + error.message; }}
}}
window.outcome = (async () => ({{
  practice: await attempt(async () => {{
    const answer = await fetch(API + "/{practice}", {{headers: {{Accept: "application/ld+json"}}}});
    const data = await answer.json();
    return {{status: answer.status, url: answer.url, redirected: answer.redirected,
             type: answer.headers.get("Content-Type"), etag: answer.headers.get("ETag"),
             ids: data["@graph"].map((node) => node["@id"])}};
  }}),
  practices: await attempt(async () => {{
    const answer = await fetch(API + "/download/practices.json");
    return {{status: answer.status, data: await answer.json()}};
  }}),
  query: await attempt(async () => {{
    const answer = await fetch(API + "/query", {{method: "POST", body: {query},
      headers: {{"Content-Type": "application/sparql-query",
                 Accept: "application/sparql-results+json"}}}});
    return {{status: answer.status, data: await answer.json()}};
  }}),
  // A GET query as fetch() users write it: Accept: application/json, and fetch's own */*.
  jsonQuery: await attempt(async () => {{
    const answer = await fetch(API + "/query?query=" + encodeURIComponent({query}),
      {{headers: {{Accept: "application/json"}}}});
    return {{status: answer.status, type: answer.headers.get("Content-Type"),
             data: await answer.json()}};
  }}),
  defaultQuery: await attempt(async () => {{
    const answer = await fetch(API + "/sparql?query=" + encodeURIComponent({query}));
    return {{status: answer.status, type: answer.headers.get("Content-Type"),
             data: await answer.json()}};
  }}),
  anyHeader: await attempt(async () => (await fetch(API + "/download/practices.json",
    {{headers: {{"Cache-Control": "no-cache", "X-Requested-With": "XMLHttpRequest"}}}})).status),
  control: await attempt(async () => (await fetch(CONTROL + "/download/practices.json")).status),
}}))();
"""


@pytest.fixture(autouse=True)
def _chromium() -> None:
    required(CHROMIUM, "chromium")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("cors-browser") / "out"
    publish([EXAMPLES], out)
    return out, build_site(out)


@pytest.fixture(scope="module")
def api(published: tuple[Path, dict[str, str]]) -> Iterator[str]:
    """Run ``nualod serve`` with its base URL on localhost; yield that URL (no ``/``)."""
    out, _ = published
    port = free_port()
    base = f"http://localhost:{port}"
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port),
               "--base-url", base + "/"]  # fmt: skip
    with Server(command, port):
        yield base


def test_a_page_of_another_origin_reads_the_data_and_queries(
    published: tuple[Path, dict[str, str]], api: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    out, stems = published
    iri, stem = practice_of(stems)
    page_folder = tmp_path / "page"
    page_folder.mkdir()
    with _serving(out / "site") as control:
        script = SCRIPT.format(
            api=api,
            control=control.replace("127.0.0.1", "localhost").rstrip("/"),
            practice=iri.removeprefix("https://w3id.org/nualod/"),
            query=json.dumps(COUNT),
        )
        (page_folder / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>A reader</title>'
            f"<script>{script}</script></html>\n",
            encoding="utf-8",
        )
        with _serving(page_folder) as origin, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*ARGS, NO_OTHER_HOST]
            )
            try:
                page = browser.new_page()
                seen, origins = _watch(page)
                page.goto(origin + "index.html")
                outcome: dict[str, Any] = page.evaluate("window.outcome")
            finally:
                browser.close()
    assert urlsplit(origin).hostname == "127.0.0.1"
    assert urlsplit(api).hostname == "localhost"

    practice_file = out / "site" / f"{stem}.jsonld"
    assert outcome["practice"] == {
        "status": 200,
        "url": f"{api}/{stem}.jsonld",
        "redirected": True,
        "type": "application/ld+json; charset=utf-8",
        # Readable only because it is exposed.
        "etag": validators_of(practice_file.stat()).etag,
        "ids": [node["@id"] for node in json.loads(practice_file.read_bytes())["@graph"]],
    }
    assert iri in outcome["practice"]["ids"]
    practices = json.loads((out / "site" / "download" / "practices.json").read_bytes())
    assert outcome["practices"] == {"status": 200, "data": practices}
    count = outcome["query"]["data"]["results"]["bindings"][0]["n"]["value"]
    assert (outcome["query"]["status"], int(count)) == (200, len(practices["practices"]))
    # Accept: application/json is the query's JSON, results JSON for a SELECT (was 406).
    for sent in ("jsonQuery", "defaultQuery"):
        got = outcome[sent]
        count = got["data"]["results"]["bindings"][0]["n"]["value"]
        assert (got["status"], got["type"], int(count)) == (
            200, "application/sparql-results+json", len(practices["practices"]),
        ), sent  # fmt: skip
    # A header no list names is allowed by the wildcard (review: Cache-Control was refused).
    assert outcome["anyHeader"] == 200
    # Without the headers the browser refuses: the same file from a server that sends none.
    assert outcome["control"] == "error: TypeError: Failed to fetch"

    # What the browser saw: the preflight of the POST, answered 204 by nualod serve ...
    preflights = [s for s in seen if s["method"] == "OPTIONS"]
    assert sorted((s["url"], s["status"]) for s in preflights) == [
        (f"{api}/download/practices.json", 204),
        (f"{api}/query", 204),
    ]
    preflights = [s for s in preflights if s["url"] == f"{api}/query"]
    headers = preflights[0]["headers"]
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "GET, HEAD, POST"
    assert "Content-Type" in headers["access-control-allow-headers"].split(", ")
    assert headers["access-control-max-age"] == "7200"
    # ... and every answer from it, the 303 included, allowed any origin.
    answers = {(s["method"], s["url"]): s for s in seen if s["url"].startswith(api)}
    assert sorted((method, url, s["status"]) for (method, url), s in answers.items()) == sorted(
        [
            ("GET", f"{api}/{iri.removeprefix('https://w3id.org/nualod/')}", 303),
            ("GET", f"{api}/{stem}.jsonld", 200),
            ("GET", f"{api}/download/practices.json", 200),
            ("OPTIONS", f"{api}/download/practices.json", 204),
            ("OPTIONS", f"{api}/query", 204),
            ("POST", f"{api}/query", 200),
            # No preflight: Accept is a header any cross-origin GET may send.
            ("GET", f"{api}/query?query={quote(COUNT, safe=URI_COMPONENT)}", 200),
            ("GET", f"{api}/sparql?query={quote(COUNT, safe=URI_COMPONENT)}", 200),
        ]
    )
    for answer in answers.values():
        assert answer["headers"]["access-control-allow-origin"] == "*", answer["url"]
        assert answer["headers"]["access-control-expose-headers"] == EXPOSED, answer["url"]
    # Each request to it was a cross-origin one: it said the page's origin.
    page_origin = origin.rstrip("/")
    api_requests = {s["id"] for s in seen if s["url"].startswith(api)}
    assert {o for rid, o in origins if rid in api_requests} == {page_origin}
    assert {rid for rid, _ in origins} >= api_requests
    assert {urlsplit(s["url"]).hostname for s in seen} == {"127.0.0.1", "localhost"}


def _watch(page: Any) -> tuple[list[dict[str, Any]], list[tuple[str, str | None]]]:
    """Record every request the page's browser sends and the answer it gets, preflights
    included, as DevTools reports them: request id, method, URL, status and headers (names
    lower-cased) as received; and the ``Origin`` each request sent, by request id (the
    headers as the network stack sent them)."""
    session = page.context.new_cdp_session(page)
    sent: dict[str, dict[str, Any]] = {}
    seen: list[dict[str, Any]] = []
    origins: list[tuple[str, str | None]] = []

    def request(event: dict[str, Any]) -> None:
        # A redirect is reported as the next request of the same id, with the 303 answer.
        if "redirectResponse" in event:
            answered(sent[event["requestId"]], event["redirectResponse"])
        sent[event["requestId"]] = {
            "id": event["requestId"],
            "method": event["request"]["method"],
            "url": event["request"]["url"],
        }

    def extra(event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event["headers"].items()}
        origins.append((event["requestId"], headers.get("origin")))

    def answered(record: dict[str, Any], response: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in response["headers"].items()}
        seen.append({**record, "status": response["status"], "headers": headers})

    def response(event: dict[str, Any]) -> None:
        answered(sent[event["requestId"]], event["response"])

    session.on("Network.requestWillBeSent", request)
    session.on("Network.responseReceived", response)
    session.on("Network.requestWillBeSentExtraInfo", extra)
    session.send("Network.enable")
    return seen, origins
