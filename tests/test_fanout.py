"""Digest fan-out that streams (issue 17): each variant's body is stored once, each outbox row
carries only what is personal (≤ 2 KB), and every subscriber still gets their own links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot import pipeline
from bot.config import Config, load_config
from bot.deliver.tokens import unsubscribe_url
from bot.store import schema as t
from bot.store.store import Store
from tests.conftest import ROOT
from tests.fakes.smtp import FakeSMTP

NOW = datetime(2026, 2, 9, 9, 0, tzinfo=UTC)


def _config(tmp_path: Path, db_url: str, smtp: FakeSMTP) -> Config:
    env = {"BRIEFBOT_DATABASE_URL": db_url, "BRIEFBOT_SMTP_HOST": smtp.host,
           "BRIEFBOT_SMTP_PORT": str(smtp.port)}  # fmt: skip
    base = load_config(env, ROOT / "config" / "briefbot.toml")
    file = base.file.model_copy(
        update={"digests": base.file.digests.model_copy(update={"path": tmp_path / "digests"})}
    )
    return base.model_copy(update={"file": file})


async def test_variants_stored_once_rows_small_links_personal(
    store: Store, tmp_path: Path, db_url: str
) -> None:
    with FakeSMTP() as smtp:
        config = _config(tmp_path, db_url, smtp)
        subs = []
        for n in range(24):
            subs.append(await store.subscribers.create(
                NOW, email=f"s{n}@example.com", email_confirmed=True, channels=("email",),
                lang="zh" if n % 3 == 0 else "en"))  # fmt: skip
        await pipeline.ingest_archive(store, config)
        queued = await pipeline.enqueue_digest(
            store, config, pipeline.Period.parse("2026-W06"), now=NOW, batch=5
        )
        assert queued == 24
        async with store.engine.connect() as conn:
            bodies = (
                await conn.execute(select(func.count()).select_from(t.message_bodies))
            ).scalar()
            sizes = [len(json.dumps(p)) for p in
                     (await conn.execute(select(t.outbox.c.payload))).scalars()]  # fmt: skip
        assert bodies == 2  # en and zh: rendered and stored once each
        assert max(sizes) <= 2048, max(sizes)  # was ~65 KB per row (the chart in every row)
        rows = {e.recipient: e for e in await store.outbox.entries(channel="email")}
        from bot.secret_key import with_secret_key

        key = (await with_secret_key(config, store)).env.secret_key
        for sub in subs:
            text = rows[sub.email or ""].payload["text"]
            assert unsubscribe_url(config.env.public_url, sub.id, key) in text
            assert "briefbot.invalid" not in text
        assert rows["s0@example.com"].payload["chart_png_b64"]

        sent = await pipeline.drain_outbox(store, config, now=NOW)
        assert sent.sent == 24 and sent.dead == 0
        for sub in subs:
            [mail] = smtp.to(sub.email or "")
            body = mail.message.get_body(("plain",))
            assert body is not None
            assert "/unsubscribe/" in body.get_content()
            html = mail.message.get_body(("html",)).get_content()
            assert "briefbot.invalid" not in html and "cid:" in html


async def test_due_subscribers_come_from_slot_groups(
    store: Store, tmp_path: Path, db_url: str
) -> None:
    """The digests job reads the few distinct (timezone, weekday, time) groups, then only the
    subscribers of the due ones (it used to load and scan every subscriber each minute)."""
    with FakeSMTP() as smtp:
        config = _config(tmp_path, db_url, smtp)
        for n in range(9):
            tz = ("UTC", "Asia/Shanghai", "America/New_York")[n % 3]
            await store.subscribers.create(NOW, email=f"g{n}@example.com", email_confirmed=True,
                                           channels=("email",), timezone=tz)  # fmt: skip
        await pipeline.ingest_archive(store, config)
        groups = await store.subscribers.slot_groups()
        assert sorted(g[0] for g in groups) == ["America/New_York", "Asia/Shanghai", "UTC"]
        # 09:00 UTC Monday: 08:00 has passed in UTC and Shanghai (17:00), not in New York (04:00)
        assert await pipeline.enqueue_due_digests(store, config, now=NOW) == 6
        rows = await store.outbox.entries(channel="email")
        assert {e.recipient for e in rows} == {f"g{n}@example.com" for n in range(9) if n % 3 != 2}
