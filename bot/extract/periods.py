"""Period mentions and their normalized strings.

Period strings (``Figure.period``):

=====================  ==================================================================
``"2026"``             a calendar year ("in 2026", "this year", "今年", "2026 年")
``"FY2025"``           a fiscal year ("fiscal 2025", "FY25", "2025 财年")
``"FY2026-Q3"``        part of a fiscal year ("the third quarter of fiscal 2026", "Q3 FY26"; also
                       ``FY2026-H1``, ``FY2026-Q1..Q3``)
``"2025-Q4"``          a quarter ("Q4 2025", "fourth quarter", "the three months ending
                       December", "截至 12 月的三个月", "2025 年第四季度")
``"2025-Q1..Q3"``      consecutive quarters ("first three quarters of 2025", "前三季", "first
                       nine months")
``"2025-H1"``          a half year ("first half of 2025", "2025 年上半年")
``"2025-09"``          a month ("last September", "September 2025", "去年 9 月")
``"end-2025"``         a point at a year's end ("by end-2025", "by the end of 2025", "2025 年底")
``"since 2025-09"``    a window from a point ("from a peak last September", "自去年 9 月高点")
``"2026..2030"``       a span of years ("2026–2030")
``"three-year"``       a duration; English words up to ten, digits above ("15-year")
                       ("three-year plan", "三年", "over the next five years")
``"1-week"``           a short window ("in the week after", "后一周"); also ``"1-day"``
=====================  ==================================================================

Relative expressions ("this year", "last September", a quarter or month without a year) are
resolved against the item's ``published`` date; without one they give no period (None). A
quarter or half without a year is the one whose end is closest to ``published``; a month
without a year is the most recent one not after ``published``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import EllipsisType
from typing import Final

from bot.extract.approx import ApproxDate
from bot.extract.textfold import given
from bot.extract.wordscan import trie_regex

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?(?![A-Za-z])"
)
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_WORD_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
_NUM_WORD = {v: k for k, v in list(_WORD_NUM.items())[:10]}
_YEAR = r"(?:19|20)\d{2}"


@dataclass(slots=True, init=False)
class PeriodMention:
    """A period found in the text (read-only by convention)."""

    start: int
    end: int
    value: str | None  # None when relative and no ``published`` date was given

    # Written out (init=False): compiled, this is native code, where the generated __init__
    # would run as interpreted Python for every period.
    def __init__(self, start: int, end: int, value: str | None) -> None:
        self.start = start
        self.end = end
        self.value = value


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text.lstrip("'"))
    return y + 2000 if y < 100 else y


APPROX_DAYS: Final = 31


def _year_uncertain(pub: dt.date) -> bool:
    span = dt.timedelta(days=APPROX_DAYS)
    return isinstance(pub, ApproxDate) and (pub - span).year != (pub + span).year


def _rel_year(word: str, pub: dt.date | None) -> int | None:
    if pub is None or _year_uncertain(pub):
        return None
    w = word.lower()
    if w in ("last", "去", "上"):
        return pub.year - 1
    if w in ("next", "明"):
        return pub.year + 1
    return pub.year


# Pure, and called with a handful of (month, date) pairs: cached, it skips three date
# constructions per quarter or half written without a year.
@functools.lru_cache(maxsize=1024)
def _nearest_year(end_month: int, pub: dt.date | None) -> int | None:
    """Year whose ``end_month`` end is closest to ``pub`` (for a quarter/half without a year)."""
    if pub is None:
        return None
    best = min(
        (pub.year - 1, pub.year, pub.year + 1),
        key=lambda y: abs((dt.date(y, end_month, 28) - pub).days),
    )
    return best


def _past_year(month: int, pub: dt.date | None) -> int | None:
    if pub is None:
        return None
    return pub.year if month <= pub.month else pub.year - 1


def _duration(n: int, unit: str = "year") -> str:
    return f"{_NUM_WORD.get(n, str(n))}-{unit}" if unit == "year" else f"{n}-{unit}"


def _quarters(first: int, last: int, year: int | None) -> str | None:
    if year is None:
        return None
    return f"{year}-Q{first}" if first == last else f"{year}-Q{first}..Q{last}"


Handler = Callable[["re.Match[str]", "dt.date | None"], "str | None"]


def _fiscal(period: str | None, fiscal: bool) -> str | None:
    """``FY2026-Q3``: a part of a fiscal year (companies' fiscal years rarely match calendar
    ones, so "the third quarter of fiscal 2026" is not ``2026-Q3``)."""
    return f"FY{period}" if fiscal and period is not None else period


def _h_ordinal_part(m: re.Match[str], pub: dt.date | None) -> str | None:
    explicit = _year(m.group("y"))
    return _fiscal(
        _ordinal_part(m, pub, explicit), explicit is not None and bool(m.group("fiscal"))
    )


def _ordinal_part(m: re.Match[str], pub: dt.date | None, explicit: int | None) -> str | None:
    n = _ORD.get(m.group("ord").lower())  # "fırst" (dotless ı) matches IGNORECASE only
    if n is None:
        return None
    kind = " ".join(m.group("kind").lower().split())
    if kind in ("three quarters", "nine months"):
        return _quarters(1, 3, explicit or _nearest_year(9, pub)) if n == 1 else None
    if kind in ("half", "six months"):
        if n > 2:
            return None
        y = explicit or _nearest_year(6 * n, pub)
        return None if y is None else f"{y}-H{n}"
    return _quarters(n, n, explicit or _nearest_year(3 * n, pub))


def _h_q(m: re.Match[str], pub: dt.date | None) -> str | None:
    q = int(m.group("q"))
    y = _year(m.group("y1") or m.group("y2")) or _nearest_year(3 * q, pub)
    return _fiscal(_quarters(q, q, y), bool(m.group("fy")) and bool(m.group("y2")))


def _h_half(m: re.Match[str], pub: dt.date | None) -> str | None:
    h = int(m.group("h"))
    y = _year(m.group("y1") or m.group("y2")) or _nearest_year(6 * h, pub)
    return None if y is None else f"{y}-H{h}"


def _h_months_ending(m: re.Match[str], pub: dt.date | None) -> str | None:
    month = _MONTHS[m.group("mon")[:3].lower()]
    y = _year(m.group("y")) or _past_year(month, pub)
    return _quarters((month + 2) // 3, (month + 2) // 3, y)


def _h_zh_months_ending(m: re.Match[str], pub: dt.date | None) -> str | None:
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    y = _year(m.group("y")) or _past_year(month, pub)
    return _quarters((month + 2) // 3, (month + 2) // 3, y)


def _h_rel_year(m: re.Match[str], pub: dt.date | None) -> str | None:
    if m.group("rel2"):
        # "the latest quarter", "its most recent quarter": the last one before publication (a
        # company's fiscal quarter follows from the calendar one)
        rel, kind = "last", "quarter"
    else:
        rel, kind = m.group("rel").lower(), (m.group("kind") or "year").lower()
    if rel.endswith("coming"):
        # "the coming year": in its first quarter (results season), the year under way
        rel = "this" if pub is not None and pub.month <= 3 and "year" in m.group(0) else "next"
    y = _rel_year(rel, pub)
    if y is None:
        return None
    if kind == "quarter" and pub is not None:
        q = (pub.month - 1) // 3 + 1
        if rel == "last":
            q, y = (4, pub.year - 1) if q == 1 else (q - 1, pub.year)
        elif rel == "next":
            q, y = (1, pub.year + 1) if q == 4 else (q + 1, pub.year)
        else:
            y = pub.year
        return f"{y}-Q{q}"
    return str(y)


def _h_month(m: re.Match[str], pub: dt.date | None) -> str | None:
    if m.group("day"):
        return None  # "June 3, 2026", "as of Jan. 29": the day of an event, not a figure's period
    month = _MONTHS[m.group("mon")[:3].lower()]
    y = _year(m.group("y"))
    rel = (m.group("rel") or "").lower()
    if y is None and pub is not None:
        if rel == "last":
            y = pub.year if month < pub.month else pub.year - 1
        elif rel == "next":
            y = pub.year if month > pub.month else pub.year + 1
        elif rel == "this":
            y = pub.year
        else:
            y = _past_year(month, pub)
    if y is not None and month % 3 == 0 and _QUARTER_AFTER.match(m.string, m.end()) is not None:
        return f"{y}-Q{month // 3}"  # "the September quarter": the quarter ending in September
    return None if y is None else f"{y}-{month:02d}"


_QUARTER_AFTER = re.compile(r"[\s-]+quarter\b", re.IGNORECASE)


_ZH_DAY = re.compile(r"\s*\d{1,2}\s*[日号]")


def _h_zh_month(m: re.Match[str], pub: dt.date | None) -> str | None:
    if _ZH_DAY.match(m.string, m.end()) is not None:
        return None  # "2025年12月3日": a day, not a figure's period
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    y = _year(m.group("y"))
    if y is None and m.group("rel"):
        y = _rel_year(m.group("rel"), pub)
    if y is None:
        y = _past_year(month, pub)
    return None if y is None else f"{y}-{month:02d}"


def _h_zh_first3(m: re.Match[str], pub: dt.date | None) -> str | None:
    y = _year(m.group("y")) or (
        _rel_year(m.group("rel"), pub) if m.group("rel") else _nearest_year(9, pub)
    )
    return _quarters(1, 3, y)


def _h_zh_half(m: re.Match[str], pub: dt.date | None) -> str | None:
    h = 1 if m.group("h") == "上" else 2
    y = _year(m.group("y")) or (
        _rel_year(m.group("rel"), pub) if m.group("rel") else _nearest_year(6 * h, pub)
    )
    return None if y is None else f"{y}-H{h}"


def _h_fiscal(m: re.Match[str], pub: dt.date | None) -> str | None:
    y = _year(m.group("y"))
    return None if y is None else f"FY{y}"


def _h_duration(m: re.Match[str], pub: dt.date | None) -> str | None:
    raw = m.group("n").lower()
    n = _WORD_NUM.get(raw) or (int(raw) if raw.isdigit() else None)
    if n is None and raw.startswith("十"):
        n = 10 + _WORD_NUM.get(raw[1:], 0)
    return None if not n or n > 50 else _duration(n)


def _h_year_range(m: re.Match[str], pub: dt.date | None) -> str | None:
    a, b = int(m.group("a")), int(m.group("b"))
    return f"{a}..{b}" if a < b else None


def _h_rel_zh(m: re.Match[str], pub: dt.date | None) -> str | None:
    y = _rel_year(m.group("rel"), pub)
    return None if y is None else str(y)


def _h_year(m: re.Match[str], pub: dt.date | None) -> str | None:
    s, e = m.string, m.end()
    if e + 1 < len(s) and s[e] == "." and s[e + 1].isdigit():
        return None  # "1928.69亿元": a number (a scan block may end at its ".", hiding the rest)
    return m.group("y")


_ZH_Y = rf"(?:(?P<y>{_YEAR})\s*年\s*|(?P<rel>今|去|明|上)年(?:度)?\s*)"
_NUMW = r"one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}"
_PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(rf"(?i:\b(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+|-)(?P<kind>three\s+quarters|nine\s+months|six\s+months|half|quarter)(?![a-z]))(?:\s+(?:of\s+)?(?P<fiscal>(?i:fiscal\s+))?(?:year\s+)?(?P<y>{_YEAR})(?!\d))?"), _h_ordinal_part),
    (re.compile(rf"(?<![A-Za-z0-9])(?:(?P<y1>{_YEAR})\s*)?Q(?P<q>[1-4])(?:\s*(?P<fy>FY\s*)?(?P<y2>{_YEAR}|'?\d{{2}}))?(?![A-Za-z0-9])|(?<![A-Za-z0-9])(?P<q2>[1-4])Q(?P<y3>\d{{2}})(?![A-Za-z0-9])"), lambda m, p: _h_q_any(m, p)),
    (re.compile(rf"(?<![A-Za-z0-9])(?:(?P<y1>{_YEAR})\s*)?H(?P<h>[12])(?:\s*(?P<y2>{_YEAR}))?(?![A-Za-z0-9])"), _h_half),
    (re.compile(rf"(?i:\b(?:three|3)[- ]months?|\bquarter)\s+(?:ending|ended|to|through|that\s+ended)\s+{_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+(?P<y>{_YEAR}))?"), _h_months_ending),
    (re.compile(r"(?i:\b(?P<rel>this|last|next|the\s+current|the\s+(?:up)?coming)\s+(?P<kind>year|quarter)\b|\b(?P<rel2>latest|recent)\s+(?:fiscal\s+)?(?P<kind2>quarter)\b)"), _h_rel_year),
    (re.compile(rf"(?i:\b(?:the\s+)?end(?:-|\s+of\s+)(?:(?P<y>{_YEAR})|(?:the\s+|this\s+)?year|(?P<rel>next|last)\s+year)|\byear-end(?:\s+(?P<y2>{_YEAR}))?)"), lambda m, p: _h_end_any(m, p)),
    (re.compile(rf"(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?{_MONTH}(?:\s+(?P<day>\d{{1,2}})(?!\d))?(?:,?\s+(?P<y>{_YEAR})(?!\d))?"), _h_month),
    (re.compile(rf"(?i:\b(?:FY|fiscal(?:\s+year)?\s*)(?P<y>{_YEAR}|'?\d{{2}})\b)|(?P<y2>{_YEAR})\s*(?:财年|财政年度)|财年\s*(?P<y3>{_YEAR})"), lambda m, p: _h_fiscal_any(m)),
    (re.compile(rf"(?i:(?:\b(?:over|in|for|within)\s+(?:the\s+(?:next|coming|past|last)\s+)?(?P<n>{_NUMW})\s+years\b)|\b(?P<n2>{_NUMW})[- ]year(?![a-z])(?!\s+(?:high|low|record|peak)))"), lambda m, p: _h_duration_any(m)),
    (re.compile(r"(?i:\b(?:in\s+)?(?:the|a|that)\s+(?:single\s+)?(?:week|(?P<d>day))\s+(?:after|following|since)\b|\ba\s+single\s+(?P<d2>day)\b)|(?:后|前|上|这|当|同)?一(?:周|星期)(?:内)?|(?P<d3>单日|当日|一天内)"), lambda m, p: "1-day" if (m.group("d") or m.group("d2") or m.group("d3")) else "1-week"),
    (re.compile(rf"截至\s*(?:(?P<y>{_YEAR})\s*年\s*)?(?P<m>\d{{1,2}})\s*月(?:\s*\d{{1,2}}\s*日)?\s*(?:止)?\s*的?\s*(?:三个月|季度|当季|单季)"), _h_zh_months_ending),
    (re.compile(rf"{_ZH_Y}?(?:[前首](?:三|3)季度?|[前首](?:三|3)个季度|[前首](?:9|九)个月)"), _h_zh_first3),
    (re.compile(rf"{_ZH_Y}?(?P<h>上|下)半年"), _h_zh_half),
    (re.compile(rf"{_ZH_Y}?(?:第(?P<q>[一二三四1-4])财?季度?|(?P<q3>[一二三四])季(?:度|报)|(?<![前每这上下本该当单])(?P<q4>首|次)季(?!度?[以之]?后)度?)|(?:(?P<y2>{_YEAR})\s*年\s*)Q(?P<q2>[1-4])"), lambda m, p: _h_zh_quarter_any(m, p)),
    (re.compile(rf"{_ZH_Y}(?:年)?(?:底|末)|(?P<only>年底|年末)"), lambda m, p: _h_zh_end_any(m, p)),
    (re.compile(rf"{_ZH_Y}?(?<![\d.])(?P<m>\d{{1,2}})\s*月(?!份?以来的?\s*\d)"), _h_zh_month),
    (re.compile(rf"(?P<a>(?:19|20)(?<!\d..)\d{{2}})\s*[-~至到]\s*(?P<b>{_YEAR})(?!\d)"), _h_year_range),
    (re.compile(r"(?:未来|过去|近)?(?P<n>[一二两三四五六七八九]|十[一二三四五六七八九]?)\s*年(?:内|期|间)?(?![前底末初度]|新高|新低)"), _h_duration),
    (re.compile(r"(?P<rel>今|去|明)年(?:度)?"), _h_rel_zh),
    (re.compile(r"(?P<y>(?:19|20)(?<![\d.$A-Za-z]..)(?<!\d,..)\d{2})(?![\d%A-Za-z])(?!\s*(?:亿|万|billion|million))"), _h_year),
    (re.compile(r"(?P<rel>本|上一?|下一?|这一?|该|当|单|刚刚结束的|刚结束的|最近一)(?:个)?财?季度?(?![\d一二三四])"), lambda m, p: _h_zh_rel_quarter(m, p)),
]  # fmt: skip


# The year patterns (the last and the range) start with the year's first two digits and only
# then look behind them ("(?<!\d..)" there is "(?<!\d)" before them): starting with a literal
# lets re skip to the places where "19"/"20" occur instead of trying every position.
#
# Patterns that ignore case throughout (all their letters inside "(?i:...)", lower case there
# but "FY"), by index: on the lower-cased text the same pattern without IGNORECASE finds the
# same matches, much faster (see textfold), and their handlers lower-case what they read.
_FOLDED_TWINS: dict[int, re.Pattern[str]] = {
    i: re.compile(_PATTERNS[i][0].pattern.replace("(?i:", "(?:").replace("FY", "fy"))
    for i in (4, 5, 7, 8, 9)
}


def _h_q_any(m: re.Match[str], pub: dt.date | None) -> str | None:
    if m.group("q2"):
        q = int(m.group("q2"))
        return _quarters(q, q, _year(m.group("y3")))
    return _h_q(m, pub)


def _h_end_any(m: re.Match[str], pub: dt.date | None) -> str | None:
    y = _year(m.group("y") or m.group("y2"))
    if y is None:
        y = _rel_year(m.group("rel") or "this", pub)
    return None if y is None else f"end-{y}"


def _h_fiscal_any(m: re.Match[str]) -> str | None:
    y = _year(m.group("y") or m.group("y2") or m.group("y3"))
    return None if y is None else f"FY{y}"


def _h_duration_any(m: re.Match[str]) -> str | None:
    raw = (m.group("n") or m.group("n2")).lower()
    n = _WORD_NUM.get(raw) or (int(raw) if raw.isdigit() else None)
    return None if not n or n > 50 else _duration(n)


def _h_zh_quarter_any(m: re.Match[str], pub: dt.date | None) -> str | None:
    if m.group("q2"):
        q = int(m.group("q2"))
        return _quarters(q, q, _year(m.group("y2")))
    raw = m.group("q") or m.group("q3")
    # 首季, 次季: Hong Kong and Taiwan press for the first and second quarter.
    q = (1 if m.group("q4") == "首" else 2) if raw is None else _WORD_NUM.get(raw) or int(raw)
    y = _year(m.group("y")) or (
        _rel_year(m.group("rel"), pub) if m.group("rel") else _nearest_year(3 * q, pub)
    )
    return _quarters(q, q, y)


def _h_zh_rel_quarter(m: re.Match[str], pub: dt.date | None) -> str | None:
    """本季度 / 上季度 / 下季度: the quarter of ``pub``, the one before, the one after."""
    if pub is None:
        return None
    rel = m.group("rel")[0]
    # "刚刚结束的财季", "最近一个季度": the quarter that ended last, as 上季度.
    back = rel == "上" or rel == "刚" or rel == "最"
    n = pub.year * 4 + (pub.month - 1) // 3 + (-1 if back else 1 if rel == "下" else 0)
    return f"{n // 4}-Q{n % 4 + 1}"


def _h_zh_end_any(m: re.Match[str], pub: dt.date | None) -> str | None:
    if m.group("only"):
        y = _rel_year("今", pub)
    else:
        y = _year(m.group("y")) or _rel_year(m.group("rel"), pub)
    return None if y is None else f"end-{y}"


_MONTH_TRIGGERS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
# Substrings one of which every match of the pattern at the same index must contain. A pattern
# runs only if one of them is among the (lower-cased) trigger words found in the whole text.
_TRIGGERS: list[tuple[str, ...]] = [
    ("first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th"),
    ("q",),
    ("h1", "h2"),
    ("month", "quarter"),
    ("year", "quarter"),
    ("end",),
    _MONTH_TRIGGERS,
    ("fy", "fiscal", "财年", "财政年度"),
    ("year",),
    ("week", "day", "周", "星期", "单日", "当日", "一天"),
    ("截至",),
    ("前三", "前9", "前九", "前3", "首三", "首3", "首9", "首九"),
    ("半年",),
    ("季", "q"),
    ("底", "末"),
    ("月",),
    ("19", "20"),
    ("年",),
    ("年",),
    ("19", "20"),
    ("季",),
]
_TRIGGER_SETS = [frozenset(t) for t in _TRIGGERS]
_BY_TRIGGER: dict[str, tuple[int, ...]] = {
    w: tuple(i for i, ts in enumerate(_TRIGGER_SETS) if w in ts) for ts in _TRIGGERS for w in ts
}
_TRIGGER_WORDS = sorted({re.escape(t) for ts in _TRIGGERS for t in ts}, key=len, reverse=True)
_TRIGGER_RE = re.compile("|".join(_TRIGGER_WORDS), re.IGNORECASE)
# The same search on lower-cased text: same hits, and much faster than IGNORECASE (textfold);
# written as a trie (one branch per first character), which finds the same leftmost-longest
# words as the longest-first alternation, trying fewer branches at each character.
_TRIGGER_FOLDED_RE = re.compile(trie_regex(t for ts in _TRIGGERS for t in ts))
# ... and on ASCII text, where the Chinese words cannot match: same hits, fewer alternatives.
_TRIGGER_ASCII_RE = re.compile(trie_regex(t for ts in _TRIGGERS for t in ts if t.isascii()))

# Tighter substrings, again one of which every match must contain, used to pick the blocks (see
# _blocks) a pattern runs on: (words, case-insensitive?). Case-sensitive ones are tested on the
# text itself ("Q3", "H1", "May" but not "quarter", "may"), the others on its lower-cased copy.
_REL_QUARTER_NEEDS = (
    "本季", "上季", "下季", "上一季", "下一季", "这季", "这一季", "本个季", "这个季",
    "本财季", "上财季", "下财季", "该季", "该财季", "当季", "单季",
    "上一财季", "下一财季", "这一财季", "本个财季", "这个财季", "上个财季", "上个季", "下个季",
    "刚结束的", "最近一个季", "最近一个财季", "最近一季", "最近一财季",
)  # fmt: skip
_NEEDS: list[tuple[tuple[str, ...], bool]] = [
    (_TRIGGERS[0], True),
    (("Q",), False),
    (("H1", "H2"), False),
    (("month", "quarter"), True),
    (("year", "quarter"), True),
    (("end",), True),
    (("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), False),
    (("fy", "fiscal", "财年", "财政年度"), True),
    (("year",), True),
    (("week", "day", "一周", "一星期", "单日", "当日", "一天内"), True),
    (("截至",), False),
    (("前三", "前9", "前九", "前3", "首三", "首3", "首9", "首九"), False),
    (("上半年", "下半年"), False),
    (("季", "年"), False),
    (("底", "末"), False),
    (("月",), False),
    (("19", "20"), False),
    (("年",), False),
    (("今年", "去年", "明年"), False),
    (("19", "20"), False),
    (_REL_QUARTER_NEEDS, False),
]
# Only where the first hit starts matters, which a trie finds as the plain alternation does.
_NEED_RES = [(re.compile(trie_regex(words)), folded) for words, folded in _NEEDS]
# Patterns whose _NEEDS are their _TRIGGERS, looked for in the same text (lower-cased, or
# without letters): a trigger found in the text is a _NEEDS hit, no need to search again.
_NEEDS_ARE_TRIGGERS = [
    set(words) == set(trig)
    and (ci or not any(c.isalpha() and c.isascii() for w in words for c in w))
    for (words, ci), trig in zip(_NEEDS, _TRIGGERS, strict=True)
]
# A second necessary condition for a few patterns that common trigger words ("year", "quarter",
# "first") set off in most sentences: every match of the pattern at the index also holds one of
# these words, looked for in the lower-cased text (True) or, case-sensitively, in the text itself
# (False): "this year" needs "this"; "the fourth quarter" needs "quarter"; "the quarter ended
# Sept. 30" needs a capitalised month (its months are outside the "(?i:" group).
_ALSO: dict[int, tuple[tuple[str, ...], bool]] = {
    0: (("quarter", "months", "half"), True),
    3: (
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        False,
    ),
    4: (("this", "last", "next", "current", "coming", "latest", "recent"), True),
}
# A third necessary condition for patterns whose trigger words mostly occur inside other words
# ("spend", "trend" hold "end"; "today" holds "day"): a regex that
# finds something inside every match of the pattern, run on the lower-cased text (so only when
# there is one). Each starts with a literal or a small class, which re skips ahead to.
_GATES: dict[int, re.Pattern[str]] = {
    # "end" at a word start ("(?<!\w[\s\S])" after its first letter == "\b" before it), then
    # "-" or a space ("end-2025", "end of"); or "year-end".
    5: re.compile(r"e(?<!\w[\s\S])nd[-\s]|year-end"),
    # "week"/"day" after a space (English); the Chinese forms' fixed parts.
    9: re.compile(r"w(?<=\sw)eek|d(?<=\sd)ay|一周|一星期|单日|当日|一天内"),
}
# Where a match of the ordinal-part and month patterns can start, found with literals (which re
# skips ahead to) instead of trying those slow patterns at every position: each match starts
# with its key word (an ordinal, found in the lower-cased text like the pattern's IGNORECASE
# finds it; a month abbreviation, case-sensitive like the pattern), or with a word and spaces
# right before it ("the first half", "last September"). Key words never overlap one another
# where a match could start ("fourthird", "lasthis": a key word after a letter fails "\b").
_ORDINALS = re.compile(r"first|second|third|fourth|1st|2nd|3rd|4th")
_MONTH_WORDS = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
# "this year", "the current quarter": the relative word ("the" before "current").
_RELATIVE_WORDS = re.compile(r"this|last|next|current|coming|upcoming")
# (pattern index, key words, lower-cased text?, words that may come before them)
_KEYED: dict[int, tuple[re.Pattern[str], bool, tuple[str, ...]]] = {
    0: (_ORDINALS, True, ("the",)),
    4: (_RELATIVE_WORDS, True, ("the",)),
    6: (_MONTH_WORDS, False, ("last", "Last", "this", "This", "next", "Next")),
}


def _keyed_starts(hay: str, keys: re.Pattern[str], before: tuple[str, ...]) -> list[int]:
    """Every position where a match of a _KEYED pattern can start in ``hay``, in order: each
    key word's start, after the start of one of ``before`` ending just before the spaces
    before it."""
    out: list[int] = []
    last = 0
    spans = _month_keys(hay) if keys is _MONTH_WORDS else _key_spans(hay, keys)
    for j in range(0, len(spans), 2):
        at = spans[j]
        # The spaces before the key word (str.rstrip strips what re's \s matches) lie after the
        # previous key word (each character is looked at once); the word before them may end
        # in it ("Julast May": "last May" starts inside "Jul").
        gap = len(hay[last:at].rstrip()) + last
        if gap < at:
            for w in before:
                if gap >= len(w) and hay.startswith(w, gap - len(w)):
                    out.append(gap - len(w))
                    break
        out.append(at)
        last = spans[j + 1]
    return out


def _key_spans(hay: str, keys: re.Pattern[str]) -> list[int]:
    """Start and end of each ``keys.finditer(hay)`` match, flat (``[s0, e0, s1, e1, …]``)."""
    out: list[int] = []
    for k in keys.finditer(hay):
        out.append(k.start())
        out.append(k.end())
    return out


_MONTH_KEYS: Final = frozenset(_MONTH_WORDS.pattern.split("|"))


def _month_keys(hay: str) -> list[int]:
    """``_key_spans(hay, _MONTH_WORDS)`` with ``str.find`` for the capitals the month words
    start with (re tries the twelve words at every character it cannot rule out by its first
    letter). The words are three letters, two of them lower case, so matches cannot overlap:
    every position where one of them starts is a match."""
    starts: list[int] = []
    for c in "JFMASOND":
        i = hay.find(c)
        while i >= 0:
            if hay[i : i + 3] in _MONTH_KEYS:
                starts.append(i)
            i = hay.find(c, i + 1)
    if len(starts) > 1:
        starts.sort()
    out: list[int] = []
    for i in starts:
        out.append(i)
        out.append(i + 3)
    return out


# No period pattern consumes (or looks past, in a lookahead) any of these characters, so no
# match crosses one: scanning the blocks between them one by one finds exactly the matches that
# scanning the whole text finds, and a block without a pattern's _NEEDS cannot hold a match.
_BLOCK_SEP = re.compile(r'[;:!?。…()"]')
# Only the month patterns consume "," and "." ("the quarter ended Sept. 30, 2025"): the others
# run on the finer blocks between these (clauses, roughly).
_FINE_SEP = re.compile(r'[;:!?。…()",.]')
_FINE = [i not in (3, 6) for i in range(len(_PATTERNS))]
# Texts up to this long (a sentence, mostly) are scanned whole, as one block.
_SHORT = 160
_SINCE = re.compile(
    r"(?:\bsince|\bfrom\s+(?:a|an|its|the)\s+(?:record\s+|all-time\s+|recent\s+)?(?:peak|high)(?:\s+(?:in|of|set\s+in|hit\s+in|reached\s+in))?|自|从)\s*$",
    re.IGNORECASE,
)


# Every _SINCE match holds one of these (lower-cased).
_SINCE_NEEDS = re.compile("since|peak|high|自|从")


def _since(text: str, folded: str | None, lo: int, hi: int) -> bool:
    """``_SINCE`` matches ``text[lo:hi]`` at its end; skipped when no needed word is there."""
    if folded is not None and _SINCE_NEEDS.search(folded, lo, hi) is None:
        return False
    return _SINCE.search(text, lo, hi) is not None


def _present(text: str, folded: str | None) -> frozenset[str]:
    """The lower-cased trigger words in ``text`` (as ``_TRIGGER_RE`` finds them)."""
    if folded is None:
        return frozenset(h.lower() for h in _TRIGGER_RE.findall(text))
    return frozenset(
        (_TRIGGER_ASCII_RE if folded.isascii() else _TRIGGER_FOLDED_RE).findall(folded)
    )


@functools.lru_cache(maxsize=4096)
def _candidates(present: frozenset[str]) -> tuple[tuple[int, ...], frozenset[int]]:
    """The patterns some of the ``present`` trigger words belong to, in pattern order, and
    those of them with ``_ALSO`` words or a ``_GATES`` regex to check (texts share a few
    hundred sets of trigger words)."""
    todo = tuple(sorted({i for word in present for i in _BY_TRIGGER.get(word, ())}))
    return todo, frozenset(i for i in todo if i in _ALSO or i in _GATES)


def _passes(i: int, text: str, folded: str | None) -> bool:
    """Whether pattern ``i`` passes its ``_ALSO`` and ``_GATES`` checks (those it has)."""
    also = _ALSO.get(i)
    if also is not None:
        words, also_ci = also
        hay = folded if also_ci else text
        if hay is not None:
            for w in words:
                if w in hay:
                    break
            else:
                return False
    gate = _GATES.get(i)
    return gate is None or folded is None or gate.search(folded) is not None


def _todo(text: str, folded: str | None) -> list[int]:
    """The patterns that can match ``text``, in pattern order: those some trigger word found in
    the text belongs to (cheaper than testing every pattern's triggers: a text holds a few),
    less those missing their ``_ALSO`` words or whose ``_GATES`` regex finds nothing."""
    candidates, checked = _candidates(_present(text, folded))
    if not checked:
        return list(candidates)
    return [i for i in candidates if i not in checked or _passes(i, text, folded)]


# Plain-ASCII texts (most English ones) skip the trigger search: a few substring tests on the
# lower-cased text decide which patterns to run (the Chinese ones never match ASCII text).
#
# They agree with _todo wherever a pattern matches. The trigger search finds words without
# overlaps, so it can miss one inside another ("dec" in "endec"); a substring test cannot. But a
# word can only be missed where it overlaps a trigger word just before it (all of them letters
# and digits), and each pattern's matches hold their trigger word after a character that is no
# letter or digit ("\b", a space, "-"), except the month pattern's ("EnDec 2025" is no month,
# as before): _raw_matches checks that one (see _month_seen).
_NUMBER_WORDS = frozenset(_NUMW.split("|")[:10])


def _duration_possible(folded: str) -> bool:
    """Whether the duration pattern (index 8) can match ASCII ``folded``: each match holds a
    whole-word number (a word up to ten, or one or two digits) right before "year", after a
    "-" or spaces ("three-year", "five years")."""
    p = folded.find("year", 1)
    while p > 0:
        q = p - 1
        if folded[q] == "-":
            q -= 1
        elif folded[q].isspace():
            # Each run of spaces comes before one "year" at most: linear in all.
            while q > 0 and folded[q - 1].isspace():
                q -= 1
            q -= 1
        else:
            q = -1
        if q >= 0:
            j = q  # the number's last character; find its first (a number has 5 at most)
            while j > q - 6 and j > 0 and (folded[j - 1].isalnum() or folded[j - 1] == "_"):
                j -= 1
            word = folded[j : q + 1]
            if word in _NUMBER_WORDS or (len(word) <= 2 and word.isdigit()):
                return True
        p = folded.find("year", p + 1)
    return False


# The _GATES of patterns 5 and 9 on ASCII text, with str.find instead of a regex whose first
# letters ("e", "d") re would try at almost every position.
def _end_word(folded: str) -> bool:
    """``_GATES[5]`` finds something in ASCII ``folded``: "end" at a word start, then "-" or a
    space; or "year-end"."""
    at = folded.find("end")
    while at >= 0:
        if (at == 0 or not (folded[at - 1].isalnum() or folded[at - 1] == "_")) and (
            folded.startswith("-", at + 3) or folded[at + 3 : at + 4].isspace()
        ):
            return True
        at = folded.find("end", at + 1)
    return "year-end" in folded


def _after_space(folded: str, word: str) -> bool:
    """``word`` occurs in ``folded`` right after a space (``_GATES[9]`` on ASCII text)."""
    at = folded.find(word, 1)
    while at >= 0:
        if folded[at - 1].isspace():
            return True
        at = folded.find(word, at + 1)
    return False


def _ascii_todo(text: str, folded: str) -> list[int]:
    """The patterns that can match ASCII ``text``, in pattern order (see above)."""
    todo: list[int] = []
    quarter = "quarter" in folded
    month = "month" in folded
    year = "year" in folded
    if quarter or (month and "months" in folded) or "half" in folded:
        todo.append(0)
    if "Q" in text:
        todo.append(1)
    if "H1" in text or "H2" in text:
        todo.append(2)
    if (quarter or month) and _month_keys(text):
        todo.append(3)
    if (year or quarter) and (
        "this" in folded
        or "last" in folded
        or "next" in folded
        or "current" in folded
        or "coming" in folded
        or "latest" in folded
        or "recent" in folded
    ):
        todo.append(4)
    if "end" in folded and _end_word(folded):
        todo.append(5)
    todo.append(6)  # its key words (capitalised months) are looked for anyway
    if "fy" in folded or "fiscal" in folded:
        todo.append(7)
    if year and _duration_possible(folded):
        todo.append(8)
    if _after_space(folded, "week") or _after_space(folded, "day"):
        todo.append(9)
    if "20" in folded or "19" in folded:
        if "-" in folded or "~" in folded:
            todo.append(16)
        todo.append(19)
    return todo


def _month_seen(text: str, folded: str | None) -> bool:
    """Whether _todo runs the month pattern on ``text``: the trigger search finds a month."""
    return not _present(text, folded).isdisjoint(_MONTH_TRIGGERS)


def _keyed_matches(
    found: list[tuple[int, int, str | None]],
    i: int,
    text: str,
    folded: str,
    published: dt.date | None,
    ascii: bool,
) -> None:
    """Add the matches of _KEYED pattern ``i`` (tried only where one can start) to ``found``."""
    (pattern, handler), (keys, ci_keys, before) = _PATTERNS[i], _KEYED[i]
    stop = 0
    # A month right after a letter or digit may be one the trigger search misses.
    unsure = ascii and i == 6
    for at in _keyed_starts(folded if ci_keys else text, keys, before):
        if at >= stop and (m := pattern.match(text, at)) is not None:
            if unsure:
                mon = m.start("mon")
                if mon > 0 and text[mon - 1].isalnum() and not _month_seen(text, folded):
                    return
                unsure = False
            found.append((at, -m.end(), handler(m, published)))
            stop = m.end()


def _spaces_before(hay: str, at: int) -> int:
    """Start of the run of spaces (what re's \\s matches) that ends at ``at`` (``at`` if none)."""
    while at > 0 and hay[at - 1].isspace():
        at -= 1
    return at


def _word_ending(hay: str, end: int, words: tuple[str, ...]) -> int:
    """Start of the first of ``words`` that ends at ``end`` in ``hay``, or -1."""
    for w in words:
        if end >= len(w) and hay.startswith(w, end - len(w)):
            return end - len(w)
    return -1


def _occurrences(hay: str, words: tuple[str, ...]) -> list[int]:
    """Where each of ``words`` occurs in ``hay`` (each word's in order, one word after another)."""
    out: list[int] = []
    for w in words:
        at = hay.find(w)
        while at >= 0:
            out.append(at)
            at = hay.find(w, at + 1)
    return out


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th")
_RELATIVE = ("this", "last", "next", "current", "upcoming", "coming", "latest", "recent")


def _ordinal_starts(folded: str) -> list[int]:
    """Positions, in order, that include every start of an ordinal-part match (index 0) in
    ASCII ``folded``, found from its kind words (rare) instead of the ordinals (common letters
    re tries at almost every position). A match is "[the ]ORDINAL( +|-)KIND" and KIND is
    "quarter", "half", or "three quarters", "nine months", "six months" (spaces between)."""
    out: list[int] = []
    for p in _occurrences(folded, ("quarter", "half", "months")):
        kinds = [] if folded.startswith("months", p) else [p]
        j = _spaces_before(folded, p)
        if j < p and (k := _word_ending(folded, j, ("three", "nine", "six"))) >= 0:
            kinds.append(k)
        for k in kinds:
            if k > 0 and folded[k - 1] == "-":
                end = k - 1
            else:
                end = _spaces_before(folded, k)
                if end == k:
                    continue
            o = _word_ending(folded, end, _ORDINAL_WORDS)
            if o >= 0:
                _add_with_article(out, folded, o)
    out.sort()
    return out


def _add_with_article(out: list[int], folded: str, at: int) -> None:
    """Add ``at`` to ``out``, and the start of a "the" right before it (a match may start
    there)."""
    out.append(at)
    j = _spaces_before(folded, at)
    if j < at and (t := _word_ending(folded, j, ("the",))) >= 0:
        out.append(t)


def _relative_starts(folded: str) -> list[int]:
    """Positions, in order, that include every start of a "this year" match (index 4) in ASCII
    ``folded``: "(this|last|next|the +current) +(year|quarter)", "(latest|recent) +(fiscal
    +)?quarter", found from "year"/"quarter"."""
    out: list[int] = []
    for p in _occurrences(folded, ("year", "quarter")):
        j = _spaces_before(folded, p)
        if j < p and (f := _word_ending(folded, j, ("fiscal",))) >= 0:
            j = _spaces_before(folded, f)  # "the latest fiscal quarter"
            if j == f:
                continue
        if j < p and (r := _word_ending(folded, j, _RELATIVE)) >= 0:
            _add_with_article(out, folded, r)
    out.sort()
    return out


def _matches_at(
    found: list[tuple[int, int, str | None]],
    i: int,
    text: str,
    starts: list[int],
    published: dt.date | None,
) -> None:
    """Add pattern ``i``'s matches to ``found``, given (in order) every place one can start:
    what its finditer finds (the first match at or after the end of the one before)."""
    pattern, handler = _PATTERNS[i]
    stop = 0
    for at in starts:
        if at >= stop and (m := pattern.match(text, at)) is not None:
            found.append((at, -m.end(), handler(m, published)))
            stop = m.end()


# For the whole-text scan of a short ASCII text: each pattern _ascii_todo can pick, with the
# text it runs on (the lower-cased one for the folded twins).
_WHOLE: list[tuple[re.Pattern[str], bool]] = [
    (_FOLDED_TWINS[i], True) if i in _FOLDED_TWINS else (pattern, False)
    for i, (pattern, _) in enumerate(_PATTERNS)
]


def _raw_matches(
    text: str, published: dt.date | None, folded: str | EllipsisType | None = ...
) -> list[tuple[int, int, str | None]]:
    """(start, -end, value) of every pattern match, each pattern run only where it can match."""
    found: list[tuple[int, int, str | None]] = []
    folded = given(text, folded)
    ascii = folded is not None and text.isascii()
    if folded is not None and ascii:
        todo = _ascii_todo(text, folded)
        if len(text) <= _SHORT:
            # A sentence: every pattern over the whole text (see _SHORT).
            years: list[int] | None = None
            for i in todo:
                if i == 0 or i == 4:
                    at = _ordinal_starts(folded) if i == 0 else _relative_starts(folded)
                    _matches_at(found, i, text, at, published)
                    continue
                if i == 16 or i == 19:
                    # Both start with "19" or "20": str.find gets there faster than re.
                    if years is None:
                        years = sorted(_occurrences(folded, ("19", "20")))
                    _matches_at(found, i, text, years, published)
                    continue
                if i == 6:
                    _keyed_matches(found, i, text, folded, published, True)
                    continue
                pattern, on_folded = _WHOLE[i]
                handler = _PATTERNS[i][1]
                for m in pattern.finditer(folded if on_folded else text):
                    found.append((m.start(), -m.end(), handler(m, published)))
            return found
    else:
        todo = _todo(text, folded)
    if not todo:
        return found
    n = len(text)
    blocks: dict[bool, tuple[list[int], list[int]]] = {}  # computed when first needed
    seps: list[int]
    starts: list[int]
    for i in todo:
        if folded is not None and i in _KEYED:
            _keyed_matches(found, i, text, folded, published, ascii)
            continue
        (pattern, handler), (needs, ci) = _PATTERNS[i], _NEED_RES[i]
        is_fine, same = _FINE[i], _NEEDS_ARE_TRIGGERS[i]
        scanned = text
        if folded is not None and i in _FOLDED_TWINS:
            pattern, scanned = _FOLDED_TWINS[i], folded
        hay = text if not ci else folded
        if hay is None:
            regions = [(0, n)]  # no safe lower-cased copy: scan everything
            seps = starts = []
        elif n <= _SHORT:
            seps = starts = []  # a sentence: finding its blocks costs more than it saves
        elif is_fine in blocks:
            seps, starts = blocks[is_fine]
        else:
            seps = [m.start() for m in (_FINE_SEP if is_fine else _BLOCK_SEP).finditer(text)]
            starts = [0] + [j + 1 for j in seps]
            blocks[is_fine] = (seps, starts)
        if hay is None:
            pass
        elif not seps:
            regions = [(0, n)] if same or needs.search(hay) else []
        else:
            regions = []
            pos = 0
            while (hit := needs.search(hay, pos)) is not None:
                b = bisect.bisect_right(starts, hit.start()) - 1
                # The block ends at its separator, which stays visible to lookaheads.
                end = seps[b] + 1 if b < len(seps) else n
                regions.append((starts[b], end))
                pos = end
        for lo, hi in regions:
            for m in pattern.finditer(scanned, lo, hi):
                if m.end() > m.start():
                    found.append((m.start(), -m.end(), handler(m, published)))
    return found


def find_periods(
    text: str, published: dt.date | None, folded: str | EllipsisType | None = ...
) -> list[PeriodMention]:
    """Non-overlapping period mentions in normalized ``text``, in order of position.

    Where patterns overlap the earliest start wins, then the longest ("first three quarters of
    2025" beats "2025"). A month or year right after "since"/"from a peak"/"自" becomes
    ``"since <period>"``.
    """
    folded = given(text, folded)
    found = _raw_matches(text, published, folded)
    found.sort()
    out: list[PeriodMention] = []
    last_end = -1
    for start, neg_end, value in found:
        if start < last_end:
            continue
        last_end = -neg_end
        since = (
            value is not None
            and (value[0].isdigit() or (value.startswith("FY") and "-" in value))
            and ".." not in value
        )
        if since and _since(text, folded, max(0, start - 40), start):
            value = f"since {value}"
        if out and value is not None and _FY_THEN_PART.fullmatch(value) is not None:
            prev = out[-1]
            if (
                prev.value is not None
                and _FY_YEAR.fullmatch(prev.value) is not None
                and _FY_GAP.fullmatch(text, prev.end, start) is not None
            ):  # "2026财年第二季度": FY2026-Q2
                out[-1] = PeriodMention(prev.start, -neg_end, f"{prev.value}{value[4:]}")
                continue
        if out and value is not None and len(value) == 7 and value[4] == "-":
            span = _month_span(out[-1], value, text, start)
            if span is not None:  # "the April-June period": the quarter
                out[-1] = PeriodMention(out[-1].start, -neg_end, span)
                continue
        out.append(PeriodMention(start, -neg_end, value))
    return out


_FY_YEAR = re.compile(r"FY\d{4}")
_FY_THEN_PART = re.compile(r"\d{4}-(?:Q[1-4](?:\.\.Q[1-4])?|H[12])")
_FY_GAP = re.compile(r"\s*(?:的|之)?\s*")
_MONTH_TO = re.compile(r"\s*(?:-|–|—|to|through|until|至|到)\s*")


def _month_span(prev: PeriodMention, value: str, text: str, start: int) -> str | None:
    """A quarter or half written as two months ("April-June", "7月至9月"), else None."""
    a = prev.value
    if a is None or len(a) != 7 or a[4] != "-" or a[:4] != value[:4] or not a[5:].isdigit():
        return None
    if _MONTH_TO.fullmatch(text, prev.end, start) is None:
        return None
    # "the October-December quarter": the second month was read as its quarter ("2025-Q4")
    if value[5] == "Q":
        m2 = 3 * int(value[6])
    elif value[5:].isdigit():
        m2 = int(value[5:])
    else:
        return None
    m1 = int(a[5:])
    if m2 - m1 == 2 and m1 % 3 == 1:
        return f"{a[:4]}-Q{(m1 + 2) // 3}"
    if m2 - m1 == 5 and m1 in (1, 7):
        return f"{a[:4]}-H{(m1 + 5) // 6}"
    return None


# ---- an article's own date (its dateline) -------------------------------------------------------

_MONTHS_EN: Final = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}  # fmt: skip
# A dateline: a paragraph that opens with a full date ("2025年12月23日，…", "December 23, 2025 —",
# "2025-12-23"), or a news agency's "(2025年)12月23日电/讯" anywhere in the lead.
_DATELINE: Final = re.compile(
    r"(?:^|\n)\s*(?:[(（【\[][^)）】\]\n]{0,20}[)）】\]]\s*)?"
    r"(?:(?P<y>20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]"
    r"|(?P<iy>20\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b"
    r"|(?P<em>[A-Z][a-z]{2,8})\.?\s+(?P<ed>\d{1,2}),\s*(?P<ey>20\d\d)\b)"
    r"|(?:(?P<wy>20\d\d)\s*年\s*)?(?P<wm>\d{1,2})\s*月\s*(?P<wd>\d{1,2})\s*日\s*[电電讯訊]"
)
_LEAD_CHARS: Final = 400


def dateline(text: str, fetched: dt.date) -> dt.date | None:
    """The date an article gives itself in its lead (its dateline), for an item whose source
    gave none; None when the lead has none. A dateline without a year ("12月23日电") is the
    latest such day not after ``fetched``; a date after ``fetched`` is no dateline."""
    for m in _DATELINE.finditer(text[:_LEAD_CHARS]):
        g = m.groupdict()
        try:
            if g["y"]:
                day = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            elif g["iy"]:
                day = dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
            elif g["ey"]:
                month = _MONTHS_EN.get(g["em"].lower())
                if month is None:
                    continue
                day = dt.date(int(g["ey"]), month, int(g["ed"]))
            elif g["wy"]:
                day = dt.date(int(g["wy"]), int(g["wm"]), int(g["wd"]))
            else:
                day = dt.date(fetched.year, int(g["wm"]), int(g["wd"]))
                if day > fetched:
                    day = day.replace(year=fetched.year - 1)
        except ValueError:
            continue
        if day <= fetched:
            return day
    return None
