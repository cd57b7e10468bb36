"""Web fixtures: a config in tmp_path, a settable clock, the app over the ``store`` fixture,
an httpx client speaking ASGI to it, and helpers to read forms and the outbox."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.config import Config, load_config
from bot.models import Figure, Item, OutboxEntry, Period
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.web import create_app
from bot.web.context import Limits

SECRET = "test-secret-key"
PUBLIC = "http://testserver"
START = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
PERIOD = Period(year=2026, week=6)


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def make_config(root: Path, **env: str) -> Config:
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "digests").mkdir(exist_ok=True)
    path = root / "config" / "briefbot.toml"
    path.write_text(
        '[digests]\npath = "digests"\n[schedule]\ntimezone = "UTC"\n'
        "[rates]\nas_of = 2026-02-04\nCNY = 0.1385\n",
        encoding="utf-8",
    )
    environ = {"BRIEFBOT_SECRET_KEY": SECRET, "BRIEFBOT_PUBLIC_URL": PUBLIC, **env}
    return load_config(environ, path)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store only (for the error-path tests, which do not vary by backend)."""
    async with Store.open(f"sqlite:///{tmp_path / 'web.db'}") as s:
        yield s


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "site")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limits() -> Limits:
    return Limits()


@pytest.fixture
def app(config: Config, store: Store, clock: FakeClock, limits: Limits) -> Starlette:
    return create_app(config, store, clock=clock, limits=limits)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as c:
        yield c


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf(client: httpx.AsyncClient, path: str = "/") -> str:
    """Load a page (which sets the CSRF cookie) and return its form token."""
    r = await client.get(path)
    m = _CSRF.search(r.text)
    assert m, f"no CSRF field on {path}"
    return m.group(1)


def subscribe_form(token: str, email: str = "ann@example.com", **over: str) -> dict[str, str]:
    return {
        "csrf": token,
        "email": email,
        "lang": "en",
        "digest_weekday": "0",
        "digest_time": "08:00",
        "timezone": "Europe/Berlin",
        "rules": "capex > 100B USD",
        **over,
    }


async def emails(store: Store) -> list[OutboxEntry]:
    return await OutboxRepo(store.engine).entries(channel="email")


def link_in(entry: OutboxEntry, kind: str) -> str:
    """The path of the ``/confirm/…`` or ``/manage/…`` link in an outbox email."""
    text = str(entry.payload["text"])
    m = re.search(rf"{re.escape(PUBLIC)}(/{kind}/\S+)", text)
    assert m, f"no /{kind}/ link in {text!r}"
    return m.group(1)


async def subscribe(
    client: httpx.AsyncClient, store: Store, email: str = "ann@example.com", **over: str
) -> str:
    """Submit the form; returns the confirm path from the newest email."""
    r = await client.post("/subscribe", data=subscribe_form(await csrf(client), email, **over))
    assert r.status_code == 200, r.text
    return link_in((await emails(store))[-1], "confirm")


async def subscribed(
    client: httpx.AsyncClient, store: Store, email: str = "ann@example.com"
) -> str:
    """Subscribe and confirm; returns the manage path from the confirmation page."""
    r = await client.get(await subscribe(client, store, email))
    assert r.status_code == 200, r.text
    m = re.search(r'href="(/manage/[^"]+)"', r.text)
    assert m
    return m.group(1)


# ---- a published digest ----------------------------------------------------------------------


def _figure(entity: str, value: float, sentence: str) -> Figure:
    return Figure(
        entity=entity, metric="capex", value=value, unit="USD", qualifier="up_to",
        period="2026", usd_value=value, lang="en", span=(0, len(sentence)), sentence=sentence,
    )  # fmt: skip


async def publish_digest(store: Store, config: Config) -> list[Path]:
    """Store one item with figures in 2026-W06 and write that week's archive files."""
    from bot.digest.archive import write_archive
    from bot.digest.select import select_digest

    text = "Meta will spend up to $135 billion. <Alphabet> & co. plan $175 billion."
    item = Item(
        id="item-w06", source="test", title="AI capex <surge> & more (en)",
        url="https://example.com/a?x=1&y=2", published=datetime(2026, 2, 4, 12, tzinfo=UTC),
        lang="en", text=text, content_hash="h1",
    )  # fmt: skip
    await store.upsert_items([item])
    await store.replace_figures(
        item.id,
        [_figure("Meta", 135e9, text[:34]), _figure("Alphabet <Inc>", 175e9, text[35:])],
    )
    figs = await store.figures()
    return write_archive(select_digest(figs, PERIOD), config.digests_path)


def form_errors(html: str) -> list[str]:
    return re.findall(r'<p class="err"[^>]*>([^<]*)</p>', html)
