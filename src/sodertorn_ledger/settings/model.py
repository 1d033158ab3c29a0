"""The settings of the books: the records and their rules, written once.

The journal says what each account is; the settings (ledger/sodertorn.toml) say how
accounts group into members, funds and report lines. They are records (NamedTuples, their
lists tuples), and each field's annotation carries its rules: `MinLength`, `Before` (on
the value as written) and `After` (on the converted value); a rule on a whole record is an
`After` on the annotation where the record is used. `validate` hands the rules to pydantic,
the one validator; this module never imports it, so a command whose settings come from the
cache does not either.
"""

# No `from __future__ import annotations`: NamedTuple would turn each string annotation into
# a ForwardRef, compiling it at every start, for the validator to evaluate again.
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Context, Decimal
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.errors import Loc, SettingsError, quoted
from sodertorn_ledger.settings.reading import key_line_in_file

SETTINGS_NAME = "sodertorn.toml"
YEAR_PLACEHOLDER = "{year}"

_ACCOUNT_PATTERN = r"[^\s:;][^:;]*(?::[^\s:;][^:;]*)*"
"""Components joined by ':', no component empty or starting with a blank, no ';'."""
_NOT_PLAIN_SPACE = r"[^\S ]"
"""A blank other than the space: a tab, a line break, a no-break space (hledger's account
name ends at a tab or two blanks of any kind)."""
_NOT_IN_TEXT = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode's control and format characters, surrogates, private and unassigned code points,
line and paragraph separators: none of them is text of one line."""
_CHARACTER_NAMES = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x00": "a NUL byte",
    "\x1b": "an escape character",
    "\x85": "a next-line character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}
MAX_RATE = Decimal(1_000_000_000)
"""A rate is below this (nine digits of kronor, two of öre): rate × folkmängd (at most
10⁸) then has at most 20 digits, well inside Decimal's 28, so nothing is ever rounded."""
_ORE = Decimal("0.01")


def covers(prefix: str, account: str) -> bool:
    """True when `account` is `prefix` or one of its subaccounts."""
    return account == prefix or account.startswith(prefix + ":")


# --- the rules a field's annotation carries ------------------------------------------------
# NamedTuples, as the records: a frozen dataclass takes much longer to define, paid at every
# start. (annotated_types' MinLen, which pydantic reads as is, takes longer to import than
# this whole module, so the length rule is a marker of its own too.)


class MinLength(NamedTuple):
    """At least `n` characters (after stripping blanks), items or entries."""

    n: int


class Before(NamedTuple):
    """A rule on the value as written, before it is converted; raises ValueError."""

    rule: Callable[[Any], Any]


class After(NamedTuple):
    """A rule on the converted value: returns it, or raises ValueError saying what was
    expected (the message the user sees after "expected")."""

    rule: Callable[[Any], Any]


class NotInFile(NamedTuple):
    """The field is no key of the file: the program sets it."""


class EntryError(ValueError):
    """A rule broken by entries below the value the rule is on (a kommunkod given twice,
    accounts that overlap): what was expected, what was found, and where each entry is with
    its value (a path below the value the rule is on), so that the validator names the key
    and the line of each."""

    def __init__(self, expected: str, got: str, *places: tuple[Loc, str | None]) -> None:
        super().__init__(f"{expected}, got {got}")
        self.expected = expected
        self.got = got
        self.places = places


def _unprintable(value: str) -> str | None:
    """The first character of `value` that is not text of one line, else None."""
    if value.isascii() and value.isprintable():
        return None
    import unicodedata

    return next((c for c in value if unicodedata.category(c) in _NOT_IN_TEXT), None)


def _character(char: str) -> str:
    """``U+000A, a line break``: a character the user cannot see, named."""
    import unicodedata

    name = _CHARACTER_NAMES.get(char) or unicodedata.name(char, "").lower()
    if not name:
        name = "a control character" if unicodedata.category(char) == "Cc" else "unprintable"
    return f"U+{ord(char):04X}, {name}"


def _one_line(value: str) -> str:
    """Text the tool may write into the books, or show as a line of a report: no line
    break, tab or other control or format character."""
    bad = _unprintable(value)
    if bad is not None:
        raise ValueError(
            "one line of text, with no line break, tab or other control or format "
            f"character (found {_character(bad)})"
        )
    return value


def _payee(value: str) -> str:
    """A member's name, which `fees --book` writes into each invoice's description."""
    _one_line(value)
    for char, why in ((";", "starts a comment"), ("|", "ends the payee")):
        if char in value:
            raise ValueError(
                f"a name without ';' or '|' (an invoice's description holds it, where "
                f"'{char}' {why})"
            )
    return value


def _check_currency(value: str) -> str:
    """The currency symbol, written after every amount the tool books."""
    import unicodedata

    categories = {unicodedata.category(c) for c in value}
    if any(category[0] != "L" and category != "Sc" for category in categories):
        raise ValueError(
            'a currency symbol of letters or a currency sign, e.g. "kr", "SEK" or "€" '
            "(no digit, blank or punctuation: it follows every amount the tool books)"
        )
    return value


def _check_account(value: str) -> str:
    if (
        not re.fullmatch(_ACCOUNT_PATTERN, value)
        or "  " in value
        or re.search(_NOT_PLAIN_SPACE, value)
        or _unprintable(value)
    ):
        raise ValueError(
            "an account name: parts joined by ':', e.g. \"intäkter:drift\" "
            "(no empty part, no ';', no double space, no tab, line break or other "
            "control character)"
        )
    return value


def _check_accounts(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(_check_account(v) for v in values)


def _check_tag(value: str) -> str:
    if not re.fullmatch(r"[^\s:,;]+", value) or _unprintable(value):
        raise ValueError("a tag name: no blank, ':', ',' or ';'")
    return value


def _check_kommunkod(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueError('the SCB kommunkod, four digits, e.g. "0127"')
    return value


def _check_result_account(value: str) -> str:
    if value.count(YEAR_PLACEHOLDER) != 1:
        raise ValueError('an account name with "{year}" once, e.g. "fonder:drift från {year}"')
    _check_account(value.replace(YEAR_PLACEHOLDER, "2000"))
    return value


def _check_orgnr(value: str) -> str:
    if not re.fullmatch(r"[0-9]{6}-[0-9]{4}", value):
        raise ValueError('an organisation number NNNNNN-NNNN, e.g. "222000-1234"')
    return value


def _check_chart(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9]+", value):
        raise ValueError('the chart of accounts as one word of letters and digits, e.g. "BAS2024"')
    return value


def _number_written(value: Any) -> Any:
    # A TOML integer would lose a leading zero ("0027"): numbers are written as strings.
    if not isinstance(value, str):
        raise ValueError('an account number as a string of digits, e.g. "1930"')
    return value


def _check_number(value: str) -> str:
    if not re.fullmatch(r"[0-9]{1,20}", value):
        raise ValueError('an account number of digits only, e.g. "1930"')
    return value


def _rate_exact(value: Any) -> Any:
    # A TOML float is binary; money is written as a string (or whole number) to stay exact.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError('the rate as a string of kronor, e.g. "4.00"')
    return value


def _rate_sane(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError("a non-negative rate in kr")
    if value >= MAX_RATE:
        raise ValueError(
            "a rate below 1 000 000 000 kr per inhabitant (at most nine digits before the "
            "decimal point)"
        )
    # The digits below öre must be zeros ("4.000" is 4.00). Counted rather than quantized:
    # a number may have more digits than Decimal's precision ("4.000…0" with 30 zeros).
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    if any(digits[max(0, len(digits) + exponent + 2) :]):
        raise ValueError("a rate in whole öre (at most two decimals)")
    # Every rate as kronor and öre ("4" and "4.000" are 4.00, "-0" is 0.00): at most
    # eleven digits, so that no product with it is rounded. Exact: what is cut is zeros.
    return value.copy_abs().quantize(_ORE, context=Context(prec=28))


MAX_BUDGET = Decimal(10) ** 12
"""A budget amount is below this (twelve digits of kronor): far above any the books hold,
and every sum and share of budgets stays exact in Decimal's 28 digits."""


def _budget_exact(value: Any) -> Any:
    # As a rate: a TOML float is binary, so an amount is a whole number or a string.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            'an amount in kronor as a whole number or a string, e.g. 1500000 or "1500000.00"'
        )
    return value


def _budget_sane(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError("a non-negative amount in kr (costs and income alike are positive)")
    if value >= MAX_BUDGET:
        raise ValueError("an amount below 1 000 000 000 000 kr (at most twelve digits of kronor)")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    if any(digits[max(0, len(digits) + exponent + 2) :]):
        raise ValueError("an amount in whole öre (at most two decimals)")
    return value.copy_abs().quantize(_ORE, context=Context(prec=28))


def _year_key(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueError('a four-digit year as key, e.g. "2019"')
    return value


def _no_duplicates(values: Sequence[tuple[str, Loc]], what: str) -> None:
    """Each value once; `values` with the place of each."""
    seen: dict[str, Loc] = {}
    for value, place in values:
        if value in seen:
            raise EntryError(
                f"each {what} once", f'"{value}" twice', (seen[value], value), (place, value)
            )
        seen[value] = place


def _sub_key(account: str) -> str:
    """The account's sort key that puts its subaccounts right after it ("a", "a:b", "a b"):
    ':' becomes NUL, the lowest character, which no account name holds (_check_account)."""
    return account.replace(":", "\0")


def _no_overlap(owned: list[tuple[str, str, Loc]]) -> None:
    """Every account belongs to one owner: no entry equal to or inside another entry (the
    owner's or another's). `owned`: (account, owner, place) in the order of the file."""
    # Sorted by _sub_key, an entry that covers others is followed by one of them, so only
    # neighbours need comparing (not every pair: a file can hold many thousands).
    order = sorted(range(len(owned)), key=lambda i: (_sub_key(owned[i][0]), i))
    pairs = [(i, j) for i, j in pairwise(order) if covers(owned[i][0], owned[j][0])]
    if not pairs:
        return
    # The overlap the file reaches first.
    first, second = min((sorted(pair) for pair in pairs), key=lambda pair: (pair[1], pair[0]))
    (a, owner_a, place_a), (b, owner_b, place_b) = owned[first], owned[second]
    where = "twice" if owner_a == owner_b else f'in "{owner_a}" and "{owner_b}"'
    raise EntryError(
        "each account in one place",
        f'"{a}" and "{b}", which overlap, {where}',
        (place_a, a),
        (place_b, b),
    )


Name = Annotated[str, MinLength(1), After(_one_line)]
"""A name the reports show, or the tool writes into the books: one line of text."""
AccountName = Annotated[str, After(_check_account)]
AccountNames = Annotated[tuple[str, ...], After(_check_accounts)]
YearKey = Annotated[str, After(_year_key)]
Rate = Annotated[Decimal, Before(_rate_exact), After(_rate_sane)]
BudgetAmount = Annotated[Decimal, Before(_budget_exact), After(_budget_sane)]
"""A year's budget of a line or a fund: kronor, exact, in whole öre, never negative."""
SieNumber = Annotated[str, Before(_number_written), After(_check_number)]
"""An account number of an SIE file: digits, kept as a string (``"0027"``)."""


# --- the settings --------------------------------------------------------------------------


class Member(NamedTuple):
    """A member municipality: SCB kommunkod, name, and the account its fee is booked on."""

    code: Annotated[str, After(_check_kommunkod)]
    name: Annotated[str, MinLength(1), After(_payee)]
    fee_account: AccountName


class Fees(NamedTuple):
    receivable_account: AccountName
    rates: Annotated[dict[YearKey, Rate], MinLength(1)]
    """kr per inhabitant by the first year it applies (TOML keys are strings: "2019")."""


class Fund(NamedTuple):
    """A fund (ändamålsbestämda medel) of the Sammanställning and the accounts it is made of.

    `account` holds the fund's balance (equity); `income` and `costs` are its movements of
    the year. Each entry covers its subaccounts too. The operating fund has no `account`
    but a `result_account` pattern: the close moves its result into that new fund.
    """

    name: Name
    note: Annotated[str, After(_one_line)] | None = None
    account: AccountName | None = None
    income: AccountNames = ()
    costs: AccountNames = ()
    result_account: Annotated[str, After(_check_result_account)] | None = None

    @property
    def is_operating(self) -> bool:
        return self.result_account is not None

    def result_account_for(self, year: int) -> str:
        """The fund account the close creates for this operating fund's result of `year`."""
        if self.result_account is None:
            raise ValueError(f"{self.name} is not the operating fund")
        return self.result_account.replace(YEAR_PLACEHOLDER, str(year))

    def result_account_year(self, account: str) -> int | None:
        """The year of a `result_account` such as "fonder:drift från 2019", else None."""
        if self.result_account is None:
            return None
        head, _, tail = self.result_account.partition(YEAR_PLACEHOLDER)
        match = re.fullmatch(re.escape(head) + r"(\d{4})" + re.escape(tail), account)
        return int(match.group(1)) if match else None


class Line(NamedTuple):
    """A line of `ledger result`: a published name and the accounts it adds up."""

    name: Name
    accounts: Annotated[tuple[str, ...], MinLength(1), After(_check_accounts)]


class ResultLines(NamedTuple):
    income: tuple[Line, ...] = ()
    costs: tuple[Line, ...] = ()


class Projects(NamedTuple):
    tag: Annotated[str, After(_check_tag)] = "projekt"
    # A plain dict, typed read-only: the cache pickles the settings, and pickle cannot
    # store a MappingProxyType. Nothing changes it.
    names: Mapping[Annotated[str, After(_one_line)], Name] = {}
    """Display names by tag value, for published names a tag value cannot hold (a comma)."""

    def display_name(self, value: str) -> str:
        return self.names.get(value, value)


class Sie(NamedTuple):
    """``[sie]``: who the books are in an SIE 4 file, and the account number of each of the
    books' accounts (`ledger sie`, `ledger import`).

    `accounts` maps an account of the books to its number; an account covers its
    subaccounts unless they have a number of their own. An imported number books to the
    account `numbers` gives it, else to the one account `accounts` gives that number.
    """

    orgnr: Annotated[str, After(_check_orgnr)] | None = None
    """#ORGNR: the organisation number, NNNNNN-NNNN."""
    name: Name | None = None
    """#FNAMN; the settings' `organisation` when not given."""
    kptyp: Annotated[str, After(_check_chart)] | None = None
    """#KPTYP: the chart of accounts the numbers follow ("KOMMUNBAS", "BAS2024")."""
    # Plain dicts typed read-only, as `Projects.names` (the cache pickles the settings).
    accounts: Mapping[AccountName, SieNumber] = {}
    numbers: Mapping[SieNumber, AccountName] = {}
    """Imported numbers the inverse of `accounts` does not decide (another chart's, or a
    number `accounts` gives two accounts) to the account they book to."""

    def number_of(self, account: str) -> str | None:
        """The account's number: its own, else its nearest parent's; None without one."""
        name = account
        while True:
            number = self.accounts.get(name)
            if number is not None or ":" not in name:
                return number
            name = name.rpartition(":")[0]

    def account_of(self, number: str) -> str | None:
        """The account an imported `number` books to: `numbers`, else the one account
        `accounts` gives it (`_one_account_a_number` sees that there is one)."""
        found = self.numbers.get(number)
        if found is not None:
            return found
        return next((a for a, n in self.accounts.items() if n == number), None)


def _one_account_a_number(sie: Sie) -> Sie:
    """An imported number books to one account: a number `accounts` gives two accounts
    is in `numbers` too, which says which."""
    first: dict[str, str] = {}
    for account, number in sie.accounts.items():
        if number not in first:
            first[number] = account
        elif number not in sie.numbers:
            raise EntryError(
                "each number once in [sie.accounts], or the number in [sie.numbers] "
                "too (the account an imported one books to)",
                f'"{number}" for "{first[number]}" and "{account}"',
                (("accounts", first[number]), number),
                (("accounts", account), number),
            )
    return sie


def _one_kind_of_fund(fund: Fund) -> Fund:
    if (fund.account is None) == (fund.result_account is None):
        raise ValueError(
            "either `account` (a fund that keeps its balance) or `result_account` "
            "(the operating fund, which starts every year at zero), one of the two"
        )
    if fund.is_operating and "," in fund.name:
        # The close declares "NAME från YEAR" as the result fund's `fond:` tag.
        raise EntryError(
            "the operating fund's name without ',' (the close writes it into a `fond:` tag, "
            "whose value ends at a comma)",
            repr(fund.name),
            (("name",), fund.name),
        )
    return fund


def _unique_members(members: tuple[Member, ...]) -> tuple[Member, ...]:
    _no_duplicates([(m.code, (i, "code")) for i, m in enumerate(members)], "kommunkod")
    _no_duplicates(
        [(m.fee_account, (i, "fee_account")) for i, m in enumerate(members)], "fee_account"
    )
    return members


def _sane_funds(funds: tuple[Fund, ...]) -> tuple[Fund, ...]:
    _no_duplicates([(f.name, (i, "name")) for i, f in enumerate(funds)], "fund name")
    operating = [i for i, f in enumerate(funds) if f.is_operating]
    if len(operating) > 1:
        raise EntryError(
            "at most one fund with `result_account` (the operating fund)",
            f"{len(operating)}",
            *(((i, "result_account"), funds[i].result_account) for i in operating[:2]),
        )
    owned: list[tuple[str, str, Loc]] = []
    for i, fund in enumerate(funds):
        if fund.account:
            owned.append((fund.account, fund.name, (i, "account")))
        for kind in ("income", "costs"):
            owned.extend(
                (acc, fund.name, (i, kind, k)) for k, acc in enumerate(getattr(fund, kind))
            )
    _no_overlap(owned)
    return funds


class Settings(NamedTuple):
    """The whole of sodertorn.toml, validated."""

    organisation: Name
    currency: Annotated[str, MinLength(1), After(_check_currency)]
    fees: Fees
    members: Annotated[tuple[Member, ...], MinLength(1), After(_unique_members)]
    funds: Annotated[
        tuple[Annotated[Fund, After(_one_kind_of_fund)], ...], MinLength(1), After(_sane_funds)
    ]
    result: ResultLines = ResultLines()
    projects: Projects = Projects()
    sie: Annotated[Sie, After(_one_account_a_number)] = Sie()
    # Plain dicts typed read-only, as `Projects.names` (the cache pickles the settings).
    budget: Mapping[YearKey, Mapping[Annotated[str, After(_one_line)], BudgetAmount]] = {}
    """``[budget.YEAR]``: the year's budget by the name of a line of ``[result]`` or of a
    fund (`budget_names`), income and costs positive."""
    path: Annotated[Path, NotInFile()] = Path(SETTINGS_NAME)
    """The file these settings were read from."""

    @property
    def operating_fund(self) -> Fund | None:
        """The fund that starts every year at zero (Södertörnssamarbetet drift)."""
        return next((f for f in self.funds if f.is_operating), None)

    def budget_for(self, year: int) -> Mapping[str, Decimal] | None:
        """The budget of `year` by line or fund name; None when the settings have none."""
        return self.budget.get(str(year))

    def member(self, code: str) -> Member | None:
        return next((m for m in self.members if m.code == code), None)

    def fee_rate(self, year: int) -> Decimal:
        """The fee in kr per inhabitant for `year`: the latest rate from that year or before."""
        valid = [int(y) for y in self.fees.rates if int(y) <= year]
        if not valid:
            first = min(int(y) for y in self.fees.rates)
            raise SettingsError(
                [
                    Problem(
                        file=str(self.path),
                        line=key_line_in_file(self.path, ("fees", "rates")),
                        message=f"fees.rates: no fee rate for {year}; "
                        f"the first rate is for {first}",
                        hint=f'add a rate for {year} under [fees.rates], e.g. "{year}" = "4.00"',
                    )
                ]
            )
        return self.fees.rates[str(max(valid))]


def _listed(accounts: Sequence[str]) -> str:
    shown = ", ".join(accounts[:5])
    return (shown + ", …" if len(accounts) > 5 else shown) or "none"


def _result_lines_in_operating_fund(settings: Settings) -> Settings:
    """The lines of `ledger result` add up accounts of the operating fund."""
    result = settings.result
    lines = [*result.income, *result.costs]
    if not lines:
        return settings
    fund = settings.operating_fund
    if fund is None:
        raise EntryError(
            "an operating fund (a [[funds]] entry with `result_account`) for the [result] lines",
            "none",
            (("result",), None),
        )
    _no_overlap(
        [
            (acc, line.name, ("result", kind, j, "accounts", k))
            for kind in ("income", "costs")
            for j, line in enumerate(getattr(result, kind))
            for k, acc in enumerate(line.accounts)
        ]
    )
    from bisect import bisect_right

    for kind in ("income", "costs"):
        parents: tuple[str, ...] = getattr(fund, kind)
        # The fund's entries do not overlap (_sane_funds), so the one that may cover an
        # account is the last one sorted before it (see _sub_key).
        ordered = sorted(parents, key=_sub_key)
        keys = [_sub_key(p) for p in ordered]
        for j, line in enumerate(getattr(result, kind)):
            for k, acc in enumerate(line.accounts):
                at = bisect_right(keys, _sub_key(acc)) - 1
                if at < 0 or not covers(ordered[at], acc):
                    raise EntryError(
                        f"an account among the {kind} of {fund.name} ({_listed(parents)})",
                        f'"{acc}" in the line "{line.name}"',
                        (("result", kind, j, "accounts", k), acc),
                    )
    return settings


def budget_names(settings: Settings) -> list[str]:
    """What a ``[budget.YEAR]`` may name: the lines of ``[result]`` (income, then costs)
    and the funds that keep a balance (the operating fund is budgeted by its lines)."""
    lines = [line.name for line in (*settings.result.income, *settings.result.costs)]
    return [*lines, *(f.name for f in settings.funds if not f.is_operating)]


def _budget_names_known(settings: Settings) -> Settings:
    """Every name of a ``[budget.YEAR]`` is a line of ``[result]`` or a fund."""
    if not settings.budget:
        return settings
    import difflib

    known = budget_names(settings)
    for year, amounts in settings.budget.items():
        for name in amounts:
            if known.count(name) > 1:  # a line of [result] and a fund of the same name
                raise EntryError(
                    "a name that is one line of [result] or one fund, not both: rename one",
                    quoted(name),
                    (("budget", year, name), name),
                )
            if name in known:
                continue
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean {quoted(near[0])}?)" if near else ""
            raise EntryError(
                "the name of a line of [result] or of a fund of [[funds]] with its own `account`",
                f"{quoted(name)}{hint}",
                (("budget", year, name), name),
            )
    return settings


SETTINGS = Annotated[Settings, After(_result_lines_in_operating_fund), After(_budget_names_known)]
"""What the validator validates: the settings record with its whole-record rule."""
