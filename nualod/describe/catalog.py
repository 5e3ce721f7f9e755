"""Describe the published dumps as a DCAT-AP 3 catalog (Turtle and JSON-LD).

:func:`catalog_triples` builds the catalog (no I/O) from measured dump files
(:func:`nualod.write.formats.measure_dump`) and a :class:`Release`; :func:`catalog_turtle` and
:func:`catalog_jsonld` serialise it. The shape of the catalog follows what CKAN's DCAT
harvester (ckanext-dcat, ``euro_dcat_ap_3``) reads: a licence on every distribution whose
document is titled "Creative Commons Attribution Share-Alike" (CKAN's ``cc-by-sa``), a
rights statement with an IRI and an ``rdfs:label``, one sha256 checksum, integer byte sizes,
absolute IRIs for every distribution, English text before Indonesian, keywords of letters,
digits, space and ``- _ .`` only, and JSON-LD with its context inline.

Licence: the dumps include an excerpt of the UNESCO Thesaurus (CC BY-SA 3.0 IGO), whose
ShareAlike term carries over to the dumps, so they are published under CC BY-SA 4.0 (a
later ShareAlike licence); :data:`RIGHTS_TEXT` names the third-party terms (see NOTICE.md).

Dates: ``dct:issued`` defaults to the first practice date and ``dct:modified`` to the
latest of the last practice date, the last time a practice's page was retrieved
(``prov:endedAtTime`` of the retrieval that influenced it, from harvest sidecars) and a
given ``--issued``; a version (``--release``) is issued whole, so its ``dct:issued``
defaults to the day of its moment (:func:`nualod.releases.feed.release_moment`), never
before the version it follows (its practices' span is ``dct:temporal``). ``dct:modified`` does not move
when only the reference data changes (regions, SDG, UNESCO, NUA codes): give ``--modified``
for such a release. A release issued after it was modified is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from nualod.describe.publisher import DEFAULT_PUBLISHER, Publisher
from nualod.errors import UsageError, option
from nualod.model.iris import DataIRIs
from nualod.model.licence import CREATOR_NAME, LICENSE, LICENSE_NAME, LICENSE_TITLE
from nualod.model.namespaces import ADMS, DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, SPDX, VCARD, XSD
from nualod.model.resources import resource_json
from nualod.model.writing import date_text, grouped
from nualod.write.dumps import turtle_bytes
from nualod.write.formats import DumpFile

CATALOG_TTL: Final = "catalog.ttl"
CATALOG_JSONLD: Final = "catalog.jsonld"
CONTEXT_RESOURCE: Final = "vocab/catalog-context.jsonld"

UNESCO_LICENSE: Final = "https://creativecommons.org/licenses/by-sa/3.0/igo/"
#: The rights statement on every distribution: the third-party data the dumps include.
RIGHTS_TEXT: Final = (
    "The data include concepts of the UNESCO Thesaurus (http://vocabularies.unesco.org/"
    "thesaurus), (c) UNESCO, under CC BY-SA 3.0 IGO (" + UNESCO_LICENSE + "), not endorsed "
    "by UNESCO; and concepts of the UN SDG Knowledge Organization System "
    "(http://metadata.un.org/sdg), made available free of charge by the United Nations with "
    "the citation: Amit Joshi, Luis Gonzalez Morales, Szymon Klarman and Aaron Helton. 2019. "
    "A Knowledge Organization System for the United Nations Sustainable Development Goals. "
    "New York, NY. http://metadata.un.org/sdg (doi:10.1007/978-3-030-77385-4_33)."
)
EU: Final = "http://publications.europa.eu/resource/authority/"
IANA: Final = "https://www.iana.org/assignments/media-types/"
FILE_TYPE: Final = EU + "file-type/"
DATA_THEME: Final = EU + "data-theme"
THEMES: Final = {"REGI": "Regions and cities", "SOCI": "Population and society"}
LANGUAGES: Final = ("ENG", "IND")
#: Indonesia: the EU country authority, GeoNames and Wikidata.
INDONESIA: Final = (
    EU + "country/IDN",
    "https://sws.geonames.org/1643084/",
    "http://www.wikidata.org/entity/Q252",
)
CREATOR_HOMEPAGE: Final = "https://habitatidn.id/"

TITLE: Final = {
    "en": "Good practices of the New Urban Agenda in Indonesian cities (National Urban Forum)",
    "id": "Praktik baik Agenda Baru Perkotaan di kota Indonesia (National Urban Forum)",
}
DESCRIPTION: Final = {
    "en": (
        "Good practices of implementing the UN New Urban Agenda in Indonesian cities and "
        "regencies, as reported by Indonesia's National Urban Forum, published as linked open "
        "data: each practice with its NUA theme and indicator, its kota or kabupaten "
        "(Kemendagri code, Wikidata, GeoNames), its sources and its date, aligned with the "
        "SDG indicators and the UNESCO Thesaurus."
    ),
    "id": (
        "Praktik baik implementasi Agenda Baru Perkotaan PBB di kota dan kabupaten Indonesia, "
        "sebagaimana dilaporkan National Urban Forum Indonesia, diterbitkan sebagai data "
        "terbuka tertaut: setiap praktik dengan tema dan indikator NUA, kota atau kabupatennya "
        "(kode Kemendagri, Wikidata, GeoNames), sumber dan tanggalnya, diselaraskan dengan "
        "indikator SDG dan Tesaurus UNESCO."
    ),
}
KEYWORDS: Final = {
    "en": ("New Urban Agenda", "good practice", "urban development", "Indonesia", "SDG 11",
           "linked open data", "National Urban Forum"),
    "id": ("Agenda Baru Perkotaan", "praktik baik", "pembangunan perkotaan", "Indonesia",
           "kota", "kabupaten", "data terbuka tertaut"),
}  # fmt: skip


def default_download_base(base: str) -> str:
    """Return where the dumps are downloaded from by default, derived from the data base IRI.

    A base ending in ``/id/`` becomes ``.../download/``; any other gets ``download/`` appended.

    >>> default_download_base("https://w3id.org/nualod/id/")
    'https://w3id.org/nualod/download/'
    >>> default_download_base("https://example.org/data/")
    'https://example.org/data/download/'
    """
    root = base.rstrip("/")
    if root.endswith("/id"):
        root = root[: -len("/id")]
    return root + "/download/"


@dataclass(frozen=True, slots=True)
class Release:
    """Where and when a release is published (never the wall clock)."""

    download_base: str
    issued: dt.date | None = None
    modified: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    practices: int = 0
    sparql_endpoint: str | None = None
    #: Who publishes it (the catalog's publisher and contact point).
    publisher: Publisher = DEFAULT_PUBLISHER
    #: The release's version (``--release``), the one before it, and what changed, in words.
    version: str | None = None
    previous_version: str | None = None
    #: The release's version notes by language (``adms:versionNotes``).
    version_notes: dict[str, str] | None = None

    def __post_init__(self) -> None:
        check_download_base(self.download_base)
        if self.sparql_endpoint is not None:
            check_endpoint(self.sparql_endpoint)
        if self.issued and self.modified and self.issued > self.modified:
            raise UsageError(
                f"{option('issued', self.issued.isoformat())} is later than "
                f"{option('modified', self.modified.isoformat())} (when not given, {option('issued')} is the first "
                f"practice date and {option('modified')} the latest practice or retrieval date)"
            )

    def url(self, name: str) -> str:
        """Return the download URL of a published file: a versioned release's own folder.

        >>> Release("https://x.org/d/", version="2").url("nualod.ttl")
        'https://x.org/d/releases/2/nualod.ttl'
        """
        if self.version:
            return f"{self.download_base}releases/{self.version}/{name}"
        return self.download_base + name

    def dataset_iri(self, iris: DataIRIs) -> str:
        """Return the IRI of the release's dataset: a version's own, in the series of all.

        >>> Release("https://x.org/d/", version="2").dataset_iri(DataIRIs())
        'https://w3id.org/nualod/id/dataset/nuf-good-practices/2'
        """
        return version_iri(iris, self.version) if self.version else iris.dataset()

    @property
    def landing_page(self) -> str:
        """Return the landing page (the folder's ``index.html``)."""
        return self.download_base


def check_download_base(download_base: str) -> None:
    """Refuse a download base that is not an http(s) URL ending in ``/`` (files are named
    under it), or not an IRI (the catalog and VoID write the URLs under it as IRIs)."""
    try:
        NamedNode(download_base)
        valid = download_base.startswith(("http://", "https://")) and download_base.endswith("/")
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(
            f"{option('download_base')} must be an http(s) URL ending in '/': {download_base!r}"
        )


def check_endpoint(endpoint: str) -> None:
    """Refuse a SPARQL endpoint that is not an absolute http(s) IRI (it is written as one)."""
    try:
        NamedNode(endpoint)
        valid = endpoint.startswith(("http://", "https://"))
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"{option('sparql_endpoint')}: not an absolute http(s) IRI: {endpoint!r}")


def default_modified(*dates: dt.date | None) -> dt.date | None:
    """Return the latest of the given dates (practice, retrieval, issue), or None.

    >>> default_modified(dt.date(2025, 1, 2), None, dt.date(2025, 3, 1))
    datetime.date(2025, 3, 1)
    """
    known = [date for date in dates if date is not None]
    return max(known) if known else None


#: The names under the dataset IRI that are not versions: the rights statement, and the
#: distributions of a release without a version (and the SPARQL endpoint's).
RIGHTS_SEGMENT: Final = "rights"
DISTRIBUTION_SEGMENT: Final = "distribution"
SERIES_SEGMENTS: Final = (DISTRIBUTION_SEGMENT, RIGHTS_SEGMENT)


def rights_iri(iris: DataIRIs) -> str:
    """Return the IRI of the dataset's rights statement."""
    return f"{iris.dataset()}/{RIGHTS_SEGMENT}"


def version_iri(iris: DataIRIs, version: str) -> str:
    """Return the IRI of one version of the dataset (the dataset IRI names the series)."""
    return f"{iris.dataset()}/{version}"


def distribution_iri(iris: DataIRIs, dump: DumpFile, release: Release | None = None) -> str:
    """Return the absolute IRI of a dump's distribution (a versioned release's own)."""
    dataset = release.dataset_iri(iris) if release is not None else iris.dataset()
    return f"{dataset}/{DISTRIBUTION_SEGMENT}/{dump.key}"


def description_text(release: Release, language: str) -> str:
    """Return the dataset description with the release's figures."""
    text = DESCRIPTION[language]
    if release.start and release.end:
        count = grouped(release.practices, language)
        start = date_text(release.start.isoformat(), language)
        end = date_text(release.end.isoformat(), language)
        if language == "en":
            noun = "good practice" if release.practices == 1 else "good practices"
            text += f" This release holds {count} {noun} dated {start} to {end}."
        else:
            text += f" Rilis ini memuat {count} praktik baik bertanggal {start} sampai {end}."
    return text


class _Builder:
    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self._seen: set[Triple] = set()

    def add(self, subject: NamedNode | BlankNode, predicate: str, obj: Any) -> None:
        triple = Triple(subject, NamedNode(predicate), obj)
        if triple not in self._seen:
            self._seen.add(triple)
            self.triples.append(triple)

    def texts(self, subject: NamedNode | BlankNode, predicate: str, values: dict[str, str]) -> None:
        for language in ("en", "id"):
            self.add(subject, predicate, Literal(values[language], language=language))

    def date(self, subject: NamedNode | BlankNode, predicate: str, value: dt.date | None) -> None:
        if value is not None:
            self.add(
                subject, predicate, Literal(value.isoformat(), datatype=NamedNode(XSD + "date"))
            )


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _dates_and_languages(b: _Builder, node: NamedNode, release: Release) -> None:
    """Add what the catalog and the dataset both state: issued, modified, languages."""
    b.date(node, DCTERMS + "issued", release.issued)
    b.date(node, DCTERMS + "modified", release.modified)
    for language in LANGUAGES:
        b.add(node, DCTERMS + "language", _n(f"{EU}language/{language}"))


def _version(b: _Builder, iris: DataIRIs, dataset: NamedNode, release: Release) -> None:
    """Add what places a versioned release in the series of all releases (DCAT 3 versioning)."""
    assert release.version is not None
    series = _n(iris.dataset())
    b.add(dataset, DCAT + "version", Literal(release.version))
    b.add(dataset, DCAT + "inSeries", series)
    if release.previous_version:
        b.add(dataset, DCAT + "previousVersion", _n(version_iri(iris, release.previous_version)))
    if release.version_notes:
        b.texts(dataset, ADMS + "versionNotes", release.version_notes)
    b.add(series, RDF + "type", _n(DCAT + "DatasetSeries"))
    b.texts(series, DCTERMS + "title", TITLE)
    b.texts(series, DCTERMS + "description", {
        "en": "Every release of the dataset, each a version of it.",
        "id": "Setiap rilis dataset ini, masing-masing satu versinya.",
    })  # fmt: skip


def catalog_triples(iris: DataIRIs, dumps: Sequence[DumpFile], release: Release) -> list[Triple]:
    """Return the DCAT-AP 3 catalog of the dataset and its dump distributions (no I/O)."""
    b = _Builder()
    a = RDF + "type"
    catalog, dataset = _n(iris.catalog()), _n(release.dataset_iri(iris))
    publisher = _n(release.publisher.agent_iri(iris))
    creator = _n(f"{iris.base}agent/national-urban-forum")
    contact = _n(f"{iris.base}agent/nualod#contact")
    licence = _n(LICENSE)
    rights = _n(rights_iri(iris))
    landing = _n(release.landing_page)

    b.add(catalog, a, _n(DCAT + "Catalog"))
    b.texts(catalog, DCTERMS + "title", {
        "en": "nualod: National Urban Forum good practices as linked open data",
        "id": "nualod: praktik baik National Urban Forum sebagai data terbuka tertaut",
    })  # fmt: skip
    b.texts(catalog, DCTERMS + "description", {
        "en": "Catalog of the linked open data published by nualod.",
        "id": "Katalog data terbuka tertaut yang diterbitkan nualod.",
    })  # fmt: skip
    b.add(catalog, DCTERMS + "publisher", publisher)
    b.add(catalog, DCTERMS + "license", licence)
    b.add(catalog, DCTERMS + "rights", rights)
    b.add(catalog, FOAF + "homepage", landing)
    _dates_and_languages(b, catalog, release)
    b.add(catalog, DCTERMS + "spatial", _n(INDONESIA[0]))
    b.add(catalog, DCAT + "themeTaxonomy", _n(DATA_THEME))
    b.add(catalog, DCAT + "dataset", dataset)

    b.add(dataset, a, _n(DCAT + "Dataset"))
    b.texts(dataset, DCTERMS + "title", TITLE)
    b.texts(dataset, DCTERMS + "description", {
        language: description_text(release, language) for language in ("en", "id")
    })  # fmt: skip
    b.add(dataset, DCTERMS + "identifier", Literal(release.dataset_iri(iris)))
    if release.version:
        _version(b, iris, dataset, release)
    for language in ("en", "id"):
        for keyword in KEYWORDS[language]:
            b.add(dataset, DCAT + "keyword", Literal(keyword, language=language))
    for theme in THEMES:
        b.add(dataset, DCAT + "theme", _n(f"{DATA_THEME}/{theme}"))
    b.add(dataset, DCTERMS + "publisher", publisher)
    b.add(dataset, DCTERMS + "creator", creator)
    b.add(dataset, DCAT + "contactPoint", contact)
    b.add(dataset, DCAT + "landingPage", landing)
    _dates_and_languages(b, dataset, release)
    for place in INDONESIA:
        b.add(dataset, DCTERMS + "spatial", _n(place))
    if release.start and release.end:
        period = BlankNode("period")
        b.add(dataset, DCTERMS + "temporal", period)
        b.add(period, a, _n(DCTERMS + "PeriodOfTime"))
        b.date(period, DCAT + "startDate", release.start)
        b.date(period, DCAT + "endDate", release.end)
    for dump in dumps:
        b.add(dataset, DCAT + "distribution", _n(distribution_iri(iris, dump, release)))

    for dump in dumps:
        node = _n(distribution_iri(iris, dump, release))
        b.add(node, a, _n(DCAT + "Distribution"))
        b.texts(
            node, DCTERMS + "title", {lang: dump.format.title_in(lang) for lang in ("en", "id")}
        )
        b.add(node, DCAT + "accessURL", landing)
        b.add(node, DCAT + "downloadURL", _n(release.url(dump.name)))
        b.add(node, DCAT + "mediaType", _n(IANA + dump.media_type))
        b.add(node, DCTERMS + "format", _n(dump.file_type))
        b.add(
            node,
            DCAT + "byteSize",
            Literal(str(dump.byte_size), datatype=_n(XSD + "nonNegativeInteger")),
        )
        checksum = BlankNode(f"checksum-{dump.key}")
        b.add(node, SPDX + "checksum", checksum)
        b.add(node, DCTERMS + "license", licence)
        b.add(node, DCTERMS + "rights", rights)
        b.date(node, DCTERMS + "issued", release.issued)
        b.date(node, DCTERMS + "modified", release.modified)
        b.add(checksum, a, _n(SPDX + "Checksum"))
        b.add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        b.add(
            checksum, SPDX + "checksumValue", Literal(dump.sha256, datatype=_n(XSD + "hexBinary"))
        )
        b.add(_n(SPDX + "checksumAlgorithm_sha256"), a, _n(SPDX + "ChecksumAlgorithm"))
        b.add(_n(IANA + dump.media_type), a, _n(DCTERMS + "MediaType"))
        b.add(_n(dump.file_type), a, _n(DCTERMS + "MediaTypeOrExtent"))

    if release.sparql_endpoint:
        _sparql_service(b, iris, release.sparql_endpoint, (catalog, dataset, licence, rights))

    b.add(licence, a, _n(DCTERMS + "LicenseDocument"))
    b.add(licence, DCTERMS + "title", Literal(LICENSE_TITLE, language="en"))
    b.add(licence, RDFS + "label", Literal(LICENSE_NAME, language="en"))
    b.add(rights, a, _n(DCTERMS + "RightsStatement"))
    b.add(rights, RDFS + "label", Literal(RIGHTS_TEXT, language="en"))
    b.add(landing, a, _n(FOAF + "Document"))
    for agent, name, homepage in (
        (publisher, release.publisher.name, None),
        (creator, CREATOR_NAME, CREATOR_HOMEPAGE),
    ):
        b.add(agent, a, _n(FOAF + "Agent"))
        b.add(agent, FOAF + "name", Literal(name, language="en"))
        if homepage:
            b.add(agent, FOAF + "homepage", _n(homepage))
    b.add(contact, a, _n(VCARD + "Kind"))
    b.add(contact, a, _n(VCARD + "Organization"))
    b.add(contact, VCARD + "fn", Literal(release.publisher.contact_label))
    if release.publisher.mailto:
        b.add(contact, VCARD + "hasEmail", _n(release.publisher.mailto))
    b.add(contact, VCARD + "hasURL", landing)
    b.add(_n(DATA_THEME), a, _n(SKOS + "ConceptScheme"))
    b.add(_n(DATA_THEME), DCTERMS + "title", Literal("Data theme", language="en"))
    for theme, label in THEMES.items():
        b.add(_n(f"{DATA_THEME}/{theme}"), a, _n(SKOS + "Concept"))
        b.add(_n(f"{DATA_THEME}/{theme}"), SKOS + "prefLabel", Literal(label, language="en"))
        b.add(_n(f"{DATA_THEME}/{theme}"), SKOS + "inScheme", _n(DATA_THEME))
    for language in LANGUAGES:
        b.add(_n(f"{EU}language/{language}"), a, _n(DCTERMS + "LinguisticSystem"))
    for place in INDONESIA:
        b.add(_n(place), a, _n(DCTERMS + "Location"))
    # DCAT-AP 3.0.0's shapes ask these URLs to be of class rdfs:Resource (sh:class), which a
    # validator that infers nothing (pySHACL's default, ITB's) finds only when stated.
    urls = [
        t.object
        for t in b.triples
        if t.predicate.value in _URL_PROPERTIES and isinstance(t.object, NamedNode)
    ]
    for url in dict.fromkeys(urls):
        b.add(url, a, _n(RDFS + "Resource"))
    return b.triples


_URL_PROPERTIES: Final = frozenset({DCAT + "accessURL", DCAT + "downloadURL", DCAT + "endpointURL"})


#: What a SPARQL endpoint conforms to (DCAT-AP 3 recommends dct:conformsTo on a service).
SPARQL_PROTOCOL: Final = "https://www.w3.org/TR/sparql11-protocol/"


def sparql_service_iri(iris: DataIRIs) -> str:
    """Return the IRI of the dataset's SPARQL endpoint as a ``dcat:DataService``.

    >>> sparql_service_iri(DataIRIs())
    'https://w3id.org/nualod/id/dataset/nuf-good-practices/service/sparql'
    """
    return f"{iris.dataset()}/service/sparql"


def _sparql_service(
    b: _Builder, iris: DataIRIs, endpoint: str, nodes: tuple[NamedNode, ...]
) -> None:
    """Add the endpoint as a DataService serving the dataset, and a distribution through it.

    The catalog lists the service (``dcat:service``); the dataset gets one more
    distribution whose ``dcat:accessURL`` is the endpoint and whose ``dcat:accessService``
    is the service, which is how portals (CKAN's DCAT profile) show an API of a dataset.
    """
    catalog, dataset, licence, rights = nodes
    a = RDF + "type"
    service, url = _n(sparql_service_iri(iris)), _n(endpoint)  # checked by Release
    b.add(catalog, DCAT + "service", service)
    b.add(service, a, _n(DCAT + "DataService"))
    b.texts(service, DCTERMS + "title", {
        "en": "nualod SPARQL endpoint",
        "id": "Titik akhir SPARQL nualod",
    })  # fmt: skip
    b.add(service, DCAT + "endpointURL", url)
    b.add(service, DCAT + "servesDataset", dataset)
    b.add(service, DCTERMS + "conformsTo", _n(SPARQL_PROTOCOL))
    b.add(service, DCTERMS + "license", licence)
    b.add(service, DCTERMS + "rights", rights)
    distribution = _n(f"{iris.dataset()}/{DISTRIBUTION_SEGMENT}/sparql")
    b.add(dataset, DCAT + "distribution", distribution)
    b.add(distribution, a, _n(DCAT + "Distribution"))
    b.texts(distribution, DCTERMS + "title", {
        "en": "nualod SPARQL endpoint",
        "id": "Titik akhir SPARQL nualod",
    })  # fmt: skip
    b.add(distribution, DCAT + "accessURL", url)
    b.add(distribution, DCAT + "accessService", service)
    b.add(distribution, DCTERMS + "license", licence)
    b.add(distribution, DCTERMS + "rights", rights)
    b.add(_n(SPARQL_PROTOCOL), a, _n(DCTERMS + "Standard"))


CATALOG_PREFIXES: Final = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "skos": SKOS,
    "rdfs": RDFS,
    "xsd": XSD,
    "adms": ADMS,
}


def catalog_turtle(triples: Sequence[Triple]) -> bytes:
    """Return the catalog as Turtle."""
    return turtle_bytes(triples, CATALOG_PREFIXES)


def get_catalog_context() -> dict[str, Any]:
    """Return the JSON-LD context of the catalog, as shipped.

    >>> get_catalog_context()["dcat"]
    'http://www.w3.org/ns/dcat#'
    """
    context: dict[str, Any] = resource_json(CONTEXT_RESOURCE)["@context"]
    return context


def no_network_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Refuse to load any remote document (a pyld documentLoader)."""
    from pyld.jsonld import JsonLdError

    raise JsonLdError(
        f"nualod loads no remote JSON-LD documents: {url}",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )


def catalog_document(triples: Sequence[Triple]) -> dict[str, Any]:
    """Return the catalog as a framed JSON-LD document rooted at the catalog, context inline."""
    from pyld import jsonld

    text = serialize(triples, format=RdfFormat.N_QUADS)
    assert text is not None
    options = {"documentLoader": no_network_loader}
    expanded = jsonld.from_rdf(text.decode("utf-8"), {"format": "application/n-quads", **options})
    context = get_catalog_context()
    frame = {"@context": context, "@type": "Catalog"}
    framed: dict[str, Any] = jsonld.frame(
        expanded, frame, {**options, "omitGraph": True, "embed": "@always"}
    )
    framed["@context"] = context
    return framed


def catalog_jsonld(triples: Sequence[Triple]) -> bytes:
    """Return the catalog as JSON-LD text (UTF-8, stable key order)."""
    document = catalog_document(triples)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
