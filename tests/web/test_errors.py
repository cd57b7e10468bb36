"""Every error path over HTTP: bad, tampered, expired, reused and cross-subscriber tokens, CSRF,
rate limits, bad input. Each gets a friendly page with a 4xx (never a trace) and the security
headers. These do not depend on the database backend, so they run on SQLite only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.config import Config
from bot.deliver.tokens import sign_subscriber
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from bot.web import create_app, tokens
from bot.web.context import Limits
from tests.web.conftest import (
    PUBLIC,
    SECRET,
    START,
    FakeClock,
    csrf,
    emails,
    form_errors,
    link_in,
    subscribe,
    subscribe_form,
    subscribed,
)


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    return sqlite_store


def assert_friendly(r: httpx.Response, status: int, *phrases: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text and 'File "' not in r.text
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"
    for p in phrases:
        assert p in r.text, f"{p!r} not on the page"


def _tamper(path: str) -> str:
    head, token = path.rsplit("/", 1)
    payload, sig = token.split(".")
    return f"{head}/{payload}.{sig[:-2]}{'AA' if not sig.endswith('AA') else 'BB'}"


# ---- confirm links -----------------------------------------------------------------------------


async def test_bad_and_tampered_confirm_links(client: httpx.AsyncClient, store: Store) -> None:
    assert_friendly(await client.get("/confirm/nonsense"), 400, "This link is not valid")
    link = await subscribe(client, store)
    assert_friendly(await client.get(_tamper(link)), 400, "This link is not valid")
    assert_friendly(await client.get(link + "x"), 400)
    assert_friendly(await client.get("/confirm/" + "A" * 2000), 400)
    sub = await SubscriberRepo(store.engine).by_email("ann@example.com")
    assert sub is not None and sub.status == "pending"


async def test_expired_confirm_link(
    client: httpx.AsyncClient, store: Store, clock: FakeClock
) -> None:
    link = await subscribe(client, store)
    clock.advance(days=2, seconds=1)
    assert_friendly(await client.get(link), 410, "This link has expired")
    sub = await SubscriberRepo(store.engine).by_email("ann@example.com")
    assert sub is not None and not sub.email_confirmed


async def test_reused_and_superseded_confirm_links(client: httpx.AsyncClient, store: Store) -> None:
    first = await subscribe(client, store)
    second = await subscribe(client, store)
    assert first != second
    assert (await client.head(second)).status_code == 200  # a link checker's HEAD spends nothing
    assert_friendly(await client.get(first), 410, "already used")  # superseded by the second
    assert (await client.get(second)).status_code == 200
    assert_friendly(await client.get(second), 410, "already used")


async def test_confirm_token_cannot_be_moved_to_another_subscriber(
    client: httpx.AsyncClient, store: Store
) -> None:
    await subscribe(client, store, "ann@example.com")
    await subscribe(client, store, "bob@example.com")
    repo = SubscriberRepo(store.engine)
    ann, bob = await repo.by_email("ann@example.com"), await repo.by_email("bob@example.com")
    assert ann and bob
    # a validly signed token naming Bob's id but issued for Ann's address
    forged = tokens.sign(
        SECRET, "confirm", bob.id, "ann@example.com", now=START, ttl=timedelta(days=1)
    )
    assert_friendly(await client.get(f"/confirm/{forged}"), 400, "not valid")
    # a token signed with another key
    other = tokens.sign("not-our-key", "confirm", bob.id, "bob@example.com", now=START, ttl=None)
    assert_friendly(await client.get(f"/confirm/{other}"), 400)
    # a manage token is no confirm token
    manage = tokens.sign(SECRET, "manage", bob.id, "bob@example.com", now=START, ttl=None)
    assert_friendly(await client.get(f"/confirm/{manage}"), 400)
    assert not (await repo.get(bob.id)).email_confirmed  # type: ignore[union-attr]


# ---- manage and unsubscribe links --------------------------------------------------------------


async def test_bad_tampered_expired_and_foreign_manage_links(
    client: httpx.AsyncClient, store: Store, clock: FakeClock
) -> None:
    manage = await subscribed(client, store, "ann@example.com")
    await subscribed(client, store, "bob@example.com")
    bob = await SubscriberRepo(store.engine).by_email("bob@example.com")
    assert bob is not None
    assert (await client.get(manage)).status_code == 200
    assert_friendly(await client.get("/manage/garbage"), 400, "not valid")
    assert_friendly(await client.get(_tamper(manage)), 400, "not valid")
    forged = tokens.sign(SECRET, "manage", bob.id, "ann@example.com", now=clock(), ttl=None)
    assert_friendly(await client.get(f"/manage/{forged}"), 400)
    ghost = tokens.sign(SECRET, "manage", 9999, "ann@example.com", now=clock(), ttl=None)
    assert_friendly(await client.get(f"/manage/{ghost}"), 400)
    # an unsubscribe token (or a confirm token) is no manage token
    assert_friendly(await client.get(f"/manage/{sign_subscriber(bob.id, SECRET)}"), 400)
    token = await csrf(client, manage)
    r = await client.post(_tamper(manage) + "/prefs", data={"csrf": token, "lang": "zh"})
    assert_friendly(r, 400)
    clock.advance(days=181)
    assert_friendly(await client.get(manage), 410, "expired")


async def test_bad_unsubscribe_links(client: httpx.AsyncClient, store: Store) -> None:
    await subscribed(client, store)
    sub = await SubscriberRepo(store.engine).by_email("ann@example.com")
    assert sub is not None
    good = sign_subscriber(sub.id, SECRET)
    for bad in ("x", good[:-1] + "A", sign_subscriber(sub.id, "other-key"),
                sign_subscriber(sub.id, SECRET, "manage"), "99." + good.split(".")[1]):  # fmt: skip
        assert_friendly(await client.get(f"/unsubscribe/{bad}"), 400, "not valid")
        r = await client.post(f"/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"})
        assert_friendly(r, 400)
    assert (await SubscriberRepo(store.engine).get(sub.id)).status == "active"  # type: ignore[union-attr]


# ---- CSRF --------------------------------------------------------------------------------------


async def test_csrf_failures(client: httpx.AsyncClient, store: Store) -> None:
    token = await csrf(client)
    form = subscribe_form(token)
    no_field = {k: v for k, v in form.items() if k != "csrf"}
    assert_friendly(await client.post("/subscribe", data=no_field), 403, "Please try again")
    assert_friendly(await client.post("/subscribe", data={**form, "csrf": "0" * 64}), 403)
    # the right field with another browser's cookie
    async with httpx.AsyncClient(transport=client._transport, base_url=PUBLIC) as other:
        await other.get("/")
        assert_friendly(await other.post("/subscribe", data=form), 403)
    # no cookie at all
    async with httpx.AsyncClient(transport=client._transport, base_url=PUBLIC) as bare:
        assert_friendly(await bare.post("/subscribe", data=form), 403)
    assert await emails(store) == []
    manage = await subscribed(client, store)
    r = await client.post(manage + "/rules", data={"rule": "capex > 1B"})
    assert_friendly(r, 403)
    ann = await SubscriberRepo(store.engine).by_email("ann@example.com")
    assert ann is not None and len(await store.rules(ann.id)) == 1


# ---- rate limits -------------------------------------------------------------------------------


@pytest.fixture
async def limited(
    config: Config, store: Store, clock: FakeClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        config, store, clock=clock,
        limits=Limits(subscribe_ip=(4, 3600), subscribe_address=(2, 3600),
                      confirm_ip=(5, 600), confirm_address=(2, 600)),
    )  # fmt: skip
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as c:
        yield c


async def test_subscribe_rate_limit_per_address(limited: httpx.AsyncClient, store: Store) -> None:
    token = await csrf(limited)
    for _ in range(2):
        assert (await limited.post("/subscribe", data=subscribe_form(token))).status_code == 200
    r = await limited.post("/subscribe", data=subscribe_form(token, "ANN@example.com"))
    assert_friendly(r, 429, "Too many attempts")
    assert int(r.headers["retry-after"]) > 0
    assert len(await emails(store)) == 2
    # another address from the same IP is still fine
    assert (
        await limited.post("/subscribe", data=subscribe_form(token, "bob@example.com"))
    ).status_code == 200


async def test_subscribe_rate_limit_per_ip(
    limited: httpx.AsyncClient, store: Store, clock: FakeClock
) -> None:
    token = await csrf(limited)
    for n in range(4):
        r = await limited.post("/subscribe", data=subscribe_form(token, f"u{n}@example.com"))
        assert r.status_code == 200
    r = await limited.post("/subscribe", data=subscribe_form(token, "late@example.com"))
    assert_friendly(r, 429)
    assert r.headers["retry-after"] == "3600"
    # bad forms count too: the limit is checked before validation
    assert_friendly(await limited.post("/subscribe", data=subscribe_form(token, "bad")), 429)
    clock.advance(seconds=3601)
    r = await limited.post("/subscribe", data=subscribe_form(token, "late@example.com"))
    assert r.status_code == 200


async def test_confirm_rate_limits(
    limited: httpx.AsyncClient, store: Store, clock: FakeClock
) -> None:
    link = await subscribe(limited, store)
    assert (await limited.get(link)).status_code == 200
    assert (await limited.get(link)).status_code == 410  # used
    assert_friendly(await limited.get(link), 429)  # per address: 2 per 10 minutes
    for _ in range(5):  # only failed tokens count per IP
        assert (await limited.get("/confirm/junk")).status_code == 400
    assert_friendly(await limited.get("/confirm/junk"), 429)  # per IP: 5 per 10 minutes
    clock.advance(minutes=11)
    assert (await limited.get("/confirm/junk")).status_code == 400


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["", "no-at-sign", "a@b", "a@@example.com", "x" * 300 + "@example.com", "<script>@x.com"],
)
async def test_bad_email(client: httpx.AsyncClient, store: Store, address: str) -> None:
    r = await client.post("/subscribe", data=subscribe_form(await csrf(client), address))
    assert_friendly(r, 400, "Please correct the fields")
    assert any("valid email address" in e for e in form_errors(r.text))
    assert "<script>@" not in r.text
    assert await emails(store) == []
    assert (await store.counts())["subscribers"] == 0


async def test_bad_rules_are_reported_per_line_and_kept(
    client: httpx.AsyncClient, store: Store
) -> None:
    rules = "capex > 100B USD\ncapex >> <b>lots</b>\nusers > 10M"
    r = await client.post("/subscribe", data=subscribe_form(await csrf(client), rules=rules))
    assert_friendly(r, 400)
    errors = form_errors(r.text)
    assert len(errors) == 1 and errors[0].startswith("Line 2:")
    assert "&lt;b&gt;lots&lt;/b&gt;" in r.text and "<b>lots</b>" not in r.text
    assert await emails(store) == []
    r = await client.post(
        "/subscribe", data=subscribe_form(await csrf(client), rules="capex > 1B\n" * 11 + "x")
    )
    assert_friendly(r, 400, "At most 10 rules")


@pytest.mark.parametrize(
    ("field", "value"),
    [("lang", "fr"), ("digest_weekday", "7"), ("digest_time", "25:00"),
     ("timezone", "Mars/Olympus"), ("timezone", "../../etc/passwd")],
)  # fmt: skip
async def test_bad_preferences(
    client: httpx.AsyncClient, store: Store, field: str, value: str
) -> None:
    r = await client.post("/subscribe", data=subscribe_form(await csrf(client), **{field: value}))
    assert_friendly(r, 400)
    assert len(form_errors(r.text)) == 1
    assert 'aria-invalid="true"' in r.text


async def test_bad_rule_and_prefs_on_the_manage_page(
    client: httpx.AsyncClient, store: Store
) -> None:
    manage = await subscribed(client, store)
    token = await csrf(client, manage)
    r = await client.post(manage + "/rules", data={"csrf": token, "rule": "capex > > 5"})
    assert_friendly(r, 400)
    assert form_errors(r.text)
    rules = await store.rules((await SubscriberRepo(store.engine).by_email("ann@example.com")).id)  # type: ignore[union-attr]
    r = await client.post(f"{manage}/rules/{rules[0]['id']}", data={"csrf": token, "rule": "bogus"})
    assert_friendly(r, 400)
    r = await client.post(f"{manage}/rules/99999", data={"csrf": token, "rule": "capex > 1B"})
    assert_friendly(r, 404)
    r = await client.post(manage + "/prefs", data={"csrf": token, "lang": "en", "digest_weekday": "0",
                                                   "digest_time": "8am", "timezone": "UTC"})  # fmt: skip
    assert_friendly(r, 400, "HH:MM")


async def test_other_users_rules_cannot_be_edited(client: httpx.AsyncClient, store: Store) -> None:
    ann = await subscribed(client, store, "ann@example.com")
    await subscribed(client, store, "bob@example.com")
    bob = await SubscriberRepo(store.engine).by_email("bob@example.com")
    bob_rule = (await store.rules(bob.id))[0]["id"]  # type: ignore[union-attr]
    token = await csrf(client, ann)
    r = await client.post(f"{ann}/rules/{bob_rule}", data={"csrf": token, "action": "delete"})
    assert_friendly(r, 404)
    assert len(await store.rules(bob.id)) == 1  # type: ignore[union-attr]


async def test_oversized_form_and_wrong_method(client: httpx.AsyncClient, store: Store) -> None:
    token = await csrf(client)
    r = await client.post("/subscribe", data=subscribe_form(token, rules="x" * 40_000))
    assert_friendly(r, 413)
    assert_friendly(await client.get("/subscribe"), 405)
    assert_friendly(await client.get("/no/such/page"), 404, "Page not found")


async def test_an_unexpected_error_is_a_friendly_500(
    client: httpx.AsyncClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*a: object) -> None:
        raise RuntimeError("secret internals /etc/briefbot")

    monkeypatch.setattr("bot.web.pages.published", boom)
    r = await client.get("/")
    assert_friendly(r, 500, "Something went wrong")
    assert "secret internals" not in r.text


async def test_store_down(tmp_path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import make_config

    config = make_config(tmp_path / "down")
    dead = Store.open("postgresql://nobody@127.0.0.1:9/none")
    app = create_app(config, dead, clock=clock)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as c:
        r = await c.get("/healthz")
        assert r.status_code == 503 and r.json()["status"] == "error"
        assert (await c.get("/metrics")).status_code == 503
        assert_friendly(
            await c.get(
                "/manage/" + tokens.sign(SECRET, "manage", 1, "a@b.co", now=START, ttl=None)
            ),
            503,
            "unavailable",
        )
        r = await c.get("/")  # the home page works without the figures
        assert r.status_code == 200
    await dead.close()


async def test_no_account_enumeration(client: httpx.AsyncClient, store: Store) -> None:
    """A known, active address gets the same page as a new one (its email differs)."""
    await subscribed(client, store, "ann@example.com")
    token = await csrf(client)
    known = await client.post("/subscribe", data=subscribe_form(token, "ann@example.com"))
    new = await client.post("/subscribe", data=subscribe_form(token, "zed@example.com"))
    assert known.status_code == new.status_code == 200
    norm = lambda r: re.sub(r"\w+@example\.com", "@", r.text)  # noqa: E731
    assert norm(known) == norm(new)
    sent = await emails(store)
    assert link_in(sent[-2], "manage")  # ann: her settings link, no new confirmation
    assert link_in(sent[-1], "confirm")
    # and the active subscriber's settings did not change
    ann = await SubscriberRepo(store.engine).by_email("ann@example.com")
    assert ann is not None and ann.status == "active"
