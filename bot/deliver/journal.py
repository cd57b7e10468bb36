"""A small local journal of what went out but is not yet recorded in the store.

Why: a message the provider accepted must never be sent again, yet recording "sent" needs the
database, which can be down (restart, outage, full disk). The worker writes each sent outbox id
(and each part of a multi-part message that went out) here first, then records it in the store;
once the store has it, the journal forgets it. A stop while the store is down leaves the file
behind; the next start replays it into the store before its first claim.

The contract:

* ``sent(id)`` / ``progress(id, parts)``: appended at once (``os.write``: survives a killed
  process); ``sync()`` fsyncs (the worker calls it before recording a group, and at stop).
* ``pending`` / ``pending_progress``: what the store does not have yet (this process's and
  those of finished processes' journals of the same database, loaded at ``open``).
* ``recorded(ids)`` / ``progress_recorded(ids)``: the store has them; when nothing is left the
  file is emptied, and the journals of finished processes are deleted.

One file per process (``sent-<host>-<pid>.journal`` in ``directory``), headed by a digest of
the database URL so a journal is never replayed into another database. A file whose process is
still running on this host is left alone. ``SentJournal.memory()`` keeps the same books without
a file (tools and tests that drain once).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
from pathlib import Path

log = logging.getLogger(__name__)

_COMPACT_BYTES = 256 * 1024


def database_tag(url: str) -> str:
    """A short digest naming a database without revealing its URL (password included)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


class SentJournal:
    def __init__(self, path: Path | None, tag: str = "") -> None:
        self.path, self.tag = path, tag
        self.pending: dict[int, None] = {}  # ordered set: sent ids the store does not have
        self.pending_progress: dict[int, int] = {}  # id -> parts delivered, not yet stored
        self._fd: int | None = None
        self._others: list[Path] = []  # journals of finished processes, loaded here
        self._dirty = False

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def memory(cls) -> SentJournal:
        return cls(None)

    @classmethod
    def open(cls, directory: Path, database_url: str, name: str | None = None) -> SentJournal:
        """This process's journal in ``directory``, with what earlier processes left behind
        (``name``: the file's name instead of ``sent-<host>-<pid>.journal``)."""
        directory.mkdir(parents=True, exist_ok=True)
        host = socket.gethostname()
        tag = database_tag(database_url)
        j = cls(directory / (name or f"sent-{host}-{os.getpid()}.journal"), tag)
        assert j.path is not None
        if j.path.exists():  # an earlier process with our pid (a container's pid 1), or App
            j._load(j.path)
        for other in sorted(directory.glob("*.journal")):
            if other == j.path or _running(other.name, host):
                continue
            if j._load(other):
                j._others.append(other)
        j._fd = os.open(j.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        j._write_all()
        if j.pending or j.pending_progress:
            log.warning(
                "outbox: %d sent message(s) not yet recorded found in %s; recording them first",
                len(j.pending),
                directory,
            )
        return j

    def _load(self, path: Path) -> bool:
        """Read another process's journal; False if it belongs to another database."""
        try:
            lines = path.read_text(encoding="ascii", errors="replace").splitlines()
        except OSError as e:
            log.warning("outbox: cannot read %s: %s", path, e)
            return False
        if not lines or lines[0] != f"db {self.tag}":
            return False
        for line in lines[1:]:
            kind, _, rest = line.partition(" ")
            try:
                if kind == "S":
                    self.pending[int(rest)] = None
                    self.pending_progress.pop(int(rest), None)
                elif kind == "P":
                    i, n = (int(x) for x in rest.split())
                    if i not in self.pending:
                        self.pending_progress[i] = max(n, self.pending_progress.get(i, 0))
                elif kind == "R":
                    for x in rest.split(","):
                        self.pending.pop(int(x), None)
                        self.pending_progress.pop(int(x), None)
            except ValueError:
                continue  # a torn last line: what it named was not acknowledged yet
        return True

    # ---- writing -------------------------------------------------------------------------

    def sent(self, entry_id: int) -> None:
        self.pending[entry_id] = None
        self.pending_progress.pop(entry_id, None)
        self._append(f"S {entry_id}\n")

    def progress(self, entry_id: int, parts: int) -> None:
        if parts > self.pending_progress.get(entry_id, 0):
            self.pending_progress[entry_id] = parts
            self._append(f"P {entry_id} {parts}\n")

    def sync(self) -> None:
        if self._fd is not None and self._dirty:
            os.fsync(self._fd)
            self._dirty = False

    def recorded(self, ids: list[int]) -> None:
        for i in ids:
            self.pending.pop(i, None)
        self._settle(ids)

    def progress_recorded(self, done: dict[int, int]) -> None:
        for i, n in done.items():
            if self.pending_progress.get(i, 0) <= n:
                self.pending_progress.pop(i, None)
        self._settle(list(done))

    def _settle(self, ids: list[int]) -> None:
        if self._fd is None:
            return
        if not self.pending and not self.pending_progress:
            os.ftruncate(self._fd, 0)
            self._append(f"db {self.tag}\n")
            for other in self._others:
                with contextlib.suppress(OSError):
                    other.unlink()
            self._others.clear()
        elif ids:
            self._append(f"R {','.join(map(str, ids))}\n")
            if os.fstat(self._fd).st_size > _COMPACT_BYTES:
                os.ftruncate(self._fd, 0)
                self._write_all()

    def _write_all(self) -> None:
        lines = [f"db {self.tag}\n"]
        lines += [f"S {i}\n" for i in self.pending]
        lines += [f"P {i} {n}\n" for i, n in self.pending_progress.items()]
        self._append("".join(lines))
        self.sync()

    def _append(self, text: str) -> None:
        if self._fd is not None:
            os.write(self._fd, text.encode("ascii"))
            self._dirty = True

    def close(self) -> None:
        """fsync and close; the file is removed when the store has everything."""
        if self._fd is None:
            return
        self.sync()
        os.close(self._fd)
        self._fd = None
        if not self.pending and not self.pending_progress and self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()


def _running(name: str, host: str) -> bool:
    """Whether the journal file ``sent-<host>-<pid>.journal`` belongs to a live process here."""
    stem = name.removeprefix("sent-").removesuffix(".journal")
    owner, _, pid = stem.rpartition("-")
    if owner != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
