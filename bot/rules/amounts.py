"""Threshold amounts in rule text: ``100B USD``, ``400亿 CNY``, ``1,350 亿美元``, ``-20%``, ``10M users``.

``parse_threshold(text) -> (value, unit)`` where ``unit`` is an ISO 4217 code, ``percent``,
``users``, ``count`` or None (no unit written). Scales: k/K/thousand, M/m/mn/million,
B/b/bn/billion, T/t/tn/trillion, 千, 万, 百万, 千万, 亿, 十亿, 千亿, 万亿; commas group thousands.
A currency symbol may lead: ``$`` USD, ``€`` EUR, ``£`` GBP, ``₩`` KRW and ``¥`` CNY (in this
bot's Chinese sources ``¥`` is the yuan; write ``JPY`` for yen).

Kept inside ``bot.rules`` on purpose: the rule language must not change when the figure
extractor's number parser does. Errors are ``RuleError`` with one actionable line.
"""

from __future__ import annotations

import re

from bot.errors import RuleError
from bot.money import CURRENCIES

SCALES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "千": 1e3,
    "万": 1e4,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "十亿": 1e9,
    "千亿": 1e11,
    "万亿": 1e12,
}

UNIT_ALIASES: dict[str, str] = {
    "%": "percent",
    "percent": "percent",
    "pct": "percent",
    "百分比": "percent",
    "$": "USD",
    "us$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "美元": "USD",
    "美金": "USD",
    "rmb": "CNY",
    "yuan": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "人民币元": "CNY",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "yen": "JPY",
    "日元": "JPY",
    "日圆": "JPY",
    "won": "KRW",
    "韩元": "KRW",
    "港元": "HKD",
    "港币": "HKD",
    "新台币": "TWD",
    "pound": "GBP",
    "pounds": "GBP",
    "英镑": "GBP",
    "user": "users",
    "users": "users",
    "用户": "users",
    "count": "count",
    "个": "count",
}
UNIT_ALIASES.update({code.lower(): code for code in CURRENCIES})

SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP", "₩": "KRW", "¥": "CNY"}

MAX_ABS = 1e15

_NUMBER = re.compile(
    r"^(?P<sign>[+-])?\s*(?P<sym>[$€£₩¥])?\s*(?P<sign2>[+-])?\s*"
    r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<rest>.*)$",
    re.DOTALL,
)
# Longest first so "万亿" wins over "万" and "bn" over "b"; Latin scales must end at a non-letter
# ("100bananas" is 100 with the unit "bananas", not 100 billion "ananas").
_SCALE_KEYS = sorted(SCALES, key=len, reverse=True)


def show(fragment: str, limit: int = 40) -> str:
    """A user's fragment quoted for a one-line error message."""
    flat = " ".join(fragment.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"'{flat}'"


def _split_scale(rest: str) -> tuple[float, str]:
    low = rest.lower()
    for key in _SCALE_KEYS:
        if not low.startswith(key):
            continue
        after = rest[len(key) :]
        if key.isascii() and after[:1].isalpha():
            continue
        return SCALES[key], after.strip()
    return 1.0, rest.strip()


def parse_unit(word: str) -> str | None:
    """The canonical unit for a unit word (``usd``, ``亿美元``'s ``美元``, ``%``), else None."""
    return UNIT_ALIASES.get(word.strip().lower())


def parse_threshold(text: str) -> tuple[float, str | None]:
    """``"400亿 CNY"`` -> ``(4e10, "CNY")``; ``"-20%"`` -> ``(-20.0, "percent")``.

    Raises RuleError for a missing or malformed number, an unknown unit, conflicting currencies,
    or an absurd size (NaN, infinite, more than 1e15).
    """
    text = text.strip()
    if not text:
        raise RuleError("missing threshold: write a number, e.g. 100B USD, 400亿 CNY, 10M, -20%")
    m = _NUMBER.match(text)
    if m is None:
        raise RuleError(
            f"threshold {show(text)} is not a number (e.g. 100B USD, 400亿 CNY, 10M users, -20%)"
        )
    if m["sign"] and m["sign2"]:
        raise RuleError(f"threshold {show(text)} has two signs; write e.g. -20%")
    negative = "-" in ((m["sign"] or "") + (m["sign2"] or ""))
    scale, unit_word = _split_scale(m["rest"])
    value = float(m["num"].replace(",", "")) * scale
    if negative:
        value = -value
    unit: str | None = None
    if unit_word:
        unit = parse_unit(unit_word)
        if unit is None:
            raise RuleError(f"unknown unit {show(unit_word)} (try USD, CNY, %, users)")
    if m["sym"]:
        sym_unit = SYMBOLS[m["sym"]]
        if unit is not None and unit != sym_unit:
            raise RuleError(
                f"conflicting units '{m['sym']}' and {show(unit_word)}: write one, e.g. 100B USD"
            )
        unit = sym_unit
    if value != value or abs(value) > MAX_ABS:
        raise RuleError(f"threshold {show(text)} is too large (at most 1e15)")
    return value, unit
