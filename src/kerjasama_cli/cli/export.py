"""`kerjasama export`: the annual evaluation workbook and report, or the whole register."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.common import AsOfOption, open_register, parse_date_option

FORMATS = ("xlsx", "html", "md", "csv", "json", "docx")


def export(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Argument(
            metavar="[YEAR]", help="The evaluation year; without it, the whole register."
        ),
    ] = None,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="The workbook (the default).")] = False,
    html: Annotated[bool, typer.Option("--html", help="The report, one printable file.")] = False,
    md: Annotated[bool, typer.Option("--md", help="The report in Markdown.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="One CSV file per sheet.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Everything as one JSON file.")] = False,
    docx: Annotated[
        bool, typer.Option("--docx", help="The report as a Word document, to finish and sign.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="The file (one format) or folder (several); default: the current folder.",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", metavar="OPD", help="Only this OPD's agreements.")
    ] = None,
    as_of: AsOfOption = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            metavar="DIR",
            help="Your own templates (letterhead.html.j2, ...), searched before the shipped ones.",
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", metavar="id|en", help="The report's language.")
    ] = "id",
    per_unit: Annotated[
        bool, typer.Option("--per-unit", help="Also one workbook sheet per OPD.")
    ] = False,
    paper: Annotated[
        str | None,
        typer.Option(
            "--paper",
            metavar="a4|f4|legal",
            help="The paper printed files are set for (F4: 215 x 330 mm, Excel's Folio); "
            "default: config set paper, else a4.",
        ),
    ] = None,
    signed_on: Annotated[
        str | None,
        typer.Option(
            "--signed-on",
            metavar="DATE",
            help="The date over the signature (with config set place); default: today.",
        ),
    ] = None,
    by_region: Annotated[
        bool,
        typer.Option(
            "--by-region",
            help="Add a 'Per Daerah' sheet and section: in force, coverage, index and "
            "open findings per region of a roll-up (kerjasama merge).",
        ),
    ] = False,
) -> None:
    """Write the year's evaluation workbook and report (or the whole register).

    Files are named evaluasi-kerja-sama-YEAR.xlsx (.html, .md, .json, .docx; --csv
    writes one file per sheet), or register-kerja-sama.* without YEAR. The
    same register and options give byte-identical workbooks. Statuses are as
    of 31 December of YEAR unless --as-of says otherwise, in every table and
    number: a finding closed later is shown open, its closing told as later.
    Each file is written whole or not at all; none is written over the
    register, another SQLite database, a device or a pipe. The paths written
    are printed, absolute, one a line; a file replaced is told on stderr.
    Without config set region the heading names no region (with a warning).

    Examples:

    \b
      kerjasama config set region "Kabupaten Tanggamus"
      kerjasama export 2021
      kerjasama export 2021 --xlsx --html --md -o laporan-2021/
      kerjasama export 2021 --docx --paper f4 --signed-on 2022-01-31
      kerjasama export 2021 --html --lang en --template-dir kop-surat/
      kerjasama export --csv -o register/
      kerjasama --db provinsi.db export 2021 --by-region --xlsx --html
    """
    from kerjasama_cli.errors import InvalidValue
    from kerjasama_cli.exporting.files import write_exports
    from kerjasama_cli.parse import check_year

    if year is not None:
        check_year(year, "YEAR")
    if unit is not None and not unit.strip():
        raise InvalidValue(
            "unit", unit, "is empty", label="--unit", hint="give an OPD, or leave --unit out"
        )
    chosen = [
        name for name, flag in zip(FORMATS, (xlsx, html, md, csv, json, docx), strict=True) if flag
    ] or ["xlsx"]
    if lang not in ("id", "en"):
        raise InvalidValue(
            "lang", lang, "is not a report language", label="--lang", hint="choose id or en"
        )
    from kerjasama_cli.cli.common import info
    from kerjasama_cli.db.files import sqlite_path
    from kerjasama_cli.exporting.content import region_name
    from kerjasama_cli.settings import all_settings

    register = open_register(ctx)
    replaced: list[Path] = []
    with register.reading() as session:
        written = write_exports(
            session,
            year,
            chosen,
            output=output,
            unit=unit,
            as_of=parse_date_option(as_of, "--as-of"),
            template_dir=template_dir,
            lang=lang,
            per_unit=per_unit,
            by_region=by_region,
            register=sqlite_path(register.url),
            paper=paper,
            signed_on=parse_date_option(signed_on, "--signed-on") or date.today(),
            replaced=replaced,
        )
        no_region = not region_name(all_settings(session).get("region", ""))
    if no_region and set(chosen) & {"xlsx", "html", "md", "docx"}:
        info(
            "Warning: no region is set, so the documents carry a heading without one; "
            'set it with: kerjasama config set region "Kabupaten Tanggamus"'
        )
    for path in replaced:
        info(f"Replaced {path}")
    for path in written:  # absolute, with or without -o: for scripts
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
