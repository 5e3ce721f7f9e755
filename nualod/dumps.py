"""Write dump files: atomically, deterministically, one record's triples at a time."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, serialize

from nualod.errors import PublishError
from nualod.jsonld import JsonLdDocumentWriter, tree_lines
from nualod.stats import GroupStats, group_stats


def _umask() -> int:
    """Return the process umask (mkstemp makes files 0600; published files follow the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def subject_iri(triple: Triple) -> str:
    """Return the IRI (or blank node id) of a triple's subject."""
    subject = triple.subject
    return subject.value if isinstance(subject, NamedNode | BlankNode) else str(subject)


class Staged:
    """Something written under a temporary name: :meth:`commit` puts it in place, or
    :meth:`discard` removes it. As a context manager, it commits only when the block succeeds.
    """

    def commit(self) -> Path:
        """Move the finished thing to its final name."""
        raise NotImplementedError

    def discard(self) -> None:
        """Delete the unfinished thing."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


class AtomicFile(Staged):
    """A file written under a temporary name and renamed into place only on success.

    A failed or interrupted run never leaves a half-written file under the final name.
    """

    def __init__(self, path: Path, *, binary: bool = False) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".part", dir=path.parent
            )
        except OSError as error:
            raise PublishError(f"{path}: cannot write: {error.strerror or error}") from None
        self.temporary = Path(temporary)
        self.stream: IO[Any] = (
            os.fdopen(handle, "wb")
            if binary
            else os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        )

    def commit(self) -> Path:
        """Close the temporary file and move it to its final name."""
        self.stream.close()
        self.temporary.chmod(0o666 & ~_umask())
        self.temporary.replace(self.path)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary file."""
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


def turtle_prefix_header(prefixes: dict[str, str]) -> str:
    """Return the ``@prefix`` lines that open a Turtle dump.

    >>> turtle_prefix_header({"skos": "http://www.w3.org/2004/02/skos/core#"})
    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\\n'
    """
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())


@dataclass(frozen=True, slots=True)
class Rendered:
    """One group of triples (a record or a node) written out in every dump format.

    Rendering is the costly part of writing, and it needs no state of the run, so worker
    processes render and the publishing process only appends: see :mod:`nualod.pipeline`.
    """

    graph: str
    turtle: str
    ntriples: bytes
    nquads: bytes
    jsonld: tuple[str, ...]
    stats: GroupStats


def turtle_bytes(triples: Sequence[Triple], prefixes: dict[str, str]) -> bytes:
    """Return triples as one Turtle document, prefix lines first (pyoxigraph's writer)."""
    text = serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes)
    assert text is not None  # no output given, so serialize returns bytes
    return text


def turtle_chunk(group: Sequence[Triple], prefixes: dict[str, str]) -> str:
    """Return a group of triples as Turtle under a prefix header written elsewhere.

    pyoxigraph writes the ``@prefix`` lines on every call; they are dropped here so the
    file has one header (:func:`turtle_prefix_header`).
    """
    if not group:
        return ""
    lines = turtle_bytes(group, prefixes).decode("utf-8").split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("@prefix "):
        start += 1
    return "\n" + "\n".join(lines[start:]).rstrip("\n") + "\n"


def render(graph: str, group: Sequence[Triple], prefixes: dict[str, str], base: str) -> Rendered:
    """Return a group of triples of the named graph ``graph`` in every dump format."""
    ntriples = serialize(group, format=RdfFormat.N_TRIPLES) or b""
    # Canonical N-Triples ends every line, and only a line, with " .\n" (a newline inside
    # a literal is escaped), so the quads are the triples with the graph name put in.
    nquads = ntriples.replace(b" .\n", f" <{graph}> .\n".encode())
    return Rendered(
        graph,
        turtle_chunk(group, prefixes),
        ntriples,
        nquads,
        tree_lines(group),
        group_stats(group, base),
    )


class DumpSink:
    """One dump file fed record by record with :class:`Rendered` groups.

    Subclasses pick their format; this class owns the atomic file.
    """

    binary: bool = False

    def __init__(self, path: Path) -> None:
        self.file = AtomicFile(path, binary=self.binary)

    def write(self, rendered: Rendered) -> None:
        """Append one rendered group."""
        raise NotImplementedError

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

    def __init__(self, path: Path, prefixes: dict[str, str]) -> None:
        super().__init__(path)
        self.file.stream.write(turtle_prefix_header(prefixes))

    def write(self, rendered: Rendered) -> None:
        """Append one group as Turtle."""
        self.file.stream.write(rendered.turtle)


class NTriplesSink(DumpSink):
    """The N-Triples dump: the union of all graphs, one triple a line."""

    binary = True

    def write(self, rendered: Rendered) -> None:
        """Append one group as N-Triples lines."""
        self.file.stream.write(rendered.ntriples)


class NQuadsSink(DumpSink):
    """The N-Quads dump: every triple in its named graph."""

    binary = True

    def write(self, rendered: Rendered) -> None:
        """Append one group as quads of its graph."""
        self.file.stream.write(rendered.nquads)


class JsonLdSink(DumpSink):
    """The JSON-LD dump: our inline context, then one node object (tree) per record."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writer = JsonLdDocumentWriter(self.file.stream)

    def write(self, rendered: Rendered) -> None:
        """Append one group's node objects."""
        for line in rendered.jsonld:
            self.writer.write_line(line)

    def close(self) -> None:
        """Close the JSON-LD document."""
        self.writer.close()
        super().close()
