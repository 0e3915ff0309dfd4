"""kill -9 at any moment of a write leaves the register whole: each write is all
or nothing. Processes are killed at moments spread over their whole run (a seeded
random draw), and the register is checked after each kill: SQLite's integrity
check passes, and every table holds what it held before or what the complete
command leaves, never anything between."""

from __future__ import annotations

import csv
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import synthetic

TABLES = ("agreement", "agreement_partner", "agreement_unit", "partner", "unit", "history",
          "evaluation", "finding")
KILLS = 8  # per command


def kerjasama(*args: str) -> list[str]:
    return [sys.executable, "-m", "kerjasama_cli", *args]


def counts(db: Path) -> tuple[int, ...]:
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in TABLES)
    finally:
        connection.close()


def run_whole(command: list[str]) -> float:
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - start


def kill_at(command: list[str], after: float) -> bool:
    """Run ``command``, kill -9 it ``after`` seconds; whether it was still running."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def survive_kills(tmp_path: Path, start: Path, command: Callable[[Path], list[str]],
                  seed: int) -> int:
    """Kill ``command`` on copies of ``start`` at moments spread over its run."""
    whole = tmp_path / "whole.db"
    shutil.copy(start, whole)
    before = counts(start)
    duration = run_whole(command(whole))
    after = counts(whole)
    assert after != before, "the command changes the register"
    draw = random.Random(seed)
    killed = 0
    for attempt in range(KILLS):
        db = tmp_path / f"killed-{attempt}.db"
        shutil.copy(start, db)
        # From the start-up to past the end: some kills land before the first
        # write, some in the middle of the transaction, some at its commit.
        if kill_at(command(db), draw.uniform(0.15, duration * 1.05)):
            killed += 1
        assert counts(db) in (before, after), f"kill {attempt} left a half-written register"
        # and the register still works after it
        run_whole(command(db))
        assert counts(db) == after
    return killed


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A register with a few thousand agreements, and a CSV of a few thousand more."""
    folder = tmp_path_factory.mktemp("kills")
    register = folder / "start.db"
    first = synthetic.write_csv(folder / "first.csv", 2_000, seed=1)
    subprocess.run(kerjasama("--db", str(register), "import", str(first)),
                   check=True, capture_output=True)
    more = synthetic.write_csv(folder / "more.csv", 2_500, seed=2)
    return register, more


@pytest.mark.slow
def test_an_import_killed_anywhere_leaves_the_register_whole(
    tmp_path: Path, started: tuple[Path, Path]
) -> None:
    register, more = started
    killed = survive_kills(
        tmp_path, register, lambda db: kerjasama("--db", str(db), "import", str(more)), seed=3)
    assert killed >= KILLS // 2  # most kills landed while it was running


@pytest.mark.slow
def test_a_merge_killed_anywhere_leaves_the_roll_up_whole(
    tmp_path: Path, started: tuple[Path, Path]
) -> None:
    register, _ = started
    region = tmp_path / "region.db"
    shutil.copy(register, region)
    subprocess.run(kerjasama("--db", str(region), "config", "set", "region",
                             "Kabupaten Pesawaran"), check=True, capture_output=True)
    empty = tmp_path / "empty.db"
    subprocess.run(kerjasama("--db", str(empty), "db", "upgrade"), check=True,
                   capture_output=True)
    killed = survive_kills(
        tmp_path, empty, lambda db: kerjasama("--db", str(db), "merge", str(region)), seed=4)
    assert killed >= KILLS // 2


@pytest.mark.slow
def test_an_update_import_killed_anywhere_leaves_the_register_whole(
    tmp_path: Path, started: tuple[Path, Path]
) -> None:
    register, _ = started
    # The register's own agreements, every title changed.
    rows = list(csv.reader(synthetic.write_csv(tmp_path / "same.csv", 2_000, seed=1)
                           .read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    title = rows[0].index("Tentang")
    for row in rows[1:]:
        row[title] = "Diubah: " + row[title]
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    killed = survive_kills(
        tmp_path, register,
        lambda db: kerjasama("--db", str(db), "import", str(changed), "--on-conflict", "update"),
        seed=6)
    assert killed >= KILLS // 2
