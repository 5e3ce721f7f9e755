"""The validation library: shapes, typed reports, reading RDF files, and publish's gate."""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path

import pytest
from pyoxigraph import NamedNode
from rdflib import Graph
from rdflib.namespace import SH

from nualod.errors import InputError, RDFSyntaxError, ShapesError
from nualod.model.triples import PlainTriple, TermTriple
from nualod.read.rdf import read_graph
from nualod.run.publish import PublishResult, publish
from nualod.validate.report import report_json, report_text, report_turtle, withheld_reason
from nualod.validate.shacl import (
    ValidationReport,
    ValidationResult,
    check_shapes,
    default_shapes_graph,
    load_shapes,
    validate_files,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DUMPS = ("nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld")
# The module, not the function ``nualod.run.publish`` re-exported by the package.
pipeline_module = importlib.import_module("nualod.run.pipeline")  # where records are mapped


def test_shipped_shapes_are_valid_shacl() -> None:
    """The shapes validate against SHACL-for-SHACL (the graph pySHACL ships)."""
    report = check_shapes(default_shapes_graph())
    assert report.conforms, report.results


def test_report_is_frozen_and_counts_every_severity() -> None:
    """The report is immutable and counts violations, warnings and info."""
    report = validate_files([FIXTURES / "practice-no-title.ttl"])
    assert report.counts == {"Violation": 1, "Warning": 0, "Info": 0}
    assert not report.conforms
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.results = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.results[0].severity = "Info"  # type: ignore[misc]
    (node, results), *_ = report.groups()
    assert node.kind == "practice"
    assert node.label is None
    assert node.page == "https://habitatidn.id/nuf/praktik-baik/1"
    assert results[0].messages == (
        ("en", "the title (dcterms:title) is missing"),
        ("id", "judul (dcterms:title) tidak ada"),
    )


def _write(folder: Path, text: str) -> Path:
    path = folder / "data.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_region_problem_is_grouped_under_the_region(tmp_path: Path) -> None:
    """A region's problem is grouped under the region, which lists the practices using it."""
    text = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    text = text.replace('    rdfs:label "Kota Pekalongan"@id ;\n', "")
    report = validate_files([_write(tmp_path, text)])
    ((node, results),) = report.groups()
    assert (node.kind, node.label) == ("city", None)
    assert node.practices == ("https://w3id.org/nualod/id/practice/10-47-33.75-x",)
    assert [r.message for r in results] == ["the name (rdfs:label) is missing"]


def test_turtle_and_json_reports(tmp_path: Path) -> None:
    """Turtle output is a sh:ValidationReport; JSON output follows the documented schema."""
    report = validate_files([FIXTURES / "practice-bad-date.ttl"])
    graph = Graph().parse(data=report_turtle(report), format="turtle")
    assert len(list(graph.subjects(None, SH.ValidationReport))) == 1
    assert len(list(graph.objects(None, SH.result))) == 1
    value = graph.value(next(graph.objects(None, SH.result)), SH.value)
    assert value is not None and value.n3().endswith("XMLSchema#date>")
    data = report_json(report, ["practice-bad-date.ttl"])
    assert sorted(data) == [
        "conforms", "counts", "engine", "fallback", "files", "groups", "reference_info", "schema",
    ]  # fmt: skip
    assert (data["engine"], data["fallback"], data["reference_info"]) == ("pyshacl", None, 0)
    (group,) = data["groups"]
    assert sorted(group) == ["focus_node", "kind", "label", "page", "practices", "results"]
    assert group["results"][0]["message"] == (
        "the date (dcterms:issued) is not a date: '2025-13-01'"
    )
    json.dumps(data)


def test_every_format_reads_to_the_same_graph(
    published_examples: tuple[Path, PublishResult],
) -> None:
    """Turtle, N-Triples, N-Quads and JSON-LD dumps read to isomorphic graphs."""
    out, _ = published_examples
    graphs = [read_graph([out / name]) for name in DUMPS]
    sizes = {len(g) for g in graphs}
    assert len(sizes) == 1 and sizes.pop() > 1000


def test_published_examples_have_no_violations(
    published_examples: tuple[Path, PublishResult],
) -> None:
    """Every dump of the published examples (and the catalog, if written) has no violation."""
    out, result = published_examples
    assert len(result.published) == 4 and not result.rejected
    files = [out / name for name in (*DUMPS, "catalog.ttl") if (out / name).is_file()]
    report = validate_files(files)
    assert report.count("Violation") == 0, report_text(report)
    assert report.count("Warning") == 0, report_text(report)


def test_real_sample_page_has_no_violations(shared_sample: Path, tmp_path: Path) -> None:
    """The real NUF page publishes, and its dump validates with no violation."""
    result = publish([shared_sample], tmp_path)
    assert len(result.published) == 1 and not result.rejected
    report = validate_files([tmp_path / "nualod.ttl"])
    assert report.count("Violation") == 0, report_text(report)


def test_broken_file_names_file_and_position(tmp_path: Path) -> None:
    """Text that is not RDF raises RDFSyntaxError with the file, line and column."""
    path = tmp_path / "broken.ttl"
    path.write_text("this is not RDF at all\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError) as caught:
        read_graph([path])
    assert caught.value.where == str(path)
    assert caught.value.reason.startswith("line 1, column 1: ")


def test_remote_jsonld_context_is_never_fetched(tmp_path: Path) -> None:
    """A JSON-LD file with a remote @context is refused, not fetched."""
    path = tmp_path / "remote.jsonld"
    path.write_text(
        '{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a",'
        ' "title": "x"}',
        encoding="utf-8",
    )
    with pytest.raises(RDFSyntaxError, match="remote"):
        read_graph([path])


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    """A missing file and a file that is not named like RDF are input errors."""
    with pytest.raises(InputError, match="no such file"):
        read_graph([tmp_path / "missing.ttl"])
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(RDFSyntaxError, match="not an RDF file name"):
        read_graph([tmp_path / "notes.txt"])


def test_user_shapes_are_checked(tmp_path: Path) -> None:
    """Shapes that are not valid SHACL, or not Turtle, are refused with ShapesError."""
    (tmp_path / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ; sh:minCount -1 ; sh:path 5 .\n",
        encoding="utf-8",
    )
    with pytest.raises(ShapesError, match="not valid SHACL"):
        load_shapes(tmp_path)
    (tmp_path / "bad.ttl").write_text("not turtle", encoding="utf-8")
    with pytest.raises(ShapesError, match="line 1, column"):
        load_shapes(tmp_path)
    # A file of no shapes, or of shapes without a target, checks nothing: it "conformed".
    for text in ("<urn:a> <urn:b> <urn:c> .\n", f"<urn:S> a <{SH}NodeShape> .\n"):
        (tmp_path / "bad.ttl").write_text(text, encoding="utf-8")
        with pytest.raises(ShapesError) as refused:
            load_shapes(tmp_path)
        assert str(refused.value) == (
            f"{tmp_path}: no shape with a target (sh:targetClass, sh:targetNode, "
            "sh:targetSubjectsOf, sh:targetObjectsOf, or a shape that is a class): "
            "validating with them would check nothing"
        )
    (tmp_path / "bad.ttl").write_text(
        f"<urn:S> a <{SH}NodeShape>, <http://www.w3.org/2000/01/rdf-schema#Class> .\n",
        encoding="utf-8",
    )
    assert len(load_shapes(tmp_path)) == 2  # an implicit class target


def test_withheld_reason_names_the_node_at_fault() -> None:
    """A violation on a node the practice points to says which node."""
    practice = "https://x/practice/1"
    own = ValidationResult(practice, None, "Violation", "the title (dcterms:title) is missing")
    other = ValidationResult("https://x/region/1", None, "Violation", "the name is missing")
    reason = withheld_reason(ValidationReport((own, other)), practice, [own, other])
    assert reason == (
        "withheld, 2 violations: the title (dcterms:title) is missing; "
        "its node <https://x/region/1>: the name is missing"
    )


# --- publish validates before it writes -------------------------------------------------


def test_violation_on_a_region_withholds_only_the_practices_pointing_at_it(
    monkeypatch: pytest.MonkeyPatch, examples_dir: Path, tmp_path: Path
) -> None:
    """A region without a name withholds the Pekalongan practice, and only it."""
    original = pipeline_module.region_triples

    def broken(region, iris):  # type: ignore[no-untyped-def]
        triples = original(region, iris)
        if region.code == "33.75":
            triples = [t for t in triples if t.predicate != NamedNode(RDFS_LABEL)]
        return triples

    monkeypatch.setattr(pipeline_module, "region_triples", broken)
    result = publish([examples_dir], tmp_path)
    assert len(result.published) == 3
    (rejection,) = result.rejected
    assert rejection.where.endswith("pekalongan-tema10-indikator47.txt")
    assert rejection.reason == (
        'practice "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat" withheld, 1 violation: '
        'its city "Kota Pekalongan": the name (rdfs:label) is missing'
    )
    written = (tmp_path / "rejected.json").read_text(encoding="utf-8")
    assert "33.75" in written


def _without(
    terms: list[TermTriple], plain: list[PlainTriple], predicate: str
) -> tuple[list[TermTriple], list[PlainTriple]]:
    """Return a practice's group (both ways) without the triples of one predicate."""
    return (
        [t for t in terms if t.predicate != NamedNode(predicate)],
        [t for t in plain if t[1] != predicate],
    )


def test_violation_on_a_practice_withholds_it_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, examples_dir: Path, tmp_path: Path
) -> None:
    """A practice without a source is withheld, with a message that says so."""
    original = pipeline_module.practice_parts

    def broken(linked, iris, **options):  # type: ignore[no-untyped-def]
        parts = original(linked, iris, **options)
        if "Surabaya" in linked.practice.title:
            terms, plain = _without(parts.terms, parts.plain, DCTERMS + "source")
            return parts._replace(terms=terms, plain=plain)
        return parts

    monkeypatch.setattr(pipeline_module, "practice_parts", broken)
    result = publish([examples_dir], tmp_path)
    assert len(result.published) == 3
    (rejection,) = result.rejected
    assert rejection.message == (
        f'{rejection.where}: practice "Kota Surabaya, Kota Seribu Taman" withheld, '
        "1 violation: the source link (Sumber, dcterms:source) is missing"
    )
    dump = (tmp_path / "nualod.nt").read_text(encoding="utf-8")
    assert rejection.practice is not None and f"<{rejection.practice}>" not in dump


def test_a_warning_never_withholds(
    monkeypatch: pytest.MonkeyPatch, examples_dir: Path, tmp_path: Path
) -> None:
    """Practices without a Ringkasan are published, and the warnings are counted once each."""
    original = pipeline_module.practice_parts

    def broken(linked, iris, **options):  # type: ignore[no-untyped-def]
        parts = original(linked, iris, **options)
        terms, plain = _without(parts.terms, parts.plain, DCTERMS + "abstract")
        return parts._replace(terms=terms, plain=plain)

    monkeypatch.setattr(pipeline_module, "practice_parts", broken)
    result = publish([examples_dir], tmp_path)
    assert len(result.published) == 4 and not result.rejected
    assert result.warnings == 4
