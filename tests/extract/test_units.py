"""parse_quantity and yen resolution."""

from __future__ import annotations

import pytest

from bot.extract import parse_quantity
from bot.extract.units import resolve_yen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100B USD", (1e11, "USD")),
        ("-20%", (-20.0, "percent")),
        ("400B CNY", (4e11, "CNY")),
        ("10M", (1e7, None)),
        ("400亿元", (4e10, "CNY")),
        ("1.2万亿美元", (1.2e12, "USD")),
        ("$50bn", (5e10, "USD")),
        ("百分之十五", (15.0, "percent")),
        ("5 per cent", (5.0, "percent")),
    ],
)
def test_parse_quantity(text: str, expected: tuple[float, str | None]) -> None:
    assert parse_quantity(text) == expected


def test_parse_quantity_rejects() -> None:
    assert parse_quantity("lots") is None
    assert parse_quantity("9" * 500) is None


def test_resolve_yen() -> None:
    assert resolve_yen("SoftBank posted ¥2 trillion", "en") == "JPY"
    assert resolve_yen("Chinese yuan ¥5", "en") == "CNY"
    assert resolve_yen("¥5", "zh") == "CNY"
    assert resolve_yen("¥5", "en") == "JPY"
