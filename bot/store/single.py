"""One service process per SQLite database: an exclusive ``flock`` on ``<db file>.lock``.

SQLite has no advisory locks across connections and one writer at a time, so Briefbot's rule on
SQLite is one ``briefbot run`` per database file (replicas need PostgreSQL, where
``service.leader`` elects one leader among many). The lock is held for the life of the process and
released by the kernel when it dies, so a ``kill -9`` never leaves a stale lock behind. The pid
of the holder is written into the file for the message the second process prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from bot.errors import BriefbotError


class AlreadyRunning(BriefbotError):
    """Another ``briefbot run`` holds this SQLite database."""


def sqlite_path(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL (None for PostgreSQL or ``:memory:``)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).expanduser().resolve()


class ProcessLock:
    """``acquire()`` the lock of one SQLite database or raise ``AlreadyRunning``."""

    def __init__(self, db_file: Path) -> None:
        self.path = db_file.with_name(db_file.name + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held until release)
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            fh.close()
            db = self.path.with_suffix("")
            raise AlreadyRunning(
                f"another `briefbot run` (pid {holder}) is already using {db}; SQLite allows one "
                "service process per database: stop it first, or use PostgreSQL "
                "(BRIEFBOT_DATABASE_URL=postgresql://...) to run several replicas"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.truncate(0)
            fh.close()  # closing drops the flock
