"""Where each IRI's files live in the static site: the contract with every web server.

A resource whose IRI is ``{base}{path}`` has four files in the site, ``{stem}.html``,
``{stem}.ttl``, ``{stem}.jsonld`` and ``{stem}.nt``, where ``stem = site_path(iri)``. For our own IRIs the
stem is the IRI's path after ``base`` rewritten by :data:`REWRITE_RULES` (first match wins;
no match leaves the path as it is), so a web server finds the files with regex rewrites
alone, no code:

- a practice ``id/practice/{key}`` sits in a folder named by the first three hex digits of
  the hash that ends its key, ``id/practice/{h3}/{key}`` (4,096 folders, so no folder holds
  more than 10,000 entries below some 13 million practices);
- everything else under ``base`` keeps its path: ``id/region/33.75``,
  ``code/theme/10``, ``code/indicator/47``, ``code/alignment/{hash}``,
  ``id/dataset/nuf-good-practices``;
- an activity of the change feed ``id/feed/{version}/{kind}/{key}`` has the page of its
  release's changes, ``versions/{version}`` (its description is in the feed's TriG page);
- the ontology document ``def`` (all of ``nua:``) is ``def``; a term ``def#GoodPractice``
  also has a page of its own, ``def/GoodPractice`` (a browser asking for the hash IRI gets
  ``def`` and jumps to the term's anchor there);
- a hash IRI other than a ``def#`` term lives in its document's files
  (``id/region/33.75#unesco-creative-city`` in ``id/region/33.75``).

The English site repeats the pages under ``en/`` (``en/id/region/33.75.html``) but not the
data files, which hold both languages: a request for ``en/{path}`` is negotiated among the
English page and the data files of ``{path}``'s resource (:func:`stems_of`).

Concepts of others that the data links to get pages under folders of their own, linked from
ours: a UN SDG concept ``http://metadata.un.org/sdg/{code}`` at ``sdg/{code}``, a UNESCO
Thesaurus concept ``http://vocabularies.unesco.org/thesaurus/{id}`` at ``unesco/{id}``.
These are not conneg targets (their IRIs do not resolve to us).

The code lists and the ontology keep the IRIs ``https://w3id.org/nualod/code/...`` and
``https://w3id.org/nualod/def`` whatever the data's base, so :func:`site_path` maps them
from :data:`VOCABULARY_BASE` as well as from ``base``.

>>> p = "https://w3id.org/nualod/id/practice/10-47-33.75-62146c0504af32de"
>>> site_path(p)
'id/practice/621/10-47-33.75-62146c0504af32de'
>>> apply_rewrite_rules(iri_path(p))
'id/practice/621/10-47-33.75-62146c0504af32de'
>>> [site_path(i) for i in ("https://w3id.org/nualod/id/region/33.75",
...  "https://w3id.org/nualod/code/indicator/47", "https://w3id.org/nualod/def#theme",
...  "http://metadata.un.org/sdg/C040401", "http://vocabularies.unesco.org/thesaurus/concept9927",
...  "https://example.org/other")]
['id/region/33.75', 'code/indicator/47', 'def/theme', 'sdg/C040401', 'unesco/concept9927', None]
>>> site_path("https://w3id.org/nualod/id/feed/2025.2/update/10-47-33.75-62146c0504af32de")
'versions/2025.2'
>>> site_path("https://data.example.org/nua/id/region/33.75", base="https://data.example.org/nua/")
'id/region/33.75'
>>> MEDIA_TYPES["ttl"], EXTENSIONS["application/ld+json"]
('text/turtle', 'jsonld')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from nualod.errors import UsageError
from nualod.model.namespaces import CONTEXT

#: Default base of our IRIs: the data under ``id/``, code lists under ``code/``, the
#: ontology at ``def``. The site's root stands for this base.
DEFAULT_BASE: Final = "https://w3id.org/nualod/"
#: Where the code lists and the ontology live whatever the data's base is.
VOCABULARY_BASE: Final = "https://w3id.org/nualod/"
#: The ontology document's path under the base; its terms are ``{base}def#{Term}``.
ONTOLOGY_PATH: Final = "def"
SDG_NAMESPACE: Final = "http://metadata.un.org/sdg/"
UNESCO_NAMESPACE: Final = "http://vocabularies.unesco.org/thesaurus/"
#: Folders of the pages of other parties' concepts.
SDG_FOLDER: Final = "sdg"
UNESCO_FOLDER: Final = "unesco"

#: The rewrites from an IRI's path (relative to the base, no leading slash) to its stem,
#: tried in order, the first match wins, no match keeps the path. Regexes use only what
#: PCRE, RE2 and Python share (anchors, classes, counted repeats, groups); ``$1``..``$9``
#: in a replacement are the groups. A config writer prefixes both with the site's path.
REWRITE_RULES: Final[tuple[tuple[str, str], ...]] = (
    (r"^id/practice/([^/]*-([0-9a-f]{3})[0-9a-f]{13})$", "id/practice/$2/$1"),
    # An activity of the change feed (nualod.releases.feed.FeedWriter.activity_iri) is
    # described in the feed's TriG page; its IRI leads to the page of its release's changes,
    # which lists the practice it is about.
    (r"^id/feed/([^/]+)/(create|update|delete)/[^/]+$", "versions/$1"),
)

#: The folders of the site's pages in a language other than the root's (Indonesian). A page
#: there, ``en/{stem}.html``, is about the same resource as ``{stem}.html``, and links to the
#: same data files, ``{stem}.ttl``, ``.jsonld`` and ``.nt`` (which hold every language's
#: labels): so the path ``en/{path}`` names the English page of the resource whose IRI has
#: ``{path}``, and is negotiated among that page and the resource's data files
#: (:func:`stems_of`).
TRANSLATION_FOLDERS: Final = ("en/",)

#: The files of one resource: extension -> registered media type, in the order a
#: server prefers them when ``Accept`` leaves the choice open.
MEDIA_TYPES: Final[dict[str, str]] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
#: Media type -> extension of the file that holds it.
EXTENSIONS: Final[dict[str, str]] = {media: ext for ext, media in MEDIA_TYPES.items()}
#: The extension of a resource's page, whose stem is in the page's language folder; the
#: other files of :data:`MEDIA_TYPES` are the resource's data, the same for every language.
PAGE_EXTENSION: Final = "html"
#: The folder of the site that the default download base (``{base}download/``) names: the
#: current release's dumps, catalog, landing page and feed, and each kept version's files
#: under ``releases/V/`` (hard links, see :func:`nualod.site.build.download_names`).
DOWNLOAD_FOLDER: Final = "download"
RELEASES_FOLDER: Final = "releases"
#: The files of a site build's work folder that give each removed practice's page stem and
#: the title it had (by which the pages of versions name it).
WITHDRAWN_PREFIX: Final = "withdrawn-"
#: The media type of each file the download base serves (and of the site's other files),
#: by the end of its name: the first that ends the name wins, so ``-metadata.json`` (CSVW
#: metadata) comes before ``.json``. Each is the ``dcat:mediaType`` the catalog gives the
#: distribution (:mod:`nualod.write.formats`); the servers send each with ``charset=utf-8``.
FILE_MEDIA_TYPES: Final[dict[str, str]] = {
    "-metadata.json": "application/csvm+json",
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".geojson": "application/geo+json",
    ".json": "application/json",
    ".md": "text/markdown",
    # The Atom feed of the releases beside each versions page (nualod.site.atom).
    ".atom": "application/atom+xml",
    # The example queries the home page links (not a distribution).
    ".rq": "application/sparql-query",
    # The site's own style, script, sitemap and robots.txt: text, sent in its charset by
    # every server (nginx's and Apache's defaults named none, nor the same XML type).
    ".css": "text/css",
    ".js": "text/javascript",
    ".xml": "application/xml",
    ".txt": "text/plain",
}
#: nualod's JSON-LD context at its IRI's path, ``context`` (a file with no extension); the
#: site also has it as ``context.jsonld``, the path of the IRI with ``.jsonld``.
CONTEXT_PATH: Final = CONTEXT.removeprefix(VOCABULARY_BASE)
#: The site's files that have no extension, each at the path it is known by, and the media
#: type it is sent with (and ``charset=utf-8``) by ``nualod serve`` and every configuration
#: of :mod:`nualod.serve.hosting`: the VoID description at its well-known address (RFC 8615,
#: VoID §7.2) and the JSON-LD context at its IRI. Neither is negotiated: each is one
#: document in one format, sent whatever ``Accept`` says (RFC 9110 §12.5.1 lets a server
#: disregard the header), so a JSON-LD processor and a browser alike get it, never a 406.
NAMED_FILES: Final[dict[str, str]] = {
    ".well-known/void": "text/turtle",
    CONTEXT_PATH: "application/ld+json",
}
#: The files that never change at their path, relative to the site's root, sent with
#: :data:`IMMUTABLE_CACHE`: the change feed's pages (``ldes:immutable``, DCAT-AP Feeds 1.3)
#: and every file of a version under ``download/releases/V/`` (a version is never rewritten,
#: nor published again once no longer kept). Not the feed's root,
#: ``download/feed/index.trig``, nor the current release's files at the top of
#: ``download/``: they change with each release.
IMMUTABLE_FILE: Final = r"^download/(?:feed/page-[0-9]+\.trig|releases/[^/]+/.*)$"
IMMUTABLE_CACHE: Final = "public, max-age=31536000, immutable"


def file_media_type(name: str) -> str | None:
    """Return the media type of a file by :data:`FILE_MEDIA_TYPES`, or None.

    >>> file_media_type("practices.csv-metadata.json"), file_media_type("page-000001.trig")
    ('application/csvm+json', 'application/trig')
    >>> file_media_type("datapackage.json"), file_media_type("x.woff2") is None
    ('application/json', True)
    """
    return next((m for end, m in FILE_MEDIA_TYPES.items() if name.endswith(end)), None)


#: The charset every text file of the site is written in.
CHARSET: Final = "utf-8"


@dataclass(frozen=True, slots=True)
class ErrorPage:
    """The page (a file of the site) that answers an error for a path under ``folder``:
    404 for a missing path, 410 for a path gone with a version no longer kept."""

    folder: str
    page: str


#: The 404 page of each language's site, the most specific folder first. The English site
#: is under ``en/``: a reader there who follows a dead link gets the English page, any other
#: missing path (a data IRI included) the Indonesian one.
NOT_FOUND_PAGES: Final = (ErrorPage("en/", "en/404.html"), ErrorPage("", "404.html"))


def not_found_page_of(path: str) -> str:
    """Return the 404 page that answers a missing path (relative to the site's root).

    >>> not_found_page_of("en/id/practice/unknown"), not_found_page_of("id/region/99.99")
    ('en/404.html', '404.html')
    >>> not_found_page_of("en"), not_found_page_of("english/x")
    ('404.html', '404.html')
    """
    return error_page_of(path, NOT_FOUND_PAGES)


def error_page_of(path: str, pages: Sequence[ErrorPage]) -> str:
    """Return the page of ``pages`` (most specific folder first) that answers ``path``."""
    return next(found.page for found in pages if path.startswith(found.folder))


#: The 410 page of each language's site, as :data:`NOT_FOUND_PAGES`: it answers a path
#: gone with a version no longer kept (:data:`GONE_LIST`).
GONE_PAGES: Final = (ErrorPage("en/", "en/410.html"), ErrorPage("", "410.html"))
#: The site's list of the paths gone with the versions no longer kept (``--keep``): every
#: path under one of its prefixes answers 410 Gone. One prefix a line, relative to the
#: site's root, each ending in "/"; a line starting with "#" says what the file is. A
#: hidden file (``.ht``, as Apache's own): ``nualod serve`` reads it, the web servers'
#: configurations carry the same prefixes, and none of them serves it.
GONE_LIST: Final = ".htgone"
_GONE_HEAD: Final = (
    "# nualod: the paths gone with the versions no longer kept (410 Gone), one prefix a line."
)


def gone_page_of(path: str) -> str:
    """Return the 410 page that answers a path gone with a version no longer kept.

    >>> gone_page_of("en/id/dataset/x/1/distribution/csv"), gone_page_of("download/releases/1/")
    ('en/410.html', '410.html')
    """
    return error_page_of(path, GONE_PAGES)


def gone_prefixes(version: str, dataset_stem: str | None) -> list[str]:
    """Return the site paths gone with a version no longer kept: its files under
    ``download/releases/V/``, and the resources named under its dataset IRI (its
    distributions), in every language. The dataset IRI itself keeps its page. A version
    whose name is no safe path segment gives none (``--release`` allows no other, but a
    feed written by an older nualod may name one, a ``+`` in it: no page has it either).

    >>> gone_prefixes("2025.1", "id/dataset/nuf-good-practices/2025.1")
    ['download/releases/2025.1/', 'id/dataset/nuf-good-practices/2025.1/', 'en/id/dataset/nuf-good-practices/2025.1/']
    >>> gone_prefixes("../x", None)
    []
    """
    if "/" in version or not _safe(version):
        return []
    found = [f"{DOWNLOAD_FOLDER}/{RELEASES_FOLDER}/{version}/"]
    if dataset_stem is not None and _safe(dataset_stem):
        found += [f"{folder}{dataset_stem}/" for folder in ("", *TRANSLATION_FOLDERS)]
    return found


def gone_list_text(prefixes: Sequence[str]) -> str:
    """Return the text of :data:`GONE_LIST` for ``prefixes``.

    >>> print(gone_list_text(["download/releases/1/"]), end="")
    # nualod: the paths gone with the versions no longer kept (410 Gone), one prefix a line.
    download/releases/1/
    """
    return "\n".join([_GONE_HEAD, *prefixes]) + "\n"


def read_gone_list(text: str) -> tuple[str, ...]:
    """Return the prefixes a :data:`GONE_LIST` text gives: its safe lines ending in "/".

    >>> read_gone_list(gone_list_text(["download/releases/1/", "../etc/", "x"]))
    ('download/releases/1/',)
    """
    lines = (line.strip() for line in text.splitlines())
    return tuple(
        line
        for line in lines
        if line and not line.startswith("#") and line.endswith("/") and _safe(line[:-1])
    )


class _Rule(NamedTuple):
    """A rewrite rule as :func:`apply_rewrite_rules` applies it."""

    pattern: re.Pattern[str]
    #: The replacement as a ``str.format`` template of the match's groups, or None where
    #: ``re.sub`` must apply it: unless the pattern is anchored at the start (so matches
    #: once) and the replacement has no backslash and no ``$0``.
    template: str | None
    #: The replacement as ``re.sub`` takes it.
    replacement: str

    @classmethod
    def of(cls, pattern: str, replacement: str) -> _Rule:
        """Compile a rule of :data:`REWRITE_RULES`.

        >>> rule = _Rule.of("^a/([a-z])$", "b/$1/{c}")
        >>> rule.template, rule.replacement == r"b/\\1/{c}"
        ('b/{0}/{{c}}', True)
        """
        parts = re.split(r"\$(\d)", replacement)
        template = "".join(
            f"{{{int(part) - 1}}}" if odd % 2 else part.replace("{", "{{").replace("}", "}}")
            for odd, part in enumerate(parts)
        )
        plain = pattern.startswith("^") and "\\" not in replacement and "$0" not in replacement
        return cls(
            re.compile(pattern),
            template if plain else None,
            re.sub(r"\$(\d)", r"\\\1", replacement),
        )


_COMPILED: Final = tuple(_Rule.of(pattern, replacement) for pattern, replacement in REWRITE_RULES)
_TERM: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_LOCAL: Final = re.compile(r"^[A-Za-z0-9_.-]+$")
#: A path of segments of :data:`_LOCAL`'s characters, none of them ``.`` or ``..``.
_SEGMENT: Final = r"(?!\.\.?(?:/|\Z))[A-Za-z0-9_.-]+"
_SAFE_PATH: Final = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*\Z")


def apply_rewrite_rules(path: str, rules: Sequence[_Rule] = _COMPILED) -> str:
    """Return the stem a request path (relative to the base) names, by :data:`REWRITE_RULES`
    (or other ``rules``, compiled by :meth:`_Rule.of`).

    >>> apply_rewrite_rules("id/practice/01-1-35.10-db3e92285381d2f3")
    'id/practice/db3/01-1-35.10-db3e92285381d2f3'
    >>> apply_rewrite_rules("code/theme/10")
    'code/theme/10'
    """
    # A site's million practices and its changelogs ask this a few times each: the match's
    # groups put in a format string, not re's template expanded for each path.
    for rule in rules:
        found = rule.pattern.match(path)
        if found:
            if rule.template is None:
                return rule.pattern.sub(rule.replacement, path)
            # Anchored at the start, the pattern matches once: sub() would give this.
            return rule.template.format(*found.groups("")) + path[found.end() :]
    return path


@dataclass(frozen=True, slots=True)
class Stems:
    """The stems of the files a request path names: its page's and its data files'."""

    page: str
    data: str


def stems_of(path: str) -> Stems:
    """Return the stems of the page and of the data files that a request path names.

    The path is relative to the site's root. Under a folder of :data:`TRANSLATION_FOLDERS`
    the rewrite rules apply to what follows the folder, and the data files are the root's.

    >>> stems_of("id/practice/10-47-33.75-62146c0504af32de")
    Stems(page='id/practice/621/10-47-33.75-62146c0504af32de', data='id/practice/621/10-47-33.75-62146c0504af32de')
    >>> stems_of("en/id/practice/10-47-33.75-62146c0504af32de").page
    'en/id/practice/621/10-47-33.75-62146c0504af32de'
    >>> stems_of("en/id/region/33.75")
    Stems(page='en/id/region/33.75', data='id/region/33.75')
    """
    for folder in TRANSLATION_FOLDERS:
        if path.startswith(folder):
            data = apply_rewrite_rules(path[len(folder) :])
            return Stems(folder + data, data)
    data = apply_rewrite_rules(path)
    return Stems(data, data)


def translated_rules(
    rules: Sequence[tuple[str, str]], folders: Sequence[str] = TRANSLATION_FOLDERS
) -> tuple[tuple[str, str], ...]:
    """Return rewrite rules over whole request paths: the rules, then each under each folder.

    This is :func:`stems_of`'s page stem as regex rewrites, for the web-server configurations.

    >>> translated_rules([("^id/(x)$", "id/$1")])
    (('^id/(x)$', 'id/$1'), ('^en/id/(x)$', 'en/id/$1'))
    """
    translated = [
        (f"^{re.escape(folder)}{pattern[1:]}", folder + replacement)
        for folder in folders
        for pattern, replacement in rules
        if pattern.startswith("^")  # the configurations refuse a rule not anchored
    ]
    return (*rules, *translated)


def iri_path(iri: str, base: str = DEFAULT_BASE) -> str | None:
    """Return the path of one of our IRIs relative to the base, fragment dropped; else None.

    This is the path a web server is asked for when the IRI is looked up.

    >>> iri_path("https://w3id.org/nualod/id/region/33.75#unesco-creative-city")
    'id/region/33.75'
    >>> iri_path("https://w3id.org/nualod/def#GoodPractice")
    'def'
    >>> iri_path("http://metadata.un.org/sdg/4") is None
    True
    """
    document = iri.split("#", 1)[0]
    for prefix in (base, VOCABULARY_BASE):
        if document.startswith(prefix):
            path = document[len(prefix) :]
            if path and _safe(path):
                return path
    return None


def site_path(iri: str, base: str = DEFAULT_BASE) -> str | None:
    """Return the stem of the site files that describe ``iri``, or None if the site has none.

    >>> site_path("https://w3id.org/nualod/def")
    'def'
    >>> site_path("https://w3id.org/nualod/code/theme")
    'code/theme'
    >>> site_path("http://metadata.un.org/sdg") is None
    True
    """
    if iri.startswith((base + ONTOLOGY_PATH + "#", VOCABULARY_BASE + ONTOLOGY_PATH + "#")):
        term = iri.split("#", 1)[1]
        return f"{ONTOLOGY_PATH}/{term}" if _TERM.match(term) else None
    path = iri_path(iri, base)
    if path is not None:
        return apply_rewrite_rules(path)
    for namespace, folder in ((SDG_NAMESPACE, SDG_FOLDER), (UNESCO_NAMESPACE, UNESCO_FOLDER)):
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return f"{folder}/{local}" if _LOCAL.match(local) else None
    return None


def _safe(path: str) -> bool:
    """Tell whether a path can be a stem: no empty, dot or dot-dot segment, no odd character.

    >>> _safe("id/region/33.75"), _safe("id/../etc"), _safe("id//x"), _safe("id/x?y")
    (True, False, False, False)
    """
    return _SAFE_PATH.match(path) is not None


def base_parts(base_url: str, option: str = "--base-url") -> tuple[str, str]:
    """Return a site's base URL checked (http(s), ends in ``/``, an IRI) and its path;
    ``option`` names where it was given, for the message that refuses it.

    >>> base_parts("https://example.org/nualod/")
    ('https://example.org/nualod/', '/nualod/')
    >>> base_parts("https://example.org/a\\nRequire\\tall\\tdenied\\n/")
    Traceback (most recent call last):
    nualod.errors.UsageError: --base-url: not a plain URL: 'https://example.org/a\\nRequire\\tall\\tdenied\\n/'
    >>> base_parts("https://example.org/%zz/", "--site")
    Traceback (most recent call last):
    nualod.errors.UsageError: --site: not a valid IRI: 'https://example.org/%zz/'
    """
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 (a port out of range raises here)
    except ValueError:
        raise UsageError(f"{option}: not a valid URL: {base_url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or not base_url.endswith("/"):
        raise UsageError(f"{option}: not an http(s) URL ending in '/': {base_url!r}")
    # No comma either: Apache's rewrite flags, which hold the URL, are separated by commas.
    # No control character or other blank (a line break, a tab): urlsplit drops tabs and
    # line breaks, but the text itself goes into the configurations and the Location header,
    # where a line break starts a directive or a header of the caller's choosing. No user
    # or password, nor a port without a host: Caddy takes no site address of the kind.
    if (
        parts.query
        or parts.fragment
        or "@" in parts.netloc
        or not parts.hostname
        or any(c in base_url for c in " \"'<>\\{}|^`$;,")
        or not base_url.isprintable()
    ):
        raise UsageError(f"{option}: not a plain URL: {base_url!r}")
    # The pages, sitemap and feeds write URLs under it as IRIs ("[" or "%zz" they cannot).
    try:
        NamedNode(base_url)
    except ValueError:
        raise UsageError(f"{option}: not a valid IRI: {base_url!r}") from None
    return base_url, parts.path
