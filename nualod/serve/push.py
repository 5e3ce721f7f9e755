"""Load published dumps into any SPARQL 1.1 store over the Graph Store HTTP Protocol.

A push replaces one graph atomically from a reader's point of view:

1. the union of the dump (``nualod.nt``, every named graph together) is uploaded with a
   Graph Store ``PUT`` into a new temporary graph (``urn:uuid:...``);
2. one SPARQL Update ``MOVE <tmp> TO <target>`` replaces the target graph with it.

Readers see the old graph until the ``MOVE`` and the new one after it, never a half-loaded
graph; a failed or interrupted upload never touches the target graph (the temporary graph
is dropped when the store can still be reached). The named graphs of ``nualod.nq`` are
pushed as their union into the one target graph, because one ``MOVE`` is what makes the
replacement atomic; to keep the named graphs, bulk load ``nualod.nq`` with the store's
own loader. The target defaults to the dataset IRI of ``catalog.ttl``. It is checked
before anything is sent (an absolute IRI, and none of ``<>"{}|^`\\`` or whitespace, which
could end the IRI in the update and inject another operation), and the update is built
from the checked term.

Endpoints: ``--endpoint`` is the Graph Store endpoint. The update endpoint defaults by
convention: Oxigraph ``http://host:7878/store`` -> ``/update`` (a bare
``http://host:7878`` means both), Fuseki ``http://host:3030/ds/data`` -> ``/ds/update``;
give ``update_endpoint`` for anything else. Credentials come from the environment:
``NUALOD_PUSH_TOKEN`` (bearer) or ``NUALOD_PUSH_USER`` and ``NUALOD_PUSH_PASSWORD``
(basic); they are never printed. So are a password in the endpoint URL
(``http://user:pass@host/store``, percent-encoded or not) and anything derived from the
credentials, wherever it appears in a message, the bodies of the server's error answers
included (some echo the request's ``Authorization`` header): each is shown as ``***``.
Basic credentials are sent in UTF-8 (RFC 7617), the form :func:`secrets_of` hides: requests'
own Latin-1 could not send other letters, nor be recognised in an echo.

When the store refuses the final ``MOVE`` (or the upload), the temporary graph is dropped;
if the store refuses that too, the error names the temporary graph, so it can be dropped by
hand.
"""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
import requests.auth

from nualod.errors import StoreError, UsageError, network_reason, option
from nualod.model.namespaces import DCAT, RDF
from nualod.write.formats import NTRIPLES

#: Characters SPARQL's IRIREF forbids (besides controls and space, checked separately).
IRI_FORBIDDEN: Final = frozenset('<>"{}|^`\\')
NTRIPLES_NAME: Final = NTRIPLES.file_name
CATALOG_NAME: Final = "catalog.ttl"
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})
BODY_SHOWN: Final = 500


@dataclass(frozen=True, slots=True)
class PushResult:
    """What a push loaded, and where."""

    graph: str
    triples: int
    byte_size: int
    endpoint: str
    update_endpoint: str


def derive_endpoints(endpoint: str, update_endpoint: str | None = None) -> tuple[str, str]:
    """Return the Graph Store and update endpoints (Oxigraph and Fuseki conventions).

    >>> derive_endpoints("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878/store', 'http://127.0.0.1:7878/update')
    >>> derive_endpoints("http://localhost:3030/ds/data")
    ('http://localhost:3030/ds/data', 'http://localhost:3030/ds/update')
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an http(s) endpoint: {endpoint!r}")
    path = parts.path.rstrip("/")
    if not path:
        store = urlunsplit((parts.scheme, parts.netloc, "/store", "", ""))
        update = urlunsplit((parts.scheme, parts.netloc, "/update", "", ""))
        return store, update_endpoint or update
    if update_endpoint:
        return endpoint, update_endpoint
    for suffix in ("/store", "/data"):
        if path.endswith(suffix):
            update_path = path[: -len(suffix)] + "/update"
            return endpoint, urlunsplit((parts.scheme, parts.netloc, update_path, "", ""))
    raise StoreError(
        f"cannot derive the SPARQL update endpoint from {endpoint}; give "
        f"{option('update_endpoint')}"
    )


def graph_term(iri: str, where: str) -> str:
    """Return ``<iri>`` for a SPARQL Update, or raise when ``iri`` is not a safe absolute IRI.

    ``where`` names the option (``option("graph")``) or file the IRI came from. A graph given
    as the option that fails raises :class:`UsageError`; one read from ``catalog.ttl`` raises
    :class:`StoreError`.

    >>> graph_term("https://w3id.org/nualod/id/dataset/x", option("graph"))
    '<https://w3id.org/nualod/id/dataset/x>'
    """
    from pyoxigraph import NamedNode

    error = UsageError if where == option("graph") else StoreError
    bad = sorted({c for c in iri if c in IRI_FORBIDDEN or c.isspace() or ord(c) < 0x20})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise error(f"{where}: not a graph IRI (contains {shown}): {iri!r}")
    try:
        term = NamedNode(iri)
    except ValueError as problem:
        raise error(f"{where}: not an absolute IRI: {iri!r} ({problem})") from None
    return str(term)


def default_graph(path: Path) -> str:
    """Return the dataset IRI named in a publish folder's ``catalog.ttl``."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    catalog = path / CATALOG_NAME
    try:
        quads = list(parse(path=str(catalog), format=RdfFormat.TURTLE))
    except (OSError, SyntaxError):
        raise StoreError(
            f"{catalog}: cannot read the dataset IRI; give {option('graph')}"
        ) from None
    dataset = NamedNode(DCAT + "Dataset")
    for quad in quads:
        if quad.predicate.value == RDF + "type" and quad.object == dataset:
            return str(quad.subject.value)
    raise StoreError(f"{catalog}: names no dcat:Dataset; give {option('graph')}")


def credentials(environ: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, str] | None]:
    """Return the auth headers and basic-auth pair read from the environment."""
    token = environ.get("NUALOD_PUSH_TOKEN")
    if token:
        # A header value is Latin-1 text on one line; a bearer token is ASCII (RFC 6750).
        if not (token.isascii() and token.isprintable()):
            raise UsageError(
                "NUALOD_PUSH_TOKEN: not a bearer token (a control character or a letter "
                "outside ASCII)"
            )
        return {"Authorization": f"Bearer {token}"}, None
    user, password = environ.get("NUALOD_PUSH_USER"), environ.get("NUALOD_PUSH_PASSWORD")
    if user:
        return {}, (user, password or "")
    return {}, None


REDACTED: Final = "***"


def secrets_of(environ: Mapping[str, str], *urls: str | None) -> tuple[str, ...]:
    """Return every text that would give the push's credentials away, longest first.

    >>> secrets_of({"NUALOD_PUSH_USER": "u", "NUALOD_PUSH_PASSWORD": "pw"}, "http://a:b@h/")
    ('dTpwdw==', 'YTpi', 'pw', 'b')
    """
    found: set[str] = set()
    headers, auth = credentials(environ)
    found.update(value.partition(" ")[2] for value in headers.values())
    pairs = [auth] if auth is not None else []
    for url in urls:
        parts = urlsplit(url or "")
        if parts.password:
            pairs.append((parts.username or "", parts.password))
            pairs.append(url_credentials(url or "") or ("", ""))  # as sent: decoded
    for user, password in pairs:
        found.add(password)
        for encoding in ("utf-8", "latin-1"):
            try:
                found.add(_basic_token(user, password, encoding))
            except UnicodeEncodeError:
                continue
    return tuple(sorted((secret for secret in found if secret), key=lambda t: (-len(t), t)))


def _basic_token(user: str, password: str, encoding: str = "utf-8") -> str:
    return base64.b64encode(f"{user}:{password}".encode(encoding)).decode("ascii")


def url_credentials(url: str) -> tuple[str, str] | None:
    """Return the user and password of a URL's user part, percent-decoded; None without.

    >>> url_credentials("http://ad%6Din:p%40ss@h/store")
    ('admin', 'p@ss')
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return unquote(parts.username or ""), unquote(parts.password or "")


def basic_auth(pair: tuple[str, str]) -> requests.auth.HTTPBasicAuth:
    """Return basic auth that sends a user and password in UTF-8 (RFC 7617): requests
    sends bytes as they are, and would encode text in Latin-1."""
    return requests.auth.HTTPBasicAuth(pair[0].encode("utf-8"), pair[1].encode("utf-8"))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Return ``text`` with every secret shown as ``***``.

    >>> redact("Authorization: Bearer t0ken-x", ("t0ken-x",))
    'Authorization: Bearer ***'
    """
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def without_password(url: str) -> str:
    """Return a URL with the password of its user part shown as ``***``.

    >>> without_password("http://admin:s3cret@127.0.0.1:7878/store")
    'http://admin:***@127.0.0.1:7878/store'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:{REDACTED}@{parts.netloc.rpartition('@')[2]}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BODY_SHOWN else text[:BODY_SHOWN] + "..."


class _Client:
    def __init__(
        self,
        session: requests.Session,
        environ: Mapping[str, str],
        retries: int,
        backoff: float,
        timeout: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.session = session
        self.headers, pair = credentials(environ)
        self.auth = basic_auth(pair) if pair is not None else None
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        #: Whether every request so far was refused a connection: then none reached the
        #: store, and nothing was stored.
        self.refused_only = True

    def auth_for(self, url: str) -> requests.auth.HTTPBasicAuth | None:
        """Return the basic auth for a URL: the environment's, else the URL's own (which
        requests would send in Latin-1, failing on other letters)."""
        if self.auth is not None:
            return self.auth
        pair = url_credentials(url)
        return basic_auth(pair) if pair is not None else None

    def request(self, what: str, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send a request, retrying connection failures and busy answers with backoff."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        auth = self.auth_for(url)
        body: Callable[[], Any] | None = kwargs.pop("body", None)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                if body is not None:
                    with body() as data:
                        response = self.session.request(
                            method, url, headers=headers, auth=auth, data=data,
                            timeout=self.timeout, **kwargs,
                        )  # fmt: skip
                else:
                    response = self.session.request(
                        method, url, headers=headers, auth=auth, timeout=self.timeout,
                        **kwargs,
                    )  # fmt: skip
            except requests.RequestException as error:
                problem = network_reason(error)
                self.refused_only &= isinstance(error, requests.ConnectionError) and (
                    problem == "Connection refused"
                )
                continue
            self.refused_only = False
            with response:
                if response.ok:
                    return response
                problem = f"HTTP {response.status_code}: {_short(response.text) or response.reason}"
                if response.status_code not in RETRY_STATUSES:
                    break
        raise StoreError(f"{what} failed at {url} ({problem})")


def push(
    path: Path,
    endpoint: str,
    *,
    graph: str | None = None,
    update_endpoint: str | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 300.0,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Replace ``graph`` in a SPARQL 1.1 store with the dump of a publish folder, atomically.

    Every :class:`StoreError` message has the credentials shown as ``***``
    (:func:`secrets_of`), and the endpoints of the result have no password.
    """
    environ = os.environ if environ is None else environ
    secrets = secrets_of(environ, endpoint, update_endpoint)
    try:
        result = _push(
            path, endpoint, graph, update_endpoint, retries, backoff, timeout, environ, sleep
        )
    except StoreError as error:
        raise StoreError(redact(error.marked_text(), secrets)) from None
    return PushResult(
        result.graph,
        result.triples,
        result.byte_size,
        without_password(result.endpoint),
        without_password(result.update_endpoint),
    )


def _push(
    path: Path,
    endpoint: str,
    graph: str | None,
    update_endpoint: str | None,
    retries: int,
    backoff: float,
    timeout: float,
    environ: Mapping[str, str],
    sleep: Callable[[float], None],
) -> PushResult:
    dump = path / NTRIPLES_NAME
    if not dump.is_file():
        raise StoreError(f"{dump}: no dump to push (publish into {path} first)")
    store_url, update_url = derive_endpoints(endpoint, update_endpoint)
    if graph is not None:
        target_term = graph_term(graph, option("graph"))
        target = graph
    else:
        target = default_graph(path)
        target_term = graph_term(target, f"{path / CATALOG_NAME}: dataset IRI")
    temporary = f"urn:uuid:{uuid.uuid4()}"
    temporary_term = graph_term(temporary, "temporary graph")
    size = dump.stat().st_size
    with dump.open("rb") as stream:
        triples = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    with requests.Session() as session:
        client = _Client(session, environ, retries, backoff, timeout, sleep)
        try:
            client.request(
                "uploading the dump",
                "PUT",
                store_url,
                params={"graph": temporary},
                headers={"Content-Type": "application/n-triples"},
                body=lambda: dump.open("rb"),
            )
        except StoreError as error:
            # Refused a connection every time, the store holds nothing of the upload.
            left = "" if client.refused_only else _drop(client, update_url, temporary)
            raise StoreError(
                f"push failed; graph <{target}> left as it was: {error}{left}"
            ) from None
        try:
            client.request(
                "replacing the graph",
                "POST",
                update_url,
                headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                data=f"MOVE {temporary_term} TO {target_term}".encode(),
            )
        except StoreError as error:
            left = _drop(client, update_url, temporary)
            raise StoreError(
                f"push failed; the store did not confirm replacing <{target}>, which keeps its "
                f"previous content unless the replacement went through: {error}{left}"
            ) from None
    return PushResult(target, triples, size, store_url, update_url)


def _drop(client: _Client, update_url: str, temporary: str) -> str:
    """Drop the temporary graph if the store can still be reached (no retry).

    Return "" when the store confirmed it, else the sentence that names the graph left.
    """
    try:
        with client.session.post(
            update_url,
            headers={**client.headers, "Content-Type": "application/sparql-update"},
            auth=client.auth_for(update_url),
            data=f"DROP SILENT GRAPH <{temporary}>".encode(),
            timeout=min(client.timeout, 10.0),
        ) as answer:
            if answer.ok:
                return ""
    except requests.RequestException:
        pass
    return (
        f"; the temporary graph <{temporary}> may be left in the store: "
        f"drop it with DROP SILENT GRAPH <{temporary}>"
    )
