"""add-mou, add-pks, add-adendum, update, extend, terminate: through the CLI."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from conftest import AddMou, Cli
from kerjasama_cli.cli import common


def show(cli: Cli, ref: str, *extra: str) -> dict[str, Any]:
    data = cli.json("show", ref, *extra)
    assert isinstance(data, dict)
    return data


def test_add_mou_prints_id_and_number_and_stores_every_field(cli: Cli) -> None:
    result = cli(
        "add-mou", "--number", "180/12/KB/2021", "--partner-number", "12/UN26/2021",
        "--title", "Pengembangan  SDM", "--scope", "Pendidikan dan penelitian",
        "--partner", "Universitas Lampung", "--partner", "Politeknik Negeri Lampung",
        "--kind", "Pihak Ketiga", "--bidang", "pendidikan", "--unit", "Dinas Pendidikan",
        "--unit", "dinas  PENDIDIKAN", "--unit", "Bappeda", "--signed", "Kamis, 19 Agustus 2021",
        "--term", "5 (lima) tahun", "--value", "Rp 1.250.000.000,00", "--funding", "APBD",
        "--dprd", "disetujui", "--dprd-number", "170/1/DPRD/2021", "--dprd-date", "1/8/2021",
        "--note", "catatan",
    )
    assert result.stdout.strip() == "Added Kesepakatan Bersama 180/12/KB/2021 (id 1)"
    assert "end date 2026-08-18 worked out from the term" in result.stderr
    data = show(cli, "180/12/KB/2021", "--as-of", "2022-01-01")
    assert data["id"] == 1
    assert data["doc_type"] == "kb"
    assert data["title"] == "Pengembangan SDM"
    assert data["kind"] == "ksdpk"
    assert data["bidang"] == "Pendidikan"
    assert data["signed_on"] == "2021-08-19"
    assert data["ends_on"] == "2026-08-18"
    assert data["ends_on_derived"] is True
    assert data["value"] == 1250000000
    assert data["funding"] == "apbd"
    assert data["dprd"] == "disetujui"
    assert data["dprd_date"] == "2021-08-01"
    assert data["status"] == "berlaku"
    assert [p["name"] for p in data["partners"]] == [
        "Universitas Lampung", "Politeknik Negeri Lampung"]
    assert [p["kind"] for p in data["partners"]] == ["perguruan-tinggi", "perguruan-tinggi"]
    assert [u["name"] for u in data["units"]] == ["Dinas Pendidikan", "Bappeda"]


def test_units_and_partners_are_one_whatever_the_spelling(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", unit="Dinas Kesehatan", partner="PT Maju")
    add_mou("2/KB", unit="dinas  kesehatan", partner="pt  MAJU")
    add_mou("3/KB", unit="DINAS KESEHATAN ", partner="PT Maju")
    rows = cli.json("list", "--unit", "Dinas Kesehatan")
    assert isinstance(rows, list) and len(rows) == 3
    assert {row["units"][0]["name"] for row in rows} == {"Dinas Kesehatan"}
    assert {row["partners"][0]["name"] for row in rows} == {"PT Maju"}


def test_add_pks_links_its_kb_and_inherits(cli: Cli, add_mou: AddMou) -> None:
    add_mou("180/1/KB/2021", kind="ksdpk", bidang="Kesehatan", unit="Dinas Kesehatan")
    result = cli("add-pks", "--mou", "180/1/kb/2021", "--number", "180/2/PKS/2021",
                 "--title", "Layanan", "--signed", "1/9/2021", "--end", "31/12/2022", "--json")
    assert '"created": true' in result.stdout
    pks = show(cli, "180/2/PKS/2021")
    assert pks["parent_number"] == "180/1/KB/2021"
    assert pks["kind"] == "ksdpk"
    assert pks["bidang"] == "Kesehatan"
    assert [p["name"] for p in pks["partners"]] == ["Universitas Lampung"]
    assert [u["name"] for u in pks["units"]] == ["Dinas Kesehatan"]


def test_pks_cannot_hang_under_a_pks(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB")
    cli("add-pks", "--mou", "1/KB", "--number", "1/PKS", "--title", "t", "--signed", "2021-9-1")
    result = cli("add-pks", "--mou", "1/PKS", "--number", "2/PKS", "--title", "t", ok=False)
    assert result.exit_code == 2
    assert "--mou: '1/PKS' is a Perjanjian Kerja Sama" in result.stderr


def test_add_adendum_requires_its_document(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB")
    missing = cli("add-adendum", "--number", "1/ADD", "--title", "t", ok=False)
    assert missing.exit_code == 2
    assert "--to is required" in missing.stderr
    cli("add-adendum", "--to", "1/KB", "--number", "1/ADD", "--title", "Perubahan",
        "--signed", "2022-01-01")
    adendum = show(cli, "1/ADD")
    assert adendum["parent_number"] == "1/KB"
    # it runs as long as the KB it amends (signed 2021-08-19 for 5 years)
    assert adendum["ends_on"] == "2026-08-18"
    assert adendum["ends_on_inherited"] is True
    assert "(mengikuti dokumen induk)" in cli("show", "1/ADD").stdout
    assert show(cli, "1/ADD", "--as-of", "2026-08-19")["status"] == "berakhir"


def test_nota_kesepakatan_through_add_mou(cli: Cli) -> None:
    cli("add-mou", "--doc-type", "Nota Kesepakatan", "--number", "1/NK", "--title", "Sinergi",
        "--partner", "Kementerian Dalam Negeri", "--kind", "sinergi")
    assert show(cli, "1/NK")["doc_type"] == "nota-kesepakatan"
    refused = cli("add-mou", "--doc-type", "pks", "--number", "2/NK", "--title", "t",
                  "--partner", "p", ok=False)
    assert "--doc-type: 'pks' is not a framework document" in refused.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--signed", "31 Juni 2022", "--signed: '31 Juni 2022' is not a date"),
        ("--value", "Rp 1,2,3 juta", "--value: 'Rp 1,2,3 juta' is not an amount of money"),
        ("--bidang", "Kesehatn", "--bidang: 'Kesehatn' is not a known bidang urusan"),
        ("--kind", "lainnya", "--kind: 'lainnya' is not a known kind of cooperation"),
        ("--funding", "hibah", "--funding: 'hibah' is not a known funding source"),
        ("--partner-kind", "alien", "--partner-kind: 'alien' is not a known partner kind"),
        ("--end", "2020-01-01", "--end: '2020-01-01' is before the signing date 2021-08-19"),
        ("--ksdd-category", "wajib", "--ksdd-category: 'wajib' applies to KSDD only"),
    ],
)
def test_bad_values_name_the_option_and_write_nothing(
    cli: Cli, add_mou: AddMou, option: str, value: str, message: str
) -> None:
    args = ["add-mou", "--number", "9/KB", "--title", "t", "--partner", "p",
            "--signed", "2021-08-19", "--kind", "ksdpk", option, value]
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert cli.json("list") == []


def test_missing_required_values_are_an_error_in_a_script(cli: Cli) -> None:
    result = cli("add-mou", "--title", "t", "--partner", "p", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --number is required"


def test_missing_required_values_are_asked_for_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    result = cli("add-mou", "--signed", "2021-01-01",
                 input="180/7/KB/2021\nKerja sama pariwisata\nPemerintah Kota Metro\n")
    assert "Added Kesepakatan Bersama 180/7/KB/2021 (id 1)" in result.stdout
    data = show(cli, "180/7/KB/2021")
    assert data["title"] == "Kerja sama pariwisata"
    assert data["partners"][0] == {"name": "Pemerintah Kota Metro",
                                   "kind": "pemerintah-kabupaten-kota"}


def test_duplicate_number_is_refused_ignoring_case(cli: Cli, add_mou: AddMou) -> None:
    add_mou("180/1/KB/2021")
    result = cli("add-mou", "--number", "180/1/kb/2021 ", "--title", "t", "--partner", "p",
                 ok=False)
    assert result.exit_code == 4
    assert "already in the register (id 1)" in result.stderr


def test_update_changes_only_given_fields_and_keeps_history(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", value="1.000.000", note="awal")
    result = cli("update", "1/KB", "--value", "Rp 2.000.000", "--note", "-", "--title",
                 "Judul baru")
    assert "value: 1000000 -> 2000000" in result.stdout
    assert "note: awal -> -" in result.stdout
    data = show(cli, "1")
    assert data["value"] == 2000000
    assert data["note"] is None
    assert data["title"] == "Judul baru"
    assert data["version"] == 2
    again = cli("update", "1", "--title", "Judul baru")
    assert "Nothing changed" in again.stdout
    history = cli.json("history", "1/KB")
    assert isinstance(history, dict)
    fields = [(h["field"], h["old"], h["new"], h["command"]) for h in history["history"]]
    assert fields[0][0] == "dibuat" and fields[0][3] == "add-mou"
    assert ("value", "1000000", "2000000", "update") in fields
    assert ("note", "awal", None, "update") in fields
    assert all(h["user"] for h in history["history"])


def test_update_term_rederives_a_derived_end_but_not_a_typed_one(
    cli: Cli, add_mou: AddMou
) -> None:
    add_mou("1/KB", term="5 tahun")
    cli("update", "1/KB", "--term", "2 tahun")
    assert show(cli, "1/KB")["ends_on"] == "2023-08-18"
    cli("update", "1/KB", "--end", "2030-01-01")
    cli("update", "1/KB", "--term", "3 tahun")
    assert show(cli, "1/KB")["ends_on"] == "2030-01-01"


def test_update_replaces_partners_and_units(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", unit="Dinas A")
    cli("update", "1/KB", "--partner", "Mitra Baru", "--partner-kind", "bumd",
        "--unit", "Dinas B", "--unit", "Dinas C")
    data = show(cli, "1/KB")
    assert data["partners"] == [{"name": "Mitra Baru", "kind": "bumd"}]
    assert [u["name"] for u in data["units"]] == ["Dinas B", "Dinas C"]
    history = cli.json("history", "1/KB")
    assert isinstance(history, dict)
    assert {"field": "units", "old": "Dinas A", "new": "Dinas B; Dinas C"}.items() <= {
        k: v for h in history["history"] if h["field"] == "units" for k, v in h.items()
    }.items()


def test_update_unknown_ref_is_not_found(cli: Cli) -> None:
    result = cli("update", "999/KB", "--title", "x", ok=False)
    assert result.exit_code == 3
    assert "no agreement with id or number '999/KB'" in result.stderr


def test_ambiguous_ref_asks_for_an_id(cli: Cli, add_mou: AddMou) -> None:
    add_mou("100")
    add_mou("1")  # id 2 is numbered "1"; id 1 is numbered "100"
    result = cli("show", "1", ok=False)
    assert result.exit_code == 4
    assert "names more than one agreement" in result.stderr
    assert show(cli, "id:1")["number"] == "100"


def test_extend_in_place_keeps_the_original_end(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", signed="2019-01-01", term="2 tahun")
    result = cli("extend", "1/KB", "--end", "31 Desember 2023")
    assert "Extended" in result.stdout
    data = show(cli, "1/KB", "--as-of", "2021-06-01")
    assert data["ends_on"] == "2023-12-31"
    assert data["original_ends_on"] == "2020-12-31"
    assert data["status"] == "diperpanjang"
    refused = cli("extend", "1/KB", "--end", "2022-01-01", ok=False)
    assert "is not after the current end 2023-12-31" in refused.stderr


def test_extend_with_a_new_document_renews_the_old(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", signed="2019-01-01", term="2 tahun", unit="Dinas A")
    result = cli("extend", "1/KB", "--end", "2022-12-31", "--number", "2/KB", "--json")
    assert '"number": "2/KB"' in result.stdout
    new = show(cli, "2/KB", "--as-of", "2021-06-01")
    assert new["starts_on"] == "2021-01-01"
    assert new["renews_number"] == "1/KB"
    assert [u["name"] for u in new["units"]] == ["Dinas A"]
    old = show(cli, "1/KB", "--as-of", "2021-06-01")
    assert old["status"] == "diperpanjang"
    assert old["renewed_by"] == ["2/KB"]


def test_terminate(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB")
    cli("terminate", "1/KB", "--date", "1 Maret 2022", "--reason", "Kesepakatan para pihak")
    assert show(cli, "1/KB", "--as-of", "2022-02-28")["status"] == "berlaku"
    data = show(cli, "1/KB", "--as-of", "2022-03-01")
    assert data["status"] == "diakhiri"
    assert data["termination_reason"] == "Kesepakatan para pihak"
    again = cli("terminate", "1/KB", "--date", "2022-04-01", "--reason", "x", ok=False)
    assert again.exit_code == 4
    before = cli("add-mou", "--number", "2/KB", "--title", "t", "--partner", "p",
                 "--signed", "2021-01-01")
    assert before.exit_code == 0
    early = cli("terminate", "2/KB", "--date", "2020-01-01", "--reason", "x", ok=False)
    assert "--date: '2020-01-01' is before the agreement began" in early.stderr
    extend = cli("extend", "1/KB", "--end", "2030-01-01", ok=False)
    assert "cannot be extended" in extend.stderr


def test_document_file_is_hashed(cli: Cli, add_mou: AddMou, tmp_path: Path) -> None:
    document = tmp_path / "kb.pdf"
    document.write_bytes(b"%PDF-1.4 signed")
    add_mou("1/KB", file=str(document))
    data = show(cli, "1/KB")
    assert data["file_path"] == str(document.resolve())
    assert data["file_sha256"] == hashlib.sha256(b"%PDF-1.4 signed").hexdigest()
    missing = cli("add-mou", "--number", "2/KB", "--title", "t", "--partner", "p",
                  "--file", str(tmp_path / "nope.pdf"), ok=False)
    assert "is not a file that exists" in missing.stderr
