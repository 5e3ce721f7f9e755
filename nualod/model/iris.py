"""Mint the HTTP IRIs of published things from stable facts, never from file names or counters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pyoxigraph import NamedNode

from nualod.errors import UsageError, option
from nualod.model.namespaces import DEFAULT_BASE
from nualod.model.records import Practice, Region


def practice_key(practice: Practice, region: Region) -> str:
    """Return the stable identifier of a practice: theme, indicator, region code and a hash.

    The hash is of what the page itself prints and a reader cannot get wrong: its title
    (the city line) and its source URLs, sorted. So a page saved to disk and the same page
    harvested from the web get the same identifier, reordering the sources changes nothing,
    and two practices of one city and indicator that cite the same source stay apart.

    >>> import datetime as dt
    >>> from nualod.model.records import City, Indicator, Origin, Source, Theme
    >>> p = Practice(Theme(10), Indicator(47, "x", 10), City("Kota Pekalongan"), None, None,
    ...              None, (Source("https://example.org/a"),), dt.date(2025, 1, 1), Origin("a"))
    >>> practice_key(p, Region("33.75", "Kota Pekalongan", "kota", "33", None, None))
    '10-47-33.75-e1c76cbe4cb6c584'
    """
    anchor = "\n".join([practice.title, *sorted(source.url for source in practice.sources)])
    digest = hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:16]
    return f"{practice.theme.notation}-{practice.indicator.notation}-{region.code}-{digest}"


@dataclass(frozen=True, slots=True)
class DataIRIs:
    """The IRIs of data under one configurable base ("https://w3id.org/nualod/id/")."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        # No "#": the data's own hash nodes (a region's point, a practice's figures) and
        # the site's paths put one after the IRI of what they belong to.
        bad = (
            not self.base.startswith(("http://", "https://"))
            or not self.base.endswith("/")
            or "#" in self.base
        )
        try:
            NamedNode(self.base)
        except ValueError:
            bad = True
        if bad or any(c in self.base for c in ' <>"{}|\\^`'):
            raise UsageError(
                f"{option('base')}: the base IRI must be an http(s) IRI ending in '/', without '#': "
                f"{self.base!r}"
            )

    def practice(self, key: str) -> str:
        """Return the IRI of a practice from its key."""
        return f"{self.base}practice/{key}"

    def region(self, code: str) -> str:
        """Return the IRI of a province, kabupaten or kota from its Kemendagri code.

        >>> DataIRIs().region("33.75")
        'https://w3id.org/nualod/id/region/33.75'
        """
        return f"{self.base}region/{code}"

    def prefixes(self) -> dict[str, str]:
        """Return Turtle prefixes for the data IRIs ("region:33.75").

        >>> DataIRIs().prefixes()["region"]
        'https://w3id.org/nualod/id/region/'
        """
        return {"practice": f"{self.base}practice/", "region": f"{self.base}region/"}

    def graph(self, name: str) -> str:
        """Return the IRI of a named graph of the dump ("practices", "vocabulary", ...)."""
        return f"{self.base}graph/{name}"

    def dataset(self) -> str:
        """Return the IRI of the published dataset."""
        return f"{self.base}dataset/nuf-good-practices"

    def catalog(self) -> str:
        """Return the IRI of the catalog that lists the dataset."""
        return f"{self.base}catalog"


def release_activity(dataset: str, version: str) -> str:
    """Return the IRI of the run that published a release (what a tombstone was invalidated
    by): a fragment of the release's dataset IRI.

    >>> release_activity("https://w3id.org/nualod/id/dataset/nuf-good-practices", "2")
    'https://w3id.org/nualod/id/dataset/nuf-good-practices/2#publication'
    """
    return f"{dataset}/{version}#publication"


def release_version(activity: str) -> str | None:
    """Return the version a release's run IRI names, or None if it is not one.

    >>> release_version("https://w3id.org/nualod/id/dataset/nuf-good-practices/2#publication")
    '2'
    >>> release_version("https://example.org/other") is None
    True
    """
    dataset_version, hash_mark, fragment = activity.partition("#")
    if not hash_mark or fragment != "publication" or "/" not in dataset_version:
        return None
    return dataset_version.rsplit("/", 1)[1] or None
