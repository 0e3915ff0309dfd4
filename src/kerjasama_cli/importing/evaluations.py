"""`kerjasama import` of evaluations and findings: what the OPDs send back.

The evaluation sheet of the workbook ("Evaluasi 2021": Nomor, Tingkat
Pelaksanaan, Progres, Tindak Lanjut, ...) is meant to be filled in by each OPD
and imported again. A year has at most one row per agreement in force, so these
rows go through the same core functions as `kerjasama evaluate` and `finding`
(history included) rather than a bulk path; the guarantees are the agreements
import's: all or nothing, idempotent, conflict modes, dry run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Evaluation, Finding, Unit
from kerjasama_cli.errors import Conflict, InvalidValue, KerjasamaError, NotFound
from kerjasama_cli.evaluation import (
    EVALUATION_FIELDS,
    add_finding,
    read_evaluation_fields,
    record_evaluation,
    update_finding,
)
from kerjasama_cli.register import Actor, find_agreement
from kerjasama_cli.status import in_force_during, in_force_span

Cell = Any


@dataclass
class Prepared:
    row: int
    agreement_id: int
    number: str
    year: int
    values: dict[str, Any]


def _text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip()
    return None if text in ("", "-", "–", "—") else text


def year_from_sheet(sheet: str | None) -> int | None:
    """'Evaluasi 2021' (the workbook's sheet) names the year its rows are for."""
    match = re.search(r"\b(19|20|21)\d\d\b", sheet or "")
    return int(match.group(0)) if match else None


class _Rows:
    """Reads one row's cells by field, and names columns as the file does."""

    def __init__(self, fields: Mapping[int, str], labels: Mapping[str, str]) -> None:
        self.positions = {name: position for position, name in fields.items()}
        self.labels = {name: f'column "{label}"' for name, label in labels.items()}

    def get(self, cells: list[Cell], name: str) -> str | None:
        position = self.positions.get(name)
        if position is None or position >= len(cells):
            return None
        return _text(cells[position])

    def label(self, name: str) -> str:
        return self.labels.get(name, f'column "{name}"')


def _agreement(session: Session, rows: _Rows, cells: list[Cell]) -> Any:
    number = rows.get(cells, "number")
    if not number:
        raise InvalidValue.empty("number", rows.label("number"))
    try:
        return find_agreement(session, number)
    except (NotFound, Conflict) as error:
        raise InvalidValue(
            "number",
            number,
            "names no single agreement in the register",
            label=rows.label("number"),
            hint=error.message,
        ) from None


def _year(rows: _Rows, cells: list[Cell], default: int | None) -> int:
    text = rows.get(cells, "year")
    if text is None:
        if default is None:
            raise InvalidValue(
                "year",
                "",
                "is missing, and the sheet's name gives no year",
                label=rows.label("year"),
            )
        return default
    return parse.parse_int(text, field="year", label=rows.label("year"), low=1990, high=2200)


def _prepare(
    session: Session,
    raw_rows: Any,
    rows: _Rows,
    year_default: int | None,
    problems: Callable[[int, InvalidValue], None],
    blank: list[int],
    is_blank: Callable[[list[Cell]], bool],
    read: Callable[[Any, int, list[Cell]], dict[str, Any]],
) -> list[Prepared]:
    """The row loop both kinds share: skip blank rows, collect problems, keep the rest."""
    prepared = []
    for number, cells in raw_rows:
        if is_blank(cells):
            blank.append(number)  # a row the OPD did not fill in
            continue
        try:
            agreement = _agreement(session, rows, cells)
            year = _year(rows, cells, year_default)
            values = read(agreement, year, cells)
        except InvalidValue as error:
            problems(number, error)
            continue
        prepared.append(Prepared(number, agreement.id, agreement.number, year, values))
    return prepared


def prepare_evaluations(
    session: Session,
    raw_rows: Any,
    rows: _Rows,
    year_default: int | None,
    problems: Callable[[int, InvalidValue], None],
    blank: list[int],
) -> list[Prepared]:
    def read(agreement: Any, year: int, cells: list[Cell]) -> dict[str, Any]:
        raw = {name: rows.get(cells, name) for name in EVALUATION_FIELDS}
        values = read_evaluation_fields(
            {k: v for k, v in raw.items() if v is not None}, {k: rows.label(k) for k in raw}
        )
        if not in_force_during(agreement, year):
            raise InvalidValue(
                "number",
                agreement.number,
                f"was not in force during {year} (its term is {in_force_span(agreement)})",
                label=rows.label("number"),
            )
        return values

    return _prepare(
        session,
        raw_rows,
        rows,
        year_default,
        problems,
        blank,
        lambda cells: rows.get(cells, "level") is None,
        read,
    )


def write_evaluations(
    session: Session,
    prepared: list[Prepared],
    on_conflict: str,
    actor: Actor,
    counts: dict[str, int],
    source: str,
) -> None:
    existing = {
        (row.agreement_id, row.year): row
        for row in session.scalars(
            select(Evaluation).where(
                Evaluation.agreement_id.in_({p.agreement_id for p in prepared})
            )
        )
    }
    for item in prepared:
        current = existing.get((item.agreement_id, item.year))
        if current is not None:
            if all(getattr(current, k) == v for k, v in item.values.items()):
                counts["unchanged"] += 1
                continue
            if on_conflict == "skip":
                counts["skipped"] += 1
                continue
            if on_conflict == "fail":
                raise Conflict(
                    f"{source}:{item.row}: the {item.year} evaluation of {item.number} is "
                    "already recorded with other values; nothing was imported",
                    hint="use --on-conflict update to change it, or skip to leave it",
                )
        result = record_evaluation(
            session, item.year, f"id:{item.agreement_id}", item.values, actor=actor
        )
        counts["created" if result.created else "updated"] += 1


def prepare_findings(
    session: Session,
    raw_rows: Any,
    rows: _Rows,
    year_default: int | None,
    problems: Callable[[int, InvalidValue], None],
    blank: list[int],
) -> list[Prepared]:
    def read(agreement: Any, year: int, cells: list[Cell]) -> dict[str, Any]:
        text = rows.get(cells, "text")
        if text is None:
            raise InvalidValue.empty("text", rows.label("text"))
        values: dict[str, Any] = {"text": text}
        category = rows.get(cells, "category") or "lainnya"
        values["category"] = vocab.FINDING_CATEGORIES.match(
            category, field_name="category", label=rows.label("category")
        )
        status = rows.get(cells, "status") or "terbuka"
        values["status"] = vocab.FINDING_STATUSES.match(
            status, field_name="status", label=rows.label("status")
        )
        due = rows.get(cells, "due_on")
        values["due_on"] = (
            parse.parse_date(due, field="due_on", label=rows.label("due_on")) if due else None
        )
        values["owner"] = rows.get(cells, "owner")
        values["recommendation"] = rows.get(cells, "recommendation")
        values["note"] = rows.get(cells, "note")
        return values

    return _prepare(
        session,
        raw_rows,
        rows,
        year_default,
        problems,
        blank,
        lambda cells: rows.get(cells, "text") is None and rows.get(cells, "number") is None,
        read,
    )


def write_findings(
    session: Session,
    prepared: list[Prepared],
    on_conflict: str,
    actor: Actor,
    counts: dict[str, int],
    source: str,
) -> None:
    """A finding is known by its agreement, year and text."""
    existing: dict[tuple[int, int, str], tuple[Finding, str | None]] = {}
    for finding, owner in session.execute(
        select(Finding, Unit.name).outerjoin(Unit, Unit.id == Finding.owner_id)
    ):
        existing[(finding.agreement_id, finding.year, finding.text.casefold())] = (finding, owner)
    for item in prepared:
        values = item.values
        found = existing.get((item.agreement_id, item.year, values["text"].casefold()))
        if found is None:
            finding_id = add_finding(
                session,
                f"id:{item.agreement_id}",
                year=item.year,
                category=values["category"],
                text=values["text"],
                owner=values["owner"],
                due_on=values["due_on"],
                recommendation=values["recommendation"],
                status=values["status"],
                actor=actor,
            )
            if values["note"]:
                update_finding(session, finding_id, note=values["note"], actor=actor)
            counts["created"] += 1
            continue
        finding, current_owner = found
        same = (
            finding.status == values["status"]
            and finding.due_on == values["due_on"]
            and vocab.name_key(current_owner or "") == vocab.name_key(values["owner"] or "")
        )
        if same and not values["note"]:
            counts["unchanged"] += 1
        elif on_conflict == "skip":
            counts["skipped"] += 1
        elif on_conflict == "fail":
            raise Conflict(
                f"{source}:{item.row}: finding #{finding.id} is already recorded "
                "with another status, owner or deadline; nothing was imported",
                hint="use --on-conflict update to follow it up from the file",
            )
        else:
            update_finding(
                session,
                finding.id,
                status=values["status"],
                note=values["note"],
                due_on=values["due_on"],
                owner=values["owner"],
                actor=actor,
            )
            counts["updated"] += 1


class _DryRun(Exception):
    pass


def import_rows(
    register: Register,
    kind: str,
    source: str,
    raw_rows: Any,
    fields: Mapping[int, str],
    labels: Mapping[str, str],
    *,
    sheet: str | None,
    dry_run: bool,
    on_conflict: str,
    skip_invalid: bool,
    actor: Actor,
) -> tuple[dict[str, int], list[tuple[int, InvalidValue]], list[int], bool]:
    """Import evaluation or finding rows; (counts, problems, blank rows, written)."""
    rows = _Rows(fields, labels)
    problems: list[tuple[int, InvalidValue]] = []
    blank: list[int] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    prepare, write = (
        (prepare_evaluations, write_evaluations)
        if kind == "evaluations"
        else (prepare_findings, write_findings)
    )
    try:
        with register.writing() as session:
            prepared = prepare(
                session,
                raw_rows,
                rows,
                year_from_sheet(sheet),
                lambda row, error: problems.append((row, error)),
                blank,
            )
            if problems and not skip_invalid:
                return counts, problems, blank, False
            write(session, prepared, on_conflict, actor, counts, source)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return counts, problems, blank, False
    except KerjasamaError:
        raise
    return counts, problems, blank, True
