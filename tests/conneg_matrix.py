"""The content-negotiation matrix: Accept headers clients really send, and the answers.

Each row is ``(name, Accept header or None, answer)``. The answer is the file extension of
the chosen representation, or ``None`` for 406 Not Acceptable; ``nualod serve`` and every
static host give the same answers, as all offer the files the site holds (HTML, Turtle,
JSON-LD, N-Triples). :data:`PATH_MATRIX` does the same at paths that are no data IRI's:
English pages, and pages about no resource. :data:`CONTEXT_MATRIX` asks for nualod's
JSON-LD context, which is not negotiated.

The browser, curl, rdflib and pyld headers are copied from what they send: Chromium 156
(captured from Debian's chromium, navigating to a page), Firefox 92 and later, Firefox 66
to 71 and Safari, curl/wget/requests (``*/*``), rdflib 7 ``Graph.parse`` (its
``URLInputSource``: with no format it lists every registered parser's media type) and
pyld 2 (its requests document loader).
"""

from __future__ import annotations

from typing import Final

CHROMIUM: Final = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX: Final = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)
SAFARI: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_ANY: Final = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)
RDFLIB_TURTLE: Final = "text/turtle, application/x-turtle, */*;q=0.1"
RDFLIB_JSONLD: Final = "application/ld+json, application/json;q=0.9, */*;q=0.1"
RDFLIB_NT: Final = "text/plain, */*;q=0.1"
PYLD: Final = "application/ld+json, application/json"

MATRIX: Final[tuple[tuple[str, str | None, str | None], ...]] = (
    ("no Accept header", None, "html"),
    ("curl, wget, requests", "*/*", "html"),
    ("Chromium 156", CHROMIUM, "html"),
    ("Firefox 92+", FIREFOX, "html"),
    ("Safari, Firefox 66-71", SAFARI, "html"),
    ("rdflib, no format", RDFLIB_ANY, "ttl"),
    ("rdflib, format=turtle", RDFLIB_TURTLE, "ttl"),
    ("rdflib, format=json-ld", RDFLIB_JSONLD, "jsonld"),
    ("rdflib, format=nt (text/plain is not N-Triples)", RDFLIB_NT, "html"),
    ("pyld", PYLD, "jsonld"),
    ("Turtle", "text/turtle", "ttl"),
    ("JSON-LD", "application/ld+json", "jsonld"),
    ("N-Triples", "application/n-triples", "nt"),
    ("N-Triples, else anything", "*/*;q=0.1, application/n-triples;q=0.5", "nt"),
    ("weight, not order", "text/turtle, text/html;q=0.1", "ttl"),
    ("weight, not order, reversed", "text/html;q=0.1, text/turtle", "ttl"),
    ("no substring match", "text/turtlesssss", None),
    ("RDF/XML only", "application/rdf+xml", None),
    ("plain JSON is not JSON-LD", "application/json", None),
    ("text/* ranks HTML first", "text/*", "html"),
    ("type/* against a specific range", "text/*;q=0.5, text/turtle;q=0.4", "html"),
    ("application/*", "application/*", "jsonld"),
    ("q=0 excludes", "text/html;q=0, */*", "ttl"),
    ("everything excluded", "*/*;q=0", None),
    ("case-insensitive", "TEXT/Turtle;Q=0.9, text/html;q=0.8", "ttl"),
    ("parameters and spaces", "text/turtle ; charset=utf-8 ; q=0.5, text/html; q=0.4", "ttl"),
    (
        "a quoted comma in a profile",
        'application/ld+json;profile="a,b";q=0.2, text/turtle;q=0.3',
        "ttl",
    ),
    (
        "a JSON-LD profile",
        'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted", text/html;q=0.9',
        "jsonld",
    ),
    ("a bad weight skips its member", "text/html;q=2, text/turtle;q=0.5", "ttl"),
    ("four decimals skip the member", "text/html;q=0.0001, text/turtle;q=0.001", "ttl"),
    ("an unclosed quote: header disregarded", 'text/turtle;x="unclosed', "html"),
    ("nothing valid: header disregarded", "*/html", "html"),
    ("empty header: disregarded", "", "html"),
    ("empty members", ",, text/turtle ,,", "ttl"),
    ("first of two equal ranges counts",
     "text/turtle;q=0.5, text/turtle;q=0.9, application/ld+json;q=0.7", "jsonld"),
    ("a tie goes to the server's order", "text/turtle;q=0.80, application/ld+json;q=0.8", "ttl"),
    ("q=1.000 ties with no weight", "text/turtle;q=1.000, text/html", "html"),
    ("parameters after the weight", "text/html;q=0.3;level=1, text/turtle;q=0.2", "html"),
    # Read one way only (nualod.serve.conneg): tried every way, 2^20 splits of the blanks
    # made PCRE give up in nginx, which took HTML, and cost nualod serve a quarter second.
    ("blanks between empty parameters",
     "text/turtle" + "\t;" * 20 + "!, application/ld+json;q=0.2", "jsonld"),
    ("blanks between empty extensions",
     "text/turtle;q=1" + "\t;" * 20 + "=, application/ld+json;q=0.2", "jsonld"),
)  # fmt: skip

#: The files a path other than a data IRI's offers: ``{path: (page stem, data stem)}``, the
#: data stem ``None`` for a page about no resource. ``{practice}`` and ``{region}`` stand for
#: the paths of a practice's and a region's IRI under the base, ``{practice_stem}`` for the
#: practice's stem (sharded). The English page of a resource (under ``en/``) is about the
#: same resource as the Indonesian one, and links its data files as alternates: it offers
#: itself and those files (the same for both languages). A page about no resource (the
#: lists, the home page) offers its HTML alone.
PAGES: Final[dict[str, tuple[str, str | None]]] = {
    "en/{practice}": ("en/{practice_stem}", "{practice_stem}"),
    "en/{region}": ("en/{region}", "{region}"),
    "en/def": ("en/def", "def"),
    "browse/theme": ("browse/theme", None),
    "en/browse/theme": ("en/browse/theme", None),
    "en/index": ("en/index", None),
}

#: ``(name, path, Accept header, answer)`` at the paths of :data:`PAGES`: the answer is the
#: extension of the file a 303 leads to (the page's for ``html``, else the data's), or
#: ``None`` for 406 Not Acceptable, which lists the files the path offers.
PATH_MATRIX: Final[tuple[tuple[str, str, str | None, str | None], ...]] = (
    ("English practice page, Turtle", "en/{practice}", "text/turtle", "ttl"),
    ("English practice page, Chromium", "en/{practice}", CHROMIUM, "html"),
    ("English practice page, pyld", "en/{practice}", PYLD, "jsonld"),
    ("English region page, Turtle", "en/{region}", "text/turtle", "ttl"),
    ("English region page, rdflib format=json-ld", "en/{region}", RDFLIB_JSONLD, "jsonld"),
    ("English region page, N-Triples", "en/{region}", "application/n-triples", "nt"),
    ("English region page, no Accept header", "en/{region}", None, "html"),
    ("English region page, weight not order", "en/{region}", "text/html;q=0.1, text/turtle", "ttl"),
    ("English region page, RDF/XML only", "en/{region}", "application/rdf+xml", None),
    ("English ontology page, Turtle", "en/def", "text/turtle", "ttl"),
    ("a page about no resource, Turtle", "browse/theme", "text/turtle", None),
    ("a page about no resource, rdflib format=turtle", "browse/theme", RDFLIB_TURTLE, "html"),
    ("a page about no resource, Firefox", "browse/theme", FIREFOX, "html"),
    ("an English page about no resource, Turtle", "en/browse/theme", "text/turtle", None),
    ("an English page about no resource, HTML excluded", "en/browse/theme", "text/html;q=0, */*", None),
    ("the English home page, curl", "en/index", "*/*", "html"),
    ("the English home page, JSON-LD", "en/index", "application/ld+json", None),
)  # fmt: skip

#: ``(name, path, Accept header)`` of nualod's JSON-LD context, at its IRI's path
#: (``https://w3id.org/nualod/context``) and as ``context.jsonld``: each answers 200 with the
#: shipped context as ``application/ld+json``, whatever the header says. It is one document
#: in one format, so not negotiated: a browser gets it too (there is no page of it), and no
#: header gets a 406 or a redirect. The JSON-LD 1.1 API's context processing may ask for a
#: remote context with the profile ``http://www.w3.org/ns/json-ld#context``.
CONTEXT_MATRIX: Final[tuple[tuple[str, str, str | None], ...]] = (
    ("jsonld.js, pyld", "context", PYLD),
    ("rdflib, format=json-ld", "context", RDFLIB_JSONLD),
    ("JSON-LD", "context", "application/ld+json"),
    ("JSON-LD, the context profile", "context",
     'application/ld+json;profile="http://www.w3.org/ns/json-ld#context"'),
    ("plain JSON", "context", "application/json"),
    ("Chromium 156", "context", CHROMIUM),
    ("Firefox 92+", "context", FIREFOX),
    ("curl, wget, requests", "context", "*/*"),
    ("no Accept header", "context", None),
    ("Turtle only: still the context, not a 406", "context", "text/turtle"),
    ("its file, jsonld.js", "context.jsonld", PYLD),
    ("its file, Chromium", "context.jsonld", CHROMIUM),
)  # fmt: skip
