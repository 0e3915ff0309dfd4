"""Commands that write agreements: add-mou, add-pks, add-adendum, update, extend, terminate.

The four add/update commands share one table of field options, so an option
means the same thing (and is spelled the same) everywhere.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kerjasama_cli.cli import common
from kerjasama_cli.cli.common import (
    info,
    parse_date_option,
    print_json,
    writing,
)
from kerjasama_cli.errors import InvalidValue, MissingValue

if TYPE_CHECKING:
    from kerjasama_cli.register import WriteResult


@dataclass(frozen=True)
class FieldOption:
    field: str
    flag: str
    help: str
    many: bool = False
    metavar: str = "TEXT"


FIELD_OPTIONS = (
    FieldOption(
        "number", "--number", "The region's document number, e.g. 180/12/KB/2021.", metavar="NUMBER"
    ),
    FieldOption(
        "partner_number",
        "--partner-number",
        "The partner's own number of the document.",
        metavar="NUMBER",
    ),
    FieldOption("title", "--title", "What it is about (tentang)."),
    FieldOption("scope", "--scope", "Ruang lingkup."),
    FieldOption(
        "partners", "--partner", "A partner (mitra); repeat for several.", many=True, metavar="NAME"
    ),
    FieldOption(
        "partner_kinds",
        "--partner-kind",
        "Kind of partner: one for all, or one per --partner (see: kerjasama ref partner-kinds).",
        many=True,
        metavar="KIND",
    ),
    FieldOption(
        "kind", "--kind", "Jenis kerja sama: ksdd, ksdpk, ksdpl, ksdll or sinergi.", metavar="KIND"
    ),
    FieldOption(
        "ksdd_category", "--ksdd-category", "For KSDD: wajib or sukarela.", metavar="CATEGORY"
    ),
    FieldOption(
        "bidang",
        "--bidang",
        "Bidang urusan, e.g. Kesehatan or PUPR (see: kerjasama ref bidang).",
        metavar="BIDANG",
    ),
    FieldOption(
        "units",
        "--unit",
        "Implementing perangkat daerah (OPD); repeat for several.",
        many=True,
        metavar="OPD",
    ),
    FieldOption(
        "signed_on",
        "--signed",
        "Signing date, e.g. '19 Agustus 2021' or 19/8/2021.",
        metavar="DATE",
    ),
    FieldOption("starts_on", "--start", "Start date (default: the signing date).", metavar="DATE"),
    FieldOption("ends_on", "--end", "End date (default: worked out from --term).", metavar="DATE"),
    FieldOption(
        "term_text",
        "--term",
        "Jangka waktu as written, e.g. '5 (lima) tahun' or 'sampai dengan tahun 2024'.",
    ),
    FieldOption("value", "--value", "Value in Rupiah, e.g. 'Rp 1.250.000.000'.", metavar="AMOUNT"),
    FieldOption(
        "funding", "--funding", "apbd, apbn, mitra, masing-masing or tanpa-biaya.", metavar="SOURCE"
    ),
    FieldOption(
        "dprd", "--dprd", "DPRD approval: tidak-perlu, perlu or disetujui.", metavar="STATE"
    ),
    FieldOption("dprd_number", "--dprd-number", "Number of the DPRD approval.", metavar="NUMBER"),
    FieldOption("dprd_date", "--dprd-date", "Date of the DPRD approval.", metavar="DATE"),
    FieldOption(
        "file", "--file", "The signed document (PDF); its SHA-256 is recorded.", metavar="PATH"
    ),
    FieldOption("note", "--note", "Keterangan."),
)
LABELS = {option.field: option.flag for option in FIELD_OPTIONS} | {"partners": "--partner"}
CLEAR_HELP = (
    "\n\nIn update, give '-' to clear a value ('--unit -' removes every OPD); an empty "
    "value is an error."
)


def _parameters(parent_flag: str | None, parent_help: str) -> list[inspect.Parameter]:
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    for option in FIELD_OPTIONS:
        annotation: Any = (
            Annotated[
                list[str] | None,
                typer.Option(option.flag, help=option.help, metavar=option.metavar),
            ]
            if option.many
            else Annotated[
                str | None, typer.Option(option.flag, help=option.help, metavar=option.metavar)
            ]
        )
        params.append(
            inspect.Parameter(
                option.field, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=None
            )
        )
    if parent_flag:
        params.append(
            inspect.Parameter(
                "parent",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None, typer.Option(parent_flag, metavar="REF", help=parent_help)
                ],
            )
        )
    params.append(
        inspect.Parameter(
            "as_json",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, typer.Option("--json", help="Print the result as JSON.")],
        )
    )
    return params


def _command(
    body: Callable[..., None], params: list[inspect.Parameter], doc: str
) -> Callable[..., None]:
    """A Typer command whose options come from FIELD_OPTIONS (built, not typed out 4x)."""

    def command(*args: Any, **kwargs: Any) -> None:
        body(*args, **kwargs)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = doc
    return command


def _ask(value: str | None, label: str, prompt: str) -> str | None:
    if value:
        return value
    if common.is_interactive():  # looked up here so tests can stand in for a terminal
        answer: str = typer.prompt(prompt)
        return answer
    raise MissingValue(label.lstrip("-"), label=label)


def _print_result(result: "WriteResult", verb: str, as_json: bool) -> None:
    from kerjasama_cli import vocab

    if as_json:
        print_json(
            {
                "id": result.agreement_id,
                "doc_type": result.doc_type,
                "number": result.number,
                "created": result.created,
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in result.changes],
            }
        )
    else:
        typer.echo(
            f"{verb} {vocab.DOC_TYPES.label(result.doc_type)} {result.number} "
            f"(id {result.agreement_id})"
        )
        for change in result.changes:
            typer.echo(f"  {change.field}: {change.old or '-'} -> {change.new or '-'}")
    for note in result.notes:
        info(f"Note: {note}")


def _refuse_empty(values: dict[str, Any], labels: dict[str, str]) -> None:
    """An option given empty ('--end ""') is an error, never a silent clear: '-' clears."""
    from kerjasama_cli.register import refuse_empty

    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                refuse_empty(name, item, labels.get(name, name))


def _split(values: dict[str, Any]) -> tuple[dict[str, str | None], dict[str, Any]]:
    """Field options (text to read) apart from the list and special options."""
    special = {"partners", "partner_kinds", "units", "file", "parent", "as_json", "ctx", "doc_type"}
    fields = {k: v for k, v in values.items() if k not in special}
    return fields, {k: v for k, v in values.items() if k in special}


def _framework_type(text: str) -> str:
    from kerjasama_cli import vocab

    code = vocab.DOC_TYPES.match(text, field_name="doc_type", label="--doc-type")
    if code not in ("kb", "nota-kesepakatan"):
        raise InvalidValue(
            "doc_type",
            text,
            "is not a framework document (kb or nota-kesepakatan); use add-pks or add-adendum",
            label="--doc-type",
        )
    return code


def _add(doc_type: str, command_name: str, parent_flag: str = "--mou") -> Callable[..., None]:
    labels = LABELS | {"parent": parent_flag}

    def body(ctx: typer.Context, **values: Any) -> None:
        from kerjasama_cli.register import (
            Actor,
            create_agreement,
            partner_specs,
            read_fields,
            read_names,
        )

        _refuse_empty(values, labels | {"doc_type": "--doc-type"})
        fields, special = _split(values)
        parent = special.get("parent")
        if doc_type == "adendum":
            parent = _ask(parent, parent_flag, "Dokumen yang diubah (id or number)")
        fields["number"] = _ask(fields["number"], "--number", "Nomor dokumen (region's number)")
        fields["title"] = _ask(fields["title"], "--title", "Tentang (title)")
        names = special["partners"] or []
        if not names and not parent:
            names = [_ask(None, "--partner", "Mitra (partner)") or ""]
        parsed = read_fields(fields, LABELS)
        chosen_type = _framework_type(special["doc_type"]) if special.get("doc_type") else doc_type
        with writing(ctx) as session:
            result = create_agreement(
                session,
                chosen_type,
                parsed,
                partners=partner_specs(names, special["partner_kinds"] or []),
                units=read_names(special["units"] or [], "units", "--unit"),
                parent_ref=parent,
                file=special["file"],
                actor=Actor.current(command_name),
                labels=labels,
            )
        _print_result(result, "Added", special["as_json"])

    return body


def _update_body(ctx: typer.Context, ref: str, **values: Any) -> None:
    from kerjasama_cli.register import (
        Actor,
        partner_specs,
        read_fields,
        read_names,
        update_agreement,
    )

    _refuse_empty(values, LABELS | {"parent": "--parent"})
    fields, special = _split(values)
    given = {k: v for k, v in fields.items() if v is not None}
    parsed = read_fields(given, LABELS)
    names, units = special["partners"], special["units"]
    with writing(ctx) as session:
        result = update_agreement(
            session,
            ref,
            parsed,
            partners=partner_specs(names, special["partner_kinds"] or []) if names else None,
            units=None if units is None else read_names(units, "units", "--unit"),
            parent_ref=special["parent"],
            file=special["file"],
            actor=Actor.current("update"),
            labels=LABELS | {"parent": "--parent"},
        )
    if not result.changes and not special["as_json"]:
        typer.echo(f"Nothing changed in {result.number} (id {result.agreement_id})")
        return
    _print_result(result, "Updated", special["as_json"])


ADD_MOU_DOC = """Add a Kesepakatan Bersama (KB, MoU, nota kesepahaman).

Missing --number, --title or --partner are asked for on a terminal, and are
an error in a script. Prints the new agreement's id and number.

Example:

\b
  kerjasama add-mou --number 180/12/KB/2021 --title 'Pengembangan SDM' \\
    --partner 'Universitas Lampung' --kind ksdpk --bidang Pendidikan \\
    --unit 'Dinas Pendidikan' --signed '19 Agustus 2021' --term '5 (lima) tahun'
"""
ADD_PKS_DOC = """Add a Perjanjian Kerja Sama (PKS), usually implementing a KB (--mou).

A PKS linked to its KB takes the KB's partners, units, kind and bidang unless
given here.

Example:

\b
  kerjasama add-pks --mou 180/12/KB/2021 --number 180/3/PKS/2022 \\
    --title 'Beasiswa S2 ASN' --signed 2022-03-01 --end 2023-12-31 \\
    --value 'Rp 450.000.000'
"""
ADD_ADENDUM_DOC = """Add an adendum that amends a PKS or KB (--to REF).

Example:

\b
  kerjasama add-adendum --to 180/3/PKS/2022 --number 180/9/ADD/2023 \\
    --title 'Perubahan jadwal beasiswa' --signed 2023-06-01
"""
UPDATE_DOC = (
    """Change fields of an agreement (REF: its id or number).

Only the options given change; --partner and --unit replace the whole list.
Each change is kept in the history (kerjasama history REF).

Example:

\b
  kerjasama update 180/12/KB/2021 --end 2026-12-31 --note 'diperbarui'
"""
    + CLEAR_HELP
)


def register(app: typer.Typer) -> None:
    mou_params = _parameters(None, "")
    mou_params.insert(
        1,
        inspect.Parameter(
            "doc_type",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                typer.Option(
                    "--doc-type",
                    metavar="TYPE",
                    help="kb (default) or nota-kesepakatan (a Sinergi with a ministry or agency).",
                ),
            ],
        ),
    )
    app.command("add-mou")(_command(_add("kb", "add-mou"), mou_params, ADD_MOU_DOC))
    app.command("add-pks")(
        _command(
            _add("pks", "add-pks"),
            _parameters("--mou", "The KB (MoU) this PKS implements: id or number."),
            ADD_PKS_DOC,
        )
    )
    app.command("add-adendum")(
        _command(
            _add("adendum", "add-adendum", "--to"),
            _parameters("--to", "The PKS or KB this adendum amends: id or number."),
            ADD_ADENDUM_DOC,
        )
    )
    update_params = _parameters("--parent", "Link to another KB/PKS ('-' unlinks).")
    update_params.insert(
        1,
        inspect.Parameter(
            "ref",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[str, typer.Argument(metavar="REF", help="Id or number.")],
        ),
    )
    app.command("update")(_command(_update_body, update_params, UPDATE_DOC))
    app.command("extend")(extend)
    app.command("terminate")(terminate)


def extend(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id or number.")],
    end: Annotated[str, typer.Option("--end", metavar="DATE", help="The new end date.")],
    number: Annotated[
        str | None,
        typer.Option(
            "--number", help="Number of a new extension document; without it the end date moves."
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATE",
            help="With --number: the new document's start (default: day after the old end).",
        ),
    ] = None,
    signed: Annotated[
        str | None,
        typer.Option("--signed", metavar="DATE", help="With --number: its signing date."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Extend an agreement (diperpanjang).

    Without --number the end date moves and the original end is kept; with
    --number a new document renews the old one, with its partners and units.

    Examples:

    \b
      kerjasama extend 180/12/KB/2021 --end 2031-08-18
      kerjasama extend 180/3/PKS/2022 --end 2025-12-31 --number 180/1/PKS/2024
    """
    from kerjasama_cli.register import Actor, extend_agreement, refuse_empty

    for label, text in (("--end", end), ("--start", start), ("--signed", signed)):
        if text is not None:
            refuse_empty(label.lstrip("-"), text, label, clears=False)
    new_end = parse_date_option(end, "--end")
    assert new_end is not None
    with writing(ctx) as session:
        result = extend_agreement(
            session,
            ref,
            new_end,
            number=number,
            starts_on=parse_date_option(start, "--start"),
            signed_on=parse_date_option(signed, "--signed"),
            actor=Actor.current("extend"),
        )
    _print_result(result, "Added" if result.created else "Extended", as_json)


def terminate(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id or number.")],
    date_text: Annotated[
        str, typer.Option("--date", metavar="DATE", help="From when it no longer binds.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why it ends early.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """End an agreement early (diakhiri): by agreement, force majeure, goal reached...

    Example:

    \b
      kerjasama terminate 180/3/PKS/2022 --date 2023-01-31 \\
        --reason 'Kesepakatan para pihak'
    """
    from kerjasama_cli.register import Actor, refuse_empty, terminate_agreement

    refuse_empty("terminated_on", date_text, "--date", clears=False)
    refuse_empty("termination_reason", reason, "--reason", clears=False)
    on = parse_date_option(date_text, "--date")
    assert on is not None
    with writing(ctx) as session:
        result = terminate_agreement(session, ref, on, reason, actor=Actor.current("terminate"))
    _print_result(result, "Terminated", as_json)
