"""Facts (issue 15): one row per fact, and ``figures.fact_id`` pointing at it.

Revision ID: 0002_facts
Revises: 0001

A fact is (entity, value within 1 %, unit, compatible period), whatever the metric label or the
outlet (``bot.facts``). Keeping it in the store makes "already reported" and "update" survive
restarts. Existing figures get their facts on their next re-extraction (``fact_id`` stays NULL
until then, and the digest falls back to matching values).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_facts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("is_change", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("qualifier", sa.String(length=16), nullable=False),
        sa.Column("first_published", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_facts_subject", "facts", ["entity_key", "unit"], unique=False)
    with op.batch_alter_table("figures") as b:
        b.add_column(sa.Column("fact_id", sa.Integer(), nullable=True))
        b.create_index(b.f("ix_figures_fact_id"), ["fact_id"], unique=False)
        b.create_foreign_key(
            "fk_figures_fact_id_facts", "facts", ["fact_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("figures") as b:
        b.drop_constraint("fk_figures_fact_id_facts", type_="foreignkey")
        b.drop_index(b.f("ix_figures_fact_id"))
        b.drop_column("fact_id")
    op.drop_index("ix_facts_subject", table_name="facts")
    op.drop_table("facts")
