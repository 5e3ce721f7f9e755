"""``nualod serve``: the site, data IRIs by Accept, SPARQL through the front, and operations.

The server runs as a real process on 127.0.0.1 (``python -m nualod serve``), over a
publish of the bundled examples with a site that follows the paths contract.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

import pytest
import requests
from cache_matrix import CACHE_MATRIX, age_cached_files, assert_cache_row
from click.testing import CliRunner
from conneg_matrix import CONTEXT_MATRIX, MATRIX, PATH_MATRIX, PYLD
from cors_matrix import (
    CORS_MATRIX,
    ORIGIN,
    PREFLIGHT,
    ask,
    assert_cors_headers,
    assert_cors_row,
)
from download_matrix import assert_serves_downloads, published_releases
from oxigraph_server import Server, free_port, oxigraph_server, sparql_select
from pyld import jsonld
from pyoxigraph import RdfFormat, parse
from site_fixture import (
    assert_context_answers,
    assert_folders_moved,
    assert_links_answer,
    assert_location_ignores_host,
    assert_not_found_pages,
    assert_path_answers,
    assert_reads_dot_segments,
    assert_serves_site_texts,
    build_site,
    get_accepting,
    not_found_page,
    practice_of,
    raw_get,
)
from system_tools import JS, node_packages
from test_store_query import DATASET_QUERIES, GRAPH, dataset_count

from nualod.cli import main
from nualod.model.namespaces import CONTEXT
from nualod.run.publish import publish
from nualod.serve.hosting import write_hosting
from nualod.serve.server import find_oxigraph, private_upstream
from nualod.serve.sparql import QUERY_PREFIXES
from nualod.serve.website import Website, open_front
from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES, VOCABULARY_BASE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"
NUA = "https://w3id.org/nualod/def#"


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Publish the examples and write a site for them; return the folder and {IRI: stem}."""
    out = tmp_path_factory.mktemp("served")
    publish([EXAMPLES], out, version="1")
    stems = build_site(out)
    age_cached_files(out, practice_of(stems)[1])
    write_hosting(out, "https://data.example.org/nualod/", REWRITE_RULES, MEDIA_TYPES)
    return out, stems


@pytest.fixture(scope="module")
def served(site_folder: tuple[Path, dict[str, str]]) -> Iterator[Server]:
    """Run ``nualod serve`` on the site folder for the whole module."""
    out, _ = site_folder
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with Server(command, port) as server:
        yield server


def _iri_path(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/nualod/")


@pytest.mark.parametrize(("name", "header", "answer"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_negotiation_matrix_against_nualod_serve(
    served: Server,
    site_folder: tuple[Path, dict[str, str]],
    name: str,
    header: str | None,
    answer: str | None,
) -> None:
    iri, stem = practice_of(site_folder[1])
    response = get_accepting(served.url + _iri_path(iri), header)
    assert response.headers["Vary"] == "Accept"
    if answer is None:
        assert response.status_code == 406
        assert response.text.splitlines()[0] == "Not Acceptable. This resource is available as:"
        assert f"text/turtle {served.url}/{stem}.ttl" in response.text
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == f"{served.url}/{stem}.{answer}"


def test_the_server_header_names_nualod_alone(served: Server) -> None:
    import requests

    # http.server appends the Python version, or a space when it is emptied.
    assert requests.get(served.url + "/", timeout=10).headers["Server"] == "nualod"


def test_each_representation_is_served_with_its_media_type(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    iri, stem = practice_of(site_folder[1])
    expected = {
        "html": "text/html; charset=utf-8",
        "ttl": "text/turtle; charset=utf-8",
        "jsonld": "application/ld+json; charset=utf-8",
        "nt": "application/n-triples; charset=utf-8",
    }
    for extension, media_type in expected.items():
        response = get_accepting(f"{served.url}/{stem}.{extension}", "*/*")
        assert response.status_code == 200, extension
        assert response.headers["Content-Type"] == media_type
    turtle = rdflib.Graph().parse(
        data=get_accepting(f"{served.url}/{stem}.ttl", None).text, format="turtle"
    )
    ntriples = rdflib.Graph().parse(
        data=get_accepting(f"{served.url}/{stem}.nt", None).text, format="nt"
    )
    assert len(turtle) > 5
    assert isomorphic(turtle, ntriples)
    assert (rdflib.URIRef(iri), rdflib.RDF.type, rdflib.URIRef(NUA + "GoodPractice")) in turtle


@pytest.mark.parametrize("row", PATH_MATRIX, ids=[m[0] for m in PATH_MATRIX])
def test_the_path_matrix_against_nualod_serve(
    served: Server,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str | None, str | None],
) -> None:
    """English pages offer the data files of their resource; other pages their HTML alone."""
    assert_path_answers(served.url, site_folder[1], row)


@pytest.mark.parametrize("row", CONTEXT_MATRIX, ids=[m[0] for m in CONTEXT_MATRIX])
def test_the_context_matrix_against_nualod_serve(
    served: Server, row: tuple[str, str, str | None]
) -> None:
    """nualod's JSON-LD context at its IRI, not negotiated: the same document to any Accept."""
    assert_context_answers(served.url, row)


#: The Pekalongan example's practice and the title its triples give.
PEKALONGAN: Final = "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de"
PEKALONGAN_TITLE: Final = (
    f"<{PEKALONGAN}> <http://purl.org/dc/terms/title> "
    '"Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"@id .'
)


def test_json_ld_processors_fetch_the_context_by_its_iri(
    served: Server, site_folder: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A practice of the dump naming ``https://w3id.org/nualod/context`` as its context, in
    place of the dump's inline copy: jsonld.js and pyld fetch the context with their own
    HTTP loaders (w3id.org's address mapped to the server) and read the same triples."""
    dump = json.loads((site_folder[0] / "nualod.jsonld").read_text(encoding="utf-8"))
    practice = next(node for node in dump["@graph"] if node.get("id") == PEKALONGAN)
    remote = {"@context": CONTEXT, **practice}
    inline = {"@context": dump["@context"], **practice}
    (tmp_path / "remote.jsonld").write_text(json.dumps(remote), encoding="utf-8")
    (tmp_path / "inline.jsonld").write_text(json.dumps(inline), encoding="utf-8")
    node = node_packages("jsonld")
    fetched = _node(node, JS / "remote_context.mjs", tmp_path / "remote.jsonld", served.url + "/")
    offline = _node(node, JS / "to_rdf.mjs", tmp_path / "inline.jsonld", "--safe")
    assert PEKALONGAN_TITLE in fetched.splitlines()
    assert sorted(fetched.splitlines()) == sorted(offline.splitlines())

    over_http = jsonld.requests_document_loader(timeout=30)

    def from_served(url: str, options: dict[str, Any]) -> Any:
        assert url.startswith(VOCABULARY_BASE), url  # no other remote document
        return over_http(served.url + "/" + url.removeprefix(VOCABULARY_BASE), options)

    nquads = {"format": "application/n-quads"}
    by_pyld = jsonld.to_rdf(remote, {**nquads, "documentLoader": from_served})
    assert PEKALONGAN_TITLE in by_pyld.splitlines()
    assert sorted(by_pyld.splitlines()) == sorted(jsonld.to_rdf(inline, nquads).splitlines())


def _node(node: str, *args: str | Path) -> str:
    done = subprocess.run(
        [node, *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("row", CACHE_MATRIX, ids=[r[0] for r in CACHE_MATRIX])
def test_the_cache_matrix_against_nualod_serve(
    served: Server,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, dict[str, str], int, tuple[int, int] | None],
) -> None:
    """Validators, conditional requests and ranges, as nginx, Apache and Caddy answer them."""
    assert_cache_row(served.url, site_folder[0], practice_of(site_folder[1])[1], row)


@pytest.mark.parametrize("row", CORS_MATRIX, ids=[r[0] for r in CORS_MATRIX])
def test_the_cors_matrix_against_nualod_serve(
    served: Server,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str, dict[str, str], int],
) -> None:
    """Cross-origin reads and preflights, as nginx, Apache and Caddy answer them."""
    assert_cors_row(served.url, practice_of(site_folder[1]), row)


def test_the_readme_counts_the_cors_and_context_requests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"the same {len(CORS_MATRIX)} requests with an `Origin`" in readme
    assert f"for it with the same {len(CONTEXT_MATRIX)} requests" in readme


#: The preflight of the SPARQL endpoint: POST too.
QUERY_PREFLIGHT = PREFLIGHT | {
    "allow": "GET, HEAD, POST",
    "access-control-allow-methods": "GET, HEAD, POST",
}
ASK_ANY = b"ASK { ?s ?p ?o }"


def test_the_sparql_endpoint_answers_scripts_of_other_origins(served: Server) -> None:
    """A POSTed query (preflighted: application/sparql-query is no form), a GET, the
    service description and the refusals all carry the CORS headers, once each."""
    for path in ("/query", "/sparql"):
        preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"}  # fmt: skip
        status, headers, body = ask(served.url + path, "OPTIONS", preflight)
        assert (status, body) == (204, b""), path
        assert_cors_headers(headers, preflight=QUERY_PREFLIGHT)
    sent = {"Origin": ORIGIN, "Accept": "application/sparql-results+json"}
    direct = {**sent, "Content-Type": "application/sparql-query"}
    status, headers, body = ask(served.url + "/query", "POST", direct, ASK_ANY)
    assert (status, body) == (200, b'{"head":{},"boolean":true}')
    assert_cors_headers(headers)
    status, headers, body = ask(served.url + "/query?query=ASK%7B%7D", "GET", sent)
    assert (status, body) == (200, b'{"head":{},"boolean":true}')
    assert_cors_headers(headers)
    status, headers, _ = ask(served.url + "/query", "GET", {"Origin": ORIGIN})
    assert (status, dict(headers)["content-type"]) == (200, "text/turtle; charset=utf-8")
    assert_cors_headers(headers)
    federated = b"ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, headers, _ = ask(served.url + "/query", "POST", direct, federated)
    assert status == 400
    assert_cors_headers(headers)
    status, headers, _ = ask(served.url + "/download/practices.json", "POST", direct, ASK_ANY)
    assert (status, dict(headers)["allow"]) == (405, "GET, HEAD")
    assert_cors_headers(headers)
    status, headers, _ = ask(served.url + "/", "PUT", {"Origin": ORIGIN, "Content-Length": "0"})
    assert (status, dict(headers)["allow"]) == (405, "GET, HEAD")
    assert_cors_headers(headers)


def test_the_cors_headers_of_an_oxigraph_server_are_not_passed_on(tmp_path: Path) -> None:
    """Behind the front, an Oxigraph server run with --cors (nualod serve runs it without)
    adds its own Access-Control-Allow-Origin: the front's answers still have one."""
    port = free_port()
    command = [find_oxigraph(), "serve", "--location", str(tmp_path / "store"),
               "--bind", f"127.0.0.1:{port}", "--cors"]  # fmt: skip
    with Server(command, port) as upstream:
        _, own, _ = ask(upstream.url + "/query?query=ASK%7B%7D", "GET", {"Origin": ORIGIN})
        assert dict(own)["access-control-allow-origin"] == "*"
        front = open_front(
            "127.0.0.1", 0, Website(None, "http://127.0.0.1:1/", ("127.0.0.1", port))
        )
        threading.Thread(target=front.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{front.server_address[1]}/query"
            sent = {"Origin": ORIGIN, "Content-Type": "application/sparql-query"}
            status, headers, _ = ask(url, "POST", sent, ASK_ANY)
            assert status == 200
            assert_cors_headers(headers)
            status, headers, _ = ask(url + "?query=ASK%7B%7D", "GET", {"Origin": ORIGIN})
            assert status == 200
            assert_cors_headers(headers)
            preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                         "Access-Control-Request-Headers": "content-type"}  # fmt: skip
            status, headers, _ = ask(url, "OPTIONS", preflight)
            assert status == 204
            assert_cors_headers(headers, preflight=QUERY_PREFLIGHT)
        finally:
            front.shutdown()
            front.server_close()


def test_a_region_iri_redirects_to_its_unsharded_files(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    region = next(iri for iri in sorted(site_folder[1]) if "/id/region/" in iri)
    response = get_accepting(served.url + _iri_path(region), "application/ld+json")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{served.url}{_iri_path(region)}.jsonld"


def test_a_missing_path_is_404_with_the_page_of_its_language(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    # The site was built for https://w3id.org/nualod/: the pages' links start from /nualod/,
    # and nualod serve, serving the site at /, moves them there.
    for lang in ("id", "en"):
        page = not_found_page(site_folder[0], lang)
        assert b'<link rel="stylesheet" href="/nualod/assets/site.css">' in page, lang
    assert_not_found_pages(served.url + "/", site_folder[0], links_from="/")
    # Whatever the depth of the missing path, every link of the page leads into the site.
    for path in ("nothing", "id/practice/00-0-00.00-0000000000000000", "en/no/such/page"):
        assert_links_answer(served.url + "/", path)


def test_the_site_s_own_files_are_served_as_every_static_host_serves_them(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_serves_site_texts(served.url, site_folder[0])


def test_the_home_page_void_and_no_escape_from_the_site(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    site = site_folder[0] / "site"
    home = get_accepting(served.url + "/", None)
    assert home.status_code == 200
    assert home.content == (site / "index.html").read_bytes()
    void = get_accepting(served.url + "/.well-known/void", None)
    assert void.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert void.content == (site / ".well-known" / "void").read_bytes()
    assert get_accepting(served.url + "/.htaccess", None).status_code == 404
    ontology = get_accepting(served.url + "/def", "text/turtle")
    assert ontology.headers["Location"] == f"{served.url}/def.ttl"
    for path in ("/../nualod.nt", "/%2e%2e/nualod.nt", "/id/../../nualod.nt"):
        status, _ = raw_get(served.url, path)
        assert status.endswith(b"404 Not Found"), (path, status)
    assert_reads_dot_segments(served.url, site_folder[0])


def test_a_site_built_while_serving_is_served_at_once(tmp_path: Path) -> None:
    """Before the site exists every path says what to run; once built, it is served."""
    out = tmp_path / "out"
    publish([EXAMPLES], out)
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with (tmp_path / "stderr").open("w+b") as stderr, Server(command, port, stderr) as server:
        home = get_accepting(server.url + "/", None)
        assert home.status_code == 404
        assert home.text == (
            "Not Found: no site has been built here yet; `nualod site FOLDER` builds one, "
            "served as soon as it is built; the SPARQL endpoint answers at "
            f"{server.url}/query\n"
        )
        assert get_accepting(server.url + "/id/region/33.75", "text/turtle").status_code == 404
        stems = build_site(out)
        home = get_accepting(server.url + "/", None)
        assert home.status_code == 200
        assert home.content == (out / "site" / "index.html").read_bytes()
        iri, stem = practice_of(stems)
        answer = get_accepting(server.url + _iri_path(iri), "text/turtle")
        assert answer.headers["Location"] == f"{server.url}/{stem}.ttl"
        assert get_accepting(server.url + "/no/such/page", None).text.startswith("<!DOCTYPE")
        stderr.seek(0)
        assert stderr.read().decode() == (
            f"note: no site in {out / 'site'} yet (run `nualod site {out}`; it is served as "
            "soon as it is built)\n"
        )


def test_location_comes_from_the_base_url_never_the_host_header(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_location_ignores_host(served.url, site_folder[1], "attacker.example")


def test_a_configured_base_url_with_a_path(site_folder: tuple[Path, dict[str, str]]) -> None:
    out, stems = site_folder
    iri, stem = practice_of(stems)
    port = free_port()
    base = "https://data.example.org/nualod/"
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port),
               "--base-url", base]  # fmt: skip
    with Server(command, port) as server:
        response = get_accepting(server.url + "/nualod" + _iri_path(iri), "text/turtle")
        assert response.status_code == 303
        assert response.headers["Location"] == f"{base}{stem}.ttl"
        assert get_accepting(f"{server.url}/nualod/{stem}.ttl", None).status_code == 200
        assert get_accepting(server.url + _iri_path(iri), "text/turtle").status_code == 404
        assert_not_found_pages(server.url + "/nualod/", out)
        assert_folders_moved(server.url + "/nualod/", base)
        assert_links_answer(server.url + "/nualod/", "en/no/such/page")
        # The JSON-LD context is where the w3id.org redirect leads its IRI: under the path.
        assert_context_answers(server.url + "/nualod", ("at /nualod/", "context", PYLD))
        assert sparql_select(server.url + "/nualod", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")


W3C_FORMATS: Final = "http://www.w3.org/ns/formats/"
#: The formats the service description names (SPARQL 1.1 Service Description §3.4), with
#: the media type that asks for each and a query whose answer it is.
ANSWERED_FORMATS: Final = [
    ("SPARQL_Results_JSON", "application/sparql-results+json", "SELECT * { ?s ?p ?o } LIMIT 1"),
    ("SPARQL_Results_XML", "application/sparql-results+xml", "SELECT * { ?s ?p ?o } LIMIT 1"),
    ("SPARQL_Results_CSV", "text/csv", "SELECT * { ?s ?p ?o } LIMIT 1"),
    ("SPARQL_Results_TSV", "text/tab-separated-values", "SELECT * { ?s ?p ?o } LIMIT 1"),
    ("Turtle", "text/turtle", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
    ("N-Triples", "application/n-triples", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
    ("JSON-LD", "application/ld+json", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
    ("RDF_XML", "application/rdf+xml", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
]


@pytest.mark.parametrize(("name", "media", "query"), ANSWERED_FORMATS)
def test_each_result_format_the_service_description_names_is_answered(
    served: Server, name: str, media: str, query: str
) -> None:
    """Its ``sd:resultFormat`` listed the Oxigraph server's formats: N-Quads, TriG and N3,
    which the front refuses (406), and not JSON-LD, which it gives (consumer review)."""
    answer = requests.post(
        served.url + "/query", data={"query": query}, headers={"Accept": media}, timeout=30
    )
    assert answer.status_code == 200, name
    assert answer.headers["Content-Type"].split(";")[0] == media


def test_the_service_description_is_of_the_front(served: Server) -> None:
    """The endpoint's URL without a query describes this endpoint: its address (never the
    private Oxigraph server's), and no federated queries, which it refuses."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for path, accept, media, rdf_format in [
        ("/query", None, "text/turtle; charset=utf-8", RdfFormat.TURTLE),
        ("/query", "*/*", "text/turtle; charset=utf-8", RdfFormat.TURTLE),
        ("/sparql", "application/ld+json", "application/ld+json; charset=utf-8", RdfFormat.JSON_LD),
        (
            "/query",
            "application/n-triples",
            "application/n-triples; charset=utf-8",
            RdfFormat.N_TRIPLES,
        ),
        ("/query", "application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
    ]:
        answer = get_accepting(served.url + path, accept)
        assert (answer.status_code, answer.headers["Content-Type"]) == (200, media), path
        assert answer.headers["Vary"] == "Accept"
        assert set(re.findall(r"127\.0\.0\.1:(\d+)", answer.text)) == {str(served.port)}
        triples = list(parse(answer.content, format=rdf_format))
        endpoints = {t.object.value for t in triples if t.predicate.value == sd + "endpoint"}
        assert endpoints == {served.url + path}
        features = {t.object.value for t in triples if t.predicate.value == sd + "feature"}
        assert sd + "BasicFederatedQuery" not in features
        assert sd + "UnionDefaultGraph" in features
        formats = {t.object.value for t in triples if t.predicate.value == sd + "resultFormat"}
        assert formats == {W3C_FORMATS + name for name, _, _ in ANSWERED_FORMATS}, path
    head = requests.head(served.url + "/query", timeout=10)
    assert (head.status_code, head.headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    refused = get_accepting(served.url + "/query", "application/sparql-results+json")
    assert refused.status_code == 406
    assert refused.text.startswith("Not Acceptable. This resource is available as:\ntext/turtle ")


def test_sparql_through_the_front_and_service_refused(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    iri, _ = practice_of(site_folder[1])
    rows = sparql_select(served.url, f"SELECT ?t WHERE {{ <{iri}> a ?t }}")
    assert {row["t"] for row in rows} >= {NUA + "GoodPractice"}
    with requests.get(
        served.url + "/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ) as answer:
        assert answer.json() == {"head": {}, "boolean": True}
    for federated in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        # A comment ended by a carriage return, which Oxigraph ends and rdflib did not: the
        # clause ran, and the answer carried the private server's page (security review).
        "SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}",
    ):
        for sent in (
            {"params": {"query": federated}},
            {"data": {"query": federated}},
            {"data": federated.encode(), "headers": {"Content-Type": "application/sparql-query"}},
        ):
            method = requests.get if "params" in sent else requests.post
            with method(served.url + "/query", timeout=10, **sent) as refused:  # type: ignore[operator]
                assert refused.status_code == 400
                assert refused.text == "federated queries (SERVICE) are not allowed\n"


def test_the_endpoint_answers_the_protocol_s_edges(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    """What a researcher's review found (each answered otherwise before): HEAD answers as
    GET would; a GET query longer than the Oxigraph server takes in a URL (8 KB) runs;
    results say they vary by Accept; an update is refused as one (403), PUT and DELETE
    are not allowed (405 with the path's methods)."""
    url = served.url + "/query"
    head = requests.head(url, params={"query": "ASK {}"}, timeout=10)
    got = requests.get(url, params={"query": "ASK {}"}, timeout=10)
    assert (head.status_code, head.headers["Content-Type"], head.content) == (
        200,
        got.headers["Content-Type"],
        b"",
    )
    assert head.headers["Content-Length"] == got.headers["Content-Length"] == "26"
    long = "ASK { ?s ?p ?o } #" + "x" * 9000
    with requests.get(url, params={"query": long}, timeout=30) as answer:
        assert (answer.status_code, answer.json()) == (200, {"head": {}, "boolean": True})
    with requests.get(url, params={"query": "ASK {}"}, headers={"Accept": "text/csv"}) as csv:
        assert (csv.headers["Content-Type"], csv.headers["Vary"]) == (
            "text/csv; charset=utf-8",
            "Accept",
        )
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    for sent in (
        {"data": {"update": insert}},
        {"data": insert.encode(), "headers": {"Content-Type": "application/sparql-update"}},
    ):
        with requests.post(url, timeout=10, **sent) as refused:  # type: ignore[arg-type]
            assert (refused.status_code, refused.text) == (
                403,
                "This SPARQL endpoint is read-only: an update is not run here (load changes "
                "with `nualod publish`, or `nualod push` them to a store you can write)\n",
            )
    for method in ("PUT", "DELETE", "PATCH"):
        with requests.request(method, url, data=insert, timeout=10) as refused:
            assert (refused.status_code, refused.headers["Allow"]) == (405, "GET, HEAD, POST")
    assert not sparql_select(served.url, "SELECT * WHERE { <urn:x> ?p ?o }")
    # The answer's format is negotiated here by RFC 9110, by the query's form.
    select, construct = (
        "SELECT ?s { ?s ?p ?o } LIMIT 1",
        "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o } LIMIT 1",
    )
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for query, accept, media in (
        (select, "text/*", "text/csv; charset=utf-8"),
        (select, browser, "application/sparql-results+json"),
        (construct, "*/*", "text/turtle"),
        (construct, browser, "text/turtle"),
        (construct, "application/n-triples", "application/n-triples"),
    ):
        with requests.get(url, params={"query": query}, headers={"Accept": accept}) as answer:
            assert (answer.status_code, answer.headers["Content-Type"]) == (200, media), accept
    with requests.get(url, params={"query": select}, headers={"Accept": "image/png"}) as refused:
        assert (refused.status_code, refused.headers["Vary"], refused.text) == (
            406,
            "Accept",
            "Not Acceptable: this query's answer is given as application/sparql-results+json, "
            "application/sparql-results+xml, text/csv, text/tab-separated-values\n",
        )
    # nualod's prefixes are predeclared, as `nualod query` has them; an error's position
    # is the query's own.
    titles = "SELECT ?t { ?p a nua:GoodPractice ; dcterms:title ?t } ORDER BY ?t LIMIT 1"
    with requests.get(url, params={"query": titles}, headers={"Accept": "text/csv"}) as answer:
        assert answer.text.splitlines()[0] == "t"
        assert len(answer.text.splitlines()) == 2
    for query in ("SELECT ?t { ?p a nua:GoodPractice } LIMT 1", "SELECT ?t { ?p a ?t } LIMT 1"):
        with requests.get(url, params={"query": query}, timeout=10) as refused:
            assert refused.status_code == 400
            # The same column from the end of the line, with declarations put before or not.
            assert refused.text.startswith(
                f"error at 1:{len(query) + 1} (the end of the query): expected one of "
            ), refused.text
            assert "[" not in refused.text  # no character classes (Unicode ranges)
            assert refused.headers["Vary"] == "Accept"
    # A prefix used undeclared is named, as `nualod query` names it, where the query has it.
    declared = ", ".join(sorted(QUERY_PREFIXES))
    for query, column in (("SELECT * { ?p a nua:GoodPractice ; foo:x ?y }", 36),
                          ("SELECT * { ?p a foo:X }", 22)):  # fmt: skip
        said = (
            f"SPARQL syntax error at 1:{column}: the prefix 'foo:' is not declared (add "
            f"PREFIX foo: <IRI>; nualod declares {declared})\n"
        )
        cli = CliRunner().invoke(main, ["query", str(site_folder[0]), query])
        assert (cli.exit_code, cli.output) == (2, f"error: {said}")
        with requests.get(url, params={"query": query}, timeout=10) as refused:
            assert (refused.status_code, refused.headers["Vary"], refused.text) == (
                400,
                "Accept",
                said,
            )
    # A byte that is no UTF-8 was run as U+FFFD (a query the client did not send).
    with requests.get(url + "?query=ASK%7BFILTER(%22%FF%22)%7D", timeout=10) as refused:
        assert (refused.status_code, refused.text) == (
            400,
            "the query string is not UTF-8 once percent-decoded\n",
        )


SELECT_ONE: Final = "SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1"
CONSTRUCT_ONE: Final = "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1"
DESCRIBE_PEKALONGAN: Final = f"DESCRIBE <{PEKALONGAN}>"
RESULTS_JSON: Final = "application/sparql-results+json"
#: ``(query, Accept, Content-Type)``: application/json at the endpoint, as a +json type
#: (RFC 6839) of the query's form, weighed below the type itself and what a q-value puts
#: above it (RFC 9110).
JSON_AT_THE_ENDPOINT: Final = (
    (SELECT_ONE, "application/json", RESULTS_JSON),
    ("ASK { ?s ?p ?o }", "application/json", RESULTS_JSON),
    (CONSTRUCT_ONE, "application/json", "application/ld+json"),
    (DESCRIBE_PEKALONGAN, "application/json", "application/ld+json"),
    # What a JSON-LD processor's loader sends.
    (CONSTRUCT_ONE, PYLD, "application/ld+json"),
    (SELECT_ONE, "application/json;q=0.5, text/csv", "text/csv; charset=utf-8"),
    (SELECT_ONE, "application/json, application/sparql-results+xml;q=0.9", RESULTS_JSON),
    (SELECT_ONE, "application/json;q=0.8, application/sparql-results+xml;q=0.9",
     "application/sparql-results+xml"),
    # The type's own name is more specific than application/json: its weight counts.
    (SELECT_ONE, "application/sparql-results+json;q=0.1, application/json, text/csv;q=0.5",
     "text/csv; charset=utf-8"),
    (CONSTRUCT_ONE, "application/json;q=0.5, text/turtle", "text/turtle"),
    (CONSTRUCT_ONE, "application/json;q=0.5, application/*;q=0.9", "application/n-triples"),
    # fetch()'s own default, unchanged: results JSON and Turtle.
    (SELECT_ONE, "*/*", RESULTS_JSON),
    (CONSTRUCT_ONE, "*/*", "text/turtle"),
    # Refused by name, JSON is not taken for */*.
    (SELECT_ONE, "application/json;q=0, */*", "application/sparql-results+xml"),
    # axios's default: JSON named beside */*, so JSON, not the first offer (review).
    (CONSTRUCT_ONE, "application/json, text/plain, */*", "application/ld+json"),
    (SELECT_ONE, "application/json, text/plain, */*", RESULTS_JSON),
    # Two types named alike: the server's order.
    (CONSTRUCT_ONE, "application/ld+json, text/turtle", "text/turtle"),
)  # fmt: skip


def test_application_json_at_the_endpoint_without_a_query_is_its_description_in_json_ld(
    served: Server,
) -> None:
    """The service description answered application/json with 406 (review)."""
    status, headers, body = ask(f"{served.url}/query", "GET", {"Accept": "application/json"})
    assert (status, dict(headers)["content-type"]) == (200, "application/ld+json; charset=utf-8")
    assert any(True for _ in parse(body, format=RdfFormat.JSON_LD))


def test_a_folder_s_301_percent_encodes_what_no_header_may_hold(served: Server) -> None:
    """A NUL and a DEL in the query went into Location as they were (review)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        raw.sendall(b"GET /download?a\x00b\x7f%20c=d HTTP/1.0\r\nHost: x\r\n\r\n")
        head = raw.recv(4096).split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert head[0].endswith(b"301 Moved Permanently")
    assert f"Location: {served.url}/download/?a%00b%7F%20c=d".encode() in head


@pytest.mark.parametrize(("query", "accept", "media"), JSON_AT_THE_ENDPOINT)
def test_application_json_at_the_endpoint_is_the_json_of_the_query_s_form(
    served: Server, query: str, accept: str, media: str
) -> None:
    """A fetch() sending Accept: application/json was answered 406 (Oxigraph's own server and
    Fuseki answer it): it gets results JSON or JSON-LD, unless a weight says otherwise; HEAD
    answers as GET, and both say they vary by Accept and may be read from any origin."""
    url = f"{served.url}/query?{urlencode({'query': query})}"
    sent = {"Accept": accept, "Origin": ORIGIN}
    status, headers, body = ask(url, "GET", sent)
    assert (status, dict(headers)["content-type"], dict(headers)["vary"]) == (200, media, "Accept")
    assert_cors_headers(headers)
    status, headers, empty = ask(url, "HEAD", sent)
    assert (status, dict(headers)["content-type"], dict(headers)["vary"]) == (200, media, "Accept")
    assert empty == b""
    if query == SELECT_ONE and media == RESULTS_JSON:
        results = json.loads(body)
        assert (results["head"], len(results["results"]["bindings"])) == ({"vars": ["s"]}, 1)
    elif media == RESULTS_JSON:
        assert json.loads(body) == {"head": {}, "boolean": True}
    elif media == "application/ld+json":
        triples = list(parse(body, format=RdfFormat.JSON_LD))
        if query == CONSTRUCT_ONE:
            assert len(triples) == 1
        else:
            assert {triple.subject.value for triple in triples} == {PEKALONGAN}


def test_oxigraph_is_installed_by_the_first_command() -> None:
    """``pip install -e .`` (no extra) brings the server binary that serve runs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(re.match(r"oxigraph\b", r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        assert not any(re.match(r"oxigraph\b", r) for r in extra)


def test_a_busy_port_is_one_line_naming_it(site_folder: tuple[Path, dict[str, str]]) -> None:
    out, _ = site_folder
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 2
    assert completed.stderr == (
        f"error: port {port} on 127.0.0.1 is already in use; stop what listens there or "
        "choose another with --port\n"
    )
    assert completed.stdout == ""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def _gone(pid: int, timeout: float = 15.0) -> bool:
    """Tell whether a process has ended (or is a zombie nobody reaps yet) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux routes all of 127.0.0.0/8")
def test_the_oxigraph_child_listens_on_a_loopback_address_of_its_own(served: Server) -> None:
    """The child runs any SERVICE query sent to it and checks no Host (security review):
    on 127.0.0.1 a page in a browser here could find it by its port alone."""
    (child,) = _children(served.process.pid)
    command = Path(f"/proc/{child}/cmdline").read_text().split("\0")
    host, port = command[command.index("--bind") + 1].rsplit(":", 1)
    address = ipaddress.IPv4Address(host)
    assert address in ipaddress.IPv4Network("127.0.0.0/8") and host != "127.0.0.1"
    listening = {
        line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
    }  # local addresses as the kernel writes them: hex, little-endian, then the port
    kernel = f"{int.from_bytes(address.packed, 'little'):08X}:{int(port):04X}"
    assert kernel in listening
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(port)), timeout=5).close()
    assert sparql_select(served.url, "SELECT (1 AS ?one) {}") == [{"one": "1"}]


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux routes all of 127.0.0.0/8")
def test_upstreams_are_random_loopback_addresses() -> None:
    upstreams = [private_upstream() for _ in range(3)]
    assert len({upstream.host for upstream in upstreams}) > 1  # 3 alike: once in 2^48
    for upstream in upstreams:
        assert ipaddress.IPv4Address(upstream.host) in ipaddress.IPv4Network("127.0.0.0/8")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_nualod_serve_stops_the_oxigraph_child(
    site_folder: tuple[Path, dict[str, str]], how: signal.Signals
) -> None:
    out, _ = site_folder
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    server = Server(command, port)
    try:
        children = _children(server.process.pid)
        assert len(children) == 1
        assert "oxigraph" in Path(f"/proc/{children[0]}/cmdline").read_text()
        os.kill(server.process.pid, how)
        code = server.process.wait(timeout=30)
        assert code == (0 if how == signal.SIGTERM else -signal.SIGKILL)
        assert _gone(children[0])
        with pytest.raises(requests.ConnectionError):
            requests.get(server.url + "/", timeout=5)
    finally:
        server.stop()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_burst_of_stops_still_stops_cleanly(
    site_folder: tuple[Path, dict[str, str]], tmp_path: Path, how: signal.Signals
) -> None:
    """``timeout`` signals nualod and then its group; people press Ctrl-C twice: the signals
    after the first must not break off the Oxigraph server's stop with a traceback."""
    out, _ = site_folder
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with (tmp_path / "stderr").open("w+b") as stderr:
        server = Server(command, port, stderr)
        try:
            children = _children(server.process.pid)
            # SIGTERM as `timeout` and a process manager repeat it; Ctrl-C pressed again
            # and again: from the first one to the end, the others are ignored.
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline and server.process.poll() is None:
                os.kill(server.process.pid, how)
                time.sleep(0.001)
            # Stopping the Oxigraph child took over 30 s once on this machine with two test
            # suites running: the bound is for a hang, not for speed.
            assert server.process.wait(timeout=120) == 0
            assert all(_gone(child) for child in children)
        finally:
            server.stop()
        stderr.seek(0)
        said = stderr.read().decode()
        assert "Traceback" not in said, said


def test_serve_then_push_to_a_writable_store(
    served: Server, site_folder: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The README's sequence: the served store is read-only, so push goes to another store."""
    out, stems = site_folder
    with requests.post(
        served.url + "/update",
        data="INSERT DATA { <urn:x> <urn:y> <urn:z> }",
        headers={"Content-Type": "application/sparql-update"},
        timeout=10,
    ) as refused:
        assert refused.status_code == 405
    with oxigraph_server(tmp_path / "writable") as writable:
        pushed = subprocess.run(
            [sys.executable, "-m", "nualod", "push", str(out), "--endpoint", writable.url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert pushed.returncode == 0, pushed.stderr
        assert pushed.stdout.startswith("pushed ")
        iri, _ = practice_of(stems)
        query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{iri}> a ?t }} }}"
        assert sparql_select(writable.url, query)
    assert sparql_select(served.url, f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1")


def test_a_large_construct_streams_through_the_front(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    out, _ = site_folder
    with requests.post(
        served.url + "/query",
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
        timeout=60,
        stream=True,
    ) as answer:
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith("application/n-triples")
        lines = {line for line in answer.iter_lines() if line.strip()}
    expected = {line for line in (out / "nualod.nt").read_bytes().splitlines() if line.strip()}
    assert len(lines) == len(expected) > 10_000


def test_every_url_the_download_base_promises_is_served(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three versions' catalogs, VoID and feed: each URL under the download base answers
    200 with the catalog's media type and the file's bytes (download_matrix)."""
    out = published_releases(tmp_path_factory.mktemp("served-releases"))
    port = free_port()
    command = [sys.executable, "-m", "nualod", "serve", str(out), "--port", str(port)]
    with Server(command, port):
        assert_serves_downloads(f"http://127.0.0.1:{port}/", out)


@pytest.mark.parametrize(("query", "merged", "named"), DATASET_QUERIES)
def test_the_endpoint_runs_a_query_over_the_dataset_it_names(
    served: Server,
    site_folder: tuple[Path, dict[str, str]],
    query: str,
    merged: tuple[str, ...],
    named: tuple[str, ...],
) -> None:
    """The Oxigraph server, run with the union of the graphs as its default graph, ignored
    ``FROM``: the front passes the query's dataset on as the protocol's fields."""
    expected = dataset_count(site_folder[0], merged, named)
    answer = requests.post(
        served.url + "/query", data={"query": query}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert (answer.status_code, answer.text.split()) == (200, ["n", str(expected)])


def test_the_protocol_s_dataset_wins_over_the_query_s_and_an_unread_from_is_refused(
    served: Server, site_folder: tuple[Path, dict[str, str]]
) -> None:
    """SPARQL 1.1 Protocol §2.1.4: ``default-graph-uri`` replaces the query's ``FROM``. A
    query naming its dataset in a syntax rdflib cannot read is refused, not run over all."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}vocabulary> {{ ?s ?p ?o }}"
    fields = {"query": query, "default-graph-uri": f"{GRAPH}alignments"}
    answer = requests.post(served.url + "/query", data=fields, headers={"Accept": "text/csv"},
                           timeout=30)  # fmt: skip
    expected = dataset_count(site_folder[0], ("alignments",), ())
    assert (answer.status_code, answer.text.split()) == (200, ["n", str(expected)])
    unread = "SELECT * FROM <urn:g> { LATERAL { ?s ?p ?o } }"
    answer = requests.post(served.url + "/query", data={"query": unread}, timeout=30)
    assert answer.status_code == 400
    assert answer.text.startswith(
        "a query that names its dataset (FROM) is read to apply it, and this one could not be: "
    )
    assert answer.text.count("\n") == 1
