"""Issue 18 medium 1: with BRIEFBOT_SECRET_KEY unset nothing is signed with a known key.

The service generates a random key on first start and keeps it in the database, so links
forged with the old development key (``/manage/<id>.<mac>``, a manage token, the webhook's
secret header that ``/stop`` would need) are refused; manage and unsubscribe links are bound to
the address and a token version that unsubscribing and changing address bump (revocation).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.deliver.tokens import sign_subscriber, webhook_secret
from bot.secret_key import with_secret_key
from bot.store.store import Store
from bot.web import create_app, links, tokens
from tests.web.conftest import PUBLIC, START, make_config

DEV_KEY = "dev-insecure-secret"


async def test_an_unset_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    config = make_config(tmp_path / "site", BRIEFBOT_SECRET_KEY="")
    assert config.env.secret_key == ""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    async with Store.open(url) as store:
        first = (await with_secret_key(config, store)).env.secret_key
        assert first == (await with_secret_key(config, store)).env.secret_key
    async with Store.open(url) as again:  # a restart, another replica or a CLI command
        assert (await with_secret_key(config, again)).env.secret_key == first
    assert len(first) >= 40 and first != DEV_KEY
    async with Store.open(f"sqlite:///{tmp_path / 'other.db'}") as other:
        assert (await with_secret_key(config, other)).env.secret_key != first
    mine = make_config(tmp_path / "site", BRIEFBOT_SECRET_KEY="operator-key")
    async with Store.open(url) as store:
        assert (await with_secret_key(mine, store)).env.secret_key == "operator-key"


async def test_links_forged_with_the_development_key_fail(store: Store, tmp_path: Path) -> None:
    config = await with_secret_key(make_config(tmp_path / "site", BRIEFBOT_SECRET_KEY=""), store)
    sub = await store.subscribers.create(
        START, email="ann@example.com", email_confirmed=True, channels=["email"]
    )
    received: list[dict[str, object]] = []

    async def sink(data: dict[str, object], secret: str | None) -> bool:
        received.append(data)
        return True

    app = create_app(config, store, clock=lambda: START, telegram_webhook=sink)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as c:
        forged = [
            "/manage/" + sign_subscriber(sub.id, DEV_KEY, "manage"),
            links.manage_path(DEV_KEY, sub.id, "ann@example.com", START),
            "/unsubscribe/" + sign_subscriber(sub.id, DEV_KEY),
        ]
        for path in forged:
            assert (await c.get(path)).status_code == 400, path
        real = links.manage_path(config.env.secret_key, sub.id, "ann@example.com", START)
        assert (await c.get(real)).status_code == 200
        stop = {"update_id": 1, "message": {"message_id": 1, "date": 1770000000, "text": "/stop",
                "chat": {"id": 5, "type": "private"}}}  # fmt: skip
        hook = "/telegram/webhook"
        for header, status in ((webhook_secret(DEV_KEY), 403), (webhook_secret(""), 403)):
            r = await c.post(hook, json=stop, headers={"X-Telegram-Bot-Api-Secret-Token": header})
            assert r.status_code == status
        assert received == []
        good = webhook_secret(config.env.secret_key)
        r = await c.post(hook, json=stop, headers={"X-Telegram-Bot-Api-Secret-Token": good})
        assert r.status_code == 200 and len(received) == 1

        # revocation: a stop (Telegram /stop, web unsubscribe) or a new address kills old links
        await store.subscribers.set_status(sub.id, "stopped", START)
        assert (await c.get(real)).status_code == 400
        await store.subscribers.set_status(sub.id, "active", START)
        bumped = await store.subscribers.get(sub.id)
        assert bumped is not None and bumped.token_version == 1
        fresh = links.manage_path(config.env.secret_key, sub.id, "ann@example.com", START, 1)
        assert (await c.get(fresh)).status_code == 200
        await store.subscribers.update(sub.id, START, email="ann.lee@example.com")
        assert (await c.get(fresh)).status_code == 400
        assert tokens.email_tag("k", "a@example.com", 1) != tokens.email_tag("k", "a@example.com")
