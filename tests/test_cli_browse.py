"""list, show, due, history: filters, formats, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from conftest import AddMou, Cli, snapshot


@pytest.fixture
def register(cli: Cli, add_mou: AddMou) -> Cli:
    """A small register: two KBs (one with a PKS), a KSDD, an ended one, a terminated one."""
    snapshot(cli, "browse-register", lambda: _build(cli, add_mou))
    return cli


def _build(cli: Cli, add_mou: AddMou) -> None:
    add_mou("1/KB/2021", title="Beasiswa ASN", partner="Universitas Lampung",
            kind="ksdpk", unit="Dinas Pendidikan", signed="2021-01-01", term="5 tahun")
    cli("add-pks", "--mou", "1/KB/2021", "--number", "1/PKS/2021", "--title",
        "Beasiswa S2", "--signed", "2021-03-01", "--end", "2021-12-31", "--value", "500.000.000")
    add_mou("2/KB/2020", title="Pengelolaan sampah", partner="Pemerintah Kabupaten Pringsewu",
            kind="ksdd", ksdd_category="wajib", unit="Dinas Lingkungan Hidup",
            signed="2020-02-01", term="2 tahun")
    add_mou("3/KB/2018", title="Listrik desa", partner="PT PLN (Persero)", kind="ksdpk",
            unit="Dinas Perhubungan", signed="2018-01-01", term="2 tahun")
    add_mou("4/KB/2021", title="Pariwisata", partner="Pemerintah Kota Metro", kind="ksdd",
            unit="Dinas Pariwisata", signed="2021-06-01", term="3 tahun")
    cli("terminate", "4/KB/2021", "--date", "2021-10-01", "--reason", "dibatalkan")


def numbers(rows: object) -> list[str]:
    assert isinstance(rows, list)
    return [row["number"] for row in rows]


def test_list_json_has_the_contract_keys(register: Cli) -> None:
    rows = register.json("list", "--as-of", "2021-06-30")
    assert isinstance(rows, list) and len(rows) == 5
    first = rows[0]
    for key in ("id", "doc_type", "number", "title", "status", "starts_on", "ends_on",
                "value", "parent_number", "partners", "units", "signed_on", "kind"):
        assert key in first
    pks = rows[1]
    assert pks["parent_number"] == "1/KB/2021"
    assert pks["value"] == 500000000
    assert pks["ends_on"] == "2021-12-31"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "berlaku"], ["1/KB/2021", "1/PKS/2021", "2/KB/2020", "4/KB/2021"]),
        (["--status", "berakhir"], ["3/KB/2018"]),
        (["--as-of", "2021-11-01", "--status", "diakhiri", "--status", "berakhir"],
         ["3/KB/2018", "4/KB/2021"]),
        (["--kind", "ksdd"], ["2/KB/2020", "4/KB/2021"]),
        (["--kind", "Antar Daerah"], ["2/KB/2020", "4/KB/2021"]),
        (["--doc-type", "pks"], ["1/PKS/2021"]),
        (["--doc-type", "MoU"], ["1/KB/2021", "2/KB/2020", "3/KB/2018", "4/KB/2021"]),
        (["--unit", "dinas pendidikan"], ["1/KB/2021", "1/PKS/2021"]),
        (["--unit", "Lingkungan"], ["2/KB/2020"]),
        (["--partner", "universitas lampung"], ["1/KB/2021", "1/PKS/2021"]),
        (["--year", "2019"], ["3/KB/2018"]),
        (["--year", "2022"], ["1/KB/2021", "2/KB/2020"]),
        (["--search", "BEASISWA"], ["1/KB/2021", "1/PKS/2021"]),
        (["--search", "pringsewu"], ["2/KB/2020"]),
        (["--search", "100%"], []),
        (["--sort", "end"], ["3/KB/2018", "1/PKS/2021", "2/KB/2020", "4/KB/2021", "1/KB/2021"]),
        (["--sort", "number", "--desc"],
         ["4/KB/2021", "3/KB/2018", "2/KB/2020", "1/PKS/2021", "1/KB/2021"]),
    ],
)
def test_list_filters(register: Cli, args: list[str], expected: list[str]) -> None:
    assert numbers(register.json("list", "--as-of", "2021-06-30", *args)) == expected


def test_list_unknown_unit_suggests(register: Cli) -> None:
    result = register("list", "--unit", "Dinas Pendidkan Nasional", ok=False)
    assert result.exit_code == 3
    assert "no perangkat daerah (unit) called" in result.stderr
    assert "'Dinas Pendidikan'" in result.stderr


def test_list_bad_status_and_sort(register: Cli) -> None:
    assert "is not a known status" in register("list", "--status", "aktiv", ok=False).stderr
    assert "is not a sort key" in register("list", "--sort", "colour", ok=False).stderr


def test_list_csv_is_spreadsheet_safe(register: Cli, add_mou: AddMou) -> None:
    add_mou("=HYPERLINK(1)", title="+cmd|' /C calc'!A0", partner="@evil")
    text = register("list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    assert rows[0]["number"] == "1/KB/2021"
    assert rows[0]["partners"] == "Universitas Lampung"
    evil = rows[-1]
    assert evil["number"] == "'=HYPERLINK(1)"
    assert evil["title"] == "'+cmd|' /C calc'!A0"
    assert evil["partners"] == "'@evil"


def test_list_table_shows_rows(register: Cli) -> None:
    out = register("list", "--as-of", "2021-06-30").stdout
    assert "1/KB/2021" in out and "berlaku" in out
    assert "5 agreements" in out


def test_show_table_in_indonesian(register: Cli) -> None:
    out = register("show", "1/PKS/2021", "--as-of", "2021-06-30").stdout
    assert "Perjanjian Kerja Sama" in out
    assert "Rp 500.000.000" in out
    assert "1 Maret 2021" in out
    assert "Induk" in out and "1/KB/2021" in out


def test_due_groups_and_kb_without_pks(register: Cli) -> None:
    report = register.json("due", "--as-of", "2021-11-15", "--within", "90")
    assert isinstance(report, dict)
    groups = report["groups"]
    assert list(groups) == ["overdue", "7", "30", "60", "90"]
    assert numbers(groups["60"]) == ["1/PKS/2021"]  # ends 31 Dec 2021, 46 days ahead
    assert numbers(groups["90"]) == ["2/KB/2020"]  # ends 31 Jan 2022, 77 days ahead
    assert numbers(groups["overdue"]) == []  # 3/KB/2018 ended 2019-12-31: over a year ago
    assert numbers(report["kb_without_pks"]) == ["2/KB/2020"]
    later = register.json("due", "--as-of", "2022-01-15", "--within", "30")
    assert isinstance(later, dict)
    assert list(later["groups"]) == ["overdue", "7", "30"]
    assert numbers(later["groups"]["overdue"]) == ["1/PKS/2021"]
    assert numbers(later["groups"]["30"]) == ["2/KB/2020"]  # ends 31 Jan 2022


def test_due_table(register: Cli) -> None:
    out = register("due", "--as-of", "2021-11-15").stdout
    assert "Berakhir dalam 60 hari (1)" in out
    assert "Kesepakatan Bersama tanpa PKS (1)" in out


def test_warning_days_setting_changes_status(register: Cli) -> None:
    # 1/PKS/2021 ends in 46 days, 2/KB/2020 in 77
    assert numbers(register.json("list", "--as-of", "2021-11-15", "--status",
                                 "akan-berakhir")) == ["1/PKS/2021", "2/KB/2020"]
    register("config", "set", "warning-days", "60")
    assert numbers(register.json("list", "--as-of", "2021-11-15", "--status",
                                 "akan-berakhir")) == ["1/PKS/2021"]


def test_history_table(register: Cli) -> None:
    out = register("history", "4/KB/2021").stdout
    assert "add-mou" in out and "terminate" in out and "dibatalkan" in out


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("PRAGMA", "BEGIN", "SELECT 1", "select pg_", "show ")):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--unit", "Dinas Pendidikan", "--search", "a", "--json"],
        ["due", "--json"],
        ["show", "1/KB/2021", "--json"],
        ["check", "--json"],
    ],
)
def test_reads_run_a_fixed_number_of_queries(
    register: Cli, add_mou: AddMou, command: list[str]
) -> None:
    register(*command, ok=False)  # warm up: schema check, settings
    with counted_queries() as small:
        register(*command, ok=False)
    for index in range(6):
        add_mou(f"9{index}/KB", unit="Dinas Pendidikan", partner=f"Mitra {index}")
        register("add-pks", "--mou", f"9{index}/KB", "--number", f"9{index}/PKS",
                 "--title", "a", "--signed", "2021-09-01")
    with counted_queries() as large:
        register(*command, ok=False)
    assert len(large) == len(small), "\n".join(large)
