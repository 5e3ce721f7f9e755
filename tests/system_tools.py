"""System programs that some test groups need beyond Python and pip.

The README's test command needs only Python and pip: a test whose program (Chromium,
Node.js) is missing is skipped, saying which and how to get it. Under CI (``CI`` set),
``.ci/run`` installs every one of them first, so a missing one fails the test instead.
The npm packages of ``tests/js`` (jsonld.js, ajv, ldes-client, axe-core) are installed there
from its lock file by the first test that needs them (:func:`node_packages`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: The npm packages the tests run, pinned in package.json and package-lock.json.
JS = Path(__file__).resolve().parent / "js"
#: Debian's Chromium, which the browser tests drive through Playwright, and how they start it.
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def required(program: str, package: str) -> str:
    """Return the path of ``program`` (a name on ``PATH`` or an absolute path); skip the
    test where it is missing, or fail it under CI, naming the Debian ``package``."""
    found = shutil.which(program)
    if found is not None:
        return found
    message = f"{program} is not installed (.ci/run installs Debian's {package})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def node_packages(package: str) -> str:
    """Return the path of node, with the packages of ``tests/js`` installed from its lock
    file (``npm ci``) when ``package`` is not there yet; skip or fail as :func:`required`
    does where Node.js is missing."""
    found = required("node", "nodejs and npm")
    if not (JS / "node_modules" / package).is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(JS)], check=True, timeout=600
        )
    return found
