"""Scale (issue 17): figures remember a quiet backlog.

Revision ID: 0002_scale
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_scale"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as b:
        b.add_column(sa.Column("quiet", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("figures") as b:
        b.drop_column("quiet")
