"""Rules x figures under a CPU budget: one rule (or one subscriber) cannot stall a pass.

``evaluate_within`` runs ``evaluate`` (the caller's ``run``) one rule at a time, each under a CPU deadline
(``safe_regex.cpu_deadline``: a keyword regex checks it inside its matcher loop, so even a
pattern that costs a second per sentence stops within milliseconds of its budget):

- a rule that spends more than ``Budget.rule_s`` CPU seconds is *over budget*: it yields no
  alerts and the caller pauses it and tells its owner;
- once the pass has spent ``Budget.pass_s``, the remaining rules are *deferred* (not evaluated
  this pass, nothing recorded, so they are evaluated on a later pass); the starting rule
  rotates with ``start`` so the same rules are not always the deferred ones;
- a rule gives at most ``Budget.max_alerts_per_rule`` alerts per pass (its newest facts; it is
  then *capped*: the rest are neither returned nor recorded), so one rule over a large store
  records a bounded number of rows and its owner gets one summary.

Pure apart from the clock, which is a parameter (default: this thread's CPU time, so time the
thread waits for the GIL is not charged). Time this thread spends in the garbage collector is
not charged either (``NetOfCollector``): a full collection of a large process takes hundreds of
milliseconds and runs in whichever thread happens to allocate, so charging it would pause an
honest rule for the heap the whole service built. Callers run it in a worker thread
(``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from bot.models import Alert, Rule, StoredFigure
from bot.rules.evaluate import Backtest, Canonical, backtest, group_same_fact
from bot.rules.safe_regex import BudgetExceeded, cpu_deadline

Clock = Callable[[], float]
# (one rule, some figures, the keys it fired before) -> its new alerts: ``evaluate`` with the
# pass's rates, clock and history bound by the caller.
RunRule = Callable[[Rule, Sequence[StoredFigure], Mapping[str, datetime]], list[Alert]]
MIN_CHUNK = 25  # facts handed to ``evaluate`` at a time (newest first): 2 x the cap, at least this


class NetOfCollector:
    """``clock`` less the time the calling thread has spent in the garbage collector since this
    object was made (collections in other threads are not this thread's and are ignored)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.thread = threading.get_ident()
        self.collector_s = 0.0
        self._started: float | None = None

    def __call__(self) -> float:
        return self.clock() - self.collector_s

    def on_collect(self, phase: str, info: Mapping[str, int]) -> None:
        if threading.get_ident() != self.thread:
            return
        if phase == "start":
            self._started = self.clock()
        elif self._started is not None:
            self.collector_s += self.clock() - self._started
            self._started = None


@contextmanager
def net_of_collector(clock: Clock) -> Iterator[NetOfCollector]:
    """A ``NetOfCollector`` over ``clock``, listening to the collector within the block."""
    net = NetOfCollector(clock)
    gc.callbacks.append(net.on_collect)
    try:
        yield net
    finally:
        gc.callbacks.remove(net.on_collect)


@dataclass(frozen=True)
class Budget:
    """CPU seconds per rule and per pass, and the most alerts one rule gives in one pass."""

    rule_s: float = 1.0
    pass_s: float = 20.0
    max_alerts_per_rule: int = 20


@dataclass
class BudgetedPass:
    alerts: list[Alert] = field(default_factory=list)
    over_budget: list[Rule] = field(default_factory=list)
    deferred: list[Rule] = field(default_factory=list)
    capped: set[str] = field(default_factory=set)  # keys of rules that matched more facts
    cpu_s: float = 0.0


def evaluate_within(
    rules: Sequence[Rule],
    figures: Sequence[StoredFigure],
    run: RunRule,
    *,
    budget: Budget,
    already_fired: Mapping[str, datetime] | None = None,
    start: int = 0,
    clock: Clock = time.thread_time,
) -> BudgetedPass:
    """``run`` rule by rule within ``budget`` (see module doc); alerts in rule order.

    Facts are handed to ``run`` in chunks, newest first, and a rule stops at its
    ``max_alerts_per_rule``-th alert, so a rule that matches thousands of stored facts costs
    no more than one that matches a few dozen.
    """
    active = [r for r in rules if not r.paused]
    if not active:
        return BudgetedPass()
    with net_of_collector(clock) as net:
        return _evaluate_within(active, figures, run, budget, already_fired, start, net)


def _evaluate_within(
    active: Sequence[Rule],
    figures: Sequence[StoredFigure],
    run: RunRule,
    budget: Budget,
    already_fired: Mapping[str, datetime] | None,
    start: int,
    clock: Clock,
) -> BudgetedPass:
    out = BudgetedPass()
    fired_by_rule: dict[str, dict[str, datetime]] = {}
    for key, when in (already_fired or {}).items():
        fired_by_rule.setdefault(key.split(":", 1)[0], {})[key] = when
    begin = clock()
    groups = sorted(
        group_same_fact(figures), key=lambda g: max(sf.published for sf in g), reverse=True
    )
    size = max(MIN_CHUNK, 2 * budget.max_alerts_per_rule)
    chunks = [[sf for g in groups[i : i + size] for sf in g] for i in range(0, len(groups), size)]
    offset = start % len(active)
    by_rule: dict[str, list[Alert]] = {}
    for rule in [*active[offset:], *active[:offset]]:
        left = budget.pass_s - (clock() - begin)
        if left <= 0:
            out.deferred.append(rule)
            continue
        limit = min(budget.rule_s, left)
        t0 = clock()
        fired = dict(fired_by_rule.get(rule.key, {}))
        alerts: list[Alert] = []
        more = False
        try:
            with cpu_deadline(limit, clock):
                for n, chunk in enumerate(chunks, 1):
                    new = run(rule, chunk, fired)
                    alerts += new
                    fired.update((a.key, a.fired_at) for a in new)
                    if len(alerts) >= budget.max_alerts_per_rule:
                        more = len(alerts) > budget.max_alerts_per_rule or n < len(chunks)
                        break
        except BudgetExceeded:
            (out.over_budget if limit >= budget.rule_s else out.deferred).append(rule)
            continue
        if clock() - t0 > budget.rule_s:
            out.over_budget.append(rule)
            continue
        if more:
            out.capped.add(rule.key)
        by_rule[rule.key] = alerts[: budget.max_alerts_per_rule]
    out.cpu_s = clock() - begin
    out.alerts = [a for r in active for a in by_rule.get(r.key, [])]
    return out


def backtest_within(
    rule: Rule,
    figures: Sequence[StoredFigure],
    *,
    rates: Mapping[str, float],
    seconds: float,
    canonical: Canonical | None = None,
    clock: Clock = time.thread_time,
) -> Backtest | None:
    """``backtest`` within ``seconds`` of CPU; None when it ran out (the rule is too costly
    for the stored history). Raises RuleError like ``backtest``."""
    try:
        with net_of_collector(clock) as net, cpu_deadline(seconds, net):
            return backtest(rule, figures, rates=rates, canonical=canonical)
    except BudgetExceeded:
        return None
