"""`ledger check` and `ledger accounts` through the CLI: output, exit codes, where the books are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sodertorn_ledger.cli import app

runner = CliRunner()

BOOKS = (
    "decimal-mark ,\n"
    "account tillgångar:bank\naccount fonder:drift från 2019\naccount kostnader:resor\n"
    "2020-01-01 Ingående balans\n"
    "    tillgångar:bank  233 696,00 kr\n    fonder:drift från 2019\n\n"
    "2020-03-05 SJ | tåg\n    kostnader:resor  330,40 kr\n    tillgångar:bank\n"
)


@pytest.fixture
def books(tmp_path: Path) -> Path:
    path = tmp_path / "main.journal"
    path.write_text(BOOKS, encoding="utf-8")
    return path


def test_check_prints_one_summary_line(books: Path) -> None:
    result = runner.invoke(app, ["check", "--strict", "-f", str(books)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{books}: OK, 1 file, 2 transactions, 4 postings, 3 accounts, 2020-01-01 – 2020-03-05\n"
    )


def test_check_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.journal"
    bad.write_text("2020-01-01 x\n    a  1 kr\n    b  2 kr\n\n2020-13-01 y\n    a  1 kr\n    b\n")
    result = runner.invoke(app, ["check", "-f", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: transaction does not balance: the amounts add up to 3 kr" in result.stderr
    assert f"{bad}:5:1: invalid date '2020-13-01'" in result.stderr
    assert "5 | 2020-13-01 y\n  | ^\n" in result.stderr
    assert "2 errors in the books; nothing was done" in result.stderr
    assert "Traceback" not in result.output


def test_strict_names_undeclared_accounts(tmp_path: Path) -> None:
    path = tmp_path / "m.journal"
    path.write_text("2020-01-01 x\n    a  1 kr\n    b\n")
    assert runner.invoke(app, ["check", "-f", str(path)]).exit_code == 0
    result = runner.invoke(app, ["check", "--strict", "-f", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: undeclared account 'a'" in result.stderr


# --- issue 15: a dot decimal read as 100×, and typos that got the wrong advice -----------------

ISSUE_15_BOOKS = (
    "decimal-mark ,\n"
    "account tillgångar:bank\n"
    "account kostnader:drift:tele och it\n"
    "account kostnader:drift:representation\n"
    "account kostnader:drift:resor\n"
    "\n"
    "2020-03-02 Telia | Mobilabonnemang\n"
    "{posting}\n"
    "    tillgångar:bank\n"
)


def _check_strict(tmp_path: Path, posting: str, *, books: str = ISSUE_15_BOOKS) -> list[str]:
    """`ledger check --strict` on books with this posting: exit 1, stderr's lines."""
    path = tmp_path / "main.journal"
    path.write_text(books.format(posting=posting), encoding="utf-8")
    result = runner.invoke(app, ["check", "--strict", "-f", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return [line.replace(str(path), "main.journal") for line in result.stderr.splitlines()]


def test_a_dot_decimal_in_comma_books_is_an_error_not_100_times(tmp_path: Path) -> None:
    # hledger books this as 46 900,00 kr; so did `ledger` before, with no word.
    shown = _check_strict(tmp_path, "    kostnader:drift:tele och it  469.00 kr")
    assert shown == [
        "main.journal:8:34: '469.00' has a decimal point, but these books use a decimal comma",
        "  |",
        "8 |     kostnader:drift:tele och it  469.00 kr",
        "  |                                  ^",
        "hint: did you mean 469,00? These books write ',' as the decimal mark and '.' only "
        "between groups of three digits (1.234.567,00), as `decimal-mark ,` declares "
        "(main.journal:1)",
        "ledger: 1 error in the books; nothing was done",
    ]


def test_a_dot_decimal_with_both_amounts_written_is_named(tmp_path: Path) -> None:
    # Before: only "the amounts add up to 46 431,00 kr".
    books = ISSUE_15_BOOKS.replace("    tillgångar:bank\n", "    tillgångar:bank  -469,00 kr\n")
    shown = _check_strict(tmp_path, "    kostnader:drift:tele och it  469.00 kr", books=books)
    assert shown[0].startswith("main.journal:8:34: '469.00' has a decimal point")
    assert not any("add up to" in line for line in shown)


def test_a_dot_decimal_in_books_of_another_file_names_the_directive(tmp_path: Path) -> None:
    year = tmp_path / "2020.journal"
    year.write_text(
        "2020-03-02 Telia\n    kostnader:drift:tele och it  1 469.00 kr\n    tillgångar:bank\n",
        encoding="utf-8",
    )
    books = ISSUE_15_BOOKS.replace("2020-03-02 Telia | Mobilabonnemang\n{posting}\n", "")
    books = books.replace("    tillgångar:bank\n", "include 2020.journal\n")
    shown = _check_strict(tmp_path, "", books=books)
    assert shown[0] == (
        f"{year}:2:34: '1 469.00' has a decimal point, but these books use a decimal comma"
    )
    assert shown[4].startswith("hint: did you mean 1 469,00? ")
    assert shown[4].endswith(", as `decimal-mark ,` declares (main.journal:1)")


def test_a_typo_in_an_account_gets_did_you_mean(tmp_path: Path) -> None:
    shown = _check_strict(tmp_path, "    kostnader:drift:representaion  469,00 kr")
    assert shown == [
        "main.journal:8: undeclared account 'kostnader:drift:representaion'",
        "  |",
        "8 |     kostnader:drift:representaion  469,00 kr",
        "hint: did you mean kostnader:drift:representation?",
        "ledger: 1 error in the books; nothing was done",
    ]


def test_a_new_account_gets_the_advice_to_declare_it(tmp_path: Path) -> None:
    shown = _check_strict(tmp_path, "    kostnader:drift:lokaler  469,00 kr")
    assert shown[0] == "main.journal:8: undeclared account 'kostnader:drift:lokaler'"
    assert shown[3] == (
        "hint: declare it in the main journal: `account kostnader:drift:lokaler  ; what it is for`"
    )


@pytest.mark.parametrize(("blank", "name"), [(" ", "one space"), ("\t", "one tab")])
def test_one_blank_before_the_amount_is_named_at_the_blank(
    tmp_path: Path, blank: str, name: str
) -> None:
    # Before: "undeclared account 'kostnader:drift:resor 469,00 kr'", "declare it".
    shown = _check_strict(tmp_path, f"    kostnader:drift:resor{blank}469,00 kr")
    assert shown == [
        "main.journal:8:26: the amount '469,00 kr' is read as part of the account name: "
        f"{name} does not separate them",
        "  |",
        "8 |     kostnader:drift:resor 469,00 kr",
        "  |                          ^",
        "hint: put two spaces between the account and the amount (hledger too reads one space "
        "or one tab as part of the account name)",
        "ledger: 1 error in the books; nothing was done",
    ]


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "-f", str(tmp_path / "nope.journal")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"ledger: no journal file at {tmp_path / 'nope.journal'} (use -f PATH or set LEDGER_FILE)\n"
    )


def test_ledger_file_environment_variable(books: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_FILE", str(books))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{books}: OK")


def test_bad_usage_exits_2(books: Path) -> None:
    assert runner.invoke(app, ["accounts", "--year", "tjugo", "-f", str(books)]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_accounts_json_is_exact(books: Path) -> None:
    result = runner.invoke(app, ["accounts", "--json", "-f", str(books)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "accounts": [
            {"account": "fonder:drift från 2019", "balance": "-233696.00"},
            {"account": "kostnader:resor", "balance": "330.40"},
            {"account": "tillgångar:bank", "balance": "233365.60"},
        ]
    }


def test_accounts_terminal_swedish_format_and_year(books: Path) -> None:
    result = runner.invoke(app, ["accounts", "--ore", "--year", "2020", "-f", str(books)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Saldobalans 2020"
    assert lines[2].split() == ["Konto", "Rörelse", "2020"]
    assert lines[4].split() == ["fonder:drift", "från", "2019", "−233", "696,00"]
    assert lines[-1].split() == ["Summa", "0,00"]
    whole = runner.invoke(app, ["accounts", "-f", str(books)]).stdout.splitlines()
    assert whole[0] == "Saldobalans"
    assert whole[5].split() == ["kostnader:resor", "330"]


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("check", "accounts"):
        assert command in result.stdout
