"""kerjasama import: formats, aliases, values, guarantees."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli
from kerjasama_cli.errors import KerjasamaError
from kerjasama_cli.importing.cells import Validator
from kerjasama_cli.importing.columns import AGREEMENT_COLUMNS, ColumnMap, map_columns

EXAMPLES = Path(__file__).parent.parent / "examples"
HEADER = ["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan",
          "Jangka Waktu"]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", bom: bool = True) -> Path:
    """As Excel saves it: quoted where needed, CRLF, a BOM for 'CSV UTF-8'."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def rows_of(cli: Cli) -> dict[str, dict[str, Any]]:
    data = cli.json("list")
    assert isinstance(data, list)
    return {row["number"]: row for row in data}


def test_errors_example_report_line_by_line(cli: Cli, tmp_path: Path) -> None:
    source = EXAMPLES / "register-with-errors.csv"
    report = tmp_path / "report.txt"
    result = cli("import", str(source), "--report", str(report), ok=False)
    assert result.exit_code == 1
    name = str(source)
    assert report.read_text(encoding="utf-8").splitlines() == [
        f"{name}:3: column \"Tanggal Berakhir\": '31 Juni 2022' is not a date: "
        "Juni 2022 has 30 days",
        f'{name}:4: column "Tentang": required, but empty',
        f"{name}:5: column \"Jenis Dokumen\": 'Surat Edaran' is not a known document type "
        "(choose one of: Kesepakatan Bersama, Perjanjian Kerja Sama, Adendum, Nota Kesepakatan)",
        f"{name}:6: column \"Nilai\": 'Rp 1,2,3 juta' is not an amount of money",
        f"{name}:7: column \"Tanggal Berakhir\": '1 Mei 2021' is before the signing date "
        "2022-05-01",
        # Row 8's KB is in neither the register nor the file: a link kept, not a problem.
        f"{name}:9: column \"Bidang Urusan\": 'Perkebunan' is not a known bidang urusan "
        "(did you mean 'Perhubungan' or 'Kelautan dan Perikanan' or 'Perencanaan'?)",
        f"{name}:10: column \"Nomor\": '180/1/KB/2022' appears twice in the file with "
        "different contents (rows 2 and 10)",
        f'{name}:11: column "Mitra": required, but empty',
    ]
    assert f'Warning: {name}:1: column "Warna" is not known; ignored' in result.stderr
    assert "11 rows: 0 created, 0 updated, 0 unchanged, 0 skipped, 8 invalid (nothing " \
        "written)" in result.stdout
    assert "write the 3 valid rows and leave these out with --skip-invalid" in result.stderr
    assert rows_of(cli) == {}  # all or nothing


def test_skip_invalid_writes_the_valid_rows(cli: Cli) -> None:
    result = cli("import", str(EXAMPLES / "register-with-errors.csv"), "--skip-invalid")
    assert "3 created" in result.stdout and "8 invalid" in result.stdout
    rows = rows_of(cli)
    assert set(rows) == {"180/1/KB/2022", "180/11/PKS/2022", "180/7/PKS/2022"}
    # Its KB is in neither the register nor the file: the number is kept, unlinked.
    assert rows["180/7/PKS/2022"]["parent_id"] is None
    assert rows["180/7/PKS/2022"]["unresolved_parent"] == "180/99/KB/2020"
    assert "180/99/KB/2020" in result.stderr
    assert rows["180/11/PKS/2022"]["parent_number"] == "180/1/KB/2022"


def test_dry_run_writes_nothing_and_says_the_same(cli: Cli) -> None:
    source = str(EXAMPLES / "register-2021.csv")
    dry = cli("import", source, "--dry-run")
    assert "33 created" in dry.stdout and "dry run, nothing written" in dry.stdout
    assert rows_of(cli) == {}
    real = cli("import", source)
    assert "33 created" in real.stdout and "(written)" in real.stdout


def test_conflict_modes(cli: Cli, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [
        HEADER, ["KB", "1/KB", "Judul lama", "Mitra A", "1/1/2021", "2 tahun"],
        ["KB", "2/KB", "Tetap", "Mitra A", "1/1/2021", "2 tahun"]])
    cli("import", str(first))
    changed = write_csv(tmp_path / "b.csv", [
        HEADER, ["KB", "1/KB", "Judul baru", "Mitra A; Mitra B", "1/1/2021", "3 tahun"],
        ["KB", "2/kb", "Tetap", "mitra a", "01/01/2021", "2 tahun"],
        ["KB", "3/KB", "Baru", "Mitra C", "1/1/2022", ""]])
    skipped = cli("import", str(changed))
    assert "1 created, 0 updated, 1 unchanged, 1 skipped" in skipped.stdout
    assert rows_of(cli)["1/KB"]["title"] == "Judul lama"

    failed = cli("import", str(changed), "--on-conflict", "fail", ok=False)
    assert failed.exit_code == 4
    assert "'1/KB' is already in the register with other values" in failed.stderr

    updated = cli("import", str(changed), "--on-conflict", "update")
    assert "0 created, 1 updated, 2 unchanged, 0 skipped" in updated.stdout
    row = rows_of(cli)["1/KB"]
    assert row["title"] == "Judul baru"
    assert row["ends_on"] == "2023-12-31"
    assert [p["name"] for p in row["partners"]] == ["Mitra A", "Mitra B"]
    assert row["version"] == 2
    history = cli.json("history", "1/KB")
    assert isinstance(history, dict)
    changes = {(h["field"], h["old"], h["new"], h["command"]) for h in history["history"]}
    assert ("title", "Judul lama", "Judul baru", "import") in changes
    assert ("partners", "Mitra A", "Mitra A; Mitra B", "import") in changes
    assert ("ends_on", "2022-12-31", "2023-12-31", "import") in changes
    again = cli("import", str(changed), "--on-conflict", "update")
    assert "0 created, 0 updated, 3 unchanged" in again.stdout


def test_every_alias_is_understood(cli: Cli, tmp_path: Path) -> None:
    for canonical, aliases in AGREEMENT_COLUMNS.items():
        for spelling in (canonical, *aliases):
            columns = map_columns(["Jenis Dokumen", "Nomor", "Tentang", "Mitra", spelling,
                                   f"  {spelling.upper()}  "], None)
            assert canonical in columns.fields.values(), spelling


def test_headers_in_any_case_and_order_with_a_leading_no(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "x.csv", [
        ["No.", "MITRA", "perihal", "NOMOR DOKUMEN", "jenis  dokumen", "Tgl TTD", "OPD",
         "Sumber Dana", "Urusan", "Jenis Kerjasama", "Nilai (Rp)", "Keterangan"],
        ["1", "Universitas Lampung", "Riset", "9/KB", "Nota Kesepahaman", "19-08-2021",
         "Bappeda; Dinas Pendidikan", "APBD", "Litbang", "Pihak Ketiga", "Rp 1.250.000,00",
         "=1+1"],
    ], delimiter=",", bom=False)
    result = cli("import", str(source))
    assert "Warning" not in result.stderr
    row = rows_of(cli)["9/KB"]
    assert row["doc_type"] == "kb" and row["signed_on"] == "2021-08-19"
    assert [u["name"] for u in row["units"]] == ["Bappeda", "Dinas Pendidikan"]
    assert row["funding"] == "apbd" and row["bidang"] == "Penelitian dan Pengembangan"
    assert row["kind"] == "ksdpk" and row["value"] == 1250000
    assert row["note"] == "=1+1"  # stored as text, never evaluated


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2021-08-19", "2021-08-19"), ("19/8/2021", "2021-08-19"), ("19-08-2021", "2021-08-19"),
     ("19 Agustus 2021", "2021-08-19"), ("Kamis, 19 Agustus 2021", "2021-08-19"),
     ("-", None), ("–", None), ("—", None), ("", None)],
)
def test_date_forms_and_placeholders(cli: Cli, tmp_path: Path, cell: str,
                                     expected: str | None) -> None:
    source = write_csv(tmp_path / "d.csv", [[*HEADER, "Tanggal Berakhir"],
                                            ["KB", "1/KB", "t", "m", cell, "", ""]])
    cli("import", str(source))
    assert rows_of(cli)["1/KB"]["signed_on"] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1250000", 1250000), ("1.250.000", 1250000), ("Rp 1.250.000,00", 1250000),
     ("Rp 1.250.000,50", 1250000.5), ("-", None)],
)
def test_money_forms(cli: Cli, tmp_path: Path, cell: str, expected: float | None) -> None:
    source = write_csv(tmp_path / "m.csv", [[*HEADER, "Nilai"],
                                            ["PKS", "1/PKS", "t", "m", "", "", cell]])
    cli("import", str(source))
    assert rows_of(cli)["1/PKS"]["value"] == expected


def test_pks_before_its_kb_in_the_same_file(cli: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "r.csv", [
        [*HEADER, "Induk"],
        ["PKS", "1/PKS", "Pelaksanaan", "Mitra", "1/2/2021", "1 tahun", "1/KB"],
        ["MoU", "1/KB", "Kerangka", "Mitra", "1/1/2021", "5 tahun", ""],
    ])
    cli("import", str(source))
    assert rows_of(cli)["1/PKS"]["parent_number"] == "1/KB"


def test_parent_may_be_in_the_register(cli: Cli, tmp_path: Path) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "m")
    source = write_csv(tmp_path / "p.csv", [[*HEADER, "Nomor KB"],
                                            ["PKS", "1/PKS", "t", "m", "", "", "1/kb"]])
    cli("import", str(source))
    assert rows_of(cli)["1/PKS"]["parent_number"] == "1/KB"


def test_xlsx_with_real_date_cells_serials_and_sheet(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Catatan"
    workbook.active.append(["bukan data"])
    sheet = workbook.create_sheet("Daftar KSD")
    sheet.append(["No", "Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan",
                  "Tanggal Berakhir", "Nilai", "Nomor Mitra"])
    sheet.append([1, "KB", "1/KB", "Real date", "Mitra", datetime(2021, 8, 19), date(2026, 8, 18),
                  1250000000, 12345])
    sheet.append([2, "PKS", "2/PKS", "Serial", "Mitra", 44427, "31/12/2022", 450000000.5,
                  None])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    missing = cli("import", str(path), "--sheet", "Tidak Ada", ok=False)
    assert "has no sheet 'Tidak Ada'" in missing.stderr and "'Daftar KSD'" in missing.stderr
    cli("import", str(path), "--sheet", "Daftar KSD")
    rows = rows_of(cli)
    assert rows["1/KB"]["signed_on"] == "2021-08-19"
    assert rows["1/KB"]["ends_on"] == "2026-08-18"
    assert rows["1/KB"]["value"] == 1250000000
    assert rows["1/KB"]["partner_number"] == "12345"
    assert rows["2/PKS"]["signed_on"] == "2021-08-19"  # Excel serial 44427
    assert rows["2/PKS"]["value"] == 450000000.5


def test_json_and_jsonl(cli: Cli, tmp_path: Path) -> None:
    records = [{"doc_type": "kb", "number": "1/KB", "title": "t", "partners": "A; B",
                "signed_on": "2021-01-01", "value": 1000},
               {"Jenis Dokumen": "PKS", "Nomor": "1/PKS", "Tentang": "t", "Mitra": "A",
                "Induk": "1/KB"}]
    (tmp_path / "a.json").write_text(json.dumps(records[:1]))
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in records[1:]) + "\n")
    result = cli("import", str(tmp_path / "a.json"), str(tmp_path / "b.jsonl"), "--json")
    summaries = json.loads(result.stdout)
    assert [s["created"] for s in summaries] == [1, 1]
    rows = rows_of(cli)
    assert [p["name"] for p in rows["1/KB"]["partners"]] == ["A", "B"]
    assert rows["1/PKS"]["parent_number"] == "1/KB"


def test_stdin(cli: Cli) -> None:
    text = "Jenis Dokumen;Nomor;Tentang;Mitra\nKB;1/KB;Dari stdin;Mitra\n"
    result = cli("import", "-", input=text)
    assert "<stdin>: 1 row: 1 created" in result.stdout
    assert rows_of(cli)["1/KB"]["title"] == "Dari stdin"


def test_unreadable_inputs_are_clear_errors(cli: Cli, tmp_path: Path) -> None:
    assert "no such file" in cli("import", str(tmp_path / "nope.csv"), ok=False).stderr
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert "cannot import .pdf" in cli("import", str(tmp_path / "x.pdf"), ok=False).stderr
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    bad = cli("import", str(tmp_path / "bad.xlsx"), ok=False)
    assert bad.exit_code == 2 and "cannot read bad.xlsx as a workbook" in bad.stderr
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 20)
    latin = cli("import", str(tmp_path / "binary.csv"), ok=False)
    assert latin.exit_code == 2 and "binary.csv: the file holds binary data" in latin.stderr
    write_csv(tmp_path / "h.csv", [["Nomor", "Tentang"], ["1", "t"]])
    header = cli("import", str(tmp_path / "h.csv"), ok=False)
    assert 'no column for "Jenis Dokumen" (doc_type), "Mitra" (partners)' in header.stderr
    write_csv(tmp_path / "e.csv", [["Tingkat Pelaksanaan", "Progres"], ["terlaksana", "1"]])
    evaluations = cli("import", str(tmp_path / "e.csv"), ok=False)
    assert "the header has no column for 'number'" in evaluations.stderr
    for result in (bad, latin, header, evaluations):
        assert "Traceback" not in result.stderr


COLUMNS = map_columns(list(AGREEMENT_COLUMNS), None)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(),
                          st.dates(), st.datetimes()),
                min_size=len(AGREEMENT_COLUMNS), max_size=len(AGREEMENT_COLUMNS)))
def test_arbitrary_cells_never_raise_anything_but_the_imports_errors(cells: list[Any]) -> None:
    validator = Validator(ColumnMap(COLUMNS.fields, COLUMNS.labels, "agreements", []))
    try:
        values, errors = validator.record(cells)
    except KerjasamaError:
        return
    assert isinstance(values, dict)
    for error in errors:
        assert isinstance(error, KerjasamaError) and error.message


def test_progress_shows_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from kerjasama_cli.cli import common, importer

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(importer.sys, "stderr", io.StringIO())
    with importer._progress("big.csv") as progress:
        assert progress is None  # a script: no bar
    monkeypatch.setattr(importer.sys, "stderr", Terminal())
    with importer._progress("big.csv") as progress:
        assert progress is not None
        progress(5000)
    common.set_quiet(True)
    try:
        with importer._progress("big.csv") as progress:
            assert progress is None  # --quiet
    finally:
        common.set_quiet(False)
