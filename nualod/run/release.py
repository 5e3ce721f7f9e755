"""Stage a release beside finished dumps: the store, VoID, the catalog and the schema.org page.

The release files are written under temporary names and the store is built in a temporary
folder; :class:`StagedRelease` moves them into place together with the dumps, or discards
them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nualod.describe.catalog import (
    CATALOG_JSONLD,
    CATALOG_TTL,
    LICENSE,
    TITLE,
    Release,
    catalog_jsonld,
    catalog_triples,
    catalog_turtle,
    default_download_base,
    default_modified,
)
from nualod.describe.schemaorg import (
    DATASET_JSONLD,
    INDEX_HTML,
    dataset_document,
    dataset_json,
    index_html,
)
from nualod.describe.void import VOID_NAME, summarize, void_triples, void_turtle
from nualod.files.atomic import AtomicFile
from nualod.model.iris import DataIRIs
from nualod.write.formats import DUMP_FILE_NAMES, NQUADS, measure_dump
from nualod.write.stats import DataSummary
from nualod.write.store import STORE_NAME, BackgroundLoad, StagedStore


def stage_release(
    out_dir: Path,
    iris: DataIRIs,
    dumps: Mapping[str, Path],
    *,
    summary: DataSummary | None = None,
    download_base: str | None = None,
    issued: dt.date | None = None,
    modified: dt.date | None = None,
    sparql_endpoint: str | None = None,
    store: BackgroundLoad | None = None,
) -> StagedRelease:
    """Build the store, VoID, the DCAT-AP catalog and the schema.org page for finished dumps.

    ``dumps`` maps each dump's published name to where it is now (its temporary name):
    byte sizes and checksums are measured from those bytes, and the store is bulk loaded
    from the N-Quads (unless ``store`` is given, loading them already). Nothing is moved into
    place: the caller commits the staged files together with the dumps, or discards them.
    Dates come from the data (first and last practice date) unless given.
    """

    # Reading, hashing and loading let go of the GIL: the dumps are measured while the
    # store loads what is left of the N-Quads, and the catalog is written as soon as they
    # are measured, while the store may still be loading. They are measured one after the
    # other: the store's last merges run on one thread at the lowest priority, and hashing
    # in more threads would take the other core from them too (3 s more at one million).
    def load() -> StagedStore:
        if store is not None:
            return store.finish()
        return StagedStore(dumps[NQUADS.file_name], out_dir / STORE_NAME)

    files: list[AtomicFile] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        loading = pool.submit(load)
        measuring = pool.submit(
            lambda: [measure_dump(dumps[name], name) for name in DUMP_FILE_NAMES]
        )
        try:
            measured = measuring.result()
            if summary is None:  # not counted while writing: count with SPARQL over the store
                summary = summarize(loading.result().open(), iris.base)
            release = Release(
                download_base or default_download_base(iris.base),
                issued=issued or summary.first_date,
                modified=modified
                or default_modified(summary.last_date, summary.last_retrieved, issued),
                start=summary.first_date,
                end=summary.last_date,
                practices=summary.practices,
                sparql_endpoint=sparql_endpoint,
            )
            void = void_triples(
                summary,
                iris.dataset(),
                title=TITLE["en"],
                dumps=[release.url(dump.name) for dump in measured],
                uri_space=iris.base,
                license_iri=LICENSE,
                modified=release.modified,
                sparql_endpoint=sparql_endpoint,
            )
            catalog = catalog_triples(iris, measured, release)
            document = dataset_document(iris, measured, release)
            contents = {
                VOID_NAME: void_turtle(void),
                CATALOG_TTL: catalog_turtle(catalog),
                CATALOG_JSONLD: catalog_jsonld(catalog),
                DATASET_JSONLD: dataset_json(document),
                INDEX_HTML: index_html(document, measured, release).encode("utf-8"),
            }
            for name, content in contents.items():
                file = AtomicFile(out_dir / name, binary=True)
                files.append(file)
                file.stream.write(content)
                file.stream.flush()
            staged = loading.result()
        except BaseException:
            for file in files:
                file.discard()
            # A failed load has deleted its store already; a finished one is deleted here.
            if loading.exception() is None:
                loading.result().discard()
            raise
    return StagedRelease(tuple(files), staged, release)


def write_release(
    out_dir: Path,
    iris: DataIRIs,
    *,
    download_base: str | None = None,
    issued: dt.date | None = None,
    modified: dt.date | None = None,
    sparql_endpoint: str | None = None,
) -> tuple[Path, ...]:
    """Write the store, VoID, catalog and schema.org page beside dumps already in ``out_dir``."""
    staged = stage_release(
        out_dir,
        iris,
        {name: out_dir / name for name in DUMP_FILE_NAMES},
        download_base=download_base,
        issued=issued,
        modified=modified,
        sparql_endpoint=sparql_endpoint,
    )
    return staged.commit()


@dataclass
class StagedRelease:
    """Release files and the store, written under temporary names, not yet in place."""

    files: tuple[AtomicFile, ...]
    store: StagedStore
    release: Release

    def commit(self) -> tuple[Path, ...]:
        """Move the files and the store into place; return the paths."""
        written = tuple(file.commit() for file in self.files)
        return (*written, self.store.commit())

    def discard(self) -> None:
        """Delete the staged files and store."""
        for file in self.files:
            file.discard()
        self.store.discard()
