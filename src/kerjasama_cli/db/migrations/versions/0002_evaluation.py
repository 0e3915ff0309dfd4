"""the annual evaluation: evaluations, findings and their follow-up log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("obstacles", sa.Text(), nullable=True),
        sa.Column("recommendation", sa.String(length=20), nullable=True),
        sa.Column("benefit", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evaluator", sa.String(length=200), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("goal_fit", sa.Integer(), nullable=True),
        sa.Column("timeliness", sa.Integer(), nullable=True),
        sa.Column("partner_contribution", sa.Integer(), nullable=True),
        sa.Column("coordination", sa.Integer(), nullable=True),
        sa.Column("indicator_attainment", sa.Integer(), nullable=True),
        sa.Column("impact", sa.Integer(), nullable=True),
        sa.Column("document_completeness", sa.Integer(), nullable=True),
        sa.Column("periodic_reporting", sa.Integer(), nullable=True),
        sa.Column("relevance", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_evaluation_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
        sa.UniqueConstraint("agreement_id", "year", name="uq_evaluation_agreement_id"),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_year"), ["year"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("rule", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_finding_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["unit.id"], name=op.f("fk_finding_owner_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
        sa.UniqueConstraint("agreement_id", "year", "rule", name="uq_finding_agreement_id"),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_year"), ["year"], unique=False)

    op.create_table(
        "finding_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["finding.id"], name=op.f("fk_finding_note_finding_id_finding")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_note")),
    )
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_note_finding_id"), ["finding_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_note_finding_id"))

    op.drop_table("finding_note")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_year"))
        batch_op.drop_index(batch_op.f("ix_finding_owner_id"))
        batch_op.drop_index(batch_op.f("ix_finding_agreement_id"))

    op.drop_table("finding")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_year"))

    op.drop_table("evaluation")
