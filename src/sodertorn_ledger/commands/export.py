"""`ledger export YEAR [PATH]`: the year's Excel workbook (Sammanställning, Drift, Projekt,
Avgifter, Balansräkning, Underlag). `ledger summary YEAR --xlsx PATH` writes the same
workbook."""

from pathlib import Path
from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import books_path, compares, load_year
from sodertorn_ledger.commands.options import (
    CompareOption,
    FileOption,
    ForceOption,
    StrictOption,
    YearArgument,
)
from sodertorn_ledger.commands.output import Warnings
from sodertorn_ledger.commands.workbook import check_target, default_path, save_workbook


def export(
    year: YearArgument,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The workbook to write (default: sammanstallning-YEAR.xlsx here).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    file: FileOption = None,
    strict: StrictOption = False,
    compare: CompareOption = None,
) -> None:
    """Write the year's workbook for the annual report: the Sammanställning (with a chart
    of each fund's closing balance), Drift, Projekt, Avgifter and Balansräkning, and
    Underlag: every posting of the year with the fund, line and project it counts in, to
    trace a figure with a filter. Amounts are exact; sums and closing balances are
    formulas. The Sammanställning, Drift, Projekt and Balansräkning have YEAR−1 beside
    YEAR when the books hold it (--no-compare: not). An existing file is kept unless
    --force. Every sheet's warnings are given; with --strict they make exit status 1
    (the workbook is written all the same).

    Example: ledger export 2020 bokslut/sammanstallning-2020.xlsx
    """
    from sodertorn_ledger.reports.funds import compute_summary

    target = path or default_path(year)
    check_target(target, force=force)
    journal, settings = load_year(file, year)
    report = compute_summary(journal, settings, year)
    warnings = Warnings()
    warnings.summary(report)
    names = save_workbook(
        journal,
        settings,
        report,
        books_path(file),
        target,
        force=force,
        warnings=warnings,
        compare=compares(file, journal, year, compare),
    )
    typer.echo(f"Wrote {target} ({', '.join(names)})")
    warnings.finish(strict=strict)
