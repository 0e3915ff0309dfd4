"""Files made to hurt, or broken past use: each a clear error (exit 2), never a
traceback, a crash or gigabytes of memory."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from conftest import Cli
from kerjasama_cli.cli.app import app

HEADER = ["Jenis Dokumen", "Nomor", "Tentang", "Mitra", "Tanggal"]


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cell_longer_than_the_csv_limit_names_its_row(cli: Cli, tmp_path: Path) -> None:
    lines = [",".join(HEADER), "KB,1/KB,Judul,Unila,2021-01-04",
             f'KB,2/KB,"{"x" * 200_000}",Unila,2021-01-04']
    result = cli("import", str(write_csv(tmp_path / "panjang.csv", "\n".join(lines))), ok=False)
    assert result.exit_code == 2
    assert "row 3" in result.stderr and "longer than 131,072 characters" in result.stderr
    assert "Traceback" not in result.output


def test_an_unterminated_quote_names_the_row_it_opened_in(cli: Cli, tmp_path: Path) -> None:
    lines = [",".join(HEADER), "KB,1/KB,Judul,Unila,2021-01-04",
             'KB,2/KB,"Judul tanpa akhir,Unila,2021-01-04',
             *(f"KB,{n}/KB,Judul,Unila,2021-01-04" for n in range(3, 40))]
    result = cli("import", str(write_csv(tmp_path / "kutip.csv", "\n".join(lines))), ok=False)
    assert result.exit_code == 2
    assert "row 3 cannot be read" in result.stderr and "never closes" in result.stderr


def test_a_nested_json_object_is_refused_and_a_list_is_several_names(
    cli: Cli, tmp_path: Path
) -> None:
    item: dict[str, Any] = {"Jenis Dokumen": "KB", "Nomor": "1/KB", "Tentang": "Riset",
                            "Mitra": ["Universitas Lampung", "Politeknik Negeri Lampung"],
                            "Tanggal": "2021-01-04"}
    (tmp_path / "daftar.json").write_text(json.dumps([item]), encoding="utf-8")
    cli("import", str(tmp_path / "daftar.json"))
    shown = cli.json("show", "1/KB")
    assert isinstance(shown, dict)
    assert [p["name"] for p in shown["partners"]] == [
        "Universitas Lampung", "Politeknik Negeri Lampung"]

    item["Tentang"] = {"judul": "Riset", "bidang": "Pendidikan"}
    (tmp_path / "bersarang.json").write_text(json.dumps([item]), encoding="utf-8")
    result = cli("import", str(tmp_path / "bersarang.json"), ok=False)
    assert result.exit_code == 2
    assert "item 1, 'Tentang': a nested object is not a value" in result.stderr


def test_deeply_nested_json_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "dalam.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = cli("import", str(tmp_path / "dalam.json"), ok=False)
    assert result.exit_code == 2 and "nested too deeply" in result.stderr


def test_binary_data_on_standard_input_is_refused(cli: Cli) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", cli.db, "import", "-"], input=bytes(range(256)) * 64)
    assert result.exit_code == 2 and "binary data" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_path_of_ten_thousand_characters_is_told_briefly(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / ("a" * 10_000 + ".csv")), ok=False)
    assert result.exit_code == 2 and "cannot open" in result.stderr
    assert len(result.stderr) < 1_000


def rewrite_sheet(tmp_path: Path, name: str, change: Callable[[str], str]) -> Path:
    """A workbook of a valid table whose sheet XML is then changed by hand."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["KB", "1/KB", "Riset", "Unila", "2021-01-04"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    target = tmp_path / name
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def claim_everything(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                       "<is><t>x</t></is></c></row></sheetData>")


def claim_little_hold_far(xml: str) -> str:
    # The <dimension> says A1:E2; a cell, its attributes in another order, is far away.
    return xml.replace("</sheetData>", '<row r="900000"><c t="inlineStr" r="ZZZ900000">'
                       "<is><t>x</t></is></c></row></sheetData>")


def far_row_unnamed_cell(xml: str) -> str:
    # A cell without its own reference is in its row's row; one far column elsewhere.
    return xml.replace("</sheetData>", '<row r="2000"><c r="XFD2" t="inlineStr"><is><t>y</t>'
                       '</is></c></row><row r="900000"><c t="inlineStr"><is><t>x</t></is>'
                       "</c></row></sheetData>")


def past_excels_rows(xml: str) -> str:
    return xml.replace("</sheetData>", '<row r="3000000"><c r="A3000000"><v>1</v></c></row>'
                       "</sheetData>")


@pytest.mark.parametrize(("change", "told"), [
    (claim_everything, "far past any register"),
    (claim_little_hold_far, "far past any register"),
    (far_row_unnamed_cell, "far past any register"),
    (past_excels_rows, "past the 1,048,576 rows Excel allows"),
])
def test_a_workbook_reaching_far_is_refused_before_it_is_read(
    cli: Cli, tmp_path: Path, change: Callable[[str], str], told: str
) -> None:
    # Each of these made the reader allocate gigabytes (512 GiB for XFD1048576),
    # and the process abort.
    file = rewrite_sheet(tmp_path, "jauh.xlsx", change)
    assert file.stat().st_size < 10_000
    result = cli("import", str(file), ok=False)
    assert result.exit_code == 2 and told in result.stderr


def test_a_far_row_of_formatting_only_is_read(cli: Cli, tmp_path: Path) -> None:
    file = rewrite_sheet(tmp_path, "format.xlsx", lambda xml: xml.replace(
        "</sheetData>", '<row r="3000000" ht="30" customHeight="1"><c r="XFD3000000" s="0"/>'
        "</row></sheetData>"))
    assert "1 created" in cli("import", str(file)).stdout


def test_control_characters_and_overlong_texts_are_refused_row_by_row(
    cli: Cli, tmp_path: Path
) -> None:
    rows = [",".join([*HEADER, "OPD"]),
            "KB,1/KB,Ju\x01dul,Unila,2021-01-04,Dinas A",
            "KB,2/KB,Judul,Uni\x0bla,2021-01-04,Dinas B",
            "KB,3/KB,Judul,Unila,2021-01-04,Dinas\x07 C",
            "KB,4/KB,Judul,Unila,2021-01\x1b-04,Dinas C",
            f"KB,5/{'K' * 300},Judul,Unila,2021-01-04,Dinas C",
            "KB,6/KB,Judul,Unila,2021-01-04,Dinas C"]
    result = cli("import", str(write_csv(tmp_path / "kendali.csv", "\n".join(rows))), ok=False)
    assert result.exit_code == 1
    told = [line[line.index("kendali.csv:"):] for line in result.output.splitlines()
            if re.search(r"kendali\.csv:\d", line)]
    assert told == [
        "kendali.csv:2: column \"Tentang\": 'Ju\\x01dul' contains a control character "
        "(U+0001) at character 3",
        "kendali.csv:3: column \"Mitra\": 'Uni\\x0bla' contains a control character "
        "(U+000B) at character 4",
        "kendali.csv:4: column \"OPD\": 'Dinas\\x07 C' contains a control character "
        "(U+0007) at character 6",
        "kendali.csv:5: column \"Tanggal\": '2021-01\\x1b-04' contains a control character "
        "(U+001B) at character 8",
        *[line for line in told if line.startswith("kendali.csv:6:")],
    ]
    assert len(told) == 5 and "is 302 characters long; at most 200 fit" in told[-1]
    assert "valid row" in result.stderr  # the sixth, with --skip-invalid
