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
    r"|(?:USD|CNY|RMB|EUR|JPY|KRW|HKD|TWD|GBP|INR|MYR|CHF|CAD|AUD|SGD|Rs\.?|RM)(?![A-Za-z])"
    r"|人民币|人民幣|新台币|新台幣|台币|台幣|港币|港幣|港元|美元|日元|日圓|日圆|韩元|韓元|欧元|歐元"
    r"|英镑|英鎊|令吉|马币|馬幣|百分之"
    r"|美金"  # Taiwan's everyday name of the US dollar ("美金12億元")
)

# Second characters of words that begin with 成 (成本, 成员, 成为, 成功, 成绩, 成效 ...): the
# 成 of a numeral before them is that word's, not tenths ("这一成绩", "统一成本").
CHENG_WORDS: Final = "本员員为為立功长長交都熟果就型品分不绩績效像败敗真形批套群对對语語则則份色衣器材"
_PREFIX_UNITS: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "$": "USD", "HK$": "HKD", "NT$": "TWD", "A$": "AUD",
    "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP",
    "₩": "KRW", "₹": "INR", "RMB": "CNY", "RS": "INR", "RS.": "INR", "RM": "MYR", "人民币": "CNY",
    "人民幣": "CNY", "百分之": "percent", "新台币": "TWD", "新台幣": "TWD", "台币": "TWD",
    "台幣": "TWD", "港币": "HKD", "港幣": "HKD", "港元": "HKD", "美元": "USD", "日元": "JPY",
    "日圓": "JPY", "日圆": "JPY", "韩元": "KRW", "韓元": "KRW", "欧元": "EUR", "歐元": "EUR",
    "英镑": "GBP", "英鎊": "GBP", "令吉": "MYR", "马币": "MYR", "馬幣": "MYR", "美金": "USD",
}  # fmt: skip

# Unit written after the number (and its magnitude). Power (W) and compute (FLOPS) units carry
# a factor (SUFFIX_FACTORS): "1.2 GW" is 1.2e9 W. Energy (GWh, 千瓦时) is not power: excluded.
SUFFIX = (
    r"(?:US|U\.S\.|American)\s+dollars?|(?:Hong\s+Kong|HK)\s+dollars?|(?:New\s+)?Taiwan\s+dollars?"
    r"|Singapore\s+dollars?|Australian\s+dollars?|Canadian\s+dollars?|Malaysian\s+ringgit|dollars?"
    r"|cents?(?![A-Za-z])"
    r"|yuan|renminbi|euros?|yen|won|ringgit|pounds?(?:\s+sterling)?|sterling|rupees?|Swiss\s+francs?"
    r"|(?:USD|CNY|RMB|EUR|JPY|KRW|HKD|TWD|GBP|INR|MYR|CHF|CAD|AUD|SGD)(?![A-Za-z])"
    r"|[-+]?(?:giga|mega|kilo|tera)watts?(?![-\s]?hours?)(?![A-Za-z])|[-+]?[GMk]W(?![A-Za-z])"
    r"|[EPZT]FLOP/?S(?![A-Za-z])|(?:exa|peta|zetta|tera)flops?(?![A-Za-z])"
    r"|percentage[-\s]points?|percentage\s+pts?|ppts?(?![A-Za-z])|pp(?![A-Za-z])"
    r"|basis\s+points?|bps?(?![A-Za-z])|points?(?![A-Za-z])"
    r"|%|per\s?cent|percent|pct"
    r"|-?fold(?![A-Za-z])|times(?=\s+(?:more|higher|larger|bigger|greater|faster|as|the|over|that|what|its|their)(?![A-Za-z]))"
    r"|x(?![A-Za-z0-9])"
    r"|元人民币|元人民幣|美元|美金|人民币|人民幣|人币|人幣|欧元|歐元|日元|日圆|日圓|円|韩元|韓元|韩圆|港元|港币|港幣"
    r"|港仙"  # Hong Kong cents ("每股基本盈利131.3港仙")
    r"|新台币|新台幣|台币|台幣|新元|新币|新幣|坡元|英镑|英鎊|卢比|盧比|令吉|马币|馬幣|瑞士法郎|元"
    r"|个百分点|個百分點|百分点|百分點|个基点|個基點|基点|基點"
    r"|吉瓦(?![时時])|兆瓦(?![时時])|千瓦(?![时時])|瓩(?![时時])|瓦(?![时時特])"
    r"|[多余餘]?倍|成(?![" + CHENG_WORDS + "])"
    r"|[PE](?![A-Za-z0-9])"
)
_SUFFIX_UNITS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "cent": "USD", "cents": "USD", "yuan": "CNY", "renminbi": "CNY", "euro": "EUR",
    "euros": "EUR", "yen": "JPY", "won": "KRW", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "rupee": "INR", "rupees": "INR", "rmb": "CNY", "ringgit": "MYR",
    "%": "percent", "percent": "percent", "per cent": "percent", "percent ": "percent",
    "pct": "percent", "元人民币": "CNY", "元人民幣": "CNY", "美元": "USD", "美金": "USD",
    "人民币": "CNY", "人民幣": "CNY", "人币": "CNY", "人幣": "CNY", "欧元": "EUR", "歐元": "EUR", "日元": "JPY", "日圆": "JPY",
    "日圓": "JPY", "円": "JPY", "韩元": "KRW", "韓元": "KRW", "韩圆": "KRW", "港元": "HKD",
    "港币": "HKD", "港幣": "HKD", "港仙": "HKD", "新台币": "TWD", "新台幣": "TWD", "台币": "TWD", "台幣": "TWD",
    "英镑": "GBP", "英鎊": "GBP", "卢比": "INR", "盧比": "INR", "令吉": "MYR", "马币": "MYR",
    "馬幣": "MYR", "瑞士法郎": "CHF", "元": "CNY", "新元": "SGD", "新币": "SGD", "新幣": "SGD",
    "坡元": "SGD",
    "个百分点": "percentage_points", "個百分點": "percentage_points",
    "百分点": "percentage_points", "百分點": "percentage_points", "pp": "percentage_points",
    "ppt": "percentage_points", "ppts": "percentage_points", "bp": "percentage_points",
    "bps": "percentage_points", "基点": "percentage_points", "基點": "percentage_points",
    "个基点": "percentage_points", "個基點": "percentage_points",
    "gw": "W", "mw": "W", "kw": "W", "吉瓦": "W", "兆瓦": "W", "千瓦": "W", "瓩": "W", "瓦": "W",
    "倍": "times", "x": "times", "fold": "times", "-fold": "times", "times": "times",
    "成": "percent", "p": "FLOPS", "e": "FLOPS",
}  # fmt: skip
# Factor from the written unit to the figure's unit (1 when absent).
_SUFFIX_FACTORS: dict[str, float] = {
    "gw": 1e9, "mw": 1e6, "kw": 1e3, "吉瓦": 1e9, "兆瓦": 1e6, "千瓦": 1e3, "瓩": 1e3,
    "gigawatt": 1e9, "megawatt": 1e6, "kilowatt": 1e3, "terawatt": 1e12,
    "eflops": 1e18, "pflops": 1e15, "zflops": 1e21, "tflops": 1e12, "exaflop": 1e18,
    "petaflop": 1e15, "zettaflop": 1e21, "teraflop": 1e12, "p": 1e15, "e": 1e18,
    "bp": 0.01, "bps": 0.01, "basis point": 0.01, "基点": 0.01, "基點": 0.01, "成": 10.0,
    "个基点": 0.01, "個基點": 0.01,
    "cent": 0.01, "cents": 0.01, "港仙": 0.01,
}  # fmt: skip
_CODES: Final = CURRENCIES

# People and counted things after a unit-less number ("10 million active users", "300 万台").
_PEOPLE_ADJ: Final = r"(?:(?:monthly|daily|weekly|paying|paid|active|registered|new|global|unique|total|streaming|premium|subscription)\s+){0,3}"
PEOPLE: str = (  # annotated: an expression, whose type mypy (and mypyc) may not infer in time
    _PEOPLE_ADJ
    + r"(?:users?|subscribers?|customers?|members|people|players|accounts|viewers|MAUs?|DAUs?)(?![A-Za-z])"
    r"|(?:名|位)?(?:月活跃|日活跃|活跃|付费|注册|订阅|月活|日活)?(?:用户|会员|订阅者|订户)"
)
# Counted things: the key nouns of AI infrastructure (their canonical ``noun`` in KEY_NOUNS), then
# other counted words. Up to three words before the noun name the make ("200,000 NVIDIA H100 GPUs").
_KEY_EN: Final = (
    r"(?P<gpu>(?:GPUs?|[Gg]raphics\s+[Pp]rocessing\s+[Uu]nits|(?:G?[HBA]\d{2,3}|MI\d{3}X?)s|TPUs)(?![-\s]?hours?))"
    r"|(?P<acc>(?:AI\s+)?accelerators)|(?P<dc>data[\s-]?cent(?:er|re)s|datacent(?:er|re)s"
    r"|(?:data[\s-]?|datacent)cent(?:er|re)\s+(?:buildings|facilities|campuses|sites|halls))"
    r"|(?P<srv>servers)|(?P<chip>(?:AI\s+)?chips)|(?P<rack>racks)|(?P<sc>supercomputers)"
)
_KEY_ZH: Final = (
    r"(?P<zdc>数据中心|數據中心|資料中心|资料中心|智算中心|算力中心|超算中心)"
    r"|(?P<zsrv>服务器|服務器|伺服器)|(?P<zgpu>(?:GPU|显卡|顯卡|(?:G?[HBA])\d{2,3})(?!\s?(?:小时|小時|hours?)))"
    # "3.5万卡集群": cards are accelerator cards in compute news.
    r"|(?P<zacc>加速卡|加速器|AI芯片|AI晶片|卡(?![片车車通住位槽]))|(?P<zchip>芯片|晶片)|(?P<zrack>机柜|機櫃)"
    # Counted actors and projects of the economy ("30個城市", "460家企業", "6个项目"): a
    # measure word with one of these is a figure at any size, like the key nouns.
    r"|(?P<zcity>城市)|(?P<zproj>项目|項目|专案|專案)|(?P<zinst>机构|機構)"
    r"|(?P<zco>企业|企業|公司|厂商|廠商|供应商|供應商|客户|客戶)"
)
COUNTED: str = (
    # (not a unit of a spec: "5 nm chips", "24 GB chips" are sizes, not counts)
    r"(?:(?!(?i:nm|mm|cm|gb|tb|mb|kb|kw|mw|gw|watts?|bits?|ghz|mhz)\s)[A-Za-z][\w-]{1,20}\s+)?"
    r"(?:(?!(?i:nm|gb|tb|mb|kb|kw|mw|gw|ghz|mhz)\s)[A-Z][\w.-]{0,20}\s+){0,2}"
    r"(?:" + _KEY_EN + r"|(?P<other>units|vehicles|cars|EVs|phones|smartphones|handsets|devices"
    r"|PCs|employees|workers|jobs|staff|robots|robotaxis|downloads|orders|wafers|tons|tonnes"
    r"|barrels|shares|homes|households|stores|rides|trips|deliveries|positions|roles))(?![A-Za-z])"
    # Status words between the measure word and the noun: "15 座营运中资料中心", "3个在建的智算中心".
    r"|(?:[台部辆輛块塊颗顆个個件套枚片张張家间間次名人座组組]"
    r"(?:(?:新建?|全新|营运中|營運中|运营中|運營中|在建|已建成?|建成|规划中?|規劃中?|自建|大型|超大型"
    # Kinds of company ("80間獨角獸企業") and of server ("300台智算服務器").
    r"|独角兽|獨角獸|科技|上市|龙头|龍頭|头部|頭部|重点|重點|中小|算力|智算|推理|训练|訓練"
    r"|国产化?|國產化?)的?)?"
    r"(?:的?\s?(?:英伟达|英偉達|輝達|NVIDIA|Nvidia|华为|華為|AMD|AI)?\s?(?:G?[HBA]\d{2,3}\s?)?))?"
    r"(?:" + _KEY_ZH + r")|[台部辆輛块塊颗顆个個件套枚片张張家间間次名人座组組户戶]"
    # 櫃 counts server racks in Taiwanese news ("GB300機櫃可望達1.2萬櫃"); not 櫃買 (the OTC market)
    r"|[櫃柜](?![買买檯台])"
)
# A key noun after status words or adjectives ("18 planned or existing AI data centers", "15
# operational data centres"): up to three lower-case words (joined by "or"/"and"), none of them
# a function word or a unit of time, which would make the number something else ("5 years of
# data centres", "3 of its servers").
_STOP: Final = (
    r"(?:years?|months?|days?|weeks?|quarters?|hours?|minutes?|decades?|times|percent|per|of|in|at"
    r"|to|for|from|by|with|on|into|than|the|its|their|his|her|our|a|an|this|that|these|those"
    r"|more|less|fewer|thousand|million|billion|trillion|and|or|out|over|under|about|which|who"
    r"|is|are|was|were|be|been|will|would|can|could|has|have|had"
    # units of a spec: "5 nm chips", "8 GB GPUs", "4 bit accelerators"
    r"|nm|mm|cm|gb|tb|mb|kb|kw|mw|gw|watts?|inch|inches|bits?|cores?|layers?|ghz|mhz)(?![a-z-])"
)
_ADJ: Final = rf"(?!{_STOP})[a-z][a-z-]{{1,15}}"
COUNTED_AFTER_WORDS: str = (
    rf"{_ADJ},?\s+(?:(?:or|and)\s+{_ADJ}\s+|{_ADJ}\s+){{0,2}}(?:[A-Z][\w.-]{{0,20}}\s+){{0,2}}"
    rf"(?:{_KEY_EN})(?![A-Za-z])"
)
# The number written as an adjective of the key noun: "a 100,000-GPU cluster", "a 16,384-H100
# cluster", "a 10,000-chip order" (the caller asks for a large number: "an 8-GPU server" is a
# spec).
COUNTED_HYPHEN: str = (
    r"-(?:(?P<gpu>GPU|(?:G?[HBA]\d{2,3}|MI\d{3}X?|TPU)(?:\s+GPU)?)|(?P<acc>(?:AI\s+)?accelerator)"
    r"|(?P<chip>(?:AI\s+)?chip)|(?P<srv>server))(?![A-Za-z0-9-])"
)
# The canonical noun of each key group (Figure.noun); a gpus/… metric follows from it.
KEY_NOUNS: dict[str, str] = {
    "gpu": "GPUs", "zgpu": "GPUs", "acc": "accelerators", "zacc": "accelerators",
    "dc": "data centres", "zdc": "data centres", "srv": "servers", "zsrv": "servers",
    "chip": "chips", "zchip": "chips", "rack": "racks", "zrack": "racks", "sc": "supercomputers",
    "zcity": "cities", "zproj": "projects", "zinst": "institutions", "zco": "companies",
}  # fmt: skip
# A key noun written before a Chinese count ("智算中心超250个", "数据中心达到 30 座").
ZH_NOUN_BEFORE: str = _KEY_ZH


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
    t = " ".join(token.split()).lstrip("-+")
    if t[:1] in "多余餘" and t.endswith("倍"):
        t = "倍"
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
    if low.startswith(("percentage", "pct pt", "basis", "point")):
        return "percentage_points"
    if low.startswith("per"):
        return "percent"
    if low.endswith("watt") or low.endswith("watts"):
        return "W"
    if "flop" in low:
        return "FLOPS"
    if low.startswith("malaysian"):
        return "MYR"
    if t.upper() in _CODES:
        return "CNY" if t.upper() == "RMB" else t.upper()
    return _SUFFIX_UNITS.get(low, _SUFFIX_UNITS.get(t, "count"))


@functools.lru_cache(maxsize=512)
def suffix_factor(token: str) -> float:
    """Factor from a suffix's unit to the figure's: ``"GW"`` -> 1e9 (W), ``"bps"`` -> 0.01
    (percentage points), ``"成"`` -> 10 (percent); 1.0 for every other unit."""
    low = " ".join(token.split()).lower().lstrip("-+")
    if low in _SUFFIX_FACTORS:
        return _SUFFIX_FACTORS[low]
    for stem in ("gigawatt", "megawatt", "kilowatt", "terawatt", "basis point"):
        if low.startswith(stem):
            return _SUFFIX_FACTORS[stem]
    for stem in (
        "exaflop",
        "petaflop",
        "zettaflop",
        "teraflop",
        "eflop",
        "pflop",
        "zflop",
        "tflop",
    ):
        if low.startswith(stem):
            return _SUFFIX_FACTORS.get(stem, _SUFFIX_FACTORS.get(stem + "s", 1.0))
    return 1.0


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
