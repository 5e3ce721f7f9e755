"""Which release a published folder stands for: the one its ``current`` link names.

A publish writes each release into ``OUT/releases/NAME`` and makes it current by one rename
of the link ``OUT/current`` (:mod:`nualod.releases.layout`). A reader that opens several of
its files resolves the link once, here, and reads them all from that release, whatever a
later publish makes current meanwhile.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

#: The link in a published folder to its current release.
CURRENT: Final = "current"


def release_folder(path: Path) -> Path:
    """Return the release a path stands for: OUT's current release, else ``path`` itself
    (a release's own folder, or one written by a nualod before releases)."""
    link = path / CURRENT
    if link.is_symlink():
        return Path(os.path.realpath(link))
    return path
