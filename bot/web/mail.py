"""The two emails the web page sends: "confirm your subscription" and "your settings link".

They are ``Message(kind="notice")`` values, enqueued into the outbox on the ``email`` channel like
every other message (the email worker sends them). Keys are unique per link (``nonce``), so a
double-submitted form enqueues once.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from bot.models import Lang, Message, OutboxEntry, Subscriber
from bot.outbox import encode_message, entry_key


def _message(
    env: jinja2.Environment,
    t: Callable[..., str],
    kind: str,
    key: str,
    url: str,
    lang: Lang,
    rules: tuple[str, ...] = (),
) -> Message:
    ctx = {
        "t": t,
        "rules": rules,
        "rules_intro": t("mail.confirm.rules") if rules else "",
        "lang": lang,
        "url": url,
        "intro": t(f"mail.{kind}.intro"),
        "action": t(f"mail.{kind}.action"),
        "ignore": t(f"mail.{kind}.ignore"),
        "subject": t(f"mail.{kind}.subject"),
    }
    return Message(
        kind="notice",
        key=key,
        subject=ctx["subject"],
        text=env.get_template("email/link.txt").render(ctx),
        html=env.get_template("email/link.html").render(ctx),
    )


def confirm_message(
    env: jinja2.Environment,
    t: Callable[..., str],
    lang: Lang,
    sid: int,
    nonce: str,
    url: str,
    rules: tuple[str, ...] = (),
) -> Message:
    """The "confirm" email. It lists the alert rules the form asked for: whoever typed the address
    may not be its owner, so the owner sees what confirming would switch on (they apply only once
    confirmed)."""
    return _message(env, t, "confirm", f"web-confirm:{sid}:{nonce}", url, lang, rules)


def manage_message(
    env: jinja2.Environment, t: Callable[..., str], lang: Lang, sid: int, nonce: str, url: str
) -> Message:
    return _message(env, t, "manage", f"web-manage:{sid}:{nonce}", url, lang)


def email_entry(message: Message, sub: Subscriber, address: str) -> OutboxEntry:
    return OutboxEntry(
        key=entry_key(message.key, "email", sub),
        channel="email",
        recipient=address,
        subscriber_id=sub.id,
        payload=encode_message(message),
    )
