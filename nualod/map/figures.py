"""The figures a practice's texts state, as linked data.

Each figure (see :mod:`nualod.figures`) becomes a node of the practice,
``<practice#figure-abstract-138>`` (the field and the code point where its words start, so
an IRI does not move when another figure is found or lost), linked by ``nua:figure``::

    <practice#figure-abstract-138> a nua:Figure ;
        schema:value 871.0 ; nua:qualifier nua:About ;
        schema:unitCode unit:NUM ; schema:unitText "UMKM"@id ;
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

from dataclasses import dataclass
from sys import intern
from typing import Final, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode

from nualod.figures import (
    CONTEXT,
    Figure,
    decimal_text,
    figure_fragment,
    read_figures_and_more,
    unit_iri,
)
from nualod.model.namespaces import DCTERMS, EDTF, NUA, OA, PROV, RDF, SCHEMA, XSD
from nualod.model.triples import (
    IRI,
    LANGUAGE,
    TYPED,
    Described,
    PlainTriple,
    TermTriple,
    new_plain_triple,
    quoted,
)

_Both = tuple[NamedNode, str]


class Builder(Protocol):
    """What builds a practice's triples (both as terms and as plain text)."""

    def about(self, subject: _Both) -> Builder: ...

    def link(self, predicate: _Both, obj: _Both) -> None: ...

    def text(self, predicate: _Both, value: str, language: str) -> None: ...

    def typed(self, predicate: _Both, value: str, datatype: str) -> None: ...

    def extend(self, figure: FigureNode) -> None: ...


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
(_FIGURE, _FIGURE_CLASS, _FIELD, _PERIOD, _PER, _QUALIFIER) = map(
    _both,
    (NUA + "figure", NUA + "Figure", NUA + "field", NUA + "period", NUA + "per",
     NUA + "qualifier"),
)  # fmt: skip
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
_STRING: Final = XSD + "string"
_DECIMAL_NODE: Final = NamedNode(_DECIMAL)
_OFFSET_NODE: Final = NamedNode(_OFFSET)
_DURATION_NODE: Final = NamedNode(_DURATION)
_EDTF_NODE: Final = NamedNode(_EDTF)
_UNITS: dict[str, _Both] = {}
#: The fixed IRIs of a figure's triples, by the names the writers' templates give them
#: (:mod:`nualod.write.figures`).
IRIS: Final = {
    "a": _A[1], "Figure": _FIGURE_CLASS[1], "value": _VALUE[1], "unitCode": _UNIT_CODE[1],
    "unitText": _UNIT_TEXT[1], "period": _PERIOD[1], "per": _PER[1], "derived": _DERIVED[1],
    "qualifier": _QUALIFIER[1],
    "Specific": _SPECIFIC[1], "hasSource": _HAS_SOURCE[1], "field": _FIELD[1],
    "hasSelector": _HAS_SELECTOR[1], "Quote": _QUOTE[1], "exact": _EXACT[1],
    "prefix": _PREFIX[1], "suffix": _SUFFIX[1], "Position": _POSITION[1], "start": _START[1],
    "end": _END[1], "decimal": _DECIMAL, "offset": _OFFSET, "duration": _DURATION, "edtf": _EDTF,
}  # fmt: skip


def figure_iri(practice_iri: str, field: str, figure: Figure) -> str:
    """Return a figure's IRI: under the practice's, named by field and first code point.

    >>> from nualod.figures import read_figures
    >>> figure_iri("https://w3id.org/nualod/id/practice/x", "abstract", read_figures("ada 871 UMKM")[0])
    'https://w3id.org/nualod/id/practice/x#figure-abstract-4'
    """
    return f"{practice_iri}#{figure_fragment(field, figure.start)}"


@dataclass(frozen=True, slots=True)
class FigureNode:
    """One figure of a practice as the text of what its triples say: enough to give its
    triples (:meth:`terms`, :meth:`plain`) and to render them from a template
    (:mod:`nualod.write.figures`), which costs a fraction of rendering triple by triple.

    ``variant`` tells which of the optional triples it has (:data:`COUNTED`, :data:`PERIOD`,
    :data:`PER`, :data:`PREFIX`, :data:`SUFFIX`, :data:`QUALIFIER`, or-ed), so a template is
    picked by it.
    """

    practice: str
    iri: str
    #: The property IRI of the field the figure is read from (dcterms:abstract, ...).
    field: str
    value: str
    unit: str
    counted: str | None
    period: str | None
    per: str | None
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    #: The IRI of what the words before it say of the amount (``nua:About``, ...), if any.
    qualifier: str | None = None

    @property
    def variant(self) -> int:
        """Return which optional triples the figure has, as bits."""
        return (
            (COUNTED if self.counted else 0)
            | (PERIOD if self.period else 0)
            | (PER if self.per else 0)
            | (PREFIX if self.prefix else 0)
            | (SUFFIX if self.suffix else 0)
            | (QUALIFIER if self.qualifier else 0)
        )

    @property
    def subjects(self) -> tuple[str, str, str, str]:
        """Return the IRIs of its four nodes: the figure, the text segment, the selectors."""
        iri = self.iri
        return iri, f"{iri}-text", f"{iri}-quote", f"{iri}-position"

    def plain(self) -> list[PlainTriple]:
        """Return its triples as plain tuples, in the order they are written."""
        node, target, quote, position = self.subjects
        new = new_plain_triple
        triples = [
            new((node, _A[1], _FIGURE_CLASS[1], IRI, "", f"<{_FIGURE_CLASS[1]}>")),
            new((node, _VALUE[1], self.value, TYPED, _DECIMAL, f'"{self.value}"^^<{_DECIMAL}>')),
        ]
        if self.qualifier:
            triples.append(
                new((node, _QUALIFIER[1], self.qualifier, IRI, "", f"<{self.qualifier}>"))
            )
        triples.append(new((node, _UNIT_CODE[1], self.unit, IRI, "", f"<{self.unit}>")))
        if self.counted:
            triples.append(
                new(
                    (
                        node,
                        _UNIT_TEXT[1],
                        self.counted,
                        LANGUAGE,
                        "id",
                        f"{quoted(self.counted)}@id",
                    )
                )
            )
        if self.period:
            triples.append(new((node, _PERIOD[1], self.period, TYPED, _EDTF,
                                f"{quoted(self.period)}^^<{_EDTF}>")))  # fmt: skip
        if self.per:
            triples.append(new((node, _PER[1], self.per, TYPED, _DURATION,
                                f"{quoted(self.per)}^^<{_DURATION}>")))  # fmt: skip
        triples += (
            new((node, _DERIVED[1], target, IRI, "", f"<{target}>")),
            new((target, _A[1], _SPECIFIC[1], IRI, "", f"<{_SPECIFIC[1]}>")),
            new((target, _HAS_SOURCE[1], self.practice, IRI, "", f"<{self.practice}>")),
            new((target, _FIELD[1], self.field, IRI, "", f"<{self.field}>")),
            new((target, _HAS_SELECTOR[1], quote, IRI, "", f"<{quote}>")),
            new((target, _HAS_SELECTOR[1], position, IRI, "", f"<{position}>")),
            new((quote, _A[1], _QUOTE[1], IRI, "", f"<{_QUOTE[1]}>")),
            new((quote, _EXACT[1], self.exact, TYPED, _STRING, quoted(self.exact))),
        )
        if self.prefix:
            triples.append(
                new((quote, _PREFIX[1], self.prefix, TYPED, _STRING, quoted(self.prefix)))
            )
        if self.suffix:
            triples.append(
                new((quote, _SUFFIX[1], self.suffix, TYPED, _STRING, quoted(self.suffix)))
            )
        start, end = str(self.start), str(self.end)
        triples += (
            new((position, _A[1], _POSITION[1], IRI, "", f"<{_POSITION[1]}>")),
            new((position, _START[1], start, TYPED, _OFFSET, f'"{start}"^^<{_OFFSET}>')),
            new((position, _END[1], end, TYPED, _OFFSET, f'"{end}"^^<{_OFFSET}>')),
        )
        return triples

    def described(self) -> list[Described]:
        """Return its four nodes described whole (what validation reads): the triples of
        :meth:`terms`, gathered by subject and predicate."""
        node, target, quote, position = (NamedNode(iri) for iri in self.subjects)
        figure: dict[NamedNode, list[NamedNode | BlankNode | Literal]] = {
            _A[0]: [_FIGURE_CLASS[0]],
            _VALUE[0]: [Literal(self.value, datatype=_DECIMAL_NODE)],
        }
        if self.qualifier:
            figure[_QUALIFIER[0]] = [NamedNode(self.qualifier)]
        figure[_UNIT_CODE[0]] = [NamedNode(self.unit)]
        if self.counted:
            figure[_UNIT_TEXT[0]] = [Literal(self.counted, language="id")]
        if self.period:
            figure[_PERIOD[0]] = [Literal(self.period, datatype=_EDTF_NODE)]
        if self.per:
            figure[_PER[0]] = [Literal(self.per, datatype=_DURATION_NODE)]
        figure[_DERIVED[0]] = [target]
        selected: dict[NamedNode, list[NamedNode | BlankNode | Literal]] = {
            _A[0]: [_QUOTE[0]],
            _EXACT[0]: [Literal(self.exact)],
        }
        if self.prefix:
            selected[_PREFIX[0]] = [Literal(self.prefix)]
        if self.suffix:
            selected[_SUFFIX[0]] = [Literal(self.suffix)]
        return [
            (node, figure),
            (
                target,
                {
                    _A[0]: [_SPECIFIC[0]],
                    _HAS_SOURCE[0]: [NamedNode(self.practice)],
                    _FIELD[0]: [NamedNode(self.field)],
                    _HAS_SELECTOR[0]: [quote, position],
                },
            ),
            (quote, selected),
            (
                position,
                {
                    _A[0]: [_POSITION[0]],
                    _START[0]: [Literal(str(self.start), datatype=_OFFSET_NODE)],
                    _END[0]: [Literal(str(self.end), datatype=_OFFSET_NODE)],
                },
            ),
        ]

    def terms(self) -> list[TermTriple]:
        """Return its triples as pyoxigraph terms (what validation reads), in the same order."""
        node, target, quote, position = (NamedNode(iri) for iri in self.subjects)
        triples = [
            TermTriple(node, _A[0], _FIGURE_CLASS[0]),
            TermTriple(node, _VALUE[0], Literal(self.value, datatype=_DECIMAL_NODE)),
        ]
        if self.qualifier:
            triples.append(TermTriple(node, _QUALIFIER[0], NamedNode(self.qualifier)))
        triples.append(TermTriple(node, _UNIT_CODE[0], NamedNode(self.unit)))
        if self.counted:
            triples.append(TermTriple(node, _UNIT_TEXT[0], Literal(self.counted, language="id")))
        if self.period:
            triples.append(TermTriple(node, _PERIOD[0], Literal(self.period, datatype=_EDTF_NODE)))
        if self.per:
            triples.append(TermTriple(node, _PER[0], Literal(self.per, datatype=_DURATION_NODE)))
        triples += (
            TermTriple(node, _DERIVED[0], target),
            TermTriple(target, _A[0], _SPECIFIC[0]),
            TermTriple(target, _HAS_SOURCE[0], NamedNode(self.practice)),
            TermTriple(target, _FIELD[0], NamedNode(self.field)),
            TermTriple(target, _HAS_SELECTOR[0], quote),
            TermTriple(target, _HAS_SELECTOR[0], position),
            TermTriple(quote, _A[0], _QUOTE[0]),
            TermTriple(quote, _EXACT[0], Literal(self.exact)),
        )
        if self.prefix:
            triples.append(TermTriple(quote, _PREFIX[0], Literal(self.prefix)))
        if self.suffix:
            triples.append(TermTriple(quote, _SUFFIX[0], Literal(self.suffix)))
        triples += (
            TermTriple(position, _A[0], _POSITION[0]),
            TermTriple(position, _START[0], Literal(str(self.start), datatype=_OFFSET_NODE)),
            TermTriple(position, _END[0], Literal(str(self.end), datatype=_OFFSET_NODE)),
        )
        return triples


#: The optional triples of a figure, as bits of :attr:`FigureNode.variant`.
COUNTED: Final = 1
PERIOD: Final = 2
PER: Final = 4
PREFIX: Final = 8
SUFFIX: Final = 16
QUALIFIER: Final = 32


def figure_nodes(
    practice_iri: str, texts: dict[str, str | None], capped: list[str] | None = None
) -> list[FigureNode]:
    """Return the figures of a practice's texts (by field: ``abstract``, ``description``),
    in the order they are published: field by field, each in the order of its text.
    ``capped`` gets the fields whose texts state more than the figures published
    (:data:`nualod.figures.MAX_FIGURES`)."""
    nodes = []
    for field, text in texts.items():
        if not text:
            continue
        field_iri = FIELDS[field][1]
        figures, more = read_figures_and_more(text)
        if more and capped is not None:
            capped.append(field)
        for figure in figures:
            start, end = figure.start, figure.end
            nodes.append(
                FigureNode(
                    practice_iri,
                    f"{practice_iri}#{figure_fragment(field, start)}",
                    field_iri,
                    decimal_text(figure.value),
                    _unit(figure.unit)[1],
                    figure.counted or None,
                    figure.period.value if figure.period else None,
                    figure.per.value if figure.per else None,
                    figure.exact,
                    text[max(0, start - CONTEXT) : start],
                    text[end : end + CONTEXT],
                    start,
                    end,
                    NUA + figure.qualifier if figure.qualifier else None,
                )
            )
    return nodes


def add_figures(
    group: Builder, practice: _Both, texts: dict[str, str | None], capped: list[str] | None = None
) -> int:
    """Add the figures of a practice's texts (by field: ``abstract``, ``description``) to its
    group, the practice's links to them first; return how many there were. ``capped`` gets
    the fields whose texts state more (:func:`figure_nodes`)."""
    nodes = figure_nodes(practice[1], texts, capped)
    for node in nodes:
        group.link(_FIGURE, _node(node.iri))
    for node in nodes:
        group.extend(node)
    return len(nodes)


def _unit(key: str) -> _Both:
    unit = _UNITS.get(key)
    if unit is None:
        unit = _UNITS[key] = _both(unit_iri(key))
    return unit
