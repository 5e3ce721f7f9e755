"""Who publishes a release: the catalog's publisher and contact point.

By default nualod itself (``{base}agent/nualod``, named "nualod", no e-mail), as before
these could be set; an agency that republishes the data gives its own name, IRI, contact
name and e-mail (``publish --publisher-name ...`` or ``nualod.toml``, see
:mod:`nualod.run.config`), and the catalog's ``dct:publisher`` and ``dcat:contactPoint``
(with ``vcard:hasEmail``) say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pyoxigraph import NamedNode

from nualod.errors import UsageError, option
from nualod.model.iris import DataIRIs

#: An e-mail address as a catalog can link it (``mailto:``): one @, no spaces or brackets.
_EMAIL: Final = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_IRI: Final = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


#: What a name in the catalog must not hold: a control character (ESC would drive the
#: terminal of whoever prints the catalog; a line break ends a one-line name).
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _check_line(named: str, text: str) -> None:
    found = _CONTROL.search(text)
    if found is not None:
        raise UsageError(f"{named} must not hold a control character (U+{ord(found.group(0)):04X})")


def _is_iri(text: str) -> bool:
    """Tell whether the catalog can write ``text`` as an IRI ("[" or "%zz" it cannot: the
    publish stopped with a traceback after all its work)."""
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Publisher:
    """The publisher of a release and its contact point.

    >>> Publisher().agent_iri(DataIRIs())
    'https://w3id.org/nualod/id/agent/nualod'
    >>> Publisher("Bappeda Kota Pekalongan", contact_email="x@example.org").contact_label
    'Bappeda Kota Pekalongan'
    >>> Publisher(contact_email="not an address")
    Traceback (most recent call last):
    ...
    nualod.errors.UsageError: Publisher.contact_email must be an e-mail address: 'not an address'
    """

    name: str = "nualod"
    iri: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise UsageError(f"{option('Publisher.name')} must not be empty")
        _check_line(option("Publisher.name"), self.name)
        if self.iri is not None and not (_IRI.match(self.iri) and _is_iri(self.iri)):
            raise UsageError(f"{option('Publisher.iri')} must be an http(s) IRI: {self.iri!r}")
        if self.contact_name is not None and not self.contact_name.strip():
            raise UsageError(f"{option('Publisher.contact_name')} must not be empty")
        if self.contact_name is not None:
            _check_line(option("Publisher.contact_name"), self.contact_name)
        if self.contact_email is not None and not (
            _EMAIL.match(self.contact_email) and _is_iri(f"mailto:{self.contact_email}")
        ):
            raise UsageError(
                f"{option('Publisher.contact_email')} must be an e-mail address: {self.contact_email!r}"
            )

    def agent_iri(self, iris: DataIRIs) -> str:
        """Return the publisher's IRI: the one given, else nualod's under the data base."""
        return self.iri or f"{iris.base}agent/nualod"

    @property
    def contact_label(self) -> str:
        """Return the contact point's name (``vcard:fn``): the one given, else the publisher's."""
        return self.contact_name or self.name

    @property
    def mailto(self) -> str | None:
        """Return the contact e-mail as a ``mailto:`` IRI, if there is one.

        >>> Publisher(contact_email="data@example.org").mailto
        'mailto:data@example.org'
        """
        return f"mailto:{self.contact_email}" if self.contact_email else None


#: nualod itself, the publisher when none is given.
DEFAULT_PUBLISHER: Final = Publisher()
