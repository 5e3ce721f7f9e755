"""The README's library example, ``examples/library.py``, runs and says what it shows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = [
    "Kota Bandung, Kota Desain UNESCO: theme 11, indicator 12, Kota Bandung (32.73, Wikidata Q10389)",
    "Kabupaten Banyuwangi, Desa Terhubung untuk Warga Sejahtera: theme 01, indicator 1, "
    "Kabupaten Banyuwangi (35.10, Wikidata Q11067)",
    "Kota Pekalongan, Kota Kerajinan dan Seni Rakyat: theme 10, indicator 47, Kota Pekalongan "
    "(33.75, Wikidata Q11026)",
    "Kota Surabaya, Kota Seribu Taman: theme 03, indicator 19, Kota Surabaya (35.78, Wikidata Q11462)",
    "192 triples in an rdflib graph",
    "release 1: 1 practice",
    "release 2: 4 practices; 25 files written",
    "nualod.nt conforms to the shapes: True",
    "from release 1 to 2: 3 added, 0 removed",
    "site: 4 practices, 1694 pages in site",
]


@pytest.mark.slow
def test_the_library_example_runs_as_the_readme_shows(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "library.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == EXPECTED


@pytest.mark.slow
def test_the_readme_library_block_runs(tmp_path: Path) -> None:
    """The README's block under "The library", run as written from a folder that has the
    examples: it prints each page's region code and leaves what its comments say."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The library") :]
    start = section.index("```python\n") + len("```python\n")
    block = section[start : section.index("```\n", start)]
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    # Run twice, as a reader trying it does: the first version of it published into a
    # folder of the current one, and failed the second time (library review).
    for _ in range(2):
        ran = subprocess.run(
            [sys.executable, "-c", block + "\nprint(out)"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (ran.returncode, ran.stderr) == (0, "")
        *codes, folder = ran.stdout.splitlines()
        assert codes == ["32.73", "35.10", "33.75", "35.78"]
        out = Path(folder)
        assert (out / "site" / "index.html").is_file()
        assert (out / "releases" / "2" / "changelog.json").is_file()
        shutil.rmtree(out.parent)


def test_every_name_the_package_exports_resolves() -> None:
    import nualod

    missing = [name for name in nualod.__all__ if getattr(nualod, name, None) is None]
    assert missing == []
    assert sorted(nualod.__all__) == sorted(dir(nualod))


def test_no_exported_name_is_shadowed_by_a_sub_package() -> None:
    """Importing a sub-package binds it as an attribute of ``nualod``: one named as an
    exported function (the harvest stage was ``nualod/harvest/``) replaced the function,
    and ``from nualod import HarvestResult, harvest`` gave a module."""
    import importlib.util

    import nualod

    assert [n for n in nualod.__all__ if importlib.util.find_spec(f"nualod.{n}") is not None] == []
    code = (
        "from nualod import HarvestResult, harvest\n"
        "import nualod.harvesting.fetch, nualod\n"
        "print(harvest.__module__, nualod.harvest is harvest, HarvestResult.__name__)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout == "nualod.harvesting.fetch True HarvestResult\n"


@pytest.mark.slow
def test_publish_and_build_site_run_in_a_thread_of_a_program(tmp_path: Path) -> None:
    """A web application or ``asyncio.to_thread`` calls the library from a thread of its
    own: the site build set signal handlers, which only the main thread may set (ValueError:
    signal only works in main thread of the main interpreter)."""
    import threading

    from nualod.run.publish import publish
    from nualod.site.build import build_site

    errors: list[BaseException] = []
    done: list[int] = []

    def run() -> None:
        try:
            publish([ROOT / "examples" / "pages"], tmp_path / "out")
            done.append(build_site(tmp_path / "out").practices)
        except BaseException as error:  # handed to the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(300)
    assert (errors, done) == ([], [4])


def test_build_site_refuses_a_base_url_as_the_command_line_does(tmp_path: Path) -> None:
    from nualod.errors import UsageError
    from nualod.run.publish import publish
    from nualod.site.build import build_site

    publish([ROOT / "examples" / "pages"], tmp_path / "out")
    for given, message in (
        ("nope", "base_url: not an http(s) URL ending in '/': 'nope/'"),
        ("https://example.org/a b", "base_url: not a plain URL: 'https://example.org/a b/'"),
    ):
        with pytest.raises(UsageError) as raised:
            build_site(tmp_path / "out", base_url=given)
        assert str(raised.value) == message
    assert not (tmp_path / "out" / "site").exists()
