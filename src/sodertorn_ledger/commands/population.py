"""`ledger population [YEAR]`: the folkmängd figures read from ledger/befolkning/."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from sodertorn_ledger.commands.common import (
    FileOption,
    JsonOption,
    books_path,
    fail,
    load_settings_beside,
)
from sodertorn_ledger.commands.reporting import print_json, print_table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.settings import Member


def population(
    year: Annotated[
        int | None,
        typer.Argument(
            help="Show folkmängd 31 December of this year (default: every year found).",
            min=1900,
            max=2999,
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """SCB's folkmängd per member on 31 December, as read from every file in
    ledger/befolkning/ (CSV, PX, JSON, JSON-stat, xlsx), with the file each figure came from.

    Example: ledger population 2019
    """
    from sodertorn_ledger.commands.fees import population_folder, read_population

    path = books_path(file)
    settings = load_settings_beside(path)
    table = read_population(path, settings)
    dates = [dt.date(year, 12, 31)] if year is not None else table.dates()
    if year is not None and not any(table.get(m.code, dates[0]) for m in settings.members):
        fail(
            f"no folkmängd for 31 December {year} in {population_folder(path)}; "
            f"found: {', '.join(d.isoformat() for d in table.dates()) or 'nothing'}"
        )
    if not dates:
        fail(f"no folkmängd figures in {population_folder(path)}")
    if as_json:
        print_json(_json(table, settings.members, dates))
        return
    print_table(_table(table, settings.members, dates))


def _json(
    table: "PopulationTable", members: "tuple[Member, ...]", dates: list[dt.date]
) -> dict[str, object]:
    out: list[dict[str, object]] = []
    for date in dates:
        rows: list[dict[str, object]] = []
        for m in members:
            f = table.get(m.code, date)
            rows.append(
                {
                    "code": m.code,
                    "name": m.name,
                    "population": f.population if f else None,
                    "file": f.file if f else None,
                    "line": (f.line or None) if f else None,
                }
            )
        figures = [table.get(m.code, date) for m in members]
        complete = all(f is not None for f in figures)
        out.append(
            {
                "date": date.isoformat(),
                "members": rows,
                "total": sum(f.population for f in figures if f) if complete else None,
            }
        )
    return {"dates": out}


def _table(
    table: "PopulationTable", members: "tuple[Member, ...]", dates: list[dt.date]
) -> "RenderableType":
    from rich.console import Group

    from sodertorn_ledger.commands.fees import count_sv
    from sodertorn_ledger.render.table import Table

    parts: list[RenderableType] = []
    for date in dates:
        figures = [table.get(m.code, date) for m in members]
        complete = all(f is not None for f in figures)
        total = count_sv(sum(f.population for f in figures if f)) if complete else "–"
        t = Table(
            f"Folkmängd {date.day} december {date.year}"
            if date.month == 12 and date.day == 31
            else f"Folkmängd {date.isoformat()}",
            show_footer=True,
        )
        t.add_column("Kod", footer="")
        t.add_column("Kommun", footer="Summa")
        t.add_column("Folkmängd", justify="right", footer=total)
        t.add_column("Källa", footer="")
        for m, f in zip(members, figures, strict=True):
            if f is None:
                t.add_row(m.code, m.name, "–", "saknas")
            else:
                t.add_row(m.code, m.name, count_sv(f.population), f.where)
        parts.append(t)
    return Group(*parts)
