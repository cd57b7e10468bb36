"""SMTP and the Bot API fail for a few seconds in the middle of a digest fan-out (through a
``FaultProxy`` or the fakes' failure switches): every chat gets the chart and the text once,
every address one mail, the service never exits, sends resume within 10 s of the end of the
fault, and the outage takes at most 10 log lines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.service.status import format_health, read_state
from tests.faults.rig import Rig

RECOVER_S = 10.0
MAX_LINES = 10
OUTAGE_S = 3.0


def health_of(rig: Rig, name: str) -> dict[str, object]:
    """What ``briefbot status`` reads: the service's state file."""
    state = read_state(rig.root / ".briefbot" / "service.json")
    assert state is not None
    return next(h for h in state.health if h["name"] == name)


async def fan_out_through(
    rig: Rig,
    begin: Callable[[], None],
    end: Callable[[], Awaitable[None] | None],
    channel: str | None = None,
) -> str:
    await rig.start()
    await rig.ready()
    rig.slot()
    await rig.delivered(6)
    t0 = time.monotonic()
    begin()
    await asyncio.sleep(OUTAGE_S)
    if channel is not None:  # `briefbot status` says what is down, since when, and why
        # the state file is written every second; a loaded machine may take longer to see 3
        # failures in a row (the fault lasts until ``end``, so waiting longer changes nothing)
        deadline = time.monotonic() + 15.0
        while health_of(rig, channel)["up"] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        down = health_of(rig, channel)
        assert down["up"] is False and down["down_since"] and down["last_error"], (
            down,
            f"{rig.deliveries()}/{rig.expected()} delivered",
            rig.log_text(t0),
        )
        assert "DOWN since" in format_health(
            tuple(read_state(rig.root / ".briefbot" / "service.json").health)
        )  # type: ignore[union-attr]
    done = end()
    if done is not None:
        await done
    back = time.monotonic()
    await rig.all_delivered()
    first = rig.first_delivery_after(back)
    assert first is not None and first - back <= RECOVER_S
    rig.check_exactly_once()
    assert rig.running()
    if channel is not None:  # the stale error is gone with the first success
        await asyncio.sleep(1.2)
        assert health_of(rig, channel) == {
            "name": channel,
            "up": True,
            "down_since": None,
            "last_error": None,
        }
    text = rig.log_text(t0)
    assert rig.log_lines(t0) <= MAX_LINES, text
    assert "<html" not in text.lower(), text
    return text


@pytest.mark.parametrize("kind", ["refused", "421", "451"])
async def test_smtp_outage(tmp_path: Path, kind: str) -> None:
    async with Rig(tmp_path, telegram=10, email=30) as rig:
        assert rig.mail is not None
        mail = rig.mail

        def begin() -> None:
            if kind == "refused":
                mail.refuse()
            else:
                rig.smtp.mode = kind

        async def end() -> None:
            rig.smtp.mode = "ok"
            await mail.restore()

        text = await fan_out_through(rig, begin, end, "email")
        assert "email down since" in text and "email back after" in text, text


@pytest.mark.parametrize("kind", ["502", "502-second-part", "refused"])
async def test_bot_api_outage(tmp_path: Path, kind: str) -> None:
    async with Rig(tmp_path, telegram=30, email=10) as rig:
        assert rig.tg is not None
        tg = rig.tg

        def begin() -> None:
            if kind == "refused":
                tg.refuse()
            elif kind == "502":
                rig.api.fail(None, "502", times=None)
            else:
                rig.api.fail("sendMessage", "502", times=None)

        async def end() -> None:
            with rig.api._lock:
                rig.api._failures.clear()
            await tg.restore()

        text = await fan_out_through(rig, begin, end, None if "second" in kind else "telegram")
        if kind != "502-second-part":  # later parts wait in place (quick retries), no outage
            assert "telegram down since" in text and "telegram back after" in text, text
