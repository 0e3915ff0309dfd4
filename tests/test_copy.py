"""kerjasama db copy: every row, history included, into another database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import Cli

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_copy_sqlite_register_to_any_backend(cli: Cli, tmp_path: Path) -> None:
    source = Cli(str(tmp_path / "source.db"), CliRunner())
    source("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
    source("evaluate", "2021", "--record-auto")
    source("update", "180/01/KB/I.01/2019", "--note", "dipindahkan")
    source("config", "set", "region", "Kabupaten Tanggamus")
    result = source("db", "copy", "--to", cli.db)
    assert "33 agreement" in result.stdout and "27 evaluation" in result.stdout
    for command in (["list", "--json"], ["history", "180/01/KB/I.01/2019", "--json"],
                    ["finding", "list", "--json"], ["config", "show", "--json"]):
        assert cli(*command).stdout == source(*command).stdout, command
    # ids continue after the copied ones on the new backend
    added = cli("add-mou", "--number", "baru", "--title", "t", "--partner", "p", "--json")
    assert '"id": 34' in added.stdout
    again = source("db", "copy", "--to", cli.db, ok=False)
    assert again.exit_code == 4 and "is not empty" in again.stderr
