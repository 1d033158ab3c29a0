"""The reader's files (journal/parser.py): line ends, includes and what it agrees to read.

Every line end hledger reads (CRLF, LF, a bare CR) ends a line here too, with the same
line numbers; includes are followed without recursion, to any depth up to `MAX_FILES`;
only regular files are read, within `MAX_FILE_BYTES` each and `MAX_BOOK_BYTES` in all;
a file that is not text is refused by name, its bytes never quoted.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sodertorn_ledger.journal import parser
from sodertorn_ledger.journal.loader import load_journal
from sodertorn_ledger.journal.model import Journal
from sodertorn_ledger.journal.parser import parse_books
from sodertorn_ledger.problems import format_problem

BOOKS = (
    "; the books\n"
    "2020-01-01 a\n"
    "    x  5 kr\n"
    "    y\n"
    "\n"
    "2020-01-02 b\n"
    "    x  6 kr\n"
    "    y\n"
    "\n"
    "2020-01-03 bad\n"
    "    x  5 kr\n"
    "    y  3 kr\n"
)
"""Three transactions, the last unbalanced (an error at line 10)."""
TXN_LINE = "2020-01-01 t\n    a  1 kr\n    b\n"


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def read(path: Path) -> Journal:
    journal = load_journal(path)
    assert repr(journal) == repr(_slow(path)), "the fast path reads it otherwise"
    return journal


def _slow(path: Path) -> Journal:
    journal = parse_books(path, fast=False)
    from sodertorn_ledger.journal.checks import check_assertions

    journal.problems.extend(check_assertions(journal))
    return journal


def errors(journal: Journal) -> list[tuple[str, int, str]]:
    return [(Path(p.file).name, p.line, p.message) for p in journal.errors]


# --- line ends --------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_end_is_read_alike(tmp_path: Path, end: str) -> None:
    journal = read(write(tmp_path / "main.journal", BOOKS.replace("\n", end)))
    assert [(t.description, t.line) for t in journal.transactions] == [("a", 2), ("b", 6)]
    assert [[p.line for p in t.postings] for t in journal.transactions] == [[3, 4], [7, 8]]
    assert errors(journal) == [
        ("main.journal", 10, "transaction does not balance: the amounts add up to 8 kr")
    ]


def test_mixed_line_ends_in_one_file_count_as_hledger_counts_them(tmp_path: Path) -> None:
    # hledger 1.25 reports the unbalanced transaction of this text at "lines 9-11".
    text = (
        "; c\r2020-01-01 a\n    x  5 kr\n    y\r\n2020-01-02 b\r    x  5 kr\r    y\r\r"
        "2020-01-03 bad\r    x  5 kr\r    y  3 kr\r"
    )
    journal = read(write(tmp_path / "main.journal", text))
    assert [(t.description, t.line) for t in journal.transactions] == [("a", 2), ("b", 5)]
    assert [p.line for p in journal.transactions[1].postings] == [6, 7]
    assert errors(journal) == [
        ("main.journal", 9, "transaction does not balance: the amounts add up to 8 kr")
    ]
    shown = format_problem(journal.errors[0])
    assert "9 | 2020-01-03 bad" in shown
    assert "\\x0d" not in shown


def test_a_whole_file_in_bare_cr_is_read_not_dropped(tmp_path: Path) -> None:
    # Before: the first line (a comment) ran to the end of the file: "OK, 0 transactions".
    text = "; exported\naccount x\n\n" + "2020-01-01 t\n    x  5 kr\n    y\n\n" * 105
    journal = read(write(tmp_path / "main.journal", text.replace("\n", "\r")))
    assert journal.problems == []
    assert len(journal.transactions) == 105
    assert journal.transactions[-1].line == 4 + 4 * 104


def test_a_bare_cr_ends_a_line_in_included_files_too(tmp_path: Path) -> None:
    write(tmp_path / "in.journal", "2020-01-02 b\r    x  6 kr\r    y  -7 kr\r")
    journal = read(
        write(
            tmp_path / "main.journal",
            "include in.journal\r2020-01-01 a\r    x  1 kr\r    y  1 kr\r",
        )
    )
    assert errors(journal) == [
        ("in.journal", 1, "transaction does not balance: the amounts add up to -1 kr"),
        ("main.journal", 2, "transaction does not balance: the amounts add up to 2 kr"),
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_not_utf8_names_the_line_and_column_with_any_line_end(tmp_path: Path, end: str) -> None:
    text = "; ok\n2020-01-01 Tyresö\n    a  1 kr\n    b\n".replace("\n", end)
    path = tmp_path / "latin1.journal"
    path.write_bytes(text.encode("latin-1"))
    (problem,) = read(path).problems
    assert (problem.line, problem.column) == (2, 17)
    assert problem.message == "the file is not UTF-8 (byte 0xf6)"
    shown = format_problem(problem)
    assert "2 | 2020-01-01 Tyres\\xf6\n" in shown
    assert "\n  | " + " " * 16 + "^\nhint: save the file as UTF-8" in shown


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "m.journal"
    path.write_bytes("2020-01-01 Åsa ".encode() + b"\xf6\n")
    (problem,) = read(path).problems
    assert (problem.line, problem.column) == (1, 16)


# --- files that are not journal text ----------------------------------------------------------


def test_a_nul_byte_means_not_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "main.journal"
    path.write_bytes(b"; ok\r\n2020-01-01 t\x00\n")
    (problem,) = read(path).problems
    assert problem.message == (f"cannot read {path}: it is not a text file (a NUL byte on line 2)")
    assert (problem.line, problem.text) == (0, None)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4", "a zip archive"),
        (b"PK\x05\x06" + bytes(18), "a zip archive"),
        ("\ufeff2020-01-01 t\n".encode("utf-16-le"), "UTF-16"),
        ("\ufeff2020-01-01 t\n".encode("utf-16-be"), "UTF-16"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "a NUL byte on line 1"),
    ],
)
def test_binary_files_are_refused_by_name(tmp_path: Path, data: bytes, why: str) -> None:
    write(tmp_path / "main.journal", "include budget.xlsx\n")
    (tmp_path / "budget.xlsx").write_bytes(data)
    (problem,) = read(tmp_path / "main.journal").problems
    assert problem.message.startswith(f"cannot read {tmp_path / 'budget.xlsx'}: it is not a text")
    assert why in problem.message
    assert (Path(problem.file).name, problem.line) == ("main.journal", 1)
    assert problem.text == "include budget.xlsx"


def _refused(journal: Journal) -> str:
    (problem,) = journal.problems
    return problem.message


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.journal"
    os.mkfifo(fifo)
    (tmp_path / "folder").mkdir()
    (tmp_path / "zero.journal").symlink_to("/dev/zero")
    cases = {
        "pipe.journal": "a named pipe (FIFO)",
        "folder": "a directory",
        "/dev/zero": "a device",
        "zero.journal": "a device",
        "/dev/null": "a device",
    }
    for name, kind in cases.items():
        main = write(tmp_path / "main.journal", f"include {name}\n")
        started = time.monotonic()
        message = _refused(read(main))
        assert time.monotonic() - started < 5
        assert re.fullmatch(
            f"cannot read .*{re.escape(name)}: it is {re.escape(kind)}, not a journal file", message
        )
        # The same given as the main journal (no command checks it first here).
        (problem,) = parse_books(
            tmp_path / name if not name.startswith("/") else Path(name)
        ).problems
        assert problem.line == 0 and kind in problem.message


def test_a_name_too_long_for_the_file_system_is_a_message(tmp_path: Path) -> None:
    name = "a" * 300 + ".journal"
    main = write(tmp_path / "main.journal", f"include {name}\n")
    (problem,) = read(main).problems
    assert problem.message == f"cannot read {tmp_path / name}: File name too long"
    assert (problem.line, problem.column) == (1, 9)
    (problem,) = parse_books(tmp_path / name).problems
    assert problem.message.endswith(": File name too long")
    # As a pattern: no file can match it.
    main = write(tmp_path / "main.journal", f"include {name}*\n")
    assert _refused(read(main)) == f"include pattern '{name}*' matches no file"


def test_a_missing_file(tmp_path: Path) -> None:
    main = write(tmp_path / "main.journal", "include nowhere.journal\n")
    assert _refused(read(main)) == f"included file not found: {tmp_path / 'nowhere.journal'}"
    (problem,) = parse_books(tmp_path / "nowhere.journal").problems
    assert problem.message == f"cannot read {tmp_path / 'nowhere.journal'}: no such file"


# --- how much is read -------------------------------------------------------------------------


def test_a_file_bigger_than_a_journal_file_may_be_is_not_read(tmp_path: Path) -> None:
    sparse = tmp_path / "disk.img"
    with sparse.open("wb") as handle:
        handle.truncate(2 * 2**30)  # 2 GiB, sparse: nothing is written
    main = write(tmp_path / "main.journal", "include disk.img\n")
    started = time.monotonic()
    message = _refused(read(main))
    assert time.monotonic() - started < 5
    assert (
        message == f"cannot read {sparse}: it is more than 256 MiB, the most a journal file may be"
    )
    assert "more than 256 MiB" in _refused(parse_books(sparse))


def test_the_caps_on_one_file_and_on_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parser, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(parser, "MAX_BOOK_BYTES", 250)
    txn = "2020-01-01 t\n    a  1 kr\n    b\n"  # 32 bytes
    write(tmp_path / "big.journal", txn * 4)  # 128
    write(tmp_path / "ok.journal", txn * 3)  # 96
    main = write(tmp_path / "main.journal", "include big.journal\n")
    assert "more than 0 MiB, the most a journal file may be" in _refused(read(main))
    main = write(tmp_path / "main.journal", "include ok.journal\n" * 3)
    journal = read(main)
    assert len(journal.transactions) == 6
    (problem,) = journal.problems
    assert problem.line == 3
    assert problem.message == (
        f"cannot read {tmp_path / 'ok.journal'}: the books would be more than 0 MiB in all with it"
    )


def test_a_file_that_grows_while_read_is_still_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /proc's files say they are empty; what they hold is read, within the cap.
    monkeypatch.setattr(parser, "MAX_FILE_BYTES", 10)
    main = write(tmp_path / "main.journal", "include /proc/self/status\n")
    assert "the most a journal file may be" in _refused(load_journal(main))
    monkeypatch.setattr(parser, "MAX_FILE_BYTES", 2**20)
    # Read (it changes from one reading to the next), and not a journal.
    assert str(load_journal(main).errors[0].text).startswith("Name:\t")


def test_includes_a_thousand_and_more_deep(tmp_path: Path) -> None:
    depth = 1200
    for i in range(depth):
        write(
            tmp_path / f"f{i}.journal",
            f"include f{i + 1}.journal\n2020-01-01 t{i}\n    a  1 kr\n    b\n",
        )
    write(tmp_path / f"f{depth}.journal", "2020-01-01 last\n    a  1 kr\n    b\n")
    journal = read(tmp_path / "f0.journal")
    assert journal.problems == []
    assert len(journal.files) == depth + 1
    # Each file's transaction after the files it includes: the deepest first.
    assert [t.description for t in journal.transactions[:2]] == ["last", f"t{depth - 1}"]
    assert journal.transactions[-1].description == "t0"
    # A cycle at the bottom is a message at its include line.
    write(
        tmp_path / f"f{depth}.journal", "2020-01-01 last\n    a  1 kr\n    b\ninclude f0.journal\n"
    )
    assert errors(read(tmp_path / "f0.journal")) == [
        (f"f{depth}.journal", 4, f"include cycle: {tmp_path / 'f0.journal'} is already being read")
    ]


def test_directives_flow_through_includes_and_back_in_order(tmp_path: Path) -> None:
    write(tmp_path / "a.journal", "2020-01-02 a\n    x  1.500 kr\n    y\ninclude b.journal\n")
    write(tmp_path / "b.journal", "decimal-mark .\n2020-01-03 b\n    x  2.5 kr\n    y\n")
    journal = read(
        write(
            tmp_path / "main.journal",
            "decimal-mark ,\ninclude a.journal\n  ; a note\n2020-01-04 m\n    x  3.5 kr\n    y\n",
        )
    )
    assert journal.problems == []
    assert [str(t.postings[0].amount) for t in journal.transactions] == ["1500", "2.5", "3.5"]
    assert [Path(f).name for f in journal.files] == ["main.journal", "a.journal", "b.journal"]


def test_a_file_included_over_and_over_stops_at_max_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each file includes the next twice: 2**20 readings without a cap.
    for i in range(20):
        write(tmp_path / f"f{i}.journal", f"include f{i + 1}.journal\n" * 2)
    write(tmp_path / "f20.journal", "2020-01-01 t\n    a  1 kr\n    b\n")
    started = time.monotonic()
    journal = read(tmp_path / "f0.journal")
    assert time.monotonic() - started < 30
    assert journal.errors[0].message == (
        f"cannot read {tmp_path / 'f20.journal'}: the books have read 10000 files already, "
        "the most they may"
    )
    assert len(journal.files) == parser.MAX_FILES


def test_the_sub_lines_of_an_include_are_checked_before_the_included_file(tmp_path: Path) -> None:
    write(tmp_path / "in.journal", "2020-01-01 t\n    a\n    b\n")
    journal = read(write(tmp_path / "main.journal", "include in.journal\n    oops\n"))
    assert errors(journal) == [
        ("main.journal", 2, "unsupported sub-directive under 'include'"),
        ("in.journal", 3, "more than one posting without an amount"),
    ]


# --- work that grows with the text, not faster --------------------------------------------------


def test_many_comment_blocks_are_read_in_one_pass(tmp_path: Path) -> None:
    # Each block used to split the rest of the file: 20 000 blocks took 11 s.
    text = "comment\nend comment\n" * 200_000 + "2020-01-01 t\n    a  1 kr\n    b\n"
    started = time.monotonic()
    journal = load_journal(write(tmp_path / "main.journal", text))
    assert time.monotonic() - started < 10
    assert journal.problems == [] and journal.transactions[0].line == 400_001


def test_comment_blocks_end_at_their_end_comment_line_only(tmp_path: Path) -> None:
    text = (
        "comment\n2020-01-01 x\n  end comment\nend comments\nend comment  \n"
        "2020-01-02 t\n    a  1 kr\n    b\ncommentary\n"
    )
    journal = read(write(tmp_path / "main.journal", text))
    assert [t.line for t in journal.transactions] == [6]
    assert errors(journal) == [("main.journal", 9, "unsupported directive 'commentary'")]


def test_a_long_line_of_single_spaces_is_read_in_time(tmp_path: Path) -> None:
    # The account/amount gap was looked for from each space again: quadratic in the line.
    line = "    * a" + " a" * 1_000_000 + "\t  5 kr\n"
    started = time.monotonic()
    journal = load_journal(write(tmp_path / "main.journal", f"2020-01-01 t\n{line}    b\n"))
    assert time.monotonic() - started < 10
    assert journal.problems == []


def _naive_separator(text: str) -> int:
    return next((k for k in range(len(text) - 1) if text[k] in " \t" and text[k + 1] in " \t"), -1)


@given(st.text(st.sampled_from("a \t\u00a0b"), max_size=30))
def test_the_gap_is_the_first_two_blanks(text: str) -> None:
    assert parser._separator(text) == _naive_separator(text)


@pytest.mark.parametrize("end", ["\r", "mixed"])
def test_whole_book_problems_show_their_own_line(tmp_path: Path, end: str) -> None:
    # Problems of the checks (assertions, undeclared accounts) carry no text: the line
    # shown is found by the reader's line ends, not by counting LFs.
    lines = ["; x", "2020-01-01 t", "    a  1 kr = 2 kr", "    b", "2020-01-02 u", "    a  1 kr"]
    lines += ["    b", ""]
    text = "\r".join(lines) if end == "\r" else "\r".join(lines[:4]) + "\n" + "\n".join(lines[4:])
    main = write(tmp_path / "main.journal", text)
    journal = load_journal(main, strict=True)
    assert [(p.line, p.text) for p in journal.errors] == [
        (3, "    a  1 kr = 2 kr"),
        (3, "    a  1 kr = 2 kr"),
        (4, "    b"),
    ]
    assert "3 |     a  1 kr = 2 kr\n" in format_problem(journal.errors[0])
    # In a file of LF and CRLF only, problems.py finds the line itself.
    write(tmp_path / "main.journal", "\r\n".join(lines))
    assert [p.text for p in load_journal(main).errors] == [None]


def test_a_pattern_that_matches_too_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser, "MAX_FILES", 5)
    for i in range(5):
        write(tmp_path / f"{i}.journal", TXN_LINE)
    main = write(tmp_path / "main.journal", "include ?.journal\n")
    journal = read(main)  # main.journal and five: one file more than the books may read
    assert len(journal.transactions) == 4
    assert "the books have read 5 files already" in _refused(journal)
    write(tmp_path / "5.journal", TXN_LINE)
    assert _refused(read(main)) == (
        "include pattern '?.journal' matches more than 5 files, more than the books may read"
    )
