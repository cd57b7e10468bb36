"""Rules x figures -> alerts (pure: ``now`` is a parameter, rates are passed in).

Semantics:
- **Facts, not mentions.** ``group_same_fact`` merges the mentions of one fact (``bot.facts``:
  entity, value within 1 %, unit, compatible period, whatever the metric label): several
  outlets reporting the same number give ONE alert listing every source. The oldest mention
  represents the fact, so the fact (and its alert key) stays the same as more outlets report it.
- **Updates.** With ``history`` (the store's facts), an alert on a fact that changes an earlier
  fact's value carries that value (``Alert.update_from``): "raises guidance to $93B, from $85B".
- **Units.** Money is converted to the rule's currency: first the conversion the text itself
  states ("160 billion yuan (about $23 billion)"), then ``rates`` (ISO -> USD per unit), then
  the figure's ``usd_value``. A rule without a unit compares money in USD and counts (users) as
  plain numbers. Percent rules (``change``) compare with change figures (``is_change``, unit
  percent) and with moves that state a ``previous`` value (derived: (value-previous)/|previous|).
  Level rules never compare with change figures. A figure that cannot be converted never fires.
- **Vague.** A figure without an exact value ("several billion", 数十亿) never fires a threshold.
- **Other units.** Power (W), compute (FLOPS), counts and multiples (times) compare as plain
  numbers in their unit; percentage points only with rules in points (``5 pp``).
- **Qualifiers.** ``value`` is the number compared (a range's high end; "up to $135B" counts as
  135B, as do "about" and "exact"). A bound that excludes its value sits just beside it:
  "more than $20B" is just above 20B (fires ``> 20B`` and ``>= 20B``, not ``== 20B``),
  "less than"/"nearly" just below; "at least" is the value itself.
- **Dedupe.** ``already_fired`` maps alert keys (``rule-<id>:<figure.key>``) to when they fired.
  A rule fires once per fact: not again for a key already there, nor for any key that is the
  same fact (``bot.facts.same_fact``: another metric label, a compatible period, a value within
  1 %), so a re-stated number does not re-alert in a later week, a changed one does. ``cooldown_s`` ("every 7d") also holds back any new value for the same
  rule+entity+metric (any match, for keyword rules) fired within the window.
- **Keywords** match a figure's sentence (``match_text``).
- **Kinds.** A threshold rule fires on the actual, guidance and plan figures of a named company
  (``DEFAULT_KINDS``): not on analysts' estimates, aggregates ("Big Tech") or hypotheticals,
  unless it asks for them (``kind:estimate``, ``kind:any``; ``Rule.kinds``).
- **One mention.** A threshold rule fires on a fact when ONE of its mentions satisfies the
  whole rule: company, metric, kind, alert grade, unit and threshold all read from that mention
  (``mention_fires``), never joined from several (one outlet's company with another's amount).
  The alert lists that mention first, then the others oldest first; an earlier estimate or a
  mention under another label no longer hides a later plain one. Measured on the dev split
  (``benchmarks/real_news_fast.py --alert-sweep``): recall of ``capex > 50B USD`` 36/67 -> 57/67
  labelled mentions, 13/22 -> 16/22 facts, alerts all right.
- **Confidence.** Alerts ask more of a figure than digest lines do: a threshold rule fires on a
  fact only when one of its mentions is *alert-grade* (``bot.rules.confidence``): a known
  company (not a name found by its shape), the metric named in the amount's own clause (not
  carried from another clause that has a subject of its own), and no analyst's or market's
  expectation bound to the amount. ``confidence:any`` (``Rule.confidence``) lets a rule fire on
  every figure a digest could show. Measured on the dev split of the real-news set: the
  entity's source (named in the sentence, an anaphor, or the headline's company carried to a
  sentence naming none) did not separate right from wrong alerts (right 4 in 5 either way), so
  it is not a condition.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache

from bot import facts as factlib
from bot.errors import RuleError
from bot.facts import Fact, FactId
from bot.models import DEFAULT_KINDS, Alert, Figure, Frozen, Rule, StoredFigure
from bot.money import convert, is_money
from bot.rules.confidence import alert_grade
from bot.rules.parse import default_canonical
from bot.rules.safe_regex import SafePattern, compile_safe

Canonical = Callable[[str], str | None]
SAME_FACT_TOLERANCE = factlib.TOLERANCE

# Where the true value sits relative to ``value``: +1 just above, -1 just below, 0 on it.
_BIAS = {"more_than": 1, "less_than": -1, "nearly": -1}


class Backtest(Frozen):
    """How a rule would have fired over stored history: every matching fact, no dedupe."""

    rule: Rule
    hits: int
    last: tuple[Alert, ...]  # newest first, at most three
    alerts: tuple[Alert, ...] = ()  # every hit, in the same order as ``last``


_Hit = tuple[tuple[StoredFigure, ...], float | None, str | None, bool]


def evaluate(
    rules: Iterable[Rule],
    figures: Sequence[StoredFigure],
    *,
    rates: Mapping[str, float],
    already_fired: Mapping[str, datetime] | None = None,
    now: datetime,
    canonical: Canonical | None = None,
    history: Sequence[Fact] = (),
) -> list[Alert]:
    """New alerts, in rule order, newest fact first; each key at most once (see module doc).

    Pass the figures of a look-back window (not only the newest ones) so that several outlets
    of one fact are grouped together. A stored rule that no longer compiles is skipped.
    ``history``: stored facts, for marking updates.
    """
    groups = group_same_fact(figures)
    by_subject = _by_subject(history)
    fired = dict(already_fired or {})
    same = _entity_matcher(canonical)
    alerts: list[Alert] = []
    for rule in rules:
        if rule.paused:
            continue
        try:
            hits = _hits(rule, groups, rates, same)
        except RuleError:
            continue
        for group, value, unit, derived in hits:
            prev = _previous(group, by_subject)
            alert = Alert(
                rule=rule,
                figures=group,
                value=value,
                unit=unit,
                derived_change=derived,
                fired_at=now,
                update_from=prev.value if prev else None,
                update_from_low=prev.low if prev else None,
            )
            if _already(rule, alert.figure, fired) or _cooling(rule, alert.figure, fired, now):
                continue
            fired[alert.key] = now
            alerts.append(alert)
    return alerts


def backtest(
    rule: Rule,
    figures: Sequence[StoredFigure],
    *,
    rates: Mapping[str, float],
    canonical: Canonical | None = None,
) -> Backtest:
    """Count the facts ``rule`` matches in ``figures`` and show the last three (newest first).

    Ignores ``paused``, dedupe and cooldown; each alert's ``fired_at`` is when the fact was
    first published. Raises RuleError when a keyword rule's pattern does not compile.
    """
    hits = _hits(rule, group_same_fact(figures), rates, _entity_matcher(canonical))
    alerts = [
        Alert(
            rule=rule,
            figures=g,
            value=v,
            unit=u,
            derived_change=d,
            fired_at=min(sf.published for sf in g),
        )
        for g, v, u, d in hits
    ]
    return Backtest(rule=rule, hits=len(alerts), last=tuple(alerts[:3]), alerts=tuple(alerts))


def group_same_fact(figures: Iterable[StoredFigure]) -> list[tuple[StoredFigure, ...]]:
    """Groups of one fact each (``bot.facts.cluster``): oldest mention first, groups by it."""
    return factlib.cluster(figures)


def _by_subject(history: Sequence[Fact]) -> dict[str | None, list[Fact]]:
    """Stored facts by their identity's entity key: an update has the same subject
    (``facts.updates``), so each alert looks only at its own company's facts, not all of them
    (a rule hitting thousands of facts would otherwise compare every pair)."""
    out: dict[str | None, list[Fact]] = {}
    for h in history:
        out.setdefault(h.fid.entity, []).append(h)
    return out


def _previous(
    group: Sequence[StoredFigure], by_subject: Mapping[str | None, Sequence[Fact]]
) -> Fact | None:
    """The earlier fact this group's fact updates (first reported before the group's first);
    the group's first figure is the mention the rule fired on."""
    if not by_subject:
        return None
    fid = FactId.of(group[0].figure)
    first = min(sf.published for sf in group)
    own = {sf.fact_id for sf in group if sf.fact_id is not None}
    mine = by_subject.get(fid.entity, ())
    earlier = [h for h in mine if h.first_published < first and h.id not in own]
    return factlib.previous_of(fid, earlier)


def match_text(rule: Rule, text: str) -> bool:
    """Does a keyword rule match ``text``? Substring (case-insensitive) or a safe regex.

    Linear time for any pattern (``bot.rules.safe_regex``); RuleError for a pattern that does
    not compile; ValueError for a rule that is not a keyword rule.
    """
    if rule.kind != "keyword" or not rule.keyword:
        raise ValueError(f"match_text needs a keyword rule, got {rule.text!r}")
    if rule.regex:
        return _pattern(rule.keyword).search(text)
    return rule.keyword.casefold() in text.casefold()


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> SafePattern:
    return compile_safe(pattern)


def _hits(
    rule: Rule,
    groups: list[tuple[StoredFigure, ...]],
    rates: Mapping[str, float],
    same: Callable[[str, str | None], bool],
) -> list[_Hit]:
    hits: list[_Hit] = []
    for group in groups:
        if rule.kind == "keyword":
            if any(match_text(rule, sf.figure.sentence) for sf in group):
                hits.append((group, None, None, False))
            continue
        for sf in group:
            got = mention_fires(rule, sf.figure, rates, same)
            if got is not None:
                hits.append((_led_by(group, sf), *got))
                break
    hits.sort(key=lambda h: max(sf.published for sf in h[0]), reverse=True)
    return hits


def _led_by(group: tuple[StoredFigure, ...], lead: StoredFigure) -> tuple[StoredFigure, ...]:
    """The group with the mention a rule fired on first, the others oldest first."""
    if group[0] is lead:
        return group
    return (lead, *(sf for sf in group if sf is not lead))


def mention_fires(
    rule: Rule,
    fig: Figure,
    rates: Mapping[str, float],
    same: Callable[[str, str | None], bool],
) -> tuple[float, str | None, bool] | None:
    """(compared value, its unit, derived change?) when this one mention satisfies the whole
    threshold rule — metric, kind, company, alert grade and threshold — else None.

    Every part comes from the same mention: a fact fires when one outlet states it the way
    the rule asks, never by joining one outlet's company to another's amount or one mention's
    kind to another's metric.
    """
    if rule.metric != "any" and fig.metric != rule.metric:
        return None
    if not kind_matches(rule, fig):
        return None
    if rule.entity is not None and not same(rule.entity, fig.entity):
        return None
    compared = _compared(rule, fig, rates)
    if compared is None or rule.threshold is None:
        return None
    value, unit, derived, bias = compared
    if not _holds(value, bias, rule.op, rule.threshold):
        return None
    if not grade_ok(rule, fig):
        return None
    return value, unit, derived


def kind_matches(rule: Rule, fig: Figure) -> bool:
    """Whether a threshold rule looks at a figure of this kind (see the module docstring)."""
    if rule.kinds is None:
        return fig.kind in DEFAULT_KINDS and fig.entity is not None
    return "any" in rule.kinds or fig.kind in rule.kinds


def grade_ok(rule: Rule, fig: Figure) -> bool:
    """Whether this mention is alert-grade for ``rule`` (``bot.rules.confidence``); always for
    ``confidence:any``. A rule asking for estimates accepts expectation wording."""
    if rule.confidence == "any":
        return True
    estimates = rule.kinds is not None and ("any" in rule.kinds or "estimate" in rule.kinds)
    return alert_grade(fig, estimates=estimates, named=rule.entity is not None)


def confident(rule: Rule, group: Sequence[StoredFigure]) -> bool:
    """Whether some mention of the fact is alert-grade for ``rule`` (``grade_ok``)."""
    return any(grade_ok(rule, sf.figure) for sf in group)


def _compared(
    rule: Rule, fig: Figure, rates: Mapping[str, float]
) -> tuple[float, str | None, bool, int] | None:
    """(value in the rule's unit, that unit, derived change?, bias) or None: not comparable."""
    if fig.qualifier == "vague":
        return None  # "several billion", 数十亿: no exact value crosses a threshold
    bias = _BIAS.get(fig.qualifier, 0)
    if rule.unit == "percentage_points":
        return (fig.value, fig.unit, False, bias) if fig.unit == "percentage_points" else None
    if rule.change or rule.unit == "percent":
        if fig.is_change:
            return (fig.value, "percent", False, bias) if fig.unit == "percent" else None
        if fig.previous:
            return (fig.value - fig.previous) / abs(fig.previous) * 100, "percent", True, 0
        return None
    if fig.is_change:
        return None
    if is_money(fig.unit):
        target = rule.unit or "USD"
        if not is_money(target):
            return None
        value = _in_currency(fig, target, rates)
        return None if value is None else (value, target, False, bias)
    if rule.unit is None or rule.unit == fig.unit:
        return (fig.value, fig.unit, False, bias) if fig.unit in _COMPARABLE else None
    return None


# Units a level rule compares as plain numbers (money converts; percent and points are changes).
_COMPARABLE = frozenset({"users", "count", "W", "FLOPS", "times"})


def _in_currency(fig: Figure, target: str, rates: Mapping[str, float]) -> float | None:
    if fig.unit == target:
        return fig.value
    if fig.conversion is not None and fig.conversion.unit == target:
        return fig.conversion.value
    value = convert(fig.value, fig.unit, target, rates)
    if value is None and fig.usd_value is not None:
        value = convert(fig.usd_value, "USD", target, rates)
    return value


def _holds(value: float, bias: int, op: str, threshold: float) -> bool:
    if math.isclose(value, threshold, rel_tol=1e-9, abs_tol=1e-9):
        side = bias
    else:
        side = 1 if value > threshold else -1
    return {
        ">": side > 0,
        ">=": side >= 0,
        "<": side < 0,
        "<=": side <= 0,
        "==": side == 0,
        "!=": side != 0,
    }[op]


def _entity_matcher(canonical: Canonical | None) -> Callable[[str, str | None], bool]:
    resolver = canonical if canonical is not None else default_canonical()
    memo: dict[str, str] = {}

    def norm(name: str) -> str:
        if name not in memo:
            try:
                found = resolver(name)
            except Exception:  # a lexicon bug must not stop the alert job
                found = None
            memo[name] = (found if isinstance(found, str) and found else name).casefold().strip()
        return memo[name]

    def same(rule_entity: str, figure_entity: str | None) -> bool:
        return figure_entity is not None and norm(rule_entity) == norm(figure_entity)

    return same


def _fired_facts(rule: Rule, fired: Mapping[str, datetime]) -> Iterable[tuple[list[str], datetime]]:
    prefix = rule.key + ":"
    for key, when in fired.items():
        if key.startswith(prefix):
            yield key[len(prefix) :].split("|"), when


def _already(rule: Rule, fig: Figure, fired: Mapping[str, datetime]) -> bool:
    """Fired before for this fact: the same key, or a key of the same fact (``bot.facts``)."""
    if f"{rule.key}:{fig.key}" in fired:
        return True
    mine = replace(FactId.of(fig), estimate=False)  # keys do not record the kind
    for other, _when in _fired_facts(rule, fired):
        fid = FactId.from_key("|".join(other))
        if fid is not None and factlib.same_fact(fid, mine):
            return True
    return False


def _cooling(rule: Rule, fig: Figure, fired: Mapping[str, datetime], now: datetime) -> bool:
    """Within ``cooldown_s`` of an alert of this rule for the same entity+metric (any, keyword)."""
    if not rule.cooldown_s:
        return False
    window = timedelta(seconds=rule.cooldown_s)
    subject = fig.key.split("|")[:2]
    for other, when in _fired_facts(rule, fired):
        if (rule.kind == "keyword" or other[:2] == subject) and now - when < window:
            return True
    return False
