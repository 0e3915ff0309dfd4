"""check, backup, db, config, ref, --version: the register as a whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from conftest import AddMou, Cli
from kerjasama_cli import __version__


def test_check_clean_register(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB")
    result = cli("check")
    assert "0 errors, 0 warnings" in result.stdout


def test_check_finds_every_kind_of_problem(cli: Cli, add_mou: AddMou, tmp_path: Path) -> None:
    document = tmp_path / "kb.pdf"
    document.write_bytes(b"original")
    gone = tmp_path / "gone.pdf"
    gone.write_bytes(b"x")
    add_mou("1/KB", signed="2021-01-01", term="2 tahun", file=str(document))
    cli("add-pks", "--mou", "1/KB", "--number", "1/PKS", "--title", "t",
        "--signed", "2021-02-01", "--end", "2024-12-31")
    cli("add-pks", "--number", "2/PKS", "--title", "tanpa KB", "--partner", "p",
        "--signed", "2021-02-01", "--end", "2022-01-01")
    add_mou("3/KB", signed="-", term="-", file=str(gone))
    add_mou("4/KB")
    document.write_bytes(b"tampered")
    gone.unlink()
    # Rows that only another tool (or an old import) could have written:
    engine = create_engine(cli.db if "://" in cli.db else f"sqlite:///{cli.db}")
    with engine.begin() as connection:
        connection.execute(text(
            "UPDATE agreement SET number = '1/kb', number_key = '1/kb', ends_on = '2019-01-01' "
            "WHERE number = '4/KB'"
        ))
    engine.dispose()

    result = cli("check", ok=False)
    assert result.exit_code == 1
    data = json.loads(cli("check", "--json", ok=False).stdout)
    found = {(p["number"], p["code"], p["severity"]) for p in data}
    assert ("1/PKS", "pks-outlives-kb", "error") in found
    assert ("2/PKS", "pks-without-kb", "warning") in found
    assert ("1/kb", "end-before-start", "error") in found
    assert ("1/kb", "duplicate-number", "error") in found
    assert ("1/KB", "duplicate-number", "error") in found
    assert ("3/KB", "missing-signed-date", "warning") in found
    assert ("3/KB", "missing-end-date", "warning") in found
    assert ("3/KB", "file-missing", "error") in found
    assert ("1/KB", "file-changed", "error") in found
    assert len(found) == 9
    assert "error" in result.stdout and "[pks-outlives-kb]" in result.stdout


def test_check_warnings_only_pass_unless_strict(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB", term="-")
    assert cli("check").exit_code == 0
    assert cli("check", "--strict", ok=False).exit_code == 1


def test_backup_is_a_working_copy(sqlite_cli: Cli, tmp_path: Path) -> None:
    sqlite_cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "p")
    target = tmp_path / "copies" / "backup.db"
    result = sqlite_cli("backup", str(target))
    assert result.stdout.strip() == str(target.resolve())
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT number FROM agreement").fetchall() == [("1/KB",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    again = sqlite_cli("backup", str(target), ok=False)
    assert again.exit_code == 5 and "exists already" in again.stderr
    assert sqlite_cli("backup", str(target), "--force").exit_code == 0
    restored = Cli(str(target), sqlite_cli.runner)
    assert [row["number"] for row in restored.json("list")] == ["1/KB"]  # type: ignore[union-attr]


def test_backup_of_postgres_points_to_pg_dump(cli: Cli, tmp_path: Path) -> None:
    if "://" not in cli.db:
        pytest.skip("PostgreSQL only")
    result = cli("backup", str(tmp_path / "x.db"), ok=False)
    assert result.exit_code == 5
    assert "pg_dump" in result.stderr


def test_db_path_follows_option_then_env_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_cli: Cli
) -> None:
    assert sqlite_cli("db", "path").stdout.strip() == str(Path(sqlite_cli.db).resolve())
    from kerjasama_cli.cli.app import app

    runner = CliRunner()
    monkeypatch.setenv("KERJASAMA_DB", str(tmp_path / "env.db"))
    assert runner.invoke(app, ["db", "path"]).stdout.strip() == str(tmp_path / "env.db")
    monkeypatch.delenv("KERJASAMA_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "kerjasama" / "kerjasama.db"
    assert runner.invoke(app, ["db", "path"]).stdout.strip() == str(expected)
    url = "postgresql+psycopg://someone:secret@db.example/kerjasama"
    shown = runner.invoke(app, ["--db", url, "db", "path"]).stdout.strip()
    assert shown == "postgresql+psycopg://someone:***@db.example/kerjasama"


def test_register_file_and_folders_are_created_on_first_use(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "kerjasama.db"
    cli = Cli(str(target), CliRunner())
    cli("db", "info")
    assert target.is_file()
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_unusable_register_is_a_clear_error(tmp_path: Path) -> None:
    from kerjasama_cli.cli.app import app

    folder = tmp_path / "folder.db"
    folder.mkdir()
    result = CliRunner().invoke(app, ["--db", str(folder), "list"])
    assert result.exit_code == 5
    assert result.stderr.startswith("Error: cannot open the register")
    bad_url = CliRunner().invoke(app, ["--db", "nosuch://x", "list"])
    assert bad_url.exit_code == 5
    assert "Traceback" not in bad_url.stderr


def test_db_info_and_upgrade(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB")
    info = cli("db", "info").stdout
    assert "agreements: 1" in info
    assert "up to date" in cli("db", "upgrade").stdout


def test_config_set_show_unset(cli: Cli) -> None:
    cli("config", "set", "region", "Kabupaten Tanggamus")
    cli("config", "set", "signatory_name", "Maryani")
    settings = cli.json("config", "show")
    assert isinstance(settings, dict)
    assert settings["region"] == "Kabupaten Tanggamus"
    assert settings["signatory-name"] == "Maryani"
    assert settings["warning-days"] == "90"
    bad = cli("config", "set", "warning-days", "banyak", ok=False)
    assert bad.exit_code == 2 and "is not a whole number" in bad.stderr
    unknown = cli("config", "set", "colour", "blue", ok=False)
    assert "is not a setting" in unknown.stderr
    cli("config", "unset", "region")
    settings = cli.json("config", "show")
    assert isinstance(settings, dict) and settings["region"] == ""



def test_the_forms_deadline_is_read_as_a_date(sqlite_cli: Cli) -> None:
    """evaluation-due is typed the way offices write dates and kept as one."""
    sqlite_cli("config", "set", "evaluation-due", "31 Januari 2022")
    sqlite_cli("config", "set", "contact", "kerjasama@tanggamus.go.id")
    settings = sqlite_cli.json("config", "show")
    assert isinstance(settings, dict)
    assert settings["evaluation-due"] == "2022-01-31"
    assert settings["contact"] == "kerjasama@tanggamus.go.id"
    bad = sqlite_cli("config", "set", "evaluation-due", "akhir Januari", ok=False)
    assert bad.exit_code == 2 and "evaluation-due" in bad.stderr
    assert sqlite_cli.json("config", "show")["evaluation-due"] == "2022-01-31"  # type: ignore[index]

def test_ref_lists(sqlite_cli: Cli) -> None:
    bidang = sqlite_cli.json("ref", "bidang")
    assert isinstance(bidang, list) and len(bidang) == 39
    assert "Koperasi, Usaha Kecil, dan Menengah" in sqlite_cli("ref", "bidang").stdout
    kinds = sqlite_cli("ref", "partner-kinds").stdout
    assert "perguruan-tinggi" in kinds and "Pemerintah Daerah Luar Negeri" in kinds
    assert "ksdpk" in sqlite_cli("ref", "kinds").stdout


def test_version(sqlite_cli: Cli) -> None:
    assert sqlite_cli("--version").stdout.strip() == f"kerjasama {__version__}"
