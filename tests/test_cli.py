"""The CLI end to end, as a newcomer runs it: a real process on a fresh SQLite file."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED


def project_copy(tmp_path: Path) -> Path:
    """A scratch project: the shipped config and archive, empty digests/."""
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "config", root / "config")
    shutil.copytree(ROOT / "archive", root / "archive")
    return root


def briefbot(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=root,
        env=e,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_once_writes_the_seed_digest_and_is_idempotent(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    first = briefbot(root, "run", "--once")
    assert first.returncode == 0, first.stderr
    assert "2 new" in first.stdout and "2026-W06" in first.stdout
    md = (root / "digests" / "2026-W06.md").read_text(encoding="utf-8")
    assert "$135B" in md and "$37.5B" in md
    assert (root / "digests" / "2026-W06.html").exists()
    assert (root / "digests" / "index.html").exists()
    alerts = (root / "digests" / "alerts.log").read_text(encoding="utf-8")
    assert "Meta" in alerts and "Oracle" in alerts

    def rows() -> dict[str, int]:
        con = sqlite3.connect(root / "briefbot.db")
        try:
            names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
            return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
        finally:
            con.close()

    before = rows()
    assert before["items"] == 2 and before["figures"] >= 20
    second = briefbot(root, "run", "--once")
    assert second.returncode == 0, second.stderr
    assert "no rows added" in second.stdout
    assert rows() == before
    assert (root / "digests" / "alerts.log").read_text(encoding="utf-8") == alerts


def test_figures_json_contract() -> None:
    res = briefbot(ROOT, "figures", str(SEED), "--format", "json")
    assert res.returncode == 0, res.stderr
    figs = [json.loads(line) for line in res.stdout.splitlines()]
    keys = {
        "entity",
        "metric",
        "value",
        "unit",
        "qualifier",
        "period",
        "is_change",
        "change_basis",
        "low",
        "previous",
        "conversion",
        "usd_value",
        "lang",
        "span",
        "sentence",
        # wave 2 (DESIGN.md): extended, nothing renamed
        "kind",
        "counterparty",
        "segment",
        "entity_known",
        "noun",
    }
    assert figs and all(set(f) == keys for f in figs)
    meta = [f for f in figs if f["entity"] == "Meta" and f["lang"] == "en"]
    assert (
        meta[0]["value"] == 135e9
        and meta[0]["qualifier"] == "up_to"
        and meta[0]["period"] == "2026"
    )


def test_figures_from_stdin_and_table() -> None:
    res = briefbot(
        ROOT, "figures", "-", "--format", "table", stdin="Oracle will borrow up to $50 billion."
    )
    assert res.returncode == 0 and "Oracle" in res.stdout and "borrowing" in res.stdout


def test_alerts_test_backtests(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "ingest").returncode == 0
    res = briefbot(root, "alerts", "test", "capex > 100B USD")
    assert res.returncode == 0, res.stderr
    assert "would have fired" in res.stdout and "Meta" in res.stdout
    bad = briefbot(root, "alerts", "test", "capx > 1B")
    assert (
        bad.returncode == 1
        and "did you mean 'capex'" in bad.stderr
        and "Traceback" not in bad.stderr
    )


def test_alerts_test_json_lists_every_fired_alert_with_its_sources(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "ingest").returncode == 0
    table = briefbot(root, "alerts", "test", "any > 1B USD")
    res = briefbot(root, "alerts", "test", "any > 1B USD", "--format", "json")
    assert res.returncode == 0, res.stderr
    alerts = [json.loads(line) for line in res.stdout.splitlines()]
    hits = int(table.stdout.split("would have fired ")[1].split(" ")[0])
    assert len(alerts) == hits > 3  # all of them, not only the last three the table shows
    meta = next(a for a in alerts if a["figure"]["entity"] == "Meta")
    assert meta["rule"] == "any > 1B USD" and meta["figure"]["value"] == 135e9
    assert meta["value"] == 135e9 and meta["unit"] == "USD"
    assert meta["sources"] and all(s["title"] and s["item_id"] for s in meta["sources"])
    none = briefbot(root, "alerts", "test", "capex > 10T USD", "--format", "json")
    assert none.returncode == 0 and none.stdout == ""


def test_commands_read_the_test_clock(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    clock = tmp_path / "clock"
    clock.write_text("0")
    from datetime import UTC, datetime

    from bot.service.clock import FileClock

    FileClock.move_to(clock, datetime(2026, 2, 4, 12, tzinfo=UTC))
    assert briefbot(root, "ingest").returncode == 0
    out = tmp_path / "out"
    res = briefbot(root, "digest", "--out", str(out), env={"BRIEFBOT_TEST_CLOCK": str(clock)})
    assert res.returncode == 0, res.stderr
    assert (out / "2026-W06.md").exists()  # "this week" is the clock's week, not today's


def test_digest_for_a_week_into_a_folder(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "ingest").returncode == 0
    out = tmp_path / "out"
    res = briefbot(root, "digest", "--week", "2026-W06", "--channel", "file", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "$135B" in (out / "2026-W06.md").read_text(encoding="utf-8")
    assert briefbot(root, "digest", "--week", "2026-W99").returncode == 2


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    for _ in range(2):
        res = briefbot(root, "db", "upgrade")
        assert res.returncode == 0 and "revision" in res.stdout


def test_db_upgrade_refiles_facts_and_the_digest_keeps_its_figures(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "ingest").returncode == 0
    out = tmp_path / "out"
    week = ("digest", "--week", "2026-W06", "--channel", "file", "--out", str(out))
    assert briefbot(root, *week).returncode == 0
    before = (out / "2026-W06.md").read_text(encoding="utf-8")
    res = briefbot(root, "db", "upgrade", "--refile-facts")
    assert res.returncode == 0 and "figures filed under" in res.stdout, res.stderr
    n = int(res.stdout.split("filed under ")[1].split()[0])
    assert n > 0
    assert briefbot(root, *week).returncode == 0
    assert (out / "2026-W06.md").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("env", "setup", "needle"),
    [
        ({"BRIEFBOT_DATABASE_URL": "sqlite:////nonexistent/dir/x.db"}, None, "does not exist"),
        ({}, "bad-config", "schedule.timezone"),
        ({}, "no-archive", "archive folder"),
        ({"BRIEFBOT_SMTP_PORT": "many"}, None, "BRIEFBOT_SMTP_PORT"),
    ],
)
def test_failures_are_one_clear_line(
    tmp_path: Path, env: dict[str, str], setup: str | None, needle: str
) -> None:
    root = project_copy(tmp_path)
    if setup == "bad-config":
        p = root / "config" / "briefbot.toml"
        p.write_text(
            p.read_text().replace('timezone = "Europe/Berlin"', 'timezone = "Nowhere/Land"')
        )
    if setup == "no-archive":
        shutil.rmtree(root / "archive")
    res = briefbot(root, "run", "--once", env=env)
    assert res.returncode == 1
    assert needle in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_locked_database_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "run", "--once").returncode == 0
    con = sqlite3.connect(root / "briefbot.db", timeout=0)
    con.execute("BEGIN EXCLUSIVE")
    try:
        (root / "archive" / "2026-03-02-note.md").write_text(
            "Google plans $75 billion of capex.", encoding="utf-8"
        )
        res = briefbot(root, "run", "--once")
    finally:
        con.rollback()
        con.close()
    assert res.returncode == 1 and "locked" in res.stderr and "Traceback" not in res.stderr
    again = briefbot(root, "run", "--once")
    assert again.returncode == 0 and "1 new" in again.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert briefbot(ROOT, "nonsense").returncode == 2
    assert briefbot(ROOT, "figures", "--format", "xml").returncode == 2
    helped = briefbot(ROOT, "alerts", "test", "--help")
    assert helped.returncode == 0 and "backtest" in helped.stdout


def test_feeds_commands(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    env = {"BRIEFBOT_ALLOW_PRIVATE_FEEDS": "1"}
    url = "http://127.0.0.1:9/feed.xml"
    added = briefbot(root, "feeds", "add", url, "--name", "Wire", "--lang", "en", env=env)
    assert added.returncode == 0, added.stderr
    status = briefbot(root, "feeds", "status", "--format", "json", env=env)
    [row] = [json.loads(line) for line in status.stdout.splitlines()]
    assert row["url"] == url and row["name"] == "Wire"
    assert {
        "url",
        "name",
        "last_status",
        "last_success",
        "failures",
        "next_poll",
        "entries",
        "last_error",
    } <= set(row)
    polled = briefbot(root, "ingest", "--feeds", env=env)
    assert polled.returncode == 0, polled.stderr
    assert f"warning: {url}" in polled.stderr  # the dead feed is reported, not fatal
    after = json.loads(
        briefbot(root, "feeds", "status", "--format", "json", env=env).stdout.splitlines()[0]
    )
    assert after["failures"] == 1 and after["last_error"]
    opml = briefbot(root, "feeds", "export", env=env)
    assert opml.returncode == 0 and 'xmlUrl="http://127.0.0.1:9/feed.xml"' in opml.stdout
    refused = briefbot(root, "feeds", "add", "http://10.0.0.1/x.xml")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert briefbot(root, "feeds", "remove", url, env=env).returncode == 0
    assert briefbot(root, "feeds", "remove", url, env=env).returncode == 1


def test_outbox_commands(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "run", "--once").returncode == 0
    status = briefbot(root, "outbox", "status")
    assert status.returncode == 0 and "file" in status.stdout
    retry = briefbot(root, "outbox", "retry-dead")
    assert retry.returncode == 0 and "0 dead" in retry.stdout


def test_unreadable_file_exits_1_and_stores_the_rest(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "archive" / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    res = briefbot(root, "run", "--once")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "broken.txt: not UTF-8" in res.stderr
    assert (root / "digests" / "2026-W06.md").exists()  # the seed was still stored and digested
    con = sqlite3.connect(root / "briefbot.db")
    try:
        assert con.execute("select count(*) from items").fetchone()[0] == 2
    finally:
        con.close()


def test_bad_log_level_in_config_names_the_key(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    p = root / "config" / "briefbot.toml"
    p.write_text(p.read_text().replace('level = "WARNING"', 'level = "LOUD"'))
    res = briefbot(root, "ingest")
    assert res.returncode == 1 and "logging.level = 'LOUD'" in res.stderr


def test_status_text_and_json(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert briefbot(root, "run", "--once").returncode == 0
    text = briefbot(root, "status")
    assert text.returncode == 0, text.stderr
    res = briefbot(root, "status", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["running"] is False and data["counts"]["items"] == 2
    assert any(d["period"] == "2026-W06" and d["archive_built"] for d in data["digests"])


def test_global_options_after_the_command(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    res = briefbot(
        root, "ingest", "--log-level", "INFO", "--config", str(root / "config" / "briefbot.toml")
    )
    assert res.returncode == 0, res.stderr
    assert "alembic" not in res.stderr  # library chatter stays out of INFO logs


def test_alerts_test_stops_a_costly_rule_at_its_budget(tmp_path: Path) -> None:
    """Issue 18 high 2: ``alerts test`` of a catastrophic regex stops at [alerts] pass_cpu_ms
    with one line saying what to do, instead of running for minutes."""
    from tests.test_alert_pass import EVIL, items

    root = project_copy(tmp_path)
    text = "\n\n".join(item.text for item in items(4))  # ~200 different sentences
    (root / "archive" / "2026-02-05-flood.md").write_text(text, encoding="utf-8")
    toml = root / "config" / "briefbot.toml"
    toml.write_text(
        toml.read_text().replace("pass_cpu_ms = 20000", "pass_cpu_ms = 300"), encoding="utf-8"
    )
    assert briefbot(root, "ingest").returncode == 0
    res = briefbot(root, "alerts", "test", EVIL)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "needs more than 0.3 s of CPU" in res.stderr and "make it simpler" in res.stderr
    # an ordinary rule passes at the default budget (fact matching costs more than 0.3 s here)
    toml.write_text(
        toml.read_text().replace("pass_cpu_ms = 300", "pass_cpu_ms = 20000"), encoding="utf-8"
    )
    fine = briefbot(root, "alerts", "test", "keyword /capex will reach/")
    assert fine.returncode == 0 and "would have fired" in fine.stdout
