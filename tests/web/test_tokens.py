"""Signed tokens, CSRF values, rate limits and language choice (no HTTP)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.deliver.tokens import sign_subscriber
from bot.web import links
from bot.web.i18n import CATALOG, pick_lang, translator
from bot.web.ratelimit import SlidingWindow
from bot.web.security import csrf_field, csrf_ok
from bot.web.tokens import TokenError, sign, verify
from tests.web.conftest import START, FakeClock

KEY = "k"


def _confirm(
    sid: int = 7, email: str = "a@example.com", ttl: timedelta | None = timedelta(days=2)
) -> str:
    return sign(KEY, "confirm", sid, email, now=START, ttl=ttl, nonce="n1")


def test_round_trip_carries_subscriber_nonce_and_address() -> None:
    c = verify(KEY, "confirm", _confirm(), now=START)
    assert (c.subscriber_id, c.nonce) == (7, "n1")
    assert c.matches(KEY, "A@Example.com")
    assert not c.matches(KEY, "b@example.com")
    assert not c.matches(KEY, None)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t[1:],  # payload changed
        lambda t: t.split(".")[0],  # signature removed
        lambda t: "",
        lambda t: t + "." + t,
        lambda t: "a" * 500,
    ],
)
def test_tampered_tokens_are_invalid(mangle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TokenError) as e:
        verify(KEY, "confirm", mangle(_confirm()), now=START)
    assert e.value.reason == "invalid"


def test_wrong_key_or_purpose_is_invalid() -> None:
    with pytest.raises(TokenError):
        verify("other", "confirm", _confirm(), now=START)
    with pytest.raises(TokenError):
        verify(KEY, "manage", _confirm(), now=START)


def test_expiry_follows_the_given_clock() -> None:
    tok = _confirm()
    verify(KEY, "confirm", tok, now=START + timedelta(days=2) - timedelta(seconds=1))
    with pytest.raises(TokenError) as e:
        verify(KEY, "confirm", tok, now=START + timedelta(days=2))
    assert e.value.reason == "expired"
    verify(KEY, "confirm", _confirm(ttl=None), now=START + timedelta(days=3650))


def test_manage_links_are_bound_to_address_and_version() -> None:
    path = links.manage_path(KEY, 5, "a@example.com", START, version=2)
    sid, claims = links.read_manage(KEY, path.removeprefix("/manage/"), START)
    assert sid == 5 and claims.matches(KEY, "A@example.com", 2)
    assert not claims.matches(KEY, "a@example.com", 3)  # revoked by a version bump
    assert not claims.matches(KEY, "b@example.com", 2)  # another address
    with pytest.raises(TokenError):  # <id>.<mac> tokens bind nothing: not manage tokens
        links.read_manage(KEY, sign_subscriber(5, KEY, "manage"), START)
    with pytest.raises(TokenError):  # an unsubscribe token is no manage token
        links.read_manage(KEY, sign_subscriber(5, KEY), START)
    assert not links.check_unsubscribe(KEY, sign_subscriber(5, KEY, "manage"), (0,))
    assert links.unsubscribe_candidate(sign_subscriber(5, KEY)) == 5
    assert links.check_unsubscribe(KEY, sign_subscriber(5, KEY, version=3), (3,))
    assert not links.check_unsubscribe(KEY, sign_subscriber(5, KEY, version=2), (3,))


def test_csrf_field_is_bound_to_cookie_and_key() -> None:
    f = csrf_field(KEY, "cookie-1")
    assert csrf_ok(KEY, "cookie-1", f)
    assert not csrf_ok(KEY, "cookie-2", f)
    assert not csrf_ok("other", "cookie-1", f)
    assert not csrf_ok(KEY, None, f)
    assert not csrf_ok(KEY, "cookie-1", None)


def test_sliding_window_forgets_old_hits() -> None:
    clock = FakeClock()
    w = SlidingWindow(2, 60, clock)
    assert w.hit("a") and w.hit("a")
    assert not w.hit("a")
    assert w.hit("b")
    assert w.retry_after("a") == 60
    clock.advance(seconds=30)
    assert not w.hit("a")
    assert w.retry_after("a") == 30
    clock.advance(seconds=30)
    assert w.hit("a")


def test_sliding_window_caps_keys() -> None:
    w = SlidingWindow(1, 60, FakeClock(), max_keys=3)
    for k in "abcd":
        assert w.hit(k)
    assert w.hit("a")  # the oldest key was dropped


def test_language_choice() -> None:
    assert pick_lang("zh", "en", "en-US") == "zh"
    assert pick_lang(None, "zh", "en-US") == "zh"
    assert pick_lang("xx", None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert pick_lang(None, None, "en-GB,zh;q=0.5") == "en"
    assert pick_lang(None, None, "fr-FR, zh;q=0.7, en;q=0.6") == "zh"
    assert pick_lang(None, None, "de, en;q=bad") == "en"
    assert pick_lang(None, None, None) == "en"


def test_catalog_is_complete_in_both_languages() -> None:
    missing = [k for k, v in CATALOG.items() if set(v) != {"en", "zh"}]
    assert not missing
    assert translator("zh")("no.such.key") == "no.such.key"
