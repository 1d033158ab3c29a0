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
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from sodertorn_ledger.problems import Problem
from sodertorn_ledger.settings.errors import SettingsError, key_line_in_file

SETTINGS_NAME = "sodertorn.toml"
YEAR_PLACEHOLDER = "{year}"

_ACCOUNT_PATTERN = r"^[^\s:;][^:;]*(:[^\s:;][^:;]*)*$"
"""Components joined by ':', no component empty or starting with a blank, no ';'."""


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


def _check_account(value: str) -> str:
    if not re.match(_ACCOUNT_PATTERN, value) or "  " in value:
        raise ValueError(
            "an account name: parts joined by ':', e.g. \"intäkter:drift\" "
            "(no empty part, no ';', no double space)"
        )
    return value


def _check_accounts(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(_check_account(v) for v in values)


def _check_tag(value: str) -> str:
    if not re.search(r"^[^\s:,;]+$", value):
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


def _rate_exact(value: Any) -> Any:
    # A TOML float is binary; money is written as a string (or whole number) to stay exact.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError('the rate as a string of kronor, e.g. "4.00"')
    return value


def _rate_sane(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError("a non-negative rate in kr")
    # The digits below öre must be zeros ("4.000" is 4.00). Counted rather than quantized:
    # quantize raises on a number with more digits than Decimal's precision ("1e30").
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    if any(digits[max(0, len(digits) + exponent + 2) :]):
        raise ValueError("a rate in whole öre (at most two decimals)")
    return value


def _year_key(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueError('a four-digit year as key, e.g. "2019"')
    return value


def _no_duplicates(values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f'each {what} once; "{v}" is given twice')
        seen.add(v)


def _no_overlap(owned: list[tuple[str, str]]) -> None:
    """Every account belongs to one owner: no entry equal to or inside another owner's."""
    for i, (a, owner_a) in enumerate(owned):
        for b, owner_b in owned[i + 1 :]:
            if covers(a, b) or covers(b, a):
                where = "twice" if owner_a == owner_b else f'in "{owner_a}" and "{owner_b}"'
                raise ValueError(f'each account in one place; "{a}" and "{b}" overlap {where}')


Name = Annotated[str, MinLength(1)]
AccountName = Annotated[str, After(_check_account)]
AccountNames = Annotated[tuple[str, ...], After(_check_accounts)]
YearKey = Annotated[str, After(_year_key)]
Rate = Annotated[Decimal, Before(_rate_exact), After(_rate_sane)]


# --- the settings --------------------------------------------------------------------------


class Member(NamedTuple):
    """A member municipality: SCB kommunkod, name, and the account its fee is booked on."""

    code: Annotated[str, After(_check_kommunkod)]
    name: Name
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
    note: str | None = None
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
    names: Mapping[str, str] = {}
    """Display names by tag value, for published names a tag value cannot hold (a comma)."""

    def display_name(self, value: str) -> str:
        return self.names.get(value, value)


def _one_kind_of_fund(fund: Fund) -> Fund:
    if (fund.account is None) == (fund.result_account is None):
        raise ValueError(
            "either `account` (a fund that keeps its balance) or `result_account` "
            "(the operating fund, which starts every year at zero), one of the two"
        )
    return fund


def _unique_members(members: tuple[Member, ...]) -> tuple[Member, ...]:
    _no_duplicates([m.code for m in members], "kommunkod")
    _no_duplicates([m.fee_account for m in members], "fee_account")
    return members


def _sane_funds(funds: tuple[Fund, ...]) -> tuple[Fund, ...]:
    _no_duplicates([f.name for f in funds], "fund name")
    if sum(f.is_operating for f in funds) > 1:
        raise ValueError("at most one fund with `result_account` (the operating fund)")
    owned: list[tuple[str, str]] = []
    for fund in funds:
        for acc in [fund.account or "", *fund.income, *fund.costs]:
            if acc:
                owned.append((acc, fund.name))
    _no_overlap(owned)
    return funds


class Settings(NamedTuple):
    """The whole of sodertorn.toml, validated."""

    organisation: Name
    currency: Name
    fees: Fees
    members: Annotated[tuple[Member, ...], MinLength(1), After(_unique_members)]
    funds: Annotated[
        tuple[Annotated[Fund, After(_one_kind_of_fund)], ...], MinLength(1), After(_sane_funds)
    ]
    result: ResultLines = ResultLines()
    projects: Projects = Projects()
    path: Annotated[Path, NotInFile()] = Path(SETTINGS_NAME)
    """The file these settings were read from."""

    @property
    def operating_fund(self) -> Fund | None:
        """The fund that starts every year at zero (Södertörnssamarbetet drift)."""
        return next((f for f in self.funds if f.is_operating), None)

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


def _result_lines_in_operating_fund(settings: Settings) -> Settings:
    """The lines of `ledger result` add up accounts of the operating fund."""
    result = settings.result
    lines = [*result.income, *result.costs]
    if not lines:
        return settings
    fund = settings.operating_fund
    if fund is None:
        raise ValueError("[result] lines need an operating fund (one with `result_account`)")
    _no_overlap([(a, line.name) for line in lines for a in line.accounts])
    for kind, group, parents in (
        ("income", result.income, fund.income),
        ("costs", result.costs, fund.costs),
    ):
        for line in group:
            for acc in line.accounts:
                if not any(covers(p, acc) for p in parents):
                    raise ValueError(
                        f'result.{kind} line "{line.name}": account "{acc}" is not among '
                        f"the {kind} of {fund.name} ({', '.join(parents) or 'none'})"
                    )
    return settings


SETTINGS = Annotated[Settings, After(_result_lines_in_operating_fund)]
"""What the validator validates: the settings record with its whole-record rule."""
