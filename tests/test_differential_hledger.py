"""Differential tests: our reader against the real hledger 1.25 on generated journals.

Each generated journal (tests/journal_strategies.py) is checked three ways: hledger reads
what the generator meant (so the generator itself is honest), `ledger accounts --json`
equals `hledger bal -O csv` account by account (whole books and one year), and each
transaction as our reader keeps it (date, status, code, description, tags, amounts)
equals hledger's `print -O json`. Broken journals must be rejected by both. Closed books:
the closing transaction's balances (postings of nothing included) read as hledger reads
them, and a change to the closed year that hledger's check finds, ours finds too.

How the two tools show accounts: both list every account that has a posting, including
those that net to zero -- ours always, hledger with -E (`--empty`), where a zero balance is
shown as "0". Declared accounts without postings are listed by neither. For one year, ours
lists the accounts with postings in that year; hledger -E -p YEAR also lists, as "0", the
accounts used only before it, so there the comparison is: same balances, missing = 0.
hledger's CSV shows amounts without digit groups, with the decimal mark of the journal's
style, rounded half to even to a commodity directive's precision (or exact without one).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import require_program
from journal_strategies import (
    FAULT_KINDS,
    SWEDISH,
    FaultKind,
    GeneratedJournal,
    inject_fault,
    join_lines,
    journals,
)
from sodertorn_ledger.cli import app
from sodertorn_ledger.journal.amounts import beyond_limits
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.money import journal_amount

EXAMPLES = 220
HLEDGER_TIMEOUT = 30  # seconds; hledger 1.25 can loop forever (e.g. on some include cycles)
SETTINGS = settings(
    max_examples=EXAMPLES,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STATUS = {"Cleared": "*", "Pending": "!", "Unmarked": ""}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Hledger:
    path: str

    def run(self, *args: str) -> Run:
        return self.run_all([args])[0]

    def run_all(self, commands: list[tuple[str, ...]]) -> list[Run]:
        """Run several hledger commands at once (they are independent; this halves test time)."""
        # hledger decodes files in the locale's encoding: make it UTF-8 whatever CI has.
        env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        env.pop("LEDGER_FILE", None)
        procs = [
            subprocess.Popen(
                [self.path, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=env,
            )
            for args in commands
        ]
        out = []
        for args, proc in zip(commands, procs, strict=True):
            try:
                stdout, stderr = proc.communicate(timeout=HLEDGER_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                raise AssertionError(f"hledger hung on {args}") from None
            out.append(Run(proc.returncode, stdout, stderr))
        return out

    @staticmethod
    def balance_args(journal: Path, *extra: str) -> tuple[str, ...]:
        return ("-f", str(journal), "bal", "-O", "csv", "--flat", "--no-elide", "-E", *extra)

    @staticmethod
    def balances(result: Run) -> dict[str, Decimal]:
        assert result.returncode == 0, f"hledger rejected a generated journal:\n{result.stderr}"
        rows = [line for line in result.stdout.splitlines() if line]
        assert rows[0] == '"account","balance"', result.stdout
        out: dict[str, Decimal] = {}
        for row in rows[1:]:
            account, balance = _csv_pair(row)
            if account != "total":
                out[account] = csv_amount(balance)
        return out


def _csv_pair(row: str) -> tuple[str, str]:
    assert row.startswith('"') and row.endswith('"') and '","' in row, row
    account, balance = row[1:-1].split('","')
    return account.replace('""', '"'), balance


def csv_amount(text: str) -> Decimal:
    """An amount as hledger's CSV shows it (``"1822918,40 kr"``, ``"kr -5"``, ``"0"``)."""
    number = "".join(c for c in text if c.isdigit() or c in ".,-")
    marks = [c for c in number if c in ".,"]
    # The CSV shows no digit groups, so a mark left is the decimal mark.
    assert len(marks) <= 1, f"unexpected digit groups in hledger's CSV amount {text!r}"
    return Decimal(number.replace(",", "."))


def shown(value: Decimal, precision: int | None) -> Decimal:
    """`value` as hledger displays it: rounded half to even at a directive's precision."""
    if precision is None:
        return value
    return value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_EVEN)


def ours_balances(main: Path, *extra: str) -> dict[str, Decimal]:
    result = CliRunner().invoke(app, ["accounts", "--json", "-f", str(main), *extra])
    assert result.exit_code == 0, f"ledger accounts failed:\n{result.output}"
    data = json.loads(result.stdout)
    rows = data["accounts"]
    names = [row["account"] for row in rows]
    assert len(names) == len(set(names)), "an account is listed twice"
    return {row["account"]: Decimal(row["balance"]) for row in rows}


def _quantity(amount: dict[str, Any]) -> Decimal:
    q = amount["aquantity"]
    return Decimal(q["decimalMantissa"]).scaleb(-q["decimalPlaces"])


def _compare_transactions(journal: Journal, hledger_txns: list[dict[str, Any]]) -> None:
    ours = {(str(Path(t.file).resolve()), t.line): t for t in journal.transactions}
    theirs = {
        (str(Path(t["tsourcepos"][0]["sourceName"]).resolve()), t["tsourcepos"][0]["sourceLine"]): t
        for t in hledger_txns
    }
    assert sorted(ours) == sorted(theirs), "transactions found at different places"
    for key, h in theirs.items():
        t = ours[key]
        where = f"{key[0]}:{key[1]}"
        assert t.date.isoformat() == h["tdate"], where
        assert t.status == STATUS[h["tstatus"]], where
        assert t.code == h["tcode"], where
        assert t.description == h["tdescription"], where
        assert t.tags == dict(h["ttags"]), where
        hp = h["tpostings"]
        assert [p.account for p in t.postings] == [p["paccount"] for p in hp], where
        assert [p.amount for p in t.postings] == [_quantity(p["pamount"][0]) for p in hp], where
        # hledger's ptags also hold the tags of the account's `account` directive.
        for mine, their in zip(t.postings, hp, strict=True):
            assert set(mine.tags.items()) <= {(k, v) for k, v in their["ptags"]}, where
        asserted = [
            None
            if p["pbalanceassertion"] is None
            else _quantity(p["pbalanceassertion"]["baamount"])
            for p in hp
        ]
        assert [p.assertion for p in t.postings] == asserted, where


@pytest.fixture(scope="module")
def hledger() -> Hledger:
    return Hledger(require_program("hledger"))


@SETTINGS
@given(generated=journals(), data=st.data())
def test_accounts_equal_hledger_balance(
    hledger: Hledger, generated: GeneratedJournal, data: st.DataObject
) -> None:
    precision = generated.style.precision
    with tempfile.TemporaryDirectory() as tmp:
        main = generated.write(Path(tmp))

        year = data.draw(st.sampled_from([t.date.year for t in generated.transactions]))
        whole, in_year, printed, strict = hledger.run_all(
            [
                hledger.balance_args(main),
                hledger.balance_args(main, "-p", str(year)),
                ("-f", str(main), "print", "-O", "json"),
                ("-f", str(main), "check", "accounts"),
            ]
        )

        # The generator is honest: hledger reads what it meant.
        theirs = hledger.balances(whole)
        expected = generated.balances()
        assert theirs == {a: shown(b, precision) for a, b in expected.items()}

        ours = ours_balances(main)
        assert sorted(ours) == sorted(theirs), "different accounts"
        for account, balance in theirs.items():
            assert shown(ours[account], precision) == balance, account
        assert ours == expected

        theirs_year = hledger.balances(in_year)
        ours_year = ours_balances(main, "--year", str(year))
        # With -E and a period hledger also lists, as 0, accounts used only before it.
        assert set(ours_year) <= set(theirs_year), f"accounts hledger lacks in {year}"
        for account, balance in theirs_year.items():
            mine = shown(ours_year.get(account, Decimal(0)), precision)
            assert mine == balance, (year, account)
        assert ours_year == generated.balances_in(year)

        assert printed.returncode == 0, printed.stderr
        journal = load_journal(main)
        assert journal.errors == []
        _compare_transactions(journal, json.loads(printed.stdout))
        meant = {(t.line, p.line): p.tags for t in generated.transactions for p in t.postings}
        kept = {(t.line, p.line): p.tags for t in journal.transactions for p in t.postings}
        assert len(generated.transactions) == len(journal.transactions)
        if generated.include_target is None:  # lines are unique within one file
            assert kept == meant

        # --strict as `hledger check accounts`: every used account must be declared.
        declared_ok = generated.used_accounts() <= set(generated.declared)
        assert (strict.returncode == 0) == declared_ok, strict.stderr
        strict_errors = load_journal(main, strict=True).errors
        assert (strict_errors == []) == declared_ok, strict_errors


@settings(SETTINGS, max_examples=150)
@given(generated=journals(), kind=st.sampled_from(FAULT_KINDS), data=st.data())
def test_broken_journals_are_rejected_by_both(
    hledger: Hledger, generated: GeneratedJournal, kind: FaultKind, data: st.DataObject
) -> None:
    fault = inject_fault(data, generated, kind)
    with tempfile.TemporaryDirectory() as tmp:
        main = generated.write(Path(tmp))
        theirs = hledger.run("-f", str(main), "bal")
        assert theirs.returncode != 0, f"hledger accepted a journal broken by {kind}"

        result = CliRunner().invoke(app, ["check", "-f", str(main)])
        assert result.exit_code == 1, f"ledger check accepted a journal broken by {kind}"

        errors = load_journal(main).errors
        if fault.txn is not None:
            # The error points into the broken transaction (at the posting when there is one).
            first, last = fault.txn.line, fault.txn.last_line
            if fault.posting is not None and kind != "unbalanced":
                first = last = fault.posting.line
            hits = [
                e
                for e in errors
                if Path(e.file).resolve() == Path(fault.txn.file).resolve()
                and first <= e.line <= last
            ]
            assert hits, f"no error at {fault.txn.file}:{first}-{last} for {kind}: {errors}"
            if kind in ("nbsp", "thin_space", "unicode_minus"):
                code = {"nbsp": "U+00A0", "thin_space": "U+2009", "unicode_minus": "U+2212"}[kind]
                assert any(code in e.message + e.hint for e in hits), hits


NUMBER_ALPHABET = "0123456789" * 3 + "., " + ".,-+"
DIRECTIVES = ["", "decimal-mark ,", "decimal-mark .", "commodity 1 000,00 kr"]
DECLARED = {"decimal-mark ,": ",", "decimal-mark .": ".", "commodity 1 000,00 kr": ","}
"""The decimal mark each directive declares."""
STYLE_MESSAGES = re.compile(
    r"'[^']*' (has a decimal (point|comma), but these books use a decimal (point|comma)"
    r"|has more than one decimal (point|comma)|has '[.,]' out of place)"
)


def in_style(number: str, mark: str) -> bool:
    """Whether `number` (digits and marks, no sign) is written in the style of books whose
    decimal mark is `mark` (docs/journal-format.md, said here again independently of
    amounts.py): digits in groups of a space, or else in groups of three after a first
    of one to three that does not start with 0, joined by the other mark; then at most
    one decimal mark and decimals."""
    other = re.escape("." if mark == "," else ",")
    whole = rf"(?:[0-9]+(?: [0-9]+)*|[1-9][0-9]{{0,2}}(?:{other}[0-9]{{3}})+)?"
    return re.fullmatch(whole + rf"(?:{re.escape(mark)}[0-9]*)?", number) is not None


def test_in_style() -> None:
    assert in_style("1.234.567,00", ",") and in_style("1 234,5", ",") and in_style(",5", ",")
    assert in_style("1,234", ".") and in_style("469.00", ".") and in_style("1.234", ",")
    assert not in_style("469.00", ",") and not in_style("0.123", ",")
    assert not in_style("1,234,567", ",") and not in_style("1 234.5", ",")


def _read_both(hledger: Hledger, directive: str, amount: str) -> None:
    """Both accept `amount` with the same value, or both refuse it; or, where the books
    declare their decimal mark and `amount` is not in that style, hledger reads it and we
    refuse it, deliberately (docs/journal-format.md, "Where ledger is stricter")."""
    text = f"{directive}\n2020-01-01 t\n    a  {amount}\n    b  -1 kr\n    c\n"
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.journal"
        main.write_text(text, encoding="utf-8")
        theirs = hledger.run("-f", str(main), "print", "-O", "json")
        journal = load_journal(main)
        if theirs.returncode != 0:
            assert journal.errors, f"hledger rejects {amount!r} but we read it:\n{theirs.stderr}"
            return
        h = json.loads(theirs.stdout)[0]["tpostings"][0]
        too_long = beyond_limits(_quantity(h["pamount"][0]))
        number = amount.replace("kr", "").strip().lstrip("+-").strip()
        if directive in DECLARED and not in_style(number, DECLARED[directive]):
            # hledger reads it by its own rules (469.00 is 46900 in comma books); we refuse.
            (error,) = journal.errors
            assert STYLE_MESSAGES.fullmatch(error.message), (amount, error.message)
            return
        if too_long:
            # hledger reads any length; the books' amounts are limited (amounts.py).
            assert [e.message for e in journal.errors] == [too_long], amount
            return
        assert journal.errors == [], f"hledger reads {amount!r} but we reject it"
        assert h["pamount"][0]["acommodity"] == "kr"
        assert journal.transactions[0].postings[0].amount == _quantity(h["pamount"][0]), amount


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(
    number=st.text(st.sampled_from(NUMBER_ALPHABET), min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda n: n != ""),
    left=st.booleans(),
    directive=st.sampled_from(DIRECTIVES),
)
def test_amount_texts_read_as_hledger_reads_them(
    hledger: Hledger, number: str, left: bool, directive: str
) -> None:
    """Any run of digits, marks, signs and spaces: same value in both, or both refuse it."""
    _read_both(hledger, directive, f"kr {number}" if left else f"{number} kr")


@pytest.mark.parametrize(
    ("directive", "amount"),
    [
        # hledger refuses these:
        ("", ",5 kr"),
        ("", "0., kr"),
        ("", "5,.20 kr"),
        ("", ".60,095 kr"),
        ("decimal-mark ,", "2., kr"),
        # hledger reads these; the books refuse more than 4 decimals or 15 digits before:
        ("", "0.00001 kr"),
        ("decimal-mark ,", "1 234,56789 kr"),
        ("", "1000000000000000 kr"),
        # hledger reads these (6, 0.5, 74, 0.9, 0.2, 659), and so do books that declare
        # nothing; books that declare the other decimal mark refuse them:
        ("", "6. kr"),
        ("", ".5 kr"),
        ("decimal-mark ,", "6. kr"),
        ("decimal-mark ,", ".5 kr"),
        ("decimal-mark .", "74, kr"),
        ("decimal-mark .", "kr ,9"),
        ("commodity 1 000,00 kr", ".2 kr"),
        ("commodity 1 000,00 kr", "659. kr"),
        # hledger reads these as 46900, 15, 1234.50 and 1234567; the books refuse them:
        ("decimal-mark ,", "469.00 kr"),
        ("commodity 1 000,00 kr", "1.5 kr"),
        ("decimal-mark ,", "kr 1 234.50"),
        ("decimal-mark ,", "1,234,567 kr"),
        ("decimal-mark .", "469,00 kr"),
        # … and read these as in the books' style: 1234, 1234567.00, 1234:
        ("decimal-mark ,", "1.234 kr"),
        ("decimal-mark ,", "1.234.567,00 kr"),
        ("decimal-mark .", "1,234 kr"),
    ],
)
def test_edge_mark_amounts_read_as_hledger_reads_them(
    hledger: Hledger, directive: str, amount: str
) -> None:
    _read_both(hledger, directive, amount)


def test_posting_date_tag_is_not_silently_ignored(hledger: Hledger) -> None:
    """hledger moves a posting with `; date:` to that date; we must agree or refuse the books."""
    text = "2020-12-30 t\n    a  5 kr  ; date:2021-01-05\n    b\n"
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.journal"
        main.write_text(text, encoding="utf-8")
        if load_journal(main).problems:
            return
        theirs = hledger.balances(hledger.run(*hledger.balance_args(main, "-p", "2021")))
        ours = ours_balances(main, "--year", "2021")
        assert {a: b for a, b in theirs.items() if b} == {a: b for a, b in ours.items() if b}


_LINE_END_BOOKS = (
    "; exported from a spreadsheet\n"
    "decimal-mark ,\n"
    "account tillgångar:bank\n"
    "\n"
    + "".join(
        f"2020-01-{day:02d} * Faktura {day}  ; kommun:0127\n"
        f"    kostnader:drift  {day},50 kr  ; projekt:x\n"
        "    ; a note\n"
        "    tillgångar:bank\n"
        "\n"
        for day in range(1, 29)
    )
    + "comment\nnot read\nend comment\n"
    # The last line is a comment: hledger 1.25 takes a bare CR at the very end of a file
    # into the last amount's currency (`kr<CR>`).
    + "; slut\n"
)


@pytest.mark.parametrize(
    "ends",
    [("\n",), ("\r\n",), ("\r",), ("\r", "\n", "\r\n")],
    ids=["LF", "CRLF", "CR", "mixed"],
)
def test_every_line_end_reads_as_in_hledger(hledger: Hledger, ends: tuple[str, ...]) -> None:
    lines = _LINE_END_BOOKS.split("\n")[:-1]
    text = join_lines(lines, ends)
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.journal"
        main.write_bytes(text.encode("utf-8"))
        whole, printed = hledger.run_all(
            [hledger.balance_args(main), ("-f", str(main), "print", "-O", "json")]
        )
        assert hledger.balances(whole) == ours_balances(main)
        journal = load_journal(main)
        assert journal.problems == []
        assert len(journal.transactions) == 28
        _compare_transactions(journal, json.loads(printed.stdout))


# -- closed years: the closing transaction's balances, read and checked as hledger does ---------

BUNDLED = Path(__file__).resolve().parent.parent / "ledger"


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled books with 2020 closed: its closing transaction records the balances."""
    import shutil

    folder = tmp_path_factory.mktemp("closed") / "ledger"
    shutil.copytree(BUNDLED, folder)
    main = folder / "main.journal"
    result = CliRunner().invoke(app, ["close", "2020", "-f", str(main)])
    assert result.exit_code == 0, result.output
    return main


def test_a_closing_transaction_reads_as_hledger_reads_it(
    hledger: Hledger, closed_books: Path
) -> None:
    # Postings of nothing that carry a balance (`0,00 kr = 1 427 296,63 kr`) included.
    printed, check = hledger.run_all(
        [
            ("-f", str(closed_books), "print", "-O", "json"),
            ("-f", str(closed_books), "check", "--strict"),
        ]
    )
    assert printed.returncode == 0 and check.returncode == 0, printed.stderr + check.stderr
    journal = load_journal(closed_books, strict=True)
    assert journal.errors == []
    _compare_transactions(journal, json.loads(printed.stdout))
    [close] = [t for t in journal.transactions if "bokslut" in t.tags]
    assert sum(1 for p in close.postings if p.amount == 0 and p.assertion) == 8


@pytest.mark.parametrize(
    ("amount", "balance"),
    [("0 kr", "0 kr"), ("0,00 kr", "5,00 kr"), ("0", "5 kr"), ("0,00 kr", "4,99 kr")],
)
def test_postings_of_nothing_with_a_balance_as_hledger(
    hledger: Hledger, amount: str, balance: str
) -> None:
    """A posting of nothing that asserts a balance: both accept it, or both refuse it."""
    text = (
        "decimal-mark ,\n2020-01-01 t\n    a  5,00 kr\n    b\n\n"
        f"2020-12-31 bokslut  ; bokslut:2020\n    a  {amount} = {balance}\n"
        "    b  0,00 kr = -5,00 kr\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.journal"
        main.write_text(text, encoding="utf-8")
        theirs = hledger.run("-f", str(main), "check")
        ours = load_journal(main).errors
        assert (theirs.returncode == 0) == (ours == []), (theirs.stderr, ours)


_LATE_ACCOUNTS = [
    "tillgångar:bank",
    "kostnader:drift:projekt",
    "intäkter:drift:avgifter:salem",
    "skulder:leverantörsskulder",
    "tillgångar:kundfordringar",
]


@settings(SETTINGS, max_examples=40)
@given(
    day=st.dates(dt.date(2019, 1, 1), dt.date(2021, 3, 31)),
    accounts=st.lists(st.sampled_from(_LATE_ACCOUNTS), min_size=2, max_size=2, unique=True),
    ore=st.integers(-(10**7), 10**7).filter(bool),
    where=st.sampled_from(["2020.journal", "2021.journal"]),
)
def test_a_change_to_a_closed_year_that_hledger_finds_we_find(
    hledger: Hledger,
    closed_books: Path,
    day: dt.date,
    accounts: list[str],
    ore: int,
    where: str,
) -> None:
    """A transaction added after the close, anywhere: when hledger's check of the close's
    balances fails, ours does too; dated after the closed year, both pass. (Ours finds
    more: a transaction of 31 December read after the close.)"""
    import shutil

    amount = journal_amount(Decimal(ore) / 100, "kr")
    text = f"\n{day.isoformat()} * Tillägg\n    {accounts[0]}  {amount}\n    {accounts[1]}\n"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ledger"
        shutil.copytree(closed_books.parent, folder)
        main = folder / "main.journal"
        with (folder / where).open("a", encoding="utf-8") as handle:
            handle.write(text)
        theirs = hledger.run("-f", str(main), "check")
        ours = load_journal(main).errors
        if theirs.returncode != 0:
            assert ours, theirs.stderr
        if day > dt.date(2020, 12, 31):
            assert theirs.returncode == 0 and ours == [], (theirs.stderr, ours)
        elif day < dt.date(2020, 12, 31):
            # Two of these accounts always carry a recorded balance: both must fail.
            assert theirs.returncode != 0 and ours
        else:
            assert ours  # read after the close on its own day: hledger cannot tell


# -- ledger register against hledger register -----------------------------------------------

SAFE = set(SWEDISH + "0123456789")
"""Pattern characters whose case both tools fold alike (hledger's regular expressions are
POSIX ones, and fold case by another table than Python's for a few exotic letters)."""


def _piece(data: st.DataObject, text: str, extra: str = "") -> str | None:
    """A run of `text` made of SAFE characters (and `extra`), maybe in the other case;
    None when `text` has none."""
    runs: list[str] = [
        r for r in re.findall(f"[{re.escape(''.join(SAFE) + extra)}]+", text) if r.strip()
    ]
    if not runs:
        return None
    run = data.draw(st.sampled_from(runs)).strip()
    start = data.draw(st.integers(0, len(run) - 1))
    piece = run[start : data.draw(st.integers(start + 1, len(run)))].strip()
    if not piece:
        return None
    return piece.swapcase() if data.draw(st.booleans()) else piece


def register_query(
    data: st.DataObject, generated: GeneratedJournal, journal: Journal
) -> tuple[list[str], list[str]]:
    """A query drawn from what the books hold: (our arguments, hledger's)."""
    ours: list[str] = []
    theirs: list[str] = []
    accounts = sorted(generated.used_accounts())
    for negated in [False] * data.draw(st.integers(0, 2)) + [True] * data.draw(st.integers(0, 1)):
        account = data.draw(st.sampled_from(accounts))
        if data.draw(st.integers(0, 3)) == 0:
            piece = _piece(data, account.split(":")[0], " ")
            pattern = None if piece is None else "^" + piece
        else:
            pattern = _piece(data, account, " :")
        if pattern is not None:
            pattern = ("not:" if negated else "") + pattern
            ours.append(pattern)
            theirs.append(pattern)
    years = sorted({t.date.year for t in generated.transactions})
    period = data.draw(st.sampled_from(["none", "year", "from", "to", "both"]))
    day = st.dates(dt.date(2019, 1, 1), dt.date(2022, 1, 1))
    if period == "year":
        year = str(data.draw(st.sampled_from(years)))
        ours += ["--year", year]
        theirs += ["-p", year]
    if period in ("from", "both"):
        start = data.draw(day)
        ours += ["--from", start.isoformat()]
        theirs += ["-b", start.isoformat()]
    if period in ("to", "both"):
        end = data.draw(day)
        if period == "both" and end <= start:
            end = start + dt.timedelta(days=1)
        ours += ["--to", end.isoformat()]
        theirs += ["-e", end.isoformat()]
    tags = [
        *((k, v) for t in journal.transactions for k, v in t.tags.items()),
        *((k, v) for t in journal.transactions for p in t.postings for k, v in p.tags.items()),
        *((k, v) for d in journal.declarations.values() for k, v in d.tags.items()),
    ]
    with_tag: bool = data.draw(st.booleans())
    if tags and with_tag:
        name, value = data.draw(st.sampled_from(sorted(tags)))
        wanted = _piece(data, value, " .-/") if data.draw(st.booleans()) else None
        ours += ["--tag", name if wanted is None else f"{name}:{wanted}"]
        theirs.append(f"tag:{name}" if wanted is None else f"tag:{name}={wanted}")
    if data.draw(st.booleans()):
        payee = _piece(data, data.draw(st.sampled_from([t.payee for t in journal.transactions])))
        if payee is not None:
            ours += ["--payee", payee]
            theirs.append(f"payee:{payee}")
    return ours, theirs


@settings(SETTINGS, max_examples=150)
@given(generated=journals(), data=st.data())
def test_register_equals_hledger_register(
    hledger: Hledger, generated: GeneratedJournal, data: st.DataObject
) -> None:
    """The same postings in the same order, each with the same amount and running total,
    and the same final total as `hledger register QUERY -O csv`."""
    precision = generated.style.precision
    with tempfile.TemporaryDirectory() as tmp:
        main = generated.write(Path(tmp))
        journal = load_journal(main)
        assert journal.errors == []
        ours_args, theirs_args = register_query(data, generated, journal)
        theirs = hledger.run("-f", str(main), "register", *theirs_args, "-O", "csv")
        assert theirs.returncode == 0, theirs.stderr
        header, *rows = list(csv.reader(io.StringIO(theirs.stdout, newline="")))
        assert header == ["txnidx", "date", "code", "description", "account", "amount", "total"]

        result = CliRunner().invoke(app, ["register", "--json", "-f", str(main), *ours_args])
        assert result.exit_code == 0, result.output
        ours = json.loads(result.stdout)
        where = (ours_args, theirs_args)
        assert len(ours["postings"]) == len(rows), where
        for mine, their in zip(ours["postings"], rows, strict=True):
            _, date, _, description, account, amount, total = their
            assert (mine["date"], mine["description"], mine["account"]) == (
                date,
                description,
                account,
            ), where
            assert shown(Decimal(mine["amount"]), precision) == csv_amount(amount), where
            assert shown(Decimal(mine["total"]), precision) == csv_amount(total), where
        final = csv_amount(rows[-1][6]) if rows else Decimal(0)
        assert shown(Decimal(ours["total"]), precision) == final, where


def test_register_of_the_bundled_books_equals_hledger_register(hledger: Hledger) -> None:
    """`ledger register representation --year 2020` and `hledger register representation
    -p 2020`: the published 31 637, posting by posting."""
    theirs = hledger.run(
        "-f", str(BUNDLED / "main.journal"), "register", "representation", "-p", "2020", "-O", "csv"
    )
    assert theirs.returncode == 0, theirs.stderr
    _, *rows = list(csv.reader(io.StringIO(theirs.stdout, newline="")))
    result = CliRunner().invoke(
        app,
        [
            "register",
            "representation",
            "--year",
            "2020",
            "--json",
            "-f",
            str(BUNDLED / "main.journal"),
        ],
    )
    ours = json.loads(result.stdout)
    assert [
        (p["date"], csv_amount(r[5]), csv_amount(r[6]))
        for p, r in zip(ours["postings"], rows, strict=True)
    ] == [(p["date"], Decimal(p["amount"]), Decimal(p["total"])) for p in ours["postings"]]
    assert csv_amount(rows[-1][6]) == Decimal(ours["total"]) == Decimal("31637")
