"""the evaluation cycle with the OPDs: states, forms sent, added value and evidence

An evaluation is now 'diajukan' (an OPD's returned form), 'dikembalikan'
(returned to the OPD for correction, with a note) or 'diverifikasi' (checked,
by whom and when). Evaluations already in a register were final: they become
'diverifikasi' (the column's server default), so the year's numbers do not
change. Also kept per evaluation: where a submitted answer came from (the
form's file, when), the added value (inovasi / nilai tambah) and the evidence
(bukti dukung: a document number, link or file).

evaluation_form records, per year and OPD, when its form was sent and the
deadline given.

Columns are added (nullable, or with a server default): existing rows keep
every value; SQLite adds them in place.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "state", sa.String(length=20), server_default="diverifikasi", nullable=False
            )
        )
        batch_op.add_column(sa.Column("verified_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("source_file", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("return_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("added_value", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("evidence", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_evaluation_state"), ["state"], unique=False)

    op.create_table(
        "evaluation_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_evaluation_form_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_form")),
        sa.UniqueConstraint("year", "unit_id", name="uq_evaluation_form_year"),
    )


def downgrade() -> None:
    op.drop_table("evaluation_form")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_state"))
        for column in (
            "evidence",
            "added_value",
            "return_note",
            "submitted_at",
            "source_file",
            "verified_at",
            "verified_by",
            "state",
        ):
            batch_op.drop_column(column)
