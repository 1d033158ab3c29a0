"""Writing a `SieFile` as SIE 4: the bytes of the file, and what could not be kept as given.

The file is PC8 (code page 437) with CRLF line ends (as the programs that read SIE
write it), its records in the order of §5.12 of the spec, and a #KSUMMA. Text PC8
cannot hold is spelled in characters it has (``–`` as ``-``, ``€`` as ``EUR``, ``ł`` as
``?``), a control character (TAB, a line break) becomes a space, and a backslash that
would end a quoted field becomes ``/``: each change is a warning with its line. What
cannot be written without changing the books (an amount with more than two decimals,
an unbalanced voucher, a row without an account) is an error, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sodertorn_ledger.money import ZERO
from sodertorn_ledger.problems import Problem
from sodertorn_ledger.sie.charset import PC8, Change, choose_encoding, to_pc8
from sodertorn_ledger.sie.model import (
    ACCOUNT_TYPES,
    ObjectRef,
    Row,
    SieFile,
    Voucher,
    voucher_total,
)
from sodertorn_ledger.sie.syntax import (
    MAX_LINE,
    checksum_update,
    format_amount,
    format_date,
    format_quantity,
    needs_quotes,
    quote,
)

FieldValue = str | tuple[ObjectRef, ...]
"""A field to write: a value, or an object list."""


def write_sie(
    sie: SieFile, name: str = "<sie>", *, checksum: bool = True
) -> tuple[bytes | None, list[Problem]]:
    """The SIE 4 file of `sie` (None when it cannot be written) and the problems, each at
    its line of the file; `name` is how they name the file. `sie.format`, `sie.checksum`
    and `sie.checksum_computed` are not written: the file is PC8, and its #KSUMMA is
    computed (left out with ``checksum=False``)."""
    writer = _Writer(name, checksum=checksum)
    writer.write(sie)
    data = writer.data()
    if choose_encoding(data) != PC8:
        writer.read_as_utf8()
    if any(problem.severity == "error" for problem in writer.problems):
        return None, writer.problems
    return data, writer.problems


class _Writer:
    """The lines written so far, their checksum and the problems."""

    __slots__ = ("crc", "lines", "name", "problems")

    def __init__(self, name: str, *, checksum: bool) -> None:
        self.name = name
        self.lines: list[str] = []
        self.problems: list[Problem] = []
        self.crc: int | None = 0 if checksum else None

    def data(self) -> bytes:
        return "".join(line + "\r\n" for line in self.lines).encode(PC8)

    def error(self, message: str, hint: str = "", line: int | None = None) -> None:
        at = len(self.lines) + 1 if line is None else line
        self.problems.append(Problem(self.name, at, message, hint))

    def read_as_utf8(self) -> None:
        """Readers take a file that is valid UTF-8 for UTF-8 (programs that say PC8 and
        write UTF-8 exist): a file whose characters happen to form UTF-8 is refused."""
        first = next(at for at, line in enumerate(self.lines, 1) if not line.isascii())
        self.error(
            "the file's characters outside ASCII happen to form UTF-8: "
            "SIE readers would read it as UTF-8, not PC8",
            "change the text on this line (box-drawing or Greek characters side by side)",
            line=first,
        )

    # -- one record ------------------------------------------------------------------------

    def text(self, value: str, where: str) -> str:
        """`value` as PC8 can hold it in a field, every change reported."""
        clean, changes = to_pc8(value)
        if clean.endswith("\\") and needs_quotes(clean):
            # A quoted field cannot end in a backslash: \" would read as a quote.
            clean = clean[:-1] + "/"
            changes.append(Change("\\", "/"))
        if changes:
            shown = ", ".join(f"{c.original!r} as {c.replacement!r}" for c in changes)
            self.problems.append(
                Problem(
                    self.name,
                    len(self.lines) + 1,
                    f"{where}: {value!r} cannot be written as it is in SIE; written with {shown}",
                    "SIE files are PC8 (code page 437), with no control characters, and "
                    "a quoted field cannot end in a backslash",
                    severity="warning",
                )
            )
        return clean

    def record(self, label: str, *fields: FieldValue, where: str = "") -> None:
        where = where or label
        parts = [label]
        contents: list[str] = []
        for field in fields:
            if isinstance(field, str):
                clean = self.text(field, where)
                parts.append(quote(clean))
                contents.append(clean)
            else:
                items: list[str] = []
                for dim, code in field:
                    clean = self.text(code, where)
                    items.append(f"{dim} {quote(clean)}")
                    contents += (str(dim), clean)
                parts.append("{" + " ".join(items) + "}")
        line = " ".join(parts)
        if len(line.encode(PC8)) > MAX_LINE:
            self.error(f"{where}: the record is longer than {MAX_LINE} bytes", "shorten its text")
        if self.crc is not None:
            self.crc = checksum_update(self.crc, label, contents, PC8)
        self.lines.append(line)

    def amount(self, amount: Decimal, where: str) -> str:
        text = format_amount(amount)
        if text is None:
            self.error(
                f"{where}: the amount {amount} cannot be written in SIE",
                "SIE holds at most two decimals, and an amount is never rounded",
            )
            return "0.00"
        return text

    def account(self, account: str, where: str) -> str:
        if not account:
            self.error(f"{where}: no account number")
        return account

    def dim(self, dim: int, where: str) -> str:
        if dim < 0:
            self.error(f"{where}: the dimension {dim} is negative")
        return str(dim)

    # -- the file --------------------------------------------------------------------------

    def write(self, sie: SieFile) -> None:
        self.lines.append(f"#FLAGGA {sie.flag}")
        if self.crc is not None:
            self.lines.append("#KSUMMA")
        self.identification(sie)
        self.chart(sie)
        self.balances(sie)
        for voucher in sie.vouchers:
            self.voucher(voucher)
        if self.crc is not None:
            self.lines.append(f"#KSUMMA {self.crc}")

    def identification(self, sie: SieFile) -> None:
        optional = self.optional
        self.record("#PROGRAM", sie.program, sie.program_version)
        self.record("#FORMAT", "PC8")
        if sie.generated is not None:
            sign = (sie.generated_by,) if sie.generated_by else ()
            self.record("#GEN", format_date(sie.generated), *sign)
        if sie.sie_type is not None:
            self.record("#SIETYP", str(sie.sie_type))
        optional("#PROSA", sie.prosa)
        optional("#FTYP", sie.company_type)
        optional("#FNR", sie.company_id)
        optional("#ORGNR", sie.orgnr)
        self.record("#FNAMN", sie.company_name)
        for number, year in sie.years.items():
            self.record("#RAR", str(number), format_date(year.start), format_date(year.end))
        if sie.tax_year is not None:
            self.record("#TAXAR", str(sie.tax_year))
        optional("#KPTYP", sie.chart_type)
        optional("#VALUTA", sie.currency)

    def optional(self, label: str, value: str) -> None:
        if value:
            self.record(label, value)

    def chart(self, sie: SieFile) -> None:
        for account, name in sie.accounts.items():
            where = f"#KONTO {account}"
            self.record("#KONTO", self.account(account, where), name, where=where)
        for account, kind in sie.account_types.items():
            where = f"#KTYP {account}"
            if kind not in ACCOUNT_TYPES:
                self.error(f"{where}: the type {kind!r} is not T, S, I or K")
            self.record("#KTYP", self.account(account, where), kind, where=where)
        for dim, name in sie.dims.items():
            self.record("#DIM", self.dim(dim, f"#DIM {dim}"), name, where=f"#DIM {dim}")
        for (dim, code), name in sie.objects.items():
            where = f"#OBJEKT {dim} {code}"
            self.record("#OBJEKT", self.dim(dim, where), code, name, where=where)

    def balances(self, sie: SieFile) -> None:
        for label, table in (("#IB", sie.opening), ("#UB", sie.closing), ("#RES", sie.results)):
            for (year, account), amount in table.items():
                where = f"{label} {year} {account}"
                self.record(
                    label,
                    str(year),
                    self.account(account, where),
                    self.amount(amount, where),
                    where=where,
                )

    def voucher(self, voucher: Voucher) -> None:
        where = f"#VER {voucher.series} {voucher.number}".rstrip()
        total = voucher_total(voucher)
        if total != ZERO:
            self.error(
                f"{where} does not balance: its rows sum to {format(total, 'f')}",
                "the rows of a voucher sum to zero",
            )
        tail = _trim(
            [
                voucher.text,
                "" if voucher.registered is None else format_date(voucher.registered),
                voucher.signature,
            ]
        )
        self.record(
            "#VER", voucher.series, voucher.number, format_date(voucher.date), *tail, where=where
        )
        self.lines.append("{")
        for row in voucher.rows:
            if row.added:
                self.row("#RTRANS", row, where)
            self.row("#TRANS", row, where)
        for row in voucher.struck:
            self.row("#BTRANS", row, where)
        self.lines.append("}")

    def row(self, label: str, row: Row, voucher: str) -> None:
        where = f"{voucher}: {label} {row.account}"
        for dim, _ in row.objects:
            self.dim(dim, where)
        quantity = ""
        if row.quantity is not None:
            written = format_quantity(row.quantity)
            if written is None:
                self.error(f"{where}: the quantity {row.quantity} cannot be written")
            quantity = written or ""
        tail = _trim(
            [
                "" if row.date is None else format_date(row.date),
                row.text,
                quantity,
                row.signature,
            ]
        )
        self.record(
            label,
            self.account(row.account, where),
            row.objects,
            self.amount(row.amount, where),
            *tail,
            where=where,
        )


def _trim(fields: Sequence[str]) -> list[str]:
    """Optional trailing fields without the empty ones at the end."""
    out = list(fields)
    while out and not out[-1]:
        out.pop()
    return out
