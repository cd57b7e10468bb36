"""A real ``Application`` against the local fake Bot API, fed updates the way Telegram sends them.

``chat`` is the harness: ``await chat.send(42, "/start")`` builds the update JSON a Telegram
client would produce (bot_command entity, chat type from the id, the user's language),
runs it through ``application.process_update`` and returns the texts the bot sent to that chat
(as recorded by the fake server). ``chat.errors`` collects every exception the application's
error handlers saw; the ``chat`` fixture fails the test if any is left at the end.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot import pipeline
from bot.config import Config, load_config
from bot.store.store import Store
from bot.telegram import build_application
from bot.telegram.ratelimit import ChatLimiter
from tests.fakes.telegram_api import BOT_ID, TOKEN, FakeBotAPI, Recorded

ROOT = Path(__file__).resolve().parents[2]
ADMIN = 900
BOT_NAME = "briefbot_test_bot"
START = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{1,64})?(?=\s|$)")


class GroupFakeBotAPI(FakeBotAPI):
    """The shared fake plus getChatMember (group admins) — what group commands need."""

    def __init__(self) -> None:
        super().__init__()
        self.group_admins: dict[int, set[int]] = {}

    def _answer(self, m: str, p: dict[str, Any], chat_id: int | None) -> tuple[int, Any]:
        if m == "getChatMember":
            user = {"id": int(p["user_id"]), "is_bot": False, "first_name": f"User{p['user_id']}"}
            if int(p["user_id"]) in self.group_admins.get(chat_id or 0, set()):
                return 200, {
                    "ok": True,
                    "result": {"status": "creator", "user": user, "is_anonymous": False},
                }
            return 200, {"ok": True, "result": {"status": "member", "user": user}}
        return super()._answer(m, p, chat_id)


def make_config(tmp_path: Path, **env: str) -> Config:
    environ = {
        "BRIEFBOT_TELEGRAM_TOKEN": TOKEN,
        "BRIEFBOT_ADMIN_CHAT_IDS": str(ADMIN),
        "BRIEFBOT_SECRET_KEY": "test-secret",
        "BRIEFBOT_PUBLIC_URL": "https://briefbot.example",
        **env,
    }
    cfg = load_config(environ, ROOT / "config" / "briefbot.toml")
    # digests (alerts.log) go to the test's folder, not the checkout
    file = cfg.file.model_copy(
        update={"digests": cfg.file.digests.model_copy(update={"path": tmp_path / "digests"})}
    )
    return cfg.model_copy(update={"file": file})


def bot_command_entity(text: str) -> list[dict[str, Any]]:
    """What Telegram adds to a message starting with a command."""
    m = _COMMAND.match(text)
    if not m:
        return []
    return [
        {"type": "bot_command", "offset": 0, "length": len(m.group(0).encode("utf-16-le")) // 2}
    ]


@dataclass
class Chat:
    """Drives the application as Telegram would and reads what the bot sent back."""

    app: Application
    api: GroupFakeBotAPI
    store: Store
    config: Config
    now: datetime = START
    mono: float = 0.0
    errors: list[BaseException] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    # ---- building updates ----------------------------------------------------------------

    def _chat(self, chat_id: int, chat_type: str | None) -> dict[str, Any]:
        kind = chat_type or ("private" if chat_id > 0 else "supergroup")
        if kind == "private":
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        lang: str | None = "en",
        chat_type: str | None = None,
        reply_to_bot: bool = False,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(self.now.timestamp()),
            "chat": self._chat(chat_id, chat_type),
            "text": text,
        }
        if chat_type != "channel":
            uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 7)
            msg["from"] = {"id": uid, "is_bot": False, "first_name": f"User{uid}"}
            if lang is not None:
                msg["from"]["language_code"] = lang
        else:
            msg["sender_chat"] = msg["chat"]
        if ents := bot_command_entity(text):
            msg["entities"] = ents
        if reply_to_bot:
            msg["reply_to_message"] = {
                "message_id": 1,
                "date": int(self.now.timestamp()),
                "chat": msg["chat"],
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot Test"},
                "text": "earlier",
            }
        return msg

    async def process(self, data: dict[str, Any]) -> None:
        data = {"update_id": next(self._ids), **data}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    # ---- acting --------------------------------------------------------------------------

    async def send(self, chat_id: int, text: str, *, edited: bool = False, **kw: Any) -> list[str]:
        """A user sends ``text``; returns what the bot sent to that chat in response."""
        mark = len(self.api.requests)
        msg = self.message(chat_id, text, **kw)
        if edited:
            msg["edit_date"] = int(self.now.timestamp())
        kind = "channel_post" if kw.get("chat_type") == "channel" else "message"
        await self.process({("edited_" + kind if edited else kind): msg})
        return self.texts_since(mark, chat_id)

    async def press(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int = 1,
        user_id: int | None = None,
        lang: str = "en",
    ) -> list[Recorded]:
        """A user presses an inline button; returns every API call the bot made in response."""
        mark = len(self.api.requests)
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 7)
        await self.process(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": {"id": uid, "is_bot": False, "first_name": "U", "language_code": lang},
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(self.now.timestamp()),
                        "chat": self._chat(chat_id, None),
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot Test"},
                        "text": "…",
                    },
                }
            }
        )
        return self.api.requests[mark:]

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds

    # ---- reading -------------------------------------------------------------------------

    def texts_since(self, mark: int, chat_id: int | None = None) -> list[str]:
        """The visible text (tags dropped, entities decoded) of what the bot sent or edited."""
        return [
            visible(r)
            for r in self.api.requests[mark:]
            if r.method in ("sendMessage", "editMessageText")
            and r.status == 200
            and (chat_id is None or r.chat_id == chat_id)
        ]

    def sent(self, chat_id: int | None = None) -> list[Recorded]:
        return [
            r
            for r in self.api.requests
            if r.method == "sendMessage" and (chat_id is None or r.chat_id == chat_id)
        ]

    def buttons(self, rec: Recorded) -> list[tuple[str, str]]:
        """(label, callback_data) of the inline keyboard sent with ``rec``."""
        markup = rec.params.get("reply_markup") or {}
        return [
            (b["text"], b["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]


def visible(rec: Recorded) -> str:
    """What the user sees of a sent message (the fake checked the HTML parses)."""
    text = str(rec.params.get("text", ""))
    if rec.params.get("parse_mode") == "HTML":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


@pytest.fixture
def api() -> Iterator[GroupFakeBotAPI]:
    server = GroupFakeBotAPI()
    with server:
        yield server


@pytest.fixture
async def chat(store: Store, api: GroupFakeBotAPI, tmp_path: Path) -> AsyncIterator[Chat]:
    """An initialized bot (getMe done) over ``store``; fails the test on any handler exception."""
    config = make_config(tmp_path)
    harness: Chat
    limiter = ChatLimiter(burst=1000, per_seconds=0.001, clock=lambda: harness.mono)
    app = build_application(
        config, store, base_url=api.base_url, limiter=limiter, clock=lambda: harness.now
    )
    harness = Chat(app=app, api=api, store=store, config=config)

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        harness.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    try:
        yield harness
    finally:
        await app.shutdown()
    assert not harness.errors, f"handler exceptions: {harness.errors!r}"


async def ingest_seed(store: Store, config: Config) -> int:
    """Load the seed briefing (archive/) through the real pipeline; returns the figure count."""
    report = await pipeline.ingest_archive(store, config)
    return report.figures
