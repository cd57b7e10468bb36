"""A minimal SMTP server for benchmarks: speaks real SMTP, counts messages, keeps no bodies.

aiosmtpd reads DATA line by line in Python, which on this 2-core machine costs about as much
CPU as the service that sends the mail, so a benchmark with aiosmtpd as the receiver measures
the receiver too. This sink is one asyncio ``Protocol`` in its own process: it answers EHLO
(with PIPELINING, 8BITMIME, SIZE), HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT with the
replies and sequence checks of RFC 5321, finds the end of DATA by searching the buffer for
``CRLF.CRLF``, and answers pipelined commands in one write. It counts each accepted message,
its bytes and the time it arrived (``time.monotonic``, the same clock in every process here).

    sink = SinkProcess.start()        # sink.port; sink.count(), sink.last(), sink.pid
    ...
    sink.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import signal
import socket
import time
from typing import Any

_EHLO = (
    b"250-sink.invalid\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 67108864\r\n"
    b"250 ENHANCEDSTATUSCODES\r\n"
)
_END = b"\r\n.\r\n"


class SinkProtocol(asyncio.Protocol):
    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.in_data = False
        self.scan = 0  # where the search for the end of DATA goes on
        self.mail = False
        self.rcpts = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(b"220 sink.invalid ESMTP ready\r\n")  # type: ignore[union-attr]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        out: list[bytes] = []
        while True:
            if self.in_data:
                # the message may be empty: DATA's content then starts with ".\r\n"
                if self.scan == 0 and self.buf[:3] == b".\r\n":
                    end, skip = 0, 3
                else:
                    i = self.buf.find(_END, max(self.scan - 4, 0))
                    if i < 0:
                        self.scan = len(self.buf)
                        break
                    end, skip = i + 2, i + 5
                s = self.stats
                with s["lock"]:
                    s["count"].value += 1
                    s["bytes"].value += end
                    s["last"].value = time.monotonic()
                del self.buf[:skip]
                self.in_data, self.scan, self.mail, self.rcpts = False, 0, False, 0
                out.append(b"250 2.0.0 OK queued\r\n")
                continue
            i = self.buf.find(b"\r\n")
            if i < 0:
                if len(self.buf) > 4096:
                    out.append(b"500 5.5.6 line too long\r\n")
                    self.buf.clear()
                break
            line = bytes(self.buf[:i])
            del self.buf[: i + 2]
            reply = self.command(line)
            out.append(reply)
            if reply.startswith(b"221"):
                break
        if out and self.transport is not None:
            self.transport.write(b"".join(out))
            if out[-1].startswith(b"221"):
                self.transport.close()

    def command(self, line: bytes) -> bytes:
        verb = line[:4].upper()
        if verb == b"EHLO":
            return _EHLO
        if verb == b"HELO":
            return b"250 sink.invalid\r\n"
        if verb == b"MAIL":
            if self.mail:
                return b"503 5.5.1 nested MAIL command\r\n"
            if not line[4:].upper().startswith(b" FROM:"):
                return b"501 5.5.4 syntax: MAIL FROM:<address>\r\n"
            self.mail = True
            return b"250 2.1.0 OK\r\n"
        if verb == b"RCPT":
            if not self.mail:
                return b"503 5.5.1 need MAIL first\r\n"
            if not line[4:].upper().startswith(b" TO:"):
                return b"501 5.5.4 syntax: RCPT TO:<address>\r\n"
            self.rcpts += 1
            return b"250 2.1.5 OK\r\n"
        if verb == b"DATA":
            if not self.rcpts:
                return b"503 5.5.1 need RCPT first\r\n"
            self.in_data, self.scan = True, 0
            return b"354 end data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"RSET":
            self.mail, self.rcpts = False, 0
            return b"250 2.0.0 OK\r\n"
        if verb == b"NOOP":
            return b"250 2.0.0 OK\r\n"
        if verb == b"QUIT":
            return b"221 2.0.0 bye\r\n"
        return b"500 5.5.2 command not recognized\r\n"


def _serve(sock: socket.socket, stats: dict[str, Any]) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SinkProtocol(stats), sock=sock)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class SinkProcess:
    """The sink in a process of its own (so it does not share the benchmark's GIL)."""

    def __init__(self, proc: Any, port: int, stats: dict[str, Any]) -> None:
        self.proc, self.port, self._stats = proc, port, stats

    @classmethod
    def start(cls, host: str = "127.0.0.1") -> SinkProcess:
        ctx = mp.get_context("fork")
        stats = {
            "lock": ctx.Lock(),
            "count": ctx.Value("q", 0, lock=False),
            "bytes": ctx.Value("q", 0, lock=False),
            "last": ctx.Value("d", 0.0, lock=False),
        }
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        sock.listen(128)
        sock.setblocking(False)
        proc = ctx.Process(target=_serve, args=(sock, stats), daemon=True)
        proc.start()
        port = sock.getsockname()[1]
        sock.close()  # the child has its own copy
        return cls(proc, port, stats)

    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def count(self) -> int:
        return int(self._stats["count"].value)

    def last(self) -> float:
        return float(self._stats["last"].value)

    def bytes(self) -> int:
        return int(self._stats["bytes"].value)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.terminate()
            self.proc.join(5)
