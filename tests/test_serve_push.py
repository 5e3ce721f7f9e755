"""``serve`` and ``push`` against real Oxigraph servers on 127.0.0.1."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from oxigraph_server import (
    DroppingProxy,
    Server,
    free_port,
    oxigraph_server,
    sparql_select,
)

from nualod.cli import main
from nualod.errors import StoreError, UsageError
from nualod.model.iris import DataIRIs
from nualod.run.publish import PublishResult
from nualod.serve.push import derive_endpoints, graph_term, push
from nualod.serve.server import is_loopback, serve_command

pytestmark = pytest.mark.slow

DATASET = DataIRIs().dataset()
COUNT_IN_TARGET = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATASET}> {{ ?s ?p ?o }} }}"
PRACTICES = (
    f"SELECT ?p WHERE {{ GRAPH <{DATASET}> {{ ?p a <https://w3id.org/nualod/def#GoodPractice> }} }} "
    "ORDER BY ?p"
)
ALL_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """Start a read-write Oxigraph server with an empty store in a temporary folder."""
    with oxigraph_server(tmp_path / "oxigraph") as started:
        yield started


def _count(server: Server) -> int:
    return int(sparql_select(server.url, COUNT_IN_TARGET)[0]["n"])


def _union_size(out: Path) -> int:
    import rdflib

    return len(rdflib.Graph().parse(out / "nualod.nt", format="nt"))


def test_serve_answers_sparql_over_http_and_rejects_updates(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, result = published_examples
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with Server(command, port) as served:
        rows = sparql_select(
            served.url,
            "SELECT ?p WHERE { ?p a <https://w3id.org/nualod/def#GoodPractice> } ORDER BY ?p",
        )
        assert [row["p"] for row in rows] == sorted(result.published)
        with requests.post(
            served.url + "/update",
            data="INSERT DATA { <urn:x> <urn:y> <urn:z> }",
            headers={"Content-Type": "application/sparql-update"},
            timeout=10,
        ) as update:
            assert update.status_code >= 400
        assert not sparql_select(served.url, "SELECT * WHERE { <urn:x> ?p ?o }")


def test_serve_without_a_store_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a nualod store" in result.output


def test_push_loads_the_examples_and_a_second_push_replaces(
    published_examples: tuple[Path, PublishResult], server: Server, runner: CliRunner
) -> None:
    out, result = published_examples
    first = runner.invoke(main, ["push", str(out), "--endpoint", server.url + "/store"])
    assert first.exit_code == 0, first.output
    assert f"into <{DATASET}>" in first.output
    assert [row["p"] for row in sparql_select(server.url, PRACTICES)] == sorted(result.published)
    size = _union_size(out)
    assert _count(server) == size
    second = runner.invoke(main, ["push", str(out), "--endpoint", server.url])
    assert second.exit_code == 0, second.output
    assert _count(server) == size  # replaced, not duplicated or appended
    graphs = {row["g"]: int(row["n"]) for row in sparql_select(server.url, ALL_GRAPHS)}
    assert graphs == {DATASET: size}  # no temporary graph left behind


def test_push_replaces_changed_content(
    published_examples: tuple[Path, PublishResult], server: Server
) -> None:
    out, _ = published_examples
    with requests.put(
        server.url + "/store",
        params={"graph": DATASET},
        data=b"<urn:old> <urn:p> <urn:o> .\n",
        headers={"Content-Type": "application/n-triples"},
        timeout=10,
    ) as seeded:
        assert seeded.ok
    push(out, server.url + "/store")
    assert not sparql_select(
        server.url, f"SELECT * WHERE {{ GRAPH <{DATASET}> {{ <urn:old> ?p ?o }} }}"
    )
    assert _count(server) == _union_size(out)


def test_a_push_cut_during_the_upload_keeps_the_previous_graph(
    published_examples: tuple[Path, PublishResult], server: Server, runner: CliRunner
) -> None:
    out, _ = published_examples
    push(out, server.url + "/store", graph="urn:example:target")
    before = int(
        sparql_select(
            server.url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:example:target> { ?s ?p ?o } }"
        )[0]["n"]
    )
    assert before > 0
    with DroppingProxy(server.port, limit=64 * 1024) as proxy:
        result = runner.invoke(
            main,
            [
                "push",
                str(out),
                "--endpoint",
                proxy.url + "/store",
                "--graph",
                "urn:example:target",
                "--retries",
                "0",
            ],
        )
    assert proxy.cut >= 1  # the upload really was cut
    assert result.exit_code == 2
    assert "push failed; graph <urn:example:target> left as it was" in result.output
    assert "uploading the dump failed" in result.output
    after = sparql_select(
        server.url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:example:target> { ?s ?p ?o } }"
    )
    assert int(after[0]["n"]) == before
    graphs = {row["g"] for row in sparql_select(server.url, ALL_GRAPHS)}
    assert "urn:example:target" in graphs


def test_a_store_lost_between_upload_and_move_keeps_the_previous_graph(
    published_examples: tuple[Path, PublishResult], server: Server
) -> None:
    out, _ = published_examples
    push(out, server.url + "/store")
    before = _count(server)
    closed = f"http://127.0.0.1:{free_port()}/update"
    with pytest.raises(StoreError, match="did not confirm replacing") as caught:
        push(out, server.url + "/store", update_endpoint=closed, retries=2, sleep=lambda _: None)
    assert "replacing the graph failed" in str(caught.value)
    assert _count(server) == before


def test_push_shows_the_endpoints_error_body_and_never_the_credentials(
    published_examples: tuple[Path, PublishResult], server: Server, runner: CliRunner
) -> None:
    out, _ = published_examples
    result = runner.invoke(
        main,
        [
            "push",
            str(out),
            "--endpoint",
            server.url + "/store",
            "--update-endpoint",
            server.url + "/query",  # answers a SPARQL Update with an error
            "--retries",
            "0",
        ],
        env={"NUALOD_PUSH_USER": "someone", "NUALOD_PUSH_PASSWORD": "s3cret-value"},
    )
    assert result.exit_code == 2
    assert re.search(r"HTTP 4\d\d: \S", result.output), result.output
    assert "s3cret-value" not in result.output


INJECTION = "http://evil.example/g> ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #"


@pytest.mark.parametrize("graph", [INJECTION, "not an iri", "relative/graph", "urn:a{b}"])
def test_push_refuses_a_graph_that_is_not_a_safe_iri_and_leaves_the_store_alone(
    published_examples: tuple[Path, PublishResult], server: Server, runner: CliRunner, graph: str
) -> None:
    out, _ = published_examples
    push(out, server.url + "/store", graph="urn:example:kept")
    before = {row["g"]: row["n"] for row in sparql_select(server.url, ALL_GRAPHS)}
    assert before
    result = runner.invoke(
        main, ["push", str(out), "--endpoint", server.url + "/store", "--graph", graph]
    )
    assert result.exit_code == 2, result.output
    assert "--graph" in result.output and "Traceback" not in result.output
    assert {row["g"]: row["n"] for row in sparql_select(server.url, ALL_GRAPHS)} == before
    with pytest.raises(UsageError, match=r"^graph: not a"):
        push(out, server.url + "/store", graph=graph)


def test_a_dataset_iri_from_the_catalog_is_checked_too() -> None:
    assert graph_term("urn:example:g", "catalog.ttl") == "<urn:example:g>"
    with pytest.raises(StoreError, match=r"catalog\.ttl"):
        graph_term("urn:x> ; DROP ALL #", "catalog.ttl")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.1.2.3", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.2", False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_hosts_count_as_local(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_a_public_host_unless_allowed(
    published_examples: tuple[Path, PublishResult],
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, _ = published_examples
    calls: list[tuple[str, bool]] = []

    def fake_serve(path: Path, host: str, port: int, **kwargs: bool) -> int:
        calls.append((host, kwargs.get("allow_public", False)))
        return 0

    monkeypatch.setattr("nualod.serve.server.serve", fake_serve)
    refused = runner.invoke(main, ["serve", str(out), "--host", "0.0.0.0"])
    assert refused.exit_code == 2
    assert "--allow-public" in refused.output and calls == []
    with pytest.raises(UsageError, match="--allow-public"):
        serve_command(out, "0.0.0.0")
    allowed = runner.invoke(main, ["serve", str(out), "--host", "0.0.0.0", "--allow-public"])
    assert allowed.exit_code == 0, allowed.output
    assert calls == [("0.0.0.0", True)]
    assert "executes federated SERVICE queries" in allowed.stderr
    assert serve_command(out, "0.0.0.0", allow_public=True)[-2] == "0.0.0.0:7878"
    assert serve_command(out, "::1")[-2] == "[::1]:7878"


def test_push_without_dump_or_graph_fails_clearly(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["push", str(tmp_path), "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 2
    assert "no dump to push" in result.output


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("http://h:7878/", ("http://h:7878/store", "http://h:7878/update")),
        ("http://h:7878/store", ("http://h:7878/store", "http://h:7878/update")),
        ("http://h:3030/ds/data", ("http://h:3030/ds/data", "http://h:3030/ds/update")),
    ],
)
def test_update_endpoint_is_derived_by_convention(endpoint: str, expected: tuple[str, str]) -> None:
    assert derive_endpoints(endpoint) == expected


def test_an_unknown_endpoint_layout_asks_for_the_update_endpoint() -> None:
    with pytest.raises(StoreError, match=r"give update_endpoint$"):
        derive_endpoints("http://h/sparql/graphs")
    assert derive_endpoints("http://h/g", "http://h/u") == ("http://h/g", "http://h/u")


def test_the_oxigraph_binary_is_found() -> None:
    from nualod.serve.server import find_oxigraph

    completed = subprocess.run(
        [find_oxigraph(), "--version"], capture_output=True, text=True, check=True
    )
    assert "oxigraph" in completed.stdout.lower()
