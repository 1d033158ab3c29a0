"""`ledger summary YEAR`: the Sammanställning, per fund IB, Intäkter, Kostnader, Överföringar
and UB."""

from pathlib import Path
from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import books_path, compares, load_year
from sodertorn_ledger.commands.options import (
    CompareOption,
    DetailOption,
    FileOption,
    ForceOption,
    JsonOption,
    OreOption,
    StrictOption,
    YearArgument,
)
from sodertorn_ledger.commands.output import Warnings, print_table, say


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
    strict: StrictOption = False,
    detail: DetailOption = False,
    compare: CompareOption = None,
) -> None:
    """The Sammanställning of YEAR: every fund's opening balance (its closing balance of
    the year before), income, costs, transfers between funds (in a year that has any) and
    closing balance, in whole kronor (each cell rounded on its own) or exact with --ore;
    beside them the same figures of YEAR−1 when the books hold it (--no-compare: not).

    Example: ledger summary 2020 --json
    """
    from sodertorn_ledger.reports.funds import compare_summary, compute_summary

    if xlsx is not None:
        from sodertorn_ledger.commands.workbook import check_target

        check_target(xlsx, force=force)
    journal, settings = load_year(file, year)
    report = compute_summary(journal, settings, year, detail=detail)
    warnings = Warnings()
    warnings.summary(report)
    compared = compares(file, journal, year, compare)
    if xlsx is not None:
        from sodertorn_ledger.commands.workbook import save_workbook

        names = save_workbook(
            journal,
            settings,
            report,
            books_path(file),
            xlsx,
            force=force,
            warnings=warnings,
            compare=compared,
        )
        say(f"Wrote {xlsx} ({', '.join(names)})")
    if compared:
        report = compare_summary(report, compute_summary(journal, settings, year - 1))
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, summary_json

        print_json(summary_json(report, detail=detail))
    else:
        from sodertorn_ledger.render.terminal import render_summary, render_summary_stacked

        print_table(
            render_summary(report, ore=ore),
            narrow=render_summary_stacked(report, ore=ore) if compared else None,
        )
    warnings.finish(strict=strict)
