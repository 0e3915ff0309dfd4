"""The controlled vocabulary of Kerja Sama Daerah and how users' spellings map onto it.

Each vocabulary is a code (what the register stores and scripts see, e.g. ``kb``)
with an Indonesian label (what reports show) and the spellings people type
("MoU", "Nota Kesepahaman"). Matching ignores case, spacing and punctuation.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kerjasama_cli.errors import InvalidValue


def fold(text: str) -> str:
    """The matching key of a name: lower case, only letters and digits, without 'dan'/'&'."""
    words = re.split(r"[^0-9a-z]+", text.casefold().replace("&", " dan "))
    # "Koperasi, Usaha Kecil dan Menengah" and "koperasi usaha kecil menengah"
    # name the same thing: the conjunction carries no meaning here.
    return "".join(word for word in words if word != "dan")


@lru_cache(maxsize=1 << 16)  # an import asks for the same few hundred names again and again
def name_key(name: str) -> str:
    """The key under which partners and units are found: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def better_spelling(stored: str, typed: str) -> str:
    """Keep the stored name unless it is all one case and the typed one is not.

    The first spelling of "Dinas Kesehatan" may have been "dinas kesehatan";
    the first properly capitalised spelling replaces it in reports.
    """

    def flat(name: str) -> bool:
        return name == name.lower() or name == name.upper()

    return typed if flat(stored) and not flat(typed) else stored


def clean_name(name: str) -> str:
    """A name as stored: inner runs of white space collapsed, ends trimmed."""
    return " ".join(name.split())


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    """A closed list of terms, found by code, label or alias, forgivingly."""

    name: str
    terms: tuple[Term, ...]
    _index: dict[str, Term] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for term in self.terms:
            for spelling in (term.code, term.label, *term.aliases):
                self._index.setdefault(fold(spelling), term)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        return self.get(code).label

    def get(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(code)

    def match(self, text: str, *, field_name: str | None = None, label: str | None = None) -> str:
        """The code that ``text`` names; InvalidValue with the closest names otherwise."""
        term = self._index.get(fold(text))
        if term is not None:
            return term.code
        raise InvalidValue(
            field_name or self.name,
            text,
            f"is not a known {self.name}",
            label=label,
            hint=self.suggestion(text),
        )

    def suggestion(self, text: str) -> str:
        spellings = {fold(s): s for t in self.terms for s in (t.code, t.label)}
        close = difflib.get_close_matches(fold(text), list(spellings), n=3, cutoff=0.6)
        if close:
            return "did you mean " + " or ".join(repr(spellings[c]) for c in close) + "?"
        return "choose one of: " + ", ".join(self.codes)


DOC_TYPES = Vocabulary(
    "document type",
    (
        Term(
            "kb",
            "Kesepakatan Bersama",
            "Memorandum of Understanding",
            ("mou", "nota kesepahaman", "memorandum of understanding", "kesepakatan"),
        ),
        Term(
            "pks",
            "Perjanjian Kerja Sama",
            "Cooperation Agreement",
            ("perjanjian kerjasama", "perjanjian", "pk", "cooperation agreement"),
        ),
        Term("adendum", "Adendum", "Addendum", ("addendum", "amandemen", "perubahan")),
        Term(
            "nota-kesepakatan",
            "Nota Kesepakatan",
            "Memorandum of Agreement",
            ("nk", "nota kesepakatan bersama"),
        ),
    ),
)

KINDS = Vocabulary(
    "kind of cooperation",
    (
        Term(
            "ksdd",
            "Kerja Sama Daerah dengan Daerah Lain",
            "With another region",
            ("antar daerah", "antardaerah", "daerah lain", "kerja sama antar daerah"),
        ),
        Term(
            "ksdpk",
            "Kerja Sama Daerah dengan Pihak Ketiga",
            "With a third party",
            ("pihak ketiga", "pihak ke tiga", "pihak ke-3", "pihak ketiga swasta"),
        ),
        Term(
            "ksdpl",
            "Kerja Sama Daerah dengan Pemerintah Daerah di Luar Negeri",
            "With a foreign regional government",
            (
                "pemerintah daerah luar negeri",
                "pemda luar negeri",
                "sister city",
                "sister province",
            ),
        ),
        Term(
            "ksdll",
            "Kerja Sama Daerah dengan Lembaga di Luar Negeri",
            "With a foreign institution",
            ("lembaga luar negeri",),
        ),
        Term(
            "sinergi",
            "Sinergi dengan Kementerian/Lembaga",
            "Synergy with a central agency",
            ("kementerian", "kementerian lembaga", "pusat", "sinergi pusat dan daerah"),
        ),
    ),
)

KSDD_CATEGORIES = Vocabulary(
    "KSDD category",
    (
        Term("wajib", "Wajib", "Mandatory"),
        Term("sukarela", "Sukarela", "Voluntary"),
    ),
)

FUNDING = Vocabulary(
    "funding source",
    (
        Term("apbd", "APBD", "Regional budget (APBD)"),
        Term("apbn", "APBN", "State budget (APBN)"),
        Term("mitra", "Mitra", "The partner", ("pihak kedua", "partner", "swasta")),
        Term(
            "masing-masing",
            "Masing-masing Pihak",
            "Each party its own",
            ("masing masing pihak", "para pihak", "bersama", "apbd dan mitra"),
        ),
        Term(
            "tanpa-biaya",
            "Tanpa Biaya",
            "None",
            ("tidak ada", "tanpa pembiayaan", "tidak membebani", "nihil", "none"),
        ),
    ),
)

DPRD = Vocabulary(
    "DPRD approval",
    (
        Term("tidak-perlu", "Tidak Perlu", "Not needed", ("tidak", "no", "tidak diperlukan")),
        Term("perlu", "Perlu", "Needed", ("diperlukan", "menunggu", "belum disetujui")),
        Term("disetujui", "Disetujui", "Approved", ("sudah", "approved", "setuju")),
    ),
)

PARTNER_KINDS = Vocabulary(
    "partner kind",
    (
        Term(
            "pemerintah-provinsi",
            "Pemerintah Provinsi",
            "Provincial government",
            ("provinsi", "pemprov"),
        ),
        Term(
            "pemerintah-kabupaten-kota",
            "Pemerintah Kabupaten/Kota",
            "Regency/city government",
            ("kabupaten", "kota", "pemkab", "pemkot", "pemerintah kabupaten", "pemerintah kota"),
        ),
        Term(
            "kementerian-lembaga",
            "Kementerian/Lembaga",
            "Ministry or central agency",
            ("kementerian", "lembaga", "k/l", "instansi vertikal", "instansi pusat"),
        ),
        Term("bumn", "BUMN", "State-owned enterprise"),
        Term("bumd", "BUMD", "Region-owned enterprise"),
        Term(
            "badan-usaha-swasta",
            "Badan Usaha Swasta",
            "Private company",
            ("swasta", "perusahaan", "perusahaan swasta", "badan usaha"),
        ),
        Term(
            "perguruan-tinggi",
            "Perguruan Tinggi",
            "University",
            ("universitas", "kampus", "pt negeri", "ptn", "pts"),
        ),
        Term(
            "organisasi-kemasyarakatan",
            "Organisasi Kemasyarakatan",
            "Civil-society organisation",
            ("ormas", "lsm", "organisasi masyarakat", "yayasan", "asosiasi"),
        ),
        Term("perseorangan", "Perseorangan", "Individual", ("perorangan", "individu")),
        Term(
            "pemerintah-daerah-luar-negeri",
            "Pemerintah Daerah Luar Negeri",
            "Foreign regional government",
            ("pemda luar negeri",),
        ),
        Term(
            "lembaga-luar-negeri",
            "Lembaga Luar Negeri",
            "Foreign institution",
            ("lembaga asing",),
        ),
    ),
)

# Status is derived from dates, never typed (see status.py).
STATUSES = Vocabulary(
    "status",
    (
        Term("draf", "Draf", "Draft", ("draft", "belum ditandatangani")),
        Term("berlaku", "Berlaku", "In force", ("aktif",)),
        Term("akan-berakhir", "Akan Berakhir", "Expiring", ("segera berakhir",)),
        Term("berakhir", "Berakhir", "Expired", ("habis", "kedaluwarsa", "expired")),
        Term("diperpanjang", "Diperpanjang", "Extended", ("extended",)),
        Term("diakhiri", "Diakhiri", "Terminated", ("dihentikan", "terminated")),
    ),
)


# The annual evaluation (Evaluasi Pelaksanaan Kerja Sama Daerah).
LEVELS = Vocabulary(
    "implementation level",
    (
        Term("terlaksana", "Terlaksana", "Implemented", ("sudah terlaksana", "selesai", "100%")),
        Term(
            "sebagian",
            "Terlaksana Sebagian",
            "Partly implemented",
            ("terlaksana sebagian", "sebagian terlaksana", "dalam pelaksanaan", "berjalan"),
        ),
        Term(
            "belum",
            "Belum Terlaksana",
            "Not yet implemented",
            ("belum terlaksana", "belum dilaksanakan", "belum berjalan"),
        ),
        Term(
            "tidak",
            "Tidak Terlaksana",
            "Not implemented",
            ("tidak terlaksana", "tidak dilaksanakan", "tidak berjalan", "gagal"),
        ),
    ),
)

RECOMMENDATIONS = Vocabulary(
    "recommendation",
    (
        Term("dilanjutkan", "Dilanjutkan", "Continue", ("lanjut", "diteruskan")),
        Term("diperpanjang", "Diperpanjang", "Extend", ("perpanjang", "perpanjangan")),
        Term("diperluas", "Diperluas", "Widen", ("perluas", "perluasan")),
        Term(
            "ditinjau",
            "Ditinjau Kembali / Adendum",
            "Review or amend",
            ("ditinjau kembali", "ditinjau-adendum", "adendum", "revisi", "evaluasi ulang"),
        ),
        Term("dihentikan", "Dihentikan", "Stop", ("hentikan", "diakhiri", "tidak dilanjutkan")),
    ),
)

FINDING_CATEGORIES = Vocabulary(
    "finding category",
    (
        Term("kendala", "Kendala", "Obstacle", ("hambatan",)),
        Term("permasalahan", "Permasalahan", "Problem", ("masalah",)),
        Term("administrasi", "Administrasi", "Administrative", ("administratif", "dokumen")),
        Term("lainnya", "Lainnya", "Other", ("lain", "lain-lain")),
    ),
)

FINDING_STATUSES = Vocabulary(
    "finding status",
    (
        Term("terbuka", "Terbuka", "Open", ("open", "baru", "belum ditindaklanjuti")),
        Term(
            "dalam-proses",
            "Dalam Proses",
            "In progress",
            ("proses", "sedang ditindaklanjuti", "dalam tindak lanjut"),
        ),
        Term("selesai", "Selesai", "Closed", ("closed", "sudah ditindaklanjuti", "tuntas")),
        Term(
            "tidak-ditindaklanjuti",
            "Tidak Ditindaklanjuti",
            "Not followed up",
            ("tidak ditindaklanjuti", "ditolak"),
        ),
    ),
)
OPEN_FINDING_STATUSES = ("terbuka", "dalam-proses")


def _bidang(label: str, group: str, *aliases: str) -> Term:
    return Term(code=label, label=label, label_en=group, aliases=aliases)


# The 32 government affairs of UU 23/2014 (6 basic-service, 18 other mandatory,
# 8 optional) and the supporting functions of the regional apparatus. The code
# is the official name, which is what reports print.
BIDANG = Vocabulary(
    "bidang urusan",
    (
        _bidang("Pendidikan", "wajib-pelayanan-dasar", "disdik", "dikbud"),
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
)

BIDANG_GROUPS = {
    "wajib-pelayanan-dasar": "Urusan Wajib Pelayanan Dasar",
    "wajib-non-pelayanan-dasar": "Urusan Wajib Non-Pelayanan Dasar",
    "pilihan": "Urusan Pilihan",
    "penunjang": "Fungsi Penunjang Urusan Pemerintahan",
}


def match_bidang(text: str, *, label: str | None = None) -> str:
    """The official name of a bidang urusan, forgiving of commas, case and 'Urusan ...'."""
    stripped = re.sub(r"^\s*(urusan|bidang)\s+", "", text, flags=re.IGNORECASE)
    try:
        return BIDANG.match(stripped, field_name="bidang", label=label)
    except InvalidValue as error:
        # 'perlindungan' is the everyday spelling of the statute's 'pelindungan'.
        respelled = re.sub("perlindungan", "pelindungan", stripped, flags=re.IGNORECASE)
        if respelled != stripped:
            try:
                return BIDANG.match(respelled, field_name="bidang", label=label)
            except InvalidValue:
                pass
        raise error from None


_PARTNER_KIND_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("pemerintah provinsi", "pemerintah-provinsi"),
    ("pemprov", "pemerintah-provinsi"),
    ("provinsi", "pemerintah-provinsi"),
    ("pemerintah kabupaten", "pemerintah-kabupaten-kota"),
    ("pemerintah kota", "pemerintah-kabupaten-kota"),
    ("pemkab", "pemerintah-kabupaten-kota"),
    ("pemkot", "pemerintah-kabupaten-kota"),
    ("kabupaten", "pemerintah-kabupaten-kota"),
    ("kota ", "pemerintah-kabupaten-kota"),
    ("kementerian", "kementerian-lembaga"),
    ("universitas", "perguruan-tinggi"),
    ("institut", "perguruan-tinggi"),
    ("politeknik", "perguruan-tinggi"),
    ("sekolah tinggi", "perguruan-tinggi"),
    ("perumda", "bumd"),
    ("pdam", "bumd"),
    ("yayasan", "organisasi-kemasyarakatan"),
)


def guess_partner_kind(name: str) -> str | None:
    """The kind a partner's name makes plain ("Universitas Lampung"), else None."""
    lowered = name_key(name)
    if "(persero)" in lowered:
        return "bumn"
    for prefix, kind in _PARTNER_KIND_BY_PREFIX:
        if lowered.startswith(prefix):
            return kind
    return None


def unique(items: Iterable[str]) -> list[str]:
    """Items in order, each once (by its matching key)."""
    seen: set[str] = set()
    result = []
    for item in items:
        key = name_key(item)
        if key and key not in seen:
            seen.add(key)
            result.append(clean_name(item))
    return result
