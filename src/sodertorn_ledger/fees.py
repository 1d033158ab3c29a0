"""The fee rule: each member pays the year's rate × its folkmängd on 31 December of the
year before, as SCB publishes it.

Everything here is pure: members, rate, population table and the books' transactions in;
the fee report, or the invoice transactions to append, out.

Sign conventions: fee income is negative in the books (hledger), so what is *booked* for a
member is the negated sum of its fee account's postings in transactions tagged
``avgift:YEAR``. The *difference* is booked − fee: zero when the books match the rule,
negative while a fee is not yet invoiced.

What is booked is invoiced: it waits on the receivable until it is *paid* (see
`compute_receivables` for which payment pays which fee); *unpaid* is booked − paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING, NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Posting, Transaction
from sodertorn_ledger.money import EXACT, format_count, journal_amount
from sodertorn_ledger.population.model import Figure, PopulationTable
from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.model import covers

if TYPE_CHECKING:
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.settings import Member, Settings

FEE_TAG = "avgift"
MEMBER_TAG = "kommun"


class Credit(NamedTuple):
    """What a member has paid beyond its fees: it pays the member's next fee when that is
    booked (or is paid back)."""

    code: str
    name: str
    amount: Decimal


class FeeLine(NamedTuple):
    code: str
    name: str
    fee_account: Account
    figure: Figure
    fee: Decimal
    booked: Decimal
    paid: Decimal = ZERO
    """What of the booked fee is paid (`compute_receivables`)."""

    @property
    def population(self) -> int:
        return self.figure.population

    @property
    def difference(self) -> Decimal:
        return EXACT.subtract(self.booked, self.fee)

    @property
    def unpaid(self) -> Decimal:
        return EXACT.subtract(self.booked, self.paid)


class FeeReport(NamedTuple):
    year: int
    population_date: dt.date
    rate: Decimal
    lines: tuple[FeeLine, ...]
    credits: tuple[Credit, ...] = ()
    """The members' credits, paid beyond their fees (`Receivables.credits`)."""
    problems: tuple[Problem, ...] = ()
    """Warnings: payments on the receivable that are no member's (`Receivables.problems`)."""

    @property
    def total_population(self) -> int:
        return sum(line.population for line in self.lines)

    @property
    def total_fee(self) -> Decimal:
        return _exact_sum(line.fee for line in self.lines)

    @property
    def total_booked(self) -> Decimal:
        return _exact_sum(line.booked for line in self.lines)

    @property
    def total_difference(self) -> Decimal:
        return EXACT.subtract(self.total_booked, self.total_fee)

    @property
    def total_paid(self) -> Decimal:
        return _exact_sum(line.paid for line in self.lines)

    @property
    def total_unpaid(self) -> Decimal:
        return EXACT.subtract(self.total_booked, self.total_paid)


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    # A fee is rate × folkmängd, neither of which the books' limit on amounts bounds
    # (journal/amounts.py): its sums are kept exact at any size.
    return reduce(EXACT.add, values, ZERO)


def population_date(year: int) -> dt.date:
    """The fee for `year` uses folkmängd on 31 December of the year before."""
    return dt.date(year - 1, 12, 31)


def _is_fee_posting(transaction: Transaction, posting: Posting, year: int) -> bool:
    return transaction.posting_tags(posting).get(FEE_TAG, "").strip() == str(year)


def booked_fees(
    transactions: Iterable[Transaction], year: int, accounts: Iterable[Account]
) -> dict[Account, Decimal]:
    """Fee income booked for `year` per fee account (positive), from ``avgift:YEAR`` postings."""
    wanted = set(accounts)
    booked = dict.fromkeys(wanted, ZERO)
    for t in transactions:
        for p in t.postings:
            if p.account in wanted and _is_fee_posting(t, p, year):
                booked[p.account] -= p.amount
    return booked


def invoiced_accounts(
    transactions: Iterable[Transaction], year: int, accounts: Iterable[Account]
) -> dict[Account, Transaction]:
    """The first transaction invoicing each fee account for `year` (tagged ``avgift:YEAR``)."""
    wanted = set(accounts)
    found: dict[Account, Transaction] = {}
    for t in transactions:
        for p in t.postings:
            if p.account in wanted and p.account not in found and _is_fee_posting(t, p, year):
                found[p.account] = t
    return found


def compute_fees(
    year: int,
    members: Sequence[Member],
    rate: Decimal,
    table: PopulationTable,
    booked: dict[Account, Decimal],
    *,
    folder: str,
    paid: Mapping[str, Decimal] | None = None,
    credits: Sequence[Credit] = (),
) -> tuple[FeeReport | None, list[Problem]]:
    """The fee of every member for `year`, against what is `booked` (by fee account) and
    `paid` (by member code); a member without a figure is a problem."""
    date = population_date(year)
    lines: list[FeeLine] = []
    problems: list[Problem] = []
    for member in members:
        figure = table.get(member.code, date)
        if figure is None:
            problems.append(
                Problem(
                    folder,
                    0,
                    f"no folkmängd for {member.code} {member.name} on {date.isoformat()} "
                    f"(needed for the {year} fee)",
                )
            )
            continue
        lines.append(
            FeeLine(
                code=member.code,
                name=member.name,
                fee_account=member.fee_account,
                figure=figure,
                fee=EXACT.multiply(rate, figure.population),  # exact at any size
                booked=booked.get(member.fee_account, ZERO),
                paid=(paid or {}).get(member.code, ZERO),
            )
        )
    if problems:
        # One hint after the list: where the missing figures go.
        problems[-1] = problems[-1]._replace(
            hint=f"put SCB's file with folkmängd 31 december {date.year} (table BE0101N1, or "
            f"TAB638 of SCB's current API) in {folder}",
        )
        return None, problems
    return FeeReport(year, date, rate, tuple(lines), tuple(credits)), []


def fees_for_year(
    journal: Journal, settings: Settings, table: PopulationTable, year: int, *, folder: str
) -> tuple[FeeReport | None, list[Problem]]:
    """The fees of `year` as the books and settings have them: the year's rate × each
    member's folkmängd, against what the books have booked and what is paid; None with the
    problems when the rate or a member's figure is missing."""
    from sodertorn_ledger.settings import SettingsError

    try:
        rate = settings.fee_rate(year)
    except SettingsError as err:
        return None, err.problems
    accounts = [m.fee_account for m in settings.members]
    booked = booked_fees(journal.transactions, year, accounts)
    receivables = compute_receivables(
        journal.transactions, settings.members, settings.fees.receivable_account
    )
    report, problems = compute_fees(
        year,
        settings.members,
        rate,
        table,
        booked,
        folder=folder,
        paid=receivables.paid(year),
        credits=receivables.credits,
    )
    if report is None:
        return None, problems
    return report._replace(problems=receivables.problems), []


# --- payments -----------------------------------------------------------------------------


class FeeBalance(NamedTuple):
    """One member's fee of one year on the receivable: what is invoiced (booked, as
    `FeeLine.booked`), what of it is paid, and where it was invoiced (the first
    transaction booking it; the first payment of the year for a fee never booked)."""

    year: int
    code: str
    name: str
    invoiced: Decimal
    paid: Decimal
    date: dt.date
    file: str
    line: int

    @property
    def unpaid(self) -> Decimal:
        return EXACT.subtract(self.invoiced, self.paid)


class Receivables(NamedTuple):
    """Every member's fees on the receivable as the books stand at `date` (None: every
    transaction), what members have paid beyond them, and the receivable's balance."""

    date: dt.date | None
    fees: tuple[FeeBalance, ...]
    """By member in the settings' order, then by year."""
    credits: tuple[Credit, ...]
    balance: Decimal
    """The receivable's balance at `date`."""
    unattributed: Decimal
    """The payments on the receivable that are no member's, as the books have them."""
    problems: tuple[Problem, ...]
    """Warnings: those payments, one each."""

    def paid(self, year: int) -> dict[str, Decimal]:
        """What is paid of each member's fee for `year`, by member code."""
        return {fee.code: fee.paid for fee in self.fees if fee.year == year}

    @property
    def unpaid(self) -> list[FeeBalance]:
        """The fees not paid in full, oldest invoice first."""
        order = {code: i for i, code in enumerate(dict.fromkeys(f.code for f in self.fees))}
        owed = [fee for fee in self.fees if fee.unpaid > ZERO]
        return sorted(owed, key=lambda f: (f.date, f.year, order[f.code]))

    @property
    def total_unpaid(self) -> Decimal:
        return _exact_sum(fee.unpaid for fee in self.unpaid)

    @property
    def total_credit(self) -> Decimal:
        return _exact_sum(credit.amount for credit in self.credits)

    @property
    def unexplained(self) -> Decimal:
        """What of the receivable's balance is no fee's: neither unpaid, a credit nor a
        payment that is no member's. Zero unless an invoice puts on the receivable other
        than the fee income it books (a fee booked straight to the bank, an invoice without
        its ``avgift:`` tag)."""
        owed = _exact_sum(fee.unpaid for fee in self.fees)
        explained = EXACT.add(EXACT.subtract(owed, self.total_credit), self.unattributed)
        return EXACT.subtract(self.balance, explained)

    def days(self, fee: FeeBalance) -> int:
        """Days from the fee's invoice to `date`."""
        if self.date is None:
            raise ValueError("the age of a fee needs the date of the books' state")
        return (self.date - fee.date).days


def _fee_year(tags: Mapping[str, str]) -> int | None:
    """The year of an ``avgift:YEAR`` tag (None without one, or with no year in it)."""
    value = tags.get(FEE_TAG, "").strip()
    return int(value) if len(value) == 4 and value.isascii() and value.isdigit() else None


def compute_receivables(
    transactions: Iterable[Transaction],
    members: Sequence[Member],
    receivable: Account,
    *,
    until: dt.date | None = None,
) -> Receivables:
    """Which of the members' fees are paid, from the transactions dated `until` or before
    (every one when None).

    The rule, in full (docs/commands.md says it to the user):

    - A member's fee for a year is *invoiced* as it is booked: its fee account's postings
      in transactions tagged ``avgift:YEAR`` (the ``Bokfört`` of `compute_fees`).
    - A *payment* is a posting on the receivable (or an account under it) in a transaction
      that posts to no member's fee account (those are invoices and credit notes): a credit
      pays, a debit (a refund) takes back. It is the member's of its ``kommun:`` tag; one
      without the tag of a member is no member's (a warning).
    - A payment tagged ``avgift:YEAR`` pays that year's fee; what it pays beyond it pays
      the fees of the years after (paid ahead). A payment without a year pays the member's
      open fees, oldest year first.
    - What is paid beyond the fees is the member's *credit*: it pays the next fee booked.
      A refund (a debit) takes back the credit first, then the newest payments.
    """
    by_account = {m.fee_account: m.code for m in members}
    invoiced: dict[str, dict[int, Decimal]] = {m.code: {} for m in members}
    tagged: dict[str, dict[int, Decimal]] = {m.code: {} for m in members}
    untagged = dict.fromkeys(invoiced, ZERO)
    first_invoice: dict[tuple[str, int], Transaction] = {}
    first_payment: dict[tuple[str, int], Transaction] = {}
    balance = unattributed = ZERO
    problems: list[Problem] = []
    for t in transactions:
        if until is not None and t.date > until:
            continue
        is_invoice = False
        for p in t.postings:
            code = by_account.get(p.account)
            if code is None:
                continue
            is_invoice = True
            year = _fee_year(t.posting_tags(p))
            if year is not None:
                fees = invoiced[code]
                fees[year] = fees.get(year, ZERO) - p.amount
                _keep_first(first_invoice, (code, year), t)
        for p in t.postings:
            if not covers(receivable, p.account):
                continue
            balance += p.amount
            if is_invoice or not p.amount:
                continue
            tags = t.posting_tags(p)
            code = tags.get(MEMBER_TAG, "").strip()
            if code not in invoiced:
                unattributed += p.amount
                problems.append(_no_members(t, p, receivable, code))
                continue
            year = _fee_year(tags)
            if year is None:
                untagged[code] -= p.amount
            else:
                paid = tagged[code]
                paid[year] = paid.get(year, ZERO) - p.amount
                _keep_first(first_payment, (code, year), t)

    fees_out: list[FeeBalance] = []
    credits: list[Credit] = []
    for m in members:
        paid, credit = _settle(invoiced[m.code], tagged[m.code], untagged[m.code])
        for year in sorted(paid):
            fee = invoiced[m.code].get(year, ZERO)
            if not fee and not paid[year] and (m.code, year) not in first_invoice:
                continue  # paid ahead with a year's tag: part of the credit
            t = first_invoice.get((m.code, year)) or first_payment[(m.code, year)]
            fees_out.append(
                FeeBalance(year, m.code, m.name, fee, paid[year], t.date, t.file, t.line)
            )
        if credit:
            credits.append(Credit(m.code, m.name, credit))
    return Receivables(
        until, tuple(fees_out), tuple(credits), balance, unattributed, tuple(problems)
    )


def _keep_first(
    first: dict[tuple[str, int], Transaction], key: tuple[str, int], t: Transaction
) -> None:
    """The earliest transaction for `key` (the first in the books among those of a day)."""
    if key not in first or t.date < first[key].date:
        first[key] = t


def _no_members(t: Transaction, p: Posting, receivable: Account, code: str) -> Problem:
    what = f"kommun:{code} is no member's" if code else "it has no kommun: tag"
    return Problem(
        t.file,
        p.line,
        f"a payment on {receivable} that pays no member's fee: {what}",
        hint="tag the payment kommun:CODE with the member's code from sodertorn.toml",
        severity="warning",
    )


def _settle(
    invoiced: Mapping[int, Decimal], tagged: Mapping[int, Decimal], untagged: Decimal
) -> tuple[dict[int, Decimal], Decimal]:
    """What is paid of each year's fee, and the credit left: `tagged` payments by year,
    `untagged` ones without a year (the rule: `compute_receivables`)."""
    years = sorted(invoiced.keys() | tagged.keys())
    paid: dict[int, Decimal] = {}
    ahead = ZERO  # paid with a year's tag beyond that year's fee: for the years after it
    for year in years:
        given = tagged.get(year, ZERO) + ahead
        ahead = max(given - max(invoiced.get(year, ZERO), ZERO), ZERO)
        paid[year] = given - ahead
    pool = untagged
    if pool > ZERO:  # the oldest open fees first
        for year in years:
            take = min(max(invoiced.get(year, ZERO) - paid[year], ZERO), pool)
            paid[year] += take
            pool -= take
    credit = ahead + pool
    if credit < ZERO:  # refunded beyond the credit: the newest payments back first
        for year in reversed(years):
            back = min(max(paid[year], ZERO), -credit)
            paid[year] -= back
            credit += back
        if credit and years:  # refunded beyond all that was paid: the newest fee owes it
            paid[years[-1]] += credit
            credit = ZERO
    return paid, credit


# --- invoices -----------------------------------------------------------------------------


def books_decimal_mark(texts: Iterable[str]) -> str:
    """The decimal mark the books use: their ``decimal-mark`` directive, else the style of a
    ``commodity`` directive (``1 000,00 kr``), else a point (hledger's default)."""
    import re

    style = ""
    for text in texts:
        for line in text.splitlines():
            if m := re.match(r"decimal-mark\s+([.,])\s*(?:;.*)?$", line):
                return m[1]
            if not style and (m := re.match(r"commodity\s+.*\d([.,])\d+\b", line)):
                style = m[1]
    return style or "."


def kommun_name(name: str) -> str:
    """``Nykvarns kommun``, ``Botkyrka kommun``: the genitive s unless the name ends in a
    vowel or an s sound."""
    if name.casefold().endswith(tuple("aeiouyåäösxz")):
        return f"{name} kommun"
    return f"{name}s kommun"


def invoice_text(
    report: FeeReport,
    receivable: Account,
    date: dt.date,
    *,
    skip: set[str],
    commodity: str,
    decimal_mark: str,
) -> str:
    """One invoice transaction per member not in `skip` (member codes), in journal syntax."""
    blocks: list[str] = []
    # One column for every amount, as the bundled books are laid out.
    width = max([len(receivable)] + [len(line.fee_account) + 4 for line in report.lines] + [48])
    for line in report.lines:
        if line.code in skip:
            continue
        population = format_count(line.population)
        rate = journal_amount(report.rate, commodity, decimal_mark)
        rate = rate.replace(",00 ", " ").replace(".00 ", " ")
        header = (
            f"{date.isoformat()} * {kommun_name(line.name)} | Avgift {report.year}, "
            f"{population} invånare à {rate}  ; {FEE_TAG}:{report.year}, {MEMBER_TAG}:{line.code}"
        )
        debit = journal_amount(line.fee, commodity, decimal_mark)
        credit = journal_amount(-line.fee, commodity, decimal_mark)
        blocks.append(
            "\n".join(
                [
                    header,
                    f"    {receivable:<{width}}{debit:>17}",
                    f"    {line.fee_account:<{width}}{credit:>17}",
                ]
            )
        )
    return "\n\n".join(blocks) + ("\n" if blocks else "")
