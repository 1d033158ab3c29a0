"""`ledger summary YEAR`: the Sammanställning, per fund IB, Intäkter, Kostnader and UB."""

from __future__ import annotations

from sodertorn_ledger.commands.common import FileOption, JsonOption, OreOption
from sodertorn_ledger.commands.reporting import (
    YearArgument,
    load_year,
    print_json,
    print_table,
    warn,
)


def summary(
    year: YearArgument,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
) -> None:
    """The Sammanställning of YEAR: every fund's opening balance, income, costs and
    closing balance, in whole kronor (each cell rounded on its own) or exact with --ore.

    Example: ledger summary 2020 --json
    """
    from sodertorn_ledger.render.json_report import summary_json
    from sodertorn_ledger.render.terminal import render_summary
    from sodertorn_ledger.reports.funds import compute_summary

    journal, settings = load_year(file, year)
    report = compute_summary(journal, settings, year)
    if report.unassigned:
        warn(
            "accounts in no fund, left out of the Sammanställning (add them to a "
            f"[[funds]] entry in sodertorn.toml): {', '.join(report.unassigned)}"
        )
    if as_json:
        print_json(summary_json(report))
    else:
        print_table(render_summary(report, ore=ore))
