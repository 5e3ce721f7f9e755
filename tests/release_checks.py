"""Check that a publish folder shows one whole release, and run the CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import rdflib
from pyoxigraph import Store

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
CLI = [sys.executable, "-c", "from nualod.cli import main; main()"]
DUMPS = ("nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld")


def cli(
    args: Sequence[str], env: Mapping[str, str] | None = None, **kwargs: object
) -> subprocess.Popen[str]:
    """Start ``nualod ARGS`` in a subprocess (stdout and stderr piped, as text)."""
    return subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,  # type: ignore[call-overload]
    )


def terminated_when(run: subprocess.Popen[str], ready: Callable[[], bool]) -> str:
    """Send SIGTERM to ``run`` once ``ready()`` holds (polled; 60 s at most), check that it
    exits 143, and return what it said on stderr."""
    deadline = time.monotonic() + 60
    while not ready():
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.005)
    run.send_signal(signal.SIGTERM)
    code = run.wait(60)
    _, stderr = run.communicate()
    assert code == 143
    return stderr


def digest(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def whole_release(out: Path) -> bytes:
    """Assert that every name in OUT shows one whole release; return its manifest's bytes.

    All files of the manifest are there through OUT's own names with the recorded size and
    SHA-256; the catalog's byte sizes and checksums match the dumps; the store holds as many
    quads as the N-Quads has lines; and OUT/current is that same release.
    """
    manifest_bytes = (out / "release.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    assert manifest_bytes == (out / "current" / "release.json").read_bytes()
    for name, recorded in manifest["files"].items():
        assert digest(out / name) == (recorded["bytes"], recorded["sha256"]), name
    catalog = rdflib.Graph().parse(out / "catalog.ttl")
    measured = {}
    for distribution in catalog.subjects(DCAT.downloadURL, None):
        url = str(catalog.value(distribution, DCAT.downloadURL))
        checksum = catalog.value(distribution, SPDX.checksum)
        measured[url.rsplit("/", 1)[-1]] = (
            int(catalog.value(distribution, DCAT.byteSize)),  # type: ignore[arg-type]
            str(catalog.value(checksum, SPDX.checksumValue)),
        )
    for name in DUMPS:
        assert measured[name] == digest(out / name), name
    lines = (out / "nualod.nq").read_bytes().count(b"\n")
    assert len(Store.read_only(str(out / "store"))) == lines
    return manifest_bytes


def temporaries(out: Path) -> list[str]:
    """Return the hidden names a run may leave in OUT and OUT/releases."""
    found = [p.name for p in out.iterdir() if p.name.startswith(".")]
    if (out / "releases").is_dir():
        found += [
            f"releases/{p.name}" for p in (out / "releases").iterdir() if p.name.startswith(".")
        ]
    return sorted(found)
