"""/digest, /latest [N], /figures ENTITY — reading stored figures, replies straight to the chat.

Lines are the digest's own wording (``bot.digest.view.line_view``), one per *fact* (the English
and Chinese halves of a briefing reporting the same number make one line).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from bot.digest.model import DigestLine
from bot.digest.render import render_telegram
from bot.digest.select import group_facts, make_line, select_digest
from bot.digest.view import line_view
from bot.models import Lang, Period, StoredFigure
from bot.store.store import Store
from bot.telegram.i18n import Safe
from bot.telegram.turn import Turn, handler

LATEST_DEFAULT = 5
LATEST_MAX = 20
FIGURES_MAX = 15
_SCAN = 500  # newest stored figures looked at by /latest


def format_line(ln: DigestLine, lang: Lang, *, with_date: bool = True) -> str:
    """One fact as a Telegram HTML bullet: "• <b>Meta</b> — capex up to $135B (2026) (2026-02-04)"."""
    v = line_view(ln, lang)
    when = f" <i>({ln.newest.date().isoformat()})</i>" if with_date and ln.newest else ""
    return (
        f"• <b>{html.escape(v.entity, quote=False)}</b> — {html.escape(v.text, quote=False)}{when}"
    )


def newest_facts(figures: Sequence[StoredFigure], limit: int) -> list[DigestLine]:
    lines = [make_line(c) for c in group_facts(figures)]
    lines.sort(key=lambda ln: ln.newest or datetime.min.replace(tzinfo=UTC), reverse=True)
    return lines[:limit]


async def top_of_latest(
    store: Store, lang: Lang, n: int = 3
) -> tuple[date, list[DigestLine]] | None:
    """The ``n`` most important facts of the newest day of briefings (largest USD value first)."""
    newest = await store.figures(limit=1)
    if not newest:
        return None
    day = newest[0].published.astimezone(UTC).date()
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    figs = await store.figures(since=start, until=start + timedelta(days=1))
    d = select_digest(figs, Period.of(day), lang=lang, max_lines=n)
    return day, list(d.top)


@handler
async def digest(turn: Turn) -> None:
    """/digest — the digest of the newest week with figures, personalised, as HTML parts."""
    store = turn.deps.store
    newest = await store.figures(limit=1)
    if not newest:
        await turn.say("no_figures")
        return
    period = Period.of(newest[0].published.astimezone(UTC).date())
    start = datetime(*period.start().timetuple()[:3], tzinfo=UTC)
    figs = await store.figures(since=start, until=start + timedelta(days=7))
    sub = turn.sub
    d = select_digest(
        figs,
        period,
        lang=turn.lang,
        follow_entities=sub.follow_entities if sub else (),
        follow_metrics=sub.follow_metrics if sub else (),
        history=await store.facts(first_before=start),
        weights=turn.deps.config.file.digests.rank.weights(),
    )
    for part in render_telegram(d, turn.lang):
        await turn.send(part)


@handler
async def latest(turn: Turn) -> None:
    """/latest [N] — the newest N facts (default 5, at most 20)."""
    arg = turn.args.strip()
    n = LATEST_DEFAULT
    if arg:
        if not arg.isascii() or not arg.isdigit() or not 1 <= int(arg) <= LATEST_MAX:
            await turn.say("latest_usage", max=LATEST_MAX)
            return
        n = int(arg)
    lines = newest_facts(await turn.deps.store.figures(limit=_SCAN), n)
    if not lines:
        await turn.say("no_figures")
        return
    body = "\n".join(format_line(ln, turn.lang) for ln in lines)
    await turn.send(turn.text("latest_header", n=len(lines)) + "\n" + body)


@handler
async def figures(turn: Turn) -> None:
    """/figures ENTITY — the stored facts for one company, any alias ("meta", "微软")."""
    name = " ".join(turn.args.split())
    if not name or len(name) > 100:
        await turn.say("figures_usage")
        return
    canon = turn.deps.canonical(name) or name
    found = await turn.deps.store.figures(entity=canon, limit=_SCAN)
    lines = newest_facts(found, FIGURES_MAX)
    if not lines:
        await turn.say("figures_none", entity=canon)
        return
    body = "\n".join(format_line(ln, turn.lang) for ln in lines)
    await turn.send(turn.text("figures_header", entity=canon) + "\n" + body)


def top_block(turn: Turn, top: tuple[date, list[DigestLine]] | None) -> Safe:
    """The "top figures of the latest briefing" part of /start."""
    if top is None or not top[1]:
        return Safe(turn.text("no_figures_yet"))
    day, lines = top
    head = turn.text("top_header", date=day.isoformat())
    return Safe(
        head + "\n" + "\n".join(format_line(ln, turn.lang, with_date=False) for ln in lines)
    )
