"""The data model of the books: what the journal reader produces and every report reads.

Records are immutable. Every record carries where it came from (file and line), so a
report or a check can point the user at the exact line of the books.

Money is `decimal.Decimal` in kronor, exact as written in the books (normally two
decimals, öre). Never float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.problems import Problem

Account = str
"""A full account name, components joined by ':' (e.g. ``tillgångar:bank``)."""

Tags = dict[str, str]
"""Tags from comments, ``name:value`` (e.g. ``projekt`` -> ``Näringslivsanalyser Great``).

Records with the same comment may share one dict (the reader's fast path keeps one per
comment text), so a record's tags are never changed once read."""

ZERO = Decimal(0)
AMOUNT_DIGITS = 15
"""The most digits an amount in the books may have before its decimal mark (below a
thousand million million kronor); why, in `amounts.py`."""
AMOUNT_DECIMALS = 4
"""The most digits an amount in the books may have after its decimal mark (a hundredth
of an öre)."""


class Posting(NamedTuple):
    account: Account
    amount: Decimal
    """Exact amount in the books' currency; for an elided amount, the inferred one."""
    inferred: bool
    """True when the amount was left out in the books and inferred from the others."""
    assertion: Decimal | None
    """The balance asserted after this posting (``= AMOUNT``), if any."""
    tags: Tags
    """The posting's own tags (the transaction's tags are on the transaction)."""
    comment: str
    line: int


class Transaction(NamedTuple):
    date: dt.date
    status: str
    """'' (unmarked), '!' (pending) or '*' (cleared)."""
    code: str
    description: str
    """The whole description, ``payee | note`` included."""
    tags: Tags
    comment: str
    postings: tuple[Posting, ...]
    file: str
    line: int

    @property
    def payee(self) -> str:
        """The payee: the description's part before ``|`` (the whole description without one)."""
        head, sep, _ = self.description.partition("|")
        return head.strip() if sep else self.description

    @property
    def note(self) -> str:
        """The note: the description's part after ``|`` ('' without one)."""
        _, sep, tail = self.description.partition("|")
        return tail.strip() if sep else ""

    def posting_tags(self, posting: Posting) -> Tags:
        """A posting's tags including those it inherits from its transaction (as hledger)."""
        if not self.tags:
            return posting.tags
        return {**self.tags, **posting.tags}


class AccountDeclaration(NamedTuple):
    account: Account
    comment: str
    tags: Tags
    file: str
    line: int


class Journal:
    """The books as read: transactions in the order they appear, and what was declared.

    The reader fills it in; it starts empty. (A plain class: a dataclass takes longer to
    define than this whole module otherwise, and every command defines it at start.)
    """

    __slots__ = (
        "commodity",
        "declarations",
        "files",
        "posted_accounts",
        "problems",
        "root",
        "transactions",
        "year_ends",
    )

    def __init__(self, root: str) -> None:
        self.root = root
        """The main journal's path."""
        self.files: list[str] = []
        """Every file read, the main journal first."""
        self.transactions: list[Transaction] = []
        self.declarations: dict[Account, AccountDeclaration] = {}
        self.commodity: str | None = None
        """The books' one currency symbol as written (e.g. ``kr``), once any amount is seen."""
        self.problems: list[Problem] = []
        # Sums the reports make of the books more than once per command (a workbook asks
        # for some years' balances five times), kept once made: the books do not change
        # once read. Not part of what was read (__repr__).
        self.year_ends: dict[int, dict[Account, Decimal]] = {}
        """Each year's balances at 31 December, as `reports.funds.year_end_balances`
        summed them."""
        self.posted_accounts: frozenset[Account] | None = None
        """The accounts posted to, once a report has looked for them."""

    def __repr__(self) -> str:
        # Everything read, so that two readings can be compared as text (-0 and 0 differ).
        return (
            f"Journal(root={self.root!r}, files={self.files!r}, "
            f"transactions={self.transactions!r}, declarations={self.declarations!r}, "
            f"commodity={self.commodity!r}, problems={self.problems!r})"
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def postings(self) -> list[tuple[Transaction, Posting]]:
        return [(t, p) for t in self.transactions for p in t.postings]
