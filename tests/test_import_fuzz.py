"""Whole files, as broken as they come: an import ends in a summary or one of our errors.

Random bytes under every name an import takes, random text in every encoding
offices' files come in, and random workbook layouts (title rows, one- or
two-row headers, merges, sections, totals, signature blocks, several sheets).
Never a traceback: the CLI's exit code is always one of the documented ones.
"""

from __future__ import annotations

import contextlib
import io
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kerjasama_cli.cli.app import app
from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import ExitCode, KerjasamaError
from kerjasama_cli.importing import ImportOptions, import_file
from kerjasama_cli.register import Actor
from kerjasama_cli.vocab.columns import AGREEMENT_COLUMNS, EVALUATION_COLUMNS

SUFFIXES = [".csv", ".txt", ".xlsx", ".xls", ".ods", ".json", ".jsonl"]
ACTOR = Actor("fuzz", "import")
FUZZ = settings(
    # KERJASAMA_FUZZ_EXAMPLES=2000 searches harder (by hand; CI runs the default).
    max_examples=int(os.environ.get("KERJASAMA_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Any:
    opened = Register.open(str(tmp_path_factory.mktemp("fuzz") / "register.db"))
    yield opened
    opened.close()


def _import(register: Register, path: Path, **options: Any) -> None:
    try:
        summaries = import_file(
            register, str(path), ImportOptions(parallel=False, **options), actor=ACTOR
        )
    except KerjasamaError as error:
        assert error.message
        return
    for summary in summaries:
        assert summary.rows >= summary.invalid >= 0
        for problem in summary.problems:
            assert problem.message and problem.line()


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_under_any_name(
    register: Register, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"file{suffix}"
    path.write_bytes(data)
    _import(register, path, dry_run=True)


NAMES = [*AGREEMENT_COLUMNS, *(a for aliases in AGREEMENT_COLUMNS.values() for a in aliases[:2])]
TEXT = st.text(
    alphabet=st.sampled_from(list("abcKBPS/ .,;\t\"'\n–“”’é0123456789%Rp-=")) | st.characters(),
    max_size=30,
)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "mac_roman", "utf-16", "latin-1"]


@FUZZ
@given(
    rows=st.lists(st.lists(st.one_of(st.sampled_from(NAMES), TEXT), max_size=8), max_size=12),
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
)
def test_random_text_in_any_encoding(
    register: Register,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
    encoding: str,
    delimiter: str,
) -> None:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path_factory.mktemp("text") / "register.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    _import(register, path, dry_run=True)


# What a workbook cell can hold: no control characters (openpyxl refuses them).
CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("abcKBPS/ .,;\t\"'\n–“”’é0123456789%Rp-="))
    | st.characters(blacklist_categories=("Cc", "Cs")),
    max_size=30,
)
CELLS = st.one_of(
    st.none(),
    CELL_TEXT,
    st.sampled_from(["KB", "PKS", "Adendum", "MoU", "Jumlah", "Mengetahui,", "NIP. 1975",
                     "A. KERJA SAMA DENGAN PIHAK KETIGA", "Agustus 2021", "Tidak ada",
                     "Sampai dengan tanggal 31 Desember 2024", "=SUM(A1:A3)", "(1)"]),
    st.integers(min_value=-10**6, max_value=10**16),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)
HEADER_NAMES = st.sampled_from(
    [*NAMES, *EVALUATION_COLUMNS, "Tingkat Pelaksanaan", "Jangka Waktu", "Para Pihak", "No"]
)


@st.composite
def layouts(draw: st.DrawFn) -> dict[str, Any]:
    """A workbook: sheets of title rows, a header (one row or two, with merges),
    data and odd rows, and rows under the table."""
    sheets = []
    for index in range(draw(st.integers(1, 3))):
        width = draw(st.integers(1, 9))
        title = draw(st.lists(st.lists(CELLS, max_size=2), max_size=6))
        header = draw(st.lists(HEADER_NAMES, min_size=width, max_size=width))
        second = draw(st.none() | st.lists(st.none() | HEADER_NAMES, min_size=width,
                                           max_size=width))
        body = draw(st.lists(st.lists(CELLS, max_size=width + 2), max_size=15))
        merges = draw(st.lists(st.tuples(st.integers(1, 25), st.integers(1, width),
                                         st.integers(0, 2), st.integers(0, 3)), max_size=4))
        name = draw(st.sampled_from(["KB", "PKS", "Rekap", "Sheet", "Evaluasi 2021",
                                     "Ringkasan", "Adendum"]))
        sheets.append({"name": f"{name}{index}" if index else name, "title": title,
                       "header": header, "second": second, "body": body, "merges": merges,
                       "hidden": draw(st.booleans()) and index > 0})
    return {"sheets": sheets}


def _write_workbook(path: Path, layout: dict[str, Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for spec in layout["sheets"]:
        sheet = book.create_sheet(spec["name"])
        for row in spec["title"]:
            sheet.append(row)
        sheet.append(spec["header"])
        if spec["second"] is not None:
            sheet.append(spec["second"])
        for row in spec["body"]:
            sheet.append(row)
        for row, column, down, across in spec["merges"]:
            with contextlib.suppress(ValueError):
                sheet.merge_cells(start_row=row, start_column=column, end_row=row + down,
                                  end_column=column + across)
        if spec["hidden"]:
            sheet.sheet_state = "hidden"
    book.save(path)


@FUZZ
@given(
    layout=layouts(),
    header_row=st.none() | st.integers(1, 12),
    doc_type=st.none() | st.sampled_from(["kb", "pks", "MoU"]),
    sheets=st.lists(st.sampled_from(["KB", "pks", "Rekap", "Sheet1", "Nothing"]), max_size=2),
    dry_run=st.booleans(),
)
def test_random_sheet_layouts(
    register: Register,
    tmp_path_factory: pytest.TempPathFactory,
    layout: dict[str, Any],
    header_row: int | None,
    doc_type: str | None,
    sheets: list[str],
    dry_run: bool,
) -> None:
    path = tmp_path_factory.mktemp("layout") / "register.xlsx"
    _write_workbook(path, layout)
    _import(register, path, header_row=header_row, doc_type=doc_type, sheets=tuple(sheets),
            dry_run=dry_run, skip_invalid=True)


DOCUMENTED = {code.value for code in ExitCode} - {ExitCode.BUG.value}  # 70: a check missing


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(layout=layouts(), data=st.binary(max_size=400), as_workbook=st.booleans(),
       options=st.lists(st.sampled_from(["--dry-run", "--json", "--skip-invalid",
                                         "--header-row=3", "--sheet=KB", "--doc-type=pks",
                                         "--encoding=cp1252", "--type=evaluations"]),
                        max_size=3, unique=True))
def test_the_command_never_shows_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, layout: dict[str, Any], data: bytes,
    as_workbook: bool, options: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    if as_workbook:
        path = folder / "register.xlsx"
        _write_workbook(path, layout)
    else:
        path = folder / "register.csv"
        path.write_bytes(data)
    result = CliRunner().invoke(
        app, ["--db", str(folder / "r.db"), "import", str(path), *options]
    )
    assert result.exit_code in DOCUMENTED, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
