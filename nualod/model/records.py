"""Typed, immutable records read from NUF pages and tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Theme:
    """An NUA theme as numbered by the NUF ("tema 10")."""

    number: int
    name: str | None = None

    @property
    def notation(self) -> str:
        """Return the two-digit notation the NUF prints ("01", "10").

        >>> Theme(1).notation
        '01'
        """
        return f"{self.number:02d}"


@dataclass(frozen=True, slots=True)
class Indicator:
    """An NUA indicator ("indikator 47") with its Indonesian name and its theme number."""

    number: int
    name: str
    theme: int

    def __reduce__(self) -> tuple[type[Indicator], tuple[int, str, int]]:
        # Sent by workers with every practice; see nualod.write.dumps.Rendered.__reduce__.
        return Indicator, (self.number, self.name, self.theme)

    @property
    def notation(self) -> str:
        """Return the notation of the indicator ("47").

        >>> Indicator(47, "x", 10).notation
        '47'
        """
        return str(self.number)


@dataclass(frozen=True, slots=True)
class City:
    """A kota or kabupaten as a page names it ("Kota Pekalongan")."""

    name: str


@dataclass(frozen=True, slots=True)
class Source:
    """A source link of a practice (a "Sumber" line)."""

    url: str


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: a file or URL, and a record within it (a table row)."""

    location: str
    record: str | None = None
    page_url: str | None = None
    retrieved_at: dt.datetime | None = None

    def describe(self) -> str:
        r"""Return a short human label ("pages/a.txt", "list.csv row 3").

        A file name that is not UTF-8 (undecodable bytes kept as surrogates, as ``os``
        gives them) shows those bytes escaped, so the label can be printed and written.

        >>> Origin("list.csv", "row 3").describe()
        'list.csv row 3'
        >>> print(Origin("pages/b\udcffa.txt").describe())
        pages/b\xffa.txt
        """
        label = f"{self.location} {self.record}" if self.record else self.location
        return label if label.isascii() else shown_name(label)


def shown_name(name: str) -> str:
    r"""Return a path or label with the bytes it could not decode (surrogates) escaped.

    >>> print(shown_name("a\udcfe\udcff.txt"), shown_name("Kota Bogor.txt"))
    a\xfe\xff.txt Kota Bogor.txt
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return name


@dataclass(frozen=True, slots=True)
class Practice:
    """One good practice of implementing the New Urban Agenda in a city."""

    theme: Theme
    indicator: Indicator
    city: City
    tagline: str | None
    summary: str | None
    description: str | None
    sources: tuple[Source, ...]
    issued: dt.date
    origin: Origin = field(compare=False)

    @property
    def title(self) -> str:
        """Return the practice's title: the page's city line.

        >>> Practice(Theme(10), Indicator(47, "x", 10), City("Kota Pekalongan"), "Kota Batik",
        ...          None, None, (), dt.date(2025, 12, 18), Origin("a.txt")).title
        'Kota Pekalongan, Kota Batik'
        """
        return f"{self.city.name}, {self.tagline}" if self.tagline else self.city.name


@dataclass(frozen=True, slots=True)
class Region:
    """An Indonesian province, kabupaten or kota with its identifiers."""

    code: str
    name: str
    kind: str  # "provinsi", "kabupaten" or "kota"
    province_code: str | None
    wikidata: str | None
    geonames: str | None
    #: WGS 84 degrees as the reference data writes them (kabupaten and kota only).
    latitude: str | None = None
    longitude: str | None = None
    #: Whether the Wikidata and GeoNames ids name this very place ("sameAs") or a place
    #: whose territory has changed since ("closeMatch"; ``identity_note`` says how).
    identity: str = "sameAs"
    identity_note: str | None = None


@dataclass(frozen=True, slots=True)
class LinkedPractice:
    """A practice whose city has been resolved to a region."""

    practice: Practice
    region: Region
