"""The register's tables, as SQLModel table classes.

Each class is both the table (its ``__table__`` feeds the Core bulk inserts of
import, merge and ``db copy``) and the typed record the ORM queries return.
Every column names its SQL type (``sa_type``) so that the declared schema is
exactly the migrated one: Alembic migrations in ``migrations/`` create and
change the tables, and a test compares the two.

No ``from __future__ import annotations`` here: SQLModel reads the annotations
at class creation, relationships included.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import ConfigDict
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, Relationship, SQLModel

from kerjasama_cli.db.types import Rupiah

# Named constraints, so that later migrations (SQLite batch mode included) can
# find and change them by name.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The region of a register's own agreements; merged ones carry their region's name.
LOCAL_REGION = ""
# An evaluation's state once checked: what every evaluation was before the cycle
# with the OPDs (migration 0005), and what the office's own records are.
VERIFIED = "diverifikasi"


class Base(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """The register's tables share one metadata, with the naming convention above
    (SQLModel's own default metadata has none)."""

    # A table class never validates (the ORM and the bulk paths fill it): pydantic's
    # validator is built only if something asks for it, not on every start-up.
    # (pydantic merges this with SQLModel's own settings; mypy sees only SQLModel's type.)
    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class AgreementPartner(Base, table=True):
    """The mitra of an agreement, in the order the document names them."""

    __tablename__ = "agreement_partner"
    __table_args__ = (Index("ix_agreement_partner_partner_id", "partner_id"),)

    agreement_id: int = Field(foreign_key="agreement.id", ondelete="CASCADE", primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", primary_key=True)
    position: int = Field(default=0, sa_type=Integer)


class AgreementUnit(Base, table=True):
    """The OPDs that carry an agreement out, in the order the document names them."""

    __tablename__ = "agreement_unit"
    __table_args__ = (Index("ix_agreement_unit_unit_id", "unit_id"),)

    agreement_id: int = Field(foreign_key="agreement.id", ondelete="CASCADE", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    position: int = Field(default=0, sa_type=Integer)


agreement_partner = Base.metadata.tables["agreement_partner"]
agreement_unit = Base.metadata.tables["agreement_unit"]

# Bumped on every change, so a writer can tell someone else changed it first:
# the ORM updates WHERE version = the one it read (optimistic concurrency).
_version = Column("version", Integer, nullable=False, default=1)


class Partner(Base, table=True):
    """A mitra: another region, a ministry, a company, a university..."""

    __tablename__ = "partner"

    id: int = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(300))
    # Case- and space-folded name: "Dinas  kesehatan" finds "Dinas Kesehatan".
    name_key: str = Field(sa_type=String(300), unique=True)
    kind: str | None = Field(default=None, sa_type=String(40))


class Unit(Base, table=True):
    """A perangkat daerah (OPD) that carries an agreement out."""

    __tablename__ = "unit"

    id: int = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(300))
    name_key: str = Field(sa_type=String(300), unique=True)
    code: str | None = Field(default=None, sa_type=String(40))


class Agreement(Base, table=True):
    """One document: a KB/MoU, a PKS, an adendum or a nota kesepakatan."""

    __tablename__ = "agreement"
    __table_args__ = (
        UniqueConstraint(
            "region", "doc_type", "number", name="uq_agreement_region_doc_type_number"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    # '' for the register's own agreements; a region's name for those that
    # `kerjasama merge` brought in from that region's register.
    region: str = Field(
        default=LOCAL_REGION,
        sa_type=String(200),
        index=True,
        sa_column_kwargs={"server_default": LOCAL_REGION},
    )
    doc_type: str = Field(sa_type=String(20))
    number: str = Field(sa_type=String(200))
    # Case- and space-folded number, for finding "180/12/kb/2021" as "180/12/KB/2021".
    number_key: str = Field(sa_type=String(200), index=True)
    partner_number: str | None = Field(default=None, sa_type=String(200))
    title: str = Field(sa_type=Text)
    scope: str | None = Field(default=None, sa_type=Text)
    kind: str | None = Field(default=None, sa_type=String(10))
    ksdd_category: str | None = Field(default=None, sa_type=String(10))
    bidang: str | None = Field(default=None, sa_type=String(100))
    signed_on: date | None = Field(default=None, sa_type=Date)
    starts_on: date | None = Field(default=None, sa_type=Date)
    ends_on: date | None = Field(default=None, sa_type=Date)
    # A date known only to its month or year ("Agustus 2021", "2021") is kept as
    # the period's first day (its last day for an end), and 'month' or 'year'
    # here; NULL when the day is known.
    signed_on_precision: str | None = Field(default=None, sa_type=String(5))
    starts_on_precision: str | None = Field(default=None, sa_type=String(5))
    ends_on_precision: str | None = Field(default=None, sa_type=String(5))
    # True when ends_on was worked out from term_text rather than typed.
    ends_on_derived: bool = Field(default=False, sa_type=Boolean)
    # The end before the first in-place extension (`kerjasama extend` without a
    # new document): after it the agreement reads as 'diperpanjang'.
    original_ends_on: date | None = Field(default=None, sa_type=Date)
    term_text: str | None = Field(default=None, sa_type=String(300))
    value: Decimal | None = Field(default=None, sa_type=Rupiah)
    funding: str | None = Field(default=None, sa_type=String(20))
    dprd: str | None = Field(default=None, sa_type=String(20))
    dprd_number: str | None = Field(default=None, sa_type=String(200))
    dprd_date: date | None = Field(default=None, sa_type=Date)
    parent_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    # The number of a parent document not (yet) in the register, as a file gave
    # it: the link is made, and this cleared, when that document arrives.
    unresolved_parent: str | None = Field(default=None, sa_type=String(200))
    # The earlier document this one renews (an extension made as a new document).
    renews_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    file_path: str | None = Field(default=None, sa_type=Text)
    file_sha256: str | None = Field(default=None, sa_type=String(64))
    note: str | None = Field(default=None, sa_type=Text)
    terminated_on: date | None = Field(default=None, sa_type=Date)
    termination_reason: str | None = Field(default=None, sa_type=Text)
    version: int = Field(default=1, sa_column=_version)
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": _version}

    # Loaded on purpose only (selectinload); a lazy load would be one query per row.
    partners: list[Partner] = Relationship(
        sa_relationship_kwargs={
            "secondary": agreement_partner,
            "order_by": agreement_partner.c.position,
            "lazy": "raise",
        }
    )
    units: list[Unit] = Relationship(
        sa_relationship_kwargs={
            "secondary": agreement_unit,
            "order_by": agreement_unit.c.position,
            "lazy": "raise",
        }
    )


class HistoryEntry(Base, table=True):
    """One change to one field of one agreement; kept forever."""

    __tablename__ = "history"

    id: int = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    at: datetime = Field(sa_type=DateTime)
    user_name: str = Field(sa_type=String(100))
    command: str = Field(sa_type=String(100))
    field: str = Field(sa_type=String(60))
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)


class Evaluation(Base, table=True):
    """How far one agreement was carried out in one year (one row per agreement-year)."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("agreement_id", "year", name="uq_evaluation_agreement_id"),)

    id: int = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id")
    year: int = Field(sa_type=Integer, index=True)
    level: str = Field(sa_type=String(20))
    progress: int | None = Field(default=None, sa_type=Integer)
    follow_up: str | None = Field(default=None, sa_type=Text)
    obstacles: str | None = Field(default=None, sa_type=Text)
    recommendation: str | None = Field(default=None, sa_type=String(20))
    benefit: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)
    evaluator: str | None = Field(default=None, sa_type=String(200))
    evaluated_on: date | None = Field(default=None, sa_type=Date)
    # The optional instrument some regions use (Kota Samarinda's monev form),
    # each criterion on a 1-5 scale, and an overall 1-5 score.
    goal_fit: int | None = Field(default=None, sa_type=Integer)
    timeliness: int | None = Field(default=None, sa_type=Integer)
    partner_contribution: int | None = Field(default=None, sa_type=Integer)
    coordination: int | None = Field(default=None, sa_type=Integer)
    indicator_attainment: int | None = Field(default=None, sa_type=Integer)
    impact: int | None = Field(default=None, sa_type=Integer)
    document_completeness: int | None = Field(default=None, sa_type=Integer)
    periodic_reporting: int | None = Field(default=None, sa_type=Integer)
    relevance: int | None = Field(default=None, sa_type=Integer)
    score: int | None = Field(default=None, sa_type=Integer)
    # What the cooperation added (inovasi / nilai tambah), and the evidence for the
    # answers (bukti dukung: a document number, a link, a file).
    added_value: str | None = Field(default=None, sa_type=Text)
    evidence: str | None = Field(default=None, sa_type=Text)
    # The cycle with the OPDs: 'diajukan' (an OPD's returned form), 'dikembalikan'
    # (returned to the OPD for correction, return_note says why) or 'diverifikasi'
    # (checked; what the office types itself is verified at once).
    state: str = Field(
        default=VERIFIED,
        sa_type=String(20),
        index=True,
        sa_column_kwargs={"server_default": VERIFIED},
    )
    verified_by: str | None = Field(default=None, sa_type=String(200))
    verified_at: datetime | None = Field(default=None, sa_type=DateTime)
    # Where a submitted answer came from: the form's file name, and when it was read.
    source_file: str | None = Field(default=None, sa_type=Text)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime)
    return_note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class EvaluationForm(Base, table=True):
    """The year's evaluation form sent to one OPD: when, and the deadline given."""

    __tablename__ = "evaluation_form"
    __table_args__ = (UniqueConstraint("year", "unit_id", name="uq_evaluation_form_year"),)

    id: int = Field(default=None, primary_key=True)
    year: int = Field(sa_type=Integer)
    unit_id: int = Field(foreign_key="unit.id")
    sent_at: datetime = Field(sa_type=DateTime)
    due_on: date | None = Field(default=None, sa_type=Date)
    file_name: str | None = Field(default=None, sa_type=String(200))


class Finding(Base, table=True):
    """A temuan: something that held an agreement back, followed until it is closed."""

    __tablename__ = "finding"
    __table_args__ = (
        # An automatic finding is recorded once per agreement, year and rule.
        UniqueConstraint("agreement_id", "year", "rule", name="uq_finding_agreement_id"),
    )

    id: int = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    year: int = Field(sa_type=Integer, index=True)
    category: str = Field(sa_type=String(20))
    text: str = Field(sa_type=Text)
    recommendation: str | None = Field(default=None, sa_type=Text)
    owner_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    due_on: date | None = Field(default=None, sa_type=Date)
    status: str = Field(sa_type=String(30))
    closed_on: date | None = Field(default=None, sa_type=Date)
    # Which automatic rule raised it ("kb-without-pks", ...); None when typed.
    rule: str | None = Field(default=None, sa_type=String(40))
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class FindingNote(Base, table=True):
    """The follow-up log of a finding: one dated line per `finding update`."""

    __tablename__ = "finding_note"

    id: int = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    at: datetime = Field(sa_type=DateTime)
    user_name: str = Field(sa_type=String(100))
    status: str | None = Field(default=None, sa_type=String(30))
    note: str | None = Field(default=None, sa_type=Text)


class Setting(Base, table=True):
    """The office's settings (`kerjasama config`): region name, warning days..."""

    __tablename__ = "setting"

    key: str = Field(sa_type=String(60), primary_key=True)
    value: str = Field(sa_type=Text)


# The tables behind the classes, for Core bulk statements.
agreement_table = Base.metadata.tables["agreement"]
history_table = Base.metadata.tables["history"]
partner_table = Base.metadata.tables["partner"]
evaluation_table = Base.metadata.tables["evaluation"]
evaluation_form_table = Base.metadata.tables["evaluation_form"]
finding_table = Base.metadata.tables["finding"]
finding_note_table = Base.metadata.tables["finding_note"]
unit_table = Base.metadata.tables["unit"]
