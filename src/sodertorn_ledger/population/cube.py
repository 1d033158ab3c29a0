"""From a file's cells to figures: the reading rules every SCB format shares.

- Only the Folkmängd contents count (a file may also carry Folkökning).
- A population split by sex, age or civil status: take SCB's total category where the file
  has one, otherwise sum the parts; never both, and the parts are never checked against
  the total (from 2025 SCB perturbs small cells, the Cell Key Method, so they need not add
  up to it).
- Regions by kommunkod, or by a member's name when the file has no codes.
- A missing part (``..``) makes the sum unknown: no figure rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sodertorn_ledger.population.model import (
    Category,
    Cell,
    Code,
    Figure,
    FileResult,
    fold_names,
    is_folkmangd,
    parse_time,
    resolve_region,
    sex_of,
)
from sodertorn_ledger.problems import Problem


def figures_from_cells(cells: Iterable[Cell], *, file: str, names: dict[str, Code]) -> FileResult:
    """Apply the reading rules to one file's cells; problems name the file."""
    result = FileResult()
    all_cells = list(cells)
    contents = {c.content for c in all_cells}
    folkmangd = {content for content in contents if is_folkmangd(content)}
    wanted = [c for c in all_cells if c.content in folkmangd]
    if not wanted:
        found = sorted(content for content in contents if content)
        what = f" (it has: {', '.join(found)})" if found else ""
        result.problems.append(
            Problem(
                file,
                0,
                f"no Folkmängd figures in this file{what}",
                hint="expected SCB's table of folkmängd per region (TAB638, formerly BE0101N1) "
                "with tabellinnehåll Folkmängd (Population)",
            )
        )
        return result

    chosen, problems = _choose_categories(wanted, file)
    result.problems.extend(problems)
    if problems:
        return result

    # (code, date) -> cells to add up; duplicates of one coordinate are checked on the way.
    groups: dict[tuple[Code, dt.date], list[Cell]] = {}
    names_of: dict[tuple[Code, dt.date], str] = {}
    seen: dict[tuple[object, ...], Cell] = {}
    regions: dict[Category, tuple[Code, str] | None] = {}
    folded = fold_names(names)
    times: dict[str, dt.date | None] = {}
    split_keys: dict[tuple[tuple[str, Category], ...], tuple[tuple[str, str], ...]] = {}
    for cell in wanted:
        if not all(chosen[dim](cat) for dim, cat in cell.splits):
            continue
        if cell.region not in regions:
            regions[cell.region] = resolve_region(cell.region, folded)
        region = regions[cell.region]
        if region is None:
            continue
        code, name = region
        if cell.time not in times:
            times[cell.time] = parse_time(cell.time)
        date = times[cell.time]
        if date is None:
            result.add(
                _problem(file, cell, f"cannot read the time {cell.time!r} as a year or date")
            )
            continue
        split_key = split_keys.get(cell.splits)
        if split_key is None:
            split_key = split_keys[cell.splits] = tuple(
                (d, c.code or c.label) for d, c in cell.splits
            )
        coordinate = (code, date, split_key)
        earlier = seen.get(coordinate)
        if earlier is not None:
            if earlier.value != cell.value:
                at = earlier.place or f"line {earlier.line}"
                result.add(
                    _problem(
                        file,
                        cell,
                        f"folkmängd for {code} {date} is given twice in this file: "
                        f"{earlier.value} ({at}) and {cell.value}",
                    )
                )
            continue
        if cell.value is not None and cell.value < 0:
            result.add(
                _problem(
                    file,
                    cell,
                    f"negative folkmängd {cell.value} for {code} {date}: a population has no sign",
                )
            )
            continue
        seen[coordinate] = cell
        groups.setdefault((code, date), []).append(cell)
        if name:
            names_of.setdefault((code, date), name)

    for (code, date), parts in groups.items():
        values = [p.value for p in parts]
        if any(v is None for v in values):
            continue  # SCB has no figure (".."); a member needing it is reported by the fee rule
        result.figures.append(
            Figure(
                code=code,
                name=names_of.get((code, date), ""),
                date=date,
                population=sum(v for v in values if v is not None),
                file=file,
                line=min(p.line for p in parts),
                place=_place(parts),
            )
        )
    return result


def _place(parts: list[Cell]) -> str:
    """Where a figure's cells are, in a file without lines: ``Totalt!D12``, the two sexes'
    ``Kvinnor!D12 + Män!D12``, or the first of many (``value[12] and 201 more``)."""
    places = [p.place for p in parts if p.place]
    if len(places) <= 2:
        return " + ".join(places)
    return f"{places[0]} and {len(places) - 1} more"


def _problem(file: str, cell: Cell, message: str) -> Problem:
    """A problem at a cell: its line, or (xlsx, JSON) its sheet and cell or key path."""
    if cell.place:
        return Problem(file, 0, f"{cell.place}: {message}")
    return Problem(file, cell.line, message)


class _Keep:
    """Which categories of one split variable count: the total alone, or every part."""

    def __init__(self, total: Category | None) -> None:
        self.total = total

    def __call__(self, category: Category) -> bool:
        return self.total is None or category == self.total


def _choose_categories(cells: list[Cell], file: str) -> tuple[dict[str, _Keep], list[Problem]]:
    # dict keys keep the order categories first appear in (a set would not)
    categories: dict[str, dict[Category, None]] = {}
    for cell in cells:
        for dim, cat in cell.splits:
            categories.setdefault(dim, {})[cat] = None
    chosen: dict[str, _Keep] = {}
    problems: list[Problem] = []
    for dim, found in categories.items():
        cats = list(found)
        totals = [c for c in cats if c.is_total()]
        if totals:
            chosen[dim] = _Keep(totals[0])
            continue
        sexes = {sex_of(c.label) for c in cats} - {None}
        if len(sexes) == 1:
            labels = ", ".join(sorted(c.label for c in cats))
            problems.append(
                Problem(
                    file,
                    0,
                    f"{dim!r} has only {labels}: the total cannot be summed",
                    hint="download the table with both män and kvinnor (or the total)",
                )
            )
        chosen[dim] = _Keep(None)
    return chosen, problems
