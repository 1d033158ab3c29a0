"""`ledger register`: the postings that match a query, with a running total (as
`hledger register`).

How a query matches, as hledger 1.25 matches it
-----------------------------------------------
- An account pattern is a regular expression searched in the whole account name, case
  ignored: ``representation`` matches ``kostnader:drift:representation``,
  ``^kostnader:drift$`` that account alone. ``acct:`` before it says the same. Several
  patterns: a posting matches any of them; none: every posting.
- ``not:PATTERN`` leaves out the postings whose account matches PATTERN (each ``not:``
  on its own, whatever else matches).
- A tag (``--tag NAME[:VALUE]``): a posting matches when one of its tags has a name
  that NAME matches and, with VALUE, a value VALUE matches (both regular expressions,
  case ignored, searched). A posting's tags are its own, its transaction's and those of
  its account's declaration and its parents' declarations (``account … ; type:X``).
  Several tags: each must match.
- The payee (``--payee TEXT``): a regular expression searched in the transaction's
  payee (the description before ``|``, the whole description without one), case ignored.
- The dates: from `start` (inclusive) until `end` (exclusive, as hledger's ``-e``).

The postings come in date order, those of one day in the order the books have them; the
running total starts at zero with the first one shown.

Python's regular expressions are not hledger's (POSIX ones), but for what account
queries use — words, ``^``, ``$``, ``|``, ``.``, ``*`` — they match alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Journal, Posting, Tags, Transaction

NOT = "not:"
ACCOUNT = "acct:"
OTHER_QUERIES = (
    "desc",
    "payee",
    "note",
    "tag",
    "date",
    "date2",
    "amt",
    "status",
    "code",
    "cur",
    "real",
    "depth",
    "expr",
    "inacct",
    "inacctonly",
    "empty",
)
"""hledger's query prefixes other than ``acct:`` and ``not:``: as an account pattern they
would mean something else than in hledger, so they are refused."""


class QueryError(ValueError):
    """A query that cannot be used: a bad regular expression, a query of another kind."""


class TagQuery(NamedTuple):
    name: re.Pattern[str]
    value: re.Pattern[str] | None


class PostingQuery(NamedTuple):
    """Which postings `ledger register` lists (see the module docstring)."""

    accounts: tuple[re.Pattern[str], ...] = ()
    excluded: tuple[re.Pattern[str], ...] = ()
    start: dt.date | None = None
    """The first day, inclusive."""
    end: dt.date | None = None
    """The day after the last, exclusive (hledger's ``-e``)."""
    tags: tuple[TagQuery, ...] = ()
    payee: re.Pattern[str] | None = None


def _regex(text: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as err:
        raise QueryError(f"{what} {text!r} is not a regular expression: {err}") from None


def parse_query(
    patterns: Sequence[str] = (),
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tags: Sequence[str] = (),
    payee: str | None = None,
) -> PostingQuery:
    """The query of `ledger register PATTERN… --tag NAME[:VALUE] --payee TEXT`; raises
    QueryError for a pattern that is no regular expression or is a query of another kind
    than an account's."""
    accounts: list[re.Pattern[str]] = []
    excluded: list[re.Pattern[str]] = []
    for pattern in patterns:
        text, negated = pattern, False
        if text.startswith(NOT):
            text, negated = text[len(NOT) :], True
        text = text.removeprefix(ACCOUNT)
        kind, colon, _ = text.partition(":")
        if colon and kind in OTHER_QUERIES:
            raise QueryError(
                f"{pattern!r} is hledger's {kind}: query, not an account pattern "
                "(ledger register has --tag, --payee, --year, --from and --to)"
            )
        (excluded if negated else accounts).append(_regex(text, "the account pattern"))
    tag_queries = []
    for tag in tags:
        name, colon, value = tag.partition(":")
        tag_queries.append(
            TagQuery(
                _regex(name, "the tag name"),
                _regex(value, "the tag value") if colon else None,
            )
        )
    if start is not None and end is not None and end <= start:
        raise QueryError(f"--to {end} is not after --from {start} (--to is exclusive)")
    return PostingQuery(
        accounts=tuple(accounts),
        excluded=tuple(excluded),
        start=start,
        end=end,
        tags=tuple(tag_queries),
        payee=None if payee is None else _regex(payee, "the payee"),
    )


class RegisterRow(NamedTuple):
    date: dt.date
    description: str
    account: Account
    amount: Decimal
    total: Decimal
    """The running total, this posting included."""
    file: str
    line: int
    """The posting's line in `file`."""
    tags: Tags
    """The tags written on the posting and its transaction (the posting's win)."""


class Register(NamedTuple):
    rows: tuple[RegisterRow, ...]
    total: Decimal


def compute_register(journal: Journal, query: PostingQuery) -> Register:
    """The postings that match `query`, in date order, with their running total."""
    account_matches = _account_matcher(query)
    tag_pairs = _account_tag_pairs(journal) if query.tags else None
    rows: list[RegisterRow] = []
    total = ZERO
    ordered = sorted(journal.transactions, key=lambda t: t.date)
    for transaction in ordered:
        if not _in_period(transaction.date, query):
            continue
        if query.payee is not None and not query.payee.search(transaction.payee):
            continue
        for posting in transaction.postings:
            if not account_matches(posting.account):
                continue
            if tag_pairs is not None and not _tags_match(
                query.tags, transaction, posting, tag_pairs(posting.account)
            ):
                continue
            total += posting.amount
            rows.append(
                RegisterRow(
                    transaction.date,
                    transaction.description,
                    posting.account,
                    posting.amount,
                    total,
                    transaction.file,
                    posting.line,
                    transaction.posting_tags(posting),
                )
            )
    return Register(tuple(rows), total)


def _in_period(date: dt.date, query: PostingQuery) -> bool:
    return (query.start is None or query.start <= date) and (query.end is None or date < query.end)


def _account_matcher(query: PostingQuery) -> Callable[[Account], bool]:
    """Whether an account matches the query's patterns; worked out once per account."""
    known: dict[Account, bool] = {}

    def matches(account: Account) -> bool:
        if account not in known:
            wanted = not query.accounts or any(p.search(account) for p in query.accounts)
            known[account] = wanted and not any(p.search(account) for p in query.excluded)
        return known[account]

    return matches


def _account_tag_pairs(journal: Journal) -> Callable[[Account], list[tuple[str, str]]]:
    """The tags an account's postings carry from the declarations of the account and of
    its parents, nearest first (as hledger)."""
    known: dict[Account, list[tuple[str, str]]] = {}

    def pairs(account: Account) -> list[tuple[str, str]]:
        if account not in known:
            parts = account.split(":")
            found: list[tuple[str, str]] = []
            for n in range(len(parts), 0, -1):
                declaration = journal.declarations.get(":".join(parts[:n]))
                if declaration is not None:
                    found.extend(declaration.tags.items())
            known[account] = found
        return known[account]

    return pairs


def _tags_match(
    queries: tuple[TagQuery, ...],
    transaction: Transaction,
    posting: Posting,
    account_pairs: list[tuple[str, str]],
) -> bool:
    pairs = [*posting.tags.items(), *transaction.tags.items(), *account_pairs]
    return all(
        any(
            q.name.search(name) and (q.value is None or q.value.search(value))
            for name, value in pairs
        )
        for q in queries
    )
