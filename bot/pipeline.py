"""The one orchestrator: source -> items -> figures -> (rules -> alerts | digest) -> outbox.

Each function here is one job of the service and one CLI command; each takes the store, the config
and ``now`` (no hidden clock), and returns a small report the CLI prints. The pure work is done by
``bot.extract``, ``bot.rules`` and ``bot.digest``; this module only moves values between them and
the store.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.alert_pass import evaluate_budgeted
from bot.config import Config
from bot.deliver.tokens import unsubscribe_url
from bot.deliver.worker import DrainReport, build_channels, close_channels, drain
from bot.digest.archive import write_archive
from bot.digest.chart import capex_chart
from bot.digest.rank import DEFAULT as DEFAULT_WEIGHTS
from bot.digest.rank import Weights
from bot.digest.render import render_message
from bot.digest.select import digest_facts, select_digest, select_from_facts
from bot.errors import RuleError, SourceError
from bot.extract import extract, load_lexicon
from bot.extract.approx import ApproxDate
from bot.extract.entities import Lexicon
from bot.extract.keyfig import key_figures
from bot.extract.periods import dateline
from bot.models import Alert, Figure, Item, OutboxEntry, Period, Rule, Subscriber
from bot.outbox import entry_key, plan
from bot.rules.message import render_alert, render_alerts
from bot.rules.parse import parse_rule
from bot.secret_key import with_secret_key
from bot.sources.archive import load_folder
from bot.store.conn import aware
from bot.store.store import Store

if TYPE_CHECKING:
    from bot.sources.poll import ParsePool
    from bot.store.feeds import FeedRow

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as long work advances (the CLI draws bars with it)."""


def _noop(step: str, done: int, total: int) -> None:
    return None


@dataclass
class IngestReport:
    files: int = 0
    items_seen: int = 0
    new_items: int = 0
    changed_items: int = 0
    figures: int = 0
    warnings: list[str] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)
    quiet_item_ids: set[str] = field(default_factory=set)
    """Items that must not alert (a newly added feed's backlog)."""
    errors: list[str] = field(default_factory=list)
    """Sources that could not be read at all (everything else was stored)."""

    def merge(self, other: IngestReport) -> None:
        self.items_seen += other.items_seen
        self.new_items += other.new_items
        self.changed_items += other.changed_items
        self.figures += other.figures
        self.warnings += other.warnings
        self.errors += other.errors
        self.item_ids += other.item_ids


@dataclass
class AlertReport:
    rules: int = 0
    fired: int = 0
    queued: int = 0
    alerts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class DigestReport:
    periods: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    queued: int = 0


@dataclass
class OnceReport:
    ingest: IngestReport
    alerts: AlertReport
    digest: DigestReport
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    sent: DrainReport | None = None

    @property
    def rows_added(self) -> int:
        return sum(self.counts_after.values()) - sum(self.counts_before.values())


_lexicons: dict[Path | None, Lexicon] = {}


def anchor_date(item: Item) -> date | None:
    """The date an item's relative periods ("明年", "this year", "本季") are read against: its
    source's date, or for an item its source gave no date the article's own dateline; with
    neither, the fetch date as an approximate one (it places "Q3" in a year, but "明年" is left
    open rather than read against a guess)."""
    if not item.date_is_fallback:
        return item.published.date()
    fetched = item.published.date()
    return dateline(item.text, fetched) or ApproxDate(fetched.year, fetched.month, fetched.day)


def lexicon_for(config: Config) -> Lexicon:
    """The entity lexicon (built-ins + config/entities.toml), loaded once per path."""
    path = config.entities_path
    if path is not None and not path.exists():
        path = None
    if path not in _lexicons:
        _lexicons[path] = load_lexicon(path)
    return _lexicons[path]


async def store_items(
    store: Store,
    config: Config,
    items: Sequence[Item],
    progress: Progress = _noop,
    *,
    quiet: Collection[str] = (),
) -> IngestReport:
    """Store items once, each with its figures in the same transaction (a kill mid-ingest never
    leaves an item without figures). Only items not stored yet, or whose content changed, are
    extracted; an item another process stores at the same moment is stored once (the store's
    ``ON CONFLICT DO NOTHING``). ``quiet``: ids whose figures must not alert (a feed's backlog).
    """
    report = IngestReport(items_seen=len(items))
    known = await store.content_hashes(i.id for i in items)
    todo = list({i.id: i for i in items if known.get(i.id) != i.content_hash}.values())
    lexicon = lexicon_for(config)
    pairs: list[tuple[Item, Sequence[Figure]]] = []
    for n, item in enumerate(todo, 1):
        figs = extract(
            item.text,
            published=anchor_date(item),
            lang=item.lang,
            rates=config.rates,
            lexicon=lexicon,
            title=item.title,
        )
        pairs.append((item, key_figures(figs, item.text)))
        progress("extract", n, len(todo))
    result = await store.store_items(pairs, quiet=quiet)
    report.new_items, report.changed_items = len(result.new), len(result.changed)
    count = {i.id: len(f) for i, f in pairs}
    for item in [*result.new, *result.changed]:
        report.figures += count[item.id]
        report.item_ids.append(item.id)
    report.quiet_item_ids |= set(quiet) & set(report.item_ids)
    return report


async def ingest_feeds(
    store: Store,
    config: Config,
    *,
    now: datetime,
    only_due: bool = False,
    progress: Progress = _noop,
    parse_pool: ParsePool | None = None,
    feeds: list[FeedRow] | None = None,
    store_lock: asyncio.Lock | None = None,
    sync: bool = True,
) -> IngestReport:
    """Poll the feeds (configured and added at run time); store and extract each feed's entries.

    ``feeds``: only these (the service polls each due feed on its own, so a slow one delays no
    other); ``store_lock`` is held while a feed's entries are stored (not while fetching; a lock
    of this pass when not given, so feeds' items never file facts concurrently);
    ``sync=False`` skips adding the configured feeds first.

    Feeds are parsed in ``parse_pool`` when given (the service keeps one), else in a pool made
    for this pass when ``[polling] parse_workers`` asks for one, else in a thread.

    Items are stored inside the poll (``on_items``), before the feed's ETag/Last-Modified are
    saved: if storing fails, the next poll fetches the feed whole instead of getting a 304.
    """
    from bot.sources.poll import FeedItems, ParsePool, poll_feeds

    report = IngestReport()
    # Feeds are polled side by side, but their items are stored one feed at a time: two feeds
    # filing the same fact at once would each miss the other's new fact (``assign_facts`` reads
    # the known facts, then inserts) and file it twice — the same news then shows as two facts.
    lock = store_lock or asyncio.Lock()

    async def sink(batch: FeedItems) -> None:
        async with lock:
            got = await store_items(store, config, batch.items, quiet=batch.backlog_ids)
        report.merge(got)
        report.quiet_item_ids |= got.quiet_item_ids

    if sync:
        await store.feeds.sync_from_config(config.file.feeds)
    workers = config.file.polling.parse_workers
    own_pool = ParsePool(workers) if parse_pool is None and workers > 0 else None
    try:
        polled = await poll_feeds(
            store.feeds,
            now=now,
            allow_private=config.env.allow_private_feeds,
            default_poll_minutes=config.file.schedule.feed_poll_minutes,
            only_due=only_due,
            on_progress=lambda done, total: progress("feeds", done, total),
            on_items=sink,
            parse_executor=parse_pool or own_pool,
            feeds=feeds,
        )
    finally:
        if own_pool is not None:
            own_pool.close()
    report.files = len(polled.results)
    report.warnings += [*polled.warnings, *(f"{r.url}: {r.error}" for r in polled.failed)]
    return report


async def ingest_archive(
    store: Store, config: Config, path: Path | None = None, progress: Progress = _noop
) -> IngestReport:
    """Load every briefing under the archive folder (or ``path``) into the store."""
    folder = path or config.archive_path
    if not folder.exists():
        raise SourceError(f"archive folder {folder} not found (create it or set [archive] path)")
    loaded = load_folder(folder)
    report = await store_items(store, config, loaded.items, progress)
    report.files = loaded.files
    report.warnings = loaded.warnings
    report.errors = loaded.errors
    return report


def parse_rules(texts: Sequence[tuple[int, str, int | None]]) -> tuple[list[Rule], list[str]]:
    """Parse stored rule texts; a rule that no longer parses is reported, not fatal."""
    rules, warnings = [], []
    for rule_id, text, sub_id in texts:
        try:
            rules.append(
                parse_rule(text).model_copy(update={"id": rule_id, "subscriber_id": sub_id})
            )
        except RuleError as e:
            warnings.append(f"rule {rule_id} {text!r}: {e}")
    return rules, warnings


async def evaluate_alerts(
    store: Store, config: Config, *, now: datetime, quiet_item_ids: Collection[str] = ()
) -> AlertReport:
    """Evaluate the figures no alert pass has seen yet and queue what fired (once per fact).

    Store-driven: the new figures are the ones not marked evaluated, whoever stored them (this
    process, ``briefbot ingest`` in another, a replica), so each is evaluated by one pass and
    then marked. No new figure: nothing to do. The rules are evaluated over the figures stored
    in the last ``[alerts] lookback_days`` (the other sources of a fact), with the facts already
    fired left out, so an alert needs no new figure to be recorded but is only queued once.
    Figures older than the window are not read (nor marked).

    Default rules (from the config, no subscriber) alert on the file channel
    (``digests/alerts.log``); subscribers' rules alert on their channels, in their language.
    Alerts whose every source is quiet (stored as a new feed's backlog, or in
    ``quiet_item_ids``) are recorded as fired but not sent.
    """
    report = AlertReport()
    # Stored time is wall-clock time (the store's), not the service clock ``now``.
    since = datetime.now(UTC) - timedelta(days=config.file.alerts.lookback_days)
    new = await store.unevaluated(stored_since=since)
    for rc in config.file.rules:
        await store.ensure_rule(rc.text)
    rows = [r for r in await store.rules(all_=True) if not r["paused"]]
    rules, report.warnings = parse_rules([(r["id"], r["text"], r["subscriber_id"]) for r in rows])
    report.rules = len(rules)
    if not new:
        return report
    if rules:
        figures = await store.figures(stored_since=since)
        already = await store.fired([r.id for r in rules if r.id is not None])
        history = await store.facts(entities={f.figure.entity or "" for f in figures})
        alerts = await evaluate_budgeted(
            store,
            config,
            rules,
            figures,
            already,
            now=now,
            warnings=report.warnings,
            history=history,
        )
        report.fired = await store.record_alerts(
            [(a.key, a.rule.id or 0, a.figure.key, a.figures[0].id) for a in alerts]
        )
        created = {r["id"]: aware(r["created_at"]) for r in rows}
        quiet = set(quiet_item_ids) | await store.quiet_items(
            f.item_id for a in alerts for f in a.figures
        )
        loud = [
            a
            for a in alerts
            if not all(f.item_id in quiet for f in a.figures) and not _before_rule(a, created)
        ]
        report.alerts = [render_alert(a, "en").text for a in loud]
        report.queued = await _queue_alerts(store, config, loud, now)
    await store.mark_evaluated(new, datetime.now(UTC))
    return report


def _before_rule(alert: Alert, created: dict[int, datetime | None]) -> bool:
    """A subscriber's new rule alerts on what arrives after it, not on the stored history
    (``alerts test`` and the reply to ``/alert add`` show that); default rules alert on all."""
    since = created.get(alert.rule.id or 0)
    if alert.rule.subscriber_id is None or since is None:
        return False
    return all(f.stored_at is not None and f.stored_at < since for f in alert.figures)


async def _queue_alerts(
    store: Store, config: Config, alerts: Sequence[Alert], now: datetime
) -> int:
    by_sub: dict[int | None, list[Alert]] = defaultdict(list)
    for a in alerts:
        by_sub[a.rule.subscriber_id].append(a)
    entries: list[OutboxEntry] = []
    available = set(config.file.channels.enabled) - {"file"}
    for sub_id, group in by_sub.items():
        if sub_id is None:
            entries += plan(render_alerts(group, "en"), [], channels={"file"}, now=now)
            continue
        sub = await store.subscribers.get(sub_id)
        if sub is not None:
            entries += plan(render_alerts(group, sub.lang), [sub], channels=available, now=now)
    return await store.outbox.enqueue(entries, now) if entries else 0


async def build_digests(
    store: Store,
    config: Config,
    *,
    periods: Sequence[Period] | None = None,
    out: Path | None = None,
    force: bool = False,
    progress: Progress = _noop,
) -> DigestReport:
    """Write the archive digest of each period that has items and no digest yet (or ``periods``)."""
    report = DigestReport()
    out_dir = out or config.digests_path
    if periods is None:
        seen = {Period.of(p.date()) for p in await store.item_periods()}
        periods = sorted(seen, key=lambda p: p.key)
    todo = []
    for p in periods:
        if force or out is not None or not await store.digest_built(p.key):
            todo.append(p)
        else:
            report.skipped.append(p.key)
    for n, p in enumerate(todo, 1):
        start = datetime(*p.start().timetuple()[:3], tzinfo=UTC)
        figs = await store.figures(since=start, until=start + timedelta(days=7))
        history = await store.facts(first_before=start)
        digest = select_digest(figs, p, history=history, weights=config.file.digests.rank.weights())
        paths = write_archive(digest, out_dir)
        report.files.extend(paths)
        report.periods.append(p.key)
        if out is None:
            items = len({f.item_id for f in figs})
            await store.record_digest(p.key, items, len(figs), [x.name for x in paths])
        progress("digest", n, len(todo))
    return report


async def enqueue_digest(
    store: Store,
    config: Config,
    period: Period,
    *,
    now: datetime,
    channel: str | None = None,
    subscribers: Sequence[Subscriber] | AsyncIterator[list[Subscriber]] | None = None,
    batch: int = 1000,
) -> int:
    """Queue ``period``'s digest for each active subscriber (personalised: language, interests).

    Streams: subscribers go in batches of ``batch`` (render, enqueue, next), so memory stays
    flat however many there are (``subscribers`` may be an async iterator of batches, as
    ``SubscriberRepo.pages_in_slot_groups`` yields them). Each variant (language, followed
    entities and metrics, with or without a manage link) is rendered once and its body, chart
    included, stored once (``message_bodies``); a subscriber's outbox row holds a reference
    and their own links only. The outbox key ``digest:<period>:sub-<id>:<channel>`` makes this
    idempotent.
    """
    config = await with_secret_key(config, store)
    if subscribers is None:
        subscribers = await store.subscribers.list_active()
    channels = {channel} if channel else set(config.file.channels.enabled) - {"file"}
    start = datetime(*period.start().timetuple()[:3], tzinfo=UTC)
    facts = None
    variants: dict[tuple[object, ...], str] = {}
    queued = 0
    async for group in _batches(subscribers, batch):
        wanted = {
            entry_key(f"digest:{period.key}", ch, sub): sub.id
            for sub in group
            for ch in channels
            if ch in sub.channels
        }
        done = await store.outbox.existing(wanted)
        todo = {sid for key, sid in wanted.items() if key not in done}
        group = [s for s in group if s.id in todo]  # already queued: no need to render again
        if not group:
            continue
        if facts is None:
            figs = await store.figures(since=start, until=start + timedelta(days=7))
            if not figs:
                return 0
            history = await store.facts(first_before=start)
            facts = digest_facts(
                figs, period, history=history, weights=config.file.digests.rank.weights()
            )
        bodies: dict[str, dict[str, object]] = {}
        entries: list[OutboxEntry] = []
        for sub in group:
            ck = (sub.lang, sub.follow_entities, sub.follow_metrics, bool(sub.email))
            body_key = variants.get(ck)
            if body_key is None:
                body_key, bodies[body_key] = _render_variant(
                    facts, period, ck, config.file.digests.rank.weights()
                )
                variants[ck] = body_key
            entries += _plan_shared(config, sub, period, body_key, channels, now)
        await store.outbox.put_bodies(bodies, now)
        queued += await store.outbox.enqueue(entries, now) if entries else 0
        await asyncio.sleep(0)  # a batch is a few ms of CPU: let the senders run between them
    return queued


async def _batches(
    subs: Sequence[Subscriber] | AsyncIterator[list[Subscriber]], size: int
) -> AsyncIterator[list[Subscriber]]:
    if isinstance(subs, Sequence):
        for i in range(0, len(subs), size):
            yield list(subs[i : i + size])
        return
    async for page in subs:
        for i in range(0, len(page), size):
            yield page[i : i + size]


def _render_variant(
    facts: object, period: Period, ck: tuple[object, ...], weights: Weights | None = None
) -> tuple[str, dict[str, object]]:
    """One digest variant rendered with the placeholder links: (body key, body payload)."""
    from bot.outbox import SHARED_MANAGE, SHARED_UNSUB, encode_message

    lang, follow_entities, follow_metrics, has_email = ck
    d = select_from_facts(
        facts,  # type: ignore[arg-type]
        period,
        lang=lang,  # type: ignore[arg-type]
        follow_entities=follow_entities,  # type: ignore[arg-type]
        follow_metrics=follow_metrics,  # type: ignore[arg-type]
        top_per_entity=(weights or DEFAULT_WEIGHTS).top_per_entity,
        top_related=(weights or DEFAULT_WEIGHTS).top_related,
        related_min=(weights or DEFAULT_WEIGHTS).related_min,
    )
    msg = render_message(
        d,
        lang,  # type: ignore[arg-type]
        chart_png=capex_chart(d, lang),  # type: ignore[arg-type]
        unsubscribe_url=SHARED_UNSUB,
        manage_url=SHARED_MANAGE if has_email else None,
    )
    tag = hashlib.sha256(repr(ck).encode()).hexdigest()[:16]
    return f"{msg.key}:v-{tag}", encode_message(msg)


def _plan_shared(
    config: Config,
    sub: Subscriber,
    period: Period,
    body_key: str,
    channels: Collection[str],
    now: datetime,
) -> list[OutboxEntry]:
    """The rows of one subscriber's digest: a reference to the shared body + their links."""
    from bot.outbox import recipient_of, shared_payload
    from bot.web.links import manage_url

    env = config.env
    payload = shared_payload(
        body_key,
        unsubscribe_url(env.public_url, sub.id, env.secret_key, sub.token_version),
        (
            manage_url(env.public_url, env.secret_key, sub.id, sub.email, now, sub.token_version)
            if sub.email
            else None
        ),
        sub.token_version,
    )
    out = []
    for ch in sub.channels:
        if ch == "file" or ch not in channels:
            continue
        rcpt = recipient_of(sub, ch)
        if rcpt is None:
            continue
        out.append(
            OutboxEntry(
                key=entry_key(f"digest:{period.key}", ch, sub),
                channel=ch,
                recipient=rcpt,
                subscriber_id=sub.id,
                payload=payload,
            )
        )
    return out


async def enqueue_due_digests(store: Store, config: Config, *, now: datetime) -> int:
    """Queue the weekly digest for every subscriber whose local send time has passed (grace).

    Due subscribers are found by a query: the distinct slot groups (timezone, weekday, time)
    are few; only the subscribers of the groups that are due are read."""
    from bot.service.schedule import due_groups

    grace = timedelta(hours=config.file.schedule.missed_digest_grace_hours)
    due = due_groups(await store.subscribers.slot_groups(), now, grace)
    by_period: dict[Period, list[tuple[str, int, str]]] = defaultdict(list)
    for group, period, _slot in due:
        by_period[period].append(group)
    queued = 0
    for period, groups in by_period.items():
        pages = store.subscribers.pages_in_slot_groups(groups)
        queued += await enqueue_digest(store, config, period, now=now, subscribers=pages)
    return queued


async def drain_outbox(store: Store, config: Config, *, now: datetime) -> DrainReport:
    """Send everything due on the channels whose credentials are set."""
    channels = build_channels(await with_secret_key(config, store))
    try:
        return await drain(store.outbox, channels, store.subscribers, now=now)
    finally:
        await close_channels(channels)


async def run_once(
    store: Store, config: Config, *, now: datetime, progress: Progress = _noop
) -> OnceReport:
    """One pass of every job: ingest archive and feeds, alert, build digests, drain the outbox."""
    before = await store.counts()
    ingest = await ingest_archive(store, config, progress=progress)
    quiet: set[str] = set()
    if config.file.feeds or before.get("feeds"):
        feeds = await ingest_feeds(store, config, now=now, only_due=True, progress=progress)
        quiet = feeds.quiet_item_ids
        ingest.merge(feeds)
    alerts = await evaluate_alerts(store, config, now=now, quiet_item_ids=quiet)
    digest = await build_digests(store, config, progress=progress)
    digest.queued = await enqueue_due_digests(store, config, now=now)
    sent = await drain_outbox(store, config, now=now)
    after = await store.counts()
    return OnceReport(ingest, alerts, digest, before, after, sent)
