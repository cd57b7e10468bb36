"""Benchmark: is Briefbot right on real news? The labelled article set replayed as a user runs it.

The articles in ``tests/data/real_news/articles.jsonl`` (real AI-capex news, English and Chinese
in both scripts, each with the facts an analyst would list) are grouped into RSS and Atom feeds
served over real HTTP on 127.0.0.1. Time is replayed week by week in date order: each week the
feeds grow to every item published up to that week, and the real CLI runs as subprocesses in a
scratch project (its own config copy and SQLite file)::

    briefbot feeds add URL            (once per feed)
    briefbot ingest --feeds           (each week, the test clock at the week's end)
    briefbot digest --week W --channel file --out DIR
    briefbot alerts test "capex > 50B USD" --format json      (at the end: the backtest)
    briefbot alerts test "share_price <= -10%" --format json

Then it scores, per split (dev and held-out are replayed separately, so no digest mixes them):

- stored-figure precision: stored figures that match a labelled fact of their own article
  (same entity or alias, value within 1 %, same unit, compatible period when both have one);
- recall of importance-1 and importance-2 facts (found when a stored figure of the article
  matches);
- digest line precision: figure lines of the weekly Markdown digests that name a fact's entity
  and show its value (within 1 %) for an article of that week;
- duplicate lines, top-5 recall of the week's new importance-1 facts, facts of an earlier
  digest shown again as new (not marked as already reported);
- alert precision of the two backtested rules: fired alerts whose figure matches a labelled
  single-company fact (actual, guidance or plan) that satisfies the rule on its labelled value.

The held-out third is scored only to report: ``--verbose`` prints misses for the dev split only.

    .venv/bin/python benchmarks/real_news.py                  # both splits, side by side
    .venv/bin/python benchmarks/real_news.py --split dev --verbose
    .venv/bin/python benchmarks/real_news.py --json report.json
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.feed_server import FeedServer, Route  # noqa: E402

DATA = ROOT / "tests" / "data" / "real_news" / "articles.jsonl"
LABEL_ALIASES = ROOT / "tests" / "data" / "real_news" / "aliases.toml"
RULES = ("capex > 50B USD", "share_price <= -10%")
TARGETS = {  # issue 13 / issue 15 targets on the held-out split
    "figure_precision": ">= 0.90",
    "recall_imp1": ">= 0.95",
    "alert_precision": ">= 0.95",
    "line_precision": ">= 0.90",
    "duplicate_lines": "0",
    "top5_recall_imp1": ">= 0.90",
    "old_as_new": "0",
}
SINGLE_COMPANY_KINDS = {"actual", "guidance", "plan"}
AGGREGATE_NAMES = {
    "big tech",
    "hyperscalers",
    "hyperscaler",
    "tech giants",
    "magnificent seven",
    "industry",
    "aggregate",
    "科技巨头",
    "科技巨頭",
    "云厂商",
    "雲端大廠",
}
AGGREGATE_WORDS = re.compile(
    r"big tech|hyperscaler|tech giants|magnificent|industry|combined|together|科技巨[头頭]|"
    r"[四五]家|大厂|大廠|合计|合計",
    re.I,
)
ALREADY_REPORTED = re.compile(
    r"already reported|still in the news|previously reported|reported earlier|earlier week|"
    r"已报道|已報導|仍在|此前已|旧闻|舊聞|↺",
    re.I,
)
DOWN = re.compile(
    r"▼|\bdown\b|\bfell\b|\bfall|\bdrop|\bdecline|\bslid|\bplunge|\btumble|跌|降|下滑|减少|減少",
    re.I,
)


# ---- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    entity: str
    metric: str
    value: float
    unit: str
    period: str | None
    kind: str
    importance: int
    low: float | None = None
    is_change: bool = False
    segment: str | None = None
    counterparty: str | None = None
    calendar_period: str | None = None
    qualifier: str | None = None

    def describe(self) -> str:
        rng = f"{self.low:g}–" if self.low is not None else ""
        seg = f" [{self.segment}]" if self.segment else ""
        return (
            f"{self.entity}{seg} {self.metric} {rng}{self.value:g} {self.unit} "
            f"({self.period or '-'}, {self.kind}, imp {self.importance})"
        )


@dataclass(frozen=True)
class Article:
    id: str
    url: str
    outlet: str
    lang: str
    script: str
    published: date
    title: str
    body: str
    split: str
    facts: tuple[Fact, ...]
    date_estimated: bool = False
    """The article's date was guessed when it was collected: its feed entry gives none."""


def load_articles(path: Path = DATA) -> list[Article]:
    arts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        facts = tuple(
            Fact(
                entity=f["entity"],
                metric=f["metric"],
                value=float(f["value"]),
                unit=f["unit"],
                period=f.get("period"),
                kind=f["kind"],
                importance=int(f["importance"]),
                low=f.get("low"),
                is_change=bool(f.get("is_change", False)),
                segment=f.get("segment"),
                counterparty=f.get("counterparty"),
                calendar_period=f.get("calendar_period"),
                qualifier=f.get("qualifier"),
            )
            for f in d["facts"]
        )
        arts.append(
            Article(
                id=d["id"],
                url=d["url"],
                outlet=d["outlet"],
                lang=d["lang"],
                script=d["script"],
                published=date.fromisoformat(d["published"]),
                title=d["title"],
                body=d["body"],
                split=d["split"],
                facts=facts,
                date_estimated=bool(d.get("date_estimated", False)),
            )
        )
    return arts


# ---- matching (pure) -----------------------------------------------------------------------


class Names:
    """Entity names folded to one key: the built-in lexicon and config/entities.toml aliases."""

    def __init__(self, entities: dict[str, Sequence[str]]) -> None:
        self.aliases: dict[str, set[str]] = {}
        self._key: dict[str, str] = {}
        for canon, aliases in entities.items():
            k = canon.casefold()
            names = self.aliases.setdefault(k, {canon})
            names.update(aliases)
            for a in (canon, *aliases):
                self._key.setdefault(a.casefold(), k)

    @classmethod
    def load(
        cls,
        entities_toml: Path | None = ROOT / "config" / "entities.toml",
        label_aliases: Path | None = LABEL_ALIASES,
    ) -> Names:
        """The lexicon's names, the config's aliases and the label set's own aliases (names of
        companies the lexicon does not know, so a figure naming them can be matched)."""
        from bot.extract.lexicon_data import ENTITIES

        merged: dict[str, list[str]] = {k: list(v) for k, v in ENTITIES.items()}
        for path in (entities_toml, label_aliases):
            if path is None or not path.exists():
                continue
            extra = tomllib.loads(path.read_text(encoding="utf-8")).get("entities", {})
            for canon, aliases in extra.items():
                key = next((k for k in merged if k.casefold() == canon.casefold()), None)
                if key is None:
                    key = next(
                        (k for k, v in merged.items() if canon.casefold() in map(str.casefold, v)),
                        canon,
                    )
                merged.setdefault(key, []).extend(aliases if isinstance(aliases, list) else [])
        return cls(merged)

    def key(self, name: str | None) -> str:
        if not name:
            return ""
        n = name.strip().casefold()
        return self._key.get(n, n)

    def spellings(self, name: str) -> set[str]:
        k = self.key(name)
        return self.aliases.get(k, set()) | {name}


def close(a: float, b: float, tol: float = 0.01) -> bool:
    if a == b:
        return True
    return abs(a - b) <= tol * max(abs(a), abs(b))


def _norm_period(p: str | None) -> str:
    return re.sub(r"\s+", "", p or "").upper()


def period_ok(fact: Fact, period: str | None) -> bool:
    """Compatible when either side has none, or the stored one is the fact's period or the
    calendar months of a fiscal one."""
    if not fact.period or not period:
        return True
    return _norm_period(period) in {_norm_period(fact.period), _norm_period(fact.calendar_period)}


def entity_ok(fact: Fact, entity: str | None, kind: str | None, names: Names) -> bool:
    if fact.kind == "aggregate":
        k = names.key(entity)
        return (
            kind == "aggregate" or k in AGGREGATE_NAMES or (bool(k) and k == names.key(fact.entity))
        )
    if not entity:
        return False
    k = names.key(entity)
    return k == names.key(fact.entity) or (
        fact.segment is not None and k == names.key(fact.segment)
    )


def figure_matches(fact: Fact, fig: dict[str, Any], names: Names) -> bool:
    """A stored figure (Figure JSON) states ``fact``: entity, value within 1 %, unit, period."""
    if str(fig.get("unit", "")).casefold() != fact.unit.casefold():
        return False
    if not close(float(fig["value"]), fact.value):
        return False
    return entity_ok(fact, fig.get("entity"), fig.get("kind"), names) and period_ok(
        fact, fig.get("period")
    )


_RULE = re.compile(
    r"^\s*(?P<metric>[a-z_]+)\s*(?P<op>>=|<=|>|<)\s*(?P<num>[+-]?\d+(?:\.\d+)?)\s*"
    r"(?P<scale>[kMBTG])?\s*(?P<unit>%|[A-Z]{3}|W)?\s*$"
)
_RULE_SCALE = {"k": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}


def rule_holds(rule: str, fact: Fact, usd_per: dict[str, float]) -> bool:
    """The labelled fact itself satisfies a backtested threshold rule (single company only).

    Rules of the shape ``METRIC OP NUMBER[k|M|B|T|G] [ISO|%|W]``: money converts to the rule's
    currency with ``usd_per``, ``%`` compares labelled changes in percent, ``W`` power levels;
    the labelled value is compared as stated (its qualifier is not used).
    """
    m = _RULE.match(rule)
    if m is None:
        raise ValueError(f"no labelled check for rule {rule!r}")
    if fact.kind not in SINGLE_COMPANY_KINDS or fact.metric != m["metric"]:
        return False
    threshold = float(m["num"]) * _RULE_SCALE.get(m["scale"] or "", 1.0)
    unit = m["unit"]
    if unit == "%":
        if fact.unit != "percent" or not fact.is_change:
            return False
        value = fact.value
    elif unit == "W":
        if fact.unit != "W" or fact.is_change:
            return False
        value = fact.value
    elif unit is not None:
        if fact.is_change:
            return False
        have = 1.0 if fact.unit == "USD" else usd_per.get(fact.unit)
        want = 1.0 if unit == "USD" else usd_per.get(unit)
        if have is None or want is None:
            return False
        value = fact.value * have / want
    else:
        raise ValueError(f"no labelled check for rule {rule!r} (no unit)")
    return {
        ">": value > threshold,
        ">=": value >= threshold,
        "<": value < threshold,
        "<=": value <= threshold,
    }[m["op"]]


# ---- fact groups: one fact across articles (for digests) -----------------------------------


@dataclass
class FactGroups:
    """Labelled facts clustered into one fact each: same entity, unit, value within 1 %,
    compatible period, whatever the article."""

    names: Names
    groups: list[list[Fact]] = field(default_factory=list)
    _of: dict[int, int] = field(default_factory=dict)

    def add(self, fact: Fact) -> int:
        if id(fact) in self._of:
            return self._of[id(fact)]
        for gid, members in enumerate(self.groups):
            head = members[0]
            same_entity = (head.kind == "aggregate") == (fact.kind == "aggregate") and (
                head.kind == "aggregate"
                or self.names.key(head.entity) == self.names.key(fact.entity)
            )
            if (
                same_entity
                and head.unit == fact.unit
                and head.is_change == fact.is_change
                and close(head.value, fact.value)
                and (
                    not head.period
                    or not fact.period
                    or _norm_period(head.period)
                    in {_norm_period(fact.period), _norm_period(fact.calendar_period)}
                    or _norm_period(fact.period) == _norm_period(head.calendar_period)
                )
            ):
                members.append(fact)
                self._of[id(fact)] = gid
                return gid
        self.groups.append([fact])
        self._of[id(fact)] = len(self.groups) - 1
        return len(self.groups) - 1

    def of(self, fact: Fact) -> int:
        return self.add(fact)


# ---- digests: parse the Markdown, whatever its exact layout --------------------------------


@dataclass(frozen=True)
class DigestLine:
    text: str
    heading: str  # the nearest sub-heading (entity sections) above the line
    top: bool  # in a "Top" / headline section
    position: int
    item: int = -1  # the list item it is a clause of (a Top line may hold several facts)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")
_TOP_HEADING = re.compile(
    r"\btop\b|headline|要点|要點|头条|頭條|重点|重點|[三五]大|本周|本週", re.I
)


def parse_digest(md: str) -> list[DigestLine]:
    """Figure lines of a digest: list items with a digit, with their section context."""
    lines: list[DigestLine] = []
    top = False
    heading = ""
    for raw in md.splitlines():
        s = raw.strip()
        m_head = re.match(r"^(#{1,6})\s+(.*)$", s)
        if m_head:
            level, text = len(m_head.group(1)), m_head.group(2)
            if level <= 2:
                top = bool(_TOP_HEADING.search(text))
                heading = ""
            else:
                heading = text
            continue
        m = _LIST_ITEM.match(s)
        if not m or s.startswith("!["):
            continue
        text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", m.group(1))  # undo |md escapes
        if not re.search(r"\d", _strip_sources(text)):
            continue
        item = len({ln.item for ln in lines})
        for clause in _clauses(text):
            lines.append(
                DigestLine(text=clause, heading=heading, top=top, position=len(lines), item=item)
            )
    return lines


_LEAD = re.compile(r"^(\*\*[^*]+\*\*\s*[—–-]\s*)(.*)$", re.S)
_SOURCES_TAIL = re.compile(r"\s[·|]\s*(?:sources?|来源|來源)\b.*$", re.I | re.S)
_CLAUSE_SEP = re.compile(r";\s+|；\s*")


def _clauses(text: str) -> list[str]:
    """A line holding several facts of one company ("**Baidu** — shares ▼ -6%; revenue ¥31.2B
    (Q3 2025) · source: …") as one line per fact, each with the company and the sources, so
    every fact shown is judged on its own."""
    lead = _LEAD.match(text)
    if lead is None:
        return [text]
    head, rest = lead.groups()
    tail_m = _SOURCES_TAIL.search(rest)
    core, tail = (rest[: tail_m.start()], rest[tail_m.start() :]) if tail_m else (rest, "")
    parts = [c for c in _CLAUSE_SEP.split(core) if c.strip()]
    if len(parts) < 2:
        return [text]
    return [f"{head}{c.strip()}{tail}" for c in parts]


def _strip_sources(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links -> their text
    text = re.split(r"\s[·|]\s*(?:sources?|来源|來源)\b", text, maxsplit=1, flags=re.I)[0]
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", " ", text)


_SCALES = {
    "万亿": 1e12,
    "萬億": 1e12,
    "亿": 1e8,
    "億": 1e8,
    "万": 1e4,
    "萬": 1e4,
    "兆": 1e12,
    "trillion": 1e12,
    "billion": 1e9,
    "million": 1e6,
    "thousand": 1e3,
    "tn": 1e12,
    "bn": 1e9,
    "t": 1e12,
    "b": 1e9,
    "m": 1e6,
    "k": 1e3,
    "gw": 1e9,
    "mw": 1e6,
    "kw": 1e3,
}
_NUM = re.compile(
    r"(?P<sign>[-+−])?\s?(?:US\$|NT\$|HK\$|S\$|[$¥€£₩])?\s?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?[–—-]\s?(?:US\$|NT\$|[$¥€£₩])?(?P<num2>\d[\d,]*(?:\.\d+)?))?"
    r"\s?(?P<scale>万亿|萬億|亿|億|万|萬|兆|trillion|billion|million|thousand|tn|bn|GW|MW|kW|[KkMBT](?![A-Za-z]))?"
    r"\s?(?P<pct>%|percent|pp\b|個百分點|个百分点)?",
    re.I,
)


_PERIOD_TOKEN = re.compile(r"\b(?:Q[1-4]|H[12])\b(?:\s*[–—-]\s*Q[1-4]\b)?")
_BASE = re.compile(
    r"(?:\bfrom|\bvs\.?|\bversus|从|從|较|較|比)\s*(?:about|nearly|around|约|約)?\s*"
    r"(?:US\$|NT\$|HK\$|S\$|[$¥€£₩])?\s?\d[\d,]*(?:\.\d+)?"
    r"(?:\s?[–—-]\s?(?:US\$|NT\$|[$¥€£₩])?\d[\d,]*(?:\.\d+)?)?"
    r"\s?(?:万亿|萬億|亿|億|万|萬|兆|trillion|billion|million|tn|bn|GW|MW|[KkMBT](?![A-Za-z]))?"
    r"\s?%?",
    re.I,
)


def line_values(text: str, *, bases: bool = True) -> list[tuple[float, bool]]:
    """Numbers shown in a digest line as (value, is_percent): "$91–93B" -> 91e9 and 93e9,
    "1,350 亿美元" -> 1.35e11, "▼ 10%" -> 10 and -10. The digits of a period label ("Q2",
    "H1") are no value. ``bases=False``: an update's previous value ("up 88% from $72B",
    "较 850 亿") is left out -- the line shows it as the base of its new fact, not as a fact."""
    text = _PERIOD_TOKEN.sub(" ", _strip_sources(text))
    if not bases:
        text = _BASE.sub(" ", text)
    down = bool(DOWN.search(text))
    out: list[tuple[float, bool]] = []
    for m in _NUM.finditer(text):
        scale = _SCALES.get((m.group("scale") or "").casefold(), 1.0)
        pct = bool(m.group("pct"))
        sign = -1.0 if m.group("sign") in ("-", "−") else 1.0
        for i, g in enumerate(("num", "num2")):
            raw = m.group(g)
            if raw is None:
                continue
            v = float(raw.replace(",", "")) * scale * (sign if i == 0 else 1.0)
            out.append((v, pct))
            if pct and down and v > 0:
                out.append((-v, pct))
    return out


def names_entity(line: DigestLine, fact: Fact, names: Names) -> bool:
    """The line (its section heading or its own text, not its sources' titles, which name
    the articles) names the fact's entity."""
    hay = f"{line.heading} {_strip_sources(line.text)}"
    if fact.kind == "aggregate":
        return bool(AGGREGATE_WORDS.search(hay)) or fact.entity.casefold() in hay.casefold()
    spellings = names.spellings(fact.entity) | (
        names.spellings(fact.segment) if fact.segment else set()
    )
    for s in spellings:
        if not s:
            continue
        if s.isascii():
            if re.search(
                rf"(?<![A-Za-z]){re.escape(s)}(?![A-Za-z])", hay, re.I if len(s) > 3 else 0
            ):
                return True
        elif s in hay:
            return True
    return False


_METRIC_WORDS: dict[str, str] = {
    "capex": r"capex|capital expenditure|capital spending|invest|资本开支|資本開支|资本支出|資本支出|资本性|投资|投資",
    "spending": r"spend|capex|capital expenditure|支出|开支|開支|投入",
    "investment": r"invest|capex|capital expenditure|投资|投資|资本开支|資本開支|資本支出",
    "revenue": r"revenue|sales|run rate|营收|營收|收入|营业额|營業額",
    "profit": r"profit|net income|earnings|净利|淨利|盈利|溢利|利润|利潤|纯益|純益",
    "operating_income": r"operating (?:income|profit)|经营利润|經營利潤|营业利润|營業利益|营益|營益",
    "borrowing": r"borrow|bond|debt|loan|notes|发债|發債|债|債|贷款|貸款",
    "share_price": r"share|stock|股价|股價|股票|\bADR",
    "market_value": r"market (?:value|cap)|valuation|value|市值|估值",
    "funding": r"fund|rais|round|融资|融資|募资|募資",
    "backlog": r"backlog|RPO|remaining performance|obligation|未履约|未履約|订单|訂單",
    "eps": r"EPS|per share|每股",
    "users": r"user|用户|用戶",
    "free_cash_flow": r"free cash flow|FCF|自由现金流|自由現金流",
    "power_capacity": r"power|GW|MW|gigawatt|电力|電力|吉瓦",
    "compute_capacity": r"compute|FLOPS|算力",
    "gpus": r"GPU|chip|芯片|晶片",
}
_METRIC_WORDS["investment"] += "|" + _METRIC_WORDS["spending"]
_METRIC_WORDS["capex"] += "|" + _METRIC_WORDS["spending"]


_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FYY = r"(FY\s?)?'?(\d{4}|\d{2})\b"


def _year4(y: str) -> str:
    return y if len(y) == 4 else "20" + y


def _line_periods(text: str) -> tuple[set[str], set[str]]:
    """Periods finer than a year (quarters ``2025-Q4``/``FY2026-Q2``, quarter spans
    ``2025-Q1..Q3``, halves ``2025-H1``, months ``2024-12``) and bare years a digest line shows."""
    text = _strip_sources(text)
    fine: set[str] = set()
    for m in re.finditer(rf"\bQ([1-4])\s*[–—-]\s*Q([1-4])\s*(?:of\s*)?{_FYY}", text, re.I):
        fy = "FY" if m.group(3) else ""
        fine.add(f"{fy}{_year4(m.group(4))}-Q{m.group(1)}..Q{m.group(2)}")
        text = text.replace(m.group(0), " ")
    for m in re.finditer(rf"\bQ([1-4])\s*(?:of\s*)?{_FYY}", text, re.I):
        fine.add(f"{'FY' if m.group(2) else ''}{_year4(m.group(3))}-Q{m.group(1)}")
    for m in re.finditer(r"\bFY\s?'?(\d{4}|\d{2})\s*[- ]?Q([1-4])\b", text, re.I):
        fine.add(f"FY{_year4(m.group(1))}-Q{m.group(2)}")
    for m in re.finditer(rf"\bH([12])\s*(?:of\s*)?{_FYY}", text, re.I):
        fine.add(f"{'FY' if m.group(2) else ''}{_year4(m.group(3))}-H{m.group(1)}")
    for m in re.finditer(
        r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{4})\b", text
    ):
        fine.add(f"{m.group(2)}-{_MONTH_ABBR.index(m.group(1).lower()) + 1:02d}")
    for m in re.finditer(r"(\d{4})\s*年?\s*(?:第\s*)?([1-4一二三四])\s*季", text):
        q = "一二三四".find(m.group(2)) + 1 or int(m.group(2))
        fine.add(f"{m.group(1)}-Q{q}")
    years = set(re.findall(r"(?<![\d.,$¥])(20[12]\d)(?![\d%])", text))
    years -= {re.sub(r"^FY", "", p)[:4] for p in fine}
    return fine, years


def period_shown_ok(line: DigestLine, fact: Fact) -> bool:
    """The line's period (if it shows one) does not contradict the fact's."""
    if not fact.period:
        return True
    fine, years = _line_periods(line.text)
    wanted = {_norm_period(fact.period), _norm_period(fact.calendar_period)} - {""}
    if fine:
        return bool({_norm_period(q) for q in fine} & wanted)
    if years:
        annual = {p for p in wanted if re.fullmatch(r"(FY)?\d{4}", p)}
        return bool({y for y in years} & {p[-4:] for p in annual})
    return True


def line_mentions(line: DigestLine, fact: Fact, names: Names) -> bool:
    """Loose: the line names the fact's entity and shows its value (within 1 %), whatever the
    metric label (what makes two lines one fact)."""
    want_pct = fact.unit in ("percent", "percentage_points")
    values = [v for v, pct in line_values(line.text) if pct == want_pct]
    if not any(close(v, fact.value) for v in values):
        return False
    return names_entity(line, fact, names)


def line_repeats(line: DigestLine, fact: Fact, names: Names) -> bool:
    """The line shows ``fact`` again (for duplicates and old facts shown as new): entity and
    value as in :func:`line_mentions`, whatever the metric label, but not as the base of an
    update ("up 88% from $72B" shows a new fact and its previous value, as an update should),
    and not under a period that contradicts the fact's (Q1 revenue ¥32.5B is not Q2's ¥32.7B)."""
    want_pct = fact.unit in ("percent", "percentage_points")
    values = [v for v, pct in line_values(line.text, bases=False) if pct == want_pct]
    if not any(close(v, fact.value) for v in values):
        return False
    return names_entity(line, fact, names) and period_shown_ok(line, fact)


def line_shows(line: DigestLine, fact: Fact, names: Names) -> bool:
    """Right: entity and value as in :func:`line_mentions`, the fact's metric named (any
    wording, either language) and no contradicting period."""
    if not line_mentions(line, fact, names):
        return False
    words = _METRIC_WORDS.get(fact.metric)
    if words and not re.search(words, f"{line.heading} {_strip_sources(line.text)}", re.I):
        return False
    return period_shown_ok(line, fact)


# ---- scoring -------------------------------------------------------------------------------


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += int(ok)

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None

    def __str__(self) -> str:
        v = self.value
        return "n/a" if v is None else f"{v:.3f} ({self.hit}/{self.total})"


@dataclass
class Report:
    split: str
    articles: int = 0
    facts: int = 0
    weeks: int = 0
    stored: int = 0
    figure_precision: Ratio = field(default_factory=Ratio)
    figure_precision_by_lang: dict[str, Ratio] = field(default_factory=dict)
    recall_imp1: Ratio = field(default_factory=Ratio)
    recall_imp2: Ratio = field(default_factory=Ratio)
    recall_imp1_by_lang: dict[str, Ratio] = field(default_factory=dict)
    line_precision: Ratio = field(default_factory=Ratio)
    duplicate_lines: int = 0
    digest_lines: int = 0
    top5_recall_imp1: Ratio = field(default_factory=Ratio)
    old_as_new: int = 0
    alerts: dict[str, Ratio] = field(default_factory=dict)
    alert_precision: Ratio = field(default_factory=Ratio)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def miss(self, kind: str, text: str) -> None:
        self.misses.setdefault(kind, []).append(text)

    def to_json(self) -> dict[str, Any]:
        def r(x: Ratio) -> dict[str, Any]:
            return {"value": x.value, "hit": x.hit, "total": x.total}

        return {
            "split": self.split,
            "articles": self.articles,
            "facts": self.facts,
            "weeks": self.weeks,
            "stored_figures": self.stored,
            "figure_precision": r(self.figure_precision),
            "figure_precision_by_lang": {k: r(v) for k, v in self.figure_precision_by_lang.items()},
            "recall_imp1": r(self.recall_imp1),
            "recall_imp1_by_lang": {k: r(v) for k, v in self.recall_imp1_by_lang.items()},
            "recall_imp2": r(self.recall_imp2),
            "digest_lines": self.digest_lines,
            "line_precision": r(self.line_precision),
            "duplicate_lines": self.duplicate_lines,
            "top5_recall_imp1": r(self.top5_recall_imp1),
            "old_as_new": self.old_as_new,
            "alerts": {k: r(v) for k, v in self.alerts.items()},
            "alert_precision": r(self.alert_precision),
        }


def url_key(url: object) -> str:
    """URLs compared as text after percent-decoding (feed parsers may re-quote them)."""
    return urllib.parse.unquote(str(url or "")).strip()


def week_key(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def score_figures(
    report: Report, articles: Sequence[Article], stored: Sequence[dict[str, Any]], names: Names
) -> None:
    """Stored-figure precision and fact recall; ``stored`` rows carry ``item_url``."""
    by_url = {url_key(a.url): a for a in articles}
    found: set[tuple[str, int]] = set()
    report.stored = len(stored)
    for fig in stored:
        art = by_url.get(url_key(fig.get("item_url")))
        lang = art.lang if art else "?"
        ok = False
        if art is not None:
            for i, fact in enumerate(art.facts):
                if figure_matches(fact, fig, names):
                    ok = True
                    found.add((art.url, i))
        report.figure_precision.add(ok)
        report.figure_precision_by_lang.setdefault(lang, Ratio()).add(ok)
        if not ok:
            report.miss(
                "wrong stored figures",
                f"{art.id if art else '?'} {fig.get('entity')!s} {fig.get('metric')} "
                f"{fig.get('value'):g} {fig.get('unit')} ({fig.get('period') or '-'}, "
                f"{fig.get('kind', '?')}) ← {str(fig.get('sentence', ''))[:140]!r}",
            )
    for art in articles:
        for i, fact in enumerate(art.facts):
            hit = (art.url, i) in found
            if fact.importance == 1:
                report.recall_imp1.add(hit)
                report.recall_imp1_by_lang.setdefault(art.lang, Ratio()).add(hit)
                if not hit:
                    report.miss(
                        "missed importance-1 facts",
                        f"{art.id} {fact.describe()}  {art.title[:70]!r}",
                    )
            elif fact.importance == 2:
                report.recall_imp2.add(hit)


def score_digests(
    report: Report,
    articles: Sequence[Article],
    digests: dict[str, str],
    names: Names,
) -> None:
    """Digest line precision, duplicates, top-5 recall and old facts shown as new."""
    groups = FactGroups(names)
    for a in sorted(articles, key=lambda a: a.published):
        for f in a.facts:
            groups.add(f)
    weeks = sorted(digests)
    shown_before: set[int] = set()
    facts_before: set[int] = set()
    for wk in weeks:
        week_arts = [a for a in articles if week_key(a.published) == wk]
        upto_arts = [a for a in articles if week_key(a.published) <= wk]
        week_facts = [f for a in week_arts for f in a.facts]
        upto_facts = [f for a in upto_arts for f in a.facts]
        lines = parse_digest(digests[wk])
        # every figure shown is judged, Top lines included (a fact appears on one line only)
        top = [ln for ln in lines if ln.top] or lines
        first_items = sorted({ln.item for ln in top})[:5]
        seen: set[int] = set()
        shown_now: set[int] = set()
        for ln in lines:
            report.digest_lines += 1
            gids = {groups.of(f) for f in week_facts if line_shows(ln, f, names)}
            report.line_precision.add(bool(gids))
            if not gids:
                report.miss("wrong digest lines", f"{wk} [{ln.heading}] {ln.text[:150]}")
            same = {groups.of(f) for f in week_facts if line_repeats(ln, f, names)}
            if same & seen:
                report.duplicate_lines += 1
                report.miss("duplicate digest lines", f"{wk} [{ln.heading}] {ln.text[:150]}")
            seen |= same
            any_gids = {groups.of(f) for f in upto_facts if line_repeats(ln, f, names)}
            # a line that shows a fact of the week exactly (metric and period) is that fact; an
            # earlier fact it only matches loosely (same value, no period) is a coincidence
            exact = gids & any_gids
            if (exact or any_gids) & shown_before and not ALREADY_REPORTED.search(ln.text):
                report.old_as_new += 1
                report.miss("old facts shown as new", f"{wk} [{ln.heading}] {ln.text[:150]}")
            shown_now |= any_gids
        top_gids: set[int] = set()
        for ln in (ln for ln in top if ln.item in first_items):
            top_gids |= {groups.of(f) for f in week_facts if line_shows(ln, f, names)}
        new_imp1 = {groups.of(f) for f in week_facts if f.importance == 1} - facts_before
        for gid in sorted(new_imp1):
            report.top5_recall_imp1.add(gid in top_gids)
            if gid not in top_gids:
                report.miss(
                    "importance-1 facts not in the top 5",
                    f"{wk} {groups.groups[gid][0].describe()}",
                )
        shown_before |= shown_now
        facts_before |= {groups.of(f) for f in week_facts}
    report.weeks = len(weeks)


def _alert_sources(alert: dict[str, Any], by_url: dict[str, Article]) -> list[Article]:
    return [
        by_url[url_key(s.get("url"))]
        for s in alert.get("sources", [])
        if url_key(s.get("url")) in by_url
    ]


def alert_right(
    rule: str,
    alert: dict[str, Any],
    by_url: dict[str, Article],
    names: Names,
    usd_per: dict[str, float],
) -> bool:
    """A fired alert (``alerts test --format json``) is right when its figure matches a
    labelled fact of one of its sources that satisfies the rule on its labelled value."""
    fig = alert["figure"]
    return any(
        figure_matches(f, fig, names) and rule_holds(rule, f, usd_per)
        for a in _alert_sources(alert, by_url)
        for f in a.facts
    )


def alert_recall(
    rule: str,
    articles: Sequence[Article],
    alerts: Sequence[dict[str, Any]],
    names: Names,
    usd_per: dict[str, float],
) -> tuple[Ratio, Ratio, list[str]]:
    """Of the labelled facts that satisfy ``rule``: (per article, per fact across articles,
    the missed ones). An article's fact is covered when an alert lists that article as a
    source and the alert's figure matches the fact (what makes the alert right); a fact
    reported by several articles (``FactGroups``) is covered when any of its mentions is."""
    by_url = {url_key(a.url): a for a in articles}
    covered: set[tuple[str, int]] = set()
    for alert in alerts:
        fig = alert["figure"]
        for a in _alert_sources(alert, by_url):
            for i, f in enumerate(a.facts):
                if figure_matches(f, fig, names) and rule_holds(rule, f, usd_per):
                    covered.add((a.id, i))
    groups = FactGroups(names)
    mentions = Ratio()
    grouped: dict[int, bool] = {}
    missed: list[str] = []
    for a in articles:
        for i, f in enumerate(a.facts):
            if not rule_holds(rule, f, usd_per):
                continue
            ok = (a.id, i) in covered
            mentions.add(ok)
            gid = groups.of(f)
            grouped[gid] = grouped.get(gid, False) or ok
            if not ok:
                missed.append(f"{rule}: {a.id} {f.describe()}")
    facts = Ratio(hit=sum(grouped.values()), total=len(grouped))
    return mentions, facts, missed


def score_alerts(
    report: Report,
    articles: Sequence[Article],
    fired: dict[str, list[dict[str, Any]]],
    names: Names,
    usd_per: dict[str, float],
    rules: Sequence[str] = RULES,
) -> None:
    by_url = {url_key(a.url): a for a in articles}
    for rule in rules:
        ratio = report.alerts.setdefault(rule, Ratio())
        for alert in fired.get(rule, []):
            fig = alert["figure"]
            ok = alert_right(rule, alert, by_url, names, usd_per)
            ratio.add(ok)
            report.alert_precision.add(ok)
            if not ok:
                report.miss(
                    "wrong alerts",
                    f"{rule}: {fig.get('entity')} {fig.get('metric')} {fig.get('value'):g} "
                    f"{fig.get('unit')} ({fig.get('period') or '-'}, {fig.get('kind')}) "
                    f"← {str(fig.get('sentence', ''))[:120]!r}",
                )


# ---- feeds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    path: str
    name: str
    lang: str
    atom: bool
    accepts: Callable[[Article], bool]


def _outlet_half(a: Article) -> int:
    return int(hashlib.sha1(a.outlet.encode()).hexdigest(), 16) % 2


FEEDS = (
    FeedSpec(
        "/en-wire.xml",
        "English wire (RSS)",
        "en",
        False,
        lambda a: a.lang == "en" and _outlet_half(a) == 0,
    ),
    FeedSpec(
        "/en-web.atom",
        "English web (Atom)",
        "en",
        True,
        lambda a: a.lang == "en" and _outlet_half(a) == 1,
    ),
    FeedSpec(
        "/zh-hans.xml",
        "中文简体 (RSS)",
        "zh",
        False,
        lambda a: a.lang == "zh" and a.script == "hans",
    ),
    FeedSpec(
        "/zh-hant.atom",
        "中文繁體 (Atom)",
        "zh",
        True,
        lambda a: a.lang == "zh" and a.script != "hans",
    ),
)


def _when(a: Article) -> datetime:
    return datetime.combine(a.published, dtime(12, 0), tzinfo=UTC)


def _atom_dates(a: Article) -> str:
    """An entry's dates; none for an article whose date is only a guess (as its feed gave none)."""
    if a.date_estimated:
        return ""
    return f"<published>{_when(a).isoformat()}</published><updated>{_when(a).isoformat()}</updated>"


def _html_body(body: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.splitlines() if p.strip())


def feed_xml(spec: FeedSpec, items: Sequence[Article]) -> bytes:
    """An RSS 2.0 or Atom 1.0 document of ``items`` (newest first, as feeds list them)."""
    items = sorted(items, key=lambda a: (a.published, a.id), reverse=True)
    esc = html.escape
    if spec.atom:
        updated = (_when(items[0]) if items else datetime(2024, 1, 1, tzinfo=UTC)).isoformat()
        entries = "".join(
            f"<entry><id>urn:briefbot-bench:{a.id}</id><title>{esc(a.title)}</title>"
            f'<link rel="alternate" href="{esc(a.url)}"/>'
            + _atom_dates(a)
            + f"<author><name>{esc(a.outlet)}</name></author>"
            f'<content type="html">{esc(_html_body(a.body))}</content></entry>'
            for a in items
        )
        doc = (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:lang="{spec.lang}"><id>urn:briefbot-bench:{spec.path}</id>'
            f"<title>{esc(spec.name)}</title><updated>{updated}</updated>{entries}</feed>"
        )
    else:
        entries = "".join(
            f"<item><title>{esc(a.title)}</title><link>{esc(a.url)}</link>"
            f'<guid isPermaLink="false">{a.id}</guid>'
            + ("" if a.date_estimated else f"<pubDate>{format_datetime(_when(a))}</pubDate>")
            + f"<description>{esc(_html_body(a.body))}</description></item>"
            for a in items
        )
        doc = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{esc(spec.name)}</title><link>http://127.0.0.1/</link>"
            f"<description>{esc(spec.name)}</description><language>{spec.lang}</language>"
            f"{entries}</channel></rss>"
        )
    return doc.encode("utf-8")


# ---- the replay (the shell: HTTP, subprocesses, the store) ---------------------------------


@dataclass
class Replay:
    split: str
    weeks: list[str]
    digests: dict[str, str]
    stored: list[dict[str, Any]]
    fired: dict[str, list[dict[str, Any]]]
    commands: int
    seconds: float


def _scratch_project(tmp: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "config", tmp / "config")
    (tmp / "archive").mkdir()
    cfg = tmp / "config" / "briefbot.toml"
    text = cfg.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^path = "digests"', f'path = "{(tmp / "digests").as_posix()}"', text)
    cfg.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_DATABASE_URL=f"sqlite:///{(tmp / 'briefbot.db').as_posix()}",
        BRIEFBOT_CONFIG=str(cfg),
        BRIEFBOT_ALLOW_PRIVATE_FEEDS="1",
        BRIEFBOT_TEST_CLOCK=str(tmp / "clock"),
    )
    return env


COMMAND_SECONDS: dict[str, float] = {}
_TIMING_LOCK = threading.Lock()


def _briefbot(env: dict[str, str], cwd: Path, *args: str) -> str:
    t0 = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    with _TIMING_LOCK:
        name = " ".join(args[:2]) if args[0] in ("feeds", "alerts") else args[0]
        COMMAND_SECONDS[name] = COMMAND_SECONDS.get(name, 0.0) + time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(
            f"briefbot {' '.join(args)} exited {res.returncode}: {res.stderr.strip()}"
        )
    return res.stdout


async def _read_store(url: str) -> list[dict[str, Any]]:
    from bot.store.store import Store

    store = Store.open(url)
    try:
        rows = await store.figures()
    finally:
        await store.close()
    out = []
    for sf in rows:
        d = sf.figure.to_json_dict()
        d.update(item_url=sf.item_url, item_id=sf.item_id, item_title=sf.item_title)
        out.append(d)
    return out


def _read_digests(out_dir: Path, weeks: Sequence[str]) -> dict[str, str]:
    """The Markdown digest of each replayed week that has one."""
    return {
        wk: (out_dir / f"{wk}.md").read_text(encoding="utf-8")
        for wk in weeks
        if (out_dir / f"{wk}.md").exists()
    }


def _backtest(env: dict[str, str], tmp: Path) -> dict[str, list[dict[str, Any]]]:
    """``briefbot alerts test RULE --format json`` for each rule: the alerts it fires."""
    fired: dict[str, list[dict[str, Any]]] = {}
    for rule in RULES:
        text = _briefbot(env, tmp, "alerts", "test", rule, "--format", "json")
        fired[rule] = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
    return fired


def replay(
    articles: Sequence[Article],
    split: str,
    *,
    log: Callable[[str], None] = print,
    keep: Path | None = None,
) -> Replay:
    """Serve the split's articles as growing feeds and run the CLI week by week; ``keep``: copy
    the scratch project's database there (for :func:`redigest`)."""
    from bot.service.clock import FileClock

    t0 = time.perf_counter()
    weeks = sorted({week_key(a.published) for a in articles})
    commands = 0
    with (
        tempfile.TemporaryDirectory(prefix=f"real-news-{split}-") as d,
        FeedServer(record=False) as srv,
    ):
        tmp = Path(d)
        env = _scratch_project(tmp)
        out_dir = tmp / "digests"
        specs = [s for s in FEEDS if any(s.accepts(a) for a in articles)]
        for s in specs:
            srv.route(s.path, Route(body=feed_xml(s, []), content_type=_ctype(s)))
            _briefbot(env, tmp, "feeds", "add", srv.url(s.path), "--name", s.name, "--lang", s.lang)
            commands += 1
        for i, wk in enumerate(weeks, 1):
            end = date.fromisocalendar(int(wk[:4]), int(wk[6:]), 7)
            upto = [a for a in articles if a.published <= end]
            for s in specs:
                srv.route(
                    s.path,
                    Route(
                        body=feed_xml(s, [a for a in upto if s.accepts(a)]), content_type=_ctype(s)
                    ),
                )
            FileClock.move_to(tmp / "clock", datetime.combine(end, dtime(23, 0), tzinfo=UTC))
            _briefbot(env, tmp, "ingest", "--feeds")
            _briefbot(env, tmp, "digest", "--week", wk, "--channel", "file", "--out", str(out_dir))
            commands += 2
            log(f"  {split}: week {wk} ({i}/{len(weeks)}), {len(upto)} items served")
        digests = _read_digests(out_dir, weeks)
        fired = _backtest(env, tmp)
        commands += len(RULES)
        stored = asyncio.run(_read_store(env["BRIEFBOT_DATABASE_URL"]))
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(tmp / "briefbot.db", keep / f"{split}.db")
    return Replay(split, weeks, digests, stored, fired, commands, time.perf_counter() - t0)


async def _redigest_store(env: dict[str, str], weeks: Sequence[str], out_dir: Path) -> None:
    from bot import pipeline
    from bot.config import load_config
    from bot.models import Period
    from bot.store.store import Store

    cfg = load_config(env)
    async with Store.open(env["BRIEFBOT_DATABASE_URL"]) as store:
        await store.rebuild_facts()
        await pipeline.build_digests(
            store, cfg, periods=[Period.parse(w) for w in weeks], out=out_dir, force=True
        )


def redigest(articles: Sequence[Article], split: str, kept: Path) -> Replay:
    """Dev iteration only (``--reuse``): the database a ``--keep`` run ingested, its facts
    rebuilt with the current ``bot.facts`` and every week's digest written again in-process with
    the current code and config; then the same alert backtests. Extraction is NOT re-run (re-run
    the full replay after extraction changes); the official numbers come from :func:`replay`."""
    t0 = time.perf_counter()
    weeks = sorted({week_key(a.published) for a in articles})
    with tempfile.TemporaryDirectory(prefix=f"real-news-{split}-reuse-") as d:
        tmp = Path(d)
        env = _scratch_project(tmp)
        shutil.copy2(kept / f"{split}.db", tmp / "briefbot.db")
        out_dir = tmp / "digests"
        saved = dict(os.environ)
        try:
            os.environ.update(env)
            asyncio.run(_redigest_store(env, weeks, out_dir))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        digests = _read_digests(out_dir, weeks)
        fired = _backtest(env, tmp)
        stored = asyncio.run(_read_store(env["BRIEFBOT_DATABASE_URL"]))
    return Replay(split, weeks, digests, stored, fired, len(RULES), time.perf_counter() - t0)


def _ctype(spec: FeedSpec) -> str:
    return (
        "application/atom+xml; charset=utf-8" if spec.atom else "application/rss+xml; charset=utf-8"
    )


def score(
    articles: Sequence[Article], rep: Replay, names: Names, usd_per: dict[str, float]
) -> Report:
    report = Report(
        split=rep.split, articles=len(articles), facts=sum(len(a.facts) for a in articles)
    )
    score_figures(report, articles, rep.stored, names)
    score_digests(report, articles, rep.digests, names)
    score_alerts(report, articles, rep.fired, names, usd_per)
    return report


def usd_rates() -> dict[str, float]:
    cfg = tomllib.loads((ROOT / "config" / "briefbot.toml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in cfg.get("rates", {}).items() if isinstance(v, (int, float))}


# ---- report --------------------------------------------------------------------------------


def format_table(reports: Sequence[Report]) -> str:
    rows: list[tuple[str, list[str], str]] = []

    def row(label: str, get: Callable[[Report], object], target: str = "") -> None:
        rows.append((label, [str(get(r)) for r in reports], target))

    row("articles", lambda r: r.articles)
    row("labelled facts", lambda r: r.facts)
    row("weeks replayed", lambda r: r.weeks)
    row("stored figures", lambda r: r.stored)
    row("stored-figure precision", lambda r: r.figure_precision, TARGETS["figure_precision"])
    for lang in ("en", "zh"):
        row(
            f"  precision, {lang}",
            lambda r, lang=lang: r.figure_precision_by_lang.get(lang, Ratio()),
        )
    row("recall, importance 1", lambda r: r.recall_imp1, TARGETS["recall_imp1"])
    for lang in ("en", "zh"):
        row(
            f"  recall imp. 1, {lang}",
            lambda r, lang=lang: r.recall_imp1_by_lang.get(lang, Ratio()),
        )
    row("recall, importance 2", lambda r: r.recall_imp2)
    row("digest figure lines", lambda r: r.digest_lines)
    row("digest line precision", lambda r: r.line_precision, TARGETS["line_precision"])
    row("duplicate lines", lambda r: r.duplicate_lines, TARGETS["duplicate_lines"])
    row("top-5 recall, importance 1", lambda r: r.top5_recall_imp1, TARGETS["top5_recall_imp1"])
    row("old facts shown as new", lambda r: r.old_as_new, TARGETS["old_as_new"])
    for rule in RULES:
        row(f"alerts `{rule}`", lambda r, rule=rule: r.alerts.get(rule, Ratio()))
    row("alert precision", lambda r: r.alert_precision, TARGETS["alert_precision"])
    head = ["metric", *(r.split for r in reports), "target (held-out)"]
    width0 = max(len(head[0]), *(len(r[0]) for r in rows))
    widths = [max(len(head[i + 1]), *(len(r[1][i]) for r in rows)) for i in range(len(reports))]
    lines = [
        "  ".join(
            [
                head[0].ljust(width0),
                *(h.ljust(w) for h, w in zip(head[1:], widths, strict=False)),
                head[-1],
            ]
        )
    ]
    lines.append("-" * len(lines[0]))
    for label, vals, target in rows:
        lines.append(
            "  ".join(
                [
                    label.ljust(width0),
                    *(v.ljust(w) for v, w in zip(vals, widths, strict=True)),
                    target,
                ]
            )
        )
    return "\n".join(lines)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    p.add_argument("--verbose", action="store_true", help="print the misses (dev split only)")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    p.add_argument("--data", metavar="PATH", default=str(DATA), help="articles.jsonl to replay")
    p.add_argument("--keep", metavar="DIR", help="keep each split's ingested database in DIR")
    p.add_argument(
        "--reuse",
        metavar="DIR",
        help="dev iteration only: skip the feed replay, rebuild facts and digests on the "
        "database a --keep run left in DIR (extraction is not re-run)",
    )
    p.add_argument("--digests", metavar="DIR", help="also copy the weekly Markdown digests here")
    args = p.parse_args(argv)
    if args.reuse and args.split != "dev":
        p.error("--reuse is for dev iteration: use it with --split dev")
    t0 = time.perf_counter()
    articles = load_articles(Path(args.data))
    names = Names.load()
    rates = usd_rates()
    splits = ["dev", "heldout"] if args.split == "all" else [args.split]
    print(
        f"$ {' '.join([Path(sys.executable).name, 'benchmarks/real_news.py', *(argv if argv is not None else sys.argv[1:])])}"
    )
    print(
        f"commit {git_commit()}, {len(articles)} articles, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    by_split = {s: [a for a in articles if a.split == s] for s in splits}
    # The splits are replayed side by side (each its own feeds, project and database).
    keep = Path(args.keep) if args.keep else None
    if args.reuse:
        replays = [redigest(by_split[s], s, Path(args.reuse)) for s in splits]
    else:
        with ThreadPoolExecutor(max_workers=len(splits)) as pool:
            replays = list(
                pool.map(
                    lambda s: replay(
                        by_split[s], s, log=lambda m: print(m, file=sys.stderr), keep=keep
                    ),
                    splits,
                )
            )
    if args.digests:
        for r in replays:
            if r.split != "dev":
                continue  # held-out digests are not for reading
            out = Path(args.digests) / r.split
            out.mkdir(parents=True, exist_ok=True)
            for wk, md in r.digests.items():
                (out / f"{wk}.md").write_text(md, encoding="utf-8")
    reports = [score(by_split[r.split], r, names, rates) for r in replays]
    commands = sum(r.commands for r in replays)
    print()
    print(format_table(reports))
    spent = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(COMMAND_SECONDS.items()))
    print(f"\n{commands} briefbot commands ({spent}), run time {time.perf_counter() - t0:.1f} s")
    if args.verbose:
        for r in reports:
            if r.split != "dev":
                print(
                    f"\n(misses of the {r.split} split are not shown: it is scored only to report)"
                )
                continue
            for kind, items in r.misses.items():
                print(f"\n== {r.split}: {kind} ({len(items)})")
                for it in items:
                    print(f"  {it}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"commit": git_commit(), "reports": [r.to_json() for r in reports]}, indent=2
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
