"""Dev-only fast loop for ``benchmarks/real_news.py``: figures and alerts, in one process.

The official benchmark replays the articles as growing feeds through the CLI week by week
(minutes). For iterating on attribution, this script does the parts that decide stored-figure
precision, fact recall and alert precision in-process, with the same code paths and the same
scoring: the split's articles become the benchmark's own feed documents, ``parse_feed`` reads
them, the pipeline's ``store_items`` extracts and stores their figures in a scratch SQLite file, and the backtest of each rule runs on ``Store.figures()``.

``--digest`` also replays the weeks as the official benchmark does (feeds that grow week by week,
the same store, facts filed as each week's items arrive) and writes each week's digest with the
CLI's own step, ``pipeline.build_digests`` (what ``briefbot digest --week W --channel file
--out DIR`` runs), then scores the Markdown with ``real_news.score_digests``. What it skips is
the HTTP fetch and the subprocess start-ups; the items are the ones ``parse_feed`` reads from the
same documents, stored feed by feed in the benchmark's feed order.

    .venv/bin/python benchmarks/real_news_fast.py                 # dev split, aggregates
    .venv/bin/python benchmarks/real_news_fast.py --verbose       # + dev misses
    .venv/bin/python benchmarks/real_news_fast.py --digest        # + weekly digests (dev)
    .venv/bin/python benchmarks/real_news_fast.py --digest --digests DIR  # keep dev Markdown
    .venv/bin/python benchmarks/real_news_fast.py --alert-sweep   # + more rules, with recall (dev)
    .venv/bin/python benchmarks/real_news_fast.py --split heldout # aggregates only, to report

``--alert-sweep`` backtests ``SWEEP_RULES`` (and the benchmark's own two rules) on the same
store and prints, per rule, the alerts fired, how many are right (judged as the benchmark judges
its two rules: ``real_news.alert_right``) and the recall of the labelled facts that satisfy the
rule (``real_news.alert_recall``: per article mention, and per fact across articles). Dev only.

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

SWEEP_RULES = (
    "capex > 20B USD",
    "capex > 100B USD",
    "revenue > 10B USD",
    "funding >= 1B USD",
    "investment > 10B USD",
    "share_price <= -5%",
    "share_price >= 10%",
    "power_capacity > 1 GW",
)


def _feed_items(articles: list[rn.Article], fetched_at: datetime) -> list[list[Any]]:
    """Each benchmark feed's items as ``parse_feed`` reads its document (feeds in order)."""
    from bot.sources.feeds import parse_feed

    out = []
    for spec in rn.FEEDS:
        accepted = [a for a in articles if spec.accepts(a)]
        if not accepted:
            continue
        doc = rn.feed_xml(spec, accepted)
        url = f"http://127.0.0.1{spec.path}"
        parsed = parse_feed(
            doc,
            None,
            url,
            feed_key=url,
            fetched_at=fetched_at,
            source="feed:" + url,
            lang=spec.lang,  # type: ignore[arg-type]
        )
        out.append([entry.item for entry in parsed.entries])
    return out


async def _weekly_digests(
    store: Any, cfg: Any, articles: list[rn.Article], out: Path
) -> dict[str, str]:
    """The official replay's loop in-process: each week the feeds grow to every item published
    up to the week's end, the new items are stored (facts filed as they arrive), then the
    week's digest is written by ``pipeline.build_digests`` as ``briefbot digest`` does."""
    from datetime import date
    from datetime import time as dtime

    from bot import pipeline
    from bot.models import Period

    weeks = sorted({rn.week_key(a.published) for a in articles})
    for wk in weeks:
        end = date.fromisocalendar(int(wk[:4]), int(wk[6:]), 7)
        upto = [a for a in articles if a.published <= end]
        for items in _feed_items(upto, datetime.combine(end, dtime(23, 0), tzinfo=UTC)):
            await pipeline.store_items(store, cfg, items)
        await pipeline.build_digests(store, cfg, periods=[Period.parse(wk)], out=out, force=True)
    return rn._read_digests(out, weeks)


async def _run(
    articles: list[rn.Article],
    *,
    digest: bool = False,
    config: Path | None = None,
    rules: tuple[str, ...] = rn.RULES,
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, str]]:
    from bot.cli.alerts import backtest_alert_json
    from bot.config import load_config
    from bot.pipeline import store_items
    from bot.rules.evaluate import backtest
    from bot.rules.parse import parse_rule
    from bot.store.store import Store

    cfg = load_config({}, config or ROOT / "config" / "briefbot.toml")
    digests: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="real-news-fast-") as d:
        async with Store.open(f"sqlite:///{d}/b.db") as store:
            if digest:
                digests = await _weekly_digests(store, cfg, articles, Path(d) / "digests")
            else:
                # The pipeline's own step: extract each item (title + body), store its figures;
                # each item fetched, as in the replay, at the end of the week it came out (an
                # item its feed gives no date is dated by that fetch).
                from datetime import date
                from datetime import time as dtime

                for wk in sorted({rn.week_key(a.published) for a in articles}):
                    end = date.fromisocalendar(int(wk[:4]), int(wk[6:]), 7)
                    week = [a for a in articles if rn.week_key(a.published) == wk]
                    fetched = datetime.combine(end, dtime(23, 0), tzinfo=UTC)
                    items = [i for f in _feed_items(week, fetched) for i in f]
                    await store_items(store, cfg, items)
            rows = await store.figures()
    stored = []
    for sf in rows:
        dd = sf.figure.to_json_dict()
        dd.update(item_url=sf.item_url, item_id=sf.item_id, item_title=sf.item_title)
        stored.append(dd)
    fired: dict[str, list[dict[str, Any]]] = {}
    for text in rules:
        bt = backtest(parse_rule(text), rows, rates=cfg.rates)
        fired[text] = [backtest_alert_json(a) for a in bt.alerts]
    return stored, fired, digests


def _sweep(
    articles: list[rn.Article],
    fired: dict[str, list[dict[str, Any]]],
    names: rn.Names,
    rules: tuple[str, ...],
) -> list[str]:
    """Print fired / right / recall for each rule; return the wrong alerts and missed facts."""
    usd = rn.usd_rates()
    by_url = {rn.url_key(a.url): a for a in articles}
    misses: list[str] = []
    total = rn.Ratio()
    print("  alert sweep (right/fired; recall: labelled mentions, facts across articles)")
    for rule in rules:
        right = rn.Ratio()
        for alert in fired.get(rule, []):
            ok = rn.alert_right(rule, alert, by_url, names, usd)
            right.add(ok)
            total.add(ok)
            if not ok:
                fig = alert["figure"]
                misses.append(
                    f"WRONG {rule}: {fig.get('entity')} {fig.get('metric')} "
                    f"{fig.get('value'):g} {fig.get('unit')} ({fig.get('period') or '-'}, "
                    f"{fig.get('kind')}) ← {str(fig.get('sentence', ''))[:140]!r}"
                )
        mentions, facts, missed = rn.alert_recall(rule, articles, fired.get(rule, []), names, usd)
        misses += ["MISSED " + m for m in missed]
        print(
            f"    {rule:24} fired {right.total:3}  right {right}  recall {mentions}  facts {facts}"
        )
    print(f"    sweep precision {total}")
    return misses


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", choices=["dev", "heldout"], default="dev")
    p.add_argument("--verbose", action="store_true", help="print the misses (dev split only)")
    p.add_argument(
        "--digest",
        action="store_true",
        help="also replay week by week and score each week's digest (as the CLI builds it)",
    )
    p.add_argument("--digests", metavar="DIR", help="with --digest: copy the dev Markdown here")
    p.add_argument(
        "--config", metavar="PATH", help="another briefbot.toml (e.g. other [digests.rank] weights)"
    )
    p.add_argument(
        "--alert-sweep",
        action="store_true",
        help="also backtest SWEEP_RULES and print fired / right / recall per rule (dev only)",
    )
    args = p.parse_args(argv)
    if args.alert_sweep and args.split != "dev":
        p.error("--alert-sweep is for the dev split only")
    t0 = time.perf_counter()
    articles = [a for a in rn.load_articles() if a.split == args.split]
    rules = rn.RULES + (SWEEP_RULES if args.alert_sweep else ())
    stored, fired, digests = asyncio.run(
        _run(
            articles,
            digest=args.digest,
            config=Path(args.config) if args.config else None,
            rules=rules,
        )
    )
    names = rn.Names.load()
    report = rn.Report(
        split=args.split, articles=len(articles), facts=sum(len(a.facts) for a in articles)
    )
    rn.score_figures(report, articles, stored, names)
    rn.score_alerts(report, articles, fired, names, rn.usd_rates())
    if args.digest:
        rn.score_digests(report, articles, digests, names)
        if args.digests and args.split == "dev":
            out = Path(args.digests)
            out.mkdir(parents=True, exist_ok=True)
            for wk, md in digests.items():
                (out / f"{wk}.md").write_text(md, encoding="utf-8")
    print(f"{args.split}: {report.articles} articles, {report.facts} facts, {report.stored} stored")
    print(f"  stored-figure precision {report.figure_precision}")
    for lang, r in sorted(report.figure_precision_by_lang.items()):
        print(f"    {lang} {r}")
    print(f"  recall imp1 {report.recall_imp1}  imp2 {report.recall_imp2}")
    for rule, r in report.alerts.items():
        print(f"  alerts {rule}: {r}")
    print(f"  alert precision {report.alert_precision}")
    if args.digest:
        print(f"  digest: {report.weeks} weeks, {report.digest_lines} figure lines")
        print(f"  digest line precision {report.line_precision}")
        print(f"  duplicate lines {report.duplicate_lines}")
        print(f"  top-5 recall, importance 1 {report.top5_recall_imp1}")
        print(f"  old facts shown as new {report.old_as_new}")
    sweep_misses: list[str] = []
    if args.alert_sweep:
        sweep_misses = _sweep(articles, fired, names, rules)
    print(f"  ({time.perf_counter() - t0:.1f} s)")
    if args.verbose and sweep_misses:
        print(f"\n== sweep: wrong alerts and labelled facts no alert covered ({len(sweep_misses)})")
        for it in sweep_misses:
            print(f"  {it}")
    if args.verbose and args.split == "dev":
        for kind, items in report.misses.items():
            print(f"\n== {kind} ({len(items)})")
            for it in items:
                print(f"  {it}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
