"""Write dump files: atomically, deterministically, one record's triples at a time."""

from __future__ import annotations

import errno
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Final, NamedTuple

from pyoxigraph import RdfFormat, Triple, serialize

from nualod.errors import PublishError
from nualod.files.atomic import AtomicFile
from nualod.map.figures import FigureNode
from nualod.model.namespaces import CODES
from nualod.model.terms import RDF_TYPE
from nualod.model.triples import (
    AnyTriple,
    PlainTriple,
    plain_triples,
)
from nualod.write.figures import figure_jsonld, figures_stats, figures_text
from nualod.write.jsonld import JsonLdDocumentWriter, json_string, tree_lines, type_name
from nualod.write.nodes import HeldNodes
from nualod.write.stats import PRACTICE_CLASS, GroupStats, group_stats
from nualod.write.text import TurtleWriter, ntriples_and_nquads


def turtle_prefix_header(prefixes: dict[str, str]) -> str:
    """Return the ``@prefix`` lines that open a Turtle dump.

    >>> turtle_prefix_header({"skos": "http://www.w3.org/2004/02/skos/core#"})
    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\\n'
    """
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())


class Rendered(NamedTuple):
    """One group of triples (a record or a node) written out in every dump format, as bytes.

    Rendering is the costly part of writing, and it needs no state of the run, so worker
    processes render and the publishing process only appends: see :mod:`nualod.run.pipeline`.
    ``jsonld`` holds the group's node objects, one a line, joined by ``,\\n``. A named
    tuple, not a frozen dataclass: workers send thousands of these, and a tuple is built
    (and unpickled) several times faster.
    """

    graph: str
    turtle: bytes
    ntriples: bytes
    nquads: bytes
    jsonld: bytes
    stats: GroupStats


def turtle_bytes(triples: Sequence[Triple], prefixes: dict[str, str]) -> bytes:
    """Return triples as one Turtle document, prefix lines first (pyoxigraph's writer)."""
    text = serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes)
    assert text is not None  # no output given, so serialize returns bytes
    return text


@cache
def _turtle_writer(prefixes: tuple[tuple[str, str], ...]) -> TurtleWriter:
    return TurtleWriter(dict(prefixes))


def turtle_writer(prefixes: dict[str, str]) -> TurtleWriter:
    """Return the (shared) Turtle writer of a set of prefixes, to give :func:`render_plain`."""
    return _turtle_writer(tuple(prefixes.items()))


def render(graph: str, group: Sequence[AnyTriple], prefixes: dict[str, str], base: str) -> Rendered:
    """Return a group of triples of the named graph ``graph`` in every dump format."""
    return render_plain(graph, plain_triples(group), turtle_writer(prefixes), base)


def render_plain(
    graph: str,
    plain: Sequence[PlainTriple],
    turtle: TurtleWriter,
    base: str,
    figures: Sequence[FigureNode] = (),
) -> Rendered:
    """Return a group of plain triples of the named graph ``graph`` in every dump format,
    the Turtle written by ``turtle`` (see :func:`turtle_writer`).

    ``figures`` are a practice's figures (its group's last triples, not in ``plain``),
    written from templates (:mod:`nualod.write.figures`): the same bytes as their
    :meth:`FigureNode.plain` triples given in ``plain``.
    """
    if not plain:
        return Rendered(graph, b"", b"", b"", b"", group_stats((), base))
    if not figures:
        ntriples, nquads = ntriples_and_nquads(plain, graph)
        return Rendered(
            graph,
            ("\n" + turtle.statements(plain)).encode("utf-8"),
            ntriples.encode("utf-8"),
            nquads.encode("utf-8"),
            ",\n".join(tree_lines(plain)).encode("utf-8"),
            group_stats(plain, base),
        )
    text = figures_text(figures, turtle)
    statements = [
        f"{s} <{p}> {o}" if s[0] == "_" else f"<{s}> <{p}> {o}" for s, p, _, _, _, o in plain
    ]
    statements += text.statements
    quad_end = f" <{graph}> .\n"
    return Rendered(
        graph,
        ("\n" + turtle.statements(plain) + text.turtle).encode("utf-8"),
        (" .\n".join(statements) + " .\n").encode("utf-8"),
        (quad_end.join(statements) + quad_end).encode("utf-8"),
        ",\n".join(tree_lines(plain, {f.iri: figure_jsonld(f) for f in figures})).encode("utf-8"),
        figures_stats(group_stats(plain, base), figures),
    )


def render_typed_node(graph: str, iri: str, cls: str, turtle: TurtleWriter) -> Rendered:
    """Return the one triple ``<iri> rdf:type <cls>`` of the named graph ``graph`` in every
    dump format: what :func:`render_plain` gives for it, sooner (a source page is one).

    >>> from nualod.model.namespaces import PREFIXES
    >>> page = render_typed_node("http://g.example/", "https://example.org/a",
    ...                          "https://schema.org/WebPage", turtle_writer(PREFIXES))
    >>> page.turtle, page.jsonld
    (b'\\n<https://example.org/a> a schema:WebPage .\\n', b'{"id":"https://example.org/a","type":"WebPage"}')
    """
    statement = f"<{iri}> <{RDF_TYPE}> <{cls}>"
    return Rendered(
        graph,
        f"\n{turtle.iri(iri)} a {turtle.iri(cls)} .\n".encode(),
        f"{statement} .\n".encode(),
        f"{statement} <{graph}> .\n".encode(),
        f'{{"id":{json_string(iri)},"type":{json_string(type_name(cls))}}}'.encode(),
        GroupStats(1, (iri,), (cls,), (RDF_TYPE,), (), iri if cls == PRACTICE_CLASS else None),
    )


#: The formats of a rendered group, in the order a spool file holds them.
FORMATS: Final = ("turtle", "ntriples", "nquads", "jsonld")


class Borrowed(NamedTuple):
    """A group an earlier release wrote exactly as it is now: where it lies in that
    release's dumps (offset and length in each, flat, in the order of :data:`FORMATS`) and
    its figures (:data:`~nualod.write.stats.UNCOUNTED` for a run of groups: the publishing
    process counts those from the record). Its bytes are not read by the process that found
    it: the publishing process copies them from those dumps (:meth:`SpooledGroups.pieces`)."""

    graph: str
    spans: tuple[int, ...]
    stats: GroupStats


class SpoolFiles(NamedTuple):
    """The open files a batch's groups are copied from: its spool file (-1: none) and the
    earlier release's dumps in the order of :data:`FORMATS` (empty: none)."""

    spool: int
    earlier: tuple[int, ...] = ()

    def of(self, earlier: bool, format_index: int) -> int:
        """Return the file a piece lies in."""
        return self.earlier[format_index] if earlier else self.spool


#: A run of a batch's parts in one file: (in the earlier release's dump?, offset, length).
Piece = tuple[bool, int, int]


@dataclass(frozen=True, slots=True)
class SpooledGroups:
    """Rendered groups of one graph, written to a spool file by the process that rendered them.

    The file holds each format's parts back to back, format after format (:data:`FORMATS`);
    JSON-LD parts are joined by ``,\\n``. Groups an earlier release wrote as they are now
    are not in the file (``borrowed`` gives, for each group, its spans in that release's
    dumps, or None): they are copied from those dumps. A publishing process copies each
    format's pieces into its dump without reading them (:meth:`DumpSink.write_spooled`),
    or reads the parts back (:meth:`read`) when it leaves some groups out. ``sizes`` gives,
    by format, each part's length; ``packed_stats`` each group's figures, pickled together
    (:attr:`stats`). ``path`` is None when every group is borrowed.
    """

    graph: str
    path: Path | None
    sizes: tuple[tuple[int, ...], ...]
    packed_stats: bytes
    borrowed: tuple[tuple[int, ...] | None, ...] = ()

    @property
    def count(self) -> int:
        """Return how many groups there are."""
        return len(self.sizes[0])

    @property
    def stats(self) -> tuple[GroupStats, ...]:
        """Return each group's figures. A batch written whole is counted by its worker: the
        publishing process unpickles these only for a batch it writes in part."""
        stats: tuple[GroupStats, ...] = pickle.loads(self.packed_stats)
        return stats

    def _where(self) -> tuple[tuple[int, ...] | None, ...]:
        return self.borrowed or (None,) * self.count

    def _spooled_length(self, format_index: int) -> int:
        sizes = [
            size
            for size, spans in zip(self.sizes[format_index], self._where(), strict=True)
            if spans is None
        ]
        if format_index == FORMATS.index("jsonld"):
            return sum(sizes) + 2 * max(0, sum(1 for size in sizes if size) - 1)
        return sum(sizes)

    def pieces(self, format_index: int) -> list[Piece]:
        """Return where one format's parts lie, in group order, as runs: parts that lie
        back to back in one file (JSON-LD's ``,\\n`` between them included) are one run.
        Joined (JSON-LD runs by ``,\\n``), the runs are the format's parts of the batch.

        >>> spooled = SpooledGroups("g", None, ((3, 4, 5),) * 4, b"",
        ...                         (None, (10, 4) * 4, (14, 5) * 4))
        >>> spooled.pieces(1), spooled.pieces(3)
        ([(False, 3, 3), (True, 10, 9)], [(False, 9, 3), (True, 10, 4), (True, 14, 5)])
        """
        gap = 2 if format_index == FORMATS.index("jsonld") else 0
        at = sum(self._spooled_length(index) for index in range(format_index))
        runs: list[Piece] = []
        for size, spans in zip(self.sizes[format_index], self._where(), strict=True):
            if not size:
                continue
            if spans is None:
                earlier, offset = False, at
                at += size + gap
            else:
                earlier, offset = True, spans[2 * format_index]
            if runs and runs[-1][0] == earlier and sum(runs[-1][1:]) + gap == offset:
                runs[-1] = (earlier, runs[-1][1], runs[-1][2] + gap + size)
            else:
                runs.append((earlier, offset, size))
        return runs

    def bytes_of(self, format_index: int, files: SpoolFiles) -> bytes:
        """Return one format's parts of the batch, joined as a dump joins them."""
        joiner = b",\n" if format_index == FORMATS.index("jsonld") else b""
        return joiner.join(
            [
                os.pread(files.of(earlier, format_index), length, offset)
                for earlier, offset, length in self.pieces(format_index)
            ]
        )

    def copy(
        self,
        format_index: int,
        files: SpoolFiles,
        target: IO[bytes],
        pieces: Sequence[Piece] | None = None,
    ) -> None:
        """Append one format's parts of the batch to ``target``, joined as a dump joins them
        (``pieces``: what :meth:`pieces` gave, when the caller has it already)."""
        joiner = b",\n" if format_index == FORMATS.index("jsonld") else b""
        runs = self.pieces(format_index) if pieces is None else pieces
        for index, (earlier, offset, length) in enumerate(runs):
            if index and joiner:
                target.write(joiner)
            copy_span(files.of(earlier, format_index), target, offset, length)

    def parts_of(
        self, format_index: int, files: SpoolFiles, wanted: Sequence[bool]
    ) -> list[bytes | None]:
        """Return one format's part of each group that is ``wanted`` (None for the others),
        read from the spool file or the earlier dumps.

        >>> import tempfile
        >>> with tempfile.TemporaryFile() as spool:
        ...     _ = spool.write(b"ab" + b"cde")
        ...     _ = spool.flush()
        ...     groups = SpooledGroups("g", None, ((1, 1, 3),) * 4, b"",
        ...                            (None, (9, 9) * 4, None))
        ...     groups.parts_of(0, SpoolFiles(spool.fileno()), [True, False, True])
        [b'a', None, b'bcd']
        """
        gap = 2 if format_index == FORMATS.index("jsonld") else 0
        at = sum(self._spooled_length(index) for index in range(format_index))
        parts: list[bytes | None] = []
        for size, spans, want in zip(self.sizes[format_index], self._where(), wanted, strict=True):
            earlier = spans is not None
            offset = spans[2 * format_index] if spans is not None else at
            if not earlier:
                at += size + (gap if size else 0)
            if not want:
                parts.append(None)
            else:
                file = files.of(earlier, format_index)
                parts.append(os.pread(file, size, offset) if size else b"")
        return parts

    def read(self, files: SpoolFiles) -> list[Rendered]:
        """Return the groups, read back from the spool file and the earlier dumps."""
        every = [True] * self.count
        parts = [
            [part or b"" for part in self.parts_of(index, files, every)]
            for index in range(len(FORMATS))
        ]
        return [
            Rendered(self.graph, turtle, ntriples, nquads, jsonld, stats)
            for turtle, ntriples, nquads, jsonld, stats in zip(*parts, self.stats, strict=True)
        ]

    @contextmanager
    def opened(self, earlier: tuple[int, ...] = ()) -> Iterator[SpoolFiles]:
        """Open the spool file for as long as the block runs; give it with the earlier
        release's dumps (``earlier``, open already)."""
        spool = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC) if self.path is not None else -1
        try:
            yield SpoolFiles(spool, earlier)
        finally:
            if spool >= 0:
                os.close(spool)

    def delete(self) -> None:
        """Delete the spool file."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def spool_groups(graph: str, groups: Sequence[Rendered | Borrowed], folder: Path) -> SpooledGroups:
    """Write rendered groups of ``graph`` to a new spool file in ``folder``; say where.

    Borrowed groups are not written: the spool says where they lie in the earlier dumps.
    """
    rendered = [group for group in groups if isinstance(group, Rendered)]
    path: Path | None = None
    if rendered:
        handle, name = tempfile.mkstemp(prefix="batch-", suffix=".spool", dir=folder)
        path = Path(name)
        with os.fdopen(handle, "wb") as stream:
            stream.write(b"".join([group.turtle for group in rendered]))
            stream.write(b"".join([group.ntriples for group in rendered]))
            stream.write(b"".join([group.nquads for group in rendered]))
            stream.write(b",\n".join([group.jsonld for group in rendered if group.jsonld]))
    borrowed = tuple(group.spans if isinstance(group, Borrowed) else None for group in groups)
    return SpooledGroups(
        graph,
        path,
        tuple(
            tuple(
                group.spans[2 * index + 1]
                if isinstance(group, Borrowed)
                else len(getattr(group, name))
                for group in groups
            )
            for index, name in enumerate(FORMATS)
        ),
        pickle.dumps(tuple(group.stats for group in groups), protocol=pickle.HIGHEST_PROTOCOL),
        borrowed if any(spans is not None for spans in borrowed) else (),
    )


def copy_span(source: int, target: IO[bytes], offset: int, length: int) -> None:
    """Append ``length`` bytes of the file ``source`` from ``offset`` to the stream ``target``.

    The copy stays in the kernel where it can (``copy_file_range``).
    """
    target.flush()
    out = target.fileno()
    if hasattr(os, "copy_file_range"):
        try:
            while length > 0:
                copied = os.copy_file_range(source, out, length, offset)
                if copied == 0:
                    raise PublishError(f"{target.name}: the spool file ended early")
                offset += copied
                length -= copied
            return
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    while length > 0:
        chunk = os.pread(source, min(length, 1 << 22), offset)
        if not chunk:
            raise PublishError(f"{target.name}: the spool file ended early")
        target.write(chunk)
        offset += len(chunk)
        length -= len(chunk)


class DumpSink:
    """One dump file fed record by record with :class:`Rendered` groups.

    Subclasses pick their format; this class owns the atomic (binary) file.
    """

    format: str = ""

    def __init__(self, path: Path) -> None:
        self.file = AtomicFile(path, binary=True)
        self._index = FORMATS.index(self.format)

    def part(self, rendered: Rendered) -> bytes:
        """Return the bytes of this format in a rendered group."""
        return getattr(rendered, self.format)  # type: ignore[no-any-return]

    def write(self, rendered: Rendered) -> None:
        """Append one rendered group."""
        self.file.stream.write(self.part(rendered))

    def write_all(self, groups: Sequence[Rendered]) -> None:
        """Append rendered groups, in order, in one write."""
        self.file.stream.write(b"".join([self.part(group) for group in groups]))

    def write_spooled(self, spooled: SpooledGroups, files: SpoolFiles) -> None:
        """Append all the groups of a batch, from its spool file and the earlier dumps."""
        spooled.copy(self._index, files, self.file.stream)

    def write_pieces(self, earlier: int, pieces: Sequence[tuple[int, int]]) -> None:
        """Append groups copied from the earlier release's dump ``earlier``: runs of them,
        each an offset and a length (JSON-LD's runs joined by ``,\\n``)."""
        for offset, length in pieces:
            copy_span(earlier, self.file.stream, offset, length)

    def size(self) -> int:
        """Return how many bytes are written so far, all flushed to the file."""
        self.file.stream.flush()
        return os.fstat(self.file.stream.fileno()).st_size

    def close(self) -> None:
        """Finish the document (closing brackets and the like) and flush it."""
        self.file.stream.flush()

    def commit(self) -> Path:
        """Move the finished file to its final name."""
        return self.file.commit()

    def discard(self) -> None:
        """Delete the unfinished file."""
        self.file.discard()


class TurtleSink(DumpSink):
    """The Turtle dump: the union of all graphs, prefixes once at the top."""

    format = "turtle"

    def __init__(self, path: Path, prefixes: dict[str, str]) -> None:
        super().__init__(path)
        self.file.stream.write(turtle_prefix_header(prefixes).encode("utf-8"))


class NTriplesSink(DumpSink):
    """The N-Triples dump: the union of all graphs, one triple a line."""

    format = "ntriples"


class NQuadsSink(DumpSink):
    """The N-Quads dump: every triple in its named graph."""

    format = "nquads"


class JsonLdSink(DumpSink):
    """The JSON-LD dump: our inline context, then one node object (tree) per record."""

    format = "jsonld"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writer = JsonLdDocumentWriter(self.file.stream)
        # Concepts are described in several graphs and batches: each is written once, last.
        self.held = HeldNodes(CODES)

    def write(self, rendered: Rendered) -> None:
        """Append one group's node objects."""
        self.writer.write_lines(self.held.keep_others(rendered.jsonld))

    def write_all(self, groups: Sequence[Rendered]) -> None:
        """Append rendered groups' node objects, in order, in one write."""
        lines = b",\n".join([group.jsonld for group in groups if group.jsonld])
        self.writer.write_lines(self.held.keep_others(lines))

    def write_pieces(self, earlier: int, pieces: Sequence[tuple[int, int]]) -> None:
        """Append node objects copied from the earlier release's dump (whole groups: none
        is a concept's)."""
        for offset, length in pieces:
            self.writer.separate()
            copy_span(earlier, self.file.stream, offset, length)

    def write_spooled(self, spooled: SpooledGroups, files: SpoolFiles) -> None:
        """Append all the groups' node objects of a batch, from its spool file and the
        earlier dumps."""
        pieces = spooled.pieces(self._index)
        if pieces:
            self.writer.separate()
            spooled.copy(self._index, files, self.file.stream, pieces)

    def close(self) -> None:
        """Write the held concepts, merged, and close the JSON-LD document."""
        self.writer.write_lines(self.held.merged_lines())
        self.writer.close()
        super().close()
