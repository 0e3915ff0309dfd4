"""Inside a raw table: the title block, the header row(s), section rows, the table's end.

Offices' registers carry a title above the table ("DAFTAR KERJA SAMA DAERAH /
PEMERINTAH KABUPATEN ... / TAHUN 2021"), headers over two rows ("Jangka Waktu"
over "Mulai" and "Berakhir"), section rows inside ("A. KERJA SAMA DENGAN
PEMERINTAH DAERAH LAIN"), totals ("Jumlah"), and a signature block and notes
under it ("Mengetahui", "NIP. 19..."). This module finds the header among the
first rows and then lets only the table's data rows through, saying what it
left out and why. Only the first rows are looked at to find the header; the
data rows pass one cheap test each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kerjasama_cli import vocab
from kerjasama_cli.importing.summary import TableReading
from kerjasama_cli.importing.tables import Cell, RawTable, Span
from kerjasama_cli.parse import MONTHS_ID
from kerjasama_cli.vocab.columns import is_known_header

# Rows looked at to find the header: title blocks run to row 10 or so.
HEAD_ROWS = 50
# --header-row may name any row the first rows are read up to.
MAX_HEADER_ROW = 100_000
EMPTY = ("", None)


@dataclass
class Header:
    """Where a table's header is, and each column's label as read."""

    rows: list[int]  # the header's row numbers: one, or two for a two-row header
    parts: list[tuple[str, str]]  # per column: (parent, sub-column), '' where none
    title: list[str] = field(default_factory=list)  # the lines above the header

    @property
    def last_row(self) -> int:
        return self.rows[-1] if self.rows else 0

    def label(self, position: int) -> str:
        parent, child = self.parts[position] if position < len(self.parts) else ("", "")
        if parent and child:
            return f"{parent} / {child}"
        return child or parent


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _hits(cells: Sequence[Cell]) -> tuple[int, int]:
    """(cells that name a known column, non-empty cells)."""
    texts = [_text(cell) for cell in cells if cell not in EMPTY]
    texts = [text for text in texts if text]
    return sum(is_known_header(text) for text in texts), len(texts)


def header_hits(cells: Sequence[Cell]) -> int:
    """How many cells of a row name known columns."""
    return _hits(cells)[0]


def is_header_row(cells: Sequence[Cell]) -> bool:
    """A row whose cells name known columns: three of them, or two and half its cells
    (a title names none; an office's own extra columns do not hide a header)."""
    hits, filled = _hits(cells)
    return hits >= 3 or (hits >= 2 and hits * 2 >= filled)


def find_header(
    head: Sequence[tuple[int, list[Cell]]],
    merged: Sequence[Span],
    *,
    header_row: int | None = None,
) -> Header | None:
    """The header among the first rows: the first row whose cells name known columns
    well enough (or ``header_row``), with the row below it when that row holds
    the sub-columns of a merged parent ("Jangka Waktu" over "Mulai", "Berakhir")."""
    index = None
    for position, (number, cells) in enumerate(head):
        if (header_row is None and is_header_row(cells)) or number == header_row:
            index = position
            break
    if index is None:
        return None
    number, parent = head[index]
    title = [line for _n, cells in head[:index] if (line := " ".join(cells_text(cells)))]
    below = head[index + 1] if index + 1 < len(head) else None
    rows = [number]
    child: list[Cell] = []
    if (
        below is not None
        and below[0] == number + 1
        and _is_sub_header(parent, below[1], merged, number)
    ):
        child = below[1]
        rows.append(below[0])
    spans = _spans(parent, child, merged, number)
    width = max(len(parent), len(child))
    parts = []
    for position in range(width):
        owner = spans.get(position, position)
        parent_text = _text(parent[owner]) if owner < len(parent) else ""
        child_text = _text(child[position]) if position < len(child) else ""
        if vocab.fold(child_text) == vocab.fold(parent_text):
            child_text = ""  # a vertical merge filled in, or the parent repeated
        parts.append((parent_text, child_text))
    return Header(rows, parts, title)


def cells_text(cells: Sequence[Cell]) -> list[str]:
    return [text for cell in cells if cell not in EMPTY and (text := _text(cell))]


def _looks_like_value(cell: Cell) -> bool:
    """A number, a date or a long text: what a data row holds and a header does not."""
    if not isinstance(cell, str):
        return True
    text = cell.strip()
    return len(text) > 60 or bool(re.fullmatch(r"[\d\s.,/:%()-]+", text))


def _spans(
    parent: Sequence[Cell], child: Sequence[Cell], merged: Sequence[Span], row: int
) -> dict[int, int]:
    """Column -> the column of the parent label over it, where a parent spans columns:
    a merged cell of the header row, or (a CSV has no merges) a parent followed by
    empty cells over sub-column labels."""
    owners: dict[int, int] = {}
    for first_row, first_col, last_row, last_col in merged:
        if first_row == row and last_col > first_col and last_row == row:
            for column in range(first_col + 1, last_col + 1):
                owners[column] = first_col
    owner = None
    for column in range(max(len(parent), len(child))):
        here = _text(parent[column]) if column < len(parent) else ""
        below = _text(child[column]) if column < len(child) else ""
        if here and owner is not None and here == _text(parent[owner]) and below:
            owners.setdefault(column, owner)  # merged cells filled in: the parent repeated
        elif here:
            owner = column
        elif owner is not None and below:
            owners.setdefault(column, owner)
        else:
            owner = None
    return owners


def _is_sub_header(
    parent: Sequence[Cell], child: Sequence[Cell], merged: Sequence[Span], row: int
) -> bool:
    """The row under the header holds sub-column labels: short texts, each under a
    parent that spans several columns (or under no parent at all), never under a
    parent of its own column alone, which is where a data row has its values."""

    def above(column: int) -> str:
        return _text(parent[column]) if column < len(parent) else ""

    # A cell repeating the one above is a vertical merge filled in, not a label.
    filled = [
        column
        for column, cell in enumerate(child)
        if cell not in EMPTY
        and (text := _text(cell))
        and vocab.fold(text) != vocab.fold(above(column))
    ]
    if not filled:
        return False
    if any(_looks_like_value(child[column]) for column in filled):
        return False
    spans = _spans(parent, child, merged, row)
    spanning = set(spans.values())
    under_span = 0
    for column in filled:
        alone = above(column) and column not in spanning
        if column in spans or column in spanning:
            under_span += 1
        elif alone:
            return False
    return under_span > 0


# ------------------------------------------------------------- the data rows

_ROW_NUMBER = re.compile(r"\(?\d{1,5}[.)]?")
_ENUMERATOR = r"(?:[A-Za-z]|[IVXivx]{1,5}|\d{1,2})"
_NUMBERED_HEADING = re.compile(rf"^{_ENUMERATOR}\s*[.)]\s*\S")
_LONE_ENUMERATOR = re.compile(rf"^{_ENUMERATOR}\s*[.)]?$")
_TOTAL = re.compile(r"^(?:jumlah|total|sub\s*-?\s*total|sub\s*jumlah|grand\s+total|jml\.?)\b")
_END = re.compile(
    r"^(?:mengetahui|menyetujui|disetujui|disahkan|ditetapkan|diperiksa|dibuat|disusun|"
    r"nip\b|nip\s*[:.]|keterangan\s*:|ket\s*[.:]|catatan\s*:|sumber(?:\s+data)?\s*:|"
    r"\*+\s*\)|a\.\s*n\.?\s|an\.\s|plt\.?\s|plh\.?\s|kepala\s|kabag\b|kasubb?ag\b|"
    r"kabid\b|kadis\b|sekda\b|sekretaris\s+daerah|bupati\b|wali\s*kota\b|gubernur\b|"
    r"pembina\b|penata\b|ttd\b|tanda\s+tangan|demikian\b|"
    r"\(\s*[._]{3,}\s*\)|[._]{5,}$)"  # the dotted line a name is written on
)
_MONTH_WORDS = "|".join(month.lower() for month in MONTHS_ID)
_PLACE_AND_DATE = re.compile(
    rf"^[a-z][a-z .'-]{{1,40}},\s*(?:(?:\d{{1,2}}\s+)?(?:{_MONTH_WORDS})\s+\d{{4}}|"
    r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4})$"
)


@dataclass
class Context:
    """The values a section heading (or the sheet's name) gives the rows under it."""

    doc_type: str | None = None
    kind: str | None = None


_ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")


def enumerator_style(heading: str) -> str:
    """How a heading is numbered: 'I' (roman), 'A', 'a', '1', or '' for none. Headings
    numbered alike are siblings; a heading numbered otherwise nests in the last."""
    match = re.match(r"^\s*\(?([A-Za-z]+|\d{1,2})\s*[.)]?(?:\s|$)", heading)
    if match is None or (len(match.group(1)) > 1 and not _ROMAN.match(match.group(1))):
        return ""
    mark = match.group(1)
    if mark.isdigit():
        return "1"
    if _ROMAN.match(mark) and (len(mark) > 1 or mark in "IVX"):
        return "I"
    return "A" if mark.isupper() else "a"


@dataclass
class RowFilter:
    """Lets a table's data rows through, and notes every other row in the reading.

    ``keys`` are two columns every agreement fills (number and title): a row
    with both is data at the cost of two lookups; only the others are looked
    at closely (blank, a heading, a total, the signature block...).
    """

    header: Header
    keys: tuple[int, int]
    ignored: frozenset[int]  # columns with nothing to read (No): a row of only these is blank
    reading: TableReading
    defaults: Context
    merged: Sequence[Span] = ()
    context: Context = field(default_factory=Context)

    def __post_init__(self) -> None:
        self.context = Context(self.defaults.doc_type, self.defaults.kind)
        # The headings above the current row, outermost first: (style, doc type, kind).
        self._headings: list[tuple[str, str | None, str | None]] = []
        # Cells merged down over data rows read, in every row, as the top one shows.
        self._fills: dict[int, list[tuple[int, int]]] = {}
        for first_row, first_col, last_row, _last_col in self.merged:
            if last_row > first_row > self.header.last_row:
                for row in range(first_row + 1, last_row + 1):
                    self._fills.setdefault(row, []).append((first_row, first_col))
        self._tops: dict[int, set[int]] = {}
        for fills in self._fills.values():
            for row, column in fills:
                self._tops.setdefault(row, set()).add(column)
        self._top_values: dict[tuple[int, int], Cell] = {}
        a, b = self.keys
        self._header_cells = (
            self.header.parts[a][1] or self.header.parts[a][0]
            if a < len(self.header.parts)
            else "",
            self.header.parts[b][1] or self.header.parts[b][0]
            if b < len(self.header.parts)
            else "",
        )
        self._header_fold = vocab.fold(
            " ".join(parent for parent, _child in self.header.parts if parent)
        )
        # In a table of a few columns every row has one or two cells: none is a heading.
        self._wide = is_wide(self.header)

    def rows(self, table: RawTable) -> Iterator[tuple[int, list[Cell]]]:
        """The table's data rows; a file that cannot be read on is told as such.

        One loop, no layer under it: a row with both key cells filled is data
        at the cost of a few comparisons (the first rows under the header are
        always looked at closely: a row of column numbers fills every column).
        """
        a, b = self.keys
        widest = max(a, b)
        after = number = self.header.last_row
        close = after + 3
        reading = self.reading
        header_a, header_b = self._header_cells
        fills = self._fills
        # Rows from a note or a signature block on: under the table, unless an
        # agreement follows (then they were notes inside it).
        trailer: list[tuple[int, str]] = []
        raw = table.rows()
        try:
            for number, cells in raw:
                if number <= after:
                    continue
                if fills:
                    cells = self._fill(number, cells)
                keyed = (
                    len(cells) > widest
                    and cells[a] not in EMPTY
                    and cells[b] not in EMPTY
                    and (cells[a] != header_a or cells[b] != header_b)
                )
                if keyed and (number > close or trailer):
                    if trailer:
                        reading.notes_inside += trailer
                        trailer = []
                    reading.data_rows += 1
                    yield number, cells
                    continue
                if trailer:
                    if text := " ".join(cells_text(cells)):
                        trailer.append((number, text))
                    continue
                what = self._classify(number, cells)
                if what == "data":
                    reading.data_rows += 1
                    yield number, cells
                elif what == "end":
                    trailer.append((number, " ".join(cells_text(cells))))
        except table.failure.types as error:
            raise table.failure.explain(error, number + 1) from None
        if trailer:
            reading.after = (trailer[0][0], len(trailer), trailer[0][1][:80])

    def _fill(self, number: int, cells: list[Cell]) -> list[Cell]:
        for column in self._tops.get(number, ()):
            if column < len(cells):
                self._top_values[(number, column)] = cells[column]
        below = self._fills.get(number)
        if below:
            cells = list(cells)
            for top_row, column in below:
                value = self._top_values.get((top_row, column))
                if value not in EMPTY:
                    cells.extend([""] * (column + 1 - len(cells)))
                    if cells[column] in EMPTY:
                        cells[column] = value
        return cells

    def _classify(self, number: int, cells: list[Cell]) -> str:
        every = cells_text(cells)
        if not every:
            return "blank"
        texts = [
            text
            for position, cell in enumerate(cells)
            if position not in self.ignored and cell not in EMPTY and (text := _text(cell))
        ]
        if not texts and all(_ROW_NUMBER.fullmatch(text) for text in every):
            return "blank"  # numbered in advance in a template: No and nothing else
        texts = texts or every
        low = every[0].casefold()
        if len(every) >= 3 and _numbers_in_a_row(every):
            self.reading.column_numbers.append(number)
            return "column-numbers"
        if vocab.fold(" ".join(every)) == self._header_fold:
            self.reading.repeated_headers.append(number)
            return "repeated-header"
        if len(texts) <= 3 and _TOTAL.match(low):
            self.reading.totals.append(number)
            return "total"
        if len(texts) <= 2 and (_END.match(low) or _PLACE_AND_DATE.match(low)):
            return "end"
        if len(every) <= 2 and self._wide and is_heading(every):
            heading = " ".join(every)
            self.reading.sections.append((number, heading))
            self._enter(heading)
            return "section"
        return "data"

    def _enter(self, heading: str) -> None:
        """A heading replaces its siblings (numbered alike) and what they held, nests in
        the headings above it, and gives its rows what it names, the rest from above."""
        style = enumerator_style(heading)
        stack = self._headings
        depth = next((i for i, (s, _d, _k) in enumerate(stack) if s == style), None)
        if not style:
            depth = 0  # an unnumbered heading starts over
        if depth is not None:
            del stack[depth:]
        stack.append((style, vocab.DOC_TYPES.find_in(heading), vocab.KINDS.find_in(heading)))
        doc_type, kind = self.defaults.doc_type, self.defaults.kind
        for _style, named_type, named_kind in stack:
            doc_type, kind = named_type or doc_type, named_kind or kind
        self.context.doc_type, self.context.kind = doc_type, kind


def is_wide(header: Header) -> bool:
    """Wide enough that a row of one or two cells stands out as a heading."""
    return sum(1 for parent, child in header.parts if parent or child) >= 4


def _numbers_in_a_row(texts: Sequence[str]) -> bool:
    """'1 2 3 4 ...' or '(1) (2) (3)': the column numbers printed under a header."""
    numbers = [text.strip("()") for text in texts]
    return all(n.isdigit() for n in numbers) and [int(n) for n in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers))
    )


def is_heading(texts: Sequence[str]) -> bool:
    """'A. KERJA SAMA DENGAN PIHAK KETIGA', or 'B' beside 'KESEPAKATAN BERSAMA'."""
    if len(texts) == 2:
        return bool(_LONE_ENUMERATOR.match(texts[0])) and not _looks_like_value(texts[1])
    text = texts[0]
    if _looks_like_value(text) or len(text) < 3:
        return False
    if _NUMBERED_HEADING.match(text):
        return True
    words = text.split()
    if len(words) >= 2 and text == text.upper() and any(ch.isalpha() for ch in text):
        return True
    return bool(vocab.KINDS.find_in(text) or vocab.DOC_TYPES.find_in(text))


def column_letter(position: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def rows_text(rows: Sequence[int], limit: int = 8) -> str:
    """'row 8', 'rows 8, 15, 22' (with '...' past ``limit``), 'rows 32-38' for a run."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) > 2 and rows[-1] - rows[0] == len(rows) - 1:
        return f"rows {rows[0]}-{rows[-1]}"
    shown = ", ".join(str(row) for row in rows[:limit])
    return "rows " + shown + (", ..." if len(rows) > limit else "")


def describe_left_out(table: TableReading) -> tuple[list[str], list[str]]:
    """(notes, warnings): the rows a table's layout left out, told once each."""
    where = f"sheet {table.sheet!r}: " if table.sheet else ""
    notes: list[str] = []
    warnings: list[str] = []
    if table.sections:
        rows = [row for row, _text in table.sections]
        notes.append(
            f"{where}{len(rows)} section headings read as headings, not agreements "
            f"({rows_text(rows)})"
        )
    if table.totals:
        notes.append(f"{where}totals rows left out ({rows_text(table.totals)})")
    if table.repeated_headers:
        notes.append(
            f"{where}the header repeated inside the table, left out "
            f"({rows_text(table.repeated_headers)})"
        )
    if table.column_numbers:
        notes.append(
            f"{where}rows of column numbers (1, 2, 3...) left out "
            f"({rows_text(table.column_numbers)})"
        )
    if table.notes_inside:
        rows = [row for row, _text in table.notes_inside]
        first = table.notes_inside[0][1][:60]
        notes.append(
            f"{where}notes inside the table left out ({rows_text(rows)}: {first!r}"
            + (", ..." if len(rows) > 1 else "")
            + ")"
        )
    if table.after is not None:
        first_row, count, text = table.after
        notes.append(
            f"{where}{count} rows under the table, from row {first_row} ({text!r}: a "
            "signature block, notes), were left out"
        )
    return notes, warnings
