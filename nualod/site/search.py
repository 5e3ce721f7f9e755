"""Index the practices for offline full-text search with Pagefind.

Only what a person searches for is indexed: the title, the place and the Ringkasan, marked
``data-pagefind-body`` on each practice page (the description, alignments and the rest are
not). Pagefind holds a whole index in memory while it builds it (some 50 kB a page here), so
the practices go into bundles of at most :data:`BUNDLE_SIZE` pages, grouped by the folders
of the site, each built by its own Pagefind process; the search page merges the bundles in
the browser (``mergeIndex``), and ``pagefind/bundles.json`` lists them.

Pagefind is not pointed at the pages on disk: a worker keeps, for each practice it renders,
its Indonesian page cut down to the ``data-pagefind-body`` elements (:func:`search_document`,
a few hundred bytes instead of tens of kilobytes), and the pages are sent to Pagefind's
service mode (``pagefind --service``: base64 JSON messages on its standard input) in the
order of their paths. Pagefind extracts from the cut page exactly what it extracts from the
whole one (a test compares the two indexes), without opening and parsing 10,000 files per
bundle; and the order of the pages, hence the index's bytes, no longer depends on the order
in which the file system lists a folder. (The ``pagefind`` package's Python client waits
100 ms for each answer, so the messages are written and read here.)
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

from nualod.errors import NualodError

#: Practice pages per Pagefind bundle. Pagefind needs some 51 kB a page whatever the page's
#: size (1,029 MB for 20,000 pages, 508 MB for 10,000, measured): 20,000 keeps it near
#: 1 GB, under the 1.5 GB the whole build may use at a million practices (30,000 took
#: 1.46 GB, too close with the main process beside it).
BUNDLE_SIZE: Final = 20_000
#: The language of the pages indexed (the English pages say the same of the same practices).
SEARCH_LANGUAGE: Final = "id"
#: The search documents of one shard: a line per practice, ``[stem, document]`` in JSON.
DOCUMENTS: Final = "search-{:03d}.jsonl"

_HEAD: Final = '<!DOCTYPE html>\n<html lang="id">\n<body>\n'
_TAIL: Final = "\n</body>\n</html>\n"


class SearchIndexError(NualodError):
    """Pagefind failed; the message gives its last words."""


def search_document(page: str) -> str:
    """Return a page cut down to its ``data-pagefind-body`` elements, for Pagefind.

    Each such element is kept whole, from its start tag to the first end tag of its name
    after it (the elements marked are headings and paragraphs, which do not nest).

    >>> page = '<p>no</p><h1 data-pagefind-body>A <b>b</b></h1><p data-pagefind-body>c</p>'
    >>> search_document(page).split("\\n")[3]
    '<h1 data-pagefind-body>A <b>b</b></h1><p data-pagefind-body>c</p>'
    >>> search_document('<p class="x">says data-pagefind-body</p>').split("\\n")[3]
    ''
    """
    parts = []
    position = 0
    # str.find, not a regular expression over the whole page: the marked elements are
    # few, and a page is mostly its embedded JSON-LD.
    while (found := page.find(" data-pagefind-body", position)) >= 0:
        start = page.rfind("<", 0, found)
        opening = page[start + 1 : found] if start >= 0 else ">"
        tag = opening.split(None, 1)[0] if opening else ""
        after = found + len(" data-pagefind-body")
        # Only an attribute of a start tag counts, not the words in a text.
        if ">" in opening or not tag.isalnum() or page[after : after + 1] not in (">", " ", "="):
            position = after
            continue
        end = page.find(f"</{tag}>", after)
        end = len(page) if end < 0 else end + len(tag) + 3
        parts.append(page[start:end])
        position = end
    return _HEAD + "".join(parts) + _TAIL


def index_site(out: Path) -> int:
    """Write the Pagefind bundles under ``out`` and ``pagefind/bundles.json``; return pages."""
    work = out.parent / "work"
    folders: Counter[str] = Counter()
    for summary in sorted(work.glob("summary-*.tsv")):
        with summary.open(encoding="utf-8") as rows:
            for row in rows:
                stem = row.split("\t", 2)[1]
                folders[stem.rsplit("/", 1)[0]] += 1
    groups: list[list[str]] = []
    size = 0
    for folder in sorted(folders):
        if not groups or size + folders[folder] > BUNDLE_SIZE:
            groups.append([])
            size = 0
        groups[-1].append(folder)
        size += folders[folder]
    documents = sorted(work.glob(DOCUMENTS.replace("{:03d}", "*")))
    bundles: list[str] = []
    for number, group in enumerate(groups):
        subdir = "pagefind" if number == 0 else f"pagefind-{number + 1}"
        wanted = set(group)
        pages = sorted(
            (stem, document)
            for stem, document in _documents(documents)
            if stem.rsplit("/", 1)[0] in wanted
        )
        _pagefind(out, pages, out / subdir)
        bundles.append(subdir + "/")
    # No practice: an empty folder still lets the search page answer "no results".
    (out / "pagefind").mkdir(exist_ok=True)
    (out / "pagefind" / "bundles.json").write_text(json.dumps(bundles), encoding="utf-8")
    return sum(folders.values())


def _documents(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                stem, document = json.loads(line)
                yield stem, document


def _pagefind(out: Path, pages: list[tuple[str, str]], output: Path) -> None:
    """Index ``pages`` (stem, search document) with one Pagefind process into ``output``."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError("pagefind: its binary is not installed (pagefind[bin])")
    process = subprocess.Popen(
        [str(executable), "--service"],
        cwd=out,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    service = _Answers(process.stdout)
    try:
        _send(process.stdin, 1, {"type": "NewIndex", "config": {"force_language": SEARCH_LANGUAGE}})
        index = service.wait(1).get("index_id", 0)
        for number, (stem, document) in enumerate(pages, 2):
            payload = {
                "type": "AddFile",
                "index_id": index,
                "file_path": f"{stem}.html",
                "url": None,
                "file_contents": document,
            }
            _send(process.stdin, number, payload)
        last = len(pages) + 2
        _send(
            process.stdin,
            last,
            {"type": "WriteFiles", "index_id": index, "output_path": str(output)},
        )
        service.wait(last)
    finally:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()


def _send(stream: IO[bytes], number: int, payload: dict[str, Any]) -> None:
    message = json.dumps({"message_id": number, "payload": payload}).encode("utf-8")
    stream.write(base64.b64encode(message) + b",")
    stream.flush()


class _Answers:
    """Pagefind's answers, read in a thread while we write (so that neither side waits on
    a full pipe); the first error is kept."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._answers: dict[int, dict[str, Any]] = {}
        self._error = ""
        self._closed = False
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        rest = b""
        try:
            while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
                *done, rest = (rest + chunk).split(b",")
                for message in done:
                    answer = json.loads(base64.b64decode(message))
                    payload = answer.get("payload") or {}
                    with self._changed:
                        if payload.get("type") == "Error" and not self._error:
                            self._error = str(payload.get("message", "error"))
                        if isinstance(answer.get("message_id"), int):
                            # Only the answers waited for are kept, not one per page.
                            self._answers[answer["message_id"]] = payload
                            self._answers.pop(answer["message_id"] - 1, None)
                        self._changed.notify_all()
        finally:
            with self._changed:
                self._closed = True
                self._changed.notify_all()

    def wait(self, number: int) -> dict[str, Any]:
        """Return the answer to message ``number``; raise if Pagefind failed or stopped."""
        with self._changed:
            while number not in self._answers and not self._error and not self._closed:
                self._changed.wait()
            if self._error:
                raise SearchIndexError(f"pagefind: {self._error.strip().splitlines()[-1]}")
            if number not in self._answers:
                raise SearchIndexError("pagefind: stopped without an answer")
            return self._answers[number]
