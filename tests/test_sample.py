"""The sample register in examples/ imports cleanly and says what the README says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def sample(cli: Cli) -> Cli:
    result = cli("import", str(EXAMPLES / "register-2021.csv"))
    assert "33 rows: 33 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid" in result.stdout
    return cli


def numbers(rows: Any) -> list[str]:
    return [row["number"] for row in rows]


def test_sample_loads_33_documents(sample: Cli) -> None:
    rows = sample.json("list")
    assert len(rows) == 33  # type: ignore[arg-type]
    kinds = {row["doc_type"] for row in rows}  # type: ignore[union-attr]
    assert kinds == {"kb", "pks", "adendum", "nota-kesepakatan"}


def test_sample_2021_as_the_office_sees_it(sample: Cli) -> None:
    in_force = sample.json("list", "--year", "2021", "--as-of", "2021-12-31")
    assert len(in_force) == 31  # type: ignore[arg-type]
    due = sample.json("due", "--as-of", "2021-12-31")
    assert numbers(due["kb_without_pks"]) == ["180/05/KB/I.01/2021"]  # type: ignore[index]
    statuses = {row["status"] for row in in_force}  # type: ignore[union-attr]
    assert {"berlaku", "berakhir", "diakhiri", "akan-berakhir"} <= statuses
    units = {u["name"] for row in in_force for u in row["units"]}  # type: ignore[union-attr]
    assert "Dinas Kesehatan" in units and "dinas kesehatan" not in units
    bpd = sample.json("show", "180/12/PKS/I.01/2020")
    assert bpd["partners"] == [  # type: ignore[index]
        {"name": "PT Bank Pembangunan Daerah Lampung", "kind": "bumd"}]
    assert bpd["parent_number"] == "180/04/KB/I.01/2020"  # type: ignore[index]


def test_sample_check_finds_the_one_planted_error(sample: Cli) -> None:
    result = sample("check", "--json", ok=False)
    assert result.exit_code == 1
    found = [(p["number"], p["code"]) for p in json.loads(result.stdout)]
    assert found == [("180/11/PKS/I.01/2020", "pks-outlives-kb")]


def test_sample_imports_twice_without_change(sample: Cli) -> None:
    again = sample("import", str(EXAMPLES / "register-2021.csv"))
    assert "0 created, 0 updated, 33 unchanged, 0 skipped, 0 invalid" in again.stdout
