"""Loading the books: parse every file, then run the whole-book checks (balance
assertions and the locks of closed years, declared accounts).

`load_journal` is what every command calls; it never raises for bad books, the problems
are in `journal.problems` (errors and warnings), with file and line.
"""

from __future__ import annotations

import gc
from pathlib import Path

from sodertorn_ledger.journal.checks import check_balances, check_declared
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.journal.parser import parse_books, with_source_lines


def load_journal(path: Path, *, strict: bool = False, for_good: bool = False) -> Journal:
    """Read and check the books at `path`; `strict` also requires declared accounts.

    `for_good`: the books live as long as the process (the command line); they are then
    frozen out of the cyclic garbage collector's sight (`gc.freeze`).
    """
    # Loading makes many small records (several per transaction) and no reference cycles.
    # The cyclic collector would rescan them again and again while they are made, so it is
    # off meanwhile; once it is back on, its first run would rescan them all once more,
    # unless they are frozen first.
    collecting = gc.isenabled()
    gc.disable()
    try:
        journal = parse_books(path)
        journal.problems.extend(check_balances(journal))
        if strict:
            journal.problems.extend(check_declared(journal))
        journal.problems[:] = with_source_lines(journal.problems)
    finally:
        if for_good:
            gc.freeze()
        if collecting:
            gc.enable()
    return journal
