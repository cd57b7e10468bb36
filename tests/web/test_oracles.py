"""Issue 18 medium 3: ``/subscribe`` is no address-existence oracle.

The answer is the same for a subscribed address and a new one, and it is made the same way:
the store is read (known or not?) only after the answer has been sent, in a background task,
so both paths do the same work before answering (no timing difference to measure).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.store.store import Store
from bot.web.context import Web
from tests.web.conftest import PUBLIC, csrf, emails, link_in, subscribe_form, subscribed

Calls = list[tuple[str, bool]]


def _spy(web: Web, calls: Calls, started: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    def wrap(obj: Any, name: str) -> None:
        fn: Callable[..., Awaitable[Any]] = getattr(obj, name)

        async def spy(*a: Any, **k: Any) -> Any:
            calls.append((name, started[0]))
            return await fn(*a, **k)

        monkeypatch.setattr(obj, name, spy)

    wrap(web.data.subscribers, "by_email")
    wrap(web.data, "request_confirmation")
    wrap(web.data, "enqueue")


async def test_known_and_new_addresses_get_the_same_answer_the_same_way(
    app: Starlette, client: httpx.AsyncClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await subscribed(client, store, "known@example.com")
    started = [False]

    async def watched(scope: Any, receive: Any, send: Any) -> None:
        async def send_(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started[0] = True
            await send(message)

        await app(scope, receive, send_)

    calls: Calls = []
    _spy(app.state.web, calls, started, monkeypatch)
    answers, before = [], []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=watched), base_url=PUBLIC) as c:
        token = await csrf(c)
        for address in ("known@example.com", "fresh@example.com"):
            started[0] = False
            calls.clear()
            mark = len(await emails(store))
            r = await c.post("/subscribe", data=subscribe_form(token, address))
            answers.append((r.status_code, r.text.replace(address, "ADDRESS")))
            before.append([name for name, after in calls if not after])
            assert calls and all(after for _name, after in calls)  # work only after answering
            assert len(await emails(store)) == mark + 1  # ... and it was done
    assert answers[0] == answers[1]
    assert before == [[], []]
    mails = await emails(store)
    assert link_in(mails[-1], "confirm")  # the new address: a confirmation
    assert re.search(r"/manage/", str(mails[-2].payload["text"]))  # the known one: its link
