"""The whole journey in a real browser: Debian's Chromium (headless, through Playwright) against
a real uvicorn on 127.0.0.1 and a real SMTP server (aiosmtpd) on 127.0.0.1.

Subscribe with the form -> the outbox is drained by the delivery worker over SMTP -> the
confirmation link is read from the received email -> confirm -> change a threshold on the manage
page -> unsubscribe with one click. Every page is captured at 375 px and 1280 px into the test's
tmp dir; ``BRIEFBOT_SAVE_SCREENSHOTS=docs/screenshots`` also copies them there (for the README).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from bot.config import Config
from bot.deliver.email import EmailChannel, SmtpSettings
from bot.deliver.worker import drain
from bot.store.outbox import OutboxRepo
from bot.store.schema import alerts
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from bot.web.server import bind_socket, serve_web
from tests.fakes.smtp import FakeSMTP
from tests.web.conftest import SECRET, make_config, publish_digest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (375, 1280)
HAS_CJK_FONT = bool(
    shutil.which("fc-list")
    and subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]
async_api = pytest.importorskip(
    "playwright.async_api", reason="playwright (python) is not installed"
)


class Site:
    def __init__(self, config: Config, store: Store, smtp: FakeSMTP, base: str) -> None:
        self.config, self.store, self.smtp, self.base = config, store, smtp, base

    async def deliver_email(self) -> int:
        """Drain the outbox the way ``briefbot run`` does: the worker sends over SMTP."""
        settings = SmtpSettings(
            host=self.smtp.host,
            port=self.smtp.port,
            mail_from="Briefbot <briefbot@example.org>",
            public_url=self.base,
            secret_key=SECRET,
        )
        channel = EmailChannel(settings)
        try:
            report = await drain(
                OutboxRepo(self.store.engine),
                {"email": channel},
                SubscriberRepo(self.store.engine),
                now=datetime.now(UTC),
            )
        finally:
            await channel.aclose()
        assert not report.errors, report.errors
        return report.sent


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    sock = bind_socket("127.0.0.1:0")
    port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with FakeSMTP() as smtp:
        config = make_config(
            tmp_path / "site",
            BRIEFBOT_PUBLIC_URL=base,
            BRIEFBOT_WEB_BIND=f"127.0.0.1:{port}",
            BRIEFBOT_SMTP_HOST=smtp.host,
            BRIEFBOT_SMTP_PORT=str(smtp.port),
        )
        async with Store.open(f"sqlite:///{tmp_path / 'web.db'}") as store:
            await publish_digest(store, config)
            stop = asyncio.Event()
            server = asyncio.create_task(serve_web(config, store, stop, sock=sock))
            try:
                await _wait_listening(port)
                yield Site(config, store, smtp, base)
            finally:
                stop.set()
                await asyncio.wait_for(server, 10)


async def _wait_listening(port: int) -> None:
    for _ in range(100):
        try:
            async with httpx.AsyncClient() as c:
                if (await c.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("the web server did not start")


class Camera:
    """Full-page screenshots of the current page at every width, into tmp (and docs)."""

    def __init__(self, page: object, out: Path) -> None:
        self.page, self.out, self.shots = page, out, []  # type: list[Path]  # noqa: RUF100
        out.mkdir(parents=True, exist_ok=True)

    async def shoot(self, name: str) -> None:
        page = self.page
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
            path = self.out / f"{name}-{width}.png"
            await page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
            self.shots.append(path)
        await page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]


def _text_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def test_subscribe_confirm_manage_unsubscribe_in_chromium(site: Site, tmp_path: Path) -> None:
    pw_cm = async_api.async_playwright()
    pw = await pw_cm.__aenter__()
    browser = await pw.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run"],
    )  # fmt: skip
    try:
        context = await browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Europe/Berlin"
        )
        page = await context.new_page()
        problems: list[str] = []
        expected = "the server responded with a status of 400"  # the bad form, on purpose

        def console(m) -> None:  # type: ignore[no-untyped-def]
            if m.type == "error" and expected not in m.text:
                problems.append(m.text)

        page.on("console", console)
        page.on("pageerror", lambda e: problems.append(str(e)))
        cam = Camera(page, tmp_path / "screenshots")
        await _journey(site, page, cam)
        assert not problems, problems  # no CSP violations, no script errors
    finally:
        await browser.close()
        await pw_cm.__aexit__(None, None, None)
    keep = os.environ.get("BRIEFBOT_SAVE_SCREENSHOTS")
    if keep:
        dest = (ROOT / keep).resolve()
        dest.mkdir(parents=True, exist_ok=True)
        for shot in cam.shots:
            shutil.copy2(shot, dest / shot.name)
    assert len(cam.shots) == 2 * (10 if HAS_CJK_FONT else 9) and all(
        p.stat().st_size > 5000 for p in cam.shots
    )


async def _journey(site: Site, page, cam: Camera) -> None:  # type: ignore[no-untyped-def]
    expect = async_api.expect
    # -- home: the latest digest's figures and chart, the form (the script guessed the time zone)
    await page.goto(site.base + "/")
    await expect(page.get_by_role("heading", name="Latest digest: 2026-W06")).to_be_visible()
    await expect(page.locator("table.figures")).to_contain_text("$175B")
    assert await page.locator("figure.chart img").evaluate("img => img.naturalWidth") > 0
    await expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    await cam.shoot("home")

    # -- live rule check (progressive enhancement), then the server's own check of a bad rule
    await page.get_by_label("Email address").fill("reader@example.com")
    rules = page.get_by_label("Alert thresholds (optional)")
    await rules.fill("capex >> 5")
    await expect(page.locator("#rules-status")).to_have_class(re.compile(r"\bbad\b"))
    await page.get_by_role("button", name="Subscribe").click()
    await expect(page.get_by_role("alert")).to_contain_text("Please correct the fields")
    await expect(page.locator("#rules-err")).to_contain_text("Line 1")
    await cam.shoot("subscribe-error")

    # -- subscribe with the form, using the keyboard to send it
    await page.get_by_label("Digest day").select_option(label="Friday")
    await page.get_by_label("Digest time").fill("07:30")
    await rules.fill("capex > 100B USD")
    await expect(page.locator("#rules-status")).to_have_text("Looks good.")
    await page.get_by_label("Email address").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    await cam.shoot("sent")

    # -- the confirmation email arrives over SMTP (sent by the outbox worker)
    assert await site.deliver_email() == 1
    [received] = site.smtp.to("reader@example.com")
    msg = received.message
    assert msg["Subject"] == "Confirm your Briefbot subscription"
    confirm = re.search(r"(http://127\.0\.0\.1:\d+/confirm/\S+)", _text_part(msg))
    assert confirm, _text_part(msg)
    one_click = re.search(r"<(http[^>]+/unsubscribe/[^>]+)>", str(msg["List-Unsubscribe"]))
    assert one_click and msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # -- open the link: confirmed, then on to the settings
    await page.goto(confirm.group(1))
    await expect(page.get_by_role("heading", name="You're subscribed")).to_be_visible()
    await cam.shoot("confirmed")
    sub = await SubscriberRepo(site.store.engine).by_email("reader@example.com")
    assert sub is not None
    await _fire_alert(site.store, sub.id)
    await page.get_by_role("link", name="Change your preferences").click()
    await expect(page.get_by_role("heading", name="Your Briefbot settings")).to_be_visible()
    await expect(page.get_by_label("Digest day")).to_have_value("4")
    await expect(page.locator("table.figures")).to_contain_text("capex > 100B USD")
    await cam.shoot("manage")

    # -- change a threshold
    rule = page.get_by_label("Rule 1")
    await expect(rule).to_have_value("capex > 100B USD")
    await rule.fill("capex > 150B USD")
    await page.get_by_role("button", name="Save rule").click()
    await expect(page.get_by_role("status")).to_have_text("Rule saved.")
    await expect(page.get_by_label("Rule 1")).to_have_value("capex > 150B USD")
    sub = await SubscriberRepo(site.store.engine).by_email("reader@example.com")
    assert sub is not None and sub.status == "active" and sub.digest_weekday == 4
    assert [r["text"] for r in await site.store.rules(sub.id)] == ["capex > 150B USD"]
    await cam.shoot("manage-saved")

    # -- unsubscribe with one click (the page's button), then the email's RFC 8058 POST again
    await page.get_by_role("link", name="Unsubscribe").click()
    await expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    await cam.shoot("unsubscribe")
    await page.get_by_role("button", name="Yes, unsubscribe me").click()
    await expect(page.get_by_role("heading", name="You're unsubscribed")).to_be_visible()
    await cam.shoot("unsubscribed")
    sub = await SubscriberRepo(site.store.engine).get(sub.id)
    assert sub is not None and sub.status == "stopped"
    async with httpx.AsyncClient() as mail_provider:
        r = await mail_provider.post(one_click.group(1), data={"List-Unsubscribe": "One-Click"})
        assert r.status_code == 200 and "unsubscribed" in r.text

    # -- the archive, and the home page in Chinese
    await page.goto(site.base + "/digests/")
    await page.get_by_role("link", name="Week 2026-W06").click()
    await expect(page).to_have_url(re.compile(r"/digests/2026-W06$"))
    await page.goto(site.base + "/digests/")
    await cam.shoot("digests")
    await page.goto(site.base + "/?lang=zh")
    await expect(page.get_by_role("heading", name="邮件订阅")).to_be_visible()
    if HAS_CJK_FONT:  # without one, Chinese renders as boxes: not worth a picture
        await cam.shoot("home-zh")


async def _fire_alert(store: Store, subscriber_id: int) -> None:
    """What the alert job records when the subscriber's rule matches a stored figure."""
    [rule] = await store.rules(subscriber_id)
    fig = next(f for f in await store.figures() if f.figure.value > 100e9)
    await store.record_alerts(
        [(f"rule-{rule['id']}:{fig.figure.key}", rule["id"], fig.figure.key, fig.id)]
    )
    async with store.engine.begin() as conn:  # a fixed time keeps the screenshots stable
        await conn.execute(update(alerts).values(fired_at=datetime(2026, 2, 5, 8, 30, tzinfo=UTC)))
