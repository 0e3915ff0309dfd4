"""`kerjasama schema`: the JSON Schema of every --json output (the JSON contract)."""

from typing import Annotated

import typer

from kerjasama_cli.cli.common import JsonOption, print_json


def schema_command(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME", help="The schema to print (see the list: kerjasama schema)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a command's --json output; without
    NAME, list the schemas and the commands each describes.

    Every --json output, and the file `export YEAR --json` writes, has one. Its
    keys are a contract: new keys are announced, and none is removed or
    renamed without a new major version.

    Examples:

    \b
      kerjasama schema
      kerjasama schema agreement-list > agreement-list.schema.json
      kerjasama list --json > agreements.json   # holds to agreement-list.schema.json
    """
    from kerjasama_cli import contract

    if name is not None:
        print_json(contract.json_schema(name))
        return
    entries = contract.catalogue()
    if as_json:
        print_json(entries)
        return
    from rich.table import Table

    from kerjasama_cli.cli.render import console

    out = console()
    wide = out.width >= 120
    table = Table(header_style="bold", show_edge=False)
    table.add_column("Name", no_wrap=True)
    table.add_column("Shape", no_wrap=True)
    table.add_column("Output of (kerjasama ...)", ratio=2)
    if wide:
        table.add_column("What it is", ratio=2)
    for entry in entries:
        commands = ", ".join(command.removeprefix("kerjasama ") for command in entry["commands"])
        table.add_row(
            entry["name"], entry["shape"], commands, *([entry["description"]] if wide else [])
        )
    out.print(table)
    out.print(f"{len(entries)} schemas: kerjasama schema NAME prints one", style="dim")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_command)
