"""Merge compact JSON-LD node objects that describe one subject into one node object.

A concept is described in several places of a release: the vocabulary graph (its seed), the
alignments graph (its mappings) and, when a page names a concept the seed leaves unnamed, a
practice's batch. The N-Quads keep them apart by graph; the JSON-LD dump is one ``@graph``,
where a program indexing nodes by ``id`` would keep only the last of them. The JSON-LD sink
holds such nodes back and writes each subject once, merged here: the values of both, each
once, in the order :func:`nualod.write.jsonld.node_object` gives them (by the object's
N-Triples text), so the merged node is the one a single group of all the triples gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from nualod.model.triples import quoted
from nualod.write.jsonld import _key_shape, _tables, dumps_node


def _expand(name: str) -> str:
    """Return the IRI of a compact IRI ("skos:Concept"), or the text itself."""
    prefix, _, local = name.partition(":")
    namespace = _tables_prefixes().get(prefix)
    return namespace + local if namespace and not local.startswith("//") else name


def _tables_prefixes() -> dict[str, str]:
    return dict(_tables()[2])


def _class_iri(name: str) -> str:
    for iri, term in _tables()[1].items():
        if term == name:
            return iri
    return _expand(name)


def _object_text(key: str, item: Any) -> str:
    """Return the N-Triples text of one value written under ``key`` (its sort key)."""
    if isinstance(item, dict):
        if "@value" not in item:  # {"@id": ...} or an embedded node object
            return f"<{item.get('@id', item.get('id'))}>"
        text = quoted(str(item["@value"]))
        if "@language" in item:
            return f"{text}@{item['@language']}"
        return f"{text}^^<{_expand(item['@type'])}>" if "@type" in item else text
    term = next((t for t in _tables()[0].values() if t.name == key), None)
    if term is None or term.kind == "id":
        return f"<{item}>"
    if term.kind == "typed" and term.datatype:
        return f"{quoted(item)}^^<{term.datatype}>"
    return quoted(item)


def merge_nodes(nodes: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return one node object holding every value of the given node objects of one subject.

    >>> merged = merge_nodes([
    ...     {"id": "https://w3id.org/nualod/code/theme/10", "type": ["Concept", "Theme"],
    ...      "notation": ["10"]},
    ...     {"id": "https://w3id.org/nualod/code/theme/10", "prefLabel": {"id": "Pendidikan"},
    ...      "closeMatch": ["http://metadata.un.org/sdg/4"]},
    ... ])
    >>> print(dumps_node(merged))
    {"id":"https://w3id.org/nualod/code/theme/10","type":["Concept","Theme"],"closeMatch":["http://metadata.un.org/sdg/4"],"notation":["10"],"prefLabel":{"id":"Pendidikan"}}
    """
    subject: str | None = None
    types: dict[str, str] = {}
    values: dict[str, dict[str, Any]] = {}
    for node in nodes:
        subject = subject or node["id"]
        found = node.get("type", [])
        for name in found if isinstance(found, list) else [found]:
            types.setdefault(f"<{_class_iri(name)}>", name)
        for key, value in node.items():
            if key in ("id", "type"):
                continue
            kept = values.setdefault(key, {})
            if _key_shape(key) == "language":
                for language, texts in value.items():
                    for text in texts if isinstance(texts, list) else [texts]:
                        kept.setdefault(f"{quoted(text)}@{language}", (language, text))
                continue
            for item in value if isinstance(value, list) else [value]:
                kept.setdefault(_object_text(key, item), item)
    merged: dict[str, Any] = {"id": subject}
    if types:
        names = [types[text] for text in sorted(types)]
        merged["type"] = names if len(names) > 1 else names[0]
    for key in sorted(values):
        items = [values[key][text] for text in sorted(values[key])]
        shape = _key_shape(key)
        if shape == "language":
            language_map: dict[str, Any] = {}
            for language, text in items:
                previous = language_map.get(language)
                if previous is None:
                    language_map[language] = text
                else:
                    language_map[language] = (
                        [*previous, text] if isinstance(previous, list) else [previous, text]
                    )
            merged[key] = language_map
        elif shape == "set" or len(items) > 1:
            merged[key] = items
        else:
            merged[key] = items[0]
    return merged


class HeldNodes:
    """Node lines of subjects that may recur (concepts), kept to be written once, merged."""

    def __init__(self, prefix: str) -> None:
        self._marker = b'{"id":' + json.dumps(prefix).encode("utf-8")[:-1]
        self._held: dict[str, list[dict[str, Any]]] = {}

    def keep_others(self, lines: bytes) -> bytes:
        """Return the node lines (joined by ``,\\n``) of other subjects; hold these back."""
        if self._marker not in lines:
            return lines
        others = []
        for line in lines.split(b",\n"):
            if line.startswith(self._marker):
                node = json.loads(line)
                self._held.setdefault(node["id"], []).append(node)
            else:
                others.append(line)
        return b",\n".join(others)

    def others(self, lines: bytes) -> bytes:
        """Return what :meth:`keep_others` would write of ``lines``, holding nothing back."""
        if self._marker not in lines:
            return lines
        return b",\n".join(
            line for line in lines.split(b",\n") if not line.startswith(self._marker)
        )

    def merged_lines(self) -> bytes:
        """Return every held subject's merged node line, in the order they came first."""
        return ",\n".join(dumps_node(merge_nodes(nodes)) for nodes in self._held.values()).encode(
            "utf-8"
        )
