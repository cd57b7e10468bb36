"""``briefbot`` command line: parse arguments -> pipeline/store calls -> format -> print.

``main`` and the parser live here; each command group has its module (``service``: run and
status; ``ingest``: ingest and figures; ``digest``; ``alerts``; ``feeds``; ``outbox``; ``db``),
and ``common`` holds what they share (consoles, "now", progress bars).

Exit codes: 0 ok, 1 failure (one line on stderr saying what to do next), 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.cli.alerts import cmd_alerts_test
from bot.cli.common import UsageError, err
from bot.cli.db import cmd_db_upgrade
from bot.cli.digest import cmd_digest
from bot.cli.feeds import cmd_feeds
from bot.cli.ingest import cmd_figures, cmd_ingest
from bot.cli.outbox import cmd_outbox
from bot.cli.service import cmd_run, cmd_status
from bot.config import Config, load_config
from bot.errors import BriefbotError

log = logging.getLogger("briefbot")


# ---- parser ----------------------------------------------------------------------------


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
    f.add_argument(
        "--title",
        help="the article's headline: its company is the subject of sentences naming none",
    )
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
    up = dbsub.add_parser(
        "upgrade",
        parents=[common],
        help="apply migrations (idempotent)",
        description="apply migrations (idempotent)",
    )
    up.add_argument(
        "--refile-facts",
        action="store_true",
        help="also file every stored figure under its fact again (after fact identity changed)",
    )
    up.set_defaults(func=cmd_db_upgrade)

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
    from bot.cli.logs import configure

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
