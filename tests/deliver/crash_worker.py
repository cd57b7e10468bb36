"""A worker process for the crash test: drains the outbox to Telegram until nothing is left.

python -m tests.deliver.crash_worker DB_URL TELEGRAM_BASE_URL
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from bot.deliver.telegram import TelegramChannel
from bot.deliver.worker import drain
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from tests.fakes.telegram_api import TOKEN


def clock() -> datetime:
    return datetime.now(UTC)


async def main(db_url: str, base_url: str) -> None:
    store = Store.open(db_url)
    outbox = OutboxRepo(store.engine)
    channel = TelegramChannel.create(TOKEN, base_url, global_rate=400, chat_rate=50)
    try:
        while True:
            report = await drain(outbox, {"telegram": channel}, None, now=clock, batch=50,
                                 lease_seconds=3, concurrency=16)  # fmt: skip
            print(report.summary(), flush=True)
            st = await outbox.status(clock())
            if st.total("pending") + st.total("sending") == 0:
                return
            if report.claimed == 0:
                await asyncio.sleep(0.2)  # rows whose lease has not expired yet
    finally:
        await channel.aclose()
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
