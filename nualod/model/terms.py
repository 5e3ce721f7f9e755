"""The RDF terms nualod writes, as pyoxigraph nodes (and the few it compares as text).

One definition each: the mapping, the code lists, the graphs and the writers read them here.
"""

from __future__ import annotations

from typing import Final

from pyoxigraph import NamedNode

from nualod.model.namespaces import (
    DCTERMS,
    GEO,
    INDICATOR_SCHEME,
    NUA,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    THEME_SCHEME,
    XSD,
)

#: ``rdf:type`` and ``xsd:string`` as text, for the plain-string writers.
RDF_TYPE: Final = RDF + "type"
XSD_STRING: Final = XSD + "string"


def _n(ns: str, *names: str) -> tuple[NamedNode, ...]:
    return tuple(NamedNode(ns + name) for name in names)


A: Final = NamedNode(RDF + "type")
XSD_DATE: Final = NamedNode(XSD + "date")
XSD_DATETIME: Final = NamedNode(XSD + "dateTime")


(TITLE, ABSTRACT, DESCRIPTION, ISSUED, SOURCE, SPATIAL, IDENTIFIER) = _n(
    DCTERMS, "title", "abstract", "description", "issued", "source", "spatial", "identifier"
)
(CONCEPT, NOTATION, PREF_LABEL, ALT_LABEL, IN_SCHEME, BROADER, TOP_CONCEPT_OF) = _n(
    SKOS, "Concept", "notation", "prefLabel", "altLabel", "inScheme", "broader", "topConceptOf"
)
(GOOD_PRACTICE, HAS_INDICATOR, HAS_THEME, THEME, INDICATOR, KOTA, KABUPATEN, PROVINSI) = _n(
    NUA, "GoodPractice", "indicator", "theme", "Theme", "Indicator", "Kota", "Kabupaten", "Provinsi"
)
(SCHEMA_CITY, ADMIN_AREA, WEB_PAGE, CONTAINED_IN, SCHEMA_NAME, SCHEMA_URL) = _n(
    SCHEMA, "City", "AdministrativeArea", "WebPage", "containedInPlace", "name", "url"
)
(ACTIVITY, USED, ENDED_AT_TIME, WAS_INFLUENCED_BY) = _n(
    PROV, "Activity", "used", "endedAtTime", "wasInfluencedBy"
)
(WAS_DERIVED_FROM, QUALIFIED_DERIVATION, DERIVATION, ENTITY) = _n(
    PROV, "wasDerivedFrom", "qualifiedDerivation", "Derivation", "entity"
)
(CREATIVE_CITY, CREATIVE_CITY_DESIGNATION, CREATIVE_FIELD, DESIGNATION_YEAR) = _n(
    NUA, "creativeCity", "CreativeCityDesignation", "creativeField", "designationYear"
)
SEE_ALSO: Final = NamedNode(RDFS + "seeAlso")
XSD_GYEAR: Final = NamedNode(XSD + "gYear")
SAME_AS: Final = NamedNode(OWL + "sameAs")
CLOSE_MATCH: Final = NamedNode(SKOS + "closeMatch")
EDITORIAL_NOTE: Final = NamedNode(SKOS + "editorialNote")
(GEOMETRY, HAS_GEOMETRY, AS_WKT, WKT_LITERAL) = _n(
    GEO, "Geometry", "hasGeometry", "asWKT", "wktLiteral"
)
LABEL: Final = NamedNode(RDFS + "label")
THEME_SCHEME_NODE: Final = NamedNode(THEME_SCHEME)
INDICATOR_SCHEME_NODE: Final = NamedNode(INDICATOR_SCHEME)
