"""A problem in the user's files, and how it is shown.

Every layer that reads the user's files (the journal, the settings, SCB's population
files, the fees and the close) reports what is wrong as a `Problem`: a value with a
source position, never an exception. This is the bottom layer: it imports nothing of
the program. `format_problem` is the one way a problem reaches the user:
`FILE:LINE[:COL]: message`, the line with a margin and a caret, then a hint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """A problem in the user's books (or settings): a value, never an exception.

    ``text`` is the offending line as written; ``column`` is 1-based where known.
    """

    file: str
    line: int
    message: str
    hint: str = ""
    column: int | None = None
    text: str | None = None
    severity: Severity = "error"


_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control and format characters, surrogates (undecodable bytes), private and unassigned
code points, line and paragraph separators: shown as escapes, never sent to the terminal."""
_EXCERPT_WIDTH = 160
"""At most this many characters of a line are shown, around the column."""
_SEARCH_LIMIT = 64 * 1024 * 1024
"""How far into a file to look for the line of a problem."""


def printable(text: str) -> str:
    """`text` safe to print on one line: a tab is a blank, and every control or format
    character, and every byte that was not valid UTF-8 (decoded with surrogateescape), is
    shown as an escape (``\\x1b``, ``\\x00``, ``\\xe9``, ``\\u202e``)."""
    if text.isascii() and text.isprintable():
        return text
    import unicodedata

    out: list[str] = []
    for char in text:
        if char == "\t":
            out.append(" ")
        elif char.isprintable() or unicodedata.category(char) not in _ESCAPED_CATEGORIES:
            out.append(char)
        else:
            code = ord(char)
            if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
                out.append(f"\\x{code - 0xDC00:02x}")
            elif code <= 0xFF:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    return "".join(out)


def _source_line(problem: Problem) -> str | None:
    """The line the problem is on, as written (undecodable bytes kept as surrogates); None
    when there is none to show: no line, not a regular text file, or too far in."""
    if problem.text is not None:
        return problem.text
    if problem.line <= 0:
        return None
    import os
    import stat

    try:
        # Opening a FIFO or a device blocks or never ends: only a regular file is read.
        if not stat.S_ISREG(os.stat(problem.file).st_mode):
            return None
        with Path(problem.file).open("rb") as handle:
            if handle.read(4) == b"PK\x03\x04":  # a zip (xlsx): rows are not lines
                return None
            handle.seek(0)
            head = handle.read(_SEARCH_LIMIT)
    except OSError:
        return None
    # LF, CRLF and a bare CR each end a line, as the journal reader counts them.
    lines = head.splitlines()
    if problem.line > len(lines) or (problem.line == len(lines) and len(head) == _SEARCH_LIMIT):
        return None  # beyond what was read (the last line read may be cut short)
    raw = lines[problem.line - 1]
    if b"\x00" in raw:
        return None  # a binary file: its bytes say nothing to the user
    line = raw.decode("utf-8", errors="surrogateescape")
    return line.removeprefix("\ufeff") if problem.line == 1 else line


def _excerpt(text: str, column: int | None) -> tuple[str, int | None]:
    """The line as shown and the caret's place in it: printable, and cut to a window
    around the column when it is long."""
    at = None if column is None else len(printable(text[: column - 1]))
    shown = printable(text)
    if len(shown) <= _EXCERPT_WIDTH:
        return shown, at
    start = 0 if at is None else max(0, min(at - _EXCERPT_WIDTH // 2, len(shown) - _EXCERPT_WIDTH))
    window = shown[start : start + _EXCERPT_WIDTH]
    head = "…" if start else ""
    tail = "…" if start + _EXCERPT_WIDTH < len(shown) else ""
    return head + window + tail, None if at is None else at - start + len(head)


def _lines(text: str) -> str:
    """A message of ours, which may run over several lines, each made printable."""
    return "\n".join(printable(line) for line in text.split("\n"))


def format_problem(problem: Problem) -> str:
    """The problem as the user sees it (several lines, no trailing newline), every part
    of it safe to print."""
    where = printable(problem.file)
    if problem.line > 0:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    label = "warning: " if problem.severity == "warning" else ""
    out = [f"{where}: {label}{_lines(problem.message)}"]
    text = _source_line(problem)
    if text is not None:
        shown, caret_at = _excerpt(text, problem.column)
        margin = str(problem.line)
        pad = " " * len(margin)
        out.append(f"{pad} |")
        out.append(f"{margin} | {shown}")
        if caret_at is not None:
            out.append(f"{pad} | {' ' * caret_at}^")
    if problem.hint:
        out.append(f"hint: {_lines(problem.hint)}")
    return "\n".join(out)
