"""Split a published ``nualod.nq`` into shards of practices, in one streaming pass.

The site has one page per practice, and a million practices do not fit in memory as
graphs, nor may each page run a query (that does not finish at a million). So the N-Quads
file is read once, in order, and each line of the practices graph is appended to the
shard of its practice (the first two hex digits of the hash that ends the practice's key:
256 shards) as an N-Triples line: the graph's name, the same on all of them, is dropped, so
the shard parses into triples that the serializers take as they are. Lines of the other
graphs (vocabulary, reference data, alignments: a few thousand, whatever the number of
practices) go to one small file. Each shard is then parsed with ``pyoxigraph.parse`` and
grouped by subject in a worker, shard by shard, so memory holds one shard at a time.

N-Quads is a line format (a quad per line, a literal's line breaks escaped), so routing a
line needs only its subject (the first token) and its graph (the last IRI before the final
dot); every line is still parsed, by pyoxigraph, in the shard it lands in. The file is
routed in byte ranges that start at line starts, one process each (:func:`split_quads`'s
``parts``); each writes files of its own, read back in order, so the shards hold the
published file's lines in its order whatever the number of parts. A range is read in chunks
of several MB and routed a run of lines at a time (a practice's lines, a subject's lines)
with bytes operations and regexes that run in C: a loop over lines in Python cost some
microseconds a line, fifty lines a practice (see :meth:`_Router.chunk`); what such a run
cannot be proved to route as the line-by-line routing does goes line by line.

A node of the practices graph that is not a practice and not inside one (a source web page,
typed ``schema:WebPage`` once per run however many practices cite it) is joined to every
practice that points to it, through on-disk buckets keyed by a hash of its IRI, so that each
practice's files hold it.
"""

from __future__ import annotations

import re
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import BinaryIO, Final

from nualod.errors import SiteError
from nualod.files.pool import worker_pool

#: Shards of practices: the first two hex digits of the key's hash.
SHARD_COUNT: Final = 256
#: Buckets of the join between shared nodes and the practices that point to them.
JOIN_BUCKETS: Final = 64
_BUFFER: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class Split:
    """What the split wrote: shard files and the small graphs' file, with counts.

    The published file is routed in ``parts`` byte ranges, one process each; every part
    writes files of its own, read in part order: the published file's order.
    """

    source: Path
    folder: Path
    practices_base: str
    data_base: str
    shards: tuple[int, ...]
    quads: int
    practice_quads: int
    parts: int = 1

    def shard_parts(self, number: int) -> list[Path]:
        """Return the files of one shard, in order: its practices' lines, as N-Triples (the
        practices graph's name, the same on every line, taken off)."""
        return [
            path
            for part in range(self.parts)
            if (path := self.folder / f"shard-{number:03d}.{part}.nt").is_file()
        ]

    def attached(self, number: int) -> Path:
        """Return the file of shared nodes attached to the practices of one shard.

        Each line is an N-Quad whose graph name is the practice that points to the node.
        """
        return self.folder / f"attached-{number:03d}.nq"

    @property
    def context(self) -> Path:
        """Return the N-Quads file of every graph but the practices graph."""
        return self.folder / "context.nq"


@dataclass(frozen=True, slots=True)
class _Routed:
    """What routing one part of the published file gave."""

    practices_base: bytes
    data_base: str
    shards: frozenset[int]
    refs: frozenset[int]
    shared: frozenset[int]
    quads: int
    practice_quads: int


def shard_of(key: str) -> int:
    """Return the shard of a practice key: the first two hex digits of its trailing hash.

    >>> shard_of("10-47-33.75-62146c0504af32de")
    98
    >>> shard_of("no-hash")
    0
    """
    tail = key.rsplit("-", 1)[-1]
    try:
        return int(tail[:2], 16) if len(tail) >= 2 else 0
    except ValueError:
        return 0


def _practices_graph(line: bytes, suffix: bytes) -> bytes:
    """Return the graph token of a line if it is in the practices graph, else b"".

    Every quad ``publish`` writes is in a named graph, so a line of the practices graph
    ends with ``<{base}graph/practices> .``; nothing else can end so (an object IRI or a
    datatype would have to be that graph's IRI).

    >>> _practices_graph(b'<s> <p> "a b" <https://x/graph/practices> .\\n', b"graph/practices>")
    b'<https://x/graph/practices>'
    >>> _practices_graph(b'<s> <p> <o> <https://x/graph/reference> .\\n', b"graph/practices>")
    b''
    """
    body = line.rstrip()
    if not body.endswith(b"."):
        return b""
    body = body[:-1].rstrip()
    if not body.endswith(suffix):
        return b""
    return body[body.rfind(b"<") :]


def split_quads(
    source: Path,
    folder: Path,
    *,
    parts: int = 1,
    practices_graph_suffix: bytes = b"graph/practices>",
) -> Split:
    """Route every line of ``source`` to its shard or to the context file under ``folder``,
    in up to ``parts`` byte ranges routed side by side (forked processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    ranges = _ranges(source, parts)
    route = partial(_route, source, folder, practices_graph_suffix)
    if len(ranges) == 1:
        routed = [route(0, *ranges[0])]
    else:
        with worker_pool(len(ranges)) as pool:
            routed = pool.starmap(route, [(part, *bounds) for part, bounds in enumerate(ranges)])
    with (folder / "context.nq").open("wb") as context:
        for part in range(len(ranges)):
            with (folder / f"context.{part}.nq").open("rb") as lines:
                shutil.copyfileobj(lines, context, _BUFFER)
            (folder / f"context.{part}.nq").unlink()
    shared: set[int] = set().union(*(r.shared for r in routed))
    refs: set[int] = set().union(*(r.refs for r in routed))
    _join(folder, len(ranges), sorted(shared), refs)
    practices_base = next((r.practices_base for r in routed if r.practices_base), b"")
    return Split(
        source=source,
        folder=folder,
        practices_base=practices_base[1:].decode("utf-8"),
        data_base=next((r.data_base for r in routed if r.data_base), ""),
        shards=tuple(sorted(set().union(*(r.shards for r in routed)))),
        quads=sum(r.quads for r in routed),
        practice_quads=sum(r.practice_quads for r in routed),
        parts=len(ranges),
    )


#: Below this size, the published file is routed in one part.
_SPLIT_FROM_BYTES: Final = 64 << 20


def _ranges(source: Path, parts: int) -> list[tuple[int, int]]:
    """Return up to ``parts`` byte ranges of a file that start at line starts (one for a
    file under :data:`_SPLIT_FROM_BYTES`)."""
    size = source.stat().st_size
    if parts <= 1 or size < _SPLIT_FROM_BYTES:
        return [(0, size)]
    starts = [0]
    with source.open("rb") as stream:
        for at in range(1, parts):
            stream.seek(max(size * at // parts - 1, starts[-1]))
            stream.readline()  # on to the start of the next line
            start = stream.tell()
            if starts[-1] < start < size:
                starts.append(start)
    return list(zip(starts, [*starts[1:], size], strict=True))


def _route(
    source: Path, folder: Path, practices_graph_suffix: bytes, part: int, start: int, end: int
) -> _Routed:
    """Route the lines of ``source`` from byte ``start`` to ``end`` (line starts) into the
    part's files under ``folder``."""
    router = _Router(folder, part, practices_graph_suffix)
    try:
        with source.open("rb", buffering=0) as stream:
            stream.seek(start)
            left = end - start
            # A chunk at a time, routed where it is read from its first line break to its
            # last (no copy of megabytes); the line across two chunks is joined and routed
            # alone, and so is a line longer than a chunk.
            pieces: list[bytes] = []
            while left > 0:
                block = stream.read(min(_CHUNK, left))
                if not block:
                    break
                left -= len(block)
                first = block.find(b"\n") + 1
                if not first:
                    pieces.append(block)
                    continue
                line = b"".join([b"\n", *pieces, block[:first]])
                router.chunk(line, 1, len(line))
                cut = block.rfind(b"\n") + 1
                router.chunk(block, first, cut)
                pieces = [block[cut:]]
            # A range that ends inside a line takes that line to its end, as reading line by
            # line does (ranges end at line starts: this is only for safety).
            rest = b"".join(pieces)
            if rest and left <= 0:
                rest += stream.readline()
            if rest:
                router.line(rest)
    finally:
        router.close()
    return router.routed()


#: Bytes routed at a time: several MB, so that the bytes operations that route a run of
#: lines at a time (see _Router.chunk) work on long strings.
_CHUNK: Final = 4 << 20


class _Router:
    """The part's files and what routing has found so far: where the lines go.

    :meth:`line` routes one line, the reference for what goes where; :meth:`chunk` routes
    the same lines a run of them at a time, falling back on :meth:`line` for any run it
    cannot prove it routes as :meth:`line` would.
    """

    def __init__(self, folder: Path, part: int, practices_graph_suffix: bytes) -> None:
        self.folder = folder
        self.part = part
        self.suffix = practices_graph_suffix
        self.shards: dict[int, BinaryIO] = {}
        self.refs: dict[int, BinaryIO] = {}
        self.shared: dict[int, BinaryIO] = {}
        self.context: BinaryIO = (folder / f"context.{part}.nq").open("wb", buffering=_BUFFER)
        self.practices_base = b""
        self.data_base = ""
        self.own: tuple[bytes, ...] = ()
        self.quads = 0
        self.practice_quads = 0
        # Lines come grouped by subject (the publish sorts them), so where a subject's lines
        # go is worked out once per subject, and a line of the practices graph is known by
        # how it ends.
        self.tail = b""
        self.last: bytes | None = None
        self.handle: BinaryIO = self.context
        self.practice = False
        self.number = 0
        self.owner = b""
        self.runs = _runs(b"", b"")
        self.head: re.Pattern[bytes] | None = None
        self.guess = 1 << 14
        self.outside: re.Pattern[bytes] | None = None
        self.ref_handles: dict[bytes, BinaryIO] = {}

    def out(
        self, table: dict[int, BinaryIO], number: int, name: str, suffix: str = "nq"
    ) -> BinaryIO:
        handle = table.get(number)
        if handle is None:
            path = self.folder / f"{name}-{number:03d}.{self.part}.{suffix}"
            handle = path.open("wb", buffering=_BUFFER)
            table[number] = handle
        return handle

    def close(self) -> None:
        self.context.close()
        for table in (self.shards, self.refs, self.shared):
            for handle in table.values():
                handle.close()

    def routed(self) -> _Routed:
        return _Routed(
            self.practices_base,
            self.data_base,
            frozenset(self.shards),
            frozenset(self.refs),
            frozenset(self.shared),
            self.quads,
            self.practice_quads,
        )

    def line(self, line: bytes) -> None:
        """Route one line."""
        first = line[:1]
        if (first != b"<" and first != b"_") and (
            not line.strip() or line.lstrip().startswith(b"#")
        ):
            return
        self.quads += 1
        tail = self.tail
        if not (tail and line.endswith(tail)):
            graph = _practices_graph(line, self.suffix)
            if not graph:
                self.context.write(line)
                return
            if not self.practices_base:
                base = graph[1 : -len(self.suffix)]
                self.data_base = base.decode("utf-8")
                self.practices_base = b"<" + base + b"practice/"
                self.own = (b"<" + base, b"<https://w3id.org/nualod/")
                self.tail = tail = b" " + graph + b" .\n"
                self.runs = _runs(self.practices_base, tail)
                self.head = re.compile(re.escape(self.practices_base) + rb"([^ >#\n]++)(?:> |#)")
                self.outside = _outside(self.own)
        self.practice_quads += 1
        subject = line[: line.find(b" ")]
        if subject != self.last:
            self.last = subject
            self.practice = subject.startswith(self.practices_base)
            if self.practice:
                key = subject[len(self.practices_base) : -1].split(b"#", 1)[0]
                self.number = shard_of(key.decode("utf-8", "replace"))
                self.handle = self.out(self.shards, self.number, "shard", "nt")
                owner = subject.split(b"#", 1)[0]
                self.owner = owner if owner.endswith(b">") else owner + b">"
            else:
                self.handle = self.out(self.shared, zlib.crc32(subject) % JOIN_BUCKETS, "shared")
        if not self.practice:
            self.handle.write(line)
        else:
            # As N-Triples: parsed as triples, they are written as they come.
            self.handle.write(
                line[: -len(tail)] + b" .\n" if line.endswith(tail) else as_triple(line)
            )
            # An IRI object outside the practice may be a shared node: note who points to
            # it, for the join.
            rest = line[len(subject) + 1 :]
            rest = rest[rest.find(b" ") + 1 :]
            if rest.startswith(b"<") and not rest.startswith(self.own):
                target = rest[: rest.find(b">") + 1]
                bucket = zlib.crc32(target) % JOIN_BUCKETS
                self.out(self.refs, bucket, "ref").write(
                    b"%s %d %s\n" % (target, self.number, self.owner)
                )

    def lines(self, run: bytes) -> None:
        """Route a run of whole lines one line at a time."""
        for line in run.split(b"\n")[:-1]:
            self.line(line + b"\n")

    def chunk(self, data: bytes, start: int, end: int) -> None:
        """Route the whole lines of ``data`` from byte ``start`` to ``end``, ``start`` past a
        line break (``data[start - 1]``).

        A loop over lines costs microseconds a line; a practice is some fifty lines (its
        figures' nodes follow it). So lines are routed a run at a time, with bytes
        operations and regexes that run in C: a practice's run (its lines and its hash
        nodes', together) is guessed by a few look-ups (:func:`_run_end`), split at the
        practices graph's tail, which takes the graph's name off every line, and checked
        (every piece one line, starting with the practice's subject); failing that, or
        where no practice starts, :func:`_runs` matches the run (a practice's, checking each
        line's subject and end, or a subject's, or else one line). A practice's IRI objects
        pointing outside the data are found with one regex; a subject's run is a shared
        node's when every line ends with the tail, context when no line names the practices
        graph. Any other run, and any line not of a run, goes to :meth:`line`: a run goes
        otherwise only when that is provably what :meth:`line` does with each of its lines.
        """
        pos = start
        # Past a failed guess of a practice's run, runs are matched by the regex (so that
        # guessing costs at most one more pass over the chunk whatever the lines).
        guessed = pos
        while pos < end:
            if pos >= guessed and self.head is not None:
                found = self.head.match(data, pos, end)
                if found is not None:
                    key = found.group(1)
                    guessed = _run_end(data, pos, end, self.practices_base + key, self.guess)
                    bodies = self._practice_lines(data[pos:guessed], key)
                    if bodies is not None:
                        self._practice(data, pos, guessed, key, bodies)
                        self.guess = guessed - pos
                        pos = guessed
                        continue
            found = self.runs.match(data, pos, end)
            assert found is not None  # one line at least: data[end - 1] is a line break
            at, pos = found.span()
            kind = found.lastgroup
            if kind == "key":
                run = data[at:pos]
                self._practice(data, at, pos, found.group(kind), run.split(self.tail))
            elif kind == "subject":
                self._subject(data[at:pos], found.group(kind))
            else:
                self.line(data[at:pos])

    def _practice_lines(self, run: bytes, key: bytes) -> list[bytes] | None:
        """Return the lines of a guessed run of a practice without the practices graph's tail,
        or None if any line is not the practice's or its hash node's or does not end so."""
        lines = run.split(self.tail)
        # The tail ends with the only line break in it, so it is found once a line, at its
        # end: the last piece is empty, and no piece holds a line break.
        if lines[-1] or b"\n" in b"".join(lines):
            return None
        lines.pop()
        subject = self.practices_base + key
        if not all(map(bytes.startswith, lines, repeat((subject + b"> ", subject + b"#")))):
            return None
        lines.append(b"")
        return lines

    def _practice(self, data: bytes, start: int, end: int, key: bytes, bodies: list[bytes]) -> None:
        """Route a run of lines whose subjects are one practice or its hash nodes, every line
        ending with the practices graph's tail; ``bodies``: the run split at the tails."""
        triples = b" .\n".join(bodies)
        lines = len(bodies) - 1
        self.quads += lines
        self.practice_quads += lines
        number = shard_of(key.decode("utf-8", "replace"))
        self.out(self.shards, number, "shard", "nt").write(triples)
        # Each line's object, if an IRI outside the data: from the line break before the run
        # (see chunk), subject and predicate are the line's first two tokens.
        assert self.outside is not None  # set with the tail
        targets = self.outside.findall(data, start - 1, end)
        if targets:
            pointer = b" %d %s%s>\n" % (number, self.practices_base, key)
            handles = self.ref_handles
            for target in targets:
                handle = handles.get(target)
                if handle is None:
                    if len(handles) > _REF_HANDLES:
                        handles.clear()
                    bucket = zlib.crc32(target) % JOIN_BUCKETS
                    handle = handles[target] = self.out(self.refs, bucket, "ref")
                handle.write(target + pointer)

    def _subject(self, run: bytes, subject: bytes) -> None:
        """Route a run of lines of one subject that is not a practice's (or not matched as
        one)."""
        tail = self.tail
        lines = run.count(b"\n")
        if tail and run.count(tail) == lines and not subject.startswith(self.practices_base):
            # A shared node: its lines, as they are, wait for the join.
            self.quads += lines
            self.practice_quads += lines
            self.out(self.shared, zlib.crc32(subject) % JOIN_BUCKETS, "shared").write(run)
        elif self.suffix not in run and not (tail and tail in run):
            # No line can be the practices graph's: all of them are context.
            self.quads += lines
            self.context.write(run)
        else:
            self.lines(run)


def _runs(practices_base: bytes, tail: bytes) -> re.Pattern[bytes]:
    """Return the regex of one run of lines (see :meth:`_Router.chunk`): the lines of a
    practice and of its hash nodes, each ending with ``tail`` (group ``key``, once the
    practices graph is known), else the lines of one subject starting ``<`` or ``_`` (group
    ``subject``), else one line.

    A practice's subject is ``<{base}KEY> `` or ``<{base}KEY#...``: the key, without ``#``,
    ``>``, space or line break, is the one :meth:`_Router.line` takes, and so is its owner
    ``<{base}KEY>``. (Single-byte classes and possessive repeats: the regex engine runs them
    fastest.)
    """
    subject = rb"(?P<subject>[<_][^ \n]*+) [^\n]*\n(?:(?P=subject) [^\n]*\n)*+"
    line = rb"[^\n]*\n"
    if not practices_base:
        return re.compile(subject + b"|" + line)
    base = re.escape(practices_base)
    end = rb"(?:> |#)[^\n]*" + re.escape(tail)
    practice = base + rb"(?P<key>[^ >#\n]++)" + end + rb"(?:" + base + rb"(?P=key)" + end + rb")*+"
    return re.compile(practice + b"|" + subject + b"|" + line)


def _run_end(data: bytes, start: int, end: int, prefix: bytes, guess: int) -> int:
    """Return the first line start after ``start`` (that of a line starting with ``prefix``)
    whose line does not start so, or ``end``, if such lines are together (a practice's are).

    A guess, which the caller checks: by steps doubling from ``guess`` bytes (the run
    before) then halving, some ten look-ups in C where a regex would read every byte.
    """
    lo, hi = start, end
    step = max(guess, 256)
    while lo + step < hi:
        at = data.find(b"\n", lo + step - 1, hi) + 1 or hi
        if at >= hi:
            break
        if not data.startswith(prefix, at):
            hi = at
            break
        lo = at
        step *= 2
    while hi - lo > 1024:
        at = data.find(b"\n", (lo + hi) // 2 - 1, hi) + 1 or hi
        if at >= hi:
            break
        if data.startswith(prefix, at):
            lo = at
        else:
            hi = at
    while True:
        at = data.find(b"\n", lo, hi) + 1 or hi
        if at >= hi or not data.startswith(prefix, at):
            return at
        lo = at


def _outside(own: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Return the regex of a line's object that is an IRI not starting with one of ``own``,
    from the line break before the line; group 1 is the IRI, to its first ``>``.

    Only for lines that end with the practices graph's tail: its two spaces keep the first
    two tokens (up to a space each) and the IRI (up to a ``>``) in the line.
    """
    inside = b"|".join(re.escape(prefix[1:]) for prefix in own)
    return re.compile(rb"\n[^ ]*+ [^ ]*+ (<(?!" + inside + rb")[^>]*+>)")


#: Targets of refs whose file is remembered (the few IRIs most practices point to, types and
#: units, come again and again); beyond that many, forgotten all at once.
_REF_HANDLES: Final = 1 << 14


def _join(folder: Path, parts: int, shared_buckets: list[int], ref_buckets: set[int]) -> None:
    """Attach each shared node's lines to the practices that point to it."""
    attached: dict[int, BinaryIO] = {}
    try:
        for bucket in shared_buckets:
            if bucket not in ref_buckets:
                continue
            nodes: dict[bytes, list[bytes]] = {}
            for line in _part_lines(folder, "shared", bucket, parts):
                nodes.setdefault(line[: line.find(b" ")], []).append(_without_graph(line))
            seen: set[tuple[bytes, bytes]] = set()
            for ref in _part_lines(folder, "ref", bucket, parts):
                target, number, owner = ref.rstrip(b"\n").split(b" ", 2)
                found = nodes.get(target)
                if found is None or (target, owner) in seen:
                    continue
                seen.add((target, owner))
                shard = int(number)
                handle = attached.get(shard)
                if handle is None:
                    path = folder / f"attached-{shard:03d}.nq"
                    handle = path.open("ab", buffering=_BUFFER)
                    attached[shard] = handle
                for body in found:
                    handle.write(b"%s %s .\n" % (body, owner))
    finally:
        for handle in attached.values():
            handle.close()


def _part_lines(folder: Path, name: str, bucket: int, parts: int) -> Iterator[bytes]:
    """Yield the lines of one bucket's files, part by part."""
    for part in range(parts):
        yield from lines_of(folder / f"{name}-{bucket:03d}.{part}.nq")


def _without_graph(line: bytes) -> bytes:
    """Return an N-Quads line's triple part: without its graph name and final dot.

    >>> _without_graph(b'<s> <p> <o> <g> .\\n')
    b'<s> <p> <o>'
    """
    body = line.rstrip()[:-1].rstrip()
    return body[: body.rfind(b"<")].rstrip()


def as_triple(line: bytes) -> bytes:
    """Return an N-Quads line as the N-Triples line of its triple.

    >>> as_triple(b'<s> <p> "a" <g> .\\n')
    b'<s> <p> "a" .\\n'
    """
    return _without_graph(line) + b" .\n"


def lines_of(path: Path) -> Iterator[bytes]:
    """Yield the lines of a file that may not exist (a shard with nothing attached)."""
    if path.is_file():
        with path.open("rb") as lines:
            yield from lines


_POSITION: Final = re.compile(r"(?:Parser error )?at line (\d+)(?: column (\d+))?:?\s*")


def syntax_error(
    source: Path, part: Path, error: SyntaxError, *, triples: bool = False
) -> SiteError:
    """Return the error of a line of ``part`` (a shard) as one naming its line in ``source``.

    Shards hold lines of the published file (``triples``: as N-Triples, :func:`as_triple`);
    the parser counts lines in the shard, so the offending line is looked up in the
    published file (only when there is an error).
    """
    message = str(error)
    found = _POSITION.search(message)
    if found is None:
        return SiteError(f"{source}: {message}")
    reason = _POSITION.sub("", message).strip()
    reason = re.sub(r"\s*\(line \d+\)$", "", reason)
    wanted = int(found.group(1))
    with part.open("rb") as lines:
        bad = next((line for number, line in enumerate(lines, 1) if number == wanted), None)
    column = int(found.group(2)) if found.group(2) else None
    if bad is not None:
        with source.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if (as_triple(line) if triples else line) != bad:
                    continue
                if column is not None and triples and column > len(bad.rstrip().decode()) - 2:
                    # Past the triple, in the graph name the shard left out: where it is
                    # in the published line.
                    column += len(line.decode()) - len(bad.decode())
                where = f"column {column}: " if column is not None else ""
                return SiteError(f"{source}: line {number}, {where}{reason}")
    where = f"column {column}: " if column is not None else ""
    return SiteError(f"{source}: {where}{reason}")
