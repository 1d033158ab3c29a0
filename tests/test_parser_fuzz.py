"""Fuzzing the reader: any text or bytes give a Journal with Problems, never an exception;
and the reader reads any text and any generated books the same with its fast path
(`journal/fast.py`) as without.

The texts are biased towards journal-like lines (dates, indented postings, amounts,
directives, comments) so the fuzzer gets past the first line, plus whatever hypothesis
makes of arbitrary Unicode and bytes. The fast path's own cases are in test_journal_fast.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_strategies import FAULT_KINDS, inject_fault, journal_like, journals
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
        # A posting line without a gap that ends in a blank (found by fuzzing).
        "2020-01-01 t\n    a  1 kr\n * 2020-01-01 * \n",
        "2020-01-01 t\n    a  1 kr\n    b 1 kr \t\n",
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
    """The journal read with the fast path and without it, as comparable text."""
    return repr(parse_books(path)), repr(parse_books(path, fast=False))


def _assert_read_alike(text: str) -> None:
    """Books of this text read the same with the fast path and without it."""
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
