"""Issue 18 medium 2: rate limits behind a reverse proxy.

Forwarded headers count only from ``[web] trusted_proxies``; IPv6 clients share a /64; garbage
``/confirm`` links cannot lock out a valid one; the subscribe limit is per client, not global.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import httpx
import pytest

from bot.config import Config
from bot.errors import ConfigError
from bot.store.store import Store
from bot.web import create_app
from bot.web.clientip import client_key, parse_networks
from bot.web.context import Limits
from tests.web.conftest import PUBLIC, FakeClock, csrf, emails, link_in, make_config, subscribe_form

PROXY = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("peer", "xff", "fwd", "trusted", "key"),
    [
        ("203.0.113.7", None, None, PROXY, "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", None, PROXY, "203.0.113.7"),  # untrusted peer: header ignored
        ("127.0.0.1", "1.2.3.4", None, (), "127.0.0.1"),  # no proxies configured
        ("127.0.0.1", "1.2.3.4", None, PROXY, "1.2.3.4"),
        ("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.1.2.3", None, PROXY, "1.2.3.4"),  # spoofed left part
        ("127.0.0.1", " 1.2.3.4:5678 ", None, PROXY, "1.2.3.4"),
        ("127.0.0.1", "junk", None, PROXY, "127.0.0.1"),
        ("127.0.0.1", "10.0.0.1", None, PROXY, "10.0.0.1"),  # only proxies: the farthest one
        ("127.0.0.1", None, 'for=6.6.6.6, for="[2001:db8:1:2::7]:4711";proto=https', PROXY,
         "2001:db8:1:2::/64"),
        ("::1", "2001:db8:1:2:aaaa::1", None, PROXY, "2001:db8:1:2::/64"),
        ("2001:db8:9:9:1::1", None, None, PROXY, "2001:db8:9:9::/64"),
        ("::ffff:127.0.0.1", "1.2.3.4", None, PROXY, "1.2.3.4"),
    ],
)  # fmt: skip
def test_client_key(
    peer: str, xff: str | None, fwd: str | None, trusted: tuple[object, ...], key: str
) -> None:
    assert client_key(peer, xff, fwd, trusted) == key  # type: ignore[arg-type]


def test_trusted_proxies_are_validated(tmp_path: Path) -> None:
    config = make_config(tmp_path / "ok")
    path = config.path
    path.write_text(path.read_text() + '[web]\ntrusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\n')
    from bot.config import load_config

    assert load_config({}, path).file.web.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    path.write_text(path.read_text().replace('"10.0.0.0/8"', '"10.0.0.0/33"'))
    with pytest.raises(ConfigError, match="trusted_proxies"):
        load_config({}, path)
    assert ipaddress.ip_network("10.0.0.0/8") in PROXY


@pytest.fixture
def proxied(config: Config) -> Config:
    web = config.file.web.model_copy(update={"trusted_proxies": ("127.0.0.1",)})
    return config.model_copy(update={"file": config.file.model_copy(update={"web": web})})


async def test_garbage_confirms_do_not_lock_out_a_valid_link(
    proxied: Config, store: Store, clock: FakeClock
) -> None:
    app = create_app(proxied, store, clock=clock, limits=Limits(confirm_ip=(5, 3600)))
    transport = httpx.ASGITransport(app=app)  # the socket peer is 127.0.0.1: the proxy
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as c:
        victim = {"x-forwarded-for": "198.51.100.20"}
        token = await csrf(c)
        r = await c.post("/subscribe", data=subscribe_form(token, "victim@example.com"),
                         headers=victim)  # fmt: skip
        assert r.status_code == 200
        link = link_in((await emails(store))[-1], "confirm")
        attacker = {"x-forwarded-for": "203.0.113.66"}
        codes = [(await c.get("/confirm/garbage", headers=attacker)).status_code for _ in range(24)]
        assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}
        # the same proxy, even the attacker's own address: a valid token is not refused
        assert (await c.get(link, headers=attacker)).status_code == 200


async def test_the_subscribe_limit_is_per_client(
    proxied: Config, store: Store, clock: FakeClock
) -> None:
    app = create_app(proxied, store, clock=clock, limits=Limits(subscribe_ip=(3, 3600)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as c:
        token = await csrf(c)

        async def post(email: str, client: str) -> int:
            r = await c.post("/subscribe", data=subscribe_form(token, email),
                             headers={"x-forwarded-for": client})  # fmt: skip
            return r.status_code

        assert [await post(f"a{n}@example.com", "203.0.113.66") for n in range(4)] == [
            200, 200, 200, 429,
        ]  # fmt: skip
        assert await post("b@example.com", "198.51.100.20") == 200  # another visitor
        # one IPv6 /64 is one client
        v6 = [await post(f"c{n}@example.com", f"2001:db8:5:6::{n + 1}") for n in range(4)]
        assert v6 == [200, 200, 200, 429]
        assert await post("d@example.com", "2001:db8:5:7::1") == 200
