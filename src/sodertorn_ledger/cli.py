"""The `ledger` command line: one Typer app, one module per command under `commands/`.

This module only wires commands together. Each command module parses its arguments,
calls the library and renders; heavy imports (openpyxl, pydantic, rich) happen inside
the command that needs them, so `ledger --help` stays fast.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

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
from sodertorn_ledger.commands.common import keep_books_until_exit

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
    """The `ledger` command: run the app, then end the process without tearing it down.

    Big books are a million small records; Python would free them one by one when the
    command returns (60 ms at 100 000 transactions, measured with bench/). The command is
    done by then, so the books are kept, the exit handlers run, the output is flushed and
    the process ends at once. Under a profiler or a coverage tool (`python -m cProfile -m
    sodertorn_ledger …`) the process ends the usual way, so they can write their data.
    """
    if sys.getprofile() is not None or sys.gettrace() is not None:
        app(prog_name="ledger")
        return
    keep_books_until_exit()
    try:
        app(prog_name="ledger")
    except SystemExit as done:
        status = _exit_status(done.code)
    else:
        status = 0
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # OSError: the reader went away (`ledger accounts | head`); nothing more to say.
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` would give: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
