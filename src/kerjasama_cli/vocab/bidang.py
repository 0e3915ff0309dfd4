"""The bidang urusan (government affairs) of UU 23/2014, as offices write them."""

from __future__ import annotations

import re

from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.vocab.words import Term, Vocabulary


def _bidang(label: str, group: str, *aliases: str) -> Term:
    return Term(code=label, label=label, label_en=group, aliases=aliases)


# The 32 government affairs of UU 23/2014 (6 basic-service, 18 other mandatory,
# 8 optional) and the supporting functions of the regional apparatus. The code
# is the official name, which is what reports print.
BIDANG = Vocabulary(
    "bidang urusan",
    (
        _bidang(
            "Pendidikan",
            "wajib-pelayanan-dasar",
            "disdik",
            "dikbud",
            "pendidikan dan kebudayaan",
            "pendidikan kepemudaan dan olahraga",
        ),
        _bidang("Kesehatan", "wajib-pelayanan-dasar", "dinkes"),
        _bidang(
            "Pekerjaan Umum dan Penataan Ruang",
            "wajib-pelayanan-dasar",
            "PUPR",
            "PU",
            "pekerjaan umum",
            "penataan ruang",
        ),
        _bidang(
            "Perumahan Rakyat dan Kawasan Permukiman",
            "wajib-pelayanan-dasar",
            "perkim",
            "perumahan",
            "perumahan dan kawasan permukiman",
        ),
        _bidang(
            "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
            "wajib-pelayanan-dasar",
            "trantibum",
            "trantibumlinmas",
            "ketentraman ketertiban umum dan perlindungan masyarakat",
            "ketenteraman dan ketertiban umum dan pelindungan masyarakat",
            "ketenteraman ketertiban umum dan perlindungan masyarakat",
        ),
        _bidang("Sosial", "wajib-pelayanan-dasar", "dinsos"),
        _bidang("Tenaga Kerja", "wajib-non-pelayanan-dasar", "ketenagakerjaan", "naker"),
        _bidang(
            "Pemberdayaan Perempuan dan Pelindungan Anak",
            "wajib-non-pelayanan-dasar",
            "PPPA",
            "P3A",
            "pemberdayaan perempuan dan perlindungan anak",
        ),
        _bidang("Pangan", "wajib-non-pelayanan-dasar", "ketahanan pangan"),
        _bidang("Pertanahan", "wajib-non-pelayanan-dasar"),
        _bidang("Lingkungan Hidup", "wajib-non-pelayanan-dasar", "LH", "DLH"),
        _bidang(
            "Administrasi Kependudukan dan Pencatatan Sipil",
            "wajib-non-pelayanan-dasar",
            "adminduk",
            "dukcapil",
            "kependudukan dan pencatatan sipil",
        ),
        _bidang(
            "Pemberdayaan Masyarakat dan Desa",
            "wajib-non-pelayanan-dasar",
            "PMD",
            "DPMD",
            "pemberdayaan masyarakat desa",
        ),
        _bidang(
            "Pengendalian Penduduk dan Keluarga Berencana",
            "wajib-non-pelayanan-dasar",
            "PPKB",
            "keluarga berencana",
        ),
        _bidang("Perhubungan", "wajib-non-pelayanan-dasar", "dishub"),
        _bidang(
            "Komunikasi dan Informatika",
            "wajib-non-pelayanan-dasar",
            "kominfo",
            "diskominfo",
        ),
        _bidang(
            "Koperasi, Usaha Kecil, dan Menengah",
            "wajib-non-pelayanan-dasar",
            "KUKM",
            "UKM",
            "UMKM",
            "koperasi dan UKM",
            "koperasi dan UMKM",
            "koperasi usaha mikro kecil dan menengah",
        ),
        _bidang(
            "Penanaman Modal",
            "wajib-non-pelayanan-dasar",
            "investasi",
            "PM",
            "penanaman modal dan pelayanan terpadu satu pintu",
            "penanaman modal dan PTSP",
            "PMPTSP",
            "DPMPTSP",
        ),
        _bidang(
            "Kepemudaan dan Olahraga",
            "wajib-non-pelayanan-dasar",
            "pemuda dan olahraga",
            "dispora",
            "kepemudaan dan olah raga",
        ),
        _bidang("Statistik", "wajib-non-pelayanan-dasar"),
        _bidang("Persandian", "wajib-non-pelayanan-dasar"),
        _bidang("Kebudayaan", "wajib-non-pelayanan-dasar", "budaya"),
        _bidang("Perpustakaan", "wajib-non-pelayanan-dasar"),
        _bidang("Kearsipan", "wajib-non-pelayanan-dasar", "arsip"),
        _bidang(
            "Kelautan dan Perikanan",
            "pilihan",
            "perikanan",
            "kelautan",
            "DKP",
        ),
        _bidang("Pariwisata", "pilihan", "dispar"),
        _bidang("Pertanian", "pilihan", "distan"),
        _bidang("Kehutanan", "pilihan"),
        _bidang("Energi dan Sumber Daya Mineral", "pilihan", "ESDM"),
        _bidang("Perdagangan", "pilihan", "disdag"),
        _bidang("Perindustrian", "pilihan", "industri"),
        _bidang("Transmigrasi", "pilihan"),
        _bidang("Perencanaan", "penunjang", "bappeda", "perencanaan pembangunan"),
        _bidang("Keuangan", "penunjang", "pengelolaan keuangan", "BPKAD", "pendapatan"),
        _bidang("Kepegawaian", "penunjang", "BKD", "BKPSDM", "sumber daya manusia"),
        _bidang("Pendidikan dan Pelatihan", "penunjang", "diklat", "pengembangan SDM"),
        _bidang(
            "Penelitian dan Pengembangan",
            "penunjang",
            "litbang",
            "BRIDA",
            "riset dan inovasi",
        ),
        _bidang("Pengawasan", "penunjang", "inspektorat"),
        _bidang(
            "Pemerintahan Umum",
            "penunjang",
            "pemerintahan",
            "kesekretariatan",
            "sekretariat daerah",
            "setda",
        ),
    ),
    ref="bidang",
)

BIDANG_GROUPS = {
    "wajib-pelayanan-dasar": "Urusan Wajib Pelayanan Dasar",
    "wajib-non-pelayanan-dasar": "Urusan Wajib Non-Pelayanan Dasar",
    "pilihan": "Urusan Pilihan",
    "penunjang": "Fungsi Penunjang Urusan Pemerintahan",
}


# Permendagri 90/2019 names each affair "Urusan Pemerintahan Bidang X"; offices
# also write "Bidang X", "Sub Urusan X", "Urusan X".
_PREFIX = re.compile(
    r"^\s*(?:(?:sub\s+)?urusan\s+(?:pemerintahan\s+)?(?:bidang\s+)?|bidang\s+(?:urusan\s+)?)",
    re.IGNORECASE,
)
# "Pelindungan (Perlindungan)": a spelling given twice, once in brackets.
_BRACKETED = re.compile(r"\s*\([^)]*\)")
# "Ketertiban Umum serta Pelindungan": 'serta' joins as 'dan' does.
_SERTA = re.compile(r"\bserta\b", re.IGNORECASE)


def match_bidang(text: str, *, label: str | None = None) -> str:
    """The official name of a bidang urusan, forgiving of commas, case, the prefix
    "Urusan Pemerintahan Bidang", 'serta' for 'dan', and 'perlindungan' for the
    statute's 'pelindungan'. An error quotes the text as typed, whole."""
    stripped = _SERTA.sub("dan", _PREFIX.sub("", text))
    candidates = [stripped, _BRACKETED.sub("", stripped)]
    candidates += [
        re.sub("perlindungan", "pelindungan", c, flags=re.IGNORECASE) for c in candidates
    ]
    for candidate in candidates:
        code = BIDANG.lookup(candidate)
        if code is not None:
            return code
    # "Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar - Pekerjaan Umum
    # dan Penataan Ruang": the name after the group.
    if " - " in stripped:
        return match_bidang(stripped.rsplit(" - ", 1)[1], label=label)
    raise InvalidValue(
        "bidang",
        text,
        f"is not a known {BIDANG.name}",
        label=label,
        hint=BIDANG.suggestion(candidates[1]),
    )
