"""Threshold amounts in rule text: ``100B USD``, ``400亿 CNY``, ``1,350 亿美元``, ``-20%``, ``10M users``.

``parse_threshold(text) -> (value, unit)`` where ``unit`` is an ISO 4217 code, ``percent``,
``percentage_points`` (pp, bp = 0.01 pp), ``W`` (kW/MW/GW), ``FLOPS`` (PFLOPS/EFLOPS), ``times``,
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
    "gpu": "count",
    "gpus": "count",
    "ringgit": "MYR",
    "令吉": "MYR",
    "rm": "MYR",
    "rupee": "INR",
    "rupees": "INR",
    "卢比": "INR",
    "台币": "TWD",
    "新台幣": "TWD",
    "港幣": "HKD",
    "pp": "percentage_points",
    "ppt": "percentage_points",
    "ppts": "percentage_points",
    "percentage point": "percentage_points",
    "percentage points": "percentage_points",
    "个百分点": "percentage_points",
    "百分点": "percentage_points",
    "times": "times",
    "x": "times",
    "倍": "times",
    "w": "W",
    "watt": "W",
    "watts": "W",
    "flops": "FLOPS",
}
UNIT_ALIASES.update({code.lower(): code for code in CURRENCIES})
# Units with a scale of their own: the threshold is in the figure's unit ("1 GW" is 1e9 W).
SCALED_UNITS: dict[str, tuple[str, float]] = {
    "kw": ("W", 1e3),
    "mw": ("W", 1e6),
    "gw": ("W", 1e9),
    "tw": ("W", 1e12),
    "kilowatt": ("W", 1e3),
    "kilowatts": ("W", 1e3),
    "megawatt": ("W", 1e6),
    "megawatts": ("W", 1e6),
    "gigawatt": ("W", 1e9),
    "gigawatts": ("W", 1e9),
    "千瓦": ("W", 1e3),
    "兆瓦": ("W", 1e6),
    "吉瓦": ("W", 1e9),
    "tflops": ("FLOPS", 1e12),
    "pflops": ("FLOPS", 1e15),
    "eflops": ("FLOPS", 1e18),
    "zflops": ("FLOPS", 1e21),
    "petaflops": ("FLOPS", 1e15),
    "exaflops": ("FLOPS", 1e18),
    "bp": ("percentage_points", 0.01),
    "bps": ("percentage_points", 0.01),
    "basis point": ("percentage_points", 0.01),
    "basis points": ("percentage_points", 0.01),
    "基点": ("percentage_points", 0.01),
}

SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP", "₩": "KRW", "¥": "CNY"}

MAX_ABS = 1e15
MAX_FLOPS = 1e27  # a zettaflop is 1e21: compute needs a larger bound than money

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
        scaled = SCALED_UNITS.get(" ".join(unit_word.lower().split()))
        if scaled is not None:
            unit, factor = scaled
            value *= factor
        else:
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
    limit = MAX_FLOPS if unit == "FLOPS" else MAX_ABS
    if value != value or abs(value) > limit:
        raise RuleError(f"threshold {show(text)} is too large (at most {limit:.0e})")
    return value, unit
