"""/settings (an inline keyboard), /timezone, /follow, /unfollow, /quiet, /mute, /unmute.

The keyboard's buttons carry ``s:<what>[:<value>]`` (≤ 64 bytes); each press changes the chat's
own subscriber only and redraws the menu. In groups only the group's admins may press them.
Quiet hours ("HH:MM-HH:MM" in the subscriber's timezone) live in ``extra["quiet"]``; the alert
planner holds alerts until they end (``bot.telegram.prefs.held_until``).
"""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.labels import METRIC_NAMES
from bot.models import METRICS, Lang, Subscriber
from bot.rules.parse import METRIC_ALIASES
from bot.telegram.i18n import CHANNEL_NAMES, LANG_NAMES, WEEKDAYS
from bot.telegram.prefs import COMMON_ZONES, parse_duration, parse_quiet, parse_timezone, show_zone
from bot.telegram.turn import Turn, handler

MAX_FOLLOWS = 30
QUIET_PRESETS = ("22:00-07:00", "23:00-08:00", "00:00-06:00")
_FOLLOWABLE = tuple(m for m in METRICS if m != "other")


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _follow_text(turn: Turn, sub: Subscriber) -> str:
    names = [*sub.follow_entities, *(METRIC_NAMES[turn.lang].get(m, m) for m in sub.follow_metrics)]
    return ", ".join(names) if names else turn.text("everything")


def _channels_value(sub: Subscriber) -> str:
    chans = set(sub.channels)
    return (
        "both" if {"telegram", "email"} <= chans else ("email" if "email" in chans else "telegram")
    )


async def menu(turn: Turn, sub: Subscriber) -> tuple[str, InlineKeyboardMarkup]:
    lang = turn.lang
    extra = await turn.deps.repo.extra(sub.id)
    muted = (
        turn.text("until", when=turn.local(sub.muted_until))
        if sub.muted_until and sub.muted_until > turn.now
        else turn.text("off")
    )
    text = turn.text(
        "settings",
        day=WEEKDAYS[lang][sub.digest_weekday % 7],
        time=sub.digest_time,
        tz=show_zone(sub.timezone),
        lang=LANG_NAMES[sub.lang],
        channels=CHANNEL_NAMES[lang][_channels_value(sub)],
        follow=_follow_text(turn, sub),
        quiet=extra.get("quiet") or turn.text("off"),
        muted=muted,
    )
    keys = [
        ("btn_day", "s:day"),
        ("btn_time", "s:time"),
        ("btn_tz", "s:tz"),
        ("btn_lang", "s:lang"),
        ("btn_channels", "s:ch"),
        ("btn_follow", "s:fol"),
        ("btn_quiet", "s:q"),
        ("btn_done", "s:done"),
    ]
    return text, InlineKeyboardMarkup(_rows([_button(turn.text(k), d) for k, d in keys], 2))


def picker(turn: Turn, sub: Subscriber, what: str) -> tuple[str, InlineKeyboardMarkup]:
    """The sub-menu for one setting."""
    lang: Lang = turn.lang
    back = [_button(turn.text("btn_back"), "s:menu")]
    if what == "day":
        days = [_button(name, f"s:day:{i}") for i, name in enumerate(WEEKDAYS[lang])]
        return turn.text("pick_day"), InlineKeyboardMarkup([*_rows(days, 4), back])
    if what == "time":
        hours = [_button(f"{h:02d}:00", f"s:time:{h:02d}") for h in range(24)]
        return turn.text("pick_time", tz=show_zone(sub.timezone)), InlineKeyboardMarkup(
            [*_rows(hours, 6), back]
        )
    if what == "tz":
        zones = [_button(z, f"s:tz:{i}") for i, z in enumerate(COMMON_ZONES)]
        return turn.text("pick_tz"), InlineKeyboardMarkup([*_rows(zones, 2), back])
    if what == "lang":
        langs = [_button(name, f"s:lang:{code}") for code, name in LANG_NAMES.items()]
        return turn.text("pick_lang"), InlineKeyboardMarkup([langs, back])
    if what == "ch":
        chans = [_button(name, f"s:ch:{code}") for code, name in CHANNEL_NAMES[lang].items()]
        return turn.text("pick_channels"), InlineKeyboardMarkup([chans, back])
    if what == "fol":
        mets = [
            _button(("✓ " if m in sub.follow_metrics else "") + METRIC_NAMES[lang][m], f"s:fm:{m}")
            for m in _FOLLOWABLE
        ]
        return turn.text("pick_follow"), InlineKeyboardMarkup([*_rows(mets, 3), back])
    presets = [_button(q, f"s:q:{q}") for q in QUIET_PRESETS] + [
        _button(turn.text("off"), "s:q:off")
    ]
    return turn.text("pick_quiet", tz=show_zone(sub.timezone)), InlineKeyboardMarkup(
        [*_rows(presets, 2), back]
    )


@handler
async def settings(turn: Turn) -> None:
    """/settings — show the settings with buttons to change them."""
    sub = await turn.need_sub()
    if sub is None:
        return
    text, markup = await menu(turn, sub)
    await turn.send(text, markup=markup)


@handler(changes=True)
async def button(turn: Turn) -> None:
    """A press in the settings keyboard: ``s:<what>`` opens a picker, ``s:<what>:<v>`` sets."""
    query = turn.update.callback_query
    assert query is not None
    sub = turn.sub
    if sub is None:
        await turn.answer("not_subscribed", alert=True)
        return
    what, _, value = (query.data or "").removeprefix("s:").partition(":")
    if what == "done":
        await turn.answer("settings_closed")
        text, _ = await menu(turn, sub)
        await turn.edit(text)
        return
    if what in ("day", "time", "tz", "lang", "ch", "fol", "q") and not value:
        await turn.answer()
        text, markup = picker(turn, sub, what)
        await turn.edit(text, markup=markup)
        return
    if what != "menu":
        updated = await _set(turn, sub, what, value)
        if updated is None:
            return
        sub = turn.sub = updated
        turn.lang = updated.lang
        if what == "fm":  # stay in the follow picker to toggle more
            await turn.answer("saved")
            text, markup = picker(turn, sub, "fol")
            await turn.edit(text, markup=markup)
            return
        await turn.answer("saved")
    else:
        await turn.answer()
    text, markup = await menu(turn, sub)
    await turn.edit(text, markup=markup)


async def _set(turn: Turn, sub: Subscriber, what: str, value: str) -> Subscriber | None:
    """Apply one button's value; None (after answering) when it is not valid (stale/forged)."""
    deps, now = turn.deps, turn.now
    fields: dict[str, Any] = {}
    if what == "day" and value.isdigit() and int(value) < 7:
        fields["digest_weekday"] = int(value)
    elif what == "time" and value.isdigit() and int(value) < 24:
        fields["digest_time"] = f"{int(value):02d}:00"
    elif what == "tz" and value.isdigit() and int(value) < len(COMMON_ZONES):
        fields["timezone"] = COMMON_ZONES[int(value)]
    elif what == "lang" and value in LANG_NAMES:
        fields["lang"] = value
    elif what == "ch" and value in ("telegram", "email", "both"):
        if value != "telegram" and not (sub.email and sub.email_confirmed):
            await turn.answer("email_first", alert=True)
            return None
        fields["channels"] = ("telegram", "email") if value == "both" else (value,)
    elif what == "fm" and value in _FOLLOWABLE:
        mets = list(sub.follow_metrics)
        fields["follow_metrics"] = (
            [m for m in mets if m != value] if value in mets else [*mets, value]
        )
    elif what == "q" and (value == "off" or value in QUIET_PRESETS):
        await deps.repo.merge_extra(sub.id, quiet=None if value == "off" else value)
        return sub
    else:
        await turn.answer("stale_button", alert=True)
        return None
    return await deps.subs.update(sub.id, now, **fields) or sub


@handler(changes=True)
async def timezone(turn: Turn) -> None:
    """/timezone CITY | UTC+8 — the digest's and quiet hours' timezone."""
    sub = await turn.need_sub()
    if sub is None:
        return
    if not turn.args:
        await turn.say("tz_usage", tz=show_zone(sub.timezone))
        return
    tz = parse_timezone(turn.args)
    if tz is None:
        await turn.say("tz_bad", text=turn.args[:64])
        return
    await turn.deps.subs.update(sub.id, turn.now, timezone=tz)
    await turn.say("tz_set", tz=show_zone(tz))


_TIME = re.compile(r"^([01]?\d|2[0-3])[:.：]([0-5]\d)$")


@handler(changes=True)
async def digest_time(turn: Turn) -> None:
    """/time 07:30 — the weekly digest's local time (any minute, not just whole hours)."""
    sub = await turn.need_sub()
    if sub is None:
        return
    m = _TIME.match(turn.args.strip())
    if m is None:
        await turn.say("time_usage", time=sub.digest_time, tz=show_zone(sub.timezone))
        return
    value = f"{int(m.group(1)):02d}:{m.group(2)}"
    await turn.deps.subs.update(sub.id, turn.now, digest_time=value)
    await turn.say("time_set", time=value, tz=show_zone(sub.timezone))


def _metric_of(word: str) -> str | None:
    m = METRIC_ALIASES.get(" ".join(word.lower().split()))
    return m if m in _FOLLOWABLE else None


@handler(changes=True)
async def follow(turn: Turn) -> None:
    """/follow Meta | capex — narrow the digest to followed companies OR metrics."""
    sub = await turn.need_sub()
    if sub is None:
        return
    name = " ".join(turn.args.split())
    if not name or len(name) > 100:
        await turn.say("follow_usage", follow=_follow_text(turn, sub))
        return
    if len(sub.follow_entities) + len(sub.follow_metrics) >= MAX_FOLLOWS:
        await turn.say("follow_limit", n=MAX_FOLLOWS)
        return
    metric = _metric_of(name)
    if metric is not None:
        shown = METRIC_NAMES[turn.lang][metric]
        fields: dict[str, Any] = {
            "follow_metrics": list(dict.fromkeys((*sub.follow_metrics, metric)))
        }
    else:
        shown = turn.deps.canonical(name) or name
        known = [e for e in sub.follow_entities if e.casefold() == shown.casefold()]
        fields = {"follow_entities": list(sub.follow_entities) + ([] if known else [shown])}
    updated = await turn.deps.subs.update(sub.id, turn.now, **fields) or sub
    turn.sub = updated
    await turn.say("followed", name=shown, follow=_follow_text(turn, updated))


@handler(changes=True)
async def unfollow(turn: Turn) -> None:
    """/unfollow Meta | capex."""
    sub = await turn.need_sub()
    if sub is None:
        return
    name = " ".join(turn.args.split())
    if not name or len(name) > 100:
        await turn.say("follow_usage", follow=_follow_text(turn, sub))
        return
    metric = _metric_of(name)
    canon = (turn.deps.canonical(name) or name).casefold()
    ents = [e for e in sub.follow_entities if e.casefold() not in (canon, name.casefold())]
    mets = [m for m in sub.follow_metrics if m != metric]
    if len(ents) == len(sub.follow_entities) and len(mets) == len(sub.follow_metrics):
        await turn.say("not_following", name=name)
        return
    updated = (
        await turn.deps.subs.update(sub.id, turn.now, follow_entities=ents, follow_metrics=mets)
        or sub
    )
    turn.sub = updated
    await turn.say("unfollowed", name=name, follow=_follow_text(turn, updated))


@handler(changes=True)
async def quiet(turn: Turn) -> None:
    """/quiet 22-7 | off — alerts in these hours wait until they end."""
    sub = await turn.need_sub()
    if sub is None:
        return
    arg = turn.args.strip().lower()
    extra = await turn.deps.repo.extra(sub.id)
    if arg in ("off", "none", "关闭"):
        await turn.deps.repo.merge_extra(sub.id, quiet=None)
        await turn.say("quiet_off")
        return
    value = parse_quiet(arg) if arg else None
    if value is None:
        await turn.say("quiet_usage", quiet=extra.get("quiet") or turn.text("off"))
        return
    await turn.deps.repo.merge_extra(sub.id, quiet=value)
    await turn.say("quiet_set", quiet=value, tz=show_zone(sub.timezone))


@handler(changes=True)
async def mute(turn: Turn) -> None:
    """/mute 8h — no alerts for a while (they join the next digest)."""
    sub = await turn.need_sub()
    if sub is None:
        return
    span = parse_duration(turn.args) if turn.args else None
    if span is None:
        await turn.say("mute_usage")
        return
    until = turn.now + span
    await turn.deps.subs.update(sub.id, turn.now, muted_until=until)
    await turn.say("muted", until=turn.local(until), tz=show_zone(sub.timezone))


@handler(changes=True)
async def unmute(turn: Turn) -> None:
    """/unmute — alerts on again now."""
    sub = await turn.need_sub()
    if sub is None:
        return
    if sub.muted_until is None or sub.muted_until <= turn.now:
        await turn.say("not_muted")
        return
    await turn.deps.subs.update(sub.id, turn.now, muted_until=None)
    await turn.say("unmuted")
