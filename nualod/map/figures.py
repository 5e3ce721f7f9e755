"""The figures a practice's texts state, as linked data.

Each figure (see :mod:`nualod.figures`) becomes a node of the practice,
``<practice#figure-abstract-138>`` (the field and the code point where its words start, so
an IRI does not move when another figure is found or lost), linked by ``nua:figure``::

    <practice#figure-abstract-138> a nua:Figure ;
        schema:value 871.0 ; schema:unitCode unit:NUM ; schema:unitText "UMKM"@id ;
        nua:period "2020-01/2020-07"^^edtf:EDTF ; nua:per "P1M"^^xsd:duration ;
        prov:wasDerivedFrom <practice#figure-abstract-138-text> .

and where it is written as a W3C Web Annotation target: an ``oa:SpecificResource`` whose
``oa:hasSource`` is the practice and ``nua:field`` the property of the text
(``dcterms:abstract`` for Ringkasan, ``dcterms:description`` for Deskripsi), with an
``oa:TextQuoteSelector`` (``oa:exact``, ``oa:prefix``, ``oa:suffix``) and an
``oa:TextPositionSelector`` (``oa:start``, ``oa:end``, ``xsd:integer``: Unicode code points into the text;
JavaScript strings count UTF-16 code units, which differ after any character outside the
Basic Multilingual Plane).
"""

from __future__ import annotations

from sys import intern
from typing import Final, Protocol

from pyoxigraph import NamedNode

from nualod.figures import CONTEXT, Figure, decimal_text, figure_fragment, read_figures, unit_iri
from nualod.model.namespaces import DCTERMS, EDTF, NUA, OA, PROV, RDF, SCHEMA, XSD

_Both = tuple[NamedNode, str]


class Builder(Protocol):
    """What builds a practice's triples (both as terms and as plain text)."""

    def about(self, subject: _Both) -> Builder: ...

    def link(self, predicate: _Both, obj: _Both) -> None: ...

    def text(self, predicate: _Both, value: str, language: str) -> None: ...

    def typed(self, predicate: _Both, value: str, datatype: str) -> None: ...


def _both(iri: str) -> _Both:
    """A vocabulary IRI: its text interned, shared by every group (pickled once a batch)."""
    return NamedNode(iri), intern(iri)


def _node(iri: str) -> _Both:
    """A node of one practice: its text not interned (it is met once)."""
    return NamedNode(iri), iri


(_A, _VALUE, _UNIT_CODE, _UNIT_TEXT, _DERIVED) = map(
    _both,
    (RDF + "type", SCHEMA + "value", SCHEMA + "unitCode", SCHEMA + "unitText",
     PROV + "wasDerivedFrom"),
)  # fmt: skip
(_FIGURE, _FIGURE_CLASS, _FIELD, _PERIOD, _PER) = map(
    _both, (NUA + "figure", NUA + "Figure", NUA + "field", NUA + "period", NUA + "per")
)
(_SPECIFIC, _HAS_SOURCE, _HAS_SELECTOR, _QUOTE, _POSITION) = map(
    _both,
    (OA + "SpecificResource", OA + "hasSource", OA + "hasSelector", OA + "TextQuoteSelector",
     OA + "TextPositionSelector"),
)  # fmt: skip
(_EXACT, _PREFIX, _SUFFIX, _START, _END) = map(
    _both, (OA + "exact", OA + "prefix", OA + "suffix", OA + "start", OA + "end")
)
#: The fields figures are read from: the local name used in IRIs, and the property.
FIELDS: Final = {
    "abstract": _both(DCTERMS + "abstract"),
    "description": _both(DCTERMS + "description"),
}
_DECIMAL: Final = XSD + "decimal"
#: Offsets are xsd:integer, not the narrower xsd:nonNegativeInteger of the Web Annotation
#: vocabulary: Oxigraph (the store) keeps no narrower integer type, and the store and the
#: dumps must hold the same literals. They are never negative.
_OFFSET: Final = XSD + "integer"
_DURATION: Final = XSD + "duration"
_EDTF: Final = EDTF + "EDTF"
_UNITS: dict[str, _Both] = {}


def figure_iri(practice_iri: str, field: str, figure: Figure) -> str:
    """Return a figure's IRI: under the practice's, named by field and first code point.

    >>> from nualod.figures import read_figures
    >>> figure_iri("https://w3id.org/nualod/id/practice/x", "abstract", read_figures("ada 871 UMKM")[0])
    'https://w3id.org/nualod/id/practice/x#figure-abstract-4'
    """
    return f"{practice_iri}#{figure_fragment(field, figure.start)}"


def add_figures(group: Builder, practice: _Both, texts: dict[str, str | None]) -> int:
    """Add the figures of a practice's texts (by field: ``abstract``, ``description``) to its
    group, the practice's links to them first; return how many there were."""
    found = [
        (field, text, figure)
        for field, text in texts.items()
        if text
        for figure in read_figures(text)
    ]
    nodes = [_node(figure_iri(practice[1], field, figure)) for field, _, figure in found]
    for node in nodes:
        group.link(_FIGURE, node)
    for node, (field, text, figure) in zip(nodes, found, strict=True):
        _add_figure(group, practice, node, field, text, figure)
    return len(found)


def _unit(key: str) -> _Both:
    unit = _UNITS.get(key)
    if unit is None:
        unit = _UNITS[key] = _both(unit_iri(key))
    return unit


def _add_figure(
    group: Builder, practice: _Both, node: _Both, field: str, text: str, figure: Figure
) -> None:
    iri = node[1]
    target = _node(f"{iri}-text")
    quote = _node(f"{iri}-quote")
    position = _node(f"{iri}-position")
    about = group.about(node)
    about.link(_A, _FIGURE_CLASS)
    about.typed(_VALUE, decimal_text(figure.value), _DECIMAL)
    about.link(_UNIT_CODE, _unit(figure.unit))
    if figure.counted:
        about.text(_UNIT_TEXT, figure.counted, "id")
    if figure.period:
        about.typed(_PERIOD, figure.period.value, _EDTF)
    if figure.per:
        about.typed(_PER, figure.per.value, _DURATION)
    about.link(_DERIVED, target)
    about = group.about(target)
    about.link(_A, _SPECIFIC)
    about.link(_HAS_SOURCE, practice)
    about.link(_FIELD, FIELDS[field])
    about.link(_HAS_SELECTOR, quote)
    about.link(_HAS_SELECTOR, position)
    about = group.about(quote)
    about.link(_A, _QUOTE)
    about.typed(_EXACT, figure.exact, XSD + "string")
    prefix = text[max(0, figure.start - CONTEXT) : figure.start]
    if prefix:
        about.typed(_PREFIX, prefix, XSD + "string")
    suffix = text[figure.end : figure.end + CONTEXT]
    if suffix:
        about.typed(_SUFFIX, suffix, XSD + "string")
    about = group.about(position)
    about.link(_A, _POSITION)
    about.typed(_START, str(figure.start), _OFFSET)
    about.typed(_END, str(figure.end), _OFFSET)
