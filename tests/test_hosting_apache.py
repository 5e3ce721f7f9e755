"""The generated Apache ``.htaccess``, run by a real Apache httpd on 127.0.0.1.

Apache comes from Debian's ``apache2`` package (``.ci/run`` installs it). Where it is
missing the test skips, except under CI, where a missing Apache fails it. Apache will not
run as root, so its workers run as ``nobody`` and the site is copied to a folder they can
read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from cache_matrix import CACHE_MATRIX, assert_cache_row
from conneg_matrix import CONTEXT_MATRIX, MATRIX, PATH_MATRIX, PYLD
from cors_matrix import CORS_MATRIX, assert_cors_row
from download_matrix import assert_serves_downloads, published_releases
from oxigraph_server import free_port, stop, wait_until_up
from site_fixture import (
    SHIPPED_CONTEXT,
    assert_context_answers,
    assert_location_ignores_host,
    assert_negotiates,
    assert_path_answers,
    assert_serves_files,
    assert_site_served_at,
    get_accepting,
    practice_of,
    published_site,
)
from system_tools import required

from nualod.serve.hosting import apache_htaccess, site_gone, w3id_htaccess
from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"
APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")


def _apache() -> Path:
    return Path(required(str(APACHE), "apache2"))


def _httpd_conf(prefix: Path, site: Path, port: int, alias: str | None = None) -> str:
    # Those Debian loads by default that change answers (autoindex: a folder with no index),
    # and those the site needs.
    modules = ("mpm_event", "authz_core", "rewrite", "headers", "mime", "dir", "alias", "autoindex")
    return "\n".join(
        [
            f"ServerRoot {prefix}",
            "ServerName 127.0.0.1",
            f"Listen 127.0.0.1:{port}",
            *(f"LoadModule {name}_module {MODULES / f'mod_{name}.so'}" for name in modules),
            "User nobody",
            "Group nogroup",
            f"PidFile {prefix / 'httpd.pid'}",
            f"ErrorLog {prefix / 'error.log'}",
            "TypesConfig /etc/mime.types",
            f"DocumentRoot {prefix if alias else site}",
            # Named without the slash, as the README advises: /nualod reaches the site too,
            # and moved to the base URL by the RedirectMatch the README gives (Apache's own
            # redirect of a folder without its slash is built from the request's Host).
            *([f"Alias {alias.rstrip('/')} {site}"] if alias else []),
            *(
                [f'RedirectMatch 301 "^{alias.rstrip("/")}$" "http://127.0.0.1:{port}{alias}"']
                if alias
                else []
            ),
            "<Directory />",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            f"<Directory {site}>",
            "    AllowOverride All",
            "    Require all granted",
            "</Directory>",
            "",
        ]
    )


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Publish the examples and write a site for them; return the folder and {IRI: stem}."""
    return published_site(tmp_path_factory.mktemp("hosted-apache"), EXAMPLES)


@pytest.fixture(scope="module")
def apache(site_folder: tuple[Path, dict[str, str]]) -> Iterator[str]:
    """Run Apache with the generated .htaccess on a free port; yield its base URL."""
    with _running_apache(site_folder[0], None) as base:
        yield base.rstrip("/")


@contextlib.contextmanager
def _running_apache(out: Path, alias: str | None) -> Iterator[str]:
    """Run Apache over a copy of ``out/site`` (at ``alias`` if given); yield the base URL."""

    def htaccess(site: Path, base: str) -> dict[str, str]:
        return {
            ".htaccess": apache_htaccess(REWRITE_RULES, MEDIA_TYPES, base, gone=site_gone(site))
        }

    with _apache_over(out / "site", alias, htaccess) as base:
        yield base


@contextlib.contextmanager
def _apache_over(
    files: Path, alias: str | None, htaccess: Callable[[Path, str], dict[str, str]]
) -> Iterator[str]:
    """Run Apache over a copy of the folder ``files`` (at ``alias`` if given), with the
    ``.htaccess`` files ``htaccess(copy, base URL)`` gives by their path in the copy; yield
    the base URL."""
    binary = _apache()
    prefix = Path(tempfile.mkdtemp(prefix="nualod-apache-"))
    try:
        prefix.chmod(0o755)
        site = prefix / "site"
        shutil.copytree(files, site)
        for folder, _, names in os.walk(site):
            Path(folder).chmod(0o755)
            for name in names:
                (Path(folder) / name).chmod(0o644)
        port = free_port()
        base = f"http://127.0.0.1:{port}{alias or '/'}"
        for relative, text in htaccess(site, base).items():
            (site / relative).write_text(text)
            (site / relative).chmod(0o644)
        conf = prefix / "httpd.conf"
        conf.write_text(_httpd_conf(prefix, site, port, alias))
        process = subprocess.Popen(
            [str(binary), "-f", str(conf), "-DFOREGROUND"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            wait_until_up(base, process)
            yield base
        finally:
            stop(process)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


@pytest.mark.parametrize(("name", "header", "answer"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_negotiation_matrix_against_apache(
    apache: str,
    site_folder: tuple[Path, dict[str, str]],
    name: str,
    header: str | None,
    answer: str | None,
) -> None:
    assert_negotiates(apache, site_folder[1], header, answer, one_line=True)


@pytest.mark.parametrize("row", PATH_MATRIX, ids=[m[0] for m in PATH_MATRIX])
def test_the_path_matrix_against_apache(
    apache: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str | None, str | None],
) -> None:
    """English pages offer the data files of their resource; other pages their HTML alone."""
    assert_path_answers(apache, site_folder[1], row, one_line=True)


@pytest.mark.parametrize("row", CONTEXT_MATRIX, ids=[m[0] for m in CONTEXT_MATRIX])
def test_the_context_matrix_against_apache(apache: str, row: tuple[str, str, str | None]) -> None:
    """nualod's JSON-LD context at its IRI, not negotiated: the same document to any Accept."""
    assert_context_answers(apache, row)


@pytest.mark.parametrize("row", CORS_MATRIX, ids=[r[0] for r in CORS_MATRIX])
def test_the_cors_matrix_against_apache(
    apache: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str, dict[str, str], int],
) -> None:
    """Cross-origin reads and preflights, as ``nualod serve`` answers them."""
    assert_cors_row(apache, practice_of(site_folder[1]), row)


@pytest.mark.parametrize("row", CACHE_MATRIX, ids=[r[0] for r in CACHE_MATRIX])
def test_the_cache_matrix_against_apache(
    apache: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, dict[str, str], int, tuple[int, int] | None],
) -> None:
    """Validators, conditional requests and ranges, as ``nualod serve`` answers them."""
    assert_cache_row(apache, site_folder[0], practice_of(site_folder[1])[1], row, "apache")


def test_apache_serves_the_files_the_home_and_each_languages_404_page(
    apache: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_serves_files(apache, *site_folder, htaccess_status=403)


def test_apache_builds_location_from_the_base_url_not_the_host(
    apache: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_location_ignores_host(apache, site_folder[1], "attacker.example")


def test_a_base_url_with_a_path(site_folder: tuple[Path, dict[str, str]]) -> None:
    """The site at /nualod/ of its host (an Alias): every path there is the site's own."""
    out, stems = site_folder
    iri, stem = practice_of(stems)
    with _running_apache(out, "/nualod/") as base:
        assert_site_served_at(base, out, iri, stem)


def test_every_url_the_download_base_promises_is_served_by_apache(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three versions' catalogs, VoID and feed, as ``nualod serve`` answers them."""
    out = published_releases(tmp_path_factory.mktemp("apache-releases"))
    with _running_apache(out, None) as base:
        assert_serves_downloads(base, out)


def test_the_w3id_redirect_leads_to_the_json_ld_context(apache: str, tmp_path: Path) -> None:
    """w3id.org is Apache with the site's w3id.htaccess as its nualod/.htaccess: a JSON-LD
    processor asking it for the context's IRI is sent on to the site's context (302), and
    gets it there."""
    (tmp_path / "w3id" / "nualod").mkdir(parents=True)
    redirect = {"nualod/.htaccess": w3id_htaccess(apache + "/")}
    with _apache_over(tmp_path / "w3id", None, lambda _copy, _base: redirect) as w3id:
        for path in ("context", "context.jsonld"):
            moved = get_accepting(f"{w3id}nualod/{path}", PYLD)
            assert (moved.status_code, moved.headers["Location"]) == (302, f"{apache}/{path}")
            followed = requests.get(f"{w3id}nualod/{path}", headers={"Accept": PYLD}, timeout=30)
            assert [answer.status_code for answer in followed.history] == [302]
            assert followed.status_code == 200
            assert followed.headers["Content-Type"] == "application/ld+json; charset=utf-8"
            assert followed.content == SHIPPED_CONTEXT
