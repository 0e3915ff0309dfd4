#!/bin/sh
# The sample register of a kabupaten as its Bagian Kerja Sama keeps it for the
# 2021 evaluation: 33 documents (KB, PKS, an adendum, a nota kesepakatan),
# typed the way an office types them (mixed date forms, "Rp 1.250.000.000",
# short names of bidang, OPD names in varying case). The names are real
# institutions of Lampung; numbers, dates and values are made up.
#
# Usage: sh examples/sample-register.sh [--replace] [DB]   (default DB: sample-2021.db)
#        --replace deletes DB first, so the line in README can be run again.
set -eu
REPLACE=no
if [ "${1:-}" = "--replace" ]; then
    REPLACE=yes
    shift
fi
DB=${1:-sample-2021.db}
if [ -e "$DB" ]; then
    if [ "$REPLACE" = no ]; then
        echo "$DB exists already; give --replace to start it afresh, or name another file" >&2
        exit 1
    fi
    rm -f "$DB" "$DB-wal" "$DB-shm"
fi
echo "Loading the sample register into $DB (one kerjasama call per document)..." >&2
k() { kerjasama --db "$DB" --quiet "$@" >/dev/null; }

kerjasama --db "$DB" config set region "Kabupaten Tanggamus" >/dev/null
kerjasama --db "$DB" config set office "Bagian Kerja Sama Sekretariat Daerah" >/dev/null

# --- KSDPK: universities -----------------------------------------------------------
k add-mou --number "180/01/KB/I.01/2019" --partner-number "12/UN26/KS/2019" \
  --title "Tri Dharma Perguruan Tinggi dan Pembangunan Daerah" \
  --scope "Pendidikan, penelitian, pengabdian kepada masyarakat" \
  --partner "Universitas Lampung" --kind "pihak ketiga" --bidang "Penelitian dan Pengembangan" \
  --unit "Badan Perencanaan Pembangunan Daerah" --signed "14/3/2019" --term "5 (lima) tahun" \
  --funding "masing-masing pihak"
k add-pks --mou "180/01/KB/I.01/2019" --number "180/07/PKS/I.01/2020" \
  --partner-number "488/UN26/KS/2020" --title "Kuliah Kerja Nyata Tematik Desa Mandiri" \
  --unit "Dinas Pemberdayaan Masyarakat dan Desa" --bidang "PMD" \
  --signed "Senin, 6 Januari 2020" --end "31 Desember 2021" --value "Rp 185.000.000" \
  --funding APBD
k add-pks --mou "180/01/KB/I.01/2019" --number "180/22/PKS/I.01/2021" \
  --title "Kajian Potensi Ekonomi Kawasan Teluk Semaka" \
  --unit "badan perencanaan  pembangunan daerah" --signed 2021-04-12 --term "8 bulan" \
  --value "Rp 240.000.000,00" --funding apbd
k add-mou --number "180/03/KB/I.01/2020" --title "Pengembangan Sumber Daya Manusia Aparatur" \
  --partner "Institut Teknologi Sumatera" --kind ksdpk --bidang "Kepegawaian" \
  --unit "Badan Kepegawaian dan Pengembangan SDM" --signed "20-02-2020" --term "3 tahun"
k add-pks --mou "180/03/KB/I.01/2020" --number "180/11/PKS/I.01/2020" \
  --title "Beasiswa Tugas Belajar S2 bagi ASN" --signed "2 Maret 2020" --end "1/3/2023" \
  --value "1.050.000.000" --funding apbd --dprd perlu
k add-mou --number "180/05/KB/I.01/2021" --title "Peningkatan Mutu Pendidikan Vokasi Pertanian" \
  --partner "Politeknik Negeri Lampung" --kind "Pihak Ketiga" --bidang pertanian \
  --unit "Dinas Pertanian" --unit "Dinas Pendidikan dan Kebudayaan" \
  --signed "Kamis, 19 Agustus 2021" --term "5 (lima) tahun"
# The KB above has no PKS yet: the evaluation's first finding.
# An older KB and its PKS, both over before 2021 (not part of the 2021 evaluation):
k add-mou --number "180/03/KB/I.01/2015" --title "Pengembangan Minapolitan Teluk Semaka" \
  --partner "Universitas Muhammadiyah Metro" --kind ksdpk --bidang "kelautan dan perikanan" \
  --unit "Dinas Perikanan" --signed "16 Juni 2015" --term "5 tahun"
k add-pks --mou "180/03/KB/I.01/2015" --number "180/08/PKS/I.01/2016" \
  --title "Pelatihan Pengolahan Hasil Perikanan" --signed "1 Maret 2016" \
  --end "31 Desember 2019" --value "Rp 120.000.000" --funding apbd

# --- KSDPK: companies, BUMN, BUMD ------------------------------------------------
k add-mou --number "180/02/KB/I.01/2018" --title "Penyaluran Kredit Usaha Rakyat bagi UMKM" \
  --partner "PT Bank Rakyat Indonesia (Persero) Tbk" --kind ksdpk \
  --bidang "Koperasi, Usaha Kecil dan Menengah" --unit "Dinas Koperasi, UKM dan Perindustrian" \
  --signed "5 Juli 2018" --term "sampai dengan tahun 2021" --funding "tanpa biaya"
k add-pks --mou "180/02/KB/I.01/2018" --number "180/09/PKS/I.01/2019" \
  --title "Pendampingan dan Penjaminan KUR Nelayan" \
  --unit "Dinas Koperasi, UKM dan Perindustrian" --unit "Dinas Perikanan" \
  --signed "11/02/2019" --end "30/06/2021" --funding mitra
k add-mou --number "180/04/KB/I.01/2020" --title "Layanan Perbankan dan Pengelolaan Kas Daerah" \
  --partner "PT Bank Pembangunan Daerah Lampung" --partner-kind bumd --kind ksdpk \
  --bidang keuangan --unit "Badan Pengelolaan Keuangan dan Aset Daerah" \
  --signed "27-01-2020" --term "4 tahun"
k add-pks --mou "180/04/KB/I.01/2020" --number "180/12/PKS/I.01/2020" \
  --title "Penerimaan Pajak Daerah secara Elektronik" --signed "3 Feb 2020" \
  --term "sampai dengan 31 Desember 2023" --funding "masing-masing"
k add-pks --mou "180/04/KB/I.01/2020" --number "180/31/PKS/I.01/2021" \
  --title "Transaksi Non Tunai Pembayaran Gaji dan Belanja Daerah" --signed "1 Juni 2021" \
  --end 2023-12-31 --funding "masing-masing"
k add-mou --number "180/06/KB/I.01/2019" --title "Penyediaan Tenaga Listrik Kawasan Industri" \
  --partner "PT PLN (Persero) Unit Induk Distribusi Lampung" --kind ksdpk --bidang ESDM \
  --unit "Dinas Penanaman Modal dan PTSP" --signed "8 Oktober 2019" --term "2 tahun"
k add-pks --mou "180/06/KB/I.01/2019" --number "180/19/PKS/I.01/2019" \
  --title "Penerangan Jalan Umum Tenaga Surya" --unit "Dinas Perhubungan" \
  --signed "28 Oktober 2019" --end "7 Oktober 2021" --value "Rp 2.400.000.000" --funding apbd \
  --dprd disetujui --dprd-number "170/12/DPRD/2019" --dprd-date "21 Oktober 2019"
k add-mou --number "180/08/KB/I.01/2021" --title "Penyelenggaraan Program Jaminan Kesehatan Nasional" \
  --partner "BPJS Kesehatan Cabang Metro" --partner-kind kementerian-lembaga --kind ksdpk \
  --bidang Kesehatan --unit "dinas kesehatan" --signed "4 Januari 2021" --term "3 tahun"
k add-pks --mou "180/08/KB/I.01/2021" --number "180/02/PKS/I.01/2021" \
  --title "Integrasi Jaminan Kesehatan Daerah ke JKN" --unit "Dinas Kesehatan" \
  --unit "RSUD Batin Mangunang" --signed "4 Januari 2021" --end "31 Desember 2021" \
  --value "Rp 12.750.000.000" --funding APBD --dprd disetujui \
  --dprd-number "170/02/DPRD/2020" --dprd-date "14 Desember 2020"
k add-mou --number "180/10/KB/I.01/2020" --title "Sinergi Program Tanggung Jawab Sosial Perusahaan" \
  --partner "PT Telkom Indonesia (Persero) Tbk" --kind ksdpk --bidang kominfo \
  --unit "Dinas Komunikasi dan Informatika" --signed "16/09/2020" --term "3 (tiga) tahun"
k add-pks --mou "180/10/KB/I.01/2020" --number "180/25/PKS/I.01/2020" \
  --title "Jaringan Internet Desa (Desa Digital)" --unit "Dinas Komunikasi dan Informatika" \
  --unit "Dinas Pemberdayaan Masyarakat dan Desa" --signed "1 Oktober 2020" \
  --end "30 September 2022" --funding mitra
k add-mou --number "180/12/KB/I.01/2021" --title "Pembinaan Wirausaha Muda" \
  --partner "Himpunan Pengusaha Muda Indonesia (HIPMI) Kabupaten Tanggamus" \
  --partner-kind ormas --kind ksdpk --bidang "kepemudaan dan olah raga" \
  --unit "Dinas Pemuda dan Olahraga" --signed "9 Maret 2021" --term "2 tahun"
k add-pks --mou "180/12/KB/I.01/2021" --number "180/17/PKS/I.01/2021" \
  --title "Inkubator Bisnis Pemuda" --unit "Dinas Pemuda dan Olahraga" \
  --signed "22 April 2021" --end "8 Maret 2023" --value "Rp 75.000.000,00" --funding apbd

# --- KSDD: other regions ------------------------------------------------------------
k add-mou --number "180/01/KB/I.01/2017" --title "Pengelolaan Sampah Regional" \
  --partner "Pemerintah Kabupaten Pringsewu" --kind "antar daerah" --ksdd-category wajib \
  --bidang "Lingkungan Hidup" --unit "Dinas Lingkungan Hidup" --signed "2 Mei 2017" \
  --term "5 tahun"
k add-pks --mou "180/01/KB/I.01/2017" --number "180/05/PKS/I.01/2018" \
  --title "Tempat Pemrosesan Akhir Sampah Bersama" --signed "15 Januari 2018" \
  --end "14 Januari 2021" --value "Rp 960.000.000" --funding "masing-masing pihak"
k add-mou --number "180/04/KB/I.01/2019" --title "Penanganan Jalan dan Jembatan Perbatasan" \
  --partner "Pemerintah Kabupaten Lampung Barat" --kind ksdd --ksdd-category wajib \
  --bidang PUPR --unit "Dinas Pekerjaan Umum dan Penataan Ruang" \
  --signed "Rabu, 10 April 2019" --term "5 tahun"
k add-pks --mou "180/04/KB/I.01/2019" --number "180/14/PKS/I.01/2019" \
  --title "Pemeliharaan Ruas Jalan Sedayu - Sumberejo" --signed "1 Juli 2019" \
  --end "31 Desember 2022" --value "Rp 3.200.000.000" --funding apbd --dprd disetujui \
  --dprd-number "170/08/DPRD/2019" --dprd-date "24 Juni 2019"
k add-mou --number "180/09/KB/I.01/2020" --title "Pengembangan Destinasi Wisata Teluk Semaka" \
  --partner "Pemerintah Kabupaten Pesawaran" --partner "Pemerintah Kota Bandar Lampung" \
  --kind ksdd --ksdd-category sukarela --bidang Pariwisata \
  --unit "Dinas Pariwisata" --signed "12 November 2020" --term "3 tahun"
k add-pks --mou "180/09/KB/I.01/2020" --number "180/04/PKS/I.01/2021" \
  --title "Paket Wisata Bahari Terpadu" --signed "15 Februari 2021" \
  --end "11 November 2023" --funding "masing-masing"
k add-mou --number "180/02/KB/I.01/2016" --title "Penanggulangan Bencana di Wilayah Perbatasan" \
  --partner "Pemerintah Provinsi Lampung" --kind ksdd --ksdd-category wajib \
  --bidang trantibum --unit "Badan Penanggulangan Bencana Daerah" --signed "3 Agustus 2016" \
  --term "5 tahun"
k add-pks --mou "180/02/KB/I.01/2016" --number "180/10/PKS/I.01/2017" \
  --title "Pos Siaga Bencana Bersama" --signed "1 Maret 2017" --end "2 Agustus 2021" \
  --funding apbd
k add-adendum --to "180/14/PKS/I.01/2019" --number "180/03/ADD/I.01/2021" \
  --title "Adendum Jadwal dan Nilai Pemeliharaan Ruas Jalan Sedayu - Sumberejo" \
  --signed "18 Mei 2021" --value "Rp 450.000.000" --note "tambahan nilai karena longsor"

# --- Sinergi with a central agency, and one that was ended early -------------------
k add-mou --doc-type nota-kesepakatan --number "180/07/NK/I.01/2021" --title "Percepatan Pendaftaran Tanah Sistematis Lengkap" \
  --partner "Kantor Pertanahan Kabupaten Tanggamus" --partner-kind "kementerian/lembaga" \
  --kind sinergi --bidang pertanahan --unit "Sekretariat Daerah" --signed "8 Februari 2021" \
  --term "sampai dengan tahun 2022"
k update "180/07/NK/I.01/2021" --note "Nota Kesepakatan dengan Rencana Kerja terlampir"
k add-mou --number "180/11/KB/I.01/2019" --title "Pengelolaan Air Minum Kawasan Perkotaan Kota Agung" \
  --partner "Perumda Air Minum Way Agung" --kind ksdpk --bidang PUPR \
  --unit "Dinas Perumahan dan Kawasan Permukiman" --signed "19/11/2019" --term "5 tahun"
k add-pks --mou "180/11/KB/I.01/2019" --number "180/21/PKS/I.01/2020" \
  --title "Penyertaan Jaringan Pipa Distribusi" --signed "13 Mei 2020" --end "18/11/2024" \
  --value "Rp 1.750.000.000" --funding apbd
k terminate "180/21/PKS/I.01/2020" --date "1 September 2021" \
  --reason "Diakhiri atas kesepakatan para pihak; aset diserahkan ke Perumda"
k extend "180/01/KB/I.01/2017" --end "1 Mei 2025"

echo "Loaded $(kerjasama --db "$DB" list --json | grep -c '"doc_type"') documents into $DB"
