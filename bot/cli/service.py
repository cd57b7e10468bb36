"""``briefbot run`` (the service, or ``--once`` one pass) and ``briefbot status``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

from bot.cli.common import now_utc, out, progress_bars, report_problems
from bot.config import Config
from bot.errors import StoreUnavailable


async def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    from bot import pipeline
    from bot.store.store import Store

    if not args.once:
        from bot.service.run import serve

        return await serve(cfg)
    async with Store.open(cfg.env.database_url) as store:
        with progress_bars(True) as progress:
            rep = await pipeline.run_once(store, cfg, now=now_utc(), progress=progress)
    out.print(format_once(rep))
    return report_problems(rep.ingest.warnings + rep.alerts.warnings, rep.ingest.errors)


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


async def cmd_status(cfg: Config, args: argparse.Namespace) -> int:
    from bot.service.clock import clock_from_env
    from bot.service.status import format_status, gather_status
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
    from bot.service.status import STALE_AFTER, read_state, state_path

    state = read_state(state_path(cfg))
    if state is None or state.stopping or datetime.now(UTC) - state.heartbeat > STALE_AFTER:
        return " (no service running)"
    db = next((h for h in state.health if h.get("name") == "database"), None)
    if db is None or db.get("up", True):
        return f" (service pid {state.pid} running)"
    return f" (service pid {state.pid} running; database down since {db.get('down_since')})"
