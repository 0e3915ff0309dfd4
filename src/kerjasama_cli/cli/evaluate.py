"""`kerjasama evaluate YEAR [REF]`: the year's board, recording one, or walking through all."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kerjasama_cli.cli.common import JsonOption, info, open_register, print_json
from kerjasama_cli.cli.evaluation_labels import LABELS
from kerjasama_cli.errors import InvalidValue

if TYPE_CHECKING:
    from kerjasama_cli.evaluation import Board, UnitGroup


def _option(flag: str, help_text: str, metavar: str = "TEXT") -> Any:
    return typer.Option(flag, metavar=metavar, help=help_text)




def evaluate(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(metavar="YEAR", help="The year evaluated, e.g. 2021.")],
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[REF]...",
            help="Record this agreement (id or number); with --verify, those to verify.",
        ),
    ] = None,
    level: Annotated[
        str | None,
        _option("--level", "terlaksana, sebagian, belum or tidak (tingkat pelaksanaan).", "LEVEL"),
    ] = None,
    progress: Annotated[str | None, _option("--progress", "Progress 0-100 (%).", "PERCENT")] = None,
    follow_up: Annotated[
        str | None,
        _option("--follow-up", "What the programme did against the document's commitments."),
    ] = None,
    obstacles: Annotated[str | None, _option("--obstacles", "Kendala dan permasalahan.")] = None,
    recommendation: Annotated[
        str | None,
        _option(
            "--recommendation",
            "dilanjutkan, diperpanjang, diperluas, ditinjau or dihentikan.",
            "REC",
        ),
    ] = None,
    benefit: Annotated[str | None, _option("--benefit", "Manfaat: what it brought.")] = None,
    added_value: Annotated[
        str | None,
        _option("--added-value", "Inovasi/nilai tambah: what the cooperation added."),
    ] = None,
    evidence: Annotated[
        str | None,
        _option(
            "--evidence", "Bukti dukung: a document number, a link or a file path.", "REF"
        ),
    ] = None,
    note: Annotated[str | None, _option("--note", "Keterangan.")] = None,
    evaluator: Annotated[
        str | None,
        _option(
            "--evaluator",
            "Who evaluated (default: config set evaluator, else left empty).",
            "NAME",
        ),
    ] = None,
    score: Annotated[str | None, _option("--score", "Overall score 1-5.", "N")] = None,
    on: Annotated[
        str | None, _option("--on", "Date of the evaluation (default: today).", "DATE")
    ] = None,
    goal_fit: Annotated[str | None, _option("--goal-fit", "Instrument: goal fit 1-5.", "N")] = None,
    timeliness: Annotated[
        str | None, _option("--timeliness", "Instrument: timeliness 1-5.", "N")
    ] = None,
    partner_contribution: Annotated[
        str | None, _option("--partner-contribution", "Instrument: partner contribution 1-5.", "N")
    ] = None,
    coordination: Annotated[
        str | None, _option("--coordination", "Instrument: coordination 1-5.", "N")
    ] = None,
    indicator_attainment: Annotated[
        str | None, _option("--indicators", "Instrument: indicator attainment 1-5.", "N")
    ] = None,
    impact: Annotated[str | None, _option("--impact", "Instrument: impact 1-5.", "N")] = None,
    document_completeness: Annotated[
        str | None, _option("--documents", "Instrument: document completeness 1-5.", "N")
    ] = None,
    periodic_reporting: Annotated[
        str | None, _option("--reporting", "Instrument: periodic reporting 1-5.", "N")
    ] = None,
    relevance: Annotated[
        str | None, _option("--relevance", "Instrument: relevance 1-5.", "N")
    ] = None,
    unit: Annotated[
        str | None, _option("--unit", "Only the agreements of this OPD.", "OPD")
    ] = None,
    region: Annotated[
        str | None,
        _option("--region", "Only this region's, in a roll-up (kerjasama merge).", "NAME"),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Walk through the agreements not evaluated yet, asking for each field; "
            "each answer is saved at once, so you can stop and come back.",
        ),
    ] = False,
    record_auto: Annotated[
        bool, typer.Option("--record-auto", help="Store the automatic findings shown (once each).")
    ] = False,
    forms: Annotated[
        bool,
        typer.Option(
            "--forms",
            help="Write each implementing OPD its evaluation form (xlsx) to fill in and "
            "send back: its agreements in force during YEAR, what is known filled in.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FOLDER", help="With --forms: the folder (default: here)."
        ),
    ] = None,
    due: Annotated[
        str | None,
        _option(
            "--due",
            "With --forms: the deadline the forms give (default: config evaluation-due).",
            "DATE",
        ),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="TKKSD: verify the evaluations of REF... (or the submitted ones of --unit).",
        ),
    ] = False,
    by: Annotated[
        str | None,
        _option("--by", "With --verify: who checked (default: config evaluator).", "NAME"),
    ] = None,
    return_to_opd: Annotated[
        bool,
        typer.Option(
            "--return-to-opd",
            help="TKKSD: return REF's evaluation to its OPD to correct; --note says why.",
        ),
    ] = False,
    submitted: Annotated[
        bool,
        typer.Option(
            "--submitted",
            help="Record REF's evaluation as an OPD's answer (diajukan), to be verified.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The year's evaluation (Evaluasi Pelaksanaan Kerja Sama Daerah).

    Without REF: the board of the agreements in force during YEAR, by OPD, with
    each one's level or "belum dievaluasi", the totals, coverage, open findings
    and the findings raised automatically. With REF: record its evaluation.

    Examples:

    \b
      kerjasama evaluate 2021
      kerjasama evaluate 2021 180/22/PKS/I.01/2021 --level sebagian --progress 60 \\
        --obstacles "Data belum lengkap" --recommendation dilanjutkan
      kerjasama evaluate 2021 --interactive --unit "Dinas Kesehatan"
      kerjasama evaluate 2021 --record-auto --json > evaluasi-2021.json
      kerjasama evaluate 2021 --forms --due 31/01/2022 -o formulir-2021/
      kerjasama evaluate 2021 --verify --unit "Dinas Kesehatan" --by "TKKSD"
      kerjasama evaluate 2021 180/22/PKS/I.01/2021 --return-to-opd --note "Progres?"
      kerjasama --db provinsi.db evaluate 2021 --region Tanggamus
    """
    raw = {
        "level": level,
        "progress": progress,
        "follow_up": follow_up,
        "obstacles": obstacles,
        "recommendation": recommendation,
        "benefit": benefit,
        "added_value": added_value,
        "evidence": evidence,
        "note": note,
        "evaluator": evaluator,
        "score": score,
        "evaluated_on": on,
        "goal_fit": goal_fit,
        "timeliness": timeliness,
        "partner_contribution": partner_contribution,
        "coordination": coordination,
        "indicator_attainment": indicator_attainment,
        "impact": impact,
        "document_completeness": document_completeness,
        "periodic_reporting": periodic_reporting,
        "relevance": relevance,
    }
    from kerjasama_cli.parse import check_year

    check_year(year, "YEAR")
    for label, text in (("--unit", unit), ("--region", region)):
        if text is not None and not text.strip():
            raise InvalidValue(label.lstrip("-"), text, "is empty", label=label)
    given = {key: value for key, value in raw.items() if value is not None}
    refs = refs or []
    ref = refs[0] if refs else None
    if verify and return_to_opd:
        raise typer.BadParameter(
            "--verify and --return-to-opd are two different checks: give one of them"
        )
    if (verify or return_to_opd) and (forms or submitted):
        raise typer.BadParameter(
            "--verify and --return-to-opd check answers already in the register: "
            "leave out --forms and --submitted"
        )
    if verify or return_to_opd:
        from kerjasama_cli.cli.evaluation_states import check_states

        check_states(ctx, year, refs, given, unit=unit, by=by, verify=verify, as_json=as_json)
        return
    if by is not None:
        raise typer.BadParameter("--by goes with --verify")
    if len(refs) > 1:
        raise typer.BadParameter("record one agreement at a time (several REF go with --verify)")
    if not forms and (output is not None or due is not None):
        raise typer.BadParameter("--output and --due go with --forms")
    if forms:
        if ref is not None or given or interactive or record_auto or region is not None:
            raise typer.BadParameter(
                "--forms writes the OPDs' forms: give only YEAR, --unit, --due and --output"
            )
        from kerjasama_cli.cli.forms import send_forms

        send_forms(ctx, year, unit=unit, due=due, output=output, as_json=as_json)
    elif ref is not None:
        _record(ctx, year, ref, given, as_json, submitted)
    elif submitted:
        raise typer.BadParameter("--submitted records one agreement's evaluation: give REF")
    elif given:
        raise typer.BadParameter("give the agreement (REF) whose evaluation these options record")
    elif interactive:
        from kerjasama_cli.cli.evaluate_walk import walk

        walk(ctx, year, unit, region)
    else:
        _board(ctx, year, unit, region, record_auto, as_json)


def _record(
    ctx: typer.Context,
    year: int,
    ref: str,
    given: dict[str, str],
    as_json: bool,
    submitted: bool = False,
) -> None:
    from datetime import date

    from kerjasama_cli.evaluation import read_evaluation_fields, record_evaluation
    from kerjasama_cli.register import Actor
    from kerjasama_cli.settings import all_settings

    actor = Actor.current("evaluate")
    fields = read_evaluation_fields(given, LABELS)
    with open_register(ctx).writing() as session:
        # Who evaluated: --evaluator, else the office's setting, else nobody; never
        # the login name of whoever typed the command (it is in the history already).
        defaults: dict[str, object] = {"evaluated_on": date.today()}
        if all_settings(session).get("evaluator"):
            defaults["evaluator"] = all_settings(session)["evaluator"]
        result = record_evaluation(
            session,
            year,
            ref,
            fields,
            actor=actor,
            labels=LABELS,
            defaults=defaults,
            submitted=submitted,
        )
    if as_json:
        print_json(
            {
                "agreement_id": result.agreement_id,
                "number": result.number,
                "year": year,
                "created": result.created,
                "changes": [c.__dict__ for c in result.changes],
            }
        )
        return
    verb = "Recorded" if result.created else ("Updated" if result.changes else "Unchanged:")
    typer.echo(f"{verb} the {year} evaluation of {result.number} (id {result.agreement_id})")
    for change in result.changes:
        typer.echo(f"  {change.field}: {change.old or '-'} -> {change.new or '-'}")


def _board(
    ctx: typer.Context,
    year: int,
    unit: str | None,
    region: str | None,
    record_auto: bool,
    as_json: bool,
) -> None:
    from kerjasama_cli.evaluation import board, load_year, record_automatic
    from kerjasama_cli.register import Actor

    register = open_register(ctx)
    if record_auto:
        with register.writing() as session:
            result = board(load_year(session, year, region=region), unit=unit)
            stored = record_automatic(
                session, year, result.automatic, actor=Actor.current("evaluate")
            )
        info(f"Recorded {stored} automatic finding{'s' if stored != 1 else ''}")
    with register.reading() as session:
        result = board(load_year(session, year, region=region), unit=unit)
    if as_json:
        print_json(result.to_dict())
    else:
        _print_board(result)


def _print_board(result: "Board") -> None:
    from rich.table import Table

    from kerjasama_cli import vocab
    from kerjasama_cli.cli.render import console

    out = console()
    numbers = result.numbers
    out.print(f"[bold]Evaluasi Pelaksanaan Kerja Sama Daerah Tahun {result.year}[/bold]")
    for group in result.groups:
        table = Table(
            title=f"{group.unit}: {group.evaluated} dari {len(group.rows)} dievaluasi"
            + _form_line(group),
            title_justify="left",
            header_style="bold",
            show_edge=False,
        )
        for header in ("ID", "Nomor", "Tentang", "Tingkat Pelaksanaan", "Rekomendasi"):
            table.add_column(header, overflow="fold", no_wrap=header in ("ID", "Nomor"))
        for row in group.rows:
            evaluation = row.evaluation
            level = (
                vocab.LEVELS.label(evaluation.level)
                + (f" ({evaluation.progress}%)" if evaluation.progress is not None else "")
                if evaluation
                else "[yellow]belum dievaluasi[/yellow]"
            )
            if evaluation and not evaluation.verified:
                level += f" [yellow]({evaluation.state})[/yellow]"
            rec = (
                vocab.RECOMMENDATIONS.label(evaluation.recommendation)
                if evaluation and evaluation.recommendation
                else "-"
            )
            table.add_row(
                str(row.agreement.id), row.agreement.number, row.agreement.title, level, rec
            )
        out.print(table)
        out.print()
    totals = ", ".join(
        f"{vocab.LEVELS.label(code)} {count}" for code, count in numbers.by_level.items()
    )
    out.print(
        f"Berlaku {numbers.in_force}, dievaluasi {numbers.evaluated} "
        f"({_pct(numbers.coverage_pct)}); {totals}"
    )
    waiting = numbers.answered - numbers.evaluated
    if waiting:
        out.print(
            f"[yellow]{waiting} jawaban OPD belum diverifikasi[/yellow] (tidak dihitung; "
            f"dengan itu {numbers.answered} terjawab): kerjasama evaluate {result.year} "
            "--verify --unit OPD"
        )
    out.print(
        f"Indeks pelaksanaan: {_pct(numbers.implementation_index, '')}; "
        f"KB tanpa PKS: {numbers.kb_without_pks}; berakhir tahun {result.year + 1}: "
        f"{numbers.ending_next_year}"
    )
    if result.open_findings:
        out.print(f"\n[bold]Temuan terbuka ({len(result.open_findings)})[/bold]")
        for finding in result.open_findings:
            due = f", batas {finding.due_on.strftime('%d/%m/%Y')}" if finding.due_on else ""
            out.print(
                f"  #{finding.id} {finding.number}: {finding.text} "
                f"[dim]({finding.status}{due})[/dim]"
            )
    if result.automatic:
        out.print(f"\n[bold]Temuan otomatis ({len(result.automatic)})[/bold]")
        for item in result.automatic:
            mark = " [dim](tercatat)[/dim]" if item.recorded else ""
            out.print(f"  {item.number}: {item.text}{mark}")
        if not all(item.recorded for item in result.automatic):
            out.print("[dim]Store them as findings with --record-auto.[/dim]")


def _form_line(group: "UnitGroup") -> str:
    """'; formulir dikirim 05/01/2022, batas 31/01/2022 (LEWAT), dijawab 1'."""
    if group.form_sent_on is None:
        return ""
    line = f"; formulir dikirim {group.form_sent_on.strftime('%d/%m/%Y')}"
    if group.form_due_on is not None:
        line += f", batas {group.form_due_on.strftime('%d/%m/%Y')}"
        if group.overdue:
            line += " [red](LEWAT BATAS)[/red]"
    return line + f", dijawab {group.answered}"


def _pct(value: float | None, suffix: str = "%") -> str:
    return "-" if value is None else f"{value:g}{suffix}"


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
