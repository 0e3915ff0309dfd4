"""The pieces that find a table in a sheet and read its parties, one by one."""

from __future__ import annotations

import pytest

from kerjasama_cli import vocab
from kerjasama_cli.importing.cells import named_document
from kerjasama_cli.importing.layout import find_header, is_header_row, rows_text
from kerjasama_cli.importing.parties import detect_region_itself, split_names
from kerjasama_cli.importing.sources import sniff_delimiter


def labels(head: list[list[str]], merged: list[tuple[int, int, int, int]] = ()) -> tuple[
    list[int], list[str]
]:
    found = find_header(list(enumerate(head, start=1)), list(merged))
    assert found is not None
    return found.rows, [found.label(i) for i in range(len(found.parts))]


def test_the_header_is_the_first_row_naming_known_columns() -> None:
    rows, names = labels([
        ["DAFTAR KERJA SAMA DAERAH"], ["PEMERINTAH KABUPATEN TANGGAMUS"], ["TAHUN 2021"], [],
        ["No", "Nomor", "Tentang", "Keadaan"], ["1", "1/KB", "Riset", "baik"],
    ])
    assert rows == [5] and names == ["No", "Nomor", "Tentang", "Keadaan"]
    assert not is_header_row(["TAHUN 2021"]) and not is_header_row(["Nomor: 180/1/KB"])


@pytest.mark.parametrize(
    "head",
    [
        # merged cells, as calamine reads them: the value in the first cell only
        [["No", "Nomor", "", "Tentang", "Jangka Waktu", "", ""],
         ["", "Pemda", "Mitra", "", "Mulai", "Berakhir", "Lama"]],
        # merged cells filled in by the program that wrote the file
        [["No", "Nomor", "Nomor", "Tentang", "Jangka Waktu", "Jangka Waktu", "Jangka Waktu"],
         ["No", "Pemda", "Mitra", "Tentang", "Mulai", "Berakhir", "Lama"]],
    ],
)
def test_two_row_headers_read_parent_and_sub_column_together(head: list[list[str]]) -> None:
    data = ["1", "1/KB", "2/M", "t", "1/1/2021", "1/1/2022", "1 tahun"]
    rows, names = labels([*head, data])
    assert rows == [1, 2]
    assert names == ["No", "Nomor / Pemda", "Nomor / Mitra", "Tentang", "Jangka Waktu / Mulai",
                     "Jangka Waktu / Berakhir", "Jangka Waktu / Lama"]


def test_a_data_row_under_the_header_is_no_sub_header() -> None:
    rows, names = labels([["No", "Nomor", "Tentang", "Mitra"], ["1", "1/KB", "Riset", "Unila"]])
    assert rows == [1] and names == ["No", "Nomor", "Tentang", "Mitra"]


def test_merges_say_how_far_a_parent_spans() -> None:
    head = [["No", "Para Pihak", "", "Tentang"], ["", "Pihak I", "Pihak II", ""]]
    _rows, names = labels(head, [(1, 1, 1, 2), (1, 0, 2, 0)])
    assert names == ["No", "Para Pihak / Pihak I", "Para Pihak / Pihak II", "Tentang"]


@pytest.mark.parametrize(
    ("lines", "delimiter"),
    [
        (["DAFTAR KERJA SAMA", "", "No;Nomor;Tentang", "1;1/KB;Riset, SDM", "2;2/KB;t"], ";"),
        (["No,Nomor,Tentang", '1,1/KB,"Riset; SDM"', "2,2/KB,t"], ","),
        (["No\tNomor\tTentang", "1\t1/KB\tRiset, SDM"], "\t"),
        (["No|Nomor|Tentang", "1|1/KB|t"], "|"),
    ],
)
def test_the_delimiter_cuts_the_first_lines_into_one_width(lines: list[str],
                                                          delimiter: str) -> None:
    assert sniff_delimiter(lines) == delimiter


def test_rows_are_told_as_people_read_them() -> None:
    assert rows_text([7]) == "row 7"
    assert rows_text([8, 14, 20]) == "rows 8, 14, 20"
    assert rows_text([24, 25, 26, 27]) == "rows 24-27"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Universitas Lampung", ("Universitas Lampung",)),
        ("1. Pemerintah Kabupaten Pringsewu\n2. Universitas Lampung",
         ("Pemerintah Kabupaten Pringsewu", "Universitas Lampung")),
        ("1. Pemkab Pringsewu 2. Universitas Lampung", ("Pemkab Pringsewu", "Universitas Lampung")),
        ("a) Pemkot Metro\nb) Unila", ("Pemkot Metro", "Unila")),
        ("Pihak Kesatu: Pemkab Tanggamus; Pihak Kedua: Unila", ("Pemkab Tanggamus", "Unila")),
        ("- Unila\n- unila", ("Unila",)),
        ("PT. Bank Lampung (Perseroda)", ("PT. Bank Lampung (Perseroda)",)),
        ("3 Serangkai Foundation", ("3 Serangkai Foundation",)),
    ],
)
def test_parties_as_offices_list_them(cell: str, names: tuple[str, ...]) -> None:
    assert split_names(cell) == names


@pytest.mark.parametrize(
    ("party", "region", "itself"),
    [
        ("Pemerintah Kabupaten Tanggamus", "Kabupaten Tanggamus", True),
        ("Pemkab Tanggamus", "Kabupaten Tanggamus", True),
        ("Pemerintah Daerah Kab. Tanggamus", "Kabupaten Tanggamus", True),
        ("Bupati Tanggamus", "Kabupaten Tanggamus", True),
        ("Pemerintah Kota Metro", "Kabupaten Tanggamus", False),
        ("Pemerintah Kota Tanggamus", "Kabupaten Tanggamus", False),
        ("Universitas Tanggamus", "Kabupaten Tanggamus", False),
        ("Pemerintah Kabupaten Tanggamus", "Tanggamus", True),
    ],
)
def test_the_region_itself_by_its_names(party: str, region: str, itself: bool) -> None:
    assert vocab.names_region(party, region) is itself


def test_the_region_itself_is_the_party_every_row_names() -> None:
    cells = ["1. Pemkab A\n2. Unila", "1. Pemkab A\n2. Itera", "Pemkab A; Polinela"]
    found = detect_region_itself(cells, None)
    assert found.names == [("Pemkab A", "named on each of the first 3 rows")]
    assert not detect_region_itself(cells[:1], None)  # one row tells nothing
    assert not detect_region_itself(["A; B", "A; B"], None)  # two in common: which?
    configured = detect_region_itself(cells, "Kabupaten A")
    assert configured.names == [("Kabupaten A", "config region")]
    assert configured.matches("Pemkab A") and not configured.matches("Unila")


@pytest.mark.parametrize(
    ("note", "number"),
    [("Pelaksanaan KB Nomor 180/03/KB/I.01/2017", "180/03/KB/I.01/2017"),
     ("Adendum atas PKS No. 180/14/PKS/II.05/2021.", "180/14/PKS/II.05/2021"),
     ("nomor: 119/NK/2021 tentang sinergi", "119/NK/2021"),
     ("Sesuai jadwal", None), ("Nomor urut 5", None)],
)
def test_a_document_named_in_a_note(note: str, number: str | None) -> None:
    assert named_document(note) == number
