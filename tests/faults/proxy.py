"""A loopback TCP proxy (asyncio, in the test's event loop) that can refuse, cut or stall.

    async with FaultProxy("127.0.0.1", 5432) as proxy:   # proxy.port: connect here instead
        proxy.refuse()    # stop listening: new connections get ECONNREFUSED; open ones are cut
        proxy.cut()       # close every open connection (a server restart, as clients see it)
        proxy.cut(hard=True)   # ... even mid-answer (a crash)
        proxy.stall()     # accept, then never forward a byte (a hung server)
        await proxy.restore()   # listen and forward again (same port)
        proxy.connections       # connections accepted so far

Put it in front of PostgreSQL, the SMTP server or the Bot API fake; the service under test is
pointed at ``proxy.port``. The machine's servers are never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import time


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, *, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.host = "127.0.0.1"
        self.port = port
        self.mode = "pass"  # pass | stall
        self.connections = 0
        self.down_since: float | None = None
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._conns: set[_Conn] = set()

    async def start(self) -> FaultProxy:
        self._server = await asyncio.start_server(
            self._client, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aenter__(self) -> FaultProxy:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url_host(self) -> str:
        return f"{self.host}:{self.port}"

    # ---- faults --------------------------------------------------------------------------

    def refuse(self, *, hard: bool = False) -> None:
        """New connections are refused and open ones cut (see ``cut``)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self.down_since = self.down_since or time.monotonic()
        self.cut(hard=hard)

    def cut(self, *, hard: bool = False) -> None:
        """Close every open connection: one waiting for the server's answer once that answer
        is through (a server stopping finishes the request in hand), the others at once; a
        request that arrives meanwhile is not forwarded. ``hard``: all at once, mid-answer
        too (a crash: the sender cannot know whether that request went through)."""
        for c in list(self._conns):
            if hard or c.last != "up":
                c.abort()
            else:
                c.closing = True

    def stall(self) -> None:
        """Connections are accepted but nothing is forwarded (open ones freeze too)."""
        self.mode = "stall"
        self.down_since = self.down_since or time.monotonic()

    async def restore(self) -> None:
        self.mode = "pass"
        self.down_since = None
        if self._server is None:
            for _ in range(50):
                try:
                    await self.start()
                    return
                except OSError:  # the port is in TIME_WAIT for a moment
                    await asyncio.sleep(0.1)
            raise RuntimeError(f"proxy could not listen on {self.port} again")

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self.cut()
        for t in list(self._pipes):
            t.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    # ---- forwarding ----------------------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        conn = _Conn(writer, up_writer)
        self._conns.add(conn)
        a = asyncio.create_task(self._pipe(reader, up_writer, conn, "up"))
        b = asyncio.create_task(self._pipe(up_reader, writer, conn, "down"))
        self._pipes |= {a, b}
        try:
            await asyncio.wait({a, b}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in (a, b):
                t.cancel()
            conn.abort()
            self._conns.discard(conn)
            self._pipes -= {a, b}

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, conn: _Conn, way: str
    ) -> None:
        with contextlib.suppress(Exception):
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                while self.mode == "stall":
                    await asyncio.sleep(0.05)
                if conn.closing and way == "up":
                    break  # a new request after the cut: not forwarded
                conn.last = way
                writer.write(data)
                await writer.drain()
                if conn.closing and way == "down":
                    await asyncio.sleep(0.01)  # the rest of a split answer
                    if reader._buffer:  # type: ignore[attr-defined]
                        continue
                    break
        conn.abort()


class _Conn:
    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client, self.server = client, server
        self.last = "down"  # who spoke last: "up" (the client; an answer is due) or "down"
        self.closing = False

    def abort(self) -> None:
        for w in (self.client, self.server):
            with contextlib.suppress(Exception):
                w.transport.abort()


def pg_url_via(url: str, proxy: FaultProxy) -> str:
    """``url`` (postgresql://user@host:port/db) pointed at the proxy."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)
