"""The books and SIE 4 files: the year's books as a `SieFile` (`ledger sie`), and a file's
vouchers as the books' transactions (`ledger import`). Pure: the files are read and
written by the commands.

The numbers
-----------
`[sie.accounts]` in the settings gives each account of the books its number; an account
covers its subaccounts unless they have a number of their own (`Sie.number_of`). An
imported number books to the account `[sie.numbers]` gives it, else to the one account
`[sie.accounts]` gives it (`Sie.account_of`). Nothing is guessed: an account without a
number, or a number without an account, is a problem, all of them listed at once.

A year as a file (`books_to_sie`)
---------------------------------
The year is read as the reports read it (reports/funds.py): its opening balances, its own
transactions, its balances at 31 December without its close.
- #IB 0 is the opening balance and #UB 0 the balance at 31 December of every balance
  account (#KTYP T for assets; S for liabilities and funds, which are equity); #RES 0 the
  year's own postings on every income (I) and cost (K) account: the result before the
  close. So #IB + the vouchers = #UB, and the vouchers = #RES, account by account.
- One #VER a transaction of the year's own: the books' opening transaction is #IB, not a
  voucher, and the year's close (``bokslut:YEAR``) is not a voucher of its year: it
  belongs to the next year's opening balances. Series A, numbered from 1 in date order,
  transactions of one day in the order the books read them: the same books give the same
  numbers. The text is the transaction's description; a posting tagged with the project
  tag (its own or its transaction's) is a row with the project as object of dimension 6.
- #RAR -1 with its #IB, #UB and #RES when the books hold the year before. Its #UB is
  before its close and #IB 0 after it, so a fund's #UB -1 and #IB 0 differ by what the
  close moved into it.
- Every account with a posting up to 31 December (the year's close aside) needs a number;
  accounts that share one are added up. #KONTO names a number by the description of the
  account `[sie.accounts]` gives it to (its declaration's comment before any tag).

A file as transactions (`plan_import`)
--------------------------------------
Each voucher becomes one transaction, dated as the voucher, in the journal of its date's
year (a fiscal year July-June goes to two journals), its text as the description, each
counted row (#RTRANS and #BTRANS as the reader counts them) a posting on the account its
number books to. The voucher is tagged ``ver:SERIES-NUMBER`` and, when the file has an
#ORGNR, ``sie:ORGNR``: a voucher is in the books already when a transaction of the same
date has the same two tags, so the same file imported again adds nothing (two vouchers
alike in all three are told apart by how many of them the books have). Objects of
dimension 6 become the project tag: on the transaction when every row has the same one,
else on the postings. Into books with no transactions yet, the file's #IB 0 is booked as
their opening transaction, dated the fiscal year's first day; books with transactions
have opening balances of their own, and the file's are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import NamedTuple

from sodertorn_ledger.close import posting_line, refuse_if_closed
from sodertorn_ledger.journal.model import ZERO, Account, Journal, Transaction
from sodertorn_ledger.money import ORE, journal_amount
from sodertorn_ledger.problems import Problem
from sodertorn_ledger.reports.funds import (
    AccountClass,
    account_class,
    has_transactions,
    year_balances,
    year_transactions,
)
from sodertorn_ledger.settings import Settings
from sodertorn_ledger.settings.check import check_accounts, sie_targets
from sodertorn_ledger.sie.model import (
    AccountType,
    FiscalYear,
    ObjectRef,
    Row,
    SieFile,
    Voucher,
)

PROJECT_DIM = 6
"""SIE's dimension of projects (§8 of the spec)."""
SERIES = "A"
"""The series of every voucher `ledger sie` writes."""
PROGRAM = "sodertorn-ledger"
VOUCHER_TAG = "ver"
"""An imported voucher's series and number: ``ver:A-12``."""
SOURCE_TAG = "sie"
"""The organisation number of the file an imported voucher came from: ``sie:212000-0142``."""

_TYPES: Mapping[AccountClass, AccountType] = {"A": "T", "L": "S", "E": "S", "R": "I", "X": "K"}
_BALANCE_TYPES = frozenset({"T", "S"})
_SHOWN = 5
"""Of a kind of problem that may come on every voucher, this many are named one by one."""


# -- the books as a file ----------------------------------------------------------------


class _Numbered(NamedTuple):
    """What `books_to_sie` found of the accounts: each one's number and type, or why not."""

    numbers: dict[Account, str]
    types: dict[str, AccountType]
    names: dict[str, str]
    problems: list[Problem]


def books_to_sie(
    journal: Journal, settings: Settings, year: int, *, generated: dt.date, version: str
) -> tuple[SieFile | None, list[Problem]]:
    """The SIE 4 file of `year` (see the module's docstring), or None and why not: the
    settings have no organisation number, an account has no number or no type, an amount
    has more than two decimals (SIE holds öre, and an amount is never rounded)."""
    sie = settings.sie
    this = year_balances(journal, year)
    numbered = _number_accounts(journal, settings, this.closing)
    problems = numbered.problems
    if sie.orgnr is None:
        problems.insert(
            0,
            Problem(
                str(settings.path),
                0,
                "[sie] has no orgnr: an SIE file names the organisation by its number",
                'add it to [sie], e.g. orgnr = "222000-1234"',
            ),
        )
    transactions = sorted(year_transactions(journal, year), key=lambda t: t.date)
    problems += _inexact(transactions)
    if problems:
        return None, problems

    numbers, types = numbered.numbers, numbered.types
    years = {0: FiscalYear(dt.date(year, 1, 1), dt.date(year, 12, 31))}
    opening: dict[tuple[int, str], Decimal] = {}
    closing: dict[tuple[int, str], Decimal] = {}
    results: dict[tuple[int, str], Decimal] = {}
    balances = [(0, this)]
    if has_transactions(journal, year - 1):
        years[-1] = FiscalYear(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
        balances.append((-1, year_balances(journal, year - 1)))
    for number, balances_of in balances:
        for table, source in ((opening, balances_of.opening), (closing, balances_of.closing)):
            table.update(_by_number(source, numbers, types, _BALANCE_TYPES, number))
        results.update(_by_number(balances_of.moved, numbers, types, {"I", "K"}, number))

    tag = settings.projects.tag
    vouchers: list[Voucher] = []
    projects: dict[str, None] = {}
    for n, transaction in enumerate(transactions, 1):
        rows = []
        for posting in transaction.postings:
            project = transaction.posting_tags(posting).get(tag, "").strip()
            objects: tuple[ObjectRef, ...] = ()
            if project:
                projects[project] = None
                objects = ((PROJECT_DIM, project),)
            rows.append(Row(numbers[posting.account], objects, posting.amount))
        vouchers.append(
            Voucher(SERIES, str(n), transaction.date, transaction.description, tuple(rows))
        )
    return (
        SieFile(
            program=PROGRAM,
            program_version=version,
            generated=generated,
            company_name=sie.name or settings.organisation,
            orgnr=sie.orgnr or "",
            chart_type=sie.kptyp or "",
            years=years,
            accounts=numbered.names,
            account_types=types,
            dims={PROJECT_DIM: "Projekt"},
            objects={(PROJECT_DIM, p): settings.projects.display_name(p) for p in projects},
            opening=opening,
            closing=closing,
            results=results,
            vouchers=tuple(vouchers),
        ),
        [],
    )


def _number_accounts(
    journal: Journal, settings: Settings, accounts: Iterable[Account]
) -> _Numbered:
    """Each account's number and type; every account without one is a problem (at its
    declaration, else at its first posting), all of them at once."""
    sie = settings.sie
    numbers: dict[Account, str] = {}
    types: dict[str, AccountType] = {}
    typed_by: dict[str, Account] = {}
    unnumbered: list[Account] = []
    problems: list[Problem] = []
    for account in sorted(accounts):
        number = sie.number_of(account)
        kind = account_class(journal, account)
        if number is None:
            unnumbered.append(account)
            continue
        numbers[account] = number
        if kind is None:
            problems.append(
                _at_account(
                    journal,
                    account,
                    f"account {account} is neither an asset, a liability, a fund, income "
                    "nor a cost: SIE needs its type",
                    "declare it with a type: tag (type:A, L, E, R or X), or correct the name",
                )
            )
            continue
        ktyp = _TYPES[kind]
        if types.setdefault(number, ktyp) != ktyp:
            problems.append(
                _at_account(
                    journal,
                    account,
                    f"account {account} ({ktyp}) and {typed_by[number]} ({types[number]}) "
                    f"have the same number {number} in [sie.accounts], but not the same type",
                    "give them numbers of their own",
                )
            )
        typed_by.setdefault(number, account)
    if unnumbered:
        for account in unnumbered:
            problems.append(
                _at_account(
                    journal,
                    account,
                    f"account {account} ({description(journal, account)}) has no number "
                    "in [sie.accounts]",
                )
            )
        shown = "\n".join(f'    "{a}" = "…"' for a in unnumbered)
        problems[-1] = problems[-1]._replace(
            hint=f"give each its number in [sie.accounts] of {settings.path}:\n{shown}"
        )
    holders = {n: a for a, n in reversed(list(sie.accounts.items()))}
    order = sorted(types, key=lambda n: (len(n), n))
    names = {n: description(journal, holders[n]) for n in order}
    return _Numbered(numbers, {n: types[n] for n in order}, names, problems)


def _at_account(journal: Journal, account: Account, message: str, hint: str = "") -> Problem:
    """A problem at the account's declaration, else at its first posting."""
    declared = journal.declarations.get(account)
    if declared is not None:
        return Problem(declared.file, declared.line, message, hint)
    for transaction in journal.transactions:
        for posting in transaction.postings:
            if posting.account == account:
                return Problem(transaction.file, posting.line, message, hint)
    return Problem(journal.root, 0, message, hint)


def description(journal: Journal, account: Account) -> str:
    """What the account's declaration says it is: its comment up to the first tag (as
    hledger finds tags: ``name:value``, the name the last word before the colon); the
    account's own name when it says nothing."""
    declared = journal.declarations.get(account)
    kept: list[str] = []
    for part in declared.comment.split(",") if declared else ():
        head, colon, _ = part.partition(":")
        words = head.split()
        if colon and words and not head.endswith((" ", "\t")):
            kept.append(head[: len(head) - len(words[-1])])
            break
        kept.append(part)
    return ",".join(kept).strip().rstrip(",").strip() or account


def _inexact(transactions: Iterable[Transaction]) -> list[Problem]:
    """Postings with more than two decimals: SIE holds öre, and an amount is never rounded."""
    found = [
        Problem(
            t.file,
            p.line,
            f"{p.amount} kr has more than two decimals: SIE holds amounts in öre",
            "book the amount in whole öre",
        )
        for t in transactions
        for p in t.postings
        if p.amount != p.amount.quantize(ORE)
    ]
    return found


def _by_number(
    amounts: Mapping[Account, Decimal],
    numbers: Mapping[Account, str],
    types: Mapping[str, AccountType],
    kinds: Iterable[str],
    year: int,
) -> dict[tuple[int, str], Decimal]:
    """The amounts of the accounts of the types `kinds`, added up by number, every number
    of those types (0 when none of its accounts has an amount), in number order."""
    wanted = set(kinds)
    sums = {(year, n): ZERO for n, kind in types.items() if kind in wanted}
    for account, amount in amounts.items():
        key = (year, numbers[account])
        if key in sums:
            sums[key] += amount
    return sums


# -- a file as transactions ---------------------------------------------------------------


class YearImport(NamedTuple):
    """What a file brings to one year's journal."""

    year: int
    vouchers: int
    """The file's vouchers dated in the year (empty ones too)."""
    imported: int
    already: int
    """Vouchers the books have already (imported before)."""
    text: str
    """The transactions to append, in journal syntax ('' when there are none)."""


class ImportPlan(NamedTuple):
    """What `ledger import` books from a file, decided before anything is written.

    Errors among `problems`: refused, nothing may be written; warnings are said.
    """

    years: tuple[YearImport, ...]
    """By year, in date order; the vouchers of each in the order of the file."""
    vouchers: int
    """Every voucher of the file, as the reader counts them."""
    imported: int
    already: int
    empty: int
    """Vouchers with no counted rows: nothing to book (programs keep a voided number so)."""
    opening: bool
    """The file's #IB 0 is booked as the books' opening transaction."""
    opening_left_out: bool
    """The file has opening balances, and the books their own: the file's are not booked."""
    fiscal_year: FiscalYear | None
    problems: tuple[Problem, ...]

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def plan_import(
    sie: SieFile,
    name: str,
    journal: Journal,
    settings: Settings,
    *,
    commodity: str,
    decimal_mark: str,
) -> ImportPlan:
    """Each voucher of `sie` (the file `name`) as a transaction of the journal of its
    date's year, those the books have already left out; refused (errors among the
    problems) when a number has no account, a voucher is dated in a closed year, a
    series, number, #ORGNR or project cannot be a tag, or the opening balances do not
    balance. The reader's own errors (an unbalanced voucher, a #KSUMMA that does not
    match) are the caller's to refuse first."""
    problems: list[Problem] = []
    source = sie.orgnr.strip()
    if not _taggable(source):
        problems.append(_untaggable(name, 0, "#ORGNR", source))
    booked = [v for v in sie.vouchers if v.rows]
    fiscal_year = sie.years.get(0)
    balances = [(a, x) for (y, a), x in sie.opening.items() if y == 0 and x]
    opening = bool(balances) and not journal.transactions
    if opening and fiscal_year is None:
        problems.append(Problem(name, 0, "#IB 0 without #RAR 0: the opening balances have no date"))
    if opening and sum((x for _, x in balances), ZERO) != ZERO:
        total = sum((x for _, x in balances), ZERO)
        problems.append(
            Problem(
                name,
                0,
                f"the file's opening balances (#IB 0) add up to {total}, not 0: they cannot "
                "open the books",
                "import the file into books that have their opening balances",
            )
        )
    accounts, unmapped = _accounts(
        sie, name, journal, settings, booked, balances if opening else []
    )
    problems += unmapped
    problems += _closed(journal, name, booked, fiscal_year if opening else None)
    problems += _other_objects(sie, name, booked)
    for voucher in booked:
        number = _voucher_id(voucher)
        if not _taggable(number):
            problems.append(
                _untaggable(name, voucher.line, "the voucher's series and number", number)
            )
        for row in voucher.rows:
            code = _project(row)
            if not _taggable(code):
                problems.append(_untaggable(name, row.line, "the project (dimension 6)", code))
    if any(p.severity == "error" for p in problems):
        return ImportPlan(
            (), len(sie.vouchers), 0, 0, 0, False, False, fiscal_year, tuple(problems)
        )

    def amount(value: Decimal) -> str:
        return journal_amount(value, commodity, decimal_mark)

    tags = [f"{SOURCE_TAG}:{source}"] if source else []
    texts: dict[int, list[str]] = {}
    counts: dict[int, Counter[str]] = {}
    if opening:
        assert fiscal_year is not None
        start = fiscal_year.start
        label = _fiscal_label(fiscal_year)
        header = f"{start.isoformat()} * Ingående balans {label}"
        lines = [
            f"; The opening balances of {label}: the #IB of {PurePath(name).name}, imported "
            "into books with no transactions.",
            _with_tags(header, tags),
        ]
        lines += [posting_line(accounts[a], amount(x)) for a, x in balances]
        texts.setdefault(start.year, []).append("\n".join(lines) + "\n")
    have = Counter(
        (t.tags[VOUCHER_TAG].strip(), t.tags.get(SOURCE_TAG, "").strip(), t.date)
        for t in journal.transactions
        if VOUCHER_TAG in t.tags
    )
    for voucher in sie.vouchers:
        year = voucher.date.year
        count = counts.setdefault(year, Counter())
        count["vouchers"] += 1
        if not voucher.rows:
            continue
        key = (_voucher_id(voucher), source, voucher.date)
        if have[key]:
            have[key] -= 1
            count["already"] += 1
            continue
        count["imported"] += 1
        text, changed = _description(voucher.text)
        if changed:
            problems.append(
                Problem(
                    name,
                    voucher.line,
                    f"the text {voucher.text!r} is booked as {text!r}",
                    "in the books ';' starts a comment and a text is one line",
                    severity="warning",
                )
            )
        rows = [(accounts[row.account], amount(row.amount), _project(row)) for row in voucher.rows]
        head = [f"{VOUCHER_TAG}:{key[0]}", *tags]
        texts.setdefault(year, []).append(
            _transaction(voucher.date, text, head, rows, settings.projects.tag)
        )
    years = tuple(
        YearImport(
            year,
            counts.get(year, Counter())["vouchers"],
            counts.get(year, Counter())["imported"],
            counts.get(year, Counter())["already"],
            "\n".join(texts.get(year, [])),
        )
        for year in sorted(counts.keys() | texts.keys())
    )
    return ImportPlan(
        years,
        len(sie.vouchers),
        sum(y.imported for y in years),
        sum(y.already for y in years),
        len(sie.vouchers) - len(booked),
        opening,
        bool(balances) and not opening,
        fiscal_year,
        tuple(problems),
    )


def _transaction(
    date: dt.date, text: str, tags: list[str], rows: list[tuple[Account, str, str]], tag: str
) -> str:
    """A voucher as a transaction in journal syntax: `rows` are (account, amount as the
    books write it, project); a project every row has is the transaction's tag, else each
    row's own."""
    projects = {project for _, _, project in rows}
    shared = projects.pop() if len(projects) == 1 else ""
    if shared:
        tags = [*tags, f"{tag}:{shared}"]
    # A text read as a transaction code, "(kopia) …", follows an empty code.
    head = f"{date.isoformat()} * {'() ' if text.startswith('(') else ''}{text}".rstrip()
    lines = [_with_tags(head, tags)]
    for account, amount, project in rows:
        tail = f"  ; {tag}:{project}" if project and not shared else ""
        lines.append(posting_line(account, amount, tail))
    return "\n".join(lines) + "\n"


def _voucher_id(voucher: Voucher) -> str:
    return f"{voucher.series}-{voucher.number}".strip()


def _project(row: Row) -> str:
    return next((code for dim, code in row.objects if dim == PROJECT_DIM), "").strip()


def _taggable(value: str) -> bool:
    """A tag's value: one line with no comma (a comma ends it)."""
    return "," not in value and value.isprintable()


def _untaggable(name: str, line: int, what: str, value: str) -> Problem:
    return Problem(
        name,
        line,
        f"{what} {value!r} cannot be a tag of the books",
        "a tag's value is one line of text and ends at a comma",
    )


def _with_tags(head: str, tags: Sequence[str]) -> str:
    return f"{head}  ; {', '.join(tags)}" if tags else head


def _description(text: str) -> tuple[str, bool]:
    """A voucher's text as a transaction's description, and whether it had to change: in
    the books ';' starts a comment, and a description is one line."""
    clean = "".join(c if c.isprintable() else " " for c in text).replace(";", ",")
    return clean.strip(), clean != text


def _fiscal_label(year: FiscalYear) -> str:
    """``2020``, or ``2009/2010`` for a fiscal year across two calendar years."""
    if year.start.year == year.end.year:
        return str(year.start.year)
    return f"{year.start.year}/{year.end.year}"


def _accounts(
    sie: SieFile,
    name: str,
    journal: Journal,
    settings: Settings,
    vouchers: Sequence[Voucher],
    balances: Sequence[tuple[str, Decimal]],
) -> tuple[dict[str, Account], list[Problem]]:
    """The account each number used books to, and a problem for every number with none,
    at its first use, with the file's name of it: all of them at once; and for every
    account the settings give a number that is not an account of the books (at its key
    in the settings, with the nearest account of the books)."""
    first: dict[str, int] = {}
    for voucher in vouchers:
        for row in voucher.rows:
            first.setdefault(row.account, row.line)
    for number, _ in balances:
        first.setdefault(number, 0)
    accounts: dict[str, Account] = {}
    problems: list[Problem] = []
    for number, line in first.items():
        account = settings.sie.account_of(number)
        if account is not None:
            accounts[number] = account
            continue
        named = f" ({sie.accounts[number]})" if sie.accounts.get(number) else ""
        problems.append(Problem(name, line, f"account {number}{named} has no account of the books"))
    if problems:
        missing = "\n".join(
            f'    "{n}" = "…"{f"  # {sie.accounts[n]}" if sie.accounts.get(n) else ""}'
            for n in first
            if n not in accounts
        )
        problems[-1] = problems[-1]._replace(
            hint=f"say which account each books to, in [sie.numbers] of {settings.path}:\n"
            + missing
        )
    targets = sie_targets(settings, accounts)
    declared = journal.declarations.keys()
    if any(target.account not in declared for target in targets):
        posted = {p.account for t in journal.transactions for p in t.postings}
        problems += check_accounts(settings, posted.union(declared), targets)
    return accounts, problems


def _closed(
    journal: Journal, name: str, vouchers: Sequence[Voucher], fiscal_year: FiscalYear | None
) -> list[Problem]:
    """A voucher (or the opening balances, on the fiscal year's first day) dated in a closed
    year: the closed years come first, so the earliest date tells."""
    dated = [(v.date, f"the voucher {v.series} {v.number} at {name}:{v.line}") for v in vouchers]
    if fiscal_year is not None:
        dated.append((fiscal_year.start, f"the opening balances of {name}"))
    if not dated:
        return []
    date, what = min(dated, key=lambda pair: pair[0])
    return refuse_if_closed(journal, [date], f"importing {what}")


def _other_objects(sie: SieFile, name: str, vouchers: Sequence[Voucher]) -> list[Problem]:
    """A warning that objects of dimensions other than projects are not kept."""
    rows: Counter[int] = Counter()
    for voucher in vouchers:
        for row in voucher.rows:
            rows.update({dim for dim, _ in row.objects if dim != PROJECT_DIM})
    if not rows:
        return []
    dims = ", ".join(
        f"{dim} ({sie.dims[dim]})" if sie.dims.get(dim) else str(dim) for dim in sorted(rows)
    )
    return [
        Problem(
            name,
            0,
            f"objects of dimension {dims} on {sum(rows.values())} rows are not kept",
            f"the books record projects (dimension {PROJECT_DIM}) only, as the project tag",
            severity="warning",
        )
    ]
