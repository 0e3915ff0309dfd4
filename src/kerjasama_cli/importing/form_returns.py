"""An OPD's evaluation form coming back (`evaluate YEAR --forms` wrote it).

A returned form is recognised by its hidden ``Kunci`` column: each row's key,
``ks:<register>:<year>:<agreement id>``, ties the row to its agreement whatever
was typed over the Nomor, and to the register and year the form was sent for.
A form from another register or for another year, or whose rows are not that
OPD's agreements, was sent to someone else: the whole file is refused and
nothing is written. The OPD a form was made for is in the workbook's custom
document properties (``kerjasama-unit``).

The answers are recorded as submitted ('diajukan') with the file they came
from and when; a form returned again replaces that OPD's earlier answers (each
change in the history) and never duplicates them. An answer the TKKSD already
verified is left as it is unless the import is told ``--on-conflict update``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from sqlalchemy.orm import Session

from kerjasama_cli import vocab
from kerjasama_cli.db.models import Agreement
from kerjasama_cli.errors import Conflict, InvalidValue
from kerjasama_cli.evaluation.forms import read_form_key

UNIT_PROPERTY = "kerjasama-unit"
_CUSTOM = "docProps/custom.xml"
_CUSTOM_LIMIT = 1 << 20  # a form's own properties are a few hundred bytes


def form_unit(path: str) -> str | None:
    """The OPD an xlsx form was made for (its ``kerjasama-unit`` property), or None
    for any other file (a CSV, a workbook kerjasama did not write)."""
    if not path.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_CUSTOM)
            if info.file_size > _CUSTOM_LIMIT:
                return None
            root = ElementTree.fromstring(archive.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    for prop in root:
        if prop.get("name") == UNIT_PROPERTY:
            return "".join(prop.itertext()).strip() or None
    return None


class FormCheck:
    """Checks the rows of one returned form against this register, row by row."""

    def __init__(self, session: Session, source: str, unit: str | None) -> None:
        from kerjasama_cli.db.models import Setting
        from kerjasama_cli.settings import REGISTER_KEY

        row = session.get(Setting, REGISTER_KEY)
        self.session = session
        self.register_key = row.value if row is not None else None
        self.name = Path(source).name
        self.unit = unit
        self.rows_of: dict[int, int] = {}  # agreement id -> the form's row that names it

    def agreement(
        self, text: str, year: int | None, label: str, number: str | None, row: int
    ) -> tuple[Any, int]:
        """The agreement the row's key names, and the key's year; Conflict (the whole
        file is refused) when the form was sent for another register, year or OPD,
        or two rows carry one key; InvalidValue when the row's Nomor names another
        agreement of the register (a key copied from another row)."""
        key = read_form_key(text)
        if key is None:
            raise InvalidValue(
                "form_key",
                text,
                "is not a form's key (ks:REGISTER:YEAR:ID); it ties the row to its "
                "agreement and must be left as the form was sent",
                label=label,
            )
        register_key, key_year, agreement_id = key
        if register_key != self.register_key:
            raise Conflict(
                f"{self.name} is an evaluation form sent from another register: nothing "
                "was imported",
                hint="a form comes back to the register that sent it (kerjasama evaluate "
                "YEAR --forms); import it there",
            )
        if year is not None and key_year != year:
            raise Conflict(
                f"{self.name} is the {key_year} evaluation form, but its sheet says "
                f"{year}: nothing was imported",
                hint=f"name the sheet 'Evaluasi {key_year}' as it was sent",
            )
        agreement = self.session.get(Agreement, agreement_id)
        if agreement is None:
            raise InvalidValue(
                "form_key", text, "names an agreement no longer in the register", label=label
            )
        first = self.rows_of.setdefault(agreement_id, row)
        if first != row:
            raise Conflict(
                f"{self.name}: rows {first} and {row} carry the same key (of "
                f"{agreement.number}): one answer would overwrite the other; nothing was "
                "imported",
                hint="a row's key was copied; put the answers back in the form as it was "
                "sent (kerjasama evaluate YEAR --forms sends it again)",
            )
        self._check_number(agreement, number, label)
        if self.unit is not None and not self._carried_out_by(agreement_id, self.unit):
            raise Conflict(
                f"{self.name} was sent to {self.unit}, but its row for {agreement.number} "
                "is not that OPD's agreement: nothing was imported",
                hint="each OPD returns its own form; send the others theirs with "
                "kerjasama evaluate YEAR --forms --unit OPD",
            )
        return agreement, key_year

    def _check_number(self, agreement: Agreement, number: str | None, label: str) -> None:
        """A retyped Nomor is fine; a Nomor that is another agreement's is a key copied
        from another row: the answer would land on the wrong agreement."""
        if not number or vocab.name_key(number) == vocab.name_key(agreement.number):
            return
        from kerjasama_cli.errors import KerjasamaError
        from kerjasama_cli.register import find_agreement

        try:
            named = find_agreement(self.session, number)
        except KerjasamaError:
            return  # names nothing (retyped): the key says which agreement it is
        if named.id != agreement.id:
            raise InvalidValue(
                "form_key",
                number,
                f"is the Nomor of another agreement than the row's key ({agreement.number}): "
                "the row's key was changed or copied",
                label=label,
                hint="put the key back as the form was sent, or the Nomor it belongs to",
            )

    def _carried_out_by(self, agreement_id: int, unit: str) -> bool:
        from sqlmodel import col, select

        from kerjasama_cli.db.models import Unit, agreement_unit
        from kerjasama_cli.evaluation.numbers import NO_UNIT

        names = list(
            self.session.scalars(
                select(Unit.name)
                .join(agreement_unit, agreement_unit.c.unit_id == col(Unit.id))
                .where(agreement_unit.c.agreement_id == agreement_id)
            )
        )
        if not names:
            return unit == NO_UNIT
        return vocab.name_key(unit) in {vocab.name_key(name) for name in names}
