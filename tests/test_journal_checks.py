"""The whole-book checks of journal/checks.py: the lock of a closed year (the balances its
closing transaction records must still hold) and the hints for a date in a closed year; the
nearest declared account of an undeclared one, and what the search for it may cost. Small
books written here, no CLI."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from sodertorn_ledger.journal import checks
from sodertorn_ledger.journal.checks import (
    books_start,
    books_years,
    check_assertions,
    check_balances,
    check_declared,
    closed_year,
    meant_date,
    nearest_account,
    open_years,
)
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal

HEAD = """decimal-mark ,
commodity 1 000,00 kr

account tillgångar:bank
account tillgångar:kassa
account intäkter:avgifter
account kostnader:hyra
account fonder:drift från 2020
account fonder:drift från 2021

"""

YEAR_2020 = """2020-03-01 * Avgift
    tillgångar:bank  1 000,00 kr
    intäkter:avgifter

2020-06-01 * Hyra
    kostnader:hyra  300,00 kr
    tillgångar:bank

2020-12-31 * Bokslut 2020  ; bokslut:2020
    intäkter:avgifter  1 000,00 kr = 0,00 kr
    kostnader:hyra  -300,00 kr = 0,00 kr
    fonder:drift från 2020  -700,00 kr = -700,00 kr
    tillgångar:bank  0,00 kr = 700,00 kr
"""

YEAR_2021 = """2021-02-01 * Avgift
    tillgångar:bank  500,00 kr
    intäkter:avgifter

2021-12-31 * Bokslut 2021  ; bokslut:2021
    intäkter:avgifter  500,00 kr = 0,00 kr
    fonder:drift från 2021  -500,00 kr = -500,00 kr
    tillgångar:bank  0,00 kr = 1 200,00 kr
    fonder:drift från 2020  0,00 kr = -700,00 kr
"""

LATE = """
2020-06-15 * Kontorsmaterial
    kostnader:hyra  50,00 kr
    tillgångar:bank
"""


def books(tmp_path: Path, *years: str, head: str = HEAD) -> Journal:
    """Books of one file per text (2020.journal, 2021.journal, …) under a main journal."""
    main = tmp_path / "main.journal"
    includes = []
    for n, text in enumerate(years):
        name = f"{2020 + n}.journal"
        (tmp_path / name).write_text(text, encoding="utf-8")
        includes.append(f"include {name}")
    main.write_text(head + "\n".join(includes) + "\n", encoding="utf-8")
    return load_journal(main, strict=True)


def messages(journal: Journal) -> list[str]:
    return [f"{Path(p.file).name}:{p.line}: {p.message} | {p.hint}" for p in journal.errors]


# -- closed books that hold -------------------------------------------------------------------


def test_closed_books_read_without_problems(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020, YEAR_2021)
    assert journal.problems == []
    assert check_balances(journal) == []  # the assertions and the locks, again


def test_a_close_without_balances_locks_nothing(tmp_path: Path) -> None:
    # An earlier version's close: the same postings, nothing recorded.
    earlier = YEAR_2020.replace(" = 0,00 kr", "").replace(" = -700,00 kr", "")
    earlier = earlier.replace("    tillgångar:bank  0,00 kr = 700,00 kr\n", "")
    journal = books(tmp_path, earlier + LATE)
    assert journal.problems == []


# -- a change to a closed year --------------------------------------------------------------


def test_a_transaction_appended_after_the_close_is_named(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020 + LATE, "")
    [problem] = journal.errors
    assert (Path(problem.file).name, problem.line) == ("2020.journal", 15)
    assert problem.message == (
        f"2020 is closed (bokslut:2020 at {tmp_path / '2020.journal'}:9), but this "
        "transaction dated 2020-06-15, booked after the close, changes it: "
        "kostnader:hyra, tillgångar:bank"
    )
    assert problem.hint.startswith("book the correction in 2021, the open year")
    assert 'reopen 2020 (docs/close.md, "Correcting a closed year")' in problem.hint
    # hledger's own check fails there too: at the closing transaction's balances, which
    # the lock's message replaces.
    failed = check_assertions(journal)
    assert {p.line for p in failed} == {11, 13}
    assert check_balances(journal) == [problem]


def test_a_transaction_in_a_later_years_file_is_named(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020, LATE)
    assert messages(journal) == [
        f"2021.journal:2: 2020 is closed (bokslut:2020 at {tmp_path / '2020.journal'}:9), "
        "but this transaction dated 2020-06-15, booked after the close, changes it: "
        "kostnader:hyra, tillgångar:bank | book the correction in 2021, the open year, and "
        'remove this transaction; or reopen 2020 (docs/close.md, "Correcting a closed year")'
    ]


def test_a_transaction_dated_31_december_after_the_close_is_named(tmp_path: Path) -> None:
    # hledger checks the balances in reading order within a day and misses it; we do not.
    late = LATE.replace("2020-06-15", "2020-12-31")
    journal = books(tmp_path, YEAR_2020 + late)
    assert check_assertions(journal) == []
    [problem] = journal.errors
    assert problem.line == 15 and "dated 2020-12-31, booked after the close" in problem.message


def test_an_account_the_close_did_not_record_is_held_at_nothing(tmp_path: Path) -> None:
    # Both accounts had nothing at the close: hledger has no balance of them to check.
    late = "\n2020-05-05 * Växelkassa\n    tillgångar:kassa  20,00 kr\n    kostnader:hyra\n"
    late = late.replace("kostnader:hyra", "fonder:drift från 2021")
    journal = books(tmp_path, YEAR_2020 + late)
    assert check_assertions(journal) == []
    [problem] = journal.errors
    assert "changes it: fonder:drift från 2021, tillgångar:kassa" in problem.message


def test_an_edited_amount_names_the_close_and_the_transactions_to_look_at(
    tmp_path: Path,
) -> None:
    edited = YEAR_2020.replace("kostnader:hyra  300,00 kr", "kostnader:hyra  350,00 kr")
    journal = books(tmp_path, edited)
    [problem] = journal.errors
    assert (Path(problem.file).name, problem.line) == ("2020.journal", 9)
    assert problem.message == (
        "2020 is closed, but the books no longer end it with the balances this closing "
        "transaction recorded:\n"
        "  kostnader:hyra: recorded 0,00 kr, now 50,00 kr (difference 50,00 kr)\n"
        "  tillgångar:bank: recorded 700,00 kr, now 650,00 kr (difference -50,00 kr)"
    )
    # The transaction with both accounts is the one to look at.
    assert f"the transactions of 2020 on them: {tmp_path / '2020.journal'}:5." in problem.hint
    assert "book the correction in 2021, the open year" in problem.hint


def test_a_change_to_2020_is_named_once_not_again_for_2021(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020, YEAR_2021 + LATE)
    [problem] = journal.errors
    assert problem.line == 11 and "2020 is closed" in problem.message
    assert "book the correction in 2022, the open year" in problem.hint


def test_a_change_to_2021_alone_is_2021s(tmp_path: Path) -> None:
    late = LATE.replace("2020-06-15", "2021-06-15")
    journal = books(tmp_path, YEAR_2020, YEAR_2021 + late)
    [problem] = journal.errors
    assert "2021 is closed (bokslut:2021" in problem.message


def test_a_typo_date_before_the_books_start_asks_did_you_mean(tmp_path: Path) -> None:
    typo = LATE.replace("2020-06-15", "2012-06-15")
    journal = books(tmp_path, YEAR_2020, typo)
    [problem] = journal.errors
    assert (Path(problem.file).name, problem.line) == ("2021.journal", 2)
    assert problem.message == (
        "this transaction is dated 2012-06-15, before the books start (2020), so it "
        f"changes the closed year 2020 (closed at {tmp_path / '2020.journal'}:9): "
        "kostnader:hyra, tillgångar:bank"
    )
    assert problem.hint == "did you mean 2021-06-15? correct the date"


def test_a_typo_date_read_before_the_close_is_named_too(tmp_path: Path) -> None:
    typo = LATE.replace("2020-06-15", "2012-06-15")
    journal = books(tmp_path, typo + "\n" + YEAR_2020)
    [problem] = journal.errors
    assert problem.line == 2 and "did you mean 2021-06-15?" in problem.hint


@pytest.mark.parametrize("tag", ["bokslut:två", "bokslut:0", "bokslut:99999", "bokslut:"])
def test_a_closing_tag_that_names_no_year_is_no_close(tmp_path: Path, tag: str) -> None:
    # Its balances are balance assertions like any other, checked as hledger checks them.
    odd = YEAR_2020.replace("bokslut:2020", tag) + LATE
    journal = books(tmp_path, odd)
    assert [p.line for p in journal.errors] == [11, 13]
    assert all(p.message.startswith("balance assertion failed") for p in journal.errors)


# -- what the books' years are ------------------------------------------------------------------


def test_closed_year_reads_the_tag_as_the_reports_do(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020.replace("bokslut:2020", "bokslut: 2020 "))
    close = journal.transactions[-1]
    assert closed_year(close) == 2020
    assert closed_year(close._replace(tags={"bokslut": "02020"})) is None
    assert closed_year(journal.transactions[0]) is None


def test_the_books_years(tmp_path: Path) -> None:
    journal = books(tmp_path, YEAR_2020, YEAR_2021)
    years = books_years(journal)
    assert years.closed_through == 2021 and years.start == 2020 and years.open == [2022]
    assert books_start(journal) == 2020 and open_years(journal) == [2022]
    assert years.is_typo(2019) and not years.is_typo(2020)


def test_without_a_close_the_start_is_after_a_gap_of_two_empty_years(tmp_path: Path) -> None:
    early = "2012-06-15 * X\n    tillgångar:bank  1,00 kr\n    intäkter:avgifter\n"
    journal = books(tmp_path, YEAR_2020.split("\n\n2020-12-31")[0] + "\n\n" + early)
    years = books_years(journal)
    assert years.closed_through is None and years.start == 2020 and years.open == [2020]
    assert years.is_typo(2012)
    later = early.replace("2012", "2019")
    journal = books(tmp_path, YEAR_2020.split("\n\n2020-12-31")[0] + "\n\n" + later)
    assert books_years(journal).start == 2019


@pytest.mark.parametrize(
    ("date", "years", "meant"),
    [
        ("2012-06-15", [2021], "2021-06-15"),
        ("2201-06-15", [2021, 2022], "2021-06-15"),  # two digits swapped: one edit
        ("2002-01-10", [2021, 2022], "2022-01-10"),  # one digit off
        ("2012-03-01", [2021, 2022], "2022-03-01"),  # ties (one edit each): the latest
        ("2016-02-29", [2021], "2021-02-28"),  # no 29 February in 2021
        ("2012-06-15", [], None),
    ],
)
def test_meant_date(date: str, years: list[int], meant: str | None) -> None:
    found = meant_date(dt.date.fromisoformat(date), years)
    assert (found.isoformat() if found else None) == meant


def test_the_closing_tag_is_the_reports_tag() -> None:
    # The journal layer cannot import the reports; both must read the same tag.
    from sodertorn_ledger.journal.checks import CLOSING_TAG
    from sodertorn_ledger.reports.funds import CLOSING_TAG as REPORTS_TAG

    assert CLOSING_TAG == REPORTS_TAG


# -- the nearest declared account ---------------------------------------------------------

DECLARED = [
    "tillgångar:bank",
    "skulder",
    "fonder:drift från 2019",
    "intäkter:drift:avgifter:nynäshamn",
    "intäkter:drift:avgifter:nykvarn",
    "kostnader:drift",
    "kostnader:drift:personal",
    "kostnader:drift:personal:löner",
    "kostnader:drift:personal:pension",
    "kostnader:drift:representation",
    "kostnader:drift:resor och logi",
]


@pytest.mark.parametrize(
    ("account", "near"),
    [
        ("kostnader:drift:representaion", "kostnader:drift:representation"),  # a letter out
        ("kostnader:drfit:representation", "kostnader:drift:representation"),  # swapped
        ("Kostnader:drift:representation", "kostnader:drift:representation"),  # case
        ("tillgangar:bank", "tillgångar:bank"),  # no å
        ("intäkter:drift:avgifter:nynashamn", "intäkter:drift:avgifter:nynäshamn"),
        ("kostnader:drift:resor och log", "kostnader:drift:resor och logi"),
        ("kostnader:drift:personal:loner", "kostnader:drift:personal:löner"),
        ("skuldr", "skulder"),
        # New accounts, not typos: siblings that share a long parent, a child of one.
        ("kostnader:drift:resor", ""),
        ("kostnader:drift:lokaler", ""),
        ("kostnader:drift:personal:sjuklön", ""),
        ("kostnader:drift:tele", ""),
        ("skulder:moms", ""),
        ("intäkter:drift:avgifter:stockholm", ""),
    ],
)
def test_nearest_account(account: str, near: str) -> None:
    assert nearest_account(account, DECLARED) == near


def _load(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    path = tmp_path / "main.journal"
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.message, p.hint) for p in load_journal(path, strict=True).errors]


def test_an_undeclared_account_gets_the_nearest_declared_one(tmp_path: Path) -> None:
    text = (
        "account kostnader:drift:representation\naccount tillgångar:bank\n"
        "2020-01-01 x\n    kostnader:drift:representaion  5 kr\n    tillgångar:bank\n"
        "    kostnader:drift:lokaler  1 kr\n    kostnader:drift:representaion  1 kr\n"
        "    tillgångar:bank  -2 kr\n"
    )
    assert _load(tmp_path, text) == [
        (
            4,
            "undeclared account 'kostnader:drift:representaion'",
            "did you mean kostnader:drift:representation?",
        ),
        (
            6,
            "undeclared account 'kostnader:drift:lokaler'",
            "declare it in the main journal: `account kostnader:drift:lokaler  ; what it is for`",
        ),
    ]


def test_without_declarations_a_rarer_account_gets_a_more_used_one(tmp_path: Path) -> None:
    # The typo is the rarer one: the account posted to more often is not told to be it.
    text = (
        "2020-01-01 x\n    kostnader:drift:representation  5 kr\n    tillgångar:bank\n"
        "2020-01-02 x\n    kostnader:drift:representation  5 kr\n    tillgångar:bank\n"
        "2020-01-03 x\n    kostnader:drift:representaion  5 kr\n    tillgångar:bank\n"
        "2020-01-04 x\n    kostnader:drift:representatio  5 kr\n    tillgångar:bank\n"
    )
    hints = {line: hint for line, _, hint in _load(tmp_path, text)}
    assert hints[2].startswith("declare it in the main journal")
    assert hints[3].startswith("declare it in the main journal")
    assert hints[8] == "did you mean kostnader:drift:representation?"
    assert hints[11] == "did you mean kostnader:drift:representation?"


def test_the_search_for_near_accounts_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thousands of undeclared accounts and thousands declared: every one is reported, the
    # first with suggestions, and the check takes a second or so (not minutes).
    declared = "".join(f"account konto:{i:05d}:namn\n" for i in range(3000))
    postings = "".join(f"    konto:{i:05d}:namm  1 kr\n" for i in range(3000))
    path = tmp_path / "main.journal"
    path.write_text(f"{declared}2020-01-01 x\n{postings}    b\n", encoding="utf-8")
    journal = load_journal(path)
    started = time.monotonic()
    problems = check_declared(journal)
    assert time.monotonic() - started < 5
    assert len(problems) == 3001
    with_near = [p for p in problems if p.hint.startswith("did you mean")]
    assert len(with_near) == checks.NEAR_WORK // 3000
    assert problems[0].hint == "did you mean konto:00000:namn?"
    monkeypatch.setattr(checks, "NEAR_WORK", 0)
    assert not any(p.hint.startswith("did you mean") for p in check_declared(journal))
