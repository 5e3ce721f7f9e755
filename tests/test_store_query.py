"""``nualod query`` over the published store: SELECT, ASK, CONSTRUCT, files, errors."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from nualod.cli import main
from nualod.errors import QueryError, StoreError
from nualod.run.publish import PublishResult
from nualod.serve.sparql import format_result, run_query, uses_service
from nualod.write.store import build_store

PRACTICES = "SELECT ?p ?title WHERE { ?p a nua:GoodPractice ; dcterms:title ?title } ORDER BY ?p"


def test_select_as_table_csv_and_json(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    out, result = published_examples
    expected = sorted(result.published)
    table = runner.invoke(main, ["query", str(out), PRACTICES])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["p", "title"]
    assert [line.split()[0] for line in lines[2:]] == expected
    as_csv = runner.invoke(main, ["query", str(out), PRACTICES, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(as_csv.output)))
    assert rows[0] == ["p", "title"] and [r[0] for r in rows[1:]] == expected
    as_json = runner.invoke(main, ["query", str(out), PRACTICES, "--format", "json"])
    document = json.loads(as_json.output)
    assert document["head"]["vars"] == ["p", "title"]
    assert [b["p"]["value"] for b in document["results"]["bindings"]] == expected
    assert document["results"]["bindings"][0]["title"]["xml:lang"] == "id"


def test_ask_and_construct(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    out, result = published_examples
    ask = runner.invoke(main, ["query", str(out), "ASK { ?p a nua:GoodPractice }"])
    assert ask.output == "true\n"
    ask_json = runner.invoke(main, ["query", str(out), "ASK { <urn:x> ?p ?o }", "--format", "json"])
    assert json.loads(ask_json.output) == {"head": {}, "boolean": False}
    construct = runner.invoke(
        main,
        ["query", str(out), "CONSTRUCT { ?p a nua:GoodPractice } WHERE { ?p a nua:GoodPractice }"],
    )
    assert construct.exit_code == 0
    subjects = {q.subject.value for q in parse(construct.output, format=RdfFormat.N_TRIPLES)}
    assert subjects == set(result.published)
    as_jsonld = runner.invoke(
        main,
        ["query", str(out), "CONSTRUCT { ?p a nua:GoodPractice } WHERE { ?p a nua:GoodPractice }",
         "--format", "json"],
    )  # fmt: skip
    assert as_jsonld.output.endswith("]\n")  # one final newline, as every answer has
    assert {node["@id"] for node in json.loads(as_jsonld.output)} == set(result.published)


def test_query_from_a_file(
    published_examples: tuple[Path, PublishResult], runner: CliRunner, tmp_path: Path
) -> None:
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a nua:GoodPractice }\n", encoding="utf-8")
    result = runner.invoke(
        main, ["query", str(published_examples[0]), f"@{query}", "--format", "csv"]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == str(len(published_examples[1].published))


def test_a_syntax_error_exits_2_with_a_clear_message(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    result = runner.invoke(main, ["query", str(published_examples[0]), "SELECT ?x WHERE { ?x"])
    assert result.exit_code == 2
    assert result.output.startswith("error: SPARQL syntax error")
    with pytest.raises(QueryError):
        run_query(published_examples[0], "SELEKT")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            "SELECT ?t WHERE {\n  ?p a foo:Bar }",
            "SPARQL syntax error at 2:15: the prefix 'foo:' is not declared (add PREFIX foo: "
            "<IRI>; nualod declares dcat, dcterms, edtf, foaf, geo, nua, oa, owl, prov, rdf, "
            "rdfs, schema, sdg, sdgo, skos, unesco, unit, void, wd, xsd)",
        ),
        (
            "SELECT * { foo:x ?p ?o }",
            "SPARQL syntax error at 1:12: the prefix 'foo:' is not declared (add PREFIX foo: "
            "<IRI>; nualod declares dcat, dcterms, edtf, foaf, geo, nua, oa, owl, prov, rdf, "
            "rdfs, schema, sdg, sdgo, skos, unesco, unit, void, wd, xsd)",
        ),
        (
            'SELECT * { ?s ?p "a:b" } ORDER BY bar:f(?s) # c:d',
            "SPARQL syntax error at 1:35: the prefix 'bar:' is not declared (add PREFIX bar: "
            "<IRI>; nualod declares dcat, dcterms, edtf, foaf, geo, nua, oa, owl, prov, rdf, "
            "rdfs, schema, sdg, sdgo, skos, unesco, unit, void, wd, xsd)",
        ),
        (" \n", "SPARQL syntax error: the query is empty"),
    ],
    ids=["undeclared-prefix", "undeclared-prefix-subject", "undeclared-prefix-function", "empty"],
)
def test_a_syntax_error_says_what_a_user_can_mend(
    published_examples: tuple[Path, PublishResult], runner: CliRunner, query: str, said: str
) -> None:
    result = runner.invoke(main, ["query", str(published_examples[0]), query])
    assert result.exit_code == 2
    assert result.output == f"error: {said}\n"


def test_an_update_is_named_as_such(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    for update in (
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "# a comment\nPREFIX x: <urn:x#>\nDELETE WHERE { ?s x:p ?o }",
        "clear all",
    ):
        result = runner.invoke(main, ["query", str(published_examples[0]), update])
        assert (result.exit_code, result.stderr) == (
            2,
            "error: a SPARQL update is not run here: the store is read-only (SELECT, ASK, "
            "CONSTRUCT and DESCRIBE are); `nualod push` loads data into a store\n",
        ), update


def test_a_missing_store_or_query_file_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", str(tmp_path), "ASK {}"])
    assert result.exit_code == 2 and "not a nualod store" in result.output
    mistyped = runner.invoke(main, ["query", str(tmp_path / "nowhere"), "ASK {}"])
    assert (mistyped.exit_code, mistyped.output) == (
        2, f"error: {tmp_path / 'nowhere'}: no such folder\n"
    )  # fmt: skip
    missing = runner.invoke(main, ["query", str(tmp_path), f"@{tmp_path / 'none.rq'}"])
    assert missing.exit_code == 2 and "cannot read the query" in missing.output
    with pytest.raises(StoreError):
        run_query(tmp_path, "ASK {}")


def test_an_at_sign_alone_names_no_file(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    result = runner.invoke(main, ["query", str(published_examples[0]), "@"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: '@' names no file: give the query's file after it (@query.rq)\n",
    )


def test_build_store_replaces_an_older_store(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    nquads = published_examples[0] / "nualod.nq"
    small = tmp_path / "small.nq"
    small.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    target = tmp_path / "store"
    build_store(small, target)
    assert format_result(run_query(target, "ASK { <urn:a> ?p ?o }")) == "true\n"
    build_store(nquads, target)
    assert format_result(run_query(target, "ASK { <urn:a> ?p ?o }")) == "false\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.nq", "store"]


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answer any request with empty SPARQL results, remembering that it came."""

    seen: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.seen.append(self.path)
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("port", ["listening", "9"])
def test_a_federated_query_is_refused_and_sends_no_request(
    published_examples: tuple[Path, PublishResult], runner: CliRunner, port: str
) -> None:
    _Recorder.seen = []
    with http.server.HTTPServer(("127.0.0.1", 0), _Recorder) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            number = server.server_address[1] if port == "listening" else 9
            query = f"SELECT * {{ SERVICE <http://127.0.0.1:{number}/x> {{ ?s ?p ?o }} }}"
            result = runner.invoke(main, ["query", str(published_examples[0]), query])
        finally:
            server.shutdown()
    assert result.exit_code == 2, result.output
    assert "federated queries (SERVICE) are not allowed" in result.output
    assert _Recorder.seen == []
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(published_examples[0], query.replace("SERVICE", "service silent"))


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * { Service Silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * { ?s ?p ?o .SERVICE<http://x/>{} }", True),
        ("SELECT * { FILTER(?a<?b) SERVICE ?g { ?s ?p ?o } }", True),
        ("SELECT * { ?s ex:a\\#b ?o SERVICE <http://x/> {} }", True),  # escaped '#' is no comment
        ('SELECT * { ?s ?p "a\\"b" SERVICE <http://x/> {} }', True),  # escaped quote in a string
        ("SELECT * { \\u0053ERVICE <http://x/> {} }", True),  # a \u escape of the keyword
        ("SELECT * { ?s ?p 'SERVICE' , \"service\" , '''x''' }", False),
        ('SELECT * { ?s ?p """a "" SERVICE""" }', False),
        ("SELECT * { ?s ?p <http://x/SERVICE> } # SERVICE <http://x/> {}", False),
        ("SELECT ?service { ?service ex:service service:x }", False),
    ],
)
def test_the_service_keyword_is_found_as_a_token(query: str, refused: bool) -> None:
    assert uses_service(query) is refused


@pytest.mark.parametrize("problem", [OSError("store gone"), RuntimeError("evaluation failed")])
def test_store_failures_become_query_errors(
    published_examples: tuple[Path, PublishResult],
    monkeypatch: pytest.MonkeyPatch,
    problem: Exception,
) -> None:
    class Broken:
        def query(self, *args: object, **kwargs: object) -> object:
            raise problem

    monkeypatch.setattr("nualod.serve.sparql.open_store", lambda path: Broken())
    with pytest.raises(QueryError, match="the query failed"):
        run_query(published_examples[0], "ASK {}")


GRAPH = "https://w3id.org/nualod/id/graph/"
#: Queries that name their dataset, and what each counts: the triples of these graphs (their
#: RDF merge) or of these named graphs (SPARQL 1.1 Query §13.2: with FROM NAMED alone, the
#: default graph is empty).
DATASET_QUERIES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}alignments> {{ ?s ?p ?o }}", ("alignments",), ()),
    (
        f"PREFIX g: <{GRAPH}> SELECT (COUNT(*) AS ?n) FROM g:alignments FROM g:vocabulary "
        "{ ?s ?p ?o }",
        ("alignments", "vocabulary"),
        (),
    ),
    ("SELECT (COUNT(*) AS ?n) FROM <urn:no-such-graph> { ?s ?p ?o }", (), ()),
    (f"SELECT (COUNT(*) AS ?n) from named <{GRAPH}reference> {{ ?s ?p ?o }}", (), ()),
    (
        f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}reference> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        (),
        ("reference",),
    ),
    # A query that names none (the word elsewhere): the union of the named graphs.
    (
        'SELECT (COUNT(*) AS ?n) { ?s ?p ?o MINUS { ?s <urn:from> "from" } } # FROM <urn:x>',
        ("*",),
        (),
    ),
]


def dataset_count(out: Path, merged: tuple[str, ...], named: tuple[str, ...]) -> int:
    """Count from the dump what a query over these graphs, merged or named, counts."""
    triples: set[tuple[str, str, str]] = set()
    quads = 0
    with (out / "nualod.nq").open("rb") as dump:
        for quad in parse(dump, format=RdfFormat.N_QUADS):
            name = quad.graph_name.value.removeprefix(GRAPH)  # type: ignore[union-attr]
            if "*" in merged or name in merged:
                triples.add((str(quad.subject), str(quad.predicate), str(quad.object)))
            quads += name in named
    return len(triples) + quads


@pytest.mark.parametrize(("query", "merged", "named"), DATASET_QUERIES)
def test_a_query_that_names_its_dataset_runs_over_that_dataset(
    published_examples: tuple[Path, PublishResult],
    runner: CliRunner,
    query: str,
    merged: tuple[str, ...],
    named: tuple[str, ...],
) -> None:
    """``FROM`` and ``FROM NAMED`` give the dataset; the union of the graphs is the default
    only for a query that names none (Oxigraph's union mode ran every query over it)."""
    out = published_examples[0]
    expected = dataset_count(out, merged, named)
    answer = runner.invoke(main, ["query", str(out), query, "--format", "csv"])
    assert answer.exit_code == 0, answer.output
    assert answer.output.splitlines() == ["n", str(expected)]
    (row,) = run_query(out, query).rows
    assert int(row[0].value) == expected


def test_a_syntax_error_leaves_out_the_parser_s_character_classes(
    published_examples: tuple[Path, PublishResult], runner: CliRunner
) -> None:
    """Oxigraph lists the Unicode ranges of a name among what it expected: one line of 510
    characters for a query cut short (CLI review)."""
    result = runner.invoke(main, ["query", str(published_examples[0]), "SELECT ?x WHERE {"])
    assert (result.exit_code, result.output) == (
        2,
        'error: SPARQL syntax error: error at 1:18 (the end of the query): expected one of "$", '
        '"\'", "\'\'\'", "(", "+", "-", ".", ":", "<", "<<", "<<(", "?", "[", "\\"", '
        '"\\"\\"\\"", "_:", "false", "true", "{", "}"\n',
    )
    result = runner.invoke(main, ["query", str(published_examples[0]), "SELEC ?x"])
    assert result.output == (
        "error: SPARQL syntax error: error at 1:9 (the end of the query): expected one of "
        "DESCRIBE\n"
    )
