"""Pending /broadcast confirmations in the database (issue 17): the Send button works on any
replica, not only on the one that showed the preview.

Revision ID: 0006_replicas_broadcasts
Revises: 0005_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_replicas_broadcasts"
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


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_broadcasts_chat_id"), table_name="pending_broadcasts")
    op.drop_table("pending_broadcasts")
