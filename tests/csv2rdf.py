"""csv2rdf in standard mode over a table group the ``csvw`` package has parsed.

The ``csvw`` package reads CSVW metadata and CSV files (dialect, datatypes, separators, nulls,
primary and foreign keys) but converts only to JSON. This module follows W3C "Generating RDF
from Tabular Data on the Web" (csv2rdf), standard mode, over what it parsed:

- the table group, each table whose ``suppressOutput`` is false and each row become the nodes
  ``csvw:TableGroup``, ``csvw:Table`` and ``csvw:Row`` (``csvw:table``, ``csvw:url``,
  ``csvw:row``, ``csvw:rownum``, the row's ``csvw:url`` ``#row=N``, ``csvw:describes``), with
  the common properties of the group and the tables (JSON-LD to RDF);
- each cell of a column whose ``suppressOutput`` is false, virtual columns included, gives:
  its subject from ``aboutUrl`` (else one blank node per row); its predicate from
  ``propertyUrl`` (else the table's URL with ``#`` and the column's name); an IRI from
  ``valueUrl`` (null when the cell is null and the column is not virtual); else, for a
  list (``separator``), one literal per item (an ``rdf:List`` when ``ordered``); else one
  literal, typed by the column's datatype (csv2rdf's table: ``number`` is ``xsd:double``,
  ``string`` takes the column's language unless it is ``und``).

URI templates are expanded as RFC 6570 says for the operators the metadata may use here:
simple (``{var}``: everything but unreserved characters percent-encoded) and reserved
(``{+var}``: reserved characters and percent-encoded triplets kept); any other operator fails
the test rather than being read loosely. The variables are the row's cells by column name
(their lexical form; a list gives its items joined by commas), ``_row``, ``_sourceRow``,
``_column``, ``_sourceColumn`` and ``_name``. The expanded URL is resolved against the table's
URL (RFC 3986), and a prefixed name of CSVW's initial context (``dc:title``) is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from csvw import CSVW
from csvw.metadata import NAMESPACES, Column, Table, TableGroup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

CSVW_NS = "http://www.w3.org/ns/csvw#"
_TABLE_GROUP, _TABLE, _ROW = (URIRef(CSVW_NS + name) for name in ("TableGroup", "Table", "Row"))
STRUCTURE_TYPES = frozenset({_TABLE_GROUP, _TABLE, _ROW})

#: csv2rdf's "Interpreting datatypes": the datatypes whose IRI is not ``xsd:`` + their name.
_DATATYPE_IRIS = {
    "number": XSD.double,
    "binary": XSD.base64Binary,
    "datetime": XSD.dateTime,
    "any": URIRef(f"{XSD}anyAtomicType"),
    "xml": RDF.XMLLiteral,
    "html": RDF.HTML,
    "json": URIRef(CSVW_NS + "JSON"),
}
#: The datatypes that take the cell's language, as ``string`` does.
_STRINGS = frozenset({"string", "normalizedString", "token", "language", "Name", "NCName"})
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]")
_RESERVED = re.compile(r"[:/?#\[\]@!$&'()*+,;=]")
_TRIPLET = re.compile(r"%[0-9A-Fa-f]{2}")
_EXPRESSION = re.compile(r"\{([^}]*)\}")


def _encode(value: str, *, reserved: bool) -> str:
    """Percent-encode ``value`` as RFC 6570 does for simple or reserved expansion."""
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if reserved and _TRIPLET.match(value, index):
            out.append(value[index : index + 3])
            index += 3
            continue
        if _UNRESERVED.fullmatch(char) or (reserved and _RESERVED.fullmatch(char)):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
        index += 1
    return "".join(out)


def expand_template(template: str, variables: Mapping[str, Any]) -> str:
    """Expand the RFC 6570 expressions of ``template`` (simple and reserved only).

    >>> expand_template("https://x.org/{a}/{+b}", {"a": "é 1", "b": "p?q=%41&r=é"})
    'https://x.org/%C3%A9%201/p?q=%41&r=%C3%A9'
    >>> expand_template("{+missing}", {})
    ''
    """

    def one(match: re.Match[str]) -> str:
        expression = match.group(1)
        reserved = expression.startswith("+")
        names = expression[1:] if reserved else expression
        if not re.fullmatch(r"[A-Za-z0-9_.%]+(,[A-Za-z0-9_.%]+)*", names):
            raise ValueError(f"URI template operator not supported here: {{{expression}}}")
        parts = []
        for name in names.split(","):
            value = variables.get(name)
            if value is None or value == []:
                continue  # undefined: expands to nothing
            items = value if isinstance(value, list) else [value]
            parts.append(",".join(_encode(str(item), reserved=reserved) for item in items))
        return ",".join(parts)

    return _EXPRESSION.sub(one, template)


_URI_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$")


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith(("./", "/./")):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:] if path.startswith("/../") else "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            start = 1 if path.startswith("/") else 0
            end = path.find("/", start)
            end = len(path) if end < 0 else end
            output.append(path[:end])
            path = path[end:]
    return "".join(output)


def _resolve(reference: str, base: str) -> str:
    """Resolve a URI reference against a base URI: RFC 3986 section 5.2 (no normalization).

    >>> _resolve("https://x.org/a/../b/%7e?q#f", "file:///t/p.csv")
    'https://x.org/b/%7e?q#f'
    >>> _resolve("../x.csv#row=2", "file:///t/d/p.csv")
    'file:///t/x.csv#row=2'
    """
    parts, base_parts = _URI_PARTS.match(reference), _URI_PARTS.match(base)
    assert parts and base_parts  # the pattern matches any string
    scheme, authority, path, query, fragment = parts.groups()
    b_scheme, b_authority, b_path, b_query, _ = base_parts.groups()
    if scheme is not None:
        path = _remove_dot_segments(path)
    else:
        scheme = b_scheme
        if authority is not None:
            path = _remove_dot_segments(path)
        else:
            authority = b_authority
            if path == "":
                path = b_path
                query = query if query is not None else b_query
            else:
                if not path.startswith("/"):
                    if b_authority is not None and b_path == "":
                        path = "/" + path
                    else:
                        path = b_path[: b_path.rfind("/") + 1] + path
                path = _remove_dot_segments(path)
    text = f"{scheme}:"
    if authority is not None:
        text += f"//{authority}"
    text += path
    if query is not None:
        text += f"?{query}"
    if fragment is not None:
        text += f"#{fragment}"
    return text


def _expand_iri(template: str, variables: Mapping[str, Any], base: str) -> URIRef:
    """Return the IRI a URI template property gives: a prefixed name of CSVW's initial
    context expanded, else the expanded template resolved against ``base``."""
    prefix, colon, local = template.partition(":")
    if colon and prefix in NAMESPACES and not local.startswith("//"):
        return URIRef(NAMESPACES[prefix] + local)
    return URIRef(_resolve(expand_template(template, variables), base))


def _language(column: Column) -> str:
    # The csvw package fills "und" into every description that sets no lang, so the first
    # description up the chain with another tag is the one that set it.
    node: Any = column
    while node is not None:
        lang = getattr(node, "lang", "und")
        if lang and lang != "und":
            return str(lang)
        node = getattr(node, "_parent", None)
    return "und"


def _lexical(column: Column, value: Any) -> str:
    datatype = column.inherit("datatype")
    if datatype is None:
        return str(value)
    return str(datatype.formatted(value))


def _literal(column: Column, value: Any) -> Literal:
    """Return the literal of one cell value (csv2rdf's "Interpreting datatypes")."""
    datatype = column.inherit("datatype")
    base = datatype.base if datatype is not None else "string"
    lexical = _lexical(column, value)
    if datatype is not None and "id" in datatype.at_props:
        return Literal(lexical, datatype=URIRef(datatype.at_props["id"]))
    if base in _STRINGS:
        language = _language(column)
        if language != "und":
            return Literal(lexical, lang=language)
        if base == "string":
            return Literal(lexical)  # RDF 1.1: a simple literal is an xsd:string
    return Literal(lexical, datatype=_DATATYPE_IRIS.get(base, URIRef(str(XSD) + base)))


def _common_properties(
    graph: Graph, subject: URIRef | BNode, properties: Mapping[str, Any], language: str | None
) -> None:
    """Emit common properties (csv2rdf's "JSON-LD to RDF") of a group or a table."""
    for key, value in properties.items():
        _json_ld_value(graph, subject, _property_iri(key), value, language)


def _property_iri(key: str) -> URIRef:
    prefix, colon, local = key.partition(":")
    if colon and prefix in NAMESPACES:
        return URIRef(NAMESPACES[prefix] + local)
    return URIRef(key)


def _json_ld_value(
    graph: Graph, subject: URIRef | BNode, prop: URIRef, value: Any, language: str | None
) -> None:
    if isinstance(value, list):
        for item in value:
            _json_ld_value(graph, subject, prop, item, language)
    elif isinstance(value, Mapping) and "@value" in value:
        datatype = value.get("@type")
        graph.add(
            (
                subject,
                prop,
                Literal(
                    str(value["@value"]),
                    lang=value.get("@language"),
                    datatype=_property_iri(datatype) if datatype else None,
                ),
            )
        )
    elif isinstance(value, Mapping):
        node: URIRef | BNode = URIRef(value["@id"]) if "@id" in value else BNode()
        graph.add((subject, prop, node))
        types = value.get("@type", [])
        for kind in types if isinstance(types, list) else [types]:
            graph.add((node, RDF.type, _property_iri(kind)))
        for key, item in value.items():
            if not key.startswith("@"):
                _json_ld_value(graph, node, _property_iri(key), item, language)
    elif isinstance(value, bool):
        graph.add((subject, prop, Literal("true" if value else "false", datatype=XSD.boolean)))
    elif isinstance(value, int | float):
        kind = XSD.integer if float(value).is_integer() else XSD.double
        graph.add((subject, prop, Literal(value, datatype=kind)))
    else:
        graph.add((subject, prop, Literal(str(value), lang=language)))


def _context_language(group: TableGroup) -> str | None:
    for item in group.at_props.get("context", []):
        if isinstance(item, Mapping) and "@language" in item:
            return str(item["@language"])
    return None


def _identified(description: TableGroup | Table) -> URIRef | BNode:
    identifier = description.at_props.get("id")
    return URIRef(identifier) if identifier else BNode()


def _table_url(table: Table) -> str:
    location = table.url.resolve(table.base)
    return location.resolve().as_uri() if isinstance(location, Path) else str(location)


def csv2rdf(processor: CSVW) -> Graph:
    """Return what csv2rdf in standard mode gives for the table group ``processor`` read."""
    group = processor.tablegroup
    language = _context_language(group)
    graph = Graph()
    group_node = _identified(group)
    graph.add((group_node, RDF.type, _TABLE_GROUP))
    _common_properties(graph, group_node, group.common_props, language)
    for table in group.tables:
        if table.suppressOutput:
            continue
        table_node = _identified(table)
        url = _table_url(table)
        graph.add((group_node, URIRef(CSVW_NS + "table"), table_node))
        graph.add((table_node, RDF.type, _TABLE))
        graph.add((table_node, URIRef(CSVW_NS + "url"), URIRef(url)))
        _common_properties(graph, table_node, table.common_props, language)
        for note in table.notes:
            _json_ld_value(graph, table_node, URIRef(CSVW_NS + "note"), note, language)
        _rows(graph, table, table_node, url)
    return graph


def _rows(graph: Graph, table: Table, table_node: URIRef | BNode, url: str) -> None:
    columns = table.tableSchema.columns
    rows = table.iterdicts(with_metadata=True, strict=True)
    for number, (_, source_number, cells) in enumerate(rows, start=1):
        row_node = BNode()
        graph.add((table_node, URIRef(CSVW_NS + "row"), row_node))
        graph.add((row_node, RDF.type, _ROW))
        graph.add((row_node, URIRef(CSVW_NS + "rownum"), Literal(number, datatype=XSD.integer)))
        graph.add((row_node, URIRef(CSVW_NS + "url"), URIRef(f"{url}#row={source_number}")))
        default_subject = BNode()
        variables: dict[str, Any] = {"_row": number, "_sourceRow": source_number}
        for column in columns:
            if column.virtual:
                continue
            value = cells.get(column.name)
            if isinstance(value, list):
                variables[column.name] = [_lexical(column, item) for item in value if item]
            elif value is not None:
                variables[column.name] = _lexical(column, value)
        for index, column in enumerate(columns, start=1):
            if column.suppressOutput:
                continue
            cell_variables = {
                **variables,
                "_column": index,
                "_sourceColumn": index,
                "_name": column.name,
            }
            _cell(graph, column, None if column.virtual else cells.get(column.name),
                  cell_variables, url, row_node, default_subject)  # fmt: skip


def _cell(
    graph: Graph,
    column: Column,
    value: Any,
    variables: Mapping[str, Any],
    url: str,
    row_node: BNode,
    default_subject: BNode,
) -> None:
    about = column.inherit("aboutUrl")
    subject = _expand_iri(about.uri, variables, url) if about else default_subject
    graph.add((row_node, URIRef(CSVW_NS + "describes"), subject))
    prop_template = column.inherit("propertyUrl")
    if prop_template:
        predicate = _expand_iri(prop_template.uri, variables, url)
    else:
        predicate = URIRef(f"{url}#{expand_template('{_name}', variables)}")
    value_template = column.inherit("valueUrl")
    separator = column.inherit("separator")
    if value_template and (value is not None or column.virtual):
        graph.add((subject, predicate, _expand_iri(value_template.uri, variables, url)))
    elif separator and value:
        literals = [_literal(column, item) for item in value if item is not None]
        if column.inherit("ordered"):
            head = BNode()
            Collection(graph, head, literals)
            graph.add((subject, predicate, head))
        else:
            for literal in literals:
                graph.add((subject, predicate, literal))
    elif value is not None and not separator:
        graph.add((subject, predicate, _literal(column, value)))


def described(graph: Graph) -> Graph:
    """Return what minimal mode gives: the triples but those of the group, tables and rows."""
    structure = {node for node, kind in graph.subject_objects(RDF.type) if kind in STRUCTURE_TYPES}
    found = Graph()
    for triple in graph:
        if triple[0] not in structure:
            found.add(triple)
    return found


def structure(graph: Graph) -> Iterable[tuple[Any, Any, Any]]:
    """Return the triples of the group, its tables and their rows."""
    nodes = {node for node, kind in graph.subject_objects(RDF.type) if kind in STRUCTURE_TYPES}
    return [triple for triple in graph if triple[0] in nodes]
