"""Writing a `Book` (see `sheet`) as an .xlsx workbook with openpyxl.

Decisions that hold for every sheet:
- Amounts are stored as numbers (the exact öre amount; a spreadsheet keeps it as the
  nearest double) and only *shown* in whole kronor, so sums made by the spreadsheet equal
  the tool's exact sums and not the sum of rounded cells.
- The number formats carry the Swedish locale (``[$-41D]``): LibreOffice then shows a
  space between thousands whatever the reader's own locale; Excel shows the reader's
  separators (a space in Swedish Excel). Negatives get the report's minus sign U+2212.
- Text is always stored as a string cell, never as a formula, whatever it starts with: a
  payee in the books must never run as one.
- Formulas are stored with the result the tool computed as their cached value, so a
  viewer that does not calculate (a mail preview, Excel's Protected View, a program
  reading values) still shows the figures; the workbook also asks for a full
  recalculation on load.
- openpyxl makes the workbook (styles, layout, charts, properties) but not the cells: a
  sheet's cells are written here as the XML openpyxl would write for them (`_sheet_data`)
  and put into the saved sheet. openpyxl takes tens of microseconds a cell, which a sheet
  of every posting of a big year (the Underlag) turns into seconds; and it cannot write a
  formula's cached value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from sodertorn_ledger import __version__
from sodertorn_ledger.money import format_count, format_percent, format_sv
from sodertorn_ledger.render.sheet import (
    Amount,
    BarChart,
    Book,
    Cell,
    Count,
    Date,
    Formula,
    Sheet,
    Style,
    Text,
    column_letter,
)

SWEDISH = "[$-41D]"
KRONOR_FORMAT = f"{SWEDISH}#,##0;{SWEDISH}−#,##0"
ORE_FORMAT = f"{SWEDISH}#,##0.00;{SWEDISH}−#,##0.00"
BLANK_ZERO = ';""'
"""A third section for zero that shows nothing: a row of a published table (`labels`)."""
COUNT_FORMAT = f"{SWEDISH}#,##0"
PERCENT_FORMAT = f"{SWEDISH}0.0 %;{SWEDISH}−0.0 %"
DATE_FORMAT = "yyyy-mm-dd"

MAX_TEXT = 32767
"""The most characters a spreadsheet cell holds."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot carry (openpyxl refuses them)."""

_MIN_WIDTH = 6.0
_MAX_WIDTH = 60.0


def safe_text(value: str) -> str:
    """Text as a cell can hold it: control characters become U+FFFD, overlong text is cut."""
    cleaned = _ILLEGAL.sub("\ufffd", value)
    return cleaned if len(cleaned) <= MAX_TEXT else cleaned[: MAX_TEXT - 1] + "…"


def workbook_bytes(book: Book) -> bytes:
    """The whole workbook as .xlsx bytes (nothing is written to disk)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    styles: dict[tuple[Any, ...], int] = {}
    cells: dict[str, tuple[str, str]] = {}
    for index, sheet in enumerate(book.sheets, start=1):
        worksheet = workbook.create_sheet(title=sheet.name)
        # openpyxl saves the sheets as xl/worksheets/sheetN.xml in the book's order.
        cells[f"xl/worksheets/sheet{index}.xml"] = _sheet_data(worksheet, sheet, styles)
        _layout(worksheet, sheet, book)
        if sheet.chart is not None:
            _add_chart(worksheet, sheet, sheet.chart)
    _properties(workbook, book)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_cells(buffer.getvalue(), cells)


def write_workbook(book: Book, path: Path, *, overwrite: bool) -> None:
    """Write the workbook atomically; raises fileio.FileExists or OSError."""
    from sodertorn_ledger.fileio import write_atomic

    data = workbook_bytes(book)
    write_atomic(path, data, overwrite=overwrite)


# --- cells ------------------------------------------------------------------------------


def _sheet_data(
    worksheet: Any, sheet: Sheet, styles: dict[tuple[Any, ...], int]
) -> tuple[str, str]:
    """The sheet's ``<sheetData>`` element as openpyxl would write it, and the range of
    its cells (``A1:I238``); `styles` holds the workbook's style number of each kind of
    cell made so far."""
    numeric = numeric_columns(sheet)
    rows: list[str] = ["<sheetData>"]
    last_column = 1
    letters = [column_letter(c) for c in range(1, max(map(len, sheet.rows), default=0) + 1)]
    for row_number, cells in enumerate(sheet.rows, start=1):
        written = []
        for column, cell in enumerate(cells, start=1):
            if cell is not None:
                style = _style_id(worksheet, cell, column in numeric, styles)
                written.append(_cell_xml(f"{letters[column - 1]}{row_number}", cell, style))
        if written:
            rows.append(f'<row r="{row_number}">{"".join(written)}</row>')
            last_column = max(last_column, max(i for i, c in enumerate(cells, 1) if c is not None))
    rows.append("</sheetData>")
    dimension = f"A1:{column_letter(last_column)}{max(len(sheet.rows), 1)}"
    return "".join(rows), dimension


def _cell_xml(at: str, cell: Cell, style: int) -> str:
    """One ``<c>`` element: text inline (as openpyxl writes it), numbers exact, a date as
    the spreadsheet's day number, a formula with the tool's result as its cached value."""
    s = f' s="{style}"' if style else ""
    if isinstance(cell, Text):
        text = safe_text(cell.value)
        if not text:
            return f'<c r="{at}"{s}/>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{at}"{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'
    if isinstance(cell, Amount):
        return f'<c r="{at}"{s} t="n"><v>{_value_text(cell.value)}</v></c>'
    if isinstance(cell, Count):
        return f'<c r="{at}"{s} t="n"><v>{cell.value}</v></c>'
    if isinstance(cell, Date):
        return f'<c r="{at}"{s} t="n"><v>{(cell.value - _DAY_ZERO).days}</v></c>'
    if isinstance(cell, Formula):
        if not cell.text.startswith("="):
            raise ValueError(f"a formula starts with '=': {cell.text!r}")
        formula = _escape(cell.text[1:])
        return f'<c r="{at}"{s}><f>{formula}</f><v>{_value_text(cell.value)}</v></c>'
    raise TypeError(f"not a cell: {cell!r}")


_DAY_ZERO = dt.date(1899, 12, 30)
"""The spreadsheet's day 0: 1 January 1900 is day 2 (Excel's 1900 leap year kept)."""


def _escape(text: str) -> str:
    """Text as XML character data; a carriage return kept as one (a parser would make a
    line feed of it)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _style_id(
    worksheet: Any, cell: Cell, numeric_column: bool, styles: dict[tuple[Any, ...], int]
) -> int:
    """The workbook's style number for `cell` (its number format, font, borders,
    alignment); made once for each kind of cell."""
    if cell is None:
        return 0
    number_format = _number_format(cell)
    indent = cell.indent if isinstance(cell, Text) else 0
    key = (number_format, cell.style, numeric_column, indent)
    known = styles.get(key)
    if known is not None:
        return known
    from openpyxl.cell.cell import Cell as XlCell

    # A cell of the sheet that is never stored in it: openpyxl adds its look to the
    # workbook's styles and gives its number.
    probe = XlCell(worksheet, row=1, column=1)
    if number_format is not None:
        probe.number_format = number_format
    _style(probe, cell.style, numeric=numeric_column)
    if indent:
        from openpyxl.styles import Alignment

        probe.alignment = Alignment(indent=indent)
    styles[key] = number = int(probe.style_id)
    return number


def _number_format(cell: Cell) -> str | None:
    if isinstance(cell, Text):
        return None
    if isinstance(cell, Amount):
        return _money_format(cell)
    if isinstance(cell, Count):
        return COUNT_FORMAT
    if isinstance(cell, Date):
        return DATE_FORMAT
    if isinstance(cell, Formula):
        if cell.percent:
            return PERCENT_FORMAT
        return COUNT_FORMAT if cell.of_count else _money_format(cell)
    return None


def numeric_columns(sheet: Sheet) -> set[int]:
    """Columns of figures: below the headings, numbers and no text (their headings are
    right-aligned over the figures)."""
    numbers: set[int] = set()
    texts: set[int] = set()
    for cells in sheet.rows[sheet.header_rows :]:
        for column, cell in enumerate(cells, start=1):
            if isinstance(cell, Text):
                if cell.value and cell.style not in (Style.TITLE, Style.NOTE):
                    texts.add(column)
            elif cell is not None:
                numbers.add(column)
    return numbers - texts


def _money_format(cell: Amount | Formula) -> str:
    shown = ORE_FORMAT if cell.ore else KRONOR_FORMAT
    return shown + BLANK_ZERO if cell.blank_zero else shown


FONT = "Arial"
"""On every Windows and Mac; LibreOffice on Linux uses its metric twin Liberation Sans."""


def _style(target: Any, style: Style, *, numeric: bool) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    target.font = Font(name=FONT, size=10)
    if style is Style.TITLE:
        target.font = Font(name=FONT, bold=True, size=14)
    elif style is Style.HEADING:
        target.font = Font(name=FONT, size=10, bold=True)
        target.border = Border(bottom=Side(style="thin"))
        target.alignment = Alignment(horizontal="right" if numeric else "general")
    elif style is Style.TOTAL:
        target.font = Font(name=FONT, size=10, bold=True)
        target.border = Border(top=Side(style="thin"))
    elif style is Style.RESULT:
        target.font = Font(name=FONT, size=10, bold=True)
        target.border = Border(bottom=Side(style="double"))
    elif style is Style.NOTE:
        target.font = Font(name=FONT, size=9, italic=True)


# --- the cells into the saved workbook ---------------------------------------------------


_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def _with_cells(data: bytes, cells: dict[str, tuple[str, str]]) -> bytes:
    """The saved workbook with each sheet's cells (`_sheet_data`) in place of the empty
    ``<sheetData>`` openpyxl wrote, and the sheet's range in its ``<dimension>``."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in cells:
                rows, dimension = cells[info.filename]
                xml = content.decode("utf-8")
                empty = _EMPTY_SHEET_DATA.search(xml)
                if empty is None:
                    raise ValueError(f"no empty <sheetData> in {info.filename}")
                xml = xml[: empty.start()] + rows + xml[empty.end() :]
                xml = _DIMENSION.sub(f'<dimension ref="{dimension}"/>', xml, count=1)
                content = xml.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _value_text(value: Decimal) -> str:
    """An exact number as XML text (no exponent): ``188431.6``, ``-1450``."""
    if not value.is_finite():
        raise ValueError(f"not an amount: {value}")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- sheet layout -----------------------------------------------------------------------


def display_width(cell: Cell) -> int:
    """Characters the cell shows (0 for cells that may spill over their neighbours)."""
    if cell is None or cell.style in (Style.TITLE, Style.NOTE):
        return 0
    if isinstance(cell, Text):
        text = cell.value
        # No line break in printable text: its length (the fast way, for big sheets).
        longest = len(text) if text.isprintable() else max(map(len, text.splitlines()), default=0)
        return longest + 2 * cell.indent
    if isinstance(cell, Amount):
        return len(format_sv(cell.value, ore=cell.ore))
    if isinstance(cell, Count):
        return len(format_count(cell.value))
    if isinstance(cell, Date):
        return len(cell.value.isoformat())
    if cell.percent:
        return len(format_percent(cell.value))
    if cell.of_count:
        return len(format_sv(cell.value))
    return len(format_sv(cell.value, ore=cell.ore))


def column_widths(sheet: Sheet) -> list[float]:
    """A width per column that fits its longest label or figure (bold counts wider)."""
    widths: dict[int, float] = {}

    def widen(column: int, cell: Cell, chars: int) -> None:
        if not chars or cell is None:
            return
        bold = cell.style in (Style.HEADING, Style.TOTAL, Style.RESULT)
        # Width units are digits of the default font; letters of Arial 10 run narrower.
        per_char = 0.95 if isinstance(cell, Text) else 1.0
        width = chars * per_char * (1.1 if bold else 1.0) + 2
        widths[column] = max(widths.get(column, 0.0), width)

    # Of the amounts of a column that look alike, the widest is the largest or the most
    # negative: only those two are written out (a sheet of every posting has thousands).
    extremes: dict[tuple[int, bool, Style], list[Amount]] = {}
    for cells in sheet.rows:
        for column, cell in enumerate(cells, start=1):
            if isinstance(cell, Amount) and cell.style not in (Style.TITLE, Style.NOTE):
                found = extremes.setdefault((column, cell.ore, cell.style), [cell, cell])
                if cell.value < found[0].value:
                    found[0] = cell
                elif cell.value > found[1].value:
                    found[1] = cell
            else:
                widen(column, cell, display_width(cell))
    for (column, _, _), pair in extremes.items():
        for cell in pair:
            widen(column, cell, display_width(cell))
    last = max(widths, default=0)
    return [min(max(widths.get(c, _MIN_WIDTH), _MIN_WIDTH), _MAX_WIDTH) for c in range(1, last + 1)]


def _layout(worksheet: Any, sheet: Sheet, book: Book) -> None:
    for column, width in enumerate(column_widths(sheet), start=1):
        worksheet.column_dimensions[column_letter(column)].width = round(width, 1)
    if sheet.header_rows:
        first = f"{column_letter(sheet.frozen_columns + 1)}{sheet.header_rows + 1}"
        worksheet.freeze_panes = first
        worksheet.print_title_rows = f"1:{sheet.header_rows}"
    if sheet.autofilter is not None:
        heading, last_row, last_column = sheet.autofilter
        worksheet.auto_filter.ref = f"A{heading}:{column_letter(last_column)}{last_row}"
    setup = worksheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = worksheet.page_margins
    margins.left = margins.right = 0.6  # inches
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    worksheet.oddFooter.left.text = _header_text(book.organisation)
    worksheet.oddFooter.right.text = "&P / &N"


def _header_text(text: str) -> str:
    # '&' starts a header/footer code in a spreadsheet; a literal one is doubled.
    return safe_text(text).replace("&", "&&")


def _add_chart(worksheet: Any, sheet: Sheet, spec: BarChart) -> None:
    from openpyxl.chart import BarChart as XlBarChart
    from openpyxl.chart import Reference

    chart = XlBarChart()
    chart.type = "bar"  # horizontal bars: long fund names read as labels
    chart.style = 10
    chart.title = _chart_title(spec.title)
    chart.legend = None
    values = Reference(
        worksheet, min_col=spec.value_column, min_row=spec.first_row, max_row=spec.last_row
    )
    labels = Reference(
        worksheet, min_col=spec.label_column, min_row=spec.first_row, max_row=spec.last_row
    )
    chart.add_data(values, titles_from_data=False)
    chart.set_categories(labels)
    chart.x_axis.scaling.orientation = "maxMin"  # first fund on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = COUNT_FORMAT  # the axis starts at 0, shown as 0 (not a dash)
    chart.y_axis.majorGridlines = None
    chart.x_axis.txPr = _text_size(800)
    chart.y_axis.txPr = _text_size(800)
    if spec.value_title:
        chart.y_axis.title = safe_text(spec.value_title)
    widths = column_widths(sheet)
    chart.width = max(16.0, sum(widths) * 0.2)  # cm; roughly the table's width
    # Small enough to print on the table's page (A4 landscape) for a usual number of funds.
    chart.height = max(6.0, 0.7 * (spec.last_row - spec.first_row + 1) + 4)
    anchor_row = len(sheet.rows) + 2
    worksheet.add_chart(chart, f"A{anchor_row}")


def _text_size(hundredths_pt: int) -> Any:
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    size = CharacterProperties(sz=hundredths_pt)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def _chart_title(text: str) -> Any:
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
    )

    size = CharacterProperties(sz=1100, b=True)
    run = RegularTextRun(rPr=size, t=safe_text(text))
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=size), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _properties(workbook: Any, book: Book) -> None:
    from openpyxl.packaging.custom import IntProperty, StringProperty

    props = workbook.properties
    props.title = safe_text(book.title)
    props.subject = safe_text(book.subject or book.title)
    props.creator = f"sodertorn-ledger {__version__}"
    props.lastModifiedBy = props.creator
    props.keywords = f"{safe_text(book.organisation)}, {book.year}"
    props.description = f"{safe_text(book.organisation)}: {safe_text(book.title)}"
    props.category = "Bokslut"
    props.language = "sv-SE"
    workbook.custom_doc_props.append(
        StringProperty(name="Organisation", value=safe_text(book.organisation))
    )
    workbook.custom_doc_props.append(IntProperty(name="År", value=book.year))
    workbook.calculation.fullCalcOnLoad = True
