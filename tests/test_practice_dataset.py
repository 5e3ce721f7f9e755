"""Every practice is ``dcterms:isPartOf`` its dataset, whose distributions the catalog licenses."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from nualod.model.iris import DataIRIs
from nualod.run.publish import PublishResult

DCTERMS = "http://purl.org/dc/terms/"


def test_each_practice_is_part_of_the_dataset_and_so_has_a_licence(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, result = published_examples
    store = Store()
    store.bulk_load(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS)
    store.bulk_load(path=str(out / "catalog.ttl"), format=RdfFormat.TURTLE)
    dataset = DataIRIs().dataset()
    rows = store.query(
        f"""SELECT ?practice (COUNT(DISTINCT ?whole) AS ?wholes) ?licence WHERE {{
              ?practice a <https://w3id.org/nualod/def#GoodPractice> ;
                        <{DCTERMS}isPartOf> ?whole .
              OPTIONAL {{ ?whole <http://www.w3.org/ns/dcat#distribution>/<{DCTERMS}license> ?licence }}
            }} GROUP BY ?practice ?licence ORDER BY ?practice""",
        use_default_graph_as_union=True,
    )
    found = [(r["practice"].value, int(r["wholes"].value), r["licence"]) for r in rows]
    assert [practice for practice, _, _ in found] == sorted(result.published)
    assert {(wholes, licence) for _, wholes, licence in found} == {
        (1, NamedNode("https://creativecommons.org/licenses/by-sa/4.0/"))
    }
    parts = store.query(
        f"SELECT DISTINCT ?whole WHERE {{ ?p <{DCTERMS}isPartOf> ?whole }}",
        use_default_graph_as_union=True,
    )
    assert [r["whole"].value for r in parts] == [dataset]
