"""The examples' website in a real headless browser (Debian's chromium through Playwright).

Served by Python's http.server on 127.0.0.1: open the home page, see the map's points,
search for a city, follow a practice, its city, its indicator and its SDG goal, switch the
language; no console error, and every request the pages make stays on 127.0.0.1.
Screenshots (desktop and 390 px wide) go to ``$NUALOD_ARTEFACTS`` (or the test's temporary
folder) and their paths are printed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from system_tools import CHROMIUM, required

from nualod.run.publish import publish
from nualod.site.build import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _chromium() -> None:
    required(CHROMIUM, "chromium")


@contextmanager
def _serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` with Python's http.server on a free port of 127.0.0.1; yield its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "out"
    publish([EXAMPLES], out)
    build_site(out)
    with _serving(out / "site") as url:
        yield url


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NUALOD_ARTEFACTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_visitor_searches_follows_links_and_switches_language(
    browser: Browser, served: str, tmp_path: Path
) -> None:
    from playwright.sync_api import Request, Route

    outside: list[str] = []
    errors: list[str] = []
    shots = _artefacts(tmp_path)

    def guard(route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    for width, name in ((1280, "desktop"), (390, "phone")):
        page = browser.new_page(viewport={"width": width, "height": 844})
        page.route("**/*", guard)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(served + "index.html")
        assert page.locator("html").get_attribute("lang") == "id"
        dots = page.locator("figure.map circle")
        assert dots.count() == 4
        assert dots.first.is_visible()
        page.screenshot(path=str(shots / f"home-{name}.png"), full_page=width > 400)

        page.fill("#q", "Pekalongan")
        page.click("form.search button")
        page.wait_for_selector("#search-results li a")
        result = page.locator("#search-results li a").first
        assert "Pekalongan" in result.inner_text()
        result.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"
        practice = page.url
        page.screenshot(path=str(shots / f"practice-{name}.png"), full_page=width > 400)

        page.locator("p.place a").first.click()
        assert page.locator("h1").inner_text() == "Kota Pekalongan"
        assert page.locator("ol.practices li").count() == 1
        page.goto(practice)
        page.locator("dl.facts dd a").nth(1).click()
        assert page.locator("h1").inner_text().startswith("Indikator 47: Jumlah Tahunan")
        page.goto(practice)
        page.get_by_role("link", name="SDG 4: Pendidikan Berkualitas").click()
        assert page.locator("h1").inner_text() == "SDG 4: Pendidikan Berkualitas"
        page.locator("a.lang").click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "SDG 4: Quality education"
        page.close()
    for path in sorted(shots.glob("*.png")):
        print(f"screenshot: {path}")
    assert outside == []
    assert errors == []


def test_search_finds_by_prefix_and_every_word_and_says_when_nothing_matches(
    browser: Browser, served: str, tmp_path: Path
) -> None:
    errors: list[str] = []
    shots = _artefacts(tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 844})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def found(query: str) -> tuple[str, list[str]]:
        page.goto(served + "search/index.html?q=" + query)
        page.wait_for_function(
            "document.getElementById('search-status').textContent.match(/\\d|Tidak|No /)"
        )
        status = page.locator("#search-status").inner_text()
        return status, page.locator("#search-results li a").all_inner_texts()

    # The word being typed is a prefix; the page's place is searched too.
    assert found("pekal") == (
        "1 praktik ditemukan",
        ["Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"],
    )
    assert page.locator("#search-results mark").count() >= 1
    page.screenshot(path=str(shots / "search-desktop.png"), full_page=True)
    # Every word must be there: a province's practices, then fewer with a second word.
    status, titles = found("jawa")
    assert status.endswith("praktik ditemukan") and len(titles) >= 2
    assert found("jawa pekalongan") == (
        "1 praktik ditemukan",
        ["Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"],
    )
    assert found("zzzqqq") == ("Tidak ada hasil.", [])
    # A word under three letters is matched whole; the page says so (a11y review:
    # "ko" found nothing where "kota" finds many, and nothing said why).
    assert found("ko") == (
        "Tidak ada hasil. Kata satu atau dua huruf dicari utuh; ketik lebih banyak huruf.",
        [],
    )
    status, titles = found("kot")
    assert status.endswith("praktik ditemukan") and titles
    # The English search page links to the English pages.
    page.goto(served + "en/search/index.html?q=Pekalongan")
    page.wait_for_selector("#search-results li a")
    assert page.locator("#search-status").inner_text() == "1 practice found"
    href = page.locator("#search-results li a").first.get_attribute("href")
    assert href is not None and href.startswith("../../en/id/practice/")
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()
    assert errors == []


@pytest.mark.parametrize(
    ("folder", "said"),
    [
        ("", "Indeks pencarian tidak dapat dimuat; gunakan daftar di menu."),
        ("en/", "The search index could not be loaded; use the lists in the menu."),
    ],
)
def test_a_search_whose_index_cannot_load_says_so_in_the_page_s_language(
    browser: Browser, served: str, folder: str, said: str
) -> None:
    """It showed JavaScript's own words ("TypeError: Failed to fetch") on an Indonesian page."""
    page = browser.new_page()
    page.route("**/search/*.json", lambda route: route.abort())
    page.goto(served + folder + "search/index.html?q=pekalongan")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('menu')")
    assert page.locator("#search-status").inner_text() == said
    page.close()


#: Whether the keyboard's focus is on the link of the search result numbered ``arg`` (from 1).
_FOCUSED_RESULT = """(n) => document.activeElement ===
  document.querySelector('#search-results li:nth-child(' + n + ') a')"""


def test_search_shows_thirty_results_then_more_on_request(browser: Browser, tmp_path: Path) -> None:
    from bench.generate import corpus_inputs, write_pages

    corpus = write_pages(tmp_path / "pages", 70)
    out = tmp_path / "out"
    publish(corpus_inputs(corpus, 70), out)
    build_site(out)
    errors: list[str] = []
    with _serving(out / "site") as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url + "search/index.html?q=dan")
        page.wait_for_selector("#search-results li a")
        items = page.locator("#search-results li")
        assert page.locator("#search-status").inner_text() == "67 praktik ditemukan"
        assert items.count() == 30
        more = page.locator("#search-more")
        more.click()
        page.wait_for_function("document.querySelectorAll('#search-results li').length == 60")
        # WCAG 2.4.3: the keyboard's focus goes to the first result shown, not past them
        # (the button is after the list) nor, once the button is hidden, nowhere.
        page.wait_for_function(_FOCUSED_RESULT, arg=31)
        more.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#search-results li').length == 67")
        assert not more.is_visible()
        page.wait_for_function(_FOCUSED_RESULT, arg=61)
        page.keyboard.press("Tab")
        assert page.evaluate(_FOCUSED_RESULT, 62)
        page.screenshot(path=str(_artefacts(tmp_path) / "search-phone.png"))
    assert errors == []


#: Words of table cells that the browser split across lines: a word is split where two of
#: its pieces between hyphens, dashes or slashes (where a line may break) sit on different
#: lines, or a piece itself spans two. A URL shown as text (class "url") may break anywhere.
_SPLIT_WORDS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const split = [];
  const top = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top)));
  };
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.url')) continue;
      for (const piece of node.data.matchAll(/[^\\s\\-\\u2013/]+/g)) {
        if (top(node, piece.index, piece.index + piece[0].length).size > 1) split.push(piece[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_tables_never_split_a_word_or_widen_the_page(
    browser: Browser, served: str, width: int
) -> None:
    pages = (
        "index.html",
        "en/index.html",
        "def.html",
        "id/practice/621/10-47-33.75-62146c0504af32de.html",
        "id/dataset/nuf-good-practices.html",
        "code/indicator/47.html",
    )
    page = browser.new_page(viewport={"width": width, "height": 844})
    for path in pages:
        page.goto(served + path)
        assert page.evaluate(_SPLIT_WORDS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") == width, path
    page.close()


def test_the_search_pages_language_switch_keeps_the_query(browser: Browser, served: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 844})
    page.goto(served + "search/index.html?q=Surabaya")
    page.wait_for_selector("#search-results li a")
    assert page.locator("a.lang").get_attribute("href") == ("../en/search/index.html?q=Surabaya")
    page.locator("a.lang").click()
    page.wait_for_selector("#search-results li a")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#q").input_value() == "Surabaya"
    # A new search is kept too, and the way back keeps it.
    page.fill("#q", "batik kota")
    page.click("form.search button")
    assert page.locator("a.lang").get_attribute("href") == (
        "../../search/index.html?q=batik%20kota"
    )
    page.close()


def _luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a computed colour, ``rgb(r, g, b)``."""
    channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    """Return the WCAG contrast ratio of two computed colours."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: The computed outline colour of what has keyboard focus, and the background around it.
_FOCUS = """() => {
  const focused = document.activeElement;
  let around = focused.parentElement;
  while (around && getComputedStyle(around).backgroundColor === 'rgba(0, 0, 0, 0)') {
    around = around.parentElement;
  }
  return [getComputedStyle(focused).outlineColor,
          getComputedStyle(around || document.body).backgroundColor];
}"""


def test_the_focus_outline_contrasts_3_to_1_with_the_page_and_the_header(
    browser: Browser, served: str
) -> None:
    """WCAG 1.4.11: the keyboard focus indicator has a 3:1 contrast with what is around it,
    on the light page and in the dark header alike."""
    page = browser.new_page(viewport={"width": 1280, "height": 844})
    page.goto(served + "index.html")
    seen = []
    for selector in ("a.brand", "#q", "form.search button", "ul.stats a", "ol a"):
        page.locator(selector).first.focus()
        # Focus that came from the keyboard, as :focus-visible asks.
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        outline, around = page.evaluate(_FOCUS)
        seen.append((selector, outline, around, round(_contrast(outline, around), 2)))
    page.close()
    assert [s for s in seen if s[3] < 3] == [], seen


def test_the_search_boxs_border_contrasts_3_to_1_with_the_page(
    browser: Browser, served: str
) -> None:
    """WCAG 1.4.11: the search box is white on a near-white page, so its border is what shows
    where it is, and needs a 3:1 contrast with the page around it."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    found = []
    for path in ("index.html", "search/index.html"):
        page.goto(served + path)
        border, page_background = page.evaluate(
            "[getComputedStyle(document.getElementById('q')).borderTopColor,"
            " getComputedStyle(document.body).backgroundColor]"
        )
        found.append((path, round(_contrast(border, page_background), 2)))
    page.close()
    assert [f for f in found if f[1] < 3] == [], found


def test_the_maps_coast_contrasts_3_to_1_with_the_sea_and_the_land(
    browser: Browser, served: str
) -> None:
    """WCAG 1.4.11: the coastline is what shows the islands the dots sit on (a11y review:
    2.2:1 against the sea)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "index.html")
    coast, land, sea = page.evaluate(
        "(() => { const p = document.querySelector('figure.map .land polygon');"
        " const s = getComputedStyle(p);"
        " return [s.stroke, s.fill,"
        " getComputedStyle(document.querySelector('figure.map svg')).backgroundColor];"
        " })()"
    )
    page.close()
    assert round(_contrast(coast, sea), 2) >= 3
    assert round(_contrast(coast, land), 2) >= 3


def test_no_page_scrolls_sideways_at_320_px(browser: Browser, served: str) -> None:
    """WCAG 1.4.10 (Reflow): at 320 CSS pixels no page is wider than the window. A term's
    facts on the vocabulary pages (a grid of names and values) made the page 361 px wide:
    a long name such as schema:AdministrativeArea could not wrap in its column."""
    pages = (
        "index.html",
        "def.html",
        "en/def.html",
        "def/Kabupaten.html",
        "en/def/GoodPractice.html",
        "id/practice/621/10-47-33.75-62146c0504af32de.html",
        "en/id/practice/621/10-47-33.75-62146c0504af32de.html",
        "id/region/33.75.html",
        "code/indicator/47.html",
        "sdg/4.html",
        "browse/creative-cities.html",
        "search/index.html",
        # A licence's URL in a sentence widened these (a11y review).
        "code/rights/unesco-thesaurus.html",
        "en/id/dataset/nuf-good-practices/rights.html",
        "download/index.html",
    )
    wide = []
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in pages:
        page.goto(served + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width != 320:
            wide.append((path, width))
    page.close()
    assert wide == []


def test_the_pagers_links_are_targets_of_24_by_24_px(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WCAG 2.5.8 (Target Size, Minimum): the page numbers of a list's pager were 10 by 19 px,
    a space apart; each link is now at least 24 by 24 CSS px."""
    from bench.generate import corpus_inputs, write_pages
    from nualod.site import lists

    corpus = write_pages(tmp_path / "pages", 40)
    out = tmp_path / "out"
    publish(corpus_inputs(corpus, 40), out)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    build_site(out, search=False)
    root = out / "site"
    paths = [
        path.relative_to(root).as_posix()
        for path in sorted(root.glob("list/sdg/*/0/2.html"))
        if (path.parent / "3.html").is_file()
    ][:1]
    assert paths
    small = []
    with _serving(root) as url:
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 844})
            for path in (*paths, "en/" + paths[0]):
                page.goto(url + path)
                links = page.locator("nav.pager a")
                assert links.count() >= 5
                for n in range(links.count()):
                    box = links.nth(n).bounding_box()
                    assert box is not None
                    if box["width"] < 24 or box["height"] < 24:
                        small.append((width, path, links.nth(n).inner_text(), box))
            page.close()
    assert small == []


def test_a_keyboard_passes_the_map_s_dots_with_one_link(
    browser: Browser, served: str, tmp_path: Path
) -> None:
    """The home page's map has a link a dot per region (some 500 at full size): the link
    before it, shown when focused, leads past them to the latest practices (a11y review:
    466 Tab stops stood between the search and the rest of the page)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "index.html")
    page.focus("form.search button")
    for _ in range(20):  # past the cards between the search and the map
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "skip-map":
            break
    assert page.evaluate("document.activeElement.textContent") == (
        "Lewati peta, ke praktik terbaru"
    )
    box = page.locator("a.skip-map").bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 0  # seen when focused
    page.screenshot(path=str(_artefacts(tmp_path) / "skip-map-focused.png"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.closest('ol.practices') !== null")
    assert after, page.evaluate("document.activeElement.outerHTML")
    page.close()
