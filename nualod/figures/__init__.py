"""Figures stated in Indonesian texts: numbers with their units, counted nouns and periods.

Pure Python, no dependency: :func:`read_figures` reads a text, :func:`figure_rows` gives
the figures of a practice's fields as plain rows (for tables: the website, CSV and JSON).

>>> [figure.exact for figure in read_figures("sekitar 200 ribu tenaga kerja, 60% di antaranya")]
['200 ribu tenaga kerja', '60%']
"""

from nualod.figures.reader import (
    MAX_FIGURES,
    QUALIFIER_NAMES,
    QUALIFIERS,
    Figure,
    Period,
    decimal_text,
    read_figures,
    read_figures_and_more,
)
from nualod.figures.rows import CONTEXT, FigureRow, figure_fragment, figure_rows, sentence_around
from nualod.figures.units import Unit, unit_iri, units

__all__ = [
    "CONTEXT",
    "MAX_FIGURES",
    "QUALIFIERS",
    "QUALIFIER_NAMES",
    "Figure",
    "FigureRow",
    "Period",
    "Unit",
    "decimal_text",
    "figure_fragment",
    "figure_rows",
    "read_figures",
    "read_figures_and_more",
    "sentence_around",
    "unit_iri",
    "units",
]
