"""``briefbot ingest`` (archive or feeds into the store) and ``briefbot figures`` (one text)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rich.table import Table

from bot.cli.common import now_utc, out, progress_bars, report_problems
from bot.config import Config
from bot.errors import BriefbotError
from bot.models import Figure


async def cmd_figures(cfg: Config, args: argparse.Namespace) -> int:
    from bot.extract import extract
    from bot.pipeline import lexicon_for
    from bot.sources.archive import briefing_date

    if args.path in (None, "-"):
        text = sys.stdin.read()
    else:
        p = Path(args.path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise BriefbotError(f"cannot read {p}: {e}") from None
    published = date.fromisoformat(args.date) if args.date else briefing_date(text)
    figs = extract(
        text,
        published=published,
        lang=args.lang,
        rates=cfg.rates,
        lexicon=lexicon_for(cfg),
        title=getattr(args, "title", None),
    )
    if args.format == "json":
        for f in figs:
            sys.stdout.write(json.dumps(f.to_json_dict(), ensure_ascii=False) + "\n")
    else:
        out.print(format_figures_table(figs))
    return 0


def format_figures_table(figs: Sequence[Figure]) -> Table:
    from bot.digest.numbers import format_amount

    table = Table("entity", "metric", "value", "qualifier", "period", "change", "USD", "lang")
    for f in figs:
        amount = format_amount(f.value, f.unit, "en")
        if f.low is not None:
            amount = f"{format_amount(f.low, f.unit, 'en')}–{amount}"
        change = f"change {f.change_basis or ''}".strip() if f.is_change else ""
        if f.previous is not None:
            change = f"from {format_amount(f.previous, f.unit, 'en')}"
        usd = format_amount(f.usd_value, "USD", "en") if f.usd_value is not None else ""
        table.add_row(
            f.entity or "?", f.metric, amount, f.qualifier, f.period or "", change, usd, f.lang
        )
    return table


async def cmd_ingest(cfg: Config, args: argparse.Namespace) -> int:
    from bot import pipeline
    from bot.store.store import Store

    async with Store.open(cfg.env.database_url) as store:
        with progress_bars(True) as progress:
            if args.feeds:
                rep = await pipeline.ingest_feeds(store, cfg, now=now_utc(), progress=progress)
            else:
                path = Path(args.archive) if args.archive else None
                rep = await pipeline.ingest_archive(store, cfg, path, progress=progress)
    out.print(
        f"items: {rep.items_seen} read, {rep.new_items} new, {rep.changed_items} changed; "
        f"figures: {rep.figures} extracted"
    )
    return report_problems(rep.warnings, rep.errors)
