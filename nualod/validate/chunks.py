"""Validate a large N-Triples or N-Quads file chunk by chunk, in memory, when it comes grouped.

nualod writes its dumps node by node: first the fixed graphs (vocabulary, reference data,
alignments), then each practice with its figure nodes, and after each batch the shared
nodes (sources, concepts) it named first. Such a file need not be loaded into a store:
:func:`validate_chunks` reads the head (everything before the first ``rdf:type
nua:GoodPractice`` line) once, cuts the rest into chunks of about :data:`CHUNK_BYTES` at
lines where the subject's group changes (the subject without its ``#fragment``), and checks
each chunk's focus nodes with the fast engine against the chunk and what is known of the
rest, in worker processes. Memory grows with a chunk, not with the file.

The answers a chunk gets must be the answers the whole graph gives; every way they could
differ is watched, and the file goes to the store (``None`` is returned) when one cannot be
put right:

- a chunk asks about a node it does not hold (its :class:`ChunkData` records it): the node
  is looked for in the other chunks (by the hashes of their subjects); when found, its
  triples are sent to every worker and the chunks that asked are checked again; when it is
  nowhere, "no triples" was the right answer;
- a chunk adds triples to a node of the head (nualod writes a concept's later names and
  broader concept where a page first names them): the triples are sent to every worker and
  a chunk that read the node before they came is checked again; the head's own focus nodes
  are checked last, in this process, with everything added to them;
- a subject in two chunks (a shuffled file), a node of another chunk given more triples,
  ``rdfs:subClassOf`` outside the head, a line the parser refuses: the store;
- the report names, for a node other than a practice, every practice that points at it:
  each chunk counts the practices pointing at the nodes known to have results, and a chunk
  that points at a node found to have results after it was checked is checked again.

Only shapes whose answers are local can be streamed (:func:`streamable`): no inverse path,
no ``sh:targetNode`` or ``sh:targetObjectsOf`` (their focus nodes are not any chunk's own).
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, cast

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse
from rdflib import Graph

from nualod.errors import worker_signals
from nualod.files.pool import caller_script_hidden, stops_held
from nualod.model.collector import fewer_collections, settle_worker
from nualod.model.namespaces import NUA
from nualod.read.rdf import quiet_ill_typed_literals
from nualod.validate.fast import CompiledShapes, Data, Term, blank_node_graph
from nualod.validate.shacl import FocusNode, ValidationReport, ValidationResult, result_order

__all__ = ["CHUNK_BYTES", "ChunkData", "Plan", "plan", "streamable", "validate_chunks"]

#: Bytes per chunk: large enough that per-chunk costs vanish, small enough that a chunk's
#: triples (parsed, indexed) take some tens of MB.
CHUNK_BYTES: Final = 8 << 20
#: The head (the fixed graphs, read by every worker) is at most this long, or the store is used.
HEAD_LIMIT: Final = 256 << 20
#: How many rounds of checking chunks again, at most, before the store is used instead.
ROUNDS: Final = 4

_PRACTICE_LINE: Final = (
    b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + NUA.encode() + b"GoodPractice>"
)
_PRACTICE: Final = NamedNode(NUA + "GoodPractice")
_RDF_TYPE: Final = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS_OF: Final = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_FORMATS: Final = {"nt": RdfFormat.N_TRIPLES, "nq": RdfFormat.N_QUADS}
_NO_PREDICATES: Final[dict[NamedNode, list[Term]]] = {}

_Predicates = dict[NamedNode, list[Term]]
_Triple = tuple[Term, NamedNode, Term]


# --- cutting the file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Where a file's head ends and its chunks begin and end (byte offsets)."""

    path: Path
    syntax: str  # "nt" or "nq"
    cuts: tuple[int, ...]  # cuts[0] ends the head; chunk i is cuts[i]..cuts[i + 1]

    @property
    def chunks(self) -> list[tuple[int, int]]:
        """Return the chunks as (start, end) byte offsets."""
        return list(zip(self.cuts, self.cuts[1:], strict=False))


def _group(line: bytes) -> bytes | None:
    """Return the group of a line's subject: the subject up to its ``#`` (None: no triple)."""
    parts = line.split(None, 1)
    if not parts or parts[0].startswith(b"#"):
        return None
    return parts[0].split(b"#", 1)[0]


def _group_start(file: Any, at: int, size: int) -> int:
    """Return the offset of the first line at or after ``at`` that starts a new group."""
    file.seek(at)
    window = file.read(1 << 16)
    begin = window.find(b"\n") + 1
    if begin == 0:
        return size if len(window) < (1 << 16) else _group_start(file, at + len(window), size)
    offset: int = at + begin
    previous: bytes | None = None
    while True:
        file.seek(offset)
        line = file.readline()
        if not line:
            return size
        group = _group(line)
        if group is not None:
            if previous is not None and group != previous:
                return offset
            previous = group
        offset += len(line)


def _head_end(file: Any) -> int | None:
    """Return the offset of the first line that types a practice, or None."""
    seen = b""
    at = 0
    while at < HEAD_LIMIT:
        block = file.read(1 << 20)
        if not block:
            return None
        text = seen + block
        found = text.find(_PRACTICE_LINE)
        if found >= 0:
            return int(at - len(seen) + text.rfind(b"\n", 0, found) + 1)
        seen = text[-len(_PRACTICE_LINE) :]
        at += len(block)
    return None


def plan(path: Path, chunk_bytes: int = CHUNK_BYTES) -> Plan | None:
    """Return how to cut an N-Triples or N-Quads file of practices, or None for any other."""
    syntax = path.suffix.lower().lstrip(".")
    if syntax not in _FORMATS or not path.is_file():
        return None
    with path.open("rb") as file:
        head = _head_end(file)
        if head is None:
            return None
        size = file.seek(0, 2)
        cuts = [head]
        at = head + chunk_bytes
        while at < size:
            cut = _group_start(file, at, size)
            if cut >= size:
                break
            cuts.append(cut)
            at = cut + chunk_bytes
        cuts.append(size)
    return Plan(path, syntax, tuple(cuts))


def streamable(engine: CompiledShapes) -> bool:
    """Tell whether compiled shapes ask only what a chunk and the known nodes can answer."""
    return not engine.needs_inverse and not any(
        shape.target_nodes or shape.objects_of for shape in engine.top
    )


def _read(path: Path, syntax: str, start: int, end: int) -> list[_Triple]:
    with path.open("rb") as file:
        file.seek(start)
        text = file.read(end - start)
    return [
        (quad.subject, quad.predicate, quad.object) for quad in parse(text, format=_FORMATS[syntax])
    ]


# --- the data of one chunk -------------------------------------------------------------------


class ChunkData(Data):
    """The engine's view of a chunk: its own triples, and the nodes known beyond it.

    A node the chunk does not hold is answered from ``known`` (the head, the triples chunks
    added to it, the nodes found elsewhere); what was asked beyond the chunk is recorded in
    :attr:`asked` (answered from ``known``) and :attr:`missing` (answered "no triples").
    """

    def __init__(
        self,
        triples: list[_Triple],
        known: dict[Term, _Predicates],
        subclass_triples: list[tuple[Term, Term]],
        held: frozenset[Term] = frozenset(),
    ) -> None:
        super().__init__(cast(Any, triples), inverse=False)
        self.triples = ()
        self.own_subclass = bool(self.subclass_triples)
        self.subclass_triples = subclass_triples
        self.known = known
        #: The chunk's triples of nodes it does not own, by node (sent on to the others).
        self.extensions: dict[Term, list[tuple[NamedNode, Term]]] = {}
        # A node found here and sent to every worker is this chunk's own, not added to.
        for node in [node for node in self.out if node in known and node not in held]:
            own = self.out[node]
            self.extensions[node] = [(p, o) for p, objects in own.items() for o in objects]
            merged = {p: list(objects) for p, objects in known[node].items()}
            for predicate, objects in own.items():
                have = merged.setdefault(predicate, [])
                have += [o for o in objects if o not in have]
            self.out[node] = merged
        self.asked: set[Term] = set()
        self.missing: set[Term] = set()

    def predicates(self, subject: Term) -> _Predicates:
        found = self.out.get(subject)
        if found is not None:
            if subject in self.extensions:
                self.asked.add(subject)
            return found
        if type(subject) is Literal:
            return _NO_PREDICATES
        found = self.known.get(subject)
        if found is None:
            self.missing.add(subject)
            return _NO_PREDICATES
        self.asked.add(subject)
        return found

    def own_subjects(self) -> Iterator[Term]:
        """Yield the subjects only this chunk has triples of."""
        return (node for node in self.out if node not in self.extensions)

    def blank_graph(self, node: BlankNode) -> Graph:
        """Return the triples of a blank node and of the blank nodes under it, as rdflib."""
        return blank_node_graph(node, self.predicates)


def _hashes(nodes: Iterable[Term]) -> array[int]:
    # pyoxigraph hashes terms alike in every process, so chunks checked apart compare.
    return array("q", sorted(hash(node) for node in nodes))


def _holds(hashes: array[int], node: Term) -> bool:
    key = hash(node)
    at = bisect_left(hashes, key)
    return at < len(hashes) and hashes[at] == key


# --- checking one chunk ----------------------------------------------------------------------


@dataclass
class ChunkOutcome:
    """What checking one chunk found, and what it asked of the rest."""

    results: tuple[ValidationResult, ...] = ()
    nodes: tuple[FocusNode, ...] = ()
    #: The results and nodes pickled, as a worker sends them: a few bytes a result while
    #: the other chunks are checked, unpacked only to make the report.
    packed: bytes = b""
    subjects: array[int] = field(default_factory=lambda: array("q"))
    pointed: array[int] = field(default_factory=lambda: array("q"))  # objects held elsewhere
    extensions: dict[Term, list[tuple[NamedNode, Term]]] = field(default_factory=dict)
    asked: array[int] = field(default_factory=lambda: array("q"))  # hashes of nodes beyond it
    missing: frozenset[Term] = frozenset()
    pointing: dict[Term, set[str]] = field(default_factory=dict)
    others: frozenset[Term] = frozenset()  # focus nodes with results that are not practices
    refusal: str | None = None


@dataclass
class Knowledge:
    """What a chunk may read beyond itself, as one worker has it."""

    known: dict[Term, _Predicates]
    head: frozenset[Term]  # the head's subjects: the only nodes a chunk may add triples to
    subclass_triples: list[tuple[Term, Term]]
    wanted: set[Term] = field(default_factory=set)  # nodes whose pointing practices are counted

    def learn(self, delta: Delta) -> None:
        """Add what other chunks found (triples, nodes wanted)."""
        for subject, predicate, obj in delta.triples:
            objects = self.known.setdefault(subject, {}).setdefault(predicate, [])
            if obj not in objects:
                objects.append(obj)
        self.wanted |= delta.wanted


@dataclass
class Delta:
    """What one worker has not yet been told."""

    triples: list[_Triple] = field(default_factory=list)
    wanted: set[Term] = field(default_factory=set)


def _group_targets(engine: CompiledShapes) -> list[list[int]]:
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, shape in enumerate(engine.top):
        key = (tuple(shape.target_classes), tuple(shape.subjects_of))
        groups.setdefault(key, []).append(index)
    return list(groups.values())


def check(
    engine: CompiledShapes,
    knowledge: Knowledge,
    triples: list[_Triple],
    exclude: bool = True,
    held: frozenset[Term] = frozenset(),
) -> tuple[ChunkOutcome, ChunkData]:
    """Check the focus nodes of some triples against what is known beyond them.

    ``held`` names the nodes of these triples that other chunks were told of.
    """
    data = ChunkData(triples, knowledge.known, knowledge.subclass_triples, held)
    if exclude and data.own_subclass:
        return ChunkOutcome(refusal="rdfs:subClassOf outside the head"), data
    if exclude and any(node not in knowledge.head for node in data.extensions):
        return ChunkOutcome(refusal="a node of another chunk has triples here"), data
    focus: list[tuple[int, Term]] = []
    for indexes in _group_targets(engine):
        for node in engine.focus_nodes(engine.top[indexes[0]], data):
            if not (exclude and node in data.extensions):  # checked with all its triples
                focus += [(index, node) for index in indexes]
    report = engine.validate_nodes(data, focus)
    with_results = {result.focus_node for result in report.results}
    kinds = {node.iri: node.kind for node in report.nodes}
    others = frozenset(
        term
        for _, term in focus
        if term.value in with_results and kinds.get(term.value) != "practice"
    )
    # The nodes its practices point at that the chunk does not own: should one of them be
    # found to have results later, this chunk's practices pointing there must be counted.
    pointed: set[Term] = set()
    for practice in data.exact_instances(_PRACTICE):
        for objects in data.out[practice].values():
            pointed.update(
                o
                for o in objects
                if type(o) is not Literal and (o not in data.out or o in data.extensions)
            )
    outcome = ChunkOutcome(
        results=report.results,
        nodes=report.nodes,
        subjects=_hashes(data.own_subjects()),
        pointed=_hashes(pointed),
        extensions=data.extensions,
        asked=_hashes(data.asked),
        missing=frozenset(data.missing),
        pointing=data.pointing_practices(knowledge.wanted | others) if others or knowledge.wanted
        else {},
        others=others,
    )  # fmt: skip
    return outcome, data


class _Checker:
    """A worker's engine and knowledge, kept from chunk to chunk."""

    def __init__(self, shapes_turtle: str, path: str, syntax: str, head_end: int) -> None:
        self.engine = CompiledShapes(Graph().parse(data=shapes_turtle, format="turtle"))
        self.path = Path(path)
        self.syntax = syntax
        self.knowledge = _head_knowledge(self.path, syntax, head_end)[0]

    def check(
        self, start: int, end: int, delta: Delta, held: frozenset[Term] = frozenset()
    ) -> ChunkOutcome:
        self.knowledge.learn(delta)
        try:
            triples = _read(self.path, self.syntax, start, end)
        except (SyntaxError, ValueError, UnicodeDecodeError) as error:
            # The store says where, in lines of the whole file.
            return ChunkOutcome(refusal=f"does not parse: {error}")
        with quiet_ill_typed_literals():
            return check(self.engine, self.knowledge, triples, held=held)[0]


def _head_knowledge(path: Path, syntax: str, head_end: int) -> tuple[Knowledge, list[_Triple]]:
    triples = _read(path, syntax, 0, head_end)
    head = Data(cast(Any, triples), inverse=False)
    known = head.out
    return Knowledge(known, frozenset(known), head.subclass_triples), triples


def _serve(tasks: Any, done: Any, setup: tuple[str, str, str, int]) -> None:
    """Check the chunks a queue hands over until it says stop (None)."""
    worker_signals()
    checker = _Checker(*setup)
    settle_worker()  # the head's knowledge, kept all run long, is never garbage
    while True:
        task = tasks.get()
        if task is None:
            return
        index, start, end, delta, held = task
        try:
            outcome = checker.check(start, end, delta, held)
        except Exception as error:  # reported, and the store used instead
            outcome = ChunkOutcome(refusal=f"{type(error).__name__}: {error}")
        if outcome.results or outcome.nodes:
            packed = pickle.dumps((outcome.results, outcome.nodes), protocol=5)
            outcome.packed = zlib.compress(packed, 1)
            outcome.results, outcome.nodes = (), ()
        done.put((index, outcome))


# --- the whole file --------------------------------------------------------------------------


class _Subjects:
    """Tells whether a subject is in two chunks: a bitmap of hashes, then an exact count."""

    def __init__(self, size: int) -> None:
        bits = 1 << 16
        while bits < size and bits < (1 << 30):
            bits <<= 1
        self.mask = bits - 1
        self.bitmap = bytearray(bits >> 3)
        self.suspect: set[int] = set()  # bit positions set twice

    def add(self, hashes: array[int]) -> None:
        bitmap, mask, suspect = self.bitmap, self.mask, self.suspect
        for key in hashes:
            at = key & mask
            bit = 1 << (at & 7)
            if bitmap[at >> 3] & bit:
                suspect.add(at)
            else:
                bitmap[at >> 3] |= bit

    def repeated(self, chunks: Iterable[array[int]]) -> bool:
        if not self.suspect:
            return False
        mask, suspect = self.mask, self.suspect
        counts = Counter(key for hashes in chunks for key in hashes if key & mask in suspect)
        return any(count > 1 for count in counts.values())


class _Run:
    """One validation of a file in chunks: dispatches them, learns, decides what to redo."""

    def __init__(self, plan_: Plan, engine: CompiledShapes, workers: int) -> None:
        self.plan = plan_
        self.engine = engine
        self.workers = workers
        self.knowledge, self.head_triples = _head_knowledge(plan_.path, plan_.syntax, plan_.cuts[0])
        self.chunks = plan_.chunks
        self.outcomes: list[ChunkOutcome | None] = [None] * len(self.chunks)
        self.log: list[tuple[int, Term]] = []  # (chunk, node) for every node given triples
        self.seen_log: list[int] = [0] * len(self.chunks)  # how much of the log a chunk knew
        self.wanted_at: list[frozenset[Term]] = [frozenset()] * len(self.chunks)
        self.found: dict[Term, int] = {}  # nodes asked for, and the chunk holding them
        self.absent: set[Term] = set()
        self.looking: set[Term] = set()  # asked for, not yet found
        self.deltas = [Delta() for _ in range(max(1, workers))]
        self.extensions: dict[Term, list[tuple[NamedNode, Term]]] = {}
        self.subjects = _Subjects(plan_.path.stat().st_size // 32)
        self.refusal: str | None = None
        #: The practices pointing at each node wanted, by IRI (or blank node id).
        self.pointing: dict[str, set[str]] = {}

    # -- what is learnt -------------------------------------------------------------------

    def _tell(self, triples: list[_Triple], wanted: set[Term] | None = None) -> None:
        for delta in self.deltas:
            delta.triples += triples
            if wanted:
                delta.wanted |= wanted
        mine = Delta(list(triples), set(wanted or ()))
        self.knowledge.learn(mine)

    def _take(self, index: int, outcome: ChunkOutcome, first: bool) -> None:
        if outcome.refusal is not None:
            self.refusal = self.refusal or outcome.refusal
            return
        self.outcomes[index] = outcome
        # Kept once, here: a chunk checked again only adds practices (more nodes are wanted).
        for node, practices in outcome.pointing.items():
            self.pointing.setdefault(node.value, set()).update(practices)
        outcome.pointing = {}
        if first:
            self.subjects.add(outcome.subjects)
            # A node looked for may be here.
            here = {node for node in self.looking if _holds(outcome.subjects, node)}
            if here:
                self._fetch(index, here)
        triples: list[_Triple] = []
        for node, pairs in outcome.extensions.items():
            have = self.extensions.setdefault(node, [])
            new = [pair for pair in pairs if pair not in have]
            if new:  # a chunk checked again says nothing new
                self.log.append((index, node))
                have += new
                triples += [(node, *pair) for pair in new]
        new_wanted = set(outcome.others) - self.knowledge.wanted
        if triples or new_wanted:
            self._tell(triples, new_wanted)
        unknown = outcome.missing - self.found.keys() - self.absent - self.looking
        self.looking |= self._fetch_held(unknown)  # looked for again as more chunks come in

    def _fetch_held(self, nodes: Iterable[Term]) -> set[Term]:
        """Fetch nodes from the chunks checked so far that hold them; return the others."""
        holders: dict[int, set[Term]] = {}
        nowhere: set[Term] = set()
        for node in nodes:
            holder = self._holder(node)
            if holder is None:
                nowhere.add(node)
            else:
                holders.setdefault(holder, set()).add(node)
        for holder, held in holders.items():
            self._fetch(holder, held)
        return nowhere

    def _held(self, index: int) -> frozenset[Term]:
        return frozenset(node for node, at in self.found.items() if at == index)

    def _holder(self, node: Term) -> int | None:
        """Return the chunk that holds a node's triples, if one checked so far does."""
        return next(
            (at for at, done in enumerate(self.outcomes) if done and _holds(done.subjects, node)),
            None,
        )

    def _fetch(self, index: int, nodes: set[Term]) -> None:
        """Read the triples of nodes from the chunk that holds them, and tell every worker."""
        start, end = self.chunks[index]
        triples = [t for t in _read(self.plan.path, self.plan.syntax, start, end) if t[0] in nodes]
        for node in nodes:
            self.looking.discard(node)
            self.found[node] = index
        self._tell(triples)

    # -- running the chunks ----------------------------------------------------------------

    def _dispatch_in_process(self, indexes: list[int]) -> None:
        checker = _Checker.__new__(_Checker)
        checker.engine = self.engine
        checker.path = self.plan.path
        checker.syntax = self.plan.syntax
        checker.knowledge = self.knowledge
        first = all(self.outcomes[i] is None for i in indexes)
        for index in indexes:
            self.seen_log[index] = len(self.log)
            self.wanted_at[index] = frozenset(self.knowledge.wanted)
            start, end = self.chunks[index]
            self.deltas[0] = Delta()
            self._take(index, checker.check(start, end, Delta(), self._held(index)), first)
            if self.refusal:
                return

    def _dispatch_in_workers(self, indexes: list[int]) -> None:
        first = all(self.outcomes[i] is None for i in indexes)
        context = multiprocessing.get_context("spawn")
        done: Any = context.Queue()
        tasks: list[Any] = [context.Queue() for _ in range(self.workers)]
        setup = (
            self.engine.sg.serialize(format="turtle"),
            str(self.plan.path),
            self.plan.syntax,
            self.plan.cuts[0],
        )
        processes = [
            context.Process(target=_serve, args=(tasks[w], done, setup), daemon=True)
            for w in range(self.workers)
        ]
        # Every worker already knows the head; tell it what was learnt since.
        self.deltas = [
            Delta([(n, p, o) for n, pairs in self.extensions.items() for p, o in pairs]
                  + [(n, p, o) for n in self.found for p, os in self.knowledge.known[n].items()
                     for o in os],
                  set(self.knowledge.wanted))
            for _ in range(self.workers)
        ]  # fmt: skip
        todo = list(reversed(indexes))
        owner: dict[int, int] = {}
        busy = [0] * self.workers

        def send(worker: int) -> None:
            index = todo.pop()
            owner[index] = worker
            busy[worker] += 1
            self.seen_log[index] = len(self.log)
            self.wanted_at[index] = frozenset(self.knowledge.wanted)
            delta, self.deltas[worker] = self.deltas[worker], Delta()
            start, end = self.chunks[index]
            tasks[worker].put((index, start, end, delta, self._held(index)))

        try:
            # Stops held until each worker has set up its signals.
            with stops_held(), caller_script_hidden():
                for process in processes:
                    process.start()
            for _ in range(2):  # one checked, one waiting, in each worker
                for worker in range(self.workers):
                    if todo:
                        send(worker)
            waiting = len(indexes)
            while waiting:
                try:
                    index, outcome = done.get(timeout=5)
                except queue.Empty:
                    if not all(process.is_alive() for process in processes):
                        self.refusal = "a worker process ended"
                        return
                    continue
                waiting -= 1
                self._take(index, outcome, first)
                if self.refusal:
                    return
                worker = owner[index]
                busy[worker] -= 1
                if todo:
                    send(worker)
        except BaseException:
            # A stop (Ctrl-C, SIGTERM): the workers ignore Ctrl-C, and no chunk is waited for.
            for process in processes:
                if process.pid is not None:  # started
                    process.terminate()
            raise
        finally:
            for worker, process in enumerate(processes):
                if process.is_alive():
                    tasks[worker].put(None)
            for process in processes:
                if process.pid is None:
                    continue
                process.join(timeout=10)
                if process.is_alive():
                    process.terminate()
            # Nobody reads what is left to send: a worker killed by a stop sent to the whole
            # group leaves its queue's thread blocked on a full pipe, and this process's exit
            # waited for that thread for ever.
            for task_queue in tasks:
                task_queue.cancel_join_thread()

    def _run(self, indexes: list[int]) -> None:
        if self.workers > 1 and len(indexes) > 1:
            self._dispatch_in_workers(indexes)
        else:
            self._dispatch_in_process(indexes)

    # -- deciding ---------------------------------------------------------------------------

    def _stale(self, index: int, wanted: set[Term]) -> bool:
        """Tell whether a chunk was checked with less than is known now."""
        outcome = self.outcomes[index]
        assert outcome is not None
        if any(node in self.found for node in outcome.missing):
            return True
        later = {node for at, node in self.log[self.seen_log[index] :] if at != index}
        if any(_holds(outcome.asked, node) for node in later):
            return True
        unknown = wanted - self.wanted_at[index]
        return any(_holds(outcome.pointed, node) for node in unknown)

    def _head_report(self) -> tuple[ChunkOutcome, set[Term]]:
        """Check the head's focus nodes with every triple added to them."""
        triples = list(self.head_triples)
        triples += [(n, p, o) for n, pairs in self.extensions.items() for p, o in pairs]
        others = {n: self.knowledge.known[n] for n in self.found}
        knowledge = Knowledge(others, frozenset(), self.knowledge.subclass_triples)
        knowledge.wanted = set(self.knowledge.wanted)
        with quiet_ill_typed_literals():
            outcome, data = check(self.engine, knowledge, triples, exclude=False)
        return outcome, set(data.missing)

    def run(self) -> ValidationReport | None:
        # What the head alone has results on: every chunk counts its practices pointing there.
        first, _ = self._head_report()
        self.knowledge.wanted |= first.others
        self._run(list(range(len(self.chunks))))
        for _ in range(ROUNDS * 2):
            if self.refusal:
                return None
            self.absent |= self.looking
            self.looking = set()
            head, missing = self._head_report()
            if head.refusal is not None:
                return None
            unknown = missing - self.absent - self.found.keys()
            nowhere = self._fetch_held(unknown)
            self.absent |= nowhere
            if len(nowhere) < len(unknown):
                continue  # check the head again with the nodes it asked for
            wanted = set(head.others).union(*(o.others for o in self.outcomes if o))
            redo = [i for i in range(len(self.chunks)) if self._stale(i, wanted)]
            if not redo:
                if self.subjects.repeated(o.subjects for o in self.outcomes if o):
                    return None
                # What only the checks needed goes before the report is put together.
                del self.subjects
                for outcome in self.outcomes:
                    if outcome is not None:
                        outcome.subjects = outcome.pointed = array("q")
                return self._report(head)
            self._tell([], wanted - self.knowledge.wanted)
            self._run(redo)
        return None

    def _report(self, head: ChunkOutcome) -> ValidationReport:
        outcomes = [head, *(o for o in self.outcomes if o is not None)]
        pointing = self.pointing
        for node, practices in head.pointing.items():
            pointing.setdefault(node.value, set()).update(practices)
        results: list[ValidationResult] = []
        nodes: dict[str, FocusNode] = {}
        for outcome in outcomes:
            if outcome.packed:
                outcome.results, outcome.nodes = pickle.loads(zlib.decompress(outcome.packed))
                outcome.packed = b""
            results += outcome.results
            for described in outcome.nodes:
                if described.kind != "practice":
                    pointers = tuple(sorted(pointing.get(described.iri, ())))
                    described = replace(described, practices=pointers)
                nodes.setdefault(described.iri, described)
        results.sort(key=result_order)
        return ValidationReport(
            tuple(results), tuple(nodes[iri] for iri in sorted(nodes)), engine="fast"
        )


def validate_chunks(
    path: Path,
    engine: CompiledShapes,
    *,
    workers: int = 1,
    chunk_bytes: int = CHUNK_BYTES,
) -> ValidationReport | None:
    """Validate one N-Triples or N-Quads file of practices chunk by chunk, in memory.

    Return None when the file cannot be validated this way with the same results as the
    whole graph gives (not such a file, shapes that read beyond what a chunk can answer, a
    subject spread over the file, a line that does not parse): then use the store.
    """
    if not streamable(engine):
        return None
    cut = plan(path, chunk_bytes)
    if cut is None:
        return None
    try:
        head = _head_knowledge(path, cut.syntax, cut.cuts[0])
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return None
    del head
    with fewer_collections():  # the outcomes kept for the report are a million records
        return _Run(cut, engine, workers).run()
