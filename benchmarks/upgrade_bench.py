"""Upgrading an older register: time against a floor measured in the same run.

    python benchmarks/upgrade_bench.py [--sizes 5000,20000,100000] [--repeat 3]
                                       [--src PATH/TO/src]

For each size, builds once (outside any timing) a register of schema 0002 as
that release wrote it: N agreements (half KB, half PKS each linked to its KB,
one in six renewing another), a partner and an OPD link or two per agreement,
two history rows per agreement. Migration 0003 rebuilds the agreement table
(SQLite changes a table by copying it), the work that used to grow with the
square of the register (5k agreements 2.9 s, 20k 41 s, 300k over 20 minutes).

Measured, each in a fresh process on a fresh copy of that file:

- floor: plain sqlite3, no code of ours: ``CREATE TABLE ... AS SELECT * FROM
  agreement`` (copying the table the upgrade rebuilds) and committing;
- upgrade: ``Register.open`` of the file, which copies it aside
  (FILE.before-0002.bak) and runs the migrations to the newest schema in one
  transaction, foreign keys checked at the end.

Prints the best of --repeat runs. An upgrade has a fixed cost (loading
Alembic and the migration scripts, the checks), measured on an empty register
of the same schema; what grows with the register is the upgrade less that
cost: seconds per 1,000 agreements and the ratio to the floor, linear when
both stay flat as the size grows. After each upgrade, every table's row count and the PKS -> KB
links are checked against the file before it. ``--src`` runs the upgrade with
another checkout's code (the floor and the files are the same).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).parent
SRC = HERE.parent / "src"
FROM_REVISION = "0002"
TABLES = ("agreement", "partner", "unit", "agreement_partner", "agreement_unit", "history")

BUILD = r"""
import sys
sys.path.insert(0, sys.argv[2])
from alembic import command
from sqlalchemy import create_engine
from kerjasama_cli.db import migrate
engine = create_engine(f"sqlite:///{sys.argv[1]}")
with engine.begin() as connection:
    command.upgrade(migrate.alembic_config(connection), sys.argv[3])
engine.dispose()
"""

CHILD = r"""
import json, sqlite3, sys, time
mode, db = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
if mode == "floor":
    start = time.perf_counter()
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TABLE agreement_copy AS SELECT * FROM agreement")
    connection.execute("COMMIT")
    connection.close()
else:
    from kerjasama_cli.db.engine import Register  # imports outside the timing
    from kerjasama_cli.db import migrate
    migrate.known_revisions()
    start = time.perf_counter()
    register = Register.open(db)
    register.close()
    assert register.applied, "nothing was upgraded"
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def build(path: Path, agreements: int) -> None:
    """A register of schema FROM_REVISION with ``agreements`` agreements and their rows."""
    subprocess.run([sys.executable, "-c", BUILD, str(path), str(SRC), "0001"], check=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    partners, units = max(agreements // 20, 5), 40
    connection.executemany(
        "INSERT INTO partner (id, name, name_key) VALUES (?, ?, ?)",
        ((i, f"Mitra {i}", f"mitra {i}") for i in range(1, partners + 1)),
    )
    connection.executemany(
        "INSERT INTO unit (id, name, name_key) VALUES (?, ?, ?)",
        ((i, f"Dinas {i}", f"dinas {i}") for i in range(1, units + 1)),
    )

    def agreement_rows() -> Iterator[tuple[object, ...]]:
        for i in range(1, agreements + 1):
            kb = i % 2 == 1
            number = f"180/{i}/{'KB' if kb else 'PKS'}/2021"
            yield (
                i, "kb" if kb else "pks", number, number.lower(),
                f"Kerja sama pengembangan sumber daya manusia nomor {i}",
                "2021-01-01", "2026-01-01", None if kb else i - 1,
                i - 2 if i > 2 and i % 6 == 0 else None,
            )

    connection.executemany(
        "INSERT INTO agreement (id, doc_type, number, number_key, title, signed_on, ends_on, "
        "parent_id, renews_id, ends_on_derived, version, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,0,1,'2021-01-01','2021-01-01')",
        agreement_rows(),
    )
    connection.executemany(
        "INSERT INTO agreement_partner (agreement_id, partner_id, position) VALUES (?,?,?)",
        (
            (i, partner, position)
            for i in range(1, agreements + 1)
            for position, partner in enumerate(
                dict.fromkeys((i % partners + 1, (i * 7) % partners + 1))
            )
        ),
    )
    connection.executemany(
        "INSERT INTO agreement_unit (agreement_id, unit_id, position) VALUES (?,?,0)",
        ((i, i % units + 1) for i in range(1, agreements + 1)),
    )
    connection.executemany(
        "INSERT INTO history (agreement_id, at, user_name, command, field, old, new) "
        "VALUES (?, '2021-01-01', 'budi', 'import', ?, NULL, 'x')",
        ((i, field) for i in range(1, agreements + 1) for field in ("title", "ends_on")),
    )
    connection.execute("COMMIT")
    connection.close()
    subprocess.run(
        [sys.executable, "-c", BUILD, str(path), str(SRC), FROM_REVISION], check=True
    )


def contents(path: Path) -> tuple[dict[str, int], int]:
    connection = sqlite3.connect(path)
    try:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }
        linked = connection.execute(
            "SELECT count(*) FROM agreement a JOIN agreement k ON a.parent_id = k.id "
            "WHERE k.doc_type = 'kb'"
        ).fetchone()[0]
        return counts, linked
    finally:
        connection.close()


def measure(mode: str, template: Path, work: Path, src: Path) -> float:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    db = work / "register.db"
    shutil.copyfile(template, db)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(db), str(src)],
        check=True, capture_output=True, text=True,
    )
    seconds = float(json.loads(done.stdout)["seconds"])
    if mode == "upgrade":
        assert contents(db) == contents(template), "the upgrade lost rows or links"
        assert (work / f"register.db.before-{FROM_REVISION}.bak").is_file()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=SRC, help="the code to upgrade with")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"best of {args.repeat}, upgrading schema {FROM_REVISION} with {args.src}")
    with tempfile.TemporaryDirectory(prefix="kerjasama-upgrade-bench-") as folder:
        root = Path(folder)
        empty = root / "template-0.db"
        build(empty, 0)
        fixed = min(measure("upgrade", empty, root / "work", args.src)
                    for _ in range(args.repeat))
        print(f"fixed cost (an empty register of schema {FROM_REVISION}): {fixed:.3f} s")
        print(f"{'agreements':>10}  {'floor s':>8}  {'upgrade s':>9}  {'less fixed':>10}  "
              f"{'s/1k':>6}  {'ratio':>6}")
        for size in sizes:
            template = root / f"template-{size}.db"
            build(template, size)
            floor = min(measure("floor", template, root / "work", SRC)
                        for _ in range(args.repeat))
            upgrade = min(measure("upgrade", template, root / "work", args.src)
                          for _ in range(args.repeat))
            grows = max(upgrade - fixed, 0.0)
            print(f"{size:>10,}  {floor:>8.3f}  {upgrade:>9.3f}  {grows:>10.3f}  "
                  f"{grows / size * 1000:>6.3f}  {grows / floor:>6.1f}", flush=True)
            template.unlink()


if __name__ == "__main__":
    main()
