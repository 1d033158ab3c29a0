"""The fee rule: each member pays the year's rate × its folkmängd on 31 December of the
year before, as SCB publishes it.

Everything here is pure: members, rate, population table and the books' transactions in;
the fee report, or the invoice transactions to append, out.

Sign conventions: fee income is negative in the books (hledger), so what is *booked* for a
member is the negated sum of its fee account's postings in transactions tagged
``avgift:YEAR``. The *difference* is booked − fee: zero when the books match the rule,
negative while a fee is not yet invoiced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING, NamedTuple

from sodertorn_ledger.journal.model import ZERO, Account, Posting, Transaction
from sodertorn_ledger.money import EXACT, format_count, journal_amount
from sodertorn_ledger.population.model import Figure, PopulationTable
from sodertorn_ledger.problems import Problem

if TYPE_CHECKING:
    from sodertorn_ledger.journal.model import Journal
    from sodertorn_ledger.settings import Member, Settings

FEE_TAG = "avgift"
MEMBER_TAG = "kommun"


class FeeLine(NamedTuple):
    code: str
    name: str
    fee_account: Account
    figure: Figure
    fee: Decimal
    booked: Decimal

    @property
    def population(self) -> int:
        return self.figure.population

    @property
    def difference(self) -> Decimal:
        return EXACT.subtract(self.booked, self.fee)


class FeeReport(NamedTuple):
    year: int
    population_date: dt.date
    rate: Decimal
    lines: tuple[FeeLine, ...]

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
) -> tuple[FeeReport | None, list[Problem]]:
    """The fee of every member for `year`; a member without a figure is a problem."""
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
            )
        )
    if problems:
        # One hint after the list: where the missing figures go.
        problems[-1] = problems[-1]._replace(
            hint=f"put SCB's file with folkmängd 31 december {date.year} (table BE0101N1) "
            f"in {folder}",
        )
        return None, problems
    return FeeReport(year, date, rate, tuple(lines)), []


def fees_for_year(
    journal: Journal, settings: Settings, table: PopulationTable, year: int, *, folder: str
) -> tuple[FeeReport | None, list[Problem]]:
    """The fees of `year` as the books and settings have them: the year's rate × each
    member's folkmängd, against what the books have booked; None with the problems when the
    rate or a member's figure is missing."""
    from sodertorn_ledger.settings import SettingsError

    try:
        rate = settings.fee_rate(year)
    except SettingsError as err:
        return None, err.problems
    accounts = [m.fee_account for m in settings.members]
    booked = booked_fees(journal.transactions, year, accounts)
    return compute_fees(year, settings.members, rate, table, booked, folder=folder)


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
