"""Finding and loading what a command works on: the books, their settings and SCB's
population files. Every command gets its files from here; on a problem it prints every
problem found and exits 1.

Where: `-f/--file`, else `$LEDGER_FILE`, else `ledger/main.journal` (as hledger decides);
the settings (`sodertorn.toml`) and the population folder (`befolkning/`) are beside the
main journal.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sodertorn_ledger.commands.output import fail, plural, report_problems, warn

if TYPE_CHECKING:
    from sodertorn_ledger.books_writer import Appending, Books, Snapshot
    from sodertorn_ledger.fees import FeeReport
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.population.model import PopulationTable
    from sodertorn_ledger.problems import Problem
    from sodertorn_ledger.settings import Settings

DEFAULT_BOOKS = Path("ledger") / "main.journal"
POPULATION_FOLDER = "befolkning"

T = TypeVar("T")


def books_path(file: Path | None) -> Path:
    """The main journal: the command's -f/--file, else one given before the command
    (`ledger -f FILE COMMAND`), else $LEDGER_FILE, else ledger/main.journal or main.journal
    here or in the nearest folder above that has one (as git finds its folder)."""
    if file is not None:
        return file
    before = _file_before_the_command()
    if before is not None:
        return before
    env = os.environ.get("LEDGER_FILE")
    if env:
        return Path(env)
    return find_books(Path.cwd()) or DEFAULT_BOOKS


def _file_before_the_command() -> Path | None:
    import click

    context = click.get_current_context(silent=True)
    value = context.find_root().params.get("file") if context is not None else None
    return Path(value) if isinstance(value, str | Path) and str(value) else None


def find_books(start: Path) -> Path | None:
    """ledger/main.journal or main.journal in `start` or the nearest folder above it, as a
    path relative to `start` when it is below it; None when no folder has one."""
    for folder in (start, *start.parents):
        for candidate in (folder / DEFAULT_BOOKS, folder / DEFAULT_BOOKS.name):
            try:
                found = candidate.is_file()
            except OSError:  # a folder we may not look into: look further up
                found = False
            if found:
                return Path(os.path.relpath(candidate, start))
    return None


def _no_books(path: Path) -> str:
    if path == DEFAULT_BOOKS and not path.is_file():
        return (
            "no books found: no ledger/main.journal or main.journal here or in a folder "
            "above (use -f PATH or set LEDGER_FILE)"
        )
    return f"no journal file at {path} (use -f PATH or set LEDGER_FILE)"


def check_new_file(target: Path, what: str, *, force: bool) -> None:
    """Refuse early, before any work, a file a command is to write (`what`, as "the
    workbook"): a folder, an existing file without --force, or a folder that is not there."""
    if target.is_dir():
        fail(f"{target} is a folder; give {what}'s file name")
    if target.exists() and not force:
        fail(f"{target} already exists; use --force to overwrite it")
    if not target.parent.is_dir() and str(target.parent):
        fail(f"cannot write {target}: no folder {target.parent}")


def write_new_file(target: Path, write: Callable[[], object]) -> None:
    """Run `write`, which writes `target` atomically (never over a file unless forced);
    its refusal or I/O error ends the command with one line (exit 1)."""
    from sodertorn_ledger.fileio import FileExists

    try:
        write()
    except FileExists:
        fail(f"{target} already exists; use --force to overwrite it")
    except OSError as err:
        fail(f"cannot write {target}: {err.strerror or err}")


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


def main_journal(file: Path | None) -> Path:
    """The main journal (see `books_path`); exit 1 when there is none."""
    path = books_path(file)
    try:
        found = path.is_file()
    except OSError as exc:  # a name the file system cannot take (e.g. too long)
        fail(f"cannot read the journal {path}: {exc.strerror or exc}")
    if not found:
        fail(_no_books(path))
    return path


def write_books(
    main: Path,
    work: Callable[[Snapshot, Books | None], T],
    *,
    dry_run: bool,
    resumes: str = "",
) -> T:
    """Run `work` the way every writer of the books runs: for a dry run on a fresh
    snapshot and no `Books` (nothing may be written); else under the books' lock, planned
    from the books as they are then. The writer's refusals end the command (exit 1) with
    what was and was not written, and when `resumes` names the work ("the close"), that the
    next run completes it."""
    from sodertorn_ledger import books_writer

    try:
        if dry_run:
            return work(books_writer.Snapshot(), None)
        with books_writer.writing(main) as books:
            return work(books.snapshot, books)
    except books_writer.Busy as err:
        fail(f"{err}; nothing was written")
    except (books_writer.Changed, books_writer.WriteFailed) as err:
        more = f" (the next run completes {resumes})" if resumes and err.written else ""
        fail(f"{err}; {books_writer.stopped(err.written)}{more}")
    except OSError as err:
        fail(f"cannot read {err.filename}: {err.strerror}; nothing was changed")


def append_rehearsed(
    books: Books,
    journal: Journal,
    appending: Appending,
    check: Callable[[Path], list[Problem]],
    refusal: str,
) -> None:
    """Append as `appending` plans (from `books.snapshot`): first on a copy of the books,
    which `check` must find without problems (else they are printed and the command ends,
    exit 1, with `refusal`), then to the books themselves; a file another program appended
    to meanwhile is said to keep what it added."""
    from sodertorn_ledger.books_writer import KEPT, rehearse

    problems = rehearse(books.main, books.snapshot, journal.files, appending.edits, check)
    if problems:
        report_problems(problems)
        fail(refusal)
    for kept in books.apply_steps(appending.steps).kept:
        warn(f"{kept}: {KEPT}")


def load_books(file: Path | None, *, strict: bool = False) -> Journal:
    """Read and check the books; on any error print every problem and exit 1 (warnings
    are printed and the command goes on)."""
    from sodertorn_ledger.journal.loader import load_journal

    path = main_journal(file)
    journal = load_journal(path, strict=strict, for_good=True)
    if _kept_until_exit is not None:
        _kept_until_exit.append(journal)
    report_problems(journal.problems)
    if journal.errors:
        fail(f"{plural(len(journal.errors), 'error')} in the books; nothing was done")
    return journal


def load_settings(journal_path: Path, books: Journal | None = None) -> Settings:
    """The settings beside the main journal; on a bad or missing file print its problems
    and exit 1. With the books, every account the settings name must be an account of the
    books too (declared or posted to): a misspelt one is an error, not a fund or a member
    quietly left with nothing."""
    from sodertorn_ledger.settings import SettingsError, settings_path
    from sodertorn_ledger.settings import load_settings as read_settings

    path = settings_path(journal_path)
    try:
        settings = read_settings(path)
    except SettingsError as err:
        report_problems(err.problems)
        fail(f"cannot read the settings {path}; nothing was done")
    if books is not None:
        problems = settings_accounts_problems(books, settings)
        if problems:
            report_problems(problems)
            fail(f"the settings {path} name accounts that are not in the books; nothing was done")
    return settings


def load_settings_if_present(journal_path: Path, books: Journal) -> Settings | None:
    """As `load_settings` with the books, when there is a settings file (anything by its
    name, even a broken link or a FIFO, which is then reported); None when there is none."""
    from sodertorn_ledger.settings import settings_path

    if not os.path.lexists(settings_path(journal_path)):
        return None
    return load_settings(journal_path, books)


def settings_accounts_problems(books: Journal, settings: Settings) -> list[Problem]:
    """The accounts the settings name that the books neither declare nor post to. (Checked
    on every run, never cached with the settings: the books change while they do not.)"""
    from sodertorn_ledger.settings.check import all_in_books, check_accounts

    # Most books declare every account: the postings are gone through only when not.
    if all_in_books(settings, books.declarations.keys()):
        return []
    posted = {p.account for t in books.transactions for p in t.postings}
    return check_accounts(settings, posted.union(books.declarations))


def load_year(file: Path | None, year: int) -> tuple[Journal, Settings]:
    """The checked books and their settings for a report of `year`; exit 1 when the books
    have nothing in `year` (a year just opened by the close of the year before counts: its
    opening balances are worth seeing before anything is booked)."""
    from sodertorn_ledger.journal.checks import years_of
    from sodertorn_ledger.reports.funds import has_transactions, is_closed

    journal = load_books(file)
    path = books_path(file)
    settings = load_settings(path, journal)
    if not has_transactions(journal, year) and not is_closed(journal, year - 1):
        years = years_of(journal)
        have = (
            f"the books have {', '.join(map(str, years))}"
            if years
            else "the books have no transactions at all"
        )
        fail(f"no transactions in {year} in {path} ({have})")
    return journal, settings


def compares(file: Path | None, journal: Journal, year: int, compare: bool | None) -> bool:
    """Whether a report of `year` shows the year before beside it (`--compare`, on by
    default): when the books hold YEAR−1 (own transactions, not only an opening). Asked
    for with --compare on books without it: exit 1."""
    from sodertorn_ledger.journal.checks import years_of
    from sodertorn_ledger.reports.funds import holds_year

    if compare is False:
        return False
    if holds_year(journal, year - 1):
        return True
    if compare:
        have = ", ".join(map(str, years_of(journal))) or "no transactions at all"
        fail(
            f"--compare: no transactions in {year - 1} in {books_path(file)} to compare "
            f"{year} with (the books have {have}); leave out --compare"
        )
    return False


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
