"""The register's tables. Alembic migrations in ``migrations/`` create and change them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


agreement_partner = Table(
    "agreement_partner",
    Base.metadata,
    Column("agreement_id", ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partner.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_agreement_partner_partner_id", "partner_id"),
)

agreement_unit = Table(
    "agreement_unit",
    Base.metadata,
    Column("agreement_id", ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_agreement_unit_unit_id", "unit_id"),
)


class Partner(Base):
    """A mitra: another region, a ministry, a company, a university..."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Case- and space-folded name: "Dinas  kesehatan" finds "Dinas Kesehatan".
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40))


class Unit(Base):
    """A perangkat daerah (OPD) that carries an agreement out."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    code: Mapped[str | None] = mapped_column(String(40))


class Agreement(Base):
    """One document: a KB/MoU, a PKS, an adendum or a nota kesepakatan."""

    __tablename__ = "agreement"
    __table_args__ = (
        UniqueConstraint(
            "region", "doc_type", "number", name="uq_agreement_region_doc_type_number"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # '' for the register's own agreements; a region's name for those that
    # `kerjasama merge` brought in from that region's register.
    region: Mapped[str] = mapped_column(
        String(200), index=True, default=LOCAL_REGION, server_default=LOCAL_REGION
    )
    doc_type: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(200))
    # Case- and space-folded number, for finding "180/12/kb/2021" as "180/12/KB/2021".
    number_key: Mapped[str] = mapped_column(String(200), index=True)
    partner_number: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(10))
    ksdd_category: Mapped[str | None] = mapped_column(String(10))
    bidang: Mapped[str | None] = mapped_column(String(100))
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # A date known only to its month or year ("Agustus 2021", "2021") is kept as
    # the period's first day (its last day for an end), and 'month' or 'year'
    # here; NULL when the day is known.
    signed_on_precision: Mapped[str | None] = mapped_column(String(5))
    starts_on_precision: Mapped[str | None] = mapped_column(String(5))
    ends_on_precision: Mapped[str | None] = mapped_column(String(5))
    # True when ends_on was worked out from term_text rather than typed.
    ends_on_derived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The end before the first in-place extension (`kerjasama extend` without a
    # new document): after it the agreement reads as 'diperpanjang'.
    original_ends_on: Mapped[date | None] = mapped_column(Date)
    term_text: Mapped[str | None] = mapped_column(String(300))
    value: Mapped[Decimal | None] = mapped_column(Rupiah)
    funding: Mapped[str | None] = mapped_column(String(20))
    dprd: Mapped[str | None] = mapped_column(String(20))
    dprd_number: Mapped[str | None] = mapped_column(String(200))
    dprd_date: Mapped[date | None] = mapped_column(Date)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    # The number of a parent document not (yet) in the register, as a file gave
    # it: the link is made, and this cleared, when that document arrives.
    unresolved_parent: Mapped[str | None] = mapped_column(String(200))
    # The earlier document this one renews (an extension made as a new document).
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    file_path: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    # Bumped on every change, so a writer can tell someone else changed it first:
    # the ORM updates WHERE version = the one it read (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    partners: Mapped[list[Partner]] = relationship(
        secondary=agreement_partner, order_by=agreement_partner.c.position, lazy="raise"
    )
    units: Mapped[list[Unit]] = relationship(
        secondary=agreement_unit, order_by=agreement_unit.c.position, lazy="raise"
    )


class HistoryEntry(Base):
    """One change to one field of one agreement; kept forever."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_name: Mapped[str] = mapped_column(String(100))
    command: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class Evaluation(Base):
    """How far one agreement was carried out in one year (one row per agreement-year)."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("agreement_id", "year", name="uq_evaluation_agreement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    level: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int | None] = mapped_column(Integer)
    follow_up: Mapped[str | None] = mapped_column(Text)
    obstacles: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(String(20))
    benefit: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    evaluator: Mapped[str | None] = mapped_column(String(200))
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    # The optional instrument some regions use (Kota Samarinda's monev form),
    # each criterion on a 1-5 scale, and an overall 1-5 score.
    goal_fit: Mapped[int | None] = mapped_column(Integer)
    timeliness: Mapped[int | None] = mapped_column(Integer)
    partner_contribution: Mapped[int | None] = mapped_column(Integer)
    coordination: Mapped[int | None] = mapped_column(Integer)
    indicator_attainment: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[int | None] = mapped_column(Integer)
    document_completeness: Mapped[int | None] = mapped_column(Integer)
    periodic_reporting: Mapped[int | None] = mapped_column(Integer)
    relevance: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Finding(Base):
    """A temuan: something that held an agreement back, followed until it is closed."""

    __tablename__ = "finding"
    __table_args__ = (
        # An automatic finding is recorded once per agreement, year and rule.
        UniqueConstraint("agreement_id", "year", "rule", name="uq_finding_agreement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    category: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Which automatic rule raised it ("kb-without-pks", ...); None when typed.
    rule: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class FindingNote(Base):
    """The follow-up log of a finding: one dated line per `finding update`."""

    __tablename__ = "finding_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """The office's settings (`kerjasama config`): region name, warning days..."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# The tables behind the classes, typed as tables for Core bulk statements.
agreement_table = cast(Table, Agreement.__table__)
history_table = cast(Table, HistoryEntry.__table__)
partner_table = cast(Table, Partner.__table__)
evaluation_table = cast(Table, Evaluation.__table__)
finding_table = cast(Table, Finding.__table__)
finding_note_table = cast(Table, FindingNote.__table__)
unit_table = cast(Table, Unit.__table__)
