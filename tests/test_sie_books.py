"""The books as SIE 4 and SIE 4 as the books (sie_books.py): the bundled 2020 books
exported agree with the trial balance and the Sammanställning, and a file's vouchers
become transactions, those the books have already left out."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sodertorn_ledger.cli import app
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.reports.funds import compute_summary
from sodertorn_ledger.reports.trial_balance import trial_balance
from sodertorn_ledger.settings import Settings, load_settings
from sodertorn_ledger.sie import FiscalYear, Row, SieFile, Voucher, account_sums
from sodertorn_ledger.sie_books import ImportPlan, books_to_sie, description, plan_import

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"
BOOKS = load_journal(BUNDLED / "main.journal")
SETTINGS = load_settings(BUNDLED / "sodertorn.toml")
GENERATED = dt.date(2021, 2, 1)


def export(journal: Journal, settings: Settings, year: int) -> SieFile:
    sie, problems = books_to_sie(journal, settings, year, generated=GENERATED, version="9")
    assert problems == [] and sie is not None, problems
    return sie


SIE_2020 = export(BOOKS, SETTINGS, 2020)


def by_number(rows: tuple[tuple[str, Decimal], ...], settings: Settings) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for account, amount in rows:
        number = settings.sie.number_of(account)
        assert number is not None, account
        sums[number] = sums.get(number, Decimal(0)) + amount
    return sums


# -- the bundled 2020 books as a file ---------------------------------------------------------


@pytest.mark.parametrize("year", [2020, None])
def test_every_ub_and_res_is_the_trial_balance(year: int | None) -> None:
    # The books start in 2020: the year's movements are the whole books' balances.
    expected = by_number(trial_balance(BOOKS, year).rows, SETTINGS)
    found = {a: x for (y, a), x in SIE_2020.closing.items() if y == 0}
    found.update({a: x for (y, a), x in SIE_2020.results.items() if y == 0})
    assert found == expected
    assert set(SIE_2020.accounts) == set(expected)
    assert {a for (_, a) in SIE_2020.closing}.isdisjoint(a for (_, a) in SIE_2020.results)


def test_the_balance_accounts_are_t_and_s_the_others_i_and_k() -> None:
    types = SIE_2020.account_types
    assert (types["1930"], types["1510"], types["2440"], types["2061"]) == ("T", "T", "S", "S")
    assert (types["3011"], types["5010"], types["6990"]) == ("I", "K", "K")
    assert {a for (_, a) in SIE_2020.closing} == {a for a, t in types.items() if t in "TS"}
    assert {a for (_, a) in SIE_2020.results} == {a for a, t in types.items() if t in "IK"}


def test_ib_is_the_opening_of_the_sammanstallning_and_ib_plus_vouchers_is_ub() -> None:
    summary = {row.name: row for row in compute_summary(BOOKS, SETTINGS, 2020).funds}
    opening = {a: x for (y, a), x in SIE_2020.opening.items() if y == 0}
    assert opening["2061"] == -summary["Södertörnsmodellen"].opening
    assert opening["2082"] == -summary["Södertörnssamarbetet drift från 2019"].opening
    assert opening["1930"] == Decimal("1143648.60")
    assert sum(opening.values()) == 0
    moved = account_sums(SIE_2020.vouchers)
    for (_, number), closing in SIE_2020.closing.items():
        assert opening[number] + moved.get(number, Decimal(0)) == closing, number
    for (_, number), result in SIE_2020.results.items():
        assert moved.get(number, Decimal(0)) == result, number


def test_one_voucher_a_transaction_but_the_opening_numbered_in_date_order() -> None:
    vouchers = SIE_2020.vouchers
    assert len(vouchers) == len(BOOKS.transactions) - 1 == 104
    assert [v.number for v in vouchers] == [str(n) for n in range(1, 105)]
    assert {v.series for v in vouchers} == {"A"}
    assert [v.date for v in vouchers] == sorted(v.date for v in vouchers)
    assert "Ingående balans 2020" not in {v.text for v in vouchers}
    first = vouchers[0]
    assert (first.date, first.text) == (
        dt.date(2020, 1, 5),
        "Telia Sverige AB | Mobil och bredband januari",
    )
    assert [(r.account, r.amount) for r in first.rows] == [
        ("6410", Decimal("457.40")),
        ("2440", Decimal("-457.40")),
    ]
    # Two of 31 January, in the order the books read them.
    fees = [v for v in vouchers if v.date == dt.date(2020, 1, 31)]
    assert [v.text.split(" |")[0] for v in fees][:2] == ["Botkyrka kommun", "Haninge kommun"]


def test_the_same_books_give_the_same_file() -> None:
    assert export(BOOKS, SETTINGS, 2020) == SIE_2020


def test_a_project_is_an_object_of_dimension_6_with_its_display_name() -> None:
    assert SIE_2020.dims == {6: "Projekt"}
    assert SIE_2020.objects == {
        (6, "Näringslivsanalyser Great"): "Näringslivsanalyser Great",
        (6, "Bisnode analys 2020"): "Bisnode analys 2020",
        (6, "Produktion kartor"): "Produktion kartor, Details",
    }
    maps = next(v for v in SIE_2020.vouchers if v.text.startswith("Details |"))
    assert [r.objects for r in maps.rows] == [((6, "Produktion kartor"),)] * 2
    assert all(r.objects == () for r in SIE_2020.vouchers[0].rows)


def test_the_header_says_who_and_which_year() -> None:
    assert (SIE_2020.program, SIE_2020.program_version) == ("sodertorn-ledger", "9")
    assert (SIE_2020.orgnr, SIE_2020.company_name, SIE_2020.chart_type) == (
        "222000-1234",
        "Södertörnssamarbetet",
        "KOMMUNBAS",
    )
    assert SIE_2020.generated == GENERATED
    assert SIE_2020.years == {0: FiscalYear(dt.date(2020, 1, 1), dt.date(2020, 12, 31))}
    assert SIE_2020.accounts["1930"] == "Bankkonto, all money of the cooperation"
    assert SIE_2020.accounts["2082"] == "Överskott från driften 2019"


def test_a_description_is_the_declarations_comment_before_its_tags() -> None:
    assert description(BOOKS, "tillgångar") == "Tillgångar"
    assert description(BOOKS, "fonder:drift från 2019") == "Överskott från driften 2019"
    assert description(BOOKS, "kostnader:drift:projekt") == (
        "Projekt som bekostas av driften, tagg projekt"
    )
    assert description(BOOKS, "no:such") == "no:such"


# -- what cannot be exported -----------------------------------------------------------------


def settings_with(tmp_path: Path, old: str, new: str) -> Settings:
    text = (BUNDLED / "sodertorn.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "sodertorn.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_settings(path)


def test_every_account_without_a_number_is_listed_with_its_name(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '"tillgångar:bank" = "1930"\n', "")
    settings = settings._replace(
        sie=settings.sie._replace(
            accounts={
                a: n for a, n in settings.sie.accounts.items() if a != "fonder:drift från 2019"
            }
        )
    )
    sie, problems = books_to_sie(BOOKS, settings, 2020, generated=GENERATED, version="9")
    assert sie is None
    lines = {a: BOOKS.declarations[a].line for a in ("fonder:drift från 2019", "tillgångar:bank")}
    assert [(p.file, p.line, p.message) for p in problems] == [
        (
            BOOKS.root,
            lines["fonder:drift från 2019"],
            "account fonder:drift från 2019 (Överskott från driften 2019) has no number in "
            "[sie.accounts]",
        ),
        (
            BOOKS.root,
            lines["tillgångar:bank"],
            "account tillgångar:bank (Bankkonto, all money of the cooperation) has no number "
            "in [sie.accounts]",
        ),
    ]
    assert problems[-1].hint == (
        f"give each its number in [sie.accounts] of {settings.path}:\n"
        '    "fonder:drift från 2019" = "…"\n'
        '    "tillgångar:bank" = "…"'
    )


def test_accounts_that_share_a_number_are_added_up(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, "[sie.accounts]\n", '[sie.accounts]\n"fonder" = "2000"\n')
    settings = settings._replace(
        sie=settings.sie._replace(
            accounts={a: n for a, n in settings.sie.accounts.items() if a not in FUNDS_2018_19}
        )
    )
    sie = export(BOOKS, settings, 2020)
    assert sie.closing[(0, "2000")] == Decimal("-110853.00") + Decimal("-233695.75")
    assert sie.accounts["2000"] == "Ändamålsbestämda medel"
    assert "2081" not in sie.accounts


FUNDS_2018_19 = ("fonder:drift från 2018", "fonder:drift från 2019")


def test_a_number_for_accounts_of_two_types_is_refused() -> None:
    accounts = {**SETTINGS.sie.accounts, "skulder:skatteverket": "1930"}
    numbers = {"1930": "tillgångar:bank"}
    settings = SETTINGS._replace(sie=SETTINGS.sie._replace(accounts=accounts, numbers=numbers))
    sie, problems = books_to_sie(BOOKS, settings, 2020, generated=GENERATED, version="9")
    assert sie is None
    (problem,) = problems
    assert problem.message == (
        "account tillgångar:bank (T) and skulder:skatteverket (S) have the same number 1930 "
        "in [sie.accounts], but not the same type"
    )


def test_no_organisation_number_is_refused(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, 'orgnr = "222000-1234"\n', "")
    sie, problems = books_to_sie(BOOKS, settings, 2020, generated=GENERATED, version="9")
    assert sie is None
    assert [p.message for p in problems] == [
        "[sie] has no orgnr: an SIE file names the organisation by its number"
    ]


def small_books(tmp_path: Path, transactions: str) -> Journal:
    main = tmp_path / "main.journal"
    declarations = (BUNDLED / "main.journal").read_text(encoding="utf-8")
    main.write_text(declarations.replace("include 2020.journal", transactions), "utf-8")
    books = load_journal(main)
    assert books.errors == [], books.errors
    return books


def test_an_amount_of_more_than_two_decimals_is_refused_at_its_line(tmp_path: Path) -> None:
    books = small_books(
        tmp_path,
        "2020-03-01 * Bank\n    kostnader:drift:övriga avgifter  0,125 kr\n    tillgångar:bank\n",
    )
    sie, problems = books_to_sie(books, SETTINGS, 2020, generated=GENERATED, version="9")
    assert sie is None
    assert [(p.line, p.message) for p in problems] == [
        (p.line, f"{p.amount} kr has more than two decimals: SIE holds amounts in öre")
        for p in books.transactions[0].postings
    ]
    assert problems[0].message.startswith("0.125 kr")


def test_an_account_of_no_class_is_refused(tmp_path: Path) -> None:
    books = small_books(
        tmp_path, "2020-03-01 * Okänt\n    övrigt:konto  10,00 kr\n    tillgångar:bank\n"
    )
    settings = SETTINGS._replace(
        sie=SETTINGS.sie._replace(accounts={**SETTINGS.sie.accounts, "övrigt": "9000"})
    )
    sie, problems = books_to_sie(books, settings, 2020, generated=GENERATED, version="9")
    assert sie is None
    assert [p.message for p in problems] == [
        "account övrigt:konto is neither an asset, a liability, a fund, income nor a cost: "
        "SIE needs its type"
    ]


# -- a closed year ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def closed_2020(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled books with 2020 closed by `ledger close 2020`, and a 2021 transaction."""
    folder = tmp_path_factory.mktemp("closed") / "ledger"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns(".*"))
    main = folder / "main.journal"
    done = CliRunner().invoke(app, ["close", "2020", "-f", str(main)])
    assert done.exit_code == 0, done.stderr
    with (folder / "2021.journal").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n2021-01-29 * Nykvarns kommun | Inbetalning avgift 2020  ; kommun:0140\n"
            + posting("tillgångar:bank", "44 056,00 kr")
            + posting("tillgångar:kundfordringar", "-44 056,00 kr")
        )
    return main


def test_the_close_is_no_voucher_and_ub_is_before_it(closed_2020: Path) -> None:
    books = load_journal(closed_2020)
    assert books.errors == []
    assert export(books, SETTINGS, 2020)._replace(generated=None) == SIE_2020._replace(
        generated=None
    )


def test_the_next_year_needs_a_number_for_the_new_result_fund(closed_2020: Path) -> None:
    books = load_journal(closed_2020)
    sie, problems = books_to_sie(books, SETTINGS, 2021, generated=GENERATED, version="9")
    assert sie is None
    assert [p.message for p in problems] == [
        "account fonder:drift från 2020 (Överskott från driften 2020) has no number in "
        "[sie.accounts]"
    ]
    numbered = {**SETTINGS.sie.accounts, "fonder:drift från 2020": "2083"}
    settings = SETTINGS._replace(sie=SETTINGS.sie._replace(accounts=numbered))
    sie_2021 = export(books, settings, 2021)
    assert sie_2021.years[-1] == FiscalYear(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    # The year before as its own file gives it: #UB -1 before the close, #IB 0 after it.
    for table in ("opening", "closing", "results"):
        before = {a: x for (y, a), x in getattr(SIE_2020, table).items()}
        minus_one = {a: x for (y, a), x in getattr(sie_2021, table).items() if y == -1}
        # The accounts the close of 2020 brings in held nothing in 2020.
        assert {a: x for a, x in minus_one.items() if a in before} == before, table
        assert {x for a, x in minus_one.items() if a not in before} <= {0}
    opening = {a: x for (y, a), x in sie_2021.opening.items() if y == 0}
    assert opening["2083"] == Decimal("-188431.60")
    assert opening["2083"] != sie_2021.closing[(-1, "2083")] == 0
    assert sum(opening.values()) == 0
    assert [(v.number, v.text) for v in sie_2021.vouchers] == [
        ("1", "Nykvarns kommun | Inbetalning avgift 2020")
    ]
    assert all(x == 0 for (y, a), x in sie_2021.results.items() if y == 0 and a != "3014")


# -- a file's vouchers as transactions --------------------------------------------------------


def posting(account: str, amount: str, tail: str = "") -> str:
    """A posting line as the books lay it out: the amount ends at column 70."""
    return f"    {account}{' ' * (66 - len(account) - len(amount))}{amount}{tail}\n"


def voucher(
    number: str,
    day: dt.date,
    text: str,
    *rows: tuple[str, str] | tuple[str, str, str],
    series: str = "L",
    line: int = 10,
) -> Voucher:
    made = tuple(
        Row(r[0], ((6, r[2]),) if len(r) == 3 else (), Decimal(r[1]), line=line + 1 + n)
        for n, r in enumerate(rows)
    )
    return Voucher(series, number, day, text, made, line=line)


HOST = SieFile(
    orgnr="212000-0142",
    company_name="Värdkommunen",
    accounts={"7010": "Löner", "1930": "Bank", "2710": "Personalskatt"},
    vouchers=(
        voucher(
            "1",
            dt.date(2021, 1, 25),
            "Löner januari",
            ("7010", "40000.00"),
            ("2710", "-12000.00"),
            ("1930", "-28000.00"),
        ),
        voucher(
            "2",
            dt.date(2021, 2, 25),
            "Konsult; workshop",
            ("6990", "1000.00", "Kartor"),
            ("1930", "-1000.00", "Kartor"),
            line=20,
        ),
    ),
)
HOST_NUMBERS = {"7010": "kostnader:drift:personal:löner"}


def host_settings() -> Settings:
    return SETTINGS._replace(sie=SETTINGS.sie._replace(numbers=HOST_NUMBERS))


def plan(sie: SieFile, books: Journal = BOOKS, settings: Settings | None = None) -> ImportPlan:
    return plan_import(
        sie,
        "lon.se",
        books,
        settings or host_settings(),
        commodity="kr",
        decimal_mark=",",
    )


def test_each_voucher_is_a_transaction_in_the_books_own_style() -> None:
    done = plan(HOST)
    assert not done.refused
    (year,) = done.years
    assert (year.year, year.vouchers, year.imported, year.already) == (2021, 2, 2, 0)
    assert year.text == (
        "2021-01-25 * Löner januari  ; ver:L-1, sie:212000-0142\n"
        + posting("kostnader:drift:personal:löner", "40 000,00 kr")
        + posting("skulder:skatteverket", "-12 000,00 kr")
        + posting("tillgångar:bank", "-28 000,00 kr")
        + "\n"
        + "2021-02-25 * Konsult, workshop  ; ver:L-2, sie:212000-0142, projekt:Kartor\n"
        + posting("kostnader:drift:projekt", "1 000,00 kr")
        + posting("tillgångar:bank", "-1 000,00 kr")
    )
    (changed,) = done.problems
    assert (changed.line, changed.severity, changed.message) == (
        20,
        "warning",
        "the text 'Konsult; workshop' is booked as 'Konsult, workshop'",
    )


def test_projects_that_differ_by_row_are_tags_of_the_postings() -> None:
    two = voucher(
        "3",
        dt.date(2021, 3, 1),
        "(kopia) Två projekt",
        ("6990", "10.00", "A"),
        ("6990", "20.00", "B"),
        ("1930", "-30.00"),
    )
    (year,) = plan(HOST._replace(vouchers=(two,))).years
    assert year.text == (
        "2021-03-01 * () (kopia) Två projekt  ; ver:L-3, sie:212000-0142\n"
        + posting("kostnader:drift:projekt", "10,00 kr", "  ; projekt:A")
        + posting("kostnader:drift:projekt", "20,00 kr", "  ; projekt:B")
        + posting("tillgångar:bank", "-30,00 kr")
    )


def books_with(tmp_path: Path, text: str) -> Journal:
    return small_books(tmp_path, f"include 2020.journal\n{text}")


def test_vouchers_the_books_have_are_left_out(tmp_path: Path) -> None:
    (first,) = plan(HOST).years
    shutil.copy(BUNDLED / "2020.journal", tmp_path / "2020.journal")
    books = books_with(tmp_path, first.text.split("\n\n")[0] + "\n")
    (again,) = plan(HOST, books).years
    assert (again.imported, again.already) == (1, 1)
    assert again.text.startswith("2021-02-25 * Konsult")
    # Another file, another organisation number: its L 1 is another voucher.
    (other,) = plan(HOST._replace(orgnr="212000-9999"), books).years
    assert (other.imported, other.already) == (2, 0)


def test_two_vouchers_alike_in_number_and_date_are_both_booked_once(tmp_path: Path) -> None:
    twice = HOST._replace(vouchers=(HOST.vouchers[0], HOST.vouchers[0]))
    (year,) = plan(twice).years
    assert (year.imported, year.already) == (2, 0)
    shutil.copy(BUNDLED / "2020.journal", tmp_path / "2020.journal")
    books = books_with(tmp_path, year.text)
    (again,) = plan(twice, books).years
    assert (again.imported, again.already) == (0, 2)


def test_every_number_without_an_account_is_listed_at_once() -> None:
    done = plan(HOST, settings=SETTINGS)
    assert done.refused and done.years == ()
    unmapped = [p for p in done.problems if p.severity == "error"]
    assert [(p.line, p.message) for p in unmapped] == [
        (11, "account 7010 (Löner) has no account of the books"),
    ]
    strange = HOST._replace(
        vouchers=(voucher("9", dt.date(2021, 5, 1), "x", ("8999", "1.00"), ("0027", "-1.00")),)
    )
    done = plan(strange)
    assert [(p.line, p.message) for p in done.problems] == [
        (11, "account 8999 has no account of the books"),
        (12, "account 0027 has no account of the books"),
    ]
    assert done.problems[-1].hint == (
        f"say which account each books to, in [sie.numbers] of {SETTINGS.path}:\n"
        '    "8999" = "…"\n'
        '    "0027" = "…"'
    )


def test_a_voucher_in_a_closed_year_is_refused(closed_2020: Path) -> None:
    books = load_journal(closed_2020)
    late = HOST._replace(
        vouchers=(
            *HOST.vouchers,
            voucher(
                "7", dt.date(2020, 12, 30), "Sent", ("7010", "5.00"), ("1930", "-5.00"), line=40
            ),
        )
    )
    done = plan(late, books)
    (problem,) = [p for p in done.problems if p.severity == "error"]
    assert problem.message == (
        "2020 is closed (bokslut:2020 at "
        f"{books.files[1]}:{problem.line}): importing the voucher L 7 at lon.se:40 would "
        "change a closed year"
    )


def test_what_cannot_be_a_tag_is_refused() -> None:
    bad = HOST._replace(
        vouchers=(
            voucher("1,2", dt.date(2021, 1, 25), "x", ("1930", "1.00", "P,Q"), ("7010", "-1.00")),
        )
    )
    done = plan(bad)
    assert [(p.line, p.message) for p in done.problems] == [
        (10, "the voucher's series and number 'L-1,2' cannot be a tag of the books"),
        (11, "the project (dimension 6) 'P,Q' cannot be a tag of the books"),
    ]


def test_objects_of_other_dimensions_are_said_to_be_left_out() -> None:
    row = Row("1930", ((1, "10"), (6, "P"), (1, "11")), Decimal("1.00"))
    other = Row("7010", ((8, "30083"),), Decimal("-1.00"))
    sie = HOST._replace(
        dims={1: "Kostnadsställe", 8: "Kund"},
        vouchers=(Voucher("A", "1", dt.date(2021, 1, 1), "x", (row, other)),),
    )
    (warning,) = plan(sie).problems
    assert warning.severity == "warning"
    assert warning.message == (
        "objects of dimension 1 (Kostnadsställe), 8 (Kund) on 2 rows are not kept"
    )


# -- opening balances ------------------------------------------------------------------------


def empty_books(tmp_path: Path) -> Journal:
    return small_books(tmp_path, "")


OPENING = HOST._replace(
    years={0: FiscalYear(dt.date(2020, 7, 1), dt.date(2021, 6, 30))},
    opening={
        (0, "1930"): Decimal("500.00"),
        (0, "2061"): Decimal("-500.00"),
        (-1, "1930"): Decimal("1"),
    },
)


def test_into_books_with_no_transactions_the_opening_balances_open_them(tmp_path: Path) -> None:
    done = plan(OPENING, empty_books(tmp_path))
    assert done.opening and not done.opening_left_out
    first, second = done.years
    assert (first.year, first.vouchers, second.year, second.vouchers) == (2020, 0, 2021, 2)
    assert first.text == (
        "; The opening balances of 2020/2021: the #IB of lon.se, imported into books with no "
        "transactions.\n"
        "2020-07-01 * Ingående balans 2020/2021  ; sie:212000-0142\n"
        + posting("tillgångar:bank", "500,00 kr")
        + posting("fonder:södertörnsmodellen", "-500,00 kr")
    )
    left = plan(OPENING)
    assert not left.opening and left.opening_left_out
    assert [y.year for y in left.years] == [2021]


def test_opening_balances_that_do_not_balance_cannot_open_the_books(tmp_path: Path) -> None:
    odd = OPENING._replace(opening={(0, "1930"): Decimal("500.00")})
    done = plan(odd, empty_books(tmp_path))
    assert done.refused
    assert [p.message for p in done.problems] == [
        "the file's opening balances (#IB 0) add up to 500.00, not 0: they cannot open the books"
    ]


def test_a_number_of_the_opening_balances_needs_an_account_too(tmp_path: Path) -> None:
    odd = OPENING._replace(opening={(0, "1930"): Decimal("5"), (0, "2999"): Decimal("-5")})
    done = plan(odd, empty_books(tmp_path))
    assert [p.message for p in done.problems] == ["account 2999 has no account of the books"]
    assert done.problems[0].line == 0


def test_an_account_a_number_books_to_must_be_the_books(tmp_path: Path) -> None:
    settings = SETTINGS._replace(
        sie=SETTINGS.sie._replace(numbers={"7010": "kostnader:drift:personal:lönr"}),
        path=BUNDLED / "sodertorn.toml",
    )
    done = plan(HOST, settings=settings)
    assert done.refused
    (problem,) = [p for p in done.problems if p.severity == "error"]
    assert problem.file == str(BUNDLED / "sodertorn.toml")
    assert problem.message == (
        'sie.numbers.7010: expected an account of the books, got "kostnader:drift:personal:'
        'lönr" (no `account` directive declares it and no posting uses it)'
    )
    assert problem.hint.startswith('did you mean "kostnader:drift:personal:löner"?')
