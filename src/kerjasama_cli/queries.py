"""The register's read side: agreements as plain views, lists, what is due, history.

Every reader here runs a fixed number of queries whatever the register's size:
agreements in one query, then partners, units and the renewal/PKS links each in
one more, joined in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Session
from sqlmodel import col, select

from kerjasama_cli import status as status_rules
from kerjasama_cli import vocab
from kerjasama_cli.db.models import (
    Agreement,
    HistoryEntry,
    Partner,
    Unit,
    agreement_partner,
    agreement_table,
    agreement_unit,
)
from kerjasama_cli.errors import InvalidValue, NotFound
from kerjasama_cli.parse import with_precision
from kerjasama_cli.register import find_agreement, search_condition


@dataclass(slots=True)
class PartnerView:
    name: str
    kind: str | None


@dataclass(slots=True)
class UnitView:
    name: str
    code: str | None


@dataclass(slots=True)
class AgreementView:
    """An agreement as every command shows it; ``to_dict`` is the JSON contract."""

    id: int
    doc_type: str
    number: str
    # '' for the register's own agreements, else the region it was merged from.
    region: str
    partner_number: str | None
    title: str
    scope: str | None
    kind: str | None
    ksdd_category: str | None
    bidang: str | None
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    # 'month' or 'year' for a date known only that far (the date is then a
    # PartialDate, shown as "Agustus 2021"); None when the day is known.
    signed_on_precision: str | None
    starts_on_precision: str | None
    ends_on_precision: str | None
    ends_on_derived: bool
    original_ends_on: date | None
    term_text: str | None
    value: Decimal | None
    funding: str | None
    dprd: str | None
    dprd_number: str | None
    dprd_date: date | None
    parent_id: int | None
    # The parent's number: the linked document's, or the one a file named that
    # is not in the register yet (then unresolved_parent holds it too).
    parent_number: str | None
    unresolved_parent: str | None
    renews_id: int | None
    renews_number: str | None
    file_path: str | None
    file_sha256: str | None
    note: str | None
    terminated_on: date | None
    termination_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    status: str = "berlaku"
    renewed_by: list[str] = field(default_factory=list)
    partners: list[PartnerView] = field(default_factory=list)
    units: list[UnitView] = field(default_factory=list)
    pks_count: int = 0
    # When its first PKS was signed (or began): a KB "has a PKS" from then on.
    pks_since: date | None = None
    # An adendum without an end of its own runs as long as the document it
    # amends: ends_on then carries that document's end, and this says so.
    ends_on_inherited: bool = False

    @property
    def replaced(self) -> bool:
        return bool(self.renewed_by)

    def has_pks_by(self, day: date) -> bool:
        return self.pks_since is not None and self.pks_since <= day

    def to_dict(self) -> dict[str, Any]:
        """Stable snake_case keys; ISO dates; value as a number (int when whole)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.replace(microsecond=0).isoformat() + "Z"
            elif isinstance(value, date):
                data[key] = value.isoformat()
        if self.value is not None:
            data["value"] = int(self.value) if self.value % 1 == 0 else float(self.value)
        return data


_COLUMNS = [c for c in agreement_table.columns if c.key not in ("number_key",)]


def _view_rows(session: Session, where: Sequence[ColumnElement[bool]]) -> list[AgreementView]:
    parent = agreement_table.alias("parent")
    renewed = agreement_table.alias("renewed")
    query = (
        select_columns(
            *_COLUMNS,
            parent.c.number.label("parent_number"),
            renewed.c.number.label("renews_number"),
            parent.c.ends_on.label("parent_ends_on"),
        )
        .select_from(agreement_table)
        .outerjoin(parent, parent.c.id == agreement_table.c.parent_id)
        .outerjoin(renewed, renewed.c.id == agreement_table.c.renews_id)
        .where(*where)
        .order_by(agreement_table.c.id)
    )
    views = []
    for row in session.execute(query):
        data = row._asdict()
        parent_ends_on = data.pop("parent_ends_on")
        for name in ("signed_on", "starts_on", "ends_on"):
            data[name] = with_precision(data[name], data[f"{name}_precision"])
        if data["parent_number"] is None:
            data["parent_number"] = data["unresolved_parent"]
        view = AgreementView(**data)
        if view.doc_type == "adendum" and view.ends_on is None and parent_ends_on:
            view.ends_on, view.ends_on_inherited = parent_ends_on, True
        views.append(view)
    return views


def _attach_links(
    session: Session, views: list[AgreementView], where: Sequence[ColumnElement[bool]]
) -> None:
    if not views:
        return
    by_id = {view.id: view for view in views}
    chosen = select(Agreement.id).where(*where).scalar_subquery()
    partner_rows = session.execute(
        select(agreement_partner.c.agreement_id, Partner.name, Partner.kind)
        .join(Partner, col(Partner.id) == agreement_partner.c.partner_id)
        .where(agreement_partner.c.agreement_id.in_(chosen))
        .order_by(agreement_partner.c.agreement_id, agreement_partner.c.position)
    )
    for agreement_id, name, kind in partner_rows:
        by_id[agreement_id].partners.append(PartnerView(name, kind))
    unit_rows = session.execute(
        select(agreement_unit.c.agreement_id, Unit.name, Unit.code)
        .join(Unit, col(Unit.id) == agreement_unit.c.unit_id)
        .where(agreement_unit.c.agreement_id.in_(chosen))
        .order_by(agreement_unit.c.agreement_id, agreement_unit.c.position)
    )
    for agreement_id, name, code in unit_rows:
        by_id[agreement_id].units.append(UnitView(name, code))
    # Renewals and implementing PKS of any agreement: small, read whole.
    children = session.execute(
        select_columns(
            agreement_table.c.renews_id,
            agreement_table.c.parent_id,
            agreement_table.c.doc_type,
            agreement_table.c.number,
            agreement_table.c.starts_on,
            agreement_table.c.signed_on,
        ).where(
            agreement_table.c.renews_id.is_not(None) | agreement_table.c.parent_id.is_not(None)
        )
    )
    for renews_id, parent_id, doc_type, number, starts_on, signed_on in children:
        if renews_id in by_id:
            by_id[renews_id].renewed_by.append(number)
        if parent_id in by_id and doc_type == "pks":
            parent = by_id[parent_id]
            parent.pks_count += 1
            began = min((d for d in (starts_on, signed_on) if d is not None), default=None)
            if began is not None and (parent.pks_since is None or began < parent.pks_since):
                parent.pks_since = began


def load_views(
    session: Session,
    where: Sequence[ColumnElement[bool]] = (),
    *,
    as_of: date,
    warning_days: int = status_rules.DEFAULT_WARNING_DAYS,
) -> list[AgreementView]:
    views = _view_rows(session, where)
    _attach_links(session, views, where)
    for view in views:
        view.status = status_rules.derive_status(
            view, as_of, warning_days=warning_days, replaced=view.replaced
        )
    return views


def get_view(
    session: Session,
    ref: str,
    *,
    as_of: date,
    warning_days: int = status_rules.DEFAULT_WARNING_DAYS,
) -> AgreementView:
    agreement = find_agreement(session, ref)
    return load_views(
        session, [col(Agreement.id) == agreement.id], as_of=as_of, warning_days=warning_days
    )[0]


# ------------------------------------------------------------------------ listing

SORT_KEYS: dict[str, Callable[[AgreementView], Any]] = {
    "id": lambda v: v.id,
    "number": lambda v: v.number.casefold(),
    "title": lambda v: v.title.casefold(),
    "signed": lambda v: v.signed_on,
    "start": lambda v: v.starts_on,
    "end": lambda v: v.ends_on,
    "status": lambda v: v.status,
    "value": lambda v: v.value,
    "doc-type": lambda v: v.doc_type,
}


@dataclass
class ListFilter:
    statuses: Sequence[str] = ()
    kinds: Sequence[str] = ()
    doc_types: Sequence[str] = ()
    unit: str | None = None
    partner: str | None = None
    region: str | None = None
    year: int | None = None
    search: str | None = None
    sort: str = "id"
    descending: bool = False


def _match_names(
    session: Session, model: type[Partner] | type[Unit], text: str, what: str
) -> list[int]:
    """Ids of the partners/units named: the exact name, else every name containing it."""
    key = vocab.name_key(text)
    exact = list(session.scalars(select(model.id).where(model.name_key == key)))
    if exact:
        return exact
    contained = list(
        session.scalars(select(model.id).where(col(model.name_key).contains(key, autoescape=True)))
    )
    if contained:
        return contained
    names = list(session.scalars(select(model.name)))
    import difflib

    close = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
    raise NotFound(
        f"no {what} called {text!r}",
        hint=("did you mean " + " or ".join(repr(n) for n in close) + "?") if close else None,
    )


def match_regions(session: Session, text: str) -> list[str]:
    """The merged regions a name means: the exact name, else every one containing it."""
    regions = [r for r in session.scalars(select(Agreement.region).distinct()) if r]
    key = vocab.name_key(text)
    exact = [r for r in regions if vocab.name_key(r) == key]
    contained = [r for r in regions if key in vocab.name_key(r)]
    if exact or contained:
        return exact or contained
    raise NotFound(
        f"no region called {text!r} in this register",
        hint=("its regions: " + ", ".join(sorted(regions)))
        if regions
        else "only a register that others were merged into (kerjasama merge) has regions",
    )


def filter_conditions(session: Session, filters: ListFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.doc_types:
        codes = [vocab.DOC_TYPES.match(t, label="--doc-type") for t in filters.doc_types]
        conditions.append(col(Agreement.doc_type).in_(codes))
    if filters.kinds:
        codes = [vocab.KINDS.match(k, label="--kind") for k in filters.kinds]
        conditions.append(col(Agreement.kind).in_(codes))
    if filters.unit:
        ids = _match_names(session, Unit, filters.unit, "perangkat daerah (unit)")
        conditions.append(
            exists().where(
                agreement_unit.c.agreement_id == Agreement.id, agreement_unit.c.unit_id.in_(ids)
            )
        )
    if filters.partner:
        ids = _match_names(session, Partner, filters.partner, "partner")
        conditions.append(
            exists().where(
                agreement_partner.c.agreement_id == Agreement.id,
                agreement_partner.c.partner_id.in_(ids),
            )
        )
    if filters.region:
        conditions.append(col(Agreement.region).in_(match_regions(session, filters.region)))
    if filters.search:
        partner_named = exists().where(
            agreement_partner.c.agreement_id == Agreement.id,
            agreement_partner.c.partner_id == Partner.id,
            col(Partner.name_key).contains(vocab.name_key(filters.search), autoescape=True),
        )
        conditions.append(search_condition(filters.search) | partner_named)
    return conditions


def list_agreements(
    session: Session,
    filters: ListFilter,
    *,
    as_of: date,
    warning_days: int = status_rules.DEFAULT_WARNING_DAYS,
) -> list[AgreementView]:
    if filters.sort not in SORT_KEYS:
        raise InvalidValue(
            "sort",
            filters.sort,
            "is not a sort key",
            label="--sort",
            hint="choose one of: " + ", ".join(SORT_KEYS),
        )
    statuses = [vocab.STATUSES.match(s, label="--status") for s in filters.statuses]
    views = load_views(
        session, filter_conditions(session, filters), as_of=as_of, warning_days=warning_days
    )
    if statuses:
        views = [v for v in views if v.status in statuses]
    if filters.year is not None:
        views = [v for v in views if status_rules.in_force_during(v, filters.year)]
    key = SORT_KEYS[filters.sort]
    known = [v for v in views if key(v) is not None]
    unknown = [v for v in views if key(v) is None]
    known.sort(key=key, reverse=filters.descending)
    return known + unknown  # unknown values last, whichever the direction


# ---------------------------------------------------------------------------- due

BUCKETS = (7, 30, 60, 90)


@dataclass
class DueReport:
    as_of: date
    within: int
    buckets: dict[str, list[AgreementView]]
    kb_without_pks: list[AgreementView]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "within_days": self.within,
            "groups": {name: [v.to_dict() for v in views] for name, views in self.buckets.items()},
            "kb_without_pks": [v.to_dict() for v in self.kb_without_pks],
        }


def bucket_limits(within: int) -> list[int]:
    limits = [limit for limit in BUCKETS if limit < within]
    return [*limits, within]


def due_report(
    session: Session,
    *,
    as_of: date,
    within: int,
    overdue_days: int = 365,
    warning_days: int = status_rules.DEFAULT_WARNING_DAYS,
) -> DueReport:
    """Agreements ending within ``within`` days in 7/30/60/90-day groups, those that
    ended in the last ``overdue_days`` with nothing done, and KBs without a PKS."""
    views = load_views(session, as_of=as_of, warning_days=warning_days)
    limits = bucket_limits(within)
    buckets: dict[str, list[AgreementView]] = {"overdue": []}
    buckets.update({f"{limit}": [] for limit in limits})
    for view in views:
        if view.ends_on is None or view.status in ("draf", "diakhiri") or view.replaced:
            continue
        days_left = (view.ends_on - as_of).days
        if days_left < 0:
            if view.status == "berakhir" and -days_left <= overdue_days:
                buckets["overdue"].append(view)
            continue
        for limit in limits:
            if days_left <= limit:
                buckets[f"{limit}"].append(view)
                break
    for group in buckets.values():
        group.sort(key=lambda v: (v.ends_on or as_of, v.id))
    kb_without_pks = [
        v
        for v in views
        if v.doc_type == "kb"
        and v.pks_count == 0
        and v.status in ("berlaku", "akan-berakhir", "diperpanjang")
    ]
    return DueReport(as_of, within, buckets, kb_without_pks)


# ------------------------------------------------------------------------ history


@dataclass
class HistoryView:
    at: datetime
    user: str
    command: str
    field: str
    old: str | None
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.replace(microsecond=0).isoformat() + "Z"
        return data


def history(session: Session, ref: str) -> tuple[AgreementView, list[HistoryView]]:
    agreement = find_agreement(session, ref)
    view = load_views(session, [col(Agreement.id) == agreement.id], as_of=date.today())[0]
    rows = session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.agreement_id == agreement.id)
        .order_by(col(HistoryEntry.at), col(HistoryEntry.id))
    )
    return view, [HistoryView(r.at, r.user_name, r.command, r.field, r.old, r.new) for r in rows]
