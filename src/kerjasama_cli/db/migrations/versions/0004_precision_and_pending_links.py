"""dates known only to the month or year, and links to documents not yet in the register

Offices' registers hold signing, start and end dates known only as a month
("Agustus 2021") or a year ("2021"): the date is kept as the period's first
day (its last day for an end) and the precision beside it (NULL = the day is
known, 'month', 'year'), so that it is shown as typed.

A PKS may name a KB that is in none of the files imported so far (signed years
ago, kept in last year's file): its number is kept in unresolved_parent until
that KB arrives, when the link is made and the number cleared.

Only columns are added (nullable, no default): existing agreements keep every
value, and SQLite adds them in place without copying the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_on_precision", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("starts_on_precision", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("ends_on_precision", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("unresolved_parent", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_column("unresolved_parent")
        batch_op.drop_column("ends_on_precision")
        batch_op.drop_column("starts_on_precision")
        batch_op.drop_column("signed_on_precision")
