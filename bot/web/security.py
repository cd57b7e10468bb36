"""Security plumbing: response headers and signed double-submit CSRF tokens.

CSRF: the browser holds a random value in an HttpOnly, SameSite=Lax cookie; every form carries
``HMAC(secret, cookie value)``. A POST passes only when the field matches the cookie's HMAC, so
another site can neither read the cookie nor compute the field. RFC 8058 one-click unsubscribe is
the one form without it: mail providers POST without cookies, and the signed link is the proof.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "bb_csrf"
CSRF_FIELD = "csrf"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Archived digest HTML files are written for email clients: inline styles, no scripts.
DIGEST_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers above (and a CSP unless the route set its own)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                extra = dict(HEADERS)
                extra["content-security-policy"] = CSP
                if self.hsts:
                    extra["strict-transport-security"] = "max-age=31536000"
                for k, v in extra.items():
                    if k not in present:
                        headers.append((k.encode("latin-1"), v.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(24)


def csrf_field(secret: str, cookie: str) -> str:
    key = hashlib.sha256(("briefbot.web.csrf:" + secret).encode()).digest()
    return hmac.new(key, cookie.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, cookie: str | None, field: object) -> bool:
    if not cookie or not isinstance(field, str) or len(cookie) > 100:
        return False
    if not (cookie.isascii() and field.isascii()):  # compare_digest raises on non-ASCII str
        return False
    return hmac.compare_digest(csrf_field(secret, cookie), field)
