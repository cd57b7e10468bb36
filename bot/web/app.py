"""``create_app(config, store)`` -> the Starlette app: pages, signed links, archive, operators.

    app = create_app(config, store)                 # clock=lambda: datetime.now(UTC)
    await serve_web(config, store, stop)            # bot.web.server: uvicorn on BRIEFBOT_WEB_BIND

Routes::

    GET  /                          what Briefbot is, the latest digest's top figures, subscribe form
    POST /subscribe                 double opt-in: pending subscriber + confirmation email (outbox)
    GET  /confirm/<token>           activates (signed, expiring, single use)
    GET  /manage/<token>            preferences, rules, recent alerts
    POST /manage/<token>/prefs | /rules | /rules/<id>
    GET  /unsubscribe/<token>       one-button page;  POST: unsubscribe now (RFC 8058 one-click too)
    GET  /digests/ /digests/<period>[.png|.md]  /feed.xml
    GET  /healthz /metrics          for operators
    GET  /api/rule?text=…           rule check for the page's script
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Config
from bot.deliver import tokens
from bot.errors import StoreError
from bot.store.store import Store
from bot.web import account, ops, pages
from bot.web.context import Limits, PageError, Web, make_env, render, utc_now
from bot.web.data import WebData
from bot.web.i18n import translator
from bot.web.ratelimit import Clock, Limiter, SlidingWindow
from bot.web.security import SecurityHeaders

log = logging.getLogger("briefbot.web")
STATIC_DIR = Path(__file__).resolve().parent / "static"


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return _error_page(request, exc.status, exc.name, exc.headers, **exc.kw)


def _error_page(
    request: Request, status: int, name: str, headers: dict[str, str] | None = None, **kw: object
) -> Response:
    from bot.web.context import lang_of

    t = translator(lang_of(request))
    return render(
        request,
        "message.html",
        status=status,
        headers={"cache-control": "no-store", **(headers or {})},
        title=t(f"error.{name}.title"),
        text=t(f"error.{name}.text", **kw),
        error=True,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _error_page(request, 404, "not_found")
    if exc.status_code == 405:
        return _error_page(request, 405, "method", dict(exc.headers or {}))
    return _error_page(request, exc.status_code, "server")


async def _store_error(request: Request, exc: Exception) -> Response:
    log.error("web: %s %s: %s", request.method, request.url.path, exc)
    return _error_page(request, 503, "store", {"retry-after": "60"})


class _ServerErrors:
    """Any other exception: logged with its trace, the visitor gets the friendly 500 page
    (inside SecurityHeaders, so the page carries the same headers as every other)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request = Request(scope)
            log.exception("web: %s %s failed", request.method, request.url.path)
            if started:
                raise
            await _error_page(request, 500, "server")(scope, receive, send)


WebhookSink = Callable[[dict[str, Any], str | None], Awaitable[bool]]
MAX_UPDATE_BYTES = 1 << 20


def _webhook_route(
    sink: WebhookSink | None, secret: str
) -> Callable[[Request], Awaitable[Response]]:
    """The webhook: the secret header is checked before a byte of the body is read, and the body
    is read in chunks up to ``MAX_UPDATE_BYTES`` (a chunked 512 MB POST costs nothing)."""

    async def telegram_webhook(request: Request) -> Response:
        if sink is None:
            return PlainTextResponse("not found", status_code=404)
        if not tokens.same_secret(request.headers.get("x-telegram-bot-api-secret-token"), secret):
            return PlainTextResponse("forbidden", status_code=403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_UPDATE_BYTES:
                return PlainTextResponse("too large", status_code=413)
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            data = json.loads(body)
        except ValueError:
            return PlainTextResponse("bad json", status_code=400)
        if not isinstance(data, dict):
            return PlainTextResponse("bad update", status_code=400)
        ok = await sink(data, request.headers.get("x-telegram-bot-api-secret-token"))
        return PlainTextResponse("ok" if ok else "forbidden", status_code=200 if ok else 403)

    return telegram_webhook


def _limiter(store: Store, name: str, hits: int, window: float, clock: Clock) -> Limiter:
    """PostgreSQL: one window in the database, shared by every replica behind the load balancer
    (N replicas enforce one limit, not N). SQLite (one process): in memory."""
    if store.engine.dialect.name == "postgresql":
        from bot.store.ratelimits import SharedWindow

        return SharedWindow(store.engine, name, hits, window, clock)
    return SlidingWindow(hits, window, clock)


def create_app(
    config: Config,
    store: Store,
    *,
    clock: Clock = utc_now,
    limits: Limits | None = None,
    telegram_webhook: WebhookSink | None = None,
) -> Starlette:
    """The web app over ``store``; ``clock`` drives token expiry and rate limits.

    ``telegram_webhook`` (webhook mode) receives each update POSTed to ``/telegram/webhook``
    with its ``X-Telegram-Bot-Api-Secret-Token`` header and says whether the secret matched.
    """
    limits = limits or Limits()
    web = Web(
        config=config,
        store=store,
        clock=clock,
        limits=limits,
        env=make_env(),
        data=WebData(store),
        limiters={
            name: _limiter(store, name, hits, window, clock)
            for name, (hits, window) in (
                ("subscribe_ip", limits.subscribe_ip),
                ("subscribe_address", limits.subscribe_address),
                ("confirm_ip", limits.confirm_ip),
                ("confirm_address", limits.confirm_address),
            )
        },
    )
    token = "{token:str}"
    routes = [
        Route("/", pages.home, methods=["GET", "HEAD"]),
        Route("/subscribe", pages.subscribe, methods=["POST"]),
        Route(f"/confirm/{token}", pages.confirm, methods=["GET", "HEAD"]),
        Route("/email/confirm/{token:str}", pages.confirm_telegram_email, methods=["GET", "HEAD"]),
        Route("/api/rule", pages.check_rule_api, methods=["GET"]),
        Route(
            "/telegram/webhook",
            _webhook_route(telegram_webhook, tokens.webhook_secret(config.env.secret_key)),
            methods=["POST"],
        ),
        Route(f"/manage/{token}", account.manage, methods=["GET", "HEAD"]),
        Route(f"/manage/{token}/prefs", account.save_prefs, methods=["POST"]),
        Route(f"/manage/{token}/rules", account.add_rule, methods=["POST"]),
        Route(f"/manage/{token}/rules/{{rule_id:int}}", account.edit_rule, methods=["POST"]),
        Route(f"/unsubscribe/{token}", account.unsubscribe_page, methods=["GET", "HEAD"]),
        Route(f"/unsubscribe/{token}", account.unsubscribe, methods=["POST"]),
        Route("/digests/", ops.digests, methods=["GET", "HEAD"]),
        Route("/digests/{name:str}", ops.digest, methods=["GET", "HEAD"]),
        Route("/feed.xml", ops.feed, methods=["GET", "HEAD"]),
        Route("/healthz", ops.healthz, methods=["GET", "HEAD"]),
        Route("/metrics", ops.metrics, methods=["GET"]),
        Route("/favicon.ico", ops.favicon, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders, hsts=config.env.public_url.startswith("https://")),
            Middleware(_ServerErrors),
        ],
        exception_handlers={
            PageError: _page_error,
            StoreError: _store_error,
            HTTPException: _http_error,
        },
    )
    app.state.web = web
    return app
