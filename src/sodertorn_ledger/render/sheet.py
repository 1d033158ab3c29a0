"""A spreadsheet-shaped intermediate: sheets of rows of typed cells.

Each report maps onto this in one small function (see `workbook`), and one writer turns
it into a file (see `xlsx`). The cells say what a value *is* — text from the books, an
exact amount, a count, a formula — never how a particular file format stores it, so the
writer alone decides how to keep text from becoming a formula and how to show kronor.

Rows are numbered as the spreadsheet numbers them (the first row is 1), so a mapping
function can build formulas from the row numbers `Sheet.add` returns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import NamedTuple


class Style(Enum):
    """How a cell looks; the writer maps each to fonts and borders."""

    NORMAL = "normal"
    TITLE = "title"
    """The sheet's title: large and bold. Not counted when fitting column widths."""
    HEADING = "heading"
    """Column headings: bold, a rule below."""
    TOTAL = "total"
    """A Summa row: bold, a rule above."""
    RESULT = "result"
    """A final figure such as Årets överskott: bold, a double rule below."""
    NOTE = "note"
    """Footnotes and remarks: small. Not counted when fitting column widths."""


class Text(NamedTuple):
    """Text, always stored as text — even `=HYPERLINK(…)` from a payee stays a string."""

    value: str
    style: Style = Style.NORMAL
    indent: int = 0
    """Indentation steps (a supplier under its project, an account under its heading)."""


class Amount(NamedTuple):
    """An exact amount in kronor; shown in whole kronor unless `ore`."""

    value: Decimal
    style: Style = Style.NORMAL
    ore: bool = False
    blank_zero: bool = False
    """A zero is shown blank (a row of a published table, see `labels`), else as 0."""


class Count(NamedTuple):
    """A whole number that is not money (folkmängd)."""

    value: int
    style: Style = Style.NORMAL


class Date(NamedTuple):
    """A day, shown YYYY-MM-DD (a date to the spreadsheet: it filters and sorts as one)."""

    value: dt.date
    style: Style = Style.NORMAL


class Formula(NamedTuple):
    """A formula such as ``=SUM(B4:B10)``, shown like an amount (or a count).

    `value` is what the tool itself computes for it: the writer does not store it (a
    spreadsheet recalculates), but tests compare what a spreadsheet computes against it.
    """

    text: str
    value: Decimal
    style: Style = Style.NORMAL
    of_count: bool = False
    """Shown as a count (folkmängd), not as kronor."""
    ore: bool = False
    blank_zero: bool = False
    """A result of zero is shown blank (as `Amount.blank_zero`), else as 0."""
    percent: bool = False
    """Shown as a percentage with one decimal (the value a fraction: 0.932 is 93,2 %)."""


Cell = Text | Amount | Count | Date | Formula | None
"""None is an empty cell."""


class BarChart(NamedTuple):
    """A bar chart of one column against the labels in another, over a range of rows."""

    title: str
    label_column: int
    value_column: int
    first_row: int
    last_row: int
    value_title: str = ""


class Sheet:
    """One sheet as it is laid out: a name, rows of cells, how many top rows and left
    columns stay in view, and a chart."""

    __slots__ = ("autofilter", "chart", "frozen_columns", "header_rows", "name", "rows")

    def __init__(self, name: str, *, header_rows: int = 0, frozen_columns: int = 1) -> None:
        self.name = name
        self.rows: list[list[Cell]] = []
        self.header_rows = header_rows
        """Rows kept in view when scrolling and repeated on every printed page."""
        self.frozen_columns = frozen_columns
        self.chart: BarChart | None = None
        self.autofilter: tuple[int, int, int] | None = None
        """A filter on a table: its heading row, its last row and its last column."""

    def add(self, *cells: Cell) -> int:
        """Append a row; return its spreadsheet row number (the first row is 1)."""
        self.rows.append(list(cells))
        return len(self.rows)

    def blank(self) -> int:
        return self.add()

    def cell(self, row: int, column: int) -> Cell:
        """The cell at a spreadsheet row and column (both from 1); None when empty."""
        if row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if 0 < column <= len(cells) else None


class Book(NamedTuple):
    """A workbook: its sheets and the document properties a reader sees in File → Properties."""

    title: str
    organisation: str
    year: int
    sheets: tuple[Sheet, ...]
    subject: str = ""


def column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    if column < 1:
        raise ValueError(f"columns count from 1, not {column}")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def ref(column: int, row: int) -> str:
    """The A1-style reference of a cell."""
    return f"{column_letter(column)}{row}"


def sum_formula(
    column: int,
    first: int,
    last: int,
    value: Decimal,
    *,
    style: Style = Style.NORMAL,
    count: bool = False,
) -> Formula:
    """``=SUM(B4:B10)``; an empty range (no rows) sums to zero as ``=0``."""
    if last < first:
        return Formula("=0", value, style, of_count=count)
    return Formula(f"=SUM({ref(column, first)}:{ref(column, last)})", value, style, of_count=count)
