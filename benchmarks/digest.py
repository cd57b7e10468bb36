"""Benchmark: personalised weekly digests for many subscribers, on one core.

Per subscriber: ``select_digest`` (their language and interests) + ``render_telegram`` +
``render_email`` (HTML with inlined CSS + plain text, with their own unsubscribe/manage links) +
``render_markdown``. Nothing is kept: each result is measured and dropped, so memory must stay
flat however many subscribers there are.

What makes it fast: templates compiled once (module-level Renderer), the selection memoized per
(language, interests) combination, and the renderers' bounded memo keyed on the digest's *value*
so subscribers whose interests give the same lines share one render; each subscriber then only
costs a lookup and the substitution of their links.

Baseline (same run, smaller sample): a fresh jinja Environment, templates compiled from scratch and
no memo for every digest.

    .venv/bin/python benchmarks/digest.py            # 100,000 subscribers
    .venv/bin/python benchmarks/digest.py --n 5000   # quicker
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.digest import render as render_mod  # noqa: E402
from bot.digest.render import (  # noqa: E402
    Renderer,
    render_email,
    render_markdown,
    render_telegram,
)
from bot.digest.select import digest_facts, select_digest, select_from_facts  # noqa: E402
from bot.models import Lang, Period, StoredFigure, Subscriber  # noqa: E402
from tests.digest.seed import figure, seed_figures, stored  # noqa: E402

WEEK = Period.parse("2026-W06")
ENTITIES = [
    "Meta",
    "Microsoft",
    "Tesla",
    "ByteDance",
    "Alibaba",
    "Tencent",
    "Oracle",
    "Dola",
    "Amazon",
    "Google",
    "Nvidia",
    "Apple",
    "Samsung",
    "SK Hynix",
    "Qualcomm",
    "Lenovo",
]
METRICS = [
    "capex",
    "spending",
    "investment",
    "revenue",
    "profit",
    "borrowing",
    "share_price",
    "users",
    "market_value",
]


def week_figures(rng: random.Random) -> list[StoredFigure]:
    """The seed's 22 mentions plus 60 more from other outlets (some repeating the seed's facts)."""
    figs = seed_figures()
    for i in range(60):
        lang: Lang = "en" if i % 3 else "zh"
        ent = rng.choice(ENTITIES[8:] + ENTITIES[:3])
        metric = rng.choice(METRICS)
        if metric == "share_price":
            fields = dict(
                entity=ent,
                metric=metric,
                value=rng.choice([-12, -5, 3, 8, 21]),
                unit="percent",
                is_change=True,
                change_basis="wow",
            )
        elif metric == "users":
            fields = dict(entity=ent, metric=metric, value=rng.randint(1, 900) * 1e6, unit="users")
        else:
            fields = dict(
                entity=ent,
                metric=metric,
                value=rng.randint(1, 200) * 1e9,
                unit="USD",
                period="2026",
            )
        published = datetime(2026, 2, 2 + i % 7, 9, tzinfo=UTC)
        figs.append(
            stored(
                figure(lang, fields, f"sentence {i}"),
                id=1000 + i,
                lang=lang,
                published=published,
                item_id=f"feed-{i}",
                title=f"Outlet {i % 9} story {i}",
                url=f"https://news.example/{i}?utm=x&y=1",
            )
        )
    return figs


def subscribers(n: int, seed: int) -> Iterator[Subscriber]:
    """A lazy stream of subscribers with varied languages and interests (never all in memory)."""
    rng = random.Random(seed)
    for i in range(n):
        ents: tuple[str, ...] = ()
        mets: tuple[str, ...] = ()
        if rng.random() < 0.5:
            ents = tuple(rng.sample(ENTITIES, rng.choice([1, 1, 2, 3])))
        if rng.random() < 0.3:
            mets = tuple(rng.sample(METRICS, rng.choice([1, 2])))
        yield Subscriber(
            id=i,
            lang="en" if rng.random() < 0.65 else "zh",
            email=f"s{i}@example.com",
            follow_entities=ents,
            follow_metrics=mets,
        )


def links(s: Subscriber) -> dict[str, str]:
    return {
        "unsubscribe_url": f"https://briefbot.example/u/{s.id}?sig={s.id * 7919 % 100003:x}",
        "manage_url": f"https://briefbot.example/m/{s.id}",
    }


def run_fast(
    n: int, seed: int, figs: list[StoredFigure], checkpoints: dict[int, int]
) -> tuple[float, float, int]:
    """The optimised path; returns (wall seconds, CPU seconds, characters rendered)."""

    total = 0
    t0, c0 = time.perf_counter(), time.process_time()
    facts = digest_facts(figs, WEEK)  # once per period, shared by every subscriber
    for i, s in enumerate(subscribers(n, seed), 1):
        d = select_from_facts(
            facts,
            WEEK,
            lang=s.lang,
            follow_entities=s.follow_entities,
            follow_metrics=s.follow_metrics,
        )
        parts = render_telegram(d, s.lang)
        html, text = render_email(d, s.lang, **links(s))
        md = render_markdown(d, s.lang)
        total += sum(map(len, parts)) + len(html) + len(text) + len(md)
        if i in checkpoints:
            checkpoints[i] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return time.perf_counter() - t0, time.process_time() - c0, total


def run_baseline(n: int, seed: int, figs: list[StoredFigure]) -> tuple[float, float]:
    """Every digest from scratch: new Environment, templates compiled, no memo, fresh select."""
    t0, c0 = time.perf_counter(), time.process_time()
    for s in subscribers(n, seed):
        r = Renderer(cache_size=0)
        d = select_digest(
            figs,
            WEEK,
            lang=s.lang,
            follow_entities=s.follow_entities,
            follow_metrics=s.follow_metrics,
        )
        r.telegram(d, s.lang)
        r.email(d, s.lang, **links(s))
        r.markdown(d, s.lang)
    return time.perf_counter() - t0, time.process_time() - c0


def traced_peak(n: int, seed: int, figs: list[StoredFigure]) -> int:
    """Peak Python allocation (tracemalloc) for n subscribers, from cold caches."""
    render_mod.default_renderer.cache_clear()
    gc.collect()
    tracemalloc.start()
    run_fast(n, seed, figs, {})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="subscribers (default 100,000)")
    ap.add_argument(
        "--baseline-n",
        type=int,
        default=None,
        help="subscribers for the from-scratch baseline (default n/1000, 50..200)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = ap.parse_args(argv)
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    figs = week_figures(random.Random(args.seed))
    n = args.n
    base_n = args.baseline_n or max(50, min(200, n // 1000))

    print(
        f"digest benchmark: {n:,} subscribers, {len(figs)} figure mentions in {WEEK.key}, "
        f"CPUs usable: {cpus}, Python {sys.version.split()[0]}"
    )
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    checkpoints = {max(1, n // 10): 0, max(1, n // 2): 0, n: 0}
    secs, cpu, size = run_fast(n, args.seed, figs, checkpoints)
    memo = len(render_mod.default_renderer()._memo)
    print(
        f"optimised : {n:,} digests in {secs:.2f} s wall / {cpu:.2f} s CPU = "
        f"{n / secs:,.0f} digests/s wall, {n / cpu:,.0f} digests/s CPU "
        f"({cpu / n * 1e6:.0f} µs CPU each; {size / 1e6:,.0f} M characters rendered and dropped; "
        f"renderer memo entries: {memo})"
    )
    print(
        "peak RSS  : start {:.0f} MB; after {}: {}".format(
            rss0 / 1024,
            "; ".join(f"{k:,} digests {v / 1024:.0f} MB" for k, v in checkpoints.items()),
            "flat" if checkpoints[n] - checkpoints[max(1, n // 10)] < 20 * 1024 else "GROWING",
        )
    )

    bsecs, bcpu = run_baseline(base_n, args.seed, figs)
    brate = base_n / bcpu
    print(
        f"baseline  : {base_n:,} digests in {bsecs:.2f} s wall / {bcpu:.2f} s CPU = "
        f"{brate:,.1f} digests/s CPU (fresh Environment + compiled templates + no memo per digest)"
    )
    print(
        f"speed-up  : {(n / cpu) / brate:,.0f}x (CPU time); 100,000 would take "
        f"{100_000 / brate / 60:,.0f} min CPU at the baseline rate, {100_000 * cpu / n:.1f} s optimised"
    )
    if secs > 1.3 * cpu:
        print(
            f"note      : wall time {secs / cpu:.1f}x the CPU time: the core was shared with other work"
        )

    small, large = max(1, n // 20), max(1, n // 5)  # both past the point where the memo is full
    p_small, p_large = traced_peak(small, args.seed, figs), traced_peak(large, args.seed, figs)
    print(
        f"tracemalloc peak from cold caches: {small:,} digests {p_small / 2**20:.1f} MiB, "
        f"{large:,} digests {p_large / 2**20:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
