"""`ledger balance YEAR`: the balance sheet (balansräkning) at 31 December YEAR."""

import typer

from sodertorn_ledger.commands.loading import compares, load_year
from sodertorn_ledger.commands.options import (
    CompareOption,
    FileOption,
    JsonOption,
    OreOption,
    StrictOption,
    YearArgument,
)
from sodertorn_ledger.commands.output import Warnings, print_table


def balance(
    year: YearArgument,
    file: FileOption = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
    strict: StrictOption = False,
    compare: CompareOption = None,
) -> None:
    """The balance sheet at 31 December YEAR: assets, liabilities and the funds (each
    equal to its UB in the Sammanställning), with the check assets = liabilities +
    funds, and beside them the balances at 31 December YEAR−1 when the books hold that
    year (--no-compare: not). Exits 1 when the check fails, naming every account that
    makes the difference.

    Example: ledger balance 2020 --ore
    """
    from sodertorn_ledger.reports.balance import compare_balance, compute_balance

    journal, settings = load_year(file, year)
    sheet = compute_balance(journal, settings, year)
    warnings = Warnings()
    warnings.balance(sheet)
    if compares(file, journal, year, compare):
        sheet = compare_balance(sheet, compute_balance(journal, settings, year - 1))
    if as_json:
        from sodertorn_ledger.render.json_report import balance_json, print_json

        print_json(balance_json(sheet))
    else:
        from sodertorn_ledger.render.terminal import render_balance

        print_table(render_balance(sheet, ore=ore))
    if not sheet.balanced:
        raise typer.Exit(1)
    warnings.finish(strict=strict)
