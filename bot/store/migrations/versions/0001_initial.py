"""Initial schema: items, figures, subscribers, rules, alerts, outbox, feeds, digests.

Revision ID: 0001
Revises:
"""

from alembic import op

from bot.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("items", "figures", "subscribers", "rules", "alerts", "outbox", "feeds", "digests")


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[t] for t in TABLES])


def downgrade() -> None:
    bind = op.get_bind()
    metadata.drop_all(bind, tables=[metadata.tables[t] for t in reversed(TABLES)])
