"""Atom feeds (RFC 4287) of the site, for people's feed readers: a pure builder.

The change feed (LDES, ``download/feed/``) is for harvesters, a practice at a time; a feed
reader wants one entry for each release, saying what it changed and where to read it.
:func:`nualod.site.versions.write_versions` gives each language's versions page one
(``versions.atom``, ``en/versions.atom``).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from typing import Final, NamedTuple

__all__ = ["ATOM_MEDIA_TYPE", "AtomEntry", "AtomFeed", "AtomLink", "atom_document", "atom_instant"]

#: RFC 4287 §7.
ATOM_MEDIA_TYPE: Final = "application/atom+xml"
_ATOM: Final = "http://www.w3.org/2005/Atom"
#: Characters XML 1.0 does not allow in a document, even escaped.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A date-time as RFC 3339 §5.6 writes it (Atom's Date construct, RFC 4287 §3.3).
_DATE_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class AtomLink(NamedTuple):
    """An ``atom:link``: what it is to the entry or feed, its media type and where."""

    rel: str
    type: str
    href: str
    hreflang: str = ""
    title: str = ""


class AtomEntry(NamedTuple):
    """One entry: its permanent ``id`` (an absolute IRI), title, ``updated`` (RFC 3339) and
    a summary in plain text."""

    id: str
    title: str
    updated: str
    summary: str
    links: tuple[AtomLink, ...]


class AtomFeed(NamedTuple):
    """A feed in one language; its ``updated`` is its newest entry's."""

    id: str
    lang: str
    title: str
    subtitle: str
    author: str
    rights: str
    generator_version: str
    links: tuple[AtomLink, ...]
    entries: tuple[AtomEntry, ...]


def atom_instant(moment: str) -> str | None:
    """Return a moment as an Atom Date construct, or None when it is not one.

    A release whose run is not known is dated by its data's day (midnight, UTC).

    >>> atom_instant("2025-12-16T08:00:00Z"), atom_instant("2025-12-16")
    ('2025-12-16T08:00:00Z', '2025-12-16T00:00:00Z')
    >>> atom_instant("2025-12-16T08:00:00") is None, atom_instant("") is None
    (True, True)
    >>> atom_instant("2025-02-30") is None, atom_instant("2025-12-16T08:00:00+24:00") is None
    (True, True)
    """
    if _DATE.fullmatch(moment):
        moment = f"{moment}T00:00:00Z"
    return moment if _instant(moment) is not None else None


def _instant(text: str) -> datetime | None:
    """Return an RFC 3339 date-time as an instant, or None when it is not one (of the form,
    but no day or time there is: "2025-02-30", "25:00", an offset of 24 hours)."""
    if not _DATE_TIME.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value), quote=True)


def _link(link: AtomLink) -> str:
    extra = (f' hreflang="{_text(link.hreflang)}"' if link.hreflang else "") + (
        f' title="{_text(link.title)}"' if link.title else ""
    )
    return (
        f'<link rel="{_text(link.rel)}" type="{_text(link.type)}" '
        f'href="{_text(link.href)}"{extra}/>'
    )


def atom_document(feed: AtomFeed) -> str:
    """Return the feed as an Atom document (UTF-8 when encoded; entries in the given order).

    A feed needs an ``updated`` (RFC 4287 §4.1.1): one with no entry has none to give.

    >>> print(atom_document(AtomFeed(
    ...     "https://example.org/versions.atom", "en", "Versions", "Every release", "NUF", "CC",
    ...     "1.0", (AtomLink("self", ATOM_MEDIA_TYPE, "https://example.org/versions.atom"),),
    ...     (AtomEntry("https://example.org/versions/2.html", "Version 2", "2025-12-16",
    ...                "1 added", ()),))))
    Traceback (most recent call last):
    ValueError: entry https://example.org/versions/2.html: updated '2025-12-16' is not an RFC 3339 date-time
    """
    if not feed.entries:
        raise ValueError(f"feed {feed.id}: no entries, so no time it was updated")
    instants = []
    for entry in feed.entries:
        instant = _instant(entry.updated)
        if instant is None:
            raise ValueError(
                f"entry {entry.id}: updated {entry.updated!r} is not an RFC 3339 date-time"
            )
        instants.append((instant, entry.updated))
    # Compared as instants: "…T09:00:00+07:00" is before "…T08:00:00Z"; of two the same, the
    # first written.
    newest = max(instants, key=lambda pair: pair[0])[1]
    entries = "".join(
        f"<entry>\n<id>{_text(entry.id)}</id>\n<title>{_text(entry.title)}</title>\n"
        f"<updated>{entry.updated}</updated>\n"
        + "".join(f"{_link(link)}\n" for link in entry.links)
        + f"<summary>{_text(entry.summary)}</summary>\n</entry>\n"
        for entry in feed.entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{_ATOM}" xml:lang="{_text(feed.lang)}">\n'
        f"<id>{_text(feed.id)}</id>\n<title>{_text(feed.title)}</title>\n"
        f"<subtitle>{_text(feed.subtitle)}</subtitle>\n"
        f"<updated>{newest}</updated>\n"
        f"<author><name>{_text(feed.author)}</name></author>\n"
        f"<rights>{_text(feed.rights)}</rights>\n"
        f'<generator version="{_text(feed.generator_version)}">nualod</generator>\n'
        + "".join(f"{_link(link)}\n" for link in feed.links)
        + entries
        + "</feed>\n"
    )
