"""The register's write side: add and update agreements (ending.py extends and
terminates them).

Every function takes an open session inside a write transaction, validates
everything before it writes, records each change in history, and raises a
typed error (nothing half-written: the caller's transaction rolls back).
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import select

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.models import LOCAL_REGION, Agreement, HistoryEntry, Partner, Unit
from kerjasama_cli.errors import Conflict, InvalidValue, MissingValue
from kerjasama_cli.register.fields import (
    CLEAR,
    FIELD_READERS,
    PRECISE_DATES,
    PRECISIONS,
    REQUIRED,
    Change,
    PartnerSpec,
    as_text,
    no_end_reason,
    settle,
)
from kerjasama_cli.register.links import PARENT_TYPES, resolve_pending_links
from kerjasama_cli.register.lookup import find_agreement, number_key
from kerjasama_cli.register.resolve import resolve_partner, resolve_unit, same_time


@dataclass(frozen=True)
class Actor:
    """Who changes the register, and through which command (kept in history)."""

    user: str
    command: str

    @classmethod
    def current(cls, command: str) -> Actor:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no login name in some containers
            user = os.environ.get("USER") or "unknown"
        return cls(user=user, command=command)



@dataclass
class WriteResult:
    agreement_id: int
    doc_type: str
    number: str
    changes: list[Change] = field(default_factory=list)
    created: bool = False
    notes: list[str] = field(default_factory=list)



def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _document_file(text: str, label: str) -> tuple[str, str]:
    path = Path(text).expanduser()
    if not path.is_file():
        raise InvalidValue("file_path", text, "is not a file that exists", label=label)
    resolved = path.resolve()
    return str(resolved), file_digest(resolved)


# --------------------------------------------------------------------- validation

def _check_parent(doc_type: str, parent: Agreement, label: str) -> None:
    allowed = PARENT_TYPES[doc_type]
    if parent.doc_type not in allowed:
        what = vocab.DOC_TYPES.label(doc_type)
        parent_what = vocab.DOC_TYPES.label(parent.doc_type)
        raise InvalidValue(
            "parent",
            parent.number,
            f"is a {parent_what}; a {what} "
            + (
                "has no parent document"
                if not allowed
                else "belongs to a " + " or ".join(vocab.DOC_TYPES.label(t) for t in allowed)
            ),
            label=label,
        )



SETTLED = (*FIELD_READERS, "ends_on_derived", *PRECISIONS)


def _settle_agreement(agreement: Agreement, labels: Mapping[str, str], *, derive: bool) -> None:
    values = {name: getattr(agreement, name) for name in SETTLED}
    settle(values, labels, derive=derive)
    for name in SETTLED:
        current = getattr(agreement, name)
        # A PartialDate equals its plain date: compare the types too.
        if type(current) is not type(values[name]) or current != values[name]:
            setattr(agreement, name, values[name])


def _unique_number(
    session: Session,
    doc_type: str,
    number: str,
    *,
    exclude_id: int | None,
    label: str,
    region: str = LOCAL_REGION,
) -> None:
    # Numbers are unique per region: two kabupaten may both have a "1/KB/2021".
    query = select(Agreement).where(
        Agreement.region == region,
        Agreement.doc_type == doc_type,
        Agreement.number_key == number_key(number),
    )
    if exclude_id is not None:
        query = query.where(Agreement.id != exclude_id)
    clash = session.scalars(query).first()
    if clash is not None:
        raise Conflict(
            f"{label}: a {vocab.DOC_TYPES.label(doc_type)} numbered {clash.number!r} is "
            f"already in the register (id {clash.id})",
            hint="numbers are compared ignoring case and spaces; see: kerjasama show "
            f"id:{clash.id}",
        )


def record_history(
    session: Session, agreement_id: int, actor: Actor, changes: Iterable[Change]
) -> None:
    """Keep each change to an agreement (its evaluations and findings too) forever."""
    now = parse.now_utc()
    session.add_all(
        HistoryEntry(
            agreement_id=agreement_id,
            at=now,
            user_name=actor.user,
            command=actor.command,
            field=change.field,
            old=change.old,
            new=change.new,
        )
        for change in changes
    )


def _names(items: Iterable[Partner | Unit]) -> str | None:
    return "; ".join(item.name for item in items) or None


# ---------------------------------------------------------------------- commands

COPIED_FROM_PARENT = ("kind", "ksdd_category", "bidang")


def create_agreement(
    session: Session,
    doc_type: str,
    fields: Mapping[str, Any],
    *,
    partners: Sequence[PartnerSpec] = (),
    units: Sequence[str] = (),
    parent_ref: str | None = None,
    file: str | None = None,
    actor: Actor,
    labels: Mapping[str, str] | None = None,
) -> WriteResult:
    """Add one document to the register. ``fields`` are already read (see read_fields)."""
    labels = labels or {}
    values = dict(fields)
    for name in REQUIRED:
        if not values.get(name):
            raise MissingValue(name, label=labels.get(name))
    parent = None
    if parent_ref:
        parent = find_agreement(session, parent_ref)
        _check_parent(doc_type, parent, labels.get("parent", "parent"))
    elif doc_type == "adendum":
        raise MissingValue("parent", label=labels.get("parent"))
    if parent is not None:
        # A PKS or adendum carries its KB's partners, units and classification
        # unless it says otherwise.
        for name in COPIED_FROM_PARENT:
            if values.get(name) is None:
                values[name] = getattr(parent, name)
        if not partners:
            partners = [PartnerSpec(p.name, p.kind) for p in parent.partners]
        if not units:
            units = [u.name for u in parent.units]
    if not partners:
        raise MissingValue("partners", label=labels.get("partners"))
    _unique_number(
        session, doc_type, values["number"], exclude_id=None, label=labels.get("number", "number")
    )

    now = parse.now_utc()
    typed: dict[str, Any] = {name: values.get(name) for name in FIELD_READERS}
    agreement = Agreement(
        doc_type=doc_type,
        number_key=number_key(values["number"]),
        created_at=now,
        updated_at=now,
        ends_on_derived=False,
        parent_id=parent.id if parent else None,
        **typed,
    )
    if file:
        agreement.file_path, agreement.file_sha256 = _document_file(
            file, labels.get("file", "file")
        )
    _settle_agreement(agreement, labels, derive=True)
    agreement.partners = [resolve_partner(session, spec) for spec in partners]
    agreement.units = [resolve_unit(session, name) for name in vocab.unique(units)]
    session.add(agreement)
    with same_time(
        f"added a {vocab.DOC_TYPES.label(doc_type)} numbered {agreement.number!r}",
        f"see theirs with: kerjasama show {agreement.number!r}; if yours is another "
        "document, give it its own number",
    ):
        session.flush()
    summary = f"{vocab.DOC_TYPES.label(doc_type)} {agreement.number}"
    record_history(session, agreement.id, actor, [Change("dibuat", None, summary)])
    result = WriteResult(agreement.id, doc_type, agreement.number, created=True)
    if agreement.ends_on_derived and agreement.ends_on:
        result.notes.append(
            f"end date {agreement.ends_on.isoformat()} worked out from the term "
            f"{agreement.term_text!r}"
        )
    if reason := no_end_reason(_values_of(agreement)):
        result.notes.append(
            f"the term {agreement.term_text!r} gives no end date ({reason}): "
            "the agreement stays in force until an end is recorded (--end)"
        )
    linked = resolve_pending_links(session, actor, [agreement.id])
    result.notes += [
        f"{number} named {agreement.number} as its parent: now linked" for number in linked
    ]
    return result


def _values_of(agreement: Agreement) -> dict[str, Any]:
    return {name: getattr(agreement, name) for name in (*SETTLED, "terminated_on")}


def update_agreement(
    session: Session,
    ref: str,
    fields: Mapping[str, Any],
    *,
    partners: Sequence[PartnerSpec] | None = None,
    units: Sequence[str] | None = None,
    parent_ref: str | None = None,
    file: str | None = None,
    actor: Actor,
    labels: Mapping[str, str] | None = None,
) -> WriteResult:
    """Change the given fields; partners/units, when given, replace the lists."""
    labels = labels or {}
    agreement = find_agreement(session, ref)
    # Checks below query the register; the half-changed agreement must not be
    # flushed before they pass.
    with session.no_autoflush:
        return _update(session, agreement, fields, partners, units, parent_ref, file, actor, labels)


def _update(
    session: Session,
    agreement: Agreement,
    fields: Mapping[str, Any],
    partners: Sequence[PartnerSpec] | None,
    units: Sequence[str] | None,
    parent_ref: str | None,
    file: str | None,
    actor: Actor,
    labels: Mapping[str, str],
) -> WriteResult:
    before = {
        name: getattr(agreement, name)
        for name in (*FIELD_READERS, *PRECISIONS, "file_path", "file_sha256", "ends_on_derived")
    }
    for name in REQUIRED:
        if name in fields and not fields[name]:
            raise MissingValue(name, label=labels.get(name))
    for name, value in fields.items():
        setattr(agreement, name, value)
        if name in PRECISE_DATES:  # a whole date typed: known to the day (settle() reads a
            setattr(agreement, f"{name}_precision", None)  # month or year typed)
    if "ends_on" in fields:
        agreement.ends_on_derived = False
    if "number" in fields:
        _unique_number(
            session,
            agreement.doc_type,
            fields["number"],
            exclude_id=agreement.id,
            label=labels.get("number", "number"),
            region=agreement.region,
        )
        agreement.number_key = number_key(fields["number"])
    if file is not None:
        if file.strip() in CLEAR:
            agreement.file_path = agreement.file_sha256 = None
        else:
            agreement.file_path, agreement.file_sha256 = _document_file(
                file, labels.get("file", "file")
            )
    rederive = {"term_text", "starts_on", "signed_on"} & set(fields) and "ends_on" not in fields
    _settle_agreement(agreement, labels, derive=bool(rederive))

    changes = [
        Change(name, as_text(old), as_text(getattr(agreement, name)))
        for name, old in before.items()
        if old != getattr(agreement, name) and name != "ends_on_derived"
    ]
    if parent_ref is not None:
        old_parent = agreement.parent_id
        if parent_ref.strip() in CLEAR:
            agreement.parent_id = None
        else:
            parent = find_agreement(session, parent_ref)
            if parent.id == agreement.id:
                raise InvalidValue(
                    "parent",
                    parent_ref,
                    "is this agreement itself",
                    label=labels.get("parent", "parent"),
                )
            _check_parent(agreement.doc_type, parent, labels.get("parent", "parent"))
            agreement.parent_id = parent.id
        if old_parent != agreement.parent_id:
            changes.append(
                Change(
                    "parent",
                    _number_of(session, old_parent),
                    _number_of(session, agreement.parent_id),
                )
            )
    if partners is not None:
        if not partners:
            raise MissingValue("partners", label=labels.get("partners"))
        old_names = _names(agreement.partners)
        agreement.partners = [resolve_partner(session, spec) for spec in partners]
        if old_names != _names(agreement.partners):
            changes.append(Change("partners", old_names, _names(agreement.partners)))
    if units is not None:
        old_names = _names(agreement.units)
        agreement.units = [resolve_unit(session, name) for name in vocab.unique(units)]
        if old_names != _names(agreement.units):
            changes.append(Change("units", old_names, _names(agreement.units)))
    return _finish(session, agreement, actor, changes)


def _finish(
    session: Session, agreement: Agreement, actor: Actor, changes: list[Change]
) -> WriteResult:
    if changes:
        agreement.updated_at = parse.now_utc()  # the ORM bumps the version with it
        with same_time(
            f"gave another {vocab.DOC_TYPES.label(agreement.doc_type)} the number "
            f"{agreement.number!r}",
            "look at the register again (kerjasama list --search NUMBER) and repeat it",
        ):
            session.flush()
        record_history(session, agreement.id, actor, changes)
    return WriteResult(agreement.id, agreement.doc_type, agreement.number, changes=changes)


def _number_of(session: Session, agreement_id: int | None) -> str | None:
    if agreement_id is None:
        return None
    return session.scalar(select(Agreement.number).where(Agreement.id == agreement_id))
