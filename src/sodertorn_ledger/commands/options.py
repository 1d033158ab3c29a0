"""The arguments and options several commands share, defined once."""

# No `from __future__ import annotations` here or in a command module: typer reads each
# command's signature at every run, and string annotations would be evaluated each time.
from pathlib import Path
from typing import Annotated

import typer

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="The main journal file (default: $LEDGER_FILE, else ledger/main.journal).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
OreOption = Annotated[bool, typer.Option("--ore", help="Show exact öre instead of whole kronor.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the workbook if it already exists.")
]
YearArgument = Annotated[
    int,
    typer.Argument(
        help="The year of the report, e.g. 2020.",
        metavar="YEAR",
        min=1900,
        max=2999,
        show_default=False,
    ),
]
