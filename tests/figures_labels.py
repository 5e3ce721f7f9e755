"""The labelled set of Indonesian figures (``fixtures/figures/sentences.tsv``) and how a reader
is scored on it; shared by ``test_figures_reader.py`` and ``bench.figures``.

Import it as ``from figures_labels import ...`` in tests (pytest puts ``tests/`` on the path)
and as ``from tests.figures_labels import ...`` from the project's root.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "fixtures" / "figures" / "sentences.tsv"
_MARK = re.compile(
    r"\[\[([^|\]]+)\|([^|\]]+)\|([^|\]]+)(?:\|([^|\]]+))?\]\]|\{\{([^|}]+)\|([^|}]+)\}\}"
)


@dataclass(frozen=True)
class Label:
    """A labelled figure: its words, where they are in the plain sentence, value and unit."""

    exact: str
    start: int
    end: int
    value: Decimal
    unit: str
    #: What the words before it say of the amount (``About``, ``MoreThan``...), or None.
    qualifier: str | None = None


@dataclass(frozen=True)
class Distractor:
    """A number that is not a figure, with its kind (year, regulation, phone...)."""

    text: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence: the plain text, its figures and its distractors."""

    id: str
    text: str
    figures: tuple[Label, ...]
    distractors: tuple[Distractor, ...]


def parse_line(line: str) -> Sentence:
    """Parse one ``id<TAB>marked sentence`` line.

    >>> s = parse_line("x\\tAda [[871 UMKM|871|NUM]] sejak {{2014|year}}.")
    >>> s.text, s.figures[0].start, s.figures[0].end, s.distractors[0].text
    ('Ada 871 UMKM sejak 2014.', 4, 12, '2014')
    >>> parse_line("x\\tsekitar [[5 unit|5|NUM|About]]").figures[0].qualifier
    'About'

    """
    ident, marked = line.rstrip("\n").split("\t")
    plain: list[str] = []
    figures: list[Label] = []
    distractors: list[Distractor] = []
    length = 0
    last = 0
    for match in _MARK.finditer(marked):
        plain.append(marked[last : match.start()])
        length += match.start() - last
        last = match.end()
        words = match[1] or match[5]
        if match[1]:
            figures.append(
                Label(words, length, length + len(words), Decimal(match[2]), match[3], match[4])
            )
        else:
            distractors.append(Distractor(words, length, length + len(words), match[6]))
        plain.append(words)
        length += len(words)
    plain.append(marked[last:])
    text = "".join(plain)
    if "[[" in text or "{{" in text or "]]" in text or "}}" in text:
        raise ValueError(f"{ident}: markup left in the sentence: {text!r}")
    return Sentence(ident, text, tuple(figures), tuple(distractors))


def load_sentences(path: Path = LABELS) -> list[Sentence]:
    """Return the labelled sentences of a file (lines starting with ``#`` are comments)."""
    with path.open(encoding="utf-8") as lines:
        return [parse_line(line) for line in lines if line.strip() and not line.startswith("#")]


#: What a reader returns for a text: (start, end, value, unit key) of each figure.
Found = tuple[int, int, Decimal, str]


@dataclass
class Score:
    """How a reader did on the labelled set."""

    labelled: int = 0
    predicted: int = 0
    hits: int = 0
    lenient_hits: int = 0
    distractors: int = 0
    distractors_taken: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.labelled if self.labelled else 0.0

    @property
    def lenient_precision(self) -> float:
        return self.lenient_hits / self.predicted if self.predicted else 0.0

    @property
    def lenient_recall(self) -> float:
        return self.lenient_hits / self.labelled if self.labelled else 0.0

    @property
    def false_rate(self) -> float:
        return self.distractors_taken / self.distractors if self.distractors else 0.0


def score(sentences: Iterable[Sentence], read: Callable[[str], Iterable[Found]]) -> Score:
    """Score a reader: a hit is the exact words at the same place, the same value and unit; a
    lenient hit only needs the spans to overlap (for readers that cut words differently)."""
    result = Score()
    for sentence in sentences:
        found = list(read(sentence.text))
        result.labelled += len(sentence.figures)
        result.predicted += len(found)
        result.distractors += len(sentence.distractors)
        gold = {(f.start, f.end, f.value, f.unit) for f in sentence.figures}
        for start, end, value, unit in found:
            if (start, end, value, unit) in gold:
                result.hits += 1
            else:
                words = sentence.text[start:end]
                result.false.append(f"{sentence.id}: {words!r} = {value} {unit}")
            if any(
                f.value == value and f.unit == unit and start < f.end and f.start < end
                for f in sentence.figures
            ):
                result.lenient_hits += 1
        taken = {(start, end, value, unit) for start, end, value, unit in found}
        for figure in sentence.figures:
            if (figure.start, figure.end, figure.value, figure.unit) not in taken:
                result.misses.append(
                    f"{sentence.id}: {figure.exact!r} = {figure.value} {figure.unit}"
                )
        for distractor in sentence.distractors:
            if any(start < distractor.end and distractor.start < end for start, end, _, _ in found):
                result.distractors_taken += 1
    return result
