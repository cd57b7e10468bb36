"""An alert pass cannot freeze the service (issue 18 high 2), on a real store.

The attack: ``keyword /.*[a-m].{440}#|.*[n-z].{440}#/`` over ~2,000 stored figures (about 40 ms
of CPU per sentence, a minute and more in all), and 50 rules ``capex > 1B USD`` …
``capex > 50B USD`` that match nearly every figure. The pass runs in a worker thread under CPU
budgets: the event loop keeps answering (its lag is measured while the pass runs), the costly
rule is paused and its owner told, rules of a stopped subscriber are skipped, and the number
of alert rows and messages stays bounded.
"""

from __future__ import annotations

import asyncio
import random
import string
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import alert_pass, pipeline
from bot.config import Config, load_config
from bot.models import Item
from bot.outbox import decode_message
from bot.rules.budget import evaluate_within
from bot.store.store import Store
from tests.conftest import ROOT

NOW = datetime(2026, 2, 9, 9, 0, tzinfo=UTC)
EVIL = "keyword /.*[a-m].{440}#|.*[n-z].{440}#/"
RULE_MS = 200


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Config:
    base = load_config({"BRIEFBOT_DATABASE_URL": db_url}, ROOT / "config" / "briefbot.toml")
    alerts = base.file.alerts.model_copy(
        update={"rule_cpu_ms": RULE_MS, "pass_cpu_ms": 30_000, "max_alerts_per_rule": 20}
    )
    file = base.file.model_copy(
        update={
            "alerts": alerts,
            "rules": (),
            "digests": base.file.digests.model_copy(update={"path": tmp_path / "digests"}),
        }
    )
    return base.model_copy(update={"file": file})


def _word(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(n))


def items(n_items: int = 40, per_item: int = 50) -> list[Item]:
    """``n_items`` items of ``per_item`` capex sentences, each company and text different."""
    rnd = random.Random(18)
    out = []
    for i in range(n_items):
        lines = []
        for _ in range(per_item):
            name = _word(rnd, 7).capitalize() + " " + rnd.choice(["Labs", "Systems", "Group"])
            tail = " ".join(_word(rnd, rnd.randint(2, 8)) for _ in range(25))
            value = rnd.randint(2, 600) / 10
            lines.append(f"{name} said its capex will reach ${value} billion in 2026 as {tail}.")
        text = "\n".join(lines)
        out.append(
            Item(
                id=f"flood-{i}",
                source="test",
                title=f"Capex wave {i}",
                url=f"https://example.com/{i}",
                published=NOW - timedelta(hours=i),
                lang="en",
                text=text,
                paragraphs=tuple(lines),
                content_hash=f"h{i}",
            )
        )
    return out


async def test_a_costly_regex_and_fifty_rules_do_not_freeze_the_loop(
    store: Store, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = await store.subscribers.create(NOW, telegram_chat_id=1001)
    attacker = await store.subscribers.create(NOW, telegram_chat_id=1002)
    gone = await store.subscribers.create(NOW, telegram_chat_id=1003)
    for n in range(1, 51):
        # confidence:any: the flood's companies are names found by their shape ("Xyzabc Labs"),
        # which a rule without it does not alert on (bot.rules.confidence)
        await store.ensure_rule(f"capex > {n}B USD confidence:any", many.id)
    evil_id = await store.ensure_rule(EVIL, attacker.id)
    gone_rule = await store.ensure_rule("capex > 1B USD", gone.id)
    await store.subscribers.set_status(gone.id, "stopped", NOW)

    rep = await pipeline.store_items(store, config, items())
    assert rep.figures >= 1900

    window: list[float] = []  # when the worker thread evaluated the rules

    def timed(*args: Any, **kwargs: Any) -> Any:
        window.append(time.monotonic())
        try:
            return evaluate_within(*args, **kwargs)
        finally:
            window.append(time.monotonic())

    monkeypatch.setattr(alert_pass, "evaluate_within", timed)
    lags: list[tuple[float, float]] = []  # (tick start, lag)
    stop = asyncio.Event()

    async def ticker() -> None:  # what /healthz, the web page and the outbox need: turns
        while not stop.is_set():
            t0 = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append((t0, time.monotonic() - t0 - 0.01))

    tick = asyncio.create_task(ticker())
    cpu0 = time.process_time()
    report = await pipeline.evaluate_alerts(store, config, now=NOW)
    cpu = time.process_time() - cpu0
    stop.set()
    await tick

    # While the rules ran (seconds of CPU in the worker thread) the loop kept turning: its
    # worst lag then is far below one rule's budget. The whole pass, store reads and writes of
    # 2,000 figures included, stays within a few budgets (unbudgeted: over a minute).
    begin, end = window
    during = [lag for t0, lag in lags if begin <= t0 <= end]
    assert end - begin > 0.5 and len(during) > 10
    # (bounds with room for a shared, loaded machine: the OS may not schedule the loop at once)
    assert sorted(during)[len(during) // 2] < 0.05  # it turned every few milliseconds
    assert max(during) < 5 * RULE_MS / 1000  # unbudgeted: blocked for over a minute
    # the whole pass (store reads and writes on the loop too): a loaded CI machine (load 5)
    # showed 1.15 s once; frozen would be over a minute
    assert max(lag for _t, lag in lags) < 15 * RULE_MS / 1000
    # the costly rule used its budget, not the ~80 s it would take, and is paused
    assert cpu < 30
    evil = next(r for r in await store.rules(attacker.id) if r["id"] == evil_id)
    assert evil["paused"]
    assert any("paused" in w for w in report.warnings)
    told = [e for e in await store.outbox.entries(channel="telegram") if e.recipient == "1002"]
    assert len(told) == 1
    notice = decode_message(told[0].payload)
    assert notice.kind == "notice" and f"/alert resume {evil_id}" in notice.text
    # bounded rows and messages: at most 20 facts per rule, one summary per subscriber
    fired = await store.fired(range(1, 100))
    assert 0 < len(fired) <= 50 * 20
    to_many = [e for e in await store.outbox.entries(channel="telegram") if e.recipient == "1001"]
    assert len(to_many) == 1
    # a stopped subscriber's rules are not evaluated at all
    assert not any(k.startswith(f"rule-{gone_rule}:") for k in fired)
    assert not [e for e in await store.outbox.entries() if e.recipient == "1003"]


# ---- once per fact, fired by one mention (issues 13 and 15) --------------------------------


def _news(n: int, title: str, sentence: str, published: datetime) -> Item:
    return Item(
        id=f"news-{n}",
        source="test",
        title=title,
        url=f"https://example.com/news/{n}",
        published=published,
        lang="en",
        text=sentence,
        paragraphs=(sentence,),
        content_hash=f"news-{n}",
    )


async def test_a_fact_fires_once_from_the_first_mention_that_states_it_plainly(
    store: Store, config: Config
) -> None:
    """An analysts' estimate first (no alert), the company's own number a day later (the alert,
    with both sources), the same number under another label a week later (no second alert)."""
    await store.ensure_rule("capex > 50B USD")
    day0 = NOW - timedelta(days=10)
    estimate = _news(
        1, "Amazon preview", "Analysts expect Amazon to spend $200 billion on capex in 2026.", day0
    )
    await pipeline.store_items(store, config, [estimate])
    first = await pipeline.evaluate_alerts(store, config, now=day0 + timedelta(hours=1))
    assert first.fired == 0

    plan = _news(
        2,
        "Amazon results",
        "Amazon said it will spend $200 billion on capital expenditures in 2026.",
        day0 + timedelta(days=1),
    )
    await pipeline.store_items(store, config, [plan])
    second = await pipeline.evaluate_alerts(store, config, now=day0 + timedelta(days=1, hours=1))
    assert second.fired == 1
    assert "Amazon" in second.alerts[0] and "Amazon said it will spend" in second.alerts[0]
    assert "Amazon preview" in second.alerts[0] and "Amazon results" in second.alerts[0]

    relabelled = _news(
        3,
        "Amazon week after",
        "Amazon's spending plan of $200 billion for 2026 still weighs on its shares.",
        day0 + timedelta(days=8),
    )
    hedged = _news(
        4,
        "Amazon rumour",
        "Amazon could spend as much as $300 billion on capex in 2027.",
        day0 + timedelta(days=8),
    )
    await pipeline.store_items(store, config, [relabelled, hedged])
    third = await pipeline.evaluate_alerts(store, config, now=day0 + timedelta(days=8, hours=1))
    assert third.fired == 0, third.alerts
    assert len(await store.fired(range(1, 10))) == 1
