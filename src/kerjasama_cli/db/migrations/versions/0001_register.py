"""the register: agreements, partners, units, history, settings

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Agreement.value is Rupiah in the models: a whole number of sen in a BIGINT.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("number_key", sa.String(length=200), nullable=False),
        sa.Column("partner_number", sa.String(length=200), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=True),
        sa.Column("ksdd_category", sa.String(length=10), nullable=True),
        sa.Column("bidang", sa.String(length=100), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("ends_on_derived", sa.Boolean(), nullable=False),
        sa.Column("original_ends_on", sa.Date(), nullable=True),
        sa.Column("term_text", sa.String(length=300), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("funding", sa.String(length=20), nullable=True),
        sa.Column("dprd", sa.String(length=20), nullable=True),
        sa.Column("dprd_number", sa.String(length=200), nullable=True),
        sa.Column("dprd_date", sa.Date(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("renews_id", sa.Integer(), nullable=True),
        sa.Column("file_path", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["agreement.id"], name=op.f("fk_agreement_parent_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["renews_id"], ["agreement.id"], name=op.f("fk_agreement_renews_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("doc_type", "number", name="uq_agreement_doc_type_number"),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_number_key"), ["number_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_renews_id"), ["renews_id"], unique=False)

    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("name_key", name=op.f("uq_partner_name_key")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name_key", name=op.f("uq_unit_name_key")),
    )
    op.create_table(
        "agreement_partner",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_agreement_partner_agreement_id_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_agreement_partner_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("agreement_id", "partner_id", name=op.f("pk_agreement_partner")),
    )
    with op.batch_alter_table("agreement_partner", schema=None) as batch_op:
        batch_op.create_index("ix_agreement_partner_partner_id", ["partner_id"], unique=False)

    op.create_table(
        "agreement_unit",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_agreement_unit_agreement_id_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_agreement_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("agreement_id", "unit_id", name=op.f("pk_agreement_unit")),
    )
    with op.batch_alter_table("agreement_unit", schema=None) as batch_op:
        batch_op.create_index("ix_agreement_unit_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("command", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_history_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_agreement_id"), ["agreement_id"], unique=False)


def downgrade() -> None:
    # Going below the first revision would drop the register itself.
    raise NotImplementedError("the first schema of the register cannot be downgraded")
