"""`kerjasama evaluate YEAR --verify` and `--return-to-opd`: the TKKSD's checks."""

from typing import Any

import typer

from kerjasama_cli.cli.common import open_register, print_json


def check_states(
    ctx: typer.Context,
    year: int,
    refs: list[str],
    given: dict[str, Any],
    *,
    unit: str | None,
    by: str | None,
    verify: bool,
    as_json: bool,
) -> None:
    """Verify REF... (or --unit's submitted evaluations), or return one to its OPD."""
    from kerjasama_cli.evaluation.states import return_to_opd
    from kerjasama_cli.evaluation.states import verify as verify_evaluations
    from kerjasama_cli.register import Actor

    if verify:
        if given:
            raise typer.BadParameter("--verify changes no answer: leave out the field options")
        if not refs and unit is None:
            raise typer.BadParameter("--verify needs the agreements (REF...) or --unit OPD")
    else:
        extra = {key for key in given if key != "note"}
        if len(refs) != 1 or extra or unit is not None or by is not None:
            raise typer.BadParameter(
                "--return-to-opd takes one REF and --note saying what to correct"
            )
    actor = Actor.current("evaluate")
    with open_register(ctx).writing() as session:
        if verify:
            done = verify_evaluations(session, year, refs, unit=unit, by=by, actor=actor)
        else:
            done = [return_to_opd(session, year, refs[0], given.get("note") or "", actor=actor)]
    if as_json:
        print_json([change.to_dict() for change in done])
        return
    for change in done:
        what = "Verified" if change.state == "diverifikasi" else "Returned to its OPD"
        if not change.changed:
            what = f"Already {change.state}:"
        typer.echo(f"{what} the {year} evaluation of {change.number} (id {change.agreement_id})")
