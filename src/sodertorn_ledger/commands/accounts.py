"""`ledger accounts`: the trial balance, every account with its balance."""

from typing import Annotated

import typer

from sodertorn_ledger.commands.common import FileOption, JsonOption, OreOption, load_books
from sodertorn_ledger.commands.reporting import print_json
from sodertorn_ledger.money import ZERO, format_sv, to_json
from sodertorn_ledger.reports.trial_balance import trial_balance


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
    journal = load_books(file)
    rows = trial_balance(journal, year)
    if as_json:
        data = {"accounts": [{"account": a, "balance": to_json(b)} for a, b in rows]}
        print_json(data)
        return
    heading = "Saldo" if year is None else f"Rörelse {year}"
    width = max([len(a) for a, _ in rows] + [len("Konto")])
    typer.echo(f"{'Konto':<{width}}  {heading:>16}")
    for account, balance in rows:
        typer.echo(f"{account:<{width}}  {format_sv(balance, ore=ore):>16}")
    total = sum((b for _, b in rows), start=ZERO)
    typer.echo(f"{'Summa':<{width}}  {format_sv(total, ore=ore):>16}")
