"""Currency conversion through the configured dated rates (pure).

``rates`` maps an ISO 4217 code to US dollars per one unit of that currency (USD itself is 1).
"""

from __future__ import annotations

from collections.abc import Mapping

CURRENCIES: frozenset[str] = frozenset(
    {
        "USD",
        "CNY",
        "EUR",
        "JPY",
        "KRW",
        "HKD",
        "TWD",
        "GBP",
        "INR",
        "MYR",
        "CHF",
        "CAD",
        "AUD",
        "SGD",
    }
)


def is_money(unit: str) -> bool:
    return unit in CURRENCIES


def to_usd(value: float, unit: str, rates: Mapping[str, float]) -> float | None:
    """USD value of an amount, or None when the unit is not money or has no rate."""
    if unit == "USD":
        return value
    rate = rates.get(unit)
    return None if rate is None else value * rate


def convert(value: float, unit: str, to: str, rates: Mapping[str, float]) -> float | None:
    """Convert between two currencies through USD; None when either rate is unknown."""
    if unit == to:
        return value
    usd = to_usd(value, unit, rates)
    if usd is None:
        return None
    target = 1.0 if to == "USD" else rates.get(to)
    return None if not target else usd / target
