"""Find input files and read each into practices, one result per page or table row.

Every input yields either a :class:`~nualod.model.records.Practice` or an
:class:`~nualod.errors.InputError`; one bad file never stops the others.
"""

from __future__ import annotations

import codecs
import errno
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final, cast

from nualod.errors import InputError, NotUTF8Error, ReadError, utf8_text
from nualod.model.records import Origin, Practice, shown_name
from nualod.read.htmltext import MarkupTooDeepError, html_to_text, looks_like_html
from nualod.read.pages import parse_page_text
from nualod.read.sidecar import META_SUFFIX, read_page_metadata
from nualod.read.tables import read_table_text

PAGE_SUFFIXES: Final = frozenset({".txt", ".html", ".htm"})
TABLE_SUFFIXES: Final = frozenset({".csv", ".tsv", ".json"})
#: Workbooks, which nualod does not read: a table is saved from them as CSV.
WORKBOOK_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".numbers"})
_INPUT_SUFFIXES: Final = PAGE_SUFFIXES | TABLE_SUFFIXES
#: Sidecar files written by ``nualod harvest`` beside each saved page.
METADATA_SUFFIX: Final = META_SUFFIX
#: Files that are never inputs: the harvest journal, and the report of an earlier publish
#: (when ``--out`` lies inside an input folder).
NOT_INPUTS: Final = frozenset({".nualod-harvest.jsonl", "rejected.json"})
#: The largest page (text or HTML file) read, in bytes: a page of the NUF is tens of
#: kilobytes, and reading one costs about fifteen times its size in memory (a 150 MB page
#: took 2.2 GB). ``nualod harvest --max-bytes`` saves nothing larger than 5 MiB by default.
MAX_PAGE_BYTES: Final = 16 * 1024 * 1024

ReadResult = Practice | InputError
#: What names the inputs: one path, or several.
Inputs = str | os.PathLike[str] | Iterable[str | Path]


def input_paths(inputs: Inputs) -> list[str | Path]:
    """Return the paths ``inputs`` names: one path is one input, not its characters.

    >>> input_paths("pages"), input_paths(Path("pages")), input_paths(["a", Path("b")])
    (['pages'], [PosixPath('pages')], ['a', PosixPath('b')])
    """
    return cast("list[str | Path]", given_inputs(inputs))  # paths in, paths out


#: What :func:`read_inputs` and ``publish`` take: paths, and practices a program has already
#: read (and perhaps corrected or filtered), each in its place in the order.
PracticeInputs = str | os.PathLike[str] | Iterable[str | Path | Practice]


def given_inputs(inputs: PracticeInputs) -> list[str | Path | Practice]:
    """Return what ``inputs`` names, paths and practices, in order (one path is one input).

    >>> given_inputs("pages"), given_inputs(["a", Path("b")])
    (['pages'], ['a', PosixPath('b')])
    """
    if isinstance(inputs, str):
        return [inputs]
    if isinstance(inputs, os.PathLike):
        return [Path(inputs)]
    return list(inputs)


def input_items(inputs: PracticeInputs) -> Iterator[str | InputError | Practice]:
    """Yield the input files under the paths of ``inputs`` (:func:`input_files`, each run of
    paths together) and each practice in its place."""
    run: list[str | Path] = []
    for item in given_inputs(inputs):
        if isinstance(item, Practice):
            yield from input_files(run) if run else ()
            run = []
            yield item
        else:
            run.append(item)
    if run:
        yield from input_files(run)


def overlapping(paths: Sequence[str | Path]) -> bool:
    """Tell whether one input is another or lies inside it (their real paths), so that a
    file may be named twice; only then are the files read kept track of (by real path: a
    million names cost memory).

    >>> overlapping(["pages", "pages-b", "pages/a.txt"]), overlapping(["pages/01", "pages/02"])
    (True, False)
    >>> overlapping(["pages", "./pages/"]), overlapping(["a/../pages", "pages/x"])
    (True, True)
    """
    if len(paths) < 2:
        return False
    # By their parts, a path's descendants sort right after it ("a", "a/x", "a-b").
    parts = sorted(Path(os.path.realpath(p)).parts for p in paths)
    return any(later[: len(earlier)] == earlier for earlier, later in itertools.pairwise(parts))


def discover(paths: Inputs) -> list[Path]:
    """Return the input files named by ``paths``, folders searched recursively, in a stable order.

    Pages (``.txt``, ``.html``, ``.htm``) and tables (``.csv``, ``.tsv``, ``.json``) are found in
    folders; hidden files, harvest sidecars (``*.meta.json``), the harvest journal and an
    earlier run's ``rejected.json`` are skipped, the sidecars and journal even when named
    directly. A path that does not exist raises :class:`ReadError`.
    """
    return [Path(found) for found in discover_names(paths)]


def discover_names(paths: Inputs) -> list[str]:
    """Return what :func:`discover` returns, as strings: a path object per page costs more
    than reading a page takes, and a worker process is sent the string anyway."""
    return [name for name in discover_items(paths) if isinstance(name, str)]


def discover_items(paths: Inputs) -> list[str | ReadError]:
    """Return what :func:`discover_names` returns, and in their places the inputs a folder
    holds that cannot be read: a page or table that is a link to nothing, a link that loops,
    a FIFO or a device (reading it would wait), and a subfolder that cannot be listed."""
    found: list[str | ReadError] = []
    named = 0
    for raw in input_paths(paths):
        named += 1
        path = Path(raw)
        if path.is_dir():
            _walk_folder(str(path), found)
        elif path.is_file():
            if not _is_harvest_file(path):
                found.append(str(path))
        elif path.exists():  # read, a FIFO would wait for a writer, maybe for ever
            raise ReadError(str(raw), "not a regular file or a folder")
        else:
            raise ReadError(str(raw), "no such file or folder")
    if named == 1:  # one file or folder lists no file twice: spare hashing every path
        return found
    return list(dict.fromkeys(found))


#: The errors :meth:`pathlib.Path.is_file` and ``exists`` read as "no such file" (a dangling
#: or looping symlink, say); any other error is raised, as pathlib does.
_MISSING_ERRNOS: Final = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _walk_folder(folder: str, found: list[str | ReadError]) -> None:
    """Append the input files under ``folder`` (a normalised path) to ``found``, in
    :class:`Path` order.

    This is ``sorted(p for p in Path(folder).rglob("*") if p.is_file() and ...)`` without
    the cost: one ``os.scandir`` per folder, and the file type comes from the directory
    listing, so a plain file needs no ``stat``. Paths sort by their tuple of parts, so visiting
    each folder's entries by name and a subfolder's files in its place gives the same order
    ("a/x" before "a-b/x"). Like ``rglob``, symlinked folders are not entered (a symlinked
    file is read) and hidden names are skipped; so is the output of a publish
    (:func:`_is_publish_output`). A folder that cannot be listed, and a page or table that
    is no regular file (:func:`_not_a_file`), is a :class:`ReadError` in its place.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except PermissionError as error:
        found.append(ReadError(folder, f"cannot list this folder: {error.strerror}"))
        return
    except (FileNotFoundError, NotADirectoryError):
        return  # gone since its parent was listed
    if _is_publish_output(entries):
        return
    prefix = folder if folder.endswith(os.sep) else folder + os.sep  # the root is "/"
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if _is_real_folder(entry):
            _walk_folder(prefix + name, found)
        elif _readable_name(name):
            if _is_file(entry):
                found.append(prefix + name)
            else:
                found.append(ReadError(prefix + name, _not_a_file(prefix + name)))


def _not_a_file(path: str) -> str:
    """Return why a page or table found in a folder is not read (never opened: a FIFO would
    wait for a writer, a device such as /dev/zero never end)."""
    try:
        os.stat(path)  # noqa: PTH116 (a name from the listing, as the walk keeps them)
    except FileNotFoundError:
        return "a link to nothing (its target does not exist)"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a link in a loop of links"
        return f"cannot be looked at: {error.strerror}"
    return "not a regular file (a FIFO, a device or a socket)"


def _no_inputs_reason(folder: str) -> str:
    """Return why a folder named as input gave none: it holds none, or it is a publish's
    output, whose files are never read as inputs (it may hold pages too, when a publish
    was written into the folder of its own inputs)."""
    try:
        with os.scandir(folder) as listing:
            output = _is_publish_output(list(listing))
    except OSError:
        output = False
    if output:
        return (
            "the output of a publish (it holds 'current' and 'releases'), whose files are not "
            "read as inputs; move the pages to a folder of their own"
        )
    return "no pages or tables (.txt, .html, .htm, .csv, .json) in this folder"


def _is_publish_output(entries: list[os.DirEntry[str]]) -> bool:
    """Tell whether a folder is the --out of a publish (its ``releases`` and the ``current``
    link): one inside an input folder was read by the next publish, its site's thousands of
    pages and its own tables each a rejection."""
    found = {entry.name: entry for entry in entries if entry.name in ("current", "releases")}
    return len(found) == 2 and found["current"].is_symlink()  # a folder of pages is no link


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError as error:
        if error.errno in _MISSING_ERRNOS:
            return False
        raise


def _is_file(entry: os.DirEntry[str]) -> bool:
    # DirEntry.is_file() only swallows ENOENT; Path.is_file() also reads a symlink loop
    # (ELOOP) and the like as "not a file".
    try:
        return entry.is_file()
    except OSError as error:
        if error.errno in _MISSING_ERRNOS:
            return False
        raise


def _readable_name(name: str) -> bool:
    return (
        not _is_harvest_name(name)
        and name not in NOT_INPUTS
        and _suffix(name).lower() in _INPUT_SUFFIXES
    )


def _suffix(name: str) -> str:
    """Return :attr:`pathlib.PurePath.suffix` of a file name, without building a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _is_harvest_file(path: Path) -> bool:
    return _is_harvest_name(path.name)


def _is_harvest_name(name: str) -> bool:
    return name.lower().endswith(METADATA_SUFFIX) or name == ".nualod-harvest.jsonl"


#: The byte-order marks of the encodings a page or table is sometimes saved in by mistake.
_WIDE_MARKS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(data: bytes, where: str, *, table: bool = False) -> str:
    """Decode the bytes of a page (or a ``table``) as UTF-8, rejecting binary and empty files.

    >>> decode_text(b"\\xef\\xbb\\xbfKota", "a.txt")
    'Kota'
    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00", "a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.txt: a binary file, not a page
    >>> decode_text("Kota".encode("utf-16"), "a.csv")
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: a.csv: UTF-16 text, not UTF-8 (save it as UTF-8)
    """
    if not data or data.isspace():  # not data.strip(), which copies a page ending with "\n"
        raise ReadError(where, "the file is empty")
    # Notepad's "Unicode" and Excel's "Unicode Text" are UTF-16 with a byte-order mark: its
    # NUL bytes made it "a binary file". UTF-32's marks start as UTF-16's: they come first.
    for mark, encoding in _WIDE_MARKS:
        if data.startswith(mark):
            raise ReadError(where, f"{encoding} text, not UTF-8 (save it as UTF-8)")
    if b"\x00" in data[:8192]:
        raise ReadError(
            where, "a binary file, not a table" if table else "a binary file, not a page"
        )
    try:
        return utf8_text(data)
    except NotUTF8Error as error:
        if not table:
            raise ReadError(where, str(error)) from None
        # A spreadsheet saved in the system's code page (Windows-1252): where, in its lines.
        line = data.count(b"\n", 0, error.offset) + 1
        raise ReadError(
            where, f'{error}, on line {line}; save the table as UTF-8 (Excel: "CSV UTF-8")'
        ) from None


def read_page_file(path: Path) -> Practice:
    """Read one saved page (text or HTML) into a practice.

    A harvest sidecar beside the page (``page.html.meta.json``) gives the page URL and the
    retrieval time. Raise :class:`InputError` when the page cannot be read.
    """
    return read_page_at(str(path))


def read_page_at(where: str) -> Practice:
    """Read the saved page at the path ``where``, as :func:`read_page_file` does."""
    return _read_page(where, _suffix(where[where.rfind(os.sep) + 1 :]).lower())


def _read_page(path: str, suffix: str) -> Practice:
    """:func:`read_page_file`, given the path as a string and its lowercased suffix."""
    where = path if path.isascii() else shown_name(path)  # for messages only
    data = _read_bytes(path, MAX_PAGE_BYTES, where)
    html = suffix in (".html", ".htm")
    try:
        text = decode_text(data, where)
    except ReadError as error:
        # A web page may declare another encoding: its HTTP header, kept in the harvest
        # sidecar (a text/plain page's too), or an HTML page's meta tag; a text file with
        # no sidecar is UTF-8.
        # UTF-16 or UTF-32 (its byte-order mark, or the NUL bytes of one without) is read
        # so only when declared so: a harvested page served as charset=utf-16.
        utf8 = error.reason.startswith("not UTF-8")
        wide = error.reason.startswith(("UTF-16", "UTF-32", "a binary file"))
        declared = _declared_charset(path, data, meta=html) if utf8 or wide else None
        if declared is None or (wide and not declared.startswith(("utf-16", "utf-32"))):
            raise
        text = _decode_declared(data, declared, where)
    if html or looks_like_html(text):
        try:
            text = html_to_text(text)
        except MarkupTooDeepError as error:
            raise ReadError(where, str(error)) from None
    return parse_page_text(text, _origin(path))


#: A charset in a Content-Type value or a meta tag (HTML's encoding sniffing, in short).
_CHARSET: Final = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _declared_charset(path: str, data: bytes, *, meta: bool = True) -> str | None:
    """Return the encoding a saved web page declares: its HTTP Content-Type (the harvest
    sidecar keeps it), else (with ``meta``, an HTML page) a meta tag in its first 1,024
    bytes, as browsers look; None when neither names a text encoding Python knows."""
    declared: list[bytes] = []
    if _has_sidecar(path + METADATA_SUFFIX):
        metadata = read_page_metadata(Path(path))
        if metadata is not None and metadata.content_type:
            declared += _CHARSET.findall(metadata.content_type.encode("ascii", "replace"))
    if meta:
        declared += _CHARSET.findall(data[:1024])
    for name in declared:
        try:
            codec = codecs.lookup(name.decode("ascii"))
        except LookupError:
            continue
        # "hex", "zlib" or "rot13" are codecs of bytes to bytes or text to text: decoding a
        # page with one raised LookupError, a traceback (CodecInfo says which are for text).
        if getattr(codec, "_is_text_encoding", True):
            return codec.name
    return None


def _decode_declared(data: bytes, charset: str, where: str) -> str:
    """Decode a page in the encoding it declares, or say that it is not in it."""
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        raise ReadError(
            where,
            f"not {charset} text as it declares "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})",
        ) from None


def _origin(where: str) -> Origin:
    if not _has_sidecar(where + METADATA_SUFFIX):
        return Origin(where)
    metadata = read_page_metadata(Path(where))
    if metadata is None:
        return Origin(where)
    return Origin(where, page_url=metadata.final_url, retrieved_at=metadata.retrieved_at)


def _has_sidecar(sidecar: str) -> bool:
    """Tell whether the sidecar of a page that was just read exists, as :func:`_exists` does.

    Most pages have none, and a failing ``stat()`` raises an exception, which costs more than
    the call. ``os.access`` answers without one whether the name is in the folder at all (not
    following a symlink, so it looks at nothing beyond the page's folder): where it says no,
    ``stat()`` fails too with "no such file", for the folder is the page's, which could be
    read. Where it says yes, :func:`_exists` decides, with the errors ``stat()`` gives.
    """
    try:
        listed = os.access(sidecar, os.F_OK, follow_symlinks=False)
    except ValueError:  # a path that cannot be encoded, as in _exists()
        return False
    return listed and _exists(sidecar)


def _exists(path: str) -> bool:
    """Tell whether ``path`` exists, like :meth:`pathlib.Path.exists` but without building a Path.

    Every page is checked for a sidecar, and most have none, so this is on the hot path.
    """
    try:
        os.stat(path)  # noqa: PTH116 - a Path per page costs more than the stat
    except OSError as error:
        # A page whose name is near the limit cannot have a sidecar: its name is too long.
        if error.errno in _MISSING_ERRNOS or error.errno == errno.ENAMETOOLONG:
            return False
        raise
    except ValueError:  # a path that cannot be encoded, as in Path.exists()
        return False
    return True


def input_files(paths: Inputs) -> Iterator[str | InputError]:
    """Yield the input files under ``paths`` (:func:`discover_names`), or an error for a path
    that is missing or a folder with none; a file that two paths name (a page and its
    folder) is yielded once."""
    inputs = input_paths(paths)
    seen: set[str] | None = set() if overlapping(inputs) else None
    for raw in inputs:
        try:
            files = discover_items([raw])
        except InputError as error:
            yield error
            continue
        if not files and Path(raw).is_dir():
            yield ReadError(str(raw), _no_inputs_reason(str(raw)))
        for name in files:
            if isinstance(name, ReadError):
                yield name
                continue
            if seen is not None:
                real = os.path.realpath(name)
                if real in seen:
                    continue
                seen.add(real)
            yield name


def read_inputs(paths: PracticeInputs) -> Iterator[ReadResult]:
    """Yield a practice or an error for every page (and table row) under ``paths``; a file
    that two of them name (a page and its folder) is read once. A practice among them (one
    read before) is yielded as it is."""
    for found in input_items(paths):
        if isinstance(found, (InputError, Practice)):
            yield found
        else:
            yield from read_file(Path(found))


def read_file(path: Path) -> Iterator[ReadResult]:
    """Yield the practices (or errors) one input file holds.

    A ``.csv``, ``.tsv`` or ``.json`` file is a table (see :mod:`nualod.read.tables`), one
    result per row; a workbook (``.xlsx``) is refused, saying how to save it; any other file
    is one page, text or HTML.
    """
    # The suffix from the name, as Path.suffix finds it, without the cost of the property.
    suffix = _suffix(path.name).lower()
    if suffix in WORKBOOK_SUFFIXES:
        yield ReadError(
            shown_name(str(path)),
            f'a {suffix} workbook, which nualod does not read: save its table as "CSV UTF-8" '
            "(.csv)",
        )
        return
    if suffix not in TABLE_SUFFIXES:
        try:
            yield _read_page(str(path), suffix)
        except InputError as error:
            yield error
        return
    where = shown_name(str(path))
    try:
        text = decode_text(_read_bytes(str(path), None, where), where, table=True)
    except InputError as error:
        yield error
        return
    yield from read_table_text(text, where, path.suffix)


#: How much one read asks for: a page (a few kilobytes) comes whole in the first read.
_READ_SIZE: Final = 1 << 16


def _read_bytes(path: Path | str, limit: int | None = None, where: str | None = None) -> bytes:
    """Return the bytes of a file, or raise :class:`ReadError`; also when it is larger than
    ``limit`` bytes, which is told before reading it.

    The file is read whole with ``os.read``: a file object would cost more to set up (an
    fstat, a seek) than the reading, which is on the hot path. A folder opens on Linux but
    cannot be read, with the same error ("Is a directory") as from opening it with ``open()``.
    """
    chunks: list[bytes] = []
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            size = 0
            while chunk := os.read(fd, _READ_SIZE):
                size += len(chunk)
                if limit is not None and size > limit:  # at most limit bytes are held
                    raise ReadError(
                        where or str(path),
                        f"the page is {max(size, os.fstat(fd).st_size):,} bytes, more than "
                        f"the {limit:,} bytes a page may have",
                    )
                chunks.append(chunk)
        finally:
            os.close(fd)
    except OSError as error:
        raise ReadError(where or str(path), f"cannot be read: {error.strerror or error}") from None
    return b"".join(chunks)  # one chunk is returned as it is, not copied
