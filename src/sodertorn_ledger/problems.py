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


def _source_line(problem: Problem) -> str | None:
    if problem.text is not None:
        return problem.text
    if problem.line <= 0:
        return None
    try:
        with Path(problem.file).open(encoding="utf-8-sig", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if number == problem.line:
                    return line.rstrip("\r\n")
    except OSError:
        return None
    return None


def format_problem(problem: Problem) -> str:
    """The problem as the user sees it (several lines, no trailing newline)."""
    where = problem.file
    if problem.line > 0:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    label = "warning: " if problem.severity == "warning" else ""
    out = [f"{where}: {label}{problem.message}"]
    text = _source_line(problem)
    if text is not None:
        margin = str(problem.line)
        pad = " " * len(margin)
        shown = text.expandtabs(1)
        out.append(f"{pad} |")
        out.append(f"{margin} | {shown}")
        if problem.column is not None:
            caret_at = len(text[: problem.column - 1].expandtabs(1))
            out.append(f"{pad} | {' ' * caret_at}^")
    if problem.hint:
        out.append(f"hint: {problem.hint}")
    return "\n".join(out)
