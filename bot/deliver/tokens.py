"""Signed links for subscribers (HMAC-SHA256 with ``BRIEFBOT_SECRET_KEY``), e.g. one-click
unsubscribe: ``{public_url}/unsubscribe/{sign_subscriber(42, key)}``.

A token is ``<id>.<mac>``; ``purpose`` separates token kinds so an unsubscribe token cannot be
replayed as, say, a confirm-email token. ``verify_subscriber`` returns the id or None.

    >>> tok = sign_subscriber(42, "k")
    >>> verify_subscriber(tok, "k")
    42
"""

from __future__ import annotations

import base64
import hashlib
import hmac

UNSUBSCRIBE = "unsubscribe"


def _mac(subscriber_id: int, secret: str, purpose: str) -> str:
    msg = f"briefbot:{purpose}:{subscriber_id}".encode()
    digest = hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_subscriber(subscriber_id: int, secret: str, purpose: str = UNSUBSCRIBE) -> str:
    """A URL-safe token naming ``subscriber_id``, signed for ``purpose``."""
    return f"{subscriber_id}.{_mac(subscriber_id, secret, purpose)}"


def verify_subscriber(token: str, secret: str, purpose: str = UNSUBSCRIBE) -> int | None:
    """The subscriber id if ``token`` was signed with ``secret`` for ``purpose``, else None."""
    sid, _, mac = token.partition(".")
    if not sid.isdigit() or not mac or len(sid) > 18:
        return None
    expected = _mac(int(sid), secret, purpose)
    return int(sid) if hmac.compare_digest(mac, expected) else None


def unsubscribe_url(public_url: str, subscriber_id: int, secret: str) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/{sign_subscriber(subscriber_id, secret)}"


def webhook_secret(secret: str) -> str:
    """The X-Telegram-Bot-Api-Secret-Token of webhook mode, derived from the secret key."""
    mac = hmac.new(secret.encode("utf-8"), b"briefbot:telegram-webhook", hashlib.sha256)
    return mac.hexdigest()[:48]


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison that takes any header text (non-ASCII simply does not match)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))
