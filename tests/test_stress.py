"""Four offices at once: 4 processes x 250 mixed operations on one register, nothing lost.

Each operation is its own transaction, as separate CLI calls would be: add an
agreement, change the note of one of five shared agreements, record an
evaluation (of a shared agreement or of one's own), raise a finding on a
shared agreement. A write refused as stale ("changed by someone else") is
repeated, as a user would. Afterwards every operation is found in the register
and in its history, and an SQLite file passes PRAGMA integrity_check.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Agreement, Evaluation, Finding, HistoryEntry
from kerjasama_cli.errors import Conflict
from kerjasama_cli.evaluation import add_finding, read_evaluation_fields, record_evaluation
from kerjasama_cli.register import (
    Actor,
    PartnerSpec,
    create_agreement,
    read_fields,
    update_agreement,
)

PROCESSES = 4
OPERATIONS = 250
SHARED = [f"BERSAMA/{index}/KB/2021" for index in range(5)]
KINDS = ("add", "note", "evaluate-shared", "finding", "evaluate-own")


def _kind(index: int) -> str:
    return KINDS[index % len(KINDS)]


def _retrying(register: Register, work: object, stale: Counter[str], kind: str) -> None:
    """Repeat a write refused as stale, the way a user repeats the command."""
    for _attempt in range(100):
        try:
            with register.writing() as session:
                work(session)  # type: ignore[operator]
            return
        except Conflict:
            stale[kind] += 1
    raise AssertionError(f"{kind} was refused 100 times in a row")


def office(db: str, tag: str, out: str) -> None:
    register = Register.open(db)
    actor = Actor(user=tag, command="stress")
    stale: Counter[str] = Counter()
    own: list[str] = []
    started = time.perf_counter()
    for index in range(OPERATIONS):
        kind = _kind(index)
        shared = SHARED[index % len(SHARED)]
        if kind == "add":
            number = f"{tag}/{index}/KB/2021"
            own.append(number)
            fields = read_fields({"number": number, "title": "t", "signed_on": "2021-02-01"})
            _retrying(register, lambda s, f=fields: create_agreement(
                s, "kb", f, partners=[PartnerSpec("Mitra Bersama")], units=["Dinas Bersama"],
                actor=actor), stale, kind)
        elif kind == "note":
            _retrying(register, lambda s, r=shared, n=f"{tag} {index}": update_agreement(
                s, r, {"note": n}, actor=actor), stale, kind)
        elif kind == "evaluate-shared":
            fields = read_evaluation_fields(
                {"progress": str(index % 100), "note": f"{tag} {index}"}
            )
            _retrying(register, lambda s, r=shared, f=fields: record_evaluation(
                s, 2021, r, f, actor=actor), stale, kind)
        elif kind == "finding":
            _retrying(register, lambda s, r=shared, t=f"{tag} {index}": add_finding(
                s, r, year=2021, category="kendala", text=t, actor=actor), stale, kind)
        else:
            fields = read_evaluation_fields({"level": "terlaksana", "note": f"{tag} {index}"})
            _retrying(register, lambda s, r=own[-1], f=fields: record_evaluation(
                s, 2021, r, f, actor=actor), stale, kind)
    register.close()
    Path(out).write_text(json.dumps({
        "stale": dict(stale), "own": own, "seconds": time.perf_counter() - started,
    }))


def test_four_offices_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    register = Register.open(db_url, upgrade=True)
    actor = Actor("setup", "stress")
    with register.writing() as session:
        for number in SHARED:
            create_agreement(session, "kb", read_fields({
                "number": number, "title": "bersama", "signed_on": "2021-01-04"}),
                partners=[PartnerSpec("Mitra Bersama")], units=["Dinas Bersama"], actor=actor)
            record_evaluation(session, 2021, number, read_evaluation_fields(
                {"level": "sebagian", "progress": "1"}), actor=actor)
    register.close()

    tags = [f"office{n}" for n in range(PROCESSES)]
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=office, args=(db_url, tag, str(tmp_path / f"{tag}.json")))
        for tag in tags
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    reports = {tag: json.loads((tmp_path / f"{tag}.json").read_text()) for tag in tags}

    per_office = Counter(_kind(index) for index in range(OPERATIONS))

    def done(kind: str) -> list[str]:
        return sorted(f"{t} {i}" for t in tags for i in range(OPERATIONS) if _kind(i) == kind)

    register = Register.open(db_url)
    with register.reading() as session:
        def count(table: type[object]) -> int:
            return session.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]

        def logged(ids: list[int], field: str) -> list[str]:
            entries = select(HistoryEntry.new).where(
                HistoryEntry.agreement_id.in_(ids), HistoryEntry.field == field
            )
            return sorted(str(entry) for entry in session.scalars(entries))

        own = {number for report in reports.values() for number in report["own"]}
        assert set(session.scalars(select(Agreement.number))) == own | set(SHARED)
        assert count(Agreement) == len(SHARED) + PROCESSES * per_office["add"]
        shared = select(Agreement.id).where(Agreement.number.in_(SHARED))
        shared_ids = list(session.scalars(shared))
        # Every change of a shared agreement landed, in some order, and is in its history.
        assert logged(shared_ids, "note") == done("note")
        assert logged(shared_ids, "evaluasi 2021: note") == done("evaluate-shared")
        # ... and bumped its version once: created, first evaluation, then each change.
        versions = select(func.sum(Agreement.version)).where(Agreement.id.in_(shared_ids))
        changes = PROCESSES * (per_office["note"] + per_office["evaluate-shared"])
        assert session.scalar(versions) == 2 * len(SHARED) + changes
        assert count(Evaluation) == len(SHARED) + PROCESSES * per_office["evaluate-own"]
        assert count(Finding) == PROCESSES * per_office["finding"]
        raised = select(HistoryEntry.new).where(HistoryEntry.field.like("temuan #%"))
        assert sorted(session.scalars(raised)) == done("finding")
    if register.backend == "sqlite":
        with register.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    register.close()
    seconds = max(report["seconds"] for report in reports.values())
    stale = sum(sum(report["stale"].values()) for report in reports.values())
    print(f"\n{register.backend}: {PROCESSES} x {OPERATIONS} operations in {seconds:.1f} s, "
          f"{stale} stale writes repeated")
