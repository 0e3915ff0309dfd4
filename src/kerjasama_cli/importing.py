"""`kerjasama import`: a region's existing register from CSV, XLSX, JSON or JSONL.

The flow is one way: a reader yields raw rows; the header map names their
columns; a validator turns each row into a plain record (or problems), using the
register's own field readers behind per-column caches, since the same dates,
OPDs and partners repeat thousands of times; cross-row checks follow (a number
twice, a parent that exists nowhere); then one transaction writes everything
with SQLAlchemy Core executemany. Any exception rolls the whole file back.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import (
    Agreement,
    Partner,
    Unit,
    agreement_partner,
    agreement_table,
    agreement_unit,
    history_table,
    partner_table,
)
from kerjasama_cli.errors import Conflict, InvalidValue, KerjasamaError
from kerjasama_cli.register import (
    CLEAR,
    FIELD_READERS,
    Actor,
    as_text,
    file_digest,
    number_key,
    settle,
)

# ---------------------------------------------------------------------- columns

AGREEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "doc_type": ("Jenis Dokumen", "Jenis", "Tipe Dokumen"),
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda", "No Dokumen", "Nomor Naskah"),
    "partner_number": ("Nomor Mitra", "Nomor Pihak Kedua", "Nomor Pihak II"),
    "title": ("Tentang", "Judul", "Perihal"),
    "scope": ("Ruang Lingkup",),
    "partners": ("Mitra", "Pihak", "Para Pihak", "Nama Mitra", "Pihak Kedua"),
    "partner_kind": ("Jenis Mitra",),
    "kind": ("Jenis Kerja Sama", "Jenis Kerjasama"),
    "ksdd_category": ("Kategori KSDD", "Kategori"),
    "bidang": ("Bidang Urusan", "Urusan", "Bidang"),
    "units": ("Perangkat Daerah", "OPD", "Pelaksana", "Perangkat Daerah Pelaksana"),
    "signed_on": ("Tanggal Penandatanganan", "Tanggal TTD", "Tgl TTD", "Tanggal"),
    "starts_on": ("Tanggal Mulai", "Mulai Berlaku"),
    "ends_on": ("Tanggal Berakhir", "Berlaku Sampai", "Berakhir"),
    "term_text": ("Jangka Waktu", "Masa Berlaku"),
    "value": ("Nilai", "Nilai (Rp)", "Nilai Kerja Sama"),
    "funding": ("Sumber Pembiayaan", "Sumber Dana", "Pembiayaan"),
    "dprd": ("Persetujuan DPRD",),
    "dprd_number": ("Nomor Persetujuan DPRD",),
    "dprd_date": ("Tanggal Persetujuan DPRD",),
    "parent_number": ("Induk", "Nomor KB", "Nomor Induk", "Dokumen Induk"),
    "terminated_on": ("Tanggal Diakhiri", "Diakhiri", "Tanggal Pengakhiran"),
    "termination_reason": ("Alasan Diakhiri", "Alasan Pengakhiran"),
    "file_path": ("Dokumen", "Berkas", "File"),
    "note": ("Keterangan", "Catatan"),
}
EVALUATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("Tahun",),
    "level": ("Tingkat Pelaksanaan",),
    "progress": ("Progres", "Progres (%)", "Realisasi %", "Realisasi"),
    "follow_up": ("Tindak Lanjut",),
    "obstacles": ("Kendala", "Permasalahan", "Kendala/Permasalahan"),
    "recommendation": ("Rekomendasi",),
}
FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("Jenis Temuan",),
    "text": ("Uraian", "Uraian Temuan"),
    "owner": ("Penanggung Jawab",),
    "due_on": ("Batas Waktu",),
}
# Columns that exports write and imports may meet again, with nothing to read.
IGNORED_COLUMNS = ("No", "No.", "Nomor Urut", "Status", "Id", "Renewed By")
REQUIRED_COLUMNS = ("doc_type", "number", "title", "partners")
TYPES = ("agreements", "evaluations", "findings")


def _column_index(columns: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for spelling in (canonical, canonical.replace("_", " "), *aliases):
            index.setdefault(vocab.fold(spelling), canonical)
    return index


_AGREEMENT_INDEX = _column_index(AGREEMENT_COLUMNS)
_EVALUATION_INDEX = _column_index(EVALUATION_COLUMNS)
_FINDING_INDEX = _column_index(FINDING_COLUMNS)
_IGNORED = {vocab.fold(name) for name in IGNORED_COLUMNS}


@dataclass
class Problem:
    """One thing wrong with one row (or the file): FILE:ROW: column "X": 'v' why."""

    source: str
    row: int | None
    message: str
    column: str | None = None

    def line(self) -> str:
        where = f"{self.source}:{self.row}" if self.row is not None else self.source
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class FileSummary:
    source: str
    type: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "type": self.type,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid": self.invalid,
            "written": self.written,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class ImportOptions:
    type: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    on_conflict: str = "skip"
    skip_invalid: bool = False


class ImportFailed(KerjasamaError):
    """The file cannot be read at all (not a problem of one row)."""


# ----------------------------------------------------------------------- readers

Cell = Any
RawRows = Iterator[tuple[int, list[Cell]]]


def _sniff_delimiter(header_line: str) -> str:
    """Indonesian Excel writes ';' (the comma is the decimal mark); others ','."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text_stream: io.TextIOBase | Any) -> tuple[list[str], RawRows]:
    first = text_stream.readline()
    if not first.strip():
        raise ImportFailed("the file is empty: no header row")
    delimiter = _sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))

    def rows() -> RawRows:
        reader = csv.reader(text_stream, delimiter=delimiter)
        for offset, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield offset, row

    return header, rows()


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], RawRows]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types per format fault
        raise ImportFailed(f"cannot read {path.name} as a workbook: {error}") from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ImportFailed(
            f"{path.name} has no sheet {sheet!r}",
            hint="its sheets: " + ", ".join(repr(n) for n in names),
        )
    chosen = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
    iterator = iter(chosen.iter_rows())
    header: list[str] = []
    header_row = 0
    for header_row, row in enumerate(iterator, start=1):  # noqa: B007
        if any(str(cell).strip() for cell in row):
            header = [str(cell) for cell in row]
            break
    if not header:
        raise ImportFailed(f"the sheet {chosen.name!r} is empty: no header row")

    def rows() -> RawRows:
        for offset, row in enumerate(iterator, start=header_row + 1):
            if any(cell not in ("", None) for cell in row):
                yield offset, list(row)

    return header, rows()


def _json_rows(objects: Iterable[tuple[int, Any]], source: str) -> tuple[list[str], RawRows]:
    buffered = list(objects)
    header: list[str] = []
    for number, obj in buffered:
        if not isinstance(obj, dict):
            raise ImportFailed(f"{source}: item {number} is not an object")
        header.extend(key for key in obj if key not in header)

    def rows() -> RawRows:
        for number, obj in buffered:
            yield number, [obj.get(key) for key in header]

    return header, rows()


def open_source(path: str, sheet: str | None) -> tuple[str, list[str], RawRows]:
    """(label, header, rows) of one input; '-' is CSV on standard input."""
    if path == "-":
        stream = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            if hasattr(sys.stdin, "buffer")
            else sys.stdin
        )
        return ("<stdin>", *_csv_rows(stream))
    file = Path(path)
    if not file.is_file():
        raise ImportFailed(f"{path}: no such file")
    suffix = file.suffix.lower()
    if suffix in (".csv", ".txt"):
        handle = file.open(encoding="utf-8-sig", newline="")
        try:
            return (str(path), *_csv_rows(handle))
        except UnicodeDecodeError:
            raise ImportFailed(
                f"{path} is not UTF-8 text", hint="save it from Excel as 'CSV UTF-8'"
            ) from None
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return (str(path), *_xlsx_rows(file, sheet))
    if suffix == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise ImportFailed(f"{path} is not valid JSON: {error}") from None
        if not isinstance(data, list):
            raise ImportFailed(f"{path}: expected a JSON list of objects")
        return (str(path), *_json_rows(enumerate(data, start=1), str(path)))
    if suffix in (".jsonl", ".ndjson"):

        def lines() -> Iterator[tuple[int, Any]]:
            with file.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except json.JSONDecodeError as error:
                            raise ImportFailed(f"{path}:{number}: not JSON: {error}") from None

        return (str(path), *_json_rows(lines(), str(path)))
    raise ImportFailed(
        f"{path}: cannot import {suffix or 'a file without extension'}",
        hint="give a .csv, .xlsx, .json or .jsonl file",
    )


# ------------------------------------------------------------------ header map


@dataclass
class ColumnMap:
    fields: dict[int, str]  # position in the row -> canonical field
    labels: dict[str, str]  # canonical field -> header as written in the file
    type: str
    unknown: list[str]


def map_columns(header: Sequence[str], wanted_type: str | None) -> ColumnMap:
    folded = [vocab.fold(str(h)) for h in header]
    evaluation = {_EVALUATION_INDEX[f] for f in folded if f in _EVALUATION_INDEX}
    finding = {_FINDING_INDEX[f] for f in folded if f in _FINDING_INDEX}
    detected = (
        "findings"
        if {"category", "text"} <= finding
        else "evaluations"
        if "level" in evaluation
        else "agreements"
    )
    kind = wanted_type or detected
    if kind not in TYPES:
        raise InvalidValue(
            "type",
            kind,
            "is not an import type",
            label="--type",
            hint="choose agreements, evaluations or findings",
        )
    if kind != "agreements":
        raise ImportFailed(
            f"importing {kind} needs the annual evaluation, which this version of "
            "kerjasama does not have yet"
        )
    fields: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown = []
    for position, (name, key) in enumerate(zip(header, folded, strict=True)):
        canonical = _AGREEMENT_INDEX.get(key)
        if canonical is None:
            if key and key not in _IGNORED:
                unknown.append(str(name))
            continue
        if canonical in labels:
            unknown.append(f"{name} (a second {labels[canonical]!r} column)")
            continue
        fields[position] = canonical
        labels[canonical] = str(name).strip()
    return ColumnMap(fields, labels, kind, unknown)


# ------------------------------------------------------------------- validation

_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1 Jan 1950 to 31 Dec 2100: a number outside is no date.
_SERIAL_RANGE = (18264, 73415)
DATE_FIELDS = ("signed_on", "starts_on", "ends_on", "dprd_date", "terminated_on")
TEXT_FIELDS = (
    "number",
    "partner_number",
    "title",
    "scope",
    "term_text",
    "note",
    "dprd_number",
    "parent_number",
    "file_path",
    "termination_reason",
)


def _cell_text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    return None if text in CLEAR else text


class Validator:
    """Turns raw rows into records; caches the readings of values that repeat."""

    def __init__(self, columns: ColumnMap) -> None:
        self.columns = columns
        self._caches: dict[str, dict[Any, Any]] = {}

    def label(self, name: str) -> str:
        return f'column "{self.columns.labels.get(name, name)}"'

    def _cached(self, name: str, key: Any, read: Callable[[], Any]) -> Any:
        cache = self._caches.setdefault(name, {})
        try:
            hit = cache[key]
        except KeyError:
            try:
                hit = read()
            except InvalidValue as error:
                hit = error
            if len(cache) < 50_000:
                cache[key] = hit
        if isinstance(hit, InvalidValue):
            raise hit
        return hit

    def read(self, name: str, cell: Cell) -> Any:
        """One field's value from one cell, the way the register reads it."""
        if isinstance(cell, datetime):
            cell = cell.date()
        if isinstance(cell, date) and name in DATE_FIELDS:
            return cell
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            if name in DATE_FIELDS:
                return self._serial_date(name, cell)
            if name == "value":
                return self._number_money(name, cell)
        text = _cell_text(cell)
        if text is None:
            return None
        if name in TEXT_FIELDS:
            return " ".join(text.split()) if "\n" not in text else text
        label = self.label(name)
        reader = FIELD_READERS.get(name, FIELD_READERS["ends_on"])  # terminated_on: a date
        return self._cached(name, text, lambda: reader(text, name, label))

    def missing(self, name: str) -> InvalidValue:
        error = InvalidValue(name, "", "is required", label=self.label(name))
        error.message = f"{error.label}: required, but empty"
        return error

    def _serial_date(self, name: str, number: float) -> date:
        if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
            raise InvalidValue(name, number, "is a number, not a date", label=self.label(name))
        return _EXCEL_EPOCH + timedelta(days=int(number))

    def _number_money(self, name: str, number: float) -> Decimal:
        return parse.rupiah_from_number(number, field=name, label=self.label(name))

    def record(self, cells: Sequence[Cell]) -> tuple[dict[str, Any], list[InvalidValue]]:
        raw = {
            name: cells[position] if position < len(cells) else None
            for position, name in self.columns.fields.items()
        }
        values: dict[str, Any] = {"ends_on_derived": False}
        errors: list[InvalidValue] = []
        for name, cell in raw.items():
            if name in ("doc_type", "partners", "partner_kind", "units"):
                continue
            try:
                values[name] = self.read(name, cell)
            except InvalidValue as error:
                errors.append(error)
        self._links(raw, values, errors)
        if not errors:
            try:
                settle(values, {k: self.label(k) for k in values})
            except InvalidValue as error:
                # Say it with the cell as the user typed it, not as it was read.
                typed = _cell_text(raw.get(error.field))
                errors.append(
                    InvalidValue(
                        error.field,
                        typed if typed else error.value,
                        error.reason,
                        label=error.label,
                    )
                )
        if values.get("file_path") and not errors:
            self._document(values, errors)
        return values, errors

    def _links(
        self, raw: Mapping[str, Cell], values: dict[str, Any], errors: list[InvalidValue]
    ) -> None:
        doc_type_text = _cell_text(raw.get("doc_type"))
        for name in ("number", "title"):
            if not values.get(name):
                errors.append(self.missing(name))
        if doc_type_text is None:
            errors.append(self.missing("doc_type"))
        else:
            try:
                values["doc_type"] = self._cached(
                    "doc_type",
                    doc_type_text,
                    lambda: vocab.DOC_TYPES.match(
                        doc_type_text, field_name="doc_type", label=self.label("doc_type")
                    ),
                )
            except InvalidValue as error:
                errors.append(error)
        names = vocab.unique(_split(raw.get("partners")))
        if not names:
            errors.append(self.missing("partners"))
        kinds = []
        for kind in _split(raw.get("partner_kind")):
            try:
                kinds.append(
                    self._cached(
                        "partner_kind",
                        kind,
                        lambda kind=kind: vocab.PARTNER_KINDS.match(  # type: ignore[misc]
                            kind, field_name="partner_kind", label=self.label("partner_kind")
                        ),
                    )
                )
            except InvalidValue as error:
                errors.append(error)
        if len(kinds) > 1 and len(kinds) != len(names):
            errors.append(
                InvalidValue(
                    "partner_kind",
                    _cell_text(raw.get("partner_kind")),
                    f"gives {len(kinds)} kinds for {len(names)} partners",
                    label=self.label("partner_kind"),
                )
            )
        if len(kinds) == 1:
            kinds = kinds * len(names)
        values["partners"] = [(name, kinds[i] if kinds else None) for i, name in enumerate(names)]
        values["units"] = vocab.unique(_split(raw.get("units")))

    def _document(self, values: dict[str, Any], errors: list[InvalidValue]) -> None:
        path = Path(values["file_path"]).expanduser()
        if not path.is_file():
            errors.append(
                InvalidValue(
                    "file_path",
                    values["file_path"],
                    "is not a file that exists",
                    label=self.label("file_path"),
                )
            )
            return
        values["file_path"] = str(path.resolve())
        values["file_sha256"] = self._cached(
            "sha", values["file_path"], lambda: file_digest(path.resolve())
        )


def _split(cell: Cell) -> list[str]:
    text = _cell_text(cell)
    if text is None:
        return []
    return [
        part.strip()
        for part in text.replace("\n", ";").split(";")
        if part.strip() and part.strip() not in CLEAR
    ]


# --------------------------------------------------------------------- writing

RECORD_FIELDS = (
    *FIELD_READERS,
    "ends_on_derived",
    "file_path",
    "file_sha256",
    "terminated_on",
    "termination_reason",
)
COMPARED = tuple(name for name in RECORD_FIELDS if name != "ends_on_derived")
PARENT_TYPES = {
    "pks": ("kb", "nota-kesepakatan"),
    "adendum": ("kb", "pks", "nota-kesepakatan", "adendum"),
}
BATCH = 5_000


@dataclass
class Row:
    number: int
    key: tuple[str, str]
    values: dict[str, Any]


def _signature(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two versions of a document the same: values, and names by their keys.

    The number itself is the key already; a change of its case alone is none.
    """
    return (
        *(values.get(name) for name in COMPARED if name != "number"),
        tuple(vocab.name_key(name) for name, _kind in values["partners"]),
        tuple(vocab.name_key(name) for name in values["units"]),
        number_key(values["parent_number"]) if values.get("parent_number") else None,
    )


class _Batches:
    """executemany in slices, so memory stays flat whatever the file's size."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def run(self, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            if chunk:
                self.session.execute(statement, list(chunk))


def _names_to_ids(
    session: Session,
    model: type[Partner] | type[Unit],
    wanted: Mapping[str, tuple[str, str | None]],
) -> dict[str, int]:
    """Ids of partners/units by name key, creating those the register lacks.

    A partner kind the file gives replaces the one stored, as `update` does.
    """
    ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    if model is Partner:
        stored: dict[str, str | None] = {}
        for key, kind in session.execute(select(Partner.name_key, Partner.kind)):
            stored[key] = kind
        _Batches(session).run(
            update(partner_table)
            .where(partner_table.c.id == bindparam("target_id"))
            .values(kind=bindparam("new_kind")),
            [
                {"target_id": ids[key], "new_kind": kind}
                for key, (_name, kind) in wanted.items()
                if key in ids and kind and stored.get(key) != kind
            ],
        )
    missing = [key for key in wanted if key not in ids]
    if missing:
        if model is Partner:
            rows = [
                {
                    "name": wanted[k][0],
                    "name_key": k,
                    "kind": wanted[k][1] or vocab.guess_partner_kind(wanted[k][0]),
                }
                for k in missing
            ]
        else:
            rows = [{"name": wanted[k][0], "name_key": k} for k in missing]
        _Batches(session).run(insert(model), rows)
        ids = {key: ident for ident, key in session.execute(select(model.id, model.name_key))}
    return ids


def _write(
    session: Session, rows: list[Row], summary: FileSummary, options: ImportOptions, actor: Actor
) -> None:
    table = agreement_table
    existing: dict[tuple[str, str], dict[str, Any]] = {}
    columns = [
        table.c.id,
        table.c.doc_type,
        table.c.number_key,
        table.c.version,
        *(table.c[name] for name in COMPARED),
    ]
    parent = agreement_table.alias("parent")
    query = select(*columns, parent.c.number.label("parent_number")).outerjoin(
        parent, parent.c.id == table.c.parent_id
    )
    for item in session.execute(query).mappings():
        existing[(item["doc_type"], item["number_key"])] = dict(item)
    if existing:
        _attach_existing_links(session, existing)

    new_rows: list[Row] = []
    changed: list[tuple[Row, dict[str, Any]]] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            new_rows.append(row)
        elif _signature(current) == _signature(row.values):
            summary.unchanged += 1
        elif options.on_conflict == "update":
            row.values["number"] = current["number"]  # keep the register's spelling
            changed.append((row, current))
        elif options.on_conflict == "fail":
            raise Conflict(
                f"{summary.source}:{row.number}: {row.values['number']!r} is already in the "
                "register with other values; nothing was imported",
                hint="use --on-conflict update to change it, or skip to leave it",
            )
        else:
            summary.skipped += 1

    now = parse.now_utc()
    batches = _Batches(session)
    touched = [*new_rows, *(row for row, _current in changed)]
    partners: dict[str, tuple[str, str | None]] = {}
    units: dict[str, tuple[str, str | None]] = {}
    for row in touched:
        for name, kind in row.values["partners"]:
            key = vocab.name_key(name)
            if key not in partners or (kind and not partners[key][1]):
                partners[key] = (name, kind)
        for name in row.values["units"]:
            units.setdefault(vocab.name_key(name), (name, None))
    partner_ids = _names_to_ids(session, Partner, partners)
    unit_ids = _names_to_ids(session, Unit, units)

    batches.run(
        insert(table),
        [
            {
                **{name: row.values.get(name) for name in RECORD_FIELDS},
                "doc_type": row.key[0],
                "number_key": row.key[1],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for row in new_rows
        ],
    )
    ids = {
        (doc_type, key): ident
        for ident, doc_type, key in session.execute(
            select(table.c.id, table.c.doc_type, table.c.number_key)
        )
    }
    by_number: dict[str, list[tuple[str, int]]] = {}
    for (doc_type, key), ident in ids.items():
        by_number.setdefault(key, []).append((doc_type, ident))

    _update_changed(changed, batches, now)
    _link_parents(session, touched, ids, by_number)
    if changed:
        changed_ids = [current["id"] for _row, current in changed]
        for start in range(0, len(changed_ids), BATCH):
            chunk = changed_ids[start : start + BATCH]
            session.execute(
                delete(agreement_partner).where(agreement_partner.c.agreement_id.in_(chunk))
            )
            session.execute(delete(agreement_unit).where(agreement_unit.c.agreement_id.in_(chunk)))
    batches.run(
        insert(agreement_partner),
        [
            {
                "agreement_id": ids[row.key],
                "partner_id": partner_ids[vocab.name_key(name)],
                "position": position,
            }
            for row in touched
            for position, (name, _kind) in enumerate(row.values["partners"])
        ],
    )
    batches.run(
        insert(agreement_unit),
        [
            {
                "agreement_id": ids[row.key],
                "unit_id": unit_ids[vocab.name_key(name)],
                "position": position,
            }
            for row in touched
            for position, name in enumerate(row.values["units"])
        ],
    )
    source = Path(summary.source).name
    history = [
        {
            "agreement_id": ids[row.key],
            "at": now,
            "user_name": actor.user,
            "command": actor.command,
            "field": "dibuat",
            "old": None,
            "new": f"{vocab.DOC_TYPES.label(row.key[0])} {row.values['number']} "
            f"({source}:{row.number})",
        }
        for row in new_rows
    ]
    for row, current in changed:
        history += [
            {
                "agreement_id": current["id"],
                "at": now,
                "user_name": actor.user,
                "command": actor.command,
                "field": name,
                "old": old,
                "new": new,
            }
            for name, old, new in _differences(current, row.values)
        ]
    batches.run(insert(history_table), history)
    summary.created = len(new_rows)
    summary.updated = len(changed)


def _attach_existing_links(
    session: Session, existing: dict[tuple[str, str], dict[str, Any]]
) -> None:
    by_id = {item["id"]: item for item in existing.values()}
    for item in by_id.values():
        item["partners"], item["units"] = [], []
    for agreement_id, name, kind in session.execute(
        select(agreement_partner.c.agreement_id, Partner.name, Partner.kind)
        .join(Partner, Partner.id == agreement_partner.c.partner_id)
        .order_by(agreement_partner.c.agreement_id, agreement_partner.c.position)
    ):
        by_id[agreement_id]["partners"].append((name, kind))
    for agreement_id, name in session.execute(
        select(agreement_unit.c.agreement_id, Unit.name)
        .join(Unit, Unit.id == agreement_unit.c.unit_id)
        .order_by(agreement_unit.c.agreement_id, agreement_unit.c.position)
    ):
        by_id[agreement_id]["units"].append(name)


def _differences(
    current: Mapping[str, Any], values: Mapping[str, Any]
) -> list[tuple[str, str | None, str | None]]:
    changes = [
        (name, as_text(current.get(name)), as_text(values.get(name)))
        for name in COMPARED
        if current.get(name) != values.get(name)
    ]
    for name in ("partners", "units"):
        old = "; ".join(p[0] if isinstance(p, tuple) else p for p in current[name]) or None
        new = "; ".join(p[0] if isinstance(p, tuple) else p for p in values[name]) or None
        if old != new:
            changes.append((name, old, new))
    old_parent, new_parent = current.get("parent_number"), values.get("parent_number")
    if (number_key(old_parent) if old_parent else None) != (
        number_key(new_parent) if new_parent else None
    ):
        changes.append(("parent", old_parent, new_parent))
    return changes


def _update_changed(
    changed: Sequence[tuple[Row, Mapping[str, Any]]], batches: _Batches, now: datetime
) -> None:
    table = agreement_table
    statement = (
        update(table)
        .where(table.c.id == bindparam("target_id"))
        .values(
            {name: bindparam(f"new_{name}") for name in RECORD_FIELDS}
            | {"version": bindparam("new_version"), "updated_at": bindparam("new_at")}
        )
    )
    batches.run(
        statement,
        [
            {
                "target_id": current["id"],
                "new_version": current["version"] + 1,
                "new_at": now,
                **{f"new_{name}": row.values.get(name) for name in RECORD_FIELDS},
            }
            for row, current in changed
        ],
    )


def _link_parents(
    session: Session,
    rows: Sequence[Row],
    ids: Mapping[tuple[str, str], int],
    by_number: Mapping[str, list[tuple[str, int]]],
) -> None:
    """Set parent_id once every row has an id: a KB may come after its PKS in the file."""
    table = agreement_table
    statement = (
        update(table)
        .where(table.c.id == bindparam("target_id"))
        .values(parent_id=bindparam("new_parent"))
    )
    _Batches(session).run(
        statement,
        [
            {
                "target_id": ids[row.key],
                "new_parent": _parent_of(row.key[0], row.values["parent_number"], by_number)
                if row.values.get("parent_number")
                else None,
            }
            for row in rows
        ],
    )


def _parent_of(
    doc_type: str, parent_number: str, by_number: Mapping[str, Sequence[tuple[str, int]]]
) -> int | None:
    allowed = PARENT_TYPES.get(doc_type, ())
    for candidate_type, ident in by_number.get(number_key(parent_number), ()):
        if candidate_type in allowed:
            return ident
    return None


# ------------------------------------------------------------------ the import


def _validate(
    source: str,
    columns: ColumnMap,
    raw_rows: RawRows,
    summary: FileSummary,
    progress: Callable[[int], None] | None,
) -> list[Row]:
    validator = Validator(columns)
    rows: list[Row] = []
    first_row: dict[tuple[str, str], Row] = {}
    for count, (number, cells) in enumerate(raw_rows, start=1):
        summary.rows += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
        values, errors = validator.record(cells)
        if not errors:
            key = (values["doc_type"], number_key(values["number"]))
            earlier = first_row.get(key)
            if earlier is None:
                row = Row(number, key, values)
                first_row[key] = row
                rows.append(row)
                continue
            if _signature(earlier.values) == _signature(values):
                continue  # the same row twice: harmless
            errors.append(
                InvalidValue(
                    "number",
                    values["number"],
                    f"appears twice in the file with different contents (rows {earlier.number} "
                    f"and {number})",
                    label=validator.label("number"),
                )
            )
        summary.invalid += 1
        summary.problems += [Problem(source, number, e.message, e.label) for e in errors]
    if progress is not None:
        progress(summary.rows)
    return rows


def _sort_problems(summary: FileSummary) -> None:
    summary.problems.sort(key=lambda p: p.row or 0)


def _check_parents(
    session: Session, rows: list[Row], summary: FileSummary, columns: ColumnMap
) -> list[Row]:
    """A parent number must name a fitting document in the file or the register."""
    in_file: dict[str, list[str]] = {}
    for row in rows:
        in_file.setdefault(row.key[1], []).append(row.key[0])
    wanted = {number_key(r.values["parent_number"]) for r in rows if r.values.get("parent_number")}
    in_register: dict[str, list[str]] = {}
    if wanted:
        for doc_type, key in session.execute(select(Agreement.doc_type, Agreement.number_key)):
            if key in wanted:
                in_register.setdefault(key, []).append(doc_type)
    kept = []
    label = f'column "{columns.labels.get("parent_number", "parent_number")}"'
    for row in rows:
        parent_number = row.values.get("parent_number")
        if parent_number:
            key = number_key(parent_number)
            types = in_file.get(key, []) + in_register.get(key, [])
            allowed = PARENT_TYPES.get(row.key[0], ())
            if not allowed:
                reason = f"is given, but a {vocab.DOC_TYPES.label(row.key[0])} has no parent"
            elif not types:
                reason = "names no document in the register or in the file"
            elif not set(types) & set(allowed):
                reason = (
                    f"is a {vocab.DOC_TYPES.label(types[0])}; a "
                    f"{vocab.DOC_TYPES.label(row.key[0])} belongs to a "
                    + " or ".join(vocab.DOC_TYPES.label(t) for t in allowed)
                )
            else:
                reason = ""
            if reason:
                summary.invalid += 1
                summary.problems.append(
                    Problem(
                        summary.source, row.number, f"{label}: {parent_number!r} {reason}", label
                    )
                )
                continue
        kept.append(row)
    return kept


def import_file(
    register: Register,
    path: str,
    options: ImportOptions,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> FileSummary:
    """Import one file in one transaction: all of it, or (with invalid rows) none of it."""
    if options.on_conflict not in ("update", "skip", "fail"):
        raise InvalidValue(
            "on_conflict",
            options.on_conflict,
            "is not a conflict mode",
            label="--on-conflict",
            hint="choose update, skip or fail",
        )
    source, header, raw_rows = open_source(path, options.sheet)
    columns = map_columns(header, options.type)
    summary = FileSummary(source, columns.type)
    summary.warnings += [
        Problem(source, 1, f'column "{name}" is not known; ignored', name)
        for name in columns.unknown
    ]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.labels]
    if missing:
        names = ", ".join(f'"{AGREEMENT_COLUMNS[m][0]}" ({m})' for m in missing)
        raise ImportFailed(
            f"{source}: the header has no column for {names}",
            hint="see README for the column names and their aliases",
        )
    rows = _validate(source, columns, raw_rows, summary, progress)
    try:
        with register.writing() as session:
            rows = _check_parents(session, rows, summary, columns)
            _sort_problems(summary)
            if summary.invalid and not options.skip_invalid:
                return summary  # all or nothing: write none of it
            _write(session, rows, summary, options, actor)
            if options.dry_run:
                raise _DryRun  # the same work as a real import, then rolled back
    except _DryRun:
        return summary
    summary.written = True
    return summary


class _DryRun(Exception):
    pass
