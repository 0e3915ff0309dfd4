"""The workbook as printed: paper, pages, titles, fonts, borders, alignment, charts.

Read back with openpyxl: what LibreOffice and Excel print from (issue 13).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import Cli

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def sample(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    cli("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
    cli("config", "set", "region", "Kabupaten Tanggamus")
    return cli


def export(cli: Cli, tmp_path: Path, *args: str) -> Workbook:
    path = tmp_path / "x.xlsx"
    cli("export", "2021", "--xlsx", "--per-unit", "-o", str(path), *args)
    return load_workbook(path)


def _bordered(cell: object) -> bool:
    border = cell.border  # type: ignore[attr-defined]
    return all(getattr(border, side).style == "thin" for side in ("left", "right", "top", "bottom"))


def _grid_rule(sheet: Worksheet) -> str | None:
    """The area an always-true conditional format borders, if any."""
    for area, rules in sheet.conditional_formatting._cf_rules.items():
        for rule in rules:
            border = rule.dxf.border if rule.dxf is not None else None
            if rule.formula == ["TRUE"] and border is not None and border.left.style == "thin":
                return str(area.sqref)
    return None


@pytest.mark.parametrize(("paper", "code"), [("a4", 9), ("f4", 14), ("legal", 5)])
def test_every_sheet_prints_landscape_on_the_paper_with_titles_and_page_numbers(
    sample: Cli, tmp_path: Path, paper: str, code: int
) -> None:
    workbook = export(sample, tmp_path, "--paper", paper)
    assert len(workbook.sheetnames) > 10
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == code, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        footer = sheet.oddFooter.right.text
        assert footer == "Halaman &P dari &N", sheet.title
        assert sheet.oddHeader.left.text and sheet.oddHeader.right.text, sheet.title
        assert 70 <= int(setup.scale) <= 100, (sheet.title, setup.scale)  # 10 pt * 70% = 7 pt
    register = workbook["Daftar Kerja Sama"]
    assert "Tahun 2021" in register.oddHeader.left.text
    assert register.oddHeader.right.text == "Daftar Kerja Sama"
    # An OPD's sheet names the OPD in full in its page header.
    assert workbook.worksheets[-1].oddHeader.right.text == "Sekretariat Daerah"


def test_the_wide_register_is_split_into_readable_column_groups(
    sample: Cli, tmp_path: Path
) -> None:
    from kerjasama_cli.exporting.workbook_style import BODY_SIZE, MIN_TEXT_PT

    workbook = export(sample, tmp_path)
    register = workbook["Daftar Kerja Sama"]
    assert BODY_SIZE * int(register.page_setup.scale) / 100 >= MIN_TEXT_PT
    # Printed over facing pages, each repeating No, Jenis Dokumen and Nomor.
    assert register.print_title_cols == "$A:$C"
    assert register.col_breaks.brk and register.page_setup.pageOrder == "overThenDown"
    # Tanggal Mulai is empty in every row of the sample: hidden, not printed.
    headers = [cell.value for cell in register[1]]
    assert register.column_dimensions["K"].hidden and headers[10] == "Tanggal Mulai"
    assert not register.column_dimensions["E"].hidden


def test_the_scale_check_holds_for_each_paper() -> None:
    from kerjasama_cli.exporting.content import REGISTER_COLUMNS, Sheet
    from kerjasama_cli.exporting.workbook_style import MIN_SCALE, plan, usable_pt, width_pt

    row = tuple("Kerja Sama Daerah dengan Pihak Ketiga dan lain-lain" for _ in REGISTER_COLUMNS)
    for paper in ("a4", "f4", "legal"):
        layout = plan(Sheet("x", REGISTER_COLUMNS, [row]), paper)
        usable, _height = usable_pt(paper)
        assert layout.scale / 100 >= MIN_SCALE
        # Each page's columns (with the repeated ones) fit at the scale.
        edges = [0, *layout.breaks, len(REGISTER_COLUMNS)]
        for start, end in itertools.pairwise(edges):
            columns = set(range(start, end)) | set(range(layout.repeat))
            printed = sum(width_pt(layout.widths[i]) for i in columns)
            assert printed * layout.scale / 100 <= usable, (paper, start, end)


def test_cells_are_arial_top_aligned_and_bordered(sample: Cli, tmp_path: Path) -> None:
    workbook = export(sample, tmp_path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=6):
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.font.name == "Arial", (sheet.title, cell.coordinate)
                assert cell.alignment.vertical == "top", (sheet.title, cell.coordinate)
        if sheet.title != "Ringkasan":
            header = sheet[1]
            assert all(cell.font.b and _bordered(cell) for cell in header), sheet.title
            assert all(cell.alignment.wrap_text for cell in header)
            area = _grid_rule(sheet)
            rows = sum(1 for row in sheet.iter_rows(values_only=True) if any(row))
            if rows > 1:
                assert area == f"A2:{header[-1].column_letter}{rows}", (sheet.title, area)
    # The header row is tall enough for "Tanggal Penandatanganan" on two lines.
    register = workbook["Daftar Kerja Sama"]
    assert register.row_dimensions[1].height >= 2 * 12.75
    width = register.column_dimensions["J"].width
    assert width * 7 >= len("Penandatanganan") * 7 * 1.1  # the longest word, in bold
    # Ringkasan's tables carry their own borders.
    summary = workbook["Ringkasan"]
    found = [c for row in summary.iter_rows() for c in row if c.value == "Kerja sama berlaku"]
    assert found and _bordered(found[0]) and found[0].font.name == "Arial"


def test_ringkasan_charts_follow_the_levels_and_say_what_they_show(
    sample: Cli, tmp_path: Path
) -> None:
    from kerjasama_cli import vocab

    workbook = export(sample, tmp_path)
    summary = workbook["Ringkasan"]
    charts = summary._charts
    assert len(charts) == 2
    levels = [vocab.LEVELS.label(code) for code in vocab.LEVELS.codes]
    assert levels[0] == "Terlaksana"
    rows = list(summary.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Tingkat pelaksanaan")
    assert [row[0] for row in rows[start + 1 : start + 5]] == levels
    by_level, by_unit = charts
    # The first category at the top: categories in reverse order on the axis.
    assert by_level.x_axis.scaling.orientation == "maxMin"
    ref = by_level.series[0].cat.numRef or by_level.series[0].cat.strRef
    first_row = int(ref.f.split("!")[1].split(":")[0].split("$")[-1])
    assert rows[first_row - 1][0] == "Terlaksana"
    title = "".join(run.t for p in by_unit.title.tx.rich.p for run in p.r)
    assert "Indeks pelaksanaan" in title
    values = by_unit.series[0].val.numRef.f
    assert "$E$" in values  # the Indeks column
    assert by_unit.dataLabels.showVal and not by_unit.dataLabels.showCatName


def test_evaluasi_carries_what_import_reads_and_findings_hide_empty_columns(
    sample: Cli, tmp_path: Path
) -> None:
    from kerjasama_cli.vocab.columns import EVALUATION_COLUMNS

    workbook = export(sample, tmp_path)
    evaluation = workbook["Evaluasi 2021"]
    headers = [cell.value for cell in evaluation[1]]
    for field in (
        "number",
        "level",
        "progress",
        "follow_up",
        "obstacles",
        "recommendation",
        "benefit",
        "note",
        "evaluator",
        "evaluated_on",
        "score",
    ):
        assert set(EVALUATION_COLUMNS[field]) & set(headers), field
    # A form to fill in: no column hidden there.
    assert not any(evaluation.column_dimensions[c.column_letter].hidden for c in evaluation[1])


def test_per_unit_sheet_names_end_on_a_whole_word() -> None:
    from kerjasama_cli.exporting.workbook import sheet_names

    names = sheet_names(
        [
            "Badan Pengelolaan Keuangan dan Aset Daerah",
            "Dinas Pemberdayaan Masyarakat dan Desa",
            "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
            "Dinas Koperasi, UKM dan Perindustrian",
            "Badan Kepegawaian dan Pengembangan SDM",
            "Dinas Kesehatan",
        ]
    )
    assert names == [
        "Badan Pengelolaan Keuangan",
        "Dinas Pemberdayaan Masyarakat",
        "Dinas Pemberdayaan Perempuan",
        "Dinas Koperasi, UKM",
        "Badan Kepegawaian",
        "Dinas Kesehatan",
    ]
    # One long word is still cut within it, and names alike are numbered.
    assert sheet_names(["X" * 40, "X" * 40]) == ["X" * 31, "X" * 27 + " (2)"]
