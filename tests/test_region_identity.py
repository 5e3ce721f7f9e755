"""Regions: a point for every kabupaten and kota, and no owl:sameAs for a changed territory."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from nualod.link.reference import load_regions
from nualod.map.practice import region_triples
from nualod.model.iris import DataIRIs
from nualod.model.terms import AS_WKT, CLOSE_MATCH, EDITORIAL_NOTE, SAME_AS
from nualod.run.publish import PublishResult

#: Indonesia's extent (Natural Earth, rounded outwards): west, south, east, north.
INDONESIA_BOX = (94.9, -11.1, 141.1, 6.1)


def test_the_places_whose_territory_changed_are_papua_and_papua_barat() -> None:
    changed = {
        code: r.identity_note for code, r in load_regions().items() if r.identity != "sameAs"
    }
    assert sorted(changed) == ["91", "92"]
    assert changed["91"] == (
        "territory changed since 2017: part of the 2017 province (Q5095) now forms "
        "93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan; the 2017 Wikidata and "
        "GeoNames identifiers describe the earlier, larger province"
    )
    assert changed["92"] == (
        "territory changed since 2017: part of the 2017 province (Q5096) now forms "
        "96 Papua Barat Daya; the 2017 Wikidata and GeoNames identifiers describe the "
        "earlier, larger province"
    )
    assert {r.identity for r in load_regions().values()} == {"sameAs", "closeMatch"}


def test_a_changed_province_is_a_close_match_never_the_same() -> None:
    triples = region_triples(load_regions()["91"], DataIRIs())
    assert [t for t in triples if t.predicate == SAME_AS] == []
    assert sorted(t.object.value for t in triples if t.predicate == CLOSE_MATCH) == [
        "http://www.wikidata.org/entity/Q5095",
        "https://sws.geonames.org/1643012/",
    ]
    notes = [t.object for t in triples if t.predicate == EDITORIAL_NOTE]
    assert len(notes) == 1 and isinstance(notes[0], Literal) and notes[0].language == "en"
    # A regency moved into a new province keeps its own identity.
    merauke = region_triples(load_regions()["93.01"], DataIRIs())
    assert [t.object.value for t in merauke if t.predicate == SAME_AS] == [
        "http://www.wikidata.org/entity/Q27693",
        "https://sws.geonames.org/1635387/",
    ]


#: The kabupaten/kota whose source point is left out (nualod/data/ATTRIBUTION.md): shared by
#: several regions, or lying among another province's.
NO_POINT = frozenset(
    [
        "12.04",
        "12.09",
        "12.11",
        "12.12",
        "12.14",
        "12.17",
        "12.19",
        "13.05",
        "13.07",
        "13.12",
        "16.11",
        "18.05",
        "18.12",
        "31.71",
        "31.72",
        "32.01",
        "32.02",
        "32.06",
        "32.07",
        "32.09",
        "32.16",
        "32.18",
        "33.13",
        "33.18",
        "33.26",
        "34.03",
        "34.04",
        "35.05",
        "35.16",
        "35.22",
        "35.25",
        "36.02",
        "36.04",
        "36.72",
        "36.73",
        "52.03",
        "52.04",
        "64.01",
        "64.02",
        "64.08",
        "64.09",
        "72.01",
        "72.07",
        "72.11",
        "74.05",
        "74.09",
        "76.01",
        "76.05",
        "76.06",
        "91.06",
    ]
)


def test_every_kabupaten_and_kota_has_a_point_in_indonesia_but_doubtful_ones() -> None:
    west, south, east, north = INDONESIA_BOX
    kinds = Counter()
    located = []
    for region in load_regions().values():
        if region.kind == "provinsi" or region.code in NO_POINT:
            assert region.latitude is None and region.longitude is None, region.code
            continue
        assert region.latitude and region.longitude, region.code
        kinds[region.kind] += 1
        assert west <= float(region.longitude) <= east, region.code
        assert south <= float(region.latitude) <= north, region.code
        located.append((region, (float(region.latitude), float(region.longitude))))
    assert kinds == {"kabupaten": 370, "kota": 94}
    # No point is two regions' (within 0.01 degree, the same point written otherwise).
    assert all(
        math.dist(a, b) >= 0.01 for i, (_, a) in enumerate(located) for _, b in located[i + 1 :]
    )
    # None lies among another province's: Biak Numfor (Papua) was at Bandung's point.
    for region, point in located:
        nearest = sorted(
            (math.dist(point, other), o.province_code) for o, other in located if o is not region
        )
        own = next(d for d, province in nearest if province == region.province_code)
        assert not (
            all(province != region.province_code for _, province in nearest[:3])
            and own > 1.5
            and own > 3 * nearest[0][0]
        ), region.code


def test_a_region_point_is_geosparql_wkt() -> None:
    triples = region_triples(load_regions()["33.75"], DataIRIs())
    (wkt,) = [t.object for t in triples if t.predicate == AS_WKT]
    assert isinstance(wkt, Literal)
    assert wkt.value == "POINT(109.675277777 -6.888333333)"
    assert wkt.datatype == NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")


def test_every_node_appears_once_in_the_jsonld_dump(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    graph = json.loads((out / "nualod.jsonld").read_text(encoding="utf-8"))["@graph"]
    counts = Counter(node["id"] for node in graph)
    assert [iri for iri, count in counts.items() if count > 1] == []
    by_id = {node["id"]: node for node in graph}
    indicator = by_id["https://w3id.org/nualod/code/indicator/47"]
    assert indicator["prefLabel"]["id"] == (
        "Jumlah Tahunan Individu yang Dilatih dalam Pendidikan Vokasi dan Teknik"
    )
    assert "http://metadata.un.org/sdg/4.4" in indicator["relatedMatch"]
