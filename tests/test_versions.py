"""Two writers, one agreement: the second either lands after the first or is told."""

from __future__ import annotations

import pytest

from kerjasama_cli.db.engine import Register
from kerjasama_cli.errors import Conflict
from kerjasama_cli.register import (
    Actor,
    PartnerSpec,
    create_agreement,
    find_agreement,
    update_agreement,
)


def test_version_counts_every_change(db_url: str) -> None:
    register = Register.open(db_url, upgrade=True)
    actor = Actor("a", "test")
    with register.writing() as session:
        create_agreement(session, "kb", {"number": "1/KB", "title": "t"},
                         partners=[PartnerSpec("p")], actor=actor)
    for title in ("dua", "tiga"):
        with register.writing() as session:
            update_agreement(session, "1/KB", {"title": title}, actor=actor)
    with register.reading() as session:
        assert find_agreement(session, "1/KB").version == 3
    register.close()


def test_a_stale_write_is_refused_not_silent(db_url: str) -> None:
    if "://" not in db_url:
        pytest.skip("SQLite writers queue on the write lock: no stale read is possible")
    first, second = Register.open(db_url, upgrade=True), Register.open(db_url)
    actor = Actor("a", "test")
    with first.writing() as session:
        create_agreement(session, "kb", {"number": "1/KB", "title": "t"},
                         partners=[PartnerSpec("p")], actor=actor)
    with (
        pytest.raises(Conflict, match="changed by someone else since you read it"),
        first.writing() as session,
    ):
        stale = find_agreement(session, "1/KB")
        with second.writing() as other:  # commits in between
            update_agreement(other, "1/KB", {"title": "from the other office"},
                             actor=Actor("b", "test"))
        stale.title = "from this office"
    with second.reading() as session:
        assert find_agreement(session, "1/KB").title == "from the other office"
    first.close()
    second.close()
