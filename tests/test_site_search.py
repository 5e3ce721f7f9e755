"""The site's search index: every practice found by the words of its title, place and
summary; lists joined across shards; long lists in files of their own; the bytes stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nualod.run.publish import publish
from nualod.site import search
from nualod.site.build import build_site
from nualod.site.search import ShardIndex, merge_index, read_postings, read_records, terms

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def _shards(tmp_path: Path, shards: dict[int, list[tuple[str, str, str]]]) -> Path:
    out = tmp_path / "site"
    work = tmp_path / "work"
    out.mkdir()
    work.mkdir()
    for number, practices in shards.items():
        index = ShardIndex()
        for at, (title, place, summary) in enumerate(practices):
            index.add(f"id/practice/{number}/{at}.html", title, place, summary)
        index.write(out, work, number)
    counts = [(number, len(practices)) for number, practices in sorted(shards.items())]
    merge_index(out, work, counts)
    return out


def test_lists_are_joined_across_shards_and_scored_by_field(tmp_path: Path) -> None:
    out = _shards(
        tmp_path,
        {
            3: [
                ("Taman kota", "Kota Bogor, Jawa Barat", "Taman untuk warga."),
                ("Sungai bersih", "Kota Bogor, Jawa Barat", "Warga membersihkan sungai."),
            ],
            7: [("Pasar", "Kabupaten Bantul, DI Yogyakarta", "Pasar rakyat dekat taman.")],
            9: [("Taman bacaan", "Kota Solo, Jawa Tengah", "Bacaan anak.")],
        },
    )
    # Numbers run shard after shard: 0 and 1 in shard 3, 2 in shard 7, 3 in shard 9.
    assert read_postings(out, "taman") == ([0, 3], [2])
    assert read_postings(out, "warga") == ([], [0, 1])
    assert read_postings(out, "bogor") == ([0, 1], [])
    assert read_postings(out, "yogyakarta") == ([2], [])
    assert read_postings(out, "jakarta") is None
    meta = json.loads((out / "search" / "index.json").read_text(encoding="utf-8"))
    assert meta["shards"] == [[3, 0, 2], [7, 2, 1], [9, 3, 1]]
    assert meta["total"] == 4
    assert "tam" in meta["buckets"] and "di" in meta["buckets"]
    assert [r[:3] for r in read_records(out)] == [
        ["id/practice/3/0.html", "Taman kota", "Kota Bogor, Jawa Barat"],
        ["id/practice/3/1.html", "Sungai bersih", "Kota Bogor, Jawa Barat"],
        ["id/practice/7/0.html", "Pasar", "Kabupaten Bantul, DI Yogyakarta"],
        ["id/practice/9/0.html", "Taman bacaan", "Kota Solo, Jawa Tengah"],
    ]
    # Every bucket file the index lists is there, and no other.
    written = sorted(p.name[2:-5] for p in (out / "search" / "terms").glob("*/b-*.json"))
    assert written == sorted(meta["buckets"])


def test_a_long_list_gets_a_file_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "OWN_FILE", 10)
    many = [(f"Praktik {n}", "Kota Bogor", "Air bersih untuk warga.") for n in range(8)]
    out = _shards(tmp_path, {0: many, 1: many})
    bucket = json.loads((out / "search" / "terms" / "a" / "b-air.json").read_text("utf-8"))
    assert bucket == {"air": 0}
    assert (out / "search" / "terms" / "a" / "t-air.json").is_file()
    assert read_postings(out, "air") == ([], list(range(16)))
    assert read_postings(out, "praktik") == (list(range(16)), [])


def test_records_are_chunked_and_excerpts_cut_at_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CHUNK", 3)
    long = "kata " * 100
    out = _shards(tmp_path, {0: [(f"P{n}", "Kota", long) for n in range(7)]})
    assert sorted(p.name for p in (out / "search" / "docs" / "000").iterdir()) == [
        "0.json", "1.json", "2.json"
    ]  # fmt: skip
    records = read_records(out)
    assert [r[1] for r in records] == [f"P{n}" for n in range(7)]
    assert len(records[0][3]) <= search.EXCERPT + 2
    assert records[0][3].endswith("kata …")


@pytest.fixture(scope="module")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "out"
    publish([EXAMPLES], out)
    build_site(out)
    return out / "site"


def test_every_practice_is_found_by_every_word_of_its_title_place_and_summary(
    examples_site: Path,
) -> None:
    records = read_records(examples_site)
    pages = sorted(
        p.relative_to(examples_site).as_posix() for p in examples_site.glob("id/practice/*/*.html")
    )
    assert sorted(r[0] for r in records) == pages
    for number, (_path, title, place, summary) in enumerate(records):
        for term in terms(title) + terms(place):
            postings = read_postings(examples_site, term)
            assert postings is not None and number in postings[0], (term, title)
        for term in terms(summary.removesuffix(" …"))[:-1]:  # the last word may be cut
            postings = read_postings(examples_site, term)
            assert postings is not None and number in postings[0] + postings[1], (term, title)
    pekalongan = next(n for n, r in enumerate(records) if "Pekalongan" in r[2])
    assert records[pekalongan][2] == "Kota Pekalongan, Jawa Tengah"
    assert read_postings(examples_site, "pekalongan") == ([pekalongan], [])
