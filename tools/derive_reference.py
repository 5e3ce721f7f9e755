"""Derive the reference files nualod ships from the shared reference folder (documentation).

This script was run once, by hand, from the repository root against ``../shared/reference``
(``python tools/derive_reference.py ../shared/reference``). It is kept here only to
document how the shipped files were made. It is **not** used at run time and must not be
imported by the package; nothing in nualod reads ``../shared`` at run time.

It writes:

- ``nualod/data/regions.csv``: 38 provinces and 514 kabupaten/kota (Kemendagri 2025 codes)
  with Wikidata QIDs and GeoNames ids (soluvas/opendata, 2017);
- ``nualod/data/creative_cities.csv``: Indonesian members of the UNESCO Creative Cities Network;
- ``nualod/data/nuf_themes_indicators.csv``: the partial list of NUF themes and indicators;
- ``nualod/data/sdg_codes.csv``: every printed SDG code to the UN's IRI;
- ``nualod/vocab/sdg.ttl``: the UN SDG KOS (goals, targets, indicators) as SKOS;
- ``nualod/vocab/alignments.csv``: the first curation of alignments (``ALIGNMENTS`` below);
  from now on edit the CSV directly and keep this list in step, or stop re-running;
- ``nualod/vocab/unesco-thesaurus.ttl``: the UNESCO Thesaurus concepts nualod uses.

Judgement calls are explained in ``nualod/data/ATTRIBUTION.md``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

SDG = "http://metadata.un.org/sdg/"
SDGO = "http://metadata.un.org/sdg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCTERMS = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
UNESCO = "http://vocabularies.unesco.org/thesaurus/"
UNESCO_SCHEME = "http://vocabularies.unesco.org/thesaurus"
SDG_SCHEME = "http://metadata.un.org/sdg"
THEME = "https://w3id.org/nualod/code/theme/"
INDICATOR = "https://w3id.org/nualod/code/indicator/"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SDG_CITATION = (
    "Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. "
    "A Knowledge Organization System for the United Nations Sustainable Development Goals. "
    "New York, NY. http://metadata.un.org/sdg (see also doi:10.1007/978-3-030-77385-4_33)"
)

# (subject, property, object, justification). Subjects: "theme/NN" or "indicator/N";
# objects: "sdg:<code>" (printed code, turned into the UN IRI) or "unesco:conceptNNNN".
ALIGNMENTS: tuple[tuple[str, str, str, str], ...] = (
    # Theme 01: eliminate poverty.
    (
        "theme/01",
        "skos:closeMatch",
        "sdg:1",
        "Theme 01 restates SDG 1 (end poverty in all its forms) with a focus on the well-being"
        " of urban society.",
    ),
    (
        "theme/01",
        "skos:closeMatch",
        "unesco:concept2041",
        "The theme is about eliminating poverty, which the Thesaurus files under poverty"
        " alleviation (poverty eradication, poverty reduction).",
    ),
    (
        "theme/01",
        "skos:relatedMatch",
        "unesco:concept7235",
        "Poverty as a condition is the subject the theme acts on, not the action itself.",
    ),
    # Theme 02: inclusivity.
    (
        "theme/02",
        "skos:closeMatch",
        "sdg:10.2",
        "Target 10.2 asks for the social, economic and political inclusion of all, which is"
        " what the inclusivity theme tracks.",
    ),
    (
        "theme/02",
        "skos:relatedMatch",
        "sdg:10",
        "Inclusivity serves SDG 10 (reduced inequalities) but the goal also covers inequality"
        " among countries.",
    ),
    (
        "theme/02",
        "skos:closeMatch",
        "unesco:concept12679",
        "Social inclusion is the Thesaurus concept nearest to the theme's inclusivity.",
    ),
    (
        "theme/02",
        "skos:relatedMatch",
        "unesco:concept17148",
        "Inclusive cities are the urban setting the NUA inclusivity theme is concerned with.",
    ),
    # Theme 03: green and blue open space, air quality and health.
    (
        "theme/03",
        "skos:narrowMatch",
        "sdg:11.7",
        "Target 11.7 (access to green and public spaces) covers the open-space part of the"
        " theme only, so it is narrower.",
    ),
    (
        "theme/03",
        "skos:relatedMatch",
        "sdg:11.6",
        "Target 11.6 shares the theme's concern with urban air quality but adds waste management.",
    ),
    (
        "theme/03",
        "skos:relatedMatch",
        "sdg:3.9",
        "Target 3.9 (deaths and illnesses from air, water and soil pollution) links the"
        " theme's air quality and health.",
    ),
    (
        "theme/03",
        "skos:narrowMatch",
        "unesco:concept443",
        "Open spaces are one of the three parts of the theme.",
    ),
    (
        "theme/03",
        "skos:relatedMatch",
        "unesco:concept1946",
        "Air pollution is the problem behind the theme's air-quality part.",
    ),
    (
        "theme/03",
        "skos:relatedMatch",
        "unesco:concept8424",
        "Environmental health joins the theme's air quality and health parts.",
    ),
    # Theme 06: adequate human settlements.
    (
        "theme/06",
        "skos:closeMatch",
        "sdg:11.1",
        "Target 11.1 (adequate, safe and affordable housing and basic services, upgrade slums)"
        " is what adequate human settlements means in the SDGs.",
    ),
    (
        "theme/06",
        "skos:broadMatch",
        "unesco:concept441",
        "The theme is about adequate human settlements, a narrower idea than human"
        " settlements as such.",
    ),
    (
        "theme/06",
        "skos:relatedMatch",
        "unesco:concept440",
        "Housing is the main component of an adequate human settlement.",
    ),
    (
        "theme/06",
        "skos:relatedMatch",
        "unesco:concept7692",
        "The right to housing is the rights framing of adequate settlements.",
    ),
    # Theme 09: ICT.
    (
        "theme/09",
        "skos:relatedMatch",
        "sdg:9.c",
        "Target 9.c (access to ICT and the Internet) is the SDG target about ICT, though it"
        " addresses least developed countries.",
    ),
    (
        "theme/09",
        "skos:relatedMatch",
        "sdg:17.8",
        "Target 17.8 covers enabling technology, in particular ICT.",
    ),
    (
        "theme/09",
        "skos:closeMatch",
        "unesco:concept523",
        "The Thesaurus concept Information technology carries ICT as its alternative label.",
    ),
    (
        "theme/09",
        "skos:relatedMatch",
        "unesco:concept16994",
        "The digital divide is the gap that ICT practices in cities try to close.",
    ),
    # Theme 10: name not found; its one known indicator (47) is about TVET.
    (
        "theme/10",
        "skos:relatedMatch",
        "sdg:4.4",
        "The theme's name is not known, but its indicator 47 counts people trained in"
        " technical and vocational education, the skills of target 4.4.",
    ),
    (
        "theme/10",
        "skos:relatedMatch",
        "sdg:4.3",
        "The theme's indicator 47 is about technical and vocational education, to which"
        " target 4.3 asks for equal access.",
    ),
    (
        "theme/10",
        "skos:relatedMatch",
        "unesco:concept9927",
        "The theme's one known indicator (47) is about technical and vocational education.",
    ),
    # Theme 11: employment, MSME support and the creative economy (name truncated on the page).
    (
        "theme/11",
        "skos:closeMatch",
        "sdg:8.3",
        "Target 8.3 combines decent job creation, entrepreneurship, creativity and the growth"
        " of micro, small and medium enterprises, the same mix as the theme.",
    ),
    (
        "theme/11",
        "skos:relatedMatch",
        "sdg:8.5",
        "Target 8.5 (full and productive employment) covers the theme's employment part.",
    ),
    (
        "theme/11",
        "skos:relatedMatch",
        "unesco:concept682",
        "Employment is one part of the theme (Sektor Pekerjaan).",
    ),
    (
        "theme/11",
        "skos:relatedMatch",
        "unesco:concept9673",
        "Small enterprises stand for the theme's support of UMKM (micro, small and medium"
        " enterprises).",
    ),
    (
        "theme/11",
        "skos:relatedMatch",
        "unesco:concept4347",
        "The truncated name most likely ends in Ekonomi Kreatif, which the Thesaurus files"
        " under cultural industry (creative economy).",
    ),
    # Theme 13: spatial development.
    (
        "theme/13",
        "skos:relatedMatch",
        "sdg:11.3",
        "Target 11.3 asks for integrated human settlement planning, the core of spatial"
        " development.",
    ),
    (
        "theme/13",
        "skos:relatedMatch",
        "sdg:11.a",
        "Target 11.a strengthens national and regional development planning across urban and"
        " rural areas.",
    ),
    (
        "theme/13",
        "skos:relatedMatch",
        "unesco:concept2148",
        "Urban planning is the main instrument of spatial development in cities.",
    ),
    (
        "theme/13",
        "skos:relatedMatch",
        "unesco:concept7879",
        "Regional planning is the wider-scale part of spatial development.",
    ),
    ("theme/13", "skos:relatedMatch", "unesco:concept442", "Spatial development decides land use."),
    # Theme 16: name not found; its one known indicator (77) is about capacity building.
    (
        "theme/16",
        "skos:relatedMatch",
        "sdg:17.9",
        "The theme's name is not known, but its indicator 77 counts capacity-building"
        " workshops, the subject of target 17.9.",
    ),
    (
        "theme/16",
        "skos:relatedMatch",
        "unesco:concept16978",
        "The theme's one known indicator (77) is about capacity building.",
    ),
    # Indicators of the draft NUA Monitoring Framework (numbering match with NUF inferred).
    (
        "indicator/1",
        "skos:closeMatch",
        "sdg:1.1.1",
        "The draft NUA indicator takes SDG 1.1.1 to the national urban level; closeMatch"
        " because the NUF numbering is inferred and the disaggregation differs.",
    ),
    ("indicator/1", "skos:relatedMatch", "unesco:concept7235", "The indicator measures poverty."),
    (
        "indicator/2",
        "skos:closeMatch",
        "sdg:1.4.2",
        "The draft NUA indicator repeats SDG 1.4.2 word for word; closeMatch because that NUF"
        " indicator 2 is this one is inferred, not stated.",
    ),
    (
        "indicator/2",
        "skos:relatedMatch",
        "unesco:concept13162",
        "The indicator measures secure land tenure.",
    ),
    (
        "indicator/3",
        "skos:closeMatch",
        "sdg:3.9.1",
        "The draft NUA indicator repeats SDG 3.9.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/3",
        "skos:relatedMatch",
        "unesco:concept1946",
        "The indicator measures deaths from air pollution.",
    ),
    (
        "indicator/4",
        "skos:relatedMatch",
        "sdg:5.a.2",
        "SDG 5.a.2 also measures women's legal rights to land, but counts countries and leaves"
        " out inheritance.",
    ),
    (
        "indicator/4",
        "skos:relatedMatch",
        "sdg:5.a",
        "Target 5.a names women's equal rights to ownership, property and inheritance.",
    ),
    (
        "indicator/4",
        "skos:relatedMatch",
        "unesco:concept5308",
        "The indicator is about women's right to property.",
    ),
    (
        "indicator/5",
        "skos:closeMatch",
        "sdg:6.1.1",
        "The draft NUA indicator repeats SDG 6.1.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/5",
        "skos:relatedMatch",
        "unesco:concept1880",
        "The indicator measures access to drinking water.",
    ),
    (
        "indicator/6",
        "skos:closeMatch",
        "sdg:6.2.1",
        "The draft NUA indicator restates SDG 6.2.1 (sanitation and hand-washing); closeMatch"
        " because the NUF numbering is inferred.",
    ),
    (
        "indicator/6",
        "skos:relatedMatch",
        "unesco:concept3180",
        "The indicator measures access to sanitation.",
    ),
    (
        "indicator/7",
        "skos:closeMatch",
        "sdg:7.2.1",
        "The draft NUA indicator repeats SDG 7.2.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/7",
        "skos:relatedMatch",
        "unesco:concept9750",
        "The indicator measures the share of renewable energy.",
    ),
    (
        "indicator/8",
        "skos:closeMatch",
        "sdg:8.2.1",
        "The draft NUA indicator repeats SDG 8.2.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/8",
        "skos:relatedMatch",
        "unesco:concept8276",
        "Real GDP per employed person is a measure of labour productivity.",
    ),
    (
        "indicator/9",
        "skos:closeMatch",
        "sdg:8.3.1",
        "The draft NUA indicator repeats SDG 8.3.1 in its 2020 wording; closeMatch because the"
        " NUF numbering is inferred.",
    ),
    (
        "indicator/9",
        "skos:relatedMatch",
        "unesco:concept3592",
        "The indicator measures informal employment, the informal sector.",
    ),
    (
        "indicator/10",
        "skos:closeMatch",
        "sdg:8.5.2",
        "The draft NUA indicator extends SDG 8.5.2 with a breakdown by city; closeMatch"
        " because the NUF numbering is inferred.",
    ),
    (
        "indicator/10",
        "skos:relatedMatch",
        "unesco:concept4467",
        "The indicator measures unemployment.",
    ),
    (
        "indicator/11",
        "skos:closeMatch",
        "sdg:8.6.1",
        "The draft NUA indicator repeats SDG 8.6.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/11",
        "skos:relatedMatch",
        "unesco:concept9044",
        "Young people not in employment, education or training are the other side of youth"
        " employment.",
    ),
    (
        "indicator/12",
        "skos:closeMatch",
        "sdg:9.2.2",
        "The draft NUA indicator repeats SDG 9.2.2; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/12",
        "skos:relatedMatch",
        "unesco:concept6015",
        "The indicator measures employment in manufacturing industry.",
    ),
    (
        "indicator/19",
        "skos:closeMatch",
        "sdg:11.7.1",
        "The draft NUA indicator repeats SDG 11.7.1; closeMatch because the NUF numbering is"
        " inferred.",
    ),
    (
        "indicator/19",
        "skos:relatedMatch",
        "unesco:concept443",
        "The indicator measures open space for public use.",
    ),
    (
        "indicator/35",
        "skos:relatedMatch",
        "sdg:11.2",
        "No SDG indicator counts bike lanes; dedicated bike lanes serve target 11.2"
        " (sustainable transport systems for all).",
    ),
    (
        "indicator/35",
        "skos:relatedMatch",
        "unesco:concept3890",
        "The indicator measures infrastructure for bicycles.",
    ),
    (
        "indicator/36",
        "skos:relatedMatch",
        "sdg:11.2",
        "No SDG indicator counts sidewalks; dedicated sidewalks serve target 11.2 (safe and"
        " accessible transport, road safety).",
    ),
    (
        "indicator/36",
        "skos:relatedMatch",
        "unesco:concept4696",
        "The indicator measures the share of roads with sidewalks.",
    ),
    # Indicator 47: annual number of individuals trained in technical and vocational education.
    (
        "indicator/47",
        "skos:relatedMatch",
        "sdg:4.3",
        "Target 4.3 asks for access to technical and vocational education, and the indicator"
        " counts the people who received it.",
    ),
    (
        "indicator/47",
        "skos:relatedMatch",
        "sdg:4.4",
        "Target 4.4 asks for more youth and adults with technical and vocational skills, which"
        " the training counted here provides.",
    ),
    (
        "indicator/47",
        "skos:relatedMatch",
        "sdg:4.3.1",
        "SDG 4.3.1 is a participation rate in all education and training, while indicator 47 is"
        " an annual count for technical and vocational education only.",
    ),
    (
        "indicator/47",
        "skos:relatedMatch",
        "unesco:concept9927",
        "The indicator counts individuals trained in technical and vocational education, the"
        " Thesaurus concept it measures.",
    ),
    (
        "indicator/47",
        "skos:relatedMatch",
        "unesco:concept1829",
        "Vocational training is the activity whose participants the indicator counts.",
    ),
    # Indicator 77: countries in capacity-building workshops on NUA indicators.
    (
        "indicator/77",
        "skos:relatedMatch",
        "sdg:17.9",
        "Target 17.9 asks for capacity building in developing countries, and the indicator"
        " counts participation in capacity-building workshops.",
    ),
    (
        "indicator/77",
        "skos:relatedMatch",
        "sdg:17.18",
        "Target 17.18 is capacity building for data and statistics, as are workshops on NUA"
        " indicators.",
    ),
    (
        "indicator/77",
        "skos:relatedMatch",
        "unesco:concept16978",
        "The indicator counts participation in capacity-building workshops.",
    ),
)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV file into a list of row dictionaries."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    """Write a UTF-8 CSV file with LF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def clean(text: str) -> str:
    """Strip a label and collapse runs of white space."""
    return re.sub(r"\s+", " ", text).strip()


def code_key(code: str) -> tuple[int, ...]:
    """Sort Kemendagri codes numerically ("11" < "11.01" < "12")."""
    return tuple(int(p) for p in code.split("."))


def province_key(name: str) -> str:
    """Return a province name without its special-status prefix, for joining by name."""
    name = clean(name).casefold()
    for prefix in ("daerah khusus ibukota ", "daerah khusus ", "daerah istimewa "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def bare_kabkota(name: str) -> tuple[str, str]:
    """Return (kind, bare name) of "Kabupaten X" / "Kota X"."""
    kind, _, rest = clean(name).partition(" ")
    rest = re.sub(
        r"^(Administrasi|Kep\.) ", lambda m: "" if m[1] == "Administrasi" else "Kepulauan ", rest
    )
    return kind.casefold(), rest.casefold()


def derive_regions(ref: Path, out: Path) -> list[str]:
    """Write regions.csv and return notes on the judgement calls taken."""
    notes: list[str] = []
    provs = read_csv(ref / "idn_provinces_kemendagri2025.csv")
    prov2017 = {
        province_key(r["name_id"]): r
        for r in read_csv(ref / "idn_province_wikidata_geonames_iso_2017.csv")
    }
    kk2017 = read_csv(ref / "idn_kabkota_wikidata_geonames_kemendagri_2017.csv")
    state_qid = {province_key(r["stateName"]): r["stateId"] for r in kk2017}
    rows: list[list[str]] = []
    for p in provs:
        key = province_key(p["name"])
        qid, gn = "", ""
        if key in prov2017:
            qid, gn = prov2017[key]["id"], prov2017[key]["geonamesId"]
            if clean(prov2017[key]["name_id"]) != clean(p["name"]):
                notes.append(
                    f"province {p['kemendagri_code']} {p['name']}: joined by name to "
                    f"'{prov2017[key]['name_id']}' ({qid})"
                )
        elif key in state_qid:
            qid = state_qid[key]
            notes.append(
                f"province {p['kemendagri_code']} {p['name']}: Wikidata {qid} from the "
                "stateId column of the 2017 kabupaten/kota file; no GeoNames id"
            )
        else:
            notes.append(f"province {p['kemendagri_code']} {p['name']}: no match (left empty)")
        # No point for a province: the 2017 tables give none (a capital is not its province).
        rows.append([p["kemendagri_code"], clean(p["name"]), "provinsi", "", qid, gn, "", ""])

    kk = read_csv(ref / "idn_kabkota_kemendagri2025_with_wikidata.csv")
    point_by_qid = {r["id"]: (r["pointLat"].strip(), r["pointLon"].strip()) for r in kk2017}
    # Recover the re-coded Papua units by (kind, bare name) among the 2017 Papua rows.
    papua2017: dict[tuple[str, str], dict[str, str]] = {}
    for r in kk2017:
        if r["kemendagriCode"].split(".")[0] in ("91", "92"):
            kind = "kota" if r["place"] == "CITY" else "kabupaten"
            papua2017[(kind, clean(r["name"]).casefold())] = r
    for r in kk:
        qid, gn = r["wikidata_qid_2017"].strip(), r["geonames_id_2017"].strip()
        if not qid:
            kind, bare = bare_kabkota(r["name"])
            hit = papua2017.get((kind, bare))
            if hit and r["province_code"] in ("91", "92", "93", "94", "95", "96"):
                qid, gn = hit["id"], hit["geonamesId"]
                notes.append(
                    f"{r['kemendagri_code']} {clean(r['name'])}: recovered {qid} / {gn} "
                    f"from 2017 code {hit['kemendagriCode']} ({hit['name']})"
                )
        latitude, longitude = point_by_qid.get(qid, ("", ""))
        rows.append(
            [r["kemendagri_code"], clean(r["name"]), r["type"], r["province_code"], qid, gn,
             latitude, longitude]
        )  # fmt: skip
    # A GeoNames id that two regions share is wrong for at least one of them: drop it for both.
    gn_count = Counter(row[5] for row in rows if row[5])
    for row in rows:
        if row[5] and gn_count[row[5]] > 1:
            notes.append(
                f"{row[0]} {row[1]}: GeoNames {row[5]} shared with another region; left empty"
            )
            row[5] = ""
    notes += drop_doubtful_points(rows)
    changed = territory_changes(kk2017, rows)
    for row in rows:
        row += ["closeMatch", changed[row[0]]] if row[0] in changed else ["sameAs", ""]
    rows.sort(key=lambda row: code_key(row[0]))
    write_csv(
        out / "regions.csv",
        ["code", "name", "kind", "province_code", "wikidata", "geonames", "latitude",
         "longitude", "identity", "identity_note"],
        rows,
    )  # fmt: skip
    return notes


def drop_doubtful_points(rows: list[list[str]]) -> list[str]:
    """Leave empty the 2017 points that cannot be a region's, and return why (a map with a
    place missing misleads less than one in the wrong province; a data review found Biak
    Numfor, in Papua, at Bandung's point).

    - A point two or more regions share is wrong for all but one at most: dropped for all.
    - A point that lies among another province's kabupaten/kota is dropped: its three
      nearest points are all of other provinces, the nearest of its own province is more
      than 1.5 degrees away and more than three times as far as the nearest of another.
      (Regions on a province's border, such as Berau or Mukomuko, keep theirs: their own
      province's points are not that far.)
    """
    notes: list[str] = []
    located = [row for row in rows if row[6] and row[7]]

    def point(row: list[str]) -> tuple[float, float]:
        return float(row[6]), float(row[7])

    def distance(a: list[str], b: list[str]) -> float:
        (lat_a, lon_a), (lat_b, lon_b) = point(a), point(b)
        return float(((lat_a - lat_b) ** 2 + (lon_a - lon_b) ** 2) ** 0.5)

    # The same point written to other precisions ("-7.59611" and "-7.596111111") is shared
    # too: points within 0.01 degree (about a kilometre) of each other. Of a kota and the
    # kabupaten it was carved from, the point is the kota's (a town's point: the kabupaten's
    # was its old seat, now the kota's territory); of any other group, nobody's.
    shared: set[int] = set()
    for row in located:
        group = [other for other in located if distance(row, other) < 0.01]
        kota = [other for other in group if other[2] == "kota"]
        if len(group) > 1 and not (len(kota) == 1 and row is kota[0]):
            shared.add(id(row))
    for row in located:
        if id(row) in shared:
            notes.append(
                f"{row[0]} {row[1]}: point {row[6]}, {row[7]} shared with another region; left empty"
            )
    single = [row for row in located if id(row) not in shared]

    doubtful = []
    for row in single:
        others = sorted((distance(row, other), other[3]) for other in single if other is not row)
        own = [d for d, province in others if province == row[3]]
        other = [d for d, province in others if province != row[3]]
        if (
            own
            and other
            and all(province != row[3] for _, province in others[:3])
            and own[0] > 1.5
            and own[0] > 3 * other[0]
        ):
            doubtful.append(row)
            notes.append(
                f"{row[0]} {row[1]}: point {row[6]}, {row[7]} lies among another province's "
                f"kabupaten/kota ({own[0]:.1f} degrees from the nearest of its own); left empty"
            )
    for row in located:
        if id(row) in shared or row in doubtful:
            row[6] = row[7] = ""
    return notes


def territory_changes(kk2017: list[dict[str, str]], rows: list[list[str]]) -> dict[str, str]:
    """Return, by 2025 code, why a region's 2017 identifiers no longer name the same territory.

    A 2017 province whose kabupaten/kota now sit in more than one 2025 province lost territory
    (Papua and Papua Barat, split in 2022): its Wikidata item and GeoNames feature from 2017
    describe the larger, earlier province, so the region is a close match of them, not the same.
    """
    province_of_unit = {row[4]: row[3] for row in rows if row[2] != "provinsi" and row[4]}
    names = {row[0]: row[1] for row in rows if row[2] == "provinsi"}
    now_in: dict[str, set[str]] = defaultdict(set)
    for r in kk2017:
        if r["id"] in province_of_unit:
            now_in[r["stateId"]].add(province_of_unit[r["id"]])
    changed: dict[str, str] = {}
    for row in rows:
        if row[2] != "provinsi" or len(now_in.get(row[4], ())) < 2:
            continue
        others = sorted(now_in[row[4]] - {row[0]}, key=code_key)
        changed[row[0]] = (
            f"territory changed since 2017: part of the 2017 province ({row[4]}) now forms "
            + ", ".join(f"{code} {names[code]}" for code in others)
            + "; the 2017 Wikidata and GeoNames identifiers describe the earlier, larger province"
        )
    return changed


#: The UNESCO Creative Cities Network's seven fields in Indonesian (nualod's own wording,
#: as the vocabulary's definition of nua:creativeField gives them).
UCCN_FIELDS_ID = {
    "Crafts and Folk Art": "Kerajinan dan Seni Rakyat",
    "Design": "Desain",
    "Film": "Film",
    "Gastronomy": "Gastronomi",
    "Literature": "Sastra",
    "Media Arts": "Seni Media",
    "Music": "Musik",
}


def derive_small_tables(ref: Path, out: Path) -> None:
    """Write creative_cities.csv and nuf_themes_indicators.csv."""
    cc = read_csv(ref / "unesco_creative_cities_indonesia.csv")
    rows = [
        [
            r["kemendagri_code"],
            r["name"],
            r["uccn_field"],
            UCCN_FIELDS_ID[r["uccn_field"]],
            r["year_designated"],
            r["unesco_city_page"],
            r["evidence"],
        ]
        for r in cc
    ]
    rows.sort(key=lambda row: code_key(row[0]))
    write_csv(
        out / "creative_cities.csv",
        ["code", "name", "field", "field_id", "year", "page", "evidence"],
        rows,
    )
    nuf = read_csv(ref / "nuf_themes_indicators_partial.csv")
    header = ["kind", "number", "name_id", "name_en", "theme", "status", "source"]
    write_csv(out / "nuf_themes_indicators.csv", header, ([r[h] for h in header] for r in nuf))


def sdg_code_key(code: str) -> tuple[tuple[int, str], ...]:
    """Sort printed SDG codes naturally (1.2 < 1.10 < 1.a)."""
    return tuple((int(p), "") if p.isdigit() else (10**6, p) for p in code.split("."))


#: Labels of the UN SDG KOS snapshot that are wrong, each with the text it should have (or
#: None: dropped). Target 12.3 carries a cut-off English label ("By 2030,d") and, in French
#: and Spanish, the label of a "macroeconomic dashboard" beside its own; its English title
#: lacks the space after the comma that every other target has.
KOS_ERRATA: dict[tuple[str, str, str], str | None] = {
    (SDG + "12.3", "en", "By 2030,d"): None,
    (SDG + "12.3", "fr", "Tableau de bord macroéconomique"): None,
    (SDG + "12.3", "es", "Tablero macroeconómico"): None,
    (
        SDG + "12.3",
        "en",
        "By 2030,halve per capita global food waste at the retail and consumer levels and "
        "reduce food losses along production and supply chains, including post-harvest losses",
    ): "By 2030, halve per capita global food waste at the retail and consumer levels and "
    "reduce food losses along production and supply chains, including post-harvest losses",
}


def derive_sdg(ref: Path, vocab: Path, data: Path) -> None:
    """Write sdg.ttl and sdg_codes.csv from the UN SDG KOS."""
    g = ox.Store()
    g.bulk_load(path=str(ref / "sdg-kos-goals-targets-indicators.ttl"), format=ox.RdfFormat.TURTLE)

    def nn(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def objects(s: ox.NamedNode, p: str) -> list[Term]:
        return [q.object for q in g.quads_for_pattern(s, nn(p), None)]

    kinds = {
        "Goal": nn(SDGO + "Goal"),
        "Target": nn(SDGO + "Target"),
        "Indicator": nn(SDGO + "Indicator"),
    }
    id_labels = {r["uri"]: r["label_id"] for r in read_csv(ref / "sdg_goals_id_labels.csv")}
    triples: set[ox.Triple] = set()
    codes: list[tuple[str, str, str]] = []
    scheme = nn(SDG_SCHEME)
    concept = nn(SKOS + "Concept")
    for kind, cls in kinds.items():
        for q in g.quads_for_pattern(None, nn(RDF_TYPE), cls):
            s = q.subject
            assert isinstance(s, ox.NamedNode)
            triples.add(ox.Triple(s, nn(RDF_TYPE), concept))
            triples.add(ox.Triple(s, nn(RDF_TYPE), cls))
            triples.add(ox.Triple(s, nn(SKOS + "inScheme"), scheme))
            for o in objects(s, SKOS + "notation"):
                assert isinstance(o, ox.Literal)
                triples.add(ox.Triple(s, nn(SKOS + "notation"), o))
                if o.datatype.value == SDGO + "SDGCodeCompact":
                    codes.append((o.value, kind.lower(), s.value))
            for p in ("broader", "narrower", "exactMatch"):
                for o in objects(s, SKOS + p):
                    triples.add(ox.Triple(s, nn(SKOS + p), o))
            by_lang: dict[str, list[str]] = defaultdict(list)
            for o in objects(s, SKOS + "prefLabel"):
                assert isinstance(o, ox.Literal) and o.language
                text = clean(o.value)
                key = (s.value, o.language, text)
                if key in KOS_ERRATA:
                    corrected = KOS_ERRATA[key]
                    if corrected is None:
                        continue
                    text = corrected
                if text not in by_lang[o.language]:
                    by_lang[o.language].append(text)
            if kind == "Goal":
                # The KOS gives the short name ("No poverty") as altLabel@en and the goal's
                # title as prefLabel: nualod shows the short name and keeps the title as the
                # definition.
                short = [
                    o
                    for o in objects(s, SKOS + "altLabel")
                    if isinstance(o, ox.Literal) and o.language == "en"
                ]
                assert len(short) == 1
                triples.add(
                    ox.Triple(
                        s, nn(SKOS + "prefLabel"), ox.Literal(clean(short[0].value), language="en")
                    )
                )
                triples.add(ox.Triple(s, nn(SKOS + "topConceptOf"), scheme))
                triples.add(ox.Triple(scheme, nn(SKOS + "hasTopConcept"), s))
                triples.add(
                    ox.Triple(
                        s, nn(SKOS + "prefLabel"), ox.Literal(id_labels[s.value], language="id")
                    )
                )
                for lang, texts in by_lang.items():
                    for text in texts:
                        triples.add(
                            ox.Triple(s, nn(SKOS + "definition"), ox.Literal(text, language=lang))
                        )
            else:
                for lang, texts in by_lang.items():
                    # One prefLabel per language (SKOS S14); a second wording in the source
                    # becomes an altLabel.
                    first, *rest = sorted(texts)
                    triples.add(
                        ox.Triple(s, nn(SKOS + "prefLabel"), ox.Literal(first, language=lang))
                    )
                    for text in rest:
                        triples.add(
                            ox.Triple(s, nn(SKOS + "altLabel"), ox.Literal(text, language=lang))
                        )
    assert len(id_labels) == 17
    lit = ox.Literal
    for p, o in (
        (RDF_TYPE, nn(SKOS + "ConceptScheme")),
        (SKOS + "prefLabel", lit("Sustainable Development Goals Taxonomy", language="en")),
        (
            DCTERMS + "title",
            lit(
                "A Knowledge Organization System for the United Nations "
                "Sustainable Development Goals",
                language="en",
            ),
        ),
        (DCTERMS + "publisher", nn("http://un.org")),
        (DCTERMS + "source", nn("https://github.com/UNStats/LOD4Stats/tree/master/sdg-data")),
        (DCTERMS + "bibliographicCitation", lit(SDG_CITATION)),
        (DCTERMS + "rights", nn(SDG_RIGHTS)),
        (RDFS + "seeAlso", nn("https://doi.org/10.1007/978-3-030-77385-4_33")),
        (
            RDFS + "comment",
            lit(
                "Subset of the UN SDG KOS (sdg-data, 2020-05-28) shipped with nualod: concepts, "
                "notations, labels (en, fr, es; Indonesian goal names from Bappenas), hierarchy "
                "and exactMatch links. Goals carry their short name as skos:prefLabel@en and their "
                "full title as skos:definition.",
                language="en",
            ),
        ),
    ):
        triples.add(ox.Triple(scheme, nn(p), o))
    triples.update(
        rights_statement(
            SDG_RIGHTS,
            lit(
                "The SDG Knowledge Organization System, accessible at http://metadata.un.org/sdg, "
                "is made available free of charge and may be copied freely, duplicated and further "
                "distributed with the following citation: Amit Joshi, Luis Gonzalez Morales, "
                "Szymon Klarman, and Aaron Helton. 2019. A Knowledge Organization System for the "
                "United Nations Sustainable Development Goals. New York, NY. "
                "http://metadata.un.org/sdg"
            ),
        )
    )
    header = (
        "# SDG goals, targets and indicators: the United Nations SDG Knowledge Organization\n"
        "# System (KOS), http://metadata.un.org/sdg, with the UN's own IRIs.\n"
        "# Source: UNStats/LOD4Stats, sdg-data/ (snapshot 2020-05-28), reshaped for nualod by\n"
        "# tools/derive_reference.py (subset of properties; goals: short name as\n"
        "# skos:prefLabel@en, title as skos:definition; Indonesian goal names (Bappenas) as\n"
        "# skos:prefLabel@id; white space in labels normalised; a second wording of a label in\n"
        "# one language kept as skos:altLabel; target 12.3's wrong labels in the snapshot\n"
        "# corrected, see KOS_ERRATA in tools/derive_reference.py).\n"
        "# Licence (publisher's statement): made available free of charge and may be copied\n"
        "# freely, duplicated and further distributed with the following citation:\n"
        f"#   {SDG_CITATION}\n\n"
    )
    write_turtle(
        vocab / "sdg.ttl",
        header,
        triples,
        {
            "sdg": SDG,
            "sdgo": SDGO,
            "skos": SKOS,
            "dcterms": DCTERMS,
            "rdfs": RDFS,
            "sdgio": "http://purl.unep.org/sdg/",
            "wd": "http://www.wikidata.org/entity/",
        },
    )
    codes.sort(key=lambda c: sdg_code_key(c[0]))
    assert len({c[0] for c in codes}) == len(codes)
    write_csv(data / "sdg_codes.csv", ["code", "kind", "iri"], codes)


#: The rights statements of the SDG KOS and the UNESCO Thesaurus excerpt: nualod's own nodes
#: (under its code lists' base, whatever the data's base), as neither source names one.
SDG_RIGHTS = "https://w3id.org/nualod/code/rights/sdg-kos"
UNESCO_RIGHTS = "https://w3id.org/nualod/code/rights/unesco-thesaurus"


def rights_statement(iri: str, text: ox.Literal) -> list[ox.Triple]:
    """Return a rights statement: DCMI gives dcterms:rights the range dcterms:RightsStatement,
    a resource (DCAT-AP 3 likewise), so the statement is a node and its text its rdfs:label."""
    node = ox.NamedNode(iri)
    # The publishers' statements are English: tagged so, a page in another language marks
    # them as English.
    tagged = text if text.language else ox.Literal(text.value, language="en")
    return [
        ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(DCTERMS + "RightsStatement")),
        ox.Triple(node, ox.NamedNode(RDFS + "label"), tagged),
    ]


def write_turtle(
    path: Path, header: str, triples: Iterable[ox.Triple], prefixes: dict[str, str]
) -> None:
    """Serialise triples sorted by their N-Triples form, behind a comment header."""
    ordered = sorted(triples, key=str)
    body = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert isinstance(body, bytes)
    path.write_bytes(header.encode("utf-8") + body)


def sdg_labels(ref: Path) -> dict[str, tuple[str, str]]:
    """Return printed SDG code -> (IRI, English label) (goals: short name)."""
    out: dict[str, tuple[str, str]] = {}
    for r in read_csv(ref / "sdg_goals_targets_indicators_un_kos_2020.csv"):
        label = r["short_en"] or r["label_en"]
        for code in r["all_codes"].split():
            out[code] = (r["uri"], clean(label))
    return out


#: UNESCO, the publisher and rights holder of the UNESCO Thesaurus.
UNESCO_AGENT = "http://www.wikidata.org/entity/Q7809"


def derive_alignments_and_unesco(ref: Path, vocab: Path, data: Path) -> None:
    """Write alignments.csv and unesco-thesaurus.ttl."""
    nuf = read_csv(data / "nuf_themes_indicators.csv")
    names: dict[str, str] = {}
    for r in nuf:
        iri = (
            THEME + f"{int(r['number']):02d}"
            if r["kind"] == "theme"
            else INDICATOR + str(int(r["number"]))
        )
        label = r["name_en"] or r["name_id"]
        if not label:
            label = f"{r['kind']} {r['number']} (name not known)"
        elif r["name_en"]:
            label = label[0].upper() + label[1:]
        names[iri] = label
    selected = [r["uri"] for r in read_csv(ref / "unesco_thesaurus_selected_concepts.csv")]
    g = ox.Store()
    g.bulk_load(path=str(ref / "unesco-thesaurus.ttl"), format=ox.RdfFormat.TURTLE)

    def en_label(iri: str) -> str:
        for q in g.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"), None):
            if isinstance(q.object, ox.Literal) and q.object.language == "en":
                return clean(q.object.value)
        raise KeyError(iri)

    sdg = sdg_labels(ref)
    rows: list[tuple[str, str, str, str, str, str]] = []
    used: list[str] = []
    for subj, prop, obj, why in ALIGNMENTS:
        s_iri = (
            THEME + subj.split("/")[1]
            if subj.startswith("theme/")
            else INDICATOR + subj.split("/")[1]
        )
        assert s_iri in names, subj
        prefix, local = obj.split(":")
        if prefix == "sdg":
            o_iri, o_label = sdg[local]
            kind = (
                "Goal" if "." not in local else ("Target" if local.count(".") == 1 else "Indicator")
            )
            o_label = f"SDG {kind.lower()} {local}: {o_label}"
        else:
            o_iri = UNESCO + local
            o_label = en_label(o_iri)
            used.append(o_iri)
        assert why.endswith(".") and "\n" not in why
        rows.append((s_iri, names[s_iri], prop, o_iri, o_label, why))
    assert len({(r[0], r[3]) for r in rows}) == len(rows), "duplicate alignment"
    rows.sort(key=alignment_key)
    write_csv(
        vocab / "alignments.csv",
        ["subject", "subject_label", "property", "object", "object_label", "justification"],
        rows,
    )

    wanted = sorted(set(selected) | set(used), key=lambda i: int(i.rsplit("concept", 1)[1]))
    triples: set[ox.Triple] = set()
    scheme = ox.NamedNode(UNESCO_SCHEME)
    keep = {SKOS + "prefLabel", SKOS + "altLabel", SKOS + "broader"}
    for iri in wanted:
        s = ox.NamedNode(iri)
        triples.add(ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "Concept")))
        triples.add(ox.Triple(s, ox.NamedNode(SKOS + "inScheme"), scheme))
        n = 0
        for q in g.quads_for_pattern(s, None, None):
            if q.predicate.value in keep:
                o = q.object
                if isinstance(o, ox.Literal):
                    o = ox.Literal(clean(o.value), language=o.language)
                triples.add(ox.Triple(s, q.predicate, o))
                n += 1
        assert n, iri
    for q in g.quads_for_pattern(scheme, ox.NamedNode(SKOS + "prefLabel"), None):
        triples.add(ox.Triple(scheme, q.predicate, q.object))
    for q in g.quads_for_pattern(scheme, ox.NamedNode(DCTERMS + "title"), None):
        triples.add(ox.Triple(scheme, q.predicate, q.object))
    lit = ox.Literal
    for p, o in (
        (RDF_TYPE, ox.NamedNode(SKOS + "ConceptScheme")),
        (DCTERMS + "license", ox.NamedNode("https://creativecommons.org/licenses/by-sa/3.0/igo/")),
        # DCMI: the range of dcterms:rightsHolder and dcterms:publisher is dcterms:Agent, a
        # resource, not a name: UNESCO's Wikidata item.
        (DCTERMS + "rightsHolder", ox.NamedNode(UNESCO_AGENT)),
        (DCTERMS + "publisher", ox.NamedNode(UNESCO_AGENT)),
        (DCTERMS + "source", ox.NamedNode("https://vocabularies.unesco.org/browser/thesaurus/en/")),
        (
            DCTERMS + "modified",
            lit(
                "2024-03-25T14:24:28.295+01:00",
                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
            ),
        ),
        (DCTERMS + "rights", ox.NamedNode(UNESCO_RIGHTS)),
    ):
        triples.add(ox.Triple(scheme, ox.NamedNode(p), o))
    triples.update(
        rights_statement(
            UNESCO_RIGHTS,
            lit(
                "UNESCO Thesaurus, © UNESCO, licensed under CC BY-SA 3.0 IGO "
                "(https://creativecommons.org/licenses/by-sa/3.0/igo/). This file is an excerpt "
                "made for nualod (selected concepts with their labels and broader links); it is "
                "shared under the same licence and is not endorsed by UNESCO.",
                language="en",
            ),
        )
    )
    header = (
        "# UNESCO Thesaurus: the concepts nualod uses (an excerpt).\n"
        "# Source: UNESCO Thesaurus, http://vocabularies.unesco.org/thesaurus, SKOS export\n"
        "# modified 2024-03-25 (via kos-kit/unesco-thesaurus-explorer).\n"
        "# (c) UNESCO. Licensed under CC BY-SA 3.0 IGO,\n"
        "# https://creativecommons.org/licenses/by-sa/3.0/igo/ . Changes: nualod kept only the\n"
        f"# {len(wanted)} concepts it uses, with skos:prefLabel, skos:altLabel (en, fr, es, ru,\n"
        "# ar) and skos:broader; white space in labels normalised. This excerpt is shared\n"
        "# under the same licence and is not endorsed by UNESCO.\n\n"
    )
    write_turtle(
        vocab / "unesco-thesaurus.ttl",
        header,
        triples,
        {"unesco": UNESCO, "skos": SKOS, "dcterms": DCTERMS, "rdfs": RDFS},
    )


def alignment_key(row: tuple[str, ...]) -> tuple[int, int, str, str]:
    """Sort alignments: themes before indicators, by number, then property and object."""
    scheme, number = row[0].rsplit("/", 2)[-2:]
    return (0 if scheme == "theme" else 1, int(number), row[2], row[3])


def main(argv: list[str]) -> int:
    """Derive every shipped reference file from the folder given as the first argument."""
    only_regions = "--regions-only" in argv
    argv = [arg for arg in argv if arg != "--regions-only"]
    ref = Path(argv[1] if len(argv) > 1 else "../shared/reference")
    pkg = Path(__file__).resolve().parent.parent / "nualod"
    data, vocab = pkg / "data", pkg / "vocab"
    vocab.mkdir(exist_ok=True)
    notes = derive_regions(ref, data)
    if only_regions:  # the other files are edited by hand since (see alignments.csv)
        for note in notes:
            print(note)
        return 0
    derive_small_tables(ref, data)
    derive_sdg(ref, vocab, data)
    derive_alignments_and_unesco(ref, vocab, data)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
