"""A crash or kill in the middle of an import leaves the register as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import synthetic


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as connection:
        result = tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                       for table in ("agreement", "agreement_partner", "history"))
    connection.close()
    return result  # type: ignore[return-value]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_killed_import_leaves_the_register_intact(tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    source = synthetic.write_csv(tmp_path / "big.csv", 30_000)
    subprocess.run([sys.executable, "-m", "kerjasama_cli", "--db", str(db), "add-mou",
                    "--number", "1/KB/ASLI", "--title", "Sudah ada", "--partner", "Mitra"],
                   check=True, capture_output=True)
    before = counts(db)
    assert before == (1, 1, 1)

    process = subprocess.Popen(
        [sys.executable, "-m", "kerjasama_cli", "--db", str(db), "import", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wal = Path(str(db) + "-wal")
    deadline = time.monotonic() + 120
    # Kill it once it is writing: its uncommitted pages are reaching the WAL file.
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed"
    readers = children(process.pid)
    assert readers, "a file this large is read by a second process"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    # the reading process goes with it, instead of waiting forever on a full pipe
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in readers):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in readers), "the reading process outlived the import"

    assert counts(db) == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    # and the register still works: the same import now goes through whole
    result = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "--db", str(db), "import", str(source)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert counts(db)[0] == 30_001
