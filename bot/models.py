"""Value objects that flow through Briefbot: source -> Item -> Figure -> (Alert | Digest) -> Message.

All are frozen pydantic models so they can be hashed, compared, and passed between the pure core
and the I/O shell without anyone mutating them behind another's back. Each has a ``key``: the
identity used for de-duplication (store upserts, outbox idempotency, alert dedupe).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["en", "zh"]
Metric = Literal[
    "capex",
    "spending",
    "investment",
    "revenue",
    "profit",
    "borrowing",
    "share_price",
    "users",
    "market_value",
    "funding",
    "backlog",
    "eps",
    "operating_income",
    "free_cash_flow",
    "power_capacity",
    "compute_capacity",
    "gpus",
    "other",
]
METRICS: tuple[str, ...] = Metric.__args__  # type: ignore[attr-defined]
Qualifier = Literal[
    "exact", "about", "up_to", "more_than", "at_least", "less_than", "nearly", "vague"
]
QUALIFIERS: tuple[str, ...] = Qualifier.__args__  # type: ignore[attr-defined]
Kind = Literal["actual", "guidance", "plan", "estimate", "aggregate", "hypothetical"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
# What alerts fire on unless a rule asks for more (``kind:estimate``): a company's own numbers.
DEFAULT_KINDS: tuple[str, ...] = ("actual", "guidance", "plan")
Channel = Literal["telegram", "email", "file"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def stable_id(*parts: str) -> str:
    """A short, stable hex id from text parts (same input -> same id across runs and machines)."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:24]


class Item(Frozen):
    """One piece of source text: a language half of an archived briefing, or a feed entry.

    ``id`` is stable across re-loads (derived from the source and the content's identity), so a
    second load stores nothing new. ``date_is_fallback`` flags items whose date was not given by
    the source (feed entries without dates get the fetch time).
    """

    id: str
    source: str
    title: str
    url: str | None = None
    published: datetime
    lang: Lang
    text: str
    paragraphs: tuple[str, ...] = ()
    content_hash: str = ""
    date_is_fallback: bool = False

    @property
    def key(self) -> str:
        return self.id


class Conversion(Frozen):
    value: float
    unit: str


class Figure(Frozen):
    """A key figure found in text. Field meanings are the contract in DESIGN.md ("Figure JSON")."""

    entity: str | None
    metric: Metric = "other"
    value: float
    unit: str
    qualifier: Qualifier = "exact"
    period: str | None = None
    is_change: bool = False
    change_basis: str | None = None
    low: float | None = None
    previous: float | None = None
    conversion: Conversion | None = None
    usd_value: float | None = None
    lang: Lang = "en"
    span: tuple[int, int] = (0, 0)
    sentence: str = ""
    kind: Kind = "actual"
    counterparty: str | None = None
    segment: str | None = None
    entity_known: bool = True
    noun: str | None = None
    item_id: str | None = Field(default=None, exclude=True)

    @property
    def key(self) -> str:
        """Identity of the *fact* (not the mention): entity+metric+period+change+unit+value."""
        return "|".join(
            [
                (self.entity or "").lower(),
                self.metric,
                self.period or "",
                "chg" if self.is_change else "lvl",
                self.unit,
                f"{self.value:.6g}",
            ]
        )

    def to_json_dict(self) -> dict[str, object]:
        """The DESIGN.md JSON object (without store-only fields)."""
        return self.model_dump(mode="json", exclude={"item_id"})


class StoredFigure(Frozen):
    """A figure as the store returns it: with its row id and the item it came from."""

    id: int
    figure: Figure
    item_id: str
    item_title: str = ""
    item_url: str | None = None
    item_source: str = ""
    published: datetime
    stored_at: datetime | None = None
    """When the item's current content was stored (a rule only alerts on what came after it)."""
    fact_id: int | None = None
    """The store's fact this mention belongs to (``bot.facts``; None before it is assigned)."""


class Subscriber(Frozen):
    id: int
    telegram_chat_id: int | None = None
    email: str | None = None
    email_confirmed: bool = False
    lang: Lang = "en"
    timezone: str = "UTC"
    digest_weekday: int = 0  # Monday = 0
    digest_time: str = "08:00"
    channels: tuple[Channel, ...] = ("telegram",)
    status: Literal["active", "stopped", "blocked", "pending"] = "active"
    follow_entities: tuple[str, ...] = ()
    follow_metrics: tuple[str, ...] = ()
    muted_until: datetime | None = None
    token_version: int = 0  # bound into manage/unsubscribe links; bumped to revoke them

    @property
    def key(self) -> str:
        return f"sub-{self.id}"


class Message(Frozen):
    """A rendered message, channel-neutral; adapters pick the parts they can show."""

    kind: Literal["digest", "alert", "notice"]
    key: str
    subject: str
    text: str
    html: str | None = None
    telegram_html: tuple[str, ...] = ()
    markdown: str | None = None
    chart_png: bytes | None = None


class OutboxEntry(Frozen):
    id: int | None = None
    key: str
    channel: Channel
    recipient: str
    subscriber_id: int | None = None
    payload: dict[str, object]
    status: Literal["pending", "sending", "sent", "dead"] = "pending"
    attempts: int = 0
    next_attempt: datetime | None = None
    error: str | None = None
    parts_sent: int = 0  # parts of a multi-part message already delivered (resume after them)


class Period(Frozen):
    """An ISO week (the default digest period): ``2026-W06`` covers Mon 2026-02-02 .. Sun 02-08."""

    year: int
    week: int

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def of(cls, d: date) -> Period:
        y, w, _ = d.isocalendar()
        return cls(year=y, week=w)

    @classmethod
    def parse(cls, text: str) -> Period:
        try:
            y, w = text.upper().split("-W")
            p = cls(year=int(y), week=int(w))
            p.start()
        except ValueError as e:
            raise ValueError(f"invalid ISO week {text!r} (expected e.g. 2026-W06)") from e
        return p

    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def end(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)


RuleOp = Literal[">", ">=", "<", "<=", "==", "!="]


class Rule(Frozen):
    """An alert rule, parsed from text by ``bot.rules.parse.parse_rule`` (the grammar lives there).

    ``kind="threshold"``: ``[entity] metric [change] op threshold [unit] [every N]``. ``unit`` is
    an ISO 4217 code, ``percent`` (a change: compared with change figures), ``users``, ``count``,
    or None: a unit-agnostic amount, compared in USD when the figure is money and as a plain
    number when it is a count ("Meta capex >= 50B" means 50 billion dollars).
    ``kind="keyword"``: ``keyword`` is a substring (case-insensitive) or, with ``regex``, a pattern
    for the linear-time matcher in ``bot.rules.safe_regex``. ``cooldown_s`` suppresses re-firing
    for the same rule+entity+metric within that many seconds.
    """

    id: int | None = None
    text: str
    kind: Literal["threshold", "keyword"]
    entity: str | None = None
    metric: str = "any"
    change: bool = False
    op: RuleOp = ">"
    threshold: float | None = None
    unit: str | None = None
    keyword: str | None = None
    regex: bool = False
    cooldown_s: int | None = None
    paused: bool = False
    subscriber_id: int | None = None
    kinds: tuple[str, ...] | None = None
    """Figure kinds a threshold rule fires on (``kind:estimate``); None: actual, guidance and
    plan figures of a named company (``DEFAULT_KINDS``); ``("any",)``: every kind."""
    confidence: Literal["high", "any"] = "high"
    """``high``: a threshold rule fires only on alert-grade figures (``bot.rules.confidence``:
    a known company, the metric in the figure's own clause, no one else's expectation);
    ``any`` (``confidence:any``): on every figure a digest could show."""

    @property
    def key(self) -> str:
        """``rule-<id>`` once stored; before that a stable id of the text and subscriber."""
        if self.id is not None:
            return f"rule-{self.id}"
        return "rule-" + stable_id(self.text, str(self.subscriber_id))


class Alert(Frozen):
    """A rule fired on one fact; ``figures`` are every item/outlet reporting it (first = oldest).

    ``value``/``unit`` are what was compared with the threshold: the figure's value converted to
    the rule's unit, or a percent change derived from ``previous``; None for keyword rules.
    ``key`` (rule identity + the fact's key) is the dedupe key stored as "already fired".
    """

    rule: Rule
    figures: tuple[StoredFigure, ...]
    value: float | None = None
    unit: str | None = None
    derived_change: bool = False
    fired_at: datetime
    update_from: float | None = None
    """The fact's earlier value when this fact updates one ("raises guidance to $93B, from $85B")."""
    update_from_low: float | None = None

    @property
    def figure(self) -> Figure:
        return self.figures[0].figure

    @property
    def key(self) -> str:
        return f"{self.rule.key}:{self.figure.key}"
