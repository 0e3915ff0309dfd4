"""Validated rows -> the register: one transaction, bulk inserts, conflicts, links, history.

The register as it was before the import (for comparing) and the ids of its
agreements (for parents) are read once; ids grow as rows go in. A row whose
parent is not in the register yet waits: it may come further down the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.bulk import fetch_plain, insert_rows, prepare
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import (
    LOCAL_REGION,
    Partner,
    Unit,
    agreement_partner,
    agreement_table,
    agreement_unit,
    history_table,
    partner_table,
    unit_table,
)
from kerjasama_cli.importing.merge import classify, differences
from kerjasama_cli.importing.records import (
    BATCH,
    COMPARED,
    RECORD_FIELDS,
    Key,
    Row,
)
from kerjasama_cli.importing.summary import FileSummary, ImportOptions, Problem, TableInfo
from kerjasama_cli.register import Actor
from kerjasama_cli.register.links import PARENT_TYPES, resolve_pending_links
from kerjasama_cli.register.names import names_to_ids

INSERTED = (
    *RECORD_FIELDS,
    "doc_type",
    "number_key",
    "version",
    "created_at",
    "updated_at",
    "parent_id",
    "unresolved_parent",
)


class _Ids:
    """Agreement ids by (doc_type, number key), and by number for finding parents."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[Key, int] = {}
        self.by_number: dict[str, list[tuple[str, int]]] = {}
        self.newest = 0
        self.refresh()

    def refresh(self) -> None:
        """Read only the ids added since the last read: one small query a level."""
        table = agreement_table
        query = select(table.c.id, table.c.doc_type, table.c.number_key).where(
            table.c.id > self.newest, table.c.region == LOCAL_REGION
        )
        newest = self.newest
        for ident, doc_type, key in fetch_plain(self.session.connection(), query):
            self.by_key[(doc_type, key)] = ident
            self.by_number.setdefault(key, []).append((doc_type, ident))
            if ident > newest:
                newest = ident
        self.newest = newest

    def parent(self, doc_type: str, parent_key: str | None) -> int | None:
        return _fitting_parent(self.by_number, doc_type, parent_key)


def _fitting_parent(
    known: Mapping[str, list[tuple[str, int]]], doc_type: str, parent_key: str | None
) -> int | None:
    """The id of a document numbered ``parent_key`` that a ``doc_type`` may belong to."""
    if not parent_key:
        return None
    candidates = known.get(parent_key)
    if not candidates:
        return None
    allowed = PARENT_TYPES.get(doc_type, ())
    for candidate_type, ident in candidates:
        if candidate_type in allowed:
            return ident
    return None


def _existing(session: Session) -> dict[Key, dict[str, Any]]:
    """The register's agreements as the import compares them, links included."""
    table = agreement_table
    parent = table.alias("parent")
    query = select(
        table.c.id,
        table.c.doc_type,
        table.c.number_key,
        table.c.version,
        *(table.c[name] for name in COMPARED),
        table.c.ends_on_derived,
        func.coalesce(parent.c.number, table.c.unresolved_parent).label("parent_number"),
        parent.c.ends_on.label("parent_ends_on"),
    )
    query = query.outerjoin(parent, parent.c.id == table.c.parent_id).where(
        table.c.region == LOCAL_REGION
    )
    existing = {}
    by_id = {}
    for item in session.execute(query).mappings():
        record = dict(item)
        record["partners"], record["units"] = [], []
        existing[(item["doc_type"], item["number_key"])] = record
        by_id[item["id"]] = record
    if not existing:
        return existing
    for agreement_id, name, kind in session.execute(
        select(agreement_partner.c.agreement_id, partner_table.c.name, partner_table.c.kind)
        .join(partner_table, partner_table.c.id == agreement_partner.c.partner_id)
        .order_by(agreement_partner.c.agreement_id, agreement_partner.c.position)
    ):
        if agreement_id in by_id:  # merged regions' agreements are not compared
            by_id[agreement_id]["partners"].append((name, kind))
    for agreement_id, name in session.execute(
        select(agreement_unit.c.agreement_id, unit_table.c.name)
        .join(unit_table, unit_table.c.id == agreement_unit.c.unit_id)
        .order_by(agreement_unit.c.agreement_id, agreement_unit.c.position)
    ):
        if agreement_id in by_id:
            by_id[agreement_id]["units"].append(name)
    return existing


def _insert_new(session: Session, new_rows: list[Row], ids: _Ids, now: datetime) -> None:
    """Insert parents before children (a KB may follow its PKS in the file), so each
    row carries its parent_id from the start: no second pass over the table."""
    connection = session.connection()
    pending = new_rows
    while pending:
        in_file = {row.key[1] for row in pending}
        ready = [
            row
            for row in pending
            if row.parent_key is None
            or row.parent_key not in in_file
            or ids.parent(row.key[0], row.parent_key) is not None
        ]
        if not ready:  # a cycle of parents: leave them unlinked rather than loop
            ready = pending
        insert_rows(
            connection,
            agreement_table,
            INSERTED,
            (
                (
                    *row.values.record_fields(),
                    row.key[0],
                    row.key[1],
                    1,
                    now,
                    now,
                    *_parent_columns(row, ids),
                )
                for row in ready
            ),
        )
        ids.refresh()
        chosen = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in chosen]


def _parent_columns(row: Row, ids: _Ids) -> tuple[int | None, str | None]:
    """(parent_id, unresolved_parent): the parent's id, or its number while it is
    in neither the register nor the file (the link is made when it arrives)."""
    if row.parent_key is None:
        return _NO_PARENT
    parent = ids.parent(row.key[0], row.parent_key)
    if parent is None and not row.soft:
        return None, row.values["parent_number"]
    return parent, None


_NO_PARENT = (None, None)


def _update_changed(
    session: Session, changed: Sequence[tuple[Row, Mapping[str, Any]]], ids: _Ids, now: datetime
) -> None:
    if not changed:
        return
    table = agreement_table
    statement = (
        update(table)
        .where(table.c.id == bindparam("target_id"))
        .values(
            {name: bindparam(f"new_{name}") for name in RECORD_FIELDS}
            | {
                "version": bindparam("new_version"),
                "updated_at": bindparam("new_at"),
                "parent_id": bindparam("new_parent"),
                "unresolved_parent": bindparam("new_unresolved"),
            }
        )
    )
    session.execute(
        statement,
        [
            {
                "target_id": current["id"],
                "new_version": current["version"] + 1,
                "new_at": now,
                **dict(
                    zip(("new_parent", "new_unresolved"), _parent_columns(row, ids), strict=True)
                ),
                **{f"new_{name}": row.values.get(name) for name in RECORD_FIELDS},
            }
            for row, current in changed
        ],
    )
    changed_ids = [current["id"] for _row, current in changed]
    for start in range(0, len(changed_ids), BATCH):
        chunk = changed_ids[start : start + BATCH]
        session.execute(
            delete(agreement_partner).where(agreement_partner.c.agreement_id.in_(chunk))
        )
        session.execute(delete(agreement_unit).where(agreement_unit.c.agreement_id.in_(chunk)))


DOC_LABELS = {code: vocab.DOC_TYPES.label(code) for code in vocab.DOC_TYPES.codes}


class _Writer:
    """Writes validated rows, chunk by chunk, inside the import's one transaction.

    The register as it was before the import (for comparing) and the ids of
    its agreements (for parents) are read once; ids grow as rows go in. A row
    whose parent is not in the register yet waits: it may come further down
    the file. ``finish`` checks and writes what still waits.
    """

    def __init__(
        self,
        session: Session,
        summary: FileSummary,
        options: ImportOptions,
        actor: Actor,
        tables: Sequence[TableInfo],
    ) -> None:
        self.session = session
        self.summary = summary
        self.options = options
        self.actor = actor
        self.tables = tables
        prepare(session.connection())
        self.existing = _existing(session)
        self.ids = _Ids(session)
        self.now = parse.now_utc()
        self.waiting: list[Row] = []

    def _parent_known(self, row: Row) -> bool:
        return self.ids.parent(row.key[0], row.parent_key) is not None

    def add(self, rows: list[Row]) -> None:
        in_chunk = {row.key[1] for row in rows}
        ready = []
        for row in rows:
            if row.parent_key and row.parent_key not in in_chunk and not self._parent_known(row):
                self.waiting.append(row)
            else:
                ready.append(row)
        self._write(_check_parents(ready, self.summary, self.tables, self.ids.by_number))
        if self.waiting:
            arrived = [row for row in self.waiting if self._parent_known(row)]
            if arrived:
                self.waiting = [row for row in self.waiting if not self._parent_known(row)]
                self._write(arrived)

    def finish(self) -> None:
        """Write what waited for a parent: linked if it came, else with the parent's
        number kept (the link is made when it arrives); a wrong parent is a problem."""
        rows, self.waiting = self.waiting, []
        self._write(_check_parents(rows, self.summary, self.tables, self.ids.by_number, final=True))

    def _write(self, rows: list[Row]) -> None:
        if not rows:
            return
        session, summary, options, actor = self.session, self.summary, self.options, self.actor
        new_rows, changed = classify(rows, self.existing, summary, options, self.tables)
        now = self.now
        touched = [*new_rows, *(row for row, _current in changed)]
        partners: dict[str, tuple[str, str | None]] = {}
        units: dict[str, tuple[str, str | None]] = {}
        # Each row's partners and OPDs, read once: the links below use them again.
        links = [(row.values["partners"], row.values["units"]) for row in touched]
        for row_partners, row_units in links:
            for name, kind in row_partners:
                key = vocab.name_key(name)
                if key not in partners or (kind and not partners[key][1]):
                    partners[key] = (name, kind)
            for name in row_units:
                units.setdefault(vocab.name_key(name), (name, None))
        partner_ids = names_to_ids(session, Partner, partners)
        unit_ids = names_to_ids(session, Unit, units)

        ids = self.ids
        _insert_new(session, new_rows, ids, now)
        _update_changed(session, changed, ids, now)
        connection = session.connection()
        agreement_ids = [ids.by_key[row.key] for row in touched]
        insert_rows(
            connection,
            agreement_partner,
            ("agreement_id", "partner_id", "position"),
            (
                (agreement_id, partner_ids[vocab.name_key(name)], position)
                for agreement_id, (row_partners, _units) in zip(agreement_ids, links, strict=True)
                for position, (name, _kind) in enumerate(row_partners)
            ),
        )
        insert_rows(
            connection,
            agreement_unit,
            ("agreement_id", "unit_id", "position"),
            (
                (agreement_id, unit_ids[vocab.name_key(name)], position)
                for agreement_id, (_partners, row_units) in zip(agreement_ids, links, strict=True)
                for position, name in enumerate(row_units)
            ),
        )
        source = Path(summary.source).name
        places = [f"{source}[{t.sheet}]" if t.sheet else source for t in self.tables]
        history_columns = ("agreement_id", "at", "user_name", "command", "field", "old", "new")
        created = (
            (
                ids.by_key[row.key],
                now,
                actor.user,
                actor.command,
                "dibuat",
                None,
                f"{DOC_LABELS[row.key[0]]} {row.values['number']} "
                f"({places[row.table]}:{row.number})",
            )
            for row in new_rows
        )
        updated = (
            (current["id"], now, actor.user, actor.command, name, old, new)
            for row, current in changed
            for name, old, new in differences(current, row.values)
        )
        insert_rows(connection, history_table, history_columns, created)
        insert_rows(connection, history_table, history_columns, updated)
        summary.created += len(new_rows)
        summary.updated += len(changed)


def _sort_problems(summary: FileSummary) -> None:
    order = {t.sheet: i for i, t in enumerate(summary.reading.tables)} if summary.reading else {}
    summary.problems.sort(key=lambda p: (order.get(p.sheet, 0), p.row or 0))


def _check_parents(
    rows: list[Row],
    summary: FileSummary,
    tables: Sequence[TableInfo],
    known: Mapping[str, list[tuple[str, int]]],
    *,
    final: bool = False,
) -> list[Row]:
    """A parent number must name a document the row may belong to.

    ``known``: the register's agreements by number key (those this import has
    written so far included), as (doc type, id). With ``final`` (nothing more
    will come), a parent in neither the register nor the file is kept as an
    unresolved link, unless the file has it as an invalid row; a parent only
    named in a note ("Pelaksanaan KB Nomor ...") is dropped when not found.
    """
    in_file: dict[str, list[str]] | None = None
    kept = []
    for row in rows:
        if not row.parent_key or _fitting_parent(known, row.key[0], row.parent_key) is not None:
            kept.append(row)  # the usual case: no parent, or a fitting one in the register
            continue
        if in_file is None:
            in_file = {}
            for doc_type, number in (other.key for other in rows):
                in_file.setdefault(number, []).append(doc_type)
        allowed = PARENT_TYPES.get(row.key[0], ())
        types = in_file.get(row.parent_key, []) + [
            doc_type for doc_type, _id in known.get(row.parent_key, ())
        ]
        if row.soft:
            if not (set(types) & set(allowed)) and (final or types):
                row.values = row.values.replace(parent_number=None)
                row.parent_key, row.soft = None, False
            kept.append(row)
            continue
        parent_number = row.values["parent_number"]
        label = tables[row.table].parent_label
        invalid = summary.invalid_numbers.get(row.parent_key)
        if not allowed:
            reason = f"is given, but a {vocab.DOC_TYPES.label(row.key[0])} has no parent"
        elif types and not set(types) & set(allowed):
            reason = (
                f"is a {vocab.DOC_TYPES.label(types[0])}; a "
                f"{vocab.DOC_TYPES.label(row.key[0])} belongs to a "
                + " or ".join(vocab.DOC_TYPES.label(t) for t in allowed)
            )
        elif not types and invalid is not None:
            sheet, invalid_row = invalid
            place = f"sheet {sheet!r} row {invalid_row}" if sheet else f"row {invalid_row}"
            its = "its KB" if row.key[0] == "pks" else "the document it amends"
            reason = f"is {its}, {place}, which is invalid: fix that row first"
        else:
            reason = ""
        if reason:
            summary.invalid += 1
            summary.problems.append(
                Problem(
                    summary.source,
                    row.number,
                    f"{label}: {parent_number!r} {reason}",
                    label,
                    tables[row.table].sheet,
                )
            )
            continue
        if final and not types and parent_number not in summary.unresolved:
            summary.unresolved.append(parent_number)
        kept.append(row)
    return kept


def write_chunks(
    register: Register,
    chunks: Iterable[list[Row]],
    summary: FileSummary,
    tables: Sequence[TableInfo],
    options: ImportOptions,
    actor: Actor,
) -> FileSummary:
    """Write validated chunks in one transaction: all of them, or none if any row is invalid."""
    try:
        with register.writing() as session:
            writer = _Writer(session, summary, options, actor, tables)
            for chunk in chunks:
                writer.add(chunk)
            writer.finish()
            linked = resolve_pending_links(session, actor)
            if linked:
                summary.notes.append(
                    (
                        "1 document that named a parent not in the register before is"
                        if len(linked) == 1
                        else f"{len(linked)} documents that named a parent not in the "
                        "register before are"
                    )
                    + " now linked to it: "
                    + ", ".join(linked[:10])
                    + (", ..." if len(linked) > 10 else "")
                )
            _sort_problems(summary)
            if summary.invalid and not options.skip_invalid:
                # All or nothing: what was written goes back, and the summary says so.
                summary.created = summary.updated = summary.unchanged = summary.skipped = 0
                raise _RollBack
            if options.dry_run:
                raise _RollBack  # the same work as a real import, then rolled back
    except _RollBack:
        return summary
    summary.written = True
    return summary


class _RollBack(Exception):
    """Ends the import's transaction without committing it (dry run, invalid rows)."""
