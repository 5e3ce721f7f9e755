"""The site's split of ``nualod.nq``: routing runs of lines at a time gives, byte for byte,
what routing line by line gives, on crafted files whose lines the runs must not take."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nualod.site import shards

BASE = "https://w3id.org/nualod/id/"
GRAPH = f"<{BASE}graph/practices>"
VOCABULARY = f"<{BASE}graph/vocabulary>"
PRACTICE = f"<{BASE}practice/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TITLE = "<http://purl.org/dc/terms/title>"

#: Lines a practice may hold besides its usual ones ({s}: its subject), each a case a run of
#: lines at a time must leave to the line-by-line routing, or route as it does.
ODD_LINES = [
    # the graph's name, or what looks like a line's end, inside a literal
    "{s} " + TITLE + ' "A title with ' + GRAPH + ' . inside"@en ' + GRAPH + " .",
    '{s} <http://purl.org/dc/terms/abstract> "one .\\nline two ' + GRAPH + ' .\\n" ' + GRAPH + " .",
    # the practices graph's line ending otherwise than the others
    "{s} " + TITLE + ' "two spaces" ' + GRAPH + "  .",
    "{s} " + TITLE + ' "crlf" ' + GRAPH + " .\r",
    "{s}\t" + TITLE + '\t"tabs"\t' + GRAPH + " .",
    # the practice's subject in another graph, or in none, or a practices graph of another base
    "{s} " + TITLE + ' "other graph" ' + VOCABULARY + " .",
    "{s} <http://purl.org/dc/terms/relation> <https://other.example/graph/practices> .",
    "{s} " + TITLE + ' "other base" <https://other.example/graph/practices> .',
    # malformed: an IRI object without its end, no object, comments and blank lines
    "{s} <http://purl.org/dc/terms/relation> <broken " + GRAPH + " .",
    "{s} " + GRAPH + " .",
    "# a comment inside a practice",
    "",
    "   ",
    # objects: outside the data (refs), inside it, a blank node
    "{s} <http://purl.org/dc/terms/relation> _:b1 " + GRAPH + " .",
    "{s} <http://purl.org/dc/terms/spatial> <" + BASE + "region/64.07> " + GRAPH + " .",
]


def _practice(key: str, figures: int, odd: list[str]) -> list[str]:
    s = f"{PRACTICE}{key}>"
    lines = [
        f"{s} {TYPE} <https://w3id.org/nualod/def#GoodPractice> {GRAPH} .",
        f'{s} <http://purl.org/dc/terms/identifier> "{key}" {GRAPH} .',
        f"{s} <http://purl.org/dc/terms/source> <https://example.org/{key[:5]}> {GRAPH} .",
        f"{s} <http://purl.org/dc/terms/source> <https://shared.example/common> {GRAPH} .",
        f"{s} <https://w3id.org/nualod/def#theme> <https://w3id.org/nualod/code/theme/13> {GRAPH} .",
        *(line.format(s=s) for line in odd),
    ]
    for figure in range(figures):
        node = f"{PRACTICE}{key}#figure-{figure}>"
        lines.append(f"{s} <https://w3id.org/nualod/def#figure> {node} {GRAPH} .")
    for figure in range(figures):
        node = f"{PRACTICE}{key}#figure-{figure}>"
        lines += [
            f"{node} {TYPE} <https://w3id.org/nualod/def#Figure> {GRAPH} .",
            f'{node} <https://schema.org/value> "{figure}"^^<http://www.w3.org/2001/XMLSchema#decimal>'
            f" {GRAPH} .",
            f"{node} <https://schema.org/unitCode> <http://qudt.org/vocab/unit/NUM> {GRAPH} .",
            f"{node} <http://www.w3.org/ns/oa#hasSource> {s} {GRAPH} .",
        ]
    return lines


def _crafted(newline_at_end: bool = True) -> bytes:
    lines = [
        "# a comment first",
        "",
        f'<https://w3id.org/nualod/code/theme> {TITLE} "mentions {GRAPH} ." {VOCABULARY} .',
        f"<https://w3id.org/nualod/code/theme> <http://www.w3.org/2000/01/rdf-schema#seeAlso>"
        f" {GRAPH} {VOCABULARY} .",
    ]
    # Keys with a hash (the shard), one the start of another, none, not ASCII.
    keys = [f"{n:02d}-66-64.07-{n * 2654435761 % 2**64:016x}" for n in range(24)]
    keys += ["13-66-64.07-abcdef0123456789", "13-66-64.07-abcdef01234567890", "nohash", "x-é9ab"]
    for n, key in enumerate(keys):
        odd = [ODD_LINES[n % len(ODD_LINES)]] if n % 3 else []
        lines += _practice(key, figures=n % 4, odd=odd)
        if n % 5 == 4:
            s = f"{PRACTICE}{key}"
            # Hash nodes whose subject is not quite one: a space in the fragment, no '>' ...
            lines += [
                f"{s}#frag with space> <http://x.example/p> <http://x.example/o> {GRAPH} .",
                f"{s}>x <http://x.example/p> <http://x.example/o> {GRAPH} .",
                f"{s}#> <http://x.example/p> <http://x.example/o> {GRAPH} .",
                f"{s}# <http://x.example/p> <http://x.example/o> {GRAPH} .",
            ]
        if n % 6 == 5:
            # A line of the practice before, after this one's: practices not together.
            lines.append(f'{PRACTICE}{keys[n - 1]}> {TITLE} "back again" {GRAPH} .')
        # Shared nodes (one of them pointed to by several practices), blank nodes, context.
        lines.append(
            f"<https://example.org/{key[:5]}> {TYPE} <https://schema.org/WebPage> {GRAPH} ."
        )
        if n % 4 == 0:
            lines += [
                f"<https://shared.example/common> {TYPE} <https://schema.org/WebPage> {GRAPH} .",
                f'<https://shared.example/common> {TITLE} "Common {GRAPH} ." {GRAPH} .',
            ]
        lines.append(f'_:b1 {TITLE} "a blank node" {GRAPH} .')
        if n % 7 == 0:
            lines += [
                f'<https://w3id.org/nualod/code/theme/{n}> {TITLE} "t" {VOCABULARY} .',
                f'<https://w3id.org/nualod/code/theme/{n}> {TITLE} "t2" {GRAPH} .',
            ]
    lines += ["<nospace>", f'{PRACTICE}last#x> <http://x.example/p> "a lone hash node" {GRAPH} .']
    return ("\n".join(lines) + ("\n" if newline_at_end else "")).encode()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _split(source: Path, folder: Path, parts: int) -> tuple[object, dict[str, bytes]]:
    split = shards.split_quads(source, folder, parts=parts)
    facts = (split.practices_base, split.data_base, split.shards, split.quads, split.parts)
    return (facts, split.practice_quads), _files(folder)


@pytest.mark.parametrize("newline_at_end", [True, False])
@pytest.mark.parametrize(
    ("parts", "chunk"), [(1, 4 << 20), (1, 7), (1, 1000), (2, 64), (3, 4 << 20), (9, 300)]
)
def test_runs_of_lines_are_routed_as_line_by_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parts: int,
    chunk: int,
    newline_at_end: bool,
) -> None:
    source = tmp_path / "nualod.nq"
    source.write_bytes(_crafted(newline_at_end))
    # Any file is split in parts, and chunks end anywhere: inside a practice, a line longer
    # than a chunk.
    monkeypatch.setattr(shards, "_SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(shards, "_CHUNK", chunk)
    taken = _split(source, tmp_path / "runs", parts)
    # Every line one at a time: a regex of runs that matches one line, never a run.
    monkeypatch.setattr(shards, "_runs", lambda base, tail: re.compile(rb"[^\n]*\n"))
    reference = _split(source, tmp_path / "lines", parts)
    assert taken[0] == reference[0]
    assert taken[1].keys() == reference[1].keys()
    for name, data in reference[1].items():
        assert taken[1][name] == data, name
    assert any(name.startswith("attached-") for name in reference[1])
    assert any(name.startswith("ref-") for name in reference[1])


def test_a_published_file_goes_mostly_by_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clean practices (as publish writes them): only lines of the practices graph's first
    # subject go line by line, to learn the graph's name.
    lines: list[str] = []
    for n in range(40):
        key = f"{n:02d}-66-64.07-{n * 2654435761 % 2**64:016x}"
        lines += _practice(key, figures=3, odd=[])
        lines.append(
            f"<https://example.org/{key[:5]}> {TYPE} <https://schema.org/WebPage> {GRAPH} ."
        )
    source = tmp_path / "nualod.nq"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one_at_a_time: list[bytes] = []
    line = shards._Router.line

    def counted(router: shards._Router, text: bytes) -> None:
        one_at_a_time.append(text)
        line(router, text)

    monkeypatch.setattr(shards._Router, "line", counted)
    split = shards.split_quads(source, tmp_path / "split")
    assert split.quads == len(lines)
    # At most the lines of the first practice's subject (5, and 3 figures).
    assert 1 <= len(one_at_a_time) <= 5 + 3
