"""The settings: the bundled sodertorn.toml, the contract API, and bad values as problems."""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from sodertorn_ledger.settings import (
    MAX_BYTES,
    SettingsError,
    covers,
    load_settings,
    settings_path,
)

BUNDLED = Path(__file__).resolve().parent.parent / "ledger" / "sodertorn.toml"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The bundled settings with one piece of text replaced, written to tmp_path."""
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the bundled settings"
    path = tmp_path / "sodertorn.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.problems, "a SettingsError always carries problems"
    for problem in caught.value.problems:
        assert problem.file == str(path)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_settings_path_is_beside_the_journal() -> None:
    assert settings_path(Path("books") / "main.journal") == Path("books") / "sodertorn.toml"


def test_bundled_settings_follow_the_contract() -> None:
    settings = load_settings(BUNDLED)
    assert settings.organisation == "Södertörnssamarbetet"
    assert settings.currency == "kr"
    assert [(m.code, m.name) for m in settings.members] == [
        ("0127", "Botkyrka"),
        ("0136", "Haninge"),
        ("0126", "Huddinge"),
        ("0140", "Nykvarn"),
        ("0192", "Nynäshamn"),
        ("0128", "Salem"),
        ("0181", "Södertälje"),
        ("0138", "Tyresö"),
    ]
    assert settings.members[0].fee_account == "intäkter:drift:avgifter:botkyrka"
    assert settings.fees.receivable_account == "tillgångar:kundfordringar"
    assert settings.fee_rate(2020) == Decimal("4.00")
    assert settings.path == BUNDLED


def test_bundled_funds_in_published_order() -> None:
    settings = load_settings(BUNDLED)
    assert [f.name for f in settings.funds] == [
        "Södertörnssamarbetet drift",
        "Södertörnsmodellen",
        "Kommunikationsprojekt",
        "Södertörnskonferensen",
        "Bidrag från Tillväxtverket",
    ]
    notes = [f.note for f in settings.funds if f.note]
    assert notes == [
        "medel som överförts från Nynäshamn 28 jan 2020",
        "avser systemanalysen från 2019",
    ]
    operating = settings.operating_fund
    assert operating is not None and operating.name == "Södertörnssamarbetet drift"
    assert operating.result_account_for(2020) == "fonder:drift från 2020"
    assert operating.result_account_year("fonder:drift från 2018") == 2018
    assert operating.result_account_year("fonder:drift från 2018:x") is None
    assert operating.result_account_year("fonder:södertörnsmodellen") is None


def test_fee_rate_applies_from_its_year_until_a_later_key(tmp_path: Path) -> None:
    path = variant(tmp_path, '"2019" = "4.00"', '"2019" = "4.00"\n"2022" = "4.50"')
    settings = load_settings(path)
    assert settings.fee_rate(2019) == Decimal("4.00")
    assert settings.fee_rate(2021) == Decimal("4.00")
    assert settings.fee_rate(2022) == Decimal("4.50")
    assert settings.fee_rate(2040) == Decimal("4.50")


def test_no_rate_for_an_early_year_is_a_settings_error() -> None:
    settings = load_settings(BUNDLED)
    with pytest.raises(SettingsError) as caught:
        settings.fee_rate(2010)
    (problem,) = caught.value.problems
    assert problem.file == str(BUNDLED)
    assert problem.line == line_of(BUNDLED, "[fees.rates]")
    assert "fees.rates" in problem.message and "2010" in problem.message


def test_covers_means_the_account_or_a_subaccount() -> None:
    assert covers("kostnader:drift", "kostnader:drift")
    assert covers("kostnader:drift", "kostnader:drift:personal")
    assert not covers("kostnader:drift", "kostnader:driftx")
    assert not covers("kostnader:drift:personal", "kostnader:drift")


def test_missing_file(tmp_path: Path) -> None:
    (message,) = problems_of(tmp_path / "sodertorn.toml")
    assert "no settings file" in message


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = variant(tmp_path, 'currency = "kr"', "currency = kr")
    (message,) = problems_of(path)
    assert message.startswith(f"{line_of(path, 'currency = kr')}: not valid TOML")


@pytest.mark.parametrize(
    ("old", "new", "key", "expected", "at"),
    [
        ('code = "0127"', 'code = "127"', "members[1].code", "four digits", 'code = "127"'),
        (
            '"2019" = "4.00"',
            '"2019" = 4.0',
            "fees.rates.2019",
            'as a string of kronor, e.g. "4.00"',
            '"2019" = 4.0',
        ),
        ('"2019" = "4.00"', '"2019" = "-1"', "fees.rates.2019", "non-negative", '"2019" ='),
        ('"2019" = "4.00"', '"2019" = "4.001"', "fees.rates.2019", "whole öre", '"2019" ='),
        ('"2019" = "4.00"', '"19" = "4.00"', 'fees.rates (key "19")', "four-digit year", '"19" ='),
        # Other scripts' digits are digits to Python's int(), not to a year or a kommunkod.
        (
            '"2019" = "4.00"',
            '"\u0662\u0660\u0661\u0669" = "4.00"',
            'fees.rates (key "\u0662\u0660\u0661\u0669")',
            "four-digit year",
            '"\u0662\u0660\u0661\u0669" =',
        ),
        ('code = "0127"', 'code = "\u0660127"', "members[1].code", "four digits", "code ="),
        (
            'name = "Salem"\nfee_account = "intäkter:drift:avgifter:salem"',
            'name = "Salem"\nfee_account = "intäkter::salem"',
            "members[6].fee_account",
            "an account name",
            "intäkter::salem",
        ),
        (
            'account = "fonder:kommunikationsprojekt"',
            'acount = "fonder:kommunikationsprojekt"',
            "funds[3].acount",
            "unknown setting",
            "acount =",
        ),
        (
            'organisation = "Södertörnssamarbetet"',
            "",
            "organisation",
            "missing",
            None,
        ),
        (
            'result_account = "fonder:drift från {year}"',
            'result_account = "fonder:drift från"',
            "funds[1].result_account",
            '"{year}" once',
            "result_account =",
        ),
        # pydantic's own checks, in TOML's words rather than pydantic's.
        (
            'organisation = "Södertörnssamarbetet"',
            "organisation = 3",
            "organisation",
            "expected a string (in double quotes), got 3",
            "organisation =",
        ),
        (
            'organisation = "Södertörnssamarbetet"',
            'organisation = "  "',
            "organisation",
            "expected at least 1 character (blanks at either end do not count), got '  '",
            "organisation =",
        ),
        (
            'costs = ["kostnader:södertörnsmodellen"]',
            'costs = "kostnader:södertörnsmodellen"',
            "funds[2].costs",
            'expected an array, e.g. ["a", "b"], got',
            'costs = "kostnader:södertörnsmodellen"',
        ),
        (
            'costs = ["kostnader:södertörnsmodellen"]',
            "costs = { a = 1 }",
            "funds[2].costs",
            'expected an array, e.g. ["a", "b"], got a table',
            "costs = { a = 1 }",
        ),
        (
            "[projects.names]",
            "names = 3\n[projects.more]",
            "projects.names",
            "expected a table, got 3",
            "names = 3",
        ),
        (
            'tag = "projekt"',
            'tag = "mitt projekt"',
            "projects.tag",
            "expected a tag name: no blank, ':', ',' or ';', got 'mitt projekt'",
            "tag =",
        ),
        (
            '"2019" = "4.00"',
            '"2019" = "fyra"',
            "fees.rates.2019",
            "expected a number, e.g. \"4.00\", got 'fyra'",
            '"2019" =',
        ),
    ],
)
def test_bad_value_names_file_line_key_and_expectation(
    tmp_path: Path, old: str, new: str, key: str, expected: str, at: str | None
) -> None:
    path = variant(tmp_path, old, new)
    messages = problems_of(path)
    matching = [m for m in messages if f" {key}: " in m and expected in m]
    assert matching, messages
    if at is not None:
        assert matching[0].startswith(f"{line_of(path, at)}: "), matching


def test_a_key_with_a_line_break_is_quoted_in_its_one_line_message(tmp_path: Path) -> None:
    path = variant(tmp_path, "[projects.names]", '[projects."na\\nmes"]')
    messages = problems_of(path)
    assert any('projects."na\\nmes": unknown setting' in m for m in messages), messages
    assert not [m for m in messages if "\n" in m]


def test_overlapping_fund_accounts_are_refused(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'costs = ["kostnader:södertörnsmodellen"]',
        'costs = ["kostnader:södertörnsmodellen", "kostnader:drift:projekt"]',
    )
    (message,) = problems_of(path)
    assert "funds" in message and "overlap" in message
    assert '"Södertörnssamarbetet drift" and "Södertörnsmodellen"' in message


def test_duplicate_member_code_names_both_lines(tmp_path: Path) -> None:
    path = variant(tmp_path, 'code = "0136"', 'code = "0127"')
    (message,) = problems_of(path)
    first, second = (n for n, t in enumerate(path.read_text().splitlines(), 1) if "0127" in t)
    assert message == (
        f'{second}: members[2].code: expected each kommunkod once, got "0127" twice, '
        f"at members[1].code (line {first}) and members[2].code (line {second})"
    )


def test_duplicate_fee_account_names_both_lines(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'fee_account = "intäkter:drift:avgifter:salem"',
        'fee_account = "intäkter:drift:avgifter:botkyrka"',
    )
    (message,) = problems_of(path)
    first, second = (
        n
        for n, t in enumerate(path.read_text().splitlines(), 1)
        if 'fee_account = "intäkter:drift:avgifter:botkyrka"' in t
    )
    assert message.startswith(f"{second}: members[6].fee_account: expected each fee_account once")
    assert (
        f"members[1].fee_account (line {first}) and members[6].fee_account (line {second})"
        in message
    )


def test_duplicate_fund_name_names_both_lines(tmp_path: Path) -> None:
    path = variant(tmp_path, 'name = "Södertörnskonferensen"', 'name = "Södertörnsmodellen"')
    (message,) = problems_of(path)
    first = line_of(path, 'name = "Södertörnsmodellen"')
    second = first + 13
    assert path.read_text().splitlines()[second - 1] == 'name = "Södertörnsmodellen"'
    assert message == (
        f'{second}: funds[4].name: expected each fund name once, got "Södertörnsmodellen" '
        f"twice, at funds[2].name (line {first}) and funds[4].name (line {second})"
    )


def test_result_line_outside_the_operating_fund_is_refused(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'accounts = ["kostnader:drift:projekt"]',
        'accounts = ["kostnader:södertörnsmodellen"]',
    )
    (message,) = problems_of(path)
    assert '"Projekt"' in message and "kostnader:södertörnsmodellen" in message


def test_two_operating_funds_are_refused(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'account = "fonder:södertörnskonferensen"',
        'result_account = "fonder:konferens {year}"',
    )
    (message,) = problems_of(path)
    assert "at most one fund with `result_account`" in message


def test_a_fund_needs_a_balance_account_or_a_result_account(tmp_path: Path) -> None:
    path = variant(tmp_path, 'account = "fonder:södertörnskonferensen"\n', "")
    (message,) = problems_of(path)
    assert "funds[4]: expected either `account`" in message
    header = line_of(path, 'name = "Södertörnskonferensen"') - 1  # its [[funds]] line
    assert message.startswith(f"{header}: ")


def test_a_fund_cannot_have_both(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'account = "fonder:södertörnskonferensen"',
        'account = "fonder:södertörnskonferensen"\nresult_account = "fonder:k {year}"',
    )
    messages = problems_of(path)
    assert any("funds[4]: expected either `account`" in m for m in messages), messages


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ('"4.000"', Decimal("4.00")),
        ('"4"', Decimal("4.00")),
        ('"1e8"', Decimal("100000000.00")),
        ('"999999999.99"', Decimal("999999999.99")),
        (f'"4.{"0" * 40}"', Decimal("4.00")),
        ('"-0"', Decimal("0.00")),
        ("100000000", Decimal("100000000.00")),
    ],
)
def test_a_rate_is_kept_as_kronor_and_ore(tmp_path: Path, rate: str, expected: Decimal) -> None:
    """Every rate has two decimals and at most eleven digits: rate × folkmängd (≤ 10⁸) is
    never rounded by Decimal's 28 digits."""
    path = variant(tmp_path, '"2019" = "4.00"', f'"2019" = {rate}')
    got = load_settings(path).fee_rate(2020)
    assert got == expected and str(got) == str(expected)
    _, digits, exponent = got.as_tuple()
    assert exponent == -2 and len(digits) <= 11 and not got.is_signed()


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ('"1234567890123456789012345678"', "a rate below 1 000 000 000 kr"),
        ('"1234567890123456789012345678.001"', "a rate below 1 000 000 000 kr"),
        ('"1000000000"', "a rate below 1 000 000 000 kr"),
        ('"1e30"', "a rate below 1 000 000 000 kr"),
        ("1000000000000000000000000000000", "a rate below 1 000 000 000 kr"),
        ('"4.001"', "a rate in whole öre"),
        (f'"4.{"0" * 40}1"', "a rate in whole öre"),
    ],
)
def test_a_rate_beyond_the_precision_is_refused_with_its_line(
    tmp_path: Path, rate: str, expected: str
) -> None:
    path = variant(tmp_path, '"2019" = "4.00"', f'"2019" = {rate}')
    (message,) = problems_of(path)
    at = line_of(path, '"2019" =')
    assert message.startswith(f"{at}: fees.rates.2019: expected {expected}"), message


# --- text that reaches the books ------------------------------------------------------------

TEXT_KEYS = [
    ('organisation = "Södertörnssamarbetet"', "organisation = {}", "organisation"),
    ('name = "Haninge"', "name = {}", "members[2].name"),
    ('name = "Södertörnsmodellen"', "name = {}", "funds[2].name"),
    ('note = "avser systemanalysen från 2019"', "note = {}", "funds[5].note"),
    ('{ name = "Representation"', "{{ name = {}", "result.costs[4].name"),
    ('"Produktion kartor, Details"', "{}", "projects.names.Produktion kartor"),
]
NOT_ONE_LINE = [
    ("\\n", "U+000A, a line break"),
    ("\\r", "U+000D, a carriage return"),
    ("\\t", "U+0009, a tab"),
    ("\\u001b[31m", "U+001B, an escape character"),
    ("\\u0000", "U+0000, a NUL byte"),
    ("\\u0085", "U+0085, a next-line character"),
    ("\\u2028", "U+2028, a line separator"),
    ("\\u2029", "U+2029, a paragraph separator"),
    ("\\u202e", "U+202E, right-to-left override"),
    ("\\u200b", "U+200B, zero width space"),
    ("\u2028", "U+2028, a line separator"),  # in the file as it is, not escaped
]


@pytest.mark.parametrize(("old", "new", "key"), TEXT_KEYS)
@pytest.mark.parametrize(("char", "named"), NOT_ONE_LINE)
def test_every_text_is_one_line(
    tmp_path: Path, old: str, new: str, key: str, char: str, named: str
) -> None:
    path = variant(tmp_path, old, new.format(f'"x{char}y"'))
    messages = problems_of(path)
    expected = f"{key}: expected one line of text, with no line break, tab or other control "
    (message,) = [m for m in messages if expected in m and f"(found {named})" in m]
    assert message.startswith(f"{line_of(BUNDLED, old)}: {key}: "), messages


@pytest.mark.parametrize("name", ["Haninge; avgift:2021", "Haninge | Avgift", "Han|inge"])
def test_a_member_name_holds_nothing_that_ends_an_invoice_description(
    tmp_path: Path, name: str
) -> None:
    path = variant(tmp_path, 'name = "Haninge"', f'name = "{name}"')
    (message,) = problems_of(path)
    at = line_of(path, name)
    assert message.startswith(f"{at}: members[2].name: expected a name without ';' or '|'")


def test_the_operating_funds_name_holds_no_comma_other_funds_may(tmp_path: Path) -> None:
    path = variant(tmp_path, 'name = "Södertörnsmodellen"', 'name = "Södertörns, modellen"')
    text = path.read_text(encoding="utf-8")  # the budget names the fund too
    path.write_text(text.replace('"Södertörnsmodellen" =', '"Södertörns, modellen" ='), "utf-8")
    assert load_settings(path).funds[1].name == "Södertörns, modellen"
    path = variant(tmp_path, 'name = "Södertörnssamarbetet drift"', 'name = "Drift, samarbetet"')
    (message,) = problems_of(path)
    at = line_of(path, "Drift, samarbetet")
    assert message.startswith(f"{at}: funds[1].name: expected the operating fund's name without")


def test_a_no_break_space_is_text_but_no_part_of_an_account(tmp_path: Path) -> None:
    path = variant(tmp_path, 'name = "Haninge"', 'name = "Han\u00a0inge"')
    assert load_settings(path).members[1].name == "Han\u00a0inge"
    path = variant(tmp_path, "avgifter:haninge", "avgifter:han\u00a0inge")
    (message,) = problems_of(path)
    assert "members[2].fee_account: expected an account name" in message


@pytest.mark.parametrize(
    ("currency", "ok"),
    [
        ("kr", True),
        ("SEK", True),
        ("€", True),
        ("$", True),
        ("kr1", False),
        ("k r", False),
        ("kr;", False),
        ('\\"kr\\"', False),
        ("kr.", False),
        ("-kr", False),
    ],
)
def test_the_currency_is_letters_or_a_currency_sign(
    tmp_path: Path, currency: str, ok: bool
) -> None:
    path = variant(tmp_path, 'currency = "kr"', f'currency = "{currency}"')
    if ok:
        assert load_settings(path).currency == currency
    else:
        (message,) = problems_of(path)
        assert message.startswith(f"{line_of(path, 'currency =')}: currency: expected a currency")


@pytest.mark.parametrize(
    "account",
    ["intäkter:drift\\tx", "intäkter:drift\\nx", "intäkter:\\u001bdrift", "intäkter:\\u2028drift"],
)
def test_an_account_is_one_line_without_tabs(tmp_path: Path, account: str) -> None:
    path = variant(tmp_path, 'income = ["intäkter:drift"]', f'income = ["{account}"]')
    messages = problems_of(path)
    assert any("funds[1].income: expected an account name" in m for m in messages), messages


def test_overlapping_accounts_name_both_lines(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'costs = ["kostnader:södertörnsmodellen"]',
        'costs = [\n    "kostnader:södertörnsmodellen",\n    "kostnader:drift:projekt",\n]',
    )
    (message,) = problems_of(path)
    first = line_of(path, 'costs = ["kostnader:drift"]')
    second = line_of(path, '"kostnader:drift:projekt",')
    assert message == (
        f"{second}: funds[2].costs[2]: expected each account in one place, got "
        '"kostnader:drift" and "kostnader:drift:projekt", which overlap, in '
        '"Södertörnssamarbetet drift" and "Södertörnsmodellen", at funds[1].costs[1] '
        f"(line {first}) and funds[2].costs[2] (line {second})"
    )


def test_many_overlapping_accounts_are_checked_quickly(tmp_path: Path) -> None:
    """Each entry is compared with its neighbour once sorted, not with every other one."""
    many = ", ".join(f'"kostnader:södertörnsmodellen:k{i}"' for i in range(20_000))
    path = variant(
        tmp_path,
        'costs = ["kostnader:södertörnsmodellen"]',
        f'costs = [{many}, "kostnader:södertörnsmodellen"]',
    )
    start = time.monotonic()
    (message,) = problems_of(path)
    assert time.monotonic() - start < 20
    assert "funds[2].costs[20001]: expected each account in one place" in message


# --- reading the file -----------------------------------------------------------------------


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    path = tmp_path / "sodertorn.toml"
    os.mkfifo(path)  # opening it to read would block until a writer comes
    (message,) = problems_of(path)
    assert message == (
        "0: the settings are a FIFO (named pipe), not a file; nothing was read from it"
    )


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "sodertorn.toml").symlink_to(BUNDLED)
    assert load_settings(tmp_path / "sodertorn.toml").organisation == "Södertörnssamarbetet"


def test_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "sodertorn.toml"
    data = BUNDLED.read_bytes()
    path.write_bytes(data + b"#" * (MAX_BYTES - len(data) - 1) + b"\n")
    assert load_settings(path).organisation == "Södertörnssamarbetet"
    path.write_bytes(data + b"#" * (MAX_BYTES - len(data)) + b"\n")
    (message,) = problems_of(path)
    assert "larger than 1 MB" in message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "sodertorn.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BUNDLED.read_bytes())
    assert load_settings(path) == load_settings(BUNDLED)._replace(path=path)


def test_a_byte_that_is_not_utf8_has_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "sodertorn.toml"
    path.write_bytes(BUNDLED.read_bytes().replace("Tyresö".encode(), b"Tyres\xf6"))
    (message,) = problems_of(path)
    at = line_of_bytes(path, b"Tyres\xf6")
    assert message == f"{at}: not UTF-8: the byte 0xf6 cannot be read as text"


def line_of_bytes(path: Path, needle: bytes) -> int:
    return next(n for n, line in enumerate(path.read_bytes().split(b"\n"), 1) if needle in line)


@pytest.mark.parametrize(
    "value", ["[" * 33 + "]" * 33, "{a = " * 33 + "1" + "}" * 33, "[" * 100_000]
)
def test_nesting_too_deep_is_a_problem_not_a_crash(tmp_path: Path, value: str) -> None:
    path = variant(tmp_path, 'currency = "kr"', f"currency = {value}")
    (message,) = problems_of(path)
    at = line_of(path, "currency =")
    assert message == f"{at}: arrays and tables nested too deep (more than 32 levels)"


def test_nesting_of_32_levels_is_read(tmp_path: Path) -> None:
    path = variant(tmp_path, 'currency = "kr"', 'currency = "kr"\nx = ' + "[" * 32 + "]" * 32)
    (message,) = problems_of(path)
    assert "x: unknown setting" in message


def test_brackets_in_strings_and_comments_do_not_nest(tmp_path: Path) -> None:
    text = '"' + "[" * 40 + '"'
    path = variant(
        tmp_path,
        'name = "Haninge"',
        f'name = "Haninge"  # {"[" * 40}\n# {"{" * 40}\n'
        f'x = [{text}, \'{"[" * 40}\', """{"[" * 40}\n{"[" * 40}"""]',
    )
    (message,) = problems_of(path)
    assert "members[2].x: unknown setting" in message


def test_a_line_separator_in_a_string_does_not_move_the_lines(tmp_path: Path) -> None:
    path = variant(tmp_path, 'organisation = "Södertörnssamarbetet"', 'organisation = "a\u2028b"')
    path.write_text(path.read_text().replace('code = "0140"', 'code = "140"'))
    messages = problems_of(path)
    # Lines as TOML counts them (str.splitlines would end one at the U+2028 too).
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index('code = "140"') + 1
    assert at == line_of(BUNDLED, 'code = "0140"')
    assert any(m.startswith(f"{at}: members[4].code") for m in messages), messages


def test_at_most_twenty_problems_are_listed(tmp_path: Path) -> None:
    members = "".join(
        f'[[members]]\ncode = "{i}"\nname = "M"\nfee_account = "x:{i}"\n' for i in range(30)
    )
    funds = "# The funds of the Sammanställning"
    path = variant(tmp_path, funds, members + funds)
    messages = problems_of(path)
    assert len(messages) == 21 and messages[-1] == "0: and 10 more problems in the settings"


def test_tomllib_recursing_too_deep_is_a_problem_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the cheap scan before tomllib miss a nesting, tomllib's RecursionError is
    caught all the same."""
    from sodertorn_ledger.settings import validate

    monkeypatch.setattr(validate, "_too_deep", lambda text: None)
    path = variant(tmp_path, 'currency = "kr"', "currency = " + "[" * 5000 + "]" * 5000)
    (message,) = problems_of(path)
    assert message == "0: arrays and tables nested too deep (more than 32 levels)"


def test_an_integer_tomllib_cannot_read_is_a_problem(tmp_path: Path) -> None:
    path = variant(tmp_path, '"2019" = "4.00"', '"2019" = ' + "9" * 5000)
    (message,) = problems_of(path)
    assert message == f"{line_of(path, '2019')}: not valid TOML: a number too long to read"


@pytest.mark.parametrize(
    ("written", "meant", "key"),
    [
        ('organisation = "', 'organization = "', "organization"),
        ('receivable_account = "', 'receivable_acount = "', "fees.receivable_acount"),
        (
            'fee_account = "intäkter:drift:avgifter:botkyrka"',
            'fee_acount = "intäkter:drift:avgifter:botkyrka"',
            "members[1].fee_acount",
        ),
    ],
)
def test_a_misspelt_key_gets_the_nearest_one(
    tmp_path: Path, written: str, meant: str, key: str
) -> None:
    path = variant(tmp_path, written, meant)
    messages = problems_of(path)
    right = written.split(" ")[0]
    expected = f"{key}: unknown setting (misspelt, or in the wrong table?); did you mean {right}?"
    assert any(m.endswith(expected) for m in messages), messages


def test_a_key_like_no_other_gets_no_suggestion(tmp_path: Path) -> None:
    path = variant(tmp_path, 'currency = "kr"', 'currency = "kr"\nzzz = 1')
    (message,) = problems_of(path)
    assert message.endswith("zzz: unknown setting (misspelt, or in the wrong table?)")


# --- [sie]: SIE 4 files -----------------------------------------------------------------------


def test_the_bundled_sie_settings() -> None:
    sie = load_settings(BUNDLED).sie
    assert sie.orgnr == "222000-1234"
    assert sie.name is None  # the organisation's name
    assert sie.kptyp == "KOMMUNBAS"
    assert sie.accounts["tillgångar:bank"] == "1930"
    assert sie.numbers == {}


def test_an_account_covers_its_subaccounts_unless_they_have_a_number(tmp_path: Path) -> None:
    path = variant(tmp_path, "[sie.accounts]\n", '[sie.accounts]\n"kostnader:drift" = "4000"\n')
    sie = load_settings(path).sie
    assert sie.number_of("kostnader:drift:personal:löner") == "5010"
    assert sie.number_of("kostnader:drift:personal") == "4000"
    assert sie.number_of("kostnader:drift:nytt konto") == "4000"
    assert sie.number_of("kostnader:nytt konto") is None
    assert sie.account_of("4000") == "kostnader:drift"
    assert sie.account_of("5010") == "kostnader:drift:personal:löner"
    assert sie.account_of("9999") is None


SIE_VALUES = [
    ('orgnr = "222000-1234"', 'orgnr = "2220001234"', "sie.orgnr", "NNNNNN-NNNN"),
    ('orgnr = "222000-1234"', 'orgnr = "222000-12345"', "sie.orgnr", "NNNNNN-NNNN"),
    ('kptyp = "KOMMUNBAS"', 'kptyp = "KOMMUN BAS"', "sie.kptyp", "one word"),
    (
        '"tillgångar:bank" = "1930"',
        '"tillgångar:bank" = 1930',
        "sie.accounts.tillgångar:bank",
        "a string of digits",
    ),
    (
        '"tillgångar:bank" = "1930"',
        '"tillgångar:bank" = "19 30"',
        "sie.accounts.tillgångar:bank",
        "digits only",
    ),
    (
        '"tillgångar:bank" = "1930"',
        '"tillgångar:bank" = "193O"',
        "sie.accounts.tillgångar:bank",
        "digits only",
    ),
    (
        '"tillgångar:bank" = "1930"',
        '"tillgångar:bank" = ""',
        "sie.accounts.tillgångar:bank",
        "digits only",
    ),
    (
        '"tillgångar:bank" = "1930"',
        '"tillgångar;bank" = "1930"',
        'sie.accounts (key "tillgångar;bank")',
        "an account name",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "expected"), SIE_VALUES)
def test_a_bad_sie_value_names_its_key_and_line(
    tmp_path: Path, old: str, new: str, key: str, expected: str
) -> None:
    path = variant(tmp_path, old, new)
    (message,) = problems_of(path)
    assert message.startswith(f"{line_of(path, new)}: {key}: expected "), message
    assert expected in message


def test_a_number_keeps_its_leading_zeros(tmp_path: Path) -> None:
    path = variant(tmp_path, '"tillgångar:bank" = "1930"', '"tillgångar:bank" = "0027"')
    assert load_settings(path).sie.number_of("tillgångar:bank") == "0027"


def test_a_number_given_twice_needs_the_account_an_import_books_to(tmp_path: Path) -> None:
    twice = '"tillgångar:bank" = "1510"'
    path = variant(tmp_path, '"tillgångar:bank" = "1930"', twice)
    (message,) = problems_of(path)
    first, second = line_of(path, '"tillgångar:kundfordringar" = '), line_of(path, twice)
    assert message == (
        f"{second}: sie.accounts.tillgångar:bank: expected each number once in [sie.accounts], "
        "or the number in [sie.numbers] too (the account an imported one books to), got "
        '"1510" for "tillgångar:kundfordringar" and "tillgångar:bank", at '
        f"sie.accounts.tillgångar:kundfordringar (line {first}) and "
        f"sie.accounts.tillgångar:bank (line {second})"
    )
    text = path.read_text(encoding="utf-8").replace(
        "[sie.accounts]", '[sie.numbers]\n"1510" = "tillgångar:kundfordringar"\n\n[sie.accounts]'
    )
    path.write_text(text, encoding="utf-8")
    sie = load_settings(path).sie
    assert sie.number_of("tillgångar:bank") == sie.number_of("tillgångar:kundfordringar") == "1510"
    assert sie.account_of("1510") == "tillgångar:kundfordringar"


def test_numbers_of_another_chart_book_to_the_accounts_given(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "[sie.accounts]",
        '[sie.numbers]\n"7010" = "kostnader:drift:personal:löner"\n"1930" = "tillgångar:bank"\n\n'
        "[sie.accounts]",
    )
    sie = load_settings(path).sie
    assert sie.account_of("7010") == "kostnader:drift:personal:löner"
    assert sie.account_of("5010") == "kostnader:drift:personal:löner"
    path = variant(
        tmp_path, "[sie.accounts]", '[sie.numbers]\n"70 10" = "tillgångar:bank"\n\n[sie.accounts]'
    )
    (message,) = problems_of(path)
    assert 'sie.numbers (key "70 10"): expected an account number of digits only' in message


def test_settings_without_sie_are_read(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    path = tmp_path / "sodertorn.toml"
    path.write_text(text[: text.index("\n# `ledger sie`")] + "\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.sie.orgnr is None and settings.sie.accounts == {}
    assert settings.sie.number_of("tillgångar:bank") is None


# --- [budget.YEAR] -----------------------------------------------------------------------


def test_the_bundled_budget_names_lines_and_a_fund() -> None:
    budget = load_settings(BUNDLED).budget_for(2020)
    assert budget is not None
    assert budget["Personalkostnader"] == Decimal("1550000.00")
    assert budget["Södertörnsmodellen"] == Decimal("100000.00")
    assert load_settings(BUNDLED).budget_for(2021) is None


def test_a_budget_naming_an_unknown_line_says_which_it_may_mean(tmp_path: Path) -> None:
    path = variant(tmp_path, '"Personalkostnader" = "1550000"', '"Personalkostnad" = "1550000"')
    (message,) = problems_of(path)
    at = line_of(path, '"Personalkostnad" =')
    assert message == (
        f"{at}: budget.2020.Personalkostnad: expected the name of a line of [result] or of "
        'a fund of [[funds]] with its own `account`, got "Personalkostnad" (did you mean '
        '"Personalkostnader"?)'
    )


def test_a_budget_name_that_is_a_line_and_a_fund_is_refused(tmp_path: Path) -> None:
    # A result line renamed as the fund Södertörnsmodellen: its budget would count twice.
    path = variant(tmp_path, 'name = "Projekt"', 'name = "Södertörnsmodellen"')
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Projekt" = "300000"\n', ""), encoding="utf-8")
    (message,) = problems_of(path)
    at = line_of(path, '"Södertörnsmodellen" = "100000"')
    assert message == (
        f"{at}: budget.2020.Södertörnsmodellen: expected a name that is one line of [result] "
        'or one fund, not both: rename one, got "Södertörnsmodellen"'
    )


def test_the_operating_fund_is_budgeted_by_its_lines(tmp_path: Path) -> None:
    path = variant(tmp_path, '"Projekt" = "300000"', '"Södertörnssamarbetet drift" = "1"')
    (message,) = problems_of(path)
    assert "budget.2020.Södertörnssamarbetet drift: expected the name of a line" in message
    path = variant(tmp_path, '"Projekt" = "300000"', '"Nowhere at all" = "1"')
    (message,) = problems_of(path)
    assert message.endswith('got "Nowhere at all"')  # nothing near: no guess


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1550000.0", "expected an amount in kronor as a whole number or a string"),
        ('"-5"', "expected a non-negative amount in kr"),
        ('"1550000.005"', "expected an amount in whole öre (at most two decimals)"),
        ('"1 550 000"', 'expected a number, e.g. "4.00"'),
        ('"1000000000000"', "expected an amount below 1 000 000 000 000 kr"),
        ("true", "expected an amount in kronor as a whole number or a string"),
    ],
)
def test_a_bad_budget_amount(tmp_path: Path, written: str, expected: str) -> None:
    path = variant(tmp_path, '"Representation" = "25000"', f'"Representation" = {written}')
    (message,) = problems_of(path)
    at = line_of(path, '"Representation" =')
    assert message.startswith(f"{at}: budget.2020.Representation: {expected}"), message


def test_budget_amounts_as_integers_and_strings_are_exact(tmp_path: Path) -> None:
    path = variant(tmp_path, '"Representation" = "25000"', '"Representation" = 25_000')
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Projekt" = "300000"', '"Projekt" = "300000.5"'), "utf-8")
    budget = load_settings(path).budget_for(2020)
    assert budget is not None
    assert (budget["Representation"], budget["Projekt"]) == (
        Decimal("25000.00"),
        Decimal("300000.50"),
    )


def test_a_budget_year_is_four_digits(tmp_path: Path) -> None:
    path = variant(tmp_path, "[budget.2020]", "[budget.20]")
    (message,) = problems_of(path)
    assert 'budget (key "20"): expected a four-digit year as key' in message
