"""The change feed: a Linked Data Event Stream of the practices, as DCAT-AP Feeds shape it.

Each release adds pages to ``feed/``: one ``as:Create``, ``as:Update`` or ``as:Delete``
activity per practice added, changed or removed (its changelog), each identified by an IRI,
with ``as:object`` the practice IRI, ``as:published`` the release's moment, and as the
payload, in the named graph named after the activity, the practice's own description (a
Create or Update) or its tombstone (a Delete: ``owl:deprecated``, what replaced it, the
release that removed it). A page holds at most :data:`PAGE_SIZE` activities, in order (by type, then
IRI), and never changes once written (``ldes:immutable true``); every release carries the
pages of the one before it unchanged, so a harvester that has read a page never reads it
again. Each page says which run wrote it (``prov:wasGeneratedBy``, a versioned release's
``…/V#publication``), and a release that changed nothing writes one page with no activity,
so that the root dates every release. The root node ``feed/index.trig`` describes the ``ldes:EventStream``
(``ldes:timestampPath as:published``, ``ldes:versionOfPath as:object``, the activity types
as version create/update/delete objects) and links every page with a
``tree:GreaterThanOrEqualToRelation`` and a ``tree:LessThanOrEqualToRelation`` on
``as:published``, both the moment of the one release whose activities the page holds.

Retention: the feed keeps every activity since the first release published with
``--previous`` chains unbroken; the root node says so with an ``ldes:retentionPolicy``
that starts from the first activity (``ldes:startingFrom``). A harvester starting later
reads the whole dump once, then follows the feed.

Times never come from the clock: a release's moment is its data's latest date (the
catalog's ``dct:modified``) at midnight UTC, or the latest retrieval of a page it read when
that is later (the run cannot precede what it used), or one second after the previous
release's moment if that is not earlier, so that rebuilding a release gives the same bytes
and the stream stays in order, no two releases tied.

Pages are TriG (``application/trig``), as DCAT-AP Feeds asks; the payload lines are the
N-Triples lines of the release's ``nualod.nt``, which are valid TriG statements.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Final

from nualod.model.iris import release_version
from nualod.releases.changelog import Changelog
from nualod.releases.history import IndexEntry

FEED_DIR: Final = "feed"
ROOT_NAME: Final = "index.trig"
#: Activities per page: a page of Creates is about as large as that many practices' N-Quads.
PAGE_SIZE: Final = 10_000
AS: Final = "https://www.w3.org/ns/activitystreams#"
LDES: Final = "https://w3id.org/ldes#"
TREE: Final = "https://w3id.org/tree#"
XSD_DATETIME: Final = "http://www.w3.org/2001/XMLSchema#dateTime"
RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PAGE_PREFIX: Final = "page-"
#: The suffix of the relation that bounds a page above (its lower bound's IRI has none).
_UNTIL: Final = "-until"
PROV_GENERATED_BY: Final = "http://www.w3.org/ns/prov#wasGeneratedBy"
#: A page's first member is its fourth line at most (after its type, ``ldes:immutable`` and
#: the run that wrote it, which pages before that line have not).
_HEAD_LINES: Final = 4


@dataclass(frozen=True, slots=True)
class Activity:
    """One change of one practice: its kind ("Create", "Update" or "Delete") and IRI."""

    kind: str
    iri: str


def activities(changelog: Changelog) -> list[Activity]:
    """Return a changelog's activities in feed order: creates, updates, deletes, each by IRI.

    >>> from nualod.releases.changelog import Removal
    >>> log = Changelog("1", "2", ["https://x/b"], [("https://x/a", ["dcterms:title"])],
    ...                 [Removal("https://x/c", None, "C")])
    >>> [(a.kind, a.iri) for a in activities(log)]
    [('Create', 'https://x/b'), ('Update', 'https://x/a'), ('Delete', 'https://x/c')]
    """
    return [
        *(Activity("Create", iri) for iri in log_sorted(changelog.added)),
        *(Activity("Update", iri) for iri in log_sorted(iri for iri, _ in changelog.changed)),
        *(
            Activity("Delete", iri)
            for iri in log_sorted(removal.iri for removal in changelog.removed)
        ),
    ]


def log_sorted(iris: Iterable[str]) -> list[str]:
    """Return IRIs sorted (the changelog's order)."""
    return sorted(iris)


def release_moment(
    data_date: dt.date | None,
    previous: str | None,
    fallback: dt.date = dt.date(1970, 1, 1),
    not_before: str | None = None,
) -> str:
    """Return a release's moment as ``xsd:dateTime``: its data's date at midnight UTC, or
    ``not_before`` (the latest retrieval of a page it read, an ``xsd:dateTime`` in UTC) when
    that is later, or one second after the previous release's moment if that is not earlier.
    The stream never goes back in time, and two releases never share a moment: a practice
    changed in both has two versions that ``ldes:timestampPath`` alone puts in order. The
    run that publishes a release reads its pages, so it cannot have happened before they were
    retrieved (PROV-CONSTRAINTS 5.2, usage-within-activity and generation-precedes-usage: a
    run's use of a page lies within the run, whose times are this moment, and after the
    page's prov:generatedAtTime, its retrieval).

    >>> release_moment(dt.date(2025, 12, 18), None)
    '2025-12-18T00:00:00Z'
    >>> release_moment(dt.date(2025, 1, 1), "2025-12-18T00:00:00Z")
    '2025-12-18T00:00:01Z'
    >>> release_moment(dt.date(2025, 12, 18), "2025-12-18T00:00:00Z")
    '2025-12-18T00:00:01Z'
    >>> release_moment(dt.date(2025, 12, 19), "2025-12-18T00:00:01Z")
    '2025-12-19T00:00:00Z'
    >>> release_moment(dt.date(2025, 12, 18), None, not_before="2025-12-18T08:30:00Z")
    '2025-12-18T08:30:00Z'
    >>> retrieved = "2025-12-18T08:30:00Z"
    >>> release_moment(dt.date(2025, 12, 18), retrieved, not_before=retrieved)
    '2025-12-18T08:30:01Z'
    """
    moment = f"{(data_date or fallback).isoformat()}T00:00:00Z"
    if not_before is not None:
        retrieved = _utc_seconds(not_before)
        moment = max(moment, retrieved)
    if previous is None or moment > previous:
        return moment
    after = dt.datetime.fromisoformat(previous.replace("Z", "+00:00")) + dt.timedelta(seconds=1)
    return after.strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_seconds(stamp: str) -> str:
    """Return an ``xsd:dateTime`` as UTC to the second, rounded up (never earlier).

    >>> _utc_seconds("2025-12-18T08:30:00Z"), _utc_seconds("2025-12-18T10:30:00.5+02:00")
    ('2025-12-18T08:30:00Z', '2025-12-18T08:30:01Z')
    """
    when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(dt.UTC)
    if when.microsecond:
        when = when.replace(microsecond=0) + dt.timedelta(seconds=1)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def carried_pages(previous: Path | None) -> list[Path]:
    """Return the pages of the previous release's change feed that a release following it
    carries (:meth:`FeedWriter.carry`), in order."""
    if previous is None or not (previous / FEED_DIR).is_dir():
        return []
    return sorted((previous / FEED_DIR).glob(f"{_PAGE_PREFIX}*.trig"))


class FeedWriter:
    """Write a release's ``feed/``: the previous release's pages, new pages, the root node."""

    def __init__(
        self, folder: Path, feed_url: str, base: str, release_feed_url: str | None = None
    ) -> None:
        self.folder = folder
        self.feed_url = feed_url  # where feed/ is served, ending in "/"
        # Where this release's own copy of feed/ is served (the catalog's download URL of a
        # version), when it has one: a client that starts there finds its view too.
        self.release_feed_url = release_feed_url
        self.base = base  # the data base IRI: activities are named under it
        self.stream = f"{feed_url}{ROOT_NAME}#stream"

    def carry(self, previous: Path | None) -> list[str]:
        """Link (or copy) the previous release's pages into this one; return their names."""
        self.folder.mkdir(parents=True, exist_ok=True)
        names: list[str] = []
        for page in carried_pages(previous):
            try:
                os.link(page, self.folder / page.name)
            except OSError:
                shutil.copyfile(page, self.folder / page.name)
            names.append(page.name)
        return names

    def activity_iri(self, release: str, activity: Activity) -> str:
        """Return an activity's IRI: the release and the practice's key."""
        return (
            f"{self.base}feed/{release}/{activity.kind.lower()}/{activity.iri.rsplit('/', 1)[-1]}"
        )

    def write_pages(
        self,
        release: str,
        moment: str,
        changes: list[Activity],
        entries: Mapping[str, IndexEntry],
        ntriples: Path,
        first_page: int,
        run: str | None = None,
    ) -> list[str]:
        """Write the release's activities in pages numbered from ``first_page``; return names.

        A release that changed nothing writes one page with no activity: the root dates every
        release, so the next one's moment comes after it, and its version is known to be
        taken. Each page says which ``run`` wrote it (``prov:wasGeneratedBy``), when given.
        """
        names: list[str] = []
        starts = range(0, len(changes), PAGE_SIZE) if changes else range(1)
        with ntriples.open("rb") as dump:
            for number, start in enumerate(starts, first_page):
                name = f"{_PAGE_PREFIX}{number:06d}.trig"
                with (self.folder / name).open("w", encoding="utf-8", newline="\n") as page:
                    self._page(
                        page,
                        name,
                        release,
                        moment,
                        changes[start : start + PAGE_SIZE],
                        entries,
                        dump,
                        run,
                    )
                names.append(name)
        return names

    def _page(
        self,
        page: IO[str],
        name: str,
        release: str,
        moment: str,
        changes: list[Activity],
        entries: Mapping[str, IndexEntry],
        dump: IO[bytes],
        run: str | None,
    ) -> None:
        url = self.feed_url + name
        page.write(f"<{url}> <{RDF_TYPE}> <{TREE}Node> .\n")
        page.write(
            f'<{url}> <{LDES}immutable> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
        )
        if run is not None:
            page.write(f"<{url}> <{PROV_GENERATED_BY}> <{run}> .\n")
        for activity in changes:
            node = self.activity_iri(release, activity)
            page.write(f"<{self.stream}> <{TREE}member> <{node}> .\n")
            page.write(f"<{node}> <{RDF_TYPE}> <{AS}{activity.kind}> .\n")
            page.write(f"<{node}> <{AS}object> <{activity.iri}> .\n")
            page.write(f'<{node}> <{AS}published> "{moment}"^^<{XSD_DATETIME}> .\n')
            entry = entries[activity.iri]
            dump.seek(entry.offset)
            payload = dump.read(entry.length).decode("utf-8")
            page.write(f"<{node}> {{\n{payload}}}\n")

    def write_root(self, pages: list[tuple[str, str]], starting_from: str | None) -> None:
        """Write ``index.trig``: the event stream, its view, and a relation to every page
        (``pages`` gives each page's name and the moment of its first activity)."""
        root = self.feed_url + ROOT_NAME
        lines = [
            f"<{self.stream}> <{RDF_TYPE}> <{LDES}EventStream> .",
            f"<{self.stream}> <{LDES}timestampPath> <{AS}published> .",
            f"<{self.stream}> <{LDES}versionOfPath> <{AS}object> .",
            f"<{self.stream}> <{LDES}versionCreateObject> <{AS}Create> .",
            f"<{self.stream}> <{LDES}versionUpdateObject> <{AS}Update> .",
            f"<{self.stream}> <{LDES}versionDeleteObject> <{AS}Delete> .",
            f"<{self.stream}> <{TREE}view> <{root}> .",
            f"<{root}> <{RDF_TYPE}> <{TREE}Node> .",
        ]
        views = [root]
        if self.release_feed_url is not None:
            # The same node under the release's URL, with the same relations: they lead to
            # the pages where the stream serves them (carried unchanged, the same bytes).
            copy = self.release_feed_url + ROOT_NAME
            views.append(copy)
            lines += [
                f"<{self.stream}> <{TREE}view> <{copy}> .",
                f"<{copy}> <{RDF_TYPE}> <{TREE}Node> .",
            ]
        if starting_from is not None:
            lines += [f"<{view}> <{LDES}retentionPolicy> <{root}#retention> ." for view in views]
            lines.append(
                f'<{root}#retention> <{LDES}startingFrom> "{starting_from}"^^<{XSD_DATETIME}> .'
            )
        for name, first in pages:
            # A page holds one release's activities, all published at its moment: it is
            # bounded below and above by that moment, so a client in ordered mode knows it
            # holds nothing later, nor anything earlier than the moment (LDES 3.5.2, DCAT-AP
            # Feeds 1.3: a lower and an upper bound to the same node).
            stem = f"{root}#{name.removesuffix('.trig')}"
            for relation, kind in (
                (f"<{stem}>", "GreaterThanOrEqualToRelation"),
                (f"<{stem}{_UNTIL}>", "LessThanOrEqualToRelation"),
            ):
                lines += [f"<{view}> <{TREE}relation> {relation} ." for view in views]
                lines += [
                    f"{relation} <{RDF_TYPE}> <{TREE}{kind}> .",
                    f"{relation} <{TREE}node> <{self.feed_url}{name}> .",
                    f"{relation} <{TREE}path> <{AS}published> .",
                    f'{relation} <{TREE}value> "{first}"^^<{XSD_DATETIME}> .',
                ]
        (self.folder / ROOT_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")


def rewritten_page(feed: Path, releases: Iterable[Path]) -> tuple[str, Path] | None:
    """Return the first page of ``feed`` that one of ``releases`` holds with other bytes,
    and that release; None when every page a release holds too is the same.

    A page is served at one URL in every release (``feed/page-N.trig``) and says it never
    changes (``ldes:immutable``): a feed that does not continue the one served (a release
    published without ``--previous``, or following an older release than the current one)
    would serve other activities there, and clients that read the page would never see them.
    """
    kept = [release / FEED_DIR for release in releases]
    for page in sorted(feed.glob(f"{_PAGE_PREFIX}*.trig")):
        for folder in kept:
            other = folder / page.name
            if not other.is_file() or page.samefile(other):
                continue
            if not filecmp.cmp(page, other, shallow=False):
                return page.name, folder.parent
    return None


def stream_of(root: Path) -> str | None:
    """Return the IRI of the event stream a root node describes (None without a root).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     writer = FeedWriter(Path(folder), "https://x/download/feed/", "https://x/id/")
    ...     writer.write_root([], None)
    ...     stream_of(Path(folder) / ROOT_NAME)
    'https://x/download/feed/index.trig#stream'
    """
    if not root.is_file():
        return None
    typed = f" <{RDF_TYPE}> <{LDES}EventStream> ."
    for line in root.read_text(encoding="utf-8").splitlines():
        if line.endswith(typed):
            return line.removesuffix(typed).strip("<>")
    return None


def page_moments(root: Path) -> Iterator[tuple[str, str]]:
    """Yield each page's name and first moment as a root node lists them (to carry them on)."""
    if not root.is_file():
        return
    nodes: dict[str, str] = {}
    values: dict[str, str] = {}
    for line in root.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 3 or not parts[0].startswith("<") or "#" not in parts[0]:
            continue
        if parts[0].endswith(f"{_UNTIL}>"):
            continue  # the upper bound: the same moment
        relation = parts[0]
        if parts[1] == f"<{TREE}node>":
            nodes[relation] = parts[2].removesuffix(" .").strip("<>").rsplit("/", 1)[-1]
        elif parts[1] == f"<{TREE}value>":
            values[relation] = parts[2].split('"')[1]
    for relation, name in nodes.items():
        yield name, values[relation]


def release_moments(feed: Path) -> dict[str, str]:
    """Return the moment of each release whose activities a feed's pages hold, by release.

    Every page holds the activities of one release (:meth:`FeedWriter.write_pages`), each
    named under it (:meth:`FeedWriter.activity_iri`), and the root node gives the page's
    moment: a release no longer kept is still dated by the pages it added.

    >>> import tempfile
    >>> from nualod.releases.history import LIVE
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     dump = Path(folder) / "nualod.nt"
    ...     _ = dump.write_bytes(b"<https://x/id/p> <https://x/v#p> 1 .\\n")
    ...     writer = FeedWriter(Path(folder) / FEED_DIR, "https://x/download/feed/", "https://x/id/")
    ...     writer.folder.mkdir()
    ...     entries = {"https://x/id/p": IndexEntry("https://x/id/p", LIVE, "ab", "", 0, 36)}
    ...     one = writer.write_pages("2025.1", "2025-12-16T00:00:00Z",
    ...                              [Activity("Create", "https://x/id/p")], entries, dump, 1)
    ...     two = writer.write_pages("2025.2", "2025-12-17T00:00:00Z",
    ...                              [Activity("Update", "https://x/id/p")], entries, dump, 2)
    ...     writer.write_root([(one[0], "2025-12-16T00:00:00Z"),
    ...                        (two[0], "2025-12-17T00:00:00Z")], "2025-12-16T00:00:00Z")
    ...     release_moments(writer.folder)
    {'2025.1': '2025-12-16T00:00:00Z', '2025.2': '2025-12-17T00:00:00Z'}
    """
    found: dict[str, str] = {}
    for name, moment in sorted(page_moments(feed / ROOT_NAME)):
        release = _page_release(feed / name)
        if release is not None and release not in found:
            found[release] = moment
    return found


def _page_release(page: Path) -> str | None:
    """Return the release a feed page's activities belong to, from the run that wrote it
    (``…/RELEASE#publication``) or else its first member's IRI (``…/feed/RELEASE/KIND/KEY``);
    None when the page is not there or names neither."""
    member = f"<{TREE}member> <"
    generated = f"<{PROV_GENERATED_BY}> <"
    try:
        with page.open(encoding="utf-8") as lines:
            for line in islice(lines, _HEAD_LINES):
                _, by_run, run = line.partition(generated)
                if by_run:
                    return release_version(run.split(">", 1)[0])
                _, found, rest = line.partition(member)
                if found:
                    head, release, _kind, _key = rest.split(">", 1)[0].rsplit("/", 3)
                    if not head.endswith("/feed") or _unversioned(release, page.name):
                        return None
                    return release
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return None


def _unversioned(label: str, page_name: str) -> bool:
    """Tell whether an activity's release label is the number of the first page of a
    release without a version (:meth:`FeedWriter.write_pages`' label then), on or before
    ``page_name``: such a release has no version to date, nor a run in the provenance graph.

    >>> _unversioned("000001", "page-000002.trig"), _unversioned("2025.1", "page-000002.trig")
    (True, False)
    >>> _unversioned("000003", "page-000002.trig")
    False
    """
    number = page_name.removeprefix(_PAGE_PREFIX).removesuffix(".trig")
    return len(label) == len(number) == 6 and label.isdigit() and label <= number
