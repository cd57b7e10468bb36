"""Dev-only fast loop for ``benchmarks/real_news.py``: figures and alerts, in one process.

The official benchmark replays the articles as growing feeds through the CLI week by week
(minutes). For iterating on attribution, this script does the parts that decide stored-figure
precision, fact recall and alert precision in-process, with the same code paths and the same
scoring: the split's articles become the benchmark's own feed documents, ``parse_feed`` reads
them, the pipeline's ``store_items`` extracts and stores their figures in a scratch SQLite file, and the backtest of each rule runs on ``Store.figures()``. Digests are
not built (use the official benchmark for those).

    .venv/bin/python benchmarks/real_news_fast.py                 # dev split, aggregates
    .venv/bin/python benchmarks/real_news_fast.py --verbose       # + dev misses
    .venv/bin/python benchmarks/real_news_fast.py --split heldout # aggregates only, to report

Per-item output is printed for the dev split only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import real_news as rn  # noqa: E402


async def _run(
    articles: list[rn.Article],
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    from bot.cli.alerts import backtest_alert_json
    from bot.config import load_config
    from bot.pipeline import store_items
    from bot.rules.evaluate import backtest
    from bot.rules.parse import parse_rule
    from bot.sources.feeds import parse_feed
    from bot.store.store import Store

    cfg = load_config({}, ROOT / "config" / "briefbot.toml")
    items = []
    now = datetime.now(UTC)
    for spec in rn.FEEDS:
        accepted = [a for a in articles if spec.accepts(a)]
        if not accepted:
            continue
        doc = rn.feed_xml(spec, accepted)
        url = f"http://127.0.0.1{spec.path}"
        parsed = parse_feed(doc, None, url, feed_key=url, fetched_at=now, lang=spec.lang)  # type: ignore[arg-type]
        items.extend(entry.item for entry in parsed.entries)
    with tempfile.TemporaryDirectory(prefix="real-news-fast-") as d:
        async with Store.open(f"sqlite:///{d}/b.db") as store:
            # The pipeline's own step: extract each item (title + body) and store its figures.
            await store_items(store, cfg, items)
            rows = await store.figures()
    stored = []
    for sf in rows:
        dd = sf.figure.to_json_dict()
        dd.update(item_url=sf.item_url, item_id=sf.item_id, item_title=sf.item_title)
        stored.append(dd)
    fired: dict[str, list[dict[str, Any]]] = {}
    for text in rn.RULES:
        bt = backtest(parse_rule(text), rows, rates=cfg.rates)
        fired[text] = [backtest_alert_json(a) for a in bt.alerts]
    return stored, fired


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", choices=["dev", "heldout"], default="dev")
    p.add_argument("--verbose", action="store_true", help="print the misses (dev split only)")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    articles = [a for a in rn.load_articles() if a.split == args.split]
    stored, fired = asyncio.run(_run(articles))
    names = rn.Names.load()
    report = rn.Report(
        split=args.split, articles=len(articles), facts=sum(len(a.facts) for a in articles)
    )
    rn.score_figures(report, articles, stored, names)
    rn.score_alerts(report, articles, fired, names, rn.usd_rates())
    print(f"{args.split}: {report.articles} articles, {report.facts} facts, {report.stored} stored")
    print(f"  stored-figure precision {report.figure_precision}")
    for lang, r in sorted(report.figure_precision_by_lang.items()):
        print(f"    {lang} {r}")
    print(f"  recall imp1 {report.recall_imp1}  imp2 {report.recall_imp2}")
    for rule, r in report.alerts.items():
        print(f"  alerts {rule}: {r}")
    print(f"  alert precision {report.alert_precision}")
    print(f"  ({time.perf_counter() - t0:.1f} s)")
    if args.verbose and args.split == "dev":
        for kind, items in report.misses.items():
            print(f"\n== {kind} ({len(items)})")
            for it in items:
                print(f"  {it}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
