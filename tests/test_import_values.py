"""What people type in a register's cells, and what it must mean once imported."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

HEADER = ["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal Penandatanganan",
          "Jangka Waktu"]


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def one(cli: Cli, tmp_path: Path, **cells: str) -> dict[str, Any]:
    """Import one KB with these extra columns; its register record."""
    values = {"Jenis Dokumen": "KB", "Nomor": "1/KB", "Tentang": "t", "Mitra": "Unila",
              "Tanggal Penandatanganan": "1/2/2021", "Jangka Waktu": "5 tahun"} | cells
    cli("import", str(write_csv(tmp_path / "one.csv", [list(values), list(values.values())])))
    shown = cli.json("show", "1/KB")
    assert isinstance(shown, dict)
    return shown


@pytest.mark.parametrize(
    ("typed", "value", "funding"),
    [("Tidak ada", None, "tanpa-biaya"), ("Non Anggaran", None, "tanpa-biaya"),
     ("Tanpa biaya", None, "tanpa-biaya"), ("Nihil", None, "tanpa-biaya"),
     ("Rp. 1.250.000,-", 1250000, None), ("Rp 1,25 miliar", 1250000000, None)],
)
def test_money_as_typed(cli: Cli, tmp_path: Path, typed: str, value: int | None,
                        funding: str | None) -> None:
    shown = one(cli, tmp_path, **{"Nilai": typed})
    assert (shown["value"], shown["funding"]) == (value, funding)


def test_no_value_keeps_a_funding_that_is_given(cli: Cli, tmp_path: Path) -> None:
    shown = one(cli, tmp_path, **{"Nilai": "Tidak ada", "Sumber Pembiayaan": "Masing-masing pihak"})
    assert (shown["value"], shown["funding"]) == (None, "masing-masing")


@pytest.mark.parametrize(
    ("signed", "precision", "stored", "shown"),
    [("Agustus 2021", "month", "2021-08-01", "Agustus 2021"),
     ("2021", "year", "2021-01-01", "2021")],
)
def test_dates_known_only_to_the_month_or_year(
    cli: Cli, tmp_path: Path, signed: str, precision: str, stored: str, shown: str
) -> None:
    record = one(cli, tmp_path, **{"Tanggal Penandatanganan": signed, "Jangka Waktu": "3 tahun"})
    assert (record["signed_on"], record["signed_on_precision"]) == (stored, precision)
    assert record["ends_on_precision"] == precision  # 3 years from a month ends in a month
    # In force during its year from the start of the period, never a draft.
    assert cli.json("show", "1/KB", "--as-of", "2021-12-31")["status"] == "berlaku"  # type: ignore[index]
    in_2021 = cli.json("list", "--year", "2021")
    assert isinstance(in_2021, list) and [r["number"] for r in in_2021] == ["1/KB"]
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict) and board["numbers"]["in_force"] == 1
    # Shown as typed.
    lines = [" ".join(line.split()) for line in cli("show", "1/KB").stdout.splitlines()]
    assert f"Ditandatangani {shown}" in lines


def test_partial_dates_in_the_workbook_read_as_typed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    one(cli, tmp_path, **{"Tanggal Penandatanganan": "Agustus 2021", "Jangka Waktu": "2021"})
    monkeypatch.chdir(tmp_path)
    cli("config", "set", "region", "Kabupaten Tanggamus")
    cli("export", "--xlsx", "--csv", "-o", "register")
    sheet = load_workbook(tmp_path / "register" / "register-kerja-sama.xlsx")["Daftar Kerja Sama"]
    headers = [cell.value for cell in sheet[1]]
    signed = sheet.cell(2, headers.index("Tanggal Penandatanganan") + 1)
    assert signed.number_format == "[$-421]mmmm yyyy"
    assert signed.value.date().isoformat() == "2021-08-01"
    exported = (tmp_path / "register" / "register-kerja-sama-daftar-kerja-sama.csv").read_text(
        encoding="utf-8-sig")
    assert "2021-08" in exported and "2021-08-01" not in exported


@pytest.mark.parametrize(
    ("term", "signed", "starts", "ends"),
    [("Sampai dengan tanggal 31 Desember 2024", "1/2/2021", None, "2024-12-31"),
     ("Tahun Anggaran 2021", "1/2/2021", None, "2021-12-31"),
     ("1 (satu) tahun anggaran", "5/7/2021", None, "2021-12-31"),
     ("2 (dua) tahun sejak tanggal 1 Januari 2022", "20/12/2021", "2022-01-01", "2023-12-31"),
     ("Selama 3 (tiga) tahun", "19/8/2021", None, "2024-08-18"),
     ("3 (tiga) tahun sejak ditandatangani", "19/8/2021", None, "2024-08-18")],
)
def test_terms_as_contracts_write_them(cli: Cli, tmp_path: Path, term: str, signed: str,
                                       starts: str | None, ends: str) -> None:
    record = one(cli, tmp_path, **{"Tanggal Penandatanganan": signed, "Jangka Waktu": term})
    assert (record["starts_on"], record["ends_on"]) == (starts, ends)


def test_a_term_without_an_end_is_a_warning(cli: Cli, tmp_path: Path) -> None:
    rows = [HEADER, ["KB", "1/KB", "t", "Unila", "1/2/2021", "sesuai kebutuhan"],
            ["KB", "2/KB", "t", "Unila", "", "5 tahun"]]
    result = cli("import", str(write_csv(tmp_path / "t.csv", rows)))
    assert "2 agreements have a term that gives no end date" in result.stderr
    assert "row 2: 'sesuai kebutuhan' (the term names no end)" in result.stderr
    assert "row 3: '5 tahun' (there is no signing or start date to count it from)" in (
        result.stderr
    )
    added = cli("add-mou", "--number", "3/KB", "--title", "t", "--partner", "Unila",
                "--signed", "1/2/2021", "--term", "selama dibutuhkan")
    assert "gives no end date" in added.stderr


@pytest.mark.parametrize(
    ("typed", "official"),
    [("Ketenteraman dan Ketertiban Umum serta Pelindungan (Perlindungan) Masyarakat",
      "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"),
     ("Urusan Pemerintahan Bidang Pendidikan", "Pendidikan"),
     ("Koperasi dan UKM", "Koperasi, Usaha Kecil, dan Menengah"),
     ("Pendidikan dan Kebudayaan", "Pendidikan"),
     ("Penanaman Modal dan PTSP", "Penanaman Modal"),
     ("Urusan Pemerintahan Bidang Pemberdayaan Perempuan dan Perlindungan Anak",
      "Pemberdayaan Perempuan dan Pelindungan Anak")],
)
def test_bidang_as_permendagri_90_and_offices_write_them(
    cli: Cli, tmp_path: Path, typed: str, official: str
) -> None:
    assert one(cli, tmp_path, **{"Bidang Urusan": typed})["bidang"] == official


def test_an_unknown_bidang_is_quoted_whole_with_the_closest_ones(cli: Cli, tmp_path: Path) -> None:
    rows = [[*HEADER, "Bidang Urusan"],
            ["KB", "1/KB", "t", "Unila", "1/2/2021", "",
             "Urusan Pemerintahan Bidang Pertanian Organik"]]
    result = cli("import", str(write_csv(tmp_path / "b.csv", rows)), ok=False)
    assert ("'Urusan Pemerintahan Bidang Pertanian Organik' is not a known bidang urusan "
            "(did you mean") in result.stderr


EVALUATION = ["Tahun", "Nomor", "Tingkat Pelaksanaan", "Progres (%)", "Rekomendasi"]


@pytest.mark.parametrize(
    ("level", "progress", "recommendation", "expected"),
    [
        ("Sudah Terlaksana", "", "Dilanjutkan", ("terlaksana", None, "dilanjutkan")),
        ("TERLAKSANA", "100%", "Perpanjang", ("terlaksana", 100, "diperpanjang")),
        ("Terlaksana 100%", "", "Perlu adendum", ("terlaksana", 100, "ditinjau")),
        ("Sebagian", "75 %", "Perlu Adendum", ("sebagian", 75, "ditinjau")),
        ("terlaksana sebagian (70%)", "", "", ("sebagian", 70, None)),
        ("Dalam proses", "60 persen", "Dilanjutkan dengan PKS baru",
         ("sebagian", 60, "dilanjutkan")),
        ("Belum", "0,25", "", ("belum", 25, None)),
    ],
)
def test_levels_progress_and_recommendations_as_typed(
    cli: Cli, tmp_path: Path, level: str, progress: str, recommendation: str,
    expected: tuple[str, int | None, str | None],
) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "Unila",
        "--signed", "1/2/2021", "--term", "5 tahun")
    source = write_csv(tmp_path / "e.csv", [EVALUATION,
                                            ["2021", "1/KB", level, progress, recommendation]])
    cli("import", str(source))
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    (item,) = [a for g in board["groups"] for a in g["agreements"]]
    got = item["evaluation"]
    assert (got["level"], got["progress"], got["recommendation"]) == expected


def test_the_same_words_work_from_the_command_line(cli: Cli) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "Unila",
        "--signed", "1/2/2021", "--term", "5 tahun")
    cli("evaluate", "2021", "1/KB", "--level", "Terlaksana 100%",
        "--recommendation", "Perlu adendum")
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    (item,) = [a for g in board["groups"] for a in g["agreements"]]
    assert (item["evaluation"]["level"], item["evaluation"]["progress"],
            item["evaluation"]["recommendation"]) == ("terlaksana", 100, "ditinjau")
    clash = cli("evaluate", "2021", "1/KB", "--level", "sebagian (70%)", "--progress", "60",
                ok=False)
    assert clash.exit_code == 2 and "differs from the 70% given with the level" in clash.stderr


def test_an_unknown_level_in_a_file_lists_the_accepted_ones(cli: Cli, tmp_path: Path) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "Unila",
        "--signed", "1/2/2021", "--term", "5 tahun")
    source = write_csv(tmp_path / "e.csv", [EVALUATION, ["2021", "1/KB", "Terlaksan", "", ""]])
    result = cli("import", str(source), ok=False)
    assert "'Terlaksan' is not a known implementation level (did you mean 'Terlaksana'" in (
        result.stderr
    )


def test_commands_take_a_month_or_a_year_and_a_whole_date_again(cli: Cli) -> None:
    cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "Unila",
        "--signed", "Agustus 2021", "--term", "3 tahun")

    def dates() -> tuple[object, ...]:
        shown = cli.json("show", "1/KB")
        assert isinstance(shown, dict)
        return (shown["signed_on"], shown["signed_on_precision"], shown["ends_on"],
                shown["ends_on_precision"])

    assert dates() == ("2021-08-01", "month", "2024-07-31", "month")
    cli("update", "1/KB", "--signed", "19/8/2021")  # the day is known now
    assert dates() == ("2021-08-19", None, "2024-08-18", None)
    cli("update", "1/KB", "--end", "2024")
    assert dates() == ("2021-08-19", None, "2024-12-31", "year")
    history = cli.json("history", "1/KB")
    assert isinstance(history, dict)
    assert ("signed_on_precision", "month", None) in {
        (h["field"], h["old"], h["new"]) for h in history["history"]
    }
