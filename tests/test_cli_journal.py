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
