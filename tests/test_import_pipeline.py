"""A large import validates in a second process: users see exactly what one process gives."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kerjasama_cli.db.engine import Register
from kerjasama_cli.db.models import Agreement, HistoryEntry, agreement_partner, agreement_unit
from kerjasama_cli.errors import Conflict
from kerjasama_cli.importing import ImportFailed, ImportOptions, import_file
from kerjasama_cli.register import Actor

EXAMPLES = Path(__file__).parent.parent / "examples"
pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the second process is used on Linux only (fork)"
)


def _import(db: Path, path: Path | str, **options: object) -> tuple[dict[str, object], object]:
    register = Register.open(str(db))
    try:
        summaries = import_file(
            register, str(path), ImportOptions(**options), actor=Actor("t", "import")  # type: ignore[arg-type]
        )
        with register.reading() as session:
            stored = (
                session.execute(
                    select(Agreement.doc_type, Agreement.number, Agreement.parent_id,
                           Agreement.ends_on, Agreement.value, Agreement.unresolved_parent)
                    .order_by(Agreement.id)
                ).all(),
                session.execute(select(agreement_partner).order_by(
                    *agreement_partner.primary_key.columns)).all(),
                session.execute(select(agreement_unit).order_by(
                    *agreement_unit.primary_key.columns)).all(),
                session.execute(select(HistoryEntry.agreement_id, HistoryEntry.field,
                                       HistoryEntry.new).order_by(HistoryEntry.id)).all(),
            )
    finally:
        register.close()
    (summary,) = summaries
    data = dataclasses.asdict(summary)
    return data, stored


def _both(tmp_path: Path, path: Path | str, **options: object) -> None:
    one = _import(tmp_path / "one.db", path, parallel=False, **options)
    two = _import(tmp_path / "two.db", path, parallel=True, **options)
    assert two == one


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("register-2021.csv", {}),
        ("register-2021.csv", {"dry_run": True}),
        ("register-with-errors.csv", {}),
        ("register-with-errors.csv", {"skip_invalid": True}),
        ("evaluasi-2021.csv", {}),  # not agreements: imported the one-process way
    ],
)
def test_same_result_in_one_or_two_processes(
    tmp_path: Path, name: str, options: dict[str, object]
) -> None:
    _both(tmp_path, EXAMPLES / name, **options)


def test_a_pks_far_above_its_kb_and_chunks_between(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go in chunks: a PKS whose KB comes chunks later waits for it, in both modes."""
    import kerjasama_cli.importing.validate as importing

    monkeypatch.setattr(importing, "BATCH", 3)
    header = "Jenis Dokumen;Nomor;Tentang;Mitra;Tanggal TTD;Induk\n"
    lines = ["PKS;2/PKS;Pelaksanaan;Unila;2 Februari 2021;1/KB\n"]
    lines += [f"KB;{n}/LAIN;Lain {n};Mitra {n};1 Maret 2021;\n" for n in range(10, 17)]
    lines += ["KB;1/KB;Induk;Unila;1 Januari 2021;\n",
              "PKS;3/PKS;Yatim;Unila;2 Februari 2021;9/TIDAK-ADA\n",
              "KB;4/KB;Salah;Unila;2 Februari 2021;1/KB\n"]
    source = tmp_path / "urutan.csv"
    source.write_text(header + "".join(lines), encoding="utf-8")
    _both(tmp_path, source, skip_invalid=True)
    summary, stored = _import(tmp_path / "three.db", source, parallel=True, skip_invalid=True)
    # A KB naming a parent is invalid; a PKS whose KB is nowhere comes in, its KB's
    # number kept as a link to make when that KB arrives.
    assert (summary["created"], summary["invalid"]) == (10, 1)
    assert summary["unresolved"] == ["9/TIDAK-ADA"]
    rows = stored[0]  # type: ignore[index]
    agreements = {number: (parent, waiting) for _t, number, parent, _e, _v, waiting in rows}
    ids = {number: index for index, (_t, number, *_r) in enumerate(rows, 1)}
    assert agreements["2/PKS"] == (ids["1/KB"], None)
    assert agreements["3/PKS"] == (None, "9/TIDAK-ADA")


def test_errors_are_the_same(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.csv"
    for parallel in (False, True):
        with pytest.raises(ImportFailed, match="no such file"):
            _import(tmp_path / "x.db", missing, parallel=parallel)
    headless = tmp_path / "tanpa-nomor.csv"
    headless.write_text("Tentang;Mitra\nA;B\n", encoding="utf-8")
    for parallel in (False, True):
        with pytest.raises(ImportFailed, match=r'no column for "Jenis Dokumen" \(doc_type\)'):
            _import(tmp_path / "x.db", headless, parallel=parallel)


def test_a_conflict_stops_the_child_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _import(db, EXAMPLES / "register-2021.csv")
    changed = tmp_path / "changed.csv"
    text = (EXAMPLES / "register-2021.csv").read_text(encoding="utf-8-sig")
    changed.write_text(text.replace("Tri Dharma", "Catur Dharma"), encoding="utf-8")
    with pytest.raises(Conflict, match="already in the register with other values"):
        _import(db, changed, parallel=True, on_conflict="fail")
    _summary, stored = _import(db, EXAMPLES / "register-2021.csv", parallel=True)
    assert len(stored[0]) == 33  # type: ignore[index, arg-type]
