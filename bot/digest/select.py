"""Which figures go into a period's digest, in what order (pure).

    figures of the period ──► facts (bot.facts: entity, value within 1 %, unit, compatible period,
                              whatever the metric label; one fact = one line listing every
                              item that reported it)
                         ──► memory: a fact first reported before the period (``history``, the
                              store's facts) is "already reported": out of the lines, into
                              ``Digest.still``; a fact that changes an earlier one's value is an
                              update and carries that value (``update_from``)
                         ──► language filter (facts reported in ``lang``; all if none are)
                         ──► interests filter (entity followed OR metric followed; none = all)
                         ──► rank: bot.digest.rank.importance (named weights), then USD, newest
                         ──► cut at ``max_lines``; the first five are the Top (at most ``top_per_entity`` of
                              one company), the rest are grouped by entity (aggregates in one
                              "Industry" group)

The period is an ISO week. Whether a figure falls in it is decided on the item's publication time
as stored (UTC); callers with a subscriber timezone pass figures already picked for that
subscriber's week, or use :func:`in_period` with ``tz``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import tzinfo

from bot import facts as factlib
from bot.digest.model import TOP_N, ChartBar, Digest, DigestLine, EntityGroup, Source
from bot.digest.rank import DEFAULT, Weights, earns_line, importance, sort_key
from bot.facts import Fact, FactId
from bot.models import Figure, Lang, Period, StoredFigure
from bot.money import is_money

SAME_VALUE_TOLERANCE = factlib.TOLERANCE
MAX_STILL = 6
TOP_PER_ENTITY = DEFAULT.top_per_entity


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


def group_facts(figures: Iterable[StoredFigure]) -> list[list[StoredFigure]]:
    """Cluster mentions of the same fact (``bot.facts.cluster``); each cluster oldest first."""
    return [list(c) for c in factlib.cluster(figures)]


def _first(values: Iterable[object]) -> object:
    return next((v for v in values if v is not None), None)


_KIND_PREFERENCE = ("guidance", "plan", "aggregate", "actual", "estimate", "hypothetical")


def _kind(figs: Sequence[Figure]) -> str:
    """The company's own word wins over the analysts' (one fact, whatever the kind: bot.facts)."""
    kinds = {g.kind for g in figs}
    return next(k for k in (*_KIND_PREFERENCE, figs[0].kind) if k in kinds)


def _most_said(values: Sequence[str | None]) -> str | None:
    """The value most mentions give (ties: the earliest mention's); None when none give one."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v and counts[v] == best)


def principal(cluster: Sequence[StoredFigure]) -> StoredFigure:
    """The mention a line shows: a level before a move (a level states its move too), a named
    metric before ``other``, the company's number before an estimate; then the oldest."""
    return min(
        cluster,
        key=lambda sf: (
            sf.figure.is_change,
            sf.figure.metric == "other",
            sf.figure.kind in factlib.ESTIMATE_KINDS,
            sf.published,
            sf.id,
        ),
    )


PREVIOUS_RATIO = 100.0
"""An earlier value more than 100 times smaller or larger than the value lost its scale word
("capex $70B, up from $66"): the line shows no move from it."""


def _plausible_previous(value: float, figs: Sequence[Figure]) -> float | None:
    prev = _first(g.previous for g in figs)
    if not isinstance(prev, float | int) or prev == 0 or value == 0:
        return None
    ratio = abs(value / prev)
    return float(prev) if 1 / PREVIOUS_RATIO <= ratio <= PREVIOUS_RATIO else None


def make_line(
    cluster: Sequence[StoredFigure],
    *,
    history: Sequence[Fact] = (),
    weights: Weights = DEFAULT,
    leads: frozenset[tuple[str, str]] = frozenset(),
) -> DigestLine:
    """One digest line from the mentions of a fact: its :func:`principal` mention, gaps filled
    by the others; entity, period and metric are what most mentions say.

    ``history``: facts first reported before the line's period; the line is ``already`` when it
    is one of them, and an update (``update_from``) when it changes one's value. ``leads``: the
    (item id, sentence) of each item's lead (:func:`lead_sentences`).
    """
    lead = principal(cluster)
    f = lead.figure
    figs = [f, *(sf.figure for sf in cluster if sf is not lead)]
    fid = FactId.of(f, lead.item_title)
    known = {h.id for h in history}
    fact_ids = [sf.fact_id for sf in cluster if sf.fact_id is not None]
    # an amount of money is news even when a move it states was reported before (factlib.match)
    money_level = not f.is_change and is_money(f.unit)
    telling = [sf.fact_id for sf in cluster if not (money_level and sf.figure.is_change)]
    already = any(i in known for i in telling) or factlib.match(fid, history) is not None
    prev = None if already else factlib.previous_of(fid, history)
    same_form = [g for g in figs if g.is_change == f.is_change]  # a level's gaps from levels
    conv = next((g.conversion for g in same_form if g.conversion is not None), None)
    usd = next((u for u in (usd_of(g) for g in same_form) if u is not None), None)
    qualifier = next((g.qualifier for g in same_form if g.qualifier != "exact"), "exact")
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
                outlet=sf.item_source,
            )
    # what most mentions say: a fact filed under two companies or two periods by different
    # outlets shows the majority's (bot.facts keeps them one fact)
    said = frozenset((sf.item_id, _said(sf.figure.sentence)) for sf in cluster)
    entity = _most_said([(g.entity or "").strip() or None for g in figs])
    period = _most_said([g.period for g in same_form])
    metric = _most_said([g.metric for g in same_form if g.metric != "other"]) or f.metric
    line = DigestLine(
        key=f.key,
        entity=entity,
        metric=metric,
        value=f.value,
        unit=f.unit,
        qualifier=qualifier,
        period=period,
        is_change=f.is_change,
        change_basis=_first(g.change_basis for g in same_form),  # type: ignore[arg-type]
        low=_first(g.low for g in same_form),  # type: ignore[arg-type]
        previous=_plausible_previous(f.value, same_form),
        conversion_value=conv.value if conv else None,
        conversion_unit=conv.unit if conv else None,
        usd_value=usd,
        newest=max(sf.published for sf in cluster),
        sources=tuple(sources.values()),
        langs=frozenset(s.lang for s in sources.values()),
        kind=_kind(figs),
        entity_known=all(g.entity_known for g in figs if g.entity and g.entity.strip() == entity),
        update_from=prev.value if prev else None,
        update_from_low=prev.low if prev else None,
        fact_id=fact_ids[0] if fact_ids else None,
        already=already,
        mentions=len(said),
        said=said,
        lead=bool(said & leads),
    )
    return replace(line, score=importance(line, weights), lined=earns_line(line, weights))


def rank_key(line: DigestLine) -> tuple[float, float, float, str]:
    """Sort key (ascending = best first): ``bot.digest.rank.sort_key``."""
    return sort_key(line)


def same_report(lead: DigestLine, other: DigestLine, period: str | None = None) -> bool:
    """``other`` can ride on ``lead``'s Top line, whose facts so far state ``period`` (the
    lead's, or the first rider's when the lead states none): the same named company (not an
    aggregate), and ``other`` states that period, or is a move stated with no period (a share
    move: this week's news). An amount with no period would read as the line's period, and two
    periods on one line as one report, so those keep lines of their own. An analysts' estimate
    is not the company's report: it never rides along."""
    name = (lead.entity or "").strip().casefold()
    if not name or (other.entity or "").strip().casefold() != name:
        return False
    if "aggregate" in (lead.kind, other.kind) or other.kind in factlib.ESTIMATE_KINDS:
        return False
    if other.period is None:
        return other.is_change
    line_period = period if period is not None else lead.period
    if line_period is None:  # a periodless move leads: the first dated fact sets the period
        return lead.is_change
    return other.period == line_period


def top_first(
    lines: Sequence[DigestLine],
    n: int = TOP_N,
    per_entity: int = TOP_PER_ENTITY,
    *,
    related: int = 0,
    related_min: float = DEFAULT.related_min,
) -> tuple[DigestLine, ...]:
    """Ranked lines with the Top (the first ``n``) holding at most ``per_entity`` lines of one
    company (``[digests.rank] top_per_entity``), so one story cannot fill it; lines passed over
    keep their rank below the Top. Each Top line takes along up to ``related`` more facts of
    :func:`same_report` scoring at least ``related_min`` (``DigestLine.related``), best first;
    they leave the rest, so each fact is still on one line."""
    top: list[DigestLine] = []
    taken: set[int] = set()
    per: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if len(top) >= n:
            break
        key = (ln.entity or "").casefold()
        if i in taken or per.get(key, 0) >= per_entity:
            continue
        taken.add(i)
        per[key] = per.get(key, 0) + 1
        rel: list[DigestLine] = []
        period = ln.period
        for j, other in enumerate(lines):
            if len(rel) >= related:
                break
            if j in taken or other.score < related_min or not same_report(ln, other, period):
                continue
            rel.append(other)
            taken.add(j)
            period = period or other.period
        top.append(replace(ln, related=tuple(rel)) if rel else ln)
    rest = [ln for i, ln in enumerate(lines) if i not in taken]
    while len(top) < n and rest:  # too few companies: fill the Top in rank order
        top.append(rest.pop(0))
    return (*top, *rest)


def _cut(lines: Sequence[DigestLine], max_facts: int) -> tuple[DigestLine, ...]:
    """The first lines holding at most ``max_facts`` facts (a Top line's related facts count:
    the digest shows ``max_lines`` facts however they are grouped). A Top line too long for what
    is left goes without its last related facts rather than be cut."""
    out: list[DigestLine] = []
    left = max(0, max_facts)
    for ln in lines:
        if left <= 0:
            break
        if len(ln.facts) > left:
            ln = replace(ln, related=ln.related[: left - 1])
        out.append(ln)
        left -= len(ln.facts)
    return tuple(out)


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


def _said(sentence: str) -> str:
    return " ".join(sentence.split())


def lead_sentences(figures: Iterable[StoredFigure]) -> frozenset[tuple[str, str]]:
    """(item id, sentence) of each item's **lead**: the first sentence after the headline that
    states a figure. A news story opens with its news ("Meta raised its 2026 capex guidance to
    $125–145 billion, …"); background and detail come after. A sentence the headline holds is
    the headline itself (feeds often repeat it as the body's first line)."""
    first: dict[str, tuple[int, str]] = {}
    for sf in figures:
        said = _said(sf.figure.sentence)
        if not said or said in _said(sf.item_title):
            continue
        start = sf.figure.span[0]
        cur = first.get(sf.item_id)
        if cur is None or start < cur[0]:
            first[sf.item_id] = (start, said)
    return frozenset((item, said) for item, (_, said) in first.items())


def digest_facts(
    figures: Sequence[StoredFigure],
    period: Period,
    *,
    tz: tzinfo | None = None,
    history: Sequence[Fact] = (),
    weights: Weights = DEFAULT,
) -> tuple[DigestLine, ...]:
    """Every fact of ``period`` as a line (all sources merged), ranked; no language or interests.

    ``history``: the store's facts first reported before the period (memory; see module doc).
    The expensive half of :func:`select_digest`. For many subscribers compute it once per period
    and call :func:`select_from_facts` per subscriber.
    """
    in_week = [sf for sf in figures if in_period(sf, period, tz)]
    start = period.start()
    earlier = [h for h in history if h.first_published.date() < start]
    leads = lead_sentences(in_week)
    lines = [
        make_line(c, history=earlier, weights=weights, leads=leads) for c in group_facts(in_week)
    ]
    folded = fold_moves(fold_previous(lines, weights), weights)
    return tuple(sorted(fold_twins(folded, weights), key=sort_key))


def _is_previous_of(old: DigestLine, new: DigestLine) -> bool:
    """``new`` states ``old``'s value as its earlier one ("$85B, up from $75B")."""
    if new.previous is None or old.is_change or new.is_change or old is new:
        return False
    if old.unit != new.unit or (old.entity or "").casefold() != (new.entity or "").casefold():
        return False
    if old.metric != new.metric and "other" not in (old.metric, new.metric):
        return False
    return factlib.values_close(old.value, new.previous)


def fold_previous(lines: Sequence[DigestLine], weights: Weights = DEFAULT) -> list[DigestLine]:
    """A line whose value another line of the week states as its earlier value ("capex $85B,
    up from $75B" and "capex $75B") is that line's "from": it gets no line of its own and its
    sources join that line's."""
    out = list(lines)
    for old in lines:
        into = next((i for i, new in enumerate(out) if _is_previous_of(old, new)), None)
        if into is None or old.already:
            continue
        new = out[into]
        seen = {s.item_id for s in new.sources}
        extra = tuple(s for s in old.sources if s.item_id not in seen)
        merged = replace(
            new,
            sources=new.sources + extra,
            langs=new.langs | old.langs,
            mentions=new.mentions + old.mentions,
            said=new.said | old.said,
            lead=new.lead or old.lead,
        )
        out[into] = replace(merged, score=importance(merged, weights))
        out = [ln for ln in out if ln is not old]
    return out


def _move_of_level(move: DigestLine, level: DigestLine) -> bool:
    """``move`` ("revenue +34 %") is the change of ``level`` ("revenue ¥39.8B") as one source
    states them together: same company and metric, stated in one sentence of one source, and
    the level shows no move of its own yet."""
    if not move.is_change or level.is_change or move.already or level.already:
        return False
    if move.unit != "percent" or level.previous is not None:
        return False
    if level.move is not None or move.metric != level.metric or level.metric == "other":
        return False
    if (move.entity or "").casefold() != (level.entity or "").casefold() or not level.entity:
        return False
    return bool(move.said & level.said)


def fold_moves(lines: Sequence[DigestLine], weights: Weights = DEFAULT) -> list[DigestLine]:
    """A move stated with its level ("revenue ¥39.8B, up 34 % year over year") is shown on the
    level's line, not a line of its own: one line for what the source said in one breath. Each
    fact is still on exactly one line; the level keeps its rank (the higher of the two).
    The move's twins (the same company's same move in the same sentence under another metric
    label: one number read twice) go with it, so the number is not shown twice."""
    out = list(lines)
    for mv in sorted(lines, key=sort_key):
        if not mv.is_change or not mv.lined or not any(ln is mv for ln in out):
            continue
        cands = [i for i, ln in enumerate(out) if ln.lined and _move_of_level(mv, ln)]
        if not cands:
            continue
        into = min(cands, key=lambda i: sort_key(out[i]))
        lv = out[into]
        seen = {s.item_id for s in lv.sources}
        merged = replace(
            lv,
            move=mv.value,
            move_basis=mv.change_basis,
            sources=lv.sources + tuple(s for s in mv.sources if s.item_id not in seen),
            langs=lv.langs | mv.langs,
            said=lv.said | mv.said,
            lead=lv.lead or mv.lead,
        )
        out[into] = replace(merged, score=max(importance(merged, weights), mv.score))
        out = [ln for ln in out if ln is not mv and not _twin_move(ln, mv)]
    return out


def _twin_move(line: DigestLine, move: DigestLine) -> bool:
    """``line`` states ``move``'s number again: same company, unit and value, one sentence."""
    return (
        line is not move
        and line.is_change
        and not line.already
        and line.unit == move.unit
        and (line.entity or "").casefold() == (move.entity or "").casefold()
        and abs(line.value - move.value) <= 0.01 * abs(move.value)
        and bool(line.said & move.said)
    )


def _one_number(a: DigestLine, b: DigestLine) -> bool:
    """``a`` and ``b`` are one number of one company shown twice: the same value (within 1 %)
    and unit, and either one sentence read twice (under two metric labels, or as a money move
    and a level: "capex ▲ +$85B" and "capex $85B"), or one share move of the week whose period
    outlets label differently (a share move is the week's news, not a period's figure), or an
    amount of money shown as a level and as a move of the same size and metric in one week (a
    company rarely raises an amount by exactly its new total: "raises capex to $85B" was read
    as a rise).
    Percent moves read from one sentence must both be moves ("revenue +10 %" is not a share of
    10 %)."""
    if a is b or a.already or b.already or not a.entity or a.unit != b.unit:
        return False
    if a.entity.strip().casefold() != (b.entity or "").strip().casefold():
        return False
    if not factlib.values_close(a.value, b.value):
        return False
    if a.is_change and b.is_change and a.metric == b.metric == "share_price":
        return True
    if a.unit != "percent" and a.is_change != b.is_change and _metrics_agree(a, b):
        return True  # "raises capex to $85B" read as a rise of $85B: the level, read twice
    if a.unit == "percent" and a.is_change and b.is_change and _one_source_restates(a, b):
        return True
    if not (a.said & b.said):
        return False
    if a.unit == "percent":
        return a.is_change and b.is_change
    return a.is_change != b.is_change or a.metric != b.metric


def _one_source_restates(a: DigestLine, b: DigestLine) -> bool:
    """One article states one company's move twice, in two sentences, under two metric labels
    ("RPO, a key measure of future cloud revenue, rose 359 %" … "RPO rose 359 % year over
    year"): the same percent move in one item, with periods that fit, is one number read twice.
    Share moves keep their own lines (a share move is not a business figure's move)."""
    if "share_price" in (a.metric, b.metric) or a.metric == b.metric:
        return False
    if not factlib.periods_compatible(a.period, b.period):
        return False
    return bool({item for item, _ in a.said} & {item for item, _ in b.said})


def _metrics_agree(a: DigestLine, b: DigestLine) -> bool:
    return a.metric == b.metric or "other" in (a.metric, b.metric)


def fold_twins(lines: Sequence[DigestLine], weights: Weights = DEFAULT) -> list[DigestLine]:
    """One number shown twice (:func:`_one_number`) keeps the better-ranked of its lines (a
    level over a move of the same size); the other's sources join it, so each fact of the week
    is on one line, Top lines and the facts riding on them included."""
    out = sorted(lines, key=lambda ln: (ln.is_change, sort_key(ln)))
    kept: list[DigestLine] = []
    for ln in out:
        into = next((i for i, k in enumerate(kept) if _one_number(k, ln)), None)
        if into is None:
            kept.append(ln)
            continue
        k = kept[into]
        seen = {s.item_id for s in k.sources}
        merged = replace(
            k,
            sources=k.sources + tuple(s for s in ln.sources if s.item_id not in seen),
            langs=k.langs | ln.langs,
            mentions=k.mentions + ln.mentions,
            said=k.said | ln.said,
            lead=k.lead or ln.lead,
        )
        kept[into] = replace(merged, score=max(importance(merged, weights), ln.score))
    return kept


def select_from_facts(
    facts: Sequence[DigestLine],
    period: Period,
    *,
    lang: Lang | None = None,
    follow_entities: Sequence[str] = (),
    follow_metrics: Sequence[str] = (),
    max_lines: int = 12,
    top_per_entity: int = TOP_PER_ENTITY,
    top_related: int = DEFAULT.top_related,
    related_min: float = DEFAULT.related_min,
) -> Digest:
    """One subscriber's digest from :func:`digest_facts` (ranked facts; see :func:`select_digest`).
    ``top_per_entity``, ``top_related``, ``related_min``: the Top's rules (:func:`top_first`)."""
    lines = [ln for ln in facts if not ln.already]  # Digest.total counts the unlined too
    still = [ln for ln in facts if ln.already and ln.lined]
    fell_back = False
    if lang is not None:
        mine = [ln for ln in lines if lang in ln.langs]
        fell_back = not mine and bool(lines)
        lines = mine or lines
    ents = frozenset(e.strip().casefold() for e in follow_entities if e.strip())
    mets = frozenset(m.strip().lower() for m in follow_metrics if m.strip())
    if ents or mets:
        lines = [ln for ln in lines if _matches(ln, ents, mets)]
        still = [ln for ln in still if _matches(ln, ents, mets)]
    if lang is not None:
        still = [ln for ln in still if lang in ln.langs] or still
    ranked = [ln for ln in lines if ln.lined]
    arranged = top_first(
        ranked, TOP_N, top_per_entity, related=top_related, related_min=related_min
    )
    shown = _cut(arranged, max_lines)
    groups: dict[str, list[DigestLine]] = {}
    for ln in shown[TOP_N:]:
        key = "\x00industry" if ln.kind == "aggregate" else (ln.entity or "").casefold()
        groups.setdefault(key, []).append(ln)
    # rank order; the industry group, then "Other", last
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0] == "\x00industry"))
    return Digest(
        period=period,
        lines=shown,
        groups=tuple(
            EntityGroup(
                None if k == "\x00industry" else ls[0].entity, tuple(ls), k == "\x00industry"
            )
            for k, ls in ordered
        ),
        total=len(lines),
        lang=lang,
        fell_back=fell_back,
        filtered=bool(ents or mets),
        chart=_chart(lines),
        still=tuple(still[:MAX_STILL]),
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
    history: Sequence[Fact] = (),
    weights: Weights = DEFAULT,
) -> Digest:
    """The digest of ``period`` from ``figures`` (figures outside the period are ignored).

    ``lang``: keep the facts reported by at least one item in that language (every source is
    still listed); when that language has none, fall back to all (``Digest.fell_back``).
    ``follow_entities``/``follow_metrics``: a fact is kept when its entity (case-insensitive) is
    followed OR its metric is; following nothing means everything. At most ``max_lines`` lines;
    ``Digest.total`` counts all that matched. ``history``/``weights``: see :func:`digest_facts`.
    """
    return select_from_facts(
        digest_facts(figures, period, tz=tz, history=history, weights=weights),
        period,
        lang=lang,
        follow_entities=follow_entities,
        follow_metrics=follow_metrics,
        max_lines=max_lines,
        top_per_entity=weights.top_per_entity,
        top_related=weights.top_related,
        related_min=weights.related_min,
    )
