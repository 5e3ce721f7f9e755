"""Figures in the published data: every selector re-anchors in its field's text, the
people-trained query finds what the pages say, and ``--no-figures`` leaves them out.

Everything here reads the published dumps (N-Quads, through Oxigraph), not nualod's objects.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nualod.cli import main
from nualod.run.publish import PublishResult, publish

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "fixtures" / "figures" / "pages"
QUERY = ROOT / "examples" / "queries" / "people-trained-by-city.rq"
PEKALONGAN = "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat"
#: The money figures of the examples and the figure pages, largest first (value, currency).
MONEY = [
    ("1200000000", "http://qudt.org/vocab/unit/CCY_IDR"),
    ("21540000", "http://qudt.org/vocab/unit/CCY_USD"),
    ("17990000", "http://qudt.org/vocab/unit/CCY_USD"),
]

ANCHORS = """
PREFIX nua: <https://w3id.org/nualod/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?figure ?text ?start ?end ?exact ?prefix ?suffix WHERE {
  ?practice nua:figure ?figure .
  ?figure prov:wasDerivedFrom ?segment .
  ?segment oa:hasSource ?practice ; nua:field ?field ; oa:hasSelector ?position , ?quote .
  ?practice ?field ?text .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?quote oa:prefix ?prefix }
  OPTIONAL { ?quote oa:suffix ?suffix }
}
ORDER BY ?figure
"""

FIGURES = """
PREFIX nua: <https://w3id.org/nualod/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
SELECT ?title ?figure ?value ?unit ?counted ?period ?per ?qualifier WHERE {
  ?practice dcterms:title ?title ; nua:figure ?figure .
  ?figure a nua:Figure ; schema:value ?value ; schema:unitCode ?unit .
  OPTIONAL { ?figure schema:unitText ?counted }
  OPTIONAL { ?figure nua:period ?period }
  OPTIONAL { ?figure nua:per ?per }
  OPTIONAL { ?figure nua:qualifier ?qualifier }
}
ORDER BY ?figure
"""


def _store(folder: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(folder / "nualod.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def _rows(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    results = store.query(query, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [{name: row[name] for name in names if row[name] is not None} for row in results]  # type: ignore[misc]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("published-figures")
    publish([examples_dir, PAGES], out, release=False)
    return out


@pytest.fixture(scope="module")
def store(published: Path) -> ox.Store:
    return _store(published)


def test_every_selector_re_anchors_in_its_field(store: ox.Store) -> None:
    rows = _rows(store, ANCHORS)
    assert len(rows) == 14
    for row in rows:
        text = row["text"].value
        start, end = int(row["start"].value), int(row["end"].value)
        exact = row["exact"].value
        prefix = row["prefix"].value if "prefix" in row else ""
        suffix = row["suffix"].value if "suffix" in row else ""
        assert text[start:end] == exact, row["figure"]
        assert prefix + exact + suffix in text, row["figure"]
        assert text[start - len(prefix) : end + len(suffix)] == prefix + exact + suffix
        assert row["figure"].value.endswith(f"-{start}")


def test_the_figures_of_the_pekalongan_example(
    published_examples: tuple[Path, PublishResult],
) -> None:
    rows = _rows(_store(published_examples[0]), FIGURES)
    assert [
        (
            row["figure"].value.rsplit("#", 1)[1],
            row["value"].value,
            row["unit"].value.rsplit("/", 1)[1],
            row["counted"].value if "counted" in row else None,
            row["period"].value if "period" in row else None,
            row["qualifier"].value.rsplit("#", 1)[1] if "qualifier" in row else None,
        )
        for row in rows
        if row["title"].value == PEKALONGAN
    ] == [
        # "Sekitar 200 ribu tenaga kerja": about 200000.
        ("figure-abstract-318", "200000", "NUM", "tenaga kerja", None, "About"),
        ("figure-abstract-351", "871", "NUM", "UMKM", None, None),
        ("figure-abstract-367", "60", "PERCENT", None, None, None),
        ("figure-description-510", "21540000", "CCY_USD", None, "2020-01/2020-07", None),
        ("figure-description-558", "17990000", "CCY_USD", None, None, None),
    ]
    assert {row["value"].datatype.value for row in rows} == {  # type: ignore[union-attr]
        "http://www.w3.org/2001/XMLSchema#decimal"
    }


def _readme_query(after: str) -> str:
    """Return the first SPARQL block of the README after the words ``after``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rest = text[text.index(after) :]
    start = rest.index("```sparql\n") + len("```sparql\n")
    return rest[start : rest.index("```", start)]


def test_the_readme_query_of_money_figures(store: ox.Store) -> None:
    """The README's query finds every money figure, largest first: QUDT's currency units
    are in its unit vocabulary (unit:CCY_USD), no longer in http://qudt.org/vocab/currency/."""
    rows = _rows(store, _readme_query("All money figures"))
    assert [(row["value"].value, row["currency"].value) for row in rows] == MONEY
    every = {row["unit"].value for row in _rows(store, FIGURES)}
    assert not any("/vocab/currency/" in unit for unit in every)
    assert {currency for _, currency in MONEY} == every - {
        unit for unit in every if not unit.startswith("http://qudt.org/vocab/unit/CCY_")
    }


def test_people_trained_by_city(store: ox.Store) -> None:
    rows = _rows(store, QUERY.read_text(encoding="utf-8"))
    assert [
        (
            row["city"].value,
            row["people"].value,
            row["counted"].value,
            row["exact"].value,
            row["period"].value if "period" in row else None,
        )
        for row in rows
    ] == [
        ("Kota Surakarta", "350", "peserta", "350 peserta", "2023"),
        ("Kota Yogyakarta", "1200", "pemuda", "1.200 pemuda", None),
    ]


def test_no_figures_leaves_them_out_and_nothing_else(
    tmp_path: Path, published_examples: tuple[Path, PublishResult]
) -> None:
    without = tmp_path / "without"
    result = CliRunner().invoke(
        main, ["publish", str(ROOT / "examples" / "pages"), "--out", str(without), "--no-figures"]
    )
    assert result.exit_code == 0, result.output
    with_lines = (published_examples[0] / "nualod.nt").read_text(encoding="utf-8").splitlines()
    without_lines = (without / "nualod.nt").read_text(encoding="utf-8").splitlines()
    figure_lines = [line for line in with_lines if "#figure-" in line]
    # 5 figures; 2 counted nouns; 1 period; 1 qualifier ("Sekitar 200 ribu tenaga kerja")
    assert len(figure_lines) == 5 * 17 + 2 + 1 + 1
    assert not [line for line in without_lines if "#figure-" in line or "/ns/oa#" in line]
    assert sorted(without_lines) == sorted(line for line in with_lines if "#figure-" not in line)


def test_a_qualifier_is_the_same_in_every_table_and_on_the_page(
    published_examples: tuple[Path, PublishResult], tmp_path: Path
) -> None:
    """The CSV cell, the plain JSON (and the triple it expands to) and the practice page
    say what the dumps say of "Sekitar 200 ribu tenaga kerja"."""
    import csv
    import json
    import shutil

    from pyld import jsonld

    from nualod.site.build import build_site

    out = published_examples[0]
    with (out / "practice-figures.csv").open(encoding="utf-8-sig", newline="") as table:
        cells = {row["figure"].rsplit("#", 1)[1]: row["qualifier"] for row in csv.DictReader(table)}
    assert cells["figure-abstract-318"] == "About"
    assert [name for name, said in cells.items() if said] == ["figure-abstract-318"]
    document = json.loads((out / "practices.json").read_text(encoding="utf-8"))
    said = {
        figure["id"].rsplit("#", 1)[1]: figure["qualifier"]
        for practice in document["practices"]
        for figure in practice["figures"]
    }
    assert said["figure-abstract-318"] == "About" and sum(1 for q in said.values() if q) == 1
    one = {**document, "practices": document["practices"][:0]}
    one["practices"] = [p for p in document["practices"] if p["title"] == PEKALONGAN]
    quads = jsonld.to_rdf(one, {"format": "application/n-quads"})
    assert (
        "#figure-abstract-318> <https://w3id.org/nualod/def#qualifier> "
        "<https://w3id.org/nualod/def#About> ."
    ) in quads
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    build_site(copy, search=False)
    site = copy / "site"
    pages = {
        lang: next(site.glob(f"{folder}id/practice/*/10-47-*.html")).read_text("utf-8")
        for lang, folder in (("id", ""), ("en", "en/"))
    }
    assert 'sekitar <data value="200000">200.000 tenaga kerja</data>' in pages["id"]
    assert (
        'about <data value="200000">200,000 <span lang="id">tenaga kerja</span></data>'
        in pages["en"]
    )


def test_the_pages_words_for_a_qualifier_are_the_vocabulary_s_labels() -> None:
    """The practice page says a qualifier with the words the vocabulary labels it with."""
    import rdflib

    from nualod.figures import QUALIFIER_NAMES
    from nualod.model.namespaces import NUA
    from nualod.model.resources import resource_text
    from nualod.site.html import WORDS

    vocabulary = rdflib.Graph().parse(data=resource_text("vocab/nualod.ttl"), format="turtle")
    for name in QUALIFIER_NAMES:
        labels = {
            label.language: str(label)
            for label in vocabulary.objects(rdflib.URIRef(NUA + name), rdflib.RDFS.label)
            if isinstance(label, rdflib.Literal)
        }
        assert WORDS[name] == labels, name
