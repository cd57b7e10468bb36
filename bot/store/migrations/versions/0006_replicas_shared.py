"""Replicas (issue 17): pending /broadcast confirmations in the database (the Send button works
on any replica, not only on the one that showed the preview), and the webhook inbox (updates a
replica received while another leads, for the leader's bot).

Revision ID: 0006_replicas_shared
Revises: 0005_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_replicas_shared"
down_revision = "0005_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_broadcasts",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index(
        op.f("ix_pending_broadcasts_chat_id"), "pending_broadcasts", ["chat_id"], unique=False
    )

    op.create_table(
        "telegram_inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id"),
    )


def downgrade() -> None:
    op.drop_table("telegram_inbox")
    op.drop_index(op.f("ix_pending_broadcasts_chat_id"), table_name="pending_broadcasts")
    op.drop_table("pending_broadcasts")
