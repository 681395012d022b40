"""Every outbound HTTP request of the project, under one policy: where it may go, how long, how much.

Only ``http`` and ``https``. The host is resolved once per hop and every address it resolves to must be
public: loopback, private, link-local, multicast, reserved, unspecified and shared addresses (IPv4,
IPv6, and IPv4 inside IPv6: mapped, 6to4, Teredo, NAT64) are refused unless the policy allows private
networks (a user inside their own intranet). The request then connects to the address that was
checked, not to a second lookup of the name (no DNS-rebinding window), and the address the socket
is connected to is checked once more. Redirects are followed by hand and each one passes the same
checks. A request has one total deadline (a watchdog closes the socket when it passes, so a server
dripping a byte at a time cannot hold it) and a size cap. Proxies from the environment are not used.

A refused address gives ``refused: private address`` and nothing about what, if anything, answers there.
The incidents package (URLs, feeds) and the Nominatim fallback both fetch through ``fetch``.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from gazetteer.errors import GazetteerServiceError

ALLOW_PRIVATE_ENV = "INCIDENTS_ALLOW_PRIVATE_NETWORKS"
"""Environment variable (read at the edges) that allows requests to private networks: ``1``."""
USER_AGENT = "incidents-map/0.1 (+local news reader)"
REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 65_536
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(GazetteerServiceError):
    """An outbound request failed or was refused; the message names the address asked for."""


class FetchRefusedError(FetchError, PermissionError):
    """The policy refuses the address (not http/https, or a private network)."""


class FetchStatusError(FetchError):
    """The server answered with an HTTP error status (kept in ``status``)."""

    def __init__(self, message: str, status: int, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Where a request may go and how much it may take."""

    allow_private: bool = False
    """Allow loopback, private and link-local addresses (a deployment inside its own intranet)."""
    deadline_s: float = 20.0
    """Total time for one request, redirects included."""
    max_bytes: int = 10_000_000
    """Larger answers are refused."""
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer: the final address after redirects, its status, headers and body."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def policy_from_environ(environ: Mapping[str, str], **settings: float | int) -> FetchPolicy:
    """Return the policy the environment asks for (``INCIDENTS_ALLOW_PRIVATE_NETWORKS=1``); for edges."""
    allow = environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}
    return FetchPolicy(allow_private=allow, **settings)  # type: ignore[arg-type]


def is_public_address(address: str) -> bool:
    """Tell whether an IP address is a public unicast one (IPv4 inside IPv6 is judged as IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return is_public_address(str(inner))
    return ip.is_global and not (ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local
                                 or ip.is_reserved or ip.is_unspecified)


def _allowed(address: str, policy: FetchPolicy) -> bool:
    return policy.allow_private or is_public_address(address)


def _split(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, request target) of an http(s) address; refuse anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        msg = f"{url}: not a valid web address"
        raise FetchRefusedError(msg) from err
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        msg = f"{url}: refused: not an http or https address"
        raise FetchRefusedError(msg)
    if not parts.hostname or parts.username is not None:
        msg = f"{url}: refused: no host name, or a user name in the address"
        raise FetchRefusedError(msg)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), target


_Address = tuple[int, tuple[Any, ...]]
"""A resolved address: (socket family, socket address)."""


def _resolve(host: str, port: int, *, url: str, policy: FetchPolicy) -> list[_Address]:
    """Return the addresses of a host, all of them allowed, or refuse."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        msg = f"{url}: cannot resolve the host name; check the address, or the computer may be offline"
        raise FetchError(msg) from err
    addresses: list[_Address] = [(int(info[0]), info[4]) for info in infos]
    if not addresses or not all(_allowed(str(a[1][0]), policy) for a in addresses):
        msg = f"{url}: refused: private address"
        raise FetchRefusedError(msg)
    return addresses


def _open_socket(address: _Address, timeout: float | None) -> socket.socket:
    """Connect to a resolved address as it is: no second name lookup."""
    family, sockaddr = address
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: _Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = _open_socket(self.address, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is checked against the host name."""

    def __init__(self, host: str, port: int, address: _Address, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = _open_socket(self.address, self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _cut(sock: socket.socket) -> None:
    """Shut a socket down from the watchdog: a blocked read returns at once."""
    with contextlib.suppress(OSError):  # already closed: nothing left to cut
        sock.shutdown(socket.SHUT_RDWR)


def _one_hop(address: str, headers: Mapping[str, str], policy: FetchPolicy, deadline: float, *,
             url: str) -> tuple[int, dict[str, str], bytes]:
    """GET one address (no redirects followed); messages name ``url``, the address first asked for."""
    scheme, host, port, target = _split(address)
    addresses = _resolve(host, port, url=url, policy=policy)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        msg = f"{url}: no complete answer within {policy.deadline_s:g} s"
        raise FetchError(msg)
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, addresses[0], remaining)
    watchdog: threading.Timer | None = None
    try:
        connection.connect()
        sock = connection.sock
        if sock is None:
            msg = f"{url}: cannot connect"
            raise FetchError(msg)
        # The response keeps reading this socket after the connection lets go of it.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, (sock,))
        watchdog.daemon = True
        watchdog.start()
        peer = str(sock.getpeername()[0])
        if not _allowed(peer, policy):
            msg = f"{url}: refused: private address"
            raise FetchRefusedError(msg)
        connection.request("GET", target, headers={"User-Agent": policy.user_agent, **headers})
        response = connection.getresponse()
        answer = {k.lower(): v for k, v in response.getheaders()}
        if response.status in REDIRECTS:
            return response.status, answer, b""
        length = answer.get("content-length", "")
        if length.isdigit() and int(length) > policy.max_bytes:
            msg = f"{url}: larger than {policy.max_bytes:,} bytes, not read"
            raise FetchError(msg)
        body = bytearray()
        while chunk := response.read1(_CHUNK):
            body += chunk
            if len(body) > policy.max_bytes:
                msg = f"{url}: larger than {policy.max_bytes:,} bytes, not read"
                raise FetchError(msg)
        if time.monotonic() >= deadline:
            msg = f"{url}: no complete answer within {policy.deadline_s:g} s"
            raise FetchError(msg)
        return response.status, answer, bytes(body)
    except (OSError, http.client.HTTPException) as err:
        if isinstance(err, FetchError):
            raise
        if time.monotonic() >= deadline:
            msg = f"{url}: no complete answer within {policy.deadline_s:g} s"
        elif isinstance(err, ssl.SSLError):
            msg = f"{url}: secure connection failed (certificate or TLS error)"
        else:
            msg = f"{url}: cannot connect, or the connection broke; the computer may be offline"
        raise FetchError(msg) from err
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()


def fetch(url: str, *, policy: FetchPolicy | None = None,
          headers: Mapping[str, str] | None = None) -> Response:
    """GET an http(s) address under the policy, following redirects; raise ``FetchError`` on failure.

    An HTTP error status raises ``FetchStatusError``; a refused address ``FetchRefusedError``.
    Messages name the address asked for (never a redirect's target) and nothing a refused host said.
    """
    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.deadline_s
    current = url.strip()
    for _ in range(policy.max_redirects + 1):
        status, answer, body = _one_hop(current, headers or {}, policy, deadline, url=url)
        if status in REDIRECTS:
            location = answer.get("location", "")
            if not location:
                msg = f"{url}: a redirect without a Location"
                raise FetchError(msg)
            current = urljoin(current, location)
            try:
                _split(current)
            except FetchRefusedError as err:
                msg = f"{url}: refused: redirected to an address that is not http or https"
                raise FetchRefusedError(msg) from err
            continue
        if status >= 400:
            msg = f"{url}: the server answered HTTP {status}"
            raise FetchStatusError(msg, status, body)
        return Response(current, status, body, answer)
    msg = f"{url}: more than {policy.max_redirects} redirects"
    raise FetchError(msg)
