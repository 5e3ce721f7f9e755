"""The registry of dump formats: file name, media type, EU file type, name and writer.

Every place that names a dump (publish opening its sinks, the catalog describing them,
``push`` choosing what to upload, the store loading the N-Quads) reads this one table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nualod.errors import PublishError
from nualod.write.csvw import (
    CSV_METADATA_NAME,
    CSV_NAME,
    DATAPACKAGE_NAME,
    FIGURES_NAME,
    SOURCES_NAME,
)
from nualod.write.dumps import DumpSink, JsonLdSink, NQuadsSink, NTriplesSink, TurtleSink
from nualod.write.geojson import GEOJSON_NAME
from nualod.write.plainjson import JSON_NAME, SCHEMA_NAME
from nualod.write.sssom import SSSOM_NAME
from nualod.write.tablesinks import (
    CsvSink,
    FiguresCsvSink,
    GeoJsonSink,
    PracticesJsonSink,
    SourcesCsvSink,
    csvw_metadata_sink,
    data_base,
    datapackage_sink,
    json_schema_sink,
    sssom_sink,
)

#: The EU Publications Office's file-type authority (``dcat:format`` of a distribution).
EU_FILE_TYPE: Final = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True, slots=True)
class DumpFormat:
    """One dump of the release."""

    file_name: str
    media_type: str
    eu_file_type: str
    format_name: str
    #: Opens the dump's sink under a temporary name, given its path and the Turtle prefixes.
    open_sink: Callable[[Path, Mapping[str, str]], DumpSink]
    #: Whether the file is RDF (a VoID data dump), not a table or a description of one.
    rdf: bool = True
    #: What names its distribution, where the file's suffix is not enough ("csvw").
    distribution: str = ""
    #: The format's name in Indonesian, where it has words in it ("CSV (sumber praktik)").
    format_name_id: str = ""
    #: What its distribution is called, in English and Indonesian, where "nualod dump in
    #: FORMAT" would misname it (a description of other files, a changelog, a feed).
    title_en: str = ""
    title_id: str = ""

    @property
    def key(self) -> str:
        """Return what names the file's distribution: its suffix, unless given ("ttl").

        >>> TURTLE.key, CSVW_METADATA.key
        ('ttl', 'csvw')
        """
        return self.distribution or self.file_name.rsplit(".", 1)[-1]

    @property
    def file_type_iri(self) -> str:
        """Return the EU file-type IRI."""
        return EU_FILE_TYPE + self.eu_file_type

    def format_name_in(self, lang: str) -> str:
        """Return the format's name in ``lang`` ("id" or "en"); a bare name is the same in both.

        >>> SOURCES_CSV.format_name_in("id"), TURTLE.format_name_in("id")
        ('CSV (sumber praktik)', 'Turtle')
        """
        return (self.format_name_id if lang == "id" else "") or self.format_name

    def title_in(self, lang: str) -> str:
        """Return the title of the format's distribution in ``lang`` ("id" or "en").

        >>> TURTLE.title_in("en"), TURTLE.title_in("id")
        ('nualod dump in Turtle', 'Dump nualod dalam format Turtle')
        >>> CHANGE_FEED.title_in("en")
        'nualod change feed (Linked Data Event Stream, TriG)'
        """
        if lang == "id":
            return self.title_id or f"Dump nualod dalam format {self.format_name_in('id')}"
        return self.title_en or f"nualod dump in {self.format_name}"


TURTLE: Final = DumpFormat(
    "nualod.ttl", "text/turtle", "RDF_TURTLE", "Turtle",
    lambda path, prefixes: TurtleSink(path, dict(prefixes)),
)  # fmt: skip
NTRIPLES: Final = DumpFormat(
    "nualod.nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples",
    lambda path, prefixes: NTriplesSink(path),
)  # fmt: skip
NQUADS: Final = DumpFormat(
    "nualod.nq", "application/n-quads", "RDF_N_QUADS", "N-Quads",
    lambda path, prefixes: NQuadsSink(path),
)  # fmt: skip
JSONLD: Final = DumpFormat(
    "nualod.jsonld", "application/ld+json", "JSON_LD", "JSON-LD",
    lambda path, prefixes: JsonLdSink(path),
)  # fmt: skip

# The table formats and their descriptions (nualod.write.tablesinks): the CSV opens first,
# as the plain JSON and GeoJSON sinks read their rows from its row source.
CSV: Final = DumpFormat(
    CSV_NAME, "text/csv", "CSV", "CSV",
    lambda path, prefixes: CsvSink(path), rdf=False,
)  # fmt: skip
SOURCES_CSV: Final = DumpFormat(
    SOURCES_NAME, "text/csv", "CSV", "CSV (practice sources)",
    lambda path, prefixes: SourcesCsvSink(path), rdf=False, distribution="practice-sources",
    format_name_id="CSV (sumber praktik)",
)  # fmt: skip
FIGURES_CSV: Final = DumpFormat(
    FIGURES_NAME, "text/csv", "CSV", "CSV (practice figures)",
    lambda path, prefixes: FiguresCsvSink(path), rdf=False, distribution="practice-figures",
    format_name_id="CSV (angka praktik)",
)  # fmt: skip
CSVW_METADATA: Final = DumpFormat(
    CSV_METADATA_NAME, "application/csvm+json", "JSON", "CSVW metadata",
    csvw_metadata_sink, rdf=False, distribution="csvw", format_name_id="Metadata CSVW",
    title_en="CSVW metadata of the nualod CSV tables",
    title_id="Metadata CSVW tabel CSV nualod",
)  # fmt: skip
DATAPACKAGE: Final = DumpFormat(
    DATAPACKAGE_NAME, "application/json", "JSON", "Frictionless Data Package",
    datapackage_sink, rdf=False, distribution="datapackage",
    title_en="Frictionless Data Package of the nualod CSV tables",
    title_id="Frictionless Data Package tabel CSV nualod",
)  # fmt: skip
PLAIN_JSON: Final = DumpFormat(
    JSON_NAME, "application/json", "JSON", "JSON",
    lambda path, prefixes: PracticesJsonSink(path, data_base(prefixes)), rdf=False,
)  # fmt: skip
# application/schema+json is the JSON Schema drafts' own and not registered with IANA, and
# a dcat:mediaType is a media type "as defined by IANA" (DCAT 3, 6.8 Distribution, property
# media type): a JSON Schema is JSON (RFC 8259), registered as application/json.
JSON_SCHEMA: Final = DumpFormat(
    SCHEMA_NAME, "application/json", "JSON", "JSON Schema",
    json_schema_sink, rdf=False, distribution="json-schema",
    title_en="JSON Schema of the nualod plain JSON",
    title_id="JSON Schema untuk JSON biasa nualod",
)  # fmt: skip
GEOJSON: Final = DumpFormat(
    GEOJSON_NAME, "application/geo+json", "GEOJSON", "GeoJSON",
    lambda path, prefixes: GeoJsonSink(path), rdf=False,
)  # fmt: skip
SSSOM: Final = DumpFormat(
    SSSOM_NAME, "text/tab-separated-values", "TSV", "SSSOM",
    sssom_sink, rdf=False, distribution="sssom",
    title_en="nualod alignments as an SSSOM mapping table",
    title_id="Penyelarasan nualod sebagai tabel pemetaan SSSOM",
)  # fmt: skip
#: The table formats and their descriptions, in the order the catalog lists them.
TABLE_FORMATS: Final = (
    CSV, SOURCES_CSV, FIGURES_CSV, CSVW_METADATA, DATAPACKAGE, PLAIN_JSON, JSON_SCHEMA,
    GEOJSON, SSSOM,
)  # fmt: skip

#: Every dump, in the order the catalog lists them.
DUMP_FORMATS: Final[tuple[DumpFormat, ...]] = (TURTLE, NTRIPLES, NQUADS, JSONLD, *TABLE_FORMATS)
#: Every dump's file name, in that order.
DUMP_FILE_NAMES: Final[tuple[str, ...]] = tuple(f.file_name for f in DUMP_FORMATS)
#: Dump file name -> its format.


def _written_by_the_release(path: Path, prefixes: Mapping[str, str]) -> DumpSink:
    raise PublishError(f"{path.name}: written by the release (nualod.releases), not by a sink")


# What a release says of the one before it (nualod.releases.changelog): described in the
# catalog like the dumps, but written once the dumps are.
CHANGELOG_JSON: Final = DumpFormat(
    "changelog.json", "application/json", "JSON", "Changelog (JSON)",
    _written_by_the_release, rdf=False, distribution="changelog-json",
    format_name_id="Catatan perubahan (JSON)",
    title_en="nualod changelog of this release (JSON)",
    title_id="Catatan perubahan nualod pada rilis ini (JSON)",
)  # fmt: skip
CHANGELOG_MD: Final = DumpFormat(
    "changelog.md", "text/markdown", "TXT", "Changelog (Markdown)",
    _written_by_the_release, rdf=False, distribution="changelog-md",
    format_name_id="Catatan perubahan (Markdown)",
    title_en="nualod changelog of this release (Markdown)",
    title_id="Catatan perubahan nualod pada rilis ini (Markdown)",
)  # fmt: skip
# The change feed's root node (nualod.releases.feed): a Linked Data Event Stream.
CHANGE_FEED: Final = DumpFormat(
    "feed/index.trig", "application/trig", "RDF_TRIG", "Linked Data Event Stream (TriG)",
    _written_by_the_release, rdf=False, distribution="ldes",
    title_en="nualod change feed (Linked Data Event Stream, TriG)",
    title_id="Umpan perubahan nualod (Linked Data Event Stream, TriG)",
)  # fmt: skip
#: The files of a release that are no dump, in the order the catalog lists them.
RELEASE_FORMATS: Final[tuple[DumpFormat, ...]] = (CHANGELOG_JSON, CHANGELOG_MD, CHANGE_FEED)
BY_FILE_NAME: Final[dict[str, DumpFormat]] = {
    f.file_name: f for f in (*DUMP_FORMATS, *RELEASE_FORMATS)
}


def dump_format(file_name: str) -> DumpFormat:
    """Return the format of a dump file name.

    >>> dump_format("nualod.nq").media_type
    'application/n-quads'
    """
    try:
        return BY_FILE_NAME[file_name]
    except KeyError:
        raise PublishError(f"{file_name}: not a nualod dump") from None


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A finished dump file as measured on disk."""

    name: str
    byte_size: int
    sha256: str

    @property
    def format(self) -> DumpFormat:
        """Return the dump's format."""
        return dump_format(self.name)

    @property
    def media_type(self) -> str:
        """Return the IANA media type ("text/turtle")."""
        return self.format.media_type

    @property
    def file_type(self) -> str:
        """Return the EU file-type IRI."""
        return self.format.file_type_iri

    @property
    def format_name(self) -> str:
        """Return the format's name ("Turtle")."""
        return self.format.format_name

    @property
    def key(self) -> str:
        """Return the file's suffix, which names its distribution ("ttl")."""
        return self.format.key


def measure_dump(path: Path, name: str | None = None) -> DumpFile:
    """Return a dump file's byte size and sha256, read from the finished file.

    ``name`` is the file's published name when ``path`` is still its temporary name.
    """
    name = name or path.name
    if name not in BY_FILE_NAME:
        raise PublishError(f"{path}: not a nualod dump")
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise PublishError(f"{path}: cannot read: {error.strerror or error}") from None
    return DumpFile(name, size, digest.hexdigest())


def open_sinks(out_dir: Path, prefixes: Mapping[str, str]) -> list[DumpSink]:
    """Return a sink for every dump, each under a temporary name in ``out_dir``."""
    sinks: list[DumpSink] = []
    try:
        for dump in DUMP_FORMATS:
            sinks.append(dump.open_sink(out_dir / dump.file_name, prefixes))
    except BaseException:
        for sink in sinks:
            sink.discard()
        raise
    return sinks
