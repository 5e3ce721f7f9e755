"""``alignments.sssom.tsv``: the curated alignments as an SSSOM mapping set (TSV).

SSSOM (Simple Standard for Sharing Ontological Mappings) is the table vocabulary curators
review mappings in: a YAML header (``#`` lines) with the mapping set's id, licence and curie
map, then one row per mapping with its predicate, SEMAPV justification, author, date,
confidence and comment (the justification, English then Indonesian). The same metadata
annotates each mapping triple in the RDF (:func:`nualod.map.graphs.alignment_groups`).
"""

from __future__ import annotations

from typing import Final

from nualod.link.reference import Alignment, load_alignments
from nualod.model.licence import LICENSE
from nualod.model.namespaces import INDICATOR_SCHEME, SDG, SKOS, THEME_SCHEME, UNESCO_THESAURUS

SSSOM_NAME: Final = "alignments.sssom.tsv"
SEMAPV: Final = "https://w3id.org/semapv/vocab/"
MAPPING_SET_ID: Final = "https://w3id.org/nualod/code/alignments.sssom.tsv"
#: Prefix -> namespace of every CURIE in the file (SSSOM's ``curie_map``).
CURIE_MAP: Final[dict[str, str]] = {
    "nuatheme": THEME_SCHEME + "/",
    "nuaindicator": INDICATOR_SCHEME + "/",
    "nualodagent": "https://w3id.org/nualod/id/agent/",
    "sdg": SDG,
    "unesco": UNESCO_THESAURUS,
    "skos": SKOS,
    "semapv": SEMAPV,
}
COLUMNS: Final = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "author_id", "author_label", "mapping_date", "confidence",
    "comment",
)  # fmt: skip
AUTHOR_LABEL: Final = "nualod maintainers"


def curie(iri: str) -> str:
    """Return an IRI as a CURIE of :data:`CURIE_MAP`.

    >>> curie("http://metadata.un.org/sdg/C040401")
    'sdg:C040401'
    """
    for prefix, namespace in CURIE_MAP.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    raise ValueError(f"alignments.csv: no prefix for {iri!r}")


def _cell(text: str) -> str:
    # A TSV cell holds no tab or line break; the curated texts have none (tested).
    return text.replace("\t", " ").replace("\n", " ")


def mapping_row(alignment: Alignment) -> tuple[str, ...]:
    """Return one alignment as an SSSOM row (:data:`COLUMNS`)."""
    return (
        curie(alignment.subject),
        alignment.subject_label,
        alignment.property,
        curie(alignment.object),
        alignment.object_label,
        alignment.mapping_justification,
        curie(alignment.author),
        AUTHOR_LABEL,
        alignment.mapping_date,
        alignment.confidence,
        f"{alignment.justification} | id: {alignment.justification_id}",
    )


def sssom_tsv() -> str:
    """Return the mapping set as SSSOM/TSV with its YAML header."""
    header = [
        f"# mapping_set_id: {MAPPING_SET_ID}",
        "# mapping_set_title: NUA themes and indicators aligned with SDG and UNESCO Thesaurus"
        " concepts",
        f"# license: {LICENSE}",
        "# creator_label:",
        f"#   - {AUTHOR_LABEL}",
        "# curie_map:",
        *(f"#   {prefix}: {namespace}" for prefix, namespace in CURIE_MAP.items()),
    ]
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(_cell(cell) for cell in mapping_row(a)) for a in load_alignments()]
    return "\n".join(header) + "\n" + "\n".join(lines) + "\n"
