"""The schema lives in Alembic migrations: upgrades keep data, mismatches are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from conftest import Cli
from kerjasama_cli.db import migrate
from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Base
from kerjasama_cli.errors import RegisterError


def test_migrated_empty_register_equals_the_models(db_url: str) -> None:
    register = Register.open(db_url, upgrade=True)
    try:
        with register.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        register.close()



def test_every_table_is_declared_once_as_a_sqlmodel_table_class() -> None:
    """The tables come from SQLModel classes (table=True), link tables included:
    each class's __table__ is the metadata's table the Core bulk paths insert into."""
    from sqlmodel import SQLModel

    declared = {
        mapper.class_.__tablename__: mapper.class_ for mapper in Base._sa_registry.mappers
    }
    assert set(declared) == set(Base.metadata.tables)
    for name, model in declared.items():
        assert issubclass(model, SQLModel), name
        assert model.model_config.get("table") is True, name
        assert model.__table__ is Base.metadata.tables[name], name
    # Money stays a BIGINT of sen, whatever SQLModel would pick for a Decimal.
    assert str(Base.metadata.tables["agreement"].c.value.type.impl) == "BIGINT"
    assert declared["agreement"].__mapper__.version_id_col is (
        Base.metadata.tables["agreement"].c.version
    )

def test_schema_head_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.SCHEMA_HEAD


def test_opening_twice_applies_nothing_the_second_time(db_url: str) -> None:
    first = Register.open(db_url, upgrade=True)
    assert first.applied == [f"empty -> {migrate.SCHEMA_HEAD}"]
    first.close()
    second = Register.open(db_url, upgrade=True)
    assert second.applied == []
    second.close()


def test_newer_register_is_refused(sqlite_cli: Cli) -> None:
    sqlite_cli("add-mou", "--number", "1/KB", "--title", "t", "--partner", "p")
    with sqlite3.connect(sqlite_cli.db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    result = sqlite_cli("list", ok=False)
    assert result.exit_code == 5
    assert "has schema 9999, newer than this kerjasama knows" in result.stderr
    assert "pip install --upgrade kerjasama" in result.stderr


def test_foreign_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE pegawai (nip TEXT)")
    connection.close()
    with pytest.raises(RegisterError, match="not a kerjasama register"):
        Register.open(str(path))
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    connection.close()
    assert tables == [("pegawai",)]


NEXT_MIGRATION = '''
"""test: agreements get a tags column"""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement") as batch_op:
        batch_op.add_column(sa.Column("tags", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agreement") as batch_op:
        batch_op.drop_column("tags")
'''


def test_upgrade_keeps_data_and_a_copy_of_the_file(
    sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_cli("add-mou", "--number", "1/KB", "--title", "Kerja sama", "--partner", "Mitra",
               "--unit", "Dinas A", "--signed", "2021-01-01")
    sqlite_cli("update", "1/KB", "--note", "catatan")
    head = migrate.SCHEMA_HEAD
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, migrations)
    (migrations / "versions" / "0099_region.py").write_text(
        NEXT_MIGRATION.replace("{head}", head)
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", migrations)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "0099")

    register = Register.open(sqlite_cli.db)
    register.close()
    assert register.applied == [f"{head} -> 0099"]
    copy = Path(sqlite_cli.db + f".before-{head}.bak")
    assert copy.is_file()
    engine = create_engine(f"sqlite:///{sqlite_cli.db}")
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("agreement")}
        assert "tags" in columns
        row = connection.execute(text("SELECT number, title, note FROM agreement")).one()
        assert tuple(row) == ("1/KB", "Kerja sama", "catatan")
        assert connection.execute(text("SELECT count(*) FROM history")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM agreement_unit")).scalar() == 1
    engine.dispose()
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    old.close()


def test_a_0001_register_upgrades_to_the_evaluation_schema(tmp_path: Path) -> None:
    """A real register of the first release, with data, opened by this release."""
    from alembic import command

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0001")
        connection.execute(text(
            "INSERT INTO agreement (doc_type, number, number_key, title, ends_on_derived, "
            "version, created_at, updated_at, signed_on) VALUES ('kb', '1/KB', '1/kb', "
            "'Lama', 0, 1, '2021-01-01', '2021-01-01', '2021-01-01')"))
    engine.dispose()
    register = Register.open(str(path))
    assert register.applied == [f"0001 -> {migrate.SCHEMA_HEAD}"]
    assert {"evaluation", "finding", "finding_note"} <= set(register.table_names())
    register.close()
    assert (tmp_path / "old.db.before-0001.bak").is_file()
    cli = Cli(str(path), CliRunner())
    assert cli.json("show", "1/KB")["title"] == "Lama"  # type: ignore[index]


def test_a_0002_register_gets_regions_and_keeps_its_agreements(tmp_path: Path) -> None:
    """0003: own agreements get region ''; the same number may then exist per region."""
    from alembic import command

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    insert = (
        "INSERT INTO agreement (doc_type, number, number_key, title, ends_on_derived, "
        "version, created_at, updated_at{extra}) VALUES ('kb', '1/KB', '1/kb', "
        "'Lama', 0, 1, '2021-01-01', '2021-01-01'{value})"
    )
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0002")
        connection.execute(text(insert.format(extra="", value="")))
    engine.dispose()
    register = Register.open(str(path))
    assert register.applied == [f"0002 -> {migrate.SCHEMA_HEAD}"]
    register.close()
    with engine.begin() as connection:
        assert connection.execute(text("SELECT number, region FROM agreement")).all() == [
            ("1/KB", "")
        ]
        connection.execute(text(insert.format(extra=", region", value=", 'Kota Metro'")))
        with pytest.raises(IntegrityError):
            connection.execute(text(insert.format(extra="", value="")))
    engine.dispose()


def test_a_0003_register_keeps_its_agreements_with_days_known_and_no_pending_links(
    tmp_path: Path,
) -> None:
    """0004 adds date precisions and pending parent numbers; old rows read as before."""
    from alembic import command

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0003")
        connection.execute(text(
            "INSERT INTO agreement (doc_type, number, number_key, title, ends_on_derived, "
            "version, created_at, updated_at, signed_on, ends_on, region) VALUES ('kb', "
            "'1/KB', '1/kb', 'Lama', 0, 1, '2021-01-01', '2021-01-01', '2021-08-19', "
            "'2026-08-18', '')"))
    engine.dispose()
    register = Register.open(str(path))
    assert register.applied == [f"0003 -> {migrate.SCHEMA_HEAD}"]
    register.close()
    shown = Cli(str(path), CliRunner()).json("show", "1/KB")
    assert isinstance(shown, dict)
    assert (shown["signed_on"], shown["ends_on"]) == ("2021-08-19", "2026-08-18")
    assert shown["signed_on_precision"] is None and shown["unresolved_parent"] is None
    engine.dispose()



def test_a_0004_register_keeps_its_evaluations_as_verified(db_url: str) -> None:
    """0005: evaluations recorded before the cycle with the OPDs were final: they
    read 'diverifikasi', and the year's numbers count them as before."""
    from alembic import command

    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0004")
        connection.execute(text(
            "INSERT INTO agreement (doc_type, number, number_key, title, ends_on_derived, "
            "version, created_at, updated_at, signed_on, ends_on, region) VALUES ('kb', "
            "'1/KB', '1/kb', 'Lama', false, 1, '2021-01-01', '2021-01-01', '2021-08-19', "
            "'2026-08-18', '')"))
        connection.execute(text(
            "INSERT INTO evaluation (agreement_id, year, level, progress, created_at, "
            "updated_at) SELECT id, 2021, 'terlaksana', 100, '2022-01-10', '2022-01-10' "
            "FROM agreement"))
    with engine.begin() as connection:
        if "://" in db_url:  # a shared register is upgraded on purpose (db upgrade)
            command.upgrade(migrate.alembic_config(connection), "head")
    engine.dispose()
    register = Register.open(db_url, upgrade=True)
    register.close()
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT state, added_value FROM evaluation")).all()
        forms = connection.execute(text("SELECT COUNT(*) FROM evaluation_form")).scalar()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("diverifikasi", None)]
    assert forms == 0
    board = Cli(db_url, CliRunner()).json("evaluate", "2021")
    assert isinstance(board, dict)
    assert board["numbers"]["evaluated"] == 1

def test_a_shared_register_is_upgraded_on_purpose_only(db_url: str) -> None:
    """PostgreSQL: commands refuse an old schema; `db upgrade` brings it up."""
    if "://" not in db_url:
        pytest.skip("SQLite registers upgrade on open (tested above)")
    runner = CliRunner()
    from kerjasama_cli.cli.app import app

    refused = runner.invoke(app, ["--db", db_url, "list"])
    assert refused.exit_code == 5
    assert "has schema none, older than this kerjasama's" in refused.stderr
    assert "db upgrade" in refused.stderr
    upgraded = runner.invoke(app, ["--db", db_url, "db", "upgrade"])
    assert upgraded.exit_code == 0 and "Upgraded" in upgraded.stdout
    assert runner.invoke(app, ["--db", db_url, "list"]).exit_code == 0
    import gc

    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()
