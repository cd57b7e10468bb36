"""Crash safety: a worker sending 2,000 messages is SIGKILLed midway and restarted. Every
message arrives; duplicates are at most the rows that were in flight (claimed, not yet marked
sent) at the kill. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.models import Message, OutboxEntry
from bot.outbox import encode_message
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from tests.conftest import ROOT
from tests.fakes.telegram_api import FakeBotAPI

N, CHATS = 2000, 500


def worker(db_url: str, api: FakeBotAPI) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.deliver.crash_worker", db_url, api.base_url],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
async def test_sigkill_midway_loses_nothing(db_url: str) -> None:
    now = datetime.now(UTC)
    async with Store.open(db_url) as store:
        rows = [
            OutboxEntry(key=f"alert:{i}", channel="telegram", recipient=str(1000 + i % CHATS),
                        payload=encode_message(Message(kind="alert", key=f"alert:{i}",
                                                       subject="s", text=f"m{i}")))
            for i in range(N)
        ]  # fmt: skip
        outbox = OutboxRepo(store.engine)
        assert await outbox.enqueue(rows, now) == N
        with FakeBotAPI() as api:
            first = worker(db_url, api)
            deadline = time.monotonic() + 60
            while len(api.delivered()) < N // 3 and time.monotonic() < deadline:
                assert first.poll() is None, "worker ended early"
                time.sleep(0.01)
            first.send_signal(signal.SIGKILL)
            first.wait()
            before = len(api.delivered())
            status = await outbox.status(datetime.now(UTC))
            in_flight = status.total("sending")
            second = worker(db_url, api)
            assert second.wait(timeout=90) == 0
            texts = Counter(r.params["text"] for r in api.delivered())
        final = await outbox.status(datetime.now(UTC))
    duplicates = sum(texts.values()) - len(texts)
    print(f"\n[{db_url.split(':')[0]}] killed after {before} sends; in flight at the kill: "
          f"{in_flight}; duplicates after restart: {duplicates}")  # fmt: skip
    assert N // 3 <= before < N
    assert set(texts) == {f"m{i}" for i in range(N)}
    assert duplicates <= in_flight
    assert final.total("sent") == N and final.total() == N
