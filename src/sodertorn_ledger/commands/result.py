"""`ledger result YEAR`: the operating fund (Södertörnssamarbetet drift) line by line."""

from sodertorn_ledger.commands.loading import compares, load_year
from sodertorn_ledger.commands.options import (
    CompareOption,
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
    compare: CompareOption = None,
) -> None:
    """The operating fund of YEAR: income, each cost line as published, the sums and
    Årets överskott (or underskott), beside them those of YEAR−1 when the books hold it
    (--no-compare: not). Lines and accounts: [result] in sodertorn.toml.

    Example: ledger result 2020
    """
    from sodertorn_ledger.reports.result import compare_result, compute_result

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
