"""Namespaces nualod uses, and the fixed IRIs of its own vocabulary."""

from __future__ import annotations

from typing import Final

#: Our ontology (classes and properties nothing standard offers).
NUA: Final = "https://w3id.org/nualod/def#"
#: The ontology document and its version IRI.
ONTOLOGY: Final = "https://w3id.org/nualod/def"
#: Code lists (NUA themes and indicators) are vocabulary, so their IRIs do not move
#: with the data's base IRI.
CODES: Final = "https://w3id.org/nualod/code/"
THEME_SCHEME: Final = CODES + "theme"
INDICATOR_SCHEME: Final = CODES + "indicator"
#: nualod's JSON-LD context (its terms: ``title``, ``city``...), which a document may name as
#: its ``@context``; the site publishes the shipped file there (and at the IRI with
#: ``.jsonld``), and ``nualod validate`` reads that file in its place.
CONTEXT: Final = "https://w3id.org/nualod/context"
#: Default base of data IRIs (practices, regions, dataset); configurable per run.
DEFAULT_BASE: Final = "https://w3id.org/nualod/id/"

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
DCAT: Final = "http://www.w3.org/ns/dcat#"
SCHEMA: Final = "https://schema.org/"
PROV: Final = "http://www.w3.org/ns/prov#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
VOID: Final = "http://rdfs.org/ns/void#"
SH: Final = "http://www.w3.org/ns/shacl#"
VCARD: Final = "http://www.w3.org/2006/vcard/ns#"
ADMS: Final = "http://www.w3.org/ns/adms#"
SPDX: Final = "http://spdx.org/rdf/terms#"
SDG: Final = "http://metadata.un.org/sdg/"
SDGO: Final = "http://metadata.un.org/sdg/ontology#"
UNESCO_THESAURUS: Final = "http://vocabularies.unesco.org/thesaurus/"
WIKIDATA: Final = "http://www.wikidata.org/entity/"
GEONAMES: Final = "https://sws.geonames.org/"
#: OGC GeoSPARQL: a region's point (``geo:hasGeometry`` / ``geo:asWKT``).
GEO: Final = "http://www.opengis.net/ont/geosparql#"
#: W3C Web Annotation: where in a practice's text a figure is written.
OA: Final = "http://www.w3.org/ns/oa#"
#: QUDT units, currencies among them (``unit:CCY_IDR``): the units of figures.
QUDT_UNIT: Final = "http://qudt.org/vocab/unit/"
#: The Library of Congress's EDTF datatype: the periods figures are stated for.
EDTF: Final = "http://id.loc.gov/datatypes/edtf/"

#: Prefixes written at the top of Turtle dumps, in this order.
PREFIXES: Final[dict[str, str]] = {
    "nua": NUA,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcat": DCAT,
    "void": VOID,
    "foaf": FOAF,
    "sdg": SDG,
    "unesco": UNESCO_THESAURUS,
    "wd": WIKIDATA,
    "geo": GEO,
    "oa": OA,
    "unit": QUDT_UNIT,
    "edtf": EDTF,
}


def theme_iri(number: int) -> str:
    """Return the IRI of an NUA theme concept.

    >>> theme_iri(1)
    'https://w3id.org/nualod/code/theme/01'
    """
    return f"{THEME_SCHEME}/{number:02d}"


def indicator_iri(number: int) -> str:
    """Return the IRI of an NUA indicator concept.

    >>> indicator_iri(47)
    'https://w3id.org/nualod/code/indicator/47'
    """
    return f"{INDICATOR_SCHEME}/{number}"
