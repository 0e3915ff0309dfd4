"""Issue 12 for what people type: control characters refused, the same length limits
on both backends, an empty option never a silent clear, the interactive evaluation
asking a wrong answer again, and years and ids that no register holds.

Every test runs the CLI (Typer's CliRunner) on a real register: an SQLite file in
tmp_path and, when $KERJASAMA_TEST_POSTGRES is set, a PostgreSQL schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import POSTGRES_ENV, AddMou, Cli
from kerjasama_cli.cli import common
from kerjasama_cli.errors import ExitCode, InvalidValue
from kerjasama_cli.register import MAX_LENGTHS, check_text

INVALID, NOT_FOUND = int(ExitCode.INVALID_INPUT), int(ExitCode.NOT_FOUND)


def refused(result: Result, code: int = INVALID) -> str:
    """The command failed with a message and an exit code, not a traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert "failed unexpectedly" not in result.output
    return result.stderr


def shown(cli: Cli, ref: str = "180/1/KB/2021") -> dict[str, Any]:
    data = cli.json("show", ref)
    assert isinstance(data, dict)
    return data


# ------------------------------------------------------------ control characters


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x1b", "U+001B"), ("\x00", "U+0000"), ("\x01", "U+0001"), ("\x0b", "U+000B"),
     ("\x7f", "U+007F"), ("\x85", "U+0085")],
)
def test_a_control_character_is_refused_with_the_field_named(
    cli: Cli, add_mou: AddMou, char: str, code: str
) -> None:
    result = cli("add-mou", "--number", "9/KB/2021", "--title", f"Judul{char}X",
                 "--partner", "Universitas Lampung", ok=False)
    message = refused(result)
    # quoted as repr() quotes it: the character itself never reaches the terminal
    assert f"--title: {f'Judul{char}X'!r} contains a control character ({code})" in message
    assert char not in message
    assert "Hint:" in message
    add_mou()
    message = refused(cli("update", "180/1/KB/2021", "--note", f"a{char}b", ok=False))
    assert f"--note: {f'a{char}b'!r} contains a control character ({code})" in message
    assert shown(cli)["note"] is None
    assert len(cli.json("list")) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["update", "180/1/KB/2021", "--number", "1/KB\x1b/2021"], "--number"),
        (["update", "180/1/KB/2021", "--scope", "\x1b[31mmerah"], "--scope"),
        (["update", "180/1/KB/2021", "--term", "5\x00 tahun"], "--term"),
        (["update", "180/1/KB/2021", "--end", "2030-01-01\x1b"], "--end"),
        (["update", "180/1/KB/2021", "--partner", "PT \x1bMitra"], "--partner"),
        (["update", "180/1/KB/2021", "--unit", "Dinas\x01 Kesehatan"], "--unit"),
        (["add-pks", "--mou", "180/1/KB/2021", "--number", "2/PKS/2021", "--title", "x\x0by"],
         "--title"),
        (["extend", "180/1/KB/2021", "--end", "2030-12-31", "--number", "3/KB\x1b"], "--number"),
        (["terminate", "180/1/KB/2021", "--date", "2022-01-01", "--reason", "batal\x1b"],
         "--reason"),
        (["evaluate", "2021", "180/1/KB/2021", "--level", "terlaksana", "--obstacles", "a\x1bb"],
         "--obstacles"),
        (["evaluate", "2021", "180/1/KB/2021", "--level", "terlaksana\x1b"], "--level"),
        (["finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
          "--text", "Data\x00 hilang"], "--text"),
        (["finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
          "--text", "Data", "--owner", "Bappeda\x1b"], "--owner"),
    ],
)
def test_every_input_path_refuses_control_characters(
    cli: Cli, add_mou: AddMou, args: list[str], label: str
) -> None:
    add_mou()
    before = cli("history", "180/1/KB/2021", "--json").stdout
    message = refused(cli(*args, ok=False))
    assert f"{label}: " in message and "contains a control character (U+00" in message, message
    assert cli("history", "180/1/KB/2021", "--json").stdout == before  # nothing written
    assert cli.json("finding", "list") == []


def test_tab_and_line_breaks_are_text(cli: Cli, add_mou: AddMou) -> None:
    add_mou(title="Pengembangan\nSumber Daya\tManusia", note="baris satu\r\nbaris dua")
    data = shown(cli)
    assert data["title"] == "Pengembangan\nSumber Daya\tManusia"
    assert data["note"] == "baris satu\r\nbaris dua"


def test_bytes_that_are_not_utf8_are_refused(cli: Cli, add_mou: AddMou) -> None:
    add_mou()
    # A terminal in another encoding hands Python such bytes as lone surrogates.
    message = refused(cli("update", "180/1/KB/2021", "--title", "Kerja sama \udcff", ok=False))
    assert "--title" in message and "not UTF-8 text (U+DCFF)" in message


def test_check_text_is_the_one_check() -> None:
    assert check_text("title", "Judul\nbaris dua\tdan tab", "Tentang") == (
        "Judul\nbaris dua\tdan tab"
    )
    with pytest.raises(InvalidValue) as caught:
        check_text("title", "Judul\x1b", 'column "Tentang"')
    assert caught.value.message == (
        "column \"Tentang\": 'Judul\\x1b' contains a control character (U+001B) at character 6"
    )
    assert caught.value.field == "title"
    with pytest.raises(InvalidValue, match="201 characters long; at most 200 fit"):
        check_text("number", "9" * 201, "Nomor")
    assert check_text("number", "9" * 200, "Nomor") == "9" * 200
    assert check_text("title", "x" * 100_000, "Tentang")  # TEXT: no limit


# ------------------------------------------------------------------ length limits


def test_the_limits_come_from_the_tables() -> None:
    from kerjasama_cli.db.models import Agreement, Evaluation, Partner, Unit

    assert MAX_LENGTHS["number"] == Agreement.__table__.c.number.type.length == 200
    assert MAX_LENGTHS["partners"] == Partner.__table__.c.name.type.length
    assert MAX_LENGTHS["units"] == Unit.__table__.c.name.type.length
    assert MAX_LENGTHS["evaluator"] == Evaluation.__table__.c.evaluator.type.length
    assert MAX_LENGTHS["term_text"] == Agreement.__table__.c.term_text.type.length
    assert "title" not in MAX_LENGTHS  # TEXT


LIMITED = [
    ("number", "--number"),
    ("partner_number", "--partner-number"),
    ("term_text", "--term"),
    ("dprd_number", "--dprd-number"),
    ("partners", "--partner"),
    ("units", "--unit"),
]


@pytest.mark.parametrize(("field", "flag"), LIMITED)
def test_one_over_the_limit_is_refused(cli: Cli, add_mou: AddMou, field: str, flag: str) -> None:
    add_mou()
    limit = MAX_LENGTHS[field]
    message = refused(cli("update", "180/1/KB/2021", flag, "A" * (limit + 1), ok=False))
    assert f"{flag}: 'AAAA" in message
    assert f"is {limit + 1} characters long; at most {limit} fit" in message


def test_evaluation_and_finding_texts_have_the_limits_too(cli: Cli, add_mou: AddMou) -> None:
    add_mou()
    message = refused(cli("evaluate", "2021", "180/1/KB/2021", "--level", "terlaksana",
                          "--evaluator", "E" * 201, ok=False))
    assert "--evaluator" in message and "201 characters long; at most 200 fit" in message
    message = refused(cli("finding", "add", "180/1/KB/2021", "--year", "2021", "--category",
                          "kendala", "--text", "Data", "--owner", "O" * 301, ok=False))
    assert "--owner" in message and "301 characters long; at most 300 fit" in message
    assert cli.json("finding", "list") == []


def test_a_number_whose_folded_key_is_too_long_is_refused(cli: Cli, add_mou: AddMou) -> None:
    # "ß" folds to "ss": 101 of them fit as a number, not as the key it is found by.
    message = refused(cli("add-mou", "--number", "ß" * 101, "--title", "t",
                          "--partner", "P", ok=False))
    assert "202 characters long once its case is folded" in message


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """An empty PostgreSQL schema to copy into; skipped without a server."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_ENV} to a server URL")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        from conftest import _dispose_engines

        _dispose_engines()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_values_at_the_limits_are_kept_and_copy_to_postgresql(
    sqlite_cli: Cli, postgres_target: str
) -> None:
    cli = sqlite_cli
    number = "N" * MAX_LENGTHS["number"]
    cli("add-mou", "--number", number, "--title", "T" * 5000,
        "--partner", "P" * MAX_LENGTHS["partners"], "--unit", "U" * MAX_LENGTHS["units"],
        "--partner-number", "M" * 200, "--term", "5 tahun" + " " + "x" * 292,
        "--dprd-number", "D" * 200, "--signed", "2021-01-01", "--end", "2025-12-31")
    cli("evaluate", "2021", "id:1", "--level", "terlaksana", "--evaluator", "E" * 200,
        "--obstacles", "O" * 5000)
    cli("finding", "add", "id:1", "--year", "2021", "--category", "kendala",
        "--text", "F" * 5000, "--owner", "W" * 300)
    result = cli("db", "copy", "--to", postgres_target)
    assert result.exit_code == 0, result.output
    copied = Cli(postgres_target, cli.runner)
    data = shown(copied, "id:1")
    assert data["number"] == number
    assert len(copied.json("finding", "list")) == 1  # type: ignore[arg-type]


# --------------------------------------------------------------- empty is not clear


@pytest.mark.parametrize(
    ("option", "field"),
    [("--end", "ends_on"), ("--value", "value"), ("--note", "note"), ("--term", "term_text"),
     ("--signed", "signed_on"), ("--funding", "funding"), ("--bidang", "bidang")],
)
def test_an_empty_option_does_not_clear(
    cli: Cli, add_mou: AddMou, option: str, field: str
) -> None:
    add_mou(value="Rp 100.000", note="catatan", funding="apbd", bidang="Pendidikan")
    before = shown(cli)[field]
    assert before is not None
    message = refused(cli("update", "180/1/KB/2021", option, "", ok=False))
    assert f"{option}: '' is empty; to clear it, give -" in message
    assert shown(cli)[field] == before
    cli("update", "180/1/KB/2021", option, "-")
    assert shown(cli)[field] in (None, [])


def test_empty_lists_files_and_links_are_refused(
    cli: Cli, add_mou: AddMou, tmp_path: Path
) -> None:
    add_mou(unit="Dinas Pendidikan")
    cli("add-pks", "--mou", "180/1/KB/2021", "--number", "1/PKS/2022", "--title", "PKS",
        "--signed", "2022-01-01", "--end", "2022-12-31")
    for args in (["--unit", ""], ["--partner", ""], ["--file", ""], ["--partner-kind", ""]):
        refused(cli("update", "180/1/KB/2021", *args, ok=False))
    refused(cli("update", "1/PKS/2022", "--parent", "", ok=False))
    assert [u["name"] for u in shown(cli)["units"]] == ["Dinas Pendidikan"]
    assert shown(cli, "1/PKS/2022")["parent_number"] == "180/1/KB/2021"
    cli("update", "180/1/KB/2021", "--unit", "-")  # '-' removes every OPD
    assert shown(cli)["units"] == []
    refused(cli("add-mou", "--doc-type", "", "--number", "5/KB", "--title", "t",
                "--partner", "P", ok=False))


def test_empty_options_of_extend_terminate_evaluate_and_finding(
    cli: Cli, add_mou: AddMou
) -> None:
    add_mou(unit="Dinas Pendidikan")
    refused(cli("extend", "180/1/KB/2021", "--end", "2031-01-01", "--number", "", ok=False))
    assert len(cli.json("list")) == 1  # type: ignore[arg-type]
    refused(cli("extend", "180/1/KB/2021", "--end", "", ok=False))
    cli("evaluate", "2021", "180/1/KB/2021", "--level", "sebagian", "--progress", "40",
        "--evaluator", "Budi")
    for option in ("--progress", "--evaluator", "--on", "--level", "--obstacles"):
        message = refused(cli("evaluate", "2021", "180/1/KB/2021", option, "", ok=False))
        assert f"{option}: '' is empty; to clear it, give -" in message
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    evaluation = board["groups"][0]["agreements"][0]["evaluation"]
    assert (evaluation["progress"], evaluation["evaluator"]) == (40, "Budi")
    cli("evaluate", "2021", "180/1/KB/2021", "--progress", "-")  # '-' clears
    refused(cli("finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
                "--text", "Data", "--owner", "", ok=False))
    cli("finding", "add", "180/1/KB/2021", "--year", "2021", "--category", "kendala",
        "--text", "Data", "--owner", "Bappeda")
    message = refused(cli("finding", "update", "1", "--owner", "", ok=False))
    assert "--owner: '' is empty; to clear it, give -" in message
    listed = cli.json("finding", "list")
    assert isinstance(listed, list) and listed[0]["owner"] == "Bappeda"
    cli("finding", "update", "1", "--owner", "-")
    listed = cli.json("finding", "list")
    assert isinstance(listed, list) and listed[0]["owner"] is None
    refused(cli("evaluate", "2021", "--unit", "", ok=False))


# ------------------------------------------------------------ interactive re-asking


def test_interactive_asks_a_wrong_answer_again(
    cli: Cli, add_mou: AddMou, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    add_mou(unit="Dinas Pendidikan")
    # level, progress (999, then 60), follow-up, obstacles, recommendation, benefit,
    # evaluator (201 characters, then Budi)
    answers = ["sebagian", "999", "abc", "60", "Rapat", "Dana", "dilanjutkan", "",
               "E" * 201, "Budi"]
    result = cli("evaluate", "2021", "--interactive", input="\n".join(answers) + "\n")
    assert "--progress: '999' must be between 0 and 100 (%)" in result.stdout
    assert "--progress: 'abc' is not a percentage" in result.stdout
    assert "201 characters long; at most 200 fit" in result.stdout
    assert result.stdout.count("Progres % (0-100)") == 3
    assert "1 recorded" in result.stdout
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    evaluation = board["groups"][0]["agreements"][0]["evaluation"]
    assert (evaluation["level"], evaluation["progress"]) == ("sebagian", 60)
    assert (evaluation["follow_up"], evaluation["obstacles"]) == ("Rapat", "Dana")
    assert (evaluation["recommendation"], evaluation["evaluator"]) == ("dilanjutkan", "Budi")


def test_interactive_stops_after_too_many_wrong_answers(
    cli: Cli, add_mou: AddMou, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    add_mou(unit="Dinas Pendidikan")
    result = cli("evaluate", "2021", "--interactive", input="sebagian\n" + "999\n" * 20,
                 ok=False)
    message = refused(result)
    assert "answered wrongly 6 times in a row" in message
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict) and board["numbers"]["evaluated"] == 0


# ------------------------------------------------------------ terms out of range


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("9999 tahun", "is longer than 300 years"),
        ("999999999 hari", "is longer than 300 years"),
        ("sampai dengan tahun 0000", "has an unlikely year 0"),
        ("tahun anggaran 0000", "has an unlikely year 0"),
        ("TA 1850", "has an unlikely year 1850"),
        ("5 tahun sejak 1 Januari 1850", "has an unlikely year 1850"),
        ("-5 tahun", "is a negative term"),
        ("\u20135 tahun", "is a negative term"),
    ],
)
def test_a_term_whose_end_no_register_holds_is_refused(
    cli: Cli, add_mou: AddMou, term: str, says: str
) -> None:
    message = refused(cli("add-mou", "--number", "9/KB/2021", "--title", "t", "--partner", "P",
                          "--signed", "2021-08-19", "--term", term, ok=False))
    assert f"--term: {term!r} {says}" in message, message
    assert cli.json("list") == []
    add_mou()
    message = refused(cli("update", "180/1/KB/2021", "--term", term, ok=False))
    assert f"--term: {term!r} {says}" in message, message
    assert shown(cli)["term_text"] == "5 tahun"


# ---------------------------------------------------------------- years and ids


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["evaluate", "0"], "YEAR"),
        (["evaluate", "99999"], "YEAR"),
        (["evaluate", "1899", "180/1/KB/2021", "--level", "terlaksana"], "YEAR"),
        (["evaluate", "99999999999999999999999"], "YEAR"),
        (["list", "--year", "-1"], "--year"),
        (["list", "--year", "2201"], "--year"),
        (["finding", "add", "180/1/KB/2021", "--year", "0", "--category", "kendala",
          "--text", "x"], "--year"),
        (["finding", "add", "180/1/KB/2021", "--year", "3000000000", "--category", "kendala",
          "--text", "x"], "--year"),
        (["finding", "list", "--year", "12"], "--year"),
    ],
)
def test_impossible_years_are_refused(
    cli: Cli, add_mou: AddMou, args: list[str], label: str
) -> None:
    add_mou()
    message = refused(cli(*args, ok=False))
    assert f"{label}: " in message and "is not a year the register accepts (1900-2200)" in message
    assert cli.json("finding", "list") == []


def test_the_years_at_the_edges_are_accepted(cli: Cli, add_mou: AddMou) -> None:
    add_mou()
    cli("list", "--year", "1900")
    cli("list", "--year", "2200")
    cli("evaluate", "2200")


@pytest.mark.parametrize("year", ["99999", "0", "1899", "99999999999999999999999"])
def test_export_refuses_an_impossible_year(
    cli: Cli, add_mou: AddMou, tmp_path: Path, year: str
) -> None:
    add_mou()
    message = refused(cli("export", year, "--json", "-o", str(tmp_path / "out"), ok=False))
    assert "YEAR: " in message and "is not a year the register accepts (1900-2200)" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("99999999999999999999999", "no agreement with id or number '99999999999999999999999'"),
        ("id:99999999999999999999999", "no agreement has id 99999999999999999999999"),
        ("id:9223372036854775807", "no agreement has id 9223372036854775807"),
        ("9223372036854775808", "no agreement with id or number"),
        ("id:2147483648", "no agreement has id 2147483648"),  # past PostgreSQL's INTEGER
        ("2147483648", "no agreement with id or number '2147483648'"),
        ("9" * 5000, "no agreement with id or number"),
        ("id:" + "9" * 5000, "no agreement has id 999"),
        ("²", "no agreement with id or number '²'"),
        ("id:²", "is not an id"),
    ],
)
def test_references_no_register_holds_are_not_found(
    cli: Cli, add_mou: AddMou, ref: str, says: str
) -> None:
    add_mou()
    for command in (["show", ref], ["history", ref], ["update", ref, "--note", "x"],
                    ["evaluate", "2021", ref, "--level", "terlaksana"],
                    ["extend", ref, "--end", "2031-01-01"],
                    ["terminate", ref, "--date", "2022-01-01", "--reason", "batal"],
                    ["finding", "add", ref, "--year", "2021", "--category", "kendala",
                     "--text", "x"],
                    ["add-pks", "--mou", ref, "--number", "2/PKS/2021", "--title", "t"]):
        message = refused(cli(*command, ok=False), NOT_FOUND)
        assert says in message, (command, message)


def test_a_finding_id_no_register_holds_is_not_found(cli: Cli, add_mou: AddMou) -> None:
    add_mou()
    message = refused(cli("finding", "update", "99999999999999999999", "--note", "x", ok=False),
                      NOT_FOUND)
    assert "no finding has id 99999999999999999999" in message


def test_a_reference_with_a_control_character_is_refused(cli: Cli, add_mou: AddMou) -> None:
    add_mou()
    message = refused(cli("show", "1/KB\x00/2021", ok=False))
    assert "REF" in message and "control character (U+0000)" in message
