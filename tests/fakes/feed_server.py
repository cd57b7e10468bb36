"""A real HTTP/1.1 feed server on 127.0.0.1 (free port, own thread and event loop) for tests
and benchmarks. Routes are plain values that tests change at run time.

    with FeedServer() as srv:
        srv.route("/a.xml", Route(body=rss_bytes))              # 200, ETag + Last-Modified, 304s
        srv.route("/old", Route.redirect("/a.xml", 301))
        srv.route("/gone", Route.error(410))
        srv.route("/busy", Route.error(429, retry_after="120"))
        srv.route("/flaky", Route.sequence(Route.error(500), Route.error(500), Route(body=b)))
        srv.route("/slow", Route(body=b, delay=5))               # or trickle=0.5 per chunk
        srv.route("/big.gz", Route(body=b, gzip=True))
        url = srv.url("/a.xml"); srv.requests  # what clients sent (headers lower-cased)

``Route.body`` may also be produced lazily by ``FeedServer(fallback=fn)`` (``fn(path) -> Route |
None``), and ``hosts`` can list several loopback addresses (127.0.0.2, ...) served on one port, so
per-host limits can be exercised. ``peak_in_flight[host]`` is the most concurrent requests seen,
``connections`` the number of connections accepted (keep-alive: one serves many requests).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip as gzip_mod
import hashlib
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.utils import formatdate
from typing import Any

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
FIXED_DATE = formatdate(1767225600, usegmt=True)  # 2026-01-01, a stable Last-Modified


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True  # send ETag/Last-Modified and answer 304 when they match
    etag: str | None = None  # default: a hash of the body
    last_modified: str | None = FIXED_DATE
    gzip: bool = False
    deflate: bool = False
    delay: float = 0.0  # seconds before the response starts
    trickle: float = 0.0  # seconds between 1 KB chunks of the body
    location: str | None = None
    retry_after: str | None = None
    steps: list[Route] | None = None  # successive responses; the last one repeats

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Route:
        return cls(status=status, location=location, conditional=False)

    @classmethod
    def error(cls, status: int, retry_after: str | None = None, body: bytes = b"") -> Route:
        return cls(
            status=status,
            retry_after=retry_after,
            body=body or REASONS.get(status, "error").encode(),
            content_type="text/plain",
            conditional=False,
        )

    @classmethod
    def sequence(cls, *steps: Route) -> Route:
        return cls(steps=list(steps))


@dataclass
class Recorded:
    method: str
    path: str
    host: str
    headers: dict[str, str]


class FeedServer:
    def __init__(
        self,
        hosts: Sequence[str] = ("127.0.0.1",),
        fallback: Callable[[str], Route | None] | None = None,
        record: bool = True,
        port: int = 0,
    ) -> None:
        self.hosts = list(hosts)
        self.port = port
        self.routes: dict[str, Route] = {}
        self.fallback = fallback
        self.record = record
        self.requests: list[Recorded] = []
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        self.connections = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="feed-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error:
            raise self._error

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open())
        except BaseException as e:
            self._error = e
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            for s in self._servers:
                s.close()
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    async def _open(self) -> None:
        for host in self.hosts:
            server = await asyncio.start_server(
                self._handle, host, self.port, reuse_address=True, backlog=1024
            )
            if not self.port:
                self.port = server.sockets[0].getsockname()[1]
            self._servers.append(server)

    # ---- API ---------------------------------------------------------------------------------

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.hosts[0]}:{self.port}{path}"

    def route(self, path: str, route: Route) -> str:
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def hits(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.peak_in_flight.clear()
            self.connections = 0

    # ---- serving -----------------------------------------------------------------------------

    def _pick(self, path: str) -> Route | None:
        with self._lock:
            route = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
            if route is not None and route.steps:
                step = route.steps.pop(0) if len(route.steps) > 1 else route.steps[0]
                return step
        if route is None and self.fallback is not None:
            route = self.fallback(path)
        return route

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                try:
                    method, target, _version = line.decode("latin-1").split(" ", 2)
                except ValueError:
                    break
                headers: dict[str, str] = {}
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0") or 0)
                if length:
                    await reader.readexactly(length)
                host = headers.get("host", "").rsplit(":", 1)[0]
                if self.record:
                    with self._lock:
                        self.requests.append(Recorded(method, target, host, headers))
                keep = await self._respond(writer, method, target, host, headers)
                if not keep:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _respond(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        target: str,
        host: str,
        req: dict[str, str],
    ) -> bool:
        with self._lock:
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.peak_in_flight[host] = max(self.peak_in_flight.get(host, 0), self.in_flight[host])
        try:
            route = self._pick(target) or Route.error(404)
            if route.delay:
                await asyncio.sleep(route.delay)
            status, body, headers = self._render(route, req)
            head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            head.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            if method != "HEAD":
                if route.trickle:
                    for i in range(0, len(body), 1024):
                        writer.write(body[i : i + 1024])
                        await writer.drain()
                        await asyncio.sleep(route.trickle)
                else:
                    writer.write(body)
            await writer.drain()
            return req.get("connection", "").lower() != "close"
        finally:
            with self._lock:
                self.in_flight[host] -= 1

    def _render(self, route: Route, req: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        headers: dict[str, Any] = {"Date": formatdate(usegmt=True), **route.headers}
        status, body = route.status, route.body
        if route.location:
            headers["Location"] = route.location
        if route.retry_after is not None:
            headers["Retry-After"] = route.retry_after
        if route.content_type:
            headers["Content-Type"] = route.content_type
        if route.conditional and status == 200:
            etag = route.etag or '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            inm = req.get("if-none-match")
            ims = req.get("if-modified-since")
            if (inm and etag in [t.strip() for t in inm.split(",")]) or (
                not inm and ims and route.last_modified and ims == route.last_modified
            ):
                return 304, b"", {k: v for k, v in headers.items() if k != "Content-Type"}
        accept = req.get("accept-encoding", "")
        if status == 200 and route.gzip and "gzip" in accept:
            body = gzip_mod.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        elif status == 200 and route.deflate and "deflate" in accept:
            body = zlib.compress(body, 6)
            headers["Content-Encoding"] = "deflate"
        return status, body, headers


def with_body(route: Route, body: bytes) -> Route:
    """A copy of ``route`` serving ``body`` (e.g. the feed after an edit)."""
    return replace(route, body=body, etag=None)
