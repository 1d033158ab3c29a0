"""Finding and loading what a command works on: the books, their settings and SCB's
population files. Every command gets its files from here; on a problem it prints every
problem found and exits 1.

Where: `-f/--file`, else `$LEDGER_FILE`, else `ledger/main.journal` (as hledger decides);
the settings (`sodertorn.toml`) and the population folder (`befolkning/`) are beside the
main journal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sodertorn_ledger.commands.output import fail, plural, report_problems

if TYPE_CHECKING:
    from sodertorn_ledger.config import Settings
    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.problems import Problem

DEFAULT_BOOKS = Path("ledger") / "main.journal"
POPULATION_FOLDER = "befolkning"


def books_path(file: Path | None) -> Path:
    """-f/--file, else $LEDGER_FILE, else ledger/main.journal."""
    if file is not None:
        return file
    env = os.environ.get("LEDGER_FILE")
    if env:
        return Path(env)
    return DEFAULT_BOOKS


def population_folder(journal_path: Path) -> Path:
    """ledger/befolkning/ beside the main journal."""
    return journal_path.parent / POPULATION_FOLDER


_kept_until_exit: list[Journal] | None = None


def keep_books_until_exit() -> None:
    """For `launcher.main`, whose process ends right after the command without tearing
    down: books loaded from now on stay referenced, so they are not freed record by record
    when the command returns."""
    global _kept_until_exit
    _kept_until_exit = []


def load_books(file: Path | None, *, strict: bool = False) -> Journal:
    """Read and check the books; on any error print every problem and exit 1 (warnings
    are printed and the command goes on)."""
    from sodertorn_ledger.journal.loader import load_journal

    path = books_path(file)
    try:
        found = path.is_file()
    except OSError as exc:  # pathlib lets some through: a name too long (ENAMETOOLONG), ...
        fail(f"cannot read the journal {path}: {exc.strerror or exc}")
    if not found:
        fail(f"no journal file at {path} (use -f PATH or set LEDGER_FILE)")
    journal = load_journal(path, strict=strict, for_good=True)
    if _kept_until_exit is not None:
        _kept_until_exit.append(journal)
    report_problems(journal.problems)
    if journal.errors:
        fail(f"{plural(len(journal.errors), 'error')} in the books; nothing was done")
    return journal


def load_settings(journal_path: Path) -> Settings:
    """The settings beside the main journal; on a bad or missing file print its problems
    and exit 1."""
    from sodertorn_ledger.config import SettingsError, settings_path
    from sodertorn_ledger.config import load_settings as read_settings

    path = settings_path(journal_path)
    try:
        return read_settings(path)
    except SettingsError as err:
        report_problems(err.problems)
        fail(f"cannot read the settings {path}; nothing was done")


def load_year(file: Path | None, year: int) -> tuple[Journal, Settings]:
    """The checked books and their settings for a report of `year`; exit 1 when the books
    have nothing in `year` (a year just opened by the close of the year before counts: its
    opening balances are worth seeing before anything is booked)."""
    from sodertorn_ledger.reports.funds import has_transactions, is_closed, years_in

    journal = load_books(file)
    path = books_path(file)
    settings = load_settings(path)
    if not has_transactions(journal, year) and not is_closed(journal, year - 1):
        years = years_in(journal)
        have = (
            f"the books have {', '.join(map(str, years))}"
            if years
            else "the books have no transactions at all"
        )
        fail(f"no transactions in {year} in {path} ({have})")
    return journal, settings


def read_population(
    journal_path: Path, settings: Settings
) -> tuple[PopulationTable, list[Problem]]:
    """SCB's figures for the members, from every file in the population folder."""
    from sodertorn_ledger.population import read_population_folder

    names = {m.name: m.code for m in settings.members}
    return read_population_folder(population_folder(journal_path), names)


def load_population(journal_path: Path, settings: Settings) -> PopulationTable:
    """SCB's figures; on a problem in any file print every problem and exit 1."""
    table, problems = read_population(journal_path, settings)
    if problems:
        report_problems(problems)
        folder = population_folder(journal_path)
        fail(f"{plural(len(problems), 'problem')} in the population files in {folder}")
    return table


def fee_report(
    journal: Journal, settings: Settings, year: int, journal_path: Path
) -> tuple[FeeReport | None, list[Problem]]:
    """The fees of `year` from the population files beside the books; None with the
    problems when a rate or a figure is missing or a file is bad."""
    from sodertorn_ledger.fees import fees_for_year

    table, problems = read_population(journal_path, settings)
    if problems:
        return None, problems
    folder = str(population_folder(journal_path))
    return fees_for_year(journal, settings, table, year, folder=folder)
