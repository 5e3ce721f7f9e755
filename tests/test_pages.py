"""The page reader: good pages become practices, broken ones one clear ReadError."""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nualod.errors import HarvestError, ReadError
from nualod.model.records import Origin, Practice
from nualod.read.inputs import decode_text, discover, read_inputs, read_page_file
from nualod.read.pages import (
    _CITY_LINE,
    _HEADING,
    _LABEL,
    _ODD_SPACES,
    _PLAIN_URL,
    _THEME_LINE,
    _clean_lines,
    _is_http_url,
    _label,
    _only_spaces,
    check_url,
    parse_page_text,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

PAGE = """Kategori Artikel
Rabu, 17 Desember 2025
10. Praktik baik indikator 47
Praktik baik tema 10 indikator 47 Jumlah Tahunan Individu yang Dilatih
{city}
Ringkasan:
Pelatihan membatik.
Deskripsi:
Pelatihan rajut sejak 2017.

Pesertanya warga.
Sumber: {source}
{date}
4 dilihat | 1 menit membaca
19 April 2022
"""


def page(
    city: str = "Kota Pekalongan, Kota Batik",
    source: str = "https://pekalongankota.go.id/berita/x",
    date: str = "Kamis, 18 Desember 2025",
) -> str:
    return PAGE.format(city=city, source=source, date=date)


def read(text: str) -> object:
    return parse_page_text(text, Origin("a.txt"))


def error(text: str) -> str:
    with pytest.raises(ReadError) as caught:
        parse_page_text(text, Origin("a.txt"))
    return caught.value.message


def test_a_good_page() -> None:
    practice = parse_page_text(page(), Origin("a.txt"))
    assert practice.theme.number == 10
    assert practice.indicator.name == "Jumlah Tahunan Individu yang Dilatih"
    assert practice.title == "Kota Pekalongan, Kota Batik"
    assert practice.summary == "Pelatihan membatik."
    assert practice.description == "Pelatihan rajut sejak 2017.\n\nPesertanya warga."
    assert practice.issued == dt.date(2025, 12, 18)
    assert [s.url for s in practice.sources] == ["https://pekalongankota.go.id/berita/x"]


def test_a_label_alone_on_its_line_without_its_colon_is_a_heading() -> None:
    """A page copied by hand lost its Ringkasan without a word (review), or read its
    Deskripsi, label and all, into the Ringkasan."""
    practice = read(page().replace("Ringkasan:", "Ringkasan").replace("Deskripsi:", "DESKRIPSI"))
    assert isinstance(practice, Practice)
    assert practice.summary == "Pelatihan membatik."
    assert practice.description == "Pelatihan rajut sejak 2017.\n\nPesertanya warga."


@pytest.mark.parametrize(
    ("english", "label"), [("Summary:", "Ringkasan"), ("Description:", "Deskripsi")]
)
def test_an_english_label_is_refused_naming_the_indonesian_one(english: str, label: str) -> None:
    assert error(page().replace(f"{label}:", english)) == (
        f"a.txt: {label}: '{english}' is not a label of the page; its labels are Indonesian: "
        f"'{label}:'"
    )


def test_the_bundled_example_pages(examples_dir: Path) -> None:
    for path in sorted(examples_dir.iterdir()):
        assert read_page_file(path).origin.location == str(path)


def test_the_real_sample(shared_sample: Path) -> None:
    practice = read_page_file(shared_sample)
    assert practice.city.name == "Kota Pekalongan"
    assert practice.issued == dt.date(2025, 12, 18)


@pytest.mark.parametrize(
    ("city_line", "city", "tagline"),
    [
        ("Kota Pekalongan, Kota Batik", "Kota Pekalongan", "Kota Batik"),
        ("Kab. Banyuwangi, The Sunrise of Java", "Kabupaten Banyuwangi", "The Sunrise of Java"),
        ("Kota Surabaya", "Kota Surabaya", None),
        ("Pekalongan, Kota Batik", "Pekalongan", "Kota Batik"),
        ("DKI Jakarta, Ibu Kota", "DKI Jakarta", "Ibu Kota"),
    ],
)
def test_city_lines(city_line: str, city: str, tagline: str | None) -> None:
    practice = parse_page_text(page(city=city_line), Origin("a.txt"))
    assert (practice.city.name, practice.tagline) == (city, tagline)


def test_a_page_that_is_not_a_good_practice() -> None:
    assert error("Berita dan cerita\nWali Kota meresmikan taman\nRabu, 17 Desember 2025") == (
        "a.txt: not a good-practice page: no line "
        "'Praktik baik tema NN indikator MM <indicator name>'"
    )


def test_an_empty_page() -> None:
    assert error(" \n\n ") == "a.txt: the page is empty"


def test_missing_heading() -> None:
    text = page().replace("10. Praktik baik indikator 47\n", "")
    assert error(text) == "a.txt: heading: the heading 'NN. Praktik baik indikator MM' is missing"


def test_long_theme_lines_and_headings_are_read_like_short_ones() -> None:
    # Lines longer than the cache keeps are read without it.
    name = "Jumlah Tahunan Individu yang Dilatih " * 10
    text = page().replace("Jumlah Tahunan Individu yang Dilatih", name)
    for _ in range(2):
        practice = parse_page_text(text, Origin("a.txt"))
        assert (practice.theme.number, practice.indicator.number) == (10, 47)
        assert practice.indicator.name == name.strip()
    # A heading is short; a long line that starts like one is no heading.
    prose = "1. Praktik baik indikator 47 " + "ditulis panjang " * 30
    assert parse_page_text(page().replace("Rabu, 17 Desember 2025", prose), Origin("a.txt"))
    assert error(page().replace("10. Praktik baik indikator 47", prose)) == (
        "a.txt: heading: the heading 'NN. Praktik baik indikator MM' is missing"
    )


def test_heading_disagrees_with_theme_line() -> None:
    text = page().replace("10. Praktik baik indikator 47", "10. Praktik baik indikator 48")
    assert error(text) == (
        "a.txt: heading: the heading says theme 10 indicator 48 but the page says "
        "theme 10 indicator 47"
    )


@pytest.mark.parametrize(
    "city_line",
    [
        "",
        "Sejak 2014 Kota Pekalongan menjadi anggota Jejaring Kota Kreatif UNESCO, di bidang kerajinan",
        "Kamis, 18 Desember 2025",
        "https://pekalongankota.go.id/",
    ],
)
def test_missing_city_line(city_line: str) -> None:
    assert error(page(city=city_line)) == (
        "a.txt: city: the city line '<Kota|Kabupaten> <name>, <tagline>' is missing"
    )


def test_missing_date_ignores_dates_of_related_articles() -> None:
    assert error(page(date="")) == (
        "a.txt: date: no article date after the sources (like 'Kamis, 18 Desember 2025')"
    )


def test_impossible_date() -> None:
    assert error(page(date="Senin, 31 Februari 2025")) == (
        "a.txt: date: not a real date: 'Senin, 31 Februari 2025'"
    )


def test_no_source() -> None:
    text = page().replace("Sumber: https://pekalongankota.go.id/berita/x\n", "")
    assert error(text) == "a.txt: Sumber: no 'Sumber: <URL>' line"


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("pekalongankota dot go dot id", "pekalongankota dot go dot id"),
        ("www.pekalongankota.go.id/berita", "www.pekalongankota.go.id/berita"),
        ("https://pekalongankota.go.id/a ftp://x.example.id/b", "ftp://x.example.id/b"),
        ("https://localhost/x", "https://localhost/x"),
        ('https://a.example.id/"x"', 'https://a.example.id/"x"'),
        # urlsplit raises ValueError on these broken IPv6 hosts.
        ("http://[::1/x", "http://[::1/x"),
        ("https://[abc]/", "https://[abc]/"),
        ("https://a.example.id/ http://[::1", "http://[::1"),
        # A port past 65535 (CLI review: published as it was).
        ("https://a.example.id:99999/x", "https://a.example.id:99999/x"),
    ],
)
def test_source_that_is_not_a_url(source: str, shown: str) -> None:
    assert error(page(source=source)) == f"a.txt: Sumber: not a valid URL: {shown!r}"


def test_a_source_keeps_no_full_stop_or_bracket_of_its_sentence() -> None:
    """ "Sumber: https://a.example.id/1." was published with its full stop (CLI review)."""
    text = page(source="https://a.example.id/1. (https://a.example.id/2).\nhttps://w.id/A_(b)")
    practice = parse_page_text(text, Origin("a.txt"))
    assert [s.url for s in practice.sources] == [
        "https://a.example.id/1", "https://a.example.id/2", "https://w.id/A_(b)"
    ]  # fmt: skip


def test_several_sources_on_one_line_and_below() -> None:
    text = page(source="https://a.example.id/1, https://a.example.id/2;\nhttps://a.example.id/3")
    practice = parse_page_text(text, Origin("a.txt"))
    assert [s.url for s in practice.sources] == [f"https://a.example.id/{i}" for i in (1, 2, 3)]


@pytest.mark.parametrize(
    "url", ["http://[::1/x", "https://[abc]/", "http://a]/", "http://a.id\uff03b/"]
)
def test_the_full_url_check_refuses_what_urlsplit_cannot_split(url: str) -> None:
    with pytest.raises(ValueError):
        urlsplit(url)  # the premise: urlsplit itself raises
    assert _is_http_url(url) is False
    with pytest.raises(ReadError) as caught:
        check_url(url, where="l.csv row 2", field="sources")
    assert caught.value.message == f"l.csv row 2: sources: not a valid URL: {url!r}"


def test_check_url_names_the_field() -> None:
    with pytest.raises(ReadError) as caught:
        check_url("x", where="l.csv row 2", field="sources")
    assert caught.value.message == "l.csv row 2: sources: not a valid URL: 'x'"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.txt: the file is empty"),
        (b" \r\n\t", "a.txt: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a.txt: a binary file, not a page"),
        (b"Kota Caf\xe9", "a.txt: not UTF-8 text (byte 0xe9 at offset 8)"),
    ],
)
def test_bytes_that_are_not_a_page(data: bytes, message: str) -> None:
    with pytest.raises(ReadError) as caught:
        decode_text(data, "a.txt")
    assert caught.value.message == message


def test_windows_line_ends_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + page().replace("\n", "\r\n").encode())
    assert read_page_file(path).issued == dt.date(2025, 12, 18)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    for name, reason in [
        ("folder.txt", "Is a directory"),
        ("gone.txt", "No such file or directory"),
    ]:
        with pytest.raises(ReadError) as caught:
            read_page_file(tmp_path / name)
        assert caught.value.message == f"{tmp_path / name}: cannot be read: {reason}"


def test_a_page_longer_than_one_read_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    description = "Pelatihan rajut sejak 2017. " * 5000  # 140 KB, more than one os.read
    path.write_text(page().replace("Pelatihan rajut sejak 2017.", description), encoding="utf-8")
    practice = read_page_file(path)
    assert practice.description is not None
    assert practice.description.startswith(description.strip())


def test_sidecars_that_are_symlinks(tmp_path: Path) -> None:
    # The sidecar check asks first, without following a symlink, whether the name is there.
    path = tmp_path / "a.txt"
    path.write_text(page(), encoding="utf-8")
    sidecar = tmp_path / "a.txt.meta.json"
    sidecar.symlink_to(tmp_path / "nowhere")  # dangling: as no sidecar
    assert read_page_file(path).origin == Origin(str(path))
    sidecar.unlink()
    (tmp_path / "real.json").write_text("{not json", encoding="utf-8")
    sidecar.symlink_to(tmp_path / "real.json")  # followed, read and found broken
    with pytest.raises(HarvestError, match=r"a\.txt\.meta\.json: malformed page metadata"):
        read_page_file(path)


# The reader's shortcuts rest on facts about Python's str and re; check them here, so that a
# new Unicode database or re engine that breaks one fails a test, not a page.


def every_character() -> Iterator[str]:
    return map(chr, range(sys.maxunicode + 1))


def test_the_whitespace_shortcuts_of_clean_lines() -> None:
    spaces = [c for c in every_character() if c.isspace()]
    assert all(f"a{c}b".split() == ["a", "b"] for c in spaces)  # what str.split() splits on
    assert "".join(c for c in spaces if c not in " \n") == _ODD_SPACES
    assert [c for c in spaces if c.isprintable()] == [" "]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a b",
        "a  b",
        " a",
        "a ",
        "a\tb",
        "a\xa0 b",
        "a\u3000b\nc  d",
        "a\r\nb \r c",
        "\x85",
        "a\x1fb",
        "a b\nc d\n",
        "a b \nc d",
        "a b\n c d",
        "a  b\nc d",
        "\n\n a\n",
        "a\xa0b\nc d",
        "é  b",
        "é\tb",
    ],
)
def test_clean_lines_collapses_every_kind_of_whitespace(text: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert _clean_lines(text) == [" ".join(line.split()) for line in lines]


def test_the_ascii_odd_spaces_are_those_of_the_list() -> None:
    # _only_spaces spells out the ASCII characters of _ODD_SPACES for an ASCII text.
    for c in map(chr, range(128)):
        assert _only_spaces(f"a{c}b") is (c in " \n" or not c.isspace()), repr(c)
    for c in [*_ODD_SPACES, " ", "\n", "a", "\u200b"]:
        assert _only_spaces(f"é{c}b") is (c not in _ODD_SPACES), repr(c)


#: The regexes as they were written first: lazy, and slow on long lines.
LAZY_LABEL = re.compile(r"^(?P<label>Ringkasan|Deskripsi|Sumber)\s*:\s*(?P<rest>.*?)\s*$", re.I)
LAZY_THEME_LINE = re.compile(
    r"^Praktik\s+baik\s+tema\s+(?P<theme>\d{1,2})\s+indikator\s+(?P<ind>\d{1,3})\s+(?P<name>\S.*?)\s*$",
    re.I,
)
LAZY_CITY_LINE = re.compile(r"^(?P<city>[^,:\d]+?)\s*(?:,\s*(?P<tagline>.*?))?\s*$")


def some_lines(count: int) -> list[str]:
    """Return lines made of the pieces the page regexes look for, in a fixed random order."""
    pieces = [*"aPpKkSs:,.0129 \t\n", "\xa0", "\u3000", "ſ", "ı", "\u212a", "١", "  "]
    pieces += ["Praktik", "baik", "tema", "indikator", "Sumber", "ringkasan", "DESKRIPSI"]
    pieces += ["Kota", "Kab", "https://a.id/x", "Kamis", "Desember", "2025"]
    rng = random.Random(20251128)
    return ["".join(rng.choices(pieces, k=rng.randrange(12))) for _ in range(count)]


def groups(match: re.Match[str] | None) -> tuple[str, dict[str, str | None]] | None:
    return None if match is None else (match[0], match.groupdict())


def test_the_greedy_regexes_find_what_the_lazy_ones_did() -> None:
    for text in some_lines(20_000):
        assert groups(_LABEL.match(text)) == groups(LAZY_LABEL.match(text)), text
        assert groups(_THEME_LINE.match(text)) == groups(LAZY_THEME_LINE.match(text)), text
        for line in _clean_lines(text):  # the city line is a clean line: no space at its start
            city = _CITY_LINE.match(line)
            assert groups(city) == groups(LAZY_CITY_LINE.match(line)), line
            lazy = LAZY_LABEL.match(line)
            label = _label(line)
            assert label == (lazy and (lazy["label"].lower(), lazy["rest"])), line
            if label or line.lower().startswith(("http://", "https://")):
                assert city is None, line  # so the city line need not check for these
            if city:
                assert city["city"].count(" ") + 1 == len(city["city"].split()), line
            if _HEADING.match(line):
                assert "." in line[1:3], line


def test_the_regex_shortcuts_of_the_line_search() -> None:
    # A theme line starts with "Praktik"; a heading and a view counter with \d.
    p = re.compile("p", re.I)
    assert [c for c in every_character() if p.match(c)] == ["P", "p"]
    digit = re.compile(r"\d")
    assert [c for c in every_character() if digit.match(c)] == [
        c for c in every_character() if c.isdecimal()
    ]


def test_plain_urls_are_those_the_full_check_accepts() -> None:
    host = {c for c in every_character() if _PLAIN_URL.fullmatch(f"http://a{c}b.id")}
    assert (
        "".join(sorted(host)) == "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    )
    rest = {c for c in every_character() if _PLAIN_URL.fullmatch(f"http://a.id/{c}")}
    assert rest == {chr(c) for c in range(0x21, 0x7F)} - set('<>"{}|\\^`')
    for url in ["http://a.id", "https://a.id/", "http://a.id?q=1#f", "http://.", "https://-.-/[]"]:
        assert _PLAIN_URL.fullmatch(url)
        assert _is_http_url(url)
    for url in [
        "HTTP://a.id",
        "http://a.id:80/",
        "http://u@a.id",
        "http://[::1]/",
        "http://a.id\\x",
    ]:
        assert not _PLAIN_URL.fullmatch(url)


def test_a_page_whose_sidecar_name_would_be_too_long_reads_without_one(tmp_path: Path) -> None:
    # 250 characters fit a file name (NAME_MAX is 255), but the sidecar name would be 260:
    # stat() of it fails with ENAMETOOLONG, which means "no sidecar", not a broken page.
    path = tmp_path / ("p" * 246 + ".txt")
    assert len(path.name) == 250
    path.write_text(page(), encoding="utf-8")
    with pytest.raises(OSError, match="File name too long"):
        (tmp_path / (path.name + ".meta.json")).stat()
    practice = read_page_file(path)
    assert practice.origin == Origin(str(path))
    assert practice.sources[0].url == "https://pekalongankota.go.id/berita/x"
    assert discover([tmp_path]) == [path]
    (result,) = read_inputs([tmp_path])
    assert result == practice


def test_discover_lists_files_as_sorted_rglob_did(tmp_path: Path) -> None:
    for name in [
        "a/x.txt",
        "a-b/x.txt",
        "a b/x.txt",
        "a.b/x.TXT",
        "A/x.html",
        ".h/x.txt",
        "a/.x.txt",
    ]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "a")  # a symlinked folder is not entered
    (tmp_path / "link.txt").symlink_to(tmp_path / "a" / "x.txt")  # a symlinked file is read
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    old_way = sorted(
        p
        for p in tmp_path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in {".txt", ".html"}
        and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts)
    )
    assert discover([tmp_path]) == old_way
    assert [p.relative_to(tmp_path).as_posix() for p in old_way] == [
        "A/x.html",
        "a/x.txt",
        "a b/x.txt",
        "a-b/x.txt",
        "a.b/x.TXT",
        "link.txt",
    ]
