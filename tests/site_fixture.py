"""A small site that follows the paths contract of nualod.site.paths, for the serving tests.

It holds, for every practice and region of a publish folder, the three files of its stem
(``.html``, ``.ttl`` with the resource's own triples, ``.jsonld``), plus ``index.html`` and
``404.html``: exactly what ``nualod serve`` and the web-server configurations need to find.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, serialize

from nualod.site.paths import site_path

NOT_FOUND_HTML = "<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1></html>\n"


def build_site(out: Path) -> dict[str, str]:
    """Write ``out/site`` from the dump in ``out``; return {IRI: stem} of what it holds."""
    store = Store()
    store.bulk_load(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS)
    site = out / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<!doctype html><html lang=id><title>nualod</title></html>\n")
    (site / "404.html").write_text(NOT_FOUND_HTML)
    subjects = sorted(
        {
            quad.subject.value
            for quad in store
            if isinstance(quad.subject, NamedNode)
            and ("/id/practice/" in quad.subject.value or "/id/region/" in quad.subject.value)
        }
    )
    stems: dict[str, str] = {}
    for iri in subjects:
        stem = site_path(iri)
        assert stem is not None, iri
        triples = [
            Quad(quad.subject, quad.predicate, quad.object)
            for quad in store.quads_for_pattern(NamedNode(iri), None, None)
        ]
        target = site / stem
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_name(target.name + ".ttl").write_bytes(
            serialize(triples, format=RdfFormat.TURTLE) or b""
        )
        target.with_name(target.name + ".jsonld").write_text(
            json.dumps({"@id": iri}) + "\n", encoding="utf-8"
        )
        target.with_name(target.name + ".html").write_text(
            f"<!doctype html><html lang=id><title>{iri}</title></html>\n", encoding="utf-8"
        )
        stems[iri] = stem
    return stems
