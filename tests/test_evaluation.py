"""kerjasama evaluate and finding: the board, recording, automatic findings, the numbers.

The fixture below is small enough to check by hand; the expected numbers in
test_numbers_by_hand are worked out in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Cli, snapshot
from kerjasama_cli.cli import common


@pytest.fixture
def register(cli: Cli) -> Cli:
    """Six agreements around 2021.

    A  KB  2020-01-01 .. 2024-12-31  ksdpk  Dinas Pendidikan  Universitas X
    B  PKS of A  2021-02-01 .. 2021-12-31
    C  KB  2021-03-01 .. 2023-02-28  ksdd  Dinas PUPR  Pemerintah Kabupaten Y
    D  PKS (no KB)  2019-01-01 .. 2020-12-31  not in force in 2021
    E  PKS of C  2021-04-01 .. 2022-06-30  Dinas PUPR + Dinas Pendidikan
    F  KB  2021-05-01, no end, terminated 2021-09-01  Dinas Pariwisata  PT Z (swasta)
    """
    snapshot(cli, "evaluation-fixture", lambda: _build(cli))
    return cli


def _build(cli: Cli) -> None:
    cli("add-mou", "--number", "A/KB", "--title", "Pendidikan", "--partner", "Universitas X",
        "--kind", "ksdpk", "--bidang", "Pendidikan", "--unit", "Dinas Pendidikan",
        "--signed", "2020-01-01", "--term", "5 tahun")
    cli("add-pks", "--mou", "A/KB", "--number", "B/PKS", "--title", "Beasiswa",
        "--signed", "2021-02-01", "--end", "2021-12-31")
    cli("add-mou", "--number", "C/KB", "--title", "Jalan", "--partner",
        "Pemerintah Kabupaten Y", "--kind", "ksdd", "--bidang", "PUPR", "--unit", "Dinas PUPR",
        "--signed", "2021-03-01", "--term", "2 tahun")
    cli("add-pks", "--number", "D/PKS", "--title", "Lama", "--partner", "Universitas X",
        "--kind", "ksdpk", "--unit", "Dinas Pendidikan", "--signed", "2019-01-01",
        "--end", "2020-12-31")
    cli("add-pks", "--mou", "C/KB", "--number", "E/PKS", "--title", "Jembatan",
        "--unit", "Dinas PUPR", "--unit", "Dinas Pendidikan", "--signed", "2021-04-01",
        "--end", "2022-06-30")
    cli("add-mou", "--number", "F/KB", "--title", "Wisata", "--partner", "PT Z",
        "--partner-kind", "swasta", "--kind", "ksdpk", "--unit", "Dinas Pariwisata",
        "--signed", "2021-05-01")
    cli("terminate", "F/KB", "--date", "2021-09-01", "--reason", "dibatalkan")
    # 2021's evaluations (F is left unevaluated)
    cli("evaluate", "2021", "A/KB", "--level", "terlaksana", "--recommendation", "dilanjutkan")
    cli("evaluate", "2021", "B/PKS", "--level", "sebagian", "--progress", "40",
        "--recommendation", "diperpanjang", "--obstacles", "Dana terlambat")
    cli("evaluate", "2021", "C/KB", "--level", "belum")
    cli("evaluate", "2021", "E/PKS", "--level", "terlaksana sebagian")
    # 2020's, for the change from the previous year
    cli("evaluate", "2020", "A/KB", "--level", "sebagian", "--progress", "30")
    cli("evaluate", "2020", "D/PKS", "--level", "tidak")
    # findings: one on C overdue at the end of 2021, one on A closed in 2021,
    # one raised in 2020 on D and still open
    cli("finding", "add", "C/KB", "--year", "2021", "--category", "kendala", "--text",
        "Lahan belum dibebaskan", "--owner", "Dinas PUPR", "--due", "2021-10-31")
    cli("finding", "add", "A/KB", "--year", "2021", "--category", "administrasi",
        "--text", "Laporan terlambat", "--owner", "Dinas Pendidikan")
    cli("finding", "update", "2", "--status", "selesai", "--note", "Laporan masuk",
        "--on", "2021-06-01")
    cli("finding", "add", "D/PKS", "--year", "2020", "--category", "permasalahan",
        "--text", "Mitra tidak aktif")


def board(cli: Cli, year: int = 2021, *args: str) -> dict[str, Any]:
    data = cli.json("evaluate", str(year), *args)
    assert isinstance(data, dict)
    return data


def test_numbers_by_hand(register: Cli) -> None:
    numbers = board(register)["numbers"]
    # in force in 2021: A, B, C, E, F (D ended 2020-12-31)
    assert numbers["in_force"] == 5
    assert numbers["by_doc_type"] == {"kb": 3, "pks": 2}
    assert numbers["by_kind"] == {"ksdpk": 3, "ksdd": 2}  # B and E take their KB's kind
    assert numbers["by_bidang"] == {"Pendidikan": 2, "Pekerjaan Umum dan Penataan Ruang": 2,
                                    "-": 1}
    assert numbers["by_unit"] == {"Dinas Pendidikan": 3, "Dinas PUPR": 2,
                                  "Dinas Pariwisata": 1}
    assert numbers["by_partner_kind"] == {"pemerintah-kabupaten-kota": 2,
                                          "perguruan-tinggi": 2, "badan-usaha-swasta": 1}
    # evaluated: A, B, C, E = 4 of 5
    assert numbers["evaluated"] == 4
    assert numbers["coverage_pct"] == 80.0
    assert numbers["by_level"] == {"terlaksana": 1, "sebagian": 2, "belum": 1, "tidak": 0}
    assert numbers["by_level_pct"] == {"terlaksana": 25.0, "sebagian": 50.0, "belum": 25.0,
                                       "tidak": 0.0}
    # A 100, B 40 (its progress), C 0, E 50 (sebagian without progress): 190 / 4
    assert numbers["implementation_index"] == 47.5
    # Pendidikan: A 100, B 40, E 50 -> 63.3; PUPR: C 0, E 50 -> 25; Pariwisata: none
    assert numbers["index_by_unit"] == {"Dinas Pariwisata": None, "Dinas PUPR": 25.0,
                                        "Dinas Pendidikan": 63.3}
    assert numbers["coverage_by_unit"]["Dinas Pariwisata"] == {
        "in_force": 1, "evaluated": 0, "coverage_pct": 0.0}
    assert numbers["kb_without_pks"] == 1  # F
    assert numbers["ending_next_year"] == 1  # E, 2022-06-30
    assert numbers["findings_raised"] == 2  # C's and A's
    assert numbers["findings_closed"] == 1  # A's, 2021-06-01
    assert numbers["findings_open"] == 2  # C's, and D's carried from 2020
    assert numbers["findings_overdue"] == 1  # C's, due 2021-10-31

    previous = numbers["previous"]  # 2020: A (sebagian 30) and D (tidak) in force
    assert previous["in_force"] == 2 and previous["evaluated"] == 2
    assert previous["coverage_pct"] == 100.0
    assert previous["implementation_index"] == 15.0
    assert previous["kb_without_pks"] == 1  # A had no PKS before B in 2021
    assert previous["ending_next_year"] == 1  # B ends 2021-12-31
    assert previous["findings_raised"] == 1 and previous["findings_open"] == 1
    change = numbers["change"]
    assert change["in_force"] == 3
    assert change["evaluated"] == 2
    assert change["coverage_pct"] == -20.0
    assert change["implementation_index"] == 32.5
    assert change["kb_without_pks"] == 0
    assert change["findings_raised"] == 1
    assert change["level_tidak"] == -1 and change["level_sebagian"] == 1


def test_board_groups_by_opd(register: Cli) -> None:
    data = board(register)
    groups = {g["unit"]: g for g in data["groups"]}
    assert list(groups) == ["Dinas Pariwisata", "Dinas Pendidikan", "Dinas PUPR"]
    pendidikan = groups["Dinas Pendidikan"]
    assert [a["number"] for a in pendidikan["agreements"]] == ["A/KB", "B/PKS", "E/PKS"]
    assert pendidikan["evaluated"] == 3 and pendidikan["coverage_pct"] == 100.0
    levels = {a["number"]: (a["evaluation"] or {}).get("level")
              for g in data["groups"] for a in g["agreements"]}
    assert levels == {"F/KB": None, "C/KB": "belum", "E/PKS": "sebagian", "A/KB": "terlaksana",
                      "B/PKS": "sebagian"}
    assert [f["number"] for f in data["open_findings"]] == ["C/KB", "D/PKS"]
    only = board(register, 2021, "--unit", "pariwisata")
    assert [g["unit"] for g in only["groups"]] == ["Dinas Pariwisata"]


def test_board_table(register: Cli) -> None:
    out = register("evaluate", "2021").stdout
    assert "Dinas Pariwisata: 0 dari 1 dievaluasi" in out
    assert "belum dievaluasi" in out
    assert "Indeks pelaksanaan: 47.5" in out
    assert "Temuan terbuka (2)" in out


def test_automatic_findings_and_recording_them_once(register: Cli) -> None:
    automatic = board(register)["automatic_findings"]
    found = {(a["number"], a["rule"]) for a in automatic}
    assert found == {("F/KB", "kb-without-pks"), ("B/PKS", "ended-not-extended"),
                     ("F/KB", "not-evaluated")}
    assert not any(a["recorded"] for a in automatic)
    result = register("evaluate", "2021", "--record-auto")
    assert "Recorded 3 automatic findings" in result.stderr
    again = register("evaluate", "2021", "--record-auto")
    assert "Recorded 0 automatic findings" in again.stderr
    assert all(a["recorded"] for a in board(register)["automatic_findings"])
    stored = register.json("finding", "list", "--year", "2021")
    assert isinstance(stored, list)
    ended = next(f for f in stored if f["rule"] == "ended-not-extended")
    assert ended["text"] == ("Berakhir 31 Desember 2021 tanpa perpanjangan, padahal "
                             "direkomendasikan Diperpanjang")
    assert ended["owner"] == "Dinas Pendidikan" and ended["status"] == "terbuka"


def test_pks_outliving_its_kb_and_missing_file_are_found(cli: Cli, tmp_path: Any) -> None:
    document = tmp_path / "kb.pdf"
    document.write_bytes(b"x")
    cli("add-mou", "--number", "K", "--title", "t", "--partner", "p", "--signed", "2021-01-01",
        "--end", "2021-06-30", "--file", str(document))
    cli("add-pks", "--mou", "K", "--number", "P", "--title", "t", "--signed", "2021-02-01",
        "--end", "2022-12-31")
    document.unlink()
    found = {(a["number"], a["rule"]) for a in board(cli)["automatic_findings"]}
    assert ("P", "pks-outlives-kb") in found
    assert ("K", "document-missing") in found


def test_recording_updates_with_history(register: Cli) -> None:
    result = register("evaluate", "2021", "C/KB", "--level", "sebagian", "--progress", "20%",
                      "--obstacles", "Lahan", "--score", "3", "--goal-fit", "4")
    assert "Updated the 2021 evaluation of C/KB" in result.stdout
    assert "evaluasi 2021: level: belum -> sebagian" in result.stdout
    unchanged = register("evaluate", "2021", "C/KB", "--level", "sebagian")
    assert "Unchanged" in unchanged.stdout
    history = register.json("history", "C/KB")
    assert isinstance(history, dict)
    fields = [(h["field"], h["old"], h["new"]) for h in history["history"]]
    assert ("evaluasi 2021: level", "belum", "sebagian") in fields
    assert ("evaluasi 2021: progress", None, "20") in fields
    evaluation = next(a for g in board(register)["groups"] for a in g["agreements"]
                      if a["number"] == "C/KB")["evaluation"]
    assert evaluation["scores"]["goal_fit"] == 4 and evaluation["score"] == 3
    # No --evaluator and no `config set evaluator`: left empty, never the login name.
    assert evaluation["evaluator"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["D/PKS", "--level", "terlaksana"],
         "D/PKS was not in force during 2021: its term is 2019-01-01 to 2020-12-31"),
        (["F/KB", "--level", "hebat"], "--level: 'hebat' is not a known implementation level"),
        (["F/KB", "--level", "sebagian", "--progress", "150"],
         "--progress: '150' must be between 0 and 100"),
        (["F/KB", "--level", "belum", "--score", "9"], "--score: '9' must be between 1 and 5"),
        (["F/KB", "--progress", "10"], "--level is required"),
        (["F/KB", "--level", "belum", "--recommendation", "terserah"],
         "is not a known recommendation"),
    ],
)
def test_recording_refuses_bad_input(register: Cli, args: list[str], message: str) -> None:
    result = register("evaluate", "2021", *args, ok=False)
    assert result.exit_code in (2, 4)
    assert message in result.stderr


def test_in_force_rule_at_the_year_edges(cli: Cli) -> None:
    cli("add-mou", "--number", "ends-new-year", "--title", "t", "--partner", "p",
        "--signed", "2019-01-01", "--end", "2021-01-01")
    cli("add-mou", "--number", "starts-new-year-eve", "--title", "t", "--partner", "p",
        "--signed", "2021-12-31")
    cli("add-mou", "--number", "no-dates", "--title", "t", "--partner", "p")
    cli("add-mou", "--number", "start-only", "--title", "t", "--partner", "p",
        "--start", "2021-07-01")
    data = board(cli)
    numbers = {a["number"] for g in data["groups"] for a in g["agreements"]}
    assert numbers == {"ends-new-year", "starts-new-year-eve", "start-only"}
    assert board(cli, 2022)["numbers"]["in_force"] == 2  # no end: still in force
    assert board(cli, 2018)["numbers"]["in_force"] == 0


def test_findings_carry_into_the_next_year_until_closed(register: Cli) -> None:
    assert [f["number"] for f in board(register, 2022)["open_findings"]] == ["C/KB", "D/PKS"]
    register("finding", "update", "1", "--status", "dalam-proses", "--note", "Sedang diukur")
    register("finding", "update", "1", "--status", "selesai", "--on", "2022-05-02")
    assert [f["number"] for f in board(register, 2022)["open_findings"]] == ["D/PKS"]
    assert [f["number"] for f in board(register, 2021)["open_findings"]] == ["C/KB", "D/PKS"]
    numbers_2022 = board(register, 2022)["numbers"]
    assert numbers_2022["findings_closed"] == 1 and numbers_2022["findings_open"] == 1
    log = register.json("finding", "list", "--agreement", "C/KB")
    assert isinstance(log, list)
    assert [n["status"] for n in log[0]["notes"]] == ["terbuka", "dalam-proses", "selesai"]
    assert log[0]["last_note"] == "Sedang diukur"
    assert log[0]["closed_on"] == "2022-05-02"


def test_finding_list_filters(register: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def numbers(*args: str) -> list[str]:
        rows = register.json("finding", "list", *args)
        assert isinstance(rows, list)
        return [row["number"] for row in rows]

    assert numbers() == ["C/KB", "A/KB", "D/PKS"]
    assert numbers("--open") == ["C/KB", "D/PKS"]
    assert numbers("--year", "2020") == ["D/PKS"]
    assert numbers("--owner", "pupr") == ["C/KB"]
    assert numbers("--overdue") == ["C/KB"]
    monkeypatch.setenv("COLUMNS", "160")
    table = register("finding", "list").stdout
    assert "Lahan belum dibebaskan (kendala, 2021)" in table and "3 findings" in table
    assert "Laporan masuk" in table  # the last note, on a wide terminal


def test_finding_errors(register: Cli) -> None:
    assert register("finding", "update", "99", "--status", "selesai", ok=False).exit_code == 3
    nothing = register("finding", "update", "1", ok=False)
    assert nothing.exit_code == 2 and "was given nothing to record" in nothing.stderr
    bad = register("finding", "add", "A/KB", "--year", "2021", "--category", "aneh",
                   "--text", "x", ok=False)
    assert "--category: 'aneh' is not a known finding category" in bad.stderr


def test_interactive_walk_saves_each_answer(register: Cli,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    register("add-mou", "--number", "G/KB", "--title", "Pasar", "--partner", "p",
             "--unit", "Dinas Pariwisata", "--signed", "2021-02-01")
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    # F: skip it ('-'); G: sebagian 70, answers, then the evaluator
    answers = "\n".join([
        "-",
        "sebagian", "70", "Sudah berjalan", "Anggaran", "lanjut", "Pasar ramai", "Budi",
    ]) + "\n"
    result = register("evaluate", "2021", "--interactive", "--unit", "Pariwisata",
                      input=answers)
    assert "2 agreements wait" in result.stdout
    assert "1 recorded" in result.stdout
    data = board(register, 2021, "--unit", "Pariwisata")
    evaluations = {a["number"]: a["evaluation"] for a in data["groups"][0]["agreements"]}
    assert evaluations["F/KB"] is None
    assert evaluations["G/KB"]["level"] == "sebagian"
    assert evaluations["G/KB"]["progress"] == 70
    assert evaluations["G/KB"]["recommendation"] == "dilanjutkan"
    assert evaluations["G/KB"]["evaluator"] == "Budi"
    # resumable: the next walk starts from what is left, and 'q' stops it
    again = register("evaluate", "2021", "--interactive", "--unit", "Pariwisata", input="q\n")
    assert "1 agreements wait" in again.stdout and "0 recorded" in again.stdout


def test_interactive_needs_a_terminal(register: Cli) -> None:
    result = register("evaluate", "2021", "--interactive", ok=False)
    assert result.exit_code == 2 and "needs a terminal" in result.stderr
