"""Money: exact Decimal kronor, rounded only for display (half up, per cell)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ORE = Decimal("0.01")
KRONA = Decimal(1)
MINUS = "−"  # U+2212, as the report prints negatives; only ever used for display


def to_json(amount: Decimal) -> str:
    """An exact amount as a JSON string with two decimals (``"-1824368.40"``)."""
    if not amount:
        amount = ZERO  # never "-0.00"
    exact = amount.quantize(ORE, rounding=ROUND_HALF_UP)
    if exact != amount:  # more than two decimals in the books: keep them all
        return format(amount.normalize(), "f")
    return format(exact, "f")


def round_kr(amount: Decimal) -> Decimal:
    """Whole kronor, half up (away from zero on .50), as the annual report rounds each cell."""
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


def format_sv(amount: Decimal, *, ore: bool = False, minus: str = "-") -> str:
    """Swedish display: space between thousands, comma decimals (``1 824 368`` or ``1 824 368,40``).

    Whole kronor by default, each value rounded half up on its own; ``ore=True`` shows öre.
    """
    value = amount.quantize(ORE, rounding=ROUND_HALF_UP) if ore else round_kr(amount)
    sign = minus if value < 0 else ""  # a value that rounds to 0 shows no sign
    text = format(abs(value), ",f").replace(",", " ")
    if ore:
        text = text.replace(".", ",")
    return sign + text


def journal_amount(
    amount: Decimal, commodity: str, decimal_mark: str = ",", *, pad_ore: bool = True
) -> str:
    """An exact amount as the books write it: ``-1 378 424,50 kr`` (comma books, digit
    groups of a space) or ``-1378424.50 kr``.

    `pad_ore`: at least two decimals (``5,00 kr``), as the books are kept; digits beyond
    öre are never dropped.
    """
    if pad_ore and amount == amount.quantize(ORE):
        amount = amount.quantize(ORE)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = format(abs(amount), "f").partition(".")
    if decimal_mark == ",":
        number = f"{int(whole):,}".replace(",", " ") + ("," + fraction if fraction else "")
    else:
        number = whole + ("." + fraction if fraction else "")
    return f"{sign}{number} {commodity}".rstrip()
