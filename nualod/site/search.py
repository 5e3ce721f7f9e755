"""Index the practices for offline full-text search with Pagefind.

Pagefind indexes the practice pages themselves, but only what a person searches for: the
title, the place and the Ringkasan are marked ``data-pagefind-body`` on each page (the
description, alignments and the rest are not indexed). Pagefind holds a whole index in
memory while it builds it, so the practices go into bundles of at most :data:`BUNDLE_SIZE`
pages, grouped by the folders of the site, each built by its own Pagefind process; the
search page merges the bundles in the browser (``mergeIndex``), and
``pagefind/bundles.json`` lists them.

(Pagefind's Python API, which sends records one by one to the same binary, took 100 ms a
record here, so the command line is used. Its service mode, spoken to directly, was no
faster, and answers before its last files are written: stopped then, it left an empty
``pagefind-entry.json`` in about one bundle in ten here; Pagefind issue 1271, fixed by its
pull request 1272.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Final

from nualod.errors import NualodError

#: Practice pages per Pagefind bundle. Pagefind needs some 51 kB a page whatever the page's
#: size (1,029 MB for 20,000 pages, 508 MB for 10,000, measured): 20,000 keeps it near
#: 1 GB, under the 1.5 GB the whole build may use at a million practices (30,000 took
#: 1.46 GB, too close with the main process beside it).
BUNDLE_SIZE: Final = 20_000


class SearchIndexError(NualodError):
    """Pagefind failed; the message gives its last words."""


def index_site(out: Path) -> int:
    """Write the Pagefind bundles under ``out`` and ``pagefind/bundles.json``; return pages."""
    folders: Counter[str] = Counter()
    for summary in sorted((out.parent / "work").glob("summary-*.tsv")):
        with summary.open(encoding="utf-8") as rows:
            for row in rows:
                stem = row.split("\t", 2)[1]
                folders[stem.rsplit("/", 1)[0]] += 1
    groups: list[list[str]] = []
    size = 0
    for folder in sorted(folders):
        if not groups or size + folders[folder] > BUNDLE_SIZE:
            groups.append([])
            size = 0
        groups[-1].append(folder)
        size += folders[folder]
    bundles: list[str] = []
    for number, group in enumerate(groups):
        subdir = "pagefind" if number == 0 else f"pagefind-{number + 1}"
        names = ",".join(folder.rsplit("/", 1)[-1] for folder in group)
        parent = group[0].rsplit("/", 1)[0]
        pattern = f"{parent}/{{{names}}}/*.html" if len(group) > 1 else f"{group[0]}/*.html"
        _pagefind(out, pattern, subdir)
        bundles.append(subdir + "/")
    if not bundles:
        # No practice: an empty bundle still lets the search page answer "no results".
        (out / "pagefind").mkdir(exist_ok=True)
    (out / "pagefind").mkdir(exist_ok=True)
    (out / "pagefind" / "bundles.json").write_text(json.dumps(bundles), encoding="utf-8")
    return sum(folders.values())


def _pagefind(out: Path, pattern: str, subdir: str) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(out), "--glob", pattern,
        "--output-subdir", subdir, "--force-language", "id", "--silent",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        words = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(f"pagefind: {words[-1] if words else f'exit {done.returncode}'}")
