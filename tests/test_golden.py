"""Golden files: publishing the bundled examples gives exactly the recorded bytes.

The whole dumps are megabytes (the vocabulary and reference graphs ride along), so
``tests/golden/examples/`` holds the SHA-256 and size of every published file, plus readable
excerpts to review in a diff: the practices graph as N-Quads, the practices and pages as
JSON-LD lines, and the VoID and DCAT-AP descriptions whole. After an intended change of
output, regenerate them and read the diff before committing::

    NUALOD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from nualod.model.iris import DataIRIs
from nualod.run.publish import PublishResult

GOLDEN = Path(__file__).resolve().parent / "golden" / "examples"
UPDATE = os.environ.get("NUALOD_UPDATE_GOLDEN") == "1"
#: Published files compared byte for byte (the store is a database, checked by query).
DIGESTED = (
    "nualod.ttl",
    "nualod.nt",
    "nualod.nq",
    "nualod.jsonld",
    "void.ttl",
    "catalog.ttl",
    "catalog.jsonld",
    "dataset.jsonld",
    "index.html",
    "rejected.json",
)
WHOLE = ("void.ttl", "catalog.ttl")


def _excerpts(out: Path) -> dict[str, bytes]:
    practices_graph = f"<{DataIRIs().graph('practices')}> .\n".encode()
    quads = [
        line
        for line in (out / "nualod.nq").read_bytes().splitlines(keepends=True)
        if line.endswith(practices_graph)
    ]
    nodes = [
        line.rstrip(",")
        for line in (out / "nualod.jsonld").read_text(encoding="utf-8").splitlines()
        if line.startswith('{"id":')
        and ('"type":"GoodPractice"' in line or '"type":"WebPage"' in line)
    ]
    digests = {
        name: {
            "bytes": (out / name).stat().st_size,
            "sha256": hashlib.sha256((out / name).read_bytes()).hexdigest(),
        }
        for name in DIGESTED
    }
    return {
        "practices.nq": b"".join(quads),
        "practices.jsonl": "".join(f"{node}\n" for node in nodes).encode("utf-8"),
        "digests.json": (json.dumps(digests, indent=2, sort_keys=True) + "\n").encode(),
        **{name: (out / name).read_bytes() for name in WHOLE},
    }


def test_publishing_the_examples_gives_the_golden_files(
    published_examples: tuple[Path, PublishResult],
) -> None:
    out, _ = published_examples
    found = _excerpts(out)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, content in found.items():
            (GOLDEN / name).write_bytes(content)
        pytest.skip("golden files rewritten; review `git diff tests/golden`")
    for name, content in found.items():
        expected = (GOLDEN / name).read_bytes()
        assert content == expected, (
            f"{name} differs from tests/golden/examples/{name}; if the change is intended, "
            "run NUALOD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py and review the diff"
        )


def test_the_excerpts_hold_every_practice(published_examples: tuple[Path, PublishResult]) -> None:
    _, result = published_examples
    lines = (GOLDEN / "practices.jsonl").read_text(encoding="utf-8").splitlines()
    practices = [json.loads(line)["id"] for line in lines if '"type":"GoodPractice"' in line]
    assert sorted(practices) == sorted(result.published)
