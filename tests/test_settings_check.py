"""The accounts the settings name, against the accounts of the books (settings/check.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.settings import load_settings
from sodertorn_ledger.settings.check import (
    MAX_LISTED,
    check_accounts,
    named_accounts,
    sie_targets,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger" / "sodertorn.toml"
BOOKS = load_journal(REPO / "ledger" / "main.journal")
DECLARED = set(BOOKS.declarations)
POSTED = {p.account for t in BOOKS.transactions for p in t.postings}


def settings_with(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r}"
    path = tmp_path / "sodertorn.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_the_bundled_settings_name_only_declared_accounts() -> None:
    settings = load_settings(BUNDLED)
    assert check_accounts(settings, DECLARED) == []
    assert check_accounts(settings, DECLARED | POSTED) == []


def test_every_account_the_settings_name_is_checked() -> None:
    settings = load_settings(BUNDLED)
    named = {(n.loc, n.account, n.covering) for n in named_accounts(settings)}
    assert (("fees", "receivable_account"), "tillgångar:kundfordringar", False) in named
    assert (("members", 1, "fee_account"), "intäkter:drift:avgifter:haninge", False) in named
    assert (("funds", 1, "account"), "fonder:södertörnsmodellen", True) in named
    assert (("funds", 0, "costs", 0), "kostnader:drift", True) in named
    assert (("funds", 0, "result_account"), "fonder", True) in named
    assert (("result", "costs", 2, "accounts", 0), "kostnader:drift:resor och logi", True) in named
    fund_accounts = sum(bool(f.account) + len(f.income) + len(f.costs) for f in settings.funds)
    lines = sum(len(line.accounts) for line in (*settings.result.income, *settings.result.costs))
    assert len(named) == 1 + len(settings.members) + fund_accounts + 1 + lines


def test_a_misspelt_fee_account_names_its_key_line_and_the_nearest_account(
    tmp_path: Path,
) -> None:
    path = settings_with(tmp_path, "avgifter:haninge", "avgifter:haning")
    (problem,) = check_accounts(load_settings(path), DECLARED)
    assert problem.file == str(path)
    assert problem.line == line_of(path, "avgifter:haning")
    assert problem.message == (
        'members[2].fee_account: expected an account of the books, got "intäkter:drift:'
        'avgifter:haning" (no `account` directive declares it and no posting uses it)'
    )
    assert problem.hint.startswith('did you mean "intäkter:drift:avgifter:haninge"?')
    assert problem.text == 'fee_account = "intäkter:drift:avgifter:haning"'


def test_an_entry_of_an_array_over_several_lines_has_its_own_line(tmp_path: Path) -> None:
    path = settings_with(
        tmp_path,
        'costs = ["kostnader:södertörnsmodellen"]',
        'costs = [\n    "kostnader:södertörnsmodellen",\n    "kostnader:södertörnsmodelen",\n]',
    )
    (problem,) = check_accounts(load_settings(path), DECLARED)
    assert problem.message.startswith("funds[2].costs[2]: expected an account of the books")
    assert problem.line == line_of(path, '"kostnader:södertörnsmodelen",')


def test_an_entry_that_covers_subaccounts_is_there_when_one_below_it_is() -> None:
    settings = load_settings(BUNDLED)
    only_below = {a for a in DECLARED if a != "kostnader:drift:personal"}
    assert "kostnader:drift:personal:löner" in only_below
    assert check_accounts(settings, only_below) == []


@pytest.mark.parametrize("sibling", ["kostnader:drift:personalen", "kostnader:drift:personal x"])
def test_an_account_that_only_starts_alike_is_not_below(sibling: str) -> None:
    settings = load_settings(BUNDLED)
    books = {a for a in DECLARED if not a.startswith("kostnader:drift:personal")} | {sibling}
    (problem,) = check_accounts(settings, books)
    assert problem.message.startswith("result.costs[1].accounts[1]: expected an account")


def test_an_account_posted_to_exactly_must_be_there_itself() -> None:
    settings = load_settings(BUNDLED)
    books = (DECLARED - {"intäkter:drift:avgifter:haninge"}) | {"intäkter:drift:avgifter:haninge:x"}
    (problem,) = check_accounts(settings, books)
    assert problem.message.startswith("members[2].fee_account: ")


def test_the_result_funds_parent_must_be_there(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '"fonder:drift från {year}"', '"fondr:drift från {year}"')
    (problem,) = check_accounts(load_settings(path), DECLARED)
    assert problem.line == line_of(path, "fondr:drift")
    assert problem.message == (
        "funds[1].result_account: expected {year} below an account of the books, got "
        '"fondr:drift från {year}" ("fondr" is not declared or posted to, nor any account '
        "below it)"
    )
    assert problem.hint.startswith('did you mean "fonder"?')


def test_a_result_account_at_the_top_has_no_parent_to_check(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '"fonder:drift från {year}"', '"drift {year}"')
    assert check_accounts(load_settings(path), DECLARED) == []


def test_no_account_of_the_books_near_it_has_a_plain_hint(tmp_path: Path) -> None:
    path = settings_with(tmp_path, "tillgångar:kundfordringar", "zzz")
    (problem,) = check_accounts(load_settings(path), DECLARED)
    assert problem.hint == "declare it in the books first (account zzz), or correct the name"


def test_many_missing_accounts_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    many = ", ".join(f'"kostnader:x{i}"' for i in range(MAX_LISTED + 5))
    path = settings_with(tmp_path, 'costs = ["kostnader:södertörnsmodellen"]', f"costs = [{many}]")
    problems = check_accounts(load_settings(path), DECLARED)
    assert len(problems) == MAX_LISTED + 1
    assert problems[-1].message == "and 5 more accounts of the settings that are not in the books"


def test_sie_numbers_are_not_checked_on_every_run(tmp_path: Path) -> None:
    # A number may come before its account: the fund the next close makes.
    path = settings_with(
        tmp_path, "[sie.accounts]\n", '[sie.accounts]\n"fonder:drift från 2020" = "2083"\n'
    )
    assert check_accounts(load_settings(path), DECLARED) == []


def test_the_accounts_an_import_books_to_must_be_there_themselves(tmp_path: Path) -> None:
    path = settings_with(
        tmp_path,
        "[sie.accounts]\n",
        '[sie.numbers]\n"7010" = "kostnader:drift:personal:lönr"\n\n[sie.accounts]\n'
        '"kostnader:drift" = "4000"\n',
    )
    settings = load_settings(path)
    targets = sie_targets(settings, ["7010", "4000", "1930", "9999"])
    assert [(n.loc, n.account) for n in targets] == [
        (("sie", "numbers", "7010"), "kostnader:drift:personal:lönr"),
        (("sie", "accounts", "kostnader:drift"), "kostnader:drift"),
        (("sie", "accounts", "tillgångar:bank"), "tillgångar:bank"),
    ]
    # Booked to as it is: an account below it is not enough.
    misspelt, parent = check_accounts(settings, DECLARED - {"kostnader:drift"}, targets)
    assert misspelt.line == line_of(path, '"7010" = ')
    assert misspelt.message == (
        'sie.numbers.7010: expected an account of the books, got "kostnader:drift:personal:'
        'lönr" (no `account` directive declares it and no posting uses it)'
    )
    assert misspelt.hint.startswith('did you mean "kostnader:drift:personal:löner"?')
    assert parent.line == line_of(path, '"kostnader:drift" = ')
    assert parent.message.startswith("sie.accounts.kostnader:drift: expected an account")
