"""A large import in two processes: one reads and validates, the other writes.

Validation is pure Python and so is most of writing; on one core they take
turns, on two they overlap. The child process opens the file itself (an XLSX
sheet is read there too), finds its tables and validates them with the same
code as a one-process import, and sends the valid rows in chunks through a
pipe; this process writes each chunk as it arrives, in the import's one
transaction. Everything the user sees, the summary, the problems, all or
nothing, is the same.

Used on Linux (fork: the child starts at once, with everything imported) for
files big enough that the second process pays for itself, and only when the
file holds agreements alone; any other file is imported in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import KerjasamaError
from kerjasama_cli.importing.plan import (
    finish_summary,
    plan_file,
    region_itself,
    start_summary,
    table_infos,
)
from kerjasama_cli.importing.records import Row, as_rows
from kerjasama_cli.importing.summary import FileSummary, ImportFailed, ImportOptions
from kerjasama_cli.importing.validate import validate
from kerjasama_cli.importing.write import write_chunks
from kerjasama_cli.register import Actor

# About 6,000 agreements: below it a second process costs more than it saves.
MIN_BYTES = 2_000_000
# A small first chunk, so that writing starts soon after the file is opened.
FIRST = 1_000
READABLE = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


def available() -> bool:
    return sys.platform == "linux"


def worth_a_second_process(path: str) -> bool:
    if path == "-" or not available():
        return False
    file = Path(path)
    try:
        return (
            file.suffix.lower() in READABLE and file.is_file() and file.stat().st_size >= MIN_BYTES
        )
    except OSError:
        return False


def _read_and_validate(
    path: str, options: ImportOptions, out: Connection, theirs: Connection, parent: int
) -> None:
    """The child: the plan first, then chunks of valid rows, then what validation learned."""
    # Ctrl-C reaches both processes; the writing one stops the import (and this one).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The writing process's end of the pipe came along with fork: closed here, a send
    # fails once that process is gone, however it ended (kill -9 included).
    theirs.close()
    _end_with_parent(parent)
    try:
        plan = plan_file(path, options)
        if plan.types != ["agreements"]:
            out.send(("other",))  # the writing process imports it the one-process way
            return
        tables = plan.tables
        region = region_itself(tables, options.region)
        plan.reading.region_itself = list(region.names)
        summary = start_summary(plan, tables, "agreements")
        out.send(("plan", summary, table_infos(tables)))
        for chunk in validate(tables, summary, region, None, first=FIRST):
            out.send(("rows", summary.rows, chunk))
        out.send(
            (
                "end",
                summary.rows,
                summary.invalid,
                summary.problems,
                summary.warnings,
                summary.invalid_numbers,
                summary.reading,
            )
        )
    except KerjasamaError as error:
        _send(out, ("error", error.message, error.hint))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the writing process is gone: so is the import
    except Exception as error:  # told by the writing process, as it tells its own
        if os.environ.get("KERJASAMA_DEBUG"):
            raise
        _send(out, ("error", *_unforeseen(path, error)))
    finally:
        with contextlib.suppress(OSError):
            out.close()


def _unforeseen(path: str, error: Exception) -> tuple[str, str]:
    if isinstance(error, MemoryError):
        return f"{path}: not enough memory to read it", "split the file, or close other programs"
    if isinstance(error, OSError):
        return f"{path}: {error.strerror or error}", "check the file and its permissions"
    return (
        f"{path}: reading failed unexpectedly ({type(error).__name__}: {error})",
        "this is a bug: please report it with the file (KERJASAMA_DEBUG=1 shows the details)",
    )


def _send(out: Connection, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        out.send(message)


def _end_with_parent(parent: int) -> None:
    """Ask Linux to end this process when the one that forked it ends (PR_SET_PDEATHSIG):
    a reader blocked in the middle of a large sheet stops with the import, not later."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass  # the pipe still ends it, at its next send
    if os.getppid() != parent:  # it died before the request was made
        os._exit(0)


def import_in_two_processes(
    register: Register,
    path: str,
    options: ImportOptions,
    *,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> FileSummary | None:
    """Import ``path`` with a validating child; None when the file is not for this path
    (evaluations, findings, or a platform without fork): import it in one process."""
    if not available():
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_and_validate,
        args=(path, options, sender, receiver, os.getpid()),
        daemon=True,
    )
    child.start()
    sender.close()  # so that the child's end closing reads as the end here
    try:
        message = _receive(receiver, child, path)
        if message[0] == "error":
            raise ImportFailed(message[1], hint=message[2])
        if message[0] == "other":
            return None
        _kind, summary, tables = message
        chunks = _chunks(receiver, child, path, summary, progress)
        write_chunks(register, chunks, summary, tables, options, actor)
        finish_summary(summary)
        return summary  # type: ignore[no-any-return]
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _chunks(
    receiver: Connection,
    child: Any,
    path: str,
    summary: FileSummary,
    progress: Callable[[int], None] | None,
) -> Iterator[list[Row]]:
    while True:
        message = _receive(receiver, child, path)
        if message[0] == "rows":
            summary.rows = message[1]
            if progress is not None:
                progress(summary.rows)
            yield as_rows(message[2])
        elif message[0] == "end":
            summary.rows = message[1]
            summary.invalid += message[2]
            summary.problems += message[3]
            summary.warnings = message[4]
            summary.invalid_numbers = message[5]
            summary.reading = message[6]
            return
        else:
            raise ImportFailed(message[1], hint=message[2])


def _receive(receiver: Connection, child: Any, path: str) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = receiver.recv()
    except EOFError:
        child.join()
        raise ImportFailed(
            f"{path}: reading the file stopped unexpectedly (exit code {child.exitcode}); "
            "nothing was imported"
        ) from None
    return message
