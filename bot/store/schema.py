"""Tables (SQLAlchemy Core). The store returns models from bot.models, never rows.

Migrations in ``bot/store/migrations`` create exactly these tables; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()
TS = DateTime(timezone=True)

items = Table(
    "items",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", String(2000), nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
    Column("published", TS, nullable=False, index=True),
    Column("lang", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("date_is_fallback", Boolean, nullable=False, default=False),
    Column("stored_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

facts = Table(
    "facts",
    metadata,
    # one row per fact (bot.facts): the mentions in ``figures`` point here through ``fact_id``
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_key", String(200), nullable=False),  # bot.facts.norm_entity, "" for none
    Column("entity", String(200)),
    Column("metric", String(40), nullable=False),
    Column("value", Float, nullable=False),
    Column("low", Float),
    Column("unit", String(16), nullable=False),
    Column("period", String(40)),
    Column("is_change", Boolean, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("qualifier", String(16), nullable=False),
    Column("first_published", TS, nullable=False),
    Index("ix_facts_subject", "entity_key", "unit"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("fact_key", String(400), nullable=False, index=True),
    Column("entity", String(200)),
    Column("metric", String(40), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("usd_value", Float),
    Column("period", String(40)),
    Column("is_change", Boolean, nullable=False),
    Column("data", JSON, nullable=False),
    Column("fact_id", Integer, ForeignKey("facts.id", ondelete="SET NULL"), index=True),
    # a new feed's backlog: alerts on it are recorded as fired, not sent
    Column("quiet", Boolean, nullable=False, default=False, server_default=false()),
    # when an alert pass (of any process) evaluated it; NULL: new, not evaluated yet
    Column("evaluated_at", TS, index=True),
    UniqueConstraint("item_id", "ordinal", name="uq_figures_item_ordinal"),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("telegram_chat_id", BigInteger, unique=True),
    Column("email", String(320), unique=True),
    Column("email_confirmed", Boolean, nullable=False, default=False),
    Column("lang", String(8), nullable=False, default="en"),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("digest_weekday", Integer, nullable=False, default=0),
    Column("digest_time", String(5), nullable=False, default="08:00"),
    Column("channels", JSON, nullable=False),
    Column("status", String(16), nullable=False, default="active"),
    Column("follow_entities", JSON, nullable=False),
    Column("follow_metrics", JSON, nullable=False),
    Column("muted_until", TS),
    Column("extra", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    # hard bounces (SMTP 5xx) since the last successful email; at the limit email is disabled
    Column("email_bounces", Integer, nullable=False, default=0),
    Column("updated_at", TS),
    # bound into manage/unsubscribe tokens; bumped on unsubscribe and address change (revokes)
    Column("token_version", Integer, nullable=False, default=0, server_default="0"),
)

# secrets the service generated for itself (the link-signing key when BRIEFBOT_SECRET_KEY is unset)
secrets = Table(
    "secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
    Column("created_at", TS, nullable=False),
)

rules = Table(
    "rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE")),
    Column("text", String(400), nullable=False),
    Column("paused", Boolean, nullable=False, default=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("subscriber_id", "text", name="uq_rules_subscriber_text"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(600), nullable=False, unique=True),
    Column("rule_id", Integer, ForeignKey("rules.id", ondelete="CASCADE"), nullable=False),
    Column("fact_key", String(400), nullable=False),
    Column("figure_id", Integer, ForeignKey("figures.id", ondelete="SET NULL")),
    Column("fired_at", TS, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(600), nullable=False, unique=True),
    Column("channel", String(16), nullable=False),
    Column("recipient", String(400), nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="SET NULL")),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", TS, nullable=False),
    Column("claim_token", String(64)),
    Column("lease_until", TS),
    Column("error", Text),
    Column("created_at", TS, nullable=False),
    Column("sent_at", TS),
    Column("updated_at", TS),  # last state change (claim, retry, dead): "recent errors"
    # parts of a multi-part message delivered already (a retry resumes after them)
    Column("parts_sent", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_outbox_due", "status", "next_attempt"),
    Index("ix_outbox_claim", "claim_token"),
    Index("ix_outbox_subscriber", "subscriber_id", "status"),
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2000), nullable=False, unique=True),
    Column("name", String(200)),
    Column("lang", String(8)),
    Column("poll_minutes", Integer),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("etag", String(400)),
    Column("last_modified", String(100)),
    Column("last_status", Integer),
    Column("last_success", TS),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_poll", TS),
    Column("entries", Integer, nullable=False, default=0),
    Column("added_at", TS, nullable=False),
)

digests = Table(
    "digests",
    metadata,
    Column("period", String(16), primary_key=True),
    Column("built_at", TS, nullable=False),
    Column("items", Integer, nullable=False),
    Column("figures", Integer, nullable=False),
    Column("files", JSON, nullable=False),
)

replicas = Table(
    "replicas",
    metadata,
    # one row per running `briefbot run` (host:pid:random): its heartbeat, by the database clock
    Column("id", String(120), primary_key=True),
    Column("host", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("heartbeat_at", TS, nullable=False),
    Column("leader", Boolean, nullable=False, default=False),
    Column("info", JSON, nullable=False),
)

telegram_updates = Table(
    "telegram_updates",
    metadata,
    # update ids already handled by some replica (a webhook retry, a new leader's first poll)
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", TS, nullable=False, index=True),
)

rate_hits = Table(
    "rate_hits",
    metadata,
    # web rate limits shared by replicas (bot.store.ratelimits): one row per counted hit
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(40), nullable=False),
    Column("key", String(400), nullable=False),
    Column("at", TS, nullable=False),
    Index("ix_rate_hits_key", "name", "key", "at"),
)

telegram_inbox = Table(
    "telegram_inbox",
    metadata,
    # webhook updates a replica received while another leads: the leader's bot handles them
    # (one bot sends: one Telegram send budget)
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("data", JSON, nullable=False),
    Column("received_at", TS, nullable=False),
)

pending_broadcasts = Table(
    "pending_broadcasts",
    metadata,
    # an admin's /broadcast waiting for its Send/Cancel button: shared, so the button press may
    # reach any replica (webhook mode behind a load balancer)
    Column("token", String(32), primary_key=True),
    Column("chat_id", BigInteger, nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("created_at", TS, nullable=False),
)

message_bodies = Table(
    "message_bodies",
    metadata,
    # the shared part of a message many rows send (a digest variant): stored once, referred to
    # by the outbox rows' payloads (bot.outbox.shared_payload)
    Column("key", String(200), primary_key=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", TS, nullable=False, index=True),
)
