"""The digest archive, the Atom feed, the home page's figures, /healthz and /metrics."""

from __future__ import annotations

import feedparser
import httpx

from bot.config import Config
from bot.store.store import Store
from bot.web.security import DIGEST_CSP
from tests.web.conftest import PUBLIC, publish_digest


async def test_archive_pages_and_files(
    client: httpx.AsyncClient, store: Store, config: Config
) -> None:
    r = await client.get("/digests/")
    assert r.status_code == 200 and "No digests yet." in r.text
    await publish_digest(store, config)
    r = await client.get("/digests/")
    assert 'href="/digests/2026-W06"' in r.text and "2026-02-02" in r.text
    page = await client.get("/digests/2026-W06")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == DIGEST_CSP
    assert "Alphabet &lt;Inc&gt;" in page.text
    png = await client.get("/digests/2026-W06.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert (await client.get("/digests/2026-W06.md")).status_code == 200
    r = await client.get("/digests/index.html")  # the archive page's own "back" link
    assert r.status_code == 308 and r.headers["location"] == "/digests/"
    for bad in ("2026-W07", "2026-W99", "2026-W6", "..%2fconfig%2fbriefbot.toml", "2026-W06.toml",
                "2026-W06.html.bak", "%2e%2e"):  # fmt: skip
        assert (await client.get(f"/digests/{bad}")).status_code == 404, bad


async def test_home_shows_the_latest_digest(
    client: httpx.AsyncClient, store: Store, config: Config
) -> None:
    r = await client.get("/")
    assert "No digest has been published yet." in r.text
    await publish_digest(store, config)
    r = await client.get("/")
    assert "Latest digest: 2026-W06" in r.text
    assert "Alphabet &lt;Inc&gt;" in r.text and "<Inc>" not in r.text
    assert "$175B" in r.text and "$135B" in r.text
    assert '<img src="/digests/2026-W06.png"' in r.text
    r = await client.get("/?lang=zh")
    assert "最新摘要：2026-W06" in r.text and "亿美元" in r.text


async def test_atom_feed_parses_cleanly(
    client: httpx.AsyncClient, store: Store, config: Config
) -> None:
    empty = feedparser.parse((await client.get("/feed.xml")).content)
    assert empty.bozo == 0 and empty.version == "atom10" and empty.entries == []
    await publish_digest(store, config)
    r = await client.get("/feed.xml")
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Briefbot digests"
    [entry] = feed.entries
    assert entry.link == f"{PUBLIC}/digests/2026-W06"
    assert entry.id == f"{PUBLIC}/digests/2026-W06"
    assert "2026" in entry.title and entry.updated_parsed
    content = entry.content[0].value
    assert "Alphabet &lt;Inc&gt;" in content and f"{PUBLIC}/digests/2026-W06.png" in content


async def test_healthz_and_metrics(client: httpx.AsyncClient, store: Store, config: Config) -> None:
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "store": "ok"}
    await publish_digest(store, config)
    r = await client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "text/plain; version=0.0.4"
    )
    lines = dict(ln.rsplit(" ", 1) for ln in r.text.splitlines() if ln and not ln.startswith("#"))
    assert lines["briefbot_items"] == "1" and lines["briefbot_figures"] == "2"
    assert lines["briefbot_alerts_fired_total"] == "0"
    assert lines['briefbot_outbox_messages{state="pending"}'] == "0"
    assert lines['briefbot_outbox_messages{state="dead"}'] == "0"
    assert lines["briefbot_feed_failures"] == "0" and lines["briefbot_up"] == "1"
    assert "# TYPE briefbot_alerts_fired_total counter" in r.text
