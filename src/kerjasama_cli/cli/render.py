"""Turning core results into tables, CSV and JSON. Rich loads only when a table is drawn."""

import csv
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kerjasama_cli.cli.common import OutputFormat, print_json

if TYPE_CHECKING:
    from kerjasama_cli.queries import AgreementView

FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and value not in ("-",):
        return "'" + value
    return value


def flat_row(view: "AgreementView") -> dict[str, Any]:
    data = view.to_dict()
    data["partners"] = "; ".join(p.name for p in view.partners)
    data["partner_kinds"] = "; ".join(p.kind or "" for p in view.partners)
    data["units"] = "; ".join(u.name for u in view.units)
    data["renewed_by"] = "; ".join(view.renewed_by)
    return data


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> None:
    if not rows and not columns:
        return
    fieldnames = list(columns or rows[0])
    writer = csv.DictWriter(
        sys.stdout, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe("" if v is None else v) for k, v in row.items()})


# CLDR's Indonesian month abbreviations, for a date known only to its month.
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def short_date(value: Any) -> str:
    """'19/08/2021'; 'Agu 2021' or '2021' for a date known only that far."""
    if not value:
        return "-"
    precision = getattr(value, "precision", None)
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{_MONTHS_SHORT[value.month - 1]} {value.year}"
    return str(value.strftime("%d/%m/%Y"))


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def agreements_table(views: Sequence["AgreementView"], title: str | None = None) -> Any:
    """One row per agreement. Number, dates and status never wrap; on a narrow
    terminal the partner, OPD and start columns give way to the title."""
    from rich import box
    from rich.table import Table

    width = console().width
    medium, wide = width >= 110, width >= 150
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("ID", justify="right", no_wrap=True)
    # Only a roll-up of several regions (kerjasama merge) has a region to show.
    regional = any(view.region for view in views)
    if regional:
        table.add_column("Daerah", ratio=1)
    if medium:
        table.add_column("Jenis", no_wrap=True)
    table.add_column("Nomor", no_wrap=True)
    table.add_column("Tentang", ratio=3, min_width=16)
    if medium:
        table.add_column("Mitra", ratio=2)
    if wide:
        table.add_column("Perangkat Daerah", ratio=2)
        table.add_column("Mulai", no_wrap=True)
    table.add_column("Berakhir", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for view in views:
        cells = [str(view.id)]
        if regional:
            cells.append(view.region)
        if medium:
            cells.append(view.doc_type.upper() if view.doc_type != "nota-kesepakatan" else "NK")
        cells += [view.number, view.title]
        if medium:
            cells.append("; ".join(p.name for p in view.partners))
        if wide:
            cells += [
                "; ".join(u.name for u in view.units),
                short_date(view.starts_on or view.signed_on),
            ]
        table.add_row(*cells, short_date(view.ends_on), _status_text(view.status))
    return table


STATUS_STYLE = {
    "berlaku": "green",
    "akan-berakhir": "yellow",
    "berakhir": "red",
    "diakhiri": "red",
    "diperpanjang": "cyan",
    "draf": "dim",
}


def _status_text(status: str) -> Any:
    from rich.text import Text

    return Text(status, style=STATUS_STYLE.get(status, ""))


def print_agreements(
    views: Sequence["AgreementView"], fmt: OutputFormat, title: str | None = None
) -> None:
    if fmt is OutputFormat.json:
        print_json([v.to_dict() for v in views])
    elif fmt is OutputFormat.csv:
        write_csv([flat_row(v) for v in views], columns=CSV_COLUMNS)
    else:
        out = console()
        if views:
            out.print(agreements_table(views, title))
        out.print(f"{len(views)} agreement{'s' if len(views) != 1 else ''}", style="dim")


CSV_COLUMNS = (
    "id",
    "doc_type",
    "number",
    "partner_number",
    "title",
    "scope",
    "kind",
    "ksdd_category",
    "bidang",
    "partners",
    "partner_kinds",
    "units",
    "signed_on",
    "starts_on",
    "ends_on",
    "term_text",
    "value",
    "funding",
    "dprd",
    "dprd_number",
    "dprd_date",
    "status",
    "parent_number",
    "renews_number",
    "renewed_by",
    "terminated_on",
    "termination_reason",
    "file_path",
    "note",
    "region",
)


def print_detail(view: "AgreementView") -> None:
    from rich.table import Table

    from kerjasama_cli import parse, vocab

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: Any) -> None:
        if value not in (None, "", []):
            grid.add_row(label, value)

    row("Id", str(view.id))
    row("Daerah", view.region)
    row("Jenis dokumen", vocab.DOC_TYPES.label(view.doc_type))
    row("Nomor", view.number)
    row("Nomor mitra", view.partner_number)
    row("Tentang", view.title)
    row("Ruang lingkup", view.scope)
    row("Status", _status_text(view.status))
    row(
        "Mitra",
        "\n".join(
            p.name + (f" ({vocab.PARTNER_KINDS.label(p.kind)})" if p.kind else "")
            for p in view.partners
        ),
    )
    row("Perangkat daerah", "\n".join(u.name for u in view.units))
    row("Jenis kerja sama", vocab.KINDS.label(view.kind) if view.kind else None)
    row(
        "Kategori KSDD",
        vocab.KSDD_CATEGORIES.label(view.ksdd_category) if view.ksdd_category else None,
    )
    row("Bidang urusan", view.bidang)
    for label, value in (("Ditandatangani", view.signed_on), ("Mulai", view.starts_on)):
        row(label, parse.format_date_id(value) if value else None)
    if view.ends_on:
        suffix = (
            " (dari jangka waktu)"
            if view.ends_on_derived
            else " (mengikuti dokumen induk)"
            if view.ends_on_inherited
            else ""
        )
        row("Berakhir", parse.format_date_id(view.ends_on) + suffix)
    if view.original_ends_on:
        row("Berakhir semula", parse.format_date_id(view.original_ends_on))
    row("Jangka waktu", view.term_text)
    row("Nilai", parse.format_rupiah(view.value) if view.value is not None else None)
    row("Sumber pembiayaan", vocab.FUNDING.label(view.funding) if view.funding else None)
    if view.dprd:
        approval = vocab.DPRD.label(view.dprd)
        extra = ", ".join(
            x
            for x in (view.dprd_number, view.dprd_date and parse.format_date_id(view.dprd_date))
            if x
        )
        row("Persetujuan DPRD", approval + (f" ({extra})" if extra else ""))
    row("Induk", view.parent_number)
    row("Memperpanjang", view.renews_number)
    row("Diperpanjang dengan", ", ".join(view.renewed_by))
    if view.terminated_on:
        row(
            "Diakhiri",
            f"{parse.format_date_id(view.terminated_on)}: {view.termination_reason or ''}",
        )
    row("Dokumen", view.file_path)
    row("Keterangan", view.note)
    console().print(grid)
