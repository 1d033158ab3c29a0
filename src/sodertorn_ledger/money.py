"""Money and numbers: exact Decimal kronor, and the one way every number is written out.

Amounts stay exact from the books to the reports; they are rounded only when shown, half
up, each cell on its own (as the annual report rounds). Three ways to write a number, all
grouping thousands with `group_thousands`:
- `format_sv`: a report's cell — Swedish digit groups, comma decimals, a real minus (U+2212);
- `format_count`: a whole number that is not money (folkmängd);
- `format_percent`: a share (Utfall i % of a budget), one decimal;
- `journal_amount`: an amount as the books write it (ASCII minus, the books' decimal mark);
- `to_json`: an exact amount for scripts (``"-1824368.40"``).
"""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
"""Arithmetic with as many digits as the numbers have: Python's default context keeps 28
and would round a longer amount without a word."""
ZERO = Decimal(0)
ORE = Decimal("0.01")
KRONA = Decimal(1)
MINUS = "−"  # U+2212: how a report shows a negative amount


def group_thousands(digits: str) -> str:
    """``1824368`` → ``1 824 368``: a space between groups of three, as Swedish writes."""
    head = len(digits) % 3 or 3
    return " ".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def round_kr(amount: Decimal) -> Decimal:
    """Whole kronor, half up (away from zero on .50), as the annual report rounds each cell."""
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP, context=EXACT)


def format_sv(amount: Decimal, *, ore: bool = False) -> str:
    """A report's amount: ``1 824 368``, ``−1 824 368`` or, with `ore`, ``−1 824 368,40``.

    Rounded half up to whole kronor (or öre) on its own; a value that rounds to zero has
    no sign.
    """
    return _swedish(amount.quantize(ORE if ore else KRONA, rounding=ROUND_HALF_UP, context=EXACT))


def _swedish(value: Decimal) -> str:
    """A rounded value as a report writes it: digit groups, decimal comma, minus U+2212."""
    whole, _, fraction = format(abs(value), "f").partition(".")
    text = group_thousands(whole) + ("," + fraction if fraction else "")
    return MINUS + text if value < 0 else text


PERCENT_STEP = Decimal("0.1")


def round_percent(ratio: Decimal) -> Decimal:
    """A ratio (0.9321…) as a percentage to one decimal, half up: ``93.2``."""
    return (ratio * 100).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP, context=EXACT)


def format_percent(ratio: Decimal) -> str:
    """A ratio as a report's percentage: ``93,2 %``, ``−4,0 %`` (one decimal, half up)."""
    return _swedish(round_percent(ratio)) + " %"


def format_count(number: int) -> str:
    """A count that is not money (folkmängd): ``947 193``."""
    text = group_thousands(str(abs(number)))
    return MINUS + text if number < 0 else text


def to_json(amount: Decimal) -> str:
    """An exact amount as a JSON string with two decimals (``"-1824368.40"``)."""
    if not amount:
        amount = ZERO  # never "-0.00"
    exact = amount.quantize(ORE, rounding=ROUND_HALF_UP, context=EXACT)
    if exact != amount:  # more than two decimals in the books: keep them all
        return format(amount.normalize(), "f")
    return format(exact, "f")


def journal_amount(
    amount: Decimal, commodity: str, decimal_mark: str = ",", *, pad_ore: bool = True
) -> str:
    """An exact amount as the books write it: ``-1 378 424,50 kr`` (comma books, digit
    groups of a space) or ``-1378424.50 kr``.

    `pad_ore`: at least two decimals (``5,00 kr``), as the books are kept; digits beyond
    öre are never dropped.
    """
    if pad_ore and amount == (padded := amount.quantize(ORE, context=EXACT)):
        amount = padded
    sign = "-" if amount < 0 else ""
    whole, _, fraction = format(abs(amount), "f").partition(".")
    if decimal_mark == ",":
        number = group_thousands(whole) + ("," + fraction if fraction else "")
    else:
        number = whole + ("." + fraction if fraction else "")
    return f"{sign}{number} {commodity}".rstrip()
