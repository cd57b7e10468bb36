"""How important a fact is to an AI-capex reader (pure): one score per digest line.

    score = metric class        core (capex, spending, investment, borrowing, funding, and any
                                guidance or plan)  |  share move of share_move_min % or more  |
                                other known metric  |  metric ``other``
          + headline            (a source's headline states it: the story's own main figure)
          + lead                (an item's lead, its first sentence after the headline that
                                states a figure, states it: select.lead_sentences)
          + mention × (sentences stating it − 1, at most max_mentions − 1)   (a story repeats
                                its main figure: lead, body, table)
          + outlet × (distinct outlets − 1, at most max_outlets − 1)
          + update              (the fact changes an earlier one: "raises guidance to …")
          + size × log10(USD value / 1M)   (a tie-breaker among money facts, 0 below $1M)
          − no_entity | unknown_entity | estimate | aggregate   (penalties, as they apply)
          − percent_level       (a percent that is not a move: a margin, a share of something)
          − stale               (the fact's period ended more than stale_months before its
                                newest source: last year's capex cited as background)

Which facts **earn a line** at all (:func:`earns_line`): a named company (or an aggregate) when
``line_needs_entity``, a named metric when ``line_needs_metric``, and a number that can be that
metric's value (:func:`plausible`: no "capex 40 %", no "shares $44.7B", no "profit $1.57" — a
per-share number or a lost scale word). On the dev split of the
real-news set, lines of metric ``other`` were right 4 times in 10 and held 1 of 114 headline facts;
the figures they stand for stay in the store, in alerts and in ``briefbot figures``.

The **Top** holds the five highest, at most ``top_per_entity`` of one company (one story cannot
fill it; a company's earnings week may take three of five). A Top line also shows up to
``top_related`` more facts of its company from the same report (the same period, or none stated)
that score at least ``related_min`` (no estimate, aggregate or stale figure rides along):
"Baidu — revenue ¥31.2B (Q3 2025); net loss ¥11.2B (Q3 2025)". A reader takes a company's
results in one line, and five Top lines then cover an earnings week's several companies instead
of one company's three numbers.

Higher is more important. Weights are named in ``[digest.rank]`` of config/briefbot.toml
(``bot.config`` validates them); :data:`DEFAULT` holds the shipped values. Lines sort by score,
then USD value, then newest: ``sort_key``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.digest.model import DigestLine
from bot.facts import period_months
from bot.money import is_money

CORE_METRICS = frozenset({"capex", "spending", "investment", "borrowing", "funding"})
CORE_KINDS = frozenset({"guidance", "plan"})


@dataclass(frozen=True, slots=True)
class Weights:
    core: float = 10.0
    share_move: float = 7.0
    share_move_min: float = 5.0  # percent
    other_metric: float = 4.0
    metric_other: float = 0.0
    headline: float = 6.0
    lead: float = 4.0
    outlet: float = 1.5
    max_outlets: int = 5
    update: float = 2.0
    size: float = 0.4
    no_entity: float = 10.0
    unknown_entity: float = 2.0
    estimate: float = 10.0
    aggregate: float = 10.0
    mention: float = 2.0
    max_mentions: int = 4
    percent_level: float = 4.0
    stale: float = 6.0
    stale_months: int = 12
    line_needs_entity: bool = True
    line_needs_metric: bool = True
    top_per_entity: int = 3
    top_related: int = 2
    related_min: float = 4.0


DEFAULT = Weights()
DEFAULT_STALE_MONTHS = DEFAULT.stale_months


def metric_class(line: DigestLine, w: Weights = DEFAULT) -> float:
    """The first term of the score (see the module docstring)."""
    if line.metric == "share_price":
        move = line.value if line.is_change else line.change_pct
        if move is not None and abs(move) >= w.share_move_min:
            return w.share_move
        return w.other_metric
    if line.metric in CORE_METRICS or (line.kind in CORE_KINDS and line.metric != "other"):
        return w.core
    return w.metric_other if line.metric == "other" else w.other_metric


def in_headline(line: DigestLine) -> bool:
    """A source's title is (or holds) a sentence that states the fact: its headline figure.
    Every mention counts (``line.said``), not only each source's first: a story that states its
    figure in the body first still has it in its headline."""
    titles = {s.item_id: " ".join(s.title.split()) for s in line.sources}
    said = line.said or frozenset((s.item_id, " ".join(s.sentence.split())) for s in line.sources)
    return any(text and text in titles.get(item, "") for item, text in said)


def is_stale(line: DigestLine, months: int = DEFAULT_STALE_MONTHS) -> bool:
    """The fact's period ended more than ``months`` before its newest source was published (a
    fiscal label counts as its calendar namesake, so it is never wrongly old)."""
    span = period_months(line.period)
    if span is None or line.newest is None:
        return False
    return line.newest.year * 12 + line.newest.month - 1 - span[1] > months


def importance(line: DigestLine, w: Weights = DEFAULT) -> float:
    """The line's score: higher is more important (module docstring)."""
    score = metric_class(line, w)
    if in_headline(line):
        score += w.headline
    if line.lead:
        score += w.lead
    score += w.outlet * (min(line.outlets, max(1, w.max_outlets)) - 1)
    score += w.mention * (min(line.mentions, max(1, w.max_mentions)) - 1)
    if not line.is_change and line.unit in ("percent", "percentage_points"):
        score -= w.percent_level
    if line.update_from is not None:
        score += w.update
    if line.usd_value is not None and line.usd_value > 1e6:
        score += w.size * math.log10(line.usd_value / 1e6)
    if not (line.entity or "").strip():
        score -= w.no_entity
    elif not line.entity_known:
        score -= w.unknown_entity
    if line.kind in ("estimate", "hypothetical"):
        score -= w.estimate
    if line.kind == "aggregate":
        score -= w.aggregate
    if is_stale(line, w.stale_months):
        score -= w.stale
    return round(score, 6)


AMOUNT_METRICS = frozenset(
    {
        "revenue",
        "profit",
        "operating_income",
        "capex",
        "spending",
        "investment",
        "backlog",
        "funding",
        "borrowing",
        "market_value",
        "free_cash_flow",
    }
)
PER_SHARE_MAX = 1e5
"""A share price or EPS is a per-share amount: no share trades at 100,000 of its currency."""
AMOUNT_MIN = 1e4
"""No company's revenue, profit, capex or funding is under 10,000 of its currency: such a number
is a per-share figure or lost its scale word ("$66" for "$66B")."""


def plausible(line: DigestLine) -> bool:
    """Can the number be its metric's value? An amount is never a bare percent level ("capex
    40 %" is a share of something, not capex; a move is ``is_change``), a per-share price never
    billions ("shares $44.7B" is another metric's number)."""
    if line.is_change:
        return True
    if line.metric in AMOUNT_METRICS and line.unit in ("percent", "percentage_points"):
        return False
    if line.metric in AMOUNT_METRICS and is_money(line.unit) and abs(line.value) < AMOUNT_MIN:
        return False
    if line.metric in ("share_price", "eps") and abs(line.value) >= PER_SHARE_MAX:
        return line.unit in ("percent", "percentage_points", "count")
    return True


def earns_line(line: DigestLine, w: Weights = DEFAULT) -> bool:
    """Does the fact get a digest line (module docstring)? Aggregates count as named; a number
    that cannot be its metric's value (:func:`plausible`) never does."""
    if w.line_needs_entity and not (line.entity or "").strip() and line.kind != "aggregate":
        return False
    if w.line_needs_metric and line.metric == "other":
        return False
    return plausible(line)


def sort_key(line: DigestLine) -> tuple[float, float, float, str]:
    """Ascending = most important first: score, then USD value, then newest, then key."""
    usd = line.usd_value if line.usd_value is not None else -1.0
    newest = line.newest.timestamp() if line.newest else 0.0
    return (-line.score, -usd, -newest, line.key)
