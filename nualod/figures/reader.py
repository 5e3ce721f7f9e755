"""Read the figures an Indonesian text states: amounts with their unit or counted noun, the
rate ("per bulan") and the period ("pada Januari–Juli 2020") stated with them, and where in
the text each one is written.

Precision comes first: a number is a figure only when a unit, a currency, a percent sign or
a listed counted noun goes with it, and numbers that name rather than count are left out:
years, dates, regulation numbers ("Nomor 17 Tahun 2021"), RT/RW, street, house and
telephone numbers, indicator, theme and SDG codes ("indikator 47", "SDG 4.4.1"), names
("Covid-19", "Kota Seribu Taman"), ordinals ("ke-3"), times ("pukul 08.00"), ranges
("10–15 ton") and vague amounts ("ratusan warga").

Offsets are Unicode code points (Python string indices), as the W3C Web Annotation
TextPositionSelector counts them; JavaScript strings count UTF-16 code units, which differ
after any character outside the Basic Multilingual Plane.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import MAX_PREC, Context, Decimal
from importlib.resources import files
from typing import Final

from nualod.figures.numbers import (
    DIGITS,
    FIRST_WORDS,
    NUMBER_WORDS,
    SCALES,
    WHOLE,
    digits_value,
    is_ambiguous,
    spelled_value,
)
from nualod.figures.units import COUNT, CURRENCIES, units


def _word_list(name: str) -> list[str]:
    """Return the entries of a shipped word list (one a line, ``#`` starts a comment line)."""
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@dataclass(frozen=True, slots=True)
class Period:
    """A period stated with a figure: its words, where they are, and their normal form.

    ``value`` is an ISO 8601 duration for a rate ("per bulan" is ``P1M``) and an ISO 8601
    date or interval for a period ("pada Januari–Juli 2020" is ``2020-01/2020-07``).
    """

    text: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a text.

    ``exact`` is the words as written (``text[start:end]``): the amount with its currency,
    scale word, unit or counted noun. ``value`` is the amount in ``unit`` (a key of the unit
    vocabulary, :func:`nualod.figures.units.units`): "US$21,54 juta" is 21540000 USD,
    "60%" is 60 PERCENT, "871 UMKM" is 871 NUM counting "UMKM".
    """

    exact: str
    start: int
    end: int
    value: Decimal
    unit: str
    counted: str | None = None
    per: Period | None = None
    period: Period | None = None
    #: What the words right before it say of the amount (:data:`QUALIFIERS`): "sekitar 200
    #: ribu tenaga kerja" is about 200000, "lebih dari 2000 rumah tangga" more than 2000.
    qualifier: str | None = None


#: Words before a figure that say it is not the amount itself, by what they say: the local
#: names of the vocabulary's ``nua:Qualifier`` individuals. Words that state the amount
#: ("sebanyak", "mencapai") are not here, nor those that may mean "until" ("hingga",
#: "sampai"): precision first. Longest first, so "kurang lebih" is not "lebih", and "tidak
#: kurang dari" (no fewer than) not "kurang dari".
QUALIFIERS: Final = {
    "tidak kurang dari": "AtLeast",
    "tak kurang dari": "AtLeast",
    "bukan kurang dari": "AtLeast",
    "tidak lebih dari": "AtMost",
    "tak lebih dari": "AtMost",
    "bukan lebih dari": "AtMost",
    "tidak sampai": "LessThan",
    "tak sampai": "LessThan",
    "kurang lebih": "About",
    "lebih kurang": "About",
    "kira-kira": "About",
    "sekitar": "About",
    "±": "About",
    "lebih dari": "MoreThan",
    "di atas": "MoreThan",
    "kurang dari": "LessThan",
    "di bawah": "LessThan",
    "paling sedikit": "AtLeast",
    "sekurang-kurangnya": "AtLeast",
    "setidaknya": "AtLeast",
    "sedikitnya": "AtLeast",
    "minimal": "AtLeast",
    "paling banyak": "AtMost",
    "sebanyak-banyaknya": "AtMost",
    "maksimal": "AtMost",
    "hampir": "Almost",
}
#: The qualifiers' names, in the order the vocabulary gives them.
QUALIFIER_NAMES: Final = tuple(dict.fromkeys(QUALIFIERS.values()))
_QUALIFIER_WORDS: Final = tuple(sorted(QUALIFIERS, key=len, reverse=True))
#: Between a qualifier's words, any white space: a line break of the page or a run of spaces.
_SPACES: Final = r"\s+"
#: One group a qualifier: a letter that Python's matching ignores the case of and whose lower
#: case is another ("İ", "ſ") found the words without naming a key of QUALIFIERS.
_QUALIFIER_BEFORE: Final = re.compile(
    r"(?i)(?<![\w-])(?:"
    + "|".join(
        f"(?P<q{index}>{_SPACES.join(map(re.escape, words.split()))})"
        for index, words in enumerate(_QUALIFIER_WORDS)
    )
    + r")\s*\Z"
)
#: Words that qualify an amount only as a level ("di atas 80%"), not a place ("di atas 1.000
#: m2 lahan", on top of): not before an area or a length.
_LEVEL_WORDS: Final = frozenset(("di atas", "di bawah"))
_PLACE_UNITS: Final = frozenset(("M", "KiloM", "HA", "M2", "KiloM2"))
#: "di sekitar": around a place ("di sekitar 12 kelurahan"), not about an amount.
_AROUND_A_PLACE: Final = re.compile(r"(?i)(?<![\w-])di\s+\Z")


#: "sebanyak" states an amount, as a qualifier's words say one is near: neither a year follows.
_STATED_AMOUNT: Final = re.compile(r"(?i)(?<![\w-])sebanyak\s+\Z")


def _after_amount_words(text: str, start: int) -> bool:
    """Tell whether words that only an amount follows come right before ``start``: "lebih
    dari 2000 rumah tangga" is a count, not a year.

    >>> _after_amount_words("lebih dari ", 11), _after_amount_words("sejak ", 6)
    (True, False)
    """
    return _qualifier_words(text, start) is not None or bool(
        _STATED_AMOUNT.search(text, max(0, start - 16), start)
    )


#: What comes before a qualifier's first word, up to a sign that ends a word: not a letter,
#: digit, "_" or "-" ("terlebih dari", "x-sekitar" are none), nor "±" ("(sekitar", "x,sekitar").
_NOT_A_WORD: Final = re.compile(r"^[^ ]*[^\w±\s-]")
#: The words a qualifier ends with.
_LAST_WORDS: Final = frozenset(words.split()[-1] for words in QUALIFIERS)
#: A qualifier has at most this many words.
_MOST_WORDS: Final = max(len(words.split()) for words in QUALIFIERS)


def _qualifier_words(text: str, start: int) -> tuple[str, bool] | None:
    """Return the qualifier's words right before ``start`` (a key of :data:`QUALIFIERS`) and
    whether "di" comes right before them; None when there are none.

    Most texts are ASCII: their last few words are looked up in :data:`QUALIFIERS` (a figure
    took 4.6 µs with the regular expression alone). Others are read by it, whose matching
    ignores case as Python does ("SEKİTAR", "ſekitar"), and which takes any white space.

    >>> _qualifier_words("warga di sekitar ", 17), _qualifier_words("terlebih dari ", 14)
    (('sekitar', True), None)
    """
    window = text[max(0, start - 40) : start]
    if window.isascii():
        if not window or not (window[-1].isspace() or window[-1] == "±"):
            return None
        # The qualifier's words and the one before them, from the right: the rest is one.
        tokens = window.rsplit(None, _MOST_WORDS + 1)
        last = tokens[-1].lower()
        if last.isalpha() and last not in _LAST_WORDS:
            return None  # most figures: the word before them ends no qualifier
        if len(tokens) > _MOST_WORDS + 1:
            tokens = tokens[1:]  # the rest, before the words looked at
        elif start > 40 and not window[0].isspace() and not text[start - 41].isspace():
            tokens = tokens[1:]  # the window began inside a word
        low = [token.lower() for token in tokens]
        for count in range(min(_MOST_WORDS, len(low)), 0, -1):
            words = " ".join(low[-count:])
            if words not in QUALIFIERS and not low[-count].isalpha():
                words = _NOT_A_WORD.sub("", words)  # "(sekitar", "x,lebih dari"
            if words in QUALIFIERS:
                before = low[-count - 1] if len(low) > count else ""
                return words, before == "di" or _NOT_A_WORD.sub("", before) == "di"
        return None
    found = _QUALIFIER_BEFORE.search(text, max(0, start - 40), start)
    if found is None or found.lastgroup is None:
        return None
    words = _QUALIFIER_WORDS[int(found.lastgroup[1:])]
    return words, bool(_AROUND_A_PLACE.search(text, max(0, found.start() - 8), found.start()))


def _qualifier_before(text: str, start: int, unit: str = "") -> str | None:
    """Return what the words right before an amount at ``start`` (in ``unit``) say of it.

    >>> _qualifier_before("menyerap sekitar ", 17), _qualifier_before("Lebih dari ", 11)
    ('About', 'MoreThan')
    >>> _qualifier_before("kurang lebih ", 13), _qualifier_before("± ", 2)
    ('About', 'About')
    >>> _qualifier_before("sebanyak ", 9), _qualifier_before("terlebih dari ", 14)
    (None, None)
    >>> _qualifier_before("tidak kurang dari ", 18), _qualifier_before("SEKİTAR ", 8)
    ('AtLeast', 'About')
    >>> _qualifier_before("warga di sekitar ", 17), _qualifier_before("di atas ", 8, "M2")
    (None, None)
    """
    found = _qualifier_words(text, start)
    if found is None:
        return None
    words, after_di = found
    if words in _LEVEL_WORDS and unit in _PLACE_UNITS:
        return None
    if words == "sekitar" and after_di:
        return None  # "di sekitar 12 kelurahan": around a place
    return QUALIFIERS[words]


#: What the texts count ("871 UMKM", "350 warga", "60 unit"), longest first.
COUNTED_NOUNS: Final = tuple(sorted(_word_list("counted_nouns.txt"), key=len, reverse=True))
#: What a weight or volume is of ("2 ton sampah per hari"), longest first: a rate written right
#: after one is the amount's.
MATERIALS: Final = tuple(sorted(_word_list("materials.txt"), key=len, reverse=True))
_MATERIALS_BY_WORD: Final[dict[str, tuple[str, ...]]] = {
    first: tuple(m for m in MATERIALS if m.split()[0] == first)
    for first in {material.split()[0] for material in MATERIALS}
}
_LOWER_WORD: Final = re.compile("[a-z]+")
#: The units a rate may follow across a material, or after "/" ("5 ton/hari"): weights and
#: volumes. Not lengths, whose "/jam" is a speed ("80 km/jam"), nor percentages.
_AMOUNTS: Final = frozenset(("TONNE", "KiloGM", "L", "M3"))
#: Indonesian agent nouns ("pe-" words: pembatik, pengusaha, penenun) count people too.
_AGENT_NOUN: Final = re.compile(r"pe(?:m|n|ng|ny|r|l)?[a-z]{3,}\b(?!-)")
_NOT_AGENT_NOUNS: Final = frozenset(
    ("pertama", "perlu", "pernah", "penuh", "pesat", "perlahan", "persen", "pekan", "periode")
)
#: Words after which a number names something instead of counting it ("Nomor 17", "RT 05",
#: "indikator 47", "pukul 08"): compared lower-case, without a final dot.
NAMING_WORDS: Final = frozenset(_word_list("naming_words.txt"))
MONTHS: Final = (
    "januari", "februari", "maret", "april", "mei", "juni",
    "juli", "agustus", "september", "oktober", "november", "desember",
)  # fmt: skip
_PER_UNITS: Final = {
    "jam": "PT1H",
    "hari": "P1D",
    "minggu": "P1W",
    "pekan": "P1W",
    "bulan": "P1M",
    "triwulan": "P3M",
    "semester": "P6M",
    "tahun": "P1Y",
}
_PER_WORDS: Final = {"sehari": "P1D", "seminggu": "P1W", "sebulan": "P1M", "setahun": "P1Y"}
_CURRENCY_PREFIXES: Final = {
    "Rp": "IDR",
    "Rp.": "IDR",
    "IDR": "IDR",
    "US$": "USD",
    "US $": "USD",
    "USD": "USD",
    "€": "EUR",
}
_SPACE: Final = "[ \u00a0]"
_MONTH: Final = (
    "(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember)"
)
_YEAR: Final = r"(?:19|20)\d\d"
_TO: Final = r"\s*(?:–|—|-|hingga|sampai(?:\s+dengan)?|s\.d\.?|s/d)\s*"

#: Digits as Indonesian groups them ("1.250", "21,54"); what comes before is checked apart,
#: a leading look-behind would keep the engine from skipping to the next digit quickly.
_DIGITS: Final = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
#: Digits and the separators between them.
_DIGIT_RUN: Final = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
#: A currency written before an amount.
_CURRENCY_BEFORE: Final = re.compile(r"(?:Rp\.?|IDR|US ?\$|USD|€)[ \u00a0]?$")
#: Characters an amount does not follow: it would be inside a word, a code ("4.4.1"), a
#: phone number or a name ("Covid-19"), or an exponent ("10^9 ton" is no 9 tonnes).
_NOT_AFTER: Final = frozenset("_$€.,:/#+-–^")
#: A spelled-out number ("dua ratus lima puluh").
_WORDS: Final = re.compile(
    r"(?:"
    + "|".join(FIRST_WORDS)
    + r")(?:\s+(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"))*\b(?!-)",
    re.IGNORECASE,
)
#: A number repeated in brackets after another, as official writing does ("5 (lima) unit",
#: "lima (5) unit"): the unit or noun is looked for after it.
_REPEATED: Final = re.compile(
    _SPACE + r"?\((\d{1,3}(?:\.\d{3})+|\d+|" + _WORDS.pattern + r")\)", re.IGNORECASE
)
#: What may stand between a figure and a repetition of it in words or digits that is no figure
#: of its own: "Rp 5.000.000,- (lima juta rupiah)".
_BEFORE_REPETITION: Final = re.compile(r"(?:,-)?" + _SPACE + r"?\(")
_SCALE_WORDS: Final = "|".join(sorted(SCALES, key=len, reverse=True))
#: A scale word after an amount, in any case ("2,5 miliar", "3 Juta").
_SCALE: Final = re.compile(_SPACE + r"?(" + _SCALE_WORDS + r")\b(?!-)", re.IGNORECASE)
#: "M" or "T" alone after an amount, not a word's first letter ("T-shirt", "M-banking").
_SCALE_LETTER: Final = r"([MT])\b(?![-.]?\w)"
#: Miliar and triliun as the news abbreviates them after rupiah ("Rp 2,5 M", "Rp 1 T");
#: after dollars "M" may be the English million.
_RUPIAH_SCALE: Final = re.compile(_SPACE + r"?" + _SCALE_LETTER)
_RUPIAH_SCALES: Final = {"M": 9, "T": 12}
#: After money, a scale the reader does not read ("40 ribuan", "3 million", "US$ 1,5 M"): the
#: amount without it would be a million times too small.
_OTHER_SCALE: Final = re.compile(
    _SPACE + r"?(?:" + _SCALE_WORDS + r"|million|billion|mio|" + _SCALE_LETTER + ")",
    re.IGNORECASE,
)
_AFTER_DIGITS_BAD: Final = re.compile(r"[.:/\-–—]\d|-\w|\w")
_REGULATION: Final = re.compile(r"\s+[Tt]ahun\s+" + _YEAR + r"\b")
_RANGE_AFTER: Final = re.compile(_TO + r"(?:Rp\.?|US ?\$)?" + _SPACE + r"?(?!" + _YEAR + r"\b)\d")
_RANGE_BEFORE: Final = re.compile(
    r"(?:\d[\d.,]*(?:" + _SPACE + r"?(?:%|\w+))?" + _TO + r"(?:Rp\.?|US ?\$)?" + _SPACE + r"?"
    r"|\bantara\s+(?:Rp\.?|US ?\$)?" + _SPACE + r"?"
    r"|\bantara\s+\S+(?:\s+\S+){0,2}\s+dan\s+(?:Rp\.?|US ?\$)?" + _SPACE + r"?)$"
)
#: A number and "dari" before a count: "3 dari 4 anak" is three in four children, a
#: proportion, and "4 anak" no count ("70 persen dari 1.500 responden" is two figures).
_PROPORTION_BEFORE: Final = re.compile(
    r"(?:\d|\b(?:" + "|".join((*DIGITS, *WHOLE, "belas", "puluh")) + r"))\s+dari\s+$",
    re.IGNORECASE,
)
#: A year before "dari" ("pada 2022 dari 500 warga"): a moment, not the part of a proportion.
_YEAR_BEFORE_DARI: Final = re.compile(r"(?<![\d.,])" + _YEAR + r"\s+dari\s+$")
#: What makes "per hari" or "per bulan" a moment, not a rate: "per hari ini" (as of today),
#: "per bulan Juni 2023" (as of June), "setiap hari Minggu" (every Sunday, not every day); not
#: "itu", which may be the "that" of what follows ("Rp 50.000 per hari itu cukup").
_MOMENT_AFTER: Final = (
    r"(?!"
    + _SPACE
    + r"+(?:ini|Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad|"
    + _MONTH
    + "|"
    + _YEAR
    + r")\b)"
)
_PER: Final = re.compile(
    _SPACE
    + r"*(?:(?:per|setiap|tiap)"
    + _SPACE
    + r"+|/)("
    + "|".join(_PER_UNITS)
    + r")\b"
    + _MOMENT_AFTER
    + r"|"
    + _SPACE
    + r"+("
    + "|".join(_PER_WORDS)
    + r")\b"
    + _MOMENT_AFTER
)
_PERIOD: Final = re.compile(
    (
        r"@S+(?:(?:pada|selama|sepanjang|per|dalam)@S+(?:(?:tahun|periode)@S+)?|tahun@S+)(?:"
        r"(?:(?P<d1>\d{1,2})@S+)?(?P<m1>@MONTH)(?:@S+(?P<y1>@YEAR))?@TO"
        r"(?:(?P<d2>\d{1,2})@S+)?(?P<m2>@MONTH)@S+(?P<y2>@YEAR)"
        r"|(?:(?P<d>\d{1,2})@S+)?(?P<m>@MONTH)@S+(?P<y>@YEAR)"
        r"|(?P<ya>@YEAR)@TO(?P<yb>@YEAR)"
        r"|(?P<year>@YEAR))\b(?![.,]\d)"
    )
    .replace("@MONTH", _MONTH)
    .replace("@YEAR", _YEAR)
    .replace("@TO", _TO)
    .replace("@S", _SPACE)
)
_SENTENCE_START: Final = re.compile(r"(?:^|[.!?:;\"“”(\n]\s*)$")


@dataclass(frozen=True, slots=True)
class _Form:
    text: str
    key: str
    counted: bool


def _forms_by_length() -> tuple[tuple[int, dict[str, _Form], dict[str, _Form]], ...]:
    """Return the units and counted nouns by length, longest first: for each length, the
    forms compared as written and the counted nouns compared in lower case."""
    forms = [
        _Form(form, unit.key, False)
        for unit in units().values()
        for form in unit.forms
        if unit.key not in CURRENCIES or form[0].islower() or form in ("USD", "EUR")
    ]
    forms += [_Form(noun, COUNT, True) for noun in COUNTED_NOUNS]
    lengths = sorted({len(form.text) for form in forms}, reverse=True)
    return tuple(
        (
            length,
            {f.text: f for f in forms if len(f.text) == length and not f.counted},
            {f.text: f for f in forms if len(f.text) == length and f.counted},
        )
        for length in lengths
    )


_FORMS: Final = _forms_by_length()


def _unit_at(text: str, position: int) -> tuple[_Form, int] | None:
    """Return the unit or counted noun written at ``position`` (after at most one space) and
    where it ends."""
    spaced = position < len(text) and text[position] in " \u00a0"
    start = position + 1 if spaced else position
    size = len(text)
    for length, measures, nouns in _FORMS:
        end = start + length
        if end > size:
            continue
        written = text[start:end]
        form = measures.get(written)
        if form is None:
            form = nouns.get(written)
            if form is None:
                form = nouns.get(written.lower())
                if form is None:
                    continue
                if written[0].isupper() and not written.isupper():
                    # "Gerakan 1000 Rumah Layak Huni": a name ("SEBANYAK 1.000 RUMAH", in
                    # capitals throughout, is none)
                    return None
        if end < size and (text[end].isalnum() or text[end] in "-\u00b2\u00b3"):
            continue  # part of a longer word ("hari" is not "ha"), or "warga-warga"
        if not spaced and (form.counted or length > 4):
            continue  # "5km", "60%", "10Mbps" are written so; "871UMKM" or "5hektare" not
        # "80 km/jam", "5 ton/ha", "5 kg/hari/orang": a unit the vocabulary does not have;
        # but after a weight or volume, "/" and a time is a rate ("5 ton/hari"), as after
        # money ("Rp 5.000/bulan").
        if not form.counted and _slash_word(text, end):
            rate = _PER.match(text, end) if form.key in _AMOUNTS else None
            if rate is None or _slash_word(text, rate.end()):
                return None
        return form, end
    if spaced:
        agent = _AGENT_NOUN.match(text, start)
        if agent and agent[0] not in _NOT_AGENT_NOUNS:
            return _Form(agent[0], COUNT, True), agent.end()
    return None


def _slash_word(text: str, position: int) -> bool:
    """Tell whether a "/" and a word are written at ``position`` ("/jam", not "/2")."""
    return text.startswith("/", position) and text[position + 1 : position + 2].isalpha()


def _word_before(text: str, position: int) -> str:
    """Return the word before ``position`` (lower-case, without a final dot or hyphen).

    >>> _word_before("UU No. 23", 7), _word_before("871", 0)
    ('no', '')
    """
    end = position
    while end > 0 and text[end - 1] in " \u00a0":
        end -= 1
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    return text[start:end].lower().rstrip(".-")


def _normal_date(day: str | None, month: str | None, year: str) -> str:
    value = year
    if month:
        value += f"-{MONTHS.index(month.lower()) + 1:02d}"
        if day:
            value += f"-{int(day):02d}"
    return value


def _period_at(text: str, position: int) -> Period | None:
    match = _PERIOD.match(text, position)
    if match is None:
        return None
    if match["m2"]:
        end_value = _normal_date(match["d2"], match["m2"], match["y2"])
        start_value = _normal_date(match["d1"], match["m1"], match["y1"] or match["y2"])
        value = f"{start_value}/{end_value}"
    elif match["m"]:
        value = _normal_date(match["d"], match["m"], match["y"])
    elif match["ya"]:
        value = f"{match['ya']}/{match['yb']}"
    else:
        value = match["year"]
    start = match.start() + len(match[0]) - len(match[0].lstrip(" \u00a0"))
    return Period(text[start : match.end()], start, match.end(), value)


def _per_at(text: str, position: int) -> Period | None:
    match = _PER.match(text, position)
    if match is None:
        return None
    value = _PER_UNITS[match[1]] if match[1] else _PER_WORDS[match[2]]
    start = match.start() + len(match[0]) - len(match[0].lstrip(" \u00a0"))
    return Period(text[start : match.end()], start, match.end(), value)


def _material_end(text: str, position: int) -> int:
    """Return where a listed material written at ``position`` (after one space) ends, or -1.

    >>> _material_end("2 ton air limbah per hari", 5), _material_end("2 ton air limbahan", 5)
    (16, 9)
    >>> _material_end("2 ton diangkut", 5), _material_end("2 ton", 5)
    (-1, -1)
    """
    if position >= len(text) or text[position] not in " \u00a0":
        return -1
    start = position + 1
    word = _LOWER_WORD.match(text, start)
    for material in _MATERIALS_BY_WORD.get(word[0], ()) if word else ():
        end = start + len(material)
        if text.startswith(material, start) and (
            end == len(text) or not (text[end].isalnum() or text[end] == "-")
        ):
            return end
    return -1


#: The number after a noun that may name one ("RT", "kelas"), and the word after that number.
_NUMBER_THEN_WORD: Final = re.compile(
    _SPACE + r"?\d+(?:" + _SPACE + r"+(\w+)(?:" + _SPACE + r"?(\d))?)?"
)


def _labels_the_number_after(text: str, end: int) -> bool:
    """Tell whether a counted noun that may also name ("RT", "RW", "kelas"), written before a
    number, names that number (an address) rather than counting.

    It names when the number ends the phrase or comes before a name or another label and
    its number ("Gang Mawar 5 RW 03", "Jalan Merdeka 17 RT 02 RW 05 Semarang"); it counts
    before a lower-case word or a last label with no number ("mencakup 3 RW 12 RT",
    "4 kelas 2 kali seminggu", "2 pos 24 jam").

    >>> _labels_the_number_after("17 RT 02 RW 05", 5), _labels_the_number_after("3 RW 12 RT", 4)
    (True, False)
    """
    after = _NUMBER_THEN_WORD.match(text, end)
    if after is None:
        return False
    word = after[1]
    if word is None or not word[0].isupper():
        return word is None
    if word.lower() in NAMING_WORDS:
        return after[2] is not None  # "RT 02 RW 05" names; "RW 12 RT" counts both
    return True  # "RW 05 Semarang"


def _amount_is_naming(text: str, start: int) -> bool:
    before = _word_before(text, start)
    return before in NAMING_WORDS or before.startswith("ke-")


#: The most figures read from one text: a page states tens. Each is a node of several
#: triples, validated and written four times: 20,000 took 15 s and 0.5 GB of a publish, and a
#: page of 13 MB ("5 orang, " again and again) more than two minutes and 6 GB.
MAX_FIGURES: Final = 1_000


def read_figures(text: str) -> tuple[Figure, ...]:
    """Return the figures a text states, in the order they are written: the first
    :data:`MAX_FIGURES` of them (:func:`read_figures_and_more` says if it states more).

    >>> for figure in read_figures("Ekspor mencapai US$21,54 juta pada Januari–Juli 2020."):
    ...     print(figure.exact, figure.value, figure.unit, figure.period.value)
    US$21,54 juta 21540000 USD 2020-01/2020-07
    >>> [(f.exact, f.value, f.unit, f.counted) for f in read_figures("871 UMKM, 60% di antaranya")]
    [('871 UMKM', Decimal('871'), 'NUM', 'UMKM'), ('60%', Decimal('60'), 'PERCENT', None)]
    >>> read_figures("Peraturan Wali Kota Nomor 17 Tahun 2021 tentang RT 05/RW 03 dan Covid-19")
    ()
    """
    return read_figures_and_more(text)[0]


def read_figures_and_more(text: str) -> tuple[tuple[Figure, ...], bool]:
    """Return the first :data:`MAX_FIGURES` figures a text states (:func:`read_figures`), and
    whether it states more. One figure past them is read to know, not the rest (a page of
    13 MB states a million).

    >>> figures, more = read_figures_and_more("5 orang, " * 1_001)
    >>> len(figures), more
    (1000, True)
    >>> len(read_figures_and_more("5 orang, " * 1_000)[0]), read_figures_and_more("5 orang, ")[1]
    (1000, False)
    """
    # Read to one past the cap: the first MAX_FIGURES in the order of the text are the same
    # (every figure before the last one read is read), and one more says the text has more.
    cap = MAX_FIGURES + 1
    figures: list[Figure] = []
    end = len(text)  # where the figures read end: past the first ``cap``, none is read
    for match in _numbers(text):
        if len(figures) == cap:
            end = figures[-1].start
            break
        start = match.start()
        currency = None
        written = _CURRENCY_BEFORE.search(text, max(0, start - 5), start)
        if written and _free_before(text, written.start()):
            currency = _CURRENCY_PREFIXES[written[0].rstrip(" \u00a0")]
            start = written.start()
        elif not _free_before(text, start):
            continue
        figure = _figure(text, start, match.end(), currency, match[0], None)
        if figure is not None:
            figures.append(figure)
    # Spelled-out numbers: found with str.find, at C speed, and read only where one starts.
    lowered = text.lower()
    starts = set()
    for word in FIRST_WORDS:
        at = lowered.find(word)
        while at >= 0:
            if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "_-"):
                starts.add(at)
            at = lowered.find(word, at + 1)
    if starts:
        covered = 0
        spelled_figures = 0
        for at in sorted(starts):
            if at > end or spelled_figures == cap:
                break
            spelled = None if at < covered else _WORDS.match(text, at)
            if spelled is not None:
                covered = spelled.end()
                figure = _figure(text, at, spelled.end(), None, None, spelled[0])
                if figure is not None:
                    figures.append(figure)
                    spelled_figures += 1
        figures.sort(key=lambda figure: figure.start)
    figures = [
        figure
        for before, figure in zip([None, *figures], figures, strict=False)
        if before is None or not _repeats(text, before, figure)
    ]
    return tuple(figures[:MAX_FIGURES]), len(figures) > MAX_FIGURES


def _repeated_value(number: str) -> Decimal | None:
    """Return the value of a number repeated in brackets: digits or words.

    >>> _repeated_value("1.200"), _repeated_value("seribu dua ratus"), _repeated_value("dua tiga")
    (Decimal('1200'), Decimal('1200'), None)
    """
    if number[0].isdigit():
        return digits_value(number)
    spelled = spelled_value(number.lower().split())
    return None if spelled is None else Decimal(spelled)


def _repeats(text: str, before: Figure, figure: Figure) -> bool:
    """Tell whether a figure repeats the one before it in brackets ("Rp 5.000.000,- (lima juta
    rupiah)"): the same amount in the same unit, nothing but ``,-`` and ``(`` between."""
    return (
        figure.value == before.value
        and figure.unit == before.unit
        and _BEFORE_REPETITION.fullmatch(text, before.end, figure.start) is not None
    )


def _numbers(text: str) -> Iterator[re.Match[str]]:
    """Yield the numbers of a text written as Indonesian groups digits ("1.250", "21,54").

    The digits are found with ``str.find`` (memchr, at C speed: most of a text has none), not
    by a regular expression trying every position. A run of digits and separators that is no
    such number ("4.4.1", "08.00", "2.5") is no amount at all.
    """
    next_at = {digit: text.find(digit) for digit in "0123456789"}
    position = 0
    while True:
        found = [at for at in next_at.values() if at >= 0]
        if not found:
            return
        at = min(found)
        run = _DIGIT_RUN.match(text, at)
        assert run is not None  # a digit starts it
        position = run.end()
        for digit, seen in next_at.items():
            if 0 <= seen < position:
                next_at[digit] = text.find(digit, position)
        match = _DIGITS.fullmatch(text, at, position)
        if match is not None:
            yield match


def _free_before(text: str, start: int) -> bool:
    """Tell whether an amount may start at ``start``: not inside a word, code or name."""
    if start == 0:
        return True
    before = text[start - 1]
    return not before.isalnum() and before not in _NOT_AFTER


def _figure(
    text: str, start: int, end: int, currency: str | None, digits: str | None, words: str | None
) -> Figure | None:
    if digits is not None:
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ",":
            return None  # "RT 05", "0812-…": labels and phone numbers
        if (
            currency is None
            and len(digits) == 4
            and digits[:2] in ("19", "20")
            and not _after_amount_words(text, start)
        ):
            # A year, even before a noun ("2020 warga" is too likely a year), unless a word
            # that only a quantity follows says otherwise ("lebih dari 2000 rumah tangga").
            return None
    if _amount_is_naming(text, start):
        return None
    if digits is not None:
        if _REGULATION.match(text, end):
            return None
        value = digits_value(digits)
        scale = _SCALE.match(text, end)
        rupiah_scale = None if scale or currency != "IDR" else _RUPIAH_SCALE.match(text, end)
        if scale:
            value = value.scaleb(SCALES[scale[1].lower()], context=_EXACT)
            end = scale.end()
        elif rupiah_scale:
            if value >= 1000:
                # "Rp 500.000 M. Yusuf": a name's initial, or a sum of 10^14 rupiah; which
                # of the two is not for the reader to guess (the news writes "Rp 1,5 T").
                return None
            value = value.scaleb(_RUPIAH_SCALES[rupiah_scale[1]], context=_EXACT)
            end = rupiah_scale.end()
        elif (
            (currency is not None and _OTHER_SCALE.match(text, end))
            or is_ambiguous(digits)
            or (_AFTER_DIGITS_BAD.match(text, end) and not _unit_at(text, end))
        ):
            return None
    else:
        assert words is not None
        if words[0].isupper() and not _SENTENCE_START.search(text[max(0, start - 3) : start]):
            return None  # "Kota Seribu Taman": a name
        if _word_before(text, start) == "salah":
            return None  # "salah satu": one of
        number = spelled_value(words.lower().split())
        if number is None:
            return None
        value = Decimal(number)
    before = text[max(0, start - 40) : start]
    if _RANGE_BEFORE.search(before) or (
        "dari" in before[-12:]
        and _PROPORTION_BEFORE.search(before)
        and not _YEAR_BEFORE_DARI.search(before)
    ):
        return None
    unit: str
    counted: str | None = None
    if currency is None:
        repeated = _REPEATED.match(text, end) if "(" in text[end : end + 2] else None
        if repeated and _repeated_value(repeated[1]) == value:
            end = repeated.end()
        found = _unit_at(text, end)
        if found is None:
            return None
        form, end = found
        unit = form.key
        if form.counted:
            if value != value.to_integral_value():
                return None  # "2,5 warga" is not a count
            counted = text[end - len(form.text) : end]
            if counted.lower() in NAMING_WORDS and _labels_the_number_after(text, end):
                return None  # "Jalan Merdeka 17 RT 02": a house number, then RT 02 named
    else:
        unit = currency
    if _RANGE_AFTER.match(text, end):
        return None
    per = _per_at(text, end)
    if per is None and unit in _AMOUNTS:
        material = _material_end(text, end)  # "2 ton sampah per hari": 2 tonnes a day
        if material >= 0:
            per = _per_at(text, material)
    period = _period_at(text, per.end if per else end)
    return Figure(
        exact=text[start:end],
        start=start,
        end=end,
        value=_normal(value),
        unit=unit,
        counted=counted,
        per=per,
        period=period,
        qualifier=_qualifier_before(text, start, unit),
    )


#: Exact decimal arithmetic: the default context keeps 28 digits, so that a longer amount
#: ("99999999999999999999999999999 orang", "Rp 1.000.000.000.000.000 triliun") was rounded,
#: or failed to lose its exponent (InvalidOperation) and stopped the publish.
_EXACT: Final = Context(prec=MAX_PREC)


def _normal(value: Decimal) -> Decimal:
    """Return a value without an exponent and without trailing zeros after the point, exact
    however many digits it has.

    >>> _normal(Decimal("21.54").scaleb(6)), _normal(Decimal("3500000.00")), _normal(Decimal("21.70"))
    (Decimal('21540000'), Decimal('3500000'), Decimal('21.7'))
    >>> _normal(Decimal("1" * 29 + "E+3")), _normal(Decimal("0." + "1" * 30 + "0"))
    (Decimal('11111111111111111111111111111000'), Decimal('0.111111111111111111111111111111'))
    """
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_EXACT)
    return value.normalize(context=_EXACT)


def decimal_text(value: Decimal) -> str:
    """Return a value as ``xsd:decimal`` writes it (no exponent).

    >>> decimal_text(Decimal("2.154E+7")), decimal_text(Decimal("21.7"))
    ('21540000', '21.7')
    """
    return format(_normal(value), "f")
