"""Scale (issue 17): figures remember a quiet backlog and whether an alert pass evaluated them;
replicas' heartbeats; Telegram update ids already handled; web rate-limit hits (shared);
message bodies shared by many outbox rows (a digest variant).

Revision ID: 0005_scale
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_scale"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as b:
        b.add_column(sa.Column("quiet", sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True))
    # figures stored before this migration were evaluated by the process that stored them
    op.execute(sa.text("UPDATE figures SET evaluated_at = CURRENT_TIMESTAMP"))
    op.create_index(op.f("ix_figures_evaluated_at"), "figures", ["evaluated_at"], unique=False)
    op.create_table(
        "replicas",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leader", sa.Boolean(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "telegram_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id"),
    )
    op.create_index(
        op.f("ix_telegram_updates_received_at"), "telegram_updates", ["received_at"], unique=False
    )
    op.create_table(
        "rate_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rate_hits_key", "rate_hits", ["name", "key", "at"], unique=False)
    op.create_table(
        "message_bodies",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_message_bodies_created_at"), "message_bodies", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_message_bodies_created_at"), table_name="message_bodies")
    op.drop_table("message_bodies")
    op.drop_index("ix_rate_hits_key", table_name="rate_hits")
    op.drop_table("rate_hits")
    op.drop_index(op.f("ix_telegram_updates_received_at"), table_name="telegram_updates")
    op.drop_table("telegram_updates")
    op.drop_table("replicas")
    op.drop_index(op.f("ix_figures_evaluated_at"), table_name="figures")
    with op.batch_alter_table("figures") as b:
        b.drop_column("evaluated_at")
        b.drop_column("quiet")
