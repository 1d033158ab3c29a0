"""`ledger accounts`: the trial balance, every account with its balance."""

from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import load_books
from sodertorn_ledger.commands.options import FileOption, JsonOption, OreOption, Year, year_argument
from sodertorn_ledger.commands.output import fail, print_table


def accounts(
    year: Annotated[
        int | None, year_argument("Only the movement within this year (default: the whole books).")
    ] = None,
    file: FileOption = None,
    year_option: Annotated[
        int | None,
        typer.Option("--year", help="The same as YEAR.", click_type=Year(), show_default=False),
    ] = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
) -> None:
    """Every account with its balance (the trial balance), whole books or one year.

    Signs as in hledger: assets and costs positive, funds, liabilities and income negative.

    Example: ledger accounts 2020 --json
    """
    from sodertorn_ledger.reports.trial_balance import trial_balance

    if year is not None and year_option is not None and year != year_option:
        fail(f"two years given, {year} and --year {year_option}", code=2)
    year = year if year is not None else year_option

    balances = trial_balance(load_books(file), year)
    if as_json:
        from sodertorn_ledger.render.json_report import accounts_json, print_json

        print_json(accounts_json(balances))
    else:
        from sodertorn_ledger.render.terminal import render_accounts

        print_table(render_accounts(balances, ore=ore))
