"""What the download base promises, asked of a host that serves the site at the base.

:func:`published_releases` publishes the three releases of ``test_releases`` (versions 1,
2, 3, each with a catalog in the DCAT-AP ``dcat:DatasetSeries``, a changelog and the change
feed), then version 4 with the pages of 3 (no change) and ``--keep 2``, so that version 1
is no longer kept, and builds their site. :func:`promised_urls` lists every URL under the download base
that the kept releases' catalogs and VoID name (download, access and landing URLs, the
homepage, the contact's URL, the data dumps), with the ``dcat:mediaType`` the catalog gives a
distribution. :func:`assert_serves_downloads` asks a host for each, and for every node of the
change feed reached from its roots (``tree:view``, ``tree:relation``/``tree:node``), and
checks 200, the media type, the bytes of the file in OUT, and ``Cache-Control``: the feed's
immutable pages and the versions' files are cached for good, nothing else is. It also asks
for version 1's files and the resources under its dataset IRI: 410 Gone, with the 410 page
of the path's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import rdflib
import requests
from pyoxigraph import NamedNode, RdfFormat, parse
from site_fixture import get_accepting
from test_releases import RELEASES, write_pages

from nualod.run.publish import publish
from nualod.site.build import build_site

BASE: Final = "https://w3id.org/nualod/"
DOWNLOAD_BASE: Final = BASE + "download/"
IANA: Final = "https://www.iana.org/assignments/media-types/"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
LDES_IMMUTABLE: Final = "https://w3id.org/ldes#immutable"
IMMUTABLE: Final = "public, max-age=31536000, immutable"
#: The media type of a promised file that is no distribution of a catalog, by its suffix.
OTHER_TYPES: Final = {
    ".trig": "application/trig",
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
}
#: The distributions of each version (its catalog's download URLs), and what else a
#: version's catalog names under the download base: its landing page, the download base.
DISTRIBUTIONS: Final = (
    "alignments.sssom.tsv", "changelog.json", "changelog.md", "datapackage.json",
    "feed/index.trig", "nualod.jsonld", "nualod.nq", "nualod.nt", "nualod.ttl",
    "practice-figures.csv", "practice-sources.csv", "practices.csv",
    "practices.csv-metadata.json", "practices.geojson", "practices.json",
    "practices.schema.json",
)  # fmt: skip
#: The versions the out folder keeps: 1 is no longer kept.
KEPT: Final = ("2", "3", "4")
#: Every path under the download base that the kept releases promise, and the feed's (a
#: page a release; release 4's, which changed nothing, holds no activity).
PROMISED: Final = sorted(
    [
        "",
        "feed/index.trig",
        "feed/page-000001.trig",
        "feed/page-000002.trig",
        "feed/page-000003.trig",
        "feed/page-000004.trig",
        *(f"releases/{version}/{name}" for version in KEPT for name in DISTRIBUTIONS),
    ]
)
SERIES_PATH: Final = "id/dataset/nuf-good-practices"
#: Paths gone with version 1, and the language of the 410 page that answers each.
GONE: Final = {
    "download/releases/1/": "id",
    "download/releases/1/nualod.ttl": "id",
    "download//releases/1/nualod.ttl": "id",
    f"{SERIES_PATH}/1/distribution/ttl": "id",
    f"en/{SERIES_PATH}/1/distribution/ttl": "en",
}
GONE_HEADING: Final = {
    "id": "Versi ini tidak lagi disimpan",
    "en": "This version is no longer kept",
}


def published_releases(root: Path) -> Path:
    """Publish the three releases into ``root/out``, then version 4 with release 3's pages
    and ``--keep 2`` (version 1 goes), and build its site; return OUT."""
    out = root / "out"
    previous: Path | None = None
    for version, contents in [*RELEASES.items(), ("4", RELEASES["3"])]:
        pages = write_pages(root / f"pages-{version}", contents)
        publish([pages], out, version=version, previous=previous, keep=2)
        previous = out
    assert sorted(p.name for p in (out / "releases").iterdir()) == list(KEPT)
    build_site(out, search=False, workers=1)
    return out


def promised_urls(out: Path) -> dict[str, str | None]:
    """Return every URL under the download base that the kept releases' catalogs and VoID
    name, each with the ``dcat:mediaType`` of the distribution it is the download URL of
    (None for the others)."""
    urls: dict[str, str | None] = {}
    for release in sorted((out / "releases").iterdir()):
        for name in ("catalog.ttl", "void.ttl"):
            graph = rdflib.Graph().parse(release / name)
            for term in {*graph.subjects(), *graph.objects()}:
                if isinstance(term, rdflib.URIRef) and str(term).startswith(DOWNLOAD_BASE):
                    urls.setdefault(str(term).split("#", 1)[0], None)
            for distribution, url in graph.subject_objects(DCAT.downloadURL):
                media = graph.value(distribution, DCAT.mediaType)
                assert media is not None and str(media).startswith(IANA), url
                urls[str(url)] = str(media).removeprefix(IANA)
    return urls


def file_of(out: Path, url: str) -> Path:
    """Return the file in OUT that a URL under the download base names (the folder's own
    URL names its landing page, ``index.html``)."""
    relative = url.removeprefix(DOWNLOAD_BASE)
    return out / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)


def assert_serves_downloads(host: str, out: Path) -> list[str]:
    """Check that the host serving the site of ``out`` at ``host`` (ending in ``/``, for the
    base ``https://w3id.org/nualod/``) answers every promised URL and every node of the feed:
    200, the catalog's media type (or the file's, for what is no distribution) with
    ``charset=utf-8``, the bytes of the file in OUT, and ``Cache-Control`` on exactly the
    feed pages that say they are immutable. Return the paths asked, relative to the
    download base."""
    promised = promised_urls(out)
    to_crawl = [url for url in promised if url.endswith(".trig")]
    assert to_crawl, "no feed root in the catalogs"
    asked: dict[str, str | None] = {}
    immutable_pages: list[str] = []
    while promised or to_crawl:
        url = to_crawl.pop() if to_crawl else next(iter(promised))
        media = promised.pop(url, None)
        if url in asked:
            continue
        asked[url] = media
        path = file_of(out, url)
        assert path.is_file(), f"{url}: no such file in OUT"
        served_url = host + url.removeprefix(BASE)
        response = get_accepting(served_url, None)
        assert response.status_code == 200, (served_url, response.status_code)
        expected = media or OTHER_TYPES["." + path.name.rsplit(".", 1)[-1]]
        assert response.headers["Content-Type"] == f"{expected}; charset=utf-8", served_url
        assert response.content == path.read_bytes(), served_url
        # Read from any origin, as every answer is (a location with headers of its own in
        # nginx inherits none: the feed pages' once lost these).
        assert response.headers.get("Access-Control-Allow-Origin") == "*", served_url
        immutable = False
        if url.endswith(".trig"):
            for quad in parse(response.content, format=RdfFormat.TRIG, base_iri=url):
                for term in (quad.subject, quad.object, quad.graph_name):
                    if isinstance(term, NamedNode) and term.value.startswith(DOWNLOAD_BASE):
                        node = term.value.split("#", 1)[0]
                        if node not in asked and node.endswith(".trig"):
                            to_crawl.append(node)
                if quad.predicate.value == LDES_IMMUTABLE and quad.subject.value == url:
                    immutable = quad.object.value == "true"
        if immutable:
            immutable_pages.append(url.removeprefix(DOWNLOAD_BASE))
        # A version's files never change either: it is never rewritten, nor reused.
        if immutable or url.startswith(DOWNLOAD_BASE + "releases/"):
            assert response.headers["Cache-Control"] == IMMUTABLE, served_url
        else:
            assert "Cache-Control" not in response.headers, served_url
    # A preflight of a page or of a version's file is answered 204, and no more cached
    # than any other's.
    for path in ("download/feed/page-000001.trig", "download/releases/2/nualod.ttl"):
        preflight = requests.options(host + path, timeout=10)
        assert preflight.status_code == 204
        assert "Cache-Control" not in preflight.headers
    # A page the next release writes is missing now, and no version holds every file name:
    # 404, and not cached for good.
    for path in ("download/feed/page-000005.trig", "download/releases/2/missing.ttl"):
        missing = get_accepting(host + path, None)
        assert missing.status_code == 404
        assert "Cache-Control" not in missing.headers
    # A version's landing page, by its folder's URL, is one of its files too.
    landing = get_accepting(host + "download/releases/2/", None)
    assert landing.status_code == 200
    assert landing.content == (out / "releases" / "2" / "index.html").read_bytes()
    assert landing.headers["Cache-Control"] == IMMUTABLE
    assert_answers_gone(host)
    assert_activities_lead_to_their_changes(host, out)
    paths = sorted(url.removeprefix(DOWNLOAD_BASE) for url in asked)
    assert paths == PROMISED
    assert sorted(immutable_pages) == [f"feed/page-00000{n}.trig" for n in (1, 2, 3, 4)]
    return paths


def assert_answers_gone(host: str) -> None:
    """Check that the host answers each path gone with version 1 (its files, the resources
    under its dataset IRI) 410 Gone with the 410 page of the path's language, which links
    version 1's page, readable from any origin and not cached for good; and that version
    1's dataset IRI itself still leads to its page."""
    for path, lang in GONE.items():
        for accept in (None, "text/turtle"):
            gone = get_accepting(host + path, accept)
            assert gone.status_code == 410, (path, accept, gone.status_code)
            assert gone.headers["Content-Type"] == "text/html; charset=utf-8", path
            assert f'<html lang="{lang}">' in gone.text, path
            assert f"<h1>{GONE_HEADING[lang]}</h1>" in gone.text, path
            prefix = "en/" if lang == "en" else ""
            assert f'{prefix}{SERIES_PATH}/1.html"' in gone.text, path
            assert gone.headers.get("Access-Control-Allow-Origin") == "*", path
            assert "immutable" not in gone.headers.get("Cache-Control", ""), path
    # A gone prefix is matched as the site's files are, case and all: another case of it is
    # a path of no file, a 404 on every host.
    for path in ("DOWNLOAD/releases/1/nualod.ttl", f"{SERIES_PATH.upper()}/1/distribution/ttl"):
        assert get_accepting(host + path, None).status_code == 404, path
    # The list of those paths is the servers', no page (Apache denies it, 403).
    listed = get_accepting(host + ".htgone", None)
    assert listed.status_code in (403, 404), listed.status_code
    assert "download/releases/1/" not in listed.text
    dataset = get_accepting(host + f"{SERIES_PATH}/1", "text/html")
    assert dataset.status_code == 303
    assert dataset.headers["Location"].endswith(f"{SERIES_PATH}/1.html")


def assert_activities_lead_to_their_changes(host: str, out: Path) -> None:
    """Check that the IRI of the first activity of each feed page leads (303, for a browser,
    in either language) to the page of its release's changes, ``versions/V.html``: for a
    kept version the list of the practices it changed, for one no longer kept a page that
    says so and links the change feed."""
    member = "https://w3id.org/tree#member"
    for page in sorted((out / "feed").glob("page-*.trig")):
        quads = parse(page.read_bytes(), format=RdfFormat.TRIG, base_iri=DOWNLOAD_BASE)
        activity = next((q.object.value for q in quads if q.predicate.value == member), None)
        if activity is None:  # the page of a release that changed nothing
            continue
        version = activity.removeprefix(BASE + "id/feed/").split("/", 1)[0]
        for folder in ("", "en/"):
            answer = get_accepting(host + folder + activity.removeprefix(BASE), "text/html")
            assert answer.status_code == 303, (activity, answer.status_code)
            location = answer.headers["Location"]
            assert location.endswith(f"/{folder}versions/{version}.html"), location
