"""Matching what users type onto the controlled vocabularies."""

from __future__ import annotations

import pytest

from kerjasama_cli import vocab
from kerjasama_cli.errors import InvalidValue


def test_there_are_32_urusan_and_the_supporting_functions() -> None:
    groups = [term.label_en for term in vocab.BIDANG.terms]
    assert groups.count("wajib-pelayanan-dasar") == 6
    assert groups.count("wajib-non-pelayanan-dasar") == 18
    assert groups.count("pilihan") == 8
    assert {"Perencanaan", "Keuangan", "Kepegawaian", "Pengawasan"} <= set(vocab.BIDANG.codes)


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Koperasi, Usaha Kecil dan Menengah", "Koperasi, Usaha Kecil, dan Menengah"),
        ("koperasi usaha kecil menengah", "Koperasi, Usaha Kecil, dan Menengah"),
        ("KOPERASI, USAHA KECIL, DAN MENENGAH", "Koperasi, Usaha Kecil, dan Menengah"),
        ("PUPR", "Pekerjaan Umum dan Penataan Ruang"),
        ("Pekerjaan Umum & Penataan Ruang", "Pekerjaan Umum dan Penataan Ruang"),
        ("Urusan Kesehatan", "Kesehatan"),
        ("kepemudaan dan olah raga", "Kepemudaan dan Olahraga"),
        ("Pemberdayaan Perempuan dan Perlindungan Anak",
         "Pemberdayaan Perempuan dan Pelindungan Anak"),
        ("Ketentraman, Ketertiban Umum dan Perlindungan Masyarakat",
         "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"),
        ("kominfo", "Komunikasi dan Informatika"),
    ],
)
def test_bidang_matches_forgivingly(typed: str, official: str) -> None:
    assert vocab.match_bidang(typed) == official


def test_unknown_bidang_suggests_the_closest() -> None:
    with pytest.raises(InvalidValue) as caught:
        vocab.match_bidang("Kesehatn", label="--bidang")
    assert "'Kesehatn' is not a known bidang urusan" in caught.value.message
    assert caught.value.hint is not None and "'Kesehatan'" in caught.value.hint


@pytest.mark.parametrize(
    ("typed", "code"),
    [("MoU", "kb"), ("Nota Kesepahaman", "kb"), ("Kesepakatan Bersama", "kb"),
     ("PKS", "pks"), ("Perjanjian Kerja Sama", "pks"), ("perjanjian kerjasama", "pks"),
     ("Addendum", "adendum")],
)
def test_doc_type_spellings(typed: str, code: str) -> None:
    assert vocab.DOC_TYPES.match(typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Antar Daerah", "ksdd"), ("Pihak Ketiga", "ksdpk"), ("KSDPK", "ksdpk"),
     ("sinergi", "sinergi")],
)
def test_kind_spellings(typed: str, code: str) -> None:
    assert vocab.KINDS.match(typed) == code


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Universitas Lampung", "perguruan-tinggi"),
        ("Pemerintah Kabupaten Pringsewu", "pemerintah-kabupaten-kota"),
        ("Pemerintah Provinsi Lampung", "pemerintah-provinsi"),
        ("PT PLN (Persero)", "bumn"),
        ("Kementerian Dalam Negeri", "kementerian-lembaga"),
        ("CV Maju Jaya", None),
    ],
)
def test_partner_kind_guessed_only_when_plain(name: str, kind: str | None) -> None:
    assert vocab.guess_partner_kind(name) == kind


def test_name_key_ignores_case_and_spacing() -> None:
    assert vocab.name_key("  Dinas   KESEHATAN ") == vocab.name_key("dinas kesehatan")


def test_better_spelling_replaces_a_flat_one() -> None:
    assert vocab.better_spelling("dinas kesehatan", "Dinas Kesehatan") == "Dinas Kesehatan"
    assert vocab.better_spelling("DINAS KESEHATAN", "Dinas Kesehatan") == "Dinas Kesehatan"
    assert vocab.better_spelling("Dinas Kesehatan", "dinas kesehatan") == "Dinas Kesehatan"
    assert vocab.better_spelling("Dinas Kesehatan", "Dinas kesehatan") == "Dinas Kesehatan"
