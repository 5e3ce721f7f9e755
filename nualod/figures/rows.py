"""The figures of a practice as plain rows, for tables: the website's practice page, CSV and
JSON. Each row carries what the linked data says of a figure, and its sentence, so that a
page can show the figure highlighted where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from nualod.figures.reader import decimal_text, read_figures
from nualod.figures.units import units

#: The fields figures are read from, in order: the practice's Ringkasan and Deskripsi.
FIELDS: Final = ("abstract", "description")
#: How many code points of text the quote selector keeps on either side of a figure.
CONTEXT: Final = 32
_SENTENCE_END: Final = re.compile(r"[.!?](?=\s)|\n")


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure of a practice, flat.

    ``fragment`` names the figure under the practice's IRI (``<practice>#fragment``);
    ``start``/``end`` are code points into the field's text; ``sentence_start`` and
    ``sentence_end`` are the figure's words within ``sentence``.
    """

    fragment: str
    field: str
    exact: str
    start: int
    end: int
    value: str
    unit: str
    unit_iri: str
    unit_label_id: str
    unit_label_en: str
    counted: str | None
    period: str | None
    per: str | None
    prefix: str
    suffix: str
    sentence: str
    sentence_start: int
    sentence_end: int
    #: What the words before it say of the amount (:data:`nualod.figures.QUALIFIERS`).
    qualifier: str | None = None


def figure_fragment(field: str, start: int) -> str:
    """Return the fragment a figure is named by under its practice's IRI: its field and the
    code point its words start at, so that it does not move when another figure is found.

    >>> figure_fragment("abstract", 138)
    'figure-abstract-138'
    """
    return f"figure-{field}-{start}"


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Return the sentence of ``text`` that holds ``text[start:end]``, and where those words
    are in it.

    >>> sentence_around("Ada 871 UMKM. Sekitar 200 ribu tenaga kerja, 60% di antaranya.", 45, 48)
    ('Sekitar 200 ribu tenaga kerja, 60% di antaranya.', 31, 34)
    """
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    finish = _SENTENCE_END.search(text, end)
    stop = finish.end() if finish else len(text)
    sentence = text[begin:stop]
    lead = len(sentence) - len(sentence.lstrip())
    sentence = sentence.strip()
    return sentence, start - begin - lead, end - begin - lead


def figure_rows(summary: str | None, description: str | None) -> list[FigureRow]:
    """Return the figures of a practice's Ringkasan (``summary``) and Deskripsi
    (``description``) as rows, in the order they are written.

    >>> row = figure_rows("Ada 871 UMKM dan 60% di antaranya rumahan.", None)[0]
    >>> row.fragment, row.value, row.unit, row.unit_label_en, row.counted
    ('figure-abstract-4', '871', 'NUM', 'number', 'UMKM')
    >>> row.sentence[row.sentence_start : row.sentence_end]
    '871 UMKM'
    """
    table = units()
    rows: list[FigureRow] = []
    for field, text in zip(FIELDS, (summary, description), strict=True):
        if not text:
            continue
        for figure in read_figures(text):
            unit = table[figure.unit]
            sentence, inner_start, inner_end = sentence_around(text, figure.start, figure.end)
            rows.append(
                FigureRow(
                    fragment=figure_fragment(field, figure.start),
                    field=field,
                    exact=figure.exact,
                    start=figure.start,
                    end=figure.end,
                    value=decimal_text(figure.value),
                    unit=figure.unit,
                    unit_iri=unit.iri,
                    unit_label_id=unit.label_id,
                    unit_label_en=unit.label_en,
                    counted=figure.counted,
                    period=figure.period.value if figure.period else None,
                    per=figure.per.value if figure.per else None,
                    prefix=text[max(0, figure.start - CONTEXT) : figure.start],
                    suffix=text[figure.end : figure.end + CONTEXT],
                    sentence=sentence,
                    sentence_start=inner_start,
                    sentence_end=inner_end,
                    qualifier=figure.qualifier,
                )
            )
    return rows
