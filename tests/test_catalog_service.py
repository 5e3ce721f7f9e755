"""``--sparql-endpoint`` reaches the catalog as a ``dcat:DataService`` that portals read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF
from test_portals import _run, portal_python

from nualod.describe.catalog import no_network_loader, sparql_service_iri
from nualod.errors import UsageError
from nualod.model.iris import DataIRIs
from nualod.run.publish import publish
from nualod.validate.shacl import default_shapes_graph, validate_graph
from nualod.write.formats import DUMP_FILE_NAMES

ENDPOINT = "https://data.example.org/nualod/query"
PACKAGED_SHAPES = Path(__file__).resolve().parent.parent / "nualod" / "data" / "dcat-ap-3.0.0"
__all__ = ["portal_python"]  # the portal fixture, shared with test_portals


@pytest.fixture(scope="module")
def with_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Publish the examples with a SPARQL endpoint; return the folder."""
    out = tmp_path_factory.mktemp("with-endpoint")
    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    publish([examples], out, sparql_endpoint=ENDPOINT)
    return out


def _catalog(out: Path) -> Graph:
    return Graph().parse(out / "catalog.ttl", format="turtle")


def test_the_catalog_names_the_service_and_a_distribution_through_it(with_endpoint: Path) -> None:
    graph = _catalog(with_endpoint)
    service = URIRef(sparql_service_iri(DataIRIs()))
    dataset = URIRef(DataIRIs().dataset())
    assert (None, DCAT.service, service) in graph
    assert (service, RDF.type, DCAT.DataService) in graph
    assert (service, DCAT.endpointURL, URIRef(ENDPOINT)) in graph
    assert (service, DCAT.servesDataset, dataset) in graph
    assert Literal("nualod SPARQL endpoint", lang="en") in set(
        graph.objects(service, DCTERMS.title)
    )
    through = [d for d in graph.objects(dataset, DCAT.distribution)
               if (d, DCAT.accessService, service) in graph]  # fmt: skip
    assert len(through) == 1
    assert graph.value(through[0], DCAT.accessURL) == URIRef(ENDPOINT)


def test_the_catalog_with_a_service_conforms_to_dcat_ap_3(with_endpoint: Path) -> None:
    import pyshacl

    shapes_file = next(PACKAGED_SHAPES.glob("*.ttl"))
    shapes = Graph().parse(shapes_file, format="turtle")
    for inference in ("none", "rdfs"):
        conforms, _, text = pyshacl.validate(
            _catalog(with_endpoint), shacl_graph=shapes, inference=inference
        )
        assert conforms, (inference, text)


def test_the_catalog_with_a_service_gives_no_result_of_our_own_shapes(with_endpoint: Path) -> None:
    """The distribution through the endpoint is no file: nothing to say of its size,
    checksum, media type or download URL (a `validate --fail-on warning` once failed)."""
    report = validate_graph(_catalog(with_endpoint), default_shapes_graph())
    assert report.conforms
    assert report.results == ()


def test_the_catalog_jsonld_holds_the_service_too(with_endpoint: Path) -> None:
    document = json.loads((with_endpoint / "catalog.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network_loader}
    )
    assert isomorphic(Graph().parse(data=nquads, format="nt"), _catalog(with_endpoint))


def test_without_an_endpoint_there_is_no_service(
    published_examples: tuple[Path, Any],
) -> None:
    graph = _catalog(published_examples[0])
    assert not list(graph.subjects(RDF.type, DCAT.DataService))


def test_an_endpoint_that_is_not_an_iri_is_refused(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    with pytest.raises(
        UsageError, match=r"^sparql_endpoint: not an absolute http\(s\) IRI: .not a url."
    ):
        publish([examples], tmp_path / "out", sparql_endpoint="not a url")
    assert not (tmp_path / "out" / "catalog.ttl").exists()


@pytest.mark.portals
@pytest.mark.parametrize(
    ("name", "fmt"), [("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")]
)
def test_ckan_reads_the_endpoint_as_a_resource_with_its_service(
    name: str, fmt: str, portal_python: Path, with_endpoint: Path
) -> None:
    datasets = _run(portal_python, "ckan_read_catalog.py", str(with_endpoint / name), fmt)
    assert len(datasets) == 1
    resources = datasets[0]["resources"]
    assert len(resources) == len(DUMP_FILE_NAMES) + 1
    (api,) = [r for r in resources if r.get("access_url") == ENDPOINT]
    assert api["name"] == "nualod SPARQL endpoint"
    (service,) = json.loads(api["access_services"])
    assert service["uri"] == sparql_service_iri(DataIRIs())
    assert service["endpoint_url"] == [ENDPOINT]
    assert service["serves_dataset"] == [DataIRIs().dataset()]
