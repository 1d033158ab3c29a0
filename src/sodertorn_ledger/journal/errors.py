"""How a problem in the books is shown: `FILE:LINE[:COL]: message`, the line, a caret, a hint."""

from __future__ import annotations

from pathlib import Path

from sodertorn_ledger.journal.model import Problem


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
