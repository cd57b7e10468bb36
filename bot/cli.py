"""``briefbot`` command line: parse arguments -> pipeline/store calls -> format -> print.

Exit codes: 0 ok, 1 failure (one line on stderr saying what to do next), 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from bot import __version__
from bot.config import Config, load_config
from bot.errors import BriefbotError, RuleError, StoreUnavailable
from bot.models import Figure, Period
from bot.terminal import SafeConsole

out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)
log = logging.getLogger("briefbot")


def now_utc() -> datetime:
    """The commands' "now": real UTC time, or the test clock when ``BRIEFBOT_TEST_CLOCK`` is set
    (replays and subprocess tests move it, as they do for ``briefbot run``)."""
    from bot.clock import clock_from_env

    return clock_from_env(os.environ).now()


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A pipeline Progress callback drawing one rich bar per step (on stderr, TTY only)."""
    if not enabled or not err.is_terminal:
        yield lambda step, done, total: None
        return
    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
    ) as bars:
        tasks: dict[str, Any] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done, total=total)

        yield update


# ---- commands ---------------------------------------------------------------------------


async def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    from bot import pipeline
    from bot.store.store import Store

    if not args.once:
        from bot.service import serve

        return await serve(cfg)
    async with Store.open(cfg.env.database_url) as store:
        with progress_bars(True) as progress:
            rep = await pipeline.run_once(store, cfg, now=now_utc(), progress=progress)
    out.print(format_once(rep))
    return report_problems(rep.ingest.warnings + rep.alerts.warnings, rep.ingest.errors)


def report_problems(warnings: Sequence[str], errors: Sequence[str]) -> int:
    """Print warnings and errors, one line each; exit 1 when a source could not be read."""
    for w in warnings:
        err.print(f"warning: {w}")
    for e in errors:
        err.print(f"error: {e}")
    return 1 if errors else 0


def format_once(rep: Any) -> str:
    i, a, d = rep.ingest, rep.alerts, rep.digest
    lines = [
        f"items: {i.items_seen} read from {i.files} file(s), {i.new_items} new, "
        f"{i.changed_items} changed",
        f"figures: {i.figures} extracted",
        f"alerts: {a.fired} fired from {a.rules} rule(s), {a.queued} message(s) queued",
        f"digests: {len(d.periods)} written ({', '.join(d.periods) or 'none due'})"
        + (f", {len(d.skipped)} already built" if d.skipped else ""),
    ]
    lines += [f"  {p}" for p in d.files]
    if d.queued:
        lines.append(f"subscriber digests queued: {d.queued}")
    if rep.sent is not None:
        lines.append(rep.sent.summary())
    lines.append(
        "nothing new: no rows added" if rep.rows_added == 0 else f"rows added: {rep.rows_added}"
    )
    return "\n".join(lines)


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
        text, published=published, lang=args.lang, rates=cfg.rates, lexicon=lexicon_for(cfg)
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


async def cmd_feeds(cfg: Config, args: argparse.Namespace) -> int:
    from bot.feeds_cli import run

    return await run(cfg, args, out)


async def cmd_outbox(cfg: Config, args: argparse.Namespace) -> int:
    from bot.outbox_cli import run

    return await run(cfg, args, out)


async def cmd_status(cfg: Config, args: argparse.Namespace) -> int:
    from bot.clock import clock_from_env
    from bot.status import format_status, gather_status
    from bot.store.store import Store

    now = clock_from_env(os.environ).now()
    try:
        async with Store.open(cfg.env.database_url) as store:
            st = await gather_status(cfg, store, now=now)
    except StoreUnavailable as e:
        raise StoreUnavailable(f"{e}{service_view(cfg)}") from e
    if args.format == "json":
        sys.stdout.write(json.dumps(st.to_json(), ensure_ascii=False) + "\n")
    else:
        out.print(format_status(st), markup=False)
    return 0


def service_view(cfg: Config) -> str:
    """What a running service's state file says about the database, for a one-line error."""
    from bot.status import STALE_AFTER, read_state, state_path

    state = read_state(state_path(cfg))
    if state is None or state.stopping or datetime.now(UTC) - state.heartbeat > STALE_AFTER:
        return " (no service running)"
    db = next((h for h in state.health if h.get("name") == "database"), None)
    if db is None or db.get("up", True):
        return f" (service pid {state.pid} running)"
    return f" (service pid {state.pid} running; database down since {db.get('down_since')})"


# ---- parser ----------------------------------------------------------------------------


class UsageError(BriefbotError):
    pass


def _common_options() -> argparse.ArgumentParser:
    """Options accepted before or after the command (``briefbot run --log-level INFO``)."""
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--config", help="path to briefbot.toml (default: $BRIEFBOT_CONFIG or config/briefbot.toml)"
    )
    common.add_argument(
        "--log-level", help="DEBUG, INFO, WARNING, ERROR (default: [logging] level)"
    )
    common.add_argument("--log-format", choices=["text", "json"], help="default: [logging] format")
    return common


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="briefbot",
        description="Extract key figures from briefings and feeds; send digests and alerts.",
    )
    p.add_argument("--version", action="version", version=f"briefbot {__version__}")
    for action in _common_options()._actions:
        p._add_action(action)
    common = _common_options()
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser(
        "run",
        parents=[common],
        help="run the service (scheduler, bot, workers); --once for one pass",
        description="run the service (scheduler, bot, workers); --once for one pass",
    )
    r.add_argument("--once", action="store_true", help="one pass of every job, then exit")
    r.set_defaults(func=cmd_run)

    f = sub.add_parser(
        "figures",
        parents=[common],
        help="extract figures from a text file or stdin",
        description="extract figures from a text file or stdin",
    )
    f.add_argument("path", nargs="?", help="file to read, or - for stdin (default)")
    f.add_argument("--format", choices=["json", "table"], default="json")
    f.add_argument("--lang", choices=["en", "zh"], help="force the language (default: detect)")
    f.add_argument("--date", help="publication date YYYY-MM-DD for relative periods")
    f.set_defaults(func=cmd_figures)

    i = sub.add_parser(
        "ingest",
        parents=[common],
        help="load the archive (default) or poll the feeds into the store",
        description="load the archive (default) or poll the feeds into the store",
    )
    i.add_argument(
        "--archive", metavar="PATH", help="a briefing file or folder (default: [archive] path)"
    )
    i.add_argument("--feeds", action="store_true", help="poll the configured feeds instead")
    i.set_defaults(func=cmd_ingest)

    d = sub.add_parser(
        "digest",
        parents=[common],
        help="build the digest of one ISO week",
        description="build the digest of one ISO week",
    )
    d.add_argument("--week", help="ISO week like 2026-W06 (default: this week)")
    d.add_argument("--channel", choices=["file", "email", "telegram"], default="file")
    d.add_argument("--out", metavar="DIR", help="folder for the file channel (default: digests/)")
    d.set_defaults(func=cmd_digest)

    a = sub.add_parser("alerts", parents=[common], help="alert rules", description="alert rules")
    asub = a.add_subparsers(dest="alerts_command", required=True, metavar="SUBCOMMAND")
    at = asub.add_parser(
        "test",
        parents=[common],
        help="parse a rule and backtest it against stored figures",
        description="parse a rule and backtest it against stored figures",
    )
    at.add_argument("rule", help='e.g. "capex > 100B USD"')
    at.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="json: one object per fired alert (value, figure, sources)",
    )
    at.set_defaults(func=cmd_alerts_test)

    db = sub.add_parser(
        "db", parents=[common], help="database maintenance", description="database maintenance"
    )
    dbsub = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    dbsub.add_parser(
        "upgrade",
        parents=[common],
        help="apply migrations (idempotent)",
        description="apply migrations (idempotent)",
    ).set_defaults(func=cmd_db_upgrade)

    fe = sub.add_parser(
        "feeds",
        parents=[common],
        help="manage and inspect feeds",
        description="manage and inspect feeds",
    )
    fsub = fe.add_subparsers(dest="feeds_command", required=True, metavar="SUBCOMMAND")
    fs = fsub.add_parser(
        "status", parents=[common], help="per-feed health", description="per-feed health"
    )
    fs.add_argument("--format", choices=["json", "table"], default="table")
    fl = fsub.add_parser("list", parents=[common], help="list feeds", description="list feeds")
    fl.add_argument("--format", choices=["json", "table"], default="table")
    fa = fsub.add_parser("add", parents=[common], help="add a feed", description="add a feed")
    fa.add_argument("url")
    fa.add_argument("--name")
    fa.add_argument("--lang", choices=["en", "zh"])
    fa.add_argument("--poll-minutes", type=int)
    fr = fsub.add_parser(
        "remove", parents=[common], help="remove a feed", description="remove a feed"
    )
    fr.add_argument("url")
    fi = fsub.add_parser(
        "import",
        parents=[common],
        help="import feeds from an OPML file",
        description="import feeds from an OPML file",
    )
    fi.add_argument("file")
    fsub.add_parser(
        "export",
        parents=[common],
        help="print the feeds as OPML",
        description="print the feeds as OPML",
    )
    fe.set_defaults(func=cmd_feeds)

    ob = sub.add_parser(
        "outbox",
        parents=[common],
        help="inspect the delivery outbox",
        description="inspect the delivery outbox",
    )
    osub = ob.add_subparsers(dest="outbox_command", required=True, metavar="SUBCOMMAND")
    osub.add_parser(
        "status",
        parents=[common],
        help="counts by state and channel, oldest due, recent errors",
        description="counts by state and channel, oldest due, recent errors",
    )
    osub.add_parser(
        "retry-dead",
        parents=[common],
        help="put dead messages back in the queue",
        description="put dead messages back in the queue",
    )
    ob.set_defaults(func=cmd_outbox)

    st = sub.add_parser(
        "status",
        parents=[common],
        help="store counts, jobs, feed health, outbox depth",
        description="store counts, jobs, feed health, outbox depth",
    )
    st.add_argument("--format", choices=["text", "json"], default="text")
    st.set_defaults(func=cmd_status)
    return p


def _configure_logging(level: str, fmt: str) -> None:
    from bot.logs import configure

    configure(level, fmt)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        level, fmt = getattr(args, "log_level", None), getattr(args, "log_format", None)
        _configure_logging(level or "WARNING", fmt or "text")
        config_path = getattr(args, "config", None)
        cfg = load_config(os.environ, Path(config_path) if config_path else None)
        _configure_logging(level or cfg.file.logging.level, fmt or cfg.file.logging.format)
        func: Callable[[Config, argparse.Namespace], Coroutine[Any, Any, int]] = args.func
        return asyncio.run(func(cfg, args))
    except UsageError as e:
        err.print(f"briefbot: {e}")
        return 2
    except BriefbotError as e:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            err.print_exception()
        err.print(f"briefbot: {e}", markup=False, highlight=False)
        return 1
    except KeyboardInterrupt:
        err.print("briefbot: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
