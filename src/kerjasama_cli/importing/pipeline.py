"""A large import in two processes: one reads and validates, the other writes.

Validation is pure Python and so is most of writing; on one core they take
turns, on two they overlap. The child process opens the file itself (an XLSX
sheet is read there too), validates it with the same code as a one-process
import and sends the valid rows in chunks through a pipe; this process writes
each chunk as it arrives, in the import's one transaction. Everything the
user sees, the summary, the problems, all or nothing, is the same.

Used on Linux (fork: the child starts at once, with everything imported) for
files big enough that the second process pays for itself.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import KerjasamaError
from kerjasama_cli.importing.columns import (
    REQUIRED_COLUMNS,
    map_columns,
    require_columns,
    start_summary,
)
from kerjasama_cli.importing.sources import open_source
from kerjasama_cli.importing.summary import FileSummary, ImportFailed, ImportOptions
from kerjasama_cli.importing.validate import Row, as_rows, validate
from kerjasama_cli.importing.write import write_chunks
from kerjasama_cli.register import Actor

# About 6,000 agreements: below it a second process costs more than it saves.
MIN_BYTES = 2_000_000
# A small first chunk, so that writing starts soon after the file is opened.
FIRST = 1_000
READABLE = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


def available() -> bool:
    return sys.platform == "linux"


def worth_a_second_process(path: str) -> bool:
    if path == "-" or not available():
        return False
    file = Path(path)
    return file.suffix.lower() in READABLE and file.is_file() and file.stat().st_size >= MIN_BYTES


def _read_and_validate(path: str, sheet: str | None, wanted: str | None, out: Connection) -> None:
    """The child: header first, then chunks of valid rows, then the counts and problems."""
    # Ctrl-C reaches both processes; the writing one stops the import (and this one).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        opened = open_source(path, sheet)
        columns = map_columns(opened.header, wanted)
        out.send(("header", opened.label, opened.header))
        if columns.type != "agreements" or any(n not in columns.labels for n in REQUIRED_COLUMNS):
            return  # the writing process handles these the one-process way
        summary = FileSummary(opened.label, columns.type)
        for chunk in validate(opened.label, columns, opened.rows, summary, None, first=FIRST):
            out.send(("rows", summary.rows, chunk))
        out.send(("end", summary.rows, summary.invalid, summary.problems))
    except KerjasamaError as error:
        out.send(("error", error.message, error.hint))
    finally:
        out.close()


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
        args=(path, options.sheet, options.type, sender),
        daemon=True,
    )
    child.start()
    sender.close()  # so that the child's end closing reads as the end here
    try:
        message = _receive(receiver, child, path)
        if message[0] == "error":
            raise ImportFailed(message[1], hint=message[2])
        _kind, label, header = message
        columns = map_columns(header, options.type)
        if columns.type != "agreements":
            return None
        summary = start_summary(label, columns)
        require_columns(label, columns)
        chunks = _chunks(receiver, child, path, summary, progress)
        return write_chunks(register, chunks, summary, columns, options, actor)
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
