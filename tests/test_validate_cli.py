"""``nualod validate``: exact text for typical problems, and every exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from nualod.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
PRACTICE = "https://w3id.org/nualod/id/practice/10-47-33.75-x"
FAST = "engine: fast (nualod's compiled SHACL; same results as pySHACL)"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    """Run ``nualod validate``; return the exit code, stdout and stderr."""
    result = runner.invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def fixture(name: str) -> str:
    """Return the path of a fixture graph."""
    return str(FIXTURES / name)


def test_a_date_that_is_not_a_date(runner: CliRunner) -> None:
    """A bad date is a violation, said in words with the value; exit code 1."""
    code, out, err = run(runner, fixture("practice-bad-date.ttl"))
    assert code == 1
    assert err == ""
    assert out == (
        'practice "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"\n'
        "  page: https://habitatidn.id/nuf/praktik-baik/1\n"
        f"  iri:  {PRACTICE}\n"
        "  violation: the date (dcterms:issued) is not a date: '2025-13-01'\n"
        "\n"
        f"{fixture('practice-bad-date.ttl')}: does not conform: 1 violation, 0 warnings, 0 info\n"
        f"{FAST}\n"
    )


def test_a_missing_ringkasan(runner: CliRunner) -> None:
    """A missing Ringkasan is a warning: it conforms (exit code 0), the warning is counted."""
    code, out, _ = run(runner, fixture("practice-no-abstract.ttl"))
    assert code == 0
    assert out == (
        'practice "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"\n'
        "  page: https://habitatidn.id/nuf/praktik-baik/1\n"
        f"  iri:  {PRACTICE}\n"
        "  warning: Ringkasan (dcterms:abstract) is missing\n"
        "\n"
        f"{fixture('practice-no-abstract.ttl')}: conforms: 0 violations, 1 warning, 0 info\n"
        f"{FAST}\n"
    )


def test_a_practice_read_from_no_known_page_shows_no_page_but_its_sources(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A source the page cites is not the page the practice was read from."""
    data = tmp_path / "no-page.ttl"
    turtle = Path(fixture("practice-bad-date.ttl")).read_text(encoding="utf-8")
    data.write_text(
        turtle.replace(
            "dcterms:source <https://pekalongankota.go.id/berita/1> ;\n"
            "    prov:wasDerivedFrom <https://habitatidn.id/nuf/praktik-baik/1> .",
            "dcterms:source <https://pekalongankota.go.id/berita/1> .",
        ),
        encoding="utf-8",
    )
    code, out, _ = run(runner, str(data))
    assert code == 1
    assert out.splitlines()[:3] == [
        'practice "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"',
        f"  iri:  {PRACTICE}",
        "  violation: the date (dcterms:issued) is not a date: '2025-13-01'",
    ]


def test_valid_graph_exits_0(runner: CliRunner) -> None:
    """A valid graph conforms with nothing to say but the summary."""
    code, out, _ = run(runner, fixture("valid.ttl"))
    assert (code, out) == (
        0,
        f"{fixture('valid.ttl')}: conforms: 0 violations, 0 warnings, 0 info\n{FAST}\n",
    )


def test_the_engine_is_chosen_by_publishs_name_for_it_too(runner: CliRunner) -> None:
    """``publish --validator pyshacl`` and ``validate --validator pyshacl`` (a user's guess;
    it was "No such option") name the same engine as ``validate --engine pyshacl``."""
    by_engine = run(runner, "--engine", "pyshacl", fixture("valid.ttl"))
    assert run(runner, "--validator", "pyshacl", fixture("valid.ttl")) == by_engine
    assert by_engine[1].endswith("\nengine: pySHACL\n")


def test_fail_on_warning_exits_1(runner: CliRunner) -> None:
    """With --fail-on warning, a warning fails the run; info still does not."""
    assert run(runner, "--fail-on", "warning", fixture("practice-no-abstract.ttl"))[0] == 1
    assert run(runner, "--fail-on", "warning", fixture("practice-no-page.ttl"))[0] == 0
    assert run(runner, "--fail-on", "info", fixture("practice-no-page.ttl"))[0] == 1
    assert run(runner, "--fail-on", "warning", fixture("valid.ttl"))[0] == 0


def test_broken_file_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    """A file that is not RDF at all: exit code 2 and one line naming it and the position."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not RDF at all\n", encoding="utf-8")
    code, out, err = run(runner, fixture("valid.ttl"), str(broken))
    assert code == 2
    assert out == ""
    assert err == f"error: {broken}: line 1, column 1: this is not a valid subject or graph name\n"


def test_unreadable_shapes_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    """Shapes that do not parse, or a folder without shapes, exit with code 2."""
    (tmp_path / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#>\n")
    code, _, err = run(runner, "--shapes", str(tmp_path), fixture("valid.ttl"))
    assert code == 2 and err.startswith("error: shapes: ") and "line 2" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(runner, "--shapes", str(empty), fixture("valid.ttl"))
    assert (code, err) == (2, f"error: {empty}: no .ttl shapes found\n")
    missing = tmp_path / "nope"
    code, _, err = run(runner, "--shapes", str(missing), fixture("valid.ttl"))
    assert (code, err) == (2, f"error: {missing}: no such file or folder of shapes\n")


def test_own_shapes_folder(runner: CliRunner, tmp_path: Path) -> None:
    """--shapes replaces the shipped shapes."""
    (tmp_path / "title.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ;\n"
        "  sh:targetClass <https://w3id.org/nualod/def#GoodPractice> ;\n"
        "  sh:property [ sh:path <http://purl.org/dc/terms/title> ; sh:maxLength 5 ;\n"
        '    sh:message "the title is too long"@en ] .\n',
        encoding="utf-8",
    )
    code, out, _ = run(runner, "--shapes", str(tmp_path), fixture("practice-no-abstract.ttl"))
    assert code == 1
    assert (
        "  violation: the title is too long: 'Kota Pekalongan, Kota Kerajinan dan Seni Rakyat'\n"
        in out
    )


def test_json_output(runner: CliRunner) -> None:
    """--format json prints the documented, stable JSON."""
    code, out, _ = run(runner, "--format", "json", fixture("practice-bad-date.ttl"))
    assert code == 1
    data = json.loads(out)
    assert data["schema"] == "nualod-validation-report/1"
    assert data["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    assert data["conforms"] is False
    (group,) = data["groups"]
    assert group["focus_node"] == PRACTICE and group["kind"] == "practice"
    (result,) = group["results"]
    assert result["severity"] == "Violation"
    assert result["path"] == "http://purl.org/dc/terms/issued"
    assert result["value"] == "2025-13-01"
    assert result["messages"]["id"] == "tanggal (dcterms:issued) bukan tanggal yang sah"


def test_turtle_output(runner: CliRunner) -> None:
    """--format turtle prints a standard sh:ValidationReport."""
    code, out, _ = run(runner, "--format", "turtle", fixture("practice-no-abstract.ttl"))
    assert code == 0
    graph = Graph().parse(data=out, format="turtle")
    report = next(graph.subjects(None, SH.ValidationReport))
    assert str(graph.value(report, SH.conforms)) == "true"
    result = next(graph.objects(report, SH.result))
    assert graph.value(result, SH.resultSeverity) == SH.Warning


def test_jsonld_and_nquads_inputs(runner: CliRunner, tmp_path: Path) -> None:
    """JSON-LD (inline context) and N-Quads are read by their suffix."""
    (tmp_path / "a.jsonld").write_text(
        json.dumps(
            {
                "@context": {"dct": "http://purl.org/dc/terms/"},
                "@id": PRACTICE,
                "@type": "https://w3id.org/nualod/def#GoodPractice",
                "dct:title": {"@value": "Judul", "@language": "id"},
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run(runner, str(tmp_path / "a.jsonld"))
    assert code == 1
    assert "  violation: the date (dcterms:issued) is missing\n" in out
    (tmp_path / "b.nq").write_text(
        f'<{PRACTICE}> <http://purl.org/dc/terms/issued> "x" <https://example.org/g> .\n',
        encoding="utf-8",
    )
    code, out, _ = run(runner, str(tmp_path / "b.nq"))
    assert code == 0 and out.endswith(f"conforms: 0 violations, 0 warnings, 0 info\n{FAST}\n")


def test_turtle_report_of_an_ill_typed_date_prints_no_traceback(
    tmp_path: Path, runner: CliRunner, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "bad-date.ttl"
    data.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix nua: <https://w3id.org/nualod/def#> .\n"
        '<https://example.org/p> a nua:GoodPractice ; dcterms:issued "2025-13-01"^^xsd:date .\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(data), "--format", "turtle"])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "sh:ValidationReport" in result.stdout
    # rdflib logs (with a traceback) each ill-typed literal it meets, unless nualod quiets it.
    assert [r.getMessage()[:40] for r in caplog.records if r.name.startswith("rdflib")] == []


def test_a_term_longer_than_the_reader_takes_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    huge = tmp_path / "huge.nt"
    huge.write_text(f'<http://ex/a> <http://ex/b> "{"x" * (17 << 20)}" .\n', encoding="utf-8")
    assert run(runner, str(huge)) == (
        2,
        "",
        f"error: {huge}: a term (a literal or an IRI) longer than the 16 MiB the RDF reader "
        "takes\n",
    )


def test_shapes_with_a_term_longer_than_the_reader_takes_are_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data.nt"
    data.write_text("<http://ex/a> <http://ex/b> <http://ex/c> .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(f'<http://ex/S> <http://ex/d> "{"x" * (17 << 20)}" .\n', encoding="utf-8")
    assert run(runner, str(data), "--shapes", str(shapes)) == (
        2,
        "",
        f"error: shapes: {shapes}: a term (a literal or an IRI) longer than the 16 MiB the RDF "
        "reader takes\n",
    )


def test_a_reader_that_stops_early_leaves_the_verdict(tmp_path: Path) -> None:
    """``validate … | head``: no error, and the exit code says what the report says. The
    reader is gone before the report is written (validating takes a second): the first
    write finds the pipe broken."""
    from nualod.run.publish import publish

    publish([Path(__file__).resolve().parent.parent / "examples" / "pages"], tmp_path / "out")
    command = [sys.executable, "-m", "nualod", "validate", "--all", "--format", "json"]
    with subprocess.Popen(
        [*command, str(tmp_path / "out" / "nualod.nq")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        assert (process.wait(timeout=120), stderr) == (0, b"")
