"""Validate RDF files of any size: the fast engine over an on-disk store, batch by batch.

:func:`validate_files` is what ``nualod validate`` runs. One N-Triples or N-Quads file
written node by node, as nualod writes its dumps, is checked chunk by chunk in memory by
:mod:`nualod.validate.chunks`, which gives it back here whenever a chunk could get another
answer than the whole graph gives. Otherwise the files are bulk loaded into a
temporary on-disk Oxigraph store (RocksDB: memory stays bounded whatever the file size,
and the files need not be grouped by subject). The shapes are compiled by
:mod:`nualod.validate.fast`; the focus nodes of each group of shapes with the same targets
come from the store (one ``SELECT DISTINCT`` each), in batches of :data:`BATCH_SIZE`, and
each batch is checked against a :class:`StoreData`, which answers the engine's questions
(a node's triples, the subjects pointing at it, the practices that use it) from the store.
So a check that reads beyond its focus node (``sh:class`` on a practice's city, a path of
several steps, an inverse path) sees the whole graph, as pySHACL does, without the graph
ever being in memory. Oxigraph stores typed literals by value, so the files are loaded with
the XSD namespace respelled (:class:`KeptLiterals`) and every term read back is spelled as
the file has it (:func:`show`). Files over :data:`PARALLEL_BYTES` are checked in two
processes. Shapes the fast engine does not compile are run by pySHACL on the files read as
one in-memory graph, and the report says so (``engine``, ``fallback``).

JSON-LD whose ``@context`` names a context nualod ships (:data:`SHIPPED_CONTEXTS`:
schema.org's, and nualod's own) is read offline with the shipped copy; any other remote
context is refused, never fetched.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Final, cast

import pyshacl
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Store, parse
from rdflib import Graph

from nualod.errors import RDFSyntaxError, UnsupportedShapesError, UsageError, worker_signals
from nualod.files.pool import worker_pool
from nualod.map.graphs import fixed_graphs
from nualod.model.iris import DataIRIs
from nualod.model.namespaces import CONTEXT, NUA
from nualod.model.resources import resource_text
from nualod.read.inputs import Inputs, input_paths
from nualod.read.rdf import (
    checked_rdf_file,
    quiet_ill_typed_literals,
    rdf_errors,
    triples_to_graph,
)
from nualod.validate.chunks import validate_chunks
from nualod.validate.fast import (
    CompiledShapes,
    Data,
    Term,
    Values,
    blank_node_graph,
    compile_shapes,
    normalized,
)
from nualod.validate.shacl import (
    FocusNode,
    ValidationReport,
    ValidationResult,
    load_shapes,
    result_order,
    validate_graph,
)

__all__ = [
    "BATCH_SIZE",
    "SHIPPED_CONTEXTS",
    "StoreData",
    "load_store",
    "pyshacl_version",
    "read_triples",
    "split_reference_info",
    "validate_files",
    "validate_store",
]

#: Focus nodes checked per batch: enough that per-batch costs vanish, few enough that a
#: batch's triples (and the nodes they point at) stay small.
BATCH_SIZE: Final = 2000
#: Input size from which batches are checked in two processes (starting them costs ~1 s).
PARALLEL_BYTES: Final = 50_000_000
#: Nodes outside the focus (cities, themes, indicators) kept between batches, at most.
SHARED_BOUND: Final = 100_000

_SCHEMA_ORG: Final = "vocab/schemaorg-context.jsonld"
_NUALOD: Final = "vocab/context.jsonld"
#: Remote JSON-LD contexts read from a shipped copy, by the IRIs documents name them with.
SHIPPED_CONTEXTS: Final = {
    "https://schema.org": _SCHEMA_ORG,
    "https://schema.org/": _SCHEMA_ORG,
    "http://schema.org": _SCHEMA_ORG,
    "http://schema.org/": _SCHEMA_ORG,
    "https://schema.org/docs/jsonldcontext.jsonld": _SCHEMA_ORG,
    "https://schema.org/docs/jsonldcontext.json": _SCHEMA_ORG,
    CONTEXT: _NUALOD,
    CONTEXT + ".jsonld": _NUALOD,
}

#: Oxigraph stores typed literals by value: "1234"^^xsd:nonNegativeInteger comes back as
#: "1234"^^xsd:integer, "2.50"^^xsd:decimal as "2.5", "1"^^xsd:boolean as "true". pySHACL
#: sees them as rdflib parses them, so the files go into the store with the XSD namespace
#: spelled as this IRI of the same length (positions in error messages stay right), which
#: Oxigraph keeps as written, and every term read back gets the XSD namespace again. It ends
#: with "#" as the XSD namespace does: JSON-LD 1.1 takes a context's term as a prefix only
#: when its IRI ends with such a delimiter, so ``"xsd:date"`` in a context still expands.
XSD_NAMESPACE: Final = "http://www.w3.org/2001/XMLSchema#"
KEPT_NAMESPACE: Final = "urn:x-nualod-verbatim-xsd:".ljust(len(XSD_NAMESPACE) - 1, "_") + "#"
XSD_STRING: Final = XSD_NAMESPACE + "string"
_XSD_BYTES: Final = XSD_NAMESPACE.encode()
_KEPT_BYTES: Final = KEPT_NAMESPACE.encode()
_RDF_TYPE: Final = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF: Final = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_PRACTICE: Final = NamedNode(NUA + "GoodPractice")
_NO_PREDICATES: Final[dict[NamedNode, list[Term]]] = {}
#: Predicates as read from the store and as the file has them (few distinct ones).
_SHOWN_PREDICATES: dict[NamedNode, NamedNode] = {}
_EMPTY: Final[tuple[Term, ...]] = ()


def pyshacl_version() -> str:
    """Return the version of pySHACL that runs when the fast engine cannot."""
    return str(pyshacl.__version__)


# --- reading ---------------------------------------------------------------------------------


class KeptLiterals(io.RawIOBase):
    """A binary file read with the XSD namespace spelled :data:`KEPT_NAMESPACE`."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._ready = b""  # replaced, to hand over
        self._carry = b""  # the end of what was read that may begin a namespace
        self._at = 0  # how much of _ready was handed over

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        chunk = self._raw.read(1 << 20)
        if not chunk:
            self._ready, self._at = self._ready[self._at :] + self._carry, 0
            self._carry = b""
            return False
        replaced = (self._carry + chunk).replace(_XSD_BYTES, _KEPT_BYTES)
        # Hold back the longest end that is the start of a namespace cut by the chunk.
        keep = next(
            (n for n in range(len(_XSD_BYTES) - 1, 0, -1) if replaced.endswith(_XSD_BYTES[:n])),
            0,
        )
        self._ready = self._ready[self._at :] + replaced[: len(replaced) - keep]
        self._at = 0
        self._carry = replaced[len(replaced) - keep :]
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._ready):
            self._ready, self._at = b"", 0
            if not self._fill() and not self._ready:
                return 0
        out = self._ready[self._at : self._at + len(buffer)]
        self._at += len(out)
        buffer[: len(out)] = out
        return len(out)


def hide(term: Term) -> Term:
    """Return a term as it is spelled in the store (see :data:`KEPT_NAMESPACE`)."""
    if type(term) is NamedNode:
        if term.value.startswith(XSD_NAMESPACE):
            return NamedNode(KEPT_NAMESPACE + term.value[len(XSD_NAMESPACE) :])
        return term
    if type(term) is Literal:
        datatype = term.datatype.value
        value = term.value
        if XSD_NAMESPACE in value:
            value = value.replace(XSD_NAMESPACE, KEPT_NAMESPACE)
        if term.language:
            return Literal(value, language=term.language)
        if datatype.startswith(XSD_NAMESPACE):
            datatype = KEPT_NAMESPACE + datatype[len(XSD_NAMESPACE) :]
        return Literal(value, datatype=NamedNode(datatype))
    return term


def _iri(term: NamedNode) -> NamedNode:
    return cast(NamedNode, hide(term))


def _node(term: Term) -> NamedNode | BlankNode:
    if isinstance(term, Literal):
        raise TypeError("a literal is never a subject")
    return term


def show(term: Any) -> Any:
    """Return a term read from the store as the file has it (the inverse of :func:`hide`)."""
    kind = type(term)
    if kind is NamedNode:
        if term.value.startswith(KEPT_NAMESPACE):
            return NamedNode(XSD_NAMESPACE + term.value[len(KEPT_NAMESPACE) :])
        return term
    if kind is Literal:
        value = term.value
        changed = KEPT_NAMESPACE in value
        if changed:
            value = value.replace(KEPT_NAMESPACE, XSD_NAMESPACE)
        if term.language:
            return Literal(value, language=term.language) if changed else term
        datatype = term.datatype.value
        if datatype.startswith(KEPT_NAMESPACE):
            return normalized(
                Literal(value, datatype=NamedNode(XSD_NAMESPACE + datatype[len(KEPT_NAMESPACE) :]))
            )
        return Literal(value, datatype=term.datatype) if changed else term
    return term


@cache
def _context(resource: str) -> Any:
    return json.loads(resource_text(resource))["@context"]


def with_shipped_contexts(document: Any) -> Any:
    """Return a JSON-LD document with every shipped remote context put inline.

    >>> with_shipped_contexts({"@context": "https://schema.org/", "name": "x"})["@context"]["name"]
    {'@id': 'schema:name'}
    >>> with_shipped_contexts({"@context": "https://example.org/ctx"})["@context"]
    'https://example.org/ctx'
    """
    if isinstance(document, list):
        return [with_shipped_contexts(item) for item in document]
    if not isinstance(document, dict):
        return document
    out = {}
    for key, value in document.items():
        if key == "@context":
            out[key] = _inline(value)
        else:
            out[key] = with_shipped_contexts(value)
    return out


def _inline(context: Any) -> Any:
    if isinstance(context, str) and context in SHIPPED_CONTEXTS:
        return _context(SHIPPED_CONTEXTS[context])
    if isinstance(context, list):
        return [_inline(item) for item in context]
    return context


def _is_remote_context_error(error: SyntaxError) -> bool:
    return "LoadDocumentCallback" in str(error.msg)


def _jsonld_inline(path: Path) -> bytes:
    """Return a JSON-LD file with its shipped remote contexts inline (read whole: such
    documents are small; a dump with its context inline never comes here)."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise RDFSyntaxError(str(path), f"not JSON: {error}") from None
    return json.dumps(with_shipped_contexts(document)).encode("utf-8")


def _parsed(path: Path, rdf: RdfFormat, rename: bool) -> Iterator[Quad]:
    """Yield the quads of a file; a JSON-LD file with a shipped remote context is read again
    with the context inline."""
    try:
        yield from parse(path=path, format=rdf, rename_blank_nodes=rename)
    except SyntaxError as error:
        if rdf != RdfFormat.JSON_LD or not _is_remote_context_error(error):
            raise
        yield from parse(_jsonld_inline(path), format=rdf, rename_blank_nodes=rename)


def read_triples(paths: Sequence[Path]) -> list[Any]:
    """Return the triples of RDF files (blank nodes kept apart between files), for pySHACL."""
    triples: list[Any] = []
    for path in paths:
        rdf = checked_rdf_file(path)
        with rdf_errors(path):
            triples.extend(quad.triple for quad in _parsed(path, rdf, len(paths) > 1))
    return triples


def load_store(paths: Sequence[Path], store: Store) -> None:
    """Load RDF files into a store, spelled as :func:`hide` says (the union is validated).

    One file is bulk loaded as it is (N-Quads keep their graph names; the engine reads all
    graphs as one). Several files are parsed with their blank nodes renamed, so that
    ``_:b0`` in two files are two nodes, as :func:`nualod.read.rdf.read_graph` has it.
    """
    for path in paths:
        rdf = checked_rdf_file(path)
        with rdf_errors(path):
            try:
                with path.open("rb") as raw:
                    _load_one(store, KeptLiterals(raw), rdf, len(paths) > 1)
            except SyntaxError as error:
                if rdf != RdfFormat.JSON_LD or not _is_remote_context_error(error):
                    raise
                inline = io.BytesIO(_jsonld_inline(path))
                _load_one(store, KeptLiterals(inline), rdf, len(paths) > 1)


def _load_and_close(paths: Sequence[Path], folder: str) -> None:
    """Load the files into a new store in ``folder`` and close it: closing waits for
    RocksDB's background work, so that nothing changes the store's files afterwards."""
    store = Store(folder)
    load_store(paths, store)
    store.flush()


def _load_one(store: Store, source: KeptLiterals, rdf: RdfFormat, rename: bool) -> None:
    reader = io.BufferedReader(source, buffer_size=1 << 20)
    if rename:
        store.bulk_extend(parse(reader, format=rdf, rename_blank_nodes=True))
    else:
        store.bulk_load(input=reader, format=rdf)


# --- the store as the engine's data ----------------------------------------------------------


class StoreData(Data):
    """The engine's view of the graph in a store: a node's triples are read when first asked.

    ``shared`` keeps what was read of nodes outside the batch's focus nodes (the cities,
    themes and indicators every practice points at) from one batch to the next.
    """

    def __init__(
        self,
        store: Store,
        shared: dict[Term, dict[NamedNode, list[Term]]],
        subclass_triples: list[tuple[Term, Term]],
    ) -> None:
        self.store = store
        self.out = {}
        self.triples = ()
        self.subclass_triples = subclass_triples
        self._shared = shared
        self._inverse = None
        self._types = None
        self._rdflib_graph = None
        self._subjects: dict[tuple[Term, NamedNode], Values] = {}

    def read(self, subject: Term) -> dict[NamedNode, list[Term]]:
        """Return a subject's triples from the store, objects as rdflib holds them."""
        if isinstance(subject, Literal):
            return _NO_PREDICATES
        out: dict[NamedNode, list[Term]] = {}
        shown = _SHOWN_PREDICATES
        for quad in self.store.quads_for_pattern(_node(hide(subject)), None, None, None):
            obj: Any = quad.object  # never a quoted triple: RDF-star is not read
            kind = type(obj)
            # Most objects need no change: tell them by a cheap test before show() runs.
            if kind is Literal:
                if obj.datatype.value.startswith(KEPT_NAMESPACE) or KEPT_NAMESPACE in obj.value:
                    obj = show(obj)
            elif kind is NamedNode and obj.value.startswith(KEPT_NAMESPACE):
                obj = show(obj)
            predicate = shown.get(quad.predicate)
            if predicate is None:
                if len(shown) > SHARED_BOUND:
                    shown.clear()
                predicate = shown[quad.predicate] = show(quad.predicate)
            objects = out.get(predicate)
            if objects is None:
                out[predicate] = [obj]
            elif obj not in objects:  # the same triple in two graphs is one triple
                objects.append(obj)
        return out

    def focus(self, nodes: Iterable[Term]) -> None:
        """Read the triples of a batch's focus nodes (they are not kept after the batch)."""
        for node in nodes:
            if node not in self.out:
                self.out[node] = self.read(node)

    def predicates(self, subject: Term) -> dict[NamedNode, list[Term]]:
        found = self.out.get(subject)
        if found is None:
            found = self._shared.get(subject)
            if found is None:
                found = self.read(subject)
                if len(self._shared) >= SHARED_BOUND:
                    self._shared.clear()
                self._shared[subject] = found
            self.out[subject] = found
        return found

    def subjects(self, obj: Term, predicate: NamedNode) -> Values:
        key = (obj, predicate)
        found = self._subjects.get(key)
        if found is None:
            seen: dict[Term, None] = {}
            if type(obj) is Literal and obj.datatype.value == XSD_STRING:
                # Written plain, or with ^^xsd:string (kept spelled as written): both.
                spellings = (obj, hide(obj))
                for spelling in spellings:
                    for quad in self.store.quads_for_pattern(None, _iri(predicate), spelling):
                        seen[show(quad.subject)] = None
            elif type(obj) is Literal and not obj.language:
                # "1" and "01" as integers are one node to rdflib, two to the store: look at
                # every literal of the predicate (rare: an inverse path from a literal).
                for quad in self.store.quads_for_pattern(None, _iri(predicate), None, None):
                    if type(quad.object) is Literal and show(quad.object) == obj:
                        seen[show(quad.subject)] = None
            else:
                for quad in self.store.quads_for_pattern(None, _iri(predicate), hide(obj), None):
                    seen[show(quad.subject)] = None
            found = self._subjects[key] = list(seen)
        return found

    def inverse(self) -> dict[Term, dict[NamedNode, list[Term]]]:
        raise NotImplementedError("StoreData answers subjects() from the store")

    def pointing_practices(self, nodes: set[Term]) -> dict[Term, set[str]]:
        pointing: dict[Term, set[str]] = {}
        for node in nodes:
            if isinstance(node, Literal):
                continue
            practices = set()
            for quad in self.store.quads_for_pattern(None, None, hide(node), None):
                subject = quad.subject
                if any(True for _ in self.store.quads_for_pattern(subject, _RDF_TYPE, _PRACTICE)):
                    practices.add(show(subject).value)
            if practices:
                pointing[node] = practices
        return pointing

    def blank_graph(self, node: BlankNode) -> Graph:
        """Return the triples of a blank node and of the blank nodes under it, as rdflib."""
        return blank_node_graph(node, self.read)


def _subclass_triples(store: Store) -> list[tuple[Term, Term]]:
    found = {
        (show(q.subject), show(q.object)) for q in store.quads_for_pattern(None, _SUBCLASS_OF, None)
    }
    return sorted(found, key=str)


def _focus_query(classes: Sequence[NamedNode], subjects_of: Sequence[NamedNode],
                 objects_of: Sequence[NamedNode]) -> str | None:  # fmt: skip
    parts = (
        [f"{{ ?c <{_SUBCLASS_OF.value}>* {hide(cls)} . ?s a ?c }}" for cls in classes]
        + [f"{{ ?s {hide(p)} ?o }}" for p in subjects_of]
        + [f"{{ ?x {hide(p)} ?s }}" for p in objects_of]
    )
    if not parts:
        return None
    return f"SELECT DISTINCT ?s WHERE {{ {' UNION '.join(parts)} }}"


def _focus_nodes(store: Store, shape_targets: tuple[Any, ...]) -> Iterator[Term]:
    """Yield the focus nodes of a group of shapes' targets, each once (as rdflib has them)."""
    target_nodes, classes, subjects_of, objects_of = shape_targets
    given = {normalized(node): None for node in target_nodes}
    literals: set[Term] = set()
    query = _focus_query(classes, subjects_of, objects_of)
    if query is not None:
        for solution in cast(QuerySolutions, store.query(query, use_default_graph_as_union=True)):
            node = show(solution[0])
            if type(node) is Literal:
                if node in literals:  # "01" and "1" as integers are one node to rdflib
                    continue
                literals.add(node)
            if node not in given:
                yield node
    yield from given


def _batches(nodes: Iterable[Term], size: int) -> Iterator[list[Term]]:
    batch: list[Term] = []
    for node in nodes:
        batch.append(node)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_store(
    store: Store,
    engine: CompiledShapes,
    *,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    store_path: Path | None = None,
) -> ValidationReport:
    """Validate the graph in a store with compiled shapes, batch by batch.

    With ``workers`` above 1 (and the store's folder in ``store_path``), the batches are
    checked in that many processes, each with the store open read-only; the results are
    the same, in the same order.
    """
    with quiet_ill_typed_literals():  # reported in words, not logged with a traceback
        return _validate_store(store, engine, batch_size, workers, store_path)


def _groups(engine: CompiledShapes) -> dict[tuple[Any, ...], list[int]]:
    """Return the top shapes by their targets: shapes that share targets share a batch."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, shape in enumerate(engine.top):
        key = (
            tuple(shape.target_nodes),
            tuple(shape.target_classes),
            tuple(shape.subjects_of),
            tuple(shape.objects_of),
        )
        groups.setdefault(key, []).append(index)
    return groups


def _work(
    store: Store, engine: CompiledShapes, batch_size: int
) -> Iterator[tuple[list[int], list[Term]]]:
    for targets, indexes in _groups(engine).items():
        for batch in _batches(_focus_nodes(store, targets), batch_size):
            yield indexes, batch


_Checked = tuple[tuple[ValidationResult, ...], tuple[FocusNode, ...]]


class _Checker:
    """What checks batches: the store, the engine, and the nodes kept between batches."""

    def __init__(self, store: Store, engine: CompiledShapes) -> None:
        self.store = store
        self.engine = engine
        self.shared: dict[Term, dict[NamedNode, list[Term]]] = {}
        self.subclass_triples = _subclass_triples(store)

    def check(self, work: tuple[list[int], list[Term]]) -> _Checked:
        indexes, batch = work
        data = StoreData(self.store, self.shared, self.subclass_triples)
        data.focus(batch)
        report = self.engine.validate_nodes(data, [(i, node) for node in batch for i in indexes])
        return report.results, report.nodes


_WORKER: list[_Checker] = []


def _start_worker(store_path: str, shapes_turtle: str) -> None:
    worker_signals()
    shapes = Graph().parse(data=shapes_turtle, format="turtle")
    _WORKER.append(_Checker(Store.read_only(store_path), CompiledShapes(shapes)))


def _check_in_worker(work: tuple[list[int], list[Term]]) -> _Checked:
    with quiet_ill_typed_literals():
        return _WORKER[0].check(work)


def _validate_store(
    store: Store, engine: CompiledShapes, batch_size: int, workers: int, store_path: Path | None
) -> ValidationReport:
    if workers > 1 and store_path is not None:
        # Spawned, not forked: a forked RocksDB handle is not safe to use. Each worker
        # compiles the same shapes (their Turtle keeps the prefixes messages print with).
        setup = (str(store_path), engine.sg.serialize(format="turtle"))
        with worker_pool(
            workers, method="spawn", initializer=_start_worker, initargs=setup
        ) as pool:
            # Only the pool's thread that reads the work holds it: pyoxigraph's query
            # results may only be dropped in the thread that made them (a stop printed
            # "PyQuerySolutions is unsendable, but is being dropped on another thread").
            return _report(
                pool.imap(_check_in_worker, _work(store, engine, batch_size), chunksize=1)
            )
    return _report(map(_Checker(store, engine).check, _work(store, engine, batch_size)))


def _report(checked: Iterable[_Checked]) -> ValidationReport:
    results: list[ValidationResult] = []
    nodes: dict[str, FocusNode] = {}
    for found, described in checked:
        results += found
        for node in described:
            nodes.setdefault(node.iri, node)
    results.sort(key=result_order)
    return ValidationReport(
        tuple(results), tuple(nodes[iri] for iri in sorted(nodes)), engine="fast"
    )


# --- reference data --------------------------------------------------------------------------


@cache
def reference_nodes() -> frozenset[str]:
    """Return the IRIs of the nodes of nualod's shipped reference data (regions, themes,
    indicators, the SDG and UNESCO concepts, the vocabulary), at the default base."""
    return frozenset(
        group[0][0].value
        for _, groups in fixed_graphs(DataIRIs())
        for group in groups
        if group and isinstance(group[0][0], NamedNode)
    )


def split_reference_info(report: ValidationReport) -> ValidationReport:
    """Return the report without its info results on nualod's reference data, counted apart.

    Hints about the shipped regions and concepts (a region without a Wikidata link) are
    nualod's to act on, not the user's; the report counts them in ``reference_info``.
    """
    reference = reference_nodes()
    kept = tuple(
        r for r in report.results if not (r.severity == "Info" and r.focus_node in reference)
    )
    hidden = len(report.results) - len(kept)
    if not hidden:
        return report
    focus = {r.focus_node for r in kept}
    return replace(
        report,
        results=kept,
        nodes=tuple(node for node in report.nodes if node.iri in focus),
        reference_info=report.reference_info + hidden,
    )


# --- the entry point -------------------------------------------------------------------------


#: The engines and routes :func:`validate_files` takes.
ENGINES: Final = ("fast", "pyshacl")
ROUTES: Final = ("auto", "store")


def validate_files(
    paths: Inputs,
    shapes: Path | None = None,
    *,
    engine: str = "fast",
    reference_info: bool = False,
    workers: int | None = None,
    route: str = "auto",
) -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD), read as one graph.

    ``workers`` is how many processes check batches (by default one per core, up to two,
    for files over :data:`PARALLEL_BYTES`; one for smaller ones).

    One N-Triples or N-Quads file of practices written node by node, as nualod writes its
    dumps, is checked chunk by chunk in memory (:mod:`nualod.validate.chunks`), with the
    same results; any other input, or ``route="store"``, goes through the on-disk store.

    ``shapes`` is a folder of Turtle shapes (or one file); by default the shipped shapes.
    ``engine`` is ``"fast"`` (pySHACL when the shapes do not compile; the report's
    ``fallback`` says why) or ``"pyshacl"``. Info results about nualod's reference data are
    counted apart unless ``reference_info`` (see :func:`split_reference_info`). Raises
    :class:`~nualod.errors.RDFSyntaxError` for a file that does not parse and
    :class:`~nualod.errors.ShapesError` for shapes that cannot be used; a
    :class:`~nualod.errors.UsageError` for an engine, route or number of workers it does
    not know. ``paths`` is one path or several, as :func:`nualod.read_inputs` takes them.
    """
    if engine not in ENGINES:
        raise UsageError(f"engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if route not in ROUTES:
        raise UsageError(f"route: {route!r} is not one of {', '.join(ROUTES)}")
    if workers is not None and workers < 1:
        raise UsageError(f"workers: {workers} is not a number of processes (1 or more)")
    files = [Path(path) for path in input_paths(paths)]
    shapes_graph = load_shapes(shapes)
    fallback = None
    report: ValidationReport | None = None
    if engine == "fast":
        try:
            compiled = compile_shapes(shapes_graph)
        except UnsupportedShapesError as error:
            fallback = str(error)
        else:
            if workers is None:
                size = sum(path.stat().st_size for path in files if path.is_file())
                workers = min(2, os.cpu_count() or 1) if size > PARALLEL_BYTES else 1
            if route == "auto" and len(files) == 1:
                checked_rdf_file(files[0])
                report = validate_chunks(files[0], compiled, workers=workers)
            if report is None:
                with tempfile.TemporaryDirectory(prefix="nualod-validate-") as folder:
                    _load_and_close(files, folder)
                    # Read-only from here on, in this process as in the workers: while a
                    # writer stayed open, RocksDB's compactions deleted files the workers
                    # had yet to read (FileNotFoundError: …/000123.sst).
                    store = Store.read_only(folder)
                    report = validate_store(
                        store, compiled, workers=workers, store_path=Path(folder)
                    )
                    del store  # closes RocksDB before its folder goes
    if report is None:
        with quiet_ill_typed_literals():
            graph = triples_to_graph(read_triples(files))
            report = replace(validate_graph(graph, shapes_graph), fallback=fallback)
    return report if reference_info else split_reference_info(report)
