"""Two processes writing to one SQLite register at once: nothing lost, nothing locked."""

from __future__ import annotations

import multiprocessing
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
