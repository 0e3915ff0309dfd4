"""The sample register in examples/ loads cleanly and says what the README says."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

SCRIPT = Path(__file__).parent.parent / "examples" / "sample-register.sh"


def script_commands() -> list[list[str]]:
    """The kerjasama calls of the shell script, as argument lists."""
    text = SCRIPT.read_text(encoding="utf-8").replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "k":
            commands.append(words[1:])
        elif words[:3] == ["kerjasama", "--db", "$DB"] and words[3] != "list":
            commands.append([w for w in words[3:] if not w.startswith(">")])
    return commands


@pytest.fixture
def sample(cli: Cli) -> Cli:
    for command in script_commands():
        cli(*command)
    return cli


def numbers(rows: Any) -> list[str]:
    return [row["number"] for row in rows]


def test_sample_loads_33_documents(sample: Cli) -> None:
    rows = sample.json("list")
    assert len(rows) == 33  # type: ignore[arg-type]
    kinds = {row["doc_type"] for row in rows}  # type: ignore[union-attr]
    assert kinds == {"kb", "pks", "adendum", "nota-kesepakatan"}
    assert len(script_commands()) == 38


def test_sample_2021_as_the_office_sees_it(sample: Cli) -> None:
    in_force = sample.json("list", "--year", "2021", "--as-of", "2021-12-31")
    assert len(in_force) == 31  # type: ignore[arg-type]
    due = sample.json("due", "--as-of", "2021-12-31")
    assert numbers(due["kb_without_pks"]) == ["180/05/KB/I.01/2021"]  # type: ignore[index]
    statuses = {row["status"] for row in in_force}  # type: ignore[union-attr]
    assert {"berlaku", "berakhir", "diakhiri", "akan-berakhir"} <= statuses
    units = {u["name"] for row in in_force for u in row["units"]}  # type: ignore[union-attr]
    assert "Dinas Kesehatan" in units and "dinas kesehatan" not in units


def test_sample_check_finds_the_one_planted_error(sample: Cli) -> None:
    result = sample("check", "--json", ok=False)
    assert result.exit_code == 1
    found = [(p["number"], p["code"]) for p in json.loads(result.stdout)]
    assert found == [("180/11/PKS/I.01/2020", "pks-outlives-kb")]
