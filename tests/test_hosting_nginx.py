"""The generated nginx configuration, run by a real nginx on 127.0.0.1 over a real site.

nginx comes from Debian's package (``.ci/run`` installs it). Where it is missing the test
skips, except under CI, where a missing nginx fails it.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cache_matrix import CACHE_MATRIX, assert_cache_row
from conneg_matrix import CONTEXT_MATRIX, MATRIX, PATH_MATRIX
from cors_matrix import CORS_MATRIX, assert_cors_row
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

from nualod.run.publish import publish
from nualod.serve.hosting import apache_htaccess, nginx_conf, site_gone, write_hosting
from nualod.site.paths import MEDIA_TYPES, REWRITE_RULES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "pages"


def _nginx() -> str:
    return required("/usr/sbin/nginx", "nginx")


def _main_conf(prefix: Path, included: Path) -> str:
    """Return a whole nginx.conf around the generated one: foreground, files under prefix."""
    temp = prefix / "temp"
    temp.mkdir()
    return "\n".join(
        [
            "daemon off;",
            "user root root;",  # the test's temporary folders are readable by their owner only
            "worker_processes 1;",
            f"pid {prefix / 'nginx.pid'};",
            f"error_log {prefix / 'error.log'};",
            "events { worker_connections 64; }",
            "http {",
            "    access_log off;",
            "    variables_hash_max_size 2048;",  # as the README says, for the maps
            "    include /etc/nginx/mime.types;",
            "    default_type application/octet-stream;",
            *(f"    {kind}_temp_path {temp};" for kind in
              ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
            f"    include {included};",
            "}",
            "",
        ]
    )  # fmt: skip


@contextlib.contextmanager
def _nginx_serving(site: Path, prefix: Path, path: str = "/") -> Iterator[str]:
    """Run nginx with the configuration generated for ``site`` at ``path`` of a free port,
    its files under ``prefix``; yield the base URL."""
    binary = _nginx()
    port = free_port()
    base = f"http://127.0.0.1:{port}{path}"
    included = prefix / "nualod.conf"
    included.write_text(
        nginx_conf(
            REWRITE_RULES, MEDIA_TYPES, base, site, listen=f"127.0.0.1:{port}", gone=site_gone(site)
        )
    )
    main = prefix / "nginx.conf"
    main.write_text(_main_conf(prefix, included))
    process = subprocess.Popen(
        [binary, "-c", str(main), "-p", str(prefix)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_until_up(base, process)
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Publish the examples and write a site for them; return the folder and {IRI: stem}."""
    return published_site(tmp_path_factory.mktemp("hosted"), EXAMPLES)


@pytest.fixture(scope="module")
def nginx(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Run nginx with the generated configuration on a free port; yield its base URL."""
    out, _ = site_folder
    with _nginx_serving(out / "site", tmp_path_factory.mktemp("nginx")) as base:
        yield base.rstrip("/")


@pytest.mark.parametrize(("name", "header", "answer"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_negotiation_matrix_against_nginx(
    nginx: str,
    site_folder: tuple[Path, dict[str, str]],
    name: str,
    header: str | None,
    answer: str | None,
) -> None:
    assert_negotiates(nginx, site_folder[1], header, answer)


@pytest.mark.parametrize("row", PATH_MATRIX, ids=[m[0] for m in PATH_MATRIX])
def test_the_path_matrix_against_nginx(
    nginx: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str | None, str | None],
) -> None:
    """English pages offer the data files of their resource; other pages their HTML alone."""
    assert_path_answers(nginx, site_folder[1], row)


@pytest.mark.parametrize("row", CONTEXT_MATRIX, ids=[m[0] for m in CONTEXT_MATRIX])
def test_the_context_matrix_against_nginx(nginx: str, row: tuple[str, str, str | None]) -> None:
    """nualod's JSON-LD context at its IRI, not negotiated: the same document to any Accept."""
    assert_context_answers(nginx, row)


@pytest.mark.parametrize("row", CORS_MATRIX, ids=[r[0] for r in CORS_MATRIX])
def test_the_cors_matrix_against_nginx(
    nginx: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, str, dict[str, str], int],
) -> None:
    """Cross-origin reads and preflights, as ``nualod serve`` answers them."""
    assert_cors_row(nginx, practice_of(site_folder[1]), row)


@pytest.mark.parametrize("row", CACHE_MATRIX, ids=[r[0] for r in CACHE_MATRIX])
def test_the_cache_matrix_against_nginx(
    nginx: str,
    site_folder: tuple[Path, dict[str, str]],
    row: tuple[str, str, dict[str, str], int, tuple[int, int] | None],
) -> None:
    """Validators, conditional requests and ranges, as ``nualod serve`` answers them."""
    assert_cache_row(nginx, site_folder[0], practice_of(site_folder[1])[1], row)


def test_nginx_serves_the_files_and_each_languages_404_page(
    nginx: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_serves_files(nginx, *site_folder)


def test_nginx_builds_location_from_the_base_url_not_the_host(
    nginx: str, site_folder: tuple[Path, dict[str, str]]
) -> None:
    assert_location_ignores_host(nginx, site_folder[1], "attacker.example")


def test_the_written_configurations_pass_nginx_t(
    site_folder: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    binary = _nginx()
    out, _ = site_folder
    written = write_hosting(out, "https://data.example.org/nualod/", REWRITE_RULES, MEDIA_TYPES)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "hosting/Caddyfile", "hosting/apache.htaccess", "hosting/nginx.conf",
        "hosting/w3id.htaccess", "site/.htaccess",
    ]  # fmt: skip
    conf = (out / "hosting" / "nginx.conf").read_text()
    assert f'root "{(out / "site").resolve()}";' in conf
    assert "return 303 https://data.example.org/nualod/$nualod_target.$nualod_pick;" in conf
    main = tmp_path / "nginx.conf"
    main.write_text(_main_conf(tmp_path, out / "hosting" / "nginx.conf"))
    checked = subprocess.run(
        [binary, "-t", "-c", str(main), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr
    assert (out / "hosting" / "w3id.htaccess").read_text().splitlines()[-1] == (
        "RewriteRule ^(.*)$ https://data.example.org/nualod/$1 [R=302,L]"
    )


def test_nualod_site_writes_the_configurations(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nualod.cli import main

    out = tmp_path / "out"
    publish([EXAMPLES], out)
    base = "https://data.example.org/nualod/"
    result = CliRunner().invoke(main, ["site", str(out), "--base-url", base, "--no-search"])
    assert result.exit_code == 0, result.output
    written = [
        "hosting/nginx.conf",
        "hosting/apache.htaccess",
        "hosting/Caddyfile",
        "site/.htaccess",
        "hosting/w3id.htaccess",
    ]
    assert result.output.splitlines()[-1] == "wrote " + ", ".join(str(out / p) for p in written)
    assert (out / "site" / ".htaccess").read_text() == apache_htaccess(
        REWRITE_RULES, MEDIA_TYPES, base
    )
    on_w3id = CliRunner().invoke(main, ["site", str(out), "--no-search"])
    assert on_w3id.exit_code == 0, on_w3id.output
    assert not (out / "hosting" / "w3id.htaccess").exists()


def test_a_base_url_with_a_path(
    site_folder: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The site at /nualod/ of its host: every path there is the site's own."""
    out, stems = site_folder
    iri, stem = practice_of(stems)
    prefix = tmp_path_factory.mktemp("nginx-prefixed")
    with _nginx_serving(out / "site", prefix, "/nualod/") as base:
        assert_site_served_at(base, out, iri, stem)


def test_every_url_the_download_base_promises_is_served_by_nginx(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three versions' catalogs, VoID and feed, as ``nualod serve`` answers them."""
    out = published_releases(tmp_path_factory.mktemp("nginx-releases"))
    prefix = tmp_path_factory.mktemp("nginx-downloads")
    with _nginx_serving(out / "site", prefix) as base:
        assert_serves_downloads(base, out)
