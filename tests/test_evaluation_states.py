"""Issue 15: the states of an evaluation and the TKKSD's checks.

An OPD's returned form is submitted (diajukan); the TKKSD verifies it
(diverifikasi, by whom, when) or returns it to the OPD with a note
(dikembalikan); what the office records itself is verified at once; every
change of state is in the agreement's history.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import Cli, snapshot

EXAMPLES = Path(__file__).parent.parent / "examples"
RETURNED_REF = "180/22/PKS/I.01/2021"  # Dinas Pendidikan dan Kebudayaan's, evaluated


@pytest.fixture
def sample(sqlite_cli: Cli) -> Cli:
    snapshot(
        sqlite_cli,
        "states-sample-2021",
        lambda: sqlite_cli(
            "import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv")
        ),
    )
    return sqlite_cli


def _row(cli: Cli, ref: str) -> dict[str, Any]:
    shown = cli.json("show", ref)
    assert isinstance(shown, dict)
    with sqlite3.connect(cli.db) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT state, verified_by, verified_at, return_note, progress, source_file "
            "FROM evaluation WHERE agreement_id = ? AND year = 2021",
            (shown["id"],),
        ).fetchone()
    return dict(row) if row else {}


def _history(cli: Cli, ref: str) -> list[tuple[str, str | None, str | None]]:
    history = cli.json("history", ref)
    assert isinstance(history, dict)
    return [(e["field"], e["old"], e["new"]) for e in history["history"]]


def _submit_pariwisata_form(cli: Cli, tmp_path: Path) -> tuple[str, Path]:
    """Dinas Pariwisata's form sent, one empty row answered, imported: (its number, file)."""
    [line] = cli(
        "evaluate", "2021", "--forms", "-o", str(tmp_path / "out"), "--unit", "Pariwisata"
    ).stdout.split()
    workbook = load_workbook(line)
    sheet = workbook["Evaluasi 2021"]
    at = {cell.value: cell.column_letter for cell in sheet[1]}
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet[f"{at['Tingkat Pelaksanaan']}{r}"].value
        is None
    )
    sheet[f"{at['Tingkat Pelaksanaan']}{row}"] = "Terlaksana Sebagian"
    sheet[f"{at['Progres (%)']}{row}"] = 40
    number = str(sheet[f"{at['Nomor']}{row}"].value)
    filled = tmp_path / "kembali-pariwisata.xlsx"
    workbook.save(filled)
    assert "1 created" in cli("import", str(filled)).stdout
    return number, filled


def test_submitted_verified_by_the_tkksd_with_history(sample: Cli, tmp_path: Path) -> None:
    number, _ = _submit_pariwisata_form(sample, tmp_path)
    assert _row(sample, number)["state"] == "diajukan"
    result = sample("evaluate", "2021", "--verify", "--unit", "pariwisata", "--by", "TKKSD")
    assert f"Verified the 2021 evaluation of {number}" in result.stdout
    row = _row(sample, number)
    assert (row["state"], row["verified_by"]) == ("diverifikasi", "TKKSD")
    assert row["verified_at"] is not None
    assert ("evaluasi 2021: state", "diajukan", "diverifikasi") in _history(sample, number)
    # Nothing left to verify for that OPD: said so, not a silent success.
    again = sample("evaluate", "2021", "--verify", "--unit", "pariwisata", ok=False)
    assert again.exit_code == 4 and "no submitted 2021 evaluation" in again.stderr
    # Verifying a verified one by REF changes nothing and says so.
    same = sample("evaluate", "2021", "--verify", number)
    assert "Already diverifikasi" in same.stdout


def test_returned_to_the_opd_then_corrected_by_its_form(sample: Cli, tmp_path: Path) -> None:
    number, filled = _submit_pariwisata_form(sample, tmp_path)
    sample("evaluate", "2021", number, "--return-to-opd", "--note", "Progres tidak sesuai")
    row = _row(sample, number)
    assert (row["state"], row["return_note"]) == ("dikembalikan", "Progres tidak sesuai")
    board = sample.json("evaluate", "2021", "--unit", "Pariwisata")
    shown = [a["evaluation"] for g in board["groups"] for a in g["agreements"]  # type: ignore[index]
             if a["number"] == number]
    assert (shown[0]["state"], shown[0]["return_note"]) == ("dikembalikan", "Progres tidak sesuai")
    # Sent again, the form says why, beside the answer (locked: it is the TKKSD's).
    [again] = sample(
        "evaluate", "2021", "--forms", "-o", str(tmp_path / "lagi"), "--unit", "Pariwisata"
    ).stdout.split()
    form = load_workbook(again)["Evaluasi 2021"]
    at = {cell.value: cell.column_letter for cell in form[1]}
    notes = {
        form[f"{at['Nomor']}{r}"].value: form[f"{at['Catatan Pemeriksa']}{r}"]
        for r in range(2, form.max_row + 1)
    }
    assert notes[number].value == "Progres tidak sesuai" and notes[number].protection.locked
    assert all(cell.value is None for key, cell in notes.items() if key != number)
    # The OPD corrects its form and sends it again: its answer replaces the returned one.
    workbook = load_workbook(filled)
    sheet = workbook["Evaluasi 2021"]
    at = {cell.value: cell.column_letter for cell in sheet[1]}
    for r in range(2, sheet.max_row + 1):
        if sheet[f"{at['Nomor']}{r}"].value == number:
            sheet[f"{at['Progres (%)']}{r}"] = 55
    workbook.save(tmp_path / "kembali-2.xlsx")
    assert "1 updated" in sample("import", str(tmp_path / "kembali-2.xlsx")).stdout
    row = _row(sample, number)
    assert (row["state"], row["progress"], row["source_file"]) == (
        "diajukan", 55, "kembali-2.xlsx")


def test_what_the_office_types_is_verified_unless_submitted(sample: Cli) -> None:
    """--submitted records an OPD's answer; the office's own change verifies it."""
    ref = "180/04/KB/I.01/2019"
    sample("evaluate", "2021", ref, "--return-to-opd", "--note", "Lengkapi tindak lanjut")
    sample("evaluate", "2021", ref, "--follow-up", "Jembatan selesai", "--submitted")
    assert _row(sample, ref)["state"] == "diajukan"
    sample("evaluate", "2021", ref, "--progress", "100")
    row = _row(sample, ref)
    assert (row["state"], row["return_note"]) == ("diverifikasi", None)
    assert row["verified_at"] is not None


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--verify"], 2, "REF"),
        (["--verify", RETURNED_REF, "--level", "terlaksana"], 2, "changes no answer"),
        ([RETURNED_REF, "--return-to-opd"], 2, "--note"),
        ([RETURNED_REF, "180/04/KB/I.01/2019", "--return-to-opd", "--note", "x"], 2, "one REF"),
        ([RETURNED_REF, "--return-to-opd", "--note", " "], 2, "empty"),
        (["--by", "TKKSD"], 2, "--verify"),
        ([RETURNED_REF, "180/04/KB/I.01/2019", "--level", "terlaksana"], 2, "one agreement"),
        (["--verify", "180/04/PKS/I.01/2021"], 3, "no 2021 evaluation"),
        (["--verify", "--unit", "Dinas Entah"], 3, "no OPD called"),
        (["--submitted"], 2, "REF"),
        (["--verify", "--unit", "Dinas"], 4, "OPDs: Dinas"),
        (["--verify", RETURNED_REF, "--return-to-opd", "--note", "x"], 2, "give one of them"),
        (["--verify", "--forms"], 2, "leave out --forms"),
        (["--forms", "--due", "31/01/2020"], 2, "is before 2021"),
    ],
)
def test_refusals(sample: Cli, args: list[str], code: int, says: str) -> None:
    result = sample("evaluate", "2021", *args, ok=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_the_board_and_due_show_the_cycle_per_opd(sample: Cli, tmp_path: Path) -> None:
    """Per OPD: form sent (date), deadline, answered, submitted, verified, overdue;
    the numbers count verified answers only, with the answered count beside them."""
    sample("evaluate", "2021", "--forms", "-o", str(tmp_path / "a"), "--unit", "Pariwisata",
           "--due", "31/01/2022")
    board = sample.json("evaluate", "2021", "--unit", "Pariwisata")
    assert isinstance(board, dict)
    [group] = board["groups"]
    assert (group["form_due_on"], group["in_force"], group["answered"], group["overdue"]) == (
        "2022-01-31", 2, 1, True)
    assert group["form_sent_on"] is not None
    late = sample.json("due")
    assert isinstance(late, dict)
    assert [(f["unit"], f["year"], f["answered"], f["in_force"]) for f in late["overdue_forms"]] \
        == [("Dinas Pariwisata", 2021, 1, 2)]
    assert "Formulir evaluasi lewat batas waktu (1)" in sample("due").stdout

    before = sample.json("evaluate", "2021")["numbers"]  # type: ignore[index]
    number, _ = _submit_pariwisata_form(sample, tmp_path)
    after = sample.json("evaluate", "2021")
    assert isinstance(after, dict)
    numbers = after["numbers"]
    assert numbers["evaluated"] == before["evaluated"]  # submitted: not counted yet
    assert numbers["implementation_index"] == before["implementation_index"]
    assert numbers["answered"] == before["answered"] + 1
    [group] = [g for g in after["groups"] if g["unit"] == "Dinas Pariwisata"]
    assert (group["answered"], group["submitted"], group["overdue"]) == (2, 1, False)
    assert "1 jawaban OPD belum diverifikasi" in sample("evaluate", "2021").stdout
    assert sample.json("due")["overdue_forms"] == []  # type: ignore[index]
    sample("evaluate", "2021", "--verify", number)
    verified = sample.json("evaluate", "2021")["numbers"]  # type: ignore[index]
    assert verified["evaluated"] == before["evaluated"] + 1


def test_the_workbook_has_the_forms_sheet_once_forms_were_sent(
    sample: Cli, tmp_path: Path
) -> None:
    sample("export", "2021", "--xlsx", "-o", str(tmp_path / "before.xlsx"))
    assert "Formulir OPD" not in load_workbook(tmp_path / "before.xlsx").sheetnames
    sample("evaluate", "2021", "--forms", "-o", str(tmp_path / "a"), "--unit", "Pariwisata",
           "--due", "31/01/2022")
    _submit_pariwisata_form(sample, tmp_path)
    sample("export", "2021", "--xlsx", "-o", str(tmp_path / "x.xlsx"), "--signed-on",
           "2022-02-10")
    workbook = load_workbook(tmp_path / "x.xlsx")
    assert workbook.sheetnames.index("Formulir OPD") == workbook.sheetnames.index(
        "Evaluasi 2021") + 1
    sheet = workbook["Formulir OPD"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == ["No", "Perangkat Daerah", "Formulir Dikirim", "Batas Waktu", "Berlaku",
                       "Dijawab", "Diajukan", "Dikembalikan", "Diverifikasi",
                       "Lewat Batas Waktu"]
    rows = {row[1].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    pariwisata = rows["Dinas Pariwisata"]
    assert pariwisata[3].date().isoformat() == "2022-01-31"
    assert pariwisata[4:10] == [2, 2, 1, 0, 1, None]  # answered in full: not overdue
    assert rows["Dinas Kesehatan"][2] is None  # no form sent to it
    exported = sample.json("evaluate", "2021")  # the board agrees
    assert isinstance(exported, dict)


def test_the_whole_cycle_with_two_opds(sample: Cli, tmp_path: Path) -> None:
    """Forms out for 2021; two OPDs fill theirs in and send them back; one answer is
    returned for correction and comes back corrected; the rest verified. The board,
    the workbook and the report agree on sent / answered / verified / overdue."""
    out = tmp_path / "formulir"
    sample("evaluate", "2021", "--forms", "-o", str(out), "--due", "31/01/2022")
    answered: dict[str, list[str]] = {}
    back = tmp_path / "kembali"
    back.mkdir()
    for path in sorted(out.iterdir()):
        workbook = load_workbook(path)
        sheet = workbook["Evaluasi 2021"]
        at = {cell.value: cell.column_letter for cell in sheet[1]}
        empty = [r for r in range(2, sheet.max_row + 1)
                 if sheet[f"{at['Tingkat Pelaksanaan']}{r}"].value is None]
        if not empty or len(answered) == 2:
            continue
        unit = workbook.custom_doc_props["kerjasama-unit"].value
        for r in empty:
            sheet[f"{at['Tingkat Pelaksanaan']}{r}"] = "Belum Terlaksana"
            sheet[f"{at['Kendala/Permasalahan']}{r}"] = "Menunggu anggaran"
        answered[unit] = [str(sheet[f"{at['Nomor']}{r}"].value) for r in empty]
        workbook.save(back / path.name)
    assert len(answered) == 2
    sample("import", str(back))
    first, second = sorted(answered)
    corrected = answered[first][0]
    sample("evaluate", "2021", corrected, "--return-to-opd", "--note", "Isi progresnya")
    path = back / next(p.name for p in back.iterdir() if "~" not in p.name
                       and load_workbook(p).custom_doc_props["kerjasama-unit"].value == first)
    workbook = load_workbook(path)
    sheet = workbook["Evaluasi 2021"]
    at = {cell.value: cell.column_letter for cell in sheet[1]}
    for r in range(2, sheet.max_row + 1):
        if sheet[f"{at['Nomor']}{r}"].value == corrected:
            sheet[f"{at['Tingkat Pelaksanaan']}{r}"] = "Terlaksana Sebagian"
            sheet[f"{at['Progres (%)']}{r}"] = 30
    workbook.save(path)
    sample("import", str(path))
    assert _row(sample, corrected)["state"] == "diajukan"
    for unit in (first, second):
        sample("evaluate", "2021", "--verify", "--unit", unit, "--by", "TKKSD")

    board = sample.json("evaluate", "2021")
    assert isinstance(board, dict)
    groups = {g["unit"]: g for g in board["groups"]}
    for unit in (first, second):
        g = groups[unit]
        assert g["answered"] == g["evaluated"] == g["in_force"], unit
        assert (g["submitted"], g["returned"], g["overdue"]) == (0, 0, False)
        assert g["form_due_on"] == "2022-01-31" and g["form_sent_on"]
    late = [u for u, g in groups.items() if g["overdue"]]
    assert late and first not in late and second not in late
    assert all(groups[u]["answered"] < groups[u]["in_force"] for u in late)
    assert board["numbers"]["evaluated"] == board["numbers"]["answered"]
    assert _row(sample, corrected)["progress"] == 30

    sample("export", "2021", "--xlsx", "--html", "-o", str(tmp_path / "laporan"))
    sheet = load_workbook(tmp_path / "laporan" / "evaluasi-kerja-sama-2021.xlsx")["Formulir OPD"]
    rows = {row[1].value: [c.value for c in row] for row in sheet.iter_rows(min_row=2)}
    for unit, g in groups.items():
        assert rows[unit][4:9] == [g["in_force"], g["answered"], g["submitted"], g["returned"],
                                   g["evaluated"]], unit
        assert (rows[unit][9] == "Ya") == g["overdue"], unit
    html = (tmp_path / "laporan" / "evaluasi-kerja-sama-2021.html").read_text(encoding="utf-8")
    assert "Formulir evaluasi perangkat daerah" in html and "31 Januari 2022" in html


def test_a_shared_agreement_answered_by_two_opds_says_whose_answer_it_replaces(
    sample: Cli, tmp_path: Path
) -> None:
    """One evaluation per agreement and year: the second OPD's form replaces the
    first's (not yet verified) answer, and the import says so."""
    shared = "180/25/PKS/I.01/2020"
    shown = sample.json("show", shared)
    assert isinstance(shown, dict) and len(shown["units"]) == 2
    sample("evaluate", "2021", shared, "--return-to-opd", "--note", "Lengkapi")
    files = []
    for index, unit in enumerate(u["name"] for u in shown["units"]):
        [line] = sample("evaluate", "2021", "--forms", "-o", str(tmp_path / f"o{index}"),
                        "--unit", unit).stdout.split()
        workbook = load_workbook(line)
        sheet = workbook["Evaluasi 2021"]
        at = {cell.value: cell.column_letter for cell in sheet[1]}
        for r in range(2, sheet.max_row + 1):
            if sheet[f"{at['Nomor']}{r}"].value == shared:
                sheet[f"{at['Progres (%)']}{r}"] = 55 + index * 44
        files.append(tmp_path / f"kembali-{index}.xlsx")
        workbook.save(files[-1])
    sample("import", str(files[0]))
    second = sample("import", str(files[1]))
    assert f"{shared}: this answer replaces the one that came in kembali-0.xlsx" in (
        second.stderr)
    assert _row(sample, shared)["progress"] == 99
