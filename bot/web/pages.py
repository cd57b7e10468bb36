"""The public pages: home (with the subscribe form), subscribe, confirm, and rule checking.

Subscribing never says whether an address is known: a new or unconfirmed address gets a
confirmation link, an active one gets its settings link, and the page is the same either way.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.digest.select import select_digest
from bot.digest.view import LineView, line_view
from bot.errors import StoreError
from bot.models import Lang
from bot.web import links, mail
from bot.web.archive import Published, published
from bot.web.context import NO_STORE, PageError, Web, client_ip, lang_of, read_form, render, web_of
from bot.web.data import email_active
from bot.web.forms import COMMON_TIMEZONES, MAX_RULE_LEN, Checked, check_rule, check_subscribe
from bot.web.i18n import translator
from bot.web.tokens import TokenError, new_nonce, verify

log = logging.getLogger(__name__)

TOP_LINES = 5


async def _top_lines(web: Web, latest: Published, lang: Lang) -> list[LineView]:
    period = latest.period
    tz = ZoneInfo(web.config.file.schedule.timezone)
    start = datetime.combine(period.start(), time.min, tz) - timedelta(days=1)
    end = datetime.combine(period.end(), time.max, tz) + timedelta(days=1)
    try:
        figs = await web.store.figures(since=start, until=end)
        history = await web.store.facts(first_before=start)
    except StoreError:
        return []
    d = select_digest(
        figs,
        period,
        lang=lang,
        max_lines=TOP_LINES,
        tz=tz,
        history=history,
        weights=web.config.file.digests.rank.weights(),
    )
    return [line_view(ln, lang) for ln in d.lines]


def _defaults(web: Web, lang: Lang) -> dict[str, str]:
    sched = web.config.file.schedule
    return {
        "email": "",
        "lang": lang,
        "digest_weekday": str(sched.weekday_index),
        "digest_time": sched.digest_time,
        "timezone": sched.timezone,
        "rules": "",
    }


async def _home(request: Request, checked: Checked | None = None, status: int = 200) -> Response:
    web = web_of(request)
    lang = lang_of(request)
    digests = published(web.config.digests_path)
    latest = digests[0] if digests else None
    top = await _top_lines(web, latest, lang) if latest else []
    values = _defaults(web, lang) | (checked.values if checked else {})
    return render(
        request,
        "home.html",
        status=status,
        latest=latest,
        top=top,
        values=values,
        errors=checked.errors if checked else {},
        timezones=COMMON_TIMEZONES,
        max_rule_len=MAX_RULE_LEN,
    )


async def home(request: Request) -> Response:
    return await _home(request)


async def subscribe(request: Request) -> Response:
    web = web_of(request)
    form = await read_form(request)
    await web.limit("subscribe_ip", client_ip(request))
    t = translator(lang_of(request))
    checked = check_subscribe(form, t)
    if not checked.ok or checked.email is None:
        return await _home(request, checked, status=400)
    address = checked.email
    await web.limit("subscribe_address", address.lower())
    resp = render(
        request,
        "message.html",
        title=t("sent.title"),
        text=t("sent.text", email=address),
        headers=NO_STORE,
    )
    # The answer is the same, and made the same way, whether the address is known or new: the
    # store is only read after it is sent (no timing oracle).
    resp.background = BackgroundTask(_subscribe_work, web, address, checked, web.now())
    return resp


async def _subscribe_work(web: Web, address: str, checked: Checked, now: datetime) -> None:
    """After the answer: a manage link to a known address, a confirmation to a new one."""
    try:
        await _subscribe_mail(web, address, checked, now)
    except Exception:  # the visitor already has their answer; the log has the rest
        log.exception("web: subscribe for a submitted address failed")


async def _subscribe_mail(web: Web, address: str, checked: Checked, now: datetime) -> None:
    existing = await web.data.subscribers.by_email(address)
    nonce = new_nonce()
    if existing is not None and email_active(existing):
        # in the subscriber's language: whoever typed the address may not be them
        mt = translator(existing.lang)
        url = links.manage_url(
            web.public_url, web.secret, existing.id, address, now, existing.token_version
        )
        message = mail.manage_message(web.env, mt, existing.lang, existing.id, nonce, url)
        await web.data.enqueue(mail.email_entry(message, existing, address), now)
    else:
        pending: dict[str, Any] = {
            **checked.prefs.as_dict(),
            "rules": [r.text for r in checked.rules],
        }
        sub = await web.data.request_confirmation(address, pending, nonce, now)
        url = links.confirm_url(web.public_url, web.secret, sub.id, address, nonce, now)
        lang = checked.prefs.lang
        rules = tuple(r.text for r in checked.rules)
        message = mail.confirm_message(web.env, translator(lang), lang, sub.id, nonce, url, rules)
        await web.data.enqueue(mail.email_entry(message, sub, address), now)


async def confirm(request: Request) -> Response:
    web = web_of(request)
    if request.method == "HEAD":  # link checkers probe with HEAD: never spend the token on one
        return Response(status_code=200, headers=NO_STORE, media_type="text/html")
    token = request.path_params["token"]
    now = web.now()
    try:
        claims = verify(web.secret, "confirm", token, now=now)
    except TokenError as e:
        # only failed tokens count per client: garbage cannot lock out a valid link
        await web.limit("confirm_ip", client_ip(request))
        raise PageError(410 if e.reason == "expired" else 400, f"{e.reason}_token") from None
    await web.limit("confirm_address", f"sub-{claims.subscriber_id}")
    sub = await web.data.get(claims.subscriber_id)
    if sub is None or not claims.matches(web.secret, sub.email):
        raise PageError(400, "invalid_token")
    done = await web.data.confirm(sub.id, claims.nonce, now)
    if done is None or done.email is None:
        raise PageError(410, "used_token")
    t = translator(lang_of(request))
    return render(
        request,
        "message.html",
        title=t("confirmed.title"),
        text=t("confirmed.text", email=done.email),
        link=links.manage_path(web.secret, done.id, done.email, now, done.token_version),
        link_text=t("confirmed.manage"),
        headers=NO_STORE,
    )


async def confirm_telegram_email(request: Request) -> Response:
    """``/email/confirm/<token>``: the link in the email a Telegram user's ``/email`` sends."""
    from bot.telegram.mail import confirm_link
    from bot.telegram.repo import BotRepo

    web = web_of(request)
    if request.method == "HEAD":
        return Response(status_code=200, headers=NO_STORE, media_type="text/html")
    await web.check("confirm_ip", client_ip(request))
    engine = web.store.engine
    address = await confirm_link(
        web.store.subscribers, BotRepo(engine), web.secret, request.path_params["token"], web.now()
    )
    if address is None:
        await web.limit("confirm_ip", client_ip(request))  # only failures count (see confirm)
        raise PageError(400, "invalid_token")
    t = translator(lang_of(request))
    return render(
        request,
        "message.html",
        title=t("confirmed.title"),
        text=t("confirmed.text", email=address),
        headers=NO_STORE,
    )


async def check_rule_api(request: Request) -> Response:
    """``GET /api/rule?text=…`` -> ``{"ok": true}`` or ``{"ok": false, "message": "…"}``."""
    text = request.query_params.get("text", "").strip()
    if not text:
        return JSONResponse({"ok": True, "message": ""})
    rule, message = check_rule(text[: MAX_RULE_LEN + 1])
    return JSONResponse({"ok": rule is not None, "message": message or ""})
