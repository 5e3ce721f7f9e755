"""Split a published ``nualod.nq`` into shards of practices, in one streaming pass.

The site has one page per practice, and a million practices do not fit in memory as
graphs, nor may each page run a query (that does not finish at a million). So the N-Quads
file is read once, line by line, and each line of the practices graph is appended to the
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
published file's lines in its order whatever the number of parts.

A node of the practices graph that is not a practice and not inside one (a source web page,
typed ``schema:WebPage`` once per run however many practices cite it) is joined to every
practice that points to it, through on-disk buckets keyed by a hash of its IRI, so that each
practice's files hold it.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO, Final

from nualod.errors import NualodError, end_on_terminate

#: Shards of practices: the first two hex digits of the key's hash.
SHARD_COUNT: Final = 256
#: Buckets of the join between shared nodes and the practices that point to them.
JOIN_BUCKETS: Final = 64
_BUFFER: Final = 1 << 16


class SiteError(NualodError):
    """A published folder the site cannot be built from; the message names the file."""


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
        with multiprocessing.get_context("fork").Pool(
            len(ranges), initializer=end_on_terminate
        ) as pool:
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
    shards: dict[int, BinaryIO] = {}
    refs: dict[int, BinaryIO] = {}
    shared: dict[int, BinaryIO] = {}
    practices_base = b""
    data_base = ""
    own: tuple[bytes, ...] = ()
    quads = 0
    practice_quads = 0

    def out(table: dict[int, BinaryIO], number: int, name: str, suffix: str = "nq") -> BinaryIO:
        handle = table.get(number)
        if handle is None:
            path = folder / f"{name}-{number:03d}.{part}.{suffix}"
            handle = path.open("wb", buffering=_BUFFER)
            table[number] = handle
        return handle

    try:
        with (
            source.open("rb", buffering=1 << 20) as stream,
            (folder / f"context.{part}.nq").open("wb", buffering=_BUFFER) as context,
        ):
            stream.seek(start)
            # Lines come grouped by subject (the publish sorts them), so where a subject's
            # lines go is worked out once per subject, and a line of the practices graph is
            # known by how it ends.
            tail = b""
            last: bytes | None = None
            handle: BinaryIO = context
            practice = False
            number = 0
            owner = b""
            for line in _lines_between(stream, start, end):
                first = line[:1]
                if (first != b"<" and first != b"_") and (
                    not line.strip() or line.lstrip().startswith(b"#")
                ):
                    continue
                quads += 1
                if not (tail and line.endswith(tail)):
                    graph = _practices_graph(line, practices_graph_suffix)
                    if not graph:
                        context.write(line)
                        continue
                    if not practices_base:
                        base = graph[1 : -len(practices_graph_suffix)]
                        data_base = base.decode("utf-8")
                        practices_base = b"<" + base + b"practice/"
                        own = (b"<" + base, b"<https://w3id.org/nualod/")
                        tail = b" " + graph + b" .\n"
                practice_quads += 1
                subject = line[: line.find(b" ")]
                if subject != last:
                    last = subject
                    practice = subject.startswith(practices_base)
                    if practice:
                        key = subject[len(practices_base) : -1].split(b"#", 1)[0]
                        number = shard_of(key.decode("utf-8", "replace"))
                        handle = out(shards, number, "shard", "nt")
                        owner = subject.split(b"#", 1)[0]
                        if not owner.endswith(b">"):
                            owner += b">"
                    else:
                        handle = out(shared, zlib.crc32(subject) % JOIN_BUCKETS, "shared")
                if not practice:
                    handle.write(line)
                else:
                    # As N-Triples: parsed as triples, they are written as they come.
                    handle.write(
                        line[: -len(tail)] + b" .\n" if line.endswith(tail) else as_triple(line)
                    )
                    # An IRI object outside the practice may be a shared node: note who
                    # points to it, for the join.
                    rest = line[len(subject) + 1 :]
                    rest = rest[rest.find(b" ") + 1 :]
                    if rest.startswith(b"<") and not rest.startswith(own):
                        target = rest[: rest.find(b">") + 1]
                        bucket = zlib.crc32(target) % JOIN_BUCKETS
                        out(refs, bucket, "ref").write(b"%s %d %s\n" % (target, number, owner))
    finally:
        for table in (shards, refs, shared):
            for handle in table.values():
                handle.close()
    return _Routed(
        practices_base,
        data_base,
        frozenset(shards),
        frozenset(refs),
        frozenset(shared),
        quads,
        practice_quads,
    )


def _lines_between(stream: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    """Yield the lines of ``stream`` (positioned at ``start``, a line start) up to ``end``."""
    left = end - start
    for line in stream:
        if left <= 0:
            return
        left -= len(line)
        yield line


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
