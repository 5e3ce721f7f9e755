"""Derive the map data the website ships: region points and an outline of Indonesia.

Run once by hand (it reads files outside the project; nothing reads them at run time):

    python tools/derive_site_data.py ../shared/reference NATURAL_EARTH_DIR

- ``nualod/site/data/region_points.csv``: a point (latitude, longitude) for each kabupaten
  and kota, from the 2017 Wikidata coordinates in
  ``idn_kabkota_wikidata_geonames_kemendagri_2017.csv`` (soluvas/opendata, CC0), joined on
  the Wikidata QID that ``idn_kabkota_kemendagri2025_with_wikidata.csv`` gives each 2025
  code, then on the 2017 Kemendagri code, then on the name; a unit matched by none of these
  (re-coded Papua units) gets no point. Only the units that ``nualod/data/regions.csv``
  gives no coordinates use these points, and the 2017 file has wrong ones (Biak Numfor at
  Bandung, Sleman in West Java, one point for Ciamis, Cirebon and Pangandaran), so a point
  is kept only when it is plausible (:func:`plausible_points`); a unit without one has no
  dot on the map, rather than a wrong one.
- ``nualod/site/data/indonesia-outline.txt``: Indonesia's land as rings of longitude and
  latitude (two decimals), from Natural Earth's 1:110m countries (public domain) as shipped
  in the ``naturalearth_lowres`` folder of the ``geopandas`` 0.14 wheel.
"""

from __future__ import annotations

import csv
import struct
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "nualod" / "site" / "data"
REGIONS = Path(__file__).resolve().parent.parent / "nualod" / "data" / "regions.csv"
#: How far (degrees) outside the box of its province's published points a point may lie.
MARGIN = 1.5


def plausible_points(
    points: dict[str, tuple[float, float]], regions: list[dict[str, str]]
) -> dict[str, tuple[float, float]]:
    """Return the points (by 2025 code) that are plausible: within :data:`MARGIN` degrees of
    the box of the points ``regions`` (rows of ``regions.csv``) publish for the other units
    of the same province, and shared with no other unit to two decimals (about a kilometre:
    a point several units share is the source's stand-in, not where they are).

    >>> regions = [
    ...     {"code": "34.01", "province_code": "34", "latitude": "-7.9", "longitude": "110.2"},
    ...     {"code": "34.71", "province_code": "34", "latitude": "-7.8", "longitude": "110.4"},
    ...     {"code": "34.03", "province_code": "34", "latitude": "", "longitude": ""},
    ...     {"code": "34.04", "province_code": "34", "latitude": "", "longitude": ""},
    ... ]
    >>> sorted(plausible_points({"34.03": (-7.97, 110.6), "34.04": (-7.58, 107.25)}, regions))
    ['34.03']
    >>> plausible_points({"34.03": (-7.97, 110.6), "34.04": (-7.971, 110.601)}, regions)
    {}
    """
    boxes: dict[str, list[tuple[float, float]]] = {}
    for row in regions:
        if row["latitude"] and row["longitude"]:
            point = (float(row["latitude"]), float(row["longitude"]))
            boxes.setdefault(row["province_code"], []).append(point)
    province_of = {row["code"]: row["province_code"] for row in regions}
    taken = Counter(
        (round(lat, 2), round(lon, 2))
        for lat, lon in [*points.values(), *(p for box in boxes.values() for p in box)]
    )
    kept = {}
    for code, (lat, lon) in points.items():
        box = boxes.get(province_of.get(code, ""), [])
        if not box or taken[(round(lat, 2), round(lon, 2))] > 1:
            continue
        lats = [p[0] for p in box]
        lons = [p[1] for p in box]
        if (
            min(lats) - MARGIN <= lat <= max(lats) + MARGIN
            and min(lons) - MARGIN <= lon <= max(lons) + MARGIN
        ):
            kept[code] = (lat, lon)
    return kept


def points(reference: Path) -> None:
    by_qid: dict[str, tuple[str, str]] = {}
    by_code: dict[str, tuple[str, str]] = {}
    by_name: dict[str, tuple[str, str]] = {}
    with (reference / "idn_kabkota_wikidata_geonames_kemendagri_2017.csv").open() as f:
        for row in csv.DictReader(f):
            if row["pointLat"] and row["pointLon"]:
                point = (f"{float(row['pointLat']):.4f}", f"{float(row['pointLon']):.4f}")
                by_qid[row["id"]] = point
                by_code[row["kemendagriCode"]] = point
                by_name[row["name"].lower()] = point
    rows = []
    with (reference / "idn_kabkota_kemendagri2025_with_wikidata.csv").open() as f:
        for row in csv.DictReader(f):
            short = row["name"].split(" ", 1)[1].lower() if " " in row["name"] else row["name"]
            point = (
                by_qid.get(row["wikidata_qid_2017"])
                or by_code.get(row["kemendagri_code"])
                or by_name.get(short)
            )
            if point:
                rows.append((row["kemendagri_code"], *point))
    with REGIONS.open(encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    published = {r["code"] for r in regions if r["latitude"] and r["longitude"]}
    # The site uses a published point where there is one; the others must be plausible.
    fallback = {code: (float(lat), float(lon)) for code, lat, lon in rows if code not in published}
    kept = plausible_points(fallback, regions)
    rows = [r for r in rows if r[0] in published or r[0] in kept]
    with (OUT / "region_points.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude"])
        writer.writerows(sorted(rows))
    print(
        f"region_points.csv: {len(rows)} points ({len(fallback) - len(kept)} implausible left out)"
    )


def _dbf_names(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    count, header, length = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    for offset in range(32, header - 1, 32):
        name = data[offset : offset + 11].split(b"\0")[0].decode()
        size = data[offset + 16]
        fields.append((name, size))
    records = []
    for i in range(count):
        start = header + i * length + 1
        record = {}
        for name, size in fields:
            record[name] = data[start : start + size].decode("latin-1").strip()
            start += size
        records.append(record)
    return records


def outline(natural_earth: Path) -> None:
    records = _dbf_names(natural_earth / "naturalearth_lowres.dbf")
    wanted = next(i for i, r in enumerate(records) if r.get("iso_a3") == "IDN")
    data = (natural_earth / "naturalearth_lowres.shp").read_bytes()
    offset = 100
    index = 0
    rings: list[list[tuple[float, float]]] = []
    while offset < len(data):
        _, length = struct.unpack(">ii", data[offset : offset + 8])
        content = data[offset + 8 : offset + 8 + length * 2]
        if index == wanted:
            (_shape,) = struct.unpack("<i", content[:4])
            parts, total = struct.unpack("<ii", content[36:44])
            starts = list(struct.unpack(f"<{parts}i", content[44 : 44 + 4 * parts]))
            base = 44 + 4 * parts
            coords = [
                struct.unpack("<dd", content[base + 16 * k : base + 16 * k + 16])
                for k in range(total)
            ]
            for n, start in enumerate(starts):
                end = starts[n + 1] if n + 1 < parts else total
                rings.append(coords[start:end])
        offset += 8 + length * 2
        index += 1
    with (OUT / "indonesia-outline.txt").open("w") as f:
        f.write(
            "# Indonesia, Natural Earth 1:110m Admin 0 countries (public domain); one ring a line: lon,lat pairs\n"
        )
        for ring in rings:
            f.write(" ".join(f"{lon:.2f},{lat:.2f}" for lon, lat in ring) + "\n")
    print(f"indonesia-outline.txt: {len(rings)} rings")


if __name__ == "__main__":
    points(Path(sys.argv[1]))
    outline(Path(sys.argv[2]))
