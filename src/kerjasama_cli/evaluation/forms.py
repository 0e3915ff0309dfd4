"""The OPD forms out: what goes on the evaluation form each implementing OPD
(perangkat daerah) is sent, and the key that ties a returned row to its agreement.

One form per OPD with agreements in force during the year (an agreement
carried out by two OPDs is on both forms; those without an OPD are on one form
named ``NO_UNIT``), holding what is already known of the year's evaluation, so
a returned form can be corrected and sent again. The workbook is written by
``kerjasama_cli.exporting.forms``; nothing here knows about Excel.

Every row carries a hidden key, ``ks:<register>:<year>:<agreement id>``
(``form_key``; read back by ``read_form_key``): the register it came from,
the year and the agreement, whatever someone types over the Nomor.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue, NotFound
from kerjasama_cli.evaluation.numbers import unit_names
from kerjasama_cli.evaluation.records import EvaluationView, evaluations_of
from kerjasama_cli.queries import AgreementView, load_views
from kerjasama_cli.status import in_force_during, last_day_in_force, term_start

# What each level means, said to the OPD filling in the form (keyed by the
# vocabulary's codes; the labels come from vocab.LEVELS).
LEVEL_MEANINGS = {
    "terlaksana": "kegiatan kerja sama telah dilaksanakan sesuai kesepakatan.",
    "sebagian": "sebagian kegiatan telah dilaksanakan; isi juga Progres (%) dengan "
    "capaiannya (1-99).",
    "belum": "kegiatan belum dimulai, tetapi masih direncanakan dalam jangka waktu kerja sama.",
    "tidak": "kegiatan tidak dilaksanakan dan tidak akan dilaksanakan (dibatalkan, "
    "tidak ada tindak lanjut).",
}
RECOMMENDATION_MEANINGS = {
    "dilanjutkan": "kerja sama diteruskan seperti yang berjalan sekarang.",
    "diperpanjang": "jangka waktu kerja sama perlu diperpanjang.",
    "diperluas": "ruang lingkup atau sasaran kerja sama perlu diperluas.",
    "ditinjau": "isi kerja sama perlu ditinjau kembali atau diubah dengan adendum.",
    "dihentikan": "kerja sama sebaiknya diakhiri.",
}

KEY_PREFIX = "ks"
FILE_PREFIX = "formulir-evaluasi"
SLUG_LENGTH = 60  # of the OPD's part of a file name
FALLBACK_SLUG = "opd"
# Names Windows keeps for devices, whatever the extension ("con.xlsx" included).
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)


@dataclass
class FormRow:
    """One agreement on an OPD's form: which it is, and what is known of its year."""

    agreement_id: int
    key: str  # the hidden key: ks:<register>:<year>:<agreement id>
    number: str
    title: str
    partners: str  # "; "-joined
    term: str  # Jangka Waktu: the term as written, else its dates
    level: str | None = None  # codes of vocab.LEVELS / vocab.RECOMMENDATIONS
    progress: int | None = None
    follow_up: str | None = None
    obstacles: str | None = None
    benefit: str | None = None
    added_value: str | None = None  # Inovasi/Nilai Tambah
    evidence: str | None = None  # Bukti Dukung
    recommendation: str | None = None
    score: int | None = None
    scores: dict[str, int | None] = field(default_factory=dict)  # the instrument's, 1-5
    evaluated_on: date | None = None
    evaluator: str | None = None
    note: str | None = None
    # Why the TKKSD returned the answer to the OPD (its state 'dikembalikan'), if so.
    return_note: str | None = None

    @property
    def answered(self) -> bool:
        """Whether an evaluation of the year is recorded (a level is then known)."""
        return self.level is not None

    @property
    def level_label(self) -> str | None:
        return vocab.LEVELS.label(self.level) if self.level else None

    @property
    def recommendation_label(self) -> str | None:
        return vocab.RECOMMENDATIONS.label(self.recommendation) if self.recommendation else None


@dataclass
class UnitForm:
    """The form one OPD is sent for a year."""

    unit: str  # the OPD's name as the register holds it (or NO_UNIT)
    year: int
    region: str  # config region, as set ('' when not)
    office: str  # config office ('' when not)
    due: date | None  # when the form is due back
    contact: str | None  # whom to send it back to, besides the office
    register_key: str
    file_name: str  # formulir-evaluasi-<year>-<opd>.xlsx, unique among the year's forms
    rows: list[FormRow]

    @property
    def sheet_name(self) -> str:
        """The sheet to fill in; `kerjasama import` reads the year from it."""
        return f"Evaluasi {self.year}"

    @property
    def title(self) -> str:
        return f"Formulir Evaluasi Pelaksanaan Kerja Sama Daerah Tahun {self.year}"

    @property
    def due_text(self) -> str:
        """'31 Januari 2022', or '(belum ditetapkan)'."""
        return parse.format_date_id(self.due) if self.due else "(belum ditetapkan)"


def form_key(register_key: str, year: int, agreement_id: int) -> str:
    """The hidden key of a form's row: 'ks:<register>:<year>:<agreement id>'."""
    return f"{KEY_PREFIX}:{register_key}:{year}:{agreement_id}"


def read_form_key(text: str) -> tuple[str, int, int] | None:
    """(register key, year, agreement id) of a form row's key; None when it is not one."""
    head, _, rest = text.strip().partition(":")
    if head != KEY_PREFIX:
        return None
    parts = rest.rsplit(":", 2)
    if len(parts) != 3 or not parts[0] or not all(p.isascii() and p.isdigit() for p in parts[1:]):
        return None
    return parts[0], int(parts[1]), int(parts[2])


# ------------------------------------------------------------------ file names

_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "&": " dan ",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Words a shortened name does not end on ("dinas-koperasi-usaha-kecil-dan").
_DANGLING = frozenset({"dan", "serta", "di", "ke", "untuk", "pada", "dengan", "yang"})


def unit_slug(name: str, limit: int = SLUG_LENGTH) -> str:
    """'Dinas Kesehatan' -> 'dinas-kesehatan': lowercase ASCII letters, digits and
    hyphens only (accents transliterated, '&' read as 'dan'), at most ``limit``
    characters, cut after a whole word when one fits; 'opd' when nothing is left."""
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    slug = _NOT_SLUG.sub("-", text.encode("ascii", "ignore").decode("ascii")).strip("-")
    if len(slug) > limit:
        head = slug[:limit]
        if slug[limit] != "-" and "-" in head:
            head = head.rsplit("-", 1)[0]  # the last word was cut through: drop it
        words = head.strip("-").split("-")
        while len(words) > 1 and words[-1] in _DANGLING:
            words.pop()
        shortened = "-".join(words)
        # One very long word: cut within it rather than keep too little.
        slug = shortened if len(shortened) > limit // 2 else slug[:limit].strip("-")
    return slug or FALLBACK_SLUG


def form_file_name(year: int, unit_name: str) -> str:
    """'formulir-evaluasi-2021-dinas-kesehatan.xlsx': safe on Windows, macOS and Linux."""
    return f"{_safe_stem(f'{FILE_PREFIX}-{year}-{unit_slug(unit_name)}')}.xlsx"


def form_file_names(year: int, unit_names_: Sequence[str]) -> dict[str, str]:
    """Each OPD's file name, unique: names whose slugs collide get -2, -3, ... in
    the order of the names (case-insensitive, then as written), whatever order
    they are given in, so an OPD's form keeps its name from one run to the next."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(unit_names_), key=lambda n: (n.casefold(), n)):
        stem = form_file_name(year, name).removesuffix(".xlsx")
        candidate, number = stem, 1
        while candidate in used:
            number += 1
            candidate = f"{stem}-{number}"
        used.add(candidate)
        names[name] = f"{candidate}.xlsx"
    return names


def _safe_stem(stem: str) -> str:
    """Never a name Windows keeps for a device (CON, NUL, COM1...)."""
    return f"{stem}-{FALLBACK_SLUG}" if stem.split(".")[0] in RESERVED_NAMES else stem


# ------------------------------------------------------------------------- forms


def term_of(view: AgreementView) -> str:
    """Jangka Waktu as the OPD knows it: the term as written ('5 (lima) tahun'),
    else its dates ('20 Februari 2020 – 19 Februari 2023')."""
    if view.term_text:
        return view.term_text
    start, end = term_start(view), last_day_in_force(view)
    if view.terminated_on is not None:
        end = view.ends_on
    words = ""
    if start and end:
        words = f"{parse.format_date_id(start)} – {parse.format_date_id(end)}"
    elif start:
        words = f"mulai {parse.format_date_id(start)}"
    elif end:
        words = f"sampai dengan {parse.format_date_id(end)}"
    if view.terminated_on is not None:
        ended = f"diakhiri {parse.format_date_id(view.terminated_on)}"
        words = f"{words} ({ended})" if words else ended
    return words


def _row(view: AgreementView, evaluation: EvaluationView | None, key: str) -> FormRow:
    row = FormRow(
        agreement_id=view.id,
        key=key,
        number=view.number,
        title=view.title,
        partners="; ".join(p.name for p in view.partners),
        term=term_of(view),
    )
    if evaluation is not None:
        row.level = evaluation.level
        row.progress = evaluation.progress
        row.follow_up = evaluation.follow_up
        row.obstacles = evaluation.obstacles
        row.benefit = evaluation.benefit
        row.added_value = evaluation.added_value
        row.evidence = evaluation.evidence
        row.recommendation = evaluation.recommendation
        row.score = evaluation.score
        row.scores = dict(evaluation.scores)
        row.evaluated_on = evaluation.evaluated_on
        row.evaluator = evaluation.evaluator
        row.note = evaluation.note
    return row


def _setting_date(text: str | None) -> date | None:
    if not text or not text.strip():
        return None
    return parse.parse_date(text, field="evaluation_due", label="config evaluation-due")


def _last_due(session: Session, year: int) -> date | None:
    """The deadline the year's forms were last sent with, if any."""
    from sqlmodel import col, select

    from kerjasama_cli.db.models import EvaluationForm

    return session.scalar(
        select(col(EvaluationForm.due_on))
        .where(col(EvaluationForm.year) == year, col(EvaluationForm.due_on).is_not(None))
        .order_by(col(EvaluationForm.sent_at).desc())
        .limit(1)
    )


def gather_forms(
    session: Session,
    year: int,
    *,
    register_key: str,
    unit: str | None = None,
    due: date | None = None,
    contact: str | None = None,
) -> list[UnitForm]:
    """The year's forms, one per OPD with agreements in force during ``year``,
    sorted by the OPD's name (case-insensitive).

    ``unit``: only the OPDs whose name contains it (case and spacing ignored, as
    every command's --unit); NotFound, naming close ones, when none does.
    ``due`` and ``contact`` default to the settings ``evaluation-due`` and
    ``contact`` when the register has them (``due`` else to the deadline the
    year's forms were last sent with); the region and office are config's.
    ``register_key`` names the register in every row's hidden key. A year with
    nothing in force gives no form.
    """
    from kerjasama_cli.settings import all_settings, warning_days

    parse.check_year(year)
    if not register_key or not register_key.strip() or any(ch.isspace() for ch in register_key):
        raise InvalidValue(
            "register_key",
            register_key,
            "is not a register key: it must be given, without spaces",
        )
    settings = all_settings(session)
    if due is None:
        due = _setting_date(settings.get("evaluation-due"))
    if due is None:
        due = _last_due(session, year)  # a form sent again keeps the deadline given
    if contact is None:
        contact = settings.get("contact") or None
    views = load_views(session, as_of=date(year, 12, 31), warning_days=warning_days(session))
    in_force = [view for view in views if in_force_during(view, year)]
    by_unit: dict[str, list[AgreementView]] = {}
    for view in in_force:
        for name in unit_names(view):
            by_unit.setdefault(name, []).append(view)
    file_names = form_file_names(year, list(by_unit))
    chosen = sorted(by_unit, key=lambda n: (n.casefold(), n))
    if unit:
        chosen = _matching(unit, chosen, year)
    evaluations = evaluations_of(session, year)
    returned = _return_notes(session, year)
    forms = [
        UnitForm(
            unit=name,
            year=year,
            region=settings.get("region", ""),
            office=settings.get("office", ""),
            due=due,
            contact=contact,
            register_key=register_key,
            file_name=file_names[name],
            rows=[
                _row(view, evaluations.get(view.id), form_key(register_key, year, view.id))
                for view in by_unit[name]
            ],
        )
        for name in chosen
    ]
    for form in forms:
        for row in form.rows:
            row.return_note = returned.get(row.agreement_id)
    return forms


def _return_notes(session: Session, year: int) -> dict[int, str]:
    """Per agreement, why its answer for ``year`` was returned to the OPD."""
    from sqlmodel import col, select

    from kerjasama_cli.db.models import Evaluation

    rows = session.execute(
        select(col(Evaluation.agreement_id), col(Evaluation.return_note)).where(
            col(Evaluation.year) == year,
            col(Evaluation.state) == "dikembalikan",
            col(Evaluation.return_note).is_not(None),
        )
    )
    notes: dict[int, str] = {}
    for agreement_id, note in rows:
        if note:
            notes[agreement_id] = note
    return notes


def _matching(text: str, names: Iterable[str], year: int) -> list[str]:
    names = list(names)
    key = vocab.name_key(text)
    found = [name for name in names if key and key in vocab.name_key(name)]
    if found:
        return found
    keys = {vocab.name_key(name): name for name in names}
    close = [keys[k] for k in difflib.get_close_matches(key, list(keys), n=3, cutoff=0.5)]
    if close:
        hint = "did you mean " + " or ".join(repr(name) for name in close) + "?"
    elif names:
        hint = f"kerjasama evaluate {year} lists the OPDs with agreements in force"
    else:
        hint = f"no agreement was in force during {year}"
    raise NotFound(f"no OPD called {text!r} has agreements in force during {year}", hint=hint)


def record_forms_sent(session: Session, forms: Sequence[UnitForm], *, at: datetime) -> int:
    """Record that ``forms`` were sent at ``at`` (the board shows when, and the
    deadline given): one row per year and OPD, the latest sending kept. The form
    of the agreements without an OPD names no OPD: it is not recorded. Returns
    how many were recorded."""
    from sqlmodel import select

    from kerjasama_cli.db.models import EvaluationForm, Unit

    keys = {vocab.name_key(form.unit): form for form in forms}
    units = {
        vocab.name_key(name): unit_id
        for unit_id, name in session.execute(select(Unit.id, Unit.name))
        if vocab.name_key(name) in keys
    }
    recorded = 0
    for key, form in keys.items():
        unit_id = units.get(key)
        if unit_id is None:
            continue
        row = session.scalar(
            select(EvaluationForm).where(
                EvaluationForm.year == form.year, EvaluationForm.unit_id == unit_id
            )
        )
        if row is None:
            row = EvaluationForm(year=form.year, unit_id=unit_id, sent_at=at)
            session.add(row)
        row.sent_at, row.due_on, row.file_name = at, form.due, form.file_name
        recorded += 1
    return recorded
