"""Header text -> field: which column of a table holds which of the register's fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kerjasama_cli import vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.importing.summary import TYPES, FileSummary, ImportFailed, Problem

AGREEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "doc_type": ("Jenis Dokumen", "Jenis", "Tipe Dokumen"),
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda", "No Dokumen", "Nomor Naskah"),
    "partner_number": ("Nomor Mitra", "Nomor Pihak Kedua", "Nomor Pihak II"),
    "title": ("Tentang", "Judul", "Perihal"),
    "scope": ("Ruang Lingkup",),
    "partners": ("Mitra", "Pihak", "Para Pihak", "Nama Mitra", "Pihak Kedua"),
    "partner_kind": ("Jenis Mitra",),
    "kind": ("Jenis Kerja Sama", "Jenis Kerjasama"),
    "ksdd_category": ("Kategori KSDD", "Kategori"),
    "bidang": ("Bidang Urusan", "Urusan", "Bidang"),
    "units": ("Perangkat Daerah", "OPD", "Pelaksana", "Perangkat Daerah Pelaksana"),
    "signed_on": ("Tanggal Penandatanganan", "Tanggal TTD", "Tgl TTD", "Tanggal"),
    "starts_on": ("Tanggal Mulai", "Mulai Berlaku"),
    "ends_on": ("Tanggal Berakhir", "Berlaku Sampai", "Berakhir"),
    "term_text": ("Jangka Waktu", "Masa Berlaku"),
    "value": ("Nilai", "Nilai (Rp)", "Nilai Kerja Sama"),
    "funding": ("Sumber Pembiayaan", "Sumber Dana", "Pembiayaan"),
    "dprd": ("Persetujuan DPRD",),
    "dprd_number": ("Nomor Persetujuan DPRD",),
    "dprd_date": ("Tanggal Persetujuan DPRD",),
    "parent_number": ("Induk", "Nomor KB", "Nomor Induk", "Dokumen Induk"),
    "terminated_on": ("Tanggal Diakhiri", "Diakhiri", "Tanggal Pengakhiran"),
    "termination_reason": ("Alasan Diakhiri", "Alasan Pengakhiran"),
    "file_path": ("Dokumen", "Berkas", "File"),
    "note": ("Keterangan", "Catatan"),
}
EVALUATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda"),
    "year": ("Tahun", "Tahun Evaluasi"),
    "level": ("Tingkat Pelaksanaan",),
    "progress": ("Progres", "Progres (%)", "Realisasi %", "Realisasi", "Realisasi (%)"),
    "follow_up": ("Tindak Lanjut",),
    "obstacles": ("Kendala", "Permasalahan", "Kendala/Permasalahan", "Kendala dan Permasalahan"),
    "recommendation": ("Rekomendasi",),
    "benefit": ("Manfaat",),
    "note": ("Keterangan", "Catatan"),
    "evaluator": ("Evaluator", "Penilai"),
    "evaluated_on": ("Tanggal Evaluasi",),
    "score": ("Skor", "Nilai Akhir", "Skor Akhir"),
}
FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda"),
    "year": ("Tahun",),
    "category": ("Jenis Temuan", "Kategori"),
    "text": ("Uraian", "Uraian Temuan", "Temuan"),
    "owner": ("Penanggung Jawab", "OPD Penanggung Jawab"),
    "due_on": ("Batas Waktu",),
    "status": ("Status",),
    "recommendation": ("Rekomendasi",),
    "note": ("Catatan", "Tindak Lanjut", "Keterangan", "Catatan Tindak Lanjut Terakhir"),
}
# Columns that exports write and imports may meet again, with nothing to read.
IGNORED_COLUMNS = ("No", "No.", "Nomor Urut", "Status", "Id", "Renewed By")
REQUIRED_COLUMNS = ("doc_type", "number", "title", "partners")


def _column_index(columns: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for spelling in (canonical, canonical.replace("_", " "), *aliases):
            index.setdefault(vocab.fold(spelling), canonical)
    return index


_AGREEMENT_INDEX = _column_index(AGREEMENT_COLUMNS)
_EVALUATION_INDEX = _column_index(EVALUATION_COLUMNS)
_FINDING_INDEX = _column_index(FINDING_COLUMNS)
_IGNORED = {vocab.fold(name) for name in IGNORED_COLUMNS}
# The workbook's evaluation and findings sheets repeat these to help the OPDs
# fill them in; an import of those sheets has nothing to read in them.
_CONTEXT = {
    vocab.fold(name)
    for name in (
        "No",
        "No.",
        "Tentang",
        "Perangkat Daerah",
        "Jenis Dokumen",
        "Mitra",
        "Id",
        "Status",
    )
}
_INDEXES = {
    "agreements": (_AGREEMENT_INDEX, _IGNORED),
    "evaluations": (_EVALUATION_INDEX, _CONTEXT),
    "findings": (_FINDING_INDEX, _CONTEXT - {vocab.fold("Status")}),
}



@dataclass
class ColumnMap:
    fields: dict[int, str]  # position in the row -> canonical field
    labels: dict[str, str]  # canonical field -> header as written in the file
    type: str
    unknown: list[str]


def map_columns(header: Sequence[str], wanted_type: str | None) -> ColumnMap:
    folded = [vocab.fold(str(h)) for h in header]
    evaluation = {_EVALUATION_INDEX[f] for f in folded if f in _EVALUATION_INDEX}
    finding = {_FINDING_INDEX[f] for f in folded if f in _FINDING_INDEX}
    detected = (
        "findings"
        if "text" in finding  # "Uraian" names a finding
        else "evaluations"
        if "level" in evaluation
        else "agreements"
    )
    kind = wanted_type or detected
    if kind not in TYPES:
        raise InvalidValue(
            "type",
            kind,
            "is not an import type",
            label="--type",
            hint="choose agreements, evaluations or findings",
        )
    index, ignored = _INDEXES[kind]
    fields: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown = []
    for position, (name, key) in enumerate(zip(header, folded, strict=True)):
        canonical = index.get(key)
        if canonical is None:
            if key and key not in ignored:
                unknown.append(str(name))
            continue
        if canonical in labels:
            unknown.append(f"{name} (a second {labels[canonical]!r} column)")
            continue
        fields[position] = canonical
        labels[canonical] = str(name).strip()
    return ColumnMap(fields, labels, kind, unknown)



def require_columns(source: str, columns: ColumnMap) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.labels]
    if missing:
        names = ", ".join(f'"{AGREEMENT_COLUMNS[m][0]}" ({m})' for m in missing)
        raise ImportFailed(
            f"{source}: the header has no column for {names}",
            hint="see README for the column names and their aliases",
        )



def start_summary(source: str, columns: ColumnMap) -> FileSummary:
    summary = FileSummary(source, columns.type)
    summary.warnings += [
        Problem(source, 1, f'column "{name}" is not known; ignored', name)
        for name in columns.unknown
    ]
    return summary
