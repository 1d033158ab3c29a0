"""The settings of the books: ledger/sodertorn.toml beside the main journal.

The journal says what each account is; the settings say how accounts group into
members, funds and report lines. Reading the settings never raises a traceback at the
user: every bad value becomes a `Problem` naming the file, the line where it can be
found, the key and what was expected, collected in one `SettingsError`.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from sodertorn_ledger.journal.model import Account, Problem

SETTINGS_NAME = "sodertorn.toml"
YEAR_PLACEHOLDER = "{year}"

_ACCOUNT_PATTERN = r"^[^\s:;][^:;]*(:[^\s:;][^:;]*)*$"
"""Components joined by ':', no component empty or starting with a blank, no ';'."""


class SettingsError(Exception):
    """The settings file is missing or has bad values; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def covers(prefix: Account, account: Account) -> bool:
    """True when `account` is `prefix` or one of its subaccounts."""
    return account == prefix or account.startswith(prefix + ":")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


AccountName = str


def _check_account(value: str) -> str:
    if not re.match(_ACCOUNT_PATTERN, value) or "  " in value:
        raise ValueError(
            "an account name: parts joined by ':', e.g. \"intäkter:drift\" "
            "(no empty part, no ';', no double space)"
        )
    return value


class Member(_Model):
    """A member municipality: SCB kommunkod, name, and the account its fee is booked on."""

    code: str
    name: str = Field(min_length=1)
    fee_account: AccountName

    @field_validator("code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError('the SCB kommunkod, four digits, e.g. "0127"')
        return value

    @field_validator("fee_account")
    @classmethod
    def _valid_account(cls, value: str) -> str:
        return _check_account(value)


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
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError('a four-digit year as key, e.g. "2019"')
    return value


Rate = Annotated[Decimal, BeforeValidator(_rate_exact), AfterValidator(_rate_sane)]
YearKey = Annotated[str, AfterValidator(_year_key)]


class Fees(_Model):
    receivable_account: AccountName
    rates: dict[YearKey, Rate] = Field(min_length=1)
    """kr per inhabitant by the first year it applies (TOML keys are strings: "2019")."""

    @field_validator("receivable_account")
    @classmethod
    def _valid_account(cls, value: str) -> str:
        return _check_account(value)


class Fund(_Model):
    """A fund (ändamålsbestämda medel) of the Sammanställning and the accounts it is made of.

    `account` holds the fund's balance (equity); `income` and `costs` are its movements of
    the year. Each entry covers its subaccounts too. The operating fund has no `account`
    but a `result_account` pattern: the close moves its result into that new fund.
    """

    name: str = Field(min_length=1)
    note: str | None = None
    account: AccountName | None = None
    income: list[AccountName] = Field(default_factory=list)
    costs: list[AccountName] = Field(default_factory=list)
    result_account: str | None = None

    @field_validator("account")
    @classmethod
    def _valid_account(cls, value: str | None) -> str | None:
        return None if value is None else _check_account(value)

    @field_validator("income", "costs")
    @classmethod
    def _valid_accounts(cls, value: list[str]) -> list[str]:
        return [_check_account(v) for v in value]

    @field_validator("result_account")
    @classmethod
    def _valid_pattern(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.count(YEAR_PLACEHOLDER) != 1:
            raise ValueError('an account name with "{year}" once, e.g. "fonder:drift från {year}"')
        _check_account(value.replace(YEAR_PLACEHOLDER, "2000"))
        return value

    @model_validator(mode="after")
    def _balance_or_result(self) -> Fund:
        if (self.account is None) == (self.result_account is None):
            raise ValueError(
                "either `account` (a fund that keeps its balance) or `result_account` "
                "(the operating fund, which starts every year at zero), one of the two"
            )
        return self

    @property
    def is_operating(self) -> bool:
        return self.result_account is not None

    def result_account_for(self, year: int) -> Account:
        """The fund account the close creates for this operating fund's result of `year`."""
        if self.result_account is None:
            raise ValueError(f"{self.name} is not the operating fund")
        return self.result_account.replace(YEAR_PLACEHOLDER, str(year))

    def result_account_year(self, account: Account) -> int | None:
        """The year of a `result_account` such as "fonder:drift från 2019", else None."""
        if self.result_account is None:
            return None
        head, _, tail = self.result_account.partition(YEAR_PLACEHOLDER)
        match = re.fullmatch(re.escape(head) + r"(\d{4})" + re.escape(tail), account)
        return int(match.group(1)) if match else None


class Line(_Model):
    """A line of `ledger result`: a published name and the accounts it adds up."""

    name: str = Field(min_length=1)
    accounts: list[AccountName] = Field(min_length=1)

    @field_validator("accounts")
    @classmethod
    def _valid_accounts(cls, value: list[str]) -> list[str]:
        return [_check_account(v) for v in value]


class ResultLines(_Model):
    income: list[Line] = Field(default_factory=list)
    costs: list[Line] = Field(default_factory=list)


class Projects(_Model):
    tag: str = Field(default="projekt", pattern=r"^[^\s:,;]+$")
    names: dict[str, str] = Field(default_factory=dict)
    """Display names by tag value, for published names a tag value cannot hold (a comma)."""

    def display_name(self, value: str) -> str:
        return self.names.get(value, value)


class Settings(_Model):
    """The whole of sodertorn.toml, validated."""

    organisation: str = Field(min_length=1)
    currency: str = Field(min_length=1)
    fees: Fees
    members: list[Member] = Field(min_length=1)
    funds: list[Fund] = Field(min_length=1)
    result: ResultLines = Field(default_factory=ResultLines)
    projects: Projects = Field(default_factory=Projects)

    _path: Path = PrivateAttr(default=Path(SETTINGS_NAME))

    @property
    def path(self) -> Path:
        """The file these settings were read from."""
        return self._path

    @field_validator("members")
    @classmethod
    def _unique_members(cls, value: list[Member]) -> list[Member]:
        _no_duplicates([m.code for m in value], "kommunkod")
        _no_duplicates([m.fee_account for m in value], "fee_account")
        return value

    @field_validator("funds")
    @classmethod
    def _sane_funds(cls, value: list[Fund]) -> list[Fund]:
        _no_duplicates([f.name for f in value], "fund name")
        if sum(f.is_operating for f in value) > 1:
            raise ValueError("at most one fund with `result_account` (the operating fund)")
        owned: list[tuple[str, str]] = []
        for fund in value:
            for acc in [fund.account or "", *fund.income, *fund.costs]:
                if acc:
                    owned.append((acc, fund.name))
        _no_overlap(owned)
        return value

    @model_validator(mode="after")
    def _lines_in_operating_fund(self) -> Settings:
        lines = [*self.result.income, *self.result.costs]
        if not lines:
            return self
        fund = self.operating_fund
        if fund is None:
            raise ValueError("[result] lines need an operating fund (one with `result_account`)")
        _no_overlap([(a, line.name) for line in lines for a in line.accounts])
        for kind, group, parents in (
            ("income", self.result.income, fund.income),
            ("costs", self.result.costs, fund.costs),
        ):
            for line in group:
                for acc in line.accounts:
                    if not any(covers(p, acc) for p in parents):
                        raise ValueError(
                            f'result.{kind} line "{line.name}": account "{acc}" is not among '
                            f"the {kind} of {fund.name} ({', '.join(parents) or 'none'})"
                        )
        return self

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
                        line=_find_line(self.path, ("fees", "rates")),
                        message=f"fees.rates: no fee rate for {year}; "
                        f"the first rate is for {first}",
                        hint=f'add a rate for {year} under [fees.rates], e.g. "{year}" = "4.00"',
                    )
                ]
            )
        return self.fees.rates[str(max(valid))]


def _no_duplicates(values: list[str], what: str) -> None:
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


def settings_path(journal_path: Path) -> Path:
    """The sodertorn.toml beside the main journal."""
    return journal_path.parent / SETTINGS_NAME


def load_settings(path: Path) -> Settings:
    """Read and validate the settings; raise SettingsError with every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(
            [
                Problem(
                    file=str(path),
                    line=0,
                    message="no settings file",
                    hint=f"the books need {SETTINGS_NAME} beside the main journal "
                    '(see the README, "Settings: `sodertorn.toml`")',
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise SettingsError(
            [Problem(file=str(path), line=0, message=f"cannot read the settings: {err}")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError([_toml_problem(path, err)]) from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as err:
        raise SettingsError(
            [_validation_problem(path, text, error) for error in err.errors()]
        ) from None
    settings._path = path
    return settings


def _toml_problem(path: Path, err: tomllib.TOMLDecodeError) -> Problem:
    message = str(err)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (0, None)
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    return Problem(
        file=str(path),
        line=line,
        column=column,
        message=f"not valid TOML: {message}",
        hint="see https://toml.io for the syntax; strings are in double quotes",
    )


def _validation_problem(path: Path, text: str, error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    key = _key_name(loc)
    if error["type"] == "missing":
        message = f"{key}: missing (a required setting)"
    elif error["type"] == "extra_forbidden":
        message = f"{key}: unknown setting (misspelt, or in the wrong table?)"
    else:
        expected = str(error["msg"]).removeprefix("Value error, ")
        message = f"{key}: expected {expected}, got {_shown(error.get('input'))}"
    return Problem(file=str(path), line=_find_line_in(text, loc), message=message)


def _key_name(loc: tuple[str | int, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if part == "[key]":  # pydantic's marker for a bad dict key: the part before it
            continue
        if i + 1 < len(loc) and loc[i + 1] == "[key]":
            out += f' (key "{part}")'
        elif isinstance(part, int):
            out += f"[{part + 1}]"  # the user counts tables from one
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _find_line(path: Path, loc: tuple[str | int, ...]) -> int:
    try:
        return _find_line_in(path.read_text(encoding="utf-8"), loc)
    except (OSError, UnicodeDecodeError):
        return 0


def _find_line_in(text: str, loc: tuple[str | int, ...]) -> int:
    """Best-effort line (1-based) of a key in the TOML text; 0 when it cannot be found.

    Follows the path through `[table]` and `[[array]]` headers (counting array entries)
    and then looks for `key =` inside the table reached.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    table: list[str] = []
    best = 0
    parts = list(loc)
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(part, int):
            i += 1
            continue
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        dotted = ".".join([*table, part])
        if isinstance(nxt, int):
            found = _nth_header(lines, start, end, f"[[{dotted}]]", nxt)
            if found is not None:
                start, end = found, _next_header(lines, found + 1, end, dotted)
                best = found + 1
                table = [dotted]
                i += 2
                continue
        header = _nth_header(lines, start, end, f"[{dotted}]", 0)
        if header is not None:
            start, end = header, _next_header(lines, header + 1, len(lines), dotted)
            best = header + 1
            table = [dotted]
            i += 1
            continue
        key_line = _key_line(lines, start, end, part)
        if key_line is not None:
            return key_line + 1
        return best
    return best


def _nth_header(lines: list[str], start: int, end: int, header: str, n: int) -> int | None:
    count = 0
    for number in range(start, end):
        if lines[number].strip().replace(" ", "") == header.replace(" ", ""):
            if count == n:
                return number
            count += 1
    return None


def _next_header(lines: list[str], start: int, end: int, table: str) -> int:
    for number in range(start, end):
        stripped = lines[number].strip()
        if stripped.startswith("[") and not stripped.startswith(f"[{table}."):
            return number
    return end


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(r'^\s*("?)' + re.escape(key) + r"\1\s*=")
    for number in range(start, end):
        if pattern.match(lines[number]):
            return number
    return None
