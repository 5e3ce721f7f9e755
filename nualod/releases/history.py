"""What a release knows of the one before it: each practice's identity, digest and fate.

Every release writes ``practices-index.tsv``: one line per practice IRI it has ever published
and not forgotten, sorted by IRI, with

- ``status``: ``live``, or ``removed`` (a tombstone: the practice left in an earlier release);
- ``sha256``: the SHA-256 of the practice's own description (itself and its provenance and
  figure nodes) as N-Triples lines, sorted: what the changelog compares;
- ``page_url``: the NUF page it was read from, when known (the harvest sidecar gives it);
- ``offset`` and ``length``: where that description is in the release's ``nualod.nt``, to
  say which fields changed without reading the whole dump;
- ``replaced_by`` and ``removed_in``: for a tombstone, the practice that took its place
  (if any) and the version that removed it;
- ``first_in`` and ``changed_in``: the versions that first published the practice and last
  changed its description (empty for releases without a version).

Identity: a practice keeps its IRI across releases when its page URL is the same as a
practice's of the previous release (``--previous``) and the IRI's theme, indicator and
region stay true; its title, texts and sources may be corrected. Without a page URL (a file
with no sidecar), a practice is known by its title and source URLs, as its IRI's hash says.
Where an identity holds but the IRI must change (the theme, indicator or region was
corrected), and where one practice of a theme, indicator and region was removed while
exactly one was added, the old IRI stays as a tombstone ``dcterms:isReplacedBy`` the new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final, NamedTuple

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from nualod.errors import UsageError, option
from nualod.files.current import CURRENT, release_folder
from nualod.model.iris import release_activity
from nualod.model.namespaces import DCTERMS, OWL, PROV, XSD
from nualod.model.triples import TermTriple
from nualod.releases.layout import MANIFEST, read_manifest

INDEX_NAME: Final = "practices-index.tsv"
INDEX_HEADER: Final = (
    "iri\tstatus\tsha256\tpage_url\toffset\tlength\treplaced_by\tremoved_in\tfirst_in\tchanged_in\n"
)
LIVE: Final = "live"
REMOVED: Final = "removed"


class IndexEntry(NamedTuple):
    """One line of ``practices-index.tsv`` (a tuple: a million are read and made a run)."""

    iri: str
    status: str
    sha256: str
    page_url: str = ""
    offset: int = 0
    length: int = 0
    replaced_by: str = ""
    removed_in: str = ""
    first_in: str = ""
    changed_in: str = ""

    def line(self) -> str:
        """Return the entry as a TSV line.

        >>> IndexEntry("https://x/p", "live", "ab", offset=3, length=4, first_in="1").line()
        'https://x/p\\tlive\\tab\\t\\t3\\t4\\t\\t\\t1\\t\\n'
        """
        return (
            f"{self.iri}\t{self.status}\t{self.sha256}\t{self.page_url}\t{self.offset}\t"
            f"{self.length}\t{self.replaced_by}\t{self.removed_in}\t{self.first_in}\t"
            f"{self.changed_in}\n"
        )

    @classmethod
    def parse(cls, line: str) -> IndexEntry:
        """Return the entry a TSV line holds."""
        iri, status, sha256, page_url, offset, length, replaced, removed, first, changed = (
            line.rstrip("\n").split("\t")
        )
        return cls(
            iri,
            status,
            sha256,
            page_url,
            int(offset),
            int(length),
            replaced,
            removed,
            first,
            changed,
        )


def description_digest(ntriples: bytes) -> str:
    """Return the SHA-256 of a description's N-Triples lines, sorted (their order is no change).

    >>> description_digest(b"<a> <b> <c> .\\n<a> <b> <d> .\\n") == description_digest(
    ...     b"<a> <b> <d> .\\n<a> <b> <c> .\\n")
    True
    """
    return hashlib.sha256(b"".join(sorted(ntriples.splitlines(keepends=True)))).hexdigest()


def read_index(path: Path) -> Iterator[IndexEntry]:
    """Yield the entries of an index file, in its (IRI) order."""
    with path.open(encoding="utf-8") as stream:
        try:
            header = stream.readline()
            if header != INDEX_HEADER:
                raise UsageError(f"{path}: not a nualod practices index (its first line differs)")
            for number, line in enumerate(stream, start=2):
                try:
                    entry = IndexEntry.parse(line)
                except ValueError:  # too few or many fields, an offset that is no number
                    raise UsageError(
                        f"{path}: line {number}: not a line of a nualod practices index "
                        "(10 tab-separated fields, numbers for offset and length); the "
                        "file is damaged"
                    ) from None
                yield entry
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not a nualod practices index: not UTF-8 text") from None


def write_index(path: Path, entries: Iterable[IndexEntry]) -> None:
    """Write an index file, entries sorted by IRI."""
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(INDEX_HEADER)
        for entry in sorted(entries, key=lambda e: e.iri):
            stream.write(entry.line())


def iri_stem(iri: str) -> str:
    """Return what a practice IRI says of its theme, indicator and region (its hash cut off).

    >>> iri_stem("https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de")
    'https://w3id.org/nualod/id/practice/10-47-33.75'
    """
    return iri.rsplit("-", 1)[0]


class PreviousRelease:
    """The release a new one follows (``--previous DIR``): its version, index and dumps."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise UsageError(f"{option('previous', path)}: no such folder")
        folder = release_folder(path)
        if not (folder / MANIFEST).is_file() or not (folder / INDEX_NAME).is_file():
            if (folder / MANIFEST).is_file() or (folder / "nualod.nt").is_file():
                raise UsageError(
                    f"{option('previous', path)}: not a nualod release with a practices index (no "
                    f"{MANIFEST} or {INDEX_NAME}); publish it again with this nualod first"
                )
            # A folder of pages (the previous run's inputs) is the likeliest mistake.
            raise UsageError(
                f"{option('previous', path)}: not the output of a publish (no {CURRENT} link, "
                f"{MANIFEST} or {INDEX_NAME}); {option('previous')} names the previous publish's "
                f"{option('out')} "
                "folder (or one of its releases/VERSION folders), not its pages"
            )
        self.folder = folder
        version = read_manifest(folder).get("version")
        self.version = version if isinstance(version, str) else None
        self.entries = {entry.iri: entry for entry in read_index(folder / INDEX_NAME)}
        self.by_page_url = {
            e.page_url: e.iri for e in self.entries.values() if e.page_url and e.status == LIVE
        }

    def carried_iri(self, iri: str, page_url: str | None) -> str | None:
        """Return the IRI a practice keeps from the previous release, when it is not ``iri``.

        That is the IRI of the previous release's practice of the same page, if its theme,
        indicator and region (the IRI's stem) are still the practice's.
        """
        if iri in self.entries or not page_url:
            return None
        earlier = self.by_page_url.get(page_url)
        if earlier is None or iri_stem(earlier) != iri_stem(iri):
            return None
        return earlier

    def description(self, entry: IndexEntry) -> bytes:
        """Return a practice's description in the previous release (N-Triples lines)."""
        with (self.folder / "nualod.nt").open("rb") as stream:
            stream.seek(entry.offset)
            return stream.read(entry.length)


def tombstones(
    previous: PreviousRelease,
    live: dict[str, IndexEntry],
    version: str | None,
) -> list[IndexEntry]:
    """Return the tombstones of the new release: every practice of the previous one that is
    not live now (with the practice that replaced it, if one did), and the earlier ones.

    A replacement is the live practice of the same page URL, or else the one practice added
    with the IRI stem (theme, indicator, region) of exactly one removed practice.
    """
    by_page_url = {e.page_url: e.iri for e in live.values() if e.page_url}
    gone = [e for e in previous.entries.values() if e.iri not in live]
    removed_now = [e for e in gone if e.status == LIVE]
    added = [iri for iri in live if iri not in previous.entries]
    added_by_stem: dict[str, list[str]] = {}
    for iri in added:
        added_by_stem.setdefault(iri_stem(iri), []).append(iri)
    removed_by_stem: dict[str, list[str]] = {}
    for entry in removed_now:
        removed_by_stem.setdefault(iri_stem(entry.iri), []).append(entry.iri)
    found: list[IndexEntry] = []
    for entry in gone:
        if entry.status == REMOVED:
            found.append(entry)  # removed earlier: the tombstone stays as it was
            continue
        successor = by_page_url.get(entry.page_url, "") if entry.page_url else ""
        stem = iri_stem(entry.iri)
        if (
            not successor
            and len(removed_by_stem[stem]) == 1
            and len(added_by_stem.get(stem, ())) == 1
        ):
            successor = added_by_stem[stem][0]
        found.append(
            entry._replace(
                status=REMOVED,
                replaced_by=successor,
                removed_in=version or "",
                offset=0,
                length=0,
            )
        )
    return found


def kept_titles(iri: str, description: bytes) -> list[Literal]:
    """Return the titles a practice's description (N-Triples lines) gives it, in their order:
    what its tombstone keeps, so that whoever holds the IRI learns what it named.

    >>> kept_titles("https://x/p", b'<https://x/p> <http://purl.org/dc/terms/title> "Taman"@id .\\n'
    ...     b'<https://x/p#f> <http://purl.org/dc/terms/title> "no" .\\n')
    [<Literal value=Taman language=id>]
    """
    head = f"<{iri}> <{DCTERMS}title> ".encode()
    lines = b"".join(
        line for line in description.splitlines(keepends=True) if line.startswith(head)
    )
    return [
        quad.object
        for quad in parse(lines, format=RdfFormat.N_TRIPLES)
        if isinstance(quad.object, Literal)
    ]


def tombstone_triples(
    entry: IndexEntry, dataset: str, titles: Sequence[Literal] = ()
) -> list[TermTriple]:
    """Return the triples that keep a removed practice's IRI resolving: deprecated, with the
    title it had (``titles``), what replaced it and the run that removed it."""
    node = NamedNode(entry.iri)
    triples = [
        TermTriple(
            node,
            NamedNode(OWL + "deprecated"),
            Literal("true", datatype=NamedNode(XSD + "boolean")),
        ),
        *(TermTriple(node, NamedNode(DCTERMS + "title"), title) for title in titles),
    ]
    if entry.replaced_by:
        triples.append(
            TermTriple(node, NamedNode(DCTERMS + "isReplacedBy"), NamedNode(entry.replaced_by))
        )
    if entry.removed_in:
        # The run is typed once, in the provenance graph (nualod.releases.provenance), not
        # again by every practice it removed.
        activity = NamedNode(release_activity(dataset, entry.removed_in))
        triples.append(TermTriple(node, NamedNode(PROV + "wasInvalidatedBy"), activity))
    return triples
