"""The signed URLs the web pages and emails link to (one place that knows their shape).

* ``/confirm/<token>``      confirm-purpose token from ``bot.web.tokens`` (2 days, single use)
* ``/manage/<token>``       manage-purpose token from ``bot.web.tokens`` (180 days); a token made
                            by ``bot.deliver.tokens.sign_subscriber(id, key, "manage")`` works too
* ``/unsubscribe/<token>``  ``bot.deliver.tokens`` (the same link the email worker puts in the
                            List-Unsubscribe header)
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.deliver import tokens as deliver_tokens
from bot.web import tokens
from bot.web.tokens import Claims, TokenError

MANAGE = "manage"
_DELIVER_TOKEN = re.compile(r"^\d{1,18}\.[A-Za-z0-9_-]{43}$")


def _base(public_url: str) -> str:
    return public_url.rstrip("/")


def confirm_url(
    public_url: str, secret: str, sid: int, email: str, nonce: str, now: datetime
) -> str:
    tok = tokens.sign(secret, "confirm", sid, email, now=now, ttl=tokens.CONFIRM_TTL, nonce=nonce)
    return f"{_base(public_url)}/confirm/{tok}"


def manage_path(secret: str, sid: int, email: str, now: datetime) -> str:
    return "/manage/" + tokens.sign(secret, "manage", sid, email, now=now, ttl=tokens.MANAGE_TTL)


def manage_url(public_url: str, secret: str, sid: int, email: str, now: datetime) -> str:
    """The settings link for emails (the digest's "Manage subscription")."""
    return _base(public_url) + manage_path(secret, sid, email, now)


def unsubscribe_path(secret: str, sid: int) -> str:
    return "/unsubscribe/" + deliver_tokens.sign_subscriber(sid, secret)


def read_manage(secret: str, token: str, now: datetime) -> tuple[int, Claims | None]:
    """(subscriber id, claims) of a manage token; claims is None for a ``bot.deliver`` token,
    which names the subscriber but carries no address binding or expiry."""
    if _DELIVER_TOKEN.match(token):
        sid = deliver_tokens.verify_subscriber(token, secret, MANAGE)
        if sid is None:
            raise TokenError("invalid")
        return sid, None
    claims = tokens.verify(secret, "manage", token, now=now)
    return claims.subscriber_id, claims


def read_unsubscribe(secret: str, token: str) -> int:
    sid = deliver_tokens.verify_subscriber(token, secret) if len(token) <= 100 else None
    if sid is None:
        raise TokenError("invalid")
    return sid
