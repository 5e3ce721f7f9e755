"""Read good practices kept in a spreadsheet: CSV files and JSON lists, one practice a row.

A table goes through the same checks as a page and gives the same practices, so a data
officer can keep the list in a spreadsheet and publish it beside harvested pages.

Column schema (CSV header row / JSON keys)
------------------------------------------

==================  ========  ==========================================================
column              required  content
==================  ========  ==========================================================
``theme``           yes       NUA theme number as the NUF prints it: ``10`` or ``01``
``indicator``       yes       NUA indicator number: ``47``
``indicator_name``  yes       the indicator's Indonesian name
``city``            yes       ``Kota Pekalongan``, ``Kabupaten Pekalongan`` (``Kab.``
                              works), or a Kemendagri code ``33.75``
``tagline``         no        the text after the city name on the page (``Kota Batik``)
``summary``         no        Ringkasan
``description``     no        Deskripsi; one paragraph per line
``sources``         yes       one or more ``http(s)://`` URLs separated by spaces, line
                              breaks, ``,`` or ``;``
``date``            yes       ISO ``2025-12-18`` or Indonesian ``18 Desember 2025`` (a day
                              name such as ``Kamis,`` may precede it)
``page_url``        no        the NUF page the row was copied from; published as the
                              practice's ``prov:wasDerivedFrom``
==================  ========  ==========================================================

Column names ignore letter case and surrounding spaces, and a space or ``-`` counts as
``_`` (``Indicator Name`` is ``indicator_name``); the Indonesian names ``tema``,
``indikator``, ``nama_indikator``, ``kota``, ``ringkasan``, ``deskripsi``, ``sumber`` and
``tanggal`` name the same columns. Other columns are ignored, but one a letter off a
column's name that the table lacks (``descripton``) refuses the table (a JSON record),
naming the column it was meant to be; their order does not matter. Empty optional cells mean "not given".

CSV: UTF-8 (a byte-order mark is fine), the first row is the header. Cells are separated
by ``,``; a header row with more ``;`` (or tabs) than commas switches the separator to
that, as spreadsheets set to Indonesian regional settings write. Rows are counted as a
spreadsheet counts them: the header is row 1, the first practice row 2 (a cell with a line
break still counts as one row). Blank rows are skipped.

JSON: UTF-8, a list of objects with the keys above, or ``{"practices": [...]}``. Records
are counted from 1 (``record 1`` is the first object). ``theme`` and ``indicator`` may be
numbers, ``sources`` a list of URLs.

A file without a required column gives one error naming the missing columns, and nothing
else; a bad row gives one error naming its row and field, and the good rows are still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from nualod.errors import InputError, ReadError
from nualod.model.records import City, Indicator, Origin, Practice, Source, Theme
from nualod.read.dates import ImpossibleDateError, NotADateError, parse_date
from nualod.read.pages import check_no_control, check_url, one_edit_apart, paragraphs

#: Columns every table must have.
REQUIRED_COLUMNS: Final = ("theme", "indicator", "indicator_name", "city", "sources", "date")
#: Columns a table may have.
OPTIONAL_COLUMNS: Final = ("tagline", "summary", "description", "page_url")
COLUMNS: Final = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

TableResult = Practice | InputError

_NUMBER: Final = {"theme": re.compile(r"\d{1,2}"), "indicator": re.compile(r"\d{1,3}")}
#: The longest cell a row may have, in characters: the csv module's own default limit. The
#: module is given a higher one while reading, so that a longer cell rejects its row alone
#: (the module's error would end the whole table there).
MAX_CELL: Final = 131_072
#: What separates a row's source URLs: as on a page's ``Sumber:`` line.
_SOURCE_SEPARATORS: Final = re.compile(r"[\s,;]+")
#: Column names in Indonesian, as a data officer may head them, and the column each is.
INDONESIAN_COLUMNS: Final = {
    "tema": "theme",
    "indikator": "indicator",
    "nama_indikator": "indicator_name",
    "kota": "city",
    "ringkasan": "summary",
    "deskripsi": "description",
    "sumber": "sources",
    "tanggal": "date",
}


def column_name(header: str) -> str:
    """Return the schema name a header cell stands for.

    >>> column_name(" Indicator Name "), column_name("PAGE-URL"), column_name("Deskripsi")
    ('indicator_name', 'page_url', 'description')
    """
    name = "_".join(re.split(r"[\s\-_]+", header.strip().lower())).strip("_")
    return INDONESIAN_COLUMNS.get(name, name)


def misspelled_column(name: str) -> str | None:
    """Return the column a header cell that names no column was meant to name (one letter
    off, or two swapped), or None: a cell the table ignores, which a typo would make of a
    column that holds a practice's text.

    >>> misspelled_column("descripton"), misspelled_column("ringksan"), misspelled_column("notes")
    ('description', 'ringkasan', None)
    """
    if name in COLUMNS:
        return None
    for known in (*COLUMNS, *INDONESIAN_COLUMNS):
        if one_edit_apart(name, known):
            return known
    return None


def _meant_column(written: Mapping[str, str]) -> tuple[str, str] | None:
    """Return the first header (or key) as written and the column it was meant to name,
    from ``{column name: as written}``; a name a letter off a column the table also has is
    another column ("data" beside "date")."""
    for name, cell in written.items():
        known = misspelled_column(name)
        if known and INDONESIAN_COLUMNS.get(known, known) not in written:
            return cell, known
    return None


def practice_from_row(row: Mapping[str, object], origin: Origin) -> Practice:
    """Return the practice one table row describes; raise :class:`ReadError` naming the field.

    ``row`` maps schema column names to cell values (text, or for JSON also numbers, a list
    of source URLs, or ``None``).

    >>> row = {"theme": "10", "indicator": 47, "indicator_name": "Jumlah Individu Dilatih",
    ...        "city": "Kota Pekalongan", "tagline": "Kota Batik",
    ...        "sources": "https://a.example.id/1 ; https://a.example.id/2",
    ...        "date": "18 Desember 2025"}
    >>> p = practice_from_row(row, Origin("list.csv", "row 2"))
    >>> p.theme.number, p.indicator.number, p.title, str(p.issued), len(p.sources)
    (10, 47, 'Kota Pekalongan, Kota Batik', '2025-12-18', 2)
    >>> practice_from_row({**row, "date": "31 Februari 2025"}, Origin("list.csv", "row 3"))
    Traceback (most recent call last):
    ...
    nualod.errors.ReadError: list.csv row 3: date: not a real date: '31 Februari 2025'
    """
    where = origin.describe()
    missing = [name for name in REQUIRED_COLUMNS if name not in row]
    if missing:
        raise ReadError(where, f"missing key(s): {', '.join(missing)}")
    theme = _number(row, "theme", where)
    indicator = _number(row, "indicator", where)
    indicator_name = _line(row, "indicator_name", where, required=True)
    city = _line(row, "city", where, required=True)
    assert indicator_name is not None and city is not None
    tagline = _line(row, "tagline", where)
    summary = _text(row, "summary", where)
    description = _text(row, "description", where)
    sources = _sources(row, where)
    issued = _date(row, where)
    page_url = _line(row, "page_url", where)
    if page_url is not None:
        check_url(page_url, where=where, field="page_url")
        origin = Origin(origin.location, origin.record, page_url, origin.retrieved_at)
    return Practice(
        theme=Theme(theme),
        indicator=Indicator(indicator, indicator_name, theme),
        city=City(city),
        tagline=tagline,
        summary=summary,
        description=description,
        sources=tuple(Source(url) for url in sources),
        issued=issued,
        origin=origin,
    )


class UnheldNumber(str):
    """A JSON number no float holds (``1e400``; ``NaN`` and ``Infinity``, which Python's
    ``json`` reads though JSON has none), kept as it is written: a number still, refused
    where text is wanted, and quoted as written, not as ``inf``, where a number is."""

    __slots__ = ()


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, UnheldNumber)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | UnheldNumber):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _text(
    row: Mapping[str, object], name: str, where: str, *, required: bool = False
) -> str | None:
    value = row.get(name)
    if value is None:
        text = None
    elif _is_text(value):
        assert isinstance(value, str)
        text = paragraphs(value)
        check_no_control(text, where=where, field=name)
    else:
        raise ReadError(where, f"must be text, not {_kind(value)}", field=name)
    if text is None and required:
        raise ReadError(where, "no value", field=name)
    return text


def _line(
    row: Mapping[str, object], name: str, where: str, *, required: bool = False
) -> str | None:
    text = _text(row, name, where, required=required)
    return " ".join(text.split()) if text is not None else None


def _number(row: Mapping[str, object], name: str, where: str) -> int:
    value = row.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # a fraction is then refused as not a theme or indicator number
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ReadError(where, "no value", field=name)
    if not isinstance(value, str):
        raise ReadError(where, f"must be a number, not {_kind(value)}", field=name)
    if not _NUMBER[name].fullmatch(value.strip()) or int(value) == 0:
        raise ReadError(
            where,
            f"not {'a theme' if name == 'theme' else 'an indicator'} number: {value!r}",
            field=name,
        )
    return int(value)


def _sources(row: Mapping[str, object], where: str) -> list[str]:
    value = row.get("sources")
    if isinstance(value, list):
        if not all(_is_text(item) for item in value):
            raise ReadError(where, "a list of sources must hold only URLs (text)", field="sources")
        candidates = [part for item in value for part in _SOURCE_SEPARATORS.split(item)]
    elif isinstance(value, str) and _is_text(value):
        candidates = _SOURCE_SEPARATORS.split(value)
    elif value is None:
        candidates = []
    else:
        raise ReadError(where, f"must be URLs, not {_kind(value)}", field="sources")
    urls: dict[str, None] = {}  # an ordered set: a row may list many thousands
    for candidate in candidates:
        if candidate:
            urls.setdefault(check_url(candidate, where=where, field="sources"))
    if not urls:
        raise ReadError(where, "no value", field="sources")
    return list(urls)


def _date(row: Mapping[str, object], where: str) -> dt.date:
    text = _line(row, "date", where, required=True)
    assert text is not None
    try:
        return parse_date(text)
    except ImpossibleDateError:
        raise ReadError(where, f"not a real date: {text!r}", field="date") from None
    except NotADateError:
        raise ReadError(
            where, f"not a date like '2025-12-18' or '18 Desember 2025': {text!r}", field="date"
        ) from None


def read_csv_text(text: str, location: str) -> Iterator[TableResult]:
    """Yield a practice or an error for every row of a CSV table's text.

    >>> table = ("theme,indicator,indicator_name,city,sources,date\\n"
    ...          "10,47,Individu Dilatih,Kota Pekalongan,https://a.example.id/1,2025-12-18\\n"
    ...          "10,47,Individu Dilatih,Kota Pekalongan,https://a.example.id/2,2025-02-30\\n")
    >>> [getattr(r, "message", None) or r.origin.describe() for r in read_csv_text(table, "l.csv")]
    ['l.csv row 2', "l.csv row 3: date: not a real date: '2025-02-30'"]
    >>> list(read_csv_text("theme,city\\n1,Kota Bandung\\n", "l.csv"))[0].message
    'l.csv: missing column(s): indicator, indicator_name, sources, date'
    """
    first_line = text.lstrip("\ufeff").partition("\n")[0]
    # Excel's "sep=;" line says which separator the table uses; the header is on row 2.
    declared = re.fullmatch(r"\s*sep=([,;\t|])\s*", first_line, re.IGNORECASE)
    if declared:
        text = text.lstrip("\ufeff").partition("\n")[2]
        first_line = text.partition("\n")[0]
    delimiter = declared[1] if declared else _delimiter(first_line)
    records, failure = _records(text, delimiter)
    reader = iter(records)
    skipped = 1 if declared else 0
    if failure is not None and not records:
        yield ReadError(location, f"not a readable CSV table (row 1): {failure}")
        return
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        yield ReadError(location, "no header row")
        return
    names = [column_name(cell) for cell in header]
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if twice:
        yield ReadError(location, f"column(s) named more than once: {', '.join(twice)}")
        return
    meant = _meant_column(dict(zip(names, header, strict=True)))
    if meant:
        cell, known = meant
        yield ReadError(
            location,
            f"the column {cell.strip()!r} is not one nualod reads; did you mean {known!r}? "
            "(rename it, or name it otherwise if it is not meant to be read)",
        )
        return
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        yield ReadError(location, f"missing column(s): {', '.join(missing)}")
        return
    rows = 0
    for number, cells in enumerate(reader, start=2 + skipped):
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        origin = Origin(location, f"row {number}")
        last = cells[-1]
        # A quote never closed makes the rest of the table one cell, with the line
        # breaks only a quoted cell can hold; no closing quote ends the text after it.
        if ("\n" in last or "\r" in last) and text.endswith(last):
            yield ReadError(
                origin.describe(),
                'a quote (") opened in this cell is not closed: the rest of the table '
                f"({len(last.splitlines())} line(s)) was read as this one cell",
                field=names[len(cells) - 1] if len(cells) <= len(names) else None,
            )
            continue
        # More cells than columns, even empty ones: a comma outside quotes split a cell,
        # and every cell after it is read as the next column's.
        if len(cells) > len(names):
            # A quote left open that a later line's quote closes takes the rows between
            # into this one: say so, or they vanish without a word.
            spanned = sum(cell.count("\n") for cell in cells)
            why = (
                f'a quote (") opened in a cell is closed only {spanned} line(s) further '
                "on, so the rows between were read as part of this one: close the quote"
                if spanned
                else 'a cell holding a comma must be in double quotes: "satu, dua"'
            )
            yield ReadError(
                origin.describe(),
                f"{len(cells)} cells but the header names {len(names)} columns ({why})",
            )
            continue
        oversize = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL), None)
        if oversize is not None:
            yield ReadError(
                origin.describe(),
                f"a cell of {len(cells[oversize]):,} characters, more than the "
                f"{MAX_CELL:,} a cell may have",
                field=names[oversize] if oversize < len(names) else None,
            )
            continue
        row = {name: cell for name, cell in zip(names, cells, strict=False) if name in COLUMNS}
        for name in REQUIRED_COLUMNS:
            row.setdefault(name, "")
        yield _practice_or_error(row, origin)
    if failure is not None:
        row_number = len(records) + skipped + 1
        yield ReadError(location, f"not a readable CSV table (row {row_number}): {failure}")
        return
    if not rows:
        yield ReadError(location, "no practices: the table has a header but no rows")


#: Held while a table is read with the cell limit raised: the limit is the process's, and
#: tables read in several threads each put back what they found.
_CELL_LIMIT: Final = threading.Lock()


def _records(text: str, delimiter: str) -> tuple[list[list[str]], csv.Error | None]:
    """Return a CSV text's records, and the error that stopped reading them (or None).

    A cell may be as long as the whole text, past the ``csv`` module's limit, which is the
    process's: it is raised only while the text is read, all at once, and put back then,
    not while a caller pauses between the rows (another reader of CSV in the process meanwhile
    read with it raised, and two tables read by turns left it raised for good).
    """
    records: list[list[str]] = []
    with _CELL_LIMIT:
        previous = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        try:
            records.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            return records, error
        finally:
            csv.field_size_limit(previous)
    return records, None


def _delimiter(header: str) -> str:
    """Return the cell separator a header line uses: ``,`` unless ``;`` or a tab is commoner."""
    counts = {",": header.count(","), ";": header.count(";"), "\t": header.count("\t")}
    return max(counts, key=lambda sign: (counts[sign], sign == ","))


def read_json_text(text: str, location: str) -> Iterator[TableResult]:
    """Yield a practice or an error for every record of a JSON list of practices.

    >>> records = '{"practices": [{"theme": 10, "indicator": 47, "indicator_name": "x",'\\
    ...     ' "city": "Kota Pekalongan", "sources": ["https://a.example.id/1"],'\\
    ...     ' "date": "Kamis, 18 Desember 2025"}, {"theme": 10}]}'
    >>> [getattr(r, "message", None) or r.origin.describe() for r in read_json_text(records, "l.json")]
    ['l.json record 1', 'l.json record 2: missing key(s): indicator, indicator_name, city, sources, date']
    """
    try:
        data = json.loads(
            text,
            object_pairs_hook=_JSONObject.of,
            parse_float=_json_float,
            parse_int=_json_int,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as error:
        yield ReadError(
            location, f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        )
        return
    except RecursionError:
        yield ReadError(location, "not a list of practices: nested too deeply")
        return
    if isinstance(data, dict) and isinstance(data.get("practices"), list):
        data = data["practices"]
    if not isinstance(data, list):
        yield ReadError(
            location,
            'not a list of practices: expected a JSON list of objects or {"practices": [...]}',
        )
        return
    if not data:
        yield ReadError(location, "no practices: the list is empty")
        return
    for number, record in enumerate(data, start=1):
        origin = Origin(location, f"record {number}")
        if not isinstance(record, dict):
            yield ReadError(origin.describe(), f"must be an object, not {_kind(record)}")
            continue
        if isinstance(record, _JSONObject) and record.twice is not None:
            yield ReadError(origin.describe(), f"the key {record.twice!r} is given twice")
            continue
        row: dict[str, object] = {}
        keys: dict[str, str] = {}
        for key, value in record.items():
            name = column_name(str(key))
            if name in keys:
                break
            keys[name] = str(key)
            row[name] = value
        else:
            meant = _meant_column(keys)
            if meant:
                yield ReadError(
                    origin.describe(),
                    f"the key {meant[0]!r} is not one nualod reads; did you mean {meant[1]!r}?",
                )
                continue
            yield _practice_or_error(row, origin)
            continue
        yield ReadError(
            origin.describe(),
            f"keys {keys[name]!r} and {str(key)!r} both name the column {name}",
        )


def _json_float(text: str) -> float | str:
    """Return a JSON number with a fraction or exponent as a float, or as it is written when
    no float holds it: ``1e400`` is shown as ``1e400`` in a message, not as ``inf``.

    >>> _json_float("12.5"), _json_float("1e400"), _json_float("-1E+999")
    (12.5, '1e400', '-1E+999')
    """
    value = float(text)
    return value if math.isfinite(value) else UnheldNumber(text)


def _json_int(text: str) -> int | str:
    """Return a JSON integer as an int, or, past the digits Python reads into one
    (``sys.get_int_max_str_digits``), its start and length: only the record that gives it
    is refused, and its message stays one short line.

    >>> _json_int("-12"), _json_int("9" * 5000)
    (-12, '99999999999999999999… (5,000 digits)')
    """
    try:
        return int(text)
    except ValueError:
        digits = len(text.lstrip("-"))
        return UnheldNumber(f"{text[:20]}… ({digits:,} digits)")


def _json_constant(text: str) -> str:
    """Return ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's ``json`` reads, though
    JSON has no such values) as they are written, so a message quotes them."""
    return UnheldNumber(text)


class _JSONObject(dict[str, object]):
    """A JSON object as read, and the first key it gives twice: ``json`` keeps the last value
    of a key given twice without a word, so ``{"theme": 10, "theme": 11}`` was theme 11."""

    twice: str | None = None

    @classmethod
    def of(cls, pairs: list[tuple[str, object]]) -> dict[str, object]:
        """Return the object of ``pairs`` (``json``'s ``object_pairs_hook``)."""
        found = cls(pairs)
        if len(found) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    found.twice = key
                    break
                seen.add(key)
        return found


def read_table_text(text: str, location: str, suffix: str) -> Iterable[TableResult]:
    """Yield the results of a table's text, read as CSV or JSON by the file ``suffix``."""
    if suffix.lower() == ".json":
        return read_json_text(text, location)
    return read_csv_text(text, location)


def _practice_or_error(row: Mapping[str, object], origin: Origin) -> TableResult:
    try:
        return practice_from_row(row, origin)
    except InputError as error:
        return error
