"""How commands talk to the user: one-line messages, problems, and printed tables.

Exit status: 0 done, 1 bad books or refused (`fail`), 2 bad usage (typer's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import RenderableType

    from sodertorn_ledger.problems import Problem


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error on stderr and exit with `code` (1: bad books or refusal)."""
    say(f"ledger: {message}")
    raise typer.Exit(code)


def warn(message: str) -> None:
    say(f"ledger: warning: {message}")


def say(message: str) -> None:
    """A line about what was done, on stderr (stdout stays the report's); what it quotes
    from the user's files is shown escaped where it is not printable."""
    from sodertorn_ledger.problems import printable

    typer.echo(printable(message), err=True)


def report_problems(problems: Iterable[Problem]) -> None:
    from sodertorn_ledger.problems import format_problem

    for problem in problems:
        typer.echo(format_problem(problem), err=True)


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def print_table(renderable: RenderableType) -> None:
    """A report on stdout: as rich draws it in a terminal; piped, without the blanks rich
    pads each line with."""
    from sodertorn_ledger.render.terminal import make_console

    console = make_console()
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()).rstrip("\n"))


def warn_unassigned(accounts: Iterable[str], where: str = "") -> None:
    """Accounts with money that belong to no fund; `where`: the report that leaves them out."""
    listed = ", ".join(accounts)
    if listed:
        left_out = f", left out of the {where}" if where else ""
        warn(
            f"accounts in no fund{left_out} (add them to a [[funds]] entry in "
            f"sodertorn.toml): {listed}"
        )
