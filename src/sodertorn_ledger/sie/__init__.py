"""SIE 4 (SIE filformat utgåva 4B, 2008-09-30, sie.se): the format every Swedish
accounting program exchanges books in. The format only, not the books.

`model` holds the records (`SieFile`, `Voucher`, `Row`, `FiscalYear`), `read` reads a
file (`read_sie`, or `parse_sie` for bytes already read), `write` writes one
(`write_sie`); the lexical rules and #KSUMMA both share are in `syntax`, the character
set (PC8, code page 437) in `charset`. Both directions report what is wrong as
`problems.Problem` values with the line of the file, never as exceptions.
"""

from sodertorn_ledger.sie.model import (
    FiscalYear,
    Row,
    SieFile,
    Voucher,
    account_sums,
    voucher_total,
    year_number,
)
from sodertorn_ledger.sie.read import parse_sie, read_sie, with_source_lines
from sodertorn_ledger.sie.write import write_sie

__all__ = [
    "FiscalYear",
    "Row",
    "SieFile",
    "Voucher",
    "account_sums",
    "parse_sie",
    "read_sie",
    "voucher_total",
    "with_source_lines",
    "write_sie",
    "year_number",
]
