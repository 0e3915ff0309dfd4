"""`kerjasama config`: the office's settings, kept in the register itself."""

from typing import Annotated

import typer

from kerjasama_cli.cli.common import JsonOption, print_json, reading, writing

app = typer.Typer(
    help="The office's settings (region, signatory, warning days), kept in the register.",
    no_args_is_help=True,
)


@app.command("show")
def show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Print every setting and its value."""
    from kerjasama_cli.settings import all_settings

    with reading(ctx) as session:
        values = all_settings(session)
    if as_json:
        print_json(values)
        return
    for key, value in values.items():
        typer.echo(f"{key:<16} {value}")


@app.command("set")
def set_command(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            help="region, office, signatory-name, signatory-nip, signatory-title or warning-days."
        ),
    ],
    value: Annotated[str, typer.Argument(help="The value.")],
) -> None:
    """Set one setting.

    Examples:

    \b
      kerjasama config set region "Kabupaten Tanggamus"
      kerjasama config set warning-days 60
    """
    from kerjasama_cli.settings import set_setting

    with writing(ctx) as session:
        name = set_setting(session, key, value)
    typer.echo(f"{name} = {value}")


@app.command("unset")
def unset(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="The setting to reset.")]
) -> None:
    """Reset one setting to its default."""
    from kerjasama_cli.settings import unset_setting

    with writing(ctx) as session:
        name = unset_setting(session, key)
    typer.echo(f"{name} reset")
