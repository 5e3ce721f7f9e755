"""Write a practice's figures (:class:`nualod.map.figures.FigureNode`) in every dump format
from templates, a figure at a time.

A figure is four nodes and 15 to 19 triples of a fixed shape, and a practice states a few:
its figures are most of its triples. Written triple by triple (:mod:`nualod.write.text`,
:mod:`nualod.write.jsonld`), they cost several times what the practice's own triples cost;
filled into one template per format, far less. The text is the very text the generic
writers give for :meth:`FigureNode.plain` (``tests/test_figures_published.py`` compares
them figure by figure, and the golden dumps hold the bytes).

The JSON-LD template is made by the generic writer itself: it writes a figure whose values
are markers, once per variant (which optional triples a figure has), and the markers are
the template's slots. So the template follows the JSON-LD context as the writer does.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from json.encoder import encode_basestring as _json_string
from typing import Final, NamedTuple

from nualod.map.figures import COUNTED, IRIS, PER, PERIOD, PREFIX, QUALIFIER, SUFFIX, FigureNode
from nualod.model.terms import RDF_TYPE
from nualod.model.triples import IRI, PlainTriple, quoted
from nualod.write.jsonld import node_line
from nualod.write.stats import GroupStats
from nualod.write.text import TurtleWriter

#: Markers of a figure's values in the JSON-LD template. A figure's node IRIs end with
#: ``-text``, ``-quote`` and ``-position`` after its own: the marker IRI keeps those ends,
#: so the writer sorts the selectors as it sorts a real figure's.
_MARK: Final = "urn:x-nualod-figure:zqz"
_SLOTS: Final = (
    "iri", "practice", "field", "value", "unit", "counted", "period", "per", "exact",
    "prefix", "suffix", "start", "end", "qualifier",
)  # fmt: skip


def _marker(slot: str) -> str:
    """Return the marker of a slot: plain letters, which every format writes as they are."""
    return f"zqz{slot}zqz"


def _probe(variant: int) -> FigureNode:
    """Return a figure of a variant whose values are markers."""
    return FigureNode(
        _MARK + "practice",
        _MARK + "node",
        _MARK + "field",
        _marker("value"),
        _MARK + "unit",
        _marker("counted") if variant & COUNTED else None,
        _marker("period") if variant & PERIOD else None,
        _marker("per") if variant & PER else None,
        _marker("exact"),
        _marker("prefix") if variant & PREFIX else "",
        _marker("suffix") if variant & SUFFIX else "",
        0,
        1,
        _MARK + "qualifier" if variant & QUALIFIER else None,
    )


class _Template(NamedTuple):
    """A JSON-LD template: literal text between slots, and which value fills each slot."""

    texts: tuple[str, ...]
    slots: tuple[str, ...]


@cache
def _jsonld_template(variant: int) -> _Template:
    probe = _probe(variant)
    plain = probe.plain()
    node = probe.iri
    embedded: dict[str, list[PlainTriple]] = {}
    for triple in plain:
        if triple.subject != node:
            embedded.setdefault(triple.subject, []).append(triple)
    line = node_line(node, [t for t in plain if t.subject == node], embedded)
    # Every value the writer wrote as a JSON string: the IRIs (marker IRIs, ended by the
    # nodes' own ends) and the literals (markers); offsets are written as markers too.
    wanted = {
        _json_string(_MARK + "node"): "iri",
        _json_string(_MARK + "practice"): "practice",
        _json_string(_MARK + "field"): "field",
        _json_string(_MARK + "unit"): "unit",
        _json_string(_MARK + "qualifier"): "qualifier",
        _json_string(_MARK + "node-text"): "iri-text",
        _json_string(_MARK + "node-quote"): "iri-quote",
        _json_string(_MARK + "node-position"): "iri-position",
        '"0"': "start",
        '"1"': "end",
        **{_json_string(_marker(slot)): slot for slot in _SLOTS},
    }
    texts: list[str] = []
    slots: list[str] = []
    rest = line
    while True:
        found = [(rest.find(text), text) for text in wanted if text in rest]
        if not found:
            break
        at, text = min(found)
        texts.append(rest[:at])
        slots.append(wanted[text])
        rest = rest[at + len(text) :]
    texts.append(rest)
    if any("zqz" in text for text in texts):
        raise AssertionError(f"a figure's JSON-LD has a value the template does not know: {line}")
    return _Template(tuple(texts), tuple(slots))


def figure_jsonld(figure: FigureNode) -> str:
    """Return a figure's node object, as the generic writer embeds it in its practice's."""
    template = _jsonld_template(figure.variant)
    iri = figure.iri
    values = {
        "iri": _json_string(iri),
        "practice": _json_string(figure.practice),
        "field": _json_string(figure.field),
        "unit": _json_string(figure.unit),
        "qualifier": _json_string(figure.qualifier or ""),
        "iri-text": _json_string(f"{iri}-text"),
        "iri-quote": _json_string(f"{iri}-quote"),
        "iri-position": _json_string(f"{iri}-position"),
        "value": _json_string(figure.value),
        "counted": _json_string(figure.counted or ""),
        "period": _json_string(figure.period or ""),
        "per": _json_string(figure.per or ""),
        "exact": _json_string(figure.exact),
        "prefix": _json_string(figure.prefix),
        "suffix": _json_string(figure.suffix),
        "start": f'"{figure.start}"',
        "end": f'"{figure.end}"',
    }
    texts = template.texts
    parts = [texts[0]]
    for index, slot in enumerate(template.slots):
        parts += (values[slot], texts[index + 1])
    return "".join(parts)


class FigureText(NamedTuple):
    """A practice's figures in the line-based formats: N-Triples lines (each statement
    without its end), and Turtle statements."""

    statements: list[str]
    turtle: str


class _Names(NamedTuple):
    """The fixed IRIs of a figure's triples, as N-Triples and as Turtle writes them."""

    nt: dict[str, str]
    ttl: dict[str, str]


def _names(turtle: TurtleWriter) -> _Names:
    iris = IRIS
    nt = {key: f"<{iri}>" for key, iri in iris.items()}
    ttl = {key: turtle.iri(iri) for key, iri in iris.items()}
    ttl["a"] = "a"
    return _Names(nt, ttl)


_names_of: dict[int, tuple[TurtleWriter, _Names]] = {}


def _names_for(turtle: TurtleWriter) -> _Names:
    known = _names_of.get(id(turtle))
    if known is None or known[0] is not turtle:
        known = _names_of[id(turtle)] = (turtle, _names(turtle))
    return known[1]


def figures_text(figures: Sequence[FigureNode], turtle: TurtleWriter) -> FigureText:
    """Return figures' N-Triples statements and Turtle, as the generic writers give them
    for their :meth:`FigureNode.plain` triples following a practice's."""
    names = _names_for(turtle)
    n, t = names.nt, names.ttl
    statements: list[str] = []
    ttl: list[str] = []
    for figure in figures:
        node, target, quote, position = figure.subjects
        value = f'"{figure.value}"'
        start, end = f'"{figure.start}"', f'"{figure.end}"'
        exact = quoted(figure.exact)
        s = f"<{node}>"
        lines = [f"{s} {n['a']} {n['Figure']}", f"{s} {n['value']} {value}^^{n['decimal']}"]
        ttl_node = turtle.iri(node)
        parts = [f"{ttl_node} a {t['Figure']} ;\n\t{t['value']} {value}^^{t['decimal']}"]
        if figure.qualifier:
            lines.append(f"{s} {n['qualifier']} <{figure.qualifier}>")
            parts.append(f" ;\n\t{t['qualifier']} {turtle.iri(figure.qualifier)}")
        lines.append(f"{s} {n['unitCode']} <{figure.unit}>")
        parts.append(f" ;\n\t{t['unitCode']} {turtle.iri(figure.unit)}")
        if figure.counted:
            counted = f"{quoted(figure.counted)}@id"
            lines.append(f"{s} {n['unitText']} {counted}")
            parts.append(f" ;\n\t{t['unitText']} {counted}")
        if figure.period:
            period = quoted(figure.period)
            lines.append(f"{s} {n['period']} {period}^^{n['edtf']}")
            parts.append(f" ;\n\t{t['period']} {period}^^{t['edtf']}")
        if figure.per:
            per = quoted(figure.per)
            lines.append(f"{s} {n['per']} {per}^^{n['duration']}")
            parts.append(f" ;\n\t{t['per']} {per}^^{t['duration']}")
        # The other nodes' IRIs only add "-text", "-quote", "-position" to the figure's:
        # written whole, or as a prefixed name whose local name is as safe with the ending.
        if ttl_node[-1] == ">":
            ttl_target, ttl_quote, ttl_position = f"<{target}>", f"<{quote}>", f"<{position}>"
        else:
            ttl_target, ttl_quote, ttl_position = (
                f"{ttl_node}-text",
                f"{ttl_node}-quote",
                f"{ttl_node}-position",
            )
        s = f"<{target}>"
        lines += (
            f"<{node}> {n['derived']} {s}",
            f"{s} {n['a']} {n['Specific']}",
            f"{s} {n['hasSource']} <{figure.practice}>",
            f"{s} {n['field']} <{figure.field}>",
            f"{s} {n['hasSelector']} <{quote}>",
            f"{s} {n['hasSelector']} <{position}>",
            f"<{quote}> {n['a']} {n['Quote']}",
            f"<{quote}> {n['exact']} {exact}",
        )
        parts.append(
            f" ;\n\t{t['derived']} {ttl_target} .\n"
            f"{ttl_target} a {t['Specific']} ;\n\t{t['hasSource']} {turtle.iri(figure.practice)} ;\n\t"
            f"{t['field']} {turtle.iri(figure.field)} ;\n\t"
            f"{t['hasSelector']} {ttl_quote} , {ttl_position} .\n"
            f"{ttl_quote} a {t['Quote']} ;\n\t{t['exact']} {exact}"
        )
        if figure.prefix:
            prefix = quoted(figure.prefix)
            lines.append(f"<{quote}> {n['prefix']} {prefix}")
            parts.append(f" ;\n\t{t['prefix']} {prefix}")
        if figure.suffix:
            suffix = quoted(figure.suffix)
            lines.append(f"<{quote}> {n['suffix']} {suffix}")
            parts.append(f" ;\n\t{t['suffix']} {suffix}")
        s = f"<{position}>"
        lines += (
            f"{s} {n['a']} {n['Position']}",
            f"{s} {n['start']} {start}^^{n['offset']}",
            f"{s} {n['end']} {end}^^{n['offset']}",
        )
        parts.append(
            f" .\n{ttl_position} a {t['Position']} ;\n\t{t['start']} {start}^^{t['offset']} ;\n\t"
            f"{t['end']} {end}^^{t['offset']} .\n"
        )
        statements += lines
        ttl.append("".join(parts))
    return FigureText(statements, "".join(ttl))


@cache
def figure_predicates(variant: int) -> tuple[str, ...]:
    """Return the predicates of a figure's triples, in order (for the VoID figures)."""
    return tuple(triple.predicate for triple in _probe(variant).plain())


@cache
def figure_classes() -> tuple[str, ...]:
    """Return the classes of a figure's four nodes, in order."""
    return tuple(t.value for t in _probe(0).plain() if t.predicate == RDF_TYPE and t.kind == IRI)


def figures_stats(stats: GroupStats, figures: Sequence[FigureNode]) -> GroupStats:
    """Return a practice's figures (:class:`GroupStats`) with its figures' added: what
    :func:`nualod.write.stats.group_stats` gives for all of its triples."""
    subjects: list[str] = []
    predicates: list[str] = []
    for figure in figures:
        subjects += figure.subjects
        predicates += figure_predicates(figure.variant)
    return stats._replace(
        triples=stats.triples + len(predicates),
        subjects=stats.subjects + tuple(subjects),
        classes=stats.classes + figure_classes() * len(figures),
        predicates=stats.predicates + tuple(predicates),
    )
