"""``briefbot digest``: build a week's digest files, or queue it for a channel."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import UsageError, now_utc, out
from bot.config import Config
from bot.models import Period


async def cmd_digest(cfg: Config, args: argparse.Namespace) -> int:
    from bot import pipeline
    from bot.store.store import Store

    try:
        period = Period.parse(args.week) if args.week else Period.of(now_utc().date())
    except ValueError as e:
        raise UsageError(str(e)) from None
    async with Store.open(cfg.env.database_url) as store:
        if args.channel != "file":
            n = await pipeline.enqueue_digest(
                store, cfg, period, channel=args.channel, now=now_utc()
            )
            out.print(f"digest {period.key}: {n} message(s) queued for {args.channel}")
            return 0
        out_dir = Path(args.out) if args.out else None
        rep = await pipeline.build_digests(store, cfg, periods=[period], out=out_dir, force=True)
    for p in rep.files:
        out.print(str(p))
    return 0
