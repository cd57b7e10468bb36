"""The clocks, the status formatter and gatherer, the start-up summary (no subprocess)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.models import OutboxEntry
from bot.outbox import OutboxStatus
from bot.service.clock import FileClock, ManualClock, SystemClock, clock_from_env, mode_tick
from bot.service.status import (
    JobInfo,
    ServiceState,
    Status,
    digest_runs,
    format_startup,
    format_status,
    gather_status,
    read_state,
    write_state,
)
from bot.store.store import Store
from tests.service.conftest import load, project, utc


def test_manual_clock_moves_only_when_told() -> None:
    c = ManualClock(datetime(2026, 2, 9, 7, 0))  # naive means UTC
    assert c.now() == utc(2026, 2, 9, 7, 0)
    assert c.advance(minutes=1) == utc(2026, 2, 9, 7, 1) == c.now()
    c.set(utc(2026, 3, 30, 6, 0))
    assert c.now().tzinfo is UTC and c.now() == utc(2026, 3, 30, 6, 0)


def test_file_clock_follows_the_file_and_keeps_running(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    clock = FileClock(path)
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 1  # no file: real time
    FileClock.move_to(path, utc(2026, 2, 9, 6, 59, 58))
    a = clock.now()
    assert abs((a - utc(2026, 2, 9, 6, 59, 58)).total_seconds()) < 0.5
    time.sleep(0.05)
    assert clock.now() > a  # it runs on
    FileClock.move_to(path, utc(2030, 1, 1))
    assert clock.now().year == 2030
    path.write_text("garbage")
    assert clock.now().year == 2030  # a bad file keeps the last good offset


def test_clock_from_env_and_test_tick(tmp_path: Path) -> None:
    assert isinstance(clock_from_env({}), SystemClock) and mode_tick({}) is None
    env = {"BRIEFBOT_TEST_CLOCK": str(tmp_path / "c")}
    assert isinstance(clock_from_env(env), FileClock) and mode_tick(env) == 0.5
    assert mode_tick({**env, "BRIEFBOT_TEST_TICK_SECONDS": "0.2"}) == 0.2


NOW = utc(2026, 2, 9, 7, 30)


def state(**kw: object) -> ServiceState:
    base = dict(
        pid=4242, host="box", started_at=NOW - timedelta(hours=2), heartbeat=datetime.now(UTC),
        clock_now=NOW, clock="system", telegram="on (polling)", web="http://127.0.0.1:8080",
        channels=("file", "telegram"), sent=17,
        jobs=(JobInfo("feeds", "poll due feeds", "every 30s", NOW + timedelta(seconds=20),
                      NOW + timedelta(minutes=3), NOW - timedelta(seconds=10)),
              JobInfo("digests", "queue due digests", "every 1m", NOW + timedelta(seconds=30),
                      utc(2026, 2, 16, 7, 0), last_error="database unavailable")),
    )  # fmt: skip
    base.update(kw)
    return ServiceState(**base)  # type: ignore[arg-type]


def test_state_file_round_trip(tmp_path: Path) -> None:
    s = state(heartbeat=datetime.now(UTC).replace(microsecond=0))  # kept to the second
    write_state(tmp_path / "x" / "service.json", s)
    assert read_state(tmp_path / "x" / "service.json") == s
    assert read_state(tmp_path / "missing.json") is None


def test_format_status_running_and_stale() -> None:
    ob = OutboxStatus(counts={("pending", "telegram"): 3, ("sent", "email"): 40}, due_now=2,
                      oldest_due=NOW - timedelta(minutes=2))  # fmt: skip
    digests = digest_runs(
        [("digest:2026-W06:sub-1:email", "sent", "email", NOW),
         ("digest:2026-W06:sub-2:telegram", "pending", "telegram", None),
         ("digest:2026-W05:sub-1:email", "sent", "email", NOW - timedelta(days=7)),
         ("alert:x:sub-1:email", "sent", "email", NOW)],
        {"2026-W06": NOW - timedelta(hours=1)},
    )  # fmt: skip
    st = Status(now=NOW, real_now=datetime.now(UTC), service=state(), jobs=state().jobs,
                feeds=(), outbox=ob, digests=digests, counts={"items": 2}, subscribers=2,
                next_digest=utc(2026, 2, 16, 7, 0))  # fmt: skip
    text = format_status(st)
    assert text.startswith("service: running (pid 4242")
    assert "feeds     every 30s" in text and "next 2026-02-09T07:30:20Z (in 20s)" in text
    assert "due 2026-02-09T07:33:00Z (in 3m)" in text
    assert "last error: database unavailable" in text
    assert "outbox: 3 pending (2 due now), 0 sending, 40 sent, 0 dead" in text
    assert "2026-W06: sent 1, last 2026-02-09T07:30:00Z, 1 pending (email, telegram)" in text
    assert "2026-W05: sent 1" in text and "alert" not in text
    stale = Status(now=NOW, real_now=datetime.now(UTC) + timedelta(minutes=5), service=state(),
                   jobs=(), feeds=(), outbox=OutboxStatus(), digests=())  # fmt: skip
    assert format_status(stale).startswith("service: not running (last heartbeat")


def test_startup_summary_is_one_line_without_secrets() -> None:
    line = format_startup(
        feeds=3, subscribers=12, by_channel={"telegram": 10, "email": 4},
        telegram="on (polling)", web="off", channels=("file", "telegram", "email"),
        jobs=list(state().jobs), clock="system", now=NOW,
    )  # fmt: skip
    assert "\n" not in line
    assert line.startswith("briefbot started: 3 feed(s), 12 active subscriber(s) (email 4, tel")
    assert "feeds every 30s, next 2026-02-09T07:30:20Z (due 2026-02-09T07:33:00Z)" in line


async def test_gather_status_from_the_store(tmp_path: Path) -> None:
    root = project(tmp_path, archive=False)
    config = load(root)
    async with Store.open(config.env.database_url) as store:
        sub = await store.subscribers.create(NOW, telegram_chat_id=42, timezone="Asia/Shanghai")
        await store.outbox.enqueue(
            [OutboxEntry(key=f"digest:2026-W06:sub-{sub.id}:telegram", channel="telegram",
                         recipient="42", subscriber_id=sub.id, payload={})], NOW
        )  # fmt: skip
        await store.feeds.add("http://127.0.0.1:1/f.xml", "F", allow_private=True, now=NOW)
        st = await gather_status(config, store, now=NOW)
    assert st.service is None and not st.running
    assert st.subscribers == 1 and st.next_digest == utc(2026, 2, 16, 0, 0)
    assert [(d.period, d.pending) for d in st.digests] == [("2026-W06", 1)]
    assert [f.health for f in st.feeds] == ["new"]
    text = format_status(st)
    assert "service: not running (no state file" in text and "new      F" in text
