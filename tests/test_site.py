"""The static website of the bundled examples: structure, links, data files, determinism."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from nualod.figures import figure_rows
from nualod.model.namespaces import CONTEXT
from nualod.model.resources import resource_bytes
from nualod.run.publish import publish
from nualod.site.build import SiteError, build_site
from nualod.site.lists import list_page_stem
from nualod.site.pages import QUERY_TITLES, list_class
from nualod.site.paths import NOT_FOUND_PAGES, site_path
from nualod.validate.stream import SHIPPED_CONTEXTS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"
#: The URL path of the site's root: the path of its default base URL, https://w3id.org/nualod/.
SITE_PATH = "/nualod/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    publish([EXAMPLES], out)
    build_site(out)
    return out


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = False
        self.viewport = False
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self._in_title = False
        self.title_text = ""
        self.switch: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "a" and "lang" in (a.get("class") or "").split():
            self.switch = a.get("href")
        if tag == "title":
            self._in_title = True
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = True
        for key in ("href", "src"):
            value = a.get(key)
            if value:
                self.links.append(value)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        if self._in_title:
            self.title_text += data


def _pages(root: Path) -> list[Path]:
    """Return the site's own pages: every ``.html`` file but those under ``download/``
    (the releases' landing pages, published files the site links, not pages it renders)."""
    return sorted(p for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "download")


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_page_has_lang_title_viewport_and_no_broken_internal_link(site: Path) -> None:
    root = site / "site"
    pages = _pages(root)
    assert len(pages) > 1000
    broken = []
    for path in pages:
        page = _parse(path)
        assert page.lang in ("id", "en"), path
        assert page.title_text.strip(), path
        assert page.viewport, path
        for link in page.links:
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            if not _resolved(root, path, link).exists():
                broken.append(f"{path.relative_to(root)} -> {link}")
    assert broken == []


def _resolved(root: Path, page: Path, link: str) -> Path:
    """Return the file a link of a page (in the site at ``root``) leads to."""
    target = link.split("#", 1)[0].split("?", 1)[0]
    if target.startswith("/"):  # the 404 page's: from the path of the site's base URL
        if not target.startswith(SITE_PATH):
            return root / "outside the site"
        return (root / target.removeprefix(SITE_PATH)).resolve()
    return (page.parent / target).resolve()


def test_every_pages_language_switch_leads_to_its_counterpart_in_the_other_language(
    site: Path,
) -> None:
    """The switch of a page leads to the same stem in the other language, which exists and
    leads back; a 404 page's leads to the other language's home page."""
    root = (site / "site").resolve()
    pages = {path: _parse(path) for path in _pages(root)}
    assert len(pages) > 1000
    wrong = []
    for path, page in pages.items():
        relative = path.relative_to(root).as_posix()
        english = relative.startswith("en/")
        if path.name == "404.html":
            counterpart = "index.html" if english else "en/index.html"
        else:
            counterpart = relative.removeprefix("en/") if english else f"en/{relative}"
        target = _resolved(root, path, page.switch or "")
        if target != root / counterpart or target not in pages:
            wrong.append(f"{relative} -> {page.switch}")
        elif pages[target].lang != ("id" if english else "en"):
            wrong.append(f"{relative} -> {page.switch}: lang {pages[target].lang}")
        elif (
            path.name != "404.html" and _resolved(root, target, pages[target].switch or "") != path
        ):
            wrong.append(f"{relative} -> {page.switch}: does not lead back")
    assert wrong == []


def test_the_404_pages_language_switch_leads_to_the_other_languages_home_page(
    site: Path,
) -> None:
    """Not to the other language's 404 page: a path missing in one is missing in both."""
    english = _parse(site / "site" / "en" / "404.html")
    indonesian = _parse(site / "site" / "404.html")
    assert english.switch == "/nualod/index.html"
    assert indonesian.switch == "/nualod/en/index.html"


def _triples(path: Path, fmt: ox.RdfFormat) -> set[ox.Triple]:
    with path.open("rb") as data:
        return {quad.triple for quad in ox.parse(data, format=fmt)}


def test_each_resource_ttl_nt_and_jsonld_are_isomorphic_and_the_html_embeds_the_same(
    site: Path,
) -> None:
    root = site / "site"
    resources = sorted(
        p for p in root.rglob("*.ttl") if "download" not in p.parts and "queries" not in p.parts
    )
    assert len(resources) > 500
    for ttl in resources:
        stem = str(ttl)[: -len(".ttl")]
        turtle = _triples(ttl, ox.RdfFormat.TURTLE)
        assert turtle, ttl
        data = Path(stem + ".jsonld")
        assert turtle == _triples(data, ox.RdfFormat.JSON_LD), ttl
        assert turtle == _triples(Path(stem + ".nt"), ox.RdfFormat.N_TRIPLES), ttl
        html = Path(stem + ".html")
        embedded = _parse(html).scripts
        assert len(embedded) == 1, html
        assert json.loads(embedded[0]) == json.loads(data.read_text()), html


def test_a_practices_hash_nodes_are_this_names_in_its_turtle_and_json_ld(site: Path) -> None:
    # The practice of the examples whose texts state figures: its figures and their quotes
    # are hash nodes of its IRI, written with the prefix ``this:`` (and nothing else is).
    files = sorted((site / "site" / "id" / "practice").rglob("*.ttl"))
    with_figures = [ttl for ttl in files if b"#figure-" in ttl.with_suffix(".nt").read_bytes()]
    assert len(with_figures) == 1
    ttl = with_figures[0]
    iri = "https://w3id.org/nualod/id/practice/" + ttl.stem
    turtle = ttl.read_text(encoding="utf-8")
    assert f"@prefix this: <{iri}#> .\n" in turtle
    assert "this:figure-" in turtle and f"<{iri}#" not in turtle.split("\n", 30)[-1]
    document = json.loads(ttl.with_suffix(".jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["this"] == iri + "#"
    ids = [node["@id"] for node in document["@graph"]]
    assert iri in ids
    assert all(not i.startswith(iri + "#") for i in ids)
    assert sum(i.startswith("this:figure-") for i in ids) > 1
    others = [p for p in files if p != ttl]
    assert others
    assert all("@prefix this:" not in p.read_text(encoding="utf-8") for p in others)


def test_the_per_resource_files_hold_every_triple_of_the_practices_graph(site: Path) -> None:
    root = site / "site"
    practices = ox.NamedNode("https://w3id.org/nualod/id/graph/practices")
    with (site / "nualod.nq").open("rb") as data:
        wanted = {
            q.triple
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
            if q.graph_name == practices
        }
    held: set[ox.Triple] = set()
    for ttl in (root / "id" / "practice").rglob("*.ttl"):
        held |= _triples(ttl, ox.RdfFormat.TURTLE)
    assert len(wanted) > 30
    assert wanted - held == set()


def test_every_practice_region_and_linked_concept_has_its_four_files(site: Path) -> None:
    root = site / "site"
    with (site / "nualod.nq").open("rb") as data:
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    wanted = [
        s
        for s in subjects
        if "/id/practice/" in s or "/id/region/" in s or "/code/" in s or "/def#" in s
    ]
    wanted += [
        q.object.value
        for q in quads
        if q.predicate.value.startswith("http://www.w3.org/2004/02/skos/core#")
        and q.predicate.value.endswith("Match")
        and isinstance(q.object, ox.NamedNode)
        and q.object.value.startswith(
            ("http://metadata.un.org/sdg/", "http://vocabularies.unesco.org/")
        )
        and "/code/" in q.subject.value
    ]
    assert len(wanted) > 600
    for iri in wanted:
        stem = site_path(iri.split("#", 1)[0] if "/def#" not in iri else iri)
        assert stem is not None, iri
        for extension in ("html", "ttl", "jsonld", "nt"):
            assert (root / f"{stem}.{extension}").is_file(), (iri, extension)
        assert (root / "en" / f"{stem}.html").is_file(), iri


def test_no_folder_holds_more_than_ten_thousand_entries(site: Path) -> None:
    counts = Counter(p.parent for p in (site / "site").rglob("*"))
    assert max(counts.values()) <= 10_000


_SIGNPOST = re.compile(r'<link rel="([a-z -]+)"(?: type="([^"]+)")? href="([^"]+)">')


def test_every_resource_page_signposts_its_identifier_and_data(site: Path) -> None:
    """FAIR Signposting: a page that describes a resource says which IRI to cite
    (``cite-as``) and where its data is (``describedby``, with a media type); the data
    file it points to names that IRI, and a practice's page gives its licence."""
    root = site / "site"
    pages = 0
    for page in sorted(root.rglob("*.html")):
        links = _SIGNPOST.findall(page.read_text(encoding="utf-8").split("</head>", 1)[0])
        cited = [href for rel, _, href in links if rel == "cite-as"]
        described = {kind: href for rel, kind, href in links if "describedby" in rel.split()}
        if (not cited and not described) or any(rel == "item" for rel, _, _ in links):
            continue  # no resource's page, or a landing page (the next test)
        pages += 1
        assert len(cited) == 1, page
        assert set(described) == {
            "text/turtle",
            "application/ld+json",
            "application/n-triples",
        }, page
        turtle = (page.parent / described["text/turtle"]).resolve()
        # It names the IRI: as the subject of its statements, or (a vocabulary's version)
        # as the version IRI of the vocabulary it describes.
        named = {
            term
            for t in ox.parse(path=turtle, format=ox.RdfFormat.TURTLE)
            for term in (t.subject, t.object)
        }
        assert ox.NamedNode(cited[0]) in named, page
        if "/id/practice/" in page.as_posix() and "practice withdrawn" not in page.read_text(
            encoding="utf-8"
        ):
            assert ("license", "", "https://creativecommons.org/licenses/by-sa/4.0/") in links
    assert pages > 400


def test_the_home_page_signposts_the_dataset_as_its_landing_page(site: Path) -> None:
    """The home page points a machine, as the release's landing page does, to the dataset's
    IRI, its catalog, every file to download with its media type, and the licence."""
    root = site / "site"
    links = _SIGNPOST.findall((root / "index.html").read_text(encoding="utf-8"))
    assert ("cite-as", "", "https://w3id.org/nualod/id/dataset/nuf-good-practices") in links
    assert ("license", "", "https://creativecommons.org/licenses/by-sa/4.0/") in links
    described = [(kind, href) for rel, kind, href in links if rel == "describedby"]
    assert described == [
        ("text/turtle", "download/catalog.ttl"),
        ("application/ld+json", "download/catalog.jsonld"),
    ]
    items = [(kind, href) for rel, kind, href in links if rel == "item"]
    landing = _SIGNPOST.findall((root / "download" / "index.html").read_text(encoding="utf-8"))
    assert items == [(kind, "download/" + href) for rel, kind, href in landing if rel == "item"]
    assert len(items) == 13
    assert all((root / href).is_file() for _, href in items + described)


def test_practice_page_shows_what_the_issue_asks(site: Path) -> None:
    page = (
        site / "site" / "id" / "practice" / "621" / "10-47-33.75-62146c0504af32de.html"
    ).read_text()
    for text in (
        "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat",
        "Ringkasan",
        "Deskripsi",
        "Jawa Tengah",
        "Kota Kreatif UNESCO bidang Kerajinan dan Seni Rakyat sejak 2014",
        "Indikator 47: Jumlah Tahunan Individu",
        'Tema 10: <span class="unknown">nama tidak diketahui</span>',
        "SDG 4: Pendidikan Berkualitas",
        "Technical and vocational education",
        "https://pekalongankota.go.id/berita/",
        "2025-12-18",
        "CC BY-SA 4.0",
        "Cara mengutip",
        '<link rel="cite-as" href="https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de">\n'
        '<link rel="alternate describedby" type="text/turtle" '
        'href="../../../id/practice/621/10-47-33.75-62146c0504af32de.ttl">\n'
        '<link rel="alternate describedby" type="application/ld+json" '
        'href="../../../id/practice/621/10-47-33.75-62146c0504af32de.jsonld">\n'
        '<link rel="alternate describedby" type="application/n-triples" '
        'href="../../../id/practice/621/10-47-33.75-62146c0504af32de.nt">\n'
        '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">\n',
        'href="../../../en/id/practice/621/10-47-33.75-62146c0504af32de.html"',
    ):
        assert text in page, text
    english = (
        site / "site" / "en" / "id" / "practice" / "621" / "10-47-33.75-62146c0504af32de.html"
    ).read_text()
    assert '<html lang="en">' in english
    assert 'Theme 10: <span class="unknown">name not known</span>' in english
    assert "UNESCO Creative City of Crafts and Folk Art since 2014" in english


def test_home_keeps_the_dataset_json_ld_and_the_downloads_with_checksums(site: Path) -> None:
    home = (site / "site" / "index.html").read_text()
    dataset = json.loads((site / "dataset.jsonld").read_text())
    embedded = [json.loads(s) for s in _parse(site / "site" / "index.html").scripts]
    assert embedded == [dataset]
    for distribution in dataset["distribution"]:
        assert distribution["sha256"] in home
    assert "<svg" in home and home.count('class="dot"') == 4
    assert (site / "site" / "download" / "nualod.ttl").read_bytes() == (
        site / "nualod.ttl"
    ).read_bytes()
    for name in (
        "sitemap.xml",
        "robots.txt",
        ".well-known/void",
        "404.html",
        "en/404.html",
        "assets/site.css",
    ):
        assert (site / "site" / name).is_file(), name
    sitemap = (site / "site" / "sitemap.xml").read_text()
    assert "https://w3id.org/nualod/id/practice/621/10-47-33.75-62146c0504af32de.html" in sitemap


def test_the_json_ld_context_is_at_its_iri(site: Path) -> None:
    """The context nualod validate reads for https://w3id.org/nualod/context (and the same
    with .jsonld), byte for byte, at both paths; no page, so not in the sitemap."""
    shipped = resource_bytes(SHIPPED_CONTEXTS[CONTEXT])
    for iri in (CONTEXT, CONTEXT + ".jsonld"):
        path = site_path(iri)
        assert path == iri.removeprefix("https://w3id.org/nualod/")
        assert (site / "site" / path).read_bytes() == shipped
        assert resource_bytes(SHIPPED_CONTEXTS[iri]) == shipped
    sitemap = (site / "site" / "sitemap.xml").read_text()
    assert sitemap.count("<loc>") > 100
    assert "context" not in sitemap


def _digest(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_the_site_is_byte_identical_when_built_again(site: Path, tmp_path: Path) -> None:
    first = _digest(site / "site")
    assert any(name.startswith("search/terms/") for name in first)
    build_site(site, workers=2)
    assert _digest(site / "site") == first


@pytest.mark.parametrize("parts", [2, 3, 50])
def test_the_published_file_split_in_parts_gives_what_one_part_gives(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    from nualod.site import shards

    # Any file is split in parts, not only one of 64 MiB or more.
    monkeypatch.setattr(shards, "_SPLIT_FROM_BYTES", 0)
    source = site / "nualod.nq"
    whole = shards.split_quads(source, tmp_path / "one")
    split = shards.split_quads(source, tmp_path / "parts", parts=parts)
    lines = source.read_bytes().count(b"\n")
    assert whole.parts == 1
    assert split.parts == min(parts, lines)
    assert split.quads == whole.quads > 0
    assert split.practice_quads == whole.practice_quads > 0
    assert (split.shards, split.practices_base, split.data_base) == (
        whole.shards,
        whole.practices_base,
        whole.data_base,
    )
    assert split.context.read_bytes() == whole.context.read_bytes()
    for number in whole.shards:
        assert b"".join(p.read_bytes() for p in split.shard_parts(number)) == (
            whole.shard_parts(number)[0].read_bytes()
        )
        assert split.attached(number).read_bytes() == whole.attached(number).read_bytes()
    # Every range starts where a line does, and together they are the file.
    ranges = shards._ranges(source, parts)
    data = source.read_bytes()
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(end == start for (_, end), (start, _) in pairwise(ranges))
    assert all(data[start - 1 : start] == b"\n" for start, _ in ranges[1:])


def test_a_site_split_in_parts_is_the_same_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nualod.site import shards

    first = _digest(site / "site")
    monkeypatch.setattr(shards, "_SPLIT_FROM_BYTES", 0)
    build_site(site, workers=2)
    assert _digest(site / "site") == first


def test_a_folder_without_a_publish_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as error:
        build_site(tmp_path)
    assert (
        str(error.value) == f"{tmp_path / 'nualod.nq'}: not found (publish into this folder first)"
    )
    assert not (tmp_path / "site").exists()


def test_cli_site_on_an_unpublished_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nualod.cli import main

    result = CliRunner().invoke(main, ["site", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {tmp_path / 'nualod.nq'}: not found (publish into this folder first)\n"
    )


@pytest.mark.parametrize(
    "base",
    [
        "https://data.example.org/a\nRequire\tall\tdenied\n/",  # an Apache/nginx directive
        "https://data.example.org/a\r\nSet-Cookie:x=1\r\n/",  # a header in serve's Location
        "https://data.example.org/a\x85b/",  # NEL, a C1 control
    ],
    ids=["newline-and-tab", "crlf", "c1-control"],
)
def test_a_base_url_with_a_control_character_is_refused_before_anything_is_written(
    published_examples: tuple[Path, object], tmp_path: Path, base: str
) -> None:
    """A line break in --base-url became a line of the nginx, Apache and Caddy files."""
    import shutil

    from click.testing import CliRunner

    from nualod.cli import main
    from nualod.errors import UsageError
    from nualod.serve.server import serve

    out = tmp_path / "out"
    shutil.copytree(published_examples[0], out, symlinks=True)
    result = CliRunner().invoke(main, ["site", str(out), "--base-url", base, "--no-search"])
    assert (result.exit_code, result.output) == (
        2,
        f"error: --base-url: not a plain URL: {base!r}\n",
    )
    assert not (out / "site").exists() and not (out / "hosting").exists()
    with pytest.raises(UsageError, match=r"^--base-url: not a plain URL: "):
        serve(out, port=1, base_url=base)


@pytest.mark.parametrize("name", ['q"uote', "back\\slash", "$host", "new\nline"])
def test_a_folder_the_configurations_cannot_name_is_one_line_before_the_build(
    published_examples: tuple[Path, object], tmp_path: Path, name: str
) -> None:
    """nginx.conf's root is the site's path: a quote was a traceback after the site was
    built, a backslash escaped nginx's closing quote, and '$host' was read as a variable."""
    import shutil

    from click.testing import CliRunner

    from nualod.cli import main

    out = tmp_path / name
    shutil.copytree(published_examples[0], out, symlinks=True)
    result = CliRunner().invoke(main, ["site", str(out), "--no-search"])
    assert (result.exit_code, result.output) == (
        2,
        f"error: cannot name the folder {str((out / 'site').resolve())!r} in the nginx and "
        "Caddy configurations (a quote, a backslash, '$', a brace, ';', a blank or a control "
        "character); build the site in another folder\n",
    )
    assert not (out / "site").exists() and not (out / "hosting").exists()


def test_cli_site_names_each_step_on_a_terminal_only(site: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "nualod", "site", str(site)]
    terminal, its_end = pty.openpty()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=its_end, check=False)
    os.close(its_end)
    said = b""
    while True:
        try:
            chunk = os.read(terminal, 1 << 16)
        except OSError:  # Linux: the other end is closed and all was read
            break
        if not chunk:
            break
        said += chunk
    os.close(terminal)
    assert done.returncode == 0
    steps = re.findall(r"^site: (.+) \(\d+ s\)$", said.decode().replace("\r\n", "\n"), re.M)
    # A practice's shard is the first two hex digits of its folder's three.
    shards = len({p.name[:2] for p in (site / "site" / "id" / "practice").iterdir()})
    assert steps == [
        "splitting nualod.nq",
        f"rendering practices in {shards} shards",
        "merging the search index",
        "bucketing the lists",
        "rendering regions, concepts, lists and vocabulary",
        # The fixture's site was there: it is replaced, then deleted.
        "the new site is in place; deleting the old one",
    ]
    # Not a terminal: the same command says only what it wrote.
    piped = subprocess.run(command, capture_output=True, text=True, check=False)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.startswith(f"wrote {site / 'site'}: 4 practice(s), ")


def test_cli_publish_with_site_writes_the_site(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nualod.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["publish", str(EXAMPLES), "--out", str(out), "--site", "https://example.org/nua/"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"^wrote {re.escape(str(out / 'site'))}: 4 practice\(s\), \d+ file\(s\), "
        r"\d+ search record\(s\)$",
        result.output,
        re.M,
    )
    assert (
        "<loc>https://example.org/nua/index.html</loc>"
        in (out / "site" / "sitemap.xml").read_text()
    )
    # The same as `nualod site`: the hosting configurations, Apache's in the site too.
    assert f"wrote {out / 'hosting' / 'nginx.conf'}, " in result.output
    assert (out / "site" / ".htaccess").read_bytes() == (
        out / "hosting" / "apache.htaccess"
    ).read_bytes()


def test_cli_publish_workers_reach_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from nualod.cli import main
    from nualod.site import build

    asked: list[int | None] = []
    real = build.build_site

    def recording(folder: Path, **options: Any) -> build.SiteResult:
        asked.append(options["workers"])
        return real(folder, **options)

    monkeypatch.setattr(build, "build_site", recording)
    for workers in ([], ["--workers", "1"]):
        out = tmp_path / f"out{len(workers)}"
        command = ["publish", str(EXAMPLES), "--out", str(out), "--site", *workers]
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, result.output
    assert asked == [None, 1]


def test_lists_page_and_no_folder_outgrows_its_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated corpus with tiny caps: the same code paths a million practices take."""
    from bench.generate import write_pages
    from nualod.site import lists

    corpus = write_pages(tmp_path / "pages", 300)
    out = tmp_path / "out"
    publish([corpus], out)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    monkeypatch.setattr(lists, "PAGES_PER_FOLDER", 3)
    build_site(out, search=False)
    root = out / "site"
    list_folders = sorted({p.parent for p in (root / "list").rglob("*.html")})
    assert len(list_folders) > 50
    for folder in list_folders:
        pages = sorted(int(p.stem) for p in folder.glob("*.html"))
        assert 0 < len(pages) <= 3, folder
        assert all((n - 1) // 3 == int(folder.name) for n in pages), folder
    practices = list((root / "id" / "practice").iterdir())
    assert all(len(p.name) == 3 for p in practices)
    assert sum(len(list(p.glob("*.ttl"))) for p in practices) == 300
    # Each list page holds two practices, numbered on from the page before.
    page = next(root.glob("list/code/indicator/*/0/2.html")).read_text()
    assert page.count('<li><a href="../../../../../id/practice/') == 2
    assert '<ol class="practices" start="3">' in page
    # Every practice, newest first, once, on the pages of the list of all practices (the
    # home page's count of practices leads there; it led to an empty search).
    home = (root / "index.html").read_text(encoding="utf-8")
    assert '<a href="browse/practices.html"><strong>300</strong>' in home
    listed = []
    for number in range(1, 151):
        stem = "browse/practices" if number == 1 else list_page_stem("browse/practices", number)
        listed += re.findall(
            r'<li><a href="(?:\.\./)*(id/practice/[^"]+)\.html"[^>]*>.*?<time datetime="([^"]+)"',
            (root / f"{stem}.html").read_text(encoding="utf-8"),
        )
    assert not (root / f"{list_page_stem('browse/practices', 151)}.html").exists()
    stems = sorted(
        str(p.relative_to(root).with_suffix("")) for p in root.glob("id/practice/*/*.ttl")
    )
    assert sorted(stem for stem, _ in listed) == stems
    dates = [date for _, date in listed]
    assert dates == sorted(dates, reverse=True)


def test_map_points_come_from_the_data_else_from_the_shipped_reference(
    site: Path, tmp_path: Path
) -> None:
    from nualod.site.context import load_context
    from nualod.site.shards import split_quads

    split = split_quads(site / "nualod.nq", tmp_path / "split")
    published = load_context(split.context, site)
    geometry = b"#point>"
    assert geometry in split.context.read_bytes()
    with split.context.open("rb") as lines:
        kept = b"".join(line for line in lines if geometry not in line)
    split.context.write_bytes(kept)
    shipped = load_context(split.context, site)
    # The data's points carry the reference file's full precision; the shipped file 4 decimals.
    assert published.regions["33.75"].point == (-6.888333333, 109.675277777)
    assert shipped.regions["33.75"].point == (-6.8883, 109.6753)
    # Every unit but the 48 whose only points, from a 2017 file, were implausible (see
    # tests/test_reference_data.py): the map's caption counts those with practices.
    unplaced = {c for c, r in shipped.regions.items() if r.kind != "provinsi" and not r.point}
    assert "91.06" in unplaced and len(unplaced) == 48


def test_a_sitemap_index_past_the_limit(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nualod.site import pages

    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 500)
    build_site(site, search=False)
    root = site / "site"
    index = (root / "sitemap.xml").read_text()
    parts = sorted((root / "sitemaps").glob("sitemap-*.xml"))
    assert index.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ')
    assert len(parts) > 2
    assert index.count("<sitemap><loc>https://w3id.org/nualod/sitemaps/sitemap-") == len(parts)
    urls = sum(p.read_text().count("<url>") for p in parts)
    assert urls == len(_pages(root)) - 2  # every page but the two 404 pages
    assert all(p.read_text().count("<url>") <= 500 for p in parts)
    build_site(site, search=False)  # leave the module's site as the other tests expect


def test_every_example_query_has_a_title_in_both_languages() -> None:
    shipped = Path(__file__).resolve().parent.parent / "nualod" / "site" / "queries"
    assert sorted(QUERY_TITLES) == sorted(p.stem for p in shipped.glob("*.rq"))
    for titles in QUERY_TITLES.values():
        assert sorted(titles) == ["en", "id"]
        assert all(title and what.endswith(".") for title, what in titles.values())


def test_the_shipped_example_queries_are_the_examples() -> None:
    shipped = Path(__file__).resolve().parent.parent / "nualod" / "site" / "queries"
    examples = EXAMPLES.parent / "queries"
    assert sorted(p.name for p in shipped.glob("*.rq")) == sorted(
        p.name for p in examples.glob("*.rq")
    )
    for query in examples.glob("*.rq"):
        assert (shipped / query.name).read_text() == query.read_text(), query.name


def _broken_title(site: Path, tmp_path: Path, tag: bytes) -> tuple[Path, list[bytes], int]:
    """Write ``tmp_path/broken/nualod.nq``: the published file with a practice's title's
    ``"@id`` replaced by ``tag``; return the folder, its lines and the broken line's index."""
    folder = tmp_path / "broken"
    folder.mkdir()
    lines = (site / "nualod.nq").read_bytes().split(b"\n")
    number = next(
        i for i, line in enumerate(lines) if b"graph/practices>" in line and b"/title>" in line
    )
    lines[number] = lines[number].replace(b'"@id', tag)
    (folder / "nualod.nq").write_bytes(b"\n".join(lines))
    return folder, lines, number


@pytest.mark.parametrize("parts", [1, 2])
def test_a_broken_line_names_the_column_the_parser_gives_for_the_published_line(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    from nualod.site import shards

    monkeypatch.setattr(shards, "_SPLIT_FROM_BYTES", 0)
    # Inside the triple: the shard's line (without the graph's name) has the same column.
    folder, lines, number = _broken_title(site, tmp_path, b'"@1d')
    with pytest.raises(SyntaxError) as parsed:
        list(ox.parse(lines[number] + b"\n", format=ox.RdfFormat.N_QUADS))
    column = re.search(r"column (\d+)", str(parsed.value))
    assert column is not None
    with pytest.raises(SiteError) as error:
        build_site(folder, search=False, workers=parts)
    assert str(error.value) == (
        f"{folder / 'nualod.nq'}: line {number + 1}, column {column.group(1)}: "
        "A language code should always start with a letter"
    )


def test_a_broken_line_of_the_dump_is_one_error_naming_its_line(site: Path, tmp_path: Path) -> None:
    folder, lines, number = _broken_title(site, tmp_path, b"@id")
    with pytest.raises(SiteError) as error:
        build_site(folder, search=False)
    column = len(lines[number].decode()) + 1  # the string runs on to the end of the line
    assert str(error.value) == (
        f"{folder / 'nualod.nq'}: line {number + 1}, column {column}: "
        "Line jumps are not allowed in string literals, use \\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["nualod.nq"]


def test_the_result_counts_what_was_written(site: Path) -> None:
    result = build_site(site)
    root = site / "site"
    assert result.folder == root
    assert result.practices == 4
    assert result.pages == len(_pages(root))
    assert result.files == sum(
        1 for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "download"
    )
    assert result.search_records == 4
    without = build_site(site, search=False)
    assert without.search_records == 0
    assert not (root / "search" / "index.json").exists()
    build_site(site)  # leave the module's site as the other tests expect


def test_the_404_pages_links_start_from_the_sites_path(site: Path) -> None:
    """A 404 page answers for a missing path at any depth: a relative link would be wrong.
    The pages are those the servers answer with, each in the language of its folder."""
    assert [found.page for found in NOT_FOUND_PAGES] == ["en/404.html", "404.html"]
    for found in NOT_FOUND_PAGES:
        name = found.page
        lang = "en" if found.folder == "en/" else "id"
        assert f'<html lang="{lang}">' in (site / "site" / name).read_text(encoding="utf-8")
        links = [
            link
            for link in _parse(site / "site" / name).links
            if not re.match(r"^[a-z]+:", link) and not link.startswith("#")
        ]
        assert len(links) > 8, name
        assert [link for link in links if not link.startswith(SITE_PATH)] == [], name


def test_each_catalog_resource_page_says_what_the_resource_is(site: Path) -> None:
    root = site / "site"
    dataset = "id/dataset/nuf-good-practices"
    for stem, indonesian, english in (
        (dataset, "Dataset", "Dataset"),
        (f"{dataset}/distribution/csv", "Distribusi", "Distribution"),
        ("id/catalog", "Katalog", "Catalog"),
    ):
        for folder, kind in (("", indonesian), ("en/", english)):
            page = (root / f"{folder}{stem}.html").read_text(encoding="utf-8")
            assert f'<p class="kicker">{kind}</p>' in page, (stem, folder)
    # The rights statement's label is the statement, a paragraph under its heading.
    for folder, kind in (("", "Pernyataan hak"), ("en/", "Rights statement")):
        page = (root / f"{folder}{dataset}/rights.html").read_text(encoding="utf-8")
        assert f"<title>{kind} · " in page and f"<h1>{kind}</h1>" in page, folder
        assert '<p class="lead" lang="en">The data include concepts of the UNESCO' in page


@pytest.mark.parametrize("workers", [1, 2])
def test_a_full_disk_is_one_line_exit_2_and_the_old_site_stays(
    site: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    import errno
    import os

    from click.testing import CliRunner

    from nualod.cli import main
    from nualod.site import practices

    before = {p: p.read_bytes() for p in sorted((site / "site").rglob("*")) if p.is_file()}
    real_write = practices.Folders.write

    def full(folders: practices.Folders, folder: str, name: str, data: bytes) -> None:
        if name.endswith(".html"):  # the practice pages: in a worker when there are two
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(folders, folder, name, data)

    monkeypatch.setattr(practices.Folders, "write", full)
    result = CliRunner().invoke(main, ["site", str(site), "--workers", str(workers)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {site / 'site'}: cannot write: No space left on device (ENOSPC); "
        f"{site / 'site'} was left as it was\n"
    )
    after = {p: p.read_bytes() for p in sorted((site / "site").rglob("*")) if p.is_file()}
    assert after == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".site")] == []


def test_the_home_pages_describe_the_dataset_in_their_own_language(site: Path) -> None:
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    english = (site / "site" / "en" / "index.html").read_text(encoding="utf-8")
    indonesian = "Praktik baik implementasi Agenda Baru Perkotaan PBB di kota dan kabupaten"
    assert f'<meta name="description" content="{indonesian}' in home
    assert f"<h2>Tentang data</h2><p>{indonesian}" in home
    assert '<p lang="en">Good practices of implementing' not in home
    in_english = "Good practices of implementing the UN New Urban Agenda"
    assert f'<meta name="description" content="{in_english}' in english
    assert f"<h2>About the data</h2><p>{in_english}" in english


def test_an_agent_page_is_titled_with_its_foaf_name(site: Path) -> None:
    root = site / "site"
    for stem, agent in (
        ("id/agent/nualod", "nualod"),
        ("id/agent/national-urban-forum", "National Urban Forum Indonesia"),
    ):
        page = (root / f"{stem}.html").read_text(encoding="utf-8")
        assert f"<title>{agent} · Praktik Baik NUA</title>" in page, stem
        # The name is English: the Indonesian page says so.
        assert f'<h1><span lang="en">{agent}</span></h1>' in page, stem
        page = (root / "en" / f"{stem}.html").read_text(encoding="utf-8")
        assert f"<title>{agent} · NUA Good Practices</title>" in page, stem
        assert f"<h1>{agent}</h1>" in page, stem


def test_english_counts_one_practice_in_the_singular_and_indonesian_has_no_plural(
    site: Path,
) -> None:
    root = site / "site"

    def text(path: str) -> str:
        return (root / path).read_text(encoding="utf-8")

    assert '<span class="count">1 practice</span>' in text("en/browse/creative-cities.html")
    assert '<span class="count">0 practices</span>' in text("en/browse/creative-cities.html")
    assert '<span class="count">1 praktik</span>' in text("browse/creative-cities.html")
    assert '<span class="count">(1 practice)</span>' in text("en/code/theme/10.html")
    assert '<span class="count">(1 praktik)</span>' in text("code/theme/10.html")
    assert '<span class="count">(2 practices)</span>' in text("en/id/region/35.html")
    assert 'aria-label="Kota Pekalongan: 1 practice"' in text("en/index.html")
    assert 'aria-label="Kota Pekalongan: 1 praktik"' in text("index.html")
    assert "1 practices" not in text("en/index.html")


def test_statements_name_what_they_link_to_and_show_prefixed_properties(site: Path) -> None:
    root = site / "site"
    indicator = (root / "code" / "indicator" / "47.html").read_text(encoding="utf-8")
    # As the theme's own page is headed.
    assert (
        '<code>skos:broader</code></th><td><a href="../../code/theme/10.html">Tema 10: '
        '<span class="unknown">nama tidak diketahui</span></a></td>'
    ) in indicator
    english = (root / "en" / "code" / "indicator" / "47.html").read_text(encoding="utf-8")
    assert '">Theme 10: <span class="unknown">name not known</span></a></td>' in english
    dataset = (root / "id" / "dataset" / "nuf-good-practices.html").read_text(encoding="utf-8")
    assert (
        '<code>dcterms:publisher</code></th><td><a href="../../id/agent/nualod.html">'
        '<span lang="en">nualod</span></a></td>'
    ) in dataset
    # A blank node is shown by what it says, not by its label (review: "_:class1"); a
    # number as the page's language writes it.
    table = dataset[dataset.index('class="statements">') :]
    assert "_:" not in table
    assert (
        '<code>void:classPartition</code></th><td><span class="node"><code>void:class</code> '
        '<a href="../../def/GoodPractice.html">praktik baik</a> · <code>void:entities</code> '
        '<data value="4">4</data></span></td>'
    ) in table
    assert (
        '<code>dcat:startDate</code> <time datetime="2025-12-12">12 Desember 2025</time> · '
        '<code>dcat:endDate</code> <time datetime="2025-12-18">18 Desember 2025</time></span>'
    ) in table
    agent = (root / "en" / "id" / "agent" / "nualod.html").read_text(encoding="utf-8")
    assert "<small>#contact</small> <code>vcard:fn</code></th><td>nualod</td>" in agent
    assert 'rel="nofollow">vcard:Kind</a>' in agent
    assert "</small> <code>http" not in agent and '<th scope="row"><code>http' not in agent


def test_a_figure_shows_its_unit_by_name_and_its_period_in_the_pages_language(
    site: Path,
) -> None:
    def date(text: str) -> str:
        return f'<span class="date">{text}</span>'

    stem = "id/practice/621/10-47-33.75-62146c0504af32de.html"
    indonesian = (site / "site" / stem).read_text(encoding="utf-8")
    english = (site / "site" / "en" / stem).read_text(encoding="utf-8")
    for page in (indonesian, english):
        assert '<td><data value="60">60%</data></td>' in page
        assert "PERCENT</data>" not in page and " USD</data>" not in page
        assert " CCY_USD</data>" not in page  # unit:CCY_USD is named as the currency
    assert (
        '<td><data value="21540000">21.540.000 dolar Amerika Serikat</data>'
        f"<br><small>periode {date('Januari 2020')} sampai {date('Juli 2020')}</small></td>"
    ) in indonesian
    assert (
        '<td><data value="21540000">21,540,000 US dollars</data>'
        f"<br><small>period {date('January 2020')} to {date('July 2020')}</small></td>"
    ) in english
    assert '<td><data value="871">871 UMKM</data></td>' in indonesian
    assert '<td><data value="871">871 <span lang="id">UMKM</span></data></td>' in english


def test_a_figure_is_shown_in_the_sentence_the_tables_give_it(tmp_path: Path) -> None:
    """A figure in a text's first sentence, or in the last of a paragraph, is shown in the
    sentence ``figure_rows`` gives (review: the page dropped the text's first letter,
    "emerintah Kota Cilegon…", and kept the paragraph's line break)."""
    page = (EXAMPLES / "pekalongan-tema10-indikator47.txt").read_text(encoding="utf-8")
    page = page.replace("Sejak 2014 Kota", "Sebanyak 300 warga dilatih membatik. Sejak 2014 Kota")
    page = page.replace("memperluas pasar.\n", "memperluas pasar bagi 45 UMKM kerajinan.\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "pekalongan.txt").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    publish([pages], out)
    build_site(out)
    practice = json.loads((out / "practices.json").read_text(encoding="utf-8"))["practices"][0]
    rows = figure_rows(practice["abstract"], practice["description"])
    html = out / "site" / "id" / "practice" / "621" / "10-47-33.75-62146c0504af32de.html"
    shown = re.findall(
        r'<td lang="id">([^<]*)<mark>([^<]*)</mark>([^<]*)</td>', html.read_text(encoding="utf-8")
    )
    assert shown[0] == ("Sebanyak ", "300 warga", " dilatih membatik.")
    assert [cells[2] for cells in shown if cells[1] == "45 UMKM"] == [" kerajinan."]
    assert [unescape("".join(cells)) for cells in shown] == [row.sentence for row in rows]
    assert len(rows) == 7


def test_what_a_review_of_the_pages_found_is_said_right(tmp_path: Path) -> None:
    """A practice whose theme and indicator align with nothing says so (it said "no practice
    yet" on its own page); a region with practices and no known location is named in the
    map's caption, not left out silently (the shipped points the 2017 file gave Biak Numfor,
    in Bandung, are gone); a Creative City that is a province counts its kota's practices,
    as the province's page does; an alignment's page marks its target's scheme in the menu;
    a Ringkasan's paragraphs are paragraphs."""
    page = (EXAMPLES / "pekalongan-tema10-indikator47.txt").read_text(encoding="utf-8")
    city = "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"
    biak = page.replace(city, "Kabupaten Biak Numfor, Kota Pesisir")
    biak = biak.replace("10. Praktik baik indikator 47", "14. Praktik baik indikator 70")
    biak = biak.replace("tema 10 indikator 47", "tema 14 indikator 70")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "biak.txt").write_text(biak, encoding="utf-8")
    jakarta = page.replace(city, "Kota Administrasi Jakarta Selatan, Kota Sastra")
    # A Ringkasan of two paragraphs (cross-format review: the page ran them together).
    jakarta = jakarta.replace("Ringkasan:\n", "Ringkasan:\nParagraf pertama ringkasan.\n", 1)
    (pages / "jakarta.txt").write_text(jakarta, encoding="utf-8")
    out = tmp_path / "out"
    publish([pages], out)
    build_site(out)
    root = out / "site"
    [practice] = (root / "id" / "practice").glob("*/14-70-91.06-*.html")
    indonesian = practice.read_text(encoding="utf-8")
    english = (root / "en" / practice.relative_to(root)).read_text(encoding="utf-8")
    assert (
        indonesian.count("<p>Tidak ada yang diselaraskan dengan tema atau indikatornya.</p>") == 3
    )
    assert english.count("<p>None aligned with its theme or indicator.</p>") == 3
    assert "Belum ada praktik" not in indonesian and "No practice yet" not in english
    home = (root / "index.html").read_text(encoding="utf-8")
    assert (
        "<figcaption>Titik: lokasi kabupaten/kota (Wikidata). Garis pantai: Natural Earth. "
        "1 kabupaten/kota dengan praktik tidak ada di peta: lokasinya tidak diketahui."
        "</figcaption>"
    ) in home
    assert home.count('class="dot"') == 1
    assert "is not on the map: its location is not known.</figcaption>" in (
        root / "en" / "index.html"
    ).read_text(encoding="utf-8")
    [jakarta_page] = (root / "id" / "practice").glob("*/10-47-31.74-*.html")
    paragraphs = jakarta_page.read_text(encoding="utf-8").split('<p class="lead" lang="id">')[1:]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Paragraf pertama ringkasan.</p>")
    cities = (root / "browse" / "creative-cities.html").read_text(encoding="utf-8")
    assert 'Daerah Khusus Ibukota Jakarta</a> <span class="count">1 praktik</span>' in cities
    for path in sorted((root / "code" / "alignment").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        scheme = "unesco" if 'href="../../unesco/' in text.split("<main", 1)[1] else "sdg"
        assert f'browse/{scheme}.html" aria-current="page"' in text, path


def test_every_list_class_has_its_room_in_the_style() -> None:
    style = resource_bytes("site/assets/site.css").decode("utf-8")
    for last in (1_000, 10_000, 100_000, 1_000_000, 10_000_000):
        name = list_class(last).split()[-1]
        assert f"ol.practices.{name} {{ padding-left: " in style


def test_interface_words_are_in_the_pages_language_and_english_only_content_says_so(
    site: Path,
) -> None:
    root = site / "site"

    def text(path: str) -> str:
        return (root / path).read_text(encoding="utf-8")

    home = text("index.html")
    assert '<th scope="col">Jenis media</th>' in home and "Media type" not in home
    assert "<td>CSV (sumber praktik)</td>" in home and "<td>CSV (angka praktik)</td>" in home
    assert "<td>CSV (practice sources)</td>" in text("en/index.html")
    # An example query by its title in the page's language; its SPARQL stays English.
    query = 'href="queries/people-trained-by-city.html">Orang yang dilatih, per kota</a>'
    assert query in home
    assert 'people-trained-by-city.html">People trained, by city</a>' in text("en/index.html")
    page = text("queries/people-trained-by-city.html")
    assert "<h1>Orang yang dilatih, per kota</h1>" in page
    assert '<pre tabindex="0"><code lang="en">' in page
    assert '<p class="kicker">NUA theme</p>' in text("en/code/theme/10.html")
    assert '<p class="kicker">NUA indicator</p>' in text("en/code/indicator/47.html")
    assert '<p class="kicker">Indikator NUA</p>' in text("code/indicator/47.html")
    assert '<p class="kicker">UNESCO Thesaurus concept</p>' in text("en/unesco/concept12679.html")
    # The Indonesian field names an English heading gives are marked so (WCAG 3.1.2).
    english = text("en/id/practice/621/10-47-33.75-62146c0504af32de.html")
    assert '<h2>Summary (<span lang="id">Ringkasan</span>)</h2>' in english
    assert '<h2>Description (<span lang="id">Deskripsi</span>)</h2>' in english
    assert "<h2>Ringkasan</h2>" in text("id/practice/621/10-47-33.75-62146c0504af32de.html")


def test_the_maps_province_labels_cover_no_dot_and_no_other_label(site: Path) -> None:
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)">([^<]+)</text>', home)
    dots = re.findall(r'<circle cx="([\d.-]+)" cy="([\d.-]+)" r="([\d.]+)">', home)
    assert len(labels) > 20 and len(dots) == 4
    # A label's box as the map draws it: 10 units high, about 5.6 a character wide.
    boxes = [
        (float(x) - len(t) * 2.8, float(y) - 10, float(x) + len(t) * 2.8, float(y) + 2, t)
        for x, y, t in labels
    ]
    circles = [
        (float(x) - float(r), float(y) - float(r), float(x) + float(r), float(y) + float(r), "")
        for x, y, r in dots
    ]

    def apart(a: tuple[float, float, float, float, str], b: tuple[float, ...]) -> bool:
        return a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]

    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :] + circles:
            assert apart(box, other), (box, other)
    # The provinces of the practices are named (review: Java's lost their labels to the
    # dots, so the provinces that hold every practice had none).
    assert {"Jawa Barat", "Jawa Tengah", "Jawa Timur"} <= {t for _, _, t in labels}


def test_an_example_querys_text_scrolls_from_the_keyboard(site: Path) -> None:
    """WCAG 2.1.1: a query's text is a <pre> that scrolls sideways on a phone and holds no
    link, so it takes the keyboard's focus itself (axe: scrollable-region-focusable)."""
    for lang in ("", "en/"):
        for path in sorted((site / "site" / lang / "queries").glob("*.html")):
            page = path.read_text(encoding="utf-8")
            assert '<pre tabindex="0"><code lang="en">' in page, path


def test_a_lists_later_pages_mark_an_english_name_as_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WCAG 3.1.2 (Language of Parts): page 2 on of an SDG target's or UNESCO concept's list
    named it, in its heading and its link back, in English without lang="en" on the
    Indonesian pages; they now mark it as its first page does."""
    from bench.generate import corpus_inputs, write_pages
    from nualod.site import lists

    corpus = write_pages(tmp_path / "pages", 40)
    out = tmp_path / "out"
    publish(corpus_inputs(corpus, 40), out)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    build_site(out, search=False)
    root = out / "site"
    checked = 0
    for first in sorted((root / "sdg").glob("*.*.html")) + sorted(root.glob("unesco/*.html")):
        later = root / "list" / first.parent.name / first.stem / "0" / "2.html"
        if not later.is_file():
            continue
        heading = re.search(r"<h1>(.*?)</h1>", first.read_text(encoding="utf-8"))
        assert heading and '<span lang="en">' in heading[1], first
        page = later.read_text(encoding="utf-8")
        assert f"<h1>{heading[1]}</h1>" in page, later
        assert f'.html">{heading[1]}</a></p>' in page, later
        checked += 1
    assert checked >= 5


def test_each_alignment_page_has_a_title_of_its_own(site: Path) -> None:
    """WCAG 2.4.2 (Page Titled): every alignment's page was titled "Alasan" ("Justification")
    alone; each now names what it aligns, and no two share a title."""
    root = site / "site"
    for lang, word in (("", "Alasan keselarasan"), ("en/", "Justification")):
        titles = [
            _parse(path).title_text
            for path in sorted((root / lang / "code" / "alignment").glob("*.html"))
        ]
        assert len(titles) > 20
        assert len(set(titles)) == len(titles)
        assert all(t.startswith(f"{word}: ") and " → " in t for t in titles)
    page = (root / "code" / "alignment" / "c7926448abacbd1b.html").read_text(encoding="utf-8")
    assert "<title>Alasan keselarasan: Indikator 47 → SDG 4.3 · Praktik Baik NUA</title>" in page
    english = (root / "en" / "code" / "alignment" / "5e4471b6f53eba95.html").read_text()
    assert "<title>Justification: Indicator 47 → Vocational training · " in english


def test_the_language_switchs_title_is_in_the_language_it_is_marked_with(site: Path) -> None:
    """WCAG 3.1.2 (Language of Parts): the switch to English is marked lang="en", so its
    title, which the Indonesian pages wrote in Indonesian, is in English, as the switch to
    Indonesian (lang="id") has its title in Indonesian."""
    root = site / "site"
    for path in _pages(root):
        page = path.read_text(encoding="utf-8")
        if path.relative_to(root).parts[0] == "en":
            assert 'lang="id" title="Baca dalam bahasa Indonesia">Bahasa Indonesia</a>' in page
        else:
            assert 'lang="en" title="Read in English">English</a>' in page, path


@pytest.mark.parametrize(
    ("folder", "words"),
    [("", ("Kelas", "Properti", "Daftar isi")), ("en/", ("Classes", "Properties", "Contents"))],
)
def test_the_vocabularys_contents_name_each_heading_once(
    site: Path, folder: str, words: tuple[str, str, str]
) -> None:
    """The table of contents had headings of its own, "Kelas" and "Properti" again: each
    came twice in a screen reader's list of headings (a11y review)."""
    page = (site / "site" / folder / "def.html").read_text(encoding="utf-8")
    classes, properties, contents = words
    assert re.findall(r"<h2>([^<]*)</h2>", page)[:2] == [classes, properties]
    assert (
        f'<nav class="toc" aria-label="{contents}"><div><p class="toc-head">{classes}</p>' in page
    )


def test_a_terms_facts_name_each_kind_of_fact_once(site: Path) -> None:
    """A class with two superclasses listed "Subkelas dari" twice in its <dl> (the Nu HTML
    checker's "Duplicate dt name"), which reads as two separate facts: one <dt>, two <dd>."""
    root = site / "site"
    for path in (root / "def.html", root / "en" / "def.html", *sorted(root.glob("def/*.html"))):
        page = path.read_text(encoding="utf-8")
        for facts in re.findall(r"<dl>(.*?)</dl>", page):
            names = re.findall(r"<dt>(.*?)</dt>", facts)
            assert len(names) == len(set(names)), (path, names)
    page = (root / "def" / "GoodPractice.html").read_text(encoding="utf-8")
    assert (
        '<dt>Subkelas dari</dt><dd><a href="http://www.w3.org/ns/prov#Entity" rel="nofollow">'
        'prov:Entity</a></dd><dd><a href="https://schema.org/CreativeWork" rel="nofollow">'
        "schema:CreativeWork</a></dd>"
    ) in page


def test_the_schemes_rights_statements_have_pages(site: Path) -> None:
    """The SDG KOS's and the UNESCO Thesaurus excerpt's dcterms:rights are resources under
    our code lists' IRIs: each has its page, which gives the statement's text."""
    root = site / "site"
    unesco = (root / "code" / "rights" / "unesco-thesaurus.html").read_text(encoding="utf-8")
    assert (
        '<h1>Pernyataan hak</h1><p class="lead" lang="en">UNESCO Thesaurus, © UNESCO, licensed'
        " under CC BY-SA 3.0 IGO (https://creativecommons.org/licenses/by-sa/3.0/igo/)."
    ) in unesco
    sdg = (root / "en" / "code" / "rights" / "sdg-kos.html").read_text(encoding="utf-8")
    assert (
        '<h1>Rights statement</h1><p class="lead" lang="en">The SDG Knowledge Organization System,'
        " accessible at http://metadata.un.org/sdg, is made available free of charge"
    ) in sdg


def test_an_unversioned_release_has_no_versions_page_and_no_link_to_one(site: Path) -> None:
    """The examples are published without --release: the site says nothing of versions."""
    root = site / "site"
    assert not (root / "versions.html").exists()
    assert not (root / "versions").exists()
    for page in (root / "index.html", root / "en" / "index.html", root / "def.html"):
        assert "versions.html" not in page.read_text(encoding="utf-8")


def test_a_number_of_workers_below_one_is_refused_before_anything(site: Path) -> None:
    before = sorted(p.name for p in site.iterdir())
    with pytest.raises(SiteError) as error:
        build_site(site, workers=0)
    assert str(error.value) == "workers: 0 is not a number of processes (1 or more)"
    assert sorted(p.name for p in site.iterdir()) == before


def test_links_to_other_sources_name_the_source_and_the_key_not_the_iri(site: Path) -> None:
    """A reader's review: "Sama dengan: wd:Q11026 · https://sws.geonames.org/1631766/", and
    a concept's "Lihat juga" repeating the IRI given on the line below it."""
    root = site / "site"
    region = (root / "id" / "region" / "33.75.html").read_text(encoding="utf-8")
    assert (
        '<p>Sama dengan: <a href="http://www.wikidata.org/entity/Q11026" rel="nofollow">'
        'Wikidata Q11026</a> · <a href="https://sws.geonames.org/1631766/" rel="nofollow">'
        "GeoNames 1631766</a></p>"
    ) in region
    goal = (root / "en" / "sdg" / "4.html").read_text(encoding="utf-8")
    assert (
        'See also: <a href="http://metadata.un.org/sdg/4" rel="nofollow">UN SDG KOS</a></p>'
    ) in goal
