"""Measure the costly inputs of issue #18, each against the code that was slow, in one run.

    python -m bench.hardening                  # all, about three minutes on 2 cores
    python -m bench.hardening --only html      # one case: html, sources, literal, query, page

Each case times the input with the code of before (the same algorithm, kept here, run at a
size it finishes) and with nualod now, at that size and at the issue's size, and prints the
ratio at the same size. Figures go to ``bench/results/hardening.json``; the tests' bounds
(tests/test_hardening_*.py) are ten times these.

- html: ``<a b='`` repeated (case 6): the standard library's ``html.parser``, which
  nualod used, against Lexbor (nualod.read.htmltext).
- sources: one page with many ``Sumber:`` lines (case 7): the list that was searched for
  every URL, against reading the page now.
- literal: one long literal (case 8): rdflib's N-Triples parser, through which the graph
  for validation was built, against :func:`nualod.read.rdf.triples_to_graph` now.
- query: a cartesian product with ORDER BY (case 2): ``nualod query`` ends at its memory
  limit; its peak resident memory (the CLI and its query process) and time.
- page: a 150 MB page (case 9): rejected at the 16 MiB cap; time and peak memory.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "hardening.json"
PAGE_HEAD = """10. Praktik baik indikator 47
Praktik baik tema 10 indikator 47 Jumlah Tahunan Individu yang Dilatih
Kota Pekalongan, Kota Batik
Ringkasan:
Pelatihan membatik.
Deskripsi:
Pelatihan rajut sejak 2017.
"""


def _seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return round(time.perf_counter() - started, 4)


def bench_html() -> dict[str, Any]:
    """Case 6: malformed markup, html.parser (before) against Lexbor (now)."""
    from nualod.read.htmltext import html_to_text

    def before(text: str) -> None:
        parser = html.parser.HTMLParser(convert_charrefs=True)
        parser.feed(text)
        parser.close()

    small = "<p b='" * (60_000 // 6)  # "<p" cannot nest, so the page reaches the parser
    large = "<p b='" * (5_000_000 // 6)
    nested = "<div>" * 512 + "x" + "</div>" * 512
    before_small = _seconds(lambda: before(small))
    now_small = _seconds(lambda: html_to_text(small))
    return {
        "input": "<p b=' repeated; blocks nested 512 deep, repeated",
        "before_60KB_s": before_small,
        "now_60KB_s": now_small,
        "ratio_60KB": round(before_small / max(now_small, 1e-6)),
        "now_5MB_s": _seconds(lambda: html_to_text(large)),
        "now_5MB_nested_512_s": _seconds(lambda: html_to_text(nested * (5_000_000 // 11_264))),
        "now_5MB_a_refused_s": _seconds(lambda: _refused(html_to_text, "<a b='" * 833_333)),
    }


def _refused(call: Callable[[str], object], text: str) -> None:
    try:
        call(text)
    except ValueError:
        return


def bench_sources() -> dict[str, Any]:
    """Case 7: many Sumber lines, the list searched per URL (before) against now."""
    from nualod.model.records import Origin
    from nualod.read.pages import parse_page_text

    def before(urls: list[str]) -> None:
        kept: list[str] = []
        for url in urls:
            if url not in kept:
                kept.append(url)

    def page(count: int) -> str:
        lines = "".join(f"Sumber: https://kota.go.id/berita/{i}\n" for i in range(count))
        return PAGE_HEAD + lines + "Kamis, 18 Desember 2025\n"

    urls = [f"https://kota.go.id/berita/{i}" for i in range(20_000)]
    before_small = _seconds(lambda: before(urls))
    now_small = _seconds(lambda: parse_page_text(page(20_000), Origin("a.txt")))
    large = page(100_000)
    return {
        "input": "one page with N Sumber lines",
        "before_20000_dedupe_only_s": before_small,
        "now_20000_whole_page_s": now_small,
        "ratio_20000": round(before_small / max(now_small, 1e-6), 1),
        "now_100000_whole_page_s": _seconds(lambda: parse_page_text(large, Origin("a.txt"))),
    }


def bench_literal() -> dict[str, Any]:
    """Case 8: one long literal, rdflib's N-Triples parser (before) against now."""
    from pyoxigraph import Literal, NamedNode, Triple
    from rdflib import Graph

    from nualod.read.rdf import triples_to_graph

    def triple(size: int) -> Triple:
        return Triple(
            NamedNode("https://w3id.org/nualod/id/practice/x"),
            NamedNode("http://purl.org/dc/terms/description"),
            Literal("a" * size, language="id"),
        )

    def before(size: int) -> None:
        line = f"{triple(size)} .\n"
        Graph().parse(data=line, format="nt")

    before_small = _seconds(lambda: before(500_000))
    now_small = _seconds(lambda: triples_to_graph([triple(500_000)]))
    return {
        "input": "one N-Triples line with a literal of N characters",
        "before_500KB_s": before_small,
        "now_500KB_s": now_small,
        "ratio_500KB": round(before_small / max(now_small, 1e-6)),
        "now_10MB_s": _seconds(lambda: triples_to_graph([triple(10_000_000)])),
    }


def _published_examples(folder: Path) -> Path:
    out = folder / "out"
    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    subprocess.run(
        [sys.executable, "-m", "nualod", "publish", str(examples), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _run_measured(command: list[str]) -> dict[str, Any]:
    """Run a command in a child Python that reports the peak memory of all it started."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'s': round(time.perf_counter() - started, 2), 'peak_MiB': "
        "round(peak / 1024), 'exit': done.returncode, 'stderr': done.stderr.strip()}))\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(answer.stdout)
    return result


def bench_query(folder: Path) -> dict[str, Any]:
    """Case 2: a cartesian product with ORDER BY under nualod query's limits."""
    out = _published_examples(folder)
    cartesian = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    counting = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    nualod = [sys.executable, "-m", "nualod", "query", str(out)]
    return {
        "input": "the examples' store; before: 17 GB in 60 s and running on (the issue)",
        "order_by_default_limits": _run_measured([*nualod, cartesian]),
        "count_timeout_5s": _run_measured([*nualod, counting, "--timeout", "5"]),
    }


def bench_page(folder: Path) -> dict[str, Any]:
    """Case 9: a 150 MB page, rejected at the cap."""
    page = folder / "huge.html"
    with page.open("wb") as stream:
        stream.write(b"<p>")
        for _ in range(150):
            stream.write(b"a" * (1 << 20))
    reader = (
        "from pathlib import Path; import sys\n"
        "from nualod.read.inputs import read_file\n"
        "print(list(read_file(Path(sys.argv[1])))[0])\n"
    )
    result = _run_measured([sys.executable, "-c", reader, str(page)])
    page.unlink()
    return {"input": "a 150 MB page; before: a 2.2 GB peak", "read": result}


CASES: dict[str, Callable[[Path], dict[str, Any]]] = {
    "html": lambda _: bench_html(),
    "sources": lambda _: bench_sources(),
    "literal": lambda _: bench_literal(),
    "query": bench_query,
    "page": bench_page,
}


def main(argv: list[str] | None = None) -> None:
    """Run the cases and write bench/results/hardening.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    options = parser.parse_args(argv)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in options.only or list(CASES):
            figures[name] = CASES[name](Path(scratch))
            print(name, json.dumps(figures[name], indent=1), flush=True)
    figures["python_peak_MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if not options.only:
        RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
