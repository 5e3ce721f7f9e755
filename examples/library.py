"""Use nualod as a library: read pages, link them, build a graph, publish dumps.

Run from the repository root: ``python examples/library.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nualod import link_practice, practices_graph, publish, read_inputs
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
    outcome = publish([PAGES], Path(folder))
    print(
        "published", len(outcome.published), "practices:", ", ".join(p.name for p in outcome.files)
    )
