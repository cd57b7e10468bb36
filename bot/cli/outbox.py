"""``briefbot outbox status|retry-dead``: thin commands over OutboxRepo."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bot.cli.common import out
from bot.config import Config
from bot.outbox import format_status
from bot.store.outbox import OutboxRepo
from bot.store.store import Store


async def cmd_outbox(cfg: Config, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    async with Store.open(cfg.env.database_url) as store:
        repo = OutboxRepo(store.engine)
        if args.outbox_command == "status":
            out.print(format_status(await repo.status(now), now))
        else:
            n = await repo.retry_dead(now)
            out.print(f"{n} dead message(s) queued again")
    return 0
