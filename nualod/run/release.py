"""Stage a release beside finished dumps: the store, VoID, the catalog and the schema.org page.

The release files are written under temporary names in the release's staging folder and the
store is built in a temporary folder there; :class:`StagedRelease` gives them their names
(still in the staging folder, which :mod:`nualod.releases.layout` commits as one), or
discards them all. :func:`write_release_manifest` lists every file with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nualod.describe.catalog import (
    CATALOG_JSONLD,
    CATALOG_TTL,
    TITLE,
    Release,
    catalog_jsonld,
    catalog_triples,
    catalog_turtle,
    default_download_base,
    default_modified,
)
from nualod.describe.publisher import Publisher
from nualod.describe.schemaorg import (
    DATASET_JSONLD,
    INDEX_HTML,
    dataset_document,
    dataset_json,
    index_html,
)
from nualod.describe.void import VOID_NAME, summarize, void_triples, void_turtle
from nualod.errors import PublishError, StoreError
from nualod.files.atomic import AtomicFile
from nualod.files.digests import DigestProcess
from nualod.model.iris import DataIRIs
from nualod.model.licence import LICENSE
from nualod.releases.layout import (
    MANIFEST,
    ManifestFile,
    OutFolder,
    WriterLock,
    content_name,
    file_digest,
    manifest_bytes,
    remove_stale,
)
from nualod.write.formats import (
    DUMP_FILE_NAMES,
    NQUADS,
    RELEASE_FORMATS,
    DumpFile,
    measure_dump,
)
from nualod.write.stats import DataSummary
from nualod.write.store import STORE_NAME, LoadedStore, ProcessLoad, StagedStore

#: The files a release adds to its dumps, in the order a run reports them.
RELEASE_FILE_NAMES: Final = (VOID_NAME, CATALOG_TTL, CATALOG_JSONLD, DATASET_JSONLD, INDEX_HTML)


class DumpMeasuring:
    """The dumps' byte sizes and SHA-256, measured by a process beside the run as they are
    written (:class:`~nualod.files.digests.DigestProcess`), or at once when they are
    finished already; and any other file of the release the run gives it.

    A run that follows its dumps (``finished=False``) says how far each is written and
    flushed after each batch (:meth:`advance`): a dump is only ever appended to, so what is
    written is final, and the process hashes it on the CPU the run leaves idle; once the
    dumps are closed (:meth:`close`), what is left is their last bytes.
    :func:`stage_release` takes the measures from here, the release manifest the others.
    """

    def __init__(self, dumps: Mapping[str, Path], *, finished: bool = True) -> None:
        # Finished dumps are waited for: measured at the run's priority, not beside it.
        self._process = DigestProcess(beside=not finished)
        self._process.follow(dumps, finished=finished)
        self._stopped = False

    def advance(self, written: Mapping[str, int]) -> None:
        """Say how many bytes of each dump (by published name) are written and flushed."""
        self._process.advance(written)

    def close(self) -> None:
        """Say that the dumps are finished: measure them to their end."""
        self._process.finish()

    def measure(self, files: Mapping[str, Path]) -> None:
        """Measure more files, finished (by their names in the release)."""
        self._process.follow(files, finished=True)

    def result(self) -> list[DumpFile]:
        """Return every dump measured, in the order of :data:`DUMP_FILE_NAMES`, once they
        are finished (raise the :class:`PublishError` a dump gave)."""
        if self._stopped:
            raise PublishError("the dumps' measuring was stopped")
        digests = self._process.result()
        return [DumpFile(name, *digests[name]) for name in DUMP_FILE_NAMES]

    def others(self) -> list[ManifestFile]:
        """Return the files given to :meth:`measure`, measured (after :meth:`result`)."""
        digests = self._process.result()
        return [
            ManifestFile(name, *digest)
            for name, digest in digests.items()
            if name not in DUMP_FILE_NAMES
        ]

    def stop(self) -> None:
        """Measure no further (the run is abandoned)."""
        self._stopped = True
        self._process.stop()


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
    store: ProcessLoad | None = None,
    publisher: Publisher | None = None,
    version: str | None = None,
    previous_version: str | None = None,
    version_notes: dict[str, str] | None = None,
    dumps_measuring: DumpMeasuring | None = None,
) -> StagedRelease:
    """Build the store, VoID, the DCAT-AP catalog and the schema.org page for finished dumps.

    ``dumps`` maps each dump's published name to where it is now (its temporary name):
    byte sizes and checksums are measured from those bytes (unless ``dumps_measuring`` is
    given, measuring them already), and the store is bulk loaded from the N-Quads (unless
    ``store`` is given, loading them already). Nothing is moved into
    place: the caller commits the staged files together with the dumps, or discards them.
    Dates come from the data (first and last practice date) unless given; ``publisher`` is
    who publishes (default: nualod).
    """

    # Reading, hashing and loading let go of the GIL: the dumps are measured while the
    # store loads what is left of the N-Quads (a run measures them from the moment they
    # are closed: DumpMeasuring), and the catalog is written as soon as they are measured,
    # while the store may still be loading. They are measured one after the other, the
    # release's own files last: the store's last merges run on one thread at the lowest
    # priority, and hashing in more threads would take the other core from them too (3 s
    # more at one million).
    def load() -> StagedStore | LoadedStore:
        if store is not None:
            return store.finish()
        return StagedStore(dumps[NQUADS.file_name], out_dir / STORE_NAME)

    def measure() -> list[DumpFile]:
        measured = (
            dumps_measuring.result()
            if dumps_measuring is not None
            else [measure_dump(dumps[name], name) for name in DUMP_FILE_NAMES]
        )
        # The changelog, when the release has one, is written before it is described.
        return measured + [
            measure_dump(out_dir / f.file_name, f.file_name)
            for f in RELEASE_FORMATS
            if (out_dir / f.file_name).is_file()
        ]

    files: list[AtomicFile] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        loading = pool.submit(load)
        measuring = pool.submit(measure)
        try:
            measured = measuring.result()
            if summary is None:  # not counted while writing: count with SPARQL over the store
                counted = loading.result()
                if not isinstance(counted, StagedStore):  # not opened in this process
                    raise StoreError("a store built in another process is counted as written")
                summary = summarize(counted.open(), iris.base)
            release = Release(
                download_base or default_download_base(iris.base),
                issued=issued or summary.first_date,
                modified=modified
                or default_modified(summary.last_date, summary.last_retrieved, issued),
                start=summary.first_date,
                end=summary.last_date,
                practices=summary.practices,
                sparql_endpoint=sparql_endpoint,
                publisher=publisher or Publisher(),
                version=version,
                previous_version=previous_version,
                version_notes=version_notes,
            )
            # A versioned release's statistics are its own version's, the dataset whose
            # dumps they count (the catalog's); the series has no dumps of its own. Its
            # linksets keep the series' IRIs, which do not change from release to release.
            void = void_triples(
                summary,
                release.dataset_iri(iris),
                title=TITLE["en"],
                dumps=[release.url(dump.name) for dump in measured if dump.format.rdf],
                uri_space=iris.base,
                license_iri=LICENSE,
                modified=release.modified,
                sparql_endpoint=sparql_endpoint,
                names_under=iris.dataset(),
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
            if store is not None:
                store.stop()  # its finish() raises at once, instead of after the load
            # A failed load has deleted its store already; a finished one is deleted here.
            if loading.exception() is None:
                loading.result().discard()
            raise
    return StagedRelease(tuple(files), staged, release, tuple(measured))


def write_release(
    out_dir: Path,
    iris: DataIRIs,
    *,
    download_base: str | None = None,
    issued: dt.date | None = None,
    modified: dt.date | None = None,
    sparql_endpoint: str | None = None,
) -> tuple[Path, ...]:
    """Describe the dumps of OUT's current release anew (store, VoID, catalog, pages), as a
    new release committed like a publish (the dumps are shared with the current one)."""
    folder = OutFolder(out_dir)
    with WriterLock(out_dir):
        remove_stale(out_dir)
        current = folder.current()
        source = current if current is not None else out_dir
        try:
            staging = folder.new_staging()
            for name in (*DUMP_FILE_NAMES, "rejected.json"):
                if (source / name).is_file():
                    _share(source / name, staging / name)
            staged = stage_release(
                staging,
                iris,
                {name: staging / name for name in DUMP_FILE_NAMES},
                download_base=download_base,
                issued=issued,
                modified=modified,
                sparql_endpoint=sparql_endpoint,
            )
            staged.commit()
            # A published version is never rewritten: the new description is named by content.
            name = write_release_manifest(staging, None, staged.measured)
            release = folder.commit(staging, name)
        except BaseException:
            folder.discard_staging()
            raise
    return tuple(out_dir / p.name for p in sorted(release.iterdir()))


def _share(source: Path, target: Path) -> None:
    """Give ``target`` the bytes of ``source``: a hard link where it can, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_release_manifest(
    staging: Path, version: str | None, measured: Iterable[DumpFile | ManifestFile] = ()
) -> str:
    """Write ``release.json`` (every file of the release, the store aside, with its size and
    SHA-256) into the staging folder; return the release's folder name.

    ``measured`` are files whose digests are known already (the dumps, measured for the
    catalog; the change feed's pages, measured beside the run): they are not read again.
    """
    known = {m.name: ManifestFile(m.name, m.byte_size, m.sha256) for m in measured}
    files = []
    for path in sorted(staging.iterdir()):
        if path.name.startswith(".") or path.name in (MANIFEST, STORE_NAME):
            continue
        # The files of a folder (the feed's pages) by their path in the release.
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            name = file.relative_to(staging).as_posix()
            digest = known.get(name) or file_digest(file)
            files.append(ManifestFile(name, digest.byte_size, digest.sha256))
    content = manifest_bytes(version, files)
    (staging / MANIFEST).write_bytes(content)
    return version or content_name(content)


@dataclass
class StagedRelease:
    """Release files and the store, written under temporary names, not yet in place."""

    files: tuple[AtomicFile, ...]
    store: StagedStore | LoadedStore
    release: Release
    measured: tuple[DumpFile, ...] = ()

    def commit(self) -> tuple[Path, ...]:
        """Move the files and the store into place; return the paths."""
        written = tuple(file.commit() for file in self.files)
        return (*written, self.store.commit())

    def discard(self) -> None:
        """Delete the staged files and store."""
        for file in self.files:
            file.discard()
        self.store.discard()
