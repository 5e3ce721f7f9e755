"""Write dump files: atomically, deterministically, one record's triples at a time."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Triple, serialize

from nualod.errors import PublishError
from nualod.jsonld import JsonLdDocumentWriter, node_object
from nualod.namespaces import PREFIXES


def _umask() -> int:
    """Return the process umask (mkstemp makes files 0600; published files follow the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def subject_iri(triple: Triple) -> str:
    """Return the IRI (or blank node id) of a triple's subject."""
    subject = triple.subject
    return subject.value if isinstance(subject, NamedNode | BlankNode) else str(subject)


class AtomicFile:
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

    def __enter__(self) -> AtomicFile:
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


def turtle_prefix_header(prefixes: dict[str, str]) -> str:
    """Return the ``@prefix`` lines that open a Turtle dump.

    >>> turtle_prefix_header({"skos": "http://www.w3.org/2004/02/skos/core#"})
    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\\n'
    """
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items())


class TurtleWriter:
    """Write Turtle one group of triples at a time under one prefix header.

    pyoxigraph serialises each group (fast, and groups a subject's triples); the prefix
    lines it repeats per call are dropped so the file has one header.
    """

    def __init__(self, stream: IO[str], extra_prefixes: dict[str, str] | None = None) -> None:
        self.prefixes = {**PREFIXES, **(extra_prefixes or {})}
        self._stream = stream
        stream.write(turtle_prefix_header(self.prefixes))

    def write(self, triples: Sequence[Triple]) -> None:
        """Append triples; triples of one subject should be consecutive."""
        if not triples:
            return
        text = serialize(triples, format=RdfFormat.TURTLE, prefixes=self.prefixes)
        assert text is not None  # no output given, so serialize returns bytes
        lines = text.decode("utf-8").split("\n")
        start = 0
        while start < len(lines) and lines[start].startswith("@prefix "):
            start += 1
        self._stream.write("\n" + "\n".join(lines[start:]).rstrip("\n") + "\n")


class LineWriter:
    """Write N-Triples or N-Quads lines (canonical, as pyoxigraph writes them)."""

    FORMATS: Final = {"nt": RdfFormat.N_TRIPLES, "nq": RdfFormat.N_QUADS}

    def __init__(self, stream: IO[bytes], kind: str) -> None:
        self._stream = stream
        self._format = self.FORMATS[kind]

    def write(self, statements: Sequence[Triple] | Sequence[Quad]) -> None:
        """Append statements."""
        if statements:
            serialize(statements, self._stream, format=self._format)


class DumpSink:
    """One dump file fed record by record: a group of triples is one record (or one node).

    Subclasses format; this class owns the atomic file. ``graph`` names the named graph a
    group belongs to (only N-Quads keeps it).
    """

    suffix: str = ""
    binary: bool = False

    def __init__(self, path: Path) -> None:
        self.file = AtomicFile(path, binary=self.binary)

    def write(self, graph: str, group: Sequence[Triple]) -> None:
        """Append one record's triples."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the document (closing brackets and the like)."""

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
        self.writer = TurtleWriter(self.file.stream, prefixes)

    def write(self, graph: str, group: Sequence[Triple]) -> None:
        """Append one record's triples as Turtle."""
        self.writer.write(group)


class NTriplesSink(DumpSink):
    """The N-Triples dump: the union of all graphs, one triple a line."""

    binary = True

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writer = LineWriter(self.file.stream, "nt")

    def write(self, graph: str, group: Sequence[Triple]) -> None:
        """Append one record's triples as N-Triples lines."""
        self.writer.write(group)


class NQuadsSink(DumpSink):
    """The N-Quads dump: every triple in its named graph."""

    binary = True

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writer = LineWriter(self.file.stream, "nq")
        self._graphs: dict[str, NamedNode] = {}

    def write(self, graph: str, group: Sequence[Triple]) -> None:
        """Append one record's triples as quads of ``graph``."""
        node = self._graphs.get(graph) or self._graphs.setdefault(graph, NamedNode(graph))
        self.writer.write([Quad(t.subject, t.predicate, t.object, node) for t in group])


class JsonLdSink(DumpSink):
    """The JSON-LD dump: our inline context, then one node object (tree) per record."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writer = JsonLdDocumentWriter(self.file.stream)

    def write(self, graph: str, group: Sequence[Triple]) -> None:
        """Append a record as one tree rooted at its first subject.

        Subjects under the root's IRI (``root#derivation``) are embedded in the tree;
        other subjects become node objects of their own.
        """
        if not group:
            return
        root = subject_iri(group[0])
        top: list[Triple] = []
        embedded: dict[str, list[Triple]] = {}
        others: dict[str, list[Triple]] = {}
        for triple in group:
            subject = subject_iri(triple)
            if subject == root:
                top.append(triple)
            elif subject.startswith(root + "#"):
                embedded.setdefault(subject, []).append(triple)
            else:
                others.setdefault(subject, []).append(triple)
        self.writer.write(node_object(root, top, embedded or None))
        for subject, triples in others.items():
            self.writer.write(node_object(subject, triples))

    def close(self) -> None:
        """Close the JSON-LD document."""
        self.writer.close()
