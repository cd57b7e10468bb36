"""Fact identity (pure): when two figures report the same fact, and when one updates another.

One **fact** is (entity, value within 1 %, unit, compatible period), whatever the metric label
or the outlet: "Amazon capex $200B (2026)", "Amazon investment $200B (FY2026)" and "Amazon
spending $200B" from three outlets are one fact. Two refinements keep unrelated numbers apart:

- **Changes** (``is_change``: "+66 %", "-10 %") are small numbers that coincide easily, so
  their metric must agree too (``other`` agrees with anything): revenue +10 % is not shares
  +10 %. A change is never the same fact as a level.
- **Estimates** (``kind`` estimate or hypothetical) are the analysts' number, never the
  company's: an estimate and a company figure of the same value are two facts.
- **Stated conversions** bridge units: "160 billion yuan (about $23 billion)" is the same fact
  as another outlet's "$23 billion" (the text itself gives the second value, no rate guessed).

Periods are compatible when equal after folding fiscal-year labels onto years ("FY2026" ~
"2026"), or when either is unknown (None). Quarters and years are not compatible.

A fact **updates** another when it has the same subject (entity, metric, unit, change-ness,
compatible period, not an estimate) and a value outside the tolerance: "Alphabet 2025 capex
guidance $91–93B" updates "$85B".

``FactId`` is the comparable core of a figure; it can be rebuilt from a figure's ``key``
("meta|capex|2026|lvl|USD|1.35e+11"), which is how fired alerts are remembered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.models import Figure, StoredFigure

TOLERANCE = 0.01
"""Two values within 1 % of the larger are the same value."""

ESTIMATE_KINDS = frozenset({"estimate", "hypothetical"})
_FISCAL_YEAR = re.compile(r"^(?:FY|CY)\s?(\d{4})$", re.IGNORECASE)


def norm_entity(entity: str | None) -> str:
    return " ".join((entity or "").split()).casefold()


def norm_period(period: str | None) -> str | None:
    """The period with fiscal/calendar-year labels folded onto the year: "FY2026" -> "2026"."""
    if period is None or not period.strip():
        return None
    p = period.strip()
    m = _FISCAL_YEAR.match(p)
    return m.group(1) if m else p.upper()


def periods_compatible(a: str | None, b: str | None) -> bool:
    """Equal after :func:`norm_period`, or either unknown."""
    na, nb = norm_period(a), norm_period(b)
    return na is None or nb is None or na == nb


def values_close(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    if a == b:
        return True
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


@dataclass(frozen=True, slots=True)
class FactId:
    """What identity compares: built from a figure, a stored fact or a figure key."""

    entity: str  # normalised (casefold); "" for none
    metric: str
    period: str | None
    is_change: bool
    unit: str
    value: float
    estimate: bool = False
    alt_unit: str | None = None  # a conversion the text states: "(about $23 billion)"
    alt_value: float | None = None

    @classmethod
    def of(cls, f: Figure) -> FactId:
        conv = f.conversion if f.conversion is not None and f.conversion.unit != f.unit else None
        return cls(
            entity=norm_entity(f.entity),
            metric=f.metric,
            period=f.period,
            is_change=f.is_change,
            unit=f.unit,
            value=f.value,
            estimate=f.kind in ESTIMATE_KINDS,
            alt_unit=conv.unit if conv else None,
            alt_value=conv.value if conv else None,
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


def same_subject(a: FactId, b: FactId) -> bool:
    """Same entity, unit, change-ness, estimate-ness and compatible period (values may differ)."""
    return a.unit == b.unit and _same_frame(a, b)


def _same_frame(a: FactId, b: FactId) -> bool:
    return (
        a.entity == b.entity
        and a.is_change == b.is_change
        and a.estimate == b.estimate
        and periods_compatible(a.period, b.period)
    )


def _same_amount(a: FactId, b: FactId, tolerance: float) -> bool:
    """Same unit and value, or one's stated conversion is the other's amount."""
    if a.unit == b.unit:
        return values_close(a.value, b.value, tolerance)
    if a.alt_unit == b.unit and a.alt_value is not None:
        return values_close(a.alt_value, b.value, tolerance)
    if b.alt_unit == a.unit and b.alt_value is not None:
        return values_close(b.alt_value, a.value, tolerance)
    return False


def same_fact(a: FactId, b: FactId, tolerance: float = TOLERANCE) -> bool:
    """The identity of the module docstring."""
    if not _same_frame(a, b) or not _same_amount(a, b, tolerance):
        return False
    if a.is_change:
        return a.metric == b.metric or "other" in (a.metric, b.metric)
    return True


def updates(new: FactId, old: FactId, tolerance: float = TOLERANCE) -> bool:
    """``new`` changes ``old``'s number: same subject and metric, another value, no estimate."""
    return (
        not new.estimate
        and same_subject(new, old)
        and new.metric == old.metric
        and new.metric != "other"
        and not values_close(new.value, old.value, tolerance)
    )


def cluster(figures: Iterable[StoredFigure]) -> list[tuple[StoredFigure, ...]]:
    """Group mentions into facts; each group oldest first, groups by their oldest mention.

    Greedy in publication order: a mention joins the first fact it is the same fact as (its
    first mention's value, its most specific period so far), so a fact's identity does not drift
    as mentions pile up.
    """
    ordered = sorted(figures, key=lambda sf: (sf.published, sf.id))
    groups: list[list[StoredFigure]] = []
    heads: list[FactId] = []
    by_entity: dict[tuple[str, bool], list[int]] = {}
    for sf in ordered:
        fid = FactId.of(sf.figure)
        slot = by_entity.setdefault((fid.entity, fid.is_change), [])
        for n in slot:
            if same_fact(heads[n], fid):
                groups[n].append(sf)
                if heads[n].period is None and fid.period is not None:
                    heads[n] = replace(heads[n], period=fid.period)
                break
        else:
            slot.append(len(groups))
            groups.append([sf])
            heads.append(fid)
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
            norm_entity(self.entity),
            self.metric,
            self.period,
            self.is_change,
            self.unit,
            self.value,
            self.kind in ESTIMATE_KINDS,
        )


def match(fid: FactId, facts: Sequence[Fact]) -> Fact | None:
    """The first of ``facts`` that ``fid`` is the same fact as."""
    return next((f for f in facts if same_fact(f.fid, fid)), None)


def previous_of(fid: FactId, facts: Sequence[Fact]) -> Fact | None:
    """The most recently first-reported fact that ``fid`` updates, if any."""
    found = [f for f in facts if updates(fid, f.fid)]
    return max(found, key=lambda f: (f.first_published, f.id)) if found else None
