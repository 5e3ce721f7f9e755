"""The website of three releases (tests/test_releases.py's pages): the versions page, each
release's changes, and the versions each practice page names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pyoxigraph as ox
import pytest
import rdflib
from conftest import EXAMPLES
from rdflib.compare import isomorphic
from test_releases import B_IRI, C_NEW, C_OLD, D_IRI, SERIES, A, Published, publish_three
from test_site import _parse, _resolved

from nualod import __version__
from nualod.run.publish import publish
from nualod.site.atom import AtomEntry, AtomFeed, atom_document
from nualod.site.build import build_site
from nualod.site.context import LINK_LABELS, RDF_TYPE
from nualod.site.html import Where
from nualod.site.paths import GONE_LIST, site_path
from nualod.site.versions import Release, Versions, feed_entries, feed_link


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Published:
    published = publish_three(tmp_path_factory.mktemp("site-versions"))
    build_site(published.out, search=False)
    return published


def _main(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<main") : text.index("</main>")]


def _rows(page: Path) -> list[tuple[str, bool, list[str]]]:
    """Return the versions table's rows: version, marked current, and the three counts."""
    rows = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", _main(page)):
        version = re.search(r">(?:Versi|Version) ([^<]+)</a>", row)
        assert version is not None
        counts = re.findall(r'<data value="(\d+)">', row)
        rows.append((version.group(1), 'class="badge"' in row, counts))
    return rows


@pytest.mark.parametrize(("lang", "folder"), [("id", ""), ("en", "en/")])
def test_the_versions_page_lists_each_kept_release_newest_first_with_exact_counts(
    three: Published, lang: str, folder: str
) -> None:
    page = three.out / "site" / folder / "versions.html"
    parsed = _parse(page)
    assert parsed.lang == lang
    title = {
        "id": "Versi data · Praktik Baik NUA",
        "en": "Versions of the data · NUA Good Practices",
    }
    assert parsed.title_text == title[lang]
    # changelog.json of each: 1 added A, B, C; 2 added C', D, changed A, removed B and C
    # (replaced by C'); 3 added B again and removed D.
    assert _rows(page) == [
        ("3", True, ["1", "0", "1"]),
        ("2", False, ["2", "1", "2"]),
        ("1", False, ["3", "0", "0"]),
    ]
    body = _main(page)
    # Each count keeps its word on its line (on a phone "0" wrapped away from "changed").
    words = {"id": ("ditambahkan", "diubah", "dihapus"), "en": ("added", "changed", "removed")}
    for word in words[lang]:
        assert body.count(f"</data>&nbsp;{word}<") == 3
    for version in ("1", "2", "3"):
        assert f'download/releases/{version}/changelog.md">changelog<wbr>.md</a>' in body
        assert f'download/releases/{version}/changelog.json">changelog<wbr>.json</a>' in body
        changelog = three.out / "site" / "download" / "releases" / version / "changelog.json"
        assert (
            changelog.read_bytes()
            == (three.out / "releases" / version / "changelog.json").read_bytes()
        )
    # Each release's catalog entry is its dataset's page on the site.
    home = "" if lang == "id" else "../en/"
    for version in ("1", "2", "3"):
        assert f'href="{home}id/dataset/nuf-good-practices/{version}.html"' in body
    assert "catalog.ttl" not in body
    # The moment of each release's run: the current release's provenance describes its own
    # run and carries the earlier runs' times.
    shown = "16 Desember 2025 pukul 08.00 UTC" if lang == "id" else "16 December 2025, 08:00 UTC"
    for second in ("02", "01", "00"):
        assert f'<time datetime="2025-12-16T08:00:{second}Z">{shown}</time>' in body


def _stem(iri: str) -> str:
    stem = site_path(iri)
    assert stem is not None
    return stem


@pytest.mark.parametrize("folder", ["", "en/"])
def test_a_changes_page_links_each_added_changed_and_removed_practice(
    three: Published, folder: str
) -> None:
    root = (three.out / "site").resolve()
    page = root / folder / "versions" / "2.html"
    body = _main(page)
    sections = re.split(r"<h2>", body)[1:]
    assert [re.sub(r" <span.*", "", s.split("</h2>")[0]) for s in sections] == (
        ["Ditambahkan", "Diubah", "Dihapus"] if not folder else ["Added", "Changed", "Removed"]
    )

    def targets(section: str) -> list[str]:
        return [
            _resolved(root, page, href).relative_to(root).as_posix()
            for href in re.findall(r'<a href="([^"]+)"', section)
        ]

    added, changed, removed = sections
    assert targets(added) == [f"{folder}{_stem(C_NEW)}.html", f"{folder}{_stem(D_IRI)}.html"]
    assert targets(changed) == [f"{folder}{_stem(A)}.html"]
    # The changed fields as the practice's page heads them (review: "dcterms:source").
    shown = (
        ("Sumber", "Judul", "bagian yang berubah")
        if not folder
        else ("Sources", "Title", "changed")
    )
    assert (
        f'{shown[2]}: <span title="dcterms:source">{shown[0]}</span>, '
        f'<span title="dcterms:title">{shown[1]}</span>'
    ) in changed
    # C was replaced by C' (its tombstone, then C'); B was removed outright (it came back in
    # 3, so its page is a practice's again); D's page is now a tombstone.
    assert targets(removed) == [
        f"{folder}{_stem(C_OLD)}.html",
        f"{folder}{_stem(C_NEW)}.html",
        f"{folder}{_stem(B_IRI)}.html",
    ]
    for target in targets(body):
        assert (root / target).is_file(), target
    assert _parse(page).lang == ("en" if folder else "id")
    assert _parse(page).title_text.startswith("Versi 2 · " if not folder else "Version 2 · ")
    # A live practice by its title; one removed since (D, by 3) by what it is and the title
    # its tombstone keeps (review: by its key alone, though its tombstone named it).
    assert '<span lang="id">Kota Surakarta, Kota Budaya Jawa</span>' in changed
    tombstone = "praktik yang ditarik" if not folder else "withdrawn practice"
    assert f'{tombstone} <span lang="id">Kota Surakarta, Kota Desain</span>' in added
    assert D_IRI.rsplit("/", 1)[1] not in re.sub(r'href="[^"]*"', "", added)
    # A removed practice by the title it had, which the changelog keeps.
    assert f'{tombstone} <span lang="id">Kota Surakarta, Kota Layanan</span>' in removed


def test_a_successor_removed_since_is_named_by_the_title_its_tombstone_keeps(
    three: Published, tmp_path: Path
) -> None:
    """C was replaced by C' in 2; a fourth release removes C': version 2's page says C was
    replaced by the withdrawn practice of that title (review: by C''s key alone)."""
    out = tmp_path / "out"
    shutil.copytree(three.out, out, symlinks=True)
    shutil.rmtree(out / "site")
    pages = tmp_path / "pages-4"
    shutil.copytree(three.pages["3"], pages)
    (pages / "c.txt").unlink()
    publish([pages], out, version="4", previous=out)
    build_site(out, search=False)
    removed = _main(out / "site" / "en" / "versions" / "2.html").split("<h2>Removed")[1]
    assert 'replaced by <a href="../../en/id/practice/' in removed
    assert (
        'withdrawn practice <span lang="id">Kota Surakarta, Kota Layanan Publik</span>'
        in (removed.split("replaced by", 1)[1])
    )
    assert C_NEW.rsplit("/", 1)[1] not in re.sub(r'href="[^"]*"', "", removed)


def test_each_practice_page_says_in_which_versions_it_was_first_published_and_last_changed(
    three: Published,
) -> None:
    root = three.out / "site"

    def said(iri: str, folder: str = "en/") -> str:
        text = (root / f"{folder}{_stem(iri)}.html").read_text(encoding="utf-8")
        found = re.search(r"<dt>(?:Version history|Riwayat versi)</dt><dd>(.*?)</dd>", text)
        assert found is not None, iri
        return re.sub(r"<[^>]+>", "", found.group(1))

    assert said(A) == "first published in version 1; last changed in version 2"
    # B was removed by 2 and published again, the same, by 3: its description came back.
    assert said(B_IRI) == "first published in version 1; last changed in version 3"
    assert said(C_NEW) == "first published in version 2; not changed since"
    assert said(C_NEW, "") == "pertama kali terbit pada versi 2; belum diubah sejak itu"
    # A tombstone says which release removed it, linked to that release's changes.
    tombstone = (root / f"en/{_stem(D_IRI)}.html").read_text(encoding="utf-8")
    assert 'removed in release <a href="../../../../en/versions/3.html">3</a>' in tombstone
    # ... and what it was: the title its tombstone keeps.
    assert '<p class="was">Its title was: <q lang="id">Kota Surakarta, Kota Desain</q></p>' in (
        tombstone
    )


def test_each_practice_data_file_names_the_runs_that_generated_it_as_the_dumps_do(
    three: Published,
) -> None:
    """A practice's ``.nt``, ``.ttl`` and ``.jsonld`` hold its ``prov:wasGeneratedBy``, which
    the dumps keep in the provenance graph: its page says the version history, its data too."""
    generated_by = "http://www.w3.org/ns/prov#wasGeneratedBy"
    runs: dict[str, set[str]] = {}
    with (three.out / "nualod.nq").open("rb") as dump:
        for quad in ox.parse(dump, format=ox.RdfFormat.N_QUADS):
            if quad.predicate.value == generated_by:
                runs.setdefault(quad.subject.value, set()).add(quad.object.value)
    assert runs[A] == {f"{SERIES}/1#publication", f"{SERIES}/2#publication"}
    assert runs[C_NEW] == {f"{SERIES}/2#publication"}
    root = three.out / "site"
    for iri in (A, B_IRI, C_NEW, D_IRI):
        for suffix, form in (
            (".nt", ox.RdfFormat.N_TRIPLES),
            (".ttl", ox.RdfFormat.TURTLE),
            (".jsonld", ox.RdfFormat.JSON_LD),
        ):
            triples = ox.parse(path=root / f"{_stem(iri)}{suffix}", format=form)
            found = {
                t.object.value
                for t in triples
                if t.subject.value == iri and t.predicate.value == generated_by
            }
            assert found == runs.get(iri, set()), (iri, suffix)


def test_the_home_page_footer_and_sitemap_lead_to_the_versions(three: Published) -> None:
    root = three.out / "site"
    for folder in ("", "en/"):
        home = (root / folder / "index.html").read_text(encoding="utf-8")
        assert home.count(f'href="{"../" if folder else ""}{folder}versions.html"') == 2
        practice = (root / f"{folder}{_stem(A)}.html").read_text(encoding="utf-8")
        assert f'<a href="../../../{"../" if folder else ""}{folder}versions.html">' in practice
    sitemap = (root / "sitemap.xml").read_text(encoding="utf-8")
    for folder in ("", "en/"):
        for stem in (
            "versions",
            "versions/1",
            "versions/2",
            "versions/3",
            # The earlier versions' catalog resources.
            "id/dataset/nuf-good-practices/1",
            "id/dataset/nuf-good-practices/2",
            "id/dataset/nuf-good-practices/2/distribution/ttl",
        ):
            assert f"<loc>https://w3id.org/nualod/{folder}{stem}.html</loc>" in sitemap


def test_no_page_of_the_three_releases_site_has_a_broken_internal_link(three: Published) -> None:
    assert _broken_links(three.out / "site") == []


def test_the_changes_are_paged_and_the_site_is_the_same_built_again(
    three: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nualod.site import lists

    root = three.out / "site"
    before = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    build_site(three.out, search=False)
    # Version 2's five changes: two a page, on three pages, the later ones under list/.
    first = (root / "versions" / "2.html").read_text(encoding="utf-8")
    assert '<a rel="next" href="../list/versions/2/0/2.html">' in first
    third = root / "en" / "list" / "versions" / "2" / "0" / "3.html"
    assert _parse(third).title_text.startswith("Version 2 · Page 3 · ")
    assert "<h2>Removed" in _main(third) and _main(third).count("<li>") == 1
    monkeypatch.undo()
    build_site(three.out, search=False)
    after = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    # The whole site, the earlier versions' pages and files among it.
    assert (Path("id/dataset/nuf-good-practices/1/distribution/nq.nt")) in after
    assert after == before


DATA_BASE = "https://w3id.org/nualod/id/"
_PRACTICES_GRAPH = DATA_BASE + "graph/practices"
_PROVENANCE_GRAPH = DATA_BASE + "graph/provenance"


def _catalog(three: Published, version: str) -> list[ox.Triple]:
    path = three.out / "releases" / version / "catalog.ttl"
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def _own(triples: list[ox.Triple], document: str) -> list[ox.Triple]:
    """Return what ``triples`` say of a document IRI: the triples of it and its hash nodes,
    and of the blank nodes they reach."""
    found = [
        t
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.split("#", 1)[0] == document
    ]
    blanks = [t.object for t in found if isinstance(t.object, ox.BlankNode)]
    while blanks:
        blank = blanks.pop()
        more = [t for t in triples if t.subject == blank]
        found += more
        blanks += [t.object for t in more if isinstance(t.object, ox.BlankNode)]
    return found


def _graph(triples: list[ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data="".join(f"{t} .\n" for t in triples), format="nt")
    return graph


def _file_graph(path: Path, fmt: ox.RdfFormat) -> rdflib.Graph:
    return _graph(list(ox.parse(path=str(path), format=fmt)))


def test_every_iri_of_each_kept_versions_catalog_has_a_page_and_that_versions_data(
    three: Published,
) -> None:
    """The IRIs under the data base that a kept release's catalog names (``dcat:previousVersion``
    of the current one, the earlier versions and their distributions) each have their four
    files; an IRI only an earlier catalog describes holds that catalog's description of it,
    plus the labels of what it links to, as the current dataset's files do."""
    root = three.out / "site"
    catalogs = {v: _catalog(three, v) for v in ("3", "2", "1")}  # newest first
    current = list(ox.parse(path=str(three.out / "catalog.ttl"), format=ox.RdfFormat.TURTLE))
    assert set(current) == set(catalogs["3"])
    # The labels the site adds of linked nodes: those of the graphs other than the practices'.
    labels: dict[str, list[ox.Triple]] = {}
    # What the provenance graph says of each release's run, but the pages it used.
    runs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(three.out / "nualod.nq"), format=ox.RdfFormat.N_QUADS):
        if (
            quad.graph_name == ox.NamedNode(_PROVENANCE_GRAPH)
            and quad.subject.value.endswith("#publication")
            and quad.predicate.value != "http://www.w3.org/ns/prov#used"
        ):
            runs.setdefault(quad.subject.value.split("#", 1)[0], []).append(quad.triple)
        if (
            quad.graph_name != ox.NamedNode(_PRACTICES_GRAPH)
            and isinstance(quad.subject, ox.NamedNode)
            and quad.predicate.value in LINK_LABELS
            and (
                not isinstance(quad.object, ox.Literal)
                or quad.object.language in (None, "id", "en")
            )
        ):
            labels.setdefault(quad.subject.value, []).append(quad.triple)
    named = {
        node.value.split("#", 1)[0]
        for triples in catalogs.values()
        for triple in triples
        for node in (triple.subject, triple.object)
        if isinstance(node, ox.NamedNode) and node.value.startswith(DATA_BASE)
    }
    series = SERIES
    assert {f"{series}/{v}" for v in "123"} <= set(named)
    assert {f"{series}/{v}/distribution/ttl" for v in "123"} <= set(named)
    earlier = 0
    for document in sorted(named):
        stem = _stem(document)
        for name in (
            f"{stem}.html",
            f"en/{stem}.html",
            f"{stem}.ttl",
            f"{stem}.jsonld",
            f"{stem}.nt",
        ):
            assert (root / name).is_file(), (document, name)
        turtle = _file_graph(root / f"{stem}.ttl", ox.RdfFormat.TURTLE)
        assert isomorphic(turtle, _file_graph(root / f"{stem}.jsonld", ox.RdfFormat.JSON_LD))
        assert isomorphic(turtle, _file_graph(root / f"{stem}.nt", ox.RdfFormat.N_TRIPLES))
        describer = next((v for v, t in catalogs.items() if _own(t, document)), None)
        assert describer is not None, document
        # A version's dataset holds its run too: a practice's prov:wasGeneratedBy leads there.
        own = _own(catalogs[describer], document) + runs.get(document, [])
        assert (document in runs) == (document in {f"{series}/{v}" for v in "123"}), document
        if describer == "3":
            # The current catalog's description, with the VoID's (tests/test_site.py).
            shown = {t for t in turtle if not isinstance(t[0], rdflib.BNode)}
            expected = _graph(
                [
                    t
                    for t in own
                    if not isinstance(t.subject, ox.BlankNode)
                    and not isinstance(t.object, ox.BlankNode)
                ]
            )
            assert set(expected) <= shown, document
            continue
        earlier += 1
        linked = sorted(
            {
                t.object.value
                for t in own
                if isinstance(t.object, ox.NamedNode)
                and t.predicate.value != RDF_TYPE
                and t.object.value.split("#", 1)[0] != document
            }
        )
        with_labels = own + [t for iri in linked for t in labels.get(iri, [])]
        assert isomorphic(turtle, _graph(with_labels)), document
    # Version 2 and its 16 distributions, version 1 and its 16.
    assert earlier == 34


def _targets(root: Path, page: Path) -> set[str]:
    """Return the site paths a page's main part links to."""
    return {
        _resolved(root, page, href).relative_to(root).as_posix()
        for href in re.findall(r'<a href="([^"#]+)', _main(page))
        if not re.match(r"^[a-z]+:", href)
    }


@pytest.mark.parametrize(("lang", "folder"), [("id", ""), ("en", "en/")])
def test_the_series_page_says_what_it_is_and_leads_to_its_versions(
    three: Published, lang: str, folder: str
) -> None:
    root = (three.out / "site").resolve()
    page = root / folder / f"{_stem(SERIES)}.html"
    body = _main(page)
    kicker = re.search(r'<p class="kicker">(.*?)</p>', body)
    assert (
        kicker is not None
        and kicker.group(1) == {"id": "Seri dataset", "en": "Dataset series"}[lang]
    )
    notice = re.search(r'<p class="notice">(.*?)</p>', body)
    assert notice is not None
    assert (
        re.sub(r"<[^>]+>", "", notice.group(1))
        == {
            "id": "Setiap rilis dataset ini adalah satu versinya. Lihat Versi 3 (terkini) · "
            "Versi dan perubahan data",
            "en": "Each release of this dataset is a version of it. See Version 3 (current) · "
            "Versions and changes of the data",
        }[lang]
    )
    assert _targets(root, page) >= {
        f"{folder}{_stem(SERIES + '/3')}.html",
        f"{folder}versions.html",
    }
    # The current version's page has the series' title: its number tells them apart.
    current = root / folder / f"{_stem(SERIES + '/3')}.html"
    named = {"id": "Versi 3 (terkini)", "en": "Version 3 (current)"}[lang]
    assert f'<p class="kicker">Dataset · {named}</p>' in _main(current)
    assert f" · {named} · " in _parse(current).title_text


@pytest.mark.parametrize(("lang", "folder"), [("id", ""), ("en", "en/")])
def test_an_earlier_versions_page_says_which_version_it_is_and_links_the_current_one(
    three: Published, lang: str, folder: str
) -> None:
    root = (three.out / "site").resolve()
    page = root / folder / f"{_stem(SERIES + '/2')}.html"
    parsed = _parse(page)
    assert parsed.lang == lang
    assert (
        parsed.title_text
        == {
            "id": "Praktik baik Agenda Baru Perkotaan di kota Indonesia (National Urban Forum) · "
            "Versi 2 · Praktik Baik NUA",
            "en": "Good practices of the New Urban Agenda in Indonesian cities (National Urban "
            "Forum) · Version 2 · NUA Good Practices",
        }[lang]
    )
    body = _main(page)
    links = {
        re.sub(r"<[^>]+>", "", text): _resolved(root, page, href).relative_to(root).as_posix()
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', body)
    }
    words = {
        "id": ("Versi 2", "Versi 3 (terkini)", "Versi dan perubahan data"),
        "en": ("Version 2", "Version 3 (current)", "Versions and changes of the data"),
    }[lang]
    assert links[words[0]] == f"{folder}versions/2.html"
    assert links[words[1]] == f"{folder}{_stem(SERIES + '/3')}.html"
    assert links[words[2]] == f"{folder}versions.html"
    # Its statements link the version before it and its own distributions to their pages;
    # the current version's page links this one, its dcat:previousVersion.
    assert f"{folder}{_stem(SERIES + '/1')}.html" in _targets(root, page)
    assert f"{folder}{_stem(SERIES + '/2/distribution/ttl')}.html" in _targets(root, page)
    current = root / folder / f"{_stem(SERIES + '/3')}.html"
    assert f"{folder}{_stem(SERIES + '/2')}.html" in _targets(root, current)
    # Named by its title and its version, as the series, of the same title, is not.
    title = {"id": "Praktik baik Agenda Baru Perkotaan", "en": "Good practices of the New"}[lang]
    for linked, shown in ((page, words[0].replace("2", "1")), (current, words[0])):
        row = re.search(r"<code>dcat:previousVersion</code></th><td>(.*?)</td>", _main(linked))
        assert row is not None
        text = re.sub(r"<[^>]+>", "", row.group(1))
        assert text.startswith(title) and text.endswith(f" · {shown}"), text
        series = re.search(r"<code>dcat:inSeries</code></th><td>(.*?)</td>", _main(linked))
        assert series is not None and "· Versi" not in series.group(1)
        assert "· Version" not in series.group(1)
    # A distribution of version 2 says so too.
    distribution = _main(root / folder / f"{_stem(SERIES + '/2/distribution/ttl')}.html")
    assert words[1] in re.sub(r"<[^>]+>", "", distribution)


def test_a_versions_dataset_page_describes_its_run_and_counts_the_pages_it_used(
    three: Published,
) -> None:
    """A practice's ``prov:wasGeneratedBy`` (``…/V#publication``) leads to version V's page:
    it lists what the provenance graph says of the run, the input pages it used counted
    rather than listed (a million of them for a million practices)."""
    rows = {}
    for version in ("3", "2"):
        page = three.out / "site" / "en" / f"{_stem(SERIES + '/' + version)}.html"
        found = re.findall(
            r'<tr><th scope="row"><small>#publication</small> <code>([^<]+)</code></th>'
            r"<td>(.*?)</td></tr>",
            _main(page),
        )
        rows[version] = {predicate: _text(value) for predicate, value in found}
    assert sorted(rows["3"]) == [
        "dcterms:description",
        "prov:endedAtTime",
        "prov:startedAtTime",
        "prov:used",
        "prov:wasAssociatedWith",
        "rdf:type",
    ]
    assert rows["3"]["prov:used"] == (
        "2 input pages (listed in the provenance graph of the data dumps)"
    )
    assert rows["3"]["prov:wasAssociatedWith"] == f"nualod {__version__}"
    # A time as the page's language writes it, to the minute; ISO 8601 in its datetime.
    assert rows["3"]["prov:startedAtTime"] == "16 December 2025, 08:00 UTC"
    current = _main(three.out / "site" / "en" / f"{_stem(SERIES + '/3')}.html")
    assert '<time datetime="2025-12-16T08:00:02Z">16 December 2025, 08:00 UTC</time>' in current
    # An earlier run: what the current release's provenance carries of it.
    assert rows["2"] == {
        "rdf:type": "prov:Activity",
        "prov:startedAtTime": "16 December 2025, 08:00 UTC",
        "prov:endedAtTime": "16 December 2025, 08:00 UTC",
    }


def _broken_links(root: Path) -> list[str]:
    """Return every internal link of the site's pages that leads nowhere (and check that
    each page has a language and a title)."""
    broken = []
    for path in sorted(root.rglob("*.html")):
        page = _parse(path)
        assert page.lang in ("id", "en") and page.title_text.strip(), path
        for link in page.links:
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            if not _resolved(root, path, link).exists():
                broken.append(f"{path.relative_to(root)} -> {link}")
    return broken


def _assert_page_says(page: Path, title: str, text: str) -> None:
    """Check a page's whole title and the whole text of its main content."""
    assert _parse(page).title_text == title
    assert _text(_main(page)) == text


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&#x27;", "'").strip()


def test_a_pruned_version_keeps_a_page_that_says_it_is_gone(
    three: Published, tmp_path: Path
) -> None:
    """Release 1 gone (as ``--keep 1`` would leave it): its dataset IRI, which version 2's
    ``dcat:previousVersion`` and the practices' ``prov:wasGeneratedBy`` name, keeps its four
    files. The page says the release is no longer kept and links the current version, the
    next one and the feed; its data files hold what the data still says of it (its run's
    times, carried by each release's provenance, and the catalog's statement naming it).
    The versions page, version 2's changes and the practices first published in 1 link it.
    Its distributions, which only its own catalog named, have no page."""
    out = tmp_path / "out"
    shutil.copytree(three.out, out, symlinks=True, ignore=shutil.ignore_patterns("site"))
    shutil.rmtree(out / "releases" / "1")
    build_site(out, search=False)
    root = out / "site"
    stem = _stem(SERIES + "/1")
    assert not (root / f"{_stem(SERIES + '/1/distribution/ttl')}.ttl").exists()
    assert (root / f"{_stem(SERIES + '/2/distribution/ttl')}.ttl").is_file()
    run = f"<{SERIES}/1#publication>"
    moment = '"2025-12-16T08:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'
    prov = "http://www.w3.org/ns/prov#"
    expected = rdflib.Graph().parse(
        data=f"{run} <{RDF_TYPE}> <{prov}Activity> .\n"
        f"{run} <{prov}startedAtTime> {moment} .\n"
        f"{run} <{prov}endedAtTime> {moment} .\n"
        f"<{SERIES}/2> <http://www.w3.org/ns/dcat#previousVersion> <{SERIES}/1> .\n",
        format="nt",
    )
    for suffix, fmt in (
        ("ttl", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("nt", ox.RdfFormat.N_TRIPLES),
    ):
        assert isomorphic(_file_graph(root / f"{stem}.{suffix}", fmt), expected), suffix
    page = root / "en" / f"{stem}.html"
    assert _parse(page).title_text == "Version 1 · no longer kept · NUA Good Practices"
    said = _text(_main(page))
    assert said.startswith(
        "Dataset · no longer kept"
        "Good practices of the New Urban Agenda in Indonesian cities (National Urban Forum)"
        " · Version 1"
        "This version of the data is no longer kept: the publisher keeps only the last few "
        "releases, and a later one deleted this release's files. Its identifier stays valid. "
        "The practices still published are in Version 3 (current). What changed since is in "
        "the versions that followed it and in the change feed · Versions and changes of the "
        "data"
        "Released16 December 2025, 08:00 UTC"
        "Next versionVersion 2"
        f"IRI: {SERIES}/1 · "
    ), said
    assert _targets(root, page) >= {
        f"en/{_stem(SERIES + '/3')}.html",
        "en/versions/2.html",
        "en/versions.html",
        "download/feed/index.trig",
        f"{stem}.ttl",
    }
    indonesian = _text(_main(root / f"{stem}.html"))
    assert "Versi data ini tidak lagi disimpan" in indonesian
    assert "Versi berikutnyaVersi 2" in indonesian
    pruned_page = f"en/{stem}.html"
    # The versions page lists it after the kept ones; version 2 names it as the one before.
    versions = root / "en" / "versions.html"
    row = re.search(r'<tr class="pruned">(.*?)</tr>', _main(versions))
    assert row is not None
    assert _text(row.group(1)) == (
        "Version 1 no longer kept16 December 2025, 08:00 UTCno changelog—"
    )
    assert pruned_page in _targets(root, versions)
    changes = root / "en" / "versions" / "2.html"
    assert "The previous version (version 1) is no longer kept." in _text(_main(changes))
    assert pruned_page in _targets(root, changes)
    assert pruned_page in _targets(root, root / "en" / f"{_stem(SERIES + '/2')}.html")
    assert pruned_page in _targets(root, root / "en" / f"{_stem(A)}.html")
    sitemap = (root / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>https://w3id.org/nualod/en/{stem}.html</loc>" in sitemap
    # Its files and the resources under its dataset IRI (its distributions) are gone: the
    # site lists their paths, which the servers answer 410 with the 410 page.
    assert (root / GONE_LIST).read_text(encoding="utf-8").splitlines()[1:] == [
        "download/releases/1/",
        f"{stem}/",
        f"en/{stem}/",
    ]
    gone = root / "en" / "410.html"
    _assert_page_says(
        gone,
        "This version is no longer kept · NUA Good Practices",
        "This version is no longer kept"
        "This address belongs to a version of the data that is no longer kept: its files and "
        "the resources named under its identifier were deleted. The version's identifier "
        "itself stays valid: its page says when it was published and which version followed "
        "it. The versions no longer kept:"
        "Version 1 · 16 December 2025, 08:00 UTC"
        "Version 3 (current) · Versions and changes of the data · Home",
    )
    assert f'href="/nualod/en/{stem}.html"' in gone.read_text(encoding="utf-8")
    assert "Versi ini tidak lagi disimpan" in _text(_main(root / "410.html"))
    # Its changes page, where its feed activities' IRIs lead, says the changelog is gone.
    pruned_changes = root / "en" / "versions" / "1.html"
    _assert_page_says(
        pruned_changes,
        "Version 1 · no longer kept · NUA Good Practices",
        "Versions"
        "Version 1 no longer kept"
        "This version is no longer kept, and its changelog went with it. Its activities (the "
        "practices it added, changed and removed) are still in the change feed."
        "Released16 December 2025, 08:00 UTC"
        "DatasetVersion 1",
    )
    assert pruned_page in _targets(root, pruned_changes)
    assert "410.html" not in sitemap
    assert _broken_links(root) == []


def test_a_release_a_server_held_past_the_one_after_it_is_still_shown_as_kept(
    three: Published, tmp_path: Path
) -> None:
    """Release 1 held by a running ``nualod serve`` while release 2 was deleted: off the
    chain of previous versions from 3, its files are still there and served, so the site
    shows it as kept, with its page; release 2 is the one no longer kept."""
    out = tmp_path / "out"
    shutil.copytree(three.out, out, symlinks=True, ignore=shutil.ignore_patterns("site"))
    shutil.rmtree(out / "releases" / "2")
    build_site(out, search=False)
    root = out / "site"
    assert [(version, current) for version, current, _ in _rows(root / "versions.html")] == [
        ("3", True),
        ("1", False),
    ]
    kept = _text(_main(root / "en" / f"{_stem(SERIES + '/1')}.html"))
    assert "no longer kept" not in kept
    gone = _text(_main(root / "en" / f"{_stem(SERIES + '/2')}.html"))
    assert "This version of the data is no longer kept" in gone
    assert (root / "download" / "releases" / "1" / "nualod.nt").is_file()
    assert _broken_links(root) == []


def test_a_release_file_linking_out_of_the_releases_is_not_put_under_download(
    tmp_path: Path,
) -> None:
    """A symbolic link planted in a kept release (to a file outside OUT) is not hard-linked
    or copied into ``site/download/``: the site's server would send it as the site's own
    file, past its check that keeps links inside the site."""
    out = publish_three(tmp_path).out
    secret = tmp_path / "secret.txt"
    secret.write_text("not to be published\n", encoding="utf-8")
    for version in ("2", "3"):
        planted = out / "releases" / version / "changelog.md"
        planted.unlink()
        planted.symlink_to(secret)
    build_site(out, search=False, workers=1)
    download = out / "site" / "download"
    assert (download / "changelog.json").is_file()
    assert (download / "releases" / "1" / "changelog.md").is_file()
    for version in ("", "releases/2/", "releases/3/"):
        assert not (download / f"{version}changelog.md").exists(), version


def test_a_changelog_is_read_an_entry_at_a_time_whatever_its_order_and_odd_entries(
    three: Published, tmp_path: Path
) -> None:
    """The changes pages read ``changelog.json`` an entry at a time (a first release of a
    million practices lists them all); kinds in another order and entries that name no
    practice give the same pages."""
    out = tmp_path / "out"
    shutil.copytree(three.out, out, symlinks=True, ignore=shutil.ignore_patterns("site"))
    changelog = out / "releases" / "2" / "changelog.json"
    log = json.loads(changelog.read_text(encoding="utf-8"))
    odd = [7, {"iri": None}, {"iri": ""}, {"fields": ["dcterms:title"]}]
    reordered = {
        "removed": [*log["removed"], *odd],
        "changed": [*odd, *log["changed"]],
        **{k: v for k, v in log.items() if k not in ("added", "changed", "removed")},
        "added": [odd[0], *log["added"]],
    }
    changelog.unlink()  # a hard link of the release's file: not written through
    changelog.write_text(json.dumps(reordered), encoding="utf-8")
    build_site(out, search=False)
    for folder in ("", "en/"):
        page = f"{folder}versions/2.html"
        assert _main(out / "site" / page) == _main(three.out / "site" / page)
    # One that is not a JSON object is a release without a changelog, as one that is missing.
    changelog.write_text('{"added": [', encoding="utf-8")
    build_site(out, search=False)
    body = _main(out / "site" / "en" / "versions.html")
    assert body.count('<span class="unknown">no changelog') == 1
    # Counts that are not whole numbers (JSON's Infinity is read as a float) are not shown.
    changelog.write_text(json.dumps({**log, "counts": {"added": float("inf")}}), encoding="utf-8")
    build_site(out, search=False)
    body = _main(out / "site" / "en" / "versions.html")
    assert body.count('<span class="unknown">no changelog') == 1
    assert "Infinity" not in _main(out / "site" / "en" / "versions" / "2.html")


def test_the_home_downloads_name_the_feed_and_the_changelogs(three: Published) -> None:
    root = (three.out / "site").resolve()
    home = (root / "index.html").read_text(encoding="utf-8")
    assert (
        '<a href="download/feed/index.trig">feed/index.trig</a></td>'
        "<td>Linked Data Event Stream (TriG)</td>"
    ) in home
    assert (
        '<a href="download/changelog.json">changelog.json</a></td><td>Catatan perubahan (JSON)'
        in home
    )
    english = (root / "en" / "index.html").read_text(encoding="utf-8")
    assert "<td>Changelog (JSON)</td>" in english


def test_the_home_page_describes_the_current_version_not_the_series(three: Published) -> None:
    root = (three.out / "site").resolve()
    for page, start in (
        ("index.html", "Praktik baik implementasi"),
        ("en/index.html", "Good practices of"),
    ):
        home = (root / page).read_text(encoding="utf-8")
        about = re.search(
            r"<section><h2>(?:Tentang data|About the data)</h2><p[^>]*>(.*?)</p>", home
        )
        assert about is not None and about.group(1).startswith(start), page


def test_every_iri_of_ours_the_release_names_has_a_page(three: Published) -> None:
    """The vocabulary's version IRI, the software agent of the runs and the JSON Schema's
    $id were IRIs of ours that answered 404 (data review)."""
    root = (three.out / "site").resolve()
    for stem in ("def/0.1.0", "id/agent/nualod-software/0.1.0"):
        for file in (
            f"{stem}.html",
            f"en/{stem}.html",
            f"{stem}.ttl",
            f"{stem}.jsonld",
            f"{stem}.nt",
        ):
            assert (root / file).is_file(), file
    ontology = rdflib.Graph().parse(root / "def" / "0.1.0.ttl")
    version = rdflib.URIRef("https://w3id.org/nualod/def/0.1.0")
    assert (
        rdflib.URIRef("https://w3id.org/nualod/def"),
        rdflib.OWL.versionIRI,
        version,
    ) in ontology
    agent = _main(root / "en" / "id" / "agent" / "nualod-software" / "0.1.0.html")
    assert '<p class="kicker">Software</p><h1>nualod 0.1.0</h1>' in agent
    run = _main(root / "en" / f"{_stem(SERIES + '/3')}.html")
    assert "id/agent/nualod-software/0.1.0.html" in run
    schema = root / "schema" / "practices.schema.json"
    assert schema.read_bytes() == (three.out / "practices.schema.json").read_bytes()
    assert (
        json.loads(schema.read_bytes())["$id"]
        == "https://w3id.org/nualod/schema/practices.schema.json"
    )


_ATOM = "{http://www.w3.org/2005/Atom}"
_FEED_SUMMARIES: dict[str, tuple[str, str, str]] = {
    "id": (
        "Praktik: 1 ditambahkan, 0 diubah, 1 dihapus.",
        "Praktik: 2 ditambahkan, 1 diubah, 2 dihapus.",
        "Praktik: 3 ditambahkan, 0 diubah, 0 dihapus.",
    ),
    "en": (
        "Practices: 1 added, 0 changed, 1 removed.",
        "Practices: 2 added, 1 changed, 2 removed.",
        "Practices: 3 added, 0 changed, 0 removed.",
    ),
}


@pytest.mark.parametrize(("lang", "folder"), [("id", ""), ("en", "en/")])
def test_the_releases_atom_feed_has_one_entry_a_kept_release_newest_first(
    three: Published, lang: str, folder: str
) -> None:
    """What a feed reader reads (feedparser): one entry a release, its counts, its page and
    changelogs; every link of the feed is a file of the site."""
    root = three.out / "site"
    data = (root / folder / "versions.atom").read_bytes()
    read = feedparser.parse(data)
    assert not read.bozo, read.get("bozo_exception")
    assert read.version == "atom10"
    site = "https://w3id.org/nualod/"
    other = "en/" if lang == "id" else ""
    assert read.feed.id == f"{site}{folder}versions.atom"
    assert (
        read.feed.title
        == {
            "id": "Versi data · Praktik Baik NUA",
            "en": "Versions of the data · NUA Good Practices",
        }[lang]
    )
    assert read.feed.language == lang
    assert read.feed.author == "National Urban Forum Indonesia"
    assert read.feed.updated == "2025-12-16T08:00:02Z"
    assert [(link.rel, link.type, link.href) for link in read.feed.links] == [
        ("self", "application/atom+xml", f"{site}{folder}versions.atom"),
        ("alternate", "text/html", f"{site}{folder}versions.html"),
        ("alternate", "application/atom+xml", f"{site}{other}versions.atom"),
    ]
    word = {"id": "Versi", "en": "Version"}[lang]
    assert [(entry.id, entry.title, entry.updated, entry.summary) for entry in read.entries] == [
        (f"{site}{folder}versions/{v}.html", f"{word} {v}", f"2025-12-16T08:00:0{v - 1}Z", s)
        for v, s in zip((3, 2, 1), _FEED_SUMMARIES[lang], strict=True)
    ]
    for entry in read.entries:
        version = entry.id.rsplit("/", 1)[1].removesuffix(".html")
        assert [(link.rel, link.type, link.href) for link in entry.links] == [
            ("alternate", "text/html", entry.id),
            ("related", "application/json", f"{site}download/releases/{version}/changelog.json"),
            ("related", "text/markdown", f"{site}download/releases/{version}/changelog.md"),
        ]
    # Every IRI the feed names is a file of the site, and the XML is Atom's.
    feed = ElementTree.fromstring(data)
    assert feed.tag == f"{_ATOM}feed"
    hrefs = [link.attrib["href"] for link in feed.iter(f"{_ATOM}link")]
    ids = [found.text or "" for found in feed.iter(f"{_ATOM}id")]
    assert len(set(ids)) == len(ids) == 4
    for iri in hrefs + ids:
        assert (root / iri.removeprefix(site)).is_file(), iri


def test_the_pages_that_list_the_versions_name_the_feed(three: Published) -> None:
    root = three.out / "site"
    for folder in ("", "en/"):
        title = "Versi data" if not folder else "Versions of the data"
        for page, href in (
            ("versions.html", f"{'../' if folder else ''}{folder}versions.atom"),
            ("index.html", f"{'../' if folder else ''}{folder}versions.atom"),
        ):
            text = (root / folder / page).read_text(encoding="utf-8")
            head = text[: text.index("</head>")]
            assert (
                f'<link rel="alternate" type="application/atom+xml" href="{href}" '
                f'title="{title}">' in head
            ), (folder, page)
        versions = _main(root / folder / "versions.html")
        follow = "Ikuti versi baru lewat umpan Atom" if not folder else "Follow new versions"
        assert re.search(
            rf'<a href="[^"]*versions\.atom" type="application/atom\+xml">{follow}', versions
        )


def test_an_unversioned_site_has_no_feed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish([EXAMPLES], out)
    build_site(out, search=False)
    assert not list((out / "site").rglob("*.atom"))
    assert "application/atom+xml" not in (out / "site" / "index.html").read_text("utf-8")


def test_the_feed_escapes_what_the_publisher_names_and_drops_what_xml_cannot_hold() -> None:
    entry = AtomEntry(
        "https://example.org/v/1.html", "Version 1", "2025-12-16T08:00:00+07:00", "<b>&", ()
    )
    document = atom_document(
        AtomFeed(
            "https://example.org/v.atom",
            "en",
            'A "feed" <of> & releases',
            "",
            "Dinas\x01 & <Kota>",
            "",
            "1",
            (),
            (entry,),
        )
    )
    feed = ElementTree.fromstring(document.encode("utf-8"))
    assert feed.findtext(f"{_ATOM}title") == 'A "feed" <of> & releases'
    assert feed.findtext(f"{_ATOM}author/{_ATOM}name") == "Dinas & <Kota>"
    assert feed.findtext(f"{_ATOM}entry/{_ATOM}summary") == "<b>&"
    assert feed.findtext(f"{_ATOM}updated") == "2025-12-16T08:00:00+07:00"
    with pytest.raises(ValueError, match=r"^feed https://example.org/v.atom: no entries"):
        atom_document(AtomFeed("https://example.org/v.atom", "en", "", "", "", "", "1", (), ()))


@pytest.mark.parametrize(
    "moment", ["2025-02-30", "2025-12-16T25:00:00Z", "2025-12-16T08:00:00+24:00"]
)
def test_a_release_dated_no_day_there_is_has_no_feed_entry(tmp_path: Path, moment: str) -> None:
    """A moment of the form of a date that is no date (from the dumps of a folder that may
    come from elsewhere) was given to the feed as it was, and ``nualod site`` ended in a
    ValueError from datetime when the feed's newest entry was looked for."""
    kept = Release("1", "1", tmp_path, None, moment, None)
    dated = Release("2", "2", tmp_path, "1", "2025-12-16T08:00:00Z", None)
    assert feed_entries(Versions("1", [kept])) == []
    assert feed_link(Versions("1", [kept]), Where("versions", "en")) == ""
    assert feed_entries(Versions("2", [dated, kept])) == [(dated, "2025-12-16T08:00:00Z")]
