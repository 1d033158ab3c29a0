"""Synthetic books for the benchmark: N transactions shaped like the office's real books.

The books look like the bundled ones, only longer: a main file with an ``account``
directive for every account and one ``include`` per year, and one file per year with
fee invoices and payments per member municipality, salaries, supplier invoices and
payments (projects tagged ``projekt:``), the other funds' movements, comments, an
occasional balance assertion on the bank account and, at the end of every year but the
last, the year-end close of the income and cost accounts into the funds.

Two styles: ``plain`` (``1234.50 SEK``), which ledger-cli, hledger and ours all read,
and ``sv`` (``1 234,50 kr`` under ``decimal-mark ,``), which hledger and ours read.

Deterministic: the same (n, style, seed) gives the same bytes, on every run and machine.
The generator streams year by year, so memory stays flat however large N is, and it
keeps every account's exact balance (integer öre) so a caller can check what the tools
report against what was written.

Run ``python -m bench.generate --help``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Style = Literal["plain", "sv"]
STYLES: tuple[Style, ...] = ("plain", "sv")

DEFAULT_SEED = 2020
LAST_YEAR = 2020
"""The books end with the bundled books' year, so the bundled settings fit them too."""
TRANSACTIONS_PER_YEAR = 5_000
"""Roughly what a larger organisation books in a year; sets how many yearly files N makes."""
MAX_YEARS = 25

# The eight members: SCB kommunkod, name, and the 2020 fee in whole kronor
# (4 kr x folkmängd 2019-12-31, DOMAIN.md); invoices vary around it.
MEMBERS: tuple[tuple[str, str, int], ...] = (
    ("0127", "Botkyrka", 378_424),
    ("0136", "Haninge", 368_380),
    ("0126", "Huddinge", 451_392),
    ("0140", "Nykvarn", 44_056),
    ("0192", "Nynäshamn", 114_300),
    ("0128", "Salem", 67_000),
    ("0181", "Södertälje", 395_916),
    ("0138", "Tyresö", 193_332),
)

# The accounts are those of the bundled books (ledger/main.journal), so the bundled
# settings (ledger/sodertorn.toml) describe the synthetic books as well.
BANK = "tillgångar:bank"
RECEIVABLES = "tillgångar:kundfordringar"
PAYABLES = "skulder:leverantörsskulder"
TAX = "skulder:skatteverket"
HOLIDAY_DEBT = "skulder:semesterlöneskuld"
SALARIES = "kostnader:drift:personal:löner"
EMPLOYER_FEES = "kostnader:drift:personal:arbetsgivaravgifter"
PENSION = "kostnader:drift:personal:pension"
HOLIDAY_PAY = "kostnader:drift:personal:semesterlöner"
PROJECT_COSTS = "kostnader:drift:projekt"
DRIFT_RESULT = "fonder:drift från {year}"

# The funds besides the operating one: (key, display name). Each has its equity account
# fonder:KEY and its own intäkter:KEY and kostnader:KEY, as in the bundled books.
FUNDS: tuple[tuple[str, str], ...] = (
    ("södertörnsmodellen", "Södertörnsmodellen"),
    ("kommunikationsprojekt", "Kommunikationsprojekt"),
    ("södertörnskonferensen", "Södertörnskonferensen"),
    ("bidrag från tillväxtverket", "Bidrag från Tillväxtverket"),
)
OPENING_FUNDS: tuple[tuple[str, int], ...] = (
    ("fonder:södertörnsmodellen", 52_130_685),
    ("fonder:bidrag från tillväxtverket", 27_779_300),
)

# Cost lines of the operating fund (besides personnel and projects), as in the
# published Drift table: account, its suppliers, a typical invoice in öre.
COST_LINES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("kostnader:drift:tele och it", ("Telia Sverige AB", "Tele2 Sverige AB"), 45_740),
    ("kostnader:drift:resor och logi", ("SL", "SJ AB", "Scandic Hotels AB"), 16_500),
    ("kostnader:drift:representation", ("Balingsholms gård", "Restaurang Kvarnen"), 760_000),
    ("kostnader:drift:program och licenser", ("Zoom Video Communications",), 83_150),
    ("kostnader:drift:övriga avgifter", ("Swedbank",), 2_900),
    ("kostnader:drift:övriga konsulter", ("Kommunikationsbyrån Södertörn AB",), 1_093_800),
    (
        "kostnader:drift:övriga kostnader",
        ("Staples Sverige AB", "Tryckeriet i Huddinge AB"),
        143_750,
    ),
)

# Projects paid from the operating fund: tag value (no comma: hledger ends a tag value
# at one), supplier, description. "{year}" is filled in.
PROJECTS: tuple[tuple[str, str, str], ...] = (
    ("Näringslivsanalyser Great", "Great", "Näringslivsanalys Södertörn"),
    ("Bisnode analys {year}", "Bisnode Sverige AB", "Analys av Södertörns näringsliv {year}"),
    ("Produktion kartor", "Details", "Produktion av kartor över infrastrukturen"),
    ("Systemanalys {year}", "Regionanalys AB", "Systemanalys av Södertörn"),
)

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip

WHOLE_LINE_COMMENTS = (
    "; Avstämt mot kontoutdrag.",
    "# Underlagen finns i pärmen för månaden.",
    "; Kontrollerat av kassören.",
)


def _kommun(name: str) -> str:
    """The municipality by its Swedish name: "Botkyrka kommun", "Salems kommun"."""
    return f"{name}{'' if name[-1] in 'aeiouyåäö' else 's'} kommun"


def accounts_for(first_year: int, last_year: int) -> dict[str, str]:
    """Every account of books spanning the years, with the comment its directive carries.

    Parents are declared with hledger's account type tags, as in the bundled books; only
    leaf accounts ever get postings.
    """
    accounts: dict[str, str] = {
        "tillgångar": "Tillgångar type:A",
        BANK: "Bankkonto, all money of the cooperation",
        RECEIVABLES: "Avgifter fakturerade men inte betalda",
        "skulder": "Skulder type:L",
        PAYABLES: "Leverantörsfakturor att betala",
        TAX: "Källskatt och arbetsgivaravgifter att betala",
        HOLIDAY_DEBT: "Intjänad semesterlön som inte tagits ut",
        "fonder": "Ändamålsbestämda medel type:E",
    }
    for key, name in FUNDS:
        accounts[f"fonder:{key}"] = f"Medel för {name}"
    for year in range(last_year - 1, first_year - 1, -1):
        accounts[DRIFT_RESULT.format(year=year)] = (
            f"Överskott från driften {year}, fond:Södertörnssamarbetet drift från {year}"
        )
    accounts["intäkter"] = "Intäkter type:R"
    accounts["intäkter:drift"] = "Driftens intäkter"
    accounts["intäkter:drift:avgifter"] = "Kommunernas avgifter, 4 kr per invånare"
    for code, name, _ in MEMBERS:
        accounts[f"intäkter:drift:avgifter:{name.lower()}"] = f"Avgift från {name} ({code})"
    for key, name in FUNDS:
        accounts[f"intäkter:{key}"] = f"Intäkter till {name}"
    accounts["kostnader"] = "Kostnader type:X"
    accounts["kostnader:drift"] = "Driftens kostnader"
    accounts["kostnader:drift:personal"] = "Personalkostnader"
    accounts[SALARIES] = "Bruttolöner"
    accounts[EMPLOYER_FEES] = "Lagstadgade arbetsgivaravgifter"
    accounts[PENSION] = "Tjänstepension"
    accounts[HOLIDAY_PAY] = "Förändring av semesterlöneskulden"
    for account, _, _ in COST_LINES:
        accounts[account] = account.rsplit(":", 1)[1].capitalize()
    accounts[PROJECT_COSTS] = "Projekt som bekostas av driften, tagg projekt"
    for key, name in FUNDS:
        accounts[f"kostnader:{key}"] = f"Kostnader för {name}"
    return accounts


def _format_plain(ore: int, whole: bool) -> str:
    sign = "-" if ore < 0 else ""
    kr, cents = divmod(abs(ore), 100)
    return f"{sign}{kr}.{cents:02d} SEK"


def _format_sv(ore: int, whole: bool) -> str:
    sign = "-" if ore < 0 else ""
    kr, cents = divmod(abs(ore), 100)
    grouped = f"{kr:,}".replace(",", " ")
    if whole and cents == 0:
        return f"{sign}{grouped} kr"
    return f"{sign}{grouped},{cents:02d} kr"


FORMATTERS: dict[Style, Callable[[int, bool], str]] = {"plain": _format_plain, "sv": _format_sv}


@dataclass
class Books:
    """What was written: where, how much, and every account's exact balance in öre."""

    main: Path
    style: Style
    seed: int
    transactions: int = 0
    postings: int = 0
    assertions: int = 0
    files: list[Path] = field(default_factory=list)
    bytes_written: int = 0
    balances: dict[str, int] = field(default_factory=dict)

    def nonzero_balances(self) -> dict[str, int]:
        return {a: b for a, b in sorted(self.balances.items()) if b != 0}


def plan_years(n: int, years: int | None = None) -> list[int]:
    """The years the books span: about TRANSACTIONS_PER_YEAR a year, at least two."""
    if years is None:
        years = min(MAX_YEARS, max(2, math.ceil(n / TRANSACTIONS_PER_YEAR)))
    if years < 1:
        raise ValueError("years must be at least 1")
    if n < 20 * years:
        raise ValueError(f"{n} transactions are too few for {years} yearly files")
    return list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))


class _Writer:
    """Builds one year's transactions as text; keeps the running balances exact."""

    def __init__(self, rng: random.Random, style: Style, books: Books) -> None:
        self.rng = rng
        self.fmt = FORMATTERS[style]
        self.books = books
        self.balances = books.balances
        self.year_balances: dict[str, int] = {}
        self.voucher = 0
        self.bank_touches = 0

    def _post(self, account: str, ore: int) -> None:
        self.balances[account] = self.balances.get(account, 0) + ore
        self.year_balances[account] = self.year_balances.get(account, 0) + ore

    def header(self, date: str, description: str, comment: str = "") -> str:
        rng = self.rng
        self.voucher += 1
        r = rng.random()
        status = "* " if r < 0.7 else ("! " if r < 0.72 else "")
        code = f"(V{self.voucher}) " if rng.random() < 0.3 else ""
        tail = f"  ; {comment}" if comment else ""
        return f"{date} {status}{code}{description}{tail}\n"

    def line(
        self,
        account: str,
        ore: int | None,
        *,
        shown: int = 0,
        whole: bool = False,
        comment: str = "",
        assertion: bool = False,
    ) -> str:
        """A posting line; ``ore=None`` leaves the amount out (hledger infers ``shown``)."""
        self.books.postings += 1
        amount = shown if ore is None else ore
        self._post(account, amount)
        text = f"    {account}"
        if ore is not None:
            text += "  " + self.fmt(ore, whole)
            if assertion:
                self.books.assertions += 1
                text += " = " + self.fmt(self.balances[account], False)
        if comment:
            text += f"  ; {comment}"
        return text + "\n"

    def bank_line(self, ore: int, *, elide: bool) -> str:
        # Every 40th movement of the bank states the balance, as when reconciling a statement.
        self.bank_touches += 1
        if elide and self.bank_touches % 40:
            return self.line(BANK, None, shown=ore)
        return self.line(BANK, ore, assertion=self.bank_touches % 40 == 0)

    def amount(self, typical_ore: int) -> int:
        """A positive amount around `typical_ore`, in öre, sometimes whole kronor."""
        rng = self.rng
        ore = max(100, typical_ore * (200 + int(rng.random() * 1600)) // 1000)
        if rng.random() < 0.4:
            ore -= ore % 100
        return ore

    def settle(self, account: str, sign: int) -> int:
        """A payment of 20-100 % of what is outstanding on `account` (at least 1 kr)."""
        outstanding = sign * self.balances.get(account, 0)
        share = 20 + int(self.rng.random() * 81)
        return max(100, outstanding * share // 100)

    def transaction(self, year: int, date: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.14:  # fee invoice to a member
            code, name, kronor = MEMBERS[int(rng.random() * len(MEMBERS))]
            ore = (kronor // 5 + int(rng.random() * 200) - 100) * 100
            account = f"intäkter:drift:avgifter:{name.lower()}"
            return (
                self.header(date, f"{_kommun(name)} | Avgift {year}, delfaktura", f"avgift:{year}")
                + self.line(RECEIVABLES, ore, whole=True, comment=f"kommun:{code}")
                + self.line(account, -ore, whole=True)
            )
        if r < 0.26:  # a member pays (part of) what is owed
            code, name, _ = MEMBERS[int(rng.random() * len(MEMBERS))]
            ore = self.settle(RECEIVABLES, 1)
            return (
                self.header(date, f"{_kommun(name)} | Inbetalning avgift {year}", f"kommun:{code}")
                + self.bank_line(ore, elide=False)
                + self.line(RECEIVABLES, None, shown=-ore)
            )
        if r < 0.36:  # salary: gross pay and employer fees; tax withheld; net from the bank
            gross = self.amount(3_000_000)
            fees = gross * 3142 // 10000
            tax = gross * 3 // 10
            month = MONTHS[int(date[5:7]) - 1]
            return (
                self.header(date, f"Löner {month} {year}")
                + self.line(SALARIES, gross)
                + self.line(EMPLOYER_FEES, fees)
                + self.line(TAX, -(tax + fees))
                + self.bank_line(tax - gross, elide=True)
            )
        if r < 0.40:  # taxes and fees paid to Skatteverket
            ore = self.settle(TAX, -1)
            return (
                self.header(date, "Skatteverket | Skatter och avgifter")
                + self.line(TAX, ore)
                + self.bank_line(-ore, elide=True)
            )
        if r < 0.42:  # pension premium, holiday pay owed
            ore = self.amount(1_200_000)
            return (
                self.header(date, "Pensionsbolaget | Tjänstepension och semesterlöneskuld")
                + self.line(PENSION, ore)
                + self.line(HOLIDAY_PAY, ore // 4)
                + self.line(HOLIDAY_DEBT, -(ore // 4))
                + self.bank_line(-ore, elide=False)
            )
        if r < 0.66:  # supplier invoice on a drift cost line
            account, suppliers, typical = COST_LINES[int(rng.random() * len(COST_LINES))]
            supplier = suppliers[int(rng.random() * len(suppliers))]
            ore = self.amount(typical)
            invoice = 10_000 + int(rng.random() * 90_000)
            return (
                self.header(date, f"{supplier} | Faktura {invoice}")
                + self.line(account, ore)
                + self.line(PAYABLES, -ore)
            )
        if r < 0.71:  # project invoice, tagged with its project
            tag, supplier, what = PROJECTS[int(rng.random() * len(PROJECTS))]
            ore = self.amount(2_250_000)
            description = f"{supplier} | {what.format(year=year)}"
            return (
                self.header(date, description, f"projekt:{tag.format(year=year)}")
                + self.line(PROJECT_COSTS, ore, whole=True)
                + self.line(PAYABLES, -ore, whole=True)
            )
        if r < 0.91:  # paying suppliers
            ore = self.settle(PAYABLES, -1)
            return (
                self.header(date, "Leverantörsbetalningar | Bankgiro")
                + self.line(PAYABLES, ore)
                + self.bank_line(-ore, elide=False)
            )
        # the other funds' own income and costs
        key, name = FUNDS[int(rng.random() * len(FUNDS))]
        if rng.random() < 0.4:
            ore = self.amount(505_000)
            code, member, _ = MEMBERS[int(rng.random() * len(MEMBERS))]
            return (
                self.header(date, f"{_kommun(member)} | Medel till {name}", f"kommun:{code}")
                + self.bank_line(ore, elide=False)
                + self.line(f"intäkter:{key}", -ore)
            )
        ore = self.amount(145_000)
        return (
            self.header(date, f"Kommunikationsbyrån Södertörn AB | Arbete för {name}")
            + self.line(f"kostnader:{key}", ore, comment=f"fond:{name}")
            + self.bank_line(-ore, elide=True)
        )

    def opening(self, date: str) -> str:
        """The first day: the funds' opening balances, all held in the bank."""
        text = self.header(date, f"Ingående balans {date[:4]}")
        total = sum(ore for _, ore in OPENING_FUNDS)
        self.bank_touches = 39  # so that the opening balance is asserted
        text += self.bank_line(total, elide=False)
        for account, ore in OPENING_FUNDS:
            text += self.line(account, -ore)
        return text

    def close(self, year: int) -> str:
        """The year-end close (bokslut:YEAR, on 31 December): each fund's income and costs
        to zero, the result into the fund; the operating fund's into a fund of its own."""
        text = self.header(
            f"{year}-12-31", f"Bokslut {year} | Årets resultat till fonderna", f"bokslut:{year}"
        )
        results: dict[str, int] = {}
        for account in sorted(self.year_balances):
            ore = self.year_balances[account]
            kind, _, rest = account.partition(":")
            if ore == 0 or kind not in ("intäkter", "kostnader"):
                continue
            key = rest.split(":", 1)[0]
            fund = DRIFT_RESULT.format(year=year) if key == "drift" else f"fonder:{key}"
            results[fund] = results.get(fund, 0) + ore
            text += self.line(account, -ore)
        for fund, ore in results.items():
            if ore:
                text += self.line(fund, ore)
        self.year_balances = {}
        return text


def _days(year: int) -> list[str]:
    first = dt.date(year, 1, 1)
    count = (dt.date(year + 1, 1, 1) - first).days
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(count)]


def write_books(
    folder: Path, n: int, style: Style, *, seed: int = DEFAULT_SEED, years: int | None = None
) -> Books:
    """Write books of exactly `n` transactions into the new `folder`; return what was written.

    The folder must not exist: the books are written into a temporary sibling folder and
    renamed into place, so a reader never sees half-written books.
    """
    if style not in FORMATTERS:
        raise ValueError(f"unknown style {style!r} (expected one of {', '.join(STYLES)})")
    span = plan_years(n, years)
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        books = _write_into(tmp, n, style, seed, span)
        if folder.exists():
            raise FileExistsError(str(folder))
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    books.main = folder / books.main.name
    books.files = [folder / f.name for f in books.files]
    return books


def _write_into(folder: Path, n: int, style: Style, seed: int, span: list[int]) -> Books:
    rng = random.Random(f"sodertorn-ledger bench {seed}")
    main = folder / "main.journal"
    books = Books(main=main, style=style, seed=seed)
    writer = _Writer(rng, style, books)
    first, last = span[0], span[-1]
    decimal_mark = "decimal-mark ,\n" if style == "sv" else ""

    head = [
        f"; Syntetisk bokföring för prestandatest: {n} transaktioner, {first}–{last}.\n",
        f"; Genererad av bench/generate.py (stil {style}, frö {seed}); redigera inte.\n\n",
        decimal_mark,
        "commodity 1 000,00 kr\n\n" if style == "sv" else "commodity SEK\n\n",
    ]
    for account, comment in accounts_for(first, last).items():
        head.append(f"account {account}  ; {comment}\n")
    head.append("\n")
    head.extend(f"include {year}.journal\n" for year in span)
    books.bytes_written += _write_text(main, "".join(head))
    books.files.append(main)

    # Every year gets its share; the opening and the closes count towards n.
    regular = n - 1 - (len(span) - 1)
    per_year = [
        regular // len(span) + (1 if i < regular % len(span) else 0) for i in range(len(span))
    ]
    for index, year in enumerate(span):
        path = folder / f"{year}.journal"
        books.files.append(path)
        days = _days(year)
        count = per_year[index]
        with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            chunk: list[str] = [f"; Bokföring {year}\n", decimal_mark, "\n"]
            if year == first:
                chunk.append(writer.opening(days[0]) + "\n")
                books.transactions += 1
            for i in range(count):
                date = days[i * len(days) // count]
                if i % 97 == 0:
                    chunk.append(WHOLE_LINE_COMMENTS[i % len(WHOLE_LINE_COMMENTS)] + "\n")
                chunk.append(writer.transaction(year, date) + "\n")
                if len(chunk) >= 4096:
                    handle.write("".join(chunk))
                    chunk.clear()
            books.transactions += count
            if year != last:
                chunk.append(writer.close(year))
                books.transactions += 1
            handle.write("".join(chunk))
        books.bytes_written += path.stat().st_size
    return books


def _write_text(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Write synthetic books of N transactions (yearly files joined by include).",
    )
    parser.add_argument("n", type=int, help="number of transactions, e.g. 100000")
    parser.add_argument("folder", type=Path, help="new folder to write the books into")
    parser.add_argument("--style", choices=STYLES, default="plain")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        books = write_books(args.folder, args.n, args.style, seed=args.seed)
    except (ValueError, OSError) as error:
        print(f"generate: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"{books.main}: {books.transactions} transactions, {books.postings} postings, "
        f"{len(books.files)} files, {books.bytes_written / 1e6:.1f} MB in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
