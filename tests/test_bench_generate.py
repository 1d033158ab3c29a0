"""The benchmark's synthetic books: deterministic, exactly N transactions, and read the same
way by our reader, our `ledger accounts`, hledger and ledger-cli."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

# The bench/ package sits beside src/, not inside it.
from bench.generate import STYLES, Books, Style, plan_years, write_books
from bench.run import hledger_balances, leaf_balances, ledger_cli_balances
from typer.testing import CliRunner

from conftest import require_program

N = 200


def expected(books: Books) -> dict[str, Decimal]:
    return {a: Decimal(b).scaleb(-2) for a, b in books.nonzero_balances().items()}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("style", STYLES)
def test_the_same_seed_writes_the_same_bytes(tmp_path: Path, style: Style) -> None:
    first = write_books(tmp_path / "a", N, style, seed=7)
    second = write_books(tmp_path / "b", N, style, seed=7)
    other = write_books(tmp_path / "c", N, style, seed=8)

    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert first.balances == second.balances
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")
    assert first.balances != other.balances


def test_the_styles_differ_only_in_how_amounts_are_written(tmp_path: Path) -> None:
    plain = write_books(tmp_path / "plain", N, "plain")
    sv = write_books(tmp_path / "sv", N, "sv")

    assert plain.balances == sv.balances
    assert plain.postings == sv.postings
    plain_text = plain.files[1].read_text(encoding="utf-8")
    sv_text = sv.files[1].read_text(encoding="utf-8")
    assert " SEK" in plain_text and " kr" not in plain_text
    assert sv_text.startswith("; Bokföring") and "decimal-mark ,\n" in sv_text
    assert " SEK" not in sv_text
    # Swedish style: space between thousands and a decimal comma, e.g. "-1 234,50 kr".
    assert any(
        " kr" in line and "," in line and line.count(" ") > 6 for line in sv_text.splitlines()
    )


def test_exactly_n_transactions_in_yearly_files_joined_by_include(tmp_path: Path) -> None:
    books = write_books(tmp_path / "books", 12_345, "plain")

    years = plan_years(12_345)
    assert [f.name for f in books.files] == ["main.journal"] + [f"{y}.journal" for y in years]
    main = books.main.read_text(encoding="utf-8")
    for year in years:
        assert f"include {year}.journal\n" in main
    dated = sum(
        1
        for f in books.files[1:]
        for line in f.read_text(encoding="utf-8").splitlines()
        if line[:1].isdigit()
    )
    assert books.transactions == dated == 12_345
    assert books.assertions > 12_345 // 200
    assert sum(f.stat().st_size for f in books.files) == books.bytes_written


def test_too_few_transactions_or_an_existing_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="too few"):
        write_books(tmp_path / "tiny", 10, "plain")
    assert not (tmp_path / "tiny").exists()
    write_books(tmp_path / "books", N, "plain")
    with pytest.raises(FileExistsError):
        write_books(tmp_path / "books", N, "plain")
    assert [p.name for p in tmp_path.iterdir()] == ["books"]  # no temporary folder left


@pytest.mark.parametrize("style", STYLES)
def test_our_reader_accepts_the_books_and_agrees_with_the_generator(
    tmp_path: Path, style: Style
) -> None:
    from sodertorn_ledger.journal.loader import load_journal

    books = write_books(tmp_path / "books", N, style)

    journal = load_journal(books.main, strict=True)

    assert journal.problems == []
    assert len(journal.transactions) == N
    assert sum(len(t.postings) for t in journal.transactions) == books.postings
    balances: dict[str, Decimal] = {}
    for _, posting in journal.postings():
        balances[posting.account] = balances.get(posting.account, Decimal(0)) + posting.amount
    assert leaf_balances(balances) == expected(books)


@pytest.mark.parametrize("style", STYLES)
def test_our_accounts_command_agrees_with_the_generator(tmp_path: Path, style: Style) -> None:
    from sodertorn_ledger.cli import app

    books = write_books(tmp_path / "books", N, style)

    result = CliRunner().invoke(app, ["accounts", "--json", "-f", str(books.main)])

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["accounts"]
    got = {row["account"]: Decimal(row["balance"]) for row in rows}
    assert leaf_balances(got) == expected(books)


@pytest.mark.parametrize("style", STYLES)
def test_hledger_checks_the_books_and_agrees_on_every_balance(tmp_path: Path, style: Style) -> None:
    hledger = require_program("hledger")
    books = write_books(tmp_path / "books", N, style)

    check = subprocess.run(
        [hledger, "-f", str(books.main), "check", "--strict"],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )

    assert check.returncode == 0, check.stderr
    assert leaf_balances(hledger_balances(books.main, style, hledger)) == expected(books)


def test_ledger_cli_agrees_on_every_balance_of_the_plain_books(tmp_path: Path) -> None:
    # Debian's ledger-cli, by its full path: ours is also called `ledger`.
    ledger_cli = require_program("/usr/bin/ledger")
    books = write_books(tmp_path / "books", N, "plain")

    assert leaf_balances(ledger_cli_balances(books.main, ledger_cli)) == expected(books)
