"""``nualod validate`` over an on-disk store: the same results as pySHACL, on any file.

The fast engine reads the graph from a temporary Oxigraph store batch by batch
(:mod:`nualod.validate.stream`); pySHACL reads it whole, in memory. Both must give the same
results on published dumps (grouped by subject or shuffled, one file or several), on the
shape fixtures, and on the generated shapes and data of the differential test. Also: the
report says which engine ran and why pySHACL ran, JSON-LD with a shipped remote context
validates offline, other remote contexts are refused, and the hints about nualod's own
reference data are counted apart.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store, parse, serialize
from rdflib import Graph

from bench.generate import write_pages
from nualod.cli import main
from nualod.errors import RDFSyntaxError, UnsupportedShapesError
from nualod.run.publish import publish
from nualod.validate.fast import CompiledShapes
from nualod.validate.shacl import ValidationReport, default_shapes_graph
from nualod.validate.stream import (
    KEPT_NAMESPACE,
    XSD_NAMESPACE,
    KeptLiterals,
    load_store,
    split_reference_info,
    validate_files,
    validate_store,
)
from tests import test_fastshacl_generated as generated

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"


def _blanks(report: ValidationReport) -> set[str]:
    """Return the blank node ids a report shows (generated ids: long, no colon, no space)."""

    def blank(text: str) -> bool:
        return len(text) >= 16 and ":" not in text and " " not in text

    return {r.focus_node for r in report.results if blank(r.focus_node)} | {
        r.value for r in report.results if r.value_kind == "blank" and r.value
    }


def _alike(one: ValidationReport, other: ValidationReport, context: str = "") -> None:
    """Assert two reports agree result for result (blank node ids made alike: the store's
    bulk loader, rdflib's parser and pyoxigraph's each name blank nodes their own way)."""
    assert generated._all(one, _blanks(one)) == generated._all(other, _blanks(other)), context
    assert generated._nodes(one, _blanks(one)) == generated._nodes(other, _blanks(other)), context


def _same(fast: ValidationReport, slow: ValidationReport) -> None:
    """Assert the fast engine's report is pySHACL's."""
    _alike(fast, slow)
    assert (fast.engine, slow.engine) == ("fast", "pyshacl")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of a publish of 120 generated practices."""
    folder = tmp_path_factory.mktemp("published")
    pages = write_pages(folder / "pages", 120)
    publish(sorted(p for p in pages.rglob("*.txt")), folder / "out")
    return folder / "out"


def _broken(published: Path, tmp_path: Path) -> Path:
    """Return the dump with problems added: bad values, non-canonical literals, a stray node."""
    extra = """
    @prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix nua: <https://w3id.org/nualod/def#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
    <https://example.org/p1> a nua:GoodPractice ; dcterms:issued "2025-13-01"^^xsd:date ,
        "2025-01-01"^^xsd:date ; dcterms:title "Judul" ; nua:theme <https://example.org/t> ;
        dcterms:spatial [ a nua:Kota ] .
    <https://example.org/d> a dcat:Distribution ; dcat:byteSize "0012"^^xsd:nonNegativeInteger .
    """
    triples = [q.triple for q in parse(path=published / "nualod.nq", format=RdfFormat.N_QUADS)]
    triples += [q.triple for q in parse(extra.encode(), format=RdfFormat.TURTLE)]
    path = tmp_path / "broken.nt"
    path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
    return path


def test_a_published_dump_as_pyshacl_sees_it(published: Path) -> None:
    dump = published / "nualod.nq"
    fast = validate_files([dump], reference_info=True)
    slow = validate_files([dump], engine="pyshacl", reference_info=True)
    _same(fast, slow)
    assert fast.count("Info") > 0  # something to compare


@pytest.mark.parametrize(
    "name",
    ["nualod.jsonld", "nualod.ttl", "nualod.nt", "catalog.jsonld", "catalog.ttl", "void.ttl"],
)
def test_every_rdf_file_publish_writes_as_pyshacl_sees_it(published: Path, name: str) -> None:
    """Each syntax goes through the store its own way: JSON-LD's context names XSD
    datatypes by the ``xsd:`` prefix, which must expand to the same datatypes."""
    path = published / name
    fast = validate_files([path], reference_info=True)
    _same(fast, validate_files([path], engine="pyshacl", reference_info=True))
    assert fast.conforms, [r.message for r in fast.results if r.severity == "Violation"][:3]


def test_a_broken_shuffled_dump_in_two_files(published: Path, tmp_path: Path) -> None:
    # Not grouped by subject, and split in two: the store finds each node's triples.
    lines = _broken(published, tmp_path).read_bytes().splitlines(keepends=True)
    random.Random(3).shuffle(lines)
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_bytes(b"".join(lines[: len(lines) // 2]))
    second.write_bytes(b"".join(lines[len(lines) // 2 :]))
    fast = validate_files([first, second], reference_info=True)
    slow = validate_files([first, second], engine="pyshacl", reference_info=True)
    _same(fast, slow)
    constraints = {r.constraint for r in fast.results if r.severity == "Violation"}
    assert {"DatatypeConstraintComponent", "MaxCountConstraintComponent"} <= constraints


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.ttl")))
def test_every_shape_fixture(name: str) -> None:
    path = FIXTURES / name
    _same(
        validate_files([path], reference_info=True),
        validate_files([path], engine="pyshacl", reference_info=True),
    )


def test_literals_keep_their_spelling_in_the_store(tmp_path: Path) -> None:
    # Oxigraph would store "0012"^^xsd:nonNegativeInteger as "12"^^xsd:integer.
    path = tmp_path / "d.ttl"
    path.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . "
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/d> a dcat:Distribution ; dcat:byteSize "0012"^^xsd:nonNegativeInteger ,'
        ' "1e3"^^xsd:double .\n',
        encoding="utf-8",
    )
    fast = validate_files([path])
    _same(fast, validate_files([path], engine="pyshacl"))
    # "0012" is a valid xsd:nonNegativeInteger (as rdflib has it, "12"); the double is not
    # an integer, and rdflib spells it "1000.0".
    assert {r.value_n3 for r in fast.results if r.path and r.path.endswith("byteSize")} == {
        f'"1000.0"^^<{XSD_NAMESPACE}double>'
    }


def test_kept_literals_reader_replaces_across_chunk_ends() -> None:
    data = (b'"1"^^<http://www.w3.org/2001/XMLSchema#integer> . ' * 70_000) + b"XMLSchema"
    for size in (1, 33, 1000, 1 << 16):
        reader = io.BufferedReader(KeptLiterals(io.BytesIO(data)), buffer_size=size)
        assert reader.read() == data.replace(XSD_NAMESPACE.encode(), KEPT_NAMESPACE.encode())


def _seeds() -> Iterator[int]:
    yield from range(0, 400, 5)


def test_generated_shapes_and_data_through_the_store(tmp_path: Path) -> None:
    compared = 0
    for seed in _seeds():
        rng = random.Random(seed)
        shapes_text, data_text = generated.shapes_graph(rng), generated.data_graph(rng)
        shapes = Graph().parse(data=shapes_text, format="turtle")
        try:
            engine = CompiledShapes(shapes)
        except UnsupportedShapesError:
            continue
        path = tmp_path / f"{seed}.ttl"
        path.write_text(data_text, encoding="utf-8")
        triples = [
            q.triple for q in parse(path=path, format=RdfFormat.TURTLE, rename_blank_nodes=True)
        ]
        try:
            in_memory = engine.validate(triples)
        except Exception:  # the cases pySHACL stops on too
            continue
        store = Store()
        load_store([path], store)
        through_store = validate_store(store, engine, batch_size=3)
        _alike(through_store, in_memory, f"seed {seed}")
        if not _blanks(in_memory):
            assert through_store.results == in_memory.results, f"seed {seed}"
        compared += 1
    assert compared >= 60


def test_reference_data_hints_are_counted_apart(published: Path) -> None:
    dump = published / "nualod.nq"
    everything = validate_files([dump], reference_info=True)
    shown = validate_files([dump])
    assert shown.reference_info > 0
    assert len(shown.results) + shown.reference_info == len(everything.results)
    assert shown == split_reference_info(everything)
    assert all(r.severity == "Info" for r in everything.results if r not in shown.results)


def test_cli_on_clean_output(published: Path, runner: CliRunner) -> None:
    dump = str(published / "nualod.nq")
    shown = validate_files([published / "nualod.nq"])
    result = runner.invoke(main, ["validate", dump], catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert lines[-3] == (
        f"{shown.reference_info} info about nualod's reference data not shown; --all to show"
    )
    assert lines[-1] == "engine: fast (nualod's compiled SHACL; same results as pySHACL)"
    assert result.stderr == ""
    every = runner.invoke(main, ["validate", "--all", "--format", "json", dump])
    data = json.loads(every.stdout)
    assert (data["engine"], data["fallback"], data["reference_info"]) == ("fast", None, 0)


def test_our_schema_org_file_validates_offline(published: Path, runner: CliRunner) -> None:
    path = published / "dataset.jsonld"
    assert json.loads(path.read_text())["@context"] == "https://schema.org/"
    result = runner.invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        f"{path}: conforms: 0 violations, 0 warnings, 0 info\n"
        "engine: fast (nualod's compiled SHACL; same results as pySHACL)\n"
    )
    # Read with schema.org's own context: its terms are http://schema.org/ IRIs.
    fast = validate_files([path], reference_info=True)
    assert fast.results == validate_files([path], engine="pyshacl").results


def test_other_remote_contexts_are_refused(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://example.org/ctx", "name": "x"}))
    for engine in ("fast", "pyshacl"):
        with pytest.raises(RDFSyntaxError, match="remote"):
            validate_files([path], engine=engine)
    result = runner.invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {path}: the JSON-LD @context is remote; nualod never fetches contexts, "
        "embed it inline\n",
    )


def test_shapes_the_fast_engine_cannot_compile(tmp_path: Path, runner: CliRunner) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ;\n"
        "  sh:targetClass <https://w3id.org/nualod/def#GoodPractice> ;\n"
        "  sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o } LIMIT 0' ] .\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", "--shapes", str(shapes), str(FIXTURES / "valid.ttl")])
    reason = "the shapes use http://www.w3.org/ns/shacl#sparql, which is not compiled"
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"note: the fast engine cannot compile these shapes ({reason}); pySHACL validated them\n"
    )
    assert result.stdout.splitlines()[-1] == (
        f"engine: pySHACL (the fast engine cannot compile these shapes: {reason})"
    )
    turtle = runner.invoke(
        main,
        ["validate", "--shapes", str(shapes), "--format", "turtle", str(FIXTURES / "valid.ttl")],
    )
    assert turtle.stdout.startswith(
        f"# engine: pySHACL (the fast engine cannot compile these shapes: {reason})\n"
    )


def test_the_shipped_shapes_compile() -> None:
    CompiledShapes(default_shapes_graph())


def test_two_worker_processes_give_the_same_report(published: Path, tmp_path: Path) -> None:
    # Large files are checked in two processes (each with the store open read-only).
    broken = _broken(published, tmp_path)
    one = validate_files([broken], workers=1)
    two = validate_files([broken], workers=2)
    _alike(two, one)
    assert two.count("Violation") == one.count("Violation") > 0


def test_the_store_is_validated_read_only_once_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers open the store read-only; while this process kept a writer open,
    RocksDB's compactions deleted files they had yet to read (one validation of 100,000
    practices failed with ``FileNotFoundError: …/000123.sst``)."""
    from nualod.validate import stream

    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/a> a <https://example.org/Thing> .\n", encoding="utf-8")
    refused: list[str] = []

    def validating(store: Store, *args: object, **kwargs: object) -> ValidationReport:
        try:
            store.add(next(iter(store)))
        except RuntimeError as error:
            refused.append(str(error))
        return validate_store(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream, "validate_store", validating)
    validate_files([data, data], workers=2)
    assert refused == ["Transaction are only possible on read-write instances"]
