"""The unit vocabulary the reader uses: unit keys, their QUDT IRIs, labels and the words that
name them in Indonesian text (``units.csv``, shipped with the package).

The IRIs are QUDT's, all in its unit vocabulary ``http://qudt.org/vocab/unit/``: currencies
too, as ``unit:CCY_IDR`` and so on, QUDT having deprecated its currency vocabulary
(``http://qudt.org/vocab/currency/``) in version 3.1.0 (``cur:IDR dcterms:isReplacedBy
unit:CCY_IDR``) and removed it since. QUDT is published under CC BY 4.0; the labels and the
Indonesian word forms are nualod's own.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

#: The shipped table, relative to this package.
UNITS_FILE: Final = "units.csv"
#: The key of plain counts (``871 UMKM``): QUDT's ``unit:NUM``.
COUNT: Final = "NUM"
#: Keys of the units that are money.
CURRENCIES: Final = frozenset({"IDR", "USD", "EUR"})


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit: its key (QUDT's local name, but for a currency its ISO 4217 code: ``USD``
    for ``unit:CCY_USD``), IRI, labels and the words that write it."""

    key: str
    iri: str
    label_en: str
    label_id: str
    forms: tuple[str, ...]


def parse_units(text: str) -> dict[str, Unit]:
    """Parse a unit table (CSV with key, iri, label_en, label_id, forms separated by ``|``).

    >>> table = "key,iri,label_en,label_id,forms\\nHA,http://qudt.org/vocab/unit/HA,hectare,hektare,ha|hektar"
    >>> parse_units(table)["HA"].forms
    ('ha', 'hektar')
    """
    units: dict[str, Unit] = {}
    for row in csv.DictReader(io.StringIO(text)):
        forms = tuple(form for form in row["forms"].split("|") if form)
        units[row["key"]] = Unit(row["key"], row["iri"], row["label_en"], row["label_id"], forms)
    return units


@cache
def units() -> dict[str, Unit]:
    """Return the shipped units by key, in the table's order.

    >>> units()["PERCENT"].iri
    'http://qudt.org/vocab/unit/PERCENT'
    >>> units()["USD"].iri
    'http://qudt.org/vocab/unit/CCY_USD'
    """
    text = files(__package__).joinpath(UNITS_FILE).read_text(encoding="utf-8")
    return parse_units(text)


@cache
def units_by_iri() -> dict[str, Unit]:
    """Return the shipped units by IRI.

    >>> units_by_iri()["http://qudt.org/vocab/unit/CCY_USD"].key
    'USD'
    """
    return {unit.iri: unit for unit in units().values()}


def unit_iri(key: str) -> str:
    """Return the IRI of a unit key.

    >>> unit_iri("NUM")
    'http://qudt.org/vocab/unit/NUM'
    """
    return units()[key].iri
