"""The fetch policy against a stand-in server on 127.0.0.1; refused addresses are never contacted."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from gazetteer import fetch as fetching
from gazetteer.fetch import (
    FetchError,
    FetchPolicy,
    FetchRefusedError,
    FetchStatusError,
    fetch,
    is_public_address,
    policy_from_environ,
)

LOCAL = FetchPolicy(allow_private=True, deadline_s=5.0)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.end_headers()
        elif url.path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif url.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        elif url.path == "/missing":
            self.send_error(404, "internal detail 10.1.2.3")
        else:
            body = b"hello"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Record (and forbid) every connection attempt: refused addresses must never be contacted."""
    attempts: list[tuple[Any, ...]] = []

    def refuse(*args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(args)
        raise AssertionError(args)

    monkeypatch.setattr(fetching, "_open_socket", refuse)
    return attempts


def test_the_allow_private_setting_reaches_a_local_server(base: str) -> None:
    answer = fetch(f"{base}/page", policy=LOCAL)
    assert (answer.status, answer.body) == (200, b"hello")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost/", "http://[::1]/", "http://10.0.0.8/", "http://172.16.4.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
    "http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/",
    "http://224.0.0.1/", "http://100.64.0.1/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/",
])
def test_private_addresses_are_refused_without_a_connection(
        url: str, no_connections: list[tuple[Any, ...]]) -> None:
    with pytest.raises(FetchRefusedError, match=r"refused: private address$"):
        fetch(url)
    assert no_connections == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "file:///etc/passwd", "gopher://x/", "http://u:p@h/"])
def test_only_plain_http_and_https_addresses(url: str, no_connections: list[tuple[Any, ...]]) -> None:
    with pytest.raises(FetchRefusedError, match="refused"):
        fetch(url, policy=LOCAL)
    assert no_connections == []


def _only_this_server_counts_as_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat 127.0.0.1 as a public address, so redirects from the stand-in meet the default policy."""
    real = fetching.is_public_address
    monkeypatch.setattr(fetching, "is_public_address", lambda a: a == "127.0.0.1" or real(a))


@pytest.mark.parametrize("target", [
    "http://10.0.0.8/", "http://[::1]:1/", "http://169.254.169.254/", "ftp://127.0.0.1/pub",
])
def test_every_redirect_is_checked_again(base: str, target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _only_this_server_counts_as_public(monkeypatch)
    with pytest.raises(FetchRefusedError) as caught:
        fetch(f"{base}/redirect?to={target}")
    assert str(caught.value) in {f"{base}/redirect?to={target}: refused: private address",
                                 f"{base}/redirect?to={target}: refused: redirected to an address that "
                                 "is not http or https"}


def test_a_redirect_to_an_allowed_address_is_followed(base: str) -> None:
    answer = fetch(f"{base}/redirect?to=/page", policy=LOCAL)
    assert answer.body == b"hello" and answer.url == f"{base}/page"


def test_the_checked_address_is_the_one_connected_to(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS rebinding: the name resolves to an allowed address, then to a private one. The request
    # connects to the address that was checked; the name is resolved once.
    _only_this_server_counts_as_public(monkeypatch)
    port = int(base.rsplit(":", 1)[1])
    lookups: list[str] = []

    def resolve(host: str, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        lookups.append(host)
        if len(lookups) > 1:  # a rebinding answer would be private: fail instead of giving one
            raise AssertionError("the name was resolved twice")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolve)
    assert fetch(f"http://news.example:{port}/page").body == b"hello"
    assert lookups == ["news.example"]


def test_a_name_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                    no_connections: list[tuple[Any, ...]]) -> None:
    monkeypatch.setattr(fetching.socket, "getaddrinfo", lambda *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))])
    with pytest.raises(FetchRefusedError, match="private address"):
        fetch("http://mixed.example/")
    assert no_connections == []


def test_a_dripping_server_is_cut_at_the_total_deadline(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"within 1 s"):
        fetch(f"{base}/drip", policy=FetchPolicy(allow_private=True, deadline_s=1.0))
    assert time.monotonic() - started < 2.5


def test_answers_over_the_size_cap_are_refused(base: str) -> None:
    with pytest.raises(FetchError, match="larger than 1,000 bytes"):
        fetch(f"{base}/big", policy=FetchPolicy(allow_private=True, max_bytes=1000))


def test_an_error_status_says_the_code_and_nothing_the_server_wrote(base: str) -> None:
    with pytest.raises(FetchStatusError) as caught:
        fetch(f"{base}/missing", policy=LOCAL)
    assert caught.value.status == 404
    assert "10.1.2.3" not in str(caught.value)


def test_public_addresses_and_the_environment_setting() -> None:
    assert is_public_address("93.184.216.34") and is_public_address("2606:2800:220:1::")
    assert not is_public_address("::") and not is_public_address("not an address")
    assert policy_from_environ({"INCIDENTS_ALLOW_PRIVATE_NETWORKS": "1"}).allow_private
    assert not policy_from_environ({}).allow_private
