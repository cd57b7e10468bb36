"""Signed links for subscribers (HMAC-SHA256 with ``BRIEFBOT_SECRET_KEY``), e.g. one-click
unsubscribe: ``{public_url}/unsubscribe/{sign_subscriber(42, key)}``.

A token is ``<id>.<mac>``; ``purpose`` separates token kinds so an unsubscribe token cannot be
replayed as, say, a confirm-email token; ``version`` (the subscriber's ``token_version``) makes
it revocable. ``verify_subscriber`` returns the id or None.

    >>> tok = sign_subscriber(42, "k")
    >>> verify_subscriber(tok, "k")
    42
"""

from __future__ import annotations

import base64
import hashlib
import hmac

UNSUBSCRIBE = "unsubscribe"


def _mac(subscriber_id: int, secret: str, purpose: str, version: int = 0) -> str:
    tail = f":v{version}" if version else ""  # version 0: the links sent before versions
    msg = f"briefbot:{purpose}:{subscriber_id}{tail}".encode()
    digest = hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_subscriber(
    subscriber_id: int, secret: str, purpose: str = UNSUBSCRIBE, version: int = 0
) -> str:
    """A URL-safe token naming ``subscriber_id``, signed for ``purpose`` and the subscriber's
    ``token_version`` (bumping it revokes every token signed before)."""
    return f"{subscriber_id}.{_mac(subscriber_id, secret, purpose, version)}"


def token_subscriber(token: str) -> int | None:
    """The subscriber id a token names, NOT verified (to look up its version first)."""
    sid, _, mac = token.partition(".")
    if not sid.isascii() or not sid.isdigit() or not mac or len(sid) > 18:
        return None
    return int(sid)


def verify_subscriber(
    token: str, secret: str, purpose: str = UNSUBSCRIBE, version: int = 0
) -> int | None:
    """The subscriber id if ``token`` was signed with ``secret`` for ``purpose`` and
    ``version``, else None."""
    sid = token_subscriber(token)
    if sid is None:
        return None
    expected = _mac(sid, secret, purpose, version)
    given = token.partition(".")[2]
    return sid if same_secret(given, expected) else None


def unsubscribe_url(public_url: str, subscriber_id: int, secret: str, version: int = 0) -> str:
    token = sign_subscriber(subscriber_id, secret, version=version)
    return f"{public_url.rstrip('/')}/unsubscribe/{token}"


def webhook_secret(secret: str) -> str:
    """The X-Telegram-Bot-Api-Secret-Token of webhook mode, derived from the secret key."""
    mac = hmac.new(secret.encode("utf-8"), b"briefbot:telegram-webhook", hashlib.sha256)
    return mac.hexdigest()[:48]


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison that takes any header text (non-ASCII simply does not match)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))
