"""The `ledger` command line: one Typer app, one module per command under `commands/`.

This module only wires commands together. Each command module parses its arguments,
calls the library and renders; heavy imports (openpyxl, pydantic, rich) happen inside
the command that needs them, so `ledger --help` stays fast.
"""

from __future__ import annotations

import typer

from sodertorn_ledger import __version__
from sodertorn_ledger.commands import (
    accounts,
    balance,
    check,
    close,
    export,
    fees,
    population,
    projects,
    result,
    summary,
)

app = typer.Typer(
    name="ledger",
    help="Södertörnssamarbetets bokföring: avgifter, Sammanställning, balansräkning "
    "och bokslut.\n\nReads the books (hledger journal format, ledger/main.journal by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

app.command("check")(check.check)
app.command("accounts")(accounts.accounts)
app.command("summary")(summary.summary)
app.command("result")(result.result)
app.command("projects")(projects.projects)
app.command("balance")(balance.balance)
app.command("population")(population.population)
app.command("fees")(fees.fees)
app.command("close")(close.close)
app.command("export")(export.export)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sodertorn-ledger {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Södertörnssamarbetets bokföring."""


def main() -> None:
    app(prog_name="ledger")
