"""Two people writing the same new thing at once, each through the real CLI in its own
process: on PostgreSQL both get past the "is it there yet?" check before either commits;
on SQLite the second writer queues on the write lock and never gets that far.

The race is made deterministic by a hook on each process's engine: a writer stops at its
first INSERT/UPDATE (every existence check is behind it) until the test lets it go.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import Cli
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Evaluation, Partner, Unit

WAIT = 60  # seconds: generous for slow machines, never reached when all goes well


def _writer(db: str, args: list[str], arrived: Any, go: Any, results: Any, tag: str) -> None:
    """One `kerjasama` run, stopping at its first write until ``go`` is set."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from typer.testing import CliRunner

    from kerjasama_cli.cli.app import app

    stopped: list[bool] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not stopped and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE"):
            stopped.append(True)
            arrived.release()
            go.wait(WAIT)

    event.listen(Engine, "before_cursor_execute", hook)
    result = CliRunner().invoke(app, ["--db", db, *args])
    results.put((tag, result.exit_code, result.stdout + result.stderr, repr(result.exception)))


def race(db: str, first: list[str], second: list[str]) -> list[tuple[int, str]]:
    """Run two commands at once; their (exit code, output), sorted by exit code."""
    context = multiprocessing.get_context("spawn")
    arrived, go, results = context.Semaphore(0), context.Event(), context.Queue()
    workers = [
        context.Process(target=_writer, args=(db, args, arrived, go, results, tag))
        for tag, args in (("first", first), ("second", second))
    ]
    try:
        workers[0].start()
        assert arrived.acquire(timeout=WAIT), "the first writer never reached its write"
        workers[1].start()
        if "://" in db:
            # PostgreSQL: the second gets past its checks too, while the first waits.
            assert arrived.acquire(timeout=WAIT), "the second writer never reached its write"
        else:
            # SQLite: the second waits for the write lock, before any check of its own.
            assert not arrived.acquire(timeout=3), "SQLite let two writers in at once"
        go.set()
        outcomes = [results.get(timeout=WAIT) for _ in workers]
    finally:
        go.set()
        for worker in workers:
            worker.join(timeout=WAIT)
            if worker.is_alive():
                worker.kill()
    for tag, code, output, exception in outcomes:
        assert "Traceback" not in output and "duplicate key" not in output, (tag, output)
        assert code in (0, 4), (tag, code, output, exception)
    return sorted((code, output) for _tag, code, output, _exception in outcomes)


def _count(db: str, model: Any, *where: Any) -> int:
    register = Register.open(db)
    try:
        with register.reading() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        register.close()


ADD = ["add-mou", "--title", "Kerja sama", "--signed", "2021-01-01", "--term", "5 tahun"]


def test_two_people_add_the_same_new_partner_at_once(cli: Cli) -> None:
    """Both agreements are added, and share one partner."""
    outcomes = race(
        cli.db,
        [*ADD, "--number", "1/KB/2021", "--partner", "PT Mitra Baru"],
        [*ADD, "--number", "2/KB/2021", "--partner", "PT  mitra baru"],
    )
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert _count(cli.db, Partner) == 1
    listed = cli.json("list", "--partner", "Mitra Baru")
    assert isinstance(listed, list) and len(listed) == 2


def test_two_people_add_the_same_new_opd_at_once(cli: Cli) -> None:
    cli(*ADD, "--number", "0/KB/2021", "--partner", "Universitas Lampung")
    outcomes = race(
        cli.db,
        [*ADD, "--number", "1/KB/2021", "--partner", "Universitas Lampung",
         "--unit", "Dinas Baru"],
        ["finding", "add", "0/KB/2021", "--year", "2021", "--category", "kendala",
         "--text", "Data belum lengkap", "--owner", "Dinas Baru"],
    )
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert _count(cli.db, Unit) == 1


def test_two_people_record_the_first_evaluation_at_once(cli: Cli) -> None:
    cli(*ADD, "--number", "1/KB/2021", "--partner", "Universitas Lampung")
    outcomes = race(
        cli.db,
        ["evaluate", "2021", "1/KB/2021", "--level", "terlaksana"],
        ["evaluate", "2021", "1/KB/2021", "--level", "sebagian", "--progress", "40"],
    )
    assert _count(cli.db, Evaluation) == 1
    if "://" in cli.db:
        # Neither overwrites the other unseen: the second is told, and runs it again.
        (ok, _), (conflict, message) = outcomes
        assert (ok, conflict) == (0, 4), outcomes
        assert "at the same time" in message and "run it again" in message, message
    else:
        # SQLite: the second waited for the first, then changed its evaluation.
        assert [code for code, _ in outcomes] == [0, 0], outcomes
        assert any("Updated the 2021 evaluation" in output for _, output in outcomes), outcomes


def test_two_people_add_the_same_number_at_once(cli: Cli) -> None:
    cli(*ADD, "--number", "0/KB/2021", "--partner", "Universitas Lampung")
    outcomes = race(
        cli.db,
        [*ADD, "--number", "7/KB/2021", "--partner", "Universitas Lampung", "--note", "a"],
        [*ADD, "--number", "7/KB/2021", "--partner", "Universitas Lampung", "--note", "b"],
    )
    (ok, _), (conflict, message) = outcomes
    assert (ok, conflict) == (0, 4), outcomes
    assert "7/KB/2021" in message, message
    listed = cli.json("list", "--search", "7/KB/2021")
    assert isinstance(listed, list) and len(listed) == 1


def test_two_people_record_the_automatic_findings_at_once(cli: Cli) -> None:
    """`evaluate YEAR --record-auto` twice at once: each finding is stored once."""
    cli(*ADD, "--number", "1/KB/2021", "--partner", "Universitas Lampung",
        "--unit", "Dinas Pendidikan")
    outcomes = race(
        cli.db,
        ["evaluate", "2021", "--record-auto", "--json"],
        ["evaluate", "2021", "--record-auto", "--json"],
    )
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    listed = cli.json("finding", "list")
    assert isinstance(listed, list)
    rules = sorted(item["rule"] for item in listed)
    assert rules == ["kb-without-pks", "not-evaluated"], rules


@pytest.fixture(autouse=True)
def _quick_enough() -> Any:
    started = time.monotonic()
    yield
    assert time.monotonic() - started < 4 * WAIT
