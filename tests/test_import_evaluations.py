"""Importing what the OPDs send back: evaluations and findings."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def sample(cli: Cli) -> Cli:
    cli("import", str(EXAMPLES / "register-2021.csv"))
    return cli


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def numbers(cli: Cli, year: int = 2021) -> dict[str, Any]:
    data = cli.json("evaluate", str(year))
    assert isinstance(data, dict)
    return data["numbers"]  # type: ignore[no-any-return]


def test_sample_evaluations_import_and_count(sample: Cli) -> None:
    result = sample("import", str(EXAMPLES / "evaluasi-2021.csv"))
    assert "31 rows: 27 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid" in result.stdout
    assert "4 rows left empty were not imported (rows 15, 16, 29, 31)" in result.stderr
    again = sample("import", str(EXAMPLES / "evaluasi-2021.csv"))
    assert "0 created, 0 updated, 27 unchanged" in again.stdout
    counted = numbers(sample)
    assert counted["in_force"] == 31 and counted["evaluated"] == 27
    assert counted["coverage_pct"] == 87.1
    assert counted["by_level"] == {"terlaksana": 17, "sebagian": 8, "belum": 1, "tidak": 1}
    # 17 x 100 + (60+75+80+50+40+45+30+70) + 0 + 0 = 2150 over 27
    assert counted["implementation_index"] == 79.6
    history = sample.json("history", "180/22/PKS/I.01/2021")
    assert isinstance(history, dict)
    assert any(h["field"] == "evaluasi 2021: level" and h["command"] == "import"
               for h in history["history"])


def test_evaluation_rows_are_checked(sample: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "e.csv", [
        ["Tahun", "Nomor", "Tingkat Pelaksanaan", "Progres (%)", "Rekomendasi"],
        [2021, "180/01/KB/I.01/2019", "terlaksana", "", "dilanjutkan"],
        [2021, "180/99/XX/2021", "terlaksana", "", ""],
        [2021, "180/03/KB/I.01/2015", "terlaksana", "", ""],
        [2021, "180/22/PKS/I.01/2021", "setengah", "", ""],
        [2021, "180/07/PKS/I.01/2020", "sebagian", "120", ""],
        ["", "180/12/KB/I.01/2021", "terlaksana", "", ""],
    ])
    result = sample("import", str(source), ok=False)
    assert result.exit_code == 1
    name = str(source)
    lines = [line for line in result.stderr.splitlines()
             if line.startswith(f"{name}:") and line[len(name) + 1].isdigit()]
    assert lines == [
        f"{name}:3: column \"Nomor\": '180/99/XX/2021' names no single agreement in the "
        "register",
        f"{name}:4: column \"Nomor\": '180/03/KB/I.01/2015' was not in force during 2021 "
        "(its term is 2015-06-16 to 2020-06-15)",
        f"{name}:5: column \"Tingkat Pelaksanaan\": 'setengah' is not a known implementation "
        "level (choose one of: Terlaksana, Terlaksana Sebagian, Belum Terlaksana, Tidak "
        "Terlaksana)",
        f"{name}:6: column \"Progres (%)\": '120' must be between 0 and 100 (%)",
        f"{name}:7: column \"Tahun\": '' is not given, and neither the sheet's name nor its "
        "title names the year",
    ]
    assert numbers(sample)["evaluated"] == 0  # all or nothing
    skipped = sample("import", str(source), "--skip-invalid")
    assert "1 created" in skipped.stdout and "5 invalid" in skipped.stdout
    assert numbers(sample)["evaluated"] == 1


def test_year_from_the_workbook_sheet_and_conflicts(sample: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Evaluasi 2021"
    sheet.append(["No", "Nomor", "Tentang", "Perangkat Daerah", "Tingkat Pelaksanaan",
                  "Progres (%)", "Tindak Lanjut", "Kendala/Permasalahan", "Rekomendasi",
                  "Tanggal Evaluasi", "Evaluator"])
    sheet.append([1, "180/22/PKS/I.01/2021", "Kajian", "Bappeda", "Terlaksana Sebagian", 60,
                  "Draf", "Data", "Dilanjutkan", "19/08/2021", "Tim"])
    path = tmp_path / "dari-opd.xlsx"
    workbook.save(path)
    assert "1 created" in sample("import", str(path)).stdout
    sheet.cell(row=2, column=6, value=90)
    workbook.save(path)
    assert "1 skipped" in sample("import", str(path)).stdout
    failed = sample("import", str(path), "--on-conflict", "fail", ok=False)
    assert failed.exit_code == 4 and "already recorded with other values" in failed.stderr
    assert "1 updated" in sample("import", str(path), "--on-conflict", "update").stdout
    data = sample.json("evaluate", "2021")
    assert isinstance(data, dict)
    evaluation = next(a["evaluation"] for g in data["groups"] for a in g["agreements"]
                      if a["number"] == "180/22/PKS/I.01/2021")
    assert evaluation["progress"] == 90 and evaluation["evaluated_on"] == "2021-08-19"


def test_findings_import(sample: Cli, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "t.csv", [
        ["Nomor", "Tahun", "Jenis Temuan", "Uraian", "Penanggung Jawab", "Batas Waktu",
         "Status"],
        ["180/05/KB/I.01/2021", 2021, "Administrasi", "Belum ada PKS", "Dinas Pertanian",
         "31/3/2022", ""],
        ["180/25/PKS/I.01/2020", 2021, "Kendala", "Sinyal lemah", "Dinas Kominfo", "", "proses"],
    ])
    result = sample("import", str(source))
    assert "2 created" in result.stdout
    assert "0 created, 0 updated, 2 unchanged" in sample("import", str(source)).stdout
    findings = sample.json("finding", "list", "--year", "2021")
    assert isinstance(findings, list)
    assert [(f["number"], f["status"], f["owner"]) for f in findings] == [
        ("180/05/KB/I.01/2021", "terbuka", "Dinas Pertanian"),
        ("180/25/PKS/I.01/2020", "dalam-proses", "Dinas Kominfo"),
    ]
    closed = write_csv(tmp_path / "t2.csv", [
        ["Nomor", "Tahun", "Uraian", "Status", "Catatan"],
        ["180/05/KB/I.01/2021", 2021, "Belum ada PKS", "selesai", "PKS ditandatangani"],
    ])
    assert "1 updated" in sample("import", str(closed), "--on-conflict", "update").stdout
    findings = sample.json("finding", "list", "--open")
    assert isinstance(findings, list)
    assert [f["number"] for f in findings] == ["180/25/PKS/I.01/2020"]


def test_several_files_go_in_register_first(cli: Cli, tmp_path: Path) -> None:
    # As `kerjasama import *.csv` lists them: findings and evaluations first.
    findings = write_csv(tmp_path / "a-temuan.csv", [
        ["Nomor", "Tahun", "Uraian"],
        ["180/05/KB/I.01/2021", 2021, "Belum ada PKS"],
    ])
    files = [str(findings), str(EXAMPLES / "evaluasi-2021.csv"),
             str(EXAMPLES / "register-2021.csv")]
    result = cli("import", *files)
    assert "register's files first" in result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        files[2], files[1], files[0]
    ]
    created = [line.split(": ")[2].split(",")[0] for line in result.stdout.splitlines()]
    assert created == ["33 created", "27 created", "1 created"]
    assert result.stdout.count("0 invalid (written)") == 3
    # Given in order, or with --type, the files go as given.
    again = cli("import", files[2], files[1])
    assert "first" not in again.stderr
    typed = cli("import", "--type", "evaluations", files[1], files[1])
    assert "first" not in typed.stderr
