"""/digest, /latest [N], /figures ENTITY (any alias), read straight from the store."""

from __future__ import annotations

from tests.telegram.conftest import Chat, ingest_seed


async def test_latest_figures_and_digest_in_english(chat: Chat) -> None:
    assert "No figures are stored yet" in (await chat.send(42, "/latest"))[0]
    await ingest_seed(chat.store, chat.config)
    [latest] = await chat.send(42, "/latest 3")
    assert latest.startswith("The newest 3 figures") and latest.count("•") == 3
    [default] = await chat.send(42, "/latest")
    assert default.count("•") == 5
    for bad in ("/latest 0", "/latest 99", "/latest many"):
        assert "Usage: /latest N" in (await chat.send(42, bad))[0]
    [meta] = await chat.send(42, "/figures meta")
    assert meta.startswith("Figures for Meta") and "135" in meta
    [msft] = await chat.send(42, "/figures 微软")  # a Chinese alias
    assert msft.startswith("Figures for Microsoft") and "37.5" in msft
    [none] = await chat.send(42, "/figures Nokia <b>")
    assert "No figures for Nokia <b> yet" in none  # echoed text is escaped (fake parsed it)
    assert "Usage: /figures" in (await chat.send(42, "/figures"))[0]
    parts = await chat.send(42, "/digest")
    assert parts and "2026-W06" in parts[0] and "Meta" in "".join(parts)


async def test_figures_and_digest_in_chinese(chat: Chat) -> None:
    await ingest_seed(chat.store, chat.config)
    await chat.send(43, "/start", lang="zh")
    [meta] = await chat.send(43, "/figures Meta", lang="zh")
    assert meta.startswith("Meta 的数字") and "1,350 亿美元" in meta
    [latest] = await chat.send(43, "/latest 2", lang="zh")
    assert latest.startswith("最新 2 个数字")
    parts = await chat.send(43, "/digest", lang="zh")
    assert parts and "Meta" in "".join(parts)
    assert "2026 年第 6 周" in parts[0]


async def test_digest_follows_the_subscriber_interests(chat: Chat) -> None:
    await ingest_seed(chat.store, chat.config)
    await chat.send(42, "/start")
    await chat.send(42, "/follow Oracle")
    text = "".join(await chat.send(42, "/digest"))
    assert "Oracle" in text and "Meta" not in text
