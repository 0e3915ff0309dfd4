"""Web pages saved with a workbook's name: the tables of an HTML "spreadsheet".

Many government systems export "Excel" files that are HTML tables named .xls.
Each <table> is read as a sheet ("Tabel 1", ...): its cells in rows, a cell
spanning columns or rows (colspan, rowspan) kept as a merged range, so that a
two-row header reads as it does in a workbook.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

# (first row, first column, last row, last column), as sources.Span
Span = tuple[int, int, int, int]
Grid = list[list[Any]]
_Row = list[tuple[str, int, int]]  # a <tr>: (text, colspan, rowspan) per cell


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[Grid, list[Span]]] = []
        self._stack: list[tuple[list[_Row], _Row | None]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append(([], None))
        elif not self._stack:
            return
        elif tag == "tr":
            rows, _row = self._stack[-1]
            self._stack[-1] = (rows, [])
        elif tag in ("td", "th"):
            values = dict(attrs)
            self._cell = []
            self._span = (_number(values.get("colspan")), _number(values.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        rows, row = self._stack[-1]
        if tag in ("td", "th") and self._cell is not None:
            if row is None:
                row = []
                self._stack[-1] = (rows, row)
            text = "".join(self._cell)
            row.append((" ".join(text.split(" ")).strip(), *self._span))
            self._cell = None
        elif tag == "tr" and row is not None:
            rows.append(row)
            self._stack[-1] = (rows, None)
        elif tag == "table":
            self._stack.pop()
            self.tables.append(_grid(rows))

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data.replace("\r", "").replace("\n", " "))


def _number(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 1000))
    except ValueError:
        return 1


def _grid(rows: list[list[tuple[str, int, int]]]) -> tuple[Grid, list[Span]]:
    """Rows of (text, colspan, rowspan) laid out on a grid; spans kept as merges."""
    grid: Grid = []
    taken: set[tuple[int, int]] = set()
    spans: list[Span] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, across, down in row:
            while (r, c) in taken:
                c += 1
            for rr in range(r, r + down):
                while len(grid) <= rr:
                    grid.append([])
                for cc in range(c, c + across):
                    taken.add((rr, cc))
                    line = grid[rr]
                    line.extend([""] * (cc + 1 - len(line)))
            grid[r][c] = text
            if across > 1 or down > 1:
                spans.append((r + 1, c, r + down, c + across - 1))
            c += across
    return grid, spans


def read_tables(text: str) -> list[tuple[Grid, list[Span]]]:
    """Every table of a web page, innermost first, as rows of cells and merged spans."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return [(grid, spans) for grid, spans in parser.tables if any(any(r) for r in grid)]
