"""``briefbot feeds ...``: thin commands over FeedRepo and the OPML helpers."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.common import out
from bot.config import Config
from bot.errors import BriefbotError
from bot.sources.opml import export_opml, import_feeds, parse_opml
from bot.store.feeds import FeedRepo, format_status_table
from bot.store.store import Store


async def cmd_feeds(cfg: Config, args: argparse.Namespace) -> int:
    allow = cfg.env.allow_private_feeds
    async with Store.open(cfg.env.database_url) as store:
        repo = FeedRepo(store.engine)
        await repo.sync_from_config(cfg.file.feeds)
        cmd = args.feeds_command
        if cmd in ("status", "list"):
            rows = await repo.status()
            if args.format == "json":
                for r in rows:
                    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                out.print(
                    format_status_table(rows)
                    if rows
                    else "no feeds (add one: briefbot feeds add URL)"
                )
        elif cmd == "add":
            row = await repo.add(
                args.url,
                args.name,
                args.lang,
                args.poll_minutes,
                allow_private=allow,
                now=datetime.now(UTC),
            )
            out.print(f"feed added: {row.url}")
        elif cmd == "remove":
            if not await repo.remove(args.url):
                raise BriefbotError(f"no feed {args.url} (see: briefbot feeds list)")
            out.print(f"feed removed: {args.url}")
        elif cmd == "import":
            try:
                data = Path(args.file).read_bytes()
            except OSError as e:
                raise BriefbotError(f"cannot read {args.file}: {e.strerror or e}") from None
            feeds, warnings = parse_opml(data)
            rep = await import_feeds(repo, feeds, allow_private=allow)
            for w in [*warnings, *rep.warnings, *rep.refused]:
                out.print(f"warning: {w}")
            out.print(f"imported {len(rep.added)} feed(s), {len(rep.existing)} already known")
        elif cmd == "export":
            sys.stdout.write(export_opml(await repo.list()))
    return 0
