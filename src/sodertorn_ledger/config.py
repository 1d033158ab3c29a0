"""The settings of the books: ledger/sodertorn.toml beside the main journal.

The journal says what each account is; the settings say how accounts group into
members, funds and report lines. Reading the settings never raises a traceback at the
user: every bad value becomes a `Problem` naming the file, the line where it can be
found, the key and what was expected, collected in one `SettingsError`.

The settings are records (NamedTuples, their lists tuples), and each field's annotation
carries its rules (`MinLength`, `Before`, `After`); a rule on a whole record is
an `After` on the annotation where the record is used. Two readers work from those same
fields and rules. The quick reader here builds the records when every rule holds and
otherwise gives up without a word; then the pydantic models of `config_validation`, made
from the same records, validate the file and say what is wrong. So pydantic, which takes
longer to import than the rest of a short command takes to run, is imported only for
settings that have a problem.
"""

# No `from __future__ import annotations`: the readers look at every field's annotation on
# each run, and string annotations would have to be evaluated first (0.7 ms a start).
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin, get_type_hints

from sodertorn_ledger.problems import Problem

SETTINGS_NAME = "sodertorn.toml"
YEAR_PLACEHOLDER = "{year}"

_ACCOUNT_PATTERN = r"^[^\s:;][^:;]*(:[^\s:;][^:;]*)*$"
"""Components joined by ':', no component empty or starting with a blank, no ';'."""

BLANKS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What is stripped from both ends of every string: Unicode's White_Space, as pydantic's
str_strip_whitespace does (Python's str.strip() would also strip U+001C–U+001F)."""


class SettingsError(Exception):
    """The settings file is missing or has bad values; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def covers(prefix: str, account: str) -> bool:
    """True when `account` is `prefix` or one of its subaccounts."""
    return account == prefix or account.startswith(prefix + ":")


# --- the rules a field's annotation carries ------------------------------------------------
# (NamedTuples, as the records: a frozen dataclass takes eight times as long to define, and
# that is paid at every start.)


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
    names: Mapping[str, str] = MappingProxyType({})
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
                        line=_find_line(self.path, ("fees", "rates")),
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
"""What the readers read: the settings record with its whole-record rule."""

RECORDS: tuple[type, ...] = (Member, Fees, Fund, Line, ResultLines, Projects, Settings)
"""The records of the settings, which the readers build from TOML tables."""


class SettingField(NamedTuple):
    """A field of a settings record that is a key of the file."""

    name: str
    annotation: Any
    """Its type and rules."""
    required: bool
    default: Any
    """The value when the file leaves the key out (None when it is required)."""


@cache
def setting_fields(record: type) -> tuple[SettingField, ...]:
    """The fields of a settings record that are keys of the file, in their order."""
    hints = get_type_hints(record, include_extras=True)
    defaults: dict[str, Any] = record._field_defaults  # type: ignore[attr-defined]
    return tuple(
        SettingField(name, hints[name], name not in defaults, defaults.get(name))
        for name in record._fields  # type: ignore[attr-defined]
        if not _not_in_file(hints[name])
    )


def _not_in_file(hint: Any) -> bool:
    return get_origin(hint) is Annotated and any(
        isinstance(rule, NotInFile) for rule in get_args(hint)[1:]
    )


# --- reading -------------------------------------------------------------------------------


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
    settings = quick_settings(data)
    if settings is None:
        # Imported here: pydantic is needed only to say what is wrong (or to be sure).
        from sodertorn_ledger.config_validation import validate_settings

        settings = validate_settings(data, path, text)
    return settings._replace(path=path)


class _Doubt(Exception):
    """The quick reader is not sure the value is valid: pydantic decides."""


def quick_settings(data: dict[str, Any]) -> Settings | None:
    """The settings when `data` (as read from TOML) keeps every rule; None otherwise, with
    no reason given: pydantic's validation says what is wrong.

    It accepts what the pydantic models accept and builds the same records, with the
    conversions pydantic makes of TOML's values (strings stripped of blanks, a rate's
    string or whole number to Decimal); tests/test_config_readers.py checks that.
    """
    try:
        settings = _read(SETTINGS, data)
    except (_Doubt, ValueError):
        return None
    assert isinstance(settings, Settings)
    return settings


def _read(hint: Any, value: Any) -> Any:
    """`value` as the annotation `hint` describes, or _Doubt or the ValueError of a rule."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *rules = get_args(hint)
        for rule in rules:
            if isinstance(rule, Before):
                value = rule.rule(value)
        value = _read(base, value)
        for rule in rules:
            if isinstance(rule, MinLength) and len(value) < rule.n:
                raise _Doubt
            if isinstance(rule, After):
                value = rule.rule(value)
        return value
    if hint in RECORDS:
        if not isinstance(value, dict):
            raise _Doubt
        known = setting_fields(hint)
        if not value.keys() <= {f.name for f in known}:
            raise _Doubt
        given = {}
        for f in known:
            if f.name in value:
                given[f.name] = _read(f.annotation, value[f.name])
            elif f.required:
                raise _Doubt
        return hint(**given)
    if origin is tuple:
        if not isinstance(value, list):
            raise _Doubt
        item, _ = get_args(hint)  # tuple[item, ...]
        return tuple(_read(item, v) for v in value)
    if origin is dict or origin is Mapping:
        if not isinstance(value, dict):
            raise _Doubt
        key, item = get_args(hint)
        return {_read(key, k): _read(item, v) for k, v in value.items()}
    if origin in (Union, UnionType):
        if value is None:
            return None
        (inner,) = (a for a in get_args(hint) if a is not NoneType)
        return _read(inner, value)
    if hint is str:
        if not isinstance(value, str):
            raise _Doubt
        return value.strip(BLANKS)
    if hint is Decimal:
        return _decimal(value)
    raise TypeError(f"the quick reader has no rule for {hint!r}")


def _decimal(value: Any) -> Decimal:
    """A string or whole number as Decimal (TOML's other values are left to pydantic)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Doubt
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Doubt from None
    if not number.is_finite():
        raise _Doubt
    return number


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


def _find_line(path: Path, loc: tuple[str | int, ...]) -> int:
    try:
        return find_key_line(path.read_text(encoding="utf-8"), loc)
    except (OSError, UnicodeDecodeError):
        return 0


def find_key_line(text: str, loc: tuple[str | int, ...]) -> int:
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
