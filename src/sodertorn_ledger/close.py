"""The year-end close (bokslut) as data: what `ledger close YEAR` books and writes.

Pure: no file is read or written here (the current texts come in through `read_text`).

The close of YEAR is one transaction dated YEAR-12-31 and tagged ``bokslut:YEAR`` that
moves every fund's income and costs of the year onto the fund's balance account; the
operating fund's result goes to a new fund account (``fonder:drift från YEAR``, the
settings' ``result_account``), declared in main.journal with its display name. YEAR+1
opens without an opening transaction: its opening balances are the books' balances as
they stand, so nothing is stated twice and hledger reading main.journal sees what we see.
The Sammanställning leaves the closing transaction out of YEAR and counts it in every
later year (reports/funds.py), so YEAR's report is the same before and after the close.

Whether a year is closed is read from the books (the tagged transaction), never from a
state file. The closing transaction also records the year's end state: each account's
balance after the close, as a balance assertion (``= BALANCE``, a posting of nothing for
an account the close does not move). That locks the year: journal/checks.py holds every
command's books to it (and hledger checks the assertions too). A close of an earlier
version recorded none; closing its year again adds them, as a missing step. A year closed
without them is still checked against the books here: the close must still be exactly
what the books need, else the user is told which accounts differ and by how much.

Every writer asks `refuse_if_closed` before it plans (no writer writes into a closed
year), and opens a year that has no file yet as the close does (`plan_open_year`, one rule
for the new year's file and its include).

The edits come in the order they must be written so that a crash between any two leaves
books that mean what they meant before, or the finished close:
1. the new YEAR+1 file (not yet included: invisible);
2. main.journal: the new account declaration and the include of the (header-only) YEAR+1
   file, which change no balance;
3. the closing transaction appended to YEAR's file: the one write that closes the year
   (on a year an earlier version closed: its closing transaction with the balances).
The next run finds steps already done (the file with the expected header, the
declaration, the include) and does only what is left.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import os
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from sodertorn_ledger.journal import checks
from sodertorn_ledger.journal.model import ZERO, Account, Journal, Transaction
from sodertorn_ledger.money import journal_amount
from sodertorn_ledger.problems import Problem
from sodertorn_ledger.reports.funds import (
    CLOSING_TAG,
    account_class,
    closing_transactions,
    compute_summary,
    has_transactions,
    year_end_balances,
)
from sodertorn_ledger.settings import Settings, covers

POSTING_END_COLUMN = 70
"""Posting lines end their amount at this column, as in the bundled books."""
DECLARATION_COMMENT_COLUMN = 56
"""Where an `account` directive's comment starts when no neighbour shows otherwise."""


class FundResult(NamedTuple):
    """One fund's result of the year, signs as the Sammanställning shows them."""

    name: str
    income: Decimal
    """Positive: money that came in."""
    costs: Decimal
    """Negative: money that went out."""
    target: Account | None
    """The balance account the close moves the result to (None: nowhere, refused)."""

    @property
    def result(self) -> Decimal:
        """Income minus costs: a surplus is positive."""
        return self.income + self.costs


class Edit(NamedTuple):
    """One file the close writes: its text before (None for a new file) and after."""

    path: Path
    before: str | None
    after: str
    what: str
    """What changes, for the user (e.g. "new file", "closing transaction appended")."""


class ClosePlan(NamedTuple):
    """Everything `ledger close YEAR` decided, before anything is written.

    `problems` non-empty: refused, nothing may be written. Otherwise `edits` in order;
    none means the year is closed and the books agree (nothing to do).
    """

    year: int
    already_closed: bool
    """The books held the closing transaction before this run."""
    results: tuple[FundResult, ...]
    postings: tuple[tuple[Account, Decimal], ...]
    """The closing transaction's postings (what the books need, whether or not written)."""
    transaction_text: str
    declaration_text: str
    include_line: str
    next_year_text: str
    edits: tuple[Edit, ...]
    problems: tuple[Problem, ...]
    next_file: Path | None = None
    """Where the new year's file is (or would be)."""
    balances: tuple[tuple[Account, Decimal], ...] = ()
    """The balances the closing transaction records (asserts): the year's end state."""

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def nothing_to_do(self) -> bool:
        return not self.problems and not self.edits


# -- reading the books -------------------------------------------------------------------


def needed_close(
    journal: Journal, settings: Settings, year: int
) -> tuple[list[tuple[Account, Decimal]], list[FundResult], list[Problem]]:
    """The closing postings the books need for `year`, the fund results, and problems.

    Each income and cost account of a fund is brought to zero (its balance at year end,
    which is the year's movement once earlier years are closed); the fund's balance
    account takes the sum. The operating fund's result account always gets a posting
    (0,00 kr when the result is zero), so the transaction is never empty.
    """
    balances = year_end_balances(journal, year)
    summary = {row.name: row for row in compute_summary(journal, settings, year, balances).funds}
    operating = settings.operating_fund
    postings: list[tuple[Account, Decimal]] = []
    results: list[FundResult] = []
    problems: list[Problem] = []
    owned: list[Account] = []
    for fund in settings.funds:
        target = fund.result_account_for(year) if fund.is_operating else fund.account
        prefixes = [*fund.income, *fund.costs]
        accounts = sorted(a for a in balances if any(covers(p, a) for p in prefixes))
        owned.extend(accounts)
        moved = [(a, -balances[a]) for a in accounts if balances[a] != ZERO]
        total = sum((balances[a] for a in accounts), ZERO)
        row = summary.get(fund.name)
        income = row.income if row else ZERO
        costs = row.costs if row else ZERO
        results.append(FundResult(fund.name, income, costs, target))
        if income + costs != -total:
            # Income or costs from before `year` still open: an earlier year is not closed.
            problems.append(
                _problem(
                    journal,
                    f"{fund.name}: the income and cost accounts hold "
                    f"{_kr(-total)} at the end of {year}, but the year's result is "
                    f"{_kr(income + costs)}; an earlier year's income or costs were never "
                    "closed",
                    "close the earlier years first (ledger close YEAR, oldest first)",
                )
            )
        if not moved and not fund.is_operating:
            continue
        if target is None:
            problems.append(
                _problem(
                    journal,
                    f"{fund.name} has income or costs in {year} but no `account` in "
                    f"{settings.path} to carry its result",
                    f'add account = "fonder:…" to the [[funds]] entry "{fund.name}"',
                )
            )
            continue
        postings.extend(moved)
        if total != ZERO or fund is operating:
            postings.append((target, total))
    for account in sorted(balances):
        if balances[account] == ZERO or account in owned:
            continue
        if account_class(journal, account) in ("R", "X"):
            problems.append(
                _problem(
                    journal,
                    f"{account} holds {_kr(balances[account])} at the end of {year} but "
                    "belongs to no fund, so the close cannot move it",
                    f"add it to the income or costs of a [[funds]] entry in {settings.path}",
                )
            )
    return postings, results, problems


def _net(postings: list[tuple[Account, Decimal]]) -> dict[Account, Decimal]:
    out: dict[Account, Decimal] = {}
    for account, amount in postings:
        out[account] = out.get(account, ZERO) + amount
    return out


def close_differences(
    booked: list[tuple[Account, Decimal]], needed: list[tuple[Account, Decimal]]
) -> list[str]:
    """Accounts where the booked close and what the books need now differ, one line each."""
    have, want = _net(booked), _net(needed)
    lines = []
    for account in sorted(set(have) | set(want)):
        a, b = have.get(account, ZERO), want.get(account, ZERO)
        if a != b:
            lines.append(
                f"{account}: the close books {_kr(a)}, the books now need {_kr(b)} "
                f"(difference {_kr(b - a)})"
            )
    return lines


def _check_earlier_years(journal: Journal, settings: Settings, year: int) -> list[Problem]:
    problems = []
    years = checks.books_years(journal)
    for earlier in checks.years_of(journal):
        if earlier >= year:
            break
        closes = closing_transactions(journal, earlier)
        if not closes and years.is_typo(earlier):
            # Not a year to close: its transactions were meant for another year.
            problems.extend(_typo_problems(journal, years, earlier))
            continue
        if not closes:
            problems.append(
                _problem(
                    journal,
                    f"{earlier} has transactions and is not closed; close it before {year}",
                    f"run: ledger close {earlier}",
                )
            )
            continue
        problems.extend(_check_booked_close(journal, settings, earlier, closes))
    return problems


def _check_booked_close(
    journal: Journal, settings: Settings, year: int, closes: list[Transaction]
) -> list[Problem]:
    """Problems with the closing transaction(s) of a closed year; none when it agrees."""
    first = closes[0]
    if len(closes) > 1:
        return [
            Problem(
                closes[1].file,
                closes[1].line,
                f"{year} has {len(closes)} closing transactions (tagged {CLOSING_TAG}:{year}); "
                "there must be one",
                f"remove all but the one in {first.file} at line {first.line}",
            )
        ]
    needed, _, problems = needed_close(journal, settings, year)
    if problems:
        return problems
    booked = [(p.account, p.amount) for p in first.postings]
    differences = close_differences(booked, needed)
    if not differences:
        return []
    return [
        Problem(
            first.file,
            first.line,
            f"{year} is closed, but the books have changed since the close:\n  "
            + "\n  ".join(differences),
            f"book the change in a later year, or delete this closing transaction "
            f"(bokslut:{year}) and run `ledger close {year}` again",
        )
    ]


def _problem(journal: Journal, message: str, hint: str = "") -> Problem:
    return Problem(journal.root, 0, message, hint)


def _outside_the_balance_sheet(journal: Journal, settings: Settings, year: int) -> list[Problem]:
    """The accounts that keep the balance sheet of `year` from balancing (in no fund, or of
    no class): a close would carry their money nowhere, so it is refused, each named at its
    first posting."""
    from sodertorn_ledger.reports.balance import compute_balance

    outside = compute_balance(journal, settings, year).unbalanced_by
    if not outside:
        return []
    import difflib

    first: dict[Account, tuple[str, int]] = {}
    for transaction in journal.transactions:
        for posting in transaction.postings:
            first.setdefault(posting.account, (transaction.file, posting.line))
    known = sorted({*journal.declarations, *first} - {line.name for line in outside})
    problems = []
    for line in outside:
        near = difflib.get_close_matches(line.name, known, n=1)
        fix = f"did you mean {near[0]}? Correct" if near else "correct"
        problems.append(
            Problem(
                *first.get(line.name, (journal.root, 0)),
                f"{line.name} is in no fund and of no class of the balance sheet "
                f"({journal_amount(-line.amount, journal.commodity or settings.currency)} at "
                f"the end of {year}): the close would carry it nowhere",
                f"{fix} the account's name, or add it to a [[funds]] entry of "
                f"{settings.path}; `ledger balance {year}` shows the difference",
            )
        )
    return problems


_TYPOS_SHOWN = 5
"""At most this many transactions of a typo'd year are named."""


def _typo_problems(journal: Journal, years: checks.Years, year: int) -> list[Problem]:
    """The transactions of a year before the books start: typos, never a year to close."""
    found = [t for t in journal.transactions if t.date.year == year]
    return [
        Problem(
            t.file,
            t.line,
            f"this transaction is dated {t.date.isoformat()}, before the books start "
            f"({years.start}); {year} is not a year to close",
            years.typo_hint(t.date),
        )
        for t in found[:_TYPOS_SHOWN]
    ]


# -- closed years, for every writer -------------------------------------------------------


def closed_through(journal: Journal) -> int | None:
    """The last closed year (tagged bokslut:YEAR): every date up to its end is closed."""
    return checks.books_years(journal).closed_through


def refuse_if_closed(journal: Journal, dates: Iterable[dt.date], what: str) -> list[Problem]:
    """Why `what` (a writer's transactions, dated `dates`) may not be booked: a date in a
    closed year. The problem is at the closing transaction that closed it; none when every
    date is in an open year. Every writer of the books asks this before it plans."""
    years = checks.books_years(journal)
    last = years.closed_through
    if last is None:
        return []
    closed = sorted(d for d in dates if d <= dt.date(last, 12, 31))
    if not closed:
        return []
    date = closed[0]
    by = min(y for y in years.closes if y >= date.year)
    close = years.closes[by]
    where = f"bokslut:{by} at {close.file}:{close.line}"
    if years.is_typo(date.year):
        return [
            Problem(
                close.file,
                close.line,
                f"{date.isoformat()} is before the books start ({years.start}), in the "
                f"closed part of the books ({where}): {what} would change it",
                years.typo_hint(date),
            )
        ]
    return [
        Problem(
            close.file,
            close.line,
            f"{date.year} is closed ({where}): {what} would change a closed year",
            f"book it in {last + 1}, the open year, instead; or reopen {date.year} first "
            f"({checks.REOPEN})",
        )
    ]


# -- the texts ---------------------------------------------------------------------------


def _kr(amount: Decimal) -> str:
    return journal_amount(amount, "kr")


def render_transaction(
    year: int,
    postings: list[tuple[Account, Decimal]],
    operating_name: str,
    commodity: str,
    balances: Iterable[tuple[Account, Decimal]] = (),
) -> str:
    """The closing transaction as journal text (a comment, then the transaction)."""
    lines = [
        f"; Year-end close of {year} (written by `ledger close {year}`). Each fund's income",
        f"; and costs of {year} move to the fund's balance account, the operating result",
        f'; to the new fund "{operating_name} från {year}". Opening balances of {year + 1}',
        "; follow from the balances after this transaction. Each `= AMOUNT` records an",
        f"; account's balance after the close: a later change to {year} breaks it.",
        f"{year}-12-31 * Bokslut {year}  ; {CLOSING_TAG}:{year}",
        *render_postings(postings, balances, commodity),
    ]
    return "\n".join(lines) + "\n"


def render_postings(
    postings: list[tuple[Account, Decimal]],
    balances: Iterable[tuple[Account, Decimal]],
    commodity: str,
) -> list[str]:
    """The closing transaction's posting lines. Each account's balance after the close is
    asserted on its last posting (``= BALANCE``, which hledger checks too); an account the
    close does not move gets a posting of nothing that carries its balance."""
    after = dict(balances)
    last = {account: n for n, (account, _) in enumerate(postings)}
    rows: list[tuple[Account, Decimal, Decimal | None]] = [
        (account, amount, after.get(account) if last[account] == n else None)
        for n, (account, amount) in enumerate(postings)
    ]
    rows += [(account, ZERO, balance) for account, balance in after.items() if account not in last]
    lines = []
    for account, amount, balance in rows:
        asserted = "" if balance is None else f" = {journal_amount(balance, commodity)}"
        lines.append(posting_line(account, journal_amount(amount, commodity), asserted))
    return lines


def posting_line(account: Account, amount: str, tail: str = "") -> str:
    """A posting as the books lay it out: indented, its amount (as written) ending at
    `POSTING_END_COLUMN`, then `tail` (a balance, a comment)."""
    gap = max(2, POSTING_END_COLUMN - 4 - len(account) - len(amount))
    return f"    {account}{' ' * gap}{amount}{tail}"


def add_balances(text: str, close: Transaction, posting_lines: list[str]) -> str | None:
    """`text` with the postings of `close` (a closing transaction read from it) replaced by
    `posting_lines`, the same postings with the balances they record; its date line and
    everything else kept. None when its lines are not where the books said they were."""
    lines = text.split("\n")
    first = close.line - 1
    last = max((p.line for p in close.postings), default=close.line)
    if not 0 <= first < last <= len(lines) or CLOSING_TAG not in lines[first]:
        return None
    if any(p.account not in lines[p.line - 1] for p in close.postings):
        return None
    lines[first + 1 : last] = posting_lines
    return "\n".join(lines)


def render_declaration(
    account: Account, fund_name: str, year: int, result: Decimal, column: int
) -> str:
    """The `account` directive of the new result fund, its display name in the fond: tag."""
    kind = "Underskott" if result < 0 else "Överskott"
    head = f"account {account}"
    gap = max(2, column - len(head))
    return f"{head}{' ' * gap}; {kind} från driften {year}, fond:{fund_name}"


def render_next_year(year: int, organisation: str) -> str:
    """The header of a new year's file (`ledger close` of the year before, or the first
    writer into the year): comments only, nothing that restates balances."""
    return (
        f"; {organisation}, räkenskaper {year}.\n"
        ";\n"
        f"; There is no opening transaction: the opening balances of {year} are the\n"
        f"; balances after the close of {year - 1} (the transaction tagged bokslut:{year - 1}),\n"
        "; so the books state them once.\n"
        f"; Book the transactions of {year} below.\n"
    )


def _earlier_header(year: int, organisation: str) -> str:
    """The header earlier versions wrote: a file left with it by a killed close is ours."""
    return (
        f"; {organisation}, räkenskaper {year}.\n"
        ";\n"
        f"; Opened by `ledger close {year - 1}`. There is no opening transaction: the\n"
        f"; opening balances of {year} are the balances after the close of {year - 1}\n"
        f"; (the transaction tagged bokslut:{year - 1}), so the books state them once.\n"
        f"; Book the transactions of {year} below.\n"
    )


_ACCOUNT_LINE = re.compile(r"^account[ \t]+(\S(?:.*?\S)?)(?:[ \t]{2,}|\t|[ \t]*;|[ \t]*$)")
_INCLUDE_LINE = re.compile(r"^include[ \t]+\S")


def _declared_in(text: str) -> list[tuple[int, Account]]:
    out = []
    for number, line in enumerate(text.split("\n")):
        match = _ACCOUNT_LINE.match(line)
        if match:
            out.append((number, match.group(1)))
    return out


def _comment_column(line: str) -> int:
    at = line.find(";")
    return at if at > 0 else DECLARATION_COMMENT_COLUMN


def insert_declaration(
    text: str,
    account: Account,
    make_line: Callable[[int], str],
    year_of: Callable[[str], int | None],
) -> str:
    """`text` with the declaration of `account` added where it belongs.

    Directly above the newest earlier result fund ("drift från YEAR-1" stays below
    "drift från YEAR", newest first as in the report); else after the last declaration
    under the same top-level account; else after the last declaration; else at the end.
    """
    lines = text.split("\n")
    declared = _declared_in(text)
    earlier = [(year_of(a), n) for n, a in declared if year_of(a) is not None]
    if earlier:
        _, at = max(earlier, key=lambda pair: (pair[0] or 0, -pair[1]))
        lines.insert(at, make_line(_comment_column(lines[at])))
        return "\n".join(lines)
    top = account.split(":")[0]
    same = [n for n, a in declared if a.split(":")[0] == top]
    if same or declared:
        at = (same or [n for n, _ in declared])[-1]
        lines.insert(at + 1, make_line(_comment_column(lines[at])))
        return "\n".join(lines)
    return _append_line(text, make_line(DECLARATION_COMMENT_COLUMN))


def insert_include(text: str, line: str) -> str:
    """`text` with `line` after its last include directive (else at the end)."""
    lines = text.split("\n")
    includes = [n for n, current in enumerate(lines) if _INCLUDE_LINE.match(current)]
    if includes:
        lines.insert(includes[-1] + 1, line)
        return "\n".join(lines)
    return _append_line(text, line)


def _included_by_pattern(text: str, folder: Path, target: Path) -> bool:
    """True when an ``include`` glob pattern in `text` matches `target` (once it exists)."""
    for line in text.split("\n"):
        if not _INCLUDE_LINE.match(line):
            continue
        pattern = os.path.expanduser(line.split(None, 1)[1].strip())
        if glob.has_magic(pattern):
            full = pattern if os.path.isabs(pattern) else str(folder / pattern)
            if fnmatch.fnmatchcase(os.path.normpath(target), os.path.normpath(full)):
                return True
    return False


def _append_line(text: str, line: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + line + "\n"


def append_transaction(text: str, transaction: str) -> str:
    """`text` with a blank line and the transaction at its end."""
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text else "") + transaction


# -- the plan ----------------------------------------------------------------------------


def _same_file(a: Path | str, b: Path | str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def year_file(journal: Journal, year: int) -> Path:
    """The file holding `year`'s transactions: ``YEAR.journal`` among the books' files,
    else the file of the year's last transaction, else the main file."""
    for name in journal.files:
        if Path(name).name == f"{year}.journal":
            return Path(name)
    in_year = [t for t in journal.transactions if t.date.year == year]
    if in_year:
        return Path(max(in_year, key=lambda t: t.date).file)
    return Path(journal.root)


def new_year_file(journal: Journal, year: int) -> Path:
    """Where `year`'s own file is or goes: ``YEAR.journal`` among the books' files, else
    beside the file of the year before."""
    for name in journal.files:
        if Path(name).name == f"{year}.journal":
            return Path(name)
    return year_file(journal, year - 1).parent / f"{year}.journal"


class OpenYear(NamedTuple):
    """What opening a year takes: its own file, included from the main journal. The close
    of the year before opens it, and so does the first writer into it (`fees --book` in
    January), whichever comes first; the other finds it done."""

    year: int
    file: Path
    header: str
    """The new file's text: `render_next_year`."""
    include_line: str
    create: bool
    """The file is to be made (it does not exist)."""
    include: bool
    """The main journal is to get `include_line` (nothing includes the file yet)."""
    problems: tuple[Problem, ...] = ()
    """Non-empty: a file of that name exists that is not the books' (nothing may be done)."""

    @property
    def done(self) -> bool:
        return not self.create and not self.include and not self.problems

    def main_text(self, text: str) -> str:
        """The main journal's `text` with the include, when one is needed."""
        return insert_include(text, self.include_line) if self.include else text


def plan_open_year(
    journal: Journal, year: int, organisation: str, read_text: Callable[[Path], str | None]
) -> OpenYear:
    """How to open `year` in the books: nothing when its file is included already; else
    the file to make (unless a header-only one is left by a run that was stopped) and the
    include to add (unless an include pattern takes the file in)."""
    main = Path(journal.root)
    file = new_year_file(journal, year)
    header = render_next_year(year, organisation)
    target = os.path.relpath(file, main.parent)
    line = f"include {Path(target).as_posix()}"
    if any(_same_file(name, file) for name in journal.files):
        return OpenYear(year, file, header, line, create=False, include=False)
    by_pattern = _included_by_pattern(read_text(main) or "", main.parent, file)
    current = read_text(file)
    problems: tuple[Problem, ...] = ()
    if current is not None and current not in (header, _earlier_header(year, organisation)):
        problems = (
            Problem(
                str(file),
                0,
                f"{file} exists but {main} does not include it",
                f"if it holds the books of {year}, add `{line}` to {main}; else move it "
                "away; then run the command again",
            ),
        )
    return OpenYear(year, file, header, line, current is None, not by_pattern, problems)


def _read_after(journal: Journal, year: int, position: int, where: str, fix: str) -> list[Problem]:
    """Transactions dated 31 December of `year` that are read after `position` (where the
    closing transaction is or goes). hledger checks the close's balances in reading order
    within a day, so it would leave them out of the year the close records."""
    end = dt.date(year, 12, 31)
    return [
        Problem(
            t.file,
            t.line,
            f"this transaction, dated {end.isoformat()}, is read after {where}, so the "
            f"balances the close records would not hold for hledger",
            fix,
        )
        for t in journal.transactions[position + 1 :]
        if t.date == end and checks.closed_year(t) is None
    ]


def lock_balances(
    journal: Journal, year: int, postings: list[tuple[Account, Decimal]]
) -> list[tuple[Account, Decimal]]:
    """The balances the close of `year` records: each account's balance after the close,
    for every account the close moves and every other account that holds money; accounts
    in the order they are declared (then by name)."""
    after = year_end_balances(journal, year)
    for account, amount in postings:
        after[account] = after.get(account, ZERO) + amount
    moved = {account for account, _ in postings}
    order = {account: n for n, account in enumerate(journal.declarations)}
    chosen = [a for a, balance in after.items() if a in moved or balance != ZERO]
    chosen.sort(key=lambda a: (order.get(a, len(order)), a))
    return [(a, after[a]) for a in chosen]


def plan_close(
    journal: Journal,
    settings: Settings,
    year: int,
    read_text: Callable[[Path], str | None],
    *,
    today: dt.date | None = None,
) -> ClosePlan:
    """Decide the close of `year`: refusal reasons, or the edits in write order.

    `read_text(path)` gives a file's current text, None when it does not exist. With
    `today`, a year that is not over yet is refused (a close booked too early is soon
    contradicted by the year's last transactions).
    """
    operating = settings.operating_fund
    main = Path(journal.root)
    this_file = year_file(journal, year)
    opening = plan_open_year(journal, year + 1, settings.organisation, read_text)
    next_file = opening.file
    commodity = journal.commodity or settings.currency
    include_line = opening.include_line
    next_text = opening.header

    problems: list[Problem] = []
    if today is not None and year >= today.year:
        problems.append(
            _problem(
                journal,
                f"{year} is not over yet (today is {today.isoformat()}); a year is closed "
                "after its 31 December",
                f"run `ledger close {year}` in {year + 1}, once {year}'s books are complete",
            )
        )
    if operating is None:
        problems.append(
            _problem(
                journal,
                f"the settings {settings.path} have no operating fund (a [[funds]] entry "
                "with result_account), so there is nowhere to close the result to",
                'add result_account = "fonder:drift från {year}" to the operating fund',
            )
        )
    if not has_transactions(journal, year):
        years = ", ".join(map(str, checks.years_of(journal))) or "none"
        problems.append(
            _problem(journal, f"no transactions in {year}: nothing to close (years: {years})")
        )
    elif not closing_transactions(journal, year):
        books = checks.books_years(journal)
        if books.is_typo(year):
            problems.extend(_typo_problems(journal, books, year))
    if problems:
        return _refused(year, problems, include_line, next_text)
    assert operating is not None
    problems.extend(_check_earlier_years(journal, settings, year))
    closes = closing_transactions(journal, year)
    already = bool(closes)
    if problems:
        # An earlier year left open also leaves income and costs open in this one; the
        # earlier year is what the user must fix, so only it is named.
        return ClosePlan(
            year, already, (), (), "", "", include_line, next_text, (), tuple(problems)
        )
    problems.extend(_outside_the_balance_sheet(journal, settings, year))
    needed, results, need_problems = needed_close(journal, settings, year)
    problems.extend(need_problems)
    if already and not need_problems:
        problems.extend(_check_booked_close(journal, settings, year, closes))
    result_account = operating.result_account_for(year)
    fund_name = f"{operating.name} från {year}"
    drift = next((r for r in results if r.name == operating.name), None)
    drift_result = drift.result if drift else ZERO
    balances = lock_balances(journal, year, needed)
    transaction_text = render_transaction(year, needed, operating.name, commodity, balances)
    # Where the closing transaction is (or goes, at the end of the year's file): a
    # transaction of 31 December read after it would escape hledger's check of the lock.
    names = {name for name in journal.files if _same_file(name, this_file)}
    where = [n for n, t in enumerate(journal.transactions) if t.file in names]
    locked = already and checks.is_lock(closes[0])
    if already and not locked:
        at = next(n for n, t in enumerate(journal.transactions) if t is closes[0])
        problems.extend(
            _read_after(
                journal,
                year,
                at,
                f"the closing transaction of {year} ({closes[0].file}:{closes[0].line})",
                f"move it above the closing transaction, then run `ledger close {year}` again",
            )
        )
    elif not already and where:
        problems.extend(
            _read_after(
                journal,
                year,
                where[-1],
                f"the end of {this_file}, where the closing transaction of {year} goes",
                f"move it into {this_file}, then run `ledger close {year}` again",
            )
        )

    def _earlier_result(account: Account, before: int) -> int | None:
        of_year = operating.result_account_year(account)
        return of_year if of_year is not None and of_year < before else None

    def make_declaration(column: int) -> str:
        return render_declaration(result_account, fund_name, year, drift_result, column)

    declaration_text = make_declaration(DECLARATION_COMMENT_COLUMN)

    def plan(edits: tuple[Edit, ...] = (), next_path: Path | None = None) -> ClosePlan:
        """The plan with what is decided so far: refused while `problems` has any."""
        return ClosePlan(
            year,
            already,
            tuple(results),
            tuple(needed),
            transaction_text,
            declaration_text,
            include_line,
            next_text,
            edits,
            tuple(problems),
            next_path,
            tuple(balances),
        )

    if problems:
        return plan()

    # Step 1: the new year's file, unless the books include it already (then it is the
    # user's, maybe with January's transactions, and is left alone).
    edits: list[Edit] = []
    problems.extend(opening.problems)
    main_before = read_text(main)
    if main_before is None:
        problems.append(_problem(journal, f"cannot read {main}"))
        main_before = ""
    if opening.create:
        edits.append(Edit(next_file, None, next_text, "new file, the books of " + str(year + 1)))

    # Step 2: declaration and include in main.journal (they change no balance).
    main_after = main_before
    changes = []
    if result_account not in journal.declarations:
        main_after = insert_declaration(
            main_after, result_account, make_declaration, lambda a: _earlier_result(a, year)
        )
        changes.append(f"account {result_account}")
    if opening.include:
        main_after = opening.main_text(main_after)
        changes.append(include_line)

    # Step 3, last: the write that closes the year, the closing transaction appended to
    # the year's file; on a year an earlier version closed, the balances its closing
    # transaction did not record yet.
    close_file = Path(closes[0].file) if already else this_file
    in_main = _same_file(close_file, main)
    year_before = main_after if in_main else read_text(close_file)
    if year_before is None:
        problems.append(_problem(journal, f"cannot read {close_file}"))
        year_before = ""
    year_after = year_before
    closing_what = f"closing transaction {year}-12-31 ({CLOSING_TAG}:{year}) appended"
    if not already:
        year_after = append_transaction(year_before, transaction_text)
    elif not locked:
        closing_what = (
            f"the balances at the end of {year} recorded in its closing transaction "
            f"({close_file}:{closes[0].line}): {year} is locked"
        )
        posting_lines = render_postings(needed, balances, commodity)
        rewritten = add_balances(year_before, closes[0], posting_lines)
        if rewritten is None:
            problems.append(
                Problem(
                    closes[0].file,
                    closes[0].line,
                    f"cannot find the lines of the closing transaction of {year} in "
                    f"{close_file} to record its balances",
                    f"delete the closing transaction (bokslut:{year}) and run `ledger "
                    f"close {year}` again",
                )
            )
        else:
            year_after = rewritten
    if problems:
        return plan()
    if in_main:
        what = ", ".join([*changes, *([closing_what] if year_after != main_after else [])])
        if year_after != main_before:
            edits.append(Edit(main, main_before, year_after, what))
    else:
        if main_after != main_before:
            edits.append(Edit(main, main_before, main_after, ", ".join(changes) + " added"))
        if year_after != year_before:
            edits.append(Edit(close_file, year_before, year_after, closing_what))
    return plan(tuple(edits), next_file)


def _refused(year: int, problems: list[Problem], include_line: str, next_text: str) -> ClosePlan:
    return ClosePlan(year, False, (), (), "", "", include_line, next_text, (), tuple(problems))
