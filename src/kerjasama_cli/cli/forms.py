"""`kerjasama evaluate YEAR --forms`: each implementing OPD's evaluation form, written."""

from pathlib import Path

import typer

from kerjasama_cli.cli.common import info, open_register, parse_date_option, print_json


def send_forms(
    ctx: typer.Context,
    year: int,
    *,
    unit: str | None,
    due: str | None,
    output: Path | None,
    as_json: bool,
) -> None:
    """Write the forms and record them as sent (the board shows when); the
    register's key, written on every form, is made the first time."""
    from kerjasama_cli.db.files import sqlite_path
    from kerjasama_cli.errors import InvalidValue, NotFound
    from kerjasama_cli.evaluation.forms import gather_forms, record_forms_sent
    from kerjasama_cli.exporting.forms import write_forms
    from kerjasama_cli.parse import now_utc
    from kerjasama_cli.settings import all_settings, register_key

    deadline = parse_date_option(due, "--due")
    if deadline is not None and deadline.year < year:
        raise InvalidValue(
            "due",
            due,
            f"is before {year}, the year the forms ask about",
            label="--due",
            hint=f"the OPDs answer after the year: e.g. --due 31/01/{year + 1}",
        )
    register = open_register(ctx)
    replaced: list[Path] = []
    with register.writing() as session:
        forms = gather_forms(
            session,
            year,
            register_key=register_key(session),
            unit=unit,
            due=deadline,
        )
        if not forms:
            raise NotFound(
                f"no agreement was in force during {year}: there is no form to send",
                hint=f"kerjasama list --year {year} shows the register's agreements of that year",
            )
        written = write_forms(
            forms,
            output or Path(),
            register=sqlite_path(register.url),
            replaced=replaced,
            paper=all_settings(session).get("paper") or "a4",
        )
        record_forms_sent(session, forms, at=now_utc())
    if as_json:
        print_json(
            [
                {"unit": form.unit, "agreements": len(form.rows), "file": str(path)}
                for form, path in zip(forms, written, strict=True)
            ]
        )
        return
    for path in replaced:
        info(f"Replaced {path}")
    if forms[0].due is None:
        info(
            "Note: the forms give no deadline; set one with --due or "
            "kerjasama config set evaluation-due 31/01/2022"
        )
    for path in written:
        typer.echo(str(path))
