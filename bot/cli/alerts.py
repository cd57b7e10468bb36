"""``briefbot alerts test``: backtest a rule over the stored figures."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import out
from bot.config import Config
from bot.errors import RuleError


async def cmd_alerts_test(cfg: Config, args: argparse.Namespace) -> int:
    from bot.rules.budget import backtest_within
    from bot.rules.parse import parse_rule
    from bot.store.store import Store

    rule = parse_rule(args.rule)
    async with Store.open(cfg.env.database_url) as store:
        figures = await store.figures()
    seconds = cfg.file.alerts.pass_cpu_ms / 1000
    bt = backtest_within(rule, figures, rates=cfg.rates, seconds=seconds)
    if bt is None:
        raise RuleError(
            f"the rule needs more than {seconds:g} s of CPU over the {len(figures)} stored "
            f"figures ([alerts] pass_cpu_ms); the service would pause it "
            f"(its budget is [alerts] rule_cpu_ms = {cfg.file.alerts.rule_cpu_ms}): make it simpler"
        )
    if args.format == "json":
        for alert in bt.alerts:
            sys.stdout.write(json.dumps(backtest_alert_json(alert), ensure_ascii=False) + "\n")
    else:
        out.print(format_backtest(rule, bt, len(figures)))
    return 0


def backtest_alert_json(alert: Any) -> dict[str, Any]:
    """One fired alert for ``alerts test --format json``: the compared value, the fact's figure
    (Figure JSON) and every source reporting it (oldest first)."""
    return {
        "rule": alert.rule.text,
        "value": alert.value,
        "unit": alert.unit,
        "fired_at": alert.fired_at.isoformat(),
        "figure": alert.figure.to_json_dict(),
        "sources": [
            {
                "item_id": sf.item_id,
                "title": sf.item_title,
                "url": sf.item_url,
                "published": sf.published.isoformat(),
            }
            for sf in alert.figures
        ],
    }


def format_backtest(rule: Any, bt: Any, total: int) -> str:
    from bot.rules.message import format_amount

    lines = [
        f"rule: {rule.text}",
        f"would have fired {bt.hits} time(s) over {total} stored figure(s)",
    ]
    for alert in bt.last:
        hit = alert.figures[0]
        f = hit.figure
        amount = format_amount(f.value, f.unit, "en", signed=f.is_change)
        sources = ", ".join(sf.item_title for sf in alert.figures)
        lines.append(
            f"  {hit.published.date()}  {f.entity or '?'} {f.metric} {amount}  ({sources})"
        )
    if total == 0:
        lines.append("no figures stored yet: run `briefbot ingest` first")
    return "\n".join(lines)
