"""Addresses Briefbot accepts (issue 18, medium 5): deliverable ones only, IDNA shown in ASCII."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.addresses import InvalidEmail, deliverable, normalize_email


@pytest.mark.parametrize(
    "address",
    [
        "üser@example.com",  # needs SMTPUTF8
        "аlice@example.com",  # Cyrillic а in the local part
        "=?utf-8?q?x=0D=0ABcc:_victim@example.com?=@example.com",  # an encoded-word
        "a\r\nBcc: b@example.com@example.com",
        "a b@example.com",
        "a@example.com\x00",
        "",
        "x" * 250 + "@example.com",
    ],
)
def test_undeliverable_or_hostile_addresses_are_refused(address: str) -> None:
    with pytest.raises(InvalidEmail):
        normalize_email(address)
    assert not deliverable(address)


def test_an_idna_domain_is_kept_and_shown_in_ascii() -> None:
    # a Cyrillic а in the domain: a real (look-alike) domain, stored and echoed as punycode
    assert normalize_email("alice@exаmple.com") == "alice@xn--exmple-4nf.com"
    assert normalize_email("Ann.Lee@Example.COM") == "Ann.Lee@example.com"


@given(st.text(max_size=40))
def test_whatever_is_accepted_is_plain_ascii_without_encoded_words(text: str) -> None:
    try:
        out = normalize_email(text)
    except InvalidEmail:
        return
    assert out.isascii() and "=?" not in out
    assert not any(ord(c) < 33 for c in out)
    assert normalize_email(out) == out
