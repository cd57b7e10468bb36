"""The signed URLs the web pages and emails link to (one place that knows their shape).

* ``/confirm/<token>``      confirm-purpose token from ``bot.web.tokens`` (2 days, single use)
* ``/manage/<token>``       manage-purpose token from ``bot.web.tokens`` (180 days), bound to the
                            address and the subscriber's token version
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


def manage_path(secret: str, sid: int, email: str, now: datetime, version: int = 0) -> str:
    token = tokens.sign(
        secret, "manage", sid, email, now=now, ttl=tokens.MANAGE_TTL, version=version
    )
    return "/manage/" + token


def manage_url(
    public_url: str, secret: str, sid: int, email: str, now: datetime, version: int = 0
) -> str:
    """The settings link for emails (the digest's "Manage subscription")."""
    return _base(public_url) + manage_path(secret, sid, email, now, version)


def unsubscribe_path(secret: str, sid: int, version: int = 0) -> str:
    return "/unsubscribe/" + deliver_tokens.sign_subscriber(sid, secret, version=version)


def read_manage(secret: str, token: str, now: datetime) -> tuple[int, Claims]:
    """(subscriber id, claims) of a manage token; the caller checks ``claims.matches`` against
    the subscriber's address and token version. (``<id>.<mac>`` manage tokens, which bound no
    address or version, are no longer accepted.)"""
    if _DELIVER_TOKEN.match(token):
        raise TokenError("invalid")
    claims = tokens.verify(secret, "manage", token, now=now)
    return claims.subscriber_id, claims


def unsubscribe_candidate(token: str) -> int:
    """The subscriber an unsubscribe token names (unverified: ``check_unsubscribe`` next)."""
    sid = deliver_tokens.token_subscriber(token) if len(token) <= 100 else None
    if sid is None:
        raise TokenError("invalid")
    return sid


def check_unsubscribe(secret: str, token: str, versions: tuple[int, ...]) -> bool:
    """Whether ``token`` is a valid unsubscribe token for one of these token versions."""
    return any(deliver_tokens.verify_subscriber(token, secret, version=v) for v in versions)
