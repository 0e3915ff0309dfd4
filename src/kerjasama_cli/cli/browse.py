"""Commands that read the register: show, list, due, history."""

from typing import Annotated

import typer

from kerjasama_cli.cli.common import (
    AsOfOption,
    FormatOption,
    JsonOption,
    OutputFormat,
    as_of_date,
    output_format,
    print_json,
    reading,
)


def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id or number.")],
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one agreement in full.

    Example:

    \b
      kerjasama show 180/12/KB/2021
    """
    from kerjasama_cli.cli import render
    from kerjasama_cli.queries import get_view
    from kerjasama_cli.settings import warning_days

    with reading(ctx) as session:
        view = get_view(session, ref, as_of=as_of_date(as_of), warning_days=warning_days(session))
    if as_json:
        print_json(view.to_dict())
    else:
        render.print_detail(view)


def list_command(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="draf, berlaku, akan-berakhir, berakhir, diperpanjang or "
            "diakhiri; repeat for several.",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", metavar="KIND", help="ksdd, ksdpk, ...")
    ] = None,
    doc_type: Annotated[
        list[str] | None,
        typer.Option("--doc-type", metavar="TYPE", help="kb, pks, adendum, nota-kesepakatan."),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", metavar="OPD", help="Perangkat daerah (OPD).")
    ] = None,
    partner: Annotated[
        str | None, typer.Option("--partner", metavar="NAME", help="Partner (mitra).")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region", metavar="NAME", help="Region, in a roll-up made by `kerjasama merge`."
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="YEAR", help="In force at any time during this year."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", metavar="TEXT", help="Text in number, title, scope, note or partner."
        ),
    ] = None,
    as_of: AsOfOption = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="id, number, title, signed, start, end, status, value or doc-type.",
        ),
    ] = "id",
    descending: Annotated[bool, typer.Option("--desc", help="Sort in descending order.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """List agreements, filtered and sorted.

    Examples:

    \b
      kerjasama list --status berlaku --status akan-berakhir
      kerjasama list --year 2021 --unit 'Dinas Kesehatan' --sort end
      kerjasama list --search beasiswa --format csv > beasiswa.csv
    """
    from kerjasama_cli.cli import render
    from kerjasama_cli.parse import check_year
    from kerjasama_cli.queries import ListFilter, list_agreements
    from kerjasama_cli.settings import warning_days

    if year is not None:
        check_year(year, "--year")
    filters = ListFilter(
        statuses=status or [],
        kinds=kind or [],
        doc_types=doc_type or [],
        unit=unit,
        partner=partner,
        region=region,
        year=year,
        search=search,
        sort=sort,
        descending=descending,
    )
    with reading(ctx) as session:
        views = list_agreements(
            session, filters, as_of=as_of_date(as_of), warning_days=warning_days(session)
        )
    render.print_agreements(views, output_format(fmt, as_json))


GROUP_TITLES = {
    "overdue": "Sudah berakhir, belum diperpanjang atau diakhiri",
}


def due(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            metavar="DAYS",
            min=0,
            help="Look this many days ahead (default: warning-days, 90).",
        ),
    ] = None,
    overdue_days: Annotated[
        int,
        typer.Option(
            "--overdue-days",
            metavar="DAYS",
            min=0,
            help="Also list those that ended in the last DAYS days.",
        ),
    ] = 365,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """What needs attention: agreements ending soon (7/30/60/90 days), those that
    ended with nothing decided, KBs that have no PKS yet, and OPDs whose
    evaluation forms are past their deadline.

    Example:

    \b
      kerjasama due --within 60
    """
    from kerjasama_cli.cli import render
    from kerjasama_cli.evaluation.board import overdue_forms
    from kerjasama_cli.queries import due_report
    from kerjasama_cli.settings import warning_days

    with reading(ctx) as session:
        days = warning_days(session)
        report = due_report(
            session,
            as_of=as_of_date(as_of),
            within=days if within is None else within,
            overdue_days=overdue_days,
            warning_days=days,
        )
        late = overdue_forms(session, as_of_date(as_of))
    if as_json:
        print_json({**report.to_dict(), "overdue_forms": [form.to_dict() for form in late]})
        return
    out = render.console()
    empty = True
    for name, views in report.buckets.items():
        if not views:
            continue
        empty = False
        title = GROUP_TITLES.get(name, f"Berakhir dalam {name} hari")
        out.print(render.agreements_table(views, title=f"{title} ({len(views)})"))
    if report.kb_without_pks:
        empty = False
        out.print(
            render.agreements_table(
                report.kb_without_pks,
                title=f"Kesepakatan Bersama tanpa PKS ({len(report.kb_without_pks)})",
            )
        )
    if late:
        empty = False
        out.print(f"[bold]Formulir evaluasi lewat batas waktu ({len(late)})[/bold]")
        for form in late:
            out.print(
                f"  {form.unit} ({form.year}): batas {form.due_on.strftime('%d/%m/%Y')}, "
                f"dijawab {form.answered} dari {form.in_force}"
            )
    if empty:
        out.print(f"Nothing ends within {report.within} days; every KB has a PKS.")


def history_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id or number.")],
    as_json: JsonOption = False,
) -> None:
    """Every change ever made to an agreement: when, who, which command, old and new.

    Example:

    \b
      kerjasama history 180/12/KB/2021
    """
    from rich.table import Table

    from kerjasama_cli.cli import render
    from kerjasama_cli.queries import history

    with reading(ctx) as session:
        view, entries = history(session, ref)
    if as_json:
        print_json({"agreement": view.to_dict(), "history": [e.to_dict() for e in entries]})
        return
    table = Table(title=f"Riwayat {view.number} (id {view.id})", header_style="bold")
    for header in ("Waktu (UTC)", "Pengguna", "Perintah", "Kolom", "Lama", "Baru"):
        table.add_column(header, overflow="fold")
    for entry in entries:
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.user,
            entry.command,
            entry.field,
            entry.old or "-",
            entry.new or "-",
        )
    render.console().print(table)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("list")(list_command)
    app.command("due")(due)
    app.command("history")(history_command)
