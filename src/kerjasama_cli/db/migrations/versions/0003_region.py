"""the region an agreement belongs to, for a provincial roll-up (`kerjasama merge`)

A register's own agreements have region '' (empty, not NULL, so that the
natural key region + doc type + number stays unique on SQLite and PostgreSQL
alike, where NULLs never clash). Merged agreements carry their region's name.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("region", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.drop_constraint("uq_agreement_doc_type_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_agreement_region_doc_type_number", ["region", "doc_type", "number"]
        )
        batch_op.create_index(batch_op.f("ix_agreement_region"), ["region"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_region"))
        batch_op.drop_constraint("uq_agreement_region_doc_type_number", type_="unique")
        batch_op.create_unique_constraint("uq_agreement_doc_type_number", ["doc_type", "number"])
        batch_op.drop_column("region")
