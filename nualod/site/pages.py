"""Pages of everything but the practices: regions, NUA, SDG and UNESCO concepts, the
vocabulary, catalog resources; the browse lists, the home page, search, sitemap, robots.txt,
VoID and the 404 page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO
from urllib.parse import urlsplit

import pyoxigraph as ox

from nualod.describe.schemaorg import signpost_links
from nualod.files.forked import ForkedCall
from nualod.model.iris import release_version
from nualod.model.namespaces import ADMS, EDTF, PROV, SPDX, VCARD, XSD
from nualod.model.resources import resource_bytes
from nualod.model.writing import grouped, moment_text, shortened
from nualod.site.context import (
    DCTERMS,
    NUA,
    ONTOLOGY,
    OWL,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    SDGO,
    SKOS,
    Context,
    best_text,
    is_sdg,
    is_unesco,
)
from nualod.site.html import (
    LANGUAGES,
    Where,
    count_of,
    count_word,
    decimal_text,
    e,
    ew,
    href,
    linked,
    relation_html,
    shell,
    signposts,
    word,
)
from nualod.site.lists import (
    Buckets,
    Row,
    chunks,
    list_page_stem,
    merged,
    page_count,
    pager,
    rows_html,
)
from nualod.site.paths import (
    CONTEXT_PATH,
    GONE_LIST,
    GONE_PAGES,
    NOT_FOUND_PAGES,
    VOCABULARY_BASE,
    gone_list_text,
    gone_prefixes,
    site_path,
)
from nualod.site.practices import SiteInfo, _write, concept_title, creative_badge, link, name
from nualod.site.rdf import compact, data_files, node_key, statement, value_of
from nualod.site.versions import (
    VERSIONS_STEM,
    feed_link,
    moment_html,
    series_of,
    write_versions,
)
from nualod.write.formats import BY_FILE_NAME
from nualod.write.jsonld import CONTEXT_RESOURCE
from nualod.write.plainjson import SCHEMA_ID, SCHEMA_NAME

#: The pages that answer errors, listed in no sitemap.
_ERROR_PAGES: Final = frozenset(found.page for found in (*NOT_FOUND_PAGES, *GONE_PAGES))
#: URLs per sitemap file (the protocol's limit).
SITEMAP_LIMIT: Final = 50_000
#: The parts of the list of pages the sitemap is written from, in the work folder.
SITEMAP_PART: Final = "sitemap-part-"
DCAT_VERSION: Final = "http://www.w3.org/ns/dcat#version"
_USED: Final = PROV + "used"
THEME_PREFIX: Final = "https://w3id.org/nualod/code/theme/"
INDICATOR_PREFIX: Final = "https://w3id.org/nualod/code/indicator/"


@dataclass
class Writer:
    """Writes the pages of the site and remembers every HTML page for the sitemap."""

    out: Path
    context: Context
    site: SiteInfo
    buckets: Buckets
    files: int = 0
    pages: int = 0
    #: The IRIs the site has pages for: only these are linked as pages.
    described: set[str] = field(default_factory=set)
    #: The IRI of each stem whose data files were written (:meth:`resource`), which its
    #: page names as the identifier to cite.
    iri_of_stem: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sitemap = self._sitemap_part(0)
        self.place_names: dict[str, dict[str, str]] = {
            lang: {
                code: name(self.context, region.iri, lang)
                for code, region in self.context.regions.items()
            }
            for lang in LANGUAGES
        }

    def write(self, relative: str, data: str | bytes) -> None:
        """Write one file of the site."""
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, data.encode("utf-8") if isinstance(data, str) else data)
        self.files += 1
        self.pages += relative.endswith(".html")
        if relative.endswith(".html") and relative not in _ERROR_PAGES:
            self.sitemap.write(relative + "\n")

    def resource(self, iri: str, triples: list[ox.Triple]) -> tuple[str, str] | None:
        """Write a resource's ``.ttl``, ``.nt`` and ``.jsonld``; return its stem and
        embeddable JSON."""
        stem = site_path(iri, self.site.base)
        if stem is None:
            return None
        files = data_files(self.context.described(iri, map(statement, triples)), iri)
        self.iri_of_stem[stem] = iri
        self.write(f"{stem}.ttl", files.turtle)
        self.write(f"{stem}.nt", files.ntriples)
        self.write(f"{stem}.jsonld", files.jsonld)
        return stem, files.script

    def page(
        self,
        stem: str,
        lang: str,
        title: str,
        body: str,
        *,
        data_json: str | None = None,
        description: str = "",
        section: str = "",
        head: str = "",
    ) -> None:
        """Write one HTML page (with its data files linked when it describes a resource, and
        ``head`` in its ``<head>``)."""
        where = Where(stem, lang)
        if data_json is not None:
            head += (
                f"{signposts(where, stem, self.iri_of_stem[stem])}"
                f'<script type="application/ld+json">{data_json}</script>\n'
            )
        self.write(
            where.file,
            shell(
                where,
                title,
                body,
                description=description,
                head=head,
                canonical=self.site.base_url + where.file,
                section=section,
                versions=bool(self.context.versions.current),
            ),
        )

    def plain_label(self, iri: str, lang: str) -> str:
        """Return a node's name as text (for titles)."""
        found = self.context.label(iri, lang)
        return found[0] if found else word("unknown", lang)

    def concept_label(self, iri: str, lang: str) -> str:
        """Return "Tema 10: name" as text."""
        notation = self.context.notation(iri)
        label = self.plain_label(iri, lang)
        if notation is None:
            return label
        if iri.startswith(THEME_PREFIX):
            return f"{word('theme', lang)} {notation}: {label}"
        if iri.startswith(INDICATOR_PREFIX):
            return f"{word('indicator', lang)} {notation}: {label}"
        if is_sdg(iri):
            return f"SDG {notation}: {label}"
        return label

    def short_label(self, iri: str, lang: str) -> str:
        """Return "Tema 10", "Indikator 47" or "SDG 4.3" as text: a concept's notation with
        its kind, or its name when it has no notation (a UNESCO concept)."""
        notation = self.context.notation(iri)
        if notation is None:
            return self.plain_label(iri, lang)
        if iri.startswith(THEME_PREFIX):
            return f"{word('theme', lang)} {notation}"
        if iri.startswith(INDICATOR_PREFIX):
            return f"{word('indicator', lang)} {notation}"
        if is_sdg(iri):
            return f"SDG {notation}"
        return self.plain_label(iri, lang)

    def practice_list(
        self,
        stem: str,
        lang: str,
        rows: Iterator[Row],
        total: int,
        head_html: str,
        title: str,
        data_json: str | None,
        section: str = "",
        *,
        heading: str,
    ) -> None:
        """Write a resource page whose body ends with a paged list of practices.

        ``heading`` is the HTML of the resource's name, its parts in another language marked
        with ``lang`` (the first page has it in ``head_html``): the later pages' heading and
        link back to the first.
        """
        pages = page_count(total)
        names = self.place_names[lang]
        count_heading = f'<h2>{ew("practices_title", lang)} <span class="count">({grouped(total, lang)})</span></h2>'
        if total == 0:
            self.page(
                stem,
                lang,
                title,
                head_html + count_heading + f"<p>{ew('none', lang)}</p>",
                data_json=data_json,
                section=section,
            )
            return
        shown = 0
        for number, chunk in enumerate(chunks(rows), start=1):
            where = Where(stem if number == 1 else list_page_stem(stem, number), lang)
            first = shown + 1
            shown += len(chunk)
            items = (
                f'<ol class="{list_class(shown)}" start="{first}">'
                f"{rows_html(where, chunk, names)}</ol>"
            )
            nav = pager(where, stem, number, pages)
            if number == 1:
                self.page(
                    stem,
                    lang,
                    title,
                    head_html + count_heading + items + nav,
                    data_json=data_json,
                    section=section,
                )
            else:
                back = f'<p class="kicker"><a href="{where.page(stem)}">{heading}</a></p>'
                self.page(
                    where.stem,
                    lang,
                    f"{title} · {word('page', lang)} {number}",
                    back + f"<h1>{heading}</h1>" + count_heading + items + nav,
                    section=section,
                )

    def _sitemap_part(self, number: int) -> TextIO:
        """Open part ``number`` of the sitemap's list (:func:`_sitemap_paths` reads the
        parts in order)."""
        return (self.out.parent / "work" / f"{SITEMAP_PART}{number:02d}.txt").open(
            "w", encoding="utf-8"
        )

    def next_part(self, number: int) -> None:
        """List the pages written from now on in part ``number`` of the sitemap's list (the
        parts between are another process's)."""
        self.sitemap.close()
        self.sitemap = self._sitemap_part(number)

    def close(self) -> None:
        """Close the sitemap list."""
        self.sitemap.close()


def write_all(
    out: Path, context: Context, site: SiteInfo, buckets: Buckets, published: Path
) -> tuple[int, int]:
    """Write every page but the practices'; return the numbers of files and of pages."""
    writer = Writer(out, context, site, buckets)
    try:
        index = ConceptIndex.build(context, buckets)
        writer.described = {
            *(r.iri for r in context.regions.values()),
            *index.themes,
            *index.indicators,
            *index.sdg,
            *index.unesco,
            *(a.iri for a in context.alignments),
            "https://w3id.org/nualod/code/theme",
            "https://w3id.org/nualod/code/indicator",
            ONTOLOGY,
            *(s for s in context.triples if s.startswith(NUA)),
            *_catalog_documents(writer),
            *_rights_statements(writer),
            *(v.value for v in context.values(ONTOLOGY, OWL + "versionIRI")),
            *_software_agents(writer),
            *(p.iri for p in context.versions.pruned if p.version in context.versions.pruned_stems),
        }
        earlier = _earlier_catalogs(writer)
        writer.described.update(iri for release in earlier for iri in release.documents)
        # Two steps (in parts 1 and 3 of the sitemap's list) in a process of their own, the
        # others here (in parts 0, 2 and 4), so the sitemap lists them in this order.
        beside = (
            _Step(1, lambda: _sdg_and_unesco(writer, index)),
            _Step(3, lambda: write_versions(writer)),
        )
        with _steps_beside(writer, beside) as side:
            _regions(writer, index)
            _nua_concepts(writer, index)
            writer.next_part(2)
            _rights(writer)
            _vocabulary(writer, index)
            _catalog(writer, earlier)
            _catalog_pages(writer, context, _software_agents(writer))
            _pruned_versions(writer)
            _browse(writer, index)
            _home(writer, index, published)
            _search_page(writer)
            writer.next_part(4)
            _queries(writer)
            _statics(writer, published)
            files, pages = side.result()
        writer.files += files
        writer.pages += pages
    finally:
        writer.close()
    _sitemaps(writer)
    return writer.files, writer.pages


class _Step(NamedTuple):
    """A step of :func:`write_all` and the part of the sitemap's list its pages go in."""

    part: int
    write: Callable[[], object]


@contextmanager
def _steps_beside(
    writer: Writer, steps: tuple[_Step, ...]
) -> Iterator[ForkedCall[tuple[int, int]]]:
    """Run ``steps`` in a process of their own while the block writes the other pages;
    yield what gives the numbers of files and pages they wrote.

    The pages of SDG and UNESCO concepts list every practice that reaches each, and a first
    release's changes name every practice: at a million these are minutes of work that the
    other core can take while this one writes the rest.
    """
    writer.sitemap.flush()  # what this process listed is not written again by the fork
    side = ForkedCall(partial(_run_steps_beside, writer, steps))
    try:
        yield side
    finally:
        side.stop()


def _run_steps_beside(writer: Writer, steps: tuple[_Step, ...]) -> tuple[int, int]:
    writer.files = writer.pages = 0
    try:
        for step in steps:
            writer.next_part(step.part)
            step.write()
    finally:
        writer.close()
    return writer.files, writer.pages


@dataclass
class ConceptIndex:
    """Which SDG and UNESCO concepts the data links to, and which practices reach each."""

    themes: list[str]
    indicators: list[str]
    sdg: list[str]
    goals: list[str]
    unesco: list[str]
    files_for: dict[str, list[Path]]
    counts: dict[str, int]

    @classmethod
    def build(cls, context: Context, buckets: Buckets) -> ConceptIndex:
        """Index the concepts from the vocabulary, the alignments and the bucket counts."""
        themes = sorted(s for s in context.triples if s.startswith(THEME_PREFIX))
        indicators = sorted(
            (s for s in context.triples if s.startswith(INDICATOR_PREFIX)),
            key=lambda i: int(i.rsplit("/", 1)[1]) if i.rsplit("/", 1)[1].isdigit() else 0,
        )
        sdg: set[str] = set()
        unesco: set[str] = set()
        for alignment in context.alignments:
            target = alignment.target
            if is_sdg(target):
                current: str | None = target
                while current and current not in sdg:
                    sdg.add(current)
                    broader = context.iris(current, SKOS + "broader")
                    current = broader[0] if broader else None
            elif is_unesco(target):
                unesco.add(target)
        goals = [s for s in context.triples if SDGO + "Goal" in context.types(s)]
        sdg.update(goals)
        files_for: dict[str, list[Path]] = {}
        counts: dict[str, int] = {}
        for indicator, count in buckets.by_indicator.items():
            concepts = {indicator, *buckets.indicator_theme.get(indicator, set())}
            reached: set[str] = set()
            for concept in concepts:
                for alignment in context.aligned_from.get(concept, ()):
                    target = alignment.target
                    reached.add(target)
                    goal = context.goal_of(target) if is_sdg(target) else None
                    if goal:
                        reached.add(goal)
            for target in reached:
                files_for.setdefault(target, []).append(buckets.indicator_file(indicator))
                counts[target] = counts.get(target, 0) + count
        key = _notation_key(context)
        return cls(
            themes,
            indicators,
            sorted(sdg, key=key),
            sorted(goals, key=key),
            sorted(unesco, key=lambda u: (context.label(u, "en") or ("", ""))[0].lower()),
            files_for,
            counts,
        )


def _notation_key(context: Context) -> Any:
    def key(iri: str) -> tuple[tuple[int, str], ...]:
        notation = context.notation(iri) or iri.rsplit("/", 1)[-1]
        return tuple((int(p), "") if p.isdigit() else (999, p) for p in notation.split("."))

    return key


def _statements(
    writer: Writer,
    where: Where,
    iri: str,
    children: list[str] | None = None,
    context: Context | None = None,
) -> str:
    """Return a table of a node's statements (and its hash nodes', ``children`` when they
    are not the graphs'), values linked; from ``context`` when given (an earlier version's
    catalog, :func:`_earlier_catalogs`), else the site's."""
    context = context or writer.context
    lang = where.lang
    rows = []
    hashes = context.children.get(iri, []) if children is None else children
    for subject in [iri, *hashes]:
        who = "" if subject == iri else f"<small>#{e(subject.split('#', 1)[1])}</small> "
        node_triples = context.node(subject)
        used = 0
        if release_version(subject) is not None:
            # A run's input pages are counted, not listed (:func:`_run_of`).
            listed = [t for t in node_triples if t.predicate.value != _USED]
            used = len(node_triples) - len(listed)  # the run's pages are each used once
            node_triples = listed
        # One subject, in file order: only repeats to drop.
        for triple in dict.fromkeys(node_triples):
            value = _value_html(writer, where, context, triple.object)
            rows.append(
                f'<tr><th scope="row">{who}<code>{e(shown_name(triple.predicate.value))}</code>'
                f"</th><td>{value}</td></tr>"
            )
        if used:
            said = ew("run_used", lang).format(count=grouped(used, lang))
            rows.append(f'<tr><th scope="row">{who}<code>prov:used</code></th><td>{said}</td></tr>')
    if not rows:
        return ""
    return (
        f'<details class="statements"><summary>{ew("statements", lang)}</summary>'
        '<div class="scroll"><table>'
        f'<thead><tr><th scope="col">{ew("property", lang)}</th><th '
        f'scope="col">{ew("value", lang)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></details>"
    )


def _value_html(writer: Writer, where: Where, context: Context, obj: object, depth: int = 0) -> str:
    """Return a statement's value as a page shows it: a resource linked by its name, a
    text in its language, a number as the language writes it, and a blank node (a VoID
    partition, a checksum, a period) by its own statements, not by its label."""
    lang = where.lang
    if isinstance(obj, ox.NamedNode):
        stem = site_path(obj.value, writer.site.base)
        if stem is not None and obj.value in writer.described:
            # As the linked page's heading names it: its name, or words saying the name is
            # not known, after its notation.
            shown = concept_title(context, obj.value, lang)
            for version in context.values(obj.value, DCAT_VERSION):
                # A version of the dataset has the series' title: and its number.
                named = word("version_of", lang).format(version=version.value)
                shown += f" · {e(named)}"
            return f'<a href="{where.page(stem)}">{shown}</a>'
        if context.label(obj.value, lang):
            shown = concept_title(context, obj.value, lang)
            return f'<a href="{href(obj.value)}" rel="nofollow">{shown}</a>'
        # Nothing names it: its prefixed name, else the IRI itself.
        shown_iri = shown_name(obj.value)
        url = ' class="url"' if shown_iri == obj.value else ""
        return f'<a href="{href(obj.value)}" rel="nofollow"{url}>{e(shown_iri)}</a>'
    if isinstance(obj, ox.Literal):
        if obj.datatype.value in _NUMBERS:
            return f'<data value="{e(obj.value)}">{e(decimal_text(obj.value, lang))}</data>'
        if obj.datatype.value in _MOMENTS:
            # As the page's language writes it; the value stays ISO 8601 for machines.
            return f'<time datetime="{e(obj.value)}">{e(moment_text(obj.value, lang))}</time>'
        value = e(obj.value)
        if obj.value.startswith(("https://", "http://")) and " " not in obj.value:
            # A URL written as text (dcterms:identifier) may break anywhere too.
            value = f'<span class="url">{value}</span>'
        if obj.language:
            value = (
                f'<span lang="{e(obj.language)}">{value}</span> <small>@{e(obj.language)}</small>'
            )
        return value
    if isinstance(obj, ox.BlankNode) and depth < _INLINE_DEPTH:
        # Its label (_:class1) means nothing to a reader: what it says does.
        said = [
            f"<code>{e(shown_name(t.predicate.value))}</code> "
            + _value_html(writer, where, context, t.object, depth + 1)
            for t in dict.fromkeys(context.node("_:" + obj.value))
        ]
        if said:
            return '<span class="node">' + " · ".join(said) + "</span>"
    return e(str(obj))


#: Blank nodes shown inside a value, at most this deep (VoID's partitions are one deep).
_INLINE_DEPTH: Final = 2
#: Literals written as dates in the page's language (18 Desember 2025).
_MOMENTS: Final = frozenset({XSD + "date", XSD + "dateTime"})
#: Literals written as numbers in the page's language (1.234 / 1,234).
_NUMBERS: Final = frozenset(
    XSD + name for name in ("integer", "decimal", "nonNegativeInteger", "positiveInteger")
)


#: Prefixes the pages show beyond those of the data files (:data:`nualod.site.rdf.PREFIXES`,
#: which the files' JSON-LD contexts are made of): the catalog's vocabularies.
_SHOWN_PREFIXES: Final = (
    ("vcard", VCARD),
    ("adms", ADMS),
    ("spdx", SPDX),
    ("edtf", EDTF),
    # The alignments' SSSOM justifications.
    ("sssom", "https://w3id.org/sssom/"),
    ("semapv", "https://w3id.org/semapv/vocab/"),
)


def shown_name(iri: str) -> str:
    """Return an IRI as a page shows it: a prefixed name when a prefix is known.

    >>> shown_name("http://www.w3.org/2006/vcard/ns#fn"), shown_name("https://schema.org/name")
    ('vcard:fn', 'schema:name')
    """
    found = compact(iri)
    if found != iri:
        return found
    for prefix, namespace in _SHOWN_PREFIXES:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-" for c in local):
                return f"{prefix}:{local}"
    return iri


def _data_links(where: Where, iri: str) -> str:
    lang = where.lang
    stem = where.stem
    return (
        f'<p class="iri">{ew("identifier", lang)}: <code>{e(iri)}</code> · {ew("data_as", lang)} '
        f'<a href="{where.data(stem, "ttl")}" type="text/turtle">Turtle</a> · '
        f'<a href="{where.data(stem, "jsonld")}" type="application/ld+json">JSON-LD</a> · '
        f'<a href="{where.data(stem, "nt")}" type="application/n-triples">N-Triples</a></p>'
    )


def _regions(writer: Writer, index: ConceptIndex) -> None:
    context = writer.context
    buckets = writer.buckets
    children: dict[str, list[str]] = {}
    for code, region in context.regions.items():
        if region.province:
            children.setdefault(region.province, []).append(code)
    for code in sorted(context.regions):
        region = context.regions[code]
        made = writer.resource(region.iri, context.description(region.iri))
        if made is None:
            continue
        stem, data_json = made
        for lang in LANGUAGES:
            where = Where(stem, lang)
            title = writer.plain_label(region.iri, lang)
            kind = word(region.kind, lang)
            heading = name(context, region.iri, lang)
            top = (
                f'<p class="kicker">{e(kind)} · {ew("kemendagri", lang)} {e(code)}</p>'
                f"<h1>{heading}</h1>"
            )
            if region.province:
                province = link(where, context, region.province, writer.site.base)
                top += f'<p class="place">{ew("province", lang)}: {province}</p>'
            top += creative_badge(where, context, region.iri)
            same = context.iris(region.iri, OWL + "sameAs")
            if same:
                top += (
                    f"<p>{ew('same_as', lang)}: "
                    + " · ".join(
                        f'<a href="{href(s)}" rel="nofollow">{e(source_name(s, lang))}</a>'
                        for s in same
                    )
                    + "</p>"
                )
            top += _data_links(where, region.iri) + _statements(writer, where, region.iri)
            if region.kind == "provinsi":
                codes = sorted(children.get(region.iri, []))
                total = sum(buckets.by_region.get(c, 0) for c in codes)
                items = "".join(
                    '<li><a href="'
                    f'{where.page(site_path(context.regions[c].iri, writer.site.base) or "")}">'
                    f"{writer.place_names[lang][c]}</a> "
                    f'<span class="count">{grouped(buckets.by_region.get(c, 0), lang)}</span></li>'
                    for c in codes
                )
                body = (
                    top
                    + f'<h2>{ew("regions", lang)} <span class="count">'
                    + f"({count_of(total, 'practices', lang)})</span></h2>"
                    + f'<ul class="columns">{items}</ul>'
                )
                writer.page(stem, lang, title, body, data_json=data_json, section="browse/province")
            else:
                count = buckets.by_region.get(code, 0)
                rows = merged([buckets.region_file(code)]) if count else iter(())
                writer.practice_list(
                    stem,
                    lang,
                    rows,
                    count,
                    top,
                    title,
                    data_json,
                    section="browse/province",
                    heading=heading,
                )


def _alignment_list(writer: Writer, where: Where, alignments: list[Any], *, towards: bool) -> str:
    """Return alignments as a list: to their targets (towards) or from their sources."""
    context = writer.context
    lang = where.lang
    if not alignments:
        return f"<p>{ew('no_alignment', lang)}</p>"
    items = []
    for alignment in alignments:
        other = alignment.target if towards else alignment.source
        relation = compact(alignment.relation)
        comment = (
            alignment.comments.get(lang)
            or alignment.comments.get("en")
            or alignment.comments.get("", "")
        )
        comment_lang = lang if alignment.comments.get(lang) else "en"
        stem = site_path(alignment.iri, writer.site.base)
        why = (
            f' <a class="why" href="{where.page(stem)}">{ew("justification_link", lang)}</a>'
            if stem
            else ""
        )
        items.append(
            f"<li>{relation_html(relation, lang)} "
            f"{link(where, context, other, writer.site.base, concept_title(context, other, lang))}"
            + (
                f'<br><span class="why-text" lang="{comment_lang}">{e(comment)}</span>'
                if comment
                else ""
            )
            + f"{why}</li>"
        )
    return f'<ul class="alignments">{"".join(items)}</ul>'


def _nua_concepts(writer: Writer, index: ConceptIndex) -> None:
    context = writer.context
    buckets = writer.buckets
    base = writer.site.base
    for scheme, members in (
        ("https://w3id.org/nualod/code/theme", index.themes),
        ("https://w3id.org/nualod/code/indicator", index.indicators),
    ):
        made = writer.resource(scheme, context.description(scheme))
        if made is None:
            continue
        stem, data_json = made
        for lang in LANGUAGES:
            where = Where(stem, lang)
            items = "".join(
                f"<li>{link(where, context, m, base, concept_title(context, m, lang))} <span "
                'class="count">'
                f"{grouped((buckets.by_theme if m in index.themes else buckets.by_indicator).get(m, 0), lang)}<"
                "/span></li>"
                for m in members
            )
            definition = context.text(scheme, SKOS + "definition", lang)
            body = (
                f'<p class="kicker">{ew("schemes", lang)}</p><h1>{name(context, scheme, lang)}</h1>'
                + (f"<p>{e(definition[0])}</p>" if definition else "")
                + _data_links(where, scheme)
                + f'<ul class="concepts">{items}</ul>'
                + _statements(writer, where, scheme)
            )
            writer.page(
                stem,
                lang,
                writer.plain_label(scheme, lang),
                body,
                data_json=data_json,
                section="browse/theme",
            )
    indicators_of: dict[str, list[str]] = {}
    for indicator in index.indicators:
        for broader in context.iris(indicator, SKOS + "broader"):
            indicators_of.setdefault(broader, []).append(indicator)
    for concept in [*index.themes, *index.indicators]:
        made = writer.resource(concept, context.description(concept))
        if made is None:
            continue
        stem, data_json = made
        is_theme = concept in index.themes
        for lang in LANGUAGES:
            where = Where(stem, lang)
            title = writer.concept_label(concept, lang)
            heading = concept_title(context, concept, lang)
            top = (
                f'<p class="kicker">{ew("nua_theme" if is_theme else "nua_indicator", lang)}</p>'
                f"<h1>{heading}</h1>"
            )
            if not is_theme:
                for broader in context.iris(concept, SKOS + "broader"):
                    title_html = concept_title(context, broader, lang)
                    top += f"<p>{ew('theme', lang)}: {link(where, context, broader, base, title_html)}</p>"
            top += _data_links(where, concept)
            top += f"<h2>{ew('aligned_with', lang)}</h2>" + _alignment_list(
                writer, where, context.aligned_from.get(concept, []), towards=True
            )
            top += _statements(writer, where, concept)
            if is_theme:
                items = "".join(
                    f"<li>{link(where, context, i, base, concept_title(context, i, lang))} <span "
                    f'class="count">{grouped(buckets.by_indicator.get(i, 0), lang)}</span></li>'
                    for i in indicators_of.get(concept, [])
                )
                total = buckets.by_theme.get(concept, 0)
                body = (
                    top
                    + f'<h2>{ew("indicators", lang)} <span class="count">'
                    + f"({count_of(total, 'practices', lang)})</span></h2>"
                    + f'<ul class="concepts">{items or "<li>" + ew("no_indicators", lang) + "</li>"}</ul>'
                )
                writer.page(stem, lang, title, body, data_json=data_json, section="browse/theme")
            else:
                count = buckets.by_indicator.get(concept, 0)
                rows = merged([buckets.indicator_file(concept)]) if count else iter(())
                writer.practice_list(
                    stem,
                    lang,
                    rows,
                    count,
                    top,
                    title,
                    data_json,
                    section="browse/theme",
                    heading=heading,
                )
    for alignment in context.alignments:
        made = writer.resource(alignment.iri, context.description(alignment.iri))
        if made is None:
            continue
        stem, data_json = made
        for lang in LANGUAGES:
            where = Where(stem, lang)
            comment = alignment.comments.get(lang) or alignment.comments.get("en", "")
            body = (
                f'<p class="kicker">{ew("justification", lang)}</p>'
                f"<h1>{concept_title(context, alignment.source, lang)} → "
                f"{concept_title(context, alignment.target, lang)}</h1>"
                f"<p>{link(where, context, alignment.source, base, concept_title(context, alignment.source, lang))} "
                f"{relation_html(compact(alignment.relation), lang)} "
                f"{link(where, context, alignment.target, base, concept_title(context, alignment.target, lang))}</p>"
                + (
                    "<blockquote "
                    f'lang="{lang if alignment.comments.get(lang) else "en"}">{e(comment)}</blockq'
                    "uote>"
                    if comment
                    else ""
                )
                + _data_links(where, alignment.iri)
                + _statements(writer, where, alignment.iri)
            )
            # Named by what it aligns, not "Alasan" alone, the same for all (WCAG 2.4.2).
            source = writer.short_label(alignment.source, lang)
            target = writer.short_label(alignment.target, lang)
            writer.page(
                stem,
                lang,
                f"{word('justification', lang)}: {source} → {target}",
                body,
                data_json=data_json,
                # The menu marks the scheme the alignment leads to.
                section="browse/unesco" if is_unesco(alignment.target) else "browse/sdg",
            )


def _sdg_and_unesco(writer: Writer, index: ConceptIndex) -> None:
    context = writer.context
    base = writer.site.base
    for concept in [*index.sdg, *index.unesco]:
        triples = context.description(concept)
        if not triples:
            continue
        made = writer.resource(concept, triples)
        if made is None:
            continue
        stem, data_json = made
        sdg = is_sdg(concept)
        types = context.types(concept)
        kind = (
            "goal"
            if SDGO + "Goal" in types
            else "target"
            if SDGO + "Target" in types
            else "sdg_indicator"
            if sdg
            else "unesco_concept"
        )
        for lang in LANGUAGES:
            where = Where(stem, lang)
            title = writer.concept_label(concept, lang)
            heading = concept_title(context, concept, lang)
            top = (
                f'<p class="kicker">{ew(kind, lang)}{" · UN SDG" if sdg else ""}</p>'
                f"<h1>{heading}</h1>"
            )
            definition = context.text(concept, SKOS + "definition", lang)
            if definition:
                top += f'<p lang="{definition[1] or lang}">{e(definition[0])}</p>'
            for broader in context.iris(concept, SKOS + "broader"):
                if site_path(broader, base) and (broader in index.sdg or broader in index.unesco):
                    title_html = concept_title(context, broader, lang)
                    top += f"<p>{ew('broader', lang)}: {link(where, context, broader, base, title_html)}</p>"
            narrower = [n for n in context.iris(concept, SKOS + "narrower") if n in index.sdg]
            if narrower:
                top += (
                    f"<h2>{ew('narrower_linked', lang)}</h2><ul>"
                    + "".join(
                        f"<li>{link(where, context, n, base, concept_title(context, n, lang))}</li>"
                        for n in sorted(narrower, key=_notation_key(context))
                    )
                    + "</ul>"
                )
            top += (
                f'<p class="iri">{ew("see_also", lang)}: <a href="{href(concept)}" '
                f'rel="nofollow">{e(source_name(concept, lang))}</a></p>'
            )
            top += _data_links(where, concept)
            top += f"<h2>{ew('aligned_from', lang)}</h2>" + _alignment_list(
                writer, where, context.aligned_to.get(concept, []), towards=False
            )
            top += _statements(writer, where, concept)
            count = index.counts.get(concept, 0)
            rows = merged(index.files_for.get(concept, [])) if count else iter(())
            section = "browse/sdg" if sdg else "browse/unesco"
            writer.practice_list(
                stem, lang, rows, count, top, title, data_json, section=section, heading=heading
            )


def source_name(iri: str, lang: str) -> str:
    """Return how a link to another source's page about a resource reads: the source and
    the resource's identifier there, not the IRI (which the page gives on its own line).

    >>> source_name("http://www.wikidata.org/entity/Q2140", "id")
    'Wikidata Q2140'
    >>> source_name("https://sws.geonames.org/1213642/", "en")
    'GeoNames 1213642'
    >>> source_name("http://metadata.un.org/sdg/12", "en")
    'UN SDG KOS'
    >>> source_name("http://vocabularies.unesco.org/thesaurus/concept443", "id")
    'Tesaurus UNESCO'
    >>> source_name("https://example.org/x", "en")
    'https://example.org/x'
    """
    for prefix, source in _KEYED_SOURCES:
        if iri.startswith(prefix):
            return f"{source} {iri.removeprefix(prefix).strip('/')}"
    if is_sdg(iri):
        return "UN SDG KOS"
    if is_unesco(iri):
        return word("unesco_thesaurus", lang)
    return iri


#: Sources named with the resource's key there, by the start of their IRIs.
_KEYED_SOURCES: Final = (
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("https://sws.geonames.org/", "GeoNames"),
    ("http://sws.geonames.org/", "GeoNames"),
)


def _rights_statements(writer: Writer) -> list[str]:
    """Return the rights statements of the published data under our IRIs (those of the SDG KOS
    and of the UNESCO Thesaurus excerpt, ``code/rights/...``), which get pages."""
    base = writer.site.base
    return sorted(
        subject
        for subject in writer.context.triples
        if RIGHTS_STATEMENT in writer.context.types(subject) and site_path(subject, base)
    )


def _rights(writer: Writer) -> None:
    """A page for each rights statement of the published data: its text, as the catalog's."""
    for iri in _rights_statements(writer):
        made = writer.resource(iri, writer.context.description(iri))
        if made is None:
            continue
        stem, data_json = made
        for lang in LANGUAGES:
            where = Where(stem, lang)
            statement = writer.context.label(iri, lang)
            heading = f"<h1>{ew('kind_rights', lang)}</h1>" + (
                f'<p class="lead" lang="{e(statement[1])}">{e(statement[0])}</p>'
                if statement is not None
                else ""
            )
            body = (
                heading
                + _data_links(where, iri)
                + _statements(writer, where, iri).replace("<details", "<details open")
            )
            writer.page(stem, lang, word("kind_rights", lang), body, data_json=data_json)


def _vocabulary(writer: Writer, index: ConceptIndex) -> None:
    context = writer.context
    base = writer.site.base
    terms = sorted(s for s in context.triples if s.startswith(NUA))
    classes = [
        t for t in terms if OWL + "Class" in context.types(t) or RDFS + "Class" in context.types(t)
    ]
    properties = [t for t in terms if t not in classes]
    whole = list(context.description(ONTOLOGY))
    for term in terms:
        whole.extend(context.triples.get(term, []))
    made = writer.resource(ONTOLOGY, whole)
    for term in terms:
        term_made = writer.resource(term, context.triples.get(term, []))
        if term_made is None:
            continue
        stem, data_json = term_made
        for lang in LANGUAGES:
            where = Where(stem, lang)
            body = (
                _term_html(writer, where, term, heading="h1")
                + _data_links(where, term)
                + _statements(writer, where, term)
            )
            body = (
                f'<p class="kicker"><a href="{where.page("def")}">{ew("vocabulary", lang)}</a></p>'
                + body
            )
            writer.page(
                stem, lang, f"nua:{term[len(NUA) :]}", body, data_json=data_json, section="def"
            )
    if made is None:
        return
    stem, data_json = made
    for lang in LANGUAGES:
        where = Where(stem, lang)
        title = writer.plain_label(ONTOLOGY, lang)
        description = context.text(ONTOLOGY, DCTERMS + "description", lang)
        version = context.values(ONTOLOGY, OWL + "versionInfo")
        toc = (
            # Labelled, its two lists named by words, not headings: the page's own headings
            # "Kelas" and "Properti" came twice in a screen reader's list of headings.
            f'<nav class="toc" aria-label="{ew("contents", lang)}"><div><p class="toc-head">'
            f"{ew('classes', lang)}</p><ul>"
            + "".join(
                f'<li><a href="#{e(t[len(NUA) :])}">nua:{e(t[len(NUA) :])}</a></li>'
                for t in classes
            )
            + f'</ul></div><div><p class="toc-head">{ew("properties", lang)}</p><ul>'
            + "".join(
                f'<li><a href="#{e(t[len(NUA) :])}">nua:{e(t[len(NUA) :])}</a></li>'
                for t in properties
            )
            + "</ul></div></nav>"
        )
        body = (
            f'<p class="kicker">{ew("vocabulary", lang)} · <code>{e(NUA)}</code>'
            + (f' · <span class="version">v{e(version[0].value)}</span>' if version else "")
            + f"</p><h1>{e(title)}</h1>"
            + (f'<p class="lead">{e(description[0])}</p>' if description else "")
            + _data_links(where, ONTOLOGY)
            + toc
            + f"<h2>{ew('classes', lang)}</h2>"
            + "".join(_term_html(writer, where, t) for t in classes)
            + f"<h2>{ew('properties', lang)}</h2>"
            + "".join(_term_html(writer, where, t) for t in properties)
            + f"<h2>{ew('schemes', lang)}</h2><ul>"
            + f"<li>{link(where, context, 'https://w3id.org/nualod/code/theme', base)}</li>"
            + f"<li>{link(where, context, 'https://w3id.org/nualod/code/indicator', base)}</li></ul>"
            + _schemes_table(writer, where, index)
        )
        writer.page(stem, lang, title, body, data_json=data_json, section="def")
    _vocabulary_versions(writer, stem, whole)


def _vocabulary_versions(writer: Writer, ontology_stem: str, whole: list[ox.Triple]) -> None:
    """The vocabulary's version IRI (``owl:versionIRI``, ``def/0.1.0``) answers with the
    vocabulary as it is in this version, the one the site documents, and a page saying so."""
    context = writer.context
    for version_iri in context.values(ONTOLOGY, OWL + "versionIRI"):
        made = writer.resource(version_iri.value, whole)
        if made is None:
            continue
        stem, data_json = made
        version = version_iri.value.rsplit("/", 1)[-1]
        for lang in LANGUAGES:
            where = Where(stem, lang)
            title = f"{writer.plain_label(ONTOLOGY, lang)} · {word('version_of', lang).format(version=version)}"
            body = (
                f'<p class="kicker">{ew("vocabulary", lang)} · <span class="version">v{e(version)}'
                f"</span></p><h1>{e(title)}</h1>"
                f'<p class="notice">{ew("vocabulary_version_note", lang)} '
                f'<a href="{where.page(ontology_stem)}">{e(writer.plain_label(ONTOLOGY, lang))}</a></p>'
                + _data_links(where, version_iri.value)
            )
            writer.page(stem, lang, title, body, data_json=data_json, section="def")


def _software_agents(writer: Writer) -> dict[str, list[ox.Triple]]:
    """Return the versions of nualod that the provenance names as the software agent of a
    run (``prov:wasAssociatedWith``, ``…/agent/nualod-software/0.1.0``), each with its
    triples: each gets a page."""
    return {
        subject: triples
        for subject, triples in writer.context.triples.items()
        if subject.startswith(writer.site.base)
        and any(
            t.predicate.value == RDF_TYPE and value_of(t.object) == PROV + "SoftwareAgent"
            for t in triples
        )
    }


def _term_html(writer: Writer, where: Where, term: str, heading: str = "h3") -> str:
    context = writer.context
    lang = where.lang
    local = term[len(NUA) :]
    parts = [f'<section class="term" id="{e(local)}"><{heading}>nua:{e(local)}</{heading}><dl>']
    for label_lang in ("id", "en"):
        labels = [
            v.value
            for v in context.values(term, RDFS + "label")
            if isinstance(v, ox.Literal) and v.language == label_lang
        ]
        definitions = [
            v.value
            for v in context.values(term, SKOS + "definition")
            if isinstance(v, ox.Literal) and v.language == label_lang
        ]
        parts.append(
            f"<dt>{ew('label', lang)} ({label_lang})</dt><dd "
            f'lang="{label_lang}">{e(labels[0]) if labels else ew("unknown", lang)}</dd>'
            f"<dt>{ew('definition', lang)} ({label_lang})</dt><dd "
            f'lang="{label_lang}">{e(definitions[0]) if definitions else "—"}</dd>'
        )
    # One term and all its values (a class's two superclasses): a name given twice in one
    # list reads as two facts.
    values: dict[str, list[str]] = {}
    for predicate, key in (
        (RDFS + "subClassOf", "subclass"),
        (RDFS + "subPropertyOf", "subproperty"),
        (RDFS + "domain", "domain"),
        (RDFS + "range", "range"),
        (SCHEMA + "domainIncludes", "domain"),
        (SCHEMA + "rangeIncludes", "range"),
    ):
        for value in context.iris(term, predicate):
            stem = site_path(value, writer.site.base) if value in writer.described else None
            values.setdefault(key, []).append(
                f'<a href="{where.page(stem)}">{e(compact(value))}</a>'
                if stem
                else f'<a href="{href(value)}" rel="nofollow">{e(compact(value))}</a>'
            )
    for key, shown in values.items():
        parts.append(f"<dt>{ew(key, lang)}</dt>" + "".join(f"<dd>{s}</dd>" for s in shown))
    types = ", ".join(e(compact(t)) for t in sorted(context.types(term)))
    parts.append(f"<dt>rdf:type</dt><dd>{types}</dd></dl>")
    stem = site_path(term, writer.site.base)
    if heading != "h1" and stem:
        parts.append(f'<p><a href="{where.page(stem)}">{e(term)}</a></p>')
    parts.append("</section>")
    return "".join(parts)


def _schemes_table(writer: Writer, where: Where, index: ConceptIndex) -> str:
    context = writer.context
    lang = where.lang
    base = writer.site.base
    rows = []
    for concept in [*index.themes, *index.indicators]:
        targets = (
            "; ".join(
                f"{relation_html(compact(a.relation), lang)} "
                f"{link(where, context, a.target, base, concept_title(context, a.target, lang))}"
                for a in context.aligned_from.get(concept, [])
            )
            or "—"
        )
        rows.append(
            '<tr><th scope="row">'
            f"{link(where, context, concept, base, concept_title(context, concept, lang))}</th><td"
            f">{targets}</td></tr>"
        )
    return (
        '<div class="scroll"><table class="schemes"><thead><tr><th scope="col">NUA</th><th '
        f'scope="col">{ew("aligned_with", lang)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _catalog_documents(writer: Writer) -> list[str]:
    """Return the catalog's and VoID's resources under our base that get pages."""
    context = writer.context
    return sorted(_documents(writer, context, (context.catalog, context.void)))


def _documents(
    writer: Writer, context: Context, tables: tuple[dict[str, list[ox.Triple]], ...]
) -> dict[str, list[ox.Triple]]:
    """Return the resources of catalog tables (the catalog's and VoID's) that get pages:
    their document IRIs under our base that the graphs do not describe, each with its
    triples and its hash nodes', and those of the blank nodes they point at."""
    merged_nodes: dict[str, list[ox.Triple]] = {}
    for table in tables:
        for subject, triples in table.items():
            merged_nodes.setdefault(subject, []).extend(triples)
    documents: dict[str, list[ox.Triple]] = {}
    for subject, triples in merged_nodes.items():
        if subject.startswith("_:"):
            continue
        iri = subject.split("#", 1)[0]
        if iri.startswith(writer.site.base) and iri not in context.triples:
            documents.setdefault(iri, []).extend(triples)
    for triples in documents.values():
        # Blank nodes (checksums, periods) belong to the description of what points at them.
        for triple in list(triples):
            if isinstance(triple.object, ox.BlankNode):
                triples.extend(merged_nodes.get("_:" + triple.object.value, []))
    return documents


@dataclass(frozen=True, slots=True)
class Earlier:
    """A kept release before the site's, and the resources of its catalog only it describes."""

    version: str
    #: The site's context with this version's catalog in place of the current one's (and no
    #: VoID): its pages name what they link to as this catalog does.
    context: Context
    documents: dict[str, list[ox.Triple]]


def _earlier_catalogs(writer: Writer) -> list[Earlier]:
    """Return the kept releases before the site's, newest first, each with the resources
    of its ``catalog.ttl`` under our base that have no page otherwise: not the current
    catalog's or VoID's, nor a newer kept version's (its dataset, its distributions)."""
    context = writer.context
    taken = set(_catalog_documents(writer))
    found = []
    for version, catalog in context.earlier:
        view = replace(context, catalog=catalog, void={})
        documents = {
            iri: triples
            for iri, triples in _documents(writer, view, (catalog,)).items()
            if iri not in taken
        }
        taken.update(documents)
        if documents:
            found.append(Earlier(version, view, documents))
    return found


def _catalog(writer: Writer, earlier: list[Earlier]) -> None:
    """Pages for the catalog's and VoID's resources under our base (dataset, distributions),
    and for those of the kept earlier versions' catalogs that only these describe."""
    context = writer.context
    _catalog_pages(writer, context, _documents(writer, context, (context.catalog, context.void)))
    for release in earlier:
        _catalog_pages(writer, release.context, release.documents, release.version)


def _catalog_pages(
    writer: Writer,
    context: Context,
    documents: dict[str, list[ox.Triple]],
    version: str | None = None,
) -> None:
    """Write the files and pages of catalog resources, described by ``context``; those of
    an earlier ``version`` say so and link the current version and the versions page."""
    for iri in sorted(documents):
        triples = [*documents[iri], *_run_of(context, iri)]
        made = writer.resource(iri, triples)
        if made is None:
            continue
        stem, data_json = made
        kind = _catalog_kind(iri, triples)
        hashes = sorted(
            {
                key
                for t in triples
                if (key := node_key(t.subject)) != iri and not key.startswith("_:")
            }
        )
        # A version of the dataset has the series' title: its number tells them apart.
        numbered = next(
            (
                t.object.value
                for t in documents[iri]
                if t.predicate.value == DCAT_VERSION and isinstance(t.object, ox.Literal)
            ),
            None,
        )
        for lang in LANGUAGES:
            where = Where(stem, lang)
            found = context.label(iri, lang)
            title = found[0] if found else word("unknown", lang)
            kicker = ew(kind, lang)
            note = ""
            if version is None and numbered is not None:
                named = word("version_current", lang).format(version=numbered)
                title += f" · {named}"
                kicker += f" · {e(named)}"
            if version is not None:
                named = word("version_of", lang).format(version=version)
                title += f" · {named}"
                kicker += f" · {e(named)}"
                note = _earlier_note(writer, where, version)
            elif kind == "kind_series" and writer.context.versions.current:
                # Its versions point to it (dcat:inSeries); the page leads to them.
                note = (
                    f'<p class="notice">{ew("series_versions_note", lang)} '
                    f"{_current_version(writer, where)} · "
                    f'<a href="{where.page(VERSIONS_STEM)}">{ew("versions_link", lang)}</a></p>'
                )
            heading = f'<p class="kicker">{kicker}</p><h1>{name(context, iri, lang)}</h1>'
            if kind == "kind_rights" and found is not None:
                # Its label is the statement itself, a paragraph: no heading.
                title = word(kind, lang)
                heading = (
                    f"<h1>{ew(kind, lang)}</h1>"
                    f'<p class="lead" lang="{e(found[1])}">{e(found[0])}</p>'
                )
            body = (
                heading
                + note
                + _data_links(where, iri)
                + _statements(writer, where, iri, hashes, context).replace(
                    "<details", "<details open"
                )
            )
            writer.page(stem, lang, title, body, data_json=data_json)


def _run_of(context: Context, iri: str) -> list[ox.Triple]:
    """Return what the provenance graph says of the run that published the dataset version
    ``iri`` (``iri#publication``): a practice's ``prov:wasGeneratedBy`` leads there. All
    but the input pages it used, which can be a million; the dumps' provenance graph lists
    them, and the page gives their number."""
    return [t for t in context.triples.get(f"{iri}#publication", ()) if t.predicate.value != _USED]


def _pruned_versions(writer: Writer) -> None:
    """Pages for the releases no longer kept that the data names: a dataset IRI the next
    version's ``dcat:previousVersion`` or a practice's ``prov:wasGeneratedBy`` points at
    keeps resolving. Each says the release is gone and links what replaced it; its data
    files hold what the data still says of it: its run's times, and the kept catalogs'
    statements naming it."""
    context = writer.context
    versions = context.versions
    catalogs = [context.catalog, *(catalog for _, catalog in context.earlier)]
    for pruned in versions.pruned:
        if pruned.version not in versions.pruned_stems:
            continue
        naming = [
            t
            for catalog in catalogs
            for triples in catalog.values()
            for t in triples
            if isinstance(t.object, ox.NamedNode) and t.object.value == pruned.iri
        ]
        run = _run_of(context, pruned.iri)
        made = writer.resource(pruned.iri, [*run, *naming])
        if made is None:
            continue
        stem, data_json = made
        hashes = [f"{pruned.iri}#publication"] if run else []
        for lang in LANGUAGES:
            where = Where(stem, lang)
            named = word("version_of", lang).format(version=pruned.version)
            dataset_name = writer.site.dataset_name.get(lang, "")
            followed = (
                f"<dt>{ew('followed_by', lang)}</dt>"
                f"<dd>{versions.version_link(where, pruned.followed_by, named=True)}</dd>"
                if pruned.followed_by is not None
                else ""
            )
            feed = f"{where.root}download/feed/index.trig"
            body = (
                f'<p class="kicker">{ew("kind_dataset", lang)} · {ew("not_kept", lang)}</p>'
                f"<h1>{e(dataset_name)} · {e(named)}</h1>"
                f'<p class="notice">{ew("pruned_note", lang)} {_current_version(writer, where)}. '
                f'{ew("pruned_changes", lang)} <a href="{feed}">{ew("change_feed", lang)}</a> · '
                f'<a href="{where.page(VERSIONS_STEM)}">{ew("versions_link", lang)}</a></p>'
                f'<dl class="facts"><dt>{ew("released", lang)}</dt>'
                f"<dd>{moment_html(pruned.moment, lang)}</dd>{followed}</dl>"
                + _data_links(where, pruned.iri)
                + _statements(writer, where, pruned.iri, hashes).replace(
                    "<details", "<details open"
                )
            )
            writer.page(
                stem, lang, f"{named} · {word('not_kept', lang)}", body, data_json=data_json
            )


def _earlier_note(writer: Writer, where: Where, version: str) -> str:
    """Return the paragraph of an earlier version's resource page: which version's catalog
    describes it, the current version's dataset page, the versions page."""
    lang = where.lang
    said = ew("earlier_version_note", lang).format(
        version=writer.context.versions.version_link(where, version, named=True)
    )
    return (
        f'<p class="notice">{said} {_current_version(writer, where)} · '
        f'<a href="{where.page(VERSIONS_STEM)}">{ew("versions_link", lang)}</a></p>'
    )


def _current_version(writer: Writer, where: Where) -> str:
    """Return "Version V (current)", linked to its dataset's page when the site has one."""
    versions = writer.context.versions
    current = e(word("version_current", where.lang).format(version=versions.current))
    series = series_of(writer.context.dataset)
    dataset = f"{series}/{versions.current}"
    stem = site_path(dataset, writer.site.base) if series else None
    if stem is not None and dataset in writer.described:
        return f'<a href="{where.page(stem)}">{current}</a>'
    return f"<strong>{current}</strong>"


RIGHTS_STATEMENT: Final = "http://purl.org/dc/terms/RightsStatement"
#: The classes of the catalog's and VoID's resources and the word that names each, the
#: first a resource has (a dataset is also a void:Dataset; a linkset is one too).
_CATALOG_KINDS: Final = (
    ("http://www.w3.org/ns/dcat#Catalog", "kind_catalog"),
    ("http://www.w3.org/ns/dcat#Distribution", "kind_distribution"),
    ("http://www.w3.org/ns/dcat#DataService", "kind_data_service"),
    ("http://rdfs.org/ns/void#Linkset", "kind_linkset"),
    ("http://www.w3.org/ns/dcat#DatasetSeries", "kind_series"),
    ("http://www.w3.org/ns/dcat#Dataset", "kind_dataset"),
    ("http://rdfs.org/ns/void#Dataset", "kind_dataset"),
    (RIGHTS_STATEMENT, "kind_rights"),
    ("http://xmlns.com/foaf/0.1/Agent", "kind_agent"),
    ("http://www.w3.org/ns/prov#SoftwareAgent", "kind_software"),
)


def _catalog_kind(iri: str, triples: list[ox.Triple]) -> str:
    """Return the word that says what a resource of the catalog or VoID is."""
    classes = {
        value_of(t.object)
        for t in triples
        if value_of(t.subject) == iri and t.predicate.value == RDF_TYPE
    }
    return next((word for cls, word in _CATALOG_KINDS if cls in classes), "kind_resource")


def _bars(where: Where, rows: list[tuple[str, str, int]], label: str) -> str:
    """Return a bar chart as an HTML table whose bars are CSS widths (readable without CSS)."""
    top = max((count for _, _, count in rows), default=0) or 1
    body = "".join(
        f'<tr><th scope="row"><a href="{where.page(stem)}">{text}</a></th>'
        f'<td><span class="bar" style="width:{count * 100 / top:.1f}%"></span><span '
        f'class="n">{grouped(count, where.lang)}</span></td></tr>'
        for stem, text, count in rows
    )
    return f'<table class="chart"><caption>{e(label)}</caption><tbody>{body}</tbody></table>'


def _outline() -> list[list[tuple[float, float]]]:
    text = resources.files("nualod.site").joinpath("data/indonesia-outline.txt").read_text("utf-8")
    rings = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rings.append([(float(a), float(b)) for a, b in (p.split(",") for p in line.split())])
    return rings


#: The map's frame: longitude and latitude of Indonesia's corners, and the SVG width.
WEST, EAST, NORTH, SOUTH, MAP_WIDTH = 94.5, 141.5, 6.5, -11.5, 1000.0


def _xy(lat: float, lon: float) -> tuple[float, float]:
    scale = MAP_WIDTH / (EAST - WEST)
    return (lon - WEST) * scale, (NORTH - lat) * scale


#: A province label's font size on the map (SVG units) and the width of a character, about.
LABEL_SIZE, LABEL_CHAR = 10.0, 5.6


def _label_place(
    x: float, y: float, text: str, taken: list[tuple[float, float, float, float]]
) -> tuple[float, float] | None:
    """Return where a label centred near (x, y) covers no dot and no other label: at the
    point, else above or below it, else beside it, else a line further up or down; None
    (left out) when every place would. The labels come in a fixed order, so the same ones
    are left out every time.

    >>> taken = []
    >>> _label_place(100, 100, "Banten", taken), _label_place(102, 100, "DKI Jakarta", taken)
    ((100, 100), (102, 87.0))
    >>> _label_place(100, 100, "Bali", [(90, 60, 110, 140)])  # beside what stands there
    (128.0, 100)
    """
    # Placed as drawn: at whole units.
    x, y = round(x), round(y)
    half = len(text) * LABEL_CHAR / 2
    line = LABEL_SIZE + 3
    beside = half + LABEL_CHAR * 3
    for dx, dy in (
        (0, 0), (0, -line), (0, line), (beside, 0), (-beside, 0), (0, -2 * line), (0, 2 * line),
    ):  # fmt: skip
        box = (x + dx - half, y + dy - LABEL_SIZE, x + dx + half, y + dy + 2)
        if all(
            box[2] < other[0] or other[2] < box[0] or box[3] < other[1] or other[3] < box[1]
            for other in taken
        ):
            taken.append(box)
            return x + dx, y + dy
    return None


def _map(writer: Writer, where: Where) -> str:
    """Return an inline SVG map: Indonesia's outline and a dot per region with practices."""
    lang = where.lang
    context = writer.context
    height = (NORTH - SOUTH) * MAP_WIDTH / (EAST - WEST)
    paths = []
    for ring in _outline():
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_xy(lat, lon) for lon, lat in ring))
        paths.append(f'<polygon points="{points}"/>')
    counts = writer.buckets.by_region
    top = max(counts.values(), default=1)
    dots = []
    #: What a label must not cover: the dots, then the labels placed (x0, y0, x1, y1).
    taken: list[tuple[float, float, float, float]] = []
    unplaced = 0
    for code in sorted(counts, key=lambda c: -counts[c]):
        region = context.regions.get(code)
        if region is None or region.point is None:
            if region is not None and region.kind != "provinsi":
                unplaced += 1  # a kabupaten or kota; a province has no dot of its own
            continue
        x, y = _xy(*region.point)
        radius = 3 + 9 * math.sqrt(counts[code] / top)
        taken.append((x - radius, y - radius, x + radius, y + radius))
        stem = site_path(region.iri, writer.site.base) or ""
        label = writer.plain_label(region.iri, lang)
        said = f"{e(label)}: {count_of(counts[code], 'practices', lang)}"
        dots.append(
            f'<a href="{where.page(stem)}" class="dot" aria-label="{said}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"><title>{said}</title></circle></a>'
        )
    provinces = []
    # The provinces of the dots first: their labels matter most and are the likeliest to be
    # crowded out (Java's, by the dots themselves); then the others, in code order.
    with_practices = {
        region.iri if region.kind == "provinsi" else region.province
        for region in (context.regions.get(code) for code in counts)
        if region is not None
    }
    for _code, region in sorted(
        context.regions.items(), key=lambda item: (item[1].iri not in with_practices, item[0])
    ):
        if region.kind != "provinsi":
            continue
        members = [
            r.point for r in context.regions.values() if r.province == region.iri and r.point
        ]
        if not members:
            continue
        lat = sum(p[0] for p in members) / len(members)
        lon = sum(p[1] for p in members) / len(members)
        x, y = _xy(lat, lon)
        label = writer.plain_label(region.iri, lang)
        placed = _label_place(x, y, label, taken)
        if placed is not None:
            provinces.append(f'<text x="{placed[0]:.0f}" y="{placed[1]:.0f}">{e(label)}</text>')
    return (
        # A group, not an image: an image would hide the links of its dots from readers.
        f'<figure class="map"><svg viewBox="0 0 {MAP_WIDTH:.0f} {height:.0f}" role="group" '
        'aria-labelledby="map-title" aria-describedby="map-desc">'
        f'<title id="map-title">{ew("map", lang)}</title><desc '
        f'id="map-desc">{ew("map_alt", lang)}</desc>'
        f'<g class="land">{"".join(paths)}</g><g class="provinces" '
        f'aria-hidden="true">{"".join(provinces)}</g>'
        f'<g class="dots">{"".join(dots)}</g></svg>'
        f"<figcaption>{ew('map_note', lang)}{_unplaced_note(unplaced, lang)}</figcaption></figure>"
    )


def _unplaced_note(unplaced: int, lang: str) -> str:
    """Return what the map's caption says of the regions with practices it has no dot for.

    >>> _unplaced_note(0, "en"), _unplaced_note(1, "en")
    ('', ' 1 regency or city with practices is not on the map: its location is not known.')
    >>> _unplaced_note(1200, "id")
    ' 1.200 kabupaten/kota dengan praktik tidak ada di peta: lokasinya tidak diketahui.'
    """
    if not unplaced:
        return ""
    return " " + count_word(unplaced, "map_unplaced", lang).format(n=grouped(unplaced, lang))


def _home(writer: Writer, index: ConceptIndex, published: Path) -> None:
    context = writer.context
    buckets = writer.buckets
    dataset = context.dataset
    distributions = dataset.get("distribution", [])
    if isinstance(distributions, dict):
        distributions = [distributions]
    endpoint = [
        value_of(t.object)
        for ts in context.void.values()
        for t in ts
        if t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"
    ]
    for lang in LANGUAGES:
        where = Where("index", lang)
        latest = list(islice(buckets.every_practice(), 10))
        regions_with = sum(1 for c in buckets.by_region if buckets.by_region[c])
        provinces_with = len(
            {context.regions[c].province for c in buckets.by_region if c in context.regions}
        )
        counts = [
            (buckets.total, "counts_practices", "browse/practices"),
            (regions_with, "counts_regions", "browse/province"),
            (provinces_with, "counts_provinces", "browse/province"),
            (
                len([t for t in index.themes if buckets.by_theme.get(t)]),
                "counts_themes",
                "browse/theme",
            ),
            (
                len([i for i in index.indicators if buckets.by_indicator.get(i)]),
                "counts_indicators",
                "browse/theme",
            ),
            (len([g for g in index.goals if index.counts.get(g)]), "counts_goals", "browse/sdg"),
        ]
        stats = "".join(
            f'<li><a href="{where.page(stem)}"><strong>{grouped(n, lang)}</strong> '
            f"{count_word(n, key, lang)}</a></li>"
            for n, key, stem in counts
        )
        themes_chart = _bars(
            where,
            [
                (
                    site_path(t, writer.site.base) or "",
                    f"{e(context.notation(t) or '')} {name(context, t, lang)}",
                    buckets.by_theme.get(t, 0),
                )
                for t in index.themes
            ],
            word("per_theme", lang),
        )
        goals_chart = _bars(
            where,
            [
                (
                    site_path(g, writer.site.base) or "",
                    f"{e(context.notation(g) or '')} {name(context, g, lang)}",
                    index.counts.get(g, 0),
                )
                for g in index.goals
            ],
            word("per_goal", lang),
        )
        downloads = "".join(
            _download_row(writer, where, d) for d in distributions if isinstance(d, dict)
        )
        name_text = writer.site.dataset_name.get(lang, "")
        description, description_lang = _dataset_description(context, lang)
        endpoint_html = (
            f'<p>{ew("endpoint", lang)}: <a href="{href(endpoint[0])}">{e(endpoint[0])}</a></p>'
            if endpoint
            else f"<p>{ew('no_endpoint', lang)}<code>nualod serve DIR</code></p>"
        )
        query_links = "".join(
            f'<li><a href="{where.page("queries/" + q)}">{e(QUERY_TITLES[q][lang][0])}</a> (<a '
            f'href="{where.root}queries/{e(q)}.rq">.rq</a>)</li>'
            for q in _query_names()
        )
        body = (
            f'<section class="hero"><h1>{ew("site", lang)}</h1><p class="lead">{e(name_text)}</p>'
            f'<form class="search" action="{where.page("search/index")}" method="get" '
            'role="search">'
            f'<label for="q">{ew("search_label", lang)}</label><div><input id="q" name="q" '
            'type="search" '
            'placeholder="Pekalongan, batik, …"><button '
            f'type="submit">{ew("search_button", lang)}</button></div></form>'
            f'<ul class="stats">{stats}</ul></section>'
            f'<section class="split"><div><a class="skip-map" href="#latest">'
            f"{ew('skip_map', lang)}</a>{_map(writer, where)}</div>"
            f'<div><h2 id="latest">{ew("latest", lang)}</h2><ol '
            f'class="practices">{rows_html(where, latest, writer.place_names[lang])}</ol>'
            f'<p><a href="{where.page("browse/practices")}">{ew("all_practices", lang)}</a> · '
            f'<a href="{where.page("browse/province")}">{ew("places", lang)}</a> · <a '
            f'href="{where.page("browse/theme")}">{ew("themes", lang)}</a> · '
            f'<a href="{where.page("browse/sdg")}">{ew("sdg", lang)}</a> · <a '
            f'href="{where.page("browse/unesco")}">{ew("unesco", lang)}</a> · '
            f'<a href="{where.page("browse/creative-cities")}">{ew("creative", lang)}</a></p></div'
            "></section>"
            f'<section class="charts"><div>{themes_chart}</div><div>{goals_chart}<p '
            f'class="muted">{ew("per_goal_note", lang)}</p></div></section>'
            f"<section><h2>{ew('about', lang)}</h2><p{_lang_attr(description_lang, lang)}>"
            f"{e(description)}</p>"
            f'<p>{ew("licence", lang)}: <a href="{href(writer.site.licence)}" '
            f'rel="license">{e(writer.site.licence_name)}</a></p></section>'
            "<section><h2 "
            f'id="sparql">{ew("sparql", lang)}</h2>{endpoint_html}<h3>{ew("queries", lang)}</h3><u'
            f"l>{query_links}</ul></section>"
            f'<section><h2 id="downloads">{ew("downloads", lang)}</h2><div class="scroll"><table '
            'class="downloads"><thead><tr>'
            f'<th scope="col">{ew("file", lang)}</th><th scope="col">{ew("format", lang)}</th><th '
            f'scope="col">{ew("media_type", lang)}</th>'
            f'<th scope="col">{ew("bytes", lang)}</th><th '
            f'scope="col">{ew("checksum", lang)}</th></tr></thead><tbody>{downloads}</tbody></tabl'
            "e></div>"
            f"<h3>{ew('metadata', lang)}</h3><ul>"
            f'<li><a href="{where.root}download/catalog.ttl">catalog.ttl</a>, <a '
            f'href="{where.root}download/catalog.jsonld">catalog.jsonld</a>: DCAT-AP 3</li>'
            f'<li><a href="{where.root}download/void.ttl">void.ttl</a>: VoID</li>'
            f'<li><a href="{where.root}download/dataset.jsonld">dataset.jsonld</a>: schema.org '
            "Dataset</li>"
            f'<li><a href="{where.page("def")}">{ew("vocabulary", lang)}</a></li></ul>'
            + (
                f'<p><a href="{where.page(VERSIONS_STEM)}">{ew("versions_link", lang)}</a></p>'
                if context.versions.current
                else ""
            )
            + "</section>"
        )
        dataset_json = json.dumps(dataset, ensure_ascii=False).replace("<", "\\u003c")
        head = (
            _home_signposts(writer, where, dataset, distributions)
            + f'<script type="application/ld+json">{dataset_json}</script>\n'
            + feed_link(context.versions, where)
        )
        page = shell(
            where,
            word("site", lang),
            body,
            description=shortened(description, 300),
            head=head,
            canonical=writer.site.base_url + where.file,
            versions=bool(context.versions.current),
        )
        writer.write(where.file, page)


def _dataset_description(context: Context, lang: str) -> tuple[str, str]:
    """Return the dataset's description in ``lang`` when the catalog has it (else the
    nearest), with its language; else schema.org's, which is English."""
    iri = series_of(context.dataset)
    # A versioned release's dataset is its version; the IRI names the series of them, whose
    # description says only that ("Every release of the dataset, each a version of it").
    current = context.versions.current
    for described in ([f"{iri}/{current}"] if current else []) + [iri]:
        found = best_text(
            (
                t.object
                for t in context.catalog.get(described, ())
                if t.predicate.value == DCTERMS + "description"
            ),
            lang,
        )
        if found:
            return found
    return (str(context.dataset.get("description", "")), "en")


def _lang_attr(text_lang: str, page_lang: str) -> str:
    """Return the ``lang`` attribute of a text in another language than its page's."""
    return f' lang="{e(text_lang)}"' if text_lang and text_lang != page_lang else ""


def _file_name(url: str) -> str:
    """Return the name of a download in its release: a registered dump's (``feed/index.trig``
    is in a folder), else the URL's last segment.

    >>> _file_name("https://x/download/releases/2/feed/index.trig"), _file_name("https://x/a.csv")
    ('feed/index.trig', 'a.csv')
    """
    return next(
        (name for name in BY_FILE_NAME if "/" in name and url.endswith("/" + name)),
        url.rsplit("/", 1)[-1],
    )


def _format_name(distribution: dict[str, Any], lang: str) -> str:
    """Return the name of a download's format in ``lang``: the dump registry's, where the
    file is a nualod dump, else the catalog's (English) name."""
    url = str(distribution.get("contentUrl", ""))
    dump = BY_FILE_NAME.get(_file_name(url))
    if dump is not None:
        return e(dump.format_name_in(lang))
    return e(str(distribution.get("name", "")).replace("nualod dump in ", ""))


def _download_href(writer: Writer, where: Where, distribution: dict[str, Any]) -> str:
    """Return the link to a distribution's file (not escaped): the site's copy when it
    holds one."""
    url = str(distribution.get("contentUrl", ""))
    name = _file_name(url)
    if name and (writer.out / "download" / name).is_file():
        return f"{where.root}download/{name}"
    return url if linked(url) else "#"


def _home_signposts(
    writer: Writer, where: Where, dataset: dict[str, Any], distributions: list[Any]
) -> str:
    """Return the home page's FAIR Signposting links, as a dataset's landing page has them:
    the dataset's IRI to cite, its DCAT catalog, each file to download (``item``) with its
    media type, and the licence."""
    return signpost_links(
        str(dataset.get("@id", "")),
        described=[
            ("text/turtle", f"{where.root}download/catalog.ttl"),
            ("application/ld+json", f"{where.root}download/catalog.jsonld"),
        ],
        items=[
            (str(d.get("encodingFormat", "")), _download_href(writer, where, d))
            for d in distributions
            if isinstance(d, dict)
        ],
        licence=writer.site.licence,
    )


def _download_row(writer: Writer, where: Where, distribution: dict[str, Any]) -> str:
    """Return a row of the downloads table: file (linked when the site holds it), format,
    media type, size and checksum."""
    url = str(distribution.get("contentUrl", ""))
    name = _file_name(url)
    shown = f'<a href="{e(_download_href(writer, where, distribution))}">{e(name or url)}</a>'
    size = str(distribution.get("contentSize", "")).replace(" B", "")
    return (
        f"<tr><td>{shown}</td>"
        f"<td>{_format_name(distribution, where.lang)}</td>"
        f"<td><code>{e(distribution.get('encodingFormat', ''))}</code></td>"
        f'<td class="num">{e(grouped(int(size), where.lang) if size.isascii() and size.isdigit() else size)}</td>'
        f'<td><code class="hash">{e(distribution.get("sha256", ""))}</code></td></tr>'
    )


#: Each example query's title and what it gives, in both languages (its text and comments
#: are SPARQL's English).
QUERY_TITLES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "people-trained-by-city": {
        "id": (
            "Orang yang dilatih, per kota",
            "Praktik yang menyebut jumlah orang yang dilatih, per kota atau kabupaten.",
        ),
        "en": (
            "People trained, by city",
            "Practices that say how many people were trained, by kota or kabupaten.",
        ),
    },
    "practices-by-sdg-goal": {
        "id": (
            "Praktik per tujuan SDG",
            "Praktik yang mendukung tiap tujuan SDG, melalui penyelarasan tema atau indikator "
            "NUA-nya.",
        ),
        "en": (
            "Practices by SDG goal",
            "Practices that serve each SDG goal, through their NUA theme's or indicator's "
            "alignment.",
        ),
    },
    "practices-by-unesco-concept": {
        "id": (
            "Praktik per konsep UNESCO",
            "Praktik yang indikator atau temanya diselaraskan dengan konsep Tesaurus UNESCO.",
        ),
        "en": (
            "Practices by UNESCO concept",
            "Practices whose NUA indicator or theme is aligned to a UNESCO Thesaurus concept.",
        ),
    },
    "practices-in-creative-cities": {
        "id": (
            "Praktik di Kota Kreatif UNESCO",
            "Praktik di kota anggota Jejaring Kota Kreatif UNESCO, dengan bidangnya.",
        ),
        "en": (
            "Practices in UNESCO Creative Cities",
            "Practices in members of the UNESCO Creative Cities Network, with their field.",
        ),
    },
    "practices-per-province": {
        "id": (
            "Praktik per provinsi",
            "Jumlah praktik di tiap provinsi, melalui kota atau kabupatennya.",
        ),
        "en": (
            "Practices per province",
            "How many practices each province has, through its kota and kabupaten.",
        ),
    },
    "practices-per-theme": {
        "id": (
            "Praktik per tema NUA",
            "Jumlah praktik di tiap tema NUA, dengan nomor dan namanya.",
        ),
        "en": (
            "Practices per NUA theme",
            "How many practices each NUA theme has, with its number and name.",
        ),
    },
}


def _query_names() -> list[str]:
    folder = resources.files("nualod.site").joinpath("queries")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq"))


def _queries(writer: Writer) -> None:
    folder = resources.files("nualod.site").joinpath("queries")
    for query in _query_names():
        text = folder.joinpath(query + ".rq").read_text("utf-8")
        writer.write(f"queries/{query}.rq", text)
        for lang in LANGUAGES:
            where = Where(f"queries/{query}", lang)
            body = (
                '<p class="kicker"><a '
                f'href="{where.page("index")}#sparql">{ew("queries", lang)}</a></p>'
                f"<h1>{e(QUERY_TITLES[query][lang][0])}</h1>"
                f'<p class="lead">{e(QUERY_TITLES[query][lang][1])}</p>'
                # The query itself, its comments too, is SPARQL's English.
                # Focusable: it scrolls sideways on a phone and holds no link (WCAG 2.1.1).
                f'<pre tabindex="0"><code lang="en">{e(text)}</code></pre>'
                f'<p><a href="{where.root}queries/{e(query)}.rq">{e(query)}.rq</a> · <code>nualod '
                f"query DIR @{e(query)}.rq</code></p>"
            )
            writer.page(where.stem, lang, QUERY_TITLES[query][lang][0], body)


def _browse(writer: Writer, index: ConceptIndex) -> None:
    context = writer.context
    buckets = writer.buckets
    base = writer.site.base
    provinces = sorted(
        (c for c, r in context.regions.items() if r.kind == "provinsi"),
        key=lambda c: writer.plain_label(context.regions[c].iri, "id"),
    )
    by_province: dict[str, int] = {}
    for code, count in buckets.by_region.items():
        region = context.regions.get(code)
        if region and region.province:
            by_province[region.province] = by_province.get(region.province, 0) + count

    def practices_in(code: str) -> int:
        # A province that is a Creative City (Jakarta) counts those of its kota too, as
        # the province's page its card links to does.
        return buckets.by_region.get(code, 0) + by_province.get(context.regions[code].iri, 0)

    creative = sorted(
        c for c, r in context.regions.items() if context.iris(r.iri, NUA + "creativeCity")
    )
    for lang in LANGUAGES:
        # Every practice, newest first, in pages of a hundred: what the home page's count
        # of practices leads to (it led to an empty search).
        heading = ew("all_practices", lang)
        writer.practice_list(
            "browse/practices",
            lang,
            buckets.every_practice(),
            buckets.total,
            f"<h1>{heading}</h1><p>{ew('newest_first', lang)}</p>",
            word("all_practices", lang),
            None,
            heading=heading,
        )
        where = Where("browse/province", lang)
        items = "".join(
            f'<li><a href="{where.page(site_path(context.regions[c].iri, base) or "")}">'
            f"{writer.place_names[lang][c]}</a> "
            f'<span class="count">{grouped(by_province.get(context.regions[c].iri, 0), lang)}</span></li>'
            for c in provinces
        )
        writer.page(
            where.stem,
            lang,
            word("provinces", lang),
            f'<h1>{ew("provinces", lang)}</h1><ul class="columns">{items}</ul>',
            section="browse/province",
        )
        where = Where("browse/theme", lang)
        blocks = []
        for theme in index.themes:
            indicators = [i for i in index.indicators if theme in context.iris(i, SKOS + "broader")]
            inner = "".join(
                f"<li>{link(where, context, i, base, concept_title(context, i, lang))} <span "
                f'class="count">{grouped(buckets.by_indicator.get(i, 0), lang)}</span></li>'
                for i in indicators
            )
            blocks.append(
                f"<li>{link(where, context, theme, base, concept_title(context, theme, lang))} "
                f'<span class="count">{grouped(buckets.by_theme.get(theme, 0), lang)}</span>'
                + (f"<ul>{inner}</ul>" if inner else "")
                + "</li>"
            )
        writer.page(
            where.stem,
            lang,
            word("themes", lang),
            f'<h1>{ew("themes", lang)}</h1><ul class="tree">{"".join(blocks)}</ul>',
            section="browse/theme",
        )
        where = Where("browse/sdg", lang)
        items = "".join(
            f"<li>{link(where, context, g, base, concept_title(context, g, lang))} <span "
            f'class="count">{grouped(index.counts.get(g, 0), lang)}</span></li>'
            for g in index.goals
        )
        writer.page(
            where.stem,
            lang,
            word("sdg_goals", lang),
            f'<h1>{ew("sdg_goals", lang)}</h1><p class="muted">{ew("per_goal_note", lang)}</p><ul '
            f'class="concepts">{items}</ul>',
            section="browse/sdg",
        )
        where = Where("browse/unesco", lang)
        items = "".join(
            f"<li>{link(where, context, u, base)} <span "
            f'class="count">{grouped(index.counts.get(u, 0), lang)}</span></li>'
            for u in index.unesco
        )
        writer.page(
            where.stem,
            lang,
            word("unesco_concepts", lang),
            f'<h1>{ew("unesco_concepts", lang)}</h1><ul class="columns">{items}</ul>',
            section="browse/unesco",
        )
        where = Where("browse/creative-cities", lang)
        items = "".join(
            f'<li><a href="{where.page(site_path(context.regions[c].iri, base) or "")}">'
            f"{writer.place_names[lang][c]}</a> "
            f'<span class="count">{count_of(practices_in(c), "practices", lang)}</span>'
            f"{creative_badge(where, context, context.regions[c].iri)}</li>"
            for c in creative
        )
        writer.page(
            where.stem,
            lang,
            word("creative", lang),
            f"<h1>{ew('creative', lang)}</h1><p>{ew('creative_cities_intro', lang)}</p><ul "
            f'class="cards">{items}</ul>',
            section="browse/creative-cities",
        )


def list_class(last: int) -> str:
    """Return the class of a list of practices whose last number is ``last``: one that makes
    room for its numbers when they have more than three digits (a phone showed "301." for
    1301: the marker ran out of the list's margin).

    >>> list_class(999), list_class(1_000), list_class(1_000_000)
    ('practices', 'practices digits-4', 'practices digits-7')
    """
    digits = len(str(last))
    return "practices" if digits <= 3 else f"practices digits-{min(digits, 7)}"


def _search_page(writer: Writer) -> None:
    for lang in LANGUAGES:
        where = Where("search/index", lang)
        body = (
            f"<h1>{ew('search', lang)}</h1>"
            '<form class="search" method="get" role="search" id="search-form"><label '
            f'for="q">{ew("search_label", lang)}</label>'
            '<div><input id="q" name="q" type="search" autocomplete="off"><button '
            f'type="submit">{ew("search_button", lang)}</button></div></form>'
            f'<p class="muted" id="search-status" aria-live="polite">{ew("search_hint", lang)}</p>'
            f'<ol class="practices" id="search-results"></ol>'
            f'<p><button type="button" class="more" id="search-more" hidden>{ew("search_more", lang)}</button></p>'
            f"<noscript><p>{ew('search_offline', lang)}</p></noscript>"
            f'<script src="{where.root}assets/search.js" data-root="{where.root}" '
            f'data-home="{where.home}" '
            f'data-none="{ew("search_none", lang)}" data-short="{ew("search_short", lang)}" '
            f'data-found="{ew("search_found", lang)}" '
            f'data-found-one="{ew("search_found_one", lang)}" '
            f'data-failed="{ew("search_failed", lang)}" '
            "defer></script>"
        )
        writer.page(where.stem, lang, word("search", lang), body, section="search/index")


def _statics(writer: Writer, published: Path) -> None:
    for asset in ("site.css", "search.js"):
        writer.write(
            f"assets/{asset}",
            resources.files("nualod.site").joinpath(f"assets/{asset}").read_text("utf-8"),
        )
    # A 404 page answers for a missing path at any depth (the English one under en/, see
    # paths.NOT_FOUND_PAGES), so its links start from the path of the site's base URL, where
    # the server configurations put the site (nualod serve moves them when it serves the
    # site at another path).
    site_root = e(urlsplit(writer.site.base_url).path)
    for lang in LANGUAGES:
        where = Where("404", lang, base=site_root)
        body = (
            f"<h1>{ew('not_found', lang)}</h1><p>{ew('not_found_text', lang)}</p>"
            f'<p><a href="{where.page("index")}">{ew("home", lang)}</a></p>'
        )
        # Its language switch leads to the other language's home page: the other language's
        # 404 page would be no help, and a path missing here is missing there too.
        switch = where.other().page("index")
        writer.write(
            where.file,
            shell(
                where,
                word("not_found", lang),
                body,
                language_switch=switch,
                versions=bool(writer.context.versions.current),
            ),
        )
    _gone(writer, site_root)
    void = published / "void.ttl"
    if void.is_file():
        writer.write(".well-known/void", void.read_bytes())
    # nualod's JSON-LD context at its IRI, with and without .jsonld (both of which nualod
    # validate reads as the shipped file): a document may name it as its @context, and a
    # JSON-LD processor then fetches it there (JSON-LD 1.1, 3.1). The same bytes at both,
    # sent as they are whatever Accept says (paths.NAMED_FILES): no redirect, since the
    # IRI names this document itself, and processors fetch it for every document they read.
    context = resource_bytes(CONTEXT_RESOURCE)
    for path in (CONTEXT_PATH, f"{CONTEXT_PATH}.jsonld"):
        writer.write(path, context)
    # The JSON Schema's own IRI ($id of practices.json's $schema), beside its download.
    schema = published / SCHEMA_NAME
    if schema.is_file():
        writer.write(site_path(SCHEMA_ID, VOCABULARY_BASE) or SCHEMA_NAME, schema.read_bytes())
    writer.write(
        "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {writer.site.base_url}sitemap.xml\n"
    )


def _gone(writer: Writer, site_root: str) -> None:
    """Write the list of the paths gone with the versions no longer kept and the 410 page of
    each language, which answers them (when a version is gone): a download URL or a
    distribution of such a version says it is gone, and where its dataset's page is."""
    versions = writer.context.versions
    prefixes = [
        prefix
        for pruned in versions.pruned
        for prefix in gone_prefixes(pruned.version, versions.pruned_stems.get(pruned.version))
    ]
    if not prefixes:
        return
    writer.write(GONE_LIST, gone_list_text(prefixes))
    for lang in LANGUAGES:
        where = Where("410", lang, base=site_root)
        rows = "".join(
            f"<li>{versions.version_link(where, pruned.version, named=True)} · "
            f"{moment_html(pruned.moment, lang)}</li>"
            for pruned in versions.pruned
        )
        body = (
            f"<h1>{ew('gone', lang)}</h1><p>{ew('gone_text', lang)}</p>"
            f'<ul class="gone">{rows}</ul>'
            f"<p>{_current_version(writer, where)} · "
            f'<a href="{where.page(VERSIONS_STEM)}">{ew("versions_link", lang)}</a> · '
            f'<a href="{where.page("index")}">{ew("home", lang)}</a></p>'
        )
        writer.write(
            where.file,
            shell(
                where,
                word("gone", lang),
                body,
                language_switch=where.other().page("index"),
                versions=True,
            ),
        )


def _sitemap_paths(writer: Writer) -> Iterator[str]:
    """Yield every page to list in the sitemap: the pages written here in the order they
    were written, then the practices shard by shard (each shard's in key order)."""
    for listing in sorted((writer.out.parent / "work").glob(f"{SITEMAP_PART}*.txt")):
        with listing.open(encoding="utf-8") as lines:
            for line in lines:
                yield line.rstrip("\n")
    for summary in sorted((writer.out.parent / "work").glob("summary-*.tsv")):
        with summary.open(encoding="utf-8") as rows:
            stems = sorted(row.split("\t", 2)[1] for row in rows)
        for stem in stems:
            yield f"{stem}.html"
            yield f"en/{stem}.html"


def _sitemaps(writer: Writer) -> None:
    """Write sitemap.xml, or a sitemap index and its parts past 50,000 URLs, streaming."""
    base_url = writer.site.base_url

    def urlset(paths: list[str]) -> str:
        urls = "".join(f"<url><loc>{e(base_url + p)}</loc></url>\n" for p in paths)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        )

    written = 0
    # The first full part waits until a second shows that an index is needed.
    pending: str | None = None
    chunk: list[str] = []

    def put(part: str) -> None:
        nonlocal written
        written += 1
        writer.write(f"sitemaps/sitemap-{written}.xml", part)

    for path in _sitemap_paths(writer):
        chunk.append(path)
        if len(chunk) == SITEMAP_LIMIT:
            part = urlset(chunk)
            chunk = []
            if pending is None and not written:
                pending = part
                continue
            if pending is not None:
                put(pending)
                pending = None
            put(part)
    last = urlset(chunk) if chunk else None
    if not written and (pending is None or last is None):
        writer.write("sitemap.xml", pending or last or urlset([]))
        return
    for remaining in (pending, last):
        if remaining is not None:
            put(remaining)
    index = "".join(
        f"<sitemap><loc>{e(base_url)}sitemaps/sitemap-{n}.xml</loc></sitemap>\n"
        for n in range(1, written + 1)
    )
    writer.write(
        "sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{index}</sitemapindex>\n",
    )
