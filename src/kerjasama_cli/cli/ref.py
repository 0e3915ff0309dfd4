"""`kerjasama ref`: the vocabularies the register accepts, for people and scripts."""

import typer

from kerjasama_cli.cli.common import JsonOption, print_json

app = typer.Typer(
    help="The accepted values: bidang urusan, kinds, document types...", no_args_is_help=True
)


def _print_terms(name: str, as_json: bool) -> None:
    from kerjasama_cli import vocab

    vocabulary = {
        "doc-types": vocab.DOC_TYPES,
        "kinds": vocab.KINDS,
        "partner-kinds": vocab.PARTNER_KINDS,
        "funding": vocab.FUNDING,
        "dprd": vocab.DPRD,
        "statuses": vocab.STATUSES,
        "ksdd-categories": vocab.KSDD_CATEGORIES,
        "levels": vocab.LEVELS,
        "recommendations": vocab.RECOMMENDATIONS,
    }[name]
    rows = [
        {"code": t.code, "label": t.label, "aliases": list(t.aliases)} for t in vocabulary.terms
    ]
    if as_json:
        print_json(rows)
        return
    width = max(len(row["code"]) for row in rows)
    label_width = max(len(row["label"]) for row in rows)
    for row in rows:
        also = f"  (also: {', '.join(row['aliases'])})" if row["aliases"] else ""
        typer.echo(f"{row['code']:<{width}}  {row['label']:<{label_width}}{also}".rstrip())


@app.command("bidang")
def bidang(as_json: JsonOption = False) -> None:
    """The 32 bidang urusan of UU 23/2014 and the supporting functions.

    Also accepted: any case or spacing, commas left out, and common short names
    (PUPR, Kominfo, Dukcapil, UMKM...).
    """
    from kerjasama_cli import vocab

    rows = [
        {"name": t.code, "group": vocab.BIDANG_GROUPS[t.label_en], "aliases": list(t.aliases)}
        for t in vocab.BIDANG.terms
    ]
    if as_json:
        print_json(rows)
        return
    group = None
    for row in rows:
        if row["group"] != group:
            group = row["group"]
            typer.echo(f"\n{group}")
        aliases = f"  ({', '.join(row['aliases'])})" if row["aliases"] else ""
        typer.echo(f"  {row['name']}{aliases}")


def _terms_command(name: str, doc: str) -> None:
    def command(as_json: JsonOption = False) -> None:
        _print_terms(name, as_json)

    command.__doc__ = doc
    app.command(name)(command)


for _name, _doc in (
    ("doc-types", "Document types (jenis dokumen)."),
    ("kinds", "Kinds of cooperation (jenis kerja sama)."),
    ("partner-kinds", "Kinds of partner (jenis mitra)."),
    ("funding", "Funding sources (sumber pembiayaan)."),
    ("dprd", "DPRD approval states."),
    ("statuses", "Derived statuses."),
    ("ksdd-categories", "KSDD categories."),
    ("levels", "Implementation levels of the annual evaluation (tingkat pelaksanaan)."),
    ("recommendations", "Recommendations of the annual evaluation (rekomendasi)."),
):
    _terms_command(_name, _doc)
