"""What every handler shares: ``Web`` (config, store, clock, limits, templates) and the helpers
that turn a request into a page: language, CSRF cookie, friendly errors.

Handlers raise ``PageError(status, "error.<name>")``; one exception handler renders it as a page
in the visitor's language with that status. Nothing else reaches the visitor from an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import jinja2
from python_multipart.exceptions import MultipartParseError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.config import Config
from bot.models import Lang
from bot.paths import templates_dir
from bot.store.store import Store
from bot.web.clientip import Network, client_key, parse_networks
from bot.web.data import WebData
from bot.web.i18n import pick_lang, translator
from bot.web.ratelimit import Clock, Limiter
from bot.web.security import CSRF_COOKIE, CSRF_FIELD, csrf_field, csrf_ok, new_csrf_cookie

TEMPLATES_DIR = templates_dir() / "web"
LANG_COOKIE = "bb_lang"
MAX_FORM_BYTES = 32 * 1024
NO_STORE = {"cache-control": "no-store", "x-robots-tag": "noindex"}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Limits:
    """(hits, window seconds) per key. Defaults suit one person and one small office NAT."""

    subscribe_ip: tuple[int, float] = (10, 3600)
    subscribe_address: tuple[int, float] = (3, 3600)
    confirm_ip: tuple[int, float] = (30, 3600)
    confirm_address: tuple[int, float] = (10, 3600)


class PageError(Exception):
    """A friendly error page: ``status`` and a catalog stem (``error.<name>.title``/``.text``)."""

    def __init__(self, status: int, name: str, headers: dict[str, str] | None = None, **kw: Any):
        super().__init__(name)
        self.status, self.name, self.headers, self.kw = status, name, headers or {}, kw


@dataclass
class Web:
    config: Config
    store: Store
    clock: Clock
    limits: Limits
    env: jinja2.Environment
    data: WebData
    limiters: dict[str, Limiter] = field(default_factory=dict)
    trusted: tuple[Network, ...] | None = None

    @property
    def secret(self) -> str:
        return self.config.env.secret_key

    @property
    def public_url(self) -> str:
        return self.config.env.public_url.rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    def now(self) -> datetime:
        return self.clock()

    async def check(self, name: str, key: str) -> None:
        """A 429 page when ``key`` is over limiter ``name``'s limit; counts nothing."""
        wait = await self.limiters[name].wait(key)
        if wait:
            raise PageError(
                429, "rate", headers={"retry-after": str(wait)}, minutes=max(1, -(-wait // 60))
            )

    async def limit(self, name: str, key: str) -> None:
        """Count a hit on limiter ``name``; a 429 page when ``key`` is over its limit."""
        wait = await self.limiters[name].take(key)
        if wait:
            raise PageError(
                429, "rate", headers={"retry-after": str(wait)}, minutes=max(1, -(-wait // 60))
            )


def make_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(
            ("html", "xml"), disabled_extensions=("txt",), default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def lang_of(request: Request) -> Lang:
    return pick_lang(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def t_of(request: Request) -> Callable[..., str]:
    return translator(lang_of(request))


def _csrf_cookie(request: Request) -> str:
    value = request.cookies.get(CSRF_COOKIE)
    if not value or len(value) > 100:
        value = getattr(request.state, "new_csrf", None) or new_csrf_cookie()
        request.state.new_csrf = value
    return value


def _lang_path(request: Request) -> str:
    """Where the language switch goes: this page again, unless reloading it would act
    (a form's result, a confirmation link), then the home page.

    Only a path that matched one of our routes is echoed, and only as a plain local path: the raw
    path of a 404 (``//evil.example/%2e%2e``) would otherwise become an off-site link.
    """
    path = request.url.path
    if request.method not in ("GET", "HEAD") or path.startswith("/confirm/"):
        return "/"
    if "endpoint" not in request.scope or not path.startswith("/") or path.startswith("//"):
        return "/"
    return quote(path, safe="/-._~")


def render(
    request: Request,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **ctx: Any,
) -> HTMLResponse:
    """A page in the visitor's language, with a CSRF field value for its forms."""
    web = web_of(request)
    lang = lang_of(request)
    token = csrf_field(web.secret, _csrf_cookie(request))
    page = web.env.get_template(template).render(
        t=translator(lang),
        lang=lang,
        other_lang="zh" if lang == "en" else "en",
        lang_path=_lang_path(request),
        path=request.url.path,
        csrf_name=CSRF_FIELD,
        csrf=token,
        **ctx,
    )
    resp = HTMLResponse(page, status_code=status, headers=headers)
    remember(request, resp)
    return resp


def remember(request: Request, resp: Response) -> None:
    """Set the CSRF cookie if this visit made one, and the language if ``?lang=`` chose it."""
    web = web_of(request)
    new = getattr(request.state, "new_csrf", None)
    if new:
        resp.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="lax", secure=web.secure_cookies, path="/"
        )
    chosen = request.query_params.get("lang")
    if chosen in ("en", "zh") and chosen != request.cookies.get(LANG_COOKIE):
        resp.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=web.secure_cookies,
            path="/",
        )


async def read_form(request: Request, *, csrf: bool = True) -> FormData:
    """The posted form (size-capped); a 403 page when its CSRF token does not match."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        raise PageError(413, "too_large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise PageError(413, "too_large")
    request._body = body  # Request.form() re-reads the cached body
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = FormData()
    else:
        try:
            form = await request.form(max_files=0, max_fields=50)
        except (HTTPException, MultiPartException, MultipartParseError, ValueError):
            raise PageError(400, "bad_form") from None  # a broken body is the sender's fault
    if csrf:
        web = web_of(request)
        field = form.get(CSRF_FIELD)
        if isinstance(field, str) and not field.isascii():
            raise PageError(400, "bad_form")  # no page ever writes such a token
        if not csrf_ok(web.secret, request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
            raise PageError(403, "csrf")
    return form


def client_ip(request: Request) -> str:
    """The client's rate-limit key: its address (IPv6: its /64), through trusted proxies only
    (``[web] trusted_proxies``, ``bot.web.clientip``)."""
    web = web_of(request)
    if web.trusted is None:
        web.trusted = parse_networks(web.config.file.web.trusted_proxies)
    return client_key(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        request.headers.get("forwarded"),
        web.trusted,
    )
