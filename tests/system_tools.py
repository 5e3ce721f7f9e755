"""System programs that some test groups need beyond Python and pip.

The README's test command needs only Python and pip: a test whose program (Chromium,
Node.js) is missing is skipped, saying which and how to get it. Under CI (``CI`` set),
``.ci/run`` installs every one of them first, so a missing one fails the test instead.
"""

from __future__ import annotations

import os
import shutil

import pytest


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
