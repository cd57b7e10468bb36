"""Secrets kept by the service (a generated link-signing key) and a per-subscriber token version.

Revision ID: 0004
Revises: 0003

``secrets`` holds the key generated on first start when ``BRIEFBOT_SECRET_KEY`` is unset (so no
link is ever signed with a known development key); ``subscribers.token_version`` is bound into
manage and unsubscribe tokens and bumped on unsubscribe and on an address change, which revokes
every link sent before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("token_version")
    op.drop_table("secrets")
