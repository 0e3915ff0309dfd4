"""Where each export format is written, and the simple formats (csv, json)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli.exporting.content import Content, Sheet, gather

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
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
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
) -> list[Path]:
    """Write each format; returns the paths written."""
    content = gather(session, year, as_of=as_of, unit=unit, regions=by_region)
    base = content.basename() + (f"-{_slug(unit)}" if unit else "")
    single = len(formats) == 1 and "csv" not in formats
    # An existing folder is always a folder, even for one format.
    if output is not None and single and not output.is_dir():
        target_folder, explicit = output.parent, output
    else:
        target_folder, explicit = (output or Path.cwd()), None
    target_folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        path = explicit or target_folder / f"{base}.{fmt}"
        if fmt == "xlsx":
            from kerjasama_cli.exporting.workbook import write_workbook

            written.append(write_workbook(content, path, per_unit=per_unit))
        elif fmt in ("html", "md"):
            from kerjasama_cli.exporting.report import render

            path.write_text(
                render(content, fmt, lang=lang, template_dir=template_dir), encoding="utf-8"
            )
            written.append(path)
        elif fmt == "json":
            path.write_text(
                json.dumps(as_json(content), ensure_ascii=False, indent=2, default=str) + "\n",
                encoding="utf-8",
            )
            written.append(path)
        elif fmt == "csv":
            folder = output if output is not None else target_folder
            folder.mkdir(parents=True, exist_ok=True)
            for sheet in content.sheets:
                written.append(write_csv(sheet, folder / f"{base}-{_slug(sheet.name)}.csv"))
    return written
