"""The releases of the data on the website: a versions page, a page of each release's changes,
and on each practice page the versions that first published it and last changed it.

The site is of one release (the current one when the build starts). When that release has
a version, its versions are the releases it follows that its out folder still keeps: its
``changelog.json`` names the one before (``from``), whose folder beside it under
``releases/`` names the one before that, and so on, newest first, until a release is not
kept or has no predecessor. Following the chain, not listing the folder, keeps a release
published meanwhile (or on another branch of ``--previous``) off the site, and gives the same
pages for the same folders.

- ``versions.html``: each kept release: its version, its moment (``prov:startedAtTime`` of
  its run in the provenance graph), the counts of its changelog, links to its changelog
  (``changelog.md``, ``changelog.json``) and its catalog entry, the current one marked.
- ``versions/V.html``: the practices release V added, changed (with the fields its
  changelog names) and removed (with what replaced them), each linked to its page (a
  removed practice's page is its tombstone), 100 a page (later pages at
  ``list/versions/V/…``, as every list's).
- ``versions.atom`` (and ``en/versions.atom``): an Atom feed of the same releases, one
  entry each, for people's feed readers (harvesters follow the change feed); every page
  that lists the versions names it in a ``<link rel="alternate">``.
- The changelogs and catalogs of the kept releases are linked under
  ``download/releases/V/``, where the catalog's download URLs point by default.

A practice is ``prov:wasGeneratedBy`` the run that first published it and the run that last
changed it (one run when the same), in the provenance graph, which the site holds in memory
with the other small graphs (:class:`~nualod.site.context.Context`, by subject):
:meth:`Versions.history` turns a practice's runs into one line of its page, ordered by the
runs' moments, made once for each pair of runs and language.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import pyoxigraph as ox

from nualod import __version__
from nualod.files.current import release_folder
from nualod.files.json_members import object_members
from nualod.model.iris import release_version
from nualod.model.writing import grouped, moment_text
from nualod.site import lists
from nualod.site.atom import (
    ATOM_MEDIA_TYPE,
    AtomEntry,
    AtomFeed,
    AtomLink,
    atom_document,
    atom_instant,
)
from nualod.site.html import LANGUAGE_FOLDER, Where, e, ew, word
from nualod.site.lists import list_page_stem, page_count, pager
from nualod.site.paths import DOWNLOAD_FOLDER, RELEASES_FOLDER, WITHDRAWN_PREFIX, site_path

if TYPE_CHECKING:
    from nualod.site.pages import Writer

#: The versions page's stem; each release's changes are at ``versions/{version}``.
VERSIONS_STEM: Final = "versions"
#: The Atom feed of the releases beside each language's versions page (:func:`write_versions`).
FEED_FILE: Final = f"{VERSIONS_STEM}.atom"
_PROV: Final = "http://www.w3.org/ns/prov#"
_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_GENERATED_BY: Final = _PROV + "wasGeneratedBy"
#: A release's files the site links under ``download/releases/V/``.
_RELEASE_FILES: Final = ("changelog.md", "changelog.json", "catalog.ttl")


def series_of(dataset: dict[str, Any]) -> str:
    """Return the IRI of the series a schema.org dataset document (``dataset.jsonld``) is a
    release of: its ``isPartOf`` when it is a versioned release, else its own.

    >>> series_of({"@id": "https://e.org/d/2", "isPartOf": {"@id": "https://e.org/d"}})
    'https://e.org/d'
    >>> series_of({"@id": "https://e.org/d"}), series_of({})
    ('https://e.org/d', '')
    """
    part = dataset.get("isPartOf")
    if isinstance(part, dict) and isinstance(part.get("@id"), str):
        return str(part["@id"])
    return str(dataset.get("@id", ""))


def release_stem(version: str) -> str:
    """Return the stem of the page of a release's changes.

    >>> release_stem("2025.2")
    'versions/2025.2'
    """
    return f"{VERSIONS_STEM}/{version}"


@dataclass(frozen=True, slots=True)
class Release:
    """A kept release: its folder's name, version, predecessor, moment and changelog counts."""

    name: str
    version: str
    folder: Path
    previous: str | None
    #: Its run's ``prov:startedAtTime`` when the provenance graph says; else its data's
    #: date (``dateModified`` of its ``dataset.jsonld``); else "".
    moment: str
    #: added, changed, removed, unchanged; None when the release has no changelog.
    counts: dict[str, int] | None
    #: How many practices its changelog lists (its pages of changes show them all).
    listed: int = 0
    #: The kinds of change its changelog lists, in the file's order.
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pruned:
    """A release the data still names that its out folder no longer keeps (``--keep``):
    its dataset IRI keeps a page saying so (:func:`nualod.site.pages._pruned_versions`)."""

    version: str
    #: Its dataset IRI: the document of its run's IRI (``…/V#publication``).
    iri: str
    #: Its run's ``prov:startedAtTime`` when the provenance graph says; else "".
    moment: str
    #: The release that followed it: the kept one whose changelog names it, else the one
    #: whose run is next in time; None when neither is known.
    followed_by: str | None


@dataclass
class Versions:
    """The releases the site shows, and the runs that published them, by run IRI."""

    #: The site's release's version; "" when it has none (then the site shows no versions).
    current: str = ""
    releases: list[Release] = field(default_factory=list)
    #: Run IRI -> (moment, version), from the provenance graph.
    runs: dict[str, tuple[str, str]] = field(default_factory=dict)

    #: The versions that have a page of their changes.
    kept: frozenset[str] = frozenset()
    #: The releases no longer kept that the data names, newest first (unknown moments last).
    pruned: list[Pruned] = field(default_factory=list)
    #: Each pruned version's page stem, once the site's base is known (:meth:`place_pruned`).
    pruned_stems: dict[str, str] = field(default_factory=dict)
    _history: dict[tuple[str, str, tuple[str, ...]], str] = field(default_factory=dict, repr=False)

    def version_link(self, where: Where, version: str, *, named: bool = False) -> str:
        """Return a version as HTML ("Versi 2" when ``named``, else "2"): linked to its
        changes when the site has them."""
        text = e(word("version_of", where.lang).format(version=version) if named else version)
        if version in self.kept:
            return f'<a href="{where.page(release_stem(version))}">{text}</a>'
        stem = self.pruned_stems.get(version)
        if stem is not None:
            return f'<a href="{where.page(stem)}">{text}</a>'
        return f"<strong>{text}</strong>"

    def place_pruned(self, base: str) -> None:
        """Give each pruned version whose dataset IRI is under the site's ``base`` its page."""
        self.pruned_stems = {
            pruned.version: stem
            for pruned in self.pruned
            if (stem := site_path(pruned.iri, base)) is not None
        }

    def history(self, where: Where, triples: list[ox.Triple] | None) -> str:
        """Return the ``<dt>``/``<dd>`` of a practice page that say in which versions the
        practice was first published and last changed, from the ``prov:wasGeneratedBy``
        runs among its ``triples`` in the provenance graph; "" when the site has no
        versions or the data does not say.

        Made once per language, depth and runs: a million practices share a few lines.
        """
        if not self.current or not triples:
            return ""
        runs = tuple(
            o.value
            for t in triples
            if t.predicate.value == _GENERATED_BY and isinstance(o := t.object, ox.NamedNode)
        )
        if not runs:
            return ""
        key = (where.lang, where.root, runs)
        found = self._history.get(key)
        if found is None:
            found = self._history_html(where, runs)
            if len(self._history) < 10_000:
                self._history[key] = found
        return found

    def _history_html(self, where: Where, runs: tuple[str, ...]) -> str:
        # In the order of the kept releases (whose chain is known), a release no longer kept
        # before them; then by the runs' moments.
        rank = {r.version: -i for i, r in enumerate(self.releases)}
        known = sorted(
            (rank.get(version, -len(rank)), (self.runs.get(run) or ("", ""))[0], version)
            for run in runs
            if (version := release_version(run)) is not None
        )
        if not known:
            return ""
        lang = where.lang
        first = known[0][2]
        last = known[-1][2]
        said = ew("history_first", lang).format(first=self.version_link(where, first))
        if last == first:
            said += f"; {ew('history_unchanged', lang)}"
        else:
            said += "; " + ew("history_changed", lang).format(last=self.version_link(where, last))
        return f"<dt>{ew('history', lang)}</dt><dd>{said}</dd>"


def _runs(context_triples: dict[str, list[ox.Triple]]) -> dict[str, tuple[str, str]]:
    """Return each release's run (``…/V#publication``) with its moment and version."""
    runs: dict[str, tuple[str, str]] = {}
    for subject, triples in context_triples.items():
        if not subject.endswith("#publication"):
            continue
        version = release_version(subject)
        if version is None:
            continue
        moment = ""
        is_run = False
        for triple in triples:
            predicate = triple.predicate.value
            value = triple.object
            if isinstance(value, ox.Triple):
                continue
            if predicate == _RDF_TYPE and value.value == _PROV + "Activity":
                is_run = True
            elif predicate == _PROV + "startedAtTime" and not moment:
                moment = value.value
        if is_run:
            runs[subject] = (moment, version)
    return runs


def _date(release: Path) -> str:
    """Return a release's date from its ``dataset.jsonld`` (schema.org ``dateModified``)."""
    dataset = _json(release / "dataset.jsonld") or {}
    found = dataset.get("dateModified") or dataset.get("datePublished")
    return found if isinstance(found, str) else ""


def _json(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def read_versions(
    published: Path, context_triples: dict[str, list[ox.Triple]], series: str = ""
) -> Versions:
    """Return the releases a site of ``published`` (an out folder or a release) shows: the
    kept ones, and those no longer kept that the provenance graph's runs or the oldest kept
    release's changelog name (``series``, the dataset's IRI, names the latter's)."""
    try:
        folder = release_folder(published)
    except OSError:
        return Versions()
    manifest = _json(folder / "release.json")
    version = manifest.get("version") if manifest else None
    if not isinstance(version, str) or not version:
        return Versions()
    runs = _runs(context_triples)
    moments = {v: moment for moment, v in runs.values()}
    releases: list[Release] = []
    seen: set[str] = set()
    current: Path | None = folder
    while current is not None and current.name not in seen:
        seen.add(current.name)
        own = _json(current / "release.json") or {}
        named = own.get("version")
        shown = named if isinstance(named, str) and named else current.name
        release = _release(current, shown, moments.get(shown) or _date(current))
        releases.append(release)
        previous = release.previous
        current = None
        if isinstance(previous, str) and folder.parent.name == "releases":
            candidate = folder.parent / previous
            if (candidate / "release.json").is_file():
                current = candidate
    if folder.parent.name == "releases":
        releases = _with_held(releases, folder.parent, seen, moments)
    kept = frozenset(r.version for r in releases)
    held = folder.parent if folder.parent.name == "releases" else None
    return Versions(version, releases, runs, kept, _pruned(releases, kept, runs, held, series))


def _release(folder: Path, version: str, moment: str) -> Release:
    """Return a kept release as its folder and changelog give it."""
    log = _read_changelog(folder / "changelog.json")
    return Release(
        folder.name,
        version,
        folder,
        log.previous if log else None,
        moment,
        log.counts if log else None,
        log.listed if log else 0,
        log.kinds if log else (),
    )


def _with_held(
    chain: list[Release], held: Path, seen: set[str], moments: dict[str, str]
) -> list[Release]:
    """Return the releases of the chain and, in their place by moment, those ``held`` (the
    out folder's ``releases/``) keeps off it that the runs name: a running ``nualod serve``
    kept one while the release after it was deleted, and its files are still served."""
    extra = []
    for other in sorted(held.iterdir()):
        if other.name in seen:
            continue
        named = (_json(other / "release.json") or {}).get("version")
        if isinstance(named, str) and named in moments:
            extra.append(_release(other, named, moments[named]))
    if not extra:
        return chain
    return sorted([*chain, *extra], key=lambda release: release.moment, reverse=True)


def _pruned(
    releases: list[Release],
    kept: frozenset[str],
    runs: dict[str, tuple[str, str]],
    held: Path | None,
    series: str,
) -> list[Pruned]:
    """Return the releases the data names that the out folder no longer holds (``held``:
    its ``releases/``), newest first. One still held but off the chain of kept releases (a
    changelog that cannot be read broke it) is not said to be gone; nor is any when the
    site is of a release folder on its own (no ``releases/`` around it says what is kept)."""

    def gone(version: str) -> bool:
        return (
            held is not None
            and version not in kept
            and not (held / version / "release.json").is_file()
        )

    named = {v: (run.split("#", 1)[0], moment) for run, (moment, v) in runs.items() if gone(v)}
    # What followed a version: the kept release whose changelog names it, else the run
    # next in time (every run the provenance graph dates, kept or not).
    dated = sorted((moment, v) for moment, v in runs.values() if moment)
    following = {v: after for (_, v), (_, after) in pairwise(dated)}
    following.update({r.previous: r.version for r in releases if r.previous is not None})
    oldest = releases[-1].previous if releases else None
    if oldest is not None and gone(oldest) and oldest not in named and series:
        named[oldest] = (f"{series}/{oldest}", "")
    found = [
        Pruned(version, iri, moment, following.get(version))
        for version, (iri, moment) in named.items()
    ]
    return sorted(found, key=lambda p: (p.moment, p.version), reverse=True)


def _release_files(writer: Writer, release: Release) -> dict[str, str]:
    """Return the site paths of a release's changelog and catalog under
    ``download/releases/NAME/``, those it has: :func:`nualod.site.build._link_downloads`
    put them there, with the rest of each kept version's files."""
    folder = writer.out / DOWNLOAD_FOLDER / RELEASES_FOLDER / release.name
    return {
        name: f"{DOWNLOAD_FOLDER}/{RELEASES_FOLDER}/{release.name}/{name}"
        for name in _RELEASE_FILES
        if (folder / name).is_file()
    }


def _moment(release: Release, lang: str) -> str:
    return moment_html(release.moment, lang)


#: The fields a changelog names (the predicates of a practice's description) that its page
#: shows under a heading of its own: named by that heading.
FIELD_WORDS: Final[dict[str, str]] = {
    "dcterms:title": "field_title",
    "dcterms:abstract": "summary",
    "dcterms:description": "description",
    "nua:figure": "figures",
    "dcterms:source": "sources",
    "dcterms:issued": "date",
    "dcterms:spatial": "place",
    "nua:theme": "theme",
    "nua:indicator": "indicator",
    "prov:wasDerivedFrom": "field_page",
}


def _field_html(field: str, lang: str) -> str:
    """Return a changed field as the practice's page heads it, its name in the data as a
    tooltip; a field the page has no heading for, by that name.

    >>> _field_html("nua:figure", "id"), _field_html("schema:about", "en")
    ('<span title="nua:figure">Angka dalam teks</span>', '<code>schema:about</code>')
    """
    key = FIELD_WORDS.get(field)
    if key is None:
        return f"<code>{e(field)}</code>"
    return f'<span title="{e(field)}">{ew(key, lang)}</span>'


def moment_html(moment: str, lang: str) -> str:
    """Return a release's moment as a ``<time>``, or words saying it is not known.

    >>> moment_html("2025-12-16T08:00:00Z", "id")
    '<time datetime="2025-12-16T08:00:00Z">16 Desember 2025 pukul 08.00 UTC</time>'
    >>> moment_html("", "en")
    '<span class="unknown">time not known</span>'
    """
    if not moment:
        return f'<span class="unknown">{ew("released_unknown", lang)}</span>'
    return f'<time datetime="{e(moment)}">{e(moment_text(moment, lang))}</time>'


def _catalog_link(writer: Writer, where: Where, release: Release, files: dict[str, str]) -> str:
    """Return the link to a release's catalog entry: its dataset's page when the site has one
    (every kept release's, :func:`nualod.site.pages._catalog`), else its ``catalog.ttl``.

    The site has the page when it describes the dataset (``writer.described``), whichever
    of the two pages is written first.
    """
    series = series_of(writer.context.dataset)
    dataset = f"{series}/{release.version}"
    stem = site_path(dataset, writer.site.base) if series else None
    lang = where.lang
    if stem is not None and dataset in writer.described:
        return (
            f'<a href="{where.page(stem)}">{ew("dataset_version", lang)} {e(release.version)}</a>'
        )
    if "catalog.ttl" in files:
        return f'<a href="{where.root}{files["catalog.ttl"]}">catalog.ttl</a>'
    return "—"


def _changelog_links(where: Where, files: dict[str, str], between: str = " · ") -> str:
    # A phone's table breaks a name before its extension rather than cut it off.
    links = [
        f'<a href="{where.root}{files[name]}">{name.replace(".", "<wbr>.")}</a>'
        for name in ("changelog.md", "changelog.json")
        if name in files
    ]
    return between.join(links) or f'<span class="unknown">{ew("no_changelog", where.lang)}</span>'


def feed_entries(versions: Versions) -> list[tuple[Release, str]]:
    """Return the kept releases the Atom feed has an entry for, each with its Atom date: those
    whose moment is known (an entry must say when it was updated)."""
    return [
        (release, instant)
        for release in versions.releases
        if (instant := atom_instant(release.moment)) is not None
    ]


def feed_link(versions: Versions, where: Where) -> str:
    """Return the ``<link rel="alternate">`` that names the page's language's Atom feed of
    the releases (for a feed reader to find), or "" when the site has none."""
    if not versions.current or not feed_entries(versions):
        return ""
    return (
        f'<link rel="alternate" type="{ATOM_MEDIA_TYPE}" href="{where.home}{FEED_FILE}" '
        f'title="{ew("versions_title", where.lang)}">\n'
    )


def releases_feed(
    writer: Writer, versions: Versions, lang: str, files: dict[str, dict[str, str]]
) -> AtomFeed | None:
    """Return the Atom feed of the kept releases in ``lang``, newest first, or None when no
    release's moment is known; ``files`` are each release's (:func:`_release_files`, by
    name)."""
    dated = feed_entries(versions)
    if not dated:
        return None
    base_url = writer.site.base_url
    other = "en" if lang == "id" else "id"

    def url(path: str) -> str:
        return base_url + path

    entries = []
    for release, instant in dated:
        linked = files[release.name]
        counts = release.counts
        summary = (
            word("feed_counts", lang).format(
                counts=", ".join(
                    f"{grouped(counts.get(kind, 0), lang)} {word(kind + '_count', lang)}"
                    for kind in _KINDS
                )
            )
            if counts is not None
            else word("no_changelog", lang)
        )
        page = url(Where(release_stem(release.version), lang).file)
        entries.append(
            AtomEntry(
                id=page,
                title=word("version_of", lang).format(version=release.version),
                updated=instant,
                summary=summary,
                links=(
                    AtomLink("alternate", "text/html", page),
                    *(
                        AtomLink("related", media_type, url(linked[name]), title=name)
                        for name, media_type in _FEED_FILES
                        if name in linked
                    ),
                ),
            )
        )
    feed = url(f"{LANGUAGE_FOLDER[lang]}{FEED_FILE}")
    return AtomFeed(
        id=feed,
        lang=lang,
        title=f"{word('versions_title', lang)} · {word('site_short', lang)}",
        subtitle=word("feed_subtitle", lang),
        author=writer.site.creator,
        rights=writer.site.licence_name,
        generator_version=__version__,
        links=(
            AtomLink("self", ATOM_MEDIA_TYPE, feed),
            AtomLink("alternate", "text/html", url(Where(VERSIONS_STEM, lang).file)),
            AtomLink(
                "alternate",
                ATOM_MEDIA_TYPE,
                url(f"{LANGUAGE_FOLDER[other]}{FEED_FILE}"),
                hreflang=other,
            ),
        ),
        entries=tuple(entries),
    )


#: A release's files its feed entry links, with their media types.
_FEED_FILES: Final = (("changelog.json", "application/json"), ("changelog.md", "text/markdown"))


def write_versions(writer: Writer) -> None:
    """Write the versions page and each kept release's changes (nothing when unversioned)."""
    versions = writer.context.versions
    if not versions.current:
        return
    files = {r.name: _release_files(writer, r) for r in versions.releases}
    for lang in ("id", "en"):
        where = Where(VERSIONS_STEM, lang)
        rows = []
        for release in versions.releases:
            counts = release.counts
            # One cell of three counts, each with its word on one line: the table fits a
            # phone.
            cells = (
                "<td>"
                + "<br>".join(
                    f'<data value="{counts.get(k, 0)}">{grouped(counts.get(k, 0), lang)}</data>'
                    f"&nbsp;{ew(k + '_count', lang)}"
                    for k in ("added", "changed", "removed")
                )
                + "</td>"
                if counts is not None
                else f'<td><span class="unknown">{ew("no_changelog", lang)}</span></td>'
            )
            current = (
                f' <strong class="badge">{ew("current_version", lang)}</strong>'
                if release.version == versions.current
                else ""
            )
            rows.append(
                f'<tr><th scope="row">{versions.version_link(where, release.version, named=True)}'
                f"{current}</th><td>{_moment(release, lang)}</td>{cells}"
                f"<td>{_changelog_links(where, files[release.name], '<br>')}<br>"
                f"{_catalog_link(writer, where, release, files[release.name])}</td></tr>"
            )
        for pruned in versions.pruned:
            rows.append(
                f'<tr class="pruned"><th scope="row">'
                f"{versions.version_link(where, pruned.version, named=True)} "
                f'<span class="badge gone">{ew("not_kept", lang)}</span></th>'
                f"<td>{moment_html(pruned.moment, lang)}</td>"
                f'<td><span class="unknown">{ew("no_changelog", lang)}</span></td><td>—</td></tr>'
            )
        head = "".join(
            f'<th scope="col">{ew(k, lang)}</th>'
            for k in ("version", "released", "changes", "changelog_files")
        )
        feed = releases_feed(writer, versions, lang, files)
        follow = ""
        if feed is not None:
            writer.write(f"{LANGUAGE_FOLDER[lang]}{FEED_FILE}", atom_document(feed))
            follow = (
                f'<p><a href="{where.home}{FEED_FILE}" type="{ATOM_MEDIA_TYPE}">'
                f"{ew('feed_follow', lang)}</a></p>"
            )
        body = (
            f"<h1>{ew('versions_title', lang)}</h1><p>{ew('versions_intro', lang)}</p>"
            f'<div class="scroll"><table class="versions"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>{follow}"
        )
        writer.page(
            VERSIONS_STEM,
            lang,
            word("versions_title", lang),
            body,
            head=feed_link(versions, where),
        )
    listed = any(r.listed for r in versions.releases)
    with closing(_Titles(writer.out.parent / "work")) if listed else nullcontext() as titles:
        for release in versions.releases:
            _write_changes(writer, versions, release, files[release.name], titles)
    for pruned in versions.pruned:
        _write_pruned_changes(writer, versions, pruned)


def _write_pruned_changes(writer: Writer, versions: Versions, pruned: Pruned) -> None:
    """Write the page of the changes of a release no longer kept: its changelog went with
    it, but the change feed still holds its activities, whose IRIs lead here
    (``id/feed/V/…``, :data:`nualod.site.paths.REWRITE_RULES`)."""
    for lang in ("id", "en"):
        where = Where(release_stem(pruned.version), lang)
        feed = f"{where.root}{DOWNLOAD_FOLDER}/feed/index.trig"
        body = (
            f'<p class="kicker"><a href="{where.page(VERSIONS_STEM)}">'
            f"{ew('versions', lang)}</a></p>"
            f"<h1>{e(word('version_of', lang).format(version=pruned.version))} "
            f'<span class="badge gone">{ew("not_kept", lang)}</span></h1>'
            f'<p class="notice">{ew("pruned_changes_note", lang)} '
            f'<a href="{feed}">{ew("change_feed", lang)}</a>.</p>'
            f'<dl class="facts"><dt>{ew("released", lang)}</dt>'
            f"<dd>{moment_html(pruned.moment, lang)}</dd>"
            f"<dt>{ew('kind_dataset', lang)}</dt>"
            f"<dd>{versions.version_link(where, pruned.version, named=True)}</dd></dl>"
        )
        title = f"{word('version_of', lang).format(version=pruned.version)} · " + word(
            "not_kept", lang
        )
        writer.page(where.stem, lang, title, body)


class _Change(NamedTuple):
    """One entry of a changelog: its kind, the practice, the fields that changed, what
    replaced it and, for a removed practice, the title it had (older changelogs give none)."""

    kind: str
    iri: str
    fields: tuple[str, ...]
    replaced_by: str | None
    title: str | None


#: The kinds of change a changelog lists, in the order the pages show them.
_KINDS: Final = ("added", "changed", "removed")


@dataclass(frozen=True, slots=True)
class _Changelog:
    """What the site needs of a ``changelog.json`` before its changes."""

    previous: str | None
    counts: dict[str, int] | None
    listed: int
    kinds: tuple[str, ...]


def _read_changelog(path: Path) -> _Changelog | None:
    """Return a changelog's predecessor, counts and how many changes it lists, read an entry
    at a time (a first release of a million practices lists them all); None when there is
    no changelog or it is not a JSON object."""
    previous: str | None = None
    counts: dict[str, int] | None = None
    listed = 0
    kinds: list[str] = []
    try:
        for name, value in object_members(path, _KINDS):
            if name in _KINDS:
                if name not in kinds:
                    kinds.append(name)
                listed += _change(name, value) is not None
            elif name == "from":
                previous = value if isinstance(value, str) else None
            elif name == "counts":
                counts = _counts(value)
    except (OSError, ValueError):
        return None
    return _Changelog(previous, counts, listed, tuple(kinds))


def _counts(value: object) -> dict[str, int] | None:
    if not isinstance(value, dict):
        return None
    try:
        return {str(k): int(v) for k, v in value.items()}
    except (TypeError, ValueError, OverflowError):  # JSON's Infinity is a float
        return None


def _change(kind: str, item: object) -> _Change | None:
    """Return one entry of a changelog's ``kind`` list as a change; None when it names no
    practice."""
    if not isinstance(item, dict):
        return None
    iri = item.get("iri")
    if not isinstance(iri, str) or not iri:
        return None
    fields = item.get("fields") if kind == "changed" else None
    by = item.get("replaced_by") if kind == "removed" else None
    title = item.get("title") if kind == "removed" else None
    return _Change(
        kind,
        iri,
        tuple(str(f) for f in fields) if isinstance(fields, list) else (),
        by if isinstance(by, str) else None,
        title if isinstance(title, str) and title.strip() else None,
    )


def _changes(release: Release) -> Iterator[_Change]:
    """Yield a release's changes, added then changed then removed, an entry at a time."""
    path = release.folder / "changelog.json"
    in_order = list(release.kinds) == sorted(release.kinds, key=_KINDS.index)
    # Our changelogs list the kinds in this order: one pass; another file, one per kind.
    passes = [frozenset(_KINDS)] if in_order else [frozenset({kind}) for kind in _KINDS]
    try:
        for kinds in passes:
            for name, value in object_members(path, _KINDS):
                if name in kinds and (change := _change(name, value)) is not None:
                    yield change
    except (OSError, ValueError):
        # Read whole by read_versions a moment ago; a page left short says what was read.
        return


class _Titles:
    """The titles of the practices by page stem, from the render's summary rows (the live
    ones) and its rows of removed ones, kept in tables on disk and asked for a page of
    changes at a time: a first release of a million practices lists them all, and their
    titles in a dictionary took hundreds of MB."""

    def __init__(self, work: Path) -> None:
        self._db = sqlite3.connect(work / "titles.sqlite")
        # Scratch tables, deleted with the work folder: nothing to recover after a crash.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        for table, rows in (
            ("titles", _summary_titles(work)),
            ("withdrawn", _withdrawn_titles(work)),
        ):
            self._db.execute(
                f"CREATE TABLE {table} (stem TEXT PRIMARY KEY, title TEXT) WITHOUT ROWID"
            )
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)

    def of(self, stems: Collection[str]) -> dict[str, str]:
        """Return the titles of those of ``stems`` that are live practices."""
        return self._found("titles", stems)

    def withdrawn(self, stems: Collection[str]) -> dict[str, str]:
        """Return the titles that those of ``stems`` that a release removed had."""
        return self._found("withdrawn", stems)

    def _found(self, table: str, stems: Collection[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        wanted = sorted(set(stems))
        # Well under SQLite's limit of variables in one statement.
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                self._db.execute(f"SELECT stem, title FROM {table} WHERE stem IN ({marks})", part)
            )
        return found

    def close(self) -> None:
        self._db.close()


def _summary_titles(work: Path) -> Iterator[tuple[str, str]]:
    """Yield each live practice's page stem and title from the render's summary rows."""
    for summary in sorted(work.glob("summary-*.tsv")):
        with summary.open(encoding="utf-8") as rows:
            for row in rows:
                columns = row.rstrip("\n").split("\t")
                if len(columns) >= 7:
                    yield columns[1], columns[6]


def _withdrawn_titles(work: Path) -> Iterator[tuple[str, str]]:
    """Yield each removed practice's page stem and the title it had."""
    for rows_file in sorted(work.glob(f"{WITHDRAWN_PREFIX}*.tsv")):
        with rows_file.open(encoding="utf-8") as rows:
            for row in rows:
                stem, _, title = row.rstrip("\n").partition("\t")
                if title:
                    yield stem, title


def _practice(
    writer: Writer,
    where: Where,
    iri: str,
    titles: dict[str, str],
    had: dict[str, str],
    stems: dict[str, str | None],
    pages: dict[str, str | None],
    was: str | None = None,
) -> str:
    """Return a practice of a changelog as HTML: its title (or, when it is not live, that it
    was withdrawn, with the title it had: ``was``, which the changelog keeps, else the one
    its tombstone keeps, in ``had``; else its key), linked to its page (or tombstone) when
    the site has one.

    ``stems`` has the :func:`site_path` of every practice the page names; ``pages`` remembers each IRI's
    page stem (None: no page) for the rest of the page (a replaced practice's successor is
    often named again).
    """
    named = stems[iri]
    if not was and named is not None:
        was = had.get(named)
    if iri in pages:
        stem = pages[iri]
    else:
        stem = named
        # A live practice has its page; another (a tombstone, or none) is looked for.
        if stem is not None and stem not in titles and not (writer.out / f"{stem}.html").is_file():
            stem = None
        pages[iri] = stem
    key = f"<code>{e(iri.rsplit('/', 1)[-1])}</code>"
    title = titles.get(stem) if stem is not None else None
    if title:
        text = f'<span lang="id">{e(title)}</span>'
    elif title is not None:  # live, with an empty title
        text = key
    elif was:
        text = f'{ew("withdrawn_practice", where.lang)} <span lang="id">{e(was)}</span>'
    else:
        text = f"{ew('withdrawn_practice', where.lang)} {key}"
    if stem is not None:
        return f'<a href="{where.page(stem)}">{text}</a>'
    return text


def _write_changes(
    writer: Writer,
    versions: Versions,
    release: Release,
    files: dict[str, str],
    titles: _Titles | None,
) -> None:
    stem = release_stem(release.version)
    pages = page_count(release.listed)
    size = lists.PAGE_SIZE  # read here: a test makes it small
    for lang in ("id", "en"):
        heading = e(word("version_of", lang).format(version=release.version))
        # Read again for each language, a page of changes at a time: a million are never
        # held at once, and the pages are written in the same order as the other lists'.
        changes = _changes(release)
        for number in range(1, pages + 1):
            chunk = list(islice(changes, size))
            # Each practice's stem is found once a page: the titles are looked up by it,
            # and the page links it.
            stems = {
                one: site_path(one, writer.site.base)
                for change in chunk
                for one in (change.iri, change.replaced_by)
                if one
            }
            wanted = [found for found in stems.values() if found is not None]
            shown = titles.of(wanted) if titles is not None and wanted else {}
            # A practice removed since: by the title its tombstone keeps.
            had = titles.withdrawn(wanted) if titles is not None and wanted else {}
            where = Where(stem if number == 1 else list_page_stem(stem, number), lang)
            top = (
                f'<p class="kicker"><a href="{where.page(VERSIONS_STEM)}">'
                f"{ew('versions', lang)}</a></p><h1>{heading}"
                + (
                    f' <strong class="badge">{ew("current_version", lang)}</strong>'
                    if release.version == versions.current
                    else ""
                )
                + "</h1>"
            )
            if number == 1:
                top += _release_facts(writer, where, versions, release, files)
            body = top + _change_lists(writer, where, chunk, shown, had, stems, release)
            body += pager(where, stem, number, pages)
            title = word("version_of", lang).format(version=release.version)
            if number > 1:
                title += f" · {word('page', lang)} {number}"
            writer.page(where.stem, lang, title, body)


def _release_facts(
    writer: Writer, where: Where, versions: Versions, release: Release, files: dict[str, str]
) -> str:
    lang = where.lang
    if release.previous is None:
        before = ew("first_release", lang)
    elif release.previous in versions.kept:
        before = versions.version_link(where, release.previous, named=True)
    else:
        before = ew("previous_not_kept", lang).format(
            version=versions.version_link(where, release.previous)
        )
    counts = release.counts
    summary = (
        " · ".join(
            f"{ew(k, lang)}: {grouped(counts.get(k, 0), lang)}"
            for k in ("added", "changed", "removed", "unchanged")
        )
        if counts is not None
        else f'<span class="unknown">{ew("no_changelog", lang)}</span>'
    )
    return (
        f'<dl class="facts"><dt>{ew("released", lang)}</dt><dd>{_moment(release, lang)}</dd>'
        f"<dt>{ew('previous_version', lang)}</dt><dd>{before}</dd>"
        f"<dt>{ew('changelog', lang)}</dt><dd>{summary}<br>{_changelog_links(where, files)}</dd>"
        f"<dt>{ew('catalog_entry', lang)}</dt><dd>{_catalog_link(writer, where, release, files)}</dd>"
        "</dl>"
    )


def _change_lists(
    writer: Writer,
    where: Where,
    chunk: list[_Change],
    titles: dict[str, str],
    had: dict[str, str],
    stems: dict[str, str | None],
    release: Release,
) -> str:
    lang = where.lang
    known: dict[str, str | None] = {}
    if not chunk:
        return f"<p>{ew('changes_none', lang)}</p>"
    counts = release.counts or {}
    parts: list[str] = []
    kind = ""
    for change_kind, iri, fields, by, was in chunk:
        if change_kind != kind:
            if kind:
                parts.append("</ul>")
            kind = change_kind
            total = counts.get(kind)
            count = f' <span class="count">({grouped(total, lang)})</span>' if total else ""
            parts.append(f'<h2>{ew(kind, lang)}{count}</h2><ul class="changes">')
        item = _practice(writer, where, iri, titles, had, stems, known, was)
        if fields:
            shown = ", ".join(_field_html(f, lang) for f in fields)
            item += f'<span class="meta">{ew("changed_fields", lang)}: {shown}</span>'
        if by:
            item += (
                f'<span class="meta">{ew("replaced_by_short", lang)} '
                f"{_practice(writer, where, by, titles, had, stems, known)}</span>"
            )
        parts.append(f"<li>{item}</li>")
    parts.append("</ul>")
    return "".join(parts)
