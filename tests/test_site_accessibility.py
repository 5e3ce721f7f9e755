"""An accessibility audit of the examples' website with axe-core (Deque's WCAG engine).

The bundled examples are published as release 1, then without Surabaya's page as release 2
(so the versions pages list a removal and the removed practice's page says it is gone), and
the site is built; a second site, of twelve generated practices (bench/generate.py) and two
a list page, has lists of several pages. Python's http.server serves them on 127.0.0.1, the
first at ``/nualod/``, the path the site is built for (its 404 page's links start there),
the second at ``/paged/``. One page of every kind, in Indonesian and in
English (``en/``), is opened in Debian's chromium at 1280 and 390 px wide, axe-core
(``tests/js``, installed by ``npm ci``) is put in it and run with the rules of WCAG 2.0, 2.1
and 2.2 A and AA and Deque's best practices; a violation fails the test, one line for each
element: the rule, its impact, the page and the element's selector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import pytest
from system_tools import JS, node_packages
from test_site_browser import _serving

from nualod.run.publish import publish
from nualod.site import lists
from nualod.site.build import build_site

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
#: The example left out of release 2: its practice's page is a withdrawn practice's.
REMOVED = "surabaya-tema03-indikator19.txt"
#: Where the sites are served: the examples' at the path of the base URL it is built for.
SITE_PATH: Final = "nualod/"
PAGED_PATH: Final = "paged/"
WIDTHS: Final = (1280, 390)
#: The rules run: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
TAGS: Final = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
_RUN = """async ([tags, off]) => {
  const rules = Object.fromEntries(off.map(id => [id, {enabled: false}]));
  const result = await axe.run(document,
    {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']});
  const selector = (target) => target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' ');
  return {
    passes: result.passes.map(rule => rule.id),
    violations: result.violations.flatMap(rule => rule.nodes.map(node =>
      [rule.id, rule.impact, selector(node.target)])),
  };
}"""

pytestmark = pytest.mark.slow


def _found(pattern: str, *words: str) -> Callable[[Path], str]:
    """Return a finder of the first page, by name, under a site that matches ``pattern``
    and has each of ``words`` in its HTML; the page's path is relative to the site."""

    def find(site: Path) -> str:
        for path in sorted(site.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            if all(word in text for word in words):
                return path.relative_to(site).as_posix()
        raise AssertionError(f"no page {pattern} with {words}")

    return find


def _named(path: str) -> Callable[[Path], str]:
    return lambda _site: path


_PRACTICES = '<ol class="practices"'
#: One page of every kind, by the name of its kind: where to find it in the site (a list of
#: several pages is in the second site), and whether it has an English page under ``en/``.
KINDS: Final[dict[str, tuple[Callable[[Path], str], bool]]] = {
    "home": (_named("index.html"), True),
    "practice": (_found("id/practice/*/*.html", '<article class="practice">'), True),
    "withdrawn-practice": (_found("id/practice/*/*.html", "practice withdrawn"), True),
    "kota": (_found("id/region/*.*.html", "<h1>Kota ", _PRACTICES), True),
    "kabupaten": (_found("id/region/*.*.html", "<h1>Kabupaten ", _PRACTICES), True),
    "province": (_named("id/region/33.html"), True),
    "theme": (_found("code/theme/*.html", '<ul class="concepts"'), True),
    "indicator": (_found("code/indicator/*.html", _PRACTICES), True),
    "sdg-goal": (_found("sdg/[0-9].html", _PRACTICES), True),
    "sdg-target": (_found("sdg/[0-9].[0-9a-z].html", _PRACTICES), True),
    "sdg-indicator": (_found("sdg/C*.html", _PRACTICES), True),
    "unesco-concept": (_found("unesco/*.html", _PRACTICES), True),
    "creative-cities": (_named("browse/creative-cities.html"), True),
    "browse-province": (_named("browse/province.html"), True),
    "browse-theme": (_named("browse/theme.html"), True),
    "browse-sdg": (_named("browse/sdg.html"), True),
    "browse-unesco": (_named("browse/unesco.html"), True),
    "browse-practices": (_named("browse/practices.html"), True),
    "paged-list": (_found("list/sdg/*/0/2.html"), True),
    "search": (_named("search/index.html"), True),
    "search-results": (_named("search/index.html?q=Pekalongan"), True),
    "search-no-results": (_named("search/index.html?q=zzzqqq"), True),
    "vocabulary": (_named("def.html"), True),
    "vocabulary-class": (_named("def/Kota.html"), True),
    "vocabulary-property": (_named("def/creativeCity.html"), True),
    "code-list-theme": (_named("code/theme.html"), True),
    "code-list-indicator": (_named("code/indicator.html"), True),
    "alignment": (_found("code/alignment/*.html"), True),
    "rights": (_found("code/rights/*.html"), True),
    "catalog": (_named("id/catalog.html"), True),
    "agent": (_found("id/agent/*.html"), True),
    "dataset": (_named("id/dataset/nuf-good-practices.html"), True),
    "dataset-release": (_found("id/dataset/*/[0-9].html"), True),
    "distribution": (_found("id/dataset/*/*/distribution/*.html"), True),
    "linkset": (_found("id/dataset/*/linkset/*.html"), True),
    "query": (_found("queries/*.html"), True),
    "versions": (_named("versions.html"), True),
    "release-changes": (_named("versions/2.html"), True),
    # The release's own landing page (index.html of the published folder): Indonesian and
    # English on one page.
    "download": (_named("download/index.html"), False),
    "not-found": (_named("404.html"), True),
}
CASES: Final = [
    pytest.param(kind, lang, id=f"{kind}-{lang}")
    for kind, (_, english) in KINDS.items()
    for lang in ("id", "en")
    if lang == "id" or english
]


@pytest.fixture(scope="module")
def axe() -> Path:
    """Return axe-core's script (``tests/js``, installed from its lock file when missing)."""
    node_packages("axe-core")
    return JS / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """Serve the examples' site and the site of lists of several pages; yield the URL they
    are served under and the two site folders."""
    from bench.generate import corpus_inputs, write_pages

    folder = tmp_path_factory.mktemp("accessibility")
    fewer = folder / "release-2"
    fewer.mkdir()
    for page in sorted(EXAMPLES.iterdir()):
        if page.name != REMOVED:
            (fewer / page.name).write_bytes(page.read_bytes())
    out = folder / "out"
    publish([EXAMPLES], out, version="1")
    publish([fewer], out, version="2", previous=out)
    build_site(out)
    corpus = write_pages(folder / "pages", 12)
    paged = folder / "paged"
    publish(corpus_inputs(corpus, 12), paged)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lists, "PAGE_SIZE", 2)
        build_site(paged, search=False)
    root = folder / "root"
    root.mkdir()
    (root / SITE_PATH).symlink_to(out / "site")
    (root / PAGED_PATH).symlink_to(paged / "site")
    with _serving(root) as url:
        yield url, out / "site", paged / "site"


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_axe_finds_no_violation(
    kind: str, lang: str, sites: tuple[str, Path, Path], axe: Path, browser: Any
) -> None:
    from playwright.sync_api import Request, Route

    url, site, paged = sites
    find, _ = KINDS[kind]
    served, root = (PAGED_PATH, paged) if kind == "paged-list" else (SITE_PATH, site)
    path = ("en/" if lang == "en" else "") + find(root)
    assert (root / path.split("?", 1)[0]).is_file(), path
    outside: list[str] = []

    def guard(route: Route, request: Request) -> None:
        if request.url.startswith("data:") or urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    violations = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 844})
        try:
            page.route("**/*", guard)
            response = page.goto(url + served + path)
            assert response is not None and response.status == 200, path
            if "?q=" in path:
                page.wait_for_function(
                    "document.getElementById('search-status').textContent.match(/\\d|Tidak|No /)"
                )
            page.add_script_tag(path=str(axe))
            found = page.evaluate(_RUN, [list(TAGS), []])
        finally:
            page.close()
        violations += [
            f"{rule} ({impact}) {path} at {width} px: {target}"
            for rule, impact, target in found["violations"]
        ]
        # axe ran its rules: every page has text, a language and (we want) one main landmark.
        assert {"color-contrast", "html-has-lang"} <= set(found["passes"]), path
    assert not violations, "axe-core found:\n" + "\n".join(violations)
    assert outside == []
