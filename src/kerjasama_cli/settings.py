"""The office's settings, kept in the register (`kerjasama config`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kerjasama_cli import parse
from kerjasama_cli.db.models import Setting
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.status import DEFAULT_WARNING_DAYS


@dataclass(frozen=True)
class SettingSpec:
    key: str
    help: str
    default: str = ""


SETTINGS = (
    SettingSpec("region", "the region, e.g. 'Kabupaten Tanggamus' (report titles)"),
    SettingSpec("office", "the office, e.g. 'Bagian Kerja Sama Sekretariat Daerah'"),
    SettingSpec("signatory-name", "who signs the report"),
    SettingSpec("signatory-nip", "the signatory's NIP"),
    SettingSpec("signatory-title", "the signatory's position, e.g. 'Kepala Bagian Kerja Sama'"),
    SettingSpec("place", "where the report is signed, e.g. 'Kota Agung' (its date line)"),
    SettingSpec(
        "evaluator",
        "who records evaluations unless --evaluator says, e.g. 'Tim Evaluasi Kerja Sama'",
    ),
    SettingSpec("paper", "the paper printed exports are set for: a4, f4 (folio) or legal", "a4"),
    SettingSpec(
        "evaluation-due",
        "the deadline the OPDs' evaluation forms give, e.g. '31 Januari 2022' "
        "(evaluate --forms; --due overrides it)",
    ),
    SettingSpec(
        "contact",
        "where OPDs send their forms back, e.g. 'kerjasama@tanggamus.go.id, Ruang 12'",
    ),
    SettingSpec(
        "warning-days",
        "days before its end that an agreement reads 'akan-berakhir'",
        str(DEFAULT_WARNING_DAYS),
    ),
)
_SPECS = {spec.key: spec for spec in SETTINGS}


def _spec(key: str) -> SettingSpec:
    spec = _SPECS.get(key.strip().lower().replace("_", "-"))
    if spec is None:
        raise InvalidValue(
            "key", key, "is not a setting", hint="choose one of: " + ", ".join(_SPECS)
        )
    return spec


def all_settings(session: Session) -> dict[str, str]:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {spec.key: stored.get(spec.key, spec.default) for spec in SETTINGS}


def set_setting(session: Session, key: str, value: str) -> str:
    spec = _spec(key)
    value = value.strip()
    if spec.key == "paper":
        value = read_paper(value, "paper")
    if spec.key == "evaluation-due":
        value = parse.parse_date(value, field="evaluation-due", label="evaluation-due").isoformat()
    if spec.key == "warning-days":
        value = str(
            parse.parse_int(value, field="warning-days", label="warning-days", low=0, high=3650)
        )
    row = session.get(Setting, spec.key)
    if row is None:
        session.add(Setting(key=spec.key, value=value))
    else:
        row.value = value
    return spec.key


# Paper sizes offices print on: A4, and F4 (215 x 330 mm, Excel's "Folio") as often.
PAPERS = ("a4", "f4", "legal")
_PAPER_NAMES = {"a4": "a4", "f4": "f4", "folio": "f4", "legal": "legal"}


def read_paper(text: str, label: str) -> str:
    """'A4', 'F4', 'Folio', 'legal' -> a4, f4, legal."""
    paper = _PAPER_NAMES.get(text.strip().lower())
    if paper is None:
        raise InvalidValue(
            "paper",
            text,
            "is not a paper size kerjasama knows",
            label=label,
            hint="choose a4, f4 (folio, 215 x 330 mm) or legal",
        )
    return paper


def unset_setting(session: Session, key: str) -> str:
    spec = _spec(key)
    row = session.get(Setting, spec.key)
    if row is not None:
        session.delete(row)
    return spec.key


def evaluation_due(session: Session) -> date | None:
    """The forms' deadline (`config set evaluation-due`), or None."""
    row = session.get(Setting, "evaluation-due")
    return date.fromisoformat(row.value) if row is not None and row.value else None


# Written on every evaluation form, so that a form returned from another
# register is recognised as such; made the first time forms are written (a copy
# of the register, `db copy` or a backup, keeps it: it is the same register).
REGISTER_KEY = "register-key"


def register_key(session: Session) -> str:
    """The register's identity, made (and stored) on first use."""
    row = session.get(Setting, REGISTER_KEY)
    if row is None:
        row = Setting(key=REGISTER_KEY, value=uuid.uuid4().hex)
        session.add(row)
    return row.value


def warning_days(session: Session) -> int:
    row = session.get(Setting, "warning-days")
    return int(row.value) if row is not None else DEFAULT_WARNING_DAYS
