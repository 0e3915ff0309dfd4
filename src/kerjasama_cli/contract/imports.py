"""The records of what comes in: an import's summary per file (and how the file
was read), and a merge's summary per region."""

from typing import Annotated

from sqlmodel import Field

from kerjasama_cli.contract.common import KeyedBy, OneOf, Record
from kerjasama_cli.importing.summary import TYPES

ImportType = Annotated[str, OneOf(TYPES)]
ROW = "The spreadsheet's row number (1 is the first row)"


class ImportProblem(Record):
    """One thing wrong with one row of a file (or with the whole file)."""

    file: str = Field(description="The file, as given on the command line.")
    sheet: str | None = Field(description="The workbook's sheet; null in a CSV or JSON file.")
    row: int | None = Field(description=f"{ROW}; null for the whole file.")
    column: str | None = Field(
        description="The column (its header as the file writes it, or the option); null "
        "when the problem is not one cell's."
    )
    message: str = Field(description="The problem, in one line of English.")


class SkippedDocument(Record):
    """A document the file gives otherwise than the register, left as it is."""

    sheet: str | None = Field(description="The workbook's sheet; null in a CSV or JSON file.")
    row: int = Field(description=f"{ROW}.")
    number: str = Field(description="The document's number.")
    fields: list[str] = Field(description="The fields whose values differ.")


class ColumnReading(Record):
    """One column of a table and what it was read as."""

    column: str = Field(description="The column's letter, as a spreadsheet names it ('A').")
    header: str = Field(description="Its header as read (two header rows joined by ' / ').")
    field: str | None = Field(description="The register's field it feeds; null when it is ignored.")
    note: str = Field(description="Why it is ignored or how it is read; empty when plain.")


class RowText(Record):
    """A row left out of the data, and its text."""

    row: int = Field(description=f"{ROW}.")
    text: str = Field(description="Its text.")


class AfterTable(Record):
    """The rows under a table (a signature block, notes), left out."""

    first_row: int = Field(description="The first of them, the spreadsheet's row number.")
    rows: int = Field(description="How many rows.")
    text: str = Field(description="The first one's text, up to 80 characters.")


class TableReading(Record):
    """How one table (a sheet, or a CSV file) was read."""

    sheet: str | None = Field(description="The sheet; null in a CSV or JSON file.")
    type: ImportType = Field(description="What its rows are.")
    header_rows: list[int] = Field(description="The header's rows (one or two), row numbers.")
    columns: list[ColumnReading] = Field(description="Every column, left to right.")
    title: list[str] = Field(description="The title lines above the header; empty when none.")
    defaults: Annotated[dict[str, str], KeyedBy(("doc_type", "kind"))] = Field(
        description="The document type and kind (codes) rows take when they give none, "
        "from a sheet's name or a section heading; empty when none."
    )
    defaults_from: str = Field(description="Where those defaults come from; empty when none.")
    sections: list[RowText] = Field(description="Section heading rows, left out.")
    totals: list[int] = Field(description="Totals rows ('Jumlah'), left out.")
    repeated_headers: list[int] = Field(description="The header repeated, rows left out.")
    column_numbers: list[int] = Field(description="Rows of column numbers, left out.")
    notes_inside: list[RowText] = Field(description="Notes between agreements, left out.")
    data_rows: int = Field(description="How many rows were read as data.")
    after_table: AfterTable | None = Field(
        description="The rows under the table, left out; null when none."
    )


class SkippedSheet(Record):
    """A sheet of a workbook that was not read."""

    sheet: str = Field(description="The sheet's name.")
    reason: str = Field(description="Why it was skipped.")


class RegionName(Record):
    """A party that is the region itself, not stored as a partner."""

    name: str = Field(description="The name as the file writes it.")
    how: str = Field(description="How it was recognised as the region.")


class Reading(Record):
    """How a file was read: what a careful person checks before trusting an import."""

    format: str = Field(
        description="How the file was read: 'csv' (any text table), 'workbook', 'web "
        "page' (a web page, often saved as .xls) or 'json' (also .jsonl)."
    )
    encoding: str | None = Field(
        description="A text file's encoding as decided (a CSV, a web page); null for "
        "a workbook or JSON."
    )
    delimiter: str | None = Field(
        description="A CSV's cell separator as decided; null for other files."
    )
    tables: list[TableReading] = Field(description="Each table read, in the file's order.")
    skipped: list[SkippedSheet] = Field(description="The sheets not read, and why.")
    notes: list[str] = Field(description="What else was noticed while reading.")
    region_itself: list[RegionName] = Field(
        description="The region's own names as the parties write them."
    )


class ImportSummary(Record):
    """What importing one file did (or, with --dry-run, would do)."""

    file: str = Field(description="The file, as given on the command line ('-': stdin).")
    type: ImportType = Field(description="What the file holds.")
    rows: int = Field(description="The data rows read.")
    created: int = Field(description="Rows that added a document (or evaluation, finding).")
    updated: int = Field(description="Rows that changed one already in the register.")
    unchanged: int = Field(description="Rows identical to what the register holds.")
    skipped: int = Field(description="Rows that differ from the register, left as they are.")
    invalid: int = Field(description="Rows that could not be read.")
    written: bool = Field(
        description="True when the file's rows were committed (even if none changed "
        "anything); false for a dry run or a file refused for its invalid rows."
    )
    kept_empty_cells: int = Field(
        description="Empty cells of documents already in the register: the stored values were kept."
    )
    problems: list[ImportProblem] = Field(description="Why rows are invalid, one per problem.")
    warnings: list[ImportProblem] = Field(description="What was read but looks doubtful.")
    unresolved_parents: list[str] = Field(
        description="Parent numbers kept as links to documents not in the register yet."
    )
    notes: list[str] = Field(description="What else the person should know.")
    skipped_documents: list[SkippedDocument] = Field(
        description="The documents left as they are (--on-conflict skip), and why."
    )
    reading: Reading | None = Field(description="How the file was read; null when not told.")


class MergeSummary(Record):
    """What merging one region's register did."""

    source: str = Field(description="The register merged from: its path or URL, as given.")
    region: str = Field(description="The region its agreements were tagged with.")
    created: int = Field(description="Agreements added to this register.")
    updated: int = Field(description="Agreements that changed since the last merge.")
    unchanged: int = Field(description="Agreements as they were.")
    evaluations: int = Field(description="Evaluations brought in (the region's own, all).")
    findings: int = Field(description="Findings brought in.")
    history: int = Field(description="History entries brought in.")
