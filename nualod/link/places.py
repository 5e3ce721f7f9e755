"""Resolve Indonesian place names ("Kota Pekalongan", "Kab. Pekalongan") to regions.

Names are matched without regard to case, punctuation or spacing, and with the usual
abbreviations ("Kab.", "Kota Adm.", "Kep.", "Prov.", "DKI", "DIY"). A bare name ("Bandung")
resolves when exactly one province, kabupaten or kota carries it; when several do
("Pekalongan": Kota 33.75 and Kabupaten 33.26) the name is reported as ambiguous, never
guessed. The index is built once from :func:`nualod.link.reference.load_regions`.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from nualod.errors import LinkError
from nualod.link.reference import load_regions
from nualod.model.records import Region

__all__ = ["display_name", "resolve_region"]

_KIND_WORDS: Mapping[str, str] = {
    "kota": "kota",
    "kotamadya": "kota",
    "kodya": "kota",
    "city": "kota",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "regency": "kabupaten",
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "prov": "provinsi",
    "province": "provinsi",
}
_KIND_ORDER: Mapping[str, int] = {"kota": 0, "kabupaten": 1, "provinsi": 2}
_KIND_TITLE: Mapping[str, str] = {"kota": "Kota", "kabupaten": "Kabupaten", "provinsi": "Provinsi"}
_ABBREVIATIONS: Mapping[str, str] = {"kep": "kepulauan"}
_SPECIAL_PROVINCE_PREFIXES: tuple[str, ...] = (
    "daerah khusus ibukota ",
    "daerah khusus ",
    "daerah istimewa ",
)
_PROVINCE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "31": ("dki jakarta", "daerah khusus jakarta", "dki"),
    "34": ("di yogyakarta", "diy", "daerah istimewa jogjakarta", "jogjakarta"),
}
_CODE = re.compile(r"\d{2}(?:\.\d{2})?")


def _tokens(text: str) -> list[str]:
    """Split a place name into lower-case words without punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return re.sub(r"[^\w']+|_", " ", text).split()


def _parse(text: str) -> tuple[str | None, str]:
    """Return the kind a name states (or ``None``) and the name without it.

    >>> _parse("Kota Adm. Jakarta  Selatan")
    ('kota', 'jakarta selatan')
    >>> _parse("KAB. KEP. SERIBU")
    ('kabupaten', 'kepulauan seribu')
    >>> _parse("Pekalongan Regency")
    ('kabupaten', 'pekalongan')
    >>> _parse("Pekalongan")
    (None, 'pekalongan')
    """
    words = _tokens(text)
    kind: str | None = None
    if len(words) > 1 and words[0] in _KIND_WORDS:
        kind = _KIND_WORDS[words.pop(0)]
        if kind == "kota" and words[:1] == ["madya"] and len(words) > 1:
            words.pop(0)
        if words[:1] == ["of"] and len(words) > 1:
            words.pop(0)
    elif len(words) > 1 and words[-1] in _KIND_WORDS:
        kind = _KIND_WORDS[words.pop()]
    if (
        kind in ("kota", "kabupaten")
        and words[:1] in (["administrasi"], ["adm"])
        and len(words) > 1
    ):
        words.pop(0)
    return kind, " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _compact(key: str) -> str:
    """Return a key without spaces and apostrophes ("Bau-Bau" and "Baubau" agree)."""
    return key.replace(" ", "").replace("'", "")


def display_name(region: Region) -> str:
    """Return the name people write for a region ("Kota Pekalongan", "Provinsi Aceh").

    >>> display_name(load_regions()["33.75"])
    'Kota Pekalongan'
    >>> display_name(load_regions()["11"])
    'Provinsi Aceh'
    >>> display_name(load_regions()["31"])
    'Daerah Khusus Ibukota Jakarta'
    """
    if region.kind == "provinsi" and not region.name.startswith("Daerah "):
        return f"Provinsi {region.name}"
    return region.name


def _region_keys(region: Region) -> list[tuple[str, str]]:
    """Return the (kind, name) keys under which a region is found."""
    if region.kind != "provinsi":
        kind, name = _parse(region.name)
        return [(kind or region.kind, name)]
    name = " ".join(_ABBREVIATIONS.get(w, w) for w in _tokens(region.name))
    names = [name]
    for prefix in _SPECIAL_PROVINCE_PREFIXES:
        if name.startswith(prefix):
            names.append(name[len(prefix) :])
            break
    names.extend(_PROVINCE_ALIASES.get(region.code, ()))
    return [("provinsi", n) for n in names]


@dataclass(frozen=True, slots=True)
class _Index:
    """Regions by (kind, name) and by bare name (also under the compact key), for lookups;
    by bare name only, for suggestions."""

    by_kind: Mapping[tuple[str, str], tuple[Region, ...]]
    bare: Mapping[str, tuple[Region, ...]]
    suggestions: Mapping[str, tuple[Region, ...]]


@functools.cache
def _index() -> _Index:
    """Build the name index once."""
    by_kind: defaultdict[tuple[str, str], list[Region]] = defaultdict(list)
    bare: defaultdict[str, list[Region]] = defaultdict(list)
    suggestions: defaultdict[str, list[Region]] = defaultdict(list)
    for region in load_regions().values():
        for kind, name in _region_keys(region):
            for key in {name, _compact(name)}:
                if region not in by_kind[(kind, key)]:
                    by_kind[(kind, key)].append(region)
                if region not in bare[key]:
                    bare[key].append(region)
            if region not in suggestions[name]:
                suggestions[name].append(region)
    return _Index(
        {k: tuple(v) for k, v in by_kind.items()},
        {k: tuple(v) for k, v in bare.items()},
        {k: tuple(v) for k, v in suggestions.items()},
    )


def _candidates(kind: str | None, name: str) -> tuple[Region, ...]:
    """Return the regions a parsed name may mean (exact key first, then compact key)."""
    index = _index()
    for key in (name, _compact(name)):
        found = index.by_kind.get((kind, key), ()) if kind else index.bare.get(key, ())
        if found:
            return found
    return ()


def _or_list(items: list[str]) -> str:
    """Join words as "a, b or c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


#: How alike two names must be, read either way, to be offered as "did you mean".
SUGGESTION_CUTOFF: Final = 0.7


def _alike(name: str, other: str) -> bool:
    """Return whether two names are alike enough to suggest one for the other.

    ``difflib``'s ratio depends on which name is read first ("salatiga" finds
    "atlantis" 0.62 alike, "atlantis" finds "salatiga" 0.38), so both readings must pass.

    >>> _alike("pekalongn", "pekalongan"), _alike("atlantis", "salatiga")
    (True, False)
    """
    return all(
        difflib.SequenceMatcher(None, a, b).ratio() >= SUGGESTION_CUTOFF
        for a, b in ((name, other), (other, name))
    )


#: Names people use that no spelling rule brings close to the official one: suggested as it.
SUGGESTED_FOR: Final = {
    "jogja": "yogyakarta",
    "yogya": "yogyakarta",
    "jogjakarta": "yogyakarta",
    "solo": "surakarta",
}


def _suggest(kind: str | None, name: str) -> list[Region]:
    """Return up to three regions whose names (without kind) are close to the given one.

    >>> [r.code for r in _suggest("kota", "jogja")], [r.code for r in _suggest("kota", "solo")]
    (['34.71', '34'], ['33.72'])
    """
    index = _index()
    out: list[Region] = []
    if name in SUGGESTED_FOR:
        close = [SUGGESTED_FOR[name]]
    else:
        close = difflib.get_close_matches(
            name, list(index.suggestions), n=10, cutoff=SUGGESTION_CUTOFF
        )
    for match in close:
        if not _alike(SUGGESTED_FOR.get(name, name), match):
            continue
        for region in index.suggestions[match]:
            if region not in out:
                out.append(region)
    # Regions of the kind the name states come first; the sort is stable.
    out.sort(key=lambda r: r.kind != kind)
    return out[:3]


def resolve_region(name: str, *, where: str = "<input>") -> Region:
    """Resolve a province, kabupaten or kota name (or a Kemendagri code) to its region.

    ``where`` names the input for the error message. Raise :class:`~nualod.errors.LinkError`
    (field ``city``) for an unknown name, with up to three close suggestions, and for a
    name that several regions share, naming every candidate and its code.

    >>> resolve_region("Kota Pekalongan").code
    '33.75'
    >>> resolve_region("KAB.  pekalongan").code
    '33.26'
    >>> resolve_region("Kota Adm. Jakarta Selatan").name
    'Kota Administrasi Jakarta Selatan'
    >>> resolve_region("DKI Jakarta").code
    '31'
    >>> resolve_region("Pekalongan", where="a.txt")
    Traceback (most recent call last):
    ...
    nualod.errors.LinkError: a.txt: city: ambiguous place 'Pekalongan': Kota Pekalongan (33.75) \
or Kabupaten Pekalongan (33.26); write 'Kota' or 'Kabupaten'
    >>> resolve_region("Kota Pekalongn")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nualod.errors.LinkError: <input>: city: unknown city or regency 'Kota Pekalongn'; did you \
mean Kota Pekalongan (33.75), Kabupaten Pekalongan (33.26)...?
    """
    shown = " ".join(name.split())
    if not shown:
        raise LinkError(where, "empty city or regency name", field="city")
    if _CODE.fullmatch(shown) and shown in load_regions():
        return load_regions()[shown]
    kind, bare = _parse(shown)
    found = _candidates(kind, bare) if bare else ()
    if not found and kind:
        # A kind word may belong to the name itself ("Lima Puluh Kota").
        found = _candidates(None, " ".join(_ABBREVIATIONS.get(w, w) for w in _tokens(shown)))
    if len(found) == 1:
        return found[0]
    if found:
        ordered = sorted(found, key=lambda r: (_KIND_ORDER[r.kind], r.code))
        listed = _or_list([f"{display_name(r)} ({r.code})" for r in ordered])
        kinds = list(dict.fromkeys(_KIND_TITLE[r.kind] for r in ordered))
        hint = (
            f"write {_or_list([repr(k) for k in kinds])}"
            if len(kinds) > 1
            else "write its Kemendagri code"
        )
        raise LinkError(where, f"ambiguous place '{shown}': {listed}; {hint}", field="city")
    close = _suggest(kind, bare)
    reason = f"unknown city or regency '{shown}'"
    if close:
        reason += f"; did you mean {_or_list([f'{display_name(r)} ({r.code})' for r in close])}?"
    raise LinkError(where, reason, field="city")
