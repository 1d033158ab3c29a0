"""SCB's Excel tables of folkmängd per kommun, read with openpyxl.

SCB's most downloaded table, "Folkmängd per kommun 31 december 2020 jämfört med 2019", is a
workbook of several sheets: "Topp 50" (the largest municipalities, ranked), "Totalt" (all
290, alphabetical) and the same table per sex ("Kvinnor", "Män"). Each sheet has title
rows, then a header of two rows: group labels (``Rang``, ``Kommun``, ``Folkmängd 31
december``, ``Förändring``), each over the years it heads (``2020``, ``2019``, ``%``);
then one row per municipality: its ranks, its name (no kommunkod), its folkmängd of both
years and the change; footnotes may follow. PxWeb's own xlsx export has one sheet with
one or more stub columns (region, kön, ...) whose repeated labels are left blank.

A sheet's columns are told apart by their header: a year under (or over) Folkmängd,
Population or one sex is a figure; ranks and changes are never read; the region column
is the one headed Kommun, Region, ... (or the first one of names), and only the columns
to its right hold figures. Of a workbook, the sheets of folkmängd totals are read and
must agree (the "Totalt" sheet is the source named); the sheets of one sex are read only
when there is no total, and are then added up.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Collection
from typing import Any

from sodertorn_ledger.money import format_count
from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    BadValue,
    Category,
    Cell,
    Code,
    Figure,
    FileResult,
    norm,
    parse_count,
    sex_of,
    shorten,
    size_text,
    split_time,
)
from sodertorn_ledger.problems import Problem

_HINT = (
    "expected SCB's Excel table of folkmängd per kommun (a header row with the years, "
    "one row per kommun) or PxWeb's xlsx export of table TAB638 (formerly BE0101N1)"
)
_CHANGE_WORDS = (
    "förändring",
    "folkökning",
    "ökning",
    "minskning",
    "procent",
    "%",
    "diff",
    "change",
    "increase",
    "decrease",
    "growth",
    "percent",
    "per cent",
)
_RANK_WORDS = ("rang", "rank", "placering")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # beyond, as written: 1e+30 is no count of people
    return " ".join(str(value).split())


MAX_PARTS = 10_000
"""A workbook is a zip of a few dozen parts; counted in the bytes before the zip is opened."""
MAX_UNZIPPED = 100 * 1024 * 1024
"""The most bytes a workbook may unpack to, by its zip's own directory."""
MAX_WHOLE_PART = 10 * 1024 * 1024
"""The most bytes of a part openpyxl reads whole (shared strings, styles, the workbook):
only sheets are read as a stream."""
MAX_RATIO = 200
"""A part of more than a megabyte packed more tightly than this is a zip bomb, not a table."""
MAX_GRID_CELLS = 2 * MAX_CELLS
"""The most cells (rows × columns, every sheet) taken from a workbook."""


class _Unreadable(Exception):
    """Why a workbook is refused, as the message says it."""


def _check_zip(data: bytes) -> None:
    """Refuse, before openpyxl unpacks anything, a zip too big or too tightly packed for a
    table of folkmängd. The sizes are the zip's own claims: zipfile never unpacks a part
    beyond its claimed size (and a part that claims less than it holds fails its CRC)."""
    if data.count(b"PK\x01\x02") > MAX_PARTS:  # one per part in the zip's directory
        raise _Unreadable(f"a zip of more than {format_count(MAX_PARTS)} parts")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on a damaged archive
        raise _Unreadable(f"not a readable Excel workbook ({_reason(exc)})") from None
    total = 0
    for info in infos:
        name = repr(shorten(info.filename, 60))
        total += info.file_size
        if total > MAX_UNZIPPED:
            raise _Unreadable(
                f"a workbook that unpacks to more than {size_text(MAX_UNZIPPED)}: too large "
                "for a population file"
            )
        whole = info.filename.endswith((".xml", ".rels")) and not info.filename.startswith(
            "xl/worksheets/"
        )
        if whole and info.file_size > MAX_WHOLE_PART:
            raise _Unreadable(
                f"part {name} unpacks to {size_text(info.file_size)}; at most "
                f"{size_text(MAX_WHOLE_PART)} is read: too large for a population file"
            )
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _Unreadable(
                f"part {name} unpacks to {size_text(info.file_size)}, {ratio} times its packed "
                "size: refused as a zip bomb"
            )


def _reason(exc: BaseException) -> str:
    """An exception of zipfile, zlib or openpyxl in a few words, for the message."""
    kind = type(exc).__name__
    if kind == "error":  # zlib.error, struct.error
        kind = f"{type(exc).__module__}.{kind}"
    text = " ".join(str(exc).split())
    return shorten(f"{kind}: {text}" if text else kind, 100)


def parse_excel(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    try:
        _check_zip(data)
        grids = _read_grids(data)
    except _Unreadable as exc:
        return FileResult(problems=[Problem(file, 0, str(exc), hint=_HINT)])
    sheets = [_read_sheet(file, grid, title) for title, grid in grids]
    totals = [s for s in sheets if s.kind == _TOTAL]
    if totals:
        totals.sort(key=lambda s: norm(s.title) not in _WHOLE_TABLE_SHEETS)  # stable
        return _from_sheets(file, totals, names, together=False)
    sexes = [s for s in sheets if s.kind == _ONE_SEX]
    if sexes:
        return _from_sheets(file, sexes, names, together=True)
    other = next((s for s in sheets if s.kind == _OTHER), None)
    if other is not None:
        return FileResult(
            problems=[
                Problem(
                    file,
                    0,
                    f"{other.where}: the year columns are not folkmängd (no 'Folkmängd' "
                    "in the title or header)",
                    hint=_HINT,
                )
            ]
        )
    return FileResult(
        problems=[Problem(file, 0, "no sheet has a header row with years", hint=_HINT)]
    )


_WHOLE_TABLE_SHEETS = frozenset(
    {"totalt", "total", "samtliga", "alla kommuner", "all municipalities"}
)
"""Sheet names of a workbook's whole table, read first of the sheets that agree: their cells
are the sources named (not those of an excerpt such as "Topp 50")."""


def _from_sheets(
    file: str, sheets: list[_Sheet], names: dict[str, Code], *, together: bool
) -> FileResult:
    """The figures of the sheets used: each sheet's own (`together` False), which must
    agree, or one sheet's cells added to the other's (the sexes, `together`)."""
    bad = FileResult()
    for sheet in sheets:
        for problem in sheet.bad.problems:
            bad.add(problem)
        bad.omitted += sheet.bad.omitted
    if bad.problems:
        return bad
    if together:
        return figures_from_cells(
            [cell for sheet in sheets for cell in sheet.cells], file=file, names=names
        )
    merged = FileResult()
    first: dict[tuple[Code, dt.date], Figure] = {}
    for sheet in sheets:
        result = figures_from_cells(sheet.cells, file=file, names=names)
        for problem in result.problems:
            merged.add(problem)
        merged.omitted += result.omitted
        for figure in result.figures:
            key = (figure.code, figure.date)
            earlier = first.get(key)
            if earlier is None:
                first[key] = figure
                merged.figures.append(figure)
            elif earlier.population != figure.population:
                merged.add(
                    Problem(
                        file,
                        0,
                        f"{figure.place}: folkmängd for {figure.code} {figure.date} is "
                        f"{figure.population} here but {earlier.population} in "
                        f"{earlier.place}",
                        hint="the sheets of one workbook disagree: download it again from SCB",
                    )
                )
    return merged


def _read_grids(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """Every sheet's title and cells as text. Whatever openpyxl (or zipfile, zlib, the XML
    parser under it) raises on a malformed workbook is a workbook it cannot read; its
    warnings quote the file and are not the user's business."""
    import warnings

    import openpyxl

    grids: list[tuple[str, list[list[str]]]] = []
    budget = MAX_GRID_CELLS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
            try:
                for sheet in workbook.worksheets:
                    grid = _grid(sheet, budget)
                    budget -= len(grid) * len(grid[0]) if grid else 0
                    grids.append((str(sheet.title), grid))
            finally:
                workbook.close()
        except _Unreadable:
            raise
        except Exception as exc:  # openpyxl has no one error for a broken workbook
            raise _Unreadable(f"not a readable Excel workbook ({_reason(exc)})") from None
    return grids


def _grid(sheet: Any, budget: int) -> list[list[str]]:
    # Merged header cells keep their text in the first cell only; `_groups` and `_years`
    # spread a label over the columns it heads. A sheet may claim (or hold) a million
    # rows of sixteen thousand columns: the grid is refused once it passes `budget` cells.
    rows: list[list[str]] = []
    width = 0
    for row in sheet.iter_rows(values_only=True):
        width = max(width, len(row), 1)  # an empty row costs as much as a cell
        if (len(rows) + 1) * width > budget:
            where = f"sheet {_sheet_ref(str(sheet.title))} has"
            if budget < MAX_GRID_CELLS:
                where = f"the sheets up to {_sheet_ref(str(sheet.title))} have"
            raise _Unreadable(
                f"{where} more than {format_count(MAX_GRID_CELLS)} cells (rows × columns): too "
                "large for a population file"
            )
        rows.append([_text(v) for v in row])
    return [r + [""] * (width - len(r)) for r in rows]


def _sheet_ref(title: str) -> str:
    """A sheet's name as Excel writes it in a reference: ``Totalt``, ``'Tabell 1'``."""
    title = shorten(title, 40)
    if title.isidentifier():
        return title
    return "'" + title.replace("'", "''") + "'"


def _cell_ref(sheet: str, row: int, col: int) -> str:
    """``'Tabell 1'!C6`` for the 0-based row and column of a sheet's grid."""
    return f"{_sheet_ref(sheet)}!{_column_letters(col)}{row + 1}"


def _column_letters(col: int) -> str:
    """``C`` for the 0-based column 2, ``AA`` for 26."""
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_TOTAL = "total"
_ONE_SEX = "one sex"
_OTHER = "other"
_NONE = "none"


class _Sheet:
    """What one sheet holds: its kind, and the cells of its folkmängd figures.

    Kinds: ``total`` (folkmängd, or its parts with their total), ``one sex`` (every figure
    of one sex: a sheet of women or of men), ``other`` (years, but not of folkmängd) and
    ``none`` (no header with years)."""

    __slots__ = ("bad", "cells", "kind", "title", "where")

    def __init__(self, title: str, kind: str = _NONE, where: str = "") -> None:
        self.title = title
        self.kind = kind
        self.where = where
        """The header's first year as a cell (``Totalt!D7``), for a message."""
        self.cells: list[Cell] = []
        self.bad = FileResult()
        """Figures that are no whole number, named by sheet and cell (kept or counted)."""


def _is_time(text: str) -> bool:
    return split_time(text) is not None


def _header_row(grid: list[list[str]]) -> int:
    """The row of the years: the first that names a time beyond its first column and has
    nothing numeric-only beside the years (a rank or a figure is no header); -1 for none."""
    for r, row in enumerate(grid):
        found = any(c > 0 and _is_time(cell) for c, cell in enumerate(row))
        if found and all(_is_time(cell) or not cell.replace(" ", "").isdigit() for cell in row):
            return r
    return -1


def _read_sheet(file: str, grid: list[list[str]], sheet: str) -> _Sheet:
    header_at = _header_row(grid)
    if header_at < 0:
        return _Sheet(sheet)
    year_row = grid[header_at]
    width = len(year_row)
    first_time = next(c for c, cell in enumerate(year_row) if c > 0 and _is_time(cell))
    group_row = grid[header_at - 1] if header_at > 0 else [""] * width
    title = " ".join(" ".join(c for c in row if c) for row in grid[:header_at])
    # A second header row under the years ("Män", "Kvinnor", "Totalt", "Antal", "Procent").
    sub_row = _sub_header(grid, header_at + 1, first_time)
    years = _years(year_row, sub_row)
    group = _groups(group_row, years)

    labels = [norm(f"{group[c]} {years[c]} {sub_row[c] if sub_row else ''}") for c in range(width)]
    skipped = {c for c in range(width) if any(w in labels[c] for w in _CHANGE_WORDS + _RANK_WORDS)}
    heads = [
        year_row[c] or (sub_row[c] if sub_row else "") or group_row[c] or f"kolumn {c + 1}"
        for c in range(width)
    ]
    # The sex a figure is of: its column's label says it ("Kvinnor 31 december"), or the
    # sheet's title ("Antal kvinnor per kommun …") or its name ("Kvinnor").
    sheet_sex = _sex_counted(title) or sex_of(sheet)
    counts_people = _says_folkmangd(title) or _sex_counted(title) is not None
    value_cols: dict[int, tuple[str, str | None, str]] = {}  # column -> (time, sex, sub label)
    for c in range(width):
        parts = split_time(years[c])
        if parts is None or c in skipped or not (year_row[c] or (sub_row and sub_row[c])):
            continue
        sub = sub_row[c] if sub_row else ""
        sex = sex_of(labels[c]) or sheet_sex
        if _says_folkmangd(labels[c]) or counts_people:
            value_cols[c] = (parts[1], sex, sub)
    where = _cell_ref(sheet, header_at, first_time)
    if not value_cols:
        return _Sheet(sheet, _OTHER, where)

    code_col = next(
        (c for c in range(width) if c not in value_cols and norm(heads[c]) in _CODE_HEADERS),
        None,
    )
    region_col = _region_column(grid, header_at, heads, value_cols, skipped, code_col)
    value_cols = {c: v for c, v in value_cols.items() if c > region_col}
    if not value_cols:
        return _Sheet(sheet, _OTHER, where)
    first_value = min(value_cols)
    split_cols = [
        c
        for c in range(region_col + 1, first_value)
        if c not in skipped
        and c != code_col
        and any(grid[r][c] for r in range(header_at + 1, len(grid)))
    ]
    by_sex = any(sex for _, sex, _ in value_cols.values())
    read = _Sheet(sheet, _TOTAL, where)
    if by_sex and all(sex for _, sex, _ in value_cols.values()):
        read.kind = _ONE_SEX if len({sex for _, sex, _ in value_cols.values()}) == 1 else _TOTAL
    column_splits: dict[int, tuple[tuple[str, Category], ...]] = {}
    for c, (_, sex, sub) in value_cols.items():
        if by_sex:
            column_splits[c] = (("kön", Category("", sub or sex or "totalt")),)
        elif sub_row:
            column_splits[c] = (("kolumn", Category("", sub)),)
        else:
            column_splits[c] = ()

    stub = [c for c in (code_col, region_col, *split_cols) if c is not None]
    # PxWeb's export leaves a repeated stub label blank (a region over its rows of kön); a
    # table of one region a row has no such blanks, and a row without a name (a sum) is no
    # municipality's.
    carry = bool(split_cols)
    carried = dict.fromkeys(stub, "")
    first_data = header_at + (2 if sub_row else 1)
    at = {c: f"{_sheet_ref(sheet)}!{_column_letters(c)}" for c in value_cols}  # + the row
    for r in range(first_data, len(grid)):
        row = grid[r]
        if not any(row[c] for c in value_cols):
            continue  # blank row, footnote, source line
        for c in stub:
            carried[c] = row[c] or (carried[c] if carry else "")
        region = _region(carried[region_col], carried[code_col] if code_col is not None else "")
        if region is None:
            continue
        splits = tuple((heads[c], Category("", carried[c])) for c in split_cols)
        for c, (time, _, _) in value_cols.items():
            place = f"{at[c]}{r + 1}"
            try:
                value = parse_count(row[c])
            except BadValue as exc:
                read.bad.add(Problem(file, 0, f"{place}: {exc}"))
                continue
            read.cells.append(
                Cell(region, time, "Folkmängd", splits + column_splits[c], value, r + 1, place)
            )
    return read


def _says_folkmangd(text: str) -> bool:
    """A title or header of folkmängd: ``Folkmängd 31 december``, ``Population``."""
    text = norm(text)
    return "folkmängd" in text or "population" in text


def _sex_counted(title: str) -> str | None:
    """The sex a title counts: "Antal kvinnor per kommun …", "Number of men …"."""
    words = norm(title).split()
    for i, word in enumerate(words):
        if word in ("antal", "number"):
            sex = sex_of(" ".join(words[i + 1 : i + 3]))
            if sex is not None:
                return sex
    return None


def _years(year_row: list[str], sub_row: list[str] | None) -> list[str]:
    """The year of each column: its own, or (a merged cell over the sub-header's labels)
    the year to its left."""
    years = list(year_row)
    for c in range(1, len(years)):
        if not years[c] and sub_row and sub_row[c] and _is_time(years[c - 1]):
            years[c] = years[c - 1]
    return years


def _groups(group_row: list[str], years: list[str]) -> list[str]:
    """The group label over each column: its own, or (a merged cell such as "Folkmängd 31
    december" or "Rang" over two years) the label to its left, over the years it heads."""
    group = list(group_row)
    for c in range(1, len(group)):
        if not group[c] and _is_time(years[c]) and _is_time(years[c - 1]):
            group[c] = group[c - 1]
    return group


_CODE_HEADERS = frozenset(
    {
        "kommunkod",
        "kod",
        "regionkod",
        "länskod",
        "kommun-kod",
        "code",
        "municipality code",
        "region code",
    }
)


def _sub_header(grid: list[list[str]], r: int, first_value_col: int) -> list[str] | None:
    """The row under the years when it labels the year columns (text only, no figures)."""
    if r >= len(grid):
        return None
    cells = grid[r][first_value_col:]
    texts = [c for c in cells if c]
    if not texts or any(
        c.replace(" ", "").replace(",", "").replace(".", "").isdigit() for c in texts
    ):
        return None
    return grid[r]


def _region(name: str, code: str) -> Category | None:
    if code.isdigit() and len(code) in (1, 3):
        code = code.zfill(2 if len(code) == 1 else 4)  # Excel dropped the leading zero
    if not name and not code:
        return None
    return Category(code, name if name != code else "")


_REGION_HEADERS = frozenset(
    {
        "region",
        "kommun",
        "län",
        "kommunnamn",
        "namn",
        "kommunens namn",
        "municipality",
        "county",
        "name",
    }
)


def _is_text(cell: str) -> bool:
    """A cell of words (a name), not a number."""
    return (
        bool(cell)
        and not cell.replace(" ", "").replace(",", "").replace(".", "").lstrip("-").isdigit()
    )


def _region_column(
    grid: list[list[str]],
    header_at: int,
    heads: list[str],
    value_cols: Collection[int],
    skipped: set[int],
    code_col: int | None,
) -> int:
    """The column of the regions' names: the one headed Kommun, Region, ... (never one of
    figures), else the first before the figures that holds names rather than numbers (ranks
    are numbers), else the first column."""
    for c, head in enumerate(heads):
        if c not in value_cols and norm(head) in _REGION_HEADERS:
            return c
    first_value = min(value_cols)
    rows = grid[header_at + 1 : header_at + 201]
    for c in range(first_value):
        if c in skipped or c == code_col:
            continue
        cells = [row[c] for row in rows if row[c]]
        if cells and sum(_is_text(cell) for cell in cells) * 2 > len(cells):
            return c
    return code_col if code_col is not None else 0
