"""Signed tokens for the web's own links: confirm (single use) and manage.

(Unsubscribe links are ``bot.deliver.tokens``, the same ones the email worker puts in the
List-Unsubscribe header; see ``bot.web.links``.)

A token is an itsdangerous ``URLSafeSerializer`` payload signed with ``BRIEFBOT_SECRET_KEY`` and a
per-purpose salt, so a manage token is no confirm token and vice versa::

    [subscriber id, email tag, nonce, expires (unix seconds, 0 = never)]

* the **email tag** (an HMAC of the address and the subscriber's ``token_version``) ties the
  token to the address it was sent to and revokes it when the subscriber unsubscribes or
  changes address (the version goes up);
* the **nonce** makes confirm links single-use: the store keeps the nonce of the one pending
  confirmation and forgets it on use;
* the **expiry** is checked against the injected clock (no hidden ``time.time()``).

``verify`` raises ``TokenError`` whose ``reason`` ("invalid", "expired") picks the friendly page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from itsdangerous import BadSignature, URLSafeSerializer

Purpose = Literal["confirm", "manage"]
CONFIRM_TTL = timedelta(days=2)
MANAGE_TTL = timedelta(days=180)
MAX_TOKEN_LEN = 400


class TokenError(Exception):
    def __init__(self, reason: Literal["invalid", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Claims:
    purpose: Purpose
    subscriber_id: int
    email_tag: str
    nonce: str
    expires: int

    def matches(self, secret: str, email: str | None, version: int = 0) -> bool:
        """True when the token was issued for this address and token version."""
        if email is None or not self.email_tag.isascii():
            return False
        return hmac.compare_digest(self.email_tag, email_tag(secret, email, version))


def email_tag(secret: str, email: str, version: int = 0) -> str:
    """Binds a token to the address and the subscriber's ``token_version`` (revocation)."""
    key = hashlib.sha256(("briefbot.web.email-tag:" + secret).encode()).digest()
    msg = email.strip().lower() + (f"\x00v{version}" if version else "")
    return hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()[:16]


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def _serializer(secret: str, purpose: Purpose) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"briefbot.web.{purpose}")


def sign(
    secret: str,
    purpose: Purpose,
    subscriber_id: int,
    email: str,
    *,
    now: datetime,
    ttl: timedelta | None,
    nonce: str | None = None,
    version: int = 0,
) -> str:
    """A URL-safe token for ``purpose``; ``ttl=None`` never expires."""
    expires = 0 if ttl is None else int((now + ttl).timestamp())
    payload = [subscriber_id, email_tag(secret, email, version), nonce or new_nonce(), expires]
    token = _serializer(secret, purpose).dumps(payload)
    return token if isinstance(token, str) else token.decode()


def verify(secret: str, purpose: Purpose, token: str, *, now: datetime) -> Claims:
    """The token's claims, or TokenError("invalid" | "expired")."""
    if not token or len(token) > MAX_TOKEN_LEN:
        raise TokenError("invalid")
    try:
        payload = _serializer(secret, purpose).loads(token)
    except (BadSignature, ValueError, TypeError, UnicodeError):
        raise TokenError("invalid") from None
    if (
        not isinstance(payload, list)
        or len(payload) != 4
        or not isinstance(payload[0], int)
        or isinstance(payload[0], bool)
        or not all(isinstance(x, str) for x in payload[1:3])
        or not isinstance(payload[3], int)
    ):
        raise TokenError("invalid")
    sid, tag, nonce, expires = payload
    if expires and now.timestamp() >= expires:
        raise TokenError("expired")
    return Claims(purpose, sid, tag, nonce, expires)
