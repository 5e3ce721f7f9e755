"""``site/download/``: what the default download base promises, hard-linked from the releases.

Three versioned releases (``download_matrix``): the current release's files at the top, the
feed's root and pages under ``feed/``, each kept version's files under ``releases/V/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from download_matrix import DISTRIBUTIONS, published_releases
from test_releases import RELEASES, write_pages

from nualod.run.publish import publish
from nualod.serve.hosting import write_hosting
from nualod.serve.website import media_type_of
from nualod.site.build import DESCRIPTIONS, build_site
from nualod.site.paths import GONE_LIST, MEDIA_TYPES, REWRITE_RULES, file_media_type
from nualod.write.formats import BY_FILE_NAME

PAGES = {4: tuple(f"feed/page-00000{n}.trig" for n in (1, 2, 3, 4))}
PAGES[3], PAGES[2], PAGES[1] = PAGES[4][:3], PAGES[4][:2], PAGES[4][:1]


def _release_files(version: int) -> list[str]:
    return sorted({*DESCRIPTIONS, *DISTRIBUTIONS, *PAGES[version]})


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_releases(tmp_path_factory.mktemp("site-downloads"))


@pytest.mark.slow
def test_download_holds_the_current_release_its_feed_and_each_kept_version(out: Path) -> None:
    download = out / "site" / "download"
    assert _files(download) == sorted(
        [
            *_release_files(4),
            *(f"releases/{v}/{name}" for v in (2, 3, 4) for name in _release_files(v)),
        ]
    )
    # Hard links of the published files: the feed's pages, the dumps, each version's.
    for name in _files(download):
        published = (out / name).resolve()
        assert (download / name).stat().st_ino == published.stat().st_ino, name


@pytest.mark.slow
def test_a_rebuilt_site_keeps_the_feed_and_is_byte_identical(out: Path) -> None:
    before = {name: (out / "site" / name).read_bytes() for name in _files(out / "site")}
    build_site(out, search=False, workers=1)
    after = {name: (out / "site" / name).read_bytes() for name in _files(out / "site")}
    assert after == before
    page = out / "site" / "download" / "feed" / "page-000003.trig"
    assert page.stat().st_ino == (out / "feed" / "page-000003.trig").resolve().stat().st_ino


@pytest.mark.slow
def test_a_missing_file_of_an_old_release_is_left_out(tmp_path: Path) -> None:
    out = published_releases(tmp_path)
    (out / "releases" / "2" / "nualod.nt").unlink()
    (out / "releases" / "3" / "release.json").unlink()  # a manifest unreadable: no version
    build_site(out, search=False, workers=1)
    download = out / "site" / "download"
    assert _files(download / "releases" / "2") == [
        name for name in _release_files(2) if name != "nualod.nt"
    ]
    assert not (download / "releases" / "3").exists()
    assert _files(download / "releases" / "4") == _release_files(4)


@pytest.mark.slow
def test_versions_pruned_by_keep_are_not_in_the_next_site(tmp_path: Path) -> None:
    """Their URLs are listed as gone (410) once the site is built again: the site holds
    kept releases, and its ``.htgone`` lists the paths of every version no longer kept,
    newest first."""
    out = published_releases(tmp_path)
    pages = write_pages(tmp_path / "pages-5", RELEASES["3"])
    publish([pages], out, version="5", previous=out, keep=1)
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["4", "5"]
    build_site(out, search=False, workers=1)
    assert sorted(p.name for p in (out / "site" / "download" / "releases").iterdir()) == [
        "4",
        "5",
    ]
    series = "id/dataset/nuf-good-practices"
    assert (out / "site" / GONE_LIST).read_text(encoding="utf-8") == "".join(
        line + "\n"
        for line in [
            "# nualod: the paths gone with the versions no longer kept (410 Gone), one prefix "
            "a line.",
            *(
                path
                for version in ("3", "2", "1")
                for path in (
                    f"download/releases/{version}/",
                    f"{series}/{version}/",
                    f"en/{series}/{version}/",
                )
            ),
        ]
    )
    # The configurations nualod site writes answer them 410.
    write_hosting(out, "https://w3id.org/nualod/", REWRITE_RULES, MEDIA_TYPES)
    nginx = (out / "hosting" / "nginx.conf").read_text(encoding="utf-8")
    apache = (out / "site" / ".htaccess").read_text(encoding="utf-8")
    caddy = (out / "hosting" / "Caddyfile").read_text(encoding="utf-8")
    for version in ("1", "2", "3"):
        assert f'location ^~ "/download/releases/{version}/" {{' in nginx
    # Apache and Caddy: one rule, its pattern growing by a version, not by a rule a path.
    pattern = (
        r"(?:download/releases/(?:3|2|1)/|id/dataset/nuf\-good\-practices/(?:3|2|1)/"
        r"|en/id/dataset/nuf\-good\-practices/(?:3|2|1)/)"
    )
    assert f"\nRewriteRule ^{pattern} - [G]\n" in apache
    assert apache.count("[G]") == 1
    assert f"\n\t@gone path_regexp ^/{pattern}\n" in caddy
    assert apache == (out / "hosting" / "apache.htaccess").read_text(encoding="utf-8")


def test_each_distribution_is_served_with_the_catalogs_media_type() -> None:
    """The catalog's dcat:mediaType of every file it can list is the one the servers send
    (nualod serve with charset=utf-8, as the configurations do)."""
    assert {name: file_media_type(name) for name in BY_FILE_NAME} == {
        name: dump.media_type for name, dump in BY_FILE_NAME.items()
    }
    assert {name: media_type_of(name) for name in BY_FILE_NAME} == {
        name: f"{dump.media_type}; charset=utf-8" for name, dump in BY_FILE_NAME.items()
    }
    assert media_type_of("feed/page-000001.trig") == "application/trig; charset=utf-8"
