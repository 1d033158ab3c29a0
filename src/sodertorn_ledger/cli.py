"""The `ledger` command line: one Typer app, one module per command under `commands/`.

This module only wires commands together. Each command module parses its arguments,
calls the library and renders; heavy imports (openpyxl, pydantic, rich) happen inside
the command that needs them, so `ledger --help` stays fast. The process around the app
(how it starts and ends) is in `launcher.py`.

Neither this module nor a command module has `from __future__ import annotations`: typer
reads the signature of the command on every run, and string annotations would be compiled
and evaluated each time. Names imported for the type checker only are written in quotes
where a signature uses them.
"""

import importlib
from collections.abc import Callable, Sequence
from functools import cache
from keyword import iskeyword
from typing import Any

import typer

from sodertorn_ledger import __version__
from sodertorn_ledger.commands.options import FileOption

COMMANDS = (
    "check",
    "accounts",
    "register",
    "summary",
    "result",
    "projects",
    "balance",
    "population",
    "fees",
    "close",
    "export",
    "sie",
    "import",
)
"""Every command, in the order `ledger --help` lists them: the function of that name in
the module of that name under `commands/` (a name Python keeps for itself, as `import`,
with an underscore after it: `import_` in `commands/import_.py`)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sodertorn-ledger {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    file: FileOption = None,
) -> None:
    """Södertörnssamarbetets bokföring."""
    # `ledger -f FILE COMMAND`, as in hledger: the command finds FILE in the root's
    # parameters when it is given no -f of its own (commands/loading.py).


def _new_app() -> typer.Typer:
    """The app with its options and no commands yet."""
    new = typer.Typer(
        name="ledger",
        help="Södertörnssamarbetets bokföring: avgifter, Sammanställning, balansräkning "
        "och bokslut.\n\nReads the books (hledger journal format, ledger/main.journal by "
        "default).",
        no_args_is_help=True,
        add_completion=False,
        suggest_commands=False,  # click says "Did you mean …?" itself
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    new.callback()(_root)
    return new


def _command(name: str) -> Callable[..., Any]:
    python = f"{name}_" if iskeyword(name) else name
    module = importlib.import_module(f"sodertorn_ledger.commands.{python}")
    function: Callable[..., Any] = getattr(module, python)
    return function


def _app_with(names: Sequence[str]) -> typer.Typer:
    new = _new_app()
    for name in names:
        new.command(name)(_command(name))
    return new


@cache
def _whole_app() -> typer.Typer:
    return _app_with(COMMANDS)


def __getattr__(name: str) -> typer.Typer:
    """`cli.app`, the app with every command, is made (and its modules imported) only when
    it is first asked for; a command alone does not need the others (see `app_for`)."""
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs `ledger ARGS`.

    Typer makes a click command of every registered command each time the app runs. So
    when the first argument names a command, an app with that command alone runs it (and
    only its module is imported): its help, options and messages are the same. Anything
    else (`--help`, `--version`, a mistyped command that needs the list of them) gets the
    whole app.
    """
    name = _command_name(args)
    if name is not None:
        return _app_with([name])
    return _whole_app()


def _command_name(args: Sequence[str]) -> str | None:
    """The command `args` name, past a leading `-f FILE` (or `--file FILE`, `--file=FILE`,
    `-fFILE`); None when they name none."""
    rest = list(args)
    while rest and rest[0] not in COMMANDS:
        first = rest.pop(0)
        if first in ("-f", "--file"):
            if not rest:
                return None
            rest.pop(0)
        elif not first.startswith(("--file=", "-f")) or first == "--":
            return None
    return rest[0] if rest else None
