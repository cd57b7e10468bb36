"""The Telegram channel: python-telegram-bot's ``Bot`` plus our own pacing.

A message goes out as a photo with a short caption when it has a chart, then its
``telegram_html`` parts in order (or its text, split at 4096 characters). Every API call takes a
slot from the ``Pacer`` (global and per-chat rates). Errors map to what the worker should do:

    RetryAfter (429)          pause the chat (and the bot, when several chats hit it at once);
                              first part: RetryLater(retry_after) -- the row waits exactly that
                              long; later parts wait in place, so earlier parts are not resent
    Forbidden (403), "chat not found"      RecipientGone (subscriber blocked, rows dropped)
    BadRequest "can't parse entities"      the same part once more as plain text
    other BadRequest, ChatMigrated          PermanentFailure
    TimedOut / NetworkError / 5xx           RetryLater (later parts: a few quick retries first)

A message resumes after ``entry.parts_sent`` parts (a retry never sends the chart again); an
error after some parts went out carries ``parts_sent``, which the worker records.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import math
import re
import time
import warnings
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.deliver.channel import RecipientGone
from bot.deliver.pacing import Pacer
from bot.errors import DeliveryError, PermanentFailure, RetryLater
from bot.models import Message, OutboxEntry

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 200  # "short caption"; Telegram allows 1024
DEFAULT_API = "https://api.telegram.org"


class _NoPayloadDump(logging.Filter):
    """PTB logs every unparsable answer in full (a proxy's HTML page, once per request); the
    caller gets a TelegramError and the outage is reported once, so the record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Can not load invalid JSON data")


logging.getLogger("telegram.request.BaseRequest").addFilter(_NoPayloadDump())


def api_urls(base_url: str | None) -> tuple[str, str]:
    """PTB's ``(base_url, base_file_url)`` from ``BRIEFBOT_TELEGRAM_BASE_URL``.

    Accepts the server root (``http://127.0.0.1:8081``), PTB's form ending in ``/bot``, or a
    template with ``{token}``.
    """
    root = (base_url or DEFAULT_API).rstrip("/")
    if "{token}" in root:
        return root, root.replace("/bot{token}", "/file/bot{token}")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def html_to_plain(text: str) -> str:
    """Telegram HTML -> plain text (tags dropped, entities decoded), for the parse fallback."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split at paragraph, then line, then hard boundaries so each part fits ``limit``."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest:
        parts.append(rest)
    return parts


class QuietRequest(HTTPXRequest):
    """PTB's HTTPX request without its log record of every unparsable answer: a proxy's HTML
    error page (502) would otherwise reach the log in full, once per request."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            raise TelegramError("Invalid server response") from exc
        if not isinstance(data, dict):
            raise TelegramError("Invalid server response")
        return data


def short_error(e: BaseException, limit: int = 160) -> str:
    """One short line for a PTB error (its message can carry a whole HTML page)."""
    text = str(e).split(". Parsing the server response", 1)[0]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class _Part:
    text: str
    html: bool = False
    photo: bytes | None = None


def parts_of(message: Message) -> list[_Part]:
    """What goes out, in order: [photo + caption], then the HTML parts or the split text."""
    out: list[_Part] = []
    if message.chart_png:
        caption = (
            message.subject
            if len(message.subject) <= CAPTION_LIMIT
            else (message.subject[: CAPTION_LIMIT - 1] + "…")
        )
        out.append(_Part(caption, photo=message.chart_png))
    if message.telegram_html:
        out.extend(_Part(p, html=True) for p in message.telegram_html if p.strip())
    else:
        out.extend(_Part(p) for p in split_text(message.text))
    return out


class TelegramChannel:
    name = "telegram"

    def __init__(
        self,
        bot: Bot,
        pacer: Pacer,
        *,
        max_wait: float = 5.0,
        inline_retry_after_max: float = 60.0,
        inline_retries: int = 3,
    ) -> None:
        """``max_wait``: longest pacing wait before the row is deferred instead of held.
        ``inline_retry_after_max``: a 429 on a later part (earlier parts already delivered) is
        waited out in place when shorter than this."""
        self.bot, self.pacer = bot, pacer
        self.max_wait = max_wait
        self.inline_retry_after_max = inline_retry_after_max
        self.inline_retries = inline_retries
        self._initialized = False
        self._init_lock = asyncio.Lock()
        self._recent_429: deque[tuple[float, int]] = deque(maxlen=16)

    @classmethod
    def create(
        cls,
        token: str,
        base_url: str | None = None,
        *,
        global_rate: float = 30.0,
        chat_rate: float = 1.0,
        pool_size: int = 64,
        timeout: float = 20.0,
        **kwargs: float,
    ) -> TelegramChannel:
        api, files = api_urls(base_url)
        request = QuietRequest(
            connection_pool_size=pool_size,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=min(timeout, 10.0),
            pool_timeout=timeout,
            media_write_timeout=timeout,
        )
        bot = Bot(token, base_url=api, base_file_url=files, request=request)
        return cls(bot, Pacer(global_rate, chat_rate), **kwargs)  # type: ignore[arg-type]

    async def send(self, entry: OutboxEntry, message: Message) -> None:
        try:
            chat = int(entry.recipient)
        except ValueError:
            raise PermanentFailure(f"not a Telegram chat id: {entry.recipient!r}") from None
        await self._initialize()
        parts = parts_of(message)
        start = min(entry.parts_sent, len(parts))  # a retry resumes after what went out
        for n in range(start, len(parts)):
            try:
                await self._send_part(chat, parts[n], first=n == start)
            except DeliveryError as e:
                if n > start:  # parts went out in this attempt: the worker records them
                    e.parts_sent = n
                raise

    async def _send_part(self, chat: int, part: _Part, *, first: bool) -> None:
        text, as_html, failures = part.text, part.html, 0
        while True:
            try:
                # the slot stays open until Telegram answers (see bot.deliver.pacing)
                async with self.pacer.sending(chat, self.max_wait if first else math.inf):
                    await self._call(chat, part, text, as_html)
                return
            except RetryAfter as e:
                secs = _retry_seconds(e)
                self._flood(chat, secs)
                if first or secs > self.inline_retry_after_max:
                    raise RetryLater(f"telegram flood control: retry after {secs:g}s", secs) from e
            except Forbidden as e:
                raise RecipientGone(f"telegram: {e}") from e
            except ChatMigrated as e:
                raise PermanentFailure(f"telegram: chat moved to {e.new_chat_id}") from e
            except BadRequest as e:
                msg = str(e).lower()
                if as_html and "can't parse entities" in msg:
                    log.warning("chat %s: %s; sending as plain text", chat, e)
                    text, as_html = html_to_plain(text), False
                    continue
                if "chat not found" in msg or "user is deactivated" in msg:
                    raise RecipientGone(f"telegram: {e}") from e
                raise PermanentFailure(f"telegram rejected the message: {e}") from e
            except InvalidToken as e:
                raise RetryLater(
                    f"telegram token rejected (check BRIEFBOT_TELEGRAM_TOKEN): {e}", 300
                ) from e
            except (NetworkError, TelegramError) as e:
                failures += 1
                if first or failures > self.inline_retries:
                    raise RetryLater(f"telegram: {short_error(e)}") from e
                await asyncio.sleep(0.5 * 2**failures)

    async def _call(self, chat: int, part: _Part, text: str, as_html: bool) -> None:
        if part.photo is not None:
            await self.bot.send_photo(chat, photo=part.photo, caption=text or None)
        else:
            await self.bot.send_message(
                chat,
                text,
                parse_mode="HTML" if as_html else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )

    def _flood(self, chat: int, secs: float) -> None:
        """Pause the chat; when two or more chats hit 429 within a second, pause the bot."""
        self.pacer.pause(chat, secs)
        now = time.monotonic()
        self._recent_429.append((now, chat))
        if len({c for t, c in self._recent_429 if now - t < 1.0}) >= 2:
            self.pacer.pause_all(secs)

    async def _initialize(self) -> None:
        if self._initialized:
            return
        async with self._init_lock:
            if not self._initialized:
                try:
                    await self.bot.initialize()  # getMe: checks the token once
                except InvalidToken as e:
                    raise RetryLater(
                        f"telegram token rejected (check BRIEFBOT_TELEGRAM_TOKEN): {e}", 300
                    ) from e
                except TelegramError as e:
                    raise RetryLater(f"telegram unreachable: {short_error(e)}") from e
                self._initialized = True

    async def aclose(self) -> None:
        if self._initialized:
            await self.bot.shutdown()
            self._initialized = False


def _retry_seconds(e: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+ warns that this becomes a timedelta
        warnings.simplefilter("ignore")
        value: int | float | timedelta = e.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
