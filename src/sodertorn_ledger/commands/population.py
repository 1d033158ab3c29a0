"""`ledger population [YEAR]`: the folkmängd figures read from ledger/befolkning/."""

import datetime as dt
from typing import Annotated

from sodertorn_ledger.commands.loading import (
    books_path,
    load_population,
    load_settings,
    population_folder,
)
from sodertorn_ledger.commands.options import FileOption, JsonOption, year_argument
from sodertorn_ledger.commands.output import fail, print_table


def population(
    year: Annotated[
        int | None,
        year_argument("Show folkmängd 31 December of this year (default: every year found)."),
    ] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """SCB's folkmängd per member on 31 December, as read from every file in
    ledger/befolkning/ (CSV, PX, JSON, JSON-stat, xlsx), with the file each figure came from.

    Example: ledger population 2019
    """
    path = books_path(file)
    settings = load_settings(path)
    table = load_population(path, settings)
    dates = [dt.date(year, 12, 31)] if year is not None else table.dates()
    if year is not None and not any(table.get(m.code, dates[0]) for m in settings.members):
        fail(
            f"no folkmängd for 31 December {year} in {population_folder(path)}; "
            f"found: {', '.join(d.isoformat() for d in table.dates()) or 'nothing'}"
        )
    if not dates:
        fail(f"no folkmängd figures in {population_folder(path)}")
    if as_json:
        from sodertorn_ledger.render.json_report import population_json, print_json

        print_json(population_json(table, settings.members, dates))
    else:
        from sodertorn_ledger.render.terminal import render_population

        print_table(render_population(table, settings.members, dates))
