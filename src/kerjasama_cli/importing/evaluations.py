"""`kerjasama import` of evaluations and findings: what the OPDs send back.

The evaluation sheet of the workbook ("Evaluasi 2021": Nomor, Tingkat
Pelaksanaan, Progres, Tindak Lanjut, ...) is meant to be filled in by each OPD
and imported again. A year has at most one row per agreement in force, so these
rows go through the same core functions as `kerjasama evaluate` and `finding`
(history included) rather than a bulk path; the guarantees are the agreements
import's: all or nothing, idempotent, conflict modes, dry run.

Cells are read as Excel stores what people type: a progress cell formatted as
a percentage holds 0.75 for "75%" and 1 for "100%".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import VERIFIED, Evaluation, Finding, Unit
from kerjasama_cli.errors import Conflict, InvalidValue, KerjasamaError, NotFound
from kerjasama_cli.evaluation import (
    EVALUATION_FIELDS,
    add_finding,
    read_evaluation_fields,
    record_evaluation,
    update_finding,
)
from kerjasama_cli.evaluation.records import SUBMITTED
from kerjasama_cli.importing.columns import ColumnMap
from kerjasama_cli.importing.form_returns import FormCheck
from kerjasama_cli.importing.summary import Problem
from kerjasama_cli.importing.tables import unprotect
from kerjasama_cli.parse import now_utc
from kerjasama_cli.register import Actor, find_agreement
from kerjasama_cli.status import in_force_during, in_force_span

Cell = Any


@dataclass
class Prepared:
    row: int
    sheet: str | None
    agreement_id: int
    number: str
    year: int
    values: dict[str, Any]
    # A row of a returned OPD form (matched by its key): recorded as submitted.
    from_form: bool = False


@dataclass
class EvaluationTable:
    """One table of evaluation or finding rows, as the layout lets them through."""

    sheet: str | None
    rows: Iterable[tuple[int, list[Cell]]]
    columns: ColumnMap
    # The lines above the header: "EVALUASI ... TAHUN 2021" names the year too.
    title: Sequence[str] = ()
    # Row numbers whose progress cell is formatted as a percentage (workbooks).
    percent_rows: Callable[[int], set[int]] | None = None
    col_offset: int = 0
    # The year the file's name gives (kerjasama's own CSV of an Evaluasi sheet).
    year_named: int | None = None
    # The OPD a returned form was made for (its document properties), if it says.
    form_unit: str | None = None


@dataclass
class Outcome:
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    )
    problems: list[tuple[str | None, int, InvalidValue]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)
    prepared: int = 0  # rows read without a problem (written, or not, all or nothing)
    # Left as they are (--on-conflict skip): (row, "number (year)", the fields that differ).
    skipped: list[tuple[int, str, list[str]]] = field(default_factory=list)
    written: bool = False


def _text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return cell.isoformat()
    text = unprotect(str(cell).strip())
    return None if text in ("", "-", "–", "—") else text


def year_from_sheet(sheet: str | None, title: Sequence[str] = ()) -> int | None:
    """'Evaluasi 2021' (the workbook's sheet), or a title above the table ("EVALUASI
    PELAKSANAAN KERJA SAMA TAHUN 2021"), names the year its rows are for."""
    match = re.search(r"\b(19|20|21)\d\d\b", sheet or "")
    if match is None:
        match = next(
            (m for line in title if (m := re.search(r"\btahun\s+((19|20|21)\d\d)\b", line, re.I))),
            None,
        )
        return int(match.group(1)) if match else None
    return int(match.group(0))


class _Rows:
    """Reads one row's cells by field, and names columns as the file does."""

    def __init__(self, table: EvaluationTable) -> None:
        columns = table.columns
        self.positions = {name: position for position, name in columns.fields.items()}
        self.labels = {name: f'column "{label}"' for name, label in columns.labels.items()}
        position = self.positions.get("progress")
        self.percent: set[int] = set()
        if position is not None and table.percent_rows is not None:
            self.percent = table.percent_rows(position + table.col_offset)

    def cell(self, cells: list[Cell], name: str) -> Cell:
        position = self.positions.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def get(self, cells: list[Cell], name: str) -> str | None:
        return _text(self.cell(cells, name))

    def label(self, name: str) -> str:
        return self.labels.get(name, f'column "{name}"')

    def progress(self, number: int, cells: list[Cell]) -> tuple[str | None, bool]:
        """The progress cell as text the reader takes, and whether it is ambiguous
        (a plain 1: one percent, or a hundred?)."""
        cell = self.cell(cells, "progress")
        if isinstance(cell, bool) or not isinstance(cell, (int, float)):
            return _text(cell), False
        fraction = number in self.percent or 0 < cell < 1
        percent = parse.percent_from_number(cell, fraction=fraction)
        if percent is None:
            return _text(cell), False  # out of range: the reader says so
        return str(percent), cell == 1 and not fraction


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
                "is not given, and neither the sheet's name nor its title names the year",
                label=rows.labels.get("year", "the year (no Tahun column)"),
                hint="add a 'Tahun' column, or name the sheet 'Evaluasi 2021'",
            )
        return default
    return parse.parse_int(text, field="year", label=rows.label("year"), low=1990, high=2200)


Read = Callable[[Any, int, int, list[Cell]], dict[str, Any]]


def _prepare(
    session: Session,
    table: EvaluationTable,
    rows: _Rows,
    outcome: Outcome,
    is_blank: Callable[[list[Cell]], bool],
    read: Read,
    form: FormCheck | None = None,
) -> list[Prepared]:
    """The row loop both kinds share: skip blank rows, collect problems, keep the rest.
    ``form``: the rows of a returned OPD form, each found by its key."""
    prepared = []
    year_default = table.year_named or year_from_sheet(table.sheet, table.title)
    for number, cells in table.rows:
        if is_blank(cells):
            outcome.blank.append(number)  # a row the OPD did not fill in
            continue
        try:
            key = rows.get(cells, "form_key") if form is not None else None
            row_year = year_default
            if form is not None and key is not None:
                agreement, key_year = form.agreement(
                    key, year_default, rows.label("form_key"), rows.get(cells, "number"), number
                )
                row_year = year_default or key_year  # a renamed sheet: the key says the year
            else:
                agreement = _agreement(session, rows, cells)
            year = _year(rows, cells, row_year)
            values = read(agreement, year, number, cells)
        except InvalidValue as error:
            outcome.problems.append((table.sheet, number, error))
            continue
        prepared.append(
            Prepared(
                number,
                table.sheet,
                agreement.id,
                agreement.number,
                year,
                values,
                from_form=key is not None,
            )
        )
    return prepared


def prepare_evaluations(
    session: Session, table: EvaluationTable, outcome: Outcome, source: str
) -> list[Prepared]:
    rows = _Rows(table)

    def read(agreement: Any, year: int, number: int, cells: list[Cell]) -> dict[str, Any]:
        raw = {name: rows.get(cells, name) for name in EVALUATION_FIELDS}
        raw["progress"], ambiguous = rows.progress(number, cells)
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
        if not values.get("level") and not _evaluated(session, agreement.id, year):
            # Answers without a level, for an agreement not evaluated yet: said here,
            # with its row and column, rather than taken for an empty row.
            raise InvalidValue.empty("level", rows.label("level"))
        if ambiguous and values.get("level") == "terlaksana":
            outcome.warnings.append(
                Problem(
                    source,
                    number,
                    f"{rows.label('progress')}: 1 with the level Terlaksana: read as 1%; "
                    "if 100% was meant, type 100 (or 100%)",
                    rows.label("progress"),
                    table.sheet,
                )
            )
        return values

    form = FormCheck(session, source, table.form_unit) if "form_key" in rows.positions else None
    answers = [name for name in EVALUATION_FIELDS if name in rows.positions]

    def is_blank(cells: list[Cell]) -> bool:
        """Nothing answered. A row with answers but no level is not blank: the reader
        says the level is missing, rather than pass it over as empty."""
        return all(rows.get(cells, name) is None for name in answers)

    return _prepare(session, table, rows, outcome, is_blank, read, form)


def _evaluated(session: Session, agreement_id: int, year: int) -> bool:
    found = session.scalar(
        select(col(Evaluation.id)).where(
            col(Evaluation.agreement_id) == agreement_id, col(Evaluation.year) == year
        )
    )
    return found is not None


def write_evaluations(
    session: Session,
    prepared: list[Prepared],
    on_conflict: str,
    actor: Actor,
    outcome: Outcome,
    source: str,
) -> None:
    counts, skipped = outcome.counts, outcome.skipped
    existing = {
        (row.agreement_id, row.year): row
        for row in session.scalars(
            select(Evaluation).where(
                col(Evaluation.agreement_id).in_({p.agreement_id for p in prepared})
            )
        )
    }
    submitted = {"state": SUBMITTED, "source_file": Path(source).name, "submitted_at": now_utc()}
    for item in prepared:
        current = existing.get((item.agreement_id, item.year))
        # An OPD's form returned again replaces its earlier answers; what the
        # office recorded or the TKKSD verified goes by --on-conflict.
        replaces = item.from_form and (current is None or current.state != VERIFIED)
        if current is not None:
            if all(getattr(current, k) == v for k, v in item.values.items()):
                counts["unchanged"] += 1
                continue
            if replaces:
                name = Path(source).name
                if current.source_file and current.source_file != name:
                    # An agreement two OPDs carry out has one answer a year: say
                    # whose answer this one replaces.
                    outcome.warnings.append(
                        Problem(
                            source,
                            item.row,
                            f"{item.number}: this answer replaces the one that came in "
                            f"{current.source_file} (not yet verified)",
                            sheet=item.sheet,
                        )
                    )
            elif on_conflict == "skip":
                counts["skipped"] += 1
                changed = [k for k, v in item.values.items() if getattr(current, k) != v]
                skipped.append((item.row, f"{item.number} ({item.year})", changed))
                if item.from_form:
                    outcome.warnings.append(
                        Problem(
                            source,
                            item.row,
                            f"{item.number}: its {item.year} answer is already verified, so "
                            "the form's was left out; the TKKSD returns it to the OPD first "
                            f"(kerjasama evaluate {item.year} {item.number} --return-to-opd "
                            "--note ...), or --on-conflict update takes it",
                            sheet=item.sheet,
                        )
                    )
                continue
            if on_conflict == "fail":
                where = f"{source}[{item.sheet}]" if item.sheet else source
                raise Conflict(
                    f"{where}:{item.row}: the {item.year} evaluation of {item.number} is "
                    "already recorded with other values; nothing was imported",
                    hint="use --on-conflict update to change it, or skip to leave it",
                )
        values = {**item.values, **submitted} if item.from_form else item.values
        result = record_evaluation(
            session, item.year, f"id:{item.agreement_id}", values, actor=actor
        )
        counts["created" if result.created else "updated"] += 1


def prepare_findings(
    session: Session, table: EvaluationTable, outcome: Outcome, source: str
) -> list[Prepared]:
    rows = _Rows(table)

    def read(agreement: Any, year: int, number: int, cells: list[Cell]) -> dict[str, Any]:
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
        table,
        rows,
        outcome,
        lambda cells: rows.get(cells, "text") is None and rows.get(cells, "number") is None,
        read,
    )


def write_findings(
    session: Session,
    prepared: list[Prepared],
    on_conflict: str,
    actor: Actor,
    outcome: Outcome,
    source: str,
) -> None:
    counts, skipped = outcome.counts, outcome.skipped
    """A finding is known by its agreement, year and text."""
    existing: dict[tuple[int, int, str], tuple[Finding, str | None]] = {}
    for finding, owner in session.execute(
        select(Finding, Unit.name).outerjoin(Unit, col(Unit.id) == Finding.owner_id)
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
            skipped.append(
                (item.row, f"{item.number} ({item.year})", ["status, owner or due date"])
            )
        elif on_conflict == "fail":
            where = f"{source}[{item.sheet}]" if item.sheet else source
            raise Conflict(
                f"{where}:{item.row}: finding #{finding.id} is already recorded "
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


def import_tables(
    register: Register,
    kind: str,
    source: str,
    tables: Iterable[EvaluationTable],
    *,
    dry_run: bool,
    on_conflict: str,
    skip_invalid: bool,
    actor: Actor,
) -> Outcome:
    """Import evaluation or finding rows of one file in one transaction."""
    outcome = Outcome()
    prepare, write = (
        (prepare_evaluations, write_evaluations)
        if kind == "evaluations"
        else (prepare_findings, write_findings)
    )
    try:
        with register.writing() as session:
            prepared = []
            for table in tables:
                prepared += prepare(session, table, outcome, source)
            outcome.prepared = len(prepared)
            if outcome.problems and not skip_invalid:
                return outcome
            write(session, prepared, on_conflict, actor, outcome, source)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return outcome
    except KerjasamaError:
        raise
    outcome.written = True
    return outcome


def problems_of(source: str, outcome: Outcome) -> list[Problem]:
    return [Problem.of(source, row, error, sheet) for sheet, row, error in outcome.problems]
