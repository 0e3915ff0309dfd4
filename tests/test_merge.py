"""`kerjasama merge` and `export --by-region`: a province rolls its regions' registers up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import Cli, snapshot
from kerjasama_cli.errors import ExitCode

EXAMPLES = Path(__file__).parent.parent / "examples"
TANGGAMUS, PRINGSEWU = "Kabupaten Tanggamus", "Kabupaten Pringsewu"


def _region_register(path: Path, region: str) -> Cli:
    """The sample register with its 2021 evaluation, as one kabupaten keeps it."""
    source = Cli(str(path), CliRunner())

    def build() -> None:
        source("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
        source("evaluate", "2021", "--record-auto")

    snapshot(source, "merge-source", build)
    source("config", "set", "region", region)
    return source


@pytest.fixture
def regions(tmp_path: Path) -> tuple[Cli, Cli]:
    folder = tmp_path / "kab"
    folder.mkdir()
    return (
        _region_register(folder / "tanggamus.db", TANGGAMUS),
        _region_register(folder / "pringsewu.db", PRINGSEWU),
    )


def _merge(cli: Cli, *sources: str, ok: bool = True) -> list[dict[str, object]]:
    result = cli("merge", "--region-from-config", *sources, "--json", ok=ok)
    return json.loads(result.stdout) if ok else []


def _count(source: Cli, *args: str) -> int:
    return len(source.json(*args))  # type: ignore[arg-type]


def test_merge_tags_regions_and_brings_everything(cli: Cli, regions: tuple[Cli, Cli]) -> None:
    tanggamus, pringsewu = regions
    summaries = _merge(cli, tanggamus.db, pringsewu.db)
    assert [(s["region"], s["created"], s["updated"], s["unchanged"]) for s in summaries] == [
        (TANGGAMUS, 33, 0, 0),
        (PRINGSEWU, 33, 0, 0),
    ]
    assert summaries[0]["findings"] == _count(tanggamus, "finding", "list")
    listed = cli.json("list")
    assert len(listed) == 66  # type: ignore[arg-type]
    assert {a["region"] for a in listed} == {TANGGAMUS, PRINGSEWU}  # type: ignore[index,union-attr]
    assert _count(cli, "list", "--region", "tanggamus") == 33
    info = cli("db", "info").stdout
    assert f"regions:    2: {PRINGSEWU} (33), {TANGGAMUS} (33)" in info
    # The same number in two regions is two agreements, and no integrity problem.
    checked = cli("check", "--json", ok=False)
    assert "duplicate-number" not in checked.stdout
    # OPDs belong to their region; history and evaluations came along.
    shown = cli.json("show", "id:1")
    assert shown["units"][0]["name"].endswith(f"({TANGGAMUS})")  # type: ignore[index]
    number = shown["number"]  # type: ignore[index]
    ambiguous = cli("show", number, ok=False)
    assert ambiguous.exit_code == ExitCode.CONFLICT
    assert TANGGAMUS in ambiguous.stderr and PRINGSEWU in ambiguous.stderr
    own = tanggamus.json("history", number)
    merged = cli.json("history", "id:1")
    assert len(merged["history"]) == len(own["history"]) > 0  # type: ignore[index]
    board = cli.json("evaluate", "2021")
    own_board = tanggamus.json("evaluate", "2021")
    assert board["numbers"]["evaluated"] == 2 * own_board["numbers"]["evaluated"]  # type: ignore[index]
    # One region's board in the roll-up is that region's own board.
    regional = cli.json("evaluate", "2021", "--region", "Tanggamus")
    for name in ("in_force", "evaluated", "coverage_pct", "implementation_index", "findings_open"):
        assert regional["numbers"][name] == own_board["numbers"][name], name  # type: ignore[index]
    assert len(regional["groups"]) == len(own_board["groups"])  # type: ignore[arg-type]
    unknown = cli("evaluate", "2021", "--region", "Kota Tidak Ada", ok=False)
    assert unknown.exit_code == ExitCode.NOT_FOUND
    assert "its regions: Kabupaten Pringsewu, Kabupaten Tanggamus" in unknown.stderr


def test_merging_again_updates_and_never_duplicates(cli: Cli, regions: tuple[Cli, Cli]) -> None:
    tanggamus, pringsewu = regions
    _merge(cli, tanggamus.db, pringsewu.db)
    counts = (_count(cli, "list"), _count(cli, "finding", "list"))
    again = _merge(cli, tanggamus.db, pringsewu.db)
    assert [(s["created"], s["updated"], s["unchanged"]) for s in again] == [(0, 0, 33)] * 2
    assert (_count(cli, "list"), _count(cli, "finding", "list")) == counts

    first = tanggamus.json("show", "id:1")
    tanggamus("update", "id:1", "--title", "Tri Dharma (diubah)")
    tanggamus("add-mou", "--number", "999/KB/2022", "--title", "Baru", "--partner", "Mitra Baru",
              "--signed", "2022-01-03", "--term", "2 tahun")
    summary = _merge(cli, tanggamus.db)[0]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (1, 1, 32)
    merged = cli.json("list", "--region", TANGGAMUS)
    assert len(merged) == 34
    changed = next(a for a in merged if a["number"] == first["number"])  # type: ignore[index]
    assert changed["title"] == "Tri Dharma (diubah)"
    assert changed["version"] == 2
    history = cli.json("history", f"id:{changed['id']}")["history"]  # type: ignore[index]
    assert any(entry["new"] == "Tri Dharma (diubah)" for entry in history)
    # The other region was not touched.
    assert _count(cli, "list", "--region", PRINGSEWU) == 33


def test_region_names(cli: Cli, regions: tuple[Cli, Cli], tmp_path: Path) -> None:
    tanggamus, pringsewu = regions
    result = cli("merge", tanggamus.db, f"Kota Metro={pringsewu.db}", "--json")
    assert [s["region"] for s in json.loads(result.stdout)] == ["tanggamus", "Kota Metro"]

    unnamed = Cli(str(tmp_path / "kab" / "lain.db"), CliRunner())
    unnamed("import", str(EXAMPLES / "register-2021.csv"))
    refused = cli("merge", "--region-from-config", unnamed.db, ok=False)
    assert refused.exit_code == ExitCode.INVALID_INPUT
    assert "has no region set" in refused.stderr
    assert "config set region" in refused.stderr


def test_bad_sources_are_refused(cli: Cli, regions: tuple[Cli, Cli], tmp_path: Path) -> None:
    tanggamus, _ = regions
    missing = cli("merge", str(tmp_path / "tidak-ada.db"), ok=False)
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert "no register at" in missing.stderr
    assert not (tmp_path / "tidak-ada.db").exists()
    twice = cli("merge", "--region-from-config", tanggamus.db, tanggamus.db, ok=False)
    assert twice.exit_code == ExitCode.CONFLICT
    assert "both" in twice.stderr
    assert _count(cli, "list") == 0


def test_a_register_is_not_merged_into_itself(sqlite_cli: Cli) -> None:
    sqlite_cli("import", str(EXAMPLES / "register-2021.csv"))
    result = sqlite_cli("merge", sqlite_cli.db, ok=False)
    assert result.exit_code == ExitCode.CONFLICT
    assert "is the register being merged into" in result.stderr


def test_the_sources_are_only_read(cli: Cli, regions: tuple[Cli, Cli]) -> None:
    tanggamus, _ = regions
    with sqlite3.connect(tanggamus.db) as connection:
        before = connection.execute("SELECT count(*), max(version) FROM agreement").fetchone()
    connection.close()
    _merge(cli, tanggamus.db)
    with sqlite3.connect(tanggamus.db) as connection:
        after = connection.execute("SELECT count(*), max(version) FROM agreement").fetchone()
    connection.close()
    assert before == after


def test_export_by_region(cli: Cli, regions: tuple[Cli, Cli], tmp_path: Path) -> None:
    tanggamus, pringsewu = regions
    # Pringsewu evaluates one more agreement, so the two regions' lines differ.
    waiting = [
        row["id"]
        for group in pringsewu.json("evaluate", "2021")["groups"]  # type: ignore[index]
        for row in group["agreements"]
        if row["evaluation"] is None
    ]
    pringsewu("evaluate", "2021", f"id:{waiting[0]}", "--level", "terlaksana")
    _merge(cli, tanggamus.db, pringsewu.db)
    cli("config", "set", "region", "Provinsi Lampung")
    out = tmp_path / "out"
    cli("export", "2021", "--by-region", "--xlsx", "--md", "-o", str(out))
    book = openpyxl.load_workbook(out / "evaluasi-kerja-sama-2021.xlsx")
    assert book.sheetnames[:3] == ["Ringkasan", "Per Daerah", "Daftar Kerja Sama"]
    rows = list(book["Per Daerah"].iter_rows(values_only=True))
    assert rows[0] == (
        "No", "Daerah", "Kerja Sama Berlaku", "Sudah Dievaluasi", "Belum Dievaluasi",
        "Cakupan Evaluasi (%)", "Indeks Pelaksanaan", "Temuan Terbuka",
    )
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {TANGGAMUS, PRINGSEWU}
    for name, source in ((TANGGAMUS, tanggamus), (PRINGSEWU, pringsewu)):
        numbers = source.json("evaluate", "2021")["numbers"]  # type: ignore[index]
        row = by_name[name]
        assert row[2:8] == (
            numbers["in_force"],
            numbers["evaluated"],
            numbers["in_force"] - numbers["evaluated"],
            numbers["coverage_pct"],
            numbers["implementation_index"],
            numbers["findings_open"],
        )
    register = list(book["Daftar Kerja Sama"].iter_rows(values_only=True))
    assert register[0][:3] == ("No", "Daerah", "Jenis Dokumen")
    assert {row[1] for row in register[1:]} == {TANGGAMUS, PRINGSEWU}
    report = (out / "evaluasi-kerja-sama-2021.md").read_text(encoding="utf-8")
    assert "### 2.1 Per daerah" in report
    assert f"| {TANGGAMUS} | " in report

    plain = tmp_path / "plain.xlsx"
    cli("export", "2021", "--xlsx", "-o", str(plain))
    assert "Per Daerah" not in openpyxl.load_workbook(plain).sheetnames
    refused = cli("export", "--by-region", ok=False)
    assert refused.exit_code == ExitCode.INVALID_INPUT
    assert "needs the evaluation YEAR" in refused.stderr


def test_a_shared_register_is_a_source_too(cli: Cli, tmp_path: Path) -> None:
    """A region whose register is on PostgreSQL is merged by its URL."""
    cli("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
    cli("config", "set", "region", "Kota Metro")
    province = Cli(str(tmp_path / "provinsi.db"), CliRunner())
    summary = json.loads(
        province("merge", "--region-from-config", cli.db, "--json").stdout
    )[0]
    evaluated = cli.json("evaluate", "2021")["numbers"]["evaluated"]  # type: ignore[index]
    assert (summary["region"], summary["created"], summary["evaluations"]) == (
        "Kota Metro", 33, evaluated,
    )
    assert _count(province, "list", "--region", "metro") == 33


def test_an_old_or_foreign_source_is_refused_untouched(cli: Cli, tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from kerjasama_cli.db import migrate

    old = tmp_path / "lama.db"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0002")
    engine.dispose()
    refused = cli("merge", str(old), ok=False)
    assert refused.exit_code == ExitCode.REGISTER
    assert "older than" in refused.stderr and "db upgrade" in refused.stderr
    assert not list(tmp_path.glob("lama.db.before-*"))  # not upgraded behind its back

    foreign = tmp_path / "pegawai.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE pegawai (nip TEXT)")
    connection.close()
    refused = cli("merge", str(foreign), ok=False)
    assert refused.exit_code == ExitCode.REGISTER
    assert "not a kerjasama register" in refused.stderr
