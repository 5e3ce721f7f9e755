"""The reference files shipped in the package: shape, counts, identifiers, alignments."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from nualod.link.reference import (
    ALIGNMENT_PROPERTIES,
    Alignment,
    load_alignments,
    load_creative_cities,
    load_nuf_codes,
    load_regions,
    load_sdg_codes,
    sdg_iri,
)
from nualod.model.namespaces import INDICATOR_SCHEME, SDG, THEME_SCHEME, UNESCO_THESAURUS
from nualod.model.resources import resource as resource_path
from nualod.model.resources import resource_bytes, resource_text

SDGO = rdflib.Namespace("http://metadata.un.org/sdg/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference not present")

CSV_FILES = [
    "data/regions.csv",
    "data/creative_cities.csv",
    "data/nuf_themes_indicators.csv",
    "data/sdg_codes.csv",
    "vocab/alignments.csv",
]
TTL_FILES = ["vocab/sdg.ttl", "vocab/unesco-thesaurus.ttl"]


def graph(path: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=resource_text(path), format="turtle")


SDG_GRAPH = graph("vocab/sdg.ttl")
UNESCO_GRAPH = graph("vocab/unesco-thesaurus.ttl")


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CSV_FILES + TTL_FILES)
def test_files_are_utf8_with_lf(path: str) -> None:
    data = resource_bytes(path)
    data.decode("utf-8")
    assert b"\r" not in data
    assert data.endswith(b"\n")


@pytest.mark.parametrize("path", TTL_FILES)
def test_turtle_parses_with_rdflib_and_pyoxigraph(path: str) -> None:
    g = graph(path)
    triples = list(ox.parse(resource_bytes(path), format=ox.RdfFormat.TURTLE))
    assert len(g) == len(set(triples)) > 0


def test_regions_csv_is_sorted_by_code() -> None:
    codes = [row["code"] for row in csv.DictReader(io.StringIO(resource_text("data/regions.csv")))]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))


def test_resource_path_rejects_escape() -> None:
    with pytest.raises(ValueError):
        resource_path("../../etc/passwd")
    assert resource_path("vocab/sdg.ttl").is_file()


# --- regions -------------------------------------------------------------------------------


def test_region_counts() -> None:
    kinds = Counter(r.kind for r in load_regions().values())
    assert kinds == {"provinsi": 38, "kabupaten": 416, "kota": 98}


def test_pekalongan() -> None:
    kota, kab = load_regions()["33.75"], load_regions()["33.26"]
    assert (kota.name, kota.kind, kota.province_code) == ("Kota Pekalongan", "kota", "33")
    assert (kota.wikidata, kota.geonames) == ("Q11026", "1631766")
    assert (kab.name, kab.kind) == ("Kabupaten Pekalongan", "kabupaten")


def test_region_fields_are_well_formed() -> None:
    regions = load_regions()
    for code, r in regions.items():
        assert code == r.code
        assert r.name == r.name.strip() and "  " not in r.name
        if r.kind == "provinsi":
            assert re.fullmatch(r"\d{2}", code) and r.province_code is None
        else:
            assert re.fullmatch(r"\d{2}\.\d{2}", code)
            assert r.province_code == code[:2] and r.province_code in regions
            assert r.name.startswith("Kota " if r.kind == "kota" else "Kabupaten ")
        assert r.wikidata is None or re.fullmatch(r"Q\d+", r.wikidata)
        assert r.geonames is None or re.fullmatch(r"\d+", r.geonames)
    qids = [r.wikidata for r in regions.values() if r.wikidata]
    geonames = [r.geonames for r in regions.values() if r.geonames]
    assert len(qids) == len(set(qids))
    assert len(geonames) == len(set(geonames))


def test_new_papua_provinces_have_no_identifiers() -> None:
    for code in ("93", "94", "95", "96"):
        r = load_regions()[code]
        assert r.wikidata is None and r.geonames is None


@needs_shared
def test_regions_agree_with_shared_reference() -> None:
    regions = load_regions()
    with (SHARED / "idn_kabkota_kemendagri2025_with_wikidata.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 514
    for row in rows:
        r = regions[row["kemendagri_code"]]
        assert r.name == row["name"].strip()
        assert r.kind == row["type"] and r.province_code == row["province_code"]
        if row["wikidata_qid_2017"]:
            assert r.wikidata == row["wikidata_qid_2017"]
        if r.geonames:
            assert row["geonames_id_2017"] in ("", r.geonames)
    with (SHARED / "idn_provinces_kemendagri2025.csv").open(encoding="utf-8") as f:
        provinces = {row["kemendagri_code"]: row["name"] for row in csv.DictReader(f)}
    assert {c: r.name for c, r in regions.items() if r.kind == "provinsi"} == provinces


# --- creative cities, NUF codes ------------------------------------------------------------


def test_creative_cities() -> None:
    cities = load_creative_cities()
    assert set(cities) == {"31", "32.73", "33.75", "81.71"}
    for code, city in cities.items():
        assert code in load_regions()
        assert city.page.startswith("https://en.unesco.org/creative-cities/")
        assert city.evidence
    assert cities["33.75"].year == 2014 and cities["33.75"].field == "Crafts and Folk Art"


def test_nuf_codes() -> None:
    codes = load_nuf_codes()
    assert set(codes.themes) == {1, 2, 3, 6, 9, 10, 11, 13, 16}
    assert {47, 77} <= set(codes.indicators)
    assert codes.indicators[47].theme == 10
    assert codes.indicators[77].theme == 16
    assert codes.themes[3].name_id == "Ruang Terbuka Hijau dan Biru, Kualitas Udara serta Kesehatan"


# --- SDG -----------------------------------------------------------------------------------


def concepts_of(cls: rdflib.URIRef) -> set[rdflib.term.Node]:
    return set(SDG_GRAPH.subjects(RDF.type, cls))


def test_sdg_counts() -> None:
    assert len(concepts_of(SDGO.Goal)) == 17
    assert len(concepts_of(SDGO.Target)) == 169
    assert len(concepts_of(SDGO.Indicator)) == 232
    assert len(concepts_of(SKOS.Concept)) == 17 + 169 + 232


def test_sdg_iris_are_the_uns() -> None:
    for s in concepts_of(SKOS.Concept):
        assert str(s).startswith(SDG)
        assert not re.fullmatch(re.escape(SDG) + r"\w+\.\w+\.\w+", str(s)), s
    for s in concepts_of(SDGO.Indicator):
        assert re.fullmatch(re.escape(SDG) + r"C\d{2}\w\w\d\d", str(s)), s


def test_sdg_indicator_codes() -> None:
    assert sdg_iri("4.4.1") == SDG + "C040401"
    assert {sdg_iri(c) for c in ("1.5.1", "11.5.1", "13.1.1")} == {SDG + "C200303"}
    c = rdflib.URIRef(SDG + "C200303")
    notations = {str(n) for n in SDG_GRAPH.objects(c, SKOS.notation)}
    assert {"1.5.1", "11.5.1", "13.1.1", "C200303"} <= notations
    assert set(SDG_GRAPH.objects(c, SKOS.broader)) == {
        rdflib.URIRef(SDG + t) for t in ("1.5", "11.5", "13.1")
    }
    for t in ("1.5", "11.5", "13.1"):
        assert c in set(SDG_GRAPH.objects(rdflib.URIRef(SDG + t), SKOS.narrower))


def test_sdg_code_table_agrees_with_graph() -> None:
    codes = load_sdg_codes()
    assert len(codes) == 17 + 169 + len(
        [
            n
            for s in concepts_of(SDGO.Indicator)
            for n in SDG_GRAPH.objects(s, SKOS.notation)
            if n.datatype == SDGO.SDGCodeCompact
        ]
    )
    for code, iri in codes.items():
        lits = {str(n) for n in SDG_GRAPH.objects(rdflib.URIRef(iri), SKOS.notation)}
        assert code in lits


def test_sdg_hierarchy_labels_and_scheme() -> None:
    scheme = rdflib.URIRef("http://metadata.un.org/sdg")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in SDG_GRAPH
    assert any("Joshi" in str(o) for o in SDG_GRAPH.objects(scheme, DCTERMS.bibliographicCitation))
    for s in concepts_of(SKOS.Concept):
        assert (s, SKOS.inScheme, scheme) in SDG_GRAPH
        langs = Counter(lbl.language for lbl in SDG_GRAPH.objects(s, SKOS.prefLabel))
        assert langs["en"] == 1 and max(langs.values()) == 1, s
    for s in concepts_of(SDGO.Target):
        assert len(list(SDG_GRAPH.objects(s, SKOS.broader))) == 1
    for s in concepts_of(SDGO.Indicator):
        broader = set(SDG_GRAPH.objects(s, SKOS.broader))
        assert broader and broader <= concepts_of(SDGO.Target)
    goal4 = rdflib.URIRef(SDG + "4")
    labels = {(str(lbl), lbl.language) for lbl in SDG_GRAPH.objects(goal4, SKOS.prefLabel)}
    assert labels == {("Quality education", "en"), ("Pendidikan Berkualitas", "id")}
    assert (goal4, SKOS.narrower, rdflib.URIRef(SDG + "4.4")) in SDG_GRAPH
    assert (rdflib.URIRef(SDG + "C040401"), SKOS.broader, rdflib.URIRef(SDG + "4.4")) in SDG_GRAPH
    for g in concepts_of(SDGO.Goal):
        assert (g, SKOS.topConceptOf, scheme) in SDG_GRAPH
        assert len([o for o in SDG_GRAPH.objects(g, SKOS.prefLabel) if o.language == "id"]) == 1
        assert list(SDG_GRAPH.objects(g, SKOS.definition))


def test_every_target_s_label_is_its_whole_title() -> None:
    """The UN's snapshot cut target 12.3's English label to "By 2030,d" and gave it a
    "macroeconomic dashboard"'s labels in French and Spanish (corrected on derivation)."""
    for target in concepts_of(SDGO.Target):
        for label in SDG_GRAPH.objects(target, SKOS.prefLabel | SKOS.altLabel):
            assert len(str(label)) > 40, (target, label)
            assert not str(label).startswith(("Tableau de bord", "Tablero")), (target, label)
    labels = {
        (str(lbl), lbl.language)
        for lbl in SDG_GRAPH.objects(rdflib.URIRef(SDG + "12.3"), SKOS.prefLabel | SKOS.altLabel)
    }
    assert (
        "By 2030, halve per capita global food waste at the retail and consumer levels and "
        "reduce food losses along production and supply chains, including post-harvest losses",
        "en",
    ) in labels
    assert len(labels) == 3


# --- UNESCO --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nualod.ttl", "schemes.ttl", "sdg.ttl", "unesco-thesaurus.ttl"])
def test_agents_are_resources_not_names(name: str) -> None:
    """DCMI Metadata Terms: the range of dcterms:publisher, creator, contributor and
    rightsHolder is dcterms:Agent, a resource; a literal there says a string is an agent
    (RDFS entails it). The UNESCO Thesaurus said "UNESCO"."""
    graph = rdflib.Graph().parse(data=resource_text(f"vocab/{name}"), format="turtle")
    for term in ("publisher", "creator", "contributor", "rightsHolder"):
        for agent in graph.objects(None, DCTERMS[term]):
            assert isinstance(agent, rdflib.URIRef), (name, term, agent)
    if name == "unesco-thesaurus.ttl":
        scheme = rdflib.URIRef("http://vocabularies.unesco.org/thesaurus")
        unesco = rdflib.URIRef("http://www.wikidata.org/entity/Q7809")
        assert set(graph.objects(scheme, DCTERMS.publisher)) == {unesco}
        assert set(graph.objects(scheme, DCTERMS.rightsHolder)) == {unesco}


#: The rights statements of the schemes nualod ships: (scheme, statement, its label).
RIGHTS = {
    "sdg.ttl": (
        "http://metadata.un.org/sdg",
        "https://w3id.org/nualod/code/rights/sdg-kos",
        rdflib.Literal(
            "The SDG Knowledge Organization System, accessible at http://metadata.un.org/sdg, "
            "is made available free of charge and may be copied freely, duplicated and further "
            "distributed with the following citation: Amit Joshi, Luis Gonzalez Morales, "
            "Szymon Klarman, and Aaron Helton. 2019. A Knowledge Organization System for the "
            "United Nations Sustainable Development Goals. New York, NY. "
            "http://metadata.un.org/sdg",
            lang="en",
        ),
    ),
    "unesco-thesaurus.ttl": (
        "http://vocabularies.unesco.org/thesaurus",
        "https://w3id.org/nualod/code/rights/unesco-thesaurus",
        rdflib.Literal(
            "UNESCO Thesaurus, © UNESCO, licensed under CC BY-SA 3.0 IGO "
            "(https://creativecommons.org/licenses/by-sa/3.0/igo/). This file is an excerpt "
            "made for nualod (selected concepts with their labels and broader links); it is "
            "shared under the same licence and is not endorsed by UNESCO.",
            lang="en",
        ),
    ),
}


@pytest.mark.parametrize("name", ["nualod.ttl", "schemes.ttl", "sdg.ttl", "unesco-thesaurus.ttl"])
def test_rights_are_rights_statements_not_strings(name: str) -> None:
    """DCMI Metadata Terms and DCAT-AP 3: the range of dcterms:rights is
    dcterms:RightsStatement, a resource; the statement's text is its rdfs:label."""
    graph = rdflib.Graph().parse(data=resource_text(f"vocab/{name}"), format="turtle")
    found = {
        (str(scheme), str(statement), label)
        for scheme, statement in graph.subject_objects(DCTERMS.rights)
        for label in graph.objects(statement, rdflib.RDFS.label)
        if (statement, RDF.type, DCTERMS.RightsStatement) in graph
    }
    assert len(list(graph.objects(None, DCTERMS.rights))) == len(found)
    assert found == ({RIGHTS[name]} if name in RIGHTS else set())


def test_the_published_schemes_state_their_rights_as_resources(
    published_examples: tuple[Path, object],
) -> None:
    """The reference graph of the published data carries the schemes' rights statements as
    typed nodes with their text, and no dcterms:rights is a literal."""
    store = ox.Store()
    store.bulk_load(path=str(published_examples[0] / "nualod.nq"), format=ox.RdfFormat.N_QUADS)
    rights = ox.NamedNode(str(DCTERMS.rights))
    assert not any(
        isinstance(q.object, ox.Literal) for q in store.quads_for_pattern(None, rights, None)
    )
    reference = ox.NamedNode("https://w3id.org/nualod/id/graph/reference")
    for scheme, statement, label in RIGHTS.values():
        node = ox.NamedNode(statement)
        assert [
            q.object for q in store.quads_for_pattern(ox.NamedNode(scheme), rights, None, reference)
        ] == [node]
        assert {
            (q.predicate.value, q.object)
            for q in store.quads_for_pattern(node, None, None, reference)
        } == {
            (str(RDF.type), ox.NamedNode(str(DCTERMS.RightsStatement))),
            (str(rdflib.RDFS.label), ox.Literal(str(label), language=label.language)),
        }


def test_unesco_thesaurus_excerpt() -> None:
    scheme = rdflib.URIRef("http://vocabularies.unesco.org/thesaurus")
    concepts = set(UNESCO_GRAPH.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 110
    c = rdflib.URIRef(UNESCO_THESAURUS + "concept9927")
    assert rdflib.Literal("Technical and vocational education", lang="en") in set(
        UNESCO_GRAPH.objects(c, SKOS.prefLabel)
    )
    assert (
        scheme,
        DCTERMS.license,
        rdflib.URIRef("https://creativecommons.org/licenses/by-sa/3.0/igo/"),
    ) in UNESCO_GRAPH
    assert (scheme, DCTERMS.rightsHolder, None) in UNESCO_GRAPH
    for s in concepts:
        assert (s, SKOS.inScheme, scheme) in UNESCO_GRAPH
        langs = Counter(lbl.language for lbl in UNESCO_GRAPH.objects(s, SKOS.prefLabel))
        assert langs["en"] == 1 and langs["fr"] == 1 and max(langs.values()) == 1, s
    assert "CC BY-SA 3.0 IGO" in resource_text("vocab/unesco-thesaurus.ttl").split("@prefix")[0]


@needs_shared
def test_unesco_selected_concepts_are_all_shipped() -> None:
    with (SHARED / "unesco_thesaurus_selected_concepts.csv").open(encoding="utf-8") as f:
        selected = {row["uri"] for row in csv.DictReader(f)}
    assert len(selected) == 110
    shipped = {str(s) for s in UNESCO_GRAPH.subjects(RDF.type, SKOS.Concept)}
    assert selected <= shipped


# --- alignments ----------------------------------------------------------------------------


def test_alignment_rows_are_well_formed_and_sorted() -> None:
    rows = load_alignments()
    assert rows
    subject = re.compile(rf"{re.escape(THEME_SCHEME)}/\d\d|{re.escape(INDICATOR_SCHEME)}/[1-9]\d*")
    known = set(SDG_GRAPH.subjects(RDF.type, SKOS.Concept)) | set(
        UNESCO_GRAPH.subjects(RDF.type, SKOS.Concept)
    )
    for a in rows:
        assert subject.fullmatch(a.subject), a.subject
        assert a.property in ALIGNMENT_PROPERTIES
        assert rdflib.URIRef(a.object) in known, a.object
        assert a.subject_label and a.object_label
        assert a.justification.endswith(".") and a.justification.count(". ") == 0
    pairs = [(a.subject, a.object) for a in rows]
    assert len(pairs) == len(set(pairs))

    def key(a: Alignment) -> tuple[int, int, str, str]:
        scheme, number = a.subject.rsplit("/", 2)[-2:]
        return (0 if scheme == "theme" else 1, int(number), a.property, a.object)

    assert list(rows) == sorted(rows, key=key)


def test_alignments_cover_every_nuf_theme_and_indicator() -> None:
    codes = load_nuf_codes()
    subjects = {a.subject for a in load_alignments()}
    for n in codes.themes:
        assert f"{THEME_SCHEME}/{n:02d}" in subjects
    for n in codes.indicators:
        assert f"{INDICATOR_SCHEME}/{n}" in subjects


def test_indicator_47_alignments() -> None:
    got = {
        (a.property, a.object) for a in load_alignments() if a.subject == f"{INDICATOR_SCHEME}/47"
    }
    objects = {o for _, o in got}
    assert {SDG + "4.3", SDG + "4.4", SDG + "C040301", UNESCO_THESAURUS + "concept9927"} <= objects
    for prop, obj in got:
        if obj in (SDG + "4.3", SDG + "4.4", SDG + "C040301"):
            assert prop in ("skos:relatedMatch", "skos:closeMatch")
    theme10 = {a.object for a in load_alignments() if a.subject == f"{THEME_SCHEME}/10"}
    assert UNESCO_THESAURUS + "concept9927" in theme10


def test_no_exact_match_between_different_concepts() -> None:
    # exactMatch is transitive; nualod's own concepts are not the SDG or UNESCO ones.
    assert all(a.property != "skos:exactMatch" for a in load_alignments())


def test_the_sites_shipped_region_points_are_plausible() -> None:
    """The site's own points (for the units ``regions.csv`` gives no coordinates) come from a
    2017 file with wrong ones (Biak Numfor at Bandung, one point for three kabupaten): each
    kept lies near its province's published points and is no other unit's point."""
    regions = list(csv.DictReader(io.StringIO(resource_text("data/regions.csv"))))
    shipped = {
        row["code"]: (float(row["latitude"]), float(row["longitude"]))
        for row in csv.DictReader(io.StringIO(resource_text("site/data/region_points.csv")))
    }
    published = {
        row["code"]: (float(row["latitude"]), float(row["longitude"]))
        for row in regions
        if row["latitude"] and row["longitude"]
    }
    province_of = {row["code"]: row["province_code"] for row in regions}
    # The points the site uses: the published one where there is one.
    points = Counter(
        (round(lat, 2), round(lon, 2)) for lat, lon in {**shipped, **published}.values()
    )
    own = {code: point for code, point in shipped.items() if code not in published}
    assert own and "91.06" not in own and "34.04" not in own
    for code, (lat, lon) in own.items():
        box = [p for c, p in published.items() if province_of[c] == province_of[code]]
        assert min(p[0] for p in box) - 1.5 <= lat <= max(p[0] for p in box) + 1.5, code
        assert min(p[1] for p in box) - 1.5 <= lon <= max(p[1] for p in box) + 1.5, code
        assert points[(round(lat, 2), round(lon, 2))] == 1, code
    # Where a unit has published coordinates, the shipped point is about the same place.
    for code, point in shipped.items():
        if code in published:
            assert abs(point[0] - published[code][0]) + abs(point[1] - published[code][1]) < 0.05
