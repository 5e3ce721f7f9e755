"""The library leaves the process's state as it found it, when calls overlap too (a web app
or a scheduler calls it from several threads): the garbage collector's threshold, the ``csv``
module's cell limit (library review, stop 56)."""

from __future__ import annotations

import csv
import gc
from pathlib import Path

from nualod import read_inputs
from nualod.model.collector import GC_THRESHOLD, fewer_collections

TABLE = Path(__file__).resolve().parent / "fixtures" / "pages" / "practices.csv"


def test_overlapping_runs_put_the_collector_s_threshold_back() -> None:
    """Two runs in two threads, the first ending before the second: each put back what it
    saw on entering, and the second saw the first's raised threshold."""
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] >= GC_THRESHOLD  # the second run is still under way
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def _large_table(folder: Path, name: str) -> Path:
    """A table whose text is past the ``csv`` module's cell limit (128 KiB)."""
    rows = TABLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = folder / name
    path.write_text(rows[0] + "".join(rows[1:]) * 300, encoding="utf-8")
    assert path.stat().st_size > csv.field_size_limit()
    return path


def test_tables_read_by_turns_leave_the_csv_cell_limit_as_it_was(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    one = read_inputs([_large_table(tmp_path, "one.csv")])
    other = read_inputs([_large_table(tmp_path, "other.csv")])
    next(one)
    assert csv.field_size_limit() == limit  # not raised while the caller holds a row
    next(other)
    assert len(list(one)) > 100 and len(list(other)) > 100
    assert csv.field_size_limit() == limit


def test_a_cell_past_the_csv_limit_refuses_its_row_alone(tmp_path: Path) -> None:
    with TABLE.open(encoding="utf-8", newline="") as stream:
        header, first, *_ = list(csv.reader(stream))
    long_text = "Pelatihan " * 20_000  # 200,000 characters in one cell
    table = tmp_path / "long.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, [*first[:4], long_text, *first[5:]], first])
    assert csv.field_size_limit() < len(long_text)
    results = list(read_inputs([table]))
    assert [getattr(result, "message", type(result).__name__) for result in results] == [
        f"{table} row 2: tagline: a cell of 200,000 characters, more than the 131,072 a cell "
        "may have",
        "Practice",
    ]


def test_every_error_nualod_raises_on_purpose_is_in_nualod_errors() -> None:
    """One exception tree, in one module: ``SiteError`` was in ``nualod.site.shards`` and
    ``UnsupportedShapesError`` in ``nualod.validate.fast``, which a caller would import to
    catch one (library review)."""
    import ast

    import nualod
    from nualod import errors

    package = Path(nualod.__file__).parent
    elsewhere = []
    for module in sorted(package.rglob("*.py")):
        if module.name == "errors.py" and module.parent == package:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name)
                and isinstance(getattr(errors, base.id, None), type)
                and issubclass(getattr(errors, base.id), errors.NualodError)
                for base in node.bases
            ):
                elsewhere.append(f"{module.relative_to(package)}: {node.name}")
    # Caught where they are raised, never met by a caller: a URL a harvest could not fetch
    # (a RejectedURL of its result), a body the server answers 415, a folder a harvest
    # cannot write (private).
    assert elsewhere == [
        "harvesting/fetch.py: _FolderError",
        "harvesting/http.py: FetchError",
        "serve/website.py: UnsupportedMediaError",
    ]
    assert issubclass(errors.SiteError, errors.NualodError)


def test_every_error_crosses_a_process_whole() -> None:
    """An error raised in a worker process reaches the parent by pickle: ``InputError``,
    rebuilt from its message alone, raised ``TypeError`` there instead (stops 55 to 59)."""
    import inspect
    import pickle

    from nualod import errors

    made = [
        errors.NotUTF8Error("not UTF-8 text (byte 0xe9 at offset 20)", 20),
        errors.RejectedInputsError("nothing published", ("a.txt: Kota: unknown",)),
        errors.UsageError(f"{errors.option('version')}: a version is 1 to 64 letters"),
    ]
    for kind in vars(errors).values():
        if not inspect.isclass(kind) or not issubclass(kind, errors.NualodError):
            continue
        if issubclass(kind, errors.InputError):
            made += [kind("a.txt", "unknown city", field="Kota"), kind("b.txt", "empty")]
        elif issubclass(kind, errors.RejectedInputsError):
            made.append(kind("nothing published", ("b.txt: empty",)))
        else:
            made.append(kind("out: cannot write: No space left on device"))
    kinds = {type(error) for error in made}
    assert {errors.InputError, errors.ReadError, errors.LinkError, errors.HarvestError} <= kinds
    assert {errors.PublishError, errors.StoreError, errors.NothingPublishedError} <= kinds
    for error in made:
        again = pickle.loads(pickle.dumps(error))
        assert (type(again), str(again), again.args, vars(again)) == (
            type(error),
            str(error),
            error.args,
            vars(error),
        )
    link = pickle.loads(pickle.dumps(errors.LinkError("a.txt", "unknown city", field="Kota")))
    assert (link.where, link.field, link.reason, link.message) == (
        "a.txt",
        "Kota",
        "unknown city",
        "a.txt: Kota: unknown city",
    )


def test_a_query_from_the_library_answers_as_the_command_does(
    published_examples: tuple[Path, object],
) -> None:
    """The library had no ``nualod query`` of its own (library review)."""
    from nualod import QueryResult, run_query

    found = run_query(published_examples[0], "SELECT (COUNT(*) AS ?n) { ?p a nua:GoodPractice }")
    assert isinstance(found, QueryResult)
    assert (found.kind, found.variables, [row[0].value for row in found.rows]) == (
        "select",
        ("n",),
        ["4"],
    )


def test_an_error_names_keywords_in_its_repr_too_and_options_on_the_command_line(
    tmp_path: Path,
) -> None:
    """Code review: the marks of the options an error names showed in its repr and args."""
    import pytest

    from nualod import publish
    from nualod.cli import OPTIONS
    from nualod.errors import UsageError

    with pytest.raises(UsageError) as refused:
        publish([tmp_path], tmp_path / "out", version="a/b")
    said = "version: a version is 1 to 64 letters"
    assert str(refused.value).startswith(said)
    assert repr(refused.value).startswith(f'UsageError("{said}')
    assert "\x1f" not in repr(refused.value)
    assert refused.value.command_line(OPTIONS).startswith("--release: a version is")


def test_a_publish_runs_with_the_collector_s_threshold_raised_and_puts_it_back(
    tmp_path: Path,
) -> None:
    from nualod import publish

    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    before = gc.get_threshold()
    seen: list[int] = []
    publish([examples], tmp_path / "out", on_practice=lambda _: seen.append(gc.get_threshold()[0]))
    assert seen and min(seen) >= GC_THRESHOLD
    assert gc.get_threshold() == before
