"""README's promises: its set-up lines, its tour, and the line CI runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import Cli, _dispose_engines

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks() -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", README, re.S)


def test_two_one_line_setup_commands() -> None:
    lines = [block.strip() for block in code_blocks() if "\n" not in block.strip()]
    main = [line for line in lines if line.startswith("pip install") and "kerjasama" in line
            and "pytest" not in line]
    tests = [line for line in lines if line.startswith("pip install") and "pytest" in line]
    assert len(main) == 1 and len(tests) == 1
    assert "examples/register-2021.csv" in main[0]


def test_ci_runs_the_readme_test_line() -> None:
    test_line = next(block.strip() for block in code_blocks()
                     if block.strip().startswith("pip install") and "pytest" in block)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_line in ci_lines


def tour_commands(start: str = "# A KB") -> list[list[str]]:
    block = next(b for b in code_blocks() if b.lstrip().startswith(start))
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "kerjasama":
            args = words[1:]
            commands.append(args[: args.index(">")] if ">" in args else args)
    return commands


def test_the_tour_runs_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    commands = tour_commands()
    assert len(commands) >= 15
    for command in commands:
        if command[0] == "backup" and "://" in cli.db:
            continue  # copies SQLite files; PostgreSQL has pg_dump (tested elsewhere)
        result = cli(*command, ok=False)
        expected = {"check": (0, 1)}.get(command[0], (0,))
        assert result.exit_code in expected, (command, result.stderr)


def test_the_evaluation_walkthrough_runs_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    # It imports examples/ by relative path and writes into the current folder:
    # a copy in a temporary folder, so that nothing is written into the checkout.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = tour_commands("export KERJASAMA_DB")
    assert len(commands) >= 9
    for command in commands:
        if "--interactive" in command:
            continue  # needs a terminal: tests/test_evaluation.py drives it
        result = cli(*command, ok=False)
        assert result.exit_code == 0, (command, result.stderr)
    closed = cli.json("finding", "list", "--agreement", "180/05/KB/I.01/2021")
    assert isinstance(closed, list) and closed[0]["status"] == "selesai"


def test_the_export_examples_run_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("import", str(ROOT / "examples" / "register-2021.csv"),
        str(ROOT / "examples" / "evaluasi-2021.csv"))
    monkeypatch.chdir(tmp_path)
    commands = tour_commands('kerjasama config set region "Kabupaten Tanggamus"')
    assert len(commands) >= 8
    for command in commands:
        result = cli(*command, ok=False)
        assert result.exit_code == 0, (command, result.stderr)
    assert (tmp_path / "evaluasi-kerja-sama-2021.xlsx").is_file()
    assert (tmp_path / "laporan-2021" / "evaluasi-kerja-sama-2021.html").is_file()
    assert (tmp_path / "report-2021.html").is_file()
    assert (tmp_path / "register" / "register-kerja-sama-daftar-kerja-sama.csv").is_file()


def test_the_province_walkthrough_runs_as_written(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The regions' registers are SQLite files; the province's is each backend."""
    import shutil

    from typer.testing import CliRunner

    from kerjasama_cli.cli.app import app

    if "://" in db_url:
        from kerjasama_cli.db.engine import Register

        Register.open(db_url, upgrade=True).close()
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = tour_commands("# each kabupaten keeps its own register")
    assert len(commands) == 8
    runner = CliRunner()
    for command in commands:
        args = [db_url if word == "provinsi.db" else word for word in command]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stderr, result.exception)
    book = tmp_path / "evaluasi-kerja-sama-2021.xlsx"
    from openpyxl import load_workbook

    regions = [row[1] for row in load_workbook(book)["Per Daerah"].iter_rows(
        min_row=2, values_only=True)]
    assert regions == ["Kabupaten Pringsewu", "Kabupaten Tanggamus"]
    assert (tmp_path / "evaluasi-kerja-sama-2021.html").is_file()
    _dispose_engines()  # before the PostgreSQL schema is dropped


def _shown(command: str) -> tuple[list[str], list[str]]:
    """A README block that shows a command (after '$ ') and what it prints."""
    block = next(b for b in code_blocks() if b.startswith(f"$ {command}"))
    first, *printed = block.rstrip("\n").splitlines()
    return shlex.split(first[2:])[1:], printed


def test_the_import_reading_report_is_what_the_command_prints(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    args, printed = _shown("kerjasama import examples/daftar-ksd-pesawaran-2022.xlsx --dry-run")
    result = cli(*args)
    assert result.stdout.splitlines() == printed


def test_the_refused_import_prints_what_readme_shows(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    block = next(b for b in code_blocks() if b.startswith("examples/register-with-errors.csv:5"))
    result = cli("import", "examples/register-with-errors.csv", ok=False)
    output = (result.stdout + result.stderr).splitlines()
    for line in block.splitlines():
        if line != "...":
            assert line in output, line


def test_the_evaluation_with_the_opds_runs_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README "Evaluasi bersama OPD", command by command; where it says the OPD
    fills its form in, the test does, as Excel stores what people type."""
    from openpyxl import load_workbook

    cli("import", str(ROOT / "examples" / "register-2021.csv"),
        str(ROOT / "examples" / "evaluasi-2021.csv"))
    monkeypatch.chdir(tmp_path)
    commands = tour_commands("# Evaluasi bersama OPD")
    assert len(commands) >= 8
    returned = tmp_path / "kembali-2021" / "formulir-evaluasi-2021-dinas-pariwisata.xlsx"
    imports = 0

    def fill(progress: int | None) -> None:
        source = returned if returned.exists() else (
            tmp_path / "formulir-2021" / returned.name)
        workbook = load_workbook(source)
        sheet = workbook["Evaluasi 2021"]
        at = {cell.value: cell.column_letter for cell in sheet[1]}
        for row in range(2, sheet.max_row + 1):
            if sheet[f"{at['Nomor']}{row}"].value == "180/04/PKS/I.01/2021":
                sheet[f"{at['Tingkat Pelaksanaan']}{row}"] = "Terlaksana Sebagian"
                sheet[f"{at['Progres (%)']}{row}"] = progress
        returned.parent.mkdir(exist_ok=True)
        workbook.save(returned)

    for command in commands:
        if command[0] == "import":
            fill(None if imports == 0 else 60)
            imports += 1
        result = cli(*command, ok=False)
        assert result.exit_code == 0, (command, result.stderr)
    board = cli.json("evaluate", "2021", "--unit", "Pariwisata")
    assert isinstance(board, dict)
    [group] = board["groups"]
    assert (group["answered"], group["evaluated"], group["submitted"]) == (2, 2, 0)
    [answer] = [a["evaluation"] for a in group["agreements"]
                if a["number"] == "180/04/PKS/I.01/2021"]
    assert (answer["state"], answer["progress"]) == ("diverifikasi", 60)
