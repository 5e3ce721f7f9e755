"""Render the practices of one shard: five files each, and a summary row for the lists.

A worker parses its shard with pyoxigraph, groups the triples by practice (a practice's own
triples, its hash nodes' and the shared nodes attached to it), and writes, for each
practice, ``.ttl``, ``.nt`` and ``.jsonld`` of its description plus the labels of what it links to,
and an HTML page per language that embeds the same JSON-LD.
"""

from __future__ import annotations

import gc
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from nualod.figures.rows import sentence_around
from nualod.figures.units import COUNT, units_by_iri
from nualod.model.iris import release_version
from nualod.model.writing import date_text, moment_text, shortened
from nualod.site.context import (
    DCTERMS,
    NUA,
    PROV,
    SCHEMA,
    Context,
    is_sdg,
    is_unesco,
)
from nualod.site.html import (
    DATA_FILES,
    LANGUAGE_FOLDER,
    LANGUAGES,
    Where,
    decimal_text,
    e,
    ew,
    href,
    shell,
    signposts,
    word,
)
from nualod.site.paths import WITHDRAWN_PREFIX, site_path
from nualod.site.rdf import Statement, data_files, statement
from nualod.site.search import ShardIndex
from nualod.site.shards import Split, lines_of, syntax_error

#: Tab-separated columns of a summary row: sort key (inverted date), key, date, region code,
#: theme IRI, indicator IRI, title.
SUMMARY_COLUMNS: Final = ("order", "stem", "date", "region", "theme", "indicator", "title")


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What one shard gave: practices rendered, files written, summary file."""

    shard: int
    practices: int
    files: int
    summary: Path
    triples: int
    withdrawn: int = 0


def inverted_date(date: str) -> str:
    """Return a string that sorts newest first ("2025-12-18" before "2025-01-01").

    >>> sorted([inverted_date("2025-01-01"), inverted_date("2025-12-18")])[0] == inverted_date("2025-12-18")
    True
    """
    digits = "".join(filter(str.isdigit, date))[:8].ljust(8, "0")
    if digits.isascii():
        return digits.translate(_NINES_COMPLEMENT)
    return "".join(str(9 - int(c)) for c in digits)


# A digit's nine's complement, for the ASCII digits every date has (one call, not eight).
_NINES_COMPLEMENT: Final = str.maketrans("0123456789", "9876543210")


def render_shard(
    split: Split, number: int, out: Path, context: Context, site: SiteInfo, *, search: bool = True
) -> ShardResult:
    """Render every practice of one shard under ``out``; return its summary. With ``search``,
    write its part of the search index too (:class:`nualod.site.search.ShardIndex`)."""
    with _collector_paused():
        return _render_shard(split, number, out, context, site, search=search)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block (reference counting still frees
    every object no longer used).

    A shard's statements and a practice's values, pages and texts make no reference cycles,
    and the shard's statements live until its last practice is written: the collector,
    set off by every few hundred objects made, walked them and the site's context again
    and again for nothing, some 5 % of a practice's CPU. Anything a shard leaves for it is
    collected after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _render_shard(
    split: Split, number: int, out: Path, context: Context, site: SiteInfo, *, search: bool
) -> ShardResult:
    groups = _statements_by_practice(split, number)
    summary_path = out.parent / "work" / f"summary-{number:03d}.tsv"
    files = 0
    triples = 0
    withdrawn = 0
    rows: list[str] = []
    withdrawn_rows: list[str] = []  # the titles the version pages name removed ones by
    index = ShardIndex() if search else None
    with Folders(out) as folders:
        for iri in sorted(groups):
            own = groups[iri]
            stem = site_path(iri, site.base)
            if stem is None or not _is_practice(iri, own):
                continue
            triples += len(own)
            written = data_files(context.described(iri, own), iri)
            folder, name = stem.rsplit("/", 1)
            folders.write(folder, f"{name}.ttl", written.turtle)
            folders.write(folder, f"{name}.nt", written.ntriples)
            folders.write(folder, f"{name}.jsonld", written.jsonld.encode("utf-8"))
            facts = PracticeFacts.read(iri, own)
            parts = PracticeParts.of(facts)
            embedded = written.script
            render = tombstone_page if facts.withdrawn else practice_page
            for lang in LANGUAGES:
                where = Where(stem, lang)
                page = render(where, facts, parts, context, site, embedded)
                folders.write(LANGUAGE_FOLDER[lang] + folder, f"{name}.html", page.encode("utf-8"))
            files += 5  # .ttl, .nt, .jsonld and a page in each language
            if facts.withdrawn:
                # A removed practice's IRI keeps resolving, but it is no longer one of the
                # practices: the lists, counts and search leave it out.
                withdrawn += 1
                withdrawn_rows.append(f"{stem}\t{_one_line(facts.title)}")
                continue
            title = _one_line(facts.title)
            rows.append(
                "\t".join(
                    (
                        inverted_date(facts.date),
                        stem,
                        facts.date,
                        facts.region_code(context),
                        facts.theme,
                        facts.indicator,
                        title,
                    )
                )
            )
            if index is not None:
                index.add(f"{stem}.html", title, _place_text(context, facts.region), facts.summary)
    summary_path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    withdrawn_path = summary_path.with_name(f"{WITHDRAWN_PREFIX}{number:03d}.tsv")
    withdrawn_path.write_text("".join(row + "\n" for row in withdrawn_rows), encoding="utf-8")
    if index is not None:
        files += index.write(out, summary_path.parent, number)
    return ShardResult(number, len(rows), files, summary_path, triples, withdrawn)


_PRACTICE_TYPE: Final = ox.NamedNode(NUA + "GoodPractice")


def _is_practice(iri: str, own: list[Statement]) -> bool:
    """Tell whether the statements under a practice's IRI make one: a good practice, or a
    removed one's tombstone (deprecated). Another subject under ``practice/`` (a source
    that named such an IRI, which publish refuses now) gets no page of a practice."""
    return any(
        subject == iri
        and ((predicate == RDF_TYPE and value == _PRACTICE_TYPE) or predicate == _DEPRECATED)
        for subject, predicate, value, _ in own
    )


def _statements_by_practice(split: Split, number: int) -> dict[str, list[Statement]]:
    """Return the statements of one shard by practice: its own, its hash nodes' and those of
    the shared nodes attached to it."""
    groups: dict[str, list[Statement]] = defaultdict(list)
    for part in split.shard_parts(number):
        try:
            with part.open("rb") as data:
                # Triples of the default graph, written as they are: no Triple made of each.
                # A subject's triples come together: its practice's group is looked up once.
                last = None
                group: list[Statement] = []
                for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                    found = statement(quad)
                    key = found[0]
                    if key != last:
                        last = key
                        cut = key.find("#")
                        group = groups[key if cut < 0 else key[:cut]]
                    group.append(found)
        except SyntaxError as error:
            raise syntax_error(split.source, part, error, triples=True) from None
    attached = b"".join(lines_of(split.attached(number)))
    if attached:
        for quad in ox.parse(attached, format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode):
                groups[graph.value].append(statement(quad.triple))
    return groups


_PLACE_TEXTS: dict[str, str] = {}


def _place_text(context: Context, region_iri: str) -> str:
    """Return a practice's place as search indexes it: its region's and province's names."""
    found = _PLACE_TEXTS.get(region_iri)
    if found is None:
        region = context.regions.get(region_iri.rsplit("/", 1)[-1])
        names = [context.label(region_iri, "id")]
        if region is not None and region.province:
            names.append(context.label(region.province, "id"))
        found = _PLACE_TEXTS[region_iri] = ", ".join(n[0] for n in names if n is not None)
    return found


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write(path: str | Path, data: bytes, folder: int | None = None) -> None:
    """Write a file of the site, relative to the open ``folder`` if given."""
    # The whole site is built in a temporary folder and swapped in at the end, so each
    # file is written once, directly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=folder)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _open_folder(path: str) -> int:
    """Open a folder, made (with its parents) if need be, as ``Path.mkdir(parents=True,
    exist_ok=True)`` makes it; return its descriptor."""
    # A shard makes most of its folders (a practices' folder is one shard's): one mkdir
    # call, and pathlib's objects only when a parent is missing too.
    try:
        os.mkdir(path)  # noqa: PTH102 - no Path object a folder
    except FileNotFoundError:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError:
        if not os.path.isdir(path):  # noqa: PTH112
            raise
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY)


class Folders:
    """Writes files into the folders of a shard's practices, each opened once.

    A practice's five files go into two folders that its shard's other practices share:
    opening a file relative to its open folder spares the kernel the walk down the path
    (five files for each of a million practices).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, int] = {}

    def write(self, folder: str, name: str, data: bytes) -> None:
        """Write a new file ``name`` in ``folder`` (made if need be) under the root."""
        fd = self._open.get(folder)
        if fd is None:
            path = os.path.join(self.root, folder)  # noqa: PTH118 - see _open_folder
            fd = self._open[folder] = _open_folder(path)
        _write(name, data, fd)

    def __enter__(self) -> Folders:
        return self

    def __exit__(self, *_: object) -> None:
        opened, self._open = self._open, {}
        for fd in opened.values():
            os.close(fd)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every page needs to know about the site as a whole."""

    base: str
    base_url: str
    licence: str
    licence_name: str
    dataset_name: dict[str, str]
    creator: str
    year: str


RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL: Final = "http://www.w3.org/2002/07/owl#"
_DEPRECATED: Final = OWL + "deprecated"
OA: Final = "http://www.w3.org/ns/oa#"
_TERMS: Final = (ox.NamedNode, ox.BlankNode, ox.Literal)
FIELD_ORDER: Final = {DCTERMS + "abstract": 0, DCTERMS + "description": 1}


def _figure(
    node: dict[str, list[str]], nested: dict[str, dict[str, list[str]]], texts: dict[str, str]
) -> tuple[int, int, str, Amount, str, int, int] | None:
    """Return a figure's place and its row: quote, value and unit, sentence, quote span.

    The quote is located by its Web Annotation position selector (Unicode code points in
    the field's text, as Python counts), and shown in the sentence that holds it.
    """
    for derived in node.get(PROV + "wasDerivedFrom", []):
        target = nested.get(derived, {})
        field_iri = (target.get(NUA + "field") or [""])[0]
        text = texts.get(field_iri, "")
        for selector in target.get(OA + "hasSelector", []):
            position = nested.get(selector, {})
            if not (position.get(OA + "start") and position.get(OA + "end")):
                continue
            start, end = int(position[OA + "start"][0]), int(position[OA + "end"][0])
            if not 0 <= start < end <= len(text):
                continue
            # The sentence the tables and the library give the figure (figure_rows).
            sentence, sentence_start, sentence_end = sentence_around(text, start, end)
            value = (node.get("https://schema.org/value") or [""])[0]
            unit = (node.get("https://schema.org/unitText") or [""])[0]
            code = (node.get("https://schema.org/unitCode") or [""])[0]
            period = (node.get(NUA + "period") or [""])[0]
            per = (node.get(NUA + "per") or [""])[0]
            qualifier = (node.get(NUA + "qualifier") or [""])[0]
            return (
                FIELD_ORDER.get(field_iri, 2),
                start,
                text[start:end],
                Amount(value, unit, code, period, per, qualifier),
                sentence,
                sentence_start,
                sentence_end,
            )
    return None


def _english_plural(label: str, value: str) -> str:
    """Return an English unit's name for ``value`` of it (Indonesian names have no plural).

    >>> _english_plural("litre per second", "3"), _english_plural("US dollar", "1")
    ('litres per second', 'US dollar')
    >>> _english_plural("Indonesian rupiah", "5000"), _english_plural("square metre", "2.5")
    ('Indonesian rupiah', 'square metres')
    """
    try:
        if float(value) == 1 or label.endswith("rupiah"):
            return label
    except ValueError:
        return label
    head, per, tail = label.partition(" per ")
    return f"{head}s{per}{tail}" if not head.endswith("s") else label


#: A rate's time as the figures reader writes it (nualod.figures.reader), in Indonesian and
#: English.
_RATES: Final = {
    "PT1H": ("per jam", "per hour"),
    "P1D": ("per hari", "per day"),
    "P1W": ("per minggu", "per week"),
    "P1M": ("per bulan", "per month"),
    "P3M": ("per triwulan", "per quarter"),
    "P6M": ("per semester", "per half-year"),
    "P1Y": ("per tahun", "per year"),
}


_DURATION: Final = re.compile(r"P([0-9]+)([DWMY])|PT([0-9]+)H")
_UNITS: Final = {"D": ("hari", "day"), "W": ("minggu", "week"), "M": ("bulan", "month"),
                 "Y": ("tahun", "year"), "H": ("jam", "hour")}  # fmt: skip


def rate_text(per: str, lang: str) -> str:
    """Return the time a rate is per (an ISO 8601 duration) in words.

    >>> rate_text("P1M", "id"), rate_text("P2D", "id"), rate_text("P2D", "en")
    ('per bulan', 'setiap 2 hari', 'every 2 days')
    >>> rate_text("PT12H", "en"), rate_text("P1Y2M", "en")
    ('every 12 hours', 'per P1Y2M')
    >>> rate_text("P01D", "en"), rate_text("P0D", "id")
    ('per day', 'per P0D')
    """
    found = _DURATION.fullmatch(per)
    if found is None:
        known = _RATES.get(per)
        return known[lang == "en"] if known else f"per {per}"
    written, unit = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), "H")
    count = int(written)
    if count == 0:  # no time at all: no rate to say in words
        return f"per {per}"
    known = _RATES.get(f"PT{count}H" if unit == "H" else f"P{count}{unit}")
    if known is not None:
        return known[lang == "en"]
    indonesian, english = _UNITS[unit]
    return f"setiap {count} {indonesian}" if lang == "id" else f"every {count} {english}s"


# Ordered: figures sort by place, and two at one place by what they say.
@dataclass(frozen=True, slots=True, order=True)
class Amount:
    """A figure's value, its unit (the text's words, else a unit IRI) and its period."""

    value: str
    unit_text: str
    unit: str
    period: str
    #: A rate's time (an ISO 8601 duration: "P1M" is per month), or "".
    per: str = ""
    #: What the text says of the amount (a ``nua:Qualifier`` IRI: ``nua:About``), or "".
    qualifier: str = ""

    def html(self, lang: str) -> str:
        """Return the value and its unit as a page in ``lang`` shows them, and the period.

        >>> Amount("60", "", "http://qudt.org/vocab/unit/PERCENT", "").html("en")
        '<data value="60">60%</data>'
        >>> usd = Amount("21540000", "", "http://qudt.org/vocab/unit/CCY_USD", "2020-01/2020-07")
        >>> value, period = usd.html("id").split("<br>")
        >>> value
        '<data value="21540000">21.540.000 dolar Amerika Serikat</data>'
        >>> period
        '<small>periode <span class="date">Januari 2020</span> sampai <span class="date">Juli 2020</span></small>'
        >>> Amount("2", "", "http://qudt.org/vocab/unit/NUM", "", "P1M").html("en")
        '<data value="2">2 per month</data>'
        >>> Amount("2", "liter", "", "", "P2D").html("id")
        '<data value="2">2 liter setiap 2 hari</data>'
        >>> Amount("200000", "tenaga kerja", "", "", "", NUA + "About").html("en")
        'about <data value="200000">200,000 <span lang="id">tenaga kerja</span></data>'
        """
        shown = e(decimal_text(self.value, lang))
        if self.unit_text:
            # The text's own words for what is counted ("tenaga kerja"): Indonesian.
            words = e(self.unit_text)
            shown += " " + (words if lang == "id" else f'<span lang="id">{words}</span>')
        elif self.unit:
            known = units_by_iri().get(self.unit)
            if known is None:
                shown += " " + e(self.unit.rsplit("/", 1)[-1])
            elif known.key == "PERCENT":
                shown += "%"
            elif known.key != COUNT:
                # A plain count has no unit to name ("jumlah", "number").
                label = (
                    known.label_id if lang == "id" else _english_plural(known.label_en, self.value)
                )
                shown += " " + e(label)
        if self.per:
            shown += " " + e(rate_text(self.per, lang))
        html = f'<data value="{e(self.value)}">{shown}</data>'
        if self.qualifier.startswith(NUA):
            html = f"{ew(self.qualifier.removeprefix(NUA), lang)} {html}"
        if self.period:
            # A date is not broken at its hyphens.
            start, _, end = (
                f'<span class="date">{e(date_text(d, lang))}</span>' if d else ""
                for d in self.period.partition("/")
            )
            said = start if not end else f"{start} {ew('period_to', lang)} {end}"
            html += f"<br><small>{ew('period', lang)} {said}</small>"
        return html


@dataclass(slots=True)
class PracticeFacts:
    """The values of one practice that its page shows."""

    iri: str
    title: str
    summary: str
    description: str
    date: str
    region: str
    theme: str
    indicator: str
    sources: list[str]
    page_url: str
    retrieved: str
    #: (quoted text, value and unit, sentence, start and end of the quote in the sentence)
    figures: list[tuple[str, Amount, str, int, int]]
    #: A tombstone (``owl:deprecated``): the practice was removed by a release.
    withdrawn: bool = False
    #: The release that removed it, when the data says (``prov:wasInvalidatedBy``).
    removed_in: str = ""
    #: The practices that replaced it (``dcterms:isReplacedBy``).
    replaced_by: tuple[str, ...] = ()

    @classmethod
    def read(cls, iri: str, statements: list[Statement]) -> PracticeFacts:
        """Collect a practice's values from its statements."""
        values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = defaultdict(list)
        # Its hash nodes' values (figures, provenance), as text, by node and predicate.
        nested: dict[str, dict[str, list[str]]] = {}
        for key, predicate, obj, _ in statements:
            kind = type(obj)
            if kind is ox.Triple:
                continue
            assert isinstance(obj, _TERMS)
            if key == iri:
                values[predicate].append(obj)
            else:
                node = nested.get(key)
                if node is None:
                    node = nested[key] = {}
                found = node.get(predicate)
                if found is None:
                    found = node[predicate] = []
                found.append("_:" + obj.value if kind is ox.BlankNode else obj.value)

        def first(predicate: str) -> str:
            found = values.get(predicate)
            return found[0].value if found else ""

        retrieved = ""
        for node in nested.values():
            if node.get(PROV + "endedAtTime"):
                retrieved = node[PROV + "endedAtTime"][0]
        texts = {
            DCTERMS + "abstract": first(DCTERMS + "abstract"),
            DCTERMS + "description": first(DCTERMS + "description"),
        }
        figures = sorted(
            figure
            for node in nested.values()
            if NUA + "Figure" in node.get(RDF_TYPE, [])
            for figure in [_figure(node, nested, texts)]
            if figure is not None
        )
        return cls(
            iri=iri,
            title=first(DCTERMS + "title"),
            summary=first(DCTERMS + "abstract"),
            description=first(DCTERMS + "description"),
            date=first(DCTERMS + "issued"),
            region=first(DCTERMS + "spatial"),
            theme=first(NUA + "theme"),
            indicator=first(NUA + "indicator"),
            sources=sorted(v.value for v in values.get(DCTERMS + "source", [])),
            page_url=first(PROV + "wasDerivedFrom") or first(SCHEMA + "url"),
            retrieved=retrieved,
            figures=[f[2:] for f in figures],
            withdrawn=first(OWL + "deprecated") in {"true", "1"},
            removed_in=next(
                filter(
                    None,
                    (release_version(v.value) for v in values.get(PROV + "wasInvalidatedBy", [])),
                ),
                "",
            ),
            replaced_by=tuple(sorted(v.value for v in values.get(DCTERMS + "isReplacedBy", []))),
        )

    def region_code(self, context: Context) -> str:
        """Return the Kemendagri code of the practice's region."""
        return self.region.rsplit("/", 1)[-1]


def name(context: Context, iri: str, lang: str) -> str:
    """Return the HTML of a node's name in a language, or words saying it is not known."""
    found = context.label(iri, lang)
    if found is None:
        return f'<span class="unknown">{ew("unknown", lang)}</span>'
    text, text_lang = found
    if text_lang and text_lang != lang:
        return f'<span lang="{text_lang}">{e(text)}</span>'
    return e(text)


def concept_title(context: Context, iri: str, lang: str) -> str:
    """Return "Tema 10: name" style HTML for an NUA or SDG concept, a plain name otherwise."""
    notation = context.notation(iri)
    label = name(context, iri, lang)
    if notation is None:
        return label
    if "/code/theme/" in iri:
        return f"{ew('theme', lang)} {e(notation)}: {label}"
    if "/code/indicator/" in iri:
        return f"{ew('indicator', lang)} {e(notation)}: {label}"
    if is_sdg(iri):
        return f"SDG {e(notation)}: {label}"
    return f"{e(notation)}: {label}"


def link(where: Where, context: Context, iri: str, base: str, html: str | None = None) -> str:
    """Return a link to a node's page, or its name alone when the site has no page for it."""
    stem = site_path(iri, base)
    text = html if html is not None else name(context, iri, where.lang)
    if stem is None:
        return text
    return f'<a href="{where.page(stem)}">{text}</a>'


def reached(context: Context, concepts: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Return the SDG goals, other SDG concepts and UNESCO concepts NUA concepts align with."""
    goals: set[str] = set()
    sdg: set[str] = set()
    unesco: set[str] = set()
    for concept in concepts:
        for alignment in context.aligned_from.get(concept, ()):
            target = alignment.target
            if is_sdg(target):
                goal = context.goal_of(target)
                if goal == target:
                    goals.add(goal)
                else:
                    sdg.add(target)
                    if goal:
                        goals.add(goal)
            elif is_unesco(target):
                unesco.add(target)
    return _by_notation(context, goals), _by_notation(context, sdg), sorted(unesco)


def _by_notation(context: Context, iris: set[str]) -> list[str]:
    def key(iri: str) -> tuple[tuple[int, str], ...]:
        notation = context.notation(iri) or iri
        return tuple((int(p), "") if p.isdigit() else (999, p) for p in notation.split("."))

    return sorted(iris, key=key)


@dataclass(frozen=True, slots=True)
class PracticeParts:
    """The HTML of a practice's own values, the same on its page in every language: escaped
    once for both (a page's cost is mostly its own text)."""

    title: str
    summary: str
    paragraphs: str
    #: The rows of the figures table, by language (units and periods are named in it).
    figures: dict[str, str]
    sources: str
    page_url: str
    retrieved: str
    date: str
    iri: str

    @classmethod
    def of(cls, facts: PracticeFacts) -> PracticeParts:
        """Return a practice's parts; ``""`` for a value it does not have."""
        # The quote and its sentence are the text's, the same in both languages: made once.
        cells = [
            (
                f'<tr><td lang="id">{e(quote)}</td><td>',
                amount,
                f'</td><td lang="id">{e(sentence[:start])}<mark>{e(sentence[start:end])}</mark>'
                f"{e(sentence[end:])}</td></tr>",
            )
            for quote, amount, sentence, start, end in facts.figures
        ]
        rows = {
            lang: "".join(f"{head}{amount.html(lang)}{tail}" for head, amount, tail in cells)
            for lang in LANGUAGES
        }
        return cls(
            title=e(facts.title),
            # The Ringkasan's paragraphs as the Deskripsi's: one page had them run together.
            summary="".join(
                f'<p class="lead" lang="id">{e(p)}</p>'
                for p in facts.summary.split("\n\n")
                if p.strip()
            ),
            paragraphs="".join(
                f"<p>{e(p)}</p>" for p in facts.description.split("\n\n") if p.strip()
            ),
            figures=rows,
            sources="".join(
                f'<li><a href="{href(url)}" rel="nofollow" class="url">{e(url)}</a></li>'
                for url in facts.sources
            ),
            page_url=e(facts.page_url),
            retrieved=e(facts.retrieved),
            date=e(facts.date),
            iri=e(facts.iri),
        )


def practice_page(
    where: Where,
    facts: PracticeFacts,
    parts: PracticeParts,
    context: Context,
    site: SiteInfo,
    data_json: str,
) -> str:
    """Return the HTML page of one practice."""
    lang = where.lang
    place_html, creative, theme, indicator, alignments = _shared_parts(
        where, facts.region, facts.theme, facts.indicator, context, site.base
    )
    no_text = f'<p class="muted">{ew("no_text", lang)}</p>'
    paragraphs = parts.paragraphs or no_text
    summary = parts.summary or no_text
    if parts.page_url:
        read = f'{ew("read_from", lang)} <a href="{href(facts.page_url)}" rel="nofollow">{parts.page_url}</a>'
        if parts.retrieved:
            when = e(moment_text(facts.retrieved, lang))
            read += f' {ew("read_at", lang)} <time datetime="{parts.retrieved}">{when}</time>'
        read += "."
    else:
        read = ew("not_harvested", lang)
    figures = ""
    if parts.figures[lang]:
        figures = (
            f'<section><h2>{ew("figures", lang)}</h2><div class="scroll"><table class="figures">'
            f'<thead><tr><th scope="col">{ew("figure_value", lang)}</th>'
            f'<th scope="col">{ew("figure_normal", lang)}</th>'
            f'<th scope="col">{ew("figure_sentence", lang)}</th></tr></thead>'
            f"<tbody>{parts.figures[lang]}</tbody></table></div></section>"
        )
    year = facts.date[:4]
    cite = (
        f'{e(site.creator)} ({e(year)}). <cite lang="id">{parts.title}</cite>. '
        f"{e(site.dataset_name.get(lang, ''))}. nualod. "
        f'<a href="{parts.iri}">{parts.iri}</a>'
    )
    stem = where.stem
    date = e(date_text(facts.date, lang))
    body = (
        f'<article class="practice"><p class="kicker">{ew("practice", lang)} · '
        f'<time datetime="{parts.date}">{date}</time></p>'
        f'<h1 lang="id">{parts.title}</h1>'
        f'<p class="place">{place_html}</p>{creative}'
        f'<dl class="facts"><dt>{ew("theme", lang)}</dt><dd>{theme}</dd>'
        f"<dt>{ew('indicator', lang)}</dt><dd>{indicator}</dd>"
        f"<dt>{ew('date', lang)}</dt><dd><time "
        f'datetime="{parts.date}">{date}</time></dd>'
        f"{context.versions.history(where, context.triples.get(facts.iri))}</dl>"
        f"<section><h2>{ew('summary', lang)}</h2>{summary}</section>"
        f'<section><h2>{ew("description", lang)}</h2><div lang="id">{paragraphs}</div></section>'
        f"{figures}"
        f"{alignments}"
        f"<section><h2>{ew('sources', lang)}</h2><ul>{parts.sources}</ul><p>{read}</p></section>"
        f'<section><h2>{ew("licence", lang)}</h2><p><a href="{href(site.licence)}" '
        f'rel="license">{e(site.licence_name)}</a></p></section>'
        f'<section><h2>{ew("cite", lang)}</h2><p class="cite">{cite}</p></section>'
        f"<section><h2>{ew('downloads', lang)}</h2><p>{ew('this_as', lang)} "
        f"{_data_files(where, stem)}</p>"
        f'<p class="iri">{ew("identifier", lang)}: <code>{parts.iri}</code></p></section>'
        "</article>"
    )
    head = (
        f"{signposts(where, stem, facts.iri, site.licence)}"
        f'<script type="application/ld+json">{data_json}</script>\n'
    )
    return shell(
        where,
        facts.title,
        body,
        description=shortened(facts.summary, 300),
        head=head,
        canonical=site.base_url + where.file,
        versions=bool(context.versions.current),
    )


def tombstone_page(
    where: Where,
    facts: PracticeFacts,
    parts: PracticeParts,
    context: Context,
    site: SiteInfo,
    data_json: str,
) -> str:
    """Return the page of a practice a release removed: what happened, and where to go."""
    lang = where.lang
    stem = where.stem
    removed = (
        ew("withdrawn_in", lang).format(
            version=context.versions.version_link(where, facts.removed_in)
        )
        if facts.removed_in
        else ew("withdrawn_when_unknown", lang)
    )
    if facts.replaced_by:
        targets = "".join(
            f"<li>{link(where, context, iri, site.base, f'<code>{e(iri)}</code>')}</li>"
            for iri in facts.replaced_by
        )
        onward = f"<p>{ew('replaced_by', lang)}</p><ul>{targets}</ul>"
    else:
        onward = (
            f'<p>{ew("not_replaced", lang)} <a href="{where.page("index")}">'
            f"{ew('see_others', lang)}</a></p>"
        )
    body = (
        f'<article class="practice withdrawn"><p class="kicker">{ew("practice", lang)} · '
        f"{ew('withdrawn', lang)}</p>"
        f"<h1>{ew('withdrawn_title', lang)}</h1>"
        + (
            f'<p class="was">{ew("withdrawn_was", lang)} <q lang="id">{e(facts.title)}</q></p>'
            if facts.title
            else ""
        )
        + f"<p>{removed}</p>{onward}"
        f"<section><h2>{ew('downloads', lang)}</h2><p>{ew('this_as', lang)} "
        f"{_data_files(where, stem)}</p>"
        f'<p class="iri">{ew("identifier", lang)}: <code>{parts.iri}</code></p></section>'
        "</article>"
    )
    head = (
        # The page stays for those who hold the IRI; search engines should drop it.
        '<meta name="robots" content="noindex">\n'
        f"{signposts(where, stem, facts.iri)}"
        f'<script type="application/ld+json">{data_json}</script>\n'
    )
    return shell(
        where,
        word("withdrawn_title", lang),
        body,
        head=head,
        versions=bool(context.versions.current),
    )


def _data_files(where: Where, stem: str) -> str:
    """Return the links to a practice's data files, for its downloads."""
    return " · ".join(
        f'<a href="{where.data(stem, extension)}" type="{media}">{name} (.{extension})</a>'
        for extension, media, name in DATA_FILES
    )


_PLACES: dict[tuple[str, str, str], tuple[str, str]] = {}
_CONCEPTS: dict[tuple[str, str, str, str], tuple[str, str, str]] = {}


def _shared_parts(
    where: Where, region_iri: str, theme_iri: str, indicator_iri: str, context: Context, base: str
) -> tuple[str, str, str, str, str]:
    """Return the HTML a practice page shares with others of its place, theme and indicator.

    Every practice page of one language sits at the same depth, so these parts are the same
    on all of them: computed once per (language, region) and (language, theme, indicator),
    they keep a page's cost to its own text.
    """
    lang = where.lang
    place_key = (lang, where.root, region_iri)
    places = _PLACES.get(place_key)
    if places is None:
        region = context.regions.get(region_iri.rsplit("/", 1)[-1])
        place = link(where, context, region_iri, base)
        creative = ""
        if region is not None and region.province:
            place += ", " + link(where, context, region.province, base)
        if region is not None:
            creative = creative_badge(where, context, region.iri)
        places = _PLACES[place_key] = (place, creative)
    concept_key = (lang, where.root, theme_iri, indicator_iri)
    concepts = _CONCEPTS.get(concept_key)
    if concepts is None:
        theme = link(where, context, theme_iri, base, concept_title(context, theme_iri, lang))
        indicator = link(
            where, context, indicator_iri, base, concept_title(context, indicator_iri, lang)
        )
        goals, sdg, unesco = reached(context, [theme_iri, indicator_iri])

        def items(iris: list[str]) -> str:
            if not iris:
                return f"<p>{ew('none_aligned', lang)}</p>"
            listed = "".join(
                f"<li>{link(where, context, i, base, concept_title(context, i, lang))}</li>"
                for i in iris
            )
            return f"<ul>{listed}</ul>"

        alignments = (
            f"<section><h2>{ew('alignments', lang)}</h2>"
            f"<h3>{ew('sdg_goals', lang)}</h3>{items(goals)}"
            f"<h3>{ew('sdg_concepts', lang)}</h3>{items(sdg)}"
            f"<h3>{ew('unesco_concepts', lang)}</h3>{items(unesco)}</section>"
        )
        concepts = _CONCEPTS[concept_key] = (theme, indicator, alignments)
    return (*places, *concepts)


def creative_badge(where: Where, context: Context, region_iri: str) -> str:
    """Return the UNESCO Creative City note of a region, or nothing."""
    lang = where.lang
    notes = []
    for node in context.iris(region_iri, NUA + "creativeCity"):
        field_text = context.text(node, NUA + "creativeField", lang)
        year = context.values(node, NUA + "designationYear")
        pages = context.iris(node, "http://www.w3.org/2000/01/rdf-schema#seeAlso")
        field_html = e(field_text[0]) if field_text else ew("unknown", lang)
        if field_text and field_text[1] and field_text[1] != lang:
            field_html = f'<span lang="{field_text[1]}">{field_html}</span>'
        # "Kota Kreatif UNESCO bidang Sastra", "UNESCO Creative City of Literature".
        text = f"{ew('creative_city', lang)} {ew('field', lang)} {field_html}"
        if year:
            text += f" {ew('since', lang)} {e(year[0].value)}"
        if pages:
            text += f' (<a href="{href(pages[0])}" rel="nofollow">UNESCO</a>)'
        notes.append(f'<p class="badge">{text}</p>')
    return "".join(notes)
