"""Read RDF files of any common format into one graph, with exact error positions.

Files are parsed with pyoxigraph (fast, and its errors name the line and column), then
handed to rdflib as one graph. Quads lose their graph name: the union of all graphs is what
gets validated. JSON-LD must carry its ``@context`` inline; a remote context is never
fetched (pyoxigraph is given no document loader), it is reported as an error instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node

from nualod.errors import InputError, RDFSyntaxError
from nualod.model.triples import AnyTriple

SUFFIX_FORMATS: Final[dict[str, RdfFormat]] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".ntriples": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".nquads": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
}

_PREFIX: Final = re.compile(r"^Parser error [^:]*:\s*")


def rdf_format(path: Path) -> RdfFormat:
    """Return the RDF format of a file, chosen by its suffix.

    >>> rdf_format(Path("out/nualod.nq")) == RdfFormat.N_QUADS
    True
    >>> rdf_format(Path("notes.txt"))
    Traceback (most recent call last):
    ...
    nualod.errors.RDFSyntaxError: notes.txt: not an RDF file name (use .ttl, .nt, .nq, .trig, .jsonld or .json)
    """
    try:
        return SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        what = "a folder, not an RDF file" if path.is_dir() else "not an RDF file name"
        raise RDFSyntaxError(
            str(path), f"{what} (use .ttl, .nt, .nq, .trig, .jsonld or .json)"
        ) from None


def syntax_reason(error: SyntaxError) -> str:
    """Return a parser error in plain words, starting with its position when it has one.

    >>> syntax_reason(SyntaxError("Parser error at line 2 column 7: Unexpected char: 'h'",
    ...                           ("f.jsonld", 2, 7, None, 2, 8)))
    "line 2, column 7: unexpected char: 'h'"
    >>> syntax_reason(SyntaxError("No LoadDocumentCallback has been set to load remote contexts"))
    'the JSON-LD @context is remote; nualod never fetches contexts, embed it inline'
    """
    text = str(error.msg)
    if "LoadDocumentCallback" in text:
        return "the JSON-LD @context is remote; nualod never fetches contexts, embed it inline"
    text = _PREFIX.sub("", text)
    text = text[:1].lower() + text[1:]
    if error.lineno:
        return f"line {error.lineno}, column {error.offset or 1}: {text}"
    return text


def read_triples(path: Path, *, rename_blank_nodes: bool = False) -> list[Triple]:
    """Return the triples of one RDF file (named graphs merged into one).

    Raises :class:`RDFSyntaxError` naming the file and the position of the first error.
    """
    rdf = checked_rdf_file(path)
    with rdf_errors(path):
        quads = parse(path=path, format=rdf, rename_blank_nodes=rename_blank_nodes)
        return [quad.triple for quad in quads]


def checked_rdf_file(path: Path) -> RdfFormat:
    """Return the RDF format of a file by its suffix, once sure that it is a file.

    Raises :class:`InputError` for a missing file or a folder.
    """
    rdf = rdf_format(path)
    if not path.is_file():
        raise InputError(str(path), "no such file" if not path.exists() else "not a file")
    return rdf


@contextmanager
def rdf_errors(path: Path) -> Iterator[None]:
    """Say what is wrong with the RDF file being read as nualod's errors do: the file, then
    the position and reason (:class:`RDFSyntaxError`), or why it cannot be read
    (:class:`InputError`)."""
    try:
        yield
    except SyntaxError as error:
        raise RDFSyntaxError(str(path), syntax_reason(error)) from None
    except UnicodeDecodeError as error:
        raise RDFSyntaxError(str(path), f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise InputError(str(path), error.strerror or str(error)) from None
    except ValueError as error:  # pyoxigraph reports some malformed input this way
        raise RDFSyntaxError(str(path), str(error)) from None
    except MemoryError as error:
        # pyoxigraph's readers hold one token (a literal, an IRI) in a buffer of 16 MiB.
        if "buffer maximal size" not in str(error):
            raise
        raise RDFSyntaxError(
            str(path), "a term (a literal or an IRI) longer than the 16 MiB the RDF reader takes"
        ) from None


def read_graph(paths: Iterable[Path]) -> Graph:
    """Return the triples of RDF files as one rdflib graph.

    Blank nodes are kept apart between files. The format of each file comes from its
    suffix (see :data:`SUFFIX_FORMATS`).
    """
    files: Sequence[Path] = list(paths)
    triples: list[Triple] = []
    for path in files:
        triples += read_triples(path, rename_blank_nodes=len(files) > 1)
    return triples_to_graph(triples)


class _DropIllTypedLiteralNotes(logging.Filter):
    """Drop rdflib's log record (with traceback) for literals such as "2025-13-01"^^xsd:date."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


@contextmanager
def quiet_ill_typed_literals() -> Iterator[None]:
    """Keep rdflib from logging ill-typed literals: validation reports them in words."""
    logger = logging.getLogger("rdflib.term")
    note_filter = _DropIllTypedLiteralNotes()
    logger.addFilter(note_filter)
    try:
        yield
    finally:
        logger.removeFilter(note_filter)


_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: object, blanks: dict[str, BNode]) -> Node | None:
    """Return the rdflib term that rdflib's N-Triples parser makes of a pyoxigraph term's
    N-Triples form (None for a quoted triple, which goes through N-Triples itself). Like
    the parser, each blank node gets a new id, the same for each of its uses (``blanks``).

    >>> _rdflib_term(Literal("x", datatype=NamedNode(_XSD_STRING)), {})
    rdflib.term.Literal('x')
    """
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        blank = blanks.get(term.value)
        if blank is None:
            blank = blanks[term.value] = BNode()
        return blank
    if isinstance(term, Literal):
        if term.language:
            return RdflibLiteral(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # N-Triples writes no ^^xsd:string
            return RdflibLiteral(term.value)
        return RdflibLiteral(term.value, datatype=URIRef(term.datatype.value))
    return None


def triples_to_graph(triples: Iterable[AnyTriple]) -> Graph:
    """Return an rdflib graph of pyoxigraph triples, as parsing their N-Triples would.

    The terms are made as rdflib's N-Triples parser makes them, without the text: that
    parser reads a long line in time quadratic in its length (a 10 MB literal took
    minutes; issue #18 case 8). Quoted triples still go through N-Triples.
    """
    graph = Graph()
    quoted: list[Triple] = []
    blanks: dict[str, BNode] = {}
    with quiet_ill_typed_literals():
        for triple in triples:
            subject, predicate, obj = triple
            terms = (
                _rdflib_term(subject, blanks),
                _rdflib_term(predicate, blanks),
                _rdflib_term(obj, blanks),
            )
            if None in terms:
                quoted.append(triple if isinstance(triple, Triple) else Triple(*triple))
            else:
                graph.add(terms)  # type: ignore[arg-type]
        data = serialize(quoted, format=RdfFormat.N_TRIPLES) if quoted else None
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
    return graph
