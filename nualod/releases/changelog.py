"""The changelog between two releases: practices added, changed (with the fields) and removed.

Two releases are compared by their practices indexes (:mod:`nualod.releases.history`): one
line per practice with the SHA-256 of its own description, sorted by IRI, so the comparison
is one merge of two sorted files, whatever the size of the dumps. Only for a practice whose
digest differs are its two descriptions read (from the dumps, at the recorded offsets) to
name the fields that changed: the predicates of the N-Triples lines that are in one and not
the other (a predicate of one of the practice's nodes, such as a figure, is named with the
node: ``figure-abstract-318 nua:amount``).

``changelog.json`` follows ``nualod/data/changelog.schema.json`` (JSON Schema 2020-12)::

    {"from": "2025.1", "to": "2025.2",
     "counts": {"added": 1, "changed": 1, "removed": 1, "unchanged": 40},
     "added": [{"iri": "..."}],
     "changed": [{"iri": "...", "fields": ["dcterms:source", "dcterms:title"]}],
     "removed": [{"iri": "...", "replaced_by": null, "title": "..."}]}

Every list is sorted by IRI. ``changelog.md`` says the same for people.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, NamedTuple

from nualod.errors import UsageError
from nualod.files.current import release_folder
from nualod.model.namespaces import PREFIXES
from nualod.model.writing import grouped
from nualod.releases.history import INDEX_NAME, LIVE, IndexEntry, kept_titles, read_index
from nualod.releases.layout import read_manifest

CHANGELOG_JSON: Final = "changelog.json"
CHANGELOG_MD: Final = "changelog.md"
SCHEMA_RESOURCE: Final = "data/changelog.schema.json"
_LINE: Final = re.compile(r"<([^>]*)> <([^>]*)> ")


class Removal(NamedTuple):
    """A practice a release no longer publishes: its IRI, what replaced it, and the title it
    had (the first its description gave; None if it gave none), so that a reader knows it."""

    iri: str
    replaced_by: str | None
    title: str | None


@dataclass(slots=True)
class Changelog:
    """What changed from one release to the next, keyed by practice IRI."""

    source: str | None
    target: str | None
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    unchanged: int = 0

    def as_json(self) -> dict[str, object]:
        """Return the changelog as the JSON object ``changelog.json`` holds."""
        return {
            "from": self.source,
            "to": self.target,
            "counts": {
                "added": len(self.added),
                "changed": len(self.changed),
                "removed": len(self.removed),
                "unchanged": self.unchanged,
            },
            "added": [{"iri": iri} for iri in self.added],
            "changed": [{"iri": iri, "fields": fields} for iri, fields in self.changed],
            "removed": [
                {"iri": iri, "replaced_by": by, "title": title} for iri, by, title in self.removed
            ],
        }

    def summary(self, lang: str = "en") -> str:
        """Return the changelog in one sentence of ``lang`` (the release's version notes).

        >>> log = Changelog("1", "2", ["a"], [], [Removal("b", None, "B")], 3000)
        >>> log.summary()
        'Since release 1: 1 practice added, 0 changed, 1 removed, 3,000 unchanged.'
        >>> log.summary("id")
        'Sejak rilis 1: 1 praktik ditambahkan, 0 diubah, 1 dihapus, 3.000 tidak berubah.'
        """
        added, changed, removed, unchanged = (
            grouped(n, lang)
            for n in (len(self.added), len(self.changed), len(self.removed), self.unchanged)
        )
        if lang == "id":
            since = f"Sejak rilis {self.source}" if self.source else "Rilis pertama"
            return (
                f"{since}: {added} praktik ditambahkan, {changed} diubah, {removed} dihapus, "
                f"{unchanged} tidak berubah."
            )
        since = f"Since release {self.source}" if self.source else "First release"
        noun = "practice" if len(self.added) == 1 else "practices"
        return (
            f"{since}: {added} {noun} added, {changed} changed, {removed} removed, "
            f"{unchanged} unchanged."
        )

    def summaries(self) -> dict[str, str]:
        """Return :meth:`summary` in each language the catalog is written in."""
        return {lang: self.summary(lang) for lang in ("en", "id")}

    def json_bytes(self) -> bytes:
        """Return ``changelog.json``."""
        return (json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def markdown(self) -> bytes:
        """Return ``changelog.md``."""
        source = self.source or "nothing"
        target = self.target or "this release"
        lines = [
            f"# Changes from {source} to {target}",
            "",
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged.",
        ]
        if self.added:
            lines += ["", "## Added", "", *(f"- <{iri}>" for iri in self.added)]
        if self.changed:
            lines += ["", "## Changed", ""]
            lines += [f"- <{iri}>: {', '.join(fields)}" for iri, fields in self.changed]
        if self.removed:
            lines += ["", "## Removed", ""]
            lines += [
                f"- <{iri}>"
                + (f" ({_markdown_text(title)})" if title else "")
                + (f", replaced by <{by}>" if by else "")
                for iri, by, title in self.removed
            ]
        return ("\n".join(lines) + "\n").encode("utf-8")


#: The dumps' prefixes and ``rdf:`` (which Turtle spells ``a``, so the dumps declare none).
_NAMES: Final = {**PREFIXES, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def _markdown_text(text: str) -> str:
    r"""Return a title as Markdown shows it as written, on one line.

    >>> _markdown_text("Taman *hijau* [kota]\nbaru")
    'Taman \\*hijau\\* \\[kota\\] baru'
    """
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", " ".join(text.split()))


def _curie(iri: str) -> str:
    """Return an IRI as a prefixed name where nualod has a prefix for it.

    >>> _curie("http://purl.org/dc/terms/title"), _curie("urn:x")
    ('dcterms:title', 'urn:x')
    >>> _curie("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    'rdf:type'
    """
    for prefix, namespace in _NAMES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def changed_fields(iri: str, before: bytes, after: bytes) -> list[str]:
    """Return the fields that differ between two descriptions of one practice (N-Triples).

    >>> changed_fields("https://x/p", b'<https://x/p> <http://purl.org/dc/terms/title> "a" .\\n',
    ...                b'<https://x/p> <http://purl.org/dc/terms/title> "b" .\\n')
    ['dcterms:title']

    A node that came is told by the line that links it; a node in both, field by field:

    >>> f, t = "<https://w3id.org/nualod/def#figure>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    >>> changed_fields("https://x/p", f"<https://x/p> {f} <https://x/p#f-1> .\\n"
    ...     f"<https://x/p#f-1> {t} <urn:A> .\\n".encode(), f"<https://x/p> {f} <https://x/p#f-2> .\\n"
    ...     f"<https://x/p#f-2> {t} <urn:A> .\\n".encode())
    ['nua:figure']
    >>> changed_fields("https://x/p", f"<https://x/p#f-1> {t} <urn:A> .\\n".encode(),
    ...     f"<https://x/p#f-1> {t} <urn:B> .\\n".encode())
    ['f-1 rdf:type']
    """
    old = set(before.splitlines())
    new = set(after.splitlines())
    changed = [m.groups() for line in old ^ new if (m := _LINE.match(line.decode("utf-8")))]
    # A node of the practice that came or went (a figure found in a new sentence: figures
    # are named by where they stand in the text) is told by the line that links it, not
    # field by field.
    kept = _subjects(old) & _subjects(new)
    fields: set[str] = set()
    for subject, predicate in changed:
        name = _curie(predicate)
        if subject != iri:
            if subject not in kept:
                continue
            node = subject.split("#", 1)[1] if subject.startswith(iri + "#") else subject
            name = f"{node} {name}"
        fields.add(name)
    return sorted(fields)


def _subjects(lines: set[bytes]) -> set[str]:
    return {m.group(1) for line in lines if (m := _LINE.match(line.decode("utf-8")))}


def _merge(
    old: Iterator[IndexEntry], new: Iterator[IndexEntry]
) -> Iterator[tuple[IndexEntry | None, IndexEntry | None]]:
    """Pair the entries of two IRI-sorted indexes by IRI."""
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.iri < b.iri):
            yield a, None
            a = next(old, None)
        elif a is None or b.iri < a.iri:
            yield None, b
            b = next(new, None)
        else:
            yield a, b
            a, b = next(old, None), next(new, None)


def diff_indexes(
    before: tuple[Path, Path] | None,
    after: tuple[Path, Path],
    *,
    source: str | None = None,
    target: str | None = None,
) -> Changelog:
    """Return the changelog between two releases, each given as (its index, its ``nualod.nt``);
    ``before`` None is the empty release before the first."""
    log = Changelog(source, target)
    old = read_index(before[0]) if before is not None else iter(())
    new = read_index(after[0])
    old_dump = before[1].open("rb") if before is not None else None
    new_dump = after[1].open("rb")
    try:
        for a, b in _merge(old, new):
            was = a is not None and a.status == LIVE
            now = b is not None and b.status == LIVE
            if now and not was:
                assert b is not None
                log.added.append(b.iri)
            elif was and not now:
                assert a is not None and old_dump is not None
                old_dump.seek(a.offset)
                titles = kept_titles(a.iri, old_dump.read(a.length))
                log.removed.append(
                    Removal(
                        a.iri,
                        (b.replaced_by or None) if b is not None else None,
                        titles[0].value if titles else None,
                    )
                )
            elif was and now:
                assert a is not None and b is not None and old_dump is not None
                if a.sha256 == b.sha256:
                    log.unchanged += 1
                    continue
                old_dump.seek(a.offset)
                new_dump.seek(b.offset)
                log.changed.append(
                    (b.iri, changed_fields(b.iri, old_dump.read(a.length), new_dump.read(b.length)))
                )
    finally:
        new_dump.close()
        if old_dump is not None:
            old_dump.close()
    log.removed = _replacements_followed(log.removed, after[0])
    return log


def _replacements_followed(removed: list[Removal], index: Path) -> list[Removal]:
    """Return the removals with each replacement followed, in the new release's index, to
    the practice that is live there: between releases 1 and 3, A replaced by B in 2 and B by C
    in 3 is A replaced by C (B, a tombstone in 3, is no practice of it); None when the chain
    ends in a practice removed for good.

    Only the IRIs the chains pass through are kept from the index, which is read once for
    each step of the longest chain (one, unless a practice was replaced twice).
    """
    target = {r.iri: r.replaced_by for r in removed if r.replaced_by}
    settled: dict[str, str | None] = {}
    passed: dict[str, set[str]] = {iri: {iri} for iri in target}
    while target:
        wanted = set(target.values())
        found = {e.iri: e for e in read_index(index) if e.iri in wanted}
        following: dict[str, str] = {}
        for iri, now in target.items():
            entry = found.get(now)
            if entry is not None and entry.status == LIVE:
                settled[iri] = now
            elif entry is not None and entry.replaced_by and entry.replaced_by not in passed[iri]:
                passed[iri].add(entry.replaced_by)
                following[iri] = entry.replaced_by
            else:
                settled[iri] = None  # removed for good, not in the index, or a loop
        target = following
    return [r._replace(replaced_by=settled[r.iri]) if r.iri in settled else r for r in removed]


def diff_releases(before: str | Path, after: str | Path) -> Changelog:
    """Return the changelog between two published releases (folders, or OUTs: their current)."""
    releases = []
    for path in (Path(before), Path(after)):
        if not path.exists():
            raise UsageError(f"{path}: no such folder")
        folder = release_folder(path)
        if not (folder / INDEX_NAME).is_file():
            raise UsageError(f"{path}: not a nualod release with a practices index ({INDEX_NAME})")
        version = read_manifest(folder).get("version")
        releases.append((folder, version if isinstance(version, str) else folder.name))
    (old, source), (new, target) = releases
    return diff_indexes(
        (old / INDEX_NAME, old / "nualod.nt"),
        (new / INDEX_NAME, new / "nualod.nt"),
        source=source,
        target=target,
    )


def live_count(entries: Mapping[str, IndexEntry]) -> int:
    """Return how many practices of an index are live."""
    return sum(1 for entry in entries.values() if entry.status == LIVE)
