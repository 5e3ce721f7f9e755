"""One folder per release and one atomic pointer to the current one.

A publish folder (``--out``) looks like this::

    OUT/
      releases/
        2025.2/                      a whole release: dumps, catalog, VoID, store/, release.json
        2025.1/                      an earlier one, kept a while (see :data:`KEEP_PREVIOUS`)
      current -> releases/2025.2     the release OUT stands for
      nualod.ttl -> current/nualod.ttl
      store -> current/store         (every file of a release has such a link)
      .nualod.lock                   only while a publish writes OUT: the writer lock

A release is written in a hidden staging folder (``releases/.nualod-staging-PID-XXXX``),
renamed to its own name once complete, and made current by replacing the ``current``
symbolic link with ``rename(2)``: one atomic step, so whatever moment a run is killed at,
every name in OUT shows either the whole previous release or the whole new one. The links
at the top of OUT go through ``current`` and never change once made, so ``OUT/nualod.ttl``,
``OUT/store`` and the rest keep working as paths. A reader that opens several files and
must see one release resolves ``OUT/current`` once and reads from there.

Without a version, a release is named after its content (``sha256-`` and 16 hex digits of
its manifest), so publishing the same inputs twice makes one release, not two.

One writer at a time: a publish holds an exclusive ``flock`` on ``OUT/.nualod.lock`` from
its first write to its commit, and a second one is refused with one line. Holding the lock,
a run removes what runs that died left (every name starting with ``.nualod-``, whose pid
part says which run made it, and the ``.part`` files of older nualod versions).

A server holds a shared ``flock`` on the manifest of the release it serves
(:func:`hold_release`); the release is not deleted while it is held, whatever its age.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from nualod.describe.catalog import SERIES_SEGMENTS
from nualod.errors import PublishError, UsageError, option, stops_deferred
from nualod.files.atomic import process_umask
from nualod.files.current import CURRENT, release_folder
from nualod.files.lock import FolderLock

RELEASES: Final = "releases"
LOCK_NAME: Final = ".nualod.lock"
#: Each release's list of files with their sizes and SHA-256 (see :func:`write_manifest`).
MANIFEST: Final = "release.json"
#: Every temporary name a publish makes in OUT or OUT/releases starts with this.
TEMP_PREFIX: Final = ".nualod-"
#: How many releases before the current one are kept (more while a server holds them).
KEEP_PREVIOUS: Final = 2
#: No "+" (semantic versioning's build metadata): a version names a folder of the site too,
#: whose paths hold letters, digits, ".", "_" and "-" (:func:`nualod.site.paths.site_path`).
#: No "." at the end (Windows and SMB hosts strip it from a folder's name) and no "..".
_VERSION: Final = re.compile(r"(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?<!\.)")
#: Files a release of older nualod versions wrote at the top of OUT (their temporaries
#: were hidden, named after them, and ended in ``.part`` or ``.old``).
_LEGACY_NAMES: Final = (
    "nualod.ttl", "nualod.nt", "nualod.nq", "nualod.jsonld", "void.ttl", "catalog.ttl",
    "catalog.jsonld", "dataset.jsonld", "index.html", "rejected.json", "store",
)  # fmt: skip


#: A test hook for the kill tests: with ``NUALOD_KILL_AT=N`` in the environment, a publish
#: kills itself (SIGKILL, as ``kill -9`` does) at the Nth :func:`checkpoint` it passes.
KILL_AT_VARIABLE: Final = "NUALOD_KILL_AT"
_checkpoints_passed = 0


def checkpoint() -> None:
    """Mark a moment of a publish a kill test may stop it at (see :data:`KILL_AT_VARIABLE`)."""
    wanted = os.environ.get(KILL_AT_VARIABLE)
    if not wanted:
        return
    global _checkpoints_passed  # one counter per process, for the test hook
    _checkpoints_passed += 1
    if _checkpoints_passed == int(wanted):
        os.kill(os.getpid(), signal.SIGKILL)


def check_version(version: str) -> str:
    """Return a release version if it can name a folder and a URL path segment.

    >>> check_version("2025.1")
    '2025.1'
    >>> check_version("rights")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.errors.UsageError: version: 'rights' names a part of the dataset series ...
    >>> check_version("current")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.errors.UsageError: version: 'current' is the name of the link to the newest ...
    >>> check_version("../x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.errors.UsageError: version: a version is 1 to 64 letters, digits and ... '../x'
    >>> [v for v in ("5.", "5..6", "5_", "05", "1.0-rc.1") if _VERSION.fullmatch(v)]
    ['5_', '05', '1.0-rc.1']
    """
    if not _VERSION.fullmatch(version):
        raise UsageError(
            f"{option('version')}: a version is 1 to 64 letters, digits and '.', '_', '-', "
            f"starting with a letter or digit, not ending in '.', without '..': {version!r}"
        )
    if version in SERIES_SEGMENTS:
        # Its dataset IRI would be that of the series' rights statement or the prefix of its
        # unversioned distributions: once no longer kept, their paths would answer 410.
        raise UsageError(
            f"{option('version')}: {version!r} names a part of the dataset series under its IRI "
            f"({', '.join(SERIES_SEGMENTS)}), not a version: choose another"
        )
    if version == CURRENT:
        # OUT/current always names the newest release; a version of that name would stay
        # "current" in its dataset IRI and folder after the next release replaced it.
        raise UsageError(
            f"{option('version')}: {version!r} is the name of the link to the newest release "
            f"(OUT/{CURRENT}), not a version: choose another"
        )
    return version


class WriterLock(FolderLock):
    """The exclusive lock of one publish folder, held while a run writes it
    (:class:`~nualod.files.lock.FolderLock` on ``OUT/.nualod.lock``)."""

    def __init__(self, out: Path) -> None:
        super().__init__(
            out,
            LOCK_NAME,
            PublishError,
            "another nualod publish (pid {pid}) is writing this folder",
        )


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _is_temporary(name: str) -> bool:
    """Tell whether a name in OUT is a temporary of a publish (this version's or an older one's).

    >>> _is_temporary(".nualod-staging-123-ab"), _is_temporary(".nualod.ttl.x1.part")
    (True, True)
    >>> _is_temporary("nualod.ttl"), _is_temporary(".site.x.part")
    (False, False)
    """
    if name.startswith(TEMP_PREFIX):
        return True
    return name.endswith((".part", ".old")) and any(
        name.startswith(f".{legacy}.") for legacy in _LEGACY_NAMES
    )


def remove_stale(out: Path) -> list[str]:
    """Remove the temporaries that runs which died left in OUT; return their names.

    Call it holding the :class:`WriterLock`: then no other publish is running, so every
    temporary is a dead run's (its pid is in its name, for whoever looks).
    """
    removed: list[str] = []
    for folder in (out, out / RELEASES):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if _is_temporary(entry.name) and entry != out / LOCK_NAME:
                _remove(entry)
                removed.append(str(entry.relative_to(out)))
    return removed


@dataclass(frozen=True, slots=True)
class ManifestFile:
    """A file of a release with its size and SHA-256."""

    name: str
    byte_size: int
    sha256: str


def file_digest(path: Path) -> ManifestFile:
    """Return a file's size and SHA-256, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return ManifestFile(path.name, size, digest.hexdigest())


def manifest_bytes(
    version: str | None, files: Iterable[ManifestFile], extra: Mapping[str, object] | None = None
) -> bytes:
    """Return a release manifest: its version and every file (not the store) by name.

    >>> print(manifest_bytes("1", [ManifestFile("a.ttl", 3, "ab")]).decode(), end="")
    {
      "files": {
        "a.ttl": {
          "bytes": 3,
          "sha256": "ab"
        }
      },
      "version": "1"
    }
    """
    document: dict[str, object] = {
        "version": version,
        "files": {f.name: {"bytes": f.byte_size, "sha256": f.sha256} for f in files},
        **(extra or {}),
    }
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(release: Path) -> dict[str, object]:
    """Return a release's manifest, or raise :class:`PublishError`."""
    try:
        document = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PublishError(
            f"{release / MANIFEST}: cannot read the release manifest: {error}"
        ) from None
    if not isinstance(document, dict):
        raise PublishError(f"{release / MANIFEST}: not a release manifest")
    return document


def content_name(manifest: bytes) -> str:
    """Return the folder name of an unversioned release: a digest of its manifest.

    >>> content_name(b"{}")
    'sha256-44136fa355b3678a'
    """
    return "sha256-" + hashlib.sha256(manifest).hexdigest()[:16]


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _replace_link(link: Path, target: str) -> None:
    """Point the symbolic link ``link`` at ``target`` in one rename."""
    temporary = link.parent / f"{TEMP_PREFIX}link-{os.getpid()}-{link.name}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    checkpoint()
    temporary.replace(link)


class OutFolder:
    """A publish folder: its releases, the current one, and how a new one is committed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.releases = path / RELEASES
        #: The release :meth:`commit` made current, once it has: a stop after that leaves
        #: the new release, not the previous one.
        self.committed: Path | None = None

    def current(self) -> Path | None:
        """Return the current release's folder, or None when OUT has none."""
        link = self.path / CURRENT
        if not link.is_symlink():
            return None
        target = Path(os.path.realpath(link))
        return target if target.is_dir() else None

    def new_staging(self) -> Path:
        """Make and return a hidden folder, named after this process, to build a release in."""
        try:
            self.releases.mkdir(parents=True, exist_ok=True)
            staging = Path(
                tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}staging-{os.getpid()}-", dir=self.releases)
            )
            staging.chmod(0o777 & ~process_umask())  # mkdtemp makes it private
            return staging
        except OSError as error:
            raise PublishError(
                f"{self.releases}: cannot write: {error.strerror or error}"
            ) from None

    def discard_staging(self) -> None:
        """Delete this process's staging folders, and the releases folder if that leaves it
        empty.

        Found by the process id in their names, not given: a stop (SIGTERM, Ctrl-C) that
        lands after :meth:`new_staging` made the folder but before its caller holds the
        path would otherwise leave the folder to nobody.
        """
        for staging in self.releases.glob(f"{TEMP_PREFIX}staging-{os.getpid()}-*"):
            shutil.rmtree(staging, ignore_errors=True)
        with suppress(OSError):
            self.releases.rmdir()

    def check_new_version(self, version: str) -> None:
        """Refuse a version OUT has published already (a version is never rewritten)."""
        if (self.releases / version).exists():
            raise UsageError(
                f"{option('version', version)}: {self.releases / version} exists already; a published "
                "version is never rewritten: choose a new version"
            )

    def commit(self, staging: Path, name: str, keep: int = KEEP_PREVIOUS) -> Path:
        """Make the finished release in ``staging`` the current release under ``name``.

        The staging folder is renamed to ``releases/NAME``; the links at the top of OUT
        that the release needs are made (each pointing through ``current``, so showing
        nothing new yet); then ``current`` is switched in one rename; finally links to
        names the release no longer has are removed and old releases pruned. A release of
        the same name and content already there is reused.
        """
        target = self.releases / name
        if target.exists():
            if (target / MANIFEST).read_bytes() != (staging / MANIFEST).read_bytes():
                raise PublishError(
                    f"{target}: a release of this name with other content exists already"
                )
            self.discard_staging()
        else:
            _fsync_folder(staging)
            checkpoint()
            staging.rename(target)
        checkpoint()
        names = sorted(p.name for p in target.iterdir() if not p.name.startswith("."))
        legacy: list[str] = []
        for entry in names:
            link = self.path / entry
            wanted = f"{CURRENT}/{entry}"
            if link.is_symlink():
                if str(link.readlink()) != wanted:
                    _replace_link(link, wanted)
            elif link.exists():
                legacy.append(entry)  # a file of a release written by an older nualod
            else:
                link.symlink_to(wanted)
            checkpoint()
        with stops_deferred():
            _replace_link(self.path / CURRENT, f"{RELEASES}/{name}")
            self.committed = target
        checkpoint()
        _fsync_folder(self.path)
        os.utime(target)  # the time it became current orders the releases for pruning
        checkpoint()
        for entry in legacy:
            self._replace_legacy(entry)
        self._unlink_vanished(set(names))
        checkpoint()
        self.prune(keep)
        checkpoint()
        return target

    def _replace_legacy(self, entry: str) -> None:
        """Replace a file or folder of an older nualod's flat layout with a link."""
        link = self.path / entry
        if link.is_dir():
            aside = self.path / f"{TEMP_PREFIX}old-{os.getpid()}-{entry}"
            link.rename(aside)
            link.symlink_to(f"{CURRENT}/{entry}")
            shutil.rmtree(aside, ignore_errors=True)
        else:
            _replace_link(link, f"{CURRENT}/{entry}")

    def _unlink_vanished(self, names: set[str]) -> None:
        """Remove top links to files the current release does not have."""
        for entry in self.path.iterdir():
            if (
                entry.is_symlink()
                and entry.name != CURRENT
                and str(entry.readlink()) == f"{CURRENT}/{entry.name}"
                and entry.name not in names
            ):
                entry.unlink(missing_ok=True)

    def prune(self, keep: int = KEEP_PREVIOUS) -> list[str]:
        """Delete releases older than the ``keep`` before the current one, unless served.

        A release is deleted by renaming it to a temporary name first, so a run killed
        meanwhile leaves a temporary (removed by the next run), never half a release.
        """
        current = self.current()
        # current() is a real path, the folder's entries are not (OUT may be relative, or
        # reached through a link): the current release is known by its real path.
        candidates = [
            p
            for p in self.releases.iterdir()
            if p.is_dir() and not p.name.startswith(".") and p.resolve() != current
        ]
        candidates.sort(key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
        removed: list[str] = []
        for old in candidates[keep:]:
            if _in_use(old):
                continue
            aside = self.releases / f"{TEMP_PREFIX}trash-{os.getpid()}-{old.name}"
            old.rename(aside)
            checkpoint()
            shutil.rmtree(aside, ignore_errors=True)
            removed.append(old.name)
        return removed

    def release_names(self) -> list[str]:
        """Return the names of the releases OUT holds, oldest first."""
        if not self.releases.is_dir():
            return []
        found = [p for p in self.releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return [p.name for p in sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))]


def _in_use(release: Path) -> bool:
    """Tell whether a server holds a release (a shared lock on its manifest)."""
    try:
        with (release / MANIFEST).open("rb") as manifest:
            try:
                fcntl.flock(manifest.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(manifest.fileno(), fcntl.LOCK_UN)
    except OSError:
        return False
    return False


@contextmanager
def hold_release(path: Path) -> Iterator[Path]:
    """Hold the release ``path`` stands for (see :func:`release_folder`) and yield its folder.

    While held, a later publish into OUT does not delete it, so a server started on it
    answers from it until restarted, however many releases come after.
    """
    folder = release_folder(path)
    manifest: IO[bytes] | None = None
    try:
        manifest = (folder / MANIFEST).open("rb")
        fcntl.flock(manifest.fileno(), fcntl.LOCK_SH)
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise
        manifest = None  # a folder written by an older nualod, or a bare store: nothing to hold
    try:
        yield folder
    finally:
        if manifest is not None:
            manifest.close()
