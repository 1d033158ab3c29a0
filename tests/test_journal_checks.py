"""The whole-book checks (`journal/checks.py`): the nearest declared account of an
undeclared one, and what the search for it may cost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sodertorn_ledger.journal import checks
from sodertorn_ledger.journal.checks import check_declared, nearest_account
from sodertorn_ledger.journal.loader import load_journal

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
