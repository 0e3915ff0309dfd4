"""Two processes writing to one SQLite register at once: nothing lost, nothing locked."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

from sqlalchemy import func, select

from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Agreement, HistoryEntry
from kerjasama_cli.register import (
    Actor,
    PartnerSpec,
    create_agreement,
    read_fields,
    update_agreement,
)

WRITES = 30


def hammer(db: str, tag: str) -> None:
    """Each write is its own transaction, as separate CLI calls would be."""
    register = Register.open(db)
    actor = Actor(user=tag, command="test")
    for index in range(WRITES):
        with register.writing() as session:
            create_agreement(
                session, "kb", read_fields({"number": f"{tag}/{index}", "title": "t"}),
                partners=[PartnerSpec("Mitra Bersama")], units=["Dinas Bersama"], actor=actor,
            )
        with register.writing() as session:
            update_agreement(session, "shared", {"note": f"{tag} {index}"}, actor=actor)
    register.close()


def test_two_processes_write_at_once_without_loss(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    register = Register.open(db)
    with register.writing() as session:
        create_agreement(session, "kb", {"number": "shared", "title": "t"},
                         partners=[PartnerSpec("Mitra Bersama")], actor=Actor("x", "test"))
    register.close()

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=hammer, args=(db, tag)) for tag in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    assert [worker.exitcode for worker in workers] == [0, 0]

    register = Register.open(db)
    with register.reading() as session:
        assert session.scalar(select(func.count()).select_from(Agreement)) == 1 + 2 * WRITES
        shared = session.scalar(select(Agreement).where(Agreement.number == "shared"))
        assert shared is not None and shared.version == 1 + 2 * WRITES
        notes = session.scalars(
            select(HistoryEntry.new).where(HistoryEntry.agreement_id == shared.id,
                                           HistoryEntry.field == "note")
        ).all()
        assert sorted(notes) == sorted(f"{t} {i}" for t in "ab" for i in range(WRITES))
    with register.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    register.close()


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    from kerjasama_cli.db.backup import backup

    db = str(tmp_path / "busy.db")
    register = Register.open(db)
    with register.writing() as session:
        create_agreement(session, "kb", {"number": "shared", "title": "t"},
                         partners=[PartnerSpec("Mitra")], actor=Actor("x", "test"))
    context = multiprocessing.get_context("spawn")
    writer = context.Process(target=hammer, args=(db, "w"))
    writer.start()

    def written() -> int:
        with sqlite3.connect(db) as connection:
            count: int = connection.execute("SELECT count(*) FROM agreement").fetchone()[0]
        connection.close()
        return count

    deadline = time.monotonic() + 60
    while written() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    copies = []
    while writer.is_alive() and len(copies) < 5:
        copies.append(backup(register, tmp_path / f"copy{len(copies)}.db"))
    writer.join(timeout=240)
    assert writer.exitcode == 0
    register.close()
    assert copies
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            agreements = connection.execute("SELECT count(*) FROM agreement").fetchone()[0]
            history = connection.execute("SELECT count(*) FROM history").fetchone()[0]
        connection.close()
        # a snapshot between two transactions: every agreement has its "dibuat" entry
        assert 3 <= agreements <= 1 + WRITES
        assert history >= agreements
