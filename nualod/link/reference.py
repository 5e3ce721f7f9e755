"""Reference data shipped inside the package: regions, creative cities, NUF codes, alignments.

Every loader reads a file under ``nualod/data`` or ``nualod/vocab`` through
:func:`importlib.resources.files`, once (the results are cached and immutable). Nothing
here touches the network or any folder outside the installed package. Where the files
come from, and under which licence, is in ``nualod/data/ATTRIBUTION.md``.
"""

from __future__ import annotations

import builtins
import csv
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nualod.model.namespaces import INDICATOR_SCHEME, SKOS, THEME_SCHEME
from nualod.model.records import Region
from nualod.model.resources import resource_text

__all__ = [
    "ALIGNMENT_PROPERTIES",
    "Alignment",
    "CreativeCity",
    "NufCode",
    "NufCodes",
    "load_alignments",
    "load_creative_cities",
    "load_nuf_codes",
    "load_regions",
    "load_sdg_codes",
    "sdg_iri",
]

#: The SKOS mapping properties an alignment may use, as written in ``alignments.csv``.
ALIGNMENT_PROPERTIES: tuple[str, ...] = (
    "skos:exactMatch",
    "skos:closeMatch",
    "skos:broadMatch",
    "skos:narrowMatch",
    "skos:relatedMatch",
)


@dataclass(frozen=True, slots=True)
class CreativeCity:
    """A member of the UNESCO Creative Cities Network in Indonesia.

    ``code`` is the Kemendagri code of the member region (a kota, or the province 31 for
    Jakarta), ``field`` the creative field ("Crafts and Folk Art"), ``field_id`` its name in
    Indonesian ("Kerajinan dan Seni Rakyat"), ``page`` UNESCO's page.
    """

    code: str
    name: str
    field: str
    field_id: str
    year: int
    page: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class NufCode:
    """A theme or indicator of the NUF as far as public pages name it (a seed, not a list).

    ``name_id`` / ``name_en`` are ``None`` where no page shows them; ``theme`` is the number
    of the theme an indicator sits in, when known; ``status`` says whether the entry was
    seen on a NUF page or inferred (e.g. from UN-Habitat's draft NUA Monitoring Framework).
    A name seen cut off on a page ends in "..."; see :attr:`truncated`.
    """

    kind: str  # "theme" or "indicator"
    number: int
    name_id: str | None
    name_en: str | None
    theme: int | None
    status: str
    source: str

    @property
    def truncated(self) -> bool:
        """Return whether the Indonesian name was seen cut off ("... Ekonomi Kr...").

        >>> load_nuf_codes().themes[11].truncated
        True
        """
        return bool(self.name_id and self.name_id.endswith("..."))


@dataclass(frozen=True, slots=True)
class NufCodes:
    """The seed names of NUF themes and indicators, by number."""

    themes: Mapping[int, NufCode]
    indicators: Mapping[int, NufCode]


@dataclass(frozen=True, slots=True)
class Alignment:
    """One curated mapping from an NUA theme or indicator to an SDG or UNESCO concept."""

    subject: str
    subject_label: str
    property: str  # one of ALIGNMENT_PROPERTIES, e.g. "skos:relatedMatch"
    object: str
    object_label: str
    justification: str
    #: The justification in Indonesian.
    justification_id: str
    #: How the mapping was made, a SEMAPV term ("semapv:ManualMappingCuration").
    mapping_justification: str
    #: The curators' confidence that the property holds, from 0 to 1 (as text: "0.9").
    confidence: str
    #: The IRI of who curated it, and when (ISO date).
    author: str
    mapping_date: str

    @builtins.property
    def property_iri(self) -> str:
        """Return the full IRI of the mapping property.

        >>> load_alignments()[0].property_iri.startswith("http://www.w3.org/2004/02/skos/core#")
        True
        """
        return SKOS + self.property.removeprefix("skos:")


def _rows(relative_path: str) -> list[dict[str, str]]:
    """Read a shipped CSV file into dictionaries keyed by its header."""
    return list(csv.DictReader(io.StringIO(resource_text(relative_path), newline="")))


@functools.cache
def load_regions() -> Mapping[str, Region]:
    """Load the 38 provinces and 514 kabupaten/kota by Kemendagri code.

    ``wikidata`` is a bare QID and ``geonames`` a bare id (``None`` where unknown).

    >>> r = load_regions()["33.75"]
    >>> r.name, r.kind, r.province_code, r.wikidata, r.geonames
    ('Kota Pekalongan', 'kota', '33', 'Q11026', '1631766')
    >>> load_regions()["33"].kind
    'provinsi'
    """
    regions = {
        row["code"]: Region(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            province_code=row["province_code"] or None,
            wikidata=row["wikidata"] or None,
            geonames=row["geonames"] or None,
            latitude=row["latitude"] or None,
            longitude=row["longitude"] or None,
            identity=row["identity"],
            identity_note=row["identity_note"] or None,
        )
        for row in _rows("data/regions.csv")
    }
    return MappingProxyType(regions)


@functools.cache
def load_creative_cities() -> Mapping[str, CreativeCity]:
    """Load the Indonesian UNESCO Creative Cities by Kemendagri code.

    >>> c = load_creative_cities()["33.75"]
    >>> c.name, c.field, c.field_id, c.year
    ('Kota Pekalongan', 'Crafts and Folk Art', 'Kerajinan dan Seni Rakyat', 2014)
    >>> c.page
    'https://en.unesco.org/creative-cities/pekalongan'
    """
    return MappingProxyType(
        {
            row["code"]: CreativeCity(
                code=row["code"],
                name=row["name"],
                field=row["field"],
                field_id=row["field_id"],
                year=int(row["year"]),
                page=row["page"],
                evidence=row["evidence"],
            )
            for row in _rows("data/creative_cities.csv")
        }
    )


@functools.cache
def load_nuf_codes() -> NufCodes:
    """Load the seed names of NUF themes and indicators (Indonesian and English), by number.

    >>> codes = load_nuf_codes()
    >>> codes.indicators[47].name_id
    'Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik'
    >>> codes.indicators[47].theme, codes.themes[2].name_en
    (10, 'inclusivity')
    >>> codes.themes[10].name_id is None
    True
    """
    themes: dict[int, NufCode] = {}
    indicators: dict[int, NufCode] = {}
    for row in _rows("data/nuf_themes_indicators.csv"):
        code = NufCode(
            kind=row["kind"],
            number=int(row["number"]),
            name_id=row["name_id"] or None,
            name_en=row["name_en"] or None,
            theme=int(row["theme"]) if row["theme"] else None,
            status=row["status"],
            source=row["source"],
        )
        (themes if code.kind == "theme" else indicators)[code.number] = code
    return NufCodes(MappingProxyType(themes), MappingProxyType(indicators))


@functools.cache
def load_alignments() -> tuple[Alignment, ...]:
    """Load the curated alignments of NUA themes and indicators to SDG and UNESCO concepts.

    >>> [a.object.rsplit("/", 1)[1] for a in load_alignments()
    ...  if a.subject.endswith("/indicator/47") and "/sdg/" in a.object]
    ['4.3', '4.4', 'C040301']
    """
    out = []
    for row in _rows("vocab/alignments.csv"):
        alignment = Alignment(**row)
        if alignment.property not in ALIGNMENT_PROPERTIES:
            raise ValueError(f"alignments.csv: unknown property {alignment.property!r}")
        if not alignment.subject.startswith((THEME_SCHEME + "/", INDICATOR_SCHEME + "/")):
            raise ValueError(f"alignments.csv: not a theme or indicator {alignment.subject!r}")
        out.append(alignment)
    return tuple(out)


@functools.cache
def load_sdg_codes() -> Mapping[str, str]:
    """Load every printed SDG code (goal, target, indicator) with the UN's IRI for it.

    >>> codes = load_sdg_codes()
    >>> codes["4.4"]
    'http://metadata.un.org/sdg/4.4'
    >>> codes["4.4.1"]
    'http://metadata.un.org/sdg/C040401'
    """
    return MappingProxyType({row["code"]: row["iri"] for row in _rows("data/sdg_codes.csv")})


def sdg_iri(code: str) -> str:
    """Return the UN IRI of a printed SDG code ("11.5.1" is the indicator ``C200303``).

    >>> sdg_iri("11.5.1")
    'http://metadata.un.org/sdg/C200303'
    >>> sdg_iri(" 4.4.1 ")
    'http://metadata.un.org/sdg/C040401'
    >>> sdg_iri("4.4.9")
    Traceback (most recent call last):
    ...
    KeyError: "no SDG goal, target or indicator '4.4.9'"
    """
    try:
        return load_sdg_codes()[code.strip()]
    except KeyError:
        raise KeyError(f"no SDG goal, target or indicator {code.strip()!r}") from None
