"""`ledger accounts`: the trial balance, every account with its balance."""

from typing import Annotated

import typer

from sodertorn_ledger.commands.loading import load_books
from sodertorn_ledger.commands.options import FileOption, JsonOption, OreOption
from sodertorn_ledger.commands.output import print_table


def accounts(
    file: FileOption = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only the movement within this year.")
    ] = None,
    as_json: JsonOption = False,
    ore: OreOption = False,
) -> None:
    """Every account with its balance (the trial balance), whole books or one year.

    Signs as in hledger: assets and costs positive, funds, liabilities and income negative.

    Example: ledger accounts --year 2020 --json
    """
    from sodertorn_ledger.reports.trial_balance import trial_balance

    balances = trial_balance(load_books(file), year)
    if as_json:
        from sodertorn_ledger.render.json_report import accounts_json, print_json

        print_json(accounts_json(balances))
    else:
        from sodertorn_ledger.render.terminal import render_accounts

        print_table(render_accounts(balances, ore=ore))
