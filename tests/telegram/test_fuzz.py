"""Arbitrary text and commands at the real handlers: always a reply, never an exception."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import ContextTypes

from bot.store.store import Store
from bot.telegram import build_application
from bot.telegram.app import _COMMANDS
from bot.telegram.ratelimit import ChatLimiter
from tests.telegram.conftest import START, Chat, GroupFakeBotAPI, make_config

WORDS = [*sorted(_COMMANDS), "alert add", "alert rm", "alert pause", "email", "nope", "feeds add"]
ARG = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=60,
)
MESSAGES = st.one_of(
    st.builds(lambda w, a: f"/{w} {a}", st.sampled_from(WORDS), ARG),
    st.builds(lambda w, a: f"/{w.split()[0]}@briefbot_test_bot {a}", st.sampled_from(WORDS), ARG),
    ARG.filter(lambda s: s.strip() != ""),
    st.sampled_from(
        [
            "/alert add capex > 100B USD",
            "/start ref_1",
            "/latest 3",
            "/figures 微软",
            "/confirm 123456",
            "/mute 8h",
            "/timezone UTC+8",
            "/settings",
        ]
    ),
)
BUTTONS = st.one_of(
    st.builds(
        lambda p, v: f"{p}:{v}", st.sampled_from(["a:p", "a:d", "s", "s:day", "s:q", "b:send"]), ARG
    ),
    ARG,
)


def test_fuzz_every_message_gets_a_reply(tmp_path: Path) -> None:
    """60 random messages (commands with random arguments, @botname forms, free text) and
    button presses (random callback data) in one chat; one event loop for all of them."""
    api = GroupFakeBotAPI()
    with api, asyncio.Runner() as runner:
        store = Store.open(f"sqlite:///{tmp_path / 'fuzz.db'}")
        runner.run(store.upgrade())
        config = make_config(tmp_path)
        app = build_application(
            config, store, base_url=api.base_url, limiter=ChatLimiter(burst=10**9)
        )
        chat = Chat(app=app, api=api, store=store, config=config, now=START)

        async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert context.error is not None
            chat.errors.append(context.error)

        app.add_error_handler(record)
        runner.run(app.initialize())
        runner.run(chat.send(42, "/start"))

        async def step(text: str, lang: str | None, press: str) -> None:
            replies = await chat.send(42, text, lang=lang)
            assert replies, f"no reply to {text!r}"
            calls = await chat.press(42, press[:64])
            assert any(c.method == "answerCallbackQuery" for c in calls), press
            bad = [r for r in api.requests if r.status != 200]
            assert not bad, bad[-1]
            assert not chat.errors, chat.errors

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(text=MESSAGES, lang=st.sampled_from(["en", "zh", None]), press=BUTTONS)
        def one(text: str, lang: str | None, press: str) -> None:
            runner.run(step(text, lang, press))

        try:
            one()
        finally:
            runner.run(app.shutdown())
            runner.run(store.close())
