"""Units: currency symbols, codes and words; percent; people and counted things.

``Figure.unit`` is an ISO 4217 code for money, ``"percent"``, ``"users"`` (people: users,
subscribers, customers ...) or ``"count"``. ``¥`` is yen or yuan by context (see
:func:`resolve_yen`). The regex fragments are used by the mention scanner; :func:`parse_quantity`
is a convenience for rule thresholds::

    parse_quantity("100B USD") == (1e11, "USD"); parse_quantity("-20%") == (-20.0, "percent")
"""

from __future__ import annotations

import functools
import re
from typing import Final

from bot.extract.numbers import parse_amount
from bot.extract.sentences import normalize
from bot.money import CURRENCIES

# Symbol or code written before the number ("US$37.5 billion", "RMB 160 billion", "人民币 1,600 亿").
PREFIX = (
    r"US\$|U\.S\.\$|HK\$|NT\$|A\$|AU\$|C\$|CA\$|S\$|R\$|\$|€|£|¥|₩|₹"
    r"|(?:USD|CNY|RMB|EUR|JPY|KRW|HKD|TWD|GBP|INR|CHF|CAD|AUD|SGD|Rs\.?)(?![A-Za-z])"
    r"|人民币|新台币|台币|港币|港元|美元|日元|韩元|欧元|百分之"
)
_PREFIX_UNITS: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "$": "USD", "HK$": "HKD", "NT$": "TWD", "A$": "AUD",
    "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP",
    "₩": "KRW", "₹": "INR", "RMB": "CNY", "RS": "INR", "RS.": "INR", "人民币": "CNY",
    "百分之": "percent", "新台币": "TWD", "台币": "TWD", "港币": "HKD", "港元": "HKD",
    "美元": "USD", "日元": "JPY", "韩元": "KRW", "欧元": "EUR",
}  # fmt: skip

# Unit written after the number (and its magnitude).
SUFFIX = (
    r"(?:US|U\.S\.|American)\s+dollars?|(?:Hong\s+Kong|HK)\s+dollars?|(?:New\s+)?Taiwan\s+dollars?"
    r"|Singapore\s+dollars?|Australian\s+dollars?|Canadian\s+dollars?|dollars?"
    r"|yuan|renminbi|euros?|yen|won|pounds?(?:\s+sterling)?|sterling|rupees?|Swiss\s+francs?"
    r"|(?:USD|CNY|RMB|EUR|JPY|KRW|HKD|TWD|GBP|INR|CHF|CAD|AUD|SGD)(?![A-Za-z])"
    r"|%|per\s?cent|percent|pct|percentage\s+points?"
    r"|元人民币|美元|美金|人民币|欧元|日元|日圆|韩元|韩圆|港元|港币|新台币|台币|英镑|卢比|瑞士法郎|元"
    r"|个百分点"
)
_SUFFIX_UNITS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "yuan": "CNY", "renminbi": "CNY", "euro": "EUR",
    "euros": "EUR", "yen": "JPY", "won": "KRW", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "rupee": "INR", "rupees": "INR", "rmb": "CNY",
    "%": "percent", "percent": "percent", "per cent": "percent", "percent ": "percent",
    "pct": "percent", "元人民币": "CNY", "美元": "USD", "美金": "USD", "人民币": "CNY",
    "欧元": "EUR", "日元": "JPY", "日圆": "JPY", "韩元": "KRW", "韩圆": "KRW", "港元": "HKD",
    "港币": "HKD", "新台币": "TWD", "台币": "TWD", "英镑": "GBP", "卢比": "INR",
    "瑞士法郎": "CHF", "元": "CNY", "个百分点": "percent",
}  # fmt: skip
_CODES: Final = CURRENCIES

# People and counted things after a unit-less number ("10 million active users", "300 万台").
_PEOPLE_ADJ: Final = r"(?:(?:monthly|daily|weekly|paying|paid|active|registered|new|global|unique|total|streaming|premium|subscription)\s+){0,3}"
PEOPLE: str = (  # annotated: an expression, whose type mypy (and mypyc) may not infer in time
    _PEOPLE_ADJ
    + r"(?:users?|subscribers?|customers?|members|people|players|accounts|viewers|MAUs?|DAUs?)(?![A-Za-z])"
    r"|(?:名|位)?(?:月活跃|日活跃|活跃|付费|注册|订阅|月活|日活)?(?:用户|会员|订阅者|订户)"
)
COUNTED: str = (
    r"(?:[A-Za-z][\w-]{1,20}\s+)?(?:units|vehicles|cars|EVs|phones|smartphones|handsets|devices|chips|GPUs"
    r"|servers|PCs|employees|workers|jobs|staff|robots|robotaxis|downloads|orders|wafers|tons|tonnes"
    r"|barrels|shares|homes|stores|rides|trips|deliveries|positions|roles)(?![A-Za-z])"
    r"|[台部辆块颗个件套枚片张家次名人]"
)


# Both lookups are pure and see a small set of tokens ("$", "billion dollars", "%", "亿元"):
# caching skips their string work for nearly every number scanned.
@functools.lru_cache(maxsize=512)
def prefix_unit(token: str) -> str:
    """Unit of a prefix symbol/code; ``"¥"`` returns ``"¥"`` (resolve with :func:`resolve_yen`)."""
    t = token.strip()
    if t in _PREFIX_UNITS:
        return _PREFIX_UNITS[t]
    up = t.upper()
    if up in _CODES:
        return up
    return _PREFIX_UNITS.get(up, t)


@functools.lru_cache(maxsize=512)
def suffix_unit(token: str) -> str:
    """Unit of a suffix word/code: ``"billion yuan"``'s ``"yuan"`` -> ``"CNY"``."""
    t = " ".join(token.split())
    low = t.lower()
    if low.startswith(("us ", "u.s. ", "american ")):
        return "USD"
    if low.startswith(("hong kong", "hk ")):
        return "HKD"
    if "taiwan" in low:
        return "TWD"
    if low.startswith("singapore"):
        return "SGD"
    if low.startswith("australian"):
        return "AUD"
    if low.startswith("canadian"):
        return "CAD"
    if low.startswith("swiss"):
        return "CHF"
    if low.startswith("pound"):
        return "GBP"
    if low.startswith("percentage") or low.startswith("per"):
        return "percent"
    if t.upper() in _CODES:
        return "CNY" if t.upper() == "RMB" else t.upper()
    return _SUFFIX_UNITS.get(low, _SUFFIX_UNITS.get(t, "count"))


_JAPAN: Final = re.compile(
    r"yen|Japan|Japanese|Tokyo|Nikkei|SoftBank|Sony|Toyota|Nintendo|Hitachi|Panasonic|日元|日本|软银|东京"
)
_CHINA: Final = re.compile(
    r"yuan|RMB|renminbi|China|Chinese|Beijing|Shanghai|Shenzhen|人民币|中国|元"
)


def resolve_yen(context: str, lang: str) -> str:
    """``¥`` is JPY or CNY: decided by words in ``context``; else CNY in Chinese, JPY in English."""
    japan = _JAPAN.search(context) is not None
    china = _CHINA.search(context) is not None
    if japan and not china:
        return "JPY"
    if china and not japan:
        return "CNY"
    return "CNY" if lang == "zh" else "JPY"


_QUANTITY: Final = re.compile(
    rf"\s*(?P<sign>[-+])?\s*(?P<pre>{PREFIX})?\s*(?P<amount>[^%]*?)\s*(?P<suf>{SUFFIX})?\s*",
    re.IGNORECASE,
)


def parse_quantity(text: str, *, yen: str = "JPY") -> tuple[float, str | None] | None:
    """``"100B USD"`` -> (1e11, "USD"); ``"400亿元"`` -> (4e10, "CNY"); ``"10M"`` -> (1e7, None).

    The unit is None when the text names none. Returns None if the amount does not parse.
    """
    if len(text) > 200:
        return None
    m = _QUANTITY.fullmatch(normalize(text))
    if m is None:
        return None
    value = parse_amount(m.group("amount"))
    if value is None:
        return None
    unit: str | None = None
    if m.group("pre"):
        unit = prefix_unit(m.group("pre"))
        if unit == "¥":
            unit = yen
    if m.group("suf"):
        unit = suffix_unit(m.group("suf"))
    if m.group("sign") == "-":
        value = -value
    return value, unit
