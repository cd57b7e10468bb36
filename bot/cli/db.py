"""``briefbot db upgrade [--refile-facts]``: migrate the database (and file every figure under
its fact again, after ``bot.facts``' identity rules changed)."""

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
        facts = await store.rebuild_facts() if getattr(args, "refile_facts", False) else None
    finally:
        await store.close()
    out.print(f"database at revision {rev}")
    if facts is not None:
        out.print(f"figures filed under {facts} facts")
    return 0
