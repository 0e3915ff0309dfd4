"""Install-level checks: the console script, --help speed and weight, help everywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from kerjasama_cli.cli.app import app

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "openpyxl", "jinja2", "alembic", "docx")


def test_console_script_help() -> None:
    # The script pip installed beside this Python, as a user's shell would find it.
    script = Path(sys.executable).with_name("kerjasama")
    executable = str(script) if script.exists() else shutil.which("kerjasama")
    assert executable, "the kerjasama console script is not installed"
    result = subprocess.run([executable, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for command in ("add-mou", "add-pks", "add-adendum", "update", "extend", "terminate",
                    "show", "list", "due", "history", "check", "backup", "db", "config", "ref"):
        assert f"  {command} " in result.stdout


def test_help_loads_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['kerjasama', '--help']\n"
        "from kerjasama_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_has_help_and_an_example_where_it_writes() -> None:
    root: Any = typer.main.get_command(app)

    def walk(group: Any, path: str) -> list[tuple[str, Any]]:
        found = []
        for name, command in group.commands.items():
            found.append((f"{path} {name}", command))
            if hasattr(command, "commands"):
                found += walk(command, f"{path} {name}")
        return found

    commands = walk(root, "kerjasama")
    assert len(commands) > 20
    for path, command in commands:
        assert command.help or command.short_help, f"{path} has no help"
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{path} {param.opts} has no help"
    for name in ("add-mou", "add-pks", "add-adendum", "update", "extend", "terminate", "list"):
        command = root.commands[name]
        assert "kerjasama " + name in (command.help or ""), f"{name} help has no example"
