"""Polite, bounded HTTP fetching of feeds (httpx, async). The shell side of ``sources.feeds``.

``Fetcher.fetch(url, etag=..., last_modified=...)`` never raises for network trouble; it returns
a ``FetchResult`` saying what happened:

* conditional GET (If-None-Match / If-Modified-Since) -> ``not_modified`` on 304, no body;
* gzip/deflate bodies, decompressed here in bounded steps (a compression bomb stops at the cap);
* ``max_bytes`` (10 MB): the body is streamed and cut there, with a warning;
* redirects followed by hand, at most ``max_redirects``; ``permanent_url`` is where a chain of
  301/308 redirects leads (a 302/307 hop ends the permanent part);
* ``retry_after`` seconds from a 429/503 ``Retry-After`` (seconds or an HTTP date);
* timeouts: connect/read per operation, and ``timeout`` for the whole request (a server that
  trickles bytes cannot hold a slot for ever);
* concurrency: at most ``max_concurrency`` requests in flight, ``per_host`` per host:port; a
  freed slot goes first to the next request for the same host, so feeds on one host follow each
  other on its kept-alive connections instead of each opening (and closing) its own;
* SSRF guard: only http(s); every address the host resolves to must be public unless
  ``allow_private``. The check runs before the request (clear error) and again inside the
  connection itself (``GuardedBackend``), so a DNS answer that changes in between (rebinding)
  or a redirect to an internal address is refused too.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
import select
import socket
import ssl
import sys
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from bot import __version__
from bot.errors import SourceError

# httpcore tries ``import sniffio`` on every lock it creates; without sniffio installed each try
# searches sys.path again (~0.3 ms, the largest cost of a 304). A None entry makes the failed
# import instant and changes nothing else (the import fails either way).
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

USER_AGENT = f"Briefbot/{__version__} (+https://github.com/briefbot)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
MAX_RETRY_AFTER = 7 * 24 * 3600
ALLOW_HINT = "set BRIEFBOT_ALLOW_PRIVATE_FEEDS=1 to allow"

Resolver = Callable[[str, int], Awaitable[list[str]]]


class UnsafeURL(SourceError):
    """A feed URL the SSRF guard refuses (scheme, or a private/loopback/link-local address)."""


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0  # whole request: connect + redirects + body
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    permanent_url: str | None = None
    retry_after: float | None = None
    truncated: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # seconds on the wire (not counting the wait for a free slot)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status in (200, 304)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


# ---- SSRF guard -------------------------------------------------------------------------------


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise SourceError(f"cannot resolve {host}: {e.strerror or e}") from e
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: str) -> str | None:
    """Why this IP address is not a public one (None when it is)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return address_problem(str(mapped))
    for kind, bad in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved or not ip.is_global),
    ):
        if bad:
            return kind
    return None


def _split(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL(f"refused: {url!r} is not an http(s) URL")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as e:
        raise UnsafeURL(f"refused: {url!r} has an invalid port") from e
    host = parts.hostname
    if not host:
        raise UnsafeURL(f"refused: {url!r} has no host")
    return scheme, host, port


def check_url_syntax(url: str, *, allow_private: bool) -> None:
    """Scheme, host and (for IP literals and localhost) address checks, without DNS."""
    _, host, _ = _split(url)
    if allow_private:
        return
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        raise UnsafeURL(f"refused: {host} is a loopback name ({ALLOW_HINT})")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return
    problem = address_problem(host)
    if problem:
        raise UnsafeURL(f"refused: {host} is a {problem} address ({ALLOW_HINT})")


async def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Raise UnsafeURL unless ``url`` is http(s) and every address of its host is public."""
    check_url_syntax(url, allow_private=allow_private)
    if allow_private:
        return
    _, host, port = _split(url)
    await _check_host(host, port, resolver or system_resolver)


async def _check_host(host: str, port: int, resolver: Resolver) -> list[str]:
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        addresses = await resolver(host, port)
    if not addresses:
        raise SourceError(f"cannot resolve {host}: no addresses")
    for a in addresses:
        problem = address_problem(a)
        if problem:
            shown = host if host == a else f"{host} resolves to {a}, which"
            raise UnsafeURL(f"refused: {shown} is a {problem} address ({ALLOW_HINT})")
    return addresses


class _Stream(httpcore.AsyncNetworkStream):
    """anyio's stream, but ``get_extra_info("is_readable")`` -- which the connection pool asks of
    every idle connection on every request -- polls the socket it keeps instead of rebuilding
    anyio's attribute table (a getpeername() system call) each time."""

    __slots__ = ("inner", "sock")

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self.sock = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self.inner.start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self.sock is not None:
            return _readable(self.sock)
        return self.inner.get_extra_info(info)


def _readable(sock: socket.socket) -> bool:
    """httpcore's is_socket_readable(): True for an idle connection the server has closed."""
    fd = sock.fileno()
    if fd < 0:
        return True
    if hasattr(select, "poll"):
        p = select.poll()
        p.register(fd, select.POLLIN)
        return bool(p.poll(0))
    return bool(select.select([fd], [], [], 0)[0])  # pragma: no cover (Windows)


class Backend(httpcore.AsyncNetworkBackend):
    """anyio's network backend with ``_Stream`` connections; with ``guard``, it connects only to
    public addresses: resolves, checks every address, connects to a checked one (so TLS and the
    pool still use the host name)."""

    def __init__(self, resolver: Resolver | None = None, *, guard: bool = True) -> None:
        self.resolver = resolver or system_resolver
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self.guard:
            try:
                addresses = await _check_host(host.strip("[]"), port, self.resolver)
            except SourceError as e:
                raise httpcore.ConnectError(str(e)) from e
            host = addresses[0]
        stream = await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _Stream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("refused: unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedBackend(Backend):
    """``Backend`` with the SSRF guard (see there)."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        super().__init__(resolver, guard=True)


class _Pool(httpcore.AsyncConnectionPool):
    """httpcore's pool, assigning requests to connections in one pass over the connections.

    httpcore 1.0's own pass counts *all* connections for every idle one (quadratic; with 20
    connections a third of the cost of a request) and closes any idle connection while there are
    more connections in all than ``max_keepalive_connections``; this one keeps up to that many
    idle connections (closing the oldest idle ones beyond it) and is otherwise the same: drop
    closed connections, close expired ones, then give each queued request an available
    connection to its origin, else a new connection if there is room, else a new one in place of
    the oldest idle connection.
    """

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        kept: list[httpcore.AsyncConnectionInterface] = []
        idle: list[httpcore.AsyncConnectionInterface] = []
        for connection in self._connections:
            if connection.is_closed():
                continue
            if connection.has_expired():
                closing.append(connection)
                continue
            kept.append(connection)
            if connection.is_idle():
                idle.append(connection)
        for connection in idle[: max(0, len(idle) - self._max_keepalive_connections)]:
            kept.remove(connection)
            closing.append(connection)
        self._connections = kept
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin
            available = next(
                (c for c in kept if c.can_handle_request(origin) and c.is_available()), None
            )
            if available is not None:
                connection = available
            else:
                if len(kept) >= self._max_connections:
                    oldest_idle = next((c for c in kept if c.is_idle()), None)
                    if oldest_idle is None:
                        continue  # wait for a connection to come free
                    kept.remove(oldest_idle)
                    closing.append(oldest_idle)
                connection = self.create_connection(origin)
                kept.append(connection)
            pool_request.assign_to_connection(connection)
        return closing


class GuardedTransport(httpx.AsyncHTTPTransport):
    """The pooled transport on ``Backend`` (guarded unless ``guard=False``)."""

    def __init__(
        self, *, limits: httpx.Limits, resolver: Resolver | None = None, guard: bool = True
    ) -> None:
        ssl_context = httpx.create_ssl_context()  # loading the CA store: once, not twice
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        self._pool = _Pool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=Backend(resolver, guard=guard),
        )


def make_client(
    *,
    allow_private: bool,
    options: FetchOptions | None = None,
    max_connections: int = 40,
    resolver: Resolver | None = None,
) -> httpx.AsyncClient:
    """The client the fetcher expects: no automatic redirects, no proxies from the
    environment, the SSRF guard at connect time unless private addresses are allowed."""
    o = options or FetchOptions()
    # As many idle connections may be kept as there are connections: httpcore closes any idle
    # connection while the pool holds more than max_keepalive_connections in all, so a smaller
    # number would close each connection as soon as its response is read. Checking the pooled
    # connections on each request is cheap (``_Stream``).
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    transport = GuardedTransport(limits=limits, resolver=resolver, guard=not allow_private)
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(o.read_timeout, connect=o.connect_timeout, pool=o.timeout),
        headers={"User-Agent": o.user_agent},
    )


# ---- fetching ---------------------------------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(int(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


class _Decoder:
    """Content-Encoding decoder with an output cap (never inflates more than it may keep)."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.z: Any = None
        elif enc in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.z = zlib.decompressobj()
            self.raw_deflate_tried = False
        else:
            raise SourceError(f"unsupported Content-Encoding {encoding!r}")
        self.enc = enc

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Up to ``room + 1`` decoded bytes of ``chunk`` (one more than room means: too big)."""
        if self.z is None:
            return chunk[: room + 1]
        out = bytearray()
        data = chunk
        while data and len(out) <= room:
            try:
                piece = self.z.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.enc == "deflate" and not self.raw_deflate_tried and not out:
                    self.raw_deflate_tried = True  # "deflate" sent as raw deflate
                    self.z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            out += piece
            data = self.z.unconsumed_tail
            if not piece and data:
                break
        return bytes(out)


class _Slots:
    """At most ``total`` requests in flight, ``per_host`` per host. A freed slot goes to the next
    request for the same host when there is one (it reuses the connection just freed), otherwise
    to the request for the host that has been waiting longest with room for one more."""

    def __init__(self, total: int, per_host: int) -> None:
        self.free = total
        self.per_host = per_host
        self.running: dict[str, int] = {}
        self.waiting: dict[str, deque[asyncio.Future[None]]] = {}
        self.ready: deque[str] = deque()  # hosts with waiters and room, oldest first
        self.is_ready: set[str] = set()

    async def acquire(self, host: str) -> None:
        running = self.running.get(host, 0)
        if self.free > 0 and running < self.per_host and not self.ready:
            self.free -= 1
            self.running[host] = running + 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(host, deque()).append(fut)
        if running < self.per_host and host not in self.is_ready:
            self.ready.append(host)
            self.is_ready.add(host)
        self._dispatch()  # a free slot and only stale hosts in ``ready``: this one runs now
        try:
            await fut
        except BaseException:
            if fut.done() and not fut.cancelled():
                self.release(host)  # granted, but the waiter is gone: pass the slot on
            else:
                q = self.waiting.get(host)
                if q is not None and fut in q:
                    q.remove(fut)
                    if not q:
                        del self.waiting[host]
            raise

    def release(self, host: str) -> None:
        q = self.waiting.get(host)
        while q:
            fut = q.popleft()
            if not fut.done():
                if not q:
                    del self.waiting[host]
                fut.set_result(None)  # the slot stays with this host
                return
        self.waiting.pop(host, None)
        running = self.running[host] - 1
        if running:
            self.running[host] = running
        else:
            del self.running[host]
        self.free += 1
        self._dispatch()

    def _dispatch(self) -> None:
        while self.free > 0 and self.ready:
            host = self.ready.popleft()
            self.is_ready.discard(host)
            q = self.waiting.get(host)
            while q and q[0].done():
                q.popleft()
            running = self.running.get(host, 0)
            if not q or running >= self.per_host:
                if q is not None and not q:
                    del self.waiting[host]
                continue
            fut = q.popleft()
            self.free -= 1
            self.running[host] = running + 1
            if not q:
                del self.waiting[host]
            elif running + 1 < self.per_host:
                self.ready.append(host)
                self.is_ready.add(host)
            fut.set_result(None)


class _Slot:
    __slots__ = ("host", "slots")

    def __init__(self, slots: _Slots, host: str) -> None:
        self.slots = slots
        self.host = host

    async def __aenter__(self) -> None:
        await self.slots.acquire(self.host)

    async def __aexit__(self, *exc: object) -> None:
        self.slots.release(self.host)


class Fetcher:
    """Fetches feed URLs under the concurrency limits and the SSRF guard."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        allow_private: bool,
        options: FetchOptions | None = None,
        max_concurrency: int = 20,
        per_host: int = 2,
        resolver: Resolver | None = None,
    ) -> None:
        self.client = client
        self.allow_private = allow_private
        self.options = options or FetchOptions()
        self.resolver = resolver or system_resolver
        self._slots = _Slots(max_concurrency, per_host)

    def _host_slot(self, url: str) -> _Slot:
        parts = urlsplit(url)
        return _Slot(self._slots, f"{(parts.hostname or '').lower()}:{parts.port or parts.scheme}")

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        result = FetchResult(url=url, final_url=url)
        headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        permanent = True
        current = url
        try:
            for _hop in range(self.options.max_redirects + 1):
                await check_url(current, allow_private=self.allow_private, resolver=self.resolver)
                async with self._host_slot(current):
                    hop_started = time.monotonic()
                    try:
                        async with asyncio.timeout(self.options.timeout):
                            location = await self._request(current, headers, result)
                    finally:
                        result.elapsed += time.monotonic() - hop_started
                if location is None:
                    break
                nxt = urljoin(current, location)
                if permanent and result.status in PERMANENT:
                    result.permanent_url = nxt
                else:
                    permanent = False
                current = result.final_url = nxt
            else:
                result.error = f"more than {self.options.max_redirects} redirects"
                result.status = None
        except TimeoutError:
            result.error = f"timed out after {self.options.timeout:g} s"
        except httpx.TimeoutException as e:
            result.error = f"timed out ({type(e).__name__})"
        except httpx.HTTPError as e:
            msg = str(e) or type(e).__name__
            result.error = msg if msg.startswith("refused:") else f"connection failed: {msg}"
        except (SourceError, zlib.error) as e:
            result.error = str(e)
        except OSError as e:
            result.error = f"connection failed: {e}"
        if result.error:
            result.body = None
        return result

    async def _request(self, url: str, headers: dict[str, str], result: FetchResult) -> str | None:
        """One hop. Returns the redirect target, or None when ``result`` is final."""
        request = self.client.build_request("GET", url, headers=headers)
        response = await self.client.send(request, stream=True)
        try:
            result.status = response.status_code
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            status = response.status_code
            if status in REDIRECTS and "location" in response.headers:
                return response.headers["location"].strip()
            if status == 304:
                result.not_modified = True
            elif status == 200:
                result.body = await self._read(response, result)
            else:
                reason = response.reason_phrase or ""
                result.error = f"HTTP {status} {reason}".strip()
                if status in (429, 503):
                    result.retry_after = parse_retry_after(response.headers.get("retry-after"))
            return None
        finally:
            await response.aclose()

    async def _read(self, response: httpx.Response, result: FetchResult) -> bytes:
        cap = self.options.max_bytes
        decoder = _Decoder(response.headers.get("content-encoding", ""))
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += decoder.feed(chunk, cap - len(body))
            if len(body) > cap:
                del body[cap:]
                result.truncated = True
                result.warnings.append(
                    f"body larger than {cap / 1048576:g} MB; cut at {cap / 1048576:g} MB "
                    "(entries past the cut are lost)"
                )
                break
        return bytes(body)
