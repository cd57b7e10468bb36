"""``briefbot run`` as a real process: SIGTERM during sends, no credentials, and end to end
(feed server, Bot API fake, SMTP server; its time moved through ``BRIEFBOT_TEST_CLOCK``)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.models import Message, OutboxEntry
from bot.outbox import encode_message
from bot.service.clock import FileClock
from bot.store.store import Store
from tests.fakes.feed_server import FeedServer, Route
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.service.conftest import (
    Proc,
    project,
    rss,
    start_briefbot,
    utc,
    wait_for,
)

pytestmark = pytest.mark.slow


def texts(api: FakeBotAPI, chat_id: int | None = None) -> list[str]:
    return [str(r.params.get("text") or r.params.get("caption") or "")
            for r in api.delivered(chat_id)]  # fmt: skip


# ---- SIGTERM --------------------------------------------------------------------------------


async def test_sigterm_during_sends_loses_nothing(tmp_path: Path) -> None:
    n = 150
    root = project(tmp_path, archive=False, channels=("file", "telegram"))
    url = f"sqlite:///{root / 'briefbot.db'}"
    async with Store.open(url) as store:
        rows = [
            OutboxEntry(key=f"alert:{i}", channel="telegram", recipient=str(1000 + i),
                        payload=encode_message(Message(kind="alert", key=f"alert:{i}",
                                                       subject="s", text=f"m{i}")))
            for i in range(n)
        ]  # fmt: skip
        assert await store.outbox.enqueue(rows, utc(2026, 2, 9)) == n
    with FakeBotAPI(latency=0.2) as api:  # every send takes 0.2 s: some are always in flight
        env = {
            "BRIEFBOT_DATABASE_URL": url,
            "BRIEFBOT_TELEGRAM_TOKEN": TOKEN,
            "BRIEFBOT_TELEGRAM_BASE_URL": api.base_url,
        }
        first = start_briefbot(root, "--log-level", "INFO", "run", env=env, name="first")
        wait_for(lambda: len(api.delivered()) >= 20, 30, "the first sends", first)
        at_signal = len(api.delivered())
        assert first.stop(signal.SIGTERM) == 0, first.text()
        at_stop = texts(api)
        log = first.text()
        assert "SIGTERM received" in log and "briefbot stopped" in log, log
        stopped = re.search(r"briefbot stopped in ([\d.]+)s", log)
        print(f"\nSIGTERM after {at_signal} sends; {len(at_stop) - at_signal} in flight then "
              f"finished; stopped in {stopped and stopped[1]}s")  # fmt: skip
        async with Store.open(url) as store:
            entries = await store.outbox.entries()
        states = Counter(e.status for e in entries)
        assert states["sending"] == 0 and states["dead"] == 0, states
        # every message that reached Telegram is marked sent, and only those
        assert {e.key for e in entries if e.status == "sent"} == {f"alert:{t[1:]}" for t in at_stop}
        assert 20 <= states["sent"] < n
        # rows claimed but not sent were put back without using an attempt
        assert all(e.attempts == 0 for e in entries if e.status == "pending")

        second = start_briefbot(root, "--log-level", "INFO", "run", env=env, name="second")
        wait_for(lambda: len(api.delivered()) >= n, 60, "the rest", second)
        time.sleep(0.5)
        assert second.stop(signal.SIGTERM) == 0, second.text()
    got = Counter(texts(api))
    assert set(got) == {f"m{i}" for i in range(n)}
    assert max(got.values()) == 1, [t for t, c in got.items() if c > 1]


# ---- no credentials -------------------------------------------------------------------------


def test_run_without_credentials_keeps_running_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "config", root / "config")  # the shipped config, untouched
    shutil.copytree(ROOT / "archive", root / "archive")
    env = {"BRIEFBOT_WEB_BIND": "127.0.0.1:0"}  # the default 8080 may be taken on this machine
    proc = start_briefbot(root, "--log-format", "json", "run", env=env)
    try:
        md = root / "digests" / "2026-W06.md"
        wait_for(md.exists, 60, "digests/2026-W06.md", proc)
        assert "$135B" in md.read_text(encoding="utf-8")
        wait_for((root / ".briefbot" / "service.json").exists, 30, "the state file", proc)
        status = subprocess.run([sys.executable, "-m", "bot", "status"], cwd=root, env=_env(env),
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert status.returncode == 0, status.stderr
        out = status.stdout
        assert out.startswith("service: running (pid"), out
        for job in ("feeds", "archive", "digests", "prune", "outbox"):
            assert re.search(rf"(?m)^  {job} ", out), (job, out)
        assert "outbox: 0 pending" in out and "2026-W06" in out
        time.sleep(1.0)
        assert proc.alive()
    finally:
        rc = proc.stop(signal.SIGINT, timeout=30)
    assert rc == 0, proc.text()
    lines = proc.text().splitlines()
    records = [json.loads(line) for line in lines]  # --log-format json: every line is JSON
    msgs = [r["msg"] for r in records]
    started = [m for m in msgs if m.startswith("briefbot started:")]
    assert len(started) == 1, msgs
    assert "telegram bot off" in started[0] and "jobs: feeds every 30s" in started[0]
    assert any(m.startswith("briefbot stopped") for m in msgs)
    assert not any(r["level"] == "error" for r in records), msgs
    after = subprocess.run([sys.executable, "-m", "bot", "status"], cwd=root, env=_env(env),
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "service: not running" in after.stdout and "stopped cleanly" in after.stdout


def _env(env: dict[str, str]) -> dict[str, str]:
    import os

    e = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    return {**e, **env}


# ---- end to end -------------------------------------------------------------------------------

CHAT = 4242
OLD = ("old-1", "Markets wrap", "Stocks were flat on Friday.", utc(2026, 2, 6, 18, 0))
BIG = ("capex-150", "Alphabet lifts its spending plan",
       "Alphabet said it plans capex of $150 billion this year, up from $91 billion.",
       utc(2026, 2, 8, 12, 0, 30))  # fmt: skip


def test_end_to_end_alert_in_chat_and_digest_by_email(
    tmp_path: Path, feed_server: FeedServer, smtp: FakeSMTP
) -> None:
    feed = feed_server.route("/news.xml", Route(body=rss([OLD])))
    root = project(tmp_path, feeds=[(feed, 1)], timezone="Europe/Berlin",
                   outbox_drain_seconds=1)  # fmt: skip
    clock_file = tmp_path / "clock"
    start = utc(2026, 2, 8, 12, 0)  # Sunday noon UTC; the digest of 2026-W06 is due Monday 08:00
    FileClock.move_to(clock_file, start)
    clock = FileClock(clock_file)
    with FakeBotAPI() as api:
        env = {
            "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
            "BRIEFBOT_TELEGRAM_TOKEN": TOKEN,
            "BRIEFBOT_TELEGRAM_BASE_URL": api.base_url,
            "BRIEFBOT_SMTP_HOST": smtp.host,
            "BRIEFBOT_SMTP_PORT": str(smtp.port),
            "BRIEFBOT_ALLOW_PRIVATE_FEEDS": "1",
            "BRIEFBOT_SECRET_KEY": "e2e-secret-key-e2e-secret-key",
            "BRIEFBOT_TEST_CLOCK": str(clock_file),
            "BRIEFBOT_TEST_TICK_SECONDS": "0.2",
        }
        proc = start_briefbot(root, "--log-level", "INFO", "run", env=env)
        try:
            _converse(api, smtp, proc)
            # a new item appears; the feed is due again one (test clock) minute after its poll
            wait_for(lambda: feed_server.hits("/news.xml"), 20, "the first poll", proc)
            feed_server.route("/news.xml", Route(body=rss([BIG, OLD])))
            t0 = time.monotonic()
            FileClock.move_to(clock_file, clock.now() + timedelta(minutes=1))
            alert = wait_for(
                lambda: [t for t in texts(api, CHAT) if "150" in t and "capex" in t.lower()],
                15, "the alert in the chat", proc,
            )  # fmt: skip
            alert_seconds = time.monotonic() - t0  # printed, not asserted: no wall-clock limits
            assert "Alphabet" in alert[0]
            # Monday 07:59:57 in Berlin: three seconds before the digest slot
            FileClock.move_to(clock_file, utc(2026, 2, 9, 6, 59, 57))
            t1 = time.monotonic()
            mail = wait_for(  # the alert's own email may still arrive now: not this one
                lambda: [m for m in smtp.to("reader@example.com") if m.at > t1 and not
                         str(m.message["Subject"]).startswith(("Alert:", "Briefbot:"))], 20,
                "the digest email", proc,
            )  # fmt: skip
            waited = mail[0].at - t1
            assert waited > 2.5, waited  # at 08:00 (+ a tick and the send), not before
            digest = mail[0].message
            assert "W06" in str(digest["Subject"]) or "Feb" in str(digest["Subject"])
            body = digest.get_body(("plain",))
            assert body is not None and "150" in body.get_content()
        finally:
            rc = proc.stop(signal.SIGTERM)
        log = proc.text()
        assert rc == 0, log
        assert TOKEN not in log and TOKEN.split(":")[1] not in log  # secrets never logged
        assert "e2e-secret-key" not in log
        print(f"\nalert {alert_seconds:.2f}s after the poll became due; digest mail "
              f"{waited:.2f}s after the clock was set 3 s before 08:00")  # fmt: skip


def _converse(api: FakeBotAPI, smtp: FakeSMTP, proc: Proc) -> None:
    """/start, /email + /confirm with the mailed code, /alert add — as a user would."""

    def reply_count() -> int:
        return len(api.delivered(CHAT))

    def say(text: str, what: str) -> str:
        before = reply_count()
        api.push_text(CHAT, text)
        wait_for(lambda: reply_count() > before, 20, what, proc)
        return texts(api, CHAT)[-1]

    assert "Briefbot" in say("/start", "the welcome")
    say("/email reader@example.com", "the email answer")
    mail = wait_for(lambda: smtp.to("reader@example.com"), 20, "the confirmation mail", proc)
    body = mail[0].message.get_body(("plain",))
    assert body is not None
    code = re.search(r"\b(\d{6})\b", body.get_content())
    assert code, body.get_content()
    assert "reader@example.com" in say(f"/confirm {code.group(1)}", "the confirmation")
    added = say("/alert add capex > 100B USD", "the alert answer")
    assert "capex" in added.lower()
