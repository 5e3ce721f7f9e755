"""The generated Caddyfile, run by a real Caddy on 127.0.0.1 over a real site.

Caddy comes from Debian's ``caddy`` package (``.ci/run`` installs it). Where it is missing
the test skips, except under CI, where a missing Caddy fails it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cache_matrix import CACHE_MATRIX, assert_cache_row
from conneg_matrix import CONTEXT_MATRIX, MATRIX, PATH_MATRIX
from cors_matrix import CORS_MATRIX, ask, assert_cors_row
from download_matrix import assert_serves_downloads, published_releases
from oxigraph_server import free_port, stop, wait_until_up
from site_fixture import (
    assert_context_answers,
    assert_location_ignores_host,
    assert_negotiates,
    assert_path_answers,
    assert_serves_files,
    assert_site_served_at,
    practice_of,
    published_site,
)
from system_tools import required

from nualod.serve.hosting import caddyfile, site_gone
from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"
GLOBAL_OPTIONS = "{\n\tadmin off\n\tauto_https off\n}\n"


def _caddy() -> str:
    return required("caddy", "caddy")


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Publish the examples and write a site for them; return the folder and {IRI: stem}."""
    return published_site(tmp_path_factory.mktemp("hosted-caddy"), EXAMPLES)


@pytest.fixture(scope="module")
def caddy(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Run Caddy with the generated Caddyfile on a free port; yield its base URL."""
    with _running_caddy(site_folder[0], tmp_path_factory.mktemp("caddy"), "/") as base:
        yield base.rstrip("/")


@contextlib.contextmanager
def _running_caddy(out: Path, home: Path, path: str) -> Iterator[str]:
    """Run Caddy over ``out/site`` at ``path`` of a free port, its files under ``home``;
    yield the base URL."""
    binary = _caddy()
    base = f"http://127.0.0.1:{free_port()}{path}"
    config = home / "Caddyfile"
    generated = caddyfile(
        REWRITE_RULES,
        MEDIA_TYPES,
        base,
        out / "site",
        bind="127.0.0.1",
        gone=site_gone(out / "site"),
    )
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
        yield base
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
    assert_negotiates(caddy, site_folder[1], header, answer)


@pytest.mark.parametrize("row", PATH_MATRIX, ids=[m[0] for m in PATH_MATRIX])
def test_the_path_matrix_against_caddy(
    caddy: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str | None, str | None],
) -> None:
    """English pages offer the data files of their resource; other pages their HTML alone."""
    assert_path_answers(caddy, site_folder[1], row)


@pytest.mark.parametrize("row", CONTEXT_MATRIX, ids=[m[0] for m in CONTEXT_MATRIX])
def test_the_context_matrix_against_caddy(caddy: str, row: tuple[str, str, str | None]) -> None:
    """nualod's JSON-LD context at its IRI, not negotiated: the same document to any Accept."""
    assert_context_answers(caddy, row)


@pytest.mark.parametrize("row", CORS_MATRIX, ids=[r[0] for r in CORS_MATRIX])
def test_the_cors_matrix_against_caddy(
    caddy: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str, dict[str, str], int],
) -> None:
    """Cross-origin reads and preflights, as ``nualod serve`` answers them."""
    assert_cors_row(caddy, practice_of(site_folder[1]), row)


@pytest.mark.parametrize("row", CACHE_MATRIX, ids=[r[0] for r in CACHE_MATRIX])
def test_the_cache_matrix_against_caddy(
    caddy: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, dict[str, str], int, tuple[int, int] | None],
) -> None:
    """Validators, conditional requests and ranges, as ``nualod serve`` answers them."""
    assert_cache_row(caddy, site_folder[0], practice_of(site_folder[1])[1], row, "caddy")


def test_caddy_serves_the_files_the_home_and_each_languages_404_page(
    caddy: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_serves_files(caddy, *site_folder)


def test_caddy_builds_location_from_the_base_url_not_the_host(
    caddy: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_location_ignores_host(caddy, site_folder[1], "127.0.0.1")


def test_a_base_url_with_a_path(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The site at /nualod/ of its host: every path there is the site's own."""
    out, stems = site_folder
    iri, stem = practice_of(stems)
    with _running_caddy(out, tmp_path_factory.mktemp("caddy-prefixed"), "/nualod/") as base:
        assert_site_served_at(base, out, iri, stem)


def test_every_url_the_download_base_promises_is_served_by_caddy(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three versions' catalogs, VoID and feed, as ``nualod serve`` answers them."""
    out = published_releases(tmp_path_factory.mktemp("caddy-releases"))
    with _running_caddy(out, tmp_path_factory.mktemp("caddy-downloads"), "/") as base:
        assert_serves_downloads(base, out)


@pytest.mark.parametrize("path", ["%00", "id/region/%00", "id/practice/x%00.html"])
def test_a_nul_in_the_path_is_a_404_with_the_site_s_page(
    caddy: str, site_folder: tuple[Path, dict[str, str]], path: str
) -> None:
    """Caddy's file server answered 500 with no page (nualod serve and Apache 404, nginx
    400)."""
    status, headers, body = ask(f"{caddy}/{path}", "GET", {})
    assert (status, dict(headers)["content-type"]) == (404, "text/html; charset=utf-8")
    assert body == (site_folder[0] / "site" / "404.html").read_bytes()
