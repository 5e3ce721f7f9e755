"""Measure the CPU the figures reader takes over the pages of a corpus, in this process.

    python bench/figures_reader.py PAGES [--pages 5000]                  # this tree's reader
    PYTHONPATH=/path/to/other/tree python bench/figures_reader.py PAGES  # another commit's

PAGES is a folder of page texts (``python -m bench.generate`` writes one); each page's whole
text is read, five times, and the fastest round is given. Run it alternately for two trees
to compare them: on this machine only same-run comparisons tell a change from the load.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def measure(pages: Path, count: int, rounds: int = 5) -> tuple[float, int]:
    """Return the fastest round's µs of CPU a page, and how many figures a round read."""
    from nualod.figures.reader import read_figures

    texts = [p.read_text(encoding="utf-8") for p in sorted(pages.rglob("*.txt"))[:count]]
    if not texts:
        raise SystemExit(f"error: {pages}: no .txt pages")
    fastest = float("inf")
    figures = 0
    for _ in range(rounds):
        start = time.process_time()
        figures = sum(len(read_figures(text)) for text in texts)
        fastest = min(fastest, time.process_time() - start)
    return fastest / len(texts) * 1e6, figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="a folder of page texts")
    parser.add_argument("--pages", type=int, default=5000, dest="count", help="pages to read")
    arguments = parser.parse_args()
    per_page, found = measure(arguments.pages, arguments.count)
    print(f"{per_page:.1f} µs of CPU a page, {found} figures in {arguments.count} pages")
