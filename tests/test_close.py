"""The close as data (close.py): amounts, texts, refusals and partial states, no CLI."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closed_books import as_earlier_version, make_earlier_version
from report_books import small_books, write_books
from sodertorn_ledger.books_writer import Snapshot, writing
from sodertorn_ledger.close import (
    ClosePlan,
    OpenYear,
    close_differences,
    closed_through,
    insert_declaration,
    insert_include,
    plan_close,
    plan_open_year,
    refuse_if_closed,
)
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.parser import parse_books
from sodertorn_ledger.money import journal_amount
from sodertorn_ledger.settings import load_settings

BUNDLED = Path(__file__).resolve().parent.parent / "ledger"
D = Decimal


@pytest.fixture
def books(tmp_path: Path) -> Path:
    """A copy of the bundled books; the path of its main.journal."""
    shutil.copytree(BUNDLED, tmp_path / "ledger")
    return tmp_path / "ledger" / "main.journal"


def read_text(path: Path) -> str | None:
    """A file's text as the close reads it."""
    return Snapshot().read_text(path)


def apply_plan(plan: ClosePlan, main: Path) -> None:
    """Write the plan as `ledger close` does, through the books writer under the lock."""
    with writing(main) as books:
        edits = []
        for edit in plan.edits:
            assert books.snapshot.read_text(edit.path) == edit.before
            edits.append(books.snapshot.edit(edit.path, edit.after, edit.what))
        books.apply(edits)


def plan_for(main: Path, year: int) -> ClosePlan:
    journal = load_journal(main)
    assert journal.errors == []
    return plan_close(journal, load_settings(main.parent / "sodertorn.toml"), year, read_text)


def close(main: Path, year: int) -> ClosePlan:
    plan = plan_for(main, year)
    assert not plan.problems, plan.problems
    apply_plan(plan, main)
    return plan


def messages(plan: ClosePlan) -> str:
    return "\n".join(p.message + " | " + p.hint for p in plan.problems)


def net(postings: tuple[tuple[str, Decimal], ...]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for account, amount in postings:
        out[account] = out.get(account, D(0)) + amount
    return out


# -- the close of the bundled 2020 books ---------------------------------------------------


def test_2020_results_are_the_published_ones(books: Path) -> None:
    plan = plan_for(books, 2020)
    assert plan.problems == ()
    assert not plan.already_closed
    results = {r.name: r.result for r in plan.results}
    assert results == {
        "Södertörnssamarbetet drift": D("188431.60"),
        "Södertörnsmodellen": D("-1450.00"),
        "Kommunikationsprojekt": D("50500.00"),
        "Södertörnskonferensen": D(0),
        "Bidrag från Tillväxtverket": D(0),
    }
    targets = {r.name: r.target for r in plan.results}
    assert targets["Södertörnssamarbetet drift"] == "fonder:drift från 2020"


def test_2020_closing_postings_empty_every_income_and_cost_account(books: Path) -> None:
    plan = plan_for(books, 2020)
    postings = net(plan.postings)
    assert sum(postings.values()) == 0
    assert postings["fonder:drift från 2020"] == D("-188431.60")
    assert postings["fonder:södertörnsmodellen"] == D("1450.00")
    assert postings["fonder:kommunikationsprojekt"] == D("-50500.00")
    journal = load_journal(books)
    year_balance: dict[str, Decimal] = {}
    for t in journal.transactions:
        for p in t.postings:
            year_balance[p.account] = year_balance.get(p.account, D(0)) + p.amount
    for account, balance in year_balance.items():
        if account.startswith(("intäkter", "kostnader")):
            assert postings[account] == -balance, account
        elif account.startswith("fonder") or account.startswith("tillgångar"):
            assert postings.get(account, D(0)) in (D(0), D("1450.00"), D("-50500.00"))


def test_edits_in_crash_safe_order(books: Path) -> None:
    plan = plan_for(books, 2020)
    names = [e.path.name for e in plan.edits]
    # The new file first (invisible until included), then main.journal (no balance
    # changes), the closing transaction last: it is the write that closes the year.
    assert names == ["2021.journal", "main.journal", "2020.journal"]
    new, main, year = plan.edits
    assert new.before is None
    assert main.before is not None and year.before is not None
    assert year.after == year.before + "\n" + plan.transaction_text
    assert "bokslut:2020" in plan.transaction_text
    assert plan.transaction_text.splitlines()[5] == "2020-12-31 * Bokslut 2020  ; bokslut:2020"


def test_texts_parse_back_to_the_planned_postings(books: Path) -> None:
    plan = close(books, 2020)
    journal = load_journal(books, strict=True)
    assert journal.errors == []
    closes = [t for t in journal.transactions if t.tags.get("bokslut") == "2020"]
    assert len(closes) == 1
    assert closes[0].date.isoformat() == "2020-12-31"
    # The closing postings, then a posting of nothing for each other account with a
    # balance; each account's balance after the close recorded on its last posting.
    moved = [account for account, _ in plan.postings]
    unmoved = [(account, D(0)) for account, _ in plan.balances if account not in moved]
    assert [(p.account, p.amount) for p in closes[0].postings] == [*plan.postings, *unmoved]
    # The fast path reads the postings of nothing with a balance as the reference does.
    assert repr(parse_books(books)) == repr(parse_books(books, fast=False))
    recorded = [(p.account, p.assertion) for p in closes[0].postings if p.assertion is not None]
    assert sorted(recorded) == sorted(plan.balances) and len(recorded) == len(plan.balances)
    balances = dict(plan.balances)
    assert balances["fonder:drift från 2020"] == D("-188431.60")
    assert balances["tillgångar:bank"] == D("1427296.63")
    assert all(balances[a] == 0 for a in moved if a.startswith(("intäkter", "kostnader")))
    declaration = journal.declarations["fonder:drift från 2020"]
    assert declaration.tags["fond"] == "Södertörnssamarbetet drift från 2020"
    assert declaration.file == str(books)
    next_file = books.parent / "2021.journal"
    assert str(next_file) in journal.files
    # The new year's file states no balance: no transaction at all.
    assert not [t for t in journal.transactions if t.file == str(next_file)]


def test_declaration_stands_directly_above_the_previous_year(books: Path) -> None:
    close(books, 2020)
    lines = books.read_text(encoding="utf-8").splitlines()
    at = next(
        i for i, line in enumerate(lines) if line.startswith("account fonder:drift från 2020")
    )
    assert lines[at + 1].startswith("account fonder:drift från 2019")
    # Its comment lines up with its neighbours'.
    assert lines[at].index(";") == lines[at + 1].index(";")
    assert lines[-1] == "include 2021.journal"
    assert lines[-2] == "include 2020.journal"


def test_closed_and_consistent_is_nothing_to_do(books: Path) -> None:
    close(books, 2020)
    again = plan_for(books, 2020)
    assert again.problems == ()
    assert again.already_closed
    assert again.nothing_to_do
    assert {r.name: r.result for r in again.results}["Södertörnssamarbetet drift"] == D("188431.60")


# -- partial states (what a crash can leave) ------------------------------------------------


def test_after_new_file_only_the_rest_is_done(books: Path) -> None:
    first = plan_for(books, 2020)
    new = first.edits[0]
    new.path.write_text(new.after, encoding="utf-8")
    plan = plan_for(books, 2020)
    assert [e.path.name for e in plan.edits] == ["main.journal", "2020.journal"]
    assert plan.edits[0].after == first.edits[1].after


def test_after_main_written_only_the_close_is_left(books: Path) -> None:
    first = plan_for(books, 2020)
    for edit in first.edits[:2]:
        edit.path.write_text(edit.after, encoding="utf-8")
    plan = plan_for(books, 2020)
    assert not plan.already_closed
    assert [e.path.name for e in plan.edits] == ["2020.journal"]
    assert plan.edits[0].after == first.edits[2].after


def test_closed_but_include_removed_is_repaired(books: Path) -> None:
    close(books, 2020)
    text = books.read_text(encoding="utf-8")
    books.write_text(text.replace("include 2021.journal\n", ""), encoding="utf-8")
    plan = plan_for(books, 2020)
    assert plan.already_closed and plan.problems == ()
    assert [e.path.name for e in plan.edits] == ["main.journal"]
    assert plan.edits[0].after == text


def test_next_year_already_booked_is_left_alone(books: Path) -> None:
    # January's bookings of 2021 often come before the close of 2020.
    (books.parent / "2021.journal").write_text(
        "2021-01-10 * Hyra\n    kostnader:drift:övriga kostnader  500,00 kr\n    tillgångar:bank\n",
        encoding="utf-8",
    )
    with books.open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    plan = plan_for(books, 2020)
    assert plan.problems == ()
    assert [e.path.name for e in plan.edits] == ["main.journal", "2020.journal"]
    assert plan.edits[0].after.count("include 2021.journal") == 1
    # The January cost is not part of 2020's close.
    assert net(plan.postings)["kostnader:drift:övriga kostnader"] == D("-9596.25")


# -- refusals -------------------------------------------------------------------------------


def test_refused_when_previous_year_is_open(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2019-06-01 * Avgift\n    tillgångar:bank  100,00 kr\n    intäkter:drift:avgifter\n"
        "2020-06-01 * Avgift\n    tillgångar:bank  200,00 kr\n    intäkter:drift:avgifter\n",
    )
    plan = plan_close(journal, settings, 2020, read_text)
    assert plan.refused and plan.edits == ()
    text = messages(plan)
    assert "2019 has transactions and is not closed" in text
    assert "ledger close 2019" in text
    assert len(plan.problems) == 1  # only the cause, not its echo in 2020's accounts


def test_previous_year_without_transactions_needs_no_close(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2020-06-01 * Avgift\n    tillgångar:bank  200,00 kr\n    intäkter:drift:avgifter\n",
    )
    plan = plan_close(journal, settings, 2020, read_text)
    assert plan.problems == ()
    assert net(plan.postings) == {
        "intäkter:drift:avgifter": D("200.00"),
        "fonder:drift från 2020": D("-200.00"),
    }


def test_refused_when_closed_year_changed_names_accounts_and_amounts(books: Path) -> None:
    # Books closed by an earlier version: no balances recorded, so the loader has no
    # lock to check and the close itself finds the change.
    close(books, 2020)
    make_earlier_version(books.parent / "2020.journal", 2020)
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2020-12-30 * Sen faktura\n    kostnader:drift:övriga kostnader  200,00 kr\n"
            "    skulder:leverantörsskulder\n"
        )
    plan = plan_for(books, 2020)
    assert plan.refused and plan.edits == ()
    assert plan.already_closed
    text = messages(plan)
    assert "2020 is closed, but the books have changed since the close:\n  " in text
    assert (
        "kostnader:drift:övriga kostnader: the close books -9 596,25 kr, the books now need "
        "-9 796,25 kr (difference -200,00 kr)"
    ) in text
    assert (
        "fonder:drift från 2020: the close books -188 431,60 kr, the books now need "
        "-188 231,60 kr (difference 200,00 kr)"
    ) in text
    problem = plan.problems[0]
    assert problem.file.endswith("2020.journal") and problem.line > 400


def test_refused_when_an_earlier_close_no_longer_agrees(books: Path) -> None:
    close(books, 2020)
    make_earlier_version(books.parent / "2020.journal", 2020)
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2020-11-30 * Rättelse\n    intäkter:kommunikationsprojekt  -1,00 kr\n"
            "    tillgångar:bank\n"
        )
    with (books.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-03-01 * Avgift\n    tillgångar:bank  10,00 kr\n"
            "    intäkter:drift:avgifter:salem\n"
        )
    plan = plan_for(books, 2021)
    assert plan.refused
    text = messages(plan)
    assert "2020 is closed, but the books have changed since the close:\n  " in text
    assert "intäkter:kommunikationsprojekt" in text


def test_refused_before_the_year_is_over(books: Path) -> None:
    journal = load_journal(books)
    settings = load_settings(books.parent / "sodertorn.toml")
    early = plan_close(journal, settings, 2020, read_text, today=dt.date(2020, 12, 30))
    assert early.refused and early.edits == ()
    assert "2020 is not over yet (today is 2020-12-30)" in messages(early)
    on_time = plan_close(journal, settings, 2020, read_text, today=dt.date(2021, 1, 1))
    assert on_time.problems == ()


def test_refused_for_a_year_without_transactions(books: Path) -> None:
    plan = plan_for(books, 2019)
    assert plan.refused
    assert "no transactions in 2019: nothing to close (years: 2020)" in messages(plan)


def test_refused_for_income_in_no_fund(tmp_path: Path) -> None:
    journal, settings = small_books(
        tmp_path,
        "2020-06-01 * Ränta\n    tillgångar:bank  3,50 kr\n    intäkter:ränta\n",
    )
    plan = plan_close(journal, settings, 2020, read_text)
    assert plan.refused
    assert "intäkter:ränta holds -3,50 kr at the end of 2020 but belongs to no fund" in messages(
        plan
    )


def test_refused_for_two_closing_transactions(books: Path) -> None:
    close(books, 2020)
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2020-12-31 * Bokslut igen  ; bokslut:2020\n    fonder:drift från 2020  0,00 kr\n"
        )
    plan = plan_for(books, 2020)
    assert plan.refused
    assert "2020 has 2 closing transactions" in messages(plan)


def test_refused_when_next_years_file_exists_but_is_not_included(books: Path) -> None:
    (books.parent / "2021.journal").write_text("; mina anteckningar\n", encoding="utf-8")
    plan = plan_for(books, 2020)
    assert plan.refused and plan.edits == ()
    assert "2021.journal exists but" in messages(plan)
    assert "include 2021.journal" in messages(plan)


# -- texts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0,00 kr"),
        ("-0.5", "-0,50 kr"),
        ("1234.5", "1 234,50 kr"),
        ("-1824368.40", "-1 824 368,40 kr"),
        ("100000", "100 000,00 kr"),
        ("1.125", "1,125 kr"),
    ],
)
def test_journal_amount(amount: str, text: str) -> None:
    assert journal_amount(D(amount), "kr") == text


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_journal_amount_reads_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, amount: Decimal
) -> None:
    folder = tmp_path_factory.mktemp("amount")
    text = journal_amount(amount, "kr")
    path = folder / "a.journal"
    path.write_text(f"decimal-mark ,\n2020-01-01 x\n    a  {text}\n    b\n", encoding="utf-8")
    journal = parse_books(path)
    assert journal.errors == []
    assert journal.transactions[0].postings[0].amount == amount


def test_insert_declaration_without_earlier_result_funds() -> None:
    text = "account fonder  ; type:E\naccount fonder:modellen  ; x\naccount intäkter\n"
    out = insert_declaration(
        text, "fonder:drift från 2020", lambda c: f"account NEW{c}", lambda a: None
    )
    assert out.splitlines() == [
        "account fonder  ; type:E",
        "account fonder:modellen  ; x",
        "account NEW25",
        "account intäkter",
    ]


def test_insert_include_without_includes() -> None:
    assert insert_include("decimal-mark ,", "include 2021.journal") == (
        "decimal-mark ,\ninclude 2021.journal\n"
    )


def test_close_differences() -> None:
    assert close_differences([("a", D(1)), ("b", D(-1))], [("a", D(1)), ("b", D(-1))]) == []
    assert close_differences([("a", D(1))], [("c", D(2))]) == [
        "a: the close books 1,00 kr, the books now need 0,00 kr (difference -1,00 kr)",
        "c: the close books 0,00 kr, the books now need 2,00 kr (difference 2,00 kr)",
    ]


def test_single_file_books_get_one_write(tmp_path: Path) -> None:
    main = write_books(
        tmp_path,
        "account fonder:drift från 2019  ; fond:Drift från 2019\n"
        "2020-06-01 * Avgift\n    tillgångar:bank  200,00 kr\n    intäkter:drift:avgifter\n",
    )
    plan = plan_for(main, 2020)
    assert [e.path.name for e in plan.edits] == ["2021.journal", "main.journal"]
    apply_plan(plan, main)
    text = main.read_text(encoding="utf-8")
    assert text.index("account fonder:drift från 2020") < text.index(
        "account fonder:drift från 2019"
    )
    assert "include 2021.journal" in text and "bokslut:2020" in text
    assert plan_for(main, 2020).nothing_to_do


def test_an_include_pattern_takes_in_the_new_year_without_a_new_include(books: Path) -> None:
    text = books.read_text(encoding="utf-8")
    books.write_text(text.replace("include 2020.journal", "include 20*.journal"), encoding="utf-8")
    plan = close(books, 2020)
    assert [e.path.name for e in plan.edits] == ["2021.journal", "main.journal", "2020.journal"]
    after = books.read_text(encoding="utf-8")
    assert "include 2021.journal" not in after
    journal = load_journal(books, strict=True)
    assert journal.errors == []
    assert str(books.parent / "2021.journal") in journal.files
    assert plan_for(books, 2020).nothing_to_do


def test_reopen_a_changed_year_and_close_it_again(books: Path) -> None:
    first = close(books, 2020)
    year_file = books.parent / "2020.journal"
    closed_text = year_file.read_text(encoding="utf-8")
    late = (
        "\n2020-12-30 * Sen faktura\n    kostnader:drift:övriga kostnader  500,00 kr\n"
        "    skulder:leverantörsskulder\n"
    )
    # As the manual says: book the change, then delete the closing transaction.
    reopened = closed_text.replace("\n" + first.transaction_text, "") + late
    year_file.write_text(reopened, encoding="utf-8")
    main_text = books.read_text(encoding="utf-8")
    plan = close(books, 2020)
    assert [e.path.name for e in plan.edits] == ["2020.journal"]
    assert books.read_text(encoding="utf-8") == main_text
    assert net(plan.postings)["fonder:drift från 2020"] == D("-187931.60")
    assert plan_for(books, 2020).nothing_to_do


def test_windows_line_ends_are_kept(books: Path) -> None:
    for path in (books, books.parent / "2020.journal"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    close(books, 2020)
    for path in (books, books.parent / "2020.journal"):
        data = path.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n"), path.name
    assert load_journal(books, strict=True).errors == []
    assert plan_for(books, 2020).nothing_to_do


# -- any books: the close's guarantees as properties ------------------------------------------

_ACCOUNTS = [
    "intäkter:drift:avgifter:botkyrka",
    "kostnader:drift:personal",
    "kostnader:drift:projekt",
    "intäkter:modellen",
    "kostnader:modellen",
    "intäkter:bidrag",
    "kostnader:bidrag",
    "fonder:modellen",
    "fonder:bidrag",
    "skulder:leverantörer",
]

_postings = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=12),
        st.sampled_from(_ACCOUNTS),
        st.integers(min_value=-(10**9), max_value=10**9).map(lambda ore: D(ore) / 100),
    ),
    min_size=1,
    max_size=25,
)


def _journal_text(year: int, rows: list[tuple[int, str, Decimal]]) -> str:
    out = []
    for month, account, amount in rows:
        out += [
            f"{year}-{month:02d}-15 * Händelse",
            f"    {account}  {journal_amount(amount, 'kr')}",
            "    tillgångar:bank",
            "",
        ]
    return "\n".join(out)


@settings(max_examples=15, deadline=None)
@given(first=_postings, second=_postings)
def test_any_books_close_twice_and_keep_every_guarantee(
    tmp_path_factory: pytest.TempPathFactory,
    first: list[tuple[int, str, Decimal]],
    second: list[tuple[int, str, Decimal]],
) -> None:
    from sodertorn_ledger.reports.funds import compute_summary

    folder = tmp_path_factory.mktemp("books")
    main = write_books(folder, "include 2020.journal\n")
    (folder / "2020.journal").write_text(_journal_text(2020, first), encoding="utf-8")
    settings_ = load_settings(folder / "sodertorn.toml")
    before_2020 = compute_summary(load_journal(main), settings_, 2020)

    close(main, 2020)
    with (folder / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(_journal_text(2021, second))
    summary_2021 = compute_summary(load_journal(main), settings_, 2021)
    close(main, 2021)

    journal = load_journal(main)
    assert journal.errors == []
    after_2020 = compute_summary(journal, settings_, 2020)
    after_2021 = compute_summary(journal, settings_, 2021)
    assert after_2020 == before_2020
    assert after_2021 == summary_2021
    opening = {row.name: row.opening for row in compute_summary(journal, settings_, 2022).funds}
    closing = {row.name: row.closing for row in after_2021.funds}
    drift = {row.name: row for row in after_2020.funds}["Drift"]
    assert opening["Drift"] == 0
    assert opening["Drift från 2021"] == closing["Drift"]
    assert opening["Drift från 2020"] == drift.closing
    for name in ("Modellen", "Bidrag"):
        assert opening[name] == closing[name]
    # Only balance-sheet accounts hold money after both closes.
    totals: dict[str, Decimal] = {}
    for t in journal.transactions:
        for p in t.postings:
            totals[p.account] = totals.get(p.account, D(0)) + p.amount
    assert all(v == 0 for a, v in totals.items() if a.startswith(("intäkter", "kostnader")))
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert plan_for(main, 2020).nothing_to_do and plan_for(main, 2021).nothing_to_do
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == snapshot


# -- the lock of a closed year ------------------------------------------------------------------


LATE_2020 = (
    "\n2020-06-15 * Sen faktura\n    kostnader:drift:övriga kostnader  200,00 kr\n"
    "    skulder:leverantörsskulder\n"
)


def test_the_close_records_the_years_end_state_and_a_later_change_breaks_it(books: Path) -> None:
    plan = close(books, 2020)
    balances = dict(plan.balances)
    # Every account the close moves, and every other one with a balance.
    assert set(balances) == {a for a, _ in plan.postings} | {
        "tillgångar:bank",
        "tillgångar:kundfordringar",
        "skulder:leverantörsskulder",
        "skulder:skatteverket",
        "skulder:semesterlöneskuld",
        "fonder:bidrag från tillväxtverket",
        "fonder:drift från 2019",
        "fonder:drift från 2018",
    }
    assert "    tillgångar:bank" + " " * 44 + "0,00 kr = 1 427 296,63 kr" in plan.transaction_text
    assert load_journal(books, strict=True).errors == []
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(LATE_2020)
    [problem] = load_journal(books).errors
    assert problem.message.startswith("2020 is closed (bokslut:2020 at ")
    assert "dated 2020-06-15, booked after the close" in problem.message


def test_a_close_of_an_earlier_version_gets_its_balances_recorded(books: Path) -> None:
    close(books, 2020)
    locked = (books.parent / "2020.journal").read_text(encoding="utf-8")
    make_earlier_version(books.parent / "2020.journal", 2020)
    earlier = (books.parent / "2020.journal").read_text(encoding="utf-8")
    plan = plan_for(books, 2020)
    assert plan.already_closed and plan.problems == ()
    [edit] = plan.edits
    assert edit.path.name == "2020.journal"
    assert edit.what.startswith("the balances at the end of 2020 recorded in its closing")
    apply_plan(plan, books)
    after = (books.parent / "2020.journal").read_text(encoding="utf-8")
    # The closing transaction as today's close writes it; its comment as it was.
    assert after == as_earlier_version(locked, 2020).replace(
        as_earlier_version(locked, 2020).split("2020-12-31 * Bokslut 2020")[1],
        locked.split("2020-12-31 * Bokslut 2020")[1],
    )
    assert after != earlier
    assert plan_for(books, 2020).nothing_to_do
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(LATE_2020)
    assert "2020 is closed (bokslut:2020" in load_journal(books).errors[0].message


def test_a_close_of_an_earlier_version_whose_lines_moved_is_refused(books: Path) -> None:
    close(books, 2020)
    make_earlier_version(books.parent / "2020.journal", 2020)
    journal = load_journal(books)
    settings = load_settings(books.parent / "sodertorn.toml")

    def shifted(path: Path) -> str | None:
        text = read_text(path)
        return "; a line more\n" + text if text and path.name == "2020.journal" else text

    plan = plan_close(journal, settings, 2020, shifted)
    assert plan.refused and plan.edits == ()
    assert "cannot find the lines of the closing transaction of 2020" in messages(plan)


def test_a_31_december_transaction_read_after_the_years_file_is_refused(books: Path) -> None:
    (books.parent / "2021.journal").write_text(
        "2020-12-31 * Ränta\n    tillgångar:bank  1,00 kr\n    intäkter:drift:avgifter:salem\n",
        encoding="utf-8",
    )
    with books.open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    plan = plan_for(books, 2020)
    assert plan.refused and plan.edits == ()
    [problem] = plan.problems
    assert problem.file.endswith("2021.journal") and problem.line == 1
    assert "is read after the end of" in problem.message
    assert "move it into" in problem.hint


# -- a year that looks like a typo is not a year to close ---------------------------------------


TYPO = "\n2012-01-15 * Swedbank | Bankavgift\n    kostnader:drift:övriga avgifter  12,00 kr\n"
TYPO += "    tillgångar:bank\n"


def test_a_typo_year_before_the_first_close_is_not_offered_for_closing(books: Path) -> None:
    close(books, 2020)
    make_earlier_version(books.parent / "2020.journal", 2020)  # no lock: the close tells
    with (books.parent / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(TYPO.replace("2012", "2021") + TYPO)
    plan = plan_for(books, 2021)
    assert plan.refused
    text = messages(plan)
    assert "ledger close 2012" not in text
    assert "this transaction is dated 2012-01-15, before the books start (2020)" in text
    assert "did you mean 2021-01-15?" in text
    assert plan.problems[0].file.endswith("2021.journal")
    again = plan_for(books, 2012)
    assert again.refused and "did you mean 2021-01-15?" in messages(again)


def test_a_typo_year_in_books_never_closed(books: Path) -> None:
    with (books.parent / "2020.journal").open("a", encoding="utf-8") as handle:
        handle.write(TYPO)
    plan = plan_for(books, 2020)
    assert plan.refused
    assert "before the books start (2020)" in messages(plan)
    assert "did you mean 2020-01-15?" in messages(plan)


# -- closed years, for every writer -------------------------------------------------------------


def test_closed_through_and_refuse_if_closed(books: Path) -> None:
    journal = load_journal(books)
    assert closed_through(journal) is None
    assert refuse_if_closed(journal, [dt.date(2020, 5, 1)], "it") == []
    close(books, 2020)
    journal = load_journal(books)
    assert closed_through(journal) == 2020
    assert refuse_if_closed(journal, [dt.date(2021, 1, 1)], "it") == []
    [problem] = refuse_if_closed(journal, [dt.date(2021, 1, 1), dt.date(2020, 12, 31)], "it")
    assert problem.file.endswith("2020.journal") and problem.line == 464
    assert problem.message == (
        f"2020 is closed (bokslut:2020 at {books.parent / '2020.journal'}:464): it would "
        "change a closed year"
    )
    assert problem.hint.startswith("book it in 2021, the open year, instead; or reopen 2020")
    [typo] = refuse_if_closed(journal, [dt.date(2012, 3, 4)], "it")
    assert typo.message.startswith("2012-03-04 is before the books start (2020)")
    assert typo.hint == "did you mean 2021-03-04? correct the date"


# -- opening a year -----------------------------------------------------------------------------


def open_2021(books: Path) -> OpenYear:
    return plan_open_year(load_journal(books), 2021, "Södertörnssamarbetet", read_text)


def test_opening_a_year(books: Path) -> None:
    opening = open_2021(books)
    assert opening.file == books.parent / "2021.journal"
    assert (opening.create, opening.include, opening.problems) == (True, True, ())
    assert opening.include_line == "include 2021.journal"
    assert opening.header.startswith("; Södertörnssamarbetet, räkenskaper 2021.\n")
    assert opening.header == plan_for(books, 2020).next_year_text  # one rule for both
    text = books.read_text(encoding="utf-8")
    assert opening.main_text(text) == text + "include 2021.journal\n"
    # What a stopped run left: the header alone, not yet included.
    (books.parent / "2021.journal").write_text(opening.header, encoding="utf-8")
    assert (open_2021(books).create, open_2021(books).include) == (False, True)
    # Someone else's file of that name.
    (books.parent / "2021.journal").write_text("; mina anteckningar\n", encoding="utf-8")
    [problem] = open_2021(books).problems
    assert "2021.journal exists but" in problem.message
    # Included: done.
    with books.open("a", encoding="utf-8") as handle:
        handle.write("include 2021.journal\n")
    assert open_2021(books).done


def test_opening_a_year_an_include_pattern_takes_in(books: Path) -> None:
    text = books.read_text(encoding="utf-8")
    books.write_text(text.replace("include 2020.journal", "include 20*.journal"), encoding="utf-8")
    opening = open_2021(books)
    assert (opening.create, opening.include) == (True, False)
