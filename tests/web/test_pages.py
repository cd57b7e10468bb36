"""Page details that do not vary by backend (SQLite only): languages, the rule-check API."""

from __future__ import annotations

import httpx
import pytest

from bot.store.store import Store
from tests.web.conftest import PUBLIC


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    return sqlite_store


async def test_pages_in_chinese(client: httpx.AsyncClient, store: Store) -> None:
    r = await client.get("/?lang=zh")
    assert '<html lang="zh-CN">' in r.text and "邮件订阅" in r.text
    assert "bb_lang=zh" in r.headers["set-cookie"]
    assert "邮件订阅" in (await client.get("/")).text  # remembered
    async with httpx.AsyncClient(transport=client._transport, base_url=PUBLIC) as fresh:
        r = await fresh.get("/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
        assert "邮件订阅" in r.text
        r = await fresh.get("/", headers={"accept-language": "en-US"})
        assert "Subscribe by email" in r.text
        r = await fresh.post("/subscribe?lang=zh", data={"email": "x"})
        assert r.status_code == 403 and "请重试" in r.text


async def test_rule_check_api(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/rule", params={"text": "capex > 100B USD"})).json() == {
        "ok": True,
        "message": "",
    }
    bad = (await client.get("/api/rule", params={"text": "capex >> 5"})).json()
    assert bad["ok"] is False and bad["message"]
    long = (await client.get("/api/rule", params={"text": "x" * 5000})).json()
    assert long["ok"] is False


async def test_the_language_switch_never_repeats_an_action(client: httpx.AsyncClient) -> None:
    assert 'href="/digests/?lang=zh"' in (await client.get("/digests/")).text
    r = await client.post("/subscribe", data={"email": "x"})  # a POST's page (here: CSRF)
    assert 'href="/?lang=zh"' in r.text
    r = await client.get("/confirm/whatever")
    assert 'href="/?lang=zh"' in r.text
