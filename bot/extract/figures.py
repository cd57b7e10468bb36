"""Figure extraction: text in, :class:`bot.models.Figure` list out (pure; no network, DB or clock).

    from bot.extract import extract
    figs = extract(text, published=date(2026, 2, 4), rates={"CNY": 0.1385})

Pipeline: normalize (same length, so offsets hold) -> lay out segments/clauses/paragraphs ->
scan quantity mentions and merge ranges/moves/conversions/comparisons (:mod:`.mentions`) ->
for each mention read the words around it: qualifier and change (:mod:`.qualifiers`), entity
and metric (:mod:`.entities`), period (:mod:`.periods`) -> Figure.

Attribution rules (nearest wins, never crossing a segment unless said):

- entity: the nearest lexicon entity before the figure in its segment, else the first after
  it in its clause, else the nearest earlier one in its paragraph, else a capitalised subject
  (English) or a "...公司/集团" name (Chinese) before it in the segment; else None.
- metric: a metric word right after the figure ("$37.5 billion of quarterly capex", "10 million
  active users"), else the nearest one before it in its clause, then after it in its clause,
  then before it in its segment; else "other". A unit-less count whose metric is users gets
  unit "users".
- period: the nearest period in the clause, else in the segment, else (levels only) the
  nearest earlier one in the paragraph. Periods that belong to a merged ``previous`` ("up from
  $8.5 billion in 2025") are skipped. Formats: see :mod:`bot.extract.periods`.
- usd_value: the stated USD conversion, else ``rates[unit] * value`` (USD per unit), else None.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Final

from bot.extract import gates, orgnames, roles, sidenouns, wordscan
from bot.extract import qualifiers as ql
from bot.extract.entities import (
    AGGREGATE,
    ANALYST,
    COMPANY,
    PERSON,
    SEGMENT,
    Lexicon,
    default_lexicon,
)
from bot.extract.fiscal import nearest_fiscal_quarter, period_months
from bot.extract.mentions import Mention, scan
from bot.extract.periods import PeriodMention, find_periods
from bot.extract.sentences import Layout, detect_lang, layout, normalize, segment_text
from bot.extract.textfold import fold, simplified
from bot.extract.units import resolve_yen
from bot.models import Conversion, Figure, Lang, Metric
from bot.money import CURRENCIES

__all__ = ["extract"]

_FOLLOW_METRIC: Final = re.compile(
    r"\s*(?:(?:jump|rise|increase|surge|gain|climb|drop|decline|fall|growth)\s+(?=in\s))?"
    r"(?:(?:of|in|on)\s+)?(?:(?:19|20)\d{2}\s+)?(?:(?:quarterly|annual|annualized|total|net|full-year|fiscal|new|"
    r"additional|its|their|fresh|planned|projected|expected|AI|cloud)\s+){0,2}",
    re.IGNORECASE,
)
_OBJECT_BEFORE: Final = re.compile(
    r"(?:(?<![A-Za-z])(?:in|into|to|from|with|for|by|at|on|against|than|of)\s+|[向对给比较]"
    r"|用于|从|来自|采购|购买|订购|购入|出货|供货|交付|卖给|售予)\s*$",
    re.IGNORECASE,
)
# Twins without IGNORECASE (letters lower-cased) for the lower-cased text (see textfold).
_FOLLOW_METRIC_F: Final = re.compile(_FOLLOW_METRIC.pattern.replace("AI", "ai"))
_OBJECT_BEFORE_F: Final = re.compile(_OBJECT_BEFORE.pattern)
# The last character of every _OBJECT_BEFORE match once its trailing spaces are stripped: the
# last letter of one of its words (either case, for the IGNORECASE original) or a CJK marker.
_OBJECT_LAST: Final = frozenset("nomhrytfNOMHRYTF向对给比较于从自购买入货付予")
_METRIC_UNITS: dict[str, frozenset[str]] = {
    "users": frozenset({"users", "count"}),
    "share_price": frozenset({"percent", "money"}),
}


def _unit_class(unit: str) -> str:
    if unit in ("percentage_points", "times"):
        return "percent"  # a margin's points, a multiple of revenue: the percent metrics
    return "money" if len(unit) == 3 and unit.isupper() else unit


# Units and counted nouns that are a metric of their own (what the figure measures).
_UNIT_METRICS: dict[str, Metric] = {"W": "power_capacity", "FLOPS": "compute_capacity"}
_NOUN_METRICS: dict[str, Metric] = {"GPUs": "gpus", "accelerators": "gpus"}


def _metric_fits(metric: str, unit: str) -> bool:
    allowed = _METRIC_UNITS.get(metric)
    if allowed is not None:
        return _unit_class(unit) in allowed
    return _unit_class(unit) in ("money", "percent")


@functools.lru_cache(maxsize=256)
def _fits(unit: str) -> Callable[[str], bool]:
    """``lambda label: _metric_fits(label, unit)`` as a table lookup (no Python call per label):
    labels with a unit rule of their own are in it; any other gets the unit's default."""
    default = _unit_class(unit) in ("money", "percent")
    table: defaultdict[str, bool] = defaultdict(
        lambda: default, {label: _metric_fits(label, unit) for label in _METRIC_UNITS}
    )
    return table.__getitem__


# Figures are built the way pickle restores a model (as bot.sources.poll does for items): the
# field values straight into the instance's state, in field order, without re-validating them.
# Every value is of its field's type already (floats are made floats here; labels come from the
# extractor's own vocabularies); tests/extract/test_construct.py checks that re-validating each
# figure gives an equal one with the same state. Validation was the figures' largest cost.
_FIGURE_FIELDS: Final = tuple(Figure.model_fields)
_FIGURE_DEFAULTS: Final[dict[str, object]] = {
    name: info.default for name, info in Figure.model_fields.items()
}
_new_object = object.__new__
_set_attr = object.__setattr__


def _as_float(x: float | None) -> float | None:
    return None if x is None else float(x)


def _make_figure(state: dict[str, object], given: frozenset[str]) -> Figure:
    """``Figure(**{k: state[k] for k in given})`` for ``state``, every field in field order,
    of the fields' types (``float`` fields floats)."""
    fig: Figure = _new_object(Figure)
    _set_attr(fig, "__dict__", state)
    _set_attr(fig, "__pydantic_fields_set__", set(given))
    _set_attr(fig, "__pydantic_extra__", None)
    _set_attr(fig, "__pydantic_private__", None)
    return fig


def _figure_of(values: dict[str, object]) -> Figure:
    """``Figure(**values)`` for values of the fields' types (the fields not given: defaults)."""
    state = {name: values.get(name, _FIGURE_DEFAULTS[name]) for name in _FIGURE_FIELDS}
    return _make_figure(state, frozenset(values))


# What figure() gives: every field but the store's item_id.
_GIVEN: Final = frozenset(_FIGURE_FIELDS) - {"item_id"}
_FIGURE_STATE: Final = {name: _FIGURE_DEFAULTS[name] for name in _FIGURE_FIELDS}


_STEPS: Final = 12  # how many neighbours a lookup inspects; keeps each figure O(log n)
_REACH: Final = 240  # how far cue words are looked for around a figure (keeps it linear)


# 其 opening a clause: the pronoun for the sentence's subject (not 其中/其他/其余/其实/其次).
_ZH_PRONOUN: Final = re.compile(r"[，,；;]\s*其(?![中他它余餘实實次后後])")
_CLAUSE_BREAK: Final = re.compile(r"[，,；;。]")
# A comparison word before an expectation: the reported figure is judged against it.
_MEASURED_AGAINST: Final = re.compile(
    r"(?:好于|优于|高于|低于|超出|超过|不及|胜于|逊于)[^，,；;。]{0,12}$"
)


class _Index:
    """Sorted (start, end, label) spans with nearest-before / first-after lookups."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def before(
        self, pos: int, lo: int, ok: Callable[[str], bool] | None = None
    ) -> tuple[int, int, str] | None:
        """Nearest span ending by ``pos`` and starting at or after ``lo`` whose label passes
        ``ok``, among the ``_STEPS`` spans starting last before ``pos``; else None."""
        spans = self.spans
        i = bisect.bisect_right(self.starts, pos) - 1
        stop = max(-1, i - _STEPS)
        while i > stop and spans[i][0] >= lo:
            span = spans[i]
            if span[1] <= pos and (ok is None or ok(span[2])):
                return span
            i -= 1
        return None

    def after(
        self, pos: int, hi: int, ok: Callable[[str], bool] | None = None
    ) -> tuple[int, int, str] | None:
        i = bisect.bisect_left(self.starts, pos)
        for span in self.spans[i : i + _STEPS]:
            if span[1] > hi:
                return None
            if ok is None or ok(span[2]):
                return span
        return None

    def starting_at(self, pos: int) -> tuple[int, int, str] | None:
        i = bisect.bisect_left(self.starts, pos)
        if i < len(self.spans) and self.starts[i] == pos:
            return self.spans[i]
        return None


def _window(value: str) -> bool:
    """A span of time rather than a period reported: "since 2024-Q2", "four-year", "1-day"."""
    return value.startswith("since ") or _DURATION_VALUE.fullmatch(value) is not None


def _skipped(p: PeriodMention, skip: list[tuple[int, int]]) -> bool:
    return any(a <= p.start and p.end <= b for a, b in skip)


_NOT_ABOUT: Final = re.compile(
    r"(?:\b(?:founded|established|incorporated|created|started|launched|set\s+up|listed|went\s+public"
    r"|ipo'?d|spun\s+off|born|dating\s+back|dates\s+back)\s+(?:in\s+)?(?:the\s+)?"
    r"|成立于|创立于|创办于|成立|创立|创办|上市于|始于)\s*$"
)
_BASE_BEFORE: Final = re.compile(
    r"(?:较|比|相较于?|相比|对比|\b(?:than|over|versus|vs\.?|compared\s+(?:with|to)|from|that\s+of"
    r"|same\s+period(?:\s+(?:of|in))?))\s*(?:the\s+)?$"
)
# "去年同期", "上年同期": the same period of the year before, a base.
_BASE_AFTER: Final = re.compile(r"\s*同期")
_MONTH_VALUE: Final = re.compile(r"\d{4}-\d{2}")
_AS_OF: Final = re.compile(r"(?:截至|截止|截至到|\bas\s+of)\s*$")
# A number of firms counted ("共21家公司", "这5家企业", "十多家厂商"): their sum is an aggregate.
_N_FIRMS: Final = re.compile(
    r"(?:\d+|[两二三四五六七八九十百几数]+)多?家(?:公司|企业|厂商|科企|大厂|上市公司)"
)
_BULLET_MARKS: Final = frozenset("-*•·")
_ONE_OF_THEM: Final = re.compile(r"(?:这家|这一家|该|此|这个)\s*$")
_YUAN_IMPLIED: Final = frozenset({"CNY", "HKD", "TWD", "USD"})
_CURRENCY_WRITTEN: Final = re.compile(r"[元圆圓币幣$€£¥]|美金|[A-Z]{3}")
_USERS_BEFORE: Final = re.compile(
    r"(?:(?<![a-z])[md]aus?|月活|日活|用户数?|活跃用户|活跃账户|订阅用户)[^，,。；;、\d]{0,6}$"
)
_SAME_PERIOD_AFTER: Final = re.compile(r"\s*年?\s*同期")  # "2024年同期", "去年同期"
# "in the same period last year", "the same quarter of 2024": English for 去年同期.
_SAME_PERIOD_BEFORE: Final = re.compile(
    r"\bsame\s+(?:period|quarter|months?|time)\s+(?:of\s+|in\s+)?$"
)
# "$6.81 billion a year ago", "$7.75 billion a year earlier": the amount a year before the
# figure's own period (the base of a comparison written as a bare amount).
_YEAR_AGO_AFTER: Final = re.compile(
    r"\s*(?:in\s+the\s+(?:same|year-ago)\s+(?:period|quarter)\s+)?"
    r"a\s+year\s+(?:ago|earlier|before)\b"
)
# An amount said with a past verb of its owner right after it: "the $72.2 billion it spent",
# "the $60 billion the company invested last year".
_PAST_AMOUNT_AFTER: Final = re.compile(
    r"\s+(?:that\s+)?(?:it|they|the\s+company|the\s+group|the\s+firm)\s+(?:had\s+)?"
    r"(?:spent|earned|made|posted|reported|generated|booked|invested|recorded|delivered)\b"
)
# Between a level and a base period after it, what shows the base belongs to something else:
# another number, or a comparison ("净利润10.38亿元,同比扭亏为盈(去年同期…").
_BASE_FAR: Final = re.compile(r"\d|同比|环比|较|比|\b(?:from|than|versus|vs|compared|that\s+of)\b")
# Words one of which each gated reading needs (lower case; see _Context.gates).
# Between a level and a period after it: a compared number, whose period it is.
_COMPARED_GAP: Final = re.compile(
    r"(?<![a-z])(?:versus|vs\.?|compared\s+(?:with|to)|against|than|from)\s[^;]*?\d"
)
# A gap to expectations: an expectation word and a comparison ("above estimates"), or a
# "beat … by" verb, or their Chinese forms (预期 with 高于/低于 …).
_EXPECTATION_WORDS: Final = (
    "estimate", "expectation", "consensus", "forecast", "expected", "guidance", "projection",
    "analyst", "street", "projected",
)  # fmt: skip
_COMPARISON_WORDS: Final = (
    "above", "below", "ahead", "short", "than", "over", "under", "beyond", "previous", "prior",
    "earlier", "initial", "original",
)  # fmt: skip
_BEAT_WORDS: Final = ("beat", "top", "miss", "exceed", "surpass", "outpac")
_ZH_EXPECTATION: Final = ("预期", "预测", "预估")
_ZH_COMPARISON: Final = ("高于", "低于", "超出", "超过", "不及", "优于")
_ESTIMATE_AFTER_WORDS: Final = (
    "consensus", "estimate", "expected by", "forecast by", "projected by", "analyst", "预期",
)  # fmt: skip
_GUIDANCE_AFTER_WORDS: Final = ("guidance", "outlook", "forecast", "target")
_PLAN_AFTER_WORDS: Final = ("plan", "budget", "计划", "规划", "预算")
_RATE_WORDS: Final = ("兑", "兌", "汇率", "匯率", "exchange rate")
# An exchange rate around a figure: "1美元兑31.6元", "汇率31.01元", "an exchange rate of 7.1".
_PER_CURRENCY: Final = re.compile(r"[兑兌]")
_EXCHANGE_RATE: Final = re.compile(r"(?:汇率|匯率|exchange\s+rate)[^\d]{0,8}$")
_LOSS_WORDS: Final = ("market", "valuation", "value", "rout", "wipeout", "wipe-out", "sell", "市值")
# Every investing, raising, funding or deal cue of roles holds one of these (lower case).
_DEAL_WORDS: Final = (
    "invest", "lead", "led", "back", "particip", "pour", "put", "inject", "stake", "rais", "secur",
    "clos", "land", "get", "got", "receiv", "attract", "round", "funding", "series", "venture",
    "valuation", "seed", "buy", "bought", "purchas", "order", "deal", "contract", "agreement",
    "partnership", "sign", "ink", "struck", "strike", "lease", "rent", "suppl", "pact", "commit",
    "投资", "领投", "注资", "入股", "参投", "融资", "募资", "获", "完成", "轮", "估值", "采购",
    "购买", "订单", "合同", "协议", "签", "合作", "租用", "供应",
)  # fmt: skip
_PARTY_ZH: Final = ("与", "和", "跟", "投资", "入股", "注资")
_LOSS_VERBS: Final = (
    "wip", "eras", "los", "shed", "knock", "slash", "evaporat", "vaporiz", "destroy", "rout",
    "sell-off", "selloff", "蒸发",
    "缩水", "抹去", "损失", "减少",
)  # fmt: skip
_RAISE_WORDS: Final = ("rais", "secur", "land", "融资", "募")
_ORG_HINT: Final = re.compile(
    r"(?<![A-Za-z])(?:Inc|Incorporated|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|PLC|plc|Group"
    r"|Holdings?|Co\.|N\.V|S\.A|AG|SE|GmbH|Technologies|Technology|Labs|Semiconductors?|Networks"
    r"|Systems|Platforms|Robotics|Computing|Energy|Therapeutics|Bancorp)(?![a-z])|\(\s*[A-Z][A-Za-z ]*:"
    r"|集团|公司|控股"
)
_DATED_WORDS: Final = (
    "found", "establish", "incorporat", "creat", "start", "launch", "set up", "list", "public",
    "ipo", "spun", "born", "dating", "dates back", "成立", "创", "上市", "始于",
)  # fmt: skip
_BASE_WORDS: Final = (
    "较", "比", "than", "over", "vs", "compared", "from", "same period", "同期", "that of",
)  # fmt: skip
_RESULTS: Final = frozenset(
    ["revenue", "profit", "eps", "operating_income", "free_cash_flow", "backlog", "users"]
)


def _latin(words: tuple[str, ...]) -> tuple[str, ...]:
    """The ASCII words of ``words``: all that an ASCII text can hold."""
    return tuple(w for w in words if w.isascii())


_LOSS_WORDS_A: Final = _latin(_LOSS_WORDS)
_LOSS_VERBS_A: Final = _latin(_LOSS_VERBS)
_RAISE_WORDS_A: Final = _latin(_RAISE_WORDS)
_ESTIMATE_AFTER_A: Final = _latin(_ESTIMATE_AFTER_WORDS)
_DEAL_WORDS_A: Final = _latin(_DEAL_WORDS)
_DATED_A: Final = _latin(_DATED_WORDS)
_BASE_A: Final = _latin(_BASE_WORDS)
# No share trades this high (Berkshire's A shares, the dearest, are under $1M; 10M covers won).
_SHARE_PRICE_MAX: Final = 1e7
# A supplier's name in the buyer's sentence: what follows it (a parenthetical such as
# "（Nvidia，NVDA）" skipped) is a purchase, or its products after a buying verb.
# "According to Constellation, …": the source speaks of itself; no object.
_ACCORDING: Final = re.compile(r"(?<![a-z])according\s+to\s*$", re.IGNORECASE)
# A name left out of the figure ("剔除爱奇艺后为2904亿元", "不包括阿里云", "excluding iQIYI"): not
# its owner, nor the company later figures of the sentence are about.
_EXCLUDED: Final = re.compile(
    r"(?:剔除|不包括|不包含|不含|扣除|除去|除了|(?<![解免删清拆排消])除|\bexcluding|\bexcl\.)\s*$"
)
# What opens an appositive or relative clause: ", a major supplier to …,", ", which …,".
_APPOSITIVE: Final = re.compile(r"\s*(?:a|an|the|one\s+of|which|who|whose|whom|its)\s")
# Two companies' joint verb of a deal, right after the second: "Meta and Blue Owl strike a".
_JOINT_DEAL: Final = re.compile(
    r"\s+(?:(?:have|has|jointly|finally|reportedly|officially)\s+)*(?:strikes?|struck|signs?|signed"
    r"|inks?|inked|seals?|sealed|reach(?:es)?|reached|closes?|closed|finali[sz]es?|finali[sz]ed"
    r"|announces?|announced|unveils?|unveiled|agree[sd]?\s+(?:on|to))\b"
)
# Between two parties of a deal: "and", "与", with a few words describing the second
# ("Meta and private-credit firm Blue Owl", "Meta与美国另类资产管理巨头Blue Owl").
_JOINT_GAP: Final = re.compile(
    r"\s*(?:and|&|与|和|跟|同)\s*(?:(?:[a-z-]+\s+){0,3}|[^\s，,。；;：:、a-z]{0,12}?)"
)
# Chinese joint verbs right after the second party: "联手", "携手", "共同签署".
_ZH_JOINT: Final = re.compile(r"\s*(?:共同|一起|将|已)?(?:联手|携手|合作|签署|签订|达成|宣布)")
# The deal named right after its amount: "$30 billion deal", "$27 billion financing agreement".
_DEAL_NOUN_AFTER: Final = re.compile(
    r"\s+(?:[a-z-]+\s+){0,2}?(?:deal|agreement|pact|partnership|joint\s+venture|contract"
    r"|transaction|financing)s?\b"
)
# A market's spending named by what is bought, before its amount: "global spending on AI
# servers could exceed", "worldwide spending on data centres will reach about".
_MARKET_SPEND: Final = re.compile(
    r"\b(?:global|worldwide|world|total\s+global|industry-wide)\s+(?:spending|spend|investment|sales"
    r"|demand)\s+on\s+(?P<what>(?:[a-z0-9-]+\s+){0,3}?[a-z0-9-]+)\s+(?:(?:could|will|would|may"
    r"|might|is|are|was|were|to|should)\s+)?(?:(?:be|rise|grow|reach|hit|exceed|top|surpass"
    r"|climb|total|jump)\w*\s+)?(?:(?:about|around|over|more\s+than|nearly|roughly|some"
    r"|almost|at\s+least)\s+)?$"
)
# The owner of a Chinese project named right after its amount: "5000亿美元的“Stargate”…计划".
_ZH_OWNED_OPEN: Final = re.compile(r"的\s*[“\"「『]?\s*")
_ZH_OWNED_NOUN: Final = re.compile(
    r"\s*[”\"」』]?[^，,。；;：:、“”]{0,16}?(?:计划|项目|工程|基金|园区|基地)"
)
# A passive's "by" naming a plural group right after an amount: "$209bn spent by US venture
# capitalists", "$40 billion raised by AI start-ups last year".
_GROUP_AGENT: Final = re.compile(
    r"\s+(?:(?:in|on)\s+[a-z-]+\s+)?(?:spent|raised|invested|poured|committed|deployed|borrowed"
    r"|plowed|ploughed|put|paid)\s+(?:[a-z]+\s+){0,2}?by\s+(?:the\s+)?(?P<who>(?:[a-z0-9.&-]+\s+){0,3}?"
    r"(?:investors|capitalists|venture\s+firms|vc\s+firms|vcs|funds|companies|firms|start-?ups"
    r"|businesses|corporations|groups|lenders|banks|governments|states|buyers|developers"
    r"|operators|hyperscalers|chipmakers|tech\s+giants))\b"
)
_NAMED_AFTER: Final = re.compile(
    r",?\s+(?:including|includ|such\s+as|like|led\s+by|among\s+them)\b"
)
# A purpose naming whom money helps, right before that company: "to help build Meta's",
# "to fund OpenAI's", "to help finance".
_BENEFICIARY: Final = re.compile(
    r"\bto\s+(?:help\s+(?:to\s+)?)?(?:build|fund|finance|bankroll|pay\s+for|back|support)"
    r"\s+(?:the\s+)?$"
)
# Many projects summed: "RM164 billion in data centre projects", "42 approved projects
# worth"; "42 projects worth RM164 billion" (the amount after a count of projects).
_PROJECTS_AFTER: Final = re.compile(
    r"\s+(?:(?:in|of|across|for)\s+(?:[a-z0-9-]+\s+){0,3}?projects\b"
    r"|(?:[a-z-]+\s+){0,2}?projects\s+(?:worth|valued|totall?ing|with\s+a\s+(?:combined|total))\b)"
)
_PROJECTS_BEFORE: Final = re.compile(
    r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|several|multiple|dozens\s+of)"
    r"\s+(?:[a-z-]+\s+){0,3}?projects\s+(?:worth|valued\s+at|totall?ing"
    r"|with\s+a\s+(?:combined|total)\s+(?:value|investment)\s+of)\s+(?:(?:about|around|over"
    r"|nearly|more\s+than|some|roughly|almost)\s+)?$"
)
_ZH_PROJECTS_BEFORE: Final = re.compile(
    r"(?:\d+|[两二三四五六七八九十百几数多]+)个?[^，,。；;]{0,8}?项目[，,]?(?:的)?(?:总投资额?|投资总额"
    r"|总金额|总额|合计|总值|计划总投资)(?:约|达|超过?|逾|近|为)?\s*$"
)
# Right after an amount, before its giver: "$2 billion from Google", "$1bn more from the".
_FROM_GIVER: Final = re.compile(r"\s+(?:(?:more|each|apiece)\s+)?from\s+(?:the\s+)?")
_INTO: Final = re.compile(r"(?<![a-z])in(?:to)?\s+$")
# What an investor's money goes into, right after the figure: "$4 billion into it", "$2B in
# January" (a period, no object), "$80 billion in data centers" (an object of its own).
_INVESTED_IN: Final = re.compile(r"\s*(?:[a-z$.,-]+\s+){0,3}?(?:in|into)\s+(?=\S)")
# An investing verb whose object is an amount: "invested $2B", "will invest an initial",
# "poured about", "injects a further" (then the amount).
_CHEQUE: Final = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|pour(?:s|ed|ing)?|inject(?:s|ed|ing)?|plough(?:s|ed)?|plow(?:s|ed)?)"
    r"(?:\s+(?:a|an|the|another|additional|initial|further|fresh|first|about|around|roughly"
    r"|nearly|almost|some|up|to|more|than|over|as\s+much\s+as))*\s+(?=[$\d]|[a-z]{1,3}\$)"
)
# What a company named right after an amount owns: a project, a round, a budget ("the $500
# billion Stargate project", "$20 billion xAI financing"), up to two words before the noun.
# Deals, orders and products are left out: a deal's money may be the other party's.
_OWNED_NOUN_AFTER: Final = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}?(?:projects?|rounds?|financing|fundraising|funding|investments?"
    r"|initiatives?|programs?|programmes?|budgets?|capex|build-?outs?|expansions?|ventures?"
    r"|campus(?:es)?|bonds?|loans?|facility|facilities|valuation|ipo|offering)\b"
)
# A passive investing verb right before the other party: "led by", "backed by", "co-led by".
_BY_INVESTOR: Final = re.compile(
    r"\b(?:led|co-led|backed|financed|funded|invested|anchored)\s+(?:jointly\s+)?by\s+(?:the\s+)?$"
)
# An amount named an investment: "$40 billion investment", "$7.5bn equity investment".
_AMOUNT_INVESTMENT: Final = re.compile(
    r"\d(?:\s*(?:billion|million|trillion|bn|mn|[bmt]))?\s+(?:[a-z-]+\s+)?investments?\b"
)
# A bank's or research firm's forecasters: "Morgan Stanley strategists", "Goldman economists".
_FORECASTERS_AFTER: Final = re.compile(
    r"(?:'s|’s)?\s+(?:[a-z]+\s+)?(?:strategists?|economists?|analysts?|researchers?)\b"
)
# A bank's estimate said as a noun right after its name: "a Morgan Stanley estimate of".
_ESTIMATE_NOUN: Final = re.compile(
    r"(?:'s|’s)?\s+(?:[a-z]+\s+)?(?:estimates?|forecasts?|projections?|consensus)\b"
)
# An investor's name as a modifier: "SoftBank-led", "Nvidia-backed".
_LED_AFTER: Final = re.compile(r"-(?:led|backed|funded|financed)\b")
# An object behind a possessive: "led by Japan's SoftBank", "from China's Alibaba".
_OBJECT_POSSESSIVE: Final = re.compile(
    r"(?<![a-z])(?:by|from|with|to|into|than|against)\s+[a-z.]+(?:'s|’s)\s+$"
)
# A deal's purpose said right after its other party: "with Meta to supply computing power".
_SUPPLIER_PURPOSE: Final = re.compile(
    r"\s*(?:,\s*)?(?:to|that\s+will|which\s+will|under\s+which\s+it\s+will)\s+"
    r"(?:suppl|provid|deliver|rent|lease|sell)\w*\b"
)
# A sale by the subject: the money is proceeds, not funding raised.
_SOLD: Final = re.compile(r"\b(?:sold|sells?|selling|divest\w*|offload\w*|unload\w*)\b")
_WITH_BEFORE: Final = re.compile(r"(?<![a-z])with\s+$")
# A participle or "expected to" right after a name: the name is its clause's subject.
_PARTICIPLE_AFTER: Final = re.compile(
    r"(?:'s|’s)?\s+(?:(?:also|now|reportedly)\s+)?(?:expected|set|poised|slated|due|likely"
    r"|(?:invest|provid|contribut|commit|tak|putt|pledg|add|supply|supplyi|lend|agree)ing)\b"
)
_INVESTEE_ANAPHOR: Final = re.compile(
    r"(?:it|them|the\s+(?:[a-z-]+\s+)?(?:company|startup|start-up|firm|lab|group|business))\b"
)
# A funding round's words around an investor's cheque ("tranche", "the second-largest
# shareholder", "a stake"): the money is the company's round.
_ROUND_WORDS: Final = re.compile(
    r"\b(?:round|funding|tranche|shareholders?|stake|valuation|series\s+[a-h]|fundraising)\b"
)
# A company's valuation said: "valuation", "valued at", "values the startup at".
_VALUED: Final = re.compile(r"\bvalu(?:ations?\b|ed\s+at\b|es\s+(?:[\w-]+\s+){1,3}?at\b)")
# An exchange named in a ticker or a listing: "(Nasdaq: NVDA)", "Nasdaq-listed".
_EXCHANGE_AFTER: Final = re.compile(r"\s*:|-listed\b|\s+listed\b")
# A bank's work on a deal, not its forecast: "arranged", "facilitated", "underwrote".
_ARRANGED: Final = re.compile(
    r"\b(?:arrang|facilitat|underwr|structur|syndicat|advis)(?:e|es|ed|ing|ote|iting|itten)?\b"
)
_RELATIVE: Final = re.compile(r"\b(?:that|which|who|whose|where)\b")
# The party a loan or a deal is for, after the amount: "a $38 billion loan for Oracle".
_FOR_PARTY: Final = re.compile(r"\b(?:for|to)\s+(?:the\s+)?(?=[a-z0-9])")
# "Shares of AMD jumped 25%": the company whose shares they are is the subject, not an object.
_SHARES_OF: Final = re.compile(r"(?<![a-z])(?:shares|stock|stocks)\s+of\s*$", re.IGNORECASE)
_PAREN_SKIP: Final = r"(?:[（(]?[^（()）。]{0,30}[）)])?\s*"
_PURCHASED: Final = r"(?:采购|购买|订购|购入)"
_PURCHASED_AFTER: Final = re.compile(_PAREN_SKIP + _PURCHASED)
# A name listed among a deal's investors ("腾讯等投资方", "Tencent and other investors"): not the
# company raising the money.
_INVESTORS_AFTER: Final = re.compile(
    r"\s*(?:等|在内的|为首的)?(?:多家|多位|其他)?(?:投资方|投资者|投资人|投资机构|股东|机构)"
    r"|,?\s*(?:and|among)\s+other\s+(?:investors|backers)\b"
)
_PRODUCT: Final = (
    r"(?:的)?(?:芯片|晶片|gpu|显卡|硬件|处理器|加速器|服务器|h\d{2,3}|b\d{2,3})"
    r"|\s*(?:chips?|gpus?|accelerators?|hardware|processors?|servers?)\b"
)
_PRODUCT_AFTER: Final = re.compile(_PAREN_SKIP + _PRODUCT)
# The two without the parenthetical: what they match where no closing bracket is near enough
# for _PAREN_SKIP (32 characters: its optional group's longest match), which then matches
# nothing and only its "\s*" is left; its 30-character run and back again cost more than the
# rest of the pattern.
_PAREN_REACH: Final = 32
_PURCHASED_AFTER_NP: Final = re.compile(r"\s*" + _PURCHASED)
_PRODUCT_AFTER_NP: Final = re.compile(r"\s*" + _PRODUCT)
# Every _PURCHASED_AFTER / _PRODUCT_AFTER match holds one of these, or _HB_DIGITS.
_SUPPLY_WORDS: Final = (
    "采购", "购买", "订购", "购入", "芯片", "晶片", "gpu", "显卡", "硬件", "处理器", "加速器",
    "服务器", "chip", "accelerator", "hardware", "processor", "server",
)  # fmt: skip
_SUPPLY_WORDS_A: Final = tuple(w for w in _SUPPLY_WORDS if w.isascii())
_HB_DIGITS: Final = re.compile(r"[hb]\d\d")


def _hb_digits(low: str) -> bool:
    """``_HB_DIGITS.search(low) is not None`` with ``str.find`` (the regex tries its class at
    every character; str.isdecimal is re's \\d)."""
    for c in "hb":
        i = low.find(c)
        while i >= 0:
            pair = low[i + 1 : i + 3]
            if len(pair) == 2 and pair.isdecimal():
                return True
            i = low.find(c, i + 1)
    return False


_BUY_BEFORE: Final = re.compile(
    r"(?:买|购买|采购|订购|购入|\b(?:buy|buys|buying|bought|purchas\w*|order\w*|on))\s*$"
)
# "for the year" (not "for the year to date"): a full year's figure, like "full-year".
_FULL_YEAR: Final = re.compile(
    r"\bfull[- ]year\b|\bfor\s+the\s+(?:full\s+|fiscal\s+|whole\s+)?year\b(?![\s-]+to[\s-]+date)"
    r"|\bannual\b|全年|年度"
)


def _full_year(low: str, lo: int, hi: int) -> bool:
    """``_FULL_YEAR.search(low, lo, hi)`` found something: every match holds "full", "annual",
    "the year", 全年 or 年度, and the regex (``\\b`` first: no skipping ahead) is only run where one is."""
    w = low[lo:hi]
    if not ("full" in w or "annual" in w or "全年" in w or "年度" in w or "the year" in w):
        return False
    return _FULL_YEAR.search(low, lo, hi) is not None


_QUARTERLY: Final = re.compile(r"\bquarterly\b|\bin\s+the\s+quarter\b|单季|当季|本季")
_FISCAL_BEFORE: Final = re.compile(r"\bfiscal(?:\s+year)?\s*$|财年\s*$|财政年度\s*$")


class _Periods:
    def __init__(self, mentions: list[PeriodMention], low: str) -> None:
        # A year that dates something else ("founded in 2015") is no figure's period.
        zh = not low.isascii()
        dated = False
        for p in mentions:  # a plain loop: compiled, cheaper than any() over a generator
            if p.value is not None and p.value[:1].isdigit():
                dated = _has(low, _DATED_WORDS if zh else _DATED_A)
                break
        self.low = low
        self.items = [
            p
            for p in mentions
            if p.value is not None
            and not (
                dated
                and p.value[:1].isdigit()
                and _NOT_ABOUT.search(low, max(0, p.start - 24), p.start) is not None
            )
        ]
        self.starts = [p.start for p in self.items]
        # Periods a change is measured from ("较去年", "over 2025"): the base, not its period.
        self.bases = (
            {
                p.start
                for p in self.items
                if _BASE_BEFORE.search(low, max(0, p.start - 16), p.start) is not None
                or _BASE_AFTER.match(low, p.end) is not None
            }
            if self.items and _has(low, _BASE_WORDS if zh else _BASE_A)
            else set()
        )

    def nearest(
        self,
        start: int,
        end: int,
        lo: int,
        hi: int,
        skip: list[tuple[int, int]],
        level: bool,
        zh: bool = False,
    ) -> PeriodMention | None:
        """The period closest to [start, end) within [lo, hi), skipping regions (and, for a
        level, windows such as "since 1992": a level is not measured since a date). ``zh``:
        the figure's sentence is Chinese (see below)."""
        if not self.items:
            return None  # half the sentences with figures name no period: skip the searches
        i = bisect.bisect_left(self.starts, start)
        items = self.items
        # Plain loops (no generators): this runs up to three times per figure.
        before = None
        for k in range(i - 1, max(0, i - _STEPS) - 1, -1):
            p = items[k]
            if p.start >= lo and p.end <= start and not (skip and _skipped(p, skip)):
                if level and p.value is not None and p.value.startswith("since "):
                    continue
                if zh and self._in_aside(p, start):
                    continue  # "（包括4月底推出的淘宝闪购）收入按年增12%": the aside's date
                if p.start in self.bases and (not level or self._far(p.end, start)):
                    continue
                before = p
                break
        after = None
        for k in range(i, min(len(items), i + _STEPS)):
            p = items[k]
            if p.start >= end and p.end <= hi and not (skip and _skipped(p, skip)):
                if p.value is not None and (
                    (level and p.value.startswith("since ")) or (zh and _window(p.value))
                ):
                    # Chinese puts a figure's period before it: a window after it ("创下四年来
                    # 最高增速", "自2024年第二季度以来连续第六个季度") dates a record or a streak.
                    continue
                if (
                    level
                    and gates.has_any_in(self.low, gates.COMPARED_WORDS, end, p.start)
                    and _COMPARED_GAP.search(self.low, end, p.start) is not None
                ):
                    # "$4.60 billion versus $3.85 billion in Q3'24": the other number's period
                    continue
                if " - " in self.low[end : p.start]:
                    break  # past a dash: an aside's period ("143% — first-quarter revenue …")
                if p.start in self.bases and (not level or self._far(end, p.start)):
                    continue
                after = p
                break
        if before is None or (after is not None and after.start - end < start - before.end):
            return after
        return before

    def _in_aside(self, p: PeriodMention, pos: int) -> bool:
        """``p`` stands inside brackets that close before ``pos``: an aside's period."""
        low = self.low
        close = _CLOSE_BRACKET.search(low, p.end, pos)
        if close is None:
            return False
        opened = max(
            low.rfind("(", max(0, p.start - 40), p.start),
            low.rfind("（", max(0, p.start - 40), p.start),
        )
        return opened >= 0 and _CLOSE_BRACKET.search(low, opened, p.start) is None

    def _far(self, a: int, b: int) -> bool:
        """A base period at [a, b) of a level belongs to another number or comparison."""
        return _BASE_FAR.search(self.low, a, b) is not None

    def before(self, pos: int, lo: int, skip: list[tuple[int, int]]) -> PeriodMention | None:
        if not self.items:
            return None
        i = bisect.bisect_right(self.starts, pos)
        for p in reversed(self.items[max(0, i - _STEPS) : i]):
            if p.start < lo:
                return None
            if p.end <= pos and not _skipped(p, skip):
                if p.value is not None and p.value.startswith("since "):
                    continue
                if p.start in self.bases:
                    continue  # the base of another sentence's change
                return p
        return None

    def inside_move(self, m: Mention, zh: bool) -> PeriodMention | None:
        """The period that dates a Chinese move's new value inside its span ("从2022年的742亿元递减
        至2025年的542亿元": 2025): the last one before the new value, with the old value
        between it and the period before it (else it dates the old value: "从2022年的742亿元
        降至542亿元")."""
        if not zh or not self.items or m.head <= m.start:
            return None  # English dates a value after it ("from $74B in 2022 to $54B in 2025")
        i = bisect.bisect_left(self.starts, m.start)
        last = None
        prev_end = m.start
        while i < len(self.items) and self.items[i].end <= m.head:
            p = self.items[i]
            i += 1
            if p.start < m.start:
                continue
            if p.value is not None and not _window(p.value) and p.start not in self.bases:
                # the old value stands between the previous period and this one
                last = p if _DIGIT.search(self.low, prev_end, p.start) is not None else None
            prev_end = p.end
        return last

    def since_right_before(self, pos: int) -> str | None:
        """The point of a "since" window that ends right before the amount at ``pos`` ("从2025年
        约850亿元"): the amount is the level at that point, the start of a move (Chinese)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        p = self.items[i]
        v = p.value
        if v is None or not v.startswith("since ") or p.end > pos:
            return None
        if _LEVEL_AT_GAP.fullmatch(self.low, p.end, pos) is None:
            return None
        return v[6:]

    def part_before(self, pos: int) -> PeriodMention | None:
        """The nearest calendar part of a year ("2025-Q3", "2025-H1", "2025-Q1..Q3") named
        before ``pos`` anywhere in the text, not itself a base."""
        i = bisect.bisect_right(self.starts, pos)
        for p in reversed(self.items[max(0, i - _STEPS) : i]):
            v = p.value
            if v is not None and v[:2] == "FY":
                v = v[2:]
            if (
                p.end <= pos
                and v is not None
                and v[:4].isdigit()
                and v[4:6] in ("-Q", "-H")
                and p.start not in self.bases
            ):
                return p
        return None

    def quarter_before(self, pos: int, lo: int) -> PeriodMention | None:
        """The nearest quarter period before ``pos`` from ``lo`` on."""
        i = bisect.bisect_right(self.starts, pos)
        for p in reversed(self.items[max(0, i - _STEPS) : i]):
            if p.start < lo:
                return None
            if p.end <= pos and p.value is not None and "-Q" in p.value and ".." not in p.value:
                return p
        return None


def _stretch(value: str | None, written: str) -> bool:
    """A period up to now, not a point: a window from a point ("since 2024-Q2") or the past
    years ("四年来", ``written`` being the mention and the character after it)."""
    return value is not None and (
        value.startswith("since ") or (value.endswith("-year") and written.endswith("来"))
    )


def _title_subject(lex: Lexicon, title: str) -> str | None:
    """The company a title is about: its first company or segment (the parent); else the
    company of its first person ("Elon Musk's xAI raising $20 billion" is xAI's)."""
    t = simplified(normalize(title))
    person = None
    for _, _, label in lex.find_entities(t):
        role = lex.role(label)
        if role == COMPANY:
            return label
        if role == SEGMENT:
            return lex.parent(label)
        if role == PERSON and person is None:
            companies = lex.companies_of(label)
            if companies:
                person = companies[0]
    return person


def _lead_subject(lex: Lexicon, norm: str, lay: Layout, title: str) -> str | None:
    """The company of an article whose title names none: the one its lead sentence (the
    body's first sentence) opens with, when that sentence names no other company ("Major
    company announces record investment" / "Amazon announced a $20 billion investment in
    Pennsylvania on Monday."). A lead about several companies has no single subject."""
    t = normalize(title).strip()
    for k, start in enumerate(lay.seg_starts):
        seg = norm[start : lay.seg_ends[k]].strip()
        if not seg or seg == simplified(t) or simplified(t).startswith(seg):
            continue  # the title itself, opening the text (or a sentence of it)
        hits = lex.find_entities(seg)
        if not hits:
            return None
        labels = {h[2] if lex.role(h[2]) != SEGMENT else lex.parent(h[2]) for h in hits}
        first = hits[0]
        if len(labels) != 1 or lex.role(first[2]) not in (COMPANY, SEGMENT):
            return None
        if len(seg[: first[0]].split()) > 3 and not seg[: first[0]].rstrip().endswith(("-", "—")):
            return None  # not its subject: "Shares rose after …"; a dateline may come first
        return first[2] if lex.role(first[2]) == COMPANY else lex.parent(first[2])
    return None


# The lexicon whose first words _first_words gave last, and those words.
_firsts_cache: list[tuple[Lexicon, frozenset[bytes]]] = []


def _first_words(lex: Lexicon) -> frozenset[bytes]:
    """The first words of every phrase finder extract() runs on ASCII text: the lexicon's
    (names, metrics) and the kind cues'."""
    for cached, words in _firsts_cache:
        if cached is lex:
            return words
    words = lex.first_words | roles.CUE_FIRSTS
    _firsts_cache[:] = [(lex, words)]
    return words


def extract(
    text: str,
    *,
    published: dt.date | None = None,
    lang: Lang | None = None,
    rates: Mapping[str, float] | None = None,
    lexicon: Lexicon | None = None,
    title: str | None = None,
) -> list[Figure]:
    """Key figures in ``text`` in order of appearance (see the module docstring for the rules).

    ``lang`` None detects the language per sentence; ``rates`` maps ISO code -> USD per unit;
    ``published`` anchors relative periods; ``lexicon`` defaults to :func:`default_lexicon`.
    ``title``: the headline of an article whose body is ``text`` (it may also open ``text``):
    the company it names is the subject that "the company", "it", "该公司" and sentences
    naming no company refer to.
    """
    if not text:
        return []
    lex = lexicon or default_lexicon()
    if isinstance(published, dt.datetime):
        published = published.date()
    # Same length as the text (offsets hold): ASCII-fied punctuation, simplified characters.
    written = normalize(text)
    norm = simplified(written)
    # One lower-cased copy for every step's case-insensitive matching (see textfold).
    folded = fold(norm)
    # Number forms are read as written: the script itself tells Taiwan's 元 (TWD) and 兆 apart.
    mentions = scan(norm, folded) if norm is written else scan(written, fold(written))
    if not mentions and not any(c in norm for c in "倍番斩斬半") and "oubl" not in norm:
        return []
    lay = layout(norm)
    # For ASCII text the lower-cased copy is the one find_metrics makes (only A-Z lowered), and
    # both lexicon lookups start from its words: one tokenizer pass.
    low = folded if folded is not None and norm.isascii() else None
    # Only the words some phrase starts with: each finder's own intersection is then short.
    low_words = _first_words(lex).intersection(wordscan.words(low)) if low is not None else None
    ents = _Index(lex.find_entities(norm, low, low_words))
    mets = _Index(lex.find_metrics(norm, low, low_words))
    if folded is not None:
        side = sidenouns.side_spans(folded)
        if side:
            mets = _Index(sidenouns.merge(mets.spans, side))
    periods = _Periods(find_periods(norm, published, folded), folded or norm)
    ctx = _Context(text, norm, folded, lay, ents, mets, periods, lang, rates or {})
    ctx.lex = lex
    ctx.published = published
    ctx.cues = roles.Cues(ctx.low, low_words if low is not None else None)
    ctx.gates()
    ctx.subject = _title_subject(lex, title) if title else None
    if ctx.subject is None and title:
        ctx.subject = _lead_subject(lex, norm, lay, title)
    ctx.mention_starts = [m.start for m in mentions]
    _same_amount_currency(mentions)
    figures = [f for f in map(ctx.figure, mentions) if f is not None]
    # Mentions come in order of their (strictly increasing) starts: only the multiples, added
    # after them, can need a sort.
    extra = ctx.multiples(mentions)
    if extra:
        figures += extra
        figures.sort(key=lambda f: f.span)
    if any(f.unit == "W" for f in figures):
        figures = _deployers(ctx, figures)
        if ctx.folded and len(ctx.ents.spans) > 1:
            figures = _power_holders(ctx, figures)
    if (
        ctx.folded
        and len(ctx.ents.spans) > 1
        and ctx.text_gates.may(gates.SUPPLY)
        and _SUPPLY_WORD.search(ctx.low) is not None
    ):
        figures = _buyers(ctx, figures)
    if (
        ctx.folded
        and any(f.unit == "percent" for f in figures)
        and ctx.text_gates.may(gates.STAKE)
        and _STAKE_WORD.search(ctx.low)
    ):
        figures = _holders(ctx, figures)
    if ctx.folded and (" by " in ctx.low or " at " in ctx.low):
        figures = _elided(ctx, figures)
    return figures


# A list of changes sharing one verb (English): "capex rose at Alphabet by 30%, Amazon by 29%
# and Meta by 40%", "rose 30% at Alphabet, 29% at Amazon and 40% at Meta".
_AT_NAME_BY: Final = re.compile(r"\s(?:at|for|in)\s+[a-z0-9&.'’ -]{2,40}?\s+by\s+$")
_LIST_GAP: Final = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:at\s+|for\s+|in\s+)?(?P<name>[a-z0-9&.'’ -]{2,40}?)"
    r"(?:'s|’s)?\s+(?:by\s+)?"
)
_AT_AFTER: Final = re.compile(r"\s+(?:at|for)\s+")
_LIST_NEXT: Final = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|\.|;|$)")


def _elided(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """Changes listed under one verb, each its own company's: the first one's verb, metric and
    basis carry to the others ("…, Amazon by 29%"), a verb before "at <company> by" makes
    a change ("rose at Alphabet by 30%"), and in "30% at Alphabet, 29% at Amazon" each
    percent is the company named right after it."""
    low = ctx.low
    ents = ctx.ents
    out: list[Figure] = []
    owner_after: dict[int, str] = {}
    for f in figures:
        if f.unit == "percent" and f.lang == "en":
            m = _AT_AFTER.match(low, f.span[1])
            hit = ents.starting_at(m.end()) if m is not None else None
            if hit is not None and _LIST_NEXT.match(low, hit[1]) is not None:
                owner_after[f.span[0]] = hit[2]
    listed_after = len(owner_after) >= 2
    for f in figures:
        if f.unit != "percent" or f.lang != "en":
            out.append(f)
            continue
        a, b = f.span
        _, ss, se, _, _ = ctx.segment(a)
        update: dict[str, object] = {}
        owner = owner_after.get(a) if listed_after else None
        if owner is not None:
            entity, segment = ctx._company(owner, ss, se)[:2]
            if entity is not None and (entity, segment) != (f.entity, f.segment):
                update.update(entity=entity, segment=segment)
        prev = out[-1] if out else None
        if not f.is_change:
            at = _AT_NAME_BY.search(low, max(ss, a - 64), a)
            sign = 0
            if at is not None and ents.after(at.start(), a) is not None:
                sign = ql.change(low, at.start() + 1, b, max(ss, at.start() - 40), se, folded=True)
            if sign:
                update.update(is_change=True, value=sign * abs(f.value))
            elif (
                prev is not None
                and prev.is_change
                and prev.unit == "percent"
                and prev.span[1] >= ss
                and (owner is not None or _LIST_GAP.fullmatch(low, prev.span[1], a) is not None)
                and ents.after(prev.span[1], a if owner is None else se) is not None
            ):
                update.update(
                    is_change=True,
                    value=math.copysign(abs(f.value), prev.value),
                    change_basis=prev.change_basis,
                )
                if f.metric == "other":
                    update["metric"] = prev.metric
        out.append(f.model_copy(update=update) if update else f)
    return out


_STAKE_WORD: Final = re.compile(r"\b(?:stake|ownership|slice)\b")
# A percentage named a holding right after it: "a 10% stake", "close to 10% ownership",
# "a modest 20 per cent slice".
_STAKE_AFTER: Final = re.compile(
    r"\s*(?:per\s*cent\s+|percent\s+)?(?:[a-z-]+\s+){0,2}?(?:stake|ownership|slice)\b"
)
# Where a name is the company whose shares are held: "shares of AMD", "stake in Intel",
# "AMD shares" (the name followed by "shares"/"stock").
_ISSUER_BEFORE: Final = re.compile(
    r"(?:\bshares\s+of|\bstake\s+in|\bownership\s+of|\bownership\s+in)\s+(?:the\s+)?$"
)
_ISSUER_AFTER: Final = re.compile(r"(?:'s|’s)?\s+(?:shares|stock)\b")


def _holders(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """A stake is its holder's, never the company whose shares are held: "OpenAI will receive
    warrants to buy 160 million shares of AMD, close to 10% ownership" is OpenAI's 10%. A
    stake read as the issuer's goes to the other company of the sentence named before it,
    the issuer its counterparty; with none, to nobody (not a key figure)."""
    low, lex = ctx.low, ctx.lex
    out = []
    for f in figures:
        if (
            f.unit == "percent"
            and not f.is_change
            and f.entity is not None
            and _STAKE_AFTER.match(low, f.span[1], f.span[1] + 40) is not None
        ):
            _, ss, se, _, _ = ctx.segment(f.span[0])
            names = [h for h in ctx.ents.spans if ss <= h[0] < se and lex.role(h[2]) == COMPANY]
            issuers = {
                lab
                for s, e, lab in names
                if _ISSUER_BEFORE.search(low, max(ss, s - 20), s) is not None
                or _ISSUER_AFTER.match(low, e) is not None
            }
            if f.entity in issuers:
                holder = None
                for s, _, lab in names:
                    if s < f.span[0] and lab not in issuers:
                        holder = lab
                f = f.model_copy(update={"entity": holder, "counterparty": f.entity})
        out.append(f)
    return out


# A supplier's verb, the gate of _buyers (most texts hold none).
_SUPPLY_WORD: Final = re.compile(r"\b(?:provid|suppl|deliver|sell|sold|ship|rent|leas)")
# A deal's value: the sentence names the contract ("an agreement worth $19.4 billion", "the
# total contract value is $17.4 billion", "the option to buy an additional $2 billion").
_DEAL_NOUN: Final = re.compile(
    r"\b(?:contracts?|agreements?|deals?|orders?|commitments?|pacts?|buy|purchase)\b"
)


def _buyers(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """A deal's value is the buyer's spending, the supplier its counterparty, when the text
    says who supplies whom ("Nebius will deliver computing resources to Microsoft") and a
    sentence gives the deal's value under the supplier's name ("the provider … said it signed
    an agreement with Microsoft worth up to $19.4 billion"). The sentence must name the deal
    and the buyer (or have it as the figure's counterparty); a supplier with more than one
    buyer in the text is left alone (whose deal it is is not said)."""
    low, lex = ctx.low, ctx.lex
    spans = [h for h in ctx.ents.spans if lex.role(h[2]) == COMPANY]
    buyers: dict[str, set[str]] = {}
    for i, (_, e, sup) in enumerate(spans):
        seg = ctx.lay.segment(e)
        for s2, _, buyer in spans[i + 1 : i + 1 + _STEPS]:
            if ctx.lay.segment(s2) != seg:
                break
            if buyer != sup and roles.supplies_to(low, e, s2):
                buyers.setdefault(sup, set()).add(buyer)
    if not buyers:
        return figures
    out = []
    for f in figures:
        sold = buyers.get(f.entity or "")
        if (
            sold is not None
            and len(sold) == 1
            and f.unit in CURRENCIES
            and not f.is_change
            and f.metric in ("other", "spending", "investment")
            and f.kind != "aggregate"
        ):
            (buyer,) = sold
            _, ss, se, _, _ = ctx.segment(f.span[0])
            named = f.counterparty == buyer or any(
                lab == buyer for s, _, lab in spans if ss <= s < se
            )
            if named and _DEAL_NOUN.search(low, ss, se) is not None:
                f = f.model_copy(update={"entity": buyer, "counterparty": f.entity})
        out.append(f)
    return out


# A chip maker named as the maker of the hardware: "Nvidia GPUs", "AMD's accelerators", "NVIDIA
# chips and systems", "AMD will supply AI accelerators", "AMD will supply OpenAI with compute".
_HARDWARE: Final = (
    r"(?:chips?|gpus?|accelerators?|processors?|hardware|systems|silicon|superchips?)\b"
)
_MAKER_AFTER: Final = re.compile(
    r"(?:(?:'s|’s)\s+(?:[a-z0-9-]+\s+){0,2}?|\s+)"
    + _HARDWARE
    + r"(?!\s+(?:deals?|orders?|purchases?|contracts?|agreements?|pacts?|spending|budget|buys?)\b)"
    + r"|\s+(?:will\s+|to\s+|would\s+|is\s+to\s+)?(?:suppl|provid|deliver|sell)\w*\s+"
    r"(?:[a-z0-9'’-]+\s+){0,3}?"
    + _HARDWARE
    # "AMD will supply OpenAI with six gigawatts of AI compute": a buyer supplied with compute
    + r"|\s+(?:will\s+|to\s+)?(?:suppl|provid)\w*\s+[a-z0-9.-]+\s+with\b[^.;]{0,60}?"
    r"\b(?:compute|computing|chips?|gpus?|accelerators?)\b"
    # "部署10吉瓦的NVIDIA系统", "英伟达的芯片", "AMD GPU": the same in Chinese text
    r"|\s*(?:的|旗下)?\s*(?:芯片|晶片|系统|系統|gpu|加速器|加速卡|处理器|處理器|服务器|伺服器)",
)


# "Nvidia's $100 billion megadeal with OpenAI": the sentence frames the deal as the maker's own.
_OWN_DEAL_AFTER: Final = re.compile(
    r"(?:'s|’s)\s+(?:[\w$.,-]+\s+){0,4}?(?:mega)?(?:deal|partnership|agreement|pact|contract)\s+with\b"
)


def _deployers(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """Power capacity in a chip deal is the buyer's, who deploys it: "AMD will supply 6 GW of
    GPUs to OpenAI", "OpenAI will build 10 GW using Nvidia systems". A capacity credited to the
    text's chip maker (named before its hardware) goes to the other party of the sentence, else
    the article's subject, else the headline's other company; the maker is its counterparty."""
    low, lex = ctx.low, ctx.lex
    makers: set[str] = set()
    for _, e, lab in ctx.ents.spans:
        if lex.role(lab) == COMPANY and _MAKER_AFTER.match(low, e, e + 60) is not None:
            makers.add(lab)
    if not makers:
        return figures

    def buyer_in(lo: int, hi: int, maker: str) -> str | None:
        i = bisect.bisect_left(ctx.ents.starts, lo)
        for s, _, lab in ctx.ents.spans[i:]:
            if s >= hi:
                break
            if lab != maker and lab not in makers and lex.role(lab) == COMPANY:
                return lab
        return None

    out = []
    for f in figures:
        if f.unit == "W" and f.entity in makers and f.kind != "aggregate":
            _, ss, se, _, _ = ctx.segment(f.span[0])
            i = bisect.bisect_left(ctx.ents.starts, max(ctx.lay.para_bounds(ss)[0], ss - 240))
            if any(
                lab == f.entity and s < se and _OWN_DEAL_AFTER.match(low, e, e + 80)
                for s, e, lab in ctx.ents.spans[i : i + 8]
            ):
                out.append(f)
                continue
            buyer = buyer_in(ss, se, f.entity)
            if buyer is None and ctx.subject not in makers and ctx.subject != f.entity:
                buyer = ctx.subject
            if buyer is None and ctx.lay.seg_ends:
                buyer = buyer_in(0, ctx.lay.seg_ends[0], f.entity)
            if buyer is not None:
                f = f.model_copy(update={"entity": buyer, "counterparty": f.entity})
        out.append(f)
    return out


# "The Three Mile Island plant is owned and operated by energy giant Constellation Energy":
# the verb before the owner's name (up to three words describing it between).
_OWNED_BY: Final = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:jointly|wholly|majority|fully|now)\s+)?(?:owned|operated|run"
    r"|controlled)(?:\s+and\s+(?:owned|operated|run|controlled))?\s+by\s+(?:the\s+)?"
    r"(?:[a-z-]+\s+){0,3}?$"
)
# The capitalised name a sentence opens with (after a bullet and "The"): "Three Mile Island".
_OPENING_NAME: Final = re.compile(
    r"[\s\-*•·]*(?:The\s+|Once\s+[a-z]+,\s+)?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})"
)


def _power_holders(ctx: _Context, figures: list[Figure]) -> list[Figure]:
    """Power capacity of a sentence that names no company belongs to whoever holds what it is
    about: the owner of a named plant or site ("Three Mile Island is owned by Constellation
    Energy. … Three Mile Island could produce 837 megawatts"), or the company the subject
    invests in ("Nvidia is pouring $100 billion into OpenAI. … The deployment targets 10
    gigawatts": the investee deploys it, the investor is its counterparty)."""
    low, lex, norm = ctx.low, ctx.lex, ctx.norm
    spans = [h for h in ctx.ents.spans if lex.role(h[2]) == COMPANY]
    owned: dict[str, str] = {}
    investees: dict[str, set[str]] = {}
    for i, (s, e, lab) in enumerate(spans):
        _, ss, _, _, _ = ctx.segment(s)
        if _OWNED_BY.search(low, max(ss, s - 80), s) is not None:
            m = _OPENING_NAME.match(norm, ss)
            if m is not None and m.end() <= s:
                name = m.group("name")
                if not ctx._is_known(name) and len(name) > 3:
                    owned.setdefault(name, lab)
        for s2, _, other in spans[i + 1 : i + 1 + _STEPS]:
            if ctx.lay.segment(s2) != ctx.lay.segment(s) or other == lab:
                break
            if (
                roles.invests(low, e, s2)
                and _INTO.search(low, max(e, s2 - 8), s2) is not None
                and not roles.raises(low, e, s2)
            ):
                investees.setdefault(lab, set()).add(other)
    if not owned and not investees:
        return figures
    out = []
    for f in figures:
        entity = f.entity
        if f.unit == "W" and f.kind != "aggregate" and entity is not None:
            _, ss, se, _, _ = ctx.segment(f.span[0])
            if not any(ss <= s < se for s, _, _ in spans):
                m = _OPENING_NAME.match(norm, ss)
                opener = m.group("name") if m is not None and m.end() <= f.span[0] else None
                holder = owned.get(opener or "")
                if holder is not None and holder != entity:
                    f = f.model_copy(update={"entity": holder, "counterparty": None})
                elif len(investees.get(entity, ())) == 1:
                    (investee,) = investees[entity]
                    f = f.model_copy(update={"entity": investee, "counterparty": entity})
        out.append(f)
    return out


def _year_before(period: str | None) -> str | None:
    """``period`` ("2025-Q3", "FY2026-H1", "2025") a year earlier; None if it has no year."""
    if period is None:
        return None
    fy = period.startswith("FY")
    y = period[2:6] if fy else period[:4]
    if not y.isdigit():
        return None
    return ("FY" if fy else "") + str(int(y) - 1) + period[6 if fy else 4 :]


def _same_amount_currency(mentions: list[Mention]) -> None:
    """An amount whose currency is not written ("燒錢5萬億", "2000亿军备赛", "191亿狂烧" in a
    headline; "Alphabet 185 billion AI investment", billions of nothing named) that the text
    states elsewhere with its currency ("約5萬億港幣", "2000亿美金", "191.1亿元", "$185
    billion"; the same amount, or it rounded) takes that currency."""
    loose = [
        m
        for m in mentions
        if m.bare_yuan
        or (
            m.unit == "count"
            and m.noun is None
            and (m.mag_kind == "cjk" or (m.mag_kind == "word" and abs(m.value) >= 1e9))
        )
    ]
    if not loose:
        return
    # (value, currency, a bare 元?), each once: a text repeating an amount stays linear.
    seen: set[tuple[float, str, bool]] = set()
    for m in mentions:
        if m.unit is not None and len(m.unit) == 3 and m.unit.isupper():
            seen.add((m.value, m.unit, m.bare_yuan))
        c = m.conversion
        if c is not None and len(c.unit) == 3:
            seen.add((c.value, c.unit, False))
    if not seen:
        return
    said = sorted(seen)
    values = [v for v, _, _ in said]
    for m in loose:
        # The amounts within 0.5 % of this one (sorted: a bisection, not a scan of them all).
        v = abs(m.value)
        i = bisect.bisect_left(values, m.value - 0.005 * v)
        while i < len(said) and said[i][0] <= m.value + 0.005 * v:
            value, unit, bare = said[i]
            i += 1
            if unit != m.unit and not (bare and m.bare_yuan) and value != 0:
                m.unit, m.bare_yuan = unit, bare
                break


# Who a figure is about: (entity, segment, counterparty, entity known?, kind it forces or "").
_Who = tuple[str | None, str | None, str | None, bool, str]
_NOBODY: Final[_Who] = (None, None, None, True, "")


# How far before a group (三大运营商) the list of its members may be (characters).
_GROUP_REACH: Final = 1500


class _Context:
    def __init__(
        self,
        text: str,
        norm: str,
        folded: str | None,
        lay: Layout,
        ents: _Index,
        mets: _Index,
        periods: _Periods,
        lang: Lang | None,
        rates: Mapping[str, float],
    ) -> None:
        self.text, self.norm, self.lay = text, norm, lay
        self.ents, self.mets, self.periods = ents, mets, periods
        self.lang, self.rates = lang, rates
        self._seg_cache: dict[int, tuple[int, int, int, str, Lang]] = {}
        self.mention_starts: list[int] = []
        self.lex: Lexicon = default_lexicon()
        self.published: dt.date | None = None
        self.subject: str | None = None
        self.cues: roles.Cues
        self._gates: list[int] = [-1] * 12
        self._supply = -1  # whether _supplier's words are in the text (-1: not known yet)
        self._investors = -1  # whether _INVESTORS_AFTER can match in the text (the same)
        self._firms: bool | None = None  # whether the text counts firms ("21家公司")
        self._respectively = -1  # whether "respectively" is in the text (-1: not known yet)
        self._valuation = -1  # whether the text speaks of a valuation (-1: not known yet)
        # The metric span the last figure's metric came from (None: no metric word).
        self._metric_hit: tuple[int, int, str] | None = None
        # The previous figure of the current segment: (segment index, its end, its kind).
        self._prev: tuple[int, int, str] = (-1, 0, "actual")
        # The last funding figure read: (its sentence's start, the company funded).
        self._prev_funding: tuple[int, str | None] = (-1, None)
        # The previous figure's end, direction of change and unit (a list shares its verb).
        self._prev_change: tuple[int, int, str | None] = (-1, 0, None)
        # Word lookups run on the lower-cased text with case-sensitive twins of their regexes.
        self.low_or_none = folded
        self.low, self.folded = (norm, False) if folded is None else (folded, True)
        self.text_gates = gates.Gates(self.low, self.folded)
        self._follow_metric = _FOLLOW_METRIC_F if self.folded else _FOLLOW_METRIC
        self._object_before = _OBJECT_BEFORE_F if self.folded else _OBJECT_BEFORE

    def gates(self) -> None:
        """Which rarer readings the text can need at all (a word each needs is in it), so that
        most texts skip their searches; each is worked out when first asked."""
        self._gates = [-1] * 12

    def _gate(self, i: int) -> bool:
        g = self._gates[i]
        if g < 0:
            low = self.low
            # ASCII text holds none of the Chinese words: only the Latin ones are looked for.
            zh = not low.isascii()
            if i == 0:
                g = int(
                    (_has(low, _EXPECTATION_WORDS) and _has(low, _COMPARISON_WORDS))
                    or (" by " in low and _has(low, _BEAT_WORDS))
                    or "undershoot" in low
                    or "overshoot" in low
                    or "shortfall" in low
                    or "surprise gap" in low
                    or (zh and _has(low, _ZH_EXPECTATION) and _has(low, _ZH_COMPARISON))
                )
            elif i == 1:
                g = int(
                    _has(low, _LOSS_WORDS if zh else _LOSS_WORDS_A)
                    and _has(low, _LOSS_VERBS if zh else _LOSS_VERBS_A)
                )
            elif i == 2:
                g = int(_has(low, _RAISE_WORDS if zh else _RAISE_WORDS_A))
            elif i == 3:
                g = int(_ORG_HINT.search(self.norm) is not None)
            elif i == 4:
                g = int("quarter" in low or (zh and "季" in low))
            elif i == 5:
                g = int("fiscal" in low or (zh and ("财年" in low or "财政年度" in low)))
            elif i == 6:
                g = int(_has(low, _ESTIMATE_AFTER_WORDS if zh else _ESTIMATE_AFTER_A))
            elif i == 7:
                g = int(_has(low, _GUIDANCE_AFTER_WORDS))
            elif i == 9:
                g = int(_has(low, _PLAN_AFTER_WORDS))
            elif i == 10:
                g = int(_has(low, _RATE_WORDS))
            elif i == 11:
                # a list of values "respectively" against a range of years (Chinese text)
                g = int(
                    zh and ("分别" in low or "/" in low) and _YEAR_RANGE.search(low) is not None
                )
            else:
                g = int(_has(low, _DEAL_WORDS if zh else _DEAL_WORDS_A))
            self._gates[i] = g
        return g == 1

    @property
    def maybe_diff(self) -> bool:
        return self._gate(0)

    @property
    def maybe_loss(self) -> bool:
        return self._gate(1)

    @property
    def maybe_raise(self) -> bool:
        return self._gate(2)

    @property
    def maybe_org(self) -> bool:
        return self._gate(3)

    @property
    def maybe_quarter(self) -> bool:
        return self._gate(4)

    def segment(self, pos: int) -> tuple[int, int, int, str, Lang]:
        """(index, start, end, sentence text, lang) of the segment holding ``pos``."""
        idx = self.lay.segment(pos)
        info = self._seg_cache.get(idx)
        if info is None:
            _, sent = segment_text(self.text, self.lay, idx)
            if "\n" in sent:
                sent = " ".join(sent.split())  # the lines of a hard-wrapped sentence, joined
            lang = self.lang or detect_lang(sent)
            info = (idx, self.lay.seg_starts[idx], self.lay.seg_ends[idx], sent, lang)
            self._seg_cache[idx] = info
        return info

    def _is_known(self, name: str) -> bool:
        lex = self.lex
        return lex.is_name(name) or lex.metric(name) is not None

    def _company(self, label: str, ss: int, se: int) -> _Who:
        """What a found name stands for, as the subject of a figure."""
        lex = self.lex
        role = lex.role(label)
        if role == COMPANY:
            return (label, None, None, True, "")
        if role == SEGMENT:
            return (lex.parent(label), label, None, True, "")
        if role == PERSON:
            companies = lex.companies_of(label)
            if len(companies) > 1:
                # Musk speaks for Tesla or xAI: the one the paragraph or the article names.
                ps, pe = self.lay.para_bounds(ss)
                lo_i = bisect.bisect_left(self.ents.starts, max(ps, ss - 4 * _REACH))
                hi_i = bisect.bisect_left(self.ents.starts, min(pe, se + 4 * _REACH))
                named = {lab for _, _, lab in self.ents.spans[lo_i:hi_i]}
                for c in companies:
                    if c in named or c == self.subject:
                        return (c, None, None, True, "")
            return (companies[0] if companies else None, None, None, True, "")
        if role == AGGREGATE:
            return (label, None, None, True, "aggregate")
        if role == ANALYST:
            return (label, None, None, True, "analyst")
        return (label, None, None, True, "")

    def who(self, start: int, end: int, ss: int, se: int, ce: int) -> _Who:
        """Entity, segment, counterparty, known? and forced kind of the figure at [start, end)."""
        if self._firms is None:
            self._firms = "家" in self.low and _N_FIRMS.search(self.low) is not None
        if self._firms:
            lo = max(ss, start - _REACH)
            if (
                _N_FIRMS.search(self.low, lo, start)
                and roles.sum_cue(self.low, lo, start)
                and self.ents.before(start, lo, lambda lab: self.lex.role(lab) == AGGREGATE) is None
            ):
                # "…共21家公司，在2026年合计的预计支出仅1,800亿美元": a sum over firms counted
                # (a group the lexicon names, "这四家公司" = Big Tech, keeps its name).
                return ("Industry", None, None, True, "aggregate")
        cs = self.lay.clause_bounds(start)[0]
        if (
            self.text_gates.may(gates.MARKET_SIZE)
            and _MARKET_SIZE.search(self.low, max(ss, cs, start - 20), start) is not None
        ):
            # "中国互联网广告市场规模达1875亿元", "AI产业规模可能达到1万亿美元": a market's
            # size is the sum over its companies, never one company's figure.
            return ("Industry", None, None, True, "aggregate")
        if self.folded and " on " in self.low[max(ss, cs, start - 90) : start]:
            market = _MARKET_SPEND.search(self.low, max(ss, cs, start - 90), start)
            if market is not None and self.ents.after(market.start(), start) is None:
                # "Global spending on AI servers could exceed $200 billion": the market's sum,
                # named by what is bought, not a company's figure.
                what = " ".join(self.norm[market.start("what") : market.end("what")].split())
                return (what[:1].upper() + what[1:], None, None, True, "aggregate")
        group = self._group_agent(end, se)
        if group is not None:
            # "half of the $209bn spent by US venture capitalists": money a passive gives to a
            # group of unnamed firms is their sum, never the company the sentence is about.
            return (group, None, None, True, "aggregate")
        spans = self.ents.spans
        if spans and self._respectively < 0:
            self._respectively = int("respectively" in self.low or "分别" in self.low)
        if spans and self._respectively:
            each = self._respective(start, ss, se)
            if each is not None:
                return self._company(each[2], ss, se)
        owner = self._attributive_owner(end, ce) if spans else None
        if owner is not None:
            return self._company(owner[2], ss, se)
        subj, obj = self._subject_before(start, ss) if spans else (None, None)
        if (
            subj is None
            and obj is not None
            and self.lex.role(obj[2]) == ANALYST
            and _FORECASTERS_AFTER.match(self.low, obj[1]) is not None
        ):
            # "…, with Morgan Stanley strategists forecasting about $2.25 trillion of issuance":
            # the bank's forecasters are the clause's subject, not an object of "with".
            subj, obj = obj, None
        elif (
            subj is None
            and obj is not None
            and self.folded
            and _WITH_BEFORE.search(self.low, max(ss, obj[0] - 6), obj[0]) is not None
            and _PARTICIPLE_AFTER.match(self.low, obj[1]) is not None
        ):
            # "…, with Nvidia expected to invest about $2 billion": an absolute clause whose
            # subject is the name after "with", not an object.
            subj, obj = obj, None
        if subj is None and spans:
            after = self.ents.after(end, ce)
            if (
                after is not None
                and obj is None
                and self.subject is not None
                and after[2] != self.subject
                and self.lex.role(after[2]) == COMPANY
                and _BENEFICIARY.search(self.low, max(end, after[0] - 60), after[0]) is not None
            ):
                # "The asset manager put up $3 billion in bonds to help build Meta's campus":
                # the company the money helps is its other side, not the one paying.
                obj = after
            elif after is not None and obj is None and not self._aside(end, after):
                subj = after
        if subj is not None:
            if (
                self.subject is not None
                and not self.low.isascii()
                and _ONE_OF_THEM.search(self.low, max(0, subj[0] - 3), subj[0])
                and self.lex.role(subj[2]) == AGGREGATE
            ):
                # "这家科技巨头的市值…": "this tech giant" is the article's company, not the group.
                return (self.subject, None, None, True, "")
            return self._roles(subj, start, end, ss, se)
        # No name of its own in subject position: a company by its name's shape, the article's
        # subject ("the company", "it", "该公司"), the paragraph's company, the subject again.
        near = max(ss, start - _REACH)
        name = (
            orgnames.strong_name(self.norm, near, start, self._is_known) if self.maybe_org else None
        )
        if name is None and start - ss < 160:
            lead = ss
            while lead < start and self.norm[lead] in " \t\n":
                lead += 1  # a sentence's segment starts at the space after the last one
            if self.norm[lead : lead + 1].isupper():
                name = orgnames.lead_name(self.norm[lead:start], self._is_known)
        if name is not None:
            counter = obj[2] if obj is not None else None
            return (name, None, counter, False, "")
        if self.subject is not None and (obj is not None or self.cues.has_anaphor(near, start)):
            topic = self._para_topic(start) if obj is None else None
            if topic is not None:
                # "另外，華虹半導體…。集團預計第三季…": a paragraph that opens with another
                # company is about it; its "集团", "the company" is that one.
                return self._company(topic, ss, se)
            if obj is not None and obj[1] > end:
                return (self.subject, None, obj[2], True, "investment")
            return (self.subject, None, obj[2] if obj is not None else None, True, "")
        if obj is not None:
            return self._company(obj[2], ss, se)
        if spans:
            ps, _ = self.lay.para_bounds(start)
            hit = self._para_subject(start, ps)
            while (
                hit is not None
                and self.text_gates.may(gates.EXCLUDED)
                and _EXCLUDED.search(self.low, max(ps, hit[0] - 8), hit[0])
            ):
                hit = self._para_subject(hit[0], ps)  # a name left out is not the paragraph's
            if hit is None:
                hit = self._lead_in_subject(ps)
            if hit is not None:
                return self._company(hit[2], ss, se)
        if self.subject is not None:
            return (self.subject, None, None, True, "")
        return _NOBODY

    def _joint_first(
        self, subj: tuple[int, int, str], start: int, end: int, ss: int, se: int
    ) -> tuple[int, int, str] | None:
        """The first of two companies that strike a deal together, ``subj`` the second ("A and
        B sign a $X deal", "A and private-credit firm B struck", "A与…B联手"), when the figure
        follows their verb; else None."""
        if subj[1] > start:
            return None
        low = self.low
        i = bisect.bisect_left(self.ents.starts, subj[0])
        if i == 0:
            return None
        prev = self.ents.spans[i - 1]
        if prev[0] < ss or prev[2] == subj[2] or self.lex.role(prev[2]) != COMPANY:
            return None
        if _JOINT_GAP.fullmatch(low, prev[1], subj[0]) is None:
            return None
        if _ZH_JOINT.match(low, subj[1], start) is not None:
            return prev
        if (
            _JOINT_DEAL.match(low, subj[1], start) is not None
            and _DEAL_NOUN_AFTER.match(low, end, se) is not None
        ):
            return prev
        return None

    def _many_projects(self, start: int, end: int, ss: int, se: int) -> bool:
        """The amount is the total of many projects: "$X in data centre projects", "42
        approved projects worth $X", "N projects" itself; "42个项目总投资X"."""
        low = self.low
        if "project" in low[max(ss, start - 60) : min(se, end + 60)] and (
            _PROJECTS_AFTER.match(low, end, min(se, end + 60)) is not None
            or _PROJECTS_BEFORE.search(low, max(ss, start - 60), start) is not None
        ):
            return True
        return (
            "项目" in low[max(ss, start - 30) : start]
            and _ZH_PROJECTS_BEFORE.search(low, max(ss, start - 30), start) is not None
        )

    def _group_agent(self, end: int, se: int) -> str | None:
        """The group of unnamed firms a passive's "by" names right after the amount ("$209bn
        spent by US venture capitalists", "$40 billion raised by AI start-ups"), as written;
        None when it names a company or no plural group."""
        if not self.folded or " by " not in self.low[end : end + 40]:
            return None
        m = _GROUP_AGENT.match(self.low, end, min(se, end + 90))
        if m is None:
            return None
        if self.ents.after(end, m.end()) is not None:
            return None  # "raised by Microsoft and other investors": a named party
        if _NAMED_AFTER.match(self.low, m.end()) is not None:
            return None  # "invested by investors including Google": a round's named backers
        name = " ".join(self.norm[m.start("who") : m.end("who")].split())
        return name[:1].upper() + name[1:]

    def _lead_in_subject(self, ps: int) -> tuple[int, int, str] | None:
        """The name of the line a bulleted list hangs from ("三大运营商资本开支持续下降" /
        "- 2024年资本开支合计3189亿元"), for a bullet (paragraph from ``ps``) naming nobody:
        the earlier bullets are skipped, the lead-in line is the first one that is no bullet."""
        if self.norm[ps : ps + 1] not in _BULLET_MARKS:
            return None
        for _ in range(_STEPS):
            if ps == 0:
                return None
            ps, pe = self.lay.para_bounds(ps - 1)
            if self.norm[ps : ps + 1] not in _BULLET_MARKS:
                break
        else:
            return None
        if pe - ps > 200:
            return None  # a paragraph of prose, not a list's lead-in line
        hit = self._para_subject(pe, ps)
        if hit is None or self.lex.role(hit[2]) not in (COMPANY, SEGMENT, AGGREGATE):
            return None  # "根据高盛的数据,…:": a source of the list, not its subject
        return hit

    def _roles(self, subj: tuple[int, int, str], start: int, end: int, ss: int, se: int) -> _Who:
        """The subject's reading with the figure's other parties: investors, suppliers, lists."""
        entity, segment, _, known, forced = self._company(subj[2], ss, se)
        low = self.low
        lex = self.lex
        # Cue words count within reach of the figure (a long sentence stays linear).
        ss, se = max(ss, start - _REACH), min(se, end + _REACH)
        # Another party later in the sentence, in object position ("in OpenAI", "from Nvidia",
        # "with Oracle", "led by SoftBank", "向英伟达").
        other = None
        i = bisect.bisect_right(self.ents.starts, subj[0])
        for hit in self.ents.spans[i : i + _STEPS]:
            if hit[0] >= se:
                break
            if hit[2] == subj[2] or lex.role(hit[2]) not in (COMPANY, SEGMENT):
                continue
            lo = max(ss, hit[0] - 12)
            tail = low[lo : hit[0]].rstrip()
            if tail.endswith(_PARTY_ZH) or (
                tail[-1:] in _OBJECT_LAST and self._object_before.search(low, lo, hit[0])
            ):
                other = hit
                break
        if (
            other is not None
            and forced == "analyst"
            and self.cues.has_anaphor(max(subj[1], start - _REACH), start)
        ):
            # "花旗为其赋予133亿美元估值", "Citi puts its value at $13B": a bank speaking of a
            # company named before it, not a party of a deal with the name after it.
            other = None
        if other is not None and self._invests_in_subject(
            subj, entity, start, end, ss, se, into_it=True
        ):
            return (self.subject, None, entity, True, "funding")  # see below
        if other is not None:
            other_entity = self._company(other[2], ss, se)[0]
            funded = self._prev_funding
            if (
                other[0] > end
                and funded[0] == self.lay.seg_starts[self.lay.segment(start)]
                and funded[1] not in (None, other_entity)
                and _FROM_GIVER.fullmatch(low, end, other[0]) is not None
            ):
                # "Amazon poured $4 billion into it, followed by another $2 billion from
                # Google": money "from" a company after a round read in the same sentence is
                # that round's company's funding too, the giver its counterparty.
                return (funded[1], None, other_entity, True, "funding")
            between = low[max(subj[1], other[0] - _REACH) : other[0]]
            deals = self._gate(8)  # the text holds a deal, investing or funding word
            near = max(subj[1], start - _REACH)
            raised = deals and roles.raises(low, max(subj[1], other[0] - _REACH), other[0])
            verb = deals and roles.invests(low, subj[1], other[0])
            if (verb and _BY_INVESTOR.search(low, max(subj[1], other[0] - 40), other[0])) or (
                deals
                and other[0] > end
                and roles.invested_by(low, max(end, other[0] - 40), other[0])
            ):
                # "OpenAI is finalizing a $40 billion round, led by SoftBank": a passive's "by"
                # names the investor; the subject raises the money.
                return (entity, segment, other_entity, known, forced or "funding")
            if (verb or (deals and roles.investment_after(low, end))) and not raised:
                if (verb and roles.funding_cue(low, ss, se)) or (
                    self._valued() and _INTO.search(low, max(ss, other[0] - 8), other[0])
                ):
                    # ... or money put into a company the text values: an equity round.
                    # "SoftBank leads a $40B round in OpenAI": the money is OpenAI's funding.
                    return (other_entity, None, entity, True, "funding")
                # "Nvidia will invest up to $100 billion in OpenAI": the investor's own cheque.
                return (entity, segment, other_entity, known, forced)
            if deals and other[1] <= start and roles.supplies_to(low, subj[1], other[0]):
                # "Nebius will provide GPU capacity to Microsoft in a $17.4B deal": the buyer's
                # money, the supplier its counterparty.
                return (other_entity, None, entity, True, forced)
            if (
                deals
                and other[0] > end
                and _SUPPLIER_PURPOSE.match(low, other[1], other[1] + 40) is not None
            ):
                # "CoreWeave signed a $14 billion deal with Meta to supply computing power":
                # the subject supplies; the deal's money is the buyer's.
                return (other_entity, None, entity, True, forced)
            if (
                deals
                and (roles.raises(low, near, start) or roles.funding_cue(low, ss, se))
                and _SOLD.search(low, subj[1], start) is None
            ):
                # (a stake sold is no funding: "SoftBank sold its $5.8 billion stake in Nvidia")
                return (entity, segment, other_entity, known, forced or "funding")
            if "from" in between or "向" in between or (deals and roles.deal(low, ss, se)):
                return (entity, segment, other_entity, known, forced)
        if forced == "analyst" and self.cues.has_anaphor(max(subj[1], start - _REACH), start):
            # "Wall Street applauded the company's RPO, which rose to $455B": the company's.
            if self.subject is not None:
                return (self.subject, None, None, True, "")
            ps, _ = self.lay.para_bounds(start)
            earlier = self.ents.before(subj[0], ps, lambda lab: lex.role(lab) == COMPANY)
            if earlier is not None:
                return (earlier[2], None, None, True, "")
        if forced == "analyst" and _ARRANGED.search(low, subj[1], start) is not None:
            # "Morgan Stanley arranged $27 billion in debt": the bank's deal work is the
            # borrower's money (the one the loan is "for", else the article's company), no
            # estimate; the bank is the other side of it.
            borrower = self._borrower(end, se)
            if borrower is not None:
                return (borrower[0], None, entity, borrower[1], "")
            return (self.subject, None, None, True, "") if self.subject is not None else _NOBODY
        if forced == "analyst":
            # A bank's or research firm's own number about no company: the industry's.
            if self.cues.kind_before(low, max(subj[1], start - _REACH), start) == "actual":
                return (entity, segment, None, known, "")
            earlier = self.ents.before(subj[0], ss, lambda lab: lex.role(lab) == COMPANY)
            if earlier is not None and _ESTIMATE_NOUN.match(low, subj[1]) is not None:
                # "Oracle's revenue was $15B, against a Morgan Stanley estimate of $14.6B": the
                # bank's estimate of the company the sentence is about.
                return (earlier[2], None, None, True, "")
            return ("Industry", None, None, True, "aggregate")
        if other is None and self._invests_in_subject(subj, entity, start, end, ss, se):
            # "SoftBank will invest an initial $7.5 billion" (in an article on OpenAI's round),
            # "Amazon then poured $4 billion into it": the money is the article company's
            # funding, the investor its counterparty.
            return (self.subject, None, entity, True, "funding")
        if lex.role(subj[2]) == COMPANY:
            members = self._listed(subj, ss)
            if len(members) >= 2 and self.folded:
                lo = max(ss, members[0][0] - 12)
                if (
                    low[lo : members[0][0]].rstrip()[-1:] in _OBJECT_LAST
                    and self._object_before.search(low, lo, members[0][0]) is not None
                ):
                    # "OpenAI signed deals with Nvidia, AMD and Oracle to target 20 GW": a list
                    # of objects is the other side; the sentence's subject before it owns it.
                    owner = self.ents.before(
                        members[0][0], ss, lambda lab: lex.role(lab) in (COMPANY, SEGMENT)
                    )
                    if owner is not None and owner[2] not in {m[2] for m in members}:
                        return self._company(owner[2], ss, se)
            if len(members) >= 3 or (len(members) == 2 and roles.sum_cue(low, ss, se)):
                names = [self._company(m[2], ss, se)[0] or m[2] for m in members]
                return (" + ".join(dict.fromkeys(names)), None, None, True, "aggregate")
            partner = self._joint_first(subj, start, end, ss, se)
            if partner is not None:
                # "Meta and Blue Owl strike a $30 billion deal", "Meta与另类资产管理巨头Blue
                # Owl联手，为…2吉瓦的园区提供资金": two parties of one deal, not a sum; the deal
                # is the first's, the second its counterparty.
                first = self._company(partner[2], ss, se)
                if first[0] is not None and first[0] != entity:
                    return (first[0], first[1], entity, first[3], forced)
        return (entity, segment, None, known, forced)

    def _borrower(self, end: int, se: int) -> tuple[str, bool] | None:
        """(name, known?) of the company a loan or deal is for, named after the amount ("a $38
        billion loan for Vantage Data Centers", "to Oracle"), else None."""
        m = _FOR_PARTY.search(self.low, end, min(se, end + _REACH))
        if m is None:
            return None
        hit = self.ents.starting_at(m.end())
        if hit is not None:
            return (hit[2], True) if self.lex.role(hit[2]) == COMPANY else None
        name = orgnames.object_name(self.norm, m.end(), self._is_known)
        return (name, False) if name is not None else None

    def _attributive_owner(self, end: int, ce: int) -> tuple[int, int, str] | None:
        """A company named right after the amount as its owner: "the $500 billion Stargate
        project", "a $20 billion xAI financing round" (English). Not an investor ("SoftBank-led
        funding"), nor a party of a deal or the maker of what is bought ("a $10 billion Nvidia
        chip order"), whose money may be the other party's."""
        if not self.folded or end >= ce:
            return None
        low = self.low
        if low[end : end + 1] == "的":
            # "规模达5000亿美元的“Stargate”全球AI数据中心计划": the project's owner.
            q = _ZH_OWNED_OPEN.match(low, end)
            hit = self.ents.starting_at(q.end()) if q is not None else None
            if (
                hit is not None
                and self.lex.role(hit[2]) == COMPANY
                and _ZH_OWNED_NOUN.match(low, hit[1], min(len(low), hit[1] + 24)) is not None
            ):
                return hit
            return None
        if low[end : end + 1] != " ":
            return None
        hit = self.ents.after(end, ce)
        if hit is None or hit[0] != end + 1:
            return None
        if self.lex.role(hit[2]) not in (COMPANY, SEGMENT):
            return None
        if _OWNED_NOUN_AFTER.match(low, hit[1], min(len(low), hit[1] + 48)) is None:
            return None
        return hit

    def _invests_in_subject(
        self,
        subj: tuple[int, int, str],
        entity: str | None,
        start: int,
        end: int,
        ss: int,
        se: int,
        into_it: bool = False,
    ) -> bool:
        """``entity``, the sentence's subject, invests the figure in the article's company: an
        investing verb between them, and the money goes "into it" (the article's company), or
        into no object of its own while the sentence or the headline speaks of a round. Money
        invested in something named ("in data centers", "in OpenAI") is not read here.
        ``into_it``: only the first reading (another party named later in the sentence)."""
        subject = self.subject
        if subject is None or entity is None or entity == subject or not self._gate(8):
            return False
        lex = self.lex
        if lex.role(subject) != COMPANY or lex.role(subj[2]) != COMPANY:
            return False
        low = self.low
        # The verb's object is the money itself ("invested $2B", "will invest an initial $7.5B,
        # with a second tranche of $30B"), not "estimates put it at $260B".
        # Or an amount named the investor's investment ("SoftBank's $40 billion investment",
        # "an immediate $7.5 billion investment and a second tranche of $22.5 billion").
        if roles.raises(low, subj[1], start):
            return False
        cheque = _CHEQUE.search(low, subj[1], start + 1)
        if cheque is not None:
            at = bisect.bisect_left(self.mention_starts, cheque.end())
            if at >= len(self.mention_starts) or self.mention_starts[at] != cheque.end():
                cheque = None
        if cheque is None and _AMOUNT_INVESTMENT.search(low, subj[1], min(se, end + 30)) is None:
            return False
        m = _INVESTED_IN.match(low, end, min(se, end + 40))
        if m is not None:
            at = m.end()
            if _INVESTEE_ANAPHOR.match(low, at) is not None:
                return True
            if into_it:
                return False
            i = bisect.bisect_left(self.periods.starts, at)
            if i >= len(self.periods.starts) or self.periods.starts[i] != at:
                return False  # money put into something named: not read as a round
        if into_it:
            return False
        head = self.lay.seg_ends[0] if self.lay.seg_ends else 0
        return (
            _ROUND_WORDS.search(low, ss, se) is not None
            or _ROUND_WORDS.search(low, 0, head) is not None
        )

    def _in_apposition(self, hit: tuple[int, int, str], start: int, ss: int) -> bool:
        """``hit`` lies in a comma-bounded appositive or relative clause that closes before
        ``start`` (", a major supplier to Nvidia and Apple,"), after an earlier name."""
        cs, ce = self.lay.clause_bounds(hit[0])
        if cs <= ss or ce > start or self.norm[ce - 1 : ce] != ",":
            return False
        if _APPOSITIVE.match(self.low, cs) is None:
            return False
        return self.ents.before(cs, ss) is not None

    def _valued(self) -> bool:
        """The text speaks of a company's valuation ("valued at", "post-money", "估值"): money
        invested in a company there is a round, the company's funding."""
        if self._valuation < 0:
            low = self.low
            self._valuation = int(
                "post-money" in low
                or "估值" in low
                or ("valu" in low and _VALUED.search(low) is not None)
            )
        return self._valuation == 1

    def _respective(self, start: int, ss: int, se: int) -> tuple[int, int, str] | None:
        """ "Microsoft and Google spent $40 billion and $30 billion, respectively": the i-th
        value of the list is the i-th company's (None unless both lists have one length)."""
        r = self.low.find("respectively", start, se)
        if r < 0:
            return self._respective_zh(start, ss, se)
        hit = self.ents.before(start, ss, lambda lab: self.lex.role(lab) in (COMPANY, SEGMENT))
        if hit is None:
            return None
        members = self._listed(hit, ss)
        starts = self.mention_starts
        values = starts[bisect.bisect_left(starts, hit[1]) : bisect.bisect_left(starts, r)]
        if len(members) < 2 or len(values) != len(members) or start not in values:
            return None
        if self.ents.after(hit[1], r) is not None:
            return None  # another name among the values: not two parallel lists
        return members[values.index(start)]

    def _respective_zh(self, start: int, ss: int, se: int) -> tuple[int, int, str] | None:
        """ "腾讯、阿里巴巴资本开支分别为191亿元和386亿元": Chinese puts 分别 before the values;
        the i-th value after it is the i-th listed company's (None unless the list is as long
        as the values that follow 分别 up to the figure)."""
        r = self.low.rfind("分别", ss, start)
        if r < 0:
            return None
        hit = self.ents.before(
            r, ss, lambda lab: self.lex.role(lab) in (COMPANY, SEGMENT, AGGREGATE)
        )
        if hit is None:
            return None
        if self.lex.role(hit[2]) == AGGREGATE:
            return self._group_member(hit, r, start, se)
        members = self._listed(hit, ss)
        if len(members) < 2 or self.ents.after(hit[1], r) is not None:
            return None
        starts = self.mention_starts
        values = starts[bisect.bisect_left(starts, r) : bisect.bisect_left(starts, se)]
        values = values[: len(members)]
        if len(values) != len(members) or start not in values:
            return None
        if self.ents.after(r, values[-1]) is not None:
            return None  # another name among the values: not two parallel lists
        return members[values.index(start)]

    def _group_member(
        self, group: tuple[int, int, str], r: int, start: int, se: int
    ) -> tuple[int, int, str] | None:
        """ "三大运营商云计算收入增速分别为20.5%、17.1%、34.5%": the values after 分别 are the
        group's members', in the order of the last list of as many companies before it
        ("中国移动、电信、联通"); None without such a list."""
        starts = self.mention_starts
        values = starts[bisect.bisect_left(starts, r) : bisect.bisect_left(starts, se)]
        if len(values) < 2 or start not in values:
            return None
        if self.ents.after(r, values[-1]) is not None:
            return None  # another name among the values: not one group's list
        spans = self.ents.spans
        i = bisect.bisect_left(self.ents.starts, group[0])
        run: list[tuple[int, int, str]] = []
        while i > 0:
            prev = spans[i - 1]
            i -= 1
            if group[0] - prev[0] > _GROUP_REACH:
                break
            if self.lex.role(prev[2]) != COMPANY:
                if len(run) == len(values):
                    break
                run = []
                continue
            if run and roles.listed(self.low, prev[1], run[0][0]):
                run.insert(0, prev)
                continue
            if len(run) == len(values):
                break
            run = [prev]
        if len(run) != len(values) or len({lab for _, _, lab in run}) != len(run):
            return None
        return run[values.index(start)]

    def _para_topic(self, start: int) -> str | None:
        """The company a paragraph opens with (its first name, within a connective of the
        paragraph's start: "另外，華虹半導體…", "Separately, Hua Hong …") when it is not the
        text's subject; None otherwise."""
        ps, _ = self.lay.para_bounds(start)
        if ps == 0:
            return None  # the lead paragraph is the subject's
        i = bisect.bisect_left(self.ents.starts, ps)
        if i >= len(self.ents.spans):
            return None
        s, e, label = self.ents.spans[i]
        if s - ps > _TOPIC_REACH or e > start or label == self.subject:
            return None
        if _TOPIC_LEAD.fullmatch(self.low, ps, s) is None:
            return None  # "被誉为“中国版英伟达”的摩尔线程": a name inside a phrase, not the topic
        if self.lex.role(label) != COMPANY:
            return None
        return label

    def _para_subject(self, start: int, ps: int) -> tuple[int, int, str] | None:
        """The nearest name before ``start`` in its paragraph that is not an object ("a key
        supplier to Nvidia"), else the nearest name."""
        spans = self.ents.spans
        i = bisect.bisect_right(self.ents.starts, start) - 1
        stop = max(-1, i - _STEPS)
        first = None
        while i > stop and spans[i][0] >= ps:
            hit = spans[i]
            i -= 1
            if hit[1] > start:
                continue
            first = first or hit
            lo = max(ps, hit[0] - 8)
            if (
                self.low[lo : hit[0]].rstrip()[-1:] not in _OBJECT_LAST
                or self._object_before.search(self.low, lo, hit[0]) is None
            ):
                return hit
        return first

    def _aside(self, end: int, after: tuple[int, int, str]) -> bool:
        """A name after a figure that is not its owner: past a dash ("$56B for fiscal 2026 —
        numbers underpinned by commitments from Google") or the object of "from",
        "with", "as" ("a customer identified as OpenAI"); a passive's "by" names the owner,
        and a segment is its company's own ("$30B of revenue from Google Cloud"). A group
        named past a relative clause is an aside too ("A $2.3T chipmaker that designs the
        chips hyperscalers run"): a figure without a company of its own is not the group's,
        unless the group is named by a passive's "by"."""
        role = self.lex.role(after[2])
        if role == AGGREGATE:
            # past a relative clause: the group is the clause's, not the figure's ("$662
            # billion across the top five hyperscalers" stays the group's)
            gap = self.low[end : after[0]]
            return _RELATIVE.search(gap) is not None and not gap.rstrip().endswith(" by")
        if role != COMPANY:
            return False
        at = after[0]
        if _LED_AFTER.match(self.low, after[1]) is not None:
            return True  # "$40 billion SoftBank-led funding": the round's investor
        gap = self.low[end:at]
        if "—" in gap or " – " in gap or " - " in gap:
            return True
        return _AFTER_OBJECT.search(self.low, max(end, at - 40), at) is not None

    def _listed(self, subj: tuple[int, int, str], ss: int) -> list[tuple[int, int, str]]:
        """``subj`` and the names listed right before it ("Microsoft, Alphabet, Amazon and
        Meta"), in text order."""
        spans = self.ents.spans
        i = bisect.bisect_left(self.ents.starts, subj[0])
        members = [subj]
        while i > 0 and len(members) < _STEPS:
            prev = spans[i - 1]
            if prev[0] < ss or self.lex.role(prev[2]) != COMPANY:
                break
            if not roles.listed(self.low, prev[1], members[0][0]):
                break
            members.insert(0, prev)
            i -= 1
        return members

    def _subject_before(
        self, start: int, ss: int
    ) -> tuple[tuple[int, int, str] | None, tuple[int, int, str] | None]:
        """(nearest name before ``start`` in the segment that is not an object, nearest object
        ("向 OpenAI", "from Nvidia")), either None."""
        nearest = None
        spans = self.ents.spans
        pro = _ZH_PRONOUN.search(self.low, ss, start) if "其" in self.low[ss:start] else None
        if pro is not None and _CLAUSE_BREAK.search(self.low, pro.end(), start) is None:
            # "工业富联是…供应商，其在AI服务器市占约40%": 其 is the sentence's subject, its
            # first name (not the nearest one, "英伟达GB200")
            j = bisect.bisect_left(self.ents.starts, ss)
            if j < len(spans) and spans[j][1] <= pro.start():
                first = spans[j]
                if self.lex.role(first[2]) == COMPANY:
                    return first, None
        # The spans _Index.before looks at, nearest first (a plain loop: runs for every figure).
        i = bisect.bisect_right(self.ents.starts, start) - 1
        stop = max(-1, i - _STEPS)
        while i > stop and spans[i][0] >= ss:
            hit = spans[i]
            i -= 1
            if hit[1] > start or (
                self.text_gates.may(gates.EXCHANGE)
                and _EXCHANGE_AFTER.match(self.low, hit[1]) is not None
            ):
                continue  # "(Nasdaq: NVDA)", "Nasdaq-listed": the exchange, nobody's figure
            if self._in_apposition(hit, start, ss):
                continue  # "TSMC, a supplier to Nvidia and Apple, reported …": TSMC's
            lo = max(ss, hit[0] - 8)
            if (
                self.text_gates.may(gates.EXCLUDED)
                and _EXCLUDED.search(self.low, lo, hit[0]) is not None
            ):
                continue  # "剔除爱奇艺后": a name left out is nobody's subject
            if (
                self.low[lo : hit[0]].rstrip()[-1:] not in _OBJECT_LAST
                or not (self._object_before.search(self.low, lo, hit[0]))
                or _ACCORDING.search(self.low, max(ss, hit[0] - 16), hit[0]) is not None
                or _SHARES_OF.search(self.low, max(ss, hit[0] - 16), hit[0]) is not None
            ) and (
                not self._supplier(hit, ss)
                and (
                    not self.text_gates.may_in(gates.POSSESSIVE, max(ss, hit[0] - 28), hit[0])
                    or _OBJECT_POSSESSIVE.search(self.low, max(ss, hit[0] - 28), hit[0]) is None
                )
            ):
                return hit, nearest
            nearest = nearest or hit
        return None, nearest

    def _supplier(self, hit: tuple[int, int, str], ss: int) -> bool:
        """A name read as what is bought: "用于英伟达采购晶片", "买NVIDIA晶片", "on Nvidia chips"."""
        low = self.low
        if self._investors < 0:
            # Every _INVESTORS_AFTER match holds a Chinese character or "other".
            self._investors = int(not low.isascii() or "other" in low)
        if self._investors and _INVESTORS_AFTER.match(low, hit[1]) is not None:
            return True  # "与IDG资本、腾讯等投资方洽谈新一轮融资": the round's investors
        if self._supply < 0:
            # Both patterns below need a purchase or product word (or "h100"-like) in the text.
            words = _SUPPLY_WORDS if not low.isascii() else _SUPPLY_WORDS_A
            self._supply = int(_has(low, words) or _hb_digits(low))
        if not self._supply:
            return False  # most texts
        at = hit[1]
        reach = at + _PAREN_REACH
        if low.find(")", at, reach) < 0 and low.find("）", at, reach) < 0:
            purchased, product = _PURCHASED_AFTER_NP, _PRODUCT_AFTER_NP  # most names
        else:
            purchased, product = _PURCHASED_AFTER, _PRODUCT_AFTER
        if purchased.match(low, at) is not None:
            return True
        return (
            product.match(low, at) is not None
            and _BUY_BEFORE.search(low, max(ss, hit[0] - 12), hit[0]) is not None
        )

    def metric(self, m: Mention, unit: str, ss: int, cs: int, ce: int, is_change: bool) -> Metric:
        if unit == "users":
            return "users"
        if not self.mets.spans:
            # No metric word in the text.
            return "share_price" if self._stock_quote(m, unit, cs, ss, is_change) else "other"

        fits = _fits(unit)
        hit = None
        # A metric right after the figure starts in [m.end, ce]: without one there, skip the match.
        j = bisect.bisect_left(self.mets.starts, m.end)
        follows = j < len(self.mets.starts) and self.mets.starts[j] <= ce
        follow = self._follow_metric.match(self.low, m.end, ce) if follows else None
        if follow is not None:
            hit = self.mets.starting_at(follow.end())
            if hit is None and self.mets.starts[j] < follow.end():
                hit = self.mets.spans[j]  # "in its net profit": a metric of words it skipped
            # "$37.5 billion of capex", "$96 billion revenue"; not "500 亿美元投入 AI" (a verb).
            if hit is not None and (not fits(hit[2]) or not self.norm[hit[0]].isascii()):
                hit = None
        if hit is None and follows and self.folded:
            de = _DE_AFTER.match(self.low, m.end, ce)
            if de is not None:
                # "100兆韩元的营收和50兆韩元的营业利润": the noun after 的 is what the amount is.
                own = self.mets.starting_at(de.end())
                if own is not None and fits(own[2]) and not self.norm[own[0]].isascii():
                    hit = own
        # A metric word after the next number belongs to that number.
        i = bisect.bisect_right(self.mention_starts, m.end - 1)
        after_hi = min(ce, self.mention_starts[i]) if i < len(self.mention_starts) else ce
        hit = hit or self._before(m.start, cs, fits)
        if hit is None:
            hit = self._after(m.end, after_hi, after_hi < ce, fits)
            if (
                hit is not None
                and hit[2] == "other"
                and _OWN_NOUN_AFTER.fullmatch(self.low, m.end, hit[0]) is None
            ):
                # "5.1%的市场份额" names what the figure is; a ratio further on ("…300亿美元的
                # 指引[8] - GAAP毛利率73.4%") is the next figure's, not this one's.
                hit = None
            elif (
                hit is not None
                and i < len(self.mention_starts)
                and after_hi == self.mention_starts[i]
                and hit[0] > m.end
                and self.low[hit[0] - 1] != "的"
                and not self.norm[hit[0]].isascii()
                and _SUBJECT_GAP.fullmatch(self.low, hit[1], after_hi) is not None
            ):
                # Chinese names a figure's metric before it: a metric word right before the
                # next number is that number's subject ("同比增长4347% 净利润10.38亿元"),
                # unless it is the head of this one ("占6603亿元收入的约12%", "100兆韩元的
                # 营收和50兆韩元的营业利润").
                hit = None
        if hit is None and self._stock_quote(m, unit, cs, ss, is_change):
            return "share_price"
        if hit is None and (is_change or unit != "percent"):
            # A level percentage ("a share of 15%") does not borrow a metric from other clauses.
            hit = self._before(m.start, ss, fits)
            while hit is not None and _VALUING_VERB.match(self.low, hit[0], hit[1]):
                # "a round valuing it at $157bn, while xAI raised $6bn": the verb values the
                # figure it introduces, not one of another clause.
                hit = self._before(hit[0], ss, fits)
        if hit is None and ss > 0:
            hit = self._label_metric(ss, fits)
        money = len(unit) == 3 and unit.isupper()
        if money and hit is not None and hit[2] == "eps" and abs(m.value) >= _EPS_MAX:
            # "EPS of $8.88, and guidance of up to $56.5 billion": billions are no per-share sum.
            hit = self._before(hit[0], ss, lambda label: label != "eps" and fits(label))
        if (
            money
            and (hit is None or hit[2] == "profit")
            and abs(m.value) < _EPS_MAX
            and _PER_SHARE_AFTER.match(self.low, m.end) is not None
        ):
            return "eps"  # "a profit of $8.88 per share", "$2.31 a share": earnings per share
        self._metric_hit = hit
        if (
            hit is not None
            and self.folded
            and hit[1] <= m.start
            and self.text_gates.may(gates.COST)
            and _COST_NOUN.search(self.low, hit[1], m.start) is not None
        ):
            # "资本支出指引上修至1350亿美元,全年总费用预估为1690亿美元": a cost named between
            # the metric word and the figure is what the figure measures (no metric of ours).
            return "other"
        return hit[2] if hit else "other"  # type: ignore[return-value]

    def _before(
        self, pos: int, lo: int, fits: Callable[[str], bool]
    ) -> tuple[int, int, str] | None:
        """The nearest metric before ``pos`` (from ``lo``) outside an English aside closed
        before ``pos``: in "RPO, a measure of future revenue, reached $455 billion" and
        "operating income - a measure of profit - grew 141%" the aside's noun explains the
        subject, which is what the figure measures."""
        hit = self.mets.before(pos, lo, fits)
        for _ in range(3):
            if hit is None or not self.norm[hit[0]].isascii():
                return hit
            opened = self._aside_start(hit, pos, lo)
            if opened is None:
                return hit
            hit = self.mets.before(opened, lo, fits)
        return hit

    def _aside_start(self, hit: tuple[int, int, str], pos: int, lo: int) -> int | None:
        low = self.low
        o = low.rfind("(", lo, hit[0])
        if o >= 0 and ")" not in low[o : hit[0]] and low.find(")", hit[1], pos) >= 0:
            return o
        d = low.rfind(" - ", lo, hit[0])
        if d >= 0 and low.find(" - ", hit[1], pos) >= 0:
            return d
        c = low.rfind(",", lo, hit[0])
        if c >= 0:
            c2 = low.find(",", hit[1], pos)
            if (
                c2 >= 0
                and _ASIDE_OPEN.match(low, c + 1) is not None
                and not any(ch.isdigit() for ch in low[c:c2])
            ):
                return c
        return None

    def _after(
        self, pos: int, hi: int, next_at_hi: bool, fits: Callable[[str], bool]
    ) -> tuple[int, int, str] | None:
        """The first metric after ``pos`` (up to ``hi``, the next number) unless it introduces
        that number: in "shipped $5.6 billion of servers and ended with a backlog of $18.4
        billion" the backlog is the second figure's."""
        hit = self.mets.after(pos, hi, fits)
        if (
            hit is not None
            and next_at_hi
            and self.norm[hit[0]].isascii()
            and _INTRODUCES.fullmatch(self.low, hit[1], hi) is not None
        ):
            return None
        return hit

    def _label_metric(self, ss: int, fits: Callable[[str], bool]) -> tuple[int, int, str] | None:
        """The metric of a short label ending in a colon right before the segment ("Revenue:
        $1.57B", "- Capex guide: at least $30B"): the label names what the value measures."""
        low = self.low
        c = ss - 1
        while c >= 0 and low[c] in " \t":
            c -= 1
        if c < 0 or low[c] != ":":
            return None
        start = self.lay.seg_starts[self.lay.segment(c)]
        if c - start > _LABEL_MAX:
            return None
        return self.mets.before(c, start, fits)

    def _stock_quote(self, m: Mention, unit: str, cs: int, ss: int, is_change: bool) -> bool:
        """A share move or quote in Chinese, in a clause that names no metric: a percent move
        (see :meth:`_stock_move`) or a price quoted with 报 after one ("升5.26%，报85元")."""
        if is_change:
            return unit == "percent" and self._stock_move(m, cs, ss)
        return (
            len(unit) == 3
            and unit.isupper()
            and _QUOTE_BEFORE.search(self.low, max(cs - 1, m.start - 6), m.start) is not None
            and _TRADING_DAY_OR_MOVE.search(self.low, ss, m.start) is not None
        )

    def _stock_move(self, m: Mention, cs: int, ss: int) -> bool:
        """A Chinese percent move whose clause names no metric is a share move when a company is
        its subject ("美团(03690)升5.26%", "小米跌近5%", "工业富联收盘涨9.2%") or when the
        sentence speaks of the trading day ("开盘报120港元,涨幅3.27%", "报收345港元,大涨109%")."""
        if _CJK_BEFORE.search(self.norm, max(cs, m.start - 8), m.start) is None:
            return False  # not Chinese
        move = _STOCK_MOVE.search(self.low, max(cs, m.start - 24), m.start)
        if move is None:
            return False
        ent = self.ents.before(move.start() + 1, cs)
        if ent is not None and _STOCK_SUBJECT_GAP.fullmatch(self.low, ent[1], move.start()):
            return True
        return _TRADING_DAY.search(self.low, ss, m.start) is not None

    def kind(
        self, idx: int, start: int, end: int, ss: int, se: int, ce: int, ranged: bool = False
    ) -> str:
        """actual | guidance | plan | estimate | hypothetical, from the cues around the figure
        (see :mod:`.roles`); a figure with no cue of its own shares the previous one's in its
        sentence unless a fact verb ("reported") stands between them. A ``ranged`` figure (a
        company's own amount given as a range, "本季营收介于346亿到358亿美元") with no cue at
        all is an outlook: results are reported as one number, forecasts as a range."""
        low = self.low
        p_idx, p_end, p_kind = self._prev
        follows = p_idx == idx and p_end <= start
        lo = max(p_end if follows else ss, start - _REACH)
        kind = self.cues.kind_before(low, lo, start, follows and lo == p_end)
        if kind is None and p_idx == idx and not self.cues.has_fact_verb(lo, start):
            kind = p_kind
        if self._gate(6) and roles.estimate_after(low, end, ce):
            kind = "estimate"
        elif (
            kind in (None, "actual", "plan")
            and self._gate(7)
            and roles.guidance_after(low, end, ce)
        ):
            kind = "guidance"
        elif kind in (None, "actual") and self._gate(9) and roles.plan_after(low, end, ce):
            kind = "plan"  # "$135B capex plan", "1600亿元的投资计划"
        if kind is None and ranged:
            return "guidance"
        return kind or "actual"

    def period(
        self,
        m: Mention,
        ss: int,
        se: int,
        cs: int,
        ce: int,
        is_change: bool,
        entity: str | None,
        kind: str = "actual",
    ) -> str | None:
        periods = self.periods
        if not periods.items:  # half the texts with figures name no period
            return None
        if self._gate(11):
            each = _respective_year(self.low, m.start, m.end, self.lay.para_bounds(m.start)[0])
            if each is not None:
                return each
        level = not is_change
        zh = self.segment(m.head)[4] == "zh"  # Chinese word order: a period before its figure
        p = periods.inside_move(m, zh) if m.is_move else None
        if p is None and zh and level and not m.is_move and m.previous is None:
            at = periods.since_right_before(m.start)
            if at is not None:
                return at  # "将从2025年约850亿元的规模进一步增长": the level in 2025
        if p is None:
            p = periods.nearest(m.start, m.end, cs, ce, m.consumed, level, zh)
        if p is None:
            p = periods.nearest(m.start, m.end, ss, se, m.consumed, level, zh)
            if p is not None and p.start >= ce and self._side_clause(p.start):
                # "…23.5 trillion won, marking a rebound from the downturn it faced in 2023":
                # a later participle clause's year is about that clause, not the figure.
                p = None
            elif p is not None and p.end <= cs and self._as_of_month(p, m.start):
                p = None  # "截至2025年11月，累计…": another clause's date (see below)
            elif (
                p is not None
                and p.start >= ce
                and (
                    zh
                    or self._clause_has_figure(p.start)
                    or _SAME_PERIOD_AFTER.match(self.low, p.end) is not None
                    or _stretch(p.value, self.low[p.start : p.end + 1])
                )
            ):
                # ... and a stretch of time in a later clause is a remark on the figure ("增长
                # 15%,创下四年来最高增速", "下滑18%,这已是自2024年第二季度以来连续第六个季度负增长").
                # "投资约728亿元,2025年预计增至820亿元", "…19亿元,与2024年4.52亿元的净亏损形成对比":
                # a later clause's period is its own figure's; an earlier one may be ours.
                # Chinese dates a figure before it: a later clause's period never is ours
                # ("2024年12月完成30亿元融资,再之前的9月,…").
                p = periods.nearest(m.start, m.end, ss, ce, m.consumed, level, zh)
        if p is None and not is_change:
            ps, _ = self.lay.para_bounds(m.start)
            p = periods.before(m.start, ps, m.consumed)
            while p is not None and self._year_ago_of_other(p):
                # "净利润为45亿元,而2024年同期为33亿元。调整后净利润为49.86亿元": the year-ago
                # period of an earlier comparison dates its own base, not a later figure.
                p = periods.before(p.start, ps, m.consumed)
            if p is not None and self._as_of_month(p, m.start):
                # "截至2025年11月，累计…": a date a stock is counted at, not a later
                # sentence's period; the part of a year named before it may be.
                p = periods.before(p.start, ps, m.consumed)
            if p is not None and self._side_clause(p.start):
                p = None  # an earlier sentence's remark ("…, marking a rebound from 2023")
            for _ in range(3):
                if p is None or kind != "actual":
                    break
                if not (self._outlook_at(p.start) or self._outlook_quarter(p, entity)):
                    break
                # "For the third quarter, Microsoft projects revenue of $81.2B. … Capital
                # spending reached $37.5B": a result is of a quarter over, not the period of
                # an outlook before it (an outlook sentence, or a quarter not over yet).
                p = periods.before(p.start, ps, m.consumed)
            if (
                p is not None
                and p.value is not None
                and kind in ("plan", "guidance")
                and not self._ends_after(p.value, entity)
                and not (
                    # "raised its outlook for the year": the year of the quarter reported
                    "-Q" in p.value
                    and _full_year(self.low, max(ss, m.start - 40), min(ce, m.end + 24))
                    and self._ends_after(self._year_of(p, p.value, entity, kind, ss, se), entity)
                )
            ):
                return None  # an earlier sentence's past period is not an outlook's
        if p is None or p.value is None:
            return None
        if self.folded and self.low.startswith(("'s ", "’s "), p.end):
            # "from Q2 2024's $1.2 billion to $2.8 billion": the period owns the amount right
            # after it, no other one.
            nxt = bisect.bisect_left(self.mention_starts, p.end)
            if (
                nxt < len(self.mention_starts)
                and self.mention_starts[nxt] <= p.end + 4
                and (
                    self.mention_starts[nxt] != m.start
                    or m.previous is not None
                    or m.low is not None
                )
            ):
                return None  # another amount's, or the base of this change ("from … to")
        value = p.value
        if (
            value[:2] == "FY"
            and entity is not None
            and entity not in self.lex.fiscal_start
            and "财年" in self.low[p.start : p.end]
            and self.lex.role(entity) == COMPANY
        ):
            value = value[2:]  # "亚马逊2026财年": a calendar-year company's year is the year
        if len(value) == 4 and (
            _SAME_PERIOD_AFTER.match(self.low, p.end)
            or (
                self.text_gates.may_in(gates.SAME, max(0, p.start - 30), p.start)
                and _SAME_PERIOD_BEFORE.search(self.low, max(0, p.start - 30), p.start)
            )
        ):
            # "2024年同期净利润为33亿元", "去年同期净流入137亿元": the same part of that year as
            # the period the text reports (its last quarter, half or first three quarters).
            ref = periods.part_before(p.start)
            if ref is not None and ref.value is not None:
                label = ref.value
                if self.low[p.start : p.start + 1] in "去上":
                    shift = -1  # "去年同期": a year before the period reported
                else:
                    months = period_months(label, entity, self.lex) if label[:2] == "FY" else None
                    ref_year = months[1][:4] if months is not None else label[-7:-3]
                    shift = int(value) - int(ref_year) if ref_year.isdigit() else 0
                if entity is not None and (entity in self.lex.fiscal_start or self._gate(5)):
                    label = _fiscal_period(
                        self.low, ref, label, entity, self.lex, self.published, kind == "actual"
                    )
                fy = label.startswith("FY")
                year = int(label[2:6] if fy else label[:4]) + shift
                return ("FY" if fy else "") + str(year) + label[6 if fy else 4 :]
        q_words = self.text_gates.may_in(gates.QUARTER, p.start, p.end)
        rel = _THIS_QUARTER.search(self.low, p.start, p.end) if q_words else None
        if rel is not None and self.published is not None:
            # "this quarter", "本季度", "该季度": in a report of results, the quarter reported
            # (the last one completed); in an outlook, the one under way. "该季度", "单季"
            # ("that quarter", "the single quarter") name the quarter named before, if any.
            q = None
            if rel.group(0)[:1] in "该当单":
                ps = self.lay.para_bounds(m.start)[0]
                q = periods.quarter_before(p.start, ps)
                while q is not None and _THIS_QUARTER.search(self.low, q.start, q.end):
                    q = periods.quarter_before(q.start, ps)  # a named quarter, not another 单季
            if q is None or q.value is None:
                start = self.lex.fiscal_start.get(entity, 1) if entity is not None else 1
                # an estimate the reported figure is measured against ("好于彭博一致预期的
                # 34.3%") is of the quarter reported, as the figure is
                measured = kind == "estimate" and (
                    _MEASURED_AGAINST.search(self.low, max(0, m.start - 20), m.start) is not None
                )
                return reported_quarter(self.published, start, kind == "actual" or measured)
            p, value = q, q.value
        elif self.published is not None:
            step = _STEP_QUARTER.search(self.low, p.start, p.end) if q_words else None
            if step is not None:
                # "last quarter" ("the latest quarter"), "next quarter": counted from the
                # quarters the company has reported, in its own calendar (Microsoft's "last quarter" in late January
                # is July - September: October - December is not reported yet).
                # An outlook's "next quarter" is the one under way (results come out weeks
                # into it).
                start = self.lex.fiscal_start.get(entity, 1) if entity is not None else 1
                if step.group(0)[:1] not in "nN":
                    ended = last_reported_quarter(self.published, start, dt.timedelta(0))
                    if kind == "actual" and ended != last_reported_quarter(self.published, start):
                        # Weeks after a quarter ended, a text that names that quarter before
                        # ("for the October-December quarter") reports it: its company is
                        # quick to report (TSMC in mid-January), so "last quarter" is that one.
                        q = periods.quarter_before(p.start, 0)
                        if q is not None and q.value == ended:
                            return ended
                    return last_reported_quarter(self.published, start)
                return reported_quarter(self.published, start, False)
        near_lo, near_hi = max(cs, m.start - _REACH), min(ce, m.end + _REACH)
        if "-Q" in value and _full_year(
            self.low, max(cs if ".." in value else ss, m.start - 40), min(ce, m.end + 24)
        ):
            # "crossed $400 billion in full-year sales", "全年营收", "raised its estimate for
            # the year": the quarter's year.
            return self._year_of(p, value, entity, kind, ss, se)
        if (
            self.maybe_quarter
            and value[:1].isdigit()
            and len(value) == 4
            and _QUARTERLY.search(self.low, near_lo, near_hi)
        ):
            # A quarter's figure is not a year's: the quarter named before, if any.
            ps, _ = self.lay.para_bounds(m.start)
            q = periods.quarter_before(m.start, ps)
            return q.value if q is not None else None
        if entity is None or (entity not in self.lex.fiscal_start and not self._gate(5)):
            return value  # a calendar-year company, and no "fiscal" in the text
        if value.startswith("FY") and self._calendar_company(entity):
            return value[2:]  # Meta's "fiscal 2026" is 2026: its fiscal year is the calendar's
        if (
            kind in ("guidance", "plan")
            and len(value) == 4
            and value.isdigit()
            and self.lex.fiscal_start.get(entity, 1) != 1
            and self._gate(5)
            and self.folded
            and self.low.isascii()
        ):
            # "OCI revenue of $18 billion in fiscal 2026, growing to $144 billion by 2030": a
            # fiscal-year company's targets, in a text that speaks of its fiscal years, are
            # set in fiscal years.
            return f"FY{value}"
        return _fiscal_period(
            self.low,
            p,
            value,
            entity,
            self.lex,
            self.published,
            kind == "actual" or (kind == "estimate" and self.cues.has_fact_verb(ss, m.start)),
            self._gate(5) and "fiscal" in self.low[ss:se],
        )

    def _outlook_at(self, pos: int) -> bool:
        """The English sentence holding ``pos`` gives an outlook ("projects", "expects",
        "guidance"): its period is the outlook's (read for an actual figure of a later
        sentence)."""
        if not self.folded or not self.low.isascii():
            return False
        _, ss, se, _, _ = self.segment(pos)
        return self.cues.kind_before(self.low, ss, se) in ("guidance", "plan")

    def _outlook_quarter(self, p: PeriodMention, entity: str | None) -> bool:
        """``p`` names a quarter not over when the text was published, read in ``entity``'s
        calendar (an outlook's quarter)."""
        if p.value is None or "-Q" not in p.value:
            return False
        if self.text_gates.may_in(gates.QUARTER, p.start, p.end) and (
            _THIS_QUARTER.search(self.low, p.start, p.end)
            or _STEP_QUARTER.search(self.low, p.start, p.end)
        ):
            return False  # "this quarter", "单季", "last quarter": resolved on their own
        label = p.value
        if entity is not None and (entity in self.lex.fiscal_start or self._gate(5)):
            label = _fiscal_period(self.low, p, label, entity, self.lex, self.published)
        return self._ends_after(label, entity)

    def _year_of(
        self, p: PeriodMention, value: str, entity: str | None, kind: str, ss: int, se: int
    ) -> str:
        """The year of quarter ``value`` (mention ``p``); of a quarter said to be fiscal, the
        company's fiscal year (Dell's "fiscal third quarter" to October 2025 is in FY2026)."""
        said_fiscal = (
            "fiscal" in self.low[p.start : p.end]
            or _FISCAL_BEFORE.search(self.low, max(0, p.start - 16), p.start) is not None
        )
        if not value.startswith("FY") and entity is not None and said_fiscal:
            value = _fiscal_period(
                self.low,
                p,
                value,
                entity,
                self.lex,
                self.published,
                kind == "actual",
                self._gate(5) and "fiscal" in self.low[ss:se],
            )
        return value.split("-Q")[0]

    def _year_ago_of_other(self, p: PeriodMention) -> bool:
        """``p`` names the same period a year earlier ("2024年同期", "the same quarter of
        2024"): the base of a comparison, never a period a later sentence inherits."""
        low = self.low
        return _SAME_PERIOD_AFTER.match(low, p.end) is not None or (
            self.text_gates.may_in(gates.SAME, max(0, p.start - 30), p.start)
            and _SAME_PERIOD_BEFORE.search(low, max(0, p.start - 30), p.start) is not None
        )

    def _as_of_month(self, p: PeriodMention, pos: int) -> bool:
        """``p`` is a month a stock is counted at ("截至2025年11月", "as of November") whose
        own figure stands between it and ``pos``: that figure's date, not the one at ``pos``."""
        if p.value is None or _MONTH_VALUE.fullmatch(p.value) is None:
            return False
        if _AS_OF.search(self.low, max(0, p.start - 6), p.start) is None:
            return False
        starts = self.mention_starts
        i = bisect.bisect_left(starts, p.end)
        return i < len(starts) and starts[i] < pos

    def _clause_has_figure(self, pos: int) -> bool:
        """The clause holding ``pos`` holds a number mention of its own."""
        lo, hi = self.lay.clause_bounds(pos)
        starts = self.mention_starts
        i = bisect.bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi

    def _calendar_company(self, entity: str) -> bool:
        """A company of the lexicon whose fiscal year is the calendar year."""
        return self.lex.fiscal_start.get(entity, 1) == 1 and self.lex.role(entity) == COMPANY

    def _side_clause(self, pos: int) -> bool:
        """The clause holding ``pos`` opens with a participle or a comparison ("marking",
        "compared with", "up from"): a remark on the sentence, not its figure's period."""
        lo, _ = self.lay.clause_bounds(pos)
        return _SIDE_CLAUSE.match(self.low, lo, pos) is not None

    def _starts_after(self, period: str, entity: str | None) -> bool:
        """Whether ``period`` starts after the month the text was published in."""
        if self.published is None:
            return False
        months = period_months(period, entity, self.lex)
        return months is not None and months[0] > _month_of(self.published)

    def _ends_after(self, period: str, entity: str | None) -> bool:
        """Whether ``period`` ends after the month the text was published in."""
        if self.published is None:
            return False
        months = period_months(period, entity, self.lex)
        return months is not None and months[1] > _month_of(self.published)

    def figure(self, m: Mention) -> Figure | None:
        idx, ss, se, sentence, lang = self.segment(m.head)
        cs, ce = self.lay.clause_bounds(m.start)
        words, folded = self.low, self.folded
        if (
            self.maybe_diff
            and not ((m.unit == "percent" or m.unit == "percentage_points") and lang == "en")
            and roles.is_difference(words, m.start, m.end, ss, se)
        ):
            # "$55B above estimates": a gap to expectations, nobody's figure. A gap in percent
            # ("capex 55-65% above estimates", "missed by 4%") is a change against them: kept,
            # signed by its comparison word (qualifiers.change); keyfig does not store it.
            return None
        if self._gate(10) and (
            _PER_CURRENCY.search(words, max(ss, m.start - 6), min(se, m.end + 2))
            or _EXCHANGE_RATE.search(words, max(ss, m.start - 16), m.start)
        ):
            return None  # "1美元兑31.6元新台币", "exchange rate of 31.01": a rate, nobody's figure
        qual, qstart, direction = ql.qualifier_and_change(
            words, m.start, m.end, cs, ce, folded=folded
        )
        if m.is_move or m.low is not None:
            # In "from A to as much as B" the qualifier belongs to B.
            hcs = self.lay.clause_bounds(m.head)[0]
            hq, hstart = ql.qualifier(
                words, m.head, m.end, max(cs, hcs, m.start), ce, folded=folded
            )
            # "1.64兆元～1.76兆元": the tilde between the ends is the range's dash, not "about".
            if not (m.low is not None and hq == "about" and words[hstart : m.head].strip() == "~"):
                qual = hq
        if m.is_move:
            direction = 0
        elif direction == 0 and (m.unit == "percent" or m.unit == "percentage_points"):
            direction = ql.compared_after(words, m.end, ce)
            if direction == 0:
                r = ql.restated(words, qstart, ss)
                direction = r if r in (1, -1) else 0  # a loss restated in percent is a share
        if (
            direction == 0
            and self.folded
            and not m.is_move
            and (m.unit == "percent" or m.unit == "percentage_points")
        ):
            pe, pdir, punit = self._prev_change
            if pdir != 0 and (
                (punit == m.unit and _ZH_LIST_GAP.fullmatch(words, pe, m.start))
                or _ZH_RESTATED_GAP.fullmatch(words, pe, m.start)
            ):
                # "分别下降7.8%、10.6%、10.4%": the verb is the whole list's; "跌1港元或0.2%":
                # the same move restated in percent.
                direction = pdir
        self._prev_change = (m.end, direction, m.unit)
        if m.qual is not None and (qual == "exact" or m.qual == "vague"):
            qual = m.qual  # type: ignore[assignment]
        unit = m.unit or "count"
        if (
            (m.bare_yuan or (unit in _YUAN_IMPLIED and m.mag_kind == "cjk"))
            and _CURRENCY_WRITTEN.search(self.norm, m.start, m.end) is None
            and _USERS_BEFORE.search(self.low, max(ss, m.start - 12), m.start)
        ):
            unit = "count"  # "小红书MAU达2.34亿": users, not an amount of yuan
        if unit == "¥":
            unit = resolve_yen(self.norm[ss:se], lang)
        if (
            direction == 0
            and not m.is_move
            and m.previous is None
            and (unit == "count" or unit == "users" or (len(unit) == 3 and unit.isupper()))
        ):
            # "$30 billion more than last year", "a $10 billion hike", "比去年多出600亿元": the
            # size of a move or a gap, a change (not the company's level), signed by its word.
            direction = ql.difference(words, m.start, m.end, cs, ce)
        value, low, previous = m.value, m.low, m.previous
        loss = direction == 0 and len(unit) == 3 and unit.isupper()
        is_loss = loss and ql.loss(words, qstart, m.end, cs, ce, folded=folded)
        if is_loss:
            value, low = -abs(value), (-abs(low) if low is not None else None)
            if previous is not None and (
                m.is_move or not any(_PROFIT_WORD.search(words, a, b) for a, b in m.consumed)
            ):
                # "净亏损从 X 扩大至 Y", "a loss of $2.3B, narrowing from $2.8B", "net loss widened
                # to $1.1B from $600M": both are losses, unless the base is named a profit
                # ("versus a profit of 14 cents").
                previous = -abs(previous)
        elif (
            previous is not None
            and previous > 0
            and m.consumed
            and any(_LOSS_WORD.search(words, a, b) for a, b in m.consumed)
        ):
            previous = -previous  # "a profit of $1 billion, from a loss of $200 million"
        if not is_loss and value > 0 and ql.negative(words, qstart, cs, folded=folded):
            value = -value  # "minus $2.1 billion", "negative free cash flow of $3 billion"
        elif not is_loss and loss and value > 0 and ql.restated(words, qstart, ss) == -2:
            value = -value  # "a net loss of $2.9 billion, or 67 cents per share"
        is_change = direction != 0 or (m.value < 0 and unit == "percent")
        if unit == "times":
            direction = 0  # "跌了3倍" is still 3 times: a multiple has no sign
        if direction < 0:
            value, low = -abs(value), (-abs(low) if low is not None else None)
        if low is not None and low > value:
            value, low = low, value  # "dropped 7-8%": -8 .. -7, the value is the upper end
        metric: str = self.metric(m, unit, ss, cs, ce, is_change)
        if metric == "users" and unit == "count":
            unit = "users"
        metric = _UNIT_METRICS.get(unit) or _NOUN_METRICS.get(m.noun or "") or metric
        money = len(unit) == 3 and unit.isupper()
        if money and metric == "share_price" and abs(value) >= _SHARE_PRICE_MAX:
            # "stock slipped after it moved to raise $15 billion": no price; "shares dropped
            # 17%, wiping out $600 billion": a change of that size is the market value's.
            metric = "market_value" if is_change else "other"
        if money and self.maybe_loss and roles.is_value_loss(words, m.start, m.end, ss, se):
            metric, is_change, value = "market_value", True, -abs(value)
        basis = ql.change_basis(words, m.start, m.end, cs, se, folded=folded) if is_change else None
        entity, segment, counterparty, known, forced = self.who(m.start, m.end, ss, se, ce)
        if (
            segment is not None
            and metric == "other"
            and self._metric_hit is None
            and lang == "en"
            and (
                (is_change and unit == "percent")
                or (money and _SALES_VERB.search(words, cs, m.start) is not None)
            )
        ):
            # "AWS grew 24%", "Azure +39% cc", "the Intelligent Cloud segment brought in $26.8
            # billion": a business unit's own figure, no measure named, is its sales.
            metric = "revenue"
        projects = False
        if (
            forced != "aggregate"
            and (entity is None or not known)
            and self._many_projects(m.start, m.end, ss, se)
        ):
            # "RM164 billion in data centre projects", "42 projects worth RM164 billion": a
            # sum over many projects, the place's or the industry's, not one company's.
            if entity is None:
                entity = orgnames.lead_place(sentence, self._is_known) or "Industry"
            segment, counterparty, known, forced = None, None, True, "aggregate"
            projects = True
        if m.bare_yuan and entity is not None and metric not in _MARKET_METRICS:
            # A bare 元 is in the currency the company reports in: "(中央社)阿里巴巴營收2,478億元"
            # is yuan, not New Taiwan dollars (a quoted price or market value stays the text's).
            # A 港元 reading is a quoted price's; a small amount is a price per share or unit.
            own = self.lex.currency.get(entity)
            if (
                own is not None
                and own != unit
                and (unit == "CNY" or unit == "TWD" or unit == "HKD")
                and own in _YUAN_IMPLIED
                and abs(value) >= 1e4
            ):
                unit = own
        kind = self.kind(
            idx, m.start, m.end, ss, se, ce, low is not None and metric not in _MARKET_METRICS
        )
        self._prev = (idx, m.end, kind)
        if kind == "plan" and metric in _RESULTS:
            kind = "guidance"  # "revenue will reach $65B": a forecast of results, not a plan
        elif kind in ("plan", "guidance") and metric == "share_price" and is_change:
            kind = "actual"  # "Amazon's capex plan tanks stock 11%": the plan's, not the move's
        if forced == "aggregate":
            kind = "aggregate"
        elif forced == "funding" and money and metric in ("other", "investment", "spending"):
            metric = "funding"
        elif forced == "investment" and money and metric in ("other", "borrowing", "funding"):
            metric = "investment"  # a payer's money put into another company's project
        near_lo, near_hi = max(ss, m.start - _REACH), min(se, m.end + _REACH)
        if (
            money
            and self.maybe_raise
            and metric in ("other", "investment")
            and (
                roles.raised_right_before(words, near_lo, m.start)
                or (
                    roles.raises(words, near_lo, m.start)
                    and roles.funding_cue(words, near_lo, near_hi)
                )
            )
        ):
            metric = "borrowing" if roles.debt_cue(words, near_lo, near_hi) else "funding"
        if projects and money and metric in ("other", "funding"):
            metric = "investment"  # what projects are worth is invested in them, not raised
        if metric == "funding" and entity is not None:
            self._prev_funding = (ss, entity)
        period = self.period(m, ss, se, cs, ce, is_change, entity, kind)
        if (
            kind == "actual"
            and period is not None
            and metric not in _MARKET_METRICS
            and self._starts_after(period, entity)
        ):
            # "美团提出下季度营收目标为1000亿元": nothing has happened yet in a period that starts
            # after the text was written; a figure for it is an outlook or a plan.
            kind = "guidance" if metric in _RESULTS else "plan"
        if (
            period is not None
            and not is_change
            and self.low.startswith(" ", m.end)
            and _YEAR_AGO_AFTER.match(self.low, m.end)
        ):
            period = _year_before(period)  # "from $6.81 billion a year ago"
        if (
            kind in ("plan", "guidance")
            and not is_change
            and self.published is not None
            and self.folded
            and _PAST_AMOUNT_AFTER.match(self.low, m.end) is not None
        ):
            # "…$115-135 billion in 2026, nearly double the $72.2 billion it spent": an amount
            # spent is a result, of a year already over (the outlook's year is not).
            kind = "actual"
            if period is not None and period.isdigit() and int(period) >= self.published.year:
                period = str(self.published.year - 1)
        # A copy of a dict of every field, its values replaced: cheaper than building one.
        state = _FIGURE_STATE.copy()
        state["entity"] = entity
        state["metric"] = metric
        state["value"] = float(value)
        state["unit"] = unit
        state["qualifier"] = qual
        state["period"] = period
        state["is_change"] = is_change
        state["change_basis"] = basis
        state["low"] = _as_float(low)
        state["previous"] = _as_float(previous)
        state["conversion"] = m.conversion
        state["usd_value"] = _as_float(self.usd(value, unit, m.conversion))
        state["lang"] = lang
        state["span"] = (m.start, m.end)
        state["sentence"] = sentence
        state["kind"] = kind
        state["counterparty"] = counterparty
        state["segment"] = segment
        state["entity_known"] = known
        state["noun"] = m.noun if unit == "count" else None
        return _make_figure(state, _GIVEN)

    def usd(self, value: float, unit: str, conversion: Conversion | None) -> float | None:
        if conversion is not None and conversion.unit == "USD":
            return conversion.value
        if unit == "USD":
            return value
        if not (len(unit) == 3 and unit.isupper()):
            return None
        rate = self.rates.get(unit)
        if rate is not None:
            return value * rate
        if conversion is not None and conversion.unit in self.rates:
            return conversion.value * self.rates[conversion.unit]
        return None

    def multiples(self, mentions: list[Mention]) -> list[Figure]:
        """ "doubled"/"翻倍" as a +100 % change, only in clauses that state no number."""
        out: list[Figure] = []
        found = ql.multiples(self.norm, self.low_or_none)
        if not found:
            return out  # most texts
        starts = [m.start for m in mentions]
        for start, end, pct in found:
            cs, ce = self.lay.clause_bounds(start)
            i = bisect.bisect_left(starts, cs)
            if i < len(starts) and starts[i] < ce:
                continue
            if any(cs <= a < ce for m in mentions for a, _ in m.consumed):
                continue  # "more than doubles the $14.9 billion": a base was stated, given
            _, ss, se, sentence, lang = self.segment(start)
            qual, _ = ql.qualifier(self.low, start, end, cs, ce, folded=self.folded)
            fake = Mention(start, end, pct, pct, 1.0, "", "percent", head=start)
            who = self.who(start, end, ss, se, ce)
            p = self.periods.nearest(start, end, cs, ce, [], False) or self.periods.nearest(
                start, end, ss, se, [], False
            )
            out.append(
                _figure_of(
                    {
                        "entity": who[0],
                        "metric": self.metric(fake, "percent", ss, cs, ce, True),
                        "value": float(pct),
                        "unit": "percent",
                        "qualifier": qual,
                        "period": p.value if p is not None else None,
                        "is_change": True,
                        "change_basis": ql.change_basis(
                            self.low, start, end, cs, se, folded=self.folded
                        ),
                        "lang": lang,
                        "span": (start, end),
                        "sentence": sentence,
                        "kind": "aggregate" if who[4] == "aggregate" else "actual",
                        "segment": who[1],
                        "entity_known": who[3],
                    }
                )
            )
        return out


_CALENDAR_PART: Final = re.compile(r"(\d{4})-(Q[1-4](?:\.\.Q[1-4])?|H[12])")
_YEAR_IN: Final = re.compile(r"(?:19|20)\d{2}|'\d{2}")


_LOSS_WORD: Final = re.compile(r"(?<![a-z])(?:loss|losses|deficit)(?![a-z])|亏损|虧損|净亏|淨虧")
_PROFIT_WORD: Final = re.compile(
    r"(?<![a-z])(?:profit|income|gain|earnings|surplus)|盈利|获利|獲利|净利|淨利|盈餘|盈余|赚|賺",
    re.IGNORECASE,
)


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` occurs in ``text`` (a plain loop: cheaper compiled than any())."""
    for w in words:  # noqa: SIM110 - compiled, a loop beats any() over a generator
        if w in text:
            return True
    return False


# A quarter named relative to the publication's, before or after it (periods: 上季度 …).
_REL_QUARTER: Final = re.compile(r"(上|下|刚|最)(?:一|刚结束的|结束的|近一)?(?:个)?(财)?季度?")


def _fiscal_period(
    low: str,
    p: PeriodMention,
    value: str,
    entity: str | None,
    lex: Lexicon,
    published: dt.date | None,
    reported: bool = False,
    fiscal_sentence: bool = False,
) -> str:
    """``value`` read in ``entity``'s fiscal calendar when the text speaks of its fiscal
    quarters: "fiscal second quarter", or a quarter without a year of a company whose fiscal
    year does not start in January (FY2026-Q2 of Microsoft, not 2026-Q2)."""
    if entity is None or value.startswith("FY"):
        return value
    start = lex.fiscal_start.get(entity, 1)
    if start != 1 and published is not None:
        rel = _REL_QUARTER.match(low, p.start, p.end)
        if rel is not None and rel.group(2):
            # "上个财季", "刚刚结束的财季", "下一财季": the company's fiscal quarter before or
            # after the one the article is published in (Microsoft's in November 2025 is
            # FY2026-Q2: the one before is FY2026-Q1, July - September). Without 财 ("上季")
            # the calendar quarter stays.
            fy = published.year + (1 if published.month >= start else 0)
            n = fy * 4 + (published.month - start) % 12 // 3 + (1 if rel.group(1) == "下" else -1)
            return f"FY{n // 4}-Q{n % 4 + 1}"
    part = _CALENDAR_PART.fullmatch(value)
    if part is None:
        return value
    said_fiscal = _FISCAL_BEFORE.search(low, max(0, p.start - 16), p.start) is not None
    has_year = _YEAR_IN.search(low, p.start, p.end) is not None
    if start == 1:
        return f"FY{value}" if said_fiscal else value
    if has_year and not said_fiscal:
        if reported and published is not None and part.group(2)[0] == "Q":
            # A result reported is of a quarter over: "Q3'25" in May 2025 is not July -
            # September 2025 but the company's fiscal third quarter (Supermicro's Jan - Mar).
            q, y = int(part.group(2)[1]), int(part.group(1))
            grace = published + dt.timedelta(days=7)
            fy_end = dt.date(*_month_after(_fy_first(y, start), 3 * q - 1), 28)
            if dt.date(y, 3 * q, 28) > grace and fy_end <= grace:
                return f"FY{value}"
        return value  # "Q4 2025": a calendar quarter
    if has_year or published is None:
        return f"FY{part.group(1)}-{part.group(2)}" if said_fiscal else value
    if _CALENDAR_WORDS.search(low, p.start, p.end) is not None:
        return value  # "the three months ending December": calendar months
    label = part.group(2)
    q = int(label[-1]) if label[0] == "Q" else 2 * int(label[1])
    fy = nearest_fiscal_quarter(q, start, published)
    if reported and label[0] == "Q":
        # A result reported is of a quarter already over: the fiscal year whose quarter ended
        # last before the article (Broadcom's "first quarter" in March is Nov - Jan).
        fy = _last_fiscal_ended(q, start, published)
    if not said_fiscal and not fiscal_sentence:
        # Either reading (unless the sentence speaks of fiscal periods: "second-quarter fiscal
        # 2026 … first-quarter revenue"): the one whose quarter ends closer to the article's date (a report
        # in January about "the second quarter" of Microsoft is its fiscal one, Oct - Dec);
        # for a result reported, of those already over.
        cal_end = dt.date(int(part.group(1)), 3 * q if label[0] == "Q" else 6 * (q // 2), 28)
        first = _fy_first(fy, start)
        fy_end = dt.date(*_month_after(first, 3 * q - 1), 28)
        cal_gap, fy_gap = abs((cal_end - published).days), abs((fy_end - published).days)
        if reported and label[0] == "Q":
            if cal_end <= published + dt.timedelta(days=7) and (
                fy_end > published + dt.timedelta(days=7) or cal_gap <= fy_gap
            ):
                return value
        elif cal_gap <= fy_gap:
            return value
    return f"FY{fy}-{label}"


_DIGIT: Final = re.compile(r"\d")
# The size of a market or an industry, named in the figure's clause before it.
_MARKET_SIZE: Final = re.compile(
    r"(?:市场|产业|行业)的?总?(?:规模|产值)|\bmarket\s+size\b|\bsize\s+of\s+the\s+[a-z ]{0,30}market\b"
)
# How far into a paragraph its opening company may stand ("另外，", "Separately, ").
_TOPIC_REACH: Final = 14
_CLOSE_BRACKET: Final = re.compile(r"[)）]")
# Between "从2025年" and the amount that was the level then: 的 and a qualifier at most.
_LEVEL_AT_GAP: Final = re.compile(r"\s*年?\s*的?\s*(?:约|近|逾|超过|超|达|仅)?\s*")
_TOPIC_LEAD: Final = re.compile(r"\s*(?:[^\s,，。;；:：“”\"「」]{1,12}[,，]\s*)?")
# Between two items of a Chinese list.
_ZH_LIST_GAP: Final = re.compile(r"\s*(?:、|和|及|与|以及)\s*")
_ZH_RESTATED_GAP: Final = re.compile(r"\s*[,，]?\s*或\s*")
# An appositive or relative aside after a comma ("RPO, a measure of future revenue, ...").
_ASIDE_OPEN: Final = re.compile(r"\s*(?:a|an|which|or|i\.e\.)\s")
_EPS_MAX: Final = 1000.0  # a per-share amount is below this (in its currency's units)
_PER_SHARE_AFTER: Final = re.compile(r"\s*(?:per|a)\s+(?:diluted\s+)?share\b")
# Between a metric word and the number it introduces ("a backlog of $18.4B", "revenue: $3B").
_INTRODUCES: Final = re.compile(
    r"\s*(?:of|at|was|were|is|are|reached|hit|totaled|totalled|topped|stood\s+at|came\s+in\s+at"
    r"|:|=)?\s*(?:about|around|nearly|approximately|roughly|some|almost|over|more\s+than"
    r"|up\s+to|at\s+least)?\s*(?:us|nt|hk|s)?[$€£¥]?"
)
# What a business unit does with its sales ("Google Cloud generated $17.7B", "grew 21% to").
_SALES_VERB: Final = re.compile(
    r"\b(?:gr[eo]w|growing|rose|increased|climbed|jumped|surged|generat(?:ed|ing)|brought\s+in"
    r"|pulled\s+in|raked\s+in|posted|reported|delivered|booked)\b"
)
_LABEL_MAX: Final = 40  # the longest "Label:" whose metric a value after the colon takes
# A valuation said as a verb ("valuing it at", "valued at"): it governs its own clause only.
_VALUING_VERB: Final = re.compile(r"valu(?:e[sd]?|ing|ate[sd]?)$")
# Costs and expenses (folded Chinese): measures of their own, none of the metrics.
_COST_NOUN: Final = re.compile(r"费用|成本")
# Between a figure and the ratio or cost noun naming it, in Chinese: at most a few characters of
# the noun phrase ("的", "的全球"), no space, bracket or punctuation.
# A share move in Chinese, right before its percentage: a move verb ("升", "跌近", "大涨约") or
# a move noun ("涨幅", "跌幅超过"), then a qualifier.
_STOCK_MOVE: Final = re.compile(
    r"(?:(?:收盘|收市|开盘|盘中|尾盘|早段|午后|全日|单周|今日|昨日|一度|最终|累计|再|亦|也|更|则)?"
    r"(?:大|急|猛|狂|飙|暴|小|微)?(?:上涨|下跌|上升|下挫|回落|收涨|收跌|收升|涨停|[升涨跌挫])了?"
    r"|涨幅|跌幅|升幅)"
    r"(?:已|约为?|近|逾|超过?|达到?|高达|接近|为|至)?\s*$"
)
# Between a company and its share move: a ticker in brackets, a market or a time of day.
_STOCK_SUBJECT_GAP: Final = re.compile(
    r"\s*(?:\([^()]{1,16}\))?\s*(?:(?:港股|美股|a股|股价|今日|今天|昨日|昨天|早段|午后|尾盘|盘中|"
    r"收市|收盘|开盘|全日|单周|本周|上周|今年以来|年内|亦|也|再|则|更|一度|最终|[,，]?同日)\s*)*"
)
# Words of a trading day: the open, the close, a quote, a limit move.
_TRADING_DAY: Final = re.compile(r"收盘|收市|开盘|盘中|尾盘|收报|报收|收于|涨停|跌停|港股|美股")
# A quoted share price: "报85元", "每股报收345港元", "最终报收131.50港元".
_QUOTE_BEFORE: Final = re.compile(r"(?:[,;]|每股|最终|收盘|开盘)\s*(?:报收|收报|报)\s*$")
_TRADING_DAY_OR_MOVE: Final = re.compile(
    r"收盘|收市|开盘|盘中|尾盘|涨停|跌停|港股|美股|[升涨跌][^,;。\d]{0,4}\d+(?:\.\d+)?\s*%"
)
_CJK_BEFORE: Final = re.compile(r"[\u3400-\u9fff]")
_DE_AFTER: Final = re.compile(r"\s*的\s*")
# Between a subject (a metric word) and its figure in Chinese: a verb, qualifier or period
# word or two ("为", "达到约", "同比增长"), no clause punctuation.
_SUBJECT_GAP: Final = re.compile(r"(?!的)[^,;:.()\[\]\d]{0,8}")
_OWN_NOUN_AFTER: Final = re.compile(r"[^\s\[\]()\-,;:.%\d]{0,6}")
_DURATION_VALUE: Final = re.compile(r"[a-z0-9]+-(?:year|quarter|month|week|day)")
# A range of these is the market's swing, not a forecast ("shares fell 6-7%").
_MARKET_METRICS: Final = frozenset({"share_price", "market_value"})
_THIS_QUARTER: Final = re.compile(
    r"(?i:\b(?:this|the\s+current)\s+quarter)|(?:本|这一?|该|当|单)(?:个)?财?季"
)


def reported_quarter(published: dt.date, start: int, completed: bool) -> str:
    """The quarter under way at ``published`` or (``completed``) the last one completed, in
    the fiscal calendar whose year starts in month ``start`` (``FY2026-Q2``; calendar
    ``2025-Q4`` when it starts in January)."""
    y, mo = published.year, published.month
    if completed:
        n = y * 12 + mo - 1 - 3
        y, mo = n // 12, n % 12 + 1
    q = (mo - start) % 12 // 3 + 1
    if start == 1:
        return f"{y}-Q{q}"
    return f"FY{y + 1 if mo >= start else y}-Q{q}"


# English only: "上季度" is as often the base of a quarter-on-quarter change ("较上季度").
# "2025-2027 年营收为 1555.56/1899.86/2263.13 亿元", "2022年至2024年 … 分别为 A、B、C": one
# value per year of the range, in order.
_YEAR_RANGE: Final = re.compile(
    r"(?P<a>(?:19|20)\d{2})\s*年?\s*(?:至|到|-|–|—|~)\s*(?P<b>(?:19|20)\d{2})\s*年?"
)
_LIST_NUM: Final = r"[-−]?\d[\d,]*(?:\.\d+)?\s*(?:亿元|万元|亿|万|元|%|倍)?"
_LIST_SEP: Final = r"\s*(?:、|/|和|及|以及|与)\s*"
_ITEMS_BEFORE: Final = re.compile(rf"(?:{_LIST_NUM}{_LIST_SEP})+$")
_ITEM_BEFORE: Final = re.compile(rf"{_LIST_NUM}{_LIST_SEP}")
_ITEMS_AFTER: Final = re.compile(rf"(?:{_LIST_SEP}{_LIST_NUM})+")
_ITEM_AFTER: Final = re.compile(rf"{_LIST_SEP}{_LIST_NUM}")


def _respective_year(low: str, start: int, end: int, para: int) -> str | None:
    """The year of a value listed "respectively" against a range of years before it: the
    list's i-th value is the range's i-th year (None when the list's length is not the
    range's, or it is neither a "/" list nor one after "分别")."""
    lo = max(para, start - 60)
    before = _ITEMS_BEFORE.search(low, lo, start)
    after = _ITEMS_AFTER.match(low, end, min(len(low), end + 120))
    i = len(_ITEM_BEFORE.findall(low, before.start(), start)) if before is not None else 0
    n = i + 1 + (len(_ITEM_AFTER.findall(low, after.start(), after.end())) if after else 0)
    if n < 2:
        return None
    first = before.start() if before is not None else start
    seps = low[first : after.end() if after else end]
    if "/" not in seps and "分别" not in low[max(para, first - 12) : first]:
        return None
    rng = None
    for r in _YEAR_RANGE.finditer(low, max(para, first - 200), first):
        rng = r
    if rng is None:
        return None
    a, b = int(rng.group("a")), int(rng.group("b"))
    return str(a + i) if b - a + 1 == n else None


_AFTER_OBJECT: Final = re.compile(
    r"(?<![a-z])(?:from|with|as|than|against)\s+(?:the\s+)?"
    # "with private-credit outfit Blue Owl": a description of the partner before its name
    r"(?:[a-z-]+\s+(?:(?:firm|outfit|giant|group|manager|lender|fund|investor|partner|company)\s+)?)?$"
)
_SIDE_CLAUSE: Final = re.compile(
    r"\s*(?:and\s+)?(?:[a-z]+ing\b|compared\s+(?:with|to)\b|(?:up|down)\s+from\b)"
)
_STEP_QUARTER: Final = re.compile(
    r"(?i:\b(?:last|next|latest|recent)\s+(?:fiscal\s+)?quarter)"
)  # "the latest quarter", "its most recent fiscal quarter": the last one reported
# Companies report a quarter about four weeks after it ends (three to six in practice).
_REPORT_LAG: Final = dt.timedelta(days=28)


def last_reported_quarter(published: dt.date, start: int, lag: dt.timedelta = _REPORT_LAG) -> str:
    """The last quarter whose results are out at ``published`` (one that ended at least
    ``lag`` before it), in the fiscal calendar whose year starts in month ``start``."""
    n = published.year * 12 + published.month - 1  # months since year 0, this month
    # the month a quarter of this calendar ends in, at or before this month
    n -= (published.month - start) % 3 + 1
    while True:
        y, mo = divmod(n + 1, 12)  # the month after the quarter's last
        if dt.date(y, mo + 1, 1) + lag <= published:
            break
        n -= 3
    ey, em = divmod(n, 12)
    return _quarter_label(ey, em + 1, start)


def _quarter_label(year: int, end_month: int, start: int) -> str:
    """The quarter that ends in ``year``-``end_month``, in the calendar starting in ``start``."""
    q = (end_month - start) % 12 // 3 + 1
    if start == 1:
        return f"{year}-Q{q}"
    return f"FY{year + 1 if end_month >= start else year}-Q{q}"


_CALENDAR_WORDS: Final = re.compile(
    r"month|月|end|through|截至|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
)


def _last_fiscal_ended(q: int, start: int, published: dt.date) -> int:
    """The fiscal year (starting in month ``start``) whose quarter ``q`` ended last before
    ``published`` (a week's grace for a month-end date)."""
    for fy in range(published.year + 2, published.year - 3, -1):
        ey, em = _month_after(_fy_first(fy, start), 3 * q - 1)
        if dt.date(ey, em, 28) <= published + dt.timedelta(days=7):
            return fy
    return published.year


def _fy_first(fy: int, start: int) -> tuple[int, int]:
    return (fy, 1) if start == 1 else (fy - 1, start)


def _month_after(ym: tuple[int, int], months: int) -> tuple[int, int]:
    n = ym[0] * 12 + ym[1] - 1 + months
    return n // 12, n % 12 + 1


def _month_of(day: dt.date) -> str:
    """``YYYY-MM`` of ``day`` (as ``period_months`` writes months; no strftime per figure)."""
    return f"{day.year:04d}-{day.month:02d}"
