"""`kerjasama db copy --to URL`: a whole register into another database, every row.

Tables go in foreign-key order through the bulk insert path, ids kept; an
agreement's links to other agreements (its KB, what it renews) are set after
all agreements exist. PostgreSQL's id sequences are moved past the copied ids.
A count check per table ends it; the target must be empty.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, text, update

from kerjasama_cli.db.bulk import insert_rows, prepare
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Base, agreement_table
from kerjasama_cli.errors import Conflict, RegisterError

SELF_LINKS = ("parent_id", "renews_id")


def _counts(register: Register) -> dict[str, int]:
    with register.reading() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def copy_register(source: Register, target: Register) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; returns rows per table."""
    before = _counts(target)
    if any(before.values()):
        raise Conflict(
            f"{target.location} is not empty ({before['agreement']} agreements)",
            hint="copy into a new, empty database or schema",
        )
    expected = _counts(source)
    with source.reading() as reader, target.writing() as writer:
        connection = writer.connection()
        prepare(connection)
        for table in Base.metadata.sorted_tables:
            columns = [column.name for column in table.columns]
            links = [columns.index(name) for name in SELF_LINKS] if table is agreement_table else []
            rows = reader.execute(select(table).order_by(*table.primary_key.columns))
            insert_rows(
                connection,
                table,
                columns,
                (
                    tuple(None if index in links else value for index, value in enumerate(row))
                    for row in rows
                ),
            )
        linked = reader.execute(
            select(
                agreement_table.c.id, agreement_table.c.parent_id, agreement_table.c.renews_id
            ).where(
                agreement_table.c.parent_id.is_not(None) | agreement_table.c.renews_id.is_not(None)
            )
        ).all()
        if linked:
            writer.execute(
                update(agreement_table)
                .where(agreement_table.c.id == bindparam("target_id"))
                .values(parent_id=bindparam("new_parent"), renews_id=bindparam("new_renews")),
                [{"target_id": i, "new_parent": p, "new_renews": r} for i, p, r in linked],
            )
        if target.backend == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key:
                    writer.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    copied = _counts(target)
    if copied != expected:
        wrong = {
            name: (expected[name], copied[name])
            for name in expected
            if expected[name] != copied[name]
        }
        raise RegisterError(f"the copy does not match the register: {wrong}")
    return copied
