"""Fuzzing the reader: any text or bytes give a Journal with Problems, never an exception.

The texts are biased towards journal-like lines (dates, indented postings, amounts,
directives, comments) so the fuzzer gets past the first line, plus whatever hypothesis
makes of arbitrary Unicode and bytes.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_strategies import FAULT_KINDS, inject_fault, journals
from sodertorn_ledger.journal import parser
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.journal.parser import parse_books
from sodertorn_ledger.problems import Problem

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

FRAGMENTS = [
    "2020-01-01",
    "2020/02/30",
    "2020.13.01",
    " * ",
    " ! ",
    " (12) ",
    "payee | note",
    "\n    ",
    "\n\t",
    "\n",
    "tillgångar:bank",
    "kostnader:lön",
    "  ",
    "\t",
    "1 824 368,40 kr",
    "-1 450 kr",
    "kr -1450",
    "1824368.40 SEK",
    "1.824.368,40 kr",
    "1,234",
    "1\u00a0000",
    "\u22125",
    "\u0661\u0662",  # digits of another script (Arabic-Indic one, two)
    "0.,",
    ",5",
    " = ",
    " @ ",
    "; ",
    "# ",
    "* ",
    "tag:värde, ",
    "(virtuell)",
    "[virtuell]",
    "account ",
    "commodity ",
    "decimal-mark ,",
    "decimal-mark",
    "include ",
    "include main.journal",
    "include *.journal",
    "include /",
    "comment\n",
    "end comment\n",
    "P 2020-01-01 kr 1 SEK",
    "Y2020",
    "~ monthly",
    "=",
    '"',
    "\r\n",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x00",
    # Whole transactions the one-step reader takes, and near misses it must leave alone.
    "\n2020-01-01 * (V3) Avgift | Huddinge  ; kommun:0126\n    tillgångar:bank  1 824,50 kr"
    "\n    intäkter:avgifter\n",
    "\n2020-02-29 ! Lön\n    kostnader:lön  10200.00 SEK  ; projekt:x\n"
    "    skulder:skatt  -6264.84 SEK\n    tillgångar:bank\n",
    "\n2020-01-01 x\n    a  1,234 kr\n    b  -1,234 kr\n",
    "\n2020-01-01 *(1)t;c\n\ta\t 1\n\tb  -1\n",
    "\n2020-01-01 t\n    a  5 kr  ; date:2020-02-01\n    b\n",
    "\n2020-01-01 t\n    a  5 kr\n    ; under a posting\n    b  -5 kr\n",
]

journal_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40
).map("".join)


def _only_problems(journal: Journal) -> None:
    assert isinstance(journal, Journal)
    for problem in journal.problems:
        assert isinstance(problem, Problem)
        assert problem.message
        assert problem.line >= 0
        assert problem.severity in ("error", "warning")


def _load_text(data: bytes) -> Journal:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.journal"
        path.write_bytes(data)
        return load_journal(path, strict=True)


@FUZZ
@given(text=st.one_of(journal_like, st.text()))
def test_any_text_gives_problems_not_exceptions(text: str) -> None:
    _only_problems(_load_text(text.encode("utf-8")))


@FUZZ
@given(data=st.one_of(st.binary(), journal_like.map(lambda t: t.encode("utf-8", "replace"))))
def test_any_bytes_give_problems_not_exceptions(data: bytes) -> None:
    _only_problems(_load_text(data))


@FUZZ
@given(data=st.binary(min_size=1), cut=st.integers(0, 200))
def test_bytes_spliced_into_a_valid_journal(data: bytes, cut: int) -> None:
    valid = (
        "decimal-mark ,\n"
        "account tillgångar:bank\n"
        "2020-01-01 * (1) Medlemsavgift | Huddinge ; kommun:0126\n"
        "    tillgångar:bank  1 824 368,40 kr = 1 824 368,40 kr\n"
        "    intäkter:avgifter\n"
    ).encode()
    at = cut % (len(valid) + 1)
    _only_problems(_load_text(valid[:at] + data + valid[at:]))


def test_undecodable_bytes_are_a_problem_with_a_line() -> None:
    journal = _load_text("2020-01-01 t\n    a  1 kr\n    b  -1 kr ; caf\xe9\n".encode("latin-1"))
    errors = journal.errors
    assert errors and errors[0].line == 3, errors


@pytest.mark.parametrize(
    "text",
    [
        # An assertion sign with no amount after it (found by fuzzing).
        "2020-01-01 t\n    a  1 kr =\n    b\n",
        # A posting line with only a status mark and a space (found by fuzzing).
        "2020-01-01 t\n * \n",
    ],
)
def test_known_crashers_give_problems(text: str) -> None:
    journal = _load_text(text.encode("utf-8"))
    _only_problems(journal)
    assert journal.errors


def test_huge_year_is_a_problem() -> None:
    # A year too large for datetime (found by fuzzing): must be a problem, not a traceback.
    journal = _load_text(b"99999999999999999999-01-01 t\n    a  1 kr\n    b\n")
    _only_problems(journal)
    assert journal.errors


def _read_both_ways(path: Path) -> tuple[str, str]:
    """The journal read with the one-step reader and line by line, as comparable text."""
    return repr(parse_books(path)), repr(parse_books(path, fast=False))


def _assert_read_alike(text: str) -> None:
    """Books of this text read the same in one step and line by line."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.journal"
        path.write_text(text, encoding="utf-8")
        fast, slow = _read_both_ways(path)
    assert fast == slow


@FUZZ
@given(text=st.one_of(journal_like, st.text()))
def test_one_step_reading_agrees_with_line_by_line_on_any_text(text: str) -> None:
    _assert_read_alike(text)


@FUZZ
@given(data=st.data(), fault=st.sampled_from((None, *FAULT_KINDS)))
def test_one_step_reading_agrees_with_line_by_line_on_books(
    data: st.DataObject, fault: str | None
) -> None:
    generated = data.draw(journals())
    if fault is not None:
        inject_fault(data, generated, fault)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        path = generated.write(Path(tmp))
        fast, slow = _read_both_ways(path)
    assert fast == slow


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
        # Python 3.11.2's possessive quantifiers read this account with a trailing blank.
        _SEEN + "2020-01-02 t\n    fonder:bidrag från tillväxtverket   100 kr\n    b\n",
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
    whole=st.sampled_from(["0", "1", "12", "1234", "1 234", "12 345 678", "00", "1 23", "\u0661"]),
    mark=st.sampled_from([".", ",", "", ".", ",", ".."]),
    fraction=st.sampled_from(["50", "00", "5", "0", "123", "1234"]),
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
    account=_mostly("tillgångar:bank", "a:b c", "a\tb", "a\u00a0b", "(a)", "*a"),
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


_ATOMIC_POSTING_LINE, _ATOMIC_TRANSACTION = parser._one_step_patterns(possessive_groups=False)


def test_the_reader_uses_atomic_groups_where_possessive_ones_fail() -> None:
    # Python 3.11.0 to 3.11.4 (Debian 12 has 3.11.2) match a possessive group wrongly.
    assert (sys.version_info >= (3, 11, 5)) == parser._POSSESSIVE_GROUPS_WORK
    if not parser._POSSESSIVE_GROUPS_WORK:
        assert (parser._POSTING_LINE, parser._TRANSACTION) == (
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
    if not parser._POSSESSIVE_GROUPS_WORK:
        assert parser._TRANSACTION == _ATOMIC_TRANSACTION
        return
    for used, atomic in (
        (parser._TRANSACTION, _ATOMIC_TRANSACTION),
        (parser._POSTING_LINE + "\n", _ATOMIC_POSTING_LINE + "\n"),
    ):
        assert _matches(used, text) == _matches(atomic, text)
