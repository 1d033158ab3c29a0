"""The `ledger` command line: one Typer app, one module per command under `commands/`.

This module only wires commands together. Each command module parses its arguments,
calls the library and renders; heavy imports (openpyxl, pydantic, rich) happen inside
the command that needs them, so `ledger --help` stays fast. The process around the app
(how it starts and ends) is in `launcher.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sodertorn-ledger {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Södertörnssamarbetets bokföring."""


def _new_app() -> typer.Typer:
    """The app with its options and no commands yet."""
    new = typer.Typer(
        name="ledger",
        help="Södertörnssamarbetets bokföring: avgifter, Sammanställning, balansräkning "
        "och bokslut.\n\nReads the books (hledger journal format, ledger/main.journal by "
        "default).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    new.callback()(_root)
    return new


app = _new_app()
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


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs `ledger ARGS`.

    Typer makes a click command of every registered command each time the app runs, which
    takes 6 ms for the ten, a twentieth of a short command such as `ledger fees 2020`. So
    when the first argument names a command, an app with that command alone runs it: its
    help, options and messages are the same. Anything else (`--help`, `--version`, a
    mistyped command that needs the list of them) gets the whole app.
    """
    if args:
        for info in app.registered_commands:
            if info.name == args[0]:
                single = _new_app()
                single.registered_commands.append(info)
                return single
    return app
