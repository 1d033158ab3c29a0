"""`ledger projects YEAR`: the year's project costs by `projekt:` tag, with suppliers."""

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
from sodertorn_ledger.commands.output import Warnings, print_table


def projects(
    year: YearArgument,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    strict: StrictOption = False,
    detail: DetailOption = False,
    compare: CompareOption = None,
) -> None:
    """The costs of each project in YEAR (transactions tagged projekt:NAME), each with
    its suppliers (the payees) and a Summa equal to the Projekt line of `ledger result`:
    a cost on that line without the tag is shown as "utan projekt", with a warning.
    Beside them the costs of YEAR−1 when the books hold it (--no-compare: not).

    Example: ledger projects 2020
    """
    from sodertorn_ledger.reports.projects import compare_projects, compute_projects

    journal, settings = load_year(file, year)
    report = compute_projects(journal, settings, year, detail=detail)
    warnings = Warnings()
    warnings.projects(report)
    if compares(file, journal, year, compare):
        report = compare_projects(report, compute_projects(journal, settings, year - 1))
    if as_json:
        from sodertorn_ledger.render.json_report import print_json, projects_json

        print_json(projects_json(report, detail=detail))
    else:
        from sodertorn_ledger.render.terminal import render_projects

        print_table(render_projects(report, ore=ore))
    warnings.finish(strict=strict)
