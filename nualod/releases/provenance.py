"""PROV-O of the build of a versioned release, in the named graph ``…/graph/provenance``.

The run that published version V is ``…/dataset/nuf-good-practices/V#publication``, a
``prov:Activity``:

- ``prov:startedAtTime`` and ``prov:endedAtTime``: the release's moment (its latest data
  date at midnight UTC, but never before the retrieval of a page it ``prov:used``, see
  :func:`nualod.releases.feed.release_moment`). Not the clock:
  a rebuild from the same inputs must give the same bytes, so the times say when the data
  was current, not how long the machine took;
- ``prov:wasAssociatedWith`` the nualod software (``…/agent/nualod-software/VERSION``, a
  ``prov:SoftwareAgent`` labelled with its version);
- ``dcterms:description``: the options that shape the output, as JSON (paths left out:
  the previous release is named by its version);
- ``prov:used`` every input page that has a URL (from its harvest sidecar), each with
  ``prov:generatedAtTime`` its retrieval time and ``spdx:checksum`` its SHA-256.

Every live practice is ``prov:wasGeneratedBy`` the run that first published it and the
run that last changed its description (the same run when it never changed); both are kept
in ``practices-index.tsv`` (``first_in``, ``changed_in``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from json.encoder import encode_basestring as _json_string
from operator import attrgetter, itemgetter
from typing import Final

from pyoxigraph import Literal, NamedNode

from nualod.model.iris import release_activity, release_version
from nualod.model.namespaces import DCTERMS, PROV, RDF, RDFS, SPDX, XSD
from nualod.model.triples import IRI, PlainTriple, TermTriple, new_plain_triple
from nualod.releases.history import LIVE, IndexEntry
from nualod.write.dumps import Rendered
from nualod.write.jsonld import node_line
from nualod.write.stats import group_stats
from nualod.write.text import TurtleWriter

PROVENANCE_GRAPH: Final = "provenance"
_A: Final = NamedNode(RDF + "type")
_DATETIME: Final = NamedNode(XSD + "dateTime")
#: Interned: the one predicate of up to two million generation triples.
_GENERATED_BY: Final = sys.intern(PROV + "wasGeneratedBy")


@dataclass(frozen=True, slots=True)
class InputPage:
    """An input page with a URL: when it was retrieved, and the SHA-256 of its bytes."""

    url: str
    retrieved: str | None
    sha256: str | None


def software_agent(base: str, version: str) -> str:
    """Return the IRI of a nualod version as a software agent.

    >>> software_agent("https://w3id.org/nualod/id/", "0.1.0")
    'https://w3id.org/nualod/id/agent/nualod-software/0.1.0'
    """
    return f"{base}agent/nualod-software/{version}"


def run_triples(
    dataset: str,
    base: str,
    release: str,
    moment: str,
    software_version: str,
    options: Mapping[str, object],
    pages: Iterable[InputPage],
    earlier_runs: Iterable[str] = (),
    earlier_moments: Mapping[str, str] | None = None,
) -> Iterator[TermTriple]:
    """Yield the triples that describe the run that published ``release``, and type each of
    the ``earlier_runs`` (those that first published, last changed or removed a practice,
    and those the change feed dates) once, with its times when ``earlier_moments`` (release
    -> moment) has them: a release no longer kept takes its own description with it, not
    its run's times."""
    run = NamedNode(release_activity(dataset, release))
    agent = NamedNode(software_agent(base, software_version))
    when = Literal(moment, datatype=_DATETIME)
    yield TermTriple(run, _A, NamedNode(PROV + "Activity"))
    for earlier in sorted(set(earlier_runs) - {run.value}):
        node = NamedNode(earlier)
        yield TermTriple(node, _A, NamedNode(PROV + "Activity"))
        version = release_version(earlier)
        earlier_moment = (earlier_moments or {}).get(version) if version is not None else None
        if earlier_moment is not None:
            then = Literal(earlier_moment, datatype=_DATETIME)
            yield TermTriple(node, NamedNode(PROV + "startedAtTime"), then)
            yield TermTriple(node, NamedNode(PROV + "endedAtTime"), then)
    yield TermTriple(run, NamedNode(PROV + "startedAtTime"), when)
    yield TermTriple(run, NamedNode(PROV + "endedAtTime"), when)
    yield TermTriple(run, NamedNode(PROV + "wasAssociatedWith"), agent)
    yield TermTriple(
        run, NamedNode(DCTERMS + "description"), Literal(json.dumps(dict(options), sort_keys=True))
    )
    yield TermTriple(agent, _A, NamedNode(PROV + "SoftwareAgent"))
    yield TermTriple(agent, NamedNode(RDFS + "label"), Literal(f"nualod {software_version}"))
    seen: set[str] = set()
    for page in sorted(pages, key=lambda p: p.url):
        if page.url in seen:
            continue
        seen.add(page.url)
        node = NamedNode(page.url)
        yield TermTriple(run, NamedNode(PROV + "used"), node)
        yield TermTriple(node, _A, NamedNode(PROV + "Entity"))
        if page.retrieved:
            yield TermTriple(
                node,
                NamedNode(PROV + "generatedAtTime"),
                Literal(page.retrieved, datatype=_DATETIME),
            )
        if page.sha256:
            checksum = NamedNode(f"{run.value}-input-{page.sha256}")
            yield TermTriple(node, NamedNode(SPDX + "checksum"), checksum)
            yield TermTriple(checksum, _A, NamedNode(SPDX + "Checksum"))
            yield TermTriple(
                checksum,
                NamedNode(SPDX + "algorithm"),
                NamedNode(SPDX + "checksumAlgorithm_sha256"),
            )
            yield TermTriple(
                checksum,
                NamedNode(SPDX + "checksumValue"),
                Literal(page.sha256, datatype=NamedNode(XSD + "hexBinary")),
            )


def generation_pairs(dataset: str, entries: Iterable[IndexEntry]) -> list[tuple[str, str]]:
    """Return, for every live practice in IRI order, its IRI with each run that published it
    first or changed it last (the objects of its ``prov:wasGeneratedBy``).

    >>> entry = IndexEntry("https://x.org/p", LIVE, "ab", first_in="1", changed_in="1")
    >>> generation_pairs("https://x.org/id/dataset/d", [entry])
    [('https://x.org/p', 'https://x.org/id/dataset/d/1#publication')]
    """
    activities: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    append = pairs.append  # a million practices
    for entry in sorted(entries, key=attrgetter("iri")):
        if entry.status != LIVE:
            continue
        first, changed = entry.first_in, entry.changed_in
        for release in (first, changed) if changed != first else (first,):
            if not release:
                continue
            activity = activities.get(release)
            if activity is None:
                activity = activities[release] = release_activity(dataset, release)
            append((entry.iri, activity))
    return pairs


def generation_triples(dataset: str, entries: Iterable[IndexEntry]) -> Iterator[PlainTriple]:
    """Yield, for every live practice, the runs that first published and last changed it.

    Plain triples (:data:`~nualod.model.triples.PlainTriple`), made directly: a release of a
    million practices has up to two million of them.

    >>> entry = IndexEntry("https://x.org/p", LIVE, "ab", first_in="1", changed_in="2")
    >>> [t.value for t in generation_triples("https://x.org/id/dataset/d", [entry])]
    ['https://x.org/id/dataset/d/1#publication', 'https://x.org/id/dataset/d/2#publication']
    """
    for iri, activity in generation_pairs(dataset, entries):
        yield _generated(iri, activity)


def _generated(iri: str, activity: str) -> PlainTriple:
    return new_plain_triple((iri, _GENERATED_BY, activity, IRI, "", f"<{activity}>"))


@cache
def _json_middle() -> str:
    """Return what a practice's JSON-LD line with one ``prov:wasGeneratedBy`` has between its
    IRI and the run's, as :func:`~nualod.write.jsonld.node_line` writes it."""
    subject, activity = "https://probe.example/s", "https://probe.example/a"
    line = node_line(subject, [_generated(subject, activity)])
    head, tail = f'{{"id":{_json_string(subject)}', f"{_json_string(activity)}}}}}"
    if not (line.startswith(head) and line.endswith(tail)):  # pragma: no cover (a new writer)
        raise AssertionError(f"unexpected JSON-LD of a generation: {line}")
    return line[len(head) : -len(tail)]


def generation_group(
    graph: str, pairs: Sequence[tuple[str, str]], turtle: TurtleWriter, base: str
) -> Rendered:
    """Return the ``prov:wasGeneratedBy`` triples of ``pairs`` (:func:`generation_pairs`) in
    every dump format: what :func:`nualod.write.dumps.render_plain` gives for
    :func:`generation_triples`, a practice at a time from templates (a million practices
    have a million of them, written again in every release).

    >>> from nualod.model.namespaces import PREFIXES
    >>> from nualod.write.dumps import render_plain, turtle_writer
    >>> pairs = [("https://w3id.org/nualod/id/practice/a", "https://x.org/1#publication"),
    ...          ("https://w3id.org/nualod/id/practice/a", "https://x.org/2#publication"),
    ...          ("https://w3id.org/nualod/id/practice/b", "https://x.org/2#publication")]
    >>> plain = [_generated(*pair) for pair in pairs]
    >>> base, turtle = "https://w3id.org/nualod/id/", turtle_writer(PREFIXES)
    >>> made = generation_group("https://g.org/", pairs, turtle, base)
    >>> made[:5] == render_plain("https://g.org/", plain, turtle, base)[:5], made.stats.subjects
    (True, ())
    """
    if not pairs:
        return Rendered(graph, b"", b"", b"", b"", group_stats((), base))
    predicate = _GENERATED_BY
    statement_middle = f"> <{predicate}> <"
    ttl_middle = f" {turtle.iri(predicate)} "
    json_middle = _json_middle()
    ttl: list[str] = ["\n"]
    lines: list[str] = []
    statements = [f"<{iri}{statement_middle}{activity}>" for iri, activity in pairs]
    for iri, group in groupby(pairs, key=itemgetter(0)):
        activities = [activity for _, activity in group]
        if len(activities) == 1:
            ttl += (turtle.iri(iri), ttl_middle, turtle.iri(activities[0]), " .\n")
            lines.append(
                f'{{"id":{_json_string(iri)}{json_middle}{_json_string(activities[0])}}}}}'
            )
        else:  # a practice changed since it was first published: the writers' own way
            plain = [_generated(iri, activity) for activity in activities]
            ttl.append(turtle.statements(plain))
            lines.append(node_line(iri, plain))
    quad_end = f" <{graph}> .\n"
    # No subjects: they are the practices, counted (VoID) where they are described.
    stats = group_stats((), base)._replace(triples=len(pairs), predicates=(predicate,) * len(pairs))
    return Rendered(
        graph,
        "".join(ttl).encode("utf-8"),
        (" .\n".join(statements) + " .\n").encode("utf-8"),
        (quad_end.join(statements) + quad_end).encode("utf-8"),
        ",\n".join(lines).encode("utf-8"),
        stats,
    )
