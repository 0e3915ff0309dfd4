"""A synthetic register of N agreements, shaped like a real office's export.

    python benchmarks/synthetic.py 100000 register.csv [register.xlsx]

Field sizes follow the sample in examples/: numbers like 180/123/PKS/I.01/2021,
titles of 5 to 12 words, one to three partners out of a few thousand, one or
two OPDs out of forty, dates in the five forms offices type, Rupiah amounts,
free-text terms. About 40% KB, 55% PKS (each naming an earlier KB), 5% adendum.
Deterministic for a given N and seed.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from kerjasama_cli.parse import DAYS_ID, MONTHS_ID
from kerjasama_cli.vocab import BIDANG

HEADER = [
    "No",
    "Jenis Dokumen",
    "Nomor",
    "Nomor Mitra",
    "Tentang",
    "Ruang Lingkup",
    "Mitra",
    "Jenis Kerja Sama",
    "Bidang Urusan",
    "Perangkat Daerah",
    "Tanggal Penandatanganan",
    "Tanggal Berakhir",
    "Jangka Waktu",
    "Nilai",
    "Sumber Pembiayaan",
    "Induk",
    "Keterangan",
]
WORDS = (
    "pengembangan peningkatan pelayanan pengelolaan penyelenggaraan kerja sama "
    "pendidikan kesehatan jalan jembatan air minum sampah pariwisata pertanian "
    "perikanan beasiswa pelatihan sumber daya manusia aparatur desa digital "
    "kawasan industri pasar ekonomi kreatif bencana perbatasan listrik energi "
    "teknologi informasi data statistik kependudukan investasi koperasi usaha"
).split()
UNITS = (
    [
        f"Dinas {name}"
        for name in (
            "Pendidikan",
            "Kesehatan",
            "Pekerjaan Umum dan Penataan Ruang",
            "Perhubungan",
            "Pertanian",
            "Perikanan",
            "Pariwisata",
            "Lingkungan Hidup",
            "Sosial",
            "Koperasi dan UKM",
            "Komunikasi dan Informatika",
            "Penanaman Modal dan PTSP",
            "Pemuda dan Olahraga",
            "Perdagangan",
            "Perindustrian",
            "Kependudukan dan Pencatatan Sipil",
            "Tenaga Kerja",
            "Perumahan dan Kawasan Permukiman",
            "Ketahanan Pangan",
            "Perpustakaan dan Kearsipan",
        )
    ]
    + [
        f"Badan {name}"
        for name in (
            "Perencanaan Pembangunan Daerah",
            "Pengelolaan Keuangan dan Aset Daerah",
            "Kepegawaian dan Pengembangan SDM",
            "Penanggulangan Bencana Daerah",
            "Pendapatan Daerah",
        )
    ]
    + [
        f"Kecamatan {name}"
        for name in (
            "Kota Agung",
            "Talang Padang",
            "Pulau Panggung",
            "Wonosobo",
            "Semaka",
            "Cukuh Balak",
            "Pugung",
            "Gisting",
            "Sumberejo",
            "Ulu Belu",
            "Pematang Sawa",
            "Limau",
            "Bandar Negeri",
            "Air Naningan",
            "Gunung Alip",
        )
    ]
)
PARTNER_KINDS = ("Universitas", "Politeknik", "PT", "CV", "Yayasan", "Pemerintah Kabupaten")
FUNDING = ("APBD", "APBN", "Mitra", "Masing-masing Pihak", "Tanpa Biaya", "")
KINDS = ("Pihak Ketiga", "KSDPK", "Antar Daerah", "KSDD", "Sinergi")


def typed_date(value: date, style: int) -> str:
    if style == 0:
        return f"{value.day}/{value.month}/{value.year}"
    if style == 1:
        return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
    if style == 2:
        return value.isoformat()
    if style == 3:
        return f"{DAYS_ID[value.weekday()]}, {value.day} {MONTHS_ID[value.month - 1]} {value.year}"
    return f"{value.day:02d}-{value.month:02d}-{value.year}"


def rupiah(amount: int, style: int) -> str:
    grouped = f"{amount:,}".replace(",", ".")
    return (f"Rp {grouped}", str(amount), f"Rp {grouped},00")[style % 3]


def rows(count: int, seed: int = 2021) -> Iterator[list[str]]:
    rng = random.Random(seed)
    partners = [
        f"{rng.choice(PARTNER_KINDS)} {' '.join(rng.sample(WORDS, 2)).title()} {i}"
        for i in range(max(50, count // 40))
    ]
    bidang = [term.code for term in BIDANG.terms]
    kbs: list[str] = []
    for index in range(1, count + 1):
        roll = rng.random()
        year = rng.randint(2015, 2024)
        signed = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        if roll < 0.40 or not kbs:
            doc, parent = "Kesepakatan Bersama", ""
            number = f"180/{index}/KB/I.01/{year}"
            kbs.append(number)
        elif roll < 0.95:
            doc, parent = "PKS", rng.choice(kbs[-500:])
            number = f"180/{index}/PKS/I.01/{year}"
        else:
            doc, parent = "Adendum", rng.choice(kbs[-500:])
            number = f"180/{index}/ADD/I.01/{year}"
        years = rng.randint(1, 5)
        style = index % 5
        explicit_end = rng.random() < 0.5
        end = signed + timedelta(days=365 * years - 1)
        yield [
            str(index),
            doc,
            number,
            f"{rng.randint(1, 999)}/MITRA/{year}" if rng.random() < 0.6 else "",
            " ".join(rng.sample(WORDS, rng.randint(5, 12))).capitalize(),
            " ".join(rng.sample(WORDS, rng.randint(3, 8))) if rng.random() < 0.5 else "-",
            "; ".join(rng.sample(partners, rng.choice((1, 1, 1, 2, 3)))),
            rng.choice(KINDS) if not doc.startswith("Pemerintah") else "Antar Daerah",
            rng.choice(bidang),
            "; ".join(rng.sample(UNITS, rng.choice((1, 1, 2)))),
            typed_date(signed, style),
            typed_date(end, style + 1) if explicit_end else "",
            f"{years} ({'satu dua tiga empat lima'.split()[years - 1]}) tahun",
            rupiah(rng.randint(1, 5000) * 1_000_000, index) if rng.random() < 0.7 else "",
            rng.choice(FUNDING),
            parent,
            "" if rng.random() < 0.8 else "Catatan " + " ".join(rng.sample(WORDS, 4)),
        ]


def write_csv(path: Path, count: int, seed: int = 2021) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))
    return path


def write_xlsx(path: Path, count: int, seed: int = 2021) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Daftar Kerja Sama")
    sheet.append(HEADER)
    for row in rows(count, seed):
        sheet.append(row)
    workbook.save(path)
    return path


if __name__ == "__main__":
    total = int(sys.argv[1])
    write_csv(Path(sys.argv[2]), total)
    if len(sys.argv) > 3:
        write_xlsx(Path(sys.argv[3]), total)
