"""A spreadsheet-shaped intermediate: sheets of rows of typed cells.

Each report maps onto this in one small function (see `workbook`), and one writer turns
it into a file (see `xlsx`). The cells say what a value *is* — text from the books, an
exact amount, a count, a formula — never how a particular file format stores it, so the
writer alone decides how to keep text from becoming a formula and how to show kronor.

Rows are numbered as the spreadsheet numbers them (the first row is 1), so a mapping
function can build formulas from the row numbers `Sheet.add` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


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


@dataclass(frozen=True)
class Text:
    """Text, always stored as text — even `=HYPERLINK(…)` from a payee stays a string."""

    value: str
    style: Style = Style.NORMAL
    indent: int = 0
    """Indentation steps (a supplier under its project, an account under its heading)."""


@dataclass(frozen=True)
class Amount:
    """An exact amount in kronor; shown in whole kronor unless `ore`."""

    value: Decimal
    style: Style = Style.NORMAL
    ore: bool = False


@dataclass(frozen=True)
class Count:
    """A whole number that is not money (folkmängd)."""

    value: int
    style: Style = Style.NORMAL


@dataclass(frozen=True)
class Formula:
    """A formula such as ``=SUM(B4:B10)``, shown like an amount (or a count).

    `value` is what the tool itself computes for it: the writer does not store it (a
    spreadsheet recalculates), but tests compare what a spreadsheet computes against it.
    """

    text: str
    value: Decimal
    style: Style = Style.NORMAL
    count: bool = False
    ore: bool = False

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError(f"a formula starts with '=': {self.text!r}")


Cell = Text | Amount | Count | Formula | None
"""None is an empty cell."""


@dataclass(frozen=True)
class BarChart:
    """A bar chart of one column against the labels in another, over a range of rows."""

    title: str
    label_column: int
    value_column: int
    first_row: int
    last_row: int
    value_title: str = ""


@dataclass
class Sheet:
    """One sheet: a name, rows of cells, and how many top rows stay frozen."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    """Rows kept in view when scrolling and repeated on every printed page."""
    frozen_columns: int = 1
    chart: BarChart | None = None

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


@dataclass
class Book:
    """A workbook: its sheets and the document properties a reader sees in File → Properties."""

    title: str
    organisation: str
    year: int
    sheets: list[Sheet] = field(default_factory=list)
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
        return Formula("=0", value, style, count=count)
    return Formula(f"=SUM({ref(column, first)}:{ref(column, last)})", value, style, count=count)
