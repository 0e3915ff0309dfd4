"""`kerjasama finding`: raise findings (temuan) and follow them up until they are closed."""

from typing import Annotated

import typer

from kerjasama_cli.cli.common import JsonOption, parse_date_option, print_json, reading, writing

app = typer.Typer(
    help="Findings (temuan) and their follow-up, carried across years.", no_args_is_help=True
)


def _refuse_empty(**options: str | None) -> None:
    """An option given empty is an error ('-' leaves no owner or recommendation)."""
    from kerjasama_cli.register import refuse_empty

    for name, text in options.items():
        if text is not None:
            refuse_empty(name, text, f"--{name}", clears=name in ("owner", "recommendation"))


@app.command("add")
def add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The agreement: id or number.")],
    year: Annotated[
        int, typer.Option("--year", metavar="YEAR", help="The evaluation year that raised it.")
    ],
    category: Annotated[
        str,
        typer.Option(
            "--category", metavar="CATEGORY", help="kendala, permasalahan, administrasi or lainnya."
        ),
    ],
    text: Annotated[str, typer.Option("--text", help="What was found (uraian).")],
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="OPD", help="The OPD that must follow it up.")
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="Deadline (batas waktu).")
    ] = None,
    recommendation: Annotated[
        str | None, typer.Option("--recommendation", help="What is recommended.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Raise a finding on an agreement.

    Example:

    \b
      kerjasama finding add 180/22/PKS/I.01/2021 --year 2021 --category kendala \\
        --text "Data potensi belum lengkap" --owner Bappeda --due 31/3/2022
    """
    from kerjasama_cli.evaluation import add_finding
    from kerjasama_cli.parse import check_year
    from kerjasama_cli.register import Actor

    check_year(year, "--year")
    _refuse_empty(
        category=category, text=text, owner=owner, due=due, recommendation=recommendation
    )
    with writing(ctx) as session:
        finding_id = add_finding(
            session,
            ref,
            year=year,
            category=category,
            text=text,
            owner=owner,
            due_on=parse_date_option(due, "--due"),
            recommendation=recommendation,
            actor=Actor.current("finding add"),
        )
    if as_json:
        print_json({"id": finding_id})
    else:
        typer.echo(f"Added finding #{finding_id}")


@app.command("list")
def list_command(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", metavar="YEAR", help="Raised in this year.")
    ] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only those still open.")] = False,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="OPD", help="Only this OPD's.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open ones past their deadline.")
    ] = False,
    ref: Annotated[
        str | None, typer.Option("--agreement", metavar="REF", help="Only this agreement's.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List findings with their owner, deadline, status and last note.

    Examples:

    \b
      kerjasama finding list --open
      kerjasama finding list --overdue --owner "Dinas Kesehatan" --json
    """
    from kerjasama_cli.cli.render import console
    from kerjasama_cli.evaluation import FindingFilter, list_findings
    from kerjasama_cli.parse import check_year

    if year is not None:
        check_year(year, "--year")
    with reading(ctx) as session:
        findings = list_findings(session, FindingFilter(year, open_only, owner, overdue, ref))
    if as_json:
        print_json([f.to_dict() for f in findings])
        return
    from rich.table import Table

    out = console()
    wide = out.width >= 120
    table = Table(header_style="bold", show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Nomor", no_wrap=True)
    table.add_column("Uraian", ratio=3)
    table.add_column("Penanggung Jawab", ratio=1)
    table.add_column("Batas", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Catatan Terakhir", ratio=2)
    for f in findings:
        cells = [
            str(f.id),
            f.number,
            f"{f.text} ({f.category}, {f.year})",
            f.owner or "-",
            f.due_on.strftime("%d/%m/%Y") if f.due_on else "-",
            f.status,
        ]
        table.add_row(*cells, *([f.last_note or "-"] if wide else []))
    if findings:
        out.print(table)
    out.print(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", style="dim")


@app.command("update")
def update(
    ctx: typer.Context,
    finding_id: Annotated[int, typer.Argument(metavar="ID", help="The finding's number (#).")],
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="terbuka, dalam-proses, selesai or tidak-ditindaklanjuti.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was done (logged).")] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="A new deadline.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="OPD", help="A new owner.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="When it was closed (default: today)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Follow a finding up; every call adds a dated line to its log.

    Example:

    \b
      kerjasama finding update 3 --status selesai --note "PKS ditandatangani 2/3/2022"
    """
    from kerjasama_cli.evaluation import update_finding
    from kerjasama_cli.register import Actor

    _refuse_empty(status=status, note=note, due=due, owner=owner, on=on)
    with writing(ctx) as session:
        finding = update_finding(
            session,
            finding_id,
            status=status,
            note=note,
            due_on=parse_date_option(due, "--due"),
            owner=owner,
            on=parse_date_option(on, "--on"),
            actor=Actor.current("finding update"),
        )
    if as_json:
        print_json(finding.to_dict())
    else:
        typer.echo(
            f"Finding #{finding.id}: {finding.status}"
            + (f", closed {finding.closed_on.isoformat()}" if finding.closed_on else "")
        )
