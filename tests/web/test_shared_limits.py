"""Web rate limits behind a load balancer: replicas on one PostgreSQL database share them.

Per process, three replicas let three times the limit through (issue 17 saw 6 confirmation
mails reach one address where 3 are allowed). On PostgreSQL the web app counts hits in the
database (``bot.store.ratelimits.SharedWindow``); on SQLite (one process) in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import Config
from bot.store.store import Store
from bot.web import create_app
from bot.web.context import Limits
from tests.web.conftest import PUBLIC, FakeClock, csrf, emails, link_in, subscribe_form


@pytest.fixture
async def two_stores(db_url: str) -> AsyncIterator[tuple[Store, Store]]:
    """Two replicas' stores (two engines, two connection pools) on one database."""
    async with Store.open(db_url) as a, Store.open(db_url) as b:
        yield a, b


def _clients(config: Config, stores: tuple[Store, Store], clock: FakeClock,
             limits: Limits) -> list[httpx.AsyncClient]:  # fmt: skip
    return [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(config, s, clock=clock, limits=limits)),
            base_url=PUBLIC,
        )
        for s in stores
    ]


async def test_two_web_replicas_share_the_subscribe_limits(
    config: Config, two_stores: tuple[Store, Store], clock: FakeClock, db_url: str
) -> None:
    limits = Limits(subscribe_ip=(4, 3600), subscribe_address=(3, 3600))
    one, two = _clients(config, two_stores, clock, limits)
    async with one, two:
        tokens = [await csrf(c) for c in (one, two)]
        # the same address, alternating replicas (the load balancer's round robin)
        codes = []
        for n in range(6):
            c, token = (one, tokens[0]) if n % 2 == 0 else (two, tokens[1])
            codes.append((await c.post("/subscribe", data=subscribe_form(token))).status_code)
        sent = len(await emails(two_stores[0]))
    if db_url.startswith("postgresql"):
        assert codes == [200, 200, 200, 429, 429, 429]  # 3 per address, whichever replica
        assert sent == 3
    else:  # SQLite: one process per database; each app has its own window
        assert codes == [200] * 6


@pytest.mark.postgres
async def test_two_web_replicas_share_the_confirm_limit(
    config: Config, tmp_path: Path, clock: FakeClock
) -> None:
    from tests.conftest import create_pg_database, drop_pg_database

    url = await create_pg_database()
    try:
        async with Store.open(url) as a, Store.open(url) as b:
            one, two = _clients(config, (a, b), clock, Limits(confirm_ip=(4, 3600)))
            async with one, two:
                token = await csrf(one)
                assert (await one.post("/subscribe", data=subscribe_form(token))).status_code == 200
                link = link_in((await emails(a))[-1], "confirm")
                # garbage links count against the client on every replica: 4 in all
                codes = [(await (one if n % 2 else two).get("/confirm/garbage")).status_code
                         for n in range(6)]  # fmt: skip
                assert codes == [400, 400, 400, 400, 429, 429]
                clock.advance(seconds=3601)  # the window slid, on both
                assert (await two.get(link)).status_code == 200
    finally:
        await drop_pg_database(url)
