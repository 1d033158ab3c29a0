"""The records of an SIE 4 file: what `read.read_sie` returns and `write.write_sie` writes.

Each record keeps the SIE label it comes from in its docstring. Money is `Decimal`,
exact as written (an integer amount stays ``Decimal("100")``); account numbers, voucher
series and numbers and object codes are strings (``0027`` keeps its zero); dimension
numbers and year numbers (#RAR: 0 this year, -1 the year before …) are integers.

How rows are counted (§11 #RTRANS and #BTRANS of the spec):
- a #TRANS is a row of its voucher (`Voucher.rows`);
- an #RTRANS (a row added after the voucher was first booked) is always followed by an
  identical #TRANS (same account, objects and amount) for readers that do not know
  #RTRANS: the pair is one row, with ``added=True``; an #RTRANS without that copy is
  still a row (and a warning);
- a #BTRANS (a struck row) is not counted: it is kept in `Voucher.struck`, for the record.
A voucher with no counted rows (``{`` and ``}`` with nothing between, or every row
struck) is still a voucher: it is read, counted among the vouchers, balances (the sum of
nothing is zero) and has ``rows == ()``. Programs write such vouchers to keep a number
of a series that was voided, so it is no problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from sodertorn_ledger.money import EXACT, ZERO

AccountType = Literal["T", "S", "I", "K"]
"""#KTYP: T tillgång (asset), S skuld (liability or equity), I intäkt, K kostnad."""
ACCOUNT_TYPES: tuple[AccountType, ...] = ("T", "S", "I", "K")

ObjectRef = tuple[int, str]
"""An object of a dimension: ``(6, "A1010")`` is object A1010 of dimension 6 (projekt)."""

YearAccount = tuple[int, str]
"""A balance's key: the year number of #RAR (0, -1, …) and the account number."""

_NONE: Mapping[Any, Any] = MappingProxyType({})


class FiscalYear(NamedTuple):
    """#RAR årsnr start slut: a fiscal year (not necessarily a calendar year)."""

    start: dt.date
    end: dt.date


class Row(NamedTuple):
    """#TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign."""

    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal
    date: dt.date | None = None
    """transdat; None when not written (the voucher's date applies)."""
    text: str = ""
    quantity: Decimal | None = None
    signature: str = ""
    added: bool = False
    """True for a row added later (#RTRANS with its #TRANS copy); never set on struck rows."""
    line: int = 0
    """The line read (of the #TRANS, or of a lone #RTRANS); 0 for a row not read from a file."""


class Voucher(NamedTuple):
    """#VER serie vernr verdatum vertext regdatum sign, then its rows between ``{`` and ``}``."""

    series: str
    number: str
    date: dt.date
    text: str = ""
    rows: tuple[Row, ...] = ()
    """The counted rows (see the module's docstring); they sum to zero, or the reader
    reported the voucher as unbalanced."""
    struck: tuple[Row, ...] = ()
    """#BTRANS: rows struck after booking, not counted."""
    registered: dt.date | None = None
    signature: str = ""
    line: int = 0


class SieFile(NamedTuple):
    """An SIE 4 file's contents. Mappings keep the order of the file.

    Labels that are read but not kept (so not written either): #ADRESS, #BKOD, #OMFATTN,
    #SRU, #ENHET, #UNDERDIM, #OIB, #OUB, #PSALDO, #PBUDGET; the quantity of #IB, #UB and
    #RES. Labels this reader does not know are ignored, as §7 of the spec asks.
    """

    flag: int = 0
    """#FLAGGA: 1 when the file has already been imported somewhere."""
    program: str = ""
    """#PROGRAM programnamn (the version is `program_version`)."""
    program_version: str = ""
    format: str = "PC8"
    """#FORMAT as written; PC8 (code page 437) is the only one the spec allows."""
    generated: dt.date | None = None
    """#GEN datum (the signature is `generated_by`)."""
    generated_by: str = ""
    sie_type: int | None = 4
    """#SIETYP: 1 year balances, 2 period balances, 3 object balances, 4 vouchers."""
    prosa: str = ""
    """#PROSA: a free comment."""
    company_type: str = ""
    """#FTYP (AB, E, HB, KB, EK, KHF, BRF, BF, SF, I, S, FL, BAB, MB, SB, BFL, FAB, OFB, SE,
    SCE, TSF, X)."""
    company_id: str = ""
    """#FNR: the company's code in the program that wrote the file."""
    orgnr: str = ""
    """#ORGNR: organisationsnummer."""
    company_name: str = ""
    """#FNAMN."""
    tax_year: int | None = None
    """#TAXAR: the tax year (taxeringsår) the file's figures are for."""
    chart_type: str = ""
    """#KPTYP: the chart of accounts (BAS95, BAS96, EUBAS97, NE2007, …)."""
    currency: str = ""
    """#VALUTA: the currency of every amount (SEK when not written)."""
    years: Mapping[int, FiscalYear] = _NONE
    """#RAR: year number (0 this year, -1 the year before …) to its dates."""
    accounts: Mapping[str, str] = _NONE
    """#KONTO: account number to its name."""
    account_types: Mapping[str, AccountType] = _NONE
    """#KTYP: account number to T, S, I or K."""
    dims: Mapping[int, str] = _NONE
    """#DIM: dimension number to its name (1 kostnadsställe, 6 projekt, …)."""
    objects: Mapping[ObjectRef, str] = _NONE
    """#OBJEKT: (dimension, object code) to the object's name."""
    opening: Mapping[YearAccount, Decimal] = _NONE
    """#IB: (year number, account) to the opening balance."""
    closing: Mapping[YearAccount, Decimal] = _NONE
    """#UB: (year number, account) to the closing balance."""
    results: Mapping[YearAccount, Decimal] = _NONE
    """#RES: (year number, account) to the year's result on a result account."""
    vouchers: tuple[Voucher, ...] = ()
    checksum: int | None = None
    """#KSUMMA as the file declares it (None without one)."""
    checksum_computed: int | None = None
    """#KSUMMA as computed over the file's records (None without an opening #KSUMMA)."""


def account_sums(vouchers: Iterable[Voucher]) -> dict[str, Decimal]:
    """The sum of the counted rows of each account, in the order accounts first appear."""
    sums: dict[str, Decimal] = {}
    for voucher in vouchers:
        for row in voucher.rows:
            sums[row.account] = EXACT.add(sums.get(row.account, ZERO), row.amount)
    return sums


def voucher_total(voucher: Voucher) -> Decimal:
    """The sum of a voucher's counted rows: zero when it balances."""
    total = ZERO
    for row in voucher.rows:
        total = EXACT.add(total, row.amount)
    return total


def year_number(years: Mapping[int, FiscalYear], day: dt.date) -> int | None:
    """The #RAR year number whose dates hold `day`, or None."""
    for number, year in years.items():
        if year.start <= day <= year.end:
            return number
    return None


def without_lines(sie: SieFile) -> SieFile:
    """The same records with every line number 0: two readings compared by content."""
    return sie._replace(
        vouchers=tuple(
            voucher._replace(
                line=0,
                rows=tuple(row._replace(line=0) for row in voucher.rows),
                struck=tuple(row._replace(line=0) for row in voucher.struck),
            )
            for voucher in sie.vouchers
        )
    )
