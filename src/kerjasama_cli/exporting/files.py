"""Where each export format is written, and the simple formats (csv, json)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli.exporting.content import Content, Sheet, gather
from kerjasama_cli.outputs import check_folder, check_target, make_folder, replacing, write_text

FORMULA_STARTS = ("=", "+", "-", "@")


def date_text(value: date) -> str:
    """ISO 8601, to the precision known: '2021-08-19', '2021-08', '2021'."""
    precision = getattr(value, "precision", None)
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and value != "-":
        return "'" + value  # so a spreadsheet opening the CSV never runs it
    return value


def _slug(name: str) -> str:
    """'Temuan & Tindak Lanjut' -> 'temuan-tindak-lanjut'."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in name).split()
    return "-".join(words)


def write_csv(sheet: Sheet, path: Path) -> Path:
    """One sheet as CSV (UTF-8 with BOM, for Excel), written all or nothing."""
    with (
        replacing(path) as temporary,
        temporary.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(sheet.headers)
        for row in sheet.rows:
            writer.writerow([_csv_value(value) for value in row])
    return path


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, Decimal):
        return int(value) if value % 1 == 0 else float(value)
    return value


def as_json(content: Content) -> dict[str, Any]:
    return {
        "title": content.title,
        "region": content.region,
        "year": content.year,
        "as_of": content.as_of.isoformat(),
        "numbers": content.numbers.to_dict() if content.numbers else None,
        "sheets": {
            sheet.name: [
                {
                    column.key: _json_value(value)
                    for column, value in zip(sheet.columns, row, strict=True)
                }
                for row in sheet.rows
            ]
            for sheet in content.sheets
        },
    }


def write_exports(
    session: Session,
    year: int | None,
    formats: Sequence[str],
    *,
    output: Path | None,
    unit: str | None = None,
    as_of: date | None = None,
    template_dir: Path | None = None,
    lang: str = "id",
    per_unit: bool = False,
    by_region: bool = False,
    register: Path | None = None,
    paper: str | None = None,
    signed_on: date | None = None,
    replaced: list[Path] | None = None,
) -> list[Path]:
    """Write each format; returns the paths written, absolute (with or without
    ``output``), and adds to ``replaced`` those that were there before.

    ``register`` is the file of the register in use (None on PostgreSQL): no
    export is written over it, nor over any SQLite database, device or pipe
    (:func:`kerjasama_cli.outputs.check_target`). Each file is complete or not
    there: a file it would replace stays as it was when writing fails.
    """
    if template_dir is not None:
        from kerjasama_cli.exporting.report import check_template_dir

        check_template_dir(template_dir)  # before the work
    single = len(formats) == 1 and "csv" not in formats
    # An existing folder is always a folder, even for one format.
    if output is not None and single and not output.is_dir():
        folder, explicit = output.parent, output
        check_target(explicit, register=register)  # before the work, as well as after
    else:
        folder, explicit = (output or Path.cwd()), None
        check_folder(folder)
    content = gather(
        session, year, as_of=as_of, unit=unit, regions=by_region, paper=paper, signed_on=signed_on
    )
    base = content.basename() + (f"-{_slug(unit)}" if unit else "")
    targets: list[tuple[str, Path, Sheet | None]] = []
    for fmt in formats:
        if fmt == "csv":
            targets += [
                (fmt, folder / f"{base}-{_slug(sheet.name)}.csv", sheet) for sheet in content.sheets
            ]
        else:
            targets.append((fmt, explicit or folder / f"{base}.{fmt}", None))
    # Absolute, '.' and '..' gone, symbolic links kept as given (resolve would follow them).
    targets = [
        (fmt, Path(os.path.abspath(path)), sheet)  # noqa: PTH100
        for fmt, path, sheet in targets
    ]
    for _fmt, path, _sheet in targets:  # every file checked before any is written
        check_target(path, register=register)
    if replaced is not None:
        replaced += [path for _fmt, path, _sheet in targets if path.exists()]
    make_folder(folder)
    written: list[Path] = []
    for fmt, path, sheet in targets:
        if sheet is not None:
            written.append(write_csv(sheet, path))
        elif fmt == "xlsx":
            from kerjasama_cli.exporting.workbook import write_workbook

            with replacing(path) as temporary:
                write_workbook(content, temporary, per_unit=per_unit)
            written.append(path)
        elif fmt in ("html", "md"):
            from kerjasama_cli.exporting.report import render

            text = render(content, fmt, lang=lang, template_dir=template_dir)
            written.append(write_text(path, text, register=register))
        elif fmt == "docx":
            from kerjasama_cli.exporting.document import write_document

            with replacing(path) as temporary:
                write_document(content, temporary, lang=lang, template_dir=template_dir)
            written.append(path)
        elif fmt == "json":
            text = json.dumps(as_json(content), ensure_ascii=False, indent=2, default=str)
            written.append(write_text(path, text + "\n", register=register))
    return written
