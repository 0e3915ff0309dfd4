"""The closed vocabularies of Kerja Sama Daerah: document types, kinds, funding,
DPRD approval, partner kinds, statuses, and the evaluation's levels,
recommendations and findings. Each term: a code (stored), a label (shown), and
the spellings people type.
"""

from __future__ import annotations

from kerjasama_cli.vocab.words import Term, Vocabulary

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
            (
                "tidak ada",
                "tanpa pembiayaan",
                "tanpa anggaran",
                "tidak ada anggaran",
                "tidak menggunakan anggaran",
                "tidak membebani",
                "non anggaran",
                "nonanggaran",
                "non-budget",
                "nihil",
                "none",
            ),
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
    ref="partner-kinds",
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
        Term(
            "terlaksana",
            "Terlaksana",
            "Implemented",
            (
                "sudah terlaksana",
                "telah terlaksana",
                "sudah dilaksanakan",
                "telah dilaksanakan",
                "terlaksana seluruhnya",
                "terlaksana sepenuhnya",
                "terlaksana penuh",
                "terealisasi",
                "sudah",
                "selesai",
                "100%",
            ),
        ),
        Term(
            "sebagian",
            "Terlaksana Sebagian",
            "Partly implemented",
            (
                "terlaksana sebagian",
                "sebagian terlaksana",
                "sebagian",
                "dalam pelaksanaan",
                "dalam proses",
                "proses",
                "sedang berjalan",
                "sedang dilaksanakan",
                "on progress",
                "berjalan",
            ),
        ),
        Term(
            "belum",
            "Belum Terlaksana",
            "Not yet implemented",
            (
                "belum terlaksana",
                "belum dilaksanakan",
                "belum berjalan",
                "belum terealisasi",
                "belum",
            ),
        ),
        Term(
            "tidak",
            "Tidak Terlaksana",
            "Not implemented",
            (
                "tidak terlaksana",
                "tidak dilaksanakan",
                "tidak berjalan",
                "tidak terealisasi",
                "tidak",
                "gagal",
            ),
        ),
    ),
    ref="levels",
)

RECOMMENDATIONS = Vocabulary(
    "recommendation",
    (
        Term(
            "dilanjutkan",
            "Dilanjutkan",
            "Continue",
            ("lanjut", "lanjutkan", "diteruskan", "perlu dilanjutkan", "tetap dilanjutkan"),
        ),
        Term(
            "diperpanjang",
            "Diperpanjang",
            "Extend",
            ("perpanjang", "perpanjangan", "perlu diperpanjang", "perlu perpanjangan"),
        ),
        Term(
            "diperluas",
            "Diperluas",
            "Widen",
            ("perluas", "perluasan", "perlu diperluas", "dikembangkan", "ditingkatkan"),
        ),
        Term(
            "ditinjau",
            "Ditinjau Kembali / Adendum",
            "Review or amend",
            (
                "ditinjau kembali",
                "ditinjau-adendum",
                "ditinjau",
                "adendum",
                "perlu adendum",
                "perlu diadendum",
                "diadendum",
                "perlu ditinjau",
                "perlu ditinjau kembali",
                "revisi",
                "perlu revisi",
                "direvisi",
                "evaluasi ulang",
            ),
        ),
        Term(
            "dihentikan",
            "Dihentikan",
            "Stop",
            (
                "hentikan",
                "diakhiri",
                "tidak dilanjutkan",
                "tidak diperpanjang",
                "perlu dihentikan",
            ),
        ),
    ),
    ref="recommendations",
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

# The states of an evaluation in the cycle with the OPDs (issue 15): an OPD's
# returned form is submitted; the TKKSD returns it for correction or verifies it.
# What the office records itself is verified at once.
EVALUATION_STATES = Vocabulary(
    "evaluation state",
    (
        Term("diajukan", "Diajukan", "Submitted", ("submitted", "dikirim", "masuk")),
        Term(
            "dikembalikan",
            "Dikembalikan",
            "Returned for correction",
            ("returned", "dikembalikan ke opd", "perlu perbaikan", "revisi"),
        ),
        Term(
            "diverifikasi",
            "Diverifikasi",
            "Verified",
            ("verified", "terverifikasi", "sudah diverifikasi", "final"),
        ),
    ),
)
