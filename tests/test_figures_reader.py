"""The Indonesian figures reader: scored on the labelled set, and exact on the sample page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from figures_labels import LABELS, Sentence, load_sentences, parse_line, score

from nualod.figures import Figure, Period, decimal_text, figure_rows, read_figures, unit_iri, units
from nualod.figures.units import COUNT, CURRENCIES, UNITS_FILE, parse_units, units_by_iri

# The real page's Ringkasan and part of its Deskripsi (pekalongankota.go.id via the NUF).
RINGKASAN = (
    "Kota Pekalongan, ditetapkan UNESCO sebagai World Creative City bidang Crafts and Folk Art "
    "sejak 2014, dikenal sebagai “Kota Batik” dengan 871 UMKM yang menyerap sekitar 200 ribu "
    "tenaga kerja, 60% di antaranya pekerja rumahan. Pemerintah dan Dekranasda aktif "
    "menyelenggarakan pelatihan kerajinan, termasuk membatik dan rajut, sekaligus mendorong "
    "inovasi dan pengembangan pasar, sehingga ekspor batik dari Pekalongan mencapai US$21,54 juta "
    "pada Januari–Juli 2020, naik dari US$17,99 juta pada periode sama 2019."
)
DESKRIPSI = (
    "Berdasarkan data dari Pusat Kerajinan dan Batik, sektor batik Indonesia, yang sebagian besar "
    "berada di Pekalongan, memiliki 47 ribu unit usaha dan menyerap 200 ribu pekerja. Nilai ekspor "
    "batik dari Januari hingga Juli 2020 mencapai US$21,54 juta, sedangkan pada periode Januari "
    "hingga Juni 2019 angkanya mencapai US$17,99 juta. Menurut Dinas Perindustrian dan "
    "Ketenagakerjaan setempat, terdapat 871 UMKM di sektor bisnis batik di Kota Pekalongan, dan "
    "mereka berhasil bertahan di tengah pandemi Covid-19, dengan peningkatan jumlah pelaku usaha."
)


@pytest.fixture(scope="module")
def labelled() -> list[Sentence]:
    return load_sentences()


def _found(text: str) -> list[tuple[int, int, Decimal, str]]:
    return [(f.start, f.end, f.value, f.unit) for f in read_figures(text)]


def test_the_labelled_set_is_as_large_as_promised(labelled: list[Sentence]) -> None:
    assert len(labelled) >= 200
    assert sum(len(s.figures) for s in labelled) >= 300
    assert sum(len(s.distractors) for s in labelled) >= 50
    assert len({s.id for s in labelled}) == len(labelled)
    known = set(units())
    for sentence in labelled:
        for figure in sentence.figures:
            assert figure.unit in known, (sentence.id, figure)
            assert sentence.text[figure.start : figure.end] == figure.exact


def test_the_reader_on_the_labelled_set(labelled: list[Sentence]) -> None:
    result = score(labelled, _found)
    print(
        f"\nfigures reader on {LABELS.name}: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f}, false figures on distractors {result.false_rate:.1%} "
        f"({result.hits} hits, {result.predicted} read, {result.labelled} labelled, "
        f"{result.distractors_taken} of {result.distractors} distractors taken)"
    )
    assert result.precision >= 0.95, result.false
    assert result.recall >= 0.90, result.misses
    assert result.false_rate <= 0.02


def test_scoring_counts_a_wrong_value_or_unit_as_a_miss() -> None:
    sentence = parse_line("t\tMencapai [[US$21,54 juta|21540000|USD]] sejak {{2014|year}}.")
    right = score([sentence], lambda _text: [(9, 22, Decimal("21540000"), "USD")])
    assert (right.hits, right.precision, right.recall) == (1, 1.0, 1.0)
    wrong_value = score([sentence], lambda _text: [(9, 22, Decimal("21"), "USD")])
    wrong_unit = score([sentence], lambda _text: [(9, 22, Decimal("21540000"), "NUM")])
    wrong_words = score([sentence], lambda _text: [(9, 18, Decimal("21540000"), "USD")])
    for result in (wrong_value, wrong_unit, wrong_words):
        assert (result.hits, result.precision, result.recall) == (0, 0.0, 0.0)
    year = score([sentence], lambda _text: [(29, 33, Decimal("2014"), "NUM")])
    assert (year.distractors_taken, year.false_rate) == (1, 1.0)


def test_the_ringkasan_of_the_sample_page() -> None:
    figures = read_figures(RINGKASAN)
    assert [(f.exact, f.value, f.unit, f.counted) for f in figures] == [
        ("871 UMKM", Decimal(871), "NUM", "UMKM"),
        ("200 ribu tenaga kerja", Decimal(200000), "NUM", "tenaga kerja"),
        ("60%", Decimal(60), "PERCENT", None),
        ("US$21,54 juta", Decimal(21540000), "USD", None),
        ("US$17,99 juta", Decimal(17990000), "USD", None),
    ]
    for figure in figures:
        assert RINGKASAN[figure.start : figure.end] == figure.exact
    export = figures[3]
    assert export.period == Period("pada Januari–Juli 2020", 438, 460, "2020-01/2020-07")
    assert RINGKASAN[438:460] == "pada Januari–Juli 2020"
    assert figures[4].period is None  # "pada periode sama 2019" names no period of its own
    # "menyerap sekitar 200 ribu tenaga kerja": about 200000, not 200000 as if exact.
    assert [figure.qualifier for figure in figures] == [None, "About", None, None, None]
    assert (figures[0].start, figures[0].end) == (138, 146)


def test_the_deskripsi_of_the_sample_page() -> None:
    assert [
        (f.exact, decimal_text(f.value), f.unit, f.counted) for f in read_figures(DESKRIPSI)
    ] == [
        ("47 ribu unit usaha", "47000", "NUM", "unit usaha"),
        ("200 ribu pekerja", "200000", "NUM", "pekerja"),
        ("US$21,54 juta", "21540000", "USD", None),
        ("US$17,99 juta", "17990000", "USD", None),
        ("871 UMKM", "871", "NUM", "UMKM"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dana Rp3.500.000 diberikan", [("Rp3.500.000", "3500000", "IDR")]),
        ("Dana Rp. 3.500.000,- diberikan", [("Rp. 3.500.000", "3500000", "IDR")]),
        ("Pendapatan 21,7 persen lebih tinggi", [("21,7 persen", "21.7", "PERCENT")]),
        ("anggaran Rp 1,2 triliun", [("Rp 1,2 triliun", "1200000000000", "IDR")]),
        ("sebanyak 2 miliar rupiah", [("2 miliar rupiah", "2000000000", "IDR")]),
        ("hibah € 1,5 juta", [("€ 1,5 juta", "1500000", "EUR")]),
        ("pinjaman 5 juta dolar AS", [("5 juta dolar AS", "5000000", "USD")]),
        ("lima ratus warga hadir", [("lima ratus warga", "500", "NUM")]),
        ("Tiga puluh siswa hadir", [("Tiga puluh siswa", "30", "NUM")]),
        ("ada seribu pohon", [("seribu pohon", "1000", "NUM")]),
        (
            "sebelas kelurahan dan dua belas desa",
            [("sebelas kelurahan", "11", "NUM"), ("dua belas desa", "12", "NUM")],
        ),
        ("seluas 2,4 hektare", [("2,4 hektare", "2.4", "HA")]),
        ("seluas 500 m2 dan 240 m²", [("500 m2", "500", "M2"), ("240 m²", "240", "M2")]),
        ("sepanjang 5km", [("5km", "5", "KiloM")]),
        ("kecepatan 20 Mbps", [("20 Mbps", "20", "MegaBIT-PER-SEC")]),
        ("menampung 2.000 liter", [("2.000 liter", "2000", "L")]),
        ("selama 3 hari dan 24 jam", [("3 hari", "3", "DAY"), ("24 jam", "24", "HR")]),
        ("60 unit rumah apung", [("60 unit", "60", "NUM")]),
        ("84 pengusaha batik", [("84 pengusaha", "84", "NUM")]),
        # Not "5 perguruan" (a pe- word, but no person); NUF pages count practices.
        ("5 perguruan tinggi negeri", [("5 perguruan tinggi", "5", "NUM")]),
        ("bersama 32 praktik baik lainnya", [("32 praktik", "32", "NUM")]),
        ("RW 3 dengan 12 RT dan 4 RW", [("12 RT", "12", "NUM"), ("4 RW", "4", "NUM")]),
        # A scale word in capitals, or rupiah's "M" and "T": it was 2.5 rupiah, 3 rupiah.
        ("anggaran Rp 2,5 Miliar untuk", [("Rp 2,5 Miliar", "2500000000", "IDR")]),
        ("dana Rp 3 Juta per orang", [("Rp 3 Juta", "3000000", "IDR")]),
        ("hibah USD 1,5 JUTA", [("USD 1,5 JUTA", "1500000", "USD")]),
        ("sebanyak 200 Ribu tenaga kerja", [("200 Ribu tenaga kerja", "200000", "NUM")]),
        (
            "Rp 2,5 M untuk pasar, Rp1T untuk jalan.",
            [("Rp 2,5 M", "2500000000", "IDR"), ("Rp1T", "1000000000000", "IDR")],
        ),
        (
            "naik menjadi Rp 3,5 juta dari Rp 2 juta",
            [("Rp 3,5 juta", "3500000", "IDR"), ("Rp 2 juta", "2000000", "IDR")],
        ),
        (
            "70 persen dari 1.500 responden",
            [("70 persen", "70", "PERCENT"), ("1.500 responden", "1500", "NUM")],
        ),
        # A year before "dari" makes no proportion: the count after it is one.
        (
            "pada 2022 dari 500 warga yang ikut, 300 warga lulus",
            [("500 warga", "500", "NUM"), ("300 warga", "300", "NUM")],
        ),
        ("hingga Juni 2023 dari 150 UMKM binaan", [("150 UMKM", "150", "NUM")]),
        # "M" or "T" that starts a word ("T-shirt", "M-banking") is no scale of the amount.
        ("kaos Rp 75.000 T-shirt", [("Rp 75.000", "75000", "IDR")]),
        ("biaya Rp 5.000 M-banking", [("Rp 5.000", "5000", "IDR")]),
        # A noun that may name ("RT", "kelas") counts before a number that is a count's or
        # that a lower-case word follows (review: these were read as addresses). The number
        # after it still reads as its label's ("RW 12"): precision first.
        ("mencakup 3 RW 12 RT", [("3 RW", "3", "NUM")]),
        ("dibuka 4 kelas 2 kali seminggu", [("4 kelas", "4", "NUM")]),
        ("dijaga 2 pos 24 jam", [("2 pos", "2", "NUM")]),
        # A noun in capitals throughout is no name's ("Gerakan 1000 Rumah" is).
        ("SEBANYAK 1.000 RUMAH DIPERBAIKI", [("1.000 RUMAH", "1000", "NUM")]),
        # A number repeated in brackets, as official writing does, is one figure.
        ("sebanyak 5 (lima) unit mobil sampah", [("5 (lima) unit", "5", "NUM")]),
        ("lima (5) unit ambulans desa", [("lima (5) unit", "5", "NUM")]),
        ("1.200 (seribu dua ratus) warga", [("1.200 (seribu dua ratus) warga", "1200", "NUM")]),
        ("modal Rp 5.000.000,- (lima juta rupiah) per usaha", [("Rp 5.000.000", "5000000", "IDR")]),
        ("bantuan Rp 2 juta (dua juta rupiah)", [("Rp 2 juta", "2000000", "IDR")]),
        (
            "dari 2022 (200 peserta) ke 2023 (350 peserta)",
            [("200 peserta", "200", "NUM"), ("350 peserta", "350", "NUM")],
        ),
        # A number of a year's form is a count after a word only an amount follows (data
        # review: "lebih dari 2000 rumah tangga" was dropped as a year).
        ("menjangkau lebih dari 2000 rumah tangga", [("2000 rumah tangga", "2000", "NUM")]),
        ("sebanyak 2024 warga hadir", [("2024 warga", "2024", "NUM")]),
        ("sekitar 1950 orang", [("1950 orang", "1950", "NUM")]),
        # Past the 28 digits of decimal's default context: exact, not rounded or an error.
        ("9" * 29 + " warga", [("9" * 29 + " warga", "9" * 29, "NUM")]),
        (
            "Rp 1" + ".000" * 8 + " triliun",
            [("Rp 1" + ".000" * 8 + " triliun", "1" + "0" * 36, "IDR")],
        ),
        (
            "naik 0," + "1" * 30 + " persen",
            [("0," + "1" * 30 + " persen", "0." + "1" * 30, "PERCENT")],
        ),
    ],
)
def test_forms(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.exact, decimal_text(f.value), f.unit) for f in read_figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Peraturan Wali Kota Nomor 17 Tahun 2021 tentang pengelolaan sampah",
        "UU No. 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Perda 5 Tahun 2019 tentang tata ruang",
        "warga RT 05/RW 03 dan RT 5 RW 2",
        "hubungi 0812-3456-7890 atau (024) 3551234 atau 112",
        "di Jalan Pemuda No. 45 Semarang",
        "praktik baik tema 10 indikator 47 dan SDG 4.4.1",
        "bertahan di tengah pandemi Covid-19",
        "yang ke-3 dan yang ketiga",
        "pada 17 Agustus 2023 pukul 08.00 WIB",
        "sejak tahun 2014 hingga 2020",
        "Kota Seribu Taman dan Kota Seribu Sungai",
        "salah satu kota",
        "ratusan warga dan ribuan pengunjung",
        "produksi 10–15 ton per hari",
        "antara 5 dan 10 persen",
        "jaringan 5G dan Industri 4.0",
        "melaju 80 km/jam",
        "Smart City 2.0 di KM 12",
        "ada 2020 warga",
        "sebanyak 1,250 orang",
        "sekitar 10^9 ton",
        # An amount of money with a scale it does not know is no amount of rupiah or dollars.
        "hibah US$ 3 million dari Bank Dunia",
        "hibah US$ 1,5 M dari Bank Dunia",
        "sebesar Rp 40 ribuan per orang",
        "nilainya Rp 2,5 miliar-an",
        # A proportion: "3 dari 4 anak" is three in four children, no count of 4 children.
        "sebanyak 3 dari 4 anak sekolah kini sarapan sehat",
        "prevalensi stunting menjadi 1 dari 5 balita",
        "tujuh dari sepuluh rumah tangga memilah sampah",
        "1.200 dari 1.500 peserta telah bekerja",
        "sebanyak 5 (enam) unit",  # which of the two?
        # A house number before "RT 02": the noun names a neighbourhood, it counts none.
        "beralamat di Jalan Merdeka 17 RT 02 RW 05 Semarang",
        "Gang Mawar 5 RW 03",
        # "M." after thousands of rupiah: a name's initial, or 10^14 rupiah?
        "hadiah Rp 500.000 M. Yusuf",
        # Names of programmes: a counted noun in capitals where it is written lower-case.
        "Gerakan 1000 Rumah Layak Huni dan program 1.000 Kampung Hijau",
        "Kampung 1000 Pohon dan Gerakan Nasional 1000 Startup Digital",
    ],
)
def test_numbers_that_are_not_figures(text: str) -> None:
    assert read_figures(text) == ()


@pytest.mark.parametrize(
    ("text", "per", "period"),
    [
        ("iuran Rp 10.000 per bulan", ("per bulan", "P1M"), None),
        ("sampah 260 ton setiap hari", ("setiap hari", "P1D"), None),
        ("omzet Rp 96 miliar per tahun pada 2023", ("per tahun", "P1Y"), ("pada 2023", "2023")),
        ("iuran Rp 5.000/bulan", ("/bulan", "P1M"), None),
        ("upah 8 jam sehari", ("sehari", "P1D"), None),
        # A moment, not a rate: as of today, as of June, every Sunday, that day.
        ("stok 2 ton per hari ini", None, None),
        ("tercatat 1.200 warga per bulan Juni 2023", None, None),
        ("pasar 300 pedagang setiap hari Minggu", None, None),
        # "itu" may be "that" of what follows: "Rp 50.000 per hari itu cukup" is a rate.
        ("pendapatan Rp 50.000 per hari itu cukup", ("per hari", "P1D"), None),
        ("naik 6,8% pada Agustus 2023", None, ("pada Agustus 2023", "2023-08")),
        ("sebanyak 500 warga pada 17 Agustus 2023", None, ("pada 17 Agustus 2023", "2023-08-17")),
        ("1.050 rumah selama 2019–2024", None, ("selama 2019–2024", "2019/2024")),
        ("US$1 juta pada tahun 2022", None, ("pada tahun 2022", "2022")),
        (
            "48.500 orang pada Januari 2021 hingga Juni 2022",
            None,
            ("pada Januari 2021 hingga Juni 2022", "2021-01/2022-06"),
        ),
    ],
)
def test_periods(text: str, per: tuple[str, str] | None, period: tuple[str, str] | None) -> None:
    (figure,) = read_figures(text)
    for found, wanted in ((figure.per, per), (figure.period, period)):
        if wanted is None:
            assert found is None
        else:
            assert found is not None
            assert (found.text, found.value) == wanted
            assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    ("text", "exact", "value", "unit", "per"),
    [
        # A rate after a weight or volume of a listed material (materials.txt) is the amount's:
        # it was published as 2 tonnes in all, not 2 tonnes a day.
        ("mengolah 2 ton sampah per hari", "2 ton", "2", "TONNE", ("per hari", "P1D")),
        ("mengurai 500 kg sampah setiap hari", "500 kg", "500", "KiloGM", ("setiap hari", "P1D")),
        (
            "800 kilogram sampah pasar per hari",
            "800 kilogram",
            "800",
            "KiloGM",
            ("per hari", "P1D"),
        ),
        ("IPAL mengolah 30 m3 air limbah per hari", "30 m3", "30", "M3", ("per hari", "P1D")),
        ("1.200 liter air bersih setiap hari", "1.200 liter", "1200", "L", ("setiap hari", "P1D")),
        ("10 ton sampah rumah tangga per hari", "10 ton", "10", "TONNE", ("per hari", "P1D")),
        ("5 ton sampah organik/hari", "5 ton", "5", "TONNE", ("/hari", "P1D")),
        ("20 m³ biogas sehari", "20 m³", "20", "M3", ("sehari", "P1D")),
        ("200 liter minyak jelantah tiap bulan", "200 liter", "200", "L", ("tiap bulan", "P1M")),
        # "/" and a time word after a weight or volume is a rate, as "/bulan" after money.
        ("mengurangi 1,5 ton/hari sejak 2020", "1,5 ton", "1.5", "TONNE", ("/hari", "P1D")),
        ("berkapasitas 5 ton/hari", "5 ton", "5", "TONNE", ("/hari", "P1D")),
        ("kebutuhan 20 liter/hari", "20 liter", "20", "L", ("/hari", "P1D")),
        ("menghasilkan 500 kg/bulan kompos", "500 kg", "500", "KiloGM", ("/bulan", "P1M")),
        ("insinerator 2 ton/jam", "2 ton", "2", "TONNE", ("/jam", "PT1H")),
        ("sebanyak 30 m3/hari", "30 m3", "30", "M3", ("/hari", "P1D")),
        # Per second, a flow is a unit of its own, as "liter per detik" is.
        ("debit 3 m3/detik", "3 m3/detik", "3", "M3-PER-SEC", None),
        ("debit 3 m³ per detik", "3 m³ per detik", "3", "M3-PER-SEC", None),
        ("debit 3 meter kubik per detik", "3 meter kubik per detik", "3", "M3-PER-SEC", None),
        # Any other word between: the rate may be another's ("dan setiap hari warga"), or the
        # verb's ("diangkut per hari"); the figure is read as before, without a rate.
        ("10 ton dan setiap hari warga datang", "10 ton", "10", "TONNE", None),
        ("2 ton sampah, dan per hari warga membayar", "2 ton", "2", "TONNE", None),
        ("2 ton sampah diangkut per hari", "2 ton", "2", "TONNE", None),
        ("2 ton sampah ke TPA per hari", "2 ton", "2", "TONNE", None),
        ("100 liter air bersih per orang per hari", "100 liter", "100", "L", None),
        ("100 liter per orang per hari", "100 liter", "100", "L", None),
        ("2 ton sampah pada 2023", "2 ton", "2", "TONNE", None),
        ("2 ton sampahnya per hari", "2 ton", "2", "TONNE", None),
        ("2 ton air limbahan per hari", "2 ton", "2", "TONNE", None),
        # Only after a weight or volume: a count or an area with a material is no amount of it.
        ("50 unit sampah per hari", "50 unit", "50", "NUM", None),
        ("2 hektare sampah per hari", "2 hektare", "2", "HA", None),
    ],
)
def test_rates_of_weights_and_volumes(
    text: str, exact: str, value: str, unit: str, per: tuple[str, str] | None
) -> None:
    (figure,) = read_figures(text)
    assert (figure.exact, decimal_text(figure.value), figure.unit) == (exact, value, unit)
    if per is None:
        assert figure.per is None
    else:
        assert figure.per is not None
        assert (figure.per.text, figure.per.value) == per
        assert text[figure.per.start : figure.per.end] == figure.per.text


def test_a_material_does_not_move_the_period() -> None:
    (figure,) = read_figures("mengolah 2 ton kompos per bulan pada 2023")
    assert figure.per == Period("per bulan", 22, 31, "P1M")
    assert figure.period == Period("pada 2023", 32, 41, "2023")


def test_a_daily_amount_is_published_as_per_hari_is() -> None:
    # The tables (CSV, JSON, the site) take the rows, the dumps the nodes: "2 ton sampah per
    # hari" and "1,5 ton/hari" are published with the rate "260 ton per hari" has, P1D.
    from nualod.map.figures import figure_nodes

    text = "Mengolah 260 ton per hari, 2 ton sampah per hari dan 1,5 ton/hari."
    rows = figure_rows(text, None)
    nodes = figure_nodes("https://example.org/p", {"abstract": text})
    wanted = [("260 ton", "TONNE", "P1D"), ("2 ton", "TONNE", "P1D"), ("1,5 ton", "TONNE", "P1D")]
    assert [(r.exact, r.unit, r.per) for r in rows] == wanted
    assert [(n.exact, n.unit.rsplit("/", 1)[1], n.per) for n in nodes] == wanted


@pytest.mark.parametrize(
    "text",
    [
        # A unit the reader does not read: a speed, a rate of a percentage, a yield per area.
        "melaju 80 km/jam",
        "tumbuh 20%/tahun",
        "panen 5 ton/ha",
        "konsumsi 100 liter/orang/hari",
        "konsumsi 5 kg/hari/orang",  # per person as well: no amount a day
        "sebanyak 5 ton/harinya",
    ],
)
def test_a_slash_and_a_word_that_is_no_rate(text: str) -> None:
    assert read_figures(text) == ()


def test_materials_are_short_lower_case_and_not_counted() -> None:
    from nualod.figures.reader import COUNTED_NOUNS, MATERIALS

    assert "sampah" in MATERIALS and "air limbah" in MATERIALS
    assert list(MATERIALS) == sorted(MATERIALS, key=len, reverse=True)
    for material in MATERIALS:
        assert material == material.lower() and 1 <= len(material.split()) <= 3, material
        assert material not in COUNTED_NOUNS, material


def test_offsets_are_code_points() -> None:
    # "𝐊" is outside the Basic Multilingual Plane: one code point, two UTF-16 units.
    text = "𝐊ota dengan 871 UMKM"
    (figure,) = read_figures(text)
    assert (figure.start, figure.end) == (12, 20)
    assert text[figure.start : figure.end] == "871 UMKM"


def test_figures_are_frozen_and_comparable() -> None:
    figure = read_figures("871 UMKM")[0]
    assert figure == Figure("871 UMKM", 0, 8, Decimal(871), COUNT, "UMKM")
    with pytest.raises(AttributeError):
        figure.value = Decimal(1)  # type: ignore[misc]


def test_the_unit_vocabulary_parses_and_names_qudt() -> None:
    table = units()
    assert table == parse_units(
        (LABELS.parents[3] / "nualod" / "figures" / UNITS_FILE).read_text("utf-8")
    )
    # Every IRI is in QUDT's unit vocabulary: QUDT 3.1.0 deprecated the currency vocabulary
    # (http://qudt.org/vocab/currency/, cur:IDR dcterms:isReplacedBy unit:CCY_IDR) and
    # later removed it; a currency's key is its ISO 4217 code.
    for key, unit in table.items():
        assert unit.key == key
        local = f"CCY_{key}" if key in CURRENCIES else key
        assert unit.iri == f"http://qudt.org/vocab/unit/{local}"
        assert unit.label_en and unit.label_id
        assert units_by_iri()[unit.iri] == unit
    assert sorted(CURRENCIES) == ["EUR", "IDR", "USD"]
    assert unit_iri("IDR") == "http://qudt.org/vocab/unit/CCY_IDR"
    assert unit_iri(COUNT) == "http://qudt.org/vocab/unit/NUM"


def test_figure_rows_give_each_figure_in_its_sentence() -> None:
    rows = figure_rows(RINGKASAN, DESKRIPSI)
    assert [(r.fragment, r.exact, r.value, r.unit_iri) for r in rows[:3]] == [
        ("figure-abstract-138", "871 UMKM", "871", "http://qudt.org/vocab/unit/NUM"),
        (
            "figure-abstract-169",
            "200 ribu tenaga kerja",
            "200000",
            "http://qudt.org/vocab/unit/NUM",
        ),
        ("figure-abstract-192", "60%", "60", "http://qudt.org/vocab/unit/PERCENT"),
    ]
    for row in rows:
        text = RINGKASAN if row.field == "abstract" else DESKRIPSI
        assert text[row.start : row.end] == row.exact
        assert row.sentence[row.sentence_start : row.sentence_end] == row.exact
        assert row.sentence in text and row.prefix + row.exact + row.suffix in text
    export = rows[3]
    assert (
        export.sentence.startswith("Pemerintah dan Dekranasda")
        and export.period == "2020-01/2020-07"
    )
    assert [r.field for r in rows].count("description") == 5


def test_a_text_gives_its_first_thousand_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20,000 figures of one page took a publish 15 s and 0.5 GB; 700,000 (13 MB) minutes.
    from nualod.figures import reader

    text = "Pelatihan 5 orang, lima warga dan Rp 2 juta. " * 400
    capped = read_figures(text)
    monkeypatch.setattr(reader, "MAX_FIGURES", 10**9)
    every = read_figures(text)
    assert (len(capped), len(every)) == (1000, 1200)
    assert capped == every[:1000]
    assert capped[-1].exact == "5 orang"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("menyerap sekitar 200 ribu tenaga kerja", [("200 ribu tenaga kerja", "About")]),
        ("Kurang lebih 50 warga hadir", [("50 warga", "About")]),
        ("lebih kurang 3 hektare lahan", [("3 hektare", "About")]),
        ("kira-kira 12 ton sampah", [("12 ton", "About")]),
        ("± 300 warga", [("300 warga", "About")]),
        ("Lebih dari 2000 rumah tangga", [("2000 rumah tangga", "MoreThan")]),
        ("tingkat hunian di atas 80%", [("80%", "MoreThan")]),
        ("kurang dari 5% warga", [("5%", "LessThan")]),
        ("kemiskinan di bawah 10 persen", [("10 persen", "LessThan")]),
        ("sedikitnya 40 peserta dan paling banyak 60 peserta",
         [("40 peserta", "AtLeast"), ("60 peserta", "AtMost")]),
        ("setidaknya lima ratus warga", [("lima ratus warga", "AtLeast")]),
        ("paling sedikit 2 unit, maksimal 4 unit", [("2 unit", "AtLeast"), ("4 unit", "AtMost")]),
        ("minimal Rp 5 juta", [("Rp 5 juta", "AtLeast")]),
        ("hampir Rp 3 miliar", [("Rp 3 miliar", "Almost")]),
        # Words that state the amount, or may mean "until", qualify nothing.
        ("sebanyak 50 orang", [("50 orang", None)]),
        ("mencapai US$21,54 juta", [("US$21,54 juta", None)]),
        ("hingga 200 warga", [("200 warga", None)]),
        ("terlebih dari 30 UMKM", [("30 UMKM", None)]),
        # Only the words right before the amount: not those before another word.
        ("lebih dari itu, 30 UMKM", [("30 UMKM", None)]),
        # Negated, the bound turns (code review: "no fewer than 50" was LessThan).
        ("Tidak kurang dari 50 orang", [("50 orang", "AtLeast")]),
        ("tak lebih dari 20%", [("20%", "AtMost")]),
        # A place, not an amount: around the kelurahan, on top of the land.
        ("warga di sekitar 12 kelurahan", [("12 kelurahan", None)]),
        ("gedung di atas 1.000 m2 lahan", [("1.000 m2", None)]),
        ("pendapatan di atas Rp 5 juta", [("Rp 5 juta", "MoreThan")]),
        # Letters whose case Python's matching ignores, and whose lower case is another:
        # the publish stopped with a KeyError.
        ("SEKİTAR 200 ribu tenaga kerja", [("200 ribu tenaga kerja", "About")]),
        ("ſekitar 5 unit", [("5 unit", "About")]),
        # Any white space between a qualifier's words: a page's line break (re-review).
        ("tidak\nkurang dari 500 warga", [("500 warga", "AtLeast")]),
        ("kurang\u00a0 lebih 30 unit", [("30 unit", "About")]),
        ("di\nsekitar 14 kelurahan", [("14 kelurahan", None)]),
        ("tidak sampai 500 orang", [("500 orang", "LessThan")]),
        ("bukan lebih dari 20%", [("20%", "AtMost")]),
    ],
)  # fmt: skip
def test_qualifiers(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(figure.exact, figure.qualifier) for figure in read_figures(text)] == expected


def test_the_labelled_qualifiers_are_read_and_no_other(labelled: list[Sentence]) -> None:
    """Every figure of the labelled set has the qualifier its label gives, or none."""
    said = {}
    for sentence in labelled:
        for figure in read_figures(sentence.text):
            said[sentence.id, figure.start, figure.end] = figure.qualifier
    labelled_qualifiers = {
        (sentence.id, label.start, label.end): label.qualifier
        for sentence in labelled
        for label in sentence.figures
    }
    assert sum(1 for q in labelled_qualifiers.values() if q) == 14
    assert {key: said.get(key) for key in labelled_qualifiers} == labelled_qualifiers
    assert {key for key, q in said.items() if q} <= {k for k, q in labelled_qualifiers.items() if q}


def test_the_ascii_look_up_of_qualifiers_reads_as_the_regular_expression(
    labelled: list[Sentence],
) -> None:
    """ASCII texts take a look-up of their last words, others the regular expression: the two
    give the same at every number of the labelled set and of texts made to tell them apart."""
    import re

    from nualod.figures import reader

    def by_expression(text: str, start: int) -> tuple[str, bool] | None:
        found = reader._QUALIFIER_BEFORE.search(text, max(0, start - 40), start)
        if found is None or found.lastgroup is None:
            return None
        words = reader._QUALIFIER_WORDS[int(found.lastgroup[1:])]
        before = reader._AROUND_A_PLACE.search(text, max(0, found.start() - 8), found.start())
        return words, bool(before)

    made = [
        "warga (sekitar 5 unit", "x,sekitar 5 unit", "lebih   dari 5 unit", "(± 5 unit",
        "±5 unit", "warga±5 unit", "x-sekitar 5 unit", "terlebih dari 5 unit",
        "Di Sekitar 5 desa", "x,di sekitar 5 desa", "kurang, lebih 5 unit",
        "foo,lebih dari 5 unit", "Tidak Kurang Dari 5 orang", "a" * 39 + " lebih dari 5 unit",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxterlebih dari 5 unit",
    ]  # fmt: skip
    texts = [sentence.text for sentence in labelled] + made
    numbers = [(text, found.start()) for text in texts for found in re.finditer(r"(?<!\d)\d", text)]
    assert len(numbers) > 500
    assert [reader._qualifier_words(t, at) for t, at in numbers] == [
        by_expression(t, at) for t, at in numbers
    ]
