"""/alert add RULE · /alert rm ID · /alert pause ID · /alert resume ID · /alerts (with buttons).

``/alert add`` parses the rule (``bot.rules.parse``; a parse error replies with the parser's fix),
stores it for this chat's subscriber and answers with a backtest over the stored figures:
"would have fired N times; last: …". The backtest runs in a worker thread within ``[alerts]
rule_cpu_ms`` of CPU (``bot.rules.budget``); a rule that needs more is refused, since every
alert pass would pause it. Rule ids are global, but every change is scoped to this
chat's subscriber, so nobody can touch another chat's rules.
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.errors import RuleError
from bot.models import Subscriber
from bot.rules.budget import backtest_within
from bot.rules.message import render_alert
from bot.rules.parse import parse_rule
from bot.telegram.turn import Turn, handler

MAX_RULES = 50
BACKTEST_FIGURES = 20_000
_ADD = {"add", "new", "添加", "新增"}
_RM = {"rm", "remove", "del", "delete", "删除"}
_PAUSE = {"pause", "暂停"}
_RESUME = {"resume", "unpause", "恢复"}


@handler
async def alert(turn: Turn) -> None:
    """/alert SUBCOMMAND ... — dispatch to add / rm / pause / resume."""
    word, _, rest = turn.args.partition(" ")
    word = word.lower()
    if word in _ADD:
        await _changing(turn, add, rest.strip())
    elif word in _RM | _PAUSE | _RESUME:
        await _changing(turn, change, (word, rest.strip()))
    elif word == "list":
        await _list(turn)
    else:
        await turn.say("alert_usage")


async def _changing(turn: Turn, fn: Any, arg: Any) -> None:
    if not await turn.may_change():
        await turn.say("group_admins_only")
        return
    sub = await turn.need_sub()
    if sub is not None:
        await fn(turn, sub, arg)


async def add(turn: Turn, sub: Subscriber, text: str) -> None:
    text = " ".join(text.split()) if "\n" not in text else text
    try:
        rule = parse_rule(text, canonical=turn.deps.canonical)
    except RuleError as e:
        await turn.say("alert_bad", error=str(e))
        return
    store = turn.deps.store
    rows = await store.rules(sub.id)
    same = next((r for r in rows if r["text"] == text), None)
    if same is not None:
        await turn.say("alert_exists", id=same["id"], text=text)
        return
    if len(rows) >= MAX_RULES:
        await turn.say("alert_limit", n=len(rows))
        return
    figures = await store.figures(limit=BACKTEST_FIGURES)
    try:
        bt = await asyncio.to_thread(
            backtest_within,
            rule.model_copy(update={"subscriber_id": sub.id}),
            figures,
            rates=turn.deps.config.rates,
            canonical=turn.deps.canonical,
            seconds=turn.deps.config.file.alerts.rule_cpu_ms / 1000,
        )
    except RuleError:
        bt = None
    else:
        if bt is None:  # too costly over the stored history: it would be paused on every pass
            await turn.say("alert_too_costly", text=text)
            return
    rule_id = await store.ensure_rule(text, sub.id)
    reply = turn.text("alert_added", id=rule_id, text=text)
    if bt is None or bt.hits == 0:
        reply += turn.text("backtest_none")
    else:
        reply += turn.text("backtest", n=bt.hits)
        for hit in bt.last:
            headline = render_alert(hit, turn.lang).text.split("\n", 1)[0]
            day = hit.fired_at.date().isoformat()
            reply += f"\n• {html.escape(headline, quote=False)} <i>({day})</i>"
    await turn.send(reply)


async def change(turn: Turn, sub: Subscriber, arg: tuple[str, str]) -> None:
    word, rest = arg
    raw = rest.lstrip("#")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        await turn.say("alert_id_usage")
        return
    rule_id = int(raw)
    ok = await _apply(turn, sub, word, rule_id)
    await turn.say(_done_key(word) if ok else "alert_not_found", id=rule_id)


def _done_key(word: str) -> str:
    if word in _RM:
        return "alert_deleted"
    return "alert_paused" if word in _PAUSE else "alert_resumed"


async def _apply(turn: Turn, sub: Subscriber, word: str, rule_id: int) -> bool:
    store = turn.deps.store
    if word in _RM:
        return await store.delete_rule(rule_id, sub.id)
    return await store.set_rule_paused(rule_id, word in _PAUSE, sub.id)


@handler
async def alerts(turn: Turn) -> None:
    """/alerts — the chat's rules with pause/resume/delete buttons."""
    await _list(turn)


async def _list(turn: Turn) -> None:
    sub = await turn.need_sub()
    if sub is None:
        return
    text, markup = await _listing(turn, sub)
    await turn.send(text, markup=markup)


PAGE_RULES = 10  # rules per /alerts page (two buttons each)
PAGE_CHARS = 3000  # well under Telegram's 4096, escaping and the header included
SHOWN_RULE = 300  # a longer rule is shown clipped (its buttons still act on all of it)


def _pages(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rules split into pages of at most ``PAGE_RULES`` and about ``PAGE_CHARS`` characters."""
    pages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for r in rows:
        n = min(len(html.escape(r["text"], quote=False)), SHOWN_RULE * 6) + 40
        if pages[-1] and (len(pages[-1]) >= PAGE_RULES or size + n > PAGE_CHARS):
            pages.append([])
            size = 0
        pages[-1].append(r)
        size += n
    return pages


async def _listing(
    turn: Turn, sub: Subscriber, page: int = 0, rule_id: int | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the chat's rules (the page holding ``rule_id`` when given), with buttons to
    pause/resume/delete each and to turn pages: every reply fits one Telegram message."""
    rows = await turn.deps.store.rules(sub.id)
    if not rows:
        return turn.text("alerts_none"), None
    pages = _pages(rows)
    if rule_id is not None:
        page = next((i for i, p in enumerate(pages) if any(r["id"] == rule_id for r in p)), page)
    page = max(0, min(page, len(pages) - 1))
    header = turn.text("alerts_header")
    if len(pages) > 1:
        header += f" ({page + 1}/{len(pages)})"
    lines, buttons = [header], []
    for r in pages[page]:
        mark = turn.text("paused_mark") if r["paused"] else ""
        text = r["text"] if len(r["text"]) <= SHOWN_RULE else r["text"][: SHOWN_RULE - 1] + "…"
        lines.append(f"#{r['id']} <code>{html.escape(text, quote=False)}</code>{mark}")
        toggle = ("btn_resume", "r") if r["paused"] else ("btn_pause", "p")
        buttons.append(
            [
                InlineKeyboardButton(
                    turn.text(toggle[0], id=r["id"]), callback_data=f"a:{toggle[1]}:{r['id']}"
                ),
                InlineKeyboardButton(
                    turn.text("btn_delete", id=r["id"]), callback_data=f"a:d:{r['id']}"
                ),
            ]
        )
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=f"a:l:{page - 1}"))
    if page < len(pages) - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=f"a:l:{page + 1}"))
    if nav:
        buttons.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


@handler(changes=True)
async def button(turn: Turn) -> None:
    """A pause/resume/delete button under /alerts: ``a:<p|r|d>:<rule id>``."""
    query = turn.update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    sub = turn.sub
    if (
        sub is None
        or len(parts) != 3
        or parts[1] not in ("p", "r", "d", "l")
        or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) <= 9)
    ):
        await turn.answer("stale_button", alert=True)
        return
    if parts[1] == "l":  # another page of /alerts
        await turn.answer()
        text, markup = await _listing(turn, sub, page=int(parts[2]))
        await turn.edit(text, markup=markup)
        return
    word = {"p": "pause", "r": "resume", "d": "rm"}[parts[1]]
    rule_id = int(parts[2])
    ok = await _apply(turn, sub, word, rule_id)
    await turn.answer(_done_key(word) if ok else "alert_not_found", id=rule_id)
    text, markup = await _listing(turn, sub, rule_id=rule_id)
    await turn.edit(text, markup=markup)
