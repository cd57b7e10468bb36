"""``briefbot db upgrade``: migrate the database."""

from __future__ import annotations

import argparse

from bot.cli.common import out
from bot.config import Config


async def cmd_db_upgrade(cfg: Config, args: argparse.Namespace) -> int:
    from bot.store import db
    from bot.store.store import Store

    store = Store.open(cfg.env.database_url)
    try:
        await store.upgrade()
        rev = await db.current_revision(store.engine)
    finally:
        await store.close()
    out.print(f"database at revision {rev}")
    return 0
