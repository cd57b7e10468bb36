"""Pages behind a signed link: ``/manage/<token>`` and ``/unsubscribe/<token>``.

The token is the only credential. Every action re-checks it and that the subscriber it names
still has the address it was issued for; a failed check is the same "link not valid" page
whether or not the subscriber exists.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.digest.numbers import format_amount
from bot.models import Subscriber
from bot.web import links
from bot.web.context import NO_STORE, PageError, Web, lang_of, read_form, remember, render, web_of
from bot.web.data import email_active
from bot.web.forms import (
    COMMON_TIMEZONES,
    MAX_RULE_LEN,
    MAX_RULES,
    Checked,
    check_prefs,
    check_rule,
)
from bot.web.i18n import translator
from bot.web.tokens import TokenError

DONE = ("saved", "rule_added", "rule_saved", "rule_deleted")


async def _subscriber(web: Web, token: str) -> Subscriber:
    try:
        sid, claims = links.read_manage(web.secret, token, web.now())
    except TokenError as e:
        raise PageError(410 if e.reason == "expired" else 400, f"{e.reason}_token") from None
    sub = await web.data.get(sid)
    if sub is None or sub.email is None:
        raise PageError(400, "invalid_token")
    if not claims.matches(web.secret, sub.email, sub.token_version):
        raise PageError(400, "invalid_token")
    return sub


def _alert_view(a: Any, lang: str, tz: str) -> dict[str, str]:
    f = a.figure or {}
    value = ""
    if "value" in f and "unit" in f:
        try:
            value = format_amount(float(f["value"]), str(f["unit"]), lang)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = ""
    return {
        "when": a.fired_at.astimezone(_zone(tz)).strftime("%Y-%m-%d %H:%M %Z"),
        "rule": a.rule_text,
        "entity": str(f.get("entity") or ""),
        "metric": str(f.get("metric") or "").replace("_", " "),
        "value": value,
        "sentence": str(f.get("sentence") or "")[:300],
    }


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def _page(
    request: Request,
    sub: Subscriber,
    *,
    status: int = 200,
    checked: Checked | None = None,
    rule_errors: dict[str, str] | None = None,
    rule_values: dict[str, str] | None = None,
) -> Response:
    web = web_of(request)
    lang = lang_of(request)
    rules = await web.store.rules(sub.id)
    alerts = await web.data.recent_alerts(sub.id)
    done = request.query_params.get("done")
    values = {
        "lang": sub.lang,
        "digest_weekday": str(sub.digest_weekday),
        "digest_time": sub.digest_time,
        "timezone": sub.timezone,
    } | (checked.values if checked else {})
    token = request.path_params["token"]
    return render(
        request,
        "manage.html",
        status=status,
        headers=NO_STORE,
        sub=sub,
        active=email_active(sub),
        base=f"/manage/{token}",
        unsubscribe=links.unsubscribe_path(web.secret, sub.id, sub.token_version),
        values=values,
        errors=checked.errors if checked else {},
        rules=rules,
        rule_errors=rule_errors or {},
        rule_values=rule_values or {},
        alerts=[_alert_view(a, lang, sub.timezone) for a in alerts],
        done=done if done in DONE else None,
        timezones=COMMON_TIMEZONES,
        max_rule_len=MAX_RULE_LEN,
        can_add=len(rules) < MAX_RULES,
    )


def _back(request: Request, done: str) -> Response:
    resp = RedirectResponse(f"/manage/{request.path_params['token']}?done={done}", 303)
    resp.headers.update(NO_STORE)
    remember(request, resp)
    return resp


async def manage(request: Request) -> Response:
    web = web_of(request)
    sub = await _subscriber(web, request.path_params["token"])
    return await _page(request, sub)


async def save_prefs(request: Request) -> Response:
    web = web_of(request)
    form = await read_form(request)
    sub = await _subscriber(web, request.path_params["token"])
    checked = Checked(values={})
    check_prefs(form, translator(lang_of(request)), checked)
    if not checked.ok:
        return await _page(request, sub, status=400, checked=checked)
    await web.data.save_prefs(sub.id, checked.prefs.as_dict(), web.now())
    return _back(request, "saved")


async def add_rule(request: Request) -> Response:
    web = web_of(request)
    form = await read_form(request)
    sub = await _subscriber(web, request.path_params["token"])
    text = str(form.get("rule") or "").strip()
    rule, message = check_rule(text)
    if rule is None:
        return await _page(
            request, sub, status=400, rule_errors={"new": message or ""}, rule_values={"new": text}
        )
    if len(await web.store.rules(sub.id)) >= MAX_RULES:
        t = translator(lang_of(request))
        return await _page(
            request,
            sub,
            status=400,
            rule_errors={"new": t("err.too_many_rules", n=MAX_RULES)},
            rule_values={"new": text},
        )
    await web.store.ensure_rule(rule.text, sub.id)
    return _back(request, "rule_added")


async def edit_rule(request: Request) -> Response:
    """Save a changed rule (``action=save``) or delete it (``action=delete``)."""
    web = web_of(request)
    form = await read_form(request)
    sub = await _subscriber(web, request.path_params["token"])
    rule_id = request.path_params["rule_id"]
    mine = {r["id"]: r for r in await web.store.rules(sub.id)}
    if rule_id not in mine:
        raise PageError(404, "not_found")
    if form.get("action") == "delete":
        await web.store.delete_rule(rule_id, sub.id)
        return _back(request, "rule_deleted")
    text = str(form.get("rule") or "").strip()
    rule, message = check_rule(text)
    if rule is None:
        key = str(rule_id)
        return await _page(
            request, sub, status=400, rule_errors={key: message or ""}, rule_values={key: text}
        )
    if rule.text != mine[rule_id]["text"]:
        # A changed rule is a new rule: it may fire again on facts the old one already reported.
        await web.store.ensure_rule(rule.text, sub.id)
        await web.store.delete_rule(rule_id, sub.id)
    return _back(request, "rule_saved")


async def _unsub_subscriber(web: Web, token: str) -> Subscriber:
    try:
        sid = links.unsubscribe_candidate(token)
    except TokenError:
        raise PageError(400, "invalid_token") from None
    sub = await web.data.get(sid)
    # the link sent just before unsubscribing still shows "unsubscribed" (harmless); any older
    # one, or one for an address since changed, is revoked
    v = sub.token_version if sub is not None else 0
    versions = (v,) if sub is None or email_active(sub) else (v, v - 1)
    if sub is None or not links.check_unsubscribe(web.secret, token, versions):
        raise PageError(400, "invalid_token")
    return sub


async def unsubscribe_page(request: Request) -> Response:
    web = web_of(request)
    sub = await _unsub_subscriber(web, request.path_params["token"])
    t = translator(lang_of(request))
    if not email_active(sub):
        return _unsubscribed(request, sub)
    return render(
        request,
        "unsubscribe.html",
        headers=NO_STORE,
        question=t("unsub.question", email=sub.email or ""),
    )


async def unsubscribe(request: Request) -> Response:
    """POST: from the page's button, or RFC 8058 one-click (``List-Unsubscribe=One-Click``).

    No CSRF check: mail providers post without cookies, and the signed link is the proof.
    """
    web = web_of(request)
    await read_form(request, csrf=False)
    sub = await _unsub_subscriber(web, request.path_params["token"])
    done = await web.data.unsubscribe(sub.id, web.now())
    return _unsubscribed(request, done or sub)


def _unsubscribed(request: Request, sub: Subscriber) -> Response:
    t = translator(lang_of(request))
    return render(
        request,
        "message.html",
        headers=NO_STORE,
        title=t("unsub.done_title"),
        text=t("unsub.done_text", email=sub.email or ""),
    )
