"""Loading the books: parse every file, then run the whole-book checks.

`load_journal` is what every command calls; it never raises for bad books, the problems
are in `journal.problems` (errors and warnings), with file and line.
"""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.journal.checks import check_assertions, check_declared
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.journal.parser import parse_books


def load_journal(path: Path, *, strict: bool = False) -> Journal:
    """Read and check the books at `path`; `strict` also requires declared accounts."""
    journal = parse_books(path)
    journal.problems.extend(check_assertions(journal))
    if strict:
        journal.problems.extend(check_declared(journal))
    return journal
