"""Numbers as Indonesian writes them: digits with Indonesian separators and spelled-out words.

Indonesian groups thousands with a dot and writes the decimal comma: ``1.250`` is one
thousand two hundred and fifty, ``21,54`` is twenty-one point five four. Spelled-out numbers
build on ``belas`` (teens), ``puluh`` (tens), ``ratus`` (hundreds) and the scale words
``ribu``, ``juta``, ``miliar`` and ``triliun``; ``se-`` is "one" (``seratus``, ``seribu``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

#: Scale words after digits or spelled numbers, with the power of ten they multiply by.
SCALES: Final = {
    "ratus": 2,
    "ribu": 3,
    "rb": 3,
    "juta": 6,
    "jt": 6,
    "miliar": 9,
    "milyar": 9,
    "triliun": 12,
}
DIGITS: Final = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
#: Words that are a whole number on their own ("se-" is "one").
WHOLE: Final = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
#: "One thousand", "one million": a scale on its own.
SE_SCALES: Final = {"seribu": 3, "sejuta": 6, "semiliar": 9}
#: Words that may start a spelled-out number.
FIRST_WORDS: Final = (*DIGITS, *WHOLE, *SE_SCALES)
#: Words that may follow in one.
NUMBER_WORDS: Final = frozenset(
    (
        *DIGITS,
        *WHOLE,
        *SE_SCALES,
        "belas",
        "puluh",
        "ratus",
        "ribu",
        "juta",
        "miliar",
        "milyar",
        "triliun",
    )
)
_GROUPED: Final = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


def digits_value(text: str) -> Decimal:
    """Return the value of digits written the Indonesian way.

    >>> digits_value("1.250"), digits_value("21,54"), digits_value("3.500.000,00"), digits_value("871")
    (Decimal('1250'), Decimal('21.54'), Decimal('3500000.00'), Decimal('871'))
    """
    return Decimal(text.replace(".", "").replace(",", "."))


def is_ambiguous(text: str) -> bool:
    """Tell whether digits could be read the English way too: ``1,250`` is 1.25 in Indonesian
    but 1250 in English, and a writer of Indonesian rarely gives three decimals.

    >>> is_ambiguous("1,250"), is_ambiguous("21,54"), is_ambiguous("1.250"), is_ambiguous("1.250,500")
    (True, False, False, False)
    """
    if _GROUPED.fullmatch(text):
        return False
    whole, _, fraction = text.partition(",")
    return len(fraction) == 3 and len(whole) <= 3


def spelled_value(words: list[str]) -> int | None:
    """Return the value of a spelled-out number (lower-case words), or None if the words do
    not make one number.

    >>> spelled_value("dua ratus lima puluh".split()), spelled_value(["sebelas"])
    (250, 11)
    >>> spelled_value("dua ribu lima ratus".split()), spelled_value("tiga belas".split())
    (2500, 13)
    >>> spelled_value("seratus dua puluh tiga ribu".split()), spelled_value("satu juta".split())
    (123000, 1000000)
    >>> spelled_value("dua tiga".split()) is None, spelled_value("puluh".split()) is None
    (True, True)
    """
    total = 0
    group = 0
    pending: int | None = None
    last_scale = 99
    for word in words:
        if word in DIGITS:
            if pending is not None:
                return None
            pending = DIGITS[word]
        elif word in WHOLE:
            if pending is not None:
                return None
            group += WHOLE[word]
        elif word in ("belas", "puluh", "ratus"):
            if pending is None:
                return None
            group += pending * {"belas": 1, "puluh": 10, "ratus": 100}[word] + (
                10 if word == "belas" else 0
            )
            pending = None
        elif word in SE_SCALES:
            if pending is not None or group or SE_SCALES[word] >= last_scale:
                return None
            total += 10 ** SE_SCALES[word]
            last_scale = SE_SCALES[word]
        else:
            power = SCALES[word]
            amount = group + (pending or 0)
            if amount == 0 or power >= last_scale:
                return None
            total += amount * 10**power
            last_scale = power
            group = 0
            pending = None
    total += group + (pending or 0)
    return total or None
