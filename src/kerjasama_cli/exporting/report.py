"""The evaluation report (HTML, Markdown) from Jinja2 templates.

Templates ship inside the package (``templates/``); an office's own folder
(--template-dir) is searched first, so it can replace its letterhead or any
single template and keep the rest. Every template runs sandboxed and sees
plain data only (``context``; ``templating`` renders them). HTML is autoescaped
and Markdown escaped likewise; charts are inline SVG drawn here (no
JavaScript, no network); dates and money are formatted by Babel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment
from markupsafe import Markup

from kerjasama_cli import vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.evaluation import EvaluationView, FindingView, RegionRow
from kerjasama_cli.exporting import templating
from kerjasama_cli.exporting.content import Content, printable
from kerjasama_cli.queries import AgreementView


def shipped_templates() -> Path:
    """The templates inside the installed package; in a source checkout, its templates/."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "report.html.j2").is_file():
            return candidate
    raise FileNotFoundError("the report templates are missing from this installation")


LEGAL_BASIS = (
    "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah",
    "Peraturan Menteri Dalam Negeri Nomor 22 Tahun 2020 tentang Tata Cara Kerja Sama "
    "Daerah dengan Daerah Lain dan Kerja Sama Daerah dengan Pihak Ketiga",
)

# @page sizes of the papers an export can be set for (settings.PAPERS).
PAGE_SIZES = {"a4": "210mm 297mm", "f4": "215mm 330mm", "legal": "8.5in 14in"}

WORDS = {
    "id": {
        "report": "Laporan Evaluasi Pelaksanaan Kerja Sama Daerah",
        "year": "Tahun",
        "introduction": "Pendahuluan",
        "legal_basis": "Dasar hukum",
        "numbers": "Rekapitulasi",
        "in_force": "Kerja sama berlaku",
        "evaluated": "Sudah dievaluasi",
        "coverage": "Cakupan evaluasi",
        "index": "Indeks pelaksanaan",
        "kb_without_pks": "KB tanpa PKS",
        "ending_next_year": "Berakhir tahun",
        "by_level": "Tingkat pelaksanaan",
        "by_unit": "Tingkat pelaksanaan per perangkat daerah",
        "index_by_unit": "Indeks pelaksanaan per perangkat daerah",
        "as_of": "Keadaan per",
        "page": "Halaman",
        "of": "dari",
        "after_year_end": "setelah akhir tahun",
        "after": "setelah",
        "doc_type": "Jenis dokumen",
        "kind": "Jenis kerja sama",
        "by_region": "Per daerah",
        "region": "Daerah",
        "unevaluated": "Belum dievaluasi",
        "open_findings": "Temuan terbuka",
        "by_doc_type": "Jenis dokumen",
        "by_kind": "Jenis kerja sama",
        "unit": "Perangkat daerah",
        "count": "Jumlah",
        "kb_list": "Kesepakatan Bersama tanpa PKS",
        "ending": "Kerja sama yang berakhir tahun",
        "obstacles": "Kendala dan permasalahan",
        "recommendations": "Rekomendasi dan tindak lanjut",
        "added": "Inovasi, nilai tambah dan bukti dukung",
        "forms": "Formulir evaluasi perangkat daerah",
        "form_sent": "Dikirim",
        "answered": "Dijawab",
        "verified": "Diverifikasi",
        "late": "Lewat batas waktu",
        "yes": "Ya",
        "added_value": "Inovasi/nilai tambah",
        "evidence": "Bukti dukung",
        "findings": "Temuan",
        "raised": "Temuan baru",
        "closed": "Selesai",
        "open": "Masih terbuka",
        "overdue": "Melewati batas waktu",
        "number": "Nomor",
        "title": "Tentang",
        "ends": "Berakhir",
        "status": "Status",
        "owner": "Penanggung jawab",
        "due": "Batas waktu",
        "note": "Tindak lanjut terakhir",
        "none": "Tidak ada.",
        "previous": "Tahun lalu",
        "change": "Perubahan",
        "agreement": "Kerja sama",
        "recommendation": "Rekomendasi",
        "level": "Tingkat pelaksanaan",
        "value": "Nilai",
        "intro_text": (
            "Evaluasi ini dilaksanakan untuk mengetahui tingkat pelaksanaan kerja sama "
            "daerah, tindak lanjut program sesuai dengan dokumen Kesepakatan Bersama "
            "maupun Perjanjian Kerja Sama, serta kendala dan permasalahan guna perbaikan "
            "pelaksanaan kerja sama daerah di masa yang akan datang."
        ),
        "index_text": (
            "Indeks pelaksanaan adalah rata-rata nilai kerja sama yang dievaluasi: "
            "terlaksana 100, terlaksana sebagian sesuai progresnya (50 bila tidak "
            "dicatat), belum dan tidak terlaksana 0."
        ),
    },
    "en": {
        "report": "Evaluation Report on Regional Cooperation",
        "year": "Year",
        "introduction": "Introduction",
        "legal_basis": "Legal basis",
        "numbers": "Summary",
        "in_force": "Agreements in force",
        "evaluated": "Evaluated",
        "coverage": "Evaluation coverage",
        "index": "Implementation index",
        "kb_without_pks": "MoUs without an implementing agreement",
        "ending_next_year": "Ending in",
        "by_level": "Implementation level",
        "by_unit": "Implementation by regional office",
        "index_by_unit": "Implementation index by regional office",
        "as_of": "As of",
        "page": "Page",
        "of": "of",
        "after_year_end": "after the year's end",
        "after": "after",
        "doc_type": "Document type",
        "kind": "Kind of cooperation",
        "by_region": "By region",
        "region": "Region",
        "unevaluated": "Not evaluated",
        "open_findings": "Open findings",
        "by_doc_type": "Document type",
        "by_kind": "Kind of cooperation",
        "unit": "Regional office",
        "count": "Count",
        "kb_list": "MoUs without an implementing agreement",
        "ending": "Agreements ending in",
        "obstacles": "Obstacles and problems",
        "recommendations": "Recommendations and follow-up",
        "added": "Innovation, added value and evidence",
        "forms": "Evaluation forms of the regional offices",
        "form_sent": "Sent",
        "answered": "Answered",
        "verified": "Verified",
        "late": "Past the deadline",
        "yes": "Yes",
        "added_value": "Innovation/added value",
        "evidence": "Evidence",
        "findings": "Findings",
        "raised": "New findings",
        "closed": "Closed",
        "open": "Still open",
        "overdue": "Past their deadline",
        "number": "Number",
        "title": "Subject",
        "ends": "Ends",
        "status": "Status",
        "owner": "Responsible",
        "due": "Deadline",
        "note": "Latest follow-up",
        "none": "None.",
        "previous": "Previous year",
        "change": "Change",
        "agreement": "Agreement",
        "recommendation": "Recommendation",
        "level": "Implementation level",
        "value": "Value",
        "intro_text": (
            "This evaluation establishes how far the region's cooperation agreements were "
            "carried out, whether programmes follow what the MoUs and implementing "
            "agreements promised, and what held them back, so that implementation improves "
            "in the coming year."
        ),
        "index_text": (
            "The implementation index is the mean over the evaluated agreements of: "
            "implemented 100, partly implemented its recorded progress (50 when none was "
            "recorded), not yet or not implemented 0."
        ),
    },
}


VOCABULARIES = {
    "level": vocab.LEVELS,
    "doc_type": vocab.DOC_TYPES,
    "kind": vocab.KINDS,
    "recommendation": vocab.RECOMMENDATIONS,
    "status": vocab.STATUSES,
    "finding_status": vocab.FINDING_STATUSES,
    "category": vocab.FINDING_CATEGORIES,
}


# What the formatters show for nothing: ours, so Markdown prints it as is (as an
# escaped value it would read "\-" in the .md file, though it renders alike).
NOTHING = Markup("-")


def _formatters(lang: str) -> dict[str, Any]:
    """The functions templates format with (as ``f``); a wrong argument is told."""
    locale = "id" if lang == "id" else "en"

    def day(value: date | None) -> str:
        if not value:
            return NOTHING
        if not isinstance(value, date):
            raise TypeError(f"f.day needs a date, not {value!r}")
        form = {"month": "MMMM y", "year": "y"}.get(getattr(value, "precision", ""), "d MMMM y")
        return str(format_date(value, format=form, locale=locale))

    def rupiah(value: Decimal | None) -> str:
        if value is None:
            return NOTHING
        if not isinstance(value, Decimal | int | float) or isinstance(value, bool):
            raise TypeError(f"f.rupiah needs a number, not {value!r}")
        return format_currency(value, "IDR", locale="id", format="¤ #,##0", currency_digits=False)

    def number(value: float | int | None) -> str:
        return NOTHING if value is None else format_decimal(value, locale=locale)

    def percent(value: float | None) -> str:
        return NOTHING if value is None else format_decimal(value, locale=locale) + "%"

    def label(code: str | None, kind: str) -> str:
        vocabulary = VOCABULARIES.get(kind)
        if vocabulary is None:
            raise ValueError(f"f.label: no list {kind!r}; one of {', '.join(VOCABULARIES)}")
        if not code or code == "-":
            return NOTHING
        try:
            term = vocabulary.get(code)
        except KeyError:
            return str(code)  # not a code of that list: shown as stored
        return term.label_en if lang == "en" and term.label_en else term.label

    return {"day": day, "rupiah": rupiah, "number": number, "percent": percent, "label": label}


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, number: Callable[[float], str] = str
) -> Markup:
    """A horizontal bar chart as inline SVG: prints, needs no script or network."""
    width, bar_height, gap, label_width = 680, 18, 6, 320
    height = 30 + len(items) * (bar_height + gap)
    peak = max((value for _, value in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
        f"<title>{escape(printable(title))}</title>",
    ]
    for index, (name, value) in enumerate(items):
        y = 20 + index * (bar_height + gap)
        length = (width - label_width - 60) * value / peak
        shown = printable(name if len(name) <= 50 else name[:49] + "…")
        parts += [
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end" '
            f'font-size="12">{escape(shown)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="#2f6f9f"/>',
            f'<text x="{label_width + length + 6:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(number(value))}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def check_template_dir(template_dir: Path) -> None:
    """An office's template folder must be one (a typo would silently give the
    shipped templates)."""
    if not template_dir.is_dir():
        raise InvalidValue(
            "template_dir",
            str(template_dir),
            "is not a folder",
            label="--template-dir",
            hint="give the folder that holds your templates (letterhead.html.j2, ...), "
            "or leave --template-dir out for the shipped ones",
        )


def environment(template_dir: Path | None, *, html: bool) -> Environment:
    """The sandbox, searching an office's folder first, then the shipped templates."""
    loaders = []
    if template_dir is not None:
        check_template_dir(template_dir)
        loaders.append(templating.FolderLoader(template_dir, office=True))
    loaders.append(templating.FolderLoader(shipped_templates(), office=False))
    return templating.environment(loaders, html=html)


class Changes(dict[str, Any]):
    """numbers.change: a dict; calling it (numbers.change(), as templates of
    version 1 did) gives the same dict."""

    def __call__(self) -> Changes:
        return self


_AGREEMENT_FIELDS = [f.name for f in fields(AgreementView) if f.name not in ("partners", "units")]
_EVALUATION_FIELDS = [f.name for f in fields(EvaluationView)]
_FINDING_FIELDS = [f.name for f in fields(FindingView)]


class _Plain:
    """The register's objects as plain dicts, once each: all a template sees."""

    def __init__(self) -> None:
        self.agreements: dict[int, dict[str, Any]] = {}

    def agreement(self, view: AgreementView) -> dict[str, Any]:
        done = self.agreements.get(view.id)
        if done is None:
            done = {name: getattr(view, name) for name in _AGREEMENT_FIELDS}
            done["renewed_by"] = list(view.renewed_by)
            done["partners"] = [{"name": p.name, "kind": p.kind} for p in view.partners]
            done["units"] = [{"name": u.name, "code": u.code} for u in view.units]
            done["replaced"] = view.replaced
            self.agreements[view.id] = done
        return done

    @staticmethod
    def evaluation(evaluation: EvaluationView) -> dict[str, Any]:
        data = {name: getattr(evaluation, name) for name in _EVALUATION_FIELDS}
        data["scores"] = dict(evaluation.scores)
        data["points"] = evaluation.points
        return data

    @staticmethod
    def finding(finding: FindingView) -> dict[str, Any]:
        data = {name: getattr(finding, name) for name in _FINDING_FIELDS}
        data["notes"] = [dict(note) for note in finding.notes]
        data["last_note"] = finding.last_note
        return data

    @staticmethod
    def region(row: RegionRow) -> dict[str, Any]:
        return row.to_dict()


def context(content: Content, lang: str) -> dict[str, Any]:
    """What templates see: plain dicts, lists, text, numbers and dates (and ``f``)."""
    numbers = content.numbers
    year = content.year
    views = content.views
    by_id = {view.id: view for view in views}
    ending = (
        []
        if year is None
        else [
            v
            for v in views
            if v.ends_on is not None and v.ends_on.year == year + 1 and v.terminated_on is None
        ]
    )
    kb_without_pks = (
        []
        if year is None
        else [v for v in views if v.doc_type == "kb" and not v.has_pks_by(content.as_of)]
    )
    plain = _Plain()
    fmt = _formatters(lang)
    words = WORDS[lang]
    obstacles: dict[str, list[dict[str, Any]]] = {}
    for finding in content.findings:
        found_on = by_id.get(finding.agreement_id)
        obstacles.setdefault(finding.category, []).append(
            {
                "finding": _finding_as_shown(plain.finding(finding), finding, lang),
                "agreement": None if found_on is None else plain.agreement(found_on),
            }
        )
    evaluated = [
        (view, content.evaluations[view.id]) for view in views if view.id in content.evaluations
    ]
    charts = {}
    if numbers is not None:
        charts["by_level"] = bar_chart(
            [(fmt["label"](code, "level"), count) for code, count in numbers.by_level.items()],
            title=words["by_level"],
            number=fmt["number"],
        )
        charts["by_unit"] = bar_chart(
            [(name, value) for name, value in numbers.index_by_unit.items() if value is not None],
            title=words["index_by_unit"],
            number=fmt["number"],
        )
        if content.regions:
            charts["by_region"] = bar_chart(
                [
                    (row.region, row.coverage_pct)
                    for row in content.regions
                    if row.coverage_pct is not None
                ],
                title=f"{words['coverage']} (%), {words['by_region'].lower()}",
                number=fmt["number"],
            )
    agreements = [plain.agreement(view) for view in views]
    numbers_data: dict[str, Any] | None = None
    if numbers is not None:
        numbers_data = numbers.to_dict()
        numbers_data["change"] = Changes(numbers_data["change"])
    signed_line = signature_line(content, lang)
    return {
        "content": {
            "region": content.region,
            "government": content.government,
            "title": content.title,
            "year": year,
            "as_of": content.as_of,
            "unit": content.unit,
            "place": content.place,
            "signed_on": content.signed_on,
            "signed_line": signed_line,
            "paper": content.paper,
            "page_size": PAGE_SIZES.get(content.paper, PAGE_SIZES["a4"]),
            "agreements": agreements,
            "regions": (
                None if content.regions is None else [plain.region(r) for r in content.regions]
            ),
        },
        "numbers": numbers_data,
        "year": year,
        "lang": lang,
        "w": dict(WORDS[lang]),
        "f": _formatters(lang),
        "settings": dict(content.settings),
        "legal_basis": list(LEGAL_BASIS),
        "ending": [plain.agreement(view) for view in ending],
        "kb_without_pks": [plain.agreement(view) for view in kb_without_pks],
        "obstacles": obstacles,
        "evaluated": [
            {"agreement": plain.agreement(view), "evaluation": plain.evaluation(evaluation)}
            for view, evaluation in evaluated
        ],
        "charts": charts,
        "categories": list(vocab.FINDING_CATEGORIES.codes),
        "forms": forms_rows(content),
    }


def forms_rows(content: Content) -> list[dict[str, Any]]:
    """The workbook's 'Formulir OPD' rows as dicts (empty when no form was sent)."""
    for sheet in content.sheets:
        if sheet.name == "Formulir OPD":
            keys = [column.key for column in sheet.columns]
            return [dict(zip(keys, row, strict=True)) for row in sheet.rows]
    return []


PLACEHOLDER = "...................."


def signature_line(content: Content, lang: str) -> str:
    """'Kota Agung, 31 Januari 2022': the place and date over the signature; dots for
    what is not known, to be filled in by hand."""
    locale = "id" if lang == "id" else "en"
    when = (
        str(format_date(content.signed_on, format="d MMMM y", locale=locale))
        if content.signed_on
        else PLACEHOLDER
    )
    return f"{content.place or PLACEHOLDER}, {when}"


def _finding_as_shown(data: dict[str, Any], finding: FindingView, lang: str) -> dict[str, Any]:
    """A finding closed after the document's date stays open in it; its closing is
    told in the last note, in the document's language."""
    if finding.later_status is None or finding.closed_on is None or lang == "id":
        return data
    day = finding.seen_day
    when = (
        WORDS["en"]["after_year_end"]
        if day is None or (day.month, day.day) == (12, 31)
        else f"{WORDS['en']['after']} {day:%d/%m/%Y}"
    )
    term = vocab.FINDING_STATUSES.get(finding.later_status)
    told = f"{term.label_en or term.label} {finding.closed_on:%d/%m/%Y}, {when}"
    data["last_note"] = told + (f": {finding.later_note}" if finding.later_note else "")
    return data


def render(
    content: Content,
    fmt: str,
    *,
    lang: str = "id",
    template_dir: Path | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The report as HTML or Markdown text; a template that fails is a ReportTemplateError."""
    html = fmt == "html"
    env = environment(template_dir, html=html)
    name = "report.html.j2" if html else "report.md.j2"
    return templating.render(env, name, {**context(content, lang), **(extra or {})})
