"""The generated Caddyfile, run by a real Caddy on 127.0.0.1 over a real site.

Caddy comes from Debian's ``caddy`` package (``.ci/run`` installs it). Where it is missing
the test skips, except under CI, where a missing Caddy fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conneg_matrix import MATRIX, PATH_MATRIX
from oxigraph_server import free_port, stop, wait_until_up
from site_fixture import (
    assert_not_found_pages,
    assert_path_answers,
    assert_site_served_at,
    get_accepting,
    practice_of,
    published_site,
)

from nualod.serve.hosting import caddyfile
from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"
GLOBAL_OPTIONS = "{\n\tadmin off\n\tauto_https off\n}\n"


def _caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Caddy is not installed (.ci/run installs Debian's caddy)")
        pytest.skip("Caddy is not installed")
    return found


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Publish the examples and write a site for them; return the folder and {IRI: stem}."""
    return published_site(tmp_path_factory.mktemp("hosted-caddy"), EXAMPLES)


@pytest.fixture(scope="module")
def caddy(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Run Caddy with the generated Caddyfile on a free port; yield its base URL."""
    binary = _caddy()
    out, _ = site_folder
    home = tmp_path_factory.mktemp("caddy")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    config = home / "Caddyfile"
    generated = caddyfile(REWRITE_RULES, MEDIA_TYPES, base, out / "site", bind="127.0.0.1")
    config.write_text(GLOBAL_OPTIONS + generated)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
                   "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}  # fmt: skip
    process = subprocess.Popen(
        [binary, "run", "--config", str(config), "--adapter", "caddyfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    try:
        wait_until_up(base, process)
        yield base.rstrip("/")
    finally:
        stop(process)


@pytest.mark.parametrize(("name", "header", "answer"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_negotiation_matrix_against_caddy(
    caddy: str,
    site_folder: tuple[Path, dict[str, str]],
    name: str,
    header: str | None,
    answer: str | None,
) -> None:
    iri, stem = practice_of(site_folder[1])
    response = get_accepting(caddy + "/" + iri.removeprefix("https://w3id.org/nualod/"), header)
    assert response.headers["Vary"] == "Accept"
    if answer is None:
        assert response.status_code == 406
        assert response.text.splitlines() == [
            "Not Acceptable. This resource is available as:",
            f"text/html {caddy}/{stem}.html",
            f"text/turtle {caddy}/{stem}.ttl",
            f"application/ld+json {caddy}/{stem}.jsonld",
            f"application/n-triples {caddy}/{stem}.nt",
        ]
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == f"{caddy}/{stem}.{answer}"


@pytest.mark.parametrize("row", PATH_MATRIX, ids=[m[0] for m in PATH_MATRIX])
def test_the_path_matrix_against_caddy(
    caddy: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str | None, str | None],
) -> None:
    """English pages offer the data files of their resource; other pages their HTML alone."""
    assert_path_answers(caddy, site_folder[1], row)


def test_caddy_serves_the_files_the_home_and_each_languages_404_page(
    caddy: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    out, stems = site_folder
    _, stem = practice_of(stems)
    for extension, media_type in MEDIA_TYPES.items():
        response = get_accepting(f"{caddy}/{stem}.{extension}", "*/*")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
        assert response.content == (out / "site" / f"{stem}.{extension}").read_bytes()
    assert_not_found_pages(caddy + "/", out)
    assert get_accepting(caddy + "/", None).content == (out / "site" / "index.html").read_bytes()
    void = get_accepting(caddy + "/.well-known/void", None)
    assert void.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert void.content == (out / "site" / ".well-known" / "void").read_bytes()
    assert get_accepting(caddy + "/.htaccess", None).status_code == 404
    ontology = get_accepting(caddy + "/def", "text/turtle")
    assert ontology.headers["Location"] == f"{caddy}/def.ttl"


def test_caddy_builds_location_from_the_base_url_not_the_host(
    caddy: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    iri, stem = practice_of(site_folder[1])
    path = "/" + iri.removeprefix("https://w3id.org/nualod/")
    response = get_accepting(caddy + path, "text/turtle", headers={"Host": "127.0.0.1"})
    assert response.headers["Location"] == f"{caddy}/{stem}.ttl"


def test_a_base_url_with_a_path(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The site at /nualod/ of its host: every path there is the site's own."""
    binary = _caddy()
    out, stems = site_folder
    iri, stem = practice_of(stems)
    home = tmp_path_factory.mktemp("caddy-prefixed")
    port = free_port()
    base = f"http://127.0.0.1:{port}/nualod/"
    config = home / "Caddyfile"
    generated = caddyfile(REWRITE_RULES, MEDIA_TYPES, base, out / "site", bind="127.0.0.1")
    config.write_text(GLOBAL_OPTIONS + generated)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
                   "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}  # fmt: skip
    process = subprocess.Popen(
        [binary, "run", "--config", str(config), "--adapter", "caddyfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    try:
        wait_until_up(base, process)
        assert_site_served_at(base, out, iri, stem)
    finally:
        stop(process)
