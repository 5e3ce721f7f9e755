"""The site the serving tests run against: ``nualod site`` over a publish of the examples.

:func:`build_site` writes ``out/site`` with the real generator (no search index, which the
serving tests do not need) and returns, for every practice and region, its IRI and the
stem its files have by the paths contract of :mod:`nualod.site.paths`.
"""

from __future__ import annotations

from pathlib import Path

import requests
from pyoxigraph import NamedNode, RdfFormat, Store

from nualod.run.publish import publish
from nualod.site.build import build_site as generate_site
from nualod.site.paths import site_path


def build_site(out: Path, base_url: str = "https://w3id.org/nualod/") -> dict[str, str]:
    """Write ``out/site`` from the publish folder ``out``; return {IRI: stem} of its data IRIs."""
    generate_site(out, base_url=base_url, search=False, workers=1)
    store = Store()
    store.bulk_load(path=str(out / "nualod.nq"), format=RdfFormat.N_QUADS)
    subjects = {
        quad.subject.value
        for quad in store
        if isinstance(quad.subject, NamedNode)
        and ("/id/practice/" in quad.subject.value or "/id/region/" in quad.subject.value)
        and "#" not in quad.subject.value
    }
    stems = {iri: site_path(iri) for iri in sorted(subjects)}
    missing = [
        iri
        for iri, stem in stems.items()
        if not stem or not (out / "site" / f"{stem}.html").is_file()
    ]
    assert not missing, missing[:5]
    return {iri: stem for iri, stem in stems.items() if stem}


def not_found_page(out: Path) -> bytes:
    """Return the bytes of the site's 404 page."""
    return (out / "site" / "404.html").read_bytes()


def published_site(out: Path, pages: Path) -> tuple[Path, dict[str, str]]:
    """Publish ``pages`` into ``out`` and write its site; return the folder and {IRI: stem}."""
    publish([pages], out)
    return out, build_site(out)


def practice_of(stems: dict[str, str]) -> tuple[str, str]:
    """Return the first practice's IRI and its site stem."""
    iri = next(iri for iri in sorted(stems) if "/id/practice/" in iri)
    return iri, stems[iri]


def get_accepting(url: str, accept: str | None, **kwargs: object) -> requests.Response:
    """GET ``url`` with exactly this ``Accept`` header (none when None), not following redirects."""
    with requests.Session() as session:
        if accept is None:
            del session.headers["Accept"]
        else:
            session.headers["Accept"] = accept
        return session.get(url, allow_redirects=False, timeout=30, **kwargs)  # type: ignore[arg-type]


def assert_site_served_at(base: str, out: Path, iri: str, stem: str) -> None:
    """Check a host serving the site of ``out`` at ``base`` (a path below its root): a data
    IRI's path redirects to its Turtle, the home page, a 404 page for an unknown IRI and
    ``/.well-known/void`` are the site's own."""
    path = iri.removeprefix("https://w3id.org/nualod/")
    redirect = get_accepting(base + path, "text/turtle")
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"{base}{stem}.ttl"
    turtle = get_accepting(redirect.headers["Location"], None)
    assert turtle.content == (out / "site" / f"{stem}.ttl").read_bytes()
    assert get_accepting(base, None).content == (out / "site" / "index.html").read_bytes()
    missing = get_accepting(base + "id/region/99.99", "text/turtle")
    assert (missing.status_code, missing.content) == (404, not_found_page(out))
    void = get_accepting(base + ".well-known/void", None)
    assert void.headers["Content-Type"] == "text/turtle; charset=utf-8"
