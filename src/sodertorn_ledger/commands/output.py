"""How commands talk to the user: one-line messages, problems, and printed tables.

Exit status: 0 done, 1 bad books or refused (`fail`), or a report's warnings with
--strict (`Warnings`), 2 bad usage (typer's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import RenderableType

    from sodertorn_ledger.close import OpenYear
    from sodertorn_ledger.problems import Problem
    from sodertorn_ledger.reports.balance import BalanceSheet
    from sodertorn_ledger.reports.budget import BudgetReport
    from sodertorn_ledger.reports.funds import Summary
    from sodertorn_ledger.reports.projects import ProjectsReport
    from sodertorn_ledger.reports.result import OperatingResult


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


def opened_words(opening: OpenYear, main: Path) -> str:
    """What opening a year did (or would do), in words; '' when it was open already."""
    if opening.create and opening.include:
        return f"created {opening.file} and included it from {main}"
    if opening.create:
        return f"created {opening.file} (an include in {main} takes it in)"
    if opening.include:
        return f"included {opening.file} from {main}"
    return ""


def print_table(renderable: RenderableType, *, narrow: RenderableType | None = None) -> None:
    """A report on stdout: as rich draws it in a terminal (`narrow` instead, when given and
    the report is wider than the terminal); piped, without the blanks rich pads each line
    with."""
    from sodertorn_ledger.render.terminal import make_console

    console = make_console()
    if console.is_terminal:
        if narrow is not None:
            from rich.measure import Measurement

            unbounded = console.options.update(max_width=1000)  # piped, make_console's width
            if Measurement.get(console, unbounded, renderable).maximum > console.width:
                renderable = narrow
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()).rstrip("\n"))


class Warnings:
    """The warnings of one report, each printed once on stderr as it is found; with
    --strict, `finish` turns any of them into exit status 1 once the report is out.

    Each report's warnings are worded here once, so `summary --xlsx` and `export` give the
    same ones as the report's own command."""

    __slots__ = ("_given",)

    def __init__(self) -> None:
        self._given: dict[str, None] = {}

    def warn(self, message: str) -> None:
        if message not in self._given:
            self._given[message] = None
            warn(message)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Warnings at a line of the books, in the problems' format."""
        from sodertorn_ledger.problems import format_problem

        for problem in problems:
            text = format_problem(problem)
            if text not in self._given:
                self._given[text] = None
                typer.echo(text, err=True)

    def finish(self, *, strict: bool) -> None:
        """With --strict, exit 1 when any warning was given."""
        if strict and self._given:
            fail(f"--strict: {plural(len(self._given), 'warning')} above; exit status 1")

    def provisional(self, year: int, provisional: bool) -> None:
        if provisional:
            self.warn(
                f"{year - 1} is not closed: the opening balances of {year} are provisional "
                f"(run ledger close {year - 1})"
            )

    def summary(self, report: Summary) -> None:
        if report.unassigned:
            self.warn(
                "accounts in no fund, left out of the Sammanställning (add them to a "
                f"[[funds]] entry in sodertorn.toml): {', '.join(report.unassigned)}"
            )
        if report.unclassified:
            self.warn(
                "accounts of no class: neither assets, liabilities, funds, income nor costs "
                f"(declare them with a type: tag, or correct the name): "
                f"{', '.join(report.unclassified)}"
            )
        self.provisional(report.year, report.provisional)

    def result(self, report: OperatingResult) -> None:
        self._unconfigured(report.unconfigured)
        self.provisional(report.year, report.provisional)

    def _unconfigured(self, accounts: list[str]) -> None:
        if accounts:
            self.warn(
                "accounts of the operating fund with no line in [result] of sodertorn.toml, "
                f"shown on lines of their own: {', '.join(accounts)}"
            )

    def budget(self, report: BudgetReport) -> None:
        """The result's warnings (the follow-up is made of its lines), and each line with an
        outcome and no budget."""
        self._unconfigured(report.unconfigured)
        if report.flagged:
            names = ", ".join(report.flagged)
            self.warn(f"an outcome without a budget in [budget.{report.year}]: {names}")
        self.provisional(report.year, report.provisional)

    def projects(self, report: ProjectsReport) -> None:
        self.problems(report.problems)
        self.provisional(report.year, report.provisional)

    def balance(self, sheet: BalanceSheet) -> None:
        from sodertorn_ledger.money import format_sv

        if not sheet.balanced:
            message = (
                "the balance sheet does not balance: assets − liabilities − funds = "
                f"{format_sv(sheet.difference, ore=True)} kr"
            )
            if sheet.unbalanced_by:
                message += ", from accounts that are neither assets, liabilities nor in a fund: "
                message += ", ".join(
                    f"{x.name} {format_sv(x.amount, ore=True)} kr" for x in sheet.unbalanced_by
                )
            self.warn(message)
        self.provisional(sheet.year, sheet.provisional)
