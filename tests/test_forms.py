"""The OPD evaluation forms (issue 15, forms out): what goes on each OPD's form,
the workbook's validations, locks and hidden key, the Petunjuk sheet, file names
safe on Windows, byte-identical output; and what `kerjasama import` makes of a
form filled in and returned.

Read back with openpyxl, the way Excel stores what people type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import to_excel
from sqlalchemy.orm import Session

from conftest import Cli, snapshot
from kerjasama_cli import vocab
from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import InvalidValue, NotFound
from kerjasama_cli.evaluation import NO_UNIT, evaluations_of, unit_names
from kerjasama_cli.evaluation.fields import SCORE_FIELDS
from kerjasama_cli.evaluation.forms import (
    LEVEL_MEANINGS,
    RECOMMENDATION_MEANINGS,
    RESERVED_NAMES,
    SLUG_LENGTH,
    UnitForm,
    form_file_name,
    form_file_names,
    form_key,
    gather_forms,
    read_form_key,
    unit_slug,
)
from kerjasama_cli.exporting.content import EVALUATION_COLUMNS
from kerjasama_cli.exporting.form_columns import FORM_COLUMNS, KEY_HEADER
from kerjasama_cli.exporting.forms import GUIDE_SHEET, LIST_SHEET, list_formula, write_forms
from kerjasama_cli.outputs import CannotWrite
from kerjasama_cli.queries import load_views
from kerjasama_cli.status import in_force_during
from kerjasama_cli.vocab.columns import (
    AGREEMENT_INDEX,
    CONTEXT_INDEX,
    EVALUATION_INDEX,
    FINDING_INDEX,
    IGNORED_INDEX,
    header_keys,
)
from kerjasama_cli.vocab.columns import EVALUATION_COLUMNS as EVALUATION_HEADERS

EXAMPLES = Path(__file__).parent.parent / "examples"
KEY = "reg-test-1"
YEAR = 2021
SHEET = f"Evaluasi {YEAR}"
DUE = date(2022, 1, 31)


@pytest.fixture
def sample(sqlite_cli: Cli) -> Cli:
    snapshot(
        sqlite_cli,
        "forms-sample-2021",
        lambda: sqlite_cli(
            "import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv")
        ),
    )
    return sqlite_cli


@pytest.fixture
def reading(sample: Cli) -> Iterator[Session]:
    register = Register.open(sample.db)
    try:
        with register.reading() as session:
            yield session
    finally:
        register.close()


def _forms(cli: Cli, **options: Any) -> list[UnitForm]:
    register = Register.open(cli.db)
    try:
        with register.reading() as session:
            return gather_forms(session, YEAR, register_key=KEY, **options)
    finally:
        register.close()


def _letters(sheet: Any) -> dict[str, str]:
    return {cell.value: cell.column_letter for cell in sheet[1]}


def _by_unit(forms: list[UnitForm]) -> dict[str, UnitForm]:
    return {form.unit: form for form in forms}


# ------------------------------------------------------------------ the forms


def test_one_form_per_opd_holding_exactly_its_agreements_in_force(
    sample: Cli, reading: Session, tmp_path: Path
) -> None:
    forms = gather_forms(reading, YEAR, register_key=KEY)
    views = load_views(reading, as_of=date(YEAR, 12, 31))
    expected: dict[str, set[int]] = {}
    for view in views:
        if in_force_during(view, YEAR):
            for name in unit_names(view):
                expected.setdefault(name, set()).add(view.id)
    assert {form.unit for form in forms} == set(expected)
    assert [form.unit for form in forms] == sorted(expected, key=str.casefold)
    for form in forms:
        assert {row.agreement_id for row in form.rows} == expected[form.unit], form.unit
        assert len(form.rows) == len(expected[form.unit])
    # An agreement two OPDs carry out is on both forms.
    shared = [v for v in views if in_force_during(v, YEAR) and len(v.units) > 1]
    assert shared
    by_unit = _by_unit(forms)
    for view in shared:
        for unit in view.units:
            assert view.id in {row.agreement_id for row in by_unit[unit.name].rows}
    # Never an agreement not in force (the sample has some that ended before 2021).
    assert any(not in_force_during(v, YEAR) for v in views)

    written = write_forms(forms, tmp_path / "formulir")
    assert [path.name for path in written] == [form.file_name for form in forms]
    assert sorted(p.name for p in (tmp_path / "formulir").iterdir()) == sorted(
        form_file_name(YEAR, form.unit) for form in forms
    )
    assert all(path.is_absolute() for path in written)
    for form, path in zip(forms, written, strict=True):
        workbook = load_workbook(path)
        assert workbook.sheetnames == [GUIDE_SHEET, SHEET]
        sheet = workbook[SHEET]
        numbers = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
        assert numbers == [row.number for row in form.rows]


def test_rows_say_which_agreement_and_its_term(reading: Session) -> None:
    forms = _by_unit(gather_forms(reading, YEAR, register_key=KEY))
    views = {v.id: v for v in load_views(reading, as_of=date(YEAR, 12, 31))}
    for form in forms.values():
        for row in form.rows:
            view = views[row.agreement_id]
            assert row.number == view.number
            assert row.title == view.title
            assert row.partners == "; ".join(p.name for p in view.partners)
            assert row.key == f"ks:{KEY}:{YEAR}:{view.id}"
            if view.term_text:
                assert row.term == view.term_text
            else:
                assert " – " in row.term or row.term.startswith(("mulai", "sampai"))
    # The dates, in Indonesian, when no term was written.
    kkn = next(r for r in forms["Dinas Pemberdayaan Masyarakat dan Desa"].rows if r.term[0] == "6")
    assert kkn.term == "6 Januari 2020 – 31 Desember 2021"


def test_known_answers_are_prefilled_as_labels_numbers_and_dates(
    reading: Session, tmp_path: Path
) -> None:
    forms = gather_forms(reading, YEAR, register_key=KEY)
    evaluations = evaluations_of(reading, YEAR)
    answered = unanswered = 0
    for form in forms:
        for row in form.rows:
            known = evaluations.get(row.agreement_id)
            if known is None:
                unanswered += 1
                assert not row.answered and row.level is None and row.progress is None
                continue
            answered += 1
            assert row.level == known.level and row.progress == known.progress
            assert row.recommendation == known.recommendation
            assert row.follow_up == known.follow_up and row.obstacles == known.obstacles
            assert row.evaluated_on == known.evaluated_on and row.evaluator == known.evaluator
            assert row.score == known.score and row.scores == known.scores
            assert row.note == known.note and row.benefit == known.benefit
    assert answered and unanswered

    form = _by_unit(forms)["Dinas Komunikasi dan Informatika"]
    [path] = write_forms([form], tmp_path)
    sheet = load_workbook(path)[SHEET]
    at = _letters(sheet)
    for number, row in enumerate(form.rows, 2):
        known = evaluations[row.agreement_id]
        assert sheet[f"{at['Tingkat Pelaksanaan']}{number}"].value == vocab.LEVELS.label(
            known.level
        )
        progress = sheet[f"{at['Progres (%)']}{number}"]
        assert progress.value == known.progress and type(progress.value) is int
        assert progress.number_format == "0"
        recommended = sheet[f"{at['Rekomendasi']}{number}"].value
        assert recommended == vocab.RECOMMENDATIONS.label(known.recommendation)
        day = sheet[f"{at['Tanggal Evaluasi']}{number}"]
        assert isinstance(day.value, datetime) and day.value.date() == known.evaluated_on
        assert day.number_format == "dd/mm/yyyy"
        assert sheet[f"{at['Tindak Lanjut']}{number}"].value == known.follow_up
        assert sheet[f"A{number}"].value == number - 1


def test_agreement_without_opd_is_on_the_no_unit_form(sample: Cli) -> None:
    sample(
        "add-mou",
        "--number",
        "180/99/KB/2021",
        "--title",
        "Tanpa pelaksana",
        "--partner",
        "Universitas Lampung",
        "--signed",
        "2021-03-01",
        "--term",
        "2 tahun",
    )
    forms = _by_unit(_forms(sample))
    assert [row.number for row in forms[NO_UNIT].rows] == ["180/99/KB/2021"]
    assert forms[NO_UNIT].file_name == "formulir-evaluasi-2021-tanpa-perangkat-daerah.xlsx"


# ------------------------------------------------------------------ the workbook


def _one(sample: Cli, tmp_path: Path, unit: str = "Dinas Komunikasi") -> tuple[UnitForm, Any]:
    [form] = _forms(sample, unit=unit, due=DUE, contact="Maryani, 0812-1234-5678")
    [path] = write_forms([form], tmp_path)
    return form, load_workbook(path)


def test_validations_cover_the_rows_and_explain_what_is_allowed(
    sample: Cli, tmp_path: Path
) -> None:
    form, workbook = _one(sample, tmp_path)
    sheet = workbook[SHEET]
    at = _letters(sheet)
    last = 1 + len(form.rows)
    found = {str(v.sqref): v for v in sheet.data_validations.dataValidation}

    def of(header: str) -> Any:
        letter = at[header]
        return found.pop(f"{letter}2:{letter}{last}")

    levels = [vocab.LEVELS.label(c) for c in vocab.LEVELS.codes]
    recommendations = [vocab.RECOMMENDATIONS.label(c) for c in vocab.RECOMMENDATIONS.codes]
    level = of("Tingkat Pelaksanaan")
    assert level.type == "list" and level.formula1 == '"' + ",".join(levels) + '"'
    recommendation = of("Rekomendasi")
    assert recommendation.type == "list"
    assert recommendation.formula1 == '"' + ",".join(recommendations) + '"'
    progress = of("Progres (%)")
    assert (progress.type, progress.operator, progress.formula1, progress.formula2) == (
        "whole",
        "between",
        "0",
        "100",
    )
    score = of("Skor")
    assert (score.type, score.operator, score.formula1, score.formula2) == (
        "whole",
        "between",
        "1",
        "5",
    )
    day = of("Tanggal Evaluasi")
    assert (day.type, day.operator) == ("date", "between")
    assert day.formula1 == str(int(to_excel(date(YEAR, 1, 1))))
    assert int(day.formula2) > int(day.formula1)
    evaluator = of("Evaluator")
    assert (evaluator.type, evaluator.operator, evaluator.formula1) == (
        "textLength",
        "lessThanOrEqual",
        "200",
    )
    # The instrument's criteria, 1-5 each, under the headers import reads them by.
    instrument = [of(EVALUATION_HEADERS[name][0]) for name in SCORE_FIELDS]
    assert {(v.type, v.operator, v.formula1, v.formula2) for v in instrument} == {
        ("whole", "between", "1", "5")}
    assert not found  # nothing else, nothing on other rows
    for validation in [level, recommendation, progress, score, day, evaluator, *instrument]:
        assert validation.showInputMessage and validation.showErrorMessage
        assert validation.errorStyle == "stop"
        assert validation.promptTitle and validation.prompt and len(validation.prompt) <= 255
        assert validation.errorTitle and validation.error and len(validation.error) <= 255
        assert len(validation.promptTitle) <= 32 and len(validation.errorTitle) <= 32
        assert not validation.showDropDown  # openpyxl's True hides the arrow
    assert all(label in level.error for label in levels)
    assert all(label in recommendation.error for label in recommendations)
    assert "0" in progress.error and "100" in progress.error
    assert "1" in score.error and "5" in score.error
    assert f"01/01/{YEAR}" in day.error


def test_a_form_without_rows_has_no_validation(tmp_path: Path) -> None:
    empty = UnitForm("Dinas Kosong", YEAR, "", "", None, None, KEY, "kosong.xlsx", [])
    [path] = write_forms([empty], tmp_path)
    sheet = load_workbook(path)[SHEET]
    assert not sheet.data_validations.dataValidation
    assert sheet.max_row == 1


def test_identifying_cells_locked_answers_unlocked_key_hidden(sample: Cli, tmp_path: Path) -> None:
    form, workbook = _one(sample, tmp_path)
    sheet = workbook[SHEET]
    at = _letters(sheet)
    assert list(at) == [column.header for column in FORM_COLUMNS] + [KEY_HEADER]
    last = 1 + len(form.rows)
    for column in FORM_COLUMNS:
        for number in (2, last):
            cell = sheet[f"{at[column.header]}{number}"]
            assert cell.protection.locked is (not column.fill_in), (column.header, number)
            fill = cell.fill.fgColor.rgb
            assert fill.endswith("FFF2CC" if column.fill_in else "F2F2F2"), column.header
    for letter in at.values():
        assert sheet[f"{letter}1"].protection.locked  # headers stay
    key = at[KEY_HEADER]
    assert sheet.column_dimensions[key].hidden
    keys = [sheet[f"{key}{number}"] for number in range(2, last + 1)]
    assert all(cell.protection.locked for cell in keys)
    assert [cell.value for cell in keys] == [form_key(KEY, YEAR, r.agreement_id) for r in form.rows]
    assert [read_form_key(cell.value) for cell in keys] == [
        (KEY, YEAR, r.agreement_id) for r in form.rows
    ]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.protection.formatColumns is False and sheet.protection.formatRows is False
    assert sheet.freeze_panes == "C2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.oddFooter.right.text == "Halaman &P dari &N"
    guide = workbook[GUIDE_SHEET]
    assert workbook.active.title == GUIDE_SHEET and workbook.sheetnames[0] == GUIDE_SHEET
    assert guide.protection.sheet and not guide.protection.password
    assert guide.page_setup.orientation == "portrait"
    assert guide.sheet_properties.pageSetUpPr.fitToPage
    assert (guide.page_setup.fitToWidth, guide.page_setup.fitToHeight) == (1, 1)
    fonts = {sheet["B2"].font.name, sheet["A1"].font.name, guide["A1"].font.name}
    assert fonts == {"Arial"}


def test_headers_are_those_the_import_reads() -> None:
    """Every column to fill in maps to its field; the identifying ones are read as
    context; the key column is the evaluation import's form key, no other table's."""
    export_headers = {column.header for column in EVALUATION_COLUMNS}
    for column in FORM_COLUMNS:
        keys = header_keys(column.header)
        if column.fill_in:
            # The workbook's Evaluasi headers, or (the instrument) the import's own words.
            assert column.header in export_headers or column.column.key in SCORE_FIELDS
            assert EVALUATION_INDEX[keys[0]] == column.column.key, column.header
        elif column.column.key == "number":
            assert EVALUATION_INDEX[keys[0]] == "number"
        else:
            assert any(key in CONTEXT_INDEX for key in keys), column.header
    assert EVALUATION_INDEX[header_keys(KEY_HEADER)[0]] == "form_key"
    for index in (AGREEMENT_INDEX, FINDING_INDEX, IGNORED_INDEX):
        assert not any(key in index for key in header_keys(KEY_HEADER))


def _guide_text(workbook: Any) -> str:
    sheet = workbook[GUIDE_SHEET]
    return "\n".join(
        " ".join(str(cell.value) for cell in row if cell.value is not None)
        for row in sheet.iter_rows()
    )


def test_petunjuk_says_what_to_fill_what_levels_mean_deadline_and_whom(
    sample: Cli, tmp_path: Path
) -> None:
    sample("config", "set", "region", "Kabupaten Tanggamus")
    sample("config", "set", "office", "Bagian Kerja Sama Sekretariat Daerah")
    _form, workbook = _one(sample, tmp_path, "Dinas Kesehatan")
    text = _guide_text(workbook)
    assert f"Formulir Evaluasi Pelaksanaan Kerja Sama Daerah Tahun {YEAR}" in text
    assert "Dinas Kesehatan" in text
    assert "Batas waktu pengembalian: 31 Januari 2022" in text
    assert "Maryani, 0812-1234-5678" in text
    assert "Bagian Kerja Sama Sekretariat Daerah Kabupaten Tanggamus" in text
    assert "Pemerintah Pemerintah" not in text
    for code in vocab.LEVELS.codes:
        assert vocab.LEVELS.label(code) in text
        assert LEVEL_MEANINGS[code] in text
    for code in vocab.RECOMMENDATIONS.codes:
        assert vocab.RECOMMENDATIONS.label(code) in text
        assert RECOMMENDATION_MEANINGS[code] in text
    assert "abu-abu" in text and "kuning" in text and "tersembunyi" in text
    assert f'"{SHEET}"' in text
    widths = [workbook[GUIDE_SHEET].column_dimensions[c].width for c in "AB"]
    assert sum(widths) >= 80


def test_petunjuk_without_deadline_or_contact(sample: Cli, tmp_path: Path) -> None:
    [form] = _forms(sample, unit="Dinas Kesehatan")
    assert form.due is None and form.contact is None
    [path] = write_forms([form], tmp_path)
    text = _guide_text(load_workbook(path))
    assert "Batas waktu pengembalian: (belum ditetapkan)" in text
    assert "Kirim kembali berkas ini kepada pengirimnya" in text


def test_deadline_and_contact_default_to_the_settings(sample: Cli) -> None:
    sample("config", "set", "evaluation-due", "31/1/2022")
    sample("config", "set", "contact", "kerjasama@tanggamus.go.id")
    [form] = _forms(sample, unit="Dinas Kesehatan")
    assert (form.due, form.contact) == (DUE, "kerjasama@tanggamus.go.id")
    [given] = _forms(sample, unit="Dinas Kesehatan", due=date(2022, 2, 15), contact="Ruang 12")
    assert (given.due, given.contact) == (date(2022, 2, 15), "Ruang 12")


def test_same_register_and_options_give_the_same_bytes(sample: Cli, tmp_path: Path) -> None:
    first = write_forms(_forms(sample, due=DUE), tmp_path / "a")
    second = write_forms(_forms(sample, due=DUE), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    replaced: list[Path] = []
    again = write_forms(_forms(sample, due=DUE), tmp_path / "a", replaced=replaced)
    assert replaced == again
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in second]


def test_unit_selects_opds_by_part_of_their_name(sample: Cli) -> None:
    everything = _by_unit(_forms(sample))
    [form] = _forms(sample, unit="  dinas   KESEHATAN ")
    assert form.unit == "Dinas Kesehatan"
    assert form.file_name == everything["Dinas Kesehatan"].file_name
    assert [r.agreement_id for r in form.rows] == [
        r.agreement_id for r in everything["Dinas Kesehatan"].rows
    ]
    several = _forms(sample, unit="badan")
    assert [f.unit for f in several] == sorted(
        (name for name in everything if "badan" in name.casefold()), key=str.casefold
    )
    with pytest.raises(NotFound) as caught:
        _forms(sample, unit="Dinas Kesehatn")
    assert "Dinas Kesehatn" in caught.value.message
    assert caught.value.hint is not None and "Dinas Kesehatan" in caught.value.hint
    with pytest.raises(NotFound):
        _forms(sample, unit="zzzz qqqq")


def test_a_year_with_nothing_in_force_has_no_form_and_bad_input_is_refused(
    sample: Cli,
) -> None:
    register = Register.open(sample.db)
    try:
        with register.reading() as session:
            assert gather_forms(session, 1995, register_key=KEY) == []
            with pytest.raises(InvalidValue):
                gather_forms(session, 21, register_key=KEY)
            with pytest.raises(InvalidValue):
                gather_forms(session, YEAR, register_key=" ")
    finally:
        register.close()


def test_write_forms_refuses_a_file_as_folder(sample: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(CannotWrite):
        write_forms(_forms(sample, unit="Dinas Kesehatan"), blocker)
    assert blocker.read_text() == "x"


# ------------------------------------------------------------------ file names

SAFE = re.compile(r"^[a-z0-9-]+\.xlsx$")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dinas Kesehatan", "formulir-evaluasi-2021-dinas-kesehatan.xlsx"),
        ("CON", "formulir-evaluasi-2021-con.xlsx"),
        ("nul", "formulir-evaluasi-2021-nul.xlsx"),
        (
            'Dinas: "Kesehatan"/Pendidikan*?',
            "formulir-evaluasi-2021-dinas-kesehatan-pendidikan.xlsx",
        ),
        ("Dinas Koperasi, UKM & Perindustrian", None),
        ("Dinas Pariwisata Ékonomi Kreatif Straße Øresund", None),
        ("...", "formulir-evaluasi-2021-opd.xlsx"),
        ("كلية", "formulir-evaluasi-2021-opd.xlsx"),
        (NO_UNIT, "formulir-evaluasi-2021-tanpa-perangkat-daerah.xlsx"),
    ],
)
def test_file_names_are_safe_everywhere(name: str, expected: str | None) -> None:
    file_name = form_file_name(YEAR, name)
    assert SAFE.match(file_name), file_name
    assert file_name.removesuffix(".xlsx") not in RESERVED_NAMES
    if expected is not None:
        assert file_name == expected


def test_file_names_transliterate_and_are_cut_at_a_word() -> None:
    assert (
        unit_slug("Dinas Koperasi, UKM & Perindustrian") == "dinas-koperasi-ukm-dan-perindustrian"
    )
    assert unit_slug("Dinas Pariwisata Ékonomi Straße Øresund") == (
        "dinas-pariwisata-ekonomi-strasse-oresund"
    )
    long = (
        "Dinas Pemberdayaan Perempuan Perlindungan Anak Pengendalian Penduduk dan "
        "Keluarga Berencana Kabupaten Tanggamus"
    )
    slug = unit_slug(long)
    assert len(slug) <= SLUG_LENGTH
    assert ("-" + slug + "-") in ("-" + unit_slug(long, 500) + "-")  # whole words only
    assert not slug.endswith(("-dan", "-"))
    assert len(unit_slug("x" * 200)) == SLUG_LENGTH  # one word: cut within it
    assert len(form_file_name(YEAR, long)) <= 100


def test_colliding_file_names_get_numbers_whatever_the_order() -> None:
    names = ["Dinas Kesehatan.", "Dinas Kesehatan", "DINAS-KESEHATAN", "Dinas Pendidikan"]
    chosen = form_file_names(YEAR, names)
    assert chosen == form_file_names(YEAR, list(reversed(names)))
    # In the order of the names, case ignored: "dinas kesehatan" < "...n." < "dinas-...".
    assert chosen["Dinas Kesehatan"] == "formulir-evaluasi-2021-dinas-kesehatan.xlsx"
    assert chosen["Dinas Kesehatan."] == "formulir-evaluasi-2021-dinas-kesehatan-2.xlsx"
    assert chosen["DINAS-KESEHATAN"] == "formulir-evaluasi-2021-dinas-kesehatan-3.xlsx"
    assert chosen["Dinas Pendidikan"] == "formulir-evaluasi-2021-dinas-pendidikan.xlsx"
    assert len(set(chosen.values())) == len(names)


def test_hostile_opd_names_in_the_register_give_safe_distinct_files(
    sample: Cli, tmp_path: Path
) -> None:
    hostile = ["CON", 'Dinas: "Kesehatan"/Pendidikan*?', "Dinas Kesehatan.", "Bagian Ékonomi"]
    for number, unit in enumerate(hostile, 1):
        sample(
            "add-mou",
            "--number",
            f"180/9{number}/KB/2021",
            "--title",
            "Uji nama",
            "--partner",
            "Universitas Lampung",
            "--signed",
            "2021-03-01",
            "--term",
            "2 tahun",
            "--unit",
            unit,
        )
    forms = _forms(sample)
    written = write_forms(forms, tmp_path / "out")
    names = [path.name for path in written]
    assert len(set(names)) == len(names) == len({f.unit for f in forms})
    assert all(SAFE.match(name) for name in names)
    by_unit = _by_unit(forms)
    assert by_unit["CON"].file_name == "formulir-evaluasi-2021-con.xlsx"
    assert by_unit["Dinas Kesehatan"].file_name == "formulir-evaluasi-2021-dinas-kesehatan.xlsx"
    assert by_unit["Dinas Kesehatan."].file_name == "formulir-evaluasi-2021-dinas-kesehatan-2.xlsx"
    assert by_unit["Bagian Ékonomi"].file_name == "formulir-evaluasi-2021-bagian-ekonomi.xlsx"
    [only] = _forms(sample, unit="Dinas Kesehatan.")
    assert only.file_name == by_unit["Dinas Kesehatan."].file_name  # the same with --unit


# ------------------------------------------------------------------ details


def test_every_level_and_recommendation_is_explained() -> None:
    assert set(LEVEL_MEANINGS) == set(vocab.LEVELS.codes)
    assert set(RECOMMENDATION_MEANINGS) == set(vocab.RECOMMENDATIONS.codes)


def test_a_list_too_long_to_write_inline_goes_on_a_hidden_sheet() -> None:
    workbook = Workbook()
    assert list_formula(workbook, ["Satu", "Dua"]) == '"Satu,Dua"'
    assert LIST_SHEET not in workbook.sheetnames
    long = [f"Pilihan nomor {n} yang panjang sekali" for n in range(12)]
    assert list_formula(workbook, long) == f"{LIST_SHEET}!$A$1:$A$12"
    assert list_formula(workbook, ["Satu, dua", "Tiga"]) == f"{LIST_SHEET}!$B$1:$B$2"
    sheet = workbook[LIST_SHEET]
    assert sheet.sheet_state == "hidden"
    assert [sheet.cell(row=r, column=1).value for r in range(1, 13)] == long
    assert sheet["B1"].value == "Satu, dua"


def test_read_form_key_refuses_what_is_not_a_key() -> None:
    assert read_form_key("ks:abc:def:2021:7") == ("abc:def", 2021, 7)
    for text in ("", "ks:", "ks:abc:2021", "xx:abc:2021:7", "ks::2021:7", "ks:abc:20x1:7"):
        assert read_form_key(text) is None


def test_text_that_looks_like_a_formula_stays_text(sample: Cli, tmp_path: Path) -> None:
    sample(
        "add-mou",
        "--number",
        "180/98/KB/2021",
        "--title",
        '=HYPERLINK("http://x")',
        "--partner",
        "Universitas Lampung",
        "--signed",
        "2021-03-01",
        "--term",
        "2 tahun",
        "--unit",
        "Dinas Uji",
    )
    [form] = _forms(sample, unit="Dinas Uji")
    [path] = write_forms([form], tmp_path)
    sheet = load_workbook(path)[SHEET]
    assert sheet["C2"].value == '=HYPERLINK("http://x")'
    assert sheet["C2"].data_type == "s"


# ------------------------------------------------------------------ returned


def _sent(cli: Cli, folder: Path, unit: str) -> Path:
    """The OPD's form as `evaluate 2021 --forms` sends it (this register's key)."""
    [line] = cli("evaluate", str(YEAR), "--forms", "-o", str(folder), "--unit", unit).stdout.split()
    return Path(line)


def _fill(path: Path, target: Path, answers: dict[int, dict[str, Any]]) -> Path:
    """Type answers into the form as Excel stores them: row index -> header -> value."""
    workbook = load_workbook(path)
    sheet = workbook[SHEET]
    at = _letters(sheet)
    for index, values in answers.items():
        for header, value in values.items():
            sheet[f"{at[header]}{2 + index}"] = value
    workbook.save(target)
    return target


def _answer(cli: Cli, agreement_id: int) -> dict[str, Any]:
    board = cli.json("evaluate", str(YEAR))
    rows = [
        a for g in board["groups"] for a in g["agreements"]  # type: ignore[index]
        if a["id"] == agreement_id
    ]
    return rows[0]["evaluation"]  # type: ignore[no-any-return]


def _state(cli: Cli, agreement_id: int) -> tuple[Any, ...]:
    import sqlite3

    with sqlite3.connect(cli.db) as connection:
        row = connection.execute(
            "SELECT state, source_file, submitted_at IS NOT NULL FROM evaluation "
            "WHERE agreement_id = ? AND year = ?",
            (agreement_id, YEAR),
        ).fetchone()
    return tuple(row) if row else ()


def test_a_returned_form_is_recorded_as_submitted_matched_by_its_key(
    sample: Cli, tmp_path: Path
) -> None:
    """The answers of a returned form are the OPD's: 'diajukan', with the file they
    came from; rows left empty stay unanswered; an edited Nomor still matches; a
    form returned again replaces the earlier answers (history), never doubles."""
    path = _sent(sample, tmp_path / "out", "Dinas Pariwisata")
    sheet = load_workbook(path)[SHEET]
    ids = [int(c.value.rsplit(":", 1)[1]) for c in sheet[_letters(sheet)[KEY_HEADER]][1:]]
    levels = [c.value for c in sheet[_letters(sheet)["Tingkat Pelaksanaan"]][1:]]
    blank = levels.index(None)
    filled = _fill(path, tmp_path / "kembali.xlsx", {blank: {
        "Nomor": "180/xx/PKS (diketik ulang)",
        "Tingkat Pelaksanaan": "Terlaksana Sebagian",
        "Progres (%)": 70,
        "Kendala/Permasalahan": "Anggaran promosi terlambat",
        "Rekomendasi": "Ditinjau Kembali / Adendum",
        "Tanggal Evaluasi": datetime(2022, 1, 20),
        "Ketepatan Waktu": 4,
    }})
    result = sample("import", str(filled))
    assert "1 created" in result.stdout, result.stdout
    answer = _answer(sample, ids[blank])
    assert (answer["level"], answer["progress"], answer["recommendation"]) == (
        "sebagian", 70, "ditinjau")
    assert answer["evaluated_on"] == "2022-01-20"
    assert _state(sample, ids[blank]) == ("diajukan", "kembali.xlsx", 1)
    assert answer["scores"]["timeliness"] == 4  # the instrument's, from its own column

    again = _fill(filled, tmp_path / "kembali-2.xlsx", {blank: {"Progres (%)": 85}})
    result = sample("import", str(again))
    assert "1 updated" in result.stdout, result.stdout
    assert _answer(sample, ids[blank])["progress"] == 85
    assert _state(sample, ids[blank])[:2] == ("diajukan", "kembali-2.xlsx")
    history = sample.json("history", f"id:{ids[blank]}")
    progress = [e for e in history["history"] if e["field"] == "evaluasi 2021: progress"]  # type: ignore[index]
    assert [(e["old"], e["new"]) for e in progress] == [(None, "70"), ("70", "85")]
    import sqlite3

    with sqlite3.connect(sample.db) as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM evaluation WHERE agreement_id = ?", (ids[blank],)
        ).fetchone() == (1,)


def test_a_verified_answer_is_not_replaced_by_a_form_unless_asked(
    sample: Cli, tmp_path: Path
) -> None:
    """The sample's evaluations were typed by the office (verified): a form that
    says otherwise is skipped with the usual notice; --on-conflict update takes it."""
    path = _sent(sample, tmp_path / "out", "Dinas Pariwisata")
    sheet = load_workbook(path)[SHEET]
    levels = [c.value for c in sheet[_letters(sheet)["Tingkat Pelaksanaan"]][1:]]
    answered = next(i for i, level in enumerate(levels) if level)
    ids = [int(c.value.rsplit(":", 1)[1]) for c in sheet[_letters(sheet)[KEY_HEADER]][1:]]
    before = _answer(sample, ids[answered])
    changed = _fill(path, tmp_path / "ubah.xlsx", {answered: {"Progres (%)": 33}})
    result = sample("import", str(changed))
    assert "1 skipped" in result.stdout, result.stdout
    assert "is already verified, so the form's was left out" in result.stderr
    assert _answer(sample, ids[answered]) == before
    assert _state(sample, ids[answered])[0] == "diverifikasi"
    sample("import", str(changed), "--on-conflict", "update")
    assert _answer(sample, ids[answered])["progress"] == 33


def test_a_form_sent_to_someone_else_is_refused_whole(sample: Cli, tmp_path: Path) -> None:
    """Another register's form, another year's, a row of another OPD's: nothing written."""
    import sqlite3

    path = _sent(sample, tmp_path / "out", "Dinas Pariwisata")
    sheet = load_workbook(path)[SHEET]
    levels = [c.value for c in sheet[_letters(sheet)["Tingkat Pelaksanaan"]][1:]]
    blank = levels.index(None)
    filled = _fill(path, tmp_path / "isi.xlsx", {blank: {"Tingkat Pelaksanaan": "Terlaksana"}})

    def count() -> int:
        with sqlite3.connect(sample.db) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM evaluation").fetchone()[0])

    before = count()
    workbook = load_workbook(filled)
    key_column = _letters(workbook[SHEET])[KEY_HEADER]
    for cell in workbook[SHEET][key_column][1:]:
        cell.value = cell.value.replace(cell.value.split(":")[1], "0" * 32)
    workbook.save(tmp_path / "lain-register.xlsx")
    other = sample("import", str(tmp_path / "lain-register.xlsx"), ok=False)
    assert other.exit_code == 4 and "sent from another register" in other.stderr
    workbook = load_workbook(filled)
    workbook[SHEET].title = "Evaluasi 2020"
    workbook.save(tmp_path / "lain-tahun.xlsx")
    year = sample("import", str(tmp_path / "lain-tahun.xlsx"), ok=False)
    assert year.exit_code == 4 and "is the 2021 evaluation form" in year.stderr
    workbook = load_workbook(filled)
    workbook.custom_doc_props["kerjasama-unit"].value = "Dinas Kesehatan"
    workbook.save(tmp_path / "lain-opd.xlsx")
    unit = sample("import", str(tmp_path / "lain-opd.xlsx"), ok=False)
    assert unit.exit_code == 4 and "was sent to Dinas Kesehatan" in unit.stderr
    assert count() == before


# ------------------------------------------------------------------ the command


def test_evaluate_forms_writes_records_and_keys_them_to_this_register(
    sample: Cli, tmp_path: Path
) -> None:
    """`evaluate YEAR --forms`: one file per OPD, printed absolute; the sending
    recorded per OPD with its deadline; the register's key made once and the
    same on every form sent after."""
    import sqlite3

    folder = tmp_path / "formulir"
    result = sample("evaluate", "2021", "--forms", "-o", str(folder), "--due", "31/01/2022")
    printed = result.stdout.split()
    assert printed and all(Path(line).is_absolute() for line in printed)
    assert sorted(Path(line).name for line in printed) == sorted(
        p.name for p in folder.iterdir()
    )
    with sqlite3.connect(sample.db) as connection:
        key = connection.execute("SELECT value FROM setting WHERE key = 'register-key'").fetchone()
        sent = connection.execute(
            "SELECT u.name, f.year, f.due_on, f.file_name FROM evaluation_form f "
            "JOIN unit u ON u.id = f.unit_id ORDER BY u.name"
        ).fetchall()
    assert key and len(key[0]) == 32
    health = ("Dinas Kesehatan", 2021, "2022-01-31", "formulir-evaluasi-2021-dinas-kesehatan.xlsx")
    assert health in [tuple(row) for row in sent]
    assert len(sent) == len(printed)  # the sample has no agreement without an OPD
    sheet = load_workbook(folder / "formulir-evaluasi-2021-dinas-kesehatan.xlsx")[SHEET]
    keys = [cell.value for cell in sheet[_letters(sheet)[KEY_HEADER]][1:]]
    assert keys and all(k.startswith(f"ks:{key[0]}:2021:") for k in keys)

    # Sent again to one OPD, later: same key, the sending updated, not doubled.
    again = sample.json("evaluate", "2021", "--forms", "-o", str(folder), "--unit", "kesehatan")
    assert isinstance(again, list) and [row["unit"] for row in again] == ["Dinas Kesehatan"]
    with sqlite3.connect(sample.db) as connection:
        keys_now = connection.execute(
            "SELECT value FROM setting WHERE key = 'register-key'"
        ).fetchall()
        rows = connection.execute(
            "SELECT due_on FROM evaluation_form f JOIN unit u ON u.id = f.unit_id "
            "WHERE u.name = 'Dinas Kesehatan'"
        ).fetchall()
    assert keys_now == [key]
    assert rows == [("2022-01-31",)]  # sent again without --due: the deadline given before


def test_evaluate_forms_refusals(sample: Cli, tmp_path: Path) -> None:
    nothing = sample("evaluate", "1990", "--forms", "-o", str(tmp_path / "a"), ok=False)
    assert nothing.exit_code == 3 and "no agreement was in force during 1990" in nothing.stderr
    assert not (tmp_path / "a").exists()
    stray = sample("evaluate", "2021", "--due", "31/01/2022", ok=False)
    assert stray.exit_code == 2 and "--forms" in stray.stderr
    mixed = sample("evaluate", "2021", "180/22/PKS/I.01/2021", "--forms", ok=False)
    assert mixed.exit_code == 2
    bad_due = sample("evaluate", "2021", "--forms", "-o", str(tmp_path / "b"), "--due", "kapan",
                     ok=False)
    assert bad_due.exit_code == 2 and "--due" in bad_due.stderr
    assert not (tmp_path / "b").exists()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    refused = sample("evaluate", "2021", "--forms", "-o", str(blocked), ok=False)
    assert refused.exit_code != 0 and "Traceback" not in refused.stderr
    import sqlite3

    with sqlite3.connect(sample.db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM evaluation_form").fetchone() == (0,)


def test_a_form_whose_keys_were_tampered_with_is_refused(sample: Cli, tmp_path: Path) -> None:
    """Found by trying it: two rows with one key (one answer would overwrite the
    other), or a key swapped onto a row whose Nomor is another agreement's (the
    answer would land on the wrong one): refused, nothing written."""
    import sqlite3

    path = _sent(sample, tmp_path / "out", "Perumahan")
    sheet = load_workbook(path)[SHEET]
    at = _letters(sheet)
    assert sheet.max_row >= 3  # two agreements on this form

    def count() -> int:
        with sqlite3.connect(sample.db) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM history").fetchone()[0])

    before = count()
    workbook = load_workbook(path)
    form = workbook[SHEET]
    form[f"{at['Tingkat Pelaksanaan']}2"] = "Terlaksana"
    form[f"{at['Tingkat Pelaksanaan']}3"] = "Tidak Terlaksana"
    form[f"{at[KEY_HEADER]}3"] = form[f"{at[KEY_HEADER]}2"].value
    workbook.save(tmp_path / "sama.xlsx")
    same = sample("import", str(tmp_path / "sama.xlsx"), ok=False)
    assert same.exit_code == 4 and "carry the same key" in same.stderr

    workbook = load_workbook(path)
    form = workbook[SHEET]
    form[f"{at['Tingkat Pelaksanaan']}2"] = "Terlaksana"
    first, second = form[f"{at[KEY_HEADER]}2"].value, form[f"{at[KEY_HEADER]}3"].value
    form[f"{at[KEY_HEADER]}2"], form[f"{at[KEY_HEADER]}3"] = second, first
    workbook.save(tmp_path / "tukar.xlsx")
    swapped = sample("import", str(tmp_path / "tukar.xlsx"), ok=False)
    assert swapped.exit_code != 0 and "is the Nomor of another agreement" in (
        swapped.stdout + swapped.stderr)
    assert count() == before


def test_a_form_with_its_sheet_renamed_or_a_level_left_out(sample: Cli, tmp_path: Path) -> None:
    """The key says the year when the sheet's name no longer does; a row with
    answers but no level is an error naming the level, not "left empty"."""
    path = _sent(sample, tmp_path / "out", "Pariwisata")
    sheet = load_workbook(path)[SHEET]
    at = _letters(sheet)
    blank = next(r for r in range(2, sheet.max_row + 1)
                 if sheet[f"{at['Tingkat Pelaksanaan']}{r}"].value is None)
    workbook = load_workbook(path)
    form = workbook[SHEET]
    form[f"{at['Progres (%)']}{blank}"] = 50
    form[f"{at['Tindak Lanjut']}{blank}"] = "Promosi bersama"
    workbook.save(tmp_path / "tanpa-tingkat.xlsx")
    missing = sample("import", str(tmp_path / "tanpa-tingkat.xlsx"), ok=False)
    told = missing.stdout + missing.stderr
    assert missing.exit_code != 0 and 'column "Tingkat Pelaksanaan": required' in told
    assert "left empty" not in told
    form[f"{at['Tingkat Pelaksanaan']}{blank}"] = "Terlaksana Sebagian"
    form.title = "Sheet1"
    workbook.save(tmp_path / "ganti-nama.xlsx")
    result = sample("import", str(tmp_path / "ganti-nama.xlsx"))
    assert "1 created" in result.stdout, (result.stdout, result.stderr)
