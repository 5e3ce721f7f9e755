"""Build the SPARQL-ready on-disk store (pyoxigraph) from the finished N-Quads dump.

The store is bulk loaded into a temporary folder next to its final place and renamed into
place only when everything else of the run has succeeded, so a reader never sees a
half-loaded store and a failed run leaves the previous one as it was.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Final

from pyoxigraph import RdfFormat, Store

from nualod.dumps import Staged
from nualod.errors import PublishError, StoreError

STORE_NAME: Final = "store"
#: N-Quads lines per bulk load: pyoxigraph's bulk loader holds what it is given in memory
#: (1.4 GB for 100,000 practices at once); in slices it stays near 400 MB at any size.
LOAD_SLICE_LINES: Final = 200_000


def load_nquads(store: Store, nquads: Path) -> None:
    """Bulk load an N-Quads file into a store, a slice of lines at a time (bounded memory).

    A quad is one line of N-Quads, and nualod's dumps have no blank nodes (whose labels
    would only hold within one load), so the slices load as the whole file would.
    """
    with nquads.open("rb") as stream:
        while chunk := b"".join(itertools.islice(stream, LOAD_SLICE_LINES)):
            store.bulk_load(input=chunk, format=RdfFormat.N_QUADS)


class StagedStore(Staged):
    """A store bulk loaded under a temporary name; :meth:`commit` moves it into place."""

    def __init__(self, nquads: Path, store_dir: Path) -> None:
        self.path = store_dir
        try:
            store_dir.parent.mkdir(parents=True, exist_ok=True)
            self.temporary = Path(
                tempfile.mkdtemp(prefix=f".{store_dir.name}.", suffix=".part", dir=store_dir.parent)
            )
        except OSError as error:
            raise PublishError(f"{store_dir}: cannot write: {error.strerror or error}") from None
        try:
            self.store: Store | None = Store(str(self.temporary))
            load_nquads(self.store, nquads)
            self.store.flush()
        except (OSError, SyntaxError) as error:
            self.discard()
            raise PublishError(f"{store_dir}: cannot build the store: {error}") from None

    def open(self) -> Store:
        """Return the loaded (still temporary) store, to query before committing."""
        if self.store is None:
            raise StoreError(f"{self.path}: the staged store is closed")
        return self.store

    def commit(self) -> Path:
        """Close the store and move it to its final name, replacing an older store."""
        self.store = None
        old: Path | None = None
        if self.path.exists():
            old = Path(
                tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".old", dir=self.path.parent)
            )
            self.path.replace(old / STORE_NAME)
        self.temporary.replace(self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary store."""
        self.store = None
        shutil.rmtree(self.temporary, ignore_errors=True)


def build_store(nquads: Path, store_dir: Path) -> Path:
    """Bulk load an N-Quads dump into a new on-disk store at ``store_dir`` (replacing it)."""
    return StagedStore(nquads, store_dir).commit()


def open_store(store_dir: Path) -> Store:
    """Open a published store read-only (other readers, and a server, may share it)."""
    if not (store_dir / "CURRENT").is_file():
        raise StoreError(f"{store_dir}: not a nualod store (run `nualod publish --out` first)")
    try:
        return Store.read_only(str(store_dir))
    except OSError as error:
        raise StoreError(f"{store_dir}: cannot open the store: {error}") from None


def store_dir_of(path: Path) -> Path:
    """Return the store folder of a publish folder, or ``path`` itself if it is a store."""
    return path if (path / "CURRENT").is_file() else path / STORE_NAME
