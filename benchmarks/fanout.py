"""Fan-out benchmark: Telegram pacing and SMTP throughput, through the real outbox.

    .venv/bin/python benchmarks/fanout.py                    # defaults below, about 2 minutes
    .venv/bin/python benchmarks/fanout.py --global-rate 30 --chat-rate 1 --messages 600

Telegram: ``--messages`` alerts to ``--chats`` chats (message-major, as ``plan`` orders them)
go through a SQLite outbox and ``drain`` to the fake Bot API running in its own process with
*strict* flood limits equal to the configured ones (sliding 1 s windows; every excess is a 429).
Printed: achieved rate vs the configured limit, 429s, early retries (a request to a chat before
its 429's retry_after elapsed; must be 0). Baseline in the same run: PTB's AIORateLimiter with
the same overall rate, sending the same way without our pacer.

Email: ``--emails`` messages through the outbox to a local aiosmtpd (own process), with
connection reuse (``--smtp-pool`` connections) and with one connection per message.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.deliver.email import EmailChannel, SmtpSettings  # noqa: E402
from bot.deliver.telegram import TelegramChannel  # noqa: E402
from bot.deliver.worker import drain  # noqa: E402
from bot.models import Channel as ChannelName  # noqa: E402
from bot.models import Message, OutboxEntry  # noqa: E402
from bot.outbox import encode_message  # noqa: E402
from bot.store.outbox import OutboxRepo  # noqa: E402
from bot.store.store import Store  # noqa: E402
from tests.fakes.telegram_api import TOKEN, RemoteFakeBotAPI  # noqa: E402


def spawn(module: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen(
        [sys.executable, "-m", module], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert p.stdout is not None
    return p, p.stdout.readline().strip()


def rows(n: int, channel: ChannelName, recipients: list[str]) -> list[OutboxEntry]:
    out = []
    for i in range(n):
        msg = Message(kind="alert", key=f"alert:{i}", subject=f"Alert {i}",
                      text=f"Meta capex up to $135B ({i})", html=f"<p>Meta capex <b>{i}</b></p>")  # fmt: skip
        rcpt = recipients[i % len(recipients)]
        out.append(OutboxEntry(key=f"{msg.key}:{channel}:{rcpt}", channel=channel, recipient=rcpt,
                               payload=encode_message(msg)))  # fmt: skip
    return out


async def through_outbox(
    entries: list[OutboxEntry], channels: dict, folder: str
) -> tuple[int, float]:  # type: ignore[type-arg]
    """Enqueue into a fresh SQLite outbox and drain until nothing is pending; (sent, seconds)."""
    async with Store.open(f"sqlite:///{folder}/bench-{time.monotonic_ns()}.db") as store:
        repo = OutboxRepo(store.engine)
        await repo.enqueue(entries, datetime.now(UTC))
        sent, t0 = 0, time.monotonic()
        while True:
            report = await drain(repo, channels, None, now=lambda: datetime.now(UTC), batch=200,
                                 concurrency=64)  # fmt: skip
            sent += report.sent
            st = await repo.status(datetime.now(UTC))
            if st.total("pending") + st.total("sending") == 0:
                break
            if report.claimed == 0:
                await asyncio.sleep(0.05)
        return sent, time.monotonic() - t0


async def telegram(args: argparse.Namespace, folder: str) -> None:
    proc, url = spawn("tests.fakes.telegram_api")
    api = RemoteFakeBotAPI(url)
    chats = [str(10_000 + i) for i in range(args.chats)]
    limit = min(args.global_rate, args.chats * args.chat_rate)
    try:
        api.configure(
            reset=True, flood={"global_rate": args.global_rate, "chat_rate": args.chat_rate}
        )
        ch = TelegramChannel.create(
            TOKEN, url, global_rate=args.global_rate, chat_rate=args.chat_rate
        )
        await ch._initialize()
        sent, secs = await through_outbox(
            rows(args.messages, "telegram", chats), {"telegram": ch}, folder
        )
        await ch.aclose()
        ours = api.stats()
        rate = sent / secs
        print(f"telegram, ours:     {sent} messages in {secs:.1f}s = {rate:.1f} msg/s = "
              f"{100 * rate / limit:.1f}% of the {limit:g}/s limit (global {args.global_rate:g}/s, "
              f"{args.chat_rate:g}/s per chat, {args.chats} chats); 429s: "
              f"{ours['flood_429s'] + ours['early_retries']}; early retries: {ours['early_retries']}")  # fmt: skip
        if args.baseline_messages:
            api.configure(
                reset=True, flood={"global_rate": args.global_rate, "chat_rate": args.chat_rate}
            )
            b_sent, b_secs = await baseline(url, args, chats)
            base = api.stats()
            b_rate = b_sent / b_secs
            print(f"telegram, baseline: PTB AIORateLimiter(overall_max_rate={args.global_rate:g}): "
                  f"{b_sent} messages in {b_secs:.1f}s = {b_rate:.1f} msg/s = "
                  f"{100 * b_rate / limit:.1f}% of the limit; 429s: "
                  f"{base['flood_429s'] + base['early_retries']}; early retries: "
                  f"{base['early_retries']}")  # fmt: skip
            print(f"telegram, ratio ours/baseline: {rate / b_rate:.2f}x")
    finally:
        proc.kill()


async def baseline(url: str, args: argparse.Namespace, chats: list[str]) -> tuple[int, float]:
    from telegram import Bot
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    # max_retries: PTB sleeps out each 429's retry_after itself and tries again
    limiter = AIORateLimiter(
        overall_max_rate=args.global_rate, overall_time_period=1, max_retries=10
    )
    bot: Bot = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=limiter,
                      request=HTTPXRequest(connection_pool_size=64, pool_timeout=30))  # fmt: skip
    await bot.initialize()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(args.baseline_messages):
        queue.put_nowait(i)
    sent = 0

    async def work() -> None:
        nonlocal sent
        while not queue.empty():
            i = queue.get_nowait()
            await bot.send_message(int(chats[i % len(chats)]), f"baseline {i}")
            sent += 1

    t0 = time.monotonic()
    await asyncio.gather(*(work() for _ in range(64)))
    secs = time.monotonic() - t0
    await bot.shutdown()
    return sent, secs


async def email(args: argparse.Namespace, folder: str) -> None:
    proc, hostport = spawn("tests.fakes.smtp")
    host, port = hostport.rsplit(":", 1)
    settings = SmtpSettings(host=host, port=int(port), mail_from="Briefbot <news@brief.example>",
                            public_url="https://brief.example", timeout=30)  # fmt: skip
    rcpts = [f"reader{i}@example.com" for i in range(1000)]
    try:
        for reuse, n in ((True, args.emails), (False, args.emails_no_reuse)):
            if not n:
                continue
            ch = EmailChannel(settings, pool_size=args.smtp_pool, reuse=reuse)
            sent, secs = await through_outbox(rows(n, "email", rcpts), {"email": ch}, folder)
            await ch.aclose()
            how = f"reusing {args.smtp_pool} connections" if reuse else "one connection per message"
            print(f"email, {how}: {sent} emails in {secs:.1f}s = {sent / secs:.0f} emails/s "
                  f"({ch.connections_opened} connections opened)")  # fmt: skip
    finally:
        proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--chats", type=int, default=2_000)
    ap.add_argument("--global-rate", type=float, default=300.0, help="messages/s overall")
    ap.add_argument("--chat-rate", type=float, default=1.0, help="messages/s per chat")
    ap.add_argument("--baseline-messages", type=int, default=3_000, help="0 skips the baseline")
    ap.add_argument("--emails", type=int, default=10_000)
    ap.add_argument(
        "--emails-no-reuse", type=int, default=3_000, help="slow; 10000 for the full run"
    )
    ap.add_argument("--smtp-pool", type=int, default=4)
    ap.add_argument("--skip", choices=["telegram", "email"], action="append", default=[])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if "telegram" not in args.skip:
            asyncio.run(telegram(args, folder))
        if "email" not in args.skip:
            asyncio.run(email(args, folder))


if __name__ == "__main__":
    main()
