"""kerjasama export YEAR --docx: the report as a Word document, read back with python-docx."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table

from conftest import Cli, snapshot

EXAMPLES = Path(__file__).parent.parent / "examples"

HEADINGS_ID = [
    ("Heading 1", "1. Pendahuluan"),
    ("Heading 1", "2. Rekapitulasi"),
    ("Heading 2", "Tingkat pelaksanaan"),
    ("Heading 2", "Jenis dokumen"),
    ("Heading 2", "Jenis kerja sama"),
    ("Heading 1", "3. Tingkat pelaksanaan per perangkat daerah"),
    ("Heading 1", "4. Kesepakatan Bersama tanpa PKS"),
    ("Heading 1", "5. Kerja sama yang berakhir tahun 2022"),
    ("Heading 1", "6. Kendala dan permasalahan"),
    ("Heading 2", "Temuan: Kendala"),
    ("Heading 1", "7. Rekomendasi dan tindak lanjut"),
]


@pytest.fixture
def sample(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)

    def build() -> None:
        cli("import", str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv"))
        for key, value in (("region", "Kabupaten Tanggamus"), ("signatory-name", "Maryani"),
                           ("signatory-title", "Kepala Bagian Kerja Sama"),
                           ("signatory-nip", "19700101 199503 2 001"), ("place", "Kota Agung"),
                           ("office", "Bagian Kerja Sama Sekretariat Daerah")):
            cli("config", "set", key, value)
        cli("finding", "add", "180/25/PKS/I.01/2020", "--year", "2021", "--category",
            "kendala", "--text", "Sinyal lemah", "--owner", "Dinas Komunikasi dan Informatika",
            "--due", "30/6/2022")

    snapshot(cli, "docx-sample", build)
    return cli


def export(cli: Cli, tmp_path: Path, *options: str, name: str = "r.docx") -> Document:
    path = tmp_path / name
    result = cli("export", "2021", "--docx", "--signed-on", "2022-01-31", *options,
                 "-o", str(path))
    assert result.stdout.strip() == str(path)
    return docx.Document(str(path))


def headings(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style is not None and (p.style.name or "").startswith("Heading")]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(document: Document, *header: str) -> Table:
    found = [t for t in document.tables if rows(t)[0][: len(header)] == list(header)]
    assert len(found) == 1, [rows(t)[0] for t in document.tables]
    return found[0]


def numbers_of(cli: Cli) -> dict[str, Any]:
    board = cli.json("evaluate", "2021")
    assert isinstance(board, dict)
    return board["numbers"]  # type: ignore[no-any-return]


def decimal(value: float) -> str:
    """As the Indonesian report shows a number: 79,6; 100."""
    return f"{value:g}".replace(".", ",")


def test_sections_in_order_and_numbers_are_the_cores(sample: Cli, tmp_path: Path) -> None:
    document = export(sample, tmp_path)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "PEMERINTAH KABUPATEN TANGGAMUS"  # the letterhead, not doubled
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == ("Laporan Evaluasi Pelaksanaan Kerja Sama Daerah Kabupaten Tanggamus "
                          "Tahun 2021")
    assert headings(document) == HEADINGS_ID
    assert texts[texts.index(title.text) + 1] == "Keadaan per 31 Desember 2021"
    assert any("Peraturan Pemerintah Nomor 28 Tahun 2018" in t for t in texts)

    numbers = numbers_of(sample)
    shown = {row[0]: row[1] for row in rows(table_headed(document, "", "2021"))[1:]}
    assert shown["Kerja sama berlaku"] == str(numbers["in_force"]) == "31"
    assert shown["Sudah dievaluasi"] == str(numbers["evaluated"]) == "27"
    assert shown["Cakupan evaluasi"] == decimal(numbers["coverage_pct"]) + "%" == "87,1%"
    assert shown["Indeks pelaksanaan"] == decimal(numbers["implementation_index"]) == "79,6"
    assert shown["KB tanpa PKS"] == str(numbers["kb_without_pks"])
    assert shown["Berakhir tahun 2022"] == str(numbers["ending_next_year"])
    assert shown["Masih terbuka"] == str(numbers["findings_open"]) == "1"

    levels = rows(table_headed(document, "Tingkat pelaksanaan", "Jumlah", "%"))[1:]
    assert [int(row[1]) for row in levels] == list(numbers["by_level"].values())
    assert levels[0][:2] == ["Terlaksana", "17"]
    units = rows(table_headed(document, "Perangkat daerah", "Kerja sama berlaku"))[1:]
    assert [row[0] for row in units] == list(numbers["coverage_by_unit"])
    for name, in_force, evaluated, _coverage, index in units:
        assert int(in_force) == numbers["coverage_by_unit"][name]["in_force"]
        assert int(evaluated) == numbers["coverage_by_unit"][name]["evaluated"]
        expected = numbers["index_by_unit"][name]
        assert index == ("-" if expected is None else decimal(expected))
    kinds = rows(table_headed(document, "Jenis kerja sama", "Jumlah"))[1:]
    assert sum(int(count) for _, count in kinds) == numbers["in_force"]
    findings = rows(table_headed(document, "Kerja sama", "Temuan"))
    assert findings[1][:4] == ["180/25/PKS/I.01/2020", "Sinyal lemah",
                               "Dinas Komunikasi dan Informatika", "30 Juni 2022"]
    ending = rows(table_headed(document, "Nomor", "Tentang", "Berakhir"))[1:]
    assert len(ending) == numbers["ending_next_year"]
    assert "Rp 3.200.000.000" in [row[3] for row in ending]

    # The signature block closes the document, on the right half.
    tail = [p for p in document.paragraphs if p.text][-4:]
    assert [p.text for p in tail] == ["Kota Agung, 31 Januari 2022", "Kepala Bagian Kerja Sama",
                                      "Maryani", "NIP. 19700101 199503 2 001"]
    assert all(p.paragraph_format.left_indent for p in tail)
    assert document.core_properties.title == title.text


def test_tables_repeat_their_header_row_and_right_align_numbers(sample: Cli,
                                                                tmp_path: Path) -> None:
    document = export(sample, tmp_path)
    assert len(document.tables) >= 9
    for table in document.tables:
        assert table.style is not None and table.style.name == "Table Grid"
        marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
                  for row in table.rows]
        assert marked == [True] + [False] * (len(table.rows) - 1), rows(table)[0]
        assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)
    units = table_headed(document, "Perangkat daerah", "Kerja sama berlaku")
    body = units.rows[1].cells
    assert body[0].paragraphs[0].alignment is None  # names: left
    assert all(str(c.paragraphs[0].alignment) == "RIGHT (2)" for c in body[1:])


@pytest.mark.parametrize(("paper", "size_mm"), [
    ("a4", (210, 297)), ("f4", (215, 330)), ("legal", (215.9, 355.6))])
def test_paper_size_and_page_numbers(sample: Cli, tmp_path: Path, paper: str,
                                     size_mm: tuple[float, float]) -> None:
    document = export(sample, tmp_path, "--paper", paper)
    section = document.sections[-1]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width.mm == pytest.approx(size_mm[0], abs=0.1)
    assert section.page_height.mm == pytest.approx(size_mm[1], abs=0.1)
    assert section.left_margin is not None and section.left_margin.mm == pytest.approx(30, abs=0.1)
    footer = section.footer._element
    fields = [node.text.strip() for node in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("Halaman ")
    assert " dari " in section.footer.paragraphs[0].text


def test_paper_from_config_and_english(sample: Cli, tmp_path: Path) -> None:
    sample("config", "set", "paper", "folio")
    document = export(sample, tmp_path, "--lang", "en")
    section = document.sections[-1]
    assert section.page_height is not None and section.page_height.mm == pytest.approx(330, abs=0.1)
    found = headings(document)
    assert found[0] == ("Heading 1", "1. Introduction")
    assert ("Heading 1", "7. Recommendations and follow-up") in found
    assert section.footer.paragraphs[0].text.startswith("Page ")
    shown = {row[0]: row[1] for row in rows(table_headed(document, "", "2021"))[1:]}
    assert shown["Implementation index"] == "79.6"
    assert document.paragraphs[0].text == "PEMERINTAH KABUPATEN TANGGAMUS"  # as the HTML's
    assert any(p.text == "Kota Agung, 31 January 2022" for p in document.paragraphs)


def test_same_register_same_bytes(sample: Cli, tmp_path: Path) -> None:
    export(sample, tmp_path, name="a.docx")
    export(sample, tmp_path, name="b.docx")
    digests = {hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.docx",
                                                                                 "b.docx")}
    assert len(digests) == 1


def office_template(folder: Path, *, strip: tuple[str, ...] = ()) -> Path:
    """An office's report.docx: its own fonts, a letterhead in the header, a body to drop."""
    folder.mkdir(exist_ok=True)
    template = docx.Document()
    template.styles["Normal"].font.name = "Bookman Old Style"
    template.styles["Heading 1"].font.name = "Tahoma"
    template.sections[0].header.paragraphs[0].text = "KOP SURAT BAGIAN KERJA SAMA"
    template.sections[0].left_margin = docx.shared.Mm(25)
    template.add_paragraph("Isi lama yang diganti")
    for name in strip:  # what a template made elsewhere may lack
        style = template.styles[name]
        style.element.getparent().remove(style.element)
    path = folder / "report.docx"
    template.save(str(path))
    return path


def test_office_template_styles_header_and_margins_are_kept(sample: Cli,
                                                            tmp_path: Path) -> None:
    office_template(tmp_path / "kop")
    document = export(sample, tmp_path, "--template-dir", str(tmp_path / "kop"))
    assert document.styles["Normal"].font.name == "Bookman Old Style"
    assert document.styles["Heading 1"].font.name == "Tahoma"
    section = document.sections[-1]
    assert section.header.paragraphs[0].text == "KOP SURAT BAGIAN KERJA SAMA"
    assert section.left_margin is not None and section.left_margin.mm == pytest.approx(25, abs=0.1)
    texts = [p.text for p in document.paragraphs]
    assert "Isi lama yang diganti" not in texts
    assert "PEMERINTAH KABUPATEN TANGGAMUS" not in texts  # the header is the letterhead
    assert headings(document) == HEADINGS_ID
    assert section.page_height is not None and section.page_height.mm == pytest.approx(297, abs=0.1)


def test_a_template_lacking_the_styles_still_gives_headings_and_borders(
        sample: Cli, tmp_path: Path) -> None:
    office_template(tmp_path / "kop", strip=("Heading 1", "Heading 2", "Title", "Table Grid"))
    document = export(sample, tmp_path, "--template-dir", str(tmp_path / "kop"))
    assert headings(document) == HEADINGS_ID
    heading = document.styles["Heading 1"].element
    assert heading.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"  # navigation sees it
    for table in document.tables:
        assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken", "zip"])
def test_a_broken_report_docx_is_refused_by_name(sample: Cli, tmp_path: Path,
                                                 content: bytes | str) -> None:
    folder = tmp_path / "kop"
    folder.mkdir()
    path = folder / "report.docx"
    if content == "zip":  # a zip, but no Word document
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    result = sample("export", "2021", "--docx", "--template-dir", str(folder),
                    "-o", str(tmp_path / "r.docx"), ok=False)
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    assert str(path) in result.stderr and "not a Word document" in result.stderr
    assert not (tmp_path / "r.docx").exists()


def test_the_whole_register_as_a_document(sample: Cli, tmp_path: Path) -> None:
    sample("export", "--docx", "-o", str(tmp_path / "reg.docx"))
    document = docx.Document(str(tmp_path / "reg.docx"))
    assert headings(document) == [("Heading 1", "1. Pendahuluan")]
    assert not document.tables


def test_control_characters_and_no_region_are_tolerated(sqlite_cli: Cli,
                                                        tmp_path: Path) -> None:
    cli = sqlite_cli
    cli("add-mou", "--number", "180/1/KB/2021", "--title", "Pengembangan SDM", "--partner",
        "Universitas Lampung", "--unit", "Dinas Kesehatan", "--signed", "2021-03-01",
        "--end", "2022-06-30")
    cli("evaluate", "2021", "180/1/KB/2021", "--level", "terlaksana", "--obstacles", "x",
        "--recommendation", "dilanjutkan")
    cli("config", "set", "office", "Bagian")
    dirty = "Judul\x1b[31m\x00nul\x0bvt\ufffepp\ttab\nbaris"
    connection = sqlite3.connect(cli.db)
    with connection:
        connection.execute("UPDATE agreement SET title = ?, number = ?", (dirty, dirty))
        connection.execute("UPDATE unit SET name = ?", (dirty,))
        connection.execute("UPDATE evaluation SET obstacles = ?", (dirty,))
        connection.execute("UPDATE setting SET value = ? WHERE key = 'office'", (dirty,))
    connection.close()
    document = export(cli, tmp_path)
    # No region: the office alone heads it, never "Pemerintah Pemerintah Daerah".
    assert document.paragraphs[0].text.startswith("JUDUL\ufffd[31M\ufffdNUL")
    assert not any(p.text.upper().startswith("PEMERINTAH") for p in document.paragraphs)
    assert document.paragraphs[2].text == ("Laporan Evaluasi Pelaksanaan Kerja Sama Daerah "
                                           "Tahun 2021")
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Judul\ufffd[31m\ufffdnul\ufffdvt\ufffdpp\ttab\nbaris" in cells


def test_last_years_numbers_and_the_regions(sample: Cli, tmp_path: Path) -> None:
    """2022 beside 2021 and the change, as the HTML's table; --by-region adds 2.1."""
    sample("export", "2022", "--docx", "-o", str(tmp_path / "r.docx"))
    document = docx.Document(str(tmp_path / "r.docx"))
    table = rows(table_headed(document, "", "2022", "Tahun lalu", "Perubahan"))
    shown = {row[0]: row[1:] for row in table[1:]}
    board = sample.json("evaluate", "2022")
    assert isinstance(board, dict)
    numbers = board["numbers"]
    assert shown["Kerja sama berlaku"] == [str(numbers["in_force"]), "31",
                                           str(numbers["in_force"] - 31)]
    assert shown["Sudah dievaluasi"][1] == "27"
    sample("export", "2021", "--docx", "--by-region", "-o", str(tmp_path / "regions.docx"))
    document = docx.Document(str(tmp_path / "regions.docx"))
    assert ("Heading 2", "2.1 Per daerah") in headings(document)
    regions = rows(table_headed(document, "Daerah", "Kerja sama berlaku"))[1:]
    assert sum(int(row[1]) for row in regions) == 31
