"""Where and how an alert pass evaluates rules: in a worker thread, under CPU budgets.

``evaluate_budgeted`` is what ``pipeline.evaluate_alerts`` calls instead of ``evaluate``:

- rules of subscribers who are not active (stopped, blocked, pending) are skipped;
- evaluation runs in a worker thread (``asyncio.to_thread``), never on the event loop, under
  ``bot.rules.budget`` (``[alerts] rule_cpu_ms``, ``pass_cpu_ms``, ``max_alerts_per_rule``):
  a keyword regex checks its CPU deadline inside its matcher loop, so the thread gives the
  loop the GIL every switch interval and stops within milliseconds of its budget;
- a subscriber's rule over its budget is paused and its owner told through the outbox; a
  config rule over budget is reported (the operator edits the config);
- rules left out when the pass budget runs out are evaluated on a later pass (the order
  rotates from pass to pass).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.config import Config
from bot.facts import Fact
from bot.models import Alert, OutboxEntry, Rule, StoredFigure
from bot.outbox import plan
from bot.rules.budget import Budget, BudgetedPass, evaluate_within
from bot.rules.evaluate import evaluate
from bot.rules.notices import render_rule_paused
from bot.store.store import Store

_passes = itertools.count()


def budget_of(config: Config) -> Budget:
    a = config.file.alerts
    return Budget(
        rule_s=a.rule_cpu_ms / 1000,
        pass_s=a.pass_cpu_ms / 1000,
        max_alerts_per_rule=a.max_alerts_per_rule,
    )


async def active_rules(store: Store, rules: Sequence[Rule]) -> list[Rule]:
    """``rules`` without those of subscribers who are not active (or no longer exist)."""
    owners = {r.subscriber_id for r in rules if r.subscriber_id is not None}
    status = await store.subscribers.statuses(owners) if owners else {}
    return [r for r in rules if r.subscriber_id is None or status.get(r.subscriber_id) == "active"]


async def evaluate_budgeted(
    store: Store,
    config: Config,
    rules: Sequence[Rule],
    figures: Sequence[StoredFigure],
    already: Mapping[str, datetime],
    *,
    now: datetime,
    warnings: list[str],
    history: Sequence[Fact] = (),
) -> list[Alert]:
    """The pass's new alerts (see module doc); over-budget rules paused, owners told."""
    rules = await active_rules(store, rules)

    def run(rule: Rule, figs: Sequence[StoredFigure], fired: Mapping[str, datetime]) -> list[Alert]:
        return evaluate(
            [rule], figs, rates=config.rates, already_fired=fired, now=now, history=history
        )

    out: BudgetedPass = await asyncio.to_thread(
        evaluate_within,
        rules,
        figures,
        run,
        budget=budget_of(config),
        already_fired=already,
        start=next(_passes),
    )
    await _pause(store, config, out.over_budget, now, warnings)
    if out.deferred:
        warnings.append(
            f"{len(out.deferred)} rule(s) left for the next pass: the pass used its "
            f"[alerts] pass_cpu_ms ({config.file.alerts.pass_cpu_ms} ms)"
        )
    return out.alerts


async def _pause(
    store: Store, config: Config, rules: Sequence[Rule], now: datetime, warnings: list[str]
) -> None:
    entries: list[OutboxEntry] = []
    available = set(config.file.channels.enabled) - {"file"}
    for rule in rules:
        if rule.subscriber_id is None or rule.id is None:
            warnings.append(
                f"config rule {rule.text!r} is over its [alerts] rule_cpu_ms "
                f"({config.file.alerts.rule_cpu_ms} ms): make it simpler"
            )
            continue
        await store.set_rule_paused(rule.id, True, rule.subscriber_id)
        warnings.append(f"rule {rule.id} {rule.text!r} paused: over [alerts] rule_cpu_ms")
        sub = await store.subscribers.get(rule.subscriber_id)
        if sub is not None:
            notice = render_rule_paused(rule, sub.lang, now.isoformat())
            entries += plan([notice], [sub], channels=available, now=now)
    if entries:
        await store.outbox.enqueue(entries, now)
