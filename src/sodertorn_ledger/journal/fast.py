"""The journal reader's fast path: common transactions, each taken in one step.

The contract: this module takes only what it is sure of, a common transaction that it
can read exactly as the reference reader (`parser.py`) would, to the last field of every
record; everything else (anything unusual, every error and every warning) it leaves to
the reference reader, which stays the specification. `take_common` stops before the
first transaction it is not sure of, having recorded nothing of it, and the reference
reader reads that one line by line. Taking a transaction changes nothing the reader
knows of the books but their list of transactions, and all the reader has to tell this
module is in `Books`. The tests read books with and without this path and compare
(`tests/test_parser_fuzz.py`, `tests/test_journal_fast.py`).

A common transaction is matched by one regular expression on the file's text, not line
by line (`one_step_patterns`); Python then only builds the records. Big books are
nearly all common transactions, which is why this path exists at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from sodertorn_ledger.journal.model import (
    AMOUNT_DECIMALS,
    AMOUNT_DIGITS,
    ZERO,
    Posting,
    Tags,
    Transaction,
)

_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


class Books(Protocol):
    """What the fast path needs to know of the books read so far (the reference reader).

    `take_common` looks each of these up once per run of common transactions, not once per
    transaction: taking a common transaction changes none of them but the caches of dates
    and tags, which it fills through `date` and `tags`.
    """

    @property
    def transactions(self) -> list[Transaction]:
        """Where a transaction taken is recorded, in reading order."""

    @property
    def commodity(self) -> str | None:
        """The books' currency as written; None before the first amount."""

    @property
    def decided_mark(self) -> str | None:
        """The decimal mark the books declare for their currency, if any."""

    @property
    def dates(self) -> Mapping[str, dt.date]:
        """Dates already read, by their text."""

    def date(self, token: str) -> dt.date | None:
        """The date a token names (None: not a date the books may use)."""

    @property
    def known_tags(self) -> Mapping[str, Tags]:
        """Tags already read, by the comment text they were read from."""

    def tags(self, comment: str) -> Tags:
        """The tags of a comment, one dict per comment text: records may share it."""


def one_step_patterns(possessive_groups: bool) -> tuple[str, str]:
    """The patterns of a common posting line and of a common transaction.

    A posting line: indent, account (single inner spaces), two or more blanks, a plain
    amount (digits in space groups, one decimal part of at most `AMOUNT_DECIMALS` digits,
    a letter-only currency), a balance
    assertion, a comment. A transaction, matched on the text (not line by line): an ISO
    date, an optional status and code, a description, a comment, then two or more common
    posting lines (the first two in groups of their own, the rest as one block), not
    followed by another indented line; and the blank and comment lines up to the next
    entry. Anything else (a tab inside a name, a word of an account that could begin or
    end an amount, '.' digit groups, a comment line under a posting, errors …) does not
    match, and is left to the reference reader.

    Possessive quantifiers (`x*+`: what they matched is never given back) keep the regex
    engine from backtracking: when they match, the match is the one plain greedy
    quantifiers would have found first. With `possessive_groups` False, a repeated group
    is an atomic group instead, `(?>(…)*)`: the same repeat, somewhat slower, for the
    Pythons that match a possessive group wrongly (see `POSSESSIVE_GROUPS_WORK`).
    """

    def never_back(group: str, quantifier: str) -> str:
        return f"{group}{quantifier}+" if possessive_groups else f"(?>{group}{quantifier})"

    # A number, its mark, its currency. Digits are ASCII: `\d` would take other scripts'
    # digits, which Decimal reads but the books' number format (and hledger) does not.
    number = (
        r"(-?[0-9]++"
        + never_back(r"(?: [0-9]++)", "*")  # digit groups
        + never_back(rf"(?:([.,])[0-9]{{1,{AMOUNT_DECIMALS}}}+)", "?")  # the decimal part
        + ")"
        + never_back(r"(?: ?([^\W\d]++))", "?")  # the currency
    )
    # An account's inner words neither start with a digit, sign or mark nor end in a digit
    # or mark, but for a last one of digits only (`fonder:drift från 2019`): then no single
    # space in it can stand before an amount (`a 469,00 kr`, `a 469 kr`, `a kr-5`), which
    # the reference reader refuses.
    account = (
        r"([^\s*!(\[;#]\S*+"
        + never_back(r"(?: [^\s0-9.,+-]\S*+(?<![0-9.,]))", "*")
        + never_back(r"(?: [0-9]++)", "?")
        + ")"
    )
    assertion = never_back(r"(?:[ \t]*+=[ \t]*+" + number + ")", "?")
    posting_line = (
        r"[ \t]++"
        + account
        + never_back(r"(?:[ \t]{2,}+" + number + assertion + ")", "?")
        + r"[ \t]*+(?:;(.*))?"  # a comment
    )
    transaction = (
        r"([0-9]{4}-[0-9][0-9]-[0-9][0-9])(?=[ \t;\n])"
        + never_back(r"(?:[ \t]++([*!]))", "?")  # a status
        + r"[ \t]*+"
        + never_back(r"(?:\(([^);\n]*+)\)[ \t]*+)", "?")  # a code
        + r"([^\s;(*!](?:[^;\n]*[^\s;])?)?[ \t]*+"  # the description
        + r"(?:;([^\n]*+))?\n"  # a comment
        + posting_line
        + r"\n"
        + posting_line
        + r"\n("
        + never_back("(?:" + posting_line + r"\n)", "*")
        + r")(?![ \t])("
        + never_back(r"(?:[;#*][^\n]*+\n|\n)", "*")  # blank and comment lines
        + ")"
    )
    return posting_line, transaction


POSSESSIVE_GROUPS_WORK = re.fullmatch(r"(?:ab?c)*+", "a") is None
"""False on Python before 3.11.5 (Debian 12 has 3.11.2), which matches a possessive repeat
of a group wrongly (CPython gh-106052; an account was read with a trailing blank)."""
POSTING_LINE, TRANSACTION = one_step_patterns(POSSESSIVE_GROUPS_WORK)
_POSTING_LINES = re.compile(POSTING_LINE + r"\n").findall
_COMMON_TRANSACTION = re.compile(TRANSACTION).match


def _plain_number(number: str, mark: str | None, decided: str | None) -> str | None:
    """A number the one-step pattern matched, as Decimal's text; None: not sure, the
    reference reader decides.

    `decided` is the decimal mark the books declare for their currency, if any: a number
    with another mark is left to the reference reader (1.234 is 1234 there, 469.00 and
    1 234.50 are errors). With no say, a mark after digit groups is the decimal mark, and
    a lone one too unless three digits follow it (1,234 is ambiguous: hledger reads a
    decimal mark, and the reference reader warns).
    """
    if " " in number:
        if mark and decided is not None and mark != decided:
            return None
        number = number.replace(" ", "")
    elif mark and mark != decided and (decided is not None or number[-4:-3] == mark):
        return None
    return number.replace(",", ".") if mark == "," else number


def take_common(text: str, at: int, lineno: int, file: str, books: Books) -> tuple[int, int]:
    """Take the common transactions that follow one another in `text` from `at` (line
    `lineno` of `file`) and record them in `books`; return where they end (`at`, line).

    It stops at the first one it is not sure of, recording nothing of it, and returns
    where that one starts: `at` itself when there was none to take.
    """
    match = _COMMON_TRANSACTION
    dates = books.dates
    date_of = books.date
    commodity = books.commodity
    decided = books.decided_mark
    known_tags = books.known_tags
    tags_of = books.tags
    record = books.transactions.append
    while (found := match(text, at)) is not None:
        groups = found.groups()  # the header's five, two postings' eight each, the rest
        token, status, code, description, comment = groups[:5]
        date = dates.get(token) or date_of(token)
        if date is None:
            break
        postings: list[Posting] = []
        elided = -1
        total = ZERO
        line = lineno
        for account, number, mark, currency, asserted, asserted_mark, in_, note in (
            (groups[5:13], groups[13:21], *_POSTING_LINES(groups[21]))
            if groups[21]
            else (groups[5:13], groups[13:21])
        ):
            line += 1
            if note:
                if "date" in note or "[" in note:
                    break  # perhaps a posting date (date: tag, [DATE]), which is refused
                tags = known_tags.get(note)
                if tags is None:
                    tags = tags_of(note)
                note = note.strip()
            else:
                tags = {}
                note = ""
            if not number:  # None from a group of the match, '' from findall
                if elided >= 0:
                    break
                elided = len(postings)
                postings.append(_new(Posting, (account, ZERO, True, None, tags, note, line)))
                continue
            if (currency or "") != commodity or (
                amount := _plain_number(number, mark, decided)
            ) is None:
                break  # another currency, the books' first amount, an ambiguous mark
            value = Decimal(amount)
            if len(amount) > AMOUNT_DIGITS and value.adjusted() >= AMOUNT_DIGITS:
                break  # too long for the books: the reference reader says so
            if not value:
                value = value.copy_abs()  # -0.00 is 0.00, as the reference reader reads it
            total += value
            assertion = None
            if asserted:
                if (in_ or "") != commodity or (
                    amount := _plain_number(asserted, asserted_mark, decided)
                ) is None:
                    break
                assertion = Decimal(amount)
                if len(amount) > AMOUNT_DIGITS and assertion.adjusted() >= AMOUNT_DIGITS:
                    break
                if not assertion:
                    assertion = assertion.copy_abs()
            postings.append(_new(Posting, (account, value, False, assertion, tags, note, line)))
        else:  # every posting taken
            if elided >= 0:
                p = postings[elided]
                postings[elided] = _new(Posting, (p.account, -total, True, *p[3:]))
            elif total:
                break  # does not balance
            if comment and (comment := comment.strip()):
                tags = known_tags.get(comment)
                if tags is None:
                    tags = tags_of(comment)
            else:
                comment, tags = "", {}
            record(
                _new(
                    Transaction,
                    (
                        date,
                        status or "",
                        code or "",
                        description or "",
                        tags,
                        comment,
                        tuple(postings),
                        file,
                        lineno,
                    ),
                )
            )
            at = found.end()
            # The date line, a line per posting, then the blank and comment lines after:
            # mostly one blank line, so a trailer of one character is counted by its length.
            trailer = groups[-1]
            lineno = line + 1 + (trailer.count("\n") if len(trailer) > 1 else len(trailer))
            continue
        break  # a posting it is not sure of
    return at, lineno


__all__ = ["Books", "take_common"]
