"""`ledger result YEAR`: the operating fund (Södertörnssamarbetet drift) line by line;
with --budget, against the year's budget."""

import datetime as dt
from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import compares, load_year
from sodertorn_ledger.commands.options import (
    CompareOption,
    Date,
    DetailOption,
    FileOption,
    JsonOption,
    OreOption,
    StrictOption,
    YearArgument,
)
from sodertorn_ledger.commands.output import Warnings, fail, print_table


def result(
    year: YearArgument,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    strict: StrictOption = False,
    detail: DetailOption = False,
    budget: Annotated[
        bool,
        typer.Option(
            "--budget",
            help="Against the year's budget ([budget.YEAR] in sodertorn.toml): Budget, "
            "Utfall, Avvikelse (positive = better than budget) and Utfall i % of each line, "
            "the sums and Årets resultat; in the current year the budget's share to today.",
        ),
    ] = False,
    through: Annotated[
        dt.date | None,
        typer.Option(
            "--to",
            help="With --budget: the outcome up to and including this day (YYYY-MM-DD, in "
            "YEAR) against the budget's share of the year's days up to it.",
            click_type=Date(),
            show_default=False,
        ),
    ] = None,
    compare: CompareOption = None,
) -> None:
    """The operating fund of YEAR: income, each cost line as published, the sums and
    Årets överskott (or underskott), beside them those of YEAR−1 when the books hold it
    (--no-compare: not). Lines and accounts: [result] in sodertorn.toml.
    With --budget, each line against [budget.YEAR] (see docs/budget.md).

    Example: ledger result 2020
    """
    from sodertorn_ledger.reports.result import compare_result, compute_result

    if budget or through is not None:
        if compare:
            fail("--compare and --budget: one at a time", code=2)
        _budget(year, file, through, budget, as_json=as_json, ore=ore, strict=strict, detail=detail)
        return
    journal, settings = load_year(file, year)
    report = compute_result(journal, settings, year, detail=detail)
    if report is None:
        fail("the settings name no operating fund (a [[funds]] entry with result_account)")
    warnings = Warnings()
    warnings.result(report)
    if compares(file, journal, year, compare):
        previous = compute_result(journal, settings, year - 1)
        assert previous is not None  # the same settings name the operating fund
        report = compare_result(report, previous)
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, result_json

        print_json(result_json(report, detail=detail))
    else:
        from sodertorn_ledger.render.terminal import render_result

        print_table(render_result(report, ore=ore))
    warnings.finish(strict=strict)


def _budget(
    year: int,
    file: FileOption,
    through: dt.date | None,
    budget: bool,
    *,
    as_json: bool,
    ore: bool,
    strict: bool,
    detail: bool,
) -> None:
    """`ledger result YEAR --budget [--to DATE]`."""
    from sodertorn_ledger.reports.budget import budget_period, follow_up

    if through is not None and not budget:
        fail("--to goes with --budget (ledger result YEAR --budget --to DATE)", code=2)
    if detail:
        fail("--detail and --budget: one at a time", code=2)
    if through is not None and through.year != year:
        fail(f"--to {through.isoformat()} is not in {year}", code=2)
    journal, settings = load_year(file, year)
    if settings.operating_fund is None:
        fail("the settings name no operating fund (a [[funds]] entry with result_account)")
    report = follow_up(journal, settings, budget_period(year, through, dt.date.today()))
    if report is None:
        fail(
            f"no budget for {year} in {settings.path}: add a [budget.{year}] table of the "
            "lines' budgets (see docs/budget.md)"
        )
    warnings = Warnings()
    warnings.budget(report)
    if as_json:
        from sodertorn_ledger.render.json_report import budget_json, print_json

        print_json(budget_json(report))
    else:
        from sodertorn_ledger.render.terminal import render_budget

        print_table(render_budget(report, ore=ore))
    warnings.finish(strict=strict)
