"""Outbox: ``parts_sent``, the parts of a multi-part message already delivered.

Revision ID: 0003
Revises: 0002_facts

A Telegram digest goes out as a chart photo and text parts; a retry resumes from the first part
not yet delivered, so a failure on part 2 never sends the chart twice.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("parts_sent")
