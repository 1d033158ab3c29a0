"""Books as an earlier version of `ledger close` left them: its closing transaction
recorded no balances (no `= AMOUNT`, no postings of nothing), so the closed year was not
locked. The tests make such books from a close of today's version."""

from __future__ import annotations

import re
from pathlib import Path

_ZERO_POSTING = re.compile(r"^    \S.*\S\s+0,00 kr = .*$")
_ASSERTION = re.compile(r" = [^;]*$")
NEW_COMMENT_END = (
    "; follow from the balances after this transaction. Each `= AMOUNT` records an\n"
    "; account's balance after the close: a later change to {year} breaks it.\n"
)
OLD_COMMENT_END = "; follow from the balances after this transaction.\n"


def as_earlier_version(text: str, year: int) -> str:
    """`text` (a year's file) with its closing transaction of `year` as an earlier version
    wrote it: the same postings, no balances recorded."""
    lines = text.split("\n")
    header = f"{year}-12-31 * Bokslut {year}  ; bokslut:{year}"
    start = lines.index(header)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    body = [
        _ASSERTION.sub("", line) for line in lines[start + 1 : end] if not _ZERO_POSTING.match(line)
    ]
    lines[start + 1 : end] = body
    out = "\n".join(lines)
    new_comment = NEW_COMMENT_END.format(year=year)
    assert new_comment in out
    return out.replace(new_comment, OLD_COMMENT_END)


def make_earlier_version(path: Path, year: int) -> None:
    """Rewrite the file at `path` so its close of `year` is an earlier version's."""
    text = path.read_text(encoding="utf-8")
    path.write_text(as_earlier_version(text, year), encoding="utf-8")
