"""Reading amounts the way hledger 1.25 reads them.

An amount is a number with an optional commodity symbol on either side (``1 824 368,40 kr``,
``kr -1450``, ``1824368.40 SEK``). The number's marks are decided as hledger decides them:

- a space is always a digit group mark (``1 234``);
- two different marks: the last one is the decimal mark (``1.824.368,40``, ``1,234.56``);
- one mark repeated: digit group marks (``1.2.3`` is 123);
- one mark once (``1,5``, ``1,234``) is ambiguous: the ``decimal-mark`` directive decides,
  else the commodity directive's style, else it is a decimal mark.

**The books' number style.** Where the books declare their decimal mark (the
``decimal-mark`` directive, or the commodity directive's sample amount), a number must be
written in that style, which is stricter than hledger: the decimal mark at most once, and
the other mark only between digit groups of three (``1.234.567,00``, ``1,234,567.00``).
hledger reads ``469.00`` in comma books as 46900, silently; here it is an error, "did you
mean 469,00?" (`NumberStyleError`). Books that declare nothing are read as hledger reads
them, with a warning for the ambiguous ``1,234``.

Characters that hledger rejects but that office programs paste in (no-break space, thin
space, Unicode minus) get errors that name the character and what to type instead.

**The size of an amount, and why every sum is exact.** An amount in the books (a
posting's, a balance assertion's) has at most 15 digits before its decimal mark and 4
after it (`model.AMOUNT_DIGITS`, `model.AMOUNT_DECIMALS`): below 10^15 kr, hundreds of
times any Swedish state budget, to a hundredth of an öre. A longer one is an error at
its line and column; hledger would read it, and Python would round its sums.

The program adds amounts in Python's default decimal context, whose 28 significant
digits round anything longer, silently. With the limit, no sum of the books' amounts
ever needs more:

- every amount is a whole number of 10^-4 kr (at most 4 decimals), below 10^19 of them;
- a sum or difference of such numbers is again a whole number of 10^-4 kr, and Decimal
  computes it exactly whenever that number has at most 28 digits, i.e. whenever the
  result is below 10^24 kr;
- each amount is written on a posting line of at least 6 bytes (indent, account, two
  blanks, a digit, a line end) and the books are at most 512 MiB
  (`parser.MAX_BOOK_BYTES`), so they hold fewer than 9 * 10^7 amounts;
- a figure of any report adds up the books' amounts with each amount counted at most a
  few times (an inferred amount is minus the others of its transaction; an opening
  balance is closing - income - costs, so an amount enters at most 3 times). Counted
  even 11 times each, 9 * 10^7 amounts below 10^15 kr stay below 10^24 kr;
- every partial sum on the way is such a figure too, so no step rounds.

So the reports, the checks and the close are exact in the default context, with no
context set anywhere. A product is another matter: the fee (rate * folkmängd, neither
from the books) is computed in `money.EXACT` (fees.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sodertorn_ledger.journal.model import AMOUNT_DECIMALS, AMOUNT_DIGITS

DIGITS = frozenset("0123456789")
MARKS = frozenset(".,")
# Characters a number may contain; anything else ends it.
NUMBER_CHARS = frozenset("0123456789., ")
# Characters that can never be in an unquoted commodity symbol (as hledger).
NOT_IN_SYMBOL = frozenset('0123456789-+.,;@*"{}=()[] \t')

LOOKALIKES: dict[str, tuple[str, str]] = {
    "\u00a0": ("a no-break space (U+00A0)", "type an ordinary space"),
    "\u202f": ("a narrow no-break space (U+202F)", "type an ordinary space"),
    "\u2009": ("a thin space (U+2009)", "type an ordinary space"),
    "\u2007": ("a figure space (U+2007)", "type an ordinary space"),
    "\u2212": ("a Unicode minus sign (U+2212)", "type an ASCII hyphen-minus '-'"),
    "\u2013": ("an en dash (U+2013)", "type an ASCII hyphen-minus '-'"),
    "\u2014": ("an em dash (U+2014)", "type an ASCII hyphen-minus '-'"),
}


class AmountError(Exception):
    """An amount that cannot be read: message, hint and 0-based offset within the amount text."""

    def __init__(self, message: str, hint: str = "", offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.offset = offset


class NumberStyleError(AmountError):
    """A number that hledger reads, but not in the style the books declare (``469.00`` in
    books of decimal comma): `mark` is the books' decimal mark, `suggestion` the number
    as meant, written in the books' style ('' when it cannot be told)."""

    def __init__(self, message: str, hint: str, mark: str, suggestion: str) -> None:
        super().__init__(message, hint)
        self.mark = mark
        self.suggestion = suggestion
        self.commodity = ""  # the amount's, set by `parse_amount`


class Amount(NamedTuple):
    quantity: Decimal
    commodity: str
    ambiguous_mark: str | None
    """The mark of a ``1,234``-like number that no directive decided (read as decimal)."""
    decimal_mark: str | None
    """The decimal mark the number showed, if any (for commodity styles)."""


def _lookalike(text: str) -> AmountError | None:
    for offset, char in enumerate(text):
        found = LOOKALIKES.get(char)
        if found is not None:
            what, fix = found
            return AmountError(
                f"the amount contains {what}, which hledger does not read",
                f"{fix} instead (it was probably pasted from a word processor or spreadsheet)",
                offset,
            )
    return None


def parse_number(
    text: str, decimal_mark: str | None, style_mark: str | None, *, after_symbol: bool = False
) -> tuple[Decimal, str | None, str | None]:
    """Read an unsigned number; returns (value, ambiguous mark or None, decimal mark shown).

    `after_symbol`: the number follows a commodity symbol (``kr ,9``), where hledger lets
    it start with a comma too. A number hledger reads is refused (`NumberStyleError`)
    when the books declare a decimal mark and it is not written in that style.
    """
    read = _read_number(text, decimal_mark, style_mark, after_symbol)
    declared = decimal_mark or style_mark
    if declared is not None and not fits_style(text, declared):
        raise _style_error(text, declared, after_symbol)
    return read


OTHER_MARK = {",": ".", ".": ","}
_MARK_NAMES = {",": "comma", ".": "point"}
_STYLE_EXAMPLES = {",": "1.234.567,00", ".": "1,234,567.00"}


def fits_style(text: str, mark: str) -> bool:
    """Whether the number `text` (one hledger reads) is written in the style of books whose
    decimal mark is `mark`: `mark` at most once, the other mark only between the digit
    groups before it, groups of three after a first one of one to three digits that does
    not start with 0 (``1.234.567,00``; not ``469.00``, ``1.5``, ``0.500``, ``1 234.50``)."""
    other = OTHER_MARK[mark]
    if other not in text:
        return text.count(mark) <= 1
    integer, _, fraction = text.partition(mark)
    if mark in fraction or other in fraction or " " in integer:
        return False
    first, *groups = integer.split(other)
    return 0 < len(first) <= 3 and first[0] != "0" and all(len(group) == 3 for group in groups)


def _style_error(text: str, mark: str, after_symbol: bool) -> NumberStyleError:
    """Why `text` is not in the style of books whose decimal mark is `mark`, and the number
    perhaps meant: read with the other mark as the decimal mark, written in this style."""
    other = OTHER_MARK[mark]
    marks = [char for char in text if char in MARKS]
    books = f"decimal {_MARK_NAMES[mark]}"
    if marks[-1] == other and marks.count(other) == 1:
        message = f"'{text}' has a decimal {_MARK_NAMES[other]}, but these books use a {books}"
    elif marks.count(mark) > 1:
        message = f"'{text}' has more than one {books}"
    else:
        message = f"'{text}' has '{other}' out of place"
    suggestion = _as_meant(text, mark, after_symbol)
    rule = (
        f"these books write '{mark}' as the decimal mark and '{other}' only between groups "
        f"of three digits ({_STYLE_EXAMPLES[mark]})"
    )
    hint = f"did you mean {suggestion}? {rule[0].upper()}{rule[1:]}" if suggestion else rule
    return NumberStyleError(message, hint, mark, suggestion)


def _as_meant(text: str, mark: str, after_symbol: bool) -> str:
    """`text` as meant by someone who wrote it in the other style, written in the style of
    `mark` ('' when that is not a number either): the marks swapped where that reads the
    same, else the number without digit groups."""
    other = OTHER_MARK[mark]
    try:
        meant, _, shown = _read_number(text, other, None, after_symbol)
    except AmountError:
        return ""
    swapped = text.translate({ord(mark): other, ord(other): mark})
    if swapped[0] == mark:
        swapped = "0" + swapped  # not ",5" but "0,5"
    swapped = swapped.rstrip(mark)  # not "5," but "5"
    if fits_style(swapped, mark):
        try:
            if _read_number(swapped, mark, None, after_symbol)[0] == meant:
                return swapped
        except AmountError:
            pass
    if shown != other:
        return ""  # the other mark was no decimal mark there either (1.234.56)
    return format(meant, "f").replace(".", mark)


def _read_number(
    text: str, decimal_mark: str | None, style_mark: str | None, after_symbol: bool
) -> tuple[Decimal, str | None, str | None]:
    """`parse_number` as hledger reads numbers, whatever the books' style."""
    if not text or text[0] == " " or text[-1] == " ":
        raise AmountError(f"'{text}' is not a number", "write digits, e.g. 1 450,00")
    groups: list[str] = []
    marks: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char not in DIGITS:
            groups.append(text[start:i])
            marks.append(char)
            start = i + 1
    groups.append(text[start:])
    if not marks:
        return Decimal(text), None, None
    if not any(groups) or not all(groups[1:-1]):
        raise AmountError(
            f"'{text}' is not a number (two marks in a row)",
            "write digits between the marks, e.g. 1 824 368,40",
        )
    kinds = set(marks)
    last = marks[-1]
    if not groups[0]:
        # A leading mark (".5"): a decimal mark whatever the directives say, as in hledger;
        # a leading comma only right after a currency symbol.
        if len(marks) != 1 or (last == "," and not after_symbol):
            raise AmountError(
                f"'{text}' is not a number (it starts with '{marks[0]}')",
                "write a digit before the decimal mark, e.g. 0,50",
            )
        return _decimal("", groups[1]), None, last
    if not groups[-1] and (last == " " or marks.count(last) != 1):
        raise AmountError(
            f"'{text}' has a misplaced digit group mark", "e.g. 1 824 368 or 1 824 368,40"
        )
    if len(kinds) == 1:
        mark = last
        if mark == " " or len(marks) > 1:
            return _whole(groups, text), None, None
        # One '.' or ',' once: hledger's ambiguous case. At the end ("5,") it can only be a
        # decimal mark; otherwise the directives decide, else it is a decimal mark.
        if not groups[1]:
            is_decimal, ambiguous = True, None
        elif decimal_mark is not None:
            is_decimal, ambiguous = mark == decimal_mark, None
        elif style_mark is not None:
            is_decimal, ambiguous = mark == style_mark, None
        else:
            is_decimal = True
            ambiguous = mark if len(groups[1]) == 3 else None
        if not is_decimal:
            return _whole(groups, text), None, None
        return _decimal(groups[0], groups[1]), ambiguous, mark
    # Two kinds of mark: the last is the decimal mark, used once, after the digit groups.
    if last == " " or marks.count(last) != 1 or len(kinds) != 2:
        raise AmountError(
            f"'{text}' mixes digit group marks",
            "use one digit group mark (space, '.' or ',') and one decimal mark, e.g. 1 824 368,40",
        )
    return _decimal("".join(groups[:-1]), groups[-1]), None, last


def _whole(groups: list[str], text: str) -> Decimal:
    if not all(groups):
        raise AmountError(f"'{text}' has a misplaced digit group mark", "e.g. 1 824 368")
    return Decimal("".join(groups))


def _decimal(integer: str, fraction: str) -> Decimal:
    return Decimal(f"{integer or '0'}.{fraction or '0'}") if fraction else Decimal(integer or "0")


def _symbol(text: str, start: int) -> int:
    """End of a commodity symbol starting at `start` (quoted or bare)."""
    if text[start] == '"':
        end = text.find('"', start + 1)
        if end < 0:
            raise AmountError("unterminated quoted commodity symbol", 'close it with "', start)
        return end + 1
    end = start
    while end < len(text) and text[end] not in NOT_IN_SYMBOL:
        end += 1
    return end


def beyond_limits(value: Decimal) -> str:
    """Why `value`, as written, is too long for an amount in the books ('' when it is not)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # never NaN or infinite: read from digits
    if value.adjusted() >= AMOUNT_DIGITS:
        return f"the amount has more than {AMOUNT_DIGITS} digits before the decimal mark"
    if exponent < -AMOUNT_DECIMALS:
        return f"the amount has more than {AMOUNT_DECIMALS} decimals"
    return ""


LIMITS_HINT = (
    f"an amount has at most {AMOUNT_DIGITS} digits before the decimal mark and "
    f"{AMOUNT_DECIMALS} after it, so that every sum stays exact (see docs/journal-format.md)"
)


def parse_amount(
    text: str, decimal_mark: str | None, styles: dict[str, str | None], *, limited: bool = False
) -> Amount:
    """Read one amount (``-1 450,00 kr``, ``kr -1450``); `text` is stripped, non-empty.

    `decimal_mark` is the ``decimal-mark`` directive in force; `styles` maps a commodity to
    the decimal mark its ``commodity`` directive showed. `limited`: an amount of the books,
    which may not be longer than the limits above (a commodity directive's sample only
    shows a style).
    """
    bad = _lookalike(text)
    if bad is not None:
        raise bad
    n = len(text)
    i = 0
    negative = False
    if text[0] in "+-":
        negative = text[0] == "-"
        i = 1
        while i < n and text[i] == " ":
            i += 1
    commodity = ""
    if i < n and text[i] not in DIGITS and text[i] not in MARKS:
        end = _symbol(text, i)
        if end == i:
            raise AmountError(
                f"unexpected '{text[i]}' in amount",
                "write an amount like 1 450,00 kr or -1 450 kr",
                i,
            )
        commodity = text[i:end].strip('"')
        i = end
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] in "+-":
            if negative:
                raise AmountError("the amount has two signs", "keep one '-'", i)
            negative = text[i] == "-"
            i += 1
    begin = i
    while i < n and (text[i] in NUMBER_CHARS):
        if text[i] == " " and (i + 1 >= n or text[i + 1] not in DIGITS):
            break
        i += 1
    number = text[begin:i]
    if not number:
        raise AmountError(
            "the amount has no number", "write an amount like 1 450,00 kr", min(begin, n - 1)
        )
    rest = text[i:].lstrip(" ")
    if rest:
        if commodity:
            raise AmountError(
                f"unexpected '{rest}' after the amount",
                "an amount is a number and one currency symbol, e.g. 1 450,00 kr",
                n - len(rest),
            )
        end = _symbol(rest, 0)
        if end != len(rest) or end == 0:
            raise AmountError(
                f"unexpected '{rest[end:] or rest}' after the amount",
                "an amount is a number and one currency symbol, e.g. 1 450,00 kr",
                n - len(rest) + end,
            )
        commodity = rest.strip('"')
    try:
        value, ambiguous, shown = parse_number(
            number, decimal_mark, styles.get(commodity), after_symbol=bool(commodity) and not rest
        )
    except AmountError as exc:
        exc.offset += begin
        if isinstance(exc, NumberStyleError):
            exc.commodity = commodity
        raise
    if limited and (too_long := beyond_limits(value)):
        raise AmountError(too_long, LIMITS_HINT, begin)
    return Amount(-value if negative else value, commodity, ambiguous, shown)
