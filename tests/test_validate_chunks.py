"""``nualod validate`` chunk by chunk in memory: the same results as the store and pySHACL.

A dump written node by node is checked in chunks (:mod:`nualod.validate.chunks`); every
answer a chunk cannot give alone is fetched, or the file goes to the store. Each case here
compares the chunks' report with the store's and with pySHACL's, on files that are grouped
as nualod writes them and on files that are not (shuffled lines, a subject spread over the
file, a city that is nowhere, a concept written after the practices that use it, triples
added to a node of the head at the end, a source that is not a web page), so that both the
chunks and the fallback to the store are exercised.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import replace
from pathlib import Path

import pytest

from bench.generate import write_pages
from nualod.errors import RDFSyntaxError
from nualod.run.publish import publish
from nualod.validate.chunks import _Run, _Subjects, plan, validate_chunks
from nualod.validate.fast import compile_shapes
from nualod.validate.report import report_json_pieces, report_json_text
from nualod.validate.shacl import ValidationReport
from nualod.validate.stream import validate_files
from tests.test_validate_stream import _alike, _broken, _same

#: Small chunks, so that a dump of a hundred practices is cut into dozens of them.
SMALL: int = 40_000
BASE = "https://w3id.org/nualod/"


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the N-Quads dump of a publish of 120 generated practices (figures on)."""
    folder = tmp_path_factory.mktemp("chunks")
    pages = write_pages(folder / "pages", 120)
    publish(sorted(p for p in pages.rglob("*.txt")), folder / "out")
    return folder / "out" / "nualod.nq"


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _write(tmp_path: Path, lines: list[bytes], name: str = "variant.nq") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(lines))
    return path


def _reports(path: Path, workers: int = 1) -> tuple[ValidationReport | None, ValidationReport]:
    """Return the chunks' report (None: they gave the file up) and pySHACL's."""
    chunks = validate_chunks(path, compile_shapes(), workers=workers, chunk_bytes=SMALL)
    return chunks, validate_files([path], engine="pyshacl", reference_info=True)


def _as_store_and_pyshacl(path: Path, workers: int = 1) -> ValidationReport:
    """Assert the chunks give the store's and pySHACL's report; return it."""
    chunks, slow = _reports(path, workers)
    assert chunks is not None, "the chunks gave up a file they can validate"
    _same(chunks, slow)
    store = validate_files([path], reference_info=True, route="store")
    _alike(chunks, store)
    # What nualod validate runs on such a file is the chunks.
    assert validate_files([path], reference_info=True) == chunks
    return chunks


def _practice_lines(lines: list[bytes]) -> list[int]:
    return [
        i
        for i, line in enumerate(lines)
        if b"#type> <" + BASE.encode() + b"def#GoodPractice>" in line
    ]


def test_the_dump_is_cut_into_chunks(dump: Path) -> None:
    cut = plan(dump, SMALL)
    assert cut is not None and len(cut.chunks) > 20
    # The head ends where the first practice begins; no chunk begins inside a group.
    lines = _lines(dump)
    assert dump.read_bytes()[cut.cuts[0] :].startswith(lines[_practice_lines(lines)[0]])
    text = dump.read_bytes()
    for start in cut.cuts[1:-1]:
        before = text[: start - 1].rsplit(b"\n", 1)[-1]
        after = text[start:].split(b"\n", 1)[0]
        assert before.split(b" ")[0].split(b"#")[0] != after.split(b" ")[0].split(b"#")[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_published_dump_in_chunks(dump: Path, workers: int) -> None:
    report = _as_store_and_pyshacl(dump, workers)
    assert report.count("Info") > 0  # something to compare


def test_shuffled_lines_go_to_the_store(dump: Path, tmp_path: Path) -> None:
    lines = _lines(dump)
    random.Random(5).shuffle(lines)
    path = _write(tmp_path, lines)
    chunks, slow = _reports(path)
    assert chunks is None
    _same(validate_files([path], reference_info=True), slow)


def test_a_subject_spread_over_the_file_goes_to_the_store(dump: Path, tmp_path: Path) -> None:
    lines = _lines(dump)
    first = _practice_lines(lines)[3]
    moved = lines.pop(first + 1)  # the practice's second line, now after every other
    path = _write(tmp_path, [*lines, moved])
    chunks, slow = _reports(path)
    assert chunks is None
    _same(validate_files([path], reference_info=True), slow)


def test_a_city_that_is_nowhere(dump: Path, tmp_path: Path) -> None:
    # "No triples" is the right answer when no chunk holds the node asked for.
    lines = _lines(dump)
    spatial = next(i for i in _practice_lines(lines)[40:] if True)
    at = next(i for i in range(spatial, len(lines)) if b"/terms/spatial>" in lines[i])
    head, _, tail = lines[at].partition(b"/region/")
    lines[at] = head + b"/region/99.99>" + tail.split(b">", 1)[1]
    report = _as_store_and_pyshacl(_write(tmp_path, lines))
    assert "ClassConstraintComponent" in {r.constraint for r in report.results}


def test_a_concept_written_after_the_practices_that_use_it(dump: Path, tmp_path: Path) -> None:
    # Chunks ask for a node no chunk checked so far holds; it is fetched, and they are
    # checked again with it.
    lines = _lines(dump)
    start = _practice_lines(lines)[0]
    concept = (BASE + "code/indicator/").encode()
    moved = [line for line in lines[start:] if line.startswith(b"<" + concept)]
    assert moved
    kept = lines[:start] + [line for line in lines[start:] if not line.startswith(b"<" + concept)]
    path = _write(tmp_path, kept + moved)
    _as_store_and_pyshacl(path)
    cut = plan(path, SMALL)
    assert cut is not None
    run = _Run(cut, compile_shapes(), 1)
    assert run.run() is not None and run.found


def test_triples_added_to_a_node_of_the_head_at_the_end(dump: Path, tmp_path: Path) -> None:
    # A city of the head without a GeoNames link gets one in the last line: the head's
    # info on it goes, as it does for pySHACL.
    before = _reports(dump)[1]
    city = next(r.focus_node for r in before.results if r.source_shape.endswith("CityGeoNames"))
    extra = f"<{city}> <http://www.w3.org/2002/07/owl#sameAs> <https://sws.geonames.org/1/> .\n"
    report = _as_store_and_pyshacl(_write(tmp_path, [*_lines(dump), extra.encode()]))
    assert city not in {r.focus_node for r in report.results}


def test_a_source_that_is_not_a_web_page(dump: Path, tmp_path: Path) -> None:
    # A node that is not a practice, with a result, pointed at by practices in chunks far
    # apart: the report names them all, as pySHACL's does.
    lines = _lines(dump)
    practices = _practice_lines(lines)
    bad = b"<ftp://example.org/bad>"
    added: list[bytes] = []
    for first in (practices[2], practices[100]):
        subject = lines[first].split(b" ", 1)[0]
        added.append(subject + b" <http://purl.org/dc/terms/source> " + bad + b" .\n")
    node = (
        bad + b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/WebPage> .\n"
    )
    lines.insert(practices[101], node)
    lines.insert(practices[100] + 1, added[1])
    lines.insert(practices[2] + 1, added[0])
    report = _as_store_and_pyshacl(_write(tmp_path, lines))
    source = next(n for n in report.nodes if n.iri == "ftp://example.org/bad")
    assert len(source.practices) == 2


def test_a_broken_dump(dump: Path, tmp_path: Path) -> None:
    report = _as_store_and_pyshacl(_broken(dump.parent, tmp_path))
    assert report.count("Violation") > 0


def test_a_line_that_does_not_parse(dump: Path, tmp_path: Path) -> None:
    # The store says where it is, in lines of the whole file.
    lines = _lines(dump)
    at = _practice_lines(lines)[60] + 2
    lines[at] = b"<https://example.org/s> <https://example.org/p> oops .\n"
    path = _write(tmp_path, lines)
    assert validate_chunks(path, compile_shapes(), chunk_bytes=SMALL) is None
    with pytest.raises(RDFSyntaxError, match=f"line {at + 1}"):
        validate_files([path])


def test_the_json_report_written_a_group_at_a_time(dump: Path) -> None:
    # nualod validate --format json writes it so, and a million practices' report is never
    # all in memory as text; the text is the same.
    report = validate_files([dump], reference_info=True)
    for shown in (report, ValidationReport(()), replace(report, results=report.results[:2])):
        assert "".join(report_json_pieces(shown, ["x.nq"])) == report_json_text(shown, ["x.nq"])


def test_a_subject_in_two_chunks_is_told_from_a_bit_shared_by_two() -> None:
    # The bitmap only says where to look; the hashes themselves decide.
    subjects = _Subjects(1)  # 65,536 bits: many bits are shared by two hashes
    chunks = [array("q", sorted(range(0, 200_000, 2))), array("q", sorted(range(1, 200_000, 2)))]
    for hashes in chunks:
        subjects.add(hashes)
    assert subjects.suspect and not subjects.repeated(chunks)
    again = array("q", [4, 7])
    subjects.add(again)
    assert subjects.repeated([*chunks, again])
