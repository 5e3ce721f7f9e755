"""Derive the map data the website ships: region points and an outline of Indonesia.

Run once by hand (it reads files outside the project; nothing reads them at run time):

    python tools/derive_site_data.py ../shared/reference NATURAL_EARTH_DIR

- ``nualod/site/data/region_points.csv``: a point (latitude, longitude) for each kabupaten
  and kota, from the 2017 Wikidata coordinates in
  ``idn_kabkota_wikidata_geonames_kemendagri_2017.csv`` (soluvas/opendata, CC0), joined on
  the Wikidata QID that ``idn_kabkota_kemendagri2025_with_wikidata.csv`` gives each 2025
  code, then on the 2017 Kemendagri code, then on the name; a unit matched by none of these
  (re-coded Papua units) gets no point.
- ``nualod/site/data/indonesia-outline.txt``: Indonesia's land as rings of longitude and
  latitude (two decimals), from Natural Earth's 1:110m countries (public domain) as shipped
  in the ``naturalearth_lowres`` folder of the ``geopandas`` 0.14 wheel.
"""

from __future__ import annotations

import csv
import struct
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "nualod" / "site" / "data"


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
    with (OUT / "region_points.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude"])
        writer.writerows(sorted(rows))
    print(f"region_points.csv: {len(rows)} points")


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
