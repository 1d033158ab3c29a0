"""The reader's fast path (`journal/fast.py`): it reads what it takes exactly as the
reference reader does, leaves alone what it is not sure of, and takes the common
transactions of big books.

Its agreement with the reference reader on any text and on generated books is tested in
test_parser_fuzz.py; here are its own edge cases, the transaction shapes it is built for,
and its two forms of pattern (possessive and atomic groups).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

import pytest

# The bench/ package sits beside src/, not inside it.
from bench.generate import STYLES, Style, write_books
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_strategies import journal_like
from sodertorn_ledger.journal import fast, parser
from sodertorn_ledger.journal.model import Tags, Transaction
from sodertorn_ledger.journal.parser import parse_books, parse_tags

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _assert_read_alike(text: str) -> None:
    """Books of this text read the same with the fast path and without it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.journal"
        path.write_text(text, encoding="utf-8")
        assert repr(parse_books(path)) == repr(parse_books(path, fast=False))


# --- agreement with the reference reader ------------------------------------------------------

_SEEN = "2020-01-01 a\n    a  1 kr\n    b\n\n"  # the books' currency is known from here on


@pytest.mark.parametrize(
    "text",
    [
        _SEEN + "2020-01-02 t\n    a  1,234 kr\n    b  -1,234 kr\n",  # ambiguous: a warning
        _SEEN + "2020-01-02 t\n    a  1.234 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1,23 kr\n    b  -1.23 kr\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  1.50 kr\n    b\n",
        "commodity 1 000,00 kr\n" + _SEEN + "2020-01-02 t\n    a  1.50 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 SEK\n    b  -1 SEK\n",  # another currency
        _SEEN + "2020-01-02 t\n    a  1\n    b  -1\n",  # no currency
        _SEEN + "2020-01-02 t\n    a  1 kr\n    b  -2 kr\n",  # does not balance
        _SEEN + "2020-01-02 t\n    a\n    b\n",  # two without an amount
        _SEEN + "2020-02-30 t\n    a  1 kr\n    b\n",  # no such day
        _SEEN + "2020-01-02 t\n    a  1 kr  ; [2020-03-01]\n    b\n",  # a posting date
        _SEEN + "2020-01-02 * (7) t | n  ; x:1, y: 2\n    a  1 kr  ;z:3\n    b\n    c  0 kr\n",
        _SEEN + "2020-01-02 t\n    a  1 kr\n    b\n \n",  # a whitespace-only line after
        _SEEN + "2020-01-02 t\n    a  1 kr\n    b\n  ; a comment line below\n",
        _SEEN + "2020-01-02 t\n    a  1 kr\n    b\n; top-level comment\n* org heading\n",
        _SEEN + "2020-01-02 t\n    a  1 kr = 2 kr\n    b\n",  # a balance assertion
        _SEEN + "2020-01-02 t\n    a  1 kr=1 kr  ; x:y\n    b  -1 kr = -1 kr\n",
        _SEEN + "2020-01-02 t\n    a  1 kr == 2 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 kr =* 2 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 kr = 0\n    b\n",  # a bare zero
        _SEEN + "2020-01-02 t\n    a  1 kr = 2 SEK\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 kr = 2,345 kr\n    b\n",  # ambiguous
        _SEEN + "2020-01-02 t\n    a  = 2 kr\n    b\n",  # a balance assignment
        _SEEN + "2020-01-02 t\n    a  \u0661\u0662 kr\n    b\n",  # digits of another script
        _SEEN + "2020-01-02 t\n    a  -0.00 kr = -0 kr\n    b  -0 kr\n",  # negative zeros
        _SEEN + "2020-01-02 t\n    a  1 kr = \u0661 kr\n    b\n",
        _SEEN + "\u0662\u0660\u0662\u0660-01-02 t\n    a  1 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 kr  ; date2:2020-03-01\n    b\n",  # a posting date
        _SEEN + "2020-01-02 t\n    a  1 kr  ; [x] updated:yes\n    b\n",  # not a posting date
        _SEEN + "2020-01-02 t  ; date:2020-03-01\n    a  1 kr\n    b\n",  # the transaction's
        # Python 3.11.2's possessive quantifiers read this account with a trailing blank.
        _SEEN + "2020-01-02 t\n    fonder:bidrag från tillväxtverket   100 kr\n    b\n",
        # The limits of an amount: 15 digits before the decimal mark, 4 after it.
        _SEEN + "2020-01-02 t\n    a  999 999 999 999 999,9999 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  -999999999999999.9999 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 000 000 000 000 000 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1000000000000000 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  -1234567890123456789012345678901234567890 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  0000000000000000000001 kr\n    b\n",  # leading zeros
        _SEEN + "2020-01-02 t\n    a  1,23456 kr\n    b  -1,23456 kr\n",
        _SEEN + "2020-01-02 t\n    a  1.50000 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  -0.00000 kr\n    b  0 kr\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  1.23456 kr\n    b\n",  # a group mark
        _SEEN + "2020-01-02 t\n    a  1 kr = 10000000000000000 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a  1 kr = 1,00000 kr\n    b\n",
        # The books' number style (the reference reader refuses what hledger reads).
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  469.00 kr\n    b\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  1 234.50 kr\n    b\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  -1 234.5 kr\n    b\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  1.234 kr\n    b\n",  # 1234
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  0.123 kr\n    b\n",
        "decimal-mark ,\n" + _SEEN + "2020-01-02 t\n    a  1 kr = 1 234.50 kr\n    b\n",
        "commodity 1 000,00 kr\n" + _SEEN + "2020-01-02 t\n    a  1 234.50 kr\n    b\n",
        "commodity 1.000,00 kr\n" + _SEEN + "2020-01-02 t\n    a  1.5 kr\n    b\n",
        "decimal-mark .\n" + _SEEN + "2020-01-02 t\n    a  1 234,50 kr\n    b\n",
        "decimal-mark .\n" + _SEEN + "2020-01-02 t\n    a  469,00 kr\n    b\n",
        "decimal-mark .\n" + _SEEN + "2020-01-02 t\n    a  1,234 kr\n    b\n",  # 1234
        # An amount after one blank, in the account name: refused.
        _SEEN + "2020-01-02 t\n    a 469,00 kr\n    b  -469,00 kr\n",
        _SEEN + "2020-01-02 t\n    a 469 kr\n    b  -469 kr\n",
        _SEEN + "2020-01-02 t\n    a kr-5\n    b  5 kr\n",
        _SEEN + "2020-01-02 t\n    a kr 5,5\n    b  -5,5 kr\n",
        _SEEN + "2020-01-02 t\n    a b -5\n    b  5 kr\n",
        _SEEN + "2020-01-02 t\n    a\t469,00 kr\n    b  -469,00 kr\n",
        _SEEN + "2020-01-02 t\n    a 469,00 kr  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    fonder:drift från 2019 5,00 kr\n    b  -5 kr\n",
        # … and numbers in a name that are no amount: read.
        _SEEN + "2020-01-02 t\n    fonder:drift från 2019  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a 2019 kvar  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a kr 2019  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a 5 SEK  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a x5  5 kr\n    b\n",
        _SEEN + "2020-01-02 t\n    a5 b  5 kr\n    b\n",
        # Sums that Python's default context would round, were the amounts not limited.
        _SEEN + "2020-01-02 t\n    a  10000000000000000000000000000.01 kr\n"
        "    b  -10000000000000000000000000000 kr\n",
    ],
)
def test_one_step_reading_agrees_with_line_by_line_on_edge_cases(text: str) -> None:
    _assert_read_alike(text)


def _mostly(usual: str, *odd: str) -> st.SearchStrategy[str]:
    """`usual` nine times in ten or more, else one of the odd ones."""
    return st.sampled_from([usual] * 9 * len(odd) + list(odd))


_amount_texts = st.builds(
    lambda sign, whole, mark, fraction, gap, currency: (
        f"{sign}{whole}{mark + fraction if mark else ''}{gap if currency else ''}{currency}"
    ),
    sign=st.sampled_from(["", "-", "", "-", "+", "\u2212"]),
    whole=st.sampled_from(
        [
            *("0", "1", "12", "1234", "1 234", "12 345 678", "00", "1 23", "\u0661"),
            *("999999999999999", "1000000000000000", "999 999 999 999 999 9", "0" * 20 + "1"),
        ]
    ),
    mark=st.sampled_from([".", ",", "", ".", ",", ".."]),
    fraction=st.sampled_from(["50", "00", "5", "0", "123", "1234", "12345", "00000"]),
    gap=_mostly(" ", "", "  "),
    currency=_mostly("kr", "SEK", "", "€", "kr_", '"kr"'),
)
_comments = st.sampled_from(
    [""] * 24
    + ["  ; kommun:0127", "  ;x:1, y: 2", "  ; date:2020-02-01", " ;[2020-03-01]", "  ;\u00a0"]
    + ["  ; a:b, c", " ;\t:", "  ;,a,"]
)
_posting_lines = st.builds(
    lambda indent, account, amount, assertion, comment, shown: (
        f"{indent}{account}{'  ' + amount if shown[0] else ''}"
        f"{' = ' + assertion if shown[0] and shown[1] else ''}{comment}"
    ),
    indent=_mostly("    ", "\t", "  ", " \t"),
    account=_mostly(
        "tillgångar:bank",
        *("a:b c", "a\tb", "a\u00a0b", "(a)", "*a"),
        # A number in the name: an amount after one blank (refused), or not.
        *("a 1,5 kr", "a 15 kr", "a kr-1", "a\t2,5", "f 2019", "f 2019 b", "a 1.5", "a 9 SEK"),
    ),
    amount=_amount_texts,
    assertion=_amount_texts,
    comment=_comments,
    # (amount, assertion): mostly an amount without an assertion.
    shown=st.sampled_from([(True, False)] * 12 + [(True, True)] * 3 + [(False, False)]),
)
_headers = st.builds(
    lambda date, status, code, description, comment: f"{date}{status}{code}{description}{comment}",
    date=_mostly("2020-01-02", "2020-02-30", "2020/01/02", "\u0662020-01-02"),
    status=_mostly(" *", "", "", " !", " *  ", "*"),
    code=_mostly("", " (V1)", " (V1)", " (", " ()"),
    description=_mostly(" Faktura", " Lön | januari", "", " |a!b*|", " (x", "\u00a0y", "  z\t"),
    comment=_comments,
)
_transactions = st.builds(
    lambda header, postings, last, after: "\n".join([header, *postings, *last]) + after,
    header=_headers,
    postings=st.lists(_posting_lines, min_size=1, max_size=3),
    # Mostly a last posting without an amount, so that most transactions balance.
    last=st.sampled_from([["    b"]] * 8 + [["\tc:d  ; e:f"], []]),
    after=st.sampled_from(["\n", "\n", "\n\n", "\n \n", "\n    ; below\n", "\n; top\n", ""]),
)


@FUZZ
@given(
    head=st.sampled_from(["", "decimal-mark ,\n", "commodity 1 000,00 kr\n", "commodity SEK\n"]),
    transactions=st.lists(_transactions, min_size=1, max_size=5),
)
def test_one_step_reading_agrees_with_line_by_line_on_transaction_shapes(
    head: str, transactions: list[str]
) -> None:
    _assert_read_alike(head + _SEEN + "\n".join(transactions))


# --- the contract, on `take_common` itself ----------------------------------------------------


class _Books:
    """What `take_common` needs to know of the books, as a test sets it."""

    def __init__(self, commodity: str | None = "kr", decided_mark: str | None = None) -> None:
        self.transactions: list[Transaction] = []
        self.commodity = commodity
        self.decided_mark = decided_mark
        self.dates: dict[str, dt.date] = {}
        self.known_tags: dict[str, Tags] = {}

    def date(self, token: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(token)
        except ValueError:
            return None

    def tags(self, comment: str) -> Tags:
        return self.known_tags.setdefault(comment, parse_tags(comment))


def test_it_takes_common_transactions_as_the_reference_reader_reads_them(tmp_path: Path) -> None:
    text = (
        "2020-01-02 * (V1) Faktura | januari  ; kommun:0127\n"
        "    kostnader:drift  1 450,50 kr = 1 450,50 kr  ; projekt:Great\n"
        "    tillgångar:bank\n"
        "\n"
        "; a comment between transactions\n"
        "2020-01-03 Lön\n"
        "    kostnader:lön  -0 kr\n"
        "    skulder:skatt  100 kr\n"
        "    tillgångar:bank  -100 kr\n"
        "\n"
        "account tillgångar:bank\n"
    )
    path = tmp_path / "main.journal"
    path.write_text("commodity 1 000,00 kr\n" + text, encoding="utf-8")
    books = _Books(decided_mark=",")

    at, lineno = fast.take_common(text, 0, 2, str(path), books)

    assert text[at:] == "account tillgångar:bank\n"
    assert lineno == 12
    assert books.transactions == parse_books(path, fast=False).transactions


@pytest.mark.parametrize(
    ("text", "decided_mark"),
    [
        ("2020-01-02 t\n    a  1,234 kr\n    b\n", None),  # ambiguous: a warning
        ("2020-01-02 t\n    a  1.50 kr\n    b\n", ","),  # not the books' decimal mark
        ("2020-01-02 t\n    a  1.234,50 kr\n    b\n", None),  # '.' digit groups
        ("2020-01-02 t\n    a  1 SEK\n    b\n", None),  # another currency
        ("2020-01-02 t\n    a  1\n    b\n", None),  # no currency
        ("2020-01-02 t\n    a  \u0661 kr\n    b\n", None),  # digits of another script
        ("2020-01-02 t\n    a  1 kr @ 2 kr\n    b\n", None),  # a price
        ("2020-01-02 t\n    a  1 kr =* 1 kr\n    b\n", None),  # an inclusive assertion
        ("2020-01-02 t\n    a  1 kr = 1 SEK\n    b\n", None),
        ("2020-01-02 t\n    a  1 kr\n    b  -2 kr\n", None),  # does not balance
        ("2020-01-02 t\n    a\n    b\n", None),  # two without an amount
        ("2020-01-02 t\n    a  1 kr\n", None),  # one posting
        ("2020-01-02 t\n", None),  # no posting
        ("2020-02-30 t\n    a  1 kr\n    b\n", None),  # no such day
        ("2020/01/02 t\n    a  1 kr\n    b\n", None),  # not an ISO date
        ("2020-01-02=2020-01-03 t\n    a  1 kr\n    b\n", None),  # a secondary date
        ("2020-01-02 (V1 t\n    a  1 kr\n    b\n", None),  # a code without ')'
        ("2020-01-02 t\n    a  1 kr  ; date:2020-03-01\n    b\n", None),  # a posting date
        ("2020-01-02 t\n    a  1 kr  ; [2020-03-01]\n    b\n", None),
        ("2020-01-02 t\n    a  1 kr  ; updated:yes\n    b\n", None),  # perhaps one
        ("2020-01-02 t\n    a\tb  1 kr\n    c\n", None),  # a tab in an account name
        ("2020-01-02 t\n    (a)  1 kr\n    b\n", None),  # a virtual posting
        ("2020-01-02 t\n    * a  1 kr\n    b\n", None),  # a posting's status
        ("2020-01-02 t\n    a  1 kr\n    ; below a posting\n    b\n", None),
        ("2020-01-02 t\n    a  1 kr\n    b\n \n", None),  # a whitespace-only line after
        ("2020-01-02 t\n    a  1 kr\n    b\n  ; a comment line below\n", None),
        ("2020-01-02 t\n    a  1000000000000000 kr\n    b\n", None),  # too long
        ("2020-01-02 t\n    a  -1 000 000 000 000 000,5 kr\n    b\n", None),
        ("2020-01-02 t\n    a  1,23456 kr\n    b\n", ","),  # too many decimals
        # Not in the books' style: the reference reader refuses them.
        ("2020-01-02 t\n    a  1 234.50 kr\n    b\n", ","),
        ("2020-01-02 t\n    a  1 234,50 kr\n    b\n", "."),
        ("2020-01-02 t\n    a  1 kr = 1 234.50 kr\n    b\n", ","),
        ("2020-01-02 t\n    a  1.234 kr\n    b\n", ","),  # 1234: read there
        # A single blank before an amount, or what may be one.
        ("2020-01-02 t\n    a 469,00 kr\n    b  -469,00 kr\n", None),
        ("2020-01-02 t\n    a 469 kr\n    b  -469 kr\n", None),
        ("2020-01-02 t\n    a kr-5\n    b  5 kr\n", None),
        ("2020-01-02 t\n    a -5\n    b  5 kr\n", None),
        ("2020-01-02 t\n    a .5\n    b  5 kr\n", None),
        ("2020-01-02 t\n    a 2019 x  5 kr\n    b\n", None),
        ("2020-01-02 t\n    a  1 kr = 1000000000000000 kr\n    b\n", None),
        ("2020-01-02 t\n    a  1 kr = 0.00000 kr\n    b\n", None),
    ],
)
def test_it_leaves_what_it_is_not_sure_of(text: str, decided_mark: str | None) -> None:
    books = _Books(decided_mark=decided_mark)
    assert fast.take_common(text, 0, 1, "main.journal", books) == (0, 1)
    assert books.transactions == []


def test_it_takes_an_account_that_ends_in_a_year() -> None:
    # Fund accounts do (`fonder:drift från 2019`): no amount can follow one blank there.
    text = "2020-01-02 t\n    fonder:drift från 2019  1 kr\n    a 2019  -1 kr\n"
    books = _Books()
    assert fast.take_common(text, 0, 1, "main.journal", books) == (len(text), 4)
    (txn,) = books.transactions
    assert [p.account for p in txn.postings] == ["fonder:drift från 2019", "a 2019"]


def test_it_leaves_the_books_first_amount() -> None:
    # The first amount sets the books' currency: the reference reader's to record.
    books = _Books(commodity=None)
    text = "2020-01-02 t\n    a  1 kr\n    b\n"
    assert fast.take_common(text, 0, 1, "main.journal", books) == (0, 1)


def test_records_with_the_same_comment_share_its_tags() -> None:
    text = "2020-01-02 t  ; k:1\n    a  1 kr  ; k:1\n    b\n\n" * 2
    books = _Books()
    fast.take_common(text, 0, 1, "main.journal", books)
    first, second = books.transactions
    assert first.tags == {"k": "1"}
    assert first.tags is second.tags
    assert first.postings[0].tags is second.postings[0].tags


@pytest.mark.parametrize(
    ("number", "mark", "decided", "read"),
    [
        ("1450", None, None, "1450"),
        ("-1 450", None, None, "-1450"),
        ("1 450,50", ",", None, "1450.50"),
        ("1 450.50", ".", None, "1450.50"),  # after digit groups, a mark is the decimal mark
        ("1 450.50", ".", ",", None),  # the books say ',': an error
        ("1 450,50", ",", ".", None),
        ("1,50", ",", None, "1.50"),
        ("1,50", ",", ",", "1.50"),
        ("1.50", ".", ",", None),  # the books say ','
        ("1,234", ",", None, None),  # ambiguous: the reference reader warns
        ("1,234", ",", ",", "1.234"),
        ("1.234", ".", None, None),
        ("12.3456", ".", None, "12.3456"),
    ],
)
def test_plain_numbers(
    number: str, mark: str | None, decided: str | None, read: str | None
) -> None:
    assert fast._plain_number(number, mark, decided) == read


@pytest.fixture
def reference_transactions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lines of the transactions the reference reader reads itself."""
    lines: list[int] = []
    transaction = parser._Reader.transaction

    def counted(
        reader: parser._Reader, lines_: list[str], header: str, lineno: int, file: str
    ) -> int:
        lines.append(lineno)
        return transaction(reader, lines_, header, lineno, file)

    monkeypatch.setattr(parser._Reader, "transaction", counted)
    return lines


@pytest.mark.parametrize("style", STYLES)
def test_it_takes_every_transaction_of_the_benchmark_books(
    tmp_path: Path, style: Style, reference_transactions: list[int]
) -> None:
    # The fast path is what makes big books quick: the benchmark's books are all common.
    books = write_books(tmp_path / "books", 2000, style, seed=3)
    journal = parse_books(books.main)
    assert len(journal.transactions) == 2000
    assert reference_transactions == []


# --- the patterns -----------------------------------------------------------------------------

_ATOMIC_POSTING_LINE, _ATOMIC_TRANSACTION = fast.one_step_patterns(possessive_groups=False)


def test_the_reader_uses_atomic_groups_where_possessive_ones_fail() -> None:
    # Python 3.11.0 to 3.11.4 (Debian 12 has 3.11.2) match a possessive group wrongly.
    assert (sys.version_info >= (3, 11, 5)) == fast.POSSESSIVE_GROUPS_WORK
    if not fast.POSSESSIVE_GROUPS_WORK:
        assert (fast.POSTING_LINE, fast.TRANSACTION) == (
            _ATOMIC_POSTING_LINE,
            _ATOMIC_TRANSACTION,
        )


def _matches(pattern: str, text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    """What `pattern` matches at each line start of `text`."""
    compiled = re.compile(pattern)
    return [
        (m.span(), m.groups())
        for start in (0, *(i + 1 for i, c in enumerate(text) if c == "\n"))
        if (m := compiled.match(text, start))
    ]


@FUZZ
@given(
    text=st.one_of(
        journal_like,
        st.lists(_transactions, min_size=1, max_size=5).map("\n".join),
        st.lists(_posting_lines, min_size=1, max_size=5).map("\n".join),
    )
)
def test_atomic_groups_match_as_possessive_ones(text: str) -> None:
    # Where possessive groups work (the reader uses them there), the atomic groups the
    # older Pythons get must match the same; there they are checked by the tests above.
    if not fast.POSSESSIVE_GROUPS_WORK:
        assert fast.TRANSACTION == _ATOMIC_TRANSACTION
        return
    for used, atomic in (
        (fast.TRANSACTION, _ATOMIC_TRANSACTION),
        (fast.POSTING_LINE + "\n", _ATOMIC_POSTING_LINE + "\n"),
    ):
        assert _matches(used, text) == _matches(atomic, text)
