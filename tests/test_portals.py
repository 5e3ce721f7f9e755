"""The published metadata as real consumers read it: CKAN's DCAT harvester and extruct.

Runs when ``CI`` is set or ``NUALOD_PORTAL_TESTS=1``; the consumers live in their own venv,
``.venv-portals``, created here when missing (see tests/portals/README.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nualod.describe.catalog import DESCRIPTION, KEYWORDS, TITLE
from nualod.run.publish import PublishResult
from nualod.write.formats import DUMP_FILE_NAMES, measure_dump

pytestmark = pytest.mark.portals

ROOT = Path(__file__).resolve().parent.parent
PORTALS = ROOT / "tests" / "portals"
VENV = ROOT / ".venv-portals"
CKAN_TAG = re.compile(r"^[\w \-.]{2,100}$")


def _enabled() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("NUALOD_PORTAL_TESTS") == "1"


@pytest.fixture(scope="session")
def portal_python() -> Path:
    """Return the portal venv's python, creating the venv when it does not exist."""
    if not _enabled():
        pytest.skip("portal tests run with CI set or NUALOD_PORTAL_TESTS=1")
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(PORTALS / "requirements.txt")],
            check=True,
        )
    return python


def _run(python: Path, script: str, *args: str) -> Any:
    completed = subprocess.run(
        [str(python), str(PORTALS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("catalog.ttl", "turtle"),
        ("catalog.jsonld", "json-ld"),
        ("catalog.jsonld", "application/ld+json"),
    ],
)
def test_ckan_reads_one_dataset_with_licence_and_a_resource_per_dump(
    name: str, fmt: str, portal_python: Path, published_examples: tuple[Path, PublishResult]
) -> None:
    out, _ = published_examples
    datasets = _run(portal_python, "ckan_read_catalog.py", str(out / name), fmt)
    assert len(datasets) == 1
    dataset = datasets[0]
    assert dataset["title"] == TITLE["en"]
    assert dataset["notes"].startswith(DESCRIPTION["en"])
    assert dataset["license_id"] == "cc-by-sa"
    tags = {tag["name"] for tag in dataset["tags"]}
    assert {*KEYWORDS["en"], *KEYWORDS["id"]} <= tags
    assert all(CKAN_TAG.match(tag) for tag in tags)
    resources = dataset["resources"]
    assert len(resources) == len(DUMP_FILE_NAMES)
    by_file = {resource["url"].rsplit("/", 1)[-1]: resource for resource in resources}
    assert set(by_file) == set(DUMP_FILE_NAMES)
    for file_name, resource in by_file.items():
        measured = measure_dump(out / file_name)
        assert resource["uri"].startswith("https://")
        assert resource["size"] == measured.byte_size
        assert isinstance(resource["size"], int)
        assert resource["hash"] == measured.sha256
        assert resource["hash_algorithm"].endswith("checksumAlgorithm_sha256")
        assert resource["format"].startswith("http://publications.europa.eu/resource/authority/")
        assert "UNESCO Thesaurus" in resource["rights"]
        assert "CC BY-SA 3.0 IGO" in resource["rights"]


def test_extruct_finds_one_dataset_in_the_page(
    portal_python: Path, published_examples: tuple[Path, PublishResult]
) -> None:
    out, _ = published_examples
    items = _run(portal_python, "extruct_dataset.py", str(out / "index.html"))
    datasets = [item for item in items if item.get("@type") == "Dataset"]
    assert len(datasets) == 1
    assert datasets[0] == json.loads((out / "dataset.jsonld").read_text(encoding="utf-8"))


def test_ckan_shows_the_configured_publisher_and_contact_email(
    portal_python: Path, tmp_path: Path
) -> None:
    from nualod.describe.publisher import Publisher
    from nualod.run.publish import publish

    agency = Publisher(
        "Bappeda Kota Pekalongan",
        "https://bappeda.pekalongankota.go.id/",
        "Bidang Data dan Informasi",
        "data@pekalongankota.go.id",
    )
    publish([ROOT / "examples" / "pages"], tmp_path, publisher=agency)
    for name, fmt in (("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")):
        (dataset,) = _run(portal_python, "ckan_read_catalog.py", str(tmp_path / name), fmt)
        extras = {extra["key"]: extra["value"] for extra in dataset["extras"]}
        assert extras["publisher_name"] == "Bappeda Kota Pekalongan"
        assert extras["publisher_uri"] == "https://bappeda.pekalongankota.go.id/"
        assert extras["contact_name"] == "Bidang Data dan Informasi"
        assert extras["contact_email"] == "data@pekalongankota.go.id"
