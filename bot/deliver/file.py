"""The file channel: delivery with no credentials, into ``digests/``.

* alerts and notices: one line each appended to ``digests/alerts.log``::

      2026-02-09T08:00:00+00:00 alert:rule-7:meta|capex|... Meta capex up to $135B (2026) — ...

* digests: ``digests/<key-sanitized>.md`` (markdown, else text), written only if it does not
  exist yet -- the digest job writes its own archive files; this is the fallback copy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import RetryLater
from bot.models import Message, OutboxEntry
from bot.textsafe import one_line

ALERTS_LOG = "alerts.log"


def sanitize(key: str) -> str:
    """A file name from a message key: ``digest:2026-W06`` -> ``digest-2026-W06``."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-.")
    return name[:150] or "message"


class FileChannel:
    name = "file"

    def __init__(self, folder: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.folder = folder
        self.clock = clock or (lambda: datetime.now(UTC))

    async def send(self, entry: OutboxEntry, message: Message) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if message.kind == "digest":
                self._write_digest(message)
            else:
                self._append_alert(entry, message)
        except OSError as e:
            raise RetryLater(f"cannot write to {self.folder}: {e}") from e

    def _append_alert(self, entry: OutboxEntry, message: Message) -> None:
        stamp = self.clock().isoformat(timespec="seconds")
        # the text starts with the alert's headline; the subject would only repeat it
        line = f"{stamp} {message.key} {one_line(message.text)}\n"
        # one write() on an O_APPEND file: lines from concurrent writers do not interleave
        fd = os.open(self.folder / ALERTS_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)

    def _write_digest(self, message: Message) -> None:
        path = self.folder / f"{sanitize(message.key)}.md"
        if path.exists():
            return
        body = message.markdown or f"# {message.subject}\n\n{message.text}\n"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, path)

    async def aclose(self) -> None:
        return None
