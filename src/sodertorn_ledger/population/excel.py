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

from sodertorn_ledger.journal.model import Problem
from sodertorn_ledger.population.cube import figures_from_cells
from sodertorn_ledger.population.model import (
    BadValue,
    Category,
    Cell,
    Code,
    FileResult,
    is_folkmangd,
    norm,
    parse_count,
    split_time,
)

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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_excel(file: str, data: bytes, names: dict[str, Code]) -> FileResult:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return FileResult(
            problems=[Problem(file, 0, f"not an Excel (.xlsx) workbook: {exc}", hint=_HINT)]
        )
    results: list[FileResult] = []
    for sheet in workbook.worksheets:
        grid = _grid(sheet)
        sheet_result = _read_sheet(file, grid, names)
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
    return merged


def _grid(sheet: Any) -> list[list[str]]:
    # Merged header cells keep their text in the first cell only; `_fill_right` spreads a
    # group label over the year columns it heads.
    rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_sheet(file: str, grid: list[list[str]], names: dict[str, Code]) -> FileResult | None:
    header_at = -1
    times: dict[int, tuple[str, str]] = {}
    for r, row in enumerate(grid):
        found = {c: parts for c, cell in enumerate(row) if c > 0 and (parts := split_time(cell))}
        # A header row names at least one time and has nothing numeric-only beside the years.
        if found and all(
            split_time(cell) is not None or not cell.replace(" ", "").isdigit() for cell in row
        ):
            header_at, times = r, found
            break
    if header_at < 0:
        return None
    first_value_col = min(times)
    title = " ".join(" ".join(c for c in row if c) for row in grid[:header_at])
    group_row = grid[header_at - 1] if header_at > 0 else [""] * len(grid[header_at])
    group = _fill_right(group_row, first_value_col)

    value_cols: dict[int, tuple[str, str]] = {}
    for col, (own, time) in times.items():
        label = norm(f"{group[col]} {own}")
        if any(word in label for word in _CHANGE_WORDS):
            continue
        if is_folkmangd(own) or "folkmängd" in label or "folkmängd" in norm(title):
            value_cols[col] = ("Folkmängd", time)
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
    stub_names = [grid[header_at][c] or group_row[c] or f"kolumn {c + 1}" for c in stub]
    cells: list[Cell] = []
    problems: list[Problem] = []
    carried = [""] * len(stub)
    for r in range(header_at + 1, len(grid)):
        row = grid[r]
        if not any(row[c] for c in value_cols):
            continue  # blank row, footnote, source line
        labels = []
        for i, c in enumerate(stub):
            carried[i] = row[c] or carried[i]  # PxWeb leaves a repeated stub label blank
            labels.append(carried[i])
        region_index = _region_column(stub_names)
        if not labels or not labels[region_index]:
            continue
        splits = tuple(
            (stub_names[i], Category("", labels[i])) for i in range(len(stub)) if i != region_index
        )
        for col, (content, time) in value_cols.items():
            try:
                value = parse_count(row[col])
            except BadValue as exc:
                problems.append(
                    Problem(file, r + 1, f"column {col + 1}: {str(exc)!r} is not a whole number")
                )
                continue
            cells.append(
                Cell(Category("", labels[region_index]), time, content, splits, value, r + 1)
            )
    if problems:
        return FileResult(problems=problems)
    return figures_from_cells(cells, file=file, names=names)


def _fill_right(row: list[str], start: int) -> list[str]:
    filled = list(row)
    for c in range(start + 1, len(filled)):
        if not filled[c]:
            filled[c] = filled[c - 1]
    return filled


def _region_column(stub_names: list[str]) -> int:
    for i, name in enumerate(stub_names):
        if norm(name) in ("region", "kommun", "län", "kommunnamn", "namn"):
            return i
    return 0
