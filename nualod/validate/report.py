"""Render a :class:`~nualod.validate.shacl.ValidationReport` as text, JSON or Turtle.

Text is for people: problems grouped by practice (named by title and source page), each
said in words with its severity. JSON is for programs, in a stable, documented shape
(:func:`report_json`). Turtle is the standard SHACL ``sh:ValidationReport``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from json.encoder import encode_basestring
from typing import Any, Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.util import from_n3

from nualod.read.rdf import quiet_ill_typed_literals
from nualod.validate.shacl import FocusNode, ValidationReport, ValidationResult

JSON_SCHEMA_VERSION: Final = "nualod-validation-report/1"
_WORD: Final = {"Violation": "violation", "Warning": "warning", "Info": "info"}
_VALUE_LIMIT: Final = 60
_HINT_NODES: Final = 3


def show_value(result: ValidationResult) -> str:
    """Return the offending value as people read it: 'text' for literals, <iri> for links.

    >>> show_value(ValidationResult("x", None, "Violation", "m", "2025-13-01", value_kind="literal"))
    "'2025-13-01'"
    >>> show_value(ValidationResult("x", None, "Violation", "m", "http://a/b", value_kind="iri"))
    '<http://a/b>'
    """
    if result.value is None:
        return ""
    if result.value_kind == "iri":
        return f"<{result.value}>"
    if result.value_kind == "blank":
        return "a blank node"
    text = " ".join(result.value.split())
    if len(text) > _VALUE_LIMIT:
        text = text[: _VALUE_LIMIT - 1].rstrip() + "…"
    return repr(text)


def say(result: ValidationResult, language: str = "en") -> str:
    """Return what is wrong in words, with the offending value when there is one.

    >>> say(ValidationResult("x", None, "Violation", "the date (dcterms:issued) is not a date",
    ...                      "2025-13-01", value_kind="literal"))
    "the date (dcterms:issued) is not a date: '2025-13-01'"
    """
    message = result.message_in(language) or f"fails {result.constraint or 'a constraint'}"
    value = show_value(result)
    return f"{message}: {value}" if value and value not in message else message


def plural(count: int, word: str) -> str:
    """Return "1 violation", "2 violations"; info stays uncounted ("3 info").

    >>> plural(1, "violation"), plural(2, "warning"), plural(3, "info")
    ('1 violation', '2 warnings', '3 info')
    """
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def summary(report: ValidationReport) -> str:
    """Return the one-line verdict and the counts by severity.

    >>> summary(ValidationReport(()))
    'conforms: 0 violations, 0 warnings, 0 info'
    """
    verdict = "conforms" if report.conforms else "does not conform"
    counts = ", ".join(plural(n, _WORD[s]) for s, n in report.counts.items())
    return f"{verdict}: {counts}"


def _heading(node: FocusNode) -> list[str]:
    if node.kind == "practice":
        lines = [f'practice "{node.label}"' if node.label else f"practice <{node.iri}>"]
        if node.page:
            lines.append(f"  page: {node.page}")
        if node.label:
            lines.append(f"  iri:  {node.iri}")
        return lines
    lines = [node.describe()]
    if node.label:
        lines.append(f"  iri:  {node.iri}")
    if node.practices:
        lines.append(f"  used by {plural(len(node.practices), 'practice')}")
    return lines


#: Control characters, which a value (a title, a label) could use to drive the terminal the
#: text report is printed on; they are shown escaped, ``\x1b`` (issue #18 case 18).
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def report_text(report: ValidationReport, files: Sequence[str] = (), language: str = "en") -> str:
    """Return the report for people: one block per practice or other node, then a summary.

    Nodes with a violation or a warning get a block each (with their info results too);
    nodes with info results only are summed up, one line per message, so hints do not
    bury problems.

    >>> print(report_text(ValidationReport((), engine="fast"), ["nualod.ttl"]))
    nualod.ttl: conforms: 0 violations, 0 warnings, 0 info
    engine: fast (nualod's compiled SHACL; same results as pySHACL)
    """
    lines: list[str] = []
    hints: dict[str, list[FocusNode]] = {}
    for node, results in report.groups():
        if all(r.severity == "Info" for r in results):
            for result in results:
                hints.setdefault(say(result, language), []).append(node)
            continue
        lines += _heading(node)
        lines += [f"  {_WORD.get(r.severity, r.severity)}: {say(r, language)}" for r in results]
        lines.append("")
    for message, nodes in hints.items():
        named = ", ".join(node.describe() for node in nodes[:_HINT_NODES])
        more = f" and {len(nodes) - _HINT_NODES} more" if len(nodes) > _HINT_NODES else ""
        lines.append(f"info: {message}: {named}{more}")
    if hints:
        lines.append("")
    if report.reference_info:
        lines.append(
            f"{report.reference_info} info about nualod's reference data not shown; --all to show"
        )
    prefix = f"{', '.join(files)}: " if files else ""
    lines.append(prefix + summary(report))
    lines.append(engine_line(report))
    return "\n".join(_CONTROL.sub(_escaped, line) for line in lines)


def engine_line(report: ValidationReport) -> str:
    """Return the line that says which engine gave the results, and why when not the fast one.

    >>> print(engine_line(ValidationReport((), engine="fast")))
    engine: fast (nualod's compiled SHACL; same results as pySHACL)
    >>> print(engine_line(ValidationReport((), fallback="the shapes use sh:sparql")))
    engine: pySHACL (the fast engine cannot compile these shapes: the shapes use sh:sparql)
    """
    if report.engine == "fast":
        return "engine: fast (nualod's compiled SHACL; same results as pySHACL)"
    if report.fallback:
        return f"engine: pySHACL (the fast engine cannot compile these shapes: {report.fallback})"
    return "engine: pySHACL"


def withheld_reason(
    report: ValidationReport, practice: str, results: Sequence[ValidationResult]
) -> str:
    """Return why a practice was withheld: its violations in words, each on the node at fault.

    >>> r = ValidationResult("https://x/p", None, "Violation", "the title (dcterms:title) is missing")
    >>> withheld_reason(ValidationReport((r,)), "https://x/p", [r])
    'withheld, 1 violation: the title (dcterms:title) is missing'
    """
    violations = [r for r in results if r.severity == "Violation"]
    parts = []
    for result in violations:
        if result.focus_node == practice:
            parts.append(say(result))
        else:
            parts.append(f"its {report.node(result.focus_node).describe()}: {say(result)}")
    return f"withheld, {plural(len(violations), 'violation')}: " + "; ".join(parts)


def result_json(result: ValidationResult) -> dict[str, Any]:
    """Return one result as a JSON object (see :func:`report_json`)."""
    return {
        "severity": result.severity,
        "path": result.path,
        "message": say(result),
        "messages": {lang or "und": text for lang, text in result.messages},
        "value": result.value,
        "value_kind": result.value_kind,
        "source_shape": result.source_shape,
        "constraint": result.constraint,
    }


def _group_json(node: FocusNode, results: Sequence[ValidationResult]) -> dict[str, Any]:
    return {
        "focus_node": node.iri,
        "kind": node.kind,
        "label": node.label,
        "page": node.page,
        "practices": list(node.practices),
        "results": [result_json(r) for r in results],
    }


def report_json(report: ValidationReport, files: Sequence[str] = ()) -> dict[str, Any]:
    """Return the report as JSON-ready data, in a stable order.

    Schema (version ``nualod-validation-report/1``)::

        {
          "schema": "nualod-validation-report/1",
          "files": [str],                    # the files validated, as given
          "conforms": bool,                  # no result is a violation
          "counts": {"Violation": int, "Warning": int, "Info": int},
          "engine": "fast" | "pyshacl",      # which engine gave the results
          "fallback": str | null,            # why pySHACL ran instead of the fast engine
          "reference_info": int,             # info on nualod's reference data, left out
          "groups": [                        # practices first (by title), then other nodes
            {
              "focus_node": str,             # IRI (or blank node id)
              "kind": str,                   # practice, city, regency, province, place, theme,
                                             # indicator, source, catalog, dataset,
                                             # distribution or node
              "label": str | null,           # title, name or label
              "page": str | null,            # practice only: page it was read from / source
              "practices": [str],            # IRIs of the practices pointing at the node
              "results": [
                {
                  "severity": "Violation" | "Warning" | "Info",
                  "path": str | null,        # property IRI (null for node-level results)
                  "message": str,            # English, in words, with the value
                  "messages": {lang: str},   # the shape's sh:message in every language
                  "value": str | null,       # offending value (lexical form or IRI)
                  "value_kind": "iri" | "literal" | "blank" | null,
                  "source_shape": str | null,
                  "constraint": str | null   # e.g. "MinCountConstraintComponent"
                }
              ]
            }
          ]
        }

    >>> report_json(ValidationReport(()))["counts"]
    {'Violation': 0, 'Warning': 0, 'Info': 0}
    """
    return {
        "schema": JSON_SCHEMA_VERSION,
        "files": list(files),
        "conforms": report.conforms,
        "counts": report.counts,
        "engine": report.engine,
        "fallback": report.fallback,
        "reference_info": report.reference_info,
        "groups": [_group_json(node, results) for node, results in report.groups()],
    }


def report_json_text(report: ValidationReport, files: Sequence[str] = ()) -> str:
    """Return :func:`report_json` as indented JSON text with sorted keys."""
    return json.dumps(report_json(report, files), ensure_ascii=False, indent=2, sort_keys=True)


_GROUPS_A_PIECE: Final = 1000


def report_json_pieces(report: ValidationReport, files: Sequence[str] = ()) -> Iterator[str]:
    """Yield :func:`report_json_text` piece by piece, some 1,000 groups at a time (the same text).

    A report of a million practices is a gigabyte of JSON: written as it is made, it is
    never all in memory at once; in pieces of a few hundred kB, not a write per group.
    """
    shell = report_json(replace(report, results=(), nodes=()), files)
    shell.update(conforms=report.conforms, counts=report.counts)
    text = json.dumps(shell, ensure_ascii=False, indent=2, sort_keys=True)
    before, empty, after = text.partition('"groups": []')
    assert empty, "the report's JSON names its groups"
    groups = report.groups()
    if not groups:
        yield text
        return
    for at in range(0, len(groups), _GROUPS_A_PIECE):
        texts = (
            "    " + _group_text(node, results)
            for node, results in groups[at : at + _GROUPS_A_PIECE]
        )
        yield (before + '"groups": [\n' if at == 0 else ",\n") + ",\n".join(texts)
    yield "\n  ]" + after


def _json_value(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _strings(items: Sequence[str], indent: str) -> str:
    if not items:
        return "[]"
    inner = indent + "  "
    return "[\n" + inner + (",\n" + inner).join(map(encode_basestring, items)) + "\n" + indent + "]"


def _result_text(result: ValidationResult) -> str:
    messages = {lang or "und": text for lang, text in result.messages}
    if messages:
        shown = ",\n            ".join(
            f"{encode_basestring(lang)}: {encode_basestring(messages[lang])}"
            for lang in sorted(messages)
        )
        listed = "{\n            " + shown + "\n          }"
    else:
        listed = "{}"
    return (
        "{\n"
        f'          "constraint": {_json_value(result.constraint)},\n'
        f'          "message": {_json_value(say(result))},\n'
        f'          "messages": {listed},\n'
        f'          "path": {_json_value(result.path)},\n'
        f'          "severity": {_json_value(result.severity)},\n'
        f'          "source_shape": {_json_value(result.source_shape)},\n'
        f'          "value": {_json_value(result.value)},\n'
        f'          "value_kind": {_json_value(result.value_kind)}\n'
        "        }"
    )


def _group_text(node: FocusNode, results: Sequence[ValidationResult]) -> str:
    """Return :func:`_group_json` as ``json.dumps(..., ensure_ascii=False, indent=2,
    sort_keys=True)`` writes it, four spaces further in, in a fraction of the time.

    ``json.dumps`` with ``indent`` runs its encoder in Python: a report of a million results
    spent most of its writing there. ``tests/test_validate_report_json.py`` holds the two to
    the same text.
    """
    listed = (
        "[\n        " + ",\n        ".join(map(_result_text, results)) + "\n      ]"
        if results
        else "[]"
    )
    return (
        "{\n"
        f'      "focus_node": {_json_value(node.iri)},\n'
        f'      "kind": {_json_value(node.kind)},\n'
        f'      "label": {_json_value(node.label)},\n'
        f'      "page": {_json_value(node.page)},\n'
        f'      "practices": {_strings(node.practices, "      ")},\n'
        f'      "results": {listed}\n'
        "    }"
    )


def _term(text: str) -> URIRef | BNode:
    return URIRef(text) if ":" in text else BNode(text)


def report_graph(report: ValidationReport) -> Graph:
    """Return the report as a standard SHACL ``sh:ValidationReport`` graph.

    Results of complex (non-predicate) paths carry no ``sh:resultPath``.
    """
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("nuash", "https://w3id.org/nualod/shapes#")
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for result in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _term(result.focus_node)))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        if result.path:
            graph.add((node, SH.resultPath, URIRef(result.path)))
        for language, text in result.messages:
            graph.add((node, SH.resultMessage, Literal(text, lang=language or None)))
        if result.value_n3 is not None:
            value = from_n3(result.value_n3)
            if isinstance(value, URIRef | BNode | Literal):
                graph.add((node, SH.value, value))
        if result.source_shape:
            graph.add((node, SH.sourceShape, URIRef(result.source_shape)))
        if result.constraint:
            graph.add((node, SH.sourceConstraintComponent, SH[result.constraint]))
    return graph


def report_turtle(report: ValidationReport) -> str:
    """Return the report as a Turtle ``sh:ValidationReport``."""
    # The report quotes ill-typed values ("2025-13-01"^^xsd:date) as they are; rdflib would
    # log a traceback for each while building the graph.
    with quiet_ill_typed_literals():
        text = report_graph(report).serialize(format="turtle")
    comments = [f"# {engine_line(report)}"]
    if report.reference_info:
        comments.append(f"# {report.reference_info} info about nualod's reference data left out")
    return "\n".join(comments) + "\n" + text


__all__ = [
    "JSON_SCHEMA_VERSION",
    "engine_line",
    "plural",
    "report_graph",
    "report_json",
    "report_json_pieces",
    "report_json_text",
    "report_text",
    "report_turtle",
    "say",
    "show_value",
    "summary",
    "withheld_reason",
]
