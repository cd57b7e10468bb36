"""Fact identity (pure): when two figures report the same fact, and when one updates another.

One **fact** is (entity, value within 1 %, unit, compatible period), whatever the metric label,
the kind or the outlet: "Amazon capex $200B (2026)", "Amazon investment $200B (FY2026)",
"Amazon spending $200B" and "analysts expect Amazon capex of $200B" from four outlets are one
fact. The rules, measured on the dev split of the real-news set (``benchmarks/real_news.py``,
where two figures of the same value and entity were one labelled fact 9 times in 10 even when
their periods or kinds disagreed):

- **Levels** (amounts, not moves): periods are compatible when equal after folding fiscal-year
  labels ("FY2026" ~ "2026"), when either is unknown or not a calendar period ("three-year",
  "1-day"), when a fiscal period may be the calendar one (:func:`fiscal_fits`: "FY2026" may be
  2025, "FY2026-Q2" may be 2025-Q4), when one calendar period holds the other ("Sep 2025" in
  "2025-Q3", "2025-Q2" in "2025-H1"), or when one is a year and the other lies within a year of
  it, or two years a year apart (:func:`levels_periods_compatible`). The same company rarely
  states one amount to 1 % for two periods, so one of the two labels is wrong ("this year"
  read as the next) — it is still one fact. Two distinct quarters, halves or months stay two
  facts (sequential quarters can be flat), and so do years further apart.
- **Changes** (``is_change``: "+66 %", "-10 %") are small numbers that coincide easily, so
  their metric must agree too (``other`` agrees with anything) and their periods must be
  strictly compatible (:func:`periods_compatible`): revenue +10 % is not shares +10 %.
- **A change and a level** are one fact only when the level states its earlier value and the
  change is its move: "capex ¥24.2B, down from ¥29.9B" and "capex -19 %" (within half a point),
  or when the level is a bare percent of a money metric, which can only be a move ("revenue
  85 %" and "revenue +85 %"). A share-price move and a market-value move are one move.
- **Counterparties**: a deal is one fact whichever side a mention files it under. A level joins
  another company's fact of the same amount when its sentence or its item's headline names that
  company (or the figure's ``counterparty`` is it): "Nvidia will invest $100B in OpenAI" (Nvidia's) and
  "OpenAI gets $100B from Nvidia" (OpenAI's). Money, power and compute only; moves, percents
  and counts never cross companies.
- **Aggregates** (kind ``aggregate``: "Big Tech", "Amazon + Google + Meta + Microsoft") are one
  subject, :data:`AGGREGATE`, whatever the group's name.
- **Stated conversions** bridge units: "160 billion yuan (about $23 billion)" is the same fact
  as another outlet's "$23 billion" (the text itself gives the second value, no rate guessed); a
  bare number ("1600亿", unit ``count``) is the company's amount of the same value in money.

A fact **updates** another when it has the same subject (entity, metric, unit, the same period,
not an estimate, not a change) and a value outside the tolerance but within a factor of two:
"Alphabet 2025 capex guidance $91–93B" updates "$85B".

``FactId`` is the comparable core of a figure; it can be rebuilt from a figure's ``key``
("meta|capex|2026|lvl|USD|1.35e+11"), which is how fired alerts are remembered.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.extract.entities import COMPANY, PERSON, SEGMENT, default_lexicon
from bot.extract.textfold import simplified
from bot.models import Figure, StoredFigure
from bot.money import is_money

TOLERANCE = 0.01
"""Two values within 1 % of the larger are the same value."""

ESTIMATE_KINDS = frozenset({"estimate", "hypothetical"})
AGGREGATE = "*aggregate"
"""The one subject of every aggregate ("Big Tech", "hyperscalers", "A + B + C")."""
PERCENT_IS_MOVE = frozenset(
    {
        "revenue",
        "profit",
        "operating_income",
        "capex",
        "spending",
        "investment",
        "backlog",
        "share_price",
        "market_value",
    }
)
"""Amounts and prices: a percent "level" of one ("revenue 85 %", "shares 25 %") is a move."""
MOVE_POINTS = 0.5
"""A stated move ("down 19%") and the one computed from a level's earlier value agree within
half a percentage point (rounding)."""
_FISCAL_YEAR = re.compile(r"^(?:FY|CY)\s?(\d{4})$", re.IGNORECASE)


def norm_entity(entity: str | None) -> str:
    return " ".join((entity or "").split()).casefold()


def subject_key(entity: str | None, kind: str) -> str:
    """The entity a fact is about, as identity compares it: :data:`AGGREGATE` for aggregates."""
    return AGGREGATE if kind == "aggregate" else norm_entity(entity)


def norm_period(period: str | None) -> str | None:
    """The period with fiscal/calendar-year labels folded onto the year: "FY2026" -> "2026"."""
    if period is None or not period.strip():
        return None
    p = period.strip()
    m = _FISCAL_YEAR.match(p)
    return m.group(1) if m else p.upper()


_FQ = re.compile(r"^FY\s?(\d{4})-Q([1-4])$", re.IGNORECASE)
_CQ = re.compile(r"^(\d{4})-Q([1-4])$")
_FY = re.compile(r"^FY\s?(\d{4})$", re.IGNORECASE)


def periods_compatible(a: str | None, b: str | None) -> bool:
    """Equal after :func:`norm_period`, either unknown, or a fiscal period and a calendar one
    that it may be (:func:`fiscal_fits`: fiscal calendars differ by company)."""
    na, nb = norm_period(a), norm_period(b)
    if na is None or nb is None or na == nb:
        return True
    pa, pb = (a or "").strip(), (b or "").strip()
    return fiscal_fits(pa, pb) or fiscal_fits(pb, pa)


def fiscal_fits(fiscal: str, calendar: str) -> bool:
    """Could fiscal period ``fiscal`` be calendar period ``calendar``?

    A fiscal year ends within its named calendar year or starts in it, so "FY2026" may be mostly
    2025 (Nvidia, Microsoft) or 2026; its quarter n lies between zero and four quarters before
    calendar quarter n of the named year ("FY2026-Q2" may be 2025-Q2 .. 2026-Q2; Microsoft's is
    2025-Q4).
    """
    fq, cq = _FQ.match(fiscal), _CQ.match(calendar)
    if fq and cq:
        f = int(fq.group(1)) * 4 + int(fq.group(2)) - 1
        c = int(cq.group(1)) * 4 + int(cq.group(2)) - 1
        return 0 <= f - c <= 4
    fy = _FY.match(fiscal)
    return bool(fy and calendar.isdigit() and int(fy.group(1)) - int(calendar) in (0, 1))


_YEAR_P = re.compile(r"^(FY|CY)?\s?(\d{4})$", re.IGNORECASE)
_QUARTER_P = re.compile(r"^(FY)?(\d{4})-Q([1-4])$", re.IGNORECASE)
_QUARTERS_P = re.compile(r"^(FY)?(\d{4})-Q([1-4])(?:-|\.\.)Q([1-4])$", re.IGNORECASE)
_HALF_P = re.compile(r"^(FY)?(\d{4})-H([12])$", re.IGNORECASE)
_MONTH_P = re.compile(r"^(\d{4})-(\d{2})$")
_END_P = re.compile(r"^end-(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Span:
    first: int  # months since year 0, inclusive
    last: int
    annual: bool
    fiscal: bool


def _span(period: str) -> _Span | None:
    """The months a calendar-like period covers; None for durations and unknown forms."""
    p = period.strip()
    if m := _YEAR_P.match(p):
        y = int(m[2])
        return _Span(y * 12, y * 12 + 11, True, bool(m[1]) and m[1].upper() == "FY")
    if m := _END_P.match(p):
        y = int(m[1])
        return _Span(y * 12 + 11, y * 12 + 11, False, False)
    if m := _QUARTERS_P.match(p):
        y, a, b = int(m[2]), int(m[3]), int(m[4])
        return _Span(y * 12 + 3 * (a - 1), y * 12 + 3 * b - 1, False, bool(m[1]))
    if m := _QUARTER_P.match(p):
        y, q = int(m[2]), int(m[3])
        return _Span(y * 12 + 3 * (q - 1), y * 12 + 3 * q - 1, False, bool(m[1]))
    if m := _HALF_P.match(p):
        y, h = int(m[2]), int(m[3])
        return _Span(y * 12 + 6 * (h - 1), y * 12 + 6 * h - 1, False, bool(m[1]))
    if (m := _MONTH_P.match(p)) and 1 <= int(m[2]) <= 12:
        y, mo = int(m[1]), int(m[2])
        return _Span(y * 12 + mo - 1, y * 12 + mo - 1, False, False)
    return None


def period_months(period: str | None) -> tuple[int, int] | None:
    """The first and last month (counted from year 0) a calendar-like period covers; None for
    durations and unknown forms. A fiscal label counts as its calendar namesake (FY2026 as 2026),
    which is never earlier than the fiscal year itself."""
    span = _span(period) if period else None
    return (span.first, span.last) if span else None


def levels_periods_compatible(a: str | None, b: str | None) -> bool:
    """Periods of two *levels* of the same amount that may be one fact (module docstring):
    :func:`periods_compatible`, or either not a calendar period, or one calendar period holding
    the other, or a year and a period within a year of it ("2025-Q4" and "2026", "2025" and
    "2026")."""
    if periods_compatible(a, b):
        return True
    sa, sb = _span(a or ""), _span(b or "")
    if sa is None or sb is None:
        return True
    if sa.annual or sb.annual:
        year, other = (sa, sb) if sa.annual else (sb, sa)
        first = year.first - (24 if year.fiscal else 12)  # a fiscal year may start a year early
        return other.first <= year.last + 12 and other.last >= first
    if sa.fiscal or sb.fiscal:
        return False  # fiscal sub-periods: only what fiscal_fits allows
    return (sa.first <= sb.first and sb.last <= sa.last) or (
        sb.first <= sa.first and sa.last <= sb.last
    )


def values_close(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    if a == b:
        return True
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


@functools.lru_cache(maxsize=4096)
def companies_named(sentence: str) -> frozenset[str]:
    """Entity keys (:func:`norm_entity`) of the companies a sentence names, in either Chinese
    script: companies of the built-in lexicon, the companies of the people it names (Musk ->
    Tesla, xAI) and the parents of the segments (AWS -> Amazon)."""
    if not sentence:
        return frozenset()
    lex = default_lexicon()
    out: set[str] = set()
    for _s, _e, label in lex.find_entities(simplified(sentence)):
        role = lex.role(label)
        if role == COMPANY:
            out.add(norm_entity(label))
        elif role == SEGMENT:
            out.add(norm_entity(lex.parent(label)))
        elif role == PERSON:
            out.update(norm_entity(c) for c in lex.companies_of(label))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class FactId:
    """What identity compares: built from a figure, a stored fact or a figure key."""

    entity: str  # subject_key: normalised (casefold), AGGREGATE for aggregates, "" for none
    metric: str
    period: str | None
    is_change: bool
    unit: str
    value: float
    estimate: bool = False
    alt_unit: str | None = None  # a conversion the text states: "(about $23 billion)"
    alt_value: float | None = None
    move: float | None = None  # a level's % move from the earlier value it states
    # context, not identity: the companies its sentence and headline name, its counterparty;
    # that text case-folded (for names the lexicon does not know)
    named: frozenset[str] = field(default=frozenset(), compare=False)
    text: str = field(default="", compare=False)

    @classmethod
    def of(cls, f: Figure, title: str = "") -> FactId:
        """``title``: the headline of the item the figure came from, whose companies the
        figure's sentence may leave unnamed ("it", "the round")."""
        conv = f.conversion if f.conversion is not None and f.conversion.unit != f.unit else None
        move = None
        if not f.is_change and f.previous:
            move = (f.value - f.previous) / abs(f.previous) * 100.0
        named = companies_named(f.sentence) | companies_named(title)
        if f.counterparty:
            named = named | {norm_entity(f.counterparty)}
        return cls(
            entity=subject_key(f.entity, f.kind),
            metric=f.metric,
            period=f.period,
            is_change=f.is_change,
            unit=f.unit,
            value=f.value,
            estimate=f.kind in ESTIMATE_KINDS,
            alt_unit=conv.unit if conv else None,
            alt_value=conv.value if conv else None,
            move=move,
            named=named,
            text=simplified(f"{title}\n{f.sentence}".strip()).casefold(),
        )

    @classmethod
    def from_key(cls, key: str) -> FactId | None:
        """Parse ``Figure.key``; None when it is not one."""
        parts = key.split("|")
        if len(parts) != 6:
            return None
        entity, metric, period, chg, unit, value = parts
        try:
            v = float(value)
        except ValueError:
            return None
        return cls(norm_entity(entity), metric, period or None, chg == "chg", unit, v)

    def names(self, entity: str) -> bool:
        """Does this mention's sentence (or counterparty) name ``entity`` (an entity key)?"""
        if not entity or entity == AGGREGATE:
            return False
        if entity in self.named:
            return True
        if len(entity) < 3 or not self.text:
            return False
        return _has_word(self.text, entity)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _has_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` with no word character on either side (regex ``\\b``-like).
    A plain search, not a regex per entity: fact comparisons call this millions of times with
    thousands of distinct names, which would thrash ``re``'s pattern cache."""
    start = 0
    while (i := text.find(word, start)) >= 0:
        j = i + len(word)
        if (i == 0 or not _word_char(text[i - 1])) and (j == len(text) or not _word_char(text[j])):
            return True
        start = i + 1
    return False


def same_subject(a: FactId, b: FactId) -> bool:
    """Same entity, unit, change-ness, estimate-ness and compatible period (values may differ)."""
    return (
        a.unit == b.unit
        and a.entity == b.entity
        and a.is_change == b.is_change
        and a.estimate == b.estimate
        and periods_compatible(a.period, b.period)
    )


def _same_amount(a: FactId, b: FactId, tolerance: float, *, bare: bool = False) -> bool:
    """Same unit and value, or one's stated conversion is the other's amount; with ``bare``, a
    number with no unit (``count``) is also the other's amount in money."""
    if a.unit == b.unit:
        return values_close(a.value, b.value, tolerance)
    if a.alt_unit == b.unit and a.alt_value is not None:
        return values_close(a.alt_value, b.value, tolerance)
    if b.alt_unit == a.unit and b.alt_value is not None:
        return values_close(b.alt_value, a.value, tolerance)
    if bare and {a.unit, b.unit} & {"count"} and (is_money(a.unit) or is_money(b.unit)):
        return values_close(a.value, b.value, tolerance)
    return False


MOVE_TWINS = (
    frozenset({"share_price", "market_value"}),
    frozenset({"capex", "spending", "investment"}),
)
"""Metrics whose moves are one move: market value moves with the share price, and "spending",
"investment" and "capex" up 19 % are one outlay's move under three words."""


def _metrics_agree(a: FactId, b: FactId) -> bool:
    if a.metric == b.metric or "other" in (a.metric, b.metric):
        return True
    pair = {a.metric, b.metric}
    return a.is_change and b.is_change and any(pair <= twins for twins in MOVE_TWINS)


def _move_of(level: FactId, change: FactId) -> bool:
    """``change`` is the move ``level`` states: from its earlier value ("¥24.2B, down from
    ¥29.9B" and "-19 %"), or the level is a bare percent of a money metric that is the move
    itself ("revenue 85 %" and "revenue +85 %")."""
    if change.unit != "percent" or not _metrics_agree(level, change):
        return False
    if level.move is None:
        return (
            level.unit == "percent"
            and level.metric == change.metric
            and level.metric in PERCENT_IS_MOVE
            and levels_periods_compatible(level.period, change.period)
            and values_close(level.value, change.value)
        )
    if not levels_periods_compatible(level.period, change.period):
        return False
    return abs(level.move - change.value) <= max(MOVE_POINTS, TOLERANCE * abs(change.value))


def same_fact(a: FactId, b: FactId, tolerance: float = TOLERANCE) -> bool:
    """The identity of the module docstring."""
    if a.is_change and b.is_change:
        return (
            a.entity == b.entity
            and _metrics_agree(a, b)
            and periods_compatible(a.period, b.period)
            and _same_amount(a, b, tolerance)
        )
    if a.is_change or b.is_change:
        level, change = (b, a) if a.is_change else (a, b)
        return level.entity == change.entity and _move_of(level, change)
    if not levels_periods_compatible(a.period, b.period):
        return False
    if a.entity == b.entity:
        return _same_amount(a, b, tolerance, bare=True)
    crossed = bool(a.entity) and bool(b.entity) and (a.names(b.entity) or b.names(a.entity))
    return crossed and _dealt(a) and _dealt(b) and _same_amount(a, b, tolerance)


DEAL_UNITS = frozenset({"W", "FLOPS"})
"""Besides money, the quantities a deal between two companies is stated in (gigawatts, compute)."""


def _dealt(f: FactId) -> bool:
    return is_money(f.unit) or f.unit in DEAL_UNITS or is_money(f.alt_unit or "")


UPDATE_RATIO = 2.0
"""A revision moves a number by at most this factor; beyond it, it is another quantity."""


def updates(new: FactId, old: FactId, tolerance: float = TOLERANCE) -> bool:
    """``new`` revises ``old``'s number: same subject and metric, the same period (both known
    and equal after folding, or both unknown), another value within a factor of
    :data:`UPDATE_RATIO`; never an estimate or a change (a later "+88 %" is another move, not a
    revision of "+40 %")."""
    if new.estimate or new.is_change or new.metric == "other" or new.metric != old.metric:
        return False
    if not same_subject(new, old) or norm_period(new.period) != norm_period(old.period):
        return False
    if values_close(new.value, old.value, tolerance) or new.value * old.value <= 0:
        return False
    ratio = abs(new.value / old.value)
    return 1 / UPDATE_RATIO <= ratio <= UPDATE_RATIO


def _periods_fit(a: FactId, b: FactId) -> bool:
    if a.is_change and b.is_change:
        return periods_compatible(a.period, b.period)
    return levels_periods_compatible(a.period, b.period)


def cluster(figures: Iterable[StoredFigure]) -> list[tuple[StoredFigure, ...]]:
    """Group mentions into facts; each group oldest first, groups by their oldest mention.

    Greedy in publication order: a mention joins the first fact one of whose mentions it is the
    same fact as ("$23B" joins "¥160B (about $23B)" through the conversion the second states) and
    whose period (its first mention's, or the first one known) fits its own, so a fact's period
    does not drift as mentions pile up.
    Mentions the store filed under one fact (``fact_id``) are one group.
    """
    ordered = sorted(figures, key=lambda sf: (sf.published, sf.id))
    groups: list[list[StoredFigure]] = []
    heads: list[FactId] = []
    members: list[list[FactId]] = []
    by_entity: dict[str, list[int]] = {}
    naming: dict[str, list[int]] = {}  # entity -> groups whose head's sentence names it
    by_fact: dict[int, int] = {}
    for sf in ordered:
        fid = FactId.of(sf.figure, sf.item_title)
        found = by_fact.get(sf.fact_id) if sf.fact_id is not None else None
        if found is None:
            candidates = list(by_entity.get(fid.entity, ()))
            if not fid.is_change:
                for other in fid.named:
                    candidates += by_entity.get(other, ())
                candidates += naming.get(fid.entity, ())
            for n in sorted(set(candidates)):
                if same_fact(heads[n], fid) or (
                    _periods_fit(heads[n], fid) and any(same_fact(m, fid) for m in members[n][1:])
                ):
                    found = n
                    break
        if found is not None:
            groups[found].append(sf)
            members[found].append(fid)
            if heads[found].period is None and fid.period is not None:
                heads[found] = replace(heads[found], period=fid.period)
        else:
            found = len(groups)
            groups.append([sf])
            heads.append(fid)
            members.append([fid])
        for key, names in ((fid.entity, by_entity), *((o, naming) for o in fid.named)):
            slot = names.setdefault(key, [])
            if found not in slot and (names is by_entity or not fid.is_change):
                slot.append(found)
        if sf.fact_id is not None:
            by_fact.setdefault(sf.fact_id, found)
    return [tuple(g) for g in groups]


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact as the store remembers it: its id, identity and when it was first reported."""

    id: int
    entity: str | None
    metric: str
    value: float
    unit: str
    period: str | None
    is_change: bool
    kind: str
    first_published: datetime
    low: float | None = None
    qualifier: str = "exact"

    @property
    def fid(self) -> FactId:
        return FactId(
            subject_key(self.entity, self.kind),
            self.metric,
            self.period,
            self.is_change,
            self.unit,
            self.value,
            self.kind in ESTIMATE_KINDS,
        )


def match(fid: FactId, facts: Sequence[Fact]) -> Fact | None:
    """The first of ``facts`` (facts already known: memory) that ``fid`` is the same fact as.

    An amount of money is never an earlier percent move: "ByteDance capex ¥160B, up from
    ¥150B" states a move of +6.7 %, but an earlier "+6.4 %" (of whatever it was) did not report
    the amount, which is news. Within one period the two still make one line
    (:func:`same_fact`, :func:`cluster`): one source's level and its move."""
    if not fid.is_change and is_money(fid.unit):
        return next((f for f in facts if not f.is_change and same_fact(f.fid, fid)), None)
    return next((f for f in facts if same_fact(f.fid, fid)), None)


def previous_of(fid: FactId, facts: Sequence[Fact]) -> Fact | None:
    """The most recently first-reported fact that ``fid`` updates, if any."""
    found = [f for f in facts if updates(fid, f.fid)]
    return max(found, key=lambda f: (f.first_published, f.id)) if found else None
