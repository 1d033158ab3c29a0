"""The arguments and options several commands share, defined once."""

# No `from __future__ import annotations` here or in a command module: typer reads each
# command's signature at every run, and string annotations would be evaluated each time.
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

if TYPE_CHECKING:  # click's ParamType is generic to the type checker (click ≥ 8.2)
    _ParamType = click.ParamType[int, Any]
    _DateParamType = click.ParamType[dt.date, Any]
else:
    _ParamType = _DateParamType = click.ParamType

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="The main journal file (default: $LEDGER_FILE, else ledger/main.journal here "
        "or in a folder above). May also come before the command, as in hledger.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
OreOption = Annotated[bool, typer.Option("--ore", help="Show exact öre instead of whole kronor.")]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Exit with status 1 if the report gives any warning (accounts in no fund or "
        "of no class, provisional opening balances, costs on the project line without a "
        "project tag, a balance sheet that does not balance): for scripts.",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the workbook if it already exists.")
]
DetailOption = Annotated[
    bool,
    typer.Option(
        "--detail",
        help="Under every line, the postings that make it (date, description, account, "
        "amount in the line's sign); with --json, each line's \"postings\".",
    ),
]

CompareOption = Annotated[
    bool | None,
    typer.Option(
        "--compare/--no-compare",
        help="Show the year before beside the year (jämförelsetal): on by default when the "
        'books hold it; with --json, each row\'s "previous".',
        show_default=False,
    ),
]


class Year(_ParamType):
    """A year of the books: four digits, 1900–2999."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        else:
            text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4 and "1900" <= text <= "2999"):
            self.fail(f"{value!r} is not a year; write it with four digits, e.g. 2020", param, ctx)
        return int(text)


def year_argument(help: str) -> Any:
    """A command's YEAR: `help` says which year it is."""
    return typer.Argument(help=help, metavar="YEAR", click_type=Year(), show_default=False)


YearArgument = Annotated[int, year_argument("The year of the report, e.g. 2020.")]


class Date(_DateParamType):
    """A day: YYYY-MM-DD."""

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            # Only YYYY-MM-DD: fromisoformat also reads weeks (2020-W27-1) and 20200701.
            if not (len(text) == 10 and text[4] == text[7] == "-" and text.isascii()):
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it YYYY-MM-DD, e.g. 2020-07-01", param, ctx)
