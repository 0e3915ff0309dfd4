"""The columns of an OPD's evaluation form: the identifying ones (locked), those
to fill in (under the workbook's Evaluasi headers, so `kerjasama import` reads a
returned form), and the hidden key; and how a value goes into a cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kerjasama_cli import vocab
from kerjasama_cli.evaluation.fields import SCORE_FIELDS
from kerjasama_cli.evaluation.forms import FormRow
from kerjasama_cli.exporting import workbook_style as style
from kerjasama_cli.exporting.content import (
    EVALUATION_COLUMNS,
    INTEGER,
    REGISTER_COLUMNS,
    TEXT,
    Column,
)
from kerjasama_cli.exporting.workbook_style import formula_like
from kerjasama_cli.vocab.columns import EVALUATION_COLUMNS as EVALUATION_HEADERS

RETURN_NOTE = Column("Catatan Pemeriksa", TEXT, "return_note")
KEY_HEADER = "Kunci"  # no header `kerjasama import` maps: read as an unknown column


def _header(columns: Sequence[Column], key: str) -> Column:
    """The export's own column (its header text), so the import knows the form's."""
    return next(column for column in columns if column.key == key)


@dataclass(frozen=True)
class FormColumn:
    column: Column
    fill_in: bool
    value: Callable[[FormRow], Any]
    wrap_key: str = ""  # how wide it is planned (workbook_style.WRAP_AT); '' the default
    room: Any = None  # a value as wide as what is typed in it (for the widths)

    @property
    def header(self) -> str:
        return self.column.header


def evaluation_column(key: str) -> Column:
    """The workbook's Evaluasi column of that field (its header text)."""
    return _header(EVALUATION_COLUMNS, key)


# The identifying columns, then the columns to fill in; the hidden key last.
_ev = evaluation_column

FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn(_ev("no"), False, lambda row: None, "no"),  # numbered when written
    FormColumn(_ev("number"), False, lambda row: row.number, "number"),
    FormColumn(_ev("title"), False, lambda row: row.title, "title"),
    FormColumn(_header(REGISTER_COLUMNS, "partners"), False, lambda row: row.partners, "partners"),
    FormColumn(_header(REGISTER_COLUMNS, "term_text"), False, lambda row: row.term, "term_text"),
    # Why the TKKSD returned an answer: read, corrected in the yellow columns, sent again.
    FormColumn(RETURN_NOTE, False, lambda row: row.return_note, "note"),
    FormColumn(
        _ev("level"),
        True,
        lambda row: row.level_label,
        room=max((vocab.LEVELS.label(code) for code in vocab.LEVELS.codes), key=len),
    ),
    FormColumn(_ev("progress"), True, lambda row: row.progress, room=100),
    FormColumn(_ev("follow_up"), True, lambda row: row.follow_up, "follow_up", "x" * 99),
    FormColumn(_ev("obstacles"), True, lambda row: row.obstacles, "obstacles", "x" * 99),
    FormColumn(_ev("benefit"), True, lambda row: row.benefit, "benefit", "x" * 99),
    FormColumn(_ev("added_value"), True, lambda row: row.added_value, "added_value", "x" * 99),
    FormColumn(_ev("evidence"), True, lambda row: row.evidence, "evidence", "x" * 99),
    FormColumn(
        _ev("recommendation"),
        True,
        lambda row: row.recommendation_label,
        room=max(
            (vocab.RECOMMENDATIONS.label(code) for code in vocab.RECOMMENDATIONS.codes), key=len
        ),
    ),
    FormColumn(_ev("score"), True, lambda row: row.score, room=5),
    *(
        FormColumn(
            Column(EVALUATION_HEADERS[name][0], INTEGER, name),
            True,
            lambda row, name=name: row.scores.get(name),  # type: ignore[misc]
            room=5,
        )
        for name in SCORE_FIELDS
    ),
    FormColumn(_ev("evaluated_on"), True, lambda row: row.evaluated_on, room=date(2000, 1, 1)),
    FormColumn(_ev("evaluator"), True, lambda row: row.evaluator, "evaluator", "x" * 99),
    FormColumn(_ev("note"), True, lambda row: row.note, "note", "x" * 99),
)
KEY_COLUMN = FormColumn(Column(KEY_HEADER, TEXT, "key"), False, lambda row: row.key)


def put(cell: Any, value: Any) -> None:
    """A value as typed: text that looks like a formula stays text; control
    characters (XML holds none) become U+FFFD."""
    cell.value = style.text(value)
    if formula_like(cell.value):
        cell.data_type = "s"
