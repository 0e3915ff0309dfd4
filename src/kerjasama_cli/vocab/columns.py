"""How offices head the columns of a register, an evaluation and a findings table.

Each field of the register has the spellings seen in offices' spreadsheets.
Two-row headers are read as "parent child" ("Jangka Waktu" over "Berakhir" is
"Jangka Waktu Berakhir"): those compound spellings are listed with the rest.
Matching ignores case, spacing and punctuation (``fold``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kerjasama_cli.vocab.words import fold

AGREEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "doc_type": (
        "Jenis Dokumen",
        "Jenis",
        "Tipe Dokumen",
        "Bentuk Dokumen",
        "Jenis Naskah",
        "Bentuk Kerja Sama",
    ),
    "number": (
        "Nomor",
        "Nomor Dokumen",
        "Nomor PKS",
        "Nomor Adendum",
        "Nomor Nota Kesepakatan",
        "Nomor Dokumen Kerja Sama",
        "Nomor Kerja Sama",
        "Nomor Surat",
        "Nomor dan Tanggal",
        "Nomor dan Tanggal Dokumen",
        "Nomor dan Tanggal Perjanjian",
        "Nomor Pemda",
        "No Dokumen",
        "No. Dokumen",
        "Nomor Naskah",
        "Nomor Perjanjian",
        "Nomor Kesepakatan",
        "Nomor Pemerintah Daerah",
        "Nomor Pihak I",
        "Nomor Pihak Kesatu",
        "Nomor Pihak Pertama",
        "Nomor Pemkab",
        "Nomor Pemkot",
        "Nomor Pemprov",
    ),
    "partner_number": (
        "Nomor Mitra",
        "Nomor Pihak Kedua",
        "Nomor Pihak II",
        "Nomor Pihak Lain",
    ),
    "title": (
        "Tentang",
        "Judul",
        "Perihal",
        "Judul Kerja Sama",
        "Judul Perjanjian",
        "Judul Dokumen",
        "Nama Kerja Sama",
        "Uraian Kerja Sama",
    ),
    "scope": ("Ruang Lingkup", "Lingkup Kerja Sama", "Ruang Lingkup Kerja Sama"),
    "partners": (
        "Mitra",
        "Pihak",
        "Para Pihak",
        "Nama Mitra",
        "Pihak Kedua",
        "Mitra Kerja Sama",
        "Nama Mitra Kerja Sama",
        "Instansi Mitra",
        "Pihak Yang Bekerja Sama",
        "Para Pihak Pihak I",
        "Para Pihak Pihak II",
        "Para Pihak Pihak Kesatu",
        "Para Pihak Pihak Kedua",
        "Para Pihak Pihak Pertama",
        "Para Pihak Mitra",
        "Pihak I",
        "Pihak II",
        "Pihak Kesatu",
        "Pihak Pertama",
    ),
    "partner_kind": ("Jenis Mitra", "Kategori Mitra", "Jenis Pihak"),
    "kind": ("Jenis Kerja Sama", "Jenis Kerjasama", "Jenis KS", "Jenis KSD"),
    "ksdd_category": ("Kategori KSDD", "Kategori"),
    "bidang": (
        "Bidang Urusan",
        "Urusan",
        "Bidang",
        "Urusan Pemerintahan",
        "Bidang Urusan Pemerintahan",
    ),
    "units": (
        "Perangkat Daerah",
        "OPD",
        "Pelaksana",
        "Perangkat Daerah Pelaksana",
        "OPD Pelaksana",
        "OPD Terkait",
        "Perangkat Daerah Terkait",
        "Leading Sector",
        "Unit Pelaksana",
        "Pelaksana Teknis",
    ),
    "signed_on": (
        "Tanggal Penandatanganan",
        "Tanggal TTD",
        "Tgl TTD",
        "Tgl. Penandatanganan",
        "Tanggal Ditandatangani",
        "Tanggal Tanda Tangan",
        "Tanggal",
        "Tanggal Penandatanganan Dokumen",
        "Tanggal Perjanjian",
        "Tanggal Kesepakatan",
        "Tanggal Dokumen",
    ),
    "starts_on": (
        "Tanggal Mulai",
        "Mulai Berlaku",
        "Tanggal Mulai Berlaku",
        "Jangka Waktu Mulai",
        "Masa Berlaku Mulai",
        "Jangka Waktu Awal",
        "Masa Berlaku Awal",
        "Berlaku Mulai",
    ),
    "ends_on": (
        "Tanggal Berakhir",
        "Berlaku Sampai",
        "Berakhir",
        "Berlaku s/d",
        "Berlaku Sampai Dengan",
        "Akhir Berlaku",
        "Tanggal Berakhirnya",
        "Jangka Waktu Berakhir",
        "Jangka Waktu Akhir",
        "Jangka Waktu Sampai",
        "Jangka Waktu s/d",
        "Masa Berlaku Berakhir",
        "Masa Berlaku Akhir",
        "Masa Berlaku Sampai",
        "Masa Berlaku s/d",
    ),
    "term_text": (
        "Jangka Waktu",
        "Masa Berlaku",
        "Lama Kerja Sama",
        "Jangka Waktu Lama",
        "Jangka Waktu Lamanya",
        "Masa Berlaku Lama",
        "Jangka Waktu Durasi",
    ),
    "value": (
        "Nilai",
        "Nilai (Rp)",
        "Nilai Kerja Sama",
        "Nilai Kontrak",
        "Nilai Perjanjian",
        "Nilai Rp",
        "Nilai Rupiah",
        "Anggaran",
        "Nilai Anggaran",
    ),
    "funding": (
        "Sumber Pembiayaan",
        "Sumber Dana",
        "Pembiayaan",
        "Sumber Anggaran",
        "Sumber Pendanaan",
    ),
    "dprd": ("Persetujuan DPRD",),
    "dprd_number": ("Nomor Persetujuan DPRD", "Persetujuan DPRD Nomor"),
    "dprd_date": ("Tanggal Persetujuan DPRD", "Persetujuan DPRD Tanggal"),
    "parent_number": (
        "Induk",
        "Nomor KB",
        "Nomor Induk",
        "Dokumen Induk",
        "Nomor MoU",
        "Nomor Kesepakatan Bersama",
        "Dasar KB",
        "KB Induk",
    ),
    "terminated_on": ("Tanggal Diakhiri", "Diakhiri", "Tanggal Pengakhiran"),
    "termination_reason": ("Alasan Diakhiri", "Alasan Pengakhiran"),
    "file_path": ("Dokumen", "Berkas", "File"),
    "note": ("Keterangan", "Catatan", "Ket", "Ket.", "Keterangan Lain"),
}
EVALUATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Nomor", "Nomor Dokumen", "Nomor Pemda", "Nomor Perjanjian", "No. Dokumen"),
    "year": ("Tahun", "Tahun Evaluasi"),
    # The hidden key column of an OPD's form (evaluate YEAR --forms).
    "form_key": ("Kunci",),
    "level": ("Tingkat Pelaksanaan", "Status Pelaksanaan", "Capaian Pelaksanaan"),
    "progress": (
        "Progres",
        "Progres (%)",
        "Progress",
        "Realisasi %",
        "Realisasi",
        "Realisasi (%)",
        "Persentase",
        "Persentase Capaian",
        "Capaian (%)",
    ),
    "follow_up": ("Tindak Lanjut",),
    "obstacles": (
        "Kendala",
        "Permasalahan",
        "Kendala/Permasalahan",
        "Kendala dan Permasalahan",
        "Hambatan",
        "Hambatan dan Kendala",
    ),
    "recommendation": ("Rekomendasi", "Saran"),
    "benefit": ("Manfaat", "Manfaat yang Dirasakan"),
    "added_value": ("Inovasi/Nilai Tambah", "Inovasi dan Nilai Tambah", "Nilai Tambah", "Inovasi"),
    "evidence": ("Bukti Dukung", "Bukti Pendukung", "Data Dukung", "Dokumen Pendukung"),
    "note": ("Keterangan", "Catatan"),
    "evaluator": ("Evaluator", "Penilai"),
    "evaluated_on": ("Tanggal Evaluasi",),
    "score": ("Skor", "Nilai Akhir", "Skor Akhir"),
    # The instrument some regions use (Kota Samarinda's monev form), each 1-5.
    "goal_fit": ("Kesesuaian Tujuan", "Kesesuaian dengan Tujuan"),
    "timeliness": ("Ketepatan Waktu",),
    "partner_contribution": ("Kontribusi Mitra", "Peran Mitra"),
    "coordination": ("Koordinasi", "Koordinasi Pelaksanaan"),
    "indicator_attainment": ("Capaian Indikator", "Pencapaian Indikator"),
    "impact": ("Dampak",),
    "document_completeness": ("Kelengkapan Dokumen",),
    "periodic_reporting": ("Pelaporan Berkala", "Laporan Berkala"),
    "relevance": ("Relevansi",),
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
# Columns with nothing to read: row numbers, and what exports write that is
# derived (a status, the region of a roll-up).
IGNORED_COLUMNS: dict[str, str] = {
    "No": "row numbers",
    "No.": "row numbers",
    "Nomor Urut": "row numbers",
    "No Urut": "row numbers",
    "Status": "derived from the dates",
    "Id": "the register's own id",
    "Renewed By": "derived",
    "Daerah": "the region of a roll-up (set by kerjasama merge)",
}
# The columns an evaluation or findings sheet repeats so that the OPDs know
# which agreement a row is about: nothing to read in them.
CONTEXT_COLUMNS = (
    "No",
    "No.",
    "Tentang",
    "Perangkat Daerah",
    "Jenis Dokumen",
    "Mitra",
    "Id",
    "Status",
    "Jangka Waktu",
    "Catatan Pemeriksa",  # an OPD form's note from the TKKSD (evaluate --return-to-opd)
    "Tanggal Berakhir",
    "Tanggal Penandatanganan",
    "Daerah",
)
REQUIRED_COLUMNS = ("doc_type", "number", "title", "partners")
# Fields several columns may feed at once ("Pihak I" and "Pihak II").
MULTI_COLUMN_FIELDS = ("partners",)


def column_index(columns: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Folded spelling -> field."""
    index: dict[str, str] = {}
    for canonical, aliases in columns.items():
        for spelling in (canonical, canonical.replace("_", " "), *aliases):
            index.setdefault(fold(spelling), canonical)
    return index


_UNITS = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "(Rp)", "(Tahun)", "[dd/mm/yyyy]"
_ABBREVIATIONS = ((re.compile(r"\btgl\b\.?", re.IGNORECASE), "tanggal"),)


def header_keys(text: str) -> list[str]:
    """A header cell's folded readings, most faithful first: as written; without a
    unit in brackets ("JANGKA WAKTU (TAHUN)"); "Tgl." as "Tanggal"; and each side
    of a "/" ("Judul / Tentang")."""
    keys = [fold(text)]
    bare = _UNITS.sub(" ", text)
    for pattern, word in _ABBREVIATIONS:
        bare = pattern.sub(word, bare)
    keys.append(fold(bare))
    if "/" in bare:
        keys += [fold(part) for part in bare.split("/") if part.strip()]
    return [key for key in dict.fromkeys(keys) if key]


AGREEMENT_INDEX = column_index(AGREEMENT_COLUMNS)
EVALUATION_INDEX = column_index(EVALUATION_COLUMNS)
FINDING_INDEX = column_index(FINDING_COLUMNS)
IGNORED_INDEX = {fold(name): why for name, why in IGNORED_COLUMNS.items()}
CONTEXT_INDEX = {fold(name) for name in CONTEXT_COLUMNS}
# Every header spelling of any table: a row whose cells are mostly these is a header.
KNOWN_HEADERS = (
    frozenset(AGREEMENT_INDEX) | set(EVALUATION_INDEX) | set(FINDING_INDEX) | set(IGNORED_INDEX)
)


def is_known_header(text: str) -> bool:
    """Whether a cell names a column of any table kerjasama reads."""
    return any(key in KNOWN_HEADERS for key in header_keys(text))
