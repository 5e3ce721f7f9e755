"""Write dump files: atomically, deterministically, one record's triples at a time."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Final

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from nualod.errors import PublishError
from nualod.namespaces import PREFIXES


class AtomicFile:
    """A file written under a temporary name and renamed into place only on success.

    A failed or interrupted run never leaves a half-written file under the final name.
    """

    def __init__(self, path: Path, *, binary: bool = False) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as error:
            raise PublishError(f"{path}: cannot write: {error.strerror or error}") from None
        self.temporary = Path(temporary)
        mode = "wb" if binary else "w"
        self.stream: IO[str] | IO[bytes] = os.fdopen(
            handle, mode, **({} if binary else {"encoding": "utf-8", "newline": "\n"})
        )

    def commit(self) -> Path:
        """Close the temporary file and move it to its final name."""
        self.stream.close()
        os.replace(self.temporary, self.path)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary file."""
        self.stream.close()
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
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
        text = serialize(triples, format=RdfFormat.TURTLE, prefixes=self.prefixes).decode("utf-8")
        lines = text.split("\n")
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
