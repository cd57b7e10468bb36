"""The store: items, figures, rules, fired alerts and digests (async, SQLite or PostgreSQL).

Returns values from ``bot.models``; callers never see rows or sessions. Writes are idempotent:
re-storing an item with the same id and content changes nothing, so a second ingest adds no rows.
Outbox, subscribers and feed state live in their own modules beside this one and share its engine.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import facts as factlib
from bot.facts import Fact, FactId
from bot.models import Figure, Item, StoredFigure
from bot.store import db
from bot.store import schema as t
from bot.store.conn import Guard, aware, insert_ignore, now_utc
from bot.store.feeds import FeedRepo
from bot.store.outbox import OutboxRepo
from bot.store.replicas import ReplicaRepo
from bot.store.subscribers import SubscriberRepo

_CHUNK = 200


@dataclass(frozen=True)
class UpsertResult:
    new: list[Item]
    changed: list[Item]
    unchanged: int


class Store:
    """Owns the engine. ``async with Store.open(url) as store:`` migrates and disposes."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        return cls(db.create_engine(url))

    async def __aenter__(self) -> Store:
        await self.upgrade()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @cached_property
    def outbox(self) -> OutboxRepo:
        return OutboxRepo(self.engine)

    @cached_property
    def subscribers(self) -> SubscriberRepo:
        return SubscriberRepo(self.engine)

    @cached_property
    def feeds(self) -> FeedRepo:
        return FeedRepo(self.engine)

    @cached_property
    def replicas(self) -> ReplicaRepo:
        return ReplicaRepo(self.engine)

    async def upgrade(self) -> None:
        await db.upgrade(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        """One round trip to the database (StoreUnavailable / StoreError if it fails)."""
        async with Guard(self.engine, begin=False) as conn:
            await conn.execute(select(1))

    # ---- items and figures -------------------------------------------------------------

    async def upsert_items(self, new_items: Sequence[Item]) -> UpsertResult:
        """Insert new items, update those whose content changed; report which were which.

        Idempotent under concurrency: ``INSERT ... ON CONFLICT DO NOTHING`` (an item another
        process stored a moment ago is "unchanged" here, never an error). Figures are left alone;
        ``store_items`` stores items and their figures together."""
        return await self.store_items([(i, None) for i in new_items])

    async def content_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """``{item id: content hash}`` of the stored items among ``ids`` (what needs extracting)."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        async with self._connect() as conn:
            for i in range(0, len(wanted), _CHUNK):
                rows = await conn.execute(
                    select(t.items.c.id, t.items.c.content_hash).where(
                        t.items.c.id.in_(wanted[i : i + _CHUNK])
                    )
                )
                out.update(rows.tuples().all())
        return out

    async def store_items(
        self,
        pairs: Sequence[tuple[Item, Sequence[Figure] | None]],
        *,
        quiet: Collection[str] = (),
    ) -> UpsertResult:
        """Store items with their figures: each item and its figures in the same transaction.

        An item not stored yet is inserted (``ON CONFLICT DO NOTHING``: when another process
        inserts it first, it counts as unchanged here and that process writes the figures); a
        stored item whose content hash differs is updated and its figures replaced. ``None``
        figures: the item only (figures untouched). Figures of items in ``quiet`` are stored as
        quiet (a new feed's backlog: alerts are recorded, not sent). A kill at any point leaves
        every stored item with its figures. Work is committed in chunks of ``_CHUNK`` items."""
        if not pairs:
            return UpsertResult([], [], 0)
        unique = list({i.id: (i, f) for i, f in pairs}.values())
        new: list[Item] = []
        changed: list[Item] = []
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            async with self._begin() as conn:
                n, c = await _store_chunk(conn, chunk, quiet)
            new += n
            changed += c
            has_figs = {i.id for i, f in chunk if f is not None}
            with_figs = [i.id for i in [*n, *c] if i.id in has_figs]
            if with_figs:  # each figure points at its fact (bot.facts), as replace_figures does
                await self.assign_facts(await self.figures(item_ids=with_figs))
        return UpsertResult(new, changed, len(unique) - len(new) - len(changed))

    async def replace_figures(self, item_id: str, figs: Sequence[Figure]) -> list[StoredFigure]:
        """The item's figures become exactly ``figs`` (re-extraction after a content change),
        each pointing at its fact (:meth:`assign_facts`)."""
        async with self._begin() as conn:
            await _replace_figures(conn, item_id, figs, quiet=False)
        return await self.assign_facts(await self.figures(item_ids=[item_id]))

    async def assign_facts(self, stored: Sequence[StoredFigure]) -> list[StoredFigure]:
        """Point each figure at its fact (``bot.facts.same_fact``), creating facts as needed.

        A fact's ``first_published`` is its earliest mention's; the same fact reported again
        (another outlet, label or week) gets the same id, so memory survives restarts.
        """
        todo = [sf for sf in stored if sf.fact_id is None]
        if not todo:
            return list(stored)
        fids = {sf.id: FactId.of(sf.figure, sf.item_title) for sf in todo}
        # the facts of their subjects, and of the companies their sentences name (a deal is one
        # fact whichever side a mention files it under: bot.facts)
        entities = {f.entity for f in fids.values()}
        entities |= {e for f in fids.values() if not f.is_change for e in f.named}
        async with self._begin() as conn:
            rows = await conn.execute(select(t.facts).where(t.facts.c.entity_key.in_(entities)))
            known = [_fact_from_row(r) for r in rows.mappings().all()]
            assigned: dict[int, int] = {}
            for sf in sorted(todo, key=lambda x: (x.published, x.id)):
                fid = fids[sf.id]
                fact = factlib.match(fid, known)
                if fact is None:
                    f = sf.figure
                    res = await conn.execute(
                        t.facts.insert().values(
                            entity_key=fid.entity,
                            entity=f.entity,
                            metric=f.metric,
                            value=f.value,
                            low=f.low,
                            unit=f.unit,
                            period=f.period,
                            is_change=f.is_change,
                            kind=f.kind,
                            qualifier=f.qualifier,
                            first_published=sf.published,
                        )
                    )
                    fact = Fact(
                        id=int(res.inserted_primary_key[0]),  # type: ignore[index]
                        entity=f.entity,
                        metric=f.metric,
                        value=f.value,
                        unit=f.unit,
                        period=f.period,
                        is_change=f.is_change,
                        kind=f.kind,
                        first_published=sf.published,
                        low=f.low,
                        qualifier=f.qualifier,
                    )
                    known.append(fact)
                elif sf.published < fact.first_published:
                    await conn.execute(
                        update(t.facts)
                        .where(t.facts.c.id == fact.id)
                        .values(first_published=sf.published)
                    )
                    known[known.index(fact)] = fact = _replace_first(fact, sf.published)
                assigned[sf.id] = fact.id
            await conn.execute(
                update(t.figures)
                .where(t.figures.c.id == bindparam("figure_id"))
                .values(fact_id=bindparam("fact")),
                [{"figure_id": k, "fact": v} for k, v in assigned.items()],
            )
        return [
            sf.model_copy(update={"fact_id": assigned[sf.id]}) if sf.id in assigned else sf
            for sf in stored
        ]

    async def rebuild_facts(self) -> int:
        """Forget every figure's fact and assign them all again, oldest first (after the rules of
        ``bot.facts`` changed); returns the number of facts. Fired alerts are remembered by the
        figures' keys, not by fact ids, so they are unaffected."""
        async with self._begin() as conn:
            await conn.execute(update(t.figures).values(fact_id=None))
            await conn.execute(delete(t.facts))
        await self.assign_facts(await self.figures())
        async with self._connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(t.facts))).scalar_one())

    async def facts(
        self, *, first_before: datetime | None = None, entities: Iterable[str] | None = None
    ) -> list[Fact]:
        """Stored facts (first reported before ``first_before``; of these entities), oldest first."""
        q = select(t.facts).order_by(t.facts.c.first_published, t.facts.c.id)
        if first_before is not None:
            q = q.where(t.facts.c.first_published < first_before)
        if entities is not None:
            keys = {factlib.norm_entity(e) for e in entities} | {factlib.AGGREGATE}
            q = q.where(t.facts.c.entity_key.in_(keys))
        async with self._connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [_fact_from_row(r) for r in rows]

    async def figures(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        item_ids: Iterable[str] | None = None,
        entity: str | None = None,
        limit: int | None = None,
        stored_since: datetime | None = None,
    ) -> list[StoredFigure]:
        """Stored figures, newest item first, then in text order.

        ``since``/``until`` bound the item's publication time; ``stored_since`` the time its
        figures were stored (the item was first stored or last changed).
        """
        q = select(
            t.figures.c.id,
            t.figures.c.item_id,
            t.figures.c.data,
            t.items.c.title,
            t.items.c.url,
            t.items.c.source,
            t.items.c.published,
            t.items.c.updated_at,
            t.figures.c.fact_id,
        ).join(t.items, t.items.c.id == t.figures.c.item_id)
        conds = []
        if since is not None:
            conds.append(t.items.c.published >= since)
        if until is not None:
            conds.append(t.items.c.published < until)
        if stored_since is not None:
            conds.append(t.items.c.updated_at >= stored_since)
        if item_ids is not None:
            conds.append(t.figures.c.item_id.in_(list(item_ids)))
        if entity is not None:
            conds.append(func.lower(t.figures.c.entity) == entity.lower())
        if conds:
            q = q.where(and_(*conds))
        q = q.order_by(t.items.c.published.desc(), t.figures.c.item_id, t.figures.c.ordinal)
        if limit is not None:
            q = q.limit(limit)
        async with self._connect() as conn:
            rows = (await conn.execute(q)).all()
        return [
            StoredFigure(
                id=r.id,
                figure=Figure.model_validate({**r.data, "item_id": r.item_id}),
                item_id=r.item_id,
                item_title=r.title,
                item_url=r.url,
                item_source=r.source,
                published=aware(r.published),
                stored_at=aware(r.updated_at),
                fact_id=r.fact_id,
            )
            for r in rows
        ]

    async def unevaluated(self, *, stored_since: datetime, limit: int = 50_000) -> list[int]:
        """Ids of figures no alert pass has evaluated yet, stored since ``stored_since``, oldest
        first: whoever stored them (this process, ``briefbot ingest`` in another one, a replica).
        """
        q = (
            select(t.figures.c.id)
            .join(t.items, t.items.c.id == t.figures.c.item_id)
            .where(t.figures.c.evaluated_at.is_(None), t.items.c.updated_at >= stored_since)
            .order_by(t.figures.c.id)
            .limit(limit)
        )
        async with self._connect() as conn:
            return list((await conn.execute(q)).scalars().all())

    async def mark_evaluated(self, ids: Sequence[int], now: datetime) -> None:
        """Record that an alert pass evaluated these figures (and queued what they fired)."""
        async with self._begin() as conn:
            for i in range(0, len(ids), _CHUNK * 5):
                await conn.execute(
                    update(t.figures)
                    .where(t.figures.c.id.in_(list(ids[i : i + _CHUNK * 5])))
                    .values(evaluated_at=now)
                )

    async def quiet_items(self, item_ids: Iterable[str]) -> set[str]:
        """The items among ``item_ids`` stored as quiet (a new feed's backlog)."""
        wanted = list(dict.fromkeys(item_ids))
        out: set[str] = set()
        async with self._connect() as conn:
            for i in range(0, len(wanted), _CHUNK):
                q = select(t.figures.c.item_id).where(
                    t.figures.c.item_id.in_(wanted[i : i + _CHUNK]), t.figures.c.quiet.is_(True)
                )
                out.update((await conn.execute(q.distinct())).scalars().all())
        return out

    async def items(self, *, since: datetime | None = None, limit: int | None = None) -> list[Item]:
        q = select(t.items).order_by(t.items.c.published.desc())
        if since is not None:
            q = q.where(t.items.c.published >= since)
        if limit is not None:
            q = q.limit(limit)
        async with self._connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [_item_from_row(r) for r in rows]

    async def item_periods(self) -> list[datetime]:
        """Publication times of all items (for finding periods that need a digest)."""
        async with self._connect() as conn:
            rows = await conn.execute(select(t.items.c.published))
            return [aware(r) for r in rows.scalars().all()]  # type: ignore[misc]

    # ---- rules and fired alerts --------------------------------------------------------

    async def ensure_rule(self, text: str, subscriber_id: int | None = None) -> int:
        """Id of the rule with this text for this subscriber, creating it if needed."""
        async with self._begin() as conn:
            q = select(t.rules.c.id).where(t.rules.c.text == text)
            q = q.where(
                t.rules.c.subscriber_id.is_(None)
                if subscriber_id is None
                else t.rules.c.subscriber_id == subscriber_id
            )
            found = (await conn.execute(q)).scalar()
            if found is not None:
                return int(found)
            res = await conn.execute(
                t.rules.insert().values(
                    text=text, subscriber_id=subscriber_id, paused=False, created_at=now_utc()
                )
            )
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    async def rules(
        self, subscriber_id: int | None = None, *, all_: bool = False
    ) -> list[dict[str, Any]]:
        """Rule rows as dicts (id, subscriber_id, text, paused): parsing is the caller's job."""
        q = select(t.rules).order_by(t.rules.c.id)
        if not all_:
            q = q.where(
                t.rules.c.subscriber_id.is_(None)
                if subscriber_id is None
                else t.rules.c.subscriber_id == subscriber_id
            )
        async with self._connect() as conn:
            return [dict(r) for r in (await conn.execute(q)).mappings().all()]

    async def set_rule_paused(self, rule_id: int, paused: bool, subscriber_id: int | None) -> bool:
        async with self._begin() as conn:
            res = await conn.execute(
                update(t.rules)
                .where(t.rules.c.id == rule_id, t.rules.c.subscriber_id == subscriber_id)
                .values(paused=paused)
            )
            return bool(res.rowcount)

    async def delete_rule(self, rule_id: int, subscriber_id: int | None) -> bool:
        async with self._begin() as conn:
            res = await conn.execute(
                delete(t.rules).where(
                    t.rules.c.id == rule_id, t.rules.c.subscriber_id == subscriber_id
                )
            )
            return bool(res.rowcount)

    async def fired(self, rule_ids: Iterable[int]) -> dict[str, datetime]:
        """Alert keys already fired for these rules, with when."""
        async with self._connect() as conn:
            rows = await conn.execute(
                select(t.alerts.c.key, t.alerts.c.fired_at).where(
                    t.alerts.c.rule_id.in_(list(rule_ids))
                )
            )
            return {k: aware(v) for k, v in rows.tuples().all()}  # type: ignore[misc]

    async def record_alerts(self, fired: Sequence[tuple[str, int, str, int | None]]) -> int:
        """Record (key, rule_id, fact_key, figure_id) as fired; returns how many were new."""
        if not fired:
            return 0
        now = now_utc()
        rows = [
            {"key": k, "rule_id": r, "fact_key": f, "figure_id": fid, "fired_at": now}
            for k, r, f, fid in fired
        ]
        async with self._begin() as conn:
            res = await conn.execute(insert_ignore(conn, t.alerts, rows, "key"))
            return max(res.rowcount or 0, 0)

    # ---- digests -----------------------------------------------------------------------

    async def digest_built(self, period: str) -> bool:
        async with self._connect() as conn:
            q = select(t.digests.c.period).where(t.digests.c.period == period)
            return (await conn.execute(q)).first() is not None

    async def record_digest(self, period: str, items: int, figures: int, files: list[str]) -> None:
        async with self._begin() as conn:
            await conn.execute(
                insert_ignore(
                    conn,
                    t.digests,
                    [
                        {
                            "period": period,
                            "built_at": now_utc(),
                            "items": items,
                            "figures": figures,
                            "files": files,
                        }
                    ],
                    "period",
                )
            )

    # ---- counts ------------------------------------------------------------------------

    async def counts(self) -> dict[str, int]:
        out = {}
        async with self._connect() as conn:
            for name in (
                "items",
                "figures",
                "subscribers",
                "rules",
                "alerts",
                "outbox",
                "feeds",
                "digests",
            ):
                table = t.metadata.tables[name]
                out[name] = int(
                    (await conn.execute(select(func.count()).select_from(table))).scalar() or 0
                )
        return out

    # ---- plumbing ----------------------------------------------------------------------

    def _begin(self) -> Guard:
        return Guard(self.engine, begin=True)

    def _connect(self) -> Guard:
        return Guard(self.engine, begin=False)


async def _store_chunk(
    conn: AsyncConnection,
    chunk: Sequence[tuple[Item, Sequence[Figure] | None]],
    quiet: Collection[str],
) -> tuple[list[Item], list[Item]]:
    """One transaction's work for ``store_items``: (inserted, updated) items."""
    now = now_utc()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    ins = (
        dialect.insert(t.items)
        .values([dict(_item_row(i), stored_at=now, updated_at=now) for i, _ in chunk])
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(t.items.c.id)
    )
    inserted = set((await conn.execute(ins)).scalars().all())
    new: list[Item] = []
    changed: list[Item] = []
    for item, figs in chunk:
        if item.id in inserted:
            new.append(item)
        else:
            # stored before (or by another process just now): update only if the content moved
            res = await conn.execute(
                update(t.items)
                .where(t.items.c.id == item.id, t.items.c.content_hash != item.content_hash)
                .values(**_item_row(item), updated_at=now)
            )
            if not res.rowcount:
                continue
            changed.append(item)
        if figs is not None:
            await _replace_figures(conn, item.id, figs, quiet=item.id in quiet)
    return new, changed


async def _replace_figures(
    conn: AsyncConnection, item_id: str, figs: Sequence[Figure], *, quiet: bool
) -> None:
    await conn.execute(delete(t.figures).where(t.figures.c.item_id == item_id))
    if figs:
        await conn.execute(
            t.figures.insert(),
            [dict(_figure_row(item_id, n, f), quiet=quiet) for n, f in enumerate(figs)],
        )


def _item_row(i: Item) -> dict[str, Any]:
    return {
        "id": i.id,
        "source": i.source,
        "title": i.title,
        "url": i.url,
        "published": i.published,
        "lang": i.lang,
        "text": i.text,
        "paragraphs": list(i.paragraphs),
        "content_hash": i.content_hash,
        "date_is_fallback": i.date_is_fallback,
    }


def _item_from_row(r: Any) -> Item:
    return Item(
        id=r["id"],
        source=r["source"],
        title=r["title"],
        url=r["url"],
        published=aware(r["published"]),
        lang=r["lang"],
        text=r["text"],
        paragraphs=tuple(r["paragraphs"]),
        content_hash=r["content_hash"],
        date_is_fallback=r["date_is_fallback"],
    )


def _fact_from_row(r: Any) -> Fact:
    return Fact(
        id=r["id"],
        entity=r["entity"],
        metric=r["metric"],
        value=r["value"],
        unit=r["unit"],
        period=r["period"],
        is_change=r["is_change"],
        kind=r["kind"],
        first_published=aware(r["first_published"]),  # type: ignore[arg-type]
        low=r["low"],
        qualifier=r["qualifier"],
    )


def _replace_first(fact: Fact, when: datetime) -> Fact:
    return replace(fact, first_published=when)


def _figure_row(item_id: str, n: int, f: Figure) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "ordinal": n,
        "fact_key": f.key,
        "entity": f.entity,
        "metric": f.metric,
        "value": f.value,
        "unit": f.unit,
        "usd_value": f.usd_value,
        "period": f.period,
        "is_change": f.is_change,
        "data": f.to_json_dict(),
    }
