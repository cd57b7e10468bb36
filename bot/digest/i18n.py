"""English and Chinese strings for digests: a small catalog plus the few phrases with grammar.

``t(lang, key, **kw)`` formats a catalog string. Metric, qualifier and change-basis words,
period labels and date ranges have their own helpers because word order differs per language.
"""

from __future__ import annotations

import re
from datetime import date

from bot.labels import metric_name
from bot.models import Lang, Period

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "brand": "Briefbot",
        "headline": "Week {period}: {n} key figures",
        "headline_one": "Week {period}: 1 key figure",
        "headline_none": "Week {period}: no key figures",
        "top": "Top 5",
        "by_entity": "More, by company",
        "industry": "Industry",
        "still": "Still in the news (reported before): {items}",
        "estimate": "analysts expect",
        "guidance": "guidance",
        "plan": "plan",
        "raised_from": "raised from {prev}",
        "cut_from": "cut from {prev}",
        "update_from": "update, was {prev}",
        "source": "source",
        "sources": "sources",
        "other": "Other",
        "empty": "No key figures were reported this week.",
        "empty_filtered": "No figures matched your interests this week.",
        "fell_back": "Nothing in your language this week; showing every source.",
        "omitted": "+{n} more figures in the archive.",
        "omitted_one": "+1 more figure in the archive.",
        "chart_title": "Capex by company (USD)",
        "chart_alt": "Bar chart: capex by company in US dollars",
        "manage": "Manage subscription",
        "unsubscribe": "Unsubscribe",
        "footer": "You receive this weekly digest because you subscribed to Briefbot.",
        "index_title": "Briefbot digests",
        "index_intro": "Weekly key figures from the briefings and feeds Briefbot reads.",
        "figures_n": "{n} figures",
        "figures_one": "1 figure",
        "archive_back": "All digests",
        "following": "Following: {what}",
    },
    "zh": {
        "brand": "Briefbot",
        "headline": "{year} 年第 {week} 周:{n} 个关键数字",
        "headline_one": "{year} 年第 {week} 周:1 个关键数字",
        "headline_none": "{year} 年第 {week} 周:暂无关键数字",
        "top": "本周五大数字",
        "by_entity": "更多,按公司",
        "industry": "行业",
        "still": "仍在报道(此前已报道):{items}",
        "estimate": "分析师预计",
        "guidance": "指引",
        "plan": "计划",
        "raised_from": "此前为 {prev},上调",
        "cut_from": "此前为 {prev},下调",
        "update_from": "更新,此前为 {prev}",
        "source": "来源",
        "sources": "来源",
        "other": "其他",
        "empty": "本周没有报道关键数字。",
        "empty_filtered": "本周没有符合你关注内容的数字。",
        "fell_back": "本周没有中文资料,以下列出全部来源。",
        "omitted": "另有 {n} 个数字,见存档。",
        "omitted_one": "另有 1 个数字,见存档。",
        "chart_title": "各公司资本支出(美元)",
        "chart_alt": "柱状图:各公司资本支出(美元)",
        "manage": "管理订阅",
        "unsubscribe": "退订",
        "footer": "你收到这封每周摘要,是因为你订阅了 Briefbot。",
        "index_title": "Briefbot 摘要存档",
        "index_intro": "Briefbot 从简报与订阅源中整理的每周关键数字。",
        "figures_n": "{n} 个数字",
        "figures_one": "1 个数字",
        "archive_back": "全部摘要",
        "following": "关注:{what}",
    },
}


QUALIFIER: dict[str, dict[str, str]] = {
    "en": {
        "exact": "",
        "about": "about",
        "up_to": "up to",
        "more_than": "more than",
        "at_least": "at least",
        "less_than": "less than",
        "nearly": "nearly",
    },
    "zh": {
        "exact": "",
        "about": "约",
        "up_to": "最高",
        "more_than": "超过",
        "at_least": "至少",
        "less_than": "低于",
        "nearly": "近",
    },
}

BASIS: dict[str, dict[str, str]] = {
    "en": {
        "yoy": "year over year",
        "qoq": "quarter over quarter",
        "mom": "month over month",
        "wow": "week over week",
        "ytd": "year to date",
        "from_peak": "from peak",
        "peak": "from peak",
    },
    "zh": {
        "yoy": "同比",
        "qoq": "环比",
        "mom": "月环比",
        "wow": "周环比",
        "ytd": "年初至今",
        "from_peak": "较高点",
        "peak": "较高点",
    },
}

LANG_LABEL: dict[str, dict[str, str]] = {
    "en": {"en": "EN", "zh": "ZH"},
    "zh": {"en": "英文", "zh": "中文"},
}
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(FY)?(\d{4})-Q([1-4])$", re.IGNORECASE)
_QUARTERS = re.compile(r"^(FY)?(\d{4})-Q([1-4])(?:-|\.\.)Q([1-4])$", re.IGNORECASE)
_END = re.compile(r"^end-(\d{4})$", re.IGNORECASE)
_HALF = re.compile(r"^(FY)?(\d{4})-H([12])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FY = re.compile(r"^FY(\d{4})$", re.IGNORECASE)
_SINCE = re.compile(r"^since (.+)$", re.IGNORECASE)
_SPAN = re.compile(r"^(\d{4})\.\.(\d{4})$")
_DURATION = re.compile(r"^(\w+)-(year|week|day|month|quarter)$", re.IGNORECASE)
_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_UNIT_ZH = {"year": "年", "week": "周", "day": "天", "month": "个月", "quarter": "个季度"}


def t(lang: Lang, key: str, **kw: object) -> str:
    text = CATALOG.get(lang, CATALOG["en"]).get(key) or CATALOG["en"][key]
    return text.format(**kw) if kw else text


def plural(lang: Lang, key: str, n: int, **kw: object) -> str:
    """``key`` when n != 1, ``<key-stem>_one`` when n == 1 (``figures_n`` -> ``figures_one``)."""
    one = key.rsplit("_", 1)[0] + "_one" if key.endswith("_n") else key + "_one"
    return t(lang, one, **kw) if n == 1 else t(lang, key, n=n, **kw)


def headline(lang: Lang, period: Period, n: int) -> str:
    kw = {"period": period.key, "year": period.year, "week": period.week}
    if n == 0:
        return t(lang, "headline_none", **kw)
    if n == 1:
        return t(lang, "headline_one", **kw)
    return t(lang, "headline", n=n, **kw)


def date_range(lang: Lang, start: date, end: date) -> str:
    """``2–8 February 2026`` / ``2026 年 2 月 2 日至 8 日``."""
    if lang == "zh":
        if start.year != end.year:
            return f"{start.year} 年 {start.month} 月 {start.day} 日至 {end.year} 年 {end.month} 月 {end.day} 日"
        if start.month != end.month:
            return f"{start.year} 年 {start.month} 月 {start.day} 日至 {end.month} 月 {end.day} 日"
        return f"{start.year} 年 {start.month} 月 {start.day} 日至 {end.day} 日"
    sm, em = MONTHS_EN[start.month - 1], MONTHS_EN[end.month - 1]
    if start.year != end.year:
        return f"{start.day} {sm} {start.year} – {end.day} {em} {end.year}"
    if start.month != end.month:
        return f"{start.day} {sm} – {end.day} {em} {end.year}"
    return f"{start.day}–{end.day} {em} {end.year}"


def _year_label(zh: bool, fiscal: str | None, year: str) -> str:
    """The year a quarter or half belongs to: ``2025 年``/``2025``, fiscal ``2026 财年``/``FY2026``."""
    if zh:
        return f"{year} 财年" if fiscal else f"{year} 年"
    return f"FY{year}" if fiscal else year


def period_label(lang: Lang, period: str | None) -> str:
    """A figure's period for people: ``2026`` ``Q4 2025`` / ``2026 年`` ``2025 年第 4 季度``."""
    if not period:
        return ""
    p = period.strip()
    zh = lang == "zh"
    if m := _YEAR.match(p):
        return f"{m[1]} 年" if zh else m[1]
    if m := _QUARTER.match(p):
        y = _year_label(zh, m[1], m[2])
        return f"{y}第 {m[3]} 季度" if zh else f"Q{m[3]} {y}"
    if m := _QUARTERS.match(p):
        y = _year_label(zh, m[1], m[2])
        return f"{y}第 {m[3]}–{m[4]} 季度" if zh else f"Q{m[3]}–Q{m[4]} {y}"
    if m := _END.match(p):
        return f"{m[1]} 年底" if zh else f"end of {m[1]}"
    if m := _HALF.match(p):
        y = _year_label(zh, m[1], m[2])
        return f"{y}{'上' if m[3] == '1' else '下'}半年" if zh else f"H{m[3]} {y}"
    if (m := _MONTH.match(p)) and 1 <= int(m[2]) <= 12:
        return f"{m[1]} 年 {int(m[2])} 月" if zh else f"{MONTHS_EN[int(m[2]) - 1][:3]} {m[1]}"
    if m := _FY.match(p):
        return f"{m[1]} 财年" if zh else f"FY{m[1]}"
    if m := _SINCE.match(p):
        inner = period_label(lang, m[1])
        return f"自 {inner}" if zh else f"since {inner}"
    if m := _SPAN.match(p):
        return f"{m[1]}–{m[2]} 年" if zh else f"{m[1]}–{m[2]}"
    if m := _DURATION.match(p):
        n = _NUM_WORDS.get(m[1].lower()) or (int(m[1]) if m[1].isdigit() else None)
        unit = m[2].lower()
        if n is not None:
            if zh:
                return f"{n} {_UNIT_ZH[unit]}期" if unit == "year" else f"{n} {_UNIT_ZH[unit]}内"
            return p if unit == "year" else (f"{n} {unit}s" if n > 1 else f"1 {unit}")
    return p.replace("_", " ")


def metric_word(lang: Lang, metric: str) -> str:
    # a digest line is "Oracle — shares ▼ -50%": "shares" reads better there than "share price"
    if lang == "en" and metric == "share_price":
        return "shares"
    if lang == "zh" and metric == "users":
        return "用户"
    return metric_name(metric, lang)


def qualifier_word(lang: Lang, qualifier: str) -> str:
    return QUALIFIER.get(lang, QUALIFIER["en"]).get(qualifier, "")


def basis_word(lang: Lang, basis: str | None) -> str:
    if not basis:
        return ""
    b = basis.strip()
    return BASIS.get(lang, BASIS["en"]).get(b.lower(), b.replace("_", " "))
