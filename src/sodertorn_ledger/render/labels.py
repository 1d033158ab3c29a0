"""What every renderer shows the same way: footnote markers, account labels, dates.

The terminal, the JSON and the workbook each lay a report out their own way; the words
and marks they share are written here once. (Numbers are written by `money`.)
"""

from __future__ import annotations

import datetime as dt

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
