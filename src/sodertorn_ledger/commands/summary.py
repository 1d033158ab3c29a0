"""`ledger summary YEAR`: the Sammanställning, per fund IB, Intäkter, Kostnader and UB."""

from pathlib import Path
from typing import Annotated

import typer

from sodertorn_ledger.commands.common import FileOption, JsonOption, OreOption, books_path
from sodertorn_ledger.commands.export import ForceOption, check_target, save_workbook
from sodertorn_ledger.commands.reporting import (
    YearArgument,
    compute_summary_or_warn,
    load_year,
    print_json,
    print_table,
)


def summary(
    year: YearArgument,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Also write the year's workbook (as `ledger export`) to this .xlsx file.",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """The Sammanställning of YEAR: every fund's opening balance, income, costs and
    closing balance, in whole kronor (each cell rounded on its own) or exact with --ore.

    Example: ledger summary 2020 --json
    """
    if xlsx is not None:
        check_target(xlsx, force=force)
    journal, settings = load_year(file, year)
    report = compute_summary_or_warn(journal, settings, year)
    if xlsx is not None:
        names = save_workbook(
            journal, settings, year, books_path(file), xlsx, force=force, summary=report
        )
        typer.echo(f"Wrote {xlsx} ({', '.join(names)})", err=True)
    if as_json:
        from sodertorn_ledger.render.json_report import summary_json

        print_json(summary_json(report))
    else:
        from sodertorn_ledger.render.terminal import render_summary

        print_table(render_summary(report, ore=ore))
