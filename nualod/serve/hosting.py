"""Web-server configurations that answer like ``nualod serve`` from the static site alone.

``nualod site`` writes a folder of files; a data IRI such as ``/id/practice/{key}`` has no
file of its own but four beside its stem (``.html``, ``.ttl``, ``.jsonld``, ``.nt``, see
:mod:`nualod.site.paths`). These builders write the rules that look such a path up:

- a path under one the site lists as gone with a version no longer kept (``gone``, read
  from the site's ``.htgone`` by :func:`write_hosting`) answers 410 with the 410 page of
  its language (:data:`nualod.site.paths.GONE_PAGES`);
- the path is turned into its stem by the site's rewrite rules (practices are sharded);
- if the stem has no ``.html`` file the answer is the site's 404 page, in the language of
  the path (:data:`nualod.site.paths.NOT_FOUND_PAGES`: ``en/404.html`` under ``en/``);
- otherwise the representation is negotiated from ``Accept`` exactly as
  :mod:`nualod.serve.conneg` does, q-values and wildcards included, and the answer is
  ``303 See Other`` to the absolute URL of the chosen file under the site's base URL
  (never the request's Host), or ``406 Not Acceptable``; both carry ``Vary: Accept``;
- a path that is no data IRI's (its stem has no page) but names a folder with an
  ``index.html`` (``/download``, ``/en/search``; ``/def`` is both, and negotiates), or the
  base URL's path without its slash (``/nualod``), is answered ``301`` to the folder under
  the base URL, the query kept as sent. A rule of its own: the rules above answered such
  a path 404 before the server's own redirect (Apache's mod_dir) was reached, and Caddy's
  file server makes its redirect (308) from the request, relative;
- the files offered are the page and, if the page is about a resource, that resource's
  data files. An English page's path (``/en/id/region/33.75``) offers the English page and
  the data files of the resource it is about, which are the root's (``id/region/33.75.ttl``:
  the data hold both languages' labels, and the page links them as its alternates), see
  :func:`nualod.site.paths.stems_of`; a page about no resource (``/browse/theme``,
  ``/en/index``) offers its HTML alone, so Turtle there is 406, never a redirect to a file
  that does not exist. Whether there are data files is told by the Turtle file.

A file of the site is sent as it is, with the media type the end of its name gives
(:data:`~nualod.site.paths.FILE_MEDIA_TYPES`), or for a file with no extension the one
:data:`~nualod.site.paths.NAMED_FILES` gives it: the VoID description at
``.well-known/void`` and the JSON-LD context at its IRI's path, ``context``, whatever
``Accept`` says (one document in one format: nothing to negotiate, no 406).

Why 303: a practice, a city or a concept is not a document, so its IRI redirects to a
document about it (the httpRange-14 resolution, "Cool URIs for the Semantic Web"), which
has its own URL that people can cite and caches can keep without varying. ``nualod serve``
answers the same way.

**Ranking q-values without code.** A regular expression cannot compare numbers written
anywhere in a header, which is why configurations that test ``$http_accept ~ turtle`` pick
by substring or by order. Here each server's own regex engine does it in steps: one
expression per media range pulls out the weight of the first valid member naming it (the
same grammar as :mod:`nualod.serve.conneg`, so a malformed member is skipped alike); a
second turns it into four digits (``0.5`` -> ``0500``); the most specific range present
gives each type its weight; and the weights are compared pairwise, in the server's order
of preference, by an expression over their digits interleaved (``0500`` against ``0400``
is ``00540000``: equal pairs, then a pair whose first digit is the larger). nginx does
this with ``map`` blocks and Apache with ``RewriteCond``/``RewriteRule`` environment
variables (both PCRE), Caddy with ``map`` (Go's RE2, so the grammar uses no look-around,
back-reference or counted repeat). No module beyond the stock ones is needed (nginx: map,
rewrite; Apache: mod_rewrite, mod_headers, mod_mime; Caddy 2.6: standard build).

**Cross-origin reads** (:mod:`nualod.serve.cors`): every answer, the 303s, 406s and 404s
included, carries ``Access-Control-Allow-Origin: *`` and ``Access-Control-Expose-Headers``,
and any ``OPTIONS`` (a browser's preflight) is answered 204 with ``Allow``, the
``Access-Control-Allow-Methods``, ``-Allow-Headers`` and ``-Max-Age`` of ``nualod serve``'s
site paths (nginx: ``add_header ... always``, repeated in each location that adds a header
of its own, and ``map`` on the method for the preflight's; Apache: ``Header always set``;
Caddy: ``header``). Any method but those is answered 405 with ``Allow: GET, HEAD``, as
``nualod serve`` answers it (the site is read-only; a POST to a data IRI was a 303).
``tests/cors_matrix.py`` asks all four servers the same requests.

**Validators and ranges** are the servers' own: each sends an ``ETag`` and
``Last-Modified`` with a file and answers conditional requests (304, 412) and byte ranges
(206, 416) itself; the nginx configuration adds ``if_modified_since before`` (nginx's
default answers 304 only to the file's exact date). ``tests/cache_matrix.py`` checks them
against ``nualod serve``, and names where they answer otherwise.

Limits, stated plainly: a header is read up to the server's own limit (nginx 8 KiB by
default, Apache 8 KiB); media-type parameters on a range are not compared (as in
:mod:`nualod.serve.conneg`). Each configuration is tested by running the real server
(Debian's nginx, apache2 and caddy) against the same matrix of Accept headers as
``nualod serve``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from nualod.errors import UsageError
from nualod.serve.conneg import ANY, LIST, MEMBER, member_pattern
from nualod.serve.cors import READ_METHODS, answer_headers, methods_of, preflight_headers
from nualod.site.paths import (
    FILE_MEDIA_TYPES,
    GONE_LIST,
    GONE_PAGES,
    IMMUTABLE_CACHE,
    IMMUTABLE_FILE,
    NAMED_FILES,
    NOT_FOUND_PAGES,
    PAGE_EXTENSION,
    TRANSLATION_FOLDERS,
    ErrorPage,
    base_parts,
    error_page_of,
    read_gone_list,
    translated_rules,
)

_DIGIT_PAIRS_EQUAL: Final = "(?:00|11|22|33|44|55|66|77|88|99)*"
_DIGIT_PAIRS_GREATER: Final = (
    "(?:" + "|".join(f"{high}{low}" for high in range(1, 10) for low in range(high)) + ")"
)
#: Interleaved digits of weights A and B: A >= B.
AT_LEAST: Final = f"^{_DIGIT_PAIRS_EQUAL}(?:{_DIGIT_PAIRS_GREATER}[0-9]*)?$"

W3ID_PREFIX: Final = "nualod"


@dataclass(frozen=True, slots=True)
class Offer:
    """One representation a static site holds: its file extension and media type."""

    extension: str
    media_type: str


def _file_types(offered: Sequence[Offer]) -> dict[str, str]:
    """Return the media type of each file by the end of its name: the site's
    :data:`~nualod.site.paths.FILE_MEDIA_TYPES`, the offered representations' own first.

    >>> _file_types(offers({"html": "text/html", "ttl": "text/turtle"}))["-metadata.json"]
    'application/csvm+json'
    """
    return {**FILE_MEDIA_TYPES, **{f".{o.extension}": o.media_type for o in offered}}


def offers(media_types: dict[str, str]) -> tuple[Offer, ...]:
    """Return the offers of an extension -> media type table, keeping its order.

    >>> offers({"html": "text/html", "ttl": "text/turtle"})[1]
    Offer(extension='ttl', media_type='text/turtle')
    """
    return tuple(Offer(extension, media) for extension, media in media_types.items())


def ranges_of(offered: Sequence[Offer]) -> tuple[str, ...]:
    """Return the media ranges that can weigh the offered types, most specific first.

    >>> ranges_of(offers({"html": "text/html", "jsonld": "application/ld+json"}))
    ('text/html', 'application/ld+json', 'text/*', 'application/*', '*/*')
    """
    exact = [offer.media_type for offer in offered]
    majors = list(dict.fromkeys(media.split("/", 1)[0] + "/*" for media in exact))
    return (*exact, *majors, ANY)


def variable_name(media_range: str) -> str:
    """Return a name usable as an nginx variable or Apache environment variable.

    >>> variable_name("application/ld+json"), variable_name("*/*")
    ('application_ld_json', 'any_any')
    """
    return re.sub(r"[^a-z0-9]+", "_", media_range.replace("*", "any")).strip("_")


def interleave_template(first: str, second: str, placeholder: str) -> str:
    """Return the interleaved digits of two four-digit weights, as a server template.

    ``placeholder`` is a format with ``{name}`` and ``{digit}``, e.g. nginx's
    ``"${name}_{digit}"``.

    >>> interleave_template("a", "b", "{name}{digit}")
    'a1b1a2b2a3b3a4b4'
    """
    return "".join(
        placeholder.format(name=name, digit=digit)
        for digit in range(1, 5)
        for name in (first, second)
    )


def _prefixed_rules(rules: Iterable[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    """Return the rewrite rules anchored at the site's path, their groups named ``g1``..."""
    prefixed = []
    for pattern, replacement in rules:
        if not pattern.startswith("^"):
            raise UsageError(f"rewrite rule {pattern!r}: not anchored with '^'")
        pieces = re.split(r"(?<!\\)\((?!\?)", pattern[1:])
        named = pieces[0] + "".join(
            f"(?P<g{number}>{piece}" for number, piece in enumerate(pieces[1:], start=1)
        )
        prefixed.append(("^" + re.escape(prefix) + named, replacement))
    return prefixed


def _by_language(pages: Sequence[ErrorPage]) -> tuple[list[ErrorPage], str]:
    """Return the 404 pages of folders, most specific first, and the page for the rest."""
    rest = [found.page for found in pages if not found.folder]
    if len(rest) != 1:
        raise ValueError(f"not one 404 page for the whole site: {pages!r}")
    return [found for found in pages if found.folder], rest[0]


def _page_and_data(offered: Sequence[Offer]) -> tuple[Offer, tuple[Offer, ...]]:
    """Return the offer of a page (HTML) and those of the data files (the same in every
    language, and all there or none: the page of a list is about no resource)."""
    pages = [offer for offer in offered if offer.extension == PAGE_EXTENSION]
    if len(pages) != 1 or len(offered) < 2:
        raise ValueError(f"not a page and data files: {offered!r}")
    return pages[0], tuple(offer for offer in offered if offer is not pages[0])


def gone_pattern(gone: Sequence[str]) -> str:
    """Return one regex, unanchored, matching the start of a path under any prefix of
    ``gone`` (the site's ``.htgone``): the prefixes that share a parent folder in one
    group, their last segments its alternatives. Three groups, however many versions are
    gone: one rule in Apache's and Caddy's configurations, not one for each prefix.

    >>> print(gone_pattern(["download/releases/1/", "download/releases/2.0/", "x/1/"]))
    (?:download/releases/(?:1|2\\.0)/|x/(?:1)/)
    """
    by_parent: dict[str, list[str]] = {}
    for path in gone:
        parent, _, last = path.rstrip("/").rpartition("/")
        by_parent.setdefault(parent + "/" if parent else "", []).append(last)
    return (
        "(?:"
        + "|".join(
            f"{re.escape(parent)}(?:{'|'.join(re.escape(last) for last in lasts)})/"
            for parent, lasts in by_parent.items()
        )
        + ")"
    )


def _folder_pattern(folders: Sequence[str]) -> str:
    """Return a regex group matching one of the translation folders (``en/``).

    >>> _folder_pattern(["en/", "fr/"])
    '(?:en/|fr/)'
    """
    return "(?:" + "|".join(re.escape(folder) for folder in folders) + ")"


#: From ``w`` + a raw q-value to four digits (captures a, b, c): ``w0.5`` -> ``0500``.
WEIGHT_DIGITS: Final[tuple[tuple[str, str], ...]] = (
    ("^w$", "1000"),
    ("^w1", "1000"),
    (r"^w0\.?$", "0000"),
    (r"^w0\.(?P<a>[0-9])$", "0{a}00"),
    (r"^w0\.(?P<a>[0-9])(?P<b>[0-9])$", "0{a}{b}0"),
    (r"^w0\.(?P<a>[0-9])(?P<b>[0-9])(?P<c>[0-9])$", "0{a}{b}{c}"),
)


def not_acceptable_text(locations: Sequence[tuple[str, str]]) -> str:
    """Return the body of a 406 answer: the representations there are, one a line.

    >>> print(not_acceptable_text([("text/html", "https://x/a.html")]), end="")
    Not Acceptable. This resource is available as:
    text/html https://x/a.html
    """
    lines = ["Not Acceptable. This resource is available as:"]
    lines += [f"{media} {url}" for media, url in locations]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- nginx


def _quoted(text: str) -> str:
    """Return ``text`` as a double-quoted nginx or Apache string (no quote or ``\\`` in it)."""
    if '"' in text or "\\\\" in text:
        raise ValueError(f"cannot quote {text!r}")
    return f'"{text}"'


def check_root(root: Path | str) -> str:
    """Return a site folder's path as the nginx and Caddy configurations name it, or raise
    :class:`UsageError`: a quote or a backslash would end or escape nginx's string, ``$``
    would be read as a variable (``$host``, of the request), braces, blanks and controls
    would end a Caddyfile token or line.

    >>> check_root("/srv/nualod/site")
    '/srv/nualod/site'
    >>> check_root("/srv/$host/site")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    nualod.errors.UsageError: cannot name the folder '/srv/$host/site' in the nginx and Caddy ...
    """
    text = str(root)
    if not text.isprintable() or any(c.isspace() or c in '"\\${};' for c in text):
        raise UsageError(
            f"cannot name the folder {text!r} in the nginx and Caddy configurations (a quote, "
            "a backslash, '$', a brace, ';', a blank or a control character); build the site "
            "in another folder"
        )
    return text


def nginx_conf(
    rules: Sequence[tuple[str, str]],
    media_types: dict[str, str],
    base_url: str,
    root: Path | str,
    *,
    listen: str = "80",
    gone: Sequence[str] = (),
    gone_pages: Sequence[ErrorPage] = GONE_PAGES,
    not_found_pages: Sequence[ErrorPage] = NOT_FOUND_PAGES,
    translation_folders: Sequence[str] = TRANSLATION_FOLDERS,
) -> str:
    """Return an nginx configuration (``map`` blocks and one ``server``) for a static site.

    ``root`` is the site folder on the server, ``listen`` nginx's listen argument. The file
    belongs in the ``http {}`` context, e.g. ``/etc/nginx/conf.d/nualod.conf``.
    """
    base_url, served = base_parts(base_url)
    prefix = "/"  # paths below are the site's own: a base URL's path is stripped first
    offered = offers(media_types)
    page, data = _page_and_data(offered)
    host = urlsplit(base_url).hostname or "_"
    out = [
        "# nualod: the static linked-data site, with content negotiation on data IRIs.",
        "# Written by nualod; how it ranks q-values is explained in nualod/serve/hosting.py.",
        "# Its maps make `nginx -t` warn 'could not build optimal variables_hash' (harmless):",
        "# `variables_hash_max_size 2048;` in the http block quiets it.",
        "",
        "# A usable Accept header, else */* (absent, empty, an unclosed quote, no valid range).",
        "map $http_accept $nualod_accept {",
        f"    {_quoted(f'~^(?={LIST}$)(?:{MEMBER},)*?{member_pattern()}(?:,|$)')} $http_accept;",
        f'    default "{ANY}";',
        "}",
        "",
    ]
    for media_range in ranges_of(offered):
        name = variable_name(media_range)
        first = f"~*^(?:{MEMBER},)*?{member_pattern(media_range)}(?:,|$)"
        out += [
            f"# The weight of the first valid {media_range} member: raw, then four digits.",
            f"map $nualod_accept $nualod_raw_{name} {{",
            f'    {_quoted(first)} "w$q";',
            '    default "";',
            "}",
            f"map $nualod_raw_{name} $nualod_w_{name} {{",
        ]
        for pattern, value in WEIGHT_DIGITS:
            shown = value.format(a="${a}", b="${b}", c="${c}")
            out.append(f"    {_quoted('~' + pattern)} {_quoted(shown)};")
        out += ['    default "";', "}", ""]
    for offer in offered:
        name = variable_name(offer.media_type)
        major = variable_name(offer.media_type.split("/", 1)[0] + "/*")
        source = f"$nualod_w_{name}:$nualod_w_{major}:$nualod_w_any_any"
        out += [
            f"# {offer.media_type}: the weight of the most specific range present.",
            f'map "{source}" $nualod_q_{offer.extension} {{',
            '    "~^(?<w>[0-9]{4}):" $w;',
            '    "~^:(?<w>[0-9]{4}):" $w;',
            '    "~^::(?<w>[0-9]{4})$" $w;',
            '    default "0000";',
            "}",
            *_nginx_digits(f"nualod_q_{offer.extension}"),
            "",
        ]
    out += _nginx_tournament(offered)
    out += [
        "# A page about a resource offers its data files; else its HTML alone (weight 0 the rest).",
        f'map "$nualod_data:$nualod_choice:$nualod_q_{page.extension}" $nualod_pick {{',
        '    "~^data:(?<c>[^:]+):" $c;',
        '    "~^data::" "";',
        '    "~^:[^:]*:0000$" "";',
        f'    default "{page.extension}";',
        "}",
        "",
    ]
    out += [
        "# The stem of a requested path: its page's (practices are sharded, in every language).",
        "map $uri $nualod_stem {",
    ]
    for pattern, replacement in _prefixed_rules(
        translated_rules(rules, translation_folders), prefix
    ):
        value = re.sub(r"\$(\d)", r"${g\1}", prefix + replacement)
        out.append(f"    {_quoted('~' + pattern)} {_quoted(value)};")
    out += [
        "    default $uri;",
        "}",
        "map $nualod_stem $nualod_stem_relative {",
        f"    {_quoted('~^' + re.escape(prefix) + '(?P<r>.*)$')} $r;",
        "}",
        "# The stem of its data files: an English page's resource has the root's.",
        "map $nualod_stem_relative $nualod_data_relative {",
        f"    {_quoted('~^' + _folder_pattern(translation_folders) + '(?P<r>.*)$')} $r;",
        "    default $nualod_stem_relative;",
        "}",
        "map $nualod_pick $nualod_target {",
        f"    {page.extension} $nualod_stem_relative;",
        "    default $nualod_data_relative;",
        "}",
        "# A folder's path, under the site: where a folder named without its slash is moved.",
        "map $uri $nualod_folder_relative {",
        f"    {_quoted('~^' + re.escape(prefix) + '(?P<r>.*)$')} $r;",
        "}",
        "",
    ]
    out += _nginx_cors_maps()
    immutable = "~^(?:GET|HEAD) " + re.escape(prefix) + IMMUTABLE_FILE[1:]
    out += [
        "# What never changes at its path (the change feed's pages, ldes:immutable, and a",
        "# version's files) is cached for good; not a preflight's 204, which caches nothing.",
        'map "$request_method $uri" $nualod_cache_control {',
        f"    {_quoted(immutable)} {_quoted(IMMUTABLE_CACHE)};",
        '    default "";',
        "}",
        "",
    ]
    in_folders, elsewhere = _by_language(not_found_pages)
    out += [
        "# The 404 page in the language of the missing path (the English site is under en/).",
        "map $uri $nualod_not_found {",
        *(
            f"    {_quoted('~^' + re.escape(prefix + found.folder))} {prefix}{found.page};"
            for found in in_folders
        ),
        f"    default {prefix}{elsewhere};",
        "}",
        "",
    ]
    page_only = [(page.media_type, f"{base_url}$nualod_stem_relative.{page.extension}")]
    with_data = page_only + [
        (o.media_type, f"{base_url}$nualod_data_relative.{o.extension}") for o in data
    ]
    out += [
        "# The answer when nothing offered is acceptable: what there is.",
        "map $nualod_data $nualod_gone {",
        f"    data {_quoted(not_acceptable_text(with_data).replace(chr(10), chr(92) + 'n'))};",
        f"    default {_quoted(not_acceptable_text(page_only).replace(chr(10), chr(92) + 'n'))};",
        "}",
        "",
    ]
    out += [
        "server {",
        f"    listen {listen};",
        f"    server_name {host};",
        f"    root {_quoted(check_root(root))};",
        "    charset utf-8;",
        "    # If-Modified-Since answers 304 for a file not modified since that date, not only",
        "    # at that very date (RFC 9110 section 13.1.3, as nualod serve, Apache and Caddy).",
        "    if_modified_since before;",
        "    # Any OPTIONS (a browser's CORS preflight) is answered 204, whatever the path.",
        "    if ($request_method = OPTIONS) {",
        "        return 204;",
        "    }",
        "    # The site is read-only: any other method but GET and HEAD is refused, 405 with Allow.",
        f"    if ($request_method !~ {_quoted(_READ_OR_OPTIONS)}) {{",
        "        return 405;",
        "    }",
        "    # Scripts of any origin may read every answer (public data, no credentials);",
        "    # a location with an add_header of its own repeats these (nginx inherits none).",
        *_nginx_cors_headers("    "),
        "    # Not on a 404 or a 412 (no always); an empty value sends none.",
        "    add_header Cache-Control $nualod_cache_control;",
        # text/plain also for the 406's text; text/html is in charset_types already.
        "    charset_types "
        + " ".join(
            dict.fromkeys(
                [*(m for m in _file_types(offered).values() if m != "text/html"), "text/plain"]
            )
        )
        + ";",
        *(
            [
                f"    # The site is at {served}: no path outside it is the site's (the request's",
                "    # own URI, which neither the rewrite below nor an error page's changes).",
                f"    if ($request_uri !~ {_quoted('^' + re.escape(served.rstrip('/')) + '(?:[/?]|$)')}) {{",
                "        return 404;",
                "    }",
                "    # A path there is the site's own path.",
                f"    rewrite {_quoted('^' + re.escape(served) + '(.*)$')} /$1 break;",
                "    # Without its slash, the site's own folder: moved there, as any folder.",
                f"    location = {served.rstrip('/')} {{",
                *_nginx_cors_headers("        "),
                f"        return 301 {base_url}$is_args$args;",
                "    }",
            ]
            if served != "/"
            else []
        ),
        "    error_page 404 $nualod_not_found;",
        "    # The files with no extension: the VoID description at its well-known address,",
        "    # the JSON-LD context at its IRI. Not negotiated: one format whatever Accept says.",
        *(
            line
            for path, media_type in NAMED_FILES.items()
            for line in (
                f"    location = {prefix}{path} {{",
                "        types { }",
                f"        default_type {media_type};",
                "    }",
            )
        ),
        "    # The site's .htaccess (for Apache) is no page.",
        "    location ~ /\\.ht {",
        "        return 404;",
        "    }",
        "    # The 404 pages also answer unknown IRIs, whose answers vary by Accept.",
    ]
    for found in not_found_pages:
        out += [
            f"    location = {prefix}{found.page} {{",
            "        add_header Vary Accept always;",
            *_nginx_cors_headers("        "),
            "    }",
        ]
    out += [
        "    # Each file by the end of its name, as the catalog's dcat:mediaType says.",
    ]
    for suffix, media_type in _file_types(offered).items():
        if media_type != "text/html":
            out += [
                f"    location ~ {_quoted(re.escape(suffix) + '$')} {{",
                "        types { }",
                f"        default_type {media_type};",
                "    }",
            ]
    out += _nginx_gone(gone, gone_pages, prefix)
    out += [
        f"    location {prefix} {{",
        "        # A folder's index.html, never a folder itself: def is a data IRI, def/ a folder.",
        "        try_files $uri ${uri}index.html @nualod_resource;",
        "    }",
        "    # A path with no file: a data IRI if its stem has a page, else 404.",
        "    location @nualod_resource {",
        "        add_header Vary Accept always;",
        *_nginx_cors_headers("        "),
        "        # A folder named without its slash: moved to the folder (its index.html's",
        "        # relative links need the slash), the query kept; a data IRI's page wins.",
        '        set $nualod_folder "";',
        "        if (-f $document_root${uri}/index.html) {",
        "            set $nualod_folder folder;",
        "        }",
        "        if (-f $document_root$nualod_stem.html) {",
        '            set $nualod_folder "";',
        "        }",
        "        if ($nualod_folder) {",
        "            # Headers of its own, so no Vary: where it leads does not depend on Accept.",
        *_nginx_cors_headers("            "),
        f"            return 301 {base_url}$nualod_folder_relative/$is_args$args;",
        "        }",
        "        if (!-f $document_root$nualod_stem.html) {",
        "            return 404;",
        "        }",
        "        default_type text/plain;",
        "        # The data files of the resource the page is about, if it is about one.",
        '        set $nualod_data "";',
        f"        if (-f $document_root/$nualod_data_relative.{data[0].extension}) {{",
        "            set $nualod_data data;",
        "        }",
        '        if ($nualod_pick = "") {',
        "            return 406 $nualod_gone;",
        "        }",
        f"        return 303 {base_url}$nualod_target.$nualod_pick;",
        "    }",
        "}",
        "",
    ]
    return "\n".join(out)


#: What an OPTIONS answer of the site tells beyond every answer's CORS headers.
_PREFLIGHT: Final = preflight_headers(methods_of(query_endpoint=False))
#: The methods the site answers (the static servers refuse any other, 405), as a regex.
_READ_OR_OPTIONS_NAMES: Final = (*READ_METHODS, "OPTIONS")
_READ_OR_OPTIONS: Final = f"^({'|'.join(_READ_OR_OPTIONS_NAMES)})$"
_READ_METHODS: Final = f"^({'|'.join(READ_METHODS)})$"


def _nginx_gone(gone: Sequence[str], pages: Sequence[ErrorPage], prefix: str) -> list[str]:
    """Return the locations answering 410 under each prefix of ``gone`` (the site's
    ``.htgone``), with the 410 page of the path's language."""
    if not gone:
        return []
    out = ["    # The paths gone with the versions no longer kept (the site's .htgone)."]
    for path in gone:
        out += [
            f"    location ^~ {_quoted(prefix + path)} {{",
            f"        error_page 410 {prefix}{error_page_of(path, pages)};",
            "        return 410;",
            "    }",
        ]
    return out


def _nginx_options_variable(header: str) -> str:
    """Return the nginx variable holding a preflight header's value on an OPTIONS answer.

    >>> _nginx_options_variable("Access-Control-Max-Age")
    '$nualod_options_access_control_max_age'
    """
    return "$nualod_options_" + variable_name(header.lower())


def _nginx_answer_variable(header: str) -> str:
    """Return the nginx variable holding a header every answer carries.

    >>> _nginx_answer_variable("Access-Control-Allow-Origin")
    '$nualod_answer_access_control_allow_origin'
    """
    return "$nualod_answer_" + variable_name(header.lower())


def _nginx_cors_maps() -> list[str]:
    """Return the maps giving an OPTIONS answer its preflight headers (empty otherwise: an
    empty ``add_header`` is not sent), and every answer its CORS headers once."""
    out = ["# What an OPTIONS answer (a CORS preflight) tells; nothing on other answers."]
    for name, value in _PREFLIGHT:
        variable = _nginx_options_variable(name)
        if name == "Allow":  # on an OPTIONS answer and on a 405 alike
            read = _quoted("~" + _READ_METHODS)
            out.append(f'map $request_method {variable} {{ {read} ""; default "{value}"; }}')
            continue
        out.append(f'map $request_method {variable} {{ OPTIONS "{value}"; default ""; }}')
    out.append(
        "# What every answer tells. nginx sends the headers of a 416 twice (the range filter"
        " sends them again as it turns a 200 into a 416): empty the second time, they are not"
        " sent again."
    )
    for name, value in answer_headers():
        variable = _nginx_answer_variable(name)
        # volatile: a map's value is otherwise kept from its first reading in a request.
        out.append(f'map $status {variable} {{ volatile; 416 ""; default "{value}"; }}')
    return [*out, ""]


def _nginx_cors_headers(indent: str) -> list[str]:
    """Return the ``add_header`` lines of CORS (:mod:`nualod.serve.cors`), at ``indent``."""
    sent = [
        *((name, _nginx_answer_variable(name)) for name, _ in answer_headers()),
        *((name, _nginx_options_variable(name)) for name, _ in _PREFLIGHT),
    ]
    return [f"{indent}add_header {name} {_quoted(value)} always;" for name, value in sent]


def _nginx_digits(name: str) -> list[str]:
    """Return maps splitting the four-digit weight ``$name`` into ``$name_1`` .. ``$name_4``."""
    out = []
    for digit in range(1, 5):
        out.append(f'map ${name} ${name}_{digit} {{ "~^.{{{digit - 1}}}(?<d>[0-9])" $d; }}')
    return out


def _nginx_tournament(offered: Sequence[Offer]) -> list[str]:
    """Return maps that pick the heaviest offer, an earlier offer winning a tie."""
    out = ["# Compare weights pairwise, digits interleaved; an earlier offer wins a tie."]
    best_name = f'"{offered[0].extension}"'
    best_weight = f"nualod_q_{offered[0].extension}"
    for round_, offer in enumerate(offered[1:], start=1):
        challenger = f"nualod_q_{offer.extension}"
        source = interleave_template(best_weight, challenger, "${name}_{digit}")
        out += [
            f'map "{source}" $nualod_best_{round_} {{',
            f"    {_quoted('~' + AT_LEAST)} {best_name};",
            f'    default "{offer.extension}";',
            "}",
            f"map $nualod_best_{round_} $nualod_best_w_{round_} {{",
            *(
                f'    "{candidate.extension}" $nualod_q_{candidate.extension};'
                for candidate in offered[: round_ + 1]
            ),
            "}",
            *_nginx_digits(f"nualod_best_w_{round_}"),
        ]
        best_name, best_weight = f"$nualod_best_{round_}", f"nualod_best_w_{round_}"
    out += [
        "# Nothing acceptable (every weight 0): an empty choice, answered with 406.",
        f"map ${best_weight} $nualod_choice {{",
        '    "0000" "";',
        f"    default {best_name};",
        "}",
        "",
    ]
    return out


# --------------------------------------------------------------------------- Apache


def apache_htaccess(
    rules: Sequence[tuple[str, str]],
    media_types: dict[str, str],
    base_url: str,
    *,
    gone: Sequence[str] = (),
    gone_pages: Sequence[ErrorPage] = GONE_PAGES,
    not_found_pages: Sequence[ErrorPage] = NOT_FOUND_PAGES,
    translation_folders: Sequence[str] = TRANSLATION_FOLDERS,
) -> str:
    """Return the ``.htaccess`` of the site's root folder for Apache httpd 2.4.

    Needs mod_rewrite, mod_headers and mod_mime, and ``AllowOverride All`` for the folder
    (``FileInfo Options`` is not enough: ``Options -MultiViews`` needs
    ``Options=MultiViews``; the tests run with ``All``); the URL path that leads to the folder (document root,
    ``Alias``) must be the base URL's path, which the 404 page's address uses.
    MultiViews is turned off: its tie-breaking (smallest file) is not the server's order.
    """
    base_url, prefix = base_parts(base_url)
    offered = offers(media_types)
    page, data = _page_and_data(offered)
    in_folders, elsewhere = _by_language(not_found_pages)
    offered_files = " ".join(
        [f"{base_url}%{{ENV:NUALOD_STEM}}.{page.extension}"]
        + [f"{o.media_type} {base_url}%{{ENV:NUALOD_DATA}}.{o.extension}" for o in data]
    )
    out = [
        "# nualod: the static linked-data site, with content negotiation on data IRIs.",
        "# Written by nualod; how it ranks q-values is explained in nualod/serve/hosting.py.",
        "Options -MultiViews -Indexes",
        "DirectoryIndex index.html",
        *(
            f"AddType {media} {suffix}"
            for suffix, media in _file_types(offered).items()
            if suffix.startswith(".") and media != "text/html"
        ),
        "AddCharset utf-8 " + " ".join(s for s in _file_types(offered) if s.startswith(".")),
        *(
            line
            for suffix, media in _file_types(offered).items()
            if not suffix.startswith(".")
            for line in (
                f'<FilesMatch "{re.escape(suffix)}$">',
                f'    ForceType "{media}; charset=utf-8"',
                "</FilesMatch>",
            )
        ),
        "# The change feed's pages (ldes:immutable) and a version's files never change:",
        "# cached for good.",
        f'<If "%{{REQUEST_URI}} =~ m#^{re.escape(prefix)}{IMMUTABLE_FILE[1:]}#">',
        f'    Header set Cache-Control "{IMMUTABLE_CACHE}"',
        "</If>",
        "# This file and the site's .htgone (its paths gone) are no pages.",
        '<FilesMatch "^\\.ht">',
        "    Require all denied",
        "</FilesMatch>",
        "# The files with no extension: the VoID description at its well-known address, the",
        "# JSON-LD context at its IRI. Not negotiated: one format whatever Accept says.",
        *(
            line
            for path, media_type in NAMED_FILES.items()
            # By its path: <Files "void"> named a file of that name in every folder.
            for line in (
                f"<If \"%{{REQUEST_URI}} == '{prefix}{path}'\">",
                f'    ForceType "{media_type}; charset=utf-8"',
                "</If>",
            )
        ),
        *_apache_cors(),
        f"ErrorDocument 404 {prefix}{elsewhere}",
        *_apache_error_pages_in_folders(404, in_folders, prefix),
        *_apache_gone_pages(gone, gone_pages, prefix),
        "ErrorDocument 406 "
        + _quoted(
            not_acceptable_text([(page.media_type, "%{ENV:NUALOD_OFFERED}")])
            .replace("\n", " ")
            .strip()
        ),
        "# ... a sentence, not HTML: Apache gives an ErrorDocument's text as text/html.",
        'Header always set Content-Type "text/plain; charset=utf-8" "expr=%{REQUEST_STATUS} == 406"',
        "RewriteEngine On",
        "# Any OPTIONS (a browser's CORS preflight) is answered 204, whatever the path.",
        "RewriteCond %{REQUEST_METHOD} =OPTIONS",
        "RewriteRule ^ - [R=204,L]",
        "# The site is read-only: any other method but GET and HEAD is refused, 405 with Allow.",
        f"RewriteCond %{{REQUEST_METHOD}} !{_READ_OR_OPTIONS}",
        "RewriteRule ^ - [R=405,L]",
        *(
            [
                "# The paths gone with the versions no longer kept (the site's .htgone): 410.",
                f"RewriteRule ^{_apache_pattern(gone_pattern(gone))} - [G]",
            ]
            if gone
            else []
        ),
        "",
        "# The site's own folder without its slash (reached when the folder at the base URL's",
        "# path is named without it too): moved there, as any folder below. Under an Alias, no",
        "# rule here sees that path: the RedirectMatch the README gives beside it moves it.",
        "RewriteCond %{REQUEST_URI} !/$",
        f"RewriteRule ^$ {base_url} [R=301,NE,L]",
        "# Everything below is for a path that is no file or folder: a data IRI, or a 404.",
        "RewriteCond %{REQUEST_FILENAME} -f",
        "RewriteRule ^ - [L]",
        "# A folder with its index.html is that page, which does not vary by Accept; one without",
        "# is a 404, as on the other servers (Options -Indexes made it Apache's own 403).",
        "RewriteCond %{REQUEST_FILENAME}/index.html -f",
        "RewriteRule (^|/)$ - [L]",
        "RewriteRule (^|/)$ - [R=404,E=NUALOD_VARY:1,L]",
        "",
        "# The stem of the path's page (practices are sharded, in every language); no rule: the",
        "# path itself.",
        "RewriteRule ^(.*)$ - [E=NUALOD_STEM:$1]",
    ]
    for pattern, replacement in translated_rules(rules, translation_folders):
        out.append(f"RewriteRule {_apache_pattern(pattern)} - [E=NUALOD_STEM:{replacement}]")
    out += [
        "# The stem of its data files: an English page's resource has the root's.",
        "RewriteRule ^ - [E=NUALOD_DATA:%{ENV:NUALOD_STEM}]",
        f"RewriteCond %{{ENV:NUALOD_STEM}} ^{_folder_pattern(translation_folders)}(.*)$",
        "RewriteRule ^ - [E=NUALOD_DATA:%1]",
    ]
    out += [
        "# The folder of this file, whatever URL path (an Alias, a user folder) leads to it;",
        "# past a folder that does not exist, the rest of the path is PATH_INFO.",
        "RewriteCond %{REQUEST_FILENAME}%{PATH_INFO}::$1 ^(.*/)(.+)::\\2$",
        "RewriteRule ^(.*)$ - [E=NUALOD_DIR:%1]",
        "# A folder named without its slash: moved to the folder (its index.html's relative",
        "# links need the slash), the query kept as sent (NE: not escaped again); a data IRI's",
        "# page wins. No Vary: where it leads does not depend on Accept.",
        "# A lone '?' is dropped, as the other servers drop it: a substitution that ends in",
        "# '?' (an empty query) sends none.",
        "RewriteCond %{ENV:NUALOD_DIR}%{ENV:NUALOD_STEM}.html !-f",
        "RewriteCond %{ENV:NUALOD_DIR}$1/index.html -f",
        f"RewriteRule ^(.*)$ {base_url}$1/?%{{QUERY_STRING}} [R=301,NE,L]",
        "# Not a page's stem: the 404 page, which varies by Accept like any negotiated answer.",
        "RewriteCond %{ENV:NUALOD_DIR}%{ENV:NUALOD_STEM}.html !-f",
        "RewriteRule ^ - [R=404,E=NUALOD_VARY:1,L]",
        "# A page about a resource offers its data files too; else its HTML alone.",
        f"RewriteRule ^ - [E=NUALOD_OFFERED:{base_url}%{{ENV:NUALOD_STEM}}.{page.extension}]",
        f"RewriteCond %{{ENV:NUALOD_DIR}}%{{ENV:NUALOD_DATA}}.{data[0].extension} -f",
        f"RewriteRule ^ - {_quoted(f'[E=NUALOD_HAS_DATA:1,E=NUALOD_OFFERED:{offered_files}]')}",
        "",
        "# A usable Accept header, else */* (absent, empty, an unclosed quote, no valid range).",
        f"RewriteRule ^ - [E=NUALOD_ACCEPT:{ANY}]",
        f"RewriteCond %{{HTTP:Accept}} {_apache_pattern(f'^(?={LIST}$)(?:{MEMBER},)*?{member_pattern()}(?:,|$)')}",
        "RewriteRule ^ - [E=NUALOD_ACCEPT:%{HTTP:Accept}]",
        "",
    ]
    for media_range in ranges_of(offered):
        name = variable_name(media_range).upper()
        first = f"^(?:{MEMBER},)*?{member_pattern(media_range)}(?:,|$)"
        out += [
            f"# The weight of the first valid {media_range} member, as four digits.",
            f"RewriteCond %{{ENV:NUALOD_ACCEPT}} {_apache_pattern(first)} [NC]",
            f"RewriteRule ^ - [E=NUALOD_RAW_{name}:w%1]",
        ]
        for pattern, value in WEIGHT_DIGITS:
            numbered = re.sub(r"\(\?P<[abc]>", "(", pattern)
            shown = value.format(a="%1", b="%2", c="%3")
            out += [
                f"RewriteCond %{{ENV:NUALOD_RAW_{name}}} {_apache_pattern(numbered)}",
                f"RewriteRule ^ - [E=NUALOD_W_{name}:{shown}]",
            ]
        out.append("")
    for offer in offered:
        name = variable_name(offer.media_type).upper()
        major = variable_name(offer.media_type.split("/", 1)[0] + "/*").upper()
        weight = f"NUALOD_Q_{offer.extension.upper()}"
        out += [f"# {offer.media_type}: the weight of the most specific range present."]
        out += [f"RewriteRule ^ - [E={weight}:0000]"]
        for source in ("ANY_ANY", major, name):
            out += [
                f"RewriteCond %{{ENV:NUALOD_W_{source}}} ^([0-9]{{4}})$",
                f"RewriteRule ^ - [E={weight}:%1]",
            ]
        out.append("")
    out += [
        "# No data files: their weights are 0.",
        "RewriteCond %{ENV:NUALOD_HAS_DATA} !=1",
        "RewriteRule ^ - ["
        + ",".join(f"E=NUALOD_Q_{o.extension.upper()}:0000" for o in data)
        + "]",
        "",
    ]
    out += ["# Compare weights pairwise, digits interleaved; an earlier offer wins a tie."]
    out += [
        f"RewriteRule ^ - [E=NUALOD_BEST:{offered[0].extension}]",
        f"RewriteRule ^ - [E=NUALOD_BEST_Q:%{{ENV:NUALOD_Q_{offered[0].extension.upper()}}}]",
    ]
    for offer in offered[1:]:
        challenger = f"NUALOD_Q_{offer.extension.upper()}"
        out += [
            f'RewriteCond "%{{ENV:NUALOD_BEST_Q}}%{{ENV:{challenger}}}" ^(.)(.)(.)(.)(.)(.)(.)(.)$',
            "RewriteRule ^ - [E=NUALOD_PAIRS:%1%5%2%6%3%7%4%8]",
            f"RewriteCond %{{ENV:NUALOD_PAIRS}} !{AT_LEAST}",
            f"RewriteRule ^ - [E=NUALOD_BEST:{offer.extension},E=NUALOD_BEST_Q:%{{ENV:{challenger}}}]",
        ]
    out += [
        "",
        "# Nothing acceptable: 406, listing what there is.",
        "RewriteCond %{ENV:NUALOD_BEST_Q} ^0000$",
        "RewriteRule ^ - [R=406,E=NUALOD_VARY:1,L]",
        "# The page is the path's own; the data files are those of the page's resource.",
        "RewriteRule ^ - [E=NUALOD_TARGET:%{ENV:NUALOD_DATA}]",
        f"RewriteCond %{{ENV:NUALOD_BEST}} ={page.extension}",
        "RewriteRule ^ - [E=NUALOD_TARGET:%{ENV:NUALOD_STEM}]",
        "# The query is no part of a file's address: dropped (QSD), as the other servers do.",
        f"RewriteRule ^ {base_url}%{{ENV:NUALOD_TARGET}}.%{{ENV:NUALOD_BEST}} [R=303,QSD,E=NUALOD_VARY:1,L]",
        "Header always set Vary Accept env=NUALOD_VARY",
        "Header always set Vary Accept env=REDIRECT_NUALOD_VARY",
        "",
    ]
    return "\n".join(out)


def _apache_cors() -> list[str]:
    """Return the ``Header`` lines of CORS (:mod:`nualod.serve.cors`): on every answer, a
    redirect's and an error's too (``always``), and the preflight's on an OPTIONS answer."""
    options = "\"expr=%{REQUEST_METHOD} == 'OPTIONS'\""
    not_read = f'"expr=%{{REQUEST_METHOD}} !~ /{_READ_METHODS}/"'
    return [
        "# Scripts of any origin may read every answer (public data, no credentials).",
        *(f"Header always set {name} {_quoted(value)}" for name, value in answer_headers()),
        "# What an OPTIONS answer (a CORS preflight) tells; Allow on a 405 too (beside",
        "# Apache's own, which names TRACE: it answers TRACE unless TraceEnable is off).",
        *(
            f"Header always set {name} {_quoted(value)} {not_read if name == 'Allow' else options}"
            for name, value in _PREFLIGHT
        ),
    ]


def _apache_error_pages_in_folders(
    status: int, in_folders: Sequence[ErrorPage], prefix: str
) -> list[str]:
    """Return the ``<If>`` sections giving a folder's paths its own page for ``status``.

    The sections are merged in order, the last that applies winning: so the least specific
    folder comes first. The URL path is the base URL's, as for the ``ErrorDocument`` itself.
    """
    what = "missing" if status == 404 else "gone"
    out = []
    for found in reversed(in_folders):
        out += [
            f"# A {what} path under {found.folder} gets {found.page}, in its language.",
            f'<If "%{{REQUEST_URI}} =~ m#^{re.escape(prefix + found.folder)}#">',
            f"    ErrorDocument {status} {prefix}{found.page}",
            "</If>",
        ]
    return out


def _apache_gone_pages(gone: Sequence[str], pages: Sequence[ErrorPage], prefix: str) -> list[str]:
    """Return the ``ErrorDocument`` of a 410 (a path of :data:`gone`): the page of the
    path's language, a folder's in an ``<If>`` as for the 404 page."""
    if not gone:
        return []
    in_folders, elsewhere = _by_language(pages)
    return [
        "# A path gone with a version no longer kept gets the 410 page of its language.",
        f"ErrorDocument 410 {prefix}{elsewhere}",
        *_apache_error_pages_in_folders(410, in_folders, prefix),
    ]


def _apache_pattern(pattern: str) -> str:
    """Return a regex as one Apache directive argument (no space in it: spaces as \\x20)."""
    return pattern.replace(" ", "\\x20")


# --------------------------------------------------------------------------- Caddy


def caddyfile(
    rules: Sequence[tuple[str, str]],
    media_types: dict[str, str],
    base_url: str,
    root: Path | str,
    *,
    bind: str | None = None,
    gone: Sequence[str] = (),
    gone_pages: Sequence[ErrorPage] = GONE_PAGES,
    not_found_pages: Sequence[ErrorPage] = NOT_FOUND_PAGES,
    translation_folders: Sequence[str] = TRANSLATION_FOLDERS,
) -> str:
    """Return a Caddyfile (Caddy 2.6 or later) for the site: one site block for the base URL.

    Caddy's ``map`` uses Go's RE2, which has no back-reference and no look-around; the
    grammar of :mod:`nualod.serve.conneg` is written without them, and the weights are
    compared on their interleaved digits, so no back-reference is needed. ``bind`` limits
    the listening address (e.g. ``127.0.0.1``).
    """
    base_url, served = base_parts(base_url)
    prefix = "/"  # paths below are the site's own: a base URL's path is stripped first
    offered = offers(media_types)
    page, data = _page_and_data(offered)
    parts = urlsplit(base_url)
    accept = "{http.request.header.Accept}"
    out = [
        "# nualod: the static linked-data site, with content negotiation on data IRIs.",
        "# Written by nualod; how it ranks q-values is explained in nualod/serve/hosting.py.",
        f"{parts.scheme}://{parts.netloc} {{",
    ]
    if bind:
        out.append(f"\tbind {bind}")
    out += [
        f"\troot * {_caddy_token(check_root(root))}",
        *([f"\turi strip_prefix {served.rstrip('/')}"] if served != "/" else []),
        "",
        "\t# A usable Accept header, else */* (absent, empty, an unclosed quote, no valid range).",
        f"\tmap {accept} {{nualod_list}} {{",
        f"\t\t~^{LIST}$ yes",
        "\t\tdefault no",
        "\t}",
        f"\tmap {accept} {{nualod_valid}} {{",
        f"\t\t~^(?:{MEMBER},)*?{member_pattern()}(?:,|$) yes",
        "\t\tdefault no",
        "\t}",
        "\tmap {nualod_list}{nualod_valid} {nualod_accept} {",
        f"\t\tyesyes {accept}",
        f"\t\tdefault {ANY}",
        "\t}",
    ]
    for media_range in ranges_of(offered):
        name = variable_name(media_range)
        out += [
            f"\t# The weight of the first valid {media_range} member, as four digits.",
            f"\tmap {{nualod_accept}} {{nualod_raw_{name}}} {{",
            f"\t\t~(?i)^(?:{MEMBER},)*?{member_pattern(media_range)}(?:,|$) w${{q}}",
            "\t\tdefault -",
            "\t}",
            f"\tmap {{nualod_raw_{name}}} {{nualod_w_{name}}} {{",
        ]
        for pattern, value in WEIGHT_DIGITS:
            numbered = re.sub(r"\(\?P<[abc]>", "(", pattern)
            out.append(f"\t\t~{numbered} {value.format(a='${1}', b='${2}', c='${3}')}")
        out += ["\t\tdefault -", "\t}"]
    digits = "([0-9][0-9][0-9][0-9])"
    for offer in offered:
        name = variable_name(offer.media_type)
        major = variable_name(offer.media_type.split("/", 1)[0] + "/*")
        out += [
            f"\t# {offer.media_type}: the weight of the most specific range present.",
            f"\tmap {{nualod_w_{name}}}:{{nualod_w_{major}}}:{{nualod_w_any_any}} "
            f"{{nualod_q_{offer.extension}}} {{",
            f"\t\t~^{digits}: ${{1}}",
            f"\t\t~^-:{digits}: ${{1}}",
            f"\t\t~^-:-:{digits}$ ${{1}}",
            "\t\tdefault 0000",
            "\t}",
        ]
    out.append("\t# Compare weights pairwise, digits interleaved; an earlier offer wins a tie.")
    best, best_weight = offered[0].extension, f"{{nualod_q_{offered[0].extension}}}"
    for round_, offer in enumerate(offered[1:], start=1):
        challenger = f"{{nualod_q_{offer.extension}}}"
        out += [
            f"\tmap {best_weight}{challenger} {{nualod_pairs_{round_}}} {{",
            "\t\t~^(.)(.)(.)(.)(.)(.)(.)(.)$ ${1}${5}${2}${6}${3}${7}${4}${8}",
            "\t}",
            f"\tmap {{nualod_pairs_{round_}}} {{nualod_take_{round_}}} {{",
            f"\t\t~{AT_LEAST} keep",
            "\t\tdefault take",
            "\t}",
            f"\tmap {{nualod_take_{round_}}} {{nualod_best_{round_}}} {{nualod_best_w_{round_}}} {{",
            f"\t\tkeep {best} {best_weight}",
            f"\t\ttake {offer.extension} {challenger}",
            "\t}",
        ]
        best, best_weight = f"{{nualod_best_{round_}}}", f"{{nualod_best_w_{round_}}}"
    out += [
        "\t# Nothing acceptable (every weight 0): 406.",
        f"\tmap {best_weight}:{best} {{nualod_choice}} {{",
        "\t\t~^0000: none",
        "\t\t~^[0-9]+:(.*)$ ${1}",
        "\t}",
        "\t# Without data files (a page about no resource), its HTML alone: 406 at weight 0.",
        f"\tmap {{nualod_q_{page.extension}}} {{nualod_page_choice}} {{",
        "\t\t0000 none",
        f"\t\tdefault {page.extension}",
        "\t}",
        "\t# The stem of a requested path's page (practices are sharded, in every language).",
        "\tmap {path} {nualod_stem} {",
    ]
    for pattern, replacement in translated_rules(rules, translation_folders):
        anchored = "^" + re.escape(prefix) + _uncounted(pattern[1:])
        value = re.sub(r"\$(\d)", r"${\1}", prefix + replacement)
        out.append(f"\t\t~{anchored} {value}")
    out += [
        "\t\t~^(.*)$ ${1}",
        "\t}",
        "\tmap {nualod_stem} {nualod_stem_relative} {",
        f"\t\t~^{re.escape(prefix)}(.*)$ ${{1}}",
        "\t}",
        "\t# The stem of its data files: an English page's resource has the root's.",
        "\tmap {nualod_stem} {nualod_data_relative} {",
        f"\t\t~^{re.escape(prefix)}{_folder_pattern(translation_folders)}(.*)$ ${{1}}",
        f"\t\t~^{re.escape(prefix)}(.*)$ ${{1}}",
        "\t}",
        "\tmap {nualod_choice} {nualod_target} {",
        f"\t\t{page.extension} {{nualod_stem_relative}}",
        "\t\tdefault {nualod_data_relative}",
        "\t}",
        "\t# A folder's path, under the site: where a folder named without its slash is moved.",
        "\t# With its slash; none for the site's own folder, the base URL's path without it,",
        "\t# which uri strip_prefix leaves empty.",
        "\tmap {path} {nualod_folder_relative} {",
        f"\t\t~^{re.escape(prefix)}(.+)$ ${{1}}/",
        '\t\tdefault ""',
        "\t}",
        "\t# The query as sent, after a ? if there is one.",
        "\tmap {query} {nualod_query} {",
        "\t\t~^(.+)$ ?${1}",
        '\t\tdefault ""',
        "\t}",
        "",
    ]
    page_only = [(page.media_type, f"{base_url}{{nualod_stem_relative}}.{page.extension}")]
    with_data = page_only + [
        (o.media_type, f"{base_url}{{nualod_data_relative}}.{o.extension}") for o in data
    ]
    has_data = f"file /{{nualod_data_relative}}.{data[0].extension}"
    out += [
        *_caddy_cors(),
        "\t@hidden path */.ht*",
        "\t# A NUL in the path (%00) names no file: 404, as nualod serve answers (Caddy: a 500).",
        "\t@nul path_regexp \\x00",
        "\t# The files with no extension: the VoID description at its well-known address, the",
        "\t# JSON-LD context at its IRI. Not negotiated: one format whatever Accept says.",
        *(
            line
            for path, media_type in NAMED_FILES.items()
            for line in (
                # header runs before uri strip_prefix: the path as requested
                f"\t@named_{_matcher_name(path)} path {served}{path}",
                f'\theader @named_{_matcher_name(path)} Content-Type "{media_type}; charset=utf-8"',
            )
        ),
    ]
    types = _file_types(offered)
    for suffix, media_type in types.items():
        # A longer suffix ending the same way (-metadata.json, .json) has its own type.
        longer = [other for other in types if other != suffix and other.endswith(suffix)]
        name = _matcher_name(suffix)
        out += [
            f"\t@{name} {{",
            f"\t\tpath *{suffix}",
            *(f"\t\tnot path *{other}" for other in longer),
            "\t}",
            f'\theader @{name} Content-Type "{media_type}; charset=utf-8"',
        ]
    out += [
        "\t# The change feed's pages (ldes:immutable) and a version's files never change:",
        "\t# cached for good. Not a preflight's 204: OPTIONS is answered whatever the path,",
        "\t# and caches nothing.",
        "\t@immutable {",
        f"\t\tpath_regexp ^{re.escape(served)}{IMMUTABLE_FILE[1:]}",
        "\t\tnot method OPTIONS",
        "\t}",
        f'\theader @immutable Cache-Control "{IMMUTABLE_CACHE}"',
    ]
    out += [
        "\t# A path with no file (a folder needs its index.html): a data IRI, or 404.",
        "\t@resource {",
        "\t\tnot file {path} {path}index.html",
        "\t\tfile {nualod_stem}.html",
        "\t}",
        "\t# A folder named without its slash (its index.html's relative links need the",
        "\t# slash), unless the path is a data IRI's (def is a folder too).",
        "\t@folder {",
        "\t\tnot path */",
        "\t\tfile {path}/index.html",
        "\t\tnot file {nualod_stem}.html",
        "\t}",
        "\t# A page about a resource offers its data files too; else its HTML alone.",
        "\t@some_choice {",
        f"\t\t{has_data}",
        "\t\tnot vars {nualod_choice} none",
        "\t}",
        "\t@no_choice {",
        f"\t\t{has_data}",
        "\t\tvars {nualod_choice} none",
        "\t}",
        "\t@page_choice {",
        f"\t\tnot {has_data}",
        f"\t\tvars {{nualod_page_choice}} {page.extension}",
        "\t}",
        "\t@no_page_choice {",
        f"\t\tnot {has_data}",
        "\t\tvars {nualod_page_choice} none",
        "\t}",
        *(
            [
                f"\t# The site is at {served}: no path outside it is the site's (the path as",
                "\t# requested, which uri strip_prefix leaves as it was when it had no prefix).",
                "\t@outside not expression "
                f'`{{http.request.orig_uri.path}}.startsWith("{served}") || '
                f'{{http.request.orig_uri.path}} == "{served.rstrip("/")}"`',
                "\thandle @outside {",
                "\t\terror 404",
                "\t}",
            ]
            if served != "/"
            else []
        ),
        "\thandle @options {",
        "\t\trespond 204",
        "\t}",
        "\thandle @write {",
        "\t\terror 405",
        "\t}",
        "\thandle @hidden {",
        "\t\terror 404",
        "\t}",
        "\thandle @nul {",
        "\t\terror 404",
        "\t}",
        *(
            [
                "\t# The paths gone with the versions no longer kept (the site's .htgone).",
                # A regex, not a path matcher: that one ignores case, the other hosts do not.
                f"\t@gone path_regexp ^{re.escape(prefix)}{gone_pattern(gone)}",
                "\thandle @gone {",
                "\t\terror 410",
                "\t}",
            ]
            if gone
            else []
        ),
        "\t# Moved to the folder under the base URL, the query kept (file_server's own redirect",
        "\t# is relative, 308); no Vary: where it leads does not depend on Accept.",
        "\thandle @folder {",
        f"\t\tredir {base_url}{{nualod_folder_relative}}{{nualod_query}} 301",
        "\t}",
        "\thandle @resource {",
        "\t\theader Vary Accept",
        f"\t\tredir @some_choice {base_url}{{nualod_target}}.{{nualod_choice}} 303",
        f'\t\trespond @no_choice "{not_acceptable_text(with_data)}" 406',
        f"\t\tredir @page_choice {base_url}{{nualod_stem_relative}}.{page.extension} 303",
        f'\t\trespond @no_page_choice "{not_acceptable_text(page_only)}" 406',
        "\t}",
        "\thandle {",
        "\t\tfile_server",
        "\t}",
        "\thandle_errors {",
        *_caddy_error_pages(404, not_found_pages, prefix, served),
        *(_caddy_error_pages(410, gone_pages, prefix, served) if gone else []),
        "\t}",
        "}",
        "",
    ]
    return "\n".join(out)


def _caddy_cors() -> list[str]:
    """Return the ``header`` lines of CORS (:mod:`nualod.serve.cors`) for every answer and,
    with the matcher ``@options`` (answered 204 by a ``handle``), a preflight's."""
    return [
        "\t# Scripts of any origin may read every answer (public data, no credentials); any",
        "\t# OPTIONS (a browser's CORS preflight) is answered 204, whatever the path.",
        *(f'\theader {name} "{value}"' for name, value in answer_headers()),
        "\t@options method OPTIONS",
        "\theader @options {",
        *(f'\t\t{name} "{value}"' for name, value in _PREFLIGHT),
        "\t}",
        "\t# The site is read-only: any other method but GET and HEAD is refused, 405 with Allow.",
        f"\t@write not method {' '.join(_READ_OR_OPTIONS_NAMES)}",
        f'\theader @write Allow "{dict(_PREFLIGHT)["Allow"]}"',
    ]


def _caddy_error_pages(
    status: int, pages: Sequence[ErrorPage], prefix: str, served: str
) -> list[str]:
    """Return the ``handle_errors`` routes of an error ``status``: the page of the path's
    language.

    A ``handle`` is the first that matches, so a folder's page comes before the rest's.
    ``handle_errors`` sees the path as requested, before ``uri strip_prefix``: a folder is
    matched under the base URL's path ``served``. The page is HTML whatever the missing
    path's extension (``header @ttl`` set Turtle on the answer).
    """
    in_folders, elsewhere = _by_language(pages)
    what = "missing" if status == 404 else "gone"
    out = []
    for found in [*in_folders, ErrorPage("", elsewhere)]:
        words = "".join(f"_{word}" for word in re.findall(r"[a-z0-9]+", found.folder))
        out += [
            f"\t\t# A {what} path under {found.folder}: {found.page}, in its language."
            if found.folder
            else f"\t\t# Any other {what} path.",
            f"\t\t@{status}{words} {{",
            f"\t\t\texpression {{http.error.status_code}} == {status}",
            *([f"\t\t\tpath {served}{found.folder}*"] if found.folder else []),
            "\t\t}",
            f"\t\thandle @{status}{words} {{",
            *(
                [
                    "\t\t\theader Vary Accept",
                    "\t\t\t# Not cached for good: a feed page missing now is written by a later release.",
                ]
                if status == 404
                else ["\t\t\t# Not cached for good: the page lists the versions gone so far."]
            ),
            "\t\t\theader -Cache-Control",
            '\t\t\theader Content-Type "text/html; charset=utf-8"',
            f"\t\t\trewrite * {prefix}{found.page}",
            "\t\t\tfile_server",
            "\t\t}",
        ]
    return out


def _matcher_name(path: str) -> str:
    """Return the name of a Caddy matcher of a path or a file's suffix.

    >>> _matcher_name(".well-known/void"), _matcher_name("-metadata.json")
    ('well_known_void', 'metadata_json')
    """
    return re.sub(r"[^a-z0-9]+", "_", path).strip("_")


def _caddy_token(text: str) -> str:
    if any(c.isspace() or c in '"{}' for c in text):
        raise UsageError(f"cannot write {text!r} in a Caddyfile")
    return text


def _uncounted(pattern: str) -> str:
    """Return a regex with each counted repeat ``x{n}`` written out (RE2 in a Caddyfile).

    >>> _uncounted("([0-9a-f]{3})x{2}")
    '([0-9a-f][0-9a-f][0-9a-f])xx'
    """
    return re.sub(
        r"(\[[^\]]*\]|\\.|[^\\\]\[(){}])\{(\d+)\}",
        lambda m: m.group(1) * int(m.group(2)),
        pattern,
    )


# --------------------------------------------------------------------------- w3id.org


def w3id_htaccess(base_url: str, *, name: str = W3ID_PREFIX) -> str:
    """Return the ``.htaccess`` for ``https://w3id.org/{name}/``: every path to the site.

    It goes in the folder ``{name}`` of the w3id.org repository (a pull request there).
    The redirect keeps the path, so ``https://w3id.org/nualod/id/practice/KEY`` reaches
    ``{base_url}id/practice/KEY``, whose server then negotiates; ``Accept`` travels with
    the client. 302, as w3id.org advises: the w3id IRI stays the permanent one.

    >>> print(w3id_htaccess("https://data.example.org/nua/"))  # doctest: +ELLIPSIS
    # https://w3id.org/nualod/ -> https://data.example.org/nua/ ...
    Options +FollowSymLinks
    RewriteEngine on
    RewriteRule ^(.*)$ https://data.example.org/nua/$1 [R=302,L]
    <BLANKLINE>
    """
    base_url, _ = base_parts(base_url)
    return "\n".join(
        [
            f"# https://w3id.org/{name}/ -> {base_url} (written by nualod; the site negotiates)",
            "Options +FollowSymLinks",
            "RewriteEngine on",
            f"RewriteRule ^(.*)$ {base_url}$1 [R=302,L]",
            "",
        ]
    )


# --------------------------------------------------------------------------- writing


HOSTING_FOLDER: Final = "hosting"


def write_hosting(
    out: Path,
    base_url: str,
    rules: Sequence[tuple[str, str]],
    media_types: dict[str, str],
) -> list[Path]:
    """Write the configurations for a site in ``out/site``; return the files written.

    ``out/site/.htaccess`` (Apache, used where it lies), and in ``out/hosting/``:
    ``nginx.conf`` and ``Caddyfile`` (their root is the site folder here; change it where
    the site is copied), ``apache.htaccess`` (the same as the site's) and, unless the base
    URL is on w3id.org itself, ``w3id.htaccess``.
    """
    from nualod.files.atomic import write_atomic

    base_url = base_url if base_url.endswith("/") else base_url + "/"
    site = out / "site"
    folder = out / HOSTING_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    gone = site_gone(site)
    root = site.resolve()
    texts = {
        folder / "nginx.conf": nginx_conf(rules, media_types, base_url, root, gone=gone).encode(),
        folder / "apache.htaccess": apache_htaccess(
            rules, media_types, base_url, gone=gone
        ).encode(),
        folder / "Caddyfile": caddyfile(rules, media_types, base_url, root, gone=gone).encode(),
    }
    written = [write_atomic(path, data, durable=False) for path, data in texts.items()]
    written.append(write_htaccess(site, base_url, rules, media_types))
    w3id = folder / "w3id.htaccess"
    if urlsplit(base_url).hostname == "w3id.org":
        w3id.unlink(missing_ok=True)  # the site is the w3id.org address: nothing to redirect
    else:
        written.append(write_atomic(w3id, w3id_htaccess(base_url).encode(), durable=False))
    return written


def write_htaccess(
    site: Path, base_url: str, rules: Sequence[tuple[str, str]], media_types: dict[str, str]
) -> Path:
    """Write ``site/.htaccess``, Apache's configuration where it lies: ``nualod site`` writes
    it into the new site before swapping it in, so that Apache never serves the site
    without it."""
    from nualod.files.atomic import write_atomic

    base_url = base_url if base_url.endswith("/") else base_url + "/"
    apache = apache_htaccess(rules, media_types, base_url, gone=site_gone(site)).encode()
    return write_atomic(site / ".htaccess", apache, durable=False)


def site_gone(site: Path) -> tuple[str, ...]:
    """Return the paths a site lists as gone with the versions no longer kept (its
    ``.htgone``; none when it has no such file)."""
    try:
        return read_gone_list((site / GONE_LIST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ()
