"""The file channel (no credentials) and build_channels."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_config
from bot.deliver.file import FileChannel, sanitize
from bot.deliver.worker import build_channels, drain
from bot.models import Message
from bot.outbox import plan
from bot.store.outbox import OutboxRepo
from bot.store.store import Store

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def config(tmp_path: Path, environ: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    (tmp_path / "config").mkdir(exist_ok=True)
    path = tmp_path / "config" / "briefbot.toml"
    path.write_text("[rates]\nas_of = 2026-01-01\n[channels]\ntelegram_global_per_second = 25\n")
    return load_config(environ or {}, path)


async def test_alerts_append_and_digests_are_written_once(store: Store, tmp_path: Path) -> None:
    digest = Message(kind="digest", key="digest:2026-W06", subject="Week 6", text="text",
                     markdown="# Week 6\n\n- Meta capex\n")  # fmt: skip
    alerts = [Message(kind="alert", key=f"alert:rule-{i}:x", subject=f"Meta {i}",
                      text="up to\n$135B") for i in range(2)]  # fmt: skip
    outbox = OutboxRepo(store.engine)
    assert await outbox.enqueue(plan([digest, *alerts], [], channels=("file",)), T0) == 3
    ch = FileChannel(tmp_path / "digests", clock=lambda: T0)
    report = await drain(outbox, {"file": ch}, None, now=T0)
    assert report.sent == 3
    lines = (tmp_path / "digests" / "alerts.log").read_text().splitlines()
    assert lines == [f"2026-02-09T08:00:00+00:00 alert:rule-{i}:x up to $135B" for i in range(2)]
    md = tmp_path / "digests" / "digest-2026-W06.md"
    assert md.read_text() == "# Week 6\n\n- Meta capex\n"
    md.write_text("edited by the digest job")
    await ch.send(plan([digest], [], channels=("file",))[0], digest)
    assert md.read_text() == "edited by the digest job"  # never overwritten


def test_sanitize() -> None:
    assert sanitize("digest:2026-W06") == "digest-2026-W06"
    assert sanitize("../../etc/passwd") == "etc-passwd"
    assert sanitize(":::") == "message"


def test_build_channels_follows_credentials(tmp_path: Path) -> None:
    assert set(build_channels(config(tmp_path))) == {"file"}
    cfg = config(tmp_path, {"BRIEFBOT_TELEGRAM_TOKEN": "1:x", "BRIEFBOT_SMTP_HOST": "127.0.0.1",
                            "BRIEFBOT_SMTP_PORT": "465"})  # fmt: skip
    chans = build_channels(cfg)
    assert set(chans) == {"file", "telegram", "email"}
    tg = chans["telegram"]
    assert tg.pacer.global_rate == 25 and tg.pacer.chat_rate == 1  # type: ignore[attr-defined]
    assert chans["email"].settings.implicit_tls  # type: ignore[attr-defined]
