"""Which figures go into a period's digest, in what order (pure).

    figures of the period ──► facts (same entity+metric+period+change+unit, value within 1 %;
                              one fact = one line listing every item that reported it)
                         ──► language filter (facts reported in ``lang``; all if none are)
                         ──► interests filter (entity followed OR metric followed; none = all)
                         ──► rank: largest USD value, then biggest change, then newest
                         ──► cut at ``max_lines``, group by entity (groups in rank order)

The period is an ISO week. Whether a figure falls in it is decided on the item's publication time
as stored (UTC); callers with a subscriber timezone pass figures already picked for that
subscriber's week, or use :func:`in_period` with ``tz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo

from bot.digest.model import ChartBar, Digest, DigestLine, EntityGroup, Source
from bot.models import Figure, Lang, Period, StoredFigure

SAME_VALUE_TOLERANCE = 0.01


def in_period(sf: StoredFigure, period: Period, tz: tzinfo | None = None) -> bool:
    """True when the figure's item was published inside ``period`` (in ``tz``, default as stored)."""
    published = sf.published.astimezone(tz) if tz is not None else sf.published
    return period.start() <= published.date() <= period.end()


def usd_of(f: Figure) -> float | None:
    """The figure's value in USD: stated or configured conversion; None for non-money."""
    if f.is_change:
        return None
    if f.usd_value is not None:
        return f.usd_value
    if f.unit == "USD":
        return f.value
    if f.conversion is not None and f.conversion.unit == "USD":
        return f.conversion.value
    return None


def _fact_base(f: Figure) -> tuple[str, str, str, bool, str]:
    return ((f.entity or "").strip().casefold(), f.metric, f.period or "", f.is_change, f.unit)


def _same_value(a: float, b: float) -> bool:
    if a == b:
        return True
    return abs(a - b) <= SAME_VALUE_TOLERANCE * max(abs(a), abs(b))


def group_facts(figures: Iterable[StoredFigure]) -> list[list[StoredFigure]]:
    """Cluster mentions of the same fact; each cluster is ordered oldest first (stable)."""
    buckets: dict[tuple[str, str, str, bool, str], list[list[StoredFigure]]] = {}
    ordered = sorted(figures, key=lambda sf: (sf.published, sf.id))
    for sf in ordered:
        clusters = buckets.setdefault(_fact_base(sf.figure), [])
        for cluster in clusters:
            if _same_value(cluster[0].figure.value, sf.figure.value):
                cluster.append(sf)
                break
        else:
            clusters.append([sf])
    return [c for cs in buckets.values() for c in cs]


def _first(values: Iterable[object]) -> object:
    return next((v for v in values if v is not None), None)


def make_line(cluster: Sequence[StoredFigure]) -> DigestLine:
    """One digest line from the mentions of a fact: the first mention, gaps filled by the others."""
    figs = [sf.figure for sf in cluster]
    f = figs[0]
    conv = next((g.conversion for g in figs if g.conversion is not None), None)
    usd = next((u for u in (usd_of(g) for g in figs) if u is not None), None)
    qualifier = next((g.qualifier for g in figs if g.qualifier != "exact"), "exact")
    sources: dict[str, Source] = {}
    for sf in cluster:
        if sf.item_id not in sources:
            sources[sf.item_id] = Source(
                item_id=sf.item_id,
                title=sf.item_title or sf.item_source or sf.item_id,
                url=sf.item_url,
                lang=sf.figure.lang,
                published=sf.published,
                sentence=sf.figure.sentence,
            )
    entity = next((g.entity.strip() for g in figs if g.entity and g.entity.strip()), None)
    return DigestLine(
        key=f.key,
        entity=entity,
        metric=f.metric,
        value=f.value,
        unit=f.unit,
        qualifier=qualifier,
        period=f.period,
        is_change=f.is_change,
        change_basis=_first(g.change_basis for g in figs),  # type: ignore[arg-type]
        low=_first(g.low for g in figs),  # type: ignore[arg-type]
        previous=_first(g.previous for g in figs),  # type: ignore[arg-type]
        conversion_value=conv.value if conv else None,
        conversion_unit=conv.unit if conv else None,
        usd_value=usd,
        newest=max(sf.published for sf in cluster),
        sources=tuple(sources.values()),
        langs=frozenset(s.lang for s in sources.values()),
    )


def rank_key(line: DigestLine) -> tuple[float, float, float, str]:
    """Sort key (ascending = best first): largest USD value, biggest change, newest."""
    usd = line.usd_value if line.usd_value is not None else -1.0
    if line.is_change and line.unit == "percent":
        change = abs(line.value)
    else:
        change = abs(line.change_pct or 0.0)
    newest = line.newest.timestamp() if line.newest else 0.0
    return (-usd, -change, -newest, line.key)


def _matches(line: DigestLine, entities: frozenset[str], metrics: frozenset[str]) -> bool:
    if not entities and not metrics:
        return True
    return (line.entity or "").casefold() in entities or line.metric in metrics


def _chart(lines: Iterable[DigestLine]) -> tuple[ChartBar, ...]:
    best: dict[str, ChartBar] = {}
    for ln in lines:
        if ln.metric != "capex" or ln.is_change or ln.usd_value is None or not ln.entity:
            continue
        cur = best.get(ln.entity.casefold())
        if cur is None or ln.usd_value > cur.usd_value:
            best[ln.entity.casefold()] = ChartBar(ln.entity, ln.usd_value, ln.period)
    return tuple(sorted(best.values(), key=lambda b: (-b.usd_value, b.entity)))


def digest_facts(
    figures: Sequence[StoredFigure], period: Period, *, tz: tzinfo | None = None
) -> tuple[DigestLine, ...]:
    """Every fact of ``period`` as a line (all sources merged), ranked; no language or interests.

    The expensive half of :func:`select_digest`. For many subscribers compute it once per period
    and call :func:`select_from_facts` per subscriber.
    """
    in_week = [sf for sf in figures if in_period(sf, period, tz)]
    return tuple(sorted((make_line(c) for c in group_facts(in_week)), key=rank_key))


def select_from_facts(
    facts: Sequence[DigestLine],
    period: Period,
    *,
    lang: Lang | None = None,
    follow_entities: Sequence[str] = (),
    follow_metrics: Sequence[str] = (),
    max_lines: int = 12,
) -> Digest:
    """One subscriber's digest from :func:`digest_facts` (ranked facts; see :func:`select_digest`)."""
    lines = list(facts)
    fell_back = False
    if lang is not None:
        mine = [ln for ln in lines if lang in ln.langs]
        fell_back = not mine and bool(lines)
        lines = mine or lines
    ents = frozenset(e.strip().casefold() for e in follow_entities if e.strip())
    mets = frozenset(m.strip().lower() for m in follow_metrics if m.strip())
    if ents or mets:
        lines = [ln for ln in lines if _matches(ln, ents, mets)]
    shown = tuple(lines[: max(0, max_lines)])
    groups: dict[str, list[DigestLine]] = {}
    for ln in shown:
        groups.setdefault((ln.entity or "").casefold(), []).append(ln)
    ordered = sorted(groups.items(), key=lambda kv: kv[0] == "")  # rank order, "Other" last
    return Digest(
        period=period,
        lines=shown,
        groups=tuple(EntityGroup(ls[0].entity, tuple(ls)) for _, ls in ordered),
        total=len(lines),
        lang=lang,
        fell_back=fell_back,
        filtered=bool(ents or mets),
        chart=_chart(lines),
    )


def select_digest(
    figures: Sequence[StoredFigure],
    period: Period,
    *,
    lang: Lang | None = None,
    follow_entities: Sequence[str] = (),
    follow_metrics: Sequence[str] = (),
    max_lines: int = 12,
    tz: tzinfo | None = None,
) -> Digest:
    """The digest of ``period`` from ``figures`` (figures outside the period are ignored).

    ``lang``: keep the facts reported by at least one item in that language (every source is
    still listed); when that language has none, fall back to all (``Digest.fell_back``).
    ``follow_entities``/``follow_metrics``: a fact is kept when its entity (case-insensitive) is
    followed OR its metric is; following nothing means everything. At most ``max_lines`` lines;
    ``Digest.total`` counts all that matched.
    """
    return select_from_facts(
        digest_facts(figures, period, tz=tz),
        period,
        lang=lang,
        follow_entities=follow_entities,
        follow_metrics=follow_metrics,
        max_lines=max_lines,
    )
