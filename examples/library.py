"""Use nualod as a library: read pages, link them, build a graph, publish two releases,
validate a dump, diff the releases and build the website.

Run from the repository root: ``python examples/library.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nualod import (
    build_site,
    diff_releases,
    link_practice,
    practices_graph,
    publish,
    read_inputs,
    validate_files,
)
from nualod.errors import InputError

PAGES = Path(__file__).parent / "pages"

for result in read_inputs([PAGES]):
    if isinstance(result, InputError):
        print("not read:", result.message)
        continue
    linked = link_practice(result)
    print(
        f"{result.title}: theme {result.theme.notation}, indicator {result.indicator.notation}, "
        f"{linked.region.name} ({linked.region.code}, Wikidata {linked.region.wikidata})"
    )

graph = practices_graph([PAGES])
print(len(graph), "triples in an rdflib graph")

with tempfile.TemporaryDirectory() as folder:
    out = Path(folder) / "out"
    first = publish([PAGES / "pekalongan-tema10-indikator47.txt"], out, version="1")
    print("release 1:", len(first.published), "practice")
    outcome = publish([PAGES], out, version="2", previous=out)
    print("release 2:", len(outcome.published), "practices;", len(outcome.files), "files written")
    report = validate_files([out / "nualod.nt"])
    print("nualod.nt conforms to the shapes:", report.conforms)
    changes = diff_releases(out / "releases" / "1", out)
    print("from release 1 to 2:", len(changes.added), "added,", len(changes.removed), "removed")
    site = build_site(out)
    print("site:", site.practices, "practices,", site.pages, "pages in", site.folder.name)
