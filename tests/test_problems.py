"""How a problem is shown: position, excerpt, caret and hint, every part safe to print."""

from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sodertorn_ledger.problems import Problem, format_problem, printable


def test_the_format_is_file_line_column_excerpt_caret_hint() -> None:
    shown = format_problem(Problem("b.journal", 8, "bad amount", "type it again", 7, "    x 1"))
    assert shown == "\n".join(
        [
            "b.journal:8:7: bad amount",
            "  |",
            "8 |     x 1",
            "  |       ^",
            "hint: type it again",
        ]
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # an OSC that would retitle the terminal
        ("a\x00b", "a\\x00b"),
        ("\x7f\x9b", "\\x7f\\x9b"),  # DEL and the C1 control introducer
        ("\u202eevil", "\\u202eevil"),  # right-to-left override
        ("line\u2028break", "line\\u2028break"),
        ("bad \udce9 byte", "bad \\xe9 byte"),  # undecodable byte (surrogateescape)
        ("tab\there", "tab here"),
        ("Södertörn 1 000 kr", "Södertörn 1 000 kr"),  # letters and spaces as written
    ],
)
def test_control_characters_and_bad_bytes_are_escaped(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@given(st.text())
def test_nothing_unprintable_survives(text: str) -> None:
    # What is left: printable characters and spaces (a no-break space is shown as written,
    # and the reader's message names it).
    out = printable(text)
    assert all(c.isprintable() or unicodedata.category(c) == "Zs" for c in out)


def test_message_hint_and_file_name_are_escaped_too() -> None:
    shown = format_problem(Problem("x\x1b.csv", 0, "name \x1b[2J", "see \x07"))
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "x\\x1b.csv: name \\x1b[2J\nhint: see \\x07"


def test_a_message_may_run_over_lines_each_escaped() -> None:
    shown = format_problem(Problem("f", 0, "closed, but:\n  a\x1b: 1\n  b: 2"))
    assert shown == "f: closed, but:\n  a\\x1b: 1\n  b: 2"


def test_the_caret_points_at_the_column_after_escapes() -> None:
    shown = format_problem(Problem("f", 1, "m", "", 5, "ab\x1bcd")).splitlines()
    assert shown[2] == "1 | ab\\x1bcd"
    assert shown[3].index("^") == shown[2].index("d")


def test_a_line_read_from_the_file_shows_bad_bytes_escaped(tmp_path: Path) -> None:
    path = tmp_path / "b.journal"
    path.write_bytes(b"2020-01-01 ok\n2020-01-02 caf\xe9 \x1b[31m\n")
    shown = format_problem(Problem(str(path), 2, "m"))
    assert "2 | 2020-01-02 caf\\xe9 \\x1b[31m" in shown


def test_a_long_line_is_shown_around_the_column(tmp_path: Path) -> None:
    text = "x" * 500 + "Y" + "z" * 500
    lines = format_problem(Problem("f", 1, "m", "", 501, text)).splitlines()
    assert len(lines[2]) < 200
    assert lines[2][lines[3].index("^")] == "Y"


def test_binary_files_are_not_quoted(tmp_path: Path) -> None:
    zipped = tmp_path / "figures.xlsx"
    zipped.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert format_problem(Problem(str(zipped), 1, "m")) == f"{zipped}:1: m"
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"a\x00b\x00\n")
    assert format_problem(Problem(str(binary), 1, "m")) == f"{binary}:1: m"


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.journal"
    os.mkfifo(fifo)
    shown: list[str] = []
    problem = Problem(str(fifo), 1, "m")
    worker = threading.Thread(target=lambda: shown.append(format_problem(problem)), daemon=True)
    worker.start()
    worker.join(5)
    blocked = worker.is_alive()
    if blocked:  # opened for reading: be the writer, so the test ends
        with fifo.open("w") as unblock:
            unblock.write("2020-01-01 x\n")
    assert not blocked, "format_problem opened a FIFO"
    assert shown == [f"{fifo}:1: m"]


def test_a_line_is_found_whatever_ends_the_lines_before_it(tmp_path: Path) -> None:
    path = tmp_path / "mixed.journal"
    path.write_bytes(b"; one\r\n; two\r; three\n; four\r\n")
    for number, text in enumerate(["; one", "; two", "; three", "; four"], 1):
        assert f"{number} | {text}" in format_problem(Problem(str(path), number, "m"))
    assert format_problem(Problem(str(path), 5, "m")) == f"{path}:5: m"
