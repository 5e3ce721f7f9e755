"""Input that used to cost too much (issue #18 cases 7 and 8): many ``Sumber:`` lines, and a
very long literal under ``nualod validate``. bench/hardening.py measures both; the bounds
here are ten times its figures, so they catch a quadratic case coming back, never a slow
machine."""

from __future__ import annotations

import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from nualod.model.records import Origin
from nualod.read.pages import parse_page_text
from nualod.read.tables import practice_from_row
from nualod.validate.fast import Data

#: Measured by bench/hardening.py: a page with 100,000 sources read in 1.4 s (the list
#: searched per URL took 13 s for 20,000 alone, 43 times the whole page now); the graph of a
#: 10 MB literal built in 0.05 s (rdflib's N-Triples parser took 5.3 s for 500 KB). The
#: bounds are ten times the time of the whole step under test, never tight.
MANY_SOURCES_BOUND = 15.0
LONG_LITERAL_BOUND = 60.0

PAGE_HEAD = """10. Praktik baik indikator 47
Praktik baik tema 10 indikator 47 Jumlah Tahunan Individu yang Dilatih
Kota Pekalongan, Kota Batik
Ringkasan:
Pelatihan membatik.
Deskripsi:
Pelatihan rajut sejak 2017.
"""
SOURCES = 100_000


def _urls(count: int) -> list[str]:
    return [f"https://pekalongankota.go.id/berita/{i}" for i in range(count)]


def test_a_page_with_many_sources_is_read_in_linear_time() -> None:
    urls = _urls(SOURCES)
    lines = "".join(f"Sumber: {url}\n" for url in urls)
    page = PAGE_HEAD + lines + f"Sumber: {urls[0]}\n" + "Kamis, 18 Desember 2025\n"
    started = time.perf_counter()
    practice = parse_page_text(page, Origin("many.txt"))
    assert time.perf_counter() - started < MANY_SOURCES_BOUND
    assert [source.url for source in practice.sources] == urls  # in order, the repeat once


def test_a_row_with_many_sources_is_read_in_linear_time() -> None:
    urls = _urls(SOURCES)
    row = {
        "theme": "10",
        "indicator": "47",
        "indicator_name": "Individu Dilatih",
        "city": "Kota Pekalongan",
        "sources": " ; ".join([*urls, urls[-1]]),
        "date": "2025-12-18",
    }
    started = time.perf_counter()
    practice = practice_from_row(row, Origin("list.csv", "row 2"))
    assert time.perf_counter() - started < MANY_SOURCES_BOUND
    assert [source.url for source in practice.sources] == urls


def test_the_fast_engine_indexes_many_objects_in_linear_time() -> None:
    subject = NamedNode("https://w3id.org/nualod/id/practice/x")
    source = NamedNode("http://purl.org/dc/terms/source")
    objects = [NamedNode(url) for url in _urls(SOURCES)]
    triples = [(subject, source, obj) for obj in [*objects, *objects[:10], objects[-1]]]
    started = time.perf_counter()
    data = Data(triples, inverse=False)
    assert time.perf_counter() - started < MANY_SOURCES_BOUND
    assert list(data.objects(subject, source)) == objects  # a triple given twice is one


def test_a_ten_megabyte_literal_validates_in_linear_time(tmp_path: Path) -> None:
    from nualod.validate.shacl import validate_files

    data = tmp_path / "long.nt"
    description = Literal("a" * 10_000_000, language="id")
    data.write_text(
        "<https://w3id.org/nualod/id/practice/x> <http://purl.org/dc/terms/description> "
        f"{description} .\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    report = validate_files([data], None)
    assert time.perf_counter() - started < LONG_LITERAL_BOUND
    assert report.conforms
