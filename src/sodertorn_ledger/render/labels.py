"""What every renderer shows the same way: footnote markers, account labels, dates, the
notes under a table and the rule for zero cells.

The terminal, the JSON and the workbook each lay a report out their own way; the words
and marks they share are written here once. (Numbers are written by `money`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sodertorn_ledger.money import format_sv

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def footnote_marker(number: int) -> str:
    """The annual report's footnote marker: 1 → ¹⁾, 12 → ¹²⁾."""
    return str(number).translate(_SUPERSCRIPT) + "⁾"


def with_marker(name: str, marker: int | None) -> str:
    """A name with its footnote marker, if it has one: ``Kommunikationsprojekt ¹⁾``."""
    return name if marker is None else f"{name} {footnote_marker(marker)}"


def account_label(account: str) -> str:
    """``tillgångar:bank`` → ``Bank``: the account below its class, capitalised."""
    _, _, rest = account.partition(":")
    shown = rest or account
    return shown[:1].upper() + shown[1:]


def date_sv(date: dt.date) -> str:
    """``31 december 2020``."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


# --- zero cells -------------------------------------------------------------------------
# One rule for every renderer: the tables the annual report publishes (the Sammanställning
# and the operating result, "Drift") leave a zero in a fund's or a line's row blank, as
# published ("no movement"); their Summa rows and Årets överskott always show their
# figure, 0 included. Every other table shows 0. The terminal and the workbook follow it
# alike; JSON always has the exact figure.


# --- notes under a table ----------------------------------------------------------------


def summary_headings(year: int, *, transfers: bool) -> list[str]:
    """The Sammanställning's headings; Överföringar only in a year with transfers."""
    middle = ["Intäkter", "Kostnader", *(["Överföringar"] if transfers else [])]
    return ["Fond", f"Ingående balans {year}", *middle, f"Utgående balans {year}"]


def provisional_note(year: int) -> str:
    """Under a report of `year` while the year before is not closed."""
    return (
        f"Ingående balanser {year} är preliminära: {year - 1} är inte bokslutat "
        f"(ledger close {year - 1})."
    )


def unassigned_note(accounts: Sequence[str]) -> str:
    """Under the Sammanställning: accounts whose money no fund holds."""
    return "Konton utan fond, ej med i tabellen: " + ", ".join(accounts)


def unclassified_note(accounts: Sequence[str]) -> str:
    """Accounts that are neither assets, liabilities, funds, income nor costs."""
    return "Konton utan kontoklass, ej med i tabellen: " + ", ".join(accounts)


def projects_note(lines: Sequence[str], outside: Decimal, year: int, *, ore: bool) -> str | None:
    """Under the projects: what their Summa equals in `ledger result` (None when no line
    of it holds project costs)."""
    if not lines:
        return None
    which = f"raden {lines[0]}" if len(lines) == 1 else "raderna " + ", ".join(lines)
    elsewhere = f" och {format_sv(outside, ore=ore)} kr på andra konton" if outside else ""
    return f"Summa = {which} i Drift {year} (ledger result {year}){elsewhere}."


def unbalanced_note(shares: Sequence[tuple[str, Decimal]]) -> str:
    """Under a balance sheet that does not balance: the accounts that make the difference,
    each with its share, exact."""
    listed = ", ".join(f"{account} {format_sv(amount, ore=True)} kr" for account, amount in shares)
    return f"Skillnaden kommer från konton som varken är tillgång, skuld eller fond: {listed}."
