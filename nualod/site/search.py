"""Offline full-text search over the practices: a static index that the search page reads.

What a person searches for is indexed: each practice's title, its place (kabupaten or kota,
and province) and its Ringkasan, cut into :func:`terms` (folded to ASCII, lower case, runs
of letters and digits). The index is plain JSON files under ``site/search/``:

``index.json``
    ``{"format": 1, "chunk": C, "shards": [[shard, first, count], ...], "total": N,
    "buckets": [PRE, ...]}``: the practices are numbered shard by shard, in the order of
    their IRIs within a shard; the buckets that exist (the page asks for no file that is not
    there).
``docs/SSS/K.json``
    What the result list shows of practices ``K*C`` to ``K*C+C-1`` of shard ``SSS``:
    ``[path, title, place, excerpt]`` each (``path`` from the site's root, Indonesian page).
``terms/X/b-PRE.json``
    The terms whose first three characters are ``PRE`` (a shorter term is its own bucket):
    ``{term: [in_title_or_place, only_in_summary]}``, each a list of practice numbers as
    comma-separated gaps from the one before (the first from 0); or ``0`` when the term's
    lists are long, which are then in ``terms/X/t-TERM.json`` alone (a common word does
    not weigh on every search that shares its first letters). ``X`` is the first character.

The search page (``assets/search.js``) folds the query the same way, reads the buckets of
its words (the last word as a prefix, while it is being typed), keeps the practices that
have every word, puts those with words in the title or place first, and fetches the records
of the page of results it shows. No folder holds more than a few thousand files.

The render workers write each shard's records and postings as they render it
(:class:`ShardIndex`); :func:`merge_index` then merges the shards' postings, already sorted
by term, in one streaming pass that never parses a list: a shard's list is joined to the
one before by the gap between them. (Pagefind, used before, indexed the rendered pages: at a
million practices it took 16 of the build's 26 minutes, in 51 bundles of 20,000 pages of
about 1 GB each, wrote a file per page, and made the browser merge 51 indexes.)
"""

from __future__ import annotations

import heapq
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from operator import sub
from pathlib import Path
from typing import Final, NamedTuple

__all__ = [
    "CHUNK",
    "IndexWritten",
    "ShardIndex",
    "merge_index",
    "numbers",
    "read_postings",
    "read_records",
    "terms",
]

#: Records per file under ``docs/``.
CHUNK: Final = 500
#: A term whose two lists are longer than this (characters) gets a file of its own.
OWN_FILE: Final = 65_536
#: The length of a bucket's key: a term's first characters.
BUCKET: Final = 3
#: Characters of the Ringkasan a result shows.
EXCERPT: Final = 240
#: Bumped when the files' layout changes (``index.json`` says which the browser reads).
FORMAT: Final = 1

_WORD: Final = re.compile(r"[0-9a-z]+")


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def terms(text: str) -> list[str]:
    """Return the searchable terms of a text, in order: accents folded, lower case.

    The search page cuts a query the same way (``assets/search.js``).

    >>> terms("Kota Pekalongan, Kerajinan & Seni Rakyat (2019)")
    ['kota', 'pekalongan', 'kerajinan', 'seni', 'rakyat', '2019']
    >>> terms("Café Sénégal ﬁne")
    ['cafe', 'senegal', 'fine']
    """
    if text.isascii():
        # Nothing to fold (no ASCII character decomposes); most texts are so. The runs of
        # letters and digits, lower-cased, are the words left when every other character
        # is a space: one table lookup a character, no regular expression.
        return text.translate(_ASCII_WORDS).split()
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


#: ASCII upper-case letters to lower case, every other ASCII character but a letter or digit
#: to a space (what :data:`_WORD` does not match).
_ASCII_WORDS: Final = str.maketrans(
    {
        chr(code): chr(code).lower() if chr(code).isupper() else " "
        for code in range(128)
        if not _WORD.fullmatch(chr(code))
    }
)


def bucket_of(term: str) -> str:
    """Return the bucket a term is kept in.

    >>> bucket_of("pekalongan"), bucket_of("rw")
    ('pek', 'rw')
    """
    return term[:BUCKET]


def excerpt(text: str) -> str:
    """Return the start of a summary a result shows: whole words, with an ellipsis if cut.

    >>> excerpt("Pendek saja.")
    'Pendek saja.'
    >>> excerpt("kata " * 100)[-11:]
    'kata kata …'
    """
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > 0 else EXCERPT] + " …"


class _Postings(NamedTuple):
    """A term's practices in one shard: in the title or place, and only in the summary."""

    named: list[int]
    summary: list[int]


class ShardIndex:
    """The search records and postings of one shard, filled as its practices are rendered."""

    def __init__(self) -> None:
        self.records: list[tuple[str, str, str, str]] = []
        self._postings: dict[str, _Postings] = {}

    def add(self, path: str, title: str, place: str, summary: str) -> None:
        """Add a practice (the next number of the shard); ``title`` is on one line."""
        number = len(self.records)
        self.records.append((path, title, place, excerpt(summary)))
        named = {*terms(title), *terms(place)}
        # Some sixty terms a practice: the lookup is written out, not a call each.
        postings = self._postings
        for term in named:
            found = postings.get(term)
            if found is None:
                found = postings[term] = _Postings([], [])
            found.named.append(number)
        for term in set(terms(summary)) - named:
            found = postings.get(term)
            if found is None:
                found = postings[term] = _Postings([], [])
            found.summary.append(number)

    def write(self, out: Path, work: Path, shard: int) -> int:
        """Write the records under ``out/search/docs`` and the postings as
        ``work/search-SSS.tsv``; return how many files went into the site."""
        files = 0
        if self.records:
            folder = out / "search" / "docs" / f"{shard:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            for at in range(0, len(self.records), CHUNK):
                text = _dump(self.records[at : at + CHUNK])
                (folder / f"{at // CHUNK}.json").write_text(text, encoding="utf-8")
                files += 1
        lines = [
            f"{term}\t{_local(found.named)}\t{_local(found.summary)}\n"
            for term, found in sorted(self._postings.items())
        ]
        (work / f"search-{shard:03d}.tsv").write_text("".join(lines), encoding="utf-8")
        return files


def _local(numbers: list[int]) -> str:
    """Return a shard's list as ``first last gaps`` (the gaps after the first), or ``-``.

    >>> _local([3, 4, 9]), _local([7]), _local([])
    ('3 9 1,5', '7 7 ', '-')
    """
    if not numbers:
        return "-"
    # The gaps made in C, not by a generator: a shard writes two lists for each of its terms.
    gaps = ",".join(map(str, map(sub, numbers[1:], numbers)))
    return f"{numbers[0]} {numbers[-1]} {gaps}"


class IndexWritten(NamedTuple):
    """What :func:`merge_index` wrote: practices indexed, terms, files."""

    records: int
    terms: int
    files: int


class _Joined:
    """One of a term's lists across shards, as gaps, joined shard after shard."""

    __slots__ = ("last", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.last = 0

    def join(self, local: str, first_number: int) -> None:
        if local == "-":
            return
        first, last, gaps = local.split(" ", 2)
        self.parts.append(str(first_number + int(first) - self.last))
        if gaps:
            self.parts.append(gaps)
        self.last = first_number + int(last)

    def text(self) -> str:
        return ",".join(self.parts)


def merge_index(out: Path, work: Path, counts: Sequence[tuple[int, int]]) -> IndexWritten:
    """Merge the shards' postings into ``out/search``; ``counts`` gives each shard that has
    records and how many, in shard order."""
    first: dict[int, int] = {}
    total = 0
    for shard, count in counts:
        first[shard] = total
        total += count
    root = out / "search"
    (root / "terms").mkdir(parents=True, exist_ok=True)
    files = 1
    written_terms = 0
    keys: list[str] = []
    folders: set[str] = set()
    bucket: dict[str, object] = {}
    bucket_key = ""

    def flush() -> None:
        nonlocal files
        if bucket:
            folder = _folder(root, bucket_key, folders)
            text = _dump(bucket)
            (folder / f"b-{bucket_key}.json").write_text(text, encoding="utf-8")
            keys.append(bucket_key)
            files += 1
            bucket.clear()

    for term, lists in _merged(work, [shard for shard, _ in counts]):
        key = bucket_of(term)
        if key != bucket_key:
            flush()
            bucket_key = key
        named, summary = (_joined(lists, first, at) for at in (0, 1))
        written_terms += 1
        if len(named) + len(summary) > OWN_FILE:
            folder = _folder(root, key, folders)
            text = _dump([named, summary])
            (folder / f"t-{term}.json").write_text(text, encoding="utf-8")
            files += 1
            bucket[term] = 0
        else:
            bucket[term] = [named, summary]
    flush()
    meta = {
        "format": FORMAT,
        "chunk": CHUNK,
        "shards": [[shard, first[shard], count] for shard, count in counts],
        "total": total,
        "buckets": keys,
    }
    (root / "index.json").write_text(_dump(meta), encoding="utf-8")
    return IndexWritten(total, written_terms, files)


def _folder(root: Path, key: str, made: set[str]) -> Path:
    folder = root / "terms" / key[0]
    if key[0] not in made:
        folder.mkdir(exist_ok=True)
        made.add(key[0])
    return folder


def _joined(lists: Sequence[tuple[int, str, str]], first: dict[int, int], at: int) -> str:
    joined = _Joined()
    for shard, named, summary in lists:
        joined.join(summary if at else named, first[shard])
    return joined.text()


def _merged(work: Path, shards: Iterable[int]) -> Iterable[tuple[str, list[tuple[int, str, str]]]]:
    """Yield each term with its lists in each shard that has it, in term then shard order."""
    with ExitStack() as stack:
        streams = [
            _rows(
                stack.enter_context((work / f"search-{shard:03d}.tsv").open(encoding="utf-8")),
                shard,
            )
            for shard in shards
        ]
        term = None
        lists: list[tuple[int, str, str]] = []
        for row_term, shard, named, summary in heapq.merge(*streams):
            if row_term != term:
                if term is not None:
                    yield term, lists
                term, lists = row_term, []
            lists.append((shard, named, summary))
        if term is not None:
            yield term, lists


def _rows(lines: Iterable[str], shard: int) -> Iterable[tuple[str, int, str, str]]:
    for line in lines:
        term, named, summary = line.rstrip("\n").split("\t")
        yield term, shard, named, summary


def numbers(gaps: str) -> list[int]:
    """Return the practice numbers a list of gaps stands for.

    >>> numbers("3,1,5,40"), numbers("")
    ([3, 4, 9, 49], [])
    """
    found: list[int] = []
    at = 0
    for gap in gaps.split(",") if gaps else ():
        at += int(gap)
        found.append(at)
    return found


def read_records(site: Path) -> list[list[str]]:
    """Return the search records of a built site (``site/search``), by practice number."""
    root = site / "search"
    meta = json.loads((root / "index.json").read_text(encoding="utf-8"))
    found: list[list[str]] = []
    for shard, _first, count in meta["shards"]:
        for chunk in range(0, count, meta["chunk"]):
            path = root / "docs" / f"{shard:03d}" / f"{chunk // meta['chunk']}.json"
            found.extend(json.loads(path.read_text(encoding="utf-8")))
    return found


def read_postings(site: Path, term: str) -> tuple[list[int], list[int]] | None:
    """Return a term's practices in a built site's index (in the title or place, only in
    the summary); None when no practice has it."""
    key = bucket_of(term)
    folder = site / "search" / "terms" / key[0]
    try:
        bucket = json.loads((folder / f"b-{key}.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    lists = bucket.get(term)
    if lists == 0:
        lists = json.loads((folder / f"t-{term}.json").read_text(encoding="utf-8"))
    if lists is None:
        return None
    return numbers(lists[0]), numbers(lists[1])
