"""The pacer counts a request from its start to its answer (``Pacer.sending``), so however its
arrival at Telegram is delayed (a loaded event loop, a photo upload), no window at the server
holds more than the limit. Spacing the starts alone let 31 arrive in one second, or a chat's
photo and text 0.96 s apart, on a loaded machine (the 429s of the three-replica test)."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.deliver.pacing import Pacer


async def test_a_chat_s_next_request_waits_a_window_after_the_last_answer() -> None:
    now = [0.0]

    async def sleep(s: float) -> None:
        now[0] += s

    p = Pacer(30, 1, clock=lambda: now[0], sleep=sleep)
    arrivals = []
    for upload in (0.05, 0.0, 0.3, 0.0):  # a photo arrives late, its text at once
        async with p.sending("chat"):
            now[0] += upload
            arrivals.append(now[0])  # Telegram counts it here
            now[0] += 0.01  # its answer
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 1.0, gaps  # spacing the starts alone: 1.02 - 0.05 = 0.97


async def test_no_window_holds_more_than_the_global_limit_whatever_the_delays() -> None:
    p = Pacer(10, 10)
    arrivals: list[float] = []

    async def one(i: int) -> None:
        async with p.sending(f"chat-{i}"):
            await asyncio.sleep(0.08 if i < 10 else 0.0)  # the first second's arrive late
            arrivals.append(time.monotonic())
            await asyncio.sleep(0.002)

    await asyncio.gather(*(one(i) for i in range(25)))
    arrivals.sort()
    # at most 10 in any 1 s window: the 11th after the 1st is a full second later
    worst = min(b - a for a, b in zip(arrivals, arrivals[10:], strict=False))
    assert worst >= 1.0, worst  # spacing the starts alone: 1.02 - 0.08


async def test_an_unanswered_request_holds_its_place_in_the_window() -> None:
    p = Pacer(1, 10)  # one request per second
    started: list[float] = []
    release = asyncio.Event()

    async def one(i: int) -> None:
        async with p.sending(i):
            started.append(time.monotonic())
            if i == 0:
                await release.wait()  # no answer yet: it may still arrive at any moment

    t0 = time.monotonic()
    tasks = [asyncio.create_task(one(i)) for i in range(2)]
    await asyncio.sleep(1.5)
    assert len(started) == 1  # the second waits: the first is still open
    release.set()
    answered = time.monotonic()
    await asyncio.gather(*tasks)
    assert started[1] - answered >= 0.99 and started[1] - t0 >= 2.4
