"""The command-line front end. Importing it loads Typer only; the core loads per command."""


def main() -> None:
    from kerjasama_cli.cli.app import run

    run()
