"""SCB's Excel tables of folkmängd per kommun, read with openpyxl.

Such a table ("Folkmängd per kommun 31 december 2020 jämfört med 2019") has title rows,
a header of one or two rows naming the years (``2020``, ``31 dec 2020``; a group label such
as ``Folkmängd`` or ``Förändring`` above them, often a merged cell), then one row per
region, usually with the name only. PxWeb's own xlsx export has the same shape with one
or more stub columns (region, kön, ...) whose repeated labels are left blank.

The reader finds the header row with the years, takes the columns whose header (with the
group label above it) is folkmängd rather than a change, and reads the regions from the
stub columns to their left.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    MAX_CELLS,
    BadValue,
    Category,
    Cell,
    Code,
    FileResult,
    count_text,
    norm,
    parse_count,
    shorten,
    size_text,
    split_time,
)
from sodertorn_ledger.problems import Problem

_HINT = (
    "expected SCB's Excel table of folkmängd per kommun (a header row with the years, "
    "one row per kommun) or PxWeb's xlsx export of table BE0101N1"
)
_CHANGE_WORDS = ("förändring", "folkökning", "ökning", "minskning", "procent", "%", "rang", "diff")


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
        raise _Unreadable(f"a zip of more than {count_text(MAX_PARTS)} parts")
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
    results: list[FileResult] = []
    for title, grid in grids:
        sheet_result = _read_sheet(file, grid, names, title)
        if sheet_result is not None:
            results.append(sheet_result)
    if not results:
        return FileResult(
            problems=[Problem(file, 0, "no sheet has a header row with years", hint=_HINT)]
        )
    merged = FileResult()
    for r in results:
        merged.figures.extend(r.figures)
        merged.problems.extend(r.problems)
        merged.omitted += r.omitted
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
    # Merged header cells keep their text in the first cell only; `_fill_right` spreads a
    # group label over the year columns it heads. A sheet may claim (or hold) a million
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
                f"{where} more than {count_text(MAX_GRID_CELLS)} cells (rows × columns): too "
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
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{_sheet_ref(sheet)}!{letters}{row + 1}"


def _read_sheet(
    file: str, grid: list[list[str]], names: dict[str, Code], sheet: str
) -> FileResult | None:
    header_at = -1
    for r, row in enumerate(grid):
        found = [c for c, cell in enumerate(row) if c > 0 and split_time(cell)]
        # A header row names at least one time and has nothing numeric-only beside the years.
        if found and all(
            split_time(cell) is not None or not cell.replace(" ", "").isdigit() for cell in row
        ):
            header_at = r
            break
    if header_at < 0:
        return None
    year_row = grid[header_at]
    first_value_col = min(c for c, cell in enumerate(year_row) if c > 0 and split_time(cell))
    title = " ".join(" ".join(c for c in row if c) for row in grid[:header_at])
    width = len(year_row)
    group_row = grid[header_at - 1] if header_at > 0 else [""] * width
    group = _fill_right(group_row, first_value_col)
    years = _fill_right(year_row, first_value_col)
    # A second header row under the years ("Män", "Kvinnor", "Totalt", "Antal", "Procent").
    sub_row = _sub_header(grid, header_at + 1, first_value_col)

    value_cols: dict[int, tuple[str, str, str]] = {}  # column -> (contents, time, sub label)
    for col in range(first_value_col, width):
        parts = split_time(years[col])
        sub = sub_row[col] if sub_row else ""
        if parts is None or not (year_row[col] or sub):
            continue
        own, time = parts
        label = norm(f"{group[col]} {own} {sub}")
        if any(word in label for word in _CHANGE_WORDS):
            continue
        if "folkmängd" in label or "folkmängd" in norm(title):
            value_cols[col] = ("Folkmängd", time, sub)
    if not value_cols:
        return FileResult(
            problems=[
                Problem(
                    file,
                    header_at + 1,
                    "the year columns are not folkmängd (no 'Folkmängd' in the title or header)",
                    hint=_HINT,
                )
            ]
        )
    stub = list(range(first_value_col))
    stub_names = [
        year_row[c] or (sub_row[c] if sub_row else "") or group_row[c] or f"kolumn {c + 1}"
        for c in stub
    ]
    code_index = next((i for i, n in enumerate(stub_names) if norm(n) in _CODE_HEADERS), None)
    region_index = _region_column(stub_names, code_index)
    cells: list[Cell] = []
    bad = FileResult()  # the problems, kept or counted
    carried = [""] * len(stub)
    first_data = header_at + (2 if sub_row else 1)
    for r in range(first_data, len(grid)):
        row = grid[r]
        if not any(row[c] for c in value_cols):
            continue  # blank row, footnote, source line
        for i, c in enumerate(stub):
            carried[i] = row[c] or carried[i]  # PxWeb leaves a repeated stub label blank
        region = _region(carried, region_index, code_index)
        if region is None:
            continue
        splits = tuple(
            (stub_names[i], Category("", carried[i]))
            for i in range(len(stub))
            if i not in (region_index, code_index)
        )
        for col, (content, time, sub) in value_cols.items():
            place = _cell_ref(sheet, r, col)
            try:
                value = parse_count(row[col])
            except BadValue as exc:
                bad.add(Problem(file, 0, f"{place}: {exc}"))
                continue
            column_split = (("kolumn", Category("", sub)),) if sub_row else ()
            cells.append(Cell(region, time, content, splits + column_split, value, r + 1, place))
    if bad.problems:
        return bad
    return figures_from_cells(cells, file=file, names=names)


_CODE_HEADERS = frozenset({"kommunkod", "kod", "regionkod", "länskod", "kommun-kod"})


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


def _region(labels: list[str], region_index: int, code_index: int | None) -> Category | None:
    name = labels[region_index] if region_index < len(labels) else ""
    code = labels[code_index] if code_index is not None else ""
    if code.isdigit() and len(code) in (1, 3):
        code = code.zfill(2 if len(code) == 1 else 4)  # Excel dropped the leading zero
    if not name and not code:
        return None
    return Category(code, name if name != code else "")


def _fill_right(row: list[str], start: int) -> list[str]:
    filled = list(row)
    for c in range(start + 1, len(filled)):
        if not filled[c]:
            filled[c] = filled[c - 1]
    return filled


def _region_column(stub_names: list[str], code_index: int | None) -> int:
    for i, name in enumerate(stub_names):
        if norm(name) in ("region", "kommun", "län", "kommunnamn", "namn", "kommunens namn"):
            return i
    return next((i for i in range(len(stub_names)) if i != code_index), 0)
