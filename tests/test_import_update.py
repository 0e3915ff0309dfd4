"""An import changes only what the file says: the columns it has, the cells it fills.

An empty cell, or a column the file lacks, leaves the stored value as it was;
"-" clears it. The register's own workbook and CSV, imported back, change nothing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, snapshot


def rich_register(cli: Cli, tmp_path: Path) -> None:
    """Agreements using every field the register keeps, some of them hard to read back."""

    def build() -> None:
        cli("config", "set", "region", "Kabupaten Pesawaran")
        cli("add-mou", "--number", "180/1/KB/2021", "--title", "Pengembangan SDM Aparatur",
            "--partner-number", "07/UNILA/2021", "--scope", "Pendidikan; pelatihan\nriset",
            "--partner", "Universitas Lampung", "--partner-kind", "perguruan-tinggi",
            "--kind", "ksdpk", "--bidang", "Pendidikan", "--unit", "Dinas Pendidikan",
            "--unit", "BKPSDM", "--signed", "19 Agustus 2021", "--term", "5 tahun",
            "--value", "Rp 1.250.000.000", "--funding", "apbd", "--dprd", "disetujui",
            "--dprd-number", "170/05/DPRD/2021", "--dprd-date", "2021-07-01",
            "--note", "Catatan panjang")
        cli("add-mou", "--number", "180/2/KB/2020", "--title", "Kerja sama perbatasan",
            "--partner", "Pemerintah Kabupaten Pringsewu", "--kind", "ksdd",
            "--ksdd-category", "wajib",
            "--bidang", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
            "--signed", "Maret 2020", "--term", "3 tahun")
        cli("terminate", "180/2/KB/2020", "--date", "2022-01-31",
            "--reason", "Kesepakatan para pihak")
        cli("add-pks", "--number", "=180/3/PKS/2021", "--mou", "180/1/KB/2021",
            "--title", "=SUM(A1) beasiswa", "--partner", "@Universitas Lampung",
            "--unit", "BKPSDM", "--signed", "2021-09-01", "--end", "2022-12-31",
            "--note", "-5 tahun lagi", "--value", "Rp 450.000.000")
        cli("add-adendum", "--to", "=180/3/PKS/2021", "--number", "180/4/ADD/2022",
            "--title", "Perubahan jadwal", "--partner", "@Universitas Lampung",
            "--signed", "2022-02-01")
        cli("add-mou", "--number", "+62/KB/2019", "--title", "Tahun saja",
            "--partner", "PT Maju", "--signed", "2019", "--end", "2023")
        cli("evaluate", "2021", "180/1/KB/2021", "--level", "sebagian", "--progress", "60",
            "--obstacles", "Data belum lengkap", "--recommendation", "dilanjutkan",
            "--on", "2021-12-15")
        cli("finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
            "--text", "=Data potensi", "--owner", "Dinas Pendidikan", "--due", "2022-03-31")

    snapshot(cli, "import-update-rich", build)


def dump(cli: Cli) -> dict[str, Any]:
    """Everything the register holds about its agreements, by number, as JSON says it."""
    agreements = cli.json("list")
    assert isinstance(agreements, list)
    shown = {}
    for item in agreements:
        full = cli.json("show", f"id:{item['id']}")
        assert isinstance(full, dict)
        for volatile in ("updated_at", "version", "history", "created_at"):
            full.pop(volatile, None)
        shown[full["number"]] = full
    return shown


def history_rows(cli: Cli) -> int:
    total = 0
    for number in dump(cli):
        history = cli.json("history", number)
        assert isinstance(history, dict)
        total += len(history["history"])
    return total


def import_json(cli: Cli, *args: str) -> list[dict[str, Any]]:
    data = json.loads(cli("import", *args, "--json").stdout)
    assert isinstance(data, list)
    return data


def agreement_counts(summaries: list[dict[str, Any]]) -> dict[str, int]:
    totals = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "invalid": 0}
    for summary in summaries:
        if summary.get("type") == "agreements":
            for key in totals:
                totals[key] += summary[key]
    return totals


def test_the_registers_own_workbook_imported_back_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    rich_register(cli, tmp_path)
    before, told = dump(cli), history_rows(cli)
    for args in ([], ["2021"]):
        target = tmp_path / f"own{'-'.join(args)}.xlsx"
        cli("export", *args, "-o", str(target))
        summaries = import_json(cli, str(target), "--on-conflict", "update")
        counts = agreement_counts(summaries)
        # the year's workbook: its Evaluasi sheet is what the OPDs fill in and send back
        assert counts["unchanged"] == (0 if args else len(before)), summaries
        assert {s["type"] for s in summaries} >= {"evaluations"}
        assert all(s["updated"] == s["created"] == s["invalid"] == 0 for s in summaries)
    assert dump(cli) == before
    assert history_rows(cli) == told  # not one change recorded


def test_the_registers_own_csv_imported_back_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    rich_register(cli, tmp_path)
    before = dump(cli)
    folder = tmp_path / "csv"
    cli("export", "--csv", "-o", str(folder))
    files = sorted(folder.glob("*.csv"))
    daftar = next(f for f in files if "daftar" in f.name)
    text = daftar.read_text(encoding="utf-8-sig")
    assert "'=SUM(A1) beasiswa" in text and "'=180/3/PKS/2021" in text  # protected on export
    for file in files:
        summaries = import_json(cli, str(file), "--on-conflict", "update")
        assert all(s["updated"] == 0 and s["created"] == 0 for s in summaries), summaries
    assert dump(cli) == before  # no "'=..." duplicates, no texts changed
    assert before["=180/3/PKS/2021"]["title"] == "=SUM(A1) beasiswa"
    # and into an empty register, the same agreements as they were typed
    fresh = Cli(str(tmp_path / "fresh.db"), cli.runner)
    fresh("import", str(daftar))
    again = dump(fresh)
    assert set(again) == set(before)
    assert again["=180/3/PKS/2021"]["title"] == "=SUM(A1) beasiswa"
    assert again["=180/3/PKS/2021"]["note"] == "-5 tahun lagi"
    assert again["+62/KB/2019"]["number"] == "+62/KB/2019"


def test_the_years_own_csvs_imported_back_change_nothing(cli: Cli, tmp_path: Path) -> None:
    # The Evaluasi sheet has no Tahun column: its CSV's name says the year, as the
    # sheet's name does in the workbook.
    rich_register(cli, tmp_path)
    before, told = dump(cli), history_rows(cli)
    board = cli.json("evaluate", "2021")
    folder = tmp_path / "csv-2021"
    cli("export", "2021", "--csv", "-o", str(folder))
    files = sorted(folder.glob("*.csv"))
    assert any(f.name == "evaluasi-kerja-sama-2021-evaluasi-2021.csv" for f in files)
    for file in files:
        summaries = import_json(cli, str(file), "--on-conflict", "update")
        assert all(s["updated"] == s["created"] == s["invalid"] == 0 for s in summaries), (
            file.name, summaries)
    assert dump(cli) == before and history_rows(cli) == told
    assert cli.json("evaluate", "2021") == board


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_file_of_four_columns_changes_only_those(cli: Cli, tmp_path: Path) -> None:
    rich_register(cli, tmp_path)
    before = dump(cli)
    file = write_csv(tmp_path / "four.csv", [
        ["Nomor", "Jenis Dokumen", "Tentang", "Mitra"],
        ["180/1/KB/2021", "KB", "Pengembangan SDM Aparatur Daerah", "Universitas Lampung"],
        ["180/2/KB/2020", "KB", "Kerja sama perbatasan", "Pemerintah Kabupaten Pringsewu"],
    ])
    summaries = import_json(cli, str(file), "--on-conflict", "update")
    assert agreement_counts(summaries) == {
        "created": 0, "updated": 1, "unchanged": 1, "skipped": 0, "invalid": 0,
    }
    after = dump(cli)
    changed = {
        key for key in before["180/1/KB/2021"]
        if before["180/1/KB/2021"][key] != after["180/1/KB/2021"][key]
    }
    assert changed == {"title"}
    assert after["180/1/KB/2021"]["title"] == "Pengembangan SDM Aparatur Daerah"
    # the terminated one stays terminated, its category and bidang kept
    assert after["180/2/KB/2020"] == before["180/2/KB/2020"]
    assert after["180/2/KB/2020"]["status"] == "diakhiri"
    history = cli.json("history", "180/1/KB/2021")
    assert isinstance(history, dict)
    assert [e["field"] for e in history["history"] if e["command"].startswith("import")] == [
        "title"
    ]


def test_an_empty_cell_keeps_the_value_and_a_dash_clears_it(cli: Cli, tmp_path: Path) -> None:
    rich_register(cli, tmp_path)
    file = write_csv(tmp_path / "cells.csv", [
        ["Nomor", "Jenis Dokumen", "Tentang", "Mitra", "Nilai", "Keterangan",
         "Perangkat Daerah", "Tanggal Berakhir", "Ruang Lingkup"],
        ["180/1/KB/2021", "KB", "Pengembangan SDM Aparatur", "Universitas Lampung",
         "", "-", "", "", "Pendidikan dan pelatihan"],
        ["=180/3/PKS/2021", "PKS", "=SUM(A1) beasiswa", "@Universitas Lampung",
         "Tidak ada", "", "-", "-", ""],
    ])
    result = cli("import", str(file), "--on-conflict", "update")
    assert "left the stored values as they were" in result.stderr
    assert 'write "-" in its cell' in result.stderr
    summaries = import_json(cli, str(file), "--on-conflict", "update", "--dry-run")
    # the KB's value, OPDs and end, the PKS's note (a PKS keeps no scope: nothing to keep)
    assert summaries[0]["kept_empty_cells"] == 4
    kb, pks = cli.json("show", "180/1/KB/2021"), cli.json("show", "=180/3/PKS/2021")
    assert isinstance(kb, dict) and isinstance(pks, dict)
    assert kb["value"] == 1250000000  # empty: kept
    assert kb["note"] is None  # "-": cleared
    assert [unit["name"] for unit in kb["units"]] == ["Dinas Pendidikan", "BKPSDM"]  # kept
    assert kb["ends_on"] == "2026-08-18"  # empty: kept
    assert kb["scope"] == "Pendidikan dan pelatihan"
    assert pks["value"] is None and pks["funding"] == "tanpa-biaya"  # "Tidak ada"
    assert pks["units"] == []  # "-"
    assert pks["ends_on"] is None  # "-"
    assert pks["note"] == "-5 tahun lagi"  # empty: kept
    assert pks["parent_number"] == "180/1/KB/2021"  # no parent column: the link is kept


def test_a_new_signing_date_works_the_end_out_again(cli: Cli, tmp_path: Path) -> None:
    cli("add-mou", "--number", "180/9/KB/2021", "--title", "Jalan", "--partner", "PT Maju",
        "--signed", "2021-01-10", "--term", "2 tahun")
    cli("add-mou", "--number", "180/10/KB/2021", "--title", "Jembatan", "--partner", "PT Maju",
        "--signed", "2021-01-10", "--term", "2 tahun", "--end", "2024-06-30")
    file = write_csv(tmp_path / "signed.csv", [
        ["Nomor", "Jenis Dokumen", "Tentang", "Mitra", "Tanggal Penandatanganan"],
        ["180/9/KB/2021", "KB", "Jalan", "PT Maju", "2021-03-01"],
        ["180/10/KB/2021", "KB", "Jembatan", "PT Maju", "2021-03-01"],
    ])
    cli("import", str(file), "--on-conflict", "update")
    derived, typed = cli.json("show", "180/9/KB/2021"), cli.json("show", "180/10/KB/2021")
    assert isinstance(derived, dict) and isinstance(typed, dict)
    assert derived["ends_on"] == "2023-02-28"  # from the term, counted from the new date
    assert typed["ends_on"] == "2024-06-30"  # typed: as it was


def test_skip_and_fail_compare_only_what_the_file_says(cli: Cli, tmp_path: Path) -> None:
    rich_register(cli, tmp_path)
    file = write_csv(tmp_path / "same.csv", [
        ["Nomor", "Jenis Dokumen", "Tentang", "Mitra"],
        ["180/1/KB/2021", "KB", "Pengembangan SDM Aparatur", "Universitas Lampung"],
    ])
    for mode in ("skip", "fail"):
        summaries = import_json(cli, str(file), "--on-conflict", mode)
        assert agreement_counts(summaries)["unchanged"] == 1


@pytest.mark.parametrize("text", ["'=1+1", "'+62 812", "'-5 tahun", "'@mitra"])
def test_the_export_apostrophe_is_taken_off(cli: Cli, tmp_path: Path, text: str) -> None:
    file = write_csv(tmp_path / "quoted.csv", [
        ["Nomor", "Jenis Dokumen", "Tentang", "Mitra", "Keterangan"],
        # (a partner written "- PT Maju" is an item of a list: its dash is no name)
        ["180/11/KB/2021", "KB", text, text.replace("'-", "'+"), text],
        ["180/12/KB/2021", "KB", "'Tidak' dilindungi", "PT Maju", "'"],
    ])
    cli("import", str(file))
    shown, plain = cli.json("show", "180/11/KB/2021"), cli.json("show", "180/12/KB/2021")
    assert isinstance(shown, dict) and isinstance(plain, dict)
    assert shown["title"] == shown["note"] == text[1:]
    assert shown["partners"][0]["name"] == text[1:].replace("-", "+", 1)
    assert plain["title"] == "'Tidak' dilindungi" and plain["note"] == "'"  # left as typed
