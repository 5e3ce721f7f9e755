"""Generate realistic synthetic NUF good-practice pages, deterministically from a seed.

Every kab/kota of Indonesia (all 514), themes 01-16 and indicators 1-77 with Indonesian
names, summaries of 200-800 characters, descriptions of one to six paragraphs, one to three
sources (the first one the practice's own article, the others shared pages such as the
region's portal) and Indonesian dates with day names, in the text format of
``examples/pages/*.txt``. Page ``i`` is the same whatever ``n`` is, so the first 1,000 pages
of a 10,000-page run are the 1,000-page run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from nualod.link.reference import load_nuf_codes, load_regions

DEFAULT_SEED: Final = 20251218
GENERATOR_VERSION: Final = 1
PAGES_PER_FOLDER: Final = 1000

DAYS: Final = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS: Final = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
SHORT_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agt",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)
#: First indicator of each theme 1..16 (so indicator 19 is in theme 3, 47 in 10, 77 in 16).
THEME_STARTS: Final = (1, 6, 11, 21, 26, 31, 36, 41, 44, 47, 52, 57, 62, 67, 72, 75)

_SUBJECTS: Final = (
    "Pemerintah {kind} {name}", "Dinas Lingkungan Hidup", "Bappeda", "Dinas Sosial",
    "Dinas Pekerjaan Umum dan Penataan Ruang", "kelompok warga", "komunitas pemuda",
    "Dinas Perhubungan", "Dinas Kesehatan", "forum anak daerah", "PKK kelurahan",
    "Dinas Koperasi dan UMKM", "kader posyandu", "pelaku usaha lokal", "perguruan tinggi setempat",
)  # fmt: skip
_VERBS: Final = (
    "menata", "membangun", "mengembangkan", "memperluas", "memperbaiki", "mendampingi",
    "melatih", "mengelola", "menghidupkan kembali", "memantau", "mendanai", "merawat",
)  # fmt: skip
_OBJECTS: Final = (
    "taman kota", "ruang terbuka hijau", "jalur pejalan kaki", "bank sampah", "kampung iklim",
    "sentra kerajinan", "pasar rakyat", "rumah susun sederhana", "sistem air bersih",
    "jaringan sanitasi", "jalur sepeda", "halte bus", "posyandu", "sekolah lapang",
    "pelatihan vokasi", "layanan perizinan daring", "drainase lingkungan", "hutan kota",
    "kebun pangan warga", "pusat kreatif", "rumah singgah", "pengolahan sampah organik",
)  # fmt: skip
_BENEFITS: Final = (
    "sehingga warga dapat memanfaatkannya setiap hari",
    "dengan melibatkan perempuan, lansia dan penyandang disabilitas",
    "bersama dunia usaha dan perguruan tinggi",
    "yang kini menjadi contoh bagi daerah lain",
    "untuk mengurangi kemiskinan di kawasan padat",
    "agar kualitas udara dan air tetap terjaga",
    "dan hasilnya dipantau secara terbuka melalui dasbor daerah",
    "sejak tahun {year} dengan anggaran daerah",
    "yang menjangkau lebih dari {count} rumah tangga",
    "dengan dukungan dana desa dan swadaya masyarakat",
)  # fmt: skip
_TAGLINES: Final = (
    "Kota Batik", "Kota Seribu Taman", "Kota Layak Anak", "Kota Hijau", "Kota Tangguh",
    "Kota Kreatif", "Bumi Sejahtera", "Kota Pelajar", "Kota Pesisir Lestari", "Kota Sehat",
    "Kota Ramah Lansia", "Kota Inklusif", "Daerah Wisata Budaya", "Lumbung Pangan",
)  # fmt: skip
_INDICATOR_WORDS: Final = (
    ("Proporsi", "Jumlah", "Persentase", "Rasio", "Tingkat", "Rata-rata"),
    (
        "penduduk perkotaan",
        "rumah tangga",
        "kawasan terbangun",
        "ruang publik",
        "pekerja informal",
        "anak muda",
        "perempuan",
        "sampah kota",
        "angkutan umum",
        "lahan kota",
        "usaha mikro",
        "penyandang disabilitas",
    ),
    (
        "yang memiliki akses",
        "yang terlayani",
        "yang dikelola dengan aman",
        "yang berpartisipasi",
        "yang dilatih",
        "yang terhubung",
        "yang tercatat",
    ),
    (
        "terhadap layanan dasar",
        "dalam perencanaan kota",
        "secara berkelanjutan",
        "menurut jenis kelamin dan usia",
        "di tingkat kota",
        "dalam lima tahun terakhir",
    ),
)


@dataclass(frozen=True, slots=True)
class Place:
    """A kab/kota as pages name it, with a web host for its sources."""

    name: str
    host: str


@cache
def places() -> tuple[Place, ...]:
    """Return every kabupaten and kota (514), in Kemendagri code order."""
    found = []
    for region in load_regions().values():
        if region.kind == "provinsi":
            continue
        slug = re.sub(r"[^a-z]", "", region.name.lower().split(" ", 1)[1])
        suffix = "kota" if region.kind == "kota" else "kab"
        found.append(Place(region.name, f"{slug}{suffix}.go.id"))
    return tuple(found)


def theme_of(indicator: int) -> int:
    """Return the theme an indicator number sits in.

    >>> theme_of(19), theme_of(47), theme_of(77)
    (3, 10, 16)
    """
    return max(theme for theme, start in enumerate(THEME_STARTS, 1) if start <= indicator)


@cache
def indicator_names(seed: int) -> dict[int, str]:
    """Return an Indonesian name for each indicator 1-77 (the known ones as the NUF prints them)."""
    rng = random.Random(f"{seed}:indicators")
    known = load_nuf_codes().indicators
    names = {}
    for number in range(1, 78):
        code = known.get(number)
        if code is not None and code.name_id:
            names[number] = code.name_id
        else:
            names[number] = " ".join(rng.choice(words) for words in _INDICATOR_WORDS)
    return names


@cache
def _sentences(seed: int) -> tuple[str, ...]:
    rng = random.Random(f"{seed}:sentences")
    pool = []
    for _ in range(4000):
        benefit = rng.choice(_BENEFITS).format(
            year=rng.randint(2010, 2024), count=rng.randint(2, 90) * 100
        )
        subject = rng.choice(_SUBJECTS)
        text = f"{subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {benefit}."
        pool.append(text[0].upper() + text[1:])
    return tuple(pool)


def _text(
    rng: random.Random, pool: tuple[str, ...], low: int, high: int, kind: str, name: str
) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    length = -1
    while length < target:
        sentence = rng.choice(pool).format(kind=kind, name=name)
        parts.append(sentence)
        length += len(sentence) + 1
    text = " ".join(parts)
    if len(text) > high:
        text = text[: high - 1].rsplit(" ", 1)[0].rstrip(",") + "."
    return text


def _date(rng: random.Random) -> str:
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
    style = rng.random()
    if style < 0.8:
        return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"
    if style < 0.9:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]}, {day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def page_text(index: int, rng: random.Random, seed: int = DEFAULT_SEED) -> str:
    """Return the text of synthetic page ``index``, drawing from ``rng``."""
    place = places()[rng.randrange(len(places()))]
    indicator = rng.randint(1, 77)
    theme = theme_of(indicator)
    kind, name = place.name.split(" ", 1)
    pool = _sentences(seed)
    summary = _text(rng, pool, 200, 800, kind, name)
    description = "\n".join(
        _text(rng, pool, 150, 700, kind, name) for _ in range(rng.randint(1, 6))
    )
    slug = "-".join(re.findall(r"[a-z]+", summary.lower())[:6])
    sources = [f"https://{place.host}/berita/{index:07d}-{slug}"]
    extra = rng.choice((0, 0, 1, 1, 2))
    shared = [
        f"https://{place.host}/",
        f"https://habitatidn.id/news-details/{theme:02d}-praktik-baik",
        f"https://ppid.{place.host}/informasi-publik",
    ]
    sources += rng.sample(shared, extra)
    tagline = rng.choice(_TAGLINES) if rng.random() < 0.9 else None
    city_line = f"{place.name}, {tagline}" if tagline else place.name
    date = _date(rng)
    source_lines = (
        [f"Sumber: {' ; '.join(sources)}"]
        if rng.random() < 0.2
        else [f"Sumber: {url}" for url in sources]
    )
    lines = [
        "Kategori Artikel",
        "National Urban Forum (NUF) Praktik baik implementasi NUA dari seluruh stakeholder",
        date,
        f"{theme:02d}. Praktik baik indikator {indicator}",
        f"Praktik baik tema {theme:02d} indikator {indicator} {indicator_names(seed)[indicator]}",
        city_line,
        "Ringkasan:",
        summary,
        "Deskripsi:",
        description,
        *source_lines,
        date,
        f"{rng.randint(1, 900)} dilihat | {rng.randint(1, 6)} menit membaca",
        "Berita dan cerita",
    ]
    return "\n".join(lines) + "\n"


def pages(n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[str, str]]:
    """Yield (relative file name, page text) for pages 0..n-1."""
    rng = random.Random(seed)
    for index in range(n):
        yield page_name(index), page_text(index, rng, seed)


def page_name(index: int) -> str:
    """Return where page ``index`` is saved, relative to the corpus folder.

    >>> page_name(1234)
    '0001/0001234.txt'
    """
    return f"{index // PAGES_PER_FOLDER:04d}/{index:07d}.txt"


def write_pages(folder: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write pages 0..n-1 under ``folder`` (reusing a complete earlier run); return the folder."""
    marker = folder / ".corpus.json"
    wanted = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
    if marker.is_file():
        earlier = json.loads(marker.read_text())
        if (
            earlier["seed"] == seed
            and earlier["version"] == GENERATOR_VERSION
            and earlier["n"] >= n
        ):
            return folder
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    made: set[Path] = set()
    for name, text in pages(n, seed):
        path = folder / name
        if path.parent not in made:
            path.parent.mkdir(exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")
    marker.write_text(json.dumps(wanted))
    return folder


def corpus_inputs(folder: Path, n: int) -> list[Path]:
    """Return the inputs that hold pages 0..n-1 of a corpus (n a multiple of 1,000, or all)."""
    folders = sorted(p for p in folder.iterdir() if p.is_dir())
    if n % PAGES_PER_FOLDER:
        return [folder / page_name(i) for i in range(n)]
    return folders[: n // PAGES_PER_FOLDER]
