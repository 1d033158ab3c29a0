"""The reports' tables: drawn as rich's `Table` with box SIMPLE_HEAD draws them, without
rich's table machinery whenever the table fits.

rich's Table sends every cell through its general layout engine (measure, wrap, pad, crop):
importing it and drawing the fee table took 9 ms of `ledger fees 2020` (about 100 ms in
all, the target). A table that fits the console's width needs none of that: each column is
as wide as its widest text plus a blank on either side, and the lines follow. So `Table`
draws those itself, line by line. A table wider than the console (a narrow terminal), a
title wider than the table, a text that is not one printable line, a console that cannot
show the box characters: those go to rich's own Table (`Table.rich_table`), which wraps
and substitutes as it always has. tests/test_render_table.py checks that both draw the
same characters in the same styles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.table import Table as RichTable

Justify = Literal["left", "right"]
CellText = str | Text


class _Column(NamedTuple):
    heading: str
    justify: Justify
    footer: str


class _Row(NamedTuple):
    cells: tuple[CellText, ...]
    style: str | None


class Table:
    """A report table: a title, columns (heading, justification, footer), rows with an
    optional style, and sections (a blank line after a row), as in rich's Table."""

    def __init__(
        self,
        title: str,
        *,
        title_justify: Literal["left", "center"] = "center",
        title_style: str | None = None,
        show_footer: bool = False,
    ) -> None:
        self.title = title
        self.title_justify: Literal["left", "center"] = title_justify
        self.title_style = title_style
        self.show_footer = show_footer
        self.columns: list[_Column] = []
        self.rows: list[_Row] = []
        self.sections: set[int] = set()
        """Indexes of the rows a section ends with."""

    def add_column(self, heading: str, *, justify: Justify = "left", footer: str = "") -> None:
        self.columns.append(_Column(heading, justify, footer))

    def add_row(self, *cells: CellText, style: str | None = None) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells in a row of {len(self.columns)} columns")
        self.rows.append(_Row(cells, style))

    def add_section(self) -> None:
        if self.rows:
            self.sections.add(len(self.rows) - 1)

    def rich_table(self) -> RichTable:
        """The same table as rich's Table (for what `Table` does not draw itself)."""
        from rich import box
        from rich.table import Table as RichTable

        table = RichTable(
            title=self.title or None,
            title_justify=self.title_justify,
            title_style=self.title_style,
            box=box.SIMPLE_HEAD,
            show_footer=self.show_footer,
        )
        for column in self.columns:
            table.add_column(column.heading, justify=column.justify, footer=column.footer)
        for index, row in enumerate(self.rows):
            table.add_row(*row.cells, style=row.style, end_section=index in self.sections)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths_drawn_here(options)
        if widths is None:
            yield self.rich_table()
            return
        yield from self._lines(console, widths, _table_width(widths))

    def widths_drawn_here(self, options: ConsoleOptions) -> list[int] | None:
        """The columns' widths when this table is drawn here; None when rich draws it."""
        widths = self._widths()
        if (
            not widths
            or not self.rows
            or _table_width(widths) > options.max_width
            or not self.title.isprintable()
            or cell_len(self.title) > _table_width(widths)
            or options.ascii_only
            or options.legacy_windows
        ):
            return None
        return widths

    def _widths(self) -> list[int]:
        """The width of each column's widest text; [] when a text is not for drawing here."""
        widths = []
        for index, column in enumerate(self.columns):
            texts = [column.heading, *(_plain(row.cells[index]) for row in self.rows)]
            if self.show_footer:
                texts.append(column.footer)
            if any(text is None or not text.isprintable() for text in texts):
                return []
            widths.append(max(cell_len(text) for text in texts if text is not None))
        return widths

    def _lines(self, console: Console, widths: list[int], width: int) -> RenderResult:
        get_style = console.get_style
        blank_line = [Segment(" " * width), Segment.line()]
        if self.title:
            title_style = get_style(self.title_style or "table.title")
            yield Segment(_justified(self.title, width, self.title_justify), title_style)
            yield Segment.line()
        yield from blank_line  # the top edge
        header = get_style("table.header")
        yield from self._row(console, widths, [c.heading for c in self.columns], header)
        yield Segment(" " + "─" * (width - 2) + " ")
        yield Segment.line()
        last = len(self.rows) - 1
        for index, row in enumerate(self.rows):
            row_style = get_style(row.style) if row.style else Style.null()
            yield from self._row(console, widths, row.cells, row_style)
            if index in self.sections and index != last:
                yield from blank_line  # a section ends (not before the footer or the end)
        if self.show_footer:
            yield from blank_line
            footers = [c.footer for c in self.columns]
            yield from self._row(console, widths, footers, get_style("table.footer"))
        yield from blank_line  # the bottom edge

    def _row(
        self,
        console: Console,
        widths: list[int],
        cells: list[str] | tuple[CellText, ...],
        style: Style,
    ) -> RenderResult:
        # An edge, then each cell with a blank on either side, divided by a blank.
        yield Segment(" ")
        for index, (text, width, column) in enumerate(
            zip(cells, widths, self.columns, strict=True)
        ):
            if index:
                yield Segment(" ")
            own = text.style if isinstance(text, Text) else ""
            yield Segment(" ", style)
            yield Segment(
                _justified(_plain(text) or "", width, column.justify),
                style + console.get_style(own) if isinstance(own, str) and own else style,
            )
            yield Segment(" ", style)
        yield Segment(" ")
        yield Segment.line()


def _table_width(widths: list[int]) -> int:
    # Each column with a blank on either side, a divider between columns, an edge each side.
    return sum(widths) + 2 * len(widths) + (len(widths) - 1) + 2


def _plain(text: CellText) -> str | None:
    """The text of a cell; None for rich Text with more than one style (rich draws it)."""
    if isinstance(text, str):
        return text
    if text.spans or not isinstance(text.style, str):
        return None
    return text.plain


def _justified(text: str, width: int, justify: Literal["left", "center", "right"]) -> str:
    """`text` in `width` cells as rich justifies a line that fits: centred and right-aligned
    text loses its trailing blanks first."""
    if justify == "left":
        return text + " " * (width - cell_len(text))
    text = text.rstrip()
    excess = width - cell_len(text)
    left = excess if justify == "right" else excess // 2
    return " " * left + text + " " * (excess - left)
