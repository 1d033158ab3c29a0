"""The manual (README.md and docs/*.md) as the tests read it: its pages, its `$ ledger …`
transcripts, and whether a transcript shows a command's real output."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
ELISION = "…"
"""A transcript line that is only this (indented or not) stands for any number of lines."""


def page(name: str) -> str:
    """The text of README.md or of a page of docs/ ("close.md")."""
    path = REPO / name if name == "README.md" else DOCS / name
    return path.read_text(encoding="utf-8")


def pages() -> dict[str, str]:
    """Every page of the manual by name: README.md, then docs/*.md."""
    names = ["README.md", *sorted(p.name for p in DOCS.glob("*.md"))]
    return {name: page(name) for name in names}


MANUAL = "\n".join(pages().values())
"""The whole manual as one text."""


def prose(text: str) -> list[str]:
    """The lines of a page outside its code blocks."""
    lines: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            inside = not inside
        elif not inside:
            lines.append(line)
    return lines


def anchors(text: str) -> set[str]:
    """The anchors of a page's headings, as GitHub makes them: lower case, punctuation
    dropped, spaces to hyphens, a repeated one numbered (-1, -2, …)."""
    found: set[str] = set()
    for line in prose(text):
        heading = re.match(r"#{1,6} (.*)", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            n, unique = 0, slug
            while unique in found:
                n += 1
                unique = f"{slug}-{n}"
            found.add(unique)
    return found


def links(text: str) -> list[str]:
    """The targets of a page's Markdown links and images, code blocks left out."""
    return re.findall(r"\]\(([^)\s]+)\)", "\n".join(prose(text)))


class Transcript(NamedTuple):
    command: str
    """The command line after `$ `, e.g. "ledger fees 2020"."""
    lines: list[str]
    """What the manual shows it printing, up to the next `$ ` line or the end of the block."""


def code_blocks(text: str, info: str | None = None) -> list[list[str]]:
    """The lines of each fenced code block (```), fences left out; with `info`, only the
    blocks whose opening fence names it (```toml)."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    inside = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            if inside and current is not None:
                blocks.append(current)
            inside = not inside
            wanted = info is None or line.lstrip()[3:].strip() == info
            current = [] if inside and wanted else None
        elif current is not None:
            current.append(line)
    return blocks


def transcripts(text: str) -> list[Transcript]:
    """Every `$ ledger …` command shown in a code block, with the output shown under it."""
    found: list[Transcript] = []
    for block in code_blocks(text):
        current: Transcript | None = None
        for line in block:
            if line.startswith("$ "):
                current = Transcript(line[2:], [])
                found.append(current)
            elif current is not None:
                current.lines.append(line)
    return [t for t in found if t.command.startswith("ledger ") or t.command == "ledger"]


def _pattern(lines: list[str]) -> re.Pattern[str]:
    parts = ["(?:.*\n)*?" if line.strip() == ELISION else re.escape(line + "\n") for line in lines]
    return re.compile("".join(parts))


def matches(shown: list[str], output: str) -> bool:
    """Whether the manual's lines show `output`: line for line, an elision line standing for
    any number of lines."""
    return _pattern(shown).fullmatch(output.rstrip("\n") + "\n") is not None


def assert_shows(text: str, command: str, output: str) -> None:
    """The page shows `$ COMMAND` with exactly this output (elisions aside).

    Fails when the page has no such transcript, or when none of them matches.
    """
    shown = [t for t in transcripts(text) if t.command == command]
    assert shown, f"no `$ {command}` transcript on the page"
    if not any(matches(t.lines, output) for t in shown):
        raise AssertionError(
            f"`$ {command}`: the manual shows\n"
            + "\n".join(shown[0].lines)
            + "\n\nbut the command prints\n"
            + output
        )
