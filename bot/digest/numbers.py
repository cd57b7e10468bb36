"""Amounts for people, per language (pure): ``$135B``, ``¥480B``, ``+66%`` / ``1,350 亿美元``.

English scales by K/M/B/T with a currency symbol (or the ISO code when the currency has no
unambiguous symbol: ``CHF 5B``); Chinese scales by 万/亿/万亿 with the currency's name after the
number (``4,800 亿人民币``, ``1,000 万用户``). Digits: 3 significant figures at most, never
fewer than needed for the integer part (``1,350``), trailing zeros dropped.
"""

from __future__ import annotations

import math

from bot.models import Lang

EN_SYMBOL: dict[str, str] = {
    "USD": "$",
    "CNY": "¥",
    "EUR": "€",
    "GBP": "£",
    "JPY": "JP¥",
    "KRW": "₩",
    "INR": "₹",
    "HKD": "HK$",
    "TWD": "NT$",
    "CAD": "C$",
    "AUD": "A$",
    "SGD": "S$",
}
ZH_CURRENCY: dict[str, str] = {
    "USD": "美元",
    "CNY": "人民币",
    "EUR": "欧元",
    "GBP": "英镑",
    "JPY": "日元",
    "KRW": "韩元",
    "INR": "印度卢比",
    "HKD": "港元",
    "TWD": "新台币",
    "CAD": "加元",
    "AUD": "澳元",
    "SGD": "新加坡元",
    "CHF": "瑞士法郎",
}
EN_UNIT_WORD: dict[str, str] = {"users": "users", "count": ""}
ZH_UNIT_WORD: dict[str, str] = {"users": "用户", "count": ""}
_EN_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_SCALES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


def _digits(x: float) -> str:
    """``135`` ``37.5`` ``1.23`` ``1,350`` ``0.05``: 3 significant figures, integer part kept."""
    a = abs(x)
    if a >= 100:
        decimals = 0
    elif a >= 10:
        decimals = 1
    elif a >= 1 or a == 0:
        decimals = 2
    else:
        decimals = max(2, 2 - math.floor(math.log10(a)))
    s = f"{a:,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _scaled(a: float, scales: tuple[tuple[float, str], ...]) -> tuple[str, str]:
    for factor, suffix in scales:
        # 999,999 -> "1M", not "1,000K"
        if a >= factor * 0.9995:
            return _digits(a / factor), suffix
    return _digits(a), ""


def format_amount(value: float, unit: str, lang: Lang = "en", *, change: bool | None = None) -> str:
    """``value`` in ``unit`` (ISO 4217 code, ``percent``, ``users``, ``count``) for ``lang``.

    ``change``: show a ``+`` on positive values. Default: percentages are signed (in figures they
    are almost always changes), everything else is not.
    """
    if math.isnan(value) or math.isinf(value):
        return "—"
    signed = (unit == "percent") if change is None else change
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    a = abs(value)
    if unit == "percent":
        return f"{sign}{_digits(a)}%"
    if lang == "zh":
        num, scale = _scaled(a, _ZH_SCALES)
        word = ZH_CURRENCY.get(unit, ZH_UNIT_WORD.get(unit, unit))
        if scale:
            return f"{sign}{num} {scale}{word}"
        return f"{sign}{num} {word}".rstrip() if word else f"{sign}{num}"
    num, scale = _scaled(a, _EN_SCALES)
    if unit in EN_SYMBOL:
        return f"{sign}{EN_SYMBOL[unit]}{num}{scale}"
    if len(unit) == 3 and unit.isupper():  # a currency without a symbol here: "CHF 5B"
        return f"{sign}{unit} {num}{scale}"
    word = EN_UNIT_WORD.get(unit, unit)
    return f"{sign}{num}{scale} {word}".rstrip()
