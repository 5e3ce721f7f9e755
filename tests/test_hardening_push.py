"""`nualod push` against a store that refuses (issue #18 cases 16 and 20): the temporary
graph is dropped or named, and no credential reaches a message, even when the server's error
body echoes the request's Authorization header."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from nualod.cli import main
from nualod.run.publish import PublishResult


@dataclass
class RefusingStore:
    """A Graph Store that takes uploads, refuses MOVE, and refuses DROP when told to."""

    url: str = ""
    refuse_drop: bool = False
    uploaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _handler(store: RefusingStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: str = "") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"] or 0))
            store.uploaded.append(parse_qs(urlsplit(self.path).query)["graph"][0])
            self._answer(204)

        def do_POST(self) -> None:
            update = self.rfile.read(int(self.headers["Content-Length"] or 0)).decode()
            if update.startswith("DROP") and not store.refuse_drop:
                store.dropped.append(update.split("<")[1].rstrip(">"))
                self._answer(204)
                return
            echoed = f"refused; you sent Authorization: {self.headers.get('Authorization')}"
            self._answer(403, echoed)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def refusing_store() -> Iterator[RefusingStore]:
    store = RefusingStore()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield store
    server.shutdown()
    server.server_close()


def _push(out: Path, endpoint: str, env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["push", str(out), "--endpoint", endpoint, "--retries", "0"], env=env
    )
    return result.exit_code, result.output


def test_a_refused_move_drops_the_temporary_graph(
    published_examples: tuple[Path, PublishResult], refusing_store: RefusingStore
) -> None:
    code, output = _push(published_examples[0], refusing_store.url + "/store", {})
    assert code == 2 and "did not confirm replacing" in output
    assert refusing_store.dropped == refusing_store.uploaded
    assert len(refusing_store.uploaded) == 1 and "temporary graph" not in output


def test_a_temporary_graph_that_cannot_be_dropped_is_named(
    published_examples: tuple[Path, PublishResult], refusing_store: RefusingStore
) -> None:
    refusing_store.refuse_drop = True
    code, output = _push(published_examples[0], refusing_store.url + "/store", {})
    [temporary] = refusing_store.uploaded
    assert code == 2 and refusing_store.dropped == []
    assert output.rstrip().endswith(
        f"; the temporary graph <{temporary}> may be left in the store: "
        f"drop it with DROP SILENT GRAPH <{temporary}>"
    )


def test_a_store_that_refuses_every_connection_holds_nothing_to_drop(
    published_examples: tuple[Path, PublishResult],
) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    code, output = _push(published_examples[0], f"http://127.0.0.1:{port}/store", {})
    assert (code, output) == (
        2,
        "error: push failed; graph <https://w3id.org/nualod/id/dataset/nuf-good-practices> "
        f"left as it was: uploading the dump failed at http://127.0.0.1:{port}/store "
        "(Connection refused)\n",
    )


@pytest.mark.parametrize(
    "env",
    [
        {"NUALOD_PUSH_TOKEN": "tok-s3cret-123"},
        {"NUALOD_PUSH_USER": "editor", "NUALOD_PUSH_PASSWORD": "pw-s3cret-456"},
    ],
)
def test_an_echoed_authorization_header_is_redacted(
    published_examples: tuple[Path, PublishResult],
    refusing_store: RefusingStore,
    env: dict[str, str],
) -> None:
    code, output = _push(published_examples[0], refusing_store.url + "/store", env)
    assert code == 2 and "you sent Authorization: " in output
    secret = env.get("NUALOD_PUSH_TOKEN") or env["NUALOD_PUSH_PASSWORD"]
    basic = base64.b64encode(f"editor:{secret}".encode()).decode()
    assert secret not in output and basic not in output
    assert "Authorization: Bearer ***" in output or "Authorization: Basic ***" in output


def test_a_password_in_the_endpoint_is_redacted(
    published_examples: tuple[Path, PublishResult], refusing_store: RefusingStore
) -> None:
    endpoint = refusing_store.url.replace("http://", "http://admin:url-s3cret@") + "/store"
    code, output = _push(published_examples[0], endpoint, {})
    basic = base64.b64encode(b"admin:url-s3cret").decode()
    assert code == 2 and "url-s3cret" not in output and basic not in output
    assert "Authorization: Basic ***" in output
    unknown = refusing_store.url.replace("http://", "http://admin:url-s3cret@") + "/elsewhere"
    code, output = _push(published_examples[0], unknown, {})
    assert code == 2 and "url-s3cret" not in output and "admin:***@" in output


@pytest.mark.parametrize(
    ("userinfo", "env", "sent"),
    [
        ("admin:p%40ss%3Aw0rd@", {}, "admin:p@ss:w0rd"),  # requests sends it decoded
        ("ad%6Din:url-s3cret@", {}, "admin:url-s3cret"),
        ("", {"NUALOD_PUSH_USER": "editor", "NUALOD_PUSH_PASSWORD": "pässwörd"}, "editor:pässwörd"),
        (
            "",
            {"NUALOD_PUSH_USER": "editor", "NUALOD_PUSH_PASSWORD": "密码-s3cret"},
            "editor:密码-s3cret",
        ),
        ("admin:%E5%AF%86%E7%A0%81@", {}, "admin:密码"),
    ],
    ids=["encoded-password", "encoded-user", "latin-1", "beyond-latin-1", "url-beyond-latin-1"],
)
def test_basic_credentials_are_sent_in_utf_8_and_redacted_as_sent(
    published_examples: tuple[Path, PublishResult],
    refusing_store: RefusingStore,
    userinfo: str,
    env: dict[str, str],
    sent: str,
) -> None:
    """A password that requests sent otherwise than it was given (percent-decoded, or in
    Latin-1) reached the message in the echo; one beyond Latin-1 was a traceback."""
    endpoint = refusing_store.url.replace("http://", f"http://{userinfo}") + "/store"
    code, output = _push(published_examples[0], endpoint, env)
    basic = base64.b64encode(sent.encode()).decode()
    assert (code, output.count("\n")) == (2, 1), output
    assert "you sent Authorization: Basic ***)" in output
    assert basic not in output and sent.partition(":")[2] not in output


def test_a_token_that_is_no_header_value_is_one_line(
    published_examples: tuple[Path, PublishResult], refusing_store: RefusingStore
) -> None:
    env = {"NUALOD_PUSH_TOKEN": "tok-s3cret\r\nX-Injected: 1"}
    code, output = _push(published_examples[0], refusing_store.url + "/store", env)
    assert (code, output) == (
        2,
        "error: NUALOD_PUSH_TOKEN: not a bearer token (a control character or a letter "
        "outside ASCII)\n",
    )
    assert refusing_store.uploaded == []
